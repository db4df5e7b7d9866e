//! A chart archive built from arbitrary entries (names, entry types, contents, nested
//! subchart archives), so the loader sees well-formed gzip and tar far more often than
//! raw bytes allow.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Content {
    Bytes(Vec<u8>),
    /// A valid Chart.yaml of a Jinja chart with this name.
    Chart(String),
    /// A gzipped tar of these entries (a subchart `.tgz`).
    Archive(Vec<Entry>),
}

#[derive(Arbitrary, Debug)]
struct Entry {
    /// Prefixed with the chart's folder unless `raw`.
    name: String,
    raw: bool,
    /// The tar entry type byte (`0` file, `2` symlink, `5` folder, `L` long name, ...).
    kind: u8,
    content: Content,
}

fn tgz(entries: &[Entry]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for e in entries {
        let data = match &e.content {
            Content::Bytes(b) => b.clone(),
            Content::Chart(name) => rudder_fuzz::chart_yaml(name).into_bytes(),
            Content::Archive(inner) => tgz(inner),
        };
        let name = if e.raw {
            e.name.clone()
        } else {
            format!("chart/{}", e.name)
        };
        let mut header = tar::Header::new_gnu();
        // Written raw: `set_path` refuses the `..` and absolute names the loader must refuse.
        let bytes = name.as_bytes();
        let n = bytes.len().min(99);
        header.as_old_mut().name[..n].copy_from_slice(&bytes[..n]);
        header.set_entry_type(tar::EntryType::new(if e.kind < 128 {
            b'0'
        } else {
            e.kind
        }));
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        if builder.append(&header, data.as_slice()).is_err() {
            break;
        }
    }
    builder
        .into_inner()
        .and_then(|gz| gz.finish())
        .unwrap_or_default()
}

fuzz_target!(
    init: rudder_fuzz::init(),
    |entries: Vec<Entry>| {
        let _ = rudder::chart::load_archive(&tgz(&entries));
    }
);
