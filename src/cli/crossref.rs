//! `claimdesk crossref PATH... [--json]`: the cross-article links of the app's "Across
//! articles" tab, headless: the same quote or claim, the same event, names written several ways,
//! figures that disagree (with why) and figures reported over time. The same code as the app
//! (`analysis::crossref::link_all`).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use claimdesk_core::analysis::{KnownNames, crossref};
use claimdesk_core::corpus::{self, ImportLimits};
use claimdesk_core::progress::Observer;

/// Reports progress on stderr when asked (`CLAIMDESK_PROGRESS=1`), else stays quiet.
struct Progress {
    loud: bool,
}

impl Observer for Progress {
    fn progress(&self, done: usize, total: usize, what: &str) {
        if self.loud && (done.is_multiple_of(500) || done + 1 == total) {
            eprintln!("claimdesk: {what} {done}/{total}");
        }
    }

    fn cancelled(&self) -> bool {
        false
    }
}

pub fn run(paths: &[PathBuf], json: bool) -> Result<i32> {
    let (articles, reports) = corpus::import_paths(paths, &ImportLimits::default(), |_, _| true);
    for skipped in reports
        .iter()
        .filter(|r| r.status == corpus::ImportStatus::Skipped)
    {
        eprintln!(
            "claimdesk: skipped {}: {}",
            skipped.path,
            skipped.reason.as_deref().unwrap_or("unreadable")
        );
    }
    let input: Vec<_> = articles
        .into_iter()
        .map(|a| (std::sync::Arc::new(a), None))
        .collect();
    let observer = Progress {
        loud: std::env::var_os("CLAIMDESK_PROGRESS").is_some(),
    };
    let links = crossref::link_all(&input, &KnownNames::default(), &observer)
        .expect("a quiet link is never cancelled");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer(&mut out, &links)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{} article(s): {}", input.len(), links.counts())?;
        for c in &links.conflicts {
            writeln!(out, "conflict: {}", c.reasons.join("; "))?;
        }
        for t in &links.timelines {
            writeln!(out, "timeline: {}", t.reasons.join("; "))?;
        }
        for e in &links.events {
            writeln!(
                out,
                "event {}: {} passage(s), shared {}",
                e.date,
                e.passages.len(),
                e.shared.join(", ")
            )?;
        }
        for s in &links.spellings {
            let forms: Vec<&str> = s.forms.iter().map(|(f, _)| f.as_str()).collect();
            writeln!(out, "spellings {}: {}", s.name, forms.join(" | "))?;
        }
        writeln!(out, "same claims: {}", links.same_claims.len())?;
    }
    out.flush()?;
    Ok(0)
}
