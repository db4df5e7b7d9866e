//! `rudder package`, `rudder show` and `rudder repo index`, read back by the real helm4.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{helm, helm_dir, root, rudder, rudder_ok};

fn sha256(path: &Path) -> String {
    use sha2::Digest as _;
    let bytes = std::fs::read(path).unwrap();
    sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A loopback HTTP server (python3 -m http.server) over `dir`, stopped when dropped.
struct Server {
    child: std::process::Child,
    url: String,
}

impl Server {
    fn port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    fn start(dir: &Path, port: u16) -> Server {
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        // Wait until it answers (at most 5 s).
        for _ in 0..50 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(true) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn packaging_twice_from_fresh_copies_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a/nocobase"), tmp.path().join("b/nocobase"));
    copy_tree(&root().join("charts/nocobase"), &a);
    copy_tree(&root().join("charts/nocobase"), &b);
    // Different mtimes on the second copy.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(86_400);
    for entry in walkdir::WalkDir::new(&b) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap()
                .set_modified(later)
                .unwrap();
        }
    }
    let (out_a, out_b) = (tmp.path().join("out-a"), tmp.path().join("out-b"));
    rudder_ok(&[
        "package",
        a.to_str().unwrap(),
        "-d",
        out_a.to_str().unwrap(),
    ]);
    rudder_ok(&[
        "package",
        b.to_str().unwrap(),
        "-d",
        out_b.to_str().unwrap(),
    ]);
    let name = "nocobase-0.1.0.tgz";
    assert_eq!(sha256(&out_a.join(name)), sha256(&out_b.join(name)));
}

#[test]
fn package_sets_version_and_app_version_and_lists_files_in_helm_order() {
    let tmp = tempfile::tempdir().unwrap();
    let out = rudder_ok(&[
        "package",
        "charts/redis",
        "charts/postgresql",
        "-d",
        tmp.path().to_str().unwrap(),
        "--version",
        "1.2.3",
        "--app-version",
        "7.4",
    ]);
    assert_eq!(out.lines().count(), 2, "a line per chart: {out}");
    let bytes = std::fs::read(tmp.path().join("redis-1.2.3.tgz")).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
    let names: Vec<String> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().display().to_string())
        .collect();
    assert_eq!(names[0], "redis/Chart.yaml");
    assert_eq!(names[1], "redis/values.yaml");
    assert_eq!(names[2], "redis/values.schema.json");
    assert!(
        names
            .iter()
            .any(|n| n == "redis/charts/common/templates/_names.tpl"),
        "{names:?}"
    );
    let shown = rudder_ok(&[
        "show",
        "chart",
        tmp.path().join("redis-1.2.3.tgz").to_str().unwrap(),
    ]);
    assert!(
        shown.contains("version: 1.2.3") && shown.contains("appVersion: \"7.4\""),
        "{shown}"
    );
}

#[test]
fn bad_chart_is_not_packaged() {
    let tmp = tempfile::tempdir().unwrap();
    let run = rudder(&[
        "package",
        "testdata/charts/errors/bad-version",
        "-d",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("not a valid semantic version"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn helm4_reads_rudders_archives_and_index() {
    let Some(dir) = helm_dir() else { return };
    let helm4 = dir.join("helm4");
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    assert_eq!(helm(&helm4, &["create", "mychart"], work).code, 0);
    let repo = work.join("repo");
    let charts = [
        "charts/nocobase",
        "charts/redis",
        "charts/postgresql",
        "charts/fileserver",
        "charts/nocobase-stack",
    ];
    let mut args = vec!["package".to_string()];
    args.extend(charts.iter().map(|c| root().join(c).display().to_string()));
    args.push(work.join("mychart").display().to_string());
    args.extend(["-d".to_string(), repo.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    rudder_ok(&args);

    // helm4 renders the Go chart from rudder's archive as it renders the folder.
    let from_archive = helm(
        &helm4,
        &["template", repo.join("mychart-0.1.0.tgz").to_str().unwrap()],
        work,
    );
    let from_folder = helm(
        &helm4,
        &["template", work.join("mychart").to_str().unwrap()],
        work,
    );
    assert_eq!(from_archive.code, 0, "{}", from_archive.stderr);
    assert_eq!(from_archive.stdout, from_folder.stdout);
    // `helm4 show` reads every archive, the Jinja stack's included, as rudder shows it.
    for archive in std::fs::read_dir(&repo).unwrap() {
        let path = archive.unwrap().path();
        let theirs = helm(&helm4, &["show", "all", path.to_str().unwrap()], work);
        assert_eq!(theirs.code, 0, "{}: {}", path.display(), theirs.stderr);
        let ours = rudder_ok(&["show", "all", path.to_str().unwrap()]);
        assert_eq!(ours, theirs.stdout, "{}", path.display());
    }
    // rudder reads helm4's own archive.
    assert_eq!(
        helm(&helm4, &["package", "mychart", "-d", "helm-out"], work).code,
        0
    );
    let theirs = work.join("helm-out/mychart-0.1.0.tgz");
    assert_eq!(
        rudder_ok(&["show", "chart", theirs.to_str().unwrap()]),
        helm(&helm4, &["show", "chart", theirs.to_str().unwrap()], work).stdout
    );

    // rudder's index: helm4 merges it, and pulls a chart by version range from it.
    rudder_ok(&[
        "repo",
        "index",
        repo.to_str().unwrap(),
        "--url",
        "http://127.0.0.1:PORT",
    ]);
    let merged = helm(
        &helm4,
        &[
            "repo",
            "index",
            "helm-out",
            "--merge",
            repo.join("index.yaml").to_str().unwrap(),
        ],
        work,
    );
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    let merged_index = std::fs::read_to_string(work.join("helm-out/index.yaml")).unwrap();
    assert!(merged_index.contains("nocobase-stack"), "{merged_index}");

    let port = Server::port();
    let index = std::fs::read_to_string(repo.join("index.yaml"))
        .unwrap()
        .replace("PORT", &port.to_string());
    std::fs::write(repo.join("index.yaml"), index).unwrap();
    let server = Server::start(&repo, port);
    let added = helm(&helm4, &["repo", "add", "local", &server.url], work);
    std::fs::create_dir_all(work.join("pulled")).unwrap();
    let pulled = helm(
        &helm4,
        &["pull", "local/redis", "--version", "^0.1", "-d", "pulled"],
        work,
    );
    drop(server);
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert_eq!(pulled.code, 0, "{}", pulled.stderr);
    assert_eq!(
        sha256(&work.join("pulled/redis-0.1.0.tgz")),
        sha256(&repo.join("redis-0.1.0.tgz"))
    );
}

#[test]
fn index_lists_versions_newest_first_with_digests() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    for v in ["0.1.0", "0.10.0", "0.2.0"] {
        rudder_ok(&[
            "package",
            "charts/fileserver",
            "--version",
            v,
            "-d",
            repo.to_str().unwrap(),
        ]);
    }
    std::fs::create_dir_all(repo.join("nested")).unwrap();
    rudder_ok(&[
        "package",
        "charts/redis",
        "-d",
        repo.join("nested").to_str().unwrap(),
    ]);
    let out = Command::new(crate::support::binary())
        .args([
            "repo",
            "index",
            repo.to_str().unwrap(),
            "--url",
            "https://charts.example.com",
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index =
        rudder::yaml::parse(&std::fs::read_to_string(repo.join("index.yaml")).unwrap()).unwrap();
    let versions: Vec<&str> = index["entries"]["fileserver"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, vec!["0.10.0", "0.2.0", "0.1.0"]);
    let redis = &index["entries"]["redis"][0];
    assert_eq!(
        redis["urls"][0],
        "https://charts.example.com/nested/redis-0.1.0.tgz"
    );
    assert_eq!(
        redis["digest"].as_str().unwrap(),
        sha256(&repo.join("nested/redis-0.1.0.tgz"))
    );
    assert_eq!(index["generated"], "2023-11-14T22:13:20Z");
    assert_eq!(index["apiVersion"], "v1");
}

/// One raw archive entry: name bytes, type, content.
type RawEntry<'a> = (&'a [u8], tar::EntryType, Vec<u8>);

/// Builds a .tgz from raw tar headers, as an attacker could.
fn hostile(path: &Path, entries: &[RawEntry]) {
    let file = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, kind, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name);
        header.set_entry_type(*kind);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        if *kind == tar::EntryType::Symlink {
            header.set_link_name("/etc/passwd").unwrap();
        }
        header.set_cksum();
        tar.append(&header, data.as_slice()).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

#[test]
fn hostile_archives_are_refused_with_a_clear_error() {
    let chart_yaml = b"apiVersion: v2\nname: x\nversion: 0.1.0\n".to_vec();
    let ok = (
        b"x/Chart.yaml".as_slice(),
        tar::EntryType::Regular,
        chart_yaml.clone(),
    );
    let big = vec![0u8; 6 * 1024 * 1024];
    let cases: Vec<(&str, Vec<RawEntry>, &str)> = vec![
        (
            "parent_path",
            vec![
                ok.clone(),
                (b"x/../../evil.yaml", tar::EntryType::Regular, b"a".to_vec()),
            ],
            "unsafe path",
        ),
        (
            "absolute_path",
            vec![(
                b"/etc/x/Chart.yaml",
                tar::EntryType::Regular,
                chart_yaml.clone(),
            )],
            "unsafe path",
        ),
        (
            "symlink",
            vec![
                ok.clone(),
                (
                    b"x/templates/link.yaml",
                    tar::EntryType::Symlink,
                    Vec::new(),
                ),
            ],
            "is a link",
        ),
        (
            "outside_top_folder",
            vec![
                ok.clone(),
                (b"y/values.yaml", tar::EntryType::Regular, b"a: 1".to_vec()),
            ],
            "outside the chart's folder",
        ),
        (
            "oversized_file",
            vec![ok.clone(), (b"x/big.bin", tar::EntryType::Regular, big)],
            "is too large, over the chart file size limit of 5 MiB",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (name, entries, message) in cases {
        let path = tmp.path().join(format!("{name}.tgz"));
        hostile(&path, &entries);
        let run = rudder(&["show", "chart", path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{name}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}");
    }
}

#[test]
fn gzip_bomb_is_stopped_at_the_size_limit() {
    // 120 MiB of zeros in many files of 4 MiB: each under the file limit, together over
    // the chart limit; gzip shrinks them to a fraction of a MiB.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bomb.tgz");
    let file = std::fs::File::create(&path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let zeros = vec![0u8; 4 * 1024 * 1024];
    for i in 0..30 {
        let mut header = tar::Header::new_ustar();
        header.set_path(format!("bomb/f{i}.bin")).unwrap();
        header.set_size(zeros.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append(&header, zeros.as_slice()).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 2 * 1024 * 1024);
    let run = rudder(&["show", "chart", path.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("100 MiB"), "{}", run.stderr);
}

fn app_with_dependency(dir: &Path, repository: &str, version: &str) -> std::path::PathBuf {
    let app = dir.join("app");
    std::fs::create_dir_all(app.join("templates")).unwrap();
    std::fs::write(
        app.join("Chart.yaml"),
        format!(
            "apiVersion: v2\nname: app\nversion: 0.1.0\nannotations:\n  rudder/engine: jinja\ndependencies:\n  - name: redis\n    version: \"{version}\"\n    repository: {repository}\n"
        ),
    )
    .unwrap();
    app
}

#[test]
fn dependency_update_from_a_folder_writes_what_helm_writes() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&root().join("charts/redis"), &tmp.path().join("redis"));
    copy_tree(&root().join("charts/common"), &tmp.path().join("common"));
    let app = app_with_dependency(tmp.path(), "file://../redis", "~0.1.0");
    let listed = rudder_ok(&["dependency", "list", app.to_str().unwrap()]);
    assert!(listed.contains("missing"), "{listed}");
    rudder_ok(&["dependency", "update", app.to_str().unwrap()]);
    assert!(app.join("charts/redis-0.1.0.tgz").is_file());
    let lock = std::fs::read_to_string(app.join("Chart.lock")).unwrap();
    assert!(lock.contains("digest: sha256:"), "{lock}");
    let listed = rudder_ok(&["dependency", "list", app.to_str().unwrap()]);
    assert!(
        listed
            .lines()
            .nth(1)
            .is_some_and(|l| l.trim_end().ends_with("ok")),
        "{listed}"
    );
    // The rendered stack sees the packaged subchart.
    let out = rudder_ok(&["template", "x", app.to_str().unwrap()]);
    assert!(
        out.contains("# Source: app/charts/redis/templates/statefulset.yaml"),
        "{out}"
    );
    // A changed range puts the lock out of sync; build refuses it.
    let text = std::fs::read_to_string(app.join("Chart.yaml"))
        .unwrap()
        .replace("~0.1.0", "^0.1.0");
    std::fs::write(app.join("Chart.yaml"), text).unwrap();
    let run = rudder(&["dependency", "build", app.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("out of sync"), "{}", run.stderr);

    let Some(dir) = helm_dir() else { return };
    // helm4 computes the same lock digest and accepts the archive rudder wrote.
    let text = std::fs::read_to_string(app.join("Chart.yaml"))
        .unwrap()
        .replace("^0.1.0", "~0.1.0");
    std::fs::write(app.join("Chart.yaml"), text).unwrap();
    let helm_list = helm(
        &dir.join("helm4"),
        &["dependency", "list", app.to_str().unwrap()],
        tmp.path(),
    );
    assert!(
        helm_list
            .stdout
            .lines()
            .nth(1)
            .is_some_and(|l| l.trim_end().ends_with("ok")),
        "{}",
        helm_list.stdout
    );
    let ours = std::fs::read_to_string(app.join("Chart.lock")).unwrap();
    assert_eq!(
        helm(
            &dir.join("helm4"),
            &["dependency", "update", app.to_str().unwrap()],
            tmp.path()
        )
        .code,
        0
    );
    let theirs = std::fs::read_to_string(app.join("Chart.lock")).unwrap();
    let digest = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("digest:"))
            .map(str::to_string)
    };
    assert_eq!(digest(&ours), digest(&theirs));
}

#[test]
fn dependency_update_from_a_served_repository_picks_the_newest_in_range() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    for v in ["0.1.0", "0.1.5", "0.2.0", "0.1.9-rc.1"] {
        rudder_ok(&[
            "package",
            "charts/redis",
            "--version",
            v,
            "-d",
            repo.to_str().unwrap(),
        ]);
    }
    // rudder reads the index helm4 writes (helm4 reads rudder's in
    // helm4_reads_rudders_archives_and_index).
    match helm_dir() {
        Some(dir) => {
            let run = helm(
                &dir.join("helm4"),
                &["repo", "index", repo.to_str().unwrap()],
                tmp.path(),
            );
            assert_eq!(run.code, 0, "{}", run.stderr);
        }
        None => {
            rudder_ok(&["repo", "index", repo.to_str().unwrap()]);
        }
    }
    let server = Server::start(&repo, Server::port());
    let app = app_with_dependency(tmp.path(), &server.url, "~0.1.0");
    let run = rudder(&["dependency", "update", app.to_str().unwrap()]);
    let stable_lock = std::fs::read_to_string(app.join("Chart.lock")).unwrap_or_default();
    let devel = rudder(&["dependency", "update", "--devel", app.to_str().unwrap()]);
    drop(server);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(devel.code, 0, "{}", devel.stderr);
    assert!(
        stable_lock.contains("version: 0.1.5"),
        "newest release in ~0.1.0: {stable_lock}"
    );
    // With --devel the newest 0.1.x is the release candidate above 0.1.5.
    assert!(app.join("charts/redis-0.1.9-rc.1.tgz").is_file());
    assert!(
        !app.join("charts/redis-0.1.5.tgz").exists(),
        "the outdated archive is removed"
    );
    let lock = std::fs::read_to_string(app.join("Chart.lock")).unwrap();
    assert!(lock.contains("version: 0.1.9-rc.1"), "{lock}");
}
