//! A values document in one pass over the parser's events.
//!
//! Every chart's values.yaml is read on every render, and serde-saphyr's full reader costs
//! several times a bare pass of its parser (a 60-subchart umbrella spent a quarter of its
//! time there). Most values files are maps and lists of quoted strings and of plain words,
//! integers and decimals, whose types are not in doubt. `read` builds those documents
//! itself and gives up (`None`) at the first thing whose reading the full reader should
//! decide: a syntax error, an anchor, an alias, a tag, a merge key, a collection or a
//! number as a key, a plain scalar that might be a YAML 1.1 boolean other than
//! `true`/`false`, a number in any other form (octal, hex, exponents, `1_000`, `.inf`),
//! a date, a second document, a limit reached.

use granit_parser::ScalarStyle;
use serde_json::{Map, Value as Json};

use super::plain_events::{self, Node, PlainEvents};
use super::resolve::{Resolved, resolve_plain};

enum Open {
    Map(Map<String, Json>, Option<String>),
    Seq(Vec<Json>),
}

/// The document's value (`Json::Null` for an empty one), or `None` to leave it to the
/// full reader.
pub fn read(text: &str) -> Option<Json> {
    plain_events::read(text, from_events)
}

fn from_events(events: &mut PlainEvents) -> Option<Json> {
    let mut stack: Vec<Open> = Vec::new();
    let mut done: Option<Json> = None;
    for node in events {
        let value = match node? {
            Node::Scalar(text, style) => {
                if let Some(Open::Map(_, pending @ None)) = stack.last_mut() {
                    *pending = Some(if style == ScalarStyle::Plain {
                        plain_key(&text)?
                    } else {
                        text.into_owned()
                    });
                    continue;
                }
                if style == ScalarStyle::Plain {
                    plain_value(&text)?
                } else {
                    Json::String(text.into_owned())
                }
            }
            Node::Start(is_mapping) => {
                // A collection as a key.
                if matches!(stack.last(), Some(Open::Map(_, None))) {
                    return None;
                }
                stack.push(if is_mapping {
                    Open::Map(Map::new(), None)
                } else {
                    Open::Seq(Vec::new())
                });
                continue;
            }
            Node::End => match stack.pop()? {
                Open::Map(map, None) => Json::Object(map),
                Open::Seq(items) => Json::Array(items),
                Open::Map(..) => return None,
            },
        };
        match stack.last_mut() {
            None => done = Some(value),
            Some(Open::Seq(items)) => items.push(value),
            Some(Open::Map(map, pending)) => {
                // A later duplicate key wins, as in the full reader.
                map.insert(pending.take()?, value);
            }
        }
    }
    if !stack.is_empty() {
        return None;
    }
    Some(done.unwrap_or(Json::Null))
}

/// A plain key whose JSON text is its own text.
fn plain_key(text: &str) -> Option<String> {
    if text.starts_with([
        '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    ]) {
        return None;
    }
    match resolve_plain(text) {
        Resolved::Str => Some(text.to_string()),
        _ if matches!(text, "true" | "false" | "null") => Some(text.to_string()),
        _ => None,
    }
}

/// A plain value whose type is not in doubt.
fn plain_value(text: &str) -> Option<Json> {
    if text.starts_with([
        '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    ]) {
        return number_or_text(text);
    }
    match (resolve_plain(text), text) {
        (Resolved::Str, _) => Some(Json::String(text.to_string())),
        (Resolved::Null, _) => Some(Json::Null),
        (Resolved::Bool, "true") => Some(Json::Bool(true)),
        (Resolved::Bool, "false") => Some(Json::Bool(false)),
        _ => None,
    }
}

/// A scalar starting like a number: a plain decimal integer or fraction, or text that
/// no YAML number or date can be (`512Mi`, `1.2.3-beta`); else `None`.
fn number_or_text(text: &str) -> Option<Json> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let canonical_whole = digits(whole) && (whole == "0" || !whole.starts_with('0'));
    if canonical_whole {
        match fraction {
            None => return text.parse::<i64>().ok().map(Json::from),
            Some(f) if digits(f) => {
                return text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Json::Number);
            }
            Some(_) => {}
        }
    }
    // A letter no number, infinity, NaN or date uses, a sign none uses (`25%`, `a/b`), or
    // two dots (`1.8.23`, `0.0.0.0:80`): text whatever else it holds.
    let lower = text.to_ascii_lowercase();
    let number_letters = |c: char| "abcdefxobtzin".contains(c);
    let is_text = lower.chars().any(|c| {
        (c.is_ascii_alphabetic() && !number_letters(c))
            || !(c.is_ascii_alphanumeric() || ".+-_: ".contains(c))
    }) || text.matches('.').count() > 1;
    is_text.then(|| Json::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_read_in_one_pass_as_the_full_reader_reads_them() {
        let docs = [
            "a: 1\nb: -2\nc: 1.50\nd: 0.5\ne: text\nf: \"quoted: yes\"\ng: true\nh: false\ni: ~\nj:\nk: null\n",
            "list:\n  - a\n  - {b: [1, 2]}\n  - []\n  - {}\nmemory: 512Mi\ncpu: 100m\nv: 1.2.3-rc\n",
            "tag: 1.8.23\nhost: 0.0.0.0:14250\nsurge: 25%\nflag: --cert-dir=/tmp\nttl: 43800h0m0s\n",
            "block: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n'quoted key': 1\ntrue: x\n",
            "dup: 1\ndup: 2\nnested: {dup: {a: 1}, dup: {b: 2}}\n",
            "# comment only\n",
            "- a\n- 1\n",
            "big: 9223372036854775807\nneg: -9223372036854775808\n",
            // Found by fuzzing: booleans in odd case are strings to go-yaml (and now to
            // the full reader too).
            "{\"a\": [secu99)99999993e-2, trUe, null, {\"ub0\\\"\" :0e9\"}], \"c\": {}}",
            "a: tRUE\nb: yEs\nc: [oN, true]\n",
        ];
        for doc in docs {
            let full = super::super::parse_full(doc).unwrap();
            assert_eq!(read(doc), Some(full), "{doc:?}");
        }
    }

    #[test]
    fn values_whose_reading_is_in_doubt_are_left_to_the_full_reader() {
        let own = [
            "a: yes\n",
            "a: On\n",
            "a: 0755\n",
            "a: 0x1F\n",
            "a: 1e3\n",
            "a: 1_000\n",
            "a: -.5\n",
            "a: 2001-12-14\n",
            "a: 1:20\n",
            "1: a\n",
            "~: a\n",
            "a: 99999999999999999999\n",
        ];
        for doc in own.iter().chain(super::super::LEFT_TO_THE_FULL_READER) {
            assert_eq!(read(doc), None, "{doc:?}");
        }
    }

    /// Every YAML file of the repository's charts and fixtures: wherever the one-pass
    /// reader answers, the full reader gives the same value.
    #[test]
    fn every_yaml_file_in_the_repository_reads_the_same_both_ways() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut quick, mut files) = (0, 0);
        for dir in ["charts", "testdata"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "yaml") || !entry.file_type().is_file() {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                files += 1;
                let Some(fast) = read(&text) else { continue };
                quick += 1;
                let full = super::super::parse_full(&text);
                assert_eq!(
                    Ok(fast),
                    full.map_err(|e| e.to_string()),
                    "{}",
                    path.display()
                );
            }
        }
        // Most fixtures are templates or edge cases, which the full reader takes.
        assert!(
            quick * 3 > files,
            "only {quick} of {files} files read in one pass"
        );
    }
}
