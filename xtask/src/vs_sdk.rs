//! `cargo xtask bench --vs-sdk`: the generated client side by side with the official
//! AWS SDK for Rust, by the bench crate `xtask/vs-sdk-bench` (outside the workspace, not
//! run in CI: the SDK takes minutes to build).

use crate::repo_root;
use std::process::Command;

/// Builds and runs `xtask/vs-sdk-bench` in release mode, with its own target directory
/// (`target/vs-sdk`); its `name ours sdk unit ratio` lines go to stdout as it prints
/// them.
pub fn vs_sdk() -> Result<(), String> {
    let root = repo_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    eprintln!(
        "building xtask/vs-sdk-bench in release (the first build of the official SDK takes minutes)"
    );
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "run",
            "--release",
            "--manifest-path",
            "xtask/vs-sdk-bench/Cargo.toml",
        ])
        .env("CARGO_TARGET_DIR", root.join("target").join("vs-sdk"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the side-by-side benchmark failed ({status})"))
    }
}
