//! Helm's `--set` grammar (`strvals`): `a.b=c,d[0]=e,list={x,y}`, `\` escapes.
//!
//! Values are typed as Helm types them (`true`, `null`, int64 without a leading zero)
//! unless the caller asks for strings (`--set-string`) or raw text (`--set-file`,
//! `--set-json`, `--set-literal`).

use serde_json::{Map, Value as Json};

/// Helm refuses list indexes above this bound so `a[999999999]=x` cannot exhaust memory.
const MAX_INDEX: usize = 65536;

/// How the right-hand side of `key=value` is turned into a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `--set`: typed scalars and `{a,b}` lists.
    Typed,
    /// `--set-string`: every scalar stays a string.
    String,
    /// `--set-json`: the value is JSON.
    Json,
    /// `--set-literal`: the whole rest of the argument is one string.
    Literal,
}

/// Reads the right-hand side of a `--set-file` pair: the path in, the value out.
pub type FileReader<'a> = &'a dyn Fn(&str) -> Result<Json, StrvalsError>;

/// A parse error, worded as Helm words it.
#[derive(Debug, PartialEq, Eq)]
pub struct StrvalsError(pub String);

impl std::fmt::Display for StrvalsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StrvalsError {}

fn err<T>(msg: impl Into<String>) -> Result<T, StrvalsError> {
    Err(StrvalsError(msg.into()))
}

/// Parses `expr` and merges it into `dest`; returns how many pairs had an empty key
/// (`=1`), which Helm ignores without a word and callers warn about.
///
/// `reader` turns the right-hand side into a value for `--set-file` (the path is passed
/// in and the file's content comes out); when it is `None` the mode decides.
pub fn parse_into(
    expr: &str,
    dest: &mut Map<String, Json>,
    mode: Mode,
    reader: Option<FileReader<'_>>,
) -> Result<usize, StrvalsError> {
    let mut p = Parser {
        s: expr.chars().collect(),
        pos: 0,
        mode,
        reader,
        names: 0,
        nesting: 0,
        empty_keys: 0,
    };
    p.parse_map(dest)?;
    Ok(p.empty_keys)
}

struct Parser<'a> {
    s: Vec<char>,
    pos: usize,
    mode: Mode,
    reader: Option<FileReader<'a>>,
    /// Dotted name levels of the current pair (Helm allows 30 below the first).
    names: u64,
    /// Levels of the current pair, names and list indexes: each is a nested call here.
    nesting: u64,
    /// Pairs whose key was empty (not set, as in Helm).
    empty_keys: usize,
}

/// What ended a run of characters.
#[derive(PartialEq, Eq, Debug)]
enum Stop {
    Char(char),
    End,
}

impl Parser<'_> {
    /// Reads until one of `stops` (unescaped), returning the text and what stopped it.
    fn run_until(&mut self, stops: &[char]) -> (String, Stop) {
        let mut out = String::new();
        while self.pos < self.s.len() {
            let c = self.s[self.pos];
            self.pos += 1;
            if c == '\\' {
                if self.pos < self.s.len() {
                    out.push(self.s[self.pos]);
                    self.pos += 1;
                }
                continue;
            }
            if stops.contains(&c) {
                return (out, Stop::Char(c));
            }
            out.push(c);
        }
        (out, Stop::End)
    }

    fn rest(&mut self) -> String {
        let out: String = self.s[self.pos..].iter().collect();
        self.pos = self.s.len();
        out
    }

    fn parse_map(&mut self, data: &mut Map<String, Json>) -> Result<(), StrvalsError> {
        while self.pos < self.s.len() {
            self.names = 0;
            self.nesting = 0;
            if !self.parse_map_one(data)? {
                break;
            }
        }
        Ok(())
    }

    /// Parses one `key...=value` path into `data`; returns whether more pairs follow.
    fn parse_map_one(&mut self, data: &mut Map<String, Json>) -> Result<bool, StrvalsError> {
        self.nest()?;
        let (key, stop) = self.run_until(&['=', '[', ',', '.']);
        match stop {
            Stop::End if key.is_empty() => Ok(false),
            Stop::End => err(format!("key {key:?} has no value")),
            Stop::Char(',') => err(format!("key {key:?} has no value (cannot end with ,)")),
            Stop::Char('=') => {
                let value = self.value()?;
                if key.is_empty() {
                    self.empty_keys += 1;
                } else {
                    set(data, key, value);
                }
                self.after_value()
            }
            Stop::Char('.') => {
                if key.is_empty() {
                    return err("key map with no name");
                }
                self.names += 1;
                let limit = &crate::limits::SET_DEPTH;
                if self.names > limit.get() {
                    return err(limit.exceeded(format!(
                        "value name nested level is greater than maximum supported nested level of {}",
                        limit.get()
                    )));
                }
                let mut inner = match data.remove(&key) {
                    Some(Json::Object(m)) => m,
                    _ => Map::new(),
                };
                let result = self.parse_map_one(&mut inner);
                // `a.=1` sets nothing under `a`: Helm refuses it.
                if result.is_ok() && inner.is_empty() {
                    return err(format!("key map {key:?} has no value"));
                }
                data.insert(key, Json::Object(inner));
                result
            }
            Stop::Char('[') => {
                if key.is_empty() {
                    return err("key map with no name");
                }
                let list = match data.remove(&key) {
                    Some(Json::Array(l)) => l,
                    _ => Vec::new(),
                };
                let (list, more) = self.parse_list_index(list)?;
                data.insert(key, Json::Array(list));
                Ok(more)
            }
            Stop::Char(c) => err(format!("unexpected {c:?}")),
        }
    }

    /// After `[`: reads the index and what follows it; returns the list and whether more
    /// pairs follow.
    fn parse_list_index(&mut self, mut list: Vec<Json>) -> Result<(Vec<Json>, bool), StrvalsError> {
        self.nest()?;
        let (digits, stop) = self.run_until(&[']']);
        if stop != Stop::Char(']') {
            return err(format!("error parsing index: missing ']' after {digits:?}"));
        }
        let index: usize = match digits.parse::<i64>() {
            Ok(i) if i < 0 => return err(format!("negative {i} index not allowed")),
            Ok(i) => i as usize,
            Err(e) => return err(format!("error parsing index: {e}")),
        };
        if index > MAX_INDEX {
            return err(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            ));
        }
        let Some(&next) = self.s.get(self.pos) else {
            return err(format!("key {:?} has no value", format!("[{index}]")));
        };
        self.pos += 1;
        match next {
            '=' => {
                let value = self.value()?;
                set_index(&mut list, index, value);
                let more = self.after_value()?;
                Ok((list, more))
            }
            '.' => {
                let mut inner = match list.get(index) {
                    Some(Json::Object(m)) => m.clone(),
                    _ => Map::new(),
                };
                let more = self.parse_map_one(&mut inner)?;
                set_index(&mut list, index, Json::Object(inner));
                Ok((list, more))
            }
            '[' => {
                let inner = match list.get(index) {
                    Some(Json::Array(l)) => l.clone(),
                    _ => Vec::new(),
                };
                let (inner, more) = self.parse_list_index(inner)?;
                set_index(&mut list, index, Json::Array(inner));
                Ok((list, more))
            }
            c => err(format!("parse error: unexpected token {c:?}")),
        }
    }

    /// One level deeper into the current pair. Helm bounds only the dotted names; list
    /// indexes (`a[0][0]…`) are bounded here by the document nesting limit, so a deep
    /// path is an error rather than a stack overflow.
    fn nest(&mut self) -> Result<(), StrvalsError> {
        self.nesting += 1;
        let limit = &crate::limits::YAML_DEPTH;
        if self.nesting > limit.get() {
            return err(limit.exceeded(format!("the key nests more than {} levels", limit.get())));
        }
        Ok(())
    }

    /// After a value: `,` means more pairs follow, the end means done.
    fn after_value(&mut self) -> Result<bool, StrvalsError> {
        match self.s.get(self.pos) {
            None => Ok(false),
            Some(',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(c) => err(format!("key-value pair is malformed: unexpected {c:?}")),
        }
    }

    fn value(&mut self) -> Result<Json, StrvalsError> {
        match self.mode {
            Mode::Literal => Ok(Json::String(self.rest())),
            Mode::Json => {
                let text = self.rest();
                crate::yaml::parse_json(&text)
                    .map_err(|e| StrvalsError(format!("failed to parse json {text:?}: {e}")))
            }
            Mode::Typed | Mode::String => {
                if let Some(reader) = self.reader {
                    let (text, stop) = self.run_until(&[',']);
                    if stop == Stop::Char(',') {
                        self.pos -= 1;
                    }
                    return reader(&text);
                }
                if self.s.get(self.pos) == Some(&'{') {
                    self.pos += 1;
                    return self.list_value();
                }
                let (text, stop) = self.run_until(&[',']);
                if stop == Stop::Char(',') {
                    self.pos -= 1;
                }
                Ok(self.typed(text))
            }
        }
    }

    /// `{a,b,c}` after the `{`.
    fn list_value(&mut self) -> Result<Json, StrvalsError> {
        let mut items = Vec::new();
        loop {
            let (text, stop) = self.run_until(&[',', '}']);
            match stop {
                Stop::End => return err("list must terminate with '}'"),
                Stop::Char('}') => {
                    // Helm reads `{}` as a list holding one empty string.
                    items.push(self.typed(text));
                    return Ok(Json::Array(items));
                }
                _ => items.push(self.typed(text)),
            }
        }
    }

    fn typed(&self, text: String) -> Json {
        if self.mode == Mode::String {
            return Json::String(text);
        }
        typed_value(text)
    }
}

/// Helm's typing of a `--set` scalar.
pub fn typed_value(text: String) -> Json {
    if text.eq_ignore_ascii_case("true") {
        return Json::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Json::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Json::Null;
    }
    if text == "0" {
        return Json::from(0i64);
    }
    if !text.is_empty()
        && !text.starts_with('0')
        && let Ok(i) = text.parse::<i64>()
    {
        return Json::from(i);
    }
    Json::String(text)
}

fn set(data: &mut Map<String, Json>, key: String, value: Json) {
    data.insert(key, value);
}

fn set_index(list: &mut Vec<Json>, index: usize, value: Json) {
    if list.len() <= index {
        list.resize(index + 1, Json::Null);
    }
    list[index] = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(expr: &str, mode: Mode) -> Result<Json, StrvalsError> {
        let mut m = Map::new();
        parse_into(expr, &mut m, mode, None)?;
        Ok(Json::Object(m))
    }

    // Every expected value below was confirmed with `helm4 template --set ... `
    // printing `{{ toJson .Values }}`.
    #[test]
    fn set_grammar_matches_helm() {
        let rows: &[(&str, &str, Json)] = &[
            ("simple", "name=value", json!({"name": "value"})),
            ("two_pairs", "a=1,b=2", json!({"a": 1, "b": 2})),
            ("nested", "outer.inner=x", json!({"outer": {"inner": "x"}})),
            ("escaped_comma", r"a=x\,y", json!({"a": "x,y"})),
            ("escaped_dot_in_key", r"a\.b=c", json!({"a.b": "c"})),
            ("list", "a={x,y}", json!({"a": ["x", "y"]})),
            ("typed_list", "a={1,true,z}", json!({"a": [1, true, "z"]})),
            ("index", "a[2]=v", json!({"a": [null, null, "v"]})),
            (
                "nested_index",
                "a[0].b[1]=x",
                json!({"a": [{"b": [null, "x"]}]}),
            ),
            ("null", "a=null", json!({"a": null})),
            ("empty", "a=", json!({"a": ""})),
            ("bool", "a=true,b=FALSE", json!({"a": true, "b": false})),
            ("leading_zero_stays_string", "a=0755", json!({"a": "0755"})),
            ("zero", "a=0", json!({"a": 0})),
            ("big_int", "a=12345678901", json!({"a": 12345678901i64})),
            ("float_is_string", "a=1.5", json!({"a": "1.5"})),
            (
                "empty_braces_hold_one_empty_string",
                "a={}",
                json!({"a": [""]}),
            ),
            ("plus_sign_int", "a=+5", json!({"a": 5})),
            ("trailing_comma", "a=1,", json!({"a": 1})),
            (
                "later_index_first",
                "a[1]=x,a[0]=y",
                json!({"a": ["y", "x"]}),
            ),
            ("equals_in_value", "a=x=y", json!({"a": "x=y"})),
        ];
        for (name, expr, want) in rows {
            assert_eq!(&parse(expr, Mode::Typed).unwrap(), want, "{name}");
        }
    }

    #[test]
    fn set_string_keeps_strings() {
        assert_eq!(
            parse("a=true,b=1", Mode::String).unwrap(),
            json!({"a": "true", "b": "1"})
        );
    }

    #[test]
    fn set_json_and_literal() {
        assert_eq!(
            parse(r#"a={"b":[1,2]}"#, Mode::Json).unwrap(),
            json!({"a": {"b": [1, 2]}})
        );
        assert_eq!(
            parse("a=x,y=z", Mode::Literal).unwrap(),
            json!({"a": "x,y=z"})
        );
    }

    #[test]
    fn errors_are_worded_as_helm() {
        let rows = [
            ("no_value", "name", "key \"name\" has no value"),
            ("trailing_comma", "a=1,b", "key \"b\" has no value"),
            (
                "comma_key",
                "a,b=1",
                "key \"a\" has no value (cannot end with ,)",
            ),
            (
                "index_too_big",
                "a[65537]=x",
                "index of 65537 is greater than maximum supported index of 65536",
            ),
        ];
        for (name, expr, want) in rows {
            assert_eq!(parse(expr, Mode::Typed).unwrap_err().0, want, "{name}");
        }
    }
}
