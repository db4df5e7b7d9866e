//! The function library: its names against helm4's and the documentation, and the
//! functions whose output cannot be compared with Helm byte for byte (random, clock).

use std::collections::BTreeSet;

use crate::support::{Run, helm, helm_dir, root, rudder};

fn documented() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(root().join("docs/functions.md")).unwrap();
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

fn helm4_names() -> Vec<String> {
    std::fs::read_to_string(root().join("testdata/parity/helm4-functions.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_registered_function_is_documented_and_nothing_else() {
    let registered: BTreeSet<String> = rudder::engine::funcs::names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let table = documented();
    let undocumented: Vec<_> = registered.difference(&table).collect();
    let unregistered: Vec<_> = table.difference(&registered).collect();
    assert!(
        undocumented.is_empty(),
        "missing from docs/functions.md: {undocumented:?}"
    );
    assert!(
        unregistered.is_empty(),
        "documented but not registered: {unregistered:?}"
    );
}

#[test]
fn every_helm4_function_is_registered() {
    let registered: BTreeSet<String> = rudder::engine::funcs::names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let missing: Vec<String> = helm4_names()
        .into_iter()
        .filter(|n| !registered.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "helm4 functions not registered: {missing:?}"
    );
}

/// Probes the real helm4 with every listed name in one template; an unknown function
/// stops its parser with `function "x" not defined`.
#[test]
fn helm4_knows_exactly_the_listed_function_names() {
    let Some(dir) = helm_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut names = helm4_names();
    names.extend(["env".to_string(), "expandenv".to_string()]);
    // helm4 removed env and expandenv; every other listed name must parse.
    let run = probe_helm4_names(&dir, tmp.path(), &names);
    assert!(
        run.stderr.contains("function \"env\" not defined"),
        "{}",
        run.stderr
    );
    names.retain(|n| n != "env" && n != "expandenv");
    let run = probe_helm4_names(&dir, tmp.path(), &names);
    assert_eq!(
        run.code, 0,
        "helm4 does not know a listed function: {}",
        run.stderr
    );
}

/// Renders a chart whose one template names every function in `names` inside a branch
/// that never runs, so helm4 only parses them.
fn probe_helm4_names(helm_dir: &std::path::Path, tmp: &std::path::Path, names: &[String]) -> Run {
    let chart = tmp.join("probe");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: probe\nversion: 0.1.0\n",
    )
    .unwrap();
    let calls: String = names.iter().map(|n| format!("{{{{ {n} }}}}")).collect();
    std::fs::write(
        chart.join("templates/a.yaml"),
        format!("{{{{ if false }}}}{calls}{{{{ end }}}}\n"),
    )
    .unwrap();
    helm(
        &helm_dir.join("helm4"),
        &["template", chart.to_str().unwrap()],
        tmp,
    )
}

fn random_chart(dir: &std::path::Path) -> String {
    let chart = dir.join("random");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: random\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n  alnum: {{ randAlphaNum(16) | quote }}\n  alpha: {{ randAlpha(12) | quote }}\n  numeric: {{ randNumeric(6) | quote }}\n  ascii: {{ randAscii(20) | quote }}\n  int: {{ randInt(5, 10) | quote }}\n  uuid: {{ uuidv4() | quote }}\n  bytes: {{ randBytes(24) | quote }}\n  shuffled: {{ shuffle(\"abcdef\") | quote }}\n  now: {{ now() | date(\"2006-01-02T15:04:05Z07:00\") | quote }}\n",
    )
    .unwrap();
    chart.display().to_string()
}

fn field(out: &str, key: &str) -> String {
    let doc = rudder::yaml::parse(out.split("\n---\n").last().unwrap_or(out)).unwrap();
    doc["data"][key].as_str().unwrap_or_default().to_string()
}

#[test]
fn random_functions_have_their_shape_and_repeat_with_a_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = random_chart(tmp.path());
    let render = |seed: &str| {
        let run = rudder(&[
            "template",
            &chart,
            "--seed",
            seed,
            "--now",
            "2026-01-02T03:04:05Z",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let (a, b, c) = (render("42"), render("42"), render("7"));
    assert_eq!(a, b, "the same seed gives the same bytes");
    assert_ne!(a, c, "another seed gives other values");
    let alnum = field(&a, "alnum");
    assert_eq!(alnum.len(), 16);
    assert!(
        alnum.chars().all(|ch| ch.is_ascii_alphanumeric()),
        "{alnum}"
    );
    assert!(
        field(&a, "alpha")
            .chars()
            .all(|ch| ch.is_ascii_alphabetic())
    );
    assert_eq!(field(&a, "alpha").len(), 12);
    assert!(field(&a, "numeric").chars().all(|ch| ch.is_ascii_digit()));
    assert!(
        field(&a, "ascii")
            .chars()
            .all(|ch| (' '..='~').contains(&ch))
    );
    let n: i64 = field(&a, "int").parse().unwrap();
    assert!((5..10).contains(&n), "{n}");
    let uuid = field(&a, "uuid");
    let parts: Vec<&str> = uuid.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        vec![8, 4, 4, 4, 12],
        "{uuid}"
    );
    assert!(parts[2].starts_with('4'), "version 4: {uuid}");
    assert!("89ab".contains(&parts[3][..1]), "RFC 4122 variant: {uuid}");
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(field(&a, "bytes"))
        .unwrap();
    assert_eq!(bytes.len(), 24);
    let mut shuffled: Vec<char> = field(&a, "shuffled").chars().collect();
    shuffled.sort();
    assert_eq!(shuffled.into_iter().collect::<String>(), "abcdef");
    assert_eq!(field(&a, "now"), "2026-01-02T03:04:05Z");
}

#[test]
fn unseeded_random_values_differ_between_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = random_chart(tmp.path());
    let a = rudder(&["template", &chart]).stdout;
    let b = rudder(&["template", &chart]).stdout;
    assert_ne!(field(&a, "alnum"), field(&b, "alnum"));
}

#[test]
fn now_comes_from_source_date_epoch_without_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = random_chart(tmp.path());
    let out = std::process::Command::new(crate::support::binary())
        .args(["template", &chart])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(field(&text, "now"), "2023-11-14T22:13:20Z");
}

fn openssl(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl (install it: apt-get install openssl)");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn certificates_and_keys_are_real_and_verify_with_openssl() {
    if !crate::support::has_openssl() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let chart = tmp.path().join("crypto");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: crypto\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/s.yaml"),
        r#"{% set ca = genCA("my-ca", 365) %}
{% set cert = genSignedCert("web", ["10.0.0.1"], ["web.example.com"], 30, ca) %}
{% set ec = genPrivateKey("ecdsa") %}
apiVersion: v1
kind: Secret
metadata:
  name: s
stringData:
  ca.crt: {{ ca.Cert | quote }}
  tls.crt: {{ cert.Cert | quote }}
  tls.key: {{ cert.Key | quote }}
  self.crt: {{ genSelfSignedCert("self", none, ["a.example.com"], 10).Cert | quote }}
  ec.key: {{ ec | quote }}
  ec.crt: {{ genSelfSignedCertWithKey("ec", none, none, 5, ec).Cert | quote }}
  ed.key: {{ genPrivateKey("ed25519") | quote }}
  bcrypt: {{ bcrypt("secret") | quote }}
  htpasswd: {{ htpasswd("admin", "secret") | quote }}
  aes: {{ decryptAES("key", encryptAES("key", "hello world")) | quote }}
  custom: {{ buildCustomCert(ca.Cert | b64enc, ca.Key | b64enc).Cert | quote }}
"#,
    )
    .unwrap();
    let render = || {
        let run = rudder(&[
            "template",
            chart.to_str().unwrap(),
            "--seed",
            "9",
            "--now",
            "2026-01-01T00:00:00Z",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let out = render();
    let data = |key: &str| {
        let doc = rudder::yaml::parse(out.split("\n---\n").last().unwrap_or(&out)).unwrap();
        doc["stringData"][key].as_str().unwrap().to_string()
    };
    for name in [
        "ca.crt", "tls.crt", "tls.key", "self.crt", "ec.key", "ec.crt", "ed.key",
    ] {
        std::fs::write(tmp.path().join(name), data(name)).unwrap();
    }
    let at = |p: &str| tmp.path().join(p).display().to_string();
    // 2026-01-02, inside every validity window.
    let (ok, text) = openssl(&[
        "verify",
        "-attime",
        "1767312000",
        "-CAfile",
        &at("ca.crt"),
        &at("tls.crt"),
    ]);
    assert!(ok, "{text}");
    let (_, text) = openssl(&[
        "x509",
        "-in",
        &at("tls.crt"),
        "-noout",
        "-subject",
        "-ext",
        "subjectAltName",
    ]);
    assert!(
        text.contains("CN = web")
            && text.contains("DNS:web.example.com")
            && text.contains("IP Address:10.0.0.1"),
        "{text}"
    );
    let (_, text) = openssl(&[
        "x509",
        "-in",
        &at("ca.crt"),
        "-noout",
        "-ext",
        "basicConstraints",
    ]);
    assert!(text.contains("CA:TRUE"), "{text}");
    let (ok, text) = openssl(&["rsa", "-in", &at("tls.key"), "-check", "-noout"]);
    assert!(ok && text.contains("RSA key ok"), "{text}");
    let (ok, text) = openssl(&["pkey", "-in", &at("ec.key"), "-noout", "-text"]);
    assert!(ok && text.contains("prime256v1"), "{text}");
    let (ok, text) = openssl(&["pkey", "-in", &at("ed.key"), "-noout", "-text"]);
    assert!(ok && text.contains("ED25519"), "{text}");
    let (ok, text) = openssl(&["x509", "-in", &at("ec.crt"), "-noout", "-subject"]);
    assert!(ok && text.contains("CN = ec"), "{text}");
    assert!(bcrypt::verify("secret", &data("bcrypt")).unwrap());
    assert!(data("bcrypt").starts_with("$2a$10$"));
    let ht = data("htpasswd");
    assert!(
        ht.starts_with("admin:$2a$10$") && bcrypt::verify("secret", &ht["admin:".len()..]).unwrap()
    );
    assert_eq!(data("aes"), "hello world");
    assert_eq!(data("custom"), data("ca.crt"));
    // With a seed, everything repeats: keys, serials, signatures (ECDSA's too, RFC 6979).
    assert_eq!(out, render());
}
