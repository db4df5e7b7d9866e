//! The Go-template engine: Helm's own dialect (text/template as Go 1.24 has it), so
//! charts that exist render unmodified. `lex` and `parse` read templates with Go's
//! checks and messages, `exec` evaluates them over the shared values and function
//! registry, `objects` shows Helm's objects the Go way; this module is Helm's layer:
//! one template namespace for the chart tree, `include`, `tpl`, partials, `<no value>`
//! and Helm's error texts.

pub mod exec;
pub mod lex;
mod memo;
pub mod number;
pub mod objects;
pub mod parse;
mod signature;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use minijinja::value::Value;
use serde_json::Value as Json;

use super::objects::collect_scopes;
use super::{RenderError, RenderOptions, Rendered, funcs};
use crate::chart::Chart;
use crate::values::Values;
use exec::{Exec, Host, Namespace, Source, Template};

/// Whether `name` is a function a Go template may call (Go's builtins, Helm's and the
/// registry's), and the registry's function of that name.
pub fn resolve(name: &str) -> Option<Option<funcs::Call>> {
    if let Some(call) = funcs::find(name) {
        return Some(Some(call));
    }
    (parse::GO_BUILTINS.contains(&name) || funcs::flow::ENGINE_PROVIDED.contains(&name))
        .then_some(None)
}

/// Helm's `include` limit: one template name nested more than this many times.
const INCLUDE_NAME_LIMIT: usize = 1000;

/// Helm's `include` and `tpl` over the executor.
struct Helm {
    /// How many `include`s of each name are running (Helm's recursion check).
    included: RefCell<HashMap<String, usize, ahash::RandomState>>,
    /// `include` and `tpl` calls running, for rudder's shared depth limit.
    depth: Cell<usize>,
    /// The deepest `depth` reached since the running watched include began.
    deepest: super::Deepest,
    parsed: ParseCache,
    memo: RefCell<memo::Memo>,
}

/// The templates of one text (its own tree first, then its `define`s), and the text.
#[derive(Clone)]
struct Parsed {
    trees: Arc<Vec<(String, Arc<[parse::Node]>)>>,
    text: Arc<String>,
}

/// Parse trees by template text, for one render: an umbrella's copies of one subchart
/// (or of one library chart) and every `tpl` of the same text parse once, and share one
/// copy of the text. The trees do not depend on the file's name; each file keeps its
/// own name.
#[derive(Default)]
struct ParseCache(RefCell<HashMap<Key, Parsed, Sampled>>);

/// A parsed text as the cache's key, looked up by `&str`.
#[derive(PartialEq, Eq, Hash)]
struct Key(Arc<String>);

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Hashes a template text by its length and 32 bytes spread over it, where the default
/// hasher reads every byte: every template file's whole text is looked up once, and
/// most are not in the cache (SipHash over the text was 4 % of a render of 1.3 MB of
/// helpers). Texts that collide are told apart by comparing them whole.
#[derive(Default, Clone, Copy)]
struct Sampled;

impl std::hash::BuildHasher for Sampled {
    type Hasher = SampledHasher;
    fn build_hasher(&self) -> SampledHasher {
        SampledHasher(std::hash::DefaultHasher::new())
    }
}

struct SampledHasher(std::hash::DefaultHasher);

impl std::hash::Hasher for SampledHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SAMPLES: usize = 32;
        self.0.write_usize(bytes.len());
        if bytes.len() <= SAMPLES {
            self.0.write(bytes);
            return;
        }
        // The samples hashed as one write (a write per byte cost more than the rest).
        let step = bytes.len() / SAMPLES;
        let mut samples = [0u8; SAMPLES + 1];
        for (i, sample) in samples.iter_mut().take(SAMPLES).enumerate() {
            *sample = bytes[i * step];
        }
        samples[SAMPLES] = bytes[bytes.len() - 1];
        self.0.write(&samples);
    }

    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl ParseCache {
    /// The trees of `text`; `shared` gives the text to keep when it was not parsed
    /// before (the template file's own, or a copy).
    fn parse(
        &self,
        name: &str,
        text: &str,
        shared: impl FnOnce() -> Arc<String>,
    ) -> Result<Parsed, parse::ParseError> {
        if let Some(parsed) = self.0.borrow().get(text) {
            return Ok(parsed.clone());
        }
        let trees = parse::parse(name, text, &resolve)?;
        let parsed = Parsed {
            trees: Arc::new(
                trees
                    .trees
                    .into_iter()
                    .map(|(name, nodes)| (name, Arc::from(nodes)))
                    .collect(),
            ),
            text: shared(),
        };
        self.0
            .borrow_mut()
            .insert(Key(parsed.text.clone()), parsed.clone());
        Ok(parsed)
    }
}

impl Helm {
    fn new() -> Helm {
        Helm {
            included: RefCell::new(HashMap::default()),
            depth: Cell::new(0),
            deepest: super::Deepest::new(),
            parsed: ParseCache::default(),
            memo: RefCell::default(),
        }
    }

    fn enter(&self, what: &str) -> Result<(), String> {
        let depth = self.depth.get();
        let limit = &crate::limits::INCLUDE_DEPTH;
        // Helm's own check of one name nested too often (it allows 1001 levels) speaks
        // first; rudder's limit on nesting of any names stops loops through other names
        // and through `tpl`, which Helm leaves to overflow.
        limit
            .check((depth as u64 + 1).saturating_sub(2), || {
                format!("{what} nests too deeply")
            })
            .map_err(|e| e.to_string())?;
        self.depth.set(depth + 1);
        self.deepest.reach(depth as u64 + 1);
        Ok(())
    }

    fn leave(&self) {
        self.depth.set(self.depth.get() - 1);
    }

    /// Whether an include that uses `levels` include/tpl levels (itself included) runs
    /// here without reaching either limit: rudder's depth, and Helm's count of one name
    /// nested (each running include of a name is one level).
    fn depth_fits(&self, levels: u64) -> bool {
        let deepest = self.depth.get() as u64 + levels;
        let limit = crate::limits::INCLUDE_DEPTH.get();
        deepest <= limit.saturating_add(2).min(INCLUDE_NAME_LIMIT as u64 + 1)
    }

    /// Runs the template `name` for `include`, under Helm's count of one name nested
    /// and rudder's depth limit.
    fn run_include(&self, exec: &mut Exec, name: &str, data: Value) -> Result<String, String> {
        {
            let mut included = self.included.borrow_mut();
            // The name is copied only the first time it is included.
            let count = match included.get_mut(name) {
                Some(count) => count,
                None => included.entry(name.to_string()).or_insert(0),
            };
            if *count > INCLUDE_NAME_LIMIT {
                return Err(format!(
                    "rendering template has a nested reference name: {name}: unable to execute template"
                ));
            }
            *count += 1;
        }
        let result = (|| {
            let Some(template) = exec.lookup(name) else {
                return Err(format!(
                    "template: no template {} associated with template \"gotpl\"",
                    crate::gofmt::go_quote(name)
                ));
            };
            self.enter("include")?;
            let mut out = String::new();
            let result = exec.execute(&template, data, &mut out);
            self.leave();
            result.map_err(|e| e.text)?;
            Ok(out)
        })();
        if let Some(count) = self.included.borrow_mut().get_mut(name) {
            *count -= 1;
        }
        result
    }
}

impl Host for Helm {
    fn include(&self, exec: &mut Exec, name: &str, data: Value) -> Result<String, String> {
        let Some(key) = memo::key(exec, &data) else {
            return self.run_include(exec, name, data);
        };
        let found = self
            .memo
            .borrow()
            .find(exec, name, &key.0, |levels| self.depth_fits(levels));
        if let Some(out) = found {
            return Ok(out);
        }
        let watch = memo::Watch::start(exec);
        let depth = self.depth.get() as u64;
        let outer = self.deepest.start(depth);
        let result = self.run_include(exec, name, data);
        let levels = self.deepest.end(outer, depth);
        let ran = watch.end(exec);
        if let Ok(out) = &result {
            self.memo.borrow_mut().keep(name, key, out, levels, ran);
        }
        result
    }

    fn tpl(&self, exec: &mut Exec, text: &str, data: Value) -> Result<String, String> {
        let trees = self
            .parsed
            .parse("gotpl", text, || Arc::new(text.to_string()))
            .map_err(|e| {
                format!(
                    "cannot parse template {}: template: gotpl:{}: {}",
                    crate::gofmt::go_quote(text),
                    e.line,
                    e.message
                )
            })?;
        let source = Arc::new(Source {
            name: "gotpl".into(),
            text: trees.text.clone(),
        });
        let mut overlay = Namespace::default();
        let mut main = None;
        for (i, (name, nodes)) in trees.trees.iter().enumerate() {
            let template = Template {
                name: if i == 0 { "gotpl".into() } else { name.clone() },
                source: source.clone(),
                nodes: nodes.clone(),
            };
            if i == 0 {
                main = Some(Arc::new(template));
            } else {
                overlay.add(template);
            }
        }
        let Some(main) = main else {
            return Ok(String::new());
        };
        self.enter("tpl")?;
        exec.overlays.push(overlay);
        let mut out = String::new();
        // tpl's text runs with the render's missingkey option, as Helm re-applies it.
        let result = exec.execute(&main, data, &mut out);
        exec.overlays.pop();
        self.leave();
        result.map_err(|e| {
            format!(
                "error during tpl function execution for {}: {}",
                crate::gofmt::go_quote(text),
                e.text
            )
        })?;
        Ok(without_no_value(out))
    }
}

/// Renders the templates of the charts of the tree for which `renders` holds (the
/// Go-template charts), on a thread whose stack holds the deepest nesting the limits
/// allow.
pub fn render(
    chart: &Chart,
    values: Values,
    set_ints: Option<&Json>,
    opts: &RenderOptions,
    renders: &(dyn Fn(&Chart) -> bool + Sync),
) -> Result<Rendered, RenderError> {
    super::on_render_thread("render-go", RENDER_STACK, chart.name(), || {
        render_here(chart, values, set_ints, opts, renders)
    })
}

/// Stack for the render thread: `template` nests as deep as Go allows (100 000) and
/// each `include`/`tpl` is a nested execution. Only the pages used are committed.
const RENDER_STACK: usize = 1024 * 1024 * 1024;

fn render_here(
    chart: &Chart,
    values: Values,
    set_ints: Option<&Json>,
    opts: &RenderOptions,
    renders: &dyn Fn(&Chart) -> bool,
) -> Result<Rendered, RenderError> {
    let caps = super::objects::Capabilities::new(&opts.kube_version, &opts.api_versions);
    let shared = BTreeMap::from([
        ("Release", super::objects::release_value(&opts.release)),
        ("Capabilities", objects::capabilities(&caps)),
    ]);
    let root_values = objects::values(values, set_ints);
    let mut scopes = Vec::new();
    collect_scopes(
        chart,
        chart.name().to_string(),
        root_values,
        &shared,
        true,
        &mut scopes,
    );

    // Every template file of the Go charts, in Helm's parse order.
    let mut files: Vec<(String, usize, usize)> = Vec::new();
    for (si, scope) in scopes.iter().enumerate() {
        if !renders(scope.chart) {
            continue;
        }
        let library = scope.chart.metadata.is_library();
        for (ti, t) in scope.chart.templates.iter().enumerate() {
            if library && !is_partial(&t.name) {
                continue;
            }
            files.push((format!("{}/{}", scope.prefix, t.name), si, ti));
        }
    }
    // Helm's order of template files: the deepest paths first, then by name, backwards
    // (so a top chart's definition of a name is parsed last and wins). The depth is
    // counted once per name, not in every comparison.
    let mut keyed: Vec<(usize, (String, usize, usize))> = files
        .into_iter()
        .map(|f| (f.0.bytes().filter(|b| *b == b'/').count(), f))
        .collect();
    keyed.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| b.0.cmp(&a.0)));
    let files: Vec<(String, usize, usize)> = keyed.into_iter().map(|(_, f)| f).collect();

    let helm = Helm::new();
    let mut ns = Namespace::default();
    for (name, si, ti) in &files {
        let contents = &scopes[*si].chart.templates[*ti].data;
        // A loaded template's text is shared; other contents are checked and copied.
        let shared = contents.text();
        let text = match &shared {
            Some(text) => text.as_str(),
            None => {
                let data = contents
                    .bytes()
                    .map_err(|m| super::template_error(name.clone(), None, m, None))?;
                std::str::from_utf8(data).map_err(|_| {
                    super::template_error(
                        name.clone(),
                        None,
                        "template is not valid UTF-8 text",
                        None,
                    )
                })?
            }
        };
        parse_into(&mut ns, &helm.parsed, name, text, shared.clone())?;
    }

    // The templates to execute, in parse order. Each execution is independent of the
    // others but for the output limit, which counts every byte of the release; a
    // seeded random source, whose sequence runs through the templates in order; and
    // the values, which a template may change for the ones after it (`set .Values`,
    // as Helm allows): templates that can change a map, or run text from the values
    // (`tpl`, which could), are executed in order on one thread.
    let jobs: Vec<&(String, usize, usize)> = files
        .iter()
        .filter(|(_, si, ti)| !is_partial(&scopes[*si].chart.templates[*ti].name))
        .collect();
    let execute = |part: Vec<&(String, usize, usize)>| {
        // `include`'s counts and `tpl`'s cache are each thread's own.
        let helm = Helm::new();
        let ctx = funcs::Ctx::new(opts.funcs);
        let mut exec = Exec::new(&ns, &ctx, opts.strict, &helm);
        // Each chart's templates share one top-level map, as in Helm (a template may
        // `set . "k" v` for the chart's later templates). Each thread has its own: a
        // render split over two runs no template that changes a map.
        let mut tops: HashMap<usize, Value> = HashMap::new();
        let out: Vec<_> = crate::parallel::until_error(part, |(name, si, _)| {
            let top = tops
                .entry(*si)
                .or_insert_with(|| chart_top(&scopes[*si]))
                .clone();
            execute_file(&mut exec, &ns, name, &scopes[*si], top)
        })
        .into_iter()
        .filter_map(Result::transpose)
        .collect();
        let used = crate::limits::OUTPUT_SIZE.get() - exec.room;
        (out, used)
    };
    let weight = |(_, si, ti): &&(String, usize, usize)| {
        let data = &scopes[*si].chart.templates[*ti].data;
        data.bytes().map_or(0, <[u8]>::len)
    };
    let rendered =
        super::execute_split(jobs, weight, opts, || !ns.calls_any(CHANGE_VALUES), execute)?;
    Ok(Rendered { files: rendered })
}

/// Executes the template file `name` of `scope`'s chart: its output without Helm's
/// `<no value>`s, or Helm's error with the source line under it. `None` when the file
/// defines nothing of its own to execute.
fn execute_file(
    exec: &mut Exec,
    ns: &Namespace,
    name: &str,
    scope: &super::objects::Scope,
    top: Value,
) -> Result<Option<(String, String)>, RenderError> {
    let Some(template) = ns.get(name).cloned() else {
        return Ok(None);
    };
    // Helm sets `.Template` in the chart's top-level map before each of its templates;
    // it is its own map type, `common.Values`, too.
    if let Some(map) = top.downcast_object_ref::<funcs::Dict>() {
        map.insert_watched(
            "Template",
            funcs::Dict::watched(
                BTreeMap::from([
                    (
                        "BasePath".to_string(),
                        Value::from(format!("{}/templates", scope.prefix)),
                    ),
                    ("Name".to_string(), Value::from(name)),
                ]),
                "common.Values",
            ),
        );
    }
    let mut out = String::new();
    if let Err(e) = exec.execute(&template, top, &mut out) {
        let message = exec::helm_exec_message(&e.text);
        let mut err = super::template_error(String::new(), None, message, None);
        err.file = None;
        if let Some((source, pos)) = exec.first_error_at() {
            let (line, col) = source.line_col(pos);
            err.message
                .push_str(&snippet(&source.text, line, Some(col)));
        }
        return Err(err);
    }
    Ok(Some((name.to_string(), without_no_value(out))))
}

/// A chart's top-level map (`.` of its templates: `Values`, `Chart`, `Release` ...),
/// Helm's `common.Values`.
fn chart_top(scope: &super::objects::Scope) -> Value {
    funcs::Dict::named(
        scope
            .top
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        "common.Values",
    )
}

/// The functions that change a map in place (one the values may hold) or run text
/// that could: a render whose templates call one runs them in order on one thread.
const CHANGE_VALUES: &[&str] = &[
    "set",
    "unset",
    "merge",
    "mustMerge",
    "mergeOverwrite",
    "mustMergeOverwrite",
    "tpl",
];

/// Parses the file `name` and adds its templates to `ns`; a parse error is Helm's
/// (`parse error at (<file>:<line>): <message>`, the part of Go's text after its last
/// `: `), with the line under it.
fn parse_into(
    ns: &mut Namespace,
    parsed: &ParseCache,
    name: &str,
    text: &str,
    shared: Option<Arc<String>>,
) -> Result<(), RenderError> {
    let shared = || shared.unwrap_or_else(|| Arc::new(text.to_string()));
    let trees = parsed.parse(name, text, shared).map_err(|e| {
        let message = e.message.rsplit(": ").next().unwrap_or(&e.message);
        let mut err = super::template_error(
            String::new(),
            None,
            format!("parse error at ({name}:{}): {message}", e.line),
            None,
        );
        err.file = None;
        err.message.push_str(&snippet(text, e.line, None));
        err
    })?;
    let source = Arc::new(Source {
        name: name.to_string(),
        text: trees.text.clone(),
    });
    for (i, (tname, nodes)) in trees.trees.iter().enumerate() {
        ns.add(Template {
            // A text parsed before for another file: its own tree takes this file's name.
            name: if i == 0 {
                name.to_string()
            } else {
                tname.clone()
            },
            source: source.clone(),
            nodes: nodes.clone(),
        });
    }
    Ok(())
}

fn is_partial(name: &str) -> bool {
    name.rsplit('/')
        .next()
        .is_some_and(|base| base.starts_with('_'))
}

/// The source line `line` (1-based) under the message, with a caret at `col`.
fn snippet(text: &str, line: usize, col: Option<usize>) -> String {
    let Some(src) = text.split('\n').nth(line.saturating_sub(1)) else {
        return String::new();
    };
    if src.trim().is_empty() {
        return String::new();
    }
    let number = line.to_string();
    let mut out = format!("\n  {number} | {src}");
    if let Some(col) = col {
        let prefix: String = src
            .get(..col.min(src.len()))
            .unwrap_or_default()
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&format!("\n  {} | {prefix}^", " ".repeat(number.len())));
    }
    out
}

/// Renders a standalone template with no data and Helm's functions (no `include` or
/// `tpl` to reach): what `--name-template` does.
pub fn render_text(
    name: &str,
    text: &str,
    funcs_options: funcs::FuncOptions,
) -> Result<String, RenderError> {
    let helm = Helm::new();
    let mut ns = Namespace::default();
    parse_into(&mut ns, &helm.parsed, name, text, None)?;
    let Some(main) = ns.get(name).cloned() else {
        return Ok(String::new());
    };
    let ctx = funcs::Ctx::new(funcs_options);
    let mut exec = Exec::new(&ns, &ctx, false, &helm);
    let mut out = String::new();
    exec.execute(&main, Value::UNDEFINED, &mut out)
        .map_err(|e| {
            super::template_error(String::new(), None, exec::helm_exec_message(&e.text), None)
        })?;
    Ok(without_no_value(out))
}

/// The output with every `<no value>` removed, as Helm removes them; most outputs hold
/// none and are returned as they are rather than copied.
fn without_no_value(out: String) -> String {
    static FIND: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("<no value>"));
    if FIND.find(out.as_bytes()).is_some() {
        out.replace("<no value>", "")
    } else {
        out
    }
}
