//! go-yaml v2's implicit typing of plain scalars (YAML 1.1).
//!
//! The emitter asks it whether a string would read back as something other than a
//! string; if so the string must be quoted (`"yes"`, `"123"`, `"2001-12-14"`).

/// What a plain scalar reads back as.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    Null,
    Bool,
    Int,
    Float,
    Timestamp,
    Merge,
    Str,
}

pub fn resolve_plain(s: &str) -> Resolved {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "n"
        | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Bool;
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float,
        "<<" => return Resolved::Merge,
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !matches!(first, b'-' | b'+' | b'.' | b'0'..=b'9') {
        return Resolved::Str;
    }
    if first.is_ascii_digit() && is_timestamp(s) {
        return Resolved::Timestamp;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if go_parse_int(&plain) {
        return Resolved::Int;
    }
    if is_yaml_float(&plain) {
        return Resolved::Float;
    }
    let unsigned = plain.strip_prefix('-').unwrap_or(&plain);
    if let Some(bin) = unsigned.strip_prefix("0b")
        && !bin.is_empty()
        && bin.bytes().all(|b| b == b'0' || b == b'1')
    {
        return Resolved::Int;
    }
    Resolved::Str
}

/// Go's `strconv.ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` succeeding.
fn go_parse_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() {
        return false;
    }
    let lower = body.to_ascii_lowercase();
    let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
        (h, 16)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (b, 2)
    } else if let Some(o) = lower.strip_prefix("0o") {
        (o, 8)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    !digits.is_empty() && u128::from_str_radix(digits, radix).is_ok_and(|v| v <= u64::MAX as u128)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// The timestamp forms go-yaml v2 recognises: `2006-1-2` optionally followed by a time.
fn is_timestamp(s: &str) -> bool {
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let date_ok = parts.len() == 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[1].len() <= 2
        && parts[2].len() <= 2;
    if !date_ok {
        return false;
    }
    match rest {
        None => true,
        Some(t) => {
            let t = t.trim_start();
            let hms: Vec<&str> = t.splitn(3, ':').collect();
            hms.len() == 3
                && hms[0].len() <= 2
                && hms[0].bytes().all(|b| b.is_ascii_digit())
                && hms[1].len() <= 2
                && hms[1].bytes().all(|b| b.is_ascii_digit())
                && hms[2].bytes().take(2).all(|b| b.is_ascii_digit())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_that_read_back_as_other_types() {
        let rows = [
            ("yes_is_bool", "yes", Resolved::Bool),
            ("y_is_bool", "y", Resolved::Bool),
            ("int", "123", Resolved::Int),
            ("octal", "0755", Resolved::Int),
            ("hex", "0x1F", Resolved::Int),
            ("float", "1.0", Resolved::Float),
            ("exp_float", "1e3", Resolved::Float),
            ("inf", ".inf", Resolved::Float),
            ("date", "2001-12-14", Resolved::Timestamp),
            ("empty_is_null", "", Resolved::Null),
            ("tilde_is_null", "~", Resolved::Null),
            ("dot_is_str", ".", Resolved::Str),
            ("word_is_str", "hello", Resolved::Str),
            ("version_is_str", "1.2.3", Resolved::Str),
            ("dash_is_str", "-", Resolved::Str),
        ];
        for (name, input, want) in rows {
            assert_eq!(resolve_plain(input), want, "{name}");
        }
    }
}
