//! The one located error type, and the one place that turns errors into what the user
//! sees.
//!
//! Whatever goes wrong is an [`Error`]: what kind of input was at fault, where (file,
//! line, column where known), what happened, and a hint of what to do. Layers above add
//! context ("environment `prod`, release `web`") with anyhow's `context`, which carries
//! an `Error` unchanged; `report` prints the chain on one `error:` line and the hint of
//! the innermost located error on its own `hint:` line.

use std::fmt;

/// Which kind of input an error is about (for callers that branch on it, and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A flag, a name or a setting the user gave.
    Usage,
    /// A chart's files: Chart.yaml, archives, the folder.
    Chart,
    /// A YAML or JSON document.
    Yaml,
    /// Values: files, `--set`, schemas, coalescing.
    Values,
    /// A template: syntax, undefined names, functions that failed.
    Template,
    /// Anything else (reading and writing files, the network).
    Other,
}

/// An error with its location and a suggestion of what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    /// The file at fault, as the user's paths show it (`mychart/templates/x.yaml`).
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Error {
    /// An error of `kind` with a message and no location yet.
    pub fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error {
            kind,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// The file at fault.
    pub fn in_file(mut self, file: impl Into<String>) -> Error {
        self.file = Some(file.into());
        self
    }

    /// The line (and column, when known) at fault.
    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Error {
        self.line = line;
        self.column = column;
        self
    }

    /// What to do about it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }
}

/// `` `file:line`: message ``, `` `file`: message ``, `line N: message` or the message:
/// the forms rudder has always printed (the column is kept for tools and the Go
/// engine's messages, not shown here).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "`{file}:{line}`: {}", self.message),
            (Some(file), None) => write!(f, "`{file}`: {}", self.message),
            (None, Some(line)) => write!(f, "line {line}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// An error with a hint and no location, for the command and action layers.
pub fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Error::new(Kind::Usage, message).with_hint(hint))
}

/// Formats an error chain as one `error:` line, plus a `hint:` line when one is known.
pub fn report(err: &anyhow::Error) -> String {
    let mut out = format!("error: {err:#}");
    if let Some(hint) = err
        .chain()
        .filter_map(|e| e.downcast_ref::<Error>())
        .find_map(|e| e.hint.as_deref())
    {
        out.push_str("\nhint: ");
        out.push_str(hint);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_print_in_the_forms_users_know() {
        let e = Error::new(Kind::Template, "boom");
        assert_eq!(e.to_string(), "boom");
        assert_eq!(e.clone().at(Some(3), Some(7)).to_string(), "line 3: boom");
        let e = e.in_file("c/templates/x.yaml");
        assert_eq!(e.to_string(), "`c/templates/x.yaml`: boom");
        assert_eq!(
            e.at(Some(3), Some(7)).to_string(),
            "`c/templates/x.yaml:3`: boom"
        );
    }

    #[test]
    fn the_report_shows_context_and_the_hint() {
        let err = anyhow::Error::new(
            Error::new(Kind::Chart, "bad")
                .in_file("c/Chart.yaml")
                .with_hint("fix it"),
        )
        .context("cannot load chart");
        assert_eq!(
            report(&err),
            "error: cannot load chart: `c/Chart.yaml`: bad\nhint: fix it"
        );
    }
}
