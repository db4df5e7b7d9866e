//! rudder: a fast, Helm-compatible chart templating CLI whose templates are Jinja.
//!
//! Data flows one way: CLI → chart → values → render → manifest → output.

pub mod chart;
pub mod render;
pub mod values;
pub mod yaml;
