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
