//! What the fuzz targets share: the limits they run under and the render options.
//!
//! The limits are lowered so one input cannot legitimately spend seconds or gigabytes
//! (a 256 MiB `repeat` is not a bug); every target must still end each input with a
//! value or an error, never a panic, an abort, a hang or an exhausted memory.

use rudder::chart::File;
use rudder::engine::funcs::FuncOptions;
use rudder::engine::{KubeVersion, ReleaseInfo, RenderOptions};

/// The limits every target runs under (read once, before the first input).
pub const LIMITS: &[(&str, &str)] = &[
    ("RUDDER_MAX_STRING", "1000000"),
    ("RUDDER_MAX_LIST", "100000"),
    ("RUDDER_MAX_OUTPUT", "10000000"),
];

/// Sets `LIMITS` in the environment; call from the target's `init`.
pub fn init() {
    for (name, value) in LIMITS {
        // SAFETY: called from libFuzzer's init, before any other thread exists.
        unsafe { std::env::set_var(name, value) };
    }
    rudder::limits::check_env().expect("fuzz limits are valid");
}

/// A Chart.yaml of a chart written in rudder's Jinja dialect.
pub fn chart_yaml(name: &str) -> String {
    let engine = rudder::chart::metadata::ENGINE_ANNOTATION;
    format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\nannotations:\n  {engine}: jinja\n")
}

/// A Chart.yaml of a chart in Helm's Go-template dialect.
pub fn chart_yaml_go(name: &str) -> String {
    format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
}

/// A fixed release, clock and random seed, so every input renders the same way twice.
pub fn render_options(strict: bool) -> RenderOptions {
    RenderOptions {
        release: ReleaseInfo {
            name: "fuzz".into(),
            namespace: "default".into(),
            is_upgrade: false,
        },
        kube_version: KubeVersion::default(),
        api_versions: Vec::new(),
        strict,
        funcs: FuncOptions {
            now: jiff::Timestamp::from_second(1_700_000_000).expect("a valid time"),
            seed: Some(1),
        },
    }
}

/// What the `render` and `gotmpl` targets run on one input, with charts whose Chart.yaml
/// `chart_yaml` writes (and so whose dialect it picks). The input is NUL-separated text:
/// `values.yaml`, `templates/a.yaml`, then optionally `templates/_helpers.tpl`, the
/// template of a subchart `sub`, and a fifth part to render with `--strict`. The chart is
/// loaded, its values coalesced and it is rendered and split into manifests as
/// `rudder template` does, through the library.
pub fn render_input(text: &str, chart_yaml: fn(&str) -> String) {
    let file = |name: &str, data: &str| File {
        name: name.into(),
        data: data.as_bytes().to_vec().into(),
    };
    let mut parts = text.split('\0');
    let values = parts.next().unwrap_or_default();
    let template = parts.next().unwrap_or_default();
    let mut files = vec![
        file("Chart.yaml", &chart_yaml("fuzz")),
        file("values.yaml", values),
        file("templates/a.yaml", template),
    ];
    if let Some(helpers) = parts.next() {
        files.push(file("templates/_helpers.tpl", helpers));
    }
    if let Some(sub) = parts.next() {
        files.push(file("charts/sub/Chart.yaml", &chart_yaml("sub")));
        files.push(file("charts/sub/templates/b.yaml", sub));
    }
    let strict = parts.next().is_some();
    let Ok(mut chart) = rudder::chart::loader::load_files(files, "") else {
        return;
    };
    let Ok(values) = rudder::values::for_render(&mut chart, Default::default(), &mut Vec::new())
    else {
        return;
    };
    let opts = render_options(strict);
    if let Ok(rendered) = rudder::engine::render(&chart, values, None, &opts) {
        let _ = rudder::manifest::build(&rendered.files);
    }
}
