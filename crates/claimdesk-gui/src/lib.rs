//! The GUI: a thin view over [`Workspace`]. Panels read the workspace and push [`Action`]s;
//! `run_actions` at the end of the frame is the only place that changes anything, and every
//! project change there is an [`Edit`] applied through the workspace (undo, journal, tests).

mod article_view;
pub mod bench;
mod compare;
mod dialogs;
mod panels;
mod project_panels;
mod reader;
pub mod theme;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, mpsc};

use serde::{Deserialize, Serialize};

use claimdesk_core::analysis::{self, ArticleAnalysis, EntityKind};
use claimdesk_core::command::Command;
use claimdesk_core::corpus::ArticleId;
use claimdesk_core::ops::{self, Op};
use claimdesk_core::project::{Id, Stance};
use claimdesk_core::text::Span;
use claimdesk_core::workspace::{OpenOptions, Workspace};

/// Settings remembered between runs (eframe storage).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    pub zoom: f32,
    pub recent: Vec<PathBuf>,
    pub show_suggestions: bool,
    pub show_removed: bool,
    /// List suggestions strongest first instead of in text order.
    pub suggestions_by_score: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            zoom: 1.0,
            recent: Vec::new(),
            show_suggestions: true,
            show_removed: false,
            suggestions_by_score: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    Dark,
    Light,
    System,
}

/// What is selected in the claims list / reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Focus {
    Claim(Id),
    Suggestion { article: ArticleId, span: Span },
}

/// Everything a panel may ask for. Applied in order at the end of the frame.
#[derive(Clone, Debug)]
pub enum Action {
    Command(Command),
    /// A checked core operation (`claimdesk_core::ops`), applied as one undo step.
    Op(Box<Op>),
    SelectArticle(ArticleId),
    Focus(Option<Focus>),
    ScrollTo {
        article: ArticleId,
        offset: usize,
    },
    /// Selects a passage (a search hit), ready for "Add as evidence" or "Mark as claim".
    SelectText {
        article: ArticleId,
        span: Span,
    },
    /// Accept (or dismiss) these suggestions of one article, as one undo step.
    BulkSuggestions {
        article: ArticleId,
        spans: Vec<Span>,
        accept: bool,
    },
    SetEntityKind(EntityKind),
    Seal,
    OpenPath(PathBuf),
    Status(String),
    /// Open two whole articles side by side.
    CompareArticles {
        left: ArticleId,
        right: ArticleId,
    },
    /// Confirm a suggested entity: add it to the registry with its mentions in this article
    /// (or in every article).
    ConfirmEntity {
        article: ArticleId,
        surface: String,
        kind: EntityKind,
        scope: ops::Scope,
    },
}

impl Action {
    /// The action for a planned operation: applied if it could be planned, else its reason
    /// shown.
    pub fn from_op(result: ops::Result<Op>) -> Self {
        match result {
            Ok(op) => Action::Op(Box::new(op)),
            Err(err) => Action::Status(format!("Not done: {err}")),
        }
    }
}

/// Result of a background analysis.
struct AnalysisDone {
    article: ArticleId,
    analysis: Arc<ArticleAnalysis>,
}

pub struct ClaimdeskApp {
    pub ws: Option<Workspace>,
    pub settings: Settings,
    pub selected_article: Option<ArticleId>,
    pub focus: Option<Focus>,
    /// The reader's current text selection (article, char span).
    pub text_selection: Option<(ArticleId, Span)>,
    pub entity_kind: EntityKind,
    pub evidence_stance: Stance,
    pub evidence_note: String,
    pub evidence_url: String,
    pub status: Vec<String>,
    pub scroll_to: Option<(ArticleId, usize)>,
    /// Run analysis and search on the UI thread (tests and benchmarks need determinism; the app
    /// uses threads).
    pub inline_work: bool,
    reader: reader::ReaderCache,
    /// Rows and highlights of the selected article, derived once per workspace change.
    view: article_view::ArticleView,
    dialogs: dialogs::Dialogs,
    analysis_tx: mpsc::Sender<AnalysisDone>,
    analysis_rx: mpsc::Receiver<AnalysisDone>,
    analysis_pending: HashSet<ArticleId>,
    /// A text field that edits project data has keyboard focus: plain-key shortcuts are off.
    editing_text: bool,
    /// The reader (read-only text) has keyboard focus; plain-key shortcuts still work there.
    reader_focused: bool,
    applied_theme: Option<ThemeChoice>,
    /// Files changed on disk by another program, offered for reload.
    pub disk_changes: Vec<PathBuf>,
    last_disk_check: f64,
    pub inspector_tab: project_panels::InspectorTab,
    pub claim_filter: project_panels::ClaimFilter,
    pub registry: project_panels::RegistryState,
    import_tx: mpsc::Sender<ImportMsg>,
    import_rx: mpsc::Receiver<ImportMsg>,
    pub importing: Option<ImportJob>,
    /// Kept to start background work from places that have no `Ui`.
    ctx: Option<egui::Context>,
    pub cross: compare::CrossState,
    pub compare: Option<compare::Compare>,
}

/// Result of a background import (files dropped on the window).
enum ImportMsg {
    Progress {
        done: usize,
        total: usize,
    },
    File {
        report: Box<claimdesk_core::corpus::ImportReport>,
        article: Option<Box<claimdesk_core::corpus::Article>>,
    },
    Finished {
        cancelled: bool,
    },
}

/// A running background import: progress for the bar, a flag to cancel it.
pub struct ImportJob {
    pub done: usize,
    pub total: usize,
    pub cancel: Arc<std::sync::atomic::AtomicBool>,
}

impl ClaimdeskApp {
    pub fn new(ws: Option<Workspace>, settings: Settings) -> Self {
        let (analysis_tx, analysis_rx) = mpsc::channel();
        let (import_tx, import_rx) = mpsc::channel();
        let mut app = Self {
            ws: None,
            settings,
            selected_article: None,
            focus: None,
            text_selection: None,
            entity_kind: EntityKind::Person,
            evidence_stance: Stance::Refutes,
            evidence_note: String::new(),
            evidence_url: String::new(),
            status: Vec::new(),
            scroll_to: None,
            inline_work: false,
            reader: reader::ReaderCache::default(),
            view: article_view::ArticleView::default(),
            dialogs: dialogs::Dialogs::default(),
            analysis_tx,
            analysis_rx,
            analysis_pending: HashSet::new(),
            editing_text: false,
            reader_focused: false,
            applied_theme: None,
            disk_changes: Vec::new(),
            last_disk_check: 0.0,
            inspector_tab: project_panels::InspectorTab::default(),
            claim_filter: project_panels::ClaimFilter::default(),
            registry: project_panels::RegistryState::default(),
            import_tx,
            import_rx,
            importing: None,
            ctx: None,
            cross: compare::CrossState::default(),
            compare: None,
        };
        if let Some(ws) = ws {
            app.set_workspace(ws);
        }
        app
    }

    /// Opens the bundled sample project (the default view).
    pub fn open_sample(settings: Settings) -> Self {
        let options = OpenOptions {
            trusted_roots: vec![claimdesk_core::sample::corpus_dir()],
            read_only: false,
        };
        let mut app = Self::new(None, settings);
        match Workspace::open(&claimdesk_core::sample::project_path(), &options) {
            Ok(ws) => app.set_workspace(ws),
            Err(err) => app
                .status
                .push(format!("Could not open the sample project: {err}")),
        }
        app
    }

    fn set_workspace(&mut self, ws: Workspace) {
        self.status.extend(ws.notices.iter().cloned());
        if let Some(reason) = ws.read_only_reason() {
            self.status.push(format!("Read-only: {reason}"));
        }
        if let Some(path) = ws.path() {
            let path = path.to_path_buf();
            self.settings.recent.retain(|p| p != &path);
            self.settings.recent.insert(0, path);
            self.settings.recent.truncate(10);
        }
        self.selected_article = ws.article_ids().next().cloned();
        self.focus = None;
        self.text_selection = None;
        self.reader = reader::ReaderCache::default();
        self.analysis_pending.clear();
        self.ws = Some(ws);
    }

    /// One frame of the whole UI (used by eframe and by the kittest harness).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
        }
        self.apply_theme(ui.ctx());
        self.poll_analysis(ui.ctx());
        let mut actions: Vec<Action> = Vec::new();
        self.editing_text = ui.ctx().memory(|m| m.focused().is_some()) && !self.reader_focused;
        self.shortcuts(ui.ctx(), &mut actions);
        self.request_analysis(ui.ctx());
        self.check_disk(ui.ctx());
        self.receive_dropped_files(ui.ctx());
        if let (Some(ws), Some(article)) = (&self.ws, &self.selected_article) {
            self.view.refresh(
                ws,
                article,
                self.settings.show_suggestions,
                self.settings.suggestions_by_score,
            );
        }

        panels::menu_bar_ui(self, ui, &mut actions);
        panels::banner_ui(self, ui, &mut actions);
        panels::status_bar_ui(self, ui);
        panels::article_list_ui(self, ui, &mut actions);
        panels::inspector_ui(self, ui, &mut actions);
        dialogs::search_panel_ui(self, ui, &mut actions);
        if !compare::compare_ui(self, ui) {
            reader::reader_ui(self, ui, &mut actions);
        }
        dialogs::dialogs_ui(self, ui, &mut actions);

        self.handle_close_request(ui.ctx());
        self.run_actions(ui.ctx(), actions);
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.settings.theme) {
            ctx.set_theme(match self.settings.theme {
                ThemeChoice::Dark => egui::ThemePreference::Dark,
                ThemeChoice::Light => egui::ThemePreference::Light,
                ThemeChoice::System => egui::ThemePreference::System,
            });
            self.applied_theme = Some(self.settings.theme);
        }
        if (ctx.zoom_factor() - self.settings.zoom).abs() > f32::EPSILON {
            ctx.set_zoom_factor(self.settings.zoom);
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.dialogs.any_modal_open() {
            return;
        }
        // egui matches modifiers logically (Ctrl+Shift+Z also matches Ctrl+Z), so shortcuts
        // with more modifiers are tried first.
        let mut commands: Vec<(Command, claimdesk_core::command::Shortcut)> = Command::all()
            .into_iter()
            .filter_map(|c| c.shortcut().map(|s| (c, s)))
            .collect();
        commands.sort_by_key(|(_, s)| std::cmp::Reverse((s.command, s.shift)));
        for (command, shortcut) in commands {
            if shortcut.is_plain_key() && self.editing_text {
                continue;
            }
            let Some(key) = egui_key(shortcut.key) else {
                continue;
            };
            let mut modifiers = egui::Modifiers::NONE;
            if shortcut.command {
                modifiers |= egui::Modifiers::COMMAND;
            }
            if shortcut.shift {
                modifiers |= egui::Modifiers::SHIFT;
            }
            let pressed =
                ctx.input_mut(|i| i.consume_shortcut(&egui::KeyboardShortcut::new(modifiers, key)));
            if pressed {
                actions.push(Action::Command(command));
            }
        }
        // Ctrl+Y is the other common redo.
        if ctx.input_mut(|i| {
            i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::Y,
            ))
        }) {
            actions.push(Action::Command(Command::Redo));
        }
    }

    /// Starts analysis of the selected article in the background (never blocks a frame).
    fn request_analysis(&mut self, ctx: &egui::Context) {
        let (Some(ws), Some(id)) = (&mut self.ws, &self.selected_article) else {
            return;
        };
        if ws.cached_analysis(id).is_some() || self.analysis_pending.contains(id) {
            return;
        }
        let Some(article) = ws.article(id).cloned() else {
            return;
        };
        let known = ws.known_names();
        if self.inline_work {
            let result = Arc::new(analysis::analyze(&article, &known));
            ws.insert_analysis(id.clone(), result);
            return;
        }
        self.analysis_pending.insert(id.clone());
        let tx = self.analysis_tx.clone();
        let ctx = ctx.clone();
        let id = id.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("analyze {id}"))
            .spawn(move || {
                let analysis = Arc::new(analysis::analyze(&article, &known));
                tx.send(AnalysisDone {
                    article: id,
                    analysis,
                })
                .ok();
                ctx.request_repaint();
            });
        if let Err(err) = spawned {
            self.status.push(format!("Could not start analysis: {err}"));
        }
    }

    fn poll_analysis(&mut self, _ctx: &egui::Context) {
        while let Ok(done) = self.analysis_rx.try_recv() {
            self.analysis_pending.remove(&done.article);
            if let Some(ws) = &mut self.ws {
                ws.insert_analysis(done.article, done.analysis);
            }
        }
    }

    /// Polls file stamps every two seconds (cheap) to offer a reload after outside changes.
    fn check_disk(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        if now - self.last_disk_check < 2.0 {
            return;
        }
        self.last_disk_check = now;
        if let Some(ws) = &self.ws {
            let changed = ws.changed_on_disk();
            if !changed.is_empty() && changed != self.disk_changes {
                self.disk_changes = changed;
            }
        }
        ctx.request_repaint_after(std::time::Duration::from_secs(2));
    }

    /// Files and folders dropped on the window are imported in the background and added to the
    /// project as one undoable step.
    fn receive_dropped_files(&mut self, ctx: &egui::Context) {
        self.receive_import();
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        // A dropped project file opens it; articles and folders are imported.
        if let [single] = dropped.as_slice()
            && single.extension().is_some_and(|e| e == "ron")
        {
            self.open_path(single);
            return;
        }
        self.start_import(ctx, dropped);
    }

    /// Imports files and folders on a background thread. Articles arrive one by one (the first
    /// is readable while the rest import), are added in one undo step per frame, and the import
    /// can be cancelled. Without a project, a new unsaved one is made beside the first path.
    pub fn start_import(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        if self.importing.is_some() {
            self.status
                .push("An import is already running; cancel it or wait".into());
            return;
        }
        if self.ws.is_none() {
            let mut ws = Workspace::from_articles(Vec::new(), None);
            if let Some(first) = paths.first() {
                let project = if first.is_dir() {
                    first.join("claimdesk.ron")
                } else {
                    first.with_file_name("claimdesk.ron")
                };
                ws = Workspace::from_articles(Vec::new(), Some(project));
            }
            self.set_workspace(ws);
        }
        let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
        self.importing = Some(ImportJob {
            done: 0,
            total: 0,
            cancel: cancel.clone(),
        });
        let tx = self.import_tx.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("import".into())
            .spawn(move || {
                let finished = claimdesk_core::corpus::import_paths_streaming(
                    &paths,
                    &claimdesk_core::corpus::ImportLimits::default(),
                    |event| {
                        let message = match event {
                            claimdesk_core::corpus::ImportEvent::Started { total } => {
                                ImportMsg::Progress { done: 0, total }
                            }
                            claimdesk_core::corpus::ImportEvent::File {
                                done,
                                total,
                                report,
                                article,
                            } => {
                                tx.send(ImportMsg::Progress { done, total }).ok();
                                ImportMsg::File {
                                    report: Box::new(report),
                                    article,
                                }
                            }
                        };
                        tx.send(message).ok();
                        ctx.request_repaint();
                        !cancel.load(std::sync::atomic::Ordering::Relaxed)
                    },
                );
                tx.send(ImportMsg::Finished {
                    cancelled: !finished,
                })
                .ok();
                ctx.request_repaint();
            });
        if let Err(err) = spawned {
            self.importing = None;
            self.status
                .push(format!("Could not start the import: {err}"));
        }
    }

    fn receive_import(&mut self) {
        let mut articles = Vec::new();
        let mut reports = Vec::new();
        let mut finished = None;
        while let Ok(message) = self.import_rx.try_recv() {
            match message {
                ImportMsg::Progress { done, total } => {
                    if let Some(job) = &mut self.importing {
                        job.done = done;
                        job.total = total;
                    }
                }
                ImportMsg::File { report, article } => {
                    reports.push(*report);
                    if let Some(article) = article {
                        articles.push(*article);
                    }
                }
                ImportMsg::Finished { cancelled } => finished = Some(cancelled),
            }
        }
        if let Some(ws) = &mut self.ws {
            if !articles.is_empty()
                && let Err(err) = ws.add_articles(articles)
            {
                self.status.push(format!("Import failed: {err}"));
            }
            ws.import_report.extend(reports);
            if self.selected_article.is_none() {
                self.selected_article = ws.article_ids().next().cloned();
            }
        }
        if let Some(cancelled) = finished {
            self.importing = None;
            let (count, skipped) = self.ws.as_ref().map_or((0, 0), |ws| {
                (
                    ws.project().articles.len(),
                    ws.import_report
                        .iter()
                        .filter(|r| r.reason.is_some())
                        .count(),
                )
            });
            self.status.push(format!(
                "{} — the project has {count} article(s); {skipped} file(s) skipped (see Import report)",
                if cancelled { "Import cancelled" } else { "Import finished" }
            ));
        }
    }

    /// Reopens the project from disk (after an outside change).
    pub fn reload(&mut self) {
        let Some(path) = self.ws.as_ref().and_then(|ws| ws.path().map(PathBuf::from)) else {
            return;
        };
        let selected = self.selected_article.clone();
        // Release our lock before reopening.
        self.ws = None;
        self.open_path(&path);
        if selected
            .as_ref()
            .is_some_and(|s| self.ws.as_ref().is_some_and(|ws| ws.article(s).is_some()))
        {
            self.selected_article = selected;
        }
        self.disk_changes.clear();
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) {
            let dirty = self.ws.as_ref().is_some_and(Workspace::is_dirty);
            if dirty && !self.dialogs.close_confirmed {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.dialogs.confirm_close = true;
            }
        }
    }

    /// The only place state changes.
    fn run_actions(&mut self, ctx: &egui::Context, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Command(command) => self.run_command(ctx, command),
                Action::Op(op) => {
                    self.run_op(*op);
                }
                Action::SelectArticle(id) => {
                    if self.selected_article.as_ref() != Some(&id) {
                        self.selected_article = Some(id);
                        self.text_selection = None;
                    }
                }
                Action::Focus(focus) => {
                    if let Some(ws) = &mut self.ws {
                        ws.seal();
                    }
                    self.focus = focus;
                }
                Action::ScrollTo { article, offset } => {
                    // Going to a passage means reading it: the reader replaces a comparison.
                    self.compare = None;
                    self.selected_article = Some(article.clone());
                    self.scroll_to = Some((article, offset));
                }
                Action::SelectText { article, span } => {
                    self.text_selection = Some((article, span));
                }
                Action::BulkSuggestions {
                    article,
                    spans,
                    accept,
                } => self.bulk_suggestions(&article, &spans, accept),
                Action::SetEntityKind(kind) => self.entity_kind = kind,
                Action::Seal => {
                    if let Some(ws) = &mut self.ws {
                        ws.seal();
                    }
                }
                Action::OpenPath(path) => self.open_path(&path),
                Action::Status(message) => self.status.push(message),
                Action::ConfirmEntity {
                    article,
                    surface,
                    kind,
                    scope,
                } => self.confirm_entity(&article, &surface, kind, scope),
                Action::CompareArticles { left, right } => {
                    // Whole articles: an empty passage at the top of each.
                    let top = |article| claimdesk_core::analysis::crossref::Passage {
                        article,
                        span: Span::new(0, 0),
                        text: String::new(),
                    };
                    self.compare = Some(compare::Compare {
                        left: top(left),
                        right: top(right),
                        scrolled: false,
                        hovered: None,
                    });
                }
            }
        }
    }

    /// Applies a planned operation; returns the id of what it created.
    pub fn run_op(&mut self, op: Op) -> Option<Id> {
        let ws = self.ws.as_mut()?;
        let label = op.label.clone();
        match ws.run(op) {
            Ok(created) => created,
            Err(err) => {
                self.status.push(format!("Could not {label}: {err}"));
                None
            }
        }
    }

    /// Plans an operation against the workspace and applies it.
    fn plan_and_run(&mut self, plan: impl FnOnce(&Workspace) -> ops::Result<Op>) -> Option<Id> {
        let result = plan(self.ws.as_ref()?);
        match result {
            Ok(op) => self.run_op(op),
            Err(err) => {
                self.status.push(format!("Not done: {err}"));
                None
            }
        }
    }

    pub fn open_path(&mut self, path: &std::path::Path) {
        if path.is_dir() || path.extension().is_some_and(|e| e != "ron") {
            // A new project over a folder or files: stream it in, never block the window.
            if let Some(ctx) = self.ctx.clone() {
                self.ws = None;
                self.start_import(&ctx, vec![path.to_path_buf()]);
                return;
            }
        }
        let options = OpenOptions {
            trusted_roots: claimdesk_core::sample::trusted_roots_for(path),
            read_only: false,
        };
        match Workspace::open(path, &options) {
            Ok(ws) => {
                self.status.push(format!("Opened {}", path.display()));
                self.set_workspace(ws);
            }
            Err(err) => self
                .status
                .push(format!("Could not open {}: {err}", path.display())),
        }
    }

    fn verdict_labels(&self) -> Vec<String> {
        self.ws
            .as_ref()
            .map(|ws| {
                ws.project()
                    .rating_scale
                    .iter()
                    .map(|r| r.label.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenProject => {
                if let Some(path) = rfd::FileDialog::new()
                    .add_filter("Claimdesk project", &["ron"])
                    .pick_file()
                {
                    self.open_path(&path);
                } else {
                    self.dialogs.open_path_prompt = Some(String::new());
                }
            }
            Command::OpenFolder => {
                if let Some(path) = rfd::FileDialog::new().pick_folder() {
                    self.open_path(&path);
                } else {
                    self.dialogs.open_path_prompt = Some(String::new());
                }
            }
            Command::Save => self.save(false),
            Command::SaveAs => self.save(true),
            Command::ExportReport => self.dialogs.open_export(self.ws.as_ref()),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::Search => {
                self.dialogs.search_open = true;
                self.dialogs.search.focus_query = true;
            }
            Command::CommandPalette => {
                self.dialogs.palette = Some(String::new());
            }
            Command::MarkClaim => self.mark_claim(),
            Command::MarkEntity => self.mark_entity(),
            Command::AddEvidence => self.add_evidence_from_selection(),
            Command::AcceptSuggestion => self.accept_focused_suggestion(),
            Command::DismissSuggestion => self.dismiss_focused_suggestion(),
            Command::SetVerdict(n) => {
                let labels = self.verdict_labels();
                if let Some(label) = labels.get(usize::from(n).saturating_sub(1)) {
                    self.set_verdict(Some(label.clone()));
                }
            }
            Command::ClearVerdict => self.set_verdict(None),
            Command::NextClaim => self.step_claim(1),
            Command::PrevClaim => self.step_claim(-1),
            Command::NextArticle => self.step_article(1),
            Command::PrevArticle => self.step_article(-1),
            Command::ToggleSuggestions => {
                self.settings.show_suggestions = !self.settings.show_suggestions;
            }
            Command::ToggleRemoved => self.settings.show_removed = !self.settings.show_removed,
            Command::ZoomIn => self.settings.zoom = (self.settings.zoom + 0.1).min(3.0),
            Command::ZoomOut => self.settings.zoom = (self.settings.zoom - 0.1).max(0.5),
            Command::ZoomReset => self.settings.zoom = 1.0,
            Command::ThemeDark => self.settings.theme = ThemeChoice::Dark,
            Command::ThemeLight => self.settings.theme = ThemeChoice::Light,
            Command::ThemeSystem => self.settings.theme = ThemeChoice::System,
        }
    }

    fn save(&mut self, choose_path: bool) {
        let Some(ws) = &mut self.ws else {
            return;
        };
        let needs_path = choose_path || ws.path().is_none();
        let result = if needs_path {
            match rfd::FileDialog::new()
                .add_filter("Claimdesk project", &["ron"])
                .set_file_name("project.ron")
                .save_file()
            {
                Some(path) => ws.save_to(&path, false),
                None => {
                    self.dialogs.save_path_prompt = Some(
                        ws.path()
                            .map(|p| p.display().to_string())
                            .unwrap_or_else(|| "project.ron".into()),
                    );
                    return;
                }
            }
        } else {
            ws.save()
        };
        match result {
            Ok(path) => self.status.push(format!("Saved {}", path.display())),
            Err(err) => self.status.push(format!("Not saved: {err}")),
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let Some(ws) = &mut self.ws else {
            return;
        };
        let result = if undo { ws.undo() } else { ws.redo() };
        let message = match result {
            Ok(Some(label)) => format!("{} {label}", if undo { "Undid" } else { "Redid" }),
            Ok(None) => if undo {
                "Nothing to undo"
            } else {
                "Nothing to redo"
            }
            .to_string(),
            Err(err) => err.to_string(),
        };
        self.status.push(message);
        // A focused claim may have been removed by the undo.
        if let (Some(Focus::Claim(id)), Some(ws)) = (&self.focus, &self.ws)
            && !ws.project().claims.contains_key(id)
        {
            self.focus = None;
        }
    }

    /// Marks the reader's selection as a claim and focuses it.
    pub fn mark_claim(&mut self) {
        let Some((article_id, span)) = self.snapped_selection() else {
            self.status
                .push("Select text in the article first, then mark it as a claim".into());
            return;
        };
        if let Some(id) = self
            .plan_and_run(|ws| ops::mark_claim(ws, &article_id, span, ops::ClaimFields::default()))
        {
            self.focus = Some(Focus::Claim(id));
            self.text_selection = None;
        }
    }

    /// The reader's selection snapped to whole words.
    fn snapped_selection(&self) -> Option<(ArticleId, Span)> {
        let (article_id, span) = self.text_selection.clone()?;
        let article = self.ws.as_ref()?.article(&article_id)?;
        let span = article.snap_to_words(span);
        (!span.is_empty()).then_some((article_id, span))
    }

    /// Marks the selection as a mention of an entity of the chosen kind (creating it in the
    /// registry, or adding to the entity of that name).
    pub fn mark_entity(&mut self) {
        let Some((article_id, span)) = self.snapped_selection() else {
            self.status
                .push("Select text in the article first, then mark it as an entity".into());
            return;
        };
        let kind = self.entity_kind;
        self.plan_and_run(|ws| ops::mark_entity(ws, &article_id, &[span], kind, None));
        self.text_selection = None;
    }

    fn add_evidence_from_selection(&mut self) {
        let Some(Focus::Claim(claim_id)) = self.focus.clone() else {
            self.status.push(
                "Select a claim first; then select a passage in any article and add it as evidence"
                    .into(),
            );
            return;
        };
        let Some((article, span)) = self.snapped_selection() else {
            self.status
                .push("Select a passage in any article to add it as evidence".into());
            return;
        };
        let stance = self.evidence_stance;
        let note = self.evidence_note.clone();
        if self
            .plan_and_run(|ws| {
                ops::add_evidence(
                    ws,
                    &claim_id,
                    ops::EvidenceInput::Passage { article, span },
                    stance,
                    &note,
                )
            })
            .is_some()
        {
            self.evidence_note.clear();
            self.text_selection = None;
        }
    }

    pub fn add_url_evidence(&mut self) {
        let Some(Focus::Claim(claim_id)) = self.focus.clone() else {
            return;
        };
        let url = self.evidence_url.trim().to_string();
        if url.is_empty() {
            return;
        }
        let stance = self.evidence_stance;
        let note = self.evidence_note.clone();
        if self
            .plan_and_run(|ws| {
                ops::add_evidence(
                    ws,
                    &claim_id,
                    ops::EvidenceInput::Url {
                        url,
                        title: String::new(),
                    },
                    stance,
                    &note,
                )
            })
            .is_some()
        {
            self.evidence_url.clear();
            self.evidence_note.clear();
        }
    }

    fn set_verdict(&mut self, verdict: Option<String>) {
        let Some(Focus::Claim(id)) = self.focus.clone() else {
            if matches!(self.focus, Some(Focus::Suggestion { .. })) {
                // Rating a suggestion accepts it first.
                self.accept_focused_suggestion();
                if matches!(self.focus, Some(Focus::Claim(_))) {
                    self.set_verdict(verdict);
                }
            } else {
                self.status.push("Select a claim to rate".into());
            }
            return;
        };
        self.plan_and_run(|ws| {
            ops::set_claim(
                ws,
                &id,
                ops::ClaimChange {
                    verdict: Some(verdict),
                    ..Default::default()
                },
            )
        });
    }

    fn accept_focused_suggestion(&mut self) {
        let Some(Focus::Suggestion { article, span }) = self.focus.clone() else {
            return;
        };
        if let Some(id) = self.accept_suggestion(&article, span) {
            self.focus = Some(Focus::Claim(id));
        }
    }

    /// Turns a suggested claim into a project claim; returns its id.
    pub fn accept_suggestion(&mut self, article_id: &str, span: Span) -> Option<Id> {
        self.plan_and_run(|ws| ops::accept_suggestion(ws, article_id, span))
    }

    /// Accepts or dismisses many suggestions of one article as one undo step.
    fn bulk_suggestions(&mut self, article_id: &str, spans: &[Span], accept: bool) {
        self.plan_and_run(|ws| ops::bulk_suggestions(ws, article_id, spans, accept));
        if matches!(self.focus, Some(Focus::Suggestion { .. })) {
            self.focus = None;
        }
    }

    fn dismiss_focused_suggestion(&mut self) {
        let Some(Focus::Suggestion { article, span }) = self.focus.clone() else {
            return;
        };
        self.plan_and_run(|ws| ops::dismiss_suggestion(ws, &article, span));
        self.focus = None;
    }

    /// Claims of the selected article in text order (project claims only).
    fn article_claim_ids(&self) -> Vec<(Id, usize)> {
        match (&self.ws, &self.selected_article) {
            (Some(ws), Some(article)) => ws
                .project()
                .claims_in(article)
                .into_iter()
                .map(|(id, c)| (id.clone(), c.anchor.start))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn step_claim(&mut self, delta: i32) {
        let claims = self.article_claim_ids();
        if claims.is_empty() {
            return;
        }
        let current = match &self.focus {
            Some(Focus::Claim(id)) => claims.iter().position(|(c, _)| c == id),
            _ => None,
        };
        let next = match current {
            Some(i) => (i as i32 + delta).rem_euclid(claims.len() as i32) as usize,
            None if delta > 0 => 0,
            None => claims.len() - 1,
        };
        let (id, offset) = claims[next].clone();
        if let Some(ws) = &mut self.ws {
            ws.seal();
        }
        self.focus = Some(Focus::Claim(id));
        if let Some(article) = self.selected_article.clone() {
            self.scroll_to = Some((article, offset));
        }
    }

    fn step_article(&mut self, delta: i32) {
        let Some(ws) = &self.ws else {
            return;
        };
        let ids: Vec<ArticleId> = ws.article_ids().cloned().collect();
        if ids.is_empty() {
            return;
        }
        let current = self
            .selected_article
            .as_ref()
            .and_then(|s| ids.iter().position(|i| i == s))
            .unwrap_or(0);
        let next = (current as i32 + delta).rem_euclid(ids.len() as i32) as usize;
        self.selected_article = Some(ids[next].clone());
        self.text_selection = None;
    }
}

impl ClaimdeskApp {
    /// Adds a suggested entity to the registry with every mention of that spelling in the
    /// article (or the corpus) not yet recorded.
    pub fn confirm_entity(
        &mut self,
        article_id: &str,
        surface: &str,
        kind: EntityKind,
        scope: ops::Scope,
    ) {
        self.plan_and_run(|ws| ops::confirm_entity(ws, article_id, surface, kind, scope));
    }
}

fn egui_key(name: &str) -> Option<egui::Key> {
    match name {
        "Plus" => Some(egui::Key::Plus),
        "Minus" => Some(egui::Key::Minus),
        other => egui::Key::from_name(other),
    }
}

const SETTINGS_KEY: &str = "claimdesk.settings";

impl eframe::App for ClaimdeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// Starts the native window on a project (the sample when `path` is `None`).
pub fn run_native(path: Option<PathBuf>, allow_outside: Vec<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Claimdesk")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "Claimdesk",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
                .unwrap_or_default();
            let app = match path {
                None => ClaimdeskApp::open_sample(settings),
                Some(path) => {
                    let mut trusted = allow_outside;
                    trusted.extend(claimdesk_core::sample::trusted_roots_for(&path));
                    let options = OpenOptions {
                        trusted_roots: trusted,
                        read_only: false,
                    };
                    match Workspace::open(&path, &options) {
                        Ok(ws) => ClaimdeskApp::new(Some(ws), settings),
                        Err(err) => {
                            let mut app = ClaimdeskApp::new(None, settings);
                            app.status
                                .push(format!("Could not open {}: {err}", path.display()));
                            app
                        }
                    }
                }
            };
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
}
