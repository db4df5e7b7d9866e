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

/// Every chart of the tree must be in a dialect rudder renders: today Jinja only.
fn check_dialects(chart: &Chart, prefix: &str) -> Result<(), RenderError> {
    if dialect(chart, prefix)? == Dialect::GoTemplate {
        return Err(template_error(
            format!("{prefix}/Chart.yaml"),
            None,
            format!(
                "chart `{}` is a Helm Go-template chart; rudder renders only charts in its Jinja dialect for now",
                chart.name()
            ),
            Some(format!(
                "if its templates are Jinja, add `annotations: {{{ENGINE_ANNOTATION}: jinja}}` to its Chart.yaml"
            )),
        ));
    }
    for sub in &chart.subcharts {
        check_dialects(sub, &format!("{prefix}/charts/{}", sub.name()))?;
    }
    Ok(())
}

/// Renders every template of the chart tree with the coalesced `values`, with the
/// engine of its dialect.
pub fn render(
    chart: &Chart,
    values: &Values,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    check_dialects(chart, chart.name())?;
    jinja::render(chart, values, opts)
}
