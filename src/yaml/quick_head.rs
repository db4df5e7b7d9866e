//! The head of a rendered document in one pass over the parser's events.
//!
//! Every rendered document is read to sort the manifest, and Helm reads all of it (its
//! YAML becomes JSON before the head is decoded), so rudder must check all of it too. The
//! full reader (`head` through serde-saphyr) costs three times a bare pass of the parser:
//! on a chart that renders 1 MB of CRDs it was 52 of 67 ms. Most documents are plain
//! maps of plain scalars, and for those the events alone say everything the full reader
//! would: the syntax is sound, no key is a collection, no number is infinite, and the
//! head fields are strings. `read` answers for such documents and gives up (`None`) at the
//! first thing it does not handle itself (a syntax error, an anchor, an alias, a tag, a
//! merge key, a collection as a key, a non-finite number, a head field of another type,
//! a second document, a limit reached); the full reader then decides, with its messages.

use granit_parser::ScalarStyle;

use super::Head;
use super::plain_events::{self, Node, PlainEvents};
use super::resolve::{Resolved, resolve_plain};

/// Which of Helm's head maps a map is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Top,
    Metadata,
    Annotations,
    Other,
}

/// Where the value being read goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Kind,
    ApiVersion,
    Metadata,
    Name,
    Namespace,
    Annotations,
    /// An annotation's value (the hook's, or another's).
    Annotation {
        hook: bool,
    },
    Ignored,
}

enum Frame {
    Map { place: Place, slot: Option<Slot> },
    Seq,
}

/// The head of `text` (`Some(None)` for a null document), or `None` to leave it to the
/// full reader.
pub fn read(text: &str) -> Option<Option<Head>> {
    plain_events::read(text, from_events)
}

fn from_events(events: &mut PlainEvents) -> Option<Option<Head>> {
    let mut head = Head::default();
    let mut stack: Vec<Frame> = Vec::new();
    // Whether the document's top node was a map (else null).
    let mut is_map = false;
    for node in events {
        match node? {
            Node::Scalar(value, style) => {
                // How a scalar reads is asked only where it matters: most values go
                // where the head keeps nothing.
                let resolved = || {
                    if style == ScalarStyle::Plain {
                        resolve_plain(&value)
                    } else {
                        Resolved::Str
                    }
                };
                match stack.last_mut() {
                    None => {
                        // A top-level scalar: only a null document says nothing; the rest
                        // of the stream is still read (a second document, an error).
                        if resolved() != Resolved::Null {
                            return None;
                        }
                    }
                    Some(Frame::Seq) => {}
                    Some(Frame::Map { place, slot }) => match slot.take() {
                        None => {
                            // A merge key (`<<`, plain) is the full reader's.
                            if style == ScalarStyle::Plain && value == "<<" {
                                return None;
                            }
                            *slot = Some(slot_of(*place, &value));
                        }
                        // Any value goes where nothing is kept.
                        Some(Slot::Ignored | Slot::Annotation { hook: false }) => {}
                        Some(target) => {
                            let resolved = resolved();
                            let text = match resolved {
                                Resolved::Str => Some(value.as_ref()),
                                Resolved::Null => None,
                                // A number or a boolean in a string field, or where a
                                // map goes: the full reader words it.
                                _ => return None,
                            };
                            if matches!(target, Slot::Metadata | Slot::Annotations)
                                && text.is_some()
                            {
                                return None;
                            }
                            store(&mut head, target, text);
                        }
                    },
                }
            }
            Node::Start(is_mapping) => {
                let place = match stack.last_mut() {
                    None => {
                        if !is_mapping {
                            return None;
                        }
                        is_map = true;
                        Place::Top
                    }
                    Some(Frame::Seq) => Place::Other,
                    Some(Frame::Map { slot, .. }) => match slot.take() {
                        // A collection as a key.
                        None => return None,
                        Some(Slot::Ignored | Slot::Namespace) => Place::Other,
                        Some(Slot::Metadata) if is_mapping => {
                            store(&mut head, Slot::Metadata, None);
                            Place::Metadata
                        }
                        Some(Slot::Annotations) if is_mapping => {
                            store(&mut head, Slot::Annotations, None);
                            Place::Annotations
                        }
                        // A collection where Helm wants a string (or a list for a map).
                        Some(_) => return None,
                    },
                };
                stack.push(if is_mapping {
                    Frame::Map { place, slot: None }
                } else {
                    Frame::Seq
                });
            }
            Node::End => {
                stack.pop();
            }
        }
    }
    Some(is_map.then_some(head))
}

/// What the value under `key` in a map at `place` is.
fn slot_of(place: Place, key: &str) -> Slot {
    match (place, key) {
        (Place::Top, "kind") => Slot::Kind,
        (Place::Top, "apiVersion") => Slot::ApiVersion,
        (Place::Top, "metadata") => Slot::Metadata,
        (Place::Metadata, "name") => Slot::Name,
        (Place::Metadata, "namespace") => Slot::Namespace,
        (Place::Metadata, "annotations") => Slot::Annotations,
        (Place::Annotations, key) => Slot::Annotation {
            hook: key == "helm.sh/hook",
        },
        _ => Slot::Ignored,
    }
}

/// Puts a scalar (`None`: null) into the head; a later duplicate key wins, as in the full
/// reader, and a new `metadata` or `annotations` replaces what the last one gave.
fn store(head: &mut Head, slot: Slot, text: Option<&str>) {
    let owned = || text.unwrap_or_default().to_string();
    match slot {
        Slot::Kind => head.kind = owned(),
        Slot::ApiVersion => head.api_version = owned(),
        Slot::Name => head.name = owned(),
        Slot::Namespace => head.namespace = owned(),
        Slot::Metadata => {
            head.name.clear();
            head.namespace.clear();
            head.hook = None;
        }
        Slot::Annotations => head.hook = None,
        Slot::Annotation { hook: true } => head.hook = text.map(str::to_string),
        Slot::Annotation { hook: false } | Slot::Ignored => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(kind: &str, name: &str, hook: Option<&str>) -> Option<Option<Head>> {
        Some(Some(Head {
            kind: kind.into(),
            api_version: "v1".into(),
            name: name.into(),
            namespace: String::new(),
            hook: hook.map(str::to_string),
        }))
    }

    #[test]
    fn plain_documents_are_read_in_one_pass_as_the_full_reader_reads_them() {
        let doc = "apiVersion: v1\nkind: Job\nmetadata:\n  name: x\n  annotations:\n    \"helm.sh/hook\": pre-install\n    other: 3\nspec: {a: [1, 2.5, {b: c}]}\n";
        assert_eq!(read(doc), head("Job", "x", Some("pre-install")));
        assert_eq!(
            read(doc),
            Some(super::super::head_full(doc).unwrap()),
            "the full reader agrees"
        );
        // A later duplicate wins; a new metadata map starts over.
        let doc =
            "apiVersion: v1\nkind: A\nkind: B\nmetadata: {name: x}\nmetadata: {annotations: {}}\n";
        assert_eq!(read(doc), head("B", "", None));
        assert_eq!(read(doc), Some(super::super::head_full(doc).unwrap()));
        assert_eq!(read("# only a comment\n~\n"), Some(None));
        // Wherever it answers, the full reader answers the same.
        for doc in [
            "kind: ~\nmetadata:\n",
            "'kind': \"Service\"\nmetadata: {namespace: {a: 1}, name: 'n'}\n",
            "metadata:\n  annotations: ~\n  labels: {x: y}\ndata:\n  k: |\n    text: [\n",
            "kind: A # comment\nspec:\n  - a\n  - {b: [c, {d: e}]}\n  -\n",
            "metadata:\n  name: a\nmetadata: ~\n",
            "metadata: {annotations: {helm.sh/hook: post-install, helm.sh/hook: pre-delete}}\n",
            "a: 1.5\nb: 0x1F\nc: 2001-12-14\nd: yes\ne: -.5e3\n",
        ] {
            let full = super::super::head_full(doc).unwrap();
            assert_eq!(read(doc), Some(full), "{doc:?}");
        }
    }

    #[test]
    fn anything_it_does_not_handle_is_left_to_the_full_reader() {
        let own = [
            // Found by fuzzing: a null document, then a second one.
            "---\n---\nb: [1\n",
            "~\n---\nb: 2\n",
            "a: -.NaN\n",
            "a: 1e999\n",
            "kind: [a]\n",
            "kind: 3\n",
            "metadata: [a]\n",
            "metadata: x\n",
            "metadata: {annotations: [a]}\n",
            "metadata: {annotations: {helm.sh/hook: 3}}\n",
            "- a\n",
            "text\n",
        ];
        for doc in own.iter().chain(super::super::LEFT_TO_THE_FULL_READER) {
            assert_eq!(read(doc), None, "{doc:?}");
        }
    }
}
