//! A chart repository: its index.yaml as Helm writes and reads it, and fetching from it.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use crate::chart::Chart;
use crate::chart::metadata::parse_version;

pub mod fetch;

/// One archive to list: its chart, its path in the repository, its sha256.
pub struct Archive<'a> {
    pub chart: &'a Chart,
    pub path: String,
    pub digest: String,
}

/// Builds the index; `base_url` prefixes paths, `created` stamps new entries.
/// `previous` entries (from `--merge`) are kept where DIR has no such name and version.
pub fn index(
    archives: &[Archive],
    base_url: Option<&str>,
    created: &str,
    previous: Option<&Json>,
) -> Json {
    let mut entries: BTreeMap<String, Vec<Json>> = BTreeMap::new();
    for a in archives {
        let mut entry = match a.chart.metadata.to_helm_json() {
            Json::Object(m) => m,
            _ => Map::new(),
        };
        let url = match base_url {
            Some(base) => format!("{}/{}", base.trim_end_matches('/'), a.path),
            None => a.path.clone(),
        };
        entry.insert("urls".into(), Json::Array(vec![Json::from(url)]));
        entry.insert("created".into(), Json::from(created));
        entry.insert("digest".into(), Json::from(a.digest.clone()));
        entries
            .entry(a.chart.name().to_string())
            .or_default()
            .push(Json::Object(entry));
    }
    if let Some(Json::Object(old)) = previous.and_then(|p| p.get("entries")) {
        for (name, versions) in old {
            for v in versions.as_array().into_iter().flatten() {
                let version = v.get("version").and_then(Json::as_str).unwrap_or_default();
                let list = entries.entry(name.clone()).or_default();
                if !list
                    .iter()
                    .any(|e| e.get("version").and_then(Json::as_str) == Some(version))
                {
                    list.push(v.clone());
                }
            }
        }
    }
    for list in entries.values_mut() {
        // Newest first, as Helm sorts them.
        list.sort_by(|a, b| {
            let v = |e: &Json| {
                parse_version(e.get("version").and_then(Json::as_str).unwrap_or_default()).ok()
            };
            v(b).cmp(&v(a))
        });
    }
    let mut root = Map::new();
    root.insert("apiVersion".into(), Json::from("v1"));
    root.insert(
        "entries".into(),
        serde_json::to_value(entries).unwrap_or_default(),
    );
    root.insert("generated".into(), Json::from(created));
    Json::Object(root)
}

/// index.yaml's text.
pub fn to_yaml(index: &Json) -> String {
    let mut text = crate::yaml::json_to_yaml(index);
    text.push('\n');
    text
}

/// A version chosen from an index: its version, its archive's URL as listed (maybe
/// relative to the repository) and its digest.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub version: String,
    pub url: String,
    pub digest: Option<String>,
}

/// The newest version of `name` in `index` that satisfies `range` (or exactly `exact`,
/// a locked version). Pre-releases count only with `devel`, and then when their release
/// would satisfy the range, as Helm decides.
pub fn pick(
    index: &Json,
    name: &str,
    range: &str,
    exact: Option<&str>,
    devel: bool,
) -> Option<Pick> {
    use crate::chart::constraint::satisfies;
    let versions = index["entries"][name].as_array()?;
    let best = versions
        .iter()
        .filter(|e| {
            let v = e["version"].as_str().unwrap_or_default();
            match exact {
                Some(x) => v == x,
                None => match parse_version(v) {
                    Ok(p) if !p.pre.is_empty() => {
                        devel && satisfies(range, &format!("{}.{}.{}", p.major, p.minor, p.patch))
                    }
                    _ => satisfies(range, v),
                },
            }
        })
        .max_by(|a, b| {
            let v = |e: &Json| parse_version(e["version"].as_str().unwrap_or_default()).ok();
            v(a).cmp(&v(b))
        })?;
    Some(Pick {
        version: best["version"].as_str().unwrap_or_default().to_string(),
        url: best["urls"][0].as_str().unwrap_or_default().to_string(),
        digest: best["digest"].as_str().map(str::to_string),
    })
}
