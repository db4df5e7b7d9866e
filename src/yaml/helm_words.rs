//! Helm's words for YAML it cannot read. Helm turns YAML into JSON (sigs.k8s.io/yaml on
//! go-yaml v2) and JSON into Go values; its errors name the step that failed, and a
//! syntax error carries go-yaml's own problem text and line. rudder's parser words
//! problems its own way; these functions give Helm's text, so a user who searches for
//! Helm's message finds it, and rudder's location comes beside it.

use serde_json::Value as Json;

use super::YamlError;

/// A values document Helm cannot load, in Helm's words: `whose` is Helm's lead
/// (`cannot load values.yaml`, `failed to parse <file>`). Helm reads values by turning
/// YAML into JSON and JSON into a Go map; the errors of those two steps (a number JSON
/// cannot hold, a document that is not a map) come with its `cannot unmarshal yaml
/// document` in between, and a syntax error is left as the parser words it.
pub fn values_error(whose: &str, mut e: YamlError) -> YamlError {
    if e.message.starts_with(TO_JSON) {
        e.message = format!("{whose}: cannot unmarshal yaml document: {}", e.message);
    }
    e
}

/// `values_error` for a document that parsed but is not a map (Go's `json: cannot
/// unmarshal array into Go value of type map[string]interface {}`).
pub fn values_not_a_map(whose: &str, doc: &Json) -> String {
    let kind = match doc {
        Json::Array(_) => "array",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Bool(_) => "bool",
        Json::Null | Json::Object(_) => "object",
    };
    format!(
        "{whose}: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: \
         json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    )
}

pub(super) const TO_JSON: &str = "error converting YAML to JSON: ";

/// Helm's text for a rendered document it cannot read (`YAML parse error on <source>:
/// ...`): a syntax error as go-yaml words it, the rest (a number JSON cannot hold, a
/// head field of the wrong type) as they come. `line` is the 1-based line of the
/// problem in `doc`.
pub fn output_error(source: &str, message: &str, line: Option<usize>, doc: &str) -> String {
    let known = [TO_JSON, "error unmarshaling JSON: "];
    let body = if known.iter().any(|k| message.starts_with(k)) {
        message.to_string()
    } else {
        format!("{TO_JSON}yaml: {}", go_yaml_syntax(message, line, doc))
    };
    format!("YAML parse error on {source}: {body}")
}

/// go-yaml v2's text for a syntax error rudder's parser reported as `message` at the
/// 1-based `line` of `doc`: its problem without the context, after `line N: ` where N
/// is go-yaml's (the problem's 0-based line, one more for a scanner's problem, left
/// out when that is 0).
fn go_yaml_syntax(message: &str, line: Option<usize>, doc: &str) -> String {
    // (rudder's problem, go-yaml's, whether go-yaml's scanner finds it).
    const WORDS: &[(&str, &str, bool)] = &[
        ("unclosed quote", "found unexpected end of stream", true),
        (
            "tabs disallowed",
            "found character that cannot start any token",
            true,
        ),
        (
            "unexpected character",
            "found character that cannot start any token",
            true,
        ),
        (
            "simple key expected ':'",
            "could not find expected ':'",
            true,
        ),
        (
            "mapping values are not allowed",
            "mapping values are not allowed in this context",
            true,
        ),
        (
            "unclosed bracket '['",
            "did not find expected ',' or ']'",
            false,
        ),
        (
            "unclosed bracket '{'",
            "did not find expected ',' or '}'",
            false,
        ),
        (
            "expected ',' or ']'",
            "did not find expected ',' or ']'",
            false,
        ),
    ];
    if message.starts_with("alias references unknown anchor") {
        // go-yaml finds it after parsing, and names it without a line.
        let text = line.and_then(|l| doc.lines().nth(l.saturating_sub(1)));
        let name = text.and_then(|t| t.split_once('*')).map(|(_, rest)| {
            rest.split(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                .next()
                .unwrap_or_default()
        });
        return format!("unknown anchor '{}' referenced", name.unwrap_or_default());
    }
    let problem = match message.split_once(", ") {
        Some((context, problem)) if context.starts_with("while ") => problem,
        _ => message,
    };
    let (text, scanner) = WORDS
        .iter()
        .find(|(ours, ..)| problem.starts_with(ours))
        .map_or(
            (problem, message.starts_with("while scanning")),
            |(ours, go, scanner)| (*go, *scanner || ours.starts_with("while scanning")),
        );
    let zero_based = if text.starts_with("did not find expected ',' or") {
        // An unclosed flow collection fails at the end of the stream, which go-yaml puts
        // on the line after the (trimmed) document's last.
        Some(doc.trim().lines().count())
    } else if text == "could not find expected ':'" {
        // go-yaml notices a key without ':' on the next line.
        line
    } else {
        line.map(|l| l.saturating_sub(1))
    };
    match zero_based {
        Some(n) if n > 0 => format!("line {}: {text}", n + usize::from(scanner)),
        _ => text.to_string(),
    }
}
