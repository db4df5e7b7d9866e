//! The Go-template engine: Helm's own dialect (text/template as Go 1.24 has it), so
//! charts that exist render unmodified. It is being built in steps; the lexer comes
//! first (`lex`), the parser and the evaluator over the shared objects and function
//! registry next. Charts in this dialect are refused until the evaluator lands.

pub mod lex;
