//! Three-way merge of project files, usable as a git merge driver.
//!
//! Records are matched by id. A record changed on one side only takes that change; a claim
//! changed on both sides merges field by field, and a field both sides changed differently keeps
//! our value and records theirs in `Claim::conflicts` for the analyst to resolve. Nothing is
//! dropped: a record deleted on one side but edited on the other is kept.

use std::collections::{BTreeMap, BTreeSet};

use super::{Claim, FieldConflict, Project};

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

    out.name = pick("name", &base.name, &ours.name, &theirs.name, &mut summary);
    out.rating_scale = pick(
        "rating scale",
        &base.rating_scale,
        &ours.rating_scale,
        &theirs.rating_scale,
        &mut summary,
    );
    out.status_scale = pick(
        "status scale",
        &base.status_scale,
        &ours.status_scale,
        &theirs.status_scale,
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
    restore_references(&mut out, ours, theirs);
    (out, summary)
}

fn pick<T: Clone + PartialEq>(
    what: &str,
    base: &T,
    ours: &T,
    theirs: &T,
    summary: &mut MergeSummary,
) -> T {
    if ours == theirs || theirs == base {
        ours.clone()
    } else if ours == base {
        theirs.clone()
    } else {
        summary
            .conflicts
            .push(format!("project {what} (kept ours)"));
        ours.clone()
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
fn restore_references(out: &mut Project, ours: &Project, theirs: &Project) {
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
    let referenced_articles: BTreeSet<String> = out
        .claims
        .values()
        .map(|c| c.article.clone())
        .chain(out.mentions.values().map(|m| m.article.clone()))
        .collect();
    for id in referenced_articles {
        if !out.articles.contains_key(&id)
            && let Some(entry) = ours.articles.get(&id).or_else(|| theirs.articles.get(&id))
        {
            out.articles.insert(id, entry.clone());
        }
    }
}
