//! The line scanner that reads plain block YAML without the parser (`yaml::block_events`)
//! must give the parser's events on every document it is sure of. Checked on every YAML
//! text the project holds: values files, Chart.yaml files, the rendered manifests helm4
//! printed for the corpus and the parity rows, and the corpus charts' own files.

use crate::support::root;

#[test]
fn the_line_scanner_gives_the_parsers_events_on_every_yaml_text_here() {
    let mut files = Vec::new();
    for dir in ["testdata", "../shared/corpus", "../shared/seeds"] {
        let dir = root().join(dir);
        assert!(dir.is_dir(), "missing {}", dir.display());
        for entry in walkdir::WalkDir::new(&dir) {
            let entry = entry.unwrap();
            let path = entry.path();
            let yaml = path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "out");
            if entry.file_type().is_file()
                && yaml
                && !path.components().any(|c| c.as_os_str() == "templates")
            {
                files.push(path.to_path_buf());
            }
        }
    }
    let (mut sure, mut all, mut bytes_sure, mut bytes) = (0usize, 0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        // Split as Helm splits a stream (rendered outputs hold many documents).
        for (_, doc) in rudder::manifest::split_documents(&text) {
            all += 1;
            bytes += doc.len();
            match rudder::yaml::lines_agree(doc) {
                Ok(true) => {
                    sure += 1;
                    bytes_sure += doc.len();
                }
                Ok(false) => {}
                Err(diff) => failures.push(format!("{}:\n{doc}\n{diff}", path.display())),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} documents differ; the first:\n{}",
        failures.len(),
        failures[0]
    );
    eprintln!("line scanner sure of {sure} of {all} documents, {bytes_sure} of {bytes} bytes");
    // The scanner is worth having only if it reads most of what charts hold.
    assert!(files.len() > 500, "only {} YAML files found", files.len());
    assert!(
        sure * 10 >= all * 9 && bytes_sure * 10 >= bytes * 9,
        "sure of only {sure} of {all} documents, {bytes_sure} of {bytes} bytes"
    );
}
