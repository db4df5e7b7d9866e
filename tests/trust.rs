//! The answers CI relies on: `diff --base` per environment and release, `render --check`
//! seeing everything in the folder, and arguments that would be ignored refused.

use std::path::Path;

use crate::project::git;
use crate::support::{root, rudder_in};

/// A git repository in `dir` holding a copy of this repository's project (the stack
/// chart, its subcharts and the three environments), committed.
fn stack_repo(dir: &Path) {
    let parts = ["charts", "environments", "rudder.yaml"];
    for entry in parts
        .iter()
        .flat_map(|p| walkdir::WalkDir::new(root().join(p)))
    {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(root()).unwrap();
        let target = dir.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_symlink() {
            // Subcharts are relative links to the sibling charts.
            let link = std::fs::read_link(entry.path()).unwrap();
            std::os::unix::fs::symlink(link, &target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
}

/// Replaces the one occurrence of `from` in the file at `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let all = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        all.matches(from).count(),
        1,
        "{from:?} in {}",
        path.display()
    );
    std::fs::write(path, all.replace(from, to)).unwrap();
}

#[test]
fn diff_base_keeps_environments_apart_and_counts_each() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    stack_repo(repo);
    // One change, in staging only: replicas of the app.
    edit(
        &repo.join("environments/staging.yaml"),
        "nocobase:\n  replicaCount: 2\n",
        "nocobase:\n  replicaCount: 7\n",
    );
    let run = rudder_in(
        repo,
        &[],
        &["diff", "--base", "HEAD", "--exit-code", "--color", "never"],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("== environment staging, release nocobase =="),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("environment prod"), "{}", run.stdout);
    assert!(!run.stdout.contains("environment dev"), "{}", run.stdout);
    assert!(
        run.stdout.contains("spec.replicas: 2 → 7"),
        "{}",
        run.stdout
    );
    // A change in prod too: both sections, each with its own change.
    edit(
        &repo.join("environments/prod.yaml"),
        "nocobase:\n  replicaCount: 4\n",
        "nocobase:\n  replicaCount: 9\n",
    );
    let run = rudder_in(
        repo,
        &[],
        &["diff", "--base", "HEAD", "--exit-code", "--color", "never"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let staging = run
        .stdout
        .find("== environment staging, release nocobase ==");
    let prod = run.stdout.find("== environment prod, release nocobase ==");
    assert!(staging.is_some() && prod.is_some(), "{}", run.stdout);
    assert!(
        run.stdout.contains("spec.replicas: 2 → 7"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("spec.replicas: 4 → 9"),
        "{}",
        run.stdout
    );
    // JSON names the environment and release of every object.
    let run = rudder_in(repo, &[], &["diff", "--base", "HEAD", "--output", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let envs: Vec<&str> = json["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["environment"].as_str().unwrap())
        .collect();
    assert!(
        envs.contains(&"staging") && envs.contains(&"prod"),
        "{envs:?}"
    );
    // Naming environments with --base compares exactly those.
    let run = rudder_in(
        repo,
        &[],
        &["diff", "staging", "--base", "HEAD", "--color", "never"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("environment staging"), "{}", run.stdout);
    assert!(!run.stdout.contains("environment prod"), "{}", run.stdout);
    let run = rudder_in(repo, &[], &["diff", "staging", "qa", "--base", "HEAD"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("`qa` is not an environment of the project"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_refuses_arguments_it_would_ignore() {
    let chart = root().join("charts/redis");
    let chart = chart.to_str().unwrap();
    for (args, message) in [
        (
            vec!["diff", "--chart", chart, "staging", "prod"],
            "LEFT RIGHT is not used when comparing two values sets of one chart (--chart)",
        ),
        (
            vec!["diff", "--chart", chart, "--env", "prod"],
            "--env is not used when comparing two values sets of one chart (--chart)",
        ),
        (
            vec!["diff", "staging", "prod", "--env", "dev"],
            "--env is not used when comparing two environments",
        ),
        (
            vec!["diff", "Cargo.toml", "README.md", "--release", "nocobase"],
            "--release is not used when comparing rendered files or folders",
        ),
    ] {
        let run = rudder_in(&root(), &[], &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn diff_chart_errors_name_the_side_not_a_fake_environment() {
    let run = rudder_in(
        &root(),
        &[],
        &[
            "diff",
            "--chart",
            "testdata/charts/errors/required-value",
            "--left-values",
            "environments/prod.yaml",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("the side of --left-values"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("environment `values`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("release-name"), "{}", run.stderr);
}

/// A project in `dir` with environments `envs` and releases `releases` of the small
/// values-count chart.
fn small_project(dir: &Path, envs: &[&str], releases: &[&str]) {
    let chart = root().join("testdata/charts/values-count");
    let mut text = String::from("releases:\n");
    for r in releases {
        text.push_str(&format!("  - name: {r}\n    chart: {}\n", chart.display()));
    }
    text.push_str("environments:\n");
    for e in envs {
        text.push_str(&format!("  {e}: {{}}\n"));
    }
    std::fs::write(dir.join("rudder.yaml"), text).unwrap();
}

fn check_lines(dir: &Path) -> (i32, Vec<String>) {
    let run = rudder_in(dir, &[], &["render", "--check", "rendered"]);
    let lines = run
        .stdout
        .lines()
        .filter(|l| !l.contains("problem(s)"))
        .map(str::to_string)
        .collect();
    (run.code, lines)
}

#[test]
fn render_check_sees_extra_files_stale_environments_and_removed_releases() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_project(dir, &["dev", "prod"], &["web", "api"]);
    let run = rudder_in(dir, &[], &["render", "-o", "rendered"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(check_lines(dir).0, 0);
    // A file nobody rendered, a whole environment folder, and a release that goes away.
    std::fs::create_dir_all(dir.join("rendered/qa/foo")).unwrap();
    std::fs::write(dir.join("rendered/qa/foo/x.yaml"), "kind: ConfigMap\n").unwrap();
    std::fs::write(dir.join("rendered/prod/extra.yaml"), "kind: ConfigMap\n").unwrap();
    small_project(dir, &["dev", "prod"], &["web"]);
    let (code, lines) = check_lines(dir);
    assert_eq!(code, 1, "{lines:?}");
    assert_eq!(
        lines,
        [
            "stale:   rendered/dev/api/ (release `api` is not in the project)",
            "stale:   rendered/prod/api/ (release `api` is not in the project)",
            "stale:   rendered/qa/ (environment `qa` is not in the project)",
            "extra:   rendered/prod/extra.yaml (not written by rudder)",
        ]
    );
    // render -o removes what it owns and only reports the foreign file ...
    let run = rudder_in(dir, &[], &["render", "-o", "rendered"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("removed rendered/qa/ (environment `qa` is not in the project)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("`rendered/prod/extra.yaml` was not written by rudder; `--prune` removes it"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("rendered/dev/api").exists());
    assert_eq!(
        check_lines(dir).1,
        ["extra:   rendered/prod/extra.yaml (not written by rudder)"]
    );
    // ... which --prune removes; then the folder is exactly the project's render.
    let run = rudder_in(dir, &[], &["render", "-o", "rendered", "--prune"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        check_lines(dir),
        (0, vec!["up to date: 2 release(s) in rendered".to_string()])
    );
    assert_eq!(
        crate::support::tree(&dir.join("rendered")),
        [
            "dev/",
            "dev/web/",
            "dev/web/values-count/",
            "dev/web/values-count/templates/",
            "dev/web/values-count/templates/count.yaml",
            "prod/",
            "prod/web/",
            "prod/web/values-count/",
            "prod/web/values-count/templates/",
            "prod/web/values-count/templates/count.yaml",
        ]
    );
}

/// Runs one test of this test binary in a child process without helm: no
/// RUDDER_HELM_DIR, no cache folder, no helm4 on PATH, not under CI.
fn run_without_helm(test: &str, allow_skip: bool) -> std::process::Output {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([test, "--exact"])
        .env_remove("RUDDER_HELM_DIR")
        .env_remove("CI")
        .env_remove("RUDDER_ALLOW_SKIP")
        .env("HOME", "/nonexistent")
        .env("PATH", "/usr/bin:/bin");
    if allow_skip {
        cmd.env("RUDDER_ALLOW_SKIP", "1");
    }
    cmd.output().unwrap()
}

#[test]
fn a_check_without_helm_fails_or_is_visibly_skipped_never_silently_passed() {
    // Only meaningful where helm4 is not itself in /usr/bin or /bin.
    assert!(!Path::new("/usr/bin/helm4").exists() && !Path::new("/bin/helm4").exists());
    let out = run_without_helm("parity::probes_match_helm4", false);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("helm4 not found: run scripts/get-helm.sh"),
        "{text}"
    );
    let out = run_without_helm("parity::probes_match_helm4", true);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("SKIPPED parity::probes_match_helm4: helm4 not found"),
        "{text}"
    );
}

#[test]
fn tpl_text_reading_an_undefined_name_is_an_error_but_its_context_keys_are_known() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = tmp.path().join("tpl");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: tpl\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("values.yaml"),
        "ok: '{{ Release.Name }}-{{ who }}'\ntypo: '{{ Relase.Name }}'\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "kind: ConfigMap\ndata:\n  a: {{ tpl(Values.ok, dict('Release', Release, 'who', 'me')) }}\n",
    )
    .unwrap();
    let run = rudder_in(tmp.path(), &[], &["template", "web", "tpl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("a: web-me"), "{}", run.stdout);
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "kind: ConfigMap\ndata:\n  a: {{ tpl(Values.typo) }}\n",
    )
    .unwrap();
    let run = rudder_in(tmp.path(), &[], &["template", "web", "tpl"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("tpl: undefined name `Relase`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_set_key_is_ignored_as_in_helm_but_not_silently() {
    let run = rudder_in(
        &root(),
        &[],
        &["template", "testdata/charts/values-count", "--set", "=1"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("keys: \"0\""), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("warning: --set `=1`: a pair with an empty key sets nothing"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_ignore_path_that_matches_nothing_is_reported() {
    let run = rudder_in(
        &root(),
        &[],
        &[
            "diff",
            "staging",
            "prod",
            "--ignore",
            "metadata.lables",
            "--color",
            "never",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: --ignore `metadata.lables` matches no field of any object"),
        "{}",
        run.stderr
    );
    let run = rudder_in(
        &root(),
        &[],
        &[
            "diff",
            "staging",
            "prod",
            "--ignore",
            "metadata.labels",
            "--color",
            "never",
        ],
    );
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}
