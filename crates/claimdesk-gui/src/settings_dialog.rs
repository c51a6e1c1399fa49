//! Who the analyst is: asked once on first run (when the user's settings name nobody) and
//! kept in Edit > Preferences. The name and e-mail sign every record the analyst creates or
//! changes and author their sync commits; the app stores them through
//! `claimdesk_core::settings` ([`Action::SetAnalyst`]).

use egui::RichText;

use claimdesk_core::settings::Analyst;

use crate::context::{Action, Actions, ViewCtx};
use crate::theme;

struct Draft {
    name: String,
    email: String,
    /// Opened by the first-run question rather than by the analyst.
    first_run: bool,
}

#[derive(Default)]
pub struct AnalystDialog {
    draft: Option<Draft>,
}

impl AnalystDialog {
    /// Opens the dialog on the analyst's current name and e-mail.
    pub fn open(&mut self, current: Option<&Analyst>) {
        self.draft = Some(Draft {
            name: current.map(|a| a.name.clone()).unwrap_or_default(),
            email: current.map(|a| a.email.clone()).unwrap_or_default(),
            first_run: false,
        });
    }

    pub fn is_open(&self) -> bool {
        self.draft.is_some()
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        if self.draft.is_none() && cx.team.ask_analyst {
            self.draft = Some(Draft {
                name: String::new(),
                email: String::new(),
                first_run: true,
            });
        }
        let Some(draft) = &mut self.draft else {
            return;
        };
        let checked = Analyst::new(&draft.name, &draft.email);
        let mut close = None;
        let modal = egui::Modal::new(egui::Id::unique("analyst-dialog")).show(ui.ctx(), |ui| {
            ui.set_width(440.0);
            ui.heading(if draft.first_run {
                "Who is working?"
            } else {
                "Preferences"
            });
            ui.label("Your name goes on every claim, entity and evidence item you create or change (with the time), and on your sync commits, so the team sees who did what.");
            egui::Grid::new("analyst-fields")
                .num_columns(2)
                .show(ui, |ui| {
                    let label = ui.label("Your name");
                    ui.add(
                        egui::TextEdit::singleline(&mut draft.name)
                            .hint_text("Dana Reyes")
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label("E-mail");
                    ui.add(
                        egui::TextEdit::singleline(&mut draft.email)
                            .hint_text("dana@example.org (optional)")
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                });
            // Said as soon as something is typed, not only on Save.
            if let Err(problem) = &checked
                && !(draft.name.trim().is_empty() && draft.email.trim().is_empty())
            {
                ui.colored_label(theme::warning_text(), format!("Not yet: {problem}"));
            }
            match &cx.team.settings_path {
                Some(path) => ui.label(
                    RichText::new(format!("Kept in {}", path.display()))
                        .small()
                        .weak(),
                ),
                None => ui.label(
                    RichText::new("No settings folder: used for this session only")
                        .small()
                        .weak(),
                ),
            };
            if let Some(error) = &cx.team.settings_error {
                ui.colored_label(theme::warning_text(), RichText::new(error).small());
            }
            ui.horizontal(|ui| {
                let save = ui.add_enabled(checked.is_ok(), egui::Button::new("Save"));
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                if save.clicked() || (enter && checked.is_ok()) {
                    close = Some(true);
                }
                let later = if draft.first_run { "Not now" } else { "Cancel" };
                if ui.button(later).clicked() {
                    close = Some(false);
                }
            });
        });
        if modal.should_close() && close.is_none() {
            close = Some(false);
        }
        match close {
            Some(true) => {
                actions.push(Action::SetAnalyst {
                    name: draft.name.clone(),
                    email: draft.email.clone(),
                });
                self.draft = None;
            }
            Some(false) => {
                if draft.first_run {
                    actions.push(Action::DismissAnalystPrompt);
                }
                self.draft = None;
            }
            None => {}
        }
    }
}
