//! The events of a plain document, for the one-pass readers (`quick_head`,
//! `quick_values`): one document of maps, lists and scalars, without anchors, aliases,
//! tags or numbers that may be infinite, within the limits. At anything else the
//! iterator yields `None` and the reader leaves the text to the full reader, which
//! decides it and words its errors.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle};

/// One node event of a plain document.
pub enum Node<'a> {
    Scalar(Cow<'a, str>, ScalarStyle),
    /// The start of a map (`true`) or a list.
    Start(bool),
    End,
}

pub struct PlainEvents<'a> {
    parser: Parser<'a, granit_parser::StrInput<'a>>,
    documents: usize,
    nodes: usize,
    depth: usize,
    node_limit: usize,
    depth_limit: usize,
}

impl<'a> PlainEvents<'a> {
    pub fn new(text: &'a str) -> Self {
        use crate::limits::{YAML_DEPTH, YAML_NODES};
        PlainEvents {
            parser: Parser::new_from_str_with_options(text, parser_options()),
            documents: 0,
            nodes: 0,
            depth: 0,
            node_limit: YAML_NODES.get_usize(),
            depth_limit: YAML_DEPTH.get_usize(),
        }
    }
}

impl<'a> Iterator for PlainEvents<'a> {
    /// A node, or `None` when the document is not plain.
    type Item = Option<Node<'a>>;

    fn next(&mut self) -> Option<Option<Node<'a>>> {
        loop {
            let Ok((event, _)) = self.parser.next_event()? else {
                return Some(None);
            };
            let node = match event {
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
                Event::MappingStart(_, 0, None) | Event::SequenceStart(_, 0, None) => {
                    self.depth += 1;
                    if self.depth > self.depth_limit {
                        return Some(None);
                    }
                    Node::Start(matches!(event, Event::MappingStart(..)))
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    self.depth = self.depth.saturating_sub(1);
                    Node::End
                }
                // Anchors, aliases, tags, and anything newer.
                _ => return Some(None),
            };
            self.nodes += 1;
            if self.nodes > self.node_limit {
                return Some(None);
            }
            return Some(Some(node));
        }
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
fn may_be_non_finite(text: &str) -> bool {
    if !text.starts_with([
        '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    ]) {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("inf") || lower.contains("nan") {
        return true;
    }
    let digits: String = lower.chars().filter(|&c| c != '_').collect();
    digits.contains('e') && digits.parse::<f64>().is_ok_and(|f| !f.is_finite())
}
