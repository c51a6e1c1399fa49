//! Anchors: where a span sits in an article, robust to edits of the text.
//!
//! Follows the W3C Web Annotation idea (as Hypothesis uses it): a TextPosition (char offsets)
//! plus a TextQuote (exact text with ~32 chars of prefix and suffix). When the text changes, the
//! span is found again by exact position, then exact quote (nearest to the old place, best
//! context), then a fuzzy quote; otherwise it is an orphan.

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
    /// Not found: keep the record, list it as an orphan.
    Orphaned,
}

/// Finds `anchor` again in `article`.
pub fn reanchor(anchor: &Anchor, article: &Article) -> Reanchor {
    if anchor.quote.is_empty() {
        return Reanchor::Orphaned;
    }
    if anchor.end <= article.char_len() && article.slice(anchor.span()) == anchor.quote {
        return Reanchor::Held;
    }
    let text = &article.text;
    // Exact quote: among all occurrences pick the one whose context matches best, then the
    // nearest to the old position.
    let candidates: Vec<usize> = text.match_indices(&anchor.quote).map(|(b, _)| b).collect();
    if !candidates.is_empty() {
        let best = candidates
            .iter()
            .map(|&byte| {
                let start = article.char_of(byte);
                let end = start + anchor.quote.chars().count();
                let context = context_score(anchor, article, Span::new(start, end));
                (
                    context,
                    std::cmp::Reverse(start.abs_diff(anchor.start)),
                    start,
                    end,
                )
            })
            .max();
        if let Some((_, _, start, end)) = best {
            return Reanchor::Moved(Anchor::new(article, Span::new(start, end)));
        }
    }
    match fuzzy_find(anchor, article) {
        Some(span) => Reanchor::Moved(Anchor::new(article, span)),
        None => Reanchor::Orphaned,
    }
}

/// How many chars of prefix and suffix match around `span` (0..=2*CONTEXT_CHARS).
fn context_score(anchor: &Anchor, article: &Article, span: Span) -> usize {
    let before = article.slice(Span::new(
        span.start.saturating_sub(CONTEXT_CHARS),
        span.start,
    ));
    let after = article.slice(Span::new(
        span.end,
        (span.end + CONTEXT_CHARS).min(article.char_len()),
    ));
    let prefix_match = before
        .chars()
        .rev()
        .zip(anchor.prefix.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix_match = after
        .chars()
        .zip(anchor.suffix.chars())
        .take_while(|(a, b)| a == b)
        .count();
    prefix_match + suffix_match
}

/// Fuzzy quote search: slides a window of the quote's length (±20%) over sentences near the old
/// position and across the text, scoring by normalised Levenshtein similarity of quote and
/// context. Accepts a match of at least 0.8 similarity.
fn fuzzy_find(anchor: &Anchor, article: &Article) -> Option<Span> {
    let quote: Vec<char> = anchor.quote.chars().collect();
    let text: Vec<char> = article.text.chars().collect();
    let q = quote.len();
    if q == 0 || text.len() < q / 2 {
        return None;
    }
    // Long texts: only look at starts where the first or last few chars of the quote match,
    // which keeps this near-linear.
    let head: String = quote.iter().take(6).collect();
    let tail: String = quote
        .iter()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut starts: Vec<usize> = Vec::new();
    for (byte, _) in article.text.match_indices(&head) {
        starts.push(article.char_of(byte));
    }
    for (byte, _) in article.text.match_indices(&tail) {
        let end = article.char_of(byte) + tail.chars().count();
        starts.push(end.saturating_sub(q));
    }
    // Also try around the old position.
    starts.push(anchor.start.min(text.len().saturating_sub(1)));
    starts.sort_unstable();
    starts.dedup();
    let mut best: Option<(f64, Span)> = None;
    // A small slack bounds the work: windows grow quadratically with it.
    let slack = (q / 10).clamp(2, 8);
    for &start in &starts {
        for s in start.saturating_sub(slack)..=(start + slack).min(text.len()) {
            for len in q.saturating_sub(slack)..=q + slack {
                let e = s + len;
                if e > text.len() || len == 0 {
                    continue;
                }
                let window: String = text[s..e].iter().collect();
                let similarity = strsim::normalized_levenshtein(&window, &anchor.quote);
                if best.as_ref().is_none_or(|(b, _)| similarity > *b) {
                    best = Some((similarity, Span::new(s, e)));
                }
            }
        }
    }
    best.filter(|(similarity, _)| *similarity >= 0.8)
        .map(|(_, span)| span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        Article::from_text("a.txt", text)
    }

    #[test]
    fn holds_moves_and_orphans() {
        let old = article(
            "Intro line.\nLavrov said the Iranian authorities have taken a responsible stand. End.",
        );
        let start = old.text.find("the Iranian").unwrap();
        let span = Span::new(
            old.char_of(start),
            old.char_of(start) + "the Iranian authorities".len(),
        );
        let anchor = Anchor::new(&old, span);
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
}
