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

use super::claim_model::{self, CUES, Features, SHIPPED};

/// Score at or above which a sentence is suggested as a claim (the app and `score-claims` share it).
pub const THRESHOLD: f32 = 0.5;

/// A score with the reasons behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub score: f32,
    pub reasons: Vec<String>,
}

/// Contributions smaller than this (in logit units) are not worth showing as a reason.
const MIN_REASON: f32 = 0.15;

thread_local! {
    static FEATURES: RefCell<Features> = RefCell::new(Features::default());
}

/// Why a "sentence" cannot hold a claim, if it cannot: no words, a lone word, or a short run of
/// capitalised words (a name, a caption's label, a heading: "Sergey Lavrov", "Russian Foreign
/// Minister"). Page furniture and fact-check labels ("False", "Claim") are of these kinds, and
/// the model, trained on sentences of five words or more, scores them as if they were claims.
fn not_a_statement(sentence: &str) -> Option<&'static str> {
    let words: Vec<&str> = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .collect();
    match words.len() {
        0 => Some("no words"),
        1 => Some("a single word"),
        2..=4 if words.iter().all(|w| !w.starts_with(char::is_lowercase)) => {
            Some("a name or heading, not a statement")
        }
        _ => None,
    }
}

/// Scores one sentence.
pub fn score(sentence: &str) -> Scored {
    if let Some(reason) = not_a_statement(sentence) {
        return Scored {
            score: 0.0,
            reasons: vec![reason.to_string()],
        };
    }
    let model = &*SHIPPED;
    FEATURES.with_borrow_mut(|f| {
        model.features(sentence, f);
        let z = model.logit(f);
        let mut fired: Vec<(f32, String)> = f
            .dense
            .iter()
            .map(|&i| (model.dense[i as usize], i as usize))
            .filter(|(w, _)| w.abs() >= MIN_REASON)
            // Length buckets only explain a low score ("too short"), never a high one.
            .filter(|(w, i)| *i < CUES.len() || *w < 0.0)
            .map(|(w, i)| (w, claim_model::dense_reason(i).to_string()))
            .collect();
        let wording: f32 = f
            .hashed
            .iter()
            .map(|&(i, v)| model.hashed[i as usize] * v)
            .sum();
        if wording >= 2.0 * MIN_REASON {
            fired.push((wording, "wording typical of factual claims".to_string()));
        } else if wording <= -2.0 * MIN_REASON {
            fired.push((wording, "wording typical of opinion or talk".to_string()));
        }
        // Positive reasons first (why it is worth checking), then what held it back.
        fired.sort_by(|a, b| {
            (b.0 > 0.0)
                .cmp(&(a.0 > 0.0))
                .then(b.0.abs().total_cmp(&a.0.abs()))
        });
        Scored {
            score: 1.0 / (1.0 + (-z).exp()),
            reasons: fired.into_iter().map(|(_, r)| r).collect(),
        }
    })
}

/// Scores one sentence without building reasons (ranking many sentences).
pub fn score_only(sentence: &str) -> f32 {
    if not_a_statement(sentence).is_some() {
        return 0.0;
    }
    FEATURES.with_borrow_mut(|f| {
        SHIPPED.features(sentence, f);
        let z = SHIPPED.logit(f);
        1.0 / (1.0 + (-z).exp())
    })
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
}
