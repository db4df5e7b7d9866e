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

/// A template that is not UTF-8 is refused, in either dialect, naming the file (Helm
/// reads a template as bytes; rudder's engines read text).
#[test]
fn a_template_that_is_not_utf8_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, extra) in [
        ("go", ""),
        ("jinja", "annotations:\n  rudder/engine: jinja\n"),
    ] {
        let chart = dir.path().join(name);
        std::fs::create_dir_all(chart.join("templates")).unwrap();
        std::fs::write(
            chart.join("Chart.yaml"),
            format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n{extra}"),
        )
        .unwrap();
        std::fs::write(chart.join("templates/cm.yaml"), b"a: \"\xff\"\n").unwrap();
        let run = rudder(&["template", chart.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!(
                "`{name}/templates/cm.yaml`: template is not valid UTF-8 text"
            )),
            "{name}: {}",
            run.stderr
        );
    }
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

/// A chart of `count` templates of about 5 KB each (60 of them are enough text to be
/// rendered on two threads), each including a helper; the templates at `failing` call
/// `fail`.
fn many_templates(dir: &std::path::Path, count: usize, failing: &[usize]) -> String {
    let filler = "x".repeat(5000);
    let mut files = vec![(
        "templates/_helpers.tpl".to_string(),
        "{{- define \"name\" -}}{{ .Release.Name }}-{{ . | len }}{{- end -}}".to_string(),
    )];
    for i in 0..count {
        let fail = if failing.contains(&i) {
            format!("{{{{ fail \"template {i:02} fails\" }}}}\n")
        } else {
            String::new()
        };
        files.push((
            format!("templates/t{i:02}.yaml"),
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ include \"name\" $ }}}}-{i:02}\ndata:\n  filler: {filler}\n{fail}"
            ),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    crate::support::chart_folder(dir, "many", &files)
}

/// Many templates are executed on two threads; the output is byte for byte the one of
/// a single thread (`--seed` keeps a render on one thread, so its random sequence runs
/// through the templates in order).
#[test]
fn many_templates_render_on_two_threads_as_on_one() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_templates(tmp.path(), 60, &[]);
    let split = rudder(&["template", "x", &chart]);
    assert_eq!(split.code, 0, "{}", split.stderr);
    let one = rudder(&["template", "x", &chart, "--seed", "1"]);
    assert_eq!(split.stdout, one.stdout);
    assert_eq!(split.stdout.matches("kind: ConfigMap").count(), 60);
    assert!(split.stdout.contains("name: x-"), "{}", split.stdout);
}

/// With failing templates in both halves, the first in Helm's execution order (names
/// backwards: t50 before t10, as helm4 reports) is reported; with one only in the
/// second half, that one.
#[test]
fn many_templates_report_their_first_error_in_order() {
    assert_first_error(many_templates, &[10, 50], "template 50 fails");
    assert_first_error(many_templates, &[10], "template 10 fails");
}

/// The chart `make` writes (60 templates, those at `failing` failing) fails with `want`
/// on two threads, with the same report as on one thread (`--seed`).
fn assert_first_error(
    make: fn(&std::path::Path, usize, &[usize]) -> String,
    failing: &[usize],
    want: &str,
) {
    let tmp = tempfile::tempdir().unwrap();
    let chart = make(tmp.path(), 60, failing);
    let split = rudder(&["template", "x", &chart]);
    assert_eq!(split.code, 1);
    assert!(
        split.stderr.contains(want),
        "want {want:?}: {}",
        split.stderr
    );
    let one = rudder(&["template", "x", &chart, "--seed", "1"]);
    assert_eq!(split.stderr, one.stderr);
}

/// The output limit counts the bytes of the whole release, whichever thread prints
/// them: two halves each under the limit but over it together fail as one thread does.
#[test]
fn the_output_limit_counts_both_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_templates(tmp.path(), 60, &[]);
    assert_output_limit_as_one_thread(tmp.path(), &chart);
}

/// `chart` (about 300 KB of output, 150 KB on each thread) over an output limit of
/// 200 000 bytes fails, with the report of one thread (`--seed`).
fn assert_output_limit_as_one_thread(dir: &std::path::Path, chart: &str) {
    let env = [("RUDDER_MAX_OUTPUT", "200000")];
    let split = crate::support::rudder_in(dir, &env, &["template", "x", chart]);
    assert_eq!(split.code, 1, "{}", split.stderr);
    assert!(
        split
            .stderr
            .contains("over the output size limit of 200000 bytes"),
        "{}",
        split.stderr
    );
    let one = crate::support::rudder_in(dir, &env, &["template", "x", chart, "--seed", "1"]);
    assert_eq!(split.stderr, one.stderr);
}

/// An umbrella's subcharts are loaded on two threads: they keep their order, and of two
/// broken ones the first in order is reported.
#[test]
fn many_subcharts_load_in_order_and_report_the_first_broken_one() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..8 {
        files.push((
            format!("charts/sub{i}/Chart.yaml"),
            format!("apiVersion: v2\nname: sub{i}\nversion: 0.1.0\n"),
        ));
        files.push((
            format!("charts/sub{i}/templates/cm.yaml"),
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub{i}\n"),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let chart = crate::support::chart_folder(tmp.path(), "umbrella", &borrowed);
    let out = rudder_ok(&["template", "x", &chart]);
    let names: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  name: "))
        .collect();
    assert_eq!(names, (0..8).map(|i| format!("sub{i}")).collect::<Vec<_>>());

    // Subcharts 0-3 load on this thread, 4-7 on the helper.
    for (broken, want, not) in [([2, 6], "sub2", "sub6"), ([6, 7], "sub6", "sub7")] {
        for i in 0..8 {
            let _ = std::fs::remove_file(
                tmp.path()
                    .join(format!("umbrella/charts/sub{i}/values.yaml")),
            );
        }
        for i in broken {
            std::fs::write(
                tmp.path()
                    .join(format!("umbrella/charts/sub{i}/values.yaml")),
                "a: [unclosed\n",
            )
            .unwrap();
        }
        for _ in 0..3 {
            let run = rudder(&["template", "x", &chart]);
            assert_eq!(run.code, 1);
            assert!(
                run.stderr.contains(&format!("charts/{want}/values.yaml")),
                "{}",
                run.stderr
            );
            assert!(!run.stderr.contains(not), "{}", run.stderr);
        }
    }
}

/// A chart of many files has them opened on two threads; of two files over the size
/// limit, the first in the chart's order is reported.
#[test]
fn many_files_report_the_first_one_over_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let small = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    let large = format!("{small}data:\n  x: {}\n", "y".repeat(2000));
    let texts: Vec<(String, &str)> = (0..300)
        .map(|i| {
            let text = if i == 10 || i == 250 { &large } else { small };
            (format!("templates/f{i:03}.yaml"), text)
        })
        .collect();
    let files: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let chart = crate::support::chart_folder(tmp.path(), "files", &files);
    let env = [("RUDDER_MAX_CHART_FILE", "1000")];
    for _ in 0..3 {
        let run = crate::support::rudder_in(tmp.path(), &env, &["template", "x", &chart]);
        assert_eq!(run.code, 1);
        assert!(run.stderr.contains("templates/f010.yaml"), "{}", run.stderr);
        assert!(!run.stderr.contains("f250"), "{}", run.stderr);
    }
    std::fs::write(tmp.path().join("files/templates/f010.yaml"), small).unwrap();
    let run = crate::support::rudder_in(tmp.path(), &env, &["template", "x", &chart]);
    assert!(run.stderr.contains("templates/f250.yaml"), "{}", run.stderr);
}

/// When the second thread's templates alone pass the output limit at another place than
/// the whole release does, the error is the one-thread one (the template where the
/// release's output crosses the limit).
#[test]
fn the_output_limit_error_is_where_the_whole_release_crosses_it() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_templates(tmp.path(), 60, &[]);
    // Templates run names backwards: t59..t30 on this thread (about 150 KB of output),
    // t29..t00 on the second, each 15 KB here (about 450 KB).
    std::fs::write(
        tmp.path().join("many/values.yaml"),
        format!("big: {}\n", "b".repeat(10_000)),
    )
    .unwrap();
    for i in 0..30 {
        let path = tmp.path().join(format!("many/templates/t{i:02}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}  big: {{{{ .Values.big }}}}\n")).unwrap();
    }
    let env = [("RUDDER_MAX_OUTPUT", "400000")];
    let split = crate::support::rudder_in(tmp.path(), &env, &["template", "x", &chart]);
    let one =
        crate::support::rudder_in(tmp.path(), &env, &["template", "x", &chart, "--seed", "1"]);
    assert_eq!(one.code, 1, "{}", one.stderr);
    assert_eq!(split.stderr, one.stderr);
}

/// A template may change the values for the templates after it (`set .Values`, as Helm
/// allows): a render whose templates can do so runs them in order, and every later
/// template sees the change, however many templates there are.
#[test]
fn a_change_to_the_values_reaches_every_later_template() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_templates(tmp.path(), 60, &[]);
    std::fs::write(tmp.path().join("many/values.yaml"), "x: original\n").unwrap();
    // Names run backwards: t59..t30 (on one thread, when split), then t29..t00. The
    // last of the first half changes the value; every template after it sees that.
    for i in 0..60 {
        let path = tmp.path().join(format!("many/templates/t{i:02}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let change = if i == 30 {
            "{{- $_ := set .Values \"x\" \"changed\" }}\n"
        } else {
            ""
        };
        std::fs::write(&path, format!("{change}{text}  x: {{{{ .Values.x }}}}\n")).unwrap();
    }
    let run = rudder_ok(&["template", "x", &chart]);
    assert_eq!(run.matches("  x: changed\n").count(), 31, "{run}");
    assert_eq!(run.matches("  x: original\n").count(), 29, "{run}");
    assert_eq!(run, rudder_ok(&["template", "x", &chart, "--seed", "1"]));
}

/// `many_templates` in the Jinja dialect: `count` templates of about 5 KB, the ones at
/// `failing` calling `fail`.
fn many_jinja_templates(dir: &std::path::Path, count: usize, failing: &[usize]) -> String {
    let filler = "x".repeat(5000);
    let texts: Vec<(String, String)> = (0..count)
        .map(|i| {
            let fail = if failing.contains(&i) {
                format!("{{{{ fail(\"template {i:02} fails\") }}}}\n")
            } else {
                String::new()
            };
            (
                format!("templates/t{i:02}.yaml"),
                format!(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ Release.Name }}}}-{i:02}\ndata:\n  filler: {filler}\n{fail}"
                ),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let chart = crate::support::chart_folder(dir, "jinja", &files);
    std::fs::write(
        dir.join("jinja/Chart.yaml"),
        "apiVersion: v2\nname: jinja\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    chart
}

/// The Jinja dialect renders many templates on two threads too: the same bytes, the
/// same first error and the same output limit as one thread (`--seed`).
#[test]
fn many_jinja_templates_render_on_two_threads_as_on_one() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_jinja_templates(tmp.path(), 60, &[]);
    let split = rudder(&["template", "x", &chart]);
    assert_eq!(split.code, 0, "{}", split.stderr);
    assert_eq!(split.stdout.matches("kind: ConfigMap").count(), 60);
    assert_eq!(
        split.stdout,
        rudder_ok(&["template", "x", &chart, "--seed", "1"])
    );

    assert_output_limit_as_one_thread(tmp.path(), &chart);

    // Jinja templates run in name order.
    assert_first_error(many_jinja_templates, &[10, 50], "template 10 fails");
    assert_first_error(many_jinja_templates, &[50], "template 50 fails");
}

/// With `--seed`, a render large enough for two threads stays on one: its random values
/// are one sequence through the templates (none repeats, as a second thread starting the
/// sequence again would repeat them), the same on every run, in both dialects.
#[test]
fn a_seeded_large_render_draws_one_random_sequence() {
    let tmp = tempfile::tempdir().unwrap();
    let go = many_templates(tmp.path(), 60, &[]);
    let jinja = many_jinja_templates(tmp.path(), 60, &[]);
    for (chart, call) in [
        (&go, "{{ randAlphaNum 16 }}"),
        (&jinja, "{{ randAlphaNum(16) }}"),
    ] {
        for i in 0..60 {
            let path = std::path::Path::new(chart).join(format!("templates/t{i:02}.yaml"));
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, format!("{text}  random: {call}\n")).unwrap();
        }
        let first = rudder_ok(&["template", "x", chart, "--seed", "7"]);
        let drawn: std::collections::BTreeSet<&str> = first
            .lines()
            .filter_map(|l| l.strip_prefix("  random: "))
            .collect();
        assert_eq!(drawn.len(), 60, "{first}");
        for _ in 0..3 {
            assert_eq!(rudder_ok(&["template", "x", chart, "--seed", "7"]), first);
        }
    }
}

/// An umbrella of two Jinja subcharts `a` and `b` whose templates have the same text
/// (compiled once): `b`'s helpers file says `b-` where `a`'s says `a-` unless `same`.
fn twin_jinja_subcharts(dir: &std::path::Path, same_helpers: bool) -> String {
    let jinja = "annotations:\n  rudder/engine: jinja\n";
    let template = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include(\"name\") }}\ndata:\n  chart: {{ Chart.Name }}\n  template: {{ Template.Name }}\n  part: {% include \"umbrella/charts/\" ~ Chart.Name ~ \"/templates/_part.txt\" %}\n{% if Values.failHere %}{{ fail(\"stop in \" ~ Chart.Name) }}{% endif %}\n";
    let helpers = |prefix: &str| {
        format!(
            "{{% macro name() %}}{prefix}{{{{ Values.word }}}}{{% if Values.failInHelper %}}{{{{ fail(\"helper stops\") }}}}{{% endif %}}{{% endmacro %}}\n"
        )
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for sub in ["a", "b"] {
        files.push((
            format!("charts/{sub}/Chart.yaml"),
            format!("apiVersion: v2\nname: {sub}\nversion: 0.1.0\n{jinja}"),
        ));
        files.push((
            format!("charts/{sub}/values.yaml"),
            format!("word: {sub}-word\n"),
        ));
        files.push((format!("charts/{sub}/templates/cm.yaml"), template.into()));
        files.push((
            format!("charts/{sub}/templates/_part.txt"),
            "same part".into(),
        ));
        let prefix = if same_helpers {
            "x-"
        } else if sub == "a" {
            "a-"
        } else {
            "b-"
        };
        files.push((
            format!("charts/{sub}/templates/_helpers.tpl"),
            helpers(prefix),
        ));
    }
    files.push(("templates/.keep".into(), String::new()));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let chart = crate::support::chart_folder(dir, "umbrella", &borrowed);
    let top = std::path::Path::new(&chart).join("Chart.yaml");
    std::fs::write(
        &top,
        format!("apiVersion: v2\nname: umbrella\nversion: 0.1.0\n{jinja}"),
    )
    .unwrap();
    chart
}

/// Jinja templates with the same text in several charts are compiled once, yet each
/// renders as its own file: its chart's objects and values, its chart's helpers for
/// `include`, and `{% include %}` of another file that shares its text.
#[test]
fn jinja_templates_of_the_same_text_render_as_their_own_files() {
    let tmp = tempfile::tempdir().unwrap();
    for same_helpers in [false, true] {
        let chart = twin_jinja_subcharts(&tmp.path().join(format!("{same_helpers}")), same_helpers);
        let out = rudder_ok(&["template", "x", &chart]);
        let (a, b) = if same_helpers {
            ("x-a-word", "x-b-word")
        } else {
            ("a-a-word", "b-b-word")
        };
        for (sub, name) in [("a", a), ("b", b)] {
            let expected = format!(
                "# Source: umbrella/charts/{sub}/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  chart: {sub}\n  template: umbrella/charts/{sub}/templates/cm.yaml\n  part: same part\n"
            );
            assert!(out.contains(&expected), "{expected}\nnot in\n{out}");
        }
    }
}

/// An error in a copy of a shared text names that copy's file, in a template and in a
/// helper it includes.
#[test]
fn jinja_errors_in_a_shared_text_name_the_file_that_failed() {
    let tmp = tempfile::tempdir().unwrap();
    for same_helpers in [false, true] {
        let chart = twin_jinja_subcharts(&tmp.path().join(format!("{same_helpers}")), same_helpers);
        for (set, file, message) in [
            (
                "b.failHere=true",
                "umbrella/charts/b/templates/cm.yaml",
                "stop in b",
            ),
            (
                "b.failInHelper=true",
                "umbrella/charts/b/templates/_helpers.tpl",
                "helper stops",
            ),
        ] {
            let run = rudder(&["template", "x", &chart, "--set", set]);
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert!(run.stderr.contains(file), "{file} not in {}", run.stderr);
            assert!(run.stderr.contains(message), "{}", run.stderr);
            assert!(!run.stderr.contains("charts/a/"), "{}", run.stderr);
        }
    }
}

/// A Jinja chart `memo` with a helpers file and one template.
fn jinja_chart(dir: &std::path::Path, helpers: &str, template: &str) -> String {
    mark_jinja(go_chart(dir, helpers, template))
}

/// A Go chart `memo` with a helpers file and one template.
fn go_chart(dir: &std::path::Path, helpers: &str, template: &str) -> String {
    crate::support::chart_folder(
        dir,
        "memo",
        &[
            ("templates/_helpers.tpl", helpers),
            ("templates/cm.yaml", template),
        ],
    )
}

/// The chart `memo` at `chart`, made a Jinja chart.
fn mark_jinja(chart: String) -> String {
    std::fs::write(
        std::path::Path::new(&chart).join("Chart.yaml"),
        "apiVersion: v2\nname: memo\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    chart
}

/// The value printed on the line `  key: ` of `out`.
fn field(out: &str, key: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("  {key}: ")))
        .unwrap_or_else(|| panic!("no {key} in {out}"))
        .to_string()
}

/// A helper included twice prints anew each time when it reads the random source, or
/// when a dict it reads was changed in place between the two.
#[test]
fn jinja_includes_print_anew_after_random_reads_and_dict_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let helpers = "{% macro r() %}{{ randAlphaNum(24) }}{% endmacro %}\n{% macro show() %}{{ Values.d.x }}{% endmacro %}\n";
    let template = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: memo\ndata:\n  a: {{ include(\"r\") }}\n  b: {{ include(\"r\") }}\n{% set Values = {\"d\": dict(\"x\", \"one\")} %}\n  c: {{ include(\"show\") }}\n{% set _ = set(Values.d, \"x\", \"two\") %}\n  d: {{ include(\"show\") }}\n";
    let chart = jinja_chart(tmp.path(), helpers, template);
    let out = rudder_ok(&["template", "x", &chart]);
    let field = |k: &str| field(&out, k);
    assert_eq!(field("a").len(), 24, "{out}");
    assert_ne!(field("a"), field("b"), "{out}");
    assert_eq!(field("c"), "one", "{out}");
    assert_eq!(field("d"), "two", "{out}");
}

/// A helper kept for a chart's next templates prints each template's own `Template`
/// wherever it looks inside it: by field, whole, through a nested include or a `tpl`
/// text; one that does not look prints the same in each.
#[test]
fn jinja_includes_kept_across_templates_print_each_templates_own_template() {
    let tmp = tempfile::tempdir().unwrap();
    let helpers = "{% macro name() %}{{ Template.Name }}{% endmacro %}\n{% macro whole() %}{{ Template | toJson }}{% endmacro %}\n{% macro nested() %}{{ Chart.Name }}/{{ include(\"name\") }}{% endmacro %}\n{% macro viatpl() %}{{ tpl(\"{{ Template.BasePath }}\") }}{% endmacro %}\n{% macro plain() %}{{ Chart.Name }}{% endmacro %}\n";
    let template = |n: &str| {
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\ndata:\n  name: {{{{ include(\"name\") }}}}\n  whole: {{{{ include(\"whole\") | quote }}}}\n  nested: {{{{ include(\"nested\") }}}}\n  viatpl: {{{{ include(\"viatpl\") }}}}\n  plain: {{{{ include(\"plain\") }}}}\n"
        )
    };
    let (one, two) = (template("one"), template("two"));
    let chart = mark_jinja(crate::support::chart_folder(
        tmp.path(),
        "memo",
        &[
            ("templates/_helpers.tpl", helpers),
            ("templates/one.yaml", &one),
            ("templates/two.yaml", &two),
        ],
    ));
    let out = rudder_ok(&["template", "x", &chart]);
    for n in ["one", "two"] {
        let file = format!("memo/templates/{n}.yaml");
        for want in [
            format!("  name: {file}\n"),
            format!(
                "  whole: \"{{\\\"BasePath\\\":\\\"memo/templates\\\",\\\"Name\\\":\\\"{file}\\\"}}\"\n"
            ),
            format!("  nested: memo/{file}\n"),
            "  viatpl: memo/templates\n".to_string(),
            "  plain: memo\n".to_string(),
        ] {
            let doc = out
                .split("---")
                .find(|d| d.contains(&format!("name: {n}\n")))
                .unwrap();
            assert!(doc.contains(&want), "{want:?} not in {doc}");
        }
    }
}

/// An include that another include reaches deeper counts its levels again: the depth
/// limit stops it there even though the same helper ran within the limit before.
#[test]
fn jinja_include_depth_counts_a_helper_met_again_deeper() {
    let tmp = tempfile::tempdir().unwrap();
    let helpers = "{% macro one() %}x{% endmacro %}\n{% macro two() %}{{ include(\"one\") }}{% endmacro %}\n{% macro three() %}{{ include(\"two\") }}{% endmacro %}\n";
    let template = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: memo\ndata:\n  a: {{ include(\"two\") }}{{ include(\"three\") }}\n";
    let chart = jinja_chart(tmp.path(), helpers, template);
    let run = |limit: &str| {
        let env = [("RUDDER_MAX_INCLUDE_DEPTH", limit)];
        crate::support::rudder_in(tmp.path(), &env, &["template", "x", &chart])
    };
    let refused = run("2");
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(refused.stderr.contains("too deeply"), "{}", refused.stderr);
    let rendered = run("3");
    assert_eq!(rendered.code, 0, "{}", rendered.stderr);
    assert!(rendered.stdout.contains("  a: xx\n"), "{}", rendered.stdout);
}

/// A Go helper included twice with the same map prints anew each time when it reads
/// the random source (the corpus-free half of the go-surface fixtures `include-reuse*`,
/// whose outputs helm4 prints).
#[test]
fn go_includes_print_anew_after_random_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let helpers = "{{- define \"r\" -}}{{ randAlphaNum 24 }}{{- end -}}\n{{- define \"outer\" -}}{{ include \"r\" . }}{{- end -}}\n";
    let template = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: memo\ndata:\n  a: {{ include \"r\" . }}\n  b: {{ include \"r\" . }}\n  c: {{ include \"outer\" . }}\n  d: {{ include \"outer\" . }}\n";
    let chart = go_chart(tmp.path(), helpers, template);
    let out = rudder_ok(&["template", "x", &chart]);
    let field = |k: &str| field(&out, k);
    let all = ["a", "b", "c", "d"].map(field);
    for (i, one) in all.iter().enumerate() {
        assert_eq!(one.len(), 24, "{out}");
        assert!(!all[..i].contains(one), "{out}");
    }
}

/// A Go include met again deeper counts its levels again: the include depth limit
/// stops it there even though the same helper with the same map ran within the limit
/// before; and what it printed counts against the output limit each time.
#[test]
fn go_include_depth_and_output_count_a_helper_met_again() {
    let tmp = tempfile::tempdir().unwrap();
    let helpers = "{{- define \"one\" -}}{{ repeat 400 \"x\" }}{{- end -}}\n{{- define \"two\" -}}{{ include \"one\" . }}{{- end -}}\n{{- define \"three\" -}}{{ include \"two\" . }}{{- end -}}\n";
    let template = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: memo\ndata:\n  a: {{ include \"two\" . | len }}\n  b: {{ include \"three\" . | len }}\n";
    let chart = go_chart(tmp.path(), helpers, template);
    let run = |env: &[(&str, &str)]| {
        crate::support::rudder_in(tmp.path(), env, &["template", "x", &chart])
    };
    let refused = run(&[("RUDDER_MAX_INCLUDE_DEPTH", "0")]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(refused.stderr.contains("too deeply"), "{}", refused.stderr);
    let rendered = run(&[("RUDDER_MAX_INCLUDE_DEPTH", "1")]);
    assert_eq!(rendered.code, 0, "{}", rendered.stderr);
    assert!(
        rendered.stdout.contains("  b: 400\n"),
        "{}",
        rendered.stdout
    );
    // `one` prints 400 bytes, which each enclosing include counts again: the first
    // line counts 800, the second 1 200, so a limit of 1 500 is passed in the second
    // line's helpers, and the error names the helpers file.
    let over = run(&[("RUDDER_MAX_OUTPUT", "1500")]);
    assert_eq!(over.code, 1, "{}", over.stdout);
    assert!(over.stderr.contains("output size limit"), "{}", over.stderr);
    assert!(over.stderr.contains("_helpers.tpl"), "{}", over.stderr);
}
