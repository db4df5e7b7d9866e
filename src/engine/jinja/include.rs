//! `include`, `tpl` and `call`: the functions that render other templates, which is
//! the engine's business (each engine provides its own; the Go engine shares one
//! template namespace across the tree as Helm does).
//!
//! Helpers are Jinja macros in a chart's `_*.tpl` files. `include("name")` calls the
//! macro `name` of the calling chart's helpers (or `include("chart.name")` one of
//! another chart's) with the caller's context, and returns its output as a string, so
//! it pipes into `nindent` like Helm's `include`.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use minijinja::value::{Enumerator, Object, ObjectRepr, Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};

use crate::engine::funcs::args::{arg, func_error, s};

thread_local! {
    /// How many `include` and `tpl` calls are running on this thread, one inside the
    /// other. Each is a nested minijinja render with a fresh `State`, so neither
    /// minijinja's recursion limit nor a value kept in the state sees a loop that goes
    /// through both (`include` → `tpl` → `include`); the render thread's own call depth
    /// is what must be bounded.
    static DEPTH: Cell<u64> = const { Cell::new(0) };
    /// The deepest `DEPTH` reached since an `include` started, to know how many levels
    /// its helper used (`memo`).
    static DEEPEST: crate::engine::Deepest = const { crate::engine::Deepest::new() };
}

thread_local! {
    /// The templates whose code runs on this thread, innermost last: the template being
    /// rendered, then the helpers file of each `include` inside it. A text that several
    /// charts hold (an umbrella's copies of one subchart) is compiled once and runs under
    /// the name of its first copy, so the state's own name cannot say which chart an
    /// `include` looks in, nor name a `tpl` text; this can.
    static RUNNING: RefCell<Vec<Arc<str>>> = const { RefCell::new(Vec::new()) };
}

/// A template running on this thread (see `RUNNING`), until dropped.
pub struct Running;

impl Running {
    /// Marks `name` as the running template.
    pub fn enter(name: Arc<str>) -> Running {
        RUNNING.with(|r| {
            let mut running = r.borrow_mut();
            if running.is_empty() {
                super::memo::start(None);
            }
            running.push(name)
        });
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.with(|r| r.borrow_mut().pop());
    }
}

/// The name of the template running on this thread, or the state's own when none is
/// marked (the function library exercised outside a chart render).
fn running(state: &State) -> Arc<str> {
    RUNNING
        .with(|r| r.borrow().last().cloned())
        .unwrap_or_else(|| Arc::from(state.name()))
}

/// One level of `include`/`tpl` nesting, given back when dropped.
struct Nested;

impl Nested {
    /// Enters one more level, or refuses past the include/tpl depth limit (Helm stops
    /// at 1000 nested references too).
    fn enter(func: &str, name: &str) -> Result<Nested, Error> {
        let depth = DEPTH.with(|d| d.get());
        let limit = crate::limits::INCLUDE_DEPTH;
        if depth >= limit.get() {
            return Err(func_error(limit.exceeded(format!(
                "{func} {name:?} nests include/tpl calls too deeply (a helper or a value probably includes itself)"
            ))));
        }
        DEPTH.with(|d| d.set(depth + 1));
        DEEPEST.with(|d| d.reach(depth + 1));
        Ok(Nested)
    }
}

impl Drop for Nested {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// The root objects a template sees, in name order; `include` without a context passes
/// these on.
pub const ROOT_NAMES: [&str; 7] = [
    "Capabilities",
    "Chart",
    "Files",
    "Release",
    "Subcharts",
    "Template",
    "Values",
];

/// The context a template or helper runs with (Helm's `.`): the root objects, each found
/// by comparing its name with seven. Every name a template reads and did not set is
/// looked up here, and every `include` builds one, where a map would order or compare
/// key values and allocate a node per entry.
#[derive(Debug)]
pub struct Root(pub [Option<Value>; 7]);

impl Root {
    /// The root objects as `get` finds them.
    pub fn of(get: impl FnMut(&str) -> Option<Value>) -> Value {
        Value::from_object(Root(ROOT_NAMES.map(get)))
    }
}

impl Object for Root {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        let at = ROOT_NAMES.iter().position(|n| *n == key)?;
        self.0[at].clone()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        if self.0.iter().all(Option::is_some) {
            return Enumerator::Str(&ROOT_NAMES);
        }
        let present = ROOT_NAMES.iter().zip(&self.0).filter(|(_, v)| v.is_some());
        Enumerator::Values(present.map(|(n, _)| Value::from(*n)).collect())
    }
}

/// A helpers file: its name, and the name its text is compiled under (the first file of
/// the tree with the same text).
#[derive(Debug, Clone)]
pub struct Helper {
    pub name: Arc<str>,
    pub compiled: Arc<str>,
}

/// Which helper template defines which macro, per chart.
#[derive(Debug, Default)]
pub struct Helpers {
    /// chart path prefix (`mychart`, `mychart/charts/redis`) → macro → helper template.
    pub by_chart: BTreeMap<String, BTreeMap<String, Helper>>,
    /// chart path prefixes with the chart's name, in tree order.
    pub charts: Vec<(String, String)>,
}

/// Filled once every template is compiled; read by `include` at render time.
pub type IncludeRegistry = Arc<OnceLock<Helpers>>;

/// The chart path prefix of a template name: `a/charts/b/templates/x.yaml` → `a/charts/b`.
pub fn chart_prefix(template: &str) -> &str {
    match template.rfind("/templates/") {
        Some(i) => &template[..i],
        None => template.split('/').next().unwrap_or(template),
    }
}

impl Helpers {
    fn resolve(&self, caller: &str, name: &str) -> Option<(&Helper, &str)> {
        let own = chart_prefix(caller);
        let find = |prefix: &str, mac: &str| -> Option<(&Helper, &str)> {
            let (m, t) = self.by_chart.get(prefix)?.get_key_value(mac)?;
            Some((t, m.as_str()))
        };
        if let Some((chart, mac)) = name.rsplit_once('.') {
            // Prefer the caller's own chart, then its subcharts, then any chart so named.
            let mut candidates: Vec<&(String, String)> =
                self.charts.iter().filter(|(_, n)| n == chart).collect();
            candidates.sort_by_key(|(p, _)| (p != own, !p.starts_with(own), p.len()));
            return candidates.into_iter().find_map(|(p, _)| find(p, mac));
        }
        find(own, name).or_else(|| self.charts.iter().find_map(|(p, _)| find(p, name)))
    }
}

/// Registers `include`, `tpl` and `call` in the environment.
pub fn register(env: &mut Environment<'static>, includes: IncludeRegistry) {
    env.add_function("include", move |state: &State, args: Rest<Value>| {
        include(state, &includes, &args)
    });
    env.add_function("tpl", tpl);
    env.add_function("call", |state: &State, args: Rest<Value>| {
        let f = arg(&args, 0, "call")?;
        let mut st = state.env().empty_state();
        f.call(&mut st, &args[1..])
    });
}

fn root_context(state: &State) -> Value {
    Root::of(|n| state.lookup(n))
}

fn include(state: &State, registry: &IncludeRegistry, args: &[Value]) -> Result<Value, Error> {
    let name = s(arg(args, 0, "include")?);
    let ctx = match args.get(1) {
        Some(v) if v.kind() == ValueKind::Map => v.clone(),
        Some(v) if v.is_none() || v.is_undefined() => root_context(state),
        Some(v) => {
            return Err(func_error(format!(
                "include {name:?}: the context must be a dict, got {}",
                v.kind()
            )));
        }
        None => root_context(state),
    };
    let depth = DEPTH.with(Cell::get);
    let _nested = Nested::enter("include", &name)?;
    let helpers = registry
        .get()
        .ok_or_else(|| func_error("include: helpers are not loaded yet"))?;
    let Some((helper, mac)) = helpers.resolve(&running(state), &name) else {
        return Err(Error::new(
            ErrorKind::UnknownFunction,
            format!(
                "include: no template {name:?} (no macro of that name in the chart's `_*.tpl` helpers)"
            ),
        ));
    };
    let own = ctx
        .downcast_object_ref::<Root>()
        .is_some_and(super::memo::is_own);
    let room = crate::limits::INCLUDE_DEPTH.get() - depth;
    if own && let Some(out) = super::memo::find(&helper.name, mac, room) {
        return Ok(out);
    }
    let changes = crate::engine::funcs::changes();
    let reads = crate::engine::funcs::watched_reads();
    let outer = DEEPEST.with(|d| d.start(depth + 1));
    let out = (|| {
        let tmpl = state.env().get_template(&helper.compiled)?;
        let _running = Running::enter(helper.name.clone());
        let mut captured = tmpl.render_captured(ctx)?;
        captured.with_state_mut(|st| st.call_macro(mac, &[]))
    })();
    let used = DEEPEST.with(|d| d.end(outer, depth));
    let out = Value::from(out?);
    if own {
        super::memo::keep(helper.name.clone(), mac, out.clone(), used, changes, reads);
    }
    Ok(out)
}

/// `tpl(text, ctx)`: renders a string as a template with the given (or the caller's) context.
fn tpl(state: &State, args: Rest<Value>) -> Result<Value, Error> {
    let text = s(arg(&args, 0, "tpl")?);
    let ctx = match args.get(1) {
        Some(v) if v.kind() == ValueKind::Map => v.clone(),
        _ => root_context(state),
    };
    let name = running(state);
    let _nested = Nested::enter("tpl", &name)?;
    let env = state.env();
    let tmpl = env.template_from_named_str(&name, &text)?;
    // Names the text reads must exist, as in a template file (the context's keys count).
    let keys: Vec<String> = ctx
        .try_iter()
        .map(|it| it.filter_map(|k| k.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let known = super::undefined::Known { env, extra: &keys };
    super::undefined::check(&name, &tmpl, &text, &known)
        .map_err(|e| func_error(format!("tpl: {}", e.message)))?;
    tmpl.render(ctx).map(Value::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_context_finds_each_object_by_name_and_lists_those_present() {
        let root = Root::of(|n| (n != "Files").then(|| Value::from(n.to_lowercase())));
        assert_eq!(root.kind(), ValueKind::Map);
        assert_eq!(root.get_attr("Values").unwrap(), Value::from("values"));
        assert_eq!(
            root.get_attr("Capabilities").unwrap(),
            Value::from("capabilities")
        );
        assert!(root.get_attr("Files").unwrap().is_undefined());
        assert!(root.get_attr("Value").unwrap().is_undefined());
        let keys: Vec<String> = root.try_iter().unwrap().map(|k| k.to_string()).collect();
        let want = [
            "Capabilities",
            "Chart",
            "Release",
            "Subcharts",
            "Template",
            "Values",
        ];
        assert_eq!(keys, want);
        assert_eq!(root.len(), Some(6));
    }
}
