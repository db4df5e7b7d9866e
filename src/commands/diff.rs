//! `rudder diff`: two environments, a git revision against the working tree, or two
//! rendered files or folders, compared object by object.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};

use super::render::{funcs, jobs, render_all};
use crate::cli::{ColorChoice, DiffArgs, DiffFormat};
use crate::diff::{self, Object};
use crate::project::Project;

/// Renders the chosen environment's releases and reads their objects.
fn render_env(
    project: &Project,
    env: &str,
    releases: &[String],
    f: crate::render::funcs::FuncOptions,
) -> anyhow::Result<Vec<Object>> {
    let jobs = project
        .jobs(&[env.to_string()], releases)
        .map_err(|e| anyhow!(e))?;
    let mut objects = Vec::new();
    for r in render_all(&jobs, f)? {
        objects.extend(
            diff::objects(&r.stream, &format!("{env}/{}", r.job.release))
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
                    diff::objects(&text, &entry.path().display().to_string())
                        .map_err(|e| anyhow!(e))?,
                );
            }
        }
    } else {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        objects.extend(diff::objects(&text, &path.display().to_string()).map_err(|e| anyhow!(e))?);
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
    let top = String::from_utf8(git(&["rev-parse", "--show-toplevel"])?)?
        .trim()
        .to_string();
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

pub fn run(args: DiffArgs) -> anyhow::Result<i32> {
    let f = funcs(&args.project)?;
    let (left, right) = if let Some(chart) = &args.chart {
        let side = |values: &[PathBuf]| -> anyhow::Result<Vec<Object>> {
            let job = crate::project::Job {
                environment: "values".into(),
                release: "release-name".into(),
                chart: chart.clone(),
                namespace: "default".into(),
                values: values.to_vec(),
                set: Vec::new(),
                kube_version: None,
                api_versions: Vec::new(),
            };
            let r = render_all(std::slice::from_ref(&job), f)?;
            diff::objects(&r[0].stream, &chart.display().to_string()).map_err(|e| anyhow!(e))
        };
        (side(&args.left_values)?, side(&args.right_values)?)
    } else if let Some(rev) = &args.base {
        let (project, _) = jobs(&args.project)?;
        let envs = if args.project.env.is_empty() {
            project.environment_order.clone()
        } else {
            args.project.env.clone()
        };
        let tmp = tempfile::tempdir()?;
        let old_file = project_at(&args.project.project, rev, tmp.path())?;
        let old = Project::load(&old_file).map_err(|e| e.context(format!("at {rev}")))?;
        let (mut l, mut r) = (Vec::new(), Vec::new());
        for env in &envs {
            if old.environments.contains_key(env) {
                l.extend(render_env(&old, env, &args.project.release, f)?);
            }
            r.extend(render_env(&project, env, &args.project.release, f)?);
        }
        (l, r)
    } else {
        let [a, b] = args.sides.as_slice() else {
            bail!("give two environments or two rendered files/folders, or --env E --base REV");
        };
        let project = Project::load(&args.project.project).ok();
        if is_env(project.as_ref(), a) && is_env(project.as_ref(), b) {
            let project = project.as_ref().ok_or_else(|| anyhow!("no project"))?;
            (
                render_env(project, a, &args.project.release, f)?,
                render_env(project, b, &args.project.release, f)?,
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
            (read_side(Path::new(a))?, read_side(Path::new(b))?)
        }
    };
    let ignore = args
        .ignore
        .iter()
        .map(|p| diff::parse_path(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!(e))?;
    let entries = diff::compare(
        &left,
        &right,
        &diff::Options {
            ignore,
            show_secrets: args.show_secrets,
        },
    );
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let text = match args.output {
        DiffFormat::Text => diff::text_report(&entries, color, args.context),
        DiffFormat::Json => diff::json_report(&entries),
        DiffFormat::Markdown => diff::markdown_report(&entries, args.context),
    };
    crate::output::print(&text)?;
    Ok(if args.exit_code && !entries.is_empty() {
        1
    } else {
        0
    })
}
