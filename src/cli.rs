//! What the user typed, as clap parses it. No logic here: `commands` validates it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "rudder",
    version,
    about = "A fast, Helm-compatible chart templating CLI whose templates are Jinja"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a chart's templates and print the manifests, as `helm template` does.
    Template(TemplateArgs),
}

/// Value sources, as Helm names them.
#[derive(Debug, Args, Default, Clone)]
pub struct ValueArgs {
    /// A values file (YAML); repeatable, later files win. `-` reads standard input.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<String>,
    /// Set a value: `a.b=c,list={x,y},arr[0]=v`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Set a value that stays a string.
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Set a value from a file's content: `key=path`.
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set a value from JSON: `key=[1,2]`.
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Set a literal string value: everything after the first `=`.
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Release name (default `release-name`), then the chart folder or .tgz.
    #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
    pub positional: Vec<String>,
    #[command(flatten)]
    pub values: ValueArgs,
    /// Namespace of the release.
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    pub namespace: String,
    /// Write each template's manifests to files under this directory instead of stdout.
    #[arg(long = "output-dir", value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Only show manifests rendered from these templates (`templates/service.yaml`, globs).
    #[arg(short = 's', long = "show-only", value_name = "PATH")]
    pub show_only: Vec<String>,
    /// Kubernetes version for `Capabilities.KubeVersion` (default v1.35.0).
    #[arg(long = "kube-version", value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Extra API versions for `Capabilities.APIVersions`; repeatable or comma-separated.
    #[arg(
        short = 'a',
        long = "api-versions",
        value_name = "VERSION",
        value_delimiter = ','
    )]
    pub api_versions: Vec<String>,
    /// Print the chart's CRDs (crds/) before the manifests.
    #[arg(long = "include-crds")]
    pub include_crds: bool,
    /// Leave out test hooks.
    #[arg(long = "skip-tests")]
    pub skip_tests: bool,
    /// Leave out every hook.
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// Set `Release.IsUpgrade` instead of `Release.IsInstall`.
    #[arg(long = "is-upgrade")]
    pub is_upgrade: bool,
    /// Fail on any undefined value instead of rendering it empty.
    #[arg(long = "strict")]
    pub strict: bool,
    /// The time `now` returns (RFC 3339, e.g. 2026-01-02T15:04:05Z); default
    /// SOURCE_DATE_EPOCH, else the clock.
    #[arg(long = "now", value_name = "TIME")]
    pub now: Option<String>,
    /// Seed the random functions (randAlphaNum, uuidv4, ...) so renders repeat exactly.
    #[arg(long = "seed", value_name = "N")]
    pub seed: Option<u64>,
    /// Do not check values against the charts' values.schema.json.
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
}
