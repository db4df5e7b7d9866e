//! What an `include` printed, kept for the rest of one template's render.
//!
//! A helper's output is a function of its context: a chart's templates include the same
//! helpers again and again (`labels` includes `selectorLabels`, which the template
//! includes again), each time evaluating the helpers file anew. With the same root
//! objects, the same helper prints the same text, unless something read the clock or
//! the random source or changed a dict in place since (`funcs::changes`), or the
//! include/tpl depth left would not have allowed it.

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
    ctx: Arc<Root>,
    out: Value,
    /// How many include/tpl levels the helper used, itself included.
    depth: u64,
    /// `funcs::changes()` when it was printed.
    changes: u64,
}

thread_local! {
    static KEPT_HERE: RefCell<Vec<Kept>> = const { RefCell::new(Vec::new()) };
}

/// Forgets every output: a new template starts.
pub fn forget() {
    KEPT_HERE.with(|k| k.borrow_mut().clear());
}

/// What `mac` of `helper` printed with the same root objects, if it may be reused with
/// `room` include/tpl levels left.
pub fn find(helper: &Arc<str>, mac: &str, ctx: &Root, room: u64) -> Option<Value> {
    let changes = funcs::changes();
    KEPT_HERE.with(|k| {
        k.borrow()
            .iter()
            .find(|e| {
                Arc::ptr_eq(&e.helper, helper)
                    && e.mac == mac
                    && e.changes == changes
                    && e.depth <= room
                    && same_root(&e.ctx, ctx)
            })
            .map(|e| e.out.clone())
    })
}

/// Keeps what `mac` of `helper` printed with `ctx`, using `depth` levels, while
/// `funcs::changes()` stayed `changes`.
pub fn keep(helper: Arc<str>, mac: &str, ctx: Arc<Root>, out: Value, depth: u64, changes: u64) {
    if funcs::changes() != changes {
        return;
    }
    KEPT_HERE.with(|k| {
        let mut kept = k.borrow_mut();
        if kept.len() < KEPT {
            kept.push(Kept {
                helper,
                mac: mac.to_string(),
                ctx,
                out,
                depth,
                changes,
            });
        }
    })
}

/// Whether two contexts hold the very same objects: compared by address, for the types
/// Helm's root objects have. Anything else (a name the template set to another value)
/// counts as different; equal content is not enough (`1` and `1.0` are equal values).
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
