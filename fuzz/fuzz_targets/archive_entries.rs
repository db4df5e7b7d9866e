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

/// Gzip with stored (uncompressed) deflate blocks: valid, and far cheaper to make than
/// compressing, which would otherwise take most of each run.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let mut crc = flate2::Crc::new();
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn tgz(entries: &[Entry]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
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
    gzip_stored(&builder.into_inner().unwrap_or_default())
}

fuzz_target!(
    init: rudder_fuzz::init(),
    |entries: Vec<Entry>| {
        let _ = rudder::chart::load_archive(&tgz(&entries));
    }
);
