//! Saving a chart as an archive Helm reads, byte for byte the same on every machine
//! (beside `archive.rs`, which reads them).
//!
//! The layout is Helm's (`<name>/Chart.yaml` first, re-serialised; then Chart.lock,
//! values.yaml, values.schema.json, templates, other files, subcharts expanded under
//! `charts/`). Unlike Helm's archives, nothing depends on the clock or the file system:
//! one fixed mtime, mode 0644, uid/gid 0, no user names, and a fixed gzip header.

use std::io::Write as _;

use super::{Chart, File};

/// Helm's gzip header extra field and comment.
const GZIP_EXTRA: &[u8] = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";
const GZIP_COMMENT: &str = "Helm";

/// The archive's file name: `<name>-<version>.tgz`.
pub fn file_name(chart: &Chart) -> String {
    format!("{}-{}.tgz", chart.name(), chart.metadata.version)
}

/// Chart.yaml as Helm writes it into archives and prints it in `helm show chart`.
pub fn chart_yaml(chart: &Chart) -> String {
    let json = chart.metadata.to_helm_json();
    let mut text = crate::yaml::json_to_yaml(&json);
    text.push('\n');
    text
}

/// The entries of the archive, in Helm's order, as (path, bytes); a file that cannot be
/// read (gone since loading) fails by its path.
pub fn entries(chart: &Chart, prefix: &str) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let base = if prefix.is_empty() {
        chart.name().to_string()
    } else {
        format!("{prefix}/{}", chart.name())
    };
    let mut out = vec![(format!("{base}/Chart.yaml"), chart_yaml(chart).into_bytes())];
    if let Some(lock) = &chart.lock {
        out.push((format!("{base}/Chart.lock"), lock.clone()));
    }
    if let Some(values) = &chart.values_raw {
        out.push((format!("{base}/values.yaml"), values.clone()));
    }
    if let Some(schema) = &chart.schema {
        out.push((format!("{base}/values.schema.json"), schema.clone()));
    }
    let push = |out: &mut Vec<(String, Vec<u8>)>, files: &[File]| -> std::io::Result<()> {
        for f in files {
            let bytes = f.data.bytes().map_err(std::io::Error::other)?;
            out.push((format!("{base}/{}", f.name), bytes.to_vec()));
        }
        Ok(())
    };
    push(&mut out, &chart.templates)?;
    push(&mut out, &chart.files)?;
    for sub in &chart.subcharts {
        out.extend(entries(sub, &format!("{base}/charts"))?);
    }
    Ok(out)
}

/// The gzipped tar stream of the chart; `mtime` is the time every entry carries.
pub fn archive(chart: &Chart, mtime: u64) -> std::io::Result<Vec<u8>> {
    let gz = flate2::GzBuilder::new()
        .extra(GZIP_EXTRA)
        .comment(GZIP_COMMENT)
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for (path, data) in entries(chart, "")? {
        let mut header = tar::Header::new_ustar();
        header.set_path(&path)?;
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        tar.append(&header, data.as_slice())?;
    }
    let mut gz = tar.into_inner()?;
    gz.flush()?;
    gz.finish()
}
