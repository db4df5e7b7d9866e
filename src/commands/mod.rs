//! One module per subcommand: validated options in, calls into the library, output out.

pub mod dependency;
pub mod diff;
pub mod package;
pub mod render;
pub mod template;

/// The project flags as a request (the clock read once here).
pub fn project_request(
    args: &crate::cli::ProjectArgs,
) -> anyhow::Result<crate::action::project::ProjectRequest> {
    Ok(crate::action::project::ProjectRequest {
        project: args.project.clone(),
        environments: args.env.clone(),
        releases: args.release.clone(),
        funcs: crate::engine::funcs::FuncOptions {
            now: crate::action::clock::now(args.now.as_deref())?,
            seed: args.seed,
        },
    })
}
