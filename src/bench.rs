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
        "search" => search(size.unwrap_or(100)),
        "frame" => bail!("the frame benchmark needs the GUI build (the default features)"),
        "crossref" => crossref(),
        other => bail!("unknown benchmark “{other}”; try: analyze, project, search, frame, crossref"),
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
    let words_per_pass: usize = articles
        .iter()
        .map(|a| a.text.split_whitespace().count())
        .sum();
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

/// Cross-article linking over the whole bench corpus (analysis not timed).
fn crossref() {
    let articles = bench_corpus();
    let known = KnownNames::default();
    let analyses: Vec<_> = articles.iter().map(|a| analysis::analyze(a, &known)).collect();
    let input: Vec<_> = articles.iter().zip(&analyses).map(|(a, an)| (&a.id, a, an)).collect();
    let start = Instant::now();
    let links = analysis::crossref::link(&input);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "crossref: articles={} seconds={:.2} same_claims={} events={} conflicts={} threads=1",
        articles.len(),
        secs,
        links.same_claims.len(),
        links.events.len(),
        links.conflicts.len()
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
                note: "Matches the 2020 State Department report; \"roughly\" in other sources."
                    .into(),
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

/// Queries over a corpus of about `megabytes` MB (the real articles repeated).
fn search(megabytes: usize) {
    use std::sync::Arc;
    let base = bench_corpus();
    let mut articles: Vec<Arc<Article>> = Vec::new();
    let mut bytes = 0usize;
    let mut copy = 0;
    while bytes < megabytes * 1_000_000 {
        for a in &base {
            let mut article = Article::from_text(&format!("{copy}-{}", a.id), &a.text);
            article.path = a.path.clone();
            bytes += article.text.len();
            articles.push(Arc::new(article));
        }
        copy += 1;
    }
    let queries = [
        ("word", "Lavrov", false),
        ("phrase", "more than 200 hostages", false),
        ("money", "$100 million", false),
        ("common", "the", false),
        ("regex", r"Bagheri K(h)?ani", true),
        ("regex-figures", r"\$\d+(\.\d+)? (million|billion)", true),
        ("absent", "zyzzyva quetzal", false),
    ];
    let mut all = Vec::new();
    for (name, query, regex) in queries {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let result = crate::search::search(&articles, query, regex).unwrap_or_default();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            total = result.total;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "  {name:<14} {query:<32} matches={total:<8} median_ms={:.1}",
            times[2]
        );
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "search: corpus_mb={:.0} articles={} queries={} median_ms={:.1} worst_ms={:.1}",
        bytes as f64 / 1e6,
        articles.len(),
        queries.len(),
        all[all.len() / 2],
        all.last().copied().unwrap_or(0.0)
    );
}
