//! `rudder render`: every release of the project for each environment, in parallel.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, anyhow};

use super::template::{TemplateOptions, render_chart};
use crate::cli::{ProjectArgs, RenderArgs, ValueArgs};
use crate::manifest::{self, Selection};
use crate::project::{Job, Project};
use crate::render::{KubeVersion, ReleaseInfo, RenderOptions};

/// One rendered release: the stream `helm template` would print, and its files.
pub struct Rendered {
    pub job: Job,
    pub stream: String,
    /// Paths relative to the release folder (`<chart>/templates/x.yaml`), with content.
    pub files: Vec<(PathBuf, String)>,
}

fn options(job: &Job, funcs: crate::render::funcs::FuncOptions) -> anyhow::Result<TemplateOptions> {
    let kube_version = match &job.kube_version {
        Some(v) => KubeVersion::parse(v).map_err(|e| anyhow!(e))?,
        None => KubeVersion::default(),
    };
    Ok(TemplateOptions {
        chart: job.chart.clone(),
        values: ValueArgs {
            values: job.values.iter().map(|p| p.display().to_string()).collect(),
            set: job.set.clone(),
            ..ValueArgs::default()
        },
        render: RenderOptions {
            release: ReleaseInfo {
                name: job.release.clone(),
                namespace: job.namespace.clone(),
                is_upgrade: false,
            },
            kube_version,
            api_versions: job.api_versions.clone(),
            strict: false,
            funcs,
        },
        selection: Selection::default(),
        output_dir: None,
        skip_schema_validation: false,
    })
}

fn render_job(job: &Job, funcs: crate::render::funcs::FuncOptions) -> anyhow::Result<Rendered> {
    let opts = options(job, funcs)?;
    let mut warnings = Vec::new();
    let (main, hooks) = render_chart(&opts, &mut warnings).map_err(|e| {
        if job.environment.is_empty() {
            e
        } else {
            e.context(format!(
                "environment `{}`, release `{}`",
                job.environment, job.release
            ))
        }
    })?;
    for w in warnings {
        if job.environment.is_empty() {
            eprintln!("{w}");
        } else {
            eprintln!("{}/{}: {w}", job.environment, job.release);
        }
    }
    let stream = manifest::to_helm_stream(&main, &hooks);
    let all: Vec<_> = main.into_iter().chain(hooks).collect();
    let files = crate::output::plan_files(Path::new(""), &all);
    Ok(Rendered {
        job: job.clone(),
        stream,
        files,
    })
}

/// Renders the jobs on every core; results come back in job order.
pub fn render_all(
    jobs: &[Job],
    funcs: crate::render::funcs::FuncOptions,
) -> anyhow::Result<Vec<Rendered>> {
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let mut results: Vec<(usize, anyhow::Result<Rendered>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                // Values files are parsed on these threads: their stack must hold the
                // deepest document the limits allow, as the main command thread does.
                std::thread::Builder::new()
                    .stack_size(crate::COMMAND_STACK)
                    .spawn_scoped(s, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(job) = jobs.get(i) else { break };
                            done.push((i, render_job(job, funcs)));
                        }
                        done
                    })
            })
            .collect();
        let mut all = Vec::new();
        for handle in handles {
            match handle.map(|h| h.join()) {
                Ok(Ok(done)) => all.extend(done),
                // A lost worker must not silently drop its releases from the result.
                Ok(Err(_)) => anyhow::bail!("a render worker crashed (this is a bug in rudder)"),
                Err(e) => anyhow::bail!("cannot start a render worker: {e}"),
            }
        }
        Ok(all)
    })?;
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Loads the project and its jobs from the flags.
pub fn jobs(args: &ProjectArgs) -> anyhow::Result<(Project, Vec<Job>)> {
    let project = Project::load(&args.project)?;
    let jobs = project
        .jobs(&args.env, &args.release)
        .map_err(|e| anyhow!(e))?;
    Ok((project, jobs))
}

pub fn funcs(args: &ProjectArgs) -> anyhow::Result<crate::render::funcs::FuncOptions> {
    let now = super::template::clock(
        args.now.as_deref(),
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
    )?;
    Ok(crate::render::funcs::FuncOptions {
        now,
        seed: args.seed,
    })
}

fn release_dir(root: &Path, r: &Rendered) -> PathBuf {
    root.join(&r.job.environment).join(&r.job.release)
}

/// Every file under `dir`, relative to it.
fn files_on_disk(dir: &Path) -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_path_buf();
            out.insert(rel, std::fs::read(entry.path())?);
        }
    }
    Ok(out)
}

/// Compares fresh renders with `dir`: the lines to report (empty when up to date).
fn check(dir: &Path, rendered: &[Rendered]) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    for leftover in crate::output::leftovers(dir, 1) {
        problems.push(format!(
            "leftover: {} (from an interrupted render; the next `render -o` removes it)",
            leftover.display()
        ));
    }
    for r in rendered {
        let base = release_dir(dir, r);
        let mut disk = files_on_disk(&base)?;
        for (path, text) in &r.files {
            let shown = base.join(path).display().to_string();
            match disk.remove(path) {
                None => problems.push(format!("missing: {shown}")),
                Some(bytes) if bytes != text.as_bytes() => {
                    problems.push(format!("stale:   {shown}"))
                }
                Some(_) => {}
            }
        }
        for extra in disk.keys() {
            problems.push(format!("extra:   {}", base.join(extra).display()));
        }
    }
    Ok(problems)
}

pub fn run(args: RenderArgs) -> anyhow::Result<i32> {
    let (project, jobs) = jobs(&args.project)?;
    let funcs = funcs(&args.project)?;
    let rendered = render_all(&jobs, funcs)?;
    if let Some(dir) = &args.check {
        let mut problems = check(dir, &rendered)?;
        let surplus = crate::rendered::surplus(dir, &project, &args.project.env)
            .with_context(|| format!("cannot read `{}`", dir.display()))?;
        for (path, why) in &surplus.stale {
            problems.push(format!("stale:   {}/ ({why})", path.display()));
        }
        for path in &surplus.foreign {
            problems.push(format!(
                "extra:   {} (not written by rudder)",
                path.display()
            ));
        }
        if problems.is_empty() {
            crate::output::print(&format!(
                "up to date: {} release(s) in {}\n",
                rendered.len(),
                dir.display()
            ))?;
            return Ok(0);
        }
        let mut text = problems.join("\n");
        text.push_str(&format!(
            "\n{} problem(s); run `rudder render -o {}` to refresh\n",
            problems.len(),
            dir.display()
        ));
        crate::output::print(&text)?;
        return Ok(1);
    }
    match &args.output_dir {
        Some(dir) => {
            let out = crate::output::OutputDir::lock(dir)
                .map_err(|e| anyhow!("cannot write `{}`: {e}", dir.display()))?;
            for r in &rendered {
                let rel = Path::new(&r.job.environment).join(&r.job.release);
                out.replace(&rel, &r.files).map_err(|e| {
                    anyhow!("cannot write `{}`: {e}", release_dir(dir, r).display())
                })?;
                crate::output::print(&format!("wrote {}\n", release_dir(dir, r).display()))?;
            }
            let surplus = crate::rendered::surplus(dir, &project, &args.project.env)
                .with_context(|| format!("cannot read `{}`", dir.display()))?;
            for (path, why) in &surplus.stale {
                out.remove_dir(path)
                    .with_context(|| format!("cannot remove `{}`", path.display()))?;
                crate::output::print(&format!("removed {}/ ({why})\n", path.display()))?;
            }
            for path in &surplus.foreign {
                if args.prune {
                    std::fs::remove_file(path)
                        .with_context(|| format!("cannot remove `{}`", path.display()))?;
                    crate::output::print(&format!("removed {}\n", path.display()))?;
                } else {
                    eprintln!(
                        "warning: `{}` was not written by rudder; `--prune` removes it",
                        path.display()
                    );
                }
            }
        }
        None => {
            let several = rendered.len() > 1;
            let mut text = String::new();
            for r in &rendered {
                if several {
                    text.push_str(&format!(
                        "# rudder: environment {}, release {}\n",
                        r.job.environment, r.job.release
                    ));
                }
                text.push_str(&r.stream);
            }
            crate::output::print(&text)?;
        }
    }
    Ok(0)
}
