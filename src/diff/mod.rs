//! Comparing two renders object by object.
//!
//! Objects are matched by identity: the render they belong to (environment and release,
//! when a project is compared) and their apiVersion group, kind, namespace and name, so
//! a version bump of an API or a reordering of documents is not noise, and the copies of
//! one object in two environments never stand for each other. Each render is a section
//! of the report (`report.rs`). For each changed object the report lists the changed
//! field paths (old → new) and a unified diff of its YAML. Secret values are masked
//! unless asked for.

use std::collections::BTreeMap;

use serde_json::Value as Json;

/// The render an object comes from: an environment and a release of the project
/// (either may be empty: comparing two environments matches by release only; files and
/// `--chart` sides have no scope). `order` keeps the project's order in reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Scope {
    pub order: usize,
    pub environment: String,
    pub release: String,
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.environment.is_empty(), self.release.is_empty()) {
            (false, false) => write!(
                f,
                "environment {}, release {}",
                self.environment, self.release
            ),
            (false, true) => write!(f, "environment {}", self.environment),
            (true, false) => write!(f, "release {}", self.release),
            (true, true) => Ok(()),
        }
    }
}

/// What identifies an object across renders.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Id {
    pub scope: Scope,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub group: String,
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ns = if self.namespace.is_empty() {
            String::new()
        } else {
            format!("{}/", self.namespace)
        };
        if self.group.is_empty() {
            write!(f, "{} {ns}{}", self.kind, self.name)
        } else {
            write!(f, "{}.{} {ns}{}", self.kind, self.group, self.name)
        }
    }
}

/// One rendered object.
#[derive(Debug, Clone)]
pub struct Object {
    pub id: Id,
    pub doc: Json,
    pub source: String,
}

/// Reads the objects of a manifest stream (`---`-separated documents, `# Source:` lines)
/// rendered for `scope`.
pub fn objects(stream: &str, origin: &str, scope: &Scope) -> Result<Vec<Object>, String> {
    let mut out = Vec::new();
    for (_, doc) in crate::manifest::split_documents(stream) {
        let source = doc
            .lines()
            .find_map(|l| l.strip_prefix("# Source: "))
            .unwrap_or(origin)
            .to_string();
        let json = crate::yaml::parse(doc).map_err(|e| format!("`{origin}`: {e}"))?;
        if json.is_null() {
            continue;
        }
        let text = |p: &str| {
            json.pointer(p)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let api = text("/apiVersion");
        let group = api
            .split_once('/')
            .map(|(g, _)| g.to_string())
            .unwrap_or_default();
        let id = Id {
            scope: scope.clone(),
            kind: text("/kind"),
            namespace: text("/metadata/namespace"),
            name: text("/metadata/name"),
            group,
        };
        out.push(Object {
            id,
            doc: json,
            source,
        });
    }
    Ok(out)
}

/// A changed field: its path and the values before and after (None: absent).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
}

#[derive(Debug, Clone)]
pub enum Entry {
    Added(Object),
    Removed(Object),
    Changed {
        left: Box<Object>,
        right: Box<Object>,
        changes: Vec<Change>,
    },
}

impl Entry {
    pub fn id(&self) -> &Id {
        match self {
            Entry::Added(o) | Entry::Removed(o) => &o.id,
            Entry::Changed { right, .. } => &right.id,
        }
    }
}

/// How to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Field paths to leave out (`metadata.labels."helm.sh/chart"`), parsed.
    pub ignore: Vec<Vec<String>>,
    pub show_secrets: bool,
}

mod paths;
mod report;

use paths::remove_path;
pub use paths::{parse_path, unmatched_ignores};
pub use report::{json_report, markdown_report, text_report};

fn segment(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.is_empty()
    {
        key.to_string()
    } else {
        format!("\"{key}\"")
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        segment(key)
    } else {
        format!("{prefix}.{}", segment(key))
    }
}

fn field_changes(prefix: &str, a: Option<&Json>, b: Option<&Json>, out: &mut Vec<Change>) {
    match (a, b) {
        (Some(Json::Object(x)), Some(Json::Object(y))) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                field_changes(&join(prefix, k), x.get(k), y.get(k), out);
            }
        }
        (Some(Json::Array(x)), Some(Json::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                field_changes(&format!("{prefix}[{i}]"), x.get(i), y.get(i), out);
            }
        }
        (x, y) if x == y => {}
        (x, y) => out.push(Change {
            path: prefix.to_string(),
            old: x.cloned(),
            new: y.cloned(),
        }),
    }
}

/// Masks Secret values: equal values show `***`, different ones `***(old)` / `***(new)`.
fn mask_secrets(left: &mut Json, right: &mut Json) {
    for field in ["data", "stringData"] {
        let keys: Vec<String> = [left.get(field), right.get(field)]
            .iter()
            .flatten()
            .filter_map(|m| m.as_object())
            .flat_map(|m| m.keys().cloned())
            .collect();
        for k in keys {
            let (l, r) = (
                left.pointer(&format!("/{field}/{k}")).cloned(),
                right.pointer(&format!("/{field}/{k}")).cloned(),
            );
            let same = l == r;
            if let Some(v) = left.get_mut(field).and_then(|m| m.get_mut(&k)) {
                *v = Json::String(if same {
                    "***".into()
                } else {
                    "***(old)".into()
                });
            }
            if let Some(v) = right.get_mut(field).and_then(|m| m.get_mut(&k)) {
                *v = Json::String(if same {
                    "***".into()
                } else {
                    "***(new)".into()
                });
            }
        }
    }
}

fn prepare(o: &Object, opts: &Options) -> Object {
    let mut o = o.clone();
    for path in &opts.ignore {
        remove_path(&mut o.doc, path);
    }
    o
}

/// Compares two sets of objects.
pub fn compare(left: &[Object], right: &[Object], opts: &Options) -> Vec<Entry> {
    let index = |objs: &[Object]| -> BTreeMap<Id, Object> {
        objs.iter()
            .map(|o| (o.id.clone(), prepare(o, opts)))
            .collect()
    };
    let (l, r) = (index(left), index(right));
    let mut entries = Vec::new();
    let ids: std::collections::BTreeSet<&Id> = l.keys().chain(r.keys()).collect();
    for id in ids {
        match (l.get(id), r.get(id)) {
            (Some(a), None) => entries.push(Entry::Removed(masked_alone(a, opts))),
            (None, Some(b)) => entries.push(Entry::Added(masked_alone(b, opts))),
            (Some(a), Some(b)) => {
                let mut changes = Vec::new();
                field_changes("", Some(&a.doc), Some(&b.doc), &mut changes);
                if changes.is_empty() {
                    continue;
                }
                let (mut a, mut b) = (a.clone(), b.clone());
                if a.id.kind == "Secret" && !opts.show_secrets {
                    mask_secrets(&mut a.doc, &mut b.doc);
                    changes.clear();
                    field_changes("", Some(&a.doc), Some(&b.doc), &mut changes);
                }
                entries.push(Entry::Changed {
                    left: Box::new(a),
                    right: Box::new(b),
                    changes,
                });
            }
            (None, None) => {}
        }
    }
    entries
}

fn masked_alone(o: &Object, opts: &Options) -> Object {
    let mut o = o.clone();
    if o.id.kind == "Secret" && !opts.show_secrets {
        let mut twin = o.doc.clone();
        mask_secrets(&mut o.doc, &mut twin);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_parse_with_quotes_and_indexes() {
        assert_eq!(
            parse_path(r#"metadata.labels."helm.sh/chart""#).unwrap(),
            vec!["metadata", "labels", "helm.sh/chart"]
        );
        assert_eq!(
            parse_path("spec.containers[0].image").unwrap(),
            vec!["spec", "containers", "[0]", "image"]
        );
        assert!(parse_path("a..b").is_err());
    }

    #[test]
    fn objects_match_by_identity_and_report_field_changes() {
        let left = objects("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n", "l", &Scope::default()).unwrap();
        let right = objects("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n", "r", &Scope::default()).unwrap();
        let entries = compare(&left, &right, &Options::default());
        assert_eq!(entries.len(), 2);
        match &entries[0] {
            Entry::Changed { changes, .. } => {
                assert_eq!(
                    changes,
                    &vec![Change {
                        path: "spec.replicas".into(),
                        old: Some(1.into()),
                        new: Some(3.into())
                    }]
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(entries[1], Entry::Added(_)));
    }

    #[test]
    fn secrets_are_masked_but_changes_show() {
        let l = objects(
            "kind: Secret\napiVersion: v1\nmetadata: {name: s}\ndata: {a: b2xk, same: eA==}\n",
            "l",
            &Scope::default(),
        )
        .unwrap();
        let r = objects(
            "kind: Secret\napiVersion: v1\nmetadata: {name: s}\ndata: {a: bmV3, same: eA==}\n",
            "r",
            &Scope::default(),
        )
        .unwrap();
        let entries = compare(&l, &r, &Options::default());
        let text = text_report(&entries, false, 3);
        assert!(
            text.contains("data.a: \"***(old)\" → \"***(new)\""),
            "{text}"
        );
        assert!(!text.contains("b2xk") && !text.contains("bmV3"), "{text}");
    }

    #[test]
    fn ignored_paths_are_not_differences() {
        let l = objects(
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: c, labels: {helm.sh/chart: a-1}}\n",
            "l",
            &Scope::default(),
        )
        .unwrap();
        let r = objects(
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: c, labels: {helm.sh/chart: a-2}}\n",
            "r",
            &Scope::default(),
        )
        .unwrap();
        let opts = Options {
            ignore: vec![parse_path(r#"metadata.labels."helm.sh/chart""#).unwrap()],
            show_secrets: false,
        };
        assert!(compare(&l, &r, &opts).is_empty());
    }
}
