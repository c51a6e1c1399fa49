//! The editorial workflow: a claim's status (to check → in progress → in review → published,
//! the project's own scale), its assignee and reviewer, and the reviewer's sign-off. Who and
//! when are not set here but where every edit is applied ([`Workspace::apply`]); a sign-off
//! records the analyst of the workspace, who must have said who they are.

use super::{Op, OpError, Result, claim};
use crate::project::{Edit, Project, Signed, status_key};
use crate::workspace::Workspace;

/// What a claim lacks before it can be published ("a verdict", "evidence"); empty when nothing.
pub fn publish_blockers(project: &Project, claim_id: &str) -> Vec<&'static str> {
    let Some(claim) = project.claims.get(claim_id) else {
        return vec!["the claim itself"];
    };
    let mut missing = Vec::new();
    if claim.verdict.is_none() {
        missing.push("a verdict");
    }
    if project.evidence_for(claim_id).is_empty() {
        missing.push("at least one evidence item");
    }
    if !claim.conflicts.is_empty() {
        missing.push("its merge conflicts resolved");
    }
    missing
}

/// The project's step for `label` ("in-review" finds "in review"); the error lists the scale.
pub fn status_label(project: &Project, label: &str) -> Result<String> {
    project
        .status_step(label)
        .map(str::to_string)
        .ok_or_else(|| {
            OpError::Invalid(format!(
                "“{label}” is not a status of this project; use one of: {}",
                project.status_scale.join(", ")
            ))
        })
}

/// Moves a claim to a step of the status scale. Publishing (the last step) is refused, saying
/// what is missing, until the claim has a verdict, at least one evidence item and no merge
/// conflict left.
pub fn set_status(ws: &Workspace, id: &str, status: &str) -> Result<Op> {
    let project = ws.project();
    let mut updated = claim(project, id)?.clone();
    let label = status_label(project, status)?;
    if project.status_of(&updated) == label {
        return Err(OpError::Nothing(format!("the claim is already “{label}”")));
    }
    if project.published_status() == Some(label.as_str()) && project.status_scale.len() > 1 {
        let missing = publish_blockers(project, id);
        if !missing.is_empty() {
            return Err(OpError::Invalid(format!(
                "cannot publish claim {id}: it needs {} first",
                join_and(&missing)
            )));
        }
    }
    // The first step is the default; a claim at it stores nothing.
    updated.status = (project.status_scale.first() != Some(&label)).then(|| label.clone());
    Ok(Op::new(
        format!("mark claim “{label}”"),
        Edit::PutClaim {
            id: id.to_string(),
            claim: updated,
        },
    ))
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A name given for an assignee or reviewer: trimmed; empty clears.
fn person(name: Option<String>) -> Option<String> {
    name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty())
}

/// Sets who works on a claim and who reviews it; `None` leaves one as it is, `Some(None)` (or
/// an empty name) clears it. Changing the reviewer drops an earlier sign-off (it was theirs).
pub fn assign(
    ws: &Workspace,
    id: &str,
    assignee: Option<Option<String>>,
    reviewer: Option<Option<String>>,
) -> Result<Op> {
    let mut updated = claim(ws.project(), id)?.clone();
    let mut parts = Vec::new();
    if let Some(assignee) = assignee {
        updated.assignee = person(assignee);
        parts.push(match &updated.assignee {
            Some(name) => format!("assign to {name}"),
            None => "unassign".to_string(),
        });
    }
    if let Some(reviewer) = reviewer {
        let reviewer = person(reviewer);
        if reviewer != updated.reviewer {
            updated.signed_off = None;
        }
        updated.reviewer = reviewer;
        parts.push(match &updated.reviewer {
            Some(name) => format!("reviewer {name}"),
            None => "no reviewer".to_string(),
        });
    }
    if parts.is_empty() {
        return Err(OpError::Nothing(
            "give an assignee or a reviewer to set".into(),
        ));
    }
    Ok(Op::new(
        parts.join(", "),
        Edit::PutClaim {
            id: id.to_string(),
            claim: updated,
        },
    ))
}

/// The reviewer signs a claim off: records who and when. Refused when the analyst has not said
/// who they are, or is not the claim's reviewer (a claim without a reviewer gets the analyst as
/// its reviewer).
pub fn sign_off(ws: &Workspace, id: &str) -> Result<Op> {
    let mut updated = claim(ws.project(), id)?.clone();
    let Some(analyst) = ws.analyst() else {
        return Err(OpError::Invalid(
            "a sign-off records who gave it: say who you are first (`claimdesk config --name NAME --email ADDRESS`, or the first-run prompt)".into(),
        ));
    };
    match &updated.reviewer {
        Some(reviewer) if status_key(reviewer) != status_key(&analyst.name) => {
            return Err(OpError::Invalid(format!(
                "claim {id} is for {reviewer} to review; only they sign it off (or change its reviewer first)"
            )));
        }
        Some(_) => {}
        None => updated.reviewer = Some(analyst.name.clone()),
    }
    updated.signed_off = Some(Signed::now(Some(analyst)));
    Ok(Op::new(
        format!("sign off as {}", analyst.name),
        Edit::PutClaim {
            id: id.to_string(),
            claim: updated,
        },
    ))
}

/// Replaces the status scale (at least two steps; the last publishes); refused while a claim is
/// at a step the new scale lacks.
pub fn set_status_scale(ws: &Workspace, scale: Vec<String>) -> Result<Op> {
    let scale: Vec<String> = scale
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if scale.len() < 2 {
        return Err(OpError::Invalid(
            "a status scale needs at least two steps (the last one publishes)".into(),
        ));
    }
    let keys: std::collections::BTreeSet<String> = scale.iter().map(|s| status_key(s)).collect();
    if keys.len() != scale.len() {
        return Err(OpError::Invalid(
            "two steps of the scale have one name".into(),
        ));
    }
    let stranded: std::collections::BTreeSet<&str> = ws
        .project()
        .claims
        .values()
        .filter_map(|c| c.status.as_deref())
        .filter(|s| !scale.iter().any(|step| step == s))
        .collect();
    if !stranded.is_empty() {
        return Err(OpError::Invalid(format!(
            "claims are at {}, which the new scale lacks; move them first",
            stranded.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(Op::new(
        "change status scale",
        Edit::SetStatusScale { scale },
    ))
}
