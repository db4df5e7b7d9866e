//! The template engine: one minijinja environment per chart tree.
//!
//! Every template and helper of the tree is compiled into one environment before
//! anything renders; each chart's objects (`Values`, `Chart`, `Files`, ...) are built
//! once and shared by its templates. Rendering returns text per template file and
//! never writes or prints.

pub mod context;
pub mod files;
pub use crate::gofmt as format;
pub mod funcs;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde_json::Value as Json;

use crate::chart::Chart;
use crate::chart::metadata::ENGINE_ANNOTATION;
use crate::values::Values;
pub use context::{KubeVersion, ReleaseInfo};
use funcs::flow::{Helpers, chart_prefix};

/// What a render needs besides the chart and its values.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub release: ReleaseInfo,
    pub kube_version: KubeVersion,
    pub api_versions: Vec<String>,
    /// Any undefined value is an error instead of rendering empty.
    pub strict: bool,
    /// The clock and random source of `now`, `date`, `randAlphaNum`, ...
    pub funcs: funcs::FuncOptions,
}

/// A template error: the template (as `<chart>/templates/<file>`), the line, the cause.
#[derive(Debug)]
pub struct RenderError {
    pub template: String,
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "`{}:{line}`: {}", self.template, self.message),
            None => write!(f, "`{}`: {}", self.template, self.message),
        }
    }
}

impl std::error::Error for RenderError {}

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
    RenderError {
        template,
        line: err.line(),
        message,
        hint,
    }
}

/// The rendered text of every template file, by name, in name order.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<(String, String)>,
}

/// One chart of the tree with everything its templates share.
struct Scope<'c> {
    prefix: String,
    chart: &'c Chart,
    base: BTreeMap<&'static str, Value>,
}

/// Converts a values tree into a template value once, so templates share it.
pub fn json_to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                Value::from(n.as_f64().unwrap_or(0.0))
            }
        }
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::from(items.iter().map(json_to_value).collect::<Vec<_>>()),
        Json::Object(map) => {
            Value::from_pairs(map.iter().map(|(k, v)| (k.as_str(), json_to_value(v))))
        }
    }
}

/// Refuses charts that are not written in rudder's Jinja dialect.
fn check_engine(chart: &Chart, prefix: &str) -> Result<(), RenderError> {
    match chart.metadata.engine() {
        Some("jinja") => {}
        other => {
            let what = match other {
                Some(e) => format!("declares engine `{e}`, which rudder does not know"),
                None => "is a Helm Go-template chart; rudder renders only charts in its Jinja dialect for now".into(),
            };
            return Err(RenderError {
                template: format!("{prefix}/Chart.yaml"),
                line: None,
                message: format!("chart `{}` {what}", chart.name()),
                hint: Some(format!(
                    "if its templates are Jinja, add `annotations: {{{ENGINE_ANNOTATION}: jinja}}` to its Chart.yaml"
                )),
            });
        }
    }
    for sub in &chart.subcharts {
        check_engine(sub, &format!("{prefix}/charts/{}", sub.name()))?;
    }
    Ok(())
}

fn collect_scopes<'c>(
    chart: &'c Chart,
    prefix: String,
    values: Value,
    shared: &BTreeMap<&'static str, Value>,
    is_root: bool,
    out: &mut Vec<Scope<'c>>,
) -> Value {
    let mut subcharts = BTreeMap::new();
    for sub in &chart.subcharts {
        let sub_values = values
            .get_attr(sub.name())
            .ok()
            .filter(|v| v.kind() == ValueKind::Map);
        let sub_values =
            sub_values.unwrap_or_else(|| Value::from(BTreeMap::<String, Value>::new()));
        let sub_prefix = format!("{prefix}/charts/{}", sub.name());
        let summary = collect_scopes(sub, sub_prefix, sub_values, shared, false, out);
        subcharts.insert(sub.name().to_string(), summary);
    }
    let mut base = shared.clone();
    base.insert("Values", values);
    base.insert("Chart", context::chart_value(&chart.metadata, is_root));
    base.insert("Files", Value::from_object(files::Files::new(&chart.files)));
    base.insert("Subcharts", Value::from(subcharts));
    let summary = Value::from_pairs(base.iter().map(|(k, v)| (*k, v.clone())));
    out.push(Scope {
        prefix,
        chart,
        base,
    });
    summary
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
            _ => out.write_str(&format::go_string(value))?,
        }
        Ok(())
    });
    Ok(())
}

/// The environment `render` compiles a chart's templates into: configured as
/// `configure` describes, with every function of `funcs::names()` registered. `include`
/// finds the helpers placed in `includes` once they are loaded. Exposed so the function
/// library can be exercised (fuzzed, tested) exactly as templates call it.
pub fn environment(
    opts: &RenderOptions,
    includes: funcs::IncludeRegistry,
) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    configure(&mut env, opts.strict)?;
    funcs::register(&mut env, includes, opts.funcs);
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

/// Renders every template of the chart tree with the coalesced `values`.
pub fn render(
    chart: &Chart,
    values: &Values,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("render".into())
            .stack_size(RENDER_STACK)
            .spawn_scoped(s, || render_on_this_thread(chart, values, opts))
            .map_err(|e| RenderError {
                template: chart.name().to_string(),
                line: None,
                message: format!("cannot start the render thread: {e}"),
                hint: None,
            })?
            .join()
            .unwrap_or_else(|_| {
                Err(RenderError {
                    template: chart.name().to_string(),
                    line: None,
                    message: "the renderer crashed (this is a bug in rudder)".into(),
                    hint: Some("please report it with the chart that triggers it".into()),
                })
            })
    })
}

fn render_on_this_thread(
    chart: &Chart,
    values: &Values,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let root_prefix = chart.name().to_string();
    check_engine(chart, &root_prefix)?;

    let registry: funcs::IncludeRegistry = Arc::new(OnceLock::new());
    let mut env = environment(opts, registry.clone())?;

    let shared = BTreeMap::from([
        ("Release", context::release_value(&opts.release)),
        (
            "Capabilities",
            context::capabilities_value(&opts.kube_version, &opts.api_versions),
        ),
    ]);
    let root_values = json_to_value(&Json::Object(values.clone()));
    let mut scopes = Vec::new();
    collect_scopes(chart, root_prefix, root_values, &shared, true, &mut scopes);
    scopes.sort_by(|a, b| a.prefix.cmp(&b.prefix));

    for scope in &scopes {
        for t in &scope.chart.templates {
            let name = format!("{}/{}", scope.prefix, t.name);
            let source = String::from_utf8(t.data.clone()).map_err(|_| RenderError {
                template: name.clone(),
                line: None,
                message: "template is not valid UTF-8 text".into(),
                hint: None,
            })?;
            env.add_template_owned(name.clone(), source)
                .map_err(|e| from_jinja(&e, &name))?;
        }
    }

    let mut helpers = Helpers::default();
    for scope in &scopes {
        helpers
            .charts
            .push((scope.prefix.clone(), scope.chart.name().to_string()));
        for t in scope.chart.templates.iter().filter(|t| is_partial(&t.name)) {
            let name = format!("{}/{}", scope.prefix, t.name);
            let tmpl = env.get_template(&name).map_err(|e| from_jinja(&e, &name))?;
            let ctx = context_for(scope, &name);
            let captured = tmpl
                .render_captured(ctx)
                .map_err(|e| from_jinja(&e, &name))?;
            let macros = helpers.by_chart.entry(scope.prefix.clone()).or_default();
            for export in captured.state().exports() {
                macros.insert(export.to_string(), name.clone());
            }
        }
    }
    let _ = registry.set(helpers);

    let mut rendered = Vec::new();
    let limit = &crate::limits::OUTPUT_SIZE;
    let mut budget = limit.get();
    for scope in &scopes {
        if scope.chart.metadata.is_library() {
            continue;
        }
        for t in scope
            .chart
            .templates
            .iter()
            .filter(|t| !is_partial(&t.name))
        {
            let name = format!("{}/{}", scope.prefix, t.name);
            let tmpl = env.get_template(&name).map_err(|e| from_jinja(&e, &name))?;
            let mut out = Bounded {
                text: Vec::new(),
                room: budget,
                over: false,
            };
            if let Err(e) = tmpl.render_captured_to(context_for(scope, &name), &mut out) {
                if out.over {
                    return Err(RenderError {
                        template: name,
                        line: None,
                        message: limit.exceeded("the rendered manifests grow too large"),
                        hint: None,
                    });
                }
                return Err(from_jinja(&e, &name));
            }
            budget = out.room;
            // Templates are UTF-8 and so is everything they print.
            let text = String::from_utf8(out.text)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            rendered.push((name, text));
        }
    }
    rendered.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Rendered { files: rendered })
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
    let mut ctx: BTreeMap<&str, Value> = scope.base.clone();
    ctx.insert("Template", context::template_value(template, &base_path));
    Value::from(ctx)
}
