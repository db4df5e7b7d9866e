//! The Go-template engine over random templates and values: `rudder_fuzz::render_input`
//! (its input format and checks) with charts in Helm's Go-template dialect.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: rudder_fuzz::init(),
    |text: &str| rudder_fuzz::render_input(text, rudder_fuzz::chart_yaml_go)
);
