//! More of Sprig's string functions: case, wrapping, splitting, joining, printing.

use minijinja::Error;
use minijinja::value::{Value, ValueKind};

use super::args::{arg, exact, func_error, repeat_str, s, string_len, to_int};
use crate::engine::format::go_string;

/// `abbrev(width, text)`: cut to width with "..." (texts shorter than 4 stay).
pub fn abbrev(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "abbrev")?;
    let width = to_int(&args[0]);
    let text = s(&args[1]);
    if width < 4 || text.chars().count() as i64 <= width {
        return Ok(Value::from(text));
    }
    let kept: String = text.chars().take((width - 3) as usize).collect();
    Ok(Value::from(format!("{kept}...")))
}

/// `abbrevboth(left, right, text)`: Sprig's guard, then commons-lang's
/// `abbreviate(str, offset, maxWidth)` as goutils has it (its errors give "").
pub fn abbrevboth(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "abbrevboth")?;
    let (offset, width) = (to_int(&args[0]), to_int(&args[1]));
    let text = s(&args[2]);
    if width < 4 || (offset > 0 && width < 7) {
        return Ok(Value::from(text));
    }
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len() as i64;
    if len <= width {
        return Ok(Value::from(text));
    }
    // From here width < len, so only `len - offset` can leave int64: Go's wraps.
    let mut offset = offset.min(len);
    if len.wrapping_sub(offset) < width - 3 {
        offset = len - (width - 3);
    }
    let cut = |from: i64, to: i64| chars[from as usize..to as usize].iter().collect::<String>();
    if offset <= 4 {
        return Ok(Value::from(format!("{}...", cut(0, width - 3))));
    }
    if width < 7 {
        return Ok(Value::from(""));
    }
    if offset + width - 3 < len {
        let cut = abbrev(&[Value::from(width - 3), Value::from(cut(offset, len))])?;
        return Ok(Value::from(format!("...{cut}")));
    }
    Ok(Value::from(format!("...{}", cut(len - (width - 3), len))))
}

/// `untitle(text)`: lower-cases the first letter of each word.
pub fn untitle(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "untitle")?;
    let mut prev_space = true;
    let out: String = s(&args[0])
        .chars()
        .map(|c| {
            let r = if prev_space {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                c
            };
            prev_space = c.is_whitespace();
            r
        })
        .collect();
    Ok(Value::from(out))
}

/// `substr(start, end, text)`, in bytes as Sprig counts: `s[:end]` for a negative
/// start, `s[start:]` for an end out of range, else `s[start:end]`, with Go's error for
/// a slice out of range.
pub fn substr(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "substr")?;
    let (start, end) = (to_int(&args[0]), to_int(&args[1]));
    let text = s(&args[2]);
    let b = text.as_bytes();
    let len = b.len() as i64;
    let out_of_range = |bounds: String| {
        func_error(format!(
            "substr: runtime error: slice bounds out of range {bounds}"
        ))
    };
    let (from, to) = if start < 0 {
        if end < 0 || end > len {
            return Err(out_of_range(if end < 0 {
                format!("[:{end}]")
            } else {
                format!("[:{end}] with length {len}")
            }));
        }
        (0, end)
    } else if end < 0 || end > len {
        if start > len {
            return Err(out_of_range(format!("[{start}:{len}]")));
        }
        (start, len)
    } else {
        if start > end {
            return Err(out_of_range(format!("[{start}:{end}]")));
        }
        (start, end)
    };
    let slice = &b[from as usize..to as usize];
    Ok(Value::from(String::from_utf8_lossy(slice).into_owned()))
}

/// `repeat(count, text)`: Go's `strings.Repeat` (a negative count is an error).
pub fn repeat(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "repeat")?;
    Ok(Value::from(repeat_str(
        "repeat",
        &s(&args[1]),
        to_int(&args[0]),
    )?))
}

/// `trimAll(cutset, text)`: Go's `strings.Trim`.
pub fn trim_all(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "trimAll")?;
    let cut: Vec<char> = s(&args[0]).chars().collect();
    Ok(Value::from(s(&args[1]).trim_matches(|c| cut.contains(&c))))
}

/// `nospace(text)`: every white-space character removed.
pub fn nospace(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "nospace")?;
    Ok(Value::from(
        s(&args[0])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
    ))
}

/// `initials(text)`: the first byte of each word, as a character (Sprig takes bytes, so
/// a non-ASCII initial comes out as its first byte's Latin-1 character).
pub fn initials(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "initials")?;
    Ok(Value::from(
        s(&args[0])
            .split_whitespace()
            .filter_map(|w| w.as_bytes().first().map(|b| char::from(*b)))
            .collect::<String>(),
    ))
}

/// Go's `unicode.ToUpper` of one rune: a rune without a one-rune upper case stays.
pub fn upper1(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower` of one rune.
pub fn lower1(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `swapcase(text)`: upper to lower and lower to upper, rune by rune.
pub fn swapcase(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "swapcase")?;
    let out: String = s(&args[0])
        .chars()
        .map(|c| {
            if c.is_uppercase() {
                lower1(c)
            } else if c.is_lowercase() {
                upper1(c)
            } else {
                c
            }
        })
        .collect();
    Ok(Value::from(out))
}

/// huandu/xstrings' connectors: white space, `_` and `-`.
fn is_connector(c: char) -> bool {
    c.is_whitespace() || c == '_' || c == '-'
}

/// xstrings' snake/kebab case: connectors become `sep`, a word boundary in camel case
/// (`firstName`, `HTTPServer`) gets `sep`, letters are lower-cased, punctuation stays.
fn lower_case_words(text: &str, sep: char) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if is_connector(c) {
            out.push(sep);
            continue;
        }
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower) {
                out.push(sep);
            }
        }
        out.push(lower1(c));
    }
    out
}

/// `snakecase(text)`: `HelloWorld` → `hello_world`.
pub fn snakecase(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "snakecase")?;
    Ok(Value::from(lower_case_words(&s(&args[0]), '_')))
}

/// `kebabcase(text)`: `HelloWorld` → `hello-world`.
pub fn kebabcase(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "kebabcase")?;
    Ok(Value::from(lower_case_words(&s(&args[0]), '-')))
}

/// `camelcase(text)`: xstrings' ToCamelCase: leading connectors stay, a letter after a
/// connector is upper-cased and the connector dropped, a letter after an upper-case one
/// is lower-cased (`http_server` → `HttpServer`, `HTTPServer` → `Httpserver`).
pub fn camelcase(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "camelcase")?;
    let text = s(&args[0]);
    let mut chars = text.chars();
    let mut out = String::new();
    let mut first = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            first = Some(c);
            break;
        }
        out.push(c);
    }
    let Some(first) = first else {
        return Ok(Value::from(out));
    };
    // (rune as written, rune as it came in)
    let (mut r0, mut r0_orig) = (upper1(first), first);
    for c in chars {
        let (r1, r1_orig) = (r0, r0_orig);
        r0_orig = c;
        if is_connector(c) && is_connector(r1_orig) {
            out.push(r1);
            r0 = c;
            continue;
        }
        if is_connector(r1_orig) {
            r0 = upper1(c);
        } else {
            r0 = if r1_orig.is_uppercase() { lower1(c) } else { c };
            out.push(r1);
        }
    }
    out.push(r0);
    Ok(Value::from(out))
}

/// commons-lang `WordUtils.wrap`: break lines at spaces so they fit `width`.
fn wrap_text(
    func: &str,
    text: &str,
    width: usize,
    newline: &str,
    long_words: bool,
) -> Result<String, Error> {
    let width = width.max(1);
    let mut out = String::new();
    // Each break may add a long separator: the string is checked as it grows.
    let push_newline = |out: &mut String| -> Result<(), Error> {
        string_len(func, (out.len() + newline.len()) as u128)?;
        out.push_str(newline);
        Ok(())
    };
    for (li, line) in text.split('\n').enumerate() {
        if li > 0 {
            push_newline(&mut out)?;
        }
        let mut rest = line.trim_start_matches(' ');
        let mut first = true;
        while rest.chars().count() > width {
            if !first {
                push_newline(&mut out)?;
            }
            first = false;
            let window: String = rest.chars().take(width + 1).collect();
            match window.rfind(' ') {
                Some(i) if i > 0 => {
                    out.push_str(&rest[..i]);
                    rest = rest[i + 1..].trim_start_matches(' ');
                }
                _ if long_words => {
                    let cut: usize = rest
                        .char_indices()
                        .nth(width)
                        .map(|(i, _)| i)
                        .unwrap_or(rest.len());
                    out.push_str(&rest[..cut]);
                    rest = &rest[cut..];
                }
                _ => match rest.find(' ') {
                    Some(i) => {
                        out.push_str(&rest[..i]);
                        rest = rest[i + 1..].trim_start_matches(' ');
                    }
                    None => {
                        out.push_str(rest);
                        rest = "";
                    }
                },
            }
        }
        if !rest.is_empty() {
            if !first {
                push_newline(&mut out)?;
            }
            out.push_str(rest);
        }
    }
    Ok(out)
}

/// `wrap(width, text)`.
pub fn wrap(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "wrap")?;
    Ok(Value::from(wrap_text(
        "wrap",
        &s(&args[1]),
        to_int(&args[0]).max(1) as usize,
        "\n",
        false,
    )?))
}

/// `wrapWith(width, separator, text)`: long words are cut too.
pub fn wrap_with(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "wrapWith")?;
    Ok(Value::from(wrap_text(
        "wrapWith",
        &s(&args[2]),
        to_int(&args[0]).max(1) as usize,
        &s(&args[1]),
        true,
    )?))
}

/// `cat(a, b, ...)`: non-nil arguments joined by spaces.
pub fn cat(args: &[Value]) -> Result<Value, Error> {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_none() && !v.is_undefined())
        .map(go_string)
        .collect();
    Ok(Value::from(parts.join(" ")))
}

/// `plural(one, many, count)`.
pub fn plural(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "plural")?;
    Ok(if to_int(&args[2]) == 1 {
        args[0].clone()
    } else {
        args[1].clone()
    })
}

/// `toString(value)`: Go's `%v`.
pub fn to_string(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "toString")?;
    // Go's `string(b)` of bytes (`Files.GetBytes | toString`) is their text, kept
    // byte for byte when it is not UTF-8.
    if args[0].kind() == ValueKind::Bytes
        || args[0]
            .downcast_object_ref::<crate::gofmt::RawText>()
            .is_some()
    {
        return Ok(crate::gofmt::go_text(
            crate::gofmt::bytes_of(&args[0]).into_owned(),
        ));
    }
    Ok(Value::from(match args[0].kind() {
        ValueKind::String => args[0].as_str().unwrap_or_default().to_string(),
        _ => go_string(&args[0]),
    }))
}

/// `toStrings(list)`: each item as `toString`.
pub fn to_strings(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "toStrings")?;
    let items = super::lists::items(&args[0], "toStrings")?;
    Ok(Value::from(
        items.iter().map(|v| Value::from(s(v))).collect::<Vec<_>>(),
    ))
}

/// Go's `fmt.Sprint`: a space between operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, v) in args.iter().enumerate() {
        let is_str = v.kind() == ValueKind::String;
        if i > 0 && !is_str && args[i - 1].kind() != ValueKind::String {
            out.push(' ');
        }
        out.push_str(&go_string(v));
    }
    out
}

pub fn print(args: &[Value]) -> Result<Value, Error> {
    Ok(Value::from(sprint(args)))
}

/// Go's `fmt.Sprintln`: spaces between all operands and a final newline.
pub fn println(args: &[Value]) -> Result<Value, Error> {
    let parts: Vec<String> = args.iter().map(go_string).collect();
    Ok(Value::from(format!("{}\n", parts.join(" "))))
}

/// `join(separator, list)`: nil items skipped.
pub fn join(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "join")?;
    let sep = s(&args[0]);
    let items = match args[1].kind() {
        ValueKind::Seq | ValueKind::Iterable => super::lists::items(&args[1], "join")?,
        _ => return Ok(Value::from(s(&args[1]))),
    };
    let parts: Vec<String> = items
        .iter()
        .filter(|v| !v.is_none() && !v.is_undefined())
        .map(s)
        .collect();
    let seps = parts.len().saturating_sub(1) as u128 * sep.len() as u128;
    string_len(
        "join",
        parts.iter().map(|p| p.len() as u128).sum::<u128>() + seps,
    )?;
    Ok(Value::from(parts.join(&sep)))
}

/// `sortAlpha(list)`.
pub fn sort_alpha(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "sortAlpha")?;
    let mut parts: Vec<String> = super::lists::items(&args[0], "sortAlpha")?
        .iter()
        .map(s)
        .collect();
    parts.sort();
    Ok(Value::from(
        parts.into_iter().map(Value::from).collect::<Vec<_>>(),
    ))
}

/// `splitList(separator, text)`.
pub fn split_list(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "splitList")?;
    Ok(Value::from(
        go_split(&s(&args[1]), &s(&args[0]), -1)
            .into_iter()
            .map(Value::from)
            .collect::<Vec<_>>(),
    ))
}

/// `split(separator, text)`: a dict `_0`, `_1`, ...
pub fn split(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "split")?;
    Ok(indexed(go_split(&s(&args[1]), &s(&args[0]), -1)))
}

/// `splitn(separator, n, text)`.
pub fn splitn(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "splitn")?;
    Ok(indexed(go_split(
        &s(&args[2]),
        &s(&args[0]),
        to_int(&args[1]),
    )))
}

fn indexed(parts: Vec<String>) -> Value {
    Value::from(
        parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("_{i}"), Value::from(p)))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
}

/// Go's `strings.SplitN` (n < 0: all; an empty separator splits into characters).
fn go_split(text: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = text.chars().map(String::from).collect();
        if n > 0 && chars.len() > n as usize {
            let mut head: Vec<String> = chars[..n as usize - 1].to_vec();
            head.push(chars[n as usize - 1..].concat());
            return head;
        }
        return chars;
    }
    if n < 0 {
        text.split(sep).map(String::from).collect()
    } else {
        text.splitn(n as usize, sep).map(String::from).collect()
    }
}

/// `urlquery(values...)`: Go's `url.QueryEscape` of the printed arguments.
pub fn urlquery(args: &[Value]) -> Result<Value, Error> {
    let text = sprint(args);
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::from(out))
}

/// `html(values...)`: Go's `template.HTMLEscapeString`.
pub fn html(args: &[Value]) -> Result<Value, Error> {
    let text = sprint(args);
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&#34;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Ok(Value::from(out))
}

/// `js(values...)`: Go's `template.JSEscapeString`.
pub fn js(args: &[Value]) -> Result<Value, Error> {
    let text = sprint(args);
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            // Go writes control characters and what Unicode does not call printable
            // as `\uXXXX`.
            c if c.is_control()
                || (c.is_whitespace() && c != ' ')
                || matches!(c, '\u{ad}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}') =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    Ok(Value::from(out))
}

/// `getHostByName(name)`: rudder never resolves names (helm template without
/// --enable-dns returns "" too).
pub fn get_host_by_name(args: &[Value]) -> Result<Value, Error> {
    arg(args, 0, "getHostByName")?;
    Ok(Value::from(""))
}
