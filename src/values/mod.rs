//! The values a template sees: chart defaults coalesced under user values.
//!
//! The tree is `serde_json`'s map (sorted keys, integers kept apart from floats), built
//! once per run and converted once into template values.

pub mod coalesce;
pub mod schema;
pub mod sources;
pub mod strvals;

use serde_json::Value as Json;

pub use crate::chart::Values;

/// Deep-merges `overlay` into `base` as Helm merges `-f` files: maps merge, anything
/// else replaces (a `null` is kept, to delete a default at coalescing time).
pub fn merge_maps(base: &mut Values, overlay: Values) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(Json::Object(b)), Json::Object(o)) => merge_maps(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// The values a render sees, with the chart's dependencies applied first, in Helm's
/// order: aliases, then `tags`/`condition` (read from the coalesced values), then
/// `import-values`, then the final coalescing of defaults under the user's values
/// (which moves the defaults out of `chart`: its `values` are empty afterwards).
pub fn for_render(
    chart: &mut crate::chart::Chart,
    user: Values,
    warnings: &mut Vec<String>,
) -> Result<Values, crate::error::Error> {
    for_render_inner(chart, user, warnings)
        .map_err(|m| crate::error::Error::new(crate::error::Kind::Values, m))
}

fn for_render_inner(
    chart: &mut crate::chart::Chart,
    user: Values,
    warnings: &mut Vec<String>,
) -> Result<Values, String> {
    use crate::chart::dependencies;
    dependencies::apply_aliases(chart);
    // Conditions read values coalesced with every subchart's defaults; the warnings of
    // this first pass would repeat the final pass's, so they are dropped. A chart that
    // lists no dependencies has no conditions to read (Helm stops there too), and the
    // user's values are not copied for it.
    // A tree whose dependencies name no tags or conditions reads no values to prune
    // (every subchart stays; the pass only marks them enabled), and is not coalesced
    // for it.
    if dependencies::reads_values(chart) {
        let probe = coalesce::coalesce(chart, user.clone(), &mut Vec::new())?;
        dependencies::prune_disabled(chart, &probe, "", warnings);
    } else {
        dependencies::prune_disabled(chart, &Values::new(), "", warnings);
    }
    let coalesced = |c: &crate::chart::Chart| {
        coalesce::coalesce(c, Values::new(), &mut Vec::new()).unwrap_or_default()
    };
    let merge_under = |dst: &mut Values, src: Values| {
        coalesce::coalesce_tables(dst, src, "", true, &mut Vec::new())
    };
    dependencies::import_values(chart, &coalesced, &merge_under, warnings);
    coalesce::coalesce_taking(chart, user, warnings)
}
