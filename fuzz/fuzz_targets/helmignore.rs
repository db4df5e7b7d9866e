//! `.helmignore`: the rules are the input up to the first NUL, the paths to match are
//! the lines after it (a trailing `/` marks a folder).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rudder::chart::ignore::Rules;

fuzz_target!(
    init: rudder_fuzz::init(),
    |text: &str| {
        let (rules, paths) = text.split_once('\0').unwrap_or((text, ""));
        let Ok(mut rules) = Rules::parse(rules) else {
            return;
        };
        rules.add_defaults();
        for path in paths.lines() {
            match path.strip_suffix('/') {
                Some(dir) => rules.ignore(dir, true),
                None => rules.ignore(path, false),
            };
        }
    }
);
