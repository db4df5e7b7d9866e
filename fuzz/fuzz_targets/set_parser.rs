//! `--set` and friends: each line of the input is one `--set`-style argument, parsed in
//! the mode the first byte picks, into one values table that is then written as YAML.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rudder::values::strvals::{Mode, StrvalsError, parse_into};
use serde_json::{Map, Value as Json};

fuzz_target!(
    init: rudder_fuzz::init(),
    |data: &[u8]| {
        let Some((&first, rest)) = data.split_first() else {
            return;
        };
        let Ok(text) = std::str::from_utf8(rest) else {
            return;
        };
        let mode = match first % 5 {
            0 => Mode::Typed,
            1 => Mode::String,
            2 => Mode::Json,
            _ => Mode::Literal,
        };
        // `--set-file`: the "file" holds its own path.
        let reader = |path: &str| -> Result<Json, StrvalsError> { Ok(Json::String(path.into())) };
        let mut values = Map::new();
        for expr in text.split('\n') {
            let result = if first % 5 == 4 {
                parse_into(expr, &mut values, Mode::String, Some(&reader))
            } else {
                parse_into(expr, &mut values, mode, None)
            };
            if result.is_err() {
                break;
            }
        }
        let value = rudder::engine::json_to_value(&Json::Object(values));
        let _ = rudder::yaml::to_yaml(&value);
    }
);
