//! Matching an open project: its claims and its claim suggestions, against the library.

use serde::Serialize;

use claimdesk_core::corpus::ArticleId;
use claimdesk_core::progress::Observer;
use claimdesk_core::project::{Edit, Evidence, EvidenceSource, Id, Stance, new_id};
use claimdesk_core::workspace::Workspace;

use crate::library::{Library, LibraryError, StoredFactCheck};
use crate::matching::{self, MatchIndex, Why};
use crate::terms;

/// A claim of the analyst's or a suggestion of the detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    Claim,
    Suggestion,
}

/// A claim to look up, as plain data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectClaim {
    pub kind: ClaimKind,
    /// The claim's id (analyst claims only).
    pub id: Option<Id>,
    pub article: ArticleId,
    /// Char offsets in the article's kept text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub claimant: Option<String>,
}

/// The project's claims, then the suggestions the analyst has neither dismissed nor made a
/// claim of, in article and text order. Analyses articles not analysed yet.
pub fn claims_to_match(ws: &mut Workspace) -> Vec<ProjectClaim> {
    let ids: Vec<ArticleId> = ws.article_ids().cloned().collect();
    let mut out = Vec::new();
    for article in ids {
        let claims: Vec<ProjectClaim> = ws
            .project()
            .claims_in(&article)
            .into_iter()
            .map(|(id, claim)| ProjectClaim {
                kind: ClaimKind::Claim,
                id: Some(id.clone()),
                article: article.clone(),
                start: claim.anchor.start,
                end: claim.anchor.end,
                text: claim.anchor.quote.clone(),
                claimant: claim.claimant.clone(),
            })
            .collect();
        let dismissed = ws.project().dismissed_spans(&article);
        let suggestions: Vec<ProjectClaim> = ws
            .analysis(&article)
            .map(|analysis| {
                analysis
                    .check_worthy()
                    .filter(|s| !dismissed.contains(&s.span))
                    .filter(|s| {
                        !claims
                            .iter()
                            .any(|c| c.start < s.span.end && s.span.start < c.end)
                    })
                    .map(|s| ProjectClaim {
                        kind: ClaimKind::Suggestion,
                        id: None,
                        article: article.clone(),
                        start: s.span.start,
                        end: s.span.end,
                        text: s.text.clone(),
                        claimant: s.claimant.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.extend(claims);
        out.extend(suggestions);
    }
    out
}

/// A fact-check found for a claim, with everything the panel shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FoundFactCheck {
    #[serde(flatten)]
    pub factcheck: StoredFactCheck,
    pub score: f32,
    pub why: Why,
}

/// One claim and what the library holds for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimResult {
    #[serde(flatten)]
    pub claim: ProjectClaim,
    /// The best match scores at least [`matching::CHECKED_BEFORE`].
    pub checked_before: bool,
    /// Fact-checks of the same claim, best first.
    pub matches: Vec<FoundFactCheck>,
    /// Fact-checks of the opposite claim (one of the two negated).
    pub opposite: Vec<FoundFactCheck>,
}

/// Matches `claims` against the library (all of it, through an index built here). `None` when
/// the observer cancelled.
pub fn match_claims(
    library: &Library,
    claims: &[ProjectClaim],
    observer: &(dyn Observer + Sync),
) -> Result<Option<Vec<ClaimResult>>, LibraryError> {
    observer.progress(0, 1, "Reading the fact-check library");
    let index = MatchIndex::build(library)?;
    match_claims_with(&index, library, claims, observer)
}

/// As [`match_claims`], over an index already built (the GUI keeps one while the library is
/// unchanged).
pub fn match_claims_with(
    index: &MatchIndex,
    library: &Library,
    claims: &[ProjectClaim],
    observer: &(dyn Observer + Sync),
) -> Result<Option<Vec<ClaimResult>>, LibraryError> {
    let analysed: Vec<_> = claims.iter().map(|c| terms::analyse(&c.text)).collect();
    let Some(found) = index.match_all(&analysed, observer) else {
        return Ok(None);
    };
    let mut results = Vec::with_capacity(claims.len());
    for (claim, found) in claims.iter().zip(found) {
        let checked_before = found.checked_before();
        let resolve = |list: Vec<matching::Match>| -> Result<Vec<FoundFactCheck>, LibraryError> {
            let mut out = Vec::new();
            for m in list {
                if let Some(factcheck) = library.get(m.factcheck)? {
                    let why = matching::explain(&claim.text, &factcheck.factcheck.claim);
                    out.push(FoundFactCheck {
                        factcheck,
                        score: m.score,
                        why,
                    });
                }
            }
            Ok(out)
        };
        let matches = resolve(found.matches)?;
        let opposite = resolve(found.opposite)?;
        results.push(ClaimResult {
            claim: claim.clone(),
            checked_before,
            matches,
            opposite,
        });
    }
    Ok(Some(results))
}

/// How a fact-check bears on the claim it matched, from its rating: a claim rated false is
/// refuted, one rated true supported, anything else (mixed, unrated, worded in a way not
/// recognised) is context.
pub fn stance_of(factcheck: &StoredFactCheck) -> Stance {
    let f = &factcheck.factcheck;
    if let (Some(value), Some(best), Some(worst)) = (f.rating_value, f.best_rating, f.worst_rating)
        && best > worst
    {
        let position = (value - worst) / (best - worst);
        // Claimdesk's own scale puts "Unverifiable" lowest; its text decides below.
        let unverifiable = f
            .rating
            .as_deref()
            .is_some_and(|r| r.to_lowercase().contains("unverif"));
        if !unverifiable {
            if position >= 0.8 {
                return Stance::Supports;
            }
            if position <= 0.2 {
                return Stance::Refutes;
            }
        }
    }
    let rating = f.rating.as_deref().unwrap_or("").to_lowercase();
    let rating = rating.trim();
    let refutes = [
        "false",
        "pants on fire",
        "fake",
        "incorrect",
        "wrong",
        "untrue",
        "fabricated",
        "misattributed",
    ];
    let supports = ["true", "correct", "accurate"];
    let qualified = [
        "mostly",
        "half",
        "partly",
        "partially",
        "misleading",
        "mixed",
        "not",
    ];
    if qualified.iter().any(|q| rating.contains(q)) {
        return Stance::Context;
    }
    if refutes.iter().any(|r| rating.contains(r)) {
        return Stance::Refutes;
    }
    if supports
        .iter()
        .any(|s| rating == *s || rating.starts_with(s))
    {
        return Stance::Supports;
    }
    Stance::Context
}

/// The edit that attaches a fact-check to claim `claim` as evidence with its URL (one click in
/// the matches panel); apply it with `Workspace::apply`.
pub fn evidence_edit(claim: &str, factcheck: &StoredFactCheck) -> Edit {
    let f = &factcheck.factcheck;
    let publisher = f.publisher.as_deref().unwrap_or("A fact-checker");
    let mut note = format!("Checked before: {publisher}");
    if let Some(rating) = &f.rating {
        note.push_str(&format!(" rated it “{rating}”"));
    }
    if let Some(date) = &f.date {
        note.push_str(&format!(" ({date})"));
    }
    note.push_str(&format!(". Their claim: “{}”", f.claim));
    if let Some(claimant) = &f.claimant {
        note.push_str(&format!(", by {claimant}"));
    }
    note.push('.');
    Edit::PutEvidence {
        id: new_id(),
        evidence: Evidence {
            provenance: Default::default(),
            claim: claim.to_string(),
            stance: stance_of(factcheck),
            source: EvidenceSource::Url {
                url: f.url.clone(),
                title: f
                    .title
                    .clone()
                    .unwrap_or_else(|| format!("{publisher}: {}", f.claim)),
            },
            note,
        },
    }
}
