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

/// The folder holding `helm3` and `helm4`, or `None` (with a notice) when it is not
/// installed and CI is not set. Under CI a missing Helm is a failure.
pub fn helm_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("RUDDER_HELM_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/helm-oracle")));
    match dir {
        Some(d) if d.join("helm4").is_file() => Some(d),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but helm4 is missing: run scripts/get-helm.sh and set RUDDER_HELM_DIR"
            );
            eprintln!("notice: helm4 not installed; parity test skipped (run scripts/get-helm.sh)");
            None
        }
    }
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
