//! `printf`: Go's `fmt.Sprintf`, down to its refusals.
//!
//! Go reads a width or precision of more than seven digits as no verb at all
//! (`%!(NOVERB)`), one taken from an argument (`%*d`) over a million as `%!(BADWIDTH)`,
//! and prints a float with any precision it accepts exactly (`%.65536f` of 1.5 is 65536
//! digits). Rust's formatter refuses precisions over 65535, so the exact digits come
//! from Rust up to where every f64's expansion ends and the rest are the zeros they are.
//! The string made is held to `limits::STRING_LENGTH`.

use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::args::{arg, s, string_len};
use super::reflect::type_name;
use crate::engine::format::{go_float, go_quote, go_string};

/// `printf(format, args...)`: Go's `fmt.Sprintf`.
pub fn printf(args: &[Value]) -> Result<Value, Error> {
    let format = s(arg(args, 0, "printf")?);
    Ok(Value::from(sprintf(&format, &args[1..])?))
}

/// `printf` where every integer has its Go type, as in the Go engine: an `int64` (a
/// `--set` integer, Sprig's arithmetic) takes no float verb either. The Jinja dialect's
/// integers may stand for Helm's float64s, so `printf` lets them take float verbs.
pub fn printf_typed(args: &[Value]) -> Result<Value, Error> {
    let format = s(arg(args, 0, "printf")?);
    Ok(Value::from(format_args_as(&format, &args[1..], true)?))
}

/// Go's `fmt` refuses a width or precision above this (`tooLarge`).
const MAX_WIDTH: i64 = 1_000_000;

/// An f64's exact decimal expansion has at most 1074 digits after the point and 767
/// significant digits; asking Rust for more only adds zeros, which are appended here.
const EXACT_FRACTION_DIGITS: usize = 1100;
const EXACT_SIGNIFICANT_DIGITS: usize = 800;

/// The flags, width and precision of one verb.
#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    /// ` `: a space where a plus sign would go.
    space: bool,
    /// `#`: Go's alternate forms (`%#v` Go syntax, `%#q` backquotes).
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
    /// Every integer is a Go integer of its own type (`printf_typed`).
    typed: bool,
}

/// Go's `parsenum`: the number at `chars[i..]`, or `None` with the whole rest of the
/// format consumed when it grows past `MAX_WIDTH` before its last digit.
fn parse_num(chars: &[char], mut i: usize) -> (Option<usize>, usize) {
    let mut num: i64 = 0;
    let mut any = false;
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        if num > MAX_WIDTH {
            return (None, chars.len());
        }
        num = num * 10 + i64::from(d);
        any = true;
        i += 1;
    }
    (any.then_some(num as usize), i)
}

/// Go's `intFromArg`: an integer argument for `*` no larger than `MAX_WIDTH` either way.
fn int_from_arg(args: &[Value], next: &mut usize) -> Option<i64> {
    let v = args.get(*next)?;
    *next += 1;
    let n = (v.kind() == ValueKind::Number && v.is_integer())
        .then(|| v.as_i64())
        .flatten()?;
    (-MAX_WIDTH..=MAX_WIDTH).contains(&n).then_some(n)
}

/// Go's `fmt.Sprintf` for the verbs charts use: `%s %v %d %q %t %f %e %g %x %X %o %b
/// %c %%` with flags, width and precision (also from arguments, `%*.*f`); Go's
/// `%!verb(MISSING)`, `%!(EXTRA ...)`, `%!(NOVERB)` and `%!(BADWIDTH)` markers on misuse.
pub fn sprintf(format: &str, args: &[Value]) -> Result<String, Error> {
    format_args_as(format, args, false)
}

/// `sprintf`, with every integer typed (`typed`) or integers allowed to be floats.
fn format_args_as(format: &str, args: &[Value], typed: bool) -> Result<String, Error> {
    if let Some(out) = plain_strings(format, args) {
        string_len("printf", out.len() as u128)?;
        return Ok(out);
    }
    format_fully(format, args, typed)
}

/// `format_args_as` for any format.
fn format_fully(format: &str, args: &[Value], typed: bool) -> Result<String, Error> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::new();
    let mut next = 0;
    let mut i = 0;
    // An explicit argument index (`%[2]s`) turns off the complaint about extra arguments.
    let mut reordered = false;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut spec = Spec {
            typed,
            ..Spec::default()
        };
        while let Some(&c) = chars.get(i) {
            match c {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '0' => spec.zero = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                _ => break,
            }
            i += 1;
        }
        let mut bad_index = false;
        if chars.get(i) == Some(&'[') {
            reordered = true;
            match chars[i..].iter().position(|&c| c == ']') {
                Some(close) => {
                    let digits: String = chars[i + 1..i + close].iter().collect();
                    match digits.parse::<usize>() {
                        Ok(n) if n >= 1 && n <= args.len() => next = n - 1,
                        _ => bad_index = true,
                    }
                    i += close + 1;
                }
                None => bad_index = true,
            }
        }
        if chars.get(i) == Some(&'*') {
            i += 1;
            match int_from_arg(args, &mut next) {
                Some(w) => {
                    spec.width = Some(w.unsigned_abs() as usize);
                    spec.minus |= w < 0;
                }
                None => out.push_str("%!(BADWIDTH)"),
            }
        } else {
            (spec.width, i) = parse_num(&chars, i);
        }
        // A '.' with nothing after it is the verb, not a precision.
        if i + 1 < chars.len() && chars[i] == '.' {
            i += 1;
            if chars.get(i) == Some(&'*') {
                i += 1;
                match int_from_arg(args, &mut next) {
                    Some(p) if p >= 0 => spec.precision = Some(p as usize),
                    _ => out.push_str("%!(BADPREC)"),
                }
            } else {
                let (p, j) = parse_num(&chars, i);
                (spec.precision, i) = (Some(p.unwrap_or(0)), j);
            }
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
        if bad_index {
            out.push_str(&format!("%!{verb}(BADINDEX)"));
            continue;
        }
        let Some(value) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        // Go formats a list or map element by element with the verb.
        if matches!(value.kind(), ValueKind::Seq | ValueKind::Map)
            && !matches!(verb, 'v' | 's' | 'T' | 'p')
        {
            out.push_str(&elementwise(verb, value, &spec));
            continue;
        }
        let body = match format_verb(verb, value, &spec) {
            Ok(body) => body,
            Err(bad) => BadVerb::text(bad, value, &spec),
        };
        let fill = spec.width.unwrap_or(0).saturating_sub(body.chars().count());
        string_len("printf", (out.len() + body.len() + fill) as u128)?;
        out.push_str(&pad(body, fill, &spec));
    }
    if !reordered && next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|v| {
                let type_name = if typed {
                    super::reflect::type_name(v)
                } else {
                    go_type(v)
                };
                format!("{type_name}={}", go_string(v))
            })
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    string_len("printf", out.len() as u128)?;
    Ok(out)
}

/// The format as most charts write it (`"%s-%s"`): text and plain `%s` verbs, one for
/// each argument, every argument a string. Such a format is each string in its place;
/// anything else (`None`) goes through the full reading of the format.
fn plain_strings(format: &str, args: &[Value]) -> Option<String> {
    let mut out = String::with_capacity(format.len() + args.len() * 16);
    let mut args = args.iter();
    let mut rest = format;
    while let Some(at) = memchr::memchr(b'%', rest.as_bytes()) {
        if rest.as_bytes().get(at + 1) != Some(&b's') {
            return None;
        }
        out.push_str(&rest[..at]);
        out.push_str(args.next()?.as_str()?);
        rest = &rest[at + 2..];
    }
    if args.next().is_some() {
        return None;
    }
    out.push_str(rest);
    Some(out)
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

/// `body` widened by `fill` spaces (or zeros after the sign, for numbers with `0`).
fn pad(body: String, fill: usize, spec: &Spec) -> String {
    if fill == 0 {
        return body;
    }
    if spec.minus {
        format!("{body}{}", " ".repeat(fill))
    } else if spec.zero
        && body
            .trim_start_matches(['-', '+'])
            .starts_with(|c: char| c.is_ascii_digit())
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

/// A verb that does not fit its argument: Go prints `%!verb(type=value)`, the value
/// padded to the width inside the marker.
struct BadVerb(char);

impl BadVerb {
    fn text(self, v: &Value, spec: &Spec) -> String {
        let verb = self.0;
        if v.is_none() || v.is_undefined() {
            return format!("%!{verb}(<nil>)");
        }
        let value = go_string(v);
        let fill = spec
            .width
            .unwrap_or(0)
            .saturating_sub(value.chars().count());
        let type_name = if spec.typed {
            super::reflect::type_name(v)
        } else {
            go_type(v)
        };
        format!("%!{verb}({type_name}={})", pad(value, fill, spec))
    }
}

/// A list (`[a b]`) or map (`map[k:v]`) with `verb` applied to each element (and key).
fn elementwise(verb: char, v: &Value, spec: &Spec) -> String {
    let one = |item: &Value| -> String {
        // `%s` shows a struct's fields (`s_verb`), not its entries.
        let shown_whole = verb == 's'
            && item
                .downcast_object_ref::<crate::gofmt::Stringer>()
                .is_some();
        if matches!(item.kind(), ValueKind::Seq | ValueKind::Map) && !shown_whole {
            return elementwise(verb, item, spec);
        }
        let body = match format_verb(verb, item, spec) {
            Ok(body) => body,
            Err(bad) => BadVerb::text(bad, item, spec),
        };
        let fill = spec.width.unwrap_or(0).saturating_sub(body.chars().count());
        pad(body, fill, spec)
    };
    match v.kind() {
        ValueKind::Map => {
            let items: Vec<String> = crate::gofmt::sorted_map(v)
                .iter()
                .map(|(k, item)| format!("{}:{}", one(&Value::from(k.as_str())), one(item)))
                .collect();
            format!("map[{}]", items.join(" "))
        }
        _ => {
            let items: Vec<String> = v
                .try_iter()
                .map(|it| it.map(|item| one(&item)).collect())
                .unwrap_or_default();
            format!("[{}]", items.join(" "))
        }
    }
}

/// Go's `%s` of a value, element by element inside lists and maps.
fn s_verb(v: &Value) -> String {
    if let Some(s) = v.downcast_object_ref::<crate::gofmt::Stringer>() {
        return s.shown.clone();
    }
    match v.kind() {
        ValueKind::String => v.as_str().unwrap_or_default().to_string(),
        ValueKind::Seq | ValueKind::Map => elementwise('s', v, &Spec::default()),
        ValueKind::None | ValueKind::Undefined => "%!s(<nil>)".into(),
        _ => format!("%!s({}={})", go_type(v), go_string(v)),
    }
}

/// Go's `%#v`: the value as Go syntax (`"s"`, `[]interface {}{"x"}`,
/// `map[string]interface {}{"a":1}`).
fn go_syntax(v: &Value) -> String {
    match v.kind() {
        ValueKind::String => go_quote(v.as_str().unwrap_or_default()),
        ValueKind::None | ValueKind::Undefined => "<nil>".into(),
        ValueKind::Seq => {
            let items: Vec<String> = v
                .try_iter()
                .map(|it| it.map(|item| go_syntax(&item)).collect())
                .unwrap_or_default();
            format!("[]interface {{}}{{{}}}", items.join(", "))
        }
        ValueKind::Map if crate::gofmt::is_nil_map(v) => format!("{}(nil)", type_name(v)),
        ValueKind::Map => {
            let items: Vec<String> = crate::gofmt::sorted_map(v)
                .iter()
                .map(|(k, item)| format!("{}:{}", go_quote(k), go_syntax(item)))
                .collect();
            format!("{}{{{}}}", type_name(v), items.join(", "))
        }
        ValueKind::Number if !v.is_integer() => go_float(f64::try_from(v.clone()).unwrap_or(0.0)),
        _ => go_string(v),
    }
}

/// Go's `%x` of a float64 (shortest form): `0x1.8p+00`, `-0x1p-02`, `0x0p+00`.
fn hex_float(f: f64) -> String {
    if !f.is_finite() {
        return go_float(f);
    }
    let neg = f.is_sign_negative();
    let bits = f.abs().to_bits();
    let (mut exp, mut mant) = (((bits >> 52) & 0x7ff) as i64, bits & ((1u64 << 52) - 1));
    let body = if exp == 0 && mant == 0 {
        "0x0p+00".to_string()
    } else {
        if exp == 0 {
            // Subnormal: normalise so the leading 1 is implicit again.
            exp = 1;
            while mant & (1u64 << 52) == 0 {
                mant <<= 1;
                exp -= 1;
            }
            mant &= (1u64 << 52) - 1;
        }
        let e = exp - 1023;
        let digits = format!("{mant:013x}");
        let digits = digits.trim_end_matches('0');
        let frac = if digits.is_empty() {
            String::new()
        } else {
            format!(".{digits}")
        };
        let sign = if e < 0 { '-' } else { '+' };
        format!("0x1{frac}p{sign}{:02}", e.abs())
    };
    if neg { format!("-{body}") } else { body }
}

/// Go's `%c` of an integer: the rune, or U+FFFD where there is none.
fn rune(n: i64) -> char {
    u32::try_from(n)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{fffd}')
}

fn format_verb(verb: char, v: &Value, spec: &Spec) -> Result<String, BadVerb> {
    let is_int = v.kind() == ValueKind::Number && v.is_integer();
    let sign = |s: String, nonneg: bool| {
        if nonneg && spec.plus {
            format!("+{s}")
        } else if nonneg && spec.space {
            format!(" {s}")
        } else {
            s
        }
    };
    Ok(match verb {
        'T' => match v.kind() {
            ValueKind::None | ValueKind::Undefined => "<nil>".into(),
            _ => super::type_name(v).into(),
        },
        'v' if spec.sharp => go_syntax(v),
        'v' => {
            if v.is_none() || v.is_undefined() {
                "<nil>".into()
            } else {
                go_string(v)
            }
        }
        's' => match v.kind() {
            // Go prints bytes (and a string that is not UTF-8) with `%s` as their text.
            _ if v.kind() == ValueKind::Bytes
                || v.downcast_object_ref::<crate::gofmt::RawText>().is_some() =>
            {
                String::from_utf8_lossy(&crate::gofmt::bytes_of(v)).into_owned()
            }
            ValueKind::String | ValueKind::Map | ValueKind::Seq => {
                // Go applies `%s` to each element: `[a %!s(float64=1)]`.
                let text = s_verb(v);
                match spec.precision {
                    Some(p) => text.chars().take(p).collect(),
                    None => text,
                }
            }
            _ => return Err(BadVerb('s')),
        },
        'q' => match v.kind() {
            // `%#q` backquotes a string that can be backquoted.
            ValueKind::String
                if spec.sharp
                    && v.as_str().is_some_and(|t| {
                        !t.contains('`') && !t.chars().any(|c| c.is_control() && c != '\t')
                    }) =>
            {
                format!("`{}`", v.as_str().unwrap_or_default())
            }
            ValueKind::String => go_quote(v.as_str().unwrap_or_default()),
            _ if is_int => format!("'{}'", rune(v.as_i64().unwrap_or(0))),
            _ => return Err(BadVerb('q')),
        },
        'd' if is_int => {
            let n = v.as_i64().unwrap_or(0);
            sign(n.to_string(), n >= 0)
        }
        'x' | 'X' | 'o' | 'O' | 'b' if is_int => {
            let n = v.as_i64().unwrap_or(0);
            let (neg, m) = (n < 0, n.unsigned_abs());
            let digits = match verb {
                'x' => format!("{m:x}"),
                'X' => format!("{m:X}"),
                'o' => format!("{m:o}"),
                'O' => format!("0o{m:o}"),
                _ => format!("{m:b}"),
            };
            if neg { format!("-{digits}") } else { digits }
        }
        'U' if is_int => {
            let n = v.as_i64().unwrap_or(0);
            if n < 0 {
                format!("U+{:04X}", n as u64)
            } else {
                format!("U+{n:04X}")
            }
        }
        // Go's fmt takes a template's `int` for no float verb.
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' if super::is_go_int(v) || (spec.typed && is_int) => {
            return Err(BadVerb(verb));
        }
        'x' | 'X' if v.kind() == ValueKind::Number && !v.is_integer() => {
            let f = f64::try_from(v.clone()).unwrap_or(0.0);
            let s = sign(hex_float(f), f >= 0.0 || f.is_nan());
            if verb == 'X' { s.to_uppercase() } else { s }
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
        'c' if is_int => rune(v.as_i64().unwrap_or(0)).to_string(),
        't' if v.kind() == ValueKind::Bool => v.is_true().to_string(),
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' if v.kind() == ValueKind::Number => {
            let f = f64::try_from(v.clone()).unwrap_or(0.0);
            if !f.is_finite() {
                return Ok(go_float(f));
            }
            let body = match verb {
                'f' | 'F' => fixed(f, spec.precision.unwrap_or(6)),
                'e' | 'E' => {
                    let s = exponent(f, spec.precision.unwrap_or(6));
                    if verb == 'E' { s.to_uppercase() } else { s }
                }
                _ => {
                    let s = match spec.precision {
                        None => go_float(f),
                        Some(p) => general(f, p),
                    };
                    if verb == 'G' { s.to_uppercase() } else { s }
                }
            };
            sign(body, f >= 0.0)
        }
        _ => return Err(BadVerb(verb)),
    })
}

/// `%.{precision}f`, exact for any precision.
fn fixed(f: f64, precision: usize) -> String {
    let exact = precision.min(EXACT_FRACTION_DIGITS);
    let mut s = format!("{f:.exact$}");
    s.extend(std::iter::repeat_n('0', precision - exact));
    s
}

/// `%.{precision}e` with Go's two-digit exponent (`1.500000e+07`), exact for any
/// precision.
fn exponent(f: f64, precision: usize) -> String {
    let exact = precision.min(EXACT_SIGNIFICANT_DIGITS);
    let s = format!("{f:.exact$e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    format!(
        "{mantissa}{}e{}{:02}",
        "0".repeat(precision - exact),
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

/// `%.{precision}g`: strconv's `'g'` format, which drops trailing zeros, so only the
/// significant digits an f64 has are ever written.
fn general(f: f64, precision: usize) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let p = precision.max(1);
    let rounded = format!("{:.*e}", (p - 1).min(EXACT_SIGNIFICANT_DIGITS), f.abs());
    let (mantissa, exp) = rounded.split_once('e').unwrap_or((&rounded, "0"));
    let all: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = all.trim_end_matches('0');
    let nd = digits.len() as i64;
    // The decimal point sits after `dp` digits.
    let dp = exp.parse::<i64>().unwrap_or(0) + 1;
    let p = p as i64;
    let eprec = if p > nd && nd >= dp { nd } else { p };
    let mut out = String::from(if f < 0.0 { "-" } else { "" });
    let x = dp - 1;
    if x < -4 || x >= eprec {
        let shown = p.min(nd) as usize;
        out.push_str(&digits[..1]);
        if shown > 1 {
            out.push('.');
            out.push_str(&digits[1..shown]);
        }
        out.push_str(&format!("e{}{:02}", if x < 0 { '-' } else { '+' }, x.abs()));
        return out;
    }
    let decimals = (if p > dp { nd } else { p } - dp).max(0);
    let digit = |i: i64| {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.as_bytes().get(i))
            .map_or('0', |b| char::from(*b))
    };
    if dp > 0 {
        out.extend((0..dp).map(digit));
    } else {
        out.push('0');
    }
    if decimals > 0 {
        out.push('.');
        out.extend((dp..dp + decimals).map(digit));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_string_formats_read_as_the_full_reading_reads_them() {
        let strings = |items: &[&str]| items.iter().map(|s| Value::from(*s)).collect::<Vec<_>>();
        let rows: &[(&str, Vec<Value>, bool)] = &[
            ("%s-%s", strings(&["a", "b"]), true),
            ("%s.%s.svc.%s", strings(&["x", "ns", "cluster.local"]), true),
            ("no verbs", Vec::new(), true),
            ("é%sü", strings(&["ß"]), true),
            ("%s", strings(&[""]), true),
            // Left to the full reading: other verbs, flags, widths, too few or too many
            // arguments, arguments that are not strings, a `%` at the end.
            ("%s-%d", vec![Value::from("a"), Value::from(1)], false),
            ("%5s", strings(&["a"]), false),
            ("%s%%", strings(&["a"]), false),
            ("%s-%s", strings(&["a"]), false),
            ("%s", strings(&["a", "b"]), false),
            ("%s", vec![Value::from(1.5)], false),
            ("%s", vec![Value::from(())], false),
            ("50%", Vec::new(), false),
        ];
        for (format, args, plain) in rows {
            assert_eq!(plain_strings(format, args).is_some(), *plain, "{format}");
            for typed in [false, true] {
                assert_eq!(
                    format_args_as(format, args, typed).unwrap(),
                    format_fully(format, args, typed).unwrap(),
                    "{format}"
                );
            }
        }
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
            (
                "width_too_large",
                "%10000000000d|",
                vec![Value::from(1)],
                "%!(NOVERB)%!(EXTRA int=1)",
            ),
            (
                "star_width",
                "%*d|%-*d|",
                vec![
                    Value::from(3),
                    Value::from(1),
                    Value::from(-3),
                    Value::from(2),
                ],
                "  1|2  |",
            ),
            (
                "star_too_large",
                "%*d|%.*f",
                vec![
                    Value::from(10_000_000),
                    Value::from(1),
                    Value::from(-1),
                    Value::from(1.5),
                ],
                "%!(BADWIDTH)1|%!(BADPREC)1.500000",
            ),
            ("dot_as_verb", "%5.", vec![Value::from(1)], "%!.(int=    1)"),
            (
                "bad_runes",
                "%c|%q",
                vec![Value::from(-1), Value::from(4_294_967_361_i64)],
                "\u{fffd}|'\u{fffd}'",
            ),
        ];
        for (name, format, args, want) in rows {
            assert_eq!(sprintf(format, args).unwrap(), *want, "{name}");
        }
    }

    #[test]
    fn general_format_follows_strconv() {
        let rows: &[(f64, usize, &str)] = &[
            (1.5, 70_000, "1.5"),
            (1.23456, 3, "1.23"),
            (100.0, 1, "1e+02"),
            (1e7, 10, "10000000"),
            (123_456.0, 10, "123456"),
            (0.000012, 2, "1.2e-05"),
            (0.0001, 3, "0.0001"),
            (9.99, 2, "10"),
            (-2.5, 0, "-2"),
        ];
        for (f, p, want) in rows {
            assert_eq!(general(*f, *p), *want, "%.{p}g of {f}");
        }
    }

    #[test]
    fn precision_past_rusts_limit_is_exact() {
        let f = fixed(1.5, 65_536);
        assert_eq!(f.len(), 65_538);
        assert!(f.starts_with("1.50") && f[3..].bytes().all(|b| b == b'0'));
        // 2^-1074, the smallest f64: its 1074th decimal is its last non-zero digit.
        let tiny = fixed(5e-324, 70_000);
        assert_eq!(
            tiny.trim_end_matches('0').len(),
            2 + 1074,
            "{}",
            &tiny[..40]
        );
        assert!(tiny.trim_end_matches('0').ends_with("625"));
        let e = exponent(1.5, 65_536);
        assert!(e.starts_with("1.50") && e.ends_with("0e+00"));
        assert_eq!(e.len(), 65_542);
    }
}
