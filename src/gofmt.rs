//! Printing values the way Go prints them (shared by the YAML emitter and the renderer).
//!
//! Helm's output is Go's `fmt` output: `true` not `True`, `map[a:1]` for maps, floats in
//! `%v` form (`1.5e+07`), strings quoted by `strconv.Quote`, JSON with `<>&` escaped.
//! Every function here is shared by the formatter and the function library.

use std::fmt::Write as _;

use minijinja::value::{Value, ValueKind};

/// Shortest decimal digits and decimal exponent of a finite, non-zero float:
/// `f = 0.d1d2d3... * 10^(exp + 1)`, i.e. `d1.d2d3... * 10^exp`.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    (digits, exp.parse().unwrap_or(0))
}

fn special_float(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf" } else { "-Inf" }.into())
    } else if f == 0.0 {
        Some(if f.is_sign_negative() { "-0" } else { "0" }.into())
    } else {
        None
    }
}

fn exponent_form(neg: bool, digits: &str, exp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    out
}

fn decimal_form(neg: bool, digits: &str, exp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// Go's `%v` (shortest `%g`) for a float64: `1e+06`, `1.5`, `1e-05`, `123456`.
pub fn go_float(f: f64) -> String {
    if let Some(s) = special_float(f) {
        return s;
    }
    let (digits, exp) = shortest_digits(f);
    if !(-4..6).contains(&exp) {
        exponent_form(f < 0.0, &digits, exp)
    } else {
        decimal_form(f < 0.0, &digits, exp)
    }
}

/// Go's `encoding/json` float form: decimal between 1e-6 and 1e21, else `1e-7`, `1e+21`.
pub fn json_float(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    let (digits, exp) = shortest_digits(f);
    let abs = f.abs();
    if (1e-6..1e21).contains(&abs) {
        decimal_form(f < 0.0, &digits, exp)
    } else {
        let mut s = exponent_form(f < 0.0, &digits, exp);
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        s
    }
}

/// A number as Go's `%v` prints it; integers stay integers.
pub fn go_number(v: &Value) -> String {
    if v.is_integer() {
        v.to_string()
    } else {
        match f64::try_from(v.clone()) {
            Ok(f) => go_float(f),
            Err(_) => v.to_string(),
        }
    }
}

/// Go's `fmt.Sprint` of a value (`%v`): `map[a:1 b:[x y]]`, `<nil>` for nil.
pub fn go_string(v: &Value) -> String {
    let mut out = String::new();
    write_go(&mut out, v);
    out
}

fn write_go(out: &mut String, v: &Value) {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("<nil>"),
        ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
        ValueKind::Number => out.push_str(&go_number(v)),
        ValueKind::String => out.push_str(v.as_str().unwrap_or_default()),
        ValueKind::Bytes => {
            out.push('[');
            for (i, b) in v.as_bytes().unwrap_or_default().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{b}");
            }
            out.push(']');
        }
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            if let Ok(iter) = v.try_iter() {
                for (i, item) in iter.enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    write_go(out, &item);
                }
            }
            out.push(']');
        }
        ValueKind::Map if v.downcast_object_ref::<Stringer>().is_some() => {
            out.push_str(
                &v.downcast_object_ref::<Stringer>()
                    .map(|s| s.shown.clone())
                    .unwrap_or_default(),
            );
        }
        ValueKind::Map => {
            out.push_str("map[");
            for (i, (k, item)) in sorted_map(v).iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_go(out, item);
            }
            out.push(']');
        }
        _ => out.push_str(&v.to_string()),
    }
}

/// A values tree as Go's `%v` prints it (`map[a:1]`, `[x y]`, `<nil>`), for messages.
pub fn go_print(v: &serde_json::Value) -> String {
    use serde_json::Value as Json;
    match v {
        Json::Null => "<nil>".into(),
        Json::String(s) => s.clone(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::Array(items) => {
            let parts: Vec<String> = items.iter().map(go_print).collect();
            format!("[{}]", parts.join(" "))
        }
        Json::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_print(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Map entries sorted by key, as Go's fmt and encoding/json order them.
pub fn sorted_map(v: &Value) -> Vec<(String, Value)> {
    let mut entries: Vec<(String, Value)> = match v.try_iter() {
        Ok(iter) => iter
            .map(|k| {
                let item = v.get_item(&k).unwrap_or_default();
                let key = k
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| go_string(&k));
                (key, item)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// The text Sprig's string functions see for a value (`strval`): strings as they
/// are, nil as empty, everything else as `%v`.
pub fn strval(v: &Value) -> String {
    match v.kind() {
        ValueKind::String => v.as_str().unwrap_or_default().to_string(),
        ValueKind::Undefined | ValueKind::None => String::new(),
        _ => go_string(v),
    }
}

fn go_is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'))
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Go's `json.Marshal`: sorted keys, no spaces, `<`, `>`, `&` escaped.
pub fn to_json(v: &Value) -> Result<String, String> {
    let mut out = String::new();
    write_json(&mut out, v)?;
    Ok(out)
}

fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_json(out: &mut String, v: &Value) -> Result<(), String> {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("null"),
        ValueKind::Map if is_nil_map(v) => out.push_str("null"),
        ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
        ValueKind::Number => {
            if v.is_integer() {
                out.push_str(&v.to_string());
            } else {
                let f = f64::try_from(v.clone()).map_err(|e| e.to_string())?;
                if !f.is_finite() {
                    return Err(format!("json: unsupported value: {}", go_float(f)));
                }
                out.push_str(&json_float(f));
            }
        }
        ValueKind::String => write_json_str(out, v.as_str().unwrap_or_default()),
        ValueKind::Bytes => {
            use base64::Engine as _;
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(v.as_bytes().unwrap_or_default());
            write_json_str(out, &encoded);
        }
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            for (i, item) in v.try_iter().map_err(|e| e.to_string())?.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, &item)?;
            }
            out.push(']');
        }
        ValueKind::Map => {
            out.push('{');
            for (i, (k, item)) in sorted_map(v).iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_str(out, k);
                out.push(':');
                write_json(out, item)?;
            }
            out.push('}');
        }
        _ => write_json_str(out, &v.to_string()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_in_go_v_form() {
        let rows = [
            ("million", 1e6, "1e+06"),
            ("big", 12345678901.0, "1.2345678901e+10"),
            ("one_point_one", 1.1, "1.1"),
            ("fifteen_million", 1.5e7, "1.5e+07"),
            ("small", 0.00001, "1e-05"),
            ("hundred_thousand", 123456.0, "123456"),
            ("zero", 0.0, "0"),
            ("negative", -2.5, "-2.5"),
            ("ten_thousandth", 0.0001, "0.0001"),
        ];
        for (name, f, want) in rows {
            assert_eq!(go_float(f), want, "{name}");
        }
    }

    #[test]
    fn json_floats_use_go_encoding_json_form() {
        assert_eq!(json_float(0.00001), "0.00001");
        assert_eq!(json_float(1e-7), "1e-7");
        assert_eq!(json_float(1e21), "1e+21");
        assert_eq!(json_float(1e6), "1000000");
    }

    #[test]
    fn go_quote_escapes_like_strconv() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
    }

    #[test]
    fn json_escapes_html_characters() {
        let v = Value::from(minijinja::value::Serde(
            serde_json::json!({"b": "<&>", "a": [1, 1.5, null]}),
        ));
        assert_eq!(
            to_json(&v).unwrap(),
            r#"{"a":[1,1.5,null],"b":"\u003c\u0026\u003e"}"#
        );
    }
}

/// A Go string that is not valid UTF-8 (`Files.Get` of a binary file). Go strings are
/// bytes, so Helm's `b64enc`, `sha256sum` and friends see the file's exact bytes; here
/// the bytes are kept beside the value and read back by `bytes_of`. Printed into a
/// manifest, it shows as text with U+FFFD for the invalid bytes (a manifest is text).
#[derive(Debug)]
pub struct RawText(pub Vec<u8>);

impl minijinja::value::Object for RawText {
    fn repr(self: &std::sync::Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Plain
    }

    fn render(self: &std::sync::Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result
    where
        Self: Sized + 'static,
    {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

/// Bytes as a Go string value: a string when they are UTF-8, else a `RawText`.
pub fn go_text(bytes: Vec<u8>) -> Value {
    match String::from_utf8(bytes) {
        Ok(text) => Value::from(text),
        Err(e) => Value::from_object(RawText(e.into_bytes())),
    }
}

/// The bytes a Go string function sees: a `RawText`'s or a byte value's own bytes,
/// else the text of `strval`.
pub fn bytes_of(v: &Value) -> std::borrow::Cow<'_, [u8]> {
    if let Some(raw) = v.downcast_object_ref::<RawText>() {
        return std::borrow::Cow::Borrowed(&raw.0);
    }
    if let Some(b) = v.as_bytes().filter(|_| v.kind() == ValueKind::Bytes) {
        return std::borrow::Cow::Borrowed(b);
    }
    std::borrow::Cow::Owned(strval(v).into_bytes())
}

/// A Go value with a `String` method (Helm's `KubeVersion`): its fields read like a
/// map's, but it prints as its text, as Go's fmt prints a Stringer.
#[derive(Debug)]
pub struct Stringer {
    pub fields: std::collections::BTreeMap<&'static str, Value>,
    /// What a template action prints (its `String` method).
    pub text: String,
    /// What Go's `fmt` prints (`print`, `printf "%v"`): the struct's fields.
    pub shown: String,
}

impl minijinja::value::Object for Stringer {
    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        self.fields.get(key.as_str()?).cloned()
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        use minijinja::value::ObjectExt as _;
        self.mapped_enumerator(|this| Box::new(this.fields.keys().map(|k| Value::from(*k))))
    }

    fn render(self: &std::sync::Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result
    where
        Self: Sized + 'static,
    {
        f.write_str(&self.text)
    }
}

/// Go's `map[string]string` (Helm's `Chart.Annotations`): it can be nil, which prints
/// as `map[]` like an empty map but encodes as `null`, and a key it lacks reads as ""
/// (the zero string) where a `map[string]interface {}` gives no value.
#[derive(Debug)]
pub struct StringMap(pub Option<std::collections::BTreeMap<String, String>>);

impl minijinja::value::Object for StringMap {
    fn repr(self: &std::sync::Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Map
    }

    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        self.0
            .as_ref()?
            .get(key.as_str()?)
            .map(|v| Value::from(v.as_str()))
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        use minijinja::value::ObjectExt as _;
        self.mapped_enumerator(|this| {
            Box::new(
                this.0
                    .iter()
                    .flatten()
                    .map(|(k, _)| Value::from(k.as_str())),
            )
        })
    }

    fn enumerator_len(self: &std::sync::Arc<Self>) -> Option<usize> {
        Some(self.0.as_ref().map_or(0, |m| m.len()))
    }
}

/// Whether `v` is a nil Go map (it encodes as `null`).
pub fn is_nil_map(v: &Value) -> bool {
    v.downcast_object_ref::<StringMap>()
        .is_some_and(|m| m.0.is_none())
}
