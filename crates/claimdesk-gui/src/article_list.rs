//! The article list: every article with its source, date and claim counts, filtered by title,
//! source, date and whether it has claims, sorted by any of them. Built for 10,000 articles:
//! rows are derived once per change to the article set (counts once per claim change), the
//! filter runs only when it changes, and only the rows in view are laid out.

use std::collections::HashMap;

use egui::RichText;

use claimdesk_core::corpus::ArticleId;
use claimdesk_core::workspace::Workspace;

use crate::context::{Action, Actions, InspectorTab, ViewCtx};
use crate::theme;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// The project's own order (by id: file names).
    #[default]
    File,
    Title,
    Source,
    Date,
    Claims,
}

impl SortBy {
    const ALL: [SortBy; 5] = [
        SortBy::File,
        SortBy::Title,
        SortBy::Source,
        SortBy::Date,
        SortBy::Claims,
    ];

    fn label(self) -> &'static str {
        match self {
            SortBy::File => "file name",
            SortBy::Title => "title",
            SortBy::Source => "source",
            SortBy::Date => "date",
            SortBy::Claims => "claims",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HasClaims {
    #[default]
    Any,
    With,
    Without,
    Unrated,
}

impl HasClaims {
    const ALL: [HasClaims; 4] = [
        HasClaims::Any,
        HasClaims::With,
        HasClaims::Without,
        HasClaims::Unrated,
    ];

    fn label(self) -> &'static str {
        match self {
            HasClaims::Any => "any",
            HasClaims::With => "with claims",
            HasClaims::Without => "without claims",
            HasClaims::Unrated => "with unrated claims",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words of the title (any case).
    pub title: String,
    /// "" = any source.
    pub source: String,
    /// `YYYY-MM-DD` bounds, inclusive; a prefix ("2005-03") is a whole month or year.
    pub date_from: String,
    pub date_to: String,
    pub claims: HasClaims,
    pub sort: SortBy,
    pub descending: bool,
}

struct Row {
    id: ArticleId,
    title: String,
    title_lower: String,
    source: Option<String>,
    date: Option<String>,
    missing: bool,
    claims: usize,
    rated: usize,
}

#[derive(Default)]
pub struct ArticleList {
    pub filter: Filter,
    rows: Vec<Row>,
    /// (workspace, article revision, article count) the rows were built from.
    rows_key: Option<(u64, u64, usize)>,
    /// (rows key, claim revision) the counts were taken at.
    counts_key: Option<((u64, u64, usize), u64)>,
    /// Indices of the rows shown, in order.
    shown: Vec<usize>,
    shown_key: Option<((u64, u64, usize), u64, Filter)>,
    /// Distinct sources with their article counts, for the source menu.
    sources: Vec<(String, usize)>,
    focus_filter: bool,
    /// The open article the list last brought into view.
    followed: Option<ArticleId>,
    /// Bring the open article into view on the next frame.
    follow: bool,
    /// Duplicates folded on import and orphans, counted once per change.
    footer: Option<(u64, u64, usize, usize)>,
}

impl ArticleList {
    pub fn focus_filter(&mut self) {
        self.focus_filter = true;
    }

    /// The articles in the order shown (the app steps through them with Ctrl+J / Ctrl+K).
    pub fn order(&self, ws: &Workspace) -> Vec<ArticleId> {
        if self.rows_key.is_none() {
            return ws.article_ids().cloned().collect();
        }
        self.shown
            .iter()
            .map(|&i| self.rows[i].id.clone())
            .collect()
    }

    fn refresh(&mut self, cx: &ViewCtx, ws: &Workspace) {
        let revisions = cx.state.revisions;
        let rows_key = (
            revisions.workspace,
            revisions.articles,
            ws.project().articles.len(),
        );
        if self.rows_key != Some(rows_key) {
            self.rows = ws
                .article_ids()
                .map(|id| {
                    let meta = ws.meta(id);
                    let title = meta.title.unwrap_or_else(|| id.clone());
                    Row {
                        id: id.clone(),
                        title_lower: title.to_lowercase(),
                        title,
                        source: meta.source,
                        date: meta.date,
                        missing: ws.article(id).is_none(),
                        claims: 0,
                        rated: 0,
                    }
                })
                .collect();
            let mut sources: HashMap<&str, usize> = HashMap::new();
            for row in &self.rows {
                if let Some(source) = &row.source {
                    *sources.entry(source.as_str()).or_default() += 1;
                }
            }
            let mut sources: Vec<(String, usize)> = sources
                .into_iter()
                .map(|(s, n)| (s.to_string(), n))
                .collect();
            sources.sort();
            self.sources = sources;
            self.rows_key = Some(rows_key);
            self.follow = true;
        }
        let counts_key = (rows_key, revisions.claims);
        if self.counts_key != Some(counts_key) {
            let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
            for claim in ws.project().claims.values() {
                let entry = counts.entry(claim.article.as_str()).or_default();
                entry.0 += 1;
                entry.1 += usize::from(claim.verdict.is_some());
            }
            for row in &mut self.rows {
                (row.claims, row.rated) = counts.get(row.id.as_str()).copied().unwrap_or_default();
            }
            self.counts_key = Some(counts_key);
        }
        let shown_key = (rows_key, revisions.claims, self.filter.clone());
        if self.shown_key.as_ref() != Some(&shown_key) {
            self.shown = self.filtered();
            self.shown_key = Some(shown_key);
            self.follow = true;
        }
    }

    fn filtered(&self) -> Vec<usize> {
        let f = &self.filter;
        let words: Vec<String> = f
            .title
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let from = f.date_from.trim();
        let to = f.date_to.trim();
        let mut shown: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let row = &self.rows[i];
                words.iter().all(|w| row.title_lower.contains(w.as_str()))
                    && (f.source.is_empty() || row.source.as_deref() == Some(f.source.as_str()))
                    && date_in(row.date.as_deref(), from, to)
                    && match f.claims {
                        HasClaims::Any => true,
                        HasClaims::With => row.claims > 0,
                        HasClaims::Without => row.claims == 0,
                        HasClaims::Unrated => row.rated < row.claims,
                    }
            })
            .collect();
        let rows = &self.rows;
        match f.sort {
            SortBy::File => {}
            SortBy::Title => shown.sort_by(|&a, &b| rows[a].title_lower.cmp(&rows[b].title_lower)),
            // Articles without a source or date go last either way.
            SortBy::Source => shown.sort_by(|&a, &b| {
                (rows[a].source.is_none(), &rows[a].source)
                    .cmp(&(rows[b].source.is_none(), &rows[b].source))
            }),
            SortBy::Date => shown.sort_by(|&a, &b| {
                (rows[a].date.is_none(), &rows[a].date)
                    .cmp(&(rows[b].date.is_none(), &rows[b].date))
            }),
            SortBy::Claims => shown.sort_by(|&a, &b| rows[b].claims.cmp(&rows[a].claims)),
        }
        if f.descending {
            shown.reverse();
        }
        shown
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        egui::Panel::left("articles")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                ui.heading("Articles");
                let Some(ws) = cx.ws else {
                    return;
                };
                self.refresh(cx, ws);
                self.filter_ui(ui);
                ui.label(
                    RichText::new(if self.shown.len() == self.rows.len() {
                        format!("{} articles", self.rows.len())
                    } else {
                        format!(
                            "Showing {} of {} articles",
                            self.shown.len(),
                            self.rows.len()
                        )
                    })
                    .small(),
                );
                self.footer_ui(cx, ws, ui, actions);
                ui.separator();
                self.rows_ui(cx, ui, actions);
            });
    }

    fn filter_ui(&mut self, ui: &mut egui::Ui) {
        let f = &mut self.filter;
        let field = ui
            .horizontal(|ui| {
                let label = ui.label("Title");
                ui.add(
                    egui::TextEdit::singleline(&mut f.title)
                        .hint_text("words of the title (Ctrl+L)")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
            })
            .inner;
        if std::mem::take(&mut self.focus_filter) {
            field.request_focus();
        }
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::new("source-filter", "source")
                .selected_text(if f.source.is_empty() {
                    "any"
                } else {
                    f.source.as_str()
                })
                .truncate()
                .width(110.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.source, String::new(), "any");
                    for (source, n) in &self.sources {
                        ui.selectable_value(
                            &mut f.source,
                            source.clone(),
                            format!("{source} ({n})"),
                        );
                    }
                });
            egui::ComboBox::new("claims-filter", "claims")
                .selected_text(f.claims.label())
                .show_ui(ui, |ui| {
                    for choice in HasClaims::ALL {
                        ui.selectable_value(&mut f.claims, choice, choice.label());
                    }
                });
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("dated");
            ui.add(
                egui::TextEdit::singleline(&mut f.date_from)
                    .hint_text("from")
                    .desired_width(80.0),
            )
            .labelled_by(label.id);
            ui.add(
                egui::TextEdit::singleline(&mut f.date_to)
                    .hint_text("to")
                    .desired_width(80.0),
            );
        });
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::new("article-sort", "sort by")
                .selected_text(f.sort.label())
                .show_ui(ui, |ui| {
                    for sort in SortBy::ALL {
                        ui.selectable_value(&mut f.sort, sort, sort.label());
                    }
                });
            ui.toggle_value(&mut f.descending, "descending");
            if *f != Filter::default() && ui.small_button("Clear filter").clicked() {
                *f = Filter::default();
            }
        });
    }

    fn footer_ui(
        &mut self,
        cx: &ViewCtx,
        ws: &Workspace,
        ui: &mut egui::Ui,
        actions: &mut Actions,
    ) {
        let key = (cx.state.revisions.workspace, cx.state.revisions.project);
        if self.footer.is_none_or(|(w, p, _, _)| (w, p) != key) {
            let duplicates = ws
                .import_report
                .iter()
                .filter(|r| r.duplicate_kind.as_deref() == Some("exact"))
                .count();
            self.footer = Some((key.0, key.1, duplicates, cx.orphans.len()));
        }
        let Some((_, _, duplicates, orphans)) = self.footer else {
            return;
        };
        if duplicates > 0
            && ui
                .link(
                    RichText::new(format!(
                        "{duplicates} exact duplicate file(s) folded on import"
                    ))
                    .small(),
                )
                .on_hover_text("Listed, with their paths, in the import report")
                .clicked()
        {
            actions.push(Action::ShowTab(InspectorTab::Import));
        }
        if orphans > 0
            && ui
                .link(
                    RichText::new(format!(
                        "{orphans} orphaned annotation(s): their text changed"
                    ))
                    .small()
                    .color(theme::warning_text()),
                )
                .clicked()
        {
            actions.push(Action::ShowTab(InspectorTab::Orphans));
        }
    }

    fn rows_ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let open = cx.state.selected_article.clone();
        let body = ui.text_style_height(&egui::TextStyle::Body);
        let small = ui.text_style_height(&egui::TextStyle::Small);
        let spacing = ui.spacing().item_spacing.y;
        let row_height = body + small + 10.0;
        // Keep the open article in view when it changed from elsewhere (Ctrl+J, a search
        // hit, an undo) or the list changed under it.
        if open != self.followed {
            self.follow = true;
        }
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("article-list")
            .auto_shrink([false, false]);
        if std::mem::take(&mut self.follow)
            && let Some(open) = &open
            && let Some(index) = self.shown.iter().position(|&i| self.rows[i].id == *open)
        {
            let top = index as f32 * (row_height + spacing);
            let view = ui.available_height();
            let current = ui
                .ctx()
                .data(|d| d.get_temp::<f32>(egui::Id::unique("article-list offset")))
                .unwrap_or(0.0);
            if top < current || top + row_height > current + view {
                // Within the scrollable range: past its end the list would spring back.
                let most = (self.shown.len() as f32 * (row_height + spacing) - view).max(0.0);
                scroll = scroll.vertical_scroll_offset((top - view / 3.0).clamp(0.0, most));
            }
        }
        self.followed = open.clone();
        let output = scroll.show_rows(ui, row_height, self.shown.len(), |ui, range| {
            for &i in &self.shown[range] {
                let row = &self.rows[i];
                let selected = open.as_deref() == Some(row.id.as_str());
                let (rect, response) = ui.allocate_exact_size(
                    egui::vec2(ui.available_width(), row_height),
                    egui::Sense::click(),
                );
                let response = response.on_hover_text(&row.id);
                response.widget_info(|| {
                    egui::WidgetInfo::selected(egui::Role::Button, true, selected, &row.title)
                });
                if ui.is_rect_visible(rect) {
                    let visuals = ui.style().interact_selectable(&response, selected);
                    if selected || response.hovered() {
                        ui.painter()
                            .rect_filled(rect, visuals.corner_radius, visuals.weak_bg_fill);
                    }
                    let text = rect.shrink2(egui::vec2(4.0, 3.0));
                    let title = egui::WidgetText::from(RichText::new(&row.title).strong())
                        .into_galley(
                            ui,
                            Some(egui::TextWrapMode::Truncate),
                            text.width(),
                            egui::TextStyle::Body,
                        );
                    ui.painter().galley(text.min, title, visuals.text_color());
                    let mut sub: Vec<String> = Vec::new();
                    sub.push(row.source.clone().unwrap_or_else(|| "no source".into()));
                    sub.push(row.date.clone().unwrap_or_else(|| "no date".into()));
                    sub.push(match (row.claims, row.rated) {
                        (0, _) => "no claims".into(),
                        (n, r) => format!("{n} claim(s), {r} rated"),
                    });
                    if row.missing {
                        sub.push("file missing".into());
                    }
                    let color = if row.missing {
                        theme::warning_text()
                    } else {
                        ui.visuals().weak_text_color()
                    };
                    let sub = egui::WidgetText::from(RichText::new(sub.join(" · ")).small())
                        .into_galley(
                            ui,
                            Some(egui::TextWrapMode::Truncate),
                            text.width(),
                            egui::TextStyle::Small,
                        );
                    ui.painter()
                        .galley(text.min + egui::vec2(0.0, body + 2.0), sub, color);
                }
                if response.clicked() {
                    actions.push(Action::SelectArticle(row.id.clone()));
                    // The analyst sees the row: no need to scroll to it.
                    self.followed = Some(row.id.clone());
                }
                if let Some(open) = open.as_ref().filter(|o| **o != row.id) {
                    response.context_menu(|ui| {
                        if ui.button("Compare with the open article").clicked() {
                            actions.push(Action::CompareArticles {
                                left: open.clone(),
                                right: row.id.clone(),
                            });
                            ui.close();
                        }
                    });
                }
            }
        });
        ui.ctx().data_mut(|d| {
            d.insert_temp(
                egui::Id::unique("article-list offset"),
                output.state.clamped_offset().y,
            )
        });
        if self.shown.is_empty() && !self.rows.is_empty() {
            ui.label(RichText::new("No article matches the filter.").weak());
        }
    }
}

/// Whether an ISO date lies within `from`..=`to`; a bound may be a prefix (a year, a month).
fn date_in(date: Option<&str>, from: &str, to: &str) -> bool {
    if from.is_empty() && to.is_empty() {
        return true;
    }
    let Some(date) = date else {
        return false;
    };
    (from.is_empty() || date >= from) && (to.is_empty() || date <= to || date.starts_with(to))
}

#[cfg(test)]
mod tests {
    use super::date_in;

    #[test]
    fn a_date_bound_may_be_a_year_or_a_month() {
        assert!(date_in(Some("2005-03-12"), "2005", "2005"));
        assert!(date_in(Some("2005-03-12"), "2005-03", "2005-03"));
        assert!(!date_in(Some("2005-04-01"), "", "2005-03"));
        assert!(!date_in(Some("2004-12-31"), "2005", ""));
        assert!(!date_in(None, "2005", ""));
        assert!(date_in(None, "", ""));
    }
}
