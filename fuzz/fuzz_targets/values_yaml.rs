//! A values file: `yaml::parse` (and `parse_all`, as for manifests) and `parse_json` on
//! the same text; what parses is converted to template values and written back as YAML.
//! The one-pass readers of values and manifest heads must agree with the full reader
//! wherever they answer.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: rudder_fuzz::init(),
    |text: &str| {
        assert!(rudder::yaml::one_pass_agrees(text), "one-pass and full readers differ");
        let write = |json: &serde_json::Value| {
            let value = rudder::engine::json_to_value(json);
            let _ = rudder::yaml::to_yaml(&value);
            let _ = rudder::yaml::to_yaml_pretty(&value);
        };
        if let Ok(json) = rudder::yaml::parse(text) {
            write(&json);
        }
        if let Ok(docs) = rudder::yaml::parse_all(text) {
            docs.iter().for_each(write);
        }
        if let Ok(json) = rudder::yaml::parse_json(text) {
            write(&json);
        }
    }
);
