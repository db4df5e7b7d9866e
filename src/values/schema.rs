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
    let root = Json::Object(values.clone());
    let mut jobs = Vec::new();
    collect(chart, chart.name().to_string(), &root, &mut jobs);
    if jobs.is_empty() {
        return Ok(());
    }
    // One compiler for the whole tree, so the metaschema is compiled once.
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V2020_12);
    compiler.use_loader(Box::new(NoRemote));
    let mut schemas = boon::Schemas::new();
    let mut problems = Vec::new();
    for (chart_path, schema, values) in &jobs {
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
        let url = format!("file:///{chart_path}/values.schema.json");
        if let Err(e) = compiler.add_resource(&url, schema) {
            problems.push((
                chart_path.clone(),
                format!("{chart_path}/values.schema.json: {e}"),
            ));
            continue;
        }
        let index = match compiler.compile(&url, &mut schemas) {
            Ok(i) => i,
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

/// (chart path, schema bytes, the values it checks) for every chart with a schema.
fn collect<'a>(
    chart: &'a Chart,
    path: String,
    values: &Json,
    out: &mut Vec<(String, &'a [u8], Json)>,
) {
    if let Some(schema) = &chart.schema {
        out.push((path.clone(), schema, values.clone()));
    }
    for sub in &chart.subcharts {
        let empty = Json::Object(Map::new());
        let sub_values = values
            .get(sub.name())
            .filter(|v| v.is_object())
            .unwrap_or(&empty);
        collect(
            sub,
            format!("{path}/charts/{}", sub.name()),
            sub_values,
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
