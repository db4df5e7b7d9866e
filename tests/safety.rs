//! Hostile and broken input: nothing written or deleted outside the target, no hang, no
//! crash, no silent change of data. Each test reproduces a case that went wrong once.

use std::path::Path;

use crate::support::{root, rudder_in, tree};

/// A project in `dir` with one environment named `env` and one release `release` of
/// the helm-create chart.
fn project(dir: &Path, env: &str, release: &str) {
    let chart = root().join("testdata/charts/helm-create-jinja");
    std::fs::write(
        dir.join("rudder.yaml"),
        format!(
            "releases:\n  - name: {release}\n    chart: {}\nenvironments:\n  {env:?}: {{}}\n",
            chart.display()
        ),
    )
    .unwrap();
}

#[test]
fn environment_names_that_leave_the_output_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let absolute = tmp.path().join("absolute");
    std::fs::create_dir_all(repo.join("src")).unwrap();
    std::fs::write(repo.join("src/lib.rs"), "keep").unwrap();
    std::fs::create_dir_all(&absolute).unwrap();
    std::fs::write(absolute.join("file"), "keep").unwrap();
    let before = tree(tmp.path());
    for env in [
        "..",
        "../../outside",
        absolute.to_str().unwrap(),
        ".hidden",
        "a/b",
    ] {
        project(&repo, env, "src");
        let run = rudder_in(&repo, &[], &["render", "-o", "rendered"]);
        assert_eq!(run.code, 1, "{env}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("invalid environment name `{env}`")),
            "{env}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{env}");
        let mut after = tree(tmp.path());
        after.retain(|p| p != "repo/rudder.yaml");
        assert_eq!(after, before, "{env}: files changed");
    }
}

/// What the test server does for one path.
#[derive(Clone)]
enum Answer {
    /// `200 OK` with these bytes.
    Bytes(Vec<u8>),
    /// Accepts the connection and never answers.
    Silent,
    /// Sends headers announcing 1000 bytes, then one byte a second.
    Trickle,
}

/// A loopback HTTP server answering each path as told; it lives as long as the test.
fn serve(routes: Vec<(&'static str, Answer)>) -> String {
    use std::io::{BufRead as _, BufReader, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let routes = routes.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                reader.read_line(&mut line).unwrap_or_default();
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                        break;
                    }
                }
                let answer = routes.iter().find(|(p, _)| *p == path).map(|(_, a)| a);
                match answer {
                    Some(Answer::Bytes(body)) => {
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = stream.write_all(head.as_bytes());
                        let _ = stream.write_all(body);
                    }
                    Some(Answer::Silent) => std::thread::sleep(std::time::Duration::from_secs(600)),
                    Some(Answer::Trickle) => {
                        let _ =
                            stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
                        for _ in 0..1000 {
                            if stream.write_all(b"x").is_err() {
                                break;
                            }
                            std::thread::sleep(std::time::Duration::from_secs(1));
                        }
                    }
                    None => {
                        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    }
                }
            });
        }
    });
    url
}

/// A chart folder `dir/<folder>` whose Chart.yaml names it `name`.
fn chart_named(dir: &Path, folder: &str, name: &str) -> std::path::PathBuf {
    let chart = dir.join(folder);
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
    )
    .unwrap();
    chart
}

/// An app chart in `dir/app` depending on `name` from `repository`.
fn app_depending_on(dir: &Path, name: &str, repository: &str) -> std::path::PathBuf {
    let app = chart_named(dir, "app", "app");
    std::fs::write(
        app.join("Chart.yaml"),
        format!(
            "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: {name:?}\n    version: 0.1.0\n    repository: {repository}\n"
        ),
    )
    .unwrap();
    app
}

/// `rudder package` of `chart`, the archive's bytes.
fn package(chart: &Path) -> Vec<u8> {
    let out = tempfile::tempdir().unwrap();
    let run = rudder_in(
        out.path(),
        &[],
        &["package", chart.to_str().unwrap(), "-d", "."],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = std::fs::read_dir(out.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    std::fs::read(file.path()).unwrap()
}

fn index(name: &str, url: &str) -> Answer {
    Answer::Bytes(
        format!(
            "apiVersion: v1\nentries:\n  {name:?}:\n    - name: {name:?}\n      version: 0.1.0\n      urls: [{url}]\n"
        )
        .into_bytes(),
    )
}

#[test]
fn dependency_names_never_become_paths_outside_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    chart_named(&work, "dep", "dep");
    let absolute = tmp.path().join("abs").display().to_string();
    for name in ["../../escape", absolute.as_str()] {
        let app = app_depending_on(&work, name, "file://../dep");
        let run = rudder_in(&work, &[], &["dependency", "update", "app"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        // As helm4 does: the archive is named after the chart it holds.
        assert!(app.join("charts/dep-0.1.0.tgz").is_file(), "{name}");
        std::fs::remove_dir_all(&app).unwrap();
        assert_eq!(
            tree(tmp.path()),
            [
                "work/",
                "work/dep/",
                "work/dep/Chart.yaml",
                "work/dep/templates/"
            ],
            "{name}"
        );
    }
}

#[test]
fn a_downloaded_archive_holding_another_chart_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let other = package(&chart_named(tmp.path(), "other", "other"));
    let url = serve(vec![
        ("/index.yaml", index("../../escape", "escape-0.1.0.tgz")),
        ("/escape-0.1.0.tgz", Answer::Bytes(other)),
    ]);
    let app = app_depending_on(tmp.path(), "../../escape", &url);
    let before = tree(tmp.path());
    let run = rudder_in(tmp.path(), &[], &["dependency", "update", "app"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("holds chart `other`, not the dependency `../../escape`"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(tmp.path()), before);
    assert!(!app.join("Chart.lock").exists());
}

#[test]
fn a_truncated_or_non_gzip_download_is_not_installed() {
    let tmp = tempfile::tempdir().unwrap();
    let good = package(&chart_named(tmp.path(), "dep", "dep"));
    for (case, bytes) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("not gzip", b"<html>sorry</html>".to_vec()),
    ] {
        let url = serve(vec![
            ("/index.yaml", index("dep", "dep-0.1.0.tgz")),
            ("/dep-0.1.0.tgz", Answer::Bytes(bytes)),
        ]);
        let app = app_depending_on(tmp.path(), "dep", &url);
        let run = rudder_in(tmp.path(), &[], &["dependency", "update", "app"]);
        assert_eq!(run.code, 1, "{case}: {}", run.stderr);
        assert!(
            run.stderr.contains("is not a valid chart archive"),
            "{case}: {}",
            run.stderr
        );
        assert!(!app.join("charts").exists(), "{case}");
        assert!(!app.join("Chart.lock").exists(), "{case}");
    }
}

#[test]
fn a_silent_or_trickling_server_times_out_with_the_limit_named() {
    let tmp = tempfile::tempdir().unwrap();
    for answer in [Answer::Silent, Answer::Trickle] {
        let url = serve(vec![("/index.yaml", answer)]);
        app_depending_on(tmp.path(), "dep", &url);
        let started = std::time::Instant::now();
        let run = rudder_in(
            tmp.path(),
            &[("RUDDER_NETWORK_TIMEOUT", "2")],
            &["dependency", "update", "app"],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "network timeout limit of 2 seconds (raise it with RUDDER_NETWORK_TIMEOUT=N)"
            ),
            "{}",
            run.stderr
        );
        assert!(
            started.elapsed().as_secs() < 60,
            "took {:?}",
            started.elapsed()
        );
    }
}

fn count_chart() -> String {
    root()
        .join("testdata/charts/values-count")
        .display()
        .to_string()
}

/// `{"a":{"a":…1…}}` nested `levels` deep, as JSON and as a flow-style YAML document.
fn short(text: &str) -> &str {
    &text[..text.len().min(600)]
}

fn nested_json(levels: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(levels), "}".repeat(levels))
}

#[test]
fn a_values_file_of_300_000_items_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("items:\n");
    for i in 0..300_000 {
        text.push_str(&format!("  - item-{i}\n"));
    }
    assert!(text.len() > 2_500_000);
    std::fs::write(tmp.path().join("big.yaml"), text).unwrap();
    let run = rudder_in(
        tmp.path(),
        &[],
        &["template", &count_chart(), "-f", "big.yaml"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("items: \"300000\""), "{}", run.stdout);
}

#[test]
fn values_nested_as_deep_as_helm_allows_are_read_and_deeper_ones_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // Helm (go-yaml, encoding/json) reads 10 000 levels; the parser's default was 64.
    std::fs::write(tmp.path().join("deep.yaml"), nested_json(5000)).unwrap();
    let run = rudder_in(
        tmp.path(),
        &[],
        &["template", &count_chart(), "-f", "deep.yaml"],
    );
    assert_eq!(run.code, 0, "{}", short(&run.stderr));
    let run = rudder_in(
        tmp.path(),
        &[],
        &[
            "template",
            &count_chart(),
            "--set-json",
            &format!("x={}", nested_json(5000)),
        ],
    );
    assert_eq!(run.code, 0, "{}", short(&run.stderr));
    for args in [
        vec!["-f".to_string(), "deeper.yaml".to_string()],
        vec![
            "--set-json".to_string(),
            format!("x={}", nested_json(20_000)),
        ],
        vec!["--set-json".to_string(), nested_json(20_000)],
    ] {
        std::fs::write(tmp.path().join("deeper.yaml"), nested_json(20_000)).unwrap();
        let mut all = vec!["template".to_string(), count_chart()];
        all.extend(args.clone());
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let run = rudder_in(tmp.path(), &[], &all);
        assert_eq!(run.code, 1, "{:?}: {}", args[0], short(&run.stderr));
        assert!(
            run.stderr.contains("over the nesting depth limit of 10000 levels (raise it with RUDDER_MAX_YAML_DEPTH=N)"),
            "{:?}: {}",
            args[0],
            short(&run.stderr)
        );
    }
}

#[test]
fn set_keys_nest_31_names_as_helm_allows_and_no_more() {
    let tmp = tempfile::tempdir().unwrap();
    let key = |n: usize| vec!["a"; n].join(".");
    let run = rudder_in(
        tmp.path(),
        &[],
        &[
            "template",
            &count_chart(),
            "--set",
            &format!("{}=1", key(31)),
        ],
    );
    assert_eq!(run.code, 0, "{}", short(&run.stderr));
    for n in [32, 60_000] {
        let run = rudder_in(
            tmp.path(),
            &[],
            &[
                "template",
                &count_chart(),
                "--set",
                &format!("{}=1", key(n)),
            ],
        );
        assert_eq!(run.code, 1, "{n}: {}", short(&run.stderr));
        assert!(
            run.stderr.contains("value name nested level is greater than maximum supported nested level of 30, over the --set nesting depth limit of 30 levels (raise it with RUDDER_MAX_SET_DEPTH=N)"),
            "{n}: {}",
            short(&run.stderr)
        );
    }
    // List indexes do not count as names in Helm; a very deep path is refused cleanly.
    let deep_list = format!("a{}=1", "[0]".repeat(30_000));
    let run = rudder_in(
        tmp.path(),
        &[],
        &["template", &count_chart(), "--set", &deep_list],
    );
    assert_eq!(run.code, 1, "{}", short(&run.stderr));
    assert!(
        run.stderr.contains("RUDDER_MAX_YAML_DEPTH"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_repository_index_of_6000_versions_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = package(&chart_named(tmp.path(), "dep", "dep"));
    let mut index = String::from("apiVersion: v1\nentries:\n  dep:\n");
    // Entries shaped like a real repository's (bitnami's index has ~40 nodes each).
    for i in (0..6000).rev() {
        let version = if i == 0 {
            "0.1.0".to_string()
        } else {
            format!("0.0.{i}")
        };
        index.push_str(&format!(
            "    - name: dep\n      version: {version}\n      appVersion: \"1.{i}\"\n      apiVersion: v2\n      created: \"2024-01-01T00:00:00Z\"\n      description: A chart version {i}\n      home: https://example.com\n      icon: https://example.com/icon.png\n      keywords: [a, b, c, d]\n      maintainers:\n        - name: someone\n          url: https://example.com\n      sources: [https://example.com/src, https://example.com/other]\n      annotations:\n        category: Database\n        licenses: Apache-2.0\n      dependencies:\n        - name: common\n          repository: oci://example.com\n          tags: [x]\n          version: 2.x.x\n      urls: [dep-0.1.0.tgz]\n"
        ));
    }
    let url = serve(vec![
        ("/index.yaml", Answer::Bytes(index.into_bytes())),
        ("/dep-0.1.0.tgz", Answer::Bytes(archive)),
    ]);
    let app = app_depending_on(tmp.path(), "dep", &url);
    let run = rudder_in(tmp.path(), &[], &["dependency", "update", "app"]);
    assert_eq!(run.code, 0, "{}", short(&run.stderr));
    assert!(app.join("charts/dep-0.1.0.tgz").is_file());
}

/// A Jinja chart `many` in `dir` with `n` templates, each printing `Values.v`.
fn many_templates(dir: &Path, n: usize) -> std::path::PathBuf {
    let chart = dir.join("many");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: many\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    for i in 0..n {
        std::fs::write(
            chart.join(format!("templates/cm{i}.yaml")),
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  v: \"{{{{ Values.v }}}}\"\n  pad: \"{}\"\n",
                "x".repeat(2000)
            ),
        )
        .unwrap();
    }
    chart
}

/// Starts rudder and kills it with SIGKILL after `delay`.
fn killed(dir: &Path, args: &[&str], delay: std::time::Duration) {
    let mut child = std::process::Command::new(crate::support::binary())
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

/// The values of `v:` found in the files under `dir`, each once.
fn versions(dir: &Path) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .flat_map(|e| {
            std::fs::read_to_string(e.path())
                .unwrap()
                .lines()
                .filter_map(|l| l.trim().strip_prefix("v: ").map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn template_output_dir_killed_mid_write_holds_either_the_old_or_the_new_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_templates(tmp.path(), 400);
    let chart = chart.to_str().unwrap();
    let run = rudder_in(
        tmp.path(),
        &[],
        &["template", chart, "--output-dir", "out", "--set", "v=0"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for i in 1..=12u64 {
        let v = format!("v={i}");
        let delay = std::time::Duration::from_millis(100 + 30 * i);
        killed(
            tmp.path(),
            &["template", chart, "--output-dir", "out", "--set", &v],
            delay,
        );
        let seen = versions(&tmp.path().join("out/many"));
        assert_eq!(seen.len(), 1, "kill {i}: old and new files mixed: {seen:?}");
        assert_eq!(
            std::fs::read_dir(tmp.path().join("out/many/templates"))
                .unwrap()
                .count(),
            400,
            "kill {i}"
        );
    }
    // The next complete run leaves exactly the new tree and nothing hidden beside it.
    let run = rudder_in(
        tmp.path(),
        &[],
        &["template", chart, "--output-dir", "out", "--set", "v=99"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        tree(&tmp.path().join("out"))
            .iter()
            .filter(|p| p.starts_with('.'))
            .count(),
        0
    );
    assert_eq!(
        versions(&tmp.path().join("out")),
        ["\"99\"".to_string()].into()
    );
}

/// A project in `dir` rendering the `many` chart in two environments.
fn many_project(dir: &Path) {
    let chart = many_templates(dir, 200);
    std::fs::write(
        dir.join("rudder.yaml"),
        format!(
            "releases:\n  - name: many\n    chart: {}\nenvironments:\n  dev:\n    set: [v=dev]\n  prod:\n    set: [v=prod]\n",
            chart.display()
        ),
    )
    .unwrap();
}

#[test]
fn render_leftovers_of_a_killed_run_are_reported_and_then_removed() {
    let tmp = tempfile::tempdir().unwrap();
    many_project(tmp.path());
    let run = rudder_in(tmp.path(), &[], &["render", "-o", "rendered"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // What a run killed between writing and swapping leaves behind.
    std::fs::create_dir_all(tmp.path().join("rendered/dev/.many.new-Ab12Cd/x")).unwrap();
    std::fs::create_dir_all(tmp.path().join("rendered/prod/.many.old-Zz99Yy")).unwrap();
    let run = rudder_in(tmp.path(), &[], &["render", "--check", "rendered"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("leftover: rendered/dev/.many.new-Ab12Cd"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("leftover: rendered/prod/.many.old-Zz99Yy"),
        "{}",
        run.stdout
    );
    // Real kills at various moments, then one complete run: nothing hidden remains.
    for i in 0..10u64 {
        killed(
            tmp.path(),
            &["render", "-o", "rendered"],
            std::time::Duration::from_millis(5 + 12 * i),
        );
    }
    let run = rudder_in(tmp.path(), &[], &["render", "-o", "rendered"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hidden: Vec<String> = tree(&tmp.path().join("rendered"))
        .into_iter()
        .filter(|p| p.split('/').any(|part| part.starts_with('.')))
        .collect();
    assert_eq!(hidden, Vec::<String>::new());
    let run = rudder_in(tmp.path(), &[], &["render", "--check", "rendered"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn concurrent_renders_into_one_folder_take_turns() {
    let tmp = tempfile::tempdir().unwrap();
    // Many small releases: many folder swaps for the runs to collide on.
    let chart = many_templates(tmp.path(), 10);
    let mut project = String::from("releases:\n");
    for r in 0..30 {
        project.push_str(&format!("  - name: r{r}\n    chart: {}\n", chart.display()));
    }
    project.push_str("environments:\n  dev:\n    set: [v=dev]\n  prod:\n    set: [v=prod]\n");
    std::fs::write(tmp.path().join("rudder.yaml"), project).unwrap();
    for _round in 0..1 {
        let children: Vec<_> = (0..8)
            .map(|_| {
                std::process::Command::new(crate::support::binary())
                    .args(["render", "-o", "rendered"])
                    .current_dir(tmp.path())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let run = rudder_in(tmp.path(), &[], &["render", "--check", "rendered"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_symbolic_link_out_of_the_chart_is_included_with_a_warning_as_helm_does() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = tmp.path().join("linked");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::create_dir_all(chart.join("files")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: linked\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "kind: ConfigMap\ndata:\n  n: \"{{ Files.Get('files/outside') | length }}\"\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "secret\n").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), chart.join("files/outside")).unwrap();
    // A link that stays inside the chart is no news.
    std::os::unix::fs::symlink("../Chart.yaml", chart.join("files/inside")).unwrap();
    let warning = format!(
        "warning: `linked/files/outside` is a symbolic link to `{}`, outside the chart",
        tmp.path()
            .join("secret.txt")
            .canonicalize()
            .unwrap()
            .display()
    );
    let run = rudder_in(tmp.path(), &[], &["template", "linked"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("n: \"7\""), "{}", run.stdout);
    assert!(run.stderr.contains(&warning), "{}", run.stderr);
    assert!(!run.stderr.contains("files/inside"), "{}", run.stderr);
    let run = rudder_in(tmp.path(), &[], &["package", "linked"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(&warning), "{}", run.stderr);
}

#[test]
fn output_past_the_size_limit_is_an_error_not_an_exhausted_machine() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = many_templates(tmp.path(), 3);
    let chart = chart.to_str().unwrap();
    let fits = rudder_in(
        tmp.path(),
        &[("RUDDER_MAX_OUTPUT", "100000")],
        &["template", chart],
    );
    assert_eq!(fits.code, 0, "{}", fits.stderr);
    let run = rudder_in(
        tmp.path(),
        &[("RUDDER_MAX_OUTPUT", "5000")],
        &["template", chart],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("the rendered manifests grow too large, over the output size limit of 5000 bytes (raise it with RUDDER_MAX_OUTPUT=N)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_limit_variable_is_reported_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let run = rudder_in(
        tmp.path(),
        &[("RUDDER_MAX_OUTPUT", "lots")],
        &["template", "nowhere"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: environment variable RUDDER_MAX_OUTPUT=`lots` is not a whole number of bytes\n"
    );
}
