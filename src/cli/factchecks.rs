//! `claimdesk factchecks …`: the fact-check library from the command line.
//!
//! Output shapes (`import --json`, `list --json`, `match --json`) are contracts for scripts:
//! extend them only by adding fields.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use serde::Serialize;

use claimdesk_factchecks::library::{self, Library};
use claimdesk_factchecks::project::{self as matching, ClaimResult};

#[derive(Args, Debug)]
pub struct FactchecksArgs {
    /// The library file (default: $CLAIMDESK_FACTCHECK_LIBRARY, else factchecks.sqlite in the
    /// user's data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub library: Option<PathBuf>,
    #[command(subcommand)]
    pub command: FactchecksCommand,
}

#[derive(Subcommand, Debug)]
pub enum FactchecksCommand {
    /// Add published fact-checks to the library: ClaimReview JSON-LD (an object, an array,
    /// @graph, a DataFeed), HTML pages carrying it, Google Fact Check Tools claims:search
    /// responses, Claimdesk's own `claimreview` exports. A review already there (same URL) is
    /// updated.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the per-file report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the library's fact-checks, or those matching a search.
    List {
        /// Only fact-checks whose claim, claimant or publisher has every word of this.
        #[arg(long, value_name = "Q")]
        query: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Match every claim and claim suggestion of a project (or a folder of articles) against
    /// the library: "checked before", with the matches' scores and why they matched.
    Match {
        project: PathBuf,
        #[arg(long)]
        json: bool,
        /// Print claims without any match too (text output; JSON always has every claim).
        #[arg(long)]
        all: bool,
        #[arg(long = "allow-outside", value_name = "DIR")]
        allow_outside: Vec<PathBuf>,
    },
}

fn open_library(path: Option<PathBuf>) -> Result<Library> {
    let path = match path {
        Some(path) => path,
        None => library::default_path().map_err(anyhow::Error::msg)?,
    };
    Library::open(&path).with_context(|| "cannot open the fact-check library")
}

pub fn run(args: FactchecksArgs) -> Result<i32> {
    let mut library = open_library(args.library)?;
    match args.command {
        FactchecksCommand::Import { files, json } => import(&mut library, &files, json),
        FactchecksCommand::List { query, limit, json } => {
            list(&library, query.as_deref(), limit, json)
        }
        FactchecksCommand::Match {
            project,
            json,
            all,
            allow_outside,
        } => match_project(&library, &project, json, all, allow_outside),
    }
}

fn import(library: &mut Library, files: &[PathBuf], json: bool) -> Result<i32> {
    let reports = library.import_files(files);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else {
        for r in &reports {
            match &r.reason {
                None => writeln!(
                    out,
                    "ok       {} — {} review(s): {} added, {} updated, {} unchanged",
                    r.path, r.reviews, r.added, r.updated, r.unchanged
                )?,
                Some(reason) => writeln!(out, "skipped  {} — {reason}", r.path)?,
            }
            for problem in &r.problems {
                writeln!(out, "         {problem}")?;
            }
        }
        writeln!(
            out,
            "library {}: {} fact-check(s)",
            library.path().display(),
            library.len()?
        )?;
    }
    Ok(0)
}

fn list(library: &Library, query: Option<&str>, limit: usize, json: bool) -> Result<i32> {
    let found = library.list(query, limit)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
    } else {
        for f in &found {
            let c = &f.factcheck;
            writeln!(
                out,
                "{:<14} {} — {}{}",
                c.rating.as_deref().unwrap_or("(no rating)"),
                c.claim,
                c.publisher.as_deref().unwrap_or("?"),
                c.date
                    .as_deref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default()
            )?;
            writeln!(out, "               {}", c.url)?;
        }
    }
    Ok(0)
}

#[derive(Serialize)]
struct MatchOutput<'a> {
    library: String,
    factchecks: usize,
    /// How matching works, for a reader of the output.
    method: &'static str,
    checked_before: usize,
    claims: &'a [ClaimResult],
}

fn match_project(
    library: &Library,
    project: &Path,
    json: bool,
    all: bool,
    allow_outside: Vec<PathBuf>,
) -> Result<i32> {
    let mut ws = super::open_for_cli(project, allow_outside, true)?;
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    let claims = matching::claims_to_match(&mut ws);
    let results = matching::match_claims(library, &claims, &claimdesk_core::progress::Quiet)?
        .context("matching was cancelled")?;
    let checked_before = results.iter().filter(|r| r.checked_before).count();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let output = MatchOutput {
            library: library.path().display().to_string(),
            factchecks: library.len()?,
            method: "lexical: BM25 candidates over stemmed words and figures, scored by IDF-weighted overlap; opposite polarity never matches; no embeddings",
            checked_before,
            claims: &results,
        };
        serde_json::to_writer_pretty(&mut out, &output)?;
        writeln!(out)?;
        return Ok(0);
    }
    for result in &results {
        if result.matches.is_empty() && result.opposite.is_empty() && !all {
            continue;
        }
        let label = if result.checked_before {
            "CHECKED BEFORE"
        } else if result.matches.is_empty() {
            "no match"
        } else {
            "similar"
        };
        writeln!(
            out,
            "{label:<14} [{} {}] {}",
            result.claim.article,
            match result.claim.kind {
                matching::ClaimKind::Claim => "claim",
                matching::ClaimKind::Suggestion => "suggestion",
            },
            result.claim.text
        )?;
        for (found, opposite) in result
            .matches
            .iter()
            .map(|m| (m, false))
            .chain(result.opposite.iter().map(|m| (m, true)))
        {
            let f = &found.factcheck.factcheck;
            writeln!(
                out,
                "  {:.2} {}{} — {}{}: {}",
                found.score,
                if opposite { "OPPOSITE CLAIM, " } else { "" },
                f.rating.as_deref().unwrap_or("(no rating)"),
                f.publisher.as_deref().unwrap_or("?"),
                f.date
                    .as_deref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default(),
                f.claim
            )?;
            writeln!(out, "       {}", f.url)?;
            let why = &found.why;
            let mut parts = Vec::new();
            if !why.names.is_empty() {
                parts.push(format!("names {}", why.names.join(", ")));
            }
            if !why.figures.is_empty() {
                parts.push(format!("figures {}", why.figures.join(", ")));
            }
            if !why.words.is_empty() {
                parts.push(format!("words {}", why.words.join(", ")));
            }
            writeln!(out, "       shared: {}", parts.join("; "))?;
        }
    }
    eprintln!(
        "claimdesk: {} of {} claim(s) and suggestion(s) checked before",
        checked_before,
        results.len()
    );
    Ok(0)
}
