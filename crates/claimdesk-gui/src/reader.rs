//! The reader: an article's text with claims, suggestions, evidence and entities highlighted,
//! and the analyst's selection — the core action — handled here, across paragraphs.
//!
//! Only visible paragraphs are laid out and painted. Each paragraph's height is measured once
//! per article, width and font size; its highlighted layout is rebuilt only when the highlights
//! touching it change. Overlaps stay readable: claims and evidence as backgrounds, entities as
//! underlines, and the selected claim outlined.
//!
//! Selecting: a drag selects from where the button went down to the pointer (across
//! paragraphs, scrolling at the edges), shown snapped to whole words as it goes — the snapped
//! text is what gets marked — in a strip of fixed height, so nothing moves under the pointer.
//! A double click selects a word, a triple click a sentence, Shift+click or Shift+arrows move
//! the end by word, Ctrl+C copies.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley};

use crate::article_view::{ArticleView, EvidenceMark, Highlight, Mark, quoted};
use crate::context::{Action, Actions, Focus, ViewCtx};
use crate::selection::{self, Selection};
use crate::theme;
use claimdesk_core::analysis::EntityKind;
use claimdesk_core::command::Command;
use claimdesk_core::corpus::Article;
use claimdesk_core::project::Stance;
use claimdesk_core::text::Span;

/// Reader text size in points (before zoom).
const BODY_SIZE: f32 = 15.5;

/// Width of the left margin that carries evidence marks. Evidence inside a claim would be
/// hidden under the claim's background, so the margin shows it whatever else covers the text.
const GUTTER: f32 = 12.0;

#[derive(Default)]
struct ReaderCache {
    key: Option<(String, String, u32)>,
    /// Char span of each line.
    lines: Vec<Span>,
    tops: Vec<f32>,
    heights: Vec<f32>,
    total_height: f32,
    /// Highlighted galleys of visible lines: line index → (highlight hash, galley).
    galleys: HashMap<usize, (u64, Arc<Galley>)>,
}

fn line_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for c in text.chars() {
        if c == '\n' {
            spans.push(Span::new(start, offset));
            start = offset + 1;
        }
        offset += 1;
    }
    spans.push(Span::new(start, offset));
    spans
}

fn format_for(marks: &[&Mark], base: &TextFormat, dark: bool) -> TextFormat {
    let mut format = base.clone();
    for mark in marks {
        match mark {
            Mark::Suggestion => {
                if format.background == Color32::TRANSPARENT {
                    format.background = theme::suggestion_background(dark);
                }
            }
            Mark::Evidence { .. } => format.background = theme::evidence_background(dark),
            Mark::Claim { color } => {
                format.background = theme::claim_background(*color, dark, false);
            }
            Mark::Focused { color } => {
                format.background = theme::claim_background(*color, dark, true);
            }
            Mark::Entity { kind, confirmed } => {
                format.underline = theme::entity_underline(*kind, *confirmed);
            }
            Mark::Dragged => {
                if format.background == Color32::TRANSPARENT {
                    format.background = theme::selection_outline().gamma_multiply(0.15);
                }
            }
            Mark::Selection => {
                format.background = theme::selection_outline().gamma_multiply(0.45);
            }
            Mark::Flash { strength } => {
                format.background = theme::flash(*strength);
            }
        }
    }
    format
}

/// The highlights touching `line`, from the cached view plus the per-frame overlays.
fn touching<'a>(
    line: Span,
    near: &'a [Highlight],
    overlays: &'a [Highlight],
) -> Vec<&'a Highlight> {
    near.iter()
        .chain(overlays)
        .filter(|h| h.span.start < line.end && h.span.end > line.start)
        .collect()
}

/// A hash of what decides a line's look, so its galley is rebuilt only when that changes.
fn marks_hash(touching: &[&Highlight], dark: bool) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    touching.hash(&mut hasher);
    dark.hash(&mut hasher);
    hasher.finish()
}

/// Builds the layout job of one line with its highlights.
fn line_job(
    article: &Article,
    line: Span,
    touching: &[&Highlight],
    base: &TextFormat,
    dark: bool,
) -> LayoutJob {
    let text = article.slice(line);
    let mut cuts: Vec<usize> = vec![line.start, line.end];
    for h in touching {
        cuts.push(h.span.start.clamp(line.start, line.end));
        cuts.push(h.span.end.clamp(line.start, line.end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut job = LayoutJob::default();
    // Draw order: suggestions under evidence under claims; entities add underlines.
    let rank = |m: &Mark| match m {
        Mark::Suggestion => 0,
        Mark::Evidence { .. } => 1,
        Mark::Claim { .. } => 2,
        Mark::Focused { .. } => 3,
        Mark::Entity { .. } => 4,
        Mark::Dragged => 5,
        Mark::Selection => 6,
        Mark::Flash { .. } => 7,
    };
    for pair in cuts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        if start >= end {
            continue;
        }
        let mut marks: Vec<&Mark> = touching
            .iter()
            .filter(|h| h.span.start <= start && end <= h.span.end)
            .map(|h| &h.mark)
            .collect();
        marks.sort_by_key(|m| rank(m));
        let piece = article.slice(Span::new(start, end));
        job.append(piece, 0.0, format_for(&marks, base, dark));
    }
    if text.is_empty() {
        job.append("", 0.0, base.clone());
    }
    job
}

/// The id of the reader's text (focusable: keys act on the selection while it has focus).
pub fn focus_id() -> egui::Id {
    egui::Id::unique("reader text")
}

/// The reader's own state: its layout cache, what it painted last frame (for pointer hits),
/// a drag under way and the scroll request it followed last.
#[derive(Default)]
pub struct Reader {
    cache: ReaderCache,
    /// Line index, where its galley was painted, the galley: this frame's visible lines.
    painted: Vec<(usize, egui::Pos2, Arc<Galley>)>,
    /// (anchor, head) while the button is held.
    drag: Option<(usize, usize)>,
    followed_scroll: u64,
}

impl Reader {
    /// Top left (plus half a line) of char `offset` as painted last frame.
    pub fn position_of(&self, offset: usize) -> Option<egui::Pos2> {
        let (index, origin, galley) = self.painted.iter().find(|(index, _, _)| {
            let line = self.cache.lines[*index];
            line.start <= offset && offset <= line.end
        })?;
        let line = self.cache.lines[*index];
        let rect = galley.pos_from_cursor(egui::text::CCursor::new(offset - line.start));
        Some(*origin + rect.left_center().to_vec2())
    }

    /// The char under `pos`: on the nearest painted line, so a pointer between paragraphs
    /// or past the end of a line still lands somewhere sensible.
    fn offset_at(&self, pos: egui::Pos2) -> Option<usize> {
        let (index, origin, galley) = self.painted.iter().min_by(|a, b| {
            let distance = |(_, origin, galley): &(usize, egui::Pos2, Arc<Galley>)| {
                let top = origin.y;
                let bottom = origin.y + galley.size().y;
                if pos.y < top {
                    top - pos.y
                } else if pos.y > bottom {
                    pos.y - bottom
                } else {
                    0.0
                }
            };
            distance(a).total_cmp(&distance(b))
        })?;
        let line = self.cache.lines[*index];
        let cursor = galley.cursor_from_pos(pos - *origin);
        Some(line.start + cursor.index.0.min(line.len()))
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        egui::CentralPanel::default_margins().show(ui, |ui| {
            let Some(ws) = cx.ws else {
                ui.heading("No project open");
                ui.label("Open a project (Ctrl+O) or a folder of articles (Ctrl+Shift+O).");
                return;
            };
            let Some(article_id) = cx.article() else {
                ui.label("Select an article on the left.");
                return;
            };
            if let Some(claimdesk_core::workspace::ArticleState::Missing { path, reason }) = ws.article_state(article_id) {
                ui.heading(article_id);
                ui.colored_label(theme::warning_text(), format!("This article's file is missing: {}", path.display()));
                ui.label(reason);
                ui.label("Its annotations are kept and listed on the right; restore the file and reopen the project to see the text.");
                return;
            }
            let Some(article) = ws.article(article_id).cloned() else {
                return;
            };
            let live = self.live_selection(cx, &article);
            toolbar_ui(cx, ui, actions, live.is_some());
            // The selection strip: one line, always there, filled after the text is drawn (so
            // it shows this frame's drag); its text never wraps, so the text below never moves.
            let strip_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            let (strip, _) = ui.allocate_exact_size(
                egui::vec2(ui.available_width(), strip_height),
                egui::Sense::hover(),
            );
            ui.separator();
            header_ui(ws, ui, &article, actions);
            if cx.settings.show_removed && !article.removed.is_empty() {
                egui::CollapsingHeader::new(format!("Removed boilerplate ({})", article.removed.len()))
                    .default_open(true)
                    .show(ui, |ui| {
                        for block in &article.removed {
                            ui.label(
                                egui::RichText::new(format!("[{}] {}", block.reason, block.text))
                                    .italics()
                                    .color(theme::removed_text()),
                            );
                        }
                    });
            }
            ui.separator();
            self.text_ui(cx, ui, &article, actions);
            let live = self.live_selection(cx, &article);
            strip_ui(ui, strip, &article, live.as_ref(), self.drag.is_some());
        });
    }

    /// The selection being dragged, else the committed one (when it is in this article).
    fn live_selection(&self, cx: &ViewCtx, article: &Article) -> Option<Selection> {
        match self.drag {
            Some((anchor, head)) if anchor != head => Some(Selection::new(article, anchor, head)),
            Some(_) => None,
            None => cx
                .state
                .selection
                .clone()
                .filter(|s| s.article == article.id),
        }
    }
}

/// "Selected: “Lavrov”" in the fixed strip above the text, or how to select.
fn strip_ui(
    ui: &mut egui::Ui,
    strip: egui::Rect,
    article: &Article,
    live: Option<&Selection>,
    dragging: bool,
) {
    let text = match live {
        Some(selection) if !selection.snapped.is_empty() => {
            let words = article.slice(selection.snapped).split_whitespace().count();
            format!(
                "{} {words} word(s): {}{}",
                if dragging { "Selecting" } else { "Selected" },
                ends_quoted(article.slice(selection.snapped)),
                if dragging {
                    ""
                } else {
                    " · C claim · E name · V evidence · N confirm name · Shift+arrows extend"
                }
            )
        }
        Some(_) => "Selecting: nothing yet (only white space)".to_string(),
        None => "Drag across text to select it — double-click a word, triple-click a sentence; Shift+arrows extend by word".to_string(),
    };
    let color = if live.is_some() {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().weak_text_color()
    };
    let label = egui::Label::new(egui::RichText::new(text).color(color)).truncate();
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(strip)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
        |ui| ui.add(label),
    );
}

/// A selection for the strip: whole when short, else its first and last words around an
/// ellipsis, so both ends of a long drag can be checked before it is committed.
fn ends_quoted(text: &str) -> String {
    // On one line: paragraph breaks become spaces.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 60 {
        return quoted(&text, usize::MAX);
    }
    // Cut between words, not inside one.
    let head: String = chars[..30].iter().collect();
    let head = head.rsplit_once(' ').map_or(head.as_str(), |(h, _)| h);
    let tail: String = chars[chars.len() - 24..].iter().collect();
    let tail = tail.split_once(' ').map_or(tail.as_str(), |(_, t)| t);
    format!("“{} … {}”", head.trim_end(), tail.trim_start())
}

/// Focus, selection and flash, drawn over the cached highlights.
fn overlays(
    cx: &ViewCtx,
    article: &str,
    live: Option<&Selection>,
    dragging: bool,
) -> Vec<Highlight> {
    let mut out = Vec::new();
    match &cx.state.focus {
        Some(Focus::Claim(id)) => {
            if let Some(claim) = cx.view.claim(id) {
                out.push(Highlight {
                    span: claim.span,
                    mark: Mark::Focused { color: claim.color },
                });
            }
        }
        Some(Focus::Suggestion { article: a, span }) if a == article => out.push(Highlight {
            span: *span,
            mark: Mark::Focused { color: None },
        }),
        _ => {}
    }
    if let Some(selection) = live.filter(|s| s.article == article) {
        // While dragging, the raw extent shows faintly under the snapped text, which is what
        // will be marked.
        if dragging && selection.raw() != selection.snapped {
            out.push(Highlight {
                span: selection.raw(),
                mark: Mark::Dragged,
            });
        }
        if !selection.snapped.is_empty() {
            out.push(Highlight {
                span: selection.snapped,
                mark: Mark::Selection,
            });
        }
    }
    if let Some(flash) = cx.state.flash.as_ref().filter(|f| f.article == article) {
        // Fades out over its time; in steps, so a line is laid out again a few times only.
        let left = ((flash.until - cx.now) / 1.5).clamp(0.0, 1.0);
        let strength = (left * 4.0).ceil() as u8;
        let span = if flash.span.is_empty() {
            Span::new(flash.span.start, flash.span.start + 1)
        } else {
            flash.span
        };
        if strength > 0 {
            out.push(Highlight {
                span,
                mark: Mark::Flash { strength },
            });
        }
    }
    out
}

fn toolbar_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions, has_selection: bool) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(has_selection, egui::Button::new("Mark as claim"))
            .on_hover_text("Mark the selected text as a claim (C)")
            .clicked()
        {
            actions.command(Command::MarkClaim);
        }
        if ui
            .add_enabled(has_selection, egui::Button::new("Mark as entity"))
            .on_hover_text("Mark the selected text as an entity of the chosen type (E)")
            .clicked()
        {
            actions.command(Command::MarkEntity);
        }
        let mut kind = cx.state.entity_kind;
        egui::ComboBox::new("entity-kind", "type")
            .selected_text(kind.label())
            .show_ui(ui, |ui| {
                for k in EntityKind::ALL {
                    ui.selectable_value(
                        &mut kind,
                        k,
                        format!("{} — {}", k.label(), k.description()),
                    );
                }
            });
        if kind != cx.state.entity_kind {
            actions.push(Action::SetEntityKind(kind));
        }
        let claim_focused = matches!(cx.state.focus, Some(Focus::Claim(_)));
        if ui
            .add_enabled(
                has_selection && claim_focused,
                egui::Button::new("Add as evidence"),
            )
            .on_hover_text("Attach the selected passage as evidence to the selected claim (V)")
            .clicked()
        {
            actions.command(Command::AddEvidence);
        }
    });
    ui.label(
        egui::RichText::new("Shaded sentences (the strongest suggestions) and dotted names are automatic; what you mark and rate always wins.")
            .small()
            .weak(),
    );
}

fn header_ui(
    ws: &claimdesk_core::workspace::Workspace,
    ui: &mut egui::Ui,
    article: &Article,
    actions: &mut Actions,
) {
    let meta = ws.meta(&article.id);
    ui.heading(meta.title.clone().unwrap_or_else(|| article.id.clone()));
    let details: Vec<String> = [
        meta.source.clone(),
        meta.byline.clone().map(|b| format!("by {b}")),
        meta.date.clone(),
        meta.url.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    ui.horizontal_wrapped(|ui| {
        if !details.is_empty() {
            ui.label(egui::RichText::new(details.join(" · ")).weak());
        }
        ui.label(
            egui::RichText::new(format!(
                "{} · {} · {}",
                article.id, article.format, article.encoding
            ))
            .small()
            .weak(),
        );
    });
    ui.horizontal_wrapped(|ui| {
        if ui
            .small_button("Correct text…")
            .on_hover_text("Fix a typo in the article; annotations move with their text")
            .clicked()
        {
            actions.push(Action::Command(Command::CorrectText));
        }
    });
    egui::CollapsingHeader::new("Correct details")
        .id_salt(("meta", &article.id))
        .show(ui, |ui| {
            let Some(entry) = ws.project().articles.get(&article.id) else {
                return;
            };
            let mut changed = entry.clone();
            egui::Grid::new(("meta-grid", &article.id))
                .num_columns(2)
                .show(ui, |ui| {
                    for (label, field, found) in [
                        ("Title", &mut changed.meta.title, &article.meta.title),
                        ("Source", &mut changed.meta.source, &article.meta.source),
                        ("Byline", &mut changed.meta.byline, &article.meta.byline),
                        (
                            "Date (YYYY-MM-DD)",
                            &mut changed.meta.date,
                            &article.meta.date,
                        ),
                        ("URL", &mut changed.meta.url, &article.meta.url),
                    ] {
                        ui.label(label);
                        let mut value = field.clone().or_else(|| found.clone()).unwrap_or_default();
                        let response =
                            ui.add(egui::TextEdit::singleline(&mut value).desired_width(360.0));
                        if response.changed() {
                            *field = if found.as_deref() == Some(value.as_str()) || value.is_empty()
                            {
                                None
                            } else {
                                Some(value)
                            };
                        }
                        if response.lost_focus() {
                            actions.push(Action::Seal);
                        }
                        ui.end_row();
                    }
                });
            if &changed != entry {
                actions.op(claimdesk_core::ops::set_meta(ws, &article.id, changed.meta));
            }
        });
}

impl Reader {
    fn text_ui(
        &mut self,
        cx: &ViewCtx,
        ui: &mut egui::Ui,
        article: &Arc<Article>,
        actions: &mut Actions,
    ) {
        let dark = ui.visuals().dark_mode;
        let font = FontId::proportional(BODY_SIZE);
        let base = TextFormat {
            font_id: font.clone(),
            color: ui.visuals().text_color(),
            ..Default::default()
        };
        let width = (ui.available_width() - 16.0 - GUTTER).clamp(200.0, 900.0);
        let key = (
            article.id.clone(),
            article.hash.clone(),
            width.round() as u32,
        );
        let cache = &mut self.cache;
        if cache.key.as_ref() != Some(&key) {
            cache.lines = line_spans(&article.text);
            cache.heights = cache
                .lines
                .iter()
                .map(|line| {
                    let text = article.slice(*line);
                    if text.is_empty() {
                        BODY_SIZE * 0.6
                    } else {
                        let mut job = LayoutJob::single_section(text.to_string(), base.clone());
                        job.wrap.max_width = width;
                        ui.fonts_mut(|f| f.layout_job(job)).size().y
                    }
                })
                .collect();
            let mut top = 0.0;
            cache.tops = cache
                .heights
                .iter()
                .map(|h| {
                    let t = top;
                    top += h;
                    t
                })
                .collect();
            cache.total_height = top;
            cache.galleys.clear();
            cache.key = Some(key);
            self.painted.clear();
            self.drag = None;
        }
        let dragging = self.drag.is_some();
        let live = self.live_selection(cx, article);
        let overlays = overlays(cx, &article.id, live.as_ref(), dragging);
        if cx.state.flash.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(60));
        }

        let mut scroll = egui::ScrollArea::vertical()
            .id_salt(("reader", &article.id))
            .auto_shrink([false, false]);
        if let Some(request) = &cx.state.scroll
            && request.article == article.id
            && request.serial != self.followed_scroll
        {
            let cache = &self.cache;
            let line = cache
                .lines
                .partition_point(|l| l.end < request.offset)
                .min(cache.lines.len().saturating_sub(1));
            let y = cache.tops.get(line).copied().unwrap_or(0.0);
            // Within the scrollable range: past its end the text would spring back.
            let most = (cache.total_height - ui.available_height()).max(0.0);
            scroll = scroll.vertical_scroll_offset((y - 80.0).clamp(0.0, most));
            self.followed_scroll = request.serial;
        }
        let mut jump_to_claim: Option<&EvidenceMark> = None;
        let view = cx.view;
        let mut viewport_screen = egui::Rect::NOTHING;
        let mut text_response: Option<egui::Response> = None;
        scroll.show_viewport(ui, |ui, viewport| {
            let cache = &mut self.cache;
            ui.set_height(cache.total_height);
            ui.set_width(width + GUTTER);
            let origin = ui.min_rect().min;
            let text_origin = origin + egui::vec2(GUTTER, 0.0);
            viewport_screen = viewport.translate(origin.to_vec2());
            // The whole text is one widget for the pointer and the keyboard; lines are painted.
            let text_rect = egui::Rect::from_min_size(
                text_origin,
                egui::vec2(width, cache.total_height.max(viewport.height())),
            );
            let response = ui
                .interact(text_rect, focus_id(), egui::Sense::click_and_drag())
                .on_hover_cursor(egui::CursorIcon::Text);
            self.painted.clear();
            let first = cache
                .tops
                .partition_point(|&t| t < viewport.min.y)
                .saturating_sub(1);
            for index in first..cache.lines.len() {
                let top = cache.tops[index];
                if top > viewport.max.y {
                    break;
                }
                let line = cache.lines[index];
                let height = cache.heights[index];
                if line.is_empty() {
                    continue;
                }
                let touching = touching(line, view.near(line), &overlays);
                let hash = marks_hash(&touching, dark);
                let galley = match cache.galleys.get(&index) {
                    Some((cached_hash, galley)) if *cached_hash == hash => galley.clone(),
                    _ => {
                        let mut job = line_job(article, line, &touching, &base, dark);
                        job.wrap.max_width = width;
                        let galley = ui.fonts_mut(|f| f.layout_job(job));
                        cache.galleys.insert(index, (hash, galley.clone()));
                        galley
                    }
                };
                if let Some(mark) =
                    evidence_margin_ui(ui, view, line, origin + egui::vec2(0.0, top), height)
                {
                    jump_to_claim = Some(mark);
                }
                let at = text_origin + egui::vec2(0.0, top);
                ui.painter()
                    .galley(at, galley.clone(), ui.visuals().text_color());
                // Each visible paragraph is read out as text (screen readers, tests).
                let paragraph = ui.interact(
                    egui::Rect::from_min_size(at, egui::vec2(width, height)),
                    focus_id().with(("paragraph", index)),
                    egui::Sense::hover(),
                );
                let text = article.slice(line);
                paragraph
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Paragraph, true, text));
                self.painted.push((index, at, galley));
            }
            text_response = Some(response);
        });
        if let Some(response) = text_response {
            self.pointer(cx, ui, article, &response, viewport_screen, actions);
            if response.has_focus() {
                self.keys(cx, ui, article, actions);
            }
        }
        if let Some(mark) = jump_to_claim
            && let Some((claim_article, offset)) = &mark.claim_at
        {
            actions.push(Action::Focus(Some(Focus::Claim(mark.claim.clone()))));
            actions.push(Action::ScrollTo {
                article: claim_article.clone(),
                offset: *offset,
            });
        }
    }

    /// Drags, clicks, double and triple clicks on the text.
    fn pointer(
        &mut self,
        cx: &ViewCtx,
        ui: &mut egui::Ui,
        article: &Article,
        response: &egui::Response,
        viewport: egui::Rect,
        actions: &mut Actions,
    ) {
        let committed = cx
            .state
            .selection
            .as_ref()
            .filter(|s| s.article == article.id);
        let shift = ui.input(|i| i.modifiers.shift);
        if response.drag_started_by(egui::PointerButton::Primary) {
            // From where the button went down: the first pixels of a drag count too.
            let origin = ui.input(|i| i.pointer.press_origin());
            let anchor = match (shift, committed) {
                (true, Some(selection)) => Some(selection.anchor),
                _ => origin.and_then(|p| self.offset_at(p)),
            };
            if let Some(anchor) = anchor {
                self.drag = Some((anchor, anchor));
            }
            response.request_focus();
        }
        if let Some((anchor, _)) = self.drag
            && response.dragged_by(egui::PointerButton::Primary)
            && let Some(pointer) = ui.input(|i| i.pointer.latest_pos())
        {
            if let Some(head) = self.offset_at(pointer) {
                self.drag = Some((anchor, head));
            }
            // Past the top or bottom edge, the text scrolls under the pointer.
            let edge = 24.0;
            let delta = if pointer.y < viewport.top() + edge {
                (viewport.top() + edge - pointer.y).min(60.0)
            } else if pointer.y > viewport.bottom() - edge {
                -(pointer.y - (viewport.bottom() - edge)).min(60.0)
            } else {
                0.0
            };
            if delta != 0.0 {
                ui.scroll_with_delta(egui::vec2(0.0, delta * 0.5));
                ui.ctx().request_repaint();
            }
        }
        if !response.dragged() && !response.drag_stopped() {
            // A drag that ended elsewhere (the pointer left the window) is over.
            self.drag = None;
        }
        if response.drag_stopped() {
            if let Some((anchor, head)) = self.drag.take()
                && anchor != head
            {
                let selection = Selection::new(article, anchor, head);
                actions.push(Action::Select(
                    (!selection.snapped.is_empty()).then_some(selection),
                ));
            }
            return;
        }
        let pointer = response
            .interact_pointer_pos()
            .or_else(|| ui.input(|i| i.pointer.interact_pos()));
        let at = || pointer.and_then(|p| self.offset_at(p));
        if response.triple_clicked() {
            let sentences = cx
                .ws
                .and_then(|ws| ws.cached_analysis(&article.id))
                .map(|a| a.sentences.clone());
            if let Some(span) =
                at().and_then(|o| selection::sentence_at(article, sentences.as_deref(), o))
            {
                actions.push(Action::Select(Some(Selection::exact(article, span))));
            }
        } else if response.double_clicked() {
            if let Some(span) = at().and_then(|o| selection::word_at(article, o)) {
                actions.push(Action::Select(Some(Selection::exact(article, span))));
            }
        } else if response.clicked() {
            response.request_focus();
            let Some(offset) = at() else {
                return;
            };
            if shift && let Some(selection) = committed {
                actions.push(Action::Select(Some(Selection::new(
                    article,
                    selection.anchor,
                    offset,
                ))));
                return;
            }
            if committed.is_some() {
                actions.push(Action::Select(None));
            }
            // Clicking inside a claim or a shaded suggestion selects it in the panel.
            let hit = cx
                .view
                .claim_at(offset)
                .map(|c| Focus::Claim(c.id.clone()))
                .or_else(|| {
                    cx.view.suggestion_at(offset).map(|s| Focus::Suggestion {
                        article: article.id.clone(),
                        span: s.span,
                    })
                });
            if hit.is_some() && hit != cx.state.focus {
                actions.push(Action::Focus(hit));
            }
        }
    }

    /// Shift+Left/Right move the selection's end by word; Ctrl+C copies the selection.
    fn keys(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, article: &Article, actions: &mut Actions) {
        // The arrows stay with the text instead of moving the keyboard focus.
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                focus_id(),
                egui::EventFilter {
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    tab: false,
                    escape: false,
                },
            )
        });
        let committed = cx
            .state
            .selection
            .as_ref()
            .filter(|s| s.article == article.id);
        let (right, left, copy) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::SHIFT, egui::Key::ArrowRight),
                i.consume_key(egui::Modifiers::SHIFT, egui::Key::ArrowLeft),
                i.events.iter().any(|e| matches!(e, egui::Event::Copy)),
            )
        });
        if right || left {
            let (anchor, head) = match committed {
                Some(selection) => (selection.anchor, selection.head),
                // From the start of the text in view.
                None => {
                    let start = self
                        .painted
                        .first()
                        .map_or(0, |(index, _, _)| self.cache.lines[*index].start);
                    (start, start)
                }
            };
            let head = selection::step_word(article, head, right);
            actions.push(Action::Select(Some(Selection::new(article, anchor, head))));
        }
        if copy && let Some(selection) = committed {
            ui.ctx()
                .copy_text(article.slice(selection.snapped).to_string());
        }
    }
}

/// Marks in the margin beside a paragraph holding evidence, one bar per stance, with the
/// claims it bears on in the tooltip and for screen readers. A click returns the first
/// evidence, so the reader can jump to its claim.
fn evidence_margin_ui<'a>(
    ui: &mut egui::Ui,
    view: &'a ArticleView,
    line: Span,
    top_left: egui::Pos2,
    height: f32,
) -> Option<&'a EvidenceMark> {
    let marks: Vec<&EvidenceMark> = view.evidence_on(line).collect();
    let first = *marks.first()?;
    let mut stances: Vec<Stance> = marks.iter().map(|m| m.stance).collect();
    stances.sort_by_key(|s| Stance::ALL.iter().position(|a| a == s));
    stances.dedup();
    let bar_width = 3.0;
    for (i, stance) in stances.iter().enumerate() {
        let x = top_left.x + 1.0 + i as f32 * (bar_width + 1.0);
        let bar = egui::Rect::from_min_max(
            egui::pos2(x, top_left.y + 2.0),
            egui::pos2(x + bar_width, top_left.y + height - 2.0),
        );
        ui.painter()
            .rect_filled(bar, 1.0, theme::stance_color(*stance));
    }
    let description = marks
        .iter()
        .map(|m| {
            let mut text = format!("Evidence ({}) for {}", m.stance.label(), m.claim_preview);
            if !m.note.is_empty() {
                text.push_str(&format!("\nNote: {}", m.note));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let area = egui::Rect::from_min_size(top_left, egui::vec2(GUTTER, height));
    let response = ui.interact(
        area,
        ui.scope_id().with(("evidence margin", line.start)),
        egui::Sense::click(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &description));
    let response = response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(format!("{description}\n\nClick to go to the claim."));
    response.clicked().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_spans_cover_text() {
        let spans = line_spans("ab\n\ncd");
        assert_eq!(
            spans,
            vec![Span::new(0, 2), Span::new(3, 3), Span::new(4, 6)]
        );
    }
}
