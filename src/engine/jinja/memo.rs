//! What an `include` printed, kept for the rest of one chart's templates.
//!
//! A helper's output is a function of its context: a chart's templates include the same
//! helpers again and again (`labels` includes `selectorLabels`, which the template
//! includes again), each time evaluating the helpers file anew. Included with the
//! template's own root objects (the very same objects, none set to another value on the
//! way), the same helper prints the same text, unless it read the clock or the random
//! source (`funcs::changes`), or the include/tpl depth left would not allow it. The
//! root objects hold values read from files, never a dict or namespace a template could
//! change in place. The next template of the same chart has the same objects but its
//! own `Template`: what a helper printed without looking inside `Template`
//! (`funcs::watched_reads`) holds there too; the rest is dropped when the template ends.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::Value;

use super::include::{ROOT_NAMES, Root};
use crate::engine::funcs;
use crate::engine::objects::{FilesValue, TemplateObject};

/// Entries kept per chart: a chart's templates include a handful of helpers.
const KEPT: usize = 64;

struct Kept {
    helper: Arc<str>,
    mac: String,
    out: Value,
    /// How many include/tpl levels the helper used, itself included.
    depth: u64,
    /// Whether it looked inside `Template`: it holds for this template only.
    this_template: bool,
}

/// The running template's context and what its chart's includes printed.
#[derive(Default)]
struct Here {
    /// The running template's context (none while no template runs).
    base: Option<Arc<Root>>,
    /// The context of the template that began the entries kept.
    chart: Option<Arc<Root>>,
    kept: Vec<Kept>,
}

thread_local! {
    static HERE: RefCell<Here> = RefCell::new(Here::default());
}

/// A template starts rendering with `base` (its context), or code runs outside any
/// (`None`): what was kept for another chart's objects, or with another template's
/// `Template`, no longer counts.
pub fn start(base: Option<Arc<Root>>) {
    HERE.with(|h| {
        let mut here = h.borrow_mut();
        let Some(new) = &base else {
            here.base = None;
            return;
        };
        let same_chart = here
            .chart
            .as_ref()
            .is_some_and(|chart| same_root(chart, new, Some(TEMPLATE)));
        if same_chart {
            here.kept.retain(|k| !k.this_template);
        } else {
            here.kept.clear();
            here.chart = base.clone();
        }
        here.base = base;
    });
}

/// Whether `ctx` holds the running template's own root objects: only then is an
/// output kept or found.
pub fn is_own(ctx: &Root) -> bool {
    HERE.with(|h| {
        h.borrow()
            .base
            .as_ref()
            .is_some_and(|base| same_root(base, ctx, None))
    })
}

/// What `mac` of `helper` printed with the template's own objects, if it may be reused
/// with `room` include/tpl levels left. An output that looked inside `Template` counts
/// as a look again, so a helper that includes it is not kept for the chart's next
/// templates.
pub fn find(helper: &Arc<str>, mac: &str, room: u64) -> Option<Value> {
    HERE.with(|h| {
        let here = h.borrow();
        let e = here
            .kept
            .iter()
            .find(|e| Arc::ptr_eq(&e.helper, helper) && e.mac == mac && e.depth <= room)?;
        if e.this_template {
            funcs::watched_read();
        }
        Some(e.out.clone())
    })
}

/// Keeps what `mac` of `helper` printed with the template's own objects, using `depth`
/// levels, if `funcs::changes()` stayed `changes` while it ran (it read neither the
/// clock nor the random source, so it prints the same again); for the chart's next
/// templates too if `funcs::watched_reads()` stayed `reads` (it never looked inside
/// `Template`).
pub fn keep(helper: Arc<str>, mac: &str, out: Value, depth: u64, changes: u64, reads: u64) {
    if funcs::changes() != changes {
        return;
    }
    let this_template = funcs::watched_reads() != reads;
    HERE.with(|h| {
        let mut here = h.borrow_mut();
        if here.kept.len() >= KEPT {
            return;
        }
        here.kept.push(Kept {
            helper,
            mac: mac.to_string(),
            out,
            depth,
            this_template,
        });
    })
}

/// Where `Template` sits among the root objects.
const TEMPLATE: usize = {
    let mut i = 0;
    while !matches!(ROOT_NAMES[i].as_bytes(), b"Template") {
        i += 1;
    }
    i
};

/// Whether two contexts hold the very same objects, but for the one at `except` if
/// any: compared by address, for the types Helm's root objects have. Equal content is
/// not enough (`1` and `1.0` are equal values, and a dict's content may change).
fn same_root(a: &Root, b: &Root, except: Option<usize>) -> bool {
    a.0.iter()
        .zip(&b.0)
        .enumerate()
        .all(|(i, (a, b))| match (a, b) {
            _ if Some(i) == except => true,
            (None, None) => true,
            (Some(a), Some(b)) => same_object(a, b),
            _ => false,
        })
}

fn same_object(a: &Value, b: &Value) -> bool {
    fn at<T: 'static>(a: &Value, b: &Value) -> Option<bool> {
        Some(std::ptr::eq(
            a.downcast_object_ref::<T>()?,
            b.downcast_object_ref::<T>()?,
        ))
    }
    at::<BTreeMap<Value, Value>>(a, b)
        .or_else(|| at::<BTreeMap<Arc<str>, Value>>(a, b))
        .or_else(|| at::<BTreeMap<String, Value>>(a, b))
        .or_else(|| at::<FilesValue>(a, b))
        .or_else(|| at::<TemplateObject>(a, b))
        .unwrap_or(false)
}
