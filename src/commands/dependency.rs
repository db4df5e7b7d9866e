//! `rudder dependency list|update|build`: the flags as dependency actions; print.

use crate::action::dependency::{build, read_metadata, status, table, update};
use crate::cli::{DependencyArgs, DependencyCommand};

pub fn run(args: DependencyArgs) -> anyhow::Result<i32> {
    match args.command {
        DependencyCommand::List { chart } => {
            let md = read_metadata(&chart)?;
            if md.dependencies.is_empty() {
                eprintln!(
                    "warning: no dependencies in `{}`",
                    chart.join("Chart.yaml").display()
                );
                return Ok(0);
            }
            let mut rows = vec![["NAME", "VERSION", "REPOSITORY", "STATUS"].map(String::from)];
            for d in &md.dependencies {
                rows.push([
                    d.name.clone(),
                    d.version.clone(),
                    d.repository.clone(),
                    status(&chart, d).to_string(),
                ]);
            }
            crate::output::print(&(table(&rows) + "\n"))?;
        }
        DependencyCommand::Update { chart, devel } => {
            let saved = update(&chart, devel)?;
            crate::output::print(&format!("Saving {saved} charts\n"))?;
        }
        DependencyCommand::Build { chart } => {
            let saved = build(&chart)?;
            crate::output::print(&format!("Saving {saved} charts\n"))?;
        }
    }
    Ok(0)
}
