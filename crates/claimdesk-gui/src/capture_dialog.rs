//! Web capture in the window: "Add article from URL…" (a page fetched into the project as an
//! article, with its archived copy) and "Archive this link" on an evidence URL. [`Captures`] is
//! the app's state (the jobs, the archived copies found in the project folder), read by the
//! panels; [`UrlDialog`] is the dialog's own fields. The fetch runs on a worker thread; the
//! article is added by the app in one undoable edit.

use std::collections::HashMap;

use egui::RichText;

use claimdesk_capture::CapturedArticle;
use claimdesk_core::project::Capture;

use crate::context::{Action, Actions, ViewCtx};
use crate::jobs::Job;
use crate::theme;

/// What a panel may ask for.
#[derive(Clone, Debug)]
pub enum CaptureAction {
    /// Fetch this page into the project as an article.
    AddUrl(String),
    /// Keep an archived copy of this evidence link.
    ArchiveLink(String),
    /// Stop the fetch under way (nothing is kept).
    Cancel,
}

pub type ArticleJob = Job<Result<CapturedArticle, String>>;
pub type ArchiveJob = Job<Result<Capture, String>>;

/// The app's capture state; panels read it.
#[derive(Default)]
pub struct Captures {
    pub article: Option<(ArticleJob, String)>,
    pub archive: Option<(ArchiveJob, String)>,
    /// The last failure of "Add article from URL…", shown in its dialog.
    pub article_error: Option<String>,
    /// Archived copies kept in the project folder (`captures/*.warc`), newest last per URL:
    /// both the address asked for and the final one lead to it.
    pub archived: HashMap<String, Capture>,
    /// The workspace revision the copies were read for, and the reading under way.
    pub read_for: Option<u64>,
    pub reading: Option<Job<Vec<Capture>>>,
    /// Bumped when an article was added from the web (the dialog closes on it).
    pub added: u64,
}

impl Captures {
    pub fn archived_copy(&self, url: &str) -> Option<&Capture> {
        self.archived.get(url.trim())
    }

    pub fn is_archiving(&self, url: &str) -> bool {
        self.archive.as_ref().is_some_and(|(_, u)| u == url)
    }

    pub fn set_archived(&mut self, copies: Vec<Capture>) {
        self.archived.clear();
        for copy in copies {
            self.archived.insert(copy.url.clone(), copy.clone());
            self.archived.insert(copy.final_url.clone(), copy);
        }
    }
}

/// "retrieved 2026-12-02T01:02:03Z, sha256:1a2b3c4d…, captures/x.warc".
pub fn describe_copy(copy: &Capture) -> String {
    let hash: String = copy.content_hash.chars().take(7 + 16).collect();
    format!(
        "archived copy: retrieved {}, HTTP {}, {hash}…, {}",
        copy.retrieved_at, copy.status, copy.archive
    )
}

/// The "Add article from URL…" dialog.
#[derive(Default)]
pub struct UrlDialog {
    open: bool,
    url: String,
    /// `Captures::added` when the dialog was opened or last started.
    added_at: u64,
    /// The cursor goes to the address field when the dialog opens.
    focus_field: bool,
}

impl UrlDialog {
    pub fn open(&mut self, added: u64) {
        self.open = true;
        self.added_at = added;
        self.focus_field = true;
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        if !self.open {
            return;
        }
        let captures = cx.captures;
        if captures.added != self.added_at {
            // The article landed: the reader shows it.
            self.open = false;
            self.url.clear();
            return;
        }
        let running = captures.article.as_ref().map(|(job, _)| job.progress());
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("add-from-url")).show(ui.ctx(), |ui| {
            ui.set_width(560.0);
            ui.heading("Add article from URL");
            ui.label("The page is fetched (HTML, text, Markdown or PDF; at most 50 MB, 120 s), its main text imported as an article, and an archived copy (WARC, with the request and the response) kept in the project folder under captures/, so the article reads offline and can be cited as it was.");
            let label = ui.label("Web address");
            let mut start = false;
            ui.add_enabled_ui(running.is_none(), |ui| {
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.url)
                            .hint_text("https://…")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut self.focus_field) {
                    field.request_focus();
                }
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    start = true;
                }
            });
            if let Some(why) = cx.ws.and_then(|ws| ws.read_only_reason()) {
                ui.colored_label(theme::warning_text(), format!("Read-only: {why}"));
            } else if cx.ws.is_some_and(|ws| ws.path().is_none()) {
                ui.colored_label(
                    theme::warning_text(),
                    "Save the project first: captures are kept in its folder",
                );
            }
            if let Some(error) = &captures.article_error
                && running.is_none()
            {
                ui.colored_label(theme::warning_text(), error);
            }
            match &running {
                Some(progress) => {
                    if crate::jobs::progress_ui(ui, progress, "Cancel") {
                        actions.push(Action::Capture(CaptureAction::Cancel));
                    }
                }
                None => {
                    ui.horizontal(|ui| {
                        if ui.button("Add article").clicked() {
                            start = true;
                        }
                        if ui.button("Close").clicked() {
                            close = true;
                        }
                    });
                }
            }
            if start && running.is_none() && !self.url.trim().is_empty() {
                actions.push(Action::Capture(CaptureAction::AddUrl(
                    self.url.trim().to_string(),
                )));
            }
        });
        if modal.should_close() && running.is_none() {
            close = true;
        }
        if close {
            self.open = false;
        }
    }
}

/// Under a URL evidence item: its archived copy, or the button that makes one.
pub fn evidence_link_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions, url: &str) {
    let captures = cx.captures;
    if let Some(copy) = captures.archived_copy(url) {
        ui.label(
            RichText::new(describe_copy(copy))
                .small()
                .color(theme::ok_text()),
        );
        return;
    }
    if captures.is_archiving(url) {
        if let Some((job, _)) = &captures.archive {
            ui.label(RichText::new(job.progress().label()).small().weak());
        }
        return;
    }
    let button = ui
        .small_button("Archive this link")
        .on_hover_text("Fetch the page now and keep a copy (WARC) in the project folder, with its retrieval date and hash");
    if button.clicked() {
        actions.push(Action::Capture(CaptureAction::ArchiveLink(url.to_string())));
    }
}

/// A captured article's origin, under the reader's header.
pub fn capture_line(ui: &mut egui::Ui, capture: &Capture) {
    let mut text = format!("Captured from {}", capture.final_url);
    if capture.final_url != capture.url {
        text.push_str(&format!(" (asked for {})", capture.url));
    }
    ui.label(RichText::new(text).small());
    ui.label(RichText::new(describe_copy(capture)).small().weak());
}
