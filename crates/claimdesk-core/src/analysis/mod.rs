//! Suggestions: sentences, check-worthy claims with reasons and claimants, entities.
//!
//! Pure, deterministic functions of an article's text (plus the project's confirmed entity
//! names). Nothing here is project data until the analyst accepts it through an edit.

pub mod aliases;
pub mod attribution;
pub mod claim_model;
pub mod claims;
pub mod crossref;
pub mod entities;
pub mod gazetteer;
mod model_formats;
pub mod ner_model;
pub mod sentences;
pub mod structure;

use serde::{Deserialize, Serialize};

use crate::corpus::Article;
use crate::text::Span;

/// Version of the analysers; caches keyed on it are dropped when it changes.
pub const ANALYZER_VERSION: u32 = 2;

/// Entity types, named as spaCy/OntoNotes name them so exports line up with other tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityKind {
    Person,
    Org,
    Gpe,
    Loc,
    Norp,
    Event,
    Date,
    Money,
    Quantity,
    Percent,
    Cardinal,
}

impl EntityKind {
    pub const ALL: [EntityKind; 11] = [
        EntityKind::Person,
        EntityKind::Org,
        EntityKind::Gpe,
        EntityKind::Loc,
        EntityKind::Norp,
        EntityKind::Event,
        EntityKind::Date,
        EntityKind::Money,
        EntityKind::Quantity,
        EntityKind::Percent,
        EntityKind::Cardinal,
    ];

    /// The label used in JSON, exports and the UI ("PERSON", "GPE" …).
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::Person => "PERSON",
            EntityKind::Org => "ORG",
            EntityKind::Gpe => "GPE",
            EntityKind::Loc => "LOC",
            EntityKind::Norp => "NORP",
            EntityKind::Event => "EVENT",
            EntityKind::Date => "DATE",
            EntityKind::Money => "MONEY",
            EntityKind::Quantity => "QUANTITY",
            EntityKind::Percent => "PERCENT",
            EntityKind::Cardinal => "CARDINAL",
        }
    }

    /// A human description for menus.
    pub fn description(self) -> &'static str {
        match self {
            EntityKind::Person => "Person",
            EntityKind::Org => "Organisation",
            EntityKind::Gpe => "Country, city, state",
            EntityKind::Loc => "Place (non-political)",
            EntityKind::Norp => "Nationality, group",
            EntityKind::Event => "Event",
            EntityKind::Date => "Date",
            EntityKind::Money => "Money",
            EntityKind::Quantity => "Quantity",
            EntityKind::Percent => "Percent",
            EntityKind::Cardinal => "Count",
        }
    }

    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.label().eq_ignore_ascii_case(label))
    }

    /// Figures are what conflicting-number checks compare.
    pub fn is_figure(self) -> bool {
        matches!(
            self,
            EntityKind::Money | EntityKind::Quantity | EntityKind::Percent | EntityKind::Cardinal
        )
    }
}

/// A suggested check-worthy sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimSuggestion {
    pub span: Span,
    pub text: String,
    /// Check-worthiness in 0..1.
    pub score: f32,
    /// Why it scored as it did ("a figure", "a quote" …), strongest first.
    pub reasons: Vec<String>,
    pub claimant: Option<String>,
    /// What part of the article the sentence sits in; only body text is suggested.
    pub kind: structure::LineKind,
}

/// A suggested entity mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityMention {
    pub span: Span,
    pub text: String,
    pub kind: EntityKind,
}

/// Everything the analysers suggest for one article.
#[derive(Clone, Debug, Default)]
pub struct ArticleAnalysis {
    pub sentences: Vec<Span>,
    /// Every sentence with its score, in text order (the UI filters by threshold).
    pub claims: Vec<ClaimSuggestion>,
    pub entities: Vec<EntityMention>,
}

impl ArticleAnalysis {
    /// Suggestions at or above the app's threshold.
    pub fn check_worthy(&self) -> impl Iterator<Item = &ClaimSuggestion> {
        self.claims.iter().filter(|c| c.score >= claims::THRESHOLD)
    }
}

/// Names the analyst confirmed (entity registry), always found again by detection.
#[derive(Clone, Debug, Default)]
pub struct KnownNames {
    /// (surface form, kind)
    pub names: Vec<(String, EntityKind)>,
}

/// Runs every analyser on one article.
pub fn analyze(article: &Article, known: &KnownNames) -> ArticleAnalysis {
    analyze_with(article, known, claims::Reasons::Always)
}

/// What an article says before any claim is scored: its sentences, entities, and each
/// sentence's speaker. Linking across articles reads no more than this.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    pub sentences: Vec<Span>,
    pub entities: Vec<EntityMention>,
    /// One per sentence.
    pub speakers: Vec<Option<String>>,
}

/// The first steps of [`analyze`]: sentences, entities, speakers.
pub fn read(article: &Article, known: &KnownNames) -> Reading {
    let text = &article.text;
    let sentences = sentences::split(text);
    let entities = entities::find(text, known);
    let speakers = attribution::attribute(text, &sentences, &entities);
    Reading {
        sentences,
        entities,
        speakers,
    }
}

/// [`analyze`], with claim reasons worked out as `reasons` asks.
pub fn analyze_with(
    article: &Article,
    known: &KnownNames,
    reasons: claims::Reasons,
) -> ArticleAnalysis {
    let Reading {
        sentences,
        entities,
        speakers,
    } = read(article, known);
    let lines = structure::lines(article);
    let mut line = 0usize;
    let claims = sentences
        .iter()
        .zip(speakers)
        .map(|(span, claimant)| {
            let sentence = article.slice(*span);
            // Sentences come in text order, so the line index only moves forward.
            while line + 1 < lines.len() && lines[line].0.end < span.start {
                line += 1;
            }
            let (line_span, kind) = lines
                .get(line)
                .copied()
                .unwrap_or((*span, structure::LineKind::Body));
            let scored = if kind != structure::LineKind::Body {
                claims::Scored {
                    score: 0.0,
                    reasons: vec![kind.reason().to_string()],
                }
            } else {
                // A dateline opening the paragraph ("MOSCOW, Oct 26 (Reuters) -") is not part
                // of the claim: score what follows it.
                let cut = (line_span.start == span.start)
                    .then(|| structure::dateline_prefix(sentence))
                    .flatten();
                match cut {
                    Some(n) => {
                        let rest: &str = sentence
                            .char_indices()
                            .nth(n)
                            .map_or("", |(b, _)| &sentence[b..]);
                        let mut scored = claims::score_with(rest, reasons);
                        scored
                            .reasons
                            .push("a dateline opens it (not scored)".to_string());
                        scored
                    }
                    // A sentence that is its whole line was judged with the line.
                    None if line_span == *span => claims::score_body_line(sentence, reasons),
                    None => claims::score_with(sentence, reasons),
                }
            };
            ClaimSuggestion {
                span: *span,
                text: sentence.to_string(),
                score: scored.score,
                reasons: scored.reasons,
                claimant,
                kind,
            }
        })
        .collect();
    ArticleAnalysis {
        sentences,
        claims,
        entities,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_for_check_worthy_claims_only_change_nothing_else() {
        let (articles, _) = crate::corpus::import_paths(
            &[crate::sample::corpus_dir()],
            &crate::corpus::ImportLimits::default(),
            |_, _| true,
        );
        assert_eq!(articles.len(), 5);
        let known = KnownNames::default();
        let (mut below, mut above) = (0, 0);
        for article in &articles {
            let full = analyze(article, &known);
            let lean = analyze_with(article, &known, claims::Reasons::CheckWorthy);
            // What linking reads without scoring is what the analysis holds.
            let reading = read(article, &known);
            assert_eq!(reading.sentences, full.sentences);
            assert_eq!(reading.entities, full.entities);
            let claimants: Vec<_> = full.claims.iter().map(|c| c.claimant.clone()).collect();
            assert_eq!(reading.speakers, claimants);
            assert_eq!(full.sentences, lean.sentences);
            assert_eq!(full.entities, lean.entities);
            assert_eq!(full.claims.len(), lean.claims.len());
            for (f, l) in full.claims.iter().zip(&lean.claims) {
                assert_eq!(
                    (f.span, f.score, &f.claimant, f.kind),
                    (l.span, l.score, &l.claimant, l.kind)
                );
                if f.score >= claims::THRESHOLD {
                    assert_eq!(f.reasons, l.reasons, "{}", f.text);
                    above += 1;
                } else if f.kind == structure::LineKind::Body && l.reasons.is_empty() {
                    below += 1;
                }
            }
        }
        // Both kinds occur on the sample, so the test compares something.
        assert!(above > 50 && below > 10, "{above} above, {below} below");
    }
}
