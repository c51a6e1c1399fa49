//! Project-wide panels of the inspector: all claims with filters, the entity registry (merge,
//! split, rename, retype), orphans and the import report.

use std::collections::{BTreeMap, BTreeSet};

use egui::RichText;

use super::article_view::quoted;
use super::{Action, ClaimdeskApp, Focus, theme};
use claimdesk_core::analysis::EntityKind;
use claimdesk_core::ops;
use claimdesk_core::project::{Entity, EvidenceSource, Id, Project};
use claimdesk_core::workspace::Workspace;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InspectorTab {
    #[default]
    Article,
    AllClaims,
    Entities,
    Across,
    Orphans,
    Import,
}

#[derive(Clone, Debug, Default)]
pub struct ClaimFilter {
    /// "" = any, "unrated", or a verdict label.
    pub verdict: String,
    pub claimant: String,
    /// "" = any article.
    pub article: String,
    pub sort_by_verdict: bool,
}

#[derive(Clone, Debug, Default)]
pub struct RegistryState {
    /// Entities ticked for merging, in the order they were ticked: the first keeps its name.
    pub selected: Vec<Id>,
    pub open: Option<Id>,
    pub rename: String,
    pub filter: String,
}

pub fn tabs_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui) {
    let orphans = app.ws.as_ref().map_or(0, |ws| ws.orphans().len());
    let skipped = app.ws.as_ref().map_or(0, |ws| {
        ws.import_report
            .iter()
            .filter(|r| r.status == claimdesk_core::corpus::ImportStatus::Skipped)
            .count()
    });
    ui.horizontal_wrapped(|ui| {
        ui.selectable_value(
            &mut app.inspector_tab,
            InspectorTab::Article,
            "This article",
        );
        ui.selectable_value(
            &mut app.inspector_tab,
            InspectorTab::AllClaims,
            "All claims",
        );
        ui.selectable_value(
            &mut app.inspector_tab,
            InspectorTab::Entities,
            "Entity registry",
        );
        ui.selectable_value(
            &mut app.inspector_tab,
            InspectorTab::Across,
            "Across articles",
        );
        ui.selectable_value(
            &mut app.inspector_tab,
            InspectorTab::Orphans,
            format!("Orphans ({orphans})"),
        );
        ui.selectable_value(
            &mut app.inspector_tab,
            InspectorTab::Import,
            format!("Import report ({skipped} skipped)"),
        );
    });
    ui.separator();
}

/// Rows the All claims tab lays out at most.
const ALL_CLAIMS_ROWS: usize = 500;

/// Every claim of the project, filtered and sorted.
pub fn all_claims_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    let Some(ws) = &app.ws else {
        return;
    };
    let project = ws.project();
    let filter = &mut app.claim_filter;
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
                    ui.selectable_value(&mut filter.verdict, rating.label.clone(), &rating.label);
                }
            });
        egui::ComboBox::new("article-filter", "article")
            .selected_text(if filter.article.is_empty() {
                "any".to_string()
            } else {
                ws.title(&filter.article)
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.article, String::new(), "any");
                for id in ws.article_ids() {
                    ui.selectable_value(&mut filter.article, id.clone(), ws.title(id));
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
        rows.sort_by_key(|(id, c)| {
            (
                position(c),
                c.article.clone(),
                c.anchor.start,
                (*id).clone(),
            )
        });
    } else {
        rows.sort_by_key(|(id, c)| (c.article.clone(), c.anchor.start, (*id).clone()));
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
                let focused = app.focus == Some(Focus::Claim(id.clone()));
                let verdict = claim.verdict.clone().unwrap_or_else(|| "unrated".into());
                let color = claim
                    .verdict
                    .as_ref()
                    .map(|_| theme::verdict_color(position(claim), project.rating_scale.len()));
                ui.horizontal_wrapped(|ui| {
                    let chip = RichText::new(verdict).small().strong();
                    match color {
                        Some(c) => ui.colored_label(c, chip),
                        None => ui.label(chip.weak()),
                    };
                    ui.label(RichText::new(ws.title(&claim.article)).small().weak());
                    if let Some(c) = &claim.claimant {
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
        });
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
) -> Option<Action> {
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
    let dropped = response.dnd_release_payload::<DraggedEntity>()?;
    if dropped.0 == *id {
        return None;
    }
    Some(Action::from_op(ops::merge_entities(
        ws,
        id,
        std::slice::from_ref(&dropped.0),
    )))
}

pub fn registry_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    let Some(ws) = &app.ws else {
        return;
    };
    let project = ws.project();
    let counts = mention_counts(project);
    let state = &mut app.registry;
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .hint_text("filter")
                .desired_width(160.0),
        );
        let enough = state.selected.len() >= 2;
        if ui
            .add_enabled(
                enough,
                egui::Button::new(format!("Merge {} selected", state.selected.len())),
            )
            .on_hover_text("The first one ticked keeps its name; the others become its aliases. Or drag one name onto another.")
            .clicked()
        {
            let ids: Vec<Id> = state.selected.clone();
            actions.push(Action::from_op(ops::merge_entities(ws, &ids[0], &ids[1..])));
            state.selected.clear();
        }
    });
    let filter = state.filter.to_lowercase();
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
        ui.label(RichText::new("No entities in the registry yet: mark a name in the text, or confirm a suggested one with +.").weak());
    }
    egui::ScrollArea::vertical()
        .id_salt("registry")
        .show(ui, |ui| {
            for (id, entity) in entities {
                let total: usize = counts.get(id).map_or(0, |c| c.values().sum());
                ui.horizontal_wrapped(|ui| {
                    let mut checked = state.selected.contains(id);
                    let response = ui.add(egui::Checkbox::without_text(&mut checked));
                    // No visible text beside the box; screen readers and tests still get a name.
                    let name = format!("select {} for merging", entity.name);
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::CheckBox, true, checked, &name)
                    });
                    if response.on_hover_text("select for merging").changed() {
                        if checked {
                            state.selected.push(id.clone());
                        } else {
                            state.selected.retain(|s| s != id);
                        }
                    }
                    ui.colored_label(
                        theme::entity_color(entity.kind),
                        RichText::new(entity.kind.label()).small(),
                    );
                    let open = state.open.as_ref() == Some(id);
                    let response = ui
                        .add(
                            egui::Button::selectable(open, format!("{} ({total})", entity.name))
                                .sense(egui::Sense::click_and_drag()),
                        )
                        .on_hover_text("Click for mentions, rename, retype, split; drag onto another name to merge into it");
                    if response.clicked() {
                        state.open = if open { None } else { Some(id.clone()) };
                        state.rename = entity.name.clone();
                    }
                    if let Some(edit) = drag_to_merge(ui, &response, ws, id, entity) {
                        actions.push(edit);
                        state.selected.clear();
                    }
                    if !entity.aliases.is_empty() {
                        ui.label(
                            RichText::new(format!("also: {}", entity.aliases.join(", ")))
                                .small()
                                .weak(),
                        );
                    }
                });
                if state.open.as_ref() != Some(id) {
                    continue;
                }
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut state.rename).desired_width(200.0));
                        if ui.button("Rename").clicked() && !state.rename.trim().is_empty() {
                            actions.push(Action::from_op(ops::rename_entity(
                                ws,
                                id,
                                &state.rename,
                                true,
                            )));
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
                            actions.push(Action::from_op(ops::retype_entity(ws, id, kind)));
                        }
                    });
                    for alias in &entity.aliases {
                        ui.horizontal(|ui| {
                            ui.label(alias);
                            if ui
                                .small_button("Split off")
                                .on_hover_text(
                                    "Make this spelling its own entity, with its mentions",
                                )
                                .clicked()
                            {
                                actions.push(Action::from_op(ops::split_alias(ws, id, alias)));
                            }
                        });
                    }
                    // Mentions grouped by article, each group headed by its count.
                    let mut mentions: Vec<_> = project
                        .mentions
                        .values()
                        .filter(|m| &m.entity == id)
                        .collect();
                    mentions.sort_by_key(|m| (m.article.clone(), m.anchor.start));
                    let per_article = counts.get(id);
                    let mut shown_article: Option<&str> = None;
                    for mention in mentions.into_iter().take(200) {
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
                        let in_context = format!("…{before}[{}]{after}…", anchor.quote)
                            .replace('\n', " ");
                        if ui.link(in_context).clicked() {
                            actions.push(Action::ScrollTo {
                                article: mention.article.clone(),
                                offset: mention.anchor.start,
                            });
                        }
                    }
                    let mentioned: BTreeSet<&str> = project
                        .mentions
                        .values()
                        .filter(|m| &m.entity == id)
                        .map(|m| m.article.as_str())
                        .collect();
                    if mentioned.is_empty() && ui.button("Remove entity").clicked() {
                        actions.push(Action::from_op(ops::remove_entity(ws, id)));
                    }
                });
            }
        });
}

/// Annotations whose text could not be found after their article changed on disk.
pub fn orphans_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    let Some(ws) = &app.ws else {
        return;
    };
    if ws.orphans().is_empty() {
        ui.label(RichText::new("No orphans: every annotation was found in its article.").weak());
        return;
    }
    ui.label("These annotations lost their place when the article changed. Select the right text in the article and press “Re-attach here”.");
    let project = ws.project();
    let selection = app.text_selection.clone();
    for id in ws.orphans().iter() {
        let (what, article, quote, note) = if let Some(c) = project.claims.get(id) {
            (
                "claim",
                c.article.clone(),
                c.anchor.quote.clone(),
                c.note.clone(),
            )
        } else if let Some(m) = project.mentions.get(id) {
            (
                "mention",
                m.article.clone(),
                m.anchor.quote.clone(),
                String::new(),
            )
        } else if let Some(e) = project.evidence.get(id) {
            match &e.source {
                EvidenceSource::Passage { article, anchor } => (
                    "evidence",
                    article.clone(),
                    anchor.quote.clone(),
                    e.note.clone(),
                ),
                EvidenceSource::Url { .. } => continue,
            }
        } else {
            continue;
        };
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(
                RichText::new(format!("{what} in {}", ws.title(&article)))
                    .small()
                    .weak(),
            );
            ui.label(quoted(&quote, usize::MAX));
            if !note.is_empty() {
                ui.label(RichText::new(note).small());
            }
            let can_attach = selection.as_ref().is_some_and(|(a, _)| a == &article);
            if ui
                .add_enabled(can_attach, egui::Button::new("Re-attach here"))
                .on_disabled_hover_text("Select the text in the same article first")
                .clicked()
                && let Some((_, span)) = &selection
            {
                actions.push(Action::from_op(ops::reattach(ws, id, *span)));
            }
        });
    }
}

pub fn import_report_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui) {
    let Some(ws) = &app.ws else {
        return;
    };
    if ws.import_report.is_empty() {
        ui.label(RichText::new("This project was opened from a project file; drop files or folders on the window to import more.").weak());
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("import-report")
        .show(ui, |ui| {
            for row in &ws.import_report {
                ui.horizontal_wrapped(|ui| {
                    match &row.reason {
                        None => ui.label(RichText::new("ok").small().strong()),
                        Some(_) => ui.colored_label(
                            theme::warning_text(),
                            RichText::new("skipped").small().strong(),
                        ),
                    };
                    ui.label(RichText::new(&row.path).small());
                    if let Some(reason) = &row.reason {
                        ui.label(RichText::new(reason).small());
                    }
                    if let Some(dup) = &row.duplicate_of {
                        ui.label(RichText::new(format!("duplicate of {dup}")).small().weak());
                    }
                });
            }
        });
}
