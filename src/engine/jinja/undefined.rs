//! Undefined names are errors; missing values keep Helm's meaning.
//!
//! In Helm a typo in a variable (`{{ $replcas }}`) is a parse error, while a missing key
//! of `.Values` renders empty. Jinja would render both empty, so a typo ships silently.
//! Here every bare name a template reads must be one of Helm's objects, a function, a
//! variable or macro the template defines, or a name the context passes: anything else
//! is an error naming it, with the line and the closest name in scope. Under `--strict`
//! the error for a missing value names its full path (`Values.image.tagg`) and the
//! closest existing key.

use std::collections::BTreeSet;

use minijinja::Template;
use serde_json::Value as Json;

use crate::engine::{RenderError, template_error};

/// Names minijinja itself gives a template: loop state, macro callers and arguments.
const SPECIAL: &[&str] = &["loop", "caller", "self", "super", "varargs", "kwargs"];

/// The names any template of the environment may read besides its own: globals
/// (functions, `range`, `dict`, …), Helm's objects and `extra` (context keys). Asked
/// only for the few names a template does not declare, so nothing is collected up front
/// (`tpl` runs this on every call).
pub struct Known<'a> {
    pub env: &'a minijinja::Environment<'a>,
    pub extra: &'a [String],
}

impl Known<'_> {
    fn contains(&self, name: &str) -> bool {
        super::ROOT_NAMES.contains(&name)
            || SPECIAL.contains(&name)
            || self.extra.iter().any(|e| e == name)
            || self.env.globals().any(|(g, _)| g == name)
    }

    /// Every known name, for the hint of an error.
    fn all(&self) -> BTreeSet<String> {
        self.env
            .globals()
            .map(|(n, _)| n.to_string())
            .chain(super::ROOT_NAMES.iter().map(|n| n.to_string()))
            .chain(SPECIAL.iter().map(|n| n.to_string()))
            .chain(self.extra.iter().cloned())
            .collect()
    }
}

/// Fails on the first name `template` reads that is not defined anywhere; the error
/// names the file `name` (a text compiled once for several files runs under the name
/// of the first).
pub fn check(
    name: &str,
    template: &Template,
    source: &str,
    known: &Known,
) -> Result<(), RenderError> {
    let mut unknown: Vec<String> = undeclared(template, source)
        .into_iter()
        .filter(|n| !known.contains(n))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    // Report the one used first in the file.
    unknown.sort_by_key(|n| (first_use(source, n).unwrap_or(usize::MAX), n.clone()));
    let unknown = &unknown[0];
    let all = known.all();
    let hint = match closest(unknown, all.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "values are read as `Values.<key>`; define variables with `{% set %}`".into(),
    };
    Err(template_error(
        name.to_string(),
        first_use(source, unknown),
        format!("undefined name `{unknown}`"),
        Some(hint),
    ))
}

/// Texts read so far on this thread and the names each reads without declaring them.
/// minijinja parses a template again to answer, and an umbrella's copies of one subchart
/// (or every `tpl` of one text) ask about the same text. Bounded.
const CACHED_TEXTS: usize = 1024;

thread_local! {
    static UNDECLARED: std::cell::RefCell<std::collections::HashMap<String, Vec<String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The names `template` (whose text is `source`) reads without declaring them.
fn undeclared(template: &Template, source: &str) -> Vec<String> {
    if let Some(names) = UNDECLARED.with(|c| c.borrow().get(source).cloned()) {
        return names;
    }
    let names: Vec<String> = template.undeclared_variables(false).into_iter().collect();
    UNDECLARED.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHED_TEXTS {
            cache.clear();
        }
        cache.insert(source.to_string(), names.clone());
    });
    names
}

/// The line of the first place `name` is read in a tag (`{{ }}` or `{% %}`): as a whole
/// word, not after a `.` (an attribute) and outside quotes.
fn first_use(source: &str, name: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut i = 0;
    while let Some(open) = source[i..].find(['{']).map(|p| p + i) {
        let kind = bytes.get(open + 1).copied();
        let close = match kind {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => {
                i = open + 1;
                continue;
            }
        };
        let start = open + 2;
        let end = source[start..]
            .find(close)
            .map_or(source.len(), |p| p + start);
        if let Some(at) = word_in(&source[start..end], name) {
            return Some(source[..start + at].matches('\n').count() + 1);
        }
        i = end;
    }
    None
}

/// Where `name` stands as a bare identifier in a tag's text.
fn word_in(text: &str, name: &str) -> Option<usize> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) if b == b'\\' => i += 1,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if text[i..].starts_with(name)
                && (i == 0 || (!ident(bytes[i - 1]) && bytes[i - 1] != b'.'))
                && !bytes.get(i + name.len()).is_some_and(|&c| ident(c)) =>
            {
                return Some(i);
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// Levenshtein distance of two short names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// The candidate nearest to `word`, when it is near enough to be a typo of it.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .map(|c| (distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Under `--strict`: the first `Values.a.b…` chain on `line` of `source` that does not
/// resolve in `values`, as the path up to the missing key and the closest existing
/// key beside it.
pub fn missing_value(source: &str, line: usize, values: &Json) -> Option<(String, Option<String>)> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let mut rest = text;
    while let Some(at) = rest.find("Values.") {
        let before = rest[..at].chars().next_back();
        let chain: String = rest[at + "Values.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        rest = &rest[at + "Values.".len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let mut node = values;
        let mut path = String::from("Values");
        for key in chain.split('.').filter(|k| !k.is_empty()) {
            path.push('.');
            path.push_str(key);
            match node.get(key) {
                Some(next) => node = next,
                None => {
                    let near = node.as_object().and_then(|m| {
                        closest(key, m.keys().map(String::as_str)).map(str::to_string)
                    });
                    return Some((path, near));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_are_found_as_whole_bare_words_in_tags() {
        let src = "replicas: x\n{{ Values.replcas }}\n{# replcas #}\n{{ 'replcas' }}\n{{ replcas | default(1) }}\n";
        assert_eq!(first_use(src, "replcas"), Some(5));
        assert_eq!(first_use("{% if foo %}\n{% endif %}", "foo"), Some(1));
        assert_eq!(first_use("{{ foobar }}", "foo"), None);
    }

    #[test]
    fn typos_find_their_name() {
        let names = ["Values", "Release", "include", "replicas"];
        assert_eq!(closest("Valuse", names.into_iter()), Some("Values"));
        assert_eq!(closest("replcas", names.into_iter()), Some("replicas"));
        assert_eq!(closest("zzz", names.into_iter()), None);
    }

    #[test]
    fn strict_names_the_missing_path_and_its_neighbour() {
        let values = serde_json::json!({"image": {"tag": "1", "repository": "r"}});
        assert_eq!(
            missing_value("a\nimage: {{ Values.image.tagg }}\n", 2, &values),
            Some(("Values.image.tagg".into(), Some("tag".into())))
        );
        assert_eq!(missing_value("{{ Values.image.tag }}", 1, &values), None);
    }
}
