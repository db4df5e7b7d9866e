//! The 40 value-file cases of ../shared/corpus rendered by rudder's Go-template engine and
//! compared with helm4: byte for byte where helm4 succeeds, exit 1 with helm4's error text
//! for the `fails*` cases. helm4's output is recorded in `testdata/corpus/<chart>/<case>`
//! (`.out.gz`, or `.err` when it fails) by `scripts/record-corpus.sh`, so the comparison
//! runs without helm; when helm4 is there (always under CI) each recording is also checked
//! against what it prints now.
//!
//! The `defaults` cases of nginx, mariadb and rabbitmq draw passwords and certificates at
//! random in helm: there the differing lines must have the same key and the same shape
//! (the same length and alphabet, or base64 of PEM blocks of the same kinds).

use std::path::PathBuf;

use base64::Engine as _;

use crate::support::{Recorded, case_args, case_names, root, rudder_in};

/// The cases whose output holds random passwords or certificates.
/// What records the cases.
const RECORD: &str = "scripts/record-corpus.sh";

const RANDOM: &[&str] = &["mariadb/defaults", "nginx/defaults", "rabbitmq/defaults"];

fn corpus() -> PathBuf {
    let dir = root().join("../shared/corpus");
    assert!(dir.is_dir(), "the corpus is missing at {}", dir.display());
    dir
}

/// Whether two lines differ only in a random value of the same shape.
fn same_shape(a: &str, b: &str) -> bool {
    let split = |l: &str| -> Option<(String, String)> {
        let (key, value) = l.rsplit_once(": ")?;
        Some((key.to_string(), value.trim_matches('"').to_string()))
    };
    let (Some((ka, va)), Some((kb, vb))) = (split(a), split(b)) else {
        return false;
    };
    if ka != kb {
        return false;
    }
    let pem_kinds = |v: &str| -> Option<Vec<String>> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(v).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let kinds: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with("-----"))
            .map(str::to_string)
            .collect();
        (!kinds.is_empty()).then_some(kinds)
    };
    if let (Some(x), Some(y)) = (pem_kinds(&va), pem_kinds(&vb)) {
        return x == y;
    }
    let alphabet = |v: &str| {
        v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=')
    };
    va.len() == vb.len() && alphabet(&va) && alphabet(&vb)
}

/// Compares a render with helm's output: exact, or (for the random cases) line by line
/// with random values of the same shape allowed to differ.
fn compare(id: &str, theirs: &str, ours: &str) -> Result<(), String> {
    if theirs == ours {
        return Ok(());
    }
    if !RANDOM.contains(&id) {
        let line = theirs
            .lines()
            .zip(ours.lines())
            .position(|(a, b)| a != b)
            .map_or(theirs.lines().count().min(ours.lines().count()), |i| i);
        return Err(format!(
            "{id}: differs from helm4 at line {}:\n--- helm4\n{}\n--- rudder\n{}",
            line + 1,
            theirs.lines().nth(line).unwrap_or("<end>"),
            ours.lines().nth(line).unwrap_or("<end>")
        ));
    }
    let (t, o): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), ours.lines().collect());
    if t.len() != o.len() {
        return Err(format!(
            "{id}: {} lines from helm4, {} from rudder",
            t.len(),
            o.len()
        ));
    }
    for (i, (a, b)) in t.iter().zip(&o).enumerate() {
        if a != b && !same_shape(a, b) {
            return Err(format!(
                "{id}: line {} differs beyond its random value:\n--- helm4\n{a}\n--- rudder\n{b}",
                i + 1
            ));
        }
    }
    Ok(())
}

/// The error text a `fails*` case expects: its `# expect-error:` line (helm's first line
/// of stderr, without `Error: `) and any `# expect-stderr-contains:` line.
fn expected_errors(chart: &str, case: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(corpus().join(format!("cases/{chart}/{case}.yaml"))).unwrap();
    text.lines()
        .filter_map(|l| {
            l.strip_prefix("# expect-error: Error: ")
                .or_else(|| l.strip_prefix("# expect-stderr-contains: "))
        })
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn check(chart: &str, case: &str) {
    let id = format!("{chart}/{case}");
    // Run beside nothing: the corpus is read-only.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let corpus = corpus();
    let args = case_args(
        &corpus.join("charts").join(chart),
        &corpus.join(format!("cases/{chart}/{case}.yaml")),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let recorded = Recorded::read(
        &root().join("testdata/corpus").join(chart).join(case),
        RECORD,
    );
    let ours = rudder_in(dir, &[], &args);
    if case.starts_with("fails") {
        assert!(!recorded.ok, "{id}: helm4 succeeded when it was recorded");
        assert_eq!(ours.code, 1, "{id}: rudder must fail: {}", ours.stderr);
        assert!(ours.stdout.is_empty(), "{id}: rudder printed on failure");
        for expected in expected_errors(chart, case) {
            assert!(
                ours.stderr.contains(&expected),
                "{id}: rudder's error lacks helm4's `{expected}`:\n{}",
                ours.stderr
            );
        }
    } else {
        assert!(recorded.ok, "{id}: helm4 failed when it was recorded");
        assert_eq!(ours.code, 0, "{id}: rudder failed: {}", ours.stderr);
        if let Err(e) = compare(&id, &recorded.text, &ours.stdout) {
            panic!("{e}");
        }
    }
    recorded.check_live(&id, dir, &args, RECORD, |theirs, now| {
        compare(&id, theirs, now)
    });
}

/// One test per corpus case: `cargo test corpus_cases::<chart>__<case>`.
macro_rules! cases {
    ($($test:ident => $chart:literal / $case:literal,)*) => {
        $(
            #[test]
            #[allow(non_snake_case)]
            fn $test() {
                check($chart, $case);
            }
        )*

        /// The list above is every case of the corpus.
        #[test]
        fn the_list_holds_every_corpus_case() {
            let listed: std::collections::BTreeSet<String> =
                [$(format!("{}/{}", $chart, $case)),*].into_iter().collect();
            let found = case_names(&corpus().join("cases"));
            assert_eq!(listed, found);
        }
    };
}

cases! {
    argo_rollouts__alt => "argo-rollouts" / "alt",
    argo_rollouts__defaults => "argo-rollouts" / "defaults",
    argo_rollouts__full => "argo-rollouts" / "full",
    argo_workflows__alt => "argo-workflows" / "alt",
    argo_workflows__defaults => "argo-workflows" / "defaults",
    argo_workflows__full => "argo-workflows" / "full",
    mariadb__alt => "mariadb" / "alt",
    mariadb__defaults => "mariadb" / "defaults",
    mariadb__fails => "mariadb" / "fails",
    mariadb__fails_upgrade => "mariadb" / "fails-upgrade",
    mariadb__full => "mariadb" / "full",
    mariadb__minimal => "mariadb" / "minimal",
    metrics_server__alt => "metrics-server" / "alt",
    metrics_server__defaults => "metrics-server" / "defaults",
    metrics_server__full => "metrics-server" / "full",
    metrics_server__legacy => "metrics-server" / "legacy",
    nginx__alt => "nginx" / "alt",
    nginx__defaults => "nginx" / "defaults",
    nginx__fails => "nginx" / "fails",
    nginx__full => "nginx" / "full",
    nginx__minimal => "nginx" / "minimal",
    prometheus_adapter__alt => "prometheus-adapter" / "alt",
    prometheus_adapter__defaults => "prometheus-adapter" / "defaults",
    prometheus_adapter__full => "prometheus-adapter" / "full",
    prometheus_blackbox_exporter__alt => "prometheus-blackbox-exporter" / "alt",
    prometheus_blackbox_exporter__defaults => "prometheus-blackbox-exporter" / "defaults",
    prometheus_blackbox_exporter__full => "prometheus-blackbox-exporter" / "full",
    rabbitmq__alt => "rabbitmq" / "alt",
    rabbitmq__defaults => "rabbitmq" / "defaults",
    rabbitmq__fails => "rabbitmq" / "fails",
    rabbitmq__full => "rabbitmq" / "full",
    rabbitmq__minimal => "rabbitmq" / "minimal",
    tempo__alt => "tempo" / "alt",
    tempo__defaults => "tempo" / "defaults",
    tempo__full => "tempo" / "full",
    traefik__alt => "traefik" / "alt",
    traefik__defaults => "traefik" / "defaults",
    traefik__fails => "traefik" / "fails",
    traefik__full => "traefik" / "full",
    traefik__hub => "traefik" / "hub",
}

/// The engine knows no chart: none of the corpus charts' names (nor their publishers')
/// appears in its code, so what makes them render is general.
#[test]
fn no_corpus_chart_is_named_in_the_engine() {
    let names = [
        "nginx",
        "mariadb",
        "rabbitmq",
        "traefik",
        "tempo",
        "argo",
        "rollouts",
        "workflows",
        "metrics-server",
        "prometheus",
        "blackbox",
        "bitnami",
    ];
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root().join("src/engine")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())
            .unwrap()
            .to_lowercase();
        for name in names {
            let hit = text.match_indices(name).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + name.len()..].chars().next();
                let word = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
                word(before) && word(after)
            });
            if hit {
                found.push(format!("{}: {name}", entry.path().display()));
            }
        }
    }
    assert!(found.is_empty(), "chart names in the engine: {found:?}");
}
