//! The GUI: a thin view over [`Workspace`]. Each panel owns its own state, reads a read-only
//! [`ViewCtx`] and pushes [`Action`]s; [`ClaimdeskApp`] applies them at the end of the frame —
//! the only place anything changes — and every project change is a core operation
//! (`claimdesk_core::ops`) applied through the workspace (undo, journal, tests).

mod app;
mod article_list;
mod article_view;
pub mod bench;
mod compare;
mod context;
mod dialogs;
mod inspector;
mod jobs;
pub mod notices;
mod panels;
mod project_panels;
mod reader;
mod search;
pub mod selection;
pub mod theme;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use claimdesk_core::workspace::{OpenOptions, Workspace};

pub use app::ClaimdeskApp;
pub use context::{Action, Focus, InspectorTab, UiState};
pub use selection::Selection;

/// Settings remembered between runs (eframe storage).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    pub zoom: f32,
    pub recent: Vec<PathBuf>,
    pub show_suggestions: bool,
    pub show_removed: bool,
    /// List suggestions strongest first instead of in text order.
    pub suggestions_by_score: bool,
    /// Shade only this many of an article's strongest suggestions in the text (all are listed).
    pub shade_strongest: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            zoom: 1.0,
            recent: Vec::new(),
            show_suggestions: true,
            show_removed: false,
            suggestions_by_score: false,
            shade_strongest: 8,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    Dark,
    Light,
    System,
}

const SETTINGS_KEY: &str = "claimdesk.settings";

impl eframe::App for ClaimdeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// Starts the native window on a project (the sample when `path` is `None`).
pub fn run_native(path: Option<PathBuf>, allow_outside: Vec<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Claimdesk")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "Claimdesk",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
                .unwrap_or_default();
            let app = match path {
                None => ClaimdeskApp::open_sample(settings),
                Some(path) if path.is_dir() || path.extension().is_some_and(|e| e != "ron") => {
                    // A folder or files: imported in the background once the window is up.
                    let mut app = ClaimdeskApp::new(None, settings);
                    app.start_import(&cc.egui_ctx, vec![path]);
                    app
                }
                Some(path) => {
                    let mut trusted = allow_outside;
                    trusted.extend(claimdesk_core::sample::trusted_roots_for(&path));
                    let options = OpenOptions {
                        trusted_roots: trusted,
                        read_only: false,
                    };
                    match Workspace::open(&path, &options) {
                        Ok(ws) => ClaimdeskApp::new(Some(ws), settings),
                        Err(err) => {
                            let mut app = ClaimdeskApp::new(None, settings);
                            app.act(Action::Notice(
                                notices::Severity::Error,
                                format!("Could not open {}: {err}", path.display()),
                            ));
                            app
                        }
                    }
                }
            };
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
}
