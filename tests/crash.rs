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
