//! Reading article files from disk into [`Article`]s, with a per-file report.
//!
//! Import never fails as a whole because one file is bad: each file gets an [`ImportStatus`] and
//! a reason a person can act on, and the rest of the folder still imports.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Article, ArticleMeta, article_id_for, boilerplate, meta};
use crate::text::normalise;

/// Limits that keep a hostile or accidental input from exhausting memory.
#[derive(Clone, Debug)]
pub struct ImportLimits {
    /// Files larger than this are skipped (bytes).
    pub max_file_bytes: u64,
    /// Extracted text larger than this is skipped (bytes) — guards archives (docx/epub).
    pub max_text_bytes: usize,
    /// Maximum ratio of uncompressed to compressed size inside an archive.
    pub max_expansion_ratio: u64,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 50 * 1024 * 1024,
            max_text_bytes: 20 * 1024 * 1024,
            max_expansion_ratio: 100,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is {size} bytes, over the {limit}-byte limit for one article; split it or raise the limit"
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path} looks like a binary file ({what}), not an article")]
    Binary { path: PathBuf, what: String },
    #[error("{path} is empty (no text after decoding)")]
    Empty { path: PathBuf },
    #[error(
        "{path}: unsupported file type “{ext}”; Claimdesk reads .txt, .md, .html, .htm, .pdf, .docx and .epub"
    )]
    Unsupported { path: PathBuf, ext: String },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
}

/// Outcome for one file, as printed by `claimdesk import --json`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    Ok,
    Skipped,
}

/// One row of the import report.
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub path: String,
    pub status: ImportStatus,
    pub reason: Option<String>,
    pub format: Option<String>,
    pub encoding: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    pub duplicate_of: Option<String>,
}

const SUPPORTED: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "pdf", "docx", "epub",
];

/// Whether a path has an extension import understands (used when walking folders).
pub fn is_supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SUPPORTED.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads one file into an article.
pub fn import_file(path: &Path, limits: &ImportLimits) -> Result<Article, ImportError> {
    let io_err = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = fs::metadata(path).map_err(io_err)?;
    if metadata.len() > limits.max_file_bytes {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size: metadata.len(),
            limit: limits.max_file_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(limits.max_file_bytes + 1).read_to_end(&mut bytes))
        .map_err(io_err)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let format = match ext.as_str() {
        "txt" | "text" | "" => "txt",
        "md" | "markdown" => "md",
        other => {
            return Err(ImportError::Unsupported {
                path: path.to_path_buf(),
                ext: other.to_string(),
            });
        }
    };
    let (decoded, encoding) = decode(&bytes, path)?;
    let mut article = article_from_plain_text(path, &decoded);
    article.format = format.to_string();
    article.encoding = encoding;
    if article.text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(article)
}

/// Builds an article from decoded plain text: normalise, strip furniture, read metadata.
pub fn article_from_plain_text(path: &Path, decoded: &str) -> Article {
    let normalised = normalise(decoded);
    // Metadata lines such as "Sourse: …" are read before stripping, since some are furniture.
    let raw_meta = meta::extract_from_text(&normalised);
    let (kept, removed) = boilerplate::strip(&normalised);
    let mut meta: ArticleMeta = meta::extract_from_text(&kept);
    meta.fill_from(raw_meta);
    let mut article = Article::new(article_id_for(path), path.to_path_buf(), kept, meta);
    article.removed = removed;
    article
}

/// Detects the encoding and decodes. Binary content is refused rather than shown as mojibake.
pub fn decode(bytes: &[u8], path: &Path) -> Result<(String, String), ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    // A BOM is authoritative.
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        let mut label = format!("{} (BOM)", encoding.name());
        if had_errors {
            label.push_str(", invalid sequences replaced");
        }
        return Ok((text.into_owned(), label));
    }
    if let Some(what) = sniff_binary(bytes) {
        return Err(ImportError::Binary {
            path: path.to_path_buf(),
            what,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8".into()));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, had_errors) = encoding.decode(bytes);
    let mut label = format!("{} (detected)", encoding.name());
    if had_errors {
        label.push_str(", invalid sequences replaced");
    }
    Ok((text.into_owned(), label))
}

/// Recognises binary content: known magic numbers, or NUL bytes outside UTF-16 text.
fn sniff_binary(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x7fELF", "an executable"),
        (b"MZ", "a Windows executable"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a zip archive"),
        (b"%PDF", "a PDF with the wrong extension"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"SQLite format 3", "an SQLite database"),
    ];
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Some((*what).to_string());
        }
    }
    let head = &bytes[..bytes.len().min(8192)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls == 0 {
        return None;
    }
    // UTF-16 without BOM has NULs in every other byte for Latin text; decode it rather than refuse.
    let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = nuls - even_nuls;
    let half = head.len() / 2;
    if (odd_nuls * 10 >= half * 8 && even_nuls == 0)
        || (even_nuls * 10 >= half * 8 && odd_nuls == 0)
    {
        return None;
    }
    Some("it contains NUL bytes".into())
}

/// Imports files and folders (recursively), skipping unreadable ones with a reason. Returns the
/// articles in a stable order and a report row per file.
pub fn import_paths(
    paths: &[PathBuf],
    limits: &ImportLimits,
    mut progress: impl FnMut(usize, usize) -> bool,
) -> (Vec<Article>, Vec<ImportReport>) {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut reports = Vec::new();
    for path in paths {
        if path.is_dir() {
            for entry in walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
            {
                match entry {
                    Ok(e) if e.file_type().is_file() && is_supported(e.path()) => {
                        files.push(e.into_path());
                    }
                    Ok(_) => {}
                    Err(err) => reports.push(skipped(
                        err.path().unwrap_or(path),
                        if err.loop_ancestor().is_some() {
                            "symbolic link loop; not followed".to_string()
                        } else {
                            err.to_string()
                        },
                    )),
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    let total = files.len();
    let mut articles: Vec<Article> = Vec::new();
    let mut by_hash: HashMap<String, String> = HashMap::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    for (done, file) in files.iter().enumerate() {
        if !progress(done, total) {
            break;
        }
        match import_file(file, limits) {
            Ok(mut article) => {
                let duplicate_of = by_hash.get(&article.hash).cloned();
                let mut report = ok_report(&article);
                report.duplicate_of = duplicate_of.clone();
                reports.push(report);
                if duplicate_of.is_some() {
                    continue;
                }
                by_hash.insert(article.hash.clone(), file.display().to_string());
                // Two files with one name in different folders still need distinct ids.
                let count = used_ids.entry(article.id.clone()).or_insert(0);
                *count += 1;
                if *count > 1 {
                    article.id = format!("{}~{}", article.id, count);
                }
                articles.push(article);
            }
            Err(err) => reports.push(skipped(file, err.to_string())),
        }
    }
    (articles, reports)
}

fn ok_report(article: &Article) -> ImportReport {
    ImportReport {
        path: article.path.display().to_string(),
        status: ImportStatus::Ok,
        reason: None,
        format: Some(article.format.clone()),
        encoding: Some(article.encoding.clone()),
        title: article.meta.title.clone(),
        source: article.meta.source.clone(),
        byline: article.meta.byline.clone(),
        date: article.meta.date.clone(),
        duplicate_of: None,
    }
}

fn skipped(path: &Path, reason: String) -> ImportReport {
    ImportReport {
        path: path.display().to_string(),
        status: ImportStatus::Skipped,
        reason: Some(reason),
        format: None,
        encoding: None,
        title: None,
        source: None,
        byline: None,
        date: None,
        duplicate_of: None,
    }
}
