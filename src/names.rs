//! Names that become paths: release, environment and chart names.
//!
//! rudder writes `<dir>/<environment>/<release>/…` and `charts/<chart>-<version>.tgz`;
//! a name like `..`, `a/b` or `/etc` would write outside the folder it belongs in. Every
//! such name is checked here, with Helm's rule where Helm has one, before it is joined
//! to a path.

/// Helm's longest release name (it becomes part of object names and labels).
const MAX_RELEASE_NAME: usize = 53;

/// The longest environment name (a folder name; Kubernetes' label length).
const MAX_ENVIRONMENT_NAME: usize = 63;

use crate::error::{Error, Kind};

/// Why a name was refused, with what a valid one looks like as the hint.
fn invalid(message: String, hint: &str) -> Error {
    Error::new(Kind::Usage, message).with_hint(hint)
}

/// A release name as Helm accepts it: DNS labels of lowercase letters, digits and `-`
/// joined by `.`, at most 53 characters.
pub fn release(name: &str) -> Result<(), Error> {
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if name.len() > MAX_RELEASE_NAME || !name.split('.').all(label_ok) {
        return Err(invalid(
            format!("invalid release name `{name}`"),
            "use lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit, at most 53 characters",
        ));
    }
    Ok(())
}

/// An environment name: one folder name of letters, digits, `-`, `_` and `.`, starting
/// with a letter or digit (so never `.`, `..`, hidden, absolute or nested).
pub fn environment(name: &str) -> Result<(), Error> {
    let ok = name.len() <= MAX_ENVIRONMENT_NAME
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !ok {
        return Err(invalid(
            format!("invalid environment name `{name}`"),
            "use letters, digits, `-`, `_` and `.`, starting with a letter or digit, at most 63 characters: the name is a folder of `render -o`",
        ));
    }
    Ok(())
}

/// A chart name as Helm accepts it: not empty and its own base name (no `/` or `\`,
/// not `.` or `..`).
pub fn chart(name: &str) -> Result<(), Error> {
    if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(invalid(
            format!("chart name `{name}` is not allowed: it must not contain a path"),
            "a chart name is a plain name such as `redis`",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_would_leave_their_folder_are_refused() {
        for name in [
            "..",
            ".",
            "../../outside",
            "/abs",
            "a/b",
            "a\\b",
            "",
            ".hidden",
        ] {
            assert!(environment(name).is_err(), "environment {name:?}");
            assert!(release(name).is_err(), "release {name:?}");
        }
        for name in ["..", ".", "../../escape", "/abs", "a/b", ""] {
            assert!(chart(name).is_err(), "chart {name:?}");
        }
    }

    #[test]
    fn ordinary_names_are_accepted() {
        for name in ["dev", "prod-eu", "Staging_2", "v1.2"] {
            assert_eq!(environment(name), Ok(()), "{name}");
        }
        for name in ["web", "my-app.v2", "a"] {
            assert_eq!(release(name), Ok(()), "{name}");
        }
        assert_eq!(chart("redis"), Ok(()));
        assert_eq!(chart("..redis"), Ok(()));
    }

    #[test]
    fn release_names_follow_helm_length() {
        assert!(release(&"a".repeat(53)).is_ok());
        assert!(release(&"a".repeat(54)).is_err());
    }
}
