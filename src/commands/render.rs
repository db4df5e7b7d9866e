//! `rudder render`: the flags as a project request; print, check or write the result.

use super::project_request;
use crate::action::project::{self, Written};
use crate::cli::RenderArgs;

pub fn run(args: RenderArgs) -> anyhow::Result<i32> {
    let req = project_request(&args.project)?;
    let (project, jobs) = project::load(&req)?;
    let rendered = project::render_all(&jobs, req.funcs)?;
    for w in rendered.iter().flat_map(|r| &r.warnings) {
        eprintln!("{w}");
    }
    if let Some(dir) = &args.check {
        let problems = project::check(dir, &project, &req.environments, &rendered)?;
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
            let mut text = String::new();
            for done in project::write(dir, &project, &req.environments, &rendered, args.prune)? {
                match done {
                    Written::Release(path) => text.push_str(&format!("wrote {}\n", path.display())),
                    Written::Stale(path, why) => {
                        text.push_str(&format!("removed {}/ ({why})\n", path.display()))
                    }
                    Written::Foreign {
                        path,
                        removed: true,
                    } => text.push_str(&format!("removed {}\n", path.display())),
                    Written::Foreign {
                        path,
                        removed: false,
                    } => eprintln!(
                        "warning: `{}` was not written by rudder; `--prune` removes it",
                        path.display()
                    ),
                }
            }
            crate::output::print(&text)?;
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
