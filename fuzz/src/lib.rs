//! What the fuzz targets share: the limits they run under and the render options.
//!
//! The limits are lowered so one input cannot legitimately spend seconds or gigabytes
//! (a 256 MiB `repeat` is not a bug); every target must still end each input with a
//! value or an error, never a panic, an abort, a hang or an exhausted memory.

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
