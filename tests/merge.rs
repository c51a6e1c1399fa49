//! `claimdesk merge` as a git merge driver: two analysts annotate copies of one project.

use crate::support;

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

fn scale(labels: &[&str]) -> Vec<claimdesk_core::project::Rating> {
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| claimdesk_core::project::Rating {
            label: (*label).to_string(),
            value: (labels.len() - i) as i32,
        })
        .collect()
}

#[test]
fn a_name_and_a_rating_scale_both_changed_are_conflicts_with_both_values_kept() {
    let base = base();
    let mut ours = base.clone();
    ours.name = "Hostages (Alice)".into();
    ours.rating_scale = scale(&["True", "False", "Satire"]);
    let mut theirs = base.clone();
    theirs.name = "Hostages (Bob)".into();
    theirs.rating_scale = scale(&["Correct", "Incorrect"]);

    let (merged, summary) = merge(&base, &ours, &theirs);
    assert_eq!(summary.conflicts.len(), 2, "{:?}", summary.conflicts);
    assert_eq!(merged.name, "Hostages (Alice)");
    let name = merged.conflicts.iter().find(|c| c.field == "name").unwrap();
    assert_eq!(
        (name.ours.as_str(), name.theirs.as_str()),
        ("Hostages (Alice)", "Hostages (Bob)")
    );
    let scale_conflict = merged
        .conflicts
        .iter()
        .find(|c| c.field == "rating scale")
        .unwrap();
    assert_eq!(
        claimdesk_core::project::merge::parse_scale(&scale_conflict.theirs),
        Some(theirs.rating_scale.clone())
    );
    // Kept in the file.
    let text = file::to_ron_string(&merged).unwrap();
    let reloaded = file::from_ron_str(&text, Path::new("m.ron")).unwrap();
    assert_eq!(reloaded.conflicts, merged.conflicts);
    // A project without conflicts is written as before (no empty section).
    assert!(!file::to_ron_string(&base).unwrap().contains("conflicts"));

    // One side only: taken without a conflict.
    let (merged, summary) = merge(&base, &base, &theirs);
    assert!(summary.is_clean() && merged.conflicts.is_empty());
    assert_eq!(merged.name, "Hostages (Bob)");
}

#[test]
fn the_analyst_resolves_a_project_conflict_with_claim_resolve_project() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Officials said at least 150 were taken hostages on Saturday.\n",
    )
    .unwrap();
    let base = base();
    let mut ours = base.clone();
    ours.rating_scale = scale(&["True", "False"]);
    let mut theirs = base.clone();
    theirs.rating_scale = scale(&["Correct", "Incorrect"]);
    theirs.name = "Bob's".into();
    let (merged, _) = merge(&base, &ours, &theirs);
    let path = dir.path().join("p.ron");
    std::fs::write(&path, file::to_ron_string(&merged).unwrap()).unwrap();
    let resolve = |field: &str, keep: &str| {
        Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(["claim", "resolve"])
            .arg(&path)
            .args(["project", "--field", field, "--keep", keep])
            .output()
            .unwrap()
    };
    let out = resolve("rating scale", "theirs");
    assert!(out.status.success(), "{out:?}");
    let project = file::load(&path).unwrap();
    assert_eq!(project.rating_scale, theirs.rating_scale);
    assert!(project.conflicts.is_empty(), "{:?}", project.conflicts);
    let out = resolve("name", "ours");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no merge conflict"),
        "{out:?}"
    );
}

#[test]
fn a_verdict_the_merged_scale_lacks_is_a_conflict() {
    let mut base = base();
    base.rating_scale = scale(&["True", "Misleading", "False"]);
    // Alice drops "Misleading" from the scale; Bob rates the claim "Misleading".
    let mut ours = base.clone();
    ours.rating_scale = scale(&["True", "False"]);
    let mut theirs = base.clone();
    theirs.claims.get_mut("01a").unwrap().verdict = Some("Misleading".into());
    let (merged, summary) = merge(&base, &ours, &theirs);
    assert_eq!(merged.rating_scale, ours.rating_scale);
    let claim = &merged.claims["01a"];
    assert_eq!(
        claim.verdict.as_deref(),
        Some("Misleading"),
        "kept, not dropped"
    );
    let conflict = claim
        .conflicts
        .iter()
        .find(|c| c.field == "verdict label")
        .expect("a conflict on the verdict");
    assert!(conflict.theirs.contains("True, False"), "{conflict:?}");
    assert!(
        summary
            .conflicts
            .iter()
            .any(|c| c.contains("“Misleading” is not in the merged rating scale")),
        "{:?}",
        summary.conflicts
    );
}

#[test]
fn evidence_on_an_article_the_other_side_removed_keeps_it_and_is_a_conflict() {
    use claimdesk_core::project::{ArticleEntry, Evidence, EvidenceSource, Stance};
    let mut base = base();
    base.articles.insert(
        "b.txt".into(),
        ArticleEntry {
            path: "b.txt".into(),
            hash: String::new(),
            meta: Default::default(),
            corrected_text: None,
            capture: None,
        },
    );
    // Bob removes b.txt; Alice cites a passage of it.
    let mut theirs = base.clone();
    theirs.articles.remove("b.txt");
    let mut ours = base.clone();
    ours.evidence.insert(
        "01e".into(),
        Evidence {
            provenance: Default::default(),
            claim: "01a".into(),
            stance: Stance::Refutes,
            source: EvidenceSource::Passage {
                article: "b.txt".into(),
                anchor: Anchor {
                    start: 0,
                    end: 12,
                    quote: "200 hostages".into(),
                    prefix: String::new(),
                    suffix: String::new(),
                },
            },
            note: String::new(),
        },
    );
    let (merged, summary) = merge(&base, &ours, &theirs);
    assert!(
        merged.articles.contains_key("b.txt"),
        "the cited article is kept"
    );
    let conflict = merged
        .conflicts
        .iter()
        .find(|c| c.field == "article b.txt")
        .expect("a conflict on the article");
    assert_eq!(conflict.theirs, "(removed)");
    assert!(conflict.ours.contains("evidence 01e"), "{conflict:?}");
    assert!(!summary.is_clean());
    // The merged file loads (no dangling evidence).
    let text = file::to_ron_string(&merged).unwrap();
    file::from_ron_str(&text, Path::new("m.ron")).unwrap();
}

#[test]
fn the_merge_driver_names_the_project_not_gits_temporary_file() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(git(d, &["init", "-q", "-b", "main"]).status.success());
    let driver = format!("{} merge %O %A %B %P", env!("CARGO_BIN_EXE_claimdesk"));
    git(d, &["config", "merge.claimdesk.driver", &driver]);
    std::fs::write(d.join(".gitattributes"), "*.ron merge=claimdesk\n").unwrap();
    let path = d.join("hostages.ron");
    std::fs::write(&path, file::to_ron_string(&base()).unwrap()).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);
    git(d, &["checkout", "-qb", "alice"]);
    let mut alice = base();
    alice.name = "Alice's name".into();
    std::fs::write(&path, file::to_ron_string(&alice).unwrap()).unwrap();
    git(d, &["commit", "-qam", "alice"]);
    git(d, &["checkout", "-q", "main"]);
    let mut bob = base();
    bob.name = "Bob's name".into();
    std::fs::write(&path, file::to_ron_string(&bob).unwrap()).unwrap();
    git(d, &["commit", "-qam", "bob"]);

    let out = git(d, &["merge", "-q", "alice", "-m", "merge"]);
    assert!(!out.status.success(), "a conflict is left to resolve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hostages.ron"), "{stderr}");
    assert!(!stderr.contains(".merge_file"), "{stderr}");
    assert!(stderr.contains("project name"), "{stderr}");
    // Both names are in the file for the analyst.
    let merged = file::load(&path).unwrap();
    let name = merged.conflicts.iter().find(|c| c.field == "name").unwrap();
    assert_eq!(
        (name.ours.as_str(), name.theirs.as_str()),
        ("Bob's name", "Alice's name")
    );
}
