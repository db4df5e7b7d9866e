//! Certificates and keys as Sprig makes them: every shape of testdata/charts/certificates
//! (RSA, P-256, P-384 and Ed25519 signers; CA, self-signed and signed; IPv4, mapped and
//! IPv6 addresses; an empty, a printable and a UTF-8 common name; an issuer named like its
//! subject) is compared with helm4's, recorded in testdata/golden/certificates-helm4.out
//! and, where helm is installed, rendered live. Keys and serials are random on both sides,
//! so the comparison is of `openssl x509 -text` with those parts left out.

use std::path::Path;

use crate::functions_safety::der;
use crate::support::{self, rudder};

const CHART: &str = "testdata/charts/certificates";
const RECORDED: &str = "testdata/golden/certificates-helm4.out";
const CERTS: &[&str] = &[
    "ca", "signed", "emptycn", "utf8cn", "ed", "samename", "p384ca", "p384leaf", "ecca", "ecleaf",
    "edca", "edleaf",
];

/// The PEM behind each `name: base64` line of a rendering.
fn pems(out: &str) -> Vec<(String, String)> {
    use base64::Engine as _;
    out.lines()
        .filter_map(|l| l.split_once(": "))
        .filter(|(k, _)| !k.starts_with(' ') && !k.starts_with('#'))
        .map(|(k, v)| {
            let pem = base64::engine::general_purpose::STANDARD
                .decode(v.trim())
                .unwrap_or_else(|e| panic!("{k}: {e}"));
            (k.to_string(), String::from_utf8(pem).unwrap())
        })
        .collect()
}

fn pem<'a>(all: &'a [(String, String)], name: &str) -> &'a str {
    &all.iter()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

fn openssl(args: &[&str], input: &str) -> String {
    use std::io::Write as _;
    let mut child = std::process::Command::new("openssl")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("openssl (apt-get install openssl)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A certificate as `openssl x509 -text` shows it without its random parts (serial,
/// validity, public key, signature) and with key identifiers masked; names show their
/// ASN.1 string types.
fn layout(pem: &str) -> String {
    let text = openssl(
        &[
            "x509",
            "-noout",
            "-text",
            "-certopt",
            "no_pubkey,no_sigdump,no_serial,no_validity",
            "-nameopt",
            "multiline,show_type",
        ],
        pem,
    );
    text.lines()
        .map(|l| {
            let t = l.trim();
            let key_id = t.len() == 59 && t.split(':').all(|b| b.len() == 2);
            if key_id { "<key id>" } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn render() -> String {
    let run = rudder(&["template", "x", CHART]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

fn assert_same_layouts(ours: &str, theirs: &str, whose: &str) {
    let (ours, theirs) = (pems(ours), pems(theirs));
    for name in CERTS {
        assert_eq!(
            layout(pem(&ours, name)),
            layout(pem(&theirs, name)),
            "{name}: rudder's certificate against {whose}'s"
        );
    }
}

#[test]
fn certificates_are_laid_out_as_helm4_lays_them_out() {
    if !support::has_openssl() {
        return;
    }
    let ours = render();
    let recorded = std::fs::read_to_string(support::root().join(RECORDED)).unwrap();
    assert_same_layouts(&ours, &recorded, "recorded helm4");
    if let Some(dir) = support::helm_dir() {
        let root = support::root();
        let run = support::helm(&dir.join("helm4"), &["template", "x", CHART], &root);
        assert_eq!(run.code, 0, "helm4: {}", run.stderr);
        assert_same_layouts(&ours, &run.stdout, "live helm4");
    }
}

/// The bits of a certificate's public key (the subjectPublicKey BIT STRING's content).
fn public_key_bits(pem: &str) -> Vec<u8> {
    use base64::Engine as _;
    let spki = openssl(&["x509", "-noout", "-pubkey"], pem);
    let body: String = spki.lines().filter(|l| !l.starts_with("-----")).collect();
    let spki = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let (_, seq, _) = der(&spki);
    let (_, _, rest) = der(seq);
    let (tag, bits, _) = der(rest);
    assert_eq!(tag, 0x03, "a BIT STRING");
    bits[1..].to_vec()
}

fn extension(pem: &str, name: &str) -> String {
    let text = openssl(&["x509", "-noout", "-ext", name], pem);
    text.lines().nth(1).unwrap_or_default().trim().to_string()
}

/// Helm 4 (Go 1.25) names a CA's key by the first 160 bits of the SHA-256 of its public
/// key, and a signed certificate names its issuer's key the same way; every chain
/// verifies with OpenSSL, whatever the signer's key.
#[test]
fn key_identifiers_are_truncated_sha256_and_chains_verify() {
    use sha2::Digest as _;
    if !support::has_openssl() {
        return;
    }
    let out = pems(&render());
    let tmp = tempfile::tempdir().unwrap();
    for (ca, leaf) in [
        ("ca", "signed"),
        ("p384ca", "p384leaf"),
        ("ecca", "ecleaf"),
        ("edca", "edleaf"),
    ] {
        let ca_pem = pem(&out, ca);
        let digest = sha2::Sha256::digest(public_key_bits(ca_pem));
        let want: Vec<String> = digest[..20].iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(
            extension(ca_pem, "subjectKeyIdentifier"),
            want.join(":"),
            "{ca}"
        );
        assert_eq!(
            extension(pem(&out, leaf), "authorityKeyIdentifier"),
            want.join(":"),
            "{leaf}"
        );
        let at = |name: &str, text: &str| {
            let p = tmp.path().join(name);
            std::fs::write(&p, text).unwrap();
            p.display().to_string()
        };
        let (ca_file, leaf_file) = (at(ca, ca_pem), at(leaf, pem(&out, leaf)));
        let run = std::process::Command::new("openssl")
            .args(["verify", "-CAfile", &ca_file, &leaf_file])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{leaf} by {ca}: {}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
    // Issuer and subject named alike: Go leaves the authority key identifier out.
    assert_eq!(
        extension(pem(&out, "samename"), "authorityKeyIdentifier"),
        ""
    );
}

/// Keys come out in Sprig's formats: an EC key (P-384 here) as SEC1 with its curve, a
/// DSA key in OpenSSL's `DSA PRIVATE KEY` layout, both as helm4 writes them.
#[test]
fn keys_are_written_in_sprigs_formats() {
    if !support::has_openssl() {
        return;
    }
    let out = pems(&render());
    let recorded = pems(&std::fs::read_to_string(support::root().join(RECORDED)).unwrap());
    for (name, label, check, shows) in [
        ("p384key", "EC PRIVATE KEY", "ec", "NIST CURVE: P-384"),
        ("dsakey", "DSA PRIVATE KEY", "dsa", "P:"),
    ] {
        for (whose, all) in [("rudder", &out), ("helm4", &recorded)] {
            let key = pem(all, name);
            assert!(
                key.starts_with(&format!("-----BEGIN {label}-----\n")),
                "{whose} {name}: {key}"
            );
            let text = openssl(&[check, "-noout", "-text"], key);
            assert!(text.contains(shows), "{whose} {name}: {text}");
        }
    }
    // The given P-384 key comes back as it went in (same key, Sprig's encoding).
    let given = std::fs::read_to_string(
        Path::new(&support::root())
            .join(CHART)
            .join("keys/p384.pem"),
    )
    .unwrap();
    let public = |k: &str| openssl(&["pkey", "-pubout"], k);
    assert_eq!(public(pem(&out, "p384key")), public(&given));
}
