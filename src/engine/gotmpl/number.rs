//! Numeric constants as Go's text/template reads them: `12`, `-3`, `0x1F`, `0o17`, `0b101`,
//! `017` (octal), `1_000`, `1.5`, `1e6`, `.5`, `0x1p-2`, and `'a'` (a rune). A constant can
//! be several things at once (`3` is an int, a uint and a float; `1e3` a float that is also
//! the int 1000); the evaluator picks the one the context wants, as Go does.

/// A numeric constant and the types it can take.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub text: String,
    pub int: Option<i64>,
    pub uint: Option<u64>,
    pub float: Option<f64>,
    /// `1+2i`, `3i`: a complex128 constant, its real and imaginary parts.
    pub complex: bool,
    pub parts: Option<(f64, f64)>,
    /// `'a'`: prints as its code point.
    pub rune: bool,
}

/// Go's `underscoreOK`: `_` only between digits, or after a base prefix.
fn underscores_ok(digits: &str, has_prefix: bool) -> bool {
    let b = digits.as_bytes();
    if !digits.contains('_') {
        return true;
    }
    if b.first() == Some(&b'_') && !has_prefix {
        return false;
    }
    b.last() != Some(&b'_') && !digits.contains("__")
}

/// `strconv.ParseInt(text, 0, 64)`/`ParseUint` as one: the magnitude and the sign.
fn parse_integer(text: &str) -> Option<(bool, u64)> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = rest.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d, true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d, true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    if digits.is_empty() || !underscores_ok(digits, prefixed) {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let magnitude = u64::from_str_radix(&clean, radix).ok()?;
    Some((negative, magnitude))
}

/// `strconv.ParseFloat(text, 64)` for the forms the lexer lets through.
fn parse_float(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = rest.to_ascii_lowercase();
    let value = if let Some(hex) = lower.strip_prefix("0x") {
        // Hex floats: mantissa in hex, exponent `p` in decimal powers of two.
        let (mantissa, exponent) = hex.split_once('p')?;
        let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits: String = format!("{whole}{frac}")
            .chars()
            .filter(|c| *c != '_')
            .collect();
        let m = u64::from_str_radix(&digits, 16).ok()? as f64;
        let e: i32 = exponent.replace('_', "").parse().ok()?;
        m * 2f64.powi(e - 4 * frac.len() as i32)
    } else {
        if !underscores_ok(&lower, false) {
            return None;
        }
        lower.replace('_', "").parse::<f64>().ok()?
    };
    value
        .is_finite()
        .then_some(if negative { -value } else { value })
}

/// The value of a character constant: `'a'`, `'\n'`, `'\x41'`, `'\u00e9'`.
fn parse_rune(text: &str) -> Option<u32> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut chars = inner.chars();
    let first = chars.next()?;
    let value = if first == '\\' {
        let escape = chars.next()?;
        match escape {
            'n' => 10,
            't' => 9,
            'r' => 13,
            'a' => 7,
            'b' => 8,
            'f' => 12,
            'v' => 11,
            '\\' => 92,
            '\'' => 39,
            'x' | 'u' | 'U' => {
                let n = match escape {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(n).collect();
                if hex.len() != n {
                    return None;
                }
                u32::from_str_radix(&hex, 16).ok()?
            }
            '0'..='7' => {
                let rest: String = chars.by_ref().take(2).collect();
                u32::from_str_radix(&format!("{escape}{rest}"), 8).ok()?
            }
            _ => return None,
        }
    } else {
        first as u32
    };
    chars.next().is_none().then_some(value)
}

/// Reads a numeric token as Go's parser does, with Go's errors
/// (`illegal number syntax: "08"`, `malformed character constant: 'ab'`).
pub fn parse(text: &str, rune: bool, complex: bool) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_string(),
        int: None,
        uint: None,
        float: None,
        complex,
        parts: None,
        rune,
    };
    if rune {
        let code = parse_rune(text).ok_or_else(|| {
            // Go's own unquoting fails first on an empty or badly escaped constant.
            if text == "''" || text.starts_with("'\\") {
                "invalid syntax".to_string()
            } else {
                format!("malformed character constant: {text}")
            }
        })?;
        n.int = Some(i64::from(code));
        n.uint = Some(u64::from(code));
        n.float = Some(f64::from(code));
        return Ok(n);
    }
    if complex || text.ends_with('i') {
        let bad = || format!("illegal number syntax: {}", crate::gofmt::go_quote(text));
        let body = text.strip_suffix('i').ok_or_else(bad)?;
        // The sign between the parts: not the leading one, nor an exponent's.
        let split = body
            .char_indices()
            .skip(1)
            .filter(|&(i, c)| {
                matches!(c, '+' | '-')
                    && !matches!(body.as_bytes()[i - 1], b'e' | b'E' | b'p' | b'P')
            })
            .map(|(i, _)| i)
            .last();
        let part = |t: &str| -> Option<f64> {
            let t = t.replace('_', "");
            parse_integer(&t)
                .map(|(neg, m)| if neg { -(m as f64) } else { m as f64 })
                .or_else(|| parse_float(&t))
        };
        let (re, im) = match split {
            Some(i) => (
                part(&body[..i]).ok_or_else(bad)?,
                part(&body[i..]).ok_or_else(bad)?,
            ),
            None => (0.0, part(body).ok_or_else(bad)?),
        };
        n.complex = true;
        n.parts = Some((re, im));
        return Ok(n);
    }
    if let Some((negative, magnitude)) = parse_integer(text) {
        if !negative {
            n.uint = Some(magnitude);
        }
        n.int = if negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        };
        if n.int == Some(0) {
            n.uint = Some(0);
        }
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Some(f) = parse_float(text) {
        // Digits only, yet no integer: too large for 64 bits.
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!(
                "integer overflow: {}",
                crate::gofmt::go_quote(text)
            ));
        }
        n.float = Some(f);
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.int = Some(f as i64);
            if f >= 0.0 {
                n.uint = Some(f as u64);
            }
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!(
            "illegal number syntax: {}",
            crate::gofmt::go_quote(text)
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Number {
        parse(text, false, false).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn integers_in_every_base() {
        assert_eq!(ok("12").int, Some(12));
        assert_eq!(ok("-3").int, Some(-3));
        assert_eq!(ok("-3").uint, None);
        assert_eq!(ok("0x1F").int, Some(31));
        assert_eq!(ok("0o17").int, Some(15));
        assert_eq!(ok("017").int, Some(15));
        assert_eq!(ok("0b101").int, Some(5));
        assert_eq!(ok("1_000").int, Some(1000));
        assert_eq!(ok("9223372036854775808").int, None);
        assert_eq!(ok("9223372036854775808").uint, Some(9223372036854775808));
    }

    #[test]
    fn floats_that_are_integers_are_both() {
        assert_eq!(ok("1e3").int, Some(1000));
        assert_eq!(ok("1.5").int, None);
        assert_eq!(ok("1.5").float, Some(1.5));
        assert_eq!(ok(".5e1").int, Some(5));
        assert_eq!(ok("0x1p-2").float, Some(0.25));
    }

    #[test]
    fn runes_are_their_code_points() {
        assert_eq!(parse("'a'", true, false).unwrap().int, Some(97));
        assert_eq!(parse("'\\n'", true, false).unwrap().int, Some(10));
        assert_eq!(parse("'\\u00e9'", true, false).unwrap().int, Some(233));
    }

    /// Go's messages (helm4 prints only the part after the last `: `, `"08"` and `"0x"`
    /// for these two, which is what it showed).
    #[test]
    fn bad_numbers_are_refused_in_go_words() {
        // `08` is no octal, but a valid float whose text looks like an integer: Go's
        // parser calls that an overflow.
        assert_eq!(
            parse("08", false, false).unwrap_err(),
            "integer overflow: \"08\""
        );
        assert_eq!(
            parse("0x", false, false).unwrap_err(),
            "illegal number syntax: \"0x\""
        );
        assert_eq!(
            parse("'ab'", true, false).unwrap_err(),
            "malformed character constant: 'ab'"
        );
        assert_eq!(
            parse("99999999999999999999", false, false).unwrap_err(),
            "integer overflow: \"99999999999999999999\""
        );
    }
}
