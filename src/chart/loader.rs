//! Loading a chart: bytes from a folder or an archive, then one pure function that
//! builds the `Chart` tree from a list of files, as Helm's `LoadFiles` does.

use crate::error::{Error, Kind};
use std::collections::BTreeMap;
use std::path::Path;

use super::Values;
use super::archive::read_archive;
use super::ignore::Rules;
use super::metadata::Metadata;
use super::{Chart, Contents, File};

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

    // The walk lists the files (and stops at its first error); the files are then
    // opened, on two cores for a large tree. Either way the first error in walk order
    // is the one reported.
    let mut listed: Vec<Result<(String, std::path::PathBuf), LoadError>> = Vec::new();
    let mut outside_links = Vec::new();
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        // By name, as `sort_by_file_name` (Helm walks in lexical order): the entries of
        // one folder are its path joined with each name, so their whole paths order as
        // their names do, compared as bytes without finding each name again.
        .sort_by(|a, b| {
            let (a, b) = (a.path().as_os_str(), b.path().as_os_str());
            a.as_encoded_bytes().cmp(b.as_encoded_bytes())
        })
        .into_iter()
        .filter_entry(|entry| {
            if !entry.file_type().is_dir() {
                return true;
            }
            let rel = relative(dir, entry.path());
            rel.is_empty() || !rules.ignore(&rel, true)
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                listed.push(Err(error(&shown, format!("cannot read chart folder: {e}"))));
                break;
            }
        };
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
        if !entry.file_type().is_file() {
            listed.push(Err(error(
                entry.path().display().to_string(),
                "cannot load an irregular file (device, socket or pipe)",
            )));
            break;
        }
        listed.push(Ok((rel, entry.into_path())));
    }
    /// Below this many files a second thread costs more than it saves.
    const PARALLEL_FROM: usize = 256;
    let opened = crate::parallel::split_in_two(
        listed,
        |_| 1,
        PARALLEL_FROM,
        |part| {
            crate::parallel::until_error(part, |item| {
                let (rel, path) = item?;
                let data = open_chart_file(&path, needed_to_load(&rel))
                    .map_err(|m| error(path.display().to_string(), m))?;
                Ok(File { name: rel, data })
            })
        },
    );
    let files = opened
        .into_iter()
        .collect::<Result<Vec<File>, LoadError>>()?;
    let mut chart = load_files(files, &format!("{}/", shown.trim_end_matches('/')))?;
    chart.outside_links = outside_links;
    Ok(chart)
}

/// A chart file, refused before it is read when over the chart file limit (its size
/// comes from the open file, not a second lookup of the path), and read now only when
/// `read_now`; otherwise on first use.
fn open_chart_file(path: &Path, read_now: bool) -> Result<Contents, String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let limit = &crate::limits::CHART_FILE;
    if size > limit.get() {
        return Err(limit.exceeded(format!("the file has {size} bytes")));
    }
    if !read_now {
        return Ok(Contents::deferred(path.to_path_buf()));
    }
    Ok(super::read_open_file(&mut file, size)?.into())
}

/// Whether loading needs the file at `rel` (a path in the chart folder): Chart.yaml,
/// values, the schema, the lock, templates and chart archives, in the chart or in a
/// subchart folder below `charts/`. The rest waits until something reads it.
fn needed_to_load(rel: &str) -> bool {
    let mut rest = rel;
    while let Some(inner) = rest.strip_prefix("charts/") {
        match inner.split_once('/') {
            Some((_, below)) => rest = below,
            // A file right in `charts/`: a chart archive.
            None => return true,
        }
    }
    matches!(
        rest,
        "Chart.yaml"
            | "values.yaml"
            | "values.schema.json"
            | "Chart.lock"
            | "requirements.yaml"
            | "requirements.lock"
    ) || rest.starts_with("templates/")
}

fn relative(root: &Path, path: &Path) -> String {
    // The walk joins the root and plain names: the root's bytes and a `/` come first
    // (compared as bytes, not component by component).
    let (root_bytes, bytes) = (
        root.as_os_str().as_encoded_bytes(),
        path.as_os_str().as_encoded_bytes(),
    );
    if let Some(rest) = bytes.strip_prefix(root_bytes) {
        let rest = match rest.first() {
            Some(b'/') => Some(&rest[1..]),
            None => Some(rest),
            _ if root_bytes.ends_with(b"/") => Some(rest),
            _ => None,
        };
        if let Some(rest) = rest {
            return String::from_utf8_lossy(rest).into_owned();
        }
    }
    match path.strip_prefix(root) {
        // Below the root the walk joined plain names with `/`: the path as it is.
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    }
}

/// Builds a chart from its files. `origin` prefixes file names in errors.
pub fn load_files(files: Vec<File>, origin: &str) -> Result<Chart, LoadError> {
    build(files, origin, true)
}

/// [`load_files`]; with `split`, the subcharts are built on two cores when there are
/// many (only the top chart splits: its subcharts build theirs on one thread each).
fn build(files: Vec<File>, origin: &str, split: bool) -> Result<Chart, LoadError> {
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
            "Chart.lock" => lock = Some(owned(file, &at("Chart.lock"))?),
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
                values_raw = Some(owned(file, &at("values.yaml"))?);
            }
            "values.schema.json" => {
                schema = Some(owned(file, &at("values.schema.json"))?);
            }
            name if name.starts_with("templates/") => {
                // As text the engines share (the Go engine parses it without a copy).
                let bytes = file.data.into_vec().map_err(|m| error(at(&file.name), m))?;
                templates.push(File {
                    name: file.name,
                    data: Contents::template(bytes),
                });
            }
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

    let jobs: Vec<(String, Vec<File>)> = sub_files
        .into_iter()
        .filter(|(name, _)| !name.starts_with(['_', '.']))
        .collect();
    /// Below this many subcharts a second thread costs more than it saves.
    const PARALLEL_FROM: usize = 4;
    let from = if split { PARALLEL_FROM } else { usize::MAX };
    let built = crate::parallel::split_in_two(
        jobs,
        |_| 1,
        from,
        |part| crate::parallel::until_error(part, |(name, files)| subchart(&name, files, origin)),
    );
    let mut subcharts = Vec::new();
    for chart in built {
        subcharts.extend(chart?);
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

/// The subchart `name` of the chart at `origin`, from its files under `charts/` (a
/// folder's files, or one archive); `None` when there is nothing to load.
fn subchart(name: &str, files: Vec<File>, origin: &str) -> Result<Option<Chart>, LoadError> {
    let sub_origin = format!("{origin}charts/{name}");
    if name.ends_with(".tgz") {
        let Some(file) = files
            .into_iter()
            .find(|f| f.name == format!("charts/{name}"))
        else {
            return Ok(None);
        };
        let bytes = file.data.bytes().map_err(|m| error(&sub_origin, m))?;
        let archive_files = read_archive(bytes).map_err(|m| error(&sub_origin, m))?;
        return build(archive_files, &format!("{sub_origin}:"), false).map(Some);
    }
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
        return Ok(None);
    }
    build(inner, &format!("{sub_origin}/"), false).map(Some)
}

fn utf8<'a>(file: &'a File, shown: &str) -> Result<&'a str, LoadError> {
    let bytes = file.data.bytes().map_err(|m| error(shown, m))?;
    std::str::from_utf8(bytes).map_err(|_| error(shown, "is not valid UTF-8 text"))
}

fn owned(file: File, shown: &str) -> Result<Vec<u8>, LoadError> {
    file.data.into_vec().map_err(|m| error(shown, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walked_path_is_named_below_its_root_however_the_root_is_written() {
        let rows = [
            ("chart", "chart", ""),
            ("chart", "chart/templates/a.yaml", "templates/a.yaml"),
            ("chart/", "chart/templates/a.yaml", "templates/a.yaml"),
            ("chart/", "chart/", ""),
            (".", "./values.yaml", "values.yaml"),
            ("./", "./charts/sub/Chart.yaml", "charts/sub/Chart.yaml"),
            ("a/./chart", "a/./chart/templates/x", "templates/x"),
            ("/tmp/c", "/tmp/c/é.yaml", "é.yaml"),
            // Not below the root as bytes: read component by component.
            ("chart", "chart2/x", "chart2/x"),
        ];
        for (root, path, want) in rows {
            assert_eq!(
                relative(Path::new(root), Path::new(path)),
                want,
                "{root} {path}"
            );
        }
    }

    #[test]
    fn loading_reads_what_it_needs_and_defers_the_rest() {
        for rel in [
            "Chart.yaml",
            "values.yaml",
            "values.schema.json",
            "Chart.lock",
            "templates/deployment.yaml",
            "templates/sub/_helpers.tpl",
            "charts/redis-1.0.0.tgz",
            "charts/redis/Chart.yaml",
            "charts/redis/templates/a.yaml",
            "charts/redis/charts/inner.tgz",
            "charts/redis/charts/inner/values.yaml",
        ] {
            assert!(needed_to_load(rel), "{rel}");
        }
        for rel in [
            "README.md",
            "crds/a.yaml",
            "files/config.json",
            "charts/redis/README.md",
            "charts/redis/crds/a.yaml",
            "ci/values.yaml",
            "other/templates/a.yaml",
        ] {
            assert!(!needed_to_load(rel), "{rel}");
        }
    }

    #[test]
    fn a_deferred_file_is_read_on_first_use_without_its_bom() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("README.md");
        std::fs::write(&path, b"\xEF\xBB\xBFfirst").unwrap();
        let contents = open_chart_file(&path, false).unwrap();
        // Read on first use: the bytes at that time, then kept.
        std::fs::write(&path, b"second").unwrap();
        assert_eq!(contents.bytes().unwrap(), b"second");
        std::fs::write(&path, b"third").unwrap();
        assert_eq!(contents.bytes().unwrap(), b"second");
        // Read now: the byte order mark dropped, as Helm drops it.
        std::fs::write(&path, b"\xEF\xBB\xBFnow").unwrap();
        assert_eq!(
            open_chart_file(&path, true).unwrap().bytes().unwrap(),
            b"now"
        );
    }

    #[test]
    fn a_deferred_file_gone_before_its_use_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, b"x").unwrap();
        let contents = open_chart_file(&path, false).unwrap();
        std::fs::remove_file(&path).unwrap();
        let err = contents.bytes().unwrap_err();
        assert!(
            err.starts_with(&format!("{}: cannot read:", path.display())),
            "{err}"
        );
    }

    #[test]
    fn an_unreadable_file_fails_at_load_even_when_deferred() {
        let dir = tempfile::tempdir().unwrap();
        let err = open_chart_file(&dir.path().join("missing"), false).unwrap_err();
        assert!(err.starts_with("cannot read:"), "{err}");
    }
}
