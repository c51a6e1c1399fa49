//! A team on one project through git: commit, fetch, merge (with Claimdesk's merge driver),
//! push, and say what came in ("Dana rated 2 claims, added 1 article").
//!
//! This runs the `git` command rather than a library such as `gix`: `git` is on every machine
//! that holds a clone, and it brings the user's own setup with it — credential helpers, SSH keys
//! and agents, proxies, hooks, signing, `insteadOf` rewrites — which a reimplementation would
//! each have to honour; and `gix` cannot push yet, nor run a repository's merge drivers. Every
//! call has no standard input and `GIT_TERMINAL_PROMPT=0`, so a missing credential is an error
//! with git's message, never a hang.
//!
//! One sync ([`sync_saved`], or [`sync`] for an open workspace):
//! 1. sets the repository up if it is not yet: `.gitattributes` gets `*.ron merge=claimdesk`,
//!    `.gitignore` the lock, journal, backups and unfinished saves, and the clone's config the
//!    driver line `merge.claimdesk.driver` (running this same Claimdesk binary);
//! 2. finishes a merge an interrupted sync left, if any;
//! 3. commits the project file and its article files (the analyst's name from
//!    [`crate::settings`] as author when set, else git's own identity), with a message saying
//!    what changed;
//! 4. fetches and merges the remote branch: the driver merges project files record by record;
//!    where both sides changed one field the driver keeps both values in the claim, the project
//!    file is committed with them, and the report lists them for the analyst to resolve (Keep
//!    ours / Use theirs, `claimdesk claim resolve`). Any other file in conflict stops the merge
//!    (`git merge --abort`): the sync says which files need a person, and nothing is lost;
//! 5. pushes (fetching and merging again if someone pushed in between);
//! 6. compares the project before and after the merge and reports what came in, by whom.
//!
//! A sync killed at any point leaves a repository git can work with and a project file that
//! loads: the project is saved atomically before git runs, the driver writes a complete project,
//! and the next sync finishes an interrupted merge (step 2).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde::Serialize;

use crate::project::{Claim, Id, Project, file, merge};
use crate::settings::Analyst;
use crate::workspace::{Workspace, WorkspaceError};

/// How a sync runs.
#[derive(Clone, Debug, Default)]
pub struct SyncOptions {
    /// The remote to sync with; default: the branch's upstream, else `origin`.
    pub remote: Option<String>,
    /// The commit author; default: the analyst of the user's settings, else git's identity.
    pub analyst: Option<Analyst>,
    /// The Claimdesk binary git runs as the merge driver; default: this program.
    pub driver: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "{0} is not inside a git repository; clone the team's repository (git clone URL) and open the project from the clone, or run `git init` in its folder"
    )]
    NotARepository(PathBuf),
    #[error("cannot run git ({0}); install git (it is what syncs the project)")]
    NoGit(String),
    #[error("git {command} failed: {message}")]
    Git { command: String, message: String },
    #[error("the merge needs a person: {} changed on both sides and git cannot combine them (the merge was undone; your work is committed). Merge by hand with `git merge`, then sync again", .files.join(", "))]
    NeedsPerson { files: Vec<String> },
    #[error("{path} is outside the repository {repository}; a sync can only share files inside it")]
    OutsideRepository { path: PathBuf, repository: PathBuf },
    #[error(
        "git is busy or was interrupted: {0} exists. If no git command is running, delete it and sync again"
    )]
    IndexLocked(PathBuf),
    #[error(transparent)]
    Project(#[from] file::ProjectFileError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("someone pushed again each time this sync was about to push ({0} tries); sync again")]
    PushRace(usize),
}

/// How the remote's work came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Merged {
    /// The repository has no remote: committed locally only.
    NoRemote,
    /// The remote has no such branch yet (this sync created it by pushing).
    NewBranch,
    UpToDate,
    FastForward,
    /// Both sides had new commits; a merge commit joins them.
    Merged,
}

/// What one change that came in is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    AddedArticle,
    RemovedArticle,
    AddedClaim,
    RatedClaim,
    EditedClaim,
    RemovedClaim,
    AddedEvidence,
    EditedEvidence,
    RemovedEvidence,
    AddedEntity,
    EditedEntity,
    RemovedEntity,
    AddedMention,
    RemovedMention,
    ChangedProject,
}

impl ChangeKind {
    /// "rated 2 claims" for `count` 2.
    pub fn phrase(self, count: usize) -> String {
        let (verb, noun) = match self {
            ChangeKind::AddedArticle => ("added", "article"),
            ChangeKind::RemovedArticle => ("removed", "article"),
            ChangeKind::AddedClaim => ("marked", "claim"),
            ChangeKind::RatedClaim => ("rated", "claim"),
            ChangeKind::EditedClaim => ("edited", "claim"),
            ChangeKind::RemovedClaim => ("removed", "claim"),
            ChangeKind::AddedEvidence => ("added", "evidence item"),
            ChangeKind::EditedEvidence => ("edited", "evidence item"),
            ChangeKind::RemovedEvidence => ("removed", "evidence item"),
            ChangeKind::AddedEntity => ("added", "entity"),
            ChangeKind::EditedEntity => ("edited", "entity"),
            ChangeKind::RemovedEntity => ("removed", "entity"),
            ChangeKind::AddedMention => ("marked", "mention"),
            ChangeKind::RemovedMention => ("removed", "mention"),
            ChangeKind::ChangedProject => ("changed", "project setting"),
        };
        let noun = match (count, noun) {
            (1, noun) => noun.to_string(),
            (_, "entity") => "entities".to_string(),
            (_, noun) => format!("{noun}s"),
        };
        format!("{verb} {count} {noun}")
    }
}

/// One record that differs between two versions of a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The record's id (an article id for articles; the setting's name for the project).
    pub id: String,
    /// Who made it, when the record says so.
    pub who: Option<String>,
    /// One line for people: the claim's quote, the entity's name, the verdict.
    pub detail: String,
}

/// Every record that differs from `before` to `after`, with who changed it when the record
/// says so. A claim whose verdict changed (or that arrived with one) counts as rated; one
/// changed otherwise as edited.
pub fn changes(before: &Project, after: &Project) -> Vec<Change> {
    let mut out = changed_records(before, after);
    for change in &mut out {
        change.who = who_changed(before, after, change);
    }
    out
}

/// The name of who last changed the record a change is about (who created it, for an added
/// one), as the record itself says — only when that signature came with the change: a record
/// both sides changed keeps the later signature, which may be our own, and then the record
/// cannot say who made their part. `None` for removals, unsigned records and those.
fn who_changed(before: &Project, after: &Project, change: &Change) -> Option<String> {
    use crate::project::Provenance;
    use ChangeKind::*;
    let provenances = |project: &Project| -> Option<Provenance> {
        Some(match change.kind {
            AddedClaim | RatedClaim | EditedClaim => {
                project.claims.get(&change.id)?.provenance.clone()
            }
            AddedEvidence | EditedEvidence => project.evidence.get(&change.id)?.provenance.clone(),
            AddedEntity | EditedEntity => project.entities.get(&change.id)?.provenance.clone(),
            AddedMention => project.mentions.get(&change.id)?.provenance.clone(),
            _ => return None,
        })
    };
    let now = provenances(after)?;
    let signed = match change.kind {
        AddedClaim | AddedEvidence | AddedEntity | AddedMention => {
            now.created.as_ref().or(now.changed.as_ref())
        }
        _ => now.changed.as_ref(),
    }?;
    if provenances(before).is_some_and(|old| old.changed.as_ref() == Some(signed)) {
        return None;
    }
    Some(signed.name().to_string()).filter(|n| !n.is_empty())
}

fn changed_records(before: &Project, after: &Project) -> Vec<Change> {
    let mut out = Vec::new();
    let quote = |claim: &Claim| short(&claim.anchor.quote, 60);
    for (id, entry) in &after.articles {
        if !before.articles.contains_key(id) {
            out.push(change(
                ChangeKind::AddedArticle,
                id,
                None,
                entry.path.clone(),
            ));
        }
    }
    for (id, entry) in &before.articles {
        if !after.articles.contains_key(id) {
            out.push(change(
                ChangeKind::RemovedArticle,
                id,
                None,
                entry.path.clone(),
            ));
        }
    }
    for (id, claim) in &after.claims {
        match before.claims.get(id) {
            None => {
                out.push(change(ChangeKind::AddedClaim, id, None, quote(claim)));
                if let Some(verdict) = &claim.verdict {
                    out.push(change(
                        ChangeKind::RatedClaim,
                        id,
                        None,
                        format!("{verdict}: {}", quote(claim)),
                    ));
                }
            }
            Some(old) if old.verdict != claim.verdict => out.push(change(
                ChangeKind::RatedClaim,
                id,
                None,
                format!(
                    "{}: {}",
                    claim.verdict.as_deref().unwrap_or("unrated"),
                    quote(claim)
                ),
            )),
            Some(old) if old != claim => {
                out.push(change(ChangeKind::EditedClaim, id, None, quote(claim)))
            }
            Some(_) => {}
        }
    }
    for (id, claim) in &before.claims {
        if !after.claims.contains_key(id) {
            out.push(change(ChangeKind::RemovedClaim, id, None, quote(claim)));
        }
    }
    let evidence_detail = |e: &crate::project::Evidence| match &e.source {
        crate::project::EvidenceSource::Passage { anchor, .. } => {
            format!("{}: {}", e.stance.label(), short(&anchor.quote, 60))
        }
        crate::project::EvidenceSource::Url { url, .. } => format!("{}: {url}", e.stance.label()),
    };
    diff_map(
        &before.evidence,
        &after.evidence,
        [
            ChangeKind::AddedEvidence,
            ChangeKind::EditedEvidence,
            ChangeKind::RemovedEvidence,
        ],
        evidence_detail,
        &mut out,
    );
    diff_map(
        &before.entities,
        &after.entities,
        [
            ChangeKind::AddedEntity,
            ChangeKind::EditedEntity,
            ChangeKind::RemovedEntity,
        ],
        |e| e.name.clone(),
        &mut out,
    );
    let mention_detail = |m: &crate::project::Mention| short(&m.anchor.quote, 60);
    for (id, mention) in &after.mentions {
        if !before.mentions.contains_key(id) {
            out.push(change(
                ChangeKind::AddedMention,
                id,
                None,
                mention_detail(mention),
            ));
        }
    }
    for (id, mention) in &before.mentions {
        if !after.mentions.contains_key(id) {
            out.push(change(
                ChangeKind::RemovedMention,
                id,
                None,
                mention_detail(mention),
            ));
        }
    }
    if before.name != after.name {
        out.push(change(
            ChangeKind::ChangedProject,
            "name",
            None,
            after.name.clone(),
        ));
    }
    if before.rating_scale != after.rating_scale {
        out.push(change(
            ChangeKind::ChangedProject,
            "rating scale",
            None,
            after
                .rating_scale
                .iter()
                .map(|r| r.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    out
}

fn change(kind: ChangeKind, id: &str, who: Option<String>, detail: String) -> Change {
    Change {
        kind,
        id: id.to_string(),
        who,
        detail,
    }
}

fn diff_map<V: PartialEq>(
    before: &BTreeMap<Id, V>,
    after: &BTreeMap<Id, V>,
    [added, edited, removed]: [ChangeKind; 3],
    detail: impl Fn(&V) -> String,
    out: &mut Vec<Change>,
) {
    for (id, value) in after {
        match before.get(id) {
            None => out.push(change(added, id, None, detail(value))),
            Some(old) if old != value => out.push(change(edited, id, None, detail(value))),
            Some(_) => {}
        }
    }
    for (id, value) in before {
        if !after.contains_key(id) {
            out.push(change(removed, id, None, detail(value)));
        }
    }
}

fn short(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

/// "Dana rated 2 claims, added 1 article", one sentence per person (in order of appearance);
/// changes nobody is named for go to `fallback` (the authors of the commits that came in), or
/// "Someone" when there is none.
pub fn describe(changes: &[Change], fallback: &[String]) -> Vec<String> {
    let fallback_name = if fallback.is_empty() {
        "Someone".to_string()
    } else {
        fallback.join(" and ")
    };
    let mut people: Vec<String> = Vec::new();
    let mut counts: BTreeMap<String, BTreeMap<ChangeKind, usize>> = BTreeMap::new();
    for c in changes {
        let who = c.who.clone().unwrap_or_else(|| fallback_name.clone());
        if !people.contains(&who) {
            people.push(who.clone());
        }
        *counts.entry(who).or_default().entry(c.kind).or_default() += 1;
    }
    people
        .into_iter()
        .map(|who| {
            let phrases: Vec<String> = counts[&who]
                .iter()
                .map(|(kind, n)| kind.phrase(*n))
                .collect();
            format!("{who} {}", phrases.join(", "))
        })
        .collect()
}

/// A field both analysts changed differently, kept with both values after the merge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConflictNotice {
    pub claim: Id,
    pub quote: String,
    pub field: String,
    pub ours: String,
    pub theirs: String,
}

impl std::fmt::Display for ConflictNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "claim {} “{}”: {} is “{}” here and “{}” in theirs; keep one with `claimdesk claim resolve PROJECT {} --field {} --keep ours|theirs`",
            self.claim, self.quote, self.field, self.ours, self.theirs, self.claim, self.field
        )
    }
}

/// Conflicts in `after` that `before` did not have.
pub fn new_conflicts(before: &Project, after: &Project) -> Vec<ConflictNotice> {
    let mut out = Vec::new();
    for (id, claim) in &after.claims {
        let old = before
            .claims
            .get(id)
            .map(|c| c.conflicts.as_slice())
            .unwrap_or_default();
        for conflict in &claim.conflicts {
            if !old.contains(conflict) {
                out.push(ConflictNotice {
                    claim: id.clone(),
                    quote: short(&claim.anchor.quote, 60),
                    field: conflict.field.clone(),
                    ours: conflict.ours.clone(),
                    theirs: conflict.theirs.clone(),
                });
            }
        }
    }
    out
}

/// What a sync did and what came in.
#[derive(Clone, Debug, Serialize)]
pub struct SyncReport {
    pub repository: PathBuf,
    pub branch: String,
    pub remote: Option<String>,
    /// What this sync set up in the repository (attributes, ignores, the driver line).
    pub configured: Vec<String>,
    /// The commit this sync made of the analyst's work, if there was anything to commit.
    pub committed: Option<String>,
    pub merged: Merged,
    pub pushed: bool,
    /// Records that came in, each once.
    pub incoming: Vec<Change>,
    /// The authors of the commits that came in.
    pub authors: Vec<String>,
    /// `incoming` for people: "Dana rated 2 claims, added 1 article".
    pub summary: Vec<String>,
    /// Fields both sides changed: resolve each (Keep ours / Use theirs).
    pub conflicts: Vec<ConflictNotice>,
    /// Anything else worth telling (an interrupted merge finished, articles outside the
    /// repository, two articles with one text).
    pub notices: Vec<String>,
}

impl SyncReport {
    /// The report as lines for a terminal or a status panel.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for c in &self.configured {
            lines.push(format!("set up: {c}"));
        }
        if let Some(commit) = &self.committed {
            lines.push(format!("committed your work as {commit}"));
        }
        lines.push(match self.merged {
            Merged::NoRemote => "no remote to sync with: committed locally only".into(),
            Merged::NewBranch => format!(
                "{}/{} did not exist; created it",
                self.remote.as_deref().unwrap_or("origin"),
                self.branch
            ),
            Merged::UpToDate => "nothing new came in".into(),
            Merged::FastForward | Merged::Merged if self.summary.is_empty() => {
                "new commits came in, with no change to this project".into()
            }
            Merged::FastForward | Merged::Merged => "came in:".into(),
        });
        lines.extend(self.summary.iter().map(|s| format!("  {s}")));
        if self.pushed {
            lines.push(format!(
                "pushed to {}/{}",
                self.remote.as_deref().unwrap_or("origin"),
                self.branch
            ));
        }
        if !self.conflicts.is_empty() {
            lines.push(format!(
                "{} conflict(s) to resolve (both changed the same field):",
                self.conflicts.len()
            ));
            lines.extend(self.conflicts.iter().map(|c| format!("  {c}")));
        }
        lines.extend(self.notices.iter().cloned());
        lines
    }
}

// ---------------------------------------------------------------------------------------------
// Running git

struct Git {
    dir: PathBuf,
    analyst: Option<Analyst>,
}

impl Git {
    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new("git");
        cmd.current_dir(&self.dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_MERGE_AUTOEDIT", "no")
            .stdin(Stdio::null());
        if let Some(analyst) = &self.analyst {
            cmd.arg("-c")
                .arg(format!("user.name={}", analyst.name))
                .arg("-c")
                .arg(format!("user.email={}", analyst.email));
        }
        cmd.args(args);
        cmd
    }

    fn output<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Output, SyncError> {
        self.output_with_input(args, None)
    }

    /// Runs git with its output in unnamed temporary files, not pipes: if this process is
    /// killed mid-sync, a pipe would break under git and the next line git writes would kill
    /// it with SIGPIPE — in a merge, after the merged file was written to the work tree but
    /// before the index and the merge commit, so the next sync would commit the half-done
    /// merge as the analyst's own edit. With files git finishes what it started.
    fn output_with_input<S: AsRef<OsStr>>(
        &self,
        args: &[S],
        input: Option<&[u8]>,
    ) -> Result<Output, SyncError> {
        use std::io::{Read as _, Seek as _};
        let io = |e: std::io::Error| SyncError::NoGit(e.to_string());
        let mut stdout = tempfile::tempfile().map_err(io)?;
        let mut stderr = tempfile::tempfile().map_err(io)?;
        let mut cmd = self.command(args);
        cmd.stdout(stdout.try_clone().map_err(io)?)
            .stderr(stderr.try_clone().map_err(io)?);
        if input.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let mut child = cmd.spawn().map_err(io)?;
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            stdin.write_all(input).ok();
        }
        let status = child.wait().map_err(io)?;
        let read = |file: &mut std::fs::File| -> Result<Vec<u8>, SyncError> {
            let mut bytes = Vec::new();
            file.rewind().map_err(io)?;
            file.read_to_end(&mut bytes).map_err(io)?;
            Ok(bytes)
        };
        Ok(Output {
            status,
            stdout: read(&mut stdout)?,
            stderr: read(&mut stderr)?,
        })
    }

    /// Runs git; its stdout (trimmed) when it succeeds, else an error with its message.
    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<String, SyncError> {
        self.run_with_input(args, None)
    }

    fn failure<S: AsRef<OsStr>>(&self, args: &[S], out: &Output) -> SyncError {
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if stderr.contains("index.lock") {
            return SyncError::IndexLocked(self.git_dir().join("index.lock"));
        }
        let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
        SyncError::Git {
            command: args
                .iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            message: if stderr.is_empty() { stdout } else { stderr },
        }
    }

    /// [`Git::run`] with `input`, if any, on stdin.
    fn run_with_input<S: AsRef<OsStr>>(
        &self,
        args: &[S],
        input: Option<&[u8]>,
    ) -> Result<String, SyncError> {
        let out = self.output_with_input(args, input)?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        Err(self.failure(args, &out))
    }

    /// Whether git succeeds (for questions: `rev-parse --verify`, `diff --quiet`).
    fn succeeds<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<bool, SyncError> {
        Ok(self.output(args)?.status.success())
    }

    fn git_dir(&self) -> PathBuf {
        let dir = self
            .run(&["rev-parse", "--git-dir"])
            .unwrap_or_else(|_| ".git".into());
        self.dir.join(dir)
    }

    /// The file at `rev:path`, if it exists there.
    fn show(&self, spec: &str) -> Result<Option<Vec<u8>>, SyncError> {
        let out = self.output(&["show", spec])?;
        Ok(out.status.success().then_some(out.stdout))
    }
}

/// Quotes a path for the POSIX shell git runs a merge driver with.
fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.to_string_lossy().replace('\'', r"'\''"))
}

/// The repository-relative path, with `/`, of a file inside the repository.
fn in_repository(root: &Path, path: &Path) -> Result<String, SyncError> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let real = absolute.canonicalize().unwrap_or(absolute);
    let relative = real
        .strip_prefix(root)
        .map_err(|_| SyncError::OutsideRepository {
            path: path.to_path_buf(),
            repository: root.to_path_buf(),
        })?;
    Ok(relative.to_string_lossy().replace('\\', "/"))
}

fn parse_project(bytes: &[u8], name: &str) -> Result<Project, SyncError> {
    let text = String::from_utf8_lossy(bytes);
    Ok(file::from_ron_str(&text, Path::new(name))?)
}

// ---------------------------------------------------------------------------------------------
// The sync

/// Syncs an open project: saves it, syncs the saved file ([`sync_saved`]), and reloads the
/// workspace from what the merge left (new articles, their records, kept conflicts). The CLI
/// calls this; a GUI that keeps drawing meanwhile calls the three steps itself, the middle one
/// on a worker thread (see `docs/team.md`).
pub fn sync(ws: &mut Workspace, options: &SyncOptions) -> Result<SyncReport, SyncError> {
    if let Some(reason) = ws.read_only_reason() {
        return Err(SyncError::Workspace(WorkspaceError::ReadOnly(format!(
            "cannot sync: {reason}"
        ))));
    }
    let path = if ws.is_dirty() {
        ws.save()?
    } else {
        ws.path().ok_or(WorkspaceError::NoPath)?.to_path_buf()
    };
    let result = sync_saved(&path, options);
    // Reloaded even after a failed sync: a merge may have changed the file before it failed.
    ws.reload()?;
    result
}

/// Syncs the project file at `project` as saved on disk. Reads and writes only the repository
/// (never a workspace), so it can run on a worker thread while the project stays open
/// read-only; reload the project afterwards.
pub fn sync_saved(project: &Path, options: &SyncOptions) -> Result<SyncReport, SyncError> {
    let project = file::resolve_project_path(project).map_err(|e| SyncError::Git {
        command: "(finding the project)".into(),
        message: format!("{}: {e}", project.display()),
    })?;
    let folder = project.parent().unwrap_or(Path::new("/")).to_path_buf();
    let analyst = options
        .analyst
        .clone()
        .or_else(crate::settings::current_analyst);
    let probe = Git {
        dir: folder.clone(),
        analyst: None,
    };
    let top = match probe.output(&["rev-parse", "--show-toplevel"]) {
        Ok(out) if out.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        }
        Ok(_) => return Err(SyncError::NotARepository(project.clone())),
        Err(err) => return Err(err),
    };
    let root = top.canonicalize().unwrap_or(top);
    let git = Git {
        dir: root.clone(),
        analyst,
    };
    let project_in_repo = in_repository(&root, &project)?;
    let mut report = SyncReport {
        repository: root.clone(),
        branch: String::new(),
        remote: None,
        configured: Vec::new(),
        committed: None,
        merged: Merged::NoRemote,
        pushed: false,
        incoming: Vec::new(),
        authors: Vec::new(),
        summary: Vec::new(),
        conflicts: Vec::new(),
        notices: Vec::new(),
    };

    let setup_files = set_up(&git, &root, &project_in_repo, options, &mut report)?;
    finish_interrupted_merge(&git, &mut report)?;

    // 3. Commit the analyst's work.
    let branch = git.run(&["symbolic-ref", "--short", "HEAD"]).map_err(|_| SyncError::Git {
        command: "symbolic-ref HEAD".into(),
        message: "the repository is not on a branch (a detached HEAD); check out the team's branch (git switch main) and sync again".into(),
    })?;
    report.branch = branch.clone();
    let local = file::load(&project)?;
    commit_work(
        &git,
        &root,
        &project,
        &project_in_repo,
        &local,
        &setup_files,
        &mut report,
    )?;

    // 4–5. Fetch, merge, push; again if someone pushed in between.
    let (remote, upstream_branch) = remote_for(&git, &branch, options)?;
    let Some(remote) = remote else {
        report.merged = Merged::NoRemote;
        return Ok(report);
    };
    report.remote = Some(remote.clone());
    let before = file::load(&project)?;
    let before_head = git.run(&["rev-parse", "HEAD"])?;
    const TRIES: usize = 3;
    let mut tries = 0;
    loop {
        tries += 1;
        git.run(&["fetch", "--quiet", &remote])?;
        let tracking = format!("refs/remotes/{remote}/{upstream_branch}");
        let remote_exists = git.succeeds(&["rev-parse", "--verify", "--quiet", &tracking])?;
        let merged = if remote_exists {
            merge_remote(&git, &tracking, &mut report.notices)?
        } else {
            Merged::NewBranch
        };
        // The first try's outcome is what the analyst cares about; a later one only adds.
        if tries == 1 || merged == Merged::Merged {
            report.merged = merged;
        }
        let refspec = format!("HEAD:refs/heads/{upstream_branch}");
        let has_upstream =
            git.succeeds(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"])?;
        let mut push: Vec<&str> = vec!["push", "--quiet", "--porcelain"];
        if !has_upstream {
            push.push("--set-upstream");
        }
        push.push(&remote);
        push.push(&refspec);
        let out = git.output(&push)?;
        if out.status.success() {
            report.pushed = true;
            break;
        }
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let rejected = text.contains("[rejected]")
            || text.contains("non-fast-forward")
            || text.contains("fetch first");
        if !rejected {
            return Err(git.failure(&push, &out));
        }
        if tries == TRIES {
            return Err(SyncError::PushRace(TRIES));
        }
    }

    // 6. What came in.
    let after = file::load(&project)?;
    // The commits that came in (not the merge this sync made).
    let authors = git.run(&[
        "log",
        "--no-merges",
        "--format=%an",
        &format!("{before_head}..HEAD"),
    ])?;
    let mut seen = BTreeSet::new();
    report.authors = authors
        .lines()
        .filter(|a| !a.trim().is_empty() && seen.insert(a.to_string()))
        .map(str::to_string)
        .collect();
    report.incoming = changes(&before, &after);
    report.summary = describe(&report.incoming, &report.authors);
    report.conflicts = new_conflicts(&before, &after);
    note_shared_texts(&before, &after, &mut report);
    Ok(report)
}

/// Step 1: the attributes, ignores and driver line, where missing. Returns the files it
/// changed, to commit with the work.
fn set_up(
    git: &Git,
    root: &Path,
    project_in_repo: &str,
    options: &SyncOptions,
    report: &mut SyncReport,
) -> Result<Vec<String>, SyncError> {
    let mut changed = Vec::new();
    let attribute = git.run(&["check-attr", "merge", "--", project_in_repo])?;
    if !attribute.trim_end().ends_with(": claimdesk") {
        append_line(&root.join(".gitattributes"), "*.ron merge=claimdesk")?;
        changed.push(".gitattributes".to_string());
        report
            .configured
            .push(".gitattributes: *.ron merge=claimdesk".into());
    }
    let folder = Path::new(project_in_repo)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.is_empty());
    let under = |name: &str| match &folder {
        Some(f) => format!("{f}/{name}"),
        None => name.to_string(),
    };
    let probes = [
        (under("x.ron.lock"), "*.ron.lock"),
        (under("x.ron.journal"), "*.ron.journal*"),
        (under(".claimdesk-backups/x"), ".claimdesk-backups/"),
        // A save killed before its rename leaves its temporary file (the project itself is
        // untouched). The sync commits only the project and its articles, but the stray file
        // would keep `git status` dirty, and a teammate's `git add -A` would take it.
        (under(".claimdesk-save-x.tmp"), ".claimdesk-save-*.tmp"),
    ];
    let mut ignored_any = false;
    for (probe, pattern) in probes {
        if !git.succeeds(&["check-ignore", "--quiet", "--no-index", &probe])? {
            append_line(&root.join(".gitignore"), pattern)?;
            ignored_any = true;
        }
    }
    if ignored_any {
        changed.push(".gitignore".to_string());
        report
            .configured
            .push(".gitignore: Claimdesk's lock, journal, backups and unfinished saves".into());
    }
    let configured = git.succeeds(&["config", "--get", "merge.claimdesk.driver"])?;
    if !configured {
        let exe = match &options.driver {
            Some(path) => path.clone(),
            None => std::env::current_exe().map_err(|e| SyncError::Git {
                command: "(finding this program for the merge driver)".into(),
                message: e.to_string(),
            })?,
        };
        let driver = format!("{} merge %O %A %B %P", shell_quote(&exe));
        git.run(&["config", "merge.claimdesk.name", "Claimdesk project merge"])?;
        git.run(&["config", "merge.claimdesk.driver", &driver])?;
        report
            .configured
            .push(format!("merge.claimdesk.driver = {driver}"));
    }
    Ok(changed)
}

fn append_line(path: &Path, line: &str) -> Result<(), SyncError> {
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    file::write_atomically(path, text.as_bytes()).map_err(|e| SyncError::Git {
        command: format!("(writing {})", path.display()),
        message: e.to_string(),
    })
}

/// Step 2: a merge an interrupted sync (or a person) left: project files are merged from the
/// index's three versions, and the merge is committed; if anything else is in conflict it is
/// left for a person.
fn finish_interrupted_merge(git: &Git, report: &mut SyncReport) -> Result<(), SyncError> {
    if !git.succeeds(&["rev-parse", "--verify", "--quiet", "MERGE_HEAD"])? {
        return Ok(());
    }
    let unmerged = unmerged_paths(git)?;
    let others: Vec<String> = unmerged
        .iter()
        .filter(|p| !p.ends_with(".ron"))
        .cloned()
        .collect();
    if !others.is_empty() {
        return Err(SyncError::NeedsPerson { files: others });
    }
    for path in &unmerged {
        merge_from_index(git, path)?;
    }
    git.run(&["commit", "--no-edit", "--quiet"])?;
    report
        .notices
        .push("finished a merge an earlier sync had started".into());
    Ok(())
}

fn unmerged_paths(git: &Git) -> Result<Vec<String>, SyncError> {
    let out = git.run(&["diff", "--name-only", "--diff-filter=U", "-z"])?;
    Ok(out
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect())
}

/// Merges a project file git left unmerged, from its base, our and their versions in the index
/// (what the driver does; also when the driver could not run), writes it and stages it. Returns
/// whether that merge was clean (no field kept with both values).
fn merge_from_index(git: &Git, path: &str) -> Result<bool, SyncError> {
    let base = git.show(&format!(":1:{path}"))?;
    let ours = git.show(&format!(":2:{path}"))?;
    let theirs = git.show(&format!(":3:{path}"))?;
    let mut clean = false;
    let merged = match (ours, theirs) {
        (Some(ours), Some(theirs)) => {
            let ours = parse_project(&ours, path)?;
            let theirs = parse_project(&theirs, path)?;
            // Added on both sides: the common base is what neither had.
            let base = match base {
                Some(base) => parse_project(&base, path)?,
                None => Project {
                    name: ours.name.clone(),
                    rating_scale: ours.rating_scale.clone(),
                    ..Project::default()
                },
            };
            let (merged, summary) = merge::merge(&base, &ours, &theirs);
            clean = summary.is_clean();
            Some(merged)
        }
        // Deleted on one side, changed on the other: keep the changed one (nothing is lost).
        (Some(kept), None) | (None, Some(kept)) => Some(parse_project(&kept, path)?),
        (None, None) => None,
    };
    let full = git.dir.join(path);
    if let Some(project) = merged {
        let text = file::to_ron_string(&project).map_err(|e| SyncError::Git {
            command: format!("(writing the merged {path})"),
            message: e.to_string(),
        })?;
        file::write_atomically(&full, text.as_bytes()).map_err(|e| SyncError::Git {
            command: format!("(writing the merged {path})"),
            message: e.to_string(),
        })?;
    }
    git.run(&["add", "--", path])?;
    Ok(clean)
}

/// Step 3: stages the project file, its article files inside the repository and the set-up
/// files, and commits them if anything changed, with a message saying what.
fn commit_work(
    git: &Git,
    root: &Path,
    project: &Path,
    project_in_repo: &str,
    local: &Project,
    setup_files: &[String],
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let folder = project.parent().unwrap_or(Path::new("/"));
    let mut paths: Vec<String> = vec![project_in_repo.to_string()];
    paths.extend(setup_files.iter().cloned());
    let mut outside = Vec::new();
    for entry in local.articles.values() {
        let article = folder.join(&entry.path);
        if !article.is_file() {
            continue;
        }
        match in_repository(root, &article) {
            Ok(relative) => paths.push(relative),
            Err(_) => outside.push(entry.path.clone()),
        }
    }
    if !outside.is_empty() {
        report.notices.push(format!(
            "{} article file(s) lie outside the repository, so your teammates cannot read them: {}",
            outside.len(),
            outside
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut list = paths.join("\0");
    list.push('\0');
    git.run_with_input(
        &["add", "--pathspec-from-file=-", "--pathspec-file-nul", "--"],
        Some(list.as_bytes()),
    )?;
    let has_head = git.succeeds(&["rev-parse", "--verify", "--quiet", "HEAD"])?;
    let staged = if has_head {
        !git.succeeds(&["diff", "--cached", "--quiet", "--", ":/"])?
    } else {
        !git.run(&["diff", "--cached", "--name-only"])?.is_empty()
    };
    if !staged {
        return Ok(());
    }
    let previous = if has_head {
        git.show(&format!("HEAD:{project_in_repo}"))?
            .and_then(|bytes| parse_project(&bytes, project_in_repo).ok())
    } else {
        None
    };
    let who = git
        .run(&["var", "GIT_AUTHOR_IDENT"])
        .ok()
        .and_then(|ident| ident.split_once(" <").map(|(name, _)| name.to_string()));
    let summary = describe(
        &changes(&previous.unwrap_or_default(), local),
        &who.into_iter().collect::<Vec<_>>(),
    );
    let title = match summary.first() {
        Some(first) => format!("Claimdesk: {first}"),
        None => "Claimdesk: set up the repository for syncing".to_string(),
    };
    let message = format!(
        "{title}\n\n{}\nProject: {project_in_repo}\n",
        summary
            .iter()
            .skip(1)
            .map(|s| format!("{s}\n"))
            .collect::<String>()
    );
    // Only what this sync staged: anything else the analyst staged stays for them to commit.
    let mut commit: Vec<String> = vec![
        "commit".into(),
        "--quiet".into(),
        "-m".into(),
        message,
        "--".into(),
    ];
    commit.extend(paths);
    git.run(&commit)?;
    report.committed = Some(git.run(&["rev-parse", "--short", "HEAD"])?);
    Ok(())
}

/// The remote and the branch on it to sync with.
fn remote_for(
    git: &Git,
    branch: &str,
    options: &SyncOptions,
) -> Result<(Option<String>, String), SyncError> {
    let upstream_remote = git
        .run(&["config", "--get", &format!("branch.{branch}.remote")])
        .ok()
        .filter(|r| !r.is_empty());
    let upstream_branch = git
        .run(&["config", "--get", &format!("branch.{branch}.merge")])
        .ok()
        .and_then(|m| m.strip_prefix("refs/heads/").map(str::to_string));
    let remotes = git.run(&["remote"])?;
    let remotes: Vec<&str> = remotes.lines().collect();
    let remote = match &options.remote {
        Some(name) if remotes.contains(&name.as_str()) => Some(name.clone()),
        Some(name) => {
            return Err(SyncError::Git {
                command: "remote".into(),
                message: format!(
                    "this repository has no remote “{name}”; it has: {}",
                    if remotes.is_empty() {
                        "none".to_string()
                    } else {
                        remotes.join(", ")
                    }
                ),
            });
        }
        None => upstream_remote
            .clone()
            .or_else(|| remotes.contains(&"origin").then(|| "origin".to_string()))
            .or_else(|| remotes.first().map(|r| r.to_string())),
    };
    let same_remote = upstream_remote.is_some() && upstream_remote == remote;
    let target = if same_remote {
        upstream_branch.unwrap_or_else(|| branch.to_string())
    } else {
        branch.to_string()
    };
    Ok((remote, target))
}

/// Step 4: merges the fetched branch. Project files the driver left with kept conflicts are
/// committed as they are (the conflicts are inside them); any other conflict undoes the merge.
fn merge_remote(git: &Git, tracking: &str, notices: &mut Vec<String>) -> Result<Merged, SyncError> {
    let head = git.run(&["rev-parse", "HEAD"])?;
    let theirs = git.run(&["rev-parse", tracking])?;
    if head == theirs || git.succeeds(&["merge-base", "--is-ancestor", &theirs, &head])? {
        return Ok(Merged::UpToDate);
    }
    let fast_forward = git.succeeds(&["merge-base", "--is-ancestor", &head, &theirs])?;
    let out = git.output(&["merge", "--no-edit", "--quiet", tracking])?;
    if out.status.success() {
        return Ok(if fast_forward {
            Merged::FastForward
        } else {
            Merged::Merged
        });
    }
    let unmerged = unmerged_paths(git)?;
    if unmerged.is_empty() {
        // Refused before it started (local changes in the way, unrelated histories …).
        return Err(git.failure(&["merge", tracking], &out));
    }
    let others: Vec<String> = unmerged
        .iter()
        .filter(|p| !p.ends_with(".ron"))
        .cloned()
        .collect();
    if !others.is_empty() {
        git.run(&["merge", "--abort"])?;
        return Err(SyncError::NeedsPerson { files: others });
    }
    for path in &unmerged {
        if merge_from_index(git, path)? {
            // The driver leaves a project file unmerged only when it keeps a conflict.
            notices.push(format!(
                "the merge driver did not merge {path} (check `git config merge.claimdesk.driver`); Claimdesk merged it itself"
            ));
        }
    }
    git.run(&["commit", "--no-edit", "--quiet"])?;
    Ok(Merged::Merged)
}

/// Two articles that came to hold one text (both analysts imported the same file under
/// different names) are told, not merged silently.
fn note_shared_texts(before: &Project, after: &Project, report: &mut SyncReport) {
    let mut by_hash: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, entry) in &after.articles {
        if !entry.hash.is_empty() {
            by_hash.entry(entry.hash.as_str()).or_default().push(id);
        }
    }
    for ids in by_hash.values().filter(|ids| ids.len() > 1) {
        if ids.iter().any(|id| !before.articles.contains_key(*id)) {
            report.notices.push(format!(
                "articles {} hold the same text (imported twice under different names); remove one once its annotations are moved",
                ids.join(" and ")
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Anchor, Provenance, Signed};

    fn claim(verdict: Option<&str>, by: &str) -> Claim {
        Claim {
            verdict: verdict.map(String::from),
            provenance: Provenance {
                created: None,
                changed: Some(Signed {
                    by: by.into(),
                    at: "2026-12-01T10:00:00Z".into(),
                }),
            },
            ..Claim {
                article: "a.txt".into(),
                anchor: Anchor {
                    start: 0,
                    end: 5,
                    quote: "Iran ".into(),
                    prefix: String::new(),
                    suffix: String::new(),
                },
                claimant: None,
                verdict: None,
                note: String::new(),
                origin: crate::project::Origin::Analyst,
                conflicts: Vec::new(),
                status: None,
                assignee: None,
                reviewer: None,
                signed_off: None,
                provenance: Provenance::default(),
            }
        }
    }

    #[test]
    fn what_came_in_is_said_per_person_from_the_records_else_the_commits() {
        let mut before = Project::default();
        before.claims.insert("c1".into(), claim(None, ""));
        before.claims.insert("c2".into(), claim(None, ""));
        let mut after = before.clone();
        after
            .claims
            .insert("c1".into(), claim(Some("False"), "Dana Reyes <d@x.org>"));
        after
            .claims
            .insert("c2".into(), claim(Some("True"), "Dana Reyes <d@x.org>"));
        after.claims.insert("c3".into(), claim(None, ""));
        after.articles.insert(
            "b.txt".into(),
            crate::project::ArticleEntry {
                capture: None,
                path: "b.txt".into(),
                hash: String::new(),
                meta: Default::default(),
                corrected_text: None,
            },
        );
        let came = changes(&before, &after);
        assert_eq!(
            describe(&came, &["Ana".to_string()]),
            [
                "Ana added 1 article, marked 1 claim",
                "Dana Reyes rated 2 claims"
            ]
        );
        assert_eq!(describe(&[], &[]), Vec::<String>::new());
        assert_eq!(ChangeKind::AddedEntity.phrase(3), "added 3 entities");
        assert_eq!(ChangeKind::AddedEvidence.phrase(1), "added 1 evidence item");
    }
}
