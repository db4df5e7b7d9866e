//! Render a project: every release of the chosen environments, in parallel; check a
//! folder against the result, or write the result into it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, anyhow};

use super::release::{ReleaseRequest, ValueSources, render_release};
use crate::engine::{KubeVersion, ReleaseInfo, RenderOptions};
use crate::manifest::Selection;
use crate::project::{Job, Project};

/// One rendered release: the stream `helm template` would print, and its files.
pub struct Rendered {
    pub job: Job,
    pub stream: String,
    /// Paths relative to the release folder (`<chart>/templates/x.yaml`), with content.
    pub files: Vec<(PathBuf, String)>,
    /// What the render warned about.
    pub warnings: Vec<String>,
}

fn request(job: &Job, funcs: crate::engine::funcs::FuncOptions) -> anyhow::Result<ReleaseRequest> {
    let kube_version = match &job.kube_version {
        Some(v) => KubeVersion::parse(v)?,
        None => KubeVersion::default(),
    };
    Ok(ReleaseRequest {
        chart: job.chart.clone(),
        values: ValueSources {
            values: job.values.iter().map(|p| p.display().to_string()).collect(),
            set: job.set.clone(),
            ..ValueSources::default()
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
        skip_schema_validation: false,
    })
}

fn render_job(job: &Job, funcs: crate::engine::funcs::FuncOptions) -> anyhow::Result<Rendered> {
    let opts = request(job, funcs)?;
    let mut warnings = Vec::new();
    let manifest = render_release(&opts, &mut warnings).map_err(|e| {
        if job.environment.is_empty() {
            e
        } else {
            e.context(format!(
                "environment `{}`, release `{}`",
                job.environment, job.release
            ))
        }
    })?;
    let warnings = warnings
        .into_iter()
        .map(|w| {
            if job.environment.is_empty() {
                w
            } else {
                format!("{}/{}: {w}", job.environment, job.release)
            }
        })
        .collect();
    let files = crate::output::plan_files(Path::new(""), &manifest.all());
    Ok(Rendered {
        job: job.clone(),
        stream: manifest.stream(),
        files,
        warnings,
    })
}

/// Renders the jobs on every core; results come back in job order.
pub fn render_all(
    jobs: &[Job],
    funcs: crate::engine::funcs::FuncOptions,
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
                    .stack_size(crate::limits::COMMAND_STACK)
                    .spawn_scoped(s, || {
                        crate::engine::stack_holds_a_render();
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

/// Which releases of which project to render.
#[derive(Debug, Clone)]
pub struct ProjectRequest {
    pub project: PathBuf,
    /// Only these environments (all when empty).
    pub environments: Vec<String>,
    /// Only these releases (all when empty).
    pub releases: Vec<String>,
    pub funcs: crate::engine::funcs::FuncOptions,
}

/// Loads the project and its jobs.
pub fn load(req: &ProjectRequest) -> anyhow::Result<(Project, Vec<Job>)> {
    let project = Project::load(&req.project)?;
    let jobs = project
        .jobs(&req.environments, &req.releases)
        .map_err(|e| anyhow!(e))?;
    Ok((project, jobs))
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

/// Compares fresh renders with `dir`: the lines to report (empty when up to date),
/// leftovers, stale and foreign entries of the folder included.
pub fn check(
    dir: &Path,
    project: &Project,
    environments: &[String],
    rendered: &[Rendered],
) -> anyhow::Result<Vec<String>> {
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
    let surplus = crate::rendered::surplus(dir, project, environments)
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
    Ok(problems)
}

/// What writing a project's folder did, in order.
pub enum Written {
    /// A release folder written.
    Release(PathBuf),
    /// A folder of an environment or release the project no longer has, removed.
    Stale(PathBuf, String),
    /// A file rudder did not write, removed (`prune`) or left (and to be reported).
    Foreign { path: PathBuf, removed: bool },
}

/// Writes every release into `dir/<env>/<release>/` (each swapped in whole), removes
/// stale folders, and removes foreign files when `prune` is set; `dir` is locked
/// meanwhile.
pub fn write(
    dir: &Path,
    project: &Project,
    environments: &[String],
    rendered: &[Rendered],
    prune: bool,
) -> anyhow::Result<Vec<Written>> {
    let mut done = Vec::new();
    let out = crate::output::OutputDir::lock(dir)
        .map_err(|e| anyhow!("cannot write `{}`: {e}", dir.display()))?;
    for r in rendered {
        let rel = Path::new(&r.job.environment).join(&r.job.release);
        out.replace(&rel, &r.files)
            .map_err(|e| anyhow!("cannot write `{}`: {e}", release_dir(dir, r).display()))?;
        done.push(Written::Release(release_dir(dir, r)));
    }
    let surplus = crate::rendered::surplus(dir, project, environments)
        .with_context(|| format!("cannot read `{}`", dir.display()))?;
    for (path, why) in surplus.stale {
        out.remove_dir(&path)
            .with_context(|| format!("cannot remove `{}`", path.display()))?;
        done.push(Written::Stale(path, why));
    }
    for path in surplus.foreign {
        if prune {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove `{}`", path.display()))?;
        }
        done.push(Written::Foreign {
            path,
            removed: prune,
        });
    }
    Ok(done)
}
