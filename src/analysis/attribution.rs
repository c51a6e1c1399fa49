//! Who said it: quotes and reported speech attributed to a speaker.
//!
//! Handles `“…,” Lavrov said`, `said X`, `X told ABC`, `According to Reuters, …`, `X claimed: “…”`,
//! and pronouns or bare quotes that continue the previous speaker ("he added").

use std::sync::LazyLock;

use regex::Regex;

use super::{EntityKind, EntityMention};
use crate::text::{CharIndex, Span};

const SPEECH: &str = r"(?:said|says|told|added|noted|stated|claimed|wrote|argued|insisted|declared|warned|explained|asserted|announced|tweeted|posted|recalled|emphasized|emphasised|stressed|continued|replied|responded|confirmed|denied|maintained|reported)";

static ACCORDING_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\baccording to\s+(?:the\s+)?").expect("valid regex"));
static PRONOUN_SPEECH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(?:he|she|they)\s+{SPEECH}\b")).expect("valid regex")
});
static SPEECH_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b{SPEECH}\b")).expect("valid regex"));

/// The claimant of each sentence (same order as `sentences`), `None` when nobody is speaking.
pub fn attribute(
    text: &str,
    sentences: &[Span],
    entities: &[EntityMention],
) -> Vec<Option<String>> {
    let index = CharIndex::new(text);
    let mut previous_speaker: Option<String> = None;
    let mut out = Vec::with_capacity(sentences.len());
    for span in sentences {
        let sentence = index.slice(text, *span);
        let speakers: Vec<&EntityMention> = entities
            .iter()
            .filter(|e| span.start <= e.span.start && e.span.end <= span.end)
            .filter(|e| {
                matches!(
                    e.kind,
                    EntityKind::Person | EntityKind::Org | EntityKind::Gpe
                )
            })
            .collect();
        let local_offset =
            |e: &EntityMention| index.byte_of(text, e.span.start) - index.byte_of(text, span.start);
        let mut speaker: Option<String> = None;

        if let Some(m) = ACCORDING_TO.find(sentence) {
            speaker = speakers
                .iter()
                .find(|e| local_offset(e) >= m.end() && local_offset(e) <= m.end() + 40)
                .map(|e| e.text.clone());
        }
        if speaker.is_none() {
            if let Some(verb) = SPEECH_VERB.find(sentence) {
                // The nearest person (else organisation) within a few words of the verb, before
                // or after it: "Lavrov said", "said Lavrov", "Lavrov, … , told ABC".
                let distance = |e: &&&EntityMention| {
                    let start = local_offset(e);
                    let end = start + e.text.len();
                    if end <= verb.start() {
                        verb.start() - end
                    } else {
                        start.saturating_sub(verb.end())
                    }
                };
                let nearest = |kind: EntityKind| {
                    speakers
                        .iter()
                        .filter(|e| e.kind == kind)
                        .filter(|e| distance(e) <= 60)
                        .min_by_key(|e| distance(e))
                        .map(|e| e.text.clone())
                };
                speaker = nearest(EntityKind::Person).or_else(|| nearest(EntityKind::Org));
                if speaker.is_none() && PRONOUN_SPEECH.is_match(sentence) {
                    speaker = previous_speaker.clone();
                }
            }
        }
        // A sentence that is only a quote continues the previous speaker's words.
        let bare_quote = sentence.starts_with(['“', '"', '”']) && speaker.is_none();
        if bare_quote {
            speaker = previous_speaker.clone();
        }
        if speaker.is_some() {
            previous_speaker = speaker.clone();
        } else if !speakers.is_empty() {
            // A sentence about someone else resets who "he" refers to.
            if let Some(person) = speakers.iter().rev().find(|e| e.kind == EntityKind::Person) {
                previous_speaker = Some(person.text.clone());
            }
        }
        out.push(speaker);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{KnownNames, entities, sentences};

    fn claimants(text: &str) -> Vec<Option<String>> {
        let spans = sentences::split(text);
        let found = entities::find(text, &KnownNames::default());
        attribute(text, &spans, &found)
    }

    #[test]
    fn attributes_quotes_reported_speech_and_continuations() {
        let text = "“We are looking,” Abu Marzouk said. “And when we find them, we will let them go.”\nAccording to Reuters, they agreed to continue cooperation.\nThe weather was fine.";
        let got = claimants(text);
        assert_eq!(got[0].as_deref(), Some("Abu Marzouk"));
        assert_eq!(got[1].as_deref(), Some("Abu Marzouk"));
        assert_eq!(got[2].as_deref(), Some("Reuters"));
        assert_eq!(got[3], None);
    }
}
