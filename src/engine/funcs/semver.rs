//! `semver` and `semverCompare`.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, Value};
use minijinja::{Error, State};

use super::args::{exact, func_error, s};
use crate::chart::constraint::Constraint;
use crate::chart::metadata::parse_version;

/// `semverCompare(constraint, version)`.
pub fn semver_compare(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "semverCompare")?;
    let constraint = Constraint::parse(&s(&args[0])).map_err(func_error)?;
    let version = parse_version(&s(&args[1])).map_err(|_| {
        func_error(format!(
            "semverCompare: invalid semantic version {:?}",
            s(&args[1])
        ))
    })?;
    Ok(Value::from(constraint.matches(&version)))
}

/// A parsed version, with Masterminds' fields and methods (`Major`, `Prerelease`, ...).
#[derive(Debug)]
struct SemVer {
    original: String,
    version: semver::Version,
}

impl SemVer {
    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.version;
        Some(match name {
            "Major" => Value::from(v.major),
            "Minor" => Value::from(v.minor),
            "Patch" => Value::from(v.patch),
            "Prerelease" => Value::from(v.pre.as_str()),
            "Metadata" => Value::from(v.build.as_str()),
            "Original" => Value::from(self.original.as_str()),
            "String" => Value::from(v.to_string()),
            _ => return None,
        })
    }
}

impl Object for SemVer {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.field(key.as_str()?)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&[
            "Major",
            "Minor",
            "Patch",
            "Prerelease",
            "Metadata",
            "Original",
        ])
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State,
        method: &str,
        _args: &[Value],
    ) -> Result<Value, Error> {
        self.field(method)
            .ok_or_else(|| func_error(format!("semver has no method {method}")))
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.version)
    }
}

/// `semver(text)`: a version object, or an error for text that is not one.
pub fn semver_fn(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "semver")?;
    let original = s(&args[0]);
    let version = parse_version(&original).map_err(|_| func_error("Invalid Semantic Version"))?;
    Ok(Value::from_object(SemVer { original, version }))
}
