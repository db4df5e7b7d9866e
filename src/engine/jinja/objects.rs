//! Helm's objects as the Jinja dialect sees them: `Capabilities` as a plain map (the rest
//! is shared with the Go engine in `engine::objects`).

use minijinja::value::Value;

use crate::engine::objects::{ApiVersionsValue, Capabilities, HELM_VERSION, kube_version_value};
pub use crate::engine::objects::{chart_value, release_value, template_value};

/// `Capabilities`, shared by every chart of a render.
pub fn capabilities_value(caps: &Capabilities) -> Value {
    Value::from_pairs([
        (
            "APIVersions",
            Value::from_object(ApiVersionsValue(caps.clone())),
        ),
        (
            "HelmVersion",
            Value::from_pairs([
                ("GitCommit", Value::from("")),
                ("GitTreeState", Value::from("")),
                ("GoVersion", Value::from("")),
                ("Version", Value::from(HELM_VERSION)),
            ]),
        ),
        ("KubeVersion", kube_version_value(&caps.kube_version)),
    ])
}
