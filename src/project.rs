//! `rudder.yaml`: the releases of a project and the environments they are deployed to.
//!
//! Values layer per release and environment in this order (later wins): the chart's
//! defaults, the release's `values` files and `set`, the environment's `values` and `set`,
//! then the environment's block for that release (`environments.<env>.releases.<name>`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value as Json;

/// The JSON Schema of `rudder.yaml`, checked on every load.
pub const SCHEMA: &str = include_str!("../docs/rudder.schema.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub releases: Vec<Release>,
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
    /// The order environments are listed in the file (render and report in this order).
    #[serde(skip)]
    pub environment_order: Vec<String>,
    /// The folder holding `rudder.yaml`; relative paths start here.
    #[serde(skip)]
    pub root: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub name: String,
    pub chart: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub set: Vec<String>,
}

fn default_namespace() -> String {
    "default".into()
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Environment {
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub set: Vec<String>,
    #[serde(default)]
    pub kube_version: Option<String>,
    #[serde(default)]
    pub api_versions: Vec<String>,
    #[serde(default)]
    pub releases: BTreeMap<String, ReleaseOverride>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseOverride {
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub set: Vec<String>,
}

/// Why a project file was refused.
enum ProjectError {
    Plain(String),
    Name(crate::error::Error),
}

impl From<String> for ProjectError {
    fn from(m: String) -> Self {
        ProjectError::Plain(m)
    }
}

/// What to render for one release in one environment.
#[derive(Debug, Clone)]
pub struct Job {
    pub environment: String,
    pub release: String,
    pub chart: PathBuf,
    pub namespace: String,
    pub values: Vec<PathBuf>,
    pub set: Vec<String>,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
}

impl Project {
    /// Reads and checks `path`; errors name the file and what is wrong.
    pub fn load(path: &Path) -> anyhow::Result<Project> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            crate::error::hinted(
                format!("`{shown}`: cannot read the project file: {e}"),
                "run from the folder holding rudder.yaml, or pass --project FILE",
            )
        })?;
        Project::parse(&text, &shown, path.parent().unwrap_or(Path::new(".")))
    }

    /// Parses a project file's text; `root` is where its relative paths start.
    pub fn parse(text: &str, shown: &str, root: &Path) -> anyhow::Result<Project> {
        Project::parse_checked(text, shown, root).map_err(|e| match e {
            ProjectError::Plain(m) => anyhow::anyhow!(m),
            ProjectError::Name(e) => anyhow::Error::new(e.in_file(shown)),
        })
    }

    fn parse_checked(text: &str, shown: &str, root: &Path) -> Result<Project, ProjectError> {
        let json = crate::yaml::parse(text).map_err(|e| format!("`{shown}`: {e}"))?;
        check_schema(&json).map_err(|e| format!("`{shown}`: {e}"))?;
        let order = json
            .get("environments")
            .and_then(Json::as_object)
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        let mut project: Project =
            serde_json::from_value(json).map_err(|e| format!("`{shown}`: {e}"))?;
        project.environment_order = environment_order(text, order);
        project.root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root.to_path_buf()
        };
        for env in project.environments.keys() {
            crate::names::environment(env).map_err(ProjectError::Name)?;
        }
        let mut seen = std::collections::BTreeSet::new();
        for r in &project.releases {
            crate::names::release(&r.name).map_err(ProjectError::Name)?;
            if !seen.insert(&r.name) {
                return Err(format!("`{shown}`: release `{}` is listed twice", r.name).into());
            }
        }
        for (env, e) in &project.environments {
            for name in e.releases.keys() {
                if !project.releases.iter().any(|r| &r.name == name) {
                    return Err(format!(
                        "`{shown}`: environment `{env}` configures release `{name}`, which is not in releases"
                    )
                    .into());
                }
            }
        }
        Ok(project)
    }

    /// The jobs for the chosen environments and releases (all when empty), in file order.
    pub fn jobs(&self, envs: &[String], releases: &[String]) -> Result<Vec<Job>, String> {
        for e in envs {
            if !self.environments.contains_key(e) {
                return Err(format!(
                    "unknown environment `{e}`; the project has: {}",
                    self.environment_order.join(", ")
                ));
            }
        }
        for r in releases {
            if !self.releases.iter().any(|x| &x.name == r) {
                let names: Vec<&str> = self.releases.iter().map(|x| x.name.as_str()).collect();
                return Err(format!(
                    "unknown release `{r}`; the project has: {}",
                    names.join(", ")
                ));
            }
        }
        let envs: Vec<&String> = if envs.is_empty() {
            self.environment_order.iter().collect()
        } else {
            self.environment_order
                .iter()
                .filter(|e| envs.contains(e))
                .collect()
        };
        let mut jobs = Vec::new();
        for env_name in envs {
            let env = &self.environments[env_name];
            for r in self
                .releases
                .iter()
                .filter(|r| releases.is_empty() || releases.contains(&r.name))
            {
                let over = env.releases.get(&r.name).cloned().unwrap_or_default();
                let path = |p: &String| self.root.join(p);
                jobs.push(Job {
                    environment: env_name.clone(),
                    release: r.name.clone(),
                    chart: self.root.join(&r.chart),
                    namespace: r.namespace.clone(),
                    values: r
                        .values
                        .iter()
                        .chain(&env.values)
                        .chain(&over.values)
                        .map(path)
                        .collect(),
                    set: r
                        .set
                        .iter()
                        .chain(&env.set)
                        .chain(&over.set)
                        .cloned()
                        .collect(),
                    kube_version: env.kube_version.clone(),
                    api_versions: env.api_versions.clone(),
                });
            }
        }
        Ok(jobs)
    }
}

/// The environments in the order the file lists them (serde's map sorts them).
fn environment_order(text: &str, mut keys: Vec<String>) -> Vec<String> {
    let position = |k: &String| text.find(&format!("\n  {k}:")).unwrap_or(usize::MAX);
    keys.sort_by_key(position);
    keys
}

fn check_schema(json: &Json) -> Result<(), String> {
    let schema: Json = serde_json::from_str(SCHEMA).map_err(|e| format!("internal schema: {e}"))?;
    let mut compiler = boon::Compiler::new();
    let url = "file:///rudder.schema.json";
    compiler
        .add_resource(url, schema)
        .map_err(|e| e.to_string())?;
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .compile(url, &mut schemas)
        .map_err(|e| e.to_string())?;
    schemas.validate(json, index).map_err(|e| {
        let mut leaves = Vec::new();
        leaf_errors(&e, &mut leaves);
        leaves.join("; ")
    })
}

fn leaf_errors(e: &boon::ValidationError, out: &mut Vec<String>) {
    if e.causes.is_empty() {
        let at = e.instance_location.to_string();
        out.push(format!(
            "{}: {}",
            if at.is_empty() { "/".into() } else { at },
            e.kind
        ));
    }
    for c in &e.causes {
        leaf_errors(c, out);
    }
}
