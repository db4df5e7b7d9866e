//! `urlParse` and `urlJoin`, splitting URLs as Go's `net/url` does (no normalisation).

use std::collections::BTreeMap;

use minijinja::Error;
use minijinja::value::Value;

use super::args::{exact, s};
use super::collections::entries;

/// `urlParse(url)`: scheme, host, hostname, path, query, opaque, fragment, userinfo.
pub fn url_parse(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "urlParse")?;
    let text = s(&args[0]);
    let (rest, fragment) = match text.split_once('#') {
        Some((r, f)) => (r, f),
        None => (text.as_str(), ""),
    };
    let (scheme, rest) = match rest.find(':') {
        Some(i)
            if i > 0
                && rest[..i]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && rest[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (rest[..i].to_lowercase(), &rest[i + 1..])
        }
        _ => (String::new(), rest),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, q),
        None => (rest, ""),
    };
    let (mut userinfo, mut host, mut path, mut opaque) = (
        String::new(),
        String::new(),
        rest.to_string(),
        String::new(),
    );
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        path = after[end..].to_string();
        match authority.rsplit_once('@') {
            Some((u, h)) => {
                userinfo = u.to_string();
                host = h.to_string();
            }
            None => host = authority.to_string(),
        }
    } else if !scheme.is_empty() && !rest.starts_with('/') {
        opaque = rest.to_string();
        path = String::new();
    }
    let hostname = if host.starts_with('[') {
        host.split(']')
            .next()
            .unwrap_or_default()
            .trim_start_matches('[')
            .to_string()
    } else {
        host.split(':').next().unwrap_or_default().to_string()
    };
    let m: BTreeMap<&str, Value> = BTreeMap::from([
        ("scheme", Value::from(scheme)),
        ("host", Value::from(host)),
        ("hostname", Value::from(hostname)),
        ("path", Value::from(path)),
        ("query", Value::from(query)),
        ("opaque", Value::from(opaque)),
        ("fragment", Value::from(fragment)),
        ("userinfo", Value::from(userinfo)),
    ]);
    Ok(Value::from(m))
}

/// `urlJoin(dict)`: the URL built from urlParse's fields.
pub fn url_join(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "urlJoin")?;
    let m = entries(&args[0]);
    let field = |k: &str| m.get(k).map(s).unwrap_or_default();
    let mut out = String::new();
    if !field("scheme").is_empty() {
        out.push_str(&field("scheme"));
        out.push(':');
    }
    if !field("opaque").is_empty() {
        out.push_str(&field("opaque"));
    } else {
        if !field("host").is_empty() || !field("userinfo").is_empty() {
            out.push_str("//");
            if !field("userinfo").is_empty() {
                out.push_str(&field("userinfo"));
                out.push('@');
            }
            out.push_str(&field("host"));
        }
        let path = field("path");
        if !path.is_empty() && !path.starts_with('/') && !field("host").is_empty() {
            out.push('/');
        }
        out.push_str(&path);
    }
    if !field("query").is_empty() {
        out.push('?');
        out.push_str(&field("query"));
    }
    if !field("fragment").is_empty() {
        out.push('#');
        out.push_str(&field("fragment"));
    }
    Ok(Value::from(out))
}
