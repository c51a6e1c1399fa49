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
    pub fn new(id: ArticleId, path: PathBuf, text: String, meta: ArticleMeta) -> Self {
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
