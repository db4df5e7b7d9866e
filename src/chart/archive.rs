//! Reading a chart archive (`.tgz`) safely, in memory.
//!
//! An archive is untrusted input: paths that climb out (`../`, absolute), links,
//! entries outside the chart's folder, oversized files and gzip bombs are refused.

use std::io::Read;

use super::File;

use crate::limits::{ARCHIVE_ENTRIES, CHART_FILE, CHART_SIZE};

/// Unpacks a gzipped tar stream into the chart's files, with the top folder removed.
pub fn read_archive(bytes: &[u8]) -> Result<Vec<File>, String> {
    let gz = flate2::read::GzDecoder::new(bytes);
    // Our own count of entry sizes stops a bomb with a clear message; this cap on the
    // decompressed stream (headers and padding included) is the backstop.
    let max_total = CHART_SIZE.get();
    let max_file = CHART_FILE.get();
    let mut archive = tar::Archive::new(gz.take(max_total.saturating_mul(2)));
    let mut files = Vec::new();
    let mut top: Option<String> = None;
    let mut total = 0u64;
    let entries = archive
        .entries()
        .map_err(|e| format!("not a gzipped tar archive: {e}"))?;
    for (count, entry) in entries.enumerate() {
        ARCHIVE_ENTRIES.check(count as u64 + 1, || {
            format!("the archive has more than {count} entries")
        })?;
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
        let too_big = || format!("archive entry `{raw}` is too large");
        CHART_FILE.check(size, too_big)?;
        total = total.saturating_add(size);
        CHART_SIZE.check(total, || {
            "the archive is too large once decompressed".to_string()
        })?;
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        entry
            .by_ref()
            .take(max_file.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| format!("corrupt archive entry `{raw}`: {e}"))?;
        CHART_FILE.check(data.len() as u64, too_big)?;
        files.push(File {
            name: rest.to_string(),
            data: data.into(),
        });
    }
    if files.is_empty() {
        return Err("archive holds no files".into());
    }
    Ok(files)
}
