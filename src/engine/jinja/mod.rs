//! The Jinja engine: one minijinja environment per chart tree.
//!
//! Every template and helper of the tree is compiled into one environment before
//! anything renders; each chart's objects (`Values`, `Chart`, `Files`, ...) are built
//! once and shared by its templates. Helpers are macros in `_*.tpl` files, called with
//! `include`; a Jinja chart includes helpers of Jinja charts only.

mod include;
mod memo;
pub mod objects;
mod syntax;
pub(crate) mod undefined;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde_json::Value as Json;

use super::objects::{Scope, collect_scopes};
use super::{RenderError, RenderOptions, Rendered, format, funcs, template_error};
use crate::chart::Chart;
use crate::values::Values;
pub use include::{Helpers, IncludeRegistry};

pub use include::{ROOT_NAMES, chart_prefix};

fn from_jinja(err: &minijinja::Error, fallback: &str) -> RenderError {
    let template = err.name().unwrap_or(fallback).to_string();
    let message = match err.detail() {
        Some(detail) => match err.kind() {
            minijinja::ErrorKind::InvalidOperation | minijinja::ErrorKind::UnknownFunction => {
                detail.to_string()
            }
            kind => format!("{kind}: {detail}"),
        },
        None => err.kind().to_string(),
    };
    let mut message = message;
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        if let Some(inner) = inner.downcast_ref::<minijinja::Error>() {
            let at = match (inner.name(), inner.line()) {
                (Some(n), Some(l)) => format!(" (at `{n}:{l}`)"),
                _ => String::new(),
            };
            message = format!("{message}: {}{at}", inner.detail().unwrap_or_default());
        }
        source = std::error::Error::source(inner);
    }
    let hint = (err.kind() == minijinja::ErrorKind::UndefinedError).then(|| {
        "give the value a default in values.yaml (or with `| default(...)`), or render without --strict".to_string()
    });
    template_error(template, err.line(), message, hint)
}

/// Renders every template of the chart tree with the coalesced `values`, on a thread
/// whose stack holds the deepest include chain the limits allow.
pub fn render(
    chart: &Chart,
    values: Values,
    opts: &RenderOptions,
    renders: &(dyn Fn(&Chart) -> bool + Sync),
) -> Result<Rendered, RenderError> {
    super::on_render_thread("render", RENDER_STACK, chart.name(), || {
        render_on_this_thread(chart, values, opts, renders)
    })
}

fn configure(env: &mut Environment<'static>, strict: bool) -> Result<(), RenderError> {
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| from_jinja(&e, "syntax"))?;
    env.set_syntax(syntax);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(if strict {
        UndefinedBehavior::Strict
    } else {
        UndefinedBehavior::Chainable
    });
    env.set_debug(false);
    env.set_formatter(|out, _state, value| {
        match value.kind() {
            ValueKind::Undefined | ValueKind::None => {}
            ValueKind::String => out.write_str(value.as_str().unwrap_or_default())?,
            ValueKind::Plain => write!(out, "{value}")?,
            _ if value.downcast_object_ref::<format::Stringer>().is_some() => {
                write!(out, "{value}")?
            }
            _ => out.write_str(&format::go_string(value))?,
        }
        Ok(())
    });
    Ok(())
}

/// The environment `render` compiles a chart tree's templates into: configured as
/// `configure` describes, with every function of the registry and `include`/`tpl`,
/// which find the helpers placed in `includes` once they are loaded. Public so the
/// function library can be exercised (fuzzed, tested) exactly as templates call it.
pub fn environment(
    opts: &RenderOptions,
    includes: IncludeRegistry,
) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    configure(&mut env, opts.strict)?;
    funcs::register(&mut env, opts.funcs);
    include::register(&mut env, includes);
    Ok(env)
}

fn is_partial(name: &str) -> bool {
    name.rsplit('/')
        .next()
        .is_some_and(|base| base.starts_with('_'))
}

/// Stack for the render thread: each nested `include` is a nested render, and Helm
/// allows 1000 of them. Only the pages actually used are committed.
const RENDER_STACK: usize = 512 * 1024 * 1024;

fn render_on_this_thread(
    chart: &Chart,
    values: Values,
    opts: &RenderOptions,
    renders: &dyn Fn(&Chart) -> bool,
) -> Result<Rendered, RenderError> {
    let root_prefix = chart.name().to_string();

    let shared = BTreeMap::from([
        ("Release", objects::release_value(&opts.release)),
        (
            "Capabilities",
            objects::capabilities_value(&super::objects::Capabilities::new(
                &opts.kube_version,
                &opts.api_versions,
            )),
        ),
    ]);
    let root_values = crate::yaml::map_into_value(values);
    let mut scopes = Vec::new();
    collect_scopes(chart, root_prefix, root_values, &shared, true, &mut scopes);
    scopes.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    // The charts of the other dialect are the Go engine's; their scopes stay for
    // `Subcharts`.
    scopes.retain(|s| renders(s.chart));

    // A failed render runs again with every file compiled under its own name, so that
    // errors name the file (and the helpers file) where they happen, as each copy of a
    // shared text would not; templates change nothing outside their output, so the
    // second run is the first one's, named exactly.
    render_scopes(&scopes, opts, Compile::OncePerText)
        .or_else(|_| render_scopes(&scopes, opts, Compile::EachFile))
}

/// A text compiled: the name it is compiled under, and the text itself once another file
/// shares it (to compile under that file's name on demand).
type Compiled = (Arc<str>, Option<Arc<str>>);

/// How the tree's templates are compiled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compile {
    /// Files with the same text (an umbrella's copies of one subchart, a chart's copies
    /// of one template) share one compiled template, under the name of the first.
    OncePerText,
    /// Each file compiled under its own name.
    EachFile,
}

/// One file of the tree: its scope, the file, its name and the name its text is
/// compiled under.
struct Job<'a> {
    scope: usize,
    file: &'a crate::chart::File,
    name: Arc<str>,
    compiled: Arc<str>,
}

fn render_scopes(
    scopes: &[Scope],
    opts: &RenderOptions,
    compile: Compile,
) -> Result<Rendered, RenderError> {
    let registry: IncludeRegistry = Arc::new(OnceLock::new());
    let mut env = environment(opts, registry.clone())?;

    let mut files: Vec<Job> = Vec::new();
    // Text → the name it is compiled under, and the text again for the names that share
    // it: an `{% include %}` or `{% import %}` of one of those compiles it on demand.
    let mut compiled: HashMap<&[u8], Compiled> = HashMap::new();
    let mut shared: HashMap<Arc<str>, Arc<str>> = HashMap::new();
    for (si, scope) in scopes.iter().enumerate() {
        for t in &scope.chart.templates {
            let name: Arc<str> = Arc::from(format!("{}/{}", scope.prefix, t.name));
            let bytes = t
                .data
                .bytes()
                .map_err(|m| template_error(name.to_string(), None, m, None))?;
            if compile == Compile::OncePerText
                && let Some((first, text)) = compiled.get_mut(bytes)
            {
                let text = text.get_or_insert_with(|| {
                    Arc::from(std::str::from_utf8(bytes).unwrap_or_default())
                });
                shared.insert(name.clone(), text.clone());
                files.push(Job {
                    scope: si,
                    file: t,
                    name,
                    compiled: first.clone(),
                });
                continue;
            }
            let source = String::from_utf8(bytes.to_vec()).map_err(|_| {
                template_error(
                    name.to_string(),
                    None,
                    "template is not valid UTF-8 text",
                    None,
                )
            })?;
            if let Err(e) = env.add_template_owned(name.to_string(), source) {
                let mut error = from_jinja(&e, &name);
                if e.kind() == minijinja::ErrorKind::SyntaxError
                    && e.detail()
                        .is_some_and(|d| d.contains("unexpected end of input"))
                    && let Some((line, keyword)) =
                        syntax::unclosed_block(&String::from_utf8_lossy(bytes))
                {
                    error.line = Some(line);
                    error.message = format!("syntax error: `{{% {keyword} %}}` is never closed");
                    error.hint = Some(format!("close it with `{{% end{keyword} %}}`"));
                }
                return Err(error);
            }
            compiled.insert(bytes, (name.clone(), None));
            files.push(Job {
                scope: si,
                file: t,
                compiled: name.clone(),
                name,
            });
        }
    }
    if !shared.is_empty() {
        env.set_loader(move |name| Ok(shared.get(name).map(|text| text.to_string())));
    }

    let mut helpers = Helpers::default();
    for scope in scopes {
        helpers
            .charts
            .push((scope.prefix.clone(), scope.chart.name().to_string()));
    }
    for job in files.iter().filter(|j| is_partial(&j.file.name)) {
        let scope = &scopes[job.scope];
        let tmpl = env
            .get_template(&job.compiled)
            .map_err(|e| from_jinja(&e, &job.name))?;
        let ctx = context_for(scope, &job.name);
        let captured = {
            let _running = include::Running::enter(job.name.clone());
            tmpl.render_captured(ctx)
                .map_err(|e| from_jinja(&e, &job.name))?
        };
        let helper = include::Helper {
            name: job.name.clone(),
            compiled: job.compiled.clone(),
        };
        let macros = helpers.by_chart.entry(scope.prefix.clone()).or_default();
        for export in captured.state().exports() {
            macros.insert(export.to_string(), helper.clone());
        }
    }
    let _ = registry.set(helpers);

    let known = undefined::Known {
        env: &env,
        extra: &[],
    };
    // The templates to render, in order. Their values cannot be changed by a template
    // (a Jinja template's maps are its own), so each render is independent of the
    // others but for the output limit, which counts every byte of the release, and a
    // seeded random source, whose sequence runs through the templates in order.
    let jobs: Vec<&Job> = files
        .iter()
        .filter(|j| !is_partial(&j.file.name) && !scopes[j.scope].chart.metadata.is_library())
        .collect();
    // Names are checked once per compiled text; a file that fails is checked again when
    // its turn comes, for its error.
    let mut passed: HashSet<&str> = HashSet::new();
    for job in &jobs {
        if !passed.contains(&*job.compiled)
            && let Ok(tmpl) = env.get_template(&job.compiled)
            && undefined::check(&job.name, &tmpl, tmpl.source(), &known).is_ok()
        {
            passed.insert(&job.compiled);
        }
    }
    let limit = &crate::limits::OUTPUT_SIZE;
    let render_part = |part: Vec<&Job>| {
        let mut budget = limit.get();
        let out = crate::parallel::until_error(part, |job| {
            let (text, room) = render_one(&env, &known, &passed, scopes, job, opts.strict, budget)?;
            budget = room;
            Ok((job.name.to_string(), text))
        });
        (out, limit.get() - budget)
    };
    let weight = |j: &&Job| j.file.data.bytes().map_or(0, <[u8]>::len);
    let rendered = super::execute_split(jobs, weight, opts, || true, render_part)?;
    Ok(Rendered { files: rendered })
}

/// Renders the template of `job` with `room` bytes left of the release's output (its
/// names checked unless its compiled text `passed`): its text and the room left after it.
fn render_one(
    env: &Environment<'static>,
    known: &undefined::Known,
    passed: &HashSet<&str>,
    scopes: &[Scope],
    job: &Job,
    strict: bool,
    room: u64,
) -> Result<(String, u64), RenderError> {
    let scope = &scopes[job.scope];
    let name = &*job.name;
    let tmpl = env
        .get_template(&job.compiled)
        .map_err(|e| from_jinja(&e, name))?;
    if !passed.contains(&*job.compiled) {
        undefined::check(name, &tmpl, tmpl.source(), known)?;
    }
    let mut out = Bounded {
        text: Vec::new(),
        room,
        over: false,
    };
    let _running = include::Running::enter(job.name.clone());
    let ctx = context_for(scope, name);
    memo::start(ctx.downcast_object());
    if let Err(e) = tmpl.render_captured_to(ctx, &mut out) {
        if out.over {
            return Err(template_error(
                name.to_string(),
                None,
                crate::limits::OUTPUT_SIZE.exceeded("the rendered manifests grow too large"),
                None,
            ));
        }
        return Err(strict_error(&e, name, scopes, strict));
    }
    // Templates are UTF-8 and so is everything they print.
    let text = String::from_utf8(out.text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok((text, out.room))
}

/// A render error; under `--strict` an undefined value is named by its full path
/// (`Values.image.tagg is undefined`) with the closest existing key.
fn strict_error(err: &minijinja::Error, name: &str, scopes: &[Scope], strict: bool) -> RenderError {
    let mut error = from_jinja(err, name);
    if !strict || err.kind() != minijinja::ErrorKind::UndefinedError {
        return error;
    }
    let Some(line) = error.line else {
        return error;
    };
    let Some((scope, file)) = scopes.iter().find_map(|s| {
        let rest = error
            .file
            .as_deref()?
            .strip_prefix(&format!("{}/", s.prefix))?;
        s.chart
            .templates
            .iter()
            .find(|t| t.name == rest)
            .map(|t| (s, t))
    }) else {
        return error;
    };
    let Ok(bytes) = file.data.bytes() else {
        return error;
    };
    let source = String::from_utf8_lossy(bytes);
    let values = scope
        .top
        .get("Values")
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or(Json::Null);
    if let Some((path, near)) = undefined::missing_value(&source, line, &values) {
        error.message = format!("{path} is undefined");
        error.hint = Some(match near {
            Some(key) => format!(
                "did you mean `{}.{key}`? Or give the value a default, or render without --strict",
                path.rsplit_once('.').map_or("Values", |(head, _)| head)
            ),
            None => "give the value a default in values.yaml (or with `| default(...)`), or render without --strict".into(),
        });
    }
    error
}

/// A template's output, refused once the release's output would pass the output
/// size limit: a template that prints without end fails instead of exhausting memory.
struct Bounded {
    text: Vec<u8>,
    /// Bytes the release may still print.
    room: u64,
    /// Whether a write was refused.
    over: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() as u64 > self.room {
            self.over = true;
            return Err(std::io::Error::other("output size limit"));
        }
        self.room -= buf.len() as u64;
        self.text.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn context_for(scope: &Scope, template: &str) -> Value {
    let base_path = format!("{}/templates", chart_prefix(template));
    include::Root::of(|n| match n {
        "Template" => Some(objects::template_value(template, &base_path)),
        n => scope.top.get(n).cloned(),
    })
}
