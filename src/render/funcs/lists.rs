//! List functions with Sprig's semantics. Values are immutable here, so the functions
//! that mutate in Go (`append`, `set`, ...) return the new collection; templates use the
//! returned value, as Helm charts do.

use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::collections::is_empty;
use super::{arg, exact, func_error, to_int};

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
    let l = list_arg(args, 0, "slice")?;
    let len = l.len() as i64;
    let start = args.get(1).map(to_int).unwrap_or(0);
    let end = args.get(2).map(to_int).unwrap_or(len);
    if start < 0 || end > len || start > end {
        return Err(func_error(format!(
            "slice: index out of range [{start}:{end}] with length {len}"
        )));
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

/// `chunk(size, list)`.
pub fn chunk(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "chunk")?;
    let size = to_int(&args[0]).max(1) as usize;
    let l = list_arg(args, 1, "chunk")?;
    Ok(Value::from(
        l.chunks(size)
            .map(|c| Value::from(c.to_vec()))
            .collect::<Vec<_>>(),
    ))
}

/// `until(n)`: 0..n (counting down for a negative n).
pub fn until(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "until")?;
    let n = to_int(&args[0]);
    let step = if n < 0 { -1 } else { 1 };
    Ok(range(0, n, step))
}

/// `untilStep(start, stop, step)`.
pub fn until_step(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "untilStep")?;
    Ok(range(to_int(&args[0]), to_int(&args[1]), to_int(&args[2])))
}

fn range(start: i64, stop: i64, step: i64) -> Value {
    let mut out = Vec::new();
    if step == 0 {
        return Value::from(out);
    }
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(Value::from(i));
        i += step;
        if out.len() > 1_000_000 {
            break;
        }
    }
    Value::from(out)
}

/// `seq(...)`: like Unix `seq`, as a space-separated string (`seq 3` is "1 2 3").
pub fn seq(args: &[Value]) -> Result<Value, Error> {
    let (start, step, end) = match args.len() {
        0 => return Ok(Value::from("")),
        1 => (1, 1, to_int(&args[0])),
        2 => {
            let (s, e) = (to_int(&args[0]), to_int(&args[1]));
            (s, if e < s { -1 } else { 1 }, e)
        }
        _ => (to_int(&args[0]), to_int(&args[1]), to_int(&args[2])),
    };
    let end_inclusive = if step > 0 { end + 1 } else { end - 1 };
    let items = range(start, end_inclusive, step);
    let parts: Vec<String> = items.try_iter()?.map(|v| v.to_string()).collect();
    Ok(Value::from(parts.join(" ")))
}

/// `len(x)`: bytes of a string, items of a list or dict.
pub fn len(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "len")?;
    let v = &args[0];
    match v.kind() {
        ValueKind::String => Ok(Value::from(v.as_str().unwrap_or_default().len())),
        _ => v
            .len()
            .map(Value::from)
            .ok_or_else(|| func_error(format!("len of type {}", super::reflect::type_name(v)))),
    }
}

/// `index(collection, keys...)`: Go's index builtin.
pub fn index(args: &[Value]) -> Result<Value, Error> {
    let mut cur = arg(args, 0, "index")?.clone();
    for key in &args[1..] {
        cur = match cur.kind() {
            ValueKind::Map => cur
                .get_item(key)
                .ok()
                .filter(|v| !v.is_undefined())
                .unwrap_or(Value::from(())),
            ValueKind::Seq | ValueKind::String => {
                let i = to_int(key);
                let len = cur.len().unwrap_or(0) as i64;
                if i < 0 || i >= len {
                    return Err(func_error(format!("index: index out of range: {i}")));
                }
                cur.get_item_by_index(i as usize)?
            }
            ValueKind::None | ValueKind::Undefined => Value::from(()),
            _ => {
                return Err(func_error(format!(
                    "index: can't index item of type {}",
                    super::reflect::type_name(&cur)
                )));
            }
        };
    }
    Ok(cur)
}
