//! The evaluator of Go's text/template over rudder's values, as helm 4.1 executes
//! templates: `missingkey=zero` (or `=error` under `--strict`), Go's truth, Go's
//! printing, Go's error texts (`template: <file>:<line>:<col>: executing "<name>" at
//! <<node>>: <cause>`), and the functions of the one registry.
//!
//! Go tells a map entry that holds nothing (a nil interface: `Value::from(())` here)
//! from no value at all (an invalid `reflect.Value`: `Value::UNDEFINED`). A field of the
//! first is an error (`nil pointer evaluating interface {}.x`); a field of the second is
//! no value again. A pipeline's result is never a nil interface: Go digs into it, so a
//! nil becomes no value, which prints as `<no value>` (Helm then removes that text).

use std::collections::HashMap;
use std::sync::Arc;

use minijinja::value::{Value, ValueKind};

use super::objects::{self, Method};
use super::parse::{Arg, Cmd, Ident, Node, Operand, Pipe};
use super::signature::Param;
use crate::engine::funcs;

/// A template's source: its name as Go's `ParseName` (the file, or `gotpl` for `tpl`
/// text) and its text, from which error locations are computed.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    /// Shared by every file of the same text (an umbrella's copies of one subchart).
    pub text: Arc<String>,
}

impl Source {
    /// Go's `ErrorContext` location of byte `pos`: `name:line:col`, where the column
    /// counts bytes from the start of the line (from the start of the file on line 1,
    /// which is the same number).
    pub fn location(&self, pos: usize) -> String {
        let (line, col) = self.line_col(pos);
        format!("{}:{line}:{col}", self.name)
    }

    /// The 1-based line and the 0-based byte column of `pos`.
    pub fn line_col(&self, pos: usize) -> (usize, usize) {
        let before = &self.text[..pos.min(self.text.len())];
        let line = super::lex::line_of(&self.text, pos);
        let col = match before.rfind('\n') {
            Some(nl) => pos - (nl + 1),
            None => pos,
        };
        (line, col)
    }
}

/// One named template: a file's own tree or a `define`.
#[derive(Debug)]
pub struct Template {
    pub name: String,
    pub source: Arc<Source>,
    pub nodes: Arc<[Node]>,
}

/// Every template a render can call by name.
#[derive(Debug, Default)]
pub struct Namespace {
    /// Looked up on every `include` and `template`: hashed with ahash, a fraction of
    /// SipHash's cost on short names.
    map: HashMap<String, Arc<Template>, ahash::RandomState>,
}

impl Namespace {
    /// Adds a template as Go's `AddParseTree` does when a name is defined again: the
    /// new definition replaces the old, unless it is empty (only blanks and comments).
    pub fn add(&mut self, template: Template) {
        let empty = super::parse::is_blank(&template.nodes, &template.source.text);
        if empty && self.map.contains_key(&template.name) {
            return;
        }
        self.map.insert(template.name.clone(), Arc::new(template));
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Template>> {
        self.map.get(name)
    }

    /// Whether any template of the namespace calls one of the functions `names`.
    pub fn calls_any(&self, names: &[&str]) -> bool {
        self.map
            .values()
            .any(|t| crate::engine::gotmpl::parse::calls_any(&t.nodes, names))
    }
}

/// An execution error: Go's full text (nested calls include the callee's text).
#[derive(Debug, Clone)]
pub struct ExecError {
    pub text: String,
}

/// How walking a list ends early.
pub enum Flow {
    Break,
    Continue,
    Error(ExecError),
}

impl From<ExecError> for Flow {
    fn from(e: ExecError) -> Flow {
        Flow::Error(e)
    }
}

type Result<T> = std::result::Result<T, ExecError>;

/// Where Helm's own functions (`include`, `tpl`) come from: the engine's layer.
pub trait Host {
    /// `include name data`: the named template's output.
    fn include(
        &self,
        exec: &mut Exec,
        name: &str,
        data: Value,
    ) -> std::result::Result<String, String>;
    /// `tpl text data`: the text rendered as a template.
    fn tpl(&self, exec: &mut Exec, text: &str, data: Value) -> std::result::Result<String, String>;
}

/// Go's marker Helm wraps `required` and `fail` messages in, to print them alone.
pub const WARN_START: &str = "HELM_ERR_START";
pub const WARN_END: &str = "HELM_ERR_END";

/// Go's limit on nested `{{template}}` calls.
const MAX_TEMPLATE_DEPTH: usize = 100_000;

/// The executor: the namespace (and the defines of enclosing `tpl` texts), the
/// function context, and the options of the render.
pub struct Exec<'a> {
    pub ns: &'a Namespace,
    /// Templates defined by enclosing `tpl` texts, innermost last.
    pub overlays: Vec<Namespace>,
    pub ctx: &'a funcs::Ctx,
    pub strict: bool,
    pub host: &'a dyn Host,
    /// Bytes the release may still print.
    pub room: u64,
    depth: usize,
    /// The deepest `depth` reached since `nesting_mark` (what a kept include output used).
    deepest: crate::engine::Deepest,
    /// Where the first error of the render was raised: the innermost place of a failure
    /// that `include` and `tpl` wrap (the snippet under the message shows it).
    first_error: std::cell::RefCell<Option<(Arc<Source>, usize)>>,
}

/// The variables of one template execution, innermost last.
struct Frame<'t> {
    template: &'t Template,
    vars: Vec<(String, Value)>,
}

impl<'a> Exec<'a> {
    pub fn new(ns: &'a Namespace, ctx: &'a funcs::Ctx, strict: bool, host: &'a dyn Host) -> Self {
        Exec {
            ns,
            overlays: Vec::new(),
            ctx,
            strict,
            host,
            room: crate::limits::OUTPUT_SIZE.get(),
            depth: 0,
            deepest: crate::engine::Deepest::new(),
            first_error: std::cell::RefCell::new(None),
        }
    }

    /// The source and byte position of the first error raised, if any.
    pub fn first_error_at(&self) -> Option<(Arc<Source>, usize)> {
        self.first_error.borrow().clone()
    }

    /// Starts counting the `{{template}}` levels a run uses: the mark to give
    /// `nesting_used`.
    pub fn nesting_mark(&self) -> u64 {
        self.deepest.start(self.depth as u64)
    }

    /// The `{{template}}` levels used since `nesting_mark` gave `mark`.
    pub fn nesting_used(&self, mark: u64) -> u64 {
        self.deepest.end(mark, self.depth as u64)
    }

    /// Whether `levels` more `{{template}}` levels fit under Go's limit here.
    pub fn nesting_fits(&self, levels: u64) -> bool {
        self.depth as u64 + levels <= MAX_TEMPLATE_DEPTH as u64
    }

    /// The template called `name`, the innermost definition first.
    pub fn lookup(&self, name: &str) -> Option<Arc<Template>> {
        self.overlays
            .iter()
            .rev()
            .find_map(|o| o.get(name))
            .or_else(|| self.ns.get(name))
            .cloned()
    }

    /// Executes `template` with `data` as dot and `$`, appending to `out`.
    pub fn execute(&mut self, template: &Template, data: Value, out: &mut String) -> Result<()> {
        let mut frame = Frame {
            template,
            vars: vec![("$".to_string(), data.clone())],
        };
        match self.walk(&mut frame, &data, &template.nodes, out) {
            Ok(()) => Ok(()),
            Err(Flow::Error(e)) => Err(e),
            // The parser allows break/continue only inside range.
            Err(Flow::Break | Flow::Continue) => Ok(()),
        }
    }

    fn error(
        &self,
        frame: &Frame,
        pos: usize,
        context: impl std::fmt::Display,
        message: impl AsRef<str>,
    ) -> ExecError {
        self.first_error
            .borrow_mut()
            .get_or_insert_with(|| (frame.template.source.clone(), pos));
        ExecError {
            text: format!(
                "template: {}: executing {} at <{}>: {}",
                frame.template.source.location(pos),
                crate::gofmt::go_quote(&frame.template.name),
                context,
                message.as_ref()
            ),
        }
    }

    /// An error about a pipeline's value, at the node Go's state stands on after it.
    fn pipe_error(&self, frame: &Frame, pipe: &Pipe, message: String) -> ExecError {
        let (pos, context) = last_node(pipe);
        self.error(frame, pos, context, message)
    }

    fn write(&mut self, frame: &Frame, pos: usize, out: &mut String, text: &str) -> Result<()> {
        if text.len() as u64 > self.room {
            return Err(self.error(
                frame,
                pos,
                "output",
                crate::limits::OUTPUT_SIZE.exceeded("the rendered manifests grow too large"),
            ));
        }
        self.room -= text.len() as u64;
        out.push_str(text);
        Ok(())
    }

    fn walk(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        nodes: &[Node],
        out: &mut String,
    ) -> std::result::Result<(), Flow> {
        for node in nodes {
            match node {
                Node::Text(range) => {
                    let template = frame.template;
                    self.write(frame, 0, out, &template.source.text[range.clone()])?
                }
                Node::Action { pos, pipe, .. } => {
                    let value = self.pipeline(frame, dot, pipe)?;
                    if pipe.decl.is_empty() {
                        let text = print_value(&value);
                        self.write(frame, *pos, out, &text)?;
                    }
                }
                Node::If(branch) | Node::With(branch) => {
                    let is_with = matches!(node, Node::With(_));
                    let mark = frame.vars.len();
                    let value = self.pipeline(frame, dot, &branch.pipe)?;
                    let result = if truth(&value) {
                        if is_with {
                            self.walk(frame, &value, &branch.list, out)
                        } else {
                            self.walk(frame, dot, &branch.list, out)
                        }
                    } else if let Some(else_list) = &branch.else_list {
                        self.walk(frame, dot, else_list, out)
                    } else {
                        Ok(())
                    };
                    frame.vars.truncate(mark);
                    result?;
                }
                Node::Range(branch) => {
                    let mark = frame.vars.len();
                    let result = self.range(frame, dot, branch, out);
                    frame.vars.truncate(mark);
                    result?;
                }
                Node::Template {
                    pos, name, pipe, ..
                } => {
                    let context = TemplateShown(name, pipe.as_deref());
                    let Some(template) = self.lookup(name) else {
                        return Err(self
                            .error(
                                frame,
                                *pos,
                                &context,
                                format!("template {} not defined", crate::gofmt::go_quote(name)),
                            )
                            .into());
                    };
                    if self.depth >= MAX_TEMPLATE_DEPTH {
                        return Err(self
                            .error(
                                frame,
                                *pos,
                                &context,
                                format!("exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})"),
                            )
                            .into());
                    }
                    let data = match pipe {
                        Some(p) => self.pipeline(frame, dot, p)?,
                        None => Value::UNDEFINED,
                    };
                    self.depth += 1;
                    self.deepest.reach(self.depth as u64);
                    let result = self.execute(&template, data, out);
                    self.depth -= 1;
                    result?;
                }
                Node::Break => return Err(Flow::Break),
                Node::Continue => return Err(Flow::Continue),
            }
        }
        Ok(())
    }

    fn range(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        branch: &super::parse::Branch,
        out: &mut String,
    ) -> std::result::Result<(), Flow> {
        let value = self.pipeline(frame, dot, &branch.pipe)?;
        let items: Vec<(Value, Value)> = match value.kind() {
            ValueKind::Undefined | ValueKind::None => Vec::new(),
            ValueKind::Seq | ValueKind::Iterable => value
                .try_iter()
                .map(|it| {
                    it.enumerate()
                        .map(|(i, v)| (funcs::go_int(i as i64), v))
                        .collect()
                })
                .unwrap_or_default(),
            ValueKind::Map => crate::gofmt::sorted_map(&value)
                .into_iter()
                .map(|(k, v)| (Value::from(k), v))
                .collect(),
            ValueKind::Number if value.is_integer() => {
                let n = value.as_i64().unwrap_or(0);
                if branch.pipe.decl.len() > 1 {
                    return Err(self
                        .pipe_error(
                            frame,
                            &branch.pipe,
                            format!(
                                "can't use {} to iterate over more than one variable",
                                print_value(&value)
                            ),
                        )
                        .into());
                }
                // Go counts in the integer's own type (`range 3` gives ints, a `--set`
                // integer int64s).
                let typed = |i: i64| match funcs::go_int_type(&value) {
                    Some(funcs::GoInt::Int) => funcs::go_int(i),
                    Some(funcs::GoInt::Uint8) => funcs::go_byte(i as u8),
                    _ => Value::from(i),
                };
                (0..n.max(0)).map(|i| (typed(i), typed(i))).collect()
            }
            _ => {
                return Err(self
                    .pipe_error(
                        frame,
                        &branch.pipe,
                        format!("range can't iterate over {}", print_value(&value)),
                    )
                    .into());
            }
        };
        if items.is_empty() {
            if let Some(else_list) = &branch.else_list {
                return self.walk(frame, dot, else_list, out);
            }
            return Ok(());
        }
        let mark = frame.vars.len();
        let decl = &branch.pipe.decl;
        for (index, item) in items {
            // The pipeline declared the variables; each iteration sets them.
            if let Some(last) = decl.last() {
                set_top(frame, mark, last, item.clone());
            }
            if decl.len() > 1 {
                set_top(frame, mark, &decl[0], index);
            }
            let result = self.walk(frame, &item, &branch.list, out);
            frame.vars.truncate(mark);
            match result {
                Ok(()) | Err(Flow::Continue) => {}
                Err(Flow::Break) => break,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// A pipeline's value, with its variables declared or assigned.
    fn pipeline(&mut self, frame: &mut Frame, dot: &Value, pipe: &Pipe) -> Result<Value> {
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = self.command(frame, dot, cmd, value.take())?;
            value = Some(dig(v));
        }
        let value = value.unwrap_or(Value::UNDEFINED);
        for name in &pipe.decl {
            if pipe.assign {
                if let Some(slot) = frame.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    slot.1 = value.clone();
                } else {
                    return Err(self.pipe_error(
                        frame,
                        pipe,
                        format!("undefined variable: {name}"),
                    ));
                }
            } else {
                frame.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn command(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        cmd: &Cmd,
        last: Option<Value>,
    ) -> Result<Value> {
        let first = &cmd.args[0];
        match &first.arg {
            Arg::Field(names) => {
                self.field_chain(frame, dot, dot.clone(), first, names, true, &cmd.args, last)
            }
            Arg::Variable(name, fields) => {
                let value = self.variable(frame, first.pos, name)?;
                if fields.is_empty() {
                    self.not_a_function(frame, cmd, &last)?;
                    return Ok(value);
                }
                self.field_chain(frame, dot, value, first, fields, true, &cmd.args, last)
            }
            Arg::Identifier(ident) => {
                self.function(frame, dot, first, cmd, ident, &cmd.args[1..], last)
            }
            Arg::Pipe(pipe, fields) => {
                if fields.is_empty() {
                    self.not_a_function(frame, cmd, &last)?;
                    return self.pipeline(frame, dot, pipe);
                }
                let value = dig(self.pipeline(frame, dot, pipe)?);
                // Go's state still stands on the pipeline's last node.
                let at = last_node(pipe);
                let at = Operand {
                    pos: at.0,
                    arg: Arg::Identifier(at.1.as_str().into()),
                };
                self.field_chain(frame, dot, value, &at, fields, true, &cmd.args, last)
            }
            Arg::Nil => {
                self.not_a_function(frame, cmd, &last)?;
                Err(self.error(frame, first.pos, "nil", "nil is not a command"))
            }
            Arg::Dot => {
                self.not_a_function(frame, cmd, &last)?;
                Ok(dot.clone())
            }
            _ => {
                self.not_a_function(frame, cmd, &last)?;
                self.constant(frame, first)
            }
        }
    }

    fn not_a_function(&self, frame: &Frame, cmd: &Cmd, last: &Option<Value>) -> Result<()> {
        if cmd.args.len() > 1 || last.is_some() {
            let first = operand_string(&cmd.args[0]);
            return Err(self.error(
                frame,
                cmd.args[0].pos,
                &first,
                format!("can't give argument to non-function {first}"),
            ));
        }
        Ok(())
    }

    fn variable(&self, frame: &Frame, pos: usize, name: &str) -> Result<Value> {
        match frame.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(self.error(frame, pos, name, format!("undefined variable: {name}"))),
        }
    }

    /// A constant operand: Go's ideal constants (ints stay `int`, `1e3` and `1.5` are
    /// `float64`, `'a'` is a rune, which prints as its number).
    fn constant(&self, frame: &Frame, op: &Operand) -> Result<Value> {
        Ok(match &op.arg {
            Arg::Bool(b) => Value::from(*b),
            Arg::String { value, .. } => value.clone(),
            Arg::Number(n) => {
                let text = &n.text;
                let hex_int = text.len() > 2
                    && (text.starts_with("0x") || text.starts_with("0X"))
                    && !text.contains(['p', 'P']);
                if let Some((re, im)) = n.parts {
                    return Ok(Value::from_object(funcs::Complex(re, im)));
                }
                if n.float.is_some()
                    && !hex_int
                    && !n.rune
                    && text.contains(['.', 'e', 'E', 'p', 'P'])
                {
                    Value::from(n.float.unwrap_or(0.0))
                } else if let Some(i) = n.int {
                    funcs::go_int(i)
                } else if n.uint.is_some() {
                    return Err(self.error(frame, op.pos, text, format!("{text} overflows int")));
                } else {
                    Value::from(n.float.unwrap_or(0.0))
                }
            }
            _ => Value::UNDEFINED,
        })
    }

    /// `.a.b.c` on `receiver`, the last field given the command's arguments.
    #[allow(clippy::too_many_arguments)]
    fn field_chain(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        mut receiver: Value,
        node: &Operand,
        names: &[String],
        own_type: bool,
        args: &[Operand],
        last: Option<Value>,
    ) -> Result<Value> {
        let n = names.len();
        // A value read from a map is typed `interface{}`; a struct's field, dot, a
        // variable and a function's result have their own types (Go names one or the
        // other when a field is missing). Range elements are `interface{}` too.
        let mut via_interface = !own_type;
        for (i, name) in names.iter().enumerate() {
            let final_field = i + 1 == n;
            let (call_args, call_last) = if final_field {
                (args, last.clone())
            } else {
                (&args[..0], None)
            };
            let next_via = receiver.downcast_object_ref::<funcs::Dict>().is_some()
                || (receiver.kind() == ValueKind::Map && !objects::is_struct(&receiver));
            receiver = self.field(
                frame,
                dot,
                &receiver,
                name,
                node,
                call_args,
                call_last,
                via_interface,
            )?;
            via_interface = next_via;
        }
        Ok(receiver)
    }

    /// A map's entry read with arguments: a map has no methods.
    #[cold]
    fn not_a_method(&self, frame: &Frame, node: &Operand, name: &str) -> ExecError {
        self.error(
            frame,
            node.pos,
            Shown(node),
            format!("{name} is not a method but has arguments"),
        )
    }

    /// A map's key that is not there: an error under `missingkey=error`, else the zero
    /// of the map's element type.
    fn missing_key(&self, frame: &Frame, node: &Operand, map: &Value, name: &str) -> Result<Value> {
        if self.strict {
            return Err(self.error(
                frame,
                node.pos,
                Shown(node),
                format!("map has no entry for key {}", crate::gofmt::go_quote(name)),
            ));
        }
        Ok(objects::missing_entry(map))
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        receiver: &Value,
        name: &str,
        node: &Operand,
        args: &[Operand],
        last: Option<Value>,
        via_interface: bool,
    ) -> Result<Value> {
        // What Go shows of the node, made only when there is an error to show.
        let context = &Shown(node);
        // `args` holds the command's words after the first, as Go's `args[1:]`.
        let extra = if args.is_empty() { &[][..] } else { &args[1..] };
        let has_args = !extra.is_empty() || last.is_some();
        // A map of the values or of `dict` (most lookups): no method, no struct, so only
        // the map's own rules below apply; read without the checks for other kinds.
        if let Some(dict) = receiver.downcast_object_ref::<funcs::Dict>() {
            if has_args {
                return Err(self.not_a_method(frame, node, name));
            }
            return match dict.get(name) {
                Some(found) if !found.is_undefined() => Ok(found),
                _ => self.missing_key(frame, node, receiver, name),
            };
        }
        match receiver.kind() {
            ValueKind::Undefined => {
                if self.strict {
                    return Err(self.error(
                        frame,
                        node.pos,
                        context,
                        format!(
                            "nil data; no entry for key {}",
                            crate::gofmt::go_quote(name)
                        ),
                    ));
                }
                return Ok(Value::UNDEFINED);
            }
            ValueKind::None => {
                return Err(self.error(
                    frame,
                    node.pos,
                    context,
                    format!("nil pointer evaluating interface {{}}.{name}"),
                ));
            }
            _ => {}
        }
        if let Some(method) = objects::method(receiver, name) {
            let want = method.arity();
            let given = extra.len() + usize::from(last.is_some());
            if given != want {
                return Err(self.error(
                    frame,
                    node.pos,
                    context,
                    format!("wrong number of args for {name}: want {want} got {given}"),
                ));
            }
            // Every method of Helm's objects that takes an argument takes a string.
            let mut values = Vec::new();
            for op in extra {
                self.check_constant(frame, op, Param::S)?;
                let value = self.arg(frame, dot, op)?;
                self.check_type(frame, op.pos, Shown(op), &value, Param::S)?;
                values.push(value);
            }
            if let Some(v) = last {
                let (pos, shown) = match extra.last() {
                    Some(op) => (op.pos, Shown(op)),
                    None => (node.pos, Shown(node)),
                };
                self.check_type(frame, pos, shown, &v, Param::S)?;
                values.push(v);
            }
            return self.call_method(frame, node, method, name, values);
        }
        if receiver.kind() == ValueKind::Map && !objects::is_struct(receiver) {
            if has_args {
                return Err(self.not_a_method(frame, node, name));
            }
            let found = receiver.get_attr(name).unwrap_or(Value::UNDEFINED);
            if found.is_undefined() {
                return self.missing_key(frame, node, receiver, name);
            }
            return Ok(found);
        }
        if objects::is_struct(receiver) {
            let found = receiver.get_attr(name).unwrap_or(Value::UNDEFINED);
            if !found.is_undefined() {
                if has_args {
                    return Err(self.error(
                        frame,
                        node.pos,
                        context,
                        format!("{name} has arguments but cannot be invoked as function"),
                    ));
                }
                return Ok(found);
            }
        }
        let type_name = if via_interface {
            "interface {}".to_string()
        } else {
            objects::go_type(receiver)
        };
        Err(self.error(
            frame,
            node.pos,
            context,
            format!("can't evaluate field {name} in type {type_name}"),
        ))
    }

    fn call_method(
        &mut self,
        frame: &Frame,
        node: &Operand,
        method: Method,
        name: &str,
        args: Vec<Value>,
    ) -> Result<Value> {
        let want = method.arity();
        if args.len() != want {
            return Err(self.error(
                frame,
                node.pos,
                operand_string(node),
                format!(
                    "wrong number of args for {name}: want {want} got {}",
                    args.len()
                ),
            ));
        }
        method.call(&args).map_err(|m| {
            self.error(
                frame,
                node.pos,
                operand_string(node),
                format!("error calling {name}: {m}"),
            )
        })
    }

    /// An argument's value as a function receives it: no value becomes nil.
    fn arg(&mut self, frame: &mut Frame, dot: &Value, op: &Operand) -> Result<Value> {
        let v = match &op.arg {
            Arg::Dot => dot.clone(),
            Arg::Nil => Value::from(()),
            Arg::Field(names) => {
                let single = std::slice::from_ref(op);
                self.field_chain(frame, dot, dot.clone(), op, names, true, single, None)?
            }
            Arg::Variable(name, fields) => {
                let value = self.variable(frame, op.pos, name)?;
                if fields.is_empty() {
                    value
                } else {
                    self.field_chain(frame, dot, value, op, fields, true, &[], None)?
                }
            }
            Arg::Pipe(pipe, fields) => {
                let value = self.pipeline(frame, dot, pipe)?;
                if fields.is_empty() {
                    value
                } else {
                    self.field_chain(frame, dot, dig(value), op, fields, true, &[], None)?
                }
            }
            Arg::Identifier(ident) => {
                let cmd = Cmd {
                    pos: op.pos,
                    args: vec![op.clone()],
                };
                self.function(frame, dot, op, &cmd, ident, &[], None)?
            }
            _ => self.constant(frame, op)?,
        };
        Ok(if v.is_undefined() { Value::from(()) } else { v })
    }

    /// Go's check of a constant argument against a typed parameter: a string parameter
    /// takes only a string constant, an `int` one only an integer constant.
    fn check_constant(&self, frame: &Frame, op: &Operand, param: Param) -> Result<()> {
        let ok = match (&op.arg, param) {
            (Arg::String { .. }, Param::S) => true,
            (Arg::Number(n), Param::I) => n.int.is_some(),
            (Arg::Bool(_) | Arg::Number(_) | Arg::String { .. }, _) => false,
            (Arg::Nil, _) => {
                let want = if param == Param::S { "string" } else { "int" };
                return Err(self.error(
                    frame,
                    op.pos,
                    "nil",
                    format!("cannot assign nil to {want}"),
                ));
            }
            _ => true,
        };
        if ok {
            return Ok(());
        }
        let shown = operand_string(op);
        let want = if param == Param::S {
            "string"
        } else {
            "integer"
        };
        Err(self.error(
            frame,
            op.pos,
            &shown,
            format!("expected {want}; found {shown}"),
        ))
    }

    /// Go's `validateType`: a value must have the parameter's type (`int` is not `int64`
    /// or `float64`; nil is not a string).
    fn check_type(
        &self,
        frame: &Frame,
        pos: usize,
        context: impl std::fmt::Display,
        v: &Value,
        param: Param,
    ) -> Result<()> {
        let is_text = v.kind() == ValueKind::String
            || v.downcast_object_ref::<crate::gofmt::RawText>().is_some();
        let ok = match param {
            Param::S => is_text,
            Param::I => funcs::is_go_int(v),
            Param::A => true,
        };
        if ok {
            return Ok(());
        }
        let want = if param == Param::S { "string" } else { "int" };
        if v.is_undefined() {
            return Err(self.error(
                frame,
                pos,
                context,
                format!("invalid value; expected {want}"),
            ));
        }
        let got = if v.is_none() {
            "interface {}".to_string()
        } else {
            crate::engine::funcs::type_name(v).to_string()
        };
        Err(self.error(
            frame,
            pos,
            context,
            format!("wrong type for value; expected {want}; got {got}"),
        ))
    }

    /// A function call: Go's `and`/`or` (which stop at the first deciding argument),
    /// Helm's `include`/`tpl`, else the registry.
    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        frame: &mut Frame,
        dot: &Value,
        ident: &Operand,
        cmd: &Cmd,
        function: &Ident,
        args: &[Operand],
        last: Option<Value>,
    ) -> Result<Value> {
        let name = function.name.as_str();
        let count = args.len() + usize::from(last.is_some());
        if name == "and" || name == "or" {
            if count == 0 {
                return Err(self.error(
                    frame,
                    ident.pos,
                    name,
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            let want_truth = name == "or";
            let mut value = Value::from(());
            for op in args {
                value = self.arg(frame, dot, op)?;
                if truth(&value) == want_truth {
                    return Ok(value);
                }
            }
            if let Some(v) = last {
                value = v;
            }
            return Ok(value);
        }
        // Go checks the count of a variadic builtin's fixed arguments before the call.
        let least = match name {
            "eq" | "index" | "slice" | "printf" | "call" => 1,
            _ => 0,
        };
        if count < least {
            return Err(self.error(
                frame,
                ident.pos,
                name,
                format!("wrong number of args for {name}: want at least {least} got {count}"),
            ));
        }
        let params = super::signature::params(name).unwrap_or(&[]);
        let mut values = Vec::with_capacity(count);
        for (i, op) in args.iter().enumerate() {
            let param = params.get(i).copied().unwrap_or(Param::A);
            if param != Param::A {
                self.check_constant(frame, op, param)?;
            }
            let value = self.arg(frame, dot, op)?;
            if param != Param::A {
                self.check_type(frame, op.pos, Shown(op), &value, param)?;
            }
            values.push(value);
        }
        if let Some(v) = last {
            let param = params.get(values.len()).copied().unwrap_or(Param::A);
            if param != Param::A {
                // Go's state stands on the last argument, or on the function.
                match args.last() {
                    Some(op) => self.check_type(frame, op.pos, Shown(op), &v, param)?,
                    None => self.check_type(frame, ident.pos, name, &v, param)?,
                }
            }
            values.push(if v.is_undefined() { Value::from(()) } else { v });
        }
        let fail = |exec: &Exec, frame: &Frame, message: String| {
            exec.error(
                frame,
                cmd.pos,
                cmd_string(cmd),
                format!("error calling {name}: {message}"),
            )
        };
        match name {
            "include" | "tpl" => {
                if values.len() != 2 {
                    return Err(self.error(
                        frame,
                        ident.pos,
                        name,
                        format!(
                            "wrong number of args for {name}: want 2 got {}",
                            values.len()
                        ),
                    ));
                }
                let data = values.pop().unwrap_or_default();
                let data = if data.is_none() {
                    Value::UNDEFINED
                } else {
                    data
                };
                let first = values.pop().unwrap_or_default();
                let Some(text) = first.as_str() else {
                    return Err(self.error(
                        frame,
                        ident.pos,
                        operand_string(&args[0]),
                        format!(
                            "wrong type for value; expected string; got {}",
                            objects::go_type(&first)
                        ),
                    ));
                };
                let text = text.to_string();
                let host = self.host;
                let result = if name == "include" {
                    host.include(self, &text, data)
                } else {
                    host.tpl(self, &text, data)
                };
                result.map(Value::from).map_err(|m| fail(self, frame, m))
            }
            "required" | "fail" => {
                let call = function
                    .call
                    .ok_or_else(|| fail(self, frame, "not found".into()))?;
                funcs::invoke(call, self.ctx, &values).map_err(|e| {
                    let message = e
                        .detail()
                        .map(str::to_string)
                        .unwrap_or_else(|| e.to_string());
                    if message.starts_with("wrong number of args")
                        || message.starts_with(&format!("{name}:"))
                    {
                        fail(self, frame, message)
                    } else {
                        fail(self, frame, format!("{WARN_START}{message}{WARN_END}"))
                    }
                })
            }
            "call" => {
                // Values never hold functions: Go's messages for what they hold.
                let callee = args.first().map(operand_string).unwrap_or_default();
                let message = match values.first() {
                    Some(v) if v.is_none() || v.is_undefined() => "call of nil".to_string(),
                    Some(v) => format!("non-function {callee} of type {}", objects::go_type(v)),
                    None => "call of nil".to_string(),
                };
                Err(fail(self, frame, message))
            }
            _ => {
                // The Go engine's integers carry their Go types (`printf_typed`).
                let call = if name == "printf" {
                    Some(funcs::Call::Pure(funcs::printf_typed))
                } else {
                    function.call
                };
                let Some(call) = call else {
                    return Err(self.error(
                        frame,
                        ident.pos,
                        name,
                        format!("{} is not a defined function", crate::gofmt::go_quote(name)),
                    ));
                };
                let decodes = matches!(
                    name,
                    "fromYaml" | "fromJson" | "fromYamlArray" | "fromJsonArray" | "mustFromJson"
                );
                let result = funcs::invoke(call, self.ctx, &values);
                let result = if decodes {
                    result.map(objects::decoded)
                } else {
                    result
                };
                result.map_err(|e| {
                    let message = e
                        .detail()
                        .map(str::to_string)
                        .unwrap_or_else(|| e.to_string());
                    // A wrong argument count is Go's own check, made before the call.
                    let arity = message
                        .strip_prefix(name)
                        .and_then(|m| m.strip_prefix(": wrong number of args: "));
                    match arity {
                        Some(counts) => self.error(
                            frame,
                            ident.pos,
                            name,
                            format!(
                                "wrong number of args for {name}: {}",
                                counts.replace(", got", " got")
                            ),
                        ),
                        None => fail(self, frame, message),
                    }
                })
            }
        }
    }
}

/// Sets the variable `name` declared at or after `mark - decl` (range's own).
fn set_top(frame: &mut Frame, mark: usize, name: &str, value: Value) {
    if let Some(slot) = frame.vars[..mark].iter_mut().rev().find(|(n, _)| n == name) {
        slot.1 = value;
    }
}

/// Go's pipeline step "dig into an interface{}": a nil interface is no value.
fn dig(v: Value) -> Value {
    if v.is_none() { Value::UNDEFINED } else { v }
}

/// Go's truth of a value (`if`, `with`, `and`, `or`, `not`).
pub fn truth(v: &Value) -> bool {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => false,
        ValueKind::Bool => v.is_true(),
        ValueKind::Number => v.is_true(),
        ValueKind::String => !v.as_str().unwrap_or_default().is_empty(),
        ValueKind::Bytes => !v.as_bytes().unwrap_or_default().is_empty(),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => {
            objects::is_struct(v) || v.len().is_none_or(|n| n > 0)
        }
        _ => match v.downcast_object_ref::<funcs::Complex>() {
            Some(c) => c.0 != 0.0 || c.1 != 0.0,
            None => true,
        },
    }
}

/// What an action prints: Go's `fmt.Fprint` of the value, `<no value>` for none.
pub fn print_value(v: &Value) -> String {
    // Go's template printing calls a `String` method where fmt would show fields.
    if let Some(s) = v.downcast_object_ref::<crate::gofmt::Stringer>() {
        return s.text.clone();
    }
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => "<no value>".into(),
        ValueKind::String => v.as_str().unwrap_or_default().to_string(),
        _ => crate::gofmt::go_string(v),
    }
}

/// An operand as error contexts show it, written only when an error is.
struct Shown<'a>(&'a Operand);

/// A `{{template}}` node as error contexts show it, written only when an error is.
struct TemplateShown<'a>(&'a str, Option<&'a Pipe>);

impl std::fmt::Display for TemplateShown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&template_context(self.0, self.1))
    }
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&operand_string(self.0))
    }
}

/// Go's `String()` of an operand, as error contexts show it.
pub fn operand_string(op: &Operand) -> String {
    match &op.arg {
        Arg::Field(names) => names.iter().map(|n| format!(".{n}")).collect(),
        Arg::Variable(name, fields) => {
            let mut s = name.clone();
            for f in fields {
                s.push('.');
                s.push_str(f);
            }
            s
        }
        Arg::Dot => ".".into(),
        Arg::Nil => "nil".into(),
        Arg::Bool(b) => b.to_string(),
        Arg::Number(n) => n.text.clone(),
        Arg::String { value, written } => written.text(value),
        Arg::Identifier(ident) => ident.name.clone(),
        Arg::Pipe(pipe, fields) => {
            let mut s = format!("({})", pipe_string(pipe));
            for f in fields {
                s.push('.');
                s.push_str(f);
            }
            s
        }
    }
}

fn cmd_string(cmd: &Cmd) -> String {
    cmd.args
        .iter()
        .map(operand_string)
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn pipe_string(pipe: &Pipe) -> String {
    let mut s = String::new();
    if !pipe.decl.is_empty() {
        s.push_str(&pipe.decl.join(", "));
        s.push_str(if pipe.assign { " = " } else { " := " });
    }
    s.push_str(
        &pipe
            .cmds
            .iter()
            .map(cmd_string)
            .collect::<Vec<_>>()
            .join(" | "),
    );
    s
}

fn template_context(name: &str, pipe: Option<&Pipe>) -> String {
    match pipe {
        Some(p) => format!(
            "{{{{template {} {}}}}}",
            crate::gofmt::go_quote(name),
            pipe_string(p)
        ),
        None => format!("{{{{template {}}}}}", crate::gofmt::go_quote(name)),
    }
}

/// The node Go's state last stood on after evaluating `pipe` (where it reports what
/// goes wrong with the pipeline's value): the last argument of the last command, its
/// function when it has none, or its operand.
fn last_node(pipe: &Pipe) -> (usize, String) {
    let Some(cmd) = pipe.cmds.last() else {
        return (pipe.pos, pipe_string(pipe));
    };
    let op = match &cmd.args[0].arg {
        Arg::Identifier(_) => cmd.args.last(),
        _ => cmd.args.first(),
    };
    match op {
        Some(op) => (op.pos, operand_string(op)),
        None => (cmd.pos, cmd_string(cmd)),
    }
}

/// How helm 4 prints an execution error: `execution error at (<location>): <message>`
/// for `required` and `fail`; Go's one-line text when the innermost failure is an error
/// a function returned (`error calling eq: …`); otherwise one block per template the
/// failure passed through (`include` nests them), each as
/// `<location>\n  executing "<name>" at <<node>>:\n    <message>`.
pub fn helm_exec_message(text: &str) -> String {
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() == 3
        && let Some(start) = tokens[2].find(WARN_START)
        && let Some(end) = tokens[2].rfind(WARN_END)
        && end >= start + WARN_START.len()
    {
        return format!(
            "execution error at ({}): {}",
            tokens[1],
            &tokens[2][start + WARN_START.len()..end]
        );
    }
    const INCLUDE: &str = "error calling include: ";
    let segments: Vec<&str> = text.split(INCLUDE).collect();
    let blocks: Vec<Option<(&str, &str, &str)>> = segments.iter().map(|s| exec_parts(s)).collect();
    let last = segments.len() - 1;
    let innermost_is_own = match blocks[last] {
        Some((_, _, message)) => !message.starts_with("error calling "),
        None => segments[last].starts_with("template: no template "),
    };
    if !innermost_is_own || blocks[..last].iter().any(Option::is_none) {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Some((location, head, message)) => {
                let message = if i < last {
                    "error calling include:"
                } else {
                    message
                };
                out.push_str(&format!("{location}\n  {head}:\n    {message}\n"));
            }
            None => {
                out.push_str(segments[i]);
                out.push('\n');
            }
        }
    }
    out.trim().to_string()
}

/// `template: <location>: executing "<name>" at <<node>>: <message>` split into the
/// location, `executing "<name>" at <<node>>` and the message.
fn exec_parts(segment: &str) -> Option<(&str, &str, &str)> {
    let rest = segment.strip_prefix("template: ")?;
    let (location, rest) = rest.split_once(": executing ")?;
    let at = rest.find(" at <")?;
    let close = rest[at..].find(">: ")? + at;
    let head_end = close + 1;
    let head = &segment[segment.len() - rest.len() - "executing ".len()..]
        [..("executing ".len() + head_end)];
    let message = &rest[close + ">: ".len()..];
    Some((location, head, message))
}
