//! Template functions given huge, negative or overflowing numbers: each either gives
//! Go's result (checked against helm4 where its output is cheap to compare) or fails
//! cleanly, never hanging, aborting on an allocation or panicking (issue "P7 safety").

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Run, helm, helm_dir};

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

/// The Go-template twin of `chart`, for helm4.
fn go_chart(dir: &Path, expr: &str) -> String {
    let chart = dir.join("go");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: go\nversion: 0.1.0\n",
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

/// The rendered value of `v`, asserting success.
fn value(expr: &str) -> String {
    let run = render(expr, &[]);
    assert_eq!(run.code, 0, "`{expr}`: {}", run.stderr);
    let line = run.stdout.lines().find_map(|l| l.strip_prefix("v: "));
    line.unwrap_or_else(|| panic!("`{expr}`: no value in {}", run.stdout))
        .to_string()
}

/// helm4's value of `v` for a Go expression, or `None` when helm4 is not installed.
fn helm_value(expr: &str) -> Option<String> {
    let dir = helm_dir()?;
    let tmp = tempfile::tempdir().unwrap();
    let chart = go_chart(tmp.path(), expr);
    let run = helm(&dir.join("helm4"), &["template", "x", &chart], tmp.path());
    assert_eq!(run.code, 0, "helm4 `{expr}`: {}", run.stderr);
    let line = run.stdout.lines().find_map(|l| l.strip_prefix("v: "));
    Some(line.unwrap_or_default().to_string())
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
    // Functions whose output multiplies their input's length.
    let rows: &[(&str, &str, &str)] = &[
        (
            "replace_empty",
            r#"replace("", "xxxxxxxxxx", "abcdefghijkl")"#,
            "`replace` would make a string of 142 bytes",
        ),
        (
            "wrapWith_long_separator",
            r#"wrapWith(1, "xxxxxxxxxxxxxxxxxxxx", "a b c d e f g h")"#,
            "`wrapWith` would make a string of 105 bytes",
        ),
        (
            "join_long_separator",
            r#"join("xxxxxxxxxxxxxxxxxxxx", until(10))"#,
            "`join` would make a string of 190 bytes",
        ),
    ];
    for (name, expr, message) in rows {
        let run = render(expr, &[("RUDDER_MAX_STRING", "100")]);
        assert_fails_cleanly(name, &run, message);
    }
    // printf's padding counts too.
    let run = render(
        r#"printf("%9999999d%9999999d", 1, 2)"#,
        &[("RUDDER_MAX_STRING", "19999997")],
    );
    assert_fails_cleanly(
        "printf",
        &run,
        "`printf` would make a string of 19999998 bytes",
    );
}

/// Go prints any precision its parser accepts (up to seven digits) exactly; Rust's
/// formatter stops at 65535.
#[test]
fn printf_prints_huge_precisions_as_go_does() {
    let rows: &[(&str, &str, usize, &str, &str)] = &[
        ("%.65536f", "1.5", 65_538, "1.5000", "0000"),
        ("%.65536e", "1.5", 65_542, "1.5000", "000e+00"),
        ("%080.70000g", "1.5", 80, "0000", "0001.5"),
        ("%.70000g", "5e-324", 757, "4.940656458412465", "5625e-324"),
        (
            "%.1100000f",
            "0.1",
            1_100_002,
            "0.1000000000000000055511151231257827",
            "0000",
        ),
    ];
    for (format, arg, len, prefix, suffix) in rows {
        let got = value(&format!("printf({format:?}, {arg}) | quote"));
        let got = got.trim_matches('"');
        assert_eq!(
            got.len(),
            *len,
            "{format} {arg}: {}",
            &got[..60.min(got.len())]
        );
        assert!(
            got.starts_with(prefix) && got.ends_with(suffix),
            "{format} {arg}"
        );
        if let Some(theirs) = helm_value(&format!("printf {format:?} {arg} | quote")) {
            assert!(
                theirs.trim_matches('"') == got,
                "{format} {arg}: helm4 differs"
            );
        }
    }
}

/// Sprig's until, untilStep and seq return every item: no silent cut-off.
#[test]
fn ranges_return_every_item_as_helm_does() {
    let rows: &[(&str, &str, &str)] = &[
        ("until(2000000) | length", "len (until 2000000)", "2000000"),
        ("until(2000000) | last", "last (until 2000000)", "1999999"),
        (
            "until(-2000000) | last",
            "last (until -2000000)",
            "-1999999",
        ),
        (
            "untilStep(0, 4000000, 2) | length",
            "len (untilStep 0 4000000 2)",
            "2000000",
        ),
        ("seq(2000000) | length", "len (seq 2000000)", "14888895"),
        (
            "seq(2000000)[-15:]",
            "substr 14888880 14888895 (seq 2000000)",
            "1999999 2000000",
        ),
    ];
    for (jinja, go, want) in rows {
        assert_eq!(value(jinja), *want, "{jinja}");
        if let Some(theirs) = helm_value(go) {
            assert_eq!(theirs, *want, "helm4: {go}");
        }
    }
}

#[test]
fn ranges_refuse_lists_over_the_limit() {
    let run = render("until(11)", &[("RUDDER_MAX_LIST", "10")]);
    assert_fails_cleanly(
        "lowered",
        &run,
        "`until` would make a list of 11 items, over the list length limit of 10 items (raise it with RUDDER_MAX_LIST=N)",
    );
    let run = render("until(10)", &[("RUDDER_MAX_LIST", "10")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: &[(&str, &str, &str)] = &[
        (
            "until_min",
            "until(-9223372036854775808)",
            "`until` would make a list of 9223372036854775808 items",
        ),
        (
            "untilStep_full_range",
            "untilStep(-9223372036854775807, 9223372036854775807, 1)",
            "`untilStep` would make a list of 18446744073709551614 items",
        ),
        // Go's `i += step` wraps past MaxInt64 and goes on from MinInt64 (helm runs
        // out of memory).
        (
            "untilStep_wrapping",
            "untilStep(9223372036854775800, 9223372036854775807, 3)",
            "`untilStep` would make a list of more than 50000000 items (its step wraps around int64",
        ),
        (
            "seq_full_range",
            "seq(-9223372036854775807, 9223372036854775806)",
            "`seq` would make a list of 18446744073709551614 items",
        ),
    ];
    for (name, expr, message) in rows {
        assert_fails_cleanly(name, &render(expr, &[]), message);
    }
}

/// One DER element: its tag, its content and what follows it.
pub(crate) fn der(d: &[u8]) -> (u8, &[u8], &[u8]) {
    let (tag, first) = (d[0], d[1]);
    let (len, head) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        let len = d[2..2 + n]
            .iter()
            .fold(0usize, |acc, b| acc << 8 | usize::from(*b));
        (len, 2 + n)
    };
    (tag, &d[head..head + len], &d[head + len..])
}

/// An X.509 UTCTime (`YYMMDDHHMMSSZ`, 1950-2049) or GeneralizedTime as unix seconds.
fn x509_time(tag: u8, text: &[u8]) -> i64 {
    let text = std::str::from_utf8(text).unwrap();
    let full = match tag {
        0x17 if text < "50" => format!("20{text}"),
        0x17 => format!("19{text}"),
        _ => text.to_string(),
    };
    let n = |r: std::ops::Range<usize>| full[r].parse::<i16>().unwrap();
    let dt = jiff::civil::date(n(0..4), n(4..6) as i8, n(6..8) as i8).at(
        n(8..10) as i8,
        n(10..12) as i8,
        n(12..14) as i8,
        0,
    );
    dt.to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_second()
}

/// Seconds from a certificate's notBefore to its notAfter (the PEM as base64).
fn validity(cert_b64: &str) -> i64 {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let pem = String::from_utf8(b64.decode(cert_b64.trim()).unwrap()).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let cert = b64.decode(body).unwrap();
    let (_, cert, _) = der(&cert);
    let (_, tbs, _) = der(cert);
    // version [0], serial, signature algorithm, issuer, then the validity.
    let mut rest = tbs;
    for _ in 0..4 {
        rest = der(rest).2;
    }
    let (_, validity, _) = der(rest);
    let (tag, not_before, rest) = der(validity);
    let (tag2, not_after, _) = der(rest);
    x509_time(tag2, not_after) - x509_time(tag, not_before)
}

/// Sprig's `time.Hour * 24 * time.Duration(days)` wraps as Go's int64: helm makes the
/// certificate, valid for about 30 years at 3000000 days and for no time at 2**62.
#[test]
fn certificate_days_wrap_as_go_durations_do() {
    let rows: &[(&str, &str, i64)] = &[
        ("3000000", "3000000", 945_582_968),
        ("2**62", "4611686018427387904", 0),
        ("2**63-1", "9223372036854775807", -86_400),
        ("106752", "106752", -9_223_371_274),
        ("-1", "-1", -86_400),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (days, go_days, want) in rows {
        let chart = chart(tmp.path(), &format!("genCA(\"x\", {days}).Cert | b64enc"));
        let run = crate::support::rudder(&[
            "template",
            &chart,
            "--seed",
            "1",
            "--now",
            "2026-01-01T00:00:00Z",
        ]);
        assert_eq!(run.code, 0, "genCA {days}: {}", run.stderr);
        let cert = run
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("v: "))
            .unwrap();
        assert_eq!(validity(cert), *want, "genCA {days}");
        // helm reads the clock twice: its notAfter may be one second later.
        if let Some(theirs) = helm_value(&format!("(genCA \"x\" {go_days}).Cert | b64enc")) {
            let theirs = validity(&theirs);
            assert!(
                (*want..=*want + 1).contains(&theirs),
                "genCA {days}: helm4 is valid for {theirs} s"
            );
        }
    }
}

/// Where Go's arithmetic on a template's numbers overflows or slices out of range, Helm
/// reports Go's error; rudder reports the same, and never panics.
#[test]
fn out_of_range_numbers_give_gos_errors() {
    let rows: &[(&str, &str, &str)] = &[
        (
            "randInt_span_wraps",
            "randInt(-9223372036854775808, 9223372036854775807)",
            "randInt: invalid argument to Intn",
        ),
        (
            "substr_end",
            r#"substr(-1, 99, "abc")"#,
            "substr: runtime error: slice bounds out of range [:99] with length 3",
        ),
        (
            "substr_start",
            r#"substr(5, -1, "abc")"#,
            "substr: runtime error: slice bounds out of range [5:3]",
        ),
        (
            "chunk_zero",
            "chunk(0, list(1, 2))",
            "chunk: runtime error: makeslice: len out of range",
        ),
        (
            "mustDateModify_past_int64",
            r#"mustDateModify("99999999999h", now())"#,
            r#"mustDateModify: time: invalid duration "99999999999h""#,
        ),
    ];
    for (name, expr, message) in rows {
        assert_fails_cleanly(name, &render(expr, &[]), message);
    }
    // These panicked on overflow; Go wraps.
    assert_eq!(
        value(r#"abbrevboth(-9223372036854775808, 5, "abcdefghijklmnop") | quote"#),
        "\"\""
    );
    assert_eq!(value("seq(9223372036854775807) | quote"), "\"\"");
}
