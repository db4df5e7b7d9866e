//! The template engines, over one object model and one function library.
//!
//! A chart says which dialect its templates are in (`annotations: {rudder/engine:
//! jinja}` in Chart.yaml); this module picks the engine for the tree and returns the
//! text of every template. The engines share Helm's objects (`objects`), the function
//! registry (`funcs`) and the runtime value: `Value` is minijinja's, the cheapest honest
//! choice while Jinja is the only engine (the Go engine reads the same values). Rendering
//! never writes or prints.

pub mod funcs;
pub mod gotmpl;
pub mod jinja;
pub mod objects;
pub use crate::gofmt as format;

/// The runtime value every engine and the function library work on.
pub use minijinja::value::Value;

use crate::chart::Chart;
use crate::chart::metadata::ENGINE_ANNOTATION;
use crate::values::Values;
pub use objects::{KubeVersion, ReleaseInfo};

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
pub type RenderError = crate::error::Error;

/// A template error at `template` (and `line`), with a hint when one is known.
pub fn template_error(
    template: impl Into<String>,
    line: Option<usize>,
    message: impl Into<String>,
    hint: Option<String>,
) -> RenderError {
    let e = crate::error::Error::new(crate::error::Kind::Template, message)
        .in_file(template)
        .at(line, None);
    match hint {
        Some(h) => e.with_hint(h),
        None => e,
    }
}

/// The rendered text of every template file, by name, in name order.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<(String, String)>,
}

pub use crate::yaml::json_to_value;

/// The deepest level a nesting count (include/tpl calls, `{{template}}` calls) reached
/// since a run began, kept through runs nested in one another: how many levels a kept
/// include output used, so it is reused only where as many are left.
#[derive(Debug, Default)]
pub struct Deepest(std::cell::Cell<u64>);

impl Deepest {
    pub const fn new() -> Deepest {
        Deepest(std::cell::Cell::new(0))
    }

    /// The count reached `level`.
    pub fn reach(&self, level: u64) {
        self.0.set(self.0.get().max(level));
    }

    /// A run begins with the count at `level`: what to give `end`.
    pub fn start(&self, level: u64) -> u64 {
        self.0.replace(level)
    }

    /// The run begun when `start` gave `outer` is over: the levels it reached above
    /// `base` (an enclosing run keeps what this one reached).
    pub fn end(&self, outer: u64, base: u64) -> u64 {
        let deepest = self.0.get();
        self.0.set(deepest.max(outer));
        deepest - base
    }
}

thread_local! {
    /// Whether this thread was started with `limits::COMMAND_STACK` and is not rendering
    /// yet (`stack_holds_a_render`).
    static DEEP_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Says that the calling thread was started with `limits::COMMAND_STACK` bytes of stack
/// and has used little of it: a render started on it runs right there, saving a thread
/// (its start and its allocator's first pages: a tenth of a small chart's time).
pub fn stack_holds_a_render() {
    DEEP_STACK.with(|d| d.set(true));
}

/// The crash of a render, as an error naming `chart`.
fn crashed(chart: &str) -> RenderError {
    template_error(
        chart.to_string(),
        None,
        "the renderer crashed (this is a bug in rudder)",
        Some("please report it with the chart that triggers it".into()),
    )
}

/// Runs `render` on a thread of its own with a `stack`-byte stack (each nested `include`
/// is a nested render; only the pages used are committed), or on this thread when it has
/// as much (`stack_holds_a_render`): a thread that cannot start or a render that panics
/// is an error naming `chart`, never an abort.
fn on_render_thread<T: Send>(
    name: &str,
    stack: usize,
    chart: &str,
    render: impl FnOnce() -> Result<T, RenderError> + Send,
) -> Result<T, RenderError> {
    if stack <= crate::limits::COMMAND_STACK && DEEP_STACK.with(|d| d.replace(false)) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(render));
        DEEP_STACK.with(|d| d.set(true));
        return result.unwrap_or_else(|_| Err(crashed(chart)));
    }
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name(name.into())
            .stack_size(stack)
            .spawn_scoped(s, render)
            .map_err(|e| {
                template_error(
                    chart.to_string(),
                    None,
                    format!("cannot start the render thread: {e}"),
                    None,
                )
            })?
            .join()
            .unwrap_or_else(|_| Err(crashed(chart)))
    })
}

/// The template text from which executing templates on two threads saves more than the
/// second thread costs.
const SPLIT_FROM: usize = 256 * 1024;

/// One half of a render: each executed template's name and output (up to the first
/// error), and the bytes of output it used.
type Half = (Vec<Result<(String, String), RenderError>>, u64);

/// Executes `jobs` (templates, in the order one thread runs them) with `execute`, and
/// returns the outputs sorted by name. With `SPLIT_FROM` or more of template text, no
/// `--seed` (its random sequence runs through the templates in order) and `may_split`
/// agreeing (asked only then: the engine's own check of what its templates can change),
/// the jobs run on two threads. The first half runs as one thread runs it; the second
/// starts with the whole output limit, the only state a template leaves to the next
/// (the engines keep the others on one thread): when the halves together printed more
/// than the limit and the first did not fail, one thread would have stopped elsewhere,
/// so the render runs again on one thread, which decides. Otherwise the first error in
/// order is one thread's.
fn execute_split<T: Send + Clone>(
    jobs: Vec<T>,
    weight: impl Fn(&T) -> usize,
    opts: &RenderOptions,
    may_split: impl FnOnce() -> bool,
    execute: impl Fn(Vec<T>) -> Half + Sync,
) -> Result<Vec<(String, String)>, RenderError> {
    let split = opts.funcs.seed.is_none()
        && jobs.iter().map(&weight).sum::<usize>() >= SPLIT_FROM
        && may_split();
    let from = if split { SPLIT_FROM } else { usize::MAX };
    let parts =
        crate::parallel::split_in_two(jobs.clone(), weight, from, |part| vec![execute(part)]);
    let over = parts.iter().map(|p| p.1).sum::<u64>() > crate::limits::OUTPUT_SIZE.get();
    let rerun = parts.len() > 1 && over && !parts[0].0.iter().any(Result::is_err);
    let results = if rerun {
        execute(jobs).0
    } else {
        parts.into_iter().flat_map(|p| p.0).collect()
    };
    let mut rendered = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    rendered.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rendered)
}

/// The dialect of a chart's templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Jinja,
    GoTemplate,
}

/// The dialect a chart declares (Go templates unless it says `rudder/engine: jinja`).
fn dialect(chart: &Chart, prefix: &str) -> Result<Dialect, RenderError> {
    match chart.metadata.engine() {
        Some("jinja") => Ok(Dialect::Jinja),
        None => Ok(Dialect::GoTemplate),
        Some(other) => Err(template_error(
            format!("{prefix}/Chart.yaml"),
            None,
            format!(
                "chart `{}` declares engine `{other}`, which rudder does not know",
                chart.name()
            ),
            Some(format!(
                "use `annotations: {{{ENGINE_ANNOTATION}: jinja}}`, or no engine annotation for Helm's Go templates"
            )),
        )),
    }
}

/// Checks every chart's declared dialect; says whether the tree holds charts of each.
fn dialects(chart: &Chart, prefix: &str, found: &mut (bool, bool)) -> Result<(), RenderError> {
    match dialect(chart, prefix)? {
        Dialect::Jinja => found.0 = true,
        Dialect::GoTemplate => found.1 = true,
    }
    for sub in &chart.subcharts {
        dialects(sub, &format!("{prefix}/charts/{}", sub.name()), found)?;
    }
    Ok(())
}

fn is_jinja(chart: &Chart) -> bool {
    chart.metadata.engine() == Some("jinja")
}

/// Renders every template of the chart tree with the coalesced `values`, each chart
/// with the engine of its dialect. `set_ints` marks the integers given with `--set`
/// (int64 for Go templates; every other number of the values is a float64 there).
pub fn render(
    chart: &Chart,
    mut values: Values,
    set_ints: Option<&serde_json::Value>,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let mut found = (false, false);
    dialects(chart, chart.name(), &mut found)?;
    let mut files = Vec::new();
    // Each engine takes the values it converts; a tree of both dialects copies them.
    if found.0 {
        let own = if found.1 {
            values.clone()
        } else {
            std::mem::take(&mut values)
        };
        files.extend(jinja::render(chart, own, opts, &is_jinja)?.files);
    }
    if found.1 {
        files.extend(gotmpl::render(chart, values, set_ints, opts, &|c| !is_jinja(c))?.files);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Rendered { files })
}
