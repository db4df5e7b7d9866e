//! What an `include` printed, kept for the rest of one template's render.
//!
//! A helper's output is a function of its context: a chart's templates include the same
//! helpers again and again (`labels` includes `selectorLabels`, which the template
//! includes again), each time evaluating the helpers file anew. Included with the
//! template's own root objects (the very same objects, none set to another value on the
//! way), the same helper prints the same text, unless it read the clock or the random
//! source (`funcs::changes`), or the include/tpl depth left would not allow it. The
//! root objects hold values read from files, never a dict or namespace a template could
//! change in place.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::Value;

use super::include::Root;
use crate::engine::funcs;
use crate::engine::objects::FilesValue;

/// Entries kept per template render: a template includes a handful of helpers.
const KEPT: usize = 64;

struct Kept {
    helper: Arc<str>,
    mac: String,
    out: Value,
    /// How many include/tpl levels the helper used, itself included.
    depth: u64,
}

/// The running template's context and what its includes printed.
#[derive(Default)]
struct Here {
    base: Option<Arc<Root>>,
    kept: Vec<Kept>,
}

thread_local! {
    static HERE: RefCell<Here> = RefCell::new(Here::default());
}

/// A template starts rendering with `base` (its context): nothing kept before counts.
pub fn start(base: Option<Arc<Root>>) {
    HERE.with(|h| {
        *h.borrow_mut() = Here {
            base,
            kept: Vec::new(),
        }
    });
}

/// Whether `ctx` holds the running template's own root objects: only then is an
/// output kept or found.
pub fn is_own(ctx: &Root) -> bool {
    HERE.with(|h| {
        h.borrow()
            .base
            .as_ref()
            .is_some_and(|base| same_root(base, ctx))
    })
}

/// What `mac` of `helper` printed with the template's own objects, if it may be reused
/// with `room` include/tpl levels left.
pub fn find(helper: &Arc<str>, mac: &str, room: u64) -> Option<Value> {
    HERE.with(|h| {
        h.borrow()
            .kept
            .iter()
            .find(|e| Arc::ptr_eq(&e.helper, helper) && e.mac == mac && e.depth <= room)
            .map(|e| e.out.clone())
    })
}

/// Keeps what `mac` of `helper` printed with the template's own objects, using `depth`
/// levels, if `funcs::changes()` stayed `changes` while it ran (it read neither the
/// clock nor the random source, so it prints the same again).
pub fn keep(helper: Arc<str>, mac: &str, out: Value, depth: u64, changes: u64) {
    if funcs::changes() != changes {
        return;
    }
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
        });
    })
}

/// Whether two contexts hold the very same objects: compared by address, for the types
/// Helm's root objects have. Equal content is not enough (`1` and `1.0` are equal
/// values, and a dict's content may change).
fn same_root(a: &Root, b: &Root) -> bool {
    a.0.iter().zip(&b.0).all(|(a, b)| match (a, b) {
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
        .unwrap_or(false)
}
