//! A chart archive as raw bytes: `load_archive` (gzip, tar, paths, then the whole
//! chart loader on what it unpacks).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: rudder_fuzz::init(),
    |data: &[u8]| {
        let _ = rudder::chart::load_archive(data);
    }
);
