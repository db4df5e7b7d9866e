//! A chart as Helm models it: metadata, default values, templates, other files and
//! subcharts, loaded from a folder or an archive.

pub mod archive;
pub mod constraint;
pub mod dependencies;
pub mod ignore;
pub mod loader;
pub mod metadata;
pub mod save;

pub use loader::{load_archive, load_dir, load_path};
pub use metadata::Metadata;

use std::sync::Arc;

/// A values table (`values.yaml`, merged values): keys to JSON values.
pub type Values = serde_json::Map<String, serde_json::Value>;

/// A file of a chart, by its `/`-separated path relative to the chart root.
#[derive(Debug, Clone)]
pub struct File {
    pub name: String,
    pub data: Contents,
}

/// A file's bytes, shared rather than copied (every render hands the chart's files to
/// `.Files`). Files of a chart folder that loading does not need (READMEs, `crds/`, the
/// files templates reach through `.Files`) are read the first time they are asked for: a
/// chart may carry megabytes of them that a render never touches. Loading still opens
/// each one and checks its size, so an unreadable or oversized file fails as before.
#[derive(Debug, Clone)]
pub struct Contents(Arc<Inner>);

#[derive(Debug)]
enum Inner {
    Read(Arc<Vec<u8>>),
    /// A template's UTF-8 text, kept as a `String` so an engine shares it instead of
    /// copying it (a template of CRDs can be a megabyte).
    Text(Arc<String>),
    Deferred {
        path: std::path::PathBuf,
        read: std::sync::OnceLock<Result<Arc<Vec<u8>>, String>>,
    },
}

impl From<Vec<u8>> for Contents {
    fn from(bytes: Vec<u8>) -> Contents {
        Contents(Arc::new(Inner::Read(Arc::new(bytes))))
    }
}

impl Contents {
    /// The contents of `path`, read on first use (see [`read_chart_file`]).
    pub fn deferred(path: std::path::PathBuf) -> Contents {
        Contents(Arc::new(Inner::Deferred {
            path,
            read: std::sync::OnceLock::new(),
        }))
    }

    /// Bytes that are text to the engines (a template): held as a `String` when they
    /// are UTF-8, which [`Contents::text`] then shares.
    pub fn template(bytes: Vec<u8>) -> Contents {
        match String::from_utf8(bytes) {
            Ok(text) => Contents(Arc::new(Inner::Text(Arc::new(text)))),
            Err(e) => e.into_bytes().into(),
        }
    }

    /// The bytes; an error (the file went away or grew over the limit since loading)
    /// names the file and says what happened.
    pub fn bytes(&self) -> Result<&[u8], String> {
        match &*self.0 {
            Inner::Read(bytes) => Ok(bytes),
            Inner::Text(text) => Ok(text.as_bytes()),
            Inner::Deferred { path, read } => read_deferred(path, read).map(|b| b.as_slice()),
        }
    }

    /// The bytes behind a shared pointer: `.Files` hands them to templates as a byte
    /// value without copying them (a chart's CRD files can be megabytes).
    pub fn shared(&self) -> Result<Arc<Vec<u8>>, String> {
        match &*self.0 {
            Inner::Read(bytes) => Ok(bytes.clone()),
            Inner::Text(text) => Ok(Arc::new(text.as_bytes().to_vec())),
            Inner::Deferred { path, read } => read_deferred(path, read).cloned(),
        }
    }

    /// The text, shared, of contents made by [`Contents::template`] from UTF-8 bytes.
    pub fn text(&self) -> Option<Arc<String>> {
        match &*self.0 {
            Inner::Text(text) => Some(text.clone()),
            _ => None,
        }
    }

    /// The bytes as text, invalid UTF-8 replaced (as `String::from_utf8_lossy`).
    pub fn lossy_text(&self) -> Result<String, String> {
        self.bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The bytes, owned (taken without a copy when nothing else holds them).
    pub fn into_vec(self) -> Result<Vec<u8>, String> {
        match Arc::try_unwrap(self.0) {
            Ok(Inner::Read(bytes)) => Ok(Arc::try_unwrap(bytes).unwrap_or_else(|b| b.to_vec())),
            Ok(Inner::Text(text)) => Ok(Arc::try_unwrap(text)
                .map(String::into_bytes)
                .unwrap_or_else(|t| t.as_bytes().to_vec())),
            Ok(inner) => Contents(Arc::new(inner)).bytes().map(<[u8]>::to_vec),
            Err(shared) => Contents(shared).bytes().map(<[u8]>::to_vec),
        }
    }
}

/// A deferred file's bytes, read on first use.
fn read_deferred<'a>(
    path: &std::path::Path,
    read: &'a std::sync::OnceLock<Result<Arc<Vec<u8>>, String>>,
) -> Result<&'a Arc<Vec<u8>>, String> {
    read.get_or_init(|| {
        read_chart_file(path)
            .map(Arc::new)
            .map_err(|m| format!("{}: {m}", path.display()))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// A chart file's bytes, within the chart file limit, without a UTF-8 byte order mark
/// (Helm drops it).
pub fn read_chart_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    read_open_file(&mut file, size)
}

/// The bytes of an open chart file of `size` bytes (as its metadata said), within the
/// chart file limit (it may have grown since), without a byte order mark. The buffer
/// is sized once: grown by doubling instead, a CRD of 2.5 MB read through `.Files` was
/// copied a dozen times (10 % of a render that reads eight of them).
pub fn read_open_file(file: &mut std::fs::File, size: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let limit = &crate::limits::CHART_FILE;
    let mut data = Vec::with_capacity(usize::try_from(size.min(limit.get())).unwrap_or(0) + 1);
    // Through `take`: `File::read_to_end` would ask the file its size and position again
    // (two more system calls for every file).
    file.take(limit.get().saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| format!("cannot read: {e}"))?;
    limit.check(data.len() as u64, || {
        format!(
            "the file has grown to over {} bytes since loading",
            limit.get()
        )
    })?;
    Ok(without_bom(data))
}

/// The bytes without a UTF-8 byte order mark, which Helm drops from every chart file.
pub fn without_bom(mut data: Vec<u8>) -> Vec<u8> {
    if data.starts_with(b"\xEF\xBB\xBF") {
        data.drain(..3);
    }
    data
}

/// A loaded chart and its subcharts.
#[derive(Debug, Clone)]
pub struct Chart {
    pub metadata: Metadata,
    /// `values.yaml`, parsed.
    pub values: Values,
    /// `values.yaml` as written (packaged and shown as it is).
    pub values_raw: Option<Vec<u8>>,
    /// `Chart.lock`, raw.
    pub lock: Option<Vec<u8>>,
    /// `values.schema.json`, raw.
    pub schema: Option<Vec<u8>>,
    /// Everything under `templates/`, sorted by name.
    pub templates: Vec<File>,
    /// Every other file (README, `crds/`, config files) for `Files`, sorted by name.
    pub files: Vec<File>,
    /// Subcharts from `charts/`, sorted by name.
    pub subcharts: Vec<Chart>,
    /// Symbolic links to files outside the chart folder (their contents are loaded, as
    /// Helm loads them; callers warn about each).
    pub outside_links: Vec<OutsideLink>,
}

/// A file of a chart folder that is a symbolic link to a file outside the folder.
#[derive(Debug, Clone)]
pub struct OutsideLink {
    /// The link, as the user's path to the chart shows it.
    pub path: String,
    /// Where it leads.
    pub target: std::path::PathBuf,
}

impl OutsideLink {
    /// The warning printed for it.
    pub fn warning(&self) -> String {
        format!(
            "warning: `{}` is a symbolic link to `{}`, outside the chart; its contents are included, as Helm includes them",
            self.path,
            self.target.display()
        )
    }
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// The README, found as Helm finds it (readme.md, readme.txt or readme, any case).
    pub fn readme(&self) -> Option<&File> {
        ["readme.md", "readme.txt", "readme"]
            .iter()
            .find_map(|want| {
                self.files
                    .iter()
                    .find(|f| f.name.eq_ignore_ascii_case(want))
            })
    }

    /// The CRD files of this chart (`crds/*`), in name order.
    pub fn crds(&self) -> impl Iterator<Item = &File> {
        self.files.iter().filter(|f| f.name.starts_with("crds/"))
    }
}
