//! Every registered template function called with arbitrary arguments (numbers at
//! their extremes, floats, strings, bytes, lists, maps, none, undefined, functions),
//! as a function or as a filter, through the environment `render` itself builds.
//!
//! Not called: the functions that generate RSA/DSA keys or hash passwords with a
//! deliberate work factor (`SLOW`); each call takes from 0.05 s to seconds by design,
//! which would drown the search. Their argument handling is reached through the
//! `...WithKey` variants, which take the keys below.
#![no_main]

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use minijinja::Environment;
use minijinja::value::Value;
use rudder::engine::jinja::{Helpers, IncludeRegistry};

const SLOW: &[&str] = &[
    "bcrypt",
    "derivePassword",
    "genCA",
    "genSelfSignedCert",
    "genSignedCert",
    "htpasswd",
];

/// Strings that steer functions down their interesting paths.
const KNOWN: &[&str] = &[
    "",
    " ",
    "0",
    "-1",
    "1e308",
    "NaN",
    "true",
    "null",
    "a.b.c",
    "{}",
    "[]",
    "{\"a\":[1,2.5,null]}",
    "a: 1\nb: [1, 2]\n",
    "- a\n- b\n",
    "[a]\nb = 1\n",
    "2006-01-02",
    "2006-01-02T15:04:05Z07:00",
    "2023-11-14T22:13:20Z",
    "%s %d %v %x %q %5.2f %*d %[2]s %!",
    "(a+)+$",
    "[",
    "\\",
    "https://user:pass@host:8080/p?q=1#f",
    "1.2.3-rc.1+b",
    ">= 1.0.0-0 < 2",
    "^1.2 || ~3.x",
    "UTC",
    "America/New_York",
    "Local",
    "1h30m",
    "-1ns",
    "-3w",
    "maximum",
    "ecdsa",
    "ed25519",
    "a",
    "fuzz.h",
    "{{ Values }}",
    "{% for i in range(3) %}{{ i }}{% endfor %}",
    "é日本\u{200b}",
    include_str!("../src/keys/ec.pem"),
    include_str!("../src/keys/rsa.pem"),
    include_str!("../src/keys/ed25519.pem"),
    include_str!("../src/keys/ca.pem"),
];

/// Numbers at the edges of Go's and minijinja's integer types.
const EXTREMES: &[i128] = &[
    0,
    1,
    -1,
    i8::MIN as i128,
    i32::MAX as i128,
    i32::MIN as i128,
    i64::MAX as i128,
    i64::MIN as i128,
    u64::MAX as i128,
    i128::MAX,
    i128::MIN,
    1 << 53,
];

#[derive(Arbitrary, Debug)]
enum Arg {
    None,
    Undefined,
    Bool(bool),
    Int(i64),
    Extreme(u8),
    Float(f64),
    Str(String),
    Known(u8),
    Bytes(Vec<u8>),
    List(Vec<Arg>),
    Map(Vec<(String, Arg)>),
    Func(u16),
}

#[derive(Arbitrary, Debug)]
struct Call {
    func: u16,
    /// Piped in as the last argument (`args[-1] | f(rest)`).
    as_filter: bool,
    args: Vec<Arg>,
}

struct Fuzz {
    env: Environment<'static>,
    names: Vec<&'static str>,
    funcs: Vec<Value>,
}

fn fuzz() -> &'static Fuzz {
    static FUZZ: OnceLock<Fuzz> = OnceLock::new();
    FUZZ.get_or_init(|| {
        let registry: IncludeRegistry = Arc::new(OnceLock::new());
        let opts = rudder_fuzz::render_options(false);
        let mut env =
            rudder::engine::jinja::environment(&opts, registry.clone()).expect("environment");
        env.add_template_owned(
            "fuzz/templates/_helpers.tpl",
            "{% macro h() %}{{ Values | toYaml }}{% endmacro %}",
        )
        .expect("helpers");
        let mut helpers = Helpers::default();
        helpers.charts.push(("fuzz".into(), "fuzz".into()));
        helpers.by_chart.insert(
            "fuzz".into(),
            BTreeMap::from([("h".to_string(), "fuzz/templates/_helpers.tpl".to_string())]),
        );
        let _ = registry.set(helpers);
        let names: Vec<&'static str> = rudder::engine::funcs::names()
            .into_iter()
            .filter(|n| !SLOW.contains(n))
            .collect();
        let funcs = names
            .iter()
            .filter_map(|n| env.globals().find(|(g, _)| g == n).map(|(_, v)| v))
            .collect();
        Fuzz { env, names, funcs }
    })
}

fn value(arg: &Arg, f: &Fuzz) -> Value {
    match arg {
        Arg::None => Value::from(()),
        Arg::Undefined => Value::UNDEFINED,
        Arg::Bool(b) => Value::from(*b),
        Arg::Int(i) => Value::from(*i),
        Arg::Extreme(i) => Value::from(EXTREMES[*i as usize % EXTREMES.len()]),
        Arg::Float(x) => Value::from(*x),
        Arg::Str(s) => Value::from(s.as_str()),
        Arg::Known(i) => Value::from(KNOWN[*i as usize % KNOWN.len()]),
        Arg::Bytes(b) => Value::from_bytes(b.clone()),
        Arg::List(items) => Value::from(items.iter().map(|a| value(a, f)).collect::<Vec<_>>()),
        Arg::Map(pairs) => Value::from_iter(pairs.iter().map(|(k, v)| (k.as_str(), value(v, f)))),
        Arg::Func(i) => f.funcs[*i as usize % f.funcs.len()].clone(),
    }
}

/// Whether `genPrivateKey` could be asked for an RSA or DSA key (seconds per key).
fn asks_slow_key(args: &[Value]) -> bool {
    args.iter().any(|a| {
        a.as_str().is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            s.contains("rsa") || s.contains("dsa")
        })
    })
}

fuzz_target!(
    init: rudder_fuzz::init(),
    |call: Call| {
        let f = fuzz();
        let name = f.names[call.func as usize % f.names.len()];
        let args: Vec<Value> = call.args.iter().map(|a| value(a, f)).collect();
        if name == "genPrivateKey" && asks_slow_key(&args) {
            return;
        }
        let source = if call.as_filter && !args.is_empty() {
            format!("{{{{ args[-1] | {name}(*args[:-1]) }}}}")
        } else {
            format!("{{{{ {name}(*args) }}}}")
        };
        let ctx = minijinja::context! {
            args => args,
            Values => Value::from_iter([("a", Value::from(1))]),
        };
        let _ = f.env.render_named_str("fuzz/templates/f.yaml", &source, ctx);
    }
);
