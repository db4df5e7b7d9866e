//! The ten upstream charts of ../shared/corpus, nobody here wrote: what rudder already
//! does with them equals helm4 (`show` of every part, `dependency list`). Rendering them
//! needs the Go-template engine (tests/gotmpl.rs parses every template today).

use std::path::PathBuf;

use crate::support::{helm, helm_dir, root, rudder_in};

fn charts() -> Vec<PathBuf> {
    let dir = root().join("../shared/corpus/charts");
    assert!(dir.is_dir(), "the corpus is missing at {}", dir.display());
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Chart.yaml").is_file())
        .collect();
    out.sort();
    out
}

#[test]
fn show_and_dependency_list_of_every_corpus_chart_equal_helm4() {
    let Some(dir) = helm_dir() else { return };
    let helm4 = dir.join("helm4");
    let tmp = tempfile::tempdir().unwrap();
    let charts = charts();
    assert_eq!(charts.len(), 10);
    let mut differ = Vec::new();
    for chart in &charts {
        let path = chart.to_str().unwrap();
        let mut commands: Vec<Vec<&str>> = ["chart", "values", "readme", "crds", "all"]
            .iter()
            .map(|part| vec!["show", part, path])
            .collect();
        commands.push(vec!["dependency", "list", path]);
        for args in commands {
            let theirs = helm(&helm4, &args, tmp.path());
            let ours = rudder_in(tmp.path(), &[], &args);
            if (theirs.code, &theirs.stdout) != (ours.code, &ours.stdout) {
                differ.push(format!("{args:?}"));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "differ from helm4: {}",
        differ.join("\n")
    );
}
