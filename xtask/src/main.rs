//! `cargo xtask`: the project's own commands. See the library for what each does.

use std::process::ExitCode;

// Generating code allocates a great deal (proc-macro2 tokens, syn's trees,
// prettyplease's buffers) on two threads; mimalloc takes about a fifth off the
// generator's time compared with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match xtask::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // IDL syntax errors come written as rustc writes its own, `error:` first.
            if message.starts_with("error: ") {
                eprintln!("{message}");
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}
