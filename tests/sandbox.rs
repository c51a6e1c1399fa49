//! A project may read articles only inside its own folder (or folders the user allowed), however
//! the project itself is named: bare, relative, `./`, through a symlink or absolute.
//! See: issue 13 ("a project named by a bare file name can read any file on the machine").

use std::path::Path;
use std::process::Command;

/// A project whose articles try every way out of its folder, plus one honest article.
fn write_hostile_project(dir: &Path) {
    std::fs::create_dir_all(dir.join("inside")).unwrap();
    std::fs::write(
        dir.join("inside/ok.txt"),
        "The minister said the budget grew by 4% last year.\n",
    )
    .unwrap();
    // A secret next to the project folder, reachable by `../` and by a symlink.
    let secret_dir = dir.parent().unwrap().join("secret");
    std::fs::create_dir_all(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("key.txt"), "TOP-SECRET-TOKEN-1234\n").unwrap();
    std::os::unix::fs::symlink(secret_dir.join("key.txt"), dir.join("inside/link.txt")).unwrap();
    let article =
        |id: &str, path: &str| format!("        \"{id}\": (path:\"{path}\",hash:\"\",meta:()),\n");
    let mut articles = String::new();
    articles += &article("ok", "inside/ok.txt");
    articles += &article("passwd", "/etc/passwd");
    articles += &article("environ", "/proc/self/environ");
    articles += &article("dotdot", "../secret/key.txt");
    articles += &article("link", "inside/link.txt");
    let text = format!(
        "(\n    format_version: 1,\n    name: \"evil\",\n    rating_scale: [],\n    articles: {{\n{articles}    }},\n    claims: {{}},\n    entities: {{}},\n    mentions: {{}},\n    evidence: {{}},\n    dismissed: [],\n)\n"
    );
    std::fs::write(dir.join("evil.ron"), text).unwrap();
}

fn claimdesk(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap()
}

fn assert_only_the_honest_article_is_read(cwd: &Path, project_arg: &str, out_dir: &Path) {
    let check = claimdesk(cwd, &["check", project_arg]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "check {project_arg}: {check:?}");
    assert!(
        stdout.contains("articles=5") && stdout.contains("missing_articles=4"),
        "check {project_arg} read files outside its folder: {stdout}"
    );
    let report = out_dir.join(format!("report-{}.md", project_arg.replace('/', "_")));
    let export = claimdesk(
        cwd,
        &[
            "export",
            project_arg,
            "--format",
            "md",
            "-o",
            report.to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "export {project_arg}: {export:?}");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(
        text.contains("budget grew"),
        "the honest article is exported"
    );
    for leaked in ["root:", "TOP-SECRET", "PATH="] {
        assert!(
            !text.contains(leaked),
            "export of {project_arg} leaked {leaked:?} from outside the project folder"
        );
    }
}

#[test]
fn outside_reads_are_refused_for_every_way_of_naming_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("folder");
    write_hostile_project(&folder);
    let out_dir = tmp.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    // Bare, `./`, relative from the parent, absolute.
    assert_only_the_honest_article_is_read(&folder, "evil.ron", &out_dir);
    assert_only_the_honest_article_is_read(&folder, "./evil.ron", &out_dir);
    assert_only_the_honest_article_is_read(tmp.path(), "folder/evil.ron", &out_dir);
    let absolute = folder.join("evil.ron");
    assert_only_the_honest_article_is_read(tmp.path(), absolute.to_str().unwrap(), &out_dir);
    // Through a symlink placed elsewhere: the project's real folder bounds it, not the link's.
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&absolute, elsewhere.join("linked.ron")).unwrap();
    assert_only_the_honest_article_is_read(&elsewhere, "linked.ron", &out_dir);
}

#[test]
fn the_refusal_says_why_and_how_to_allow_it() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("folder");
    write_hostile_project(&folder);
    let check = claimdesk(&folder, &["check", "evil.ron"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("4 article(s) could not be read"),
        "{stderr}"
    );
    assert!(stderr.contains("outside the project folder"), "{stderr}");
    assert!(stderr.contains("--allow-outside"), "{stderr}");
}

#[test]
fn a_new_project_named_bare_stores_relative_paths_and_survives_a_move() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("work");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("a.txt"),
        "The minister said unemployment fell to 5% in May.\n",
    )
    .unwrap();
    let made = claimdesk(&folder, &["new", "p.ron", "a.txt"]);
    assert!(made.status.success(), "{made:?}");
    let text = std::fs::read_to_string(folder.join("p.ron")).unwrap();
    assert!(text.contains("path:\"a.txt\""), "stored path: {text}");
    let moved = tmp.path().join("moved");
    std::fs::rename(&folder, &moved).unwrap();
    let check = claimdesk(&moved, &["check", "p.ron"]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("missing_articles=0"), "{stdout} {check:?}");
}

#[test]
fn saving_through_a_symlinked_project_updates_its_target_and_keeps_the_link() {
    use claimdesk::workspace::{OpenOptions, Workspace};
    let tmp = tempfile::tempdir().unwrap();
    let real_dir = tmp.path().join("real");
    std::fs::create_dir_all(&real_dir).unwrap();
    std::fs::write(
        real_dir.join("a.txt"),
        "Exports rose 3% in June, officials said.\n",
    )
    .unwrap();
    let made = claimdesk(&real_dir, &["new", "p.ron", "a.txt"]);
    assert!(made.status.success(), "{made:?}");
    let link = tmp.path().join("link.ron");
    std::os::unix::fs::symlink(real_dir.join("p.ron"), &link).unwrap();

    let mut ws = Workspace::open(&link, &OpenOptions::default()).unwrap();
    assert!(ws.read_only_reason().is_none());
    assert!(
        ws.article("a.txt").is_some(),
        "article beside the target is read"
    );
    ws.apply(
        "rename project",
        claimdesk::project::Edit::SetName {
            name: "renamed through the link".into(),
        },
    )
    .unwrap();
    ws.save().unwrap();
    drop(ws);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let target = std::fs::read_to_string(real_dir.join("p.ron")).unwrap();
    assert!(target.contains("renamed through the link"), "{target}");
    assert!(
        !tmp.path().join("link.ron.lock").exists(),
        "the lock is taken on the real project, not on the link's name"
    );
}
