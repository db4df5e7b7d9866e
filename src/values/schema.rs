//! `values.schema.json`: each chart's schema checked against its coalesced values.
//!
//! As Helm does, the root chart's schema sees all the values and each subchart's schema
//! sees its own block (with `global`). Schemas declare their draft with `$schema`;
//! without it, draft 2020-12 applies, as in Helm 4. Remote `$ref`s are never fetched.
//! Every error of every chart is reported at once.

use crate::error::{Error, Kind};
use serde_json::{Map, Value as Json};

use crate::chart::Chart;

/// A schema that never loads anything from outside the chart.
struct NoRemote;

impl boon::UrlLoader for NoRemote {
    fn load(&self, url: &str) -> Result<Json, Box<dyn std::error::Error>> {
        Err(format!("rudder does not load schemas from outside the chart ({url})").into())
    }
}

/// Validates every chart of the tree; the error lists, as Helm does, each chart's name
/// and then its violations, one per line: `- at '<JSON path>': <what is wrong>`.
pub fn validate(chart: &Chart, values: &Map<String, Json>) -> Result<(), Error> {
    if !has_schema(chart) {
        return Ok(());
    }
    // boon validates a `serde_json::Value`: the values are copied into one once, and each
    // chart's block is read from that copy.
    let root = Json::Object(values.clone());
    let empty = Json::Object(Map::new());
    let mut jobs = Vec::new();
    collect(chart, chart.name().to_string(), &root, &empty, &mut jobs);
    // One compiler for the whole tree, so the metaschema is compiled once.
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V2020_12);
    compiler.use_loader(Box::new(NoRemote));
    let mut schemas = boon::Schemas::new();
    let mut problems = Vec::new();
    for (job, (chart_path, schema, values)) in jobs.iter().enumerate() {
        let digest = schema_digest(schema);
        let schema: Json = match std::str::from_utf8(schema)
            .map_err(|e| e.to_string())
            .and_then(|t| crate::yaml::parse_json(t).map_err(|e| e.to_string()))
        {
            Ok(s) => s,
            Err(e) => {
                problems.push((
                    chart_path.clone(),
                    format!("{chart_path}/values.schema.json: not valid JSON: {e}"),
                ));
                continue;
            }
        };
        // boon checks a schema against its draft's metaschema unless it is served from
        // json-schema.org, and compiling the metaschemas of every draft costs 3.5 ms per
        // process: a schema already checked (the same bytes) is registered there, under
        // a short name. boon queues a schema's subschemas for compiling by comparing each
        // new location with every one queued (quadratic in subschemas), its URL first: a
        // short URL makes that comparison cheap (5 % fewer instructions for a 107 KB schema).
        let known = known_valid(&digest);
        let url = if known {
            format!("https://json-schema.org/r/{job}")
        } else {
            format!("file:///{chart_path}/values.schema.json")
        };
        if let Err(e) = compiler.add_resource(&url, schema) {
            problems.push((
                chart_path.clone(),
                format!("{chart_path}/values.schema.json: {e}"),
            ));
            continue;
        }
        let index = match compiler.compile(&url, &mut schemas) {
            Ok(i) => {
                if !known {
                    remember_valid(&digest);
                }
                i
            }
            Err(e) => {
                problems.push((
                    chart_path.clone(),
                    format!("{chart_path}/values.schema.json: invalid schema: {e}"),
                ));
                continue;
            }
        };
        if let Err(err) = schemas.validate(values, index) {
            let mut leaves = Vec::new();
            collect_leaves(&err, &mut leaves);
            for (location, message) in leaves {
                let location = if location.is_empty() {
                    "/".to_string()
                } else {
                    location
                };
                problems.push((chart_path.clone(), format!("- at '{location}': {message}")));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        // Helm's form: each chart's name on a line, then its violations.
        let mut text = String::new();
        let mut last: Option<&str> = None;
        for (chart_path, line) in &problems {
            if last != Some(chart_path.as_str()) {
                let name = chart_path.rsplit('/').next().unwrap_or(chart_path);
                text.push_str(&format!("\n{name}:"));
                last = Some(chart_path);
            }
            text.push('\n');
            text.push_str(line);
        }
        Err(Error::new(
            Kind::Values,
            format!(
                "values don't meet the specifications of the schema(s) in the following chart(s):{text}"
            ),
        )
        .with_hint("fix the values above, or render with --skip-schema-validation"))
    }
}

/// Where rudder remembers schemas that passed their metaschema check: a file named by
/// the SHA-256 of each schema's bytes in `$RUDDER_CACHE_DIR` (else
/// `$XDG_CACHE_HOME/rudder`, else `~/.cache/rudder`), under `valid-schemas/`. An empty
/// `RUDDER_CACHE_DIR` turns it off. A schema is only ever remembered after boon accepted
/// it, so what rudder prints is the same with or without the file.
fn valid_schemas_dir() -> Option<std::path::PathBuf> {
    let base = match std::env::var_os("RUDDER_CACHE_DIR") {
        Some(dir) if dir.is_empty() => return None,
        Some(dir) => std::path::PathBuf::from(dir),
        None => match std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            Some(dir) => std::path::PathBuf::from(dir).join("rudder"),
            None => std::path::PathBuf::from(std::env::var_os("HOME")?).join(".cache/rudder"),
        },
    };
    Some(base.join("valid-schemas"))
}

fn schema_digest(schema: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(schema);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn known_valid(digest: &str) -> bool {
    valid_schemas_dir().is_some_and(|dir| dir.join(digest).is_file())
}

/// Best effort: a cache that cannot be written only costs the check next time.
fn remember_valid(digest: &str) {
    if let Some(dir) = valid_schemas_dir() {
        let _ = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(dir.join(digest), b""));
    }
}

/// (chart path, schema bytes, the values it checks) for every chart with a schema.
fn has_schema(chart: &Chart) -> bool {
    chart.schema.is_some() || chart.subcharts.iter().any(has_schema)
}

fn collect<'a>(
    chart: &'a Chart,
    path: String,
    values: &'a Json,
    empty: &'a Json,
    out: &mut Vec<(String, &'a [u8], &'a Json)>,
) {
    if let Some(schema) = &chart.schema {
        out.push((path.clone(), schema, values));
    }
    for sub in &chart.subcharts {
        let sub_values = values
            .get(sub.name())
            .filter(|v| v.is_object())
            .unwrap_or(empty);
        collect(
            sub,
            format!("{path}/charts/{}", sub.name()),
            sub_values,
            empty,
            out,
        );
    }
}

fn collect_leaves(err: &boon::ValidationError, out: &mut Vec<(String, String)>) {
    if err.causes.is_empty() {
        out.push((err.instance_location.to_string(), err.kind.to_string()));
    }
    for cause in &err.causes {
        collect_leaves(cause, out);
    }
}
