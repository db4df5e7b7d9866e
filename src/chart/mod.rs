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

/// A values table (`values.yaml`, merged values): keys to JSON values.
pub type Values = serde_json::Map<String, serde_json::Value>;

/// A file of a chart, by its `/`-separated path relative to the chart root.
#[derive(Debug, Clone)]
pub struct File {
    pub name: String,
    /// Shared, not copied: every render hands the chart's files to `.Files`, and a chart
    /// may carry megabytes of them.
    pub data: std::sync::Arc<Vec<u8>>,
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
