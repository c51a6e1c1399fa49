//! Web capture: add an article from a URL, and archive evidence links, keeping a copy that
//! survives the page changing or vanishing.
//!
//! [`add_url`] fetches a page within [`FetchLimits`] (redirects one at a time, size, time and
//! type checked, compressed bodies decoded within a limit), imports its main text with the
//! corpus importers, and keeps in the project folder, under `captures/`:
//!
//! - the body as a file the project reads its article from (`NAME.html`, `.txt`, `.md` or
//!   `.pdf`), so the article opens and is annotated offline like any other;
//! - `NAME.warc`, a WARC 1.1 file (ISO 28500) with a `warcinfo` record, then a `request` and a
//!   `response` record for every hop (redirects first), each response with the headers and the
//!   body as received (still compressed if it came so; de-chunked, so `Transfer-Encoding` is left
//!   out of the kept headers) and its `WARC-Payload-Digest`.
//!
//! The project records a [`Capture`] on the article (URL, final URL, retrieval time, status,
//! content type, SHA-256 of the body, the WARC's path). Nothing is written until the page is
//! fetched and imported; on any failure or cancel the files written so far are removed.
//!
//! [`archive_link`] does the same for an evidence URL without making it an article (any content
//! type), and [`archived_copies`] reads back every capture in a project folder from its WARC
//! files, so a report can cite the archived copy (its date and digest) beside the live URL.

pub mod fetch;
pub mod warc_file;

use std::path::{Path, PathBuf};

use claimdesk_core::corpus::{self, ImportLimits};
use claimdesk_core::progress::Observer;
use claimdesk_core::project::Capture;
use claimdesk_core::workspace::Workspace;

pub use fetch::{Accept, FetchError, FetchLimits, Fetched, fetch};

/// Folder in the project folder where captures are kept.
pub const CAPTURES_DIR: &str = "captures";

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{url} was fetched but could not be read as an article: {why}; nothing was kept")]
    Import { url: String, why: String },
    #[error("{url} is already in the project as {existing} (the same text); nothing was added")]
    AlreadyInProject { url: String, existing: String },
    #[error("the project has no file yet; save it first, captures are kept in its folder")]
    NoProjectFolder,
    #[error("the project is read-only ({0}); nothing was fetched")]
    ReadOnly(String),
    #[error("cannot write the capture in {path}: {why}; nothing was kept")]
    Write { path: PathBuf, why: String },
    #[error("the article could not be added to the project: {0}; nothing was kept")]
    Project(String),
}

/// An article added from the web.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Added {
    pub article: String,
    pub title: String,
    pub capture: Capture,
}

/// Files written by a capture, removed again unless the capture completes.
struct Written {
    files: Vec<PathBuf>,
    created_dir: Option<PathBuf>,
    keep: bool,
}

impl Drop for Written {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        for file in &self.files {
            let _ = std::fs::remove_file(file);
        }
        if let Some(dir) = &self.created_dir {
            // Only if empty: another capture may have landed meanwhile.
            let _ = std::fs::remove_dir(dir);
        }
    }
}

fn write_error(path: &Path, err: impl std::fmt::Display) -> CaptureError {
    CaptureError::Write {
        path: path.to_path_buf(),
        why: err.to_string(),
    }
}

/// A file name for a capture: the host and the last path part, then a digest prefix, plain
/// ASCII; `taken` says which names are used.
fn capture_name(url: &str, digest_hex: &str, taken: impl Fn(&str) -> bool) -> String {
    let parsed = url::Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let last = parsed
        .as_ref()
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.rfind(|p| !p.is_empty()).map(str::to_string))
        })
        .unwrap_or_default();
    let last = last
        .rsplit_once('.')
        .map(|(stem, _)| stem.to_string())
        .unwrap_or(last);
    let mut slug: String = format!("{host}-{last}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while slug.contains("--") {
        slug = slug.replace("--", "-");
    }
    let slug: String = slug.trim_matches('-').chars().take(60).collect();
    let base = format!("{slug}-{}", &digest_hex[..digest_hex.len().min(10)]);
    let mut name = base.clone();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `bytes` to `path` through a temporary file in the same folder (never a partial file
/// under the final name) and refuses to replace an existing file.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), CaptureError> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| write_error(dir, e))?;
    temp.write_all(bytes).map_err(|e| write_error(path, e))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| write_error(path, e))?;
    temp.persist_noclobber(path)
        .map_err(|e| write_error(path, e.error))?;
    Ok(())
}

struct Prepared {
    dir: PathBuf,
    written: Written,
}

fn prepare(project_dir: &Path) -> Result<Prepared, CaptureError> {
    let dir = project_dir.join(CAPTURES_DIR);
    let created_dir = if dir.is_dir() {
        None
    } else {
        std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
        Some(dir.clone())
    };
    Ok(Prepared {
        dir,
        written: Written {
            files: Vec::new(),
            created_dir,
            keep: false,
        },
    })
}

fn capture_record(fetched: &Fetched, archive: String, digest: &str) -> Capture {
    let last = fetched.last();
    Capture {
        url: fetched.url.clone(),
        final_url: last.url.clone(),
        retrieved_at: last.date.clone(),
        status: last.status,
        content_type: fetched.content_type.clone(),
        content_hash: format!("sha256:{digest}"),
        archive,
    }
}

/// A page fetched, stored under `captures/` and imported, not yet part of the project. Made on
/// a worker thread by [`capture_article`]; [`CapturedArticle::add_to`] adds it on the thread
/// that owns the workspace. Dropped without being added, it removes its files.
pub struct CapturedArticle {
    article: corpus::Article,
    capture: Capture,
    written: Written,
}

impl CapturedArticle {
    pub fn title(&self) -> &str {
        self.article.display_title()
    }

    pub fn capture(&self) -> &Capture {
        &self.capture
    }

    /// Adds the article with its capture record to `ws` as one undoable edit (journalled, not
    /// yet saved). `ws` must be the project whose folder the capture was stored in.
    pub fn add_to(mut self, ws: &mut Workspace) -> Result<Added, CaptureError> {
        if let Some(reason) = ws.read_only_reason() {
            return Err(CaptureError::ReadOnly(reason.to_string()));
        }
        if let Some((id, _)) = ws
            .project()
            .articles
            .iter()
            .find(|(_, e)| e.hash == self.article.hash)
        {
            return Err(CaptureError::AlreadyInProject {
                url: self.capture.final_url.clone(),
                existing: id.clone(),
            });
        }
        let title = self.title().to_string();
        let capture = self.capture.clone();
        let article = std::mem::replace(&mut self.article, corpus::Article::from_text("", ""));
        let added = ws
            .add_captured_article(article, capture.clone())
            .map_err(|err| CaptureError::Project(err.to_string()))?;
        let Some(id) = added else {
            return Err(CaptureError::Project(
                "an article with the same text was added meanwhile".into(),
            ));
        };
        self.written.keep = true;
        Ok(Added {
            article: id,
            title,
            capture,
        })
    }
}

/// The project folder of `ws`, where captures are kept.
pub fn project_folder(ws: &Workspace) -> Result<PathBuf, CaptureError> {
    let project_file = ws.path().ok_or(CaptureError::NoProjectFolder)?;
    Ok(project_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".")))
}

/// Fetches `url`, stores the body and its WARC copy in `project_dir/captures/` and imports the
/// main text (see the crate docs); blocks on the network, so a window runs it on a worker
/// thread. `existing_hashes` are the text hashes of the project's articles: a page whose text is
/// already there is refused before anything is kept.
pub fn capture_article(
    project_dir: &Path,
    url: &str,
    existing_hashes: &[(String, String)],
    limits: &FetchLimits,
    observer: &dyn Observer,
) -> Result<CapturedArticle, CaptureError> {
    let fetched = fetch(url, limits, Accept::Articles, observer)?;
    let extension = fetch::article_extension(&fetched.content_type).unwrap_or("html");
    let digest = sha256_hex(&fetched.last().body);
    let Prepared { dir, mut written } = prepare(project_dir)?;
    let name = capture_name(fetched.final_url(), &digest, |name| {
        dir.join(format!("{name}.{extension}")).exists()
            || dir.join(format!("{name}.warc")).exists()
    });
    let body_path = dir.join(format!("{name}.{extension}"));
    let warc_path = dir.join(format!("{name}.warc"));

    observer.progress(0, 1, "Reading the page");
    write_new(&body_path, &fetched.body)?;
    written.files.push(body_path.clone());
    let article = corpus::import_file(&body_path, &ImportLimits::default()).map_err(|err| {
        CaptureError::Import {
            url: fetched.final_url().to_string(),
            // The importer names the file; the URL says more.
            why: err
                .to_string()
                .replace(&body_path.display().to_string(), "the page"),
        }
    })?;
    if let Some((id, _)) = existing_hashes
        .iter()
        .find(|(_, hash)| *hash == article.hash)
    {
        return Err(CaptureError::AlreadyInProject {
            url: fetched.final_url().to_string(),
            existing: id.clone(),
        });
    }
    if observer.cancelled() {
        return Err(FetchError::Cancelled.into());
    }
    warc_file::write(&warc_path, &fetched).map_err(|e| write_error(&warc_path, e))?;
    written.files.push(warc_path.clone());
    let archive = claimdesk_core::project::file::relative_path(&warc_path, project_dir);
    let capture = capture_record(&fetched, archive, &digest);
    Ok(CapturedArticle {
        article,
        capture,
        written,
    })
}

/// Fetches `url`, imports it as an article of the open project and keeps its archived copy
/// (see the crate docs): [`capture_article`] then [`CapturedArticle::add_to`], for the command
/// line. On any error nothing is left in the project or its folder.
pub fn add_url(
    ws: &mut Workspace,
    url: &str,
    limits: &FetchLimits,
    observer: &dyn Observer,
) -> Result<Added, CaptureError> {
    if let Some(reason) = ws.read_only_reason() {
        return Err(CaptureError::ReadOnly(reason.to_string()));
    }
    let project_dir = project_folder(ws)?;
    let hashes: Vec<(String, String)> = ws
        .project()
        .articles
        .iter()
        .map(|(id, e)| (id.clone(), e.hash.clone()))
        .collect();
    capture_article(&project_dir, url, &hashes, limits, observer)?.add_to(ws)
}

/// Fetches `url` (any content type) and keeps its archived copy in `project_dir/captures/` as a
/// WARC file, for an evidence link. Returns the capture record; on error nothing is kept.
pub fn archive_link(
    project_dir: &Path,
    url: &str,
    limits: &FetchLimits,
    observer: &dyn Observer,
) -> Result<Capture, CaptureError> {
    let fetched = fetch(url, limits, Accept::Anything, observer)?;
    let digest = sha256_hex(&fetched.last().body);
    let Prepared { dir, mut written } = prepare(project_dir)?;
    let name = capture_name(fetched.final_url(), &digest, |name| {
        dir.join(format!("{name}.warc")).exists()
    });
    let warc_path = dir.join(format!("{name}.warc"));
    if observer.cancelled() {
        return Err(FetchError::Cancelled.into());
    }
    warc_file::write(&warc_path, &fetched).map_err(|e| write_error(&warc_path, e))?;
    written.files.push(warc_path.clone());
    written.keep = true;
    let archive = claimdesk_core::project::file::relative_path(&warc_path, project_dir);
    Ok(capture_record(&fetched, archive, &digest))
}

/// Every capture kept in `project_dir/captures/`, read from the WARC files (oldest first), so
/// an archived evidence link can be found by its URL. Files that are not Claimdesk WARC
/// captures are passed over.
pub fn archived_copies(project_dir: &Path) -> Vec<Capture> {
    let dir = project_dir.join(CAPTURES_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut copies: Vec<Capture> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "warc"))
        .filter_map(|path| {
            let archive = claimdesk_core::project::file::relative_path(&path, project_dir);
            warc_file::read_capture(&path, archive).ok()
        })
        .collect();
    copies.sort_by(|a, b| {
        a.retrieved_at
            .cmp(&b.retrieved_at)
            .then(a.archive.cmp(&b.archive))
    });
    copies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_names_are_plain_and_unique() {
        let name = capture_name(
            "https://www.polygraph.info/a/fact-check-lavrov/7323.html?x=1",
            "0123456789abcdef",
            |_| false,
        );
        assert_eq!(name, "www-polygraph-info-7323-0123456789");
        let taken = capture_name("http://127.0.0.1:8080/", "ffff", |n| n == "127-0-0-1-ffff");
        assert_eq!(taken, "127-0-0-1-ffff-2");
    }
}
