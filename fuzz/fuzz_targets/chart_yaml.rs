//! Chart.yaml: `Metadata::parse`, and what a valid one shows templates (`Chart`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rudder::chart::Metadata;

fuzz_target!(
    init: rudder_fuzz::init(),
    |text: &str| {
        if let Ok(md) = Metadata::parse(text) {
            let _ = md.to_helm_json();
            let _ = rudder::engine::jinja::objects::chart_value(&md, true).to_string();
            let _ = md.engine();
        }
    }
);
