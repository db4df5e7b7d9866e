//! YAML in and out, the way Helm reads and writes it.
//!
//! Reading uses serde-saphyr configured as go-yaml v2 behaves (YAML 1.1 booleans,
//! `0755` octal, last duplicate key wins); writing is our own go-yaml v2 emitter.

pub mod emit;
mod resolve;

use serde_json::Value as Json;

pub use emit::to_yaml;

/// A YAML syntax error with the line it was found on, when known.
#[derive(Debug)]
pub struct YamlError {
    pub line: Option<u64>,
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for YamlError {}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        legacy_octal_numbers: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
    }
}

fn convert(err: serde_saphyr::Error) -> YamlError {
    let line = err.location().map(|l| l.line());
    let message = err.without_snippet().to_string();
    let message = message.lines().next().unwrap_or_default().to_string();
    YamlError { line, message }
}

/// Parses one YAML document; an empty document is `null`.
pub fn parse(text: &str) -> Result<Json, YamlError> {
    if text.trim().is_empty() {
        return Ok(Json::Null);
    }
    let value: Option<Json> = serde_saphyr::from_str_with_options(text, options()).map_err(convert)?;
    Ok(value.unwrap_or(Json::Null))
}

/// Parses every document of a YAML stream, skipping empty ones.
pub fn parse_all(text: &str) -> Result<Vec<Json>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let docs: Vec<Option<Json>> =
        serde_saphyr::from_multiple_with_options(text, options()).map_err(convert)?;
    Ok(docs.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_as_go_yaml_v2_does() {
        let v = parse("a: yes\nb: off\nc: 0755\nd: 0x1F\ne: 1.5\nf: 10\ng: ~\nh: \"yes\"\ni: 1\ni: 2\n")
            .unwrap();
        assert_eq!(v["a"], Json::Bool(true));
        assert_eq!(v["b"], Json::Bool(false));
        assert_eq!(v["c"], serde_json::json!(493));
        assert_eq!(v["d"], serde_json::json!(31));
        assert_eq!(v["e"], serde_json::json!(1.5));
        assert_eq!(v["f"], serde_json::json!(10));
        assert_eq!(v["g"], Json::Null);
        assert_eq!(v["h"], Json::String("yes".into()));
        assert_eq!(v["i"], serde_json::json!(2));
    }

    #[test]
    fn syntax_error_carries_line() {
        let err = parse("a: 1\nb: [\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
    }
}
