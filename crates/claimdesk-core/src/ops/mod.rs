//! Every operation an analyst performs, written once for every front end.
//!
//! Each function reads the workspace, takes plain arguments (an article id, a span or a quote,
//! a verdict label, text), checks them, and returns an [`Op`]: the one [`Edit`] that does it,
//! with a label for the undo menu and the id of the record it creates. The GUI, the command line
//! (`claimdesk claim add …`, `claimdesk apply OPS.jsonl`) and the tests call these; none of them
//! builds an edit itself. [`Workspace::run`] applies an op through the one path that validates,
//! journals and records undo.

pub mod request;
pub mod workflow;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::analysis::EntityKind;
use crate::analysis::crossref::Spellings;
use crate::corpus::{Article, ArticleId, ArticleMeta};
use crate::project::registry;
use crate::project::{
    Anchor, ArticleEntry, Claim, Edit, Entity, Evidence, EvidenceSource, Id, Mention, Origin,
    Project, Rating, Stance, new_id,
};
use crate::text::{Span, SpanSet};
use crate::workspace::{ReanchorSummary, Workspace, WorkspaceError};

pub use workflow::{
    assign, publish_blockers, set_status, set_status_scale, sign_off, status_label,
};

/// A checked change, ready to apply: one edit, one undo step.
#[derive(Clone, Debug)]
pub struct Op {
    /// What the undo menu and the status line call it ("rate claim False").
    pub label: String,
    pub edit: Edit,
    /// The record this op creates (a claim, an evidence item, an entity), if any.
    pub created: Option<Id>,
    /// Consecutive ops with the same key (typing into one field) make one undo step until
    /// [`Workspace::seal`].
    pub coalesce: Option<String>,
}

impl Op {
    fn new(label: impl Into<String>, edit: Edit) -> Self {
        Self {
            label: label.into(),
            edit,
            created: None,
            coalesce: None,
        }
    }

    fn creating(mut self, id: &Id) -> Self {
        self.created = Some(id.clone());
        self
    }

    fn coalescing(mut self, key: String) -> Self {
        self.coalesce = Some(key);
        self
    }
}

/// Why an operation was not done. Each says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error(
        "no article “{0}” in the project; `claimdesk claim list PROJECT --json` or `check` shows the articles"
    )]
    NoArticle(String),
    #[error(
        "article “{id}” cannot be read ({reason}); its annotations are kept but it cannot be annotated"
    )]
    ArticleMissing { id: String, reason: String },
    #[error("no {kind} with id “{id}” in the project")]
    NoRecord { kind: &'static str, id: String },
    #[error("“{quote}” does not occur in {article}{hint}")]
    QuoteNotFound {
        quote: String,
        article: String,
        hint: String,
    },
    #[error(
        "“{quote}” occurs {} times in {article}; say which with --occurrence N (or \"occurrence\": N):\n{}",
        .places.len(),
        .places.join("\n")
    )]
    AmbiguousQuote {
        quote: String,
        article: String,
        /// "  1: at 120 …context…"
        places: Vec<String>,
    },
    #[error(
        "occurrence {asked} of “{quote}” asked for, but it occurs {count} time(s) in {article}"
    )]
    NoSuchOccurrence {
        quote: String,
        article: String,
        asked: usize,
        count: usize,
    },
    #[error("span {start}..{end} does not fit {article}, which has {len} characters")]
    BadSpan {
        article: String,
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("the passage is empty")]
    EmptySpan,
    #[error("verdict “{label}” is not on this project's rating scale; use one of: {}", .scale.join(", "))]
    UnknownVerdict { label: String, scale: Vec<String> },
    #[error("“{0}” is not an entity kind; use one of: {kinds}", kinds = entity_kind_labels())]
    UnknownKind(String),
    #[error("“{0}” is not a stance; use supports, refutes or context")]
    UnknownStance(String),
    #[error("{0}")]
    Invalid(String),
    #[error("nothing to do: {0}")]
    Nothing(String),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
}

pub type Result<T, E = OpError> = std::result::Result<T, E>;

fn entity_kind_labels() -> String {
    EntityKind::ALL
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Workspace {
    /// Applies a checked operation as one undo step (journalled before it returns); returns the
    /// id of the record it created, if any.
    pub fn run(&mut self, op: Op) -> Result<Option<Id>, WorkspaceError> {
        match &op.coalesce {
            Some(key) => self.apply_coalesced(&op.label, key, op.edit)?,
            None => self.apply(&op.label, op.edit)?,
        }
        Ok(op.created)
    }
}

// ----- finding a passage -----

/// Where a passage is: char offsets, or its text (the `occurrence`-th time it appears, from 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Place {
    Span {
        start: usize,
        end: usize,
    },
    Quote {
        quote: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        occurrence: Option<usize>,
    },
}

impl Place {
    pub fn quote(quote: impl Into<String>) -> Self {
        Place::Quote {
            quote: quote.into(),
            occurrence: None,
        }
    }
}

/// The article an operation works on, loaded.
pub fn loaded_article<'w>(ws: &'w Workspace, id: &str) -> Result<&'w std::sync::Arc<Article>> {
    match ws.article_state(id) {
        None => Err(OpError::NoArticle(id.to_string())),
        Some(crate::workspace::ArticleState::Missing { reason, .. }) => {
            Err(OpError::ArticleMissing {
                id: id.to_string(),
                reason: reason.clone(),
            })
        }
        Some(crate::workspace::ArticleState::Loaded(article)) => Ok(article),
    }
}

/// Finds a passage in an article. A quote is matched exactly, else with quotes, dashes and
/// runs of white space folded (so a quote typed with straight quotes finds curly ones); a quote
/// found more than once needs its occurrence, and the error lists each with its context.
pub fn locate(article: &Article, place: &Place) -> Result<Span> {
    match place {
        Place::Span { start, end } => {
            let len = article.char_len();
            if start >= end {
                return Err(OpError::EmptySpan);
            }
            if *end > len {
                return Err(OpError::BadSpan {
                    article: article.id.clone(),
                    start: *start,
                    end: *end,
                    len,
                });
            }
            Ok(Span::new(*start, *end))
        }
        Place::Quote { quote, occurrence } => {
            let wanted = quote.trim();
            if wanted.is_empty() {
                return Err(OpError::EmptySpan);
            }
            let mut found = occurrences(article, wanted);
            if found.is_empty() {
                found = folded_occurrences(article, wanted);
            }
            if found.is_empty() {
                return Err(OpError::QuoteNotFound {
                    quote: wanted.to_string(),
                    article: article.id.clone(),
                    hint: not_found_hint(article, wanted),
                });
            }
            match occurrence {
                Some(n) if *n >= 1 && *n <= found.len() => Ok(found[n - 1]),
                Some(n) => Err(OpError::NoSuchOccurrence {
                    quote: wanted.to_string(),
                    article: article.id.clone(),
                    asked: *n,
                    count: found.len(),
                }),
                None if found.len() == 1 => Ok(found[0]),
                None => Err(OpError::AmbiguousQuote {
                    quote: wanted.to_string(),
                    article: article.id.clone(),
                    places: found
                        .iter()
                        .enumerate()
                        .take(20)
                        .map(|(i, span)| {
                            format!("  {}: at {} {}", i + 1, span.start, context(article, *span))
                        })
                        .collect(),
                }),
            }
        }
    }
}

fn occurrences(article: &Article, quote: &str) -> Vec<Span> {
    let len = quote.chars().count();
    article
        .text
        .match_indices(quote)
        .map(|(byte, _)| {
            let start = article.char_of(byte);
            Span::new(start, start + len)
        })
        .collect()
}

/// A char folded for matching typed quotes against typeset text; `None` for white space.
fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '«' | '»' => Some('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
        c if c.is_whitespace() => None,
        c => Some(c),
    }
}

/// `text` folded, with runs of white space as one space, and for each folded char the char
/// offset it came from.
fn fold(text: &str) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::with_capacity(text.len());
    let mut from = Vec::with_capacity(text.len());
    let mut in_space = false;
    for (i, c) in text.chars().enumerate() {
        match fold_char(c) {
            Some(f) => {
                chars.push(f);
                from.push(i);
                in_space = false;
            }
            None if !in_space => {
                chars.push(' ');
                from.push(i);
                in_space = true;
            }
            None => {}
        }
    }
    (chars, from)
}

fn folded_occurrences(article: &Article, quote: &str) -> Vec<Span> {
    let (needle, _) = fold(quote);
    if needle.is_empty() {
        return Vec::new();
    }
    let (hay, from) = fold(&article.text);
    let mut found = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()] == needle[..] {
            found.push(Span::new(from[i], from[i + needle.len() - 1] + 1));
            i += needle.len();
        } else {
            i += 1;
        }
    }
    found
}

/// For a quote that is not there: where its first words are, if anywhere.
fn not_found_hint(article: &Article, quote: &str) -> String {
    let words: Vec<&str> = quote.split_whitespace().take(3).collect();
    if words.len() < 2 {
        return String::new();
    }
    let start = words.join(" ");
    match folded_occurrences(article, &start).first() {
        Some(span) => format!(
            "; its first words are at {} {} — check the rest of the quote",
            span.start,
            context(article, *span)
        ),
        None => String::new(),
    }
}

/// "…before [passage] after…" on one line, for messages.
pub fn context(article: &Article, span: Span) -> String {
    let len = article.char_len();
    let before = article.slice(Span::new(span.start.saturating_sub(30), span.start));
    let after = article.slice(Span::new(span.end, (span.end + 30).min(len)));
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let passage = one_line(article.slice(span));
    let passage = if passage.chars().count() > 60 {
        format!("{}…", passage.chars().take(60).collect::<String>())
    } else {
        passage
    };
    format!("“…{} [{}] {}…”", one_line(before), passage, one_line(after))
}

// ----- claims -----

/// What an analyst says about a claim when marking it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimFields {
    #[serde(default)]
    pub claimant: Option<String>,
    #[serde(default)]
    pub verdict: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

fn check_verdict(project: &Project, verdict: Option<&str>) -> Result<()> {
    match verdict {
        Some(label) if project.rating(label).is_none() => Err(OpError::UnknownVerdict {
            label: label.to_string(),
            scale: project
                .rating_scale
                .iter()
                .map(|r| r.label.clone())
                .collect(),
        }),
        _ => Ok(()),
    }
}

/// The project's verdict label for `label`, matched without regard to case ("false" → "False").
pub fn verdict_label(project: &Project, label: &str) -> Result<String> {
    let label = label.trim();
    project
        .rating_scale
        .iter()
        .find(|r| r.label.eq_ignore_ascii_case(label))
        .map(|r| r.label.clone())
        .ok_or_else(|| OpError::UnknownVerdict {
            label: label.to_string(),
            scale: project
                .rating_scale
                .iter()
                .map(|r| r.label.clone())
                .collect(),
        })
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// The speaker the analysis found for the sentence at `span`, if any.
fn detected_claimant(ws: &Workspace, article: &str, span: Span) -> Option<String> {
    ws.analysis(article).and_then(|a| {
        a.claims
            .iter()
            .find(|c| c.span.overlaps(&span))
            .and_then(|c| c.claimant.clone())
    })
}

/// Marks `span` of `article` as a claim. The claimant defaults to the speaker the analysis
/// found for the sentence.
pub fn mark_claim(ws: &Workspace, article: &str, span: Span, fields: ClaimFields) -> Result<Op> {
    let text = loaded_article(ws, article)?;
    if span.is_empty() {
        return Err(OpError::EmptySpan);
    }
    let verdict = match fields.verdict.as_deref() {
        Some(v) => Some(verdict_label(ws.project(), v)?),
        None => None,
    };
    let claimant = non_empty(fields.claimant).or_else(|| detected_claimant(ws, article, span));
    let id = new_id();
    let claim = Claim {
        verdict,
        claimant,
        note: fields.note.unwrap_or_default(),
        ..Claim::at(text, span)
    };
    Ok(Op::new(
        "mark claim",
        Edit::PutClaim {
            id: id.clone(),
            claim,
        },
    )
    .creating(&id))
}

/// A change to a claim's fields; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimChange {
    /// `Some(None)` clears the claimant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant: Option<Option<String>>,
    /// `Some(None)` clears the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn claim<'p>(project: &'p Project, id: &str) -> Result<&'p Claim> {
    project.claims.get(id).ok_or_else(|| OpError::NoRecord {
        kind: "claim",
        id: id.to_string(),
    })
}

/// Changes a claim's claimant, verdict or note. Typing into the claimant or the note makes one
/// undo step per field until sealed.
pub fn set_claim(ws: &Workspace, id: &str, change: ClaimChange) -> Result<Op> {
    let project = ws.project();
    let mut updated = claim(project, id)?.clone();
    let mut parts = Vec::new();
    if let Some(verdict) = change.verdict {
        updated.verdict = match verdict {
            Some(label) => Some(verdict_label(project, &label)?),
            None => None,
        };
        parts.push(match &updated.verdict {
            Some(v) => format!("rate claim {v}"),
            None => "clear verdict".to_string(),
        });
    }
    if let Some(claimant) = change.claimant {
        updated.claimant = non_empty(claimant);
        parts.push("set claimant".into());
    }
    if let Some(note) = change.note {
        updated.note = note;
        parts.push("edit note".into());
    }
    if parts.is_empty() {
        return Err(OpError::Nothing("no field to change was given".into()));
    }
    let coalesce = match parts.as_slice() {
        [only] if only == "set claimant" => Some(format!("claimant-{id}")),
        [only] if only == "edit note" => Some(format!("note-{id}")),
        _ => None,
    };
    let mut op = Op::new(
        parts.join(", "),
        Edit::PutClaim {
            id: id.to_string(),
            claim: updated,
        },
    );
    if let Some(key) = coalesce {
        op = op.coalescing(key);
    }
    Ok(op)
}

/// Removes a claim with its evidence, as one undo step.
pub fn remove_claim(ws: &Workspace, id: &str) -> Result<Op> {
    let project = ws.project();
    claim(project, id)?;
    let mut edits: Vec<Edit> = project
        .evidence_for(id)
        .into_iter()
        .map(|(eid, _)| Edit::RemoveEvidence { id: eid.clone() })
        .collect();
    edits.push(Edit::RemoveClaim { id: id.to_string() });
    Ok(Op::new("delete claim", Edit::Batch(edits)))
}

/// Which value to keep for a field both analysts changed in a merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    Ours,
    Theirs,
}

/// Resolves a merge conflict on a claim's field by keeping our value or theirs.
pub fn resolve_conflict(ws: &Workspace, id: &str, field: &str, keep: Keep) -> Result<Op> {
    let project = ws.project();
    let mut updated = claim(project, id)?.clone();
    let Some(index) = updated.conflicts.iter().position(|c| c.field == field) else {
        let fields: Vec<&str> = updated.conflicts.iter().map(|c| c.field.as_str()).collect();
        return Err(OpError::Invalid(if fields.is_empty() {
            format!("claim {id} has no merge conflict")
        } else {
            format!(
                "claim {id} has no conflict on “{field}”; it has conflicts on: {}",
                fields.join(", ")
            )
        }));
    };
    let conflict = updated.conflicts.remove(index);
    let value = match keep {
        Keep::Ours => &conflict.ours,
        Keep::Theirs => &conflict.theirs,
    };
    let optional = |v: &str| (v != "(none)").then(|| v.to_string());
    match (field, keep) {
        // The merged record already holds our value.
        (_, Keep::Ours) => {}
        ("verdict", Keep::Theirs) => {
            updated.verdict = optional(value);
            check_verdict(project, updated.verdict.as_deref())?;
        }
        ("claimant", Keep::Theirs) => updated.claimant = optional(value),
        ("status", Keep::Theirs) => {
            updated.status = optional(value);
            if let Some(status) = &updated.status
                && !project.status_scale.contains(status)
            {
                return Err(OpError::Invalid(format!(
                    "their status “{status}” is not on this project's status scale"
                )));
            }
        }
        ("assignee", Keep::Theirs) => updated.assignee = optional(value),
        ("reviewer", Keep::Theirs) => updated.reviewer = optional(value),
        ("note", Keep::Theirs) => updated.note = value.clone(),
        ("span", Keep::Theirs) => {
            let article = loaded_article(ws, &updated.article)?;
            let span = parse_conflict_span(value).ok_or_else(|| {
                OpError::Invalid(format!("cannot read their span “{value}”; mark it again"))
            })?;
            updated.anchor = Anchor::new(article, locate(article, &span)?);
        }
        (other, Keep::Theirs) => {
            return Err(OpError::Invalid(format!(
                "cannot take their value for “{other}”; edit the claim by hand"
            )));
        }
    }
    Ok(Op::new(
        format!(
            "keep {} {field}",
            if keep == Keep::Ours { "our" } else { "their" }
        ),
        Edit::PutClaim {
            id: id.to_string(),
            claim: updated,
        },
    ))
}

/// What stands for the project itself where a claim id is expected (`claim resolve project`).
pub const PROJECT_CONFLICTS: &str = "project";

/// Resolves a merge conflict on the project itself ("name", "rating scale", "article ID") by
/// keeping our value or theirs.
pub fn resolve_project_conflict(ws: &Workspace, field: &str, keep: Keep) -> Result<Op> {
    let project = ws.project();
    let Some(index) = project.conflicts.iter().position(|c| c.field == field) else {
        let fields: Vec<&str> = project.conflicts.iter().map(|c| c.field.as_str()).collect();
        return Err(OpError::Invalid(if fields.is_empty() {
            "the project has no merge conflict".to_string()
        } else {
            format!(
                "the project has no conflict on “{field}”; it has conflicts on: {}",
                fields.join(", ")
            )
        }));
    };
    let mut remaining = project.conflicts.clone();
    let conflict = remaining.remove(index);
    let value = match keep {
        Keep::Ours => &conflict.ours,
        Keep::Theirs => &conflict.theirs,
    };
    let mut edits = Vec::new();
    if field == "name" {
        edits.push(Edit::SetName {
            name: value.clone(),
        });
    } else if field == "rating scale" {
        let scale = crate::project::merge::parse_scale(value).ok_or_else(|| {
            OpError::Invalid(format!(
                "cannot read the rating scale “{value}”; set the scale by hand"
            ))
        })?;
        edits.push(Edit::SetRatingScale { scale });
    } else if field == "status scale" {
        let scale: Vec<String> = ron::from_str(value).map_err(|_| {
            OpError::Invalid(format!(
                "cannot read the status scale “{value}”; set the scale by hand"
            ))
        })?;
        edits.push(Edit::SetStatusScale { scale });
    } else if let Some(article) = field.strip_prefix("article ") {
        // The merge kept the article; choosing the side that removed it removes it, once
        // nothing uses it any more.
        if value == "(removed)" && project.articles.contains_key(article) {
            edits.push(Edit::RemoveArticle {
                id: article.to_string(),
            });
        }
    } else {
        return Err(OpError::Invalid(format!(
            "cannot resolve “{field}” automatically; edit the project by hand"
        )));
    }
    edits.push(Edit::SetConflicts {
        conflicts: remaining,
    });
    Ok(Op::new(
        format!(
            "keep {} {field}",
            if keep == Keep::Ours { "our" } else { "their" }
        ),
        Edit::Batch(edits),
    ))
}

/// A span conflict is shown as "12–40 “quote”".
fn parse_conflict_span(value: &str) -> Option<Place> {
    let (range, _) = value.split_once(' ')?;
    let (start, end) = range.split_once('–')?;
    Some(Place::Span {
        start: start.parse().ok()?,
        end: end.parse().ok()?,
    })
}

// ----- evidence -----

/// Where evidence comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceInput {
    /// A passage of an article in the project.
    Passage { article: ArticleId, span: Span },
    /// An outside source.
    Url { url: String, title: String },
}

/// Parses "supports" / "refutes" / "context".
pub fn stance(name: &str) -> Result<Stance> {
    Stance::ALL
        .into_iter()
        .find(|s| s.label().eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| OpError::UnknownStance(name.to_string()))
}

/// Adds evidence for a claim: a passage of any article, or a link.
pub fn add_evidence(
    ws: &Workspace,
    claim_id: &str,
    source: EvidenceInput,
    stance: Stance,
    note: &str,
) -> Result<Op> {
    claim(ws.project(), claim_id)?;
    let (source, label) = match source {
        EvidenceInput::Passage { article, span } => {
            let text = loaded_article(ws, &article)?;
            if span.is_empty() {
                return Err(OpError::EmptySpan);
            }
            let anchor = Anchor::new(text, span);
            (EvidenceSource::Passage { article, anchor }, "add evidence")
        }
        EvidenceInput::Url { url, title } => {
            let url = url.trim().to_string();
            if url.is_empty() || url.contains(char::is_whitespace) || !url.contains(':') {
                return Err(OpError::Invalid(format!(
                    "“{url}” is not a link; give a full address such as https://example.org/page"
                )));
            }
            (EvidenceSource::Url { url, title }, "add evidence link")
        }
    };
    let id = new_id();
    Ok(Op::new(
        label,
        Edit::PutEvidence {
            id: id.clone(),
            evidence: Evidence {
                provenance: Default::default(),
                claim: claim_id.to_string(),
                stance,
                source,
                note: note.to_string(),
            },
        },
    )
    .creating(&id))
}

fn evidence<'p>(project: &'p Project, id: &str) -> Result<&'p Evidence> {
    project.evidence.get(id).ok_or_else(|| OpError::NoRecord {
        kind: "evidence item",
        id: id.to_string(),
    })
}

/// Changes an evidence item's stance or note.
pub fn set_evidence(
    ws: &Workspace,
    id: &str,
    stance: Option<Stance>,
    note: Option<String>,
) -> Result<Op> {
    let mut updated = evidence(ws.project(), id)?.clone();
    if stance.is_none() && note.is_none() {
        return Err(OpError::Nothing("no field to change was given".into()));
    }
    if let Some(stance) = stance {
        updated.stance = stance;
    }
    let typing = note.is_some() && stance.is_none();
    if let Some(note) = note {
        updated.note = note;
    }
    let op = Op::new(
        "change evidence",
        Edit::PutEvidence {
            id: id.to_string(),
            evidence: updated,
        },
    );
    Ok(if typing {
        op.coalescing(format!("evidence-note-{id}"))
    } else {
        op
    })
}

pub fn remove_evidence(ws: &Workspace, id: &str) -> Result<Op> {
    evidence(ws.project(), id)?;
    Ok(Op::new(
        "remove evidence",
        Edit::RemoveEvidence { id: id.to_string() },
    ))
}

// ----- entities -----

/// Parses an entity kind by its label ("PERSON", "org", …).
pub fn entity_kind(name: &str) -> Result<EntityKind> {
    EntityKind::ALL
        .into_iter()
        .find(|k| k.label().eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| OpError::UnknownKind(name.to_string()))
}

fn entity<'p>(project: &'p Project, id: &str) -> Result<(&'p Id, &'p Entity)> {
    project
        .entities
        .get_key_value(id)
        .or_else(|| project.entity_named(id))
        .ok_or_else(|| OpError::NoRecord {
            kind: "entity (by id or name)",
            id: id.to_string(),
        })
}

/// The registry entity an id or a name (or alias) refers to; returns its id.
pub fn entity_id(ws: &Workspace, id_or_name: &str) -> Result<Id> {
    entity(ws.project(), id_or_name).map(|(id, _)| id.clone())
}

/// Records mentions at `spans` of `article` as the entity called `name` (or, without a name,
/// the text at the first span): the registry entity with that name or alias, else a new one of
/// `kind`. Spans already recorded for that entity are skipped. One undo step.
pub fn mark_entity(
    ws: &Workspace,
    article: &str,
    spans: &[Span],
    kind: EntityKind,
    name: Option<&str>,
) -> Result<Op> {
    let text = loaded_article(ws, article)?;
    let first = spans.first().ok_or(OpError::EmptySpan)?;
    if spans.iter().any(Span::is_empty) {
        return Err(OpError::EmptySpan);
    }
    let surface = text.slice(*first).trim().to_string();
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(&surface);
    let project = ws.project();
    let mut edits = Vec::new();
    let (entity_id, created) = match project.entity_named(name) {
        Some((id, _)) => (id.clone(), false),
        None => {
            let id = new_id();
            edits.push(Edit::PutEntity {
                id: id.clone(),
                entity: Entity {
                    provenance: Default::default(),
                    name: name.to_string(),
                    kind,
                    aliases: if surface != name && !surface.is_empty() {
                        vec![surface.clone()]
                    } else {
                        Vec::new()
                    },
                    note: String::new(),
                },
            });
            (id, true)
        }
    };
    let recorded: BTreeSet<Span> = project
        .mentions_in(article)
        .into_iter()
        .filter(|(_, m)| m.entity == entity_id)
        .map(|(_, m)| m.anchor.span())
        .collect();
    let mut added = 0;
    for span in spans.iter().filter(|s| !recorded.contains(s)) {
        added += 1;
        edits.push(Edit::PutMention {
            id: new_id(),
            mention: Mention {
                provenance: Default::default(),
                entity: entity_id.clone(),
                article: article.to_string(),
                anchor: Anchor::new(text, *span),
            },
        });
    }
    if added == 0 && !created {
        return Err(OpError::Nothing(format!(
            "“{surface}” is already recorded there as {name}"
        )));
    }
    let op = Op::new(
        format!("mark “{surface}” as {}", kind.label()),
        Edit::Batch(edits),
    );
    Ok(op.creating(&entity_id))
}

/// Where confirming a name records its mentions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every mention in the article.
    Article,
    /// Every mention in every loaded article.
    Corpus,
}

/// Whole-word occurrences of `surface` in `article` not overlapping `taken`.
fn whole_word_spans(article: &Article, surface: &str, taken: &SpanSet) -> Vec<Span> {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let text = &article.text;
    text.match_indices(surface)
        .filter(|(byte, _)| {
            let before = text[..*byte].chars().next_back();
            let after = text[byte + surface.len()..].chars().next();
            !is_word(before) && !is_word(after)
        })
        .map(|(byte, _)| {
            let start = article.char_of(byte);
            Span::new(start, start + surface.chars().count())
        })
        .filter(|span| !taken.overlaps_any(span))
        .collect()
}

/// Confirms a suggested name: adds it to the registry (or to the entity already holding that
/// name) with every whole-word mention of it in the article — or in the whole corpus — that is
/// not already recorded. One undo step.
pub fn confirm_entity(
    ws: &Workspace,
    article: &str,
    surface: &str,
    kind: EntityKind,
    scope: Scope,
) -> Result<Op> {
    loaded_article(ws, article)?;
    let surface = surface.trim();
    if surface.is_empty() {
        return Err(OpError::EmptySpan);
    }
    let project = ws.project();
    let articles: Vec<&std::sync::Arc<Article>> = match scope {
        Scope::Article => vec![loaded_article(ws, article)?],
        Scope::Corpus => ws.loaded_articles().collect(),
    };
    let mut edits = Vec::new();
    let entity_id = match project.entity_named(surface) {
        Some((id, _)) => id.clone(),
        None => {
            let id = new_id();
            edits.push(Edit::PutEntity {
                id: id.clone(),
                entity: Entity {
                    provenance: Default::default(),
                    name: surface.to_string(),
                    kind,
                    aliases: Vec::new(),
                    note: String::new(),
                },
            });
            id
        }
    };
    let mut mentions = 0;
    let mut in_articles = 0;
    for text in articles {
        let taken = SpanSet::new(
            project
                .mentions_in(&text.id)
                .iter()
                .map(|(_, m)| m.anchor.span())
                .collect(),
        );
        let spans = whole_word_spans(text, surface, &taken);
        if !spans.is_empty() {
            in_articles += 1;
        }
        for span in spans {
            mentions += 1;
            edits.push(Edit::PutMention {
                id: new_id(),
                mention: Mention {
                    provenance: Default::default(),
                    entity: entity_id.clone(),
                    article: text.id.clone(),
                    anchor: Anchor::new(text, span),
                },
            });
        }
    }
    if edits.is_empty() {
        return Err(OpError::Nothing(format!(
            "every mention of “{surface}” is already recorded"
        )));
    }
    let label = match scope {
        Scope::Article => format!("confirm “{surface}” ({mentions} mention(s))"),
        Scope::Corpus => {
            format!("confirm “{surface}” ({mentions} mention(s) in {in_articles} article(s))")
        }
    };
    Ok(Op::new(label, Edit::Batch(edits)).creating(&entity_id))
}

/// Confirms a name as an article's entity list groups it: `name` with the other `spellings`
/// found beside it there ("Lavrov" under "Sergey Lavrov"). The registry entity holding the name
/// (or a new one of `kind`) gains the spellings as aliases, and records every whole-word mention
/// of the name and of each spelling in the article not yet recorded. For [`Scope::Corpus`],
/// the name is recorded in every loaded article, but the other spellings only in articles that
/// also name it in full: a bare surname elsewhere may be someone else. One undo step.
pub fn confirm_spellings(
    ws: &Workspace,
    article: &str,
    name: &str,
    spellings: &[String],
    kind: EntityKind,
    scope: Scope,
) -> Result<Op> {
    loaded_article(ws, article)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(OpError::EmptySpan);
    }
    let project = ws.project();
    let mut forms: Vec<&str> = std::iter::once(name)
        .chain(spellings.iter().map(|s| s.trim()))
        .filter(|s| !s.is_empty())
        .collect();
    forms.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let mut edits = Vec::new();
    let known = project
        .entity_named(name)
        .or_else(|| forms.iter().find_map(|f| project.entity_named(f)));
    let entity_id = match known {
        Some((id, entity)) => {
            let mut updated = entity.clone();
            for form in &forms {
                if !updated
                    .surface_forms()
                    .any(|f| f.eq_ignore_ascii_case(form))
                {
                    updated.aliases.push(form.to_string());
                }
            }
            if &updated != entity {
                edits.push(Edit::PutEntity {
                    id: id.clone(),
                    entity: updated,
                });
            }
            id.clone()
        }
        None => {
            let id = new_id();
            edits.push(Edit::PutEntity {
                id: id.clone(),
                entity: Entity {
                    provenance: Default::default(),
                    name: name.to_string(),
                    kind,
                    aliases: forms[1..].iter().map(|f| f.to_string()).collect(),
                    note: String::new(),
                },
            });
            id
        }
    };
    // Longest first, so "Lavrov" is not found again inside "Sergey Lavrov".
    let mut by_length = forms.clone();
    by_length.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
    let articles: Vec<&std::sync::Arc<Article>> = match scope {
        Scope::Article => vec![loaded_article(ws, article)?],
        Scope::Corpus => ws.loaded_articles().collect(),
    };
    let mut mentions = 0;
    let mut in_articles = 0;
    for text in articles {
        let mut taken: Vec<Span> = project
            .mentions_in(&text.id)
            .iter()
            .map(|(_, m)| m.anchor.span())
            .collect();
        let names_in_full = text.id == article
            || !whole_word_spans(text, name, &SpanSet::new(Vec::new())).is_empty();
        let mut found = 0;
        for form in &by_length {
            if *form != name && !names_in_full {
                continue;
            }
            let spans = whole_word_spans(text, form, &SpanSet::new(taken.clone()));
            for span in spans {
                found += 1;
                taken.push(span);
                edits.push(Edit::PutMention {
                    id: new_id(),
                    mention: Mention {
                        provenance: Default::default(),
                        entity: entity_id.clone(),
                        article: text.id.clone(),
                        anchor: Anchor::new(text, span),
                    },
                });
            }
        }
        if found > 0 {
            in_articles += 1;
            mentions += found;
        }
    }
    if edits.is_empty() {
        return Err(OpError::Nothing(format!(
            "every mention of “{name}” is already recorded"
        )));
    }
    let label = match scope {
        Scope::Article => format!("confirm “{name}” ({mentions} mention(s))"),
        Scope::Corpus => {
            format!("confirm “{name}” ({mentions} mention(s) in {in_articles} article(s))")
        }
    };
    Ok(Op::new(label, Edit::Batch(edits)).creating(&entity_id))
}

#[cfg(test)]
mod confirm_spellings_tests {
    use super::*;

    fn words(text: &str, word: &str) -> usize {
        let empty = SpanSet::new(Vec::new());
        whole_word_spans(&Article::from_text("t", text), word, &empty).len()
    }

    #[test]
    fn confirming_a_name_with_its_spellings_records_each_once_and_a_surname_only_beside_the_name() {
        let mut ws = Workspace::import(
            &[crate::sample::corpus_dir()],
            &crate::corpus::ImportLimits::default(),
        );
        let fact_check = "000_164a3089b8e03eed.txt";
        let text = ws.article(fact_check).unwrap().text.clone();
        let full = words(&text, "Sergey Lavrov");
        let bare = words(&text, "Lavrov") - full;
        assert!(full >= 2 && bare >= 1, "{full} {bare}");
        let op = confirm_spellings(
            &ws,
            fact_check,
            "Sergey Lavrov",
            &["Lavrov".into()],
            EntityKind::Person,
            Scope::Article,
        )
        .unwrap();
        ws.run(op).unwrap();
        let project = ws.project();
        assert_eq!(project.entities.len(), 1);
        let entity = project.entities.values().next().unwrap();
        assert_eq!(entity.name, "Sergey Lavrov");
        assert_eq!(entity.aliases, vec!["Lavrov".to_string()]);
        assert_eq!(project.mentions.len(), full + bare, "each mention once");

        // Across the corpus: the full name everywhere, the surname only where the full name is.
        let op = confirm_spellings(
            &ws,
            fact_check,
            "Sergey Lavrov",
            &["Lavrov".into()],
            EntityKind::Person,
            Scope::Corpus,
        )
        .unwrap();
        ws.run(op).unwrap();
        let project = ws.project();
        assert_eq!(project.entities.len(), 1);
        let cradle = "004_f0f083a2e182d3f1.txt";
        assert!(words(&ws.article(cradle).unwrap().text, "Lavrov") > 0);
        assert!(
            project.mentions.values().all(|m| m.article != cradle),
            "a bare surname in an article without the full name is not recorded"
        );
        let moscow = "003_e0f09e3576302cfd.txt";
        assert!(project.mentions.values().any(|m| m.article == moscow));
        // Nothing left to record.
        assert!(matches!(
            confirm_spellings(
                &ws,
                fact_check,
                "Sergey Lavrov",
                &["Lavrov".into()],
                EntityKind::Person,
                Scope::Corpus,
            ),
            Err(OpError::Nothing(_))
        ));
    }
}

/// Merges `others` into `keep`: their names become aliases of `keep`'s, their mentions move
/// over. `keep`'s name stays the canonical one.
pub fn merge_entities(ws: &Workspace, keep: &str, others: &[String]) -> Result<Op> {
    let project = ws.project();
    let (keep_id, kept) = entity(project, keep)?;
    let mut other_ids = Vec::new();
    for other in others {
        let (id, _) = entity(project, other)?;
        if id != keep_id && !other_ids.contains(id) {
            other_ids.push(id.clone());
        }
    }
    if other_ids.is_empty() {
        return Err(OpError::Nothing(
            "give at least one other entity to merge".into(),
        ));
    }
    let edit = registry::merge_entities_edit(project, keep_id, &other_ids).ok_or_else(|| {
        OpError::NoRecord {
            kind: "entity",
            id: keep.to_string(),
        }
    })?;
    Ok(Op::new(
        format!("merge {} name(s) into “{}”", other_ids.len(), kept.name),
        edit,
    ))
}

/// Splits `alias` off an entity into an entity of its own, with the mentions spelled so.
pub fn split_alias(ws: &Workspace, entity_ref: &str, alias: &str) -> Result<Op> {
    let project = ws.project();
    let (id, found) = entity(project, entity_ref)?;
    if !found.aliases.iter().any(|a| a == alias) {
        return Err(OpError::Invalid(format!(
            "“{alias}” is not an alias of {}; its aliases: {}",
            found.name,
            if found.aliases.is_empty() {
                "none".to_string()
            } else {
                found.aliases.join(", ")
            }
        )));
    }
    let edit = registry::split_alias_edit(project, id, alias).ok_or_else(|| OpError::NoRecord {
        kind: "entity",
        id: entity_ref.to_string(),
    })?;
    Ok(Op::new(
        format!("split “{alias}” off “{}”", found.name),
        edit,
    ))
}

/// Renames an entity (its canonical name). The old name stays as an alias when `keep_old` so
/// detection still finds it written that way.
pub fn rename_entity(ws: &Workspace, entity_ref: &str, name: &str, keep_old: bool) -> Result<Op> {
    let project = ws.project();
    let (id, found) = entity(project, entity_ref)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(OpError::Invalid("a name cannot be empty".into()));
    }
    if let Some((other, _)) = project.entity_named(name)
        && other != id
    {
        return Err(OpError::Invalid(format!(
            "another entity is already called “{name}”; merge them instead"
        )));
    }
    let mut updated = found.clone();
    let old = std::mem::replace(&mut updated.name, name.to_string());
    updated.aliases.retain(|a| a != name);
    if keep_old && old != name && !updated.aliases.contains(&old) {
        updated.aliases.push(old.clone());
    }
    Ok(Op::new(
        format!("rename “{old}” to “{name}”"),
        Edit::PutEntity {
            id: id.clone(),
            entity: updated,
        },
    ))
}

/// Changes an entity's kind (a person marked as an organisation).
pub fn retype_entity(ws: &Workspace, entity_ref: &str, kind: EntityKind) -> Result<Op> {
    let (id, found) = entity(ws.project(), entity_ref)?;
    let mut updated = found.clone();
    updated.kind = kind;
    Ok(Op::new(
        format!("make “{}” {}", found.name, kind.label()),
        Edit::PutEntity {
            id: id.clone(),
            entity: updated,
        },
    ))
}

/// Removes an entity with all its mentions.
pub fn remove_entity(ws: &Workspace, entity_ref: &str) -> Result<Op> {
    let project = ws.project();
    let (id, found) = entity(project, entity_ref)?;
    let mut edits: Vec<Edit> = project
        .mentions
        .iter()
        .filter(|(_, m)| &m.entity == id)
        .map(|(mid, _)| Edit::RemoveMention { id: mid.clone() })
        .collect();
    edits.push(Edit::RemoveEntity { id: id.clone() });
    Ok(Op::new(
        format!("remove entity “{}”", found.name),
        Edit::Batch(edits),
    ))
}

pub fn remove_mention(ws: &Workspace, id: &str) -> Result<Op> {
    if !ws.project().mentions.contains_key(id) {
        return Err(OpError::NoRecord {
            kind: "mention",
            id: id.to_string(),
        });
    }
    Ok(Op::new(
        "remove mention",
        Edit::RemoveMention { id: id.to_string() },
    ))
}

/// Makes one registry entity for a name written several ways across the corpus (the
/// cross-article "Spellings" group), with every spelling and mention.
pub fn adopt_spellings(ws: &Workspace, group: &Spellings) -> Result<Op> {
    let edit = registry::adopt_spellings_edit(ws.project(), group, |id| {
        ws.article(id).map(|a| a.as_ref())
    })
    .ok_or_else(|| OpError::Nothing(format!("“{}” is already in the registry", group.name)))?;
    Ok(Op::new(
        format!("add “{}” to the registry", group.name),
        edit,
    ))
}

// ----- suggestions -----

/// A suggested claim still open: check-worthy, not dismissed, not already a claim.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OpenSuggestion {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub score: f32,
    pub claimant: Option<String>,
    pub reasons: Vec<String>,
}

/// The open claim suggestions of an article, in text order.
pub fn open_suggestions(ws: &Workspace, article: &str) -> Result<Vec<OpenSuggestion>> {
    loaded_article(ws, article)?;
    let Some(analysis) = ws.analysis(article) else {
        return Ok(Vec::new());
    };
    let project = ws.project();
    let dismissed = project.dismissed_spans(article);
    let claimed = SpanSet::new(
        project
            .claims_in(article)
            .iter()
            .map(|(_, c)| c.anchor.span())
            .collect(),
    );
    Ok(analysis
        .check_worthy()
        .filter(|s| !dismissed.contains(&s.span) && !claimed.overlaps_any(&s.span))
        .map(|s| OpenSuggestion {
            start: s.span.start,
            end: s.span.end,
            text: s.text.clone(),
            score: s.score,
            claimant: s.claimant.clone(),
            reasons: s.reasons.clone(),
        })
        .collect())
}

fn suggestion_claim(ws: &Workspace, article: &Article, span: Span) -> Claim {
    Claim {
        claimant: detected_claimant(ws, &article.id, span),
        origin: Origin::Suggestion,
        ..Claim::at(article, span)
    }
}

/// Turns a suggested claim into a claim of the project (with the speaker found for it).
pub fn accept_suggestion(ws: &Workspace, article: &str, span: Span) -> Result<Op> {
    let text = loaded_article(ws, article)?;
    if span.is_empty() || span.end > text.char_len() {
        return Err(OpError::BadSpan {
            article: article.to_string(),
            start: span.start,
            end: span.end,
            len: text.char_len(),
        });
    }
    let id = new_id();
    Ok(Op::new(
        "accept suggestion",
        Edit::PutClaim {
            id: id.clone(),
            claim: suggestion_claim(ws, text, span),
        },
    )
    .creating(&id))
}

/// Hides a suggested claim for good (until undone).
pub fn dismiss_suggestion(ws: &Workspace, article: &str, span: Span) -> Result<Op> {
    loaded_article(ws, article)?;
    Ok(Op::new(
        "dismiss suggestion",
        Edit::Dismiss {
            key: Project::suggestion_key(article, span.start, span.end),
        },
    ))
}

/// Accepts (or dismisses) the article's open suggestions at `spans`, as one undo step.
pub fn bulk_suggestions(ws: &Workspace, article: &str, spans: &[Span], accept: bool) -> Result<Op> {
    let text = loaded_article(ws, article)?;
    if spans.is_empty() {
        return Err(OpError::Nothing("no open suggestion to act on".into()));
    }
    let edits: Vec<Edit> = spans
        .iter()
        .map(|span| {
            if accept {
                Edit::PutClaim {
                    id: new_id(),
                    claim: suggestion_claim(ws, text, *span),
                }
            } else {
                Edit::Dismiss {
                    key: Project::suggestion_key(article, span.start, span.end),
                }
            }
        })
        .collect();
    Ok(Op::new(
        format!(
            "{} {} suggestion(s)",
            if accept { "accept" } else { "dismiss" },
            edits.len()
        ),
        Edit::Batch(edits),
    ))
}

/// Accepts (or dismisses) every open suggestion of an article scoring at least `min_score`.
pub fn all_suggestions(ws: &Workspace, article: &str, min_score: f32, accept: bool) -> Result<Op> {
    let spans: Vec<Span> = open_suggestions(ws, article)?
        .into_iter()
        .filter(|s| s.score >= min_score)
        .map(|s| Span::new(s.start, s.end))
        .collect();
    bulk_suggestions(ws, article, &spans, accept)
}

// ----- articles -----

/// Replaces an article's text with the analyst's correction (the file is never rewritten),
/// moving every span in it to where its quote now is; spans that cannot be placed become
/// orphans (kept, listed). One undo step.
pub fn correct_text(ws: &Workspace, article: &str, text: &str) -> Result<(Op, ReanchorSummary)> {
    let old = loaded_article(ws, article)?;
    let Some(entry) = ws.project().articles.get(article).cloned() else {
        return Err(OpError::NoArticle(article.to_string()));
    };
    let mut corrected = (**old).clone();
    corrected.set_text(crate::text::normalise(text));
    if corrected.text == old.text {
        return Err(OpError::Nothing("the text is unchanged".into()));
    }
    let mut summary = ReanchorSummary::default();
    let mut edits = vec![Edit::PutArticle {
        id: article.to_string(),
        entry: ArticleEntry {
            hash: corrected.hash.clone(),
            corrected_text: Some(corrected.text.clone()),
            ..entry
        },
    }];
    crate::workspace::reanchor_records(ws.project(), article, &corrected, &mut summary, &mut edits);
    Ok((Op::new("correct article text", Edit::Batch(edits)), summary))
}

/// Corrects an article's metadata: the fields given replace what import found; an empty
/// string clears a correction.
pub fn correct_meta(ws: &Workspace, article: &str, meta: ArticleMeta) -> Result<Op> {
    let Some(entry) = ws.project().articles.get(article).cloned() else {
        return Err(OpError::NoArticle(article.to_string()));
    };
    let merge = |new: Option<String>, old: Option<String>| match new {
        Some(v) if v.trim().is_empty() => None,
        Some(v) => Some(v.trim().to_string()),
        None => old,
    };
    let old = entry.meta.clone();
    let updated = ArticleMeta {
        title: merge(meta.title, old.title),
        source: merge(meta.source, old.source),
        byline: merge(meta.byline, old.byline),
        date: merge(meta.date, old.date),
        url: merge(meta.url, old.url),
    };
    if let Some(date) = &updated.date
        && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err()
    {
        return Err(OpError::Invalid(format!(
            "“{date}” is not a date as YYYY-MM-DD"
        )));
    }
    set_meta(ws, article, updated)
}

/// Sets the analyst's metadata corrections of an article as a whole (a field left `None` uses
/// what import found). Typing into the fields makes one undo step until sealed.
pub fn set_meta(ws: &Workspace, article: &str, overrides: ArticleMeta) -> Result<Op> {
    let Some(entry) = ws.project().articles.get(article).cloned() else {
        return Err(OpError::NoArticle(article.to_string()));
    };
    if entry.meta == overrides {
        return Err(OpError::Nothing("the details are unchanged".into()));
    }
    Ok(Op::new(
        "correct article details",
        Edit::PutArticle {
            id: article.to_string(),
            entry: ArticleEntry {
                meta: overrides,
                ..entry
            },
        },
    )
    .coalescing(format!("meta-{article}")))
}

/// Re-attaches an orphaned claim, mention or evidence passage to `span` of its article.
pub fn reattach(ws: &Workspace, id: &str, span: Span) -> Result<Op> {
    let project = ws.project();
    let anchor_in = |article: &str| -> Result<Anchor> {
        let text = loaded_article(ws, article)?;
        let span = locate(
            text,
            &Place::Span {
                start: span.start,
                end: span.end,
            },
        )?;
        Ok(Anchor::new(text, span))
    };
    let edit = if let Some(claim) = project.claims.get(id) {
        Edit::PutClaim {
            id: id.to_string(),
            claim: Claim {
                anchor: anchor_in(&claim.article)?,
                ..claim.clone()
            },
        }
    } else if let Some(mention) = project.mentions.get(id) {
        Edit::PutMention {
            id: id.to_string(),
            mention: Mention {
                anchor: anchor_in(&mention.article)?,
                ..mention.clone()
            },
        }
    } else if let Some(evidence) = project.evidence.get(id) {
        let EvidenceSource::Passage { article, .. } = &evidence.source else {
            return Err(OpError::Invalid(format!(
                "evidence {id} is a link, not a passage"
            )));
        };
        Edit::PutEvidence {
            id: id.to_string(),
            evidence: Evidence {
                source: EvidenceSource::Passage {
                    article: article.clone(),
                    anchor: anchor_in(article)?,
                },
                ..evidence.clone()
            },
        }
    } else {
        return Err(OpError::NoRecord {
            kind: "claim, mention or evidence item",
            id: id.to_string(),
        });
    };
    Ok(Op::new("re-attach orphan", edit))
}

// ----- the project -----

pub fn rename_project(_ws: &Workspace, name: &str) -> Result<Op> {
    let name = name.trim();
    if name.is_empty() {
        return Err(OpError::Invalid("a project name cannot be empty".into()));
    }
    Ok(Op::new(
        "rename project",
        Edit::SetName {
            name: name.to_string(),
        },
    ))
}

/// Replaces the rating scale; refused while a claim carries a verdict the new scale lacks.
pub fn set_rating_scale(ws: &Workspace, scale: Vec<Rating>) -> Result<Op> {
    if scale.is_empty() {
        return Err(OpError::Invalid(
            "a rating scale needs at least one step".into(),
        ));
    }
    let labels: BTreeSet<&str> = scale.iter().map(|r| r.label.as_str()).collect();
    if labels.len() != scale.len() {
        return Err(OpError::Invalid(
            "two steps of the scale have one label".into(),
        ));
    }
    let stranded: BTreeSet<&str> = ws
        .project()
        .claims
        .values()
        .filter_map(|c| c.verdict.as_deref())
        .filter(|v| !labels.contains(v))
        .collect();
    if !stranded.is_empty() {
        return Err(OpError::Invalid(format!(
            "claims are rated {}, which the new scale lacks; re-rate them first",
            stranded.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(Op::new(
        "change rating scale",
        Edit::SetRatingScale { scale },
    ))
}

/// Several operations as one: each is planned against the state the earlier ones left (so a
/// claim added first can get evidence next), on a scratch copy of the workspace; the result is
/// one edit (one journal line, one undo step), so a sequence is all or nothing.
pub struct Sequence {
    scratch: Workspace,
    edits: Vec<Edit>,
}

impl Sequence {
    pub fn new(ws: &Workspace) -> Self {
        Self {
            scratch: ws.scratch(),
            edits: Vec::new(),
        }
    }

    /// The state so far, to plan the next operation against.
    pub fn workspace(&self) -> &Workspace {
        &self.scratch
    }

    /// Adds an operation planned against [`Sequence::workspace`]; returns the id it creates.
    pub fn push(&mut self, op: Op) -> Result<Option<Id>> {
        self.scratch.apply(&op.label, op.edit.clone())?;
        self.edits.push(op.edit);
        Ok(op.created)
    }

    pub fn len(&self) -> usize {
        self.edits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// The whole sequence as one operation.
    pub fn finish(self, label: impl Into<String>) -> Op {
        Op::new(label, Edit::Batch(self.edits))
    }
}
