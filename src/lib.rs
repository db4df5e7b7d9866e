//! rudder: a fast, Helm-compatible chart templating CLI whose templates are Jinja.
//!
//! Data flows one way: CLI → chart → values → render → manifest → output. `run` is
//! the whole program; `main.rs` only turns its result into an exit code.

pub mod action;
pub mod chart;
pub mod cli;
pub mod commands;
pub mod diff;
pub mod engine;
pub mod error;
pub mod gofmt;
pub mod limits;
pub mod manifest;
pub mod names;
pub mod output;
pub mod parallel;
pub mod project;
pub mod rendered;
pub mod repo;
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
    if let Err(e) = limits::check_env() {
        eprintln!("error: {e}");
        return 1;
    }
    // Deeply nested input (YAML and JSON documents, `include` chains) is bounded by the
    // limits table, not by the size of the main thread's stack: the command runs on a
    // thread whose stack holds the deepest input the limits allow. Only the pages used
    // are committed.
    let worker = std::thread::Builder::new()
        .name("rudder".into())
        .stack_size(limits::COMMAND_STACK)
        .spawn(move || {
            engine::stack_holds_a_render();
            run_command(cli.command)
        });
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => {
            eprintln!("error: rudder crashed (this is a bug in rudder; please report it)");
            1
        }
        Err(e) => {
            eprintln!("error: cannot start rudder's worker thread: {e}");
            1
        }
    }
}

fn run_command(command: cli::Command) -> i32 {
    // `diff` reports errors with 2 (1 means "different"), the others with 1.
    let (result, error_code) = match command {
        cli::Command::Template(args) => (
            commands::template::TemplateOptions::try_from(args)
                .and_then(commands::template::run)
                .map(|()| 0),
            1,
        ),
        cli::Command::Render(args) => (commands::render::run(args), 1),
        cli::Command::Diff(args) => (commands::diff::run(args), 2),
        cli::Command::Package(args) => (commands::package::package(args), 1),
        cli::Command::Show(args) => (commands::package::show(args), 1),
        cli::Command::Repo(cli::RepoCommand::Index(args)) => {
            (commands::package::repo_index(args), 1)
        }
        cli::Command::Dependency(args) => (commands::dependency::run(args), 1),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{}", error::report(&err));
            error_code
        }
    }
}
