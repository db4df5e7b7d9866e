//! Helm's coalescing of chart defaults, parent blocks, globals and user values.
//!
//! The rules follow Helm's `coalesce.go`: user values win, maps merge deeply, lists
//! and scalars replace, a user `null` deletes a default, each subchart gets its own
//! block plus `global`, and a parent's globals win over a subchart's.

use serde_json::{Map, Value as Json};

use crate::chart::Chart;

/// Merges `chart`'s defaults (and its subcharts') under the user's values, copying
/// them: the chart keeps its defaults (for a first pass that reads conditions, or a
/// subchart's exports).
///
/// Warnings (Helm's "skipped value ... Not a table") are pushed to `warnings`.
pub fn coalesce(
    chart: &Chart,
    user: Map<String, Json>,
    warnings: &mut Vec<String>,
) -> Result<Map<String, Json>, String> {
    coalesce_defaults(Defaults::copied(chart), user, warnings)
}

/// [`coalesce`] for the final pass: the defaults are moved out of the chart tree into
/// the result rather than copied (each subchart's tree would otherwise be copied
/// once more per run); `chart.values` is empty afterwards throughout the tree.
pub fn coalesce_taking(
    chart: &mut Chart,
    user: Map<String, Json>,
    warnings: &mut Vec<String>,
) -> Result<Map<String, Json>, String> {
    coalesce_defaults(Defaults::taken(chart), user, warnings)
}

/// The defaults of a chart tree, as coalescing consumes them.
struct Defaults {
    name: String,
    values: Map<String, Json>,
    subcharts: Vec<Defaults>,
}

impl Defaults {
    fn copied(chart: &Chart) -> Defaults {
        Defaults {
            name: chart.name().to_string(),
            values: chart.values.clone(),
            subcharts: chart.subcharts.iter().map(Defaults::copied).collect(),
        }
    }

    fn taken(chart: &mut Chart) -> Defaults {
        Defaults {
            name: chart.name().to_string(),
            values: std::mem::take(&mut chart.values),
            subcharts: chart.subcharts.iter_mut().map(Defaults::taken).collect(),
        }
    }
}

fn coalesce_defaults(
    defaults: Defaults,
    user: Map<String, Json>,
    warnings: &mut Vec<String>,
) -> Result<Map<String, Json>, String> {
    let mut dest = user;
    coalesce_chart(defaults, &mut dest, "", warnings)?;
    Ok(dest)
}

fn prefixed(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn coalesce_chart(
    chart: Defaults,
    dest: &mut Map<String, Json>,
    prefix: &str,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    let Defaults {
        name,
        values,
        subcharts,
    } = chart;
    coalesce_values(&name, values, &subcharts, dest, prefix, warnings);
    coalesce_deps(&name, subcharts, dest, prefix, warnings)
}

fn coalesce_values(
    name: &str,
    values: Map<String, Json>,
    subcharts: &[Defaults],
    dest: &mut Map<String, Json>,
    prefix: &str,
    warnings: &mut Vec<String>,
) {
    let sub_prefix = prefixed(prefix, name);
    let is_subchart = !prefix.is_empty();
    for (key, default) in values {
        match dest.get_mut(&key) {
            Some(Json::Null) => {
                dest.remove(&key);
            }
            Some(Json::Object(user)) => match default {
                Json::Object(mut src) => {
                    let merge = subcharts.iter().any(|s| s.name == key);
                    if !merge && is_subchart {
                        clean_nils(&mut src);
                    }
                    coalesce_tables(user, src, &prefixed(&sub_prefix, &key), merge, warnings);
                }
                Json::Null => {}
                _ => warnings.push(format!(
                    "warning: skipped value for {sub_prefix}.{key}: Not a table."
                )),
            },
            Some(_) => {}
            None => {
                let mut value = default;
                if is_subchart {
                    if value.is_null() {
                        continue;
                    }
                    if let Json::Object(m) = &mut value {
                        clean_nils(m);
                    }
                }
                dest.insert(key, value);
            }
        }
    }
}

fn coalesce_deps(
    name: &str,
    subcharts: Vec<Defaults>,
    dest: &mut Map<String, Json>,
    prefix: &str,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    let sub_prefix = prefixed(prefix, name);
    for sub in subcharts {
        let name = sub.name.clone();
        let mut block = match dest.remove(&name) {
            None => Map::new(),
            Some(Json::Object(m)) => m,
            Some(other) => {
                return Err(format!(
                    "type mismatch on {name}: expected a map, got {}",
                    kind_name(&other)
                ));
            }
        };
        coalesce_globals(&mut block, dest, &sub_prefix, warnings);
        coalesce_chart(sub, &mut block, &sub_prefix, warnings)?;
        dest.insert(name, Json::Object(block));
    }
    Ok(())
}

/// Copies the parent's `global` into the subchart's block; the parent's entries win.
fn coalesce_globals(
    dest: &mut Map<String, Json>,
    src: &Map<String, Json>,
    prefix: &str,
    warnings: &mut Vec<String>,
) {
    let mut dg = match dest.get("global") {
        None => Map::new(),
        Some(Json::Object(m)) => m.clone(),
        Some(_) => {
            warnings.push(
                "warning: skipping globals because destination global is not a table.".into(),
            );
            return;
        }
    };
    let sg = match src.get("global") {
        None => Map::new(),
        Some(Json::Object(m)) => m.clone(),
        Some(_) => {
            warnings.push("warning: skipping globals because source global is not a table.".into());
            return;
        }
    };
    for (key, val) in sg {
        match (&val, dg.get(&key)) {
            (Json::Object(v), None) => {
                dg.insert(key, Json::Object(v.clone()));
            }
            (Json::Object(v), Some(Json::Object(existing))) => {
                let mut vv = v.clone();
                coalesce_tables(
                    &mut vv,
                    existing.clone(),
                    &prefixed(prefix, &key),
                    true,
                    warnings,
                );
                dg.insert(key, Json::Object(vv));
            }
            (Json::Object(_), Some(_)) => {
                warnings.push(format!(
                    "Conflict: cannot merge map onto non-map for {key:?}. Skipping."
                ));
            }
            (_, Some(Json::Object(_))) => warnings.push(format!("key {key} is table. Skipping")),
            _ => {
                dg.insert(key, val);
            }
        }
    }
    dest.insert("global".into(), Json::Object(dg));
}

/// Merges `src` under `dst` (`dst` wins). With `merge` false a `null` in `dst` deletes
/// the key when `src` had a value for it.
pub fn coalesce_tables(
    dst: &mut Map<String, Json>,
    src: Map<String, Json>,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<String>,
) {
    for (key, val) in src {
        let full = prefixed(prefix, &key);
        match dst.get_mut(&key) {
            Some(Json::Null) => {
                if !merge && !val.is_null() {
                    dst.remove(&key);
                }
            }
            None => {
                dst.insert(key, val);
            }
            Some(Json::Object(d)) => match val {
                Json::Object(s) => coalesce_tables(d, s, &full, merge, warnings),
                Json::Null => {}
                other => warnings.push(format!(
                    "warning: destination for {full} is a table. Ignoring non-table value ({})",
                    crate::gofmt::go_print(&other)
                )),
            },
            Some(_) => {
                if let Json::Object(_) = val {
                    warnings.push(format!(
                        "warning: cannot overwrite table with non table for {full} ({})",
                        crate::gofmt::go_print(&val)
                    ));
                }
            }
        }
    }
}

fn clean_nils(m: &mut Map<String, Json>) {
    m.retain(|_, v| !v.is_null());
    for v in m.values_mut() {
        if let Json::Object(inner) = v {
            clean_nils(inner);
        }
    }
}

fn kind_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "list",
        Json::Object(_) => "map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Chart, Metadata};
    use serde_json::json;

    fn chart(name: &str, values: Json, subcharts: Vec<Chart>) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                ..Metadata::default()
            },
            values: match values {
                Json::Object(m) => m,
                _ => Map::new(),
            },
            values_raw: None,
            lock: None,
            schema: None,
            templates: Vec::new(),
            files: Vec::new(),
            subcharts,
            outside_links: Vec::new(),
        }
    }

    fn run(c: &Chart, user: Json) -> (Json, Vec<String>) {
        let mut warnings = Vec::new();
        let user = match user {
            Json::Object(m) => m,
            _ => Map::new(),
        };
        let copied = coalesce(c, user.clone(), &mut warnings).unwrap();
        // The final pass moves the defaults out of the tree: the same values and
        // warnings, and no defaults left behind.
        let mut taken_from = c.clone();
        let mut taken_warnings = Vec::new();
        let taken = coalesce_taking(&mut taken_from, user, &mut taken_warnings).unwrap();
        assert_eq!(copied, taken);
        assert_eq!(warnings, taken_warnings);
        assert!(taken_from.values.is_empty());
        assert!(taken_from.subcharts.iter().all(|s| s.values.is_empty()));
        (Json::Object(copied), warnings)
    }

    #[test]
    fn coalescing_rules() {
        let sub = chart(
            "sub",
            json!({"replicas": 1, "drop": "default", "global": {"region": "us", "own": true}}),
            vec![],
        );
        let parent = chart(
            "parent",
            json!({"a": {"keep": 1, "drop": 2}, "list": [1, 2], "global": {"region": "eu"}, "sub": {"drop": null}}),
            vec![sub],
        );
        let rows: Vec<(&str, Json, &str, Json)> = vec![
            (
                "user_null_erases_default",
                json!({"a": {"drop": null}}),
                "/a",
                json!({"keep": 1}),
            ),
            ("lists_replace", json!({"list": [9]}), "/list", json!([9])),
            (
                "maps_merge",
                json!({"a": {"new": 3}}),
                "/a",
                json!({"keep": 1, "drop": 2, "new": 3}),
            ),
            (
                "parent_null_erases_subchart_default",
                json!({}),
                "/sub/drop",
                Json::Null,
            ),
            (
                "subchart_default_kept",
                json!({}),
                "/sub/replicas",
                json!(1),
            ),
            (
                "parent_global_wins",
                json!({}),
                "/sub/global/region",
                json!("eu"),
            ),
            (
                "subchart_global_stays_local",
                json!({}),
                "/global/own",
                Json::Null,
            ),
            (
                "subchart_sees_own_global",
                json!({}),
                "/sub/global/own",
                json!(true),
            ),
            (
                "user_global_reaches_subchart",
                json!({"global": {"env": "prod"}}),
                "/sub/global/env",
                json!("prod"),
            ),
            (
                "user_block_overrides_subchart",
                json!({"sub": {"replicas": 3}}),
                "/sub/replicas",
                json!(3),
            ),
        ];
        for (name, user, pointer, want) in rows {
            let (got, _) = run(&parent, user);
            assert_eq!(
                got.pointer(pointer).cloned().unwrap_or(Json::Null),
                want,
                "{name}: {got}"
            );
        }
    }

    #[test]
    fn map_over_scalar_warns_as_helm() {
        let c = chart("c", json!({"a": "scalar"}), vec![]);
        let (got, warnings) = run(&c, json!({"a": {"x": 1}}));
        assert_eq!(got["a"], json!({"x": 1}), "the user's map is kept");
        assert_eq!(
            warnings,
            vec!["warning: skipped value for c.a: Not a table."]
        );
        let c = chart("c", json!({"a": {"x": 1}}), vec![]);
        let (got, warnings) = run(&c, json!({"a": "scalar"}));
        assert_eq!(got["a"], json!("scalar"));
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}
