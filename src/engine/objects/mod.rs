//! Helm's objects as plain Rust, the same for every engine: the release, the
//! capabilities of the cluster rendered for, and a chart's `Files`. `shown` makes them
//! template values, the same for both dialects; each engine adds its own ways of calling
//! their methods.

mod shown;

pub use shown::{
    ApiVersionsValue, FilesMethod, FilesValue, Scope, TemplateObject, chart_value, collect_scopes,
    kube_version_value, release_value, template_value,
};

use std::collections::BTreeMap;

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
    /// As given, with a `v` in front (`v1.28+`, `v1.28.5-gke.1`).
    pub version: String,
    pub major: String,
    pub minor: String,
    /// What it prints as: `v` and its numbers (`v1.28`, `v1.28.5`).
    pub short: String,
}

impl KubeVersion {
    /// Parses `--kube-version` as Helm does (Kubernetes' generic versions): `v`, then at
    /// least two dot-separated numbers without leading zeros, then anything.
    pub fn parse(text: &str) -> Result<KubeVersion, crate::error::Error> {
        let invalid = |why: String| {
            crate::error::Error::new(
                crate::error::Kind::Usage,
                format!("invalid kube version '{text}': {why}"),
            )
        };
        let trimmed = text.trim_start();
        let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let numeric_end = body
            .char_indices()
            .scan(false, |after_dot, (i, c)| {
                let ok = c.is_ascii_digit() || (c == '.' && !*after_dot && i > 0);
                *after_dot = c == '.';
                ok.then_some(i + c.len_utf8())
            })
            .last()
            .unwrap_or(0);
        let numbers = body[..numeric_end].trim_end_matches('.');
        if numbers.is_empty() {
            return Err(invalid(format!("could not parse {text:?} as version")));
        }
        let components: Vec<&str> = numbers.split('.').collect();
        if components.len() < 2 {
            return Err(invalid(format!("illegal version string {text:?}")));
        }
        if let Some(zero) = components
            .iter()
            .find(|c| c.len() > 1 && c.starts_with('0'))
        {
            return Err(invalid(format!(
                "illegal zero-prefixed version component {zero:?} in {text:?}"
            )));
        }
        Ok(KubeVersion {
            version: format!("v{}", text.strip_prefix('v').unwrap_or(text)),
            major: components[0].to_string(),
            minor: components[1].to_string(),
            short: format!("v{numbers}"),
        })
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion::parse(DEFAULT_KUBE_VERSION).unwrap_or(KubeVersion {
            version: DEFAULT_KUBE_VERSION.into(),
            major: "1".into(),
            minor: "35".into(),
            short: DEFAULT_KUBE_VERSION.into(),
        })
    }
}

/// The Helm version `Capabilities.HelmVersion` reports: the one rudder matches.
pub const HELM_VERSION: &str = "v4.1.4";

/// What the cluster offers: its version and API versions (Helm's defaults plus
/// `--api-versions`).
#[derive(Debug, Clone)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: Vec<String>,
}

impl Capabilities {
    pub fn new(kube_version: &KubeVersion, extra_api_versions: &[String]) -> Capabilities {
        let mut api_versions: Vec<String> =
            DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
        for api in extra_api_versions {
            if !api_versions.contains(api) {
                api_versions.push(api.clone());
            }
        }
        Capabilities {
            kube_version: kube_version.clone(),
            api_versions,
        }
    }

    /// `Capabilities.APIVersions.Has`: an API version (`apps/v1`) or a resource
    /// (`apps/v1/Deployment`) the cluster offers.
    pub fn has(&self, api: &str) -> bool {
        self.api_versions.iter().any(|v| v == api)
    }
}

/// The files of one chart (or a `Glob` subset), by path.
#[derive(Debug, Clone, Default)]
pub struct Files {
    files: BTreeMap<String, crate::chart::Contents>,
}

impl Files {
    pub fn new(files: &[crate::chart::File]) -> Files {
        Files {
            files: files
                .iter()
                .map(|f| (f.name.clone(), f.data.clone()))
                .collect(),
        }
    }

    /// `Files.Get`/`GetBytes`: a file's bytes (empty when there is no such file), or
    /// why a file read on first use cannot be read.
    pub fn get(&self, name: &str) -> Result<&[u8], String> {
        match self.files.get(name) {
            Some(contents) => contents.bytes(),
            None => Ok(&[]),
        }
    }

    /// A file's bytes, shared (`None` when there is no such file).
    pub fn shared(&self, name: &str) -> Result<Option<std::sync::Arc<Vec<u8>>>, String> {
        self.files.get(name).map(|c| c.shared()).transpose()
    }

    /// Whether the chart has the file.
    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// The paths, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// `Files.Glob`: the files whose path matches `pattern`.
    pub fn glob(&self, pattern: &str) -> Files {
        Files {
            files: self
                .files
                .iter()
                .filter(|(k, _)| glob_match(pattern, k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// `Files.Lines`: the file's lines, without a final empty one.
    pub fn lines(&self, name: &str) -> Result<Vec<String>, String> {
        if !self.files.contains_key(name) {
            return Ok(Vec::new());
        }
        let text = String::from_utf8_lossy(self.get(name)?).into_owned();
        let text = text.strip_suffix('\n').unwrap_or(&text);
        Ok(text.split('\n').map(str::to_string).collect())
    }

    /// The files by base name, each encoded by `encode`: what `AsConfig` (text) and
    /// `AsSecrets` (base64) print as YAML.
    pub fn by_base_name(
        &self,
        encode: impl Fn(&[u8]) -> String,
    ) -> Result<BTreeMap<String, String>, String> {
        self.files
            .iter()
            .map(|(k, v)| {
                let base = k.rsplit('/').next().unwrap_or(k).to_string();
                Ok((base, encode(v.bytes()?)))
            })
            .collect()
    }
}

/// The glob syntax of `Files.Glob` (gobwas/glob with `/` as separator): `*` and `?`
/// stay within a path segment, `**` crosses segments, `[a-z]`, `[!a]` and `{a,b}`.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    matches_at(&p, &n)
}

fn matches_at(p: &[char], n: &[char]) -> bool {
    let Some(&c) = p.first() else {
        return n.is_empty();
    };
    match c {
        '*' if p.get(1) == Some(&'*') => (0..=n.len()).any(|i| matches_at(&p[2..], &n[i..])),
        '*' => {
            let mut i = 0;
            loop {
                if matches_at(&p[1..], &n[i..]) {
                    return true;
                }
                if i >= n.len() || n[i] == '/' {
                    return false;
                }
                i += 1;
            }
        }
        '?' => !n.is_empty() && n[0] != '/' && matches_at(&p[1..], &n[1..]),
        '[' => {
            let Some(end) = p.iter().position(|&x| x == ']') else {
                return false;
            };
            let Some(&ch) = n.first() else { return false };
            let class = &p[1..end];
            let (negate, class) = match class.first() {
                Some('!') | Some('^') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    hit |= class[i] <= ch && ch <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == ch;
                    i += 1;
                }
            }
            hit != negate && matches_at(&p[end + 1..], &n[1..])
        }
        '{' => {
            let Some(end) = p.iter().position(|&x| x == '}') else {
                return false;
            };
            let rest = &p[end + 1..];
            p[1..end].split(|&x| x == ',').any(|alt| {
                let mut candidate: Vec<char> = alt.to_vec();
                candidate.extend_from_slice(rest);
                matches_at(&candidate, n)
            })
        }
        '\\' if p.len() > 1 => n.first() == Some(&p[1]) && matches_at(&p[2..], &n[1..]),
        _ => n.first() == Some(&c) && matches_at(&p[1..], &n[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_follows_gobwas_rules() {
        let rows = [
            ("star_in_segment", "config/*.conf", "config/a.conf", true),
            ("star_not_across", "*.conf", "config/a.conf", false),
            ("double_star", "**.conf", "config/a.conf", true),
            ("braces", "files/{a,b}.txt", "files/b.txt", true),
            ("class", "f[0-9].txt", "f7.txt", true),
            ("negated_class", "f[!0-9].txt", "f7.txt", false),
        ];
        for (name, p, n, want) in rows {
            assert_eq!(glob_match(p, n), want, "{name}");
        }
    }
}
