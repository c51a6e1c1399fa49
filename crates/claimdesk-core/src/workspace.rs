//! A project being worked on: the project data, its articles, undo history, crash journal and
//! the analysis cache. No UI here: the GUI, the CLI and the tests drive the same methods.
//!
//! Every change goes through [`Workspace::apply`], which validates the edit, applies it, records
//! its inverse for undo and appends it to the journal before returning.
//!
//! One source of truth: the [`Project`] is the only state that edits change. What the views
//! read besides it is derived from the project and an immutable store of the article files as
//! read from disk: the articles as the analyst sees them (a correction applied), the orphans
//! (records whose quote no longer matches their text) and the analyses. Undo, redo, a journal
//! replay or an import all change only the project, and the rest follows.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::analysis::{self, ArticleAnalysis, KnownNames};
use crate::corpus::{self, Article, ArticleId, ArticleMeta, ImportLimits, ImportReport};
use crate::project::anchor::{Reanchor, reanchor};
use crate::project::file::{self, ProjectFileError};
use crate::project::history::{History, Revision};
use crate::project::journal::{self, Journal};
use crate::project::{ArticleEntry, Edit, EditError, EvidenceSource, Id, Project};

/// An article of the project as found on disk.
#[derive(Clone, Debug)]
pub enum ArticleState {
    Loaded(Arc<Article>),
    /// The file could not be read; the annotations are kept.
    Missing {
        path: PathBuf,
        reason: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error(transparent)]
    File(#[from] ProjectFileError),
    #[error("edit refused: {0}")]
    Edit(#[from] EditError),
    #[error("{0}")]
    ReadOnly(String),
    #[error(
        "{path} changed on disk since it was opened (another program or Claimdesk instance wrote it). Reload it or save under another name; nothing was overwritten"
    )]
    ChangedOnDisk { path: PathBuf },
    #[error("the project has no file yet; choose where to save it")]
    NoPath,
    #[error("cannot read {path}: {message}")]
    Open { path: PathBuf, message: String },
}

/// A crash journal set aside because the project file had changed (`NAME.ron.journal.<stamp>
/// .unapplied`): edits of an earlier session waiting to be re-applied.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StrandedJournal {
    pub path: PathBuf,
    pub edits: usize,
    /// Lines that are not an edit (torn by the crash); kept in the file.
    pub unreadable_lines: usize,
}

/// The journals set aside next to the project file at `project` (through a symlink, its
/// target's), oldest first.
pub fn stranded_journals(project: &Path) -> Vec<StrandedJournal> {
    let project = file::resolve_project_path(project).unwrap_or_else(|_| project.to_path_buf());
    journal::set_aside_journals(&project)
        .into_iter()
        .map(|path| {
            let read = journal::read(&path).ok().flatten().unwrap_or_default();
            StrandedJournal {
                edits: read.edits.len(),
                unreadable_lines: read.unreadable.len(),
                path,
            }
        })
        .collect()
}

/// What [`Workspace::reapply_stranded`] did with one set-aside journal.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReapplyReport {
    pub journal: PathBuf,
    /// Edits applied on top of the current project (each an undo step, in the live journal).
    pub applied: usize,
    /// Edits that no longer apply, left in the journal file.
    pub not_applied: Vec<NotApplied>,
    /// Lines that are not an edit, left in the journal file.
    pub unreadable_lines: usize,
    /// The journal file was deleted: nothing in it is left to apply.
    pub removed: bool,
}

/// An edit of a stranded journal that does not apply to the project as it is now.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NotApplied {
    /// Its place among the journal's edits (1 = first).
    pub number: usize,
    /// What it does ("change claim").
    pub edit: String,
    pub reason: String,
}

/// Options for opening a project.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Folders outside the project's own folder that articles may be read from. A downloaded
    /// project cannot make Claimdesk read arbitrary files unless the user allowed it.
    pub trusted_roots: Vec<PathBuf>,
    /// Open without taking the lock or writing a journal.
    pub read_only: bool,
}

/// What happened to anchors when articles changed on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReanchorSummary {
    pub held: usize,
    pub moved: usize,
    pub orphaned: usize,
}

pub struct Workspace {
    project: Project,
    /// The article files as read from disk (before any correction), by article id. Kept when
    /// the project drops an article, so that redoing an undone removal finds it again.
    files: BTreeMap<ArticleId, ArticleState>,
    /// Derived: each article of the project as the analyst reads it (a correction applied).
    articles: BTreeMap<ArticleId, ArticleState>,
    path: Option<PathBuf>,
    /// Hash of the project file's bytes as last read or written, to refuse silent overwrites.
    disk_hash: Option<String>,
    history: History,
    journal: Option<Journal>,
    /// Derived: analyses by article, computed on first use (behind a lock so that readers with
    /// `&Workspace` — views, exports, core operations — can fill it).
    analysis: Mutex<HashMap<ArticleId, Arc<ArticleAnalysis>>>,
    /// Derived: orphans as of a generation.
    orphan_cache: Mutex<Option<(u64, Arc<BTreeSet<Id>>)>>,
    read_only: Option<String>,
    _lock: Option<ProjectLock>,
    /// Edits applied since the last save (0 = clean).
    unsaved_edits: usize,
    /// Messages for the user from opening (recovery, re-anchoring, missing files).
    pub notices: Vec<String>,
    pub reanchor_summary: ReanchorSummary,
    /// Per-file outcome when the workspace was made from article files.
    pub import_report: Vec<ImportReport>,
    /// Modification stamps of the project file and article files, to notice outside changes.
    stamps: BTreeMap<PathBuf, FileStamp>,
    /// Real folders articles may be read from: the project's own and those the user allowed.
    roots: Vec<PathBuf>,
    /// Changes whenever the project, an article's text or a cached analysis changes; views derive
    /// their rows once per generation instead of every frame.
    generation: AtomicU64,
    /// Who is working: every record an edit puts is signed with this name and the time.
    analyst: Option<crate::settings::Analyst>,
}

/// Generations come from one process-wide counter, so a newly opened workspace never repeats a
/// value an earlier one had (a view cached for the old workspace cannot look current).
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Modification time and size: cheap to poll, unlike hashing a large file.
type FileStamp = (Option<std::time::SystemTime>, u64);

fn stamp(path: &Path) -> Option<FileStamp> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.modified().ok(), m.len()))
}

impl Workspace {
    /// A new, unsaved project over already-imported articles.
    pub fn from_articles(articles: Vec<Article>, project_path: Option<PathBuf>) -> Self {
        // Article paths are stored relative to the project's real folder (never absolute
        // because the folder was given as "" or "."), so a moved folder keeps its articles.
        let project_path = project_path.map(|p| file::resolve_project_path(&p).unwrap_or(p));
        let base_dir = project_path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut project = Project::default();
        let mut files = BTreeMap::new();
        for article in articles {
            project.articles.insert(
                article.id.clone(),
                ArticleEntry {
                    path: file::relative_path(&article.path, &base_dir),
                    hash: article.hash.clone(),
                    meta: ArticleMeta::default(),
                    corrected_text: None,
                    capture: None,
                },
            );
            files.insert(article.id.clone(), ArticleState::Loaded(Arc::new(article)));
        }
        let mut ws = Self {
            project,
            files,
            articles: BTreeMap::new(),
            path: project_path,
            disk_hash: None,
            history: History::default(),
            journal: None,
            analysis: Mutex::new(HashMap::new()),
            orphan_cache: Mutex::new(None),
            read_only: None,
            _lock: None,
            unsaved_edits: 0,
            generation: AtomicU64::new(next_generation()),
            notices: Vec::new(),
            reanchor_summary: ReanchorSummary::default(),
            import_report: Vec::new(),
            stamps: BTreeMap::new(),
            roots: Vec::new(),
            analyst: crate::settings::current_analyst(),
        };
        ws.derive_all_articles();
        ws
    }

    /// A detached, read-only copy for work on another thread (an export): the same project,
    /// articles and cached analyses (shared, not copied), with no journal, lock or history, so
    /// nothing done to it can touch the files of the original.
    pub fn snapshot(&self) -> Self {
        let mut copy = self.detached_copy();
        copy.read_only = Some("a snapshot taken for an export".into());
        copy
    }

    /// A writable copy in memory only (no file, journal, lock or history): a place to try a
    /// sequence of operations before applying them to the real workspace as one edit.
    pub fn scratch(&self) -> Self {
        let mut copy = self.detached_copy();
        copy.path = None;
        copy
    }

    fn detached_copy(&self) -> Self {
        Self {
            project: self.project.clone(),
            files: self.files.clone(),
            articles: self.articles.clone(),
            path: self.path.clone(),
            disk_hash: None,
            history: History::default(),
            journal: None,
            analysis: Mutex::new(self.analyses().clone()),
            orphan_cache: Mutex::new(None),
            read_only: None,
            _lock: None,
            unsaved_edits: 0,
            generation: AtomicU64::new(next_generation()),
            notices: Vec::new(),
            reanchor_summary: ReanchorSummary::default(),
            import_report: Vec::new(),
            stamps: BTreeMap::new(),
            roots: self.roots.clone(),
            analyst: self.analyst.clone(),
        }
    }

    /// Imports files or folders of articles into a new, unsaved project.
    pub fn import(paths: &[PathBuf], limits: &ImportLimits) -> Self {
        let (articles, report) = corpus::import_paths(paths, limits, |_, _| true);
        let project_path = paths.first().map(|p| {
            if p.is_dir() {
                p.join("claimdesk.ron")
            } else {
                p.with_file_name("claimdesk.ron")
            }
        });
        let skipped = report
            .iter()
            .filter(|r| r.status == corpus::ImportStatus::Skipped)
            .count();
        let mut ws = Self::from_articles(articles, project_path);
        if skipped > 0 {
            ws.notices.push(format!(
                "{skipped} file(s) skipped on import; see the import report"
            ));
        }
        ws.import_report = report;
        ws
    }

    /// Opens a project file, a folder of articles, or an article file.
    pub fn open(path: &Path, options: &OpenOptions) -> Result<Self, WorkspaceError> {
        let is_project = path.extension().is_some_and(|e| e == "ron");
        if !is_project {
            if !path.exists() {
                return Err(WorkspaceError::Open {
                    path: path.to_path_buf(),
                    message: "no such file or folder".into(),
                });
            }
            return Ok(Self::import(
                &[path.to_path_buf()],
                &ImportLimits::default(),
            ));
        }
        Self::open_project(path, options)
    }

    /// Opens a project file: loads it, reads its articles, recovers a crash journal, re-anchors.
    pub fn open_project(path: &Path, options: &OpenOptions) -> Result<Self, WorkspaceError> {
        // Resolved before anything else: the folder that bounds what the project may read, the
        // lock, the journal and saves all use the real file (through a symlink, its target).
        let path = &file::resolve_project_path(path).map_err(|err| WorkspaceError::Open {
            path: path.to_path_buf(),
            message: err.to_string(),
        })?;
        let (project, hash) = file::load_with_hash(path)?;
        let base_dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let mut ws = Self::from_articles(Vec::new(), Some(path.to_path_buf()));
        ws.project = project;
        ws.disk_hash = Some(hash.clone());
        ws.load_articles(&base_dir, &options.trusted_roots);

        if options.read_only {
            ws.read_only = Some("opened read-only".into());
        } else {
            ws.take_lock(path);
        }
        // A read-only open (check, export, a second instance) shows what the analyst has,
        // journal included, without writing anything.
        ws.recover_journal(path, &hash)?;
        if ws.read_only.is_none() {
            ws.start_journal()?;
        }
        for stranded in stranded_journals(path) {
            let shown = stranded.path.display().to_string();
            if ws.notices.iter().any(|n| n.contains(&shown)) {
                continue; // just set aside, and said so
            }
            ws.notices.push(format!(
                "{} edit(s) of an earlier session wait in {}, set aside because the project file had changed; re-apply those that still apply with `claimdesk recover {}`",
                stranded.edits,
                stranded.path.display(),
                path.display()
            ));
        }
        ws.reanchor_all();
        ws.record_stamps();
        Ok(ws)
    }

    fn record_stamps(&mut self) {
        self.stamps.clear();
        let paths: Vec<PathBuf> = self
            .path
            .iter()
            .cloned()
            .chain(self.articles.values().filter_map(|s| match s {
                ArticleState::Loaded(a) => Some(a.path.clone()),
                ArticleState::Missing { .. } => None,
            }))
            .collect();
        for path in paths {
            if let Some(s) = stamp(&path) {
                self.stamps.insert(path, s);
            }
        }
    }

    /// Files (the project or its articles) changed on disk since they were read or saved.
    pub fn changed_on_disk(&self) -> Vec<PathBuf> {
        self.stamps
            .iter()
            .filter(|(path, old)| stamp(path).as_ref() != Some(*old))
            .map(|(path, _)| path.clone())
            .collect()
    }

    fn take_lock(&mut self, path: &Path) {
        let lock_path = path.with_extension("ron.lock");
        // A holder deletes the lock file when it closes the project. Another process may have
        // opened that file just before: it could then lock a file no longer in the folder while
        // a third takes a new one. So a lock counts only if the file locked is still the one
        // at the path; otherwise try again on the new file.
        for _ in 0..3 {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(&lock_path);
            let mut f = match file {
                Ok(f) => f,
                Err(err) => {
                    self.read_only = Some(format!(
                        "cannot create the lock file {} ({err}); opened read-only",
                        lock_path.display()
                    ));
                    return;
                }
            };
            if f.try_lock().is_err() {
                let holder = std::fs::read_to_string(&lock_path).unwrap_or_default();
                let holder = holder.trim();
                self.read_only = Some(format!(
                    "another Claimdesk ({}) has this project open; opened read-only",
                    if holder.is_empty() {
                        "unknown process"
                    } else {
                        holder
                    }
                ));
                return;
            }
            if !same_file_on_disk(&f, &lock_path) {
                continue;
            }
            use std::io::Write as _;
            f.set_len(0).ok();
            writeln!(f, "pid {} on {}", std::process::id(), host_name()).ok();
            self._lock = Some(ProjectLock {
                file: f,
                path: lock_path,
            });
            return;
        }
        self.read_only = Some(format!(
            "the lock file {} keeps being replaced by another program; opened read-only",
            lock_path.display()
        ));
    }

    fn recover_journal(&mut self, path: &Path, hash: &str) -> Result<(), WorkspaceError> {
        let recovered = journal::recover(path, hash).map_err(|e| WorkspaceError::Open {
            path: journal::journal_path(path),
            message: e.to_string(),
        })?;
        let Some(recovered) = recovered else {
            return Ok(());
        };
        if recovered.stale && already_saved(&self.project, &recovered.edits) {
            // The last session saved these edits, then died before starting a new journal:
            // nothing is waiting.
            if self.read_only.is_none() {
                std::fs::remove_file(journal::journal_path(path)).ok();
            }
            return Ok(());
        }
        if recovered.stale {
            if self.read_only.is_some() {
                self.notices.push(format!(
                    "{} holds {} unsaved edit(s) made against another version of this project; open the project in Claimdesk (not read-only) to review them",
                    journal::journal_path(path).display(),
                    recovered.edits.len()
                ));
                return Ok(());
            }
            let aside = journal::set_aside(path).ok();
            self.notices.push(format!(
                "Found unsaved edits made against another version of this project; kept them in {} without applying them. Re-apply those that still apply with `claimdesk recover {}`",
                aside.map_or_else(|| "the journal".into(), |p| p.display().to_string()),
                path.display()
            ));
            return Ok(());
        }
        let mut applied = 0;
        let mut refused = 0;
        for edit in recovered.edits {
            match self.project.apply(edit.clone()) {
                Ok(inverse) => {
                    applied += 1;
                    self.history.push(Revision {
                        label: "recovered edit".into(),
                        forward: edit,
                        inverse,
                        coalesce: None,
                    });
                }
                Err(_) => refused += 1,
            }
        }
        self.unsaved_edits += applied;
        self.derive_all_articles();
        let mut notice = if self.read_only.is_some() {
            format!(
                "{applied} unsaved edit(s) wait in the journal {} (the last session ended without saving); they are shown here, and kept when the project is next opened for editing and saved",
                journal::journal_path(path).display()
            )
        } else {
            format!(
                "Recovered {applied} unsaved edit(s) from the last session (it ended without saving). Save to keep them in the project file"
            )
        };
        if refused > 0 || recovered.torn_lines > 0 {
            notice.push_str(&format!(
                "; {} edit(s) could not be applied and {} line(s) were incomplete",
                refused, recovered.torn_lines
            ));
        }
        self.notices.push(notice);
        Ok(())
    }

    fn start_journal(&mut self) -> Result<(), WorkspaceError> {
        let (Some(path), Some(hash)) = (&self.path, &self.disk_hash) else {
            return Ok(());
        };
        // Recovered edits are rewritten into the new journal (atomically, dropping any torn
        // line) so that a second crash loses nothing either.
        let pending = self.history.recent_forwards(self.unsaved_edits);
        let journal =
            Journal::create_with(path, hash, &pending).map_err(|e| WorkspaceError::Open {
                path: journal::journal_path(path),
                message: e.to_string(),
            })?;
        self.journal = Some(journal);
        Ok(())
    }

    fn load_articles(&mut self, base_dir: &Path, trusted_roots: &[PathBuf]) {
        // Only real, absolute folders are roots: a folder that cannot be resolved admits
        // nothing (falling back to the path as given once made "" a root of everything).
        self.roots = std::iter::once(base_dir)
            .chain(trusted_roots.iter().map(PathBuf::as_path))
            .filter_map(|r| r.canonicalize().ok())
            .filter(|r| r.is_absolute())
            .collect();
        // Files are read and imported on every core: a 10,000-article project opens in seconds.
        let entries: Vec<(&ArticleId, &ArticleEntry)> = self.project.articles.iter().collect();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let chunk = entries.len().div_ceil(threads).max(1);
        let this = &*self;
        let states: Vec<(ArticleId, ArticleState)> = std::thread::scope(|scope| {
            let workers: Vec<_> = entries
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|(id, entry)| ((*id).clone(), this.read_article_file(id, entry)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        });
        let mut missing = Vec::new();
        for (id, state) in states {
            if let ArticleState::Missing { reason, .. } = &state {
                missing.push(format!("{id}: {reason}"));
            }
            self.files.insert(id, state);
        }
        self.derive_all_articles();
        if !missing.is_empty() {
            // Say why for each (up to a few), so the analyst can fix the path or allow a folder.
            const SHOWN: usize = 5;
            let mut notice = format!(
                "{} article(s) could not be read; their annotations are kept and shown as missing. {}",
                missing.len(),
                missing[..missing.len().min(SHOWN)].join("; ")
            );
            if missing.len() > SHOWN {
                notice.push_str(&format!("; and {} more", missing.len() - SHOWN));
            }
            self.notices.push(notice);
        }
    }

    /// Reads one article's file, only from inside the project's folder or an allowed one.
    fn read_article_file(&self, id: &str, entry: &ArticleEntry) -> ArticleState {
        let path = self.base_dir().join(&entry.path);
        match path.canonicalize() {
            Err(err) => ArticleState::Missing {
                path: path.clone(),
                reason: format!("file not found ({err})"),
            },
            Ok(real) if !self.roots.iter().any(|r| real.starts_with(r)) => ArticleState::Missing {
                path: path.clone(),
                reason: format!(
                    "{} is outside the project folder; Claimdesk does not read it unless you open the project with --allow-outside {}",
                    real.display(),
                    real.parent().unwrap_or(Path::new("/")).display()
                ),
            },
            Ok(real) => match corpus::import_file(&real, &ImportLimits::default()) {
                Ok(mut article) => {
                    article.id = id.to_string();
                    ArticleState::Loaded(Arc::new(article))
                }
                Err(err) => ArticleState::Missing {
                    path: path.clone(),
                    reason: err.to_string(),
                },
            },
        }
    }

    /// Re-anchors every span of articles whose text changed since they were annotated. In a
    /// read-only workspace the moves are made in memory (shown and exported, never written), so
    /// what a read-only open exports is placed exactly as an editing open would place it.
    fn reanchor_all(&mut self) {
        let mut summary = ReanchorSummary::default();
        let mut fixes: Vec<Edit> = Vec::new();
        for (id, entry) in &self.project.articles {
            let Some(ArticleState::Loaded(article)) = self.articles.get(id) else {
                continue;
            };
            let changed = !entry.hash.is_empty() && entry.hash != article.hash;
            reanchor_records(&self.project, id, article, &mut summary, &mut fixes);
            if changed {
                fixes.push(Edit::PutArticle {
                    id: id.clone(),
                    entry: ArticleEntry {
                        hash: article.hash.clone(),
                        ..entry.clone()
                    },
                });
            }
        }
        if summary.moved > 0 || summary.orphaned > 0 {
            self.notices.push(format!(
                "Articles changed on disk: {} annotation(s) held, {} moved, {} orphaned (listed under Orphans, nothing was dropped)",
                summary.held, summary.moved, summary.orphaned
            ));
        }
        if !fixes.is_empty() {
            let fixes = Edit::Batch(fixes);
            if self.read_only.is_none() {
                // Moved by Claimdesk, not by the analyst: the records keep who changed them.
                self.apply_inner("re-anchor after article changes", fixes, None, false)
                    .ok();
            } else if self.project.apply(fixes).is_ok() {
                self.bump_generation();
            }
        }
        self.reanchor_summary = summary;
    }

    // ----- reading -----

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Whether the analyst changed anything since the last save. A folder just opened is not:
    /// nothing written would be lost, so closing it asks nothing.
    pub fn is_dirty(&self) -> bool {
        self.unsaved_edits > 0
    }

    pub fn article_ids(&self) -> impl Iterator<Item = &ArticleId> {
        self.articles.keys()
    }

    pub fn article_state(&self, id: &str) -> Option<&ArticleState> {
        self.articles.get(id)
    }

    pub fn article(&self, id: &str) -> Option<&Arc<Article>> {
        match self.articles.get(id) {
            Some(ArticleState::Loaded(a)) => Some(a),
            _ => None,
        }
    }

    /// Loaded articles in id order.
    pub fn loaded_articles(&self) -> impl Iterator<Item = &Arc<Article>> {
        self.articles.values().filter_map(|s| match s {
            ArticleState::Loaded(a) => Some(a),
            ArticleState::Missing { .. } => None,
        })
    }

    /// Metadata with the analyst's corrections applied.
    pub fn meta(&self, id: &str) -> ArticleMeta {
        let found = self.article(id).map(|a| a.meta.clone()).unwrap_or_default();
        match self.project.articles.get(id) {
            Some(entry) => found.with_overrides(&entry.meta),
            None => found,
        }
    }

    /// Title for lists and reports.
    pub fn title(&self, id: &str) -> String {
        self.meta(id).title.unwrap_or_else(|| id.to_string())
    }

    /// Names from the entity registry, for detection.
    pub fn known_names(&self) -> KnownNames {
        KnownNames {
            names: self
                .project
                .entities
                .values()
                .flat_map(|e| e.surface_forms().map(move |f| (f.to_string(), e.kind)))
                .filter(|(f, _)| !f.trim().is_empty())
                .collect(),
        }
    }

    fn analyses(&self) -> std::sync::MutexGuard<'_, HashMap<ArticleId, Arc<ArticleAnalysis>>> {
        // A panic while holding the lock leaves a map of finished analyses: still valid.
        self.analysis.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Suggestions for an article, computed on first use and cached.
    pub fn analysis(&self, id: &str) -> Option<Arc<ArticleAnalysis>> {
        if let Some(cached) = self.analyses().get(id) {
            return Some(cached.clone());
        }
        let article = self.article(id)?.clone();
        let result = Arc::new(analysis::analyze(&article, &self.known_names()));
        self.analyses().insert(id.to_string(), result.clone());
        self.bump_generation();
        Some(result)
    }

    /// The cached analysis only (the GUI computes in the background and inserts).
    pub fn cached_analysis(&self, id: &str) -> Option<Arc<ArticleAnalysis>> {
        self.analyses().get(id).cloned()
    }

    pub fn insert_analysis(&self, id: ArticleId, analysis: Arc<ArticleAnalysis>) {
        self.analyses().insert(id, analysis);
        self.bump_generation();
    }

    /// A value that changes with every edit, undo, redo, text correction or new analysis.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    fn bump_generation(&self) {
        self.generation.store(next_generation(), Ordering::Relaxed);
    }

    /// Claims, mentions and evidence passages whose quote is not at their place in the text as
    /// the analyst now reads it: their text changed and could not be found again. Derived from
    /// the project and the articles, so it follows every edit, undo and redo; records of a
    /// missing article are not orphans (the whole article is shown as missing).
    pub fn orphans(&self) -> Arc<BTreeSet<Id>> {
        let generation = self.generation();
        let mut cache = self
            .orphan_cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((at, orphans)) = cache.as_ref()
            && *at == generation
        {
            return orphans.clone();
        }
        let placed = |article: &str, anchor: &crate::project::Anchor| match self.article(article) {
            Some(article) => anchor_matches(anchor, article),
            None => true,
        };
        let project = &self.project;
        let orphans: BTreeSet<Id> = project
            .claims
            .iter()
            .filter(|(_, c)| !placed(&c.article, &c.anchor))
            .map(|(id, _)| id.clone())
            .chain(
                project
                    .mentions
                    .iter()
                    .filter(|(_, m)| !placed(&m.article, &m.anchor))
                    .map(|(id, _)| id.clone()),
            )
            .chain(
                project
                    .evidence
                    .iter()
                    .filter_map(|(id, e)| match &e.source {
                        EvidenceSource::Passage { article, anchor } if !placed(article, anchor) => {
                            Some(id.clone())
                        }
                        _ => None,
                    }),
            )
            .collect();
        let orphans = Arc::new(orphans);
        *cache = Some((generation, orphans.clone()));
        orphans
    }

    /// Whether a record (claim, mention or evidence) is an orphan.
    pub fn is_orphan(&self, id: &str) -> bool {
        self.orphans().contains(id)
    }

    /// Links across articles (same quotes, same events, figures that disagree), computed over
    /// every loaded article. Analysis of each article is cached; the linking itself is cheap.
    pub fn crossrefs(&self) -> crate::analysis::crossref::CrossRefs {
        let ids: Vec<ArticleId> = self.loaded_articles().map(|a| a.id.clone()).collect();
        let mut analysed = Vec::new();
        for id in &ids {
            if let (Some(analysis), Some(article)) = (self.analysis(id), self.article(id).cloned())
            {
                analysed.push((id.clone(), article, analysis));
            }
        }
        let input: Vec<_> = analysed
            .iter()
            .map(|(id, a, an)| (id, a.as_ref(), an.as_ref()))
            .collect();
        crate::analysis::crossref::link(&input)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.history.undo_label()
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.history.redo_label()
    }

    /// The forward edit of the revision the next undo reverts — right after a redo, the one
    /// just redone — so a view can say and show what an undo or redo changed.
    pub fn last_edit(&self) -> Option<Edit> {
        self.history.recent_forwards(1).pop()
    }

    // ----- changing -----

    fn check_writable(&self) -> Result<(), WorkspaceError> {
        match &self.read_only {
            Some(reason) => Err(WorkspaceError::ReadOnly(format!(
                "cannot change the project: {reason}"
            ))),
            None => Ok(()),
        }
    }

    /// The edits in the crash journal: everything done since the last save, as written to disk
    /// (empty for a workspace without a journal, or when it cannot be read).
    pub fn journal_edits(&self) -> Vec<Edit> {
        let (Some(path), Some(hash)) = (&self.path, &self.disk_hash) else {
            return Vec::new();
        };
        match journal::recover(path, hash) {
            Ok(Some(recovered)) if !recovered.stale => recovered.edits,
            _ => Vec::new(),
        }
    }

    /// Who is working (from the user's settings when the workspace was made).
    pub fn analyst(&self) -> Option<&crate::settings::Analyst> {
        self.analyst.as_ref()
    }

    /// Sets who is working: the records later edits put are signed with this analyst.
    pub fn set_analyst(&mut self, analyst: Option<crate::settings::Analyst>) {
        self.analyst = analyst;
    }

    /// Applies an edit as one undo step. Every claim, entity, mention and evidence item it puts
    /// is signed here, the one place that does it: created by and when for a new record (an
    /// existing one keeps its creation), last changed by and when for all of them.
    pub fn apply(&mut self, label: &str, edit: Edit) -> Result<(), WorkspaceError> {
        self.apply_inner(label, edit, None, true)
    }

    /// Applies an edit that merges with the previous one of the same `key` (typing in a note)
    /// until [`Workspace::seal`].
    pub fn apply_coalesced(
        &mut self,
        label: &str,
        key: &str,
        edit: Edit,
    ) -> Result<(), WorkspaceError> {
        self.apply_inner(label, edit, Some(key.to_string()), true)
    }

    fn apply_inner(
        &mut self,
        label: &str,
        edit: Edit,
        coalesce: Option<String>,
        attribute: bool,
    ) -> Result<(), WorkspaceError> {
        self.check_writable()?;
        let edit = if attribute {
            let now = crate::project::Signed::now(self.analyst.as_ref());
            sign(&self.project, edit, &now)
        } else {
            edit
        };
        let inverse = self.project.apply(edit.clone())?;
        self.after_change(&edit);
        self.history.push(Revision {
            label: label.to_string(),
            forward: edit,
            inverse,
            coalesce,
        });
        Ok(())
    }

    /// Re-applies the edits of a set-aside journal (see [`stranded_journals`]) on top of the
    /// project as it is now: each that still applies becomes an undo step and goes to the live
    /// journal; the rest are listed. The file is deleted only when nothing is left in it;
    /// otherwise it is rewritten with what is left (the edits that did not apply and any
    /// unreadable lines), so calling this again never applies an edit twice.
    pub fn reapply_stranded(
        &mut self,
        journal_file: &Path,
    ) -> Result<ReapplyReport, WorkspaceError> {
        self.check_writable()?;
        let open_err = |e: std::io::Error| WorkspaceError::Open {
            path: journal_file.to_path_buf(),
            message: e.to_string(),
        };
        let mut read = journal::read(journal_file)
            .map_err(open_err)?
            .unwrap_or_default();
        let mut report = ReapplyReport {
            journal: journal_file.to_path_buf(),
            unreadable_lines: read.unreadable.len(),
            ..ReapplyReport::default()
        };
        let mut left = Vec::new();
        for (index, edit) in std::mem::take(&mut read.edits).into_iter().enumerate() {
            match self.apply("re-applied edit", edit.clone()) {
                Ok(()) => report.applied += 1,
                Err(WorkspaceError::Edit(err)) => {
                    report.not_applied.push(NotApplied {
                        number: index + 1,
                        edit: edit.describe(),
                        reason: err.to_string(),
                    });
                    left.push(edit);
                }
                Err(other) => return Err(other),
            }
        }
        // Applied edits are in the live journal (synced) before the file loses them.
        if left.is_empty() && read.unreadable.is_empty() {
            std::fs::remove_file(journal_file).map_err(open_err)?;
            report.removed = true;
        } else if report.applied > 0 {
            read.edits = left;
            journal::rewrite(journal_file, &read).map_err(open_err)?;
        }
        Ok(report)
    }

    /// Deletes a set-aside journal the analyst has decided not to re-apply.
    pub fn discard_stranded(&self, journal_file: &Path) -> Result<(), WorkspaceError> {
        self.check_writable()?;
        std::fs::remove_file(journal_file).map_err(|e| WorkspaceError::Open {
            path: journal_file.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Edits applied since the last save (recovered ones from a crash journal included).
    pub fn unsaved_edits(&self) -> usize {
        self.unsaved_edits
    }

    /// Ends the current coalescing run.
    pub fn seal(&mut self) {
        self.history.seal();
    }

    /// Undoes the last revision; returns its label.
    pub fn undo(&mut self) -> Result<Option<String>, WorkspaceError> {
        self.check_writable()?;
        let Some(revision) = self.history.take_undo() else {
            return Ok(None);
        };
        let forward_again = self.project.apply(revision.inverse.clone())?;
        self.after_change(&revision.inverse);
        let label = revision.label.clone();
        self.history.push_redo(Revision {
            forward: revision.forward,
            inverse: forward_again,
            ..revision
        });
        Ok(Some(label))
    }

    /// Redoes the last undone revision; returns its label.
    pub fn redo(&mut self) -> Result<Option<String>, WorkspaceError> {
        self.check_writable()?;
        let Some(revision) = self.history.take_redo() else {
            return Ok(None);
        };
        let inverse = self.project.apply(revision.forward.clone())?;
        self.after_change(&revision.forward);
        let label = revision.label.clone();
        self.history.push_undone(Revision {
            inverse,
            ..revision
        });
        Ok(Some(label))
    }

    fn after_change(&mut self, applied: &Edit) {
        self.unsaved_edits += 1;
        self.bump_generation();
        if let Some(journal) = &mut self.journal
            && let Err(err) = journal.append(applied)
        {
            self.notices.push(format!(
                "Could not write the crash journal {} ({err}); save soon",
                journal.path().display()
            ));
        }
        // Registry changes alter what detection finds.
        if touches_registry(applied) {
            self.analyses().clear();
        }
        let mut touched = BTreeSet::new();
        articles_touched(applied, &mut touched);
        for id in touched {
            self.derive_article(&id);
        }
    }

    /// Makes the article view of every project article again from the files and the project.
    fn derive_all_articles(&mut self) {
        let ids: Vec<ArticleId> = self
            .project
            .articles
            .keys()
            .chain(self.articles.keys())
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for id in ids {
            self.derive_article(&id);
        }
    }

    /// Makes the article view of `id` from its file and its project entry: gone when the project
    /// has no such article (an undone import), the analyst's corrected text when there is one.
    /// An unchanged text keeps its `Arc` (and its cached analysis).
    fn derive_article(&mut self, id: &str) {
        let Some(entry) = self.project.articles.get(id) else {
            if self.articles.remove(id).is_some() {
                self.analyses().remove(id);
            }
            return;
        };
        if !self.files.contains_key(id) {
            // Added by an edit (a recovered journal) without its file having been read.
            let state = self.read_article_file(id, entry);
            self.files.insert(id.to_string(), state);
        }
        let Some(file) = self.files.get(id) else {
            return;
        };
        let derived = match (file, &entry.corrected_text) {
            (ArticleState::Loaded(article), Some(text)) if *text != article.text => {
                match self.articles.get(id) {
                    Some(ArticleState::Loaded(current)) if current.text == *text => {
                        ArticleState::Loaded(current.clone())
                    }
                    _ => {
                        let mut corrected = (**article).clone();
                        corrected.set_text(text.clone());
                        ArticleState::Loaded(Arc::new(corrected))
                    }
                }
            }
            (state, _) => state.clone(),
        };
        let same_text = match (self.articles.get(id), &derived) {
            (Some(ArticleState::Loaded(a)), ArticleState::Loaded(b)) => a.text == b.text,
            _ => false,
        };
        if !same_text {
            self.analyses().remove(id);
        }
        self.articles.insert(id.to_string(), derived);
    }

    /// Saves to the project's file.
    pub fn save(&mut self) -> Result<PathBuf, WorkspaceError> {
        let path = self.path.clone().ok_or(WorkspaceError::NoPath)?;
        self.save_to(&path, false)
    }

    /// Saves to `path` (Save As). `overwrite_changed` saves even if the file changed on disk.
    pub fn save_to(
        &mut self,
        path: &Path,
        overwrite_changed: bool,
    ) -> Result<PathBuf, WorkspaceError> {
        // Through a symlink, the link's target is written (the link stays a link).
        let resolved = file::resolve_project_path(path).map_err(|err| WorkspaceError::Open {
            path: path.to_path_buf(),
            message: format!("cannot save there: {err}"),
        })?;
        let path = resolved.as_path();
        if let Some(reason) = &self.read_only {
            if Some(path) == self.path.as_deref() {
                return Err(WorkspaceError::ReadOnly(format!(
                    "cannot save: {reason}; use Save As to save a copy elsewhere"
                )));
            }
            return self.write_copy(path);
        }
        let same_file = Some(path) == self.path.as_deref();
        if same_file && !overwrite_changed && path.exists() {
            let on_disk = std::fs::read(path)
                .ok()
                .map(|b| blake3::hash(&b).to_hex().to_string());
            if self.disk_hash.is_some() && on_disk != self.disk_hash {
                return Err(WorkspaceError::ChangedOnDisk {
                    path: path.to_path_buf(),
                });
            }
            if self.disk_hash.is_none() && on_disk.is_some() {
                return Err(WorkspaceError::ChangedOnDisk {
                    path: path.to_path_buf(),
                });
            }
        }
        // Article paths are relative to the project file: rebase them when saving elsewhere.
        if !same_file {
            self.rebase_paths(path);
        }
        let hash = file::save(&self.project, path)?;
        self.path = Some(path.to_path_buf());
        self.disk_hash = Some(hash.clone());
        self.unsaved_edits = 0;
        self.record_stamps();
        if self.read_only.is_none() {
            if self._lock.is_none() || !same_file {
                self.take_lock(path);
            }
            self.journal = Journal::create_with(path, &hash, &[]).ok();
        }
        Ok(path.to_path_buf())
    }

    fn write_copy(&self, path: &Path) -> Result<PathBuf, WorkspaceError> {
        let mut copy = self.project.clone();
        let old_base = self.base_dir();
        let new_base = path.parent().unwrap_or(Path::new("."));
        for entry in copy.articles.values_mut() {
            entry.path = file::relative_path(&old_base.join(&entry.path), new_base);
        }
        file::save(&copy, path)?;
        Ok(path.to_path_buf())
    }

    fn base_dir(&self) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    fn rebase_paths(&mut self, new_path: &Path) {
        let old_base = self.base_dir();
        let new_base = new_path.parent().unwrap_or(Path::new(".")).to_path_buf();
        for entry in self.project.articles.values_mut() {
            let absolute = old_base.join(&entry.path);
            entry.path = file::relative_path(&absolute, &new_base);
        }
    }

    /// Reads the project file again after something outside changed it (a sync's merge): the
    /// project, its articles (new ones too), re-anchoring and a fresh journal, as an open would.
    /// Refused, leaving the workspace as it is, while there are unsaved edits or when the file
    /// no longer loads. Undo history does not survive (it described the old file).
    pub fn reload(&mut self) -> Result<(), WorkspaceError> {
        let path = self.path.clone().ok_or(WorkspaceError::NoPath)?;
        if self.is_dirty() {
            return Err(WorkspaceError::ReadOnly(
                "cannot reload: there are unsaved edits; save them first".into(),
            ));
        }
        // Checked before letting go of the lock, so a broken file leaves this workspace intact.
        file::load_with_hash(&path)?;
        let options = OpenOptions {
            trusted_roots: self.roots.clone(),
            read_only: self.read_only.is_some(),
        };
        // The lock is released first so that the reopened workspace can take it again.
        self._lock = None;
        self.journal = None;
        match Self::open_project(&path, &options) {
            Ok(reopened) => {
                *self = reopened;
                Ok(())
            }
            Err(err) => {
                self.read_only = Some(format!("could not be read again ({err})"));
                Err(err)
            }
        }
    }

    /// Adds articles (import into an open project) as one undoable step.
    pub fn add_articles(&mut self, articles: Vec<Article>) -> Result<usize, WorkspaceError> {
        let added = self.add_entries(articles.into_iter().map(|a| (a, None)).collect())?;
        Ok(added.len())
    }

    /// Adds an article fetched from the web with its capture record (where from, when, the
    /// archived copy) as one undoable step. `None` when the project already has an article with
    /// the same text; otherwise the new article's id.
    pub fn add_captured_article(
        &mut self,
        article: Article,
        capture: crate::project::Capture,
    ) -> Result<Option<ArticleId>, WorkspaceError> {
        Ok(self
            .add_entries(vec![(article, Some(capture))])?
            .into_iter()
            .next())
    }

    fn add_entries(
        &mut self,
        articles: Vec<(Article, Option<crate::project::Capture>)>,
    ) -> Result<Vec<ArticleId>, WorkspaceError> {
        let base = self.base_dir();
        let mut edits = Vec::new();
        let mut added = Vec::new();
        for (mut article, capture) in articles {
            if self
                .project
                .articles
                .values()
                .any(|e| e.hash == article.hash)
            {
                continue;
            }
            while self.project.articles.contains_key(&article.id) {
                article.id.push('~');
            }
            edits.push(Edit::PutArticle {
                id: article.id.clone(),
                entry: ArticleEntry {
                    path: file::relative_path(&article.path, &base),
                    hash: article.hash.clone(),
                    // A page from the web that names no address of its own is cited by the
                    // one it was fetched from.
                    meta: ArticleMeta {
                        url: capture
                            .as_ref()
                            .filter(|_| article.meta.url.is_none())
                            .map(|c| c.final_url.clone()),
                        ..ArticleMeta::default()
                    },
                    corrected_text: None,
                    capture,
                },
            });
            added.push(article);
        }
        let count = added.len();
        let ids = added.iter().map(|a| a.id.clone()).collect();
        if count > 0 {
            // The files go into the store first; the edit then makes them part of the project
            // (and its undo takes them out of the project again, not out of the store).
            for article in added {
                self.files
                    .insert(article.id.clone(), ArticleState::Loaded(Arc::new(article)));
            }
            self.apply(&format!("import {count} article(s)"), Edit::Batch(edits))?;
        }
        Ok(ids)
    }
}

/// Re-anchors every claim, mention and evidence passage of article `id` against `article`:
/// moved spans become edits; spans that cannot be placed stay as they are and are orphans
/// (their quote does not match the text: see [`Workspace::orphans`]), kept, never dropped.
pub(crate) fn reanchor_records(
    project: &Project,
    id: &str,
    article: &Article,
    summary: &mut ReanchorSummary,
    edits: &mut Vec<Edit>,
) {
    let mut place = |anchor: &crate::project::Anchor| match reanchor(anchor, article) {
        Reanchor::Held => {
            summary.held += 1;
            None
        }
        Reanchor::Moved(new) => {
            summary.moved += 1;
            Some(new)
        }
        Reanchor::Orphaned => {
            summary.orphaned += 1;
            None
        }
    };
    for (cid, claim) in project.claims.iter().filter(|(_, c)| c.article == id) {
        if let Some(anchor) = place(&claim.anchor) {
            edits.push(Edit::PutClaim {
                id: cid.clone(),
                claim: crate::project::Claim {
                    anchor,
                    ..claim.clone()
                },
            });
        }
    }
    for (mid, mention) in project.mentions.iter().filter(|(_, m)| m.article == id) {
        if let Some(anchor) = place(&mention.anchor) {
            edits.push(Edit::PutMention {
                id: mid.clone(),
                mention: crate::project::Mention {
                    anchor,
                    ..mention.clone()
                },
            });
        }
    }
    for (eid, evidence) in &project.evidence {
        if let EvidenceSource::Passage { article: a, anchor } = &evidence.source
            && a == id
            && let Some(anchor) = place(anchor)
        {
            edits.push(Edit::PutEvidence {
                id: eid.clone(),
                evidence: crate::project::Evidence {
                    source: EvidenceSource::Passage {
                        article: a.clone(),
                        anchor,
                    },
                    ..evidence.clone()
                },
            });
        }
    }
}

/// Whether a journal's edits are all in `project` already: replaying them (skipping any that no
/// longer apply, such as a removal of what is gone) changes nothing.
fn already_saved(project: &Project, edits: &[Edit]) -> bool {
    let mut replayed = project.clone();
    for edit in edits {
        replayed.apply(edit.clone()).ok();
    }
    replayed == *project
}

/// `edit` with every record it puts signed `now`: a record new to `project` gets `created` and
/// `changed`; one that exists keeps its `created` and gets `changed`; one put unchanged (apart
/// from its signature) keeps its signature as it is. Undo applies the stored inverse, which
/// restores the old signatures with the old record.
fn sign(project: &Project, edit: Edit, now: &crate::project::Signed) -> Edit {
    use crate::project::Provenance;
    fn signed(old: Option<&Provenance>, same: bool, now: &crate::project::Signed) -> Provenance {
        match old {
            Some(old) if same => old.clone(),
            Some(old) => Provenance {
                created: old.created.clone(),
                changed: Some(now.clone()),
            },
            None => Provenance {
                created: Some(now.clone()),
                changed: Some(now.clone()),
            },
        }
    }
    // Equal apart from the signature: `a` with `b`'s signature is `b`.
    macro_rules! put {
        ($map:ident, $id:expr, $record:expr) => {{
            let old = project.$map.get(&$id);
            let same = old.is_some_and(|o| {
                let mut r = $record.clone();
                r.provenance = o.provenance.clone();
                &r == o
            });
            $record.provenance = signed(old.map(|o| &o.provenance), same, now);
        }};
    }
    match edit {
        Edit::PutClaim { id, mut claim } => {
            put!(claims, id, claim);
            Edit::PutClaim { id, claim }
        }
        Edit::PutEntity { id, mut entity } => {
            put!(entities, id, entity);
            Edit::PutEntity { id, entity }
        }
        Edit::PutMention { id, mut mention } => {
            put!(mentions, id, mention);
            Edit::PutMention { id, mention }
        }
        Edit::PutEvidence { id, mut evidence } => {
            put!(evidence, id, evidence);
            Edit::PutEvidence { id, evidence }
        }
        Edit::Batch(edits) => {
            Edit::Batch(edits.into_iter().map(|e| sign(project, e, now)).collect())
        }
        other => other,
    }
}

/// Whether `anchor`'s quote is exactly the text at its place in `article`.
pub fn anchor_matches(anchor: &crate::project::Anchor, article: &Article) -> bool {
    anchor.start < anchor.end
        && anchor.end <= article.char_len()
        && article.slice(anchor.span()) == anchor.quote
}

/// Ids of the articles an edit adds, changes or removes.
fn articles_touched(edit: &Edit, out: &mut BTreeSet<ArticleId>) {
    match edit {
        Edit::PutArticle { id, .. } | Edit::RemoveArticle { id } => {
            out.insert(id.clone());
        }
        Edit::Batch(edits) => edits.iter().for_each(|e| articles_touched(e, out)),
        _ => {}
    }
}

fn touches_registry(edit: &Edit) -> bool {
    match edit {
        Edit::PutEntity { .. } | Edit::RemoveEntity { .. } => true,
        Edit::Batch(edits) => edits.iter().any(touches_registry),
        _ => false,
    }
}

fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .or_else(|_| std::env::var("HOSTNAME"))
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .unwrap_or_else(|_| "this computer".into())
}

/// The lock a writable workspace holds on its project (`NAME.ron.lock`, with who holds it).
/// Dropping it deletes the file, so a closed project leaves nothing behind; the file is
/// removed while still locked, so no other process can take it in between.
struct ProjectLock {
    file: std::fs::File,
    path: PathBuf,
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        if same_file_on_disk(&self.file, &self.path) {
            std::fs::remove_file(&self.path).ok();
        }
    }
}

/// Whether `path` still names the open `file` (not a file that replaced it).
fn same_file_on_disk(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}
