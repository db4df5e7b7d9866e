//! The folder `rudder render -o DIR` owns: `DIR/<environment>/<release>/…`.
//!
//! After a render, DIR holds exactly what the project renders. Folders at the
//! environment and release levels are rudder's: those of environments or releases no
//! longer in the project are stale and removed. Files at those levels were not written
//! by rudder: they are reported, and removed only when asked (`--prune`). `--check`
//! reports both, so a CI check cannot pass over a folder that is not what it says.

use std::path::{Path, PathBuf};

use crate::project::Project;

/// What DIR holds beyond the releases of the project.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Surplus {
    /// Environment or release folders the project no longer has, with why.
    pub stale: Vec<(PathBuf, String)>,
    /// Files rudder does not write (outside every `<environment>/<release>/`).
    pub foreign: Vec<PathBuf>,
}

impl Surplus {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.foreign.is_empty()
    }
}

/// Entries of `dir`, sorted, without the leftovers of interrupted writes (reported on
/// their own).
fn entries(dir: &Path) -> std::io::Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    let leftovers = crate::output::leftovers(dir, 0);
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if leftovers.contains(&path) {
            continue;
        }
        out.push((path, entry.file_type()?.is_dir()));
    }
    out.sort();
    Ok(out)
}

/// Scans `dir` for what does not belong to `project`. Only the environments in `envs`
/// (all when empty) have their release folders examined; environment folders the
/// project does not have at all are stale whatever the selection.
pub fn surplus(dir: &Path, project: &Project, envs: &[String]) -> std::io::Result<Surplus> {
    let mut found = Surplus::default();
    if !dir.is_dir() {
        return Ok(found);
    }
    for (path, is_dir) in entries(dir)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !is_dir {
            found.foreign.push(path);
            continue;
        }
        if !project.environments.contains_key(&name) {
            found
                .stale
                .push((path, format!("environment `{name}` is not in the project")));
            continue;
        }
        if !envs.is_empty() && !envs.contains(&name) {
            continue;
        }
        for (inner, is_dir) in entries(&path)? {
            let release = inner
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !is_dir {
                found.foreign.push(inner);
            } else if !project.releases.iter().any(|r| r.name == release) {
                found
                    .stale
                    .push((inner, format!("release `{release}` is not in the project")));
            }
        }
    }
    Ok(found)
}
