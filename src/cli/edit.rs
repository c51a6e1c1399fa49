//! The analyst's operations on the command line: claims, evidence, entities, suggestions,
//! article corrections, orphans, and `apply` for a file of them. Each command opens the project
//! for editing (taking its lock), builds one [`Request`] — the same data `apply` reads from a
//! file — plans it with the core, applies it (journalled before it counts) and saves
//! atomically before reporting success, so a `kill -9` between two commands loses nothing a
//! command reported done.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use serde::Serialize;

use claimdesk_core::corpus::ArticleMeta;
use claimdesk_core::ops::request::{self, At, Line, Refs, Request};
use claimdesk_core::ops::{self, Keep};
use claimdesk_core::project::{EvidenceSource, Id, Project};
use claimdesk_core::workspace::{ArticleState, Workspace};

/// The project is held by another Claimdesk: exit code 3.
#[derive(Debug, thiserror::Error)]
#[error("{0}; close it there (or wait) and run the command again")]
pub struct Locked(pub String);

/// Where a passage is: `--quote TEXT [--occurrence N]`, or `--start S --end E` (char offsets).
#[derive(Args, Debug, Clone, Default)]
pub struct AtArgs {
    /// The passage's exact text (straight or curly quotes and line breaks are matched loosely).
    #[arg(long, conflicts_with_all = ["start", "end"])]
    quote: Option<String>,
    /// Which occurrence of the quote, from 1 (needed when it appears more than once).
    #[arg(long, requires = "quote")]
    occurrence: Option<usize>,
    /// Start of the passage, in characters from the start of the article's text.
    #[arg(long, requires = "end")]
    start: Option<usize>,
    /// End of the passage (exclusive).
    #[arg(long, requires = "start")]
    end: Option<usize>,
}

impl From<AtArgs> for At {
    fn from(a: AtArgs) -> Self {
        At {
            quote: a.quote,
            occurrence: a.occurrence,
            start: a.start,
            end: a.end,
        }
    }
}

/// The project file and the folders it may read besides its own.
#[derive(Args, Debug, Clone)]
pub struct ProjectArg {
    /// The project file (.ron).
    project: PathBuf,
    /// Let the project read articles from this folder outside its own (repeatable).
    #[arg(long = "allow-outside", value_name = "DIR", global = true)]
    allow_outside: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum ClaimCommand {
    /// Mark a passage as a claim; prints the new claim's id.
    Add {
        #[command(flatten)]
        project: ProjectArg,
        /// The article's id (`claimdesk article list PROJECT` shows them).
        #[arg(long)]
        article: String,
        #[command(flatten)]
        at: AtArgs,
        /// Who made the claim (default: the speaker detected in the sentence).
        #[arg(long)]
        claimant: Option<String>,
        /// A label of the project's rating scale (case is ignored).
        #[arg(long)]
        verdict: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// Print the new claim as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a claim's verdict, claimant or note.
    Set {
        #[command(flatten)]
        project: ProjectArg,
        claim: String,
        #[arg(long, conflicts_with = "clear_verdict")]
        verdict: Option<String>,
        #[arg(long)]
        clear_verdict: bool,
        /// The claimant ("" clears it).
        #[arg(long)]
        claimant: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Delete a claim and its evidence.
    Remove {
        #[command(flatten)]
        project: ProjectArg,
        claim: String,
    },
    /// List the claims.
    List {
        #[command(flatten)]
        project: ProjectArg,
        /// Only this article's claims.
        #[arg(long)]
        article: Option<String>,
        /// Only claims with this verdict, or `unrated`.
        #[arg(long)]
        verdict: Option<String>,
        /// Only claims at this status (`in-review`, `published` …).
        #[arg(long)]
        status: Option<String>,
        /// Only claims assigned to someone whose name holds this (`none`: unassigned).
        #[arg(long)]
        assignee: Option<String>,
        /// Only claims reviewed by someone whose name holds this (`none`: no reviewer).
        #[arg(long)]
        reviewer: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The editorial workflow: status, assign, sign-off, status-scale.
    #[command(flatten)]
    Workflow(super::workflow::WorkflowCommand),
    /// Resolve a merge conflict on a claim's field by keeping our value or theirs; CLAIM
    /// `project` resolves one on the project itself (its name, rating or status scale, or an
    /// article one side removed).
    Resolve {
        #[command(flatten)]
        project: ProjectArg,
        claim: String,
        /// verdict, claimant, note, span, status, assignee, reviewer or verdict label; for
        /// `project`: name, rating scale, status scale or article ID.
        #[arg(long)]
        field: String,
        #[arg(long, value_parser = ["ours", "theirs"])]
        keep: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum EvidenceCommand {
    /// Add evidence for a claim: a passage of an article, or a link; prints its id.
    Add {
        #[command(flatten)]
        project: ProjectArg,
        claim: String,
        /// The article holding the passage.
        #[arg(long, conflicts_with = "url")]
        article: Option<String>,
        #[command(flatten)]
        at: AtArgs,
        /// An outside source instead of a passage.
        #[arg(long)]
        url: Option<String>,
        #[arg(long, requires = "url")]
        title: Option<String>,
        #[arg(long, value_parser = ["supports", "refutes", "context"])]
        stance: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change an evidence item's stance or note.
    Set {
        #[command(flatten)]
        project: ProjectArg,
        evidence: String,
        #[arg(long, value_parser = ["supports", "refutes", "context"])]
        stance: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    Remove {
        #[command(flatten)]
        project: ProjectArg,
        evidence: String,
    },
    /// Keep an archived copy of a link's page: fetched now, written as a WARC record into the
    /// project's `captures/` folder, and cited in reports beside the live URL (retrieval time,
    /// HTTP status, hash). Prints the copy's file.
    Archive {
        #[command(flatten)]
        project: ProjectArg,
        evidence: String,
        #[arg(long)]
        json: bool,
    },
    /// List evidence (of one claim, or all).
    List {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        claim: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum EntityCommand {
    /// Mark a passage as a mention of an entity (the entity is created if no registry entity
    /// has that name or alias); prints the entity's id.
    Add {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        article: String,
        #[command(flatten)]
        at: AtArgs,
        /// PERSON, ORG, GPE, LOC, NORP, EVENT, DATE, MONEY, QUANTITY, PERCENT, CARDINAL.
        #[arg(long)]
        kind: String,
        /// The entity's name when it differs from the passage ("Sergey Lavrov" for "Lavrov").
        #[arg(long)]
        name: Option<String>,
    },
    /// Confirm a name: the entity with every whole-word mention of it in the article.
    Confirm {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        article: String,
        /// The name as written.
        #[arg(long)]
        name: String,
        #[arg(long)]
        kind: String,
        /// Record its mentions in every article, not only this one.
        #[arg(long)]
        corpus: bool,
    },
    /// Merge entities into KEEP (by id or name): the others' names become aliases.
    Merge {
        #[command(flatten)]
        project: ProjectArg,
        keep: String,
        #[arg(required = true)]
        others: Vec<String>,
    },
    /// Split an alias off an entity into an entity of its own, with its mentions.
    Split {
        #[command(flatten)]
        project: ProjectArg,
        entity: String,
        #[arg(long)]
        alias: String,
    },
    /// Rename an entity.
    Rename {
        #[command(flatten)]
        project: ProjectArg,
        entity: String,
        name: String,
        /// Keep the old name as an alias.
        #[arg(long)]
        keep_old: bool,
    },
    /// Change an entity's kind.
    Retype {
        #[command(flatten)]
        project: ProjectArg,
        entity: String,
        kind: String,
    },
    /// Remove an entity and its mentions.
    Remove {
        #[command(flatten)]
        project: ProjectArg,
        entity: String,
    },
    /// List the registry.
    List {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SuggestionsCommand {
    /// List an article's open claim suggestions with scores and reasons.
    List {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        article: String,
        #[arg(long)]
        json: bool,
    },
    /// Accept suggestions as claims: the one holding a passage, or all at or above a score.
    Accept {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        article: String,
        #[command(flatten)]
        at: AtArgs,
        #[arg(long)]
        min_score: Option<f32>,
    },
    /// Dismiss suggestions: the one holding a passage, or all at or above a score.
    Dismiss {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        article: String,
        #[command(flatten)]
        at: AtArgs,
        #[arg(long)]
        min_score: Option<f32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ArticleCommand {
    /// List the project's articles.
    List {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        json: bool,
    },
    /// Replace an article's text with a corrected one (the file is not changed); spans move
    /// with their text, the rest become orphans.
    CorrectText {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        article: String,
        /// A file holding the corrected text.
        #[arg(long)]
        file: PathBuf,
    },
    /// Correct an article's details ("" clears a correction).
    SetMeta {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        article: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        byline: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrphanCommand {
    /// List claims, mentions and evidence whose text changed and could not be found again.
    List {
        #[command(flatten)]
        project: ProjectArg,
        #[arg(long)]
        json: bool,
    },
    /// Attach an orphan to a passage of its article.
    Reattach {
        #[command(flatten)]
        project: ProjectArg,
        record: String,
        #[command(flatten)]
        at: AtArgs,
    },
}

impl ProjectArg {
    /// The project file as given.
    pub fn path(&self) -> &Path {
        &self.project
    }
}

/// Opens a project file for editing: refused (exit 3) when another Claimdesk holds it.
pub fn open_for_edit(project: &ProjectArg) -> Result<Workspace> {
    let path = &project.project;
    if path.extension().is_none_or(|e| e != "ron") {
        anyhow::bail!(
            "{} is not a project file (.ron); make one with `claimdesk new PROJECT.ron ARTICLES...`",
            path.display()
        );
    }
    if !path.is_file() {
        anyhow::bail!("{} does not exist", path.display());
    }
    let ws = super::open_for_cli(path, project.allow_outside.clone(), false)?;
    if let Some(reason) = ws.read_only_reason() {
        return Err(Locked(reason.to_string()).into());
    }
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    Ok(ws)
}

pub(crate) fn open_to_read(project: &ProjectArg) -> Result<Workspace> {
    super::open_for_cli(&project.project, project.allow_outside.clone(), true)
}

/// Plans, applies (journalled) and saves one request; returns what it created.
pub(crate) fn commit(project: &ProjectArg, request: Request) -> Result<(Workspace, Option<Id>)> {
    let mut ws = open_for_edit(project)?;
    let op = request.plan(&ws, &Refs::default())?;
    let label = op.label.clone();
    let id = ws.run(op)?;
    let saved = ws
        .save()
        .with_context(|| format!("“{label}” was applied but could not be saved"))?;
    eprintln!("claimdesk: {label}; saved {}", saved.display());
    Ok((ws, id))
}

/// A command that prints nothing on success: the operation, journalled and saved.
fn commit_only(project: &ProjectArg, request: Request) -> Result<i32> {
    commit(project, request)?;
    Ok(0)
}

fn print_id(id: Option<Id>) -> Result<i32> {
    if let Some(id) = id {
        println!("{id}");
    }
    Ok(0)
}

fn print_json(value: &impl Serialize) -> Result<i32> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(0)
}

pub fn claim(command: ClaimCommand) -> Result<i32> {
    match command {
        ClaimCommand::Add {
            project,
            article,
            at,
            claimant,
            verdict,
            note,
            json,
        } => {
            let (ws, id) = commit(
                &project,
                Request::ClaimAdd {
                    article,
                    at: at.into(),
                    claimant,
                    verdict,
                    note,
                },
            )?;
            if json {
                let id = id.context("no claim was created")?;
                let claim = claim_json(&ws, ws.project(), &id);
                return print_json(&claim);
            }
            print_id(id)
        }
        ClaimCommand::Set {
            project,
            claim,
            verdict,
            clear_verdict,
            claimant,
            note,
        } => commit_only(
            &project,
            Request::ClaimSet {
                claim,
                verdict,
                clear_verdict,
                claimant,
                note,
            },
        ),
        ClaimCommand::Remove { project, claim } => {
            commit_only(&project, Request::ClaimRemove { claim })
        }
        ClaimCommand::Resolve {
            project,
            claim,
            field,
            keep,
        } => {
            let keep = if keep == "theirs" {
                Keep::Theirs
            } else {
                Keep::Ours
            };
            commit_only(&project, Request::ConflictResolve { claim, field, keep })
        }
        ClaimCommand::Workflow(command) => super::workflow::claim(command),
        ClaimCommand::List {
            project,
            article,
            verdict,
            status,
            assignee,
            reviewer,
            json,
        } => {
            let ws = open_to_read(&project)?;
            let p = ws.project();
            let wanted_status = status
                .as_deref()
                .map(|s| ops::status_label(p, s))
                .transpose()?;
            let person = |name: Option<&str>, wanted: &Option<String>| match wanted.as_deref() {
                None => true,
                Some(w) if w.eq_ignore_ascii_case("none") => name.is_none(),
                Some(w) => name.is_some_and(|n| n.to_lowercase().contains(&w.to_lowercase())),
            };
            let wanted_verdict = match verdict.as_deref() {
                None => None,
                Some(v) if v.eq_ignore_ascii_case("unrated") => Some(None),
                Some(v) => Some(Some(ops::verdict_label(p, v)?)),
            };
            let claims: Vec<ClaimJson> = p
                .claims
                .iter()
                .filter(|(_, c)| article.as_deref().is_none_or(|a| c.article == a))
                .filter(|(_, c)| wanted_verdict.as_ref().is_none_or(|v| &c.verdict == v))
                .filter(|(_, c)| wanted_status.as_deref().is_none_or(|s| p.status_of(c) == s))
                .filter(|(_, c)| person(c.assignee.as_deref(), &assignee))
                .filter(|(_, c)| person(c.reviewer.as_deref(), &reviewer))
                .map(|(id, _)| claim_json(&ws, p, id))
                .collect();
            if json {
                return print_json(&claims);
            }
            for c in &claims {
                println!(
                    "{}  {:<13} {:<24} {}{}",
                    c.id,
                    c.verdict.as_deref().unwrap_or("unrated"),
                    c.claimant.as_deref().unwrap_or("?"),
                    one_line(&c.quote, 80),
                    if c.orphan { "  (orphan)" } else { "" }
                );
            }
            Ok(0)
        }
    }
}

pub fn evidence(command: EvidenceCommand) -> Result<i32> {
    match command {
        EvidenceCommand::Add {
            project,
            claim,
            article,
            at,
            url,
            title,
            stance,
            note,
            json,
        } => {
            let (ws, id) = commit(
                &project,
                Request::EvidenceAdd {
                    claim,
                    article,
                    at: at.into(),
                    url,
                    title,
                    stance,
                    note,
                },
            )?;
            if json {
                let id = id.context("no evidence was created")?;
                let item = ws
                    .project()
                    .evidence
                    .get(&id)
                    .map(|e| evidence_json(&ws, &id, e));
                return print_json(&item);
            }
            print_id(id)
        }
        EvidenceCommand::Set {
            project,
            evidence,
            stance,
            note,
        } => commit_only(
            &project,
            Request::EvidenceSet {
                evidence,
                stance,
                note,
            },
        ),
        EvidenceCommand::Remove { project, evidence } => {
            commit_only(&project, Request::EvidenceRemove { evidence })
        }
        EvidenceCommand::Archive {
            project,
            evidence,
            json,
        } => {
            let ws = open_to_read(&project)?;
            let Some(item) = ws.project().evidence.get(&evidence) else {
                anyhow::bail!(
                    "no evidence {evidence} in {} (`claimdesk evidence list` shows the ids)",
                    project.project.display()
                );
            };
            let claimdesk_core::project::EvidenceSource::Url { url, .. } = &item.source else {
                anyhow::bail!(
                    "evidence {evidence} is a passage of an article in the project, which is kept \
                     already; only a link can be archived"
                );
            };
            let folder = ws
                .path()
                .and_then(|p| p.parent())
                .map(std::path::Path::to_path_buf)
                .unwrap_or_else(|| std::path::PathBuf::from("."));
            let copy = claimdesk_capture::archive_link(
                &folder,
                url,
                &claimdesk_capture::FetchLimits::default(),
                &claimdesk_core::progress::Quiet,
            )
            .map_err(|err| anyhow::anyhow!("cannot archive {url}: {err}"))?;
            if json {
                return print_json(&copy);
            }
            println!("{}", copy.archive);
            eprintln!(
                "claimdesk: {}",
                claimdesk_core::report::archived_citation(&copy)
            );
            Ok(0)
        }
        EvidenceCommand::List {
            project,
            claim,
            json,
        } => {
            let ws = open_to_read(&project)?;
            let items: Vec<EvidenceJson> = ws
                .project()
                .evidence
                .iter()
                .filter(|(_, e)| claim.as_deref().is_none_or(|c| e.claim == c))
                .map(|(id, e)| evidence_json(&ws, id, e))
                .collect();
            if json {
                return print_json(&items);
            }
            for e in &items {
                println!(
                    "{}  {:<9} claim {}  {}",
                    e.id,
                    e.stance,
                    e.claim,
                    e.url
                        .clone()
                        .or_else(|| e.quote.as_deref().map(|q| one_line(q, 70)))
                        .unwrap_or_default()
                );
            }
            Ok(0)
        }
    }
}

pub fn entity(command: EntityCommand) -> Result<i32> {
    match command {
        EntityCommand::Add {
            project,
            article,
            at,
            kind,
            name,
        } => {
            let (_, id) = commit(
                &project,
                Request::EntityAdd {
                    article,
                    at: at.into(),
                    kind,
                    name,
                },
            )?;
            print_id(id)
        }
        EntityCommand::Confirm {
            project,
            article,
            name,
            kind,
            corpus,
        } => {
            let (_, id) = commit(
                &project,
                Request::EntityConfirm {
                    article,
                    name,
                    kind,
                    corpus,
                },
            )?;
            print_id(id)
        }
        EntityCommand::Merge {
            project,
            keep,
            others,
        } => commit_only(&project, Request::EntityMerge { keep, others }),
        EntityCommand::Split {
            project,
            entity,
            alias,
        } => commit_only(&project, Request::EntitySplit { entity, alias }),
        EntityCommand::Rename {
            project,
            entity,
            name,
            keep_old,
        } => commit_only(
            &project,
            Request::EntityRename {
                entity,
                name,
                keep_old,
            },
        ),
        EntityCommand::Retype {
            project,
            entity,
            kind,
        } => commit_only(&project, Request::EntityRetype { entity, kind }),
        EntityCommand::Remove { project, entity } => {
            commit_only(&project, Request::EntityRemove { entity })
        }
        EntityCommand::List { project, json } => {
            let ws = open_to_read(&project)?;
            let p = ws.project();
            let entities: Vec<EntityJson> = p
                .entities
                .iter()
                .map(|(id, e)| {
                    let mentions: Vec<_> =
                        p.mentions.values().filter(|m| &m.entity == id).collect();
                    let articles: std::collections::BTreeSet<&str> =
                        mentions.iter().map(|m| m.article.as_str()).collect();
                    EntityJson {
                        id: id.clone(),
                        name: e.name.clone(),
                        kind: e.kind.label(),
                        aliases: e.aliases.clone(),
                        mentions: mentions.len(),
                        articles: articles.len(),
                        note: e.note.clone(),
                    }
                })
                .collect();
            if json {
                return print_json(&entities);
            }
            for e in &entities {
                println!(
                    "{}  {:<8} {}{}  ({} mention(s) in {} article(s))",
                    e.id,
                    e.kind,
                    e.name,
                    if e.aliases.is_empty() {
                        String::new()
                    } else {
                        format!(" (also {})", e.aliases.join(", "))
                    },
                    e.mentions,
                    e.articles
                );
            }
            Ok(0)
        }
    }
}

pub fn suggestions(command: SuggestionsCommand) -> Result<i32> {
    match command {
        SuggestionsCommand::List {
            project,
            article,
            json,
        } => {
            let ws = open_to_read(&project)?;
            let open = ops::open_suggestions(&ws, &article)?;
            if json {
                return print_json(&open);
            }
            for s in &open {
                println!(
                    "{:.2}  {}..{}  {}  [{}]",
                    s.score,
                    s.start,
                    s.end,
                    one_line(&s.text, 90),
                    s.reasons.join("; ")
                );
            }
            Ok(0)
        }
        SuggestionsCommand::Accept {
            project,
            article,
            at,
            min_score,
        } => commit_only(
            &project,
            Request::SuggestionsAccept {
                article,
                at: at.into(),
                min_score,
            },
        ),
        SuggestionsCommand::Dismiss {
            project,
            article,
            at,
            min_score,
        } => commit_only(
            &project,
            Request::SuggestionsDismiss {
                article,
                at: at.into(),
                min_score,
            },
        ),
    }
}

pub fn article(command: ArticleCommand) -> Result<i32> {
    match command {
        ArticleCommand::List { project, json } => {
            let ws = open_to_read(&project)?;
            let rows: Vec<ArticleJson> = ws
                .project()
                .articles
                .iter()
                .map(|(id, entry)| {
                    let meta = ws.meta(id);
                    let (state, reason) = match ws.article_state(id) {
                        Some(ArticleState::Loaded(_)) => ("loaded", None),
                        Some(ArticleState::Missing { reason, .. }) => {
                            ("missing", Some(reason.clone()))
                        }
                        None => ("missing", None),
                    };
                    ArticleJson {
                        id: id.clone(),
                        path: entry.path.clone(),
                        title: meta.title,
                        source: meta.source,
                        date: meta.date,
                        byline: meta.byline,
                        url: meta.url,
                        state,
                        reason,
                        claims: ws
                            .project()
                            .claims
                            .values()
                            .filter(|c| &c.article == id)
                            .count(),
                        corrected: entry.corrected_text.is_some(),
                    }
                })
                .collect();
            if json {
                return print_json(&rows);
            }
            for a in &rows {
                println!(
                    "{}  {}  {}{}",
                    a.id,
                    a.date.as_deref().unwrap_or("          "),
                    a.title.as_deref().unwrap_or(""),
                    match &a.reason {
                        Some(r) => format!("  (missing: {r})"),
                        None => String::new(),
                    }
                );
            }
            Ok(0)
        }
        ArticleCommand::CorrectText {
            project,
            article,
            file,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read the corrected text {}", file.display()))?;
            let (ws, _) = commit(&project, Request::TextCorrect { article, text })?;
            let orphans = ws.orphans().len();
            if orphans > 0 {
                eprintln!(
                    "claimdesk: {orphans} annotation(s) are orphans now; `claimdesk orphan list` shows them"
                );
            }
            Ok(0)
        }
        ArticleCommand::SetMeta {
            project,
            article,
            title,
            source,
            byline,
            date,
            url,
        } => commit_only(
            &project,
            Request::MetaSet {
                article,
                meta: ArticleMeta {
                    title,
                    source,
                    byline,
                    date,
                    url,
                },
            },
        ),
    }
}

pub fn orphan(command: OrphanCommand) -> Result<i32> {
    match command {
        OrphanCommand::List { project, json } => {
            let ws = open_to_read(&project)?;
            let p = ws.project();
            let rows: Vec<OrphanJson> = ws
                .orphans()
                .iter()
                .filter_map(|id| {
                    let (kind, article, anchor) = if let Some(c) = p.claims.get(id) {
                        ("claim", &c.article, &c.anchor)
                    } else if let Some(m) = p.mentions.get(id) {
                        ("mention", &m.article, &m.anchor)
                    } else if let Some(EvidenceSource::Passage { article, anchor }) =
                        p.evidence.get(id).map(|e| &e.source)
                    {
                        ("evidence", article, anchor)
                    } else {
                        return None;
                    };
                    Some(OrphanJson {
                        id: id.clone(),
                        kind,
                        article: article.clone(),
                        start: anchor.start,
                        end: anchor.end,
                        quote: anchor.quote.clone(),
                    })
                })
                .collect();
            if json {
                return print_json(&rows);
            }
            for o in &rows {
                println!(
                    "{}  {:<8} {}  {}",
                    o.id,
                    o.kind,
                    o.article,
                    one_line(&o.quote, 80)
                );
            }
            Ok(0)
        }
        OrphanCommand::Reattach {
            project,
            record,
            at,
        } => commit_only(
            &project,
            Request::OrphanReattach {
                record,
                at: at.into(),
            },
        ),
    }
}

/// `claimdesk apply PROJECT OPS.jsonl`: every line planned against the state the earlier ones
/// left, then applied as one edit (one journal line, one undo step) and saved; any line that
/// fails leaves the project untouched.
pub fn apply(project: &ProjectArg, ops_file: &Path, json: bool) -> Result<i32> {
    let text = if ops_file == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("cannot read operations from stdin")?
    } else {
        std::fs::read_to_string(ops_file)
            .with_context(|| format!("cannot read {}", ops_file.display()))?
    };
    let lines: Vec<Line> = request::parse_lines(&text)?;
    let mut ws = open_for_edit(project)?;
    let label = format!("apply {} operation(s)", lines.len());
    let (op, created) = request::plan_all(&ws, &lines, &label)?;
    ws.run(op)?;
    let saved = ws.save().with_context(|| {
        format!(
            "the {} operation(s) were applied but could not be saved",
            lines.len()
        )
    })?;
    eprintln!(
        "claimdesk: applied {} operation(s); saved {}",
        lines.len(),
        saved.display()
    );
    if json {
        #[derive(Serialize)]
        struct Applied<'a> {
            line: usize,
            op: &'a Request,
            created: Option<&'a Id>,
        }
        let rows: Vec<Applied> = lines
            .iter()
            .zip(&created)
            .enumerate()
            .map(|(i, (line, id))| Applied {
                line: i + 1,
                op: &line.request,
                created: id.as_ref(),
            })
            .collect();
        return print_json(&rows);
    }
    for id in created.into_iter().flatten() {
        println!("{id}");
    }
    Ok(0)
}

// ----- JSON shapes (scripts read these: extend only by adding fields) -----

#[derive(Serialize)]
pub struct ClaimJson {
    id: Id,
    article: String,
    start: usize,
    end: usize,
    quote: String,
    claimant: Option<String>,
    verdict: Option<String>,
    note: String,
    origin: &'static str,
    orphan: bool,
    evidence: Vec<EvidenceJson>,
    conflicts: Vec<ConflictJson>,
    status: String,
    assignee: Option<String>,
    reviewer: Option<String>,
    signed_off: Option<claimdesk_core::project::Signed>,
    created: Option<claimdesk_core::project::Signed>,
    changed: Option<claimdesk_core::project::Signed>,
}

#[derive(Serialize)]
struct ConflictJson {
    field: String,
    ours: String,
    theirs: String,
}

#[derive(Serialize)]
pub struct EvidenceJson {
    id: Id,
    claim: Id,
    stance: &'static str,
    note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    article: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    orphan: bool,
}

#[derive(Serialize)]
struct EntityJson {
    id: Id,
    name: String,
    kind: &'static str,
    aliases: Vec<String>,
    mentions: usize,
    articles: usize,
    note: String,
}

#[derive(Serialize)]
struct ArticleJson {
    id: String,
    path: String,
    title: Option<String>,
    source: Option<String>,
    date: Option<String>,
    byline: Option<String>,
    url: Option<String>,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    claims: usize,
    corrected: bool,
}

#[derive(Serialize)]
struct OrphanJson {
    id: Id,
    kind: &'static str,
    article: String,
    start: usize,
    end: usize,
    quote: String,
}

fn claim_json(ws: &Workspace, project: &Project, id: &str) -> ClaimJson {
    let claim = &project.claims[id];
    ClaimJson {
        id: id.to_string(),
        article: claim.article.clone(),
        start: claim.anchor.start,
        end: claim.anchor.end,
        quote: claim.anchor.quote.clone(),
        claimant: claim.claimant.clone(),
        verdict: claim.verdict.clone(),
        note: claim.note.clone(),
        origin: match claim.origin {
            claimdesk_core::project::Origin::Analyst => "analyst",
            claimdesk_core::project::Origin::Suggestion => "suggestion",
        },
        orphan: ws.is_orphan(id),
        evidence: project
            .evidence_for(id)
            .into_iter()
            .map(|(eid, e)| evidence_json(ws, eid, e))
            .collect(),
        conflicts: claim
            .conflicts
            .iter()
            .map(|c| ConflictJson {
                field: c.field.clone(),
                ours: c.ours.clone(),
                theirs: c.theirs.clone(),
            })
            .collect(),
        status: project.status_of(claim).to_string(),
        assignee: claim.assignee.clone(),
        reviewer: claim.reviewer.clone(),
        signed_off: claim.signed_off.clone(),
        created: claim.provenance.created.clone(),
        changed: claim.provenance.changed.clone(),
    }
}

fn evidence_json(ws: &Workspace, id: &str, e: &claimdesk_core::project::Evidence) -> EvidenceJson {
    let mut json = EvidenceJson {
        id: id.to_string(),
        claim: e.claim.clone(),
        stance: e.stance.label(),
        note: e.note.clone(),
        article: None,
        start: None,
        end: None,
        quote: None,
        url: None,
        title: None,
        orphan: ws.is_orphan(id),
    };
    match &e.source {
        EvidenceSource::Passage { article, anchor } => {
            json.article = Some(article.clone());
            json.start = Some(anchor.start);
            json.end = Some(anchor.end);
            json.quote = Some(anchor.quote.clone());
        }
        EvidenceSource::Url { url, title } => {
            json.url = Some(url.clone());
            json.title = (!title.is_empty()).then(|| title.clone());
        }
    }
    json
}

fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}
