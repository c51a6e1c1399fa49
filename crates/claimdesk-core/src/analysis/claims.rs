//! Check-worthiness of a sentence, with the reasons that fired.
//!
//! A sentence is worth checking when it states something verifiable: a figure, a comparison, a
//! cause, an attribution, a date, a named actor doing something. Opinions, questions and
//! pleasantries are not.
//!
//! The score comes from the logistic-regression model in [`super::claim_model`] (trained by
//! `claimdesk-dev train-claims`; see `scripts/train_claims.sh`). Its bias is shifted so that the
//! F1-optimal cut found by cross-validation on the training split is exactly [`THRESHOLD`].
//! Reasons are the interpretable feature groups (and the most telling words) that moved the
//! score most, strongest first.

use std::cell::RefCell;

use super::claim_model::{self, CUES, FOR_CUES, SHIPPED, Scratch};

/// Score at or above which a sentence is suggested as a claim (the app and `score-claims` share it).
pub const THRESHOLD: f32 = 0.5;

/// A score with the reasons behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub score: f32,
    pub reasons: Vec<String>,
}

/// Word contributions smaller than this (in logit units) are not worth naming.
const MIN_WORD_REASON: f64 = 0.05;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Why a "sentence" cannot hold a claim, if it cannot: no words, a lone word, or a short run of
/// capitalised words (a name, a caption's label, a heading: "Sergey Lavrov", "Russian Foreign
/// Minister"). Page furniture and fact-check labels ("False", "Claim") are of these kinds, and
/// the model, trained on sentences of five words or more, scores them as if they were claims.
fn not_a_statement(sentence: &str) -> Option<&'static str> {
    let mut words = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let mut count = 0;
    let mut all_capitalised = true;
    for w in words.by_ref().take(5) {
        count += 1;
        all_capitalised &= !w.starts_with(char::is_lowercase);
    }
    match count {
        0 => Some("no words"),
        1 => Some("a single word"),
        2..=4 if all_capitalised => Some("a name or heading, not a statement"),
        _ => None,
    }
}

/// Scores one sentence: the model's probability, and the reasons (the kinds of wording found,
/// those that argue for checking first when the score is high, then the words that weighed most).
pub fn score(sentence: &str) -> Scored {
    score_with(sentence, Reasons::Always)
}

/// Which sentences get their reasons worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reasons {
    /// Every sentence (the app and reports show why any sentence scored as it did).
    Always,
    /// Only sentences at or above [`THRESHOLD`]; the rest keep an empty list. For runs that
    /// report suggestions alone (`analyze --jsonl`, linking): a third of news sentences fall
    /// below, and their cue search was ~3% of such a run.
    CheckWorthy,
}

/// [`score`], with reasons as `reasons` asks.
pub fn score_with(sentence: &str, reasons: Reasons) -> Scored {
    let kind = super::structure::standalone_kind(sentence);
    if kind != super::structure::LineKind::Body {
        return Scored {
            score: 0.0,
            reasons: vec![kind.reason().to_string()],
        };
    }
    score_statement(sentence, reasons)
}

/// [`score_with`] for a sentence already known to be body text (a whole line that
/// [`super::structure::lines`] judged so): the line checks are not run twice.
pub fn score_body_line(sentence: &str, reasons: Reasons) -> Scored {
    score_statement(sentence, reasons)
}

fn score_statement(sentence: &str, wanted: Reasons) -> Scored {
    if let Some(reason) = not_a_statement(sentence) {
        return Scored {
            score: 0.0,
            reasons: vec![reason.to_string()],
        };
    }
    let explained = |p: f32| wanted == Reasons::Always || p >= THRESHOLD;
    SCRATCH.with_borrow_mut(|s| {
        // One test on the same f32 decides both, so exactly the sentences given reasons have
        // their words named.
        let scoring =
            SHIPPED.logit_explaining(sentence, s, |z| explained(claim_model::sigmoid(z) as f32));
        let p = claim_model::sigmoid(scoring.logit) as f32;
        if !explained(p) {
            return Scored {
                score: p,
                reasons: Vec::new(),
            };
        }
        let found = claim_model::cues(sentence);
        let (pro, con): (Vec<usize>, Vec<usize>) = found.iter().partition(|&&i| i < FOR_CUES);
        let mut reasons: Vec<String> = Vec::new();
        let (first, second) = if p >= THRESHOLD {
            (pro, con)
        } else {
            (con, pro)
        };
        reasons.extend(first.iter().map(|&i| CUES[i].0.to_string()));
        let words = |positive: bool| -> Vec<&str> {
            scoring
                .words
                .iter()
                .filter(|(_, c)| (*c > 0.0) == positive && c.abs() >= MIN_WORD_REASON)
                .take(3)
                .map(|(w, _)| w.as_str())
                .collect()
        };
        let telling = words(p >= THRESHOLD);
        if !telling.is_empty() {
            let kind = if p >= THRESHOLD {
                "wording typical of factual claims"
            } else {
                "wording typical of opinion or talk"
            };
            reasons.push(format!("{kind}: “{}”", telling.join("”, “")));
        }
        reasons.extend(second.iter().map(|&i| CUES[i].0.to_string()));
        if reasons.is_empty() {
            reasons.push(if p >= THRESHOLD {
                "wording typical of factual claims".to_string()
            } else {
                "nothing verifiable stated".to_string()
            });
        }
        Scored { score: p, reasons }
    })
}

/// Scores one sentence without building reasons (ranking many sentences).
pub fn score_only(sentence: &str) -> f32 {
    if not_a_statement(sentence).is_some()
        || super::structure::standalone_kind(sentence) != super::structure::LineKind::Body
    {
        return 0.0;
    }
    SCRATCH.with_borrow_mut(|s| SHIPPED.probability(sentence, s) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_outscore_pleasantries() {
        let figure = score(
            "Tehran allocates approximately $100 million annually to fund Hamas and other groups.",
        );
        let thanks = score("Thank you very much, it's good to be here tonight.");
        assert!(figure.score >= THRESHOLD, "{figure:?}");
        assert!(thanks.score < THRESHOLD, "{thanks:?}");
        assert!(
            figure
                .reasons
                .iter()
                .any(|r| r == "money or a percentage" || r == "a figure"),
            "{figure:?}"
        );
        assert_eq!(score_only("Thank you."), score("Thank you.").score);
    }

    #[test]
    fn names_headings_and_lone_words_are_never_claims() {
        // Verdict labels and page furniture from the sample's fact-check page.
        for line in ["False", "Claim", "Share", "  True. "] {
            assert_eq!(score(line).score, 0.0, "{line}");
            assert_eq!(score(line).reasons, ["a single word"]);
            assert_eq!(score_only(line), 0.0);
        }
        for line in [
            "Sergey Lavrov",
            "Russian Foreign Minister",
            "Hamas (Reuters)",
        ] {
            assert_eq!(score(line).score, 0.0, "{line}");
            assert_eq!(score(line).reasons, ["a name or heading, not a statement"]);
        }
        // Short statements are still scored.
        for line in ["Iran lied.", "Hamas attacked Israel.", "Iran funds Hamas"] {
            assert!(score(line).score > 0.0, "{line}");
        }
    }

    #[test]
    fn bylines_credits_and_datelines_never_score_as_claims() {
        // "Filed by desk 16." scored 0.99 before: a figure and a past-tense verb.
        for line in [
            "Filed by desk 16.",
            "By Pishtaz |",
            "Photo: AFP",
            "The Cradle, October 24, 2023 —",
        ] {
            let scored = score(line);
            assert_eq!(scored.score, 0.0, "{line}: {scored:?}");
            assert_eq!(score_only(line), 0.0, "{line}");
            assert!(scored.reasons[0].contains("not a statement"), "{scored:?}");
        }
    }

    #[test]
    fn captions_headlines_and_datelines_in_an_article_are_scored_as_their_kind() {
        use crate::analysis::{KnownNames, analyze, structure::LineKind};
        let corpus = crate::sample::corpus_dir();
        let (articles, _) = crate::corpus::import_paths(
            &[
                corpus.join("000_164a3089b8e03eed.txt"),
                corpus.join("003_e0f09e3576302cfd.txt"),
            ],
            &crate::corpus::ImportLimits::default(),
            |_, _| true,
        );
        let mut kinds = Vec::new();
        for article in &articles {
            for c in analyze(article, &KnownNames::default()).claims {
                if c.kind != LineKind::Body {
                    assert_eq!(c.score, 0.0, "{c:?}");
                    assert_eq!(c.reasons, [c.kind.reason()]);
                }
                kinds.push((c.kind, c.text));
            }
        }
        let kind_of = |start: &str| {
            kinds
                .iter()
                .find(|(_, t)| t.starts_with(start))
                .map(|(k, _)| *k)
        };
        // A caption that scored as a claim before (a figure, a date, a named actor).
        assert_eq!(
            kind_of("A Hamas fighter takes part in a military parade"),
            Some(LineKind::Caption)
        );
        assert_eq!(
            kind_of("Hamas leader Ismail Haniyeh (2nd R) shakes hands"),
            Some(LineKind::Caption)
        );
        assert_eq!(
            kind_of("Russia's Foreign Minister Paints Iran"),
            Some(LineKind::Headline)
        );
        // The story's claims are still suggested.
        assert_eq!(
            kind_of("Iran’s deeply rooted support for Hamas remains"),
            Some(LineKind::Body)
        );
    }

    #[test]
    fn a_dateline_opening_a_paragraph_is_not_scored_with_it() {
        use crate::analysis::{KnownNames, analyze};
        let article = crate::corpus::Article::from_text(
            "d.txt",
            "Talks in Moscow\n\nMOSCOW, Oct 26 (Reuters) - Hamas representatives met Iran's deputy foreign minister in Moscow on Thursday, Russian media said.\n",
        );
        let analysis = analyze(&article, &KnownNames::default());
        let claim = analysis
            .claims
            .iter()
            .find(|c| c.text.starts_with("MOSCOW"))
            .expect("the paragraph");
        assert!(
            claim.reasons.iter().any(|r| r.contains("dateline")),
            "{claim:?}"
        );
        let without = score(
            "Hamas representatives met Iran's deputy foreign minister in Moscow on Thursday, Russian media said.",
        );
        assert_eq!(claim.score, without.score);
    }
}
