//! Every error class: one `error:` line (and a `hint:`) on stderr naming the file and
//! line, exit code 1, nothing on stdout.

use crate::support::{golden, rudder};

fn fails(name: &str, args: &[&str]) {
    let run = rudder(args);
    assert_eq!(
        run.code, 1,
        "{name}: expected exit 1, stderr: {}",
        run.stderr
    );
    assert_eq!(
        run.stdout, "",
        "{name}: nothing may reach stdout on failure"
    );
    assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
    golden(&format!("errors/{name}.txt"), &run.stderr);
}

fn chart(name: &str) -> String {
    format!("testdata/charts/errors/{name}")
}

#[test]
fn template_syntax_error_names_file_and_line() {
    fails("syntax-error", &["template", &chart("syntax-error")]);
}

#[test]
fn strict_makes_undefined_values_errors() {
    fails(
        "undefined-value",
        &["template", &chart("undefined-value"), "--strict"],
    );
}

#[test]
fn undefined_values_render_empty_without_strict() {
    let out = crate::support::rudder_ok(&["template", &chart("undefined-value")]);
    assert!(out.contains("missing: \"\""), "{out}");
}

#[test]
fn output_that_is_not_yaml_names_template_and_line() {
    fails("not-yaml", &["template", &chart("not-yaml")]);
}

#[test]
fn go_template_chart_is_refused_with_a_hint() {
    fails(
        "go-template-chart",
        &["template", &chart("go-template-chart")],
    );
}

#[test]
fn bad_chart_version_names_chart_yaml() {
    fails("bad-version", &["template", &chart("bad-version")]);
}

#[test]
fn bad_subchart_names_its_chart_yaml() {
    fails("bad-subchart", &["template", &chart("bad-subchart")]);
}

#[test]
fn required_value_message_is_shown() {
    fails("required-value", &["template", &chart("required-value")]);
}

#[test]
fn bad_values_yaml_names_file_and_line() {
    fails("bad-values-yaml", &["template", &chart("bad-values-yaml")]);
}

#[test]
fn include_tpl_include_loop_is_stopped() {
    fails(
        "include-tpl-loop",
        &["template", &chart("include-tpl-loop")],
    );
}

#[test]
fn tpl_of_a_value_that_tpls_itself_is_stopped() {
    fails("tpl-self-loop", &["template", &chart("tpl-self-loop")]);
}

#[test]
fn include_loop_is_stopped() {
    fails("include-loop", &["template", &chart("include-loop")]);
}

#[test]
fn notes_errors_surface_though_notes_are_not_printed() {
    fails("notes-error", &["template", &chart("notes-error")]);
}

#[test]
fn missing_chart_path() {
    fails(
        "missing-chart",
        &["template", "testdata/charts/does-not-exist"],
    );
}

#[test]
fn missing_values_file() {
    fails(
        "missing-values-file",
        &[
            "template",
            "testdata/charts/helm-create-jinja",
            "-f",
            "testdata/nope.yaml",
        ],
    );
}

#[test]
fn malformed_set_expression() {
    fails(
        "bad-set",
        &[
            "template",
            "testdata/charts/helm-create-jinja",
            "--set",
            "a,b=1",
        ],
    );
}

#[test]
fn invalid_release_name() {
    fails(
        "bad-release-name",
        &["template", "Bad_Name", "testdata/charts/helm-create-jinja"],
    );
}

#[test]
fn unknown_show_only_template() {
    fails(
        "show-only-missing",
        &[
            "template",
            "testdata/charts/helm-create-jinja",
            "-s",
            "templates/nope.yaml",
        ],
    );
}

#[test]
fn incompatible_kube_version() {
    fails(
        "kube-version",
        &[
            "template",
            "testdata/charts/kube-version-gate",
            "--kube-version",
            "1.20",
        ],
    );
}

#[test]
fn missing_dependencies_are_listed() {
    fails(
        "missing-dependency",
        &["template", &chart("missing-dependency")],
    );
}

#[test]
fn schema_violations_of_every_chart_are_listed_at_once() {
    fails(
        "schema-violations",
        &[
            "template",
            &chart("schema-violations"),
            "--set",
            "db.prot=1",
        ],
    );
}
