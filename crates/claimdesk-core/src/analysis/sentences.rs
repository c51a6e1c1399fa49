//! Sentence splitting tuned for news prose.
//!
//! Splits inside each paragraph (a line) on `.`, `!`, `?` and `…` when what follows starts a new
//! sentence, except after abbreviations (U.S., Gen., Oct., Mr.) and initials. Headlines and
//! captions without final punctuation end at the line break.

use crate::text::Span;

/// Abbreviations after which a full stop does not end a sentence (lower-cased, without the dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "cmdr",
    "gov", "sen", "rep", "rev", "st", "sr", "jr", "hon", "pres", "amb", "messrs", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed",
    "thu", "fri", "sat", "sun", "no", "nos", "vs", "v", "etc", "approx", "est", "dept", "univ",
    "inc", "ltd", "co", "corp", "bros", "fig", "vol", "p", "pp", "al", "e.g", "i.e", "cf", "ca",
];

/// Abbreviations that are also ordinary words at the end of a sentence ("say no."): they only
/// hold the sentence together before a number ("No. 10", "p. 4").
const NUMBER_ABBREVIATIONS: &[&str] = &["no", "nos", "p", "pp", "fig", "vol"];

/// Words that start a new sentence even after a dotted acronym ("… from the U.S. The …").
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "In",
    "On",
    "At",
    "A",
    "An",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "There",
    "However",
    "Meanwhile",
    "Yet",
    "So",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "As",
    "Some",
    "Many",
    "Most",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower = w.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // Initials and dotted acronyms: "U.S", "U.N", "J", "D.C".
    let letters: Vec<&str> = w.split('.').collect();
    !w.is_empty()
        && letters
            .iter()
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase))
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '[', '«'];

/// Sentence spans (char offsets) of `text`, trimmed of surrounding whitespace.
pub fn split(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut line_start = 0;
    for i in 0..=chars.len() {
        if i == chars.len() || chars[i] == '\n' {
            split_line(&chars, line_start, i, &mut spans);
            line_start = i + 1;
        }
    }
    spans
}

fn split_line(chars: &[char], start: usize, end: usize, out: &mut Vec<Span>) {
    let mut sentence_start = start;
    let mut i = start;
    while i < end {
        let c = chars[i];
        let terminal = matches!(c, '.' | '!' | '?' | '…');
        if terminal {
            // Absorb runs like "?!" or "..." and closing quotes/brackets.
            let mut j = i + 1;
            while j < end
                && (matches!(chars[j], '.' | '!' | '?' | '…') || CLOSERS.contains(&chars[j]))
            {
                j += 1;
            }
            let followed_by_space = j < end && chars[j].is_whitespace();
            let next_start = (j..end).find(|&k| !chars[k].is_whitespace());
            let next_starts_sentence = next_start.is_some_and(|k| {
                let n = chars[k];
                n.is_uppercase() || n.is_ascii_digit() || OPENERS.contains(&n)
            });
            let ellipsis = c == '…' || (c == '.' && i + 1 < end && chars[i + 1] == '.');
            let word_before = word_ending_at(chars, sentence_start, i);
            let next_word: String = next_start
                .map(|k| {
                    chars[k..end]
                        .iter()
                        .take_while(|c| c.is_alphanumeric())
                        .collect()
                })
                .unwrap_or_default();
            let bare = word_before
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            let number_follows = next_word.starts_with(|c: char| c.is_ascii_digit());
            let holds_number_only = NUMBER_ABBREVIATIONS.contains(&bare.as_str());
            // "U.S. The": a dotted acronym ends the sentence before a typical opener.
            let acronym_ends =
                bare.contains('.') && SENTENCE_STARTERS.contains(&next_word.as_str());
            let abbreviation = c == '.'
                && j == i + 1
                && is_abbreviation(&word_before)
                && (number_follows || !holds_number_only)
                && !acronym_ends;
            if (j == end || (followed_by_space && next_starts_sentence))
                && !(abbreviation && j < end)
                && !(ellipsis && j < end && !next_starts_sentence)
            {
                push_trimmed(chars, sentence_start, j, out);
                sentence_start = next_start.unwrap_or(end);
                i = sentence_start;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push_trimmed(chars, sentence_start, end, out);
}

fn word_ending_at(chars: &[char], floor: usize, end: usize) -> String {
    let mut k = end;
    while k > floor && !chars[k - 1].is_whitespace() {
        k -= 1;
    }
    chars[k..end].iter().collect()
}

fn push_trimmed(chars: &[char], mut start: usize, mut end: usize, out: &mut Vec<Span>) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if end > start {
        out.push(Span::new(start, end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        split(text)
            .into_iter()
            .map(|s| text.chars().skip(s.start).take(s.len()).collect())
            .collect()
    }

    #[test]
    fn keeps_abbreviations_and_initials_together() {
        let s = sentences(
            "The U.S. did not have direct evidence. Gen. Smith met Mr. Jones on Oct. 7 in Washington, D.C. today. He left.",
        );
        assert_eq!(
            s,
            vec![
                "The U.S. did not have direct evidence.",
                "Gen. Smith met Mr. Jones on Oct. 7 in Washington, D.C. today.",
                "He left."
            ]
        );
    }

    #[test]
    fn quotes_ellipses_and_headlines() {
        let text = "Headline without a stop\n“With regard to Gaza… the Iranian authorities have taken a stand.” Lavrov said so. “Really?” she asked.";
        let s = sentences(text);
        assert_eq!(s[0], "Headline without a stop");
        assert_eq!(
            s[1],
            "“With regard to Gaza… the Iranian authorities have taken a stand.”"
        );
        assert_eq!(s[2], "Lavrov said so.");
        assert_eq!(s[3], "“Really?” she asked.");
    }
}
