//! Defaults, truthiness, lists and dicts with Sprig's semantics.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use minijinja::Error;
use minijinja::value::{Enumerator, Object, ObjectRepr, Value, ValueKind};

use super::args::{arg, exact, func_error, s};

/// A Go map: a reference, so `set`, `unset`, `merge` and `mergeOverwrite` change it in
/// place and every holder sees the change (`$_ := set $d "k" 1` is how charts fill a
/// dict). `dict`, `deepCopy` and the Go engine's values make these.
#[derive(Debug, Default)]
pub struct Dict {
    map: Mutex<BTreeMap<String, Value>>,
    /// The Go type `typeOf` names, when it is not `map[string]interface {}`.
    go_type: Option<&'static str>,
    /// Whether reads of this map are counted (`watched_reads`).
    watched: bool,
    /// When it was made, on the maps' clock (`MapTime`).
    born: u64,
}

/// The maps' clock: each map made takes the next tick.
static CLOCK: AtomicU64 = AtomicU64::new(1);

/// The birth ticks of the latest maps changed in place, in the order of the changes.
struct MapChanges {
    /// How many changes came before `born[0]` (the list never holds more than
    /// `MAP_CHANGES_KEPT`).
    first: u64,
    born: Vec<u64>,
}

const MAP_CHANGES_KEPT: usize = 1 << 20;

static MAP_CHANGES: Mutex<MapChanges> = Mutex::new(MapChanges {
    first: 0,
    born: Vec::new(),
});

/// How many changes in place there were, in this process: read without the lock, so
/// asking about a time with no change since costs no lock (every watched include asks).
static MAP_CHANGE_COUNT: AtomicU64 = AtomicU64::new(0);

fn map_changes() -> MutexGuard<'static, MapChanges> {
    MAP_CHANGES.lock().unwrap_or_else(|e| e.into_inner())
}

/// A moment in the history of the maps: the maps made before it, and the changes in
/// place made after it, are told apart. What a template printed from maps made before
/// it prints the same again while none of those maps was changed since
/// (`old_map_changed`): an engine that reuses outputs asks (maps made since cannot be
/// reached from them but through a change of one of them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapTime {
    changes: u64,
    clock: u64,
}

/// Now, in the history of the maps.
pub fn map_time() -> MapTime {
    MapTime {
        changes: MAP_CHANGE_COUNT.load(Ordering::SeqCst),
        clock: CLOCK.load(Ordering::SeqCst),
    }
}

/// Whether a map made before `since` was changed in place after it (or can no longer
/// be told).
pub fn old_map_changed(since: &MapTime) -> bool {
    if MAP_CHANGE_COUNT.load(Ordering::SeqCst) == since.changes {
        return false;
    }
    let changes = map_changes();
    let Some(from) = since
        .changes
        .checked_sub(changes.first)
        .and_then(|i| usize::try_from(i).ok())
    else {
        return true;
    };
    changes.born[from..].iter().any(|&born| born < since.clock)
}

fn next_birth() -> u64 {
    CLOCK.fetch_add(1, Ordering::SeqCst)
}

thread_local! {
    /// Reads of watched maps on this thread (`watched_reads`).
    static WATCHED_READS: Cell<u64> = const { Cell::new(0) };
}

/// How many times this thread read a watched map (`Dict::watched`, the Jinja engine's
/// `Template`): a reader that never looked inside one printed the same whatever it holds.
pub fn watched_reads() -> u64 {
    WATCHED_READS.with(Cell::get)
}

/// Counts one read of a watched map.
pub fn watched_read() {
    WATCHED_READS.with(|n| n.set(n.get() + 1));
}

impl Dict {
    /// The Go type `typeOf` names, when it is not `map[string]interface {}` (the root
    /// chart's `.Values` is Helm's `common.Values`).
    pub fn go_type(&self) -> Option<&'static str> {
        self.go_type
    }

    /// A Go map of a named map type holding `map`.
    pub fn named(map: BTreeMap<String, Value>, go_type: &'static str) -> Value {
        Value::from_object(Dict {
            map: Mutex::new(map),
            go_type: Some(go_type),
            watched: false,
            born: next_birth(),
        })
    }

    /// A named map whose every read is counted (`watched_reads`): Helm's `.Template`,
    /// the one object that differs between the templates of a chart.
    pub fn watched(map: BTreeMap<String, Value>, go_type: &'static str) -> Value {
        Value::from_object(Dict {
            map: Mutex::new(map),
            go_type: Some(go_type),
            watched: true,
            born: next_birth(),
        })
    }

    /// The entry under `key`, read without making a key value (the Go engine's field
    /// lookups).
    pub fn get(&self, key: &str) -> Option<Value> {
        self.entries().get(key).cloned()
    }

    /// What `f` makes of the entries (a read, as any other).
    pub fn with_entries<R>(&self, f: impl FnOnce(&BTreeMap<String, Value>) -> R) -> R {
        f(&self.entries())
    }

    /// Sets `key` to a watched map without counting a change: what is read from that
    /// map is counted instead, so a reader that never looks inside it prints the same
    /// whichever watched map the key holds (Helm sets `.Template` before each template).
    pub fn insert_watched(&self, key: &str, value: Value) {
        debug_assert!(
            value
                .downcast_object_ref::<Dict>()
                .is_some_and(|d| d.watched)
        );
        self.lock().insert(key.to_string(), value);
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Value>> {
        // A panic while the lock is held leaves a map that is still consistent.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entries, to read.
    fn entries(&self) -> MutexGuard<'_, BTreeMap<String, Value>> {
        if self.watched {
            watched_read();
        }
        self.lock()
    }

    /// The entries, to change in place: the change is noted (`old_map_changed`).
    fn entries_mut(&self) -> MutexGuard<'_, BTreeMap<String, Value>> {
        let mut changes = map_changes();
        if changes.born.len() >= MAP_CHANGES_KEPT {
            changes.first += changes.born.len() as u64;
            changes.born.clear();
        }
        changes.born.push(self.born);
        // Counted once noted, under the lock: a count read says its changes are listed.
        MAP_CHANGE_COUNT.fetch_add(1, Ordering::SeqCst);
        drop(changes);
        self.entries()
    }
}

impl Object for Dict {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.entries().get(key.as_str()?).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(
            self.entries()
                .keys()
                .map(|k| Value::from(k.as_str()))
                .collect(),
        )
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.entries().len())
    }
}

/// A Go struct (Helm's `Capabilities`, `KubeVersion`, `HelmVersion`): fields read like a
/// map's, but its type is its own and a missing field is an error, not no value.
#[derive(Debug)]
pub struct Struct {
    pub type_name: &'static str,
    pub fields: BTreeMap<&'static str, Value>,
}

impl Object for Struct {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.fields.get(key.as_str()?).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.fields.keys().map(|k| Value::from(*k)).collect())
    }
}

/// A new Go map holding `map`.
pub fn new_dict(map: BTreeMap<String, Value>) -> Value {
    Value::from_object(Dict {
        map: Mutex::new(map),
        go_type: None,
        watched: false,
        born: next_birth(),
    })
}

/// Sprig's `empty`: nil, false, 0, "" and empty collections are empty.
pub fn is_empty(v: &Value) -> bool {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => true,
        ValueKind::Bool => !v.is_true(),
        ValueKind::Number => !v.is_true(),
        ValueKind::String => v.as_str().is_some_and(str::is_empty),
        ValueKind::Bytes => v.as_bytes().is_some_and(<[u8]>::is_empty),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => v.len() == Some(0),
        _ => false,
    }
}

/// `default(fallback, value)`: the value unless it is empty.
pub fn default(args: &[Value]) -> Result<Value, Error> {
    let fallback = arg(args, 0, "default")?;
    match args.get(1) {
        Some(v) if !is_empty(v) => Ok(v.clone()),
        _ => Ok(fallback.clone()),
    }
}

pub fn empty(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "empty")?;
    Ok(Value::from(is_empty(&args[0])))
}

/// `coalesce(a, b, ...)`: the first non-empty argument.
pub fn coalesce(args: &[Value]) -> Result<Value, Error> {
    Ok(args
        .iter()
        .find(|v| !is_empty(v))
        .cloned()
        .unwrap_or(Value::from(())))
}

/// `ternary(if_true, if_false, condition)`.
pub fn ternary(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "ternary")?;
    Ok(if args[2].is_true() {
        args[0].clone()
    } else {
        args[1].clone()
    })
}

/// `list(a, b, ...)`.
pub fn list(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(args.to_vec()))
}

/// `dict("k1", v1, "k2", v2)`; a key without a value maps to "".
pub fn dict(args: &[Value]) -> Result<Value, Error> {
    let mut map = BTreeMap::new();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or(Value::from(""));
        map.insert(s(&pair[0]), value);
    }
    Ok(new_dict(map))
}

/// `hasKey(dict, "key")`.
pub fn has_key(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "hasKey")?;
    let key = s(&args[1]);
    Ok(Value::from(entries(&args[0]).contains_key(&key)))
}

/// `keys(dict, ...)`: the keys of every dict, sorted (Go leaves them unordered).
pub fn keys(args: &[Value]) -> Result<Value, Error> {
    let mut out: Vec<Value> = Vec::new();
    for d in args {
        out.extend(entries(d).into_keys().map(Value::from));
    }
    out.sort();
    Ok(Value::from(out))
}

/// `merge(dst, src...)`: deep merge where `dst`'s non-empty values win.
pub fn merge(args: &[Value]) -> Result<Value, Error> {
    merge_all(args, false, "merge")
}

/// `mergeOverwrite(dst, src...)`: deep merge where later non-empty values win.
pub fn merge_overwrite(args: &[Value]) -> Result<Value, Error> {
    merge_all(args, true, "mergeOverwrite")
}

fn merge_all(args: &[Value], overwrite: bool, func: &str) -> Result<Value, Error> {
    let dst = arg(args, 0, func)?;
    if dst.kind() != ValueKind::Map {
        return Err(func_error(format!(
            "{func}: the first argument must be a dict"
        )));
    }
    if let Some(dict) = dst.downcast_object_ref::<Dict>() {
        for src in &args[1..] {
            if src.kind() == ValueKind::Map {
                let src = entries(src);
                let mut acc = std::mem::take(&mut *dict.entries_mut());
                merge_into(&mut acc, src, overwrite);
                *dict.entries_mut() = acc;
            }
        }
        return Ok(dst.clone());
    }
    let mut acc = entries(dst);
    for src in &args[1..] {
        if src.kind() == ValueKind::Map {
            merge_into(&mut acc, entries(src), overwrite);
        }
    }
    Ok(Value::from(acc))
}

fn merge_into(dst: &mut BTreeMap<String, Value>, src: BTreeMap<String, Value>, overwrite: bool) {
    for (key, sv) in src {
        match dst.get(&key) {
            Some(dv) if dv.kind() == ValueKind::Map && sv.kind() == ValueKind::Map => {
                if let Some(dict) = dv.downcast_object_ref::<Dict>() {
                    // Go merges into the nested map itself, which others may hold.
                    let src = entries(&sv);
                    let mut inner = std::mem::take(&mut *dict.entries_mut());
                    merge_into(&mut inner, src, overwrite);
                    *dict.entries_mut() = inner;
                    continue;
                }
                let mut inner = entries(dv);
                merge_into(&mut inner, entries(&sv), overwrite);
                dst.insert(key, Value::from(inner));
            }
            Some(dv) if !is_empty(dv) => {
                if overwrite && !is_empty(&sv) {
                    dst.insert(key, sv);
                }
            }
            _ => {
                dst.insert(key, sv);
            }
        }
    }
}

/// A map value's entries with string keys.
pub fn entries(v: &Value) -> BTreeMap<String, Value> {
    if let Some(dict) = v.downcast_object_ref::<Dict>() {
        return dict.entries().clone();
    }
    let mut out = BTreeMap::new();
    if v.kind() != ValueKind::Map {
        return out;
    }
    if let Ok(iter) = v.try_iter() {
        for k in iter {
            let item = v.get_item(&k).unwrap_or_default();
            out.insert(s(&k), item);
        }
    }
    out
}

/// `get(dict, key)`: the value, or "" when absent.
pub fn get(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "get")?;
    Ok(entries(&args[0])
        .remove(&s(&args[1]))
        .unwrap_or(Value::from("")))
}

/// `set(dict, key, value)`: the dict with the key set.
pub fn set(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "set")?;
    if let Some(dict) = args[0].downcast_object_ref::<Dict>() {
        dict.entries_mut().insert(s(&args[1]), args[2].clone());
        return Ok(args[0].clone());
    }
    let mut m = entries(&args[0]);
    m.insert(s(&args[1]), args[2].clone());
    Ok(Value::from(m))
}

/// `unset(dict, key)`: the dict without the key.
pub fn unset(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "unset")?;
    if let Some(dict) = args[0].downcast_object_ref::<Dict>() {
        dict.entries_mut().remove(&s(&args[1]));
        return Ok(args[0].clone());
    }
    let mut m = entries(&args[0]);
    m.remove(&s(&args[1]));
    Ok(Value::from(m))
}

/// `pluck(key, dicts...)`: the key's value in each dict that has it.
pub fn pluck(args: &[Value]) -> Result<Value, Error> {
    let key = s(arg(args, 0, "pluck")?);
    Ok(Value::from(
        args[1..]
            .iter()
            .filter_map(|d| entries(d).remove(&key))
            .collect::<Vec<_>>(),
    ))
}

/// `pick(dict, keys...)`.
pub fn pick(args: &[Value]) -> Result<Value, Error> {
    let m = entries(arg(args, 0, "pick")?);
    let keep: Vec<String> = args[1..].iter().map(s).collect();
    Ok(Value::from(
        m.into_iter()
            .filter(|(k, _)| keep.contains(k))
            .collect::<BTreeMap<_, _>>(),
    ))
}

/// `omit(dict, keys...)`.
pub fn omit(args: &[Value]) -> Result<Value, Error> {
    let m = entries(arg(args, 0, "omit")?);
    let drop: Vec<String> = args[1..].iter().map(s).collect();
    Ok(Value::from(
        m.into_iter()
            .filter(|(k, _)| !drop.contains(k))
            .collect::<BTreeMap<_, _>>(),
    ))
}

/// `values(dict)`: the values, in key order (Go leaves them unordered).
pub fn values(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "values")?;
    Ok(Value::from(
        entries(&args[0]).into_values().collect::<Vec<_>>(),
    ))
}

/// `dig(keys..., default, dict)`: a nested lookup with a fallback.
pub fn dig(args: &[Value]) -> Result<Value, Error> {
    if args.len() < 3 {
        return Err(func_error(
            "dig: needs at least a key, a default and a dict",
        ));
    }
    let dict = &args[args.len() - 1];
    let fallback = &args[args.len() - 2];
    // Sprig asserts a plain map; Helm's own map type (a chart's `.Values`) is refused.
    if let Some(name) = dict.downcast_object_ref::<Dict>().and_then(Dict::go_type) {
        return Err(func_error(format!(
            "interface conversion: interface {{}} is {name}, not map[string]interface {{}}"
        )));
    }
    let mut cur = dict.clone();
    for key in &args[..args.len() - 2] {
        match entries(&cur).remove(&s(key)) {
            Some(v) => cur = v,
            None => return Ok(fallback.clone()),
        }
    }
    Ok(cur)
}

/// `deepCopy(value)`: a copy whose maps are new, so changing them leaves the original.
pub fn deep_copy(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "deepCopy")?;
    Ok(copy_deep(&args[0]))
}

fn copy_deep(v: &Value) -> Value {
    match v.kind() {
        ValueKind::Map => new_dict(
            entries(v)
                .into_iter()
                .map(|(k, item)| (k, copy_deep(&item)))
                .collect(),
        ),
        ValueKind::Seq => Value::from(
            v.try_iter()
                .map(|it| it.map(|item| copy_deep(&item)).collect::<Vec<_>>())
                .unwrap_or_default(),
        ),
        _ => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_treats_empty_values_as_missing() {
        for empty in [
            Value::from(""),
            Value::from(0),
            Value::from(false),
            Value::from(()),
            Value::from(Vec::<Value>::new()),
        ] {
            assert_eq!(
                default(&[Value::from("x"), empty]).unwrap(),
                Value::from("x")
            );
        }
        assert_eq!(
            default(&[Value::from("x"), Value::from("y")]).unwrap(),
            Value::from("y")
        );
        assert_eq!(default(&[Value::from("x")]).unwrap(), Value::from("x"));
    }

    #[test]
    fn merge_keeps_destination_and_overwrite_replaces() {
        let dst = dict(&[
            Value::from("a"),
            Value::from(1),
            Value::from("b"),
            Value::from(""),
        ])
        .unwrap();
        let src = dict(&[
            Value::from("a"),
            Value::from(2),
            Value::from("b"),
            Value::from("y"),
        ])
        .unwrap();
        let merged = merge(&[dst.clone(), src.clone()]).unwrap();
        assert_eq!(merged.get_attr("a").unwrap(), Value::from(1));
        assert_eq!(merged.get_attr("b").unwrap(), Value::from("y"));
        let over = merge_overwrite(&[dst, src]).unwrap();
        assert_eq!(over.get_attr("a").unwrap(), Value::from(2));
    }
}
