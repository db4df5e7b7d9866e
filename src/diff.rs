//! Comparing two renders object by object.
//!
//! Objects are matched by identity: the render they belong to (environment and release,
//! when a project is compared) and their apiVersion group, kind, namespace and name, so
//! a version bump of an API or a reordering of documents is not noise, and the copies of
//! one object in two environments never stand for each other. Each render is a section
//! of the report. For each changed
//! object the report lists the changed field paths (old → new) and a unified diff of its
//! YAML. Secret values are masked unless asked for.

use std::collections::BTreeMap;
use std::fmt::Write as _;

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

/// Parses `a.b."c.d"[0]` into segments `a`, `b`, `c.d`, `[0]`.
pub fn parse_path(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '.' => {
                // `a[0].b`: the dot after an index starts the next key.
                let after_index =
                    cur.is_empty() && out.last().is_some_and(|l: &String| l.starts_with('['));
                if !after_index {
                    out.push(std::mem::take(&mut cur));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                let mut idx = String::from("[");
                for q in chars.by_ref() {
                    idx.push(q);
                    if q == ']' {
                        break;
                    }
                }
                out.push(idx);
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    if out.iter().any(String::is_empty) {
        return Err(format!("`{text}` is not a field path (use a.b.\"c.d\"[0])"));
    }
    Ok(out)
}

/// Whether `doc` has a value at `path`.
fn has_path(doc: &Json, path: &[String]) -> bool {
    let mut cur = doc;
    for seg in path {
        let next = match (seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')), cur) {
            (Some(i), Json::Array(a)) => i.parse::<usize>().ok().and_then(|i| a.get(i)),
            (None, Json::Object(m)) => m.get(seg),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
    true
}

/// The `--ignore` paths (as given) that match no field of any object on either side:
/// most likely a typo, which would otherwise leave the noise in without a word.
pub fn unmatched_ignores<'a>(
    given: &'a [String],
    parsed: &[Vec<String>],
    left: &[Object],
    right: &[Object],
) -> Vec<&'a str> {
    given
        .iter()
        .zip(parsed)
        .filter(|(_, path)| !left.iter().chain(right).any(|o| has_path(&o.doc, path)))
        .map(|(text, _)| text.as_str())
        .collect()
}

fn remove_path(doc: &mut Json, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = doc;
    for seg in parents {
        let next = match (seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')), cur) {
            (Some(i), Json::Array(a)) => i.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
            (None, Json::Object(m)) => m.get_mut(seg),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match (
        last.strip_prefix('[').and_then(|s| s.strip_suffix(']')),
        cur,
    ) {
        (Some(i), Json::Array(a)) => {
            if let Ok(i) = i.parse::<usize>()
                && i < a.len()
            {
                a.remove(i);
            }
        }
        (None, Json::Object(m)) => {
            m.remove(last);
        }
        _ => {}
    }
}

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

fn yaml(doc: &Json) -> String {
    let mut text = crate::yaml::json_to_yaml(doc);
    text.push('\n');
    text
}

/// The unified diff of a changed object's YAML, as both the text and Markdown reports show it.
fn unified(left: &Object, right: &Object, context: usize) -> String {
    let (l, r) = (yaml(&left.doc), yaml(&right.doc));
    similar::TextDiff::from_lines(&l, &r)
        .unified_diff()
        .context_radius(context)
        .to_string()
}

fn short(v: &Option<Json>) -> String {
    match v {
        None => "(absent)".into(),
        Some(Json::String(s)) => format!("{s:?}"),
        Some(other) => other.to_string(),
    }
}

/// Counts per kind: (added, removed, changed).
fn summary(entries: &[Entry]) -> BTreeMap<String, (usize, usize, usize)> {
    let mut per: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for e in entries {
        let slot = per.entry(e.id().kind.clone()).or_default();
        match e {
            Entry::Added(_) => slot.0 += 1,
            Entry::Removed(_) => slot.1 += 1,
            Entry::Changed { .. } => slot.2 += 1,
        }
    }
    per
}

/// ANSI styles, or nothing when colour is off.
struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The report for a terminal: summary, then fields and a unified diff per object.
pub fn text_report(entries: &[Entry], color: bool, context: usize) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let (a, r, c) = entries.iter().fold((0, 0, 0), |acc, e| match e {
        Entry::Added(_) => (acc.0 + 1, acc.1, acc.2),
        Entry::Removed(_) => (acc.0, acc.1 + 1, acc.2),
        Entry::Changed { .. } => (acc.0, acc.1, acc.2 + 1),
    });
    if entries.is_empty() {
        return "no differences\n".into();
    }
    let _ = writeln!(out, "{a} added, {r} removed, {c} changed");
    for (kind, (a, r, c)) in summary(entries) {
        let _ = writeln!(out, "  {kind}: {a} added, {r} removed, {c} changed");
    }
    let mut scope = None;
    for e in entries {
        if scope != Some(&e.id().scope) {
            scope = Some(&e.id().scope);
            let title = e.id().scope.to_string();
            if !title.is_empty() {
                let _ = write!(out, "\n{}\n", p.wrap("1", &format!("== {title} ==")));
            }
        }
        out.push('\n');
        match e {
            Entry::Added(o) => {
                let _ = writeln!(out, "{}", p.wrap("1;32", &format!("+ {}", o.id)));
                for line in yaml(&o.doc).lines() {
                    let _ = writeln!(out, "{}", p.wrap("32", &format!("+ {line}")));
                }
            }
            Entry::Removed(o) => {
                let _ = writeln!(out, "{}", p.wrap("1;31", &format!("- {}", o.id)));
                for line in yaml(&o.doc).lines() {
                    let _ = writeln!(out, "{}", p.wrap("31", &format!("- {line}")));
                }
            }
            Entry::Changed {
                left,
                right,
                changes,
            } => {
                let _ = writeln!(out, "{}", p.wrap("1;33", &format!("~ {}", right.id)));
                for ch in changes {
                    let _ = writeln!(
                        out,
                        "    {}: {} → {}",
                        ch.path,
                        short(&ch.old),
                        short(&ch.new)
                    );
                }
                for line in unified(left, right, context).lines() {
                    let styled = if line.starts_with("@@") {
                        p.wrap("36", line)
                    } else if line.starts_with('+') {
                        p.wrap("32", line)
                    } else if line.starts_with('-') {
                        p.wrap("31", line)
                    } else {
                        line.to_string()
                    };
                    let _ = writeln!(out, "  {styled}");
                }
            }
        }
    }
    out
}

fn id_json(id: &Id) -> Json {
    let mut item = serde_json::json!({"group": id.group, "kind": id.kind, "namespace": id.namespace, "name": id.name});
    if !id.scope.environment.is_empty() {
        item["environment"] = Json::from(id.scope.environment.clone());
    }
    if !id.scope.release.is_empty() {
        item["release"] = Json::from(id.scope.release.clone());
    }
    item
}

/// The report as JSON, for machines.
pub fn json_report(entries: &[Entry]) -> String {
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut changed = Vec::new();
    for e in entries {
        match e {
            Entry::Added(o) => added.push(id_json(&o.id)),
            Entry::Removed(o) => removed.push(id_json(&o.id)),
            Entry::Changed { right, changes, .. } => {
                let list: Vec<Json> = changes
                    .iter()
                    .map(|c| serde_json::json!({"path": c.path, "old": c.old, "new": c.new}))
                    .collect();
                let mut item = id_json(&right.id);
                item["changes"] = Json::Array(list);
                changed.push(item);
            }
        }
    }
    let report = serde_json::json!({"added": added, "removed": removed, "changed": changed});
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// The report as Markdown, for a pull-request comment.
pub fn markdown_report(entries: &[Entry], context: usize) -> String {
    let mut out = String::from("### rudder diff\n\n");
    if entries.is_empty() {
        out.push_str("No differences.\n");
        return out;
    }
    out.push_str("| kind | added | removed | changed |\n|---|---|---|---|\n");
    for (kind, (a, r, c)) in summary(entries) {
        let _ = writeln!(out, "| {kind} | {a} | {r} | {c} |");
    }
    let mut scope = None;
    for e in entries {
        if scope != Some(&e.id().scope) {
            scope = Some(&e.id().scope);
            let title = e.id().scope.to_string();
            if !title.is_empty() {
                let _ = write!(out, "\n#### {title}\n");
            }
        }
        out.push('\n');
        match e {
            Entry::Added(o) => {
                let _ = writeln!(out, "##### ➕ `{}`\n\n```yaml\n{}```", o.id, yaml(&o.doc));
            }
            Entry::Removed(o) => {
                let _ = writeln!(out, "##### ➖ `{}`\n\n```yaml\n{}```", o.id, yaml(&o.doc));
            }
            Entry::Changed {
                left,
                right,
                changes,
            } => {
                let _ = writeln!(out, "##### ✏️ `{}`\n", right.id);
                for ch in changes {
                    let _ = writeln!(
                        out,
                        "- `{}`: `{}` → `{}`",
                        ch.path,
                        short(&ch.old),
                        short(&ch.new)
                    );
                }
                let _ = writeln!(
                    out,
                    "\n<details><summary>diff</summary>\n\n```diff\n{}```\n</details>",
                    unified(left, right, context)
                );
            }
        }
    }
    out
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
