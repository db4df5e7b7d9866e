//! Reading a chart archive (`.tgz`) safely, in memory.
//!
//! An archive is untrusted input: paths that climb out (`../`, absolute), links,
//! entries outside the chart's folder, oversized files and gzip bombs are refused.

use std::io::Read;

use super::File;

/// Helm's limits: 100 MiB for the whole chart, 5 MiB per file.
const MAX_TOTAL: u64 = 100 * 1024 * 1024;
const MAX_FILE: u64 = 5 * 1024 * 1024;

/// Unpacks a gzipped tar stream into the chart's files, with the top folder removed.
pub fn read_archive(bytes: &[u8]) -> Result<Vec<File>, String> {
    let gz = flate2::read::GzDecoder::new(bytes);
    // Our own count of entry sizes stops a bomb with a clear message; this cap on the
    // decompressed stream (headers and padding included) is the backstop.
    let mut archive = tar::Archive::new(gz.take(MAX_TOTAL * 2));
    let mut files = Vec::new();
    let mut top: Option<String> = None;
    let mut total = 0u64;
    let entries = archive
        .entries()
        .map_err(|e| format!("not a gzipped tar archive: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("corrupt archive: {e}"))?;
        let header = entry.header();
        let kind = header.entry_type();
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if kind.is_pax_global_extensions()
            || kind.is_pax_local_extensions()
            || kind.is_gnu_longname()
        {
            continue;
        }
        if kind.is_dir() {
            continue;
        }
        if kind.is_symlink() || kind.is_hard_link() {
            return Err(format!(
                "archive entry `{raw}` is a link; charts cannot contain links"
            ));
        }
        if !kind.is_file() {
            return Err(format!("archive entry `{raw}` is not a regular file"));
        }
        let path = raw.replace('\\', "/");
        if path.starts_with('/') || path.split('/').any(|p| p == "..") {
            return Err(format!("archive entry `{raw}` has an unsafe path"));
        }
        let mut parts = path.splitn(2, '/');
        let first = parts.next().unwrap_or_default().to_string();
        let Some(rest) = parts.next().filter(|r| !r.is_empty()) else {
            return Err(format!(
                "archive entry `{raw}` is outside the chart's folder"
            ));
        };
        match &top {
            None => top = Some(first),
            Some(t) if *t != first => {
                return Err(format!(
                    "archive entry `{raw}` is outside the chart's folder `{t}/`"
                ));
            }
            _ => {}
        }
        let size = entry.header().size().unwrap_or(0);
        if size > MAX_FILE {
            return Err(format!(
                "archive entry `{raw}` is larger than the 5 MiB limit"
            ));
        }
        total += size;
        if total > MAX_TOTAL {
            return Err("archive is larger than the 100 MiB limit once decompressed".into());
        }
        let mut data = Vec::with_capacity(size as usize);
        entry
            .by_ref()
            .take(MAX_FILE + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("corrupt archive entry `{raw}`: {e}"))?;
        if data.len() as u64 > MAX_FILE {
            return Err(format!(
                "archive entry `{raw}` is larger than the 5 MiB limit"
            ));
        }
        files.push(File {
            name: rest.to_string(),
            data,
        });
    }
    if files.is_empty() {
        return Err("archive holds no files".into());
    }
    Ok(files)
}
