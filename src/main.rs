//! The `claimdesk` binary: GUI with no arguments (or `open PATH`), headless subcommands otherwise.

mod bench;
mod bench_factchecks;
mod cli;

use clap::Parser as _;
use cli::{Cli, Command};

/// mimalloc: analysing a corpus makes many small, short-lived allocations per sentence.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        None => gui(None, Vec::new()),
        Some(Command::Open {
            path,
            allow_outside,
        }) => gui(Some(path), allow_outside),
        #[cfg(feature = "gui")]
        Some(Command::Bench { name, .. }) if name == "frame" => {
            claimdesk_gui::bench::frame();
            0
        }
        Some(command) => match cli::run(command) {
            Ok(code) => code,
            Err(err) => {
                eprintln!("claimdesk: {err:#}");
                cli::exit_code(&err)
            }
        },
    };
    std::process::exit(code);
}

#[cfg(feature = "gui")]
fn gui(path: Option<std::path::PathBuf>, allow_outside: Vec<std::path::PathBuf>) -> i32 {
    match claimdesk_gui::run_native(path, allow_outside) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("claimdesk: cannot start the window: {err:#}");
            1
        }
    }
}

#[cfg(not(feature = "gui"))]
fn gui(_: Option<std::path::PathBuf>, _: Vec<std::path::PathBuf>) -> i32 {
    eprintln!(
        "claimdesk: this build has no GUI (built without the `gui` feature); use a subcommand, see --help"
    );
    2
}
