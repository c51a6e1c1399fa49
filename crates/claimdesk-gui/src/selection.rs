//! What a drag, a double or triple click, or Shift+arrow selects in an article: pure functions
//! over its text, in char offsets.
//!
//! Snapping completes a word the drag cut only when the drag holds at least half of it; a sliver
//! of a neighbouring word is dropped instead. A drag that starts on the last letter of "Sergei"
//! and ends after "Lavrov" means "Lavrov", not "Sergei Lavrov" (let alone "Minister Sergei
//! Lavrov"), while "ster Ali Baghe" still means "minister Ali Bagheri".

use claimdesk_core::corpus::Article;
use claimdesk_core::text::Span;

/// A selection in one article: where it started and where it is now (the end Shift+arrow
/// moves), and the whole-word span it snaps to, which is what gets marked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub article: String,
    pub anchor: usize,
    pub head: usize,
    pub snapped: Span,
}

impl Selection {
    pub fn new(article: &Article, anchor: usize, head: usize) -> Self {
        let raw = Span::new(anchor.min(head), anchor.max(head));
        Self {
            article: article.id.clone(),
            anchor,
            head,
            snapped: snap(article, raw),
        }
    }

    /// Exactly `span`, unsnapped when it already is whole words (a search hit, a mention).
    pub fn exact(article: &Article, span: Span) -> Self {
        let mut selection = Self::new(article, span.start, span.end);
        if is_whole_words(article, span) {
            selection.snapped = span;
        }
        selection
    }

    pub fn raw(&self) -> Span {
        Span::new(self.anchor.min(self.head), self.anchor.max(self.head))
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Punctuation a selection may start or end on without meaning it: separators between words.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '/')
}

/// The chars of `article` from `start` to `end` (char offsets), collected: callers look at a
/// few words around a selection, never the whole text.
fn chars_between(article: &Article, start: usize, end: usize) -> Vec<char> {
    article
        .slice(Span::new(start, end.min(article.char_len())))
        .chars()
        .collect()
}

/// Char span of the word containing `offset` (or ending right before it).
pub fn word_at(article: &Article, offset: usize) -> Option<Span> {
    let len = article.char_len();
    let offset = offset.min(len);
    // A word is short; look at a window around the offset rather than the whole text.
    let from = offset.saturating_sub(64);
    let to = (offset + 64).min(len);
    let window = chars_between(article, from, to);
    let at = offset - from;
    let here = window.get(at).copied().filter(|&c| is_word(c));
    let before = at
        .checked_sub(1)
        .and_then(|i| window.get(i))
        .copied()
        .filter(|&c| is_word(c));
    let inside = if here.is_some() {
        at
    } else if before.is_some() {
        at - 1
    } else {
        return None;
    };
    let mut start = inside;
    while start > 0 && is_word(window[start - 1]) {
        start -= 1;
    }
    let mut end = inside;
    while end < window.len() && is_word(window[end]) {
        end += 1;
    }
    Some(Span::new(from + start, from + end))
}

fn is_whole_words(article: &Article, span: Span) -> bool {
    if span.is_empty() {
        return false;
    }
    let cut_at = |offset: usize| {
        let around = chars_between(article, offset.saturating_sub(1), offset + 1);
        offset > 0 && around.len() == 2 && is_word(around[0]) && is_word(around[1])
    };
    !cut_at(span.start) && !cut_at(span.end)
}

/// The selection as the analyst means it: white space trimmed, a word cut at either end
/// completed when at least half of it is selected and dropped when less is. A selection inside
/// one word selects that word. Only letters and digits make a word ("Iran" in "Iran's").
pub fn snap(article: &Article, span: Span) -> Span {
    let len = article.char_len();
    let span = Span::new(span.start.min(len), span.end.min(len));
    if span.is_empty() {
        return Span::new(span.start, span.start);
    }
    let text = article.slice(span);
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
    if lead == span.len() {
        return Span::new(span.start, span.start);
    }
    let mut start = span.start + lead;
    let mut end = span.end - trail;

    let first_word = word_at(article, start).filter(|w| w.contains(start));
    let last_word = end
        .checked_sub(1)
        .and_then(|e| word_at(article, e))
        .filter(|w| w.start < end);
    // Inside one word: that word.
    if let (Some(a), Some(b)) = (first_word, last_word)
        && a == b
    {
        return a;
    }
    if let Some(word) = first_word
        && word.start < start
    {
        let held = word.end.min(end) - start;
        if held * 2 >= word.len() {
            start = word.start;
        } else {
            start = word.end;
        }
    }
    if let Some(word) = last_word
        && word.end > end
    {
        let held = end - word.start.max(start);
        if held * 2 >= word.len() {
            end = word.end;
        } else {
            end = word.start;
        }
    }
    if start >= end {
        // Everything selected was slivers: keep the word the drag began in.
        return first_word.or(last_word).unwrap_or(Span::new(start, start));
    }
    // Dropping a sliver leaves the space or comma before the next word: trim it too.
    let inner = chars_between(article, start, end);
    let lead = inner.iter().take_while(|&&c| is_separator(c)).count();
    let trail = inner.iter().rev().take_while(|&&c| is_separator(c)).count();
    if lead + trail >= inner.len() {
        return Span::new(start, start);
    }
    Span::new(start + lead, end - trail)
}

/// The sentence containing `offset`: from the analysis' sentences when there are any, else
/// from full stops, question and exclamation marks and line ends.
pub fn sentence_at(article: &Article, sentences: Option<&[Span]>, offset: usize) -> Option<Span> {
    if let Some(sentences) = sentences {
        let i = sentences.partition_point(|s| s.end <= offset);
        if let Some(sentence) = sentences.get(i).filter(|s| s.start <= offset) {
            return Some(*sentence);
        }
    }
    let len = article.char_len();
    let from = offset.saturating_sub(2000);
    let to = (offset + 2000).min(len);
    let window = chars_between(article, from, to);
    let at = (offset - from).min(window.len());
    let is_closer = |c: char| matches!(c, '"' | '”' | '’' | '»' | ')');
    // Where the sentence closed by a full stop (or ? or !) at `i` ends: after its closing
    // quotes, when white space or the end of the text follows.
    let closes_at = |i: usize| -> Option<usize> {
        if !matches!(window[i], '.' | '?' | '!') {
            return None;
        }
        let mut j = i + 1;
        while j < window.len() && is_closer(window[j]) {
            j += 1;
        }
        (j == window.len() || window[j].is_whitespace()).then_some(j)
    };
    let mut end = at;
    while end < window.len() && window[end] != '\n' {
        if let Some(j) = closes_at(end) {
            end = j;
            break;
        }
        end += 1;
    }
    let mut start = 0;
    for k in (0..at).rev() {
        if window[k] == '\n' {
            start = k + 1;
            break;
        }
        if let Some(j) = closes_at(k)
            && j <= at
        {
            start = j;
            break;
        }
    }
    while start < end && window[start].is_whitespace() {
        start += 1;
    }
    (start < end).then(|| Span::new(from + start, from + end))
}

/// Where Shift+Right (`forward`) or Shift+Left moves the end of a selection: past the next
/// word, or back to the start of the previous one.
pub fn step_word(article: &Article, offset: usize, forward: bool) -> usize {
    let len = article.char_len();
    if forward {
        let window = chars_between(article, offset, (offset + 256).min(len));
        let gap = window.iter().take_while(|&&c| !is_word(c)).count();
        let word = window[gap..].iter().take_while(|&&c| is_word(c)).count();
        offset + gap + word
    } else {
        let from = offset.saturating_sub(256);
        let window = chars_between(article, from, offset);
        let gap = window.iter().rev().take_while(|&&c| !is_word(c)).count();
        let word = window[..window.len() - gap]
            .iter()
            .rev()
            .take_while(|&&c| is_word(c))
            .count();
        offset - gap - word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Russian Foreign Minister Sergei Lavrov said on Friday, in Moscow, that \
                        Iran's deputy minister Ali Bagheri met Hamas. \"It is false.\" Then he left.";

    fn article() -> Article {
        Article::from_text("t.txt", TEXT)
    }

    /// The text `snap` makes of the first occurrence of `dragged`.
    fn snapped(dragged: &str) -> String {
        let a = article();
        let start = TEXT.find(dragged).expect("in the text");
        let start = TEXT[..start].chars().count();
        let span = snap(&a, Span::new(start, start + dragged.chars().count()));
        a.slice(span).to_string()
    }

    #[test]
    fn a_sliver_of_a_neighbouring_name_is_dropped_and_half_a_word_completed() {
        assert_eq!(snapped("i Lavrov"), "Lavrov");
        assert_eq!(snapped("ei Lavrov"), "Lavrov");
        assert_eq!(snapped("gei Lavrov"), "Sergei Lavrov");
        assert_eq!(snapped("Lavrov s"), "Lavrov");
        assert_eq!(snapped(" Lavrov "), "Lavrov");
        assert_eq!(snapped("avro"), "Lavrov", "inside one word: that word");
        assert_eq!(snapped("ster Ali Baghe"), "minister Ali Bagheri");
        assert_eq!(snapped("Iran"), "Iran", "an apostrophe ends a word");
        assert_eq!(snapped("y, in Moscow, t"), "in Moscow");
        assert_eq!(snapped("\"It is false.\""), "\"It is false.\"");
        assert_eq!(snapped(" "), "", "white space alone selects nothing");
    }

    #[test]
    fn a_word_and_a_sentence_around_a_click() {
        let a = article();
        let at = TEXT.find("Lavrov").unwrap() + 2;
        assert_eq!(a.slice(word_at(&a, at).unwrap()), "Lavrov");
        let at = TEXT.find("It is").unwrap() + 3;
        assert_eq!(
            a.slice(sentence_at(&a, None, at).unwrap()),
            "\"It is false.\""
        );
        let at = TEXT.find("Bagheri").unwrap();
        let sentence = a.slice(sentence_at(&a, None, at).unwrap()).to_string();
        assert!(sentence.starts_with("Russian Foreign") && sentence.ends_with("met Hamas."));
        // The analysis' sentences win when there are any.
        let given = [Span::new(0, 7), Span::new(8, 15)];
        assert_eq!(sentence_at(&a, Some(&given), 10), Some(Span::new(8, 15)));
    }

    #[test]
    fn shift_arrows_step_by_word() {
        let a = article();
        let lavrov = TEXT.find("Lavrov").unwrap();
        let after = step_word(&a, lavrov, true);
        assert_eq!(&TEXT[lavrov..after], "Lavrov");
        let next = step_word(&a, after, true);
        assert_eq!(&TEXT[after..next], " said");
        assert_eq!(step_word(&a, next, false), after + 1);
        assert_eq!(step_word(&a, 0, false), 0);
        let end = a.char_len();
        assert_eq!(step_word(&a, end, true), end);
    }
}
