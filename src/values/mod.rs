//! The values a template sees: chart defaults coalesced under user values.
//!
//! The tree is `serde_json`'s map (sorted keys, integers kept apart from floats), built
//! once per run and converted once into template values.

pub mod coalesce;
pub mod sources;
pub mod strvals;

use serde_json::{Map, Value as Json};

/// A values table.
pub type Values = Map<String, Json>;

/// Deep-merges `overlay` into `base` as Helm merges `-f` files: maps merge, anything
/// else replaces (a `null` is kept, to delete a default at coalescing time).
pub fn merge_maps(base: &mut Values, overlay: Values) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(Json::Object(b)), Json::Object(o)) => merge_maps(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// A short Go-like rendering of a value for warnings.
pub(crate) fn go_print(v: &Json) -> String {
    match v {
        Json::Null => "<nil>".into(),
        Json::String(s) => s.clone(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::Array(items) => {
            let parts: Vec<String> = items.iter().map(go_print).collect();
            format!("[{}]", parts.join(" "))
        }
        Json::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_print(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}
