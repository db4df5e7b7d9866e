//! `rudder dependency list|update|build`: the flags as dependency actions; print.

use crate::action::dependency::{build, read_metadata, status, table, update};
use crate::cli::{DependencyArgs, DependencyCommand};

pub fn run(args: DependencyArgs) -> anyhow::Result<i32> {
    match args.command {
        DependencyCommand::List { chart } => {
            let md = read_metadata(&chart)?;
            if md.dependencies.is_empty() {
                // Helm's words, on stdout as Helm prints them.
                crate::output::print(&format!(
                    "WARNING: no dependencies at {}\n",
                    go_clean(&chart.join("charts").display().to_string())
                ))?;
                return Ok(0);
            }
            let mut rows = vec![["NAME", "VERSION", "REPOSITORY", "STATUS"].map(String::from)];
            for d in &md.dependencies {
                rows.push([
                    d.name.clone(),
                    d.version.clone(),
                    d.repository.clone(),
                    status(&chart, d).to_string(),
                ]);
            }
            crate::output::print(&(table(&rows) + "\n"))?;
        }
        DependencyCommand::Update { chart, devel } => {
            let saved = update(&chart, devel)?;
            crate::output::print(&format!("Saving {saved} charts\n"))?;
        }
        DependencyCommand::Build { chart } => {
            let saved = build(&chart)?;
            crate::output::print(&format!("Saving {saved} charts\n"))?;
        }
    }
    Ok(0)
}

/// Go's `filepath.Clean` (which Helm's `filepath.Join` applies): `.` dropped, `a/..`
/// resolved lexically, repeated `/` folded.
fn go_clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::go_clean;

    #[test]
    fn paths_are_cleaned_as_go_cleans_them() {
        assert_eq!(
            go_clean("/work/main/../shared/c/charts"),
            "/work/shared/c/charts"
        );
        assert_eq!(go_clean("a/./b//c/"), "a/b/c");
        assert_eq!(go_clean("../x/../../y"), "../../y");
        assert_eq!(go_clean("/.."), "/");
        assert_eq!(go_clean("a/.."), ".");
    }
}
