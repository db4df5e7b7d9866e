//! Helm's function library, registered once for every chart.
//!
//! Each function is written once, over template values, taking Helm's arguments in
//! Helm's order. `register` makes it callable both ways: as a function
//! (`default("x", Values.a)`) and as a filter that pipes the value in as Helm's **last**
//! argument, exactly as a Go pipeline does (`Values.a | default("x")`).

mod collections;
mod crypto;
pub mod dates;
mod durations;
mod encoding;
pub mod flow;
mod lists;
mod math;
mod paths;
mod printf;
pub mod random;
mod reflect;
mod regex;
mod semver;
mod strings;
mod text;
mod urls;

use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind};

type Func = fn(&[Value]) -> Result<Value, Error>;

/// The registration list: name, implementation, grouped by kind. `must...` names are
/// registered to the failing form; aliases are listed explicitly.
const PURE: &[(&str, Func)] = &[
    // strings
    ("abbrev", text::abbrev),
    ("abbrevboth", text::abbrevboth),
    ("camelcase", text::camelcase),
    ("cat", text::cat),
    ("contains", strings::contains),
    ("hasPrefix", strings::has_prefix),
    ("hasSuffix", strings::has_suffix),
    ("indent", strings::indent),
    ("initials", text::initials),
    ("kebabcase", text::kebabcase),
    ("lower", strings::lower),
    ("nindent", strings::nindent),
    ("nospace", text::nospace),
    ("plural", text::plural),
    ("print", text::print),
    ("printf", printf::printf),
    ("println", text::println),
    ("quote", strings::quote),
    ("repeat", text::repeat),
    ("replace", strings::replace),
    ("snakecase", text::snakecase),
    ("squote", strings::squote),
    ("substr", text::substr),
    ("swapcase", text::swapcase),
    ("title", strings::title),
    ("toString", text::to_string),
    ("toStrings", text::to_strings),
    ("trim", strings::trim),
    ("trimAll", text::trim_all),
    ("trimall", text::trim_all),
    ("trimPrefix", strings::trim_prefix),
    ("trimSuffix", strings::trim_suffix),
    ("trunc", strings::trunc),
    ("untitle", text::untitle),
    ("upper", strings::upper),
    ("wrap", text::wrap),
    ("wrapWith", text::wrap_with),
    ("join", text::join),
    ("sortAlpha", text::sort_alpha),
    ("split", text::split),
    ("splitList", text::split_list),
    ("splitn", text::splitn),
    ("html", text::html),
    ("js", text::js),
    ("urlquery", text::urlquery),
    // lists
    ("append", lists::append),
    ("push", lists::append),
    ("mustAppend", lists::append),
    ("mustPush", lists::append),
    ("chunk", lists::chunk),
    ("mustChunk", lists::chunk),
    ("compact", lists::compact),
    ("mustCompact", lists::compact),
    ("concat", lists::concat),
    ("first", lists::first),
    ("mustFirst", lists::first),
    ("has", lists::has),
    ("mustHas", lists::has),
    ("index", lists::index),
    ("initial", lists::initial),
    ("mustInitial", lists::initial),
    ("last", lists::last),
    ("mustLast", lists::last),
    ("len", lists::len),
    ("list", collections::list),
    ("tuple", collections::list),
    ("prepend", lists::prepend),
    ("mustPrepend", lists::prepend),
    ("rest", lists::rest),
    ("mustRest", lists::rest),
    ("reverse", lists::reverse),
    ("mustReverse", lists::reverse),
    ("seq", lists::seq),
    ("slice", lists::slice),
    ("mustSlice", lists::slice),
    ("uniq", lists::uniq),
    ("mustUniq", lists::uniq),
    ("until", lists::until),
    ("untilStep", lists::until_step),
    ("without", lists::without),
    ("mustWithout", lists::without),
    // dicts
    ("deepCopy", collections::deep_copy),
    ("mustDeepCopy", collections::deep_copy),
    ("dict", collections::dict),
    ("dig", collections::dig),
    ("get", collections::get),
    ("hasKey", collections::has_key),
    ("keys", collections::keys),
    ("merge", collections::merge),
    ("mustMerge", collections::merge),
    ("mergeOverwrite", collections::merge_overwrite),
    ("mustMergeOverwrite", collections::merge_overwrite),
    ("omit", collections::omit),
    ("pick", collections::pick),
    ("pluck", collections::pluck),
    ("set", collections::set),
    ("unset", collections::unset),
    ("values", collections::values),
    // defaults and flow
    ("all", reflect::all),
    ("any", reflect::any),
    ("coalesce", collections::coalesce),
    ("default", collections::default),
    ("empty", collections::empty),
    ("fail", flow::fail),
    ("hello", flow::hello),
    ("required", flow::required),
    ("ternary", collections::ternary),
    ("lookup", flow::lookup),
    ("getHostByName", text::get_host_by_name),
    // comparison and logic (Go builtins; in Jinja prefer the operators)
    ("and", reflect::and),
    ("or", reflect::or),
    ("not", reflect::not),
    ("eq", reflect::eq),
    ("ne", reflect::ne),
    ("lt", reflect::lt),
    ("le", reflect::le),
    ("gt", reflect::gt),
    ("ge", reflect::ge),
    // reflection
    ("deepEqual", reflect::deep_equal_fn),
    ("kindIs", reflect::kind_is),
    ("kindOf", reflect::kind_of),
    ("typeIs", reflect::type_is),
    ("typeIsLike", reflect::type_is_like),
    ("typeOf", reflect::type_of),
    // math and conversion
    ("add", math::add),
    ("add1", math::add1),
    ("add1f", math::add1f),
    ("addf", math::addf),
    ("atoi", math::atoi),
    ("biggest", math::max),
    ("ceil", math::ceil),
    ("div", math::div),
    ("divf", math::divf),
    ("float64", math::float64),
    ("floor", math::floor),
    ("int", math::int),
    ("int64", math::int64),
    ("max", math::max),
    ("maxf", math::maxf),
    ("min", math::min),
    ("minf", math::minf),
    ("mod", math::modulo),
    ("mul", math::mul),
    ("mulf", math::mulf),
    ("round", math::round),
    ("sub", math::sub),
    ("subf", math::subf),
    ("toDecimal", math::to_decimal),
    // encoding
    ("adler32sum", encoding::adler32sum),
    ("b32dec", encoding::b32dec),
    ("b32enc", encoding::b32enc),
    ("b64dec", encoding::b64dec),
    ("b64enc", encoding::b64enc),
    ("fromJson", encoding::from_json),
    ("fromJsonArray", encoding::from_json_array),
    ("fromYaml", encoding::from_yaml),
    ("fromYamlArray", encoding::from_yaml_array),
    ("mustFromJson", encoding::must_from_json),
    ("mustToJson", encoding::must_to_json),
    ("mustToPrettyJson", encoding::must_to_pretty_json),
    ("mustToRawJson", encoding::must_to_raw_json),
    ("mustToYaml", encoding::must_to_yaml),
    ("sha1sum", encoding::sha1sum),
    ("sha256sum", encoding::sha256sum),
    ("toJson", encoding::to_json),
    ("toPrettyJson", encoding::to_pretty_json),
    ("toRawJson", encoding::to_raw_json),
    ("toYaml", encoding::to_yaml),
    ("toYamlPretty", encoding::to_yaml_pretty),
    ("toToml", encoding::to_toml),
    ("fromToml", encoding::from_toml),
    // regex
    ("regexFind", regex::regex_find),
    ("mustRegexFind", regex::regex_find),
    ("regexFindAll", regex::regex_find_all),
    ("mustRegexFindAll", regex::regex_find_all),
    ("regexMatch", regex::regex_match),
    ("mustRegexMatch", regex::must_regex_match),
    ("regexQuoteMeta", regex::regex_quote_meta),
    ("regexReplaceAll", regex::regex_replace_all),
    ("mustRegexReplaceAll", regex::regex_replace_all),
    ("regexReplaceAllLiteral", regex::regex_replace_all_literal),
    (
        "mustRegexReplaceAllLiteral",
        regex::regex_replace_all_literal,
    ),
    ("regexSplit", regex::regex_split),
    ("mustRegexSplit", regex::regex_split),
    // paths
    ("base", paths::base),
    ("clean", paths::clean),
    ("dir", paths::dir),
    ("ext", paths::ext),
    ("isAbs", paths::is_abs),
    ("osBase", paths::base),
    ("osClean", paths::clean),
    ("osDir", paths::dir),
    ("osExt", paths::ext),
    ("osIsAbs", paths::is_abs),
    // urls
    ("urlJoin", urls::url_join),
    ("urlParse", urls::url_parse),
    // dates (the pure ones)
    ("duration", dates::duration),
    ("mustToDate", dates::must_to_date),
    ("toDate", dates::to_date),
    // semver
    ("semver", semver::semver_fn),
    ("semverCompare", semver::semver_compare),
];

/// What the functions that are not pure read: the run's clock and random source.
#[derive(Debug, Clone, Copy)]
pub struct FuncOptions {
    pub now: jiff::Timestamp,
    pub seed: Option<u64>,
}

/// A function that captures run state (the clock, the random source).
pub(crate) type DynFunc = std::sync::Arc<dyn Fn(&[Value]) -> Result<Value, Error> + Send + Sync>;

/// Registers `f` as a function and as a filter (the piped value as the last argument).
pub(crate) fn register_dyn(env: &mut Environment<'static>, name: &'static str, f: DynFunc) {
    let g = f.clone();
    env.add_function(name, move |args: Rest<Value>| g(&args));
    env.add_filter(name, move |value: Value, args: Rest<Value>| {
        let mut all = args.0;
        all.push(value);
        f(&all)
    });
}

/// Registers every function, as a function and as a filter (the engine adds `include`,
/// `tpl` and `call` itself).
pub fn register(env: &mut Environment<'static>, opts: FuncOptions) {
    for &(name, f) in PURE {
        register_dyn(env, name, std::sync::Arc::new(f));
    }
    dates::register(env, opts.now);
    // One random source for the random and the crypto functions (so `--seed` fixes both).
    let rnd = std::sync::Arc::new(random::Randomness::new(opts.seed));
    random::register(env, &rnd);
    crypto::register(env, &rnd, opts.now);
}

/// The functions registered with run state (dates, randomness).
const CONTEXTUAL: &[&str] = &[
    "ago",
    "bcrypt",
    "buildCustomCert",
    "decryptAES",
    "derivePassword",
    "encryptAES",
    "genCA",
    "genCAWithKey",
    "genPrivateKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "htpasswd",
    "date",
    "dateInZone",
    "dateModify",
    "date_in_zone",
    "date_modify",
    "durationRound",
    "htmlDate",
    "htmlDateInZone",
    "mustDateModify",
    "must_date_modify",
    "now",
    "randAlpha",
    "randAlphaNum",
    "randAscii",
    "randBytes",
    "randInt",
    "randNumeric",
    "shuffle",
    "unixEpoch",
    "uuidv4",
];

/// The names of every registered function, for documentation and tests.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = PURE.iter().map(|(n, _)| *n).collect();
    names.extend(flow::ENGINE_PROVIDED);
    names.extend(CONTEXTUAL);
    names.sort_unstable();
    names
}

pub(crate) fn arg<'a>(args: &'a [Value], i: usize, func: &str) -> Result<&'a Value, Error> {
    args.get(i).ok_or_else(|| {
        Error::new(
            ErrorKind::MissingArgument,
            format!("{func}: missing argument {}", i + 1),
        )
    })
}

pub(crate) fn exact(args: &[Value], n: usize, func: &str) -> Result<(), Error> {
    if args.len() == n {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("{func}: wrong number of args: want {n}, got {}", args.len()),
        ))
    }
}

/// Go's `cast.ToInt`-style conversion used by Sprig for counts and widths.
pub(crate) fn to_int(v: &Value) -> i64 {
    match v.kind() {
        ValueKind::Number => v
            .as_i64()
            .unwrap_or_else(|| f64::try_from(v.clone()).map(go_f64_to_i64).unwrap_or(0)),
        ValueKind::Bool => i64::from(v.is_true()),
        ValueKind::String => v.as_str().and_then(|s| s.trim().parse().ok()).unwrap_or(0),
        _ => 0,
    }
}

pub(crate) fn s(v: &Value) -> String {
    super::format::strval(v)
}

pub(crate) fn func_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// Go's `int64(f)` on amd64: truncation toward zero, and the "integer indefinite"
/// `math.MinInt64` for NaN and anything out of range (`int 1e19` is -9223372036854775808
/// in Helm), where Rust's `as` would saturate.
pub(crate) fn go_f64_to_i64(f: f64) -> i64 {
    // -2^63 is exact as an f64; 2^63 is the first value out of range.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// The length of a string `func` is about to build, checked against
/// `limits::STRING_LENGTH` before anything is allocated. Callers compute `bytes` in
/// `u128`, where the product or sum of a few 64-bit numbers cannot overflow.
pub(crate) fn string_len(func: &str, bytes: u128) -> Result<usize, Error> {
    within(&crate::limits::STRING_LENGTH, bytes, || {
        format!("`{func}` would make a string of {bytes} bytes")
    })
}

/// The length of a list `func` is about to build, checked against `limits::LIST_LENGTH`.
pub(crate) fn list_len(func: &str, items: u128) -> Result<usize, Error> {
    within(&crate::limits::LIST_LENGTH, items, || {
        format!("`{func}` would make a list of {items} items")
    })
}

fn within(
    limit: &crate::limits::Limit,
    n: u128,
    what: impl Fn() -> String,
) -> Result<usize, Error> {
    limit
        .check(u64::try_from(n).unwrap_or(u64::MAX), &what)
        .map_err(func_error)?;
    // Only a 32-bit target with a raised limit gets here with a size it cannot address.
    usize::try_from(n).map_err(|_| func_error(limit.exceeded(what())))
}

/// Go's `strings.Repeat(text, count)` for `func`: Go's error for a negative count, and a
/// string longer than the limit refused before it is built.
pub(crate) fn repeat_str(func: &str, text: &str, count: i64) -> Result<String, Error> {
    if count == 0 {
        return Ok(String::new());
    }
    let Ok(count) = usize::try_from(count) else {
        return Err(func_error(format!(
            "{func}: strings: negative Repeat count"
        )));
    };
    string_len(func, text.len() as u128 * count as u128)?;
    Ok(text.repeat(count))
}
