//! The `dependencies:` of Chart.yaml applied to the loaded subcharts, as Helm does:
//! missing ones are an error, `alias` renames a copy, `tags` and `condition` disable,
//! `import-values` lifts a child's values into its parent.
//!
//! Conditions and imports read coalesced values; the caller computes them (values are
//! the next stage of the pipeline) and passes them in as plain data.

use crate::error::{Error, Kind};
use serde_json::{Map, Value as Json};

use super::Chart;
use super::constraint::Constraint;
use super::metadata::parse_version;

/// Whether `version` satisfies a dependency's `version` range. As in Helm, an empty or
/// malformed range matches nothing: such a subchart stays, but unaliased.
fn compatible(range: &str, version: &str) -> bool {
    match (Constraint::parse(range), parse_version(version)) {
        (Ok(c), Ok(v)) => c.matches(&v),
        _ => false,
    }
}

/// Errors when a dependency listed in Chart.yaml is not in `charts/`, naming them all.
pub fn check_missing(chart: &Chart, prefix: &str) -> Result<(), Error> {
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|d| !chart.subcharts.iter().any(|s| s.name() == d.name))
        .map(|d| d.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Error::new(
            Kind::Chart,
            format!(
                "found in Chart.yaml, but missing in charts/ directory: {}",
                missing.join(", ")
            ),
        )
        .in_file(format!("{prefix}/Chart.yaml"))
        .with_hint(
            "put each dependency into charts/ (a folder or .tgz), as `helm dependency build` does",
        ));
    }
    for sub in &chart.subcharts {
        check_missing(sub, &format!("{prefix}/charts/{}", sub.name()))?;
    }
    Ok(())
}

/// Matches each listed dependency to its subchart, copying and renaming it for an
/// `alias`; subcharts not listed stay as they are. Recurses into the result.
pub fn apply_aliases(chart: &mut Chart) {
    if !chart.metadata.dependencies.is_empty() {
        let mut loaded: Vec<Option<Chart>> = std::mem::take(&mut chart.subcharts)
            .into_iter()
            .map(Some)
            .collect();
        // The loaded chart each dependency names; one chart may serve several (aliases).
        let matches: Vec<Option<usize>> = chart
            .metadata
            .dependencies
            .iter()
            .map(|d| {
                loaded.iter().position(|c| {
                    c.as_ref().is_some_and(|c| {
                        c.name() == d.name && compatible(&d.version, &c.metadata.version)
                    })
                })
            })
            .collect();
        let mut uses = vec![0usize; loaded.len()];
        for i in matches.iter().flatten() {
            uses[*i] += 1;
        }
        let mut result: Vec<Chart> = loaded
            .iter_mut()
            .zip(&uses)
            .filter(|(_, uses)| **uses == 0)
            .filter_map(|(c, _)| c.take())
            .collect();
        for (dep, found) in chart.metadata.dependencies.iter_mut().zip(matches) {
            if let Some(i) = found {
                // Moved on its last use, copied before: a chart listed once is never cloned.
                uses[i] -= 1;
                let copy = if uses[i] == 0 {
                    loaded[i].take()
                } else {
                    loaded[i].clone()
                };
                if let Some(mut copy) = copy {
                    if !dep.alias.is_empty() {
                        copy.metadata.name = dep.alias.clone();
                    }
                    result.push(copy);
                }
            }
            if !dep.alias.is_empty() {
                dep.name = dep.alias.clone();
            }
        }
        chart.subcharts = result;
    }
    for sub in &mut chart.subcharts {
        apply_aliases(sub);
    }
}

/// Looks up a dotted path (`redis.enabled`) in a values tree.
fn path_value<'a>(values: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    let mut parts = path.split('.');
    let mut cur = values.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

/// Whether pruning reads values: some chart that `prune_disabled` visits lists a
/// dependency with `tags` or a `condition`.
pub fn reads_values(chart: &Chart) -> bool {
    !chart.metadata.dependencies.is_empty()
        && (chart
            .metadata
            .dependencies
            .iter()
            .any(|d| !d.tags.is_empty() || !d.condition.trim().is_empty())
            || chart.subcharts.iter().any(reads_values))
}

/// Removes the subcharts that `tags` and `condition` disable. `values` are the
/// coalesced values of the whole tree; `path` is this chart's place in them.
pub fn prune_disabled(
    chart: &mut Chart,
    values: &Map<String, Json>,
    path: &str,
    warnings: &mut Vec<String>,
) {
    // Helm stops here, subcharts' own conditions included, when a chart lists no
    // dependencies.
    if chart.metadata.dependencies.is_empty() {
        return;
    }
    let tags = values.get("tags").and_then(Json::as_object);
    let mut disabled = Vec::new();
    for dep in &mut chart.metadata.dependencies {
        dep.enabled = true;
        if let Some(tags) = tags {
            let (mut has_true, mut has_false) = (false, false);
            for t in &dep.tags {
                match tags.get(t) {
                    Some(Json::Bool(true)) => has_true = true,
                    Some(Json::Bool(false)) => has_false = true,
                    Some(_) => warnings.push(format!(
                        "warning: tag {t:?} for chart {} is not a bool",
                        dep.name
                    )),
                    None => {}
                }
            }
            if !has_true && has_false {
                dep.enabled = false;
            }
        }
        for cond in dep
            .condition
            .trim()
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match path_value(values, &format!("{path}{cond}")) {
                Some(Json::Bool(b)) => {
                    dep.enabled = *b;
                    break;
                }
                Some(_) => warnings.push(format!(
                    "warning: condition path '{cond}' for chart {} returned non-bool value",
                    dep.name
                )),
                None => {}
            }
        }
        if !dep.enabled {
            disabled.push(dep.name.clone());
        }
    }
    chart
        .subcharts
        .retain(|s| !disabled.iter().any(|d| d == s.name()));
    chart.metadata.dependencies.retain(|d| d.enabled);
    for sub in &mut chart.subcharts {
        let sub_path = format!("{path}{}.", sub.name());
        prune_disabled(sub, values, &sub_path, warnings);
    }
}

/// Merges the second table under the first (the first's entries win).
pub type MergeUnder = dyn Fn(&mut Map<String, Json>, Map<String, Json>);

/// The `import-values` of `chart`'s dependencies, bottom-up: each child's exported
/// table is merged under the parent's values (the parent's own values win).
///
/// `coalesced` gives a chart's values coalesced with its subcharts' defaults.
pub fn import_values(
    chart: &mut Chart,
    coalesced: &dyn Fn(&Chart) -> Map<String, Json>,
    merge_under: &MergeUnder,
    warnings: &mut Vec<String>,
) {
    for sub in &mut chart.subcharts {
        import_values(sub, coalesced, merge_under, warnings);
    }
    if !chart
        .metadata
        .dependencies
        .iter()
        .any(|d| !d.import_values.is_empty())
    {
        return;
    }
    let cvals = coalesced(chart);
    let mut imported = Map::new();
    for dep in &chart.metadata.dependencies {
        for iv in &dep.import_values {
            let (child, parent) = match iv {
                Json::String(s) => (format!("exports.{s}"), ".".to_string()),
                Json::Object(m) => (
                    m.get("child")
                        .and_then(Json::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    m.get("parent")
                        .and_then(Json::as_str)
                        .unwrap_or_default()
                        .to_string(),
                ),
                _ => continue,
            };
            let Some(Json::Object(table)) = path_value(&cvals, &format!("{}.{child}", dep.name))
            else {
                warnings.push(format!(
                    "warning: import-values: chart {} has no table {child:?} to import",
                    dep.name
                ));
                continue;
            };
            let lifted = path_to_map(&parent, table.clone());
            merge_under(&mut imported, lifted);
        }
    }
    let mut values = cvals;
    merge_under(&mut values, imported);
    chart.values = values;
}

/// `a.b` and a table → `{a: {b: table}}`; `.` → the table itself.
fn path_to_map(path: &str, table: Map<String, Json>) -> Map<String, Json> {
    if path == "." || path.is_empty() {
        return table;
    }
    let mut value = Json::Object(table);
    for part in path.rsplit('.') {
        let mut m = Map::new();
        m.insert(part.to_string(), value);
        value = Json::Object(m);
    }
    match value {
        Json::Object(m) => m,
        _ => Map::new(),
    }
}
