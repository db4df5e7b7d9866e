//! The built-in objects a template sees, named and shaped as in Helm: `Release`,
//! `Chart`, `Capabilities` and `Template`.

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Error, State};

use crate::chart::Metadata;

/// The Kubernetes version `Capabilities.KubeVersion` reports (helm 4.1's default).
pub const DEFAULT_KUBE_VERSION: &str = "v1.35.0";

/// The API versions `helm4 template` reports when no cluster is asked.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// The release being rendered.
#[derive(Debug, Clone)]
pub struct ReleaseInfo {
    pub name: String,
    pub namespace: String,
    pub is_upgrade: bool,
}

/// A Kubernetes version as `Capabilities.KubeVersion` shows it.
#[derive(Debug, Clone)]
pub struct KubeVersion {
    pub version: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    /// Parses `1.30`, `v1.30.2` or `1.30.2` as Helm's `--kube-version` does.
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let v = crate::chart::metadata::parse_version(text)
            .map_err(|_| format!("invalid kube version `{text}`: not a semantic version"))?;
        Ok(KubeVersion {
            version: format!("v{v}"),
            major: v.major.to_string(),
            minor: v.minor.to_string(),
        })
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion::parse(DEFAULT_KUBE_VERSION).unwrap_or(KubeVersion {
            version: DEFAULT_KUBE_VERSION.into(),
            major: "1".into(),
            minor: "35".into(),
        })
    }
}

pub fn release_value(r: &ReleaseInfo) -> Value {
    Value::from_pairs([
        ("IsInstall", Value::from(!r.is_upgrade)),
        ("IsUpgrade", Value::from(r.is_upgrade)),
        ("Name", Value::from(r.name.as_str())),
        ("Namespace", Value::from(r.namespace.as_str())),
        ("Revision", Value::from(1)),
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
    let annotations = match &md.annotations {
        Some(a) => Value::from_pairs(a.iter().map(|(k, v)| (k.as_str(), Value::from(v.as_str())))),
        None => Value::from(()),
    };
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

/// `Capabilities.KubeVersion`: prints as `v1.35.0`, with Helm's fields.
#[derive(Debug)]
pub(crate) struct KubeVersionObject(pub(crate) KubeVersion);

impl Object for KubeVersionObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let v = &self.0;
        Some(Value::from(match key.as_str()? {
            "Version" | "GitVersion" => v.version.as_str(),
            "Major" => v.major.as_str(),
            "Minor" => v.minor.as_str(),
            _ => return None,
        }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["GitVersion", "Major", "Minor", "Version"])
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.version)
    }
}

/// `Capabilities.APIVersions`: a list with Helm's `Has` method.
#[derive(Debug)]
struct ApiVersions(Vec<String>);

impl Object for ApiVersions {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(|s| Value::from(s.as_str()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
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
                Ok(Value::from(self.0.iter().any(|v| v == wanted)))
            }
            _ => Err(Error::new(
                minijinja::ErrorKind::UnknownMethod,
                format!("Capabilities.APIVersions has no method {method}"),
            )),
        }
    }
}

/// `Capabilities`, shared by every chart of a render.
pub fn capabilities_value(kube: &KubeVersion, extra_api_versions: &[String]) -> Value {
    let mut apis: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
    for api in extra_api_versions {
        if !apis.contains(api) {
            apis.push(api.clone());
        }
    }
    Value::from_pairs([
        ("APIVersions", Value::from_object(ApiVersions(apis))),
        (
            "HelmVersion",
            Value::from_pairs([
                ("GitCommit", Value::from("")),
                ("GitTreeState", Value::from("")),
                ("GoVersion", Value::from("")),
                ("Version", Value::from("v4.1.4")),
            ]),
        ),
        (
            "KubeVersion",
            Value::from_object(KubeVersionObject(kube.clone())),
        ),
    ])
}

/// `Template`: the name of the file being rendered and its folder.
pub fn template_value(name: &str, base_path: &str) -> Value {
    Value::from_pairs([
        ("BasePath", Value::from(base_path)),
        ("Name", Value::from(name)),
    ])
}
