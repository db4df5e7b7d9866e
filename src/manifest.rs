//! From rendered template files to the manifest stream `helm template` prints.
//!
//! Helm splits each file into documents, drops empty ones, sorts resources by kind in
//! its install order (stable, so ties keep file-name and in-file order), puts hooks
//! after everything else, and prefixes each document with `# Source: <path>`.

use crate::error::{Error, Kind};

/// Helm 4.1's install order; unknown kinds go after these, alphabetically.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// One document of the output.
#[derive(Debug, Clone)]
pub struct Document {
    /// The template it came from, e.g. `mychart/templates/service.yaml`.
    pub source: String,
    pub content: String,
    pub kind: String,
    pub api_version: String,
    pub name: String,
    pub namespace: String,
    /// The hook events, empty for an ordinary resource.
    pub hooks: Vec<String>,
}

impl Document {
    pub fn is_test_hook(&self) -> bool {
        self.hooks
            .iter()
            .any(|h| h == "test" || h == "test-success")
    }
}

/// A rendered document that is not YAML: the template, the line in its output, and
/// Helm's words for it (`YAML parse error on ...`).
fn not_yaml(source: &str, line: Option<usize>, helm: String) -> Error {
    let text = match line {
        Some(l) => format!("rendered output is not valid YAML at line {l} of its output: {helm}"),
        None => format!("rendered output is not valid YAML: {helm}"),
    };
    Error::new(Kind::Template, text).in_file(source)
}

/// The sorted manifest: resources, then hooks.
#[derive(Debug, Default)]
pub struct Manifest {
    pub resources: Vec<Document>,
    pub hooks: Vec<Document>,
}

/// Splits a file as Helm's `SplitManifests` does, with byte offsets of each document.
///
/// The separator is `(?:^|\s*\n)---\s*`: a `---` at the start of a line (or of the
/// file) ends a document, along with the white space around it.
pub fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let lead = text.len() - text.trim_start().len();
    let t = &text[lead..];
    let b = t.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut docs = Vec::new();
    let mut start = 0;
    if t.starts_with("---") {
        start = skip_ws(3);
    }
    // A searcher built once: `str::find` sets up a two-way search on every call and
    // reads a byte at a time (5 % of a render of a megabyte of CRDs).
    static SEPARATOR: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("\n---"));
    let mut pos = start;
    loop {
        let found = SEPARATOR.find(&b[pos..]).map(|i| i + pos);
        let Some(nl) = found else {
            docs.push((start, &t[start..]));
            break;
        };
        let mut end = nl;
        while end > start && b[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        docs.push((start, &t[start..end]));
        start = skip_ws(nl + 4);
        pos = start;
    }
    docs.into_iter()
        .filter_map(|(off, d)| {
            let trimmed = d.trim();
            if trimmed.is_empty() {
                None
            } else {
                let inner = d.len() - d.trim_start().len();
                Some((lead + off + inner, trimmed))
            }
        })
        .collect()
}

/// Builds the manifest from rendered files (name, text), in file-name order. A file of
/// one document (most are) gives its text to the document, trimmed in place: copied
/// instead, a chart of CRDs touched another megabyte of fresh memory.
pub fn build(files: Vec<(String, String)>) -> Result<Manifest, Error> {
    let mut resources = Vec::new();
    let mut hooks = Vec::new();
    // Every document of every file (the file's index, its offset in the file, its length).
    let docs: Vec<(usize, usize, usize)> = files
        .iter()
        .enumerate()
        .filter(|(_, (source, _))| !source.ends_with("NOTES.txt"))
        .flat_map(|(i, (_, text))| {
            split_documents(text)
                .into_iter()
                .map(move |(offset, doc)| (i, offset, doc.len()))
        })
        .collect();
    let heads = {
        let views: Vec<(usize, usize, &str)> = docs
            .iter()
            .map(|&(i, offset, len)| (i, offset, &files[i].1[offset..offset + len]))
            .collect();
        read_heads(&views)
    };
    let mut in_file = vec![0usize; files.len()];
    for &(i, ..) in &docs {
        in_file[i] += 1;
    }
    let mut files: Vec<(String, Option<String>)> =
        files.into_iter().map(|(s, t)| (s, Some(t))).collect();
    for (&(i, offset, len), head) in docs.iter().zip(heads) {
        let (source, text) = &mut files[i];
        let head = head.map_err(|e| {
            let text = text.as_deref().unwrap_or_default();
            let doc = &text[offset..offset + len];
            let before = text[..offset].matches('\n').count();
            let helm = crate::yaml::output_error(source, &e.message, e.line, doc);
            // A document that parses but Helm cannot decode is shown by its start.
            let error = not_yaml(source, Some(e.line.unwrap_or(1) + before), helm);
            match e.hint {
                Some(hint) => error.with_hint(hint),
                None => error,
            }
        })?;
        let head = head.unwrap_or_default();
        let content = if in_file[i] == 1 {
            let mut whole = text.take().unwrap_or_default();
            whole.truncate(offset + len);
            whole.drain(..offset);
            whole
        } else {
            text.as_deref().unwrap_or_default()[offset..offset + len].to_string()
        };
        let mut document = Document {
            source: source.clone(),
            content,
            kind: head.kind,
            api_version: head.api_version,
            name: head.name,
            namespace: head.namespace,
            hooks: Vec::new(),
        };
        let hook = head.hook.as_deref();
        match hook {
            None => resources.push(document),
            Some(events) => {
                let events: Vec<String> =
                    events.split(',').map(|e| e.trim().to_lowercase()).collect();
                // Helm skips a hook with any event it does not know.
                if events.iter().all(|e| HOOK_EVENTS.contains(&e.as_str())) {
                    document.hooks = events;
                    hooks.push(document);
                }
            }
        }
    }
    sort_by_kind(&mut resources);
    sort_by_kind(&mut hooks);
    Ok(Manifest { resources, hooks })
}

/// The heads of `docs`, in their order. Every document is read whole (Helm's YAML errors
/// are found anywhere in it), which is a fifth to a half of a large render: with enough
/// text, the second half of the documents is read on a second core. The documents are
/// independent and the results keep their order, so the first error in document order
/// is still the one reported.
fn read_heads(
    docs: &[(usize, usize, &str)],
) -> Vec<Result<Option<crate::yaml::Head>, crate::yaml::YamlError>> {
    /// Below this much text a second thread costs more than it saves.
    const PARALLEL_FROM: usize = 256 * 1024;
    let docs: Vec<&str> = docs.iter().map(|d| d.2).collect();
    crate::parallel::split_in_two(
        docs,
        |d| d.len(),
        PARALLEL_FROM,
        |part| part.into_iter().map(crate::yaml::head).collect(),
    )
}

fn kind_rank(kind: &str) -> Option<usize> {
    INSTALL_ORDER.iter().position(|k| *k == kind)
}

/// Stable sort by install order; unknown kinds last, alphabetically among themselves.
pub fn sort_by_kind(docs: &mut [Document]) {
    docs.sort_by(|a, b| match (kind_rank(&a.kind), kind_rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    });
}

/// What to print.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub include_crds: bool,
    pub skip_tests: bool,
    pub no_hooks: bool,
    /// `--show-only` patterns, relative to the chart (`templates/service.yaml`).
    pub show_only: Vec<String>,
}

/// One output entry: the `# Source:` path and the document text.
pub type Entry = (String, String);

/// The entries to print: CRDs (when asked) and resources, then hooks. With
/// `--show-only`, the matching entries of both, in pattern order, as the first list.
///
/// The documents move into the entries (a large release's text is not held twice).
pub fn entries(
    manifest: Manifest,
    crds: Vec<Entry>,
    sel: &Selection,
) -> Result<(Vec<Entry>, Vec<Entry>), String> {
    let mut main: Vec<Entry> = Vec::new();
    if sel.include_crds {
        main.extend(crds);
    }
    main.extend(
        manifest
            .resources
            .into_iter()
            .map(|d| (d.source, d.content)),
    );
    let hooks: Vec<Entry> = if sel.no_hooks {
        Vec::new()
    } else {
        manifest
            .hooks
            .into_iter()
            .filter(|d| !(sel.skip_tests && d.is_test_hook()))
            .map(|d| (d.source, d.content))
            .collect()
    };
    if sel.show_only.is_empty() {
        return Ok((main, hooks));
    }
    let all: Vec<&Entry> = main.iter().chain(hooks.iter()).collect();
    let mut shown = Vec::new();
    for pattern in &sel.show_only {
        let mut found = false;
        for (source, content) in &all {
            let relative = source.split_once('/').map(|(_, r)| r).unwrap_or(source);
            if crate::chart::ignore::go_match(pattern, relative).unwrap_or(false) {
                shown.push((source.clone(), content.trim().to_string()));
                found = true;
            }
        }
        if !found {
            return Err(format!("could not find template {pattern} in chart"));
        }
    }
    Ok((shown, Vec::new()))
}

/// Appends one `---\n# Source: <path>\n<doc>\n` block: the one place that formats it
/// (the stream and `--output-dir` files alike).
pub fn push_entry(out: &mut String, (source, content): &Entry) {
    out.push_str("---\n# Source: ");
    out.push_str(source);
    out.push('\n');
    out.push_str(content);
    out.push('\n');
}

/// Entries as a plain stream of `---\n# Source: <path>\n<doc>\n` blocks.
pub fn to_stream(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        push_entry(&mut out, e);
    }
    out
}

/// The exact stream `helm template` prints: the release manifest trimmed and ended
/// with one newline (so a chart with only hooks starts with an empty line), then hooks.
///
/// Written once into a string of the final size: the output is the largest string a
/// render makes (a megabyte for a chart of CRDs), and growing it, then copying the
/// release manifest into a second string, touched three times its size.
pub fn to_helm_stream(main: &[Entry], hooks: &[Entry]) -> String {
    let size: usize = main
        .iter()
        .chain(hooks)
        .map(|(source, content)| "---\n# Source: \n\n".len() + source.len() + content.len())
        .sum();
    let mut out = String::with_capacity(size + 1);
    for e in main {
        push_entry(&mut out, e);
    }
    // The stream begins with `---` (or is empty), so trimming its end is Helm's trim.
    out.truncate(out.trim_end().len());
    out.push('\n');
    for e in hooks {
        push_entry(&mut out, e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_follows_helm_separator_rules() {
        let rows: &[(&str, &str, Vec<&str>)] = &[
            ("plain", "a: 1\n---\nb: 2\n", vec!["a: 1", "b: 2"]),
            ("leading_separator", "---\na: 1", vec!["a: 1"]),
            (
                "trailing_ws_before_sep",
                "a: 1   \n---   \nb: 2",
                vec!["a: 1", "b: 2"],
            ),
            (
                "double_leading_separator_kept_as_helm_does",
                "---\n---\na: 1\n---\n",
                vec!["---\na: 1"],
            ),
            ("empty_docs_dropped", "a: 1\n---\n", vec!["a: 1"]),
            (
                "blank_then_separator_kept_as_helm_does",
                "a: 1\n---\n\n---\n",
                vec!["a: 1", "---"],
            ),
            ("glued_separator", "a: 1---\nb: 2", vec!["a: 1---\nb: 2"]),
            (
                "separator_eats_following_dashes",
                "b: 2\n---\n\n---\n# c\n---\nd: 1",
                vec!["b: 2", "---\n# c", "d: 1"],
            ),
            (
                "indented_dashes_kept",
                "z: |\n  ---\n  x",
                vec!["z: |\n  ---\n  x"],
            ),
        ];
        for (name, input, want) in rows {
            let got: Vec<&str> = split_documents(input).into_iter().map(|(_, d)| d).collect();
            assert_eq!(&got, want, "{name}");
        }
    }

    fn doc(kind: &str, source: &str) -> Document {
        Document {
            source: source.into(),
            content: String::new(),
            kind: kind.into(),
            api_version: String::new(),
            name: String::new(),
            namespace: String::new(),
            hooks: Vec::new(),
        }
    }

    #[test]
    fn kinds_sort_in_install_order_with_unknown_last() {
        let mut docs = vec![
            doc("Deployment", "a"),
            doc("Zeta", "b"),
            doc("", "c"),
            doc("Service", "d"),
            doc("ConfigMap", "e"),
            doc("Deployment", "f"),
            doc("ValidatingWebhookConfiguration", "g"),
        ];
        sort_by_kind(&mut docs);
        let order: Vec<&str> = docs.iter().map(|d| d.source.as_str()).collect();
        assert_eq!(order, vec!["e", "d", "a", "f", "g", "c", "b"]);
    }

    #[test]
    fn unknown_hook_events_drop_the_document() {
        let files = vec![(
            "c/templates/h.yaml".to_string(),
            "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install,weird\n"
                .to_string(),
        )];
        let m = build(files).unwrap();
        assert!(m.resources.is_empty() && m.hooks.is_empty());
    }

    #[test]
    fn invalid_yaml_names_source_and_line() {
        let files = vec![(
            "c/templates/bad.yaml".to_string(),
            "a: 1\n---\nkind: x\nb: [\n".to_string(),
        )];
        let err = build(files).unwrap_err();
        assert_eq!(err.file.as_deref(), Some("c/templates/bad.yaml"));
        // The line is of the template's output, not of its source: told in the message.
        assert!(
            err.message
                .contains("not valid YAML at line 4 of its output"),
            "{err}"
        );
    }
}
