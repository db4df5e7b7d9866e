//! Helm's objects as a Go template sees them: `.Files` (a map of paths to bytes with
//! methods), `.Capabilities` (a struct whose `APIVersions` has `Has` and whose
//! `KubeVersion` prints as `v1.35.0`), and values typed as Helm types them (numbers from
//! YAML and JSON are float64; integers given with `--set` are int64).

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::{Value, ValueKind};
use serde_json::Value as Json;

use crate::engine::objects::{
    ApiVersionsValue, Capabilities, FilesMethod, FilesValue, HELM_VERSION, kube_version_value,
};

pub use crate::engine::funcs::Struct as GoStruct;

/// A method of one of Helm's objects.
#[derive(Debug, Clone)]
pub enum Method {
    Files(Arc<FilesValue>, FilesMethod),
    Has(Arc<ApiVersionsValue>),
    String(String),
}

impl Method {
    pub fn arity(&self) -> usize {
        match self {
            Method::Files(_, m) => usize::from(m.takes_path()),
            Method::Has(_) => 1,
            Method::String(_) => 0,
        }
    }

    pub fn call(&self, args: &[Value]) -> Result<Value, String> {
        let text = |i: usize| -> Result<String, String> {
            let v = &args[i];
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("wrong type for value; expected string; got {}", go_type(v)))
        };
        Ok(match self {
            Method::Files(files, m) => {
                let path = if m.takes_path() {
                    text(0)?
                } else {
                    String::new()
                };
                m.call(&files.0, &path)?
            }
            Method::Has(api) => Value::from(api.0.has(&text(0)?)),
            Method::String(s) => Value::from(s.as_str()),
        })
    }
}

/// The method `name` of `receiver`, when it is one of Helm's objects that has it.
pub fn method(receiver: &Value, name: &str) -> Option<Method> {
    if let Some(files) = receiver.downcast_object::<FilesValue>() {
        return FilesMethod::named(name).map(|m| Method::Files(files, m));
    }
    if let Some(api) = receiver.downcast_object::<ApiVersionsValue>() {
        return (name == "Has").then_some(Method::Has(api));
    }
    if let Some(s) = receiver.downcast_object_ref::<crate::gofmt::Stringer>() {
        return (name == "String").then(|| Method::String(s.text.clone()));
    }
    None
}

/// Whether a value is a Go struct (fields fixed, a missing one is an error).
pub fn is_struct(v: &Value) -> bool {
    v.downcast_object_ref::<GoStruct>().is_some()
        || v.downcast_object_ref::<crate::gofmt::Stringer>().is_some()
}

/// What a missing key of a map reads as: the zero of its element type, a nil
/// interface for Helm's `map[string]interface{}`, no bytes for `.Files`.
pub fn missing_entry(map: &Value) -> Value {
    if map.downcast_object_ref::<FilesValue>().is_some() {
        Value::from_bytes(Vec::new())
    } else if map
        .downcast_object_ref::<crate::gofmt::StringMap>()
        .is_some()
    {
        Value::from("")
    } else {
        Value::from(())
    }
}

/// Go's type name of a value, as messages show it.
pub fn go_type(v: &Value) -> String {
    if v.downcast_object_ref::<crate::gofmt::Stringer>().is_some() {
        return "common.KubeVersion".into();
    }
    match v.kind() {
        ValueKind::None | ValueKind::Undefined => "<nil>".into(),
        _ => crate::engine::funcs::type_name(v).into(),
    }
}

/// `.Capabilities`.
pub fn capabilities(caps: &Capabilities) -> Value {
    let kube = &caps.kube_version;
    Value::from_object(GoStruct {
        type_name: "*common.Capabilities",
        fields: BTreeMap::from([
            (
                "APIVersions",
                Value::from_object(ApiVersionsValue(caps.clone())),
            ),
            (
                "HelmVersion",
                Value::from_object(GoStruct {
                    type_name: "version.BuildInfo",
                    fields: BTreeMap::from([
                        // The build of helm v4.1.4 rudder matches.
                        (
                            "GitCommit",
                            Value::from("05fa37973dc9e42b76e1d2883494c87174b6074f"),
                        ),
                        ("GitTreeState", Value::from("clean")),
                        ("GoVersion", Value::from("go1.25.9")),
                        ("KubeClientVersion", Value::from("")),
                        ("Version", Value::from(HELM_VERSION)),
                    ]),
                }),
            ),
            ("KubeVersion", kube_version_value(kube)),
        ]),
    })
}

/// A values tree as Helm's templates see it: numbers are float64 except the integers
/// `set_ints` marks (the `--set` integers at the same path, which are int64). Taken by
/// value: each map's keys move into the template values and the JSON is freed as the
/// conversion goes, so the two trees are never both whole in memory.
pub fn values(root: crate::values::Values, set_ints: Option<&Json>) -> Value {
    let globals = set_ints.and_then(|s| s.get("global"));
    // Helm hands templates its own map type.
    crate::engine::funcs::Dict::named(typed_entries(root, set_ints, globals), "common.Values")
}

/// `values` below the root: `globals` marks the root's `global` integers, which Helm
/// copies into every subchart's `global`.
fn typed(json: Json, set_ints: Option<&Json>, globals: Option<&Json>) -> Value {
    match json {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(b),
        Json::Number(n) => {
            let is_set_int = matches!(set_ints, Some(Json::Number(m)) if m.is_i64() || m.is_u64());
            if is_set_int && let Some(i) = n.as_i64() {
                return Value::from(i);
            }
            if is_set_int && let Some(u) = n.as_u64() {
                return Value::from(u);
            }
            Value::from(n.as_f64().unwrap_or(0.0))
        }
        Json::String(s) => Value::from(s),
        Json::Array(items) => Value::from(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| typed(v, set_ints.and_then(|s| s.get(i)), globals))
                .collect::<Vec<_>>(),
        ),
        Json::Object(map) => crate::engine::funcs::new_dict(typed_entries(map, set_ints, globals)),
    }
}

/// A map's entries, typed as `typed` types them.
fn typed_entries(
    map: serde_json::Map<String, Json>,
    set_ints: Option<&Json>,
    globals: Option<&Json>,
) -> BTreeMap<String, Value> {
    map.into_iter()
        .map(|(k, v)| {
            let marks =
                set_ints
                    .and_then(|s| s.get(&k))
                    .or(if k == "global" { globals } else { None });
            let v = typed(v, marks, globals);
            (k, v)
        })
        .collect()
}

/// What Go's decoders make of a document (`fromYaml`, `fromJson`): every number a
/// float64 and every map a Go map, as Helm's values are.
pub fn decoded(v: Value) -> Value {
    match v.kind() {
        ValueKind::Number if v.is_integer() => Value::from(f64::try_from(v).unwrap_or(0.0)),
        ValueKind::Map => crate::engine::funcs::new_dict(
            crate::engine::funcs::entries(&v)
                .into_iter()
                .map(|(k, item)| (k, decoded(item)))
                .collect(),
        ),
        ValueKind::Seq => Value::from(
            v.try_iter()
                .map(|it| it.map(decoded).collect::<Vec<_>>())
                .unwrap_or_default(),
        ),
        _ => v,
    }
}
