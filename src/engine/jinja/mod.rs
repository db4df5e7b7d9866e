//! The Jinja engine: one minijinja environment per chart tree.
//!
//! Every template and helper of the tree is compiled into one environment before
//! anything renders; each chart's objects (`Values`, `Chart`, `Files`, ...) are built
//! once and shared by its templates. Helpers are macros in `_*.tpl` files, called with
//! `include`; a Jinja chart includes helpers of Jinja charts only.

mod include;
pub mod objects;
mod syntax;
pub(crate) mod undefined;

use std::collections::BTreeMap;
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

    let registry: IncludeRegistry = Arc::new(OnceLock::new());
    let mut env = environment(opts, registry.clone())?;

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

    for scope in &scopes {
        for t in &scope.chart.templates {
            let name = format!("{}/{}", scope.prefix, t.name);
            let bytes = t
                .data
                .bytes()
                .map_err(|m| template_error(name.clone(), None, m, None))?;
            let source = String::from_utf8(bytes.to_vec()).map_err(|_| {
                template_error(name.clone(), None, "template is not valid UTF-8 text", None)
            })?;
            if let Err(e) = env.add_template_owned(name.clone(), source) {
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

    let known = undefined::Known {
        env: &env,
        extra: &[],
    };
    // The templates to render, in order. Their values cannot be changed by a template
    // (a Jinja template's maps are its own), so each render is independent of the
    // others but for the output limit, which counts every byte of the release, and a
    // seeded random source, whose sequence runs through the templates in order.
    let jobs: Vec<(usize, &crate::chart::File)> = scopes
        .iter()
        .enumerate()
        .filter(|(_, scope)| !scope.chart.metadata.is_library())
        .flat_map(|(si, scope)| {
            scope
                .chart
                .templates
                .iter()
                .filter(|t| !is_partial(&t.name))
                .map(move |t| (si, t))
        })
        .collect();
    let limit = &crate::limits::OUTPUT_SIZE;
    let render_part = |part: Vec<(usize, &crate::chart::File)>| {
        let mut budget = limit.get();
        let out = crate::parallel::until_error(part, |(si, t)| {
            let (name, text, room) = render_one(&env, &known, &scopes, si, t, opts.strict, budget)?;
            budget = room;
            Ok((name, text))
        });
        (out, limit.get() - budget)
    };
    let weight = |(_, t): &(usize, &crate::chart::File)| t.data.bytes().map_or(0, <[u8]>::len);
    let rendered = super::execute_split(jobs, weight, opts, || true, render_part)?;
    Ok(Rendered { files: rendered })
}

/// Renders the template `t` of `scopes[si]` with `room` bytes left of the release's
/// output: its name, its text and the room left after it.
fn render_one(
    env: &Environment<'static>,
    known: &undefined::Known,
    scopes: &[Scope],
    si: usize,
    t: &crate::chart::File,
    strict: bool,
    room: u64,
) -> Result<(String, String, u64), RenderError> {
    let scope = &scopes[si];
    let name = format!("{}/{}", scope.prefix, t.name);
    let tmpl = env.get_template(&name).map_err(|e| from_jinja(&e, &name))?;
    undefined::check(&tmpl, tmpl.source(), known)?;
    let mut out = Bounded {
        text: Vec::new(),
        room,
        over: false,
    };
    if let Err(e) = tmpl.render_captured_to(context_for(scope, &name), &mut out) {
        if out.over {
            return Err(template_error(
                name,
                None,
                crate::limits::OUTPUT_SIZE.exceeded("the rendered manifests grow too large"),
                None,
            ));
        }
        return Err(strict_error(&e, &name, scopes, strict));
    }
    // Templates are UTF-8 and so is everything they print.
    let text = String::from_utf8(out.text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok((name, text, out.room))
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
    let mut ctx: BTreeMap<&str, Value> = scope.top.clone();
    ctx.insert("Template", objects::template_value(template, &base_path));
    Value::from(ctx)
}
