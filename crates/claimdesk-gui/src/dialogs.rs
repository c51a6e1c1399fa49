//! Dialogs and overlays: export, open/save path prompts, unsaved-changes confirmation, command
//! palette and search.

use std::path::PathBuf;

use egui::RichText;

use super::{Action, ClaimdeskApp};
use claimdesk_core::command::Command;
use claimdesk_core::workspace::Workspace;

use claimdesk_core::report::export::ExportFormat;

#[derive(Default)]
pub struct Dialogs {
    pub export: Option<ExportDialog>,
    pub open_path_prompt: Option<String>,
    pub save_path_prompt: Option<String>,
    pub confirm_close: bool,
    pub close_confirmed: bool,
    pub palette: Option<String>,
    pub search_open: bool,
    pub search: SearchState,
    pub restore_offer: Option<RestoreOffer>,
    /// Article being corrected: (id, text being edited).
    pub correct_text: Option<(String, String)>,
}

/// A project that could not be read, with backups that can replace it.
pub struct RestoreOffer {
    pub path: PathBuf,
    pub error: String,
    pub backups: Vec<PathBuf>,
}

pub struct ExportDialog {
    pub path: String,
    pub format: ExportFormat,
    pub include_articles: bool,
    /// The export running on a worker thread, while the dialog shows its progress.
    running: Option<RunningExport>,
}

struct RunningExport {
    progress: std::sync::Arc<claimdesk_core::progress::Shared>,
    result:
        std::sync::mpsc::Receiver<Result<Option<claimdesk_core::report::export::Written>, String>>,
}

#[derive(Default)]
pub struct SearchState {
    pub query: String,
    pub regex: bool,
    pub results: Vec<claimdesk_core::search::Hit>,
    pub total: usize,
    /// The count stopped at its limit.
    pub capped: bool,
    pub searched: String,
    pub error: Option<String>,
    /// Put the cursor in the query field on the next frame (the panel was just opened).
    pub focus_query: bool,
    /// The query running on a worker thread: its cancel flag and where its result arrives.
    running: Option<RunningSearch>,
}

struct RunningSearch {
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    result: std::sync::mpsc::Receiver<SearchOutcome>,
}

type SearchOutcome = Result<Option<claimdesk_core::search::SearchResult>, String>;

impl Dialogs {
    pub fn any_modal_open(&self) -> bool {
        self.export.is_some()
            || self.open_path_prompt.is_some()
            || self.save_path_prompt.is_some()
            || self.confirm_close
            || self.palette.is_some()
            || self.restore_offer.is_some()
            || self.correct_text.is_some()
    }

    pub fn open_export(&mut self, ws: Option<&Workspace>) {
        let dir = ws
            .and_then(Workspace::path)
            .and_then(|p| p.parent())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        self.export = Some(ExportDialog {
            path: dir
                .join(ExportFormat::Html.default_file_name())
                .display()
                .to_string(),
            format: ExportFormat::Html,
            include_articles: true,
            running: None,
        });
    }
}

pub fn dialogs_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    export_ui(app, ui);
    path_prompts_ui(app, ui, actions);
    confirm_close_ui(app, ui);
    palette_ui(app, ui, actions);
    restore_ui(app, ui, actions);
    correct_text_ui(app, ui);
}

/// Fixing a typo in an article: the spans in it move with their quotes.
fn correct_text_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui) {
    let Some((id, text)) = &mut app.dialogs.correct_text else {
        return;
    };
    let mut done = None;
    egui::Modal::new(egui::Id::unique("correct-text")).show(ui.ctx(), |ui| {
        ui.heading("Correct the article text");
        ui.label("Fix typos or capture errors. Claims, entities and evidence in this article move with their text; any that can no longer be found are kept as orphans. The file on disk is not changed.");
        egui::ScrollArea::vertical().max_height(480.0).show(ui, |ui| {
            ui.add(egui::TextEdit::multiline(text).desired_width(720.0).desired_rows(20));
        });
        ui.horizontal(|ui| {
            if ui.button("Apply correction").clicked() {
                done = Some(true);
            }
            if ui.button("Cancel").clicked() {
                done = Some(false);
            }
        });
    });
    match done {
        Some(true) => {
            let (id, text) = (id.clone(), text.clone());
            app.dialogs.correct_text = None;
            if let Some(ws) = &app.ws {
                match claimdesk_core::ops::correct_text(ws, &id, &text) {
                    Ok((op, summary)) => {
                        if app.run_op(op).is_some() || app.status.is_empty() {
                            app.status.push(format!(
                                "Corrected the text: {} annotation(s) held, {} moved, {} orphaned",
                                summary.held, summary.moved, summary.orphaned
                            ));
                        }
                    }
                    Err(err) => app
                        .status
                        .push(format!("Could not correct the text: {err}")),
                }
            }
        }
        Some(false) => app.dialogs.correct_text = None,
        None => {}
    }
}

fn restore_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    let Some(offer) = &app.dialogs.restore_offer else {
        return;
    };
    let mut chosen: Option<Option<PathBuf>> = None;
    egui::Modal::new(egui::Id::unique("restore-backup")).show(ui.ctx(), |ui| {
        ui.heading("This project file cannot be read");
        ui.label(&offer.error);
        ui.label("Restore a backup? The unreadable file is kept beside it, renamed.");
        for backup in offer.backups.iter().take(5) {
            let name = backup
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if ui.button(format!("Restore {name}")).clicked() {
                chosen = Some(Some(backup.clone()));
            }
        }
        if ui.button("Cancel").clicked() {
            chosen = Some(None);
        }
    });
    match chosen {
        Some(Some(backup)) => {
            let path = offer.path.clone();
            match claimdesk_core::project::file::restore_backup(&path, &backup) {
                Ok(aside) => {
                    app.status.push(format!(
                        "Restored a backup; the unreadable file is now {}",
                        aside.display()
                    ));
                    actions.push(Action::OpenPath(path));
                }
                Err(err) => app
                    .status
                    .push(format!("Could not restore the backup: {err}")),
            }
            app.dialogs.restore_offer = None;
        }
        Some(None) => app.dialogs.restore_offer = None,
        None => {}
    }
}

fn export_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui) {
    let Some(dialog) = &mut app.dialogs.export else {
        return;
    };
    let mut close = false;
    let mut start: Option<PathBuf> = None;
    let running = dialog.running.is_some();
    egui::Modal::new(egui::Id::unique("export-dialog")).show(ui.ctx(), |ui| {
        ui.heading("Export");
        ui.add_enabled_ui(!running, |ui| {
            ui.label("Format");
            for format in ExportFormat::ALL {
                let before = dialog.format;
                if ui
                    .radio_value(&mut dialog.format, format, format.label())
                    .changed()
                {
                    // Keep the folder and name, change the suggested extension.
                    let old_name = before.default_file_name();
                    if dialog.path.ends_with(old_name) {
                        let stem = dialog.path.len() - old_name.len();
                        dialog.path.truncate(stem);
                        dialog.path.push_str(format.default_file_name());
                    }
                }
            }
            ui.checkbox(
                &mut dialog.include_articles,
                "Include each article with highlights (HTML, Markdown, PDF)",
            );
            ui.horizontal(|ui| {
                let label = ui.label("Save to");
                ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(380.0))
                    .labelled_by(label.id);
                if ui.button("Browse…").clicked() {
                    let name = dialog.format.default_file_name();
                    let chosen = if dialog.format == ExportFormat::Brat {
                        rfd::FileDialog::new().pick_folder()
                    } else {
                        rfd::FileDialog::new().set_file_name(name).save_file()
                    };
                    if let Some(path) = chosen {
                        dialog.path = path.display().to_string();
                    }
                }
            });
        });
        match &dialog.running {
            Some(job) => {
                progress_ui(ui, &job.progress, "Cancel export");
            }
            None => {
                ui.horizontal(|ui| {
                    if ui.button("Export").clicked() {
                        start = Some(PathBuf::from(dialog.path.trim()));
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            }
        }
    });
    if let Some(path) = start {
        start_export(app, path);
    }
    let Some(dialog) = &mut app.dialogs.export else {
        return;
    };
    if let Some(job) = &dialog.running {
        match job.result.try_recv() {
            Ok(Ok(Some(written))) => {
                for message in written.messages {
                    app.status.push(format!("Export: {message}"));
                }
                close = true;
            }
            Ok(Ok(None)) => {
                app.status
                    .push("Export cancelled; nothing was written".into());
                dialog.running = None;
            }
            Ok(Err(err)) => {
                app.status.push(format!("Export failed: {err}"));
                dialog.running = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                app.status
                    .push("Export stopped unexpectedly; nothing was written".into());
                dialog.running = None;
            }
        }
    }
    if close {
        app.dialogs.export = None;
    }
}

/// Starts the export on a worker thread over a snapshot of the workspace, so the analyst can
/// keep reading (and editing) while it runs; edits made meanwhile are not in this export.
fn start_export(app: &mut ClaimdeskApp, path: PathBuf) {
    let (Some(ws), Some(dialog)) = (&app.ws, &mut app.dialogs.export) else {
        return;
    };
    if path.as_os_str().is_empty() {
        app.status.push("Choose where to save the export".into());
        return;
    }
    if path.extension().is_some_and(|e| e == "ron") {
        app.status.push(
            "Refusing to write an export over a project file (.ron); choose another name".into(),
        );
        return;
    }
    let format = dialog.format;
    let options = claimdesk_core::report::ReportOptions {
        include_articles: dialog.include_articles,
        ..claimdesk_core::report::ReportOptions::full()
    };
    let mut snapshot = ws.snapshot();
    let progress = std::sync::Arc::new(claimdesk_core::progress::Shared::default());
    claimdesk_core::progress::Observer::progress(progress.as_ref(), 0, 0, "Starting");
    let (send, result) = std::sync::mpsc::channel();
    let ctx = app.ctx.clone();
    let observer = progress.clone();
    let work = move || {
        let outcome = claimdesk_core::report::export::export(
            &mut snapshot,
            format,
            &path,
            &options,
            &claimdesk_core::report::export::Publish::default(),
            observer.as_ref(),
        )
        .map_err(|err| format!("{err:#}"));
        let _ = send.send(outcome);
        if let Some(ctx) = ctx {
            ctx.request_repaint();
        }
    };
    if app.inline_work {
        work();
    } else {
        std::thread::spawn(work);
    }
    dialog.running = Some(RunningExport { progress, result });
}

/// A progress bar for work on another thread, with a button that asks it to stop.
pub(crate) fn progress_ui(
    ui: &mut egui::Ui,
    job: &claimdesk_core::progress::Shared,
    cancel_label: &str,
) {
    let now = job.snapshot();
    // Animate only a step without a count, where the bar alone would look stuck.
    ui.add(
        egui::ProgressBar::new(now.fraction())
            .text(now.label())
            .animate(now.total <= 1),
    );
    if ui.button(cancel_label).clicked() {
        job.cancel();
    }
    // The worker reports without a context; poll while it runs.
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(50));
}

fn path_prompts_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    // Shown when no native dialog is available (e.g. no desktop portal).
    if let Some(path) = &mut app.dialogs.open_path_prompt {
        let mut done = None;
        egui::Modal::new(egui::Id::unique("open-path")).show(ui.ctx(), |ui| {
            ui.heading("Open");
            ui.label("Path of a project file (.ron), an article, or a folder of articles:");
            ui.add(egui::TextEdit::singleline(path).desired_width(420.0));
            ui.horizontal(|ui| {
                if ui.button("Open").clicked() {
                    done = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    done = Some(false);
                }
            });
        });
        match done {
            Some(true) => {
                actions.push(Action::OpenPath(PathBuf::from(path.trim())));
                app.dialogs.open_path_prompt = None;
            }
            Some(false) => app.dialogs.open_path_prompt = None,
            None => {}
        }
    }
    if let Some(path) = &mut app.dialogs.save_path_prompt {
        let mut done = None;
        egui::Modal::new(egui::Id::unique("save-path")).show(ui.ctx(), |ui| {
            ui.heading("Save project as");
            ui.add(egui::TextEdit::singleline(path).desired_width(420.0));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    done = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    done = Some(false);
                }
            });
        });
        match done {
            Some(true) => {
                let target = PathBuf::from(path.trim());
                app.dialogs.save_path_prompt = None;
                if let Some(ws) = &mut app.ws {
                    let exists_elsewhere = target.exists() && Some(target.as_path()) != ws.path();
                    if exists_elsewhere {
                        app.status.push(format!(
                            "{} exists; choose another name (nothing was overwritten)",
                            target.display()
                        ));
                    } else {
                        match ws.save_to(&target, false) {
                            Ok(p) => app.status.push(format!("Saved {}", p.display())),
                            Err(err) => app.status.push(format!("Not saved: {err}")),
                        }
                    }
                }
            }
            Some(false) => app.dialogs.save_path_prompt = None,
            None => {}
        }
    }
}

fn confirm_close_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui) {
    if !app.dialogs.confirm_close {
        return;
    }
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("confirm-close")).show(ui.ctx(), |ui| {
        ui.heading("Save changes before closing?");
        ui.label("Your unsaved edits are also kept in the crash journal and will be offered again next time.");
        ui.horizontal(|ui| {
            if ui.button("Save and close").clicked() {
                choice = Some("save");
            }
            if ui.button("Close without saving").clicked() {
                choice = Some("discard");
            }
            if ui.button("Cancel").clicked() {
                choice = Some("cancel");
            }
        });
    });
    match choice {
        Some("save") => {
            let saved = app.ws.as_mut().map(Workspace::save);
            match saved {
                Some(Ok(_)) | None => {
                    app.dialogs.close_confirmed = true;
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Some(Err(err)) => app.status.push(format!("Not saved: {err}")),
            }
            app.dialogs.confirm_close = false;
        }
        Some("discard") => {
            app.dialogs.close_confirmed = true;
            app.dialogs.confirm_close = false;
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        Some(_) => app.dialogs.confirm_close = false,
        None => {}
    }
}

fn palette_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    let Some(filter) = &mut app.dialogs.palette else {
        return;
    };
    let verdicts: Vec<String> = app
        .ws
        .as_ref()
        .map(|ws| {
            ws.project()
                .rating_scale
                .iter()
                .map(|r| r.label.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut chosen = None;
    let mut close = false;
    egui::Modal::new(egui::Id::unique("palette")).show(ui.ctx(), |ui| {
        ui.set_width(480.0);
        let response = ui.add(
            egui::TextEdit::singleline(filter)
                .hint_text("Type a command…")
                .desired_width(f32::INFINITY),
        );
        response.request_focus();
        let needle = filter.to_lowercase();
        let matches: Vec<Command> = Command::all()
            .into_iter()
            .filter(|c| c.title(&verdicts).to_lowercase().contains(&needle))
            .collect();
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                for command in &matches {
                    let shortcut = command.shortcut().map(|s| s.describe()).unwrap_or_default();
                    if ui
                        .add(
                            egui::Button::new(command.title(&verdicts))
                                .shortcut_text(shortcut)
                                .frame(false),
                        )
                        .clicked()
                    {
                        chosen = Some(*command);
                    }
                }
            });
        if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            chosen = matches.first().copied();
        }
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            close = true;
        }
    });
    if let Some(command) = chosen {
        actions.push(Action::Command(command));
        close = true;
    }
    if close {
        app.dialogs.palette = None;
    }
}

/// Full-text and regex search across the corpus, results in context.
pub fn search_panel_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    if !app.dialogs.search_open {
        return;
    }
    egui::Panel::bottom("search")
        .resizable(true)
        .default_size(200.0)
        .show(ui, |ui| {
            let state = &mut app.dialogs.search;
            ui.horizontal(|ui| {
                let label = ui.label("Search");
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut state.query)
                            .hint_text("words, a regex, entity:, verdict: or claimant:")
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut state.focus_query) {
                    response.request_focus();
                }
                ui.checkbox(&mut state.regex, "Regex");
                if ui.button("Close").clicked() {
                    app.dialogs.search_open = false;
                }
                // Annotation queries (entity:, verdict:, claimant:) follow the analyst's edits;
                // text queries only change with the text typed.
                let follows_edits = !matches!(
                    claimdesk_core::search::Query::parse(&state.query),
                    claimdesk_core::search::Query::Text(_)
                );
                let generation = match (&app.ws, follows_edits) {
                    (Some(ws), true) => ws.generation(),
                    _ => 0,
                };
                let key = format!("{}{generation}:{}", state.regex, state.query);
                if response.changed() || state.searched != key {
                    state.searched = key;
                    start_search(app.ws.as_ref(), state, app.inline_work);
                }
            });
            let state = &mut app.dialogs.search;
            poll_search(state, ui.ctx());
            if let Some(err) = &state.error {
                ui.colored_label(super::theme::warning_text(), err);
            }
            let count = match (state.running.is_some(), state.capped) {
                (true, _) => "Searching…".to_string(),
                (false, true) => format!(
                    "{}+ results (showing the first {})",
                    state.total,
                    state.results.len()
                ),
                (false, false) => format!("{} result(s)", state.total),
            };
            ui.label(RichText::new(count).small());
            let state = &app.dialogs.search;
            egui::ScrollArea::vertical()
                .id_salt("search-results")
                .show(ui, |ui| {
                    let style = ui.style().clone();
                    for hit in state.results.iter().take(500) {
                        let title = app
                            .ws
                            .as_ref()
                            .map(|ws| ws.title(&hit.article))
                            .unwrap_or_default();
                        // One widget per result, so a click anywhere on the row opens it (separate
                        // labels around a link overlapped it and took its clicks).
                        let mut job = egui::text::LayoutJob::default();
                        let mut add = |text: RichText| {
                            text.append_to(
                                &mut job,
                                &style,
                                egui::FontSelection::Default,
                                egui::Align::Center,
                            )
                        };
                        add(RichText::new(format!("{title}  ")).small().strong());
                        add(RichText::new(format!("…{}", hit.before)));
                        add(RichText::new(&hit.matched).strong().background_color(
                            super::theme::evidence_background(style.visuals.dark_mode),
                        ));
                        add(RichText::new(format!("{}…", hit.after)));
                        let response = ui
                            .add(egui::Button::selectable(false, job).wrap())
                            .on_hover_text("Open in the reader, with the match selected");
                        if response.clicked() {
                            actions.push(Action::ScrollTo {
                                article: hit.article.clone(),
                                offset: hit.offset,
                            });
                            actions.push(Action::SelectText {
                                article: hit.article.clone(),
                                span: claimdesk_core::text::Span::new(
                                    hit.offset,
                                    hit.offset + hit.matched.chars().count(),
                                ),
                            });
                        }
                    }
                });
        });
}

fn start_search(ws: Option<&Workspace>, state: &mut SearchState, inline: bool) {
    if let Some(old) = state.running.take() {
        old.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let Some(ws) = ws else {
        return;
    };
    let articles: Vec<std::sync::Arc<claimdesk_core::corpus::Article>> =
        ws.loaded_articles().cloned().collect();
    let (query, regex) =
        match claimdesk_core::search::plan(ws.project(), &articles, &state.query, state.regex) {
            claimdesk_core::search::Plan::Scan { pattern, regex } => (pattern, regex),
            claimdesk_core::search::Plan::Found(result) => {
                state.error = None;
                state.total = result.total;
                state.capped = result.capped;
                state.results = result.hits;
                return;
            }
        };
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (send, receive) = std::sync::mpsc::channel();
    let flag = cancel.clone();
    let work = move || {
        let outcome = claimdesk_core::search::search_cancellable(&articles, &query, regex, &flag);
        let _ = send.send(outcome);
    };
    if inline {
        work();
    } else {
        std::thread::spawn(work);
    }
    state.running = Some(RunningSearch {
        cancel,
        result: receive,
    });
}

/// Takes the running query's result when it has arrived.
fn poll_search(state: &mut SearchState, ctx: &egui::Context) {
    let Some(running) = &state.running else {
        return;
    };
    match running.result.try_recv() {
        Ok(outcome) => {
            state.running = None;
            match outcome {
                Ok(Some(result)) => {
                    state.error = None;
                    state.total = result.total;
                    state.capped = result.capped;
                    state.results = result.hits;
                }
                // Cancelled: a newer query is on its way.
                Ok(None) => {}
                Err(err) => {
                    state.error = Some(err);
                    state.results.clear();
                    state.total = 0;
                    state.capped = false;
                }
            }
        }
        Err(std::sync::mpsc::TryRecvError::Empty) => {
            ctx.request_repaint_after(std::time::Duration::from_millis(16));
        }
        Err(std::sync::mpsc::TryRecvError::Disconnected) => state.running = None,
    }
}
