//! Field paths of `--ignore`: `metadata.labels."helm.sh/chart"`, `spec.containers[0]`.

use serde_json::Value as Json;

use super::Object;

/// Parses `a.b."c.d"[0]` into segments `a`, `b`, `c.d`, `[0]`.
pub fn parse_path(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '.' => {
                // `a[0].b`: the dot after an index starts the next key.
                let after_index =
                    cur.is_empty() && out.last().is_some_and(|l: &String| l.starts_with('['));
                if !after_index {
                    out.push(std::mem::take(&mut cur));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                let mut idx = String::from("[");
                for q in chars.by_ref() {
                    idx.push(q);
                    if q == ']' {
                        break;
                    }
                }
                out.push(idx);
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    if out.iter().any(String::is_empty) {
        return Err(format!("`{text}` is not a field path (use a.b.\"c.d\"[0])"));
    }
    Ok(out)
}

/// Whether `doc` has a value at `path`.
fn has_path(doc: &Json, path: &[String]) -> bool {
    let mut cur = doc;
    for seg in path {
        let next = match (seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')), cur) {
            (Some(i), Json::Array(a)) => i.parse::<usize>().ok().and_then(|i| a.get(i)),
            (None, Json::Object(m)) => m.get(seg),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
    true
}

/// The `--ignore` paths (as given) that match no field of any object on either side:
/// most likely a typo, which would otherwise leave the noise in without a word.
pub fn unmatched_ignores<'a>(
    given: &'a [String],
    parsed: &[Vec<String>],
    left: &[Object],
    right: &[Object],
) -> Vec<&'a str> {
    given
        .iter()
        .zip(parsed)
        .filter(|(_, path)| !left.iter().chain(right).any(|o| has_path(&o.doc, path)))
        .map(|(text, _)| text.as_str())
        .collect()
}

pub(super) fn remove_path(doc: &mut Json, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = doc;
    for seg in parents {
        let next = match (seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')), cur) {
            (Some(i), Json::Array(a)) => i.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
            (None, Json::Object(m)) => m.get_mut(seg),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match (
        last.strip_prefix('[').and_then(|s| s.strip_suffix(']')),
        cur,
    ) {
        (Some(i), Json::Array(a)) => {
            if let Ok(i) = i.parse::<usize>()
                && i < a.len()
            {
                a.remove(i);
            }
        }
        (None, Json::Object(m)) => {
            m.remove(last);
        }
        _ => {}
    }
}
