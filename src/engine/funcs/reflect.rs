//! Types, equality and comparison, named as Go names them.

use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::args::{exact, func_error, s};
use super::collections::is_empty;

/// Go's type name of a value as `typeOf` prints it. Integers are `int64` (as `--set`
/// gives them), other numbers `float64`.
pub fn type_name(v: &Value) -> &'static str {
    if let Some(s) = v.downcast_object_ref::<super::Struct>() {
        return s.type_name;
    }
    if v.downcast_object_ref::<crate::gofmt::RawText>().is_some() {
        return "string";
    }
    // Helm's own types, as the Go dialect shows them.
    if v.downcast_object_ref::<crate::engine::objects::ApiVersionsValue>()
        .is_some()
    {
        return "common.VersionSet";
    }
    if v.downcast_object_ref::<crate::engine::objects::FilesValue>()
        .is_some()
    {
        return "engine.files";
    }
    if v.downcast_object_ref::<super::dates::GoTime>().is_some() {
        return "time.Time";
    }
    if v.downcast_object_ref::<crate::gofmt::StringMap>().is_some() {
        return "map[string]string";
    }
    if v.downcast_object_ref::<super::Complex>().is_some() {
        return "complex128";
    }
    if let Some(name) = v
        .downcast_object_ref::<super::Dict>()
        .and_then(super::Dict::go_type)
    {
        return name;
    }
    match v.kind() {
        ValueKind::String => "string",
        ValueKind::Bool => "bool",
        ValueKind::Number if v.is_integer() => super::go_int_type(v).map_or("int64", |t| t.name()),
        ValueKind::Number => "float64",
        ValueKind::Map => "map[string]interface {}",
        ValueKind::Seq | ValueKind::Iterable => "[]interface {}",
        ValueKind::Bytes => "[]uint8",
        ValueKind::None | ValueKind::Undefined => "<nil>",
        _ => "interface {}",
    }
}

/// Go's reflect kind of a value as `kindOf` prints it.
pub fn kind_name(v: &Value) -> &'static str {
    if v.downcast_object_ref::<crate::gofmt::RawText>().is_some() {
        return "string";
    }
    if v.downcast_object_ref::<super::Complex>().is_some() {
        return "complex128";
    }
    if let Some(s) = v.downcast_object_ref::<super::Struct>() {
        return if s.type_name.starts_with('*') {
            "ptr"
        } else {
            "struct"
        };
    }
    match v.kind() {
        ValueKind::String => "string",
        ValueKind::Bool => "bool",
        ValueKind::Number if v.is_integer() => super::go_int_type(v).map_or("int64", |t| t.name()),
        ValueKind::Number => "float64",
        ValueKind::Map => "map",
        ValueKind::Seq | ValueKind::Iterable | ValueKind::Bytes => "slice",
        ValueKind::None | ValueKind::Undefined => "invalid",
        _ => "struct",
    }
}

pub fn type_of(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "typeOf")?;
    Ok(Value::from(type_name(&args[0])))
}

pub fn type_is(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "typeIs")?;
    Ok(Value::from(s(&args[0]) == type_name(&args[1])))
}

/// `typeIsLike(type, value)`: the type, or a pointer to it.
pub fn type_is_like(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "typeIsLike")?;
    let t = s(&args[0]);
    let name = type_name(&args[1]);
    Ok(Value::from(t == name || t == format!("*{name}")))
}

pub fn kind_of(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "kindOf")?;
    Ok(Value::from(kind_name(&args[0])))
}

pub fn kind_is(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "kindIs")?;
    Ok(Value::from(s(&args[0]) == kind_name(&args[1])))
}

/// Structural equality: numbers by value, maps by entries, lists by items.
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    structural_equal(a, b, false)
}

pub fn deep_equal_fn(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "deepEqual")?;
    Ok(Value::from(structural_equal(&args[0], &args[1], true)))
}

/// Maps by entries, lists by items; with `typed` numbers and maps must also have one type,
/// as in Go's `reflect.DeepEqual` (`1` and `1.0` differ, so do an `int` and an `int64`).
fn structural_equal(a: &Value, b: &Value, typed: bool) -> bool {
    match (a.kind(), b.kind()) {
        (ValueKind::Number, ValueKind::Number) if typed => type_name(a) == type_name(b) && a == b,
        // Go's DeepEqual tells map types apart, and a nil map from an empty one.
        (ValueKind::Map, ValueKind::Map)
            if typed
                && (type_name(a) != type_name(b)
                    || crate::gofmt::is_nil_map(a) != crate::gofmt::is_nil_map(b)) =>
        {
            false
        }
        (ValueKind::Map, ValueKind::Map) => {
            let (x, y) = (
                super::collections::entries(a),
                super::collections::entries(b),
            );
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| structural_equal(v, w, typed)))
        }
        (ValueKind::Seq, ValueKind::Seq) => {
            let x: Vec<Value> = a.try_iter().map(|i| i.collect()).unwrap_or_default();
            let y: Vec<Value> = b.try_iter().map(|i| i.collect()).unwrap_or_default();
            x.len() == y.len() && x.iter().zip(&y).all(|(v, w)| structural_equal(v, w, typed))
        }
        (ValueKind::None | ValueKind::Undefined, ValueKind::None | ValueKind::Undefined) => true,
        _ => a == b,
    }
}

/// The kinds Go's comparison functions tell apart (`basicKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basic {
    Bool,
    Int,
    Float,
    String,
    /// No value (nil).
    Invalid,
    /// Maps, lists and the rest: comparable only as nil.
    Other,
}

fn basic(v: &Value) -> Basic {
    match v.kind() {
        ValueKind::Bool => Basic::Bool,
        ValueKind::Number if v.is_integer() => Basic::Int,
        ValueKind::Number => Basic::Float,
        ValueKind::String => Basic::String,
        ValueKind::None | ValueKind::Undefined => Basic::Invalid,
        _ if v.downcast_object_ref::<crate::gofmt::RawText>().is_some() => Basic::String,
        _ => Basic::Other,
    }
}

/// Go's type name in comparison messages.
fn cmp_type(v: &Value) -> &'static str {
    type_name(v)
}

fn as_f64(v: &Value) -> f64 {
    f64::try_from(v.clone()).unwrap_or(0.0)
}

fn as_i128(v: &Value) -> i128 {
    i128::try_from(v.clone()).unwrap_or(0)
}

/// Go's `eq arg1 arg2`: same basic kinds compare by value; different kinds are an error
/// unless one side is nil; maps and lists cannot be compared.
fn go_equal(a: &Value, b: &Value) -> Result<bool, Error> {
    let (ka, kb) = (basic(a), basic(b));
    if ka != kb {
        if ka != Basic::Invalid && kb != Basic::Invalid {
            return Err(func_error(format!(
                "incompatible types for comparison: {} and {}",
                cmp_type(a),
                cmp_type(b)
            )));
        }
        return Ok(false);
    }
    Ok(match ka {
        Basic::Bool => a.is_true() == b.is_true(),
        Basic::Int => as_i128(a) == as_i128(b),
        Basic::Float => as_f64(a) == as_f64(b),
        Basic::String => crate::gofmt::bytes_of(a) == crate::gofmt::bytes_of(b),
        Basic::Invalid => true,
        Basic::Other => {
            let shown = super::printf::sprintf("%s", std::slice::from_ref(b)).unwrap_or_default();
            return Err(func_error(format!(
                "non-comparable type {shown}: {}",
                type_name(b)
            )));
        }
    })
}

/// `eq(a, b, c...)`: a equals any of the others (Go's `eq`).
pub fn eq(args: &[Value]) -> Result<Value, Error> {
    if args.len() < 2 {
        return Err(func_error("missing argument for comparison"));
    }
    for b in &args[1..] {
        if go_equal(&args[0], b)? {
            return Ok(Value::from(true));
        }
    }
    Ok(Value::from(false))
}

pub fn ne(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "ne")?;
    Ok(Value::from(!go_equal(&args[0], &args[1])?))
}

/// Go's `lt` and friends: numbers of one kind or strings; anything else is an error.
fn order(args: &[Value], func: &str) -> Result<std::cmp::Ordering, Error> {
    exact(args, 2, func)?;
    let (a, b) = (&args[0], &args[1]);
    let (ka, kb) = (basic(a), basic(b));
    let valid = |k: Basic| matches!(k, Basic::Int | Basic::Float | Basic::String);
    if !valid(ka) || !valid(kb) {
        return Err(func_error("invalid type for comparison"));
    }
    if ka != kb {
        return Err(func_error(format!(
            "incompatible types for comparison: {} and {}",
            cmp_type(a),
            cmp_type(b)
        )));
    }
    Ok(match ka {
        Basic::Int => as_i128(a).cmp(&as_i128(b)),
        Basic::Float => as_f64(a)
            .partial_cmp(&as_f64(b))
            .unwrap_or(std::cmp::Ordering::Greater),
        _ => crate::gofmt::bytes_of(a).cmp(&crate::gofmt::bytes_of(b)),
    })
}

pub fn lt(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(order(args, "lt")?.is_lt()))
}

pub fn le(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(order(args, "le")?.is_le()))
}

pub fn gt(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(order(args, "gt")?.is_gt()))
}

pub fn ge(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(order(args, "ge")?.is_ge()))
}

/// `and(a, b, ...)`: the first empty argument, or the last. (In Jinja write `a and b`.)
pub fn and(args: &[Value]) -> Result<Value, Error> {
    Ok(args
        .iter()
        .find(|v| is_empty(v))
        .or(args.last())
        .cloned()
        .unwrap_or(Value::from(())))
}

/// `or(a, b, ...)`: the first non-empty argument, or the last. (In Jinja write `a or b`.)
pub fn or(args: &[Value]) -> Result<Value, Error> {
    Ok(args
        .iter()
        .find(|v| !is_empty(v))
        .or(args.last())
        .cloned()
        .unwrap_or(Value::from(())))
}

/// `not(a)`. (In Jinja write `not a`.)
pub fn not(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "not")?;
    Ok(Value::from(is_empty(&args[0])))
}

/// `all(a, b, ...)`: every argument non-empty.
pub fn all(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(args.iter().all(|v| !is_empty(v))))
}

/// `any(a, b, ...)`: some argument non-empty.
pub fn any(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(args.iter().any(|v| !is_empty(v))))
}
