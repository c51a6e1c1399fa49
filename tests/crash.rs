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
