//! The Go-template engine over random templates and values (the `render` target's input
//! and checks, with charts in Helm's dialect). The input is NUL-separated text:
//! `values.yaml`, `templates/a.yaml`, then optionally `templates/_helpers.tpl` and the
//! template of a subchart `sub`. The chart is loaded, its values coalesced and it is
//! rendered and split into manifests as `rudder template` does, through the library.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rudder::chart::File;

fn file(name: &str, data: impl Into<Vec<u8>>) -> File {
    File {
        name: name.into(),
        data: data.into(),
    }
}

fuzz_target!(
    init: rudder_fuzz::init(),
    |text: &str| {
        let mut parts = text.split('\0');
        let values = parts.next().unwrap_or_default();
        let template = parts.next().unwrap_or_default();
        let mut files = vec![
            file("Chart.yaml", rudder_fuzz::chart_yaml_go("fuzz")),
            file("values.yaml", values),
            file("templates/a.yaml", template),
        ];
        if let Some(helpers) = parts.next() {
            files.push(file("templates/_helpers.tpl", helpers));
        }
        if let Some(sub) = parts.next() {
            files.push(file("charts/sub/Chart.yaml", rudder_fuzz::chart_yaml_go("sub")));
            files.push(file("charts/sub/templates/b.yaml", sub));
        }
        let strict = parts.next().is_some();
        let Ok(mut chart) = rudder::chart::loader::load_files(files, "") else {
            return;
        };
        let Ok(values) =
            rudder::values::for_render(&mut chart, Default::default(), &mut Vec::new())
        else {
            return;
        };
        let opts = rudder_fuzz::render_options(strict);
        if let Ok(rendered) = rudder::engine::render(&chart, &values, None, &opts) {
            let _ = rudder::manifest::build(&rendered.files);
        }
    }
);
