//! The integration tests: the real `rudder` binary run on fixture charts in
//! `testdata/`. One test binary (see `autotests = false`) so there is one link step.

mod support;

mod certificates;
mod charts;
mod corpus;
mod corpus_cases;
mod errors;
mod functions;
mod functions_safety;
mod go_surface;
mod gotmpl;
mod layers;
mod output_dir;
mod package;
mod parity;
mod parity_rows;
mod project;
mod safety;
mod template;
mod trust;
mod yaml_lines;
