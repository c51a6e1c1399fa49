//! Who and when on every record, the editorial workflow (status, assignee, reviewer, sign-off,
//! publishing), its filters, its merge rules, the format 1 migration and the activity data.

use crate::support;

use std::path::Path;
use std::process::Command;

use claimdesk_core::ops::{self, ClaimChange, ClaimFields, EvidenceInput, Keep};
use claimdesk_core::project::{Signed, Stance, file, merge::merge};
use claimdesk_core::search::{self, Plan};
use claimdesk_core::settings::Analyst;
use claimdesk_core::text::Span;
use claimdesk_core::workspace::Workspace;
use support::SampleCopy;

const LAVROV: &str = "000_164a3089b8e03eed.txt";
const IRAN: &str = "002_422bb6ef6b69d9a6.txt";

fn analyst(name: &str) -> Option<Analyst> {
    Some(Analyst::new(name, &format!("{}@example.org", name.to_lowercase())).unwrap())
}

/// A new claim on the first 40 characters of the Lavrov article.
fn new_claim(ws: &mut Workspace) -> String {
    let op = ops::mark_claim(ws, LAVROV, Span::new(0, 40), ClaimFields::default()).unwrap();
    ws.run(op).unwrap().unwrap()
}

#[test]
fn every_record_says_who_made_and_last_changed_it_and_undo_restores_that() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    ws.set_analyst(analyst("Dana"));
    let id = new_claim(&mut ws);
    let made = ws.project().claims[&id].provenance.clone();
    let created = made.created.clone().expect("created is recorded");
    assert_eq!(created.by, "Dana <dana@example.org>");
    assert_eq!(made.changed.as_ref(), Some(&created));
    assert!(
        created.at.ends_with('Z') && created.at.len() == 20,
        "{}",
        created.at
    );

    ws.set_analyst(analyst("Lee"));
    let op = ops::set_claim(
        &ws,
        &id,
        ClaimChange {
            verdict: Some(Some("False".into())),
            ..ClaimChange::default()
        },
    )
    .unwrap();
    ws.run(op).unwrap();
    let changed = ws.project().claims[&id].provenance.clone();
    assert_eq!(changed.created.as_ref(), Some(&created), "creation is kept");
    assert_eq!(changed.changed.as_ref().unwrap().name(), "Lee");
    // Evidence, entities and mentions are signed the same way.
    let op = ops::add_evidence(
        &ws,
        &id,
        EvidenceInput::Url {
            url: "https://example.org/transcript".into(),
            title: String::new(),
        },
        Stance::Refutes,
        "",
    )
    .unwrap();
    let evidence = ws.run(op).unwrap().unwrap();
    assert_eq!(
        ws.project().evidence[&evidence]
            .provenance
            .created
            .as_ref()
            .unwrap()
            .name(),
        "Lee"
    );
    ws.undo().unwrap();
    ws.undo().unwrap();
    assert_eq!(
        ws.project().claims[&id].provenance,
        made,
        "undo restores the signature"
    );
    ws.redo().unwrap();
    assert_eq!(ws.project().claims[&id].provenance, changed);

    // Saved and read back; and a crash before the next save replays the same signatures.
    ws.save().unwrap();
    let op = ops::set_claim(
        &ws,
        &id,
        ClaimChange {
            note: Some("Checked.".into()),
            ..ClaimChange::default()
        },
    )
    .unwrap();
    ws.run(op).unwrap();
    let before_crash = ws.project().claims[&id].clone();
    drop(ws);
    let reopened = sample.open();
    assert_eq!(reopened.project().claims[&id], before_crash);
    let unsaved = claimdesk_core::activity::activity(&reopened);
    assert!(
        unsaved
            .iter()
            .any(|e| e.id == id && e.unsaved && e.who.as_deref() == Some("Lee <lee@example.org>")),
        "{unsaved:#?}"
    );
}

#[test]
fn publishing_needs_a_verdict_and_evidence_and_says_what_is_missing() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let id = new_claim(&mut ws);
    assert_eq!(
        ws.project().status_of(&ws.project().claims[&id]),
        "to check"
    );
    let refused = ops::set_status(&ws, &id, "published")
        .unwrap_err()
        .to_string();
    assert!(refused.contains("a verdict"), "{refused}");
    assert!(refused.contains("at least one evidence item"), "{refused}");
    assert!(
        ops::set_status(&ws, &id, "reviewed")
            .unwrap_err()
            .to_string()
            .contains("in review")
    );
    let op = ops::set_status(&ws, &id, "in-review").unwrap();
    ws.run(op).unwrap();
    assert_eq!(
        ws.project().claims[&id].status.as_deref(),
        Some("in review")
    );
    let op = ops::set_claim(
        &ws,
        &id,
        ClaimChange {
            verdict: Some(Some("Misleading".into())),
            ..ClaimChange::default()
        },
    )
    .unwrap();
    ws.run(op).unwrap();
    let refused = ops::set_status(&ws, &id, "Published")
        .unwrap_err()
        .to_string();
    assert!(
        !refused.contains("verdict") && refused.contains("evidence"),
        "{refused}"
    );
    let op = ops::add_evidence(
        &ws,
        &id,
        EvidenceInput::Passage {
            article: IRAN.into(),
            span: Span::new(0, 30),
        },
        Stance::Context,
        "",
    )
    .unwrap();
    ws.run(op).unwrap();
    let op = ops::set_status(&ws, &id, "published").unwrap();
    ws.run(op).unwrap();
    assert!(ws.project().is_published(&ws.project().claims[&id]));
    // The scale is the project's: renaming a step in use is refused until claims move.
    let err = ops::set_status_scale(&ws, vec!["draft".into(), "live".into()]).unwrap_err();
    assert!(err.to_string().contains("published"), "{err}");
    let op = ops::set_status_scale(
        &ws,
        vec!["draft".into(), "checked".into(), "published".into()],
    )
    .unwrap();
    ws.run(op).unwrap();
    assert_eq!(ws.project().published_status(), Some("published"));
}

#[test]
fn a_sign_off_records_the_reviewer_and_when() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    ws.set_analyst(None);
    let id = new_claim(&mut ws);
    let refused = ops::sign_off(&ws, &id).unwrap_err().to_string();
    assert!(refused.contains("claimdesk config --name"), "{refused}");
    let op = ops::assign(
        &ws,
        &id,
        Some(Some("Dana".into())),
        Some(Some("Lee".into())),
    )
    .unwrap();
    ws.run(op).unwrap();
    ws.set_analyst(analyst("Dana"));
    let refused = ops::sign_off(&ws, &id).unwrap_err().to_string();
    assert!(refused.contains("for Lee to review"), "{refused}");
    ws.set_analyst(analyst("lee"));
    let op = ops::sign_off(&ws, &id).unwrap();
    ws.run(op).unwrap();
    let claim = &ws.project().claims[&id];
    let signed = claim.signed_off.as_ref().unwrap();
    assert_eq!(signed.name(), "lee");
    assert_eq!(claim.assignee.as_deref(), Some("Dana"));
    // A new reviewer drops the old sign-off.
    let op = ops::assign(&ws, &id, None, Some(Some("Ana".into()))).unwrap();
    ws.run(op).unwrap();
    assert!(ws.project().claims[&id].signed_off.is_none());
}

#[test]
fn search_finds_claims_by_status_assignee_and_reviewer() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let first = new_claim(&mut ws);
    let op = ops::mark_claim(&ws, IRAN, Span::new(0, 30), ClaimFields::default()).unwrap();
    let second = ws.run(op).unwrap().unwrap();
    let op = ops::set_status(&ws, &first, "in review").unwrap();
    ws.run(op).unwrap();
    let op = ops::assign(&ws, &second, Some(Some("Dana Reyes".into())), None).unwrap();
    ws.run(op).unwrap();
    let articles: Vec<_> = ws.loaded_articles().cloned().collect();
    let found = |query: &str| -> Vec<String> {
        match search::plan(ws.project(), &articles, query, false) {
            Plan::Found(result) => result.hits.into_iter().map(|h| h.article).collect(),
            Plan::Scan { .. } => panic!("{query} should be answered from the project"),
        }
    };
    assert_eq!(found("status:in-review"), [LAVROV]);
    assert_eq!(found("Status: In Review"), [LAVROV]);
    assert_eq!(found("assignee:dana"), [IRAN]);
    assert!(found("reviewer:dana").is_empty());
    let unassigned = found("assignee:none");
    assert!(unassigned.contains(&LAVROV.to_string()) && !unassigned.contains(&IRAN.to_string()));
    let to_check = found("status:to-check");
    assert!(to_check.contains(&IRAN.to_string()) && !to_check.contains(&LAVROV.to_string()));
}

#[test]
fn format_1_files_load_with_the_default_workflow_and_are_saved_as_format_2() {
    let path = support::repo().join("tests/fixtures/projects/v1_sample.ron");
    let old = support::read(&path);
    assert!(old.contains("format_version: 1,"));
    let project = file::load(&path).unwrap();
    assert_eq!(
        project.status_scale,
        claimdesk_core::project::default_status_scale()
    );
    for claim in project.claims.values() {
        assert!(claim.status.is_none() && claim.assignee.is_none() && claim.signed_off.is_none());
        assert!(claim.provenance.is_empty());
        assert_eq!(project.status_of(claim), "to check");
    }
    let text = file::to_ron_string(&project).unwrap();
    assert!(text.contains(&format!(
        "format_version: {},",
        claimdesk_core::project::FORMAT_VERSION
    )));
    assert!(text.contains("    status_scale: [\n        \"to check\",\n"));
    assert_eq!(
        file::from_ron_str(&text, Path::new("m.ron")).unwrap(),
        project
    );
    // Their records are listed with nothing known about who or when.
    let rows = claimdesk_core::activity::from_project(&project);
    assert!(rows.iter().all(|r| r.at.is_none() && r.who.is_none()));
}

#[test]
fn workflow_fields_merge_field_by_field_and_conflicts_are_resolvable() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let id = new_claim(&mut ws);
    let base = ws.project().clone();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let at = |t: &str| Signed {
        by: "x".into(),
        at: t.into(),
    };
    {
        let o = ours.claims.get_mut(&id).unwrap();
        o.status = Some("in progress".into());
        o.signed_off = Some(at("2026-12-01T10:00:00Z"));
        let t = theirs.claims.get_mut(&id).unwrap();
        t.assignee = Some("Dana".into());
        t.signed_off = Some(at("2026-12-01T11:00:00Z"));
    }
    let (merged, summary) = merge(&base, &ours, &theirs);
    assert!(summary.is_clean(), "{:?}", summary.conflicts);
    let claim = &merged.claims[&id];
    assert_eq!(claim.status.as_deref(), Some("in progress"));
    assert_eq!(claim.assignee.as_deref(), Some("Dana"));
    assert_eq!(
        claim.signed_off.as_ref().unwrap().at,
        "2026-12-01T11:00:00Z",
        "the later sign-off"
    );

    theirs.claims.get_mut(&id).unwrap().status = Some("in review".into());
    let (merged, summary) = merge(&base, &ours, &theirs);
    assert_eq!(summary.conflicts, [format!("claim {id}: status")]);
    let conflict = &merged.claims[&id].conflicts[0];
    assert_eq!(
        (conflict.ours.as_str(), conflict.theirs.as_str()),
        ("in progress", "in review")
    );
    // Put the merged file in place and resolve it the analyst's way.
    file::save(&merged, &sample.project()).unwrap();
    drop(ws);
    let mut ws = sample.open();
    let op = ops::resolve_conflict(&ws, &id, "status", Keep::Theirs).unwrap();
    ws.run(op).unwrap();
    let claim = &ws.project().claims[&id];
    assert_eq!(claim.status.as_deref(), Some("in review"));
    assert!(claim.conflicts.is_empty());
}

fn cli(dir: &Path, config: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(args)
        .current_dir(dir)
        .env("CLAIMDESK_CONFIG_DIR", config)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_runs_the_workflow_lists_it_and_exports_only_published_claims() {
    let sample = SampleCopy::new();
    let dir = sample.dir.path();
    let config = dir.join("config");
    let project = sample.project();
    let p = project.to_str().unwrap();
    let allow = sample.corpus();
    let allow = allow.to_str().unwrap();
    let (code, out, _) = cli(dir, &config, &["config"]);
    assert_eq!(code, 0);
    assert!(out.contains("not set"), "{out}");
    let (code, _, err) = cli(
        dir,
        &config,
        &["config", "--name", "Lee Park", "--email", "lee@example.org"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(config.join("settings.ron").exists());

    let (_, out, err) = cli(
        dir,
        &config,
        &[
            "claim",
            "add",
            p,
            "--allow-outside",
            allow,
            "--article",
            LAVROV,
            "--start",
            "0",
            "--end",
            "40",
        ],
    );
    let id = out.trim().to_string();
    assert!(!id.is_empty(), "{err}");
    let run = |args: &[&str]| {
        let mut all = vec!["claim"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--allow-outside", allow]);
        cli(dir, &config, &all)
    };
    let (code, _, err) = run(&["status", p, &id, "published"]);
    assert_eq!(code, 1, "refused: {err}");
    assert!(
        err.contains("a verdict and at least one evidence item"),
        "{err}"
    );
    assert_eq!(
        run(&[
            "assign",
            p,
            &id,
            "--assignee",
            "Dana",
            "--reviewer",
            "Lee Park"
        ])
        .0,
        0
    );
    assert_eq!(run(&["status", p, &id, "in-review"]).0, 0);
    assert_eq!(run(&["sign-off", p, &id]).0, 0);
    let (code, out, err) = run(&[
        "list",
        p,
        "--status",
        "in-review",
        "--assignee",
        "dana",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["status"], "in review");
    assert_eq!(listed[0]["reviewer"], "Lee Park");
    assert_eq!(listed[0]["signed_off"]["by"], "Lee Park <lee@example.org>");
    assert_eq!(listed[0]["created"]["by"], "Lee Park <lee@example.org>");

    // Published: rated, with evidence; the export can hold only published claims.
    assert_eq!(run(&["set", p, &id, "--verdict", "false"]).0, 0);
    let (code, _, err) = cli(
        dir,
        &config,
        &[
            "evidence",
            "add",
            p,
            &id,
            "--url",
            "https://example.org/t",
            "--stance",
            "refutes",
            "--allow-outside",
            allow,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(run(&["status", p, &id, "published"]).0, 0);
    // Another claim, not published, stays out of the export.
    let (code, _, err) = run(&[
        "add",
        p,
        "--article",
        IRAN,
        "--start",
        "0",
        "--end",
        "30",
        "--verdict",
        "true",
    ]);
    assert_eq!(code, 0, "{err}");
    let csv_path = dir.join("published.csv");
    let (code, _, err) = cli(
        dir,
        &config,
        &[
            "export",
            p,
            "--format",
            "csv",
            "--published-only",
            "-o",
            csv_path.to_str().unwrap(),
            "--allow-outside",
            allow,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(ids, std::slice::from_ref(&id), "only the published claim");
    assert!(file::load(&project).unwrap().claims.len() > 1);

    let (code, out, err) = cli(
        dir,
        &config,
        &["activity", p, "--json", "--allow-outside", allow],
    );
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mine: Vec<&serde_json::Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] == id.as_str())
        .collect();
    assert!(
        mine.iter()
            .any(|r| r["action"] == "created" && r["who"] == "Lee Park <lee@example.org>")
    );
    assert!(mine.iter().any(|r| r["action"] == "signed-off"));
    assert!(mine.iter().all(|r| r["claim"] == id.as_str()));
    // Newest first.
    let times: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["at"].as_str())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
}
