//! The charts rudder ships (`charts/`), rendered for every environment: goldens, YAML
//! and Kubernetes schema validity, fidelity to the seed documents, schema errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::support::{golden, root, rudder, rudder_ok};

const PARTS: &[&str] = &["nocobase", "redis", "postgresql", "fileserver"];
const ENVIRONMENTS: &[&str] = &["dev", "staging", "prod"];

fn env_values(env: &str) -> Json {
    let text = std::fs::read_to_string(root().join(format!("environments/{env}.yaml"))).unwrap();
    rudder::yaml::parse(&text).unwrap()
}

/// One part's block of an environment file, with the environment's globals, written
/// to a temporary values file: how a part is deployed on its own in that environment.
fn part_values_file(env: &str, part: &str, dir: &Path) -> PathBuf {
    let all = env_values(env);
    let mut block = all
        .get(part)
        .cloned()
        .unwrap_or(Json::Object(Default::default()));
    if let (Some(global), Json::Object(m)) = (all.get("global"), &mut block) {
        m.insert("global".into(), global.clone());
    }
    // The stack wires parts together with templated names; alone, a part keeps its own.
    if let Json::Object(m) = &mut block {
        m.remove("enabled");
    }
    let path = dir.join(format!("{env}-{part}.json"));
    std::fs::write(&path, serde_json::to_string(&block).unwrap()).unwrap();
    path
}

/// Every rendering the tests check: (golden name, output).
fn renderings() -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    for part in PARTS {
        let chart = format!("charts/{part}");
        out.push((
            format!("charts/{part}-defaults.yaml"),
            rudder_ok(&["template", part, &chart]),
        ));
        for env in ENVIRONMENTS {
            let values = part_values_file(env, part, tmp.path());
            let rendered = rudder_ok(&["template", part, &chart, "-f", values.to_str().unwrap()]);
            out.push((format!("charts/{part}-{env}.yaml"), rendered));
        }
    }
    for env in ENVIRONMENTS {
        let file = format!("environments/{env}.yaml");
        let rendered = rudder_ok(&["template", "nocobase", "charts/nocobase-stack", "-f", &file]);
        out.push((format!("charts/nocobase-stack-{env}.yaml"), rendered));
    }
    let seed = rudder_ok(&[
        "template",
        "nocobase",
        "charts/nocobase",
        "-f",
        "environments/seed.yaml",
    ]);
    out.push(("charts/nocobase-seed.yaml".into(), seed));
    out
}

fn documents(stream: &str) -> Vec<(String, Json)> {
    let files = vec![("stream".to_string(), stream.to_string())];
    let manifest = rudder::manifest::build(files).unwrap();
    manifest
        .resources
        .iter()
        .chain(&manifest.hooks)
        .map(|d| {
            // Duplicate keys are an error here (the seed's NocoBase manifest had them).
            let opts = serde_saphyr::options! {
                duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
                legacy_octal_numbers: true,
            };
            let strict: Result<Json, _> = serde_saphyr::from_str_with_options(&d.content, opts);
            if let Err(e) = strict {
                panic!("not YAML without duplicate keys: {e}\n{}", d.content);
            }
            (d.content.clone(), rudder::yaml::parse(&d.content).unwrap())
        })
        .collect()
}

#[test]
fn every_chart_and_environment_matches_its_golden() {
    for (name, output) in renderings() {
        golden(&name, &output);
    }
}

#[test]
fn every_object_is_yaml_with_kind_and_name() {
    for (name, output) in renderings() {
        let docs = documents(&output);
        assert!(!docs.is_empty(), "{name}: renders nothing");
        for (text, doc) in docs {
            for field in ["apiVersion", "kind"] {
                assert!(
                    doc.get(field).and_then(Json::as_str).is_some(),
                    "{name}: no {field}:\n{text}"
                );
            }
            assert!(
                doc.pointer("/metadata/name")
                    .and_then(Json::as_str)
                    .is_some_and(|n| !n.is_empty()),
                "{name}: no metadata.name:\n{text}"
            );
        }
    }
}

/// The folder of the Kubernetes 1.35 strict schemas (`RUDDER_K8S_SCHEMAS` or the cache
/// folder `scripts/get-k8s-schemas.sh` fills); `None` only when skipping is allowed.
fn k8s_schemas() -> Option<PathBuf> {
    let found = std::env::var_os("RUDDER_K8S_SCHEMAS")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cache/rudder-k8s-schemas/v1.35.0-local-strict")),
        )
        .find(|d| d.join("_definitions.json").is_file());
    if found.is_none() {
        crate::support::missing(
            "the Kubernetes 1.35 JSON schemas",
            "run scripts/get-k8s-schemas.sh",
        );
    }
    found
}

/// `apps/v1` + `Deployment` → `deployment-apps-v1.json`, `v1` + `Service` → `service-v1.json`.
fn schema_file(api_version: &str, kind: &str) -> String {
    let kind = kind.to_lowercase();
    match api_version.split_once('/') {
        Some((group, version)) => {
            let group = group.split('.').next().unwrap_or(group);
            format!("{kind}-{group}-{version}.json")
        }
        None => format!("{kind}-{api_version}.json"),
    }
}

struct NoLoad;

impl boon::UrlLoader for NoLoad {
    fn load(&self, url: &str) -> Result<Json, Box<dyn std::error::Error>> {
        Err(format!("not loaded: {url}").into())
    }
}

#[test]
fn every_object_validates_against_kubernetes_1_35_strict_schemas() {
    let Some(dir) = k8s_schemas() else { return };
    let definitions: Json =
        serde_json::from_slice(&std::fs::read(dir.join("_definitions.json")).unwrap()).unwrap();
    let mut compiler = boon::Compiler::new();
    compiler.use_loader(Box::new(NoLoad));
    compiler
        .add_resource("https://kubernetes.io/api/_definitions.json", definitions)
        .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiled: BTreeMap<String, boon::SchemaIndex> = BTreeMap::new();
    let mut checked = 0;
    for (name, output) in renderings() {
        for (text, doc) in documents(&output) {
            let file = schema_file(
                doc["apiVersion"].as_str().unwrap_or_default(),
                doc["kind"].as_str().unwrap_or_default(),
            );
            let path = dir.join(&file);
            assert!(
                path.is_file(),
                "{name}: no Kubernetes 1.35 schema for {file}:\n{text}"
            );
            let index = *compiled.entry(file.clone()).or_insert_with(|| {
                let url = format!("https://kubernetes.io/api/{file}");
                let schema: Json = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                compiler.add_resource(&url, schema).unwrap();
                compiler.compile(&url, &mut schemas).unwrap()
            });
            if let Err(e) = schemas.validate(&doc, index) {
                panic!("{name}: {file}: {e:#}\n{text}");
            }
            checked += 1;
        }
    }
    eprintln!("validated {checked} objects against Kubernetes 1.35 (strict)");
}

fn find<'a>(docs: &'a [(String, Json)], kind: &str, name_part: &str) -> &'a Json {
    docs.iter()
        .map(|(_, d)| d)
        .find(|d| {
            d["kind"] == kind
                && d["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.contains(name_part))
        })
        .unwrap_or_else(|| panic!("no {kind} named like {name_part}"))
}

#[test]
fn nocobase_defaults_reproduce_the_seed() {
    let out = rudder_ok(&["template", "nocobase", "charts/nocobase"]);
    let docs = documents(&out);
    let cm = &find(&docs, "ConfigMap", "nocobase")["data"];
    let expected = [
        ("TZ", "Asia/Shanghai"),
        ("CACHE_DEFAULT_STORE", "redis"),
        ("CACHE_REDIS_URL", "redis://redis-0.redis-service:6379/0"),
        (
            "PUBSUB_ADAPTER_REDIS_URL",
            "redis://redis-0.redis-service:6379/1",
        ),
        // The seed has a single slash here (`redis:/redis-0...`), a defect not copied.
        (
            "LOCK_ADAPTER_REDIS_URL",
            "redis://redis-0.redis-service:6379/2",
        ),
        ("DB_DATABASE", "nocobase"),
        ("DB_DIALECT", "postgres"),
        ("DB_HOST", "postgres-0.postgres-service"),
        ("DB_PORT", "5432"),
        ("DB_UNDERSCORED", "true"),
        ("DB_USER", "nocobase"),
    ];
    for (key, value) in expected {
        assert_eq!(cm[key], value, "ConfigMap {key}");
    }
    // The seed kept the password in the ConfigMap; here it is in the Secret only.
    assert!(cm.get("DB_PASSWORD").is_none());
    assert!(find(&docs, "Secret", "nocobase")["data"]["DB_PASSWORD"].is_string());

    let pvc = &find(&docs, "PersistentVolumeClaim", "nocobase")["spec"];
    assert_eq!(pvc["accessModes"], serde_json::json!(["ReadWriteMany"]));
    assert_eq!(pvc["resources"]["requests"]["storage"], "10Gi");
    assert_eq!(pvc["storageClassName"], "");

    let svc = &find(&docs, "Service", "nocobase")["spec"];
    assert_eq!(svc["ports"][0]["port"], 13000);
    assert_eq!(svc["type"], "ClusterIP");

    let deploy = &find(&docs, "Deployment", "nocobase")["spec"];
    assert_eq!(deploy["replicas"], 1);
    let c = &deploy["template"]["spec"]["containers"][0];
    assert_eq!(c["image"], "nocobase/nocobase:1.6");
    assert_eq!(c["ports"][0]["containerPort"], 13000);
    assert_eq!(
        c["resources"]["requests"],
        serde_json::json!({"cpu": "250m", "memory": "512Mi"})
    );
    assert_eq!(
        c["resources"]["limits"],
        serde_json::json!({"cpu": "500m", "memory": "1Gi"})
    );
    for (probe, delay) in [("livenessProbe", 60), ("readinessProbe", 30)] {
        assert_eq!(c[probe]["httpGet"]["path"], "/api/__health_check");
        assert_eq!(c[probe]["initialDelaySeconds"], delay);
    }
    assert_eq!(c["volumeMounts"][0]["mountPath"], "/app/nocobase/storage");
    assert_eq!(deploy["strategy"]["type"], "RollingUpdate");
}

#[test]
fn upstream_values_file_moves_secrets_out_of_the_configmap() {
    let out = rudder_ok(&[
        "template",
        "nocobase",
        "charts/nocobase",
        "-f",
        "environments/seed.yaml",
    ]);
    let docs = documents(&out);
    let cm = &find(&docs, "ConfigMap", "nocobase")["data"];
    for secret in [
        "DB_PASSWORD",
        "NOCOBASE_PKG_USERNAME",
        "NOCOBASE_PKG_PASSWORD",
    ] {
        assert!(
            cm.get(secret).is_none(),
            "{secret} must not be in the ConfigMap"
        );
        assert!(
            find(&docs, "Secret", "nocobase")["data"][secret].is_string(),
            "{secret} in the Secret"
        );
    }
    assert_eq!(
        cm["LOCK_ADAPTER_REDIS_URL"],
        "redis://redis-0.redis-service:6379/2"
    );
}

#[test]
fn redis_with_three_replicas_has_a_primary_and_two_replicas() {
    let out = rudder_ok(&[
        "template",
        "redis",
        "charts/redis",
        "--set",
        "replicaCount=3",
    ]);
    let docs = documents(&out);
    let sts = &find(&docs, "StatefulSet", "redis")["spec"];
    assert_eq!(sts["replicas"], 3);
    assert_eq!(sts["serviceName"], "redis-headless");
    assert_eq!(
        sts["volumeClaimTemplates"][0]["spec"]["accessModes"],
        serde_json::json!(["ReadWriteOnce"])
    );
    assert_eq!(
        sts["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "10Gi"
    );
    let script = find(&docs, "ConfigMap", "redis")["data"]["launch.sh"]
        .as_str()
        .unwrap();
    assert!(
        script.contains(r#"if [ "${HOSTNAME##*-}" = "0" ]"#),
        "{script}"
    );
    assert!(
        script.contains("--replicaof redis-0.redis-headless 6379"),
        "{script}"
    );
    assert!(
        script.contains("--requirepass") && script.contains("--masterauth"),
        "{script}"
    );
    let headless = docs
        .iter()
        .map(|(_, d)| d)
        .find(|d| d["kind"] == "Service" && d["spec"]["clusterIP"] == "None")
        .expect("a headless write Service");
    assert_eq!(headless["metadata"]["name"], "redis-headless");
    let read = find(&docs, "Service", "redis");
    assert_eq!(read["spec"]["type"], "ClusterIP");
}

#[test]
fn staging_and_prod_use_no_placeholder_credential() {
    for env in ["staging", "prod"] {
        let file = format!("environments/{env}.yaml");
        let out = rudder_ok(&["template", "nocobase", "charts/nocobase-stack", "-f", &file]);
        assert!(!out.contains("change-me"), "{env} renders a placeholder");
        let docs = documents(&out);
        for (text, doc) in &docs {
            if doc["kind"] == "Secret" {
                panic!("{env} should take every credential from an existing Secret:\n{text}");
            }
        }
    }
}

#[test]
fn stack_wires_nocobase_to_its_redis_and_postgresql() {
    let out = rudder_ok(&["template", "prod", "charts/nocobase-stack"]);
    let docs = documents(&out);
    let cm = &find(&docs, "ConfigMap", "prod-nocobase")["data"];
    assert_eq!(cm["DB_HOST"], "prod-postgresql-0.prod-postgresql-headless");
    assert!(
        cm.get("CACHE_REDIS_URL").is_none(),
        "the password-bearing URL is not in the ConfigMap"
    );
    let deploy = find(&docs, "Deployment", "prod-nocobase");
    let env = deploy["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap();
    let url = env.iter().find(|e| e["name"] == "CACHE_REDIS_URL").unwrap();
    assert_eq!(
        url["value"],
        "redis://:$(REDIS_PASSWORD)@prod-redis-0.prod-redis-headless:6379/0"
    );
    let db = env.iter().find(|e| e["name"] == "DB_PASSWORD").unwrap();
    assert_eq!(db["valueFrom"]["secretKeyRef"]["name"], "prod-postgresql");
}

#[test]
fn disabling_a_part_removes_it() {
    let out = rudder_ok(&[
        "template",
        "nocobase",
        "charts/nocobase-stack",
        "--set",
        "fileserver.enabled=false",
    ]);
    assert!(!out.contains("charts/fileserver/"), "{out}");
}

#[test]
fn fileserver_ingress_lists_api_before_root() {
    let out = rudder_ok(&[
        "template",
        "fs",
        "charts/fileserver",
        "--set",
        "ingress.enabled=true",
    ]);
    let docs = documents(&out);
    let paths = &find(&docs, "Ingress", "fs")["spec"]["rules"][0]["http"]["paths"];
    assert_eq!(paths[0]["path"], "/api");
    assert_eq!(paths[1]["path"], "/");
    assert_eq!(paths[0]["pathType"], "Prefix");
}

#[test]
fn traefik_ingress_route_follows_the_available_api() {
    let modern = rudder_ok(&[
        "template",
        "n",
        "charts/nocobase",
        "--set",
        "ingressRoute.enabled=true",
    ]);
    assert!(
        modern.contains("apiVersion: traefik.io/v1alpha1"),
        "{modern}"
    );
    let legacy = rudder_ok(&[
        "template",
        "n",
        "charts/nocobase",
        "--set",
        "ingressRoute.enabled=true",
        "-a",
        "traefik.containo.us/v1alpha1",
    ]);
    assert!(
        legacy.contains("apiVersion: traefik.containo.us/v1alpha1"),
        "{legacy}"
    );
}

#[test]
fn typo_and_wrong_type_in_an_environment_file_fail_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let typo = tmp.path().join("typo.yaml");
    std::fs::write(&typo, "nocobase:\n  replicaCont: 4\n").unwrap();
    let run = rudder(&[
        "template",
        "nocobase",
        "charts/nocobase-stack",
        "-f",
        typo.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("\nnocobase:\n- at '/': additionalProperties 'replicaCont' not allowed"),
        "{}",
        run.stderr
    );
    let wrong = tmp.path().join("wrong.yaml");
    std::fs::write(&wrong, "redis:\n  replicaCount: three\n").unwrap();
    let run = rudder(&[
        "template",
        "nocobase",
        "charts/nocobase-stack",
        "-f",
        wrong.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("\nredis:\n- at '/replicaCount': want integer, but got string"),
        "{}",
        run.stderr
    );
}
