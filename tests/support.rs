//! Running the real binary, comparing with goldens, and finding the real Helm.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test: `RUDDER_TEST_BIN` when set (to show that a new test fails
/// on an older build), else the one cargo built.
pub fn binary() -> PathBuf {
    std::env::var_os("RUDDER_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_rudder")))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `rudder` with `args` from the repository root.
pub fn rudder(args: &[&str]) -> Run {
    let out = Command::new(binary())
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .output()
        .expect("run rudder");
    finish(out)
}

/// Runs `rudder` with `args` in `dir`, with extra environment variables.
pub fn rudder_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let out = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .envs(env.iter().copied())
        .output()
        .expect("run rudder");
    finish(out)
}

/// Every file and folder under `dir`, relative to it, sorted (`a/`, `a/b.yaml`).
pub fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            if e.file_type().is_dir() {
                rel + "/"
            } else {
                rel
            }
        })
        .collect();
    out.sort();
    out
}

/// Runs `rudder` and asserts it succeeded, returning stdout.
pub fn rudder_ok(args: &[&str]) -> String {
    let run = rudder(args);
    assert_eq!(run.code, 0, "rudder {args:?} failed:\n{}", run.stderr);
    run.stdout
}

/// Compares `actual` with `testdata/golden/<name>`; `UPDATE_GOLDEN=1` rewrites it
/// (review the diff before committing).
pub fn golden(name: &str, actual: &str) {
    let path = root().join("testdata/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden {}; run with UPDATE_GOLDEN=1 and review it",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "output differs from golden {}",
        path.display()
    );
}

/// A tool some checks need is missing. Under CI that is a failure; elsewhere too,
/// naming what to install, unless `RUDDER_ALLOW_SKIP=1`: then the check is skipped with
/// a line written straight to the terminal (not captured by the test harness), so a
/// skipped check never passes unseen.
pub fn missing(tool: &str, install: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    missing_for(&test, tool, install);
}

/// [`missing`], naming `what` is skipped (a check shared by many tests reports once).
pub fn missing_for(what: &str, tool: &str, install: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {tool} is missing: {install}"
    );
    if std::env::var("RUDDER_ALLOW_SKIP").as_deref() == Ok("1") {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {what}: {tool} not found ({install})"
        );
        return;
    }
    panic!(
        "{tool} not found: {install} (scripts/test.sh installs everything the tests need), \
         or set RUDDER_ALLOW_SKIP=1 to skip the checks that need it"
    );
}

/// The folder of a program found on PATH.
fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).find(|dir| dir.join(program).is_file())
}

/// The folder holding `helm4` (and `helm3`): `RUDDER_HELM_DIR`, the cache folder
/// `scripts/get-helm.sh` fills, or PATH. `None` only when skipping is allowed.
pub fn helm_dir() -> Option<PathBuf> {
    let found = find_helm_dir();
    if found.is_none() {
        missing("helm4", "run scripts/get-helm.sh");
    }
    found
}

/// [`helm_dir`] without reporting a missing helm: the caller must (see [`missing_for`]).
pub fn find_helm_dir() -> Option<PathBuf> {
    std::env::var_os("RUDDER_HELM_DIR")
        .map(PathBuf::from)
        .into_iter()
        .chain(std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/helm-oracle")))
        .chain(on_path("helm4"))
        .find(|d| d.join("helm4").is_file())
}

/// Whether `openssl` runs; `false` only when skipping is allowed.
pub fn has_openssl() -> bool {
    let found = Command::new("openssl").arg("version").output().is_ok();
    if !found {
        missing("openssl", "apt-get install openssl");
    }
    found
}

/// Runs a real helm binary.
pub fn helm(bin: &Path, args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(bin)
        .args(args)
        .current_dir(cwd)
        .env("HELM_CACHE_HOME", cwd.join(".helm/cache"))
        .env("HELM_CONFIG_HOME", cwd.join(".helm/config"))
        .env("HELM_DATA_HOME", cwd.join(".helm/data"))
        .output()
        .expect("run helm");
    finish(out)
}

/// The names a list file holds (`testdata/parity/go-pending.txt`, ...): one a line, what
/// follows `#` a comment. A missing file holds none unless it is `required`.
pub fn read_list(path: &Path, required: bool) -> std::collections::BTreeSet<String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if required => panic!("cannot read {}: {e}", path.display()),
        Err(_) => String::new(),
    };
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A value-file case as the corpus README runs one: `template rel <chart> -f <values>`,
/// then the flags of `<values>.args` (one line) when it is there.
pub fn case_args(chart: &Path, values: &Path) -> Vec<String> {
    let mut args = vec![
        "template".to_string(),
        "rel".into(),
        chart.display().to_string(),
        "-f".into(),
        values.display().to_string(),
    ];
    if let Ok(extra) = std::fs::read_to_string(values.with_extension("args")) {
        args.extend(extra.split_whitespace().map(str::to_string));
    }
    args
}

/// `<group>/<case>` for every value-file case `<dir>/<group>/<case>.yaml`.
pub fn case_names(dir: &Path) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    for group in std::fs::read_dir(dir).unwrap() {
        let group = group.unwrap().path();
        if !group.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&group).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "yaml") {
                found.insert(format!(
                    "{}/{}",
                    group.file_name().unwrap().to_string_lossy(),
                    file.file_stem().unwrap().to_string_lossy()
                ));
            }
        }
    }
    found
}

/// What helm4 printed for a case, as a recording script stored it: its standard output
/// (`<base>.out`, or gzipped `<base>.out.gz`) or, when it failed, its standard error
/// (`<base>.err`).
pub struct Recorded {
    pub ok: bool,
    pub text: String,
}

impl Recorded {
    /// The recording at `base`; `script` is what writes it, named when there is none.
    pub fn read(base: &Path, script: &str) -> Recorded {
        use std::io::Read as _;
        let file = |ext: &str| std::fs::File::open(base.with_extension(ext)).ok();
        if let Some(file) = file("out.gz") {
            let mut text = String::new();
            flate2::read::GzDecoder::new(file)
                .read_to_string(&mut text)
                .unwrap();
            return Recorded { ok: true, text };
        }
        if let Ok(text) = std::fs::read_to_string(base.with_extension("out")) {
            return Recorded { ok: true, text };
        }
        match std::fs::read_to_string(base.with_extension("err")) {
            Ok(text) => Recorded { ok: false, text },
            Err(_) => panic!(
                "no recording {}.out (or .err); run {script}",
                base.display()
            ),
        }
    }

    /// The recording against the real helm4 running `args` in `cwd`, when helm4 is there
    /// (it must be under CI): the same failure, or output that `same` accepts.
    pub fn check_live(
        &self,
        id: &str,
        cwd: &Path,
        args: &[&str],
        script: &str,
        same: impl Fn(&str, &str) -> Result<(), String>,
    ) {
        let Some(helm_dir) = find_helm_dir() else {
            missing_for(
                &format!("the live check of case {id}"),
                "helm4",
                "run scripts/get-helm.sh",
            );
            return;
        };
        let run = helm(&helm_dir.join("helm4"), args, cwd);
        if self.ok {
            assert_eq!(run.code, 0, "{id}: helm4 fails now: {}", run.stderr);
            if let Err(e) = same(&self.text, &run.stdout) {
                panic!("{id}: helm4 no longer prints the recording (run {script}): {e}");
            }
        } else {
            assert_ne!(run.code, 0, "{id}: helm4 succeeds now");
            assert_eq!(
                run.stderr, self.text,
                "{id}: helm4's error changed (run {script})"
            );
        }
    }
}

/// A Go-template chart `name` in `dir` (Chart.yaml: apiVersion v2, version 0.1.0) with
/// `files` (path in the chart, text); its path, as the commands take it.
pub fn chart_folder(dir: &Path, name: &str, files: &[(&str, &str)]) -> String {
    let chart = dir.join(name);
    std::fs::create_dir_all(&chart).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
    )
    .unwrap();
    for (path, text) in files {
        let at = chart.join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, text).unwrap();
    }
    chart.display().to_string()
}
