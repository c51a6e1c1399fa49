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
    LazyLock::new(|| crate::text::regex(r"(?i)\baccording to\s+(?:the\s+)?").expect("valid regex"));
static PRONOUN_SPEECH: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::regex(&format!(r"(?i)\b(?:he|she|they)\s+{SPEECH}\b")).expect("valid regex")
});
static NAME_BEFORE_VERB: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::regex(&format!(
        r"\b([A-Z][\p{{L}}'’-]+),?\s+(?:also\s+)?{SPEECH}\b"
    ))
    .expect("valid regex")
});
static SPEECH_VERB: LazyLock<Regex> =
    LazyLock::new(|| crate::text::regex(&format!(r"\b{SPEECH}\b")).expect("valid regex"));

const QUOTES: [char; 4] = ['“', '"', '”', '„'];

/// The claimant of each sentence (same order as `sentences`), `None` when nobody is speaking.
///
/// Speakers named only by surname ("Lavrov said") are given the fullest form of the name the
/// article used before ("Sergey Lavrov"). Inside a quotation that runs over several sentences,
/// or a paragraph that is a quotation, sentences without their own attribution continue the
/// previous speaker.
pub fn attribute(
    text: &str,
    sentences: &[Span],
    entities: &[EntityMention],
) -> Vec<Option<String>> {
    let index = CharIndex::new(text);
    let mut previous_speaker: Option<String> = None;
    let mut people_seen: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(sentences.len());
    let mut previous_end: Option<usize> = None;
    let mut quote_paragraph = false;
    let mut quote_open = false;
    let mut first_entity = 0usize;
    for span in sentences {
        let sentence = index.slice(text, *span);
        let new_paragraph = previous_end
            .is_none_or(|end| index.slice(text, Span::new(end, span.start)).contains('\n'));
        let starts_with_quote = sentence.starts_with(QUOTES);
        if new_paragraph {
            quote_paragraph = starts_with_quote;
            quote_open = false;
        }
        previous_end = Some(span.end);
        // Entities and sentences are both in text order: walk them together (linear).
        while first_entity < entities.len() && entities[first_entity].span.start < span.start {
            first_entity += 1;
        }
        let speakers: Vec<&EntityMention> = entities[first_entity..]
            .iter()
            .take_while(|e| e.span.start < span.end)
            .filter(|e| e.span.end <= span.end)
            .filter(|e| {
                matches!(
                    e.kind,
                    EntityKind::Person | EntityKind::Org | EntityKind::Gpe
                )
            })
            .collect();
        let sentence_byte = index.byte_of(text, span.start);
        // Byte offsets of the speakers inside the sentence, computed once (sorted).
        let offsets: Vec<usize> = speakers
            .iter()
            .map(|e| index.byte_of(text, e.span.start) - sentence_byte)
            .collect();
        let local_offset = |e: &EntityMention| {
            let at = speakers.partition_point(|s| s.span.start < e.span.start);
            offsets[at]
        };
        let mut speaker: Option<String> = None;

        if let Some(m) = ACCORDING_TO.find(sentence) {
            speaker = speakers
                .iter()
                .find(|e| local_offset(e) >= m.end() && local_offset(e) <= m.end() + 40)
                .map(|e| e.text.clone());
        }
        if speaker.is_none() && PRONOUN_SPEECH.is_match(sentence) {
            // "he added", "she said": the previous speaker, before any name after the verb.
            speaker = previous_speaker.clone();
        }
        if speaker.is_none() {
            // For every speech verb, the nearest person (else organisation) within a few words,
            // before or after it: "Lavrov said", "said Lavrov", "Lavrov, … , told ABC".
            let mut best: Option<(usize, u8, String)> = None;
            for verb in SPEECH_VERB.find_iter(sentence) {
                let distance = |e: &EntityMention| {
                    let start = local_offset(e);
                    let end = start + e.text.len();
                    if end <= verb.start() {
                        verb.start() - end
                    } else {
                        start.saturating_sub(verb.end())
                    }
                };
                // Only names near the verb can be its speaker: a window of the sorted offsets.
                let lo = offsets.partition_point(|&o| o + 300 < verb.start());
                let hi = offsets.partition_point(|&o| o <= verb.end() + 60);
                for e in &speakers[lo..hi] {
                    let rank = match e.kind {
                        EntityKind::Person => 0,
                        EntityKind::Org => 2,
                        _ => continue,
                    };
                    let d = distance(e);
                    if d <= 60 && best.as_ref().is_none_or(|b| (rank, d) < (b.1, b.0)) {
                        let name = if rank == 0 {
                            clean_name(&e.text)
                        } else {
                            e.text.as_str()
                        };
                        best = Some((d, rank, name.to_string()));
                    }
                }
            }
            // The detector may have missed the name: a capitalised word right before the verb
            // ("…, Lavrov, claimed:", "Haniyeh said") that the article already named as a person
            // outranks an organisation.
            if best.as_ref().is_none_or(|b| b.1 > 0)
                && let Some(name) = NAME_BEFORE_VERB.captures_iter(sentence).find_map(|c| {
                    let name = c.get(1)?.as_str();
                    people_seen
                        .iter()
                        .any(|p| p.split_whitespace().any(|w| w == name))
                        .then(|| name.to_string())
                })
            {
                best = Some((0, 1, name));
            }
            speaker = best.map(|b| b.2);
        }
        // A sentence inside a quotation continues the previous speaker's words.
        let in_quote = starts_with_quote || quote_paragraph || quote_open;
        if speaker.is_none() && in_quote {
            speaker = previous_speaker.clone();
        }
        // Track whether a quotation stays open after this sentence.
        for c in sentence.chars() {
            match c {
                '“' | '„' => quote_open = true,
                '”' => quote_open = false,
                '"' => quote_open = !quote_open,
                _ => {}
            }
        }
        let speaker = speaker.map(|name| fullest_name(&name, &people_seen));
        for e in speakers.iter().filter(|e| e.kind == EntityKind::Person) {
            people_seen.push(clean_name(&e.text).to_string());
        }
        if speaker.is_some() {
            previous_speaker = speaker.clone();
        } else if !in_quote {
            // A sentence about someone else resets who "he" refers to.
            if let Some(person) = speakers.iter().rev().find(|e| e.kind == EntityKind::Person) {
                previous_speaker = Some(fullest_name(clean_name(&person.text), &people_seen));
            }
        }
        out.push(speaker);
    }
    out
}

/// The longest earlier form of a person's name that ends with (or contains) the given surname.
/// Titles and connectors that the entity detector sometimes leaves at the front of a name
/// ("of State Antony Blinken", "Minister Sergey Lavrov").
const TITLE_WORDS: &[&str] = &[
    "of",
    "the",
    "for",
    "and",
    "State",
    "Secretary",
    "Minister",
    "Foreign",
    "Prime",
    "President",
    "Vice",
    "Deputy",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Adviser",
    "Advisor",
    "General",
    "Gen.",
    "Leader",
    "Chief",
    "Chairman",
    "Ambassador",
    "Envoy",
    "Senator",
    "Sen.",
    "Rep.",
    "Governor",
    "Gov.",
    "Mayor",
    "Director",
    "Commander",
    "Major",
    "Colonel",
    "Special",
    "Representative",
    "Supreme",
    "Ayatollah",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Prof.",
    "U.S.",
    "US",
    "UN",
    "U.N.",
    "National",
    "Security",
    "Defense",
    "Defence",
    "Interior",
    "Justice",
];

/// Drops leading titles and lower-case words from a detected name.
fn clean_name(name: &str) -> &str {
    let mut rest = name.trim();
    loop {
        let Some((first, tail)) = rest.split_once(' ') else {
            return rest;
        };
        if TITLE_WORDS.contains(&first) || first.starts_with(char::is_lowercase) {
            rest = tail.trim_start();
        } else {
            return rest;
        }
    }
}

fn fullest_name(name: &str, seen: &[String]) -> String {
    let short = name
        .strip_suffix("’s")
        .or_else(|| name.strip_suffix("'s"))
        .unwrap_or(name)
        .trim();
    if short.contains(' ') {
        return short.to_string();
    }
    seen.iter()
        .filter(|full| {
            full.split_whitespace()
                .any(|w| w.trim_end_matches(['’', '\'']) == short)
                && full.len() > short.len()
        })
        .max_by_key(|full| full.split_whitespace().count())
        .map_or_else(|| short.to_string(), |full| full.clone())
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
