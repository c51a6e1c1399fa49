//! Kill the app (SIGKILL) at random points during edits and saves, many times: the project must
//! always load and hold every edit that was reported durable.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use claimdesk_core::workspace::{OpenOptions, Workspace};

#[test]
fn sigkill_at_random_points_loses_no_persisted_edit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Hamas fighters entered Israeli towns, killing at least 1,400 people and taking more than 200 hostages.\n",
    )
    .unwrap();
    let project = dir.path().join("p.ron");
    let status = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["new"])
        .arg(&project)
        .arg(dir.path().join("a.txt"))
        .status()
        .unwrap();
    assert!(status.success());

    // A small deterministic generator for the kill delays (no clock-seeded flakiness).
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut durable_total = 0usize;
    for round in 0..12 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(["stress-edits"])
            .arg(&project)
            .arg("100000")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("persisted ") {
                    tx.send(n.parse::<usize>().unwrap()).ok();
                }
            }
        });
        // Let it make progress, then kill at a random moment.
        let first = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the stress run starts editing");
        assert!(
            first > durable_total,
            "round {round}: earlier edits were recovered before new ones"
        );
        std::thread::sleep(Duration::from_millis(next() % 150));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let reported = rx.try_iter().last().unwrap_or(first);

        let ws =
            Workspace::open(&project, &OpenOptions::default()).expect("the project always loads");
        let claims = ws.project().claims.len();
        // Every reported edit is there; at most one more (applied, killed before it printed).
        assert!(
            claims >= reported && claims <= reported + 1,
            "round {round}: {claims} claims on disk, {reported} reported durable"
        );
        durable_total = claims;
        drop(ws);
    }
    assert!(durable_total > 12, "the runs made progress");
}

/// Killed between writing the saved file and starting its new journal: the old journal holds
/// edits the file already has. Nothing is waiting, so nothing is set aside or announced.
#[test]
fn a_journal_whose_edits_were_saved_is_not_reported_as_unsaved_work() {
    use claimdesk_core::ops;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "The minister said exports rose 4% in June.\n",
    )
    .unwrap();
    let project = dir.path().join("p.ron");
    let made = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("new")
        .arg(&project)
        .arg(dir.path().join("a.txt"))
        .output()
        .unwrap();
    assert!(made.status.success());
    let journal = dir.path().join("p.ron.journal");
    let mut ws = Workspace::open(&project, &OpenOptions::default()).unwrap();
    let span = ops::locate(
        ws.article("a.txt").unwrap(),
        &ops::Place::quote("exports rose 4% in June"),
    )
    .unwrap();
    let op = ops::mark_claim(&ws, "a.txt", span, ops::ClaimFields::default()).unwrap();
    ws.run(op).unwrap();
    let before_save = std::fs::read(&journal).unwrap();
    ws.save().unwrap();
    drop(ws);
    std::fs::write(&journal, &before_save).unwrap();

    let ws = Workspace::open(&project, &OpenOptions::default()).unwrap();
    assert_eq!(ws.project().claims.len(), 1);
    assert!(
        ws.notices.iter().all(|n| !n.contains("unsaved")),
        "{:?}",
        ws.notices
    );
    let set_aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().ends_with(".unapplied"));
    assert!(!set_aside, "nothing was set aside");
    drop(ws);

    // Edits the file does not have are still set aside and announced.
    let mut ws = Workspace::open(&project, &OpenOptions::default()).unwrap();
    let id = ws.project().claims.keys().next().unwrap().clone();
    let op = ops::set_claim(
        &ws,
        &id,
        ops::ClaimChange {
            verdict: Some(Some("True".into())),
            ..Default::default()
        },
    )
    .unwrap();
    ws.run(op).unwrap();
    let unsaved = std::fs::read(&journal).unwrap();
    drop(ws);
    // Another program rewrites the project meanwhile (a git pull): the journal is stale.
    let text = std::fs::read_to_string(&project).unwrap();
    std::fs::write(&project, text.replace("Untitled", "Pulled")).unwrap();
    std::fs::write(&journal, &unsaved).unwrap();
    let ws = Workspace::open(&project, &OpenOptions::default()).unwrap();
    assert!(
        ws.notices.iter().any(|n| n.contains("another version")),
        "{:?}",
        ws.notices
    );
}

/// Unsaved edits set aside because another program rewrote the project (a git pull) are
/// re-applied by `claimdesk recover`: each that still applies, the rest listed and kept.
#[test]
fn stranded_edits_are_reapplied_on_top_of_the_new_file_and_the_rest_are_kept() {
    use claimdesk_core::ops;
    use claimdesk_core::workspace::stranded_journals;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "The minister said exports rose 4% in June. Imports fell by a third. Growth was 2%.\n",
    )
    .unwrap();
    let project = dir.path().join("p.ron");
    let claimdesk = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(claimdesk(&["new", "p.ron", "a.txt"]).status.success());
    // Two saved claims: exports (A) and imports (C).
    let mut ws = Workspace::open(&project, &OpenOptions::default()).unwrap();
    let mark = |ws: &mut Workspace, quote: &str| {
        let span = ops::locate(ws.article("a.txt").unwrap(), &ops::Place::quote(quote)).unwrap();
        let op = ops::mark_claim(ws, "a.txt", span, ops::ClaimFields::default()).unwrap();
        ws.run(op).unwrap();
        ws.project()
            .claims
            .iter()
            .find(|(_, c)| c.anchor.quote == quote)
            .map(|(id, _)| id.clone())
            .unwrap()
    };
    let a = mark(&mut ws, "exports rose 4% in June");
    let c = mark(&mut ws, "Imports fell by a third");
    ws.save().unwrap();

    // The session: A rated, B marked, a link on C; then it dies unsaved.
    let op = ops::set_claim(
        &ws,
        &a,
        ops::ClaimChange {
            verdict: Some(Some("True".into())),
            ..Default::default()
        },
    )
    .unwrap();
    ws.run(op).unwrap();
    mark(&mut ws, "Growth was 2%");
    let op = ops::add_evidence(
        &ws,
        &c,
        ops::EvidenceInput::Url {
            url: "https://example.org/trade".into(),
            title: "Trade figures".into(),
        },
        claimdesk_core::project::Stance::Supports,
        "",
    )
    .unwrap();
    ws.run(op).unwrap();
    let journal = dir.path().join("p.ron.journal");
    let unsaved = std::fs::read(&journal).unwrap();
    drop(ws);
    std::fs::write(&journal, &unsaved).unwrap();

    // Meanwhile another program rewrote the file: renamed it and removed C.
    let mut pulled = claimdesk_core::project::file::load(&project).unwrap();
    pulled.name = "Pulled".into();
    pulled.claims.remove(&c);
    claimdesk_core::project::file::save(&pulled, &project).unwrap();

    // Opening sets the journal aside and says how to get the edits back.
    let ws = Workspace::open(&project, &OpenOptions::default()).unwrap();
    assert!(
        ws.notices.iter().any(|n| n.contains("claimdesk recover")),
        "{:?}",
        ws.notices
    );
    assert_eq!(ws.project().claims.len(), 1, "nothing applied yet");
    drop(ws);
    let stranded = stranded_journals(&project);
    assert_eq!(stranded.len(), 1);
    assert_eq!(stranded[0].edits, 3);
    let unapplied = stranded[0].path.clone();

    // `check` says edits are waiting, and where.
    let out = claimdesk(&["check", "p.ron"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("stranded_edits=3"), "{stdout}");
    assert!(
        stderr.contains(".unapplied") && stderr.contains("claimdesk recover"),
        "{stderr}"
    );

    // Recover: A's verdict and B come back on top of the pulled file; C's link cannot.
    let out = claimdesk(&["recover", "p.ron"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stdout.contains("re-applied 2 edit(s)"), "{stdout}");
    assert!(stdout.contains("not applied: edit 3"), "{stdout}");
    let saved = claimdesk_core::project::file::load(&project).unwrap();
    assert_eq!(saved.name, "Pulled", "the other program's change stays");
    assert_eq!(saved.claims[&a].verdict.as_deref(), Some("True"));
    assert_eq!(saved.claims.len(), 2);
    assert!(saved.evidence.is_empty());
    assert!(unapplied.exists(), "the edit left is kept");

    // Again: nothing applied twice, the rest still listed (as JSON).
    let out = claimdesk(&["recover", "p.ron", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["applied"], 0);
    assert_eq!(reports[0]["not_applied"][0]["number"], 1);
    assert_eq!(reports[0]["removed"], false);
    assert_eq!(
        claimdesk_core::project::file::load(&project)
            .unwrap()
            .claims
            .len(),
        2
    );

    // The analyst gives up on it: only then is the file deleted.
    let out = claimdesk(&["recover", "p.ron", "--discard"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(!unapplied.exists());
    assert!(stranded_journals(&project).is_empty());
}
