//! Archives: `analyze --jsonl` (streamed, `--files-from -`) and `new --from-analysis --select`.

use crate::support;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_claimdesk");

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// A copy of the sample corpus in a temp dir (the projects made from it stay inside).
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(support::repo().join("assets/corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
    }
    dir
}

#[test]
fn jsonl_streams_the_objects_json_prints_one_per_line() {
    let dir = corpus();
    let json = run(dir.path(), &["analyze", "corpus", "--json"], None);
    assert!(json.status.success());
    let array: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    let jsonl = run(dir.path(), &["analyze", "corpus", "--jsonl"], None);
    assert!(jsonl.status.success());
    let streamed = lines(&jsonl);
    assert_eq!(streamed.len(), 5);
    assert_eq!(
        streamed, array,
        "the same objects, with the same fields and values"
    );
    assert!(
        streamed
            .iter()
            .all(|a| !a["claims"].as_array().unwrap().is_empty())
    );
}

#[test]
fn a_file_list_on_stdin_keeps_its_order_and_names_the_files_it_skips() {
    let dir = corpus();
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("corpus"))
        .unwrap()
        .map(|e| format!("corpus/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    names.sort();
    names.reverse();
    // A copy of an article under a name with a space: files are not deduplicated by --jsonl.
    std::fs::copy(
        dir.path().join("corpus/000_164a3089b8e03eed.txt"),
        dir.path().join("with space.txt"),
    )
    .unwrap();
    let mut list = names.join("\n");
    list.push_str("\nmissing.txt\n\nwith space.txt\r\n");
    let out = run(
        dir.path(),
        &["analyze", "--jsonl", "--files-from", "-", "--threads", "3"],
        Some(&list),
    );
    assert!(out.status.success());
    let paths: Vec<String> = lines(&out)
        .iter()
        .map(|a| a["path"].as_str().unwrap().to_string())
        .collect();
    let mut expected = names.clone();
    expected.push("with space.txt".into());
    assert_eq!(paths, expected);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("skipped missing.txt"), "{stderr}");
    assert!(
        stderr.contains("analysed 6 article(s), skipped 1"),
        "{stderr}"
    );
}

/// Articles of an analysis with a check-worthy claim holding an entity named like `name`,
/// worked out here from the JSON itself.
fn with_entity_in_a_claim(analysis: &[serde_json::Value], name: &str) -> BTreeSet<String> {
    analysis
        .iter()
        .filter(|a| {
            let claims = a["claims"].as_array().unwrap();
            a["entities"].as_array().unwrap().iter().any(|e| {
                e["text"].as_str().unwrap().contains(name)
                    && claims.iter().any(|c| {
                        c["start"].as_u64() <= e["start"].as_u64()
                            && e["end"].as_u64() <= c["end"].as_u64()
                    })
            })
        })
        .map(|a| {
            Path::new(a["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn a_project_opens_the_articles_an_analysis_selects() {
    let dir = corpus();
    let out = run(dir.path(), &["analyze", "corpus", "--jsonl"], None);
    std::fs::write(dir.path().join("result.jsonl"), &out.stdout).unwrap();
    let analysis = lines(&out);
    let expected = with_entity_in_a_claim(&analysis, "Lavrov");
    assert!(
        !expected.is_empty() && expected.len() < analysis.len(),
        "{expected:?}"
    );

    let made = run(
        dir.path(),
        &[
            "new",
            "lavrov.ron",
            "--from-analysis",
            "result.jsonl",
            "--select",
            "entity:Lavrov",
        ],
        None,
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let project = claimdesk_core::project::file::load(&dir.path().join("lavrov.ron")).unwrap();
    let ids: BTreeSet<String> = project.articles.keys().cloned().collect();
    assert_eq!(ids, expected);
    let checked = run(dir.path(), &["check", "lavrov.ron"], None);
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains(&format!("articles={}", expected.len()))
    );

    // Spark's output: a folder of part files beside its bookkeeping.
    let spark = dir.path().join("spark-out");
    std::fs::create_dir(&spark).unwrap();
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let (first, rest) = text.split_at(text.find('\n').unwrap() + 1);
    std::fs::write(spark.join("part-00000"), first).unwrap();
    std::fs::write(spark.join("part-00001"), rest).unwrap();
    std::fs::write(spark.join("_SUCCESS"), "").unwrap();
    std::fs::write(spark.join(".part-00000.crc"), "junk").unwrap();
    let made = run(
        dir.path(),
        &[
            "new",
            "spark.ron",
            "--from-analysis",
            "spark-out",
            "--select",
            "entity:Lavrov claims>=1",
        ],
        None,
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let project = claimdesk_core::project::file::load(&dir.path().join("spark.ron")).unwrap();
    assert_eq!(
        project.articles.keys().cloned().collect::<BTreeSet<_>>(),
        expected
    );

    // Nothing matches: exit 1 and no file; a bad query: exit 2 and what is wrong.
    let none = run(
        dir.path(),
        &[
            "new",
            "none.ron",
            "--from-analysis",
            "result.jsonl",
            "--select",
            "claims>=10000",
        ],
        None,
    );
    assert_eq!(none.status.code(), Some(1));
    assert!(!dir.path().join("none.ron").exists());
    let bad = run(
        dir.path(),
        &[
            "new",
            "bad.ron",
            "--from-analysis",
            "result.jsonl",
            "--select",
            "colour:red",
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a field"));
}
