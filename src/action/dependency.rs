//! Chart.yaml's dependencies into `charts/`: list their status, resolve and fetch them
//! (`update`), or install what Chart.lock pins (`build`).
//!
//! `file://` dependencies are packaged from their folder; others are fetched from the
//! repository URL the chart names (its index.yaml, then the archive, checked against the
//! index's digest). Chart.lock is written in Helm's format with Helm's digest, so Helm
//! and rudder agree on whether it is in sync.

use std::path::Path;

use anyhow::{Context as _, anyhow, bail};
use serde_json::{Value as Json, json};
use sha2::Digest as _;

use crate::chart::metadata::{Dependency, Metadata};

pub fn read_metadata(chart: &Path) -> anyhow::Result<Metadata> {
    let file = chart.join("Chart.yaml");
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read `{}`", file.display()))?;
    Metadata::parse(&text).map_err(|e| anyhow!("`{}`: {e}", file.display()))
}

/// Go's JSON of a dependency, fields in Helm's struct order (the lock digest hashes it).
fn dependency_json(d: &Dependency) -> String {
    let mut out = format!(
        "{{\"name\":{},\"version\":{},\"repository\":{}",
        Json::from(d.name.clone()),
        Json::from(d.version.clone()),
        Json::from(d.repository.clone())
    );
    if !d.condition.is_empty() {
        out.push_str(&format!(
            ",\"condition\":{}",
            Json::from(d.condition.clone())
        ));
    }
    if !d.tags.is_empty() {
        out.push_str(&format!(",\"tags\":{}", Json::from(d.tags.clone())));
    }
    if d.enabled {
        out.push_str(",\"enabled\":true");
    }
    if !d.import_values.is_empty() {
        out.push_str(&format!(
            ",\"import-values\":{}",
            Json::Array(d.import_values.clone())
        ));
    }
    if !d.alias.is_empty() {
        out.push_str(&format!(",\"alias\":{}", Json::from(d.alias.clone())));
    }
    out.push('}');
    out
}

/// Helm's Chart.lock digest: sha256 of the JSON of [requested, locked].
pub fn lock_digest(requested: &[Dependency], locked: &[Dependency]) -> String {
    let list = |deps: &[Dependency]| {
        format!(
            "[{}]",
            deps.iter()
                .map(dependency_json)
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let data = format!("[{},{}]", list(requested), list(locked));
    let hash: String = sha2::Sha256::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hash}")
}

/// A dependency made concrete: the chart's name and version, and the archive's bytes
/// (read back as a chart, so what is installed is known to load).
struct Resolved {
    dep: Dependency,
    /// The archive's own chart name (checked by the loader: never a path).
    name: String,
    version: String,
    archive: Vec<u8>,
}

/// Loads `archive` as a chart: a truncated, non-gzip or chartless download is refused
/// before anything is written.
fn verify(archive: &[u8], from: &str) -> anyhow::Result<crate::chart::Chart> {
    crate::chart::load_archive(archive).map_err(|e| {
        crate::error::hinted(
            format!("`{from}` is not a valid chart archive: {e}"),
            "check the repository: the download may be truncated or not a chart",
        )
    })
}

/// Chooses the newest version in the repository's index that satisfies the range.
fn from_repository(dep: &Dependency, exact: Option<&str>, devel: bool) -> anyhow::Result<Resolved> {
    let base = dep.repository.trim_end_matches('/');
    let index_text = String::from_utf8(crate::repo::fetch::get(&format!("{base}/index.yaml"))?)?;
    let index = crate::yaml::parse(&index_text).map_err(|e| anyhow!("`{base}/index.yaml`: {e}"))?;
    let pick =
        crate::repo::pick(&index, &dep.name, &dep.version, exact, devel).ok_or_else(|| {
            anyhow!(
                "no version of `{}` in {base} satisfies `{}`",
                dep.name,
                exact.unwrap_or(&dep.version)
            )
        })?;
    let version = pick.version;
    let url = if pick.url.contains("://") {
        pick.url
    } else {
        format!("{base}/{}", pick.url)
    };
    let archive = crate::repo::fetch::get(&url)?;
    if let Some(want) = pick.digest.filter(|d| !d.is_empty()) {
        let got: String = sha2::Sha256::digest(&archive)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if got != want {
            bail!("`{url}`: digest {got} does not match the index's {want}");
        }
    }
    let chart = verify(&archive, &url)?;
    if chart.name() != dep.name {
        bail!(
            "`{url}` holds chart `{}`, not the dependency `{}` that Chart.yaml asks for",
            chart.name(),
            dep.name
        );
    }
    if chart.metadata.version != version {
        bail!(
            "`{url}` holds version {} of `{}`, not the {version} its index lists",
            chart.metadata.version,
            dep.name
        );
    }
    Ok(Resolved {
        dep: dep.clone(),
        name: chart.metadata.name.clone(),
        version,
        archive,
    })
}

fn from_folder(chart: &Path, dep: &Dependency, exact: Option<&str>) -> anyhow::Result<Resolved> {
    let rel = dep.repository.trim_start_matches("file://");
    let dir = chart.join(rel);
    let sub =
        crate::chart::load_dir(&dir).map_err(|e| anyhow!("dependency `{}`: {e}", dep.name))?;
    for link in &sub.outside_links {
        eprintln!("{}", link.warning());
    }
    let version = sub.metadata.version.clone();
    let fits = match exact {
        Some(x) => x == version,
        None => crate::chart::constraint::satisfies(&dep.version, &version),
    };
    if !fits {
        bail!(
            "dependency `{}`: {} has version {version}, which does not satisfy `{}`",
            dep.name,
            dir.display(),
            exact.unwrap_or(&dep.version)
        );
    }
    let mtime = super::clock::archive_mtime()?;
    let archive = crate::chart::save::archive(&sub, mtime)?;
    Ok(Resolved {
        dep: dep.clone(),
        name: sub.metadata.name.clone(),
        version,
        archive,
    })
}

fn resolve(
    chart: &Path,
    deps: &[Dependency],
    locked: Option<&[Dependency]>,
    devel: bool,
) -> anyhow::Result<Vec<Resolved>> {
    let mut out = Vec::new();
    for dep in deps {
        let exact = locked
            .and_then(|l| l.iter().find(|x| x.name == dep.name))
            .map(|x| x.version.as_str());
        let resolved = if dep.repository.starts_with("file://") {
            from_folder(chart, dep, exact)?
        } else if dep.repository.starts_with("http://") || dep.repository.starts_with("https://") {
            from_repository(dep, exact, devel)?
        } else if dep.repository.is_empty() {
            bail!(
                "dependency `{}` names no repository; give a file:// path or a repository URL",
                dep.name
            );
        } else {
            bail!(
                "dependency `{}`: repository `{}` is not a file:// path or an http(s) URL (repository aliases are not supported)",
                dep.name,
                dep.repository
            );
        };
        out.push(resolved);
    }
    Ok(out)
}

/// Writes the archives into `charts/` (removing outdated ones of the same names) and the lock.
fn install(
    chart: &Path,
    md: &Metadata,
    resolved: &[Resolved],
    write_lock: bool,
) -> anyhow::Result<()> {
    let charts = chart.join("charts");
    std::fs::create_dir_all(&charts)?;
    let names: Vec<String> = resolved
        .iter()
        .map(|r| format!("{}-{}.tgz", r.name, r.version))
        .collect();
    for entry in std::fs::read_dir(&charts)? {
        let path = entry?.path();
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ours = resolved
            .iter()
            .any(|r| file.starts_with(&format!("{}-", r.name)) && file.ends_with(".tgz"));
        if ours && !names.contains(&file) && path.is_file() {
            std::fs::remove_file(&path)?;
        }
    }
    for (r, name) in resolved.iter().zip(&names) {
        crate::output::write_atomic_bytes(&charts.join(name), &r.archive)?;
    }
    if write_lock {
        let locked: Vec<Dependency> = resolved
            .iter()
            .map(|r| Dependency {
                name: r.dep.name.clone(),
                version: r.version.clone(),
                repository: r.dep.repository.clone(),
                ..Dependency::default()
            })
            .collect();
        let generated = super::clock::now(None)?.to_string();
        let lock = json!({
            "dependencies": locked.iter().map(|d| json!({"name": d.name, "repository": d.repository, "version": d.version})).collect::<Vec<_>>(),
            "digest": lock_digest(&md.dependencies, &locked),
            "generated": generated,
        });
        let mut text = crate::yaml::json_to_yaml(&lock);
        text.push('\n');
        crate::output::write_atomic(&chart.join("Chart.lock"), &text)?;
    }
    Ok(())
}

fn read_lock(chart: &Path) -> anyhow::Result<Option<(Vec<Dependency>, String)>> {
    let file = chart.join("Chart.lock");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Ok(None);
    };
    let json = crate::yaml::parse(&text).map_err(|e| anyhow!("`{}`: {e}", file.display()))?;
    let deps: Vec<Dependency> =
        serde_json::from_value(json["dependencies"].clone()).unwrap_or_default();
    let digest = json["digest"].as_str().unwrap_or_default().to_string();
    Ok(Some((deps, digest)))
}

/// The status of each dependency, as `helm dependency list` reports it.
pub fn status(chart: &Path, dep: &Dependency) -> &'static str {
    let charts = chart.join("charts");
    if charts.join(&dep.name).is_dir() {
        return "unpacked";
    }
    let Ok(entries) = std::fs::read_dir(&charts) else {
        return "missing";
    };
    let mut found = "missing";
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if !(file.starts_with(&format!("{}-", dep.name)) && file.ends_with(".tgz")) {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            return "corrupt";
        };
        match crate::chart::load_archive(&bytes) {
            Err(_) => return "corrupt",
            Ok(c) if c.name() != dep.name => found = "misnamed",
            Ok(c) if !crate::chart::constraint::satisfies(&dep.version, &c.metadata.version) => {
                found = "wrong version"
            }
            Ok(_) => return "ok",
        }
    }
    found
}

/// Helm's table: cells padded to their column, separated by tabs.
pub fn table(rows: &[[String; 4]]) -> String {
    let mut widths = [0usize; 4];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// `dependency update`: resolves every dependency to the newest version in range,
/// installs it into `charts/` and writes Chart.lock; returns how many were saved.
pub fn update(chart: &Path, devel: bool) -> anyhow::Result<usize> {
    let md = read_metadata(chart)?;
    let resolved = resolve(chart, &md.dependencies, None, devel)?;
    install(chart, &md, &resolved, true)?;
    Ok(resolved.len())
}

/// `dependency build`: installs what Chart.lock pins (refusing a lock out of sync with
/// Chart.yaml), or resolves as `update` does when there is no lock.
pub fn build(chart: &Path) -> anyhow::Result<usize> {
    let md = read_metadata(chart)?;
    let resolved = match read_lock(chart)? {
        None => resolve(chart, &md.dependencies, None, false)?,
        Some((locked, digest)) => {
            if lock_digest(&md.dependencies, &locked) != digest {
                return Err(crate::error::hinted(
                    format!(
                        "`{}` is out of sync with the dependencies in Chart.yaml",
                        chart.join("Chart.lock").display()
                    ),
                    "run `rudder dependency update` to refresh it",
                ));
            }
            resolve(chart, &md.dependencies, Some(&locked), false)?
        }
    };
    install(chart, &md, &resolved, false)?;
    Ok(resolved.len())
}
