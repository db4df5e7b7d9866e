//! String functions with Sprig's semantics (arguments in Helm's order).

use minijinja::Error;
use minijinja::value::Value;

use super::args::{exact, repeat_str, s, same_or_new, string_len, text, to_int};
use crate::engine::format::go_quote;

/// `indent(4, text)`: prefixes every line with spaces.
pub fn indent(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "indent")?;
    Ok(Value::from(indent_text(
        "indent",
        "",
        to_int(&args[0]),
        &text(&args[1]),
    )?))
}

/// `nindent(4, text)`: a newline, then `indent`.
pub fn nindent(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "nindent")?;
    Ok(Value::from(indent_text(
        "nindent",
        "\n",
        to_int(&args[0]),
        &text(&args[1]),
    )?))
}

/// Sprig's `pad + strings.Replace(text, "\n", "\n"+pad, -1)` after `lead`, where `pad`
/// is `strings.Repeat(" ", n)`: a negative `n` is Go's error, and the whole length is
/// checked before anything is built.
fn indent_text(func: &str, lead: &str, n: i64, text: &str) -> Result<String, Error> {
    let pad = u64::try_from(n).unwrap_or(0);
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() as u128 + 1;
    let size = string_len(
        func,
        (lead.len() + text.len()) as u128 + lines * u128::from(pad),
    )?;
    let pad = repeat_str(func, " ", n)?;
    // Built once at its final size.
    let mut out = String::with_capacity(size);
    out.push_str(lead);
    out.push_str(&pad);
    let mut start = 0;
    for newline in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push_str(&text[start..=newline]);
        out.push_str(&pad);
        start = newline + 1;
    }
    out.push_str(&text[start..]);
    Ok(out)
}

/// `quote(a, b)`: each non-nil argument Go-quoted, joined by spaces.
pub fn quote(args: &[Value]) -> Result<Value, Error> {
    let mut parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_none() && !v.is_undefined())
        .map(|v| go_quote(&text(v)))
        .collect();
    if parts.len() == 1 {
        return Ok(Value::from(parts.swap_remove(0)));
    }
    Ok(Value::from(parts.join(" ")))
}

/// `squote(a)`: each non-nil argument in single quotes.
pub fn squote(args: &[Value]) -> Result<Value, Error> {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_none() && !v.is_undefined())
        .map(|v| format!("'{}'", s(v)))
        .collect();
    Ok(Value::from(parts.join(" ")))
}

/// `trunc(n, text)`: the first n bytes, or the last -n bytes when n is negative.
pub fn trunc(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "trunc")?;
    let n = to_int(&args[0]);
    let text = text(&args[1]);
    let bytes = text.as_bytes();
    let len = bytes.len() as i64;
    let cut = if n < 0 && len + n > 0 {
        &bytes[(len + n) as usize..]
    } else if n >= 0 && len > n {
        &bytes[..n as usize]
    } else {
        return Ok(same_or_new(&args[1], &text));
    };
    Ok(Value::from(String::from_utf8_lossy(cut).into_owned()))
}

/// `trimSuffix("-", text)`.
pub fn trim_suffix(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "trimSuffix")?;
    let (suffix, whole) = (text(&args[0]), text(&args[1]));
    Ok(same_or_new(
        &args[1],
        whole.strip_suffix(&*suffix).unwrap_or(&whole),
    ))
}

/// `trimPrefix("-", text)`.
pub fn trim_prefix(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "trimPrefix")?;
    let (prefix, whole) = (text(&args[0]), text(&args[1]));
    Ok(same_or_new(
        &args[1],
        whole.strip_prefix(&*prefix).unwrap_or(&whole),
    ))
}

/// `trim(text)`: surrounding white space removed.
pub fn trim(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "trim")?;
    Ok(Value::from(s(&args[0]).trim()))
}

pub fn upper(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "upper")?;
    Ok(Value::from(
        s(&args[0])
            .chars()
            .map(super::text::upper1)
            .collect::<String>(),
    ))
}

pub fn lower(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "lower")?;
    Ok(Value::from(
        s(&args[0])
            .chars()
            .map(super::text::lower1)
            .collect::<String>(),
    ))
}

/// `title(text)`: Go's `strings.Title`, the first letter of each word upper-cased.
pub fn title(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "title")?;
    let mut prev_sep = true;
    let out: String = s(&args[0])
        .chars()
        .flat_map(|c| {
            let upper = prev_sep;
            prev_sep = !(c.is_alphanumeric() || c == '_');
            if upper {
                vec![super::text::upper1(c)]
            } else {
                vec![c]
            }
        })
        .collect();
    Ok(Value::from(out))
}

/// `replace(old, new, text)`.
pub fn replace(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "replace")?;
    let (old, new, whole) = (text(&args[0]), text(&args[1]), text(&args[2]));
    // An empty `old` matches around every character, as in Go.
    let n = whole.matches(&*old).count() as u128;
    if n == 0 {
        return Ok(same_or_new(&args[2], &whole));
    }
    string_len(
        "replace",
        whole.len() as u128 + n * new.len() as u128 - n * old.len() as u128,
    )?;
    Ok(Value::from(whole.replace(&*old, &new)))
}

/// `contains(needle, haystack)`.
pub fn contains(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "contains")?;
    Ok(Value::from(text(&args[1]).contains(&*text(&args[0]))))
}

pub fn has_prefix(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "hasPrefix")?;
    Ok(Value::from(s(&args[1]).starts_with(&s(&args[0]))))
}

pub fn has_suffix(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "hasSuffix")?;
    Ok(Value::from(s(&args[1]).ends_with(&s(&args[0]))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: fn(&[Value]) -> Result<Value, Error>, args: &[Value]) -> String {
        f(args).unwrap().to_string()
    }

    #[test]
    fn sprig_string_semantics() {
        assert_eq!(
            call(trunc, &[Value::from(-3), Value::from("abcdef")]),
            "def"
        );
        assert_eq!(call(trunc, &[Value::from(63), Value::from("abc")]), "abc");
        assert_eq!(
            call(indent, &[Value::from(2), Value::from("a\nb")]),
            "  a\n  b"
        );
        assert_eq!(call(nindent, &[Value::from(2), Value::from("a")]), "\n  a");
        assert_eq!(
            call(quote, &[Value::from("a\"b"), Value::from(())]),
            "\"a\\\"b\""
        );
        assert_eq!(
            call(title, &[Value::from("hello wide-world")]),
            "Hello Wide-World"
        );
        assert_eq!(
            call(trim_suffix, &[Value::from("-"), Value::from("a-")]),
            "a"
        );
    }
}
