//! The user's value sources, merged in Helm's fixed precedence.
//!
//! Whatever the order on the command line, Helm applies `-f` files in order, then
//! `--set-json`, `--set`, `--set-string`, `--set-file` and `--set-literal`.

use serde_json::Value as Json;

use super::strvals::{self, Mode, StrvalsError};
use super::{Values, merge_maps};

/// One `-f` file: its name (for errors) and its text.
pub struct ValuesFile {
    pub name: String,
    pub text: String,
}

/// Everything the user passed, already read from disk except `--set-file` targets.
#[derive(Default)]
pub struct UserSources {
    pub files: Vec<ValuesFile>,
    pub set_json: Vec<String>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    pub set_file: Vec<String>,
    pub set_literal: Vec<String>,
}

/// Merges the user's sources into one table. `read_file` reads a `--set-file` path.
pub fn merge_user_values(
    sources: &UserSources,
    read_file: &dyn Fn(&str) -> Result<String, String>,
    warnings: &mut Vec<String>,
) -> Result<Values, crate::error::Error> {
    merge(sources, read_file, warnings)
        .map_err(|m| crate::error::Error::new(crate::error::Kind::Values, m))
}

fn merge(
    sources: &UserSources,
    read_file: &dyn Fn(&str) -> Result<String, String>,
    warnings: &mut Vec<String>,
) -> Result<Values, String> {
    let mut base = Values::new();
    for file in &sources.files {
        let whose = format!("failed to parse {}", file.name);
        let docs = crate::yaml::parse_all(&file.text)
            .map_err(|e| format!("`{}`: {}", file.name, crate::yaml::values_error(&whose, e)))?;
        for doc in docs {
            match doc {
                Json::Object(m) => merge_maps(&mut base, m),
                Json::Null => {}
                other => {
                    return Err(format!(
                        "`{}`: {}; values must be a map of keys to values",
                        file.name,
                        crate::yaml::values_not_a_map(&whose, &other)
                    ));
                }
            }
        }
    }
    let mut apply = |base: &mut Values,
                     exprs: &[String],
                     flag: &str,
                     mode: Mode|
     -> Result<(), String> {
        for expr in exprs {
            let empty = strvals::parse_into(expr, base, mode, None)
                .map_err(|e| format!("failed parsing {flag} data: {e}"))?;
            if empty > 0 {
                warnings.push(format!(
                    "warning: {flag} `{expr}`: a pair with an empty key sets nothing (Helm ignores it too)"
                ));
            }
        }
        Ok(())
    };
    for expr in &sources.set_json {
        // Helm 4 also takes a whole JSON object, merged like a values file.
        if expr.trim_start().starts_with('{') {
            match crate::yaml::parse_json(expr) {
                Ok(Json::Object(m)) => merge_maps(&mut base, m),
                Err(e @ crate::yaml::JsonError::TooDeep(_)) => {
                    return Err(format!("failed parsing --set-json data: {e}"));
                }
                _ => return Err(format!("failed parsing --set-json data JSON: {expr}")),
            }
        } else {
            apply(
                &mut base,
                std::slice::from_ref(expr),
                "--set-json",
                Mode::Json,
            )?;
        }
    }
    apply(&mut base, &sources.set, "--set", Mode::Typed)?;
    apply(&mut base, &sources.set_string, "--set-string", Mode::String)?;
    let reader = |path: &str| -> Result<Json, StrvalsError> {
        read_file(path).map(Json::String).map_err(StrvalsError)
    };
    for expr in &sources.set_file {
        strvals::parse_into(expr, &mut base, Mode::String, Some(&reader))
            .map_err(|e| format!("failed parsing --set-file data: {e}"))?;
    }
    apply(
        &mut base,
        &sources.set_literal,
        "--set-literal",
        Mode::Literal,
    )?;
    Ok(base)
}

/// Which values are integers given with `--set`: the `--set` family replayed without the
/// files and `--set-json`, so a number in the result is a `--set` integer at that path,
/// unless a later `--set-string`, `--set-file` or `--set-literal` replaced it. Helm's Go
/// templates see those as int64 and every other number as float64.
pub fn set_integers(sources: &UserSources) -> Values {
    let mut base = Values::new();
    let typed = |base: &mut Values, exprs: &[String], mode: Mode| {
        for expr in exprs {
            // The real merge reported any error already.
            let _ = strvals::parse_into(expr, base, mode, None);
        }
    };
    typed(&mut base, &sources.set, Mode::Typed);
    typed(&mut base, &sources.set_string, Mode::String);
    let reader = |_: &str| -> Result<Json, StrvalsError> { Ok(Json::String(String::new())) };
    for expr in &sources.set_file {
        let _ = strvals::parse_into(expr, &mut base, Mode::String, Some(&reader));
    }
    typed(&mut base, &sources.set_literal, Mode::Literal);
    base
}
