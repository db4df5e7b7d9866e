//! The module map holds: each module imports only the modules it may use (the table
//! below, from the architecture: data flows CLI → commands → action → chart → values →
//! engine → manifest → output), and there is no import circle.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::root;

/// Which top-level modules each module may import (`crate::<module>`).
const ALLOWED: &[(&str, &[&str])] = &[
    ("cli", &[]),
    (
        "commands",
        &[
            "action", "cli", "diff", "engine", "error", "limits", "manifest", "names", "output",
        ],
    ),
    (
        "action",
        &[
            "chart", "diff", "engine", "error", "gofmt", "limits", "manifest", "names", "output",
            "project", "rendered", "repo", "values", "yaml",
        ],
    ),
    ("project", &["error", "names", "yaml"]),
    ("rendered", &["output", "project"]),
    ("chart", &["error", "limits", "names", "parallel", "yaml"]),
    ("values", &["chart", "error", "gofmt", "limits", "yaml"]),
    (
        "engine",
        &[
            "chart", "error", "gofmt", "limits", "names", "parallel", "values", "yaml",
        ],
    ),
    (
        "manifest",
        &["chart", "error", "gofmt", "limits", "parallel", "yaml"],
    ),
    ("diff", &["manifest", "yaml"]),
    ("repo", &["chart", "limits", "yaml"]),
    ("output", &["limits", "manifest"]),
    ("yaml", &["error", "gofmt", "limits"]),
    ("gofmt", &[]),
    ("names", &["error"]),
    ("parallel", &["limits"]),
    ("limits", &["error"]),
    ("error", &[]),
];

/// The `crate::<module>` imports of every top-level module of src/.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = root().join("src");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(&src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let deps = out.entry(module.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != module && !name.is_empty() {
                deps.insert(name);
            }
        }
    }
    out
}

#[test]
fn modules_import_only_what_the_module_map_allows() {
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, deps)| (*m, deps.iter().copied().collect()))
        .collect();
    let mut wrong = Vec::new();
    for (module, deps) in imports() {
        let Some(ok) = allowed.get(module.as_str()) else {
            wrong.push(format!(
                "{module}: not in the module map of tests/layers.rs"
            ));
            continue;
        };
        for dep in deps {
            if !ok.contains(dep.as_str()) {
                wrong.push(format!("{module} imports {dep}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn there_is_no_import_circle() {
    let graph = imports();
    // Depth-first search for a back edge.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(circle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!("import circle: {}", circle.join(" → "));
        }
    }
}
