//! A project being worked on: the project data, its articles, undo history, crash journal and
//! the analysis cache. No UI here: the GUI, the CLI and the tests drive the same methods.
//!
//! Every change goes through [`Workspace::apply`], which validates the edit, applies it, records
//! its inverse for undo and appends it to the journal before returning.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    articles: BTreeMap<ArticleId, ArticleState>,
    path: Option<PathBuf>,
    /// Hash of the project file's bytes as last read or written, to refuse silent overwrites.
    disk_hash: Option<String>,
    history: History,
    journal: Option<Journal>,
    analysis: HashMap<ArticleId, Arc<ArticleAnalysis>>,
    read_only: Option<String>,
    _lock: Option<std::fs::File>,
    /// Edits applied since the last save (0 = clean).
    unsaved_edits: usize,
    /// Messages for the user from opening (recovery, re-anchoring, missing files).
    pub notices: Vec<String>,
    /// Ids of claims, mentions and evidence whose text could not be found again.
    pub orphans: BTreeSet<Id>,
    pub reanchor_summary: ReanchorSummary,
    /// Per-file outcome when the workspace was made from article files.
    pub import_report: Vec<ImportReport>,
    /// Modification stamps of the project file and article files, to notice outside changes.
    stamps: BTreeMap<PathBuf, FileStamp>,
    /// Changes whenever the project, an article's text or a cached analysis changes; views derive
    /// their rows once per generation instead of every frame.
    generation: u64,
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
        let mut states = BTreeMap::new();
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
            states.insert(article.id.clone(), ArticleState::Loaded(Arc::new(article)));
        }
        Self {
            project,
            articles: states,
            path: project_path,
            disk_hash: None,
            history: History::default(),
            journal: None,
            analysis: HashMap::new(),
            read_only: None,
            _lock: None,
            unsaved_edits: 0,
            generation: next_generation(),
            notices: Vec::new(),
            orphans: BTreeSet::new(),
            reanchor_summary: ReanchorSummary::default(),
            import_report: Vec::new(),
            stamps: BTreeMap::new(),
        }
    }

    /// A detached, read-only copy for work on another thread (an export): the same project,
    /// articles and cached analyses (shared, not copied), with no journal, lock or history, so
    /// nothing done to it can touch the files of the original.
    pub fn snapshot(&self) -> Self {
        Self {
            project: self.project.clone(),
            articles: self.articles.clone(),
            path: self.path.clone(),
            disk_hash: None,
            history: History::default(),
            journal: None,
            analysis: self.analysis.clone(),
            read_only: Some("a snapshot taken for an export".into()),
            _lock: None,
            unsaved_edits: 0,
            generation: next_generation(),
            notices: Vec::new(),
            orphans: self.orphans.clone(),
            reanchor_summary: ReanchorSummary::default(),
            import_report: Vec::new(),
            stamps: BTreeMap::new(),
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
        if ws.read_only.is_none() {
            ws.recover_journal(path, &hash)?;
            ws.start_journal()?;
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
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&lock_path);
        match file {
            Ok(mut f) => match f.try_lock() {
                Ok(()) => {
                    use std::io::Write as _;
                    f.set_len(0).ok();
                    writeln!(f, "pid {} on {}", std::process::id(), host_name()).ok();
                    self._lock = Some(f);
                }
                Err(_) => {
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
                }
            },
            Err(err) => {
                self.read_only = Some(format!(
                    "cannot create the lock file {} ({err}); opened read-only",
                    lock_path.display()
                ));
            }
        }
    }

    fn recover_journal(&mut self, path: &Path, hash: &str) -> Result<(), WorkspaceError> {
        let recovered = journal::recover(path, hash).map_err(|e| WorkspaceError::Open {
            path: journal::journal_path(path),
            message: e.to_string(),
        })?;
        let Some(recovered) = recovered else {
            return Ok(());
        };
        if recovered.stale {
            let aside = journal::set_aside(path).ok();
            self.notices.push(format!(
                "Found unsaved edits made against another version of this project; kept them in {} without applying them",
                aside.map_or_else(|| "the journal".into(), |p| p.display().to_string())
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
        let mut notice = format!(
            "Recovered {applied} unsaved edit(s) from the last session (it ended without saving). Save to keep them in the project file"
        );
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
        let roots: Vec<PathBuf> = std::iter::once(base_dir)
            .chain(trusted_roots.iter().map(PathBuf::as_path))
            .filter_map(|r| r.canonicalize().ok())
            .filter(|r| r.is_absolute())
            .collect();
        let limits = ImportLimits::default();
        let mut missing = Vec::new();
        for (id, entry) in &self.project.articles {
            let path = base_dir.join(&entry.path);
            let state = match path.canonicalize() {
                Err(err) => ArticleState::Missing {
                    path: path.clone(),
                    reason: format!("file not found ({err})"),
                },
                Ok(real) if !roots.iter().any(|r| real.starts_with(r)) => ArticleState::Missing {
                    path: path.clone(),
                    reason: format!(
                        "{} is outside the project folder; Claimdesk does not read it unless you open the project with --allow-outside {}",
                        real.display(),
                        real.parent().unwrap_or(Path::new("/")).display()
                    ),
                },
                Ok(real) => match corpus::import_file(&real, &limits) {
                    Ok(mut article) => {
                        article.id = id.clone();
                        if let Some(text) = &entry.corrected_text {
                            article.set_text(text.clone());
                        }
                        ArticleState::Loaded(Arc::new(article))
                    }
                    Err(err) => ArticleState::Missing {
                        path: path.clone(),
                        reason: err.to_string(),
                    },
                },
            };
            if let ArticleState::Missing { reason, .. } = &state {
                missing.push(format!("{id}: {reason}"));
            }
            self.articles.insert(id.clone(), state);
        }
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

    /// Re-anchors every span of articles whose text changed since they were annotated.
    fn reanchor_all(&mut self) {
        let mut summary = ReanchorSummary::default();
        let mut fixes: Vec<Edit> = Vec::new();
        let mut orphans = BTreeSet::new();
        for (id, entry) in &self.project.articles {
            let Some(ArticleState::Loaded(article)) = self.articles.get(id) else {
                continue;
            };
            let changed = !entry.hash.is_empty() && entry.hash != article.hash;
            reanchor_records(
                &self.project,
                id,
                article,
                &mut summary,
                &mut fixes,
                &mut orphans,
            );
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
        if !fixes.is_empty() && self.read_only.is_none() {
            self.apply("re-anchor after article changes", Edit::Batch(fixes))
                .ok();
        }
        self.orphans = orphans;
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

    pub fn is_dirty(&self) -> bool {
        self.unsaved_edits > 0
            || (self.path.is_some()
                && self.disk_hash.is_none()
                && !self.project.articles.is_empty())
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

    /// Suggestions for an article, computed on first use and cached.
    pub fn analysis(&mut self, id: &str) -> Option<Arc<ArticleAnalysis>> {
        if let Some(cached) = self.analysis.get(id) {
            return Some(cached.clone());
        }
        let article = self.article(id)?.clone();
        let result = Arc::new(analysis::analyze(&article, &self.known_names()));
        self.analysis.insert(id.to_string(), result.clone());
        self.generation = next_generation();
        Some(result)
    }

    /// The cached analysis only (the GUI computes in the background and inserts).
    pub fn cached_analysis(&self, id: &str) -> Option<&Arc<ArticleAnalysis>> {
        self.analysis.get(id)
    }

    pub fn insert_analysis(&mut self, id: ArticleId, analysis: Arc<ArticleAnalysis>) {
        self.analysis.insert(id, analysis);
        self.generation = next_generation();
    }

    /// A value that changes with every edit, undo, redo, text correction or new analysis.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Links across articles (same quotes, same events, figures that disagree), computed over
    /// every loaded article. Analysis of each article is cached; the linking itself is cheap.
    pub fn crossrefs(&mut self) -> crate::analysis::crossref::CrossRefs {
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

    // ----- changing -----

    fn check_writable(&self) -> Result<(), WorkspaceError> {
        match &self.read_only {
            Some(reason) => Err(WorkspaceError::ReadOnly(format!(
                "cannot change the project: {reason}"
            ))),
            None => Ok(()),
        }
    }

    /// Applies an edit as one undo step.
    pub fn apply(&mut self, label: &str, edit: Edit) -> Result<(), WorkspaceError> {
        self.apply_inner(label, edit, None)
    }

    /// Applies an edit that merges with the previous one of the same `key` (typing in a note)
    /// until [`Workspace::seal`].
    pub fn apply_coalesced(
        &mut self,
        label: &str,
        key: &str,
        edit: Edit,
    ) -> Result<(), WorkspaceError> {
        self.apply_inner(label, edit, Some(key.to_string()))
    }

    fn apply_inner(
        &mut self,
        label: &str,
        edit: Edit,
        coalesce: Option<String>,
    ) -> Result<(), WorkspaceError> {
        self.check_writable()?;
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
        self.generation = next_generation();
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
            self.analysis.clear();
        }
        self.refresh_corrected_texts(applied);
    }

    /// Keeps loaded article text in step with `corrected_text` (also on undo and redo).
    fn refresh_corrected_texts(&mut self, applied: &Edit) {
        match applied {
            Edit::PutArticle { id, entry } => {
                let Some(ArticleState::Loaded(article)) = self.articles.get(id) else {
                    return;
                };
                let wanted = match &entry.corrected_text {
                    Some(text) => Some(text.clone()),
                    // Correction undone: read the file again.
                    None if article.hash != entry.hash => {
                        corpus::import_file(&article.path, &ImportLimits::default())
                            .ok()
                            .map(|a| a.text)
                    }
                    None => None,
                };
                if let Some(text) = wanted
                    && text != article.text
                {
                    let mut updated = (**article).clone();
                    updated.set_text(text);
                    self.articles
                        .insert(id.clone(), ArticleState::Loaded(Arc::new(updated)));
                    self.analysis.remove(id);
                }
            }
            Edit::Batch(edits) => {
                for edit in edits {
                    self.refresh_corrected_texts(edit);
                }
            }
            _ => {}
        }
    }

    /// Replaces an article's text with the analyst's correction, moving every span in it to
    /// where its quote now is (spans that cannot be placed become orphans). One undo step.
    pub fn correct_text(
        &mut self,
        id: &str,
        text: &str,
    ) -> Result<ReanchorSummary, WorkspaceError> {
        let Some(old) = self.article(id).cloned() else {
            return Err(WorkspaceError::Open {
                path: PathBuf::from(id),
                message: "the article is not loaded".into(),
            });
        };
        let mut corrected = (*old).clone();
        corrected.set_text(crate::text::normalise(text));
        let Some(entry) = self.project.articles.get(id).cloned() else {
            return Ok(ReanchorSummary::default());
        };
        let mut summary = ReanchorSummary::default();
        let mut edits = vec![Edit::PutArticle {
            id: id.to_string(),
            entry: ArticleEntry {
                hash: corrected.hash.clone(),
                corrected_text: Some(corrected.text.clone()),
                ..entry
            },
        }];
        let mut orphans = BTreeSet::new();
        reanchor_records(
            &self.project,
            id,
            &corrected,
            &mut summary,
            &mut edits,
            &mut orphans,
        );
        self.apply("correct article text", Edit::Batch(edits))?;
        self.orphans.extend(orphans);
        Ok(summary)
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

    /// Re-attaches an orphaned claim, mention or evidence passage to `span` of its article.
    pub fn reattach(&mut self, id: &str, span: crate::text::Span) -> Result<(), WorkspaceError> {
        let project = &self.project;
        let anchor_for = |article: &str| {
            self.article(article)
                .map(|a| crate::project::Anchor::new(a, span))
                .ok_or_else(|| WorkspaceError::Open {
                    path: PathBuf::from(article),
                    message: "the article is not loaded".into(),
                })
        };
        let edit = if let Some(claim) = project.claims.get(id) {
            Edit::PutClaim {
                id: id.to_string(),
                claim: crate::project::Claim {
                    anchor: anchor_for(&claim.article)?,
                    ..claim.clone()
                },
            }
        } else if let Some(mention) = project.mentions.get(id) {
            Edit::PutMention {
                id: id.to_string(),
                mention: crate::project::Mention {
                    anchor: anchor_for(&mention.article)?,
                    ..mention.clone()
                },
            }
        } else if let Some(evidence) = project.evidence.get(id) {
            let EvidenceSource::Passage { article, .. } = &evidence.source else {
                return Ok(());
            };
            Edit::PutEvidence {
                id: id.to_string(),
                evidence: crate::project::Evidence {
                    source: EvidenceSource::Passage {
                        article: article.clone(),
                        anchor: anchor_for(article)?,
                    },
                    ..evidence.clone()
                },
            }
        } else {
            return Ok(());
        };
        self.apply("re-attach orphan", edit)?;
        self.orphans.remove(id);
        Ok(())
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
            self.apply(&format!("import {count} article(s)"), Edit::Batch(edits))?;
            for article in added {
                self.articles
                    .insert(article.id.clone(), ArticleState::Loaded(Arc::new(article)));
            }
            self.generation = next_generation();
        }
        Ok(ids)
    }
}

/// Re-anchors every claim, mention and evidence passage of article `id` against `article`:
/// moved spans become edits, spans that cannot be placed become orphans (kept, never dropped).
fn reanchor_records(
    project: &Project,
    id: &str,
    article: &Article,
    summary: &mut ReanchorSummary,
    edits: &mut Vec<Edit>,
    orphans: &mut BTreeSet<Id>,
) {
    let mut place = |record: &Id, anchor: &crate::project::Anchor| match reanchor(anchor, article) {
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
            orphans.insert(record.clone());
            None
        }
    };
    for (cid, claim) in project.claims.iter().filter(|(_, c)| c.article == id) {
        if let Some(anchor) = place(cid, &claim.anchor) {
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
        if let Some(anchor) = place(mid, &mention.anchor) {
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
            && let Some(anchor) = place(eid, anchor)
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
