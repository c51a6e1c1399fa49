//! Project files: versions, round trips, backups, hostile and broken files, paths, disk changes.

use crate::support;

use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use claimdesk_core::project::{Edit, Project, file};
use claimdesk_core::workspace::{OpenOptions, Workspace};
use support::SampleCopy;

fn fixture(name: &str) -> std::path::PathBuf {
    support::repo().join("tests/fixtures/projects").join(name)
}

#[test]
fn format_1_fixture_loads_with_every_field() {
    let project = file::load(&fixture("v1_sample.ron")).unwrap();
    let claim = &project.claims["01hf0000000000000000000001"];
    assert_eq!(claim.verdict.as_deref(), Some("Misleading"));
    assert_eq!(claim.note, "Other reports: more than 200.\nSee evidence.");
    assert_eq!(
        project.articles["a.txt"].meta.source.as_deref(),
        Some("Fixture News")
    );
    assert_eq!(project.evidence.len(), 1);
    // Saving and loading again gives the same project.
    let text = file::to_ron_string(&project).unwrap();
    assert_eq!(
        file::from_ron_str(&text, Path::new("x.ron")).unwrap(),
        project
    );
}

#[test]
fn check_refuses_a_newer_format_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.ron");
    std::fs::copy(fixture("newer_format.ron"), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("made by a newer Claimdesk (format 3)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        1,
        "no journal, lock or backup was written: {names:?}"
    );
}

#[test]
fn check_reports_line_and_column_of_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    let mut text = std::fs::read_to_string(fixture("v1_sample.ron")).unwrap();
    text = text.replace(
        "verdict:Some(\"Misleading\")",
        "verdict:Some(\"Misleading\"",
    );
    std::fs::write(&path, &text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.ron:18:"),
        "file:line:col in {stderr}"
    );
    let ok = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("check")
        .arg(SampleCopy::new().project())
        .output()
        .unwrap();
    // The sample copy reads articles from ../assets, outside its folder: they show as missing,
    // but the project itself loads.
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("articles=5"));
}

#[test]
fn saves_keep_ten_backups_and_a_broken_file_can_be_restored() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    for i in 0..12 {
        ws.apply(
            "rename",
            Edit::SetName {
                name: format!("name {i}"),
            },
        )
        .unwrap();
        ws.save().unwrap();
    }
    let backups = file::backups(&sample.project());
    assert_eq!(backups.len(), file::BACKUPS_KEPT);
    drop(ws);
    std::fs::write(sample.project(), "(format_version: 1, claims: {").unwrap();
    assert!(Workspace::open(&sample.project(), &sample.options()).is_err());
    let aside = file::restore_backup(&sample.project(), &backups[0]).unwrap();
    assert!(aside.exists(), "the unreadable file is kept");
    let ws = sample.open();
    assert_eq!(
        ws.project().name,
        "name 10",
        "the newest backup is the save before the last"
    );
}

#[test]
fn saving_refuses_to_overwrite_a_file_changed_on_disk() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    assert!(ws.changed_on_disk().is_empty());
    let mut outside = std::fs::read_to_string(sample.project()).unwrap();
    outside = outside.replace("sample", "sample (edited elsewhere)");
    std::fs::write(sample.project(), &outside).unwrap();
    assert_eq!(ws.changed_on_disk(), vec![sample.project()]);
    ws.apply(
        "rename",
        Edit::SetName {
            name: "mine".into(),
        },
    )
    .unwrap();
    let err = ws.save().unwrap_err();
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(std::fs::read_to_string(sample.project()).unwrap(), outside);
}

#[test]
fn articles_outside_the_project_folder_need_permission_and_missing_ones_keep_annotations() {
    let sample = SampleCopy::new();
    // Without trusting ../assets/corpus the articles are not read.
    let ws = Workspace::open(&sample.project(), &OpenOptions::default()).unwrap();
    assert_eq!(ws.loaded_articles().count(), 0);
    assert!(ws.notices.iter().any(|n| n.contains("could not be read")));
    match ws.article_state("000_164a3089b8e03eed.txt") {
        Some(claimdesk_core::workspace::ArticleState::Missing { reason, .. }) => {
            assert!(reason.contains("outside the project folder"), "{reason}");
        }
        other => panic!("expected a missing article, got {other:?}"),
    }
    drop(ws);

    // A claim on an article whose file then disappears is kept.
    let mut ws = sample.open();
    let article = ws.article("001_6076344b43b91c38.txt").unwrap().clone();
    let span = support::find_span(&article.text, "Bagheri Khani", 0);
    let edit = Edit::PutClaim {
        id: claimdesk_core::project::new_id(),
        claim: claimdesk_core::project::Claim::at(&article, span),
    };
    ws.apply("mark", edit).unwrap();
    ws.save().unwrap();
    drop(ws);
    std::fs::remove_file(sample.corpus().join("001_6076344b43b91c38.txt")).unwrap();
    let ws = sample.open();
    assert!(ws.article("001_6076344b43b91c38.txt").is_none());
    assert_eq!(ws.project().claims.len(), 1);
    assert_eq!(Project::default().claims.len(), 0);
}

#[test]
fn an_article_edited_on_disk_is_reanchored() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let article = ws.article("004_f0f083a2e182d3f1.txt").unwrap().clone();
    let span = support::find_span(
        &article.text,
        "no one can reconcile Palestinians and the Israelis single-handedly",
        0,
    );
    ws.apply(
        "mark",
        Edit::PutClaim {
            id: claimdesk_core::project::new_id(),
            claim: claimdesk_core::project::Claim::at(&article, span),
        },
    )
    .unwrap();
    let gone = support::find_span(
        &article.text,
        "Lavrov’s visit to Tehran comes just a week after",
        0,
    );
    ws.apply(
        "mark",
        Edit::PutClaim {
            id: claimdesk_core::project::new_id(),
            claim: claimdesk_core::project::Claim::at(&article, gone),
        },
    )
    .unwrap();
    ws.save().unwrap();
    drop(ws);
    // Someone fixes the page: a new first paragraph, a typo in the quote, a paragraph removed.
    let path = sample.corpus().join("004_f0f083a2e182d3f1.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = format!("Editor's note: updated.\n\n{text}")
        .replace("single-handedly", "single handedly")
        .replace(
            "Lavrov’s visit to Tehran comes just a week after a Russian-drafted resolution",
            "A resolution",
        );
    std::fs::write(&path, text).unwrap();
    let ws = sample.open();
    assert_eq!(ws.reanchor_summary.moved, 1, "{:?}", ws.reanchor_summary);
    assert_eq!(ws.reanchor_summary.orphaned, 1);
    assert_eq!(ws.orphans().len(), 1);
    let moved = ws
        .project()
        .claims
        .values()
        .find(|c| c.anchor.quote.contains("reconcile"))
        .unwrap();
    assert_eq!(
        moved.anchor.quote,
        "no one can reconcile Palestinians and the Israelis single handedly"
    );
    assert_eq!(ws.project().claims.len(), 2, "the orphan is kept");
}

#[test]
fn correcting_a_typo_in_the_app_moves_spans_and_survives_reopen_and_undo() {
    let sample = SampleCopy::new();
    let mut ws = sample.open();
    let id = "004_f0f083a2e182d3f1.txt";
    let article = ws.article(id).unwrap().clone();
    let quote = "no one can reconcile Palestinians and the Israelis single-handedly";
    let span = support::find_span(&article.text, quote, 0);
    let claim_id = claimdesk_core::project::new_id();
    ws.apply(
        "mark",
        Edit::PutClaim {
            id: claim_id.clone(),
            claim: claimdesk_core::project::Claim::at(&article, span),
        },
    )
    .unwrap();
    // The analyst fixes a typo before the claim and the spelling inside it.
    let corrected = article
        .text
        .replacen("Russian FM calls", "The Russian FM calls", 1)
        .replace("single-handedly", "single handedly");
    let (op, summary) = claimdesk_core::ops::correct_text(&ws, id, &corrected).unwrap();
    ws.run(op).unwrap();
    assert_eq!(summary.moved, 1, "{summary:?}");
    let claim = &ws.project().claims[&claim_id];
    assert_eq!(
        claim.anchor.quote,
        "no one can reconcile Palestinians and the Israelis single handedly"
    );
    assert_eq!(
        ws.article(id).unwrap().slice(claim.anchor.span()),
        claim.anchor.quote
    );
    ws.save().unwrap();
    drop(ws);

    let mut ws = sample.open();
    assert!(
        ws.article(id)
            .unwrap()
            .text
            .starts_with("The Russian FM calls")
    );
    assert!(ws.orphans().is_empty());
    assert_eq!(ws.reanchor_summary.moved, 0, "nothing to move on reopen");
    let file_text = std::fs::read_to_string(sample.corpus().join(id)).unwrap();
    assert!(
        file_text.contains("single-handedly"),
        "the file itself was never rewritten"
    );

    // Undo in the same session brings back the file's text and the old span.
    let article = ws.article(id).unwrap().clone();
    let (op, _) =
        claimdesk_core::ops::correct_text(&ws, id, &article.text.replace("Raisi", "Raissi"))
            .unwrap();
    ws.run(op).unwrap();
    assert!(ws.article(id).unwrap().text.contains("Raissi"));
    ws.undo().unwrap();
    assert!(!ws.article(id).unwrap().text.contains("Raissi"));
    assert_eq!(ws.article(id).unwrap().text, article.text);
}

/// The files in the repository, read by the fast path and by `ron` alone.
#[test]
fn fixture_and_sample_files_read_the_same_both_ways_and_are_rewritten_byte_for_byte() {
    for path in [
        fixture("v1_sample.ron"),
        support::repo().join("projects/sample.ron"),
    ] {
        let text = std::fs::read_to_string(&path).unwrap();
        let fast = file::from_ron_str(&text, &path).unwrap();
        let slow = file::from_ron_str_slow(&text, &path).unwrap();
        assert_eq!(fast, slow, "{}", path.display());
        // A format 1 file is written as format 2: the version and the default status scale
        // are all that change.
        let expected = if text.contains("    format_version: 1,\n") {
            let at = text.find("    articles: {").unwrap();
            format!(
                "{}    status_scale: [\n        \"to check\",\n        \"in progress\",\n        \"in review\",\n        \"published\",\n    ],\n{}",
                &text[..at],
                &text[at..]
            )
            .replace("    format_version: 1,\n", "    format_version: 2,\n")
        } else {
            text.clone()
        };
        assert_eq!(
            file::to_ron_string(&fast).unwrap(),
            expected,
            "the format did not change: {}",
            path.display()
        );
    }
}

#[test]
fn a_hand_edited_file_still_loads() {
    let canonical = file::load(&fixture("v1_sample.ron")).unwrap();
    // Comments, a record over several lines with fields reordered and spaces, an implicit
    // `Some`, Windows line ends, no trailing commas.
    let edited = r#"#![enable(implicit_some)]
/* edited by hand */
(
    format_version: 1,
    name: "Format 1 fixture",
    rating_scale: [
        (label:"True",value:7),
        (label:"Mostly true",value:6),
        (label:"Half true",value:5),
        (label:"Misleading",value:4),
        (label:"Mostly false",value:3),
        (label:"False",value:2),
        (label:"Unverifiable",value:1)
    ],
    articles: { "a.txt": (path: "a.txt", hash: "0000000000000000", meta: (source: "Fixture News")) },
    claims: {
        // the claim under review
        "01hf0000000000000000000001": (
            anchor: (start: 0, end: 23, quote: "At least 150 were taken", suffix: " hostages."),
            article: "a.txt",
            claimant: "Israeli side",
            verdict: Some("Misleading"),
            note: "Other reports: more than 200.\nSee evidence.",
        ),
    },
    entities: {
        "01hf0000000000000000000002": (name:"Hamas",kind:ORG,aliases:[],note:""),
    },
    evidence: {
        "01hf0000000000000000000003": (claim:"01hf0000000000000000000001",stance:Refutes,source:Url(url:"https://example.org/hostages",title:"Count"),note:""),
    },
    mentions: {},
    dismissed: [],
)
"#
    .replace('\n', "\r\n");
    let loaded = file::from_ron_str(&edited, Path::new("edited.ron")).unwrap();
    assert_eq!(loaded, canonical);
}

/// A project with `claims` claims on one article.
fn many_claims(claims: usize) -> Project {
    let mut project = support::one_article_project();
    for i in 0..claims {
        project.claims.insert(
            format!("{i:06}"),
            claimdesk_core::project::Claim {
                status: None,
                assignee: None,
                reviewer: None,
                signed_off: None,
                provenance: Default::default(),
                article: "a.txt".into(),
                anchor: claimdesk_core::project::Anchor {
                    start: i,
                    end: i + 5,
                    quote: "quote".into(),
                    prefix: String::new(),
                    suffix: String::new(),
                },
                claimant: None,
                verdict: Some("False".into()),
                note: "n".into(),
                origin: claimdesk_core::project::Origin::Analyst,
                conflicts: Vec::new(),
            },
        );
    }
    project
}

#[test]
fn a_large_project_is_saved_as_to_ron_string_writes_it_with_the_hash_of_its_bytes() {
    let project = many_claims(5000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    let hash = file::save(&project, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes, file::to_ron_string(&project).unwrap().as_bytes());
    assert_eq!(hash, blake3::hash(&bytes).to_hex().to_string());
    assert_eq!(file::load_with_hash(&path).unwrap(), (project, hash));
}

#[test]
fn an_error_deep_in_a_large_file_reports_its_line_and_column_in_the_file() {
    let text = file::to_ron_string(&many_claims(5000)).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let index = lines
        .iter()
        .position(|l| l.starts_with("        \"003000\""))
        .unwrap();
    lines[index] = lines[index].replace("origin:Analyst", "origin:Analist");
    let column = lines[index].find("Analist").unwrap() + 1;
    let broken = lines.join("\n");
    match file::from_ron_str(&broken, Path::new("big.ron")).unwrap_err() {
        file::ProjectFileError::Parse {
            line,
            column: col,
            message,
            ..
        } => {
            assert_eq!((line, col), (index + 1, column), "{message}");
            assert!(message.contains("Analist"), "{message}");
        }
        other => panic!("expected a parse error, got {other}"),
    }
}

#[test]
fn a_backup_keeps_the_previous_version_even_when_the_file_is_then_edited_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let mut project = Project {
        name: "first".into(),
        ..Project::default()
    };
    file::save(&project, &path).unwrap();
    let first = std::fs::read(&path).unwrap();
    project.name = "second".into();
    file::save(&project, &path).unwrap();
    let second = std::fs::read(&path).unwrap();
    // An editor that writes into the same file (no new file, no rename).
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&path)
        .unwrap()
        .write_all(b"(format_version: 1)")
        .unwrap();
    let backups = file::backups(&path);
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read(&backups[0]).unwrap(), first);
    project.name = "third".into();
    file::save(&project, &path).unwrap();
    let backups = file::backups(&path);
    assert_eq!(backups.len(), 2);
    assert_eq!(std::fs::read(&backups[1]).unwrap(), first);
    assert_eq!(std::fs::read(&backups[0]).unwrap(), b"(format_version: 1)");
    assert_ne!(std::fs::read(&backups[0]).unwrap(), second);
}

/// The text of `project` as a hand-resolved git conflict leaves it when both sides changed one
/// claim and the analyst kept both lines: 46 claims, one of them twice.
fn conflict_kept_both_ways() -> (String, String, usize) {
    let project = many_claims(46);
    let text = file::to_ron_string(&project).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let index = lines
        .iter()
        .position(|l| l.starts_with("        \"000020\""))
        .unwrap();
    let theirs = lines[index].replace("verdict:Some(\"False\")", "verdict:Some(\"True\")");
    assert_ne!(theirs, lines[index]);
    lines.insert(index + 1, theirs);
    (lines.join("\n") + "\n", "000020".into(), index + 1)
}

#[test]
fn a_record_kept_twice_by_a_hand_resolved_conflict_is_refused_with_both_lines() {
    let (text, id, line) = conflict_kept_both_ways();
    let expect_refusal =
        |text: &str, how: &str| match file::from_ron_str(text, Path::new("team.ron")) {
            Err(err @ file::ProjectFileError::DuplicateId { .. }) => {
                let message = err.to_string();
                assert!(
                    message.contains(&format!("claim {id} is in the file twice")),
                    "{how}: {message}"
                );
                message
            }
            Err(other) => panic!("{how}: expected a duplicate-id refusal, got {other}"),
            Ok(project) => panic!(
                "{how}: loaded with {} claims, one version silently dropped",
                project.claims.len()
            ),
        };
    let message = expect_refusal(&text, "canonical layout");
    assert!(
        message.contains(&format!("(lines {line} and {})", line + 1)),
        "{message}"
    );
    // The same in a file that is no longer in Claimdesk's layout (a comment, a blank line).
    let edited = text.replacen(
        "    claims: {\n",
        "    claims: {\n\n        // kept both\n",
        1,
    );
    let message = expect_refusal(&edited, "hand-edited layout");
    assert!(
        message.contains(&format!("(lines {} and {})", line + 2, line + 3)),
        "{message}"
    );

    // `check` says so and changes nothing.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.ron");
    std::fs::write(&path, &text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is in the file twice"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn records_left_out_of_order_by_a_hand_merge_all_load() {
    let project = many_claims(46);
    let text = file::to_ron_string(&project).unwrap();
    // "Theirs" new lines pasted after "ours": ids no longer sorted.
    let mut lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("        \"000000\""))
        .unwrap();
    lines[first..first + 46].rotate_left(20);
    let shuffled = lines.join("\n");
    assert_ne!(shuffled.trim_end(), text.trim_end());
    let loaded = file::from_ron_str(&shuffled, Path::new("p.ron")).unwrap();
    assert_eq!(loaded, project);
    // And the next save sorts them again.
    assert_eq!(file::to_ron_string(&loaded).unwrap(), text);
}

#[test]
fn a_file_starting_with_a_byte_order_mark_loads() {
    let path = support::repo().join("projects/sample.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = file::from_ron_str(&text, &path).unwrap();
    let with_bom = format!("\u{feff}{text}");
    assert_eq!(file::from_ron_str(&with_bom, &path).unwrap(), expected);
    assert_eq!(file::from_ron_str_slow(&with_bom, &path).unwrap(), expected);
    let dir = tempfile::tempdir().unwrap();
    let bom_file = dir.path().join("bom.ron");
    std::fs::write(&bom_file, with_bom.replace('\n', "\r\n")).unwrap();
    assert_eq!(file::load(&bom_file).unwrap(), expected);
}

#[test]
fn deep_nesting_says_what_is_wrong_with_the_file() {
    let depth = 100_000;
    let text = format!(
        "(\n    format_version: 1,\n    name: {}{},\n)\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = file::from_ron_str(&text, Path::new("deep.ron")).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("deep.ron:3:"), "{message}");
    assert!(message.contains("nested"), "{message}");
    assert!(!message.contains("recursion_limit"), "{message}");
    assert!(!message.contains("serde_stacker"), "{message}");
}

/// Closing a project (a workspace dropped, a CLI command finished) deletes its lock file, so a
/// project folder does not collect `NAME.ron.lock` files; while it is open a second opener is
/// read-only and told who holds it.
#[test]
fn a_closed_project_leaves_no_lock_file_behind() {
    let sample = SampleCopy::new();
    let lock = sample.project().with_extension("ron.lock");
    let first = sample.open();
    assert!(first.read_only_reason().is_none());
    assert!(lock.exists(), "held while open");
    let second = sample.open();
    let reason = second
        .read_only_reason()
        .expect("a second opener is read-only");
    assert!(
        reason.contains(&format!("pid {}", std::process::id())),
        "{reason}"
    );
    drop(second);
    assert!(
        lock.exists(),
        "a read-only opener does not remove the holder's lock"
    );
    drop(first);
    assert!(!lock.exists(), "the holder removes it on close");
    let third = sample.open();
    assert!(
        third.read_only_reason().is_none(),
        "the project can be taken again"
    );
    drop(third);

    let status = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["claim", "list"])
        .arg(sample.project())
        .arg("--allow-outside")
        .arg(sample.corpus())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(!lock.exists(), "a command leaves none either");
}
