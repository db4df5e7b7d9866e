//! The events of a plain document, for the one-pass readers (`quick_head`,
//! `quick_values`): one document of maps, lists and scalars, without anchors, aliases,
//! tags or numbers that may be infinite, within the limits. At anything else the
//! iterator yields `None` and the reader leaves the text to the full reader, which
//! decides it and words its errors.
//!
//! The events come from the line scanner (`block_events`) where it reads the text, else
//! from the parser: `read` runs a reader over the scanner's events and again over the
//! parser's when the scanner was unsure, so a reader sees one sequence of events either
//! way.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle};

use super::block_events::BlockEvents;

/// One node event of a plain document.
#[derive(Debug, PartialEq)]
pub enum Node<'a> {
    Scalar(Cow<'a, str>, ScalarStyle),
    /// The start of a map (`true`) or a list.
    Start(bool),
    End,
}

enum Source<'a> {
    Lines(BlockEvents<'a>),
    Parser(Box<Parser<'a, granit_parser::StrInput<'a>>>),
}

pub struct PlainEvents<'a> {
    source: Source<'a>,
    /// Whether the line scanner stopped unsure.
    unsure: bool,
    documents: usize,
    nodes: usize,
    depth: usize,
    node_limit: usize,
    depth_limit: usize,
}

/// `reader` over the events of `text`: the line scanner's, or the parser's where the
/// scanner is unsure.
pub fn read<'a, T>(text: &'a str, reader: impl Fn(&mut PlainEvents<'a>) -> Option<T>) -> Option<T> {
    let mut events = PlainEvents::lines(text);
    let answer = reader(&mut events);
    if answer.is_none() && events.unsure {
        return reader(&mut PlainEvents::parser(text));
    }
    answer
}

impl<'a> PlainEvents<'a> {
    fn with(source: Source<'a>) -> Self {
        use crate::limits::{YAML_DEPTH, YAML_NODES};
        PlainEvents {
            source,
            unsure: false,
            documents: 0,
            nodes: 0,
            depth: 0,
            node_limit: YAML_NODES.get_usize(),
            depth_limit: YAML_DEPTH.get_usize(),
        }
    }

    /// The line scanner's events.
    pub fn lines(text: &'a str) -> Self {
        Self::with(Source::Lines(BlockEvents::new(text)))
    }

    /// The parser's events.
    pub fn parser(text: &'a str) -> Self {
        Self::with(Source::Parser(Box::new(Parser::new_from_str_with_options(
            text,
            parser_options(),
        ))))
    }

    /// The next node event of the source, before the limits; `Some(None)` when the
    /// document is not plain.
    fn source_next(&mut self) -> Option<Option<Node<'a>>> {
        let parser = match &mut self.source {
            Source::Lines(lines) => {
                return match lines.next()? {
                    Ok(Node::Scalar(text, ScalarStyle::Plain)) if may_be_non_finite(&text) => {
                        Some(None)
                    }
                    Ok(node) => Some(Some(node)),
                    Err(_) => {
                        self.unsure = true;
                        Some(None)
                    }
                };
            }
            Source::Parser(parser) => parser,
        };
        loop {
            let Ok((event, _)) = parser.next_event()? else {
                return Some(None);
            };
            return Some(Some(match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
                Event::DocumentStart(..) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Some(None);
                    }
                    continue;
                }
                Event::Scalar(text, style, 0, None) => {
                    if style == ScalarStyle::Plain && may_be_non_finite(&text) {
                        return Some(None);
                    }
                    Node::Scalar(text, style)
                }
                Event::MappingStart(_, 0, None) => Node::Start(true),
                Event::SequenceStart(_, 0, None) => Node::Start(false),
                Event::MappingEnd | Event::SequenceEnd => Node::End,
                // Anchors, aliases, tags, and anything newer.
                _ => return Some(None),
            }));
        }
    }
}

impl<'a> Iterator for PlainEvents<'a> {
    /// A node, or `None` when the document is not plain.
    type Item = Option<Node<'a>>;

    fn next(&mut self) -> Option<Option<Node<'a>>> {
        let node = self.source_next()?;
        let Some(node) = node else {
            return Some(None);
        };
        match node {
            Node::Start(_) => {
                self.depth += 1;
                if self.depth > self.depth_limit {
                    return Some(None);
                }
            }
            Node::End => self.depth = self.depth.saturating_sub(1),
            Node::Scalar(..) => {}
        }
        self.nodes += 1;
        if self.nodes > self.node_limit {
            return Some(None);
        }
        Some(Some(node))
    }
}

/// The parser's options as serde-saphyr sets them for `super::options()`, so both
/// accept the same documents.
fn parser_options() -> granit_parser::Options {
    use crate::limits::YAML_DEPTH;
    let depth = YAML_DEPTH.get_usize();
    let defaults = granit_parser::Options::default();
    let mut options = defaults.clone();
    options.simple_key_max_lookahead = 1024;
    options.flow_nesting_limit = depth;
    options.block_nesting_limit = defaults.block_nesting_limit.max(depth.saturating_add(1));
    options.strict_indentation = false;
    options.emit_comments = false;
    options
}

/// Whether a plain scalar might read as an infinite or NaN float (`.inf`, `-.NaN`,
/// `1e999`): such documents are left to the full reader, whose typing decides.
///
/// Read as bytes, without a copy: most plain scalars that start like a number (ports,
/// versions) are neither.
fn may_be_non_finite(text: &str) -> bool {
    let b = text.as_bytes();
    if !matches!(b.first(), Some(b'-' | b'+' | b'.' | b'0'..=b'9')) {
        return false;
    }
    let holds = |word: &[u8]| b.windows(word.len()).any(|w| w.eq_ignore_ascii_case(word));
    if holds(b"inf") || holds(b"nan") {
        return true;
    }
    if !b.iter().any(|&c| c == b'e' || c == b'E') {
        return false;
    }
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    digits.parse::<f64>().is_ok_and(|f| !f.is_finite())
}

/// Whether the line scanner gives the parser's events wherever it is sure (`Ok(true)`:
/// sure and the same; `Err` shows both sequences): the fuzz target `values_yaml` and the
/// tests check it.
pub fn lines_agree(text: &str) -> Result<bool, String> {
    fn take(mut events: PlainEvents<'_>) -> (Vec<Option<Node<'_>>>, bool) {
        let mut seen = Vec::new();
        for node in events.by_ref() {
            let stop = node.is_none();
            seen.push(node);
            if stop {
                break;
            }
        }
        (seen, events.unsure)
    }
    let (lines, unsure) = take(PlainEvents::lines(text));
    if unsure {
        return Ok(false);
    }
    let (parser, _) = take(PlainEvents::parser(text));
    // Both not plain (a limit, a number that may be infinite, an error of the parser's):
    // every reader gives up, wherever each stopped.
    let stopped = |seen: &[Option<Node>]| matches!(seen.last(), Some(None));
    if lines == parser || (stopped(&lines) && stopped(&parser)) {
        Ok(true)
    } else {
        Err(format!("lines: {lines:?}\nparser: {parser:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::may_be_non_finite;

    #[test]
    fn scalars_that_may_read_as_infinite_or_nan_are_told_apart_from_numbers() {
        for text in [
            ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "1e999", "-1E999", "1_0e9_99",
        ] {
            assert!(may_be_non_finite(text), "{text}");
        }
        for text in [
            "80",
            "1.16.0",
            "1e5",
            "-0.5",
            "0x1F",
            "inference",
            "v1e999",
            "",
            "1_000",
        ] {
            assert!(!may_be_non_finite(text), "{text}");
        }
    }
}
