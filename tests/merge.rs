//! `claimdesk merge` as a git merge driver: two analysts annotate copies of one project.

mod support;

use std::path::Path;
use std::process::Command;

use claimdesk_core::project::{Anchor, Claim, Origin, Project, file, merge::merge};

fn claim(quote: &str, start: usize) -> Claim {
    Claim {
        status: None,
        assignee: None,
        reviewer: None,
        signed_off: None,
        provenance: Default::default(),
        article: "a.txt".into(),
        anchor: Anchor {
            start,
            end: start + quote.chars().count(),
            quote: quote.into(),
            prefix: String::new(),
            suffix: String::new(),
        },
        claimant: None,
        verdict: None,
        note: String::new(),
        origin: Origin::Analyst,
        conflicts: Vec::new(),
    }
}

fn base() -> Project {
    let mut p = support::one_article_project();
    p.claims
        .insert("01a".into(), claim("At least 150 were taken hostages", 10));
    p
}

#[test]
fn different_fields_and_records_merge_cleanly() {
    let base = base();
    let mut ours = base.clone();
    ours.claims.get_mut("01a").unwrap().verdict = Some("Misleading".into());
    ours.claims
        .insert("01b".into(), claim("more than 200 hostages", 90));
    let mut theirs = base.clone();
    theirs.claims.get_mut("01a").unwrap().note = "Other reports say more than 200.".into();
    theirs
        .claims
        .insert("01c".into(), claim("$100 million a year", 200));

    let (merged, summary) = merge(&base, &ours, &theirs);
    assert!(summary.is_clean(), "{:?}", summary.conflicts);
    let a = &merged.claims["01a"];
    assert_eq!(a.verdict.as_deref(), Some("Misleading"));
    assert_eq!(a.note, "Other reports say more than 200.");
    assert!(merged.claims.contains_key("01b") && merged.claims.contains_key("01c"));
}

#[test]
fn both_changing_one_verdict_keeps_both_values() {
    let base = base();
    let mut ours = base.clone();
    ours.claims.get_mut("01a").unwrap().verdict = Some("False".into());
    let mut theirs = base.clone();
    theirs.claims.get_mut("01a").unwrap().verdict = Some("Mostly true".into());
    let (merged, summary) = merge(&base, &ours, &theirs);
    assert_eq!(summary.conflicts.len(), 1);
    let a = &merged.claims["01a"];
    assert_eq!(a.verdict.as_deref(), Some("False"));
    assert_eq!(a.conflicts[0].field, "verdict");
    assert_eq!(a.conflicts[0].theirs, "Mostly true");
    // The conflict survives a save/load.
    let text = file::to_ron_string(&merged).unwrap();
    let reloaded = file::from_ron_str(&text, Path::new("m.ron")).unwrap();
    assert_eq!(reloaded.claims["01a"].conflicts, a.conflicts);
}

#[test]
fn a_deletion_does_not_drop_the_other_sides_edit() {
    let base = base();
    let mut ours = base.clone();
    ours.claims.remove("01a");
    let mut theirs = base.clone();
    theirs.claims.get_mut("01a").unwrap().note = "important".into();
    let (merged, _) = merge(&base, &ours, &theirs);
    assert_eq!(merged.claims["01a"].note, "important");
    // An untouched record deleted on one side is deleted.
    let (merged, summary) = merge(&base, &ours, &base);
    assert!(merged.claims.is_empty() && summary.is_clean());
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs")
}

#[test]
fn git_uses_it_as_a_merge_driver() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(git(d, &["init", "-q", "-b", "main"]).status.success());
    let driver = format!("{} merge %O %A %B", env!("CARGO_BIN_EXE_claimdesk"));
    git(d, &["config", "merge.claimdesk.driver", &driver]);
    std::fs::write(d.join(".gitattributes"), "*.ron merge=claimdesk\n").unwrap();
    let path = d.join("project.ron");
    std::fs::write(&path, file::to_ron_string(&base()).unwrap()).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);

    git(d, &["checkout", "-qb", "alice"]);
    let mut alice = base();
    alice.claims.get_mut("01a").unwrap().verdict = Some("Misleading".into());
    alice
        .claims
        .insert("01b".into(), claim("more than 200 hostages", 90));
    std::fs::write(&path, file::to_ron_string(&alice).unwrap()).unwrap();
    git(d, &["commit", "-qam", "alice"]);

    git(d, &["checkout", "-q", "main"]);
    let mut bob = base();
    bob.claims.get_mut("01a").unwrap().claimant = Some("Israeli side".into());
    bob.claims.insert("01c".into(), claim("$70 million", 300));
    std::fs::write(&path, file::to_ron_string(&bob).unwrap()).unwrap();
    git(d, &["commit", "-qam", "bob"]);

    let out = git(d, &["merge", "-q", "alice", "-m", "merge"]);
    assert!(
        out.status.success(),
        "merge failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = file::load(&path).unwrap();
    assert_eq!(merged.claims.len(), 3);
    let a = &merged.claims["01a"];
    assert_eq!(a.verdict.as_deref(), Some("Misleading"));
    assert_eq!(a.claimant.as_deref(), Some("Israeli side"));
}
