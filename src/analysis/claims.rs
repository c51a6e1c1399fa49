//! Check-worthiness of a sentence, with the reasons that fired.
//!
//! A sentence is worth checking when it states something verifiable: a figure, a comparison, a
//! cause, an attribution, a date, a named actor doing something. Opinions, questions and
//! pleasantries are not.

use std::sync::LazyLock;

use regex::Regex;

/// Score at or above which a sentence is suggested as a claim (the app and `score-claims` share it).
pub const THRESHOLD: f32 = 0.5;

/// A score with the reasons behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub score: f32,
    pub reasons: Vec<String>,
}

struct Cue {
    regex: Regex,
    weight: f32,
    reason: &'static str,
}

static CUES: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    let cue = |pattern: &str, weight: f32, reason: &'static str| Cue {
        regex: Regex::new(pattern).expect("valid cue regex"),
        weight,
        reason,
    };
    vec![
        cue(r"\d", 1.1, "a figure"),
        cue(
            r"(?i)[$€£]\s?\d|\b(?:million|billion|trillion|percent|per cent)\b|%",
            0.9,
            "money or a percentage",
        ),
        cue(
            r"(?i)\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|increase[sd]?|decrease[sd]?|doubled?|tripled?|rose|fell|grew|dropped|most|least|largest|highest|lowest|record)\b",
            0.7,
            "a comparison or trend",
        ),
        cue(
            r"(?i)\b(?:because|caused?|led to|result(?:ed)? in|due to|responsible for|behind|linked to|so that|in order to)\b",
            0.6,
            "a cause or responsibility",
        ),
        cue(
            r"(?i)\b(?:said|says|told|stated|claimed|according to|reported|announced|confirmed|denied|declared|accused|insisted|quoted)\b",
            0.5,
            "an attribution",
        ),
        cue(r"[“”\x22]", 0.3, "a quote"),
        cue(
            r"(?i)\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Oct\.|Nov\.|Dec\.|(?:19|20)\d{2})\b",
            0.5,
            "a date",
        ),
        cue(
            r"(?i)\b(?:killed|died|dead|injured|wounded|hostages?|attack(?:ed|s)?|arrested|sanctions?|funds?|funding|supplied|provided|transferred|paid|spent|budget|tax(?:es)?|jobs|unemployment|deficit|debt|economy|GDP|inflation|crime|votes?|voted|law|bill|elected|evidence)\b",
            0.6,
            "a verifiable event or quantity",
        ),
        cue(
            r"\b(?:is|are|was|were|has|have|had) (?:been )?(?:the )?(?:first|only|main|largest|biggest|never|always|no longer)\b",
            0.6,
            "a categorical statement",
        ),
        cue(
            r"(?:^|[^.?!]\s)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+",
            0.4,
            "a named actor",
        ),
    ]
});

static NEGATIVE_CUES: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    let cue = |pattern: &str, weight: f32, reason: &'static str| Cue {
        regex: Regex::new(pattern).expect("valid cue regex"),
        weight,
        reason,
    };
    vec![
        cue(r"\?\s*[”\x22]?\s*$", -1.4, "a question"),
        cue(
            r"(?i)^(?:thank|thanks|good (?:morning|evening|night)|hello|welcome|okay|ok|well|yes|no|oh|applause|laughter)\b",
            -1.5,
            "a pleasantry",
        ),
        cue(
            r"(?i)\b(?:I think|I believe|I feel|I hope|we hope|we must|we should|we need|we will|I will|I want|let me|let's|should|must|would like|hope|believe|opinion|beautiful|wonderful|terrible|great)\b",
            -0.7,
            "an opinion, wish or promise",
        ),
        cue(
            r"(?i)\b(?:will|going to|plan to|intend to)\b",
            -0.3,
            "about the future",
        ),
    ]
});

/// Scores one sentence.
pub fn score(sentence: &str) -> Scored {
    let words = sentence.split_whitespace().count();
    let mut z: f32 = -1.6;
    let mut fired: Vec<(f32, &'static str)> = Vec::new();
    for cue in CUES.iter().chain(NEGATIVE_CUES.iter()) {
        if cue.regex.is_match(sentence) {
            z += cue.weight;
            fired.push((cue.weight, cue.reason));
        }
    }
    if words < 5 {
        z -= 1.5;
        fired.push((-1.5, "too short to state a fact"));
    } else if words >= 12 {
        z += 0.3;
    }
    fired.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    Scored {
        score: 1.0 / (1.0 + (-z).exp()),
        reasons: fired.into_iter().map(|(_, r)| r.to_string()).collect(),
    }
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
        assert!(figure.reasons.iter().any(|r| r == "money or a percentage"));
    }
}
