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
    /// Render every release of the project (rudder.yaml) for its environments.
    Render(RenderArgs),
    /// Compare two renders object by object: two environments, a git revision, or files.
    Diff(DiffArgs),
    /// Package charts into reproducible archives Helm reads.
    Package(PackageArgs),
    /// Print a chart's Chart.yaml, values, README or CRDs, as `helm show` does.
    Show(ShowArgs),
    /// Chart repository tools.
    #[command(subcommand)]
    Repo(RepoCommand),
    /// Manage a chart's dependencies (charts/ and Chart.lock).
    Dependency(DependencyArgs),
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// Chart folders to package.
    #[arg(value_name = "CHART", required = true)]
    pub charts: Vec<PathBuf>,
    /// Where to write the archives.
    #[arg(
        short = 'd',
        long = "destination",
        value_name = "DIR",
        default_value = "."
    )]
    pub destination: PathBuf,
    /// Set the chart's version.
    #[arg(long = "version", value_name = "VERSION")]
    pub version: Option<String>,
    /// Set the chart's appVersion.
    #[arg(long = "app-version", value_name = "VERSION")]
    pub app_version: Option<String>,
    /// Run `rudder dependency update` on each chart first.
    #[arg(short = 'u', long = "dependency-update")]
    pub dependency_update: bool,
}

#[derive(Debug, Args)]
pub struct DependencyArgs {
    #[command(subcommand)]
    pub command: DependencyCommand,
}

#[derive(Debug, Subcommand)]
pub enum DependencyCommand {
    /// List the dependencies and their status (ok, missing, wrong version, unpacked, ...).
    List {
        #[arg(value_name = "CHART")]
        chart: PathBuf,
    },
    /// Resolve the dependencies, write them into charts/ and write Chart.lock.
    Update {
        #[arg(value_name = "CHART")]
        chart: PathBuf,
        /// Allow pre-release versions.
        #[arg(long = "devel")]
        devel: bool,
    },
    /// Write charts/ from Chart.lock (which must match Chart.yaml).
    Build {
        #[arg(value_name = "CHART")]
        chart: PathBuf,
    },
}

/// What `rudder show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowWhat {
    Chart,
    Values,
    Readme,
    Crds,
    All,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// What to show.
    #[arg(value_enum)]
    pub what: ShowWhat,
    /// The chart folder or .tgz.
    #[arg(value_name = "CHART")]
    pub chart: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum RepoCommand {
    /// Write DIR/index.yaml for the chart archives in DIR and one level below.
    Index(RepoIndexArgs),
}

#[derive(Debug, Args)]
pub struct RepoIndexArgs {
    /// The folder holding the archives.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The URL the repository is served from (prefixes each archive's path).
    #[arg(long = "url", value_name = "URL")]
    pub url: Option<String>,
    /// Keep the entries of this index that DIR does not have.
    #[arg(long = "merge", value_name = "FILE")]
    pub merge: Option<PathBuf>,
    /// Write index.json (JSON) instead of index.yaml.
    #[arg(long = "json")]
    pub json: bool,
}

/// The project file and what to take from it.
#[derive(Debug, Args, Clone)]
pub struct ProjectArgs {
    /// The project file.
    #[arg(long = "project", value_name = "FILE", default_value = "rudder.yaml")]
    pub project: PathBuf,
    /// Only these environments (repeatable; default: all).
    #[arg(long = "env", value_name = "ENV")]
    pub env: Vec<String>,
    /// Only these releases (repeatable; default: all).
    #[arg(long = "release", value_name = "NAME")]
    pub release: Vec<String>,
    /// The time `now` returns (RFC 3339); default SOURCE_DATE_EPOCH, else the clock.
    #[arg(long = "now", value_name = "TIME")]
    pub now: Option<String>,
    /// Seed the random functions so renders repeat exactly.
    #[arg(long = "seed", value_name = "N")]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Write to DIR/<env>/<release>/... (each release folder replaced atomically; folders
    /// of environments and releases the project no longer has are removed).
    #[arg(
        short = 'o',
        long = "output-dir",
        value_name = "DIR",
        conflicts_with = "check"
    )]
    pub output_dir: Option<PathBuf>,
    /// Check that DIR holds exactly what a render gives; list what is stale, missing or
    /// extra and exit 1 if anything is. Writes nothing.
    #[arg(long = "check", value_name = "DIR")]
    pub check: Option<PathBuf>,
    /// With -o: also remove files in DIR that rudder did not write (outside every
    /// `<env>/<release>/`); without it they are only reported.
    #[arg(long = "prune", requires = "output_dir")]
    pub prune: bool,
}

/// Report formats of `rudder diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Two environments of the project, or two rendered files or folders.
    #[arg(value_name = "LEFT RIGHT", num_args = 0..=2)]
    pub sides: Vec<String>,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Compare the project at this git revision (left) with the working tree (right).
    #[arg(long = "base", value_name = "REV", conflicts_with = "chart")]
    pub base: Option<String>,
    /// Compare two values sets of one chart: --left-values and --right-values.
    #[arg(long = "chart", value_name = "CHART")]
    pub chart: Option<PathBuf>,
    /// Values files of the left side, with --chart (repeatable).
    #[arg(long = "left-values", value_name = "FILE", requires = "chart")]
    pub left_values: Vec<PathBuf>,
    /// Values files of the right side, with --chart (repeatable).
    #[arg(long = "right-values", value_name = "FILE", requires = "chart")]
    pub right_values: Vec<PathBuf>,
    /// Report format.
    #[arg(long = "output", value_enum, default_value = "text")]
    pub output: DiffFormat,
    /// Show Secret values instead of masking them.
    #[arg(long = "show-secrets")]
    pub show_secrets: bool,
    /// Leave out a field path, e.g. metadata.labels."helm.sh/chart" (repeatable).
    #[arg(long = "ignore", value_name = "PATH")]
    pub ignore: Vec<String>,
    /// Exit 1 when there are differences (else 0); errors exit 2.
    #[arg(long = "exit-code")]
    pub exit_code: bool,
    /// Colour the text report.
    #[arg(long = "color", value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Lines of context in unified diffs.
    #[arg(long = "context", default_value_t = 3)]
    pub context: usize,
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
    /// A Go template (with Helm's functions) whose output names the release when no
    /// NAME is given, as `helm template --name-template`.
    #[arg(long = "name-template", value_name = "TEMPLATE")]
    pub name_template: Option<String>,
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
