//! The one way to change a project: an [`Edit`], which applied returns its inverse.
//!
//! Undo, redo, the crash journal, merges and tests all speak in edits. `apply` validates before
//! it mutates, so a rejected edit leaves the project untouched; a batch is all or nothing.

use serde::{Deserialize, Serialize};

use super::{ArticleEntry, Claim, Entity, Evidence, Id, Mention, Project, Rating};
use crate::corpus::ArticleId;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    /// Insert or replace a claim.
    PutClaim {
        id: Id,
        claim: Claim,
    },
    RemoveClaim {
        id: Id,
    },
    PutEntity {
        id: Id,
        entity: Entity,
    },
    RemoveEntity {
        id: Id,
    },
    PutMention {
        id: Id,
        mention: Mention,
    },
    RemoveMention {
        id: Id,
    },
    PutEvidence {
        id: Id,
        evidence: Evidence,
    },
    RemoveEvidence {
        id: Id,
    },
    PutArticle {
        id: ArticleId,
        entry: ArticleEntry,
    },
    RemoveArticle {
        id: ArticleId,
    },
    SetName {
        name: String,
    },
    SetRatingScale {
        scale: Vec<Rating>,
    },
    /// Replaces the editorial status scale (its last step publishes).
    SetStatusScale {
        scale: Vec<String>,
    },
    Dismiss {
        key: String,
    },
    Undismiss {
        key: String,
    },
    /// Replace the project's unresolved merge conflicts (resolving one removes it).
    SetConflicts {
        conflicts: Vec<super::FieldConflict>,
    },
    /// Several edits as one undo step (merges, bulk accept); applied all or nothing.
    Batch(Vec<Edit>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no {kind} with id {id}")]
    Missing { kind: &'static str, id: String },
    #[error("{kind} {id} refers to {target_kind} {target}, which is not in the project")]
    Dangling {
        kind: &'static str,
        id: String,
        target_kind: &'static str,
        target: String,
    },
    #[error("entity {id} still has {count} mention(s); remove or move them first")]
    EntityInUse { id: String, count: usize },
    #[error("claim {id} still has {count} evidence item(s); remove them first")]
    ClaimInUse { id: String, count: usize },
    #[error("article {id} still has annotations; remove them first")]
    ArticleInUse { id: String },
    #[error("verdict “{0}” is not on the project's rating scale")]
    UnknownVerdict(String),
    #[error("status “{0}” is not on the project's status scale")]
    UnknownStatus(String),
    #[error("the span is empty")]
    EmptySpan,
}

fn missing(kind: &'static str, id: &str) -> EditError {
    EditError::Missing {
        kind,
        id: id.to_string(),
    }
}

impl Project {
    /// Applies `edit` and returns the edit that undoes it.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        if let Edit::Batch(edits) = edit {
            // Later edits of a batch may depend on earlier ones; on failure, roll back.
            let mut inverses = Vec::with_capacity(edits.len());
            for edit in edits {
                match self.apply(edit) {
                    Ok(inverse) => inverses.push(inverse),
                    Err(err) => {
                        for inverse in inverses.into_iter().rev() {
                            self.apply(inverse).ok();
                        }
                        return Err(err);
                    }
                }
            }
            inverses.reverse();
            return Ok(Edit::Batch(inverses));
        }
        self.validate(&edit)?;
        Ok(self.apply_validated(edit))
    }

    fn validate(&self, edit: &Edit) -> Result<(), EditError> {
        match edit {
            Edit::PutClaim { id, claim } => {
                if !self.articles.contains_key(&claim.article) {
                    return Err(EditError::Dangling {
                        kind: "claim",
                        id: id.clone(),
                        target_kind: "article",
                        target: claim.article.clone(),
                    });
                }
                if claim.anchor.start >= claim.anchor.end {
                    return Err(EditError::EmptySpan);
                }
                if let Some(verdict) = &claim.verdict
                    && self.rating(verdict).is_none()
                {
                    return Err(EditError::UnknownVerdict(verdict.clone()));
                }
                if let Some(status) = &claim.status
                    && !self.status_scale.contains(status)
                {
                    return Err(EditError::UnknownStatus(status.clone()));
                }
            }
            Edit::RemoveClaim { id } => {
                if !self.claims.contains_key(id) {
                    return Err(missing("claim", id));
                }
                let count = self.evidence.values().filter(|e| &e.claim == id).count();
                if count > 0 {
                    return Err(EditError::ClaimInUse {
                        id: id.clone(),
                        count,
                    });
                }
            }
            Edit::PutEntity { .. } => {}
            Edit::RemoveEntity { id } => {
                if !self.entities.contains_key(id) {
                    return Err(missing("entity", id));
                }
                let count = self.mentions.values().filter(|m| &m.entity == id).count();
                if count > 0 {
                    return Err(EditError::EntityInUse {
                        id: id.clone(),
                        count,
                    });
                }
            }
            Edit::PutMention { id, mention } => {
                if !self.entities.contains_key(&mention.entity) {
                    return Err(EditError::Dangling {
                        kind: "mention",
                        id: id.clone(),
                        target_kind: "entity",
                        target: mention.entity.clone(),
                    });
                }
                if !self.articles.contains_key(&mention.article) {
                    return Err(EditError::Dangling {
                        kind: "mention",
                        id: id.clone(),
                        target_kind: "article",
                        target: mention.article.clone(),
                    });
                }
                if mention.anchor.start >= mention.anchor.end {
                    return Err(EditError::EmptySpan);
                }
            }
            Edit::RemoveMention { id } => {
                if !self.mentions.contains_key(id) {
                    return Err(missing("mention", id));
                }
            }
            Edit::PutEvidence { id, evidence } => {
                if !self.claims.contains_key(&evidence.claim) {
                    return Err(EditError::Dangling {
                        kind: "evidence",
                        id: id.clone(),
                        target_kind: "claim",
                        target: evidence.claim.clone(),
                    });
                }
                if let super::EvidenceSource::Passage { article, anchor } = &evidence.source {
                    if !self.articles.contains_key(article) {
                        return Err(EditError::Dangling {
                            kind: "evidence",
                            id: id.clone(),
                            target_kind: "article",
                            target: article.clone(),
                        });
                    }
                    if anchor.start >= anchor.end {
                        return Err(EditError::EmptySpan);
                    }
                }
            }
            Edit::RemoveEvidence { id } => {
                if !self.evidence.contains_key(id) {
                    return Err(missing("evidence", id));
                }
            }
            Edit::PutArticle { .. } => {}
            Edit::RemoveArticle { id } => {
                if !self.articles.contains_key(id) {
                    return Err(missing("article", id));
                }
                let in_use = self.claims.values().any(|c| &c.article == id)
                    || self.mentions.values().any(|m| &m.article == id)
                    || self.evidence.values().any(|e| {
                        matches!(&e.source, super::EvidenceSource::Passage { article, .. } if article == id)
                    });
                if in_use {
                    return Err(EditError::ArticleInUse { id: id.clone() });
                }
            }
            Edit::SetName { .. }
            | Edit::SetRatingScale { .. }
            | Edit::SetStatusScale { .. }
            | Edit::SetConflicts { .. } => {}
            Edit::Dismiss { .. } | Edit::Undismiss { .. } => {}
            // Batches are validated edit by edit in `apply`.
            Edit::Batch(_) => {}
        }
        Ok(())
    }

    fn apply_validated(&mut self, edit: Edit) -> Edit {
        match edit {
            Edit::PutClaim { id, claim } => match self.claims.insert(id.clone(), claim) {
                Some(old) => Edit::PutClaim { id, claim: old },
                None => Edit::RemoveClaim { id },
            },
            Edit::RemoveClaim { id } => match self.claims.remove(&id) {
                Some(claim) => Edit::PutClaim { id, claim },
                None => Edit::Batch(Vec::new()),
            },
            Edit::PutEntity { id, entity } => match self.entities.insert(id.clone(), entity) {
                Some(old) => Edit::PutEntity { id, entity: old },
                None => Edit::RemoveEntity { id },
            },
            Edit::RemoveEntity { id } => match self.entities.remove(&id) {
                Some(entity) => Edit::PutEntity { id, entity },
                None => Edit::Batch(Vec::new()),
            },
            Edit::PutMention { id, mention } => match self.mentions.insert(id.clone(), mention) {
                Some(old) => Edit::PutMention { id, mention: old },
                None => Edit::RemoveMention { id },
            },
            Edit::RemoveMention { id } => match self.mentions.remove(&id) {
                Some(mention) => Edit::PutMention { id, mention },
                None => Edit::Batch(Vec::new()),
            },
            Edit::PutEvidence { id, evidence } => {
                match self.evidence.insert(id.clone(), evidence) {
                    Some(old) => Edit::PutEvidence { id, evidence: old },
                    None => Edit::RemoveEvidence { id },
                }
            }
            Edit::RemoveEvidence { id } => match self.evidence.remove(&id) {
                Some(evidence) => Edit::PutEvidence { id, evidence },
                None => Edit::Batch(Vec::new()),
            },
            Edit::PutArticle { id, entry } => match self.articles.insert(id.clone(), entry) {
                Some(old) => Edit::PutArticle { id, entry: old },
                None => Edit::RemoveArticle { id },
            },
            Edit::RemoveArticle { id } => match self.articles.remove(&id) {
                Some(entry) => Edit::PutArticle { id, entry },
                None => Edit::Batch(Vec::new()),
            },
            Edit::SetName { name } => Edit::SetName {
                name: std::mem::replace(&mut self.name, name),
            },
            Edit::SetRatingScale { scale } => Edit::SetRatingScale {
                scale: std::mem::replace(&mut self.rating_scale, scale),
            },
            Edit::SetConflicts { conflicts } => Edit::SetConflicts {
                conflicts: std::mem::replace(&mut self.conflicts, conflicts),
            },
            Edit::SetStatusScale { scale } => Edit::SetStatusScale {
                scale: std::mem::replace(&mut self.status_scale, scale),
            },
            Edit::Dismiss { key } => {
                if self.dismissed.insert(key.clone()) {
                    Edit::Undismiss { key }
                } else {
                    Edit::Batch(Vec::new())
                }
            }
            Edit::Undismiss { key } => {
                if self.dismissed.remove(&key) {
                    Edit::Dismiss { key }
                } else {
                    Edit::Batch(Vec::new())
                }
            }
            Edit::Batch(edits) => {
                let mut inverses: Vec<Edit> =
                    edits.into_iter().map(|e| self.apply_validated(e)).collect();
                inverses.reverse();
                Edit::Batch(inverses)
            }
        }
    }
}

impl Edit {
    /// Whether this edit changes nothing (an empty batch).
    pub fn is_noop(&self) -> bool {
        matches!(self, Edit::Batch(edits) if edits.iter().all(Edit::is_noop))
    }

    /// A short description for the undo menu and the status bar.
    pub fn describe(&self) -> String {
        match self {
            Edit::PutClaim { .. } => "change claim".into(),
            Edit::RemoveClaim { .. } => "remove claim".into(),
            Edit::PutEntity { .. } => "change entity".into(),
            Edit::RemoveEntity { .. } => "remove entity".into(),
            Edit::PutMention { .. } => "change mention".into(),
            Edit::RemoveMention { .. } => "remove mention".into(),
            Edit::PutEvidence { .. } => "change evidence".into(),
            Edit::RemoveEvidence { .. } => "remove evidence".into(),
            Edit::PutArticle { .. } => "change article".into(),
            Edit::RemoveArticle { .. } => "remove article".into(),
            Edit::SetName { .. } => "rename project".into(),
            Edit::SetRatingScale { .. } => "change rating scale".into(),
            Edit::SetConflicts { .. } => "resolve merge conflict".into(),
            Edit::SetStatusScale { .. } => "change status scale".into(),
            Edit::Dismiss { .. } => "dismiss suggestion".into(),
            Edit::Undismiss { .. } => "restore suggestion".into(),
            Edit::Batch(edits) => format!("{} changes", edits.len()),
        }
    }
}
