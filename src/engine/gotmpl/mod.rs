//! The Go-template engine: Helm's own dialect (text/template as Go 1.24 has it), so
//! charts that exist render unmodified. It is being built in steps: the lexer (`lex`)
//! and the parser (`parse`: trees per template name, Go's checks and messages) are in;
//! the evaluator over the shared objects and function registry comes next. Charts in
//! this dialect are refused until it lands.

pub mod lex;
pub mod number;
pub mod parse;
