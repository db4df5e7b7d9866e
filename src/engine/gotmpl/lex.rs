//! The lexer of Go's text/template, as Go 1.24 (helm 4.1) scans templates.
//!
//! Text outside actions is one token; inside `{{ }}` come Go's tokens: fields, variables,
//! identifiers, keywords, strings (quoted and raw), character constants, numbers in every
//! base, pipes, parentheses, `:=` and `=`. Trim markers (`{{- ` and ` -}}`, a space
//! required) remove the white space beside the action here, so the parser never sees it;
//! comments (`{{/* */}}`) vanish the same way. Errors carry Go's wording and the line.

use memchr::memmem;
use std::sync::LazyLock;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text outside actions.
    Text,
    /// `{{` (with its trim marker consumed).
    LeftDelim,
    /// `}}` (with its trim marker consumed).
    RightDelim,
    /// A run of white space inside an action, separating arguments.
    Space,
    /// `.Name`.
    Field,
    /// `$` or `$name`.
    Variable,
    /// A name not starting with `.` or `$`: a function.
    Identifier,
    /// `true` or `false`.
    Bool,
    /// A number as written (`12`, `0x1F`, `1_000`, `1e6`, `.5`, `-3`).
    Number,
    /// `1+2i`: rejected by the parser as Helm's templates have no complex numbers.
    Complex,
    /// `"…"`, with its quotes.
    String,
    /// `` `…` ``, with its quotes.
    RawString,
    /// `'a'`, with its quotes.
    CharConstant,
    /// `|`.
    Pipe,
    /// `(`.
    LeftParen,
    /// `)`.
    RightParen,
    /// `:=`.
    Declare,
    /// `=`.
    Assign,
    /// Any other printable ASCII character inside an action (`,` in `range $i, $v`).
    Char,
    /// `.` alone: the cursor.
    Dot,
    /// `nil`.
    Nil,
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
    Eof,
}

/// One token: its kind, its text and where it starts. Its line is counted only for an
/// error ([`line_of`]): counting every token's was a tenth of a parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    /// Byte offset in the template.
    pub pos: usize,
}

/// The 1-based line of byte `pos` of `input`.
pub fn line_of(input: &str, pos: usize) -> usize {
    let before = &input.as_bytes()[..pos.min(input.len())];
    1 + memchr::memchr_iter(b'\n', before).count()
}

/// A lexing error in Go's words (`unclosed action`, `bad character U+0023 '#'`) and the
/// line it was found on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub message: String,
    pub line: usize,
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";

/// Searchers for the delimiters, built once: `memmem::find` builds one on every call
/// (once per action: 0.4 % of a run of a chart with a large helper library).
static FIND_LEFT: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(LEFT));
static FIND_RIGHT_COMMENT: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(RIGHT_COMMENT));

/// The ASCII bytes of a name (letters, digits, `_`), one lookup per byte: names are
/// most of an action's bytes, and the three range checks cost twice as much.
static NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// Go's white space for trim markers and argument separation.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// How many bytes of Go's white space `bytes` starts with.
fn space_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|&&b| is_space(char::from(b)))
        .count()
}

/// `{{- ` : the marker must be followed by white space (so `{{-3}}` is a number).
fn has_left_trim(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

/// ` -}}`.
fn has_right_trim(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

/// Go's `%#U` of a character: `U+0023 '#'`.
fn go_rune(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

fn keyword(word: &str) -> Option<Kind> {
    Some(match word {
        "." => Kind::Dot,
        "block" => Kind::Block,
        "break" => Kind::Break,
        "continue" => Kind::Continue,
        "define" => Kind::Define,
        "else" => Kind::Else,
        "end" => Kind::End,
        "if" => Kind::If,
        "range" => Kind::Range,
        "nil" => Kind::Nil,
        "template" => Kind::Template,
        "with" => Kind::With,
        _ => return None,
    })
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    tokens: Vec<Token<'a>>,
    paren_depth: usize,
}

/// A scanned template: its tokens, and the error that stopped the scan, if any. Go's
/// parser pulls tokens one at a time, so an error the parser finds before the lexer's
/// (`function "a" not defined` before `expected :=` in `{{ a : b }}`) is the one
/// reported; the parser reads `error` only once it has used every token.
#[derive(Debug)]
pub struct Lexed<'a> {
    pub tokens: Vec<Token<'a>>,
    pub error: Option<LexError>,
}

/// Scans a whole template. `break` and `continue` come back as keywords; outside a
/// `range` the parser reads them as the function names Go sees there.
pub fn lex(input: &str) -> Lexed<'_> {
    let mut l = Lexer {
        input,
        pos: 0,
        // About a dozen tokens per action (words, spaces, pipes): sized once, not grown.
        tokens: Vec::with_capacity(FIND_LEFT.find_iter(input.as_bytes()).count() * 12 + 2),
        paren_depth: 0,
    };
    let error = l.run().err();
    Lexed {
        tokens: l.tokens,
        error,
    }
}

impl<'a> Lexer<'a> {
    fn error(&self, at: usize, message: impl Into<String>) -> LexError {
        LexError {
            message: message.into(),
            line: line_of(self.input, at),
        }
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize) {
        self.tokens.push(Token {
            kind,
            text: &self.input[start..end],
            pos: start,
        });
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        // ASCII, nearly every character of an action, without decoding.
        match self.input.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            _ => self.rest().chars().next(),
        }
    }

    /// Skips the characters of a name (Go's letters, digits and `_`).
    fn skip_name(&mut self) {
        loop {
            let rest = &self.input.as_bytes()[self.pos..];
            let ascii = rest
                .iter()
                .position(|&b| !NAME_BYTE[usize::from(b)])
                .unwrap_or(rest.len());
            self.pos += ascii;
            // A letter or digit beyond ASCII continues the name.
            match self.peek().filter(|c| !c.is_ascii() && is_alphanumeric(*c)) {
                Some(c) => self.pos += c.len_utf8(),
                None => return,
            }
        }
    }

    fn run(&mut self) -> Result<(), LexError> {
        loop {
            // Text up to the next action.
            let Some(at) = FIND_LEFT.find(self.rest().as_bytes()) else {
                if self.pos < self.input.len() {
                    self.push(Kind::Text, self.pos, self.input.len());
                }
                self.push(Kind::Eof, self.input.len(), self.input.len());
                return Ok(());
            };
            let delim = self.pos + at;
            let trim_before = has_left_trim(&self.input[delim + LEFT.len()..]);
            let mut text_end = delim;
            if trim_before {
                text_end = self.input[self.pos..delim].trim_end_matches(is_space).len() + self.pos;
            }
            if text_end > self.pos {
                self.push(Kind::Text, self.pos, text_end);
            }
            self.pos = delim + LEFT.len();
            let marker = if trim_before { 2 } else { 0 };
            if self.input[self.pos + marker..].starts_with(LEFT_COMMENT) {
                self.pos += marker;
                self.comment(delim)?;
                continue;
            }
            self.push(Kind::LeftDelim, delim, self.pos);
            self.pos += marker;
            self.paren_depth = 0;
            self.action()?;
        }
    }

    /// After `{{/*` (and its trim marker): skips to `*/}}`, trimming after it if marked.
    fn comment(&mut self, start: usize) -> Result<(), LexError> {
        self.pos += LEFT_COMMENT.len();
        let Some(end) = FIND_RIGHT_COMMENT.find(self.rest().as_bytes()) else {
            return Err(self.error(start, "unclosed comment"));
        };
        self.pos += end + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return Err(self.error(start, "comment ends before closing delimiter"));
        }
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            self.skip_leading_space();
        }
        Ok(())
    }

    fn skip_leading_space(&mut self) {
        self.pos += space_run(&self.input.as_bytes()[self.pos..]);
    }

    /// Whether the input is at `}}`, or at ` -}}` (then `true, true`).
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.input.as_bytes()[self.pos..];
        match rest {
            [b'}', b'}', ..] => (true, false),
            [s, b'-', b'}', b'}', ..] if is_space(char::from(*s)) => (true, true),
            _ => (false, false),
        }
    }

    /// The tokens of one action, up to and including its right delimiter.
    fn action(&mut self) -> Result<(), LexError> {
        loop {
            let (delim, trim) = self.at_right_delim();
            if delim {
                if self.paren_depth > 0 {
                    return Err(self.error(self.pos, "unclosed left paren"));
                }
                if trim {
                    self.pos += 2;
                }
                self.push(Kind::RightDelim, self.pos, self.pos + RIGHT.len());
                self.pos += RIGHT.len();
                if trim {
                    self.skip_leading_space();
                }
                return Ok(());
            }
            let start = self.pos;
            let Some(c) = self.peek() else {
                return Err(self.error(start, "unclosed action"));
            };
            match c {
                c if is_space(c) => self.space(),
                '=' => self.single(Kind::Assign),
                ':' => {
                    if !self.rest().starts_with(":=") {
                        return Err(self.error(start, "expected :="));
                    }
                    self.pos += 2;
                    self.push(Kind::Declare, start, self.pos);
                }
                '|' => self.single(Kind::Pipe),
                '"' => self.quoted_until(start, '"', Kind::String)?,
                '`' => self.raw_quoted(start)?,
                '\'' => self.quoted_until(start, '\'', Kind::CharConstant)?,
                '$' => {
                    self.pos += 1;
                    self.field_or_variable(start, Kind::Variable)?;
                }
                '.' if self.input[start + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| !n.is_ascii_digit()) =>
                {
                    self.pos += 1;
                    self.field_or_variable(start, Kind::Field)?;
                }
                '.' | '+' | '-' | '0'..='9' => self.number(start)?,
                c if is_alphanumeric(c) => self.identifier(start)?,
                '(' => {
                    self.paren_depth += 1;
                    self.single(Kind::LeftParen);
                }
                ')' => {
                    if self.paren_depth == 0 {
                        return Err(self.error(start, "unexpected right paren"));
                    }
                    self.paren_depth -= 1;
                    self.single(Kind::RightParen);
                }
                c if c.is_ascii() && !c.is_ascii_control() => self.single(Kind::Char),
                c => {
                    return Err(self.error(
                        start,
                        format!("unrecognized character in action: {}", go_rune(c)),
                    ));
                }
            }
        }
    }

    fn single(&mut self, kind: Kind) {
        let start = self.pos;
        self.pos += 1;
        self.push(kind, start, self.pos);
    }

    /// A run of white space; one space before ` -}}` belongs to the delimiter.
    fn space(&mut self) {
        let start = self.pos;
        let run = space_run(&self.input.as_bytes()[self.pos..]);
        self.pos += run;
        // ` -}}`: the last space is part of the trim marker.
        if has_right_trim(&self.input[self.pos - 1..])
            && self.input[self.pos + 1..].starts_with(RIGHT)
        {
            self.pos -= 1;
            if run == 1 {
                return;
            }
        }
        self.push(Kind::Space, start, self.pos);
    }

    /// Whether the next character ends a name: space, `.`, `,`, `|`, `:`, parens, the
    /// end, or the right delimiter.
    fn at_terminator(&self) -> bool {
        matches!(
            self.input.as_bytes()[self.pos..],
            [] | [
                b' ' | b'\t' | b'\r' | b'\n' | b'.' | b',' | b'|' | b':' | b')' | b'(',
                ..
            ] | [b'}', b'}', ..]
        )
    }

    fn field_or_variable(&mut self, start: usize, kind: Kind) -> Result<(), LexError> {
        if self.at_terminator() {
            let kind = if kind == Kind::Variable {
                Kind::Variable
            } else {
                Kind::Dot
            };
            self.push(kind, start, self.pos);
            return Ok(());
        }
        self.skip_name();
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\0');
            return Err(self.error(start, format!("bad character {}", go_rune(c))));
        }
        self.push(kind, start, self.pos);
        Ok(())
    }

    fn identifier(&mut self, start: usize) -> Result<(), LexError> {
        self.skip_name();
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\0');
            return Err(self.error(start, format!("bad character {}", go_rune(c))));
        }
        let word = &self.input[start..self.pos];
        let kind = match keyword(word) {
            Some(k) => k,
            None if word == "true" || word == "false" => Kind::Bool,
            None => Kind::Identifier,
        };
        self.push(kind, start, self.pos);
        Ok(())
    }

    /// A `"…"` string or a `'…'` character constant: backslash escapes, no newline.
    fn quoted_until(&mut self, start: usize, quote: char, kind: Kind) -> Result<(), LexError> {
        let unterminated = if kind == Kind::String {
            "unterminated quoted string"
        } else {
            "unterminated character constant"
        };
        self.pos += 1;
        // By bytes: the quote, `\\` and a line break are ASCII, and no byte of a
        // multi-byte character is.
        let bytes = self.input.as_bytes();
        let quote = quote as u8;
        loop {
            match bytes.get(self.pos) {
                Some(b'\\') => match bytes.get(self.pos + 1) {
                    Some(&c) if c != b'\n' => self.pos += 2,
                    _ => return Err(self.error(start, unterminated)),
                },
                None | Some(b'\n') => return Err(self.error(start, unterminated)),
                Some(&c) if c == quote => {
                    self.pos += 1;
                    break;
                }
                Some(_) => self.pos += 1,
            }
        }
        self.push(kind, start, self.pos);
        Ok(())
    }

    fn raw_quoted(&mut self, start: usize) -> Result<(), LexError> {
        self.pos += 1;
        let Some(end) = self.rest().find('`') else {
            return Err(self.error(start, "unterminated raw quoted string"));
        };
        self.pos += end + 1;
        self.push(Kind::RawString, start, self.pos);
        Ok(())
    }

    /// Consumes one character from `set`.
    fn accept(&mut self, set: &str) -> bool {
        match self.peek() {
            Some(c) if set.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, set: &str) {
        while self.accept(set) {}
    }

    /// A number as Go's scanner accepts it (loosely: the parser checks its value).
    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek().filter(|c| is_alphanumeric(*c)) {
            self.pos += c.len_utf8();
            return false;
        }
        true
    }

    fn number(&mut self, start: usize) -> Result<(), LexError> {
        let bad = |l: &Self| {
            l.error(
                start,
                format!(
                    "bad number syntax: {}",
                    crate::gofmt::go_quote(&l.input[start..l.pos])
                ),
            )
        };
        if !self.scan_number() {
            return Err(bad(self));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                return Err(bad(self));
            }
            self.push(Kind::Complex, start, self.pos);
            return Ok(());
        }
        self.push(Kind::Number, start, self.pos);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens as `kind:text`, for compact expectations.
    fn show(input: &str) -> Vec<String> {
        let lexed = lex(input);
        assert_eq!(lexed.error, None);
        lexed
            .tokens
            .iter()
            .map(|t| format!("{:?}:{}", t.kind, t.text))
            .collect()
    }

    #[test]
    fn text_and_actions() {
        assert_eq!(
            show("a {{ .Values.x | quote }} b"),
            [
                "Text:a ",
                "LeftDelim:{{",
                "Space: ",
                "Field:.Values",
                "Field:.x",
                "Space: ",
                "Pipe:|",
                "Space: ",
                "Identifier:quote",
                "Space: ",
                "RightDelim:}}",
                "Text: b",
                "Eof:",
            ]
        );
    }

    #[test]
    fn trim_markers_remove_the_white_space_beside_the_action() {
        assert_eq!(
            show("a \n {{- $x := 1 -}} \n b"),
            [
                "Text:a",
                "LeftDelim:{{",
                "Variable:$x",
                "Space: ",
                "Declare::=",
                "Space: ",
                "Number:1",
                "RightDelim:}}",
                "Text:b",
                "Eof:",
            ]
        );
        // Without a space after it, `-` starts a number.
        assert_eq!(
            show("{{-3}}"),
            ["LeftDelim:{{", "Number:-3", "RightDelim:}}", "Eof:"]
        );
    }

    #[test]
    fn comments_vanish_with_their_trim() {
        assert_eq!(show("a {{- /* x */ -}} b"), ["Text:a", "Text:b", "Eof:"]);
        assert_eq!(show("{{/* a\nb */}}c"), ["Text:c", "Eof:"]);
    }

    #[test]
    fn keywords_literals_and_punctuation() {
        assert_eq!(
            show("{{range $i, $v := .}}{{else}}{{end}}"),
            [
                "LeftDelim:{{",
                "Range:range",
                "Space: ",
                "Variable:$i",
                "Char:,",
                "Space: ",
                "Variable:$v",
                "Space: ",
                "Declare::=",
                "Space: ",
                "Dot:.",
                "RightDelim:}}",
                "LeftDelim:{{",
                "Else:else",
                "RightDelim:}}",
                "LeftDelim:{{",
                "End:end",
                "RightDelim:}}",
                "Eof:",
            ]
        );
        assert_eq!(
            show(r#"{{ "a\"b" `c` 'x' 0x1F 1e6 .5 true nil (f) }}"#)
                .into_iter()
                .filter(|t| !t.starts_with("Space"))
                .collect::<Vec<_>>(),
            [
                "LeftDelim:{{",
                r#"String:"a\"b""#,
                "RawString:`c`",
                "CharConstant:'x'",
                "Number:0x1F",
                "Number:1e6",
                "Number:.5",
                "Bool:true",
                "Nil:nil",
                "LeftParen:(",
                "Identifier:f",
                "RightParen:)",
                "RightDelim:}}",
                "Eof:",
            ]
        );
    }

    #[test]
    fn lines_are_counted_for_tokens() {
        let input = "a\nb {{\n.x }}";
        let tokens = lex(input).tokens;
        let field = tokens.iter().find(|t| t.kind == Kind::Field).unwrap();
        assert_eq!(line_of(input, field.pos), 3);
        assert_eq!(line_of(input, 0), 1);
        assert_eq!(line_of(input, input.len()), 3);
    }

    #[test]
    fn errors_are_worded_as_go_words_them() {
        let err = |input: &str| lex(input).error.unwrap().message;
        assert_eq!(err("{{ .x "), "unclosed action");
        assert_eq!(err("{{ (f }}"), "unclosed left paren");
        assert_eq!(err("{{ f) }}"), "unexpected right paren");
        assert_eq!(err("{{ \"abc }}"), "unterminated quoted string");
        assert_eq!(err("{{ `abc }}"), "unterminated raw quoted string");
        assert_eq!(err("{{ 'a }}"), "unterminated character constant");
        assert_eq!(err("{{ 3k }}"), "bad number syntax: \"3k\"");
        assert_eq!(err("{{ .x# }}"), "bad character U+0023 '#'");
        assert_eq!(err("{{ a : b }}"), "expected :=");
        assert_eq!(err("{{/* x "), "unclosed comment");
        assert_eq!(
            err("{{/* x */ y}}"),
            "comment ends before closing delimiter"
        );
        assert_eq!(
            err("{{ \u{1} }}"),
            "unrecognized character in action: U+0001"
        );
        assert_eq!(lex("a\n{{ .x").error.unwrap().line, 2);
        // The tokens before the error are kept for the parser.
        let lexed = lex("{{ a : b }}");
        let texts: Vec<&str> = lexed.tokens.iter().map(|t| t.text).collect();
        assert_eq!(texts, ["{{", " ", "a", " "]);
    }
}
