//! The reader: an article's text with claims, suggestions, evidence and entities highlighted.
//!
//! Only visible paragraphs are laid out and painted. Each paragraph's height is measured once
//! per article, width and font size; its highlighted layout is rebuilt only when the highlights
//! touching it change. Overlaps stay readable: claims and evidence as backgrounds, entities as
//! underlines, and the selected claim outlined.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, TextBuffer};

use super::article_view::{ArticleView, EvidenceMark, Highlight, Mark, quoted};
use super::{Action, ClaimdeskApp, Focus, theme};
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
pub struct ReaderCache {
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
            Mark::Selection => {
                format.background = theme::selection_outline().gamma_multiply(0.45);
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
        Mark::Selection => 5,
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

/// Focus and selection, drawn over the cached highlights.
fn overlays(app: &ClaimdeskApp, article: &str) -> Vec<Highlight> {
    let mut out = Vec::new();
    match &app.focus {
        Some(Focus::Claim(id)) => {
            if let Some(claim) = app.view.claim(id) {
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
    if let Some((sel_article, span)) = &app.text_selection
        && sel_article == article
    {
        out.push(Highlight {
            span: *span,
            mark: Mark::Selection,
        });
    }
    out
}

pub fn reader_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    egui::CentralPanel::default_margins().show(ui, |ui| {
        let Some(ws) = &app.ws else {
            ui.heading("No project open");
            ui.label("Open a project (Ctrl+O) or a folder of articles (Ctrl+Shift+O).");
            return;
        };
        let Some(article_id) = app.selected_article.clone() else {
            ui.label("Select an article on the left.");
            return;
        };
        if let Some(claimdesk_core::workspace::ArticleState::Missing { path, reason }) = ws.article_state(&article_id) {
            ui.heading(article_id.as_str());
            ui.colored_label(theme::warning_text(), format!("This article's file is missing: {}", path.display()));
            ui.label(reason);
            ui.label("Its annotations are kept and listed on the right; restore the file and reopen the project to see the text.");
            return;
        }
        let Some(article) = ws.article(&article_id).cloned() else {
            return;
        };
        toolbar_ui(app, ui, actions);
        ui.separator();
        header_ui(app, ui, &article, actions);
        if app.settings.show_removed && !article.removed.is_empty() {
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
        text_ui(app, ui, &article, actions);
    });
}

fn toolbar_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        let has_selection = app.text_selection.is_some();
        if ui
            .add_enabled(has_selection, egui::Button::new("Mark as claim"))
            .on_hover_text("Mark the selected text as a claim (C)")
            .clicked()
        {
            actions.push(Action::Command(Command::MarkClaim));
        }
        if ui
            .add_enabled(has_selection, egui::Button::new("Mark as entity"))
            .on_hover_text("Mark the selected text as an entity of the chosen type (E)")
            .clicked()
        {
            actions.push(Action::Command(Command::MarkEntity));
        }
        let mut kind = app.entity_kind;
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
        if kind != app.entity_kind {
            actions.push(Action::SetEntityKind(kind));
        }
        let claim_focused = matches!(app.focus, Some(Focus::Claim(_)));
        if ui
            .add_enabled(
                has_selection && claim_focused,
                egui::Button::new("Add as evidence"),
            )
            .on_hover_text("Attach the selected passage as evidence to the selected claim (V)")
            .clicked()
        {
            actions.push(Action::Command(Command::AddEvidence));
        }
        if let (Some((_, span)), Some(ws)) = (&app.text_selection, &app.ws)
            && let Some(article) = app.selected_article.as_ref().and_then(|a| ws.article(a))
        {
            let preview = quoted(article.slice(*span), 60);
            ui.label(egui::RichText::new(format!("Selected: {preview}")).weak());
        }
    });
    ui.label(
        egui::RichText::new("Shaded sentences and dotted names are automatic suggestions; what you mark and rate always wins.")
            .small()
            .weak(),
    );
}

fn header_ui(
    app: &mut ClaimdeskApp,
    ui: &mut egui::Ui,
    article: &Article,
    actions: &mut Vec<Action>,
) {
    let Some(ws) = &app.ws else {
        return;
    };
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
    if ui
        .small_button("Correct text…")
        .on_hover_text("Fix a typo in the article; annotations move with their text")
        .clicked()
    {
        app.dialogs.correct_text = Some((article.id.clone(), article.text.clone()));
    }
    let Some(ws) = &app.ws else {
        return;
    };
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
                actions.push(Action::from_op(claimdesk_core::ops::set_meta(
                    ws,
                    &article.id,
                    changed.meta,
                )));
            }
        });
}

fn text_ui(
    app: &mut ClaimdeskApp,
    ui: &mut egui::Ui,
    article: &Arc<Article>,
    actions: &mut Vec<Action>,
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
    let cache = &mut app.reader;
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
    }
    let overlays = overlays(app, &article.id);

    let mut scroll = egui::ScrollArea::vertical()
        .id_salt(("reader", &article.id))
        .auto_shrink([false, false]);
    if let Some((target_article, offset)) = app.scroll_to.clone()
        && target_article == article.id
    {
        let cache = &app.reader;
        let line = cache
            .lines
            .partition_point(|l| l.end < offset)
            .min(cache.lines.len().saturating_sub(1));
        let y = cache.tops.get(line).copied().unwrap_or(0.0);
        scroll = scroll.vertical_scroll_offset((y - 80.0).max(0.0));
        app.scroll_to = None;
    }
    let focus_before = app.focus.clone();
    let mut new_selection: Option<Option<Span>> = None;
    let mut clicked_at: Option<usize> = None;
    let mut reader_focused = false;
    let mut jump_to_claim: Option<&EvidenceMark> = None;
    let view = &app.view;
    scroll.show_viewport(ui, |ui, viewport| {
        let cache = &mut app.reader;
        ui.set_height(cache.total_height);
        ui.set_width(width + GUTTER);
        let origin = ui.min_rect().min;
        let text_origin = origin + egui::vec2(GUTTER, 0.0);
        let first = cache
            .tops
            .partition_point(|&t| t + 0.0 < viewport.min.y)
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
            let rect = egui::Rect::from_min_size(
                text_origin + egui::vec2(0.0, top),
                egui::vec2(width, height),
            );
            let mut text: &str = article.slice(line);
            let mut layouter = |_ui: &egui::Ui, _buf: &dyn TextBuffer, _wrap: f32| galley.clone();
            let output = ui
                .scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
                    egui::TextEdit::multiline(&mut text)
                        .id(egui::Id::unique(("line", &article.id, index)))
                        .frame(egui::Frame::NONE)
                        .margin(egui::Margin::ZERO)
                        .desired_rows(1)
                        .desired_width(width)
                        .layouter(&mut layouter)
                        .show(ui)
                })
                .inner;
            let response = &output.response.response;
            reader_focused |= response.has_focus();
            if let Some(range) = output.state.cursor.char_range() {
                let a = range.primary.index.0;
                let b = range.secondary.index.0;
                if response.has_focus() || response.drag_stopped() {
                    if a != b {
                        new_selection = Some(Some(Span::new(
                            line.start + a.min(b),
                            line.start + a.max(b),
                        )));
                    } else if response.clicked() {
                        new_selection = Some(None);
                    }
                }
                if response.clicked() && a == b {
                    clicked_at = Some(line.start + a);
                }
            }
        }
    });
    if let Some(mark) = jump_to_claim
        && let Some((claim_article, offset)) = &mark.claim_at
    {
        actions.push(Action::Focus(Some(Focus::Claim(mark.claim.clone()))));
        actions.push(Action::ScrollTo {
            article: claim_article.clone(),
            offset: *offset,
        });
    }
    app.reader_focused = reader_focused;
    if let Some(selection) = new_selection {
        app.text_selection = selection.map(|span| (article.id.clone(), span));
    }
    if let Some(offset) = clicked_at {
        // Clicking inside a claim or suggestion selects it in the panel.
        let hit = app
            .view
            .claim_at(offset)
            .map(|c| Focus::Claim(c.id.clone()))
            .or_else(|| {
                app.view.suggestion_at(offset).map(|s| Focus::Suggestion {
                    article: article.id.clone(),
                    span: s.span,
                })
            });
        if hit.is_some() && hit != focus_before {
            actions.push(Action::Focus(hit));
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
