//! Helm's objects as template values, the same for both dialects: the release, a chart's
//! metadata, `Files` and `Capabilities.APIVersions` with Helm's method names, and the top
//! object each chart's templates see. Jinja calls the methods through minijinja
//! (`call_method`); the Go engine calls `FilesMethod` itself, with Go's argument checks.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use minijinja::value::{Enumerator, Object, ObjectExt, ObjectRepr, Value};
use minijinja::{Error, ErrorKind, State};

use super::{Capabilities, Files, KubeVersion, ReleaseInfo};
use crate::chart::{Chart, Metadata};

pub fn release_value(r: &ReleaseInfo) -> Value {
    Value::from_pairs([
        ("IsInstall", Value::from(!r.is_upgrade)),
        ("IsUpgrade", Value::from(r.is_upgrade)),
        ("Name", Value::from(r.name.as_str())),
        ("Namespace", Value::from(r.namespace.as_str())),
        ("Revision", crate::engine::funcs::go_int(1)),
        ("Service", Value::from("Helm")),
    ])
}

fn strings(items: &[String]) -> Value {
    Value::from(
        items
            .iter()
            .map(|s| Value::from(s.as_str()))
            .collect::<Vec<_>>(),
    )
}

/// `Chart`: Chart.yaml with Helm's capitalised field names.
pub fn chart_value(md: &Metadata, is_root: bool) -> Value {
    // Helm's `map[string]string`, nil when Chart.yaml has none.
    let annotations = Value::from_object(crate::gofmt::StringMap(md.annotations.clone()));
    let maintainers: Vec<Value> = md
        .maintainers
        .iter()
        .map(|m| {
            Value::from_pairs([
                ("Email", Value::from(m.email.as_str())),
                ("Name", Value::from(m.name.as_str())),
                ("URL", Value::from(m.url.as_str())),
            ])
        })
        .collect();
    let dependencies: Vec<Value> = md
        .dependencies
        .iter()
        .map(|d| {
            Value::from_pairs([
                ("Alias", Value::from(d.alias.as_str())),
                ("Condition", Value::from(d.condition.as_str())),
                ("Enabled", Value::from(d.enabled)),
                ("Name", Value::from(d.name.as_str())),
                ("Repository", Value::from(d.repository.as_str())),
                ("Tags", strings(&d.tags)),
                ("Version", Value::from(d.version.as_str())),
            ])
        })
        .collect();
    let fields: BTreeMap<&str, Value> = BTreeMap::from([
        ("APIVersion", Value::from(md.api_version.as_str())),
        ("Annotations", annotations),
        ("AppVersion", Value::from(md.app_version.as_str())),
        ("Condition", Value::from(md.condition.as_str())),
        ("Dependencies", Value::from(dependencies)),
        ("Deprecated", Value::from(md.deprecated)),
        ("Description", Value::from(md.description.as_str())),
        ("Home", Value::from(md.home.as_str())),
        ("Icon", Value::from(md.icon.as_str())),
        ("IsRoot", Value::from(is_root)),
        ("Keywords", strings(&md.keywords)),
        ("KubeVersion", Value::from(md.kube_version.as_str())),
        ("Maintainers", Value::from(maintainers)),
        ("Name", Value::from(md.name.as_str())),
        ("Sources", strings(&md.sources)),
        ("Tags", Value::from(md.tags.as_str())),
        ("Type", Value::from(md.chart_type.as_str())),
        ("Version", Value::from(md.version.as_str())),
    ]);
    Value::from(fields)
}

/// `Template`: the name of the file being rendered and its folder.
pub fn template_value(name: &str, base_path: &str) -> Value {
    Value::from_object(TemplateObject {
        base_path: Value::from(base_path),
        name: Value::from(name),
    })
}

/// `Template`, a map of its two fields. It is the one object a chart's templates do not
/// share, so every look inside it is counted (`funcs::watched_reads`): a helper that
/// never looks prints the same in each template of the chart (the Jinja engine keeps
/// such outputs).
#[derive(Debug)]
pub struct TemplateObject {
    base_path: Value,
    name: Value,
}

impl Object for TemplateObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        crate::engine::funcs::watched_read();
        match key.as_str()? {
            "BasePath" => Some(self.base_path.clone()),
            "Name" => Some(self.name.clone()),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        crate::engine::funcs::watched_read();
        Enumerator::Str(&["BasePath", "Name"])
    }
}

/// `Capabilities.KubeVersion`: Helm's fields; a template prints it as `v1.35.0` (its
/// `String`), Go's fmt shows its fields.
pub fn kube_version_value(v: &KubeVersion) -> Value {
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

/// `Capabilities.APIVersions`: a list of strings with Helm's `Has`.
#[derive(Debug)]
pub struct ApiVersionsValue(pub Capabilities);

impl Object for ApiVersionsValue {
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
                ErrorKind::UnknownMethod,
                format!("Capabilities.APIVersions has no method {method}"),
            )),
        }
    }
}

/// `.Files` (and what `Glob` returns): a map of paths to bytes with Helm's methods.
#[derive(Debug)]
pub struct FilesValue(pub Files);

impl Object for FilesValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        // A file that cannot be read on first use (gone since loading) reads as missing
        // here; the methods below report it.
        let bytes = self.0.shared(key.as_str()?).ok()??;
        Some(Value::from(bytes))
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
        let Some(m) = FilesMethod::named(method) else {
            return Err(Error::new(
                ErrorKind::UnknownMethod,
                format!(
                    "Files has no method {method} (use Get, GetBytes, Glob, Lines, AsConfig, AsSecrets)"
                ),
            ));
        };
        let path = args.first().and_then(|v| v.as_str()).unwrap_or_default();
        m.call(&self.0, path)
            .map_err(|e| Error::new(ErrorKind::InvalidOperation, e))
    }
}

/// A method of `Files`.
#[derive(Debug, Clone, Copy)]
pub enum FilesMethod {
    Get,
    GetBytes,
    Glob,
    Lines,
    AsConfig,
    AsSecrets,
}

impl FilesMethod {
    pub fn named(name: &str) -> Option<FilesMethod> {
        Some(match name {
            "Get" => FilesMethod::Get,
            "GetBytes" => FilesMethod::GetBytes,
            "Glob" => FilesMethod::Glob,
            "Lines" => FilesMethod::Lines,
            "AsConfig" => FilesMethod::AsConfig,
            "AsSecrets" => FilesMethod::AsSecrets,
            _ => return None,
        })
    }

    /// Whether it takes a path (or a pattern); the others take nothing.
    pub fn takes_path(self) -> bool {
        !matches!(self, FilesMethod::AsConfig | FilesMethod::AsSecrets)
    }

    /// Calls it on `files` (`path` is ignored by the methods without one); fails only
    /// when a file read on first use cannot be read.
    pub fn call(self, files: &Files, path: &str) -> Result<Value, String> {
        Ok(match self {
            // Go strings are bytes: a binary file keeps its exact bytes.
            FilesMethod::Get => {
                let bytes = files.get(path)?;
                match std::str::from_utf8(bytes) {
                    Ok(text) => Value::from(text),
                    Err(_) => crate::gofmt::go_text(bytes.to_vec()),
                }
            }
            FilesMethod::GetBytes => match files.shared(path)? {
                Some(bytes) => Value::from(bytes),
                None => Value::from_bytes(Vec::new()),
            },
            FilesMethod::Glob => Value::from_object(FilesValue(files.glob(path))),
            FilesMethod::Lines => Value::from(
                files
                    .lines(path)?
                    .into_iter()
                    .map(Value::from)
                    .collect::<Vec<_>>(),
            ),
            FilesMethod::AsConfig => Value::from(by_base_name_yaml(files, |d| {
                String::from_utf8_lossy(d).into_owned()
            })?),
            FilesMethod::AsSecrets => Value::from(by_base_name_yaml(files, |d| {
                base64::engine::general_purpose::STANDARD.encode(d)
            })?),
        })
    }
}

/// `AsConfig`/`AsSecrets`: the files by base name as YAML (no files make the empty map,
/// which Helm writes as `{}`).
fn by_base_name_yaml(files: &Files, encode: impl Fn(&[u8]) -> String) -> Result<String, String> {
    let map: BTreeMap<String, Value> = files
        .by_base_name(encode)?
        .into_iter()
        .map(|(k, v)| (k, Value::from(v)))
        .collect();
    Ok(crate::yaml::to_yaml(&Value::from(map)).unwrap_or_default())
}

/// One chart of the tree: its template prefix (`parent/charts/child`) and the top object
/// its templates see.
pub struct Scope<'c> {
    pub prefix: String,
    pub chart: &'c Chart,
    pub top: BTreeMap<&'static str, Value>,
}

/// The scope of `chart` and of every subchart below it, appended to `out`: `shared`
/// (`Release`, `Capabilities`) with the chart's `Values` (its part of the parent's),
/// `Chart`, `Files` and `Subcharts` (the subcharts' top objects). Returns the chart's
/// top object.
pub fn collect_scopes<'c>(
    chart: &'c Chart,
    prefix: String,
    values: Value,
    shared: &BTreeMap<&'static str, Value>,
    is_root: bool,
    out: &mut Vec<Scope<'c>>,
) -> Value {
    let mut subcharts = BTreeMap::new();
    for sub in &chart.subcharts {
        let sub_values = values
            .get_attr(sub.name())
            .ok()
            .filter(|v| v.kind() == minijinja::value::ValueKind::Map)
            .unwrap_or_else(|| Value::from(BTreeMap::<String, Value>::new()));
        let sub_prefix = format!("{prefix}/charts/{}", sub.name());
        let summary = collect_scopes(sub, sub_prefix, sub_values, shared, false, out);
        subcharts.insert(sub.name().to_string(), summary);
    }
    let mut top = shared.clone();
    top.insert("Values", values);
    top.insert("Chart", chart_value(&chart.metadata, is_root));
    top.insert(
        "Files",
        Value::from_object(FilesValue(Files::new(&chart.files))),
    );
    top.insert("Subcharts", Value::from(subcharts));
    let summary = Value::from_pairs(top.iter().map(|(k, v)| (*k, v.clone())));
    out.push(Scope { prefix, chart, top });
    summary
}
