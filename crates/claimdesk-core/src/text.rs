//! Text primitives shared by every layer.
//!
//! Offsets everywhere in Claimdesk (project file, `analyze --json`, exports) are Unicode scalar
//! (char) offsets into an article's normalised text, because that is what other tools (REFI-QDA,
//! W3C TextPosition, Python's `str`) count. Rust strings index by byte, so [`CharIndex`] maps
//! between the two in O(log n).

use serde::{Deserialize, Serialize};

mod gated;
pub use gated::{GatedRegex, GatedRegexSet};

/// A half-open range `[start, end)` of char offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: start.min(end),
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A set of spans that answers "does this span overlap any of them?" in O(log n), for
/// highlight layering over thousands of annotations every frame.
#[derive(Clone, Debug, Default)]
pub struct SpanSet {
    /// Sorted by start.
    spans: Vec<Span>,
    /// `max_end[i]` is the largest end among `spans[..=i]`.
    max_end: Vec<usize>,
}

impl SpanSet {
    pub fn new(mut spans: Vec<Span>) -> Self {
        spans.sort_unstable();
        let mut max_end = Vec::with_capacity(spans.len());
        let mut running = 0;
        for span in &spans {
            running = running.max(span.end);
            max_end.push(running);
        }
        Self { spans, max_end }
    }

    /// Whether `span` overlaps any span of the set.
    pub fn overlaps_any(&self, span: &Span) -> bool {
        // Spans starting before `span.end` are candidates; the furthest end among them decides.
        let candidates = self.spans.partition_point(|s| s.start < span.end);
        candidates > 0 && self.max_end[candidates - 1] > span.start
    }
}

/// Maps char offsets to byte offsets and back for one string.
///
/// Stores the byte offset of every 64th char so a lookup is a binary search plus a short walk;
/// memory stays small on megabyte articles.
#[derive(Clone, Debug, Default)]
pub struct CharIndex {
    /// `checkpoints[i]` is the byte offset of char `i * STRIDE`.
    checkpoints: Vec<usize>,
    char_len: usize,
    byte_len: usize,
    ascii: bool,
}

const STRIDE: usize = 64;

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        let mut char_len = 0;
        if !ascii {
            for (i, (byte, _)) in text.char_indices().enumerate() {
                if i % STRIDE == 0 {
                    checkpoints.push(byte);
                }
                char_len = i + 1;
            }
        } else {
            char_len = text.len();
        }
        checkpoints.shrink_to_fit();
        Self {
            checkpoints,
            char_len,
            byte_len: text.len(),
            ascii,
        }
    }

    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Byte offset of char offset `char_offset` (clamped to the end of the text).
    pub fn byte_of(&self, text: &str, char_offset: usize) -> usize {
        if char_offset >= self.char_len {
            return self.byte_len;
        }
        if self.ascii {
            return char_offset;
        }
        let block = char_offset / STRIDE;
        let base = self.checkpoints.get(block).copied().unwrap_or(0);
        let rest = char_offset - block * STRIDE;
        text[base..]
            .char_indices()
            .nth(rest)
            .map_or(self.byte_len, |(b, _)| base + b)
    }

    /// Char offset of byte offset `byte_offset` (which must be on a char boundary; otherwise the
    /// char containing it).
    pub fn char_of(&self, text: &str, byte_offset: usize) -> usize {
        if byte_offset >= self.byte_len {
            return self.char_len;
        }
        if self.ascii {
            return byte_offset;
        }
        let block = self.checkpoints.partition_point(|&b| b <= byte_offset) - 1;
        let base = self.checkpoints[block];
        block * STRIDE + text[base..byte_offset].chars().count()
    }

    /// The substring covered by a char span.
    pub fn slice<'a>(&self, text: &'a str, span: Span) -> &'a str {
        let start = self.byte_of(text, span.start);
        let end = self.byte_of(text, span.end);
        &text[start..end.max(start)]
    }
}

/// Normalises decoded text: drops a leading BOM, turns CRLF and lone CR into LF, removes NUL and
/// other C0 control characters except tab and newline (they break reports and XML exports).
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() && (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// Content hash used to notice that an article's text changed since spans were anchored.
pub fn text_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
}

/// `pattern` with every `\b` made an ASCII word boundary (`(?-u:\b)`).
///
/// Why: a Unicode `\b` makes the regex engine's fast lazy DFA give up at the first non-ASCII
/// byte, and news text has curly quotes and dashes in nearly every paragraph, so each search
/// fell back to the slow PikeVM (a quarter of all analysis time). The two boundaries differ only
/// beside non-ASCII letters, which none of the analysers' or importers' patterns are written for.
pub fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A regex for the analysers, with ASCII word boundaries (see [`ascii_word_boundaries`]).
pub fn regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&ascii_word_boundaries(pattern))
}

/// [`regex`] for a set of patterns matched at once.
pub fn regex_set<'a>(
    patterns: impl IntoIterator<Item = &'a str>,
) -> Result<regex::RegexSet, regex::Error> {
    // The lazy DFA's default 2 MB cache: 8 MB for every set measured ~5% faster on 400 BBC
    // articles but added ~40 MB at peak when linking 10,000 articles on two threads.
    regex::RegexSet::new(patterns.into_iter().map(ascii_word_boundaries))
}

/// [`regex_set`] with a lazy-DFA cache of `cache_bytes`, for a set too rich for the default.
pub fn regex_set_with_cache<'a>(
    patterns: impl IntoIterator<Item = &'a str>,
    cache_bytes: usize,
) -> Result<regex::RegexSet, regex::Error> {
    regex::RegexSetBuilder::new(patterns.into_iter().map(ascii_word_boundaries))
        .dfa_size_limit(cache_bytes)
        .build()
}

#[cfg(test)]
mod tests {

    #[test]
    fn word_boundaries_become_ascii_and_escaped_backslashes_stay() {
        assert_eq!(ascii_word_boundaries(r"\bsaid\b"), r"(?-u:\b)said(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"a\\b\d"), r"a\\b\d");
        let said = regex(r"(?i)\bsaid\b").expect("valid");
        assert!(said.is_match("“Said” the minister"));
        assert!(!said.is_match("unsaid"));
    }
    use super::*;

    #[test]
    fn char_index_round_trips_on_mixed_text() {
        let text = "Iran’s “deputy” FM — Bagheri Kani ".repeat(40);
        let index = CharIndex::new(&text);
        assert_eq!(index.char_len(), text.chars().count());
        for (char_offset, (byte_offset, _)) in text.char_indices().enumerate() {
            assert_eq!(index.byte_of(&text, char_offset), byte_offset);
            assert_eq!(index.char_of(&text, byte_offset), char_offset);
        }
        assert_eq!(index.slice(&text, Span::new(0, 6)), "Iran’s");
    }

    #[test]
    fn span_set_finds_overlaps_like_a_scan() {
        let spans = vec![
            Span::new(10, 20),
            Span::new(0, 3),
            Span::new(15, 40),
            Span::new(50, 51),
        ];
        let set = SpanSet::new(spans.clone());
        for start in 0..60 {
            for len in 1..8 {
                let q = Span::new(start, start + len);
                assert_eq!(
                    set.overlaps_any(&q),
                    spans.iter().any(|s| s.overlaps(&q)),
                    "{q:?}"
                );
            }
        }
    }

    #[test]
    fn normalise_fixes_line_ends_bom_and_controls() {
        assert_eq!(normalise("\u{feff}a\r\nb\rc\u{0}d\te"), "a\nb\ncd\te");
    }
}
