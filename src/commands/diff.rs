//! `rudder diff`: the flags as a diff request; compare and print the report.

use std::io::IsTerminal as _;

use anyhow::anyhow;

use crate::action::diff::{DiffRequest, sides};
use crate::cli::{ColorChoice, DiffArgs, DiffFormat};
use crate::diff;

pub fn run(args: DiffArgs) -> anyhow::Result<i32> {
    let req = DiffRequest {
        project: super::project_request(&args.project)?,
        sides: args.sides.clone(),
        base: args.base.clone(),
        chart: args.chart.clone(),
        left_values: args.left_values.clone(),
        right_values: args.right_values.clone(),
    };
    let (left, right) = sides(&req)?;
    let ignore = args
        .ignore
        .iter()
        .map(|p| diff::parse_path(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!(e))?;
    for path in diff::unmatched_ignores(&args.ignore, &ignore, &left, &right) {
        eprintln!("warning: --ignore `{path}` matches no field of any object");
    }
    let entries = diff::compare(
        &left,
        &right,
        &diff::Options {
            ignore,
            show_secrets: args.show_secrets,
        },
    );
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let text = match args.output {
        DiffFormat::Text => diff::text_report(&entries, color, args.context),
        DiffFormat::Json => diff::json_report(&entries),
        DiffFormat::Markdown => diff::markdown_report(&entries, args.context),
    };
    crate::output::print(&text)?;
    Ok(if args.exit_code && !entries.is_empty() {
        1
    } else {
        0
    })
}
