//! Packaging and looking into charts: `package` (reproducible archives), `show`, and a
//! repository's index (`repo index`).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use sha2::Digest as _;

/// Loads a chart; the warnings about it (links out of the chart) go to `warnings`.
fn load(path: &Path, warnings: &mut Vec<String>) -> anyhow::Result<crate::chart::Chart> {
    let chart = crate::chart::load_path(path)
        .map_err(anyhow::Error::new)
        .context("cannot load chart")?;
    warnings.extend(chart.outside_links.iter().map(|l| l.warning()));
    Ok(chart)
}

/// Charts to package.
#[derive(Debug, Clone)]
pub struct PackageRequest {
    pub charts: Vec<PathBuf>,
    pub destination: PathBuf,
    pub version: Option<String>,
    pub app_version: Option<String>,
    /// Run `dependency update` on each chart first.
    pub dependency_update: bool,
}

/// Writes each chart's archive into the destination; returns the archives' absolute
/// paths.
pub fn package(req: &PackageRequest, warnings: &mut Vec<String>) -> anyhow::Result<Vec<PathBuf>> {
    let mtime = super::clock::archive_mtime()?;
    let mut written = Vec::new();
    for path in &req.charts {
        if req.dependency_update {
            super::dependency::update(path, false)?;
        }
        let mut chart = load(path, warnings)?;
        if let Some(v) = &req.version {
            crate::chart::metadata::parse_version(v)
                .map_err(|_| anyhow!("--version `{v}` is not a valid semantic version"))?;
            chart.metadata.version = v.clone();
        }
        if let Some(v) = &req.app_version {
            chart.metadata.app_version = v.clone();
        }
        let bytes = crate::chart::save::archive(&chart, mtime)?;
        let dest = req.destination.join(crate::chart::save::file_name(&chart));
        std::fs::create_dir_all(&req.destination)
            .with_context(|| format!("cannot create `{}`", req.destination.display()))?;
        crate::output::write_atomic_bytes(&dest, &bytes)
            .with_context(|| format!("cannot write `{}`", dest.display()))?;
        written.push(std::path::absolute(&dest).unwrap_or(dest));
    }
    Ok(written)
}

/// What `show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowPart {
    Chart,
    Values,
    Readme,
    Crds,
    All,
}

/// The text `helm show <part>` prints for the chart.
pub fn show(chart: &Path, part: ShowPart, warnings: &mut Vec<String>) -> anyhow::Result<String> {
    let chart = load(chart, warnings)?;
    let chart_text = crate::chart::save::chart_yaml(&chart) + "\n";
    let values = chart
        .values_raw
        .as_deref()
        .map(|v| String::from_utf8_lossy(v).into_owned() + "\n");
    let readme = match chart.readme() {
        Some(f) => Some(f.data.lossy_text().map_err(anyhow::Error::msg)? + "\n"),
        None => None,
    };
    let mut crds = String::new();
    for f in chart.crds() {
        // Helm adds a separator only where the file does not start with one.
        let text = f.data.lossy_text().map_err(anyhow::Error::msg)?;
        let sep = if text.starts_with("---") { "" } else { "---\n" };
        crds.push_str(&format!("{sep}{text}\n"));
    }
    Ok(match part {
        ShowPart::Chart => chart_text,
        ShowPart::Values => values.unwrap_or_default(),
        ShowPart::Readme => readme.unwrap_or_default(),
        ShowPart::Crds => crds,
        ShowPart::All => {
            let mut all = chart_text;
            for part in [values, readme].into_iter().flatten() {
                all.push_str("---\n");
                all.push_str(&part);
            }
            all.push_str(&crds);
            all
        }
    })
}

/// A repository folder to index.
#[derive(Debug, Clone)]
pub struct IndexRequest {
    pub dir: PathBuf,
    pub url: Option<String>,
    pub merge: Option<PathBuf>,
    pub json: bool,
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

/// `repo index`: writes DIR/index.yaml (or index.json) listing every archive in DIR.
pub fn repo_index(args: &IndexRequest) -> anyhow::Result<()> {
    let now = super::clock::now(None)?;
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
    Ok(())
}
