//! `claimdesk sync PROJECT`: commit, fetch, merge with Claimdesk's driver, push, and say what
//! came in. The work is the core's ([`claimdesk_core::sync`]); this prints it.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;

use claimdesk_core::sync::{self, SyncOptions};

#[derive(Args, Debug)]
pub struct SyncArgs {
    #[command(flatten)]
    project: super::edit::ProjectArg,
    /// The remote to sync with (default: the branch's upstream, else `origin`).
    #[arg(long)]
    remote: Option<String>,
    /// Print the report as JSON (what came in, by whom; conflicts to resolve).
    #[arg(long)]
    json: bool,
}

/// Exit 0 when synced (conflicts kept for the analyst are listed, not failures); 2 when the
/// sync could not finish (the message says why and what to do); 3 when another Claimdesk holds
/// the project.
pub fn run(args: SyncArgs) -> Result<i32> {
    let mut ws = super::edit::open_for_edit(&args.project)?;
    let options = SyncOptions {
        remote: args.remote.clone(),
        ..SyncOptions::default()
    };
    let report = sync::sync(&mut ws, &options).with_context(|| {
        format!(
            "sync of {} did not finish; your work is saved",
            args.project_path().display()
        )
    })?;
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    if args.json {
        let stdout = std::io::stdout();
        serde_json::to_writer_pretty(stdout.lock(), &report)?;
        println!();
    } else {
        for line in report.lines() {
            println!("{line}");
        }
    }
    Ok(0)
}

impl SyncArgs {
    fn project_path(&self) -> PathBuf {
        self.project.path().to_path_buf()
    }
}
