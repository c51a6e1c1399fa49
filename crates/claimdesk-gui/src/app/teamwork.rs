//! The app's side of working as a team: the sync (saved, run on a worker thread, the project
//! read back in between frames) and who the analyst is (the user's settings, signing edits).
//!
//! `sync::sync` wants the workspace for the whole run, which would stop the window while git
//! talks to the remote. So the work is split as the core allows: save on the UI thread, then
//! `sync::sync_saved` on the path in a [`Job`] (it touches only the repository), then
//! `Workspace::reload` on the UI thread when the job is done. Meanwhile the workspace stays
//! where it is for reading, and every action that would change the project or its file is
//! refused with a notice ([`changes_project`]), so the file git merges is the one saved.

use std::path::{Path, PathBuf};

use claimdesk_core::command::Command;
use claimdesk_core::settings::{Analyst, Settings};
use claimdesk_core::sync::{self, SyncOptions, SyncReport};

use super::ClaimdeskApp;
use crate::context::{Action, Focus};
use crate::jobs::{Job, Poll};
use crate::team::{SyncOutcome, TeamView};

/// The team state the app keeps.
#[derive(Default)]
pub(super) struct TeamState {
    pub view: TeamView,
    sync: Option<Job<Result<SyncReport, String>>>,
    /// Remote and driver for syncs (the analyst comes from the settings).
    pub options: SyncOptions,
    /// The project path the repository was looked up for.
    repository_for: Option<PathBuf>,
    /// The user's settings decide who signs edits (else the workspace's own reading).
    analyst_chosen: bool,
}

/// The git repository a project file is in: the nearest folder above it with a `.git`.
pub fn repository_of(project: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(project).ok()?;
    let folder = absolute.parent()?;
    let folder = folder
        .canonicalize()
        .unwrap_or_else(|_| folder.to_path_buf());
    folder
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Whether an action changes the project or its file (refused while a sync runs).
fn changes_project(action: &Action) -> bool {
    match action {
        Action::Op { .. }
        | Action::BulkSuggestions { .. }
        | Action::ConfirmName { .. }
        | Action::OpenPath(_)
        | Action::SaveTo(_)
        | Action::RestoreBackup { .. }
        | Action::Reload
        | Action::Close { save: true } => true,
        Action::Command(command) => matches!(
            command,
            Command::OpenProject
                | Command::OpenFolder
                | Command::Save
                | Command::SaveAs
                | Command::Undo
                | Command::Redo
                | Command::CorrectText
                | Command::MarkClaim
                | Command::MarkEntity
                | Command::AddEvidence
                | Command::ConfirmName
                | Command::ConfirmNameEverywhere
                | Command::SetVerdict(_)
                | Command::ClearVerdict
                | Command::AcceptSuggestion
                | Command::DismissSuggestion
        ),
        _ => false,
    }
}

impl ClaimdeskApp {
    /// Reads who the analyst is from the user's settings file at `path` (the native window
    /// passes `claimdesk_core::settings::settings_path()`); from then on they sign every edit,
    /// and the first-run question is asked when the file names nobody.
    pub fn use_user_settings(&mut self, path: Option<PathBuf>) {
        let view = &mut self.team.view;
        view.settings_path = path.clone();
        view.settings_error = None;
        match path {
            None => {
                view.settings_error = Some(
                    "Claimdesk finds no folder for its settings (no home folder); set CLAIMDESK_CONFIG_DIR to keep your name"
                        .into(),
                );
            }
            Some(path) => match Settings::load_from(&path) {
                Ok(settings) => {
                    view.ask_analyst = settings.analyst.is_none();
                    view.analyst = settings.analyst;
                }
                Err(err) => {
                    // Not asked again: saving would replace a file the user may want to fix.
                    view.settings_error = Some(err.to_string());
                    self.notices.error(err.to_string());
                }
            },
        }
        self.team.analyst_chosen = true;
        if let Some(ws) = &mut self.ws {
            ws.set_analyst(self.team.view.analyst.clone());
        }
    }

    /// Whether a sync is running.
    pub fn is_syncing(&self) -> bool {
        self.team.sync.is_some()
    }

    /// How the last sync ended.
    pub fn last_sync(&self) -> Option<&SyncOutcome> {
        self.team.view.last.as_ref()
    }

    /// The activity rows the Activity tab shows (derived when it was last drawn).
    pub fn activity_rows(&self) -> &[claimdesk_core::activity::Entry] {
        self.panels.team.activity.rows()
    }

    /// Keeps the team view up: the workspace's analyst and its repository.
    pub(super) fn refresh_team_view(&mut self) {
        let Some(ws) = &mut self.ws else {
            self.team.view.repository = None;
            self.team.repository_for = None;
            return;
        };
        if self.team.analyst_chosen {
            if ws.analyst() != self.team.view.analyst.as_ref() {
                // A reopened workspace reads the settings of the environment; ours decide.
                ws.set_analyst(self.team.view.analyst.clone());
            }
        } else {
            self.team.view.analyst = ws.analyst().cloned();
        }
        let path = ws.path().map(Path::to_path_buf);
        if path != self.team.repository_for {
            self.team.view.repository = path.as_deref().and_then(repository_of);
            self.team.repository_for = path;
        }
    }

    /// Refuses an action that would change the project while a sync runs (saying so).
    pub(super) fn held_by_sync(&mut self, action: &Action) -> bool {
        changes_project(action) && self.held_by_sync_op()
    }

    /// Refuses a project change while a sync runs (saying so): operations reach the workspace
    /// by other ways than actions too.
    pub(super) fn held_by_sync_op(&mut self) -> bool {
        if self.team.sync.is_none() {
            return false;
        }
        self.notices.warning(
            "Syncing with the team: the project is read-only until the sync finishes; do it again then",
        );
        true
    }

    pub(super) fn set_analyst(&mut self, name: &str, email: &str) {
        let analyst = match Analyst::new(name, email) {
            Ok(analyst) => analyst,
            Err(problem) => {
                self.notices.warning(format!("Not saved: {problem}"));
                return;
            }
        };
        match &self.team.view.settings_path {
            Some(path) => {
                // Other settings in the file are kept; an unreadable file is replaced (its
                // error was shown when it was read).
                let mut settings = Settings::load_from(path).unwrap_or_default();
                settings.analyst = Some(analyst.clone());
                match settings.save_to(path) {
                    Ok(()) => {
                        self.team.view.settings_error = None;
                        self.notices.info(format!(
                            "You are {analyst}: your edits and sync commits carry this name (kept in {})",
                            path.display()
                        ));
                    }
                    Err(err) => self.notices.error(format!(
                        "Your name signs this session's edits but was not kept: {err}"
                    )),
                }
            }
            None => self.notices.info(format!(
                "You are {analyst} for this session (no settings folder to keep it in)"
            )),
        }
        self.team.view.analyst = Some(analyst.clone());
        self.team.view.ask_analyst = false;
        self.team.analyst_chosen = true;
        if let Some(ws) = &mut self.ws {
            ws.set_analyst(Some(analyst));
        }
    }

    pub(super) fn dismiss_analyst_prompt(&mut self) {
        self.team.view.ask_analyst = false;
        self.notices.info(
            "Your edits are not signed until you say who you are (Edit menu, Preferences: your name and e-mail)",
        );
    }

    pub(super) fn open_preferences(&mut self) {
        let current = self.team.view.analyst.clone();
        self.panels.team.analyst.open(current.as_ref());
    }

    /// Saves, then syncs the saved file on a worker thread (see the module comment).
    pub(super) fn start_sync(&mut self, ctx: &egui::Context) {
        if self.team.sync.is_some() {
            self.notices.info("A sync is already running");
            return;
        }
        if self.jobs.import.is_some() {
            self.notices
                .warning("An import is running; sync once it has finished");
            return;
        }
        let Some(ws) = &mut self.ws else {
            self.notices
                .warning("Open a project from a clone of the team's repository to sync it");
            return;
        };
        if let Some(reason) = ws.read_only_reason() {
            self.notices
                .warning(format!("Cannot sync: the project is read-only ({reason})"));
            return;
        }
        let Some(path) = ws.path().map(Path::to_path_buf) else {
            self.notices.warning(
                "Save the project inside a clone of the team's repository first, then sync",
            );
            return;
        };
        if ws.is_dirty() || !path.exists() {
            let saved = ws.save();
            let failed = saved.is_err();
            self.saved(Some(saved));
            if failed {
                self.notices
                    .error("Not synced: the project must be saved first");
                return;
            }
        }
        let options = SyncOptions {
            analyst: self
                .team
                .view
                .analyst
                .clone()
                .or_else(|| self.ws.as_ref().and_then(|ws| ws.analyst().cloned())),
            ..self.team.options.clone()
        };
        self.notices
            .info("Syncing with the team… the project is read-only until it finishes");
        let job = Job::spawn("Syncing", Some(ctx), self.inline_work, move |_| {
            sync::sync_saved(&path, &options).map_err(|err| err.to_string())
        });
        self.team.sync = Some(job);
        self.team.view.syncing = true;
    }

    /// Takes in a finished sync: reads the project back (what the merge left) and says what
    /// came in; conflicts the driver kept are listed in the report, each opening its claim.
    pub(super) fn poll_sync(&mut self) {
        let Some(job) = &mut self.team.sync else {
            return;
        };
        let outcome = match job.poll() {
            Poll::Running => return,
            Poll::Done(outcome) => outcome,
            Poll::Lost => Err(
                "the sync stopped unexpectedly; sync again (the next sync finishes what an interrupted one started)"
                    .into(),
            ),
        };
        self.team.sync = None;
        self.team.view.syncing = false;
        // Read back even after a failure: a merge may have changed the file before it failed.
        self.reload_after_sync();
        match outcome {
            Ok(report) => {
                self.notices
                    .info(format!("Synced: {}", crate::team::headline(&report)));
                if !report.conflicts.is_empty() {
                    self.notices.warning(format!(
                        "The sync kept {} conflict(s): you and a teammate changed the same field. Open each from the Sync report and choose Keep ours or Use theirs",
                        report.conflicts.len()
                    ));
                }
                for notice in &report.notices {
                    self.notices.info(format!("Sync: {notice}"));
                }
                self.team.view.last = Some(SyncOutcome::Report(Box::new(report)));
            }
            Err(message) => {
                self.notices.error(format!("Sync failed: {message}"));
                self.team.view.last = Some(SyncOutcome::Failed(message));
            }
        }
        self.team.view.serial += 1;
    }

    fn reload_after_sync(&mut self) {
        let Some(mut ws) = self.ws.take() else {
            return;
        };
        let selected = self.state.selected_article.clone();
        let focus = self.state.focus.clone();
        if let Err(err) = ws.reload() {
            self.notices.error(format!(
                "After the sync the project could not be read again: {err}"
            ));
        }
        self.set_workspace(ws);
        self.refresh_team_view();
        let Some(ws) = &self.ws else {
            return;
        };
        if let Some(selected) = selected.filter(|id| ws.article(id).is_some()) {
            self.state.selected_article = Some(selected);
        }
        self.state.focus = focus.filter(|focus| match focus {
            Focus::Claim(id) => ws.project().claims.contains_key(id),
            Focus::Suggestion { article, .. } => ws.article(article).is_some(),
        });
    }
}
