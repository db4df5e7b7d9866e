//! YAML in and out, the way Helm reads and writes it.
//!
//! Reading uses serde-saphyr configured as go-yaml v2 behaves (YAML 1.1 booleans,
//! `0755` octal, last duplicate key wins); writing is our own go-yaml v2 emitter.

mod block_events;
pub mod emit;
mod helm_words;
mod plain_events;
mod quick_head;
mod quick_values;

/// Documents neither one-pass reader answers for (a syntax error, an anchor and alias, a
/// tag, a merge key, a list as a key, infinity, a second document): shared by their tests.
#[cfg(test)]
const LEFT_TO_THE_FULL_READER: &[&str] = &[
    "a: [unclosed",
    "x: &a 1\ny: *a\n",
    "x: !!str 1\n",
    "<<: {a: 1}\n",
    "? [a]\n: 1\n",
    "a: .inf\n",
    "a: 1\n...\n---\nb: 2\n",
];
mod resolve;

use helm_words::TO_JSON;
pub use helm_words::{output_error, values_error, values_not_a_map};

use serde_json::Value as Json;

pub use emit::{to_yaml, to_yaml_pretty};

use minijinja::value::Value;

use crate::error::{Error, Kind};

/// A YAML error: the message, and the line and column when known (the caller adds
/// the file).
pub type YamlError = Error;

fn options() -> serde_saphyr::Options {
    use crate::limits::{YAML_DEPTH, YAML_NODES};
    let depth = YAML_DEPTH.get_usize();
    let nodes = YAML_NODES.get_usize();
    // The parser's own defaults (64 levels, 250 000 nodes, 1024 documents) refuse files
    // Helm reads, such as a big repository index; rudder's limits apply instead. The
    // text is already in memory, so its size is not bounded here; alias expansion keeps
    // the parser's own bounds (billion laughs).
    let budget = serde_saphyr::budget! {
        max_reader_input_bytes: None,
        max_depth: depth,
        flow_nesting_limit: depth,
        max_nodes: nodes,
        max_events: nodes.saturating_mul(2),
        max_documents: nodes,
        max_total_scalar_bytes: usize::MAX,
    };
    serde_saphyr::options! {
        legacy_octal_numbers: true,
        // `.inf` and `.nan` reach the visitors, which refuse them with Go's words.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
        budget: budget,
    }
}

fn convert(err: serde_saphyr::Error) -> YamlError {
    use crate::limits::{YAML_DEPTH, YAML_NODES};
    use serde_saphyr::budget::BudgetBreach;
    let location = err.location();
    let line = location.map(|l| usize::try_from(l.line()).unwrap_or(usize::MAX));
    let column = location.map(|l| usize::try_from(l.column()).unwrap_or(usize::MAX));
    let located = |message: String| Error::new(Kind::Yaml, message).at(line, column);
    // Unwrap the snippet and alias-location wrappers the parser adds.
    let mut inner = &err;
    while let serde_saphyr::Error::WithSnippet { error, .. }
    | serde_saphyr::Error::AliasError { error, .. } = inner
    {
        inner = error;
    }
    let over = match inner {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => {
                Some(YAML_DEPTH.exceeded("the document nests too deeply"))
            }
            BudgetBreach::Nodes { .. }
            | BudgetBreach::Events { .. }
            | BudgetBreach::Documents { .. } => {
                Some(YAML_NODES.exceeded("the document has too many nodes"))
            }
            other => Some(format!(
                "the document is too large to read safely ({other:?}); it may expand aliases too often"
            )),
        },
        _ => None,
    };
    if let Some(message) = over {
        return located(message);
    }
    let message = err.without_snippet().to_string();
    if message.contains("recursion limit exceeded") {
        return located(YAML_DEPTH.exceeded("the document nests too deeply"));
    }
    let mut message = message.lines().next().unwrap_or_default().to_string();
    // The line travels separately; drop the parser's own position suffix.
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    located(message)
}

/// Whether `text` may hold a key that is a list or a map: an explicit key (`?`) or a flow
/// collection followed by `:`. Plain documents are not scanned again.
fn may_hold_complex_keys(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'?' => true,
        b']' | b'}' => bytes[i + 1..]
            .iter()
            .find(|c| !matches!(c, b' ' | b'\t'))
            .is_some_and(|&c| c == b':'),
        _ => false,
    })
}

/// Refuses a key that is a list or a map, in one pass over the parser's events. Helm never
/// loads such a document (sigs.k8s.io/yaml cannot write the key as JSON), and serde-saphyr
/// records each such key before a visitor can refuse it, at a cost growing with the square
/// of their nesting: 2 KB of nested `? - ?` keys took a second (found by fuzzing
/// Chart.yaml). A syntax error is left to the real parse, which words it.
fn refuse_complex_keys(text: &str) -> Result<(), YamlError> {
    use granit_parser::{Event, Parser};
    if !may_hold_complex_keys(text) {
        return Ok(());
    }
    // Each open collection: a map (and whether its next node is a key) or a list.
    let mut open: Vec<Option<bool>> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let Ok((event, span)) = next else {
            return Ok(());
        };
        let at_key = matches!(open.last(), Some(Some(true)));
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if at_key {
                    return Err(Error::new(
                        Kind::Yaml,
                        "invalid map key: a key must be a string, number, boolean or null",
                    )
                    .at(Some(span.start.line()), Some(span.start.col() + 1)));
                }
                open.push(matches!(event, Event::MappingStart(..)).then_some(true));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                open.pop();
                if let Some(Some(key)) = open.last_mut() {
                    *key = !*key;
                }
            }
            Event::Scalar(..) | Event::Alias(..) => {
                if let Some(Some(key)) = open.last_mut() {
                    *key = !*key;
                }
            }
            Event::DocumentStart(..) | Event::DocumentEnd => open.clear(),
            _ => {}
        }
    }
    Ok(())
}

/// Parses one YAML document; an empty document is `null`.
pub fn parse(text: &str) -> Result<Json, YamlError> {
    if text.trim().is_empty() {
        return Ok(Json::Null);
    }
    if let Some(value) = quick_values::read(text) {
        return Ok(value);
    }
    parse_full(text)
}

/// go-yaml v2's boolean spellings. serde-saphyr reads any case (`trUe`, `yEs`, `oN`)
/// as a boolean where go-yaml, and so Helm, reads a string.
const GO_BOOLEANS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
];

/// A spelling serde-saphyr reads as a boolean and go-yaml as a string.
fn odd_boolean(word: &str) -> bool {
    ["y", "yes", "n", "no", "true", "false", "on", "off"]
        .iter()
        .any(|b| word.eq_ignore_ascii_case(b))
        && !GO_BOOLEANS.contains(&word)
}

/// `text` with every plain scalar spelled as an odd boolean (`trUe`) quoted, so that
/// serde-saphyr reads it as go-yaml does: a string. Most texts have none (a scan of
/// their words says so) and are returned as they are.
fn quote_odd_booleans(text: &str) -> std::borrow::Cow<'_, str> {
    use granit_parser::{Event, Parser, ScalarStyle};
    let any = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() <= 5 && odd_boolean(w));
    if !any {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut spans = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        if let Event::Scalar(value, ScalarStyle::Plain, _, None) = &event
            && odd_boolean(value)
            && let (Some(start), Some(end)) = (span.start.byte_offset(), span.end.byte_offset())
            && text.get(start..end) == Some(value.as_ref())
        {
            spans.push((start, end));
        }
    }
    let mut out = String::with_capacity(text.len() + 2 * spans.len());
    let mut at = 0;
    for (start, end) in spans {
        out.push_str(&text[at..start]);
        out.push('"');
        out.push_str(&text[start..end]);
        out.push('"');
        at = end;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

/// `parse` through serde-saphyr alone.
fn parse_full(text: &str) -> Result<Json, YamlError> {
    let text = &*quote_odd_booleans(text);
    refuse_complex_keys(text)?;
    let value: Option<HelmValue> =
        serde_saphyr::from_str_with_options(text, options()).map_err(convert)?;
    Ok(value.map(|v| v.0).unwrap_or(Json::Null))
}

/// A value read as Helm reads it: plain keys are typed like values first (`on:` is the
/// boolean `true`, `0x1F:` the number 31) and then written as JSON keys, as
/// sigs.k8s.io/yaml does (`"true"`, `"31"`).
struct HelmValue(Json);

impl<'de> serde::Deserialize<'de> for HelmValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(HelmValue)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Json, E> {
        Ok(i64::try_from(v)
            .map(Json::from)
            .unwrap_or_else(|_| Json::from(v as f64)))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Json, E> {
        Ok(u64::try_from(v)
            .map(Json::from)
            .unwrap_or_else(|_| Json::from(v as f64)))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json, E> {
        finite(v)?;
        // JSON holds every finite float.
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Json, E> {
        Ok(Json::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(HelmValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(HelmValue(key)) = map.next_key()? {
            // go-yaml cannot use a list or a map as a key and Helm stops there (`yaml:
            // invalid map key`); writing it as a JSON string instead would double its
            // quoting at every level of nesting.
            if matches!(key, Json::Array(_) | Json::Object(_)) {
                return Err(serde::de::Error::custom(format!(
                    "invalid map key `{}`: a key must be a string, number, boolean or null",
                    crate::gofmt::go_print(&key)
                )));
            }
            let HelmValue(value) = map.next_value()?;
            out.insert(json_key(key), value);
        }
        Ok(Json::Object(out))
    }
}

/// A typed YAML key as sigs.k8s.io/yaml writes it into JSON.
fn json_key(key: Json) -> String {
    match key {
        Json::String(s) => s,
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(0.0);
            crate::gofmt::go_float(f as f32 as f64)
        }
        Json::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Parses every document of a YAML stream, skipping empty ones.
pub fn parse_all(text: &str) -> Result<Vec<Json>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    // One plain document (most values files): the one-pass reader, as for values.yaml.
    if let Some(value) = quick_values::read(text) {
        return Ok(if value.is_null() {
            Vec::new()
        } else {
            vec![value]
        });
    }
    let text = &*quote_odd_booleans(text);
    refuse_complex_keys(text)?;
    let docs: Vec<Option<HelmValue>> =
        serde_saphyr::from_multiple_with_options(text, options()).map_err(convert)?;
    Ok(docs.into_iter().flatten().map(|v| v.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_are_lists_or_maps_are_refused() {
        for text in [
            "? [a]\n: 1\n",
            "[a, b]: 1\n",
            "{x: 1}: 2\n",
            "a:\n  ? {b: 1}\n  : c\n",
        ] {
            let e = parse(text).unwrap_err();
            assert!(
                e.message.contains("invalid map key"),
                "{text}: {}",
                e.message
            );
        }
        // Scalar keys, explicit or not, and `?` inside values stay fine.
        assert_eq!(
            parse("? a\n: 1\nb: what?\nc: [x]\n").unwrap()["a"],
            Json::from(1)
        );
        // Nested explicit keys, the fuzzer's find (their cost is measured in the closing
        // note, not asserted here): refused by every entry point.
        let nested = "? - ".repeat(2_000);
        for e in [
            parse(&nested).unwrap_err(),
            parse_all(&nested).unwrap_err(),
            head(&nested).unwrap_err(),
        ] {
            assert!(e.message.starts_with("invalid map key"), "{}", e.message);
        }
    }

    #[test]
    fn head_reads_what_sorting_needs_and_checks_the_rest_as_parse_does() {
        let h = head(
            "apiVersion: v1\nkind: Job\nmetadata:\n  name: x\n  namespace: ns\n  annotations:\n    helm.sh/hook: pre-install\nspec: {a: [1, 2]}\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (
                h.kind.as_str(),
                h.api_version.as_str(),
                h.name.as_str(),
                h.namespace.as_str()
            ),
            ("Job", "v1", "x", "ns")
        );
        assert_eq!(h.hook.as_deref(), Some("pre-install"));
        assert_eq!(head("").unwrap(), None);
        assert_eq!(head("~").unwrap(), None);
        for bad in [
            "- a\n- b",
            "just text",
            "a: [1\n",
            "spec:\n  ? [a]\n  : 1\n",
            "x: .inf",
        ] {
            assert!(head(bad).is_err(), "{bad}");
            assert!(
                parse(bad).is_err() || !parse(bad).unwrap().is_object(),
                "{bad}"
            );
        }
        // A name that is not a string reads as no name, as before.
        assert_eq!(head("metadata: {name: 5}").unwrap().unwrap().name, "");
    }

    #[test]
    fn reads_values_as_go_yaml_v2_does() {
        let v = parse(
            "a: yes\nb: off\nc: 0755\nd: 0x1F\ne: 1.5\nf: 10\ng: ~\nh: \"yes\"\ni: 1\ni: 2\n",
        )
        .unwrap();
        assert_eq!(v["a"], Json::Bool(true));
        assert_eq!(v["b"], Json::Bool(false));
        assert_eq!(v["c"], serde_json::json!(493));
        assert_eq!(v["d"], serde_json::json!(31));
        assert_eq!(v["e"], serde_json::json!(1.5));
        assert_eq!(v["f"], serde_json::json!(10));
        assert_eq!(v["g"], Json::Null);
        assert_eq!(v["h"], Json::String("yes".into()));
        assert_eq!(v["i"], serde_json::json!(2));
    }

    #[test]
    fn plain_keys_are_typed_then_stringified() {
        let v = parse("on: a\n\"off\": b\n0x1F: c\ny: d\n").unwrap();
        assert_eq!(v["true"], Json::String("d".into()));
        assert_eq!(v["off"], Json::String("b".into()));
        assert_eq!(v["31"], Json::String("c".into()));
    }

    /// Found by the `chart_yaml` and `values_yaml` fuzz targets: a list or map used as
    /// a key was written as a JSON string, so `? ? ? ... x` doubled in size with every
    /// level (a hang on 100 bytes). Helm refuses such keys: `yaml: invalid map key`.
    #[test]
    fn list_and_map_keys_are_refused_as_helm_refuses_them() {
        for text in ["? [a]\n: v\n", "k:\n  ? {a: 1}\n  : v\n", "? - x\n"] {
            let err = parse(text).unwrap_err();
            assert!(
                err.message.starts_with("invalid map key"),
                "{text:?}: {err}"
            );
        }
        let nested = "? ".repeat(60) + "x\n";
        assert!(parse(&nested).is_err());
        assert!(parse_all(&nested).is_err());
    }

    #[test]
    fn syntax_error_carries_line() {
        let err = parse("a: 1\nb: [\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
    }
}

/// The deepest nesting of `[`/`{` in JSON text, strings skipped: checked before parsing,
/// so the parser's recursion is bounded by the depth limit, not by the stack.
fn json_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Parses JSON text (`--set-json`, `fromJson`, values.schema.json). Go's encoding/json,
/// which Helm uses, reads up to 10 000 levels; serde_json alone stops at 128, so its
/// own limit is replaced by rudder's nesting limit.
pub fn parse_json(text: &str) -> Result<Json, JsonError> {
    let limit = &crate::limits::YAML_DEPTH;
    if json_depth(text) as u64 > limit.get() {
        return Err(JsonError::TooDeep(
            limit.exceeded("the JSON document nests too deeply"),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let syntax = |e: serde_json::Error| JsonError::Syntax(e.to_string());
    let value = <Json as serde::Deserialize>::deserialize(&mut de).map_err(syntax)?;
    de.end().map_err(syntax)?;
    Ok(value)
}

/// Why JSON text was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON (serde_json's message, as Go's is worded differently anyway).
    Syntax(String),
    /// Nested past the limit.
    TooDeep(String),
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonError::Syntax(m) | JsonError::TooDeep(m) => f.write_str(m),
        }
    }
}

/// Converts a values tree into the runtime value the emitter and the engines read
/// (once per render, so templates share it).
pub fn json_to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => number_value(n),
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::from(items.iter().map(json_to_value).collect::<Vec<_>>()),
        Json::Object(map) => map_to_value(map),
    }
}

/// [`json_to_value`] of a map, read in place (a render's values are not copied into a
/// `Json` first).
pub fn map_to_value(map: &serde_json::Map<String, Json>) -> Value {
    Value::from_pairs(map.iter().map(|(k, v)| (k.as_str(), json_to_value(v))))
}

/// [`map_to_value`] taking the map: the JSON is freed as the conversion goes, so a
/// render's values are never whole twice (a 10 MB values file is a 100 MB tree).
pub fn map_into_value(map: serde_json::Map<String, Json>) -> Value {
    Value::from_pairs(map.into_iter().map(|(k, v)| (k, json_into_value(v))))
}

fn json_into_value(json: Json) -> Value {
    match json {
        Json::String(s) => Value::from(s),
        Json::Array(items) => {
            Value::from(items.into_iter().map(json_into_value).collect::<Vec<_>>())
        }
        Json::Object(map) => map_into_value(map),
        other => json_to_value(&other),
    }
}

fn number_value(n: &serde_json::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::from(i)
    } else if let Some(u) = n.as_u64() {
        Value::from(u)
    } else {
        Value::from(n.as_f64().unwrap_or(0.0))
    }
}

/// YAML of a plain values tree, as Helm's `toYaml` writes it (no trailing newline).
pub fn json_to_yaml(json: &Json) -> String {
    to_yaml(&json_to_value(json)).unwrap_or_default()
}

/// What Helm reads of a rendered manifest to sort it: its kind, API version, name,
/// namespace and hook annotation. `head` checks the whole document as `parse` does (the
/// same syntax errors, keys that are lists or maps refused, no infinity) without
/// building the values it does not keep.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Head {
    pub kind: String,
    pub api_version: String,
    pub name: String,
    pub namespace: String,
    pub hook: Option<String>,
}

/// A field of a manifest's head that Helm cannot decode into its `SimpleHead` (a list
/// where a string goes): its path in the JSON Helm decodes (keys sorted, so the least
/// path is the error Helm reports) and Go's words for it.
type Mismatch = (Vec<String>, String);

/// Go's `json: cannot unmarshal <kind> into Go struct field <field> of type <type>`.
fn mismatch(path: &[&str], found: &str, field: &str, go_type: &str) -> Mismatch {
    (
        path.iter().map(|p| p.to_string()).collect(),
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} \
             into Go struct field {field} of type {go_type}"
        ),
    )
}

/// The least of two mismatches (the one Helm meets first).
fn first(a: Option<Mismatch>, b: Option<Mismatch>) -> Option<Mismatch> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Go's JSON name of a value's kind.
fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Array(_) => "array",
        Json::Object(_) => "object",
        Json::String(_) => "string",
        Json::Number(_) => "number",
        Json::Bool(_) => "bool",
        Json::Null => "null",
    }
}

/// A scalar where Helm's string field is: Helm's YAML reader turns scalars into strings
/// for such a field, but a list or a map cannot be one.
fn string_field(v: &Json, path: &[&str], field: &str) -> Option<Mismatch> {
    matches!(v, Json::Array(_) | Json::Object(_))
        .then(|| mismatch(path, json_kind(v), field, "string"))
}

/// Helm's type of `metadata` in its `SimpleHead`, as Go prints it.
const METADATA_TYPE: &str = "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }";

/// The head of one YAML document: `Ok(None)` for an empty or null document, an error
/// for one that is not a map.
pub fn head(text: &str) -> Result<Option<Head>, YamlError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    if let Some(head) = quick_head::read(text) {
        return Ok(head);
    }
    head_full(text)
}

/// The line scanner against the parser (see `plain_events::lines_agree`).
#[doc(hidden)]
pub use plain_events::lines_agree;

/// Whether the one-pass readers agree with the full ones on `text` wherever they answer
/// (the fuzz target `values_yaml` asserts it).
#[doc(hidden)]
pub fn one_pass_agrees(text: &str) -> bool {
    let values = quick_values::read(text).is_none_or(|v| parse_full(text).ok() == Some(v));
    let head = quick_head::read(text).is_none_or(|h| head_full(text).ok() == Some(h));
    values && head
}

/// `head` through serde-saphyr alone.
fn head_full(text: &str) -> Result<Option<Head>, YamlError> {
    let text = &*quote_odd_booleans(text);
    refuse_complex_keys(text)?;
    let top: Option<Top> = serde_saphyr::from_str_with_options(text, options()).map_err(convert)?;
    match top {
        None | Some(Top::Null) => Ok(None),
        Some(Top::Map(_, Some((_, message)))) => Err(Error::new(Kind::Yaml, message)),
        Some(Top::Map(h, None)) => Ok(Some(h)),
        Some(Top::Other(found)) => Err(Error::new(
            Kind::Yaml,
            format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} \
                 into Go value of type util.SimpleHead"
            ),
        )
        .with_hint("a document must be a map (apiVersion, kind, metadata, ...)")),
    }
}

enum Top {
    Null,
    Map(Head, Option<Mismatch>),
    /// Not a map: Go's name of what it is.
    Other(&'static str),
}

impl<'de> serde::Deserialize<'de> for Top {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TopVisitor)
    }
}

/// A scalar's text, if the value is a string; anything else is checked and dropped.
fn string_of(v: Json) -> String {
    match v {
        Json::String(s) => s,
        _ => String::new(),
    }
}

/// Reads a map's keys as Helm types them and hands each value to `on_value`.
fn each_entry<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    mut on_value: impl FnMut(&str, &mut A) -> Result<bool, A::Error>,
) -> Result<(), A::Error> {
    while let Some(HelmValue(key)) = map.next_key()? {
        if matches!(key, Json::Array(_) | Json::Object(_)) {
            return Err(serde::de::Error::custom(format!(
                "invalid map key `{}`: a key must be a string, number, boolean or null",
                crate::gofmt::go_print(&key)
            )));
        }
        let key = json_key(key);
        if !on_value(&key, map)? {
            map.next_value::<Checked>()?;
        }
    }
    Ok(())
}

struct TopVisitor;

impl<'de> serde::de::Visitor<'de> for TopVisitor {
    type Value = Top;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML document")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut head = Head::default();
        let mut wrong = None;
        each_entry(&mut map, |key, map| {
            match key {
                "kind" | "apiVersion" => {
                    let value = map.next_value::<HelmValue>()?.0;
                    let field = format!("SimpleHead.{key}");
                    wrong = first(wrong.take(), string_field(&value, &[key], &field));
                    if key == "kind" {
                        head.kind = string_of(value);
                    } else {
                        head.api_version = string_of(value);
                    }
                }
                "metadata" => {
                    let meta: Meta = map.next_value()?;
                    head.name = meta.name;
                    head.namespace = meta.namespace;
                    head.hook = meta.hook;
                    wrong = first(wrong.take(), meta.wrong);
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Top::Map(head, wrong))
    }
    fn visit_unit<E>(self) -> Result<Top, E> {
        Ok(Top::Null)
    }
    fn visit_none<E>(self) -> Result<Top, E> {
        Ok(Top::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(TopVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Top::Other("array"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Top, E> {
        Ok(Top::Other("bool"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Top, E> {
        Ok(Top::Other("number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Top, E> {
        Ok(Top::Other("number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Top, E> {
        Ok(Top::Other("number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Top, E> {
        Ok(Top::Other("string"))
    }
}

#[derive(Default)]
struct Meta {
    name: String,
    namespace: String,
    hook: Option<String>,
    wrong: Option<Mismatch>,
}

impl Meta {
    /// `metadata` that is not a map (nor null).
    fn not_a_map(found: &str) -> Meta {
        Meta {
            wrong: Some(mismatch(
                &["metadata"],
                found,
                "SimpleHead.metadata",
                METADATA_TYPE,
            )),
            ..Meta::default()
        }
    }
}

impl<'de> serde::Deserialize<'de> for Meta {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MetaVisitor)
    }
}

struct MetaVisitor;

impl<'de> serde::de::Visitor<'de> for MetaVisitor {
    type Value = Meta;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("metadata")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Meta, A::Error> {
        let mut meta = Meta::default();
        each_entry(&mut map, |key, map| {
            match key {
                "name" => {
                    let value = map.next_value::<HelmValue>()?.0;
                    let wrong = string_field(&value, &["metadata", "name"], ".metadata.name");
                    meta.wrong = first(meta.wrong.take(), wrong);
                    meta.name = string_of(value);
                }
                "namespace" => meta.namespace = string_of(map.next_value::<HelmValue>()?.0),
                "annotations" => {
                    let Annotations(hook, wrong) = map.next_value()?;
                    meta.hook = hook;
                    meta.wrong = first(meta.wrong.take(), wrong);
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(meta)
    }
    fn visit_unit<E>(self) -> Result<Meta, E> {
        Ok(Meta::default())
    }
    fn visit_none<E>(self) -> Result<Meta, E> {
        Ok(Meta::default())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Meta, D::Error> {
        d.deserialize_any(MetaVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Meta, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Meta::not_a_map("array"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Meta, E> {
        Ok(Meta::not_a_map("bool"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Meta, E> {
        Ok(Meta::not_a_map("number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Meta, E> {
        Ok(Meta::not_a_map("number"))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Meta, E> {
        finite(v).map(|_| Meta::not_a_map("number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Meta, E> {
        Ok(Meta::not_a_map("string"))
    }
}

/// The `helm.sh/hook` annotation, when it is a string, and the first annotation Helm
/// cannot decode (annotations are a `map[string]string`).
struct Annotations(Option<String>, Option<Mismatch>);

impl<'de> serde::Deserialize<'de> for Annotations {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = HelmValue::deserialize(d)?.0;
        let path = ["metadata", "annotations"];
        let field = ".metadata.annotations";
        Ok(match value {
            Json::Object(map) => {
                let wrong = map.iter().fold(None, |wrong, (key, v)| {
                    let at = ["metadata", "annotations", key.as_str()];
                    first(wrong, string_field(v, &at, field))
                });
                let hook = match map.get("helm.sh/hook") {
                    Some(Json::String(s)) => Some(s.clone()),
                    _ => None,
                };
                Annotations(hook, wrong)
            }
            Json::Null => Annotations(None, None),
            other => Annotations(
                None,
                Some(mismatch(
                    &path,
                    json_kind(&other),
                    field,
                    "map[string]string",
                )),
            ),
        })
    }
}

/// A value checked as `parse` checks it and dropped.
struct Checked;

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckVisitor)
    }
}

/// Helm turns YAML into JSON before reading it, and JSON has no infinity or NaN: its
/// words for such a number (`error converting YAML to JSON: json: unsupported value:
/// +Inf`).
fn finite<E: serde::de::Error>(v: f64) -> Result<(), E> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(E::custom(format!(
            "{TO_JSON}json: unsupported value: {}",
            crate::gofmt::go_float(v)
        )))
    }
}

struct CheckVisitor;

impl<'de> serde::de::Visitor<'de> for CheckVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_i128<E>(self, _: i128) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Checked, E> {
        finite(v).map(|_| Checked)
    }
    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_string<E>(self, _: String) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_none<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Checked, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        each_entry(&mut map, |_, _| Ok(false))?;
        Ok(Checked)
    }
}
