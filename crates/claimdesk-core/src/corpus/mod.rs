//! The corpus: articles as read from disk, turned into clean, annotatable text.
//!
//! An [`Article`] is immutable input. Its `text` is the *kept* text — normalised (LF, no BOM) with
//! web furniture moved into `removed` — and every offset in Claimdesk points into it.

pub mod boilerplate;
pub mod dedup;
pub mod formats;
pub mod import;
pub mod meta;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::text::{CharIndex, Span};

pub use import::{
    ImportError, ImportEvent, ImportLimits, ImportReport, ImportStatus, import_file, import_paths,
    import_paths_streaming,
};
pub use meta::ArticleMeta;

/// Stable identifier of an article inside a project: its file name, made unique when needed.
pub type ArticleId = String;

/// A block of text dropped from the kept text (boilerplate, repeated caption …), kept so the
/// analyst can show it and see that nothing was silently lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedBlock {
    /// Char offset in the kept text where the block used to be.
    pub at: usize,
    pub text: String,
    pub reason: String,
}

#[derive(Clone, Debug)]
pub struct Article {
    pub id: ArticleId,
    /// Where it was read from (absolute or as given).
    pub path: PathBuf,
    pub meta: ArticleMeta,
    /// Normalised kept text; all offsets are char offsets into this.
    pub text: String,
    pub removed: Vec<RemovedBlock>,
    /// "txt", "md", "html", "pdf", "docx", "epub".
    pub format: String,
    /// What decoding did, e.g. "UTF-8", "UTF-8 (BOM removed)", "windows-1252 (detected)".
    pub encoding: String,
    /// Hash of `text`, to notice changes on disk.
    pub hash: String,
    index: CharIndex,
}

impl Article {
    /// Builds an article from already-normalised kept text.
    pub fn new(id: ArticleId, path: PathBuf, mut text: String, meta: ArticleMeta) -> Self {
        // Text built by pushing (normalising, extracting) carries up to twice its length in
        // spare capacity; a 10,000-article corpus kept that as dead memory for its lifetime.
        text.shrink_to_fit();
        let index = CharIndex::new(&text);
        let hash = crate::text::text_hash(&text);
        Self {
            id,
            path,
            meta,
            text,
            removed: Vec::new(),
            format: "txt".into(),
            encoding: "UTF-8".into(),
            hash,
            index,
        }
    }

    /// Plain text (no furniture removal) — used by tests and for pasted text.
    pub fn from_text(id: &str, text: &str) -> Self {
        let text = crate::text::normalise(text);
        let meta = meta::extract_from_text(&text);
        Self::new(id.to_string(), PathBuf::from(id), text, meta)
    }

    pub fn char_len(&self) -> usize {
        self.index.char_len()
    }

    pub fn slice(&self, span: Span) -> &str {
        self.index.slice(&self.text, span)
    }

    pub fn byte_of(&self, char_offset: usize) -> usize {
        self.index.byte_of(&self.text, char_offset)
    }

    pub fn char_of(&self, byte_offset: usize) -> usize {
        self.index.char_of(&self.text, byte_offset)
    }

    /// Byte range of a char span, for slicing and for UI layout.
    pub fn byte_range(&self, span: Span) -> std::ops::Range<usize> {
        self.byte_of(span.start)..self.byte_of(span.end)
    }

    /// A selection as an analyst means it: surrounding whitespace trimmed, and a word cut at
    /// either end completed, so a sloppy drag over "ster Ali Baghe" marks "minister Ali Bagheri".
    /// Only letters and digits extend a word: "Iran" in "Iran's" stays "Iran".
    pub fn snap_to_words(&self, span: Span) -> Span {
        let range = self.byte_range(span);
        let selected = &self.text[range.clone()];
        let trimmed = selected.trim();
        if trimmed.is_empty() {
            return Span::new(span.start, span.start);
        }
        let mut start = range.start + (selected.len() - selected.trim_start().len());
        let mut end = start + trimmed.len();
        let is_word = |c: char| c.is_alphanumeric();
        if trimmed.starts_with(is_word) {
            start -= self.text[..start]
                .chars()
                .rev()
                .take_while(|&c| is_word(c))
                .map(char::len_utf8)
                .sum::<usize>();
        }
        if trimmed.ends_with(is_word) {
            end += self.text[end..]
                .chars()
                .take_while(|&c| is_word(c))
                .map(char::len_utf8)
                .sum::<usize>();
        }
        Span::new(self.char_of(start), self.char_of(end))
    }

    /// Title to show: the metadata title, else the file name.
    pub fn display_title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or(&self.id)
    }

    /// Replaces the kept text (e.g. the analyst fixed a typo) and refreshes the index and hash.
    pub fn set_text(&mut self, text: String) {
        self.index = CharIndex::new(&text);
        self.hash = crate::text::text_hash(&text);
        self.text = text;
    }
}

/// Derives an article id from a path: the file name, which is stable across machines.
pub fn article_id_for(path: &Path) -> ArticleId {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(article: &Article, needle: &str) -> Span {
        let byte = article.text.find(needle).expect("needle in the sample");
        Span::new(article.char_of(byte), article.char_of(byte + needle.len()))
    }

    #[test]
    fn a_sloppy_selection_snaps_to_whole_words() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/corpus/003_e0f09e3576302cfd.txt"
        ))
        .unwrap();
        let article = Article::from_text("003", &text);
        let snapped =
            |needle: &str| article.slice(article.snap_to_words(span_of(&article, needle)));
        assert_eq!(snapped("ster Ali Baghe"), "minister Ali Bagheri");
        assert_eq!(snapped(" Ali Bagheri Kani, "), "Ali Bagheri Kani,");
        assert_eq!(snapped("oussa Abu Marzouk"), "Moussa Abu Marzouk");
        // Whole words stay as they are; an apostrophe does not extend a word.
        let possessive = span_of(&article, "Russia's state-run");
        let russia = Span::new(possessive.start, possessive.start + "Russia".len());
        assert_eq!(article.slice(article.snap_to_words(russia)), "Russia");
        assert_eq!(snapped("Russia's state-run"), "Russia's state-run");
        assert_eq!(snapped("(L)"), "(L)");
        // Non-ASCII letters extend like ASCII ones (offsets are chars, not bytes).
        let accented = Article::from_text("x", "Réunion à São Paulo, dit-il.");
        let cut = span_of(&accented, "o Pau");
        assert_eq!(accented.slice(accented.snap_to_words(cut)), "São Paulo");
        let blank = span_of(&accented, " ");
        assert!(accented.snap_to_words(blank).is_empty());
    }
}
