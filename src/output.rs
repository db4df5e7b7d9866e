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
    for (source, content) in entries {
        let path = dir.join(source);
        let block = format!("---\n# Source: {source}\n{content}\n");
        match files.iter_mut().find(|(p, _)| *p == path) {
            Some((_, text)) => text.push_str(&block),
            None => files.push((path, block)),
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

/// Replaces the folder `target` with exactly `files` (paths relative to it): written to
/// a temporary folder beside it, then swapped in, so a reader never sees half of it.
pub fn replace_dir(target: &Path, files: &[(PathBuf, String)]) -> std::io::Result<()> {
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fresh = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(parent)?;
    for (path, text) in files {
        let dest = fresh.path().join(path);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&dest, text)?;
    }
    let fresh = fresh.keep();
    if target.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)?
            .keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(target, &old)?;
        std::fs::rename(&fresh, target)?;
        std::fs::remove_dir_all(&old)?;
    } else {
        std::fs::rename(&fresh, target)?;
    }
    Ok(())
}
