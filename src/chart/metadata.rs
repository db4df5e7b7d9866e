//! `Chart.yaml`: the chart's metadata and its validation.

use serde::Deserialize;
use serde_json::Value as Json;

/// The annotation that declares a chart's template dialect.
pub const ENGINE_ANNOTATION: &str = "rudder/engine";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub version: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub app_version: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, rename = "type")]
    pub chart_type: String,
    #[serde(default)]
    pub kube_version: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub home: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub maintainers: Vec<Maintainer>,
    #[serde(default)]
    pub icon: String,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub tags: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Maintainer {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub url: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Dependency {
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub version: String,
    #[serde(default)]
    pub repository: String,
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub import_values: Vec<Json>,
    #[serde(default)]
    pub alias: String,
}

/// Go's YAML reader turns `version: 1.0` into a number; Helm then stringifies it.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Json::deserialize(d)? {
        Json::Null => String::new(),
        Json::String(s) => s,
        other => other.to_string(),
    })
}

impl Metadata {
    /// Parses and validates `Chart.yaml`; errors say what is wrong, the caller adds the file.
    pub fn parse(text: &str) -> Result<Metadata, String> {
        let json = crate::yaml::parse(text).map_err(|e| e.to_string())?;
        if !json.is_object() {
            return Err("must be a map of fields (apiVersion, name, version, ...)".into());
        }
        let md: Metadata = serde_json::from_value(json).map_err(|e| e.to_string())?;
        md.validate()?;
        Ok(md)
    }

    fn validate(&self) -> Result<(), String> {
        if self.api_version.is_empty() {
            return Err("apiVersion is required (v2 for Helm 3 charts)".into());
        }
        if self.api_version != "v1" && self.api_version != "v2" {
            return Err(format!(
                "apiVersion `{}` is not supported (use v2)",
                self.api_version
            ));
        }
        if self.name.is_empty() {
            return Err("name is required".into());
        }
        crate::names::chart(&self.name).map_err(|e| e.message)?;
        if self.version.is_empty() {
            return Err("version is required".into());
        }
        parse_version(&self.version)
            .map_err(|_| format!("version `{}` is not a valid semantic version", self.version))?;
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return Err(format!(
                "type `{}` is invalid: use `application` or `library`",
                self.chart_type
            ));
        }
        if !self.kube_version.is_empty() {
            crate::chart::constraint::Constraint::parse(&self.kube_version).map_err(|e| {
                format!(
                    "kubeVersion `{}` is not a valid constraint: {e}",
                    self.kube_version
                )
            })?;
        }
        let mut seen = std::collections::BTreeSet::new();
        for dep in &self.dependencies {
            if dep.name.is_empty() {
                return Err("a dependency has no name".into());
            }
            if !dep.alias.is_empty()
                && !dep
                    .alias
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Err(format!(
                    "dependency `{}` has disallowed characters in the alias `{}` (use letters, digits, `_` and `-`)",
                    dep.name, dep.alias
                ));
            }
            let key = if dep.alias.is_empty() {
                &dep.name
            } else {
                &dep.alias
            };
            if !seen.insert(key.clone()) {
                return Err(format!(
                    "more than one dependency with name or alias `{key}`"
                ));
            }
        }
        Ok(())
    }

    /// Chart.yaml as Helm writes it back (`helm package`, `helm show chart`): Helm's
    /// field names, empty fields left out; the emitter sorts the keys as Helm does.
    pub fn to_helm_json(&self) -> Json {
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: Json| {
            let empty = match &v {
                Json::Null => true,
                Json::String(s) => s.is_empty(),
                Json::Array(a) => a.is_empty(),
                Json::Object(o) => o.is_empty(),
                Json::Bool(b) => !b,
                Json::Number(_) => false,
            };
            if !empty {
                m.insert(k.to_string(), v);
            }
        };
        put("apiVersion", Json::from(self.api_version.clone()));
        put("name", Json::from(self.name.clone()));
        put("version", Json::from(self.version.clone()));
        put("appVersion", Json::from(self.app_version.clone()));
        put("description", Json::from(self.description.clone()));
        put("type", Json::from(self.chart_type.clone()));
        put("kubeVersion", Json::from(self.kube_version.clone()));
        put("keywords", Json::from(self.keywords.clone()));
        put("home", Json::from(self.home.clone()));
        put("sources", Json::from(self.sources.clone()));
        put("icon", Json::from(self.icon.clone()));
        put("deprecated", Json::from(self.deprecated));
        put("condition", Json::from(self.condition.clone()));
        put("tags", Json::from(self.tags.clone()));
        if let Some(a) = &self.annotations {
            put("annotations", serde_json::to_value(a).unwrap_or_default());
        }
        let maintainers: Vec<Json> = self
            .maintainers
            .iter()
            .map(|x| {
                let mut o = serde_json::Map::new();
                for (k, v) in [("name", &x.name), ("email", &x.email), ("url", &x.url)] {
                    if !v.is_empty() {
                        o.insert(k.into(), Json::from(v.clone()));
                    }
                }
                Json::Object(o)
            })
            .collect();
        put("maintainers", Json::Array(maintainers));
        let deps: Vec<Json> = self
            .dependencies
            .iter()
            .map(|d| {
                let mut o = serde_json::Map::new();
                o.insert("name".into(), Json::from(d.name.clone()));
                o.insert("version".into(), Json::from(d.version.clone()));
                for (k, v) in [
                    ("repository", &d.repository),
                    ("condition", &d.condition),
                    ("alias", &d.alias),
                ] {
                    if !v.is_empty() {
                        o.insert(k.into(), Json::from(v.clone()));
                    }
                }
                if !d.tags.is_empty() {
                    o.insert("tags".into(), Json::from(d.tags.clone()));
                }
                if d.enabled {
                    o.insert("enabled".into(), Json::Bool(true));
                }
                if !d.import_values.is_empty() {
                    o.insert("import-values".into(), Json::Array(d.import_values.clone()));
                }
                Json::Object(o)
            })
            .collect();
        put("dependencies", Json::Array(deps));
        Json::Object(m)
    }

    pub fn is_library(&self) -> bool {
        self.chart_type == "library"
    }

    pub fn engine(&self) -> Option<&str> {
        self.annotations
            .as_ref()?
            .get(ENGINE_ANNOTATION)
            .map(String::as_str)
    }
}

/// Parses a version as Masterminds/semver does: a leading `v`, and missing minor or
/// patch parts (`1.0`, `v2`) are accepted, as Helm accepts them.
pub fn parse_version(text: &str) -> Result<semver::Version, semver::Error> {
    let t = text.strip_prefix('v').unwrap_or(text);
    let (core, rest) = match t.find(['-', '+']) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let mut parts: Vec<String> = core
        .split('.')
        .map(|p| {
            let trimmed = p.trim_start_matches('0');
            if trimmed.is_empty() && !p.is_empty() {
                "0".to_string()
            } else {
                trimmed.to_string()
            }
        })
        .collect();
    if parts.len() < 3 && parts.iter().all(|p| !p.is_empty()) {
        parts.resize(3, "0".into());
    }
    semver::Version::parse(&format!("{}{rest}", parts.join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_as_helm_reads_them() {
        for ok in ["1.2.3", "1.0", "v1.2.3", "01.2.3", "1.2.3-rc.1+build"] {
            assert!(parse_version(ok).is_ok(), "{ok}");
        }
        for bad in ["abc", "1.2.3.4", "", "1..2"] {
            assert!(parse_version(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn missing_version_is_an_error() {
        let err = Metadata::parse("apiVersion: v2\nname: x\n").unwrap_err();
        assert_eq!(err, "version is required");
    }
}
