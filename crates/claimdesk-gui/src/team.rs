//! A team on one project: the Sync button and its report, the editorial workflow of the
//! selected claim (status, assignee, reviewer, sign-off), the claims list's workflow filters
//! and the activity view (who did what, when). Like every panel these read the [`ViewCtx`] and
//! push [`Action`]s; the sync itself and who the analyst is live in the app
//! (`app/team.rs`), which alone applies anything.

use std::collections::BTreeSet;
use std::path::PathBuf;

use egui::RichText;

use claimdesk_core::activity::{self, Entry};
use claimdesk_core::command::Command;
use claimdesk_core::ops;
use claimdesk_core::project::{Claim, Id, Project, Signed};
use claimdesk_core::settings::Analyst;
use claimdesk_core::sync::{Merged, SyncReport};
use claimdesk_core::workspace::Workspace;

use crate::context::{Action, Actions, Focus, ViewCtx};
use crate::notices::Severity;
use crate::theme;

/// How the last sync ended.
#[derive(Clone, Debug)]
pub enum SyncOutcome {
    Report(Box<SyncReport>),
    /// The sync could not finish; the message says what to do.
    Failed(String),
}

/// What the team panels read (kept up by the app).
#[derive(Default)]
pub struct TeamView {
    /// The git repository the project file is in, if any: the toolbar offers Sync then.
    pub repository: Option<PathBuf>,
    /// A sync runs: the project is read-only until it ends.
    pub syncing: bool,
    pub last: Option<SyncOutcome>,
    /// Moves each time a sync ends (the report window opens on it).
    pub serial: u64,
    /// Who the analyst is, as the user's settings say (what edits are signed with).
    pub analyst: Option<Analyst>,
    /// Ask who the analyst is: the settings were read and name nobody, and the analyst has not
    /// put the question off.
    pub ask_analyst: bool,
    /// Where the user's settings are kept (`None`: nowhere, e.g. in tests).
    pub settings_path: Option<PathBuf>,
    /// The user's settings could not be read (the message says how to fix it).
    pub settings_error: Option<String>,
}

/// The team's own panel state, each part its own.
#[derive(Default)]
pub struct TeamPanels {
    pub sync_report: SyncReportWindow,
    pub analyst: crate::settings_dialog::AnalystDialog,
    pub activity: ActivityPanel,
}

// ---------------------------------------------------------------------------------------------
// Sync

/// The menu bar's end: who is working (a click changes it) and, when the project is in a git
/// repository, the Sync button.
pub fn toolbar_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
    ui.separator();
    let who = match &cx.team.analyst {
        Some(analyst) => ui
            .small_button(RichText::new(format!("as {}", analyst.name)).weak())
            .on_hover_text(format!(
                "Your edits and sync commits are signed {analyst}; click to change"
            )),
        None => ui
            .small_button("Who are you?")
            .on_hover_text("Your edits are not signed yet: give your name and e-mail"),
    };
    if who.clicked() {
        actions.command(Command::Preferences);
    }
    let Some(repository) = &cx.team.repository else {
        return;
    };
    let label = if cx.team.syncing {
        "Syncing…"
    } else {
        "Sync"
    };
    let mut hover = format!(
        "Commit your work, fetch and merge the team's, push (git repository {})",
        repository.display()
    );
    if let Some(SyncOutcome::Report(report)) = &cx.team.last {
        hover.push_str(&format!("\nLast sync: {}", headline(report)));
    }
    let button = ui
        .add_enabled(!cx.team.syncing, egui::Button::new(label))
        .on_hover_text(hover);
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Sync"));
    if button.clicked() {
        actions.command(Command::Sync);
    }
    if cx.team.last.is_some()
        && ui
            .small_button("report")
            .on_hover_text("The last sync's report")
            .clicked()
    {
        // Only the report window's own state: it reads this flag next frame.
        ui.ctx()
            .data_mut(|d| d.insert_temp(reopen_report_id(), true));
    }
}

fn reopen_report_id() -> egui::Id {
    egui::Id::unique("claimdesk-reopen-sync-report")
}

/// A bar at the bottom while a sync runs (git has no progress to report here: a spinner).
pub fn sync_progress_ui(cx: &ViewCtx, ui: &mut egui::Ui) {
    if !cx.team.syncing {
        return;
    }
    egui::Panel::bottom("sync-progress").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.add(egui::Spinner::new());
            ui.label("Syncing with the team (commit, fetch, merge, push)… the project is read-only until it finishes.");
        });
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    });
}

/// One line saying what a sync did: what came in, else how it went.
pub fn headline(report: &SyncReport) -> String {
    if !report.summary.is_empty() {
        return report.summary.join("; ");
    }
    let remote = || {
        format!(
            "{}/{}",
            report.remote.as_deref().unwrap_or("origin"),
            report.branch
        )
    };
    match report.merged {
        Merged::NoRemote => "no remote to sync with: committed locally only".into(),
        Merged::NewBranch => format!("created {} with your work", remote()),
        Merged::UpToDate if report.committed.is_some() => {
            format!("nothing new came in; your work is on {}", remote())
        }
        Merged::UpToDate => "nothing new came in".into(),
        Merged::FastForward | Merged::Merged => {
            "new commits came in, with no change to this project".into()
        }
    }
}

/// The last sync's report: what came in (by whom), the conflicts to settle (each opens its
/// claim, whose editor offers Keep ours / Use theirs), and anything else worth knowing.
#[derive(Default)]
pub struct SyncReportWindow {
    open: bool,
    seen: u64,
}

impl SyncReportWindow {
    pub fn open(&mut self) {
        self.open = true;
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        if cx.team.serial != self.seen {
            self.seen = cx.team.serial;
            self.open = cx.team.last.is_some();
        }
        if ui
            .ctx()
            .data_mut(|d| d.remove_temp::<bool>(reopen_report_id()))
            .is_some()
        {
            self.open = true;
        }
        let Some(last) = &cx.team.last else {
            return;
        };
        let mut open = self.open;
        // Below the menu bar, in the middle: never over the Sync button or the claim editor.
        let screen = ui.ctx().content_rect();
        egui::Window::new("Sync report")
            .open(&mut open)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(screen.center_top() + egui::vec2(-120.0, 90.0))
            .default_size([560.0, 320.0])
            .collapsible(false)
            .show(ui.ctx(), |ui| match last {
                SyncOutcome::Failed(message) => {
                    ui.colored_label(theme::warning_text(), "The sync could not finish.");
                    ui.label(message);
                    ui.label(
                        RichText::new("Your saved work is still in the project file; sync again once this is settled.")
                            .small()
                            .weak(),
                    );
                }
                SyncOutcome::Report(report) => report_ui(cx, ui, actions, report),
            });
        self.open = open;
    }
}

fn report_ui(cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions, report: &SyncReport) {
    let remote = format!(
        "{}/{}",
        report.remote.as_deref().unwrap_or("origin"),
        report.branch
    );
    ui.label(RichText::new(format!("Synced with {remote}")).strong());
    ui.label(
        RichText::new(report.repository.display().to_string())
            .small()
            .weak(),
    );
    ui.separator();
    if report.summary.is_empty() {
        ui.label(headline(report));
    } else {
        ui.label(RichText::new("Came in:").strong());
        for line in &report.summary {
            ui.label(format!("  {line}"));
        }
    }
    if !report.incoming.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Every record that came in ({})",
            report.incoming.len()
        ))
        .id_salt("sync-incoming")
        .show(ui, |ui| {
            // Changes nobody is named for were made by the commits' authors (as the summary says).
            let authors = match report.authors.as_slice() {
                [] => "someone".to_string(),
                names => names.join(" and "),
            };
            egui::ScrollArea::vertical()
                .id_salt("sync-incoming-rows")
                .max_height(160.0)
                .show(ui, |ui| {
                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                    for change in &report.incoming {
                        let who = change.who.as_deref().unwrap_or(&authors);
                        let text = format!("{who}: {} — {}", change.kind.phrase(1), change.detail);
                        let claim = cx
                            .ws
                            .and_then(|ws| ws.project().claims.get(&change.id).map(|c| (ws, c)));
                        match claim {
                            Some((_, claim)) => {
                                if ui.link(text).clicked() {
                                    go_to_claim(actions, &change.id, claim);
                                }
                            }
                            None => {
                                ui.label(text);
                            }
                        }
                    }
                });
        });
    }
    let mut done = Vec::new();
    if let Some(commit) = &report.committed {
        done.push(format!("committed your work as {commit}"));
    }
    if report.pushed {
        done.push(format!("pushed to {remote}"));
    }
    done.extend(report.configured.iter().map(|c| format!("set up {c}")));
    for line in done {
        ui.label(RichText::new(line).small().weak());
    }
    if !report.conflicts.is_empty() {
        ui.separator();
        ui.colored_label(
            theme::warning_text(),
            RichText::new(format!(
                "{} conflict(s) kept: both of you changed the same field. Open each and choose Keep ours or Use theirs.",
                report.conflicts.len()
            ))
            .strong(),
        );
        let project = cx.ws.map(Workspace::project);
        for conflict in &report.conflicts {
            let claim = project.and_then(|p| p.claims.get(&conflict.claim));
            let open = claim.is_some_and(|c| c.conflicts.iter().any(|f| f.field == conflict.field));
            let text = format!(
                "“{}”: {} is “{}” here, “{}” in theirs",
                conflict.quote, conflict.field, conflict.ours, conflict.theirs
            );
            ui.horizontal_wrapped(|ui| {
                let response = ui.add(egui::Button::new(&text).wrap());
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Open conflict: {text}"),
                    )
                });
                if response.clicked()
                    && let Some(claim) = claim
                {
                    go_to_claim(actions, &conflict.claim, claim);
                }
                if !open {
                    ui.label(RichText::new("settled").small().weak());
                }
            });
        }
    }
    if !report.notices.is_empty() {
        ui.separator();
        for notice in &report.notices {
            ui.label(RichText::new(notice).small());
        }
    }
    ui.separator();
    if ui
        .small_button("Copy report")
        .on_hover_text("The whole report as text, as `claimdesk sync` prints it")
        .clicked()
    {
        ui.ctx().copy_text(report.lines().join("\n"));
    }
}

fn go_to_claim(actions: &mut Actions, id: &Id, claim: &Claim) {
    actions.push(Action::Focus(Some(Focus::Claim(id.clone()))));
    actions.push(Action::ScrollTo {
        article: claim.article.clone(),
        offset: claim.anchor.start,
    });
}

// ---------------------------------------------------------------------------------------------
// The editorial workflow of one claim

/// "Dana Reyes, 2026-12-01 21:04".
fn signature(signed: &Signed) -> String {
    let name = match signed.name() {
        "" => "someone",
        name => name,
    };
    format!("{name}, {}", when(&signed.at))
}

/// "2026-12-01 21:04" of an RFC 3339 UTC time.
pub fn when(at: &str) -> String {
    let at = at.replace('T', " ");
    let at = at.trim_end_matches('Z');
    // Minutes are enough to read; seconds stay in the file.
    match at.char_indices().nth(16) {
        Some((cut, _)) => at[..cut].to_string(),
        None => at.to_string(),
    }
}

/// Names to offer: the team's (already assigned, or the analyst), then the registry's people.
type People = (Vec<String>, Vec<String>);

/// Names worth offering as assignee or reviewer: the analyst, the people the project already
/// assigns or asks to review, then the registry's people.
pub fn known_people(ws: &Workspace) -> People {
    let project = ws.project();
    let mut team: BTreeSet<String> = project
        .claims
        .values()
        .flat_map(|c| [c.assignee.clone(), c.reviewer.clone()])
        .flatten()
        .collect();
    if let Some(analyst) = ws.analyst() {
        team.insert(analyst.name.clone());
    }
    let registry: BTreeSet<String> = project
        .entities
        .values()
        .filter(|e| e.kind == claimdesk_core::analysis::EntityKind::Person)
        .map(|e| e.name.clone())
        .filter(|name| !team.contains(name))
        .collect();
    (
        team.into_iter().collect(),
        // A big registry would make the list useless; it is for a quick pick.
        registry.into_iter().take(30).collect(),
    )
}

/// The workflow part of the claim editor: its own state is a refusal to keep showing and a
/// name being typed.
#[derive(Default)]
pub struct WorkflowEditor {
    /// Why the last status change or sign-off of this claim was refused, until another
    /// claim is selected or a change goes through.
    refusal: Option<(Id, String)>,
    typed: String,
    /// The known names, computed once per project change (or change of analyst).
    people: Option<((u64, Option<String>), People)>,
    /// The project's status scale being edited (steps separated by commas), when open.
    scale_text: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Assignee,
    Reviewer,
}

impl WorkflowEditor {
    pub fn ui(&mut self, ws: &Workspace, ui: &mut egui::Ui, actions: &mut Actions, id: &Id) {
        let project = ws.project();
        let Some(claim) = project.claims.get(id) else {
            return;
        };
        if self.refusal.as_ref().is_some_and(|(claim, _)| claim != id) {
            self.refusal = None;
        }
        ui.separator();
        ui.label(RichText::new("Workflow").strong());
        let mut made = Vec::new();
        if let Some(created) = &claim.provenance.created {
            made.push(format!("created by {}", signature(created)));
        }
        if let Some(changed) = &claim.provenance.changed
            && claim.provenance.created.as_ref() != Some(changed)
        {
            made.push(format!("changed by {}", signature(changed)));
        }
        if !made.is_empty() {
            ui.label(RichText::new(made.join(" · ")).small().weak());
        }

        let current = project.status_of(claim).to_string();
        ui.horizontal_wrapped(|ui| {
            ui.label("Status");
            for step in &project.status_scale {
                let selected = *step == current;
                let response = ui.add(egui::Button::selectable(selected, step));
                response.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::Button,
                        true,
                        selected,
                        format!("Status: {step}"),
                    )
                });
                if response.clicked() && !selected {
                    self.plan(actions, id, ops::set_status(ws, id, step));
                }
            }
            if self.scale_text.is_none() && ui.small_button("Edit steps…").clicked() {
                self.scale_text = Some(project.status_scale.join(", "));
            }
        });
        // The scale is the project's, like the rating scale: one undoable edit for every claim.
        if let Some(text) = &mut self.scale_text {
            let mut apply = false;
            let mut close = false;
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("Steps, first to last (the last publishes):");
                let field = ui
                    .add(egui::TextEdit::singleline(text).desired_width(260.0))
                    .labelled_by(label.id);
                apply = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                apply |= ui.small_button("Apply steps").clicked();
                close = ui.small_button("Cancel").clicked();
            });
            if apply {
                let steps: Vec<String> = text.split(',').map(|s| s.trim().to_string()).collect();
                self.plan(actions, id, ops::set_status_scale(ws, steps));
                self.scale_text = None;
            } else if close {
                self.scale_text = None;
            }
        }
        let blockers = ops::publish_blockers(project, id);
        if !project.is_published(claim)
            && !blockers.is_empty()
            && let Some(published) = project.published_status()
        {
            ui.label(
                RichText::new(format!(
                    "To be “{published}” it needs {}.",
                    join_and(&blockers)
                ))
                .small()
                .color(theme::caution_text()),
            );
        }
        if let Some((_, refusal)) = &self.refusal {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.colored_label(theme::warning_text(), RichText::new(refusal).strong());
            });
        }

        let people = {
            let key = (ws.generation(), ws.analyst().map(|a| a.name.clone()));
            if self.people.as_ref().is_none_or(|(k, _)| *k != key) {
                self.people = Some((key, known_people(ws)));
            }
            self.people
                .as_ref()
                .map(|(_, p)| p.clone())
                .unwrap_or_default()
        };
        for role in [Role::Assignee, Role::Reviewer] {
            self.person_ui(ws, ui, actions, id, claim, role, &people);
        }

        ui.horizontal_wrapped(|ui| {
            match &claim.signed_off {
                Some(signed) => {
                    ui.label(
                        RichText::new(format!("Signed off by {}", signature(signed)))
                            .color(theme::info_text()),
                    );
                }
                None => {
                    ui.label(RichText::new("Not signed off").weak());
                }
            }
            let hover = match (&claim.reviewer, ws.analyst()) {
                (_, None) => "Say who you are first (Edit menu, Preferences)".to_string(),
                (Some(reviewer), Some(me)) if !reviewer.eq_ignore_ascii_case(&me.name) => {
                    format!("Only {reviewer}, the reviewer, signs this claim off")
                }
                (_, Some(me)) => format!("Record that {} reviewed it, and when", me.name),
            };
            if ui.button("Sign off").on_hover_text(hover).clicked() {
                self.plan(actions, id, ops::sign_off(ws, id));
            }
            if ws.analyst().is_none() && ui.small_button("Say who you are…").clicked() {
                actions.command(Command::Preferences);
            }
        });
    }

    /// Applies the operation, or keeps its refusal on show (and says it).
    fn plan(&mut self, actions: &mut Actions, id: &Id, result: ops::Result<ops::Op>) {
        match result {
            Ok(op) => {
                self.refusal = None;
                actions.op(Ok(op));
            }
            Err(err) => {
                // The editor shows which claim; its id would only be noise here.
                let err = err
                    .to_string()
                    .replace(&format!("claim {id}"), "this claim");
                actions.notice(Severity::Warning, format!("Not done: {err}"));
                self.refusal = Some((id.clone(), format!("Refused: {err}")));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn person_ui(
        &mut self,
        ws: &Workspace,
        ui: &mut egui::Ui,
        actions: &mut Actions,
        id: &Id,
        claim: &Claim,
        role: Role,
        (team, registry): &People,
    ) {
        let (title, current) = match role {
            Role::Assignee => ("Assignee", claim.assignee.as_deref()),
            Role::Reviewer => ("Reviewer", claim.reviewer.as_deref()),
        };
        let set = |name: Option<String>| match role {
            Role::Assignee => ops::assign(ws, id, Some(name), None),
            Role::Reviewer => ops::assign(ws, id, None, Some(name)),
        };
        let mut chosen: Option<Option<String>> = None;
        ui.horizontal(|ui| {
            let label = ui.label(title);
            egui::ComboBox::from_id_salt(("workflow-person", title))
                .selected_text(current.unwrap_or("nobody"))
                .width(200.0)
                .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
                .show_ui(ui, |ui| {
                    if ui.selectable_label(current.is_none(), "nobody").clicked() {
                        chosen = Some(None);
                    }
                    for name in team {
                        if ui
                            .selectable_label(current == Some(name.as_str()), name)
                            .clicked()
                        {
                            chosen = Some(Some(name.clone()));
                        }
                    }
                    if !registry.is_empty() {
                        ui.label(RichText::new("From the registry").small().weak());
                        for name in registry {
                            if ui
                                .selectable_label(current == Some(name.as_str()), name)
                                .clicked()
                            {
                                chosen = Some(Some(name.clone()));
                            }
                        }
                    }
                    ui.separator();
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.typed)
                            .hint_text("another name, then Enter")
                            .desired_width(180.0),
                    );
                    field.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::TextInput,
                            true,
                            format!("{title}: another name"),
                        )
                    });
                    if field.lost_focus()
                        && ui.input(|i| i.key_pressed(egui::Key::Enter))
                        && !self.typed.trim().is_empty()
                    {
                        chosen = Some(Some(std::mem::take(&mut self.typed)));
                    }
                    if chosen.is_some() {
                        ui.close();
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if let Some(name) = chosen {
            if name.as_deref() == current {
                return;
            }
            self.plan(actions, id, set(name));
        }
    }
}

/// "a, b and c".
fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

// ---------------------------------------------------------------------------------------------
// The claims list's workflow filters

/// Whom a person filter keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PersonFilter {
    #[default]
    Any,
    Nobody,
    Named(String),
}

impl PersonFilter {
    fn keeps(&self, name: Option<&str>) -> bool {
        match self {
            PersonFilter::Any => true,
            PersonFilter::Nobody => name.is_none(),
            PersonFilter::Named(wanted) => name == Some(wanted.as_str()),
        }
    }

    fn text(&self) -> &str {
        match self {
            PersonFilter::Any => "any",
            PersonFilter::Nobody => "nobody",
            PersonFilter::Named(name) => name,
        }
    }
}

/// Status, assignee and reviewer filters above the claims list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkflowFilter {
    /// "" = any, else a step of the status scale.
    pub status: String,
    pub assignee: PersonFilter,
    pub reviewer: PersonFilter,
}

impl WorkflowFilter {
    pub fn keeps(&self, project: &Project, claim: &Claim) -> bool {
        (self.status.is_empty() || project.status_of(claim) == self.status)
            && self.assignee.keeps(claim.assignee.as_deref())
            && self.reviewer.keeps(claim.reviewer.as_deref())
    }

    pub fn ui(&mut self, project: &Project, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::new("status-filter", "status")
                .selected_text(if self.status.is_empty() {
                    "any"
                } else {
                    self.status.as_str()
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.status, String::new(), "any");
                    for step in &project.status_scale {
                        ui.selectable_value(&mut self.status, step.clone(), step);
                    }
                });
            let names = |pick: fn(&Claim) -> Option<&String>| -> BTreeSet<String> {
                project.claims.values().filter_map(pick).cloned().collect()
            };
            for (salt, title, filter, names) in [
                (
                    "assignee-filter",
                    "assignee",
                    &mut self.assignee,
                    names(|c| c.assignee.as_ref()),
                ),
                (
                    "reviewer-filter",
                    "reviewer",
                    &mut self.reviewer,
                    names(|c| c.reviewer.as_ref()),
                ),
            ] {
                egui::ComboBox::new(salt, title)
                    .selected_text(filter.text().to_string())
                    .show_ui(ui, |ui| {
                        ui.selectable_value(filter, PersonFilter::Any, "any");
                        ui.selectable_value(filter, PersonFilter::Nobody, "nobody");
                        for name in names {
                            let label = name.clone();
                            ui.selectable_value(filter, PersonFilter::Named(name), label);
                        }
                    });
            }
        });
    }
}

/// A claim row's workflow chip: its status, and who has it.
pub fn status_chip(ui: &mut egui::Ui, project: &Project, claim: &Claim) {
    let status = project.status_of(claim);
    let text = RichText::new(status).small();
    if project.is_published(claim) {
        ui.colored_label(theme::info_text(), text.strong());
    } else {
        ui.label(text);
    }
    if let Some(assignee) = &claim.assignee {
        ui.label(RichText::new(format!("· {assignee}")).small());
    }
    if claim.signed_off.is_some() {
        ui.label(RichText::new("· signed off").small().weak());
    }
}

// ---------------------------------------------------------------------------------------------
// Activity

/// The activity tab: who did what, when, newest first; a row opens its claim.
#[derive(Default)]
pub struct ActivityPanel {
    /// (workspace revision, generation, unsaved) the rows were derived at: a save turns the
    /// journal's rows into the records' without a new generation.
    at: Option<(u64, u64, bool)>,
    rows: Vec<Entry>,
    /// Who appears in `rows`, for the filter.
    people: BTreeSet<String>,
    who: String,
}

impl ActivityPanel {
    /// The rows shown now (for tests).
    pub fn rows(&self) -> &[Entry] {
        &self.rows
    }

    pub fn ui(&mut self, cx: &ViewCtx, ui: &mut egui::Ui, actions: &mut Actions) {
        let Some(ws) = cx.ws else {
            return;
        };
        let key = (cx.state.revisions.workspace, ws.generation(), ws.is_dirty());
        if self.at != Some(key) {
            // Reads the journal file: once per change, never per frame.
            self.rows = activity::activity(ws);
            self.people = self
                .rows
                .iter()
                .filter_map(|r| r.who.as_deref().map(person))
                .collect();
            self.at = Some(key);
        }
        ui.horizontal_wrapped(|ui| {
            ui.heading("Activity");
            egui::ComboBox::new("activity-who", "who")
                .selected_text(if self.who.is_empty() {
                    "anyone"
                } else {
                    self.who.as_str()
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.who, String::new(), "anyone");
                    for name in &self.people {
                        ui.selectable_value(&mut self.who, name.clone(), name);
                    }
                });
        });
        let rows: Vec<&Entry> = self
            .rows
            .iter()
            .filter(|r| {
                self.who.is_empty() || r.who.as_deref().map(person).as_ref() == Some(&self.who)
            })
            .collect();
        ui.label(
            RichText::new(format!(
                "{} change(s), newest first; unsaved ones in italics. Click one to open its claim.",
                rows.len()
            ))
            .small()
            .weak(),
        );
        ui.separator();
        if rows.is_empty() {
            ui.label(
                RichText::new("Nothing recorded yet: edits show here with who made them and when.")
                    .weak(),
            );
            return;
        }
        let project = ws.project();
        let height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical()
            .id_salt("activity")
            .auto_shrink([false, false])
            .show_rows(ui, height, rows.len(), |ui, range| {
                for entry in &rows[range] {
                    row_ui(ui, actions, project, entry);
                }
            });
    }
}

/// The name part of "Name <e-mail>".
fn person(who: &str) -> String {
    who.split(" <").next().unwrap_or(who).trim().to_string()
}

fn row_ui(ui: &mut egui::Ui, actions: &mut Actions, project: &Project, entry: &Entry) {
    let at = entry.at.as_deref().map_or("(unknown time)".into(), when);
    let who = entry.who.as_deref().map_or("someone".into(), person);
    let action = match entry.action {
        activity::Action::Created => "created",
        activity::Action::Changed => "changed",
        activity::Action::SignedOff => "signed off",
        activity::Action::Removed => "removed",
    };
    let record = match entry.record {
        activity::Record::Claim => "claim",
        activity::Record::Entity => "entity",
        activity::Record::Mention => "mention",
        activity::Record::Evidence => "evidence",
    };
    let mut job = egui::text::LayoutJob::default();
    let body = egui::TextStyle::Body.resolve(ui.style());
    let italics = entry.unsaved;
    let weak = ui.visuals().weak_text_color();
    let strong = ui.visuals().strong_text_color();
    let normal = ui.visuals().text_color();
    let mut add = |text: &str, color: egui::Color32| {
        job.append(
            text,
            0.0,
            egui::TextFormat {
                font_id: body.clone(),
                color,
                italics,
                ..Default::default()
            },
        );
    };
    add(&format!("{at}  "), weak);
    add(&who, strong);
    add(&format!(" {action} {record}  "), normal);
    add(&entry.detail, normal);
    if entry.unsaved {
        add("  (unsaved)", weak);
    }
    let target = entry
        .claim
        .as_ref()
        .and_then(|id| project.claims.get(id).map(|c| (id, c)));
    let text = entry.line();
    let response = ui.add(egui::Label::new(job).truncate().sense(egui::Sense::click()));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &text));
    let response = response.on_hover_text(&text);
    if response.clicked() {
        match (target, &entry.article) {
            (Some((id, claim)), _) => go_to_claim(actions, id, claim),
            (None, Some(article)) if project.articles.contains_key(article) => {
                actions.push(Action::SelectArticle(article.clone()));
            }
            _ => actions.notice(
                Severity::Info,
                format!("The {record} is no longer in the project"),
            ),
        }
    }
    if target.is_some() {
        response.on_hover_cursor(egui::CursorIcon::PointingHand);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(join_and(&["a verdict"]), "a verdict");
        assert_eq!(
            join_and(&["a verdict", "evidence", "no conflict"]),
            "a verdict, evidence and no conflict"
        );
    }

    #[test]
    fn times_read_to_the_minute() {
        assert_eq!(when("2026-12-01T21:04:59Z"), "2026-12-01 21:04");
        assert_eq!(when("2026-12-01"), "2026-12-01");
    }

    #[test]
    fn person_filters_keep_what_they_name() {
        assert!(PersonFilter::Any.keeps(None));
        assert!(PersonFilter::Nobody.keeps(None));
        assert!(!PersonFilter::Nobody.keeps(Some("Dana")));
        assert!(PersonFilter::Named("Dana".into()).keeps(Some("Dana")));
        assert!(!PersonFilter::Named("Dana".into()).keeps(Some("Lee")));
    }
}
