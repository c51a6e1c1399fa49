//! "Checked before?": what the user's fact-check library holds for the open project's claims
//! and suggestions. [`FactChecks`] is the app's state (the library's place, the last results,
//! the matching and import jobs), read by the panels through the `ViewCtx`; the panels here
//! draw the matches of the selected claim and the import dialog, and ask for things with
//! [`FactCheckAction`]s. Matching runs on a worker thread over a workspace snapshot; nothing
//! here touches the project (attaching a match is the core's `ops::add_evidence`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::RichText;

use claimdesk_core::analysis::ArticleAnalysis;
use claimdesk_core::corpus::ArticleId;
use claimdesk_core::project::{EvidenceSource, Id, Stance};
use claimdesk_core::text::Span;
use claimdesk_factchecks::library::FileReport;
use claimdesk_factchecks::project::stance_of;
use claimdesk_factchecks::{ClaimKind, ClaimResult, FoundFactCheck, MatchIndex, StoredFactCheck};

use crate::article_view::quoted;
use crate::context::{Action, Actions, Focus, ViewCtx};
use crate::jobs::Job;
use crate::theme;

/// Matches listed per claim in the inspector (the best first).
const SHOWN_MATCHES: usize = 5;

/// What a panel may ask of the fact-check library.
#[derive(Clone, Debug)]
pub enum FactCheckAction {
    /// Look up the project's claims and suggestions (again).
    Match,
    /// Attach a fact-check to a suggestion as evidence, accepting it as a claim in the same
    /// undo step (a claim's own matches go straight through `ops::add_evidence`).
    AttachToSuggestion {
        article: ArticleId,
        span: Span,
        factcheck: Box<StoredFactCheck>,
    },
    /// Add these files (or every file of these folders) to the library.
    Import(Vec<PathBuf>),
}

/// Workspace, articles and claims revisions: what a set of results was made from.
pub type Revision = (u64, u64, u64);

/// A library file's size and modification times (the file and its write-ahead log): when they
/// are unchanged, the index built from it still holds.
pub type LibraryStamp = Vec<(u64, Option<std::time::SystemTime>)>;

pub fn library_stamp(path: &Path) -> LibraryStamp {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path.to_path_buf(), PathBuf::from(wal)]
        .iter()
        .map(|p| match std::fs::metadata(p) {
            Ok(meta) => (meta.len(), meta.modified().ok()),
            Err(_) => (0, None),
        })
        .collect()
}

/// What a matching run found, with lookups by claim and by suggestion.
pub struct MatchResults {
    pub claims: Vec<ClaimResult>,
    /// Fact-checks in the library when it ran.
    pub library_size: usize,
    by_claim: HashMap<Id, usize>,
    by_span: HashMap<(ArticleId, usize, usize), usize>,
    by_article: HashMap<ArticleId, Vec<usize>>,
}

impl MatchResults {
    pub fn new(claims: Vec<ClaimResult>, library_size: usize) -> Self {
        let mut by_claim = HashMap::new();
        let mut by_span = HashMap::new();
        let mut by_article: HashMap<ArticleId, Vec<usize>> = HashMap::new();
        for (i, result) in claims.iter().enumerate() {
            let claim = &result.claim;
            if let Some(id) = &claim.id {
                by_claim.insert(id.clone(), i);
            } else {
                by_span.insert((claim.article.clone(), claim.start, claim.end), i);
            }
            if !result.matches.is_empty() {
                by_article.entry(claim.article.clone()).or_default().push(i);
            }
        }
        Self {
            claims,
            library_size,
            by_claim,
            by_span,
            by_article,
        }
    }

    pub fn checked_before(&self) -> usize {
        self.claims.iter().filter(|r| r.checked_before).count()
    }

    /// What the library holds for the selected claim or suggestion.
    pub fn for_focus(&self, focus: &Focus) -> Option<&ClaimResult> {
        let i = match focus {
            Focus::Claim(id) => self.by_claim.get(id)?,
            Focus::Suggestion { article, span } => {
                self.by_span.get(&(article.clone(), span.start, span.end))?
            }
        };
        self.claims.get(*i)
    }

    /// The article's claims and suggestions that have at least one match.
    pub fn matched_in<'a>(&'a self, article: &str) -> impl Iterator<Item = &'a ClaimResult> + 'a {
        self.by_article
            .get(article)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.claims.get(i))
    }
}

/// What a matching run hands back: the results, the index it used (kept while the library is
/// unchanged), and the analyses it had to make (so the window does not make them again).
pub struct MatchOutcome {
    pub results: MatchResults,
    pub index: Arc<MatchIndex>,
    pub stamp: LibraryStamp,
    pub analysed: Vec<(ArticleId, Arc<ArticleAnalysis>)>,
}

/// `Ok(None)`: cancelled.
pub type MatchJob = Job<Result<Option<MatchOutcome>, String>>;

/// The app's fact-check state; panels read it.
pub struct FactChecks {
    /// Where the library is (or why there is none).
    pub library: Result<PathBuf, String>,
    pub results: Option<Arc<MatchResults>>,
    /// What the results were made from.
    pub made_at: Option<Revision>,
    pub job: Option<(MatchJob, Revision)>,
    pub import: Option<Job<Vec<FileReport>>>,
    /// The last import's per-file report, shown in the dialog.
    pub last_import: Vec<FileReport>,
    pub index: Option<(LibraryStamp, Arc<MatchIndex>)>,
    /// Keep the results up to date as claims change (on once the library exists or the analyst
    /// asked).
    pub auto: bool,
    /// egui time of the last run started (runs are at most one every 2 s while typing).
    pub last_start: f64,
    /// Why the last run failed, shown in the panel.
    pub error: Option<String>,
}

impl Default for FactChecks {
    fn default() -> Self {
        let library = claimdesk_factchecks::library::default_path();
        let auto = library.as_ref().is_ok_and(|p| p.is_file());
        Self {
            library,
            results: None,
            made_at: None,
            job: None,
            import: None,
            last_import: Vec::new(),
            index: None,
            auto,
            last_start: f64::NEG_INFINITY,
            error: None,
        }
    }
}

impl FactChecks {
    pub fn is_matching(&self) -> bool {
        self.job.is_some()
    }

    pub fn is_importing(&self) -> bool {
        self.import.is_some()
    }

    /// What the library holds for `focus`, once a run has looked it up.
    pub fn for_focus(&self, focus: &Focus) -> Option<&ClaimResult> {
        self.results.as_ref()?.for_focus(focus)
    }
}

/// The "Import fact-checks…" dialog's own fields.
#[derive(Default)]
pub struct ImportDialog {
    open: bool,
    paths: String,
    note: Option<String>,
    /// An import was started from here: its report is shown when it lands.
    started: bool,
    /// The cursor goes to the paths field when the dialog opens.
    focus_field: bool,
}

impl ImportDialog {
    pub fn open(&mut self) {
        self.open = true;
        self.note = None;
        self.started = false;
        self.focus_field = true;
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        if !self.open {
            return;
        }
        let importing = cx.factchecks.import.as_ref().map(Job::progress);
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("import-factchecks")).show(ui.ctx(), |ui| {
            ui.set_width(560.0);
            ui.heading("Import fact-checks");
            ui.label("ClaimReview JSON-LD (one object, an array, @graph, a DataFeed), saved fact-check pages (HTML with JSON-LD), Google Fact Check Tools responses, and Claimdesk's own ClaimReview export. A review already in the library (same URL) is updated, not doubled.");
            match &cx.factchecks.library {
                Ok(path) => ui.label(
                    RichText::new(format!("Library: {}", path.display()))
                        .small()
                        .weak(),
                ),
                Err(why) => ui.colored_label(theme::warning_text(), why),
            };
            let label = ui.label("Files or folders, one per line:");
            ui.add_enabled_ui(importing.is_none(), |ui| {
                let field = ui
                    .add(
                        egui::TextEdit::multiline(&mut self.paths)
                            .hint_text("/path/to/claimreview.json")
                            .desired_rows(3)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut self.focus_field) {
                    field.request_focus();
                }
            });
            if let Some(note) = &self.note {
                ui.colored_label(theme::warning_text(), note);
            }
            if let Some(progress) = &importing {
                // An import is one transaction per file; it is not cancelled half-way.
                ui.add(egui::ProgressBar::new(progress.fraction()).text(progress.label()));
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(50));
            } else if self.started {
                report_ui(ui, &cx.factchecks.last_import);
            }
            ui.horizontal(|ui| {
                let import = ui.add_enabled(importing.is_none(), egui::Button::new("Import"));
                if import.clicked() {
                    let paths: Vec<PathBuf> = self
                        .paths
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(PathBuf::from)
                        .collect();
                    if paths.is_empty() {
                        self.note = Some("Give the path of at least one file".into());
                    } else {
                        self.note = None;
                        self.started = true;
                        actions.push(Action::FactChecks(FactCheckAction::Import(paths)));
                    }
                }
                if ui.button("Close").clicked() {
                    close = true;
                }
            });
        });
        if modal.should_close() && importing.is_none() {
            close = true;
        }
        if close {
            self.open = false;
        }
    }
}

/// One line per file imported: what it held and what it changed, or why it was skipped.
fn report_ui(ui: &mut egui::Ui, reports: &[FileReport]) {
    for report in reports {
        let name = Path::new(&report.path)
            .file_name()
            .map_or_else(|| report.path.clone(), |n| n.to_string_lossy().into_owned());
        if report.status == "ok" {
            ui.label(format!("{name}: {}", import_summary(report)));
        } else {
            ui.colored_label(
                theme::warning_text(),
                format!(
                    "{name}: skipped — {}",
                    report.reason.as_deref().unwrap_or("nothing could be read")
                ),
            );
        }
        for problem in report.problems.iter().take(5) {
            ui.label(RichText::new(format!("  {problem}")).small().weak());
        }
    }
}

/// "3 review(s): 2 added, 1 updated, 0 unchanged (fact-check-tools)".
pub fn import_summary(report: &FileReport) -> String {
    format!(
        "{} review(s): {} added, {} updated, {} unchanged{}",
        report.reviews,
        report.added,
        report.updated,
        report.unchanged,
        report.format.map(|f| format!(" ({f})")).unwrap_or_default()
    )
}

/// The reader's badge on a passage the library has fact-checks for.
pub struct Badge {
    pub focus: Focus,
    /// Where the passage starts (the badge sits beside that line).
    pub start: usize,
    pub checked_before: bool,
    /// "Checked before: False (Polygraph.info, 2023-10-24)".
    pub description: String,
}

/// Badges for the open article: its claims where they are now (a claim may have moved since
/// the run) and its suggestions.
pub fn badges(cx: &ViewCtx, article: &str) -> Vec<Badge> {
    let Some(results) = &cx.factchecks.results else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for result in results.matched_in(article) {
        let claim = &result.claim;
        let (focus, start) = match (&claim.kind, &claim.id) {
            (ClaimKind::Claim, Some(id)) => match cx.view.claim(id) {
                Some(row) => (Focus::Claim(id.clone()), row.span.start),
                None => continue,
            },
            _ => {
                // A suggestion since accepted or dismissed is no longer one.
                let span = Span::new(claim.start, claim.end);
                if !cx.view.suggestions.iter().any(|s| s.span == span) {
                    continue;
                }
                (
                    Focus::Suggestion {
                        article: article.to_string(),
                        span,
                    },
                    claim.start,
                )
            }
        };
        let best = &result.matches[0];
        out.push(Badge {
            focus,
            start,
            checked_before: result.checked_before,
            description: format!(
                "{}: {}",
                if result.checked_before {
                    "Checked before"
                } else {
                    "A similar claim was checked"
                },
                rating_line(best)
            ),
        });
    }
    out.sort_by_key(|b| b.start);
    out
}

/// A review's date as a day: "2023-10-26T00:00:00Z" reads "2023-10-26" (reviews are dated by
/// day; the time is the feed's filler).
fn day_of(date: &str) -> &str {
    let bytes = date.as_bytes();
    let is_day = bytes.len() > 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[..10]
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if is_day { &date[..10] } else { date }
}

/// "False (Polygraph.info, 2023-10-24)".
fn rating_line(found: &FoundFactCheck) -> String {
    let f = &found.factcheck.factcheck;
    let mut out = f.rating.clone().unwrap_or_else(|| "not rated".into());
    let details: Vec<&str> = [f.publisher.as_deref(), f.date.as_deref().map(day_of)]
        .into_iter()
        .flatten()
        .collect();
    if !details.is_empty() {
        out.push_str(&format!(" ({})", details.join(", ")));
    }
    out
}

/// The matches of the selected claim or suggestion, in the inspector under its editor.
pub fn matches_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions, focus: &Focus) {
    let Some(ws) = cx.ws else {
        return;
    };
    let factchecks = cx.factchecks;
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Checked before?").strong());
        if let Some(results) = &factchecks.results {
            ui.label(
                RichText::new(format!(
                    "{} fact-check(s) in your library; {} of the project's {} claims and suggestions checked before",
                    results.library_size,
                    results.checked_before(),
                    results.claims.len()
                ))
                .small()
                .weak(),
            );
        }
    });
    if let Some((job, _)) = &factchecks.job {
        let progress = job.progress();
        ui.add(
            egui::ProgressBar::new(progress.fraction())
                .text(progress.label())
                .desired_width(ui.available_width().min(320.0)),
        );
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(50));
    }
    if let Some(error) = &factchecks.error {
        ui.colored_label(theme::warning_text(), error);
    }
    let no_library = factchecks.library.as_ref().map_or(true, |p| !p.is_file());
    if no_library && factchecks.results.is_none() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("No fact-check library yet.").weak());
            if ui.small_button("Import fact-checks…").clicked() {
                actions.command(claimdesk_core::command::Command::ImportFactChecks);
            }
        });
        return;
    }
    let Some(result) = factchecks.for_focus(focus) else {
        if factchecks.job.is_none() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Not looked up yet.").weak());
                if ui.small_button("Check against the library").clicked() {
                    actions.push(Action::FactChecks(FactCheckAction::Match));
                }
            });
        }
        return;
    };
    if result.matches.is_empty() {
        ui.label(RichText::new("No fact-check in the library matches this claim.").weak());
    }
    let attached: Vec<&str> = match focus {
        Focus::Claim(id) => ws
            .project()
            .evidence_for(id)
            .into_iter()
            .filter_map(|(_, e)| match &e.source {
                EvidenceSource::Url { url, .. } => Some(url.as_str()),
                EvidenceSource::Passage { .. } => None,
            })
            .collect(),
        Focus::Suggestion { .. } => Vec::new(),
    };
    for found in result.matches.iter().take(SHOWN_MATCHES) {
        let is_attached = attached.contains(&found.factcheck.factcheck.url.as_str());
        match_card(ws, ui, actions, focus, found, is_attached);
    }
    if result.matches.len() > SHOWN_MATCHES {
        ui.label(
            RichText::new(format!(
                "…and {} weaker match(es)",
                result.matches.len() - SHOWN_MATCHES
            ))
            .small()
            .weak(),
        );
    }
    if !result.opposite.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Fact-checks of the opposite claim ({})",
            result.opposite.len()
        ))
        .id_salt(("opposite", &result.claim.article, result.claim.start))
        .show(ui, |ui| {
            ui.label(
                RichText::new("One of the two is negated (“did not …” against “did …”): not the same claim, but worth knowing.")
                    .small()
                    .weak(),
            );
            for found in result.opposite.iter().take(SHOWN_MATCHES) {
                ui.label(format!(
                    "{} — {}",
                    rating_line(found),
                    quoted(&found.factcheck.factcheck.claim, 120)
                ));
            }
        });
    }
}

/// One fact-check: rating, publisher, date, score, the claim it reviewed, why it matched, its
/// link, and the button that attaches it as evidence.
fn match_card(
    ws: &claimdesk_core::workspace::Workspace,
    ui: &mut egui::Ui,
    actions: &mut Actions,
    focus: &Focus,
    found: &FoundFactCheck,
    attached: bool,
) {
    let f = &found.factcheck.factcheck;
    let stance = stance_of(&found.factcheck);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(f.rating.as_deref().unwrap_or("not rated"))
                    .strong()
                    .color(theme::stance_color(stance)),
            );
            if let Some(publisher) = &f.publisher {
                ui.label(RichText::new(publisher).strong());
            }
            if let Some(date) = &f.date {
                ui.label(day_of(date));
            }
            ui.label(RichText::new(format!("score {:.2}", found.score)).weak())
                .on_hover_text("Share of the two claims' weighted words, names and figures in common: 1 is the same terms; 0.45 and up counts as checked before");
        });
        let mut reviewed = quoted(&f.claim, 240);
        if let Some(claimant) = &f.claimant {
            reviewed.push_str(&format!(" — {claimant}"));
        }
        ui.label(RichText::new(reviewed).italics());
        let why = &found.why;
        let mut parts = Vec::new();
        if !why.names.is_empty() {
            parts.push(format!("names: {}", why.names.join(", ")));
        }
        if !why.figures.is_empty() {
            parts.push(format!("figures: {}", why.figures.join(", ")));
        }
        if !why.words.is_empty() {
            parts.push(format!("words: {}", why.words.join(", ")));
        }
        if !parts.is_empty() {
            ui.label(RichText::new(format!("Shared {}", parts.join("; "))).small());
        }
        ui.horizontal_wrapped(|ui| {
            ui.hyperlink_to(RichText::new(&f.url).small(), &f.url);
        });
        ui.horizontal_wrapped(|ui| {
            if attached {
                ui.label(RichText::new("Attached as evidence").small().weak());
                return;
            }
            let label = format!(
                "Attach as evidence ({})",
                match stance {
                    Stance::Supports => "supports",
                    Stance::Refutes => "refutes",
                    Stance::Context => "context",
                }
            );
            let publisher = f.publisher.as_deref().unwrap_or("a fact-checker");
            let button = ui.button(label);
            button.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::Button,
                    true,
                    format!("Attach as evidence: {publisher}"),
                )
            });
            let button = button.on_hover_text(
                "Adds the fact-check's URL as evidence for this claim, with a note of who rated it what (one undo step)",
            );
            if button.clicked() {
                match focus {
                    Focus::Claim(id) => actions.op_saying(
                        claimdesk_factchecks::project::attach_op(ws, id, &found.factcheck),
                        Some(format!("Attached the fact-check by {publisher} as evidence")),
                    ),
                    Focus::Suggestion { article, span } => actions.push(Action::FactChecks(
                        FactCheckAction::AttachToSuggestion {
                            article: article.clone(),
                            span: *span,
                            factcheck: Box::new(found.factcheck.clone()),
                        },
                    )),
                }
            }
        });
    });
}
