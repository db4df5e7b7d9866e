//! String functions with Sprig's semantics (arguments in Helm's order).

use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::{arg, exact, repeat_str, s, string_len, to_int};
use crate::render::format::{go_float, go_quote, go_string};

/// `indent(4, text)`: prefixes every line with spaces.
pub fn indent(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "indent")?;
    Ok(Value::from(indent_text(
        "indent",
        "",
        to_int(&args[0]),
        &s(&args[1]),
    )?))
}

/// `nindent(4, text)`: a newline, then `indent`.
pub fn nindent(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "nindent")?;
    Ok(Value::from(indent_text(
        "nindent",
        "\n",
        to_int(&args[0]),
        &s(&args[1]),
    )?))
}

/// Sprig's `pad + strings.Replace(text, "\n", "\n"+pad, -1)` after `lead`, where `pad`
/// is `strings.Repeat(" ", n)`: a negative `n` is Go's error, and the whole length is
/// checked before anything is built.
fn indent_text(func: &str, lead: &str, n: i64, text: &str) -> Result<String, Error> {
    let pad = u64::try_from(n).unwrap_or(0);
    let lines = text.bytes().filter(|b| *b == b'\n').count() as u128 + 1;
    string_len(
        func,
        (lead.len() + text.len()) as u128 + lines * u128::from(pad),
    )?;
    let pad = repeat_str(func, " ", n)?;
    let mut out = String::from(lead);
    out.push_str(&pad);
    out.push_str(&text.replace('\n', &format!("\n{pad}")));
    Ok(out)
}

/// `quote(a, b)`: each non-nil argument Go-quoted, joined by spaces.
pub fn quote(args: &[Value]) -> Result<Value, Error> {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_none() && !v.is_undefined())
        .map(|v| go_quote(&s(v)))
        .collect();
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
    let text = s(&args[1]);
    let bytes = text.as_bytes();
    let len = bytes.len() as i64;
    let cut = if n < 0 && len + n > 0 {
        &bytes[(len + n) as usize..]
    } else if n >= 0 && len > n {
        &bytes[..n as usize]
    } else {
        bytes
    };
    Ok(Value::from(String::from_utf8_lossy(cut).into_owned()))
}

/// `trimSuffix("-", text)`.
pub fn trim_suffix(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "trimSuffix")?;
    let (suffix, text) = (s(&args[0]), s(&args[1]));
    Ok(Value::from(
        text.strip_suffix(suffix.as_str()).unwrap_or(&text),
    ))
}

/// `trimPrefix("-", text)`.
pub fn trim_prefix(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "trimPrefix")?;
    let (prefix, text) = (s(&args[0]), s(&args[1]));
    Ok(Value::from(
        text.strip_prefix(prefix.as_str()).unwrap_or(&text),
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
    Ok(Value::from(s(&args[2]).replace(&s(&args[0]), &s(&args[1]))))
}

/// `contains(needle, haystack)`.
pub fn contains(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "contains")?;
    Ok(Value::from(s(&args[1]).contains(&s(&args[0]))))
}

pub fn has_prefix(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "hasPrefix")?;
    Ok(Value::from(s(&args[1]).starts_with(&s(&args[0]))))
}

pub fn has_suffix(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "hasSuffix")?;
    Ok(Value::from(s(&args[1]).ends_with(&s(&args[0]))))
}

/// `printf(format, args...)`: Go's `fmt.Sprintf`.
pub fn printf(args: &[Value]) -> Result<Value, Error> {
    let format = s(arg(args, 0, "printf")?);
    Ok(Value::from(sprintf(&format, &args[1..])))
}

/// Go's `fmt.Sprintf` for the verbs charts use: `%s %v %d %q %t %f %e %g %x %X %o %b
/// %c %%` with flags, width and precision; Go's `%!verb(MISSING)` markers on misuse.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::new();
    let mut next = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut flags = String::new();
        while i < chars.len() && "+-# 0".contains(chars[i]) {
            flags.push(chars[i]);
            i += 1;
        }
        let mut width = None;
        let mut w = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            w.push(chars[i]);
            i += 1;
        }
        if !w.is_empty() {
            width = w.parse::<usize>().ok();
        }
        let mut precision = None;
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let mut p = String::new();
            while i < chars.len() && chars[i].is_ascii_digit() {
                p.push(chars[i]);
                i += 1;
            }
            precision = Some(p.parse::<usize>().unwrap_or(0));
        }
        let Some(&verb) = chars.get(i) else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += 1;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(value) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let body = format_verb(verb, value, precision, &flags);
        out.push_str(&pad(body, width, &flags));
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|v| format!("{}={}", go_type(v), go_string(v)))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn go_type(v: &Value) -> &'static str {
    match v.kind() {
        ValueKind::String => "string",
        ValueKind::Bool => "bool",
        ValueKind::Number if v.is_integer() => "int",
        ValueKind::Number => "float64",
        ValueKind::Map => "map[string]interface {}",
        ValueKind::Seq => "[]interface {}",
        ValueKind::None | ValueKind::Undefined => "<nil>",
        _ => "interface {}",
    }
}

fn pad(body: String, width: Option<usize>, flags: &str) -> String {
    let Some(width) = width else { return body };
    let len = body.chars().count();
    if len >= width {
        return body;
    }
    let fill = width - len;
    if flags.contains('-') {
        format!("{body}{}", " ".repeat(fill))
    } else if flags.contains('0')
        && body
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
    {
        let (sign, digits) = match body.strip_prefix(['-', '+']) {
            Some(rest) => (&body[..1], rest),
            None => ("", body.as_str()),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

fn bad(verb: char, v: &Value) -> String {
    format!("%!{verb}({}={})", go_type(v), go_string(v))
}

fn format_verb(verb: char, v: &Value, precision: Option<usize>, flags: &str) -> String {
    let is_int = v.kind() == ValueKind::Number && v.is_integer();
    let as_f64 = || f64::try_from(v.clone()).ok();
    let sign = |s: String, nonneg: bool| {
        if nonneg && flags.contains('+') {
            format!("+{s}")
        } else {
            s
        }
    };
    match verb {
        'v' => {
            if v.is_none() || v.is_undefined() {
                "<nil>".into()
            } else {
                go_string(v)
            }
        }
        's' => match v.kind() {
            ValueKind::String | ValueKind::Map | ValueKind::Seq => {
                let text = go_string(v);
                match precision {
                    Some(p) => text.chars().take(p).collect(),
                    None => text,
                }
            }
            ValueKind::None | ValueKind::Undefined => "%!s(<nil>)".into(),
            _ => bad('s', v),
        },
        'q' => match v.kind() {
            ValueKind::String => go_quote(v.as_str().unwrap_or_default()),
            _ if is_int => {
                let c = char::from_u32(v.as_i64().unwrap_or(0) as u32).unwrap_or('\u{fffd}');
                format!("'{c}'")
            }
            _ => bad('q', v),
        },
        'd' if is_int => {
            let n = v.as_i64().unwrap_or(0);
            sign(n.to_string(), n >= 0)
        }
        'x' | 'X' | 'o' | 'b' if is_int => {
            let n = v.as_i64().unwrap_or(0);
            let (neg, m) = (n < 0, n.unsigned_abs());
            let digits = match verb {
                'x' => format!("{m:x}"),
                'X' => format!("{m:X}"),
                'o' => format!("{m:o}"),
                _ => format!("{m:b}"),
            };
            if neg { format!("-{digits}") } else { digits }
        }
        'x' | 'X' if v.kind() == ValueKind::String => {
            let hex: String = v
                .as_str()
                .unwrap_or_default()
                .bytes()
                .map(|b| format!("{b:02x}"))
                .collect();
            if verb == 'X' { hex.to_uppercase() } else { hex }
        }
        'c' if is_int => char::from_u32(v.as_i64().unwrap_or(0) as u32)
            .map(String::from)
            .unwrap_or_default(),
        't' if v.kind() == ValueKind::Bool => v.is_true().to_string(),
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' if v.kind() == ValueKind::Number => {
            let f = as_f64().unwrap_or(0.0);
            let body = match verb {
                'f' | 'F' => format!("{:.*}", precision.unwrap_or(6), f),
                'e' | 'E' => {
                    let s = go_exp(f, precision.unwrap_or(6));
                    if verb == 'E' { s.to_uppercase() } else { s }
                }
                _ => match precision {
                    None => go_float(f),
                    Some(p) => format_g(f, p),
                },
            };
            sign(body, f >= 0.0)
        }
        _ => bad(verb, v),
    }
}

/// `%e` with Go's two-digit exponent (`1.500000e+07`).
fn go_exp(f: f64, precision: usize) -> String {
    let s = format!("{:.*e}", precision, f);
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    format!(
        "{mantissa}e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

fn format_g(f: f64, precision: usize) -> String {
    let p = precision.max(1);
    if f == 0.0 {
        return "0".into();
    }
    let exp = f.abs().log10().floor() as i32;
    if exp < -4 || exp >= p as i32 {
        let s = go_exp(f, p - 1);
        let (m, e) = s.split_once('e').unwrap_or((&s, ""));
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        format!("{m}e{e}")
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let s = format!("{:.*}", decimals, f);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
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

    #[test]
    fn printf_follows_go_fmt() {
        let rows: &[(&str, &str, Vec<Value>, &str)] = &[
            (
                "strings",
                "%s-%s",
                vec![Value::from("a"), Value::from("b")],
                "a-b",
            ),
            ("int", "%d", vec![Value::from(42)], "42"),
            (
                "width",
                "%5d|%-3s|",
                vec![Value::from(7), Value::from("x")],
                "    7|x  |",
            ),
            ("zero_pad", "%03d", vec![Value::from(7)], "007"),
            ("float", "%.2f", vec![Value::from(1.23456)], "1.23"),
            ("quote", "%q", vec![Value::from("a")], "\"a\""),
            ("missing", "%s %s", vec![Value::from("a")], "a %!s(MISSING)"),
            ("wrong_type", "%d", vec![Value::from("a")], "%!d(string=a)"),
            ("percent", "100%%", vec![], "100%"),
            ("v_float", "%v", vec![Value::from(1e6)], "1e+06"),
        ];
        for (name, format, args, want) in rows {
            assert_eq!(sprintf(format, args), *want, "{name}");
        }
    }
}
