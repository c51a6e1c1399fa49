//! Who did what, when: the data of an activity view, from the project's own records (who
//! created and last changed each claim, entity, mention and evidence item, who signed a claim
//! off) and from the crash journal since the last save (every change of this session, also
//! those a later change of the same record has overwritten in the project).
//!
//! The GUI shows [`activity`] newest first, recomputing it when `Workspace::generation` moves;
//! a row's [`Entry::claim`] is the claim a click goes to (an evidence item's claim; a mention's
//! article is in [`Entry::article`]). `claimdesk activity PROJECT [--json]` prints the same.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::project::{Edit, EvidenceSource, Id, Project, Provenance, Signed};
use crate::workspace::Workspace;

/// What kind of record a row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Record {
    Claim,
    Entity,
    Mention,
    Evidence,
}

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Created,
    Changed,
    SignedOff,
    Removed,
}

/// One row: who did what to which record, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// UTC, RFC 3339; `None` when unknown (records from before who/when was kept, removals).
    pub at: Option<String>,
    /// "Name <e-mail>"; `None` when nobody was recorded.
    pub who: Option<String>,
    pub action: Action,
    pub record: Record,
    pub id: Id,
    /// The claim a click goes to: the claim itself, or an evidence item's claim.
    pub claim: Option<Id>,
    pub article: Option<String>,
    /// For people: a claim's quote with its status and verdict, an entity's name, a quote.
    pub detail: String,
    /// From the journal: done since the last save.
    pub unsaved: bool,
}

impl Entry {
    /// "2026-12-01 23:10 Dana Reyes changed claim “…”".
    pub fn line(&self) -> String {
        let when = self
            .at
            .as_deref()
            .map(|at| at.replace('T', " ").trim_end_matches('Z').to_string())
            .unwrap_or_else(|| "(unknown time)".into());
        let who = self
            .who
            .as_deref()
            .map(|w| w.split(" <").next().unwrap_or(w).to_string())
            .unwrap_or_else(|| "someone".into());
        let action = match self.action {
            Action::Created => "created",
            Action::Changed => "changed",
            Action::SignedOff => "signed off",
            Action::Removed => "removed",
        };
        let record = match self.record {
            Record::Claim => "claim",
            Record::Entity => "entity",
            Record::Mention => "mention",
            Record::Evidence => "evidence",
        };
        format!(
            "{when}  {who} {action} {record} {}{}{}",
            self.id,
            if self.detail.is_empty() {
                String::new()
            } else {
                format!("  {}", self.detail)
            },
            if self.unsaved { "  (unsaved)" } else { "" }
        )
    }
}

fn short(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 70 {
        format!("{}…", flat.chars().take(70).collect::<String>())
    } else {
        flat
    }
}

fn signed_by(signed: &Signed) -> Option<String> {
    (!signed.by.is_empty()).then(|| signed.by.clone())
}

/// The rows one record's signatures give.
struct Subject<'a> {
    record: Record,
    id: &'a str,
    claim: Option<&'a str>,
    article: Option<&'a str>,
    detail: String,
}

fn rows(subject: &Subject, provenance: &Provenance, unsaved: bool, out: &mut Vec<Entry>) {
    let mut push = |action: Action, signed: Option<&Signed>| {
        out.push(Entry {
            at: signed.map(|s| s.at.clone()),
            who: signed.and_then(signed_by),
            action,
            record: subject.record,
            id: subject.id.to_string(),
            claim: subject.claim.map(str::to_string),
            article: subject.article.map(str::to_string),
            detail: subject.detail.clone(),
            unsaved,
        });
    };
    if let Some(created) = &provenance.created {
        push(Action::Created, Some(created));
    }
    // A change at the creation itself is not a second row.
    if let Some(changed) = &provenance.changed
        && provenance.created.as_ref() != Some(changed)
    {
        push(Action::Changed, Some(changed));
    }
    if provenance.is_empty() && !unsaved {
        // From before who/when was recorded (format 1): listed once, with nothing known.
        push(Action::Created, None);
    }
}

fn claim_detail(project: &Project, claim: &crate::project::Claim) -> String {
    format!(
        "[{}{}] “{}”",
        project.status_of(claim),
        claim
            .verdict
            .as_deref()
            .map(|v| format!(", {v}"))
            .unwrap_or_default(),
        short(&claim.anchor.quote)
    )
}

/// The rows of every record of `project`.
pub fn from_project(project: &Project) -> Vec<Entry> {
    let mut out = Vec::new();
    for (id, claim) in &project.claims {
        let subject = Subject {
            record: Record::Claim,
            id,
            claim: Some(id),
            article: Some(&claim.article),
            detail: claim_detail(project, claim),
        };
        rows(&subject, &claim.provenance, false, &mut out);
        if let Some(signed) = &claim.signed_off {
            out.push(Entry {
                at: Some(signed.at.clone()),
                who: signed_by(signed),
                action: Action::SignedOff,
                record: Record::Claim,
                id: id.clone(),
                claim: Some(id.clone()),
                article: Some(claim.article.clone()),
                detail: subject.detail.clone(),
                unsaved: false,
            });
        }
    }
    for (id, entity) in &project.entities {
        let subject = Subject {
            record: Record::Entity,
            id,
            claim: None,
            article: None,
            detail: format!("{} ({})", entity.name, entity.kind.label()),
        };
        rows(&subject, &entity.provenance, false, &mut out);
    }
    for (id, mention) in &project.mentions {
        let name = project
            .entities
            .get(&mention.entity)
            .map(|e| e.name.as_str())
            .unwrap_or("?");
        let subject = Subject {
            record: Record::Mention,
            id,
            claim: None,
            article: Some(&mention.article),
            detail: format!("“{}” as {name}", short(&mention.anchor.quote)),
        };
        rows(&subject, &mention.provenance, false, &mut out);
    }
    for (id, evidence) in &project.evidence {
        let (article, what) = match &evidence.source {
            EvidenceSource::Passage { article, anchor } => (
                Some(article.as_str()),
                format!("“{}”", short(&anchor.quote)),
            ),
            EvidenceSource::Url { url, .. } => (None, url.clone()),
        };
        let subject = Subject {
            record: Record::Evidence,
            id,
            claim: Some(&evidence.claim),
            article,
            detail: format!("{} {what}", evidence.stance.label()),
        };
        rows(&subject, &evidence.provenance, false, &mut out);
    }
    out
}

/// The rows of the edits in a journal (this session's, since the last save): each record put
/// with its signature, each removal (by `analyst`, time unknown).
pub fn from_edits(project: &Project, edits: &[Edit], analyst: Option<&str>) -> Vec<Entry> {
    fn walk(project: &Project, edit: &Edit, analyst: Option<&str>, out: &mut Vec<Entry>) {
        let removed = |record: Record, id: &Id| Entry {
            at: None,
            who: analyst.map(str::to_string),
            action: Action::Removed,
            record,
            id: id.clone(),
            claim: (record == Record::Claim).then(|| id.clone()),
            article: None,
            detail: String::new(),
            unsaved: true,
        };
        match edit {
            Edit::PutClaim { id, claim } => {
                let subject = Subject {
                    record: Record::Claim,
                    id,
                    claim: Some(id),
                    article: Some(&claim.article),
                    detail: claim_detail(project, claim),
                };
                rows(&subject, &claim.provenance, true, out);
            }
            Edit::PutEntity { id, entity } => {
                let subject = Subject {
                    record: Record::Entity,
                    id,
                    claim: None,
                    article: None,
                    detail: format!("{} ({})", entity.name, entity.kind.label()),
                };
                rows(&subject, &entity.provenance, true, out);
            }
            Edit::PutMention { id, mention } => {
                let subject = Subject {
                    record: Record::Mention,
                    id,
                    claim: None,
                    article: Some(&mention.article),
                    detail: format!("“{}”", short(&mention.anchor.quote)),
                };
                rows(&subject, &mention.provenance, true, out);
            }
            Edit::PutEvidence { id, evidence } => {
                let subject = Subject {
                    record: Record::Evidence,
                    id,
                    claim: Some(&evidence.claim),
                    article: None,
                    detail: evidence.stance.label().to_string(),
                };
                rows(&subject, &evidence.provenance, true, out);
            }
            Edit::RemoveClaim { id } => out.push(removed(Record::Claim, id)),
            Edit::RemoveEntity { id } => out.push(removed(Record::Entity, id)),
            Edit::RemoveMention { id } => out.push(removed(Record::Mention, id)),
            Edit::RemoveEvidence { id } => out.push(removed(Record::Evidence, id)),
            Edit::Batch(edits) => edits.iter().for_each(|e| walk(project, e, analyst, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for edit in edits {
        walk(project, edit, analyst, &mut out);
    }
    out
}

/// Everything the activity view lists for an open project, newest first (rows with no time
/// last), each once: the journal's rows since the last save, then the records'.
pub fn activity(ws: &Workspace) -> Vec<Entry> {
    let project = ws.project();
    let analyst = ws.analyst().map(ToString::to_string);
    let mut all = from_edits(project, &ws.journal_edits(), analyst.as_deref());
    all.extend(from_project(project));
    let mut seen = BTreeSet::new();
    all.retain(|e| seen.insert((e.record, e.id.clone(), e.action, e.at.clone())));
    // Newest first; RFC 3339 UTC strings sort as times. Unknown times go last.
    all.sort_by(|a, b| match (&a.at, &b.at) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    all
}
