//! Menu bar, status bar, article list and the inspector (claims, entities, claim editor).

use egui::RichText;

use super::article_view::quoted;
use super::{Action, ClaimdeskApp, Focus, theme};
use claimdesk_core::command::{Command, Menu};
use claimdesk_core::ops;
use claimdesk_core::project::{EvidenceSource, Stance};

/// Rows drawn per list in the inspector; longer lists say how many more there are.
const MAX_LIST_ROWS: usize = 200;

pub fn menu_bar_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            let verdicts = app.verdict_labels();
            for (menu, title) in [
                (Menu::File, "File"),
                (Menu::Edit, "Edit"),
                (Menu::Claim, "Claim"),
                (Menu::Go, "Go"),
                (Menu::View, "View"),
            ] {
                ui.menu_button(title, |ui| {
                    if menu == Menu::File && !app.settings.recent.is_empty() {
                        ui.menu_button("Open recent", |ui| {
                            for path in app.settings.recent.clone() {
                                if ui.button(path.display().to_string()).clicked() {
                                    actions.push(Action::OpenPath(path));
                                }
                            }
                        });
                    }
                    for command in Command::all().into_iter().filter(|c| c.menu() == menu) {
                        let mut text = command.title(&verdicts);
                        if command == Command::ToggleSuggestions && app.settings.show_suggestions
                            || command == Command::ToggleRemoved && app.settings.show_removed
                        {
                            text = format!("✔ {text}");
                        }
                        let mut button = egui::Button::new(text);
                        if let Some(shortcut) = command.shortcut() {
                            button = button.shortcut_text(shortcut.describe());
                        }
                        if ui.add(button).clicked() {
                            actions.push(Action::Command(command));
                        }
                    }
                });
            }
        });
    });
}

/// Outside changes to the project or its articles, with a reload offer.
pub fn banner_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, _actions: &mut Vec<Action>) {
    if app.disk_changes.is_empty() {
        return;
    }
    let mut reload = false;
    let mut ignore = false;
    egui::Panel::top("disk-changes").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let names: Vec<String> = app
                .disk_changes
                .iter()
                .map(|p| p.file_name().unwrap_or_default().to_string_lossy().into_owned())
                .collect();
            ui.colored_label(theme::warning_text(), format!("Changed on disk: {}", names.join(", ")));
            let dirty = app.ws.as_ref().is_some_and(claimdesk_core::workspace::Workspace::is_dirty);
            if dirty {
                ui.label("(reloading puts your unsaved edits aside in a journal file; save first to keep them in the project)");
            }
            reload = ui.button("Reload").clicked();
            ignore = ui.button("Ignore").clicked();
        });
    });
    if reload {
        app.reload();
    } else if ignore {
        app.disk_changes.clear();
    }
}

pub fn status_bar_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui) {
    if let Some(job) = &app.importing {
        egui::Panel::bottom("import-progress").show(ui, |ui| {
            ui.horizontal(|ui| {
                let fraction = if job.total == 0 {
                    0.0
                } else {
                    job.done as f32 / job.total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(320.0)
                        .text(format!("Importing {} / {}", job.done, job.total)),
                );
                if ui.button("Cancel import").clicked() {
                    job.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            });
        });
    }
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            let Some(ws) = &app.ws else {
                ui.label("No project");
                return;
            };
            let name = ws
                .path()
                .map_or_else(|| "unsaved project".into(), |p| p.display().to_string());
            let dirty = if ws.is_dirty() {
                " • unsaved changes (kept in the crash journal)"
            } else {
                ""
            };
            ui.label(format!("{name}{dirty}"));
            if let Some(reason) = ws.read_only_reason() {
                ui.colored_label(theme::warning_text(), format!("read-only: {reason}"));
            }
            ui.separator();
            let counts = ws.project().counts();
            ui.label(format!(
                "{} articles · {} claims ({} rated) · {} entities",
                counts.articles, counts.claims, counts.rated, counts.entities
            ));
            if let Some(last) = app.status.last() {
                ui.separator();
                ui.label(RichText::new(last).strong());
            }
        });
    });
}

pub fn article_list_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    egui::Panel::left("articles")
        .resizable(true)
        .default_size(260.0)
        .show(ui, |ui| {
            ui.heading("Articles");
            let Some(ws) = &app.ws else {
                return;
            };
            egui::ScrollArea::vertical()
                .id_salt("article-list")
                .show(ui, |ui| {
                    // Counted once per frame, not once per article (a corpus has thousands).
                    let mut claim_counts: std::collections::HashMap<&str, usize> =
                        Default::default();
                    for claim in ws.project().claims.values() {
                        *claim_counts.entry(claim.article.as_str()).or_default() += 1;
                    }
                    for id in ws.article_ids() {
                        let meta = ws.meta(id);
                        let title = meta.title.clone().unwrap_or_else(|| id.clone());
                        let selected = app.selected_article.as_ref() == Some(id);
                        let claims = claim_counts.get(id.as_str()).copied().unwrap_or(0);
                        let missing = ws.article(id).is_none();
                        let response = ui.add(
                            egui::Button::selectable(selected, RichText::new(&title).strong())
                                .wrap(),
                        );
                        let mut sub: Vec<String> = [meta.source.clone(), meta.date.clone()]
                            .into_iter()
                            .flatten()
                            .collect();
                        if claims > 0 {
                            sub.push(format!("{claims} claim(s)"));
                        }
                        if missing {
                            ui.colored_label(theme::warning_text(), "file missing");
                        }
                        if !sub.is_empty() {
                            ui.label(RichText::new(sub.join(" · ")).small().weak());
                        }
                        if response.clicked() {
                            actions.push(Action::SelectArticle(id.clone()));
                        }
                        if let Some(open) = app.selected_article.as_ref().filter(|o| *o != id) {
                            response.context_menu(|ui| {
                                if ui.button("Compare with the open article").clicked() {
                                    actions.push(Action::CompareArticles {
                                        left: open.clone(),
                                        right: id.clone(),
                                    });
                                    ui.close();
                                }
                            });
                        }
                        ui.add_space(4.0);
                    }
                    if !ws.orphans().is_empty() {
                        ui.separator();
                        ui.colored_label(
                            theme::warning_text(),
                            format!(
                                "{} orphaned annotation(s): their text changed on disk",
                                ws.orphans().len()
                            ),
                        );
                    }
                });
        });
}

pub fn inspector_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    egui::Panel::right("inspector")
        .resizable(true)
        .default_size(460.0)
        .show(ui, |ui| {
            // The selected claim's editor sits on top, where the eye is after a click; the
            // lists scroll below it.
            if app.focus.is_some() {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("editor")
                        .max_height(ui.available_height() * 0.6)
                        .show(ui, |ui| editor_ui(app, ui, actions));
                });
                ui.add_space(6.0);
            } else {
                editor_ui(app, ui, actions);
                ui.separator();
            }
            super::project_panels::tabs_ui(app, ui);
            match app.inspector_tab {
                super::project_panels::InspectorTab::Article => {
                    egui::ScrollArea::vertical()
                        .id_salt("inspector")
                        .show(ui, |ui| lists_ui(app, ui, actions));
                }
                super::project_panels::InspectorTab::AllClaims => {
                    super::project_panels::all_claims_ui(app, ui, actions)
                }
                super::project_panels::InspectorTab::Entities => {
                    super::project_panels::registry_ui(app, ui, actions)
                }
                super::project_panels::InspectorTab::Across => {
                    super::compare::across_ui(app, ui, actions)
                }
                super::project_panels::InspectorTab::Orphans => {
                    super::project_panels::orphans_ui(app, ui, actions)
                }
                super::project_panels::InspectorTab::Import => {
                    super::project_panels::import_report_ui(app, ui)
                }
            }
        });
}

fn lists_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    let (Some(_), Some(article_id)) = (&app.ws, app.selected_article.clone()) else {
        return;
    };
    let view = &app.view;
    ui.columns(2, |columns| {
        let ui = &mut columns[0];
        ui.heading("Claims");
        if view.claims.is_empty() {
            ui.label(RichText::new("No claims marked yet.").weak());
        }
        // Thousands of rows would cost every frame; the All claims tab filters the rest.
        for claim in view.claims.iter().take(MAX_LIST_ROWS) {
            let focused = matches!(&app.focus, Some(Focus::Claim(id)) if *id == claim.id);
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
            });
            let response = ui.add(egui::Button::selectable(focused, &claim.preview).wrap());
            if response.clicked() {
                actions.push(Action::Focus(Some(Focus::Claim(claim.id.clone()))));
                actions.push(Action::ScrollTo {
                    article: article_id.clone(),
                    offset: claim.span.start,
                });
            }
            ui.add_space(4.0);
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
        } else if app.settings.show_suggestions {
            let suggestion_count = view.suggestions.len();
            ui.separator();
            ui.label(RichText::new(format!("Suggested ({suggestion_count}) — automatic")).strong());
            ui.horizontal_wrapped(|ui| {
                ui.checkbox(&mut app.settings.suggestions_by_score, "strongest first");
                if suggestion_count > 0 {
                    let spans = || view.suggestions.iter().map(|s| s.span).collect();
                    if ui
                        .small_button(format!("Accept all {suggestion_count}"))
                        .on_hover_text("Mark every listed suggestion as a claim (one undo step)")
                        .clicked()
                    {
                        actions.push(Action::BulkSuggestions {
                            article: article_id.clone(),
                            spans: spans(),
                            accept: true,
                        });
                    }
                    if ui
                        .small_button(format!("Dismiss all {suggestion_count}"))
                        .on_hover_text("Hide every listed suggestion (one undo step)")
                        .clicked()
                    {
                        actions.push(Action::BulkSuggestions {
                            article: article_id.clone(),
                            spans: spans(),
                            accept: false,
                        });
                    }
                }
            });
            if suggestion_count > MAX_LIST_ROWS {
                ui.label(
                    RichText::new(format!(
                        "showing the first {MAX_LIST_ROWS} of {suggestion_count}"
                    ))
                    .small()
                    .weak(),
                );
            }
            for suggestion in view.suggestions.iter().take(MAX_LIST_ROWS) {
                let focus = Focus::Suggestion {
                    article: article_id.clone(),
                    span: suggestion.span,
                };
                let focused = app.focus.as_ref() == Some(&focus);
                let response = ui
                    .add(
                        egui::Button::selectable(
                            focused,
                            format!("{:.2} {}", suggestion.score, suggestion.preview),
                        )
                        .wrap(),
                    )
                    .on_hover_ui(|ui| {
                        ui.label(view.why(suggestion));
                    });
                if response.clicked() {
                    actions.push(Action::Focus(Some(focus)));
                    actions.push(Action::ScrollTo {
                        article: article_id.clone(),
                        offset: suggestion.span.start,
                    });
                }
            }
        }

        let ui = &mut columns[1];
        ui.heading("Entities");
        entity_column_ui(view, ui, &article_id, actions);
    });
}

fn entity_column_ui(
    view: &super::article_view::ArticleView,
    ui: &mut egui::Ui,
    article_id: &str,
    actions: &mut Vec<Action>,
) {
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
        let label = format!("{} ({})", row.name, row.count);
        let text = if row.confirmed {
            RichText::new(label).strong()
        } else {
            RichText::new(label)
        };
        let mut hover = if row.confirmed {
            "In the entity registry".to_string()
        } else {
            "Suggested".to_string()
        };
        if !row.also.is_empty() {
            hover.push_str(&format!("; also written here: {}", row.also.join(", ")));
        }
        let response = ui
            .horizontal_wrapped(|ui| {
                let response = ui.add(egui::Button::new(text).frame(false));
                if !row.also.is_empty() {
                    ui.label(
                        RichText::new(format!("also {}", row.also.join(", ")))
                            .small()
                            .weak(),
                    );
                }
                response
            })
            .inner
            .on_hover_text(hover);
        if response.clicked() {
            actions.push(Action::ScrollTo {
                article: article_id.to_string(),
                offset: row.first,
            });
        }
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

fn editor_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    claim_editor_ui(app, ui, actions);
    if let Some(Focus::Claim(id)) = app.focus.clone() {
        evidence_input_ui(app, ui);
        delete_claim_ui(app, ui, &id, actions);
    }
}

fn delete_claim_ui(app: &ClaimdeskApp, ui: &mut egui::Ui, id: &str, actions: &mut Vec<Action>) {
    let Some(ws) = &app.ws else {
        return;
    };
    let id = id.to_string();
    ui.separator();
    if ui.button("Delete claim").clicked() {
        actions.push(Action::from_op(ops::remove_claim(ws, &id)));
        actions.push(Action::Focus(None));
    }
}

/// Stance, note and outside link for the next evidence item of the selected claim.
fn evidence_input_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.label("Stance");
        for stance in Stance::ALL {
            ui.selectable_value(&mut app.evidence_stance, stance, stance.label());
        }
    });
    ui.add(
        egui::TextEdit::singleline(&mut app.evidence_note)
            .hint_text("note for the next evidence item")
            .desired_width(f32::INFINITY),
    );
    let mut add_link = false;
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut app.evidence_url)
                .hint_text("https://… (outside source)")
                .desired_width(260.0),
        );
        add_link = ui.button("Add link").clicked();
    });
    if add_link {
        app.add_url_evidence();
    }
}

fn claim_editor_ui(app: &mut ClaimdeskApp, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    match app.focus.clone() {
        None => {
            ui.label(RichText::new("Select a claim to rate it, or select text in the article and press “Mark as claim”.").weak());
        }
        Some(Focus::Suggestion { article, span }) => {
            let Some(ws) = &app.ws else {
                return;
            };
            let Some(suggestion) = ws
                .cached_analysis(&article)
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
                    actions.push(Action::Command(Command::AcceptSuggestion));
                }
                if ui.button("Dismiss").on_hover_text("D").clicked() {
                    actions.push(Action::Command(Command::DismissSuggestion));
                }
            });
        }
        Some(Focus::Claim(id)) => {
            let Some(ws) = &app.ws else {
                return;
            };
            let project = ws.project();
            let Some(claim) = project.claims.get(&id).cloned() else {
                return;
            };
            ui.heading("Claim");
            ui.label(RichText::new(quoted(&claim.anchor.quote, usize::MAX)).italics());
            ui.label(
                RichText::new(format!("in {}", ws.title(&claim.article)))
                    .small()
                    .weak(),
            );
            if !claim.conflicts.is_empty() {
                for conflict in &claim.conflicts {
                    ui.colored_label(
                        theme::warning_text(),
                        format!(
                            "Merge conflict on {}: ours “{}”, theirs “{}”",
                            conflict.field, conflict.ours, conflict.theirs
                        ),
                    );
                }
            }
            ui.horizontal(|ui| {
                ui.label("Claimant");
                let mut claimant = claim.claimant.clone().unwrap_or_default();
                let response = ui.add(
                    egui::TextEdit::singleline(&mut claimant)
                        .hint_text("who said it")
                        .desired_width(260.0),
                );
                if response.changed() {
                    actions.push(Action::from_op(ops::set_claim(
                        ws,
                        &id,
                        ops::ClaimChange {
                            claimant: Some(Some(claimant)),
                            ..Default::default()
                        },
                    )));
                }
                if response.lost_focus() {
                    actions.push(Action::Seal);
                }
            });
            ui.label("Verdict");
            ui.horizontal_wrapped(|ui| {
                for (i, rating) in project.rating_scale.iter().enumerate() {
                    let selected = claim.verdict.as_deref() == Some(rating.label.as_str());
                    let color = theme::verdict_color(i, project.rating_scale.len());
                    let text = RichText::new(&rating.label).color(if selected {
                        egui::Color32::WHITE
                    } else {
                        color
                    });
                    let mut button = egui::Button::selectable(selected, text);
                    if selected {
                        button = button.fill(color);
                    }
                    if ui
                        .add(button)
                        .on_hover_text(format!("Key {}", i + 1))
                        .clicked()
                    {
                        actions.push(Action::Command(Command::SetVerdict(i as u8 + 1)));
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
                actions.push(Action::from_op(ops::set_claim(
                    ws,
                    &id,
                    ops::ClaimChange {
                        note: Some(note),
                        ..Default::default()
                    },
                )));
            }
            if response.lost_focus() {
                actions.push(Action::Seal);
            }

            ui.separator();
            ui.label(RichText::new("Evidence").strong());
            let evidence = project.evidence_for(&id);
            if evidence.is_empty() {
                ui.label(
                    RichText::new(
                        "None yet: select a passage in any article and press “Add as evidence”.",
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
                        actions.push(Action::from_op(ops::remove_evidence(ws, eid)));
                    }
                });
            }
        }
    }
}
