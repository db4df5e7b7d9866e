//! Go's durations: `time.ParseDuration` (`1h30m`, `-1.5h`, `300ms`) digit for digit,
//! with its refusals of anything past int64 nanoseconds, and `Duration.String()`.

/// Go's `time.ParseDuration`, into nanoseconds (always within int64), with Go's errors.
pub fn parse_go_duration(text: &str) -> Result<i128, String> {
    const LIMIT: u64 = 1 << 63;
    let invalid = || format!("time: invalid duration {}", quote(text.as_bytes()));
    let mut s = text.as_bytes();
    let mut neg = false;
    if let Some(&c @ (b'-' | b'+')) = s.first() {
        neg = c == b'-';
        s = &s[1..];
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let before = s.len();
        let (mut v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = s.len() != before;
        let (mut f, mut scale, mut post) = (0, 1.0, false);
        if let Some(rest) = s.strip_prefix(b".") {
            let rest_len = rest.len();
            (f, scale, s) = leading_fraction(rest);
            post = s.len() != rest_len;
        }
        if !pre && !post {
            return Err(invalid());
        }
        let end = s
            .iter()
            .position(|c| *c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if end == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                quote(text.as_bytes())
            ));
        }
        let (name, rest) = s.split_at(end);
        s = rest;
        let unit: u64 = match name {
            b"ns" => 1,
            b"us" => 1_000,
            _ if name == "µs".as_bytes() || name == "μs".as_bytes() => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(name),
                    quote(text.as_bytes())
                ));
            }
        };
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            // Go: float64 is nanosecond-accurate for fractions of an hour.
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        total += v;
        if total > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok(-i128::from(total));
    }
    if total > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(i128::from(total))
}

/// Go's `leadingInt`: the digits at the start, `None` past 2^63.
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut x: u64 = 0;
    for c in &s[..digits] {
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > 1 << 63 {
            return None;
        }
    }
    Some((x, &s[digits..]))
}

/// Go's `leadingFraction`: the digits after a point as `x / scale`, ignoring the digits
/// that no longer fit.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let (mut x, mut scale, mut overflow) = (0u64, 1.0, false);
    for c in &s[..digits] {
        if overflow {
            continue;
        }
        if x > ((1 << 63) - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[digits..])
}

/// Go's `time.quote`: in double quotes, bytes outside printable ASCII as `\xNN`.
fn quote(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in s {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            b' '..=b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// Go's `Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
pub fn go_duration(nanos: i128) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let neg = nanos < 0;
    let u = nanos.unsigned_abs();
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let body = if u < 1_000 {
        format!("{u}ns")
    } else if u < 1_000_000 {
        format!("{}µs", trim(format!("{}.{:03}", u / 1_000, u % 1_000)))
    } else if u < 1_000_000_000 {
        format!(
            "{}ms",
            trim(format!("{}.{:06}", u / 1_000_000, u % 1_000_000))
        )
    } else {
        let secs = u / 1_000_000_000;
        let frac = u % 1_000_000_000;
        let (h, m, sec) = (secs / 3600, secs / 60 % 60, secs % 60);
        let s_part = trim(format!("{sec}.{frac:09}"));
        if h > 0 {
            format!("{h}h{m}m{s_part}s")
        } else if m > 0 {
            format!("{m}m{s_part}s")
        } else {
            format!("{s_part}s")
        }
    };
    if neg { format!("-{body}") } else { body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_print_as_go() {
        let rows = [
            ("zero", 0i128, "0s"),
            ("seconds", 3_661_000_000_000, "1h1m1s"),
            ("minutes", 90_000_000_000, "1m30s"),
            ("fraction", 1_500_000_000, "1.5s"),
            ("millis", 1_500_000, "1.5ms"),
            ("negative", -60_000_000_000, "-1m0s"),
        ];
        for (name, nanos, want) in rows {
            assert_eq!(go_duration(nanos), want, "{name}");
        }
    }

    #[test]
    fn durations_parse_as_go_does() {
        let rows: &[(&str, Result<i128, &str>)] = &[
            ("-1.5h", Ok(-5_400_000_000_000)),
            ("1h30m", Ok(5_400_000_000_000)),
            ("1.5µs", Ok(1_500)),
            (".5s", Ok(500_000_000)),
            ("0", Ok(0)),
            ("9223372036854775807ns", Ok(9_223_372_036_854_775_807)),
            ("-9223372036854775808ns", Ok(-9_223_372_036_854_775_808)),
            ("2562047h", Ok(9_223_369_200_000_000_000)),
            ("1.00000000000000000000000000001s", Ok(1_000_000_000)),
            (
                "9223372036854775808ns",
                Err("time: invalid duration \"9223372036854775808ns\""),
            ),
            (
                "99999999999h",
                Err("time: invalid duration \"99999999999h\""),
            ),
            ("2562048h", Err("time: invalid duration \"2562048h\"")),
            (
                "99999999999999999999ns",
                Err("time: invalid duration \"99999999999999999999ns\""),
            ),
            ("5", Err("time: missing unit in duration \"5\"")),
            ("5xs", Err("time: unknown unit \"xs\" in duration \"5xs\"")),
            (
                "1é",
                Err("time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\""),
            ),
            ("", Err("time: invalid duration \"\"")),
            (".s", Err("time: invalid duration \".s\"")),
        ];
        for (text, want) in rows {
            let got = parse_go_duration(text);
            assert_eq!(
                got.as_ref().map_err(String::as_str),
                want.as_ref().map_err(|e| *e),
                "{text}"
            );
        }
    }
}
