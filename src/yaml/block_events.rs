//! The events of a plain block document, read line by line without the YAML parser.
//!
//! Every rendered document and every values file goes through the one-pass readers, and
//! the parser (granit) reads such text at 40 to 65 MB/s: a quarter of an umbrella's
//! render. Nearly all of that text is the YAML that go-yaml writes and chart authors type:
//! block maps and lists indented with spaces, keys of plain words, plain and quoted
//! scalars (folded over lines as go-yaml writes long strings), `|` blocks, one-line flow
//! collections. For such lines the events are plain to see from the indentation alone.
//! This scanner gives the same events the parser would give (`plain_events::lines_agree`
//! compares them; tests/yaml_lines.rs and the fuzz target `yaml_lines` check the two
//! agree) and stops as unsure at the first thing it does not read itself: a tab, a
//! carriage return or another control character, an anchor, an alias, a tag, a folded
//! (`>`) or empty block scalar, a flow collection over several lines, a document
//! marker, a key that is not a plain or quoted word, any indentation it does not
//! expect. The parser then reads the text from the start: this scanner never words an
//! error.

use std::borrow::Cow;
use std::collections::VecDeque;

use granit_parser::ScalarStyle;

use super::plain_events::Node;

/// The text is not one this scanner reads (it may still be valid YAML).
#[derive(Debug, PartialEq, Eq)]
pub struct Unsure;

type Scan<T> = Result<T, Unsure>;

/// An open block collection and the column of its keys or dashes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Level {
    map: bool,
    indent: usize,
}

pub struct BlockEvents<'a> {
    text: &'a str,
    /// Where the next unread line starts.
    pos: usize,
    stack: Vec<Level>,
    /// A key or a dash whose value starts on a later line (or is empty), and the
    /// collection it belongs to.
    pending: Option<Level>,
    queue: VecDeque<Node<'a>>,
    /// Whether the document's top node has begun.
    started: bool,
    done: bool,
}

impl<'a> BlockEvents<'a> {
    pub fn new(text: &'a str) -> Self {
        BlockEvents {
            text,
            pos: 0,
            stack: Vec::new(),
            pending: None,
            queue: VecDeque::new(),
            started: false,
            done: false,
        }
    }

    /// The line that starts at `at` (without its line break) and where the one after it
    /// starts.
    fn line_at(&self, at: usize) -> (&'a str, usize) {
        let rest = &self.text[at..];
        match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(end) => (&rest[..end], at + end + 1),
            None => (rest, self.text.len()),
        }
    }

    /// Reads lines until some events are queued or the text ends.
    fn fill(&mut self) -> Scan<()> {
        while self.queue.is_empty() {
            if self.pos >= self.text.len() {
                self.finish();
                return Ok(());
            }
            let (line, next) = self.line_at(self.pos);
            self.pos = next;
            check_chars(line)?;
            let indent = line.bytes().take_while(|&b| b == b' ').count();
            let content = &line[indent..];
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if indent == 0 && (is_marker(content, "---") || is_marker(content, "...")) {
                return Err(Unsure);
            }
            self.node_line(indent, content)?;
        }
        Ok(())
    }

    /// The end of the text: an empty pending value, then every open collection closes.
    fn finish(&mut self) {
        if self.pending.take().is_some() {
            self.queue.push_back(null());
        }
        while self.stack.pop().is_some() {
            self.queue.push_back(Node::End);
        }
        self.done = true;
    }

    /// One line that holds a node, at column `indent`.
    fn node_line(&mut self, indent: usize, content: &'a str) -> Scan<()> {
        let mut opens = false;
        if let Some(owner) = self.pending.take() {
            // A key's value may be a list at the key's own column.
            opens =
                indent > owner.indent || (owner.map && indent == owner.indent && is_dash(content));
            if !opens {
                self.queue.push_back(null());
            }
        }
        if !opens {
            // Close the collections this line's indentation ends; a list at its key's
            // column ends at the next key.
            while let Some(&top) = self.stack.last() {
                let list_of_key = !top.map
                    && top.indent == indent
                    && !is_dash(content)
                    && self.stack.len() >= 2
                    && self.stack[self.stack.len() - 2] == (Level { map: true, indent });
                if top.indent > indent || list_of_key {
                    self.stack.pop();
                    self.queue.push_back(Node::End);
                } else {
                    break;
                }
            }
            match self.stack.last() {
                // A second top-level node.
                None if self.started => return Err(Unsure),
                Some(top) if top.indent != indent => return Err(Unsure),
                _ => {}
            }
        }
        let new = opens || self.stack.is_empty();
        self.started = true;
        if is_dash(content) {
            self.open_or_continue(new, Level { map: false, indent })?;
            let after = &content[1..];
            let spaces = after.bytes().take_while(|&b| b == b' ').count();
            let rest = &after[spaces..];
            if rest.is_empty() || rest.starts_with('#') {
                self.pending = Some(Level { map: false, indent });
                return Ok(());
            }
            if is_dash(rest) {
                return Err(Unsure);
            }
            let column = indent + 1 + spaces;
            if let Some((key, after_colon)) = key_of(rest)? {
                self.stack.push(Level {
                    map: true,
                    indent: column,
                });
                self.queue.push_back(Node::Start(true));
                return self.entry(column, key, after_colon);
            }
            return self.value(rest, Some(Level { map: false, indent }));
        }
        match key_of(content)? {
            Some((key, after_colon)) => {
                self.open_or_continue(new, Level { map: true, indent })?;
                self.entry(indent, key, after_colon)
            }
            // A scalar alone: only as the whole document.
            // (A line below would continue it, or be an error.)
            None if self.stack.is_empty() && !opens => {
                let rest = &self.text[self.pos..];
                if rest.lines().any(|l| {
                    !l.trim_start_matches(' ').is_empty()
                        && !l.trim_start_matches(' ').starts_with('#')
                }) {
                    return Err(Unsure);
                }
                self.value(content, None)
            }
            None => Err(Unsure),
        }
    }

    /// Opens `level` (a new collection) or checks that the open one is of its kind.
    fn open_or_continue(&mut self, new: bool, level: Level) -> Scan<()> {
        if new {
            self.stack.push(level);
            self.queue.push_back(Node::Start(level.map));
            return Ok(());
        }
        match self.stack.last() {
            Some(top) if top.map == level.map => Ok(()),
            _ => Err(Unsure),
        }
    }

    /// A map entry: its key is read; `rest` follows the colon and its spaces.
    fn entry(&mut self, indent: usize, key: Node<'a>, rest: &'a str) -> Scan<()> {
        self.queue.push_back(key);
        if rest.is_empty() || rest.starts_with('#') {
            self.pending = Some(Level { map: true, indent });
            return Ok(());
        }
        self.value(rest, Some(Level { map: true, indent }))
    }

    /// The value that starts at `rest` on this line, in the collection `owner` (`None`:
    /// the whole document).
    fn value(&mut self, rest: &'a str, owner: Option<Level>) -> Scan<()> {
        let b = rest.as_bytes();
        let node = match b[0] {
            b'"' | b'\'' => self.quoted_lines(rest, owner)?,
            b'|' => {
                let owner = owner.ok_or(Unsure)?;
                let text = self.literal(&rest[1..], owner.indent)?;
                Node::Scalar(Cow::Owned(text), ScalarStyle::Literal)
            }
            b'{' | b'[' => {
                let after = self.flow(rest, 0)?;
                return only_comment(after);
            }
            b'-' if b.len() > 1 && b[1] != b' ' => self.plain_lines(rest, owner)?,
            b'-' | b'?' | b':' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b',' | b']'
            | b'}' | b'#' => return Err(Unsure),
            _ => self.plain_lines(rest, owner)?,
        };
        self.queue.push_back(node);
        Ok(())
    }

    /// A plain scalar from `rest` to the end of its line, and on the lines below it that
    /// are indented deeper than its owner (folded: one space for a line break, `\n`
    /// for each empty line between).
    fn plain_lines(&mut self, rest: &'a str, owner: Option<Level>) -> Scan<Node<'a>> {
        let (first, commented) = plain(rest)?;
        let Some(owner) = owner else {
            return Ok(Node::Scalar(Cow::Borrowed(first), ScalarStyle::Plain));
        };
        let mut folded: Option<String> = None;
        let mut empty = 0usize;
        let mut at = self.pos;
        while at < self.text.len() {
            let (line, next) = self.line_at(at);
            let spaces = line.bytes().take_while(|&b| b == b' ').count();
            if spaces == line.len() {
                check_chars(line)?;
                empty += 1;
                at = next;
                continue;
            }
            if spaces <= owner.indent {
                break;
            }
            check_chars(line)?;
            let content = &line[spaces..];
            // A comment line ends the scalar (a deeper line after it is then an error
            // the main loop leaves to the parser).
            if content.starts_with('#') {
                break;
            }
            if commented || is_dash(content) {
                return Err(Unsure);
            }
            let (more, commented_here) = plain(content)?;
            if commented_here {
                return Err(Unsure);
            }
            let text = folded.get_or_insert_with(|| first.to_string());
            if empty == 0 {
                text.push(' ');
            } else {
                text.extend(std::iter::repeat_n('\n', empty));
            }
            text.push_str(more);
            empty = 0;
            at = next;
            self.pos = next;
        }
        let text = folded.map_or(Cow::Borrowed(first), Cow::Owned);
        Ok(Node::Scalar(text, ScalarStyle::Plain))
    }

    /// A quoted scalar that starts at `rest`, on one line or folded over the lines below
    /// (indented deeper than its owner): each line trimmed, one space for a line
    /// break, `\n` for each empty line between.
    fn quoted_lines(&mut self, rest: &'a str, owner: Option<Level>) -> Scan<Node<'a>> {
        let double = rest.starts_with('"');
        let style = if double {
            ScalarStyle::DoubleQuoted
        } else {
            ScalarStyle::SingleQuoted
        };
        let one_line = if double {
            double_quoted(rest)
        } else {
            single_quoted(rest)
        };
        if let Ok((text, after)) = one_line {
            only_comment(after)?;
            return Ok(Node::Scalar(text, style));
        }
        let owner = owner.ok_or(Unsure)?;
        // `rest` lies in the text: the scalar runs on from its opening quote.
        let start = rest.as_ptr() as usize - self.text.as_ptr() as usize + 1;
        let body = &self.text.as_bytes()[start..];
        let mut i = 0;
        let close = loop {
            let from = body.get(i..).ok_or(Unsure)?;
            let at = i + if double {
                memchr::memchr2(b'"', b'\\', from)
            } else {
                memchr::memchr(b'\'', from)
            }
            .ok_or(Unsure)?;
            match body[at] {
                b'\\' => i = at + 2,
                b'\'' if body.get(at + 1) == Some(&b'\'') => i = at + 2,
                _ => break at,
            }
        };
        let raw = &self.text[start..start + close];
        let after = &self.text[start + close + 1..];
        let line_end = memchr::memchr(b'\n', after.as_bytes()).unwrap_or(after.len());
        check_chars(&after[..line_end])?;
        only_comment(&after[..line_end])?;
        let lines: Vec<&str> = raw.split('\n').collect();
        let last = lines.len() - 1;
        let mut out = String::new();
        let mut empty = 0usize;
        for (n, line) in lines.iter().enumerate() {
            if n > 0 {
                check_chars(line)?;
                let spaces = line.bytes().take_while(|&b| b == b' ').count();
                if spaces < line.len() && spaces <= owner.indent {
                    return Err(Unsure);
                }
            }
            let piece = match n {
                0 => line.trim_end_matches(' '),
                n if n == last => line.trim_start_matches(' '),
                _ => line.trim_matches(' '),
            };
            if n > 0 && n < last && piece.is_empty() {
                empty += 1;
                continue;
            }
            if n > 0 {
                if empty == 0 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', empty));
                }
                empty = 0;
            }
            if double {
                // An escaped line break or trailing space: the parser's.
                if n < last && piece.ends_with('\\') {
                    return Err(Unsure);
                }
                // The span ends at the closing quote: no piece holds another.
                match unescape(piece)? {
                    (text, None) => out.push_str(&text),
                    (_, Some(_)) => return Err(Unsure),
                }
            } else {
                out.push_str(&piece.replace("''", "'"));
            }
        }
        self.pos = (start + close + 1 + line_end + 1).min(self.text.len());
        Ok(Node::Scalar(Cow::Owned(out), style))
    }

    /// A flow collection on one line (`[a, "b", {c: d}]`): its events; the text after it.
    fn flow(&mut self, s: &'a str, depth: usize) -> Scan<&'a str> {
        if depth > 64 {
            return Err(Unsure);
        }
        let map = s.starts_with('{');
        let close = if map { '}' } else { ']' };
        self.queue.push_back(Node::Start(map));
        let mut rest = s[1..].trim_start_matches(' ');
        loop {
            if let Some(after) = rest.strip_prefix(close) {
                self.queue.push_back(Node::End);
                return Ok(after);
            }
            if map {
                let (key, after) = flow_scalar(rest, true)?;
                too_long_for_a_key(rest, after)?;
                self.queue.push_back(key);
                rest = after
                    .trim_start_matches(' ')
                    .strip_prefix(':')
                    .ok_or(Unsure)?
                    .trim_start_matches(' ');
                if rest.starts_with([',', '}']) {
                    return Err(Unsure);
                }
            }
            rest = if rest.starts_with(['[', '{']) {
                self.flow(rest, depth + 1)?
            } else {
                let (node, after) = flow_scalar(rest, false)?;
                self.queue.push_back(node);
                after
            };
            rest = rest.trim_start_matches(' ');
            if let Some(after) = rest.strip_prefix(',') {
                rest = after.trim_start_matches(' ');
            } else if !rest.starts_with(close) {
                return Err(Unsure);
            }
        }
    }

    /// A `|` block scalar after its `|`, owned by a collection at column `owner`: the
    /// lines below it indented deeper than the owner.
    fn literal(&mut self, header: &str, owner: usize) -> Scan<String> {
        // The chomping indicator and an indentation digit (the content's column from the
        // owner's), in either order.
        let (mut keep, mut strip) = (false, false);
        let mut indent: Option<usize> = None;
        let mut header = header;
        for _ in 0..2 {
            match header.as_bytes().first() {
                Some(b'+') if !keep && !strip => keep = true,
                Some(b'-') if !keep && !strip => strip = true,
                Some(&d @ b'1'..=b'9') if indent.is_none() => {
                    indent = Some(owner + usize::from(d - b'0'));
                }
                _ => break,
            }
            header = &header[1..];
        }
        // Anything but a comment after the header.
        only_comment(header)?;
        let mut out = String::new();
        // Line breaks not yet written: those after the last content line.
        let mut breaks = 0usize;
        let mut leading_spaces = 0usize;
        let mut lines = 0usize;
        while self.pos < self.text.len() {
            let (line, next) = self.line_at(self.pos);
            check_chars(line)?;
            // The text's last line without a line break (a trimmed document ending in a
            // block) reads as if it had one, as the parser reads it; a blank one is
            // left to the parser.
            let unbroken = next == self.text.len() && !self.text.ends_with('\n');
            let spaces = line.bytes().take_while(|&b| b == b' ').count();
            if unbroken && spaces == line.len() {
                return Err(Unsure);
            }
            if spaces == line.len() {
                match indent {
                    Some(m) if spaces > m => return Err(Unsure),
                    _ => leading_spaces = leading_spaces.max(spaces),
                }
                breaks += 1;
                self.pos = next;
                continue;
            }
            let m = match indent {
                Some(m) => m,
                None => {
                    if spaces <= owner || leading_spaces > spaces {
                        return Err(Unsure);
                    }
                    indent = Some(spaces);
                    spaces
                }
            };
            if spaces < m {
                break;
            }
            out.extend(std::iter::repeat_n('\n', breaks));
            out.push_str(&line[m..]);
            breaks = 1;
            lines += 1;
            self.pos = next;
        }
        // An empty block scalar is the parser's.
        if lines == 0 {
            return Err(Unsure);
        }
        if keep {
            out.extend(std::iter::repeat_n('\n', breaks));
        } else if !strip {
            out.push('\n');
        }
        Ok(out)
    }
}

impl<'a> Iterator for BlockEvents<'a> {
    type Item = Scan<Node<'a>>;

    fn next(&mut self) -> Option<Scan<Node<'a>>> {
        if self.queue.is_empty()
            && !self.done
            && let Err(e) = self.fill()
        {
            self.done = true;
            self.queue.clear();
            return Some(Err(e));
        }
        self.queue.pop_front().map(Ok)
    }
}

/// The parser's event for an empty node.
fn null<'a>() -> Node<'a> {
    Node::Scalar(Cow::Borrowed("~"), ScalarStyle::Plain)
}

/// `---` or `...` as a document marker (alone or before a space).
fn is_marker(content: &str, marker: &str) -> bool {
    content.starts_with(marker) && matches!(content.as_bytes().get(3), None | Some(b' '))
}

/// A list entry: `-` alone or before a space.
fn is_dash(content: &str) -> bool {
    let b = content.as_bytes();
    b.first() == Some(&b'-') && matches!(b.get(1), None | Some(b' '))
}

/// Control characters, tabs, carriage returns, a byte order mark and the line breaks
/// of YAML 1.1 beyond `\n` are the parser's to judge.
fn check_chars(line: &str) -> Scan<()> {
    let bytes = line.as_bytes();
    // One pass without an early exit (so it vectorises) clears nearly every line.
    if !bytes
        .iter()
        .fold(false, |odd, &b| odd | !(0x20..0x7f).contains(&b))
    {
        return Ok(());
    }
    if bytes.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Err(Unsure);
    }
    if !bytes.is_ascii()
        && line.chars().any(|c| {
            matches!(
                c,
                '\u{80}'
                    ..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
        })
    {
        return Err(Unsure);
    }
    Ok(())
}

/// After a scalar: nothing, or spaces and a comment.
fn only_comment(after: &str) -> Scan<()> {
    let trimmed = after.trim_start_matches(' ');
    if trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < after.len()) {
        Ok(())
    } else {
        Err(Unsure)
    }
}

/// A plain scalar to the end of the line or a comment. A `: ` inside would make it a key
/// where none may stand.
fn plain(rest: &str) -> Scan<(&str, bool)> {
    let b = rest.as_bytes();
    let mut end = b.len();
    for i in 1..b.len() {
        if b[i] == b'#' && b[i - 1] == b' ' {
            end = i;
            break;
        }
    }
    let text = rest[..end].trim_end_matches(' ');
    if value_colon(text.as_bytes()).is_some() {
        return Err(Unsure);
    }
    Ok((text, end < b.len()))
}

/// A scalar inside a flow collection, and the text after it: quoted, or a plain word
/// run up to `,`, the closing bracket or (for a key) `: `. Plain scalars holding `:`,
/// `#` or brackets are the parser's.
fn flow_scalar(s: &str, key: bool) -> Scan<(Node<'_>, &str)> {
    let b = s.as_bytes();
    match b.first() {
        Some(b'"') => {
            let (text, after) = double_quoted(s)?;
            return Ok((Node::Scalar(text, ScalarStyle::DoubleQuoted), after));
        }
        Some(b'\'') => {
            let (text, after) = single_quoted(s)?;
            return Ok((Node::Scalar(text, ScalarStyle::SingleQuoted), after));
        }
        Some(b'-') if b.len() > 1 && !b" ,[]{}".contains(&b[1]) => {}
        None
        | Some(
            b'-' | b'?' | b':' | b'>' | b'|' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b','
            | b'[' | b']' | b'{' | b'}' | b'#' | b' ',
        ) => return Err(Unsure),
        _ => {}
    }
    let end = b
        .iter()
        .position(|c| b",[]{}:#".contains(c))
        .ok_or(Unsure)?;
    match b[end] {
        b',' | b']' | b'}' => {}
        b':' if key && b.get(end + 1) == Some(&b' ') => {}
        _ => return Err(Unsure),
    }
    let text = s[..end].trim_end_matches(' ');
    Ok((
        Node::Scalar(Cow::Borrowed(text), ScalarStyle::Plain),
        &s[end..],
    ))
}

/// A `"…"` scalar on one line, and the text after it.
fn double_quoted(rest: &str) -> Scan<(Cow<'_, str>, &str)> {
    let body = &rest[1..];
    match unescape(body)? {
        (text, Some(quote)) => Ok((text, &body[quote + 1..])),
        (_, None) => Err(Unsure),
    }
}

/// Double-quoted text from `body` up to its first unescaped `"` (and where that quote
/// is) or to its end (`None`), escapes read.
fn unescape(body: &str) -> Scan<(Cow<'_, str>, Option<usize>)> {
    let bytes = body.as_bytes();
    let mut owned: Option<String> = None;
    let mut from = 0;
    loop {
        let Some(found) = memchr::memchr2(b'"', b'\\', &bytes[from..]) else {
            return Ok((unescaped(owned, body, from, body.len()), None));
        };
        let at = from + found;
        if bytes[at] == b'"' {
            return Ok((unescaped(owned, body, from, at), Some(at)));
        }
        let out = owned.get_or_insert_with(String::new);
        out.push_str(&body[from..at]);
        let hex = |n: usize| {
            let digits = body.get(at + 2..at + 2 + n).ok_or(Unsure)?;
            if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Unsure);
            }
            let code = u32::from_str_radix(digits, 16).map_err(|_| Unsure)?;
            Ok((char::from_u32(code).ok_or(Unsure)?, 1 + n))
        };
        let (c, len) = match bytes.get(at + 1).ok_or(Unsure)? {
            b'0' => ('\0', 1),
            b'a' => ('\u{7}', 1),
            b'b' => ('\u{8}', 1),
            b't' => ('\t', 1),
            b'n' => ('\n', 1),
            b'v' => ('\u{b}', 1),
            b'f' => ('\u{c}', 1),
            b'r' => ('\r', 1),
            b'e' => ('\u{1b}', 1),
            b' ' => (' ', 1),
            b'"' => ('"', 1),
            b'/' => ('/', 1),
            b'\\' => ('\\', 1),
            b'N' => ('\u{85}', 1),
            b'_' => ('\u{a0}', 1),
            b'L' => ('\u{2028}', 1),
            b'P' => ('\u{2029}', 1),
            b'x' => hex(2)?,
            b'u' => hex(4)?,
            b'U' => hex(8)?,
            _ => return Err(Unsure),
        };
        out.push(c);
        from = at + 1 + len;
    }
}

/// A `'…'` scalar on one line (`''` is a quote), and the text after it.
fn single_quoted(rest: &str) -> Scan<(Cow<'_, str>, &str)> {
    let body = &rest[1..];
    let mut owned: Option<String> = None;
    let mut from = 0;
    loop {
        let at = from + memchr::memchr(b'\'', &body.as_bytes()[from..]).ok_or(Unsure)?;
        if body.as_bytes().get(at + 1) == Some(&b'\'') {
            owned
                .get_or_insert_with(String::new)
                .push_str(&body[from..=at]);
            from = at + 2;
            continue;
        }
        return Ok((unescaped(owned, body, from, at), &body[at + 1..]));
    }
}

/// A quoted scalar's text ending at `at`: `body` itself when it held no escape, else the
/// unescaped text so far (`owned`, up to `from`) and the rest.
fn unescaped(owned: Option<String>, body: &str, from: usize, at: usize) -> Cow<'_, str> {
    match owned {
        Some(mut text) => {
            text.push_str(&body[from..at]);
            Cow::Owned(text)
        }
        None => Cow::Borrowed(&body[..at]),
    }
}

/// The parser looks 1 024 characters ahead for a key's colon; long keys are its to read.
fn too_long_for_a_key(key_start: &str, after_key: &str) -> Scan<()> {
    if key_start.len() - after_key.len() > 512 {
        return Err(Unsure);
    }
    Ok(())
}

/// Where the first colon that ends a key lies (one at the end or before a space), found
/// with memchr (a memmem finder built per scalar cost more than the search).
fn value_colon(b: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b':', b).find(|&i| matches!(b.get(i + 1), None | Some(b' ')))
}

/// The bytes of a plain key after its first: letters, digits and `_ . / - ~ $ + = @ ( )`,
/// one lookup per byte (every map entry line's key is checked).
static KEY_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'_' | b'.' | b'/' | b'-' | b'~' | b'$' | b'+' | b'=' | b'@' | b'(' | b')'
            );
        b += 1;
    }
    table
};

/// The key of a map entry line (its event) and the text after its colon and spaces, or
/// `None` when the line holds no key. Keys are plain words (letters, digits and
/// `_ . / - ~ $ + = @ ( )` after the first) or quoted words; any other key is the
/// parser's to read.
fn key_of(content: &str) -> Scan<Option<(Node<'_>, &str)>> {
    let b = content.as_bytes();
    let (key, style, colon) = match b[0] {
        // A flow collection (as a key, its text after it is not a comment: the caller
        // is unsure then).
        b'[' | b'{' => return Ok(None),
        b'"' | b'\'' => {
            let (text, after) = if b[0] == b'"' {
                double_quoted(content)?
            } else {
                single_quoted(content)?
            };
            if !after.starts_with(':') {
                return Ok(None);
            }
            let style = if b[0] == b'"' {
                ScalarStyle::DoubleQuoted
            } else {
                ScalarStyle::SingleQuoted
            };
            (text, style, content.len() - after.len())
        }
        _ => {
            let Some(colon) = value_colon(b) else {
                return Ok(None);
            };
            let key = &content[..colon];
            let first = key.as_bytes().first().copied().unwrap_or(b'-');
            if !(first.is_ascii_alphanumeric() || b"_./$".contains(&first))
                || !key.bytes().all(|c| KEY_BYTE[usize::from(c)])
            {
                // A comment before the colon makes the line no key at all; anything
                // else is the parser's.
                if memchr::memmem::find(&b[..colon], b" #").is_some() {
                    return Ok(None);
                }
                return Err(Unsure);
            }
            (Cow::Borrowed(key), ScalarStyle::Plain, colon)
        }
    };
    too_long_for_a_key(content, &content[colon..])?;
    let after = &content[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return Err(Unsure);
    }
    Ok(Some((
        Node::Scalar(key, style),
        after.trim_start_matches(' '),
    )))
}

#[cfg(test)]
mod tests {
    use super::super::plain_events::lines_agree;

    /// Each text: the scanner's events are the parser's, and whether it was sure.
    fn check(cases: &[(&str, bool)]) {
        let mut wrong = Vec::new();
        for (text, sure) in cases {
            match lines_agree(text) {
                Ok(s) if s == *sure => {}
                Ok(s) => wrong.push(format!("{text:?}: sure {s}, expected {sure}")),
                Err(diff) => wrong.push(format!("{text:?}:\n{diff}")),
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn block_maps_and_lists_read_as_the_parser_reads_them() {
        check(&[
            (
                "a: 1\nb:\n  c: d\n  e:\n  - f\n  - g: h\n    i: j\nk: l\n",
                true,
            ),
            ("a:\n- 1\n- 2\nb: 3\n", true),
            ("- a\n-\n- b:\n  c: d\n-\n  e: f\n", true),
            ("a:\nb:\n", true),
            ("  a: 1\n  b: 2\n", true),
            ("a: 1\n\n\n# c\n  # deeper comment\nb: 2 # c\n", true),
            ("a: b#c\nd: 'e' # f\ng: \"h\"\n", true),
            ("\"a\": 1\n'b c': 2\nhelm.sh/hook: x\n", true),
            ("a: x:y\nb: http://x\nc: -1\nd: ~\ne: -x\n", true),
            (
                "a: {}\nb: []\nc: [a, 'b', \"c\", {d: e, 'f': [g]}]\nd: [ ]\ne: {a: 1,}\n",
                true,
            ),
            ("text\n", true),
            ("'text'\n", true),
            ("", true),
            ("# only\n", true),
            ("- - a\n", false),
            ("a: 1\n b: 2\n", false),
            ("a:\n    b: 1\n  c: 2\n", false),
            ("a: 1\n---\nb: 2\n", false),
            ("a: &x 1\n", false),
            ("a: !t 1\n", false),
            ("a:\tb\n", false),
            ("a: b: c\n", false),
            ("- a\nb: c\n", false),
            ("a: 1\n- b\n", false),
            ("a b: 1\n", false),
            ("a: [b\n", false),
            ("a: [b, c: d]\n", false),
            ("? a\n: b\n", false),
            ("a: >\n  b\n", false),
            ("a\nb\n", false),
            ("a:\n  b\n", false),
            ("a: 1\r\nb: 2\r\n", false),
            ("\u{feff}a: 1\n", false),
        ]);
    }

    #[test]
    fn multi_line_scalars_fold_as_the_parser_folds_them() {
        check(&[
            ("a: one\n  two\n\n  three\n\n\n  four\nb: 5\n", true),
            ("- one\n  two\n- three\n", true),
            ("a: 'one\n  two''s\n\n  three'\nb: \"x\n  y\\tz\"\n", true),
            ("a: '\n  x\n  '\n", true),
            ("a: one # c\n  two\n", false),
            ("a: one\n  two: x\n", false),
            ("a: \"x\\\n  y\"\n", false),
            ("a: 'x\nb: y'\n", false),
            ("a: \"\\x41\\u00e9\\U0001F600\\n\\\\\\\"\"\n", true),
            ("a: \"\\q\"\n", false),
            // Found by fuzzing: a control character after a quoted scalar's last line.
            ("b: '\n ' #\0\n", false),
            // Found by fuzzing: a top-level scalar continued on the next line.
            ("2e999\n$", false),
            ("a\n# c\n\n", true),
            // Found by fuzzing: a backslash at the very end.
            ("a: \"s\\", false),
            ("a: one\n  # c\n  two\n", false),
        ]);
    }

    #[test]
    fn literal_blocks_keep_lines_as_the_parser_keeps_them() {
        check(&[
            ("a: |\n  x\n   y\n\n  z\nb: 1\n", true),
            ("a: |-\n  x\n\n\nb: 1\n", true),
            ("a: |+\n  x\n\n\nb: 1\n", true),
            ("a: |+\n  x\n\n", true),
            ("a: |\n\n  x\n", true),
            ("a: | # c\n  # not a comment\n  x\n", true),
            ("- |\n  x\n- |2\n    y\n", true),
            ("a:\n  b: |2-\n     x\n", true),
            // A trimmed document ending in a block: its last line reads as if broken.
            ("a: |\n  x", true),
            ("a: |+\n  x\n\n  y", true),
            ("a: |-\n  x\n  y", true),
            ("- |\n  x", true),
            ("a: |\n  x\nb: 1", true),
            ("a: |\n  x\n  ", false),
            ("a: |\nb: 1\n", false),
            ("a: |\n    \n  x\n", false),
            ("a: |x\n  y\n", false),
            ("a: |\n  x\n \ty\n", false),
        ]);
    }
}
