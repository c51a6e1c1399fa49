//! Menu bar, the outside-changes banner and the status bar.

use egui::RichText;

use crate::context::{Action, Actions, ViewCtx};
use crate::theme;
use claimdesk_core::command::{Command, Menu};

pub fn menu_bar_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            let verdicts = cx.verdict_labels();
            for menu in Menu::ALL {
                ui.menu_button(menu.title(), |ui| {
                    if menu == Menu::File && !cx.settings.recent.is_empty() {
                        ui.menu_button("Open recent", |ui| {
                            for path in &cx.settings.recent {
                                if ui.button(path.display().to_string()).clicked() {
                                    actions.push(Action::OpenPath(path.clone()));
                                }
                            }
                        });
                    }
                    for command in Command::all().into_iter().filter(|c| c.menu() == menu) {
                        menu_item(cx, ui, actions, command, &verdicts);
                    }
                });
            }
        });
    });
}

/// One menu entry: a checkbox for the two toggles (drawn by egui, so no glyph can be
/// missing), else a button with its shortcut.
fn menu_item(
    cx: &ViewCtx,
    ui: &mut egui::Ui,
    actions: &mut Actions,
    command: Command,
    verdicts: &[String],
) {
    let text = command.title(verdicts);
    let toggle = match command {
        Command::ToggleSuggestions => Some(cx.settings.show_suggestions),
        Command::ToggleRemoved => Some(cx.settings.show_removed),
        _ => None,
    };
    if let Some(mut on) = toggle {
        let shortcut = command.shortcut().map(|s| s.describe()).unwrap_or_default();
        if ui.checkbox(&mut on, text).on_hover_text(shortcut).changed() {
            actions.command(command);
        }
        return;
    }
    let mut button = egui::Button::new(text);
    if let Some(shortcut) = command.shortcut() {
        button = button.shortcut_text(shortcut.describe());
    }
    if ui.add(button).clicked() {
        actions.command(command);
    }
}

/// Outside changes to the project or its articles, with a reload offer.
pub fn banner_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
    if cx.state.disk_changes.is_empty() {
        return;
    }
    egui::Panel::top("disk-changes").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let names: Vec<String> = cx
                .state
                .disk_changes
                .iter()
                .map(|p| p.file_name().unwrap_or_default().to_string_lossy().into_owned())
                .collect();
            ui.colored_label(theme::warning_text(), format!("Changed on disk: {}", names.join(", ")));
            if cx.ws.is_some_and(claimdesk_core::workspace::Workspace::is_dirty) {
                ui.label("(reloading puts your unsaved edits aside in a journal file; save first to keep them in the project)");
            }
            if ui.button("Reload").clicked() {
                actions.push(Action::Reload);
            }
            if ui.button("Ignore").clicked() {
                actions.push(Action::IgnoreDiskChanges);
            }
        });
    });
}

pub fn status_bar_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
    if let Some(progress) = &cx.jobs.import {
        egui::Panel::bottom("import-progress").show(ui, |ui| {
            if crate::jobs::progress_ui(ui, progress, "Cancel import") {
                actions.push(Action::CancelImport);
            }
        });
    }
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui
                .small_button(cx.notices.status_text())
                .on_hover_text("Every message so far, with its severity")
                .clicked()
            {
                actions.command(Command::ShowNotices);
            }
            ui.separator();
            let Some(ws) = cx.ws else {
                ui.label("No project");
                return;
            };
            let name = ws
                .path()
                .map_or_else(|| "unsaved project".into(), |p| p.display().to_string());
            ui.add(egui::Label::new(name).truncate());
            if cx.unsaved_changes {
                ui.label(RichText::new("unsaved changes (kept in the crash journal)").weak());
            } else if ws.is_dirty() {
                ui.label(
                    RichText::new(
                        "not saved yet: only imported articles, Save keeps them as a project",
                    )
                    .weak(),
                );
            }
            if let Some(reason) = ws.read_only_reason() {
                ui.colored_label(theme::warning_text(), format!("read-only: {reason}"));
            }
            ui.separator();
            let counts = ws.project().counts();
            ui.label(format!(
                "{} articles · {} claims ({} rated) · {} entities",
                counts.articles, counts.claims, counts.rated, counts.entities
            ));
        });
    });
}
