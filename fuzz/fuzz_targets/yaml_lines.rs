//! The line scanner for plain block YAML (`yaml::block_events`) against the parser: on
//! every text the scanner is sure of, its events must be the parser's.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: rudder_fuzz::init(),
    |text: &str| {
        if let Err(diff) = rudder::yaml::lines_agree(text) {
            panic!("the line scanner and the parser differ on {text:?}:\n{diff}");
        }
    }
);
