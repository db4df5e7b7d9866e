//! Regular expressions in Go's RE2 syntax (the `regex` crate reads the same syntax).
//! The plain forms fail the render on a bad pattern, as Helm's do; `must...` are aliases.

use minijinja::Error;
use minijinja::value::Value;

use super::args::{exact, func_error, s, to_int};

/// Patterns compiled so far in this run. Charts call the same few patterns for every
/// resource (shared library charts run `regexReplaceAll` in their label helpers), and
/// compiling one costs far more than matching it: one corpus chart compiled the same
/// patterns hundreds of times per render. Shared by the render's threads; bounded, so a
/// template cannot grow it without end. Each pattern is shared behind an `Arc`, not
/// cloned: a clone of a `Regex` starts its own pool of matching caches, and building a
/// lazy DFA's cache for every call was 4.6 % of a library-heavy render.
const CACHED_PATTERNS: usize = 256;

type Compiled = std::sync::Arc<regex::Regex>;

static COMPILED: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<String, Compiled>>,
> = std::sync::LazyLock::new(Default::default);

fn compile(pattern: &str) -> Result<Compiled, Error> {
    let cached = |c: &std::sync::Mutex<std::collections::HashMap<String, Compiled>>| {
        c.lock().ok().and_then(|c| c.get(pattern).cloned())
    };
    if let Some(re) = cached(&COMPILED) {
        return Ok(re);
    }
    let re = regex::Regex::new(&go_syntax(pattern))
        .map_err(|e| func_error(go_regexp_error(pattern, &e.to_string())))?;
    let re = Compiled::new(re);
    if let Ok(mut cache) = COMPILED.lock() {
        if cache.len() >= CACHED_PATTERNS {
            cache.clear();
        }
        cache.insert(pattern.to_string(), re.clone());
    }
    Ok(re)
}

/// The pattern with Go's meaning of the Perl classes: in Go (RE2) `\d`, `\s`, `\w` and
/// their negations are ASCII classes and `\b`/`\B` ASCII word boundaries, where the
/// regex crate reads them as Unicode classes (`\d` would match `٣`, `\w` `é`). Each is
/// written out as the ASCII class Go uses (`\s` is `[\t\n\f\r ]`, without `\v`); inside
/// a class the positive ones become ranges and the negative ones nested classes. The
/// Unicode forms are also far larger automata: `[^a-z\d]` compiled three times slower.
fn go_syntax(pattern: &str) -> std::borrow::Cow<'_, str> {
    if !pattern.contains(['\\', '{']) {
        return pattern.into();
    }
    const DIGIT: &str = "0-9";
    const SPACE: &str = "\\t\\n\\f\\r ";
    const WORD: &str = "0-9A-Za-z_";
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Inside a class: how many characters of it have been read (a `]` first is literal).
    let mut class: Option<usize> = None;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let set = match next {
                    'd' | 'D' => Some(DIGIT),
                    's' | 'S' => Some(SPACE),
                    'w' | 'W' => Some(WORD),
                    _ => None,
                };
                let negated = next.is_ascii_uppercase();
                match set {
                    Some(set) if class.is_none() || negated => {
                        out.push_str(if negated { "[^" } else { "[" });
                        out.push_str(set);
                        out.push(']');
                    }
                    Some(set) => out.push_str(set),
                    None if class.is_none() && matches!(next, 'b' | 'B') => {
                        out.push_str("(?-u:\\");
                        out.push(next);
                        out.push(')');
                    }
                    None => {
                        out.push(c);
                        out.push(next);
                        // `\p{Greek}`, `\x{263a}`: the braces belong to the escape.
                        if matches!(next, 'p' | 'P' | 'x') && chars.peek() == Some(&'{') {
                            for d in chars.by_ref() {
                                out.push(d);
                                if d == '}' {
                                    break;
                                }
                            }
                        }
                    }
                }
                if let Some(n) = &mut class {
                    *n += 1;
                }
            }
            '[' if class.is_none() => {
                out.push(c);
                class = Some(0);
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            '[' if chars.peek() == Some(&':') => {
                // A POSIX class (`[:alpha:]`), ASCII in both; copied through its `:]`.
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == ']' {
                        break;
                    }
                }
                if let Some(n) = &mut class {
                    *n += 1;
                }
            }
            // Go reads a `{` that does not start a repetition (`{2}`, `{2,}`, `{2,5}`) as
            // itself, where the regex crate refuses it.
            '{' if class.is_none() && !starts_repetition(chars.clone()) => out.push_str("\\{"),
            ']' if class.is_some_and(|n| n > 0) => {
                out.push(c);
                class = None;
            }
            _ => {
                out.push(c);
                if let Some(n) = &mut class {
                    *n += 1;
                }
            }
        }
    }
    out.into()
}

/// Go's wording of the commonest syntax errors (`error parsing regexp: missing closing ]:
/// `[a``); the others keep the regex crate's description.
fn go_regexp_error(pattern: &str, ours: &str) -> String {
    let from_last = |open: char| {
        let at = pattern.rfind(open).unwrap_or(0);
        &pattern[at..]
    };
    let go = if ours.contains("unclosed character class") {
        Some(format!("missing closing ]: `{}`", from_last('[')))
    } else if ours.contains("unclosed group") {
        Some(format!("missing closing ): `{pattern}`"))
    } else if ours.contains("unopened group") {
        Some(format!("unexpected ): `{pattern}`"))
    } else if ours.contains("repetition operator missing expression") {
        let op = pattern
            .chars()
            .find(|c| matches!(c, '*' | '+' | '?'))
            .unwrap_or('*');
        Some(format!("missing argument to repetition operator: `{op}`"))
    } else {
        None
    };
    match go {
        Some(text) => format!("error parsing regexp: {text}"),
        None => format!("error parsing regexp: {ours}"),
    }
}

/// `regexMatch(regex, text)`: false for a bad pattern, as Sprig ignores the error.
pub fn regex_match(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "regexMatch")?;
    Ok(Value::from(
        compile(&s(&args[0])).is_ok_and(|re| re.is_match(&s(&args[1]))),
    ))
}

/// `mustRegexMatch(regex, text)`: fails on a bad pattern.
pub fn must_regex_match(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "mustRegexMatch")?;
    Ok(Value::from(compile(&s(&args[0]))?.is_match(&s(&args[1]))))
}

/// `regexFind(regex, text)`: the first match or "".
pub fn regex_find(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "regexFind")?;
    let text = s(&args[1]);
    Ok(Value::from(
        compile(&s(&args[0]))?
            .find(&text)
            .map(|m| m.as_str().to_string())
            .unwrap_or_default(),
    ))
}

/// `regexFindAll(regex, text, n)`: at most n matches, all when n < 0.
pub fn regex_find_all(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "regexFindAll")?;
    let text = s(&args[1]);
    let n = to_int(&args[2]);
    let re = compile(&s(&args[0]))?;
    let found = re.find_iter(&text).map(|m| Value::from(m.as_str()));
    let found: Vec<Value> = if n < 0 {
        found.collect()
    } else {
        found.take(n as usize).collect()
    };
    Ok(Value::from(found))
}

/// `regexReplaceAll(regex, text, replacement)`: `$1` and `${name}` expand.
pub fn regex_replace_all(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "regexReplaceAll")?;
    let re = compile(&s(&args[0]))?;
    Ok(Value::from(
        re.replace_all(&s(&args[1]), s(&args[2]).as_str())
            .into_owned(),
    ))
}

/// `regexReplaceAllLiteral(regex, text, replacement)`: no expansion.
pub fn regex_replace_all_literal(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "regexReplaceAllLiteral")?;
    let re = compile(&s(&args[0]))?;
    let rep = s(&args[2]);
    Ok(Value::from(
        re.replace_all(&s(&args[1]), regex::NoExpand(&rep))
            .into_owned(),
    ))
}

/// `regexSplit(regex, text, n)`: Go's `Regexp.Split`.
pub fn regex_split(args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "regexSplit")?;
    let re = compile(&s(&args[0]))?;
    let text = s(&args[1]);
    let n = to_int(&args[2]);
    if n == 0 {
        return Ok(Value::from(Vec::<Value>::new()));
    }
    let parts: Vec<Value> = if n < 0 {
        re.split(&text).map(Value::from).collect()
    } else {
        re.splitn(&text, n as usize).map(Value::from).collect()
    };
    Ok(Value::from(parts))
}

/// `regexQuoteMeta(text)`.
pub fn regex_quote_meta(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "regexQuoteMeta")?;
    let mut out = String::new();
    for c in s(&args[0]).chars() {
        // Go's QuoteMeta escapes exactly these.
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::from(out))
}

/// Whether the text after a `{` completes a repetition: digits, then `}`, `,}` or
/// `,` digits `}`.
fn starts_repetition(mut rest: impl Iterator<Item = char>) -> bool {
    let mut digits = 0;
    let mut comma = false;
    for c in rest.by_ref() {
        match c {
            '0'..='9' => digits += 1,
            ',' if !comma && digits > 0 => comma = true,
            '}' => return digits > 0,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_are_written_out_as_go_reads_them() {
        let rows = [
            (r"a.b", r"a.b"),
            (r"\d+", r"[0-9]+"),
            (r"\D\S\W", r"[^0-9][^\t\n\f\r ][^0-9A-Za-z_]"),
            (r"[^a-z\d\-]", r"[^a-z0-9\-]"),
            (r"[\w.]", r"[0-9A-Za-z_.]"),
            (r"[a\D]", r"[a[^0-9]]"),
            (r"\bx\B", r"(?-u:\b)x(?-u:\B)"),
            (r"\\d", r"\\d"),
            (r"[]\d]", r"[]0-9]"),
            (r"[[:alpha:]\d]", r"[[:alpha:]0-9]"),
            (r"\p{Greek}\.", r"\p{Greek}\."),
            (r"a{2}b{1,}c{1,3}", r"a{2}b{1,}c{1,3}"),
            (r"{(v[0-9])*[^}]*}}$", r"\{(v[0-9])*[^}]*}}$"),
            (r"x{a}[{]", r"x\{a}[{]"),
            (r"\x{263a}{2}", r"\x{263a}{2}"),
        ];
        for (go, ours) in rows {
            assert_eq!(go_syntax(go), ours, "{go}");
            regex::Regex::new(&go_syntax(go)).unwrap();
        }
    }

    #[test]
    fn perl_classes_match_ascii_only_as_in_go() {
        let find_all = |p: &str, text: &str| -> Vec<String> {
            compile(p)
                .unwrap()
                .find_iter(text)
                .map(|m| m.as_str().to_string())
                .collect()
        };
        assert_eq!(find_all(r"\d", "٣4"), ["4"]);
        assert_eq!(find_all(r"\w+", "héllo"), ["h", "llo"]);
        assert_eq!(find_all(r"\W", "a-é"), ["-", "é"]);
        assert_eq!(find_all(r"\s", "a\u{a0}b c\u{b}d"), [" "]);
        assert_eq!(find_all(r"\bfoo", "éfoo"), ["foo"]);
        assert_eq!(find_all(r"[^a-z\d]", "a5é"), ["é"]);
    }
}
