//! Full-text and regex search across the corpus, results in context. The query runs on a
//! background [`Job`] over the loaded articles (shared, not copied); typing again cancels it.

use std::sync::Arc;

use egui::RichText;

use claimdesk_core::corpus::Article;
use claimdesk_core::search::{self, SearchResult};

use crate::context::{Action, Actions, ViewCtx};
use crate::jobs::{Job, Poll};

type Outcome = Result<Option<SearchResult>, String>;

#[derive(Default)]
pub struct Search {
    open: bool,
    pub query: String,
    pub regex: bool,
    results: Vec<search::Hit>,
    total: usize,
    /// The count stopped at its limit.
    capped: bool,
    /// What the results are for (query, regex, and the revision when it follows edits).
    searched: String,
    error: Option<String>,
    /// Put the cursor in the query field on the next frame (the panel was just opened).
    focus_query: bool,
    running: Option<Job<Outcome>>,
}

impl Search {
    pub fn open(&mut self) {
        self.open = true;
        self.focus_query = true;
    }

    pub fn close(&mut self) {
        self.open = false;
        if let Some(job) = self.running.take() {
            job.cancel();
        }
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        if !self.open {
            return;
        }
        egui::Panel::bottom("search")
            .resizable(true)
            .default_size(200.0)
            .show(ui, |ui| {
                // Close comes first: at a large zoom the row wraps, and nothing falls off it.
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .button("Close")
                        .on_hover_text("Close search (Escape)")
                        .clicked()
                    {
                        self.close();
                    }
                    let label = ui.label("Search");
                    let width = (ui.available_width() - 90.0).clamp(120.0, 420.0);
                    let response = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.query)
                                .hint_text("words, a regex, entity:, verdict: or claimant:")
                                .desired_width(width),
                        )
                        .labelled_by(label.id);
                    if std::mem::take(&mut self.focus_query) {
                        response.request_focus();
                    }
                    ui.checkbox(&mut self.regex, "Regex");
                });
                if !self.open {
                    return;
                }
                // Annotation queries (entity:, verdict:, claimant:) follow the analyst's
                // edits; text queries only change with the text typed.
                let follows_edits =
                    !matches!(search::Query::parse(&self.query), search::Query::Text(_));
                let revision = if follows_edits {
                    cx.state.revisions.project
                } else {
                    0
                };
                let key = format!(
                    "{}:{}:{revision}:{}",
                    cx.state.revisions.workspace, self.regex, self.query
                );
                if self.searched != key {
                    self.searched = key;
                    self.start(cx);
                }
                self.poll(ui.ctx());
                if let Some(err) = &self.error {
                    ui.colored_label(crate::theme::warning_text(), err);
                }
                let count = match (self.running.is_some(), self.capped) {
                    (true, _) => "Searching…".to_string(),
                    (false, true) => format!(
                        "{}+ results (showing the first {})",
                        self.total,
                        self.results.len()
                    ),
                    (false, false) => format!("{} result(s)", self.total),
                };
                ui.label(RichText::new(count).small());
                self.results_ui(cx, ui, actions);
            });
    }

    fn results_ui(&self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        egui::ScrollArea::vertical()
            .id_salt("search-results")
            .show(ui, |ui| {
                let style = ui.style().clone();
                for hit in self.results.iter().take(500) {
                    let title = cx.ws.map(|ws| ws.title(&hit.article)).unwrap_or_default();
                    // One widget per result, so a click anywhere on the row opens it.
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
                        crate::theme::evidence_background(style.visuals.dark_mode),
                    ));
                    add(RichText::new(format!("{}…", hit.after)));
                    let response = ui
                        .add(egui::Button::selectable(false, job).wrap())
                        .on_hover_text("Open in the reader, with the match selected");
                    if response.clicked() {
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
    }

    fn start(&mut self, cx: &ViewCtx) {
        if let Some(old) = self.running.take() {
            old.cancel();
        }
        let Some(ws) = cx.ws else {
            return;
        };
        let articles: Vec<Arc<Article>> = ws.loaded_articles().cloned().collect();
        let (query, regex) = match search::plan(ws.project(), &articles, &self.query, self.regex) {
            search::Plan::Scan { pattern, regex } => (pattern, regex),
            search::Plan::Found(result) => {
                self.error = None;
                self.total = result.total;
                self.capped = result.capped;
                self.results = result.hits;
                return;
            }
        };
        self.running = Some(Job::spawn("search", None, cx.inline_work, move |worker| {
            search::search_cancellable(&articles, &query, regex, worker.cancel_flag())
        }));
    }

    /// Takes the running query's result when it has arrived.
    fn poll(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.running else {
            return;
        };
        match job.poll() {
            Poll::Done(outcome) => {
                self.running = None;
                match outcome {
                    Ok(Some(result)) => {
                        self.error = None;
                        self.total = result.total;
                        self.capped = result.capped;
                        self.results = result.hits;
                    }
                    // Cancelled: a newer query is on its way.
                    Ok(None) => {}
                    Err(err) => {
                        self.error = Some(err);
                        self.results.clear();
                        self.total = 0;
                        self.capped = false;
                    }
                }
            }
            Poll::Running => ctx.request_repaint_after(std::time::Duration::from_millis(16)),
            Poll::Lost => self.running = None,
        }
    }
}
