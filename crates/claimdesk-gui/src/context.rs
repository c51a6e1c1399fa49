//! What a panel gets to draw with (a read-only [`ViewCtx`]) and what it can ask for
//! ([`Action`]s, queued in [`Actions`]): the shape of rerun's `ViewerContext`. Panels own their
//! own state (a filter, a half-typed note, a running search); everything shared — the
//! workspace, the open article, the selection, the focus — they only read, and only
//! [`crate::ClaimdeskApp`] changes it, at the end of the frame, through the core operations.

use std::path::PathBuf;

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::analysis::crossref::Passage;
use claimdesk_core::command::Command;
use claimdesk_core::corpus::ArticleId;
use claimdesk_core::ops::{self, Op};
use claimdesk_core::progress::Snapshot;
use claimdesk_core::project::Id;
use claimdesk_core::report::ReportOptions;
use claimdesk_core::report::export::ExportFormat;
use claimdesk_core::text::Span;
use claimdesk_core::workspace::Workspace;

use crate::Settings;
use crate::article_view::ArticleView;
use crate::notices::Severity;
use crate::selection::Selection;

/// What is selected in the claims list / reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Focus {
    Claim(Id),
    Suggestion { article: ArticleId, span: Span },
}

/// The inspector's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InspectorTab {
    #[default]
    Article,
    AllClaims,
    Entities,
    Across,
    Orphans,
    Import,
    /// Who did what, when (`crate::team::ActivityPanel`).
    Activity,
}

/// A request to scroll the reader; `serial` tells a new request from one already followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScrollRequest {
    pub article: ArticleId,
    pub offset: usize,
    pub serial: u64,
}

/// A passage lit up for a moment (what an undo or redo changed).
#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    pub article: ArticleId,
    pub span: Span,
    /// egui time when it has faded.
    pub until: f64,
}

/// Two passages side by side (replaces the reader while open).
#[derive(Clone, Debug, PartialEq)]
pub struct Compare {
    pub left: Passage,
    pub right: Passage,
    pub scrolled: bool,
    /// The shared name under the pointer (lower-cased): its twins on both sides light up.
    pub hovered: Option<String>,
}

/// Counters the app moves on the changes it applies, so views re-derive what depends on one
/// kind of record only when that kind changed (a rating does not rebuild the article list).
/// `project` moves on every project change, `articles` on changes to the article set or an
/// article's details, `claims` on claim changes; analyses arriving move none of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Revisions {
    pub project: u64,
    pub articles: u64,
    pub claims: u64,
    /// A new workspace was opened (everything is new).
    pub workspace: u64,
}

/// The shared state panels read: changed only by the app.
pub struct UiState {
    pub selected_article: Option<ArticleId>,
    pub focus: Option<Focus>,
    /// The reader's selection (in the open article).
    pub selection: Option<Selection>,
    pub scroll: Option<ScrollRequest>,
    pub flash: Option<Flash>,
    pub entity_kind: EntityKind,
    pub tab: InspectorTab,
    pub compare: Option<Compare>,
    /// Files changed on disk by another program, offered for reload.
    pub disk_changes: Vec<PathBuf>,
    pub revisions: Revisions,
    /// A text field that edits project data has keyboard focus: plain-key shortcuts are off.
    pub editing_text: bool,
}

impl Default for UiState {
    fn default() -> Self {
        Self {
            selected_article: None,
            focus: None,
            selection: None,
            scroll: None,
            flash: None,
            // The kind "Mark as entity" starts on.
            entity_kind: EntityKind::Person,
            tab: InspectorTab::default(),
            compare: None,
            disk_changes: Vec::new(),
            revisions: Revisions::default(),
            editing_text: false,
        }
    }
}

/// Progress of the app's own background work, for the panels that show it.
#[derive(Default)]
pub struct JobsView {
    pub import: Option<Snapshot>,
    pub export: Option<Snapshot>,
    /// Articles being analysed now.
    pub analysing: Vec<ArticleId>,
}

/// Everything a panel may read this frame.
pub struct ViewCtx<'a> {
    pub ws: Option<&'a Workspace>,
    /// The open article's rows and highlights.
    pub view: &'a ArticleView,
    pub state: &'a UiState,
    pub settings: &'a Settings,
    /// Who the analyst is, the project's repository, the sync and its last report.
    pub team: &'a crate::team::TeamView,
    pub jobs: &'a JobsView,
    pub notices: &'a crate::notices::Notices,
    /// Records whose text could not be found (kept, listed), derived once per change.
    pub orphans: &'a std::sync::Arc<std::collections::BTreeSet<Id>>,
    /// The analyst changed something not yet saved (closing asks first).
    pub unsaved_changes: bool,
    /// Work that would go to a thread runs inline (tests, benchmarks).
    pub inline_work: bool,
    /// Whether native file dialogs may be tried (off in tests).
    pub native_dialogs: bool,
    /// egui time of this frame.
    pub now: f64,
    /// What the fact-check library holds for the project's claims ("checked before").
    pub factchecks: &'a crate::factcheck_panel::FactChecks,
    /// Pages being fetched and the archived copies in the project folder.
    pub captures: &'a crate::capture_dialog::Captures,
}

impl ViewCtx<'_> {
    pub fn verdict_labels(&self) -> Vec<String> {
        self.ws
            .map(|ws| {
                ws.project()
                    .rating_scale
                    .iter()
                    .map(|r| r.label.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The open article's id, when one is open.
    pub fn article(&self) -> Option<&str> {
        self.state.selected_article.as_deref()
    }

    pub fn is_analysing(&self, article: &str) -> bool {
        self.jobs.analysing.iter().any(|a| a == article)
    }
}

/// Everything a panel may ask for. Applied in order at the end of the frame.
#[derive(Clone, Debug)]
pub enum Action {
    Command(Command),
    /// A checked core operation (`claimdesk_core::ops`), applied as one undo step; `done` is
    /// said when it was applied.
    Op {
        op: Box<Op>,
        done: Option<String>,
    },
    Notice(Severity, String),
    SelectArticle(ArticleId),
    Focus(Option<Focus>),
    ScrollTo {
        article: ArticleId,
        offset: usize,
    },
    /// Sets (or, with `None`, clears) the reader's selection.
    Select(Option<Selection>),
    /// Selects exactly this passage (a search hit, a mention) and opens it.
    SelectText {
        article: ArticleId,
        span: Span,
    },
    /// Accept (or dismiss) these suggestions of one article, as one undo step.
    BulkSuggestions {
        article: ArticleId,
        spans: Vec<Span>,
        accept: bool,
    },
    /// Confirm a suggested name with the spellings listed beside it.
    ConfirmName {
        article: ArticleId,
        name: String,
        spellings: Vec<String>,
        kind: EntityKind,
        scope: ops::Scope,
    },
    SetEntityKind(EntityKind),
    Settings(Box<Settings>),
    /// Who the analyst is: kept in the user's settings, signs every later edit.
    SetAnalyst {
        name: String,
        email: String,
    },
    /// The first-run question about who the analyst is, put off for this session.
    DismissAnalystPrompt,
    ShowTab(InspectorTab),
    Seal,
    OpenPath(PathBuf),
    SaveTo(PathBuf),
    RestoreBackup {
        path: PathBuf,
        backup: PathBuf,
    },
    Reload,
    IgnoreDiskChanges,
    CancelImport,
    StartExport {
        path: PathBuf,
        format: ExportFormat,
        options: Box<ReportOptions>,
        /// Base URL, publisher, Excel-friendly CSV.
        publish: Box<claimdesk_core::report::export::Publish>,
    },
    CancelExport,
    /// Analyse these articles in the background (the compare view needs both sides).
    Analyse(Vec<ArticleId>),
    CompareArticles {
        left: ArticleId,
        right: ArticleId,
    },
    ComparePassages {
        left: Box<Passage>,
        right: Box<Passage>,
    },
    /// Compare view state the view itself keeps up (scrolled once, name under the pointer).
    UpdateCompare(Box<Compare>),
    CloseCompare,
    /// The fact-check library: look up, attach, import.
    FactChecks(crate::factcheck_panel::FactCheckAction),
    /// Web capture: add an article from a URL, archive an evidence link.
    Capture(crate::capture_dialog::CaptureAction),
    /// Copy the sample project to this project file (its articles beside it) and open it.
    NewProjectFromSample(PathBuf),
    /// Unsaved edits a crash set aside against another version of the project (a
    /// `NAME.ron.journal.<stamp>.unapplied` file): apply each that still applies, keep the rest.
    ReapplyStranded(PathBuf),
    /// Delete such a file, its edits given up (the analyst confirmed).
    DiscardStranded(PathBuf),
    /// The window may close (after the unsaved-changes question), saving first if asked.
    Close {
        save: bool,
    },
}

/// The queue a frame's panels push to.
#[derive(Default, Debug)]
pub struct Actions(pub Vec<Action>);

impl Actions {
    pub fn push(&mut self, action: Action) {
        self.0.push(action);
    }

    /// Applies a planned operation, or says why it could not be planned.
    pub fn op(&mut self, result: ops::Result<Op>) {
        self.op_saying(result, None);
    }

    /// As [`Actions::op`], saying `done` once it is applied.
    pub fn op_saying(&mut self, result: ops::Result<Op>, done: Option<String>) {
        match result {
            Ok(op) => self.0.push(Action::Op {
                op: Box::new(op),
                done,
            }),
            Err(err) => self.0.push(Action::Notice(
                Severity::Warning,
                format!("Not done: {err}"),
            )),
        }
    }

    pub fn command(&mut self, command: Command) {
        self.0.push(Action::Command(command));
    }

    pub fn notice(&mut self, severity: Severity, text: impl Into<String>) {
        self.0.push(Action::Notice(severity, text.into()));
    }
}
