//! `.helmignore` with Helm's exact rules, quirks included.
//!
//! Rules are tried in order and the first match decides; `**` is an error; a rule
//! without `/` matches the base name only; a trailing `/` matches directories only; a
//! `!rule` ignores everything it does *not* match (Helm's reading of negation); the
//! default rule `templates/.?*` comes last. Patterns are Go's `filepath.Match`.

/// The parsed rules of one `.helmignore`.
#[derive(Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

#[derive(Debug)]
struct Pattern {
    /// The glob as characters, ready for the matcher (every file of a chart is tried
    /// against every rule).
    glob: Vec<char>,
    /// The same glob in a form compared as bytes, when it has one.
    fast: Fast,
    negate: bool,
    must_dir: bool,
    kind: Kind,
}

/// The shapes nearly every `.helmignore` rule has (helm create's are all of them), which
/// match without the matcher: every file of a chart meets every rule.
#[derive(Debug, PartialEq)]
enum Fast {
    /// No wildcard, class or escape: the name itself (`.DS_Store`).
    Literal(String),
    /// `*` and then such a literal (`*.swp`): a name that ends with it, the rest
    /// without `/` (a `*` never crosses one).
    Suffix(String),
    /// Anything else: the matcher decides.
    No,
}

impl Fast {
    fn of(glob: &str) -> Fast {
        let plain = |s: &str| !s.contains(['*', '?', '[', '\\']);
        if plain(glob) {
            return Fast::Literal(glob.to_string());
        }
        match glob.strip_prefix('*') {
            Some(rest) if plain(rest) => Fast::Suffix(rest.to_string()),
            _ => Fast::No,
        }
    }

    /// Whether `name` matches, when this form can tell.
    fn matches(&self, name: &str) -> Option<bool> {
        match self {
            Fast::Literal(literal) => Some(name == literal),
            Fast::Suffix(suffix) => Some(
                name.strip_suffix(suffix.as_str())
                    .is_some_and(|rest| !rest.contains('/')),
            ),
            Fast::No => None,
        }
    }
}

#[derive(Debug, PartialEq)]
enum Kind {
    /// Leading `/`: matched against the whole path from the chart root.
    Rooted,
    /// Contains `/`: matched against the whole path.
    Structural,
    /// No `/`: matched against the base name.
    Basename,
}

impl Rules {
    /// Parses a `.helmignore` file; the error names the offending line.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut rules = Rules::default();
        for (i, line) in text.lines().enumerate() {
            rules
                .add(line)
                .map_err(|e| format!("line {}: {e}", i + 1))?;
        }
        Ok(rules)
    }

    /// Adds Helm's default rule: dotfiles under `templates/` are never templates.
    pub fn add_defaults(&mut self) {
        let _ = self.add("templates/.?*");
    }

    fn add(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        if go_match(rule, "abc").is_err() {
            return Err(format!("syntax error in pattern `{rule}`"));
        }
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (must_dir, rule) = match rule.strip_suffix('/') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (kind, glob) = if let Some(r) = rule.strip_prefix('/') {
            (Kind::Rooted, r)
        } else if rule.contains('/') {
            (Kind::Structural, rule)
        } else {
            (Kind::Basename, rule)
        };
        self.patterns.push(Pattern {
            glob: glob.chars().collect(),
            fast: Fast::of(glob),
            negate,
            must_dir,
            kind,
        });
        Ok(())
    }

    /// Whether `path` (relative, `/`-separated) is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        let base = path.rsplit('/').next().unwrap_or(path);
        // A name that is not ASCII as characters once, not once per rule, and only for a
        // rule the fast forms cannot answer. A rule's syntax was checked when it was
        // added; a failed match is a miss either way.
        let mut chars: Option<Vec<char>> = None;
        for p in &self.patterns {
            // A directory rule says nothing of a file, but a negated one ignores it.
            if p.must_dir && !is_dir {
                if p.negate {
                    return true;
                }
                continue;
            }
            let name = match p.kind {
                Kind::Basename => base,
                _ => path,
            };
            let matched = p.fast.matches(name).unwrap_or_else(|| {
                if name.is_ascii() {
                    return match_from(&p.glob, name.as_bytes()).unwrap_or(false);
                }
                let whole = chars.get_or_insert_with(|| path.chars().collect());
                let name = &whole[whole.len() - name.chars().count()..];
                match_from(&p.glob, name).unwrap_or(false)
            });
            if matched != p.negate {
                return true;
            }
        }
        false
    }
}

/// A malformed pattern (`ErrBadPattern` in Go).
#[derive(Debug, PartialEq, Eq)]
pub struct BadPattern;

/// Go's `filepath.Match` on `/`-separated names: `*` and `?` never cross `/`,
/// `[...]` classes with `^` negation and ranges, `\` escapes.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let ok = match_from(&p, &n)?;
    if !ok {
        // Go still reports a malformed pattern even when it fails to match early.
        validate(&p)?;
    }
    Ok(ok)
}

fn validate(p: &[char]) -> Result<(), BadPattern> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => {
                if i + 1 >= p.len() {
                    return Err(BadPattern);
                }
                i += 2;
            }
            '[' => {
                let (_, next) = class(p, i, None)?;
                i = next;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// Whether the name `n` matches the glob `p`: a name's characters, or its bytes when
/// it is ASCII (one byte per character, no copy).
fn match_from<C: Copy + Into<char>>(p: &[char], n: &[C]) -> Result<bool, BadPattern> {
    let at = |i: usize| -> char { n[i].into() };
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    if ni < n.len() && at(ni) != '/' {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
                '[' => {
                    if ni < n.len() && at(ni) != '/' {
                        let (hit, next) = class(p, pi, Some(at(ni)))?;
                        if hit {
                            pi = next;
                            ni += 1;
                            continue;
                        }
                    } else {
                        class(p, pi, None)?;
                    }
                }
                '\\' => {
                    if pi + 1 >= p.len() {
                        return Err(BadPattern);
                    }
                    if ni < n.len() && at(ni) == p[pi + 1] {
                        pi += 2;
                        ni += 1;
                        continue;
                    }
                }
                c => {
                    if ni < n.len() && at(ni) == c {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
            }
        } else if ni == n.len() {
            return Ok(true);
        }
        // Backtrack: let the last `*` swallow one more character (never a `/`).
        match star {
            Some((sp, sn)) if sn < n.len() && at(sn) != '/' => {
                star = Some((sp, sn + 1));
                pi = sp + 1;
                ni = sn + 1;
            }
            _ => return Ok(false),
        }
    }
}

/// Evaluates the class starting at `p[start] == '['` against `c`; returns whether it
/// matched and the index after `]`.
fn class(p: &[char], start: usize, c: Option<char>) -> Result<(bool, usize), BadPattern> {
    let mut i = start + 1;
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let Some(&ch) = p.get(i) else {
            return Err(BadPattern);
        };
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = read_class_char(p, &mut i)?;
        let mut hi = lo;
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|&x| x != ']') {
            i += 1;
            hi = read_class_char(p, &mut i)?;
        }
        if let Some(c) = c
            && lo <= c
            && c <= hi
        {
            hit = true;
        }
    }
    Ok((hit != negated, i))
}

fn read_class_char(p: &[char], i: &mut usize) -> Result<char, BadPattern> {
    let ch = *p.get(*i).ok_or(BadPattern)?;
    if ch == '\\' {
        let esc = *p.get(*i + 1).ok_or(BadPattern)?;
        *i += 2;
        return Ok(esc);
    }
    if ch == '-' || ch == ']' {
        return Err(BadPattern);
    }
    *i += 1;
    Ok(ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_filepath_match() {
        let rows = [
            ("star", "*.txt", "a.txt", true),
            ("star_no_slash", "*.txt", "dir/a.txt", false),
            ("question", "a?c", "abc", true),
            ("class", "[a-c]x", "bx", true),
            ("negated_class", "[^a-c]x", "bx", false),
            ("escape", "a\\*", "a*", true),
            ("braces_are_literal", "{a,b}", "a", false),
        ];
        for (name, p, n, want) in rows {
            assert_eq!(go_match(p, n), Ok(want), "{name}");
        }
        assert!(go_match("[a-", "a").is_err());
    }

    #[test]
    fn helmignore_rules() {
        let mut rules = Rules::parse("# comment\n*.bak\n/secret.txt\ndocs/\nsub/*.md\n").unwrap();
        rules.add_defaults();
        let rows = [
            ("basename_anywhere", "a/b/x.bak", false, true),
            ("rooted", "secret.txt", false, true),
            ("rooted_not_nested", "a/secret.txt", false, false),
            ("dir_rule_matches_dir", "docs", true, true),
            ("dir_rule_skips_file", "docs", false, false),
            ("structural", "sub/readme.md", false, true),
            ("default_hidden_template", "templates/.swp", false, true),
            ("kept", "templates/deployment.yaml", false, false),
            ("non_ascii_hidden_template", "templates/.é", false, true),
            ("non_ascii_kept", "templates/é.yaml", false, false),
            ("non_ascii_basename", "a/é.bak", false, true),
        ];
        for (name, path, dir, want) in rows {
            assert_eq!(rules.ignore(path, dir), want, "{name}");
        }
    }

    #[test]
    fn fast_forms_agree_with_the_matcher() {
        let globs = [
            "*.swp",
            "*",
            ".DS_Store",
            "*~",
            "a/b",
            "*.tar.gz",
            "[ab]",
            "a*b",
        ];
        let names = [
            "x.swp",
            ".swp",
            "a/x.swp",
            "x.swpx",
            "",
            ".DS_Store",
            "a/.DS_Store",
            "x~",
            "~",
            "a/b",
            "a/bc",
            "v.tar.gz",
            "a",
            "ab",
        ];
        let mut fast = 0;
        for glob in globs {
            let form = Fast::of(glob);
            let chars: Vec<char> = glob.chars().collect();
            for name in names {
                let want = match_from(&chars, &name.chars().collect::<Vec<_>>()).unwrap();
                assert_eq!(
                    match_from(&chars, name.as_bytes()),
                    Ok(want),
                    "{glob} on {name}"
                );
                if let Some(got) = form.matches(name) {
                    fast += 1;
                    assert_eq!(got, want, "{glob} on {name}");
                }
            }
        }
        assert_eq!(Fast::of("[ab]"), Fast::No);
        assert_eq!(Fast::of("a*b"), Fast::No);
        assert_eq!(fast, 6 * names.len());
    }

    #[test]
    fn negated_directory_rules_ignore_files() {
        let rules = Rules::parse("!keep/\n").unwrap();
        assert!(rules.ignore("keep", false));
        assert!(!rules.ignore("keep", true));
        assert!(rules.ignore("other", true));
    }

    #[test]
    fn negation_ignores_everything_it_does_not_match() {
        let rules = Rules::parse("!keep.txt\n").unwrap();
        assert!(rules.ignore("other.txt", false));
        assert!(!rules.ignore("keep.txt", false));
    }

    #[test]
    fn double_star_is_an_error() {
        assert!(
            Rules::parse("a/**/b\n")
                .unwrap_err()
                .contains("double-star")
        );
    }
}
