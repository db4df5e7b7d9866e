//! Template functions given huge, negative or overflowing numbers: each either gives
//! Go's result (checked against helm4 where its output is cheap to compare) or fails
//! cleanly, never hanging, aborting on an allocation or panicking (issue "P7 safety").

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Run;

/// A one-template Jinja chart rendering `v: {{ expr }}`.
fn chart(dir: &Path, expr: &str) -> String {
    let chart = dir.join("probe");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: probe\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/v.yaml"),
        format!("v: {{{{ {expr} }}}}\n"),
    )
    .unwrap();
    chart.display().to_string()
}

/// Renders `expr` with rudder under a memory cap and a time limit, so a regression
/// fails this test instead of exhausting the machine.
fn render(expr: &str, env: &[(&str, &str)]) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let chart = chart(tmp.path(), expr);
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -v 8000000 && exec \"$0\" template \"$1\""])
        .arg(env!("CARGO_BIN_EXE_rudder"))
        .arg(&chart)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes while waiting: outputs here run to megabytes.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("`{expr}` still running after 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn assert_fails_cleanly(name: &str, run: &Run, message: &str) {
    assert_eq!(run.code, 1, "{name}: exit code; stderr: {}", run.stderr);
    assert_eq!(run.stdout, "", "{name}: nothing may reach stdout");
    for crash in ["panicked", "crashed", "memory allocation"] {
        assert!(!run.stderr.contains(crash), "{name}: {}", run.stderr);
    }
    assert!(
        run.stderr.contains(message),
        "{name}: want `{message}` in:\n{}",
        run.stderr
    );
}

/// Strings over the limit are refused by name and length before they are built; a
/// negative count gets Go's own error.
#[test]
fn functions_refuse_strings_over_the_limit() {
    let rows: &[(&str, &str, &str)] = &[
        (
            "repeat_2_31",
            r#"repeat(2**31, "abc def")"#,
            "`repeat` would make a string of 15032385536 bytes, over the string length limit",
        ),
        (
            "repeat_10_10",
            r#"repeat(10**10, "x")"#,
            "`repeat` would make a string of 10000000000 bytes",
        ),
        (
            "repeat_overflowing_length",
            r#"repeat(2**63-1, "ab")"#,
            "`repeat` would make a string of 18446744073709551614 bytes",
        ),
        (
            "repeat_negative",
            r#"repeat(-1, "ab")"#,
            "repeat: strings: negative Repeat count",
        ),
        (
            "indent_10_18",
            r#"indent(10**18, "x")"#,
            "`indent` would make a string of 1000000000000000001 bytes",
        ),
        (
            "nindent_every_line",
            r#"nindent(2**40, "a\nb\nc")"#,
            "`nindent` would make a string of 3298534883334 bytes",
        ),
        (
            "indent_negative",
            r#"indent(-5, "x")"#,
            "indent: strings: negative Repeat count",
        ),
        // minijinja reads `-10**18` as `(-10)**18`.
        (
            "randAscii_10_18",
            "randAscii(-10**18)",
            "`randAscii` would make a string of 1000000000000000000 bytes",
        ),
        (
            "randNumeric_2_53",
            "randNumeric(2**53+1)",
            "`randNumeric` would make a string of 9007199254740993 bytes",
        ),
        (
            "randAlpha_max",
            "randAlpha(2**63-1)",
            "`randAlpha` would make a string of 9223372036854775807 bytes",
        ),
        (
            "randBytes_max",
            "randBytes(2**63-1)",
            "`randBytes` would make a string of 12297829382473034412 bytes",
        ),
        (
            "randBytes_negative",
            "randBytes(-1)",
            "randBytes: runtime error: makeslice: len out of range",
        ),
    ];
    for (name, expr, message) in rows {
        assert_fails_cleanly(name, &render(expr, &[]), message);
    }
}

#[test]
fn string_limit_is_raised_and_lowered_by_its_variable() {
    let run = render(r#"repeat(11, "ab")"#, &[("RUDDER_MAX_STRING", "21")]);
    assert_fails_cleanly(
        "lowered",
        &run,
        "`repeat` would make a string of 22 bytes, over the string length limit of 21 bytes (raise it with RUDDER_MAX_STRING=N)",
    );
    let run = render(r#"repeat(11, "ab")"#, &[("RUDDER_MAX_STRING", "22")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
