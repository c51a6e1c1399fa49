//! Dialogs: export, open/save path prompts, unsaved-changes confirmation, command palette,
//! restoring a backup, correcting an article's text. Each keeps its own half-filled fields;
//! what it decides goes out as an [`Action`]. Escape (or a click outside) closes each one.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::RichText;

use claimdesk_core::command::Command;
use claimdesk_core::report::export::ExportFormat;
use claimdesk_core::workspace::Workspace;

use crate::context::{Action, Actions, ViewCtx};
use crate::notices::Severity;

/// What a native file dialog is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    OpenProject,
    Folder,
    SaveProject,
    /// An export file (its suggested name) or, for brat, a folder.
    Export {
        name: &'static str,
        folder: bool,
    },
}

/// What came of asking for a native file dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chosen {
    Path(PathBuf),
    Cancelled,
    /// No dialog could open here; says why, so the analyst types the path instead.
    Unavailable(String),
}

/// Shows a native file dialog when one can open here. rfd tries the desktop portal, then
/// zenity, and returns nothing both when the analyst cancels and when neither exists; a
/// "cancel" faster than a person can click is taken as "no dialog".
pub fn choose(kind: FileKind, native: bool) -> Chosen {
    const NO_DIALOG: &str =
        "No file dialog can open here (no desktop portal or zenity); type the path instead";
    if !native {
        return Chosen::Unavailable(NO_DIALOG.into());
    }
    #[cfg(target_os = "linux")]
    {
        let portal = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
        let zenity = std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file())
        });
        if !portal && !zenity {
            return Chosen::Unavailable(NO_DIALOG.into());
        }
    }
    let started = Instant::now();
    let dialog = rfd::FileDialog::new();
    let picked = match kind {
        FileKind::OpenProject => dialog.add_filter("Claimdesk project", &["ron"]).pick_file(),
        FileKind::Folder => dialog.pick_folder(),
        FileKind::SaveProject => dialog
            .add_filter("Claimdesk project", &["ron"])
            .set_file_name("project.ron")
            .save_file(),
        FileKind::Export { folder: true, .. } => dialog.pick_folder(),
        FileKind::Export { name, .. } => dialog.set_file_name(name).save_file(),
    };
    match picked {
        Some(path) => Chosen::Path(path),
        None if started.elapsed() < Duration::from_millis(150) => {
            Chosen::Unavailable(NO_DIALOG.into())
        }
        None => Chosen::Cancelled,
    }
}

#[derive(Default)]
pub struct Dialogs {
    export: Option<ExportDialog>,
    open_prompt: Option<PathPrompt>,
    save_prompt: Option<PathPrompt>,
    pub confirm_close: bool,
    palette: Option<Palette>,
    restore_offer: Option<RestoreOffer>,
    /// Article being corrected: (id, its text before, the text being edited).
    correct_text: Option<(String, String, String)>,
    /// File → New project from sample: where the copy's project file goes.
    new_from_sample: Option<PathPrompt>,
    /// Unsaved edits set aside by a crash against another version of the project.
    stranded: Option<StrandedOffer>,
}

/// Journals of unsaved edits that could not be applied when the project was opened (another
/// program rewrote it meanwhile), offered back to the analyst; never dropped unasked.
struct StrandedOffer {
    journals: Vec<claimdesk_core::workspace::StrandedJournal>,
    /// The journal whose discarding waits for a second click.
    confirm_discard: Option<PathBuf>,
    /// What re-applying said, per journal.
    results: Vec<(PathBuf, String)>,
}

/// A path typed by hand, with the reason no dialog opened.
struct PathPrompt {
    path: String,
    why: String,
}

struct Palette {
    filter: String,
    /// The highlighted row (arrows move it, Enter runs it).
    chosen: usize,
}

/// A project that could not be read, with backups that can replace it.
struct RestoreOffer {
    path: PathBuf,
    error: String,
    backups: Vec<PathBuf>,
}

struct ExportDialog {
    path: String,
    format: ExportFormat,
    include_articles: bool,
    /// Every article, not only those the claims and evidence are in (`--all-articles`).
    all_articles: bool,
    /// CSV with a byte order mark, for Excel (`--excel`).
    excel_csv: bool,
    /// ClaimReview and pages: where the fact-check is published (`--base-url`) and by whom.
    base_url: String,
    publisher: String,
    /// What the last export asked the analyst to act on; the dialog stays open to show them.
    warnings: Vec<String>,
    /// Said under the path field (no file dialog here, say).
    note: Option<String>,
    started: bool,
}

impl Dialogs {
    pub fn any_modal_open(&self) -> bool {
        self.export.is_some()
            || self.open_prompt.is_some()
            || self.save_prompt.is_some()
            || self.confirm_close
            || self.palette.is_some()
            || self.restore_offer.is_some()
            || self.correct_text.is_some()
            || self.new_from_sample.is_some()
            || self.stranded.is_some()
    }

    /// Offers the edits of these set-aside journals back (empty: nothing to offer).
    pub fn offer_stranded(&mut self, journals: Vec<claimdesk_core::workspace::StrandedJournal>) {
        self.stranded = (!journals.is_empty()).then(|| StrandedOffer {
            journals,
            confirm_discard: None,
            results: Vec::new(),
        });
    }

    /// After re-applying or discarding: what is left to offer, and what happened.
    pub fn stranded_done(
        &mut self,
        journals: Vec<claimdesk_core::workspace::StrandedJournal>,
        result: Option<(PathBuf, String)>,
    ) {
        let offer = self.stranded.get_or_insert_with(|| StrandedOffer {
            journals: Vec::new(),
            confirm_discard: None,
            results: Vec::new(),
        });
        offer.journals = journals;
        offer.confirm_discard = None;
        offer.results.extend(result);
    }

    /// Asks where to put a copy of the sample project.
    pub fn prompt_new_from_sample(&mut self) {
        let suggested = std::env::current_dir()
            .ok()
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("."))
            .join("claimdesk-sample")
            .join("sample.ron");
        self.new_from_sample = Some(PathPrompt {
            path: suggested.display().to_string(),
            why: "The sample project (five articles and the Lavrov fact-check) is copied with its articles into this file's folder, so the copy opens wherever it is moved.".into(),
        });
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
            all_articles: false,
            excel_csv: false,
            base_url: String::new(),
            publisher: String::new(),
            warnings: Vec::new(),
            note: None,
            started: false,
        });
    }

    /// The export wrote: the dialog closes, unless the export has warnings to show (they are
    /// in the notice log too).
    pub fn export_written(&mut self, written: &claimdesk_core::report::export::Written) {
        match &mut self.export {
            Some(dialog) if !written.warnings.is_empty() => {
                dialog.started = false;
                dialog.warnings = written.warnings.clone();
                dialog.note = Some(format!(
                    "Written: {}",
                    written
                        .paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            _ => self.export = None,
        }
    }

    /// The export ended without writing: the dialog stays for another try.
    pub fn export_finished(&mut self, written: bool) {
        if written {
            self.export = None;
        } else if let Some(dialog) = &mut self.export {
            dialog.started = false;
        }
    }

    pub fn open_palette(&mut self) {
        self.palette = Some(Palette {
            filter: String::new(),
            chosen: 0,
        });
    }

    pub fn prompt_open(&mut self, why: &str) {
        self.open_prompt = Some(PathPrompt {
            path: String::new(),
            why: why.to_string(),
        });
    }

    pub fn prompt_save(&mut self, suggested: String, why: &str) {
        self.save_prompt = Some(PathPrompt {
            path: suggested,
            why: why.to_string(),
        });
    }

    pub fn offer_restore(&mut self, path: &Path, error: &str, backups: Vec<PathBuf>) {
        self.restore_offer = Some(RestoreOffer {
            path: path.to_path_buf(),
            error: error.to_string(),
            backups,
        });
    }

    pub fn correct_text(&mut self, article: &str, text: &str) {
        self.correct_text = Some((article.to_string(), text.to_string(), text.to_string()));
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        self.export_ui(cx, ui, actions);
        self.path_prompts_ui(ui, actions);
        self.new_from_sample_ui(ui, actions);
        self.stranded_ui(ui, actions);
        self.confirm_close_ui(ui, actions);
        self.palette_ui(cx, ui, actions);
        self.restore_ui(ui, actions);
        self.correct_text_ui(cx, ui, actions);
    }

    /// Fixing a typo in an article: the spans in it move with their quotes.
    fn correct_text_ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some((id, original, text)) = &mut self.correct_text else {
            return;
        };
        let mut done = None;
        let modal = egui::Modal::new(egui::Id::unique("correct-text")).show(ui.ctx(), |ui| {
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
        // Escape or a click beside it closes it only when nothing was typed: a long
        // correction is not thrown away by a stray key.
        if modal.should_close() && done.is_none() && text == original {
            done = Some(false);
        }
        match done {
            Some(true) => {
                if let Some(ws) = cx.ws {
                    match claimdesk_core::ops::correct_text(ws, id, text) {
                        Ok((op, summary)) => actions.op_saying(
                            Ok(op),
                            Some(format!(
                                "Corrected the text: {} annotation(s) held, {} moved, {} orphaned",
                                summary.held, summary.moved, summary.orphaned
                            )),
                        ),
                        Err(err) => actions.notice(
                            Severity::Warning,
                            format!("Could not correct the text: {err}"),
                        ),
                    }
                }
                self.correct_text = None;
            }
            Some(false) => self.correct_text = None,
            None => {}
        }
    }

    fn restore_ui(&mut self, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(offer) = &self.restore_offer else {
            return;
        };
        let mut chosen: Option<Option<PathBuf>> = None;
        let modal = egui::Modal::new(egui::Id::unique("restore-backup")).show(ui.ctx(), |ui| {
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
        if modal.should_close() && chosen.is_none() {
            chosen = Some(None);
        }
        match chosen {
            Some(Some(backup)) => {
                actions.push(Action::RestoreBackup {
                    path: offer.path.clone(),
                    backup,
                });
                self.restore_offer = None;
            }
            Some(None) => self.restore_offer = None,
            None => {}
        }
    }

    fn export_ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(dialog) = &mut self.export else {
            return;
        };
        let running = cx.jobs.export.clone().filter(|_| dialog.started);
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("export-dialog")).show(ui.ctx(), |ui| {
            ui.heading("Export");
            ui.add_enabled_ui(running.is_none(), |ui| {
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
                ui.add_enabled_ui(dialog.include_articles, |ui| {
                    ui.checkbox(
                        &mut dialog.all_articles,
                        "All articles, not only those the claims and evidence are in",
                    )
                    .on_hover_text("On a big project this makes a file no browser can open");
                });
                if dialog.format == ExportFormat::Csv {
                    ui.checkbox(&mut dialog.excel_csv, "Excel-friendly CSV (with a byte order mark)")
                        .on_hover_text("Excel needs the mark to read UTF-8; Python's csv reads it as part of the first header unless told encoding=\"utf-8-sig\"");
                }
                if dialog.format.writes_claimreview() {
                    egui::Grid::new("publish-grid").num_columns(2).show(ui, |ui| {
                        let label = ui.label("Base URL");
                        ui.add(
                            egui::TextEdit::singleline(&mut dialog.base_url)
                                .hint_text("https://your-site.example/fact-checks")
                                .desired_width(320.0),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label("Publisher");
                        ui.add(
                            egui::TextEdit::singleline(&mut dialog.publisher)
                                .hint_text("your fact-checking organisation")
                                .desired_width(320.0),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
                    if dialog.base_url.trim().is_empty() {
                        ui.label(
                            RichText::new("Without a base URL each ClaimReview's url is a urn:claimdesk: name, which Google rejects: give the address the fact-check is published at.")
                                .small()
                                .color(crate::theme::caution_text()),
                        );
                    }
                }
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label("Save to");
                    let field = ui
                        .add(egui::TextEdit::singleline(&mut dialog.path).desired_width(380.0))
                        .labelled_by(label.id);
                    if ui.button("Browse…").clicked() {
                        let kind = FileKind::Export {
                            name: dialog.format.default_file_name(),
                            folder: matches!(dialog.format, ExportFormat::Brat | ExportFormat::Pages),
                        };
                        match choose(kind, cx.native_dialogs) {
                            Chosen::Path(path) => {
                                dialog.path = path.display().to_string();
                                dialog.note = None;
                            }
                            Chosen::Cancelled => {}
                            Chosen::Unavailable(why) => {
                                dialog.note = Some(why);
                                // The field stays usable: the cursor goes there.
                                field.request_focus();
                            }
                        }
                    }
                });
                if let Some(note) = &dialog.note {
                    ui.colored_label(crate::theme::warning_text(), note);
                }
                for warning in &dialog.warnings {
                    ui.colored_label(crate::theme::caution_text(), format!("Warning: {warning}"));
                }
            });
            match &running {
                Some(progress) => {
                    if crate::jobs::progress_ui(ui, progress, "Cancel export") {
                        actions.push(Action::CancelExport);
                    }
                }
                None => {
                    ui.horizontal(|ui| {
                        if ui.button("Export").clicked() {
                            let path = PathBuf::from(dialog.path.trim());
                            if path.as_os_str().is_empty() {
                                dialog.note = Some("Choose where to save the export".into());
                            } else if path.extension().is_some_and(|e| e == "ron") {
                                dialog.note = Some(
                                    "Refusing to write an export over a project file (.ron); choose another name".into(),
                                );
                            } else {
                                dialog.started = true;
                                dialog.warnings.clear();
                                dialog.note = None;
                                let given = |text: &str| {
                                    Some(text.trim().to_string()).filter(|t| !t.is_empty())
                                };
                                actions.push(Action::StartExport {
                                    path,
                                    format: dialog.format,
                                    options: Box::new(claimdesk_core::report::ReportOptions {
                                        include_articles: dialog.include_articles,
                                        all_articles: dialog.include_articles
                                            && dialog.all_articles,
                                        ..claimdesk_core::report::ReportOptions::full()
                                    }),
                                    publish: Box::new(claimdesk_core::report::export::Publish {
                                        base_url: given(&dialog.base_url),
                                        publisher: given(&dialog.publisher),
                                        excel_csv: dialog.format == ExportFormat::Csv
                                            && dialog.excel_csv,
                                    }),
                                });
                            }
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                }
            }
        });
        if modal.should_close() && running.is_none() {
            close = true;
        }
        if close {
            self.export = None;
        }
    }

    fn path_prompts_ui(&mut self, ui: &mut egui::Ui, actions: &mut Actions) {
        // Shown when no native dialog is available (e.g. no desktop portal).
        if let Some(prompt) = &mut self.open_prompt {
            let mut done = None;
            let modal = egui::Modal::new(egui::Id::unique("open-path")).show(ui.ctx(), |ui| {
                ui.heading("Open");
                ui.label(RichText::new(&prompt.why).small().weak());
                let label =
                    ui.label("Path of a project file (.ron), an article, or a folder of articles:");
                let field = ui
                    .add(egui::TextEdit::singleline(&mut prompt.path).desired_width(420.0))
                    .labelled_by(label.id);
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    done = Some(true);
                }
                ui.horizontal(|ui| {
                    if ui.button("Open").clicked() {
                        done = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        done = Some(false);
                    }
                });
            });
            if modal.should_close() && done.is_none() {
                done = Some(false);
            }
            match done {
                Some(true) => {
                    actions.push(Action::OpenPath(PathBuf::from(prompt.path.trim())));
                    self.open_prompt = None;
                }
                Some(false) => self.open_prompt = None,
                None => {}
            }
        }
        if let Some(prompt) = &mut self.save_prompt {
            let mut done = None;
            let modal = egui::Modal::new(egui::Id::unique("save-path")).show(ui.ctx(), |ui| {
                ui.heading("Save project as");
                ui.label(RichText::new(&prompt.why).small().weak());
                let label = ui.label("Path of the project file (.ron):");
                ui.add(egui::TextEdit::singleline(&mut prompt.path).desired_width(420.0))
                    .labelled_by(label.id);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        done = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        done = Some(false);
                    }
                });
            });
            if modal.should_close() && done.is_none() {
                done = Some(false);
            }
            match done {
                Some(true) => {
                    actions.push(Action::SaveTo(PathBuf::from(prompt.path.trim())));
                    self.save_prompt = None;
                }
                Some(false) => self.save_prompt = None,
                None => {}
            }
        }
    }

    fn new_from_sample_ui(&mut self, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(prompt) = &mut self.new_from_sample else {
            return;
        };
        let mut done = None;
        let modal = egui::Modal::new(egui::Id::unique("new-from-sample")).show(ui.ctx(), |ui| {
            ui.heading("New project from sample");
            ui.label(&prompt.why);
            let label = ui.label("New project file (.ron):");
            let field = ui
                .add(egui::TextEdit::singleline(&mut prompt.path).desired_width(420.0))
                .labelled_by(label.id);
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                done = Some(true);
            }
            ui.horizontal(|ui| {
                if ui.button("Copy and open").clicked() {
                    done = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    done = Some(false);
                }
            });
        });
        if modal.should_close() && done.is_none() {
            done = Some(false);
        }
        match done {
            Some(true) => {
                let mut path = PathBuf::from(prompt.path.trim());
                if path.extension().is_none_or(|e| e != "ron") {
                    // A folder was given: the project file goes in it.
                    path = path.join("sample.ron");
                }
                actions.push(Action::NewProjectFromSample(path));
                self.new_from_sample = None;
            }
            Some(false) => self.new_from_sample = None,
            None => {}
        }
    }

    fn stranded_ui(&mut self, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(offer) = &mut self.stranded else {
            return;
        };
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("stranded-journals")).show(ui.ctx(), |ui| {
            ui.set_max_width(640.0);
            ui.heading("Unsaved edits from before the project changed");
            ui.label(
                "Claimdesk closed with unsaved edits while another program (git, a merge) \
                 rewrote the project, so they were set aside instead of applied. Re-apply puts \
                 each edit that still fits the project as it is now on top of it (each one an \
                 undo step); the rest stay in the file, listed here.",
            );
            for (path, said) in &offer.results {
                ui.label(egui::RichText::new(format!("{}: {said}", file_name(path))).strong());
            }
            for journal in &offer.journals {
                ui.separator();
                ui.label(format!(
                    "{}: {} edit(s){}",
                    file_name(&journal.path),
                    journal.edits,
                    if journal.unreadable_lines > 0 {
                        format!(
                            ", {} torn line(s) kept in the file",
                            journal.unreadable_lines
                        )
                    } else {
                        String::new()
                    }
                ));
                ui.horizontal(|ui| {
                    if ui.button("Re-apply what still applies").clicked() {
                        actions.push(Action::ReapplyStranded(journal.path.clone()));
                    }
                    if offer.confirm_discard.as_ref() == Some(&journal.path) {
                        if ui
                            .button(
                                egui::RichText::new("Delete these edits for good")
                                    .color(ui.visuals().error_fg_color),
                            )
                            .clicked()
                        {
                            actions.push(Action::DiscardStranded(journal.path.clone()));
                        }
                    } else if ui.button("Discard…").clicked() {
                        offer.confirm_discard = Some(journal.path.clone());
                    }
                });
            }
            if offer.journals.is_empty() {
                ui.label("Nothing is left to re-apply.");
            }
            ui.separator();
            if ui
                .button(if offer.journals.is_empty() {
                    "Close"
                } else {
                    "Later (keep the files)"
                })
                .clicked()
            {
                close = true;
            }
        });
        if modal.should_close() || close {
            self.stranded = None;
        }
    }

    fn confirm_close_ui(&mut self, ui: &mut egui::Ui, actions: &mut Actions) {
        if !self.confirm_close {
            return;
        }
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("confirm-close")).show(ui.ctx(), |ui| {
            ui.heading("Save changes before closing?");
            ui.label("Your unsaved edits are also kept in the crash journal and will be offered again next time.");
            ui.horizontal(|ui| {
                if ui.button("Save and close").clicked() {
                    choice = Some(Some(true));
                }
                if ui.button("Close without saving").clicked() {
                    choice = Some(Some(false));
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(None);
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(None);
        }
        if let Some(choice) = choice {
            self.confirm_close = false;
            if let Some(save) = choice {
                actions.push(Action::Close { save });
            }
        }
    }

    fn palette_ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(palette) = &mut self.palette else {
            return;
        };
        let verdicts = cx.verdict_labels();
        let needle = palette.filter.to_lowercase();
        let matches: Vec<Command> = Command::all()
            .into_iter()
            .filter(|c| palette_text(*c, &verdicts).to_lowercase().contains(&needle))
            .collect();
        let (down, up, enter) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::Enter),
            )
        });
        if down {
            palette.chosen = (palette.chosen + 1).min(matches.len().saturating_sub(1));
        }
        if up {
            palette.chosen = palette.chosen.saturating_sub(1);
        }
        palette.chosen = palette.chosen.min(matches.len().saturating_sub(1));
        let mut chosen = None;
        let modal = egui::Modal::new(egui::Id::unique("palette")).show(ui.ctx(), |ui| {
            ui.set_width(520.0);
            let response = ui
                .horizontal(|ui| {
                    let label = ui.label("Command");
                    ui.add(
                        egui::TextEdit::singleline(&mut palette.filter)
                            .hint_text("type a command or a view…")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id)
                })
                .inner;
            if response.changed() {
                palette.chosen = 0;
            }
            response.request_focus();
            ui.label(
                RichText::new(format!(
                    "{} of {} commands · arrows choose, Enter runs, Escape closes",
                    matches.len(),
                    Command::all().len()
                ))
                .small()
                .weak(),
            );
            egui::ScrollArea::vertical()
                .max_height(480.0)
                .show(ui, |ui| {
                    for (i, command) in matches.iter().enumerate() {
                        let shortcut = command.shortcut().map(|s| s.describe()).unwrap_or_default();
                        let row = ui.add(
                            egui::Button::selectable(
                                i == palette.chosen,
                                palette_text(*command, &verdicts),
                            )
                            .shortcut_text(shortcut),
                        );
                        if i == palette.chosen && (down || up) {
                            row.scroll_to_me(None);
                        }
                        if row.clicked() {
                            chosen = Some(*command);
                        }
                    }
                });
        });
        if enter {
            chosen = chosen.or_else(|| matches.get(palette.chosen).copied());
        }
        let close = modal.should_close();
        if let Some(command) = chosen {
            actions.command(command);
            self.palette = None;
        } else if close {
            self.palette = None;
        }
    }
}

/// "View: Entity registry" — the menu a command lives in, then its title.
fn palette_text(command: Command, verdicts: &[String]) -> String {
    format!("{}: {}", command.menu().title(), command.title(verdicts))
}

/// A file's name for a label (its whole path when it has none).
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
