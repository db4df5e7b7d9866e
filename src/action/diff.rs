//! Compare two renders object by object: two environments of the project, the project
//! at a git revision against the working tree, two values sets of one chart, or two
//! rendered files or folders.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};

use super::project::{ProjectRequest, render_all};
use crate::diff::{self, Object};
use crate::project::Project;

/// What to compare. `sides` are two environments or two files/folders, or with `base`
/// the environments to compare with the revision; `chart` compares two values sets.
#[derive(Debug, Clone)]
pub struct DiffRequest {
    pub project: ProjectRequest,
    pub sides: Vec<String>,
    pub base: Option<String>,
    pub chart: Option<PathBuf>,
    pub left_values: Vec<PathBuf>,
    pub right_values: Vec<PathBuf>,
}

/// How the objects of a project's render are scoped: by environment and release
/// (one environment against itself at another revision), or by release only (two
/// environments against each other).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeBy {
    EnvironmentAndRelease,
    Release,
}

/// Renders the chosen environment's releases and reads their objects.
fn render_env(
    project: &Project,
    env: &str,
    releases: &[String],
    f: crate::engine::funcs::FuncOptions,
    by: ScopeBy,
) -> anyhow::Result<Vec<Object>> {
    let jobs = project
        .jobs(&[env.to_string()], releases)
        .map_err(|e| anyhow!(e))?;
    let env_order = project
        .environment_order
        .iter()
        .position(|e| e == env)
        .unwrap_or(usize::MAX);
    let mut objects = Vec::new();
    for r in render_all(&jobs, f)? {
        let release_order = project
            .releases
            .iter()
            .position(|x| x.name == r.job.release)
            .unwrap_or(usize::MAX);
        let scope = match by {
            ScopeBy::EnvironmentAndRelease => diff::Scope {
                order: env_order
                    .saturating_mul(10_000)
                    .saturating_add(release_order),
                environment: env.to_string(),
                release: r.job.release.clone(),
            },
            ScopeBy::Release => diff::Scope {
                order: release_order,
                environment: String::new(),
                release: r.job.release.clone(),
            },
        };
        objects.extend(
            diff::objects(&r.stream, &format!("{env}/{}", r.job.release), &scope)
                .map_err(|e| anyhow!(e))?,
        );
    }
    Ok(objects)
}

/// Objects of a rendered file, or of every file under a folder.
fn read_side(path: &Path) -> anyhow::Result<Vec<Object>> {
    let mut objects = Vec::new();
    if path.is_dir() {
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            let entry = entry?;
            if entry.file_type().is_file() {
                let text = std::fs::read_to_string(entry.path())
                    .with_context(|| format!("cannot read `{}`", entry.path().display()))?;
                objects.extend(
                    diff::objects(
                        &text,
                        &entry.path().display().to_string(),
                        &diff::Scope::default(),
                    )
                    .map_err(|e| anyhow!(e))?,
                );
            }
        }
    } else {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        objects.extend(
            diff::objects(&text, &path.display().to_string(), &diff::Scope::default())
                .map_err(|e| anyhow!(e))?,
        );
    }
    Ok(objects)
}

/// The project as it was at `rev`, unpacked into `into` (the working tree is untouched).
fn project_at(project_file: &Path, rev: &str, into: &Path) -> anyhow::Result<PathBuf> {
    let dir = project_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let git = |args: &[&str]| -> anyhow::Result<Vec<u8>> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .context("cannot run git (needed for --base)")?;
        if !out.status.success() {
            bail!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(out.stdout)
    };
    let top = git(&["rev-parse", "--show-toplevel"]).map_err(|e| {
        crate::error::hinted(
            format!("--base {rev}: the project is not in a git repository ({e})"),
            "--base compares with a git revision; run it in the repository holding rudder.yaml",
        )
    })?;
    let top = String::from_utf8(top)?.trim().to_string();
    let prefix = String::from_utf8(git(&["rev-parse", "--show-prefix"])?)?
        .trim()
        .to_string();
    let tar = std::process::Command::new("git")
        .arg("-C")
        .arg(&top)
        .args(["archive", "--format=tar", rev])
        .output()
        .context("cannot run git archive")?;
    if !tar.status.success() {
        bail!(
            "git archive {rev}: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        );
    }
    tar::Archive::new(tar.stdout.as_slice())
        .unpack(into)
        .context("cannot unpack the revision")?;
    let name = project_file.file_name().unwrap_or_default();
    Ok(into.join(prefix).join(name))
}

fn is_env(project: Option<&Project>, name: &str) -> bool {
    project.is_some_and(|p| p.environments.contains_key(name))
}

/// Refuses a flag that the chosen mode would ignore.
fn unused(given: bool, what: &str, mode: &str) -> anyhow::Result<()> {
    if given {
        return Err(crate::error::hinted(
            format!("{what} is not used when {mode}"),
            "leave it out, or see `rudder diff --help` for what each form takes",
        ));
    }
    Ok(())
}

/// The objects of the left and right sides.
pub fn sides(req: &DiffRequest) -> anyhow::Result<(Vec<Object>, Vec<Object>)> {
    let f = req.project.funcs;
    let filters = (
        !req.project.environments.is_empty(),
        !req.project.releases.is_empty(),
    );
    let (left, right) = if let Some(chart) = &req.chart {
        let mode = "comparing two values sets of one chart (--chart)";
        unused(!req.sides.is_empty(), "LEFT RIGHT", mode)?;
        unused(filters.0, "--env", mode)?;
        unused(filters.1, "--release", mode)?;
        let side = |values: &[PathBuf], flag: &str| -> anyhow::Result<Vec<Object>> {
            let job = crate::project::Job {
                environment: String::new(),
                release: "release-name".into(),
                chart: chart.clone(),
                namespace: "default".into(),
                values: values.to_vec(),
                set: Vec::new(),
                kube_version: None,
                api_versions: Vec::new(),
            };
            let r = render_all(std::slice::from_ref(&job), f)
                .map_err(|e| e.context(format!("the side of {flag}")))?;
            diff::objects(
                &r[0].stream,
                &chart.display().to_string(),
                &diff::Scope::default(),
            )
            .map_err(|e| anyhow!(e))
        };
        (
            side(&req.left_values, "--left-values")?,
            side(&req.right_values, "--right-values")?,
        )
    } else if let Some(rev) = &req.base {
        let (project, _) = super::project::load(&req.project)?;
        // The environments to compare: those named (as LEFT RIGHT or with --env), else all.
        let mut envs: Vec<String> = Vec::new();
        for name in req.sides.iter().chain(&req.project.environments) {
            if !project.environments.contains_key(name) {
                return Err(crate::error::hinted(
                    format!("`{name}` is not an environment of the project"),
                    format!(
                        "with --base, name environments to compare (the project has: {})",
                        project.environment_order.join(", ")
                    ),
                ));
            }
            if !envs.contains(name) {
                envs.push(name.clone());
            }
        }
        let tmp = tempfile::tempdir()?;
        let old_file = project_at(&req.project.project, rev, tmp.path())?;
        let old = Project::load(&old_file).map_err(|e| e.context(format!("at {rev}")))?;
        if envs.is_empty() {
            envs = project.environment_order.clone();
            // An environment removed since the revision shows as removed objects.
            for e in &old.environment_order {
                if !envs.contains(e) {
                    envs.push(e.clone());
                }
            }
        }
        let by = ScopeBy::EnvironmentAndRelease;
        let (mut l, mut r) = (Vec::new(), Vec::new());
        for env in &envs {
            if old.environments.contains_key(env) {
                l.extend(render_env(&old, env, &req.project.releases, f, by)?);
            }
            if project.environments.contains_key(env) {
                r.extend(render_env(&project, env, &req.project.releases, f, by)?);
            }
        }
        (l, r)
    } else {
        let [a, b] = req.sides.as_slice() else {
            bail!("give two environments or two rendered files/folders, or --base REV");
        };
        let project = Project::load(&req.project.project).ok();
        if is_env(project.as_ref(), a) && is_env(project.as_ref(), b) {
            unused(
                filters.0,
                "--env",
                "comparing two environments (they are LEFT and RIGHT)",
            )?;
            let project = project.as_ref().ok_or_else(|| anyhow!("no project"))?;
            let by = ScopeBy::Release;
            (
                render_env(project, a, &req.project.releases, f, by)?,
                render_env(project, b, &req.project.releases, f, by)?,
            )
        } else {
            for side in [a, b] {
                if !Path::new(side).exists() && !is_env(project.as_ref(), side) {
                    return Err(crate::error::hinted(
                        format!(
                            "`{side}` is neither an environment of the project nor a file or folder"
                        ),
                        "name two environments of rudder.yaml, or two rendered files or folders",
                    ));
                }
            }
            let mode = "comparing rendered files or folders";
            unused(filters.0, "--env", mode)?;
            unused(filters.1, "--release", mode)?;
            (read_side(Path::new(a))?, read_side(Path::new(b))?)
        }
    };
    Ok((left, right))
}
