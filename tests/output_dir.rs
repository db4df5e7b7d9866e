//! `--output-dir`: what Helm writes, the chart's folder replaced whole and atomically,
//! nothing else touched, nothing written when rendering fails.

use crate::support::{root, rudder};

fn list(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn writes_one_file_per_template_and_keeps_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("mychart/templates")).unwrap();
    std::fs::write(out.join("unrelated.txt"), "keep me").unwrap();
    std::fs::write(out.join("mychart/templates/service.yaml"), "stale content").unwrap();
    // A file of an older render of the chart: the chart's folder is replaced whole.
    std::fs::write(out.join("mychart/templates/removed.yaml"), "old").unwrap();
    let chart = root().join("testdata/charts/helm-create-jinja");
    let run = rudder(&[
        "template",
        chart.to_str().unwrap(),
        "--output-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        list(&out),
        vec![
            "mychart/templates/deployment.yaml",
            "mychart/templates/service.yaml",
            "mychart/templates/serviceaccount.yaml",
            "mychart/templates/tests/test-connection.yaml",
            "unrelated.txt",
        ]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("unrelated.txt")).unwrap(),
        "keep me"
    );
    let service = std::fs::read_to_string(out.join("mychart/templates/service.yaml")).unwrap();
    assert!(
        service.starts_with("---\n# Source: mychart/templates/service.yaml\napiVersion: v1\n"),
        "{service}"
    );
    assert!(!service.contains("stale"));
    assert!(run.stdout.contains(&format!(
        "wrote {}",
        out.join("mychart/templates/service.yaml").display()
    )));
}

#[test]
fn documents_of_one_template_share_its_file() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = root().join("testdata/parity/probes/kind-order/chart");
    let run = rudder(&[
        "template",
        chart.to_str().unwrap(),
        "--output-dir",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = std::fs::read_to_string(tmp.path().join("kinds/templates/all.yaml")).unwrap();
    assert_eq!(
        all.matches("# Source: kinds/templates/all.yaml").count(),
        7,
        "{all}"
    );
}

#[test]
fn nothing_is_written_when_rendering_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let chart = root().join("testdata/charts/errors/not-yaml");
    let run = rudder(&[
        "template",
        chart.to_str().unwrap(),
        "--output-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        !out.exists(),
        "a failed render must not create {}",
        out.display()
    );
}

#[test]
fn a_file_where_the_chart_folder_goes_is_refused_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("mychart"), "mine").unwrap();
    let chart = root().join("testdata/charts/helm-create-jinja");
    let run = rudder(&[
        "template",
        chart.to_str().unwrap(),
        "--output-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("is not a folder; rudder writes a folder there"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(out.join("mychart")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "nothing left beside it"
    );
}
