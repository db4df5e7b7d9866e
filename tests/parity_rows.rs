//! The parity table: rows of one-line probe charts in `testdata/parity/rows/*.yaml`,
//! each a Go template and its Jinja twin with the same values and arguments. What helm4
//! prints for the Go side is recorded in `testdata/parity/recorded/`; rudder's output for
//! the Jinja side must match it (or, for error rows, both must fail).
//!
//! Each row is its own test, `parity::<row>` (the list in `tests/parity_rows_list.rs`,
//! expanded in `tests/parity.rs`), and always checks rudder against the recording, helm
//! or not. When helm4 is found (it must be under CI; see `support::missing`) the row also
//! renders the Go side with it and requires the recording to still be what it prints.
//! `scripts/record-parity.sh` regenerates the list and every recording from the real helm4.
//! The recordings are helm4's output for the `go:` twins: a Go-template engine in rudder
//! checks itself by rendering the `go/` chart of each row against the same recording.
//!
//! A row:
//! ```yaml
//! - name: user_null_deletes_default      # unique, a Rust identifier
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
//! The recording of row `r` of `rows/f.yaml` is `recorded/f/r.out`, helm4's standard
//! output, or `recorded/f/r.err`, its standard error when it fails. Both sides run with
//! `TZ=UTC` so that dates do not depend on the machine.
//!
//! `RUDDER_PARITY_HELM=helm3` checks the live half against helm 3.17 instead; the rows
//! where it differs from rudder must be exactly those in
//! `testdata/parity/helm3-differences.txt` (see docs/compatibility.md).

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Once, OnceLock};

use serde_json::Value as Json;

use crate::support::{find_helm_dir, helm_dir, missing_for, read_list, root};

const GO_DEFAULT: &str = "v: {{ toJson .Values }}";
const JINJA_DEFAULT: &str = "v: {{ Values | toJson }}";
const ROWS: &str = "testdata/parity/rows";
const RECORDED: &str = "testdata/parity/recorded";
const LIST: &str = "tests/parity_rows_list.rs";
/// Set by `scripts/record-parity.sh`: [`table_is_current`] rewrites the list and records
/// every row from helm4.
const RECORD: &str = "RUDDER_PARITY_RECORD";

struct Row {
    name: String,
    /// The rows file's stem: `set` for `rows/set.yaml`.
    file: String,
    spec: Json,
}

impl Row {
    /// The recording's path without its extension.
    fn recorded(&self) -> PathBuf {
        root().join(RECORDED).join(&self.file).join(&self.name)
    }
}

/// Every row, in file and table order, read once per test run.
fn table() -> &'static [Row] {
    static TABLE: OnceLock<Vec<Row>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut files: Vec<_> = std::fs::read_dir(root().join(ROWS))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        let mut out = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let parsed =
                rudder::yaml::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let file = path.file_stem().unwrap().to_string_lossy().into_owned();
            for spec in parsed.as_array().cloned().unwrap_or_default() {
                let name = spec["name"].as_str().expect("row without name").to_string();
                let file = file.clone();
                out.push(Row { name, file, spec });
            }
        }
        out
    })
}

fn text<'a>(spec: &'a Json, key: &str) -> Option<&'a str> {
    spec.get(key).and_then(Json::as_str)
}

/// Writes one chart of a row: Go or Jinja flavour, with its subcharts.
fn write_chart(dir: &Path, name: &str, spec: &Json, go: bool) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    // The Go flavour is a plain Helm chart: helm4 records it, rudder's Go engine renders it.
    let mut chart_yaml = format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n");
    if !go {
        chart_yaml.push_str("annotations:\n  rudder/engine: jinja\n");
    }
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

/// A row written out: `go/` and `jinja/` charts and the files beside them.
struct Probe<'a> {
    dir: tempfile::TempDir,
    spec: &'a Json,
}

impl<'a> Probe<'a> {
    fn new(row: &'a Row) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let spec = &row.spec;
        write_chart(&dir.path().join("go"), "probe", spec, true);
        write_chart(&dir.path().join("jinja"), "probe", spec, false);
        if let Some(Json::Object(files)) = spec.get("files") {
            for (name, content) in files {
                let content = content.as_str().unwrap_or_default();
                std::fs::write(dir.path().join(name), content).unwrap();
            }
        }
        Probe { dir, spec }
    }

    /// `bin template <chart> <args>`, run beside the charts.
    fn render(&self, bin: &Path, chart: &str) -> Outcome {
        let mut args = vec!["template".to_string(), chart.to_string()];
        if let Some(extra) = self.spec.get("args").and_then(Json::as_array) {
            args.extend(extra.iter().map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            }));
        }
        let cwd = self.dir.path();
        let mut child = Command::new(bin)
            .args(&args)
            .current_dir(cwd)
            .env("HELM_CACHE_HOME", cwd.join(".helm/cache"))
            .env("HELM_CONFIG_HOME", cwd.join(".helm/config"))
            .env("HELM_DATA_HOME", cwd.join(".helm/data"))
            .env("TZ", "UTC")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {}: {e}", bin.display()));
        let mut input = child.stdin.take().unwrap();
        let stdin = text(self.spec, "stdin").unwrap_or_default();
        input.write_all(stdin.as_bytes()).unwrap();
        drop(input);
        let out = child.wait_with_output().unwrap();
        Outcome {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

struct Outcome {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Outcome {
    /// The same as far as a recording goes: stdout when it succeeds, stderr when it fails.
    fn same(&self, other: &Outcome) -> bool {
        self.ok == other.ok
            && if self.ok {
                self.stdout == other.stdout
            } else {
                self.stderr == other.stderr
            }
    }

    fn show(&self) -> String {
        if self.ok {
            format!("(succeeds, stdout)\n{}", self.stdout)
        } else {
            format!("(fails, stderr)\n{}", self.stderr)
        }
    }
}

/// The recording of a row: `<row>.out` or `<row>.err`, never both.
fn read_recording(row: &Row) -> Result<Outcome, String> {
    let base = row.recorded();
    let read = |ext: &str| std::fs::read_to_string(base.with_extension(ext)).ok();
    match (read("out"), read("err")) {
        (Some(stdout), None) => Ok(Outcome {
            ok: true,
            stdout,
            stderr: String::new(),
        }),
        (None, Some(stderr)) => Ok(Outcome {
            ok: false,
            stdout: String::new(),
            stderr,
        }),
        (Some(_), Some(_)) => Err(format!(
            "{} has both a .out and a .err recording; run scripts/record-parity.sh",
            base.display()
        )),
        (None, None) => Err(format!(
            "no recording {}.out (or .err); run scripts/record-parity.sh",
            base.display()
        )),
    }
}

fn write_recording(row: &Row, helm: &Outcome) {
    let base = row.recorded();
    std::fs::create_dir_all(base.parent().unwrap()).unwrap();
    let (keep, drop, content) = if helm.ok {
        ("out", "err", &helm.stdout)
    } else {
        ("err", "out", &helm.stderr)
    };
    std::fs::write(base.with_extension(keep), content).unwrap();
    let _ = std::fs::remove_file(base.with_extension(drop));
}

/// Whether rudder's outcome agrees with Helm's (recorded or live) on a row.
fn agree(spec: &Json, theirs: &Outcome, ours: &Outcome) -> Result<(), String> {
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
            return Err("marked deliberate, but helm prints the same".into());
        }
        return Ok(());
    }
    if !theirs.ok {
        return Err(format!(
            "helm fails on a row that should render:\n{}",
            theirs.stderr
        ));
    }
    if !ours.ok {
        return Err(format!("rudder failed:\n{}", ours.stderr));
    }
    if theirs.stdout != ours.stdout {
        return Err(format!(
            "--- helm\n{}--- rudder\n{}",
            theirs.stdout, ours.stdout
        ));
    }
    Ok(())
}

/// The folder of the real Helm for the live half, looked up once: a missing helm fails
/// every row (always under CI), or with `RUDDER_ALLOW_SKIP=1` prints one SKIPPED line.
fn live_helm_dir() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    static REPORTED: Once = Once::new();
    let found = FOUND.get_or_init(find_helm_dir).as_deref();
    if found.is_none() {
        // `missing_for` panics unless skipping is allowed; then the Once completes.
        REPORTED.call_once_force(|_| {
            missing_for(
                "the live half of the parity rows (each is still checked against its recording)",
                "helm4",
                "run scripts/get-helm.sh",
            )
        });
    }
    found
}

/// Rows whose Go side rudder's Go engine does not render as helm4 yet; each must still
/// differ (a row that agrees must leave the list), so the list only shrinks.
const GO_PENDING: &str = "testdata/parity/go-pending.txt";

fn go_pending() -> &'static BTreeSet<String> {
    static LISTED: OnceLock<BTreeSet<String>> = OnceLock::new();
    LISTED.get_or_init(|| read_list(&root().join(GO_PENDING), false))
}

/// The rows `testdata/parity/helm3-differences.txt` lists.
fn helm3_differences() -> &'static BTreeSet<String> {
    static LISTED: OnceLock<BTreeSet<String>> = OnceLock::new();
    LISTED.get_or_init(|| read_list(&root().join("testdata/parity/helm3-differences.txt"), true))
}

/// Whether rudder's Go engine agrees with Helm on the `go:` side of a row: the same
/// output, or both failing (for `only: go` rows, with Helm's message in rudder's).
/// A deliberate difference of the Jinja dialect is none here: the Go side is Helm's.
fn agree_go(spec: &Json, theirs: &Outcome, ours: &Outcome) -> Result<(), String> {
    if let Some(expect) = text(spec, "expect") {
        // A deliberate difference of the shared function library holds in both dialects;
        // one of the Jinja dialect (its integers) does not: then the Go side is Helm's.
        let helms = theirs.ok && ours.stdout == theirs.stdout;
        return if ours.ok && (ours.stdout == expect || helms) {
            Ok(())
        } else {
            Err(format!(
                "--- expected (deliberate difference)\n{expect}--- rudder (go)\n{}",
                ours.show()
            ))
        };
    }
    match (theirs.ok, ours.ok) {
        (true, true) if theirs.stdout == ours.stdout => Ok(()),
        (true, true) => Err(format!(
            "--- helm\n{}--- rudder (go)\n{}",
            theirs.stdout, ours.stdout
        )),
        (false, false) => {
            // A deliberate error row fails on both sides for different reasons.
            let go_only = text(spec, "only") == Some("go") && text(spec, "deliberate").is_none();
            // Helm's whole message, without its prefix and its `--debug` advice.
            let message = theirs.stderr.trim_start_matches("Error: ");
            let message = message
                .split("\n\nUse --debug flag")
                .next()
                .unwrap_or_default()
                .trim_end();
            if go_only && !ours.stderr.contains(message) {
                return Err(format!(
                    "both fail, but rudder's message lacks helm's\n--- helm\n{}--- rudder (go)\n{}",
                    theirs.stderr, ours.stderr
                ));
            }
            Ok(())
        }
        (t, o) => Err(format!(
            "helm ok={t}, rudder (go) ok={o}\n--- helm\n{}\n--- rudder (go)\n{}",
            theirs.show(),
            ours.show()
        )),
    }
}

/// The test of one row (see `tests/parity.rs`): rudder's Jinja and Go dialects against
/// the recording, then, when helm is there, the recording against helm4 (or rudder
/// against helm3). Rows marked `only: go` have no Jinja side.
pub fn check(name: &str) {
    let row = table()
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name} in {ROWS}; run scripts/record-parity.sh"));
    let probe = Probe::new(row);
    let recorded = read_recording(row).unwrap_or_else(|e| panic!("{e}"));
    let go_only = text(&row.spec, "only") == Some("go");
    let ours = probe.render(
        &crate::support::binary(),
        if go_only { "go" } else { "jinja" },
    );
    if !go_only && let Err(e) = agree(&row.spec, &recorded, &ours) {
        panic!(
            "rudder differs from helm4's output recorded in {}.*:\n{e}",
            row.recorded().display()
        );
    }
    let ours_go = probe.render(&crate::support::binary(), "go");
    let pending = go_pending().contains(name);
    match agree_go(&row.spec, &recorded, &ours_go) {
        Ok(()) => assert!(
            !pending,
            "rudder's Go engine now agrees with helm4 on {name}: remove it from {GO_PENDING}"
        ),
        Err(e) => assert!(
            pending,
            "rudder's Go engine differs from helm4's output recorded in {}.*:\n{e}",
            row.recorded().display()
        ),
    }
    let Some(dir) = live_helm_dir() else { return };
    let which = std::env::var("RUDDER_PARITY_HELM").unwrap_or_else(|_| "helm4".into());
    let live = probe.render(&dir.join(&which), "go");
    if which == "helm4" {
        assert!(
            live.same(&recorded),
            "helm4 no longer prints the recording {}.*: run scripts/record-parity.sh and \
             review the diff\n--- recorded {}--- helm4 {}",
            row.recorded().display(),
            recorded.show(),
            live.show()
        );
        return;
    }
    let listed = helm3_differences().contains(name);
    match agree(&row.spec, &live, &ours) {
        Ok(()) => assert!(
            !listed,
            "{which} now agrees with rudder on {name}: remove it from \
             testdata/parity/helm3-differences.txt"
        ),
        Err(e) => assert!(
            listed,
            "rudder differs from {which} on {name}, which testdata/parity/helm3-differences.txt \
             does not list:\n{e}"
        ),
    }
}

/// The test list `tests/parity_rows_list.rs` the table calls for.
fn expected_list() -> String {
    let mut out = String::from(
        "// Generated by scripts/record-parity.sh from testdata/parity/rows/*.yaml: one test\n\
         // per row, `parity::<row>` (see tests/parity_rows.rs). Do not edit.\n\
         rows! {\n",
    );
    let mut file = "";
    for row in table() {
        if row.file != file {
            file = &row.file;
            out.push_str(&format!("    // {ROWS}/{file}.yaml\n"));
        }
        out.push_str(&format!("    {}\n", row.name));
    }
    out.push_str("}\n");
    out
}

/// Records every row from the live helm4, in parallel; returns the rows whose recording
/// changed (or is new).
fn record_all(helm4: &Path) -> Vec<String> {
    let rows = table();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per = rows.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(per)
            .map(|chunk| {
                s.spawn(move || {
                    let mut changed = Vec::new();
                    for row in chunk {
                        let live = Probe::new(row).render(helm4, "go");
                        if !read_recording(row).is_ok_and(|r| r.same(&live)) {
                            changed.push(row.name.clone());
                        }
                        write_recording(row, &live);
                    }
                    changed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

/// Row names are unique identifiers, the test list and the recordings are those of the
/// rows, and helm3-differences.txt lists rows. With `RUDDER_PARITY_RECORD=1`
/// (scripts/record-parity.sh) it first rewrites the list and records every row.
#[test]
fn table_is_current() {
    let rows = table();
    let mut names = BTreeSet::new();
    for row in rows {
        let n = &row.name;
        assert!(names.insert(n.as_str()), "duplicate row name {n}");
        let mut chars = n.chars();
        assert!(
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "row name {n} is not a Rust identifier (it names the row's test)"
        );
    }
    let list_path = root().join(LIST);
    let recorded = root().join(RECORDED);
    let expected = {
        let mut set = BTreeSet::new();
        for row in rows {
            let base = row.recorded();
            set.insert(base.with_extension("out"));
            set.insert(base.with_extension("err"));
        }
        set
    };
    let present = || -> Vec<PathBuf> {
        walkdir::WalkDir::new(&recorded)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect()
    };
    if std::env::var(RECORD).as_deref() == Ok("1") {
        std::fs::write(&list_path, expected_list()).unwrap();
        for stale in present().into_iter().filter(|p| !expected.contains(p)) {
            std::fs::remove_file(stale).unwrap();
        }
        let dir = helm_dir().expect("recording needs helm4");
        let changed = record_all(&dir.join("helm4"));
        eprintln!(
            "recorded {} rows from helm4, {} new or changed: {}",
            rows.len(),
            changed.len(),
            changed.join(" ")
        );
    }
    let list = std::fs::read_to_string(&list_path).unwrap_or_default();
    assert!(
        list == expected_list(),
        "{LIST} is not the list of rows in {ROWS}: run scripts/record-parity.sh"
    );
    let stale: Vec<_> = present()
        .into_iter()
        .filter(|p| !expected.contains(p))
        .collect();
    assert!(
        stale.is_empty(),
        "recordings of no row: {stale:?}; run scripts/record-parity.sh"
    );
    for row in rows {
        if let Err(e) = read_recording(row) {
            panic!("row {}: {e}", row.name);
        }
    }
    for listed in helm3_differences() {
        assert!(
            names.contains(listed.as_str()),
            "helm3-differences.txt lists {listed}, which is no row"
        );
    }
}
