//! The command line as a second front end: the whole Lavrov fact-check by script, and commands
//! killed at random moments never losing what a command reported done.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use claimdesk_core::workspace::{OpenOptions, Workspace};

fn claimdesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_claimdesk"))
}

#[test]
fn the_lavrov_fact_check_by_command_line_only() {
    let work = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/lavrov-fact-check.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_claimdesk"))
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg(work.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("ok: claim"), "{stdout}");
}

/// A one-article project in `dir`.
fn small_project(dir: &Path) -> std::path::PathBuf {
    std::fs::write(
        dir.join("a.txt"),
        "Officials said exports rose 4% in June. The minister said unemployment fell to 5% in May, \
         the lowest in a decade. Critics said the figures were revised twice.\n",
    )
    .unwrap();
    let project = dir.join("p.ron");
    let made = claimdesk()
        .arg("new")
        .arg(&project)
        .arg(dir.join("a.txt"))
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    project
}

#[test]
fn commands_killed_at_random_moments_lose_nothing_that_exited_zero() {
    let dir = tempfile::tempdir().unwrap();
    let project = small_project(dir.path());
    let ops_file = dir.path().join("ops.jsonl");
    // A deterministic generator for kill delays and command kinds (no clock-seeded flakiness).
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // Kill moments spread over a command's whole run, measured here (the machine may be slow
    // or loaded): about half the commands finish, the rest die at every stage.
    let timed = std::time::Instant::now();
    for _ in 0..3 {
        let status = claimdesk()
            .args(["claim", "list"])
            .arg(&project)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let span_us = (timed.elapsed().as_micros() as u64 / 3).max(1_000) * 3;
    let mut done: Vec<String> = Vec::new();
    let mut killed = 0;
    for run in 0..200 {
        let note = format!("run {run}");
        let as_file = next() % 3 == 0;
        let mut command = claimdesk();
        if as_file {
            // Three operations that must land together or not at all.
            std::fs::write(
                &ops_file,
                format!(
                    "{{\"op\":\"claim.add\",\"as\":\"c\",\"article\":\"a.txt\",\"quote\":\"exports rose 4% in June\",\"claimant\":\"Officials\",\"note\":\"{note}\"}}\n\
                     {{\"op\":\"claim.set\",\"claim\":\"$c\",\"verdict\":\"Mostly true\"}}\n\
                     {{\"op\":\"evidence.add\",\"claim\":\"$c\",\"article\":\"a.txt\",\"quote\":\"revised twice\",\"stance\":\"context\",\"note\":\"{note} evidence\"}}\n"
                ),
            )
            .unwrap();
            command.arg("apply").arg(&project).arg(&ops_file);
        } else {
            command
                .args(["claim", "add"])
                .arg(&project)
                .args([
                    "--article",
                    "a.txt",
                    "--quote",
                    "unemployment fell to 5% in May",
                ])
                .args(["--claimant", "The minister", "--note", &note]);
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(next() % span_us));
        let finished = matches!(child.try_wait(), Ok(Some(_)));
        if !finished {
            child.kill().ok(); // SIGKILL on Unix
            killed += 1;
        }
        let status = child.wait().unwrap();
        if status.success() {
            done.push(note.clone());
        }
        let ws = Workspace::open(
            &project,
            &OpenOptions {
                read_only: true,
                ..Default::default()
            },
        )
        .expect("the project always loads");
        let now: Vec<&str> = ws
            .project()
            .claims
            .values()
            .map(|c| c.note.as_str())
            .collect();
        for expected in &done {
            assert!(
                now.contains(&expected.as_str()),
                "run {run}: “{expected}” exited 0 but is not in the project"
            );
        }
        if as_file {
            // All or nothing: the claim and its evidence arrive together.
            let claim = ws.project().claims.iter().find(|(_, c)| c.note == note);
            let evidence = ws
                .project()
                .evidence
                .values()
                .any(|e| e.note == format!("{note} evidence"));
            match claim {
                Some((_, c)) => assert!(
                    evidence && c.verdict.as_deref() == Some("Mostly true"),
                    "run {run}: a partial apply"
                ),
                None => assert!(!evidence, "run {run}: evidence without its claim"),
            }
        }
    }
    assert!(done.len() >= 20, "enough commands finished: {}", done.len());
    assert!(killed >= 20, "enough commands were killed: {killed}");
}

#[test]
fn a_locked_project_is_refused_with_exit_3_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let project = small_project(dir.path());
    let holder = Workspace::open(&project, &OpenOptions::default()).unwrap();
    assert!(holder.read_only_reason().is_none());
    let out = claimdesk()
        .args(["claim", "add"])
        .arg(&project)
        .args(["--article", "a.txt", "--quote", "exports rose 4% in June"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pid"), "says who holds it: {stderr}");
    drop(holder);
}

#[test]
fn json_output_chains_commands() {
    let dir = tempfile::tempdir().unwrap();
    let project = small_project(dir.path());
    let out = claimdesk()
        .args(["claim", "add"])
        .arg(&project)
        .args([
            "--article",
            "a.txt",
            "--start",
            "0",
            "--end",
            "38",
            "--verdict",
            "half true",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let claim: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(claim["quote"], "Officials said exports rose 4% in June");
    assert_eq!(claim["verdict"], "Half true");
    let id = claim["id"].as_str().unwrap();
    let evidence = claimdesk()
        .args(["evidence", "add"])
        .arg(&project)
        .arg(id)
        .args([
            "--url",
            "https://example.org/stats",
            "--stance",
            "supports",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(evidence.status.success(), "{evidence:?}");
    let listed = claimdesk()
        .args(["claim", "list"])
        .arg(&project)
        .arg("--json")
        .output()
        .unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(claims[0]["evidence"][0]["url"], "https://example.org/stats");
    assert_eq!(claims[0]["evidence"][0]["stance"], "supports");
}
