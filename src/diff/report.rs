//! The reports of a diff: text for a terminal, JSON for machines, Markdown for a pull
//! request. Each render (environment and release) is a section.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value as Json;

use super::{Entry, Id, Object};

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

/// The title of the section `e` opens (its environment and release), when it is the
/// first entry of a render that has one.
fn new_section<'a>(current: &mut Option<&'a super::Scope>, e: &'a Entry) -> Option<String> {
    let scope = &e.id().scope;
    if *current == Some(scope) {
        return None;
    }
    *current = Some(scope);
    Some(scope.to_string()).filter(|t| !t.is_empty())
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
        if let Some(title) = new_section(&mut scope, e) {
            let _ = write!(out, "\n{}\n", p.wrap("1", &format!("== {title} ==")));
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
        if let Some(title) = new_section(&mut scope, e) {
            let _ = write!(out, "\n#### {title}\n");
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
