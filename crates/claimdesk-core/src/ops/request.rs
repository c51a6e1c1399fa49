//! Operations as data: one JSON object per operation, with the same names and fields as the
//! command line (`claimdesk claim add PROJECT --article A --quote Q` is
//! `{"op": "claim.add", "article": "A", "quote": "Q"}`). `claimdesk apply PROJECT OPS.jsonl`
//! runs a file of them as one undo step, and each CLI subcommand builds one and plans it here,
//! so the two can never drift.
//!
//! A later line can use a record an earlier line created: name it with `"as": "c1"` and refer to
//! it as `"$c1"`, or by line as `"$3"` (the third operation of the file).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{
    ClaimChange, ClaimFields, EvidenceInput, Keep, Op, OpError, Place, Result, Scope, Sequence,
};
use crate::corpus::ArticleMeta;
use crate::project::Id;
use crate::text::Span;
use crate::workspace::Workspace;

/// Where a passage is, as given by a script: a quote (and which occurrence) or char offsets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct At {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Which occurrence of the quote, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

impl At {
    pub fn place(&self) -> Result<Place> {
        match (&self.quote, self.start, self.end) {
            (Some(quote), None, None) => Ok(Place::Quote {
                quote: quote.clone(),
                occurrence: self.occurrence,
            }),
            (None, Some(start), Some(end)) if self.occurrence.is_none() => {
                Ok(Place::Span { start, end })
            }
            _ => Err(OpError::Invalid(
                "give either a quote (with an occurrence if it appears more than once) or start and end".into(),
            )),
        }
    }

    pub fn is_given(&self) -> bool {
        self.quote.is_some() || self.start.is_some() || self.end.is_some()
    }
}

/// One operation. `op` names it; the other fields are the command line's flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum Request {
    #[serde(rename = "claim.add")]
    ClaimAdd {
        article: String,
        #[serde(flatten)]
        at: At,
        #[serde(default)]
        claimant: Option<String>,
        #[serde(default)]
        verdict: Option<String>,
        #[serde(default)]
        note: Option<String>,
    },
    #[serde(rename = "claim.set")]
    ClaimSet {
        claim: String,
        #[serde(default)]
        verdict: Option<String>,
        #[serde(default)]
        clear_verdict: bool,
        #[serde(default)]
        claimant: Option<String>,
        #[serde(default)]
        note: Option<String>,
    },
    #[serde(rename = "claim.remove")]
    ClaimRemove { claim: String },
    #[serde(rename = "conflict.resolve")]
    ConflictResolve {
        claim: String,
        field: String,
        keep: Keep,
    },
    #[serde(rename = "evidence.add")]
    EvidenceAdd {
        claim: String,
        #[serde(default)]
        article: Option<String>,
        #[serde(flatten)]
        at: At,
        #[serde(default)]
        url: Option<String>,
        #[serde(default)]
        title: Option<String>,
        stance: String,
        #[serde(default)]
        note: Option<String>,
    },
    #[serde(rename = "evidence.set")]
    EvidenceSet {
        evidence: String,
        #[serde(default)]
        stance: Option<String>,
        #[serde(default)]
        note: Option<String>,
    },
    #[serde(rename = "evidence.remove")]
    EvidenceRemove { evidence: String },
    /// Marks a passage as a mention of an entity (created when no entity has that name).
    #[serde(rename = "entity.add")]
    EntityAdd {
        article: String,
        #[serde(flatten)]
        at: At,
        kind: String,
        /// The entity's name when it differs from the text ("Sergey Lavrov" for "Lavrov").
        #[serde(default)]
        name: Option<String>,
    },
    /// Confirms a name: the entity with every whole-word mention in the article (or corpus).
    #[serde(rename = "entity.confirm")]
    EntityConfirm {
        article: String,
        name: String,
        kind: String,
        #[serde(default)]
        corpus: bool,
    },
    #[serde(rename = "entity.merge")]
    EntityMerge { keep: String, others: Vec<String> },
    #[serde(rename = "entity.split")]
    EntitySplit { entity: String, alias: String },
    #[serde(rename = "entity.rename")]
    EntityRename {
        entity: String,
        name: String,
        #[serde(default)]
        keep_old: bool,
    },
    #[serde(rename = "entity.retype")]
    EntityRetype { entity: String, kind: String },
    #[serde(rename = "entity.remove")]
    EntityRemove { entity: String },
    #[serde(rename = "mention.remove")]
    MentionRemove { mention: String },
    #[serde(rename = "suggestions.accept")]
    SuggestionsAccept {
        article: String,
        #[serde(flatten)]
        at: At,
        #[serde(default)]
        min_score: Option<f32>,
    },
    #[serde(rename = "suggestions.dismiss")]
    SuggestionsDismiss {
        article: String,
        #[serde(flatten)]
        at: At,
        #[serde(default)]
        min_score: Option<f32>,
    },
    #[serde(rename = "text.correct")]
    TextCorrect { article: String, text: String },
    #[serde(rename = "meta.set")]
    MetaSet {
        article: String,
        #[serde(flatten)]
        meta: ArticleMeta,
    },
    #[serde(rename = "orphan.reattach")]
    OrphanReattach {
        record: String,
        #[serde(flatten)]
        at: At,
    },
    #[serde(rename = "project.rename")]
    ProjectRename { name: String },
    /// Moves a claim along the status scale (`"status": "in review"`; `in-review` works too).
    #[serde(rename = "claim.status")]
    ClaimStatus { claim: String, status: String },
    /// Sets a claim's assignee and/or reviewer; `""` clears one.
    #[serde(rename = "claim.assign")]
    ClaimAssign {
        claim: String,
        #[serde(default)]
        assignee: Option<String>,
        #[serde(default)]
        reviewer: Option<String>,
    },
    /// The reviewer's sign-off (who and when are the workspace's analyst and now).
    #[serde(rename = "claim.sign-off")]
    ClaimSignOff { claim: String },
    /// Replaces the status scale; the last step publishes.
    #[serde(rename = "project.status-scale")]
    ProjectStatusScale { steps: Vec<String> },
}

/// Names given with `"as"` (and line numbers) for the records earlier operations created.
#[derive(Clone, Debug, Default)]
pub struct Refs {
    by_name: HashMap<String, Id>,
}

impl Refs {
    /// Remembers what operation number `n` (from 1) created, under its number and its name.
    pub fn record(&mut self, n: usize, name: Option<&str>, created: Option<&Id>) {
        if let Some(id) = created {
            self.by_name.insert(n.to_string(), id.clone());
            if let Some(name) = name {
                self.by_name.insert(name.to_string(), id.clone());
            }
        }
    }

    /// `$name` or `$3` → the id it stands for; anything else is an id as it is.
    pub fn resolve(&self, value: &str) -> Result<String> {
        match value.strip_prefix('$') {
            Some(name) => self.by_name.get(name).cloned().ok_or_else(|| {
                OpError::Invalid(format!(
                    "“{value}” names no record created by an earlier operation"
                ))
            }),
            None => Ok(value.to_string()),
        }
    }
}

/// A line of an operations file: the operation and the name (`"as"`) for what it creates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    #[serde(rename = "as", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub request: Request,
}

fn span_in(ws: &Workspace, article: &str, at: &At) -> Result<Span> {
    super::locate(super::loaded_article(ws, article)?, &at.place()?)
}

impl Request {
    /// The operation this request asks for, checked against the workspace.
    pub fn plan(&self, ws: &Workspace, refs: &Refs) -> Result<Op> {
        match self {
            Request::ClaimAdd {
                article,
                at,
                claimant,
                verdict,
                note,
            } => super::mark_claim(
                ws,
                article,
                span_in(ws, article, at)?,
                ClaimFields {
                    claimant: claimant.clone(),
                    verdict: verdict.clone(),
                    note: note.clone(),
                },
            ),
            Request::ClaimSet {
                claim,
                verdict,
                clear_verdict,
                claimant,
                note,
            } => {
                if *clear_verdict && verdict.is_some() {
                    return Err(OpError::Invalid(
                        "give a verdict or clear it, not both".into(),
                    ));
                }
                let change = ClaimChange {
                    claimant: claimant.clone().map(Some),
                    verdict: if *clear_verdict {
                        Some(None)
                    } else {
                        verdict.clone().map(Some)
                    },
                    note: note.clone(),
                };
                super::set_claim(ws, &refs.resolve(claim)?, change)
            }
            Request::ClaimRemove { claim } => super::remove_claim(ws, &refs.resolve(claim)?),
            Request::ConflictResolve { claim, field, keep }
                if claim == super::PROJECT_CONFLICTS =>
            {
                super::resolve_project_conflict(ws, field, *keep)
            }
            Request::ConflictResolve { claim, field, keep } => {
                super::resolve_conflict(ws, &refs.resolve(claim)?, field, *keep)
            }
            Request::EvidenceAdd {
                claim,
                article,
                at,
                url,
                title,
                stance,
                note,
            } => {
                let source = match (article, url) {
                    (Some(article), None) => EvidenceInput::Passage {
                        article: article.clone(),
                        span: span_in(ws, article, at)?,
                    },
                    (None, Some(url)) if !at.is_given() => EvidenceInput::Url {
                        url: url.clone(),
                        title: title.clone().unwrap_or_default(),
                    },
                    _ => {
                        return Err(OpError::Invalid(
                            "evidence is a passage (an article with a quote or start and end) or a url, not both".into(),
                        ));
                    }
                };
                super::add_evidence(
                    ws,
                    &refs.resolve(claim)?,
                    source,
                    super::stance(stance)?,
                    note.as_deref().unwrap_or_default(),
                )
            }
            Request::EvidenceSet {
                evidence,
                stance,
                note,
            } => super::set_evidence(
                ws,
                &refs.resolve(evidence)?,
                stance.as_deref().map(super::stance).transpose()?,
                note.clone(),
            ),
            Request::EvidenceRemove { evidence } => {
                super::remove_evidence(ws, &refs.resolve(evidence)?)
            }
            Request::EntityAdd {
                article,
                at,
                kind,
                name,
            } => super::mark_entity(
                ws,
                article,
                &[span_in(ws, article, at)?],
                super::entity_kind(kind)?,
                name.as_deref(),
            ),
            Request::EntityConfirm {
                article,
                name,
                kind,
                corpus,
            } => super::confirm_entity(
                ws,
                article,
                name,
                super::entity_kind(kind)?,
                if *corpus {
                    Scope::Corpus
                } else {
                    Scope::Article
                },
            ),
            Request::EntityMerge { keep, others } => {
                let others = others
                    .iter()
                    .map(|o| refs.resolve(o))
                    .collect::<Result<Vec<_>>>()?;
                super::merge_entities(ws, &refs.resolve(keep)?, &others)
            }
            Request::EntitySplit { entity, alias } => {
                super::split_alias(ws, &refs.resolve(entity)?, alias)
            }
            Request::EntityRename {
                entity,
                name,
                keep_old,
            } => super::rename_entity(ws, &refs.resolve(entity)?, name, *keep_old),
            Request::EntityRetype { entity, kind } => {
                super::retype_entity(ws, &refs.resolve(entity)?, super::entity_kind(kind)?)
            }
            Request::EntityRemove { entity } => super::remove_entity(ws, &refs.resolve(entity)?),
            Request::MentionRemove { mention } => {
                super::remove_mention(ws, &refs.resolve(mention)?)
            }
            Request::SuggestionsAccept {
                article,
                at,
                min_score,
            } => suggestions(ws, article, at, *min_score, true),
            Request::SuggestionsDismiss {
                article,
                at,
                min_score,
            } => suggestions(ws, article, at, *min_score, false),
            Request::TextCorrect { article, text } => {
                super::correct_text(ws, article, text).map(|(op, _)| op)
            }
            Request::MetaSet { article, meta } => super::correct_meta(ws, article, meta.clone()),
            Request::OrphanReattach { record, at } => {
                let id = refs.resolve(record)?;
                let project = ws.project();
                let article = project
                    .claims
                    .get(&id)
                    .map(|c| c.article.clone())
                    .or_else(|| project.mentions.get(&id).map(|m| m.article.clone()))
                    .or_else(|| {
                        project.evidence.get(&id).and_then(|e| match &e.source {
                            crate::project::EvidenceSource::Passage { article, .. } => {
                                Some(article.clone())
                            }
                            crate::project::EvidenceSource::Url { .. } => None,
                        })
                    })
                    .ok_or_else(|| OpError::NoRecord {
                        kind: "claim, mention or evidence passage",
                        id: id.clone(),
                    })?;
                super::reattach(ws, &id, span_in(ws, &article, at)?)
            }
            Request::ProjectRename { name } => super::rename_project(ws, name),
            Request::ClaimStatus { claim, status } => {
                super::set_status(ws, &refs.resolve(claim)?, status)
            }
            Request::ClaimAssign {
                claim,
                assignee,
                reviewer,
            } => super::assign(
                ws,
                &refs.resolve(claim)?,
                assignee.clone().map(Some),
                reviewer.clone().map(Some),
            ),
            Request::ClaimSignOff { claim } => super::sign_off(ws, &refs.resolve(claim)?),
            Request::ProjectStatusScale { steps } => super::set_status_scale(ws, steps.clone()),
        }
    }
}

/// One suggestion (at a place) or all of an article's open ones at or above a score.
fn suggestions(
    ws: &Workspace,
    article: &str,
    at: &At,
    min_score: Option<f32>,
    accept: bool,
) -> Result<Op> {
    if at.is_given() {
        if min_score.is_some() {
            return Err(OpError::Invalid(
                "give a passage or a minimum score, not both".into(),
            ));
        }
        let span = span_in(ws, article, at)?;
        // A passage given by quote names the suggestion whose sentence holds it.
        let open = super::open_suggestions(ws, article)?;
        let Some(found) = open
            .iter()
            .find(|s| s.start <= span.start && span.end <= s.end)
        else {
            return Err(OpError::Invalid(format!(
                "no open suggestion in {article} holds that passage; `claimdesk suggestions list` shows them"
            )));
        };
        let span = Span::new(found.start, found.end);
        return if accept {
            super::accept_suggestion(ws, article, span)
        } else {
            super::dismiss_suggestion(ws, article, span)
        };
    }
    super::all_suggestions(
        ws,
        article,
        min_score.unwrap_or(crate::analysis::claims::THRESHOLD),
        accept,
    )
}

/// Plans every line against the state the earlier ones left; all or nothing, one edit.
/// Returns the op and, per line, the id it created.
pub fn plan_all(ws: &Workspace, lines: &[Line], label: &str) -> Result<(Op, Vec<Option<Id>>)> {
    let mut sequence = Sequence::new(ws);
    let mut refs = Refs::default();
    let mut created = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        let op = line
            .request
            .plan(sequence.workspace(), &refs)
            .map_err(|e| OpError::Invalid(format!("operation {n}: {e}")))?;
        let id = sequence
            .push(op)
            .map_err(|e| OpError::Invalid(format!("operation {n}: {e}")))?;
        refs.record(n, line.name.as_deref(), id.as_ref());
        created.push(id);
    }
    Ok((sequence.finish(label), created))
}

/// Reads an operations file: one JSON object per line; blank lines and lines starting with
/// `#` or `//` are skipped. Errors name the line.
pub fn parse_lines(text: &str) -> Result<Vec<Line>> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        let line: Line = serde_json::from_str(trimmed)
            .map_err(|e| OpError::Invalid(format!("line {}: {e}", i + 1)))?;
        lines.push(line);
    }
    if lines.is_empty() {
        return Err(OpError::Nothing("the file holds no operation".into()));
    }
    Ok(lines)
}
