//! Regular expressions in Go's RE2 syntax (the `regex` crate reads the same syntax).
//! The plain forms fail the render on a bad pattern, as Helm's do; `must...` are aliases.

use minijinja::Error;
use minijinja::value::Value;

use super::args::{exact, func_error, s, to_int};

/// Patterns compiled so far on this thread. Charts call the same few patterns for every
/// resource (shared library charts run `regexReplaceAll` in their label helpers), and
/// compiling one costs far more than matching it: one corpus chart compiled the same
/// patterns hundreds of times per render. Bounded, so a template cannot grow it without end.
const CACHED_PATTERNS: usize = 256;

thread_local! {
    static COMPILED: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn compile(pattern: &str) -> Result<regex::Regex, Error> {
    if let Some(re) = COMPILED.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = regex::Regex::new(pattern)
        .map_err(|e| func_error(go_regexp_error(pattern, &e.to_string())))?;
    COMPILED.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHED_PATTERNS {
            cache.clear();
        }
        cache.insert(pattern.to_string(), re.clone());
    });
    Ok(re)
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
