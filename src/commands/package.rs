//! `rudder package`, `rudder show` and `rudder repo index`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use sha2::Digest as _;

use crate::cli::{PackageArgs, RepoIndexArgs, ShowArgs, ShowWhat};

/// The entries' mtime: SOURCE_DATE_EPOCH when set, else the epoch (never the clock).
fn archive_mtime() -> anyhow::Result<u64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => s
            .trim()
            .parse()
            .map_err(|_| anyhow!("SOURCE_DATE_EPOCH `{s}` is not a number of seconds")),
        _ => Ok(0),
    }
}

fn load(path: &Path) -> anyhow::Result<crate::chart::Chart> {
    let chart = crate::chart::load_path(path)
        .map_err(anyhow::Error::new)
        .context("cannot load chart")?;
    for link in &chart.outside_links {
        eprintln!("{}", link.warning());
    }
    Ok(chart)
}

pub fn package(args: PackageArgs) -> anyhow::Result<i32> {
    let mtime = archive_mtime()?;
    let mut report = String::new();
    for path in &args.charts {
        if args.dependency_update {
            super::dependency::run(crate::cli::DependencyArgs {
                command: crate::cli::DependencyCommand::Update {
                    chart: path.clone(),
                    devel: false,
                },
            })?;
        }
        let mut chart = load(path)?;
        if let Some(v) = &args.version {
            crate::chart::metadata::parse_version(v)
                .map_err(|_| anyhow!("--version `{v}` is not a valid semantic version"))?;
            chart.metadata.version = v.clone();
        }
        if let Some(v) = &args.app_version {
            chart.metadata.app_version = v.clone();
        }
        let bytes = crate::package::archive(&chart, mtime)?;
        let dest = args.destination.join(crate::package::file_name(&chart));
        std::fs::create_dir_all(&args.destination)
            .with_context(|| format!("cannot create `{}`", args.destination.display()))?;
        crate::output::write_atomic_bytes(&dest, &bytes)
            .with_context(|| format!("cannot write `{}`", dest.display()))?;
        let shown = std::path::absolute(&dest).unwrap_or(dest);
        report.push_str(&format!(
            "Successfully packaged chart and saved it to: {}\n",
            shown.display()
        ));
    }
    crate::output::print(&report)?;
    Ok(0)
}

pub fn show(args: ShowArgs) -> anyhow::Result<i32> {
    let chart = load(&args.chart)?;
    let chart_text = crate::package::chart_yaml(&chart) + "\n";
    let values = chart
        .values_raw
        .as_deref()
        .map(|v| String::from_utf8_lossy(v).into_owned() + "\n");
    let readme = chart
        .readme()
        .map(|f| String::from_utf8_lossy(&f.data).into_owned() + "\n");
    let crds: String = chart
        .crds()
        .map(|f| format!("---\n{}\n", String::from_utf8_lossy(&f.data)))
        .collect();
    let text = match args.what {
        ShowWhat::Chart => chart_text,
        ShowWhat::Values => values.unwrap_or_default(),
        ShowWhat::Readme => readme.unwrap_or_default(),
        ShowWhat::Crds => crds,
        ShowWhat::All => {
            let mut all = chart_text;
            for part in [values, readme].into_iter().flatten() {
                all.push_str("---\n");
                all.push_str(&part);
            }
            all.push_str(&crds);
            all
        }
    };
    crate::output::print(&text)?;
    Ok(0)
}

/// The archives in `dir` and one level below, sorted by path.
fn archives(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).max_depth(2).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "tgz") {
            out.push(entry.path().to_path_buf());
        }
    }
    Ok(out)
}

pub fn repo_index(args: RepoIndexArgs) -> anyhow::Result<i32> {
    let now = super::template::clock(None, std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
    let created = now.to_string();
    let paths = archives(&args.dir)?;
    let mut charts = Vec::new();
    for path in &paths {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        let chart =
            crate::chart::load_archive(&bytes).map_err(|e| anyhow!("`{}`: {e}", path.display()))?;
        let digest: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let rel = path
            .strip_prefix(&args.dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        charts.push((chart, rel, digest));
    }
    let list: Vec<crate::repo::Archive> = charts
        .iter()
        .map(|(chart, path, digest)| crate::repo::Archive {
            chart,
            path: path.clone(),
            digest: digest.clone(),
        })
        .collect();
    let previous = match &args.merge {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read `{}`", file.display()))?;
            Some(crate::yaml::parse(&text).map_err(|e| anyhow!("`{}`: {e}", file.display()))?)
        }
        None => None,
    };
    let index = crate::repo::index(&list, args.url.as_deref(), &created, previous.as_ref());
    let (name, text) = if args.json {
        ("index.json", serde_json::to_string_pretty(&index)? + "\n")
    } else {
        ("index.yaml", crate::repo::to_yaml(&index))
    };
    let dest = args.dir.join(name);
    crate::output::write_atomic_bytes(&dest, text.as_bytes())
        .with_context(|| format!("cannot write `{}`", dest.display()))?;
    Ok(0)
}
