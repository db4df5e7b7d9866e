//! Slash-separated path functions, as Go's `path` package computes them.

use minijinja::Error;
use minijinja::value::Value;

use super::args::{exact, s};

/// Go's `path.Clean`.
pub fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Go's `path.Base`.
pub fn base_path(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// Go's `path.Dir`.
pub fn dir_path(p: &str) -> String {
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    clean_path(dir)
}

/// Go's `path.Ext`.
pub fn ext_path(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return p[i..].to_string();
        }
    }
    String::new()
}

pub fn base(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "base")?;
    Ok(Value::from(base_path(&s(&args[0]))))
}

pub fn dir(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "dir")?;
    Ok(Value::from(dir_path(&s(&args[0]))))
}

pub fn clean(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "clean")?;
    Ok(Value::from(clean_path(&s(&args[0]))))
}

pub fn ext(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "ext")?;
    Ok(Value::from(ext_path(&s(&args[0]))))
}

pub fn is_abs(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "isAbs")?;
    Ok(Value::from(s(&args[0]).starts_with('/')))
}
