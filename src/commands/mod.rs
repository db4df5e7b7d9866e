//! One module per subcommand: validated options in, calls into the library, output out.

pub mod dependency;
pub mod diff;
pub mod package;
pub mod render;
pub mod template;
