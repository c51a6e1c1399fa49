//! `claimdesk sync`: two analysts on clones of one bare repository (local, no network). Each
//! clone has its own user.name; git's global and system config are kept out, so the tests see
//! only what Claimdesk sets up. The merge driver is this test's binary (`claimdesk sync` points
//! the driver line at the program that runs it).

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use claimdesk_core::project::{Project, file};

const BIN: &str = env!("CARGO_BIN_EXE_claimdesk");

struct Team {
    dir: tempfile::TempDir,
}

fn hermetic(cmd: &mut Command, config: &Path) {
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("CLAIMDESK_CONFIG_DIR", config)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
}

impl Team {
    /// A bare repository `remote.git` and Ana's clone holding a project over two sample
    /// articles with two claims, synced once (which also pushes the branch).
    fn new() -> Self {
        let team = Team {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(team.config()).unwrap();
        team.git(
            team.dir.path(),
            &["init", "-q", "--bare", "-b", "main", "remote.git"],
        );
        let ana = team.clone_as("ana");
        let articles = ana.join("articles");
        std::fs::create_dir(&articles).unwrap();
        for name in ["000_164a3089b8e03eed.txt", "002_422bb6ef6b69d9a6.txt"] {
            std::fs::copy(
                support::repo().join("assets/corpus").join(name),
                articles.join(name),
            )
            .unwrap();
        }
        team.ok(
            &ana,
            &["new", "project.ron", "articles", "--name", "Team check"],
        );
        for (start, end) in [(0, 40), (200, 260)] {
            team.ok(
                &ana,
                &[
                    "claim",
                    "add",
                    "project.ron",
                    "--article",
                    "000_164a3089b8e03eed.txt",
                    "--start",
                    &start.to_string(),
                    "--end",
                    &end.to_string(),
                ],
            );
        }
        let report = team.sync(&ana);
        assert_eq!(report["merged"], "new-branch", "{report:#}");
        assert_eq!(report["pushed"], true);
        team
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(dir);
        hermetic(&mut cmd, &self.config());
        let out = cmd.output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A clone of the team's repository for `who`, with their name and e-mail.
    fn clone_as(&self, who: &str) -> PathBuf {
        self.git(
            self.dir.path(),
            &[
                "-c",
                "init.defaultBranch=main",
                "clone",
                "-q",
                "remote.git",
                who,
            ],
        );
        let dir = self.dir.path().join(who);
        let name = format!("{}{}", who[..1].to_uppercase(), &who[1..]);
        self.git(&dir, &["config", "user.name", &name]);
        self.git(
            &dir,
            &["config", "user.email", &format!("{who}@example.org")],
        );
        dir
    }

    /// Each clone's analyst has a settings folder of their own.
    fn claimdesk(&self, dir: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(dir);
        let who = dir.file_name().unwrap().to_string_lossy();
        hermetic(&mut cmd, &self.dir.path().join(format!("config-{who}")));
        cmd.output().expect("claimdesk runs")
    }

    fn ok(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.claimdesk(dir, args);
        assert!(
            out.status.success(),
            "claimdesk {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn sync(&self, dir: &Path) -> serde_json::Value {
        serde_json::from_str(&self.ok(dir, &["sync", "project.ron", "--json"])).unwrap()
    }

    fn project(&self, dir: &Path) -> Project {
        file::load(&dir.join("project.ron")).unwrap()
    }
}

/// The claims of a project in id order.
fn claim_ids(project: &Project) -> Vec<String> {
    project.claims.keys().cloned().collect()
}

fn summary(report: &serde_json::Value) -> Vec<String> {
    report["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn no_driver_fallback(report: &serde_json::Value) {
    let notices = report["notices"].to_string();
    assert!(
        !notices.contains("driver did not"),
        "git should have merged with Claimdesk's driver: {notices}"
    );
}

#[test]
fn parallel_edits_to_different_claims_merge_cleanly() {
    let team = Team::new();
    let ana = team.dir.path().join("ana");
    let dana = team.clone_as("dana");
    // The first sync set the repository up: attributes committed, driver line in the clone.
    assert!(support::read(&dana.join(".gitattributes")).contains("*.ron merge=claimdesk"));
    let claims = claim_ids(&team.project(&ana));
    // Dana said who she is to Claimdesk; Ana did not (her git name stands in).
    team.ok(
        &dana,
        &[
            "config",
            "--name",
            "Dana Reyes",
            "--email",
            "dana.reyes@example.org",
        ],
    );
    team.ok(
        &ana,
        &[
            "claim",
            "set",
            "project.ron",
            &claims[0],
            "--verdict",
            "false",
        ],
    );
    team.ok(
        &dana,
        &[
            "claim",
            "set",
            "project.ron",
            &claims[1],
            "--verdict",
            "misleading",
        ],
    );
    team.ok(
        &dana,
        &[
            "claim",
            "set",
            "project.ron",
            &claims[0],
            "--note",
            "Checked the transcript.",
        ],
    );

    let first = team.sync(&ana);
    assert_eq!(first["merged"], "up-to-date", "{first:#}");
    let second = team.sync(&dana);
    assert_eq!(second["merged"], "merged", "{second:#}");
    assert_eq!(summary(&second), ["Ana rated 1 claim"]);
    assert!(
        second["conflicts"].as_array().unwrap().is_empty(),
        "{second:#}"
    );
    no_driver_fallback(&second);
    assert!(
        team.git(&dana, &["config", "merge.claimdesk.driver"])
            .contains(" merge %O %A %B"),
        "the sync configured the driver in this clone"
    );
    let merged = team.project(&dana);
    assert_eq!(merged.claims[&claims[0]].verdict.as_deref(), Some("False"));
    assert_eq!(merged.claims[&claims[0]].note, "Checked the transcript.");
    assert_eq!(
        merged.claims[&claims[1]].verdict.as_deref(),
        Some("Misleading")
    );

    let third = team.sync(&ana);
    assert_eq!(third["merged"], "fast-forward");
    // Who is read from the records Dana signed, and her commits carry that name.
    assert_eq!(
        summary(&third),
        ["Dana Reyes rated 1 claim, edited 1 claim"]
    );
    let author = team.git(
        &ana,
        &[
            "log",
            "-1",
            "--no-merges",
            "--format=%an <%ae>",
            "origin/main",
        ],
    );
    assert_eq!(author, "Dana Reyes <dana.reyes@example.org>");
    let message = team.git(
        &ana,
        &["log", "-1", "--no-merges", "--format=%s", "origin/main"],
    );
    assert_eq!(
        message,
        "Claimdesk: Dana Reyes rated 1 claim, edited 1 claim"
    );
    assert_eq!(team.project(&ana), merged);
    // Nothing is left behind: both clones clean, the lock and journal ignored.
    for clone in [&ana, &dana] {
        assert_eq!(team.git(clone, &["status", "--porcelain"]), "");
    }
}

#[test]
fn the_same_verdict_changed_on_both_sides_is_kept_as_a_conflict_to_resolve() {
    let team = Team::new();
    let ana = team.dir.path().join("ana");
    let dana = team.clone_as("dana");
    let claim = claim_ids(&team.project(&ana))[0].clone();
    team.ok(
        &ana,
        &["claim", "set", "project.ron", &claim, "--verdict", "false"],
    );
    team.ok(
        &dana,
        &[
            "claim",
            "set",
            "project.ron",
            &claim,
            "--verdict",
            "mostly true",
        ],
    );
    team.sync(&ana);
    let report = team.sync(&dana);
    let conflicts = report["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{report:#}");
    assert_eq!(conflicts[0]["claim"], claim.as_str());
    assert_eq!(conflicts[0]["field"], "verdict");
    assert_eq!(conflicts[0]["ours"], "Mostly true");
    assert_eq!(conflicts[0]["theirs"], "False");
    // The text report says how to resolve it.
    let listed = team.ok(&dana, &["claim", "list", "project.ron", "--json"]);
    assert!(listed.contains("\"theirs\": \"False\""), "{listed}");
    // The merge is committed and pushed with the conflict inside the project file.
    assert_eq!(team.git(&dana, &["status", "--porcelain"]), "");
    assert_eq!(report["pushed"], true);

    team.ok(
        &dana,
        &[
            "claim",
            "resolve",
            "project.ron",
            &claim,
            "--field",
            "verdict",
            "--keep",
            "theirs",
        ],
    );
    let resolved = team.project(&dana);
    assert_eq!(resolved.claims[&claim].verdict.as_deref(), Some("False"));
    assert!(resolved.claims[&claim].conflicts.is_empty());
    team.sync(&dana);
    team.sync(&ana);
    let ana_project = team.project(&ana);
    assert_eq!(ana_project.claims[&claim].verdict.as_deref(), Some("False"));
    assert!(ana_project.claims[&claim].conflicts.is_empty());
}

#[test]
fn an_article_added_on_both_sides_is_not_doubled() {
    use claimdesk_core::corpus::{ImportLimits, import_file};
    use claimdesk_core::workspace::{OpenOptions, Workspace};
    let team = Team::new();
    let ana = team.dir.path().join("ana");
    let dana = team.clone_as("dana");
    let name = "003_e0f09e3576302cfd.txt";
    for clone in [&ana, &dana] {
        let target = clone.join("articles").join(name);
        std::fs::copy(support::repo().join("assets/corpus").join(name), &target).unwrap();
        let mut ws = Workspace::open(&clone.join("project.ron"), &OpenOptions::default()).unwrap();
        let article = import_file(&target, &ImportLimits::default()).unwrap();
        assert_eq!(ws.add_articles(vec![article]).unwrap(), 1);
        ws.save().unwrap();
    }
    // Dana also marks a claim in it before syncing.
    team.ok(
        &dana,
        &[
            "claim",
            "add",
            "project.ron",
            "--article",
            name,
            "--start",
            "0",
            "--end",
            "30",
        ],
    );
    let ana_report = team.sync(&ana);
    assert!(ana_report["committed"].is_string());
    let report = team.sync(&dana);
    let merged = team.project(&dana);
    assert_eq!(merged.articles.len(), 3, "{:?}", merged.articles.keys());
    assert_eq!(
        merged
            .articles
            .values()
            .filter(|a| a.path.ends_with(name))
            .count(),
        1
    );
    assert!(merged.claims.values().any(|c| c.article == name));
    assert!(
        !report["notices"].to_string().contains("same text"),
        "{report:#}"
    );
    team.sync(&ana);
    assert_eq!(team.project(&ana).articles.len(), 3);
    let checked = team.ok(&ana, &["check", "project.ron"]);
    assert!(
        checked.contains("articles=3") && checked.contains("orphans=0"),
        "{checked}"
    );
}

#[test]
fn a_merge_left_half_done_is_finished_by_the_next_sync() {
    let team = Team::new();
    let ana = team.dir.path().join("ana");
    let dana = team.clone_as("dana");
    let claims = claim_ids(&team.project(&ana));
    team.ok(
        &ana,
        &[
            "claim",
            "set",
            "project.ron",
            &claims[0],
            "--verdict",
            "false",
        ],
    );
    team.sync(&ana);
    team.ok(
        &dana,
        &[
            "claim",
            "set",
            "project.ron",
            &claims[0],
            "--verdict",
            "true",
        ],
    );
    team.sync(&dana); // sets the driver up, merges (with a conflict), pushes
    team.ok(
        &ana,
        &[
            "claim",
            "set",
            "project.ron",
            &claims[1],
            "--verdict",
            "half true",
        ],
    );
    team.sync(&ana);
    // Dana starts a merge by hand and walks away: the driver keeps a conflict, so git stops.
    team.ok(
        &dana,
        &[
            "claim",
            "set",
            "project.ron",
            &claims[1],
            "--verdict",
            "mostly false",
        ],
    );
    team.git(&dana, &["commit", "-qam", "by hand"]);
    team.git(&dana, &["fetch", "-q"]);
    let mut merge = Command::new("git");
    merge.args(["merge", "origin/main"]).current_dir(&dana);
    hermetic(&mut merge, &team.config());
    assert!(
        !merge.output().unwrap().status.success(),
        "the merge stops on the conflict"
    );
    assert!(dana.join(".git/MERGE_HEAD").exists());
    // The half-done merge still left a project that loads, with both values.
    assert_eq!(team.project(&dana).claims[&claims[1]].conflicts.len(), 1);

    let report = team.sync(&dana);
    assert!(
        report["notices"].to_string().contains("finished a merge"),
        "{report:#}"
    );
    assert!(!dana.join(".git/MERGE_HEAD").exists());
    assert_eq!(team.git(&dana, &["status", "--porcelain"]), "");
    team.sync(&ana);
    assert_eq!(team.project(&ana).claims[&claims[1]].conflicts.len(), 1);
}

/// Waits until no process works in `dir` any more: a killed sync's git child (a merge running
/// the driver, a push) goes on by itself and must finish before the repository is inspected.
fn wait_for_git(dir: &Path) {
    let dir = dir.canonicalize().unwrap();
    let start = Instant::now();
    let busy = || {
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .any(|entry| {
                entry.file_name().to_str().is_some_and(|pid| {
                    pid.parse::<u32>()
                        .is_ok_and(|pid| pid != std::process::id())
                }) && std::fs::read_link(entry.path().join("cwd"))
                    .is_ok_and(|cwd| cwd.starts_with(&dir))
            })
    };
    if !Path::new("/proc/self/cwd").exists() {
        std::thread::sleep(Duration::from_millis(500));
        return;
    }
    while busy() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Each round kills a sync at a later point. Git's children must finish what they started: a
/// merge git was killed in (by a broken output pipe) left the merged file in the work tree,
/// which the next sync committed as Dana's own edit, so the final merge kept the older verdict
/// as a conflict — hence the check on conflicts below.
#[test]
fn a_sync_killed_midway_leaves_the_repository_and_the_project_loadable() {
    let team = Team::new();
    let ana = team.dir.path().join("ana");
    let dana = team.clone_as("dana");
    let claims = claim_ids(&team.project(&ana));
    let verdicts = [
        "False",
        "True",
        "Misleading",
        "Half true",
        "Mostly false",
        "Unverifiable",
    ];
    for (round, delay_ms) in [0u64, 15, 40, 80, 150, 300].into_iter().enumerate() {
        // Something comes in and something goes out each round.
        team.ok(
            &ana,
            &[
                "claim",
                "set",
                "project.ron",
                &claims[0],
                "--verdict",
                verdicts[round],
            ],
        );
        team.sync(&ana);
        team.ok(
            &dana,
            &[
                "claim",
                "set",
                "project.ron",
                &claims[1],
                "--note",
                &format!("round {round}"),
            ],
        );
        let mut cmd = Command::new(BIN);
        cmd.args(["sync", "project.ron"])
            .current_dir(&dana)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        hermetic(&mut cmd, &team.config());
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().ok();
        child.wait().unwrap();
        wait_for_git(&dana);
        // git can work with the repository, and the project loads.
        team.git(&dana, &["status", "--porcelain"]);
        team.git(&dana, &["fsck", "--no-progress", "--connectivity-only"]);
        let checked = team.claimdesk(&dana, &["check", "project.ron"]);
        assert!(
            checked.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
    // A sync that runs to the end brings both sides together.
    team.sync(&dana);
    team.sync(&ana);
    for clone in [&ana, &dana] {
        let project = team.project(clone);
        assert_eq!(
            project.claims[&claims[0]].verdict.as_deref(),
            Some("Unverifiable")
        );
        assert_eq!(project.claims[&claims[1]].note, "round 5");
        assert!(
            project.claims[&claims[0]].conflicts.is_empty(),
            "nobody but Ana rated this claim: {:?}",
            project.claims[&claims[0]].conflicts
        );
        assert_eq!(team.git(clone, &["status", "--porcelain"]), "");
    }
}

#[test]
fn sync_outside_a_repository_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::copy(
        support::repo().join("assets/corpus/000_164a3089b8e03eed.txt"),
        articles.join("a.txt"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(dir.path());
        hermetic(&mut cmd, &config);
        // A temp dir may sit inside some repository; stop git's search at the temp dir.
        cmd.env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap());
        cmd.output().unwrap()
    };
    assert!(run(&["new", "p.ron", "articles"]).status.success());
    let out = run(&["sync", "p.ron"]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("not inside a git repository"), "{message}");
    assert!(message.contains("git clone"), "{message}");
}

/// The GUI's way: the core call on an open workspace saves it, syncs, and reloads it with what
/// came in, still holding the project (not read-only).
#[test]
fn syncing_an_open_workspace_reloads_it_with_what_came_in() {
    use claimdesk_core::sync::{self, SyncOptions};
    use claimdesk_core::workspace::{OpenOptions, Workspace};
    let team = Team::new();
    let ana = team.dir.path().join("ana");
    let dana = team.clone_as("dana");
    let claims = claim_ids(&team.project(&ana));
    team.ok(
        &ana,
        &[
            "claim",
            "set",
            "project.ron",
            &claims[0],
            "--verdict",
            "false",
        ],
    );
    team.sync(&ana);
    // The core's git calls run in this process's environment (the user's global git config,
    // if any, applies); the identity is given explicitly.
    let mut ws = Workspace::open(&dana.join("project.ron"), &OpenOptions::default()).unwrap();
    let op = claimdesk_core::ops::set_claim(
        &ws,
        &claims[1],
        claimdesk_core::ops::ClaimChange {
            note: Some("unsaved when the sync starts".into()),
            ..Default::default()
        },
    )
    .unwrap();
    ws.run(op).unwrap();
    let options = SyncOptions {
        driver: Some(PathBuf::from(BIN)),
        analyst: Some(claimdesk_core::settings::Analyst::new("Dana", "dana@example.org").unwrap()),
        ..SyncOptions::default()
    };
    let report = sync::sync(&mut ws, &options).unwrap();
    assert_eq!(
        report.summary,
        ["Ana rated 1 claim"],
        "{:?}",
        report.lines()
    );
    assert!(ws.read_only_reason().is_none(), "the lock is held again");
    assert!(!ws.is_dirty());
    assert_eq!(
        ws.project().claims[&claims[0]].verdict.as_deref(),
        Some("False")
    );
    assert_eq!(
        ws.project().claims[&claims[1]].note,
        "unsaved when the sync starts"
    );
    let pushed = team.git(
        &dana,
        &["log", "-1", "--no-merges", "--format=%an", "origin/main"],
    );
    assert_eq!(pushed, "Dana");
}
