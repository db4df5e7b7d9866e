//! `rudder template` on fixture charts: output compared with reviewed goldens (each
//! golden equals what helm4 prints for the Go twin; `parity.rs` re-checks that when
//! helm is installed).

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::support::{golden, root, rudder, rudder_ok};

fn probe_args(case: &str) -> Vec<String> {
    let mut args = vec![
        "template".to_string(),
        format!("testdata/parity/probes/{case}/chart"),
    ];
    if let Ok(text) =
        std::fs::read_to_string(root().join(format!("testdata/parity/probes/{case}/args")))
    {
        for line in text.lines().filter(|l| !l.is_empty()) {
            // `-f` paths in probe args are relative to the probe folder.
            if line.ends_with(".yaml") && !line.contains('/') {
                args.push(format!("testdata/parity/probes/{case}/{line}"));
            } else {
                args.push(line.to_string());
            }
        }
    }
    args
}

fn render_probe(case: &str) -> String {
    let args = probe_args(case);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    rudder_ok(&args)
}

#[test]
fn subchart_values_coalesce_with_globals_nulls_and_archives() {
    golden(
        "probes/subchart-values.yaml",
        &render_probe("subchart-values"),
    );
}

#[test]
fn kinds_sort_in_helm_install_order_with_crds_and_hooks() {
    golden("probes/kind-order.yaml", &render_probe("kind-order"));
}

#[test]
fn show_only_selects_templates_by_glob_in_pattern_order() {
    golden(
        "probes/kind-order-show-only.yaml",
        &render_probe("kind-order-show-only"),
    );
}

#[test]
fn helmignore_and_files_objects() {
    golden(
        "probes/files-and-ignore.yaml",
        &render_probe("files-and-ignore"),
    );
}

#[test]
fn to_yaml_quotes_folds_and_orders_as_helm() {
    golden(
        "probes/toyaml-quoting.yaml",
        &render_probe("toyaml-quoting"),
    );
}

#[test]
fn release_chart_capabilities_and_template_objects() {
    golden(
        "probes/release-objects.yaml",
        &render_probe("release-objects"),
    );
}

#[test]
fn binary_files_keep_their_bytes_through_get_and_to_string() {
    golden("probes/binary-files.yaml", &render_probe("binary-files"));
}

#[test]
fn first_function_set_follows_helm_semantics() {
    golden("probes/functions.yaml", &render_probe("functions"));
}

#[test]
fn helm_create_port_defaults() {
    golden(
        "helm-create-defaults.yaml",
        &rudder_ok(&["template", "testdata/charts/helm-create-jinja"]),
    );
}

#[test]
fn kube_version_and_api_versions_reach_capabilities() {
    let out = rudder_ok(&[
        "template",
        "testdata/charts/kube-version-gate",
        "--kube-version",
        "v1.30.2",
        "-a",
        "example.com/v1",
    ]);
    golden("kube-version-gate.yaml", &out);
}

#[test]
fn values_from_stdin_with_dash() {
    let mut child = Command::new(crate::support::binary())
        .args([
            "template",
            "testdata/charts/helm-create-jinja",
            "-f",
            "-",
            "-s",
            "templates/service.yaml",
        ])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"service:\n  port: 9999\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("- port: 9999"), "{text}");
}

#[test]
fn set_flags_apply_in_helm_precedence_whatever_their_order() {
    // --set-string beats --set, which beats -f, whatever the order typed.
    let out = rudder_ok(&[
        "template",
        "testdata/charts/helm-create-jinja",
        "--set-string",
        "service.type=FromSetString",
        "--set",
        "service.type=FromSet",
        "-f",
        "testdata/parity/helm-create/ingress-autoscaling.yaml",
        "-s",
        "templates/service.yaml",
    ]);
    assert!(out.contains("type: FromSetString"), "{out}");
}

#[test]
fn same_inputs_give_same_bytes() {
    let a = render_probe("subchart-values");
    let b = render_probe("subchart-values");
    assert_eq!(a, b);
}

/// Packs a chart folder into a gzipped tar with `<name>/` as its top folder.
fn pack(dir: &std::path::Path, top: &str, out: &std::path::Path) {
    let file = std::fs::File::create(out).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.append_dir_all(top, dir).unwrap();
    tar.into_inner().unwrap().finish().unwrap();
}

#[test]
fn chart_archive_renders_like_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("mychart-0.1.0.tgz");
    pack(
        &root().join("testdata/charts/helm-create-jinja"),
        "mychart",
        &archive,
    );
    let from_archive = rudder_ok(&["template", archive.to_str().unwrap()]);
    let from_folder = rudder_ok(&["template", "testdata/charts/helm-create-jinja"]);
    assert_eq!(from_archive, from_folder);
}

#[test]
fn archive_with_path_outside_the_chart_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("evil.tgz");
    let file = std::fs::File::create(&archive).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    let data = b"apiVersion: v2\nname: evil\nversion: 0.1.0\n";
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    // `set_path` refuses `..`, so write the raw name as an attacker would.
    header.as_gnu_mut().unwrap().name[..23].copy_from_slice(b"evil/../../../Chart.yml");
    header.set_cksum();
    tar.append(&header, &data[..]).unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    let run = crate::support::rudder(&["template", archive.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unsafe path"), "{}", run.stderr);
}

#[test]
fn set_file_set_json_and_set_literal_reach_values() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("annotation.txt");
    std::fs::write(&file, "from, a file").unwrap();
    let out = rudder_ok(&[
        "template",
        "testdata/parity/probes/subchart-values/chart",
        "--set-file",
        &format!("fromFile={}", file.display()),
        "--set-json",
        r#"fromJson={"a":[1,2]}"#,
        "--set-literal",
        "literal=a,b=c",
        "-s",
        "templates/json.yaml",
    ]);
    assert!(out.contains(r#""fromFile":"from, a file""#), "{out}");
    assert!(out.contains(r#""fromJson":{"a":[1,2]}"#), "{out}");
    assert!(out.contains(r#""literal":"a,b=c""#), "{out}");
}

#[test]
fn set_grammar_rows_confirmed_with_helm() {
    golden("probes/set-grammar.yaml", &render_probe("set-grammar"));
}

#[test]
fn dependencies_conditions_tags_aliases_library_and_import_values() {
    golden("probes/dependencies.yaml", &render_probe("dependencies"));
}

/// A schema that passed its metaschema check is remembered (by its bytes' digest) so later
/// runs skip that check; the answers stay the same, and a schema that fails the check is
/// never remembered.
#[test]
fn remembered_schemas_give_the_same_answers() {
    let cache = tempfile::tempdir().unwrap();
    let env = [("RUDDER_CACHE_DIR", cache.path().to_str().unwrap())];
    let remembered = || {
        std::fs::read_dir(cache.path().join("valid-schemas"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let violations = root().join("testdata/charts/errors/schema-violations");
    let args = ["template", violations.to_str().unwrap()];
    let first = crate::support::rudder_in(&root(), &env, &args);
    let known = remembered();
    assert!(known >= 1, "valid schemas are remembered");
    let second = crate::support::rudder_in(&root(), &env, &args);
    assert_eq!(first.code, 1);
    assert!(
        first.stderr.contains("- at '/replicaCount'"),
        "{}",
        first.stderr
    );
    assert_eq!(
        (second.code, &second.stdout, &second.stderr),
        (first.code, &first.stdout, &first.stderr)
    );

    let bad = tempfile::tempdir().unwrap();
    let chart = crate::support::chart_folder(
        bad.path(),
        "bad-schema",
        &[
            ("templates/cm.yaml", "a: 1\n"),
            (
                "values.schema.json",
                r#"{"type": "object", "minProperties": "two"}"#,
            ),
        ],
    );
    let args = ["template", chart.as_str()];
    let first = crate::support::rudder_in(&root(), &env, &args);
    let second = crate::support::rudder_in(&root(), &env, &args);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(first.stderr.contains("metaschema"), "{}", first.stderr);
    assert_eq!(second.stderr, first.stderr);
    assert_eq!(
        remembered(),
        known,
        "a schema that fails its metaschema is not remembered"
    );
}

/// A chart of `count` ConfigMaps of about 4 KB each in `templates/cm.yaml` (over the
/// size from which documents are read on two threads), `bad` documents (by index) left
/// with a YAML error.
fn many_documents(dir: &std::path::Path, count: usize, bad: &[usize]) -> String {
    let filler = "x".repeat(4000);
    let mut text = String::new();
    for i in 0..count {
        // Kinds alternate so the install order reorders them.
        let kind = if i % 2 == 0 { "ConfigMap" } else { "Secret" };
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: {kind}\nmetadata:\n  name: doc-{i:03}\ndata:\n  filler: {filler}\n"
        ));
        if bad.contains(&i) {
            text.push_str("  broken: [unclosed\n");
        }
    }
    crate::support::chart_folder(dir, "many", &[("templates/cm.yaml", &text)])
}

/// Large outputs are read on two threads; the output and its order stay those of one
/// thread (Secrets before ConfigMaps, each in document order), run after run.
#[test]
fn large_outputs_keep_their_order_and_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_documents(tmp.path(), 100, &[]);
    let first = rudder(&["template", "x", &chart]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let names: Vec<&str> = first
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  name: "))
        .collect();
    let want: Vec<String> = (1..100)
        .step_by(2)
        .chain((0..100).step_by(2))
        .map(|i| format!("doc-{i:03}"))
        .collect();
    assert_eq!(names, want);
    for _ in 0..3 {
        assert_eq!(rudder(&["template", "x", &chart]).stdout, first.stdout);
    }
}

/// With YAML errors in both halves of a large output, the first in document order is
/// reported, every time.
#[test]
fn large_outputs_report_their_first_yaml_error() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_documents(tmp.path(), 100, &[20, 80]);
    for _ in 0..3 {
        let run = rudder(&["template", "x", &chart]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        // Each document takes 7 lines (8 when broken): document 20's error is on line
        // 148 of the output, document 80's (alone) on line 568.
        assert!(
            run.stderr.contains("many/templates/cm.yaml"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("at line 148 of its output"),
            "want the error of document 20, not 80: {}",
            run.stderr
        );
    }
}
