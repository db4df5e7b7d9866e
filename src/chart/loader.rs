//! Loading a chart: bytes from a folder or an archive, then one pure function that
//! builds the `Chart` tree from a list of files, as Helm's `LoadFiles` does.

use crate::error::{Error, Kind};
use std::collections::BTreeMap;
use std::path::Path;

use super::Values;
use super::archive::read_archive;
use super::ignore::Rules;
use super::metadata::Metadata;
use super::{Chart, File};

/// A loading error: the file at fault (relative to where the user pointed) and why.
pub type LoadError = Error;

fn error(file: impl Into<String>, message: impl Into<String>) -> LoadError {
    let file = file.into();
    let e = Error::new(Kind::Chart, message);
    if file.is_empty() { e } else { e.in_file(file) }
}

/// Loads a chart from a folder or a `.tgz` file.
pub fn load_path(path: &Path) -> Result<Chart, LoadError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        if let Some(remote) = remote_reference(&shown) {
            return error(&shown, remote);
        }
        error(
            &shown,
            format!("cannot read chart: {e}; give the path of a chart folder or .tgz"),
        )
    })?;
    if meta.is_dir() {
        load_dir(path)
    } else {
        let bytes = std::fs::read(path)
            .map_err(|e| error(&shown, format!("cannot read chart archive: {e}")))?;
        load_archive(&bytes).map_err(|e| {
            let file = match &e.file {
                None => shown.clone(),
                Some(inner) => format!("{shown}:{inner}"),
            };
            e.in_file(file)
        })
    }
}

/// What to say when a chart that is not on disk reads like a remote reference
/// (`bitnami/redis`, `oci://…`, `https://…`): rudder renders local charts.
fn remote_reference(shown: &str) -> Option<String> {
    let url = ["oci://", "http://", "https://"]
        .iter()
        .any(|p| shown.starts_with(p));
    let repo_chart = !shown.starts_with(['.', '/'])
        && shown.matches('/').count() == 1
        && !shown.ends_with(".tgz");
    (url || repo_chart).then(|| {
        format!(
            "not a chart folder or archive here; rudder renders charts from disk and does not fetch `{shown}` itself: download it first (`helm pull {shown} --untar`), or list it as a dependency of a chart and run `rudder dependency update`"
        )
    })
}

/// Loads a chart archive held in memory.
pub fn load_archive(bytes: &[u8]) -> Result<Chart, LoadError> {
    let files = read_archive(bytes).map_err(|m| error("", m))?;
    load_files(files, "")
}

/// Loads a chart folder, honouring its `.helmignore`.
pub fn load_dir(dir: &Path) -> Result<Chart, LoadError> {
    let shown = dir.display().to_string();
    let ignore_path = dir.join(".helmignore");
    let ignore_shown = ignore_path.display().to_string();
    let mut rules = match std::fs::metadata(&ignore_path) {
        Ok(meta) if meta.is_file() => {
            // Read within the chart file limit, like every other file of the chart.
            let limit = &crate::limits::CHART_FILE;
            if meta.len() > limit.get() {
                let what = format!("the file has {} bytes", meta.len());
                return Err(error(ignore_shown, limit.exceeded(what)));
            }
            let text = std::fs::read_to_string(&ignore_path)
                .map_err(|e| error(&ignore_shown, format!("cannot read: {e}")))?;
            Rules::parse(&text).map_err(|m| error(&ignore_shown, m))?
        }
        _ => Rules::default(),
    };
    rules.add_defaults();

    let mut files = Vec::new();
    let mut outside_links = Vec::new();
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let rel = relative(dir, entry.path());
            rel.is_empty() || !(entry.file_type().is_dir() && rules.ignore(&rel, true))
        });
    for entry in walker {
        let entry = entry.map_err(|e| error(&shown, format!("cannot read chart folder: {e}")))?;
        // A link to a file out of the chart (`/etc/passwd`) is followed, as Helm follows
        // it, and reported. Links to folders are how charts share a sibling chart as a
        // subchart (this repository's stack does): loaded without a word.
        if entry.path_is_symlink()
            && !entry.file_type().is_dir()
            && let Ok(target) = std::fs::canonicalize(entry.path())
            && !target.starts_with(&root)
        {
            outside_links.push(super::OutsideLink {
                path: entry.path().display().to_string(),
                target,
            });
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative(dir, entry.path());
        if rules.ignore(&rel, false) {
            continue;
        }
        let file_shown = entry.path().display().to_string();
        if !entry.file_type().is_file() {
            return Err(error(
                file_shown,
                "cannot load an irregular file (device, socket or pipe)",
            ));
        }
        let mut data = read_within_limit(entry.path()).map_err(|m| error(&file_shown, m))?;
        if data.starts_with(b"\xEF\xBB\xBF") {
            data.drain(..3);
        }
        files.push(File {
            name: rel,
            data: std::sync::Arc::new(data),
        });
    }
    let mut chart = load_files(files, &format!("{}/", shown.trim_end_matches('/')))?;
    chart.outside_links = outside_links;
    Ok(chart)
}

/// A chart file's bytes, refused before they are read when over the chart file limit.
/// The size comes from the open file (no second lookup of the path, which cost a tenth of
/// loading a large umbrella).
fn read_within_limit(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let limit = &crate::limits::CHART_FILE;
    if size > limit.get() {
        return Err(limit.exceeded(format!("the file has {size} bytes")));
    }
    let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
    file.read_to_end(&mut data)
        .map_err(|e| format!("cannot read: {e}"))?;
    Ok(data)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Builds a chart from its files. `origin` prefixes file names in errors.
pub fn load_files(files: Vec<File>, origin: &str) -> Result<Chart, LoadError> {
    let at = |name: &str| format!("{origin}{name}");
    let mut metadata: Option<Metadata> = None;
    let mut values = Values::new();
    let mut schema = None;
    let mut values_raw = None;
    let mut lock = None;
    let mut templates = Vec::new();
    let mut other = Vec::new();
    let mut sub_files: BTreeMap<String, Vec<File>> = BTreeMap::new();

    for file in files {
        match file.name.as_str() {
            "Chart.yaml" => {
                let text = utf8(&file, &at("Chart.yaml"))?;
                metadata = Some(Metadata::parse(text).map_err(|m| error(at("Chart.yaml"), m))?);
            }
            "Chart.lock" => lock = Some(std::sync::Arc::unwrap_or_clone(file.data)),
            "values.yaml" => {
                let text = utf8(&file, &at("values.yaml"))?;
                const WHOSE: &str = "cannot load values.yaml";
                values = match crate::yaml::parse(text).map_err(|e| {
                    error(
                        at("values.yaml"),
                        crate::yaml::values_error(WHOSE, e).to_string(),
                    )
                })? {
                    serde_json::Value::Object(m) => m,
                    serde_json::Value::Null => Values::new(),
                    other => {
                        return Err(error(
                            at("values.yaml"),
                            crate::yaml::values_not_a_map(WHOSE, &other),
                        )
                        .with_hint("write values.yaml as a map of keys to values"));
                    }
                };
                values_raw = Some(std::sync::Arc::unwrap_or_clone(file.data));
            }
            "values.schema.json" => schema = Some(std::sync::Arc::unwrap_or_clone(file.data)),
            name if name.starts_with("templates/") => templates.push(file),
            name if name.starts_with("charts/") && !name.ends_with(".prov") => {
                let rest = &name["charts/".len()..];
                let sub = rest.split('/').next().unwrap_or_default().to_string();
                sub_files.entry(sub).or_default().push(file);
            }
            _ => other.push(file),
        }
    }
    let Some(metadata) = metadata else {
        return Err(error(
            at("Chart.yaml"),
            "file is missing: a chart needs a Chart.yaml",
        ));
    };

    let mut subcharts = Vec::new();
    for (name, files) in sub_files {
        if name.starts_with(['_', '.']) {
            continue;
        }
        let sub_origin = format!("{origin}charts/{name}");
        let chart = if name.ends_with(".tgz") {
            let Some(file) = files
                .into_iter()
                .find(|f| f.name == format!("charts/{name}"))
            else {
                continue;
            };
            let archive_files = read_archive(&file.data).map_err(|m| error(&sub_origin, m))?;
            load_files(archive_files, &format!("{sub_origin}:"))?
        } else {
            let inner: Vec<File> = files
                .into_iter()
                .filter_map(|f| {
                    let rest = f.name.splitn(3, '/').nth(2)?.to_string();
                    Some(File {
                        name: rest,
                        data: f.data,
                    })
                })
                .collect();
            if inner.is_empty() {
                continue;
            }
            load_files(inner, &format!("{sub_origin}/"))?
        };
        subcharts.push(chart);
    }
    subcharts.sort_by(|a, b| a.name().cmp(b.name()));
    templates.sort_by(|a, b| a.name.cmp(&b.name));
    other.sort_by(|a, b| a.name.cmp(&b.name));

    Ok(Chart {
        metadata,
        values,
        values_raw,
        lock,
        schema,
        templates,
        files: other,
        subcharts,
        outside_links: Vec::new(),
    })
}

fn utf8<'a>(file: &'a File, shown: &str) -> Result<&'a str, LoadError> {
    std::str::from_utf8(&file.data).map_err(|_| error(shown, "is not valid UTF-8 text"))
}
