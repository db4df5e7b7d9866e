//! The one place that turns an error into what the user sees and an exit code.

use std::fmt;

/// An error with a suggestion of what to do, shown on its own `hint:` line.
#[derive(Debug)]
pub struct Hinted {
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

/// Builds an error carrying a hint.
pub fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted {
        message: message.into(),
        hint: hint.into(),
    })
}

/// Formats an error chain as one `error:` line, plus a `hint:` line when one is known.
pub fn report(err: &anyhow::Error) -> String {
    let mut out = format!("error: {err:#}");
    if let Some(h) = err.chain().find_map(|e| e.downcast_ref::<Hinted>()) {
        out.push_str("\nhint: ");
        out.push_str(&h.hint);
    }
    out
}
