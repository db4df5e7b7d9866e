//! Helm's function library, registered once for every chart.
//!
//! Each function is written once, over template values, taking Helm's arguments in
//! Helm's order. `register` makes it callable both ways: as a function
//! (`default("x", Values.a)`) and as a filter that pipes the value in as Helm's **last**
//! argument, exactly as a Go pipeline does (`Values.a | default("x")`).

mod collections;
mod encoding;
pub mod flow;
mod strings;

use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind};

pub use flow::{IncludeRegistry, MAX_INCLUDE_DEPTH};

type Func = fn(&[Value]) -> Result<Value, Error>;

/// The registration list: name, implementation. Keep sorted by name within a group.
const PURE: &[(&str, Func)] = &[
    // strings
    ("contains", strings::contains),
    ("hasPrefix", strings::has_prefix),
    ("hasSuffix", strings::has_suffix),
    ("indent", strings::indent),
    ("lower", strings::lower),
    ("nindent", strings::nindent),
    ("printf", strings::printf),
    ("quote", strings::quote),
    ("replace", strings::replace),
    ("squote", strings::squote),
    ("title", strings::title),
    ("trim", strings::trim),
    ("trimPrefix", strings::trim_prefix),
    ("trimSuffix", strings::trim_suffix),
    ("trunc", strings::trunc),
    ("upper", strings::upper),
    // collections and defaults
    ("coalesce", collections::coalesce),
    ("default", collections::default),
    ("dict", collections::dict),
    ("empty", collections::empty),
    ("hasKey", collections::has_key),
    ("keys", collections::keys),
    ("list", collections::list),
    ("merge", collections::merge),
    ("mergeOverwrite", collections::merge_overwrite),
    ("ternary", collections::ternary),
    // encoding
    ("b64dec", encoding::b64dec),
    ("b64enc", encoding::b64enc),
    ("fromJson", encoding::from_json),
    ("fromYaml", encoding::from_yaml),
    ("sha256sum", encoding::sha256sum),
    ("toJson", encoding::to_json),
    ("toYaml", encoding::to_yaml),
    // flow
    ("fail", flow::fail),
    ("lookup", flow::lookup),
    ("required", flow::required),
    ("semverCompare", flow::semver_compare),
];

/// Registers every function, as a function and as a filter.
pub fn register(env: &mut Environment<'static>, includes: IncludeRegistry) {
    for &(name, f) in PURE {
        env.add_function(name, move |args: Rest<Value>| f(&args));
        env.add_filter(name, move |value: Value, args: Rest<Value>| {
            let mut all = args.0;
            all.push(value);
            f(&all)
        });
    }
    flow::register_stateful(env, includes);
}

/// The names of every registered function, for documentation and tests.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = PURE.iter().map(|(n, _)| *n).collect();
    names.extend(flow::STATEFUL);
    names.sort_unstable();
    names
}

pub(crate) fn arg<'a>(args: &'a [Value], i: usize, func: &str) -> Result<&'a Value, Error> {
    args.get(i).ok_or_else(|| {
        Error::new(
            ErrorKind::MissingArgument,
            format!("{func}: missing argument {}", i + 1),
        )
    })
}

pub(crate) fn exact(args: &[Value], n: usize, func: &str) -> Result<(), Error> {
    if args.len() == n {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("{func}: wrong number of args: want {n}, got {}", args.len()),
        ))
    }
}

/// Go's `cast.ToInt`-style conversion used by Sprig for counts and widths.
pub(crate) fn to_int(v: &Value) -> i64 {
    match v.kind() {
        ValueKind::Number => v
            .as_i64()
            .unwrap_or_else(|| f64::try_from(v.clone()).map(|f| f as i64).unwrap_or(0)),
        ValueKind::Bool => i64::from(v.is_true()),
        ValueKind::String => v.as_str().and_then(|s| s.trim().parse().ok()).unwrap_or(0),
        _ => 0,
    }
}

pub(crate) fn s(v: &Value) -> String {
    super::format::strval(v)
}

pub(crate) fn func_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}
