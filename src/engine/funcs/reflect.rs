//! Types, equality and comparison, named as Go names them.

use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::args::{exact, func_error, s};
use super::collections::is_empty;

/// Go's type name of a value as `typeOf` prints it. Integers are `int64` (as `--set`
/// gives them), other numbers `float64`.
pub fn type_name(v: &Value) -> &'static str {
    match v.kind() {
        ValueKind::String => "string",
        ValueKind::Bool => "bool",
        ValueKind::Number if v.is_integer() => "int64",
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
    match v.kind() {
        ValueKind::String => "string",
        ValueKind::Bool => "bool",
        ValueKind::Number if v.is_integer() => "int64",
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
    match (a.kind(), b.kind()) {
        (ValueKind::Map, ValueKind::Map) => {
            let (x, y) = (
                super::collections::entries(a),
                super::collections::entries(b),
            );
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (ValueKind::Seq, ValueKind::Seq) => {
            let x: Vec<Value> = a.try_iter().map(|i| i.collect()).unwrap_or_default();
            let y: Vec<Value> = b.try_iter().map(|i| i.collect()).unwrap_or_default();
            x.len() == y.len() && x.iter().zip(&y).all(|(v, w)| deep_equal(v, w))
        }
        (ValueKind::None | ValueKind::Undefined, ValueKind::None | ValueKind::Undefined) => true,
        _ => a == b,
    }
}

pub fn deep_equal_fn(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "deepEqual")?;
    Ok(Value::from(deep_equal(&args[0], &args[1])))
}

/// `eq(a, b, c...)`: a equals any of the others.
pub fn eq(args: &[Value]) -> Result<Value, Error> {
    if args.len() < 2 {
        return Err(func_error("eq: missing argument for comparison"));
    }
    Ok(Value::from(
        args[1..].iter().any(|b| deep_equal(&args[0], b)),
    ))
}

pub fn ne(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "ne")?;
    Ok(Value::from(!deep_equal(&args[0], &args[1])))
}

fn order(args: &[Value], func: &str) -> Result<std::cmp::Ordering, Error> {
    exact(args, 2, func)?;
    let (a, b) = (&args[0], &args[1]);
    let comparable = matches!(
        (a.kind(), b.kind()),
        (ValueKind::Number, ValueKind::Number) | (ValueKind::String, ValueKind::String)
    );
    if !comparable {
        return Err(func_error(format!(
            "{func}: incompatible types for comparison"
        )));
    }
    a.partial_cmp(b)
        .ok_or_else(|| func_error(format!("{func}: incomparable values")))
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
