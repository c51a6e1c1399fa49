//! Anchors: where a span sits in an article, robust to edits of the text.
//!
//! Follows the W3C Web Annotation idea as Hypothesis uses it: a TextPosition (char offsets) plus
//! a TextQuote (the exact text with [`CONTEXT_CHARS`] of prefix and suffix). When the text
//! changes, every place the quote could now be is scored as Hypothesis's `matchQuote` scores it
//! (quote 50, prefix 20, suffix 20, nearness to the old position 2), after folding what editors
//! and sites change without changing the text: curly and straight quotes, dashes, and runs of
//! whitespace (a re-wrapped line).
//!
//! Unlike Hypothesis, which takes the best candidate whatever it is, a candidate must also be
//! the same passage: its context must agree on at least one side (a name inside a deleted
//! sentence does not jump to another sentence that mentions it), a fuzzy match must agree on
//! both sides and start and end where the quote's words did (no "oor Championships"), and two
//! copies that nothing tells apart leave the anchor an orphan. An orphan is kept and listed for
//! the analyst; a span on other text would be a silent error.

use serde::{Deserialize, Serialize};

use crate::corpus::Article;
use crate::text::Span;

/// Context kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
}

impl Anchor {
    /// Anchors `span` in `article` (clamped to the text).
    pub fn new(article: &Article, span: Span) -> Self {
        let len = article.char_len();
        let span = Span::new(span.start.min(len), span.end.min(len));
        let prefix_span = Span::new(span.start.saturating_sub(CONTEXT_CHARS), span.start);
        let suffix_span = Span::new(span.end, (span.end + CONTEXT_CHARS).min(len));
        Self {
            start: span.start,
            end: span.end,
            quote: article.slice(span).to_string(),
            prefix: article.slice(prefix_span).to_string(),
            suffix: article.slice(suffix_span).to_string(),
        }
    }

    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// What re-anchoring did to one anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reanchor {
    /// Still exactly where it was.
    Held,
    /// Found again elsewhere (exact or fuzzy quote).
    Moved(Anchor),
    /// Not found for sure: keep the record, list it as an orphan.
    Orphaned,
}

/// Hypothesis's weights (`match-quote.ts`): the quote, each side's context, and nearness to the
/// old position as a tie-breaker.
const QUOTE_WEIGHT: f64 = 50.0;
const PREFIX_WEIGHT: f64 = 20.0;
const SUFFIX_WEIGHT: f64 = 20.0;
const POSITION_WEIGHT: f64 = 2.0;

/// Context similarity that counts as the same surroundings (a typo fixed in them is fine).
const STRONG_CONTEXT: f64 = 0.9;
/// A long quote found with its context on one side only (the sentence before it was deleted)
/// needs this much prefix plus suffix similarity.
const MIN_CONTEXT_SUM: f64 = 1.1;
/// A short quote (a name) is common: found with one side's context only, it may be another
/// mention that the deletion of its own sentence brought next to that context. It needs both
/// sides this similar, or three quarters of its context chars in agreement (the context runs
/// up to an edit on one side).
const SHORT_QUOTE_CONTEXT: f64 = 0.6;
/// A fuzzy match (the quote itself was edited) needs its context on both sides.
const FUZZY_CONTEXT: f64 = 0.7;
/// A quote this long (folded chars, and six words or more) is distinctive: found exactly once,
/// it is its passage even when both sides changed (a one-sentence paragraph moved).
const DISTINCTIVE_QUOTE: usize = 40;
/// Folded chars a passage can move when only its surroundings were retouched (typo fixes).
const NEAR: usize = 200;
/// Score difference under which two places cannot be told apart: about what one side's context
/// weighs when it half agrees, more than nearness to the old position can add.
const TIE: f64 = 0.05;

/// Finds `anchor` again in `article`.
pub fn reanchor(anchor: &Anchor, article: &Article) -> Reanchor {
    if anchor.quote.is_empty() {
        return Reanchor::Orphaned;
    }
    if anchor.end <= article.char_len()
        && article.slice(anchor.span()) == anchor.quote
        && article.slice(Span::new(
            anchor.start.saturating_sub(anchor.prefix.chars().count()),
            anchor.start,
        )) == anchor.prefix
        && article
            .slice(Span::new(
                anchor.end,
                (anchor.end + anchor.suffix.chars().count()).min(article.char_len()),
            ))
            .starts_with(anchor.suffix.as_str())
    {
        return Reanchor::Held;
    }
    match find(anchor, article) {
        Some(span) if span == anchor.span() && article.slice(span) == anchor.quote => {
            Reanchor::Held
        }
        Some(span) => Reanchor::Moved(Anchor::new(article, span)),
        None => Reanchor::Orphaned,
    }
}

/// Text with quotes, dashes and whitespace runs folded, and where each folded char came from.
struct Folded {
    chars: Vec<char>,
    /// For each folded char, the char offset in the original text it stands for.
    origin: Vec<usize>,
    /// Original char offset just after each folded char.
    origin_end: Vec<usize>,
}

impl Folded {
    fn new(text: &str) -> Self {
        let mut folded = Folded {
            chars: Vec::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len()),
            origin_end: Vec::with_capacity(text.len()),
        };
        let mut in_space = false;
        for (i, c) in text.chars().enumerate() {
            if c.is_whitespace() {
                if in_space {
                    // The run's one space now ends here.
                    if let Some(end) = folded.origin_end.last_mut() {
                        *end = i + 1;
                    }
                    continue;
                }
                in_space = true;
                folded.push(' ', i);
                continue;
            }
            in_space = false;
            match c {
                '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => folded.push('\'', i),
                '“' | '”' | '„' | '‟' | '″' | '«' | '»' => folded.push('"', i),
                '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => folded.push('-', i),
                '…' => {
                    for _ in 0..3 {
                        folded.push('.', i);
                    }
                }
                c => folded.push(c, i),
            }
        }
        folded
    }

    fn push(&mut self, c: char, origin: usize) {
        self.chars.push(c);
        self.origin.push(origin);
        self.origin_end.push(origin + 1);
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    /// The original span of folded chars `start..end`.
    fn original(&self, start: usize, end: usize) -> Option<Span> {
        if start >= end {
            return None;
        }
        Some(Span::new(self.origin[start], self.origin_end[end - 1]))
    }

    /// The folded position of original char offset `offset` (the first folded char at or after
    /// it).
    fn position_of(&self, offset: usize) -> usize {
        self.origin.partition_point(|&o| o < offset)
    }
}

/// Folds a piece of stored text (quote or context) the same way, trimmed of nothing.
fn fold(text: &str) -> Vec<char> {
    Folded::new(text).chars
}

/// Every start of `needle` in `hay`.
fn occurrences(hay: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    let first = needle[0];
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i] == first && hay[i..i + needle.len()] == *needle)
        .collect()
}

/// 1 − edit distance / length: 1.0 for equal, 0.0 for nothing in common.
fn similarity(a: &[char], b: &[char]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - strsim::generic_levenshtein(&Chars(a), &Chars(b)) as f64 / longest as f64
}

/// Chars of context compared beyond the stored context's length.
const CONTEXT_SLACK: usize = 16;

/// How well `stored` context (read outwards from the quote) matches the text next to the
/// candidate (read outwards the same way, and longer): 1 − the edit distance of `stored` to the
/// best-matching start of `text`, over `stored`'s length. Unlike a comparison of equal lengths,
/// a few chars inserted or deleted inside the context cost only themselves.
fn context_similarity<'a>(
    stored: impl Iterator<Item = &'a char>,
    text: impl Iterator<Item = &'a char> + Clone,
) -> f64 {
    // Edit distance of `stored` against every prefix of `text` (one DP row per stored char).
    let mut row: Vec<usize> = (0..=text.clone().count()).collect();
    let mut stored_len = 0;
    for (i, s) in stored.enumerate() {
        stored_len = i + 1;
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, t) in text.clone().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(s != t))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    if stored_len == 0 {
        return 1.0;
    }
    let best = row.iter().copied().min().unwrap_or(stored_len);
    1.0 - best.min(stored_len) as f64 / stored_len as f64
}

/// A char slice as `strsim` takes it (by reference to something iterable).
struct Chars<'a>(&'a [char]);

impl<'a> IntoIterator for &Chars<'a> {
    type Item = &'a char;
    type IntoIter = std::slice::Iter<'a, char>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The quote, its context and what its ends looked like, folded.
struct Target {
    quote: Vec<char>,
    prefix: Vec<char>,
    suffix: Vec<char>,
    /// Whether the quote began in the middle of a word (`None`: it began with a non-letter, so
    /// either is fine).
    starts_mid_word: Option<bool>,
    ends_mid_word: Option<bool>,
}

impl Target {
    fn new(anchor: &Anchor) -> Self {
        let quote = fold(&anchor.quote);
        let prefix = fold(&anchor.prefix);
        let suffix = fold(&anchor.suffix);
        let starts_mid_word = quote
            .first()
            .filter(|c| is_word(**c))
            .map(|_| prefix.last().is_some_and(|c| is_word(*c)));
        let ends_mid_word = quote
            .last()
            .filter(|c| is_word(**c))
            .map(|_| suffix.first().is_some_and(|c| is_word(*c)));
        Self {
            quote,
            prefix,
            suffix,
            starts_mid_word,
            ends_mid_word,
        }
    }
}

/// One place the quote might be now, in folded chars.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    start: usize,
    end: usize,
    exact: bool,
    quote: f64,
    /// `None` where the anchor has no context on that side to compare.
    prefix: Option<f64>,
    suffix: Option<f64>,
    /// Chars of context that agree: a side's whole length when it is similar, else how many
    /// chars next to the quote are the same (up to where the text was edited).
    agreement: usize,
    /// Folded chars between this place and where the anchor was.
    moved: usize,
    score: f64,
}

/// The best place for `anchor` in `article`, if one is the same passage for sure.
fn find(anchor: &Anchor, article: &Article) -> Option<Span> {
    let text = Folded::new(&article.text);
    let target = Target::new(anchor);
    if target.quote.is_empty() || text.len() == 0 {
        return None;
    }
    let old_start = text.position_of(anchor.start);
    let score = |start: usize, end: usize, exact: bool| {
        candidate(&text, &target, old_start, start, end, exact)
    };

    let exact_starts = occurrences(&text.chars, &target.quote);
    let exact: Vec<Candidate> = exact_starts
        .iter()
        .filter_map(|&start| score(start, start + target.quote.len(), true))
        .collect();
    let unique_exact = exact_starts.len() == 1;
    let mut candidates: Vec<Candidate> = exact
        .iter()
        .filter(|c| accepts(c, &target, unique_exact))
        .copied()
        .collect();
    // A copy that is not sure enough to be placed on is still a rival: if it scores as well as
    // the best, nothing tells which is meant (two lines of a list that begin alike).
    let mut rivals = exact;
    // As Hypothesis does, look for an edited quote only where the quote itself is not found: a
    // near match around an exact one would win on context alone (the title before a sentence).
    // A long quote found once is placed even with no context agreeing (a one-sentence
    // paragraph moved), unless its own passage may still be there with a word edited: a copy
    // in its old surroundings (a list that names someone twice, the name misspelt in one).
    let strong = |side: Option<f64>| side.is_some_and(|s| s >= STRONG_CONTEXT);
    let context_free =
        candidates.len() == 1 && !strong(candidates[0].prefix) && !strong(candidates[0].suffix);
    if candidates.is_empty() || context_free {
        // Where the quote is there unedited, the exact rules have said it is not sure to be the
        // passage; an "edited quote" around it (the quote and an "'s" of its context) is not
        // surer.
        let quote_len = target.quote.len();
        let covers_exact = |start: usize, end: usize| {
            exact_starts
                .iter()
                .any(|&s| s < end && start < s + quote_len)
        };
        let fuzzy: Vec<Candidate> = fuzzy_spans(&text, &target)
            .into_iter()
            .filter(|&(start, end)| !covers_exact(start, end))
            .filter_map(|(start, end)| score(start, end, false))
            .filter(|c| !c.exact && accepts(c, &target, false))
            .collect();
        if context_free && !fuzzy.is_empty() {
            return None;
        }
        rivals.extend(fuzzy.iter().copied());
        candidates.extend(fuzzy);
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let best = *candidates.first()?;
    rivals.sort_by(|a, b| b.score.total_cmp(&a.score));
    // Another place, as good, that is not the same text: nothing tells which is meant. Context
    // that is exactly the same on both sides does tell, however close the rest of the text.
    let untouched = |c: &Candidate| c.prefix == Some(1.0) && c.suffix == Some(1.0);
    let rival = rivals
        .iter()
        .find(|c| c.end <= best.start || c.start >= best.end);
    if rival.is_some_and(|r| best.score - r.score < TIE && (untouched(r) || !untouched(&best))) {
        return None;
    }
    // The prefix says one place and the suffix another (a paragraph moved between two that
    // begin alike): the context contradicts itself.
    let contradicted = rivals.iter().any(|r| {
        (r.end <= best.start || r.start >= best.end)
            && ((strong(r.prefix) && !strong(best.prefix))
                || (strong(r.suffix) && !strong(best.suffix)))
    });
    if contradicted {
        return None;
    }
    text.original(best.start, best.end)
}

/// Scores the folded span `start..end` as a place for the quote; `None` when its ends cut words
/// the quote did not cut (or the other way round).
fn candidate(
    text: &Folded,
    target: &Target,
    old_start: usize,
    start: usize,
    end: usize,
    exact: bool,
) -> Option<Candidate> {
    if start >= end || end > text.len() {
        return None;
    }
    let chars = &text.chars;
    let mid_word_start = start > 0 && is_word(chars[start - 1]) && is_word(chars[start]);
    let mid_word_end = end < chars.len() && is_word(chars[end - 1]) && is_word(chars[end]);
    // An edited quote starts and ends with the same kind of char (no comma taken in).
    let same_kind = |a: char, b: char| is_word(a) == is_word(b);
    if !exact
        && (!same_kind(chars[start], target.quote[0])
            || !same_kind(chars[end - 1], target.quote[target.quote.len() - 1]))
    {
        return None;
    }
    if target.starts_mid_word.is_some_and(|m| m != mid_word_start)
        || target.ends_mid_word.is_some_and(|m| m != mid_word_end)
        || (target.starts_mid_word.is_none() && mid_word_start && !exact)
        || (target.ends_mid_word.is_none() && mid_word_end && !exact)
    {
        return None;
    }
    let quote = if exact {
        1.0
    } else {
        similarity(&chars[start..end], &target.quote)
    };
    // Text inserted or deleted inside the context shifts the rest of it: compare with a window
    // a little longer than the stored context.
    let prefix = if target.prefix.is_empty() {
        // The quote began the text: the same if it still does, unknown otherwise.
        (start == 0).then_some(1.0)
    } else {
        let from = start.saturating_sub(target.prefix.len() + CONTEXT_SLACK);
        Some(context_similarity(
            target.prefix.iter().rev(),
            chars[from..start].iter().rev(),
        ))
    };
    let suffix = if target.suffix.is_empty() {
        (end == chars.len()).then_some(1.0)
    } else {
        let to = (end + target.suffix.len() + CONTEXT_SLACK).min(chars.len());
        Some(context_similarity(
            target.suffix.iter(),
            chars[end..to].iter(),
        ))
    };
    let side = |similar: Option<f64>, stored: &[char], adjacent: usize| match similar {
        Some(s) if s >= STRONG_CONTEXT => stored.len(),
        _ => adjacent,
    };
    let adjacent_before = chars[..start]
        .iter()
        .rev()
        .zip(target.prefix.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let adjacent_after = chars[end..]
        .iter()
        .zip(&target.suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let agreement = side(prefix, &target.prefix, adjacent_before)
        + side(suffix, &target.suffix, adjacent_after);
    let position = 1.0 - start.abs_diff(old_start) as f64 / chars.len().max(1) as f64;
    // An unknown side counts half, as neither for nor against.
    let score = QUOTE_WEIGHT * quote
        + PREFIX_WEIGHT * prefix.unwrap_or(0.5)
        + SUFFIX_WEIGHT * suffix.unwrap_or(0.5)
        + POSITION_WEIGHT * position;
    Some(Candidate {
        start,
        end,
        exact,
        quote,
        prefix,
        suffix,
        agreement,
        moved: start.abs_diff(old_start),
        score: score / (QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT),
    })
}

/// Whether `candidate` is the anchor's passage for sure (not just the best there is).
fn accepts(candidate: &Candidate, target: &Target, unique_exact: bool) -> bool {
    let distinctive = target.quote.len() >= DISTINCTIVE_QUOTE
        && target.quote.iter().filter(|c| **c == ' ').count() >= 5;
    // Moving a block of text (a paragraph added, swapped, a sentence deleted) keeps the context
    // inside the block the same and replaces it where the block ends. Context that is nearly
    // the same is a retouch (a typo fixed), which moves nothing far: far away, it is a near
    // copy of a deleted passage (a statement quoted twice in an article).
    let retouched = [candidate.prefix, candidate.suffix]
        .into_iter()
        .flatten()
        .any(|s| (STRONG_CONTEXT..1.0).contains(&s));
    if retouched && candidate.moved > NEAR && !(distinctive && unique_exact && candidate.exact) {
        return false;
    }
    let both_at_least = |min: f64| match (candidate.prefix, candidate.suffix) {
        (Some(p), Some(s)) => p >= min && s >= min,
        _ => false,
    };
    let strong = [candidate.prefix, candidate.suffix]
        .into_iter()
        .flatten()
        .any(|s| s >= STRONG_CONTEXT);
    if candidate.exact {
        if target.prefix.is_empty() && target.suffix.is_empty() {
            // The quote was the whole text: nothing around it to compare.
            return true;
        }
        if !distinctive {
            let possible = target.prefix.len() + target.suffix.len();
            return match (candidate.prefix, candidate.suffix) {
                (Some(_), Some(_)) => {
                    strong
                        && (both_at_least(SHORT_QUOTE_CONTEXT)
                            || candidate.agreement * 4 >= possible * 3)
                }
                // The quote began or ended the text and no longer does (a paragraph added at
                // the top): only the other side can say, and no other copy may compete.
                _ => strong && unique_exact,
            };
        }
        let known: Vec<f64> = [candidate.prefix, candidate.suffix]
            .into_iter()
            .flatten()
            .collect();
        let context = strong && (known.len() == 1 || known.iter().sum::<f64>() >= MIN_CONTEXT_SUM);
        return context || unique_exact;
    }
    // The quote was edited: it must still be mostly the same chars, in the same surroundings.
    if candidate.quote < 0.8 {
        return false;
    }
    match (candidate.prefix, candidate.suffix) {
        (Some(_), Some(_)) => both_at_least(FUZZY_CONTEXT),
        (Some(one), None) | (None, Some(one)) => distinctive && one >= STRONG_CONTEXT,
        (None, None) => false,
    }
}

/// Spans where an edited quote may be: between where its context ends and starts again, or
/// where its first and last words still are, of about its length.
fn fuzzy_spans(text: &Folded, target: &Target) -> Vec<(usize, usize)> {
    let chars = &text.chars;
    let q = target.quote.len();
    // A few typo fixes change the length by a few chars.
    let slack = (q / 10).clamp(3, 12);
    let piece = |s: &[char], from_end: bool| -> Vec<char> {
        let n = s.len().min(12);
        if from_end {
            s[s.len() - n..].to_vec()
        } else {
            s[..n].to_vec()
        }
    };
    let mut starts: Vec<usize> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    if target.prefix.len() >= 6 {
        let tail = piece(&target.prefix, true);
        starts.extend(
            occurrences(chars, &tail)
                .into_iter()
                .map(|i| i + tail.len()),
        );
    }
    if target.suffix.len() >= 6 {
        ends.extend(occurrences(chars, &piece(&target.suffix, false)));
    }
    if q >= 12 {
        let head = piece(&target.quote[..q / 2], false);
        starts.extend(occurrences(chars, &head));
        let tail = piece(&target.quote[q / 2..], true);
        ends.extend(
            occurrences(chars, &tail)
                .into_iter()
                .map(|i| i + tail.len()),
        );
    }
    // Context found, but no quote piece: a short quote between them.
    if target.prefix.len() >= 6 && target.suffix.len() >= 6 {
        let tail = piece(&target.prefix, true);
        for i in occurrences(chars, &tail) {
            let start = i + tail.len();
            // A space after the context stays out of the quote, as it was.
            ends.extend(
                (start + q.saturating_sub(slack)..=start + q + slack).filter(|&e| {
                    e <= chars.len() && chars[start..e].first().is_some_and(|c| *c != ' ')
                }),
            );
        }
    }
    starts.sort_unstable();
    starts.dedup();
    ends.sort_unstable();
    ends.dedup();
    let mut spans = Vec::new();
    for &start in &starts {
        let low = start + q.saturating_sub(slack);
        let high = start + q + slack;
        let from = ends.partition_point(|&e| e < low);
        for &end in ends[from..].iter().take_while(|&&e| e <= high) {
            spans.push((start, end));
            if spans.len() > 2000 {
                return spans;
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        Article::from_text("a.txt", text)
    }

    fn anchor_on(article: &Article, quote: &str, occurrence: usize) -> Anchor {
        let byte = article
            .text
            .match_indices(quote)
            .nth(occurrence)
            .map(|(b, _)| b)
            .unwrap();
        let start = article.char_of(byte);
        Anchor::new(article, Span::new(start, start + quote.chars().count()))
    }

    fn placed(anchor: &Anchor, article: &Article) -> Option<String> {
        match reanchor(anchor, article) {
            Reanchor::Held => Some(article.slice(anchor.span()).to_string()),
            Reanchor::Moved(a) => Some(article.slice(a.span()).to_string()),
            Reanchor::Orphaned => None,
        }
    }

    #[test]
    fn holds_moves_and_orphans() {
        let old = article(
            "Intro line.\nLavrov said the Iranian authorities have taken a responsible stand. End.",
        );
        let anchor = anchor_on(&old, "the Iranian authorities", 0);
        assert_eq!(reanchor(&anchor, &old), Reanchor::Held);

        let moved = article(
            "A new first paragraph.\nIntro line.\nLavrov said the Iranian authorities have taken a responsible stand. End.",
        );
        match reanchor(&anchor, &moved) {
            Reanchor::Moved(a) => assert_eq!(a.quote, "the Iranian authorities"),
            other => panic!("expected a move, got {other:?}"),
        }

        let typo_fixed = article(
            "Intro line.\nLavrov said the Iranian authoritees have taken a responsible stand. End.",
        );
        match reanchor(&anchor, &typo_fixed) {
            Reanchor::Moved(a) => assert_eq!(a.quote, "the Iranian authoritees"),
            other => panic!("expected a fuzzy move, got {other:?}"),
        }

        let gone = article("Completely different text about football.");
        assert_eq!(reanchor(&anchor, &gone), Reanchor::Orphaned);
    }

    #[test]
    fn a_name_in_a_deleted_sentence_is_orphaned_not_moved_to_another_mention() {
        let old = article(
            "Hamas fighters crossed the border at dawn. Officials in Cairo said talks with Hamas \
             would resume on Monday. The army called up reservists.",
        );
        let anchor = anchor_on(&old, "Hamas", 1);
        let new =
            article("Hamas fighters crossed the border at dawn. The army called up reservists.");
        assert_eq!(placed(&anchor, &new), None);
        // The first mention is still found after the same deletion.
        let first = anchor_on(&old, "Hamas", 0);
        assert_eq!(placed(&first, &new).as_deref(), Some("Hamas"));
    }

    #[test]
    fn a_fuzzy_match_never_cuts_a_word() {
        let old = article(
            "She won gold at the European Indoor Championships in Madrid last year, and silver in \
             Birmingham.",
        );
        let anchor = anchor_on(&old, "European Indoor Championships", 0);
        // The sentence is rewritten around a similar phrase: no half-word match.
        let new =
            article("She trains for the World Floor Championships in Madrid, and for Birmingham.");
        let found = placed(&anchor, &new);
        assert!(
            found.as_deref().is_none_or(|t| !t.starts_with("oor")),
            "{found:?}"
        );
    }

    #[test]
    fn a_sentence_there_twice_stays_with_its_own_copy() {
        let sentence = "Russia will act as a mediator between the two sides.";
        let old = article(&format!(
            "Moscow said on Friday that {sentence} Diplomats doubted it.\n\nLater, in Geneva, an \
             official repeated that {sentence} Nobody answered."
        ));
        let second = anchor_on(&old, sentence, 1);
        // A summary paragraph at the top quotes it a third time.
        let new = article(&format!("In brief: {sentence}\n\n{}", old.text));
        match reanchor(&second, &new) {
            Reanchor::Moved(a) => {
                assert_eq!(a.quote, sentence);
                assert!(a.prefix.ends_with("an official repeated that "), "{a:?}");
            }
            other => panic!("expected a move with the text, got {other:?}"),
        }
    }

    #[test]
    fn a_long_quote_misspelt_in_its_place_does_not_jump_to_its_copy_elsewhere() {
        let entry = "K Holmes (Ealing, Southall and Middlesex AC).";
        let old = article(&format!(
            "Women:\n\nK Wall (Basildon AC).\n\n{entry}\n\nH Clitheroe (Preston Harriers).\n\n\
             Relay: H Clitheroe (Preston Harriers), {entry}\n\nJ Pavey (Exeter Harriers)."
        ));
        let first = anchor_on(&old, entry, 0);
        let new = article(&old.text.replacen("K Holmes", "K Holes", 1));
        let found = match reanchor(&first, &new) {
            Reanchor::Held => Some(first.clone()),
            Reanchor::Moved(a) => Some(a),
            Reanchor::Orphaned => None,
        };
        assert!(
            found
                .as_ref()
                .is_none_or(|a| a.prefix.ends_with("Basildon AC).\n\n")),
            "{found:?}"
        );
    }

    #[test]
    fn two_paragraphs_that_begin_alike_swapped_leave_a_shared_word_orphaned() {
        let old = article(
            "Talks stall until May, Reuters says.\n\nThe Sunday Times reported that hedge funds \
             were selling.\n\nA note on Deutsche's LSE bid\n\nThe Sunday Times reported that \
             TCI had bought more.",
        );
        let anchor = anchor_on(&old, "Sunday", 0);
        let new = article(
            "Talks stall until May, Reuters says.\n\nThe Sunday Times reported that TCI had \
             bought more.\n\nA note on Deutsche's LSE bid\n\nThe Sunday Times reported that \
             hedge funds were selling.",
        );
        let found = match reanchor(&anchor, &new) {
            Reanchor::Held => Some(anchor.clone()),
            Reanchor::Moved(a) => Some(a),
            Reanchor::Orphaned => None,
        };
        assert!(
            found
                .as_ref()
                .is_none_or(|a| a.suffix.starts_with(" Times reported that hedge")),
            "{found:?}"
        );
    }

    #[test]
    fn curly_quotes_dashes_and_rewrapped_lines_are_the_same_text() {
        let old = article("He said: “We will not stop – ever,” and left the room at once.");
        let anchor = anchor_on(&old, "“We will not stop – ever,”", 0);
        let new = article("He said: \"We will not\nstop - ever,\" and left the room at once.");
        assert_eq!(
            placed(&anchor, &new).as_deref(),
            Some("\"We will not\nstop - ever,\"")
        );
    }
}
