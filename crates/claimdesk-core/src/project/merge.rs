//! Three-way merge of project files, usable as a git merge driver.
//!
//! Records are matched by id. A record changed on one side only takes that change; a claim
//! changed on both sides merges field by field, and a field both sides changed differently keeps
//! our value and records theirs in `Claim::conflicts` for the analyst to resolve. Nothing is
//! dropped: a record deleted on one side but edited on the other is kept.
//!
//! The project's own fields are merged the same way: a name or a rating scale both sides changed
//! keeps ours and records theirs in `Project::conflicts`. So does what only the merge can see: a
//! claim whose verdict the merged scale lacks, and an article one side removed while the other
//! side's claims, mentions or evidence still use it (it is kept).

use std::collections::{BTreeMap, BTreeSet};

use super::{Claim, EvidenceSource, FieldConflict, Project, Rating};

/// What a merge produced.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Fields or records both sides changed differently ("claim 01h…: verdict").
    pub conflicts: Vec<String>,
}

impl MergeSummary {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Merges `ours` and `theirs`, both descended from `base`.
pub fn merge(base: &Project, ours: &Project, theirs: &Project) -> (Project, MergeSummary) {
    let mut summary = MergeSummary::default();
    let mut out = ours.clone();

    let mut project_conflicts = ours.conflicts.clone();
    for conflict in &theirs.conflicts {
        if !project_conflicts.contains(conflict) {
            project_conflicts.push(conflict.clone());
        }
    }
    out.name = pick(
        "name",
        &base.name,
        &ours.name,
        &theirs.name,
        |name| name.clone(),
        &mut project_conflicts,
        &mut summary,
    );
    out.rating_scale = pick(
        "rating scale",
        &base.rating_scale,
        &ours.rating_scale,
        &theirs.rating_scale,
        |scale| scale_text(scale),
        &mut project_conflicts,
        &mut summary,
    );
    out.status_scale = pick(
        "status scale",
        &base.status_scale,
        &ours.status_scale,
        &theirs.status_scale,
        |scale| ron::to_string(scale).unwrap_or_default(),
        &mut project_conflicts,
        &mut summary,
    );
    out.articles = merge_map(
        &base.articles,
        &ours.articles,
        &theirs.articles,
        "article",
        &mut summary,
        |_, o, _| o.clone(),
    );
    out.entities = merge_map(
        &base.entities,
        &ours.entities,
        &theirs.entities,
        "entity",
        &mut summary,
        |b, o, t| {
            // Keep our name; theirs becomes an alias, so both spellings still find mentions.
            let mut merged = o.clone();
            for alias in t.surface_forms() {
                if !merged.surface_forms().any(|f| f == alias) {
                    merged.aliases.push(alias.to_string());
                }
            }
            if o.note != t.note && b.is_some_and(|b| b.note == o.note) {
                merged.note = t.note.clone();
            }
            merged
        },
    );
    out.mentions = merge_map(
        &base.mentions,
        &ours.mentions,
        &theirs.mentions,
        "mention",
        &mut summary,
        |_, o, _| o.clone(),
    );
    out.evidence = merge_map(
        &base.evidence,
        &ours.evidence,
        &theirs.evidence,
        "evidence",
        &mut summary,
        |_, o, t| {
            let mut merged = o.clone();
            if o.note != t.note {
                merged.note = format!("{}\n[their note] {}", o.note, t.note);
            }
            merged
        },
    );
    // Claims merge field by field.
    let mut claims = BTreeMap::new();
    let ids: BTreeSet<&String> = base
        .claims
        .keys()
        .chain(ours.claims.keys())
        .chain(theirs.claims.keys())
        .collect();
    for id in ids {
        let (b, o, t) = (
            base.claims.get(id),
            ours.claims.get(id),
            theirs.claims.get(id),
        );
        let merged = match (b, o, t) {
            (_, Some(o), Some(t)) if o == t => Some(o.clone()),
            (Some(b), Some(o), Some(t)) => Some(merge_claim(id, b, o, t, &mut summary)),
            (None, Some(o), Some(t)) => Some(merge_claim(id, o, o, t, &mut summary)),
            // Deleted on one side: honour it only if the other side did not change the claim.
            (Some(b), Some(o), None) => (o != b).then(|| o.clone()),
            (Some(b), None, Some(t)) => (t != b).then(|| t.clone()),
            (None, Some(o), None) => Some(o.clone()),
            (None, None, Some(t)) => Some(t.clone()),
            (_, None, None) => None,
        };
        if let Some(claim) = merged {
            claims.insert(id.clone(), claim);
        }
    }
    out.claims = claims;
    // Three-way set merge of dismissed suggestions.
    out.dismissed = ours
        .dismissed
        .union(&theirs.dismissed)
        .filter(|k| {
            let removed_by_one = base.dismissed.contains(*k)
                && (!ours.dismissed.contains(*k) || !theirs.dismissed.contains(*k));
            !removed_by_one
        })
        .cloned()
        .collect();
    for article in restore_references(&mut out, ours, theirs) {
        let (side, users) = article;
        let conflict = FieldConflict {
            field: format!("article {}", side.id),
            ours: if side.removed_by_ours {
                "(removed)".into()
            } else {
                format!("kept: {users}")
            },
            theirs: if side.removed_by_ours {
                format!("kept: {users}")
            } else {
                "(removed)".into()
            },
        };
        summary.conflicts.push(format!(
            "article {}: removed on one side but {users} on the other (kept)",
            side.id
        ));
        if !project_conflicts.contains(&conflict) {
            project_conflicts.push(conflict);
        }
    }
    flag_verdicts_off_the_scale(&mut out, &mut summary);
    out.conflicts = project_conflicts;
    (out, summary)
}

/// A rating scale as a conflict shows it, and as "use theirs" reads it back: RON.
pub fn scale_text(scale: &[Rating]) -> String {
    ron::to_string(scale).unwrap_or_default()
}

/// Reads a rating scale shown by [`scale_text`].
pub fn parse_scale(text: &str) -> Option<Vec<Rating>> {
    ron::from_str(text).ok()
}

/// A project field both sides changed differently keeps ours and records both.
fn pick<T: Clone + PartialEq>(
    what: &str,
    base: &T,
    ours: &T,
    theirs: &T,
    show: impl Fn(&T) -> String,
    conflicts: &mut Vec<FieldConflict>,
    summary: &mut MergeSummary,
) -> T {
    if ours == theirs || theirs == base {
        ours.clone()
    } else if ours == base {
        theirs.clone()
    } else {
        let conflict = FieldConflict {
            field: what.to_string(),
            ours: show(ours),
            theirs: show(theirs),
        };
        summary.conflicts.push(format!(
            "project {what}: ours {}, theirs {} (both kept; ours is used until resolved)",
            conflict.ours, conflict.theirs
        ));
        conflicts.retain(|c| c.field != what);
        conflicts.push(conflict);
        ours.clone()
    }
}

/// A claim rated with a label the merged scale lacks (one side renamed or removed it, the
/// other used it) keeps the label and gets a conflict on "verdict label".
fn flag_verdicts_off_the_scale(out: &mut Project, summary: &mut MergeSummary) {
    let labels: Vec<String> = out.rating_scale.iter().map(|r| r.label.clone()).collect();
    for (id, claim) in &mut out.claims {
        let Some(verdict) = &claim.verdict else {
            continue;
        };
        if labels.contains(verdict) || claim.conflicts.iter().any(|c| c.field == "verdict label") {
            continue;
        }
        claim.conflicts.push(FieldConflict {
            field: "verdict label".into(),
            ours: verdict.clone(),
            theirs: format!("(not in the merged rating scale: {})", labels.join(", ")),
        });
        summary.conflicts.push(format!(
            "claim {id}: verdict “{verdict}” is not in the merged rating scale"
        ));
    }
}

fn merge_map<V: Clone + PartialEq>(
    base: &BTreeMap<String, V>,
    ours: &BTreeMap<String, V>,
    theirs: &BTreeMap<String, V>,
    kind: &str,
    summary: &mut MergeSummary,
    both_changed: impl Fn(Option<&V>, &V, &V) -> V,
) -> BTreeMap<String, V> {
    let ids: BTreeSet<&String> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    let mut out = BTreeMap::new();
    for id in ids {
        let (b, o, t) = (base.get(id), ours.get(id), theirs.get(id));
        let merged = match (b, o, t) {
            (_, Some(o), Some(t)) if o == t => Some(o.clone()),
            (Some(b), Some(o), Some(t)) if o == b => Some(t.clone()),
            (Some(b), Some(o), Some(t)) if t == b => Some(o.clone()),
            (b, Some(o), Some(t)) => {
                let merged = both_changed(b, o, t);
                if merged != *o && merged != *t {
                    // Combined automatically (aliases, notes); not a conflict the user must fix.
                } else if merged == *o {
                    summary
                        .conflicts
                        .push(format!("{kind} {id} (both changed; kept ours)"));
                }
                Some(merged)
            }
            (Some(b), Some(o), None) => (o != b).then(|| o.clone()),
            (Some(b), None, Some(t)) => (t != b).then(|| t.clone()),
            (None, Some(o), None) => Some(o.clone()),
            (None, None, Some(t)) => Some(t.clone()),
            (_, None, None) => None,
        };
        if let Some(v) = merged {
            out.insert(id.clone(), v);
        }
    }
    out
}

fn merge_claim(
    id: &str,
    base: &Claim,
    ours: &Claim,
    theirs: &Claim,
    summary: &mut MergeSummary,
) -> Claim {
    let mut merged = ours.clone();
    let mut conflicts = ours.conflicts.clone();
    macro_rules! field {
        ($name:ident, $label:expr, $show:expr) => {
            if ours.$name != theirs.$name {
                if ours.$name == base.$name {
                    merged.$name = theirs.$name.clone();
                } else if theirs.$name != base.$name {
                    conflicts.push(FieldConflict {
                        field: $label.to_string(),
                        ours: $show(&ours.$name),
                        theirs: $show(&theirs.$name),
                    });
                    summary.conflicts.push(format!("claim {id}: {}", $label));
                }
            }
        };
    }
    let optional = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    field!(verdict, "verdict", optional);
    field!(claimant, "claimant", optional);
    field!(note, "note", |v: &String| v.clone());
    field!(anchor, "span", |a: &super::Anchor| format!(
        "{}–{} “{}”",
        a.start, a.end, a.quote
    ));
    field!(status, "status", optional);
    field!(assignee, "assignee", optional);
    field!(reviewer, "reviewer", optional);
    // A sign-off and who changed the claim last record events, not opinions: the later wins.
    merged.signed_off = later(
        base.signed_off.as_ref(),
        ours.signed_off.as_ref(),
        theirs.signed_off.as_ref(),
    );
    merged.provenance = super::Provenance {
        created: ours
            .provenance
            .created
            .clone()
            .or_else(|| theirs.provenance.created.clone()),
        changed: later(
            base.provenance.changed.as_ref(),
            ours.provenance.changed.as_ref(),
            theirs.provenance.changed.as_ref(),
        ),
    };
    conflicts.dedup();
    merged.conflicts = conflicts;
    merged
}

/// An article one side removed and the merge brought back.
struct Restored {
    id: String,
    removed_by_ours: bool,
}

/// Three-way choice of an event record: the side that changed it, or the later of the two
/// when both did (`at` is RFC 3339 UTC, so later sorts later).
fn later(
    base: Option<&super::Signed>,
    ours: Option<&super::Signed>,
    theirs: Option<&super::Signed>,
) -> Option<super::Signed> {
    if ours == base {
        return theirs.cloned();
    }
    if theirs == base {
        return ours.cloned();
    }
    match (ours, theirs) {
        (Some(o), Some(t)) => Some(if t.at > o.at { t.clone() } else { o.clone() }),
        (o, t) => o.or(t).cloned(),
    }
}

/// Evidence and mentions must point at records that exist; bring back any a side deleted.
/// Returns the articles brought back, with what uses them.
fn restore_references(
    out: &mut Project,
    ours: &Project,
    theirs: &Project,
) -> Vec<(Restored, String)> {
    let missing_claims: Vec<String> = out
        .evidence
        .values()
        .map(|e| e.claim.clone())
        .filter(|c| !out.claims.contains_key(c))
        .collect();
    for id in missing_claims {
        if let Some(claim) = ours.claims.get(&id).or_else(|| theirs.claims.get(&id)) {
            out.claims.insert(id, claim.clone());
        }
    }
    let missing_entities: Vec<String> = out
        .mentions
        .values()
        .map(|m| m.entity.clone())
        .filter(|e| !out.entities.contains_key(e))
        .collect();
    for id in missing_entities {
        if let Some(entity) = ours.entities.get(&id).or_else(|| theirs.entities.get(&id)) {
            out.entities.insert(id, entity.clone());
        }
    }
    // Each article in use, with what uses it ("claim 01a, evidence 01e").
    let mut users: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, claim) in &out.claims {
        users
            .entry(claim.article.clone())
            .or_default()
            .push(format!("claim {id}"));
    }
    for (id, mention) in &out.mentions {
        users
            .entry(mention.article.clone())
            .or_default()
            .push(format!("mention {id}"));
    }
    for (id, evidence) in &out.evidence {
        if let EvidenceSource::Passage { article, .. } = &evidence.source {
            users
                .entry(article.clone())
                .or_default()
                .push(format!("evidence {id}"));
        }
    }
    let mut restored = Vec::new();
    for (id, used_by) in users {
        if out.articles.contains_key(&id) {
            continue;
        }
        let (entry, removed_by_ours) = match (ours.articles.get(&id), theirs.articles.get(&id)) {
            (Some(entry), _) => (entry, false),
            (None, Some(entry)) => (entry, true),
            (None, None) => continue,
        };
        out.articles.insert(id.clone(), entry.clone());
        let shown: Vec<&str> = used_by.iter().take(3).map(String::as_str).collect();
        let more = used_by.len().saturating_sub(shown.len());
        let mut text = format!("used by {}", shown.join(", "));
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        restored.push((
            Restored {
                id,
                removed_by_ours,
            },
            text,
        ));
    }
    restored
}
