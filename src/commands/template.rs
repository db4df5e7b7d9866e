//! `rudder template`: load, coalesce, render, sort, print or write.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};

use crate::chart::Chart;
use crate::chart::constraint::Constraint;
use crate::cli::{TemplateArgs, ValueArgs};
use crate::manifest::{self, Entry, Selection};
use crate::render::{self, KubeVersion, ReleaseInfo, RenderOptions};
use crate::values::sources;
use crate::values::sources::{UserSources, ValuesFile};

/// Validated options of one `rudder template` run.
#[derive(Debug)]
pub struct TemplateOptions {
    pub chart: PathBuf,
    pub values: ValueArgs,
    pub render: RenderOptions,
    pub selection: Selection,
    pub output_dir: Option<PathBuf>,
    pub skip_schema_validation: bool,
}

impl TryFrom<TemplateArgs> for TemplateOptions {
    type Error = anyhow::Error;

    fn try_from(args: TemplateArgs) -> anyhow::Result<TemplateOptions> {
        let (name, chart) = match args.positional.as_slice() {
            [chart] => ("release-name".to_string(), chart.clone()),
            [name, chart] => (name.clone(), chart.clone()),
            _ => bail!("expected `[NAME] CHART`"),
        };
        crate::names::release(&name).map_err(crate::names::InvalidName::into_error)?;
        let now = clock(
            args.now.as_deref(),
            std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        )?;
        let kube_version = match &args.kube_version {
            Some(v) => KubeVersion::parse(v).map_err(|e| anyhow!(e))?,
            None => KubeVersion::default(),
        };
        Ok(TemplateOptions {
            chart: PathBuf::from(chart),
            values: args.values,
            render: RenderOptions {
                release: ReleaseInfo {
                    name,
                    namespace: args.namespace,
                    is_upgrade: args.is_upgrade,
                },
                kube_version,
                api_versions: args
                    .api_versions
                    .into_iter()
                    .filter(|a| !a.is_empty())
                    .collect(),
                strict: args.strict,
                funcs: crate::render::funcs::FuncOptions {
                    now,
                    seed: args.seed,
                },
            },
            selection: Selection {
                include_crds: args.include_crds,
                skip_tests: args.skip_tests,
                no_hooks: args.no_hooks,
                show_only: args.show_only,
            },
            output_dir: args.output_dir,
            skip_schema_validation: args.skip_schema_validation,
        })
    }
}

/// The run's `now`: `--now`, else SOURCE_DATE_EPOCH (seconds), else the clock.
pub fn clock(flag: Option<&str>, epoch: Option<&str>) -> anyhow::Result<jiff::Timestamp> {
    if let Some(text) = flag {
        return text.parse::<jiff::Timestamp>().map_err(|e| {
            crate::error::hinted(
                format!("invalid --now `{text}`: {e}"),
                "give a time like 2026-01-02T15:04:05Z",
            )
        });
    }
    if let Some(secs) = epoch.filter(|s| !s.is_empty()) {
        let n: i64 = secs
            .trim()
            .parse()
            .map_err(|_| anyhow!("SOURCE_DATE_EPOCH `{secs}` is not a number of seconds"))?;
        return jiff::Timestamp::from_second(n)
            .map_err(|e| anyhow!("SOURCE_DATE_EPOCH `{secs}`: {e}"));
    }
    Ok(jiff::Timestamp::now())
}

/// Reads the `-f` files (or standard input for `-`), naming the file on failure.
pub fn read_sources(args: &ValueArgs) -> anyhow::Result<UserSources> {
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
fn crd_entries(chart: &Chart, prefix: &str, out: &mut Vec<Entry>) {
    for f in chart.crds() {
        out.push((
            format!("{prefix}/{}", f.name),
            String::from_utf8_lossy(&f.data).into_owned(),
        ));
    }
    for sub in &chart.subcharts {
        crd_entries(sub, &format!("{prefix}/charts/{}", sub.name()), out);
    }
}

/// Everything up to the text to print (or the files to write), with no side effects
/// besides reading the chart and values files.
pub fn render_chart(
    opts: &TemplateOptions,
    warnings: &mut Vec<String>,
) -> anyhow::Result<(Vec<Entry>, Vec<Entry>)> {
    let mut chart = crate::chart::load_path(&opts.chart)
        .map_err(anyhow::Error::new)
        .context("cannot load chart")?;
    warnings.extend(chart.outside_links.iter().map(|l| l.warning()));
    if !chart.metadata.kube_version.is_empty() {
        let constraint = Constraint::parse(&chart.metadata.kube_version).map_err(|e| anyhow!(e))?;
        let kube = crate::chart::metadata::parse_version(&opts.render.kube_version.version)?;
        if !constraint.matches(&kube) {
            return Err(crate::error::hinted(
                format!(
                    "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
                    chart.metadata.kube_version, opts.render.kube_version.version
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
    let user =
        sources::merge_user_values(&user_sources, &read_file, warnings).map_err(|e| anyhow!(e))?;
    crate::chart::dependencies::check_missing(&chart, chart.name()).map_err(|e| {
        crate::error::hinted(
            e,
            "put each dependency into charts/ (a folder or .tgz), as `helm dependency build` does",
        )
    })?;
    let values = crate::values::for_render(&mut chart, user, warnings).map_err(|e| anyhow!(e))?;
    if !opts.skip_schema_validation {
        crate::values::schema::validate(&chart, &values).map_err(|e| {
            crate::error::hinted(
                e,
                "fix the values above, or render with --skip-schema-validation",
            )
        })?;
    }
    let rendered =
        render::render(&chart, &values, &opts.render).map_err(|e| match e.hint.clone() {
            Some(hint) => crate::error::hinted(e.to_string(), hint),
            None => anyhow::Error::new(e),
        })?;
    let built = manifest::build(&rendered.files)?;
    let mut crds = Vec::new();
    crd_entries(&chart, chart.name(), &mut crds);
    let (main, hooks) =
        manifest::entries(&built, &crds, &opts.selection).map_err(|e| anyhow!(e))?;
    Ok((main, hooks))
}

pub fn run(opts: TemplateOptions) -> anyhow::Result<()> {
    let mut warnings = Vec::new();
    let result = render_chart(&opts, &mut warnings);
    for w in &warnings {
        eprintln!("{w}");
    }
    let (main, hooks) = result?;
    match &opts.output_dir {
        None => {
            let text = if opts.selection.show_only.is_empty() {
                manifest::to_helm_stream(&main, &hooks)
            } else {
                manifest::to_stream(&main)
            };
            crate::output::print(&text).context("cannot write to standard output")?;
        }
        Some(dir) => {
            let all: Vec<Entry> = main.into_iter().chain(hooks).collect();
            write_tree(dir, &all)?;
            let mut report = String::new();
            for (source, _) in &all {
                report.push_str(&format!("wrote {}\n", dir.join(source).display()));
            }
            crate::output::print(&report).context("cannot write to standard output")?;
        }
    }
    Ok(())
}

/// Writes `--output-dir`: each top folder (the chart's name) is written in full beside
/// the old one and swapped in, so an interrupted run never leaves old and new files
/// mixed. Files of the folder that this render does not write are gone afterwards, as
/// they belonged to an older render of the chart; other entries of `dir` stay.
fn write_tree(dir: &Path, all: &[Entry]) -> anyhow::Result<()> {
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
