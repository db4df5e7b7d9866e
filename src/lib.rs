//! rudder: a fast, Helm-compatible chart templating CLI whose templates are Jinja.
//!
//! Data flows one way: CLI → chart → values → render → manifest → output. `run` is
//! the whole program; `main.rs` only turns its result into an exit code.

pub mod chart;
pub mod cli;
pub mod commands;
pub mod error;
pub mod manifest;
pub mod output;
pub mod render;
pub mod values;
pub mod yaml;

use clap::Parser as _;

/// Runs rudder with the given arguments (the program name first) and returns the
/// exit code: 0 on success, 1 on any error (reported on stderr).
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 1 } else { 0 };
        }
    };
    let result = match cli.command {
        cli::Command::Template(args) => {
            commands::template::TemplateOptions::try_from(args).and_then(commands::template::run)
        }
    };
    match result {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("{}", error::report(&err));
            1
        }
    }
}
