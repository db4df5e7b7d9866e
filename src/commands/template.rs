//! `rudder template`: the arguments as a release request; print or write the result.

use std::path::PathBuf;

use anyhow::{Context as _, bail};

use crate::action::release::{ReleaseRequest, ValueSources, render_release, write_tree};
use crate::cli::{TemplateArgs, ValueArgs};
use crate::engine::{KubeVersion, ReleaseInfo, RenderOptions};
use crate::manifest::{self, Selection};

/// Validated options of one `rudder template` run.
#[derive(Debug)]
pub struct TemplateOptions {
    pub request: ReleaseRequest,
    pub output_dir: Option<PathBuf>,
}

/// The typed value flags as the action's value sources.
pub fn value_sources(args: ValueArgs) -> ValueSources {
    ValueSources {
        values: args.values,
        set: args.set,
        set_string: args.set_string,
        set_file: args.set_file,
        set_json: args.set_json,
        set_literal: args.set_literal,
    }
}

impl TryFrom<TemplateArgs> for TemplateOptions {
    type Error = anyhow::Error;

    fn try_from(args: TemplateArgs) -> anyhow::Result<TemplateOptions> {
        let now = crate::action::clock::now(args.now.as_deref())?;
        let funcs = crate::engine::funcs::FuncOptions {
            now,
            seed: args.seed,
        };
        let (name, chart) = match (args.positional.as_slice(), &args.name_template) {
            ([chart], Some(template)) => (
                crate::engine::gotmpl::render_text("name-template", template, funcs)?,
                chart.clone(),
            ),
            ([chart], None) => ("release-name".to_string(), chart.clone()),
            ([name, chart], _) => (name.clone(), chart.clone()),
            _ => bail!("expected `[NAME] CHART`"),
        };
        crate::names::release(&name)?;
        let kube_version = match &args.kube_version {
            Some(v) => KubeVersion::parse(v)?,
            None => KubeVersion::default(),
        };
        let request = ReleaseRequest {
            chart: PathBuf::from(chart),
            values: value_sources(args.values),
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
                funcs,
            },
            selection: Selection {
                include_crds: args.include_crds,
                skip_tests: args.skip_tests,
                no_hooks: args.no_hooks,
                show_only: args.show_only,
            },
            skip_schema_validation: args.skip_schema_validation,
        };
        Ok(TemplateOptions {
            request,
            output_dir: args.output_dir,
        })
    }
}

pub fn run(opts: TemplateOptions) -> anyhow::Result<()> {
    let mut warnings = Vec::new();
    let result = render_release(&opts.request, &mut warnings);
    for w in &warnings {
        eprintln!("{w}");
    }
    let manifest = result?;
    match &opts.output_dir {
        None => {
            let text = if opts.request.selection.show_only.is_empty() {
                manifest.stream()
            } else {
                manifest::to_stream(&manifest.main)
            };
            crate::output::print(&text).context("cannot write to standard output")?;
        }
        Some(dir) => {
            let all = manifest.all();
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
