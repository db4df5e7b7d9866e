//! Links the `rudder` binary as a position-dependent executable on Linux: a PIE of this
//! size carries some 23 000 relative relocations that the loader applies on every start
//! (about 0.3 ms of a 3 ms render of a small chart). The code stays position-independent;
//! only the final link resolves addresses once.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
