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

/// The entries of a .tgz, sorted.
fn entries(archive: &std::path::Path) -> Vec<String> {
    let file = std::fs::File::open(archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut names: Vec<String> = tar
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().display().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn rudder_packages_every_corpus_chart_as_helm4_does() {
    let Some(dir) = helm_dir() else { return };
    let helm4 = dir.join("helm4");
    let tmp = tempfile::tempdir().unwrap();
    let (theirs_dir, ours_dir) = (tmp.path().join("helm"), tmp.path().join("rudder"));
    let mut differ = Vec::new();
    for chart in charts() {
        let path = chart.to_str().unwrap();
        let run = helm(
            &helm4,
            &["package", path, "-d", theirs_dir.to_str().unwrap()],
            tmp.path(),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let run = rudder_in(
            tmp.path(),
            &[],
            &["package", path, "-d", ours_dir.to_str().unwrap()],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    for theirs in std::fs::read_dir(&theirs_dir).unwrap() {
        let theirs = theirs.unwrap().path();
        let name = theirs.file_name().unwrap().to_owned();
        let ours = ours_dir.join(&name);
        if entries(&theirs) != entries(&ours) {
            differ.push(format!("{name:?}: file lists differ"));
            continue;
        }
        // helm4 renders rudder's archive as it renders its own; the charts that draw
        // random passwords get their corpus case that fixes them.
        let chart = name.to_string_lossy();
        let chart = chart.rsplit_once('-').map_or(&*chart, |(n, _)| n);
        let minimal = root().join(format!("../shared/corpus/cases/{chart}/minimal.yaml"));
        let render = |archive: &std::path::Path| {
            let mut args = vec![
                "template".to_string(),
                "x".to_string(),
                archive.display().to_string(),
            ];
            if minimal.is_file() {
                args.extend(["-f".to_string(), minimal.display().to_string()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            helm(&helm4, &args, tmp.path())
        };
        let (a, b) = (render(&theirs), render(&ours));
        if (a.code, &a.stdout) != (b.code, &b.stdout) {
            differ.push(format!("{name:?}: helm4 renders the archives differently"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
