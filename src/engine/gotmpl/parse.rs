//! The parser of Go's text/template: tokens from `lex` into trees, one per template name
//! (the file's own and each `{{define}}`/`{{block}}`), with Go's checks and wording:
//! functions must exist, variables must be declared, control structures must close.

use super::lex::{Kind, LexError, Token, lex, line_of};
use crate::engine::funcs::Call;
use minijinja::Value;

/// A parse error: Go's message and the line of the token at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub line: usize,
}

/// One node of a template's tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Text outside actions: where it lies in the parsed text (the `Source` text of every
    /// template parsed from it), so a tree holds no copy of its file's text.
    Text(std::ops::Range<usize>),
    /// `{{ pipeline }}`.
    Action {
        pos: usize,
        pipe: Pipe,
    },
    // Boxed, as `template`'s pipeline: a node is as large as its largest kind, and
    // the template trees are lists of nodes.
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    /// `{{template "name" pipeline}}` (and a `{{block}}` in place).
    Template {
        pos: usize,
        name: String,
        pipe: Option<Box<Pipe>>,
    },
    Break,
    Continue,
}

/// `if`, `range` and `with`: the pipeline, the body, and what `else` holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

/// A pipeline: declarations (`$x :=`, `$i, $v :=`, or `$x =` when `assign`) and commands
/// joined by `|`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipe {
    /// Byte offset of its first token (as Go's `Pos`, for error locations).
    pub pos: usize,
    pub decl: Vec<String>,
    pub assign: bool,
    pub cmds: Vec<Cmd>,
}

/// One command of a pipeline: a function or method and its arguments, or one operand.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmd {
    pub pos: usize,
    pub args: Vec<Operand>,
}

/// An operand and where Go places it: its token, or for `.a.b` and `$x.a` the first
/// chained field (Go's rule, which its error columns show).
#[derive(Debug, Clone, PartialEq)]
pub struct Operand {
    pub pos: usize,
    pub arg: Arg,
}

/// An operand of a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `.a.b`: fields of the cursor.
    Field(Vec<String>),
    /// `$x.a.b` (`$` alone is the root).
    Variable(String, Vec<String>),
    /// `.`.
    Dot,
    Nil,
    Bool(bool),
    /// A numeric constant, with the types it can take (boxed: it is the largest
    /// operand, and every operand is as large as the largest).
    Number(Box<super::number::Number>),
    /// A string constant: its value, built once so that each execution shares it, and
    /// how it was written (Go's `String()` of the node shows the text as written).
    String {
        value: Value,
        written: Written,
    },
    /// A function name.
    Identifier(Ident),
    /// `(pipeline)` with optional fields after it: `(include "x" .).a`.
    Pipe(Box<Pipe>, Vec<String>),
}

/// How a string constant was written: most are their value between quotes or
/// backquotes, and only those with escapes keep their text.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Quoted,
    Raw,
    Escaped(String),
}

impl Written {
    /// The constant's text as written.
    pub fn text(&self, value: &Value) -> String {
        let value = value.as_str().unwrap_or_default();
        match self {
            Written::Quoted => format!("\"{value}\""),
            Written::Raw => format!("`{value}`"),
            Written::Escaped(text) => text.clone(),
        }
    }
}

/// A function's name, and the function the registry holds under it, found once when
/// parsing rather than on every call (Go's builtins and `include`, `tpl` and `call` are
/// the executor's own: `None`).
#[derive(Clone)]
pub struct Ident {
    pub name: String,
    pub call: Option<Call>,
}

impl PartialEq for Ident {
    /// A name names one function.
    fn eq(&self, other: &Ident) -> bool {
        self.name == other.name
    }
}

impl std::fmt::Debug for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.name)
    }
}

impl From<&str> for Ident {
    /// A name without its function (error positions and tests).
    fn from(name: &str) -> Ident {
        Ident {
            name: name.to_string(),
            call: None,
        }
    }
}

/// What a parser asks of a function name: `None` when no function has it, else the
/// registry's function, if it is one of the registry's.
pub type Resolve<'f> = &'f dyn Fn(&str) -> Option<Option<Call>>;

/// The trees of one parsed file: its own (`name`) and every template it defines.
#[derive(Debug, Clone, PartialEq)]
pub struct Trees {
    pub trees: Vec<(String, Vec<Node>)>,
}

struct Parser<'a, 'f> {
    input: &'a str,
    tokens: Vec<Token<'a>>,
    lex_error: Option<LexError>,
    at: usize,
    vars: Vec<String>,
    range_depth: usize,
    resolve: Resolve<'f>,
    defined: Vec<(String, Vec<Node>)>,
}

type Result<T> = std::result::Result<T, ParseError>;

/// Parses the template `name`; `resolve` says which function names exist (Go checks
/// them while parsing) and what they call.
pub fn parse(name: &str, text: &str, resolve: Resolve<'_>) -> Result<Trees> {
    let lexed = lex(text);
    let mut p = Parser {
        input: text,
        tokens: lexed.tokens,
        lex_error: lexed.error,
        at: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        resolve,
        defined: Vec::new(),
    };
    let root = p.top()?;
    let mut trees = vec![(name.to_string(), root)];
    trees.append(&mut p.defined);
    Ok(Trees { trees })
}

/// Whether a tree parsed from `text` holds only blank text (Go's empty template, which
/// a later definition of its name may replace and which replaces no other).
pub fn is_blank(nodes: &[Node], text: &str) -> bool {
    nodes
        .iter()
        .all(|n| matches!(n, Node::Text(t) if text[t.clone()].trim().is_empty()))
}

/// Whether any of `nodes` calls one of the functions `names` (anywhere in its
/// pipelines, branches and nested pipelines).
pub fn calls_any(nodes: &[Node], names: &[&str]) -> bool {
    fn pipe(p: &Pipe, names: &[&str]) -> bool {
        p.cmds.iter().flat_map(|c| &c.args).any(|o| match &o.arg {
            Arg::Identifier(ident) => names.contains(&ident.name.as_str()),
            Arg::Pipe(inner, _) => pipe(inner, names),
            _ => false,
        })
    }
    nodes.iter().any(|n| match n {
        Node::Action { pipe: p, .. } => pipe(p, names),
        Node::If(b) | Node::Range(b) | Node::With(b) => {
            pipe(&b.pipe, names)
                || calls_any(&b.list, names)
                || b.else_list.as_deref().is_some_and(|l| calls_any(l, names))
        }
        Node::Template { pipe: p, .. } => p.as_deref().is_some_and(|p| pipe(p, names)),
        Node::Text(_) | Node::Break | Node::Continue => false,
    })
}

/// How Go shows a token in a message: `<if>` for keywords, `"text"` (cut at ten
/// characters) for the rest, `EOF` at the end.
fn shown(t: &Token) -> String {
    use Kind::*;
    match t.kind {
        Eof => "EOF".into(),
        Dot | Nil | Block | Break | Continue | Define | Else | End | If | Range | Template
        | With => format!("<{}>", t.text),
        _ if t.text.chars().count() > 10 => {
            let cut: std::string::String = t.text.chars().take(10).collect();
            format!("{}...", crate::gofmt::go_quote(&cut))
        }
        _ => crate::gofmt::go_quote(t.text),
    }
}

/// What ended a list: `{{end}}` or `{{else}}` (and whether `if`/`with` follows it).
enum Stop {
    End,
    Else(Option<Kind>),
}

impl<'a> Parser<'a, '_> {
    /// An error at byte `pos` (its line is counted now: only errors need one).
    fn error(&self, pos: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            line: line_of(self.input, pos),
        }
    }

    /// The next token; past the tokens, the lexer's error (or EOF).
    fn next(&mut self) -> Result<Token<'a>> {
        match self.tokens.get(self.at) {
            Some(t) => {
                self.at += 1;
                Ok(t.clone())
            }
            None => Err(match &self.lex_error {
                Some(e) => ParseError {
                    message: e.message.clone(),
                    line: e.line,
                },
                None => ParseError {
                    message: "unexpected EOF".into(),
                    line: 0,
                },
            }),
        }
    }

    fn next_non_space(&mut self) -> Result<Token<'a>> {
        loop {
            let t = self.next()?;
            if t.kind != Kind::Space {
                return Ok(t);
            }
        }
    }

    fn peek(&mut self) -> Result<Token<'a>> {
        let t = self.next()?;
        self.at -= 1;
        Ok(t)
    }

    /// The next token that is not a space; the spaces before it stay consumed, as in Go.
    fn peek_non_space(&mut self) -> Result<Token<'a>> {
        let t = self.next_non_space()?;
        self.at -= 1;
        Ok(t)
    }

    fn unexpected(&self, t: &Token, context: &str) -> ParseError {
        self.error(t.pos, format!("unexpected {} in {context}", shown(t)))
    }

    fn expect(&mut self, kind: Kind, context: &str) -> Result<Token<'a>> {
        let t = self.next_non_space()?;
        if t.kind != kind {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    /// The file's own tree, with `{{define}}`s set aside.
    fn top(&mut self) -> Result<Vec<Node>> {
        let mut list = Vec::new();
        loop {
            let t = self.peek_non_space()?;
            if t.kind == Kind::Eof {
                return Ok(list);
            }
            if t.kind == Kind::LeftDelim {
                let save = self.at;
                self.next_non_space()?;
                if self.next_non_space()?.kind == Kind::Define {
                    self.definition()?;
                    continue;
                }
                self.at = save;
            }
            match self.text_or_action()? {
                Ok(node) => list.push(node),
                Err((stop, at)) => {
                    let what = match stop {
                        Stop::End => "{{end}}",
                        Stop::Else(_) => "{{else}}",
                    };
                    return Err(self.error(at, format!("unexpected {what}")));
                }
            }
        }
    }

    /// `{{define "name"}} … {{end}}`, after `define`.
    fn definition(&mut self) -> Result<()> {
        let context = "define clause";
        let t = self.next_non_space()?;
        let name = match t.kind {
            Kind::String | Kind::RawString => unquote(&t, self.input)?,
            _ => return Err(self.unexpected(&t, context)),
        };
        self.expect(Kind::RightDelim, context)?;
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (list, stop, at) = self.item_list()?;
        self.vars = vars;
        if !matches!(stop, Stop::End) {
            return Err(self.error(at, format!("unexpected {{{{else}}}} in {context}")));
        }
        self.define(name, list, at)
    }

    /// Adds a `define`d tree: Go refuses a second non-empty definition of a name in one
    /// parse.
    fn define(&mut self, name: String, list: Vec<Node>, at: usize) -> Result<()> {
        let input = self.input;
        let empty = |l: &[Node]| is_blank(l, input);
        if let Some(slot) = self.defined.iter_mut().find(|(n, _)| *n == name) {
            if empty(&slot.1) {
                slot.1 = list;
            } else if !empty(&list) {
                return Err(self.error(
                    at,
                    format!("template: multiple definition of template {name:?}"),
                ));
            }
            return Ok(());
        }
        self.defined.push((name, list));
        Ok(())
    }

    /// Nodes up to `{{end}}` or `{{else}}`.
    fn item_list(&mut self) -> Result<(Vec<Node>, Stop, usize)> {
        let mut list = Vec::new();
        loop {
            let t = self.peek_non_space()?;
            if t.kind == Kind::Eof {
                return Err(self.error(t.pos, "unexpected EOF"));
            }
            match self.text_or_action()? {
                Ok(node) => list.push(node),
                Err((stop, at)) => return Ok((list, stop, at)),
            }
        }
    }

    /// A node, or the `{{end}}`/`{{else}}` that ends the enclosing list.
    fn text_or_action(&mut self) -> Result<std::result::Result<Node, (Stop, usize)>> {
        let t = self.next_non_space()?;
        match t.kind {
            Kind::Text => Ok(Ok(Node::Text(t.pos..t.pos + t.text.len()))),
            Kind::LeftDelim => self.action(),
            _ => Err(self.unexpected(&t, "input")),
        }
    }

    fn action(&mut self) -> Result<std::result::Result<Node, (Stop, usize)>> {
        let t = self.next_non_space()?;
        let pos = t.pos;
        Ok(Ok(match t.kind {
            Kind::Block => self.block()?,
            Kind::Break | Kind::Continue => {
                let word = if t.kind == Kind::Break {
                    "break"
                } else {
                    "continue"
                };
                let after = self.next_non_space()?;
                if after.kind != Kind::RightDelim {
                    return Err(self.unexpected(&after, &format!("{{{{{word}}}}}")));
                }
                if self.range_depth == 0 {
                    return Err(self.error(pos, format!("{{{{{word}}}}} outside {{{{range}}}}")));
                }
                if t.kind == Kind::Break {
                    Node::Break
                } else {
                    Node::Continue
                }
            }
            Kind::Else => {
                let after = self.peek_non_space()?;
                if matches!(after.kind, Kind::If | Kind::With) {
                    self.next_non_space()?;
                    return Ok(Err((Stop::Else(Some(after.kind)), pos)));
                }
                self.expect(Kind::RightDelim, "else")?;
                return Ok(Err((Stop::Else(None), pos)));
            }
            Kind::End => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok(Err((Stop::End, pos)));
            }
            Kind::If => Node::If(Box::new(self.control("if", pos)?)),
            Kind::Range => Node::Range(Box::new(self.control("range", pos)?)),
            Kind::With => Node::With(Box::new(self.control("with", pos)?)),
            Kind::Template => {
                let context = "template clause";
                let name_token = self.next_non_space()?;
                // Go places the node at its name.
                let pos = name_token.pos;
                let name = match name_token.kind {
                    Kind::String | Kind::RawString => unquote(&name_token, self.input)?,
                    _ => return Err(self.unexpected(&name_token, context)),
                };
                let pipe = if self.peek_non_space()?.kind == Kind::RightDelim {
                    self.next_non_space()?;
                    None
                } else {
                    Some(Box::new(self.pipeline(context, Kind::RightDelim)?))
                };
                Node::Template { pos, name, pipe }
            }
            _ => {
                self.at -= 1;
                Node::Action {
                    pos,
                    pipe: self.pipeline("command", Kind::RightDelim)?,
                }
            }
        }))
    }

    /// `{{block "name" pipeline}} … {{end}}`: defines `name` and runs it in place.
    fn block(&mut self) -> Result<Node> {
        let context = "block clause";
        let t = self.next_non_space()?;
        let pos = t.pos;
        let name = match t.kind {
            Kind::String | Kind::RawString => unquote(&t, self.input)?,
            _ => return Err(self.unexpected(&t, context)),
        };
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (list, stop, stop_at) = self.item_list()?;
        self.vars = vars;
        if !matches!(stop, Stop::End) {
            return Err(self.error(stop_at, format!("unexpected {{{{else}}}} in {context}")));
        }
        self.define(name.clone(), list, stop_at)?;
        Ok(Node::Template {
            pos,
            name,
            pipe: Some(Box::new(pipe)),
        })
    }

    /// `if`, `range`, `with`: pipeline, body, `else` (and `else if`/`else with`).
    fn control(&mut self, context: &str, pos: usize) -> Result<Branch> {
        let depth = self.vars.len();
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, stop, _) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let else_list = match stop {
            Stop::End => None,
            Stop::Else(Some(kind))
                if (kind == Kind::If && context == "if")
                    || (kind == Kind::With && context == "with") =>
            {
                // `{{else if …}}` is an `if` inside the else branch, sharing its `{{end}}`.
                let inner = self.control(context, pos)?;
                let node = if kind == Kind::If {
                    Node::If(Box::new(inner))
                } else {
                    Node::With(Box::new(inner))
                };
                Some(vec![node])
            }
            Stop::Else(Some(kind)) => {
                // Go reads the keyword as the start of the else branch's text.
                let word = if kind == Kind::If { "if" } else { "with" };
                return Err(self.error(pos, format!("unexpected <{word}> in input")));
            }
            Stop::Else(None) => {
                let (else_list, stop, stop_at) = self.item_list()?;
                if !matches!(stop, Stop::End) {
                    return Err(self.error(stop_at, "expected end; found {{else}}"));
                }
                Some(else_list)
            }
        };
        self.vars.truncate(depth);
        Ok(Branch {
            pos,
            pipe,
            list,
            else_list,
        })
    }

    /// A pipeline up to `end` (`}}` or `)`), with its declarations.
    fn pipeline(&mut self, context: &str, end: Kind) -> Result<Pipe> {
        let first = self.peek_non_space()?;
        let mut pipe = Pipe {
            pos: first.pos,
            decl: Vec::new(),
            assign: false,
            cmds: Vec::new(),
        };
        self.declarations(context, &mut pipe)?;
        loop {
            let t = self.next_non_space()?;
            if t.kind == end {
                if pipe.cmds.is_empty() {
                    return Err(self.error(t.pos, format!("missing value for {context}")));
                }
                for (i, cmd) in pipe.cmds.iter().enumerate().skip(1) {
                    if matches!(
                        cmd.args.first().map(|o| &o.arg),
                        Some(
                            Arg::Bool(_)
                                | Arg::Dot
                                | Arg::Nil
                                | Arg::Number(_)
                                | Arg::String { .. }
                        )
                    ) {
                        return Err(self.error(
                            t.pos,
                            format!("non executable command in pipeline stage {}", i + 1),
                        ));
                    }
                }
                return Ok(pipe);
            }
            match t.kind {
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.at -= 1;
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return Err(self.unexpected(&t, context)),
            }
        }
    }

    /// `$x :=`, `$x =`, `$i, $v :=` at the start of a pipeline.
    fn declarations(&mut self, context: &str, pipe: &mut Pipe) -> Result<()> {
        let save = self.at;
        let v = self.next_non_space()?;
        if v.kind != Kind::Variable {
            self.at = save;
            return Ok(());
        }
        let after = self.peek_non_space()?;
        match after.kind {
            Kind::Assign | Kind::Declare => {
                self.next_non_space()?;
                pipe.assign = after.kind == Kind::Assign;
                pipe.decl.push(v.text.to_string());
                self.vars.push(v.text.to_string());
            }
            Kind::Char if after.text == "," => {
                self.next_non_space()?;
                pipe.decl.push(v.text.to_string());
                self.vars.push(v.text.to_string());
                if context != "range" {
                    return Err(self.error(v.pos, format!("too many declarations in {context}")));
                }
                let second = self.next_non_space()?;
                if second.kind != Kind::Variable {
                    return Err(self.error(second.pos, "range can only initialize variables"));
                }
                let op = self.next_non_space()?;
                if !matches!(op.kind, Kind::Declare | Kind::Assign) {
                    return Err(self.error(op.pos, "too many declarations in range"));
                }
                pipe.assign = op.kind == Kind::Assign;
                pipe.decl.push(second.text.to_string());
                self.vars.push(second.text.to_string());
            }
            _ => self.at = save,
        }
        Ok(())
    }

    /// One command: operands up to `|`, `}}` or `)`.
    fn command(&mut self) -> Result<Cmd> {
        let mut args = Vec::new();
        let pos = self.peek_non_space()?.pos;
        loop {
            let _ = self.peek_non_space()?;
            if let Some(arg) = self.operand()? {
                args.push(arg);
            }
            let t = self.next()?;
            match t.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.at -= 1,
                Kind::Pipe => {}
                _ => return Err(self.unexpected(&t, "operand")),
            }
            break;
        }
        if args.is_empty() {
            let at = self.peek()?.pos;
            return Err(self.error(at, "empty command"));
        }
        Ok(Cmd { pos, args })
    }

    /// How many field tokens come next (`.b.c` after `.a`, `$x` or `(...)`): counted
    /// first, so that an operand's list of fields is allocated once, at its size.
    fn fields_ahead(&self) -> usize {
        self.tokens[self.at..]
            .iter()
            .take_while(|t| t.kind == Kind::Field)
            .count()
    }

    /// A term and the fields chained after it.
    fn operand(&mut self) -> Result<Option<Operand>> {
        let Some((term_pos, term)) = self.term()? else {
            return Ok(None);
        };
        let chain_pos = self.peek()?.pos;
        let chained = self.fields_ahead();
        if chained == 0 {
            return Ok(Some(Operand {
                pos: term_pos,
                arg: term,
            }));
        }
        let last = self.at + chained - 1;
        let chain = self.tokens[self.at..=last]
            .iter()
            .map(|t| t.text[1..].to_string());
        let extend = |mut f: Vec<String>| {
            f.reserve_exact(chained);
            f.extend(chain);
            f
        };
        let arg = match term {
            Arg::Field(f) => Arg::Field(extend(f)),
            Arg::Variable(v, f) => Arg::Variable(v, extend(f)),
            Arg::Pipe(p, f) => Arg::Pipe(p, extend(f)),
            Arg::Bool(_) | Arg::String { .. } | Arg::Number(_) | Arg::Nil | Arg::Dot => {
                let at = self.tokens[last].pos;
                let shown = match &term {
                    Arg::Bool(b) => b.to_string(),
                    Arg::String { value, written } => written.text(value),
                    Arg::Number(n) => n.text.clone(),
                    Arg::Nil => "nil".into(),
                    _ => ".".into(),
                };
                return Err(self.error(at, format!("unexpected . after term {shown:?}")));
            }
            Arg::Identifier(ident) => {
                let at = self.tokens[last].pos;
                let name = &ident.name;
                return Err(self.error(at, format!("unexpected . after term {name:?}")));
            }
        };
        self.at = last + 1;
        Ok(Some(Operand {
            pos: chain_pos,
            arg,
        }))
    }

    fn term(&mut self) -> Result<Option<(usize, Arg)>> {
        let t = self.next_non_space()?;
        let mut pos = t.pos;
        let arg = match t.kind {
            Kind::Identifier => {
                let Some(call) = (self.resolve)(t.text) else {
                    return Err(self.error(t.pos, format!("function {:?} not defined", t.text)));
                };
                Arg::Identifier(Ident {
                    name: t.text.to_string(),
                    call,
                })
            }
            Kind::Dot => Arg::Dot,
            Kind::Nil => Arg::Nil,
            Kind::Variable => {
                let mut parts = t.text.split('.');
                let name = parts.next().unwrap_or("$").to_string();
                if !self.vars.contains(&name) {
                    return Err(self.error(t.pos, format!("undefined variable {name:?}")));
                }
                Arg::Variable(name, Vec::new())
            }
            Kind::Field => {
                let mut fields = Vec::with_capacity(1 + self.fields_ahead());
                fields.push(t.text[1..].to_string());
                Arg::Field(fields)
            }
            Kind::Bool => Arg::Bool(t.text == "true"),
            Kind::Number | Kind::CharConstant | Kind::Complex => Arg::Number(Box::new(
                super::number::parse(
                    t.text,
                    t.kind == Kind::CharConstant,
                    t.kind == Kind::Complex,
                )
                .map_err(|m| self.error(t.pos, m))?,
            )),
            Kind::LeftParen => {
                let pipe = self.pipeline("parenthesized pipeline", Kind::RightParen)?;
                pos = pipe.pos;
                Arg::Pipe(Box::new(pipe), Vec::new())
            }
            Kind::String | Kind::RawString => {
                let value = unquote(&t, self.input)?;
                let written = if t.kind == Kind::RawString {
                    Written::Raw
                } else if t.text.len() == value.len() + 2 && t.text[1..].starts_with(&*value) {
                    Written::Quoted
                } else {
                    Written::Escaped(t.text.to_string())
                };
                Arg::String {
                    value: Value::from(value),
                    written,
                }
            }
            _ => {
                self.at -= 1;
                return Ok(None);
            }
        };
        Ok(Some((pos, arg)))
    }
}

/// The value of a quoted string token: raw strings as they are, `"…"` with Go's escapes.
fn unquote(t: &Token, input: &str) -> Result<String> {
    let inner = &t.text[1..t.text.len() - 1];
    // Raw strings, and most quoted ones, are their text as it is.
    if t.kind == Kind::RawString || !inner.contains('\\') {
        return Ok(inner.to_string());
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    let bad = || ParseError {
        message: "invalid syntax".into(),
        line: line_of(input, t.pos),
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escape = chars.next().ok_or_else(bad)?;
        match escape {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                let b = u8::from_str_radix(&hex, 16).map_err(|_| bad())?;
                out.push(char::from(b));
            }
            '0'..='7' => {
                let rest: String = chars.by_ref().take(2).collect();
                let b = u8::from_str_radix(&format!("{escape}{rest}"), 8).map_err(|_| bad())?;
                out.push(char::from(b));
            }
            'u' | 'U' => {
                let n = if escape == 'u' { 4 } else { 8 };
                let hex: String = chars.by_ref().take(n).collect();
                let code = u32::from_str_radix(&hex, 16).map_err(|_| bad())?;
                out.push(char::from_u32(code).ok_or_else(bad)?);
            }
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

/// Go's builtin functions, which every template has besides Helm's.
pub const GO_BUILTINS: &[&str] = &[
    "and", "call", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or",
    "print", "printf", "println", "slice", "urlquery",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn helm_funcs(name: &str) -> Option<Option<Call>> {
        matches!(
            name,
            "include" | "quote" | "default" | "printf" | "len" | "list" | "toYaml"
        )
        .then_some(None)
    }

    fn ok(text: &str) -> Trees {
        parse("t", text, &helm_funcs).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn err(text: &str) -> String {
        parse("t", text, &helm_funcs).unwrap_err().message
    }

    #[test]
    fn actions_pipelines_and_chains() {
        let t = ok("a {{ .Values.x | default \"y\" | quote }}");
        let (name, root) = &t.trees[0];
        assert_eq!(name, "t");
        assert_eq!(root[0], Node::Text(0..2), "the text \"a \" at its place");
        let Node::Action { pipe, .. } = &root[1] else {
            panic!("{root:?}")
        };
        let args: Vec<Vec<Arg>> = pipe
            .cmds
            .iter()
            .map(|c| c.args.iter().map(|o| o.arg.clone()).collect())
            .collect();
        assert_eq!(
            args,
            vec![
                vec![Arg::Field(vec!["Values".into(), "x".into()])],
                vec![
                    Arg::Identifier("default".into()),
                    Arg::String {
                        value: Value::from("y"),
                        written: Written::Quoted
                    }
                ],
                vec![Arg::Identifier("quote".into())],
            ]
        );
        // Go places `.Values.x` at its second field, `.x` (column 10).
        assert_eq!(pipe.cmds[0].args[0].pos, 12);
        let t = ok("{{ (include \"x\" .).a.b }}");
        let Node::Action { pipe, .. } = &t.trees[0].1[0] else {
            panic!()
        };
        let Arg::Pipe(inner, fields) = &pipe.cmds[0].args[0].arg else {
            panic!("{pipe:?}")
        };
        assert_eq!(fields, &vec!["a".to_string(), "b".to_string()]);
        assert_eq!(inner.cmds[0].args.len(), 3);
    }

    #[test]
    fn control_structures_and_definitions() {
        let t = ok(
            "{{define \"x\"}}X{{end}}{{if .a}}A{{else if .b}}B{{else}}C{{end}}{{range $i, $v := .l}}{{$i}}{{break}}{{else}}E{{end}}{{with $x := .w}}{{$x}}{{end}}{{template \"x\" .}}{{block \"b\" .}}B{{end}}",
        );
        let names: Vec<&str> = t.trees.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["t", "x", "b"]);
        let root = &t.trees[0].1;
        let Node::If(branch) = &root[0] else {
            panic!("{root:?}")
        };
        let Some(else_list) = &branch.else_list else {
            panic!()
        };
        assert!(matches!(&else_list[0], Node::If(inner) if inner.else_list.is_some()));
        let Node::Range(range) = &root[1] else {
            panic!()
        };
        assert_eq!(range.pipe.decl, ["$i", "$v"]);
        assert!(matches!(range.list[1], Node::Break));
        assert!(matches!(&root[3], Node::Template { name, .. } if name == "x"));
        assert!(matches!(&root[4], Node::Template { name, pipe: Some(_), .. } if name == "b"));
    }

    #[test]
    fn variables_are_scoped_to_their_control_structure() {
        ok("{{ $x := 1 }}{{ $x }}{{ $x = 2 }}");
        assert_eq!(
            err("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}"),
            "undefined variable \"$y\""
        );
        assert_eq!(err("{{ $nope }}"), "undefined variable \"$nope\"");
    }

    /// Each message checked against helm4 4.1.4 (which prints the part after the last
    /// `: `, e.g. `parse error at (c/templates/a.yaml:2): missing value for if`).
    #[test]
    fn errors_are_worded_as_go_words_them() {
        assert_eq!(err("{{ nope 1 }}"), "function \"nope\" not defined");
        assert_eq!(err("{{ if }}{{ end }}"), "missing value for if");
        assert_eq!(err("{{ }}"), "missing value for command");
        assert_eq!(err("{{ if .a }}x"), "unexpected EOF");
        assert_eq!(err("x{{ end }}"), "unexpected {{end}}");
        assert_eq!(err("{{ else }}"), "unexpected {{else}}");
        assert_eq!(err("{{ break }}"), "{{break}} outside {{range}}");
        assert_eq!(
            err("{{ if .a }}{{ else }}{{ else }}{{ end }}"),
            "expected end; found {{else}}"
        );
        assert_eq!(
            err("{{ .a | 1 }}"),
            "non executable command in pipeline stage 2"
        );
        assert_eq!(
            err("{{ template .x }}"),
            "unexpected \".x\" in template clause"
        );
        assert_eq!(err("{{ template . }}"), "unexpected <.> in template clause");
        assert_eq!(
            err("{{ if .a }}{{ else with .b }}{{ end }}"),
            "unexpected <with> in input"
        );
        assert_eq!(
            err("{{ define \"x\" }}{{ else }}{{ end }}"),
            "unexpected {{else}} in define clause"
        );
        assert_eq!(
            err("{{ with $a, $b := . }}{{ end }}"),
            "too many declarations in with"
        );
        // The lexer's error comes once the parser reaches it; the parser's comes first.
        assert_eq!(err("{{ a : b }}"), "function \"a\" not defined");
        assert_eq!(err("{{ .x# }}"), "bad character U+0023 '#'");
        assert_eq!(err("{{ 0x }}"), "illegal number syntax: \"0x\"");
    }

    #[test]
    fn strings_are_unquoted_as_go_does() {
        let t = ok("{{ printf \"a\\tb\\u00e9\\x41\" `raw\\n` }}");
        let Node::Action { pipe, .. } = &t.trees[0].1[0] else {
            panic!()
        };
        let value = |i: usize| match &pipe.cmds[0].args[i].arg {
            Arg::String { value, written } => (value.to_string(), written.text(value)),
            other => panic!("{other:?}"),
        };
        assert_eq!(value(1).0, "a\tbéA");
        assert_eq!(value(1).1, "\"a\\tb\\u00e9\\x41\"");
        assert_eq!(value(2).0, "raw\\n");
        assert_eq!(value(2).1, "`raw\\n`");
    }
}
