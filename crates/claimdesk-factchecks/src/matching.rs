//! Matching claims against the library.
//!
//! Two steps. Candidates: BM25 (k1 = 1.2, b = 0.75) over the library's terms, from an inverted
//! index held in memory, the 20 best per claim. Score: the IDF-weighted overlap of the claim's
//! terms and each candidate's (Dice: twice the weight of shared terms over the weight of both),
//! which, unlike a BM25 score, reads the same for every claim: 1 for the same terms, 0 for none
//! shared. A candidate whose polarity differs ("X did not …" against "X did …") is never a
//! match; it is listed apart as `opposite`, since a fact-check of the opposite claim is worth
//! knowing but is not "checked before".
//!
//! Lexical only: no embeddings are available to this crate yet (the claim detector's static
//! embeddings have not landed). Paraphrases that share no content word are missed.

use std::collections::HashMap;

use serde::Serialize;

use crate::library::{Library, LibraryError};
use crate::terms::{self, Analysed, TermKind};
use claimdesk_core::progress::Observer;

/// Candidates kept per claim for scoring.
const CANDIDATES: usize = 20;
/// Lowest score listed as a match.
pub const MATCH_THRESHOLD: f32 = 0.30;
/// Score from which a claim shows as "checked before".
pub const CHECKED_BEFORE: f32 = 0.45;

/// Why a fact-check matched: what the claim and it share.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Why {
    /// Shared words, as the claim writes them.
    pub words: Vec<String>,
    /// Shared names (capitalised inside a sentence on either side).
    pub names: Vec<String>,
    /// Shared figures, as "claim's form = fact-check's form" when they are written differently.
    pub figures: Vec<String>,
}

/// One fact-check matched to a claim.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// Row id in the library ([`Library::get`]).
    pub factcheck: i64,
    /// 0..1; see [`MATCH_THRESHOLD`] and [`CHECKED_BEFORE`].
    pub score: f32,
    pub why: Why,
}

/// What the library holds for one claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ClaimMatches {
    /// Same claim, best first.
    pub matches: Vec<Match>,
    /// A fact-check of the opposite claim (one side negated), best first.
    pub opposite: Vec<Match>,
}

impl ClaimMatches {
    pub fn checked_before(&self) -> bool {
        self.matches
            .first()
            .is_some_and(|m| m.score >= CHECKED_BEFORE)
    }
}

struct Doc {
    id: i64,
    /// Sorted unique term ids.
    terms: Vec<u32>,
    len: u32,
    negated: bool,
}

/// The library's terms in memory, for matching many claims fast.
pub struct MatchIndex {
    docs: Vec<Doc>,
    vocabulary: HashMap<String, u32>,
    /// Per term: (doc index, term frequency).
    postings: Vec<Vec<(u32, u16)>>,
    idf: Vec<f32>,
    /// Per doc: the sum of its terms' IDF (the Dice denominator's share).
    weight: Vec<f32>,
    average_len: f32,
}

impl MatchIndex {
    /// Builds the index from the library (reads every fact-check's stored terms).
    pub fn build(library: &Library) -> Result<Self, LibraryError> {
        let mut index = Self {
            docs: Vec::new(),
            vocabulary: HashMap::new(),
            postings: Vec::new(),
            idf: Vec::new(),
            weight: Vec::new(),
            average_len: 0.0,
        };
        library.all_terms(|id, terms, negated| index.add(id, terms, negated))?;
        index.finish();
        Ok(index)
    }

    /// An index over `(id, claim)` pairs given directly (tests, evaluation).
    pub fn from_claims<'a>(claims: impl IntoIterator<Item = (i64, &'a str)>) -> Self {
        let mut index = Self {
            docs: Vec::new(),
            vocabulary: HashMap::new(),
            postings: Vec::new(),
            idf: Vec::new(),
            weight: Vec::new(),
            average_len: 0.0,
        };
        for (id, claim) in claims {
            let analysed = terms::analyse(claim);
            index.add(id, &analysed.keys(), analysed.negated);
        }
        index.finish();
        index
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    fn add(&mut self, id: i64, keys: &str, negated: bool) {
        let doc = self.docs.len() as u32;
        let mut counts: HashMap<u32, u16> = HashMap::new();
        let mut len = 0;
        for key in keys.split(' ').filter(|k| !k.is_empty()) {
            let next = self.vocabulary.len() as u32;
            let term = *self.vocabulary.entry(key.to_string()).or_insert(next);
            if term as usize == self.postings.len() {
                self.postings.push(Vec::new());
            }
            *counts.entry(term).or_default() += 1;
            len += 1;
        }
        let mut terms: Vec<u32> = counts.keys().copied().collect();
        terms.sort_unstable();
        for &term in &terms {
            self.postings[term as usize].push((doc, counts[&term]));
        }
        self.docs.push(Doc {
            id,
            terms,
            len,
            negated,
        });
    }

    fn finish(&mut self) {
        let n = self.docs.len() as f32;
        self.idf = self
            .postings
            .iter()
            .map(|p| {
                let df = p.len() as f32;
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
        self.weight = self
            .docs
            .iter()
            .map(|d| d.terms.iter().map(|&t| self.idf[t as usize]).sum())
            .collect();
        self.average_len = self.docs.iter().map(|d| d.len as f32).sum::<f32>() / n.max(1.0);
    }

    /// Matches of one claim. `scratch` is reused between calls on one thread.
    fn match_one(&self, claim: &Analysed, scratch: &mut Scratch) -> ClaimMatches {
        // Query terms: known ones, once each, with their IDF.
        let mut query: Vec<u32> = claim
            .terms
            .iter()
            .filter_map(|t| self.vocabulary.get(&t.key).copied())
            .collect();
        query.sort_unstable();
        query.dedup();
        if query.is_empty() {
            return ClaimMatches::default();
        }
        // The claim's own weight counts unknown terms too: a claim mostly about things the
        // library never mentions is not matched by its one shared word.
        let mut unknown: Vec<&str> = claim
            .terms
            .iter()
            .filter(|t| !self.vocabulary.contains_key(&t.key))
            .map(|t| t.key.as_str())
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        // As rare as a term seen once: the claim itself would be its one document.
        let unknown_idf = (1.0 + (self.docs.len() as f32 - 0.5) / 1.5).ln();
        let claim_weight: f32 = query.iter().map(|&t| self.idf[t as usize]).sum::<f32>()
            + unknown.len() as f32 * unknown_idf;

        // BM25 over the postings of the query terms, common terms last so that rare ones lead.
        let n_docs = self.docs.len();
        if scratch.scores.len() < n_docs {
            scratch.scores.resize(n_docs, 0.0);
        }
        scratch.touched.clear();
        let (k1, b) = (1.2f32, 0.75f32);
        // A term in over a fifth of a large library adds little to the ranking and costs the
        // most; it is left out of the candidate search while the claim has two rarer ones (it
        // still counts in the score below).
        let common = |term: u32| self.postings[term as usize].len() * 5 > n_docs;
        let skip_common = n_docs >= 1000 && query.iter().filter(|&&t| !common(t)).count() >= 2;
        for &term in &query {
            let idf = self.idf[term as usize];
            let postings = &self.postings[term as usize];
            if skip_common && common(term) {
                continue;
            }
            for &(doc, tf) in postings {
                let len = self.docs[doc as usize].len as f32;
                let tf = tf as f32;
                let score = idf * tf * (k1 + 1.0)
                    / (tf + k1 * (1.0 - b + b * len / self.average_len.max(1.0)));
                let slot = &mut scratch.scores[doc as usize];
                if *slot == 0.0 {
                    scratch.touched.push(doc);
                }
                *slot += score;
            }
        }
        let mut candidates: Vec<(f32, u32)> = scratch
            .touched
            .iter()
            .map(|&doc| (scratch.scores[doc as usize], doc))
            .collect();
        for &doc in &scratch.touched {
            scratch.scores[doc as usize] = 0.0;
        }
        let keep = CANDIDATES.min(candidates.len());
        if keep == 0 {
            return ClaimMatches::default();
        }
        candidates.select_nth_unstable_by(keep - 1, |a, b| b.0.total_cmp(&a.0));
        candidates.truncate(keep);

        let mut result = ClaimMatches::default();
        for (_, doc) in candidates {
            let doc_index = doc as usize;
            let doc = &self.docs[doc_index];
            let shared: f32 = intersect(&query, &doc.terms)
                .map(|t| self.idf[t as usize])
                .sum();
            let score = 2.0 * shared / (claim_weight + self.weight[doc_index]).max(f32::EPSILON);
            if std::env::var_os("CLAIMDESK_DEBUG_MATCH").is_some() {
                eprintln!("{} {score}", doc.id);
            }
            if score < MATCH_THRESHOLD {
                continue;
            }
            let found = Match {
                factcheck: doc.id,
                score: (score * 1000.0).round() / 1000.0,
                why: Why::default(),
            };
            if doc.negated == claim.negated {
                result.matches.push(found);
            } else {
                result.opposite.push(found);
            }
        }
        let order = |a: &Match, b: &Match| {
            b.score
                .total_cmp(&a.score)
                .then(a.factcheck.cmp(&b.factcheck))
        };
        result.matches.sort_by(order);
        result.opposite.sort_by(order);
        result
    }

    /// Matches every claim, on all cores. `None` when cancelled. `why` is left empty: fill it
    /// for the matches shown with [`explain`].
    pub fn match_all(
        &self,
        claims: &[Analysed],
        observer: &(dyn Observer + Sync),
    ) -> Option<Vec<ClaimMatches>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8)
            .min(claims.len().div_ceil(64).max(1));
        let chunk = claims.len().div_ceil(threads).max(1);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let total = claims.len();
        let results: Vec<Option<Vec<ClaimMatches>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = claims
                .chunks(chunk)
                .map(|part| {
                    let done = &done;
                    scope.spawn(move || {
                        let mut scratch = Scratch::default();
                        let mut out = Vec::with_capacity(part.len());
                        for (i, claim) in part.iter().enumerate() {
                            if i % 256 == 0 {
                                if observer.cancelled() {
                                    return None;
                                }
                                let so_far = done.fetch_add(
                                    if i == 0 { 0 } else { 256 },
                                    std::sync::atomic::Ordering::Relaxed,
                                );
                                observer.progress(so_far.min(total), total, "Matching claims");
                            }
                            out.push(self.match_one(claim, &mut scratch));
                        }
                        Some(out)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        let mut all = Vec::with_capacity(claims.len());
        for part in results {
            all.extend(part?);
        }
        observer.progress(total, total, "Matching claims");
        Some(all)
    }

    /// Matches one claim's text (the GUI asking about the claim in front of the analyst).
    pub fn match_text(&self, claim: &str) -> ClaimMatches {
        self.match_one(&terms::analyse(claim), &mut Scratch::default())
    }
}

#[derive(Default)]
struct Scratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
}

/// Items in both sorted lists.
fn intersect<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let found = a[i];
                    i += 1;
                    j += 1;
                    return Some(found);
                }
            }
        }
        None
    })
}

/// What `claim` and `factcheck` (the reviewed claim's text) share, in the claim's words.
pub fn explain(claim: &str, factcheck: &str) -> Why {
    let ours = terms::analyse(claim);
    let theirs = terms::analyse(factcheck);
    let mut why = Why::default();
    let mut seen = std::collections::HashSet::new();
    for term in &ours.terms {
        let Some(other) = theirs.terms.iter().find(|t| t.key == term.key) else {
            continue;
        };
        if !seen.insert(term.key.clone()) {
            continue;
        }
        match (term.kind, other.kind) {
            (TermKind::Figure, _) | (_, TermKind::Figure) => {
                // A value and its currency come from one expression: say it once.
                let shown = if term.surface.eq_ignore_ascii_case(&other.surface) {
                    term.surface.clone()
                } else {
                    format!("{} = {}", term.surface, other.surface)
                };
                if !why.figures.contains(&shown) {
                    why.figures.push(shown);
                }
            }
            (TermKind::Name, _) | (_, TermKind::Name) => why.names.push(term.surface.clone()),
            _ => why.words.push(term.surface.clone()),
        }
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimdesk_core::progress::Quiet;

    fn index() -> MatchIndex {
        MatchIndex::from_claims([
            (1, "Iran gives Hamas 100 million dollars every year"),
            (2, "Russia supplied Iran with Shahed drones"),
            (3, "Iran did not give Hamas 100 million dollars a year"),
            (4, "The moon landing was staged in a studio"),
            (5, "Hamas leaders met Russian officials in Moscow"),
        ])
    }

    #[test]
    fn a_paraphrase_with_the_figure_written_another_way_matches_and_says_why() {
        let index = index();
        let found =
            index.match_text("Tehran funnels roughly $100 million a year to Hamas, Iran said.");
        assert!(!found.matches.is_empty(), "{found:?}");
        assert_eq!(found.matches[0].factcheck, 1);
        assert!(found.checked_before(), "{found:?}");
        // The negated fact-check is the opposite claim, never a match.
        assert!(found.matches.iter().all(|m| m.factcheck != 3));
        assert_eq!(found.opposite.first().map(|m| m.factcheck), Some(3));
        let why = explain(
            "Tehran funnels roughly $100 million a year to Hamas, Iran said.",
            "Iran gives Hamas 100 million dollars every year",
        );
        assert_eq!(why.figures, vec!["$100 million = 100 million dollars"]);
        assert!(why.names.contains(&"Hamas".to_string()), "{why:?}");
        assert!(why.words.contains(&"year".to_string()), "{why:?}");
    }

    #[test]
    fn an_unrelated_claim_matches_nothing() {
        let found = index().match_text("The central bank raised interest rates by half a point.");
        assert!(
            found.matches.is_empty() && found.opposite.is_empty(),
            "{found:?}"
        );
        assert!(index().match_text("").matches.is_empty());
    }

    #[test]
    fn match_all_agrees_with_one_at_a_time_and_stops_when_cancelled() {
        let index = index();
        let claims: Vec<Analysed> = (0..300)
            .map(|i| {
                terms::analyse(if i % 2 == 0 {
                    "Russian officials hosted Hamas leaders in Moscow"
                } else {
                    "Moscow sent Iran drones"
                })
            })
            .collect();
        let all = index.match_all(&claims, &Quiet).unwrap();
        assert_eq!(all.len(), 300);
        assert_eq!(all[0], index.match_one(&claims[0], &mut Scratch::default()));
        assert_eq!(all[0].matches[0].factcheck, 5);
        assert_eq!(all[1].matches.first().map(|m| m.factcheck), Some(2));
        struct Cancelled;
        impl Observer for Cancelled {
            fn progress(&self, _: usize, _: usize, _: &str) {}
            fn cancelled(&self) -> bool {
                true
            }
        }
        assert!(index.match_all(&claims, &Cancelled).is_none());
    }
}
