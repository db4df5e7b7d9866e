//! Helm's function library, registered once for every chart.
//!
//! Each function is written once, over template values, taking Helm's arguments in
//! Helm's order. `register` makes it callable both ways: as a function
//! (`default("x", Values.a)`) and as a filter that pipes the value in as Helm's **last**
//! argument, exactly as a Go pipeline does (`Values.a | default("x")`).

pub(crate) mod args;
mod certs;
mod collections;
mod crypto;
pub mod dates;
mod durations;
mod encoding;
pub mod flow;
mod gotype;
mod lists;
mod math;
mod paths;
mod printf;
pub mod random;
mod reflect;
pub use collections::{
    Dict, MapTime, Struct, entries, map_time, new_dict, old_map_changed, watched_read,
    watched_reads,
};
pub use gotype::{Complex, GoInt, go_byte, go_int, go_int_type, is_go_int};
pub use printf::printf_typed;
pub use reflect::type_name;
mod regex;
mod semver;
mod strings;
mod text;
mod urls;

use minijinja::value::{Rest, Value};
use minijinja::{Environment, Error};

/// A function that reads only its arguments.
type Pure = fn(&[Value]) -> Result<Value, Error>;

/// A function that also reads the run's clock or random source.
type WithCtx = fn(&Ctx, &[Value]) -> Result<Value, Error>;

/// How a registered function is called.
#[derive(Clone, Copy)]
pub enum Call {
    Pure(Pure),
    WithCtx(WithCtx),
}

/// What functions may read besides their arguments: the run's `now` and its one random
/// source (so `--seed` fixes the random and the crypto functions alike). No engine
/// state: an engine calls a function with its arguments and this.
pub struct Ctx {
    pub now: jiff::Timestamp,
    pub rnd: random::Randomness,
}

impl Ctx {
    pub fn new(opts: FuncOptions) -> Ctx {
        Ctx {
            now: opts.now,
            rnd: random::Randomness::new(opts.seed),
        }
    }
}

/// The registry: every Helm function once, by name, grouped by kind. `must...` names
/// are registered to the failing form; aliases are listed explicitly. `include`, `tpl`
/// and `call` are the engines' own (`flow::ENGINE_PROVIDED`).
const TABLE: &[(&str, Call)] = &[
    // strings
    ("abbrev", Call::Pure(text::abbrev)),
    ("abbrevboth", Call::Pure(text::abbrevboth)),
    ("camelcase", Call::Pure(text::camelcase)),
    ("cat", Call::Pure(text::cat)),
    ("contains", Call::Pure(strings::contains)),
    ("hasPrefix", Call::Pure(strings::has_prefix)),
    ("hasSuffix", Call::Pure(strings::has_suffix)),
    ("indent", Call::Pure(strings::indent)),
    ("initials", Call::Pure(text::initials)),
    ("kebabcase", Call::Pure(text::kebabcase)),
    ("lower", Call::Pure(strings::lower)),
    ("nindent", Call::Pure(strings::nindent)),
    ("nospace", Call::Pure(text::nospace)),
    ("plural", Call::Pure(text::plural)),
    ("print", Call::Pure(text::print)),
    ("printf", Call::Pure(printf::printf)),
    ("println", Call::Pure(text::println)),
    ("quote", Call::Pure(strings::quote)),
    ("repeat", Call::Pure(text::repeat)),
    ("replace", Call::Pure(strings::replace)),
    ("snakecase", Call::Pure(text::snakecase)),
    ("squote", Call::Pure(strings::squote)),
    ("substr", Call::Pure(text::substr)),
    ("swapcase", Call::Pure(text::swapcase)),
    ("title", Call::Pure(strings::title)),
    ("toString", Call::Pure(text::to_string)),
    ("toStrings", Call::Pure(text::to_strings)),
    ("trim", Call::Pure(strings::trim)),
    ("trimAll", Call::Pure(text::trim_all)),
    ("trimall", Call::Pure(text::trim_all)),
    ("trimPrefix", Call::Pure(strings::trim_prefix)),
    ("trimSuffix", Call::Pure(strings::trim_suffix)),
    ("trunc", Call::Pure(strings::trunc)),
    ("untitle", Call::Pure(text::untitle)),
    ("upper", Call::Pure(strings::upper)),
    ("wrap", Call::Pure(text::wrap)),
    ("wrapWith", Call::Pure(text::wrap_with)),
    ("join", Call::Pure(text::join)),
    ("sortAlpha", Call::Pure(text::sort_alpha)),
    ("split", Call::Pure(text::split)),
    ("splitList", Call::Pure(text::split_list)),
    ("splitn", Call::Pure(text::splitn)),
    ("html", Call::Pure(text::html)),
    ("js", Call::Pure(text::js)),
    ("urlquery", Call::Pure(text::urlquery)),
    // lists
    ("append", Call::Pure(lists::append)),
    ("push", Call::Pure(lists::append)),
    ("mustAppend", Call::Pure(lists::append)),
    ("mustPush", Call::Pure(lists::append)),
    ("chunk", Call::Pure(lists::chunk)),
    ("mustChunk", Call::Pure(lists::chunk)),
    ("compact", Call::Pure(lists::compact)),
    ("mustCompact", Call::Pure(lists::compact)),
    ("concat", Call::Pure(lists::concat)),
    ("first", Call::Pure(lists::first)),
    ("mustFirst", Call::Pure(lists::first)),
    ("has", Call::Pure(lists::has)),
    ("mustHas", Call::Pure(lists::has)),
    ("index", Call::Pure(lists::index)),
    ("initial", Call::Pure(lists::initial)),
    ("mustInitial", Call::Pure(lists::initial)),
    ("last", Call::Pure(lists::last)),
    ("mustLast", Call::Pure(lists::last)),
    ("len", Call::Pure(lists::len)),
    ("list", Call::Pure(collections::list)),
    ("tuple", Call::Pure(collections::list)),
    ("prepend", Call::Pure(lists::prepend)),
    ("mustPrepend", Call::Pure(lists::prepend)),
    ("rest", Call::Pure(lists::rest)),
    ("mustRest", Call::Pure(lists::rest)),
    ("reverse", Call::Pure(lists::reverse)),
    ("mustReverse", Call::Pure(lists::reverse)),
    ("seq", Call::Pure(lists::seq)),
    ("slice", Call::Pure(lists::slice)),
    ("mustSlice", Call::Pure(lists::slice)),
    ("uniq", Call::Pure(lists::uniq)),
    ("mustUniq", Call::Pure(lists::uniq)),
    ("until", Call::Pure(lists::until)),
    ("untilStep", Call::Pure(lists::until_step)),
    ("without", Call::Pure(lists::without)),
    ("mustWithout", Call::Pure(lists::without)),
    // dicts
    ("deepCopy", Call::Pure(collections::deep_copy)),
    ("mustDeepCopy", Call::Pure(collections::deep_copy)),
    ("dict", Call::Pure(collections::dict)),
    ("dig", Call::Pure(collections::dig)),
    ("get", Call::Pure(collections::get)),
    ("hasKey", Call::Pure(collections::has_key)),
    ("keys", Call::Pure(collections::keys)),
    ("merge", Call::Pure(collections::merge)),
    ("mustMerge", Call::Pure(collections::merge)),
    ("mergeOverwrite", Call::Pure(collections::merge_overwrite)),
    (
        "mustMergeOverwrite",
        Call::Pure(collections::merge_overwrite),
    ),
    ("omit", Call::Pure(collections::omit)),
    ("pick", Call::Pure(collections::pick)),
    ("pluck", Call::Pure(collections::pluck)),
    ("set", Call::Pure(collections::set)),
    ("unset", Call::Pure(collections::unset)),
    ("values", Call::Pure(collections::values)),
    // defaults and flow
    ("all", Call::Pure(reflect::all)),
    ("any", Call::Pure(reflect::any)),
    ("coalesce", Call::Pure(collections::coalesce)),
    ("default", Call::Pure(collections::default)),
    ("empty", Call::Pure(collections::empty)),
    ("fail", Call::Pure(flow::fail)),
    ("hello", Call::Pure(flow::hello)),
    ("required", Call::Pure(flow::required)),
    ("ternary", Call::Pure(collections::ternary)),
    ("lookup", Call::Pure(flow::lookup)),
    ("getHostByName", Call::Pure(text::get_host_by_name)),
    // comparison and logic (Go builtins; in Jinja prefer the operators)
    ("and", Call::Pure(reflect::and)),
    ("or", Call::Pure(reflect::or)),
    ("not", Call::Pure(reflect::not)),
    ("eq", Call::Pure(reflect::eq)),
    ("ne", Call::Pure(reflect::ne)),
    ("lt", Call::Pure(reflect::lt)),
    ("le", Call::Pure(reflect::le)),
    ("gt", Call::Pure(reflect::gt)),
    ("ge", Call::Pure(reflect::ge)),
    // reflection
    ("deepEqual", Call::Pure(reflect::deep_equal_fn)),
    ("kindIs", Call::Pure(reflect::kind_is)),
    ("kindOf", Call::Pure(reflect::kind_of)),
    ("typeIs", Call::Pure(reflect::type_is)),
    ("typeIsLike", Call::Pure(reflect::type_is_like)),
    ("typeOf", Call::Pure(reflect::type_of)),
    // math and conversion
    ("add", Call::Pure(math::add)),
    ("add1", Call::Pure(math::add1)),
    ("add1f", Call::Pure(math::add1f)),
    ("addf", Call::Pure(math::addf)),
    ("atoi", Call::Pure(math::atoi)),
    ("biggest", Call::Pure(math::max)),
    ("ceil", Call::Pure(math::ceil)),
    ("div", Call::Pure(math::div)),
    ("divf", Call::Pure(math::divf)),
    ("float64", Call::Pure(math::float64)),
    ("floor", Call::Pure(math::floor)),
    ("int", Call::Pure(math::int)),
    ("int64", Call::Pure(math::int64)),
    ("max", Call::Pure(math::max)),
    ("maxf", Call::Pure(math::maxf)),
    ("min", Call::Pure(math::min)),
    ("minf", Call::Pure(math::minf)),
    ("mod", Call::Pure(math::modulo)),
    ("mul", Call::Pure(math::mul)),
    ("mulf", Call::Pure(math::mulf)),
    ("round", Call::Pure(math::round)),
    ("sub", Call::Pure(math::sub)),
    ("subf", Call::Pure(math::subf)),
    ("toDecimal", Call::Pure(math::to_decimal)),
    // encoding
    ("adler32sum", Call::Pure(encoding::adler32sum)),
    ("b32dec", Call::Pure(encoding::b32dec)),
    ("b32enc", Call::Pure(encoding::b32enc)),
    ("b64dec", Call::Pure(encoding::b64dec)),
    ("b64enc", Call::Pure(encoding::b64enc)),
    ("fromJson", Call::Pure(encoding::from_json)),
    ("fromJsonArray", Call::Pure(encoding::from_json_array)),
    ("fromYaml", Call::Pure(encoding::from_yaml)),
    ("fromYamlArray", Call::Pure(encoding::from_yaml_array)),
    ("mustFromJson", Call::Pure(encoding::must_from_json)),
    ("mustToJson", Call::Pure(encoding::must_to_json)),
    (
        "mustToPrettyJson",
        Call::Pure(encoding::must_to_pretty_json),
    ),
    ("mustToRawJson", Call::Pure(encoding::must_to_raw_json)),
    ("mustToYaml", Call::Pure(encoding::must_to_yaml)),
    ("sha1sum", Call::Pure(encoding::sha1sum)),
    ("sha256sum", Call::Pure(encoding::sha256sum)),
    ("toJson", Call::Pure(encoding::to_json)),
    ("toPrettyJson", Call::Pure(encoding::to_pretty_json)),
    ("toRawJson", Call::Pure(encoding::to_raw_json)),
    ("toYaml", Call::Pure(encoding::to_yaml)),
    ("toYamlPretty", Call::Pure(encoding::to_yaml_pretty)),
    ("toToml", Call::Pure(encoding::to_toml)),
    ("fromToml", Call::Pure(encoding::from_toml)),
    // regex
    ("regexFind", Call::Pure(regex::regex_find)),
    ("mustRegexFind", Call::Pure(regex::regex_find)),
    ("regexFindAll", Call::Pure(regex::regex_find_all)),
    ("mustRegexFindAll", Call::Pure(regex::regex_find_all)),
    ("regexMatch", Call::Pure(regex::regex_match)),
    ("mustRegexMatch", Call::Pure(regex::must_regex_match)),
    ("regexQuoteMeta", Call::Pure(regex::regex_quote_meta)),
    ("regexReplaceAll", Call::Pure(regex::regex_replace_all)),
    ("mustRegexReplaceAll", Call::Pure(regex::regex_replace_all)),
    (
        "regexReplaceAllLiteral",
        Call::Pure(regex::regex_replace_all_literal),
    ),
    (
        "mustRegexReplaceAllLiteral",
        Call::Pure(regex::regex_replace_all_literal),
    ),
    ("regexSplit", Call::Pure(regex::regex_split)),
    ("mustRegexSplit", Call::Pure(regex::regex_split)),
    // paths
    ("base", Call::Pure(paths::base)),
    ("clean", Call::Pure(paths::clean)),
    ("dir", Call::Pure(paths::dir)),
    ("ext", Call::Pure(paths::ext)),
    ("isAbs", Call::Pure(paths::is_abs)),
    ("osBase", Call::Pure(paths::base)),
    ("osClean", Call::Pure(paths::clean)),
    ("osDir", Call::Pure(paths::dir)),
    ("osExt", Call::Pure(paths::ext)),
    ("osIsAbs", Call::Pure(paths::is_abs)),
    // urls
    ("urlJoin", Call::Pure(urls::url_join)),
    ("urlParse", Call::Pure(urls::url_parse)),
    // dates (the pure ones)
    ("duration", Call::Pure(dates::duration)),
    ("mustToDate", Call::Pure(dates::must_to_date)),
    ("toDate", Call::Pure(dates::to_date)),
    // semver
    ("semver", Call::Pure(semver::semver_fn)),
    ("semverCompare", Call::Pure(semver::semver_compare)),
    // the clock
    ("now", Call::WithCtx(dates::now)),
    ("date", Call::WithCtx(dates::date)),
    ("dateInZone", Call::WithCtx(dates::date_in_zone)),
    ("date_in_zone", Call::WithCtx(dates::date_in_zone)),
    ("htmlDate", Call::WithCtx(dates::html_date)),
    ("htmlDateInZone", Call::WithCtx(dates::html_date_in_zone)),
    ("dateModify", Call::WithCtx(dates::date_modify)),
    ("date_modify", Call::WithCtx(dates::date_modify)),
    ("mustDateModify", Call::WithCtx(dates::must_date_modify)),
    ("must_date_modify", Call::WithCtx(dates::must_date_modify)),
    ("ago", Call::WithCtx(dates::ago)),
    ("unixEpoch", Call::WithCtx(dates::unix_epoch)),
    ("durationRound", Call::WithCtx(dates::duration_round)),
    // the random source
    ("randAlpha", Call::WithCtx(random::rand_alpha)),
    ("randAlphaNum", Call::WithCtx(random::rand_alpha_num)),
    ("randNumeric", Call::WithCtx(random::rand_numeric)),
    ("randAscii", Call::WithCtx(random::rand_ascii)),
    ("randInt", Call::WithCtx(random::rand_int)),
    ("randBytes", Call::WithCtx(random::rand_bytes)),
    ("shuffle", Call::WithCtx(random::shuffle)),
    ("uuidv4", Call::WithCtx(random::uuidv4)),
    // keys, certificates and passwords (random, and the clock for validity)
    ("genPrivateKey", Call::WithCtx(crypto::helm_gen_private_key)),
    ("genCA", Call::WithCtx(crypto::gen_ca)),
    ("genCAWithKey", Call::WithCtx(crypto::gen_ca_with_key)),
    (
        "genSelfSignedCert",
        Call::WithCtx(crypto::gen_self_signed_cert),
    ),
    (
        "genSelfSignedCertWithKey",
        Call::WithCtx(crypto::gen_self_signed_cert_with_key),
    ),
    ("genSignedCert", Call::WithCtx(crypto::gen_signed_cert)),
    (
        "genSignedCertWithKey",
        Call::WithCtx(crypto::gen_signed_cert_with_key),
    ),
    ("bcrypt", Call::WithCtx(crypto::helm_bcrypt)),
    ("htpasswd", Call::WithCtx(crypto::htpasswd)),
    ("encryptAES", Call::WithCtx(crypto::helm_encrypt_aes)),
    ("decryptAES", Call::Pure(crypto::decrypt_aes)),
    ("derivePassword", Call::Pure(crypto::derive_password)),
    ("buildCustomCert", Call::Pure(crypto::build_custom_cert)),
];

/// What the functions that are not pure read: the run's clock and random source.
#[derive(Debug, Clone, Copy)]
pub struct FuncOptions {
    pub now: jiff::Timestamp,
    pub seed: Option<u64>,
}

/// Registers every function of the table, as a function and as a filter (the piped
/// value as Helm's last argument); the engine adds `include`, `tpl` and `call` itself.
pub fn register(env: &mut Environment<'static>, opts: FuncOptions) {
    let ctx = std::sync::Arc::new(Ctx::new(opts));
    for &(name, call) in TABLE {
        let (c1, c2) = (ctx.clone(), ctx.clone());
        env.add_function(name, move |args: Rest<Value>| invoke(call, &c1, &args));
        env.add_filter(name, move |value: Value, args: Rest<Value>| {
            let mut all = args.0;
            all.push(value);
            invoke(call, &c2, &all)
        });
    }
}

/// Calls a function of the table.
pub fn invoke(call: Call, ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    match call {
        Call::Pure(f) => f(args),
        Call::WithCtx(f) => {
            changed();
            f(ctx, args)
        }
    }
}

/// Counts the calls that may make a template's output differ between two runs of the
/// same text on the same values: reads of the clock or the random source. An engine may
/// reuse what a helper printed only if this stayed the same while the helper ran.
static CHANGES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many such calls have run, in this process.
pub fn changes() -> u64 {
    CHANGES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Counts one such call.
fn changed() {
    CHANGES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// The function of the table called `name`.
pub fn find(name: &str) -> Option<Call> {
    // Looked up on every call a template makes: an index of the table, built once.
    static INDEX: std::sync::OnceLock<
        std::collections::HashMap<&'static str, Call, ahash::RandomState>,
    > = std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            // The first entry of a name wins, as the scan it replaces did.
            let mut index = std::collections::HashMap::with_capacity_and_hasher(
                TABLE.len(),
                ahash::RandomState::default(),
            );
            for &(name, call) in TABLE.iter().rev() {
                index.insert(name, call);
            }
            index
        })
        .get(name)
        .copied()
}

/// The names of every Helm function rudder provides (the table's and the engines' own),
/// for documentation and tests.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = TABLE.iter().map(|(n, _)| *n).collect();
    names.extend(flow::ENGINE_PROVIDED);
    names.sort_unstable();
    names.dedup();
    names
}
