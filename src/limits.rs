//! Every limit rudder puts on its input, in one table.
//!
//! rudder reads charts, values and archives from many hands; each of these bounds keeps
//! hostile or broken input from exhausting memory, the stack or the clock. The defaults
//! are at least as generous as Helm's where Helm has a limit, so a chart Helm renders
//! renders here too. Each limit can be raised (or lowered) with its environment variable;
//! the error that reports a breach names the limit and the variable.
//!
//! Values are read from the environment once per process: they are configuration, not
//! state, and never change while rudder runs.

use std::sync::OnceLock;

/// One limit: what it bounds, its default and the environment variable that sets it.
#[derive(Debug)]
pub struct Limit {
    /// Position in `ALL` (and in the cache of values read from the environment).
    index: usize,
    /// Short name used in messages (`string length`).
    pub name: &'static str,
    /// The environment variable that overrides the default.
    pub env: &'static str,
    pub default: u64,
    /// What the number counts, for messages and docs (`bytes`, `levels`, `seconds`).
    pub unit: &'static str,
    /// Where Helm has the same limit, and what it is.
    pub helm: &'static str,
}

const MIB: u64 = 1024 * 1024;

/// A file of a chart (read from a folder or an archive).
pub const CHART_FILE: Limit = Limit {
    index: 0,
    name: "chart file size",
    env: "RUDDER_MAX_CHART_FILE",
    default: 5 * MIB,
    unit: "bytes",
    helm: "5 MiB per file (helm's loader)",
};

/// All files of a chart archive together, decompressed.
pub const CHART_SIZE: Limit = Limit {
    index: 1,
    name: "chart size",
    env: "RUDDER_MAX_CHART_SIZE",
    default: 100 * MIB,
    unit: "bytes",
    helm: "100 MiB decompressed (helm's loader)",
};

/// Entries of one chart archive.
pub const ARCHIVE_ENTRIES: Limit = Limit {
    index: 2,
    name: "archive entries",
    env: "RUDDER_MAX_ARCHIVE_ENTRIES",
    default: 100_000,
    unit: "entries",
    helm: "none",
};

/// Nodes (scalars, sequences and maps) of one YAML document.
pub const YAML_NODES: Limit = Limit {
    index: 3,
    name: "YAML nodes",
    env: "RUDDER_MAX_YAML_NODES",
    default: 50_000_000,
    unit: "nodes",
    helm: "none",
};

/// Nesting of one YAML or JSON document (values files, `--set-json`, index.yaml).
pub const YAML_DEPTH: Limit = Limit {
    index: 4,
    name: "nesting depth",
    env: "RUDDER_MAX_YAML_DEPTH",
    default: 10_000,
    unit: "levels",
    helm: "10000 (go-yaml and encoding/json)",
};

/// Dotted levels of one `--set` key.
pub const SET_DEPTH: Limit = Limit {
    index: 5,
    name: "--set nesting depth",
    env: "RUDDER_MAX_SET_DEPTH",
    default: 30,
    unit: "levels",
    helm: "30 (strvals)",
};

/// Nested `include` and `tpl` calls together.
pub const INCLUDE_DEPTH: Limit = Limit {
    index: 6,
    name: "include/tpl depth",
    env: "RUDDER_MAX_INCLUDE_DEPTH",
    default: 1000,
    unit: "levels",
    helm: "1000 nested references (helm's engine)",
};

/// The rendered output of a release.
pub const OUTPUT_SIZE: Limit = Limit {
    index: 7,
    name: "output size",
    env: "RUDDER_MAX_OUTPUT",
    default: 1024 * MIB,
    unit: "bytes",
    helm: "none",
};

/// One string made by a template function (`repeat`, `indent`, `printf`, `randAscii`).
pub const STRING_LENGTH: Limit = Limit {
    index: 8,
    name: "string length",
    env: "RUDDER_MAX_STRING",
    default: 256 * MIB,
    unit: "bytes",
    helm: "none (Go refuses lengths that overflow an int)",
};

/// One list made by a template function (`until`, `untilStep`, `seq`).
pub const LIST_LENGTH: Limit = Limit {
    index: 9,
    name: "list length",
    env: "RUDDER_MAX_LIST",
    default: 50_000_000,
    unit: "items",
    helm: "none",
};

/// One network request of `dependency update|build`, from connect to the last byte.
pub const NETWORK_TIMEOUT: Limit = Limit {
    index: 10,
    name: "network timeout",
    env: "RUDDER_NETWORK_TIMEOUT",
    default: 120,
    unit: "seconds",
    helm: "120 s (helm's HTTP getter)",
};

/// One download of `dependency update|build`.
pub const DOWNLOAD_SIZE: Limit = Limit {
    index: 11,
    name: "download size",
    env: "RUDDER_MAX_DOWNLOAD",
    default: 100 * MIB,
    unit: "bytes",
    helm: "none",
};

/// Waiting for another rudder writing into the same output folder.
pub const LOCK_WAIT: Limit = Limit {
    index: 12,
    name: "output lock wait",
    env: "RUDDER_LOCK_WAIT",
    default: 600,
    unit: "seconds",
    helm: "none",
};

/// Stack of the threads that run a command or render a project's releases: deep enough
/// for the deepest input the limits allow (YAML nesting, include chains). Only the pages
/// used are committed.
pub const COMMAND_STACK: usize = 1024 * 1024 * 1024;

/// Every limit, in the order of their `index`.
pub const ALL: [&Limit; 13] = [
    &CHART_FILE,
    &CHART_SIZE,
    &ARCHIVE_ENTRIES,
    &YAML_NODES,
    &YAML_DEPTH,
    &SET_DEPTH,
    &INCLUDE_DEPTH,
    &OUTPUT_SIZE,
    &STRING_LENGTH,
    &LIST_LENGTH,
    &NETWORK_TIMEOUT,
    &DOWNLOAD_SIZE,
    &LOCK_WAIT,
];

/// The values in effect, read from the environment on first use.
fn values() -> &'static Result<Vec<u64>, String> {
    static VALUES: OnceLock<Result<Vec<u64>, String>> = OnceLock::new();
    VALUES.get_or_init(|| {
        ALL.iter()
            .map(|l| match std::env::var(l.env) {
                Err(_) => Ok(l.default),
                Ok(text) => text.trim().parse::<u64>().map_err(|_| {
                    format!(
                        "environment variable {}=`{text}` is not a whole number of {}",
                        l.env, l.unit
                    )
                }),
            })
            .collect()
    })
}

/// Checks the environment variables once, so a typo is reported before any work.
pub fn check_env() -> Result<(), crate::error::Error> {
    values()
        .as_ref()
        .map(|_| ())
        .map_err(|m| crate::error::Error::new(crate::error::Kind::Usage, m.clone()))
}

impl Limit {
    /// The value in effect (the default when the variable is unset or invalid; `run`
    /// reports an invalid one before anything reads it).
    pub fn get(&self) -> u64 {
        match values() {
            Ok(v) => v[self.index],
            Err(_) => self.default,
        }
    }

    /// `get` as a size, saturating on 32-bit targets.
    pub fn get_usize(&self) -> usize {
        usize::try_from(self.get()).unwrap_or(usize::MAX)
    }

    /// The message for a breach: `what` (such as "`repeat` would make 10000000000
    /// bytes") followed by the limit and how to raise it.
    pub fn exceeded(&self, what: impl std::fmt::Display) -> String {
        format!(
            "{what}, over the {} limit of {} (raise it with {}=N)",
            self.name,
            self.shown(),
            self.env
        )
    }

    /// The value in effect with its unit: `100 MiB (104857600 bytes)`, `30 levels`.
    pub fn shown(&self) -> String {
        let n = self.get();
        if self.unit == "bytes" && n >= MIB && n.is_multiple_of(MIB) {
            format!("{} MiB ({n} bytes)", n / MIB)
        } else {
            format!("{n} {}", self.unit)
        }
    }

    /// The default with its unit, as docs/errors.md lists it: `100 MiB`, `30 levels`.
    pub fn default_shown(&self) -> String {
        let n = self.default;
        if self.unit == "bytes" && n >= MIB && n.is_multiple_of(MIB) {
            format!("{} MiB", n / MIB)
        } else {
            format!("{n} {}", self.unit)
        }
    }

    /// This limit's row in the table of docs/errors.md.
    pub fn doc_row(&self) -> String {
        format!(
            "| {} | `{}` | {} | {} |",
            self.name,
            self.env,
            self.default_shown(),
            self.helm
        )
    }

    /// `Err(exceeded)` when `n` is over the limit.
    pub fn check(&self, n: u64, what: impl FnOnce() -> String) -> Result<(), String> {
        if n > self.get() {
            Err(self.exceeded(what()))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_sits_at_its_index() {
        for (i, l) in ALL.iter().enumerate() {
            assert_eq!(l.index, i, "{}", l.name);
        }
    }

    #[test]
    fn every_limit_has_its_own_variable() {
        let mut envs: Vec<_> = ALL.iter().map(|l| l.env).collect();
        envs.sort();
        envs.dedup();
        assert_eq!(envs.len(), ALL.len());
    }

    #[test]
    fn breach_message_names_limit_and_variable() {
        let text = LIST_LENGTH.exceeded("`until` would make 3 items");
        assert!(text.starts_with("`until` would make 3 items, over the list length limit"));
        assert!(text.ends_with("(raise it with RUDDER_MAX_LIST=N)"));
    }
}
