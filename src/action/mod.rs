//! The use cases, as library calls with plain request structs (no clap types): render a
//! release, render a project and check or write its folder, compare two sides, resolve
//! dependencies, package and index. `commands/` maps arguments to these and prints.

pub mod clock;
pub mod dependency;
pub mod diff;
pub mod package;
pub mod project;
pub mod release;
