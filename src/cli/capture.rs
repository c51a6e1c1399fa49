//! `claimdesk add-url PROJECT URL...`: articles from the web, each with an archived copy.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use claimdesk_capture::FetchLimits;
use claimdesk_core::project::Capture;

#[derive(Args, Debug)]
pub struct AddUrlArgs {
    /// The project file (.ron); it is saved when an article was added.
    pub project: PathBuf,
    #[arg(required = true)]
    pub urls: Vec<String>,
    /// Print one JSON object per address (in order) as an array.
    #[arg(long)]
    pub json: bool,
    /// Give up on a server silent for this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 20.0)]
    pub stall_timeout: f64,
    /// Give up on a page not fetched within this many seconds in all.
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0)]
    pub timeout: f64,
    /// Refuse pages larger than this many bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_bytes: Option<u64>,
    #[arg(long = "allow-outside", value_name = "DIR")]
    pub allow_outside: Vec<PathBuf>,
}

/// One address's outcome, as printed by `add-url --json`.
#[derive(Serialize)]
struct Outcome {
    url: String,
    /// "ok" or "failed".
    status: &'static str,
    /// The new article's id.
    article: Option<String>,
    title: Option<String>,
    capture: Option<Capture>,
    reason: Option<String>,
}

fn seconds(value: f64) -> Duration {
    Duration::from_secs_f64(value.clamp(0.001, 86_400.0))
}

/// Exit 0 when every address was added, 1 when some failed (the others are still added).
pub fn run(args: AddUrlArgs) -> Result<i32> {
    let mut ws = super::open_for_cli(&args.project, args.allow_outside, false)?;
    if let Some(reason) = ws.read_only_reason() {
        anyhow::bail!(
            "cannot add articles to {}: {reason}",
            args.project.display()
        );
    }
    let defaults = FetchLimits::default();
    let limits = FetchLimits {
        stall_timeout: seconds(args.stall_timeout),
        total_timeout: seconds(args.timeout),
        max_body_bytes: args.max_bytes.unwrap_or(defaults.max_body_bytes),
        max_decoded_bytes: args.max_bytes.unwrap_or(defaults.max_decoded_bytes),
        ..defaults
    };
    let mut outcomes = Vec::new();
    for url in &args.urls {
        let outcome = match claimdesk_capture::add_url(
            &mut ws,
            url,
            &limits,
            &claimdesk_core::progress::Quiet,
        ) {
            Ok(added) => Outcome {
                url: url.clone(),
                status: "ok",
                article: Some(added.article),
                title: Some(added.title),
                capture: Some(added.capture),
                reason: None,
            },
            Err(err) => Outcome {
                url: url.clone(),
                status: "failed",
                article: None,
                title: None,
                capture: None,
                reason: Some(err.to_string()),
            },
        };
        outcomes.push(outcome);
    }
    let added = outcomes.iter().filter(|o| o.status == "ok").count();
    if added > 0 {
        ws.save()?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &outcomes)?;
        writeln!(out)?;
    } else {
        for o in &outcomes {
            match (&o.capture, &o.reason) {
                (Some(capture), _) => writeln!(
                    out,
                    "added    {} — {} ({}, {} {}, archived in {})",
                    o.url,
                    o.title.as_deref().unwrap_or(""),
                    capture.retrieved_at,
                    capture.status,
                    capture.content_hash,
                    capture.archive
                )?,
                (None, reason) => writeln!(
                    out,
                    "failed   {} — {}",
                    o.url,
                    reason.as_deref().unwrap_or("")
                )?,
            }
        }
    }
    Ok(if added == outcomes.len() { 0 } else { 1 })
}
