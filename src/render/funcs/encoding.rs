//! YAML, JSON, base64 and hashes.

use base64::Engine as _;
use minijinja::Error;
use minijinja::value::Value;
use sha2::Digest as _;

use super::{exact, s};
use crate::render::format;
use crate::render::json_to_value;

/// `toYaml(value)`: Helm's YAML, trailing newline trimmed; "" if it cannot be encoded.
pub fn to_yaml(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "toYaml")?;
    Ok(Value::from(
        crate::yaml::to_yaml(&args[0]).unwrap_or_default(),
    ))
}

/// `toJson(value)`: Go's `json.Marshal`; "" if it cannot be encoded.
pub fn to_json(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "toJson")?;
    Ok(Value::from(format::to_json(&args[0]).unwrap_or_default()))
}

/// `fromYaml(text)`: a dict, or `{"Error": message}` as Helm returns on bad input.
pub fn from_yaml(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "fromYaml")?;
    match crate::yaml::parse(&s(&args[0])) {
        Ok(serde_json::Value::Object(m)) => Ok(json_to_value(&serde_json::Value::Object(m))),
        Ok(serde_json::Value::Null) => Ok(Value::from(
            std::collections::BTreeMap::<String, Value>::new(),
        )),
        Ok(_) => Ok(error_map(
            "error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {}",
        )),
        Err(e) => Ok(error_map(&e.to_string())),
    }
}

/// `fromJson(text)`: a dict, or `{"Error": message}`.
pub fn from_json(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "fromJson")?;
    match serde_json::from_str::<serde_json::Value>(&s(&args[0])) {
        Ok(v @ serde_json::Value::Object(_)) => Ok(json_to_value(&v)),
        Ok(_) => Ok(error_map(
            "json: cannot unmarshal into Go value of type map[string]interface {}",
        )),
        Err(e) => Ok(error_map(&e.to_string())),
    }
}

fn error_map(message: &str) -> Value {
    Value::from_pairs([("Error", Value::from(message))])
}

pub fn b64enc(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "b64enc")?;
    Ok(Value::from(
        base64::engine::general_purpose::STANDARD.encode(s(&args[0])),
    ))
}

/// `b64dec(text)`: on bad input, Sprig returns the error text instead of failing.
pub fn b64dec(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "b64dec")?;
    match base64::engine::general_purpose::STANDARD.decode(s(&args[0])) {
        Ok(bytes) => Ok(Value::from(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) => Ok(Value::from(format!("illegal base64 data: {e}"))),
    }
}

pub fn sha256sum(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "sha256sum")?;
    let digest = sha2::Sha256::digest(s(&args[0]).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Value::from(hex))
}
