//! What an `include` printed, kept for the rest of the render on this thread.
//!
//! A chart's templates include the same helpers with the same `.` again and again
//! (`fullname`, `labels`, `selectorLabels` from every template of helm create), and each
//! include runs the helper anew: a third of a render. A helper prints the same text
//! again when all it can see is the same:
//! - the data is the very same named map, or another map with the same entries (maps
//!   compared by address; the kept entry holds them, so no address is reused),
//!   and no map made before the helper ran was changed in place since
//!   (`funcs::old_map_changed`: a map made later can only be reached through such a
//!   change);
//! - it did not look inside `.Template`, the one object a chart's templates do not share
//!   (`funcs::watched_reads`);
//! - it read neither the clock nor the random source, changed no map made before it ran
//!   (its own maps it may fill) and raised no error while it ran (`funcs::changes`);
//! - it does not run inside a `tpl` text (which may define templates of its own);
//! - the include/tpl levels, `{{template}}` levels and output bytes it used still fit
//!   under their limits where it is included again.
//!
//! Named maps (Helm's top-level objects and values, `common.Values`) are found by
//! address. Any other map, such as one made by `dict` for one include (new every time),
//! is found by its entries, when they are maps (by address), strings, booleans or nils.

use std::collections::HashMap;

use minijinja::value::{Value, ValueKind};

use super::exec::Exec;
use crate::engine::funcs;

/// Outputs kept per thread: each is one helper's text for one map; a release's
/// includes of named maps are a few per chart.
const KEPT: usize = 4096;

/// Bytes of output kept per thread.
const KEPT_BYTES: usize = 16 * 1024 * 1024;

struct Kept {
    key: Key,
    /// The maps the key names by address, held so each address stays its own.
    _held: Vec<Value>,
    out: String,
    /// When its run began: no map made before may have changed since.
    since: funcs::MapTime,
    /// include/tpl levels the helper used, itself included.
    levels: u64,
    /// `{{template}}` levels it used.
    nesting: u64,
    /// Output bytes its run counted against the release's limit.
    printed: u64,
}

#[derive(Default)]
pub struct Memo {
    kept: HashMap<String, Vec<Kept>, ahash::RandomState>,
    count: usize,
    bytes: usize,
}

/// What an include's data is, for finding what it printed before.
#[derive(Debug, PartialEq)]
pub enum Key {
    /// A named map (Helm's top-level map, the values), by address.
    Map(usize),
    /// Any other map, such as one made for the include (`dict "context" $ "value"
    /// .Values.x`, new each time): by what it holds. A template cannot tell two such
    /// maps apart but by their entries (a change to one is a change of a map made
    /// before, which drops the output).
    Entries(Vec<(String, Part)>),
}

/// An entry of a map found by its entries.
#[derive(Debug, PartialEq)]
pub enum Part {
    /// A map, by address.
    Map(usize),
    Str(String),
    Bool(bool),
    /// Go's nil.
    Nil,
}

/// Entries read for a key: a map made for an include holds two or three.
const ENTRIES: usize = 8;

/// The key of `data` and the maps it names, if outputs included with it may be kept:
/// a named map, or another map of maps, strings, booleans and nils; outside any `tpl`
/// text.
pub fn key(exec: &Exec, data: &Value) -> Option<(Key, Vec<Value>)> {
    if !exec.overlays.is_empty() {
        return None;
    }
    let dict = data.downcast_object_ref::<funcs::Dict>()?;
    if dict.go_type().is_some() {
        return Some((Key::Map(address(dict)), vec![data.clone()]));
    }
    dict.with_entries(|entries| {
        if entries.len() > ENTRIES {
            return None;
        }
        let mut held = Vec::new();
        let mut parts = Vec::with_capacity(entries.len());
        for (name, value) in entries {
            let part = if let Some(map) = value.downcast_object_ref::<funcs::Dict>() {
                held.push(value.clone());
                Part::Map(address(map))
            } else if value.is_none() {
                Part::Nil
            } else {
                match value.kind() {
                    ValueKind::String => Part::Str(value.as_str()?.to_string()),
                    ValueKind::Bool => Part::Bool(value.is_true()),
                    _ => return None,
                }
            };
            parts.push((name.clone(), part));
        }
        Some((Key::Entries(parts), held))
    })
}

fn address(dict: &funcs::Dict) -> usize {
    std::ptr::from_ref(dict) as usize
}

/// The counters when a run began, to tell what it did.
pub struct Watch {
    changes: u64,
    since: funcs::MapTime,
    reads: u64,
    room: u64,
    nesting_mark: u64,
}

/// What a run did, as far as keeping its output goes.
pub struct Ran {
    /// Whether it did nothing that makes it print otherwise.
    same: bool,
    since: funcs::MapTime,
    nesting: u64,
    printed: u64,
}

impl Watch {
    pub fn start(exec: &Exec) -> Watch {
        Watch {
            changes: funcs::changes(),
            since: funcs::map_time(),
            reads: funcs::watched_reads(),
            room: exec.room,
            nesting_mark: exec.nesting_mark(),
        }
    }

    /// The run is over (whether it failed or not).
    pub fn end(self, exec: &Exec) -> Ran {
        Ran {
            same: funcs::changes() == self.changes
                && !funcs::old_map_changed(&self.since)
                && funcs::watched_reads() == self.reads
                && exec.first_error_at().is_none(),
            since: self.since,
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
        key: &Key,
        depth_fits: impl Fn(u64) -> bool,
    ) -> Option<String> {
        let kept = self.kept.get(name)?.iter().find(|k| k.key == *key)?;
        let fits = !funcs::old_map_changed(&kept.since)
            && depth_fits(kept.levels)
            && exec.nesting_fits(kept.nesting)
            && kept.printed <= exec.room;
        if !fits {
            return None;
        }
        exec.room -= kept.printed;
        Some(kept.out.clone())
    }

    /// Keeps what `name` printed with the data of `key` (which names the maps `held`)
    /// in a run that used `levels` include/tpl levels, if it did nothing that makes it
    /// print otherwise.
    pub fn keep(
        &mut self,
        name: &str,
        (key, held): (Key, Vec<Value>),
        out: &str,
        levels: u64,
        ran: Ran,
    ) {
        if !ran.same || self.count >= KEPT || self.bytes + out.len() > KEPT_BYTES {
            return;
        }
        let list = match self.kept.get_mut(name) {
            Some(list) => list,
            None => self.kept.entry(name.to_string()).or_default(),
        };
        // One entry per key: a stale one (a map changed since) gives way.
        if let Some(i) = list.iter().position(|k| k.key == key) {
            let stale = list.swap_remove(i);
            self.count -= 1;
            self.bytes -= stale.out.len();
        }
        self.count += 1;
        self.bytes += out.len();
        list.push(Kept {
            key,
            _held: held,
            out: out.to_string(),
            since: ran.since,
            levels,
            nesting: ran.nesting,
            printed: ran.printed,
        });
    }
}
