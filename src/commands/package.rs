//! `rudder package`, `rudder show` and `rudder repo index`: flags to requests; print.

use crate::action::package::{self, IndexRequest, PackageRequest, ShowPart};
use crate::cli::{PackageArgs, RepoIndexArgs, ShowArgs, ShowWhat};

pub fn package(args: PackageArgs) -> anyhow::Result<i32> {
    let req = PackageRequest {
        charts: args.charts,
        destination: args.destination,
        version: args.version,
        app_version: args.app_version,
        dependency_update: args.dependency_update,
    };
    let mut warnings = Vec::new();
    let result = package::package(&req, &mut warnings);
    for w in &warnings {
        eprintln!("{w}");
    }
    let report: String = result?
        .iter()
        .map(|p| {
            format!(
                "Successfully packaged chart and saved it to: {}\n",
                p.display()
            )
        })
        .collect();
    crate::output::print(&report)?;
    Ok(0)
}

pub fn show(args: ShowArgs) -> anyhow::Result<i32> {
    let part = match args.what {
        ShowWhat::Chart => ShowPart::Chart,
        ShowWhat::Values => ShowPart::Values,
        ShowWhat::Readme => ShowPart::Readme,
        ShowWhat::Crds => ShowPart::Crds,
        ShowWhat::All => ShowPart::All,
    };
    let mut warnings = Vec::new();
    let result = package::show(&args.chart, part, &mut warnings);
    for w in &warnings {
        eprintln!("{w}");
    }
    crate::output::print(&result?)?;
    Ok(0)
}

pub fn repo_index(args: RepoIndexArgs) -> anyhow::Result<i32> {
    package::repo_index(&IndexRequest {
        dir: args.dir,
        url: args.url,
        merge: args.merge,
        json: args.json,
    })?;
    Ok(0)
}
