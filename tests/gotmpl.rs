//! The Go-template engine on real charts: every template of the corpus charts (ten
//! upstream charts, ../shared/corpus) parses.

use std::path::PathBuf;

use crate::support::root;

fn corpus() -> PathBuf {
    root().join("../shared/corpus/charts")
}

/// Whether a template function exists for a Go chart: Go's builtins and the registry.
fn has_function(name: &str) -> bool {
    rudder::engine::gotmpl::parse::GO_BUILTINS.contains(&name)
        || rudder::engine::funcs::names().contains(&name)
}

#[test]
fn every_template_of_the_corpus_charts_parses() {
    let dir = corpus();
    assert!(dir.is_dir(), "the corpus is missing at {}", dir.display());
    let mut parsed = 0;
    let mut failures = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        let in_templates = path.components().any(|c| c.as_os_str() == "templates");
        if !entry.file_type().is_file() || !in_templates {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        match rudder::engine::gotmpl::parse::parse(&name, &text, &has_function) {
            Ok(_) => parsed += 1,
            Err(e) => failures.push(format!("{name}:{}: {}", e.line, e.message)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(parsed > 250, "only {parsed} templates found");
}
