//! What every function needs from its arguments: count checks, Go's conversions
//! (`strval`, `cast.ToInt`, `int64(f)`), the error shape, and the length checks that
//! come before any allocation.

use minijinja::value::{Value, ValueKind};
use minijinja::{Error, ErrorKind};

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
            .unwrap_or_else(|| f64::try_from(v.clone()).map(go_f64_to_i64).unwrap_or(0)),
        ValueKind::Bool => i64::from(v.is_true()),
        ValueKind::String => v.as_str().and_then(|s| s.trim().parse().ok()).unwrap_or(0),
        _ => 0,
    }
}

pub(crate) fn s(v: &Value) -> String {
    crate::gofmt::strval(v)
}

/// `s` without a copy when the value is a string already.
pub(crate) fn text(v: &Value) -> std::borrow::Cow<'_, str> {
    match v.as_str() {
        Some(text) => text.into(),
        None => crate::gofmt::strval(v).into(),
    }
}

/// `result`, the text of `original` or a part of it, as a value: `original` itself when
/// it is a string left whole (a clone of a string value shares it), else a new string.
pub(crate) fn same_or_new(original: &Value, result: &str) -> Value {
    match original.as_str() {
        Some(text) if text.len() == result.len() => original.clone(),
        _ => Value::from(result),
    }
}

pub(crate) fn func_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// Go's `int64(f)` on amd64: truncation toward zero, and the "integer indefinite"
/// `math.MinInt64` for NaN and anything out of range (`int 1e19` is -9223372036854775808
/// in Helm), where Rust's `as` would saturate.
pub(crate) fn go_f64_to_i64(f: f64) -> i64 {
    // -2^63 is exact as an f64; 2^63 is the first value out of range.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// The length of a string `func` is about to build, checked against
/// `limits::STRING_LENGTH` before anything is allocated. Callers compute `bytes` in
/// `u128`, where the product or sum of a few 64-bit numbers cannot overflow.
pub(crate) fn string_len(func: &str, bytes: u128) -> Result<usize, Error> {
    within(&crate::limits::STRING_LENGTH, bytes, || {
        format!("`{func}` would make a string of {bytes} bytes")
    })
}

/// The length of a list `func` is about to build, checked against `limits::LIST_LENGTH`.
pub(crate) fn list_len(func: &str, items: u128) -> Result<usize, Error> {
    within(&crate::limits::LIST_LENGTH, items, || {
        format!("`{func}` would make a list of {items} items")
    })
}

fn within(
    limit: &crate::limits::Limit,
    n: u128,
    what: impl Fn() -> String,
) -> Result<usize, Error> {
    limit
        .check(u64::try_from(n).unwrap_or(u64::MAX), &what)
        .map_err(func_error)?;
    // Only a 32-bit target with a raised limit gets here with a size it cannot address.
    usize::try_from(n).map_err(|_| func_error(limit.exceeded(what())))
}

/// Go's `strings.Repeat(text, count)` for `func`: Go's error for a negative count, and a
/// string longer than the limit refused before it is built.
pub(crate) fn repeat_str(func: &str, text: &str, count: i64) -> Result<String, Error> {
    if count == 0 {
        return Ok(String::new());
    }
    let Ok(count) = usize::try_from(count) else {
        return Err(func_error(format!(
            "{func}: strings: negative Repeat count"
        )));
    };
    string_len(func, text.len() as u128 * count as u128)?;
    Ok(text.repeat(count))
}
