//! Parity with the real Helm: the same chart (Go twin vs Jinja original), the same
//! values, byte-identical output from `helm4 template` and `rudder template`.

use std::path::Path;

use crate::support::{helm, helm_dir, root, rudder};

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_name() != ".keep" {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn read_args(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .map(|s| {
            s.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Every `testdata/parity/probes/<case>`: `chart/` is the Jinja chart, `go/` holds the
/// Go templates that replace its files for Helm, `args` the extra arguments.
#[test]
fn probes_match_helm4() {
    let Some(dir) = helm_dir() else { return };
    let helm4 = dir.join("helm4");
    let probes = root().join("testdata/parity/probes");
    let mut cases: Vec<_> = std::fs::read_dir(&probes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let tmp = tempfile::tempdir().unwrap();
        let go_chart = tmp.path().join("chart");
        copy_tree(&case.join("chart"), &go_chart);
        copy_tree(&case.join("go"), &go_chart);
        let args = read_args(&case.join("args"));
        let mut helm_args = vec!["template".to_string(), go_chart.display().to_string()];
        helm_args.extend(args.iter().cloned());
        let helm_args: Vec<&str> = helm_args.iter().map(String::as_str).collect();
        let expected = helm(&helm4, &helm_args, case);
        assert_eq!(
            expected.code, 0,
            "{name}: helm4 failed: {}",
            expected.stderr
        );

        let chart = case.join("chart").display().to_string();
        let mut our_args = vec!["template", chart.as_str()];
        our_args.extend(args.iter().map(String::as_str));
        let cwd_args: Vec<String> = our_args.iter().map(|a| a.to_string()).collect();
        let ours = run_in(case, &cwd_args);
        if ours != expected.stdout {
            failures.push(format!(
                "{name}:\n--- helm4\n{}\n--- rudder\n{}",
                expected.stdout, ours
            ));
        }
    }
    eprintln!(
        "parity probes: {} of {} match helm4",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn run_in(cwd: &Path, args: &[String]) -> String {
    let out = std::process::Command::new(crate::support::binary())
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rudder {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The chart `helm create` generates, ported to Jinja in testdata/charts/helm-create-jinja,
/// renders byte-identically to the original, generated here by the real helm4.
#[test]
fn helm_create_port_matches_helm4() {
    let Some(dir) = helm_dir() else { return };
    let helm4 = dir.join("helm4");
    let tmp = tempfile::tempdir().unwrap();
    let created = helm(&helm4, &["create", "mychart"], tmp.path());
    assert_eq!(created.code, 0, "helm create failed: {}", created.stderr);
    let go_chart = tmp.path().join("mychart").display().to_string();
    let jinja_chart = root()
        .join("testdata/charts/helm-create-jinja")
        .display()
        .to_string();
    let ingress = root()
        .join("testdata/parity/helm-create/ingress-autoscaling.yaml")
        .display()
        .to_string();
    let overrides = read_args(&root().join("testdata/parity/helm-create/set-overrides.args"));

    let mut sets: Vec<(&str, Vec<String>)> = vec![
        ("defaults", vec![]),
        ("ingress_and_autoscaling", vec!["-f".into(), ingress]),
    ];
    let mut with_overrides = vec!["rel".to_string(), "-n".into(), "prod".into()];
    with_overrides.extend(overrides);
    sets.push(("set_overrides", with_overrides));

    for (name, extra) in sets {
        let (positional, flags): (Vec<&String>, Vec<&String>) =
            if extra.first().is_some_and(|a| a == "rel") {
                (vec![&extra[0]], extra[1..].iter().collect())
            } else {
                (vec![], extra.iter().collect())
            };
        let build = |chart: &str| {
            let mut args: Vec<String> = vec!["template".into()];
            args.extend(positional.iter().map(|s| s.to_string()));
            args.push(chart.to_string());
            args.extend(flags.iter().map(|s| s.to_string()));
            args
        };
        let helm_args = build(&go_chart);
        let helm_args: Vec<&str> = helm_args.iter().map(String::as_str).collect();
        let expected = helm(&helm4, &helm_args, tmp.path());
        assert_eq!(
            expected.code, 0,
            "{name}: helm4 failed: {}",
            expected.stderr
        );
        let ours_args = build(&jinja_chart);
        let ours_args: Vec<&str> = ours_args.iter().map(String::as_str).collect();
        let ours = rudder(&ours_args);
        assert_eq!(ours.code, 0, "{name}: rudder failed: {}", ours.stderr);
        assert_eq!(
            ours.stdout, expected.stdout,
            "{name}: output differs from helm4"
        );
    }
}

/// One test per row of the parity table, named after the row: `cargo test parity::<row>`.
/// tests/parity_rows.rs runs it; scripts/record-parity.sh writes the list.
macro_rules! rows {
    ($($row:ident)*) => {
        $(
            #[test]
            #[allow(non_snake_case)]
            fn $row() {
                crate::parity_rows::check(stringify!($row));
            }
        )*
    };
}

include!("parity_rows_list.rs");
