//! Fixture charts of our own (`testdata/charts/go-surface/<fixture>`) for the parts of
//! Helm's surface the corpus charts leave unused: the `.Files` methods, `.Subcharts`,
//! import-values, `.Capabilities`, `lookup` in `helm template`, library charts, one
//! subchart under two aliases, NOTES.txt in subcharts, helpers included again and again
//! with the same maps (what rudder reuses of their output must not show). Each case is a
//! values file `testdata/go-surface/<fixture>/<case>.yaml` with an optional `<case>.args` line, rendered
//! as `template rel <chart> -f <case>.yaml <args>` and compared with helm4's output recorded
//! beside it by `scripts/record-go-surface.sh` (`<case>.out`, or `<case>.err` when helm4
//! fails): byte for byte where helm4 succeeds; where it fails (the `fails*` cases), exit 1,
//! nothing on stdout and helm4's message in rudder's stderr. When helm4 is there (always
//! under CI) each recording is also checked against what it prints now.
//!
//! The cases rudder does not render as helm4 does yet are listed in
//! `testdata/go-surface/pending.txt`: each must still differ (remove it once it agrees).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::support::{Recorded, Run, case_args, case_names, read_list, root, rudder_in};

const PENDING: &str = "testdata/go-surface/pending.txt";

/// What records the cases.
const RECORD: &str = "scripts/record-go-surface.sh";

fn cases_dir() -> PathBuf {
    root().join("testdata/go-surface")
}

fn pending() -> &'static BTreeSet<String> {
    static LISTED: OnceLock<BTreeSet<String>> = OnceLock::new();
    LISTED.get_or_init(|| read_list(&root().join(PENDING), false))
}

/// helm4's message in a recorded failure: its lines without `Error: `, helm's log lines
/// (`level=WARN ...`) and the `--debug` hint.
fn expected_errors(recorded: &str) -> Vec<&str> {
    recorded
        .lines()
        .map(|l| l.strip_prefix("Error: ").unwrap_or(l))
        .filter(|l| {
            !l.trim().is_empty()
                && !l.starts_with("level=")
                && *l != "Use --debug flag to render out invalid YAML"
        })
        .collect()
}

/// Whether rudder's run is what helm4 recorded; else why not.
fn agree(recorded: &Recorded, ours: &Run) -> Result<(), String> {
    if recorded.ok {
        if ours.code != 0 {
            return Err(format!(
                "helm4 succeeds, rudder fails (exit {}):\n{}",
                ours.code, ours.stderr
            ));
        }
        if ours.stdout == recorded.text {
            return Ok(());
        }
        let diff = similar::TextDiff::from_lines(&recorded.text, &ours.stdout)
            .unified_diff()
            .context_radius(3)
            .header("helm4", "rudder")
            .to_string();
        return Err(format!("the output differs:\n{diff}"));
    }
    if ours.code != 1 {
        return Err(format!(
            "helm4 fails, rudder exits {}:\n--- helm4\n{}--- rudder stderr\n{}",
            ours.code, recorded.text, ours.stderr
        ));
    }
    if !ours.stdout.is_empty() {
        return Err(format!("rudder printed on failure:\n{}", ours.stdout));
    }
    let missing: Vec<&str> = expected_errors(&recorded.text)
        .into_iter()
        .filter(|line| !ours.stderr.contains(line))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "rudder's error lacks helm4's {missing:?}:\n--- helm4\n{}--- rudder\n{}",
            recorded.text, ours.stderr
        ))
    }
}

fn check(fixture: &str, case: &str) {
    let id = format!("{fixture}/{case}");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let args = case_args(
        &root().join("testdata/charts/go-surface").join(fixture),
        &cases_dir().join(fixture).join(format!("{case}.yaml")),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let recorded = Recorded::read(&cases_dir().join(fixture).join(case), RECORD);
    assert_eq!(
        !recorded.ok,
        case.starts_with("fails"),
        "{id}: a case fails in helm4 exactly when its name starts with `fails`"
    );
    let ours = rudder_in(dir, &[], &args);
    let listed = pending().contains(&id);
    match agree(&recorded, &ours) {
        Ok(()) => assert!(
            !listed,
            "{id}: rudder now renders it as helm4 does: remove it from {PENDING}"
        ),
        Err(e) => assert!(
            listed,
            "{id}: rudder differs from helm4 (recorded in testdata/go-surface/{id}.*): {e}"
        ),
    }
    recorded.check_live(&id, dir, &args, RECORD, |theirs, now| {
        if theirs == now {
            Ok(())
        } else {
            Err("the output differs".into())
        }
    });
}

/// One test per case: `cargo test go_surface::<fixture>__<case>`.
macro_rules! cases {
    ($($test:ident => $fixture:literal / $case:literal,)*) => {
        $(
            #[test]
            #[allow(non_snake_case)]
            fn $test() {
                check($fixture, $case);
            }
        )*

        /// The list above is every case in testdata/go-surface, and every fixture chart has
        /// cases.
        #[test]
        fn the_list_holds_every_case() {
            let listed: BTreeSet<String> =
                [$(format!("{}/{}", $fixture, $case)),*].into_iter().collect();
            let found = case_names(&cases_dir());
            assert_eq!(listed, found);
            let fixtures: BTreeSet<&str> = [$($fixture),*].into_iter().collect();
            for chart in std::fs::read_dir(root().join("testdata/charts/go-surface")).unwrap() {
                let name = chart.unwrap().file_name().to_string_lossy().into_owned();
                assert!(fixtures.contains(name.as_str()), "fixture chart {name} has no cases");
            }
        }

        /// Every case named in pending.txt exists.
        #[test]
        fn pending_names_listed_cases() {
            let listed: BTreeSet<String> =
                [$(format!("{}/{}", $fixture, $case)),*].into_iter().collect();
            for name in pending() {
                assert!(listed.contains(name), "{PENDING} names {name}, which is no case");
            }
        }
    };
}

cases! {
    alias_twice__both => "alias-twice" / "both",
    alias_twice__defaults => "alias-twice" / "defaults",
    alias_twice__second_condition => "alias-twice" / "second-condition",
    alias_twice__tags_batch => "alias-twice" / "tags-batch",
    alias_twice__tags_off => "alias-twice" / "tags-off",
    capabilities__api_versions => "capabilities" / "api-versions",
    capabilities__defaults => "capabilities" / "defaults",
    capabilities__fails_kube_major_only => "capabilities" / "fails-kube-major-only",
    capabilities__fails_kube_version => "capabilities" / "fails-kube-version",
    capabilities__gke => "capabilities" / "gke",
    capabilities__k3s => "capabilities" / "k3s",
    capabilities__kube_short => "capabilities" / "kube-short",
    capabilities__old_kube => "capabilities" / "old-kube",
    capabilities__print_helm_build => "capabilities" / "print-helm-build",
    capabilities__print_kube_version => "capabilities" / "print-kube-version",
    files_methods__binary_as_string => "files-methods" / "binary-as-string",
    files_methods__defaults => "files-methods" / "defaults",
    files_methods__empty_glob => "files-methods" / "empty-glob",
    files_methods__fails_tpl_required => "files-methods" / "fails-tpl-required",
    files_methods__namespaced_tpl => "files-methods" / "namespaced-tpl",
    files_methods__printf_bytes => "files-methods" / "printf-bytes",
    import_values__defaults => "import-values" / "defaults",
    include_reuse__defaults => "include-reuse" / "defaults",
    include_reuse_changes__defaults => "include-reuse-changes" / "defaults",
    import_values__overrides => "import-values" / "overrides",
    import_values__queue_disabled => "import-values" / "queue-disabled",
    library_chart__defaults => "library-chart" / "defaults",
    library_chart__fails_non_partial_define => "library-chart" / "fails-non-partial-define",
    library_chart__overrides => "library-chart" / "overrides",
    library_chart__sidecar_disabled => "library-chart" / "sidecar-disabled",
    lookup_fallback__defaults => "lookup-fallback" / "defaults",
    lookup_fallback__fails_upgrade => "lookup-fallback" / "fails-upgrade",
    lookup_fallback__given_password => "lookup-fallback" / "given-password",
    lookup_fallback__upgrade => "lookup-fallback" / "upgrade",
    subchart_notes__agent_disabled => "subchart-notes" / "agent-disabled",
    subchart_notes__defaults => "subchart-notes" / "defaults",
    subchart_notes__fails_parent_notes => "subchart-notes" / "fails-parent-notes",
    subchart_notes__fails_show_only_notes => "subchart-notes" / "fails-show-only-notes",
    subchart_notes__fails_subchart_notes_show_only => "subchart-notes" / "fails-subchart-notes-show-only",
    subchart_notes__fails_subchart_notes => "subchart-notes" / "fails-subchart-notes",
    subchart_notes__strict_with_token => "subchart-notes" / "strict-with-token",
    subcharts_object__cache_disabled => "subcharts-object" / "cache-disabled",
    subcharts_object__defaults => "subcharts-object" / "defaults",
    subcharts_object__overrides => "subcharts-object" / "overrides",
    top_level_map__defaults => "top-level-map" / "defaults",
}
