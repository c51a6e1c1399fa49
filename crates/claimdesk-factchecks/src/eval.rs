//! Measuring matching on the labelled claim ↔ fact-check pairs (`tests/data/pairs.tsv`), for the
//! quality test and `claimdesk bench factchecks`.
//!
//! Each pair names a claim by its place in a corpus file (the BBC articles in
//! `../shared/news/bbc`, not part of the repository, or the sample corpus) and gives a
//! fact-check's wording of it in our own words: a paraphrase (`para`, often with the figure
//! written another way) or the opposite claim (`neg`, which must not match). The library holds
//! every pair's fact-check among distractors: the sentences of the other BBC articles. Claims of
//! articles kept out of the library serve as unrelated queries, to count false "checked before".

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use claimdesk_core::progress::Quiet;

use crate::matching::MatchIndex;
use crate::terms;

/// The pairs file, committed with the crate.
pub const PAIRS: &str = include_str!("../tests/data/pairs.tsv");

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PairKind {
    Paraphrase,
    Negation,
}

#[derive(Clone, Debug)]
pub struct Pair {
    pub kind: PairKind,
    /// `bbc:business/063.txt` or `sample:003_….txt`.
    pub source: String,
    pub claim: String,
    pub factcheck: String,
}

/// The BBC articles, beside the repository.
pub fn bbc_dir(repo: &Path) -> PathBuf {
    repo.join("../shared/news/bbc")
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

fn source_path(repo: &Path, source: &str) -> Option<PathBuf> {
    let (root, file) = source.split_once(':')?;
    Some(match root {
        "bbc" => bbc_dir(repo).join(file),
        "sample" => repo.join("assets/corpus").join(file),
        _ => return None,
    })
}

/// The labelled pairs whose claims can be read here (BBC ones need `../shared`). An error names
/// a pair whose claim no longer reads as labelled (the corpus changed).
pub fn load_pairs(repo: &Path) -> Result<Vec<Pair>, String> {
    let mut pairs = Vec::new();
    for (number, line) in PAIRS.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, source, start, len, hash, factcheck] = fields[..] else {
            return Err(format!("pairs.tsv line {}: expected 6 fields", number + 1));
        };
        let Some(path) = source_path(repo, source) else {
            return Err(format!(
                "pairs.tsv line {}: unknown source {source}",
                number + 1
            ));
        };
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let (start, len): (usize, usize) = (
            start
                .parse()
                .map_err(|_| format!("line {}: start", number + 1))?,
            len.parse()
                .map_err(|_| format!("line {}: len", number + 1))?,
        );
        let claim = bytes
            .get(start..start + len)
            .filter(|b| format!("{:016x}", fnv1a64(b)) == hash)
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .ok_or_else(|| {
                format!(
                    "pairs.tsv line {}: bytes {start}+{len} of {} are not the labelled claim",
                    number + 1,
                    path.display()
                )
            })?;
        pairs.push(Pair {
            kind: match kind {
                "para" => PairKind::Paraphrase,
                "neg" => PairKind::Negation,
                other => return Err(format!("line {}: unknown kind {other}", number + 1)),
            },
            source: source.to_string(),
            claim,
            factcheck: factcheck.to_string(),
        });
    }
    Ok(pairs)
}

/// Sentences of the BBC articles (headline line dropped), by file, in file order.
pub fn bbc_sentences(repo: &Path) -> Vec<(String, Vec<String>)> {
    let dir = bbc_dir(repo);
    let mut files = Vec::new();
    for category in ["business", "entertainment", "politics", "sport", "tech"] {
        let Ok(entries) = std::fs::read_dir(dir.join(category)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        names.sort();
        for name in names {
            files.push(format!("{category}/{name}"));
        }
    }
    files
        .into_iter()
        .filter_map(|file| {
            let bytes = std::fs::read(dir.join(&file)).ok()?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let body = text.split_once('\n').map_or(text.as_str(), |(_, b)| b);
            let index = claimdesk_core::text::CharIndex::new(body);
            let sentences = claimdesk_core::analysis::sentences::split(body)
                .into_iter()
                .map(|span| index.slice(body, span).trim().to_string())
                .filter(|s| s.split_whitespace().count() >= 6)
                .collect();
            Some((format!("bbc:{file}"), sentences))
        })
        .collect()
}

/// Matching quality on the labelled pairs.
#[derive(Clone, Debug, Default)]
pub struct Quality {
    pub pairs: usize,
    pub paraphrases: usize,
    pub negations: usize,
    pub library: usize,
    /// Paraphrase claims whose best match is their fact-check.
    pub precision_at_1: f64,
    /// Paraphrase claims whose fact-check is among the first five matches.
    pub recall_at_5: f64,
    /// Paraphrase claims shown as "checked before" by their own fact-check.
    pub checked_before: f64,
    /// Negation pairs whose opposite fact-check is not a match.
    pub negations_rejected: f64,
    pub unrelated: usize,
    /// Sentences of BBC articles kept out of the library shown as "checked before". Not all
    /// false alarms: the BBC set tells many stories twice.
    pub unrelated_checked_before: f64,
    pub debate_claims: usize,
    /// Check-worthy sentences from US presidential debates (ClaimBuster, `../shared/eval`), a
    /// topic the library does not cover, shown as "checked before": false alarms.
    pub debate_checked_before: f64,
    /// Paraphrases missed at rank 1: (claim, fact-check, what ranked first).
    pub misses: Vec<(String, String, Option<String>)>,
}

/// Runs the evaluation: `distractor_files` BBC articles' sentences in the library (all when
/// `None`), `unrelated` claims from articles kept out of it.
pub fn evaluate(
    repo: &Path,
    distractor_files: Option<usize>,
    unrelated: usize,
) -> Result<Quality, String> {
    let pairs = load_pairs(repo)?;
    let labelled: HashSet<&str> = pairs.iter().map(|p| p.claim.as_str()).collect();
    let sources: HashSet<&str> = pairs.iter().map(|p| p.source.as_str()).collect();
    let articles = bbc_sentences(repo);
    // Every tenth article is kept out of the library, for unrelated queries.
    let (held_out, rest): (Vec<_>, Vec<_>) = articles
        .iter()
        .enumerate()
        .partition(|(i, (file, _))| i % 10 == 9 && !sources.contains(file.as_str()));
    let mut texts: Vec<String> = pairs.iter().map(|p| p.factcheck.clone()).collect();
    for (_, (_, sentences)) in rest.iter().take(distractor_files.unwrap_or(usize::MAX)) {
        for sentence in sentences {
            // A labelled claim must not be in the library as itself.
            if !labelled
                .iter()
                .any(|l| l.contains(sentence.as_str()) || sentence.contains(l))
            {
                texts.push(sentence.clone());
            }
        }
    }
    let index = MatchIndex::from_claims(
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i as i64, t.as_str())),
    );
    let queries: Vec<_> = pairs.iter().map(|p| terms::analyse(&p.claim)).collect();
    let found = index
        .match_all(&queries, &Quiet)
        .ok_or("the evaluation was cancelled")?;
    let mut quality = Quality {
        pairs: pairs.len(),
        paraphrases: pairs
            .iter()
            .filter(|p| p.kind == PairKind::Paraphrase)
            .count(),
        negations: pairs
            .iter()
            .filter(|p| p.kind == PairKind::Negation)
            .count(),
        library: index.len(),
        ..Quality::default()
    };
    let (mut at_1, mut at_5, mut checked, mut rejected) = (0, 0, 0, 0);
    for (i, (pair, result)) in pairs.iter().zip(&found).enumerate() {
        let ranks: Vec<i64> = result.matches.iter().map(|m| m.factcheck).collect();
        match pair.kind {
            PairKind::Paraphrase => {
                if ranks.first() == Some(&(i as i64)) {
                    at_1 += 1;
                    if result.checked_before() {
                        checked += 1;
                    }
                } else {
                    quality.misses.push((
                        pair.claim.clone(),
                        pair.factcheck.clone(),
                        ranks.first().map(|&r| texts[r as usize].clone()),
                    ));
                }
                if ranks.iter().take(5).any(|&r| r == i as i64) {
                    at_5 += 1;
                }
            }
            PairKind::Negation => {
                if !ranks.contains(&(i as i64)) {
                    rejected += 1;
                }
            }
        }
    }
    let ratio = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    quality.precision_at_1 = ratio(at_1, quality.paraphrases);
    quality.recall_at_5 = ratio(at_5, quality.paraphrases);
    quality.checked_before = ratio(checked, quality.paraphrases);
    quality.negations_rejected = ratio(rejected, quality.negations);
    let unrelated_claims: Vec<_> = held_out
        .iter()
        .flat_map(|(_, (_, sentences))| sentences.iter())
        .step_by(7)
        .take(unrelated)
        .map(|s| terms::analyse(s))
        .collect();
    let unrelated_found = index
        .match_all(&unrelated_claims, &Quiet)
        .ok_or("the evaluation was cancelled")?;
    quality.unrelated = unrelated_claims.len();
    let debates = debate_claims(repo, unrelated);
    let debate_found = index
        .match_all(&debates, &Quiet)
        .ok_or("the evaluation was cancelled")?;
    quality.debate_claims = debates.len();
    quality.debate_checked_before = ratio(
        debate_found.iter().filter(|r| r.checked_before()).count(),
        debates.len(),
    );
    quality.unrelated_checked_before = ratio(
        unrelated_found
            .iter()
            .filter(|r| r.checked_before())
            .count(),
        unrelated_claims.len(),
    );
    Ok(quality)
}

/// Up to `count` check-worthy ClaimBuster sentences (label 1), analysed.
fn debate_claims(repo: &Path, count: usize) -> Vec<terms::Analysed> {
    let path = repo.join("../shared/eval/claims/claimbuster_train.json");
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(serde_json::Value::Array(rows)) = serde_json::from_str(&text) else {
        return Vec::new();
    };
    rows.iter()
        .filter(|row| row.get("label").and_then(serde_json::Value::as_i64) == Some(1))
        .filter_map(|row| row.get("text").and_then(serde_json::Value::as_str))
        .filter(|text| text.split_whitespace().count() >= 8)
        .take(count)
        .map(terms::analyse)
        .collect()
}
