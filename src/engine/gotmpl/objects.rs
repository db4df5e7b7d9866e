//! Helm's objects as a Go template sees them: `.Files` (a map of paths to bytes with
//! methods), `.Capabilities` (a struct whose `APIVersions` has `Has` and whose
//! `KubeVersion` prints as `v1.35.0`), and values typed as Helm types them (numbers from
//! YAML and JSON are float64; integers given with `--set` are int64).

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use minijinja::value::{Enumerator, Object, ObjectExt, ObjectRepr, Value, ValueKind};
use serde_json::Value as Json;

use crate::engine::objects::{Capabilities, Files, HELM_VERSION};

/// `.Files` (and what `Glob` returns): Helm's `files` type, a map of paths to bytes.
#[derive(Debug)]
pub struct GoFiles(pub Files);

impl Object for GoFiles {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        self.0
            .contains(name)
            .then(|| Value::from_bytes(self.0.get(name).to_vec()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| Box::new(this.0.names().map(Value::from)))
    }
}

/// `.Capabilities.APIVersions`: a list of strings with `Has`.
#[derive(Debug)]
pub struct ApiVersions(pub Capabilities);

impl Object for ApiVersions {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0
            .api_versions
            .get(key.as_usize()?)
            .map(|s| Value::from(s.as_str()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.api_versions.len())
    }
}

pub use crate::engine::funcs::Struct as GoStruct;

/// A method of one of Helm's objects.
#[derive(Debug, Clone)]
pub enum Method {
    Files(Arc<GoFiles>, FilesMethod),
    Has(Arc<ApiVersions>),
    String(String),
}

#[derive(Debug, Clone, Copy)]
pub enum FilesMethod {
    Get,
    GetBytes,
    Glob,
    Lines,
    AsConfig,
    AsSecrets,
}

impl Method {
    pub fn arity(&self) -> usize {
        match self {
            Method::Files(_, FilesMethod::AsConfig | FilesMethod::AsSecrets) => 0,
            Method::Files(..) | Method::Has(_) => 1,
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
                let files = &files.0;
                match m {
                    // Go strings are bytes: a binary file keeps its exact bytes.
                    FilesMethod::Get => crate::gofmt::go_text(files.get(&text(0)?).to_vec()),
                    FilesMethod::GetBytes => Value::from_bytes(files.get(&text(0)?).to_vec()),
                    FilesMethod::Glob => Value::from_object(GoFiles(files.glob(&text(0)?))),
                    FilesMethod::Lines => Value::from(
                        files
                            .lines(&text(0)?)
                            .into_iter()
                            .map(Value::from)
                            .collect::<Vec<_>>(),
                    ),
                    FilesMethod::AsConfig => Value::from(by_base_name_yaml(files, |d| {
                        String::from_utf8_lossy(d).into_owned()
                    })),
                    FilesMethod::AsSecrets => Value::from(by_base_name_yaml(files, |d| {
                        base64::engine::general_purpose::STANDARD.encode(d)
                    })),
                }
            }
            Method::Has(api) => Value::from(api.0.has(&text(0)?)),
            Method::String(s) => Value::from(s.as_str()),
        })
    }
}

/// `AsConfig`/`AsSecrets`: the files by base name as YAML (empty for no files).
fn by_base_name_yaml(files: &Files, encode: impl Fn(&[u8]) -> String) -> String {
    // No files make the empty map, which Helm writes as `{}`.
    let map = files.by_base_name(encode);
    let map: BTreeMap<String, Value> = map.into_iter().map(|(k, v)| (k, Value::from(v))).collect();
    crate::yaml::to_yaml(&Value::from(map)).unwrap_or_default()
}

/// The method `name` of `receiver`, when it is one of Helm's objects that has it.
pub fn method(receiver: &Value, name: &str) -> Option<Method> {
    if let Some(files) = receiver.downcast_object::<GoFiles>() {
        let m = match name {
            "Get" => FilesMethod::Get,
            "GetBytes" => FilesMethod::GetBytes,
            "Glob" => FilesMethod::Glob,
            "Lines" => FilesMethod::Lines,
            "AsConfig" => FilesMethod::AsConfig,
            "AsSecrets" => FilesMethod::AsSecrets,
            _ => return None,
        };
        return Some(Method::Files(files, m));
    }
    if let Some(api) = receiver.downcast_object::<ApiVersions>() {
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
    if map.downcast_object_ref::<GoFiles>().is_some() {
        Value::from_bytes(Vec::new())
    } else {
        Value::from(())
    }
}

/// Go's type name of a value, as messages show it.
pub fn go_type(v: &Value) -> String {
    if let Some(s) = v.downcast_object_ref::<GoStruct>() {
        return s.type_name.to_string();
    }
    if v.downcast_object_ref::<GoFiles>().is_some() {
        return "engine.files".into();
    }
    if v.downcast_object_ref::<crate::gofmt::Stringer>().is_some() {
        return "common.KubeVersion".into();
    }
    match v.kind() {
        ValueKind::Number if v.is_integer() => "int".into(),
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
            ("APIVersions", Value::from_object(ApiVersions(caps.clone()))),
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
            (
                "KubeVersion",
                Value::from_object(crate::gofmt::Stringer {
                    fields: BTreeMap::from([
                        ("GitVersion", Value::from(kube.version.as_str())),
                        ("Major", Value::from(kube.major.as_str())),
                        ("Minor", Value::from(kube.minor.as_str())),
                        ("Version", Value::from(kube.version.as_str())),
                    ]),
                    text: kube.short.clone(),
                    shown: format!(
                        "{{{} {} {} {}}}",
                        kube.version, kube.short, kube.major, kube.minor
                    ),
                }),
            ),
        ]),
    })
}

/// A values tree as Helm's templates see it: numbers are float64 except the integers
/// `set_ints` marks (the `--set` integers at the same path, which are int64).
pub fn values(json: &Json, set_ints: Option<&Json>) -> Value {
    let globals = set_ints.and_then(|s| s.get("global"));
    let root = typed(json, set_ints, globals);
    // Helm hands templates its own map type.
    match root.downcast_object_ref::<crate::engine::funcs::Dict>() {
        Some(_) => {
            crate::engine::funcs::Dict::named(crate::engine::funcs::entries(&root), "common.Values")
        }
        None => root,
    }
}

/// `values` below the root: `globals` marks the root's `global` integers, which Helm
/// copies into every subchart's `global`.
fn typed(json: &Json, set_ints: Option<&Json>, globals: Option<&Json>) -> Value {
    match json {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
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
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::from(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| typed(v, set_ints.and_then(|s| s.get(i)), globals))
                .collect::<Vec<_>>(),
        ),
        Json::Object(map) => crate::engine::funcs::new_dict(
            map.iter()
                .map(|(k, v)| {
                    let marks = set_ints.and_then(|s| s.get(k)).or(if k == "global" {
                        globals
                    } else {
                        None
                    });
                    (k.clone(), typed(v, marks, globals))
                })
                .collect(),
        ),
    }
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
