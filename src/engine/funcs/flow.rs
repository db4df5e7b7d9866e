//! Functions that control rendering without rendering anything themselves:
//! `required`, `fail`, and the offline stand-in for cluster access (`lookup`).

use std::collections::BTreeMap;

use minijinja::Error;
use minijinja::value::Value;

use super::args::{exact, func_error, s};

/// The Helm functions every engine provides itself, as they render other templates.
pub const ENGINE_PROVIDED: &[&str] = &["call", "include", "tpl"];

/// `required(message, value)`: the value, or an error with the message when it is
/// nil or "".
pub fn required(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "required")?;
    let value = &args[1];
    let missing = value.is_none() || value.is_undefined() || value.as_str() == Some("");
    if missing {
        return Err(func_error(s(&args[0])));
    }
    Ok(value.clone())
}

/// `fail(message)`: stops rendering with the message.
pub fn fail(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "fail")?;
    Err(func_error(s(&args[0])))
}

/// `lookup(apiVersion, kind, namespace, name)`: rudder never talks to a cluster, so
/// this is always the empty dict, as `helm template` returns.
pub fn lookup(args: &[Value]) -> Result<Value, Error> {
    exact(args, 4, "lookup")?;
    Ok(Value::from(BTreeMap::<String, Value>::new()))
}

/// `hello()`: Sprig's greeting.
pub fn hello(args: &[Value]) -> Result<Value, Error> {
    exact(args, 0, "hello")?;
    Ok(Value::from("Hello!"))
}
