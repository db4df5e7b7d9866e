//! The parity table: rows of one-line probe charts in `testdata/parity/rows/*.yaml`,
//! each a Go template and its Jinja twin with the same values and arguments. The Go
//! side runs through the real Helm, the Jinja side through rudder; outputs (or, for
//! error rows, the failure) must match.
//!
//! A row:
//! ```yaml
//! - name: user_null_deletes_default      # unique
//!   values: "a: {b: 1}"                  # the chart's values.yaml (text), optional
//!   chart: "kubeVersion: '>=1.20.0-0'"   # extra Chart.yaml lines, optional
//!   schema: '{"type": "object"}'         # values.schema.json, optional
//!   files: {user.yaml: "a: {b: null}"}   # files beside the chart, optional
//!   args: [-f, user.yaml]                # extra arguments, optional
//!   stdin: "a: 1"                        # standard input, optional
//!   go: "v: {{ toJson .Values }}"        # template text, default as shown
//!   jinja: "v: {{ Values | toJson }}"    # its twin, default as shown
//!   subcharts: {child: {values: "...", go: "...", jinja: "...", chart: "..."}}
//!   error: true                          # both must fail, optional
//!   deliberate: "why"                    # a documented difference: rudder must print
//!   expect: "..."                        #   `expect`, and Helm something else
//! ```
//!
//! `RUDDER_PARITY_HELM=helm3` runs the table against helm 3.17 instead; the rows where
//! it differs from rudder must be exactly those in `testdata/parity/helm3-differences.txt`
//! (see docs/compatibility.md).

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value as Json;

use crate::support::{helm_dir, root};

const GO_DEFAULT: &str = "v: {{ toJson .Values }}";
const JINJA_DEFAULT: &str = "v: {{ Values | toJson }}";

struct Row {
    name: String,
    spec: Json,
}

fn rows() -> Vec<Row> {
    let dir = root().join("testdata/parity/rows");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed =
            rudder::yaml::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for spec in parsed.as_array().cloned().unwrap_or_default() {
            let name = spec["name"].as_str().expect("row without name").to_string();
            out.push(Row { name, spec });
        }
    }
    out
}

fn text<'a>(spec: &'a Json, key: &str) -> Option<&'a str> {
    spec.get(key).and_then(Json::as_str)
}

/// Writes one chart of a row: Go or Jinja flavour, with its subcharts.
fn write_chart(dir: &Path, name: &str, spec: &Json, go: bool) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    let mut chart_yaml = format!(
        "apiVersion: v2\nname: {name}\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n"
    );
    if let Some(extra) = text(spec, "chart") {
        chart_yaml.push_str(extra);
        chart_yaml.push('\n');
    }
    std::fs::write(dir.join("Chart.yaml"), chart_yaml).unwrap();
    if let Some(schema) = text(spec, "schema") {
        std::fs::write(dir.join("values.schema.json"), schema).unwrap();
    }
    if let Some(values) = text(spec, "values") {
        std::fs::write(dir.join("values.yaml"), values).unwrap();
    }
    let template = if go {
        text(spec, "go").unwrap_or(GO_DEFAULT)
    } else {
        text(spec, "jinja").unwrap_or(JINJA_DEFAULT)
    };
    if !template.is_empty() {
        // A library chart may only hold helpers.
        let is_library = text(spec, "chart").is_some_and(|c| c.contains("type: library"));
        let file = if is_library {
            "templates/_helpers.tpl"
        } else {
            "templates/out.yaml"
        };
        std::fs::write(dir.join(file), template).unwrap();
    }
    if let Some(Json::Object(subs)) = spec.get("subcharts") {
        for (sub, sub_spec) in subs {
            write_chart(&dir.join("charts").join(sub), sub, sub_spec, go);
        }
    }
}

struct Outcome {
    ok: bool,
    stdout: String,
}

fn run(bin: &Path, args: &[String], cwd: &Path, stdin: Option<&str>) -> Outcome {
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(cwd)
        .env("HELM_CACHE_HOME", cwd.join(".helm/cache"))
        .env("HELM_CONFIG_HOME", cwd.join(".helm/config"))
        .env("HELM_DATA_HOME", cwd.join(".helm/data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    Outcome {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// Runs one row; `Err` describes the difference.
fn check(row: &Row, helm: &Path) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let spec = &row.spec;
    write_chart(&tmp.path().join("go"), "probe", spec, true);
    write_chart(&tmp.path().join("jinja"), "probe", spec, false);
    if let Some(Json::Object(files)) = spec.get("files") {
        for (name, content) in files {
            std::fs::write(tmp.path().join(name), content.as_str().unwrap_or_default()).unwrap();
        }
    }
    let extra: Vec<String> = spec
        .get("args")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    let stdin = text(spec, "stdin");
    let args = |chart: &str| {
        let mut a = vec!["template".to_string(), chart.to_string()];
        a.extend(extra.iter().cloned());
        a
    };
    let theirs = run(helm, &args("go"), tmp.path(), stdin);
    let ours = run(&crate::support::binary(), &args("jinja"), tmp.path(), stdin);
    let expect_error = spec.get("error").and_then(Json::as_bool).unwrap_or(false);
    if expect_error {
        return match (theirs.ok, ours.ok) {
            (false, false) => Ok(()),
            (t, o) => Err(format!("expected both to fail; helm ok={t}, rudder ok={o}")),
        };
    }
    if let Some(expect) = text(spec, "expect") {
        // A deliberate difference (docs/compatibility.md): rudder prints `expect`, and
        // Helm really prints something else.
        if ours.stdout != expect {
            return Err(format!(
                "--- expected (deliberate difference)\n{expect}--- rudder\n{}",
                ours.stdout
            ));
        }
        if theirs.ok && theirs.stdout == expect {
            return Err("marked deliberate, but helm now prints the same".into());
        }
        return Ok(());
    }
    if !theirs.ok {
        return Err("helm failed on a row that should render".into());
    }
    if !ours.ok {
        return Err("rudder failed".into());
    }
    if theirs.stdout != ours.stdout {
        return Err(format!(
            "--- helm\n{}--- rudder\n{}",
            theirs.stdout, ours.stdout
        ));
    }
    Ok(())
}

#[test]
fn parity_rows_match_helm() {
    let Some(dir) = helm_dir() else { return };
    let which = std::env::var("RUDDER_PARITY_HELM").unwrap_or_else(|_| "helm4".into());
    let helm = dir.join(&which);
    let rows = rows();
    let mut names = std::collections::BTreeSet::new();
    for row in &rows {
        assert!(
            names.insert(row.name.clone()),
            "duplicate row name {}",
            row.name
        );
    }
    // Rows are independent: check them on every core, keep the table's order.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per = rows.len().div_ceil(workers).max(1);
    let failures: Vec<(String, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(per)
            .map(|chunk| {
                let helm = &helm;
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|row| check(row, helm).err().map(|e| (row.name.clone(), e)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    eprintln!(
        "parity rows: {} of {} match {which}",
        rows.len() - failures.len(),
        rows.len()
    );
    if which == "helm4" {
        let report: Vec<String> = failures
            .iter()
            .map(|(n, e)| format!("row {n}:\n{e}"))
            .collect();
        assert!(failures.is_empty(), "{}", report.join("\n"));
    } else {
        let documented =
            std::fs::read_to_string(root().join("testdata/parity/helm3-differences.txt")).unwrap();
        let documented: Vec<&str> = documented
            .lines()
            .map(|l| l.split('#').next().unwrap_or_default().trim())
            .filter(|l| !l.is_empty())
            .collect();
        let differing: Vec<&str> = failures.iter().map(|(n, _)| n.as_str()).collect();
        for (n, e) in &failures {
            eprintln!("differs on {which}: {n}\n{e}");
        }
        assert_eq!(
            differing, documented,
            "rows that differ on {which} must be documented"
        );
    }
}
