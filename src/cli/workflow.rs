//! The editorial workflow on the command line: `claim status|assign|sign-off`, `config` (who
//! the analyst is) and `activity` (who did what, when). Each edit is a core operation, planned
//! and applied like every other `claim` subcommand (journalled, saved, exit 1 when refused).

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};

use claimdesk_core::ops::request::Request;
use claimdesk_core::settings::{self, Analyst, Settings};

use super::edit::{ProjectArg, commit, open_to_read};

#[derive(Subcommand, Debug)]
pub enum WorkflowCommand {
    /// Move a claim along the status scale (to check, in progress, in review, published, or the
    /// project's own). Publishing needs a verdict and at least one evidence item.
    Status {
        #[command(flatten)]
        project: ProjectArg,
        claim: String,
        /// A step of the scale; `in-review` works for "in review".
        status: String,
    },
    /// Set who works on a claim and who reviews it ("" clears one).
    Assign {
        #[command(flatten)]
        project: ProjectArg,
        claim: String,
        #[arg(long)]
        assignee: Option<String>,
        #[arg(long)]
        reviewer: Option<String>,
    },
    /// Sign a claim off as its reviewer (records who and when; `claimdesk config` says who).
    SignOff {
        #[command(flatten)]
        project: ProjectArg,
        claim: String,
    },
    /// Set the project's status scale, in order; the last step publishes.
    StatusScale {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(required = true, num_args = 2..)]
        steps: Vec<String>,
    },
}

pub fn claim(command: WorkflowCommand) -> Result<i32> {
    let (project, request) = match command {
        WorkflowCommand::Status {
            project,
            claim,
            status,
        } => (project, Request::ClaimStatus { claim, status }),
        WorkflowCommand::Assign {
            project,
            claim,
            assignee,
            reviewer,
        } => (
            project,
            Request::ClaimAssign {
                claim,
                assignee,
                reviewer,
            },
        ),
        WorkflowCommand::SignOff { project, claim } => (project, Request::ClaimSignOff { claim }),
        WorkflowCommand::StatusScale { project, steps } => {
            (project, Request::ProjectStatusScale { steps })
        }
    };
    commit(&project, request)?;
    Ok(0)
}

/// `claimdesk config`: who the analyst is, for the who/when on records and sync commits.
#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// Your name as the team knows it (recorded on what you create and change).
    #[arg(long)]
    name: Option<String>,
    /// Your e-mail (with the name, the author of your sync commits).
    #[arg(long, requires = "name")]
    email: Option<String>,
    /// Print the settings as JSON.
    #[arg(long)]
    json: bool,
}

pub fn config(args: ConfigArgs) -> Result<i32> {
    let mut current = Settings::load()?;
    if let Some(name) = &args.name {
        let analyst =
            Analyst::new(name, args.email.as_deref().unwrap_or("")).map_err(anyhow::Error::msg)?;
        current.analyst = Some(analyst);
        let path = current.save()?;
        eprintln!("claimdesk: saved {}", path.display());
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&current)?);
        return Ok(0);
    }
    match &current.analyst {
        Some(analyst) => println!("analyst: {analyst}"),
        None => {
            println!("analyst: not set; set it with `claimdesk config --name NAME --email ADDRESS`")
        }
    }
    if let Some(path) = settings::settings_path() {
        println!("settings: {}", path.display());
    }
    Ok(0)
}

/// `claimdesk activity PROJECT`: who did what, when, newest first.
#[derive(Args, Debug)]
pub struct ActivityArgs {
    #[command(flatten)]
    project: ProjectArg,
    /// At most this many rows.
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long)]
    json: bool,
}

pub fn activity(args: ActivityArgs) -> Result<i32> {
    let ws = open_to_read(&args.project)?;
    let mut rows = claimdesk_core::activity::activity(&ws);
    if let Some(limit) = args.limit {
        rows.truncate(limit);
    }
    if args.json {
        let stdout = std::io::stdout();
        serde_json::to_writer_pretty(stdout.lock(), &rows).context("cannot write the activity")?;
        println!();
        return Ok(0);
    }
    for row in &rows {
        println!("{}", row.line());
    }
    Ok(0)
}
