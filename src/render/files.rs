//! `Files`: a chart's non-template files, with Helm's methods.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use minijinja::value::{Enumerator, Object, ObjectExt, Value};
use minijinja::{Error, ErrorKind, State};

use crate::chart::File;

/// The files of one chart (or a `Glob` subset), by path.
#[derive(Debug, Clone, Default)]
pub struct Files {
    files: BTreeMap<String, Arc<[u8]>>,
}

impl Files {
    pub fn new(files: &[File]) -> Files {
        Files {
            files: files
                .iter()
                .map(|f| (f.name.clone(), Arc::from(f.data.as_slice())))
                .collect(),
        }
    }

    fn text(&self, name: &str) -> String {
        self.files
            .get(name)
            .map(|d| String::from_utf8_lossy(d).into_owned())
            .unwrap_or_default()
    }

    fn by_base_name(&self, encode: impl Fn(&[u8]) -> String) -> String {
        if self.files.is_empty() {
            return String::new();
        }
        let map: BTreeMap<String, Value> = self
            .files
            .iter()
            .map(|(k, v)| {
                let base = k.rsplit('/').next().unwrap_or(k).to_string();
                (base, Value::from(encode(v)))
            })
            .collect();
        crate::yaml::to_yaml(&Value::from(map)).unwrap_or_default()
    }
}

impl Object for Files {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.files
            .get(key.as_str()?)
            .map(|d| Value::from_bytes(d.to_vec()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| Box::new(this.files.keys().map(|k| Value::from(k.as_str()))))
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let first = || {
            args.first()
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        match method {
            // Go strings are bytes: a binary file keeps its exact bytes.
            "Get" => Ok(crate::gofmt::go_text(
                self.files
                    .get(&first())
                    .map(|d| d.to_vec())
                    .unwrap_or_default(),
            )),
            "GetBytes" => Ok(Value::from_bytes(
                self.files
                    .get(&first())
                    .map(|d| d.to_vec())
                    .unwrap_or_default(),
            )),
            "Glob" => {
                let pattern = first();
                let files = self
                    .files
                    .iter()
                    .filter(|(k, _)| glob_match(&pattern, k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Ok(Value::from_object(Files { files }))
            }
            "Lines" => {
                let name = first();
                if !self.files.contains_key(&name) {
                    return Ok(Value::from(Vec::<Value>::new()));
                }
                let text = self.text(&name);
                let text = text.strip_suffix('\n').unwrap_or(&text);
                Ok(Value::from(
                    text.split('\n').map(Value::from).collect::<Vec<_>>(),
                ))
            }
            "AsConfig" => Ok(Value::from(
                self.by_base_name(|d| String::from_utf8_lossy(d).into_owned()),
            )),
            "AsSecrets" => {
                Ok(Value::from(self.by_base_name(|d| {
                    base64::engine::general_purpose::STANDARD.encode(d)
                })))
            }
            _ => Err(Error::new(
                ErrorKind::UnknownMethod,
                format!(
                    "Files has no method {method} (use Get, GetBytes, Glob, Lines, AsConfig, AsSecrets)"
                ),
            )),
        }
    }
}

/// The glob syntax of `Files.Glob` (gobwas/glob with `/` as separator): `*` and `?`
/// stay within a path segment, `**` crosses segments, `[a-z]`, `[!a]` and `{a,b}`.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    matches_at(&p, &n)
}

fn matches_at(p: &[char], n: &[char]) -> bool {
    let Some(&c) = p.first() else {
        return n.is_empty();
    };
    match c {
        '*' if p.get(1) == Some(&'*') => (0..=n.len()).any(|i| matches_at(&p[2..], &n[i..])),
        '*' => {
            let mut i = 0;
            loop {
                if matches_at(&p[1..], &n[i..]) {
                    return true;
                }
                if i >= n.len() || n[i] == '/' {
                    return false;
                }
                i += 1;
            }
        }
        '?' => !n.is_empty() && n[0] != '/' && matches_at(&p[1..], &n[1..]),
        '[' => {
            let Some(end) = p.iter().position(|&x| x == ']') else {
                return false;
            };
            let Some(&ch) = n.first() else { return false };
            let class = &p[1..end];
            let (negate, class) = match class.first() {
                Some('!') | Some('^') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    hit |= class[i] <= ch && ch <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == ch;
                    i += 1;
                }
            }
            hit != negate && matches_at(&p[end + 1..], &n[1..])
        }
        '{' => {
            let Some(end) = p.iter().position(|&x| x == '}') else {
                return false;
            };
            let rest = &p[end + 1..];
            p[1..end].split(|&x| x == ',').any(|alt| {
                let mut candidate: Vec<char> = alt.to_vec();
                candidate.extend_from_slice(rest);
                matches_at(&candidate, n)
            })
        }
        '\\' if p.len() > 1 => n.first() == Some(&p[1]) && matches_at(&p[2..], &n[1..]),
        _ => n.first() == Some(&c) && matches_at(&p[1..], &n[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_follows_gobwas_rules() {
        let rows = [
            ("star_in_segment", "config/*.conf", "config/a.conf", true),
            ("star_not_across", "*.conf", "config/a.conf", false),
            ("double_star", "**.conf", "config/a.conf", true),
            ("braces", "files/{a,b}.txt", "files/b.txt", true),
            ("class", "f[0-9].txt", "f7.txt", true),
            ("negated_class", "f[!0-9].txt", "f7.txt", false),
        ];
        for (name, p, n, want) in rows {
            assert_eq!(glob_match(p, n), want, "{name}");
        }
    }
}
