//! Sync in the window (egui_kittest): two analysts on clones of one local bare repository (no
//! network). Ana works through the core (as `claimdesk sync` would); Dana in the GUI.
//!
//! A sync needs Claimdesk's git merge driver, which git runs as a program: this test binary is
//! that program (no libtest harness, so `main` can answer `merge BASE OURS THEIRS` as
//! `claimdesk merge` does, and the sync's default driver — the running program — is right).
//! Git's global and system config are kept out, and the analysts' settings live in a temp
//! folder, so the tests see only what Claimdesk sets up.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use claimdesk_core::ops;
use claimdesk_core::project::{Id, Project, file, merge};
use claimdesk_core::settings::{Analyst, Settings as UserSettings};
use claimdesk_core::sync::{self, SyncOptions};
use claimdesk_core::workspace::{OpenOptions, Workspace};
use claimdesk_gui::team::SyncOutcome;
use claimdesk_gui::{Action, ClaimdeskApp, Settings};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use support::find_span;

const FACT_CHECK: &str = "000_164a3089b8e03eed.txt";
const KHANI: &str = "001_6076344b43b91c38.txt";

/// `claimdesk merge`'s contract: the merge written to OURS; exit 1 when a conflict is kept.
fn merge_driver(args: &[String]) -> ExitCode {
    let [base, ours, theirs] = args else {
        eprintln!("merge needs BASE OURS THEIRS");
        return ExitCode::from(2);
    };
    let load = |path: &String| file::load(Path::new(path)).expect("a project version loads");
    let (merged, summary) = merge::merge(&load(base), &load(ours), &load(theirs));
    let text = file::to_ron_string(&merged).unwrap();
    file::write_atomically(Path::new(ours), text.as_bytes()).unwrap();
    if summary.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

struct Team {
    dir: tempfile::TempDir,
}

impl Team {
    /// A bare repository and Ana's clone with a project over two sample articles with two
    /// claims, synced once (which pushes the branch), then Dana's clone.
    fn new() -> Self {
        let team = Team {
            dir: tempfile::tempdir().unwrap(),
        };
        team.git(
            team.dir.path(),
            &["init", "-q", "--bare", "-b", "main", "remote.git"],
        );
        let ana = team.clone_as("ana");
        let articles = ana.join("articles");
        std::fs::create_dir(&articles).unwrap();
        for name in [FACT_CHECK, KHANI] {
            std::fs::copy(
                support::repo().join("assets/corpus").join(name),
                articles.join(name),
            )
            .unwrap();
        }
        let mut ws = Workspace::import(std::slice::from_ref(&articles), &Default::default());
        ws.set_analyst(Some(team.analyst("Ana")));
        ws.save_to(&ana.join("project.ron"), false).unwrap();
        for (article, quote) in [
            (FACT_CHECK, "That is false."),
            (
                KHANI,
                "A senior Iranian envoy met with Hamas representatives in Moscow",
            ),
        ] {
            let span = find_span(&ws.article(article).unwrap().text, quote, 0);
            let op = ops::mark_claim(&ws, article, span, ops::ClaimFields::default()).unwrap();
            ws.run(op).unwrap();
        }
        let report = sync::sync(&mut ws, &team.options("Ana")).unwrap();
        assert!(report.pushed, "{:?}", report.lines());
        team.clone_as("dana");
        team
    }

    fn analyst(&self, name: &str) -> Analyst {
        Analyst::new(name, &format!("{}@example.org", name.to_lowercase())).unwrap()
    }

    fn options(&self, name: &str) -> SyncOptions {
        SyncOptions {
            analyst: Some(self.analyst(name)),
            ..SyncOptions::default()
        }
    }

    fn clone_dir(&self, who: &str) -> PathBuf {
        self.dir.path().join(who)
    }

    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn clone_as(&self, who: &str) -> PathBuf {
        self.git(self.dir.path(), &["clone", "-q", "remote.git", who]);
        self.clone_dir(who)
    }

    /// Ana changes her clone's project through the core and syncs it.
    fn ana_does(&self, change: impl FnOnce(&Workspace) -> ops::Op) -> sync::SyncReport {
        let mut ws = Workspace::open(
            &self.clone_dir("ana").join("project.ron"),
            &OpenOptions::default(),
        )
        .unwrap();
        ws.set_analyst(Some(self.analyst("Ana")));
        let op = change(&ws);
        ws.run(op).unwrap();
        sync::sync(&mut ws, &self.options("Ana")).unwrap()
    }

    /// Dana's window on her clone, as Dana (from her own settings file).
    fn dana_window(&self, inline: bool) -> Harness<'static, ClaimdeskApp> {
        let settings = self.dir.path().join("dana-config/settings.ron");
        UserSettings {
            analyst: Some(self.analyst("Dana")),
        }
        .save_to(&settings)
        .unwrap();
        let ws = Workspace::open(
            &self.clone_dir("dana").join("project.ron"),
            &OpenOptions::default(),
        )
        .unwrap();
        let mut app = ClaimdeskApp::new(Some(ws), Settings::default());
        app.inline_work = inline;
        app.native_dialogs = false;
        app.use_user_settings(Some(settings));
        let mut harness = Harness::builder()
            .with_size([1400.0, 900.0])
            .with_max_steps(30)
            .build_ui_state(|ui, app: &mut ClaimdeskApp| app.frame_ui(ui), app);
        harness.run();
        harness
    }
}

fn project<'a>(harness: &'a Harness<'static, ClaimdeskApp>) -> &'a Project {
    harness.state().workspace().unwrap().project()
}

/// The claims in article order: the fact-check's first, then Khani's.
fn claims(project: &Project) -> Vec<Id> {
    let mut ids: Vec<(&str, &Id)> = project
        .claims
        .iter()
        .map(|(id, c)| (c.article.as_str(), id))
        .collect();
    ids.sort();
    ids.into_iter().map(|(_, id)| id.clone()).collect()
}

fn act(harness: &mut Harness<'static, ClaimdeskApp>, action: Action) {
    harness.state_mut().act(action);
    harness.run();
}

fn rate(ws: &Workspace, id: &Id, verdict: &str) -> ops::Op {
    ops::set_claim(
        ws,
        id,
        ops::ClaimChange {
            verdict: Some(Some(verdict.into())),
            ..Default::default()
        },
    )
    .unwrap()
}

fn dana_rates(harness: &mut Harness<'static, ClaimdeskApp>, id: &Id, verdict: &str) {
    let op = rate(harness.state().workspace().unwrap(), id, verdict);
    act(
        harness,
        Action::Op {
            op: Box::new(op),
            done: None,
        },
    );
}

fn report(harness: &Harness<'static, ClaimdeskApp>) -> sync::SyncReport {
    match harness.state().last_sync() {
        Some(SyncOutcome::Report(report)) => (**report).clone(),
        other => panic!("no sync report: {other:?}"),
    }
}

fn notices(harness: &Harness<'static, ClaimdeskApp>) -> Vec<String> {
    harness
        .state()
        .notices()
        .log()
        .iter()
        .map(|n| n.text.clone())
        .collect()
}

fn sync_brings_in_a_teammates_rating_keeps_unsaved_work_and_reports_it() {
    let team = Team::new();
    let ids = claims(&file::load(&team.clone_dir("ana").join("project.ron")).unwrap());
    team.ana_does(|ws| rate(ws, &ids[0], "False"));

    let mut harness = team.dana_window(true);
    // Unsaved when the sync starts: saved first, then shared.
    dana_rates(&mut harness, &ids[1], "True");
    assert!(harness.state().has_unsaved_changes());
    harness.get_by_label("Sync").click();
    harness.run();

    let report = report(&harness);
    assert_eq!(
        report.summary,
        ["Ana rated 1 claim"],
        "{:?}",
        report.lines()
    );
    assert!(report.pushed);
    assert!(
        notices(&harness)
            .iter()
            .any(|n| n == "Synced: Ana rated 1 claim"),
        "{:?}",
        notices(&harness)
    );
    harness.get_by_label("Sync report");
    harness.get_by_label("Came in:");
    harness.get_by_label("  Ana rated 1 claim");
    // Closed, it comes back from the menu bar.
    harness.get_by_label("Close window").click();
    harness.run();
    assert!(harness.query_by_label("Came in:").is_none());
    harness.get_by_label("report").click();
    harness.run();
    harness.get_by_label("  Ana rated 1 claim");
    let ws = harness.state().workspace().unwrap();
    assert!(!ws.is_dirty() && ws.read_only_reason().is_none());
    assert_eq!(
        project(&harness).claims[&ids[0]].verdict.as_deref(),
        Some("False")
    );
    assert_eq!(
        project(&harness).claims[&ids[1]].verdict.as_deref(),
        Some("True")
    );
    assert_eq!(
        team.git(
            &team.clone_dir("dana"),
            &["log", "-1", "--no-merges", "--format=%an", "origin/main"]
        ),
        "Dana",
        "Dana's work was pushed under her name"
    );
    // Edits go on after the sync, signed by Dana.
    dana_rates(&mut harness, &ids[1], "False");
    let changed = project(&harness).claims[&ids[1]].provenance.changed.clone();
    assert_eq!(changed.unwrap().name(), "Dana");
}

fn a_conflict_the_driver_kept_is_reported_and_settled_with_use_theirs() {
    let team = Team::new();
    let ids = claims(&file::load(&team.clone_dir("ana").join("project.ron")).unwrap());
    team.ana_does(|ws| rate(ws, &ids[0], "False"));
    let mut harness = team.dana_window(true);
    dana_rates(&mut harness, &ids[0], "True");
    harness.get_by_label("Sync").click();
    harness.run();

    let first = report(&harness);
    assert_eq!(first.conflicts.len(), 1, "{:?}", first.lines());
    assert!(
        notices(&harness)
            .iter()
            .any(|n| n.contains("The sync kept 1 conflict(s)")),
        "{:?}",
        notices(&harness)
    );
    let claim = &project(&harness).claims[&ids[0]];
    assert_eq!(claim.conflicts.len(), 1, "the merge kept both verdicts");
    harness.get_by_label_contains("1 conflict(s) kept");
    harness
        .get_by_label_contains(
            "Open conflict: “That is false.”: verdict is “True” here, “False” in theirs",
        )
        .click();
    harness.run();
    assert_eq!(
        harness.state().state().focus,
        Some(claimdesk_gui::Focus::Claim(ids[0].clone()))
    );
    harness.get_by_label_contains("Merge conflict on verdict");
    harness.get_by_label("Use theirs (verdict)").click();
    harness.run();
    let claim = &project(&harness).claims[&ids[0]];
    assert_eq!(claim.verdict.as_deref(), Some("False"));
    assert!(claim.conflicts.is_empty());
    harness.get_by_label("settled");

    // The choice is shared by the next sync: Ana's clone has it, with no conflict left.
    harness.get_by_label("Sync").click();
    harness.run();
    let second = report(&harness);
    assert!(
        second.pushed && second.committed.is_some() && second.committed != first.committed,
        "the choice was committed and pushed: {:?}",
        second.lines()
    );
    let ana = report_of_ana(&team);
    assert!(ana.conflicts.is_empty(), "{:?}", ana.lines());
    let ana = file::load(&team.clone_dir("ana").join("project.ron")).unwrap();
    assert_eq!(ana.claims[&ids[0]].verdict.as_deref(), Some("False"));
    assert!(ana.claims[&ids[0]].conflicts.is_empty());
}

fn report_of_ana(team: &Team) -> sync::SyncReport {
    sync::sync_saved(
        &team.clone_dir("ana").join("project.ron"),
        &team.options("Ana"),
    )
    .unwrap()
}

fn while_a_sync_runs_edits_wait_and_the_window_keeps_drawing() {
    let team = Team::new();
    let ids = claims(&file::load(&team.clone_dir("ana").join("project.ron")).unwrap());
    team.ana_does(|ws| rate(ws, &ids[0], "False"));

    // In the same frame as the sync starts (work inline): the edit is refused, said why.
    let mut harness = team.dana_window(true);
    let op = rate(harness.state().workspace().unwrap(), &ids[1], "True");
    harness
        .state_mut()
        .act(Action::Command(claimdesk_core::command::Command::Sync));
    harness.state_mut().act(Action::Op {
        op: Box::new(op),
        done: None,
    });
    harness.run();
    assert!(
        notices(&harness)
            .iter()
            .any(|n| n.contains("the project is read-only until the sync finishes")),
        "{:?}",
        notices(&harness)
    );
    assert_eq!(project(&harness).claims[&ids[1]].verdict, None);
    assert_eq!(report(&harness).summary, ["Ana rated 1 claim"]);
    drop(harness);

    // On a worker thread: frames go on while git runs, and the result is taken in.
    team.ana_does(|ws| rate(ws, &ids[1], "False"));
    let mut harness = team.dana_window(false);
    harness
        .state_mut()
        .act(Action::Command(claimdesk_core::command::Command::Sync));
    harness.step();
    assert!(harness.state().is_syncing());
    // An operation that reaches the app by another way than a panel's action waits too.
    let op = rate(harness.state().workspace().unwrap(), &ids[0], "True");
    assert_eq!(harness.state_mut().run_op(op), None);
    assert!(
        notices(&harness)
            .last()
            .is_some_and(|n| n.contains("the project is read-only until the sync finishes"))
    );
    let started = std::time::Instant::now();
    let mut frames = 0;
    loop {
        harness.step();
        if !harness.state().is_syncing() {
            break;
        }
        frames += 1;
        harness.get_by_label_contains("Syncing with the team (commit, fetch, merge, push)");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "the sync never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.step();
    assert!(frames > 0, "the window drew while the sync ran");
    assert_eq!(report(&harness).summary, ["Ana rated 1 claim"]);
    assert_eq!(
        project(&harness).claims[&ids[1]].verdict.as_deref(),
        Some("False")
    );
    assert_eq!(
        project(&harness).claims[&ids[0]].verdict.as_deref(),
        Some("False"),
        "the refused rating was not applied"
    );
}

fn outside_a_repository_there_is_no_sync_button_and_the_command_says_how_to_start() {
    let sample = support::SampleCopy::new();
    let mut app = ClaimdeskApp::new(Some(sample.open()), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(30)
        .build_ui_state(|ui, app: &mut ClaimdeskApp| app.frame_ui(ui), app);
    harness.run();
    assert!(harness.query_by_label("Sync").is_none());
    act(
        &mut harness,
        Action::Command(claimdesk_core::command::Command::Sync),
    );
    harness.run();
    let last = notices(&harness).last().cloned().unwrap_or_default();
    assert!(
        last.starts_with("Sync failed:") && last.contains("git clone"),
        "{last}"
    );
    harness.get_by_label("The sync could not finish.");
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("merge") {
        return merge_driver(&args[1..]);
    }
    let config = tempfile::tempdir().unwrap();
    // Only what Claimdesk sets up, and no analyst but the ones the tests name.
    // SAFETY: the first thing `main` does, before any thread is started.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("GIT_CONFIG_GLOBAL", "/dev/null");
        std::env::set_var("GIT_CONFIG_NOSYSTEM", "1");
        std::env::set_var("GIT_TERMINAL_PROMPT", "0");
        std::env::set_var("CLAIMDESK_CONFIG_DIR", config.path());
    }
    // libtest's way: names holding a filter run, `--skip NAME` leaves some out, other
    // options are ignored.
    let mut filters = Vec::new();
    let mut skips = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--skip" => skips.extend(rest.next()),
            option if option.starts_with('-') => {}
            filter => filters.push(filter),
        }
    }
    let tests: [(&str, fn()); 4] = [
        (
            "sync_brings_in_a_teammates_rating_keeps_unsaved_work_and_reports_it",
            sync_brings_in_a_teammates_rating_keeps_unsaved_work_and_reports_it,
        ),
        (
            "a_conflict_the_driver_kept_is_reported_and_settled_with_use_theirs",
            a_conflict_the_driver_kept_is_reported_and_settled_with_use_theirs,
        ),
        (
            "while_a_sync_runs_edits_wait_and_the_window_keeps_drawing",
            while_a_sync_runs_edits_wait_and_the_window_keeps_drawing,
        ),
        (
            "outside_a_repository_there_is_no_sync_button_and_the_command_says_how_to_start",
            outside_a_repository_there_is_no_sync_button_and_the_command_says_how_to_start,
        ),
    ];
    let mut failed = Vec::new();
    let mut ran = 0;
    for (name, test) in tests {
        if (!filters.is_empty() && !filters.iter().any(|f| name.contains(f)))
            || skips.iter().any(|s| name.contains(s.as_str()))
        {
            continue;
        }
        ran += 1;
        println!("test {name} ...");
        match std::panic::catch_unwind(test) {
            Ok(()) => println!("test {name} ... ok"),
            Err(_) => {
                println!("test {name} ... FAILED");
                failed.push(name);
            }
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        ran - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
