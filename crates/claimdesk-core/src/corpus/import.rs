//! Reading article files from disk into [`Article`]s, with a per-file report.
//!
//! Import never fails as a whole because one file is bad: each file gets an [`ImportStatus`] and
//! a reason a person can act on, and the rest of the folder still imports.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use serde::Serialize;

use super::dedup::{Duplicate, DuplicateIndex, Signature};
use super::formats::{self, Extracted};
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
    /// Time allowed to read one file, any format; a malformed file can make a parser run on and
    /// on.
    pub time_limit: std::time::Duration,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 50 * 1024 * 1024,
            max_text_bytes: 20 * 1024 * 1024,
            max_expansion_ratio: 100,
            time_limit: std::time::Duration::from_secs(30),
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
    /// Canonical URL when the file names one.
    pub url: Option<String>,
    /// "exact" (same kept text; not imported again) or "near" (imported, but flagged).
    pub duplicate_kind: Option<String>,
    /// Estimated Jaccard similarity of word 5-grams with `duplicate_of`.
    pub similarity: Option<f64>,
    /// Blocks moved to the removed layer (furniture, repeats, metadata lines).
    pub removed_blocks: usize,
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

/// What a path is when it is not a regular file, in words for the import report.
pub fn special_file_kind(file_type: &fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
    }
    (!file_type.is_file() && !file_type.is_dir()).then_some("not a regular file")
}

fn not_regular(path: &Path, kind: &str) -> ImportError {
    ImportError::Format {
        path: path.to_path_buf(),
        message: format!(
            "not a regular file: {kind}; not read (reading it could block or never end)"
        ),
    }
}

/// The format an extension names, or the refusal for an unsupported one.
fn format_of(path: &Path) -> Result<&'static str, ImportError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    Ok(match ext.as_str() {
        "txt" | "text" | "" => "txt",
        "md" | "markdown" => "md",
        "html" | "htm" | "xhtml" => "html",
        "pdf" => "pdf",
        "docx" => "docx",
        "epub" => "epub",
        other => {
            return Err(ImportError::Unsupported {
                path: path.to_path_buf(),
                ext: other.to_string(),
            });
        }
    })
}

/// Opens a file for reading without ever blocking: the type is checked before opening (a FIFO
/// opened for reading blocks until a writer comes), the open itself is non-blocking in case the
/// path was swapped for one in between, and the opened handle is checked again.
fn open_regular(path: &Path) -> Result<fs::File, ImportError> {
    let io_err = |source: std::io::Error| io_error(path, source);
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK also makes reads of files that would wait (/proc/kmsg, some device-like
        // files that claim to be regular) fail at once instead of hanging.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(io_err)?;
    let file_type = file.metadata().map_err(io_err)?.file_type();
    if let Some(kind) = special_file_kind(&file_type) {
        return Err(not_regular(path, kind));
    }
    Ok(file)
}

/// Reads one file into an article.
///
/// Never panics, blocks or runs on: the file's type is checked before it is opened, reads stop at
/// `limits.max_file_bytes` whatever the file claims (files in /proc say 0 bytes; a log may grow
/// while read), parsing runs on a helper thread with a large stack and `limits.time_limit`, and a
/// panic inside a format library becomes this file's error, naming the library.
pub fn import_file(path: &Path, limits: &ImportLimits) -> Result<Article, ImportError> {
    let io_err = |source: std::io::Error| io_error(path, source);
    let metadata = fs::metadata(path).map_err(io_err)?;
    if metadata.is_dir() {
        return Err(ImportError::Format {
            path: path.to_path_buf(),
            message: "is a folder; import the folder itself to read the articles in it".into(),
        });
    }
    if let Some(kind) = special_file_kind(&metadata.file_type()) {
        return Err(not_regular(path, kind));
    }
    if metadata.len() > limits.max_file_bytes {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size: metadata.len(),
            limit: limits.max_file_bytes,
        });
    }
    let format = format_of(path)?;
    let file = open_regular(path)?;
    let capacity = metadata.len().min(limits.max_file_bytes) as usize;
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::WouldBlock {
                not_regular(path, "a file that waits for data (like a pipe or device)")
            } else {
                io_err(e)
            }
        })?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    if bytes.is_empty() {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    read_bounded(path, format, bytes, limits)
}

/// Stack for the thread that parses one file. Format libraries recurse over nested input; depth
/// is bounded before they see it, and this leaves a wide margin (only touched pages are used).
const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Parses `bytes` on a helper thread and waits at most `limits.time_limit`. Parsers cannot be
/// interrupted from outside: HTML parsing checks the deadline itself and stops, any other one
/// that runs late is left to finish on its own while the import moves on. Plain text is decoded
/// here: that is linear and recurses nowhere, so it cannot hang or overflow a stack, and a
/// thread per file (a tenth of the time of analysing a short article) is spared.
fn read_bounded(
    path: &Path,
    format: &'static str,
    bytes: Vec<u8>,
    limits: &ImportLimits,
) -> Result<Article, ImportError> {
    let started = std::time::Instant::now();
    let deadline = started + limits.time_limit;
    let received = if format == "txt" {
        Ok(parse_guarded(path, format, &bytes, limits, deadline))
    } else {
        let (send, receive) = mpsc::channel();
        let owned_path = path.to_path_buf();
        let owned_limits = limits.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("import-{format}"))
            .stack_size(PARSER_STACK_BYTES)
            .spawn(move || {
                let result = parse_guarded(&owned_path, format, &bytes, &owned_limits, deadline);
                let _ = send.send(result);
            });
        if let Err(e) = spawned {
            return Err(ImportError::Format {
                path: path.to_path_buf(),
                message: format!("cannot start a thread to read it ({e}); try again"),
            });
        }
        receive.recv_timeout(limits.time_limit)
    };
    match received {
        // A result that arrives after the limit counts as late too, so the limit means the same
        // however the threads were scheduled (or whether there was one).
        Ok(result) if started.elapsed() <= limits.time_limit => result,
        Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => Err(late(path, format, limits)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(ImportError::Format {
            path: path.to_path_buf(),
            message: "internal error: the reading thread ended without a result; it was skipped"
                .into(),
        }),
    }
}

/// Why a file that took longer than the time limit to read was skipped.
fn late(path: &Path, format: &'static str, limits: &ImportLimits) -> ImportError {
    ImportError::Format {
        path: path.to_path_buf(),
        message: format!(
            "{} took longer than {} s to read (the time limit for one file) and was skipped; {}",
            parser_name(format).0,
            limits.time_limit.as_secs_f64(),
            if format == "pdf" {
                "it may be malformed. Re-save it (print to PDF) and import the copy"
            } else {
                "it may be malformed or far larger than an article"
            }
        ),
    }
}

/// The format's reader and the libraries that do its parsing, for messages.
fn parser_name(format: &str) -> (&'static str, &'static str) {
    match format {
        "md" => ("the Markdown reader", "pulldown-cmark"),
        "html" => ("the HTML reader", "html5ever, dom_query, dom_smoothie"),
        "pdf" => ("the PDF reader", "pdf-extract, lopdf"),
        "docx" => ("the DOCX reader", "zip, quick-xml"),
        "epub" => ("the EPUB reader", "zip, quick-xml, html5ever"),
        _ => ("the text reader", "encoding_rs, chardetng"),
    }
}

/// Extraction and clean-up of one file, with panics turned into this file's error.
fn parse_guarded(
    path: &Path,
    format: &'static str,
    bytes: &[u8],
    limits: &ImportLimits,
    deadline: std::time::Instant,
) -> Result<Article, ImportError> {
    let internal = |stage: String, payload: Box<dyn std::any::Any + Send>| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        ImportError::Format {
            path: path.to_path_buf(),
            message: format!(
                "internal error in {stage} ({detail}); the file was skipped. Please report it with the file"
            ),
        }
    };
    let (name, libraries) = parser_name(format);
    let (extracted, encoding) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        extract(path, format, bytes, limits, deadline)
    }))
    .map_err(|payload| internal(format!("{name} ({libraries})"), payload))??;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        finish(path, format, encoding, extracted)
    }))
    .map_err(|payload| internal("the text clean-up".into(), payload))?
}

/// Reads an article from bytes already in memory, as [`import_file`] does once the file is read,
/// but on the calling thread, with no time limit and no panic guard: for fuzzing and tests,
/// which want to see a panic or a hang rather than a skipped file. `format` is one of the
/// [`Article::format`] values ("txt", "md", "html", "pdf", "docx", "epub").
pub fn parse_bytes(
    format: &str,
    bytes: &[u8],
    limits: &ImportLimits,
) -> Result<Article, ImportError> {
    let path = PathBuf::from(format!("input.{format}"));
    let format = format_of(&path)?;
    if bytes.is_empty() {
        return Err(ImportError::Empty { path });
    }
    let deadline = std::time::Instant::now() + limits.time_limit;
    let (extracted, encoding) = extract(&path, format, bytes, limits, deadline)?;
    finish(&path, format, encoding, extracted)
}

/// Turns a file's bytes into text and metadata, by format.
fn extract(
    path: &Path,
    format: &str,
    bytes: &[u8],
    limits: &ImportLimits,
    deadline: std::time::Instant,
) -> Result<(Extracted, String), ImportError> {
    let format_err = |message: String| ImportError::Format {
        path: path.to_path_buf(),
        message,
    };
    let (extracted, encoding) = match format {
        "txt" => {
            let (text, encoding) = decode(bytes, path)?;
            (
                Extracted {
                    text,
                    ..Extracted::default()
                },
                encoding,
            )
        }
        "md" => {
            let (text, encoding) = decode(bytes, path)?;
            (formats::markdown::extract(&normalise(&text)), encoding)
        }
        "html" => {
            let (text, encoding) = decode_html(bytes, path)?;
            (
                formats::html::extract(&text, Some(deadline)).map_err(format_err)?,
                encoding,
            )
        }
        "pdf" => {
            if !bytes[..bytes.len().min(1024)]
                .windows(5)
                .any(|w| w == b"%PDF-")
            {
                return Err(format_err(format!(
                    "not a PDF despite its name ({})",
                    sniff_binary(bytes).unwrap_or_else(|| "no %PDF header".into())
                )));
            }
            (
                formats::pdf::extract(bytes).map_err(format_err)?,
                "PDF text layer".to_string(),
            )
        }
        "docx" => (
            formats::docx::extract(bytes, limits).map_err(format_err)?,
            "UTF-8 (DOCX XML)".to_string(),
        ),
        _ => (
            formats::epub::extract(bytes, limits, Some(deadline)).map_err(format_err)?,
            "UTF-8 (EPUB XHTML)".to_string(),
        ),
    };
    if extracted.text.len() > limits.max_text_bytes {
        return Err(format_err(format!(
            "extracted text is {} bytes, over the {}-byte limit for one article",
            extracted.text.len(),
            limits.max_text_bytes
        )));
    }
    Ok((extracted, encoding))
}

fn io_error(path: &Path, source: std::io::Error) -> ImportError {
    if source.kind() == std::io::ErrorKind::PermissionDenied {
        return ImportError::Format {
            path: path.to_path_buf(),
            message: "permission denied; ask for read access or copy the file somewhere readable"
                .into(),
        };
    }
    if source.to_string().contains("symbolic links") {
        return ImportError::Format {
            path: path.to_path_buf(),
            message: "symbolic link loop; not followed".into(),
        };
    }
    ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Normalises extracted text, moves furniture to the removed layer and completes the metadata:
/// what the format declared wins, then what the kept text says, then metadata lines that were
/// moved out as furniture ("Sourse: …").
fn finish(
    path: &Path,
    format: &str,
    mut encoding: String,
    extracted: Extracted,
) -> Result<Article, ImportError> {
    for note in &extracted.notes {
        encoding.push_str(", ");
        encoding.push_str(note);
    }
    if extracted.text.contains('\r') {
        encoding.push_str(if extracted.text.contains("\r\n") {
            ", CRLF line ends → LF"
        } else {
            ", CR line ends → LF"
        });
    }
    let normalised = normalise(&extracted.text);
    let raw_meta = meta::extract_from_text(&normalised);
    let (kept, removed) = boilerplate::strip(&normalised);
    if kept.trim().is_empty() {
        return Err(if removed.is_empty() {
            ImportError::Empty {
                path: path.to_path_buf(),
            }
        } else {
            ImportError::Format {
                path: path.to_path_buf(),
                message: "holds only page furniture (menus, comment forms …), no article text"
                    .into(),
            }
        });
    }
    let mut meta = extracted.meta;
    meta.fill_from(meta::extract_from_text(&kept));
    meta.fill_from(raw_meta);
    let mut article = Article::new(article_id_for(path), path.to_path_buf(), kept, meta);
    article.removed = removed;
    article.format = format.to_string();
    article.encoding = encoding;
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

/// Decodes an HTML page: BOM, then valid UTF-8, then the charset the page declares, then the
/// detector.
pub fn decode_html(bytes: &[u8], path: &Path) -> Result<(String, String), ImportError> {
    if encoding_rs::Encoding::for_bom(bytes).is_none()
        && std::str::from_utf8(bytes).is_err()
        && let Some(encoding) = formats::html::declared_charset(bytes)
        && encoding != encoding_rs::UTF_16LE
        && encoding != encoding_rs::UTF_16BE
    {
        let (text, _, had_errors) = encoding.decode(bytes);
        let mut label = format!("{} (declared by the page)", encoding.name());
        if had_errors {
            label.push_str(", invalid sequences replaced");
        }
        return Ok((text.into_owned(), label));
    }
    decode(bytes, path)
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
        let mut label = format!("{} (BOM removed)", encoding.name());
        if had_errors {
            label.push_str(", invalid sequences replaced");
        }
        return Ok((text.into_owned(), label));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        let mut label = format!("{} (detected, no BOM)", encoding.name());
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
    let (text, label) = if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), "UTF-8".to_string())
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
        let (text, _, had_errors) = encoding.decode(bytes);
        let mut label = format!("{} (detected)", encoding.name());
        if had_errors {
            label.push_str(", invalid sequences replaced");
        }
        (text.into_owned(), label)
    };
    // Binary data without NULs (compressed or encrypted blobs) decodes to control characters.
    let sample: Vec<char> = text.chars().take(8192).collect();
    let unprintable = sample
        .iter()
        .filter(|&&c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}'
        })
        .count();
    if unprintable * 20 > sample.len().max(1) {
        return Err(ImportError::Binary {
            path: path.to_path_buf(),
            what: "most of it is not text".into(),
        });
    }
    Ok((text, label))
}

/// UTF-16 without a BOM: Latin-script text has a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(8192) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nuls * 10 >= pairs * 7 && even_nuls * 20 <= pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even_nuls * 10 >= pairs * 7 && odd_nuls * 20 <= pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Recognises binary content: known magic numbers, or NUL bytes (UTF-16 is recognised before).
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
        (
            b"\xD0\xCF\x11\xE0",
            "an old Office document or an encrypted Office file",
        ),
    ];
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Some((*what).to_string());
        }
    }
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0).then(|| "it contains NUL bytes".into())
}

/// One step of a streaming import, delivered in stable (sorted path) order.
///
/// Each event is moved once from the import to the caller, so the size difference between the
/// variants costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum ImportEvent {
    /// The folders were walked: `total` report rows will follow.
    Started { total: usize },
    /// One file was handled. `article` is `None` when it was skipped or is an exact duplicate of an
    /// earlier file (see `report`). Near-duplicates are imported and flagged in the report.
    File {
        done: usize,
        total: usize,
        report: ImportReport,
        article: Option<Box<Article>>,
    },
}

/// Files read ahead of the oldest one not yet delivered; bounds memory when one file is slow.
const READ_AHEAD: usize = 256;

/// Files to read and walk errors, in stable order.
fn walk(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ImportReport>) {
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
                    // FIFOs, sockets and devices (or links to them) with an article's name get a
                    // row saying why they were not read; they are never opened.
                    Ok(e) if is_supported(e.path()) && !e.file_type().is_dir() => {
                        let kind =
                            special_file_kind(&e.file_type()).unwrap_or("not a regular file");
                        reports.push(skipped(e.path(), not_regular(e.path(), kind).to_string()));
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let reason = if err.loop_ancestor().is_some()
                            || err
                                .io_error()
                                .is_some_and(|e| e.to_string().contains("symbolic links"))
                        {
                            "symbolic link loop; not followed".to_string()
                        } else if err
                            .io_error()
                            .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
                        {
                            "permission denied; ask for read access to this folder".to_string()
                        } else {
                            err.to_string()
                        };
                        reports.push(skipped(err.path().unwrap_or(path), reason));
                    }
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    (files, reports)
}

/// Reads one file on a worker thread: the article and its MinHash signature. A panic inside a
/// format crate becomes this file's error, never the whole import's.
fn read_one(
    path: &Path,
    limits: &ImportLimits,
) -> Result<(Article, Option<Signature>), ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let article = import_file(path, limits)?;
        let signature = Signature::of(&article.text);
        Ok((article, signature))
    }))
    .unwrap_or_else(|_| {
        Err(ImportError::Format {
            path: path.to_path_buf(),
            message: "internal error while reading this file; it was skipped".into(),
        })
    })
}

/// Imports files and folders (recursively) and hands over each file's outcome as soon as it and
/// all files before it are read, so a GUI can show the first article while the rest load. Files
/// are read on several threads; events still arrive in sorted path order. Return `false` from
/// `on_event` to cancel. Returns `false` when cancelled.
pub fn import_paths_streaming(
    paths: &[PathBuf],
    limits: &ImportLimits,
    mut on_event: impl FnMut(ImportEvent) -> bool,
) -> bool {
    let (files, walk_errors) = walk(paths);
    let total = files.len() + walk_errors.len();
    if !on_event(ImportEvent::Started { total }) {
        return false;
    }
    let mut done = 0;
    for report in walk_errors {
        done += 1;
        if !on_event(ImportEvent::File {
            done,
            total,
            report,
            article: None,
        }) {
            return false;
        }
    }
    let mut dedup = DuplicateIndex::new();
    let mut registered: Vec<String> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut deliver = |result: Result<(Article, Option<Signature>), ImportError>, file: &Path| {
        let (mut article, signature) = match result {
            Ok(ok) => ok,
            Err(err) => return (skipped(file, err.to_string()), None),
        };
        let mut report = ok_report(&article);
        match dedup.check(&article.hash, signature) {
            Some(Duplicate::Exact(original)) => {
                report.duplicate_of = Some(registered[original].clone());
                report.duplicate_kind = Some("exact".into());
                report.similarity = Some(1.0);
                return (report, None);
            }
            Some(Duplicate::Near(original, similarity)) => {
                report.duplicate_of = Some(registered[original].clone());
                report.duplicate_kind = Some("near".into());
                report.similarity = Some((similarity * 100.0).round() / 100.0);
            }
            None => {}
        }
        registered.push(report.path.clone());
        // Two files with one name in different folders still need distinct ids.
        let count = used_ids.entry(article.id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            article.id = format!("{}~{}", article.id, count);
        }
        (report, Some(Box::new(article)))
    };

    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let delivered = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let mut completed = true;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel(threads * 4);
        for _ in 0..threads {
            let tx = tx.clone();
            let (files, next, delivered, stop) = (&files, &next, &delivered, &stop);
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    while i >= delivered.load(Ordering::Acquire) + READ_AHEAD
                        && !stop.load(Ordering::Relaxed)
                    {
                        std::thread::sleep(std::time::Duration::from_millis(2));
                    }
                    if tx.send((i, read_one(file, limits))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Result<(Article, Option<Signature>), ImportError>> =
            BTreeMap::new();
        let mut next_out = 0;
        'receive: for (i, result) in rx.iter() {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&next_out) {
                let (report, article) = deliver(result, &files[next_out]);
                next_out += 1;
                delivered.store(next_out, Ordering::Release);
                done += 1;
                if !on_event(ImportEvent::File {
                    done,
                    total,
                    report,
                    article,
                }) {
                    completed = false;
                    stop.store(true, Ordering::Relaxed);
                    break 'receive;
                }
            }
        }
        // Dropping the receiver makes pending sends fail, so workers stop promptly.
        drop(rx);
    });
    completed
}

/// Imports files and folders (recursively), skipping unreadable ones with a reason. Returns the
/// articles in a stable order and a report row per file. `progress(done, total)` is called before
/// the first file and after each one; returning `false` cancels (what was read so far is kept).
pub fn import_paths(
    paths: &[PathBuf],
    limits: &ImportLimits,
    mut progress: impl FnMut(usize, usize) -> bool,
) -> (Vec<Article>, Vec<ImportReport>) {
    let mut articles = Vec::new();
    let mut reports = Vec::new();
    import_paths_streaming(paths, limits, |event| match event {
        ImportEvent::Started { total } => progress(0, total),
        ImportEvent::File {
            done,
            total,
            report,
            article,
        } => {
            reports.push(report);
            if let Some(article) = article {
                articles.push(*article);
            }
            progress(done, total)
        }
    });
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
        url: article.meta.url.clone(),
        duplicate_kind: None,
        similarity: None,
        removed_blocks: article.removed.len(),
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
        url: None,
        duplicate_kind: None,
        similarity: None,
        removed_blocks: 0,
    }
}
