//! One export entry point for the command line and the app: every format, with progress and
//! cancellation, so a long export (hundreds of articles to analyse, a large PDF) never freezes
//! the window and can be stopped.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::ReportOptions;
use crate::workspace::Workspace;

/// The export formats (`claimdesk export --format …`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Html,
    Md,
    Csv,
    Pdf,
    Claimreview,
    Qdpx,
    Brat,
    W3c,
    /// One page per rated claim plus an index, to publish (a folder).
    Pages,
    /// The REFI-QDA codebook alone (`.qdc`).
    Qdc,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 10] = [
        Self::Html,
        Self::Md,
        Self::Pdf,
        Self::Csv,
        Self::Claimreview,
        Self::Pages,
        Self::Qdpx,
        Self::Qdc,
        Self::W3c,
        Self::Brat,
    ];

    /// The name on the command line (`--format md`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Md => "md",
            Self::Csv => "csv",
            Self::Pdf => "pdf",
            Self::Claimreview => "claimreview",
            Self::Qdpx => "qdpx",
            Self::Brat => "brat",
            Self::W3c => "w3c",
            Self::Pages => "pages",
            Self::Qdc => "qdc",
        }
    }

    /// The format called `name` on the command line.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Shown in the export dialog.
    pub fn label(self) -> &'static str {
        match self {
            Self::Html => "HTML report (self-contained)",
            Self::Md => "Markdown report",
            Self::Pdf => "PDF report",
            Self::Csv => "CSV tables (claims + entities)",
            Self::Claimreview => "ClaimReview JSON-LD (schema.org)",
            Self::Qdpx => "REFI-QDA project (.qdpx)",
            Self::W3c => "W3C Web Annotations (JSON-LD)",
            Self::Brat => "brat standoff folder",
            Self::Pages => "Pages to publish (one per rated claim, with ClaimReview)",
            Self::Qdc => "REFI-QDA codebook (.qdc)",
        }
    }

    /// Suggested file name (a folder for brat).
    pub fn default_file_name(self) -> &'static str {
        match self {
            Self::Html => "report.html",
            Self::Md => "report.md",
            Self::Pdf => "report.pdf",
            Self::Csv => "claims.csv",
            Self::Claimreview => "claimreview.jsonld",
            Self::Qdpx => "project.qdpx",
            Self::W3c => "annotations.jsonld",
            Self::Brat => "brat",
            Self::Pages => "fact-checks",
            Self::Qdc => "codebook.qdc",
        }
    }

    /// True for formats that write ClaimReview, whose `url` needs [`Publish::base_url`].
    pub fn writes_claimreview(self) -> bool {
        matches!(self, Self::Html | Self::Claimreview | Self::Pages)
    }

    /// Formats built from [`super::Report`] (and so filtered by [`ReportOptions`]).
    fn is_report(self) -> bool {
        matches!(
            self,
            Self::Html | Self::Md | Self::Pdf | Self::Csv | Self::Claimreview | Self::Pages
        )
    }
}

/// ClaimReview publication details; `None` keeps the defaults of
/// [`super::claimreview::PublishInfo::for_report`].
#[derive(Clone, Debug, Default)]
pub struct Publish {
    pub base_url: Option<String>,
    pub publisher: Option<String>,
    /// CSV: start each file with a UTF-8 byte order mark, which Excel needs to read UTF-8 (and
    /// which Python's `csv` and pandas then read as part of the first header unless told
    /// `encoding="utf-8-sig"`). Off by default.
    pub excel_csv: bool,
}

impl Publish {
    /// The ClaimReview details for `report`: the defaults with what was given.
    pub fn info(&self, report: &super::Report) -> super::claimreview::PublishInfo {
        let mut info = super::claimreview::PublishInfo::for_report(report);
        if let Some(url) = &self.base_url {
            info.base_url = url.clone();
        }
        if let Some(name) = &self.publisher {
            info.author = name.clone();
        }
        info
    }
}

pub use crate::progress::{Observer, Quiet};

/// What an export wrote: one line per file or folder, for the terminal or the status bar.
#[derive(Debug, Default)]
pub struct Written {
    pub paths: Vec<PathBuf>,
    pub messages: Vec<String>,
    /// Things the user should act on (e.g. ClaimReview written without a base URL): the CLI
    /// prints them as warnings, the export dialog should show them.
    pub warnings: Vec<String>,
}

/// Exports the workspace in `format` to `out` (a folder for brat and pages; a file or folder for
/// CSV).
/// Returns `Ok(None)` when `observer` cancelled it; nothing is written then.
pub fn export(
    ws: &Workspace,
    format: ExportFormat,
    out: &Path,
    options: &ReportOptions,
    publish: &Publish,
    observer: &dyn Observer,
) -> Result<Option<Written>> {
    // The analysis is the long part on a large corpus: do it first, article by article, so
    // progress moves and a cancel is honoured quickly. Building then finds it cached. Only
    // suggestions need every article analysed (an exchange format carries them for the whole
    // project, a report for the articles it selects); otherwise a report analyses the articles
    // it holds, for their conflicting figures, and an exchange format none.
    let ids: Vec<String> = if super::uses_suggestions(ws, options) {
        ws.article_ids()
            .filter(|id| {
                !format.is_report() || options.articles.is_empty() || options.articles.contains(id)
            })
            .cloned()
            .collect()
    } else if !format.is_report() {
        Vec::new()
    } else if options.conflicts.is_some() && options.include_articles {
        super::report_article_ids(ws, options)
    } else {
        Vec::new()
    };
    for (done, id) in ids.iter().enumerate() {
        if observer.cancelled() {
            return Ok(None);
        }
        observer.progress(done, ids.len(), "Analysing articles");
        ws.analysis(id);
    }
    if observer.cancelled() {
        return Ok(None);
    }
    observer.progress(0, 1, "Building the report");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut messages = Vec::new();
    let mut warnings = Vec::new();
    let mut warn_unpublished = |report: &super::Report, info: &super::claimreview::PublishInfo| {
        let rated = report
            .claims
            .iter()
            .any(|c| c.verdict.is_some() && !c.suggested);
        if rated && info.is_unpublished() {
            warnings.push(super::claimreview::UNPUBLISHED_WARNING.to_string());
        }
    };
    match format {
        ExportFormat::Html => {
            let report = super::build(ws, options);
            let info = publish.info(&report);
            warn_unpublished(&report, &info);
            files.push((
                out.to_path_buf(),
                super::html::render_with(&report, &info).into_bytes(),
            ));
        }
        ExportFormat::Pages => {
            let report = super::build(ws, options);
            let info = publish.info(&report);
            warn_unpublished(&report, &info);
            std::fs::create_dir_all(out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let ws_ref: &Workspace = ws;
            let text = |id: &str| ws_ref.article(id).map(|a| a.text.clone());
            let pages = super::pages::render(&report, &info, &text);
            messages.push(format!(
                "wrote {} page(s) and index.html into {}",
                pages.len() - 1,
                out.display()
            ));
            files.extend(
                pages
                    .into_iter()
                    .map(|(name, html)| (out.join(name), html.into_bytes())),
            );
        }
        ExportFormat::Qdc => {
            let data = super::interchange::ExportData::gather(ws);
            files.push((
                out.to_path_buf(),
                super::qdpx::codebook_qdc(&data).into_bytes(),
            ));
        }
        ExportFormat::Md => {
            let report = super::build(ws, options);
            files.push((
                out.to_path_buf(),
                super::markdown::render(&report).into_bytes(),
            ));
        }
        ExportFormat::Pdf => {
            let report = super::build(ws, options);
            if observer.cancelled() {
                return Ok(None);
            }
            observer.progress(0, 1, "Typesetting the PDF");
            files.push((out.to_path_buf(), super::pdf::render(&report)?));
        }
        ExportFormat::Csv => {
            let report = super::build(ws, options);
            let folder = out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
            let (claims, entities) = if folder {
                std::fs::create_dir_all(out)
                    .with_context(|| format!("cannot create {}", out.display()))?;
                (out.join("claims.csv"), out.join("entities.csv"))
            } else {
                (out.to_path_buf(), super::csv::entities_path(out))
            };
            let csv = super::csv::CsvOptions {
                excel: publish.excel_csv,
            };
            files.push((claims, super::csv::claims_with(&report, &csv).into_bytes()));
            files.push((
                entities,
                super::csv::entities_with(&report, &csv).into_bytes(),
            ));
        }
        ExportFormat::Claimreview => {
            let report = super::build(ws, options);
            let info = publish.info(&report);
            warn_unpublished(&report, &info);
            files.push((
                out.to_path_buf(),
                super::claimreview::render(&report, &info).into_bytes(),
            ));
        }
        ExportFormat::Qdpx => files.push((out.to_path_buf(), super::qdpx::export(ws)?)),
        ExportFormat::W3c => files.push((out.to_path_buf(), super::w3c::render(ws).into_bytes())),
        ExportFormat::Brat => {
            std::fs::create_dir_all(out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let documents = super::brat::export(ws);
            messages.push(format!(
                "wrote {} file(s) into {}",
                documents.len(),
                out.display()
            ));
            files.extend(
                documents
                    .into_iter()
                    .map(|(name, text)| (out.join(name), text.into_bytes())),
            );
        }
    }
    if observer.cancelled() {
        return Ok(None);
    }
    let total = files.len();
    let mut written = Written::default();
    for (done, (path, bytes)) in files.into_iter().enumerate() {
        observer.progress(done, total, "Writing");
        crate::project::file::write_atomically(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        if !matches!(format, ExportFormat::Brat | ExportFormat::Pages) {
            messages.push(format!("wrote {}", path.display()));
        }
        written.paths.push(path);
    }
    let orphans = ws.orphans().len();
    if orphans > 0 {
        warnings.push(if format.is_report() {
            format!(
                "{orphans} record(s) are no longer found in their article's current text: \
                 the report quotes them as recorded, marked as not found, without a highlight \
                 (`claimdesk orphan list` shows them; re-attach them to keep them placed)"
            )
        } else {
            format!(
                "{orphans} record(s) are no longer found in their article's current text and \
                 were left out, since this format places every record at a position \
                 (`claimdesk orphan list` shows them; re-attach them first)"
            )
        });
    }
    written.messages = messages;
    written.warnings = warnings;
    Ok(Some(written))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::testing::CancelAfter;

    #[test]
    fn progress_is_reported_per_article_and_a_cancel_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report.html");
        let ws = Workspace::import(
            &[crate::sample::corpus_dir()],
            &crate::corpus::ImportLimits::default(),
        );
        let observer = CancelAfter::new(3);
        let html_export = |observer: &CancelAfter| {
            export(
                &ws,
                ExportFormat::Html,
                &out,
                &ReportOptions::full(),
                &Publish::default(),
                observer,
            )
            .unwrap()
        };
        let result = html_export(&observer);
        assert!(result.is_none(), "cancelled");
        assert!(!out.exists(), "nothing written after a cancel");
        assert_eq!(
            observer.seen.borrow().as_slice(),
            [
                "Analysing articles 0/5",
                "Analysing articles 1/5",
                "Analysing articles 2/5"
            ]
        );

        let observer = CancelAfter::new(usize::MAX);
        let written = html_export(&observer).expect("not cancelled");
        assert_eq!(written.paths, std::slice::from_ref(&out));
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains("Lavrov"));
        assert!(observer.seen.borrow().iter().any(|s| s == "Writing 0/1"));
    }

    #[test]
    fn exchange_formats_count_every_article_they_carry() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::import(
            &[crate::sample::corpus_dir()],
            &crate::corpus::ImportLimits::default(),
        );
        let first = ws.article_ids().next().unwrap().clone();
        // A report limited to one article analyses one; W3C still exports all five.
        let one_article = ReportOptions {
            articles: vec![first],
            ..ReportOptions::full()
        };
        let analysed = |format: ExportFormat, file: &str| {
            let observer = CancelAfter::new(usize::MAX);
            let out = dir.path().join(file);
            export(
                &ws,
                format,
                &out,
                &one_article,
                &Publish::default(),
                &observer,
            )
            .unwrap()
            .expect("not cancelled");
            let seen = observer.seen.into_inner();
            seen.iter()
                .rev()
                .find(|s| s.starts_with("Analysing articles"))
                .cloned()
        };
        assert_eq!(
            analysed(ExportFormat::W3c, "annotations.jsonld").as_deref(),
            Some("Analysing articles 4/5")
        );
        assert_eq!(
            analysed(ExportFormat::Html, "report.html").as_deref(),
            Some("Analysing articles 0/1")
        );
    }
}
