//! `rudder render` and `rudder diff` on the repository's rudder.yaml and on projects the
//! tests build.

use std::path::Path;
use std::process::Command;

use crate::support::{golden, rudder, rudder_ok};

#[test]
fn render_of_an_environment_equals_template_with_its_values() {
    let rendered = rudder_ok(&["render", "--env", "prod"]);
    let template = rudder_ok(&[
        "template",
        "nocobase",
        "charts/nocobase-stack",
        "-n",
        "nocobase",
        "-f",
        "environments/prod.yaml",
        "--kube-version",
        "1.35.0",
    ]);
    assert_eq!(rendered, template);
}

#[test]
fn render_of_every_environment_is_deterministic_and_labelled() {
    let a = rudder_ok(&["render"]);
    let b = rudder_ok(&["render"]);
    assert_eq!(a, b);
    let headers: Vec<&str> = a.lines().filter(|l| l.starts_with("# rudder:")).collect();
    assert_eq!(
        headers,
        vec![
            "# rudder: environment dev, release nocobase",
            "# rudder: environment staging, release nocobase",
            "# rudder: environment prod, release nocobase",
        ]
    );
}

#[test]
fn diff_between_staging_and_prod_as_text_json_and_markdown() {
    golden(
        "diff/staging-prod.txt",
        &rudder_ok(&["diff", "staging", "prod", "--color", "never"]),
    );
    golden(
        "diff/staging-prod.json",
        &rudder_ok(&["diff", "staging", "prod", "--output", "json"]),
    );
    golden(
        "diff/staging-prod.md",
        &rudder_ok(&["diff", "staging", "prod", "--output", "markdown"]),
    );
}

#[test]
fn diff_exit_codes_follow_diff() {
    assert_eq!(rudder(&["diff", "prod", "prod", "--exit-code"]).code, 0);
    assert_eq!(rudder(&["diff", "staging", "prod", "--exit-code"]).code, 1);
    assert_eq!(rudder(&["diff", "staging", "prod"]).code, 0);
    let missing = rudder(&["diff", "staging", "nowhere"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("`nowhere` is neither an environment"),
        "{}",
        missing.stderr
    );
}

#[test]
fn diff_colours_only_when_asked_or_on_a_terminal() {
    let plain = rudder_ok(&["diff", "staging", "prod"]);
    assert!(!plain.contains('\x1b'), "not a terminal: no colour");
    let coloured = rudder_ok(&["diff", "staging", "prod", "--color", "always"]);
    assert!(coloured.contains("\x1b[32m"), "green additions");
}

#[test]
fn diff_ignores_paths_and_masks_secrets() {
    let ignored = rudder_ok(&[
        "diff",
        "staging",
        "prod",
        "--ignore",
        "spec.replicas",
        "--output",
        "json",
    ]);
    assert!(!ignored.contains("\"spec.replicas\""), "{ignored}");
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.yaml"), tmp.path().join("b.yaml"));
    std::fs::write(
        &a,
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: b2xk}\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: bmV3}\n",
    )
    .unwrap();
    let masked = rudder_ok(&[
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--color",
        "never",
    ]);
    assert!(
        masked.contains("data.password: \"***(old)\" → \"***(new)\""),
        "{masked}"
    );
    assert!(!masked.contains("b2xk"), "{masked}");
    let shown = rudder_ok(&[
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--show-secrets",
    ]);
    assert!(shown.contains("b2xk") && shown.contains("bmV3"), "{shown}");
}

#[test]
fn check_passes_on_a_fresh_render_and_finds_stale_missing_and_extra_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rendered");
    let out_s = out.to_str().unwrap();
    rudder_ok(&["render", "-o", out_s]);
    let fresh = rudder(&["render", "--check", out_s]);
    assert_eq!(fresh.code, 0, "{}", fresh.stdout);
    let release = out.join("prod/nocobase/nocobase-stack/charts");
    let stale = release.join("redis/templates/statefulset.yaml");
    std::fs::write(&stale, "changed by hand\n").unwrap();
    let missing = release.join("redis/templates/services.yaml");
    std::fs::remove_file(&missing).unwrap();
    let extra = out.join("dev/nocobase/left-over.yaml");
    std::fs::write(&extra, "kind: ConfigMap\n").unwrap();
    let before = std::fs::read_to_string(&stale).unwrap();
    let run = rudder(&["render", "--check", out_s]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains(&format!("stale:   {}", stale.display())),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("missing: {}", missing.display())),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("extra:   {}", extra.display())),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(&stale).unwrap(),
        before,
        "--check writes nothing"
    );
    // Rendering again repairs all three.
    rudder_ok(&["render", "-o", out_s]);
    assert_eq!(rudder(&["render", "--check", out_s]).code, 0);
    assert!(!extra.exists());
}

pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=rudder",
            "-c",
            "user.email=rudder@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn diff_against_a_git_revision_leaves_the_working_tree_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    let chart = repo.join("charts/app");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: app\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    std::fs::write(chart.join("values.yaml"), "replicas: 1\n").unwrap();
    std::fs::write(
        chart.join("templates/deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ Release.Name }}\nspec:\n  replicas: {{ Values.replicas }}\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.join("env")).unwrap();
    std::fs::write(repo.join("env/prod.yaml"), "replicas: 2\n").unwrap();
    std::fs::write(
        repo.join("rudder.yaml"),
        "releases:\n  - name: app\n    chart: charts/app\nenvironments:\n  prod:\n    values: [env/prod.yaml]\n",
    )
    .unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "base"]);
    std::fs::write(repo.join("env/prod.yaml"), "replicas: 5\n").unwrap();
    let project = repo.join("rudder.yaml");
    let run = rudder(&[
        "diff",
        "--project",
        project.to_str().unwrap(),
        "--env",
        "prod",
        "--base",
        "HEAD",
        "--color",
        "never",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("spec.replicas: 2 → 5"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("env/prod.yaml")).unwrap(),
        "replicas: 5\n"
    );
}

#[test]
fn project_file_errors_are_clear() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("rudder.yaml");
    std::fs::write(&file, "releases:\n  - name: app\n    chrt: charts/app\n").unwrap();
    let run = rudder(&["render", "--project", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("rudder.yaml`: "), "{}", run.stderr);
    assert!(run.stderr.contains("'chrt'"), "{}", run.stderr);
    let unknown = rudder(&["render", "--env", "qa"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown
            .stderr
            .contains("unknown environment `qa`; the project has: dev, staging, prod"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn diff_of_two_values_sets_for_one_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let ha = tmp.path().join("ha.yaml");
    std::fs::write(&ha, "replicaCount: 3\npersistence:\n  enabled: false\n").unwrap();
    let out = rudder_ok(&[
        "diff",
        "--chart",
        "charts/redis",
        "--right-values",
        ha.to_str().unwrap(),
        "--output",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let changes = report["changed"][0]["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["path"] == "spec.replicas" && c["old"] == 1 && c["new"] == 3),
        "{out}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["path"] == "spec.volumeClaimTemplates"),
        "{out}"
    );
}
