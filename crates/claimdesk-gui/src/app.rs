//! The app: owns the workspace, the shared UI state, the panels (each with its own state), the
//! background jobs and the notices. Each frame it hands the panels a read-only [`ViewCtx`] and
//! an [`Actions`] queue, then applies what they asked for — the only place anything changes,
//! and every project change an operation from `claimdesk_core::ops` run through the workspace
//! (undo, journal, tests).

mod teamwork;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use claimdesk_core::analysis::{self, ArticleAnalysis};
use claimdesk_core::command::Command;
use claimdesk_core::corpus::{ArticleId, ImportReport};
use claimdesk_core::ops::{self, Op};
use claimdesk_core::project::{Edit, EvidenceSource, Id, Project};
use claimdesk_core::text::Span;
use claimdesk_core::workspace::{OpenOptions, Workspace, WorkspaceError};

use crate::article_view::{ArticleView, SuggestionView};
use crate::context::{
    Action, Actions, Compare, Flash, Focus, InspectorTab, JobsView, ScrollRequest, UiState, ViewCtx,
};
use crate::dialogs::{self, Chosen, FileKind};
use crate::jobs::{Job, Poll};
use crate::notices::Notices;
use crate::selection::Selection;
use crate::{Settings, ThemeChoice};
use crate::{article_list, compare, inspector, panels, project_panels, reader, search};
use crate::{capture_dialog, factcheck_panel};

mod capture;
mod factchecks;

/// Each panel's own state.
#[derive(Default)]
struct Panels {
    team: crate::team::TeamPanels,
    reader: reader::Reader,
    articles: article_list::ArticleList,
    inspector: inspector::Inspector,
    all_claims: project_panels::AllClaims,
    registry: project_panels::Registry,
    import_report: project_panels::ImportReportPanel,
    across: compare::Across,
    search: search::Search,
    dialogs: dialogs::Dialogs,
    factcheck_import: factcheck_panel::ImportDialog,
    url_dialog: capture_dialog::UrlDialog,
}

/// A file read by the import worker: its report row, and the article unless it was skipped or
/// folded as an exact duplicate.
struct Imported {
    report: Box<ImportReport>,
    article: Option<Box<claimdesk_core::corpus::Article>>,
}

type ExportOutcome = Result<Option<claimdesk_core::report::export::Written>, String>;

/// The app's own background work (panels run their read-only searches and links themselves).
#[derive(Default)]
struct AppJobs {
    /// Analysis per article, with the registry revision it started from (a registry change
    /// makes detection find other names, so an older result is dropped).
    analysis: HashMap<ArticleId, (Job<Arc<ArticleAnalysis>>, u64)>,
    /// `true` when the import ran to the end.
    import: Option<Job<bool, Imported>>,
    export: Option<Job<ExportOutcome>>,
}

/// What one change touched, read off its edit: which derived views need deriving again.
#[derive(Default)]
struct Touched {
    articles: bool,
    claims: bool,
    registry: bool,
    /// Claims put by the edit (a rating, a claimant): the article view takes one in place.
    put_claims: Vec<Id>,
    /// Anything besides claims being put.
    other: bool,
    /// A passage may have moved: anything but claims put again on the same text (a rating,
    /// a claimant, a note), so orphans need finding again.
    anchors: bool,
}

impl Touched {
    /// What `edit` touches, read against the project before it is applied.
    fn of(edit: &Edit, before: &Project) -> Self {
        let mut touched = Self::default();
        touched.walk(edit, before);
        touched
    }

    fn walk(&mut self, edit: &Edit, before: &Project) {
        if !matches!(edit, Edit::PutClaim { .. } | Edit::Batch(_)) {
            self.anchors = true;
        }
        match edit {
            Edit::Batch(edits) => edits.iter().for_each(|e| self.walk(e, before)),
            Edit::PutClaim { id, claim } => {
                self.claims = true;
                self.put_claims.push(id.clone());
                if before
                    .claims
                    .get(id)
                    .is_none_or(|c| c.anchor != claim.anchor)
                {
                    self.anchors = true;
                }
            }
            Edit::RemoveClaim { .. } => {
                self.claims = true;
                self.other = true;
            }
            Edit::PutArticle { .. } | Edit::RemoveArticle { .. } => {
                self.articles = true;
                self.other = true;
            }
            Edit::PutEntity { .. } | Edit::RemoveEntity { .. } => {
                self.registry = true;
                self.other = true;
            }
            Edit::SetRatingScale { .. } => {
                self.claims = true;
                self.other = true;
            }
            _ => self.other = true,
        }
    }
}

pub struct ClaimdeskApp {
    ws: Option<Workspace>,
    pub settings: Settings,
    state: UiState,
    /// Rows and highlights of the open article, derived once per workspace change.
    view: ArticleView,
    panels: Panels,
    notices: Notices,
    jobs: AppJobs,
    jobs_view: JobsView,
    team: teamwork::TeamState,
    /// Run background work on the UI thread (tests and benchmarks need determinism).
    pub inline_work: bool,
    /// Try native file dialogs (off in tests: there is no desktop to ask).
    pub native_dialogs: bool,
    applied_theme: Option<ThemeChoice>,
    last_disk_check: f64,
    /// Kept to start background work from places that have no `Ui`.
    ctx: Option<egui::Context>,
    /// Actions from outside a frame (tests, the benchmark), applied with the next frame's.
    queued: Vec<Action>,
    /// The project holds only what the window imported into a new, unsaved project: closing
    /// loses nothing the analyst wrote, so it asks nothing.
    import_only: bool,
    close_confirmed: bool,
    scroll_serial: u64,
    registry_revision: u64,
    /// Whether the last operation was refused or failed (its notice is already said).
    last_op_failed: bool,
    /// Orphaned records, derived once per project change (not per analysis arriving).
    orphans: Arc<std::collections::BTreeSet<Id>>,
    orphans_at: Option<(u64, u64)>,
    /// Moves when a passage may have moved (not on a rating): orphans are found again then.
    anchors_revision: u64,
    now: f64,
    /// The fact-check library: its place, the last lookup, the jobs.
    factchecks: factcheck_panel::FactChecks,
    /// Web capture: pages being fetched, archived copies in the project folder.
    captures: capture_dialog::Captures,
}

impl ClaimdeskApp {
    pub fn new(ws: Option<Workspace>, settings: Settings) -> Self {
        let mut app = Self {
            ws: None,
            settings,
            state: UiState::default(),
            view: ArticleView::default(),
            panels: Panels::default(),
            notices: Notices::default(),
            jobs: AppJobs::default(),
            jobs_view: JobsView::default(),
            team: teamwork::TeamState::default(),
            inline_work: false,
            native_dialogs: true,
            applied_theme: None,
            last_disk_check: 0.0,
            ctx: None,
            queued: Vec::new(),
            import_only: false,
            close_confirmed: false,
            scroll_serial: 0,
            registry_revision: 0,
            last_op_failed: false,
            orphans: Arc::default(),
            orphans_at: None,
            anchors_revision: 0,
            now: 0.0,
            factchecks: factcheck_panel::FactChecks::default(),
            captures: capture_dialog::Captures::default(),
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
                .notices
                .error(format!("Could not open the sample project: {err}")),
        }
        app
    }

    // ----- read-only access (tests, the benchmark) -----

    pub fn workspace(&self) -> Option<&Workspace> {
        self.ws.as_ref()
    }

    pub fn state(&self) -> &UiState {
        &self.state
    }

    pub fn notices(&self) -> &Notices {
        &self.notices
    }

    pub fn is_importing(&self) -> bool {
        self.jobs.import.is_some()
    }

    /// Whether cross-article linking is running (the Across articles tab).
    pub fn is_linking(&self) -> bool {
        self.panels.across.is_running()
    }

    pub fn links(&self) -> Option<&claimdesk_core::analysis::crossref::CrossRefs> {
        self.panels.across.links()
    }

    /// Where the reader painted char `offset` of the open article last frame (the top left
    /// of its character), for driving it by pointer in tests.
    pub fn reader_position_of(&self, offset: usize) -> Option<egui::Pos2> {
        self.panels.reader.position_of(offset)
    }

    /// Queues an action as a panel would; applied at the end of the next frame.
    pub fn act(&mut self, action: Action) {
        self.queued.push(action);
    }

    /// After re-applying or discarding a set-aside journal: what is left to offer, and what
    /// happened to this one.
    fn stranded_done(&mut self, journal: PathBuf, said: String) {
        let left = self
            .ws
            .as_ref()
            .and_then(Workspace::path)
            .map(claimdesk_core::workspace::stranded_journals)
            .unwrap_or_default();
        self.panels
            .dialogs
            .stranded_done(left, Some((journal, said)));
    }

    /// Whether closing now would ask to save.
    pub fn has_unsaved_changes(&self) -> bool {
        self.ws.as_ref().is_some_and(Workspace::is_dirty) && !self.import_only
    }

    fn set_workspace(&mut self, ws: Workspace) {
        for notice in &ws.notices {
            self.notices.warning(notice.clone());
        }
        if let Some(reason) = ws.read_only_reason() {
            self.notices.warning(format!("Read-only: {reason}"));
        }
        if let Some(path) = ws.path().filter(|p| p.exists()) {
            let path = path.to_path_buf();
            self.settings.recent.retain(|p| p != &path);
            self.settings.recent.insert(0, path);
            self.settings.recent.truncate(10);
        }
        self.state.selected_article = ws.article_ids().next().cloned();
        self.state.focus = None;
        self.state.selection = None;
        self.state.compare = None;
        self.state.flash = None;
        self.state.disk_changes.clear();
        self.state.revisions.workspace += 1;
        self.panels.reader = reader::Reader::default();
        self.jobs.analysis.clear();
        self.import_only = false;
        // Edits a crash set aside against another version of the file: offered back, never
        // dropped unasked (only a writable project can take them).
        if ws.read_only_reason().is_none()
            && let Some(path) = ws.path()
        {
            self.panels
                .dialogs
                .offer_stranded(claimdesk_core::workspace::stranded_journals(path));
        }
        self.ws = Some(ws);
    }

    /// One frame of the whole UI (used by eframe and by the kittest harness).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        self.now = ctx.input(|i| i.time);
        self.apply_theme(&ctx);
        self.poll_sync();
        self.refresh_team_view();
        self.poll_jobs();
        self.poll_factchecks(&ctx);
        self.poll_captures(&ctx);
        let mut actions = Actions(std::mem::take(&mut self.queued));
        let focused = ctx.memory(|m| m.focused());
        self.state.editing_text = focused.is_some() && focused != Some(reader::focus_id());
        self.shortcuts(&ctx, &mut actions);
        self.request_analysis(&ctx);
        self.check_disk(&ctx);
        self.receive_dropped_files(&ctx, &mut actions);
        if let (Some(ws), Some(article)) = (&self.ws, &self.state.selected_article) {
            self.view.refresh(ws, article, self.suggestion_view());
        }
        if self
            .state
            .flash
            .as_ref()
            .is_some_and(|f| f.until <= self.now)
        {
            self.state.flash = None;
        }

        let orphans_at = (self.state.revisions.workspace, self.anchors_revision);
        if self.orphans_at != Some(orphans_at) {
            self.orphans = self.ws.as_ref().map(Workspace::orphans).unwrap_or_default();
            self.orphans_at = Some(orphans_at);
        }

        let unsaved_changes = self.has_unsaved_changes();
        let cx = ViewCtx {
            unsaved_changes,
            ws: self.ws.as_ref(),
            view: &self.view,
            state: &self.state,
            settings: &self.settings,
            team: &self.team.view,
            jobs: &self.jobs_view,
            notices: &self.notices,
            orphans: &self.orphans,
            inline_work: self.inline_work,
            native_dialogs: self.native_dialogs,
            now: self.now,
            factchecks: &self.factchecks,
            captures: &self.captures,
        };
        panels::menu_bar_ui(&cx, ui, &mut actions);
        panels::banner_ui(&cx, ui, &mut actions);
        panels::status_bar_ui(&cx, ui, &mut actions);
        crate::team::sync_progress_ui(&cx, ui);
        self.panels.articles.ui(&cx, ui, &mut actions);
        inspector::panel_ui(
            &cx,
            ui,
            &mut actions,
            inspector::Tabs {
                article: &mut self.panels.inspector,
                all_claims: &mut self.panels.all_claims,
                registry: &mut self.panels.registry,
                import_report: &mut self.panels.import_report,
                across: &mut self.panels.across,
                activity: &mut self.panels.team.activity,
            },
        );
        self.panels.search.ui(&cx, ui, &mut actions);
        if cx.state.compare.is_some() {
            compare::compare_ui(&cx, ui, &mut actions);
        } else {
            self.panels.reader.ui(&cx, ui, &mut actions);
        }
        self.panels.team.sync_report.ui(&cx, ui, &mut actions);
        self.panels.team.analyst.ui(&cx, ui, &mut actions);
        self.panels.dialogs.ui(&cx, ui, &mut actions);
        self.panels.factcheck_import.ui(&cx, ui, &mut actions);
        self.panels.url_dialog.ui(&cx, ui, &mut actions);
        self.notices.ui(&ctx);

        self.handle_close_request(&ctx);
        self.run_actions(&ctx, actions);
    }

    fn suggestion_view(&self) -> SuggestionView {
        SuggestionView {
            show: self.settings.show_suggestions,
            strongest_first: self.settings.suggestions_by_score,
            shade: self.settings.shade_strongest,
        }
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

    fn shortcuts(&mut self, ctx: &egui::Context, actions: &mut Actions) {
        if self.panels.dialogs.any_modal_open()
            || self.panels.factcheck_import.is_open()
            || self.panels.url_dialog.is_open()
        {
            return;
        }
        if self.panels.team.analyst.is_open() {
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
            // Escape also leaves a text field; it still closes search and overlays.
            if shortcut.is_plain_key() && self.state.editing_text && shortcut.key != "Escape" {
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
            let pressed = ctx.input_mut(|i| {
                // A plain key must not fire with Shift held (Shift+N is its own command);
                // egui's shortcut matching would ignore the extra modifier.
                if shortcut.is_plain_key() && !shortcut.shift && i.modifiers.shift {
                    return false;
                }
                i.consume_shortcut(&egui::KeyboardShortcut::new(modifiers, key))
            });
            if pressed {
                actions.command(command);
            }
        }
        // Ctrl+Y is the other common redo.
        if ctx.input_mut(|i| {
            i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::Y,
            ))
        }) {
            actions.command(Command::Redo);
        }
    }

    /// Starts analysis of the open article in the background (never blocks a frame).
    fn request_analysis(&mut self, ctx: &egui::Context) {
        if let Some(id) = self.state.selected_article.clone() {
            self.analyse(ctx, &id);
        }
    }

    fn analyse(&mut self, ctx: &egui::Context, id: &str) {
        let Some(ws) = &self.ws else {
            return;
        };
        if ws.cached_analysis(id).is_some() || self.jobs.analysis.contains_key(id) {
            return;
        }
        let Some(article) = ws.article(id).cloned() else {
            return;
        };
        let known = ws.known_names();
        let job = Job::spawn(
            format!("analyse {id}"),
            Some(ctx),
            self.inline_work,
            move |_| Arc::new(analysis::analyze(&article, &known)),
        );
        self.jobs
            .analysis
            .insert(id.to_string(), (job, self.registry_revision));
        if self.inline_work {
            self.poll_jobs();
        }
    }

    /// Takes in what background work finished or sent since the last frame.
    fn poll_jobs(&mut self) {
        let mut finished = Vec::new();
        for (id, (job, revision)) in &mut self.jobs.analysis {
            match job.poll() {
                Poll::Running => {}
                Poll::Done(result) => finished.push((id.clone(), Some(result), *revision)),
                Poll::Lost => finished.push((id.clone(), None, *revision)),
            }
        }
        for (id, result, revision) in finished {
            self.jobs.analysis.remove(&id);
            match (result, &self.ws) {
                (Some(result), Some(ws)) if revision == self.registry_revision => {
                    ws.insert_analysis(id, result);
                }
                (None, _) => self
                    .notices
                    .error(format!("Analysis of {id} stopped unexpectedly")),
                _ => {}
            }
        }
        self.receive_import();
        self.receive_export();
        self.jobs_view = JobsView {
            import: self.jobs.import.as_ref().map(Job::progress),
            export: self.jobs.export.as_ref().map(Job::progress),
            analysing: self.jobs.analysis.keys().cloned().collect(),
        };
    }

    /// Polls file stamps every two seconds (cheap) to offer a reload after outside changes.
    fn check_disk(&mut self, ctx: &egui::Context) {
        if self.now - self.last_disk_check < 2.0 {
            return;
        }
        self.last_disk_check = self.now;
        if let Some(ws) = &self.ws {
            let changed = ws.changed_on_disk();
            if !changed.is_empty() && changed != self.state.disk_changes {
                self.state.disk_changes = changed;
            }
        }
        ctx.request_repaint_after(std::time::Duration::from_secs(2));
    }

    /// Files and folders dropped on the window: a project file opens, the rest is imported.
    fn receive_dropped_files(&mut self, ctx: &egui::Context, actions: &mut Actions) {
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
        if let [single] = dropped.as_slice()
            && single.extension().is_some_and(|e| e == "ron")
        {
            actions.push(Action::OpenPath(single.clone()));
            return;
        }
        self.start_import(ctx, dropped);
    }

    /// Imports files and folders on a background thread. Articles arrive one by one (the first
    /// is readable while the rest import), are added in one undo step per frame, and the import
    /// can be cancelled. Without a project, a new unsaved one is made beside the first path.
    pub fn start_import(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        if self.is_syncing() {
            self.notices
                .warning("Syncing with the team: import once the sync has finished");
            return;
        }
        if self.jobs.import.is_some() {
            self.notices
                .warning("An import is already running; cancel it or wait");
            return;
        }
        if self.ws.is_none() {
            let project = paths.first().map(|first| {
                if first.is_dir() {
                    first.join("claimdesk.ron")
                } else {
                    first.with_file_name("claimdesk.ron")
                }
            });
            self.set_workspace(Workspace::from_articles(Vec::new(), project));
            self.import_only = true;
        }
        let job = Job::spawn("Importing", Some(ctx), self.inline_work, move |worker| {
            claimdesk_core::corpus::import_paths_streaming(
                &paths,
                &claimdesk_core::corpus::ImportLimits::default(),
                |event| {
                    use claimdesk_core::progress::Observer as _;
                    match event {
                        claimdesk_core::corpus::ImportEvent::Started { total } => {
                            worker.progress(0, total, "Importing");
                        }
                        claimdesk_core::corpus::ImportEvent::File {
                            done,
                            total,
                            report,
                            article,
                        } => {
                            worker.progress(done, total, "Importing");
                            worker.send(Imported {
                                report: Box::new(report),
                                article,
                            });
                        }
                    }
                    !worker.cancelled()
                },
            )
        });
        self.jobs.import = Some(job);
        if self.inline_work {
            self.receive_import();
        }
    }

    fn receive_import(&mut self) {
        let Some(job) = &mut self.jobs.import else {
            return;
        };
        let mut articles = Vec::new();
        let mut reports = Vec::new();
        for imported in job.take_updates() {
            reports.push(*imported.report);
            if let Some(article) = imported.article {
                articles.push(*article);
            }
        }
        let outcome = job.poll();
        let Some(ws) = &mut self.ws else {
            return;
        };
        if !articles.is_empty() {
            match ws.add_articles(articles) {
                Ok(_) => {
                    self.state.revisions.articles += 1;
                    self.state.revisions.project += 1;
                    self.anchors_revision += 1;
                }
                Err(err) => self.notices.error(format!("Import failed: {err}")),
            }
        }
        ws.import_report.extend(reports);
        if self.state.selected_article.is_none() {
            self.state.selected_article = ws.article_ids().next().cloned();
        }
        let finished = match outcome {
            Poll::Running => return,
            Poll::Done(finished) => finished,
            Poll::Lost => {
                self.notices
                    .error("The import stopped unexpectedly; the files read so far were added");
                false
            }
        };
        self.jobs.import = None;
        let summary = project_panels::ImportSummary::of(&ws.import_report);
        let message = format!(
            "{} — the project has {} article(s); {} exact duplicate(s) folded, {} near duplicate(s) flagged, {} file(s) skipped (see Import report)",
            if finished {
                "Import finished"
            } else {
                "Import cancelled"
            },
            ws.project().articles.len(),
            summary.exact,
            summary.near,
            summary.skipped,
        );
        if summary.skipped > 0 {
            self.notices.warning(message);
        } else {
            self.notices.info(message);
        }
    }

    fn receive_export(&mut self) {
        let Some(job) = &mut self.jobs.export else {
            return;
        };
        let outcome = match job.poll() {
            Poll::Running => return,
            Poll::Done(outcome) => Some(outcome),
            Poll::Lost => None,
        };
        self.jobs.export = None;
        match outcome {
            Some(Ok(Some(written))) => {
                for message in &written.messages {
                    self.notices.info(format!("Export: {message}"));
                }
                for warning in &written.warnings {
                    self.notices.warning(format!("Export: {warning}"));
                }
                self.panels.dialogs.export_written(&written);
            }
            Some(Ok(None)) => {
                self.notices.info("Export cancelled; nothing was written");
                self.panels.dialogs.export_finished(false);
            }
            Some(Err(err)) => {
                self.notices.error(format!("Export failed: {err}"));
                self.panels.dialogs.export_finished(false);
            }
            None => {
                self.notices
                    .error("Export stopped unexpectedly; nothing was written");
                self.panels.dialogs.export_finished(false);
            }
        }
    }

    /// Reopens the project from disk (after an outside change).
    fn reload(&mut self) {
        let Some(path) = self.ws.as_ref().and_then(|ws| ws.path().map(PathBuf::from)) else {
            return;
        };
        let selected = self.state.selected_article.clone();
        // Release our lock before reopening.
        self.ws = None;
        self.open_path(&path);
        if let Some(selected) = selected
            && self
                .ws
                .as_ref()
                .is_some_and(|ws| ws.article(&selected).is_some())
        {
            self.state.selected_article = Some(selected);
        }
        self.state.disk_changes.clear();
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && self.has_unsaved_changes()
            && !self.close_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.panels.dialogs.confirm_close = true;
        }
    }

    /// The only place state changes.
    fn run_actions(&mut self, ctx: &egui::Context, actions: Actions) {
        // What changed now is drawn by the next frame: ask for it, or it waits for an event.
        if !actions.0.is_empty() {
            ctx.request_repaint();
        }
        for action in actions.0 {
            self.run_action(ctx, action);
        }
    }

    fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        if self.held_by_sync(&action) {
            return;
        }
        match action {
            Action::Command(command) => self.run_command(ctx, command),
            Action::Op { op, done } => {
                self.run_op(*op);
                if let Some(done) = done
                    && !self.last_op_failed
                {
                    self.notices.info(done);
                }
            }
            Action::Notice(severity, text) => self.notices.push(severity, text),
            Action::SelectArticle(id) => self.select_article(&id),
            Action::Focus(focus) => {
                if let Some(ws) = &mut self.ws {
                    ws.seal();
                }
                self.state.focus = focus;
            }
            Action::ScrollTo { article, offset } => self.scroll_to(&article, offset),
            Action::Select(selection) => {
                self.state.selection =
                    selection.filter(|s| Some(&s.article) == self.state.selected_article.as_ref());
            }
            Action::SelectText { article, span } => {
                self.scroll_to(&article, span.start);
                if let Some(text) = self.ws.as_ref().and_then(|ws| ws.article(&article)) {
                    self.state.selection = Some(Selection::exact(text, span));
                }
            }
            Action::BulkSuggestions {
                article,
                spans,
                accept,
            } => {
                self.plan_and_run(|ws| ops::bulk_suggestions(ws, &article, &spans, accept));
                if matches!(self.state.focus, Some(Focus::Suggestion { .. })) {
                    self.state.focus = None;
                }
            }
            Action::ConfirmName {
                article,
                name,
                spellings,
                kind,
                scope,
            } => {
                self.plan_and_run(|ws| {
                    ops::confirm_spellings(ws, &article, &name, &spellings, kind, scope)
                });
                if !self.last_op_failed {
                    self.notices
                        .info(self.ws.as_ref().and_then(|ws| ws.undo_label()).map_or_else(
                            || format!("Confirmed “{name}”"),
                            |label| format!("Done: {label}"),
                        ));
                }
            }
            Action::SetEntityKind(kind) => self.state.entity_kind = kind,
            Action::Settings(settings) => self.settings = *settings,
            Action::SetAnalyst { name, email } => self.set_analyst(&name, &email),
            Action::DismissAnalystPrompt => self.dismiss_analyst_prompt(),
            Action::ShowTab(tab) => self.state.tab = tab,
            Action::Seal => {
                if let Some(ws) = &mut self.ws {
                    ws.seal();
                }
            }
            Action::OpenPath(path) => self.open_path(&path),
            Action::SaveTo(path) => self.save_to(&path),
            Action::RestoreBackup { path, backup } => {
                match claimdesk_core::project::file::restore_backup(&path, &backup) {
                    Ok(aside) => {
                        self.notices.info(format!(
                            "Restored a backup; the unreadable file is now {}",
                            aside.display()
                        ));
                        self.open_path(&path);
                    }
                    Err(err) => self
                        .notices
                        .error(format!("Could not restore the backup: {err}")),
                }
            }
            Action::Reload => self.reload(),
            Action::IgnoreDiskChanges => self.state.disk_changes.clear(),
            Action::CancelImport => {
                if let Some(job) = &self.jobs.import {
                    job.cancel();
                }
            }
            Action::StartExport {
                path,
                format,
                options,
                publish,
            } => self.start_export(ctx, path, format, *options, *publish),
            Action::CancelExport => {
                if let Some(job) = &self.jobs.export {
                    job.cancel();
                }
            }
            Action::Analyse(ids) => {
                for id in ids {
                    self.analyse(ctx, &id);
                }
            }
            Action::CompareArticles { left, right } => {
                // Whole articles: an empty passage at the top of each.
                let top = |article: String| claimdesk_core::analysis::crossref::Passage {
                    article: article.into(),
                    span: Span::new(0, 0),
                    text: "".into(),
                };
                self.open_compare(ctx, top(left), top(right));
            }
            Action::ComparePassages { left, right } => self.open_compare(ctx, *left, *right),
            Action::UpdateCompare(compare) => {
                if self.state.compare.is_some() {
                    self.state.compare = Some(*compare);
                }
            }
            Action::CloseCompare => self.state.compare = None,
            Action::FactChecks(action) => self.run_factcheck_action(ctx, action),
            Action::Capture(action) => self.run_capture_action(ctx, action),
            Action::ReapplyStranded(journal) => {
                let Some(ws) = self.ws.as_mut() else {
                    return;
                };
                let said = match ws.reapply_stranded(&journal) {
                    Ok(report) => {
                        let mut said = format!("{} edit(s) re-applied", report.applied);
                        if !report.not_applied.is_empty() {
                            let reasons: Vec<String> = report
                                .not_applied
                                .iter()
                                .map(|n| format!("edit {} ({}): {}", n.number, n.edit, n.reason))
                                .collect();
                            said.push_str(&format!(
                                "; {} no longer apply and stay in the file: {}",
                                report.not_applied.len(),
                                reasons.join("; ")
                            ));
                            self.notices.warning(said.clone());
                        } else {
                            self.notices.info(said.clone());
                        }
                        self.state.revisions.workspace += 1;
                        said
                    }
                    Err(err) => {
                        let said = format!("could not re-apply: {err}");
                        self.notices.error(said.clone());
                        said
                    }
                };
                self.stranded_done(journal, said);
            }
            Action::DiscardStranded(journal) => {
                let Some(ws) = self.ws.as_ref() else {
                    return;
                };
                let said = match ws.discard_stranded(&journal) {
                    Ok(()) => {
                        self.notices
                            .info(format!("Discarded the edits in {}", journal.display()));
                        "discarded".to_string()
                    }
                    Err(err) => {
                        self.notices.error(format!("Could not discard: {err}"));
                        format!("could not discard: {err}")
                    }
                };
                self.stranded_done(journal, said);
            }
            Action::NewProjectFromSample(path) => {
                match claimdesk_core::sample::copy_to_project(&path) {
                    Ok(()) => {
                        self.open_path(&path);
                        self.notices.info(format!(
                            "Copied the sample project to {} (its articles in {}); it opens wherever the folder goes",
                            path.display(),
                            path.with_file_name("articles").display()
                        ));
                    }
                    Err(err) => self
                        .notices
                        .error(format!("Could not copy the sample: {err:#}")),
                }
            }
            Action::Close { save } => {
                if save {
                    let saved = self.ws.as_mut().map(Workspace::save);
                    if let Some(Err(err)) = saved {
                        self.notices
                            .error(format!("Not saved, so not closed: {err}"));
                        return;
                    }
                }
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn open_compare(
        &mut self,
        ctx: &egui::Context,
        left: claimdesk_core::analysis::crossref::Passage,
        right: claimdesk_core::analysis::crossref::Passage,
    ) {
        // Both sides need their analysis: in the background, never while drawing.
        let ids = [left.article.clone(), right.article.clone()];
        self.state.compare = Some(Compare {
            left,
            right,
            scrolled: false,
            hovered: None,
        });
        for id in ids {
            self.analyse(ctx, &id);
        }
    }

    /// Opens another article: a selection or a suggestion of the one left behind goes (a key
    /// pressed afterwards must not act on an article no longer in view); a selected claim
    /// stays, to gather evidence for it from other articles.
    fn select_article(&mut self, id: &str) {
        if self.state.selected_article.as_deref() == Some(id) {
            return;
        }
        self.state.selected_article = Some(id.to_string());
        if self
            .state
            .selection
            .as_ref()
            .is_some_and(|s| s.article != id)
        {
            self.state.selection = None;
        }
        if matches!(&self.state.focus, Some(Focus::Suggestion { article, .. }) if article != id) {
            self.state.focus = None;
        }
    }

    fn scroll_to(&mut self, article: &str, offset: usize) {
        // Going to a passage means reading it: the reader replaces a comparison.
        self.state.compare = None;
        self.select_article(article);
        self.scroll_serial += 1;
        self.state.scroll = Some(ScrollRequest {
            article: article.to_string(),
            offset,
            serial: self.scroll_serial,
        });
    }

    /// Applies a planned operation; returns the id of what it created.
    pub fn run_op(&mut self, op: Op) -> Option<Id> {
        self.last_op_failed = true;
        if self.held_by_sync_op() {
            return None;
        }
        let ws = self.ws.as_mut()?;
        let label = op.label.clone();
        let touched = Touched::of(&op.edit, ws.project());
        let generation_before = ws.generation();
        match ws.run(op) {
            Ok(created) => {
                self.last_op_failed = false;
                self.import_only = false;
                self.after_change(&touched, Some(generation_before));
                created
            }
            Err(err) => {
                self.notices.error(format!("Could not {label}: {err}"));
                None
            }
        }
    }

    /// Moves the revisions on a change and lets the article view take it in place when it can.
    fn after_change(&mut self, touched: &Touched, generation_before: Option<u64>) {
        let revisions = &mut self.state.revisions;
        revisions.project += 1;
        if touched.anchors {
            self.anchors_revision += 1;
        }
        if touched.articles {
            revisions.articles += 1;
        }
        if touched.claims {
            revisions.claims += 1;
        }
        if touched.registry {
            self.registry_revision += 1;
            // Detection will find other names: analyses under way are dropped when they land.
        }
        // A rating or a claimant typed: taken in place; anything else, or a patch that does
        // not fit, is derived again at the next refresh.
        if let (false, Some(before), Some(ws)) = (touched.other, generation_before, &self.ws)
            && !touched.put_claims.is_empty()
            && !touched
                .put_claims
                .iter()
                .all(|id| self.view.patch_claim(ws, id, before))
        {
            self.view.invalidate();
        }
        // Focus on a claim that is gone (an undo removed it) goes.
        if let (Some(Focus::Claim(id)), Some(ws)) = (&self.state.focus, &self.ws)
            && !ws.project().claims.contains_key(id)
        {
            self.state.focus = None;
        }
        // So does an open article that is gone (an undone capture or import): the first opens.
        if let (Some(open), Some(ws)) = (&self.state.selected_article, &self.ws)
            && !ws.project().articles.contains_key(open)
        {
            self.state.selected_article = ws.article_ids().next().cloned();
        }
    }

    /// Plans an operation against the workspace and applies it.
    fn plan_and_run(&mut self, plan: impl FnOnce(&Workspace) -> ops::Result<Op>) -> Option<Id> {
        self.last_op_failed = true;
        let result = plan(self.ws.as_ref()?);
        match result {
            Ok(op) => self.run_op(op),
            Err(err) => {
                self.notices.warning(format!("Not done: {err}"));
                None
            }
        }
    }

    pub fn open_path(&mut self, path: &Path) {
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
                self.notices.info(format!("Opened {}", path.display()));
                self.set_workspace(ws);
            }
            Err(err) => {
                let backups = claimdesk_core::project::file::backups(path);
                if matches!(err, WorkspaceError::File(_)) && !backups.is_empty() {
                    self.panels
                        .dialogs
                        .offer_restore(path, &err.to_string(), backups);
                }
                self.notices
                    .error(format!("Could not open {}: {err}", path.display()));
            }
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
                match dialogs::choose(FileKind::OpenProject, self.native_dialogs) {
                    Chosen::Path(path) => self.open_path(&path),
                    Chosen::Cancelled => {}
                    Chosen::Unavailable(why) => self.panels.dialogs.prompt_open(&why),
                }
            }
            Command::OpenFolder => match dialogs::choose(FileKind::Folder, self.native_dialogs) {
                Chosen::Path(path) => self.open_path(&path),
                Chosen::Cancelled => {}
                Chosen::Unavailable(why) => self.panels.dialogs.prompt_open(&why),
            },
            Command::Save => self.save(false),
            Command::SaveAs => self.save(true),
            Command::ExportReport => self.panels.dialogs.open_export(self.ws.as_ref()),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::Search => self.panels.search.open(),
            Command::CommandPalette => self.panels.dialogs.open_palette(),
            Command::Cancel => self.cancel(),
            Command::CorrectText => {
                let open = self
                    .state
                    .selected_article
                    .as_ref()
                    .and_then(|id| self.ws.as_ref().and_then(|ws| ws.article(id)).cloned());
                match open {
                    Some(article) => self.panels.dialogs.correct_text(&article.id, &article.text),
                    None => self.notices.warning("Open an article to correct its text"),
                }
            }
            Command::MarkClaim => self.mark_claim(),
            Command::MarkEntity => self.mark_entity(),
            Command::AddEvidence => self.add_evidence_from_selection(),
            Command::AcceptSuggestion => self.accept_focused_suggestion(),
            Command::DismissSuggestion => self.dismiss_focused_suggestion(),
            Command::ConfirmName => self.confirm_selected_name(ops::Scope::Article),
            Command::ConfirmNameEverywhere => self.confirm_selected_name(ops::Scope::Corpus),
            Command::SetVerdict(n) => {
                let labels = self.verdict_labels();
                match labels.get(usize::from(n).saturating_sub(1)) {
                    Some(label) => self.set_verdict(Some(label.clone())),
                    None => self.notices.warning(format!(
                        "The rating scale has {} step(s); key {n} rates nothing",
                        labels.len()
                    )),
                }
            }
            Command::ClearVerdict => self.set_verdict(None),
            Command::NextClaim => self.step_claim(1),
            Command::PrevClaim => self.step_claim(-1),
            Command::NextArticle => self.step_article(1),
            Command::PrevArticle => self.step_article(-1),
            Command::FilterArticles => self.panels.articles.focus_filter(),
            Command::ShowArticleTab => self.state.tab = InspectorTab::Article,
            Command::ShowAllClaims => self.state.tab = InspectorTab::AllClaims,
            Command::ShowRegistry => self.state.tab = InspectorTab::Entities,
            Command::ShowAcross => self.state.tab = InspectorTab::Across,
            Command::ShowOrphans => self.state.tab = InspectorTab::Orphans,
            Command::ShowImportReport => self.state.tab = InspectorTab::Import,
            Command::ShowActivity => self.state.tab = InspectorTab::Activity,
            Command::Sync => self.start_sync(ctx),
            Command::Preferences => self.open_preferences(),
            Command::ShowNotices => self.notices.toggle_log(),
            Command::CompareWithNext => self.compare_with_next(ctx),
            Command::CloseComparison => self.state.compare = None,
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
            Command::NewProjectFromSample => self.panels.dialogs.prompt_new_from_sample(),
            Command::AddArticleFromUrl => self.panels.url_dialog.open(self.captures.added),
            Command::ImportFactChecks => self.panels.factcheck_import.open(),
            Command::MatchFactChecks => {
                self.run_factcheck_action(ctx, factcheck_panel::FactCheckAction::Match)
            }
        }
    }

    /// Escape: closes the topmost overlay, else lets go of the selection, else of the focus.
    fn cancel(&mut self) {
        if self.notices.log_open {
            self.notices.toggle_log();
        } else if self.panels.search.is_open() {
            self.panels.search.close();
        } else if self.state.selection.is_some() {
            self.state.selection = None;
        } else if self.state.compare.is_some() {
            self.state.compare = None;
        } else if self.state.focus.is_some() {
            self.state.focus = None;
        }
    }

    fn compare_with_next(&mut self, ctx: &egui::Context) {
        let Some(open) = self.state.selected_article.clone() else {
            return;
        };
        let order = self.article_order();
        let Some(i) = order.iter().position(|a| *a == open) else {
            return;
        };
        if let Some(next) = order.get((i + 1) % order.len()).filter(|n| **n != open) {
            self.run_action(
                ctx,
                Action::CompareArticles {
                    left: open,
                    right: next.clone(),
                },
            );
        }
    }

    fn save(&mut self, choose_path: bool) {
        let Some(ws) = &self.ws else {
            return;
        };
        if !(choose_path || ws.path().is_none()) {
            let result = self.ws.as_mut().map(Workspace::save);
            self.saved(result);
            return;
        }
        match dialogs::choose(FileKind::SaveProject, self.native_dialogs) {
            Chosen::Path(path) => self.save_to(&path),
            Chosen::Cancelled => {}
            Chosen::Unavailable(why) => {
                let suggested = ws
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "project.ron".into());
                self.panels.dialogs.prompt_save(suggested, &why);
            }
        }
    }

    fn save_to(&mut self, target: &Path) {
        let Some(ws) = &mut self.ws else {
            return;
        };
        let exists_elsewhere = target.exists() && Some(target) != ws.path();
        if exists_elsewhere {
            self.notices.warning(format!(
                "{} exists; choose another name (nothing was overwritten)",
                target.display()
            ));
            return;
        }
        let result = ws.save_to(target, false);
        self.saved(Some(result));
    }

    fn saved(&mut self, result: Option<Result<PathBuf, WorkspaceError>>) {
        match result {
            Some(Ok(path)) => {
                self.import_only = false;
                self.notices.info(format!("Saved {}", path.display()));
                if let Some(ws) = &self.ws {
                    let path = path.clone();
                    if ws.path() == Some(path.as_path()) {
                        self.settings.recent.retain(|p| p != &path);
                        self.settings.recent.insert(0, path);
                        self.settings.recent.truncate(10);
                    }
                }
            }
            Some(Err(err)) => self.notices.error(format!("Not saved: {err}")),
            None => {}
        }
    }

    /// Undoes or redoes one step, opens what it changed, lights it up and says what it was.
    fn undo_redo(&mut self, undo: bool) {
        let Some(ws) = &mut self.ws else {
            return;
        };
        // The edit being undone is the newest on the undo stack before; the one redone is
        // the newest there after.
        let before = if undo { ws.last_edit() } else { None };
        let result = if undo { ws.undo() } else { ws.redo() };
        let label = match result {
            Ok(Some(label)) => label,
            Ok(None) => {
                self.notices.info(if undo {
                    "Nothing to undo"
                } else {
                    "Nothing to redo"
                });
                return;
            }
            Err(err) => {
                self.notices.error(err.to_string());
                return;
            }
        };
        let edit = if undo { before } else { ws.last_edit() };
        self.import_only = false;
        // The view is derived again (an undone change is not one it patches), and orphans
        // are found again.
        let touched = Touched {
            other: true,
            anchors: true,
            ..edit
                .as_ref()
                .map(|e| Touched::of(e, &Project::default()))
                .unwrap_or(Touched {
                    articles: true,
                    claims: true,
                    registry: true,
                    ..Touched::default()
                })
        };
        self.after_change(&touched, None);
        let place = match (&self.ws, &edit) {
            (Some(ws), Some(edit)) => changed_place(ws.project(), edit),
            _ => None,
        };
        let verb = if undo { "Undid" } else { "Redid" };
        let message = match &place {
            Some((article, _)) => format!(
                "{verb} “{label}” in {}",
                self.ws
                    .as_ref()
                    .map(|ws| ws.title(article))
                    .unwrap_or_default()
            ),
            None => format!("{verb} “{label}”"),
        };
        self.notices.info(message);
        if let Some((article, span)) = place
            && self
                .ws
                .as_ref()
                .is_some_and(|ws| ws.article(&article).is_some())
        {
            self.scroll_to(&article, span.start);
            self.state.flash = Some(Flash {
                article,
                span,
                until: self.now + 1.5,
            });
        }
    }

    /// Marks the reader's selection as a claim and focuses it.
    fn mark_claim(&mut self) {
        let Some((article_id, span)) = self.snapped_selection() else {
            self.notices
                .warning("Select text in the article first, then mark it as a claim (C)");
            return;
        };
        if let Some(id) = self
            .plan_and_run(|ws| ops::mark_claim(ws, &article_id, span, ops::ClaimFields::default()))
        {
            self.state.focus = Some(Focus::Claim(id));
            self.state.selection = None;
        }
    }

    /// The reader's selection snapped to whole words, when it is in the open article.
    fn snapped_selection(&self) -> Option<(ArticleId, Span)> {
        let selection = self.state.selection.as_ref()?;
        if Some(&selection.article) != self.state.selected_article.as_ref() {
            return None;
        }
        (!selection.snapped.is_empty()).then(|| (selection.article.clone(), selection.snapped))
    }

    /// Marks the selection as a mention of an entity of the chosen kind (creating it in the
    /// registry, or adding to the entity of that name).
    fn mark_entity(&mut self) {
        let Some((article_id, span)) = self.snapped_selection() else {
            self.notices
                .warning("Select text in the article first, then mark it as an entity (E)");
            return;
        };
        let kind = self.state.entity_kind;
        self.plan_and_run(|ws| ops::mark_entity(ws, &article_id, &[span], kind, None));
        if !self.last_op_failed {
            self.state.selection = None;
        }
    }

    /// N / Shift+N: confirms the suggested name under the selection, with the spellings the
    /// article's entity list groups with it.
    fn confirm_selected_name(&mut self, scope: ops::Scope) {
        let Some((article, span)) = self.snapped_selection() else {
            self.notices.warning(
                "Select a suggested name in the text first (or use Confirm on its row in the entity list)",
            );
            return;
        };
        let Some(row) = self.view.entity_row_at(span) else {
            self.notices.warning(
                "The selection holds no suggested name; Mark as entity (E) records it anyway",
            );
            return;
        };
        let action = Action::ConfirmName {
            article,
            name: row.name.clone(),
            spellings: row.also.clone(),
            kind: row.kind,
            scope,
        };
        if let Some(ctx) = self.ctx.clone() {
            self.run_action(&ctx, action);
        }
        self.state.selection = None;
    }

    fn add_evidence_from_selection(&mut self) {
        let Some(Focus::Claim(claim_id)) = self.state.focus.clone() else {
            self.notices.warning(
                "Select a claim first; then select a passage in any article and add it as evidence (V)",
            );
            return;
        };
        let Some((article, span)) = self.snapped_selection() else {
            self.notices
                .warning("Select a passage in any article to add it as evidence (V)");
            return;
        };
        let (stance, note) = self.panels.inspector.evidence_input();
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
            self.panels.inspector.evidence_added();
            self.state.selection = None;
        }
    }

    fn set_verdict(&mut self, verdict: Option<String>) {
        match self.state.focus.clone() {
            Some(Focus::Claim(id)) => {
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
            Some(Focus::Suggestion { article, .. })
                if Some(&article) == self.state.selected_article.as_ref() =>
            {
                // Rating a suggestion accepts it first, and says so.
                self.accept_focused_suggestion();
                if matches!(self.state.focus, Some(Focus::Claim(_))) {
                    self.notices
                        .info("Accepted the suggestion as a claim to rate it");
                    self.set_verdict(verdict);
                }
            }
            _ => self.notices.warning(
                "Select a claim to rate it: click it in the text or the list, or press J for the next one",
            ),
        }
    }

    fn accept_focused_suggestion(&mut self) {
        let Some(Focus::Suggestion { article, span }) = self.state.focus.clone() else {
            self.notices
                .warning("Select a suggestion first (click a shaded sentence), then press A");
            return;
        };
        if let Some(id) = self.plan_and_run(|ws| ops::accept_suggestion(ws, &article, span)) {
            self.state.focus = Some(Focus::Claim(id));
        }
    }

    fn dismiss_focused_suggestion(&mut self) {
        let Some(Focus::Suggestion { article, span }) = self.state.focus.clone() else {
            self.notices
                .warning("Select a suggestion first (click a shaded sentence), then press D");
            return;
        };
        self.plan_and_run(|ws| ops::dismiss_suggestion(ws, &article, span));
        self.state.focus = None;
    }

    fn step_claim(&mut self, delta: i32) {
        let claims: Vec<(Id, usize)> = self
            .view
            .claims
            .iter()
            .map(|c| (c.id.clone(), c.span.start))
            .collect();
        if claims.is_empty() {
            self.notices.info("This article has no claims yet");
            return;
        }
        let current = match &self.state.focus {
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
        self.state.focus = Some(Focus::Claim(id));
        if let Some(article) = self.state.selected_article.clone() {
            self.scroll_to(&article, offset);
        }
    }

    /// Articles in the order the list shows them (its filter and sort).
    fn article_order(&self) -> Vec<ArticleId> {
        match &self.ws {
            Some(ws) => self.panels.articles.order(ws),
            None => Vec::new(),
        }
    }

    fn step_article(&mut self, delta: i32) {
        let ids = self.article_order();
        if ids.is_empty() {
            return;
        }
        let current = self
            .state
            .selected_article
            .as_ref()
            .and_then(|s| ids.iter().position(|i| i == s));
        let next = match current {
            Some(i) => (i as i32 + delta).rem_euclid(ids.len() as i32) as usize,
            None => 0,
        };
        self.select_article(&ids[next].clone());
    }

    fn start_export(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        format: claimdesk_core::report::export::ExportFormat,
        options: claimdesk_core::report::ReportOptions,
        publish: claimdesk_core::report::export::Publish,
    ) {
        let Some(ws) = &self.ws else {
            return;
        };
        if self.jobs.export.is_some() {
            self.notices.warning("An export is already running");
            return;
        }
        // A snapshot, so the analyst keeps reading and editing while it runs; edits made
        // meanwhile are not in this export.
        let snapshot = ws.snapshot();
        let folder = ws
            .path()
            .and_then(std::path::Path::parent)
            .map(Path::to_path_buf);
        let job = Job::spawn("Exporting", Some(ctx), self.inline_work, move |worker| {
            let mut options = options;
            // Evidence links cite their archived copies (read here, off the UI thread).
            if let Some(folder) = &folder {
                options.archived_copies = claimdesk_capture::archived_copies(folder);
            }
            claimdesk_core::report::export::export(
                &snapshot, format, &path, &options, &publish, worker,
            )
            .map_err(|err| format!("{err:#}"))
        });
        self.jobs.export = Some(job);
        if self.inline_work {
            self.receive_export();
        }
    }
}

/// Where an edit (as applied forward) put or removed something: the record's place now if it
/// is still there, else where the edit had it.
fn changed_place(project: &Project, edit: &Edit) -> Option<(ArticleId, Span)> {
    match edit {
        Edit::Batch(edits) => edits.iter().find_map(|e| changed_place(project, e)),
        Edit::PutClaim { id, claim } => Some(
            project
                .claims
                .get(id)
                .map_or((claim.article.clone(), claim.anchor.span()), |c| {
                    (c.article.clone(), c.anchor.span())
                }),
        ),
        Edit::RemoveClaim { id } => project
            .claims
            .get(id)
            .map(|c| (c.article.clone(), c.anchor.span())),
        Edit::PutMention { id, mention } => Some(
            project
                .mentions
                .get(id)
                .map_or((mention.article.clone(), mention.anchor.span()), |m| {
                    (m.article.clone(), m.anchor.span())
                }),
        ),
        Edit::RemoveMention { id } => project
            .mentions
            .get(id)
            .map(|m| (m.article.clone(), m.anchor.span())),
        Edit::PutEvidence { evidence, .. } => match &evidence.source {
            EvidenceSource::Passage { article, anchor } => Some((article.clone(), anchor.span())),
            EvidenceSource::Url { .. } => project
                .claims
                .get(&evidence.claim)
                .map(|c| (c.article.clone(), c.anchor.span())),
        },
        Edit::RemoveEvidence { id } => project.evidence.get(id).and_then(|e| match &e.source {
            EvidenceSource::Passage { article, anchor } => Some((article.clone(), anchor.span())),
            EvidenceSource::Url { .. } => None,
        }),
        Edit::Dismiss { key } | Edit::Undismiss { key } => {
            let (article, range) = key.rsplit_once('#')?;
            let (start, end) = range.split_once('-')?;
            Some((
                article.to_string(),
                Span::new(start.parse().ok()?, end.parse().ok()?),
            ))
        }
        Edit::PutArticle { id, .. } => Some((id.clone(), Span::new(0, 0))),
        _ => None,
    }
}

pub(crate) fn egui_key(name: &str) -> Option<egui::Key> {
    match name {
        "Plus" => Some(egui::Key::Plus),
        "Minus" => Some(egui::Key::Minus),
        other => egui::Key::from_name(other),
    }
}
