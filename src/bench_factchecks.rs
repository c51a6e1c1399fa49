//! `claimdesk bench factchecks [--size N]`: matching N claims (default 10,000) against a
//! generated library of 10 × N fact-checks (default 100,000) made from the BBC sentences, timed
//! from the SQLite file to the last claim's matches; FTS5's own BM25 on a sample of the same
//! claims for comparison; then the quality figures on the labelled pairs.

use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use claimdesk_core::progress::Quiet;
use claimdesk_factchecks::{FactCheck, Library, MatchIndex, eval, terms};

pub fn run(size: Option<usize>) -> Result<()> {
    let claims_wanted = size.unwrap_or(10_000).max(10);
    let library_size = claims_wanted * 10;
    let repo = claimdesk_core::sample::root();
    let articles = eval::bbc_sentences(&repo);
    let sentences: Vec<&String> = articles.iter().flat_map(|(_, s)| s.iter()).collect();
    if sentences.len() < 1000 {
        bail!(
            "bench factchecks needs the BBC articles in {} (found {} sentences)",
            eval::bbc_dir(&repo).display(),
            sentences.len()
        );
    }
    // The library: every sentence once, then variants (a word dropped, a figure changed, two
    // sentences' halves joined) until it holds `library_size`, like a big feed with many
    // reviews of related claims.
    let started = Instant::now();
    let mut reviews = Vec::with_capacity(library_size);
    let mut round = 0usize;
    while reviews.len() < library_size {
        for (i, sentence) in sentences.iter().enumerate() {
            if reviews.len() >= library_size {
                break;
            }
            let claim = match round {
                0 => sentence.to_string(),
                r => {
                    let words: Vec<&str> = sentence.split_whitespace().collect();
                    let other: Vec<&str> = sentences[(i * 7 + r * 131) % sentences.len()]
                        .split_whitespace()
                        .collect();
                    let keep = words.len() / 2 + r % 3;
                    let mut joined: Vec<String> = words
                        .iter()
                        .take(keep)
                        .enumerate()
                        .filter(|(j, _)| (j + r) % 5 != 0)
                        .map(|(_, w)| w.to_string())
                        .collect();
                    joined.extend(other.iter().skip(other.len() / 2).map(|w| w.to_string()));
                    joined.push(format!("{}", (i + r) % 97));
                    joined.join(" ")
                }
            };
            reviews.push(FactCheck {
                url: format!("https://factchecks.example/{round}/{i}"),
                claim,
                claimant: Some(format!("Speaker {}", i % 500)),
                rating: Some(["False", "True", "Misleading", "Mostly false"][i % 4].into()),
                publisher: Some(format!("Checker {}", i % 40)),
                date: Some(format!("2005-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
                language: Some("en".into()),
                ..FactCheck::default()
            });
        }
        round += 1;
    }
    let generate_secs = started.elapsed().as_secs_f64();
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("factchecks.sqlite");
    let mut library = Library::open(&path)?;
    let started = Instant::now();
    library
        .upsert(&reviews, "generated")
        .context("filling the generated library")?;
    let import_secs = started.elapsed().as_secs_f64();
    drop(library);

    // The claims: sentences of the same corpus, each changed a little (a word dropped), so that
    // many have near matches, as a project's claims would.
    let claims: Vec<String> = sentences
        .iter()
        .step_by(3)
        .cycle()
        .take(claims_wanted)
        .enumerate()
        .map(|(i, s)| {
            s.split_whitespace()
                .enumerate()
                .filter(|(j, _)| (j + i) % 9 != 4)
                .map(|(_, w)| w)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();

    let started = Instant::now();
    let cpu_started = cpu_seconds();
    let library = Library::open(&path)?;
    let index = MatchIndex::build(&library)?;
    let index_secs = started.elapsed().as_secs_f64();
    let analysed: Vec<_> = claims.iter().map(|c| terms::analyse(c)).collect();
    let found = index
        .match_all(&analysed, &Quiet)
        .context("never cancelled")?;
    let total_secs = started.elapsed().as_secs_f64();
    let cpu_secs = cpu_seconds()
        .zip(cpu_started)
        .map(|(end, start)| end - start);
    let match_secs = total_secs - index_secs;
    let with_match = found.iter().filter(|f| !f.matches.is_empty()).count();
    let checked = found.iter().filter(|f| f.checked_before()).count();

    // FTS5's BM25 over the same terms, on a sample of the claims.
    let sample = 200.min(claims.len());
    let started = Instant::now();
    for claim in claims.iter().take(sample) {
        std::hint::black_box(library.fts_candidates(claim, 20)?);
    }
    let fts_ms = started.elapsed().as_secs_f64() * 1000.0 / sample as f64;

    println!(
        "generated {} fact-checks in {generate_secs:.2} s; SQLite import {import_secs:.2} s ({:.0} per s)",
        reviews.len(),
        reviews.len() as f64 / import_secs
    );
    println!(
        "index from the library file: {index_secs:.2} s; matching {} claims: {match_secs:.2} s ({:.1} µs per claim); {with_match} with a match, {checked} checked before",
        claims.len(),
        match_secs * 1e6 / claims.len() as f64
    );
    if let Some(cpu) = cpu_secs {
        println!(
            "CPU time for index and matching: {cpu:.2} s over all threads (wall time above counts waiting for a loaded machine too)"
        );
    }
    println!(
        "FTS5 BM25 candidates (same terms, 20 per claim): {fts_ms:.2} ms per claim, so {:.1} s for {} claims",
        fts_ms * claims.len() as f64 / 1000.0,
        claims.len()
    );
    let quality = eval::evaluate(&repo, None, 1000).map_err(anyhow::Error::msg)?;
    println!(
        "quality on {} labelled pairs ({} paraphrases, {} negations) among {} fact-checks: precision@1 {:.3}, recall@5 {:.3}, checked before {:.3}, negations rejected {:.3}; {} held-out BBC sentences, {:.3} checked before (some are true repeats); {} debate claims, {:.3} checked before",
        quality.pairs,
        quality.paraphrases,
        quality.negations,
        quality.library,
        quality.precision_at_1,
        quality.recall_at_5,
        quality.checked_before,
        quality.negations_rejected,
        quality.unrelated,
        quality.unrelated_checked_before,
        quality.debate_claims,
        quality.debate_checked_before
    );
    println!(
        "factchecks: claims={} library={} seconds={total_secs:.2} cpu_seconds={:.2} index_seconds={index_secs:.2} match_seconds={match_secs:.2} fts5_ms_per_claim={fts_ms:.2} import_seconds={import_secs:.2} precision_at_1={:.3} recall_at_5={:.3} negations_rejected={:.3} pairs={} threads={}",
        claims.len(),
        reviews.len(),
        cpu_secs.unwrap_or(f64::NAN),
        quality.precision_at_1,
        quality.recall_at_5,
        quality.negations_rejected,
        quality.pairs,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    Ok(())
}

/// This process's CPU time (user + system, all threads) from /proc, where there is one.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    // Clock ticks are 100 a second on Linux.
    Some((user + system) / 100.0)
}
