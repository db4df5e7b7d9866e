//! Where an unclosed block opens.
//!
//! minijinja reports a missing `{% endif %}` at the end of the file ("unexpected end of
//! input"), which points at the wrong place in a long template. This scan of the block
//! tags finds the opening tag that was never closed, so the error can name its line.

/// Tags that open a block, with the tag that closes it.
const BLOCKS: &[&str] = &[
    "if",
    "for",
    "macro",
    "call",
    "filter",
    "with",
    "block",
    "autoescape",
    "set",
];

/// The line and keyword of the innermost block tag left open at the end of `source`.
pub fn unclosed_block(source: &str) -> Option<(usize, String)> {
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut rest = source;
    let mut offset = 0;
    while let Some(at) = rest.find("{%") {
        let start = at + 2;
        let Some(len) = rest[start..].find("%}") else {
            break;
        };
        let body = rest[start..start + len].trim_matches(|c: char| c == '-' || c == '+');
        let keyword = body.split_whitespace().next().unwrap_or_default();
        let line = source[..offset + at].matches('\n').count() + 1;
        if keyword == "raw" {
            // Nothing inside `{% raw %}` is a tag.
            match rest[start + len..].find("endraw") {
                Some(end) => {
                    let skip = start + len + end;
                    offset += skip;
                    rest = &rest[skip..];
                    continue;
                }
                None => return Some((line, "raw".into())),
            }
        }
        // `{% set x = 1 %}` is a statement; only `{% set x %}…{% endset %}` is a block.
        let is_block = BLOCKS.contains(&keyword) && !(keyword == "set" && body.contains('='));
        if is_block {
            open.push((line, keyword.to_string()));
        } else if let Some(closed) = keyword.strip_prefix("end")
            && open.last().is_some_and(|(_, k)| k == closed)
        {
            open.pop();
        }
        let skip = start + len + 2;
        offset += skip;
        rest = &rest[skip..];
    }
    open.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unclosed_opening_tag_is_found() {
        let src = "a\n{% if x %}\n{% for i in y %}\n{{ i }}\n{% endfor %}\nb\n";
        assert_eq!(unclosed_block(src), Some((2, "if".into())));
        let closed = "{% set a = 1 %}{% if x %}{% else %}{% endif %}{% raw %}{% if %}{% endraw %}";
        assert_eq!(unclosed_block(closed), None);
        assert_eq!(
            unclosed_block("{% macro m() %}\n{%- if a -%}\n{% endif %}\n"),
            Some((1, "macro".into()))
        );
    }
}
