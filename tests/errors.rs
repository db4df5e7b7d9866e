//! docs/errors.md is the catalogue of bad input: each row names a case, the command
//! that triggers it and the exact message rudder prints. One test per row runs the
//! command and checks the message, exit code 1, an empty stdout and that nothing was
//! written. Rows whose message holds a temporary path or port are run by the named
//! test instead (`Covered by:`). `UPDATE_GOLDEN=1` rewrites the messages in the doc
//! (review the diff).

use std::collections::BTreeSet;
use std::process::Command;

use crate::support::{root, rudder_in};

/// One row of the catalogue.
struct Row {
    id: String,
    /// `NAME=value` pairs before `rudder`.
    env: Vec<(String, String)>,
    args: Vec<String>,
    /// The documented stderr, or `None` for a row covered by another test.
    expected: Option<String>,
    covered_by: Option<String>,
}

fn doc() -> String {
    std::fs::read_to_string(root().join("docs/errors.md")).unwrap()
}

/// Splits a documented command line: words separated by spaces, `'…'` quoting.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

fn rows(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for section in text.split("\n### ").skip(1) {
        let id = section
            .lines()
            .next()
            .unwrap()
            .trim()
            .trim_matches('`')
            .to_string();
        let command = section
            .lines()
            .find_map(|l| l.strip_prefix("    $ "))
            .map(words)
            .unwrap_or_default();
        let at = command.iter().position(|w| w == "rudder");
        let (env, args) = match at {
            Some(i) => (
                command[..i]
                    .iter()
                    .map(|w| {
                        let (k, v) = w.split_once('=').expect("NAME=value before rudder");
                        (k.to_string(), v.to_string())
                    })
                    .collect(),
                command[i + 1..].to_vec(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let expected = section
            .split_once("```text\n")
            .and_then(|(_, rest)| rest.split_once("```"))
            .map(|(block, _)| block.to_string());
        let covered_by = section
            .lines()
            .find_map(|l| l.strip_prefix("Covered by: "))
            .map(|s| s.trim().trim_matches('`').to_string());
        rows.push(Row {
            id,
            env,
            args,
            expected: if covered_by.is_some() { None } else { expected },
            covered_by,
        });
    }
    rows
}

/// Files git sees as changed or new in the repository.
fn worktree_state() -> String {
    let out = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(root())
        .output()
        .expect("git status");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn check(id: &str) {
    let all = rows(&doc());
    let row = all
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("docs/errors.md has no row `{id}`"));
    if let Some(test) = &row.covered_by {
        let (file, name) = test.split_once("::").expect("file::test");
        let source = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(
            source.contains(&format!("fn {name}(")),
            "{id}: covered by `{test}`, which does not exist"
        );
        return;
    }
    assert!(!row.args.is_empty(), "{id}: no `    $ rudder …` line");
    let before = worktree_state();
    let env: Vec<(&str, &str)> = row
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let args: Vec<&str> = row.args.iter().map(String::as_str).collect();
    let run = rudder_in(&root(), &env, &args);
    assert_eq!(run.code, 1, "{id}: exit code; stderr:\n{}", run.stderr);
    assert_eq!(run.stdout, "", "{id}: nothing may reach stdout on failure");
    assert!(!run.stderr.contains("panicked"), "{id}: {}", run.stderr);
    assert_eq!(worktree_state(), before, "{id}: a failing run wrote files");
    let expected = row.expected.as_deref().unwrap_or_default();
    if std::env::var_os("UPDATE_GOLDEN").is_some() && run.stderr != expected {
        let text = doc();
        let at = text.find(&format!("\n### {id}\n")).unwrap();
        let block = format!("```text\n{expected}```");
        let start = at + text[at..].find(&block).expect("the row's text block");
        let updated = format!(
            "{}```text\n{}```{}",
            &text[..start],
            run.stderr,
            &text[start + block.len()..]
        );
        std::fs::write(root().join("docs/errors.md"), updated).unwrap();
        return;
    }
    assert_eq!(
        run.stderr, expected,
        "{id}: the message differs from docs/errors.md"
    );
}

macro_rules! rows {
    ($($test:ident => $id:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($id);
            }
        )*

        #[test]
        fn every_row_of_docs_errors_md_has_a_test() {
            let tested: BTreeSet<&str> = [$($id),*].into_iter().collect();
            let text = doc();
            let documented: BTreeSet<String> = rows(&text).into_iter().map(|r| r.id).collect();
            let documented: BTreeSet<&str> = documented.iter().map(String::as_str).collect();
            assert_eq!(documented, tested, "rows of docs/errors.md vs tests in tests/errors.rs");
        }
    };
}

rows! {
    bad_release_name => "bad-release-name",
    malformed_limit_variable => "bad-limit-variable",
    missing_chart_path => "missing-chart",
    remote_chart_reference => "remote-chart",
    bad_chart_version => "bad-version",
    bad_subchart_version => "bad-subchart",
    complex_key => "complex-key",
    go_parse_error => "go-parse-error",
    go_nil_pointer => "go-nil-pointer",
    unknown_engine => "unknown-engine",
    unsafe_archive_path => "unsafe-archive-path",
    chart_file_over_the_limit => "chart-file-too-large",
    missing_dependencies_are_listed => "missing-dependency",
    kube_version_incompatible => "kube-version",
    bad_values_yaml => "bad-values-yaml",
    values_nested_past_the_limit => "values-too-deep",
    missing_values_file => "missing-values-file",
    malformed_set => "bad-set",
    set_empty_key_under_a_map => "set-empty-key-under-a-map",
    set_nested_past_helm_limit => "set-too-deep",
    schema_violations_listed_at_once => "schema-violations",
    template_syntax_error => "syntax-error",
    strict_undefined_value => "undefined-value",
    undefined_bare_name_with_closest_name => "undefined-name",
    strict_names_the_missing_path => "strict-typo",
    required_value => "required-value",
    include_loop => "include-loop",
    include_tpl_include_loop => "include-tpl-loop",
    tpl_self_loop => "tpl-self-loop",
    function_result_over_the_string_limit => "string-too-long",
    rendered_output_over_the_limit => "output-too-large",
    output_that_is_not_yaml => "not-yaml",
    notes_errors_surface => "notes-error",
    unknown_show_only_template => "show-only-missing",
    environment_name_leaving_the_output_folder => "bad-environment-name",
    project_file_breaking_its_schema => "project-schema",
    unknown_environment => "unknown-environment",
    download_times_out => "download-timeout",
    download_is_not_a_chart => "download-not-a-chart",
    download_holds_another_chart => "download-other-chart",
}

#[test]
fn command_lines_split_on_spaces_and_keep_quoted_words() {
    assert_eq!(
        words("A=1 rudder template 'a b' --set x=1"),
        ["A=1", "rudder", "template", "a b", "--set", "x=1"]
    );
}

#[test]
fn undefined_values_render_empty_without_strict() {
    let out = crate::support::rudder_ok(&["template", "testdata/charts/errors/undefined-value"]);
    assert!(out.contains("missing: \"\""), "{out}");
}

#[test]
fn the_limits_table_of_docs_errors_md_is_the_code_s() {
    let rows: Vec<String> = rudder::limits::ALL.iter().map(|l| l.doc_row()).collect();
    let text = doc();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let start = lines
            .iter()
            .position(|l| l.starts_with("| chart file size"))
            .unwrap();
        let mut end = start + 1;
        while lines.get(end).is_some_and(|l| l.starts_with('|')) {
            end += 1;
        }
        lines.splice(start..end, rows.clone());
        std::fs::write(root().join("docs/errors.md"), lines.join("\n") + "\n").unwrap();
        return;
    }
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(
        table, rows,
        "docs/errors.md's limits vs src/limits.rs (UPDATE_GOLDEN=1 rewrites it)"
    );
}
