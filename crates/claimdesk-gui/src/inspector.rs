//! The inspector on the right: its tabs on top (always in the same place), the selected claim's
//! editor, and the open article's claims, suggestions and names.

use egui::RichText;

use claimdesk_core::command::Command;
use claimdesk_core::ops;
use claimdesk_core::project::{EvidenceSource, Id, Stance};
use claimdesk_core::workspace::Workspace;

use crate::article_view::{ArticleView, quoted};
use crate::context::{Action, Actions, Focus, InspectorTab, ViewCtx};
use crate::project_panels::{claimant_entity, registry_people};
use crate::{compare, project_panels, theme};

/// Rows drawn per list in the inspector; longer lists say how many more there are.
const MAX_LIST_ROWS: usize = 200;

/// Heights of list rows as last drawn, so rows scrolled out of view keep their space without
/// being laid out every frame (a long article lists hundreds of claims, suggestions and names).
#[derive(Default)]
pub struct LazyRows {
    /// (article, width) the heights were measured at.
    key: Option<(String, u32)>,
    heights: std::collections::HashMap<u64, f32>,
}

impl LazyRows {
    fn start(&mut self, article: &str, width: f32) {
        let key = (article.to_string(), width.round() as u32);
        if self.key.as_ref() != Some(&key) {
            self.heights.clear();
            self.key = Some(key);
        }
    }

    /// Draws the row `id` when it is in view (measuring it), else only keeps its space.
    fn row(
        &mut self,
        ui: &mut egui::Ui,
        id: impl std::hash::Hash,
        add: impl FnOnce(&mut egui::Ui),
    ) {
        let id = {
            use std::hash::Hasher as _;
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut hasher);
            hasher.finish()
        };
        let spacing = ui.spacing().item_spacing.y;
        if let Some(&height) = self.heights.get(&id) {
            let rect = egui::Rect::from_min_size(
                ui.cursor().min,
                egui::vec2(ui.available_width(), height),
            );
            if !ui.is_rect_visible(rect) {
                ui.allocate_space(egui::vec2(0.0, (height - spacing).max(0.0)));
                return;
            }
        }
        let top = ui.cursor().min.y;
        add(ui);
        self.heights.insert(id, ui.cursor().min.y - top);
    }
}

/// The claim editor's own state: the next evidence item's stance and note, a link being typed.
pub struct Inspector {
    stance: Stance,
    note: String,
    url: String,
    /// The claim whose claimant field offered registry names last frame.
    claimant_open: Option<Id>,
    rows: LazyRows,
    workflow: crate::team::WorkflowEditor,
}

impl Default for Inspector {
    fn default() -> Self {
        Self {
            stance: Stance::Refutes,
            note: String::new(),
            url: String::new(),
            claimant_open: None,
            rows: LazyRows::default(),
            workflow: crate::team::WorkflowEditor::default(),
        }
    }
}

impl Inspector {
    /// Stance and note for evidence added from a selection (key V).
    pub fn evidence_input(&self) -> (Stance, String) {
        (self.stance, self.note.clone())
    }

    pub fn evidence_added(&mut self) {
        self.note.clear();
    }
}

/// The states of the tabs, each its own.
pub struct Tabs<'a> {
    pub article: &'a mut Inspector,
    pub all_claims: &'a mut project_panels::AllClaims,
    pub registry: &'a mut project_panels::Registry,
    pub import_report: &'a mut project_panels::ImportReportPanel,
    pub across: &'a mut compare::Across,
    pub activity: &'a mut crate::team::ActivityPanel,
}

/// What a merge kept for the analyst to decide about the project itself (its name, rating or
/// status scale changed on both sides; an article one side removed that the other still uses),
/// on show above every tab until each is settled.
fn project_conflicts_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
    let Some(ws) = cx.ws else {
        return;
    };
    let conflicts = &ws.project().conflicts;
    if conflicts.is_empty() {
        return;
    }
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, ui.visuals().error_fg_color))
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "The merge kept {} decision(s) about the project for you",
                    conflicts.len()
                ))
                .strong()
                .color(ui.visuals().error_fg_color),
            );
            for conflict in conflicts {
                ui.label(format!(
                    "{}: ours “{}”, theirs “{}”",
                    conflict.field, conflict.ours, conflict.theirs
                ));
                ui.horizontal(|ui| {
                    for (label, keep) in [
                        ("Keep ours", ops::Keep::Ours),
                        ("Use theirs", ops::Keep::Theirs),
                    ] {
                        let button = ui.button(label);
                        button.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::Button,
                                true,
                                format!("{label} (project {})", conflict.field),
                            )
                        });
                        if button.clicked() {
                            actions.op(ops::resolve_project_conflict(ws, &conflict.field, keep));
                        }
                    }
                });
            }
        });
    ui.add_space(4.0);
}

pub fn panel_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions, tabs: Tabs) {
    egui::Panel::right("inspector")
        .resizable(true)
        .default_size(460.0)
        .show(ui, |ui| {
            // The tabs first: whatever the article or the selection, they stay put.
            project_panels::tabs_ui(cx, ui, actions);
            project_conflicts_ui(cx, ui, actions);
            if cx.state.focus.is_some() {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("editor")
                        .max_height(ui.available_height() * 0.55)
                        .show(ui, |ui| tabs.article.editor_ui(cx, ui, actions));
                });
                ui.add_space(6.0);
            } else if cx.state.tab == InspectorTab::Article {
                ui.label(RichText::new("Select a claim to rate it, or select text in the article and press “Mark as claim”.").weak());
                ui.separator();
            }
            match cx.state.tab {
                InspectorTab::Article => {
                    egui::ScrollArea::vertical()
                        .id_salt("inspector")
                        .show(ui, |ui| lists_ui(cx, ui, actions, &mut tabs.article.rows));
                }
                InspectorTab::AllClaims => tabs.all_claims.ui(cx, ui, actions),
                InspectorTab::Entities => tabs.registry.ui(cx, ui, actions),
                InspectorTab::Across => tabs.across.ui(cx, ui, actions),
                InspectorTab::Orphans => project_panels::orphans_ui(cx, ui, actions),
                InspectorTab::Import => tabs.import_report.ui(cx, ui, actions),
                InspectorTab::Activity => tabs.activity.ui(cx, ui, actions),
            }
        });
}

fn lists_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions, rows: &mut LazyRows) {
    let (Some(_), Some(article_id)) = (cx.ws, cx.article()) else {
        return;
    };
    let view = cx.view;
    rows.start(article_id, ui.available_width());
    ui.columns(2, |columns| {
        let ui = &mut columns[0];
        ui.heading("Claims");
        if view.claims.is_empty() {
            ui.label(RichText::new("No claims marked yet.").weak());
        }
        // Thousands of rows would cost every frame; the All claims tab filters the rest.
        for claim in view.claims.iter().take(MAX_LIST_ROWS) {
            rows.row(ui, ("claim", &claim.id), |ui| {
                let focused = matches!(&cx.state.focus, Some(Focus::Claim(id)) if *id == claim.id);
                ui.horizontal_wrapped(|ui| {
                    match (&claim.verdict, claim.color) {
                        (Some(verdict), Some(c)) => {
                            ui.colored_label(c, RichText::new(verdict).small().strong())
                        }
                        (Some(verdict), None) => ui.label(RichText::new(verdict).small().strong()),
                        (None, _) => ui.label(RichText::new("unrated").small().strong().weak()),
                    };
                    if let Some(claimant) = &claim.claimant {
                        ui.label(RichText::new(claimant).small());
                    }
                    if let Some(project) = cx.ws.map(Workspace::project)
                        && let Some(record) = project.claims.get(&claim.id)
                    {
                        crate::team::status_chip(ui, project, record);
                    }
                });
                let response = ui.add(egui::Button::selectable(focused, &claim.preview).wrap());
                if response.clicked() {
                    actions.push(Action::Focus(Some(Focus::Claim(claim.id.clone()))));
                    actions.push(Action::ScrollTo {
                        article: article_id.to_string(),
                        offset: claim.span.start,
                    });
                }
                ui.add_space(4.0);
            });
        }
        if view.claims.len() > MAX_LIST_ROWS {
            ui.label(
                RichText::new(format!(
                    "…and {} more: the All claims tab filters them",
                    view.claims.len() - MAX_LIST_ROWS
                ))
                .small()
                .weak(),
            );
        }
        if !view.analysed {
            ui.label(RichText::new("Analysing…").weak());
        } else if cx.settings.show_suggestions {
            suggestions_ui(cx, ui, actions, article_id, rows);
        }

        let ui = &mut columns[1];
        ui.heading("Names");
        entity_column_ui(view, ui, article_id, actions, rows);
    });
}

fn suggestions_ui(
    cx: &ViewCtx,
    ui: &mut egui::Ui,
    actions: &mut Actions,
    article_id: &str,
    rows: &mut LazyRows,
) {
    let view = cx.view;
    let count = view.suggestions.len();
    let shaded = view.suggestions.iter().filter(|s| s.shaded).count();
    ui.separator();
    ui.label(RichText::new(format!("Suggested ({count}) — automatic")).strong());
    // The slider says how many of the strongest are shaded in the text; remembered.
    let mut settings = cx.settings.clone();
    let slider = ui
        .add(egui::Slider::new(&mut settings.shade_strongest, 0..=40).text("shaded in the text"))
        .on_hover_text(
            "Shade only the strongest suggestions in the text; every one is listed here",
        );
    ui.label(
        RichText::new(format!(
            "{shaded} of {count} shaded in the text (in bold here); all are listed"
        ))
        .small()
        .weak(),
    );
    let order = ui.checkbox(&mut settings.suggestions_by_score, "strongest first");
    if slider.changed() || order.changed() {
        actions.push(Action::Settings(Box::new(settings)));
    }
    if count > 0 {
        ui.horizontal_wrapped(|ui| {
            let spans = || view.suggestions.iter().map(|s| s.span).collect();
            if ui
                .small_button(format!("Accept all {count}"))
                .on_hover_text("Mark every listed suggestion as a claim (one undo step)")
                .clicked()
            {
                actions.push(Action::BulkSuggestions {
                    article: article_id.to_string(),
                    spans: spans(),
                    accept: true,
                });
            }
            if ui
                .small_button(format!("Dismiss all {count}"))
                .on_hover_text("Hide every listed suggestion (one undo step)")
                .clicked()
            {
                actions.push(Action::BulkSuggestions {
                    article: article_id.to_string(),
                    spans: spans(),
                    accept: false,
                });
            }
        });
    }
    if count > MAX_LIST_ROWS {
        ui.label(
            RichText::new(format!("showing the first {MAX_LIST_ROWS} of {count}"))
                .small()
                .weak(),
        );
    }
    for suggestion in view.suggestions.iter().take(MAX_LIST_ROWS) {
        rows.row(ui, ("suggestion", suggestion.span), |ui| {
            let focus = Focus::Suggestion {
                article: article_id.to_string(),
                span: suggestion.span,
            };
            let focused = cx.state.focus.as_ref() == Some(&focus);
            // Shaded ones in bold: one text section, laid out as cheaply as a plain row.
            let text = RichText::new(format!("{:.2} {}", suggestion.score, suggestion.preview));
            let text = if suggestion.shaded {
                text.strong()
            } else {
                text
            };
            let response = ui
                .add(egui::Button::selectable(focused, text).wrap())
                .on_hover_ui(|ui| {
                    ui.label(view.why(suggestion));
                });
            if response.clicked() {
                actions.push(Action::Focus(Some(focus)));
                actions.push(Action::ScrollTo {
                    article: article_id.to_string(),
                    offset: suggestion.span.start,
                });
            }
        });
    }
}

fn entity_column_ui(
    view: &ArticleView,
    ui: &mut egui::Ui,
    article_id: &str,
    actions: &mut Actions,
    rows: &mut LazyRows,
) {
    if view.entity_rows.iter().any(|r| r.has_suggested()) {
        ui.label(
            RichText::new("Confirm records every mention in this article (N on a selected name); “all” does it in every article (Shift+N).")
                .small()
                .weak(),
        );
    }
    let mut current_kind = None;
    for row in view.entity_rows.iter().take(MAX_LIST_ROWS) {
        if current_kind != Some(row.kind) {
            ui.label(
                RichText::new(row.kind.description())
                    .small()
                    .color(theme::entity_color(row.kind)),
            );
            current_kind = Some(row.kind);
        }
        rows.row(ui, ("name", row.kind, &row.name), |ui| {
            let label = format!("{} ({})", row.name, row.count);
            let text = if row.confirmed > 0 {
                RichText::new(label).strong()
            } else {
                RichText::new(label)
            };
            let mut hover = match (row.confirmed, row.suggested.len()) {
                (0, _) => "Suggested: not in the registry yet".to_string(),
                (c, 0) => format!("In the entity registry ({c} mention(s) recorded here)"),
                (c, s) => format!("In the entity registry: {c} recorded, {s} more suggested"),
            };
            if !row.also.is_empty() {
                hover.push_str(&format!("; also written here: {}", row.also.join(", ")));
            }
            ui.horizontal_wrapped(|ui| {
                let response = ui
                    .add(egui::Button::new(text).frame(false))
                    .on_hover_text(hover);
                if response.clicked() {
                    actions.push(Action::ScrollTo {
                        article: article_id.to_string(),
                        offset: row.first,
                    });
                }
                if !row.also.is_empty() {
                    ui.label(
                        RichText::new(format!("also {}", row.also.join(", ")))
                            .small()
                            .weak(),
                    );
                }
                if row.has_suggested() {
                    let confirm = |scope| Action::ConfirmName {
                        article: article_id.to_string(),
                        name: row.name.clone(),
                        spellings: row.also.clone(),
                        kind: row.kind,
                        scope,
                    };
                    let button = ui.small_button("Confirm").on_hover_text(format!(
                        "Add “{}” to the registry with every mention in this article (N)",
                        row.name
                    ));
                    button.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            format!("Confirm {}", row.name),
                        )
                    });
                    if button.clicked() {
                        actions.push(confirm(ops::Scope::Article));
                    }
                    let everywhere = ui.small_button("all").on_hover_text(format!(
                        "Add “{}” with its mentions in every article (Shift+N)",
                        row.name
                    ));
                    everywhere.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            format!("Confirm {} in every article", row.name),
                        )
                    });
                    if everywhere.clicked() {
                        actions.push(confirm(ops::Scope::Corpus));
                    }
                }
            });
        });
    }
    if view.entity_rows.len() > MAX_LIST_ROWS {
        ui.label(
            RichText::new(format!(
                "…and {} more: the Entity registry tab lists them",
                view.entity_rows.len() - MAX_LIST_ROWS
            ))
            .small()
            .weak(),
        );
    }
}

impl Inspector {
    fn editor_ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(ws) = cx.ws else {
            return;
        };
        match cx.state.focus.clone() {
            None => {}
            Some(Focus::Suggestion { article, span }) => {
                suggestion_ui(ws, ui, actions, &article, span);
                let focus = Focus::Suggestion { article, span };
                crate::factcheck_panel::matches_ui(cx, ui, actions, &focus);
            }
            Some(Focus::Claim(id)) => {
                self.claim_ui(cx, ws, ui, actions, &id);
                self.evidence_input_ui(ws, ui, actions, &id);
                ui.separator();
                if ui.button("Delete claim").clicked() {
                    actions.op(ops::remove_claim(ws, &id));
                    actions.push(Action::Focus(None));
                }
            }
        }
    }

    /// Stance, note and outside link for the next evidence item of the selected claim.
    fn evidence_input_ui(
        &mut self,
        ws: &Workspace,
        ui: &mut egui::Ui,
        actions: &mut Actions,
        id: &str,
    ) {
        ui.horizontal(|ui| {
            ui.label("Stance");
            for stance in Stance::ALL {
                ui.selectable_value(&mut self.stance, stance, stance.label());
            }
        });
        ui.add(
            egui::TextEdit::singleline(&mut self.note)
                .hint_text("note for the next evidence item")
                .desired_width(f32::INFINITY),
        );
        ui.horizontal_wrapped(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.url)
                    .hint_text("https://… (outside source)")
                    .desired_width(240.0),
            );
            if ui.button("Add link").clicked() && !self.url.trim().is_empty() {
                actions.op(ops::add_evidence(
                    ws,
                    id,
                    ops::EvidenceInput::Url {
                        url: self.url.trim().to_string(),
                        title: String::new(),
                    },
                    self.stance,
                    &self.note,
                ));
                self.url.clear();
                self.note.clear();
            }
        });
    }

    fn claim_ui(
        &mut self,
        cx: &ViewCtx,
        ws: &Workspace,
        ui: &mut egui::Ui,
        actions: &mut Actions,
        id: &Id,
    ) {
        let project = ws.project();
        let Some(claim) = project.claims.get(id) else {
            return;
        };
        ui.heading("Claim");
        ui.label(RichText::new(quoted(&claim.anchor.quote, usize::MAX)).italics());
        ui.label(
            RichText::new(format!("in {}", ws.title(&claim.article)))
                .small()
                .weak(),
        );
        // The first question about a claim: has someone checked it already?
        crate::factcheck_panel::matches_ui(cx, ui, actions, &Focus::Claim(id.clone()));
        ui.separator();
        for conflict in &claim.conflicts {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.colored_label(
                    theme::warning_text(),
                    format!(
                        "Merge conflict on {}: ours “{}”, theirs “{}”",
                        conflict.field, conflict.ours, conflict.theirs
                    ),
                );
                ui.horizontal(|ui| {
                    let ours = ui.button("Keep ours");
                    ours.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            format!("Keep ours ({})", conflict.field),
                        )
                    });
                    if ours.clicked() {
                        actions.op(ops::resolve_conflict(
                            ws,
                            id,
                            &conflict.field,
                            ops::Keep::Ours,
                        ));
                    }
                    let theirs = ui.button("Use theirs");
                    theirs.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            format!("Use theirs ({})", conflict.field),
                        )
                    });
                    if theirs.clicked() {
                        actions.op(ops::resolve_conflict(
                            ws,
                            id,
                            &conflict.field,
                            ops::Keep::Theirs,
                        ));
                    }
                });
            });
        }
        self.claimant_ui(ws, ui, actions, id, claim.claimant.as_deref().unwrap_or(""));
        ui.label("Verdict (keys 1–7, 0 clears)");
        ui.horizontal_wrapped(|ui| {
            for (i, rating) in project.rating_scale.iter().enumerate() {
                let selected = claim.verdict.as_deref() == Some(rating.label.as_str());
                let color = theme::verdict_color(i, project.rating_scale.len());
                // The key beside the label, so the keyboard is learnt by looking.
                let key = if i < 9 {
                    format!("{} ", i + 1)
                } else {
                    String::new()
                };
                let text = RichText::new(format!("{key}{}", rating.label)).color(if selected {
                    egui::Color32::WHITE
                } else {
                    color
                });
                let mut button = egui::Button::selectable(selected, text);
                if selected {
                    button = button.fill(color);
                }
                let response = ui.add(button).on_hover_text(format!("Key {}", i + 1));
                if response.clicked() {
                    actions.command(Command::SetVerdict(i as u8 + 1));
                }
            }
        });
        ui.label("Note");
        let mut note = claim.note.clone();
        let response = ui.add(
            egui::TextEdit::multiline(&mut note)
                .hint_text("Your explanation: what is wrong or right, and why")
                .desired_rows(5)
                .desired_width(f32::INFINITY),
        );
        if response.changed() {
            actions.op(ops::set_claim(
                ws,
                id,
                ops::ClaimChange {
                    note: Some(note),
                    ..Default::default()
                },
            ));
        }
        if response.lost_focus() {
            actions.push(Action::Seal);
        }
        self.workflow.ui(ws, ui, actions, id);

        ui.separator();
        ui.label(RichText::new("Evidence").strong());
        let evidence = project.evidence_for(id);
        if evidence.is_empty() {
            ui.label(
                RichText::new(
                    "None yet: select a passage in any article and press “Add as evidence” (V).",
                )
                .weak(),
            );
        }
        for (eid, item) in evidence {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(item.stance.label()).small().strong());
                match &item.source {
                    EvidenceSource::Passage { article, anchor } => {
                        let link = ui.link(format!(
                            "{} — {}",
                            quoted(&anchor.quote, 80),
                            ws.title(article)
                        ));
                        if link.clicked() {
                            actions.push(Action::ScrollTo {
                                article: article.clone(),
                                offset: anchor.start,
                            });
                        }
                    }
                    EvidenceSource::Url { url, .. } => {
                        ui.label(url);
                    }
                }
            });
            // On a line of its own: a wrapped label after the link would overlap it and take
            // its clicks.
            ui.horizontal_wrapped(|ui| {
                if !item.note.is_empty() {
                    ui.label(RichText::new(&item.note).small());
                }
                if ui.small_button("Remove").clicked() {
                    actions.op(ops::remove_evidence(ws, eid));
                }
                if let EvidenceSource::Url { url, .. } = &item.source {
                    crate::capture_dialog::evidence_link_ui(cx, ui, actions, url);
                }
            });
        }
    }

    /// The claimant field: offers registry people and organisations as the analyst types and
    /// says which entity the claim is linked to.
    fn claimant_ui(
        &mut self,
        ws: &Workspace,
        ui: &mut egui::Ui,
        actions: &mut Actions,
        id: &Id,
        current: &str,
    ) {
        let project = ws.project();
        let set = |name: String| {
            ops::set_claim(
                ws,
                id,
                ops::ClaimChange {
                    claimant: Some(Some(name)),
                    ..Default::default()
                },
            )
        };
        let mut claimant = current.to_string();
        let response = ui
            .horizontal(|ui| {
                let label = ui.label("Claimant");
                ui.add(
                    egui::TextEdit::singleline(&mut claimant)
                        .hint_text("who said it — registry names are offered")
                        .desired_width(260.0),
                )
                .labelled_by(label.id)
            })
            .inner;
        if response.changed() {
            actions.op(set(claimant.clone()));
        }
        if response.has_focus() {
            self.claimant_open = Some(id.clone());
        } else if response.lost_focus() {
            actions.push(Action::Seal);
        }
        let linked = claimant_entity(project, &claimant);
        // Offers stay while the field is in use (a click on one takes the focus away).
        let offering = self.claimant_open.as_ref() == Some(id)
            && (response.has_focus() || ui.ctx().memory(|m| m.focused().is_none()));
        if !offering {
            self.claimant_open = None;
        }
        let offers: Vec<(&Id, &str)> = if offering {
            registry_people(project, &claimant)
                .into_iter()
                .filter(|(_, name)| !name.eq_ignore_ascii_case(claimant.trim()))
                .collect()
        } else {
            Vec::new()
        };
        if !offers.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("From the registry:").small().weak());
                for (_, name) in &offers {
                    if ui
                        .small_button(*name)
                        .on_hover_text("Use this name (linked to its registry entry)")
                        .clicked()
                    {
                        actions.op(set(name.to_string()));
                        actions.push(Action::Seal);
                        self.claimant_open = None;
                    }
                }
            });
            if response.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                actions.op(set(offers[0].1.to_string()));
                actions.push(Action::Seal);
            }
        }
        match linked {
            Some((_, entity)) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "Linked to the registry: {} ({})",
                            entity.name,
                            entity.kind.description()
                        ))
                        .small()
                        .color(theme::entity_color(entity.kind)),
                    );
                    if ui.link(RichText::new("open").small()).clicked() {
                        actions.push(Action::ShowTab(InspectorTab::Entities));
                    }
                });
            }
            None if !claimant.trim().is_empty() => {
                ui.label(RichText::new("Not in the registry").small().weak());
            }
            None => {}
        }
    }
}

fn suggestion_ui(
    ws: &Workspace,
    ui: &mut egui::Ui,
    actions: &mut Actions,
    article: &str,
    span: claimdesk_core::text::Span,
) {
    let Some(suggestion) = ws
        .cached_analysis(article)
        .and_then(|a| a.claims.iter().find(|c| c.span == span).cloned())
    else {
        return;
    };
    ui.heading("Suggested claim");
    ui.label(quoted(&suggestion.text, usize::MAX));
    ui.label(format!(
        "Check-worthiness {:.2}: {}",
        suggestion.score,
        suggestion.reasons.join(", ")
    ));
    ui.label(format!(
        "Claimant: {}",
        suggestion.claimant.as_deref().unwrap_or("unknown")
    ));
    ui.horizontal(|ui| {
        if ui.button("Accept as claim").on_hover_text("A").clicked() {
            actions.command(Command::AcceptSuggestion);
        }
        if ui.button("Dismiss").on_hover_text("D").clicked() {
            actions.command(Command::DismissSuggestion);
        }
    });
}
