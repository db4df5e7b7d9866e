//! Render one release: what `rudder template` does, as a library call.
//!
//! Load the chart, merge the user's values in Helm's precedence, validate them against
//! the schemas, render every template, and sort the documents into Helm's stream.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};

use crate::chart::Chart;
use crate::chart::constraint::Constraint;
use crate::engine::{self, RenderOptions};
use crate::manifest::{self, Entry, Selection};
use crate::values::sources;
use crate::values::sources::{UserSources, ValuesFile};

/// The user's value sources as given: `-f` paths (`-` is standard input) and the
/// `--set` family, in the order typed.
#[derive(Debug, Clone, Default)]
pub struct ValueSources {
    pub values: Vec<String>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    pub set_file: Vec<String>,
    pub set_json: Vec<String>,
    pub set_literal: Vec<String>,
}

/// One release to render.
#[derive(Debug)]
pub struct ReleaseRequest {
    pub chart: PathBuf,
    pub values: ValueSources,
    pub render: RenderOptions,
    pub selection: Selection,
    pub skip_schema_validation: bool,
}

/// A rendered release: its documents in Helm's order, and the hooks after them.
#[derive(Debug)]
pub struct Manifest {
    pub main: Vec<Entry>,
    pub hooks: Vec<Entry>,
}

impl Manifest {
    /// The stream `helm template` prints.
    pub fn stream(&self) -> String {
        manifest::to_helm_stream(&self.main, &self.hooks)
    }

    /// Every entry, hooks last (the order files are written in).
    pub fn all(&self) -> Vec<Entry> {
        self.main.iter().chain(&self.hooks).cloned().collect()
    }
}

/// Reads the `-f` files (or standard input for `-`), naming the file on failure.
fn read_sources(args: &ValueSources) -> anyhow::Result<UserSources> {
    let mut files = Vec::new();
    for name in &args.values {
        let text = if name == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read values from standard input")?;
            s
        } else {
            std::fs::read_to_string(name).map_err(|e| {
                crate::error::hinted(
                    format!("cannot read values file `{name}`: {e}"),
                    "check the path given to -f/--values",
                )
            })?
        };
        files.push(ValuesFile {
            name: name.clone(),
            text,
        });
    }
    Ok(UserSources {
        files,
        set_json: args.set_json.clone(),
        set: args.set.clone(),
        set_string: args.set_string.clone(),
        set_file: args.set_file.clone(),
        set_literal: args.set_literal.clone(),
    })
}

/// The CRD files of the whole tree, as (`<chart path>/crds/<file>`, content).
fn crd_entries(chart: &Chart, prefix: &str, out: &mut Vec<Entry>) -> anyhow::Result<()> {
    for f in chart.crds() {
        let text = f.data.lossy_text().map_err(anyhow::Error::msg)?;
        out.push((format!("{prefix}/{}", f.name), text));
    }
    for sub in &chart.subcharts {
        crd_entries(sub, &format!("{prefix}/charts/{}", sub.name()), out)?;
    }
    Ok(())
}

/// Everything up to the text to print (or the files to write), with no side effects
/// besides reading the chart and values files.
pub fn render_release(
    opts: &ReleaseRequest,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Manifest> {
    let mut chart = crate::chart::load_path(&opts.chart)
        .map_err(anyhow::Error::new)
        .context("cannot load chart")?;
    warnings.extend(chart.outside_links.iter().map(|l| l.warning()));
    if !chart.metadata.kube_version.is_empty() {
        let constraint = Constraint::parse(&chart.metadata.kube_version).map_err(|e| anyhow!(e))?;
        let kube = crate::chart::metadata::parse_version(&opts.render.kube_version.short)?;
        if !constraint.matches(&kube) {
            return Err(crate::error::hinted(
                format!(
                    "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
                    chart.metadata.kube_version, opts.render.kube_version.short
                ),
                "pass the cluster's version with --kube-version",
            ));
        }
    }
    if chart.metadata.is_library() {
        return Err(crate::error::hinted(
            format!(
                "chart `{}` is a library chart and cannot be rendered on its own",
                chart.name()
            ),
            "render a chart that depends on it",
        ));
    }
    let user_sources = read_sources(&opts.values)?;
    let read_file = |path: &str| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))
    };
    let user = sources::merge_user_values(&user_sources, &read_file, warnings)?;
    let set_ints = serde_json::Value::Object(sources::set_integers(&user_sources));
    crate::chart::dependencies::check_missing(&chart, chart.name())?;
    let values = crate::values::for_render(&mut chart, user, warnings)?;
    if !opts.skip_schema_validation {
        crate::values::schema::validate(&chart, &values)?;
    }
    let rendered = engine::render(&chart, values, Some(&set_ints), &opts.render)?;
    // The documents hold the text from here on.
    let built = manifest::build(rendered.files)?;
    // CRD files are read only when they are printed.
    let mut crds = Vec::new();
    if opts.selection.include_crds {
        crd_entries(&chart, chart.name(), &mut crds)?;
    }
    let (main, hooks) = manifest::entries(built, crds, &opts.selection).map_err(|e| anyhow!(e))?;
    Ok(Manifest { main, hooks })
}

/// Writes `--output-dir`: each top folder (the chart's name) is written in full beside
/// the old one and swapped in, so an interrupted run never leaves old and new files
/// mixed. Files of the folder that this render does not write are gone afterwards, as
/// they belonged to an older render of the chart; other entries of `dir` stay.
pub fn write_tree(dir: &Path, all: &[Entry]) -> anyhow::Result<()> {
    let out = crate::output::OutputDir::lock(dir)
        .with_context(|| format!("cannot write `{}`", dir.display()))?;
    let mut trees: std::collections::BTreeMap<PathBuf, Vec<(PathBuf, String)>> =
        std::collections::BTreeMap::new();
    for (path, text) in crate::output::plan_files(Path::new(""), all) {
        let mut parts = path.components();
        let top = PathBuf::from(parts.next().map(|c| c.as_os_str()).unwrap_or_default());
        trees
            .entry(top)
            .or_default()
            .push((parts.as_path().to_path_buf(), text));
    }
    for (top, files) in &trees {
        out.replace(top, files)
            .with_context(|| format!("cannot write `{}`", dir.join(top).display()))?;
    }
    Ok(())
}
