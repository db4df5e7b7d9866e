//! Helm's objects as minijinja values: thin adapters over the plain objects of
//! `engine::objects`, with Helm's field and method names.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use minijinja::value::{Enumerator, Object, ObjectExt, ObjectRepr, Value};
use minijinja::{Error, ErrorKind, State};

use crate::engine::objects::{Capabilities, Files, HELM_VERSION, KubeVersion};
pub use crate::engine::objects::{chart_value, release_value, template_value};

/// `Capabilities.KubeVersion`: Helm's fields, printed as `v1.35.0` (its `String`).
fn kube_version_value(v: &KubeVersion) -> Value {
    Value::from_object(crate::gofmt::Stringer {
        fields: BTreeMap::from([
            ("GitVersion", Value::from(v.version.as_str())),
            ("Major", Value::from(v.major.as_str())),
            ("Minor", Value::from(v.minor.as_str())),
            ("Version", Value::from(v.version.as_str())),
        ]),
        text: v.short.clone(),
        shown: format!("{{{} {} {} {}}}", v.version, v.short, v.major, v.minor),
    })
}

/// `Capabilities.APIVersions`: a list with Helm's `Has` method.
#[derive(Debug)]
struct ApiVersions(Capabilities);

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

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "Has" => {
                let wanted = args.first().and_then(|v| v.as_str()).unwrap_or_default();
                Ok(Value::from(self.0.has(wanted)))
            }
            _ => Err(Error::new(
                minijinja::ErrorKind::UnknownMethod,
                format!("Capabilities.APIVersions has no method {method}"),
            )),
        }
    }
}

/// `Capabilities`, shared by every chart of a render.
pub fn capabilities_value(caps: &Capabilities) -> Value {
    Value::from_pairs([
        ("APIVersions", Value::from_object(ApiVersions(caps.clone()))),
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

/// `Files` with Helm's methods.
#[derive(Debug)]
pub struct FilesObject(pub Files);

impl Object for FilesObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        self.0
            .contains(name)
            .then(|| Value::from_bytes(self.0.get(name).to_vec()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| Box::new(this.0.names().map(Value::from)))
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let first = || {
            args.first()
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        match method {
            // Go strings are bytes: a binary file keeps its exact bytes.
            // Go strings are bytes: a binary file keeps its exact bytes.
            "Get" => Ok(crate::gofmt::go_text(self.0.get(&first()).to_vec())),
            "GetBytes" => Ok(Value::from_bytes(self.0.get(&first()).to_vec())),
            "Glob" => Ok(Value::from_object(FilesObject(self.0.glob(&first())))),
            "Lines" => Ok(Value::from(
                self.0
                    .lines(&first())
                    .into_iter()
                    .map(Value::from)
                    .collect::<Vec<_>>(),
            )),
            "AsConfig" => Ok(Value::from(by_base_name_yaml(&self.0, |d| {
                String::from_utf8_lossy(d).into_owned()
            }))),
            "AsSecrets" => Ok(Value::from(by_base_name_yaml(&self.0, |d| {
                base64::engine::general_purpose::STANDARD.encode(d)
            }))),
            _ => Err(Error::new(
                ErrorKind::UnknownMethod,
                format!(
                    "Files has no method {method} (use Get, GetBytes, Glob, Lines, AsConfig, AsSecrets)"
                ),
            )),
        }
    }
}

/// `AsConfig`/`AsSecrets`: the files by base name as YAML (empty for no files).
fn by_base_name_yaml(files: &Files, encode: impl Fn(&[u8]) -> String) -> String {
    // No files make the empty map, which Helm writes as `{}`.
    let map = files.by_base_name(encode);
    let map: BTreeMap<String, Value> = map.into_iter().map(|(k, v)| (k, Value::from(v))).collect();
    crate::yaml::to_yaml(&Value::from(map)).unwrap_or_default()
}
