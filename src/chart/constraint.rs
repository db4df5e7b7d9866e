//! Version constraints as Masterminds/semver reads them (used by `kubeVersion`,
//! dependency versions and `semverCompare`).
//!
//! `semver::VersionReq` cannot parse what Helm charts write (`>=1.19-0`,
//! `>=1.2.3 <2.0.0`, `1.2 - 1.4`, `^1.2 || ^2.0`, `!=1.2.3`), hence this parser.

use semver::{Prerelease, Version};

use super::metadata::parse_version;

/// A parsed constraint: alternatives (`||`) of conjunctions.
#[derive(Debug, Clone)]
pub struct Constraint {
    groups: Vec<Vec<Atom>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Tilde,
    Caret,
}

#[derive(Debug, Clone)]
struct Atom {
    op: Op,
    version: Version,
    /// How many of major/minor/patch were given (wildcards count as missing).
    given: usize,
}

impl Constraint {
    pub fn parse(text: &str) -> Result<Constraint, String> {
        let mut groups = Vec::new();
        for alt in text.split("||") {
            let mut atoms = Vec::new();
            let tokens = tokenize(alt);
            let mut i = 0;
            while i < tokens.len() {
                if i + 2 < tokens.len() && tokens[i + 1] == "-" {
                    let lo = parse_atom(&format!(">={}", tokens[i]))?;
                    let hi = parse_atom(&format!("<={}", tokens[i + 2]))?;
                    atoms.push(lo);
                    atoms.push(hi);
                    i += 3;
                    continue;
                }
                atoms.push(parse_atom(&tokens[i])?);
                i += 1;
            }
            if atoms.is_empty() {
                return Err(format!("improper constraint: {text}"));
            }
            groups.push(atoms);
        }
        Ok(Constraint { groups })
    }

    pub fn matches(&self, v: &Version) -> bool {
        self.groups.iter().any(|g| g.iter().all(|a| a.matches(v)))
    }
}

/// Splits on commas and spaces, gluing an operator to the version after it (`>= 1.2`).
fn tokenize(s: &str) -> Vec<String> {
    let raw: Vec<&str> = s
        .split([',', ' ', '\t'])
        .filter(|t| !t.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for t in raw {
        if t.chars().all(|c| "=<>!~^".contains(c)) {
            pending.push_str(t);
            continue;
        }
        out.push(format!("{pending}{t}"));
        pending.clear();
    }
    out
}

fn parse_atom(s: &str) -> Result<Atom, String> {
    let ops = [
        (">=", Op::Ge),
        ("=>", Op::Ge),
        ("<=", Op::Le),
        ("=<", Op::Le),
        ("!=", Op::Ne),
        ("~>", Op::Tilde),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
        ("~", Op::Tilde),
        ("^", Op::Caret),
    ];
    let (op, rest) = ops
        .iter()
        .find_map(|(p, op)| s.strip_prefix(p).map(|r| (*op, r)))
        .unwrap_or((Op::Eq, s));
    let rest = rest.trim();
    let body = rest.strip_prefix('v').unwrap_or(rest);
    let (core, suffix) = match body.find(['-', '+']) {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, ""),
    };
    let mut given = 0;
    let mut parts = Vec::new();
    for p in core.split('.') {
        if matches!(p, "x" | "X" | "*") {
            break;
        }
        parts.push(p);
        given += 1;
    }
    if given == 0 && !core.is_empty() && !matches!(core, "x" | "X" | "*") {
        return Err(format!("improper constraint: {s}"));
    }
    let mut text = if parts.is_empty() {
        "0".to_string()
    } else {
        parts.join(".")
    };
    text.push_str(suffix);
    let version = parse_version(&text).map_err(|_| format!("improper constraint: {s}"))?;
    Ok(Atom { op, version, given })
}

fn bump(v: &Version, level: usize) -> Version {
    match level {
        0 => Version::new(v.major + 1, 0, 0),
        1 => Version::new(v.major, v.minor + 1, 0),
        _ => Version::new(v.major, v.minor, v.patch + 1),
    }
}

impl Atom {
    fn matches(&self, v: &Version) -> bool {
        // A pre-release only satisfies a constraint that names a pre-release itself.
        if !v.pre.is_empty() && self.version.pre.is_empty() && self.op != Op::Ne {
            return false;
        }
        let c = &self.version;
        let base = Version {
            build: semver::BuildMetadata::EMPTY,
            ..v.clone()
        };
        let lower = |c: &Version| Version {
            pre: if c.pre.is_empty() {
                Prerelease::new("0").unwrap_or(Prerelease::EMPTY)
            } else {
                c.pre.clone()
            },
            ..c.clone()
        };
        let cmp_ge = |a: &Version, b: &Version| cmp_versions(a, b) != std::cmp::Ordering::Less;
        let cmp_lt = |a: &Version, b: &Version| cmp_versions(a, b) == std::cmp::Ordering::Less;
        match self.op {
            Op::Eq | Op::Ne => {
                let inside = if self.given >= 3 {
                    cmp_versions(&base, c) == std::cmp::Ordering::Equal
                } else {
                    cmp_ge(&base, c)
                        && cmp_lt(&base, &lower(&bump(c, self.given.saturating_sub(1))))
                        || self.given == 0
                };
                (self.op == Op::Eq) == inside
            }
            Op::Gt => {
                if self.given >= 3 {
                    cmp_versions(&base, c) == std::cmp::Ordering::Greater
                } else if self.given == 0 {
                    false
                } else {
                    cmp_ge(&base, &bump(c, self.given - 1))
                }
            }
            Op::Ge => cmp_ge(&base, c),
            Op::Lt => cmp_lt(&base, c),
            Op::Le => {
                if self.given >= 3 {
                    cmp_versions(&base, c) != std::cmp::Ordering::Greater
                } else if self.given == 0 {
                    true
                } else {
                    cmp_lt(&base, &bump(c, self.given - 1))
                }
            }
            Op::Tilde => {
                let upper = if self.given <= 1 {
                    bump(c, 0)
                } else {
                    bump(c, 1)
                };
                cmp_ge(&base, c) && cmp_lt(&base, &lower(&upper))
            }
            Op::Caret => {
                let upper = if c.major > 0 || self.given <= 1 {
                    bump(c, 0)
                } else if c.minor > 0 || self.given == 2 {
                    bump(c, 1)
                } else {
                    bump(c, 2)
                };
                cmp_ge(&base, c) && cmp_lt(&base, &lower(&upper))
            }
        }
    }
}

fn cmp_versions(a: &Version, b: &Version) -> std::cmp::Ordering {
    (a.major, a.minor, a.patch)
        .cmp(&(b.major, b.minor, b.patch))
        .then_with(|| a.pre.cmp(&b.pre))
}

/// Whether `version` satisfies `range`; a range or version that does not parse only
/// matches itself, as Helm compares them as strings then.
pub fn satisfies(range: &str, version: &str) -> bool {
    match (
        Constraint::parse(range),
        crate::chart::metadata::parse_version(version),
    ) {
        (Ok(c), Ok(v)) => c.matches(&v),
        _ => range == version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(constraint: &str, version: &str) -> bool {
        Constraint::parse(constraint)
            .unwrap()
            .matches(&parse_version(version).unwrap())
    }

    #[test]
    fn constraints_match_as_masterminds_semver() {
        let rows = [
            ("ge_prerelease_floor", ">=1.19-0", "v1.35.0", true),
            ("ge_prerelease_floor_pre", ">=1.19-0", "1.20.0-rc.1", true),
            ("and_range_in", ">=1.2.3 <2.0.0", "1.5.0", true),
            ("and_range_out", ">=1.2.3 <2.0.0", "2.0.0", false),
            ("comma_and", ">=1.2.3, <2.0.0", "1.2.3", true),
            ("hyphen", "1.2 - 1.4", "1.4.0", true),
            ("hyphen_out", "1.2 - 1.4", "1.5.0", false),
            ("caret_or", "^1.2 || ^2.0", "2.3.0", true),
            ("ne", "!=1.2.3", "1.2.3", false),
            ("tilde", "~1.2.3", "1.2.9", true),
            ("tilde_out", "~1.2.3", "1.3.0", false),
            ("caret_zero", "^0.2.3", "0.3.0", false),
            ("wildcard", "1.2.x", "1.2.7", true),
            ("prerelease_excluded", ">=1.0.0", "1.2.0-beta", false),
            ("le_partial", "<=1.2", "1.2.9", true),
            ("gt_partial", ">1.2", "1.2.9", false),
            ("star", "*", "3.0.0", true),
        ];
        for (name, c, v, want) in rows {
            assert_eq!(check(c, v), want, "{name}");
        }
    }
}
