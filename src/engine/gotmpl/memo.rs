//! What an `include` printed, kept for the rest of the render on this thread.
//!
//! A chart's templates include the same helpers with the same `.` again and again
//! (`fullname`, `labels`, `selectorLabels` from every template of helm create), and each
//! include runs the helper anew: a third of a render. A helper prints the same text
//! again when all it can see is the same:
//! - the data is the very same map (compared by address; the kept entry holds it, so the
//!   address is not reused), and no map anywhere was changed in place since
//!   (`funcs::mutations`);
//! - it did not look inside `.Template`, the one object a chart's templates do not share
//!   (`funcs::watched_reads`);
//! - it read neither the clock nor the random source and raised no error while it ran
//!   (`funcs::changes`); one that changed a map is not kept either, as the change would
//!   keep it from being found;
//! - no `tpl` text around it defines templates of its own;
//! - the include/tpl levels, `{{template}}` levels and output bytes it used still fit
//!   under their limits where it is included again.
//!
//! Only named maps (Helm's top-level objects and values, `common.Values`) are kept as
//! data: a map made by `dict` for one include is new every time, never found again.

use std::collections::HashMap;

use minijinja::value::Value;

use super::exec::Exec;
use crate::engine::funcs;

/// Outputs kept per thread: each is one helper's text for one map; a release's
/// includes of named maps are a few per chart.
const KEPT: usize = 4096;

/// Bytes of output kept per thread.
const KEPT_BYTES: usize = 16 * 1024 * 1024;

struct Kept {
    /// The map included (held, so its address stays its own).
    data: Value,
    out: String,
    /// `funcs::mutations()` when kept.
    mutations: u64,
    /// include/tpl levels the helper used, itself included.
    levels: usize,
    /// `{{template}}` levels it used.
    nesting: usize,
    /// Output bytes its run counted against the release's limit.
    printed: u64,
}

#[derive(Default)]
pub struct Memo {
    kept: HashMap<String, Vec<Kept>, ahash::RandomState>,
    count: usize,
    bytes: usize,
}

/// The map `data` is, if outputs included with it may be kept: a named map, with no
/// `tpl` text's own templates in sight.
pub fn key(exec: &Exec, data: &Value) -> Option<usize> {
    if !exec.overlays.is_empty() {
        return None;
    }
    let dict = data.downcast_object_ref::<funcs::Dict>()?;
    dict.go_type()?;
    Some(std::ptr::from_ref(dict) as usize)
}

/// The counters when a run began, to tell what it did.
pub struct Watch {
    changes: u64,
    mutations: u64,
    reads: u64,
    room: u64,
    nesting_mark: usize,
}

/// What a run did, as far as keeping its output goes.
pub struct Ran {
    /// Whether it did nothing that makes it print otherwise.
    same: bool,
    mutations: u64,
    nesting: usize,
    printed: u64,
}

impl Watch {
    pub fn start(exec: &mut Exec) -> Watch {
        Watch {
            changes: funcs::changes(),
            mutations: funcs::mutations(),
            reads: funcs::watched_reads(),
            room: exec.room,
            nesting_mark: exec.nesting_mark(),
        }
    }

    /// The run is over (whether it failed or not).
    pub fn end(self, exec: &mut Exec) -> Ran {
        Ran {
            same: funcs::changes() == self.changes
                && funcs::mutations() == self.mutations
                && funcs::watched_reads() == self.reads
                && exec.first_error_at().is_none(),
            mutations: self.mutations,
            nesting: exec.nesting_used(self.nesting_mark),
            printed: self.room.saturating_sub(exec.room),
        }
    }
}

impl Memo {
    /// What `name` printed with the map at `key`, if it may be reused here, where
    /// `depth_fits` tells whether a run may use so many include/tpl levels. The
    /// release's output room is charged as the run charged it.
    pub fn find(
        &self,
        exec: &mut Exec,
        name: &str,
        key: usize,
        depth_fits: impl Fn(usize) -> bool,
    ) -> Option<String> {
        let kept = self.kept.get(name)?.iter().find(|k| at(&k.data) == key)?;
        let fits = kept.mutations == funcs::mutations()
            && depth_fits(kept.levels)
            && exec.nesting_fits(kept.nesting)
            && kept.printed <= exec.room;
        if !fits {
            return None;
        }
        exec.room -= kept.printed;
        Some(kept.out.clone())
    }

    /// Keeps what `name` printed with `data` in a run that used `levels` include/tpl
    /// levels, if it did nothing that makes it print otherwise.
    pub fn keep(&mut self, name: &str, data: Value, out: &str, levels: usize, ran: Ran) {
        if !ran.same || self.count >= KEPT || self.bytes + out.len() > KEPT_BYTES {
            return;
        }
        let kept = Kept {
            data,
            out: out.to_string(),
            mutations: ran.mutations,
            levels,
            nesting: ran.nesting,
            printed: ran.printed,
        };
        let list = match self.kept.get_mut(name) {
            Some(list) => list,
            None => self.kept.entry(name.to_string()).or_default(),
        };
        // One entry per map: a stale one (a map changed since) gives way.
        let key = at(&kept.data);
        if let Some(i) = list.iter().position(|k| at(&k.data) == key) {
            let stale = list.swap_remove(i);
            self.count -= 1;
            self.bytes -= stale.out.len();
        }
        self.count += 1;
        self.bytes += kept.out.len();
        list.push(kept);
    }
}

/// The address of a kept map.
fn at(data: &Value) -> usize {
    data.downcast_object_ref::<funcs::Dict>()
        .map_or(0, |d| std::ptr::from_ref(d) as usize)
}
