//! The Go-template engine on real charts: every template of the corpus charts (ten
//! upstream charts, ../shared/corpus) parses.

use std::path::PathBuf;

use crate::support::root;

fn corpus() -> PathBuf {
    root().join("../shared/corpus/charts")
}

/// Whether a template function exists for a Go chart: Go's builtins and the registry
/// (the parser's own question is `gotmpl::resolve`; this one asks the list of names).
fn has_function(name: &str) -> Option<Option<rudder::engine::funcs::Call>> {
    (rudder::engine::gotmpl::parse::GO_BUILTINS.contains(&name)
        || rudder::engine::funcs::names().contains(&name))
    .then(|| rudder::engine::funcs::find(name))
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

/// Writes a chart: Chart.yaml (Jinja when `jinja`), values.yaml and templates.
fn write_chart(
    dir: &std::path::Path,
    name: &str,
    jinja: bool,
    values: &str,
    templates: &[(&str, &str)],
) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    let mut chart = format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n");
    if name == "umbrella" {
        chart.push_str("dependencies:\n  - name: child\n    version: 0.1.0\n");
    }
    if jinja {
        chart.push_str("annotations:\n  rudder/engine: jinja\n");
    }
    std::fs::write(dir.join("Chart.yaml"), chart).unwrap();
    std::fs::write(dir.join("values.yaml"), values).unwrap();
    for (file, text) in templates {
        std::fs::write(dir.join("templates").join(file), text).unwrap();
    }
}

const UMBRELLA_VALUES: &str = "x: 1000000\nglobal:\n  g: shared\nchild:\n  y: from-parent\n";
const UMBRELLA_GO: &str = "kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-top\ndata:\n  x: {{ .Values.x | int | quote }}\n  g: {{ .Values.global.g }}\n  sub: {{ .Values.child.y }}\n";
const UMBRELLA_JINJA: &str = "kind: ConfigMap\nmetadata:\n  name: {{ Release.Name }}-top\ndata:\n  x: {{ Values.x | int | quote }}\n  g: {{ Values.global.g }}\n  sub: {{ Values.child.y }}\n";
const CHILD_VALUES: &str = "y: child-default\nz: [a, b]\n";
const CHILD_HELPERS_GO: &str =
    "{{- define \"child.name\" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}";
const CHILD_GO: &str = "kind: ConfigMap\nmetadata:\n  name: {{ include \"child.name\" . }}\ndata:\n  y: {{ .Values.y }}\n  g: {{ .Values.global.g }}\n  z: {{ join \",\" .Values.z }}\n";
const CHILD_HELPERS_JINJA: &str =
    "{% macro name() %}{{ Chart.Name }}-{{ Release.Name }}{% endmacro %}";
const CHILD_JINJA: &str = "kind: ConfigMap\nmetadata:\n  name: {{ include(\"name\") }}\ndata:\n  y: {{ Values.y }}\n  g: {{ Values.global.g }}\n  z: {{ Values.z | join(\",\") }}\n";

/// A tree of an umbrella and its child, each in the dialect asked.
fn mixed_tree(root_dir: &std::path::Path, umbrella_jinja: bool, child_jinja: bool) {
    let (top, child_tpl, helpers) = (
        if umbrella_jinja {
            UMBRELLA_JINJA
        } else {
            UMBRELLA_GO
        },
        if child_jinja { CHILD_JINJA } else { CHILD_GO },
        if child_jinja {
            CHILD_HELPERS_JINJA
        } else {
            CHILD_HELPERS_GO
        },
    );
    write_chart(
        root_dir,
        "umbrella",
        umbrella_jinja,
        UMBRELLA_VALUES,
        &[("top.yaml", top)],
    );
    write_chart(
        &root_dir.join("charts/child"),
        "child",
        child_jinja,
        CHILD_VALUES,
        &[("cm.yaml", child_tpl), ("_helpers.tpl", helpers)],
    );
}

/// A Jinja umbrella over a Go subchart and a Go umbrella over a Jinja subchart render
/// what helm4 prints for the all-Go tree.
#[test]
fn mixed_dialect_trees_render_as_helm4_renders_the_all_go_tree() {
    let Some(dir) = crate::support::helm_dir() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let all_go = tmp.path().join("all-go");
    mixed_tree(&all_go, false, false);
    let expected = crate::support::helm(
        &dir.join("helm4"),
        &[
            "template",
            "rel",
            all_go.to_str().unwrap(),
            "--set",
            "child.y=set",
        ],
        tmp.path(),
    );
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    for (name, umbrella_jinja, child_jinja) in [
        ("all-go", false, false),
        ("jinja-over-go", true, false),
        ("go-over-jinja", false, true),
    ] {
        let chart = tmp.path().join(name);
        if name != "all-go" {
            mixed_tree(&chart, umbrella_jinja, child_jinja);
        }
        let ours = crate::support::rudder(&[
            "template",
            "rel",
            chart.to_str().unwrap(),
            "--set",
            "child.y=set",
        ]);
        assert_eq!(ours.code, 0, "{name}: {}", ours.stderr);
        assert_eq!(ours.stdout, expected.stdout, "{name}");
    }
}

/// The chart `helm4 create` makes renders through the Go engine byte for byte as helm4
/// renders it: defaults, ingress and autoscaling, an HTTPRoute, and `--set` overrides
/// with a release name and a namespace.
#[test]
fn helm_create_chart_renders_as_helm4_renders_it() {
    let Some(dir) = crate::support::helm_dir() else {
        return;
    };
    let helm4 = dir.join("helm4");
    let tmp = tempfile::tempdir().unwrap();
    let created = crate::support::helm(&helm4, &["create", "mychart"], tmp.path());
    assert_eq!(created.code, 0, "helm create failed: {}", created.stderr);
    let chart = tmp.path().join("mychart").display().to_string();
    let data = root().join("testdata/parity/helm-create");
    let file = |name: &str| data.join(name).display().to_string();
    let overrides: Vec<String> = std::fs::read_to_string(data.join("set-overrides.args"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut sets: Vec<(&str, Vec<String>)> = vec![
        ("defaults", vec![]),
        (
            "ingress_and_autoscaling",
            vec!["-f".into(), file("ingress-autoscaling.yaml")],
        ),
        ("http_route", vec!["-f".into(), file("httproute.yaml")]),
    ];
    let mut with_overrides = vec!["-n".to_string(), "prod".into()];
    with_overrides.extend(overrides);
    sets.push(("set_overrides_and_namespace", with_overrides));
    for (name, extra) in sets {
        let mut args = vec!["template".to_string(), "rel".into(), chart.clone()];
        args.extend(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let expected = crate::support::helm(&helm4, &args, tmp.path());
        assert_eq!(
            expected.code, 0,
            "{name}: helm4 failed: {}",
            expected.stderr
        );
        let ours = crate::support::rudder(&args);
        assert_eq!(ours.code, 0, "{name}: rudder failed: {}", ours.stderr);
        assert_eq!(
            ours.stdout, expected.stdout,
            "{name}: output differs from helm4"
        );
    }
}
