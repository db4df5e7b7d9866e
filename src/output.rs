//! Where the manifest goes: stdout, or files under a directory written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::manifest::Entry;

/// Writes `text` to stdout; a closed pipe (`rudder template | head`) is not an error.
pub fn print(text: &str) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(text.as_bytes()).and_then(|()| lock.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// The files `--output-dir` writes, in the order Helm writes them: each entry goes to
/// `<dir>/<source>`, and later documents of the same template are appended.
pub fn plan_files(dir: &Path, entries: &[Entry]) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for entry in entries {
        let path = dir.join(&entry.0);
        match files.iter_mut().find(|(p, _)| *p == path) {
            Some((_, text)) => crate::manifest::push_entry(text, entry),
            None => {
                let mut text = String::new();
                crate::manifest::push_entry(&mut text, entry);
                files.push((path, text));
            }
        }
    }
    files
}

/// Writes one file atomically: a temporary file beside it, renamed over it.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    write_atomic_bytes(path, text.as_bytes())
}

/// `write_atomic` for bytes.
pub fn write_atomic_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
    tmp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // What `os.Create` gives under the usual umask, as Helm's files have.
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// An output folder this run writes into: created, and locked against other rudder runs
/// writing into it at the same time (they wait their turn, up to the lock-wait limit).
/// The lock is the folder's own (an advisory `flock` on it), so it leaves no file
/// behind; it is released when this value is dropped, or when the process dies.
pub struct OutputDir {
    root: PathBuf,
    _lock: std::fs::File,
}

impl OutputDir {
    /// Creates `root` if needed and takes its lock.
    pub fn lock(root: &Path) -> std::io::Result<OutputDir> {
        std::fs::create_dir_all(root)?;
        let handle = std::fs::File::open(root)?;
        let limit = &crate::limits::LOCK_WAIT;
        let started = std::time::Instant::now();
        let mut told = false;
        loop {
            match handle.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {
                    if started.elapsed().as_secs() >= limit.get() {
                        return Err(std::io::Error::other(limit.exceeded(format!(
                            "another rudder is still writing into `{}`",
                            root.display()
                        ))));
                    }
                    if !told {
                        eprintln!(
                            "waiting for another rudder writing into `{}`",
                            root.display()
                        );
                        told = true;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
        Ok(OutputDir {
            root: root.to_path_buf(),
            _lock: handle,
        })
    }

    /// Replaces the folder `rel` (relative to the root) with exactly `files` (paths
    /// relative to it): written in full beside it, then swapped in, so a reader (or a
    /// run killed half-way) never sees a mix of old and new files. Leftovers of an
    /// earlier interrupted run on the same folder are removed first.
    pub fn replace(&self, rel: &Path, files: &[(PathBuf, String)]) -> std::io::Result<()> {
        let target = self.root.join(rel);
        if let Ok(meta) = target.symlink_metadata()
            && !meta.is_dir()
        {
            // Swapping would put the user's file (or link) aside and delete it.
            return Err(std::io::Error::other(format!(
                "`{}` is not a folder; rudder writes a folder there (move it away first)",
                target.display()
            )));
        }
        let parent = target.parent().unwrap_or(&self.root).to_path_buf();
        std::fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for leftover in leftovers_in(&parent) {
            if leftover_of(&leftover) == Some(name.as_str()) {
                remove_any(&leftover)?;
            }
        }
        let fresh = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .rand_bytes(LEFTOVER_RANDOM)
            .tempdir_in(&parent)?;
        for (path, text) in files {
            let dest = fresh.path().join(path);
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&dest, text)?;
        }
        let fresh = fresh.keep();
        if target.exists() {
            swap(&fresh, &target)?;
            // `fresh` now holds the old tree.
            std::fs::remove_dir_all(&fresh)?;
        } else {
            std::fs::rename(&fresh, &target)?;
        }
        Ok(())
    }
}

impl OutputDir {
    /// Removes the folder `path` (inside the root): first renamed to a leftover's name,
    /// so an interrupted removal is finished by the next run rather than left half done.
    pub fn remove_dir(&self, path: &Path) -> std::io::Result<()> {
        let parked = park(path)?;
        std::fs::remove_dir_all(&parked)
    }
}

/// Length of the random part of a leftover's name (`.<name>.new-XXXXXX`).
const LEFTOVER_RANDOM: usize = 6;

/// Exchanges two folders in one step where the system can (Linux `renameat2`), else
/// with two renames through a leftover's name (so an interruption is cleaned next run).
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let parked = park(b)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&parked, a)
}

/// Moves `path` aside under a leftover's name beside it (`.<name>.old-XXXXXX`), which
/// the next run removes if this one is interrupted; returns where it went.
fn park(path: &Path) -> std::io::Result<PathBuf> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parked = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .rand_bytes(LEFTOVER_RANDOM)
        .tempdir_in(parent)?
        .keep();
    std::fs::remove_dir(&parked)?;
    std::fs::rename(path, &parked)?;
    Ok(parked)
}

/// The folder a leftover of an interrupted write belonged to: `.web.new-a1B2c3` → `web`.
fn leftover_of(path: &Path) -> Option<&str> {
    let file = path.file_name()?.to_str()?.strip_prefix('.')?;
    let (name, random) = file
        .rsplit_once(".new-")
        .or_else(|| file.rsplit_once(".old-"))?;
    (random.len() == LEFTOVER_RANDOM && random.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(name)
}

/// Leftovers of interrupted writes directly in `dir`.
fn leftovers_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| leftover_of(p).is_some())
        .collect();
    out.sort();
    out
}

/// Leftovers of interrupted writes in `root` and its folders, `depth` levels down
/// (`render -o` writes `<root>/<env>/<release>`: depth 1).
pub fn leftovers(root: &Path, depth: usize) -> Vec<PathBuf> {
    let mut out = leftovers_in(root);
    if depth == 0 {
        return out;
    }
    if let Ok(entries) = std::fs::read_dir(root) {
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .filter(|p| leftover_of(p).is_none())
            .collect();
        dirs.sort();
        for d in dirs {
            out.extend(leftovers(&d, depth - 1));
        }
    }
    out
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_are_recognised_and_nothing_else() {
        assert_eq!(leftover_of(Path::new("x/.web.new-a1B2c3")), Some("web"));
        assert_eq!(leftover_of(Path::new(".my.app.old-zzzzzz")), Some("my.app"));
        for other in [
            ".web.new-abc",
            "web.new-a1B2c3",
            ".gitignore",
            ".web.new-a1B2c!",
        ] {
            assert_eq!(leftover_of(Path::new(other)), None, "{other}");
        }
    }

    #[test]
    fn replace_swaps_whole_trees_and_cleans_leftovers() {
        let tmp = tempfile::tempdir().unwrap();
        let out = OutputDir::lock(tmp.path()).unwrap();
        std::fs::create_dir_all(tmp.path().join(".web.new-abcdef/x")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".other.old-abcdef")).unwrap();
        let one = vec![(PathBuf::from("a/1.yaml"), "one".to_string())];
        out.replace(Path::new("web"), &one).unwrap();
        let two = vec![(PathBuf::from("b/2.yaml"), "two".to_string())];
        out.replace(Path::new("web"), &two).unwrap();
        assert!(!tmp.path().join("web/a/1.yaml").exists());
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("web/b/2.yaml")).unwrap(),
            "two"
        );
        // Only the leftovers of the folder written are removed.
        assert_eq!(
            leftovers(tmp.path(), 0),
            vec![tmp.path().join(".other.old-abcdef")]
        );
    }
}
