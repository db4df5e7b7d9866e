//! YAML, JSON, base64 and hashes.

use crate::gofmt::bytes_of;
use base64::Engine as _;
use minijinja::Error;
use minijinja::value::{Value, ValueKind};
use sha2::Digest as _;

use super::args::{exact, s};
use crate::engine::format;
use crate::engine::json_to_value;

/// `toYaml(value)`: Helm's YAML, trailing newline trimmed; "" if it cannot be encoded.
pub fn to_yaml(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "toYaml")?;
    Ok(Value::from(
        crate::yaml::to_yaml(&args[0]).unwrap_or_default(),
    ))
}

/// `toJson(value)`: Go's `json.Marshal`; "" if it cannot be encoded.
pub fn to_json(args: &[Value]) -> Result<Value, Error> {
    encode_json(args, "toJson", false, |j| j)
}

/// The six JSON encoders differ only in how the text is shaped and in whether a value
/// that cannot be encoded fails (the `must` forms) or gives "" (as sprig's do).
fn encode_json(
    args: &[Value],
    name: &str,
    must: bool,
    shape: fn(String) -> String,
) -> Result<Value, Error> {
    exact(args, 1, name)?;
    match format::to_json(&args[0]) {
        Ok(json) => Ok(Value::from(shape(json))),
        Err(e) if must => Err(super::args::func_error(e)),
        Err(_) => Ok(Value::from("")),
    }
}

/// `fromYaml(text)`: a dict, or `{"Error": message}` as Helm returns on bad input.
pub fn from_yaml(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "fromYaml")?;
    match crate::yaml::parse(&s(&args[0])) {
        Ok(serde_json::Value::Object(m)) => Ok(json_to_value(&serde_json::Value::Object(m))),
        Ok(serde_json::Value::Null) => Ok(Value::from(
            std::collections::BTreeMap::<String, Value>::new(),
        )),
        Ok(_) => Ok(error_map(
            "error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {}",
        )),
        Err(e) => Ok(error_map(&e.to_string())),
    }
}

/// `fromJson(text)`: a dict, or `{"Error": message}`.
pub fn from_json(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "fromJson")?;
    match crate::yaml::parse_json(&s(&args[0])) {
        Ok(v @ serde_json::Value::Object(_)) => Ok(json_to_value(&v)),
        Ok(_) => Ok(error_map(
            "json: cannot unmarshal into Go value of type map[string]interface {}",
        )),
        Err(e) => Ok(error_map(&e.to_string())),
    }
}

fn error_map(message: &str) -> Value {
    Value::from_pairs([("Error", Value::from(message))])
}

pub fn b64enc(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "b64enc")?;
    Ok(Value::from(
        base64::engine::general_purpose::STANDARD.encode(bytes_of(&args[0])),
    ))
}

/// `b64dec(text)`: on bad input, Sprig returns the error text instead of failing.
pub fn b64dec(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "b64dec")?;
    match base64::engine::general_purpose::STANDARD.decode(s(&args[0])) {
        Ok(bytes) => Ok(Value::from(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) => {
            // Go names the offending byte: "illegal base64 data at input byte 4".
            let at = match e {
                base64::DecodeError::InvalidByte(i, _)
                | base64::DecodeError::InvalidLastSymbol(i, _) => i,
                // An incomplete last quantum: Go points at its start.
                base64::DecodeError::InvalidLength(len) => len / 4 * 4,
                base64::DecodeError::InvalidPadding => s(&args[0]).len() / 4 * 4,
            };
            Ok(Value::from(format!(
                "illegal base64 data at input byte {at}"
            )))
        }
    }
}

pub fn sha256sum(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "sha256sum")?;
    let digest = sha2::Sha256::digest(bytes_of(&args[0]));
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Value::from(hex))
}

/// `mustToYaml(value)`: like toYaml, but fails on what cannot be encoded.
pub fn must_to_yaml(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "mustToYaml")?;
    crate::yaml::to_yaml(&args[0])
        .map(Value::from)
        .map_err(|e| super::args::func_error(e.to_string()))
}

/// `mustToJson(value)`.
pub fn must_to_json(args: &[Value]) -> Result<Value, Error> {
    encode_json(args, "mustToJson", true, |j| j)
}

/// `toRawJson(value)`: JSON without the HTML escaping of `<`, `>`, `&`.
pub fn to_raw_json(args: &[Value]) -> Result<Value, Error> {
    encode_json(args, "toRawJson", false, unescape_html)
}

pub fn must_to_raw_json(args: &[Value]) -> Result<Value, Error> {
    encode_json(args, "mustToRawJson", true, unescape_html)
}

fn unescape_html(json: String) -> String {
    json.replace("\\u003c", "<")
        .replace("\\u003e", ">")
        .replace("\\u0026", "&")
}

/// `toPrettyJson(value)`: Go's `json.MarshalIndent` with two spaces.
pub fn to_pretty_json(args: &[Value]) -> Result<Value, Error> {
    encode_json(args, "toPrettyJson", false, indent_json)
}

pub fn must_to_pretty_json(args: &[Value]) -> Result<Value, Error> {
    encode_json(args, "mustToPrettyJson", true, indent_json)
}

/// Re-indents compact JSON as Go's `json.Indent` does (empty `{}`/`[]` stay compact).
fn indent_json(json: String) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let chars: Vec<char> = json.chars().collect();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                if chars.get(i + 1) == Some(&close) {
                    out.push(c);
                    out.push(close);
                    i += 2;
                    continue;
                }
                out.push(c);
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// `mustFromJson(text)`: a dict, or an error.
pub fn must_from_json(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "mustFromJson")?;
    crate::yaml::parse_json(&s(&args[0]))
        .map(|v| json_to_value(&v))
        .map_err(|e| super::args::func_error(e.to_string()))
}

/// `fromJsonArray(text)`: a list, or `[error message]` as Helm returns on bad input.
pub fn from_json_array(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "fromJsonArray")?;
    match crate::yaml::parse_json(&s(&args[0])) {
        Ok(v @ serde_json::Value::Array(_)) => Ok(json_to_value(&v)),
        Ok(_) => Ok(Value::from(vec![Value::from(
            "json: cannot unmarshal into Go value of type []interface {}",
        )])),
        Err(e) => Ok(Value::from(vec![Value::from(e.to_string())])),
    }
}

/// `fromYamlArray(text)`: a list, or `[error message]`.
pub fn from_yaml_array(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "fromYamlArray")?;
    match crate::yaml::parse(&s(&args[0])) {
        Ok(v @ serde_json::Value::Array(_)) => Ok(json_to_value(&v)),
        Ok(serde_json::Value::Null) => Ok(Value::from(Vec::<Value>::new())),
        Ok(_) => Ok(Value::from(vec![Value::from(
            "error unmarshaling JSON: json: cannot unmarshal into Go value of type []interface {}",
        )])),
        Err(e) => Ok(Value::from(vec![Value::from(e.to_string())])),
    }
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `b32enc(text)`: standard base32 with padding.
pub fn b32enc(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "b32enc")?;
    let data = bytes_of(&args[0]);
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let emit = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < emit {
                out.push(B32[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(Value::from(out))
}

/// `b32dec(text)`: on bad input, the error text (as Sprig returns it).
pub fn b32dec(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "b32dec")?;
    let text = s(&args[0]);
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = Vec::new();
    for (i, c) in text.trim_end_matches('=').bytes().enumerate() {
        let Some(v) = B32.iter().position(|&b| b == c) else {
            return Ok(Value::from(format!(
                "illegal base32 data at input byte {i}"
            )));
        };
        bits = (bits << 5) | v as u64;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Ok(Value::from(String::from_utf8_lossy(&out).into_owned()))
}

/// `adler32sum(text)`: the checksum in decimal.
pub fn adler32sum(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "adler32sum")?;
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes_of(&args[0]).iter() {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    Ok(Value::from(((b << 16) | a).to_string()))
}

/// `sha1sum(text)`: hex digest.
pub fn sha1sum(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "sha1sum")?;
    let digest = sha1::Sha1::digest(bytes_of(&args[0]));
    Ok(Value::from(
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    ))
}

/// `toYamlPretty(value)`: YAML with sequences indented under their key.
pub fn to_yaml_pretty(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "toYamlPretty")?;
    Ok(Value::from(
        crate::yaml::to_yaml_pretty(&args[0]).unwrap_or_default(),
    ))
}

/// `toToml(value)`: TOML as BurntSushi/toml writes it (Helm's encoder): plain keys
/// first, then tables with their keys indented two spaces per level, nil values left out.
pub fn to_toml(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "toToml")?;
    let v = &args[0];
    if v.kind() != ValueKind::Map {
        return Ok(Value::from(toml_value(v)));
    }
    let mut out = String::new();
    toml_table(&mut out, &[], v);
    Ok(Value::from(out))
}

fn is_table(v: &Value) -> bool {
    v.kind() == ValueKind::Map
}

fn is_table_array(v: &Value) -> bool {
    v.kind() == ValueKind::Seq
        && v.len().unwrap_or(0) > 0
        && v.try_iter()
            .map(|mut i| i.all(|x| is_table(&x)))
            .unwrap_or(false)
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        toml_string(k)
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_value(v: &Value) -> String {
    match v.kind() {
        ValueKind::String => toml_string(v.as_str().unwrap_or_default()),
        ValueKind::Bool => v.is_true().to_string(),
        ValueKind::Number if v.is_integer() => v.to_string(),
        ValueKind::Number => {
            let f = f64::try_from(v.clone()).unwrap_or(0.0);
            if f.is_nan() {
                "nan".into()
            } else if f.is_infinite() {
                if f > 0.0 { "inf" } else { "-inf" }.into()
            } else {
                let text = format::json_float(f);
                if text.contains(['.', 'e']) {
                    text
                } else {
                    format!("{text}.0")
                }
            }
        }
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Vec<String> = v
                .try_iter()
                .map(|i| {
                    i.filter(|x| !x.is_none() && !x.is_undefined())
                        .map(|x| toml_value(&x))
                        .collect()
                })
                .unwrap_or_default();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Map => {
            let items: Vec<String> = format::sorted_map(v)
                .iter()
                .filter(|(_, x)| !x.is_none() && !x.is_undefined())
                .map(|(k, x)| format!("{} = {}", toml_key(k), toml_value(x)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        _ => toml_string(&s(v)),
    }
}

fn toml_table(out: &mut String, path: &[String], v: &Value) {
    let key_indent = "  ".repeat(path.len());
    let entries = format::sorted_map(v);
    for (k, x) in &entries {
        if x.is_none() || x.is_undefined() || is_table(x) || is_table_array(x) {
            continue;
        }
        out.push_str(&format!(
            "{key_indent}{} = {}\n",
            toml_key(k),
            toml_value(x)
        ));
    }
    for (k, x) in &entries {
        let mut sub = path.to_vec();
        sub.push(toml_key(k));
        let header_indent = "  ".repeat(sub.len() - 1);
        if is_table(x) {
            if sub.len() == 1 && !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{header_indent}[{}]\n", sub.join(".")));
            toml_table(out, &sub, x);
        } else if is_table_array(x) {
            for item in x.try_iter().into_iter().flatten() {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("{header_indent}[[{}]]\n", sub.join(".")));
                toml_table(out, &sub, &item);
            }
        }
    }
}

/// `fromToml(text)`: a dict, or `{"Error": message}`.
pub fn from_toml(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "fromToml")?;
    match toml::from_str::<serde_json::Value>(&s(&args[0])) {
        Ok(v) => Ok(json_to_value(&v)),
        Err(e) => Ok(error_map(e.message())),
    }
}
