//! Project-wide tabs of the inspector: all claims with filters, the entity registry (merge,
//! split, rename, retype; the claims each entity made), orphans and the import report (with
//! the duplicates folded on import).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use egui::RichText;

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::corpus::{ImportReport, ImportStatus};
use claimdesk_core::ops;
use claimdesk_core::project::{Entity, EvidenceSource, Id, Project};
use claimdesk_core::workspace::Workspace;

use crate::article_view::quoted;
use crate::context::{Action, Actions, Focus, InspectorTab, ViewCtx};
use crate::theme;

/// What an import did, counted from its report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: usize,
    /// Files with the same text as one imported before them: not imported again.
    pub exact: usize,
    /// Imported, but flagged as nearly the same as another.
    pub near: usize,
    pub skipped: usize,
}

impl ImportSummary {
    pub fn of(report: &[ImportReport]) -> Self {
        let mut summary = Self::default();
        for row in report {
            match (&row.status, row.duplicate_kind.as_deref()) {
                (ImportStatus::Skipped, _) => summary.skipped += 1,
                (_, Some("exact")) => summary.exact += 1,
                (_, Some("near")) => {
                    summary.near += 1;
                    summary.imported += 1;
                }
                _ => summary.imported += 1,
            }
        }
        summary
    }
}

pub fn tabs_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
    let orphans = cx.orphans.len();
    let report = cx
        .ws
        .map(|ws| ImportSummary::of(&ws.import_report))
        .unwrap_or_default();
    let import = if report.exact + report.skipped + report.near == 0 {
        "Import report".to_string()
    } else {
        format!(
            "Import report ({} folded, {} skipped)",
            report.exact, report.skipped
        )
    };
    ui.horizontal_wrapped(|ui| {
        for (tab, title) in [
            (InspectorTab::Article, "This article".to_string()),
            (InspectorTab::AllClaims, "All claims".to_string()),
            (InspectorTab::Entities, "Entity registry".to_string()),
            (InspectorTab::Across, "Across articles".to_string()),
            (InspectorTab::Orphans, format!("Orphans ({orphans})")),
            (InspectorTab::Import, import),
        ] {
            if ui.selectable_label(cx.state.tab == tab, title).clicked() {
                actions.push(Action::ShowTab(tab));
            }
        }
    });
    ui.separator();
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimFilter {
    /// "" = any, "unrated", or a verdict label.
    pub verdict: String,
    pub claimant: String,
    /// "" = any article.
    pub article: String,
    pub sort_by_verdict: bool,
}

/// The All claims tab's own state.
#[derive(Default)]
pub struct AllClaims {
    pub filter: ClaimFilter,
}

/// Rows the All claims tab lays out at most.
const ALL_CLAIMS_ROWS: usize = 500;

impl AllClaims {
    /// Every claim of the project, filtered and sorted.
    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(ws) = cx.ws else {
            return;
        };
        let project = ws.project();
        let filter = &mut self.filter;
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::new("verdict-filter", "verdict")
                .selected_text(if filter.verdict.is_empty() {
                    "any".to_string()
                } else {
                    filter.verdict.clone()
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filter.verdict, String::new(), "any");
                    ui.selectable_value(&mut filter.verdict, "unrated".to_string(), "unrated");
                    for rating in &project.rating_scale {
                        ui.selectable_value(
                            &mut filter.verdict,
                            rating.label.clone(),
                            &rating.label,
                        );
                    }
                });
            // Only articles with claims: a list of 10,000 titles would be no help here.
            let with_claims: BTreeSet<&str> = project
                .claims
                .values()
                .map(|c| c.article.as_str())
                .collect();
            egui::ComboBox::new("article-filter", "article")
                .selected_text(if filter.article.is_empty() {
                    "any".to_string()
                } else {
                    ws.title(&filter.article)
                })
                .truncate()
                .width(160.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filter.article, String::new(), "any");
                    for id in with_claims {
                        ui.selectable_value(&mut filter.article, id.to_string(), ws.title(id));
                    }
                });
            ui.add(
                egui::TextEdit::singleline(&mut filter.claimant)
                    .hint_text("claimant")
                    .desired_width(120.0),
            );
            ui.checkbox(&mut filter.sort_by_verdict, "sort by verdict");
        });
        let claimant = filter.claimant.to_lowercase();
        let mut rows: Vec<(&Id, &claimdesk_core::project::Claim)> = project
            .claims
            .iter()
            .filter(|(_, c)| filter.article.is_empty() || c.article == filter.article)
            .filter(|(_, c)| match filter.verdict.as_str() {
                "" => true,
                "unrated" => c.verdict.is_none(),
                v => c.verdict.as_deref() == Some(v),
            })
            .filter(|(_, c)| {
                claimant.is_empty()
                    || c.claimant
                        .as_deref()
                        .is_some_and(|n| n.to_lowercase().contains(&claimant))
            })
            .collect();
        let position = |c: &claimdesk_core::project::Claim| {
            c.verdict
                .as_deref()
                .and_then(|v| project.rating_scale.iter().position(|r| r.label == v))
                .unwrap_or(usize::MAX)
        };
        if filter.sort_by_verdict {
            rows.sort_by_key(|(id, c)| (position(c), c.article.as_str(), c.anchor.start, *id));
        } else {
            rows.sort_by_key(|(id, c)| (c.article.as_str(), c.anchor.start, *id));
        }
        ui.label(RichText::new(format!("{} claim(s)", rows.len())).small());
        let shown = rows.len().min(ALL_CLAIMS_ROWS);
        if shown < rows.len() {
            ui.label(
                RichText::new(format!(
                    "showing the first {shown}: filter by verdict, article or claimant to see the rest"
                ))
                .small()
                .weak(),
            );
        }
        egui::ScrollArea::vertical()
            .id_salt("all-claims")
            .show(ui, |ui| {
                // Laying out thousands of rows every frame would stall the window.
                for (id, claim) in rows.into_iter().take(ALL_CLAIMS_ROWS) {
                    claim_row_ui(cx, ws, ui, actions, id, claim, true);
                }
            });
    }
}

/// One claim in a list: verdict, article, claimant, the quote to click.
fn claim_row_ui(
    cx: &ViewCtx,
    ws: &Workspace,
    ui: &mut egui::Ui,
    actions: &mut Actions,
    id: &Id,
    claim: &claimdesk_core::project::Claim,
    show_claimant: bool,
) {
    let project = ws.project();
    let focused = cx.state.focus == Some(Focus::Claim(id.clone()));
    let verdict = claim.verdict.clone().unwrap_or_else(|| "unrated".into());
    let color = claim.verdict.as_ref().and_then(|v| {
        project
            .rating_scale
            .iter()
            .position(|r| &r.label == v)
            .map(|p| theme::verdict_color(p, project.rating_scale.len()))
    });
    ui.horizontal_wrapped(|ui| {
        let chip = RichText::new(verdict).small().strong();
        match color {
            Some(c) => ui.colored_label(c, chip),
            None => ui.label(chip.weak()),
        };
        ui.label(RichText::new(ws.title(&claim.article)).small().weak());
        if show_claimant && let Some(c) = &claim.claimant {
            ui.label(RichText::new(c).small());
        }
    });
    if ui
        .add(egui::Button::selectable(focused, quoted(&claim.anchor.quote, 120)).wrap())
        .clicked()
    {
        actions.push(Action::Focus(Some(Focus::Claim(id.clone()))));
        actions.push(Action::ScrollTo {
            article: claim.article.clone(),
            offset: claim.anchor.start,
        });
    }
}

/// Mentions of each entity per article.
fn mention_counts(project: &Project) -> BTreeMap<&Id, BTreeMap<&str, usize>> {
    let mut counts: BTreeMap<&Id, BTreeMap<&str, usize>> = BTreeMap::new();
    for mention in project.mentions.values() {
        *counts
            .entry(&mention.entity)
            .or_default()
            .entry(mention.article.as_str())
            .or_default() += 1;
    }
    counts
}

/// What an entity row carries while it is dragged onto another to merge.
struct DraggedEntity(Id);

/// Drag-and-drop merging: a dragged name dropped on another entity's row becomes one of its
/// aliases, with its mentions moved over (one undo step, as with Merge selected).
fn drag_to_merge(
    ui: &egui::Ui,
    response: &egui::Response,
    ws: &Workspace,
    id: &Id,
    entity: &Entity,
    actions: &mut Actions,
) -> bool {
    let project = ws.project();
    response.dnd_set_drag_payload(DraggedEntity(id.clone()));
    if response.dragged() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
    }
    let hovering = response
        .dnd_hover_payload::<DraggedEntity>()
        .filter(|dragged| dragged.0 != *id);
    if let Some(dragged) = &hovering {
        let dragged_name = project
            .entities
            .get(&dragged.0)
            .map_or("", |e| e.name.as_str());
        ui.painter().rect_stroke(
            response.rect.expand(2.0),
            3.0,
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color),
            egui::StrokeKind::Outside,
        );
        if let Some(pointer) = ui.ctx().pointer_latest_pos() {
            // A tooltip-like label beside the pointer says what the drop will do.
            let layer =
                egui::LayerId::new(egui::Order::Tooltip, egui::Id::unique("entity drop hint"));
            let painter = ui.ctx().layer_painter(layer);
            let galley = painter.layout_no_wrap(
                format!("merge “{dragged_name}” into “{}”", entity.name),
                egui::TextStyle::Body.resolve(ui.style()),
                ui.visuals().strong_text_color(),
            );
            let at = pointer + egui::vec2(16.0, -galley.size().y / 2.0);
            let frame = egui::Rect::from_min_size(at, galley.size()).expand(4.0);
            painter.rect(
                frame,
                4.0,
                ui.visuals().window_fill,
                ui.visuals().window_stroke,
                egui::StrokeKind::Outside,
            );
            painter.galley(at, galley, ui.visuals().strong_text_color());
        }
    }
    let Some(dropped) = response.dnd_release_payload::<DraggedEntity>() else {
        return false;
    };
    if dropped.0 == *id {
        return false;
    }
    actions.op(ops::merge_entities(
        ws,
        id,
        std::slice::from_ref(&dropped.0),
    ));
    true
}

/// The registry tab's own state.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    /// Entities ticked for merging, in the order they were ticked.
    pub selected: Vec<Id>,
    /// The one whose name the merge keeps (the first ticked unless the analyst chose).
    pub keep: Option<Id>,
    pub open: Option<Id>,
    pub rename: String,
    pub filter: String,
}

impl Registry {
    fn keeper(&self) -> Option<&Id> {
        self.keep
            .as_ref()
            .filter(|k| self.selected.contains(k))
            .or_else(|| self.selected.first())
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(ws) = cx.ws else {
            return;
        };
        let project = ws.project();
        self.selected.retain(|id| project.entities.contains_key(id));
        let counts = mention_counts(project);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Filter");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("a name or alias")
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
            ui.label(
                RichText::new("Tick two or more to merge, or drag one name onto another.")
                    .small()
                    .weak(),
            );
        });
        if self.selected.len() >= 2
            && let Some(keep) = self.keeper().cloned()
        {
            let name = |id: &Id| {
                project
                    .entities
                    .get(id)
                    .map_or_else(String::new, |e| e.name.clone())
            };
            ui.horizontal_wrapped(|ui| {
                let mut chosen = keep.clone();
                let label = ui.label("Keep the name");
                egui::ComboBox::new("merge-keep", "")
                    .selected_text(name(&chosen))
                    .show_ui(ui, |ui| {
                        for id in &self.selected {
                            ui.selectable_value(&mut chosen, id.clone(), name(id));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if chosen != keep {
                    self.keep = Some(chosen.clone());
                }
                let others: Vec<Id> = self
                    .selected
                    .iter()
                    .filter(|id| **id != chosen)
                    .cloned()
                    .collect();
                if ui
                    .button(format!(
                        "Merge {} selected into “{}”",
                        self.selected.len(),
                        name(&chosen)
                    ))
                    .on_hover_text("The kept name stays canonical; the others become its aliases, with their mentions (one undo step)")
                    .clicked()
                {
                    actions.op(ops::merge_entities(ws, &chosen, &others));
                    self.selected.clear();
                    self.keep = None;
                    self.rename = name(&chosen);
                    self.open = Some(chosen);
                }
            });
        }
        let filter = self.filter.to_lowercase();
        let mut entities: Vec<(&Id, &Entity)> = project
            .entities
            .iter()
            .filter(|(_, e)| {
                filter.is_empty()
                    || e.surface_forms()
                        .any(|f| f.to_lowercase().contains(&filter))
            })
            .collect();
        entities.sort_by_key(|(_, e)| (e.kind, e.name.to_lowercase()));
        if entities.is_empty() {
            ui.label(RichText::new("No entities in the registry yet: mark a name in the text (E), or confirm a suggested one with Confirm beside it in the This article tab (N on a selected name).").weak());
        }
        let keeper = self.keeper().cloned();
        egui::ScrollArea::vertical()
            .id_salt("registry")
            .show(ui, |ui| {
                for (id, entity) in entities {
                    let total: usize = counts.get(id).map_or(0, |c| c.values().sum());
                    ui.horizontal_wrapped(|ui| {
                        let mut checked = self.selected.contains(id);
                        let response = ui.add(egui::Checkbox::without_text(&mut checked));
                        // No visible text beside the box; screen readers and tests still get a name.
                        let name = format!("select {} for merging", entity.name);
                        response.widget_info(|| {
                            egui::WidgetInfo::selected(egui::Role::CheckBox, true, checked, &name)
                        });
                        if response.on_hover_text("select for merging").changed() {
                            if checked {
                                self.selected.push(id.clone());
                            } else {
                                self.selected.retain(|s| s != id);
                            }
                        }
                        ui.colored_label(
                            theme::entity_color(entity.kind),
                            RichText::new(entity.kind.label()).small(),
                        );
                        let open = self.open.as_ref() == Some(id);
                        let response = ui
                            .add(
                                egui::Button::selectable(open, format!("{} ({total})", entity.name))
                                    .sense(egui::Sense::click_and_drag()),
                            )
                            .on_hover_text("Click for mentions, claims, rename, retype, split; drag onto another name to merge into it");
                        if response.clicked() {
                            self.open = if open { None } else { Some(id.clone()) };
                            self.rename = entity.name.clone();
                        }
                        if drag_to_merge(ui, &response, ws, id, entity, actions) {
                            self.selected.clear();
                        }
                        if self.selected.len() >= 2 && keeper.as_ref() == Some(id) {
                            ui.label(RichText::new("keeps its name").small().strong());
                        }
                        if !entity.aliases.is_empty() {
                            ui.label(
                                RichText::new(format!("also: {}", entity.aliases.join(", ")))
                                    .small()
                                    .weak(),
                            );
                        }
                    });
                    if self.open.as_ref() == Some(id) {
                        self.entity_page_ui(cx, ws, ui, actions, id, entity, counts.get(id));
                    }
                }
            });
    }

    #[allow(clippy::too_many_arguments)]
    fn entity_page_ui(
        &mut self,
        cx: &ViewCtx,
        ws: &Workspace,
        ui: &mut egui::Ui,
        actions: &mut Actions,
        id: &Id,
        entity: &Entity,
        per_article: Option<&BTreeMap<&str, usize>>,
    ) {
        let project = ws.project();
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("Name");
                ui.add(egui::TextEdit::singleline(&mut self.rename).desired_width(200.0))
                    .labelled_by(label.id);
                if ui.button("Rename").clicked() && !self.rename.trim().is_empty() {
                    actions.op(ops::rename_entity(ws, id, &self.rename, true));
                }
                let mut kind = entity.kind;
                egui::ComboBox::new(("retype", id), "type")
                    .selected_text(kind.label())
                    .show_ui(ui, |ui| {
                        for k in EntityKind::ALL {
                            ui.selectable_value(&mut kind, k, k.label());
                        }
                    });
                if kind != entity.kind {
                    actions.op(ops::retype_entity(ws, id, kind));
                }
            });
            for alias in &entity.aliases {
                ui.horizontal(|ui| {
                    ui.label(alias);
                    if ui
                        .small_button("Split off")
                        .on_hover_text("Make this spelling its own entity, with its mentions")
                        .clicked()
                    {
                        actions.op(ops::split_alias(ws, id, alias));
                    }
                });
            }
            // The claims it made: claims whose claimant names it (by name or alias).
            let made: Vec<(&Id, &claimdesk_core::project::Claim)> = project
                .claims
                .iter()
                .filter(|(_, c)| {
                    c.claimant
                        .as_deref()
                        .and_then(|n| claimant_entity(project, n))
                        .is_some_and(|(e, _)| e == id)
                })
                .collect();
            ui.label(RichText::new(format!("Claims made ({})", made.len())).strong());
            if made.is_empty() {
                ui.label(
                    RichText::new(
                        "None: a claim is linked when its claimant is this name or an alias.",
                    )
                    .small()
                    .weak(),
                );
            }
            for (claim_id, claim) in made.into_iter().take(100) {
                claim_row_ui(cx, ws, ui, actions, claim_id, claim, false);
            }
            ui.label(RichText::new("Mentions").strong());
            // Mentions grouped by article, each group headed by its count.
            let mut mentions: Vec<_> = project
                .mentions
                .values()
                .filter(|m| &m.entity == id)
                .collect();
            mentions.sort_by_key(|m| (m.article.as_str(), m.anchor.start));
            let mut shown_article: Option<&str> = None;
            for mention in mentions.iter().take(200) {
                if shown_article != Some(mention.article.as_str()) {
                    shown_article = Some(mention.article.as_str());
                    let n = per_article
                        .and_then(|c| c.get(mention.article.as_str()))
                        .copied()
                        .unwrap_or(0);
                    ui.label(
                        RichText::new(format!(
                            "{} — {n} mention{}",
                            ws.title(&mention.article),
                            if n == 1 { "" } else { "s" }
                        ))
                        .small()
                        .strong(),
                    );
                }
                // The words around a name tell its mentions apart.
                let anchor = &mention.anchor;
                let before: String = {
                    let tail: Vec<char> = anchor.prefix.chars().rev().take(28).collect();
                    tail.into_iter().rev().collect()
                };
                let after: String = anchor.suffix.chars().take(28).collect();
                let in_context = format!("…{before}[{}]{after}…", anchor.quote).replace('\n', " ");
                if ui.link(in_context).clicked() {
                    actions.push(Action::SelectText {
                        article: mention.article.clone(),
                        span: mention.anchor.span(),
                    });
                }
            }
            if mentions.is_empty() && ui.button("Remove entity").clicked() {
                actions.op(ops::remove_entity(ws, id));
            }
        });
    }
}

/// Annotations whose text could not be found after their article changed on disk.
pub fn orphans_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
    let Some(ws) = cx.ws else {
        return;
    };
    if cx.orphans.is_empty() {
        ui.label(RichText::new("No orphans: every annotation was found in its article.").weak());
        return;
    }
    ui.label("These annotations lost their place when the article changed. Select the right text in the article and press “Re-attach here”.");
    let project = ws.project();
    let selection = cx.state.selection.as_ref();
    egui::ScrollArea::vertical()
        .id_salt("orphans")
        .show(ui, |ui| {
            for id in cx.orphans.iter().take(500) {
                let (what, article, quote, note) = if let Some(c) = project.claims.get(id) {
                    (
                        "claim",
                        c.article.as_str(),
                        c.anchor.quote.as_str(),
                        c.note.as_str(),
                    )
                } else if let Some(m) = project.mentions.get(id) {
                    ("mention", m.article.as_str(), m.anchor.quote.as_str(), "")
                } else if let Some(e) = project.evidence.get(id) {
                    match &e.source {
                        EvidenceSource::Passage { article, anchor } => (
                            "evidence",
                            article.as_str(),
                            anchor.quote.as_str(),
                            e.note.as_str(),
                        ),
                        EvidenceSource::Url { .. } => continue,
                    }
                } else {
                    continue;
                };
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.label(
                        RichText::new(format!("{what} in {}", ws.title(article)))
                            .small()
                            .weak(),
                    );
                    ui.label(quoted(quote, usize::MAX));
                    if !note.is_empty() {
                        ui.label(RichText::new(note).small());
                    }
                    let placed = selection.filter(|s| s.article == article);
                    if ui
                        .add_enabled(placed.is_some(), egui::Button::new("Re-attach here"))
                        .on_disabled_hover_text("Select the text in the same article first")
                        .clicked()
                        && let Some(selection) = placed
                    {
                        actions.op(ops::reattach(ws, id, selection.snapped));
                    }
                });
            }
        });
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReportRows {
    #[default]
    All,
    Duplicates,
    Skipped,
}

/// The import report tab's own state.
#[derive(Default)]
pub struct ImportReportPanel {
    pub rows: ReportRows,
    /// Report row indices shown, for (workspace, report length, filter).
    shown: Vec<usize>,
    shown_key: Option<(u64, usize, ReportRows)>,
    /// Where each imported file became an article: its path as the report writes it → id.
    by_path: HashMap<String, String>,
    by_path_key: Option<(u64, u64)>,
}

impl ImportReportPanel {
    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(ws) = cx.ws else {
            return;
        };
        if ws.import_report.is_empty() {
            ui.label(RichText::new("This project was opened from a project file; drop files or folders on the window to import more.").weak());
            return;
        }
        let summary = ImportSummary::of(&ws.import_report);
        ui.label(format!(
            "{} file(s) read: {} imported, {} exact duplicate(s) folded into the article they repeat, {} near duplicate(s) imported and flagged, {} skipped.",
            ws.import_report.len(),
            summary.imported,
            summary.exact,
            summary.near,
            summary.skipped
        ));
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut self.rows, ReportRows::All, "every file");
            ui.selectable_value(
                &mut self.rows,
                ReportRows::Duplicates,
                format!("duplicates ({})", summary.exact + summary.near),
            );
            ui.selectable_value(
                &mut self.rows,
                ReportRows::Skipped,
                format!("skipped ({})", summary.skipped),
            );
        });
        let key = (
            cx.state.revisions.workspace,
            ws.import_report.len(),
            self.rows,
        );
        if self.shown_key != Some(key) {
            self.shown = ws
                .import_report
                .iter()
                .enumerate()
                .filter(|(_, r)| match self.rows {
                    ReportRows::All => true,
                    ReportRows::Duplicates => r.duplicate_of.is_some(),
                    ReportRows::Skipped => r.status == ImportStatus::Skipped,
                })
                .map(|(i, _)| i)
                .collect();
            self.shown_key = Some(key);
        }
        let articles_key = (cx.state.revisions.workspace, cx.state.revisions.articles);
        if self.by_path_key != Some(articles_key) {
            self.by_path = ws
                .loaded_articles()
                .map(|a| (a.path.display().to_string(), a.id.clone()))
                .collect();
            self.by_path_key = Some(articles_key);
        }
        ui.separator();
        let height = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 8.0;
        egui::ScrollArea::vertical()
            .id_salt("import-report")
            .auto_shrink([false, false])
            .show_rows(ui, height, self.shown.len(), |ui, range| {
                for &i in &self.shown[range] {
                    let row = &ws.import_report[i];
                    ui.allocate_ui(egui::vec2(ui.available_width(), height), |ui| {
                        ui.set_min_height(height);
                        report_row_ui(ui, row, &self.by_path, actions);
                    });
                }
            });
    }
}

/// A path as a link that is cut short rather than wrapped (a row has one line for it).
fn link_label(text: &str) -> egui::Label {
    egui::Label::new(RichText::new(text).small().underline())
        .truncate()
        .sense(egui::Sense::click())
}

fn report_row_ui(
    ui: &mut egui::Ui,
    row: &ImportReport,
    by_path: &HashMap<String, String>,
    actions: &mut Actions,
) {
    ui.horizontal(|ui| {
        let (status, color) = match (&row.status, row.duplicate_kind.as_deref()) {
            (ImportStatus::Skipped, _) => ("skipped".to_string(), Some(theme::warning_text())),
            (_, Some("exact")) => ("exact duplicate, folded".to_string(), None),
            (_, Some("near")) => (
                format!(
                    "near duplicate ({:.0}% alike), imported",
                    row.similarity.unwrap_or(0.0) * 100.0
                ),
                None,
            ),
            _ => ("imported".to_string(), None),
        };
        let chip = RichText::new(status).small().strong();
        match color {
            Some(c) => ui.colored_label(c, chip),
            None => ui.label(chip),
        };
        // A file the analyst can open with the desktop's own viewer, or copy the path of.
        let path = std::path::Path::new(&row.path);
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let link = ui
            .add(link_label(&row.path))
            .on_hover_text("Open this file with the desktop's viewer");
        if link.clicked() {
            ui.ctx().open_url(egui::OpenUrl::new_tab(format!(
                "file://{}",
                absolute.display()
            )));
        }
        if ui.small_button("Copy path").clicked() {
            ui.ctx().copy_text(absolute.display().to_string());
        }
        if let Some(id) = by_path.get(&row.path)
            && ui.small_button("Open article").clicked()
        {
            actions.push(Action::SelectArticle(id.clone()));
        }
    });
    ui.horizontal(|ui| {
        if let Some(reason) = &row.reason {
            ui.add(egui::Label::new(RichText::new(reason).small()).truncate());
        }
        if let Some(original) = &row.duplicate_of {
            ui.label(RichText::new("same text as").small().weak());
            match by_path.get(original) {
                Some(id) => {
                    if ui
                        .add(link_label(original))
                        .on_hover_text("Open the article it repeats")
                        .clicked()
                    {
                        actions.push(Action::SelectArticle(id.clone()));
                    }
                }
                None => {
                    ui.add(egui::Label::new(RichText::new(original).small()).truncate());
                }
            }
        }
    });
}

/// People and organisations of the registry whose name or an alias contains `typed`, names
/// starting with it first.
pub fn registry_people<'p>(project: &'p Project, typed: &str) -> Vec<(&'p Id, &'p str)> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(bool, &Id, &str)> = project
        .entities
        .iter()
        .filter(|(_, e)| {
            matches!(
                e.kind,
                EntityKind::Person | EntityKind::Org | EntityKind::Norp
            )
        })
        .filter_map(|(id, e)| {
            let forms: Vec<String> = e.surface_forms().map(str::to_lowercase).collect();
            let starts = forms.iter().any(|f| {
                f.starts_with(&typed) || f.split_whitespace().any(|w| w.starts_with(&typed))
            });
            (starts || forms.iter().any(|f| f.contains(&typed))).then_some((
                !starts,
                id,
                e.name.as_str(),
            ))
        })
        .collect();
    found.sort_by_key(|(later, _, name)| (*later, name.to_lowercase()));
    found
        .into_iter()
        .map(|(_, id, name)| (id, name))
        .take(6)
        .collect()
}

/// The registry entity a claimant names (by name or alias, any case): the claim's derived
/// link to who made it.
pub fn claimant_entity<'p>(
    project: &'p Project,
    claimant: &str,
) -> Option<(&'p Id, &'p claimdesk_core::project::Entity)> {
    let claimant = claimant.trim();
    (!claimant.is_empty())
        .then(|| project.entity_named(claimant))
        .flatten()
}
