//! List functions with Sprig's semantics. Values are immutable here, so the functions
//! that mutate in Go (`append`, `set`, ...) return the new collection; templates use the
//! returned value, as Helm charts do.

use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::args::{arg, exact, func_error, go_f64_to_i64, list_len, string_len, to_int};
use super::collections::is_empty;

/// The items of a list value, or an error naming the function.
pub fn items(v: &Value, func: &str) -> Result<Vec<Value>, Error> {
    match v.kind() {
        ValueKind::Seq | ValueKind::Iterable => Ok(v.try_iter()?.collect()),
        ValueKind::None | ValueKind::Undefined => Ok(Vec::new()),
        _ => Err(func_error(format!(
            "{func}: cannot use type {} as a list",
            super::reflect::type_name(v)
        ))),
    }
}

fn list_arg(args: &[Value], i: usize, func: &str) -> Result<Vec<Value>, Error> {
    items(arg(args, i, func)?, func)
}

/// `append(list, value)` (also `push`).
pub fn append(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "append")?;
    let mut l = list_arg(args, 0, "append")?;
    l.push(args[1].clone());
    Ok(Value::from(l))
}

/// `prepend(list, value)`.
pub fn prepend(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "prepend")?;
    let mut l = list_arg(args, 0, "prepend")?;
    l.insert(0, args[1].clone());
    Ok(Value::from(l))
}

pub fn first(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "first")?;
    Ok(list_arg(args, 0, "first")?
        .into_iter()
        .next()
        .unwrap_or(Value::from(())))
}

pub fn last(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "last")?;
    Ok(list_arg(args, 0, "last")?.pop().unwrap_or(Value::from(())))
}

/// `rest(list)`: all but the first.
pub fn rest(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "rest")?;
    let l = list_arg(args, 0, "rest")?;
    Ok(Value::from(l.into_iter().skip(1).collect::<Vec<_>>()))
}

/// `initial(list)`: all but the last.
pub fn initial(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "initial")?;
    let mut l = list_arg(args, 0, "initial")?;
    l.pop();
    Ok(Value::from(l))
}

pub fn reverse(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "reverse")?;
    let mut l = list_arg(args, 0, "reverse")?;
    l.reverse();
    Ok(Value::from(l))
}

/// `uniq(list)`: first occurrences, in order.
pub fn uniq(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "uniq")?;
    let mut out: Vec<Value> = Vec::new();
    for v in list_arg(args, 0, "uniq")? {
        if !out.iter().any(|o| super::reflect::deep_equal(o, &v)) {
            out.push(v);
        }
    }
    Ok(Value::from(out))
}

/// `without(list, items...)`.
pub fn without(args: &[Value]) -> Result<Value, Error> {
    let l = list_arg(args, 0, "without")?;
    let drop = &args[1..];
    Ok(Value::from(
        l.into_iter()
            .filter(|v| !drop.iter().any(|d| super::reflect::deep_equal(d, v)))
            .collect::<Vec<_>>(),
    ))
}

/// `has(needle, list)`.
pub fn has(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "has")?;
    let l = list_arg(args, 1, "has")?;
    Ok(Value::from(
        l.iter().any(|v| super::reflect::deep_equal(v, &args[0])),
    ))
}

/// `compact(list)`: empty items removed.
pub fn compact(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "compact")?;
    Ok(Value::from(
        list_arg(args, 0, "compact")?
            .into_iter()
            .filter(|v| !is_empty(v))
            .collect::<Vec<_>>(),
    ))
}

/// `slice(list, start?, end?)`.
pub fn slice(args: &[Value]) -> Result<Value, Error> {
    let list = arg(args, 0, "slice")?;
    match list.kind() {
        ValueKind::Seq => {}
        ValueKind::None | ValueKind::Undefined => {
            return Err(func_error(
                "runtime error: invalid memory address or nil pointer dereference",
            ));
        }
        _ => {
            let kind = match list.kind() {
                ValueKind::Map => "map",
                ValueKind::Number if list.is_integer() => "int",
                ValueKind::Number => "float64",
                ValueKind::Bool => "bool",
                _ => "string",
            };
            return Err(func_error(format!(
                "list should be type of slice or array but {kind}"
            )));
        }
    }
    let l = list_arg(args, 0, "slice")?;
    let len = l.len() as i64;
    let start = args.get(1).map(to_int).unwrap_or(0);
    let end = args.get(2).map(to_int).unwrap_or(len);
    if start < 0 || end > len || start > end {
        return Err(func_error("reflect.Value.Slice: slice index out of bounds"));
    }
    Ok(Value::from(l[start as usize..end as usize].to_vec()))
}

/// `concat(lists...)`.
pub fn concat(args: &[Value]) -> Result<Value, Error> {
    let mut out = Vec::new();
    for (i, _) in args.iter().enumerate() {
        out.extend(list_arg(args, i, "concat")?);
    }
    Ok(Value::from(out))
}

/// `chunk(size, list)`, with Sprig's float arithmetic for the number and size of the
/// chunks, so a size of 0 (or a negative one that makes a chunk of negative length)
/// fails as in Helm.
pub fn chunk(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "chunk")?;
    let size = to_int(&args[0]);
    let l = list_arg(args, 1, "chunk")?;
    let len = l.len() as i64;
    let makeslice = || func_error("chunk: runtime error: makeslice: len out of range");
    let (len_f, size_f) = (len as f64, size as f64);
    let count = go_f64_to_i64(((len_f - 1.0) / size_f).floor() + 1.0);
    let count = list_len("chunk", u128::try_from(count).map_err(|_| makeslice())?)?;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let mut clen = size;
        if i + 1 == count {
            clen = go_f64_to_i64((len_f % size_f).floor());
            if clen == 0 {
                clen = size;
            }
        }
        let clen = usize::try_from(clen).map_err(|_| makeslice())?;
        let out_of_range = || func_error("chunk: reflect: slice index out of range");
        let from = usize::try_from((i as i64).saturating_mul(size)).map_err(|_| out_of_range())?;
        let items = l
            .get(from..from.saturating_add(clen))
            .ok_or_else(out_of_range)?;
        out.push(Value::from(items.to_vec()));
    }
    Ok(Value::from(out))
}

/// `until(n)`: 0..n (counting down for a negative n).
pub fn until(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "until")?;
    let n = to_int(&args[0]);
    let step = if n < 0 { -1 } else { 1 };
    range_list("until", 0, n, step)
}

/// `untilStep(start, stop, step)`.
pub fn until_step(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "untilStep")?;
    let (start, stop, step) = (to_int(&args[0]), to_int(&args[1]), to_int(&args[2]));
    range_list("untilStep", start, stop, step)
}

fn range_list(func: &str, start: i64, stop: i64, step: i64) -> Result<Value, Error> {
    let n = go_range_len(func, start, stop, step)?;
    Ok(Value::from(
        go_range(start, step, n)
            .map(super::go_int)
            .collect::<Vec<_>>(),
    ))
}

/// The first `n` items of Sprig's loop from `start` by `step`, wrapping as Go's int.
fn go_range(start: i64, step: i64, n: usize) -> impl Iterator<Item = i64> {
    std::iter::successors(Some(start), move |i| Some(i.wrapping_add(step))).take(n)
}

/// How many items Sprig's `untilStep` makes, checked against `LIST_LENGTH` before any
/// is made. Go runs `for i := start; i < stop; i += step` (`>` for a negative step) on
/// an int that wraps: while no step wraps the count is a division; a step that wraps
/// lands at the other end of int64 and Go goes on from there, so those items are
/// counted one by one, as far as the limit.
fn go_range_len(func: &str, start: i64, stop: i64, step: i64) -> Result<usize, Error> {
    let up = stop >= start;
    if (up && step <= 0) || (!up && step >= 0) {
        return Ok(0);
    }
    let stride = i128::from(step);
    let span = i128::from(stop) - i128::from(start);
    // Items start + k*step, k < n, lie on start's side of stop (span and step share a sign).
    let n = (span.abs() + stride.abs() - 1) / stride.abs();
    let after = i128::from(start) + n * stride;
    if n == 0 || i64::try_from(after).is_ok() {
        return list_len(func, n as u128);
    }
    let limit = u128::from(crate::limits::LIST_LENGTH.get());
    let inside = |i: i64| if up { i < stop } else { i > stop };
    // `after` does not fit: its low 64 bits are where Go's wrapped int lands.
    let (mut count, mut i) = (n as u128, after as i64);
    while inside(i) {
        count += 1;
        if count > limit {
            return Err(func_error(crate::limits::LIST_LENGTH.exceeded(format!(
                "`{func}` would make a list of more than {limit} items (its step wraps \
                 around int64, as Go's does)"
            ))));
        }
        i = i.wrapping_add(step);
    }
    list_len(func, count)
}

/// `seq(...)`: like Unix `seq`, as a space-separated string (`seq 3` is "1 2 3"), with
/// Sprig's arithmetic: the end moves one past itself, wrapping as Go's int does.
pub fn seq(args: &[Value]) -> Result<Value, Error> {
    let p: Vec<i64> = args.iter().map(to_int).collect();
    let towards = |start: i64, end: i64| if end < start { -1 } else { 1 };
    let (start, stop, step) = match p[..] {
        [end] => (1, end.wrapping_add(towards(1, end)), towards(1, end)),
        [start, end] => (
            start,
            end.wrapping_add(towards(start, end)),
            towards(start, end),
        ),
        [start, step, end] => {
            let inc = towards(start, end);
            if step != 0 && step.signum() != inc {
                return Ok(Value::from(""));
            }
            (start, end.wrapping_add(inc), step)
        }
        _ => return Ok(Value::from("")),
    };
    let n = go_range_len("seq", start, stop, step)?;
    let digits = |i: i64| {
        i.unsigned_abs()
            .checked_ilog10()
            .map_or(1, |d| d as u128 + 1)
            + u128::from(i < 0)
    };
    let len: u128 = go_range(start, step, n).map(|i| digits(i) + 1).sum();
    let mut out = String::with_capacity(string_len("seq", len.saturating_sub(1))?);
    for (k, i) in go_range(start, step, n).enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(&i.to_string());
    }
    Ok(Value::from(out))
}

/// `len(x)`: bytes of a string, items of a list or dict.
pub fn len(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "len")?;
    let v = &args[0];
    match v.kind() {
        ValueKind::None | ValueKind::Undefined => Err(func_error("len of nil pointer")),
        _ if v.downcast_object_ref::<crate::gofmt::RawText>().is_some() => {
            Ok(super::go_int(crate::gofmt::bytes_of(v).len() as i64))
        }
        ValueKind::String => Ok(super::go_int(crate::gofmt::bytes_of(v).len() as i64)),
        _ => v
            .len()
            .map(|n| super::go_int(n as i64))
            .ok_or_else(|| func_error(format!("len of type {}", super::reflect::type_name(v)))),
    }
}

/// `index(collection, keys...)`: Go's index builtin, with Go's messages: lists and
/// strings take integer positions (a string's is a byte), maps take string keys (a
/// missing one is nil), and nothing can be indexed through nil.
pub fn index(args: &[Value]) -> Result<Value, Error> {
    let mut cur = arg(args, 0, "index")?.clone();
    if cur.is_none() || cur.is_undefined() {
        return Err(func_error("index of untyped nil"));
    }
    for key in &args[1..] {
        cur = match cur.kind() {
            ValueKind::None | ValueKind::Undefined => {
                return Err(func_error("index of nil pointer"));
            }
            ValueKind::Map => {
                if key.kind() != ValueKind::String {
                    return Err(func_error(match key.kind() {
                        ValueKind::None | ValueKind::Undefined => {
                            "value is nil; should be of type string".to_string()
                        }
                        _ => format!(
                            "value has type {}; should be string",
                            super::reflect::type_name(key)
                        ),
                    }));
                }
                let zero = if cur
                    .downcast_object_ref::<crate::gofmt::StringMap>()
                    .is_some()
                {
                    Value::from("")
                } else {
                    Value::from(())
                };
                cur.get_item(key)
                    .ok()
                    .filter(|v| !v.is_undefined())
                    .unwrap_or(zero)
            }
            ValueKind::Seq | ValueKind::String | ValueKind::Bytes => {
                let i = match key.kind() {
                    ValueKind::Number if key.is_integer() => key.as_i64().unwrap_or(i64::MAX),
                    ValueKind::None | ValueKind::Undefined => {
                        return Err(func_error("cannot index slice/array with nil"));
                    }
                    _ => {
                        return Err(func_error(format!(
                            "cannot index slice/array with type {}",
                            super::reflect::type_name(key)
                        )));
                    }
                };
                let is_text = cur.kind() != ValueKind::Seq;
                let len = if is_text {
                    crate::gofmt::bytes_of(&cur).len()
                } else {
                    cur.len().unwrap_or(0)
                } as i64;
                if i < 0 || i > len {
                    return Err(func_error(format!("index out of range: {i}")));
                }
                if i == len {
                    return Err(func_error(if is_text {
                        "reflect: string index out of range"
                    } else {
                        "reflect: slice index out of range"
                    }));
                }
                if is_text {
                    // A Go string's element is a byte.
                    super::go_byte(crate::gofmt::bytes_of(&cur)[i as usize])
                } else {
                    cur.get_item_by_index(i as usize)?
                }
            }
            _ => {
                return Err(func_error(format!(
                    "can't index item of type {}",
                    super::reflect::type_name(&cur)
                )));
            }
        };
    }
    Ok(cur)
}
