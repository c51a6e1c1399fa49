//! The command line: the same core as the GUI, headless, for scripts and tests.
//!
//! Output shapes (`analyze --json`, `import --json`, `score-claims`, `check`, `merge`) are
//! contracts used by scripts outside the crate: extend them only by adding fields.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::analysis::{self, KnownNames};
use crate::corpus::{self, ImportLimits};
use crate::report;
use crate::workspace::{OpenOptions, Workspace};

#[derive(Parser, Debug)]
#[command(name = "claimdesk", version, about = "A workbench for fact-checkers: read a corpus, mark and rate claims, export reports.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the GUI on a project file or a folder of articles.
    Open {
        path: PathBuf,
        /// Let the project read articles from this folder outside its own (repeatable).
        #[arg(long = "allow-outside", value_name = "DIR")]
        allow_outside: Vec<PathBuf>,
    },
    /// Analyse articles (files or folders) and print claims and entities.
    Analyze {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON array, an object per article.
        #[arg(long)]
        json: bool,
    },
    /// Import a folder and print the per-file import report.
    Import {
        folder: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Export a project (or a folder of articles, with automatic suggestions).
    Export {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "html")]
        format: ExportFormat,
        #[arg(short, long)]
        out: PathBuf,
        #[arg(long = "allow-outside", value_name = "DIR")]
        allow_outside: Vec<PathBuf>,
    },
    /// Create a project file over articles (files or folders).
    New {
        project: PathBuf,
        #[arg(required = true)]
        articles: Vec<PathBuf>,
        /// Project name shown in reports.
        #[arg(long)]
        name: Option<String>,
    },
    /// Check that a project loads; print its counts. Changes no file.
    Check {
        project: PathBuf,
        #[arg(long = "allow-outside", value_name = "DIR")]
        allow_outside: Vec<PathBuf>,
    },
    /// Score sentences (one per line) for check-worthiness: `score<TAB>claim|other`.
    ScoreClaims { file: PathBuf },
    /// Score entity detection on a CoNLL-2003 file (span F1 for PER/ORG/LOC).
    EvalNer {
        file: PathBuf,
        /// A model file to use instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Train the name tagger on a CoNLL-2003 file and write the model (see ner_train.rs).
    #[command(hide = true)]
    TrainNer {
        train: PathBuf,
        /// Report scores on this file after training.
        #[arg(long)]
        dev: Option<PathBuf>,
        #[arg(long, default_value = "assets/models/ner.bin")]
        out: PathBuf,
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        #[arg(long, default_value_t = 18)]
        bits: u32,
    },
    /// Run a named benchmark and print its figures (analyze, project, …).
    Bench {
        name: String,
        /// Scale factor for generated data.
        #[arg(long)]
        size: Option<usize>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Html,
}

/// Runs a headless command. Returns the process exit code.
pub fn run(command: Command) -> Result<i32> {
    match command {
        Command::Open { .. } => bail!("`open` needs the GUI; this build has no `gui` feature"),
        Command::Analyze { paths, json } => analyze(&paths, json),
        Command::Import { folder, json } => import(&folder, json),
        Command::Export {
            project,
            format,
            out,
            allow_outside,
        } => export(&project, format, &out, allow_outside),
        Command::Check {
            project,
            allow_outside,
        } => check(&project, allow_outside),
        Command::ScoreClaims { file } => score_claims(&file),
        Command::New {
            project,
            articles,
            name,
        } => new_project(&project, &articles, name),
        Command::Bench { name, size } => crate::bench::run(&name, size),
        Command::EvalNer { file, model } => eval_ner(&file, model.as_deref()),
        Command::TrainNer {
            train,
            dev,
            out,
            epochs,
            bits,
        } => train_ner(&train, dev.as_deref(), &out, epochs, bits),
    }
}

fn eval_ner(file: &Path, model: Option<&Path>) -> Result<i32> {
    use crate::analysis::{ner_model, ner_train};
    let docs = ner_train::read_conll(file)?;
    let loaded = match model {
        Some(path) => Some(
            ner_model::Model::from_bytes(&std::fs::read(path)?).map_err(anyhow::Error::msg)?,
        ),
        None => None,
    };
    let model = loaded.as_ref().or(ner_model::MODEL.as_ref());
    let start = std::time::Instant::now();
    let report = ner_train::evaluate(&docs, model);
    println!("{}", report.render());
    println!(
        "words_per_s={:.0} (full entities::find, one thread)",
        report.words as f64 / start.elapsed().as_secs_f64()
    );
    Ok(0)
}

fn train_ner(train: &Path, dev: Option<&Path>, out: &Path, epochs: usize, bits: u32) -> Result<i32> {
    use crate::analysis::{ner_model, ner_train};
    let docs = ner_train::read_conll(train)?;
    let options = ner_train::TrainOptions {
        bits,
        epochs,
        ..Default::default()
    };
    let weights = ner_train::train(&docs, &options, &mut |line| eprintln!("{line}"));
    let bytes = ner_model::Model::encode(bits, &weights);
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({:.2} MB)", out.display(), bytes.len() as f64 / 1e6);
    if let Some(dev) = dev {
        let model = ner_model::Model::from_bytes(&bytes).map_err(anyhow::Error::msg)?;
        let report = ner_train::evaluate(&ner_train::read_conll(dev)?, Some(&model));
        println!("{}", report.render());
    }
    Ok(0)
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    score: f32,
    claimant: Option<&'a str>,
    reasons: &'a [String],
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct JsonRemoved<'a> {
    at: usize,
    text: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonArticle<'a> {
    path: String,
    title: Option<&'a str>,
    source: Option<&'a str>,
    date: Option<&'a str>,
    byline: Option<&'a str>,
    url: Option<&'a str>,
    format: &'a str,
    encoding: &'a str,
    text: &'a str,
    claims: Vec<JsonClaim<'a>>,
    entities: Vec<JsonEntity<'a>>,
    removed: Vec<JsonRemoved<'a>>,
}

fn analyze(paths: &[PathBuf], json: bool) -> Result<i32> {
    let (articles, reports) = corpus::import_paths(paths, &ImportLimits::default(), |_, _| true);
    for skipped in reports.iter().filter(|r| r.status == corpus::ImportStatus::Skipped) {
        eprintln!(
            "claimdesk: skipped {}: {}",
            skipped.path,
            skipped.reason.as_deref().unwrap_or("unreadable")
        );
    }
    if articles.is_empty() && reports.iter().all(|r| r.status == corpus::ImportStatus::Skipped) && !reports.is_empty() {
        eprintln!("claimdesk: no article could be read");
    }
    let known = KnownNames::default();
    let analyses: Vec<_> = articles
        .iter()
        .map(|a| analysis::analyze(a, &known))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let items: Vec<JsonArticle> = articles
            .iter()
            .zip(&analyses)
            .map(|(article, analysis)| JsonArticle {
                path: article.path.display().to_string(),
                title: article.meta.title.as_deref(),
                source: article.meta.source.as_deref(),
                date: article.meta.date.as_deref(),
                byline: article.meta.byline.as_deref(),
                url: article.meta.url.as_deref(),
                format: &article.format,
                encoding: &article.encoding,
                text: &article.text,
                claims: analysis
                    .check_worthy()
                    .map(|c| JsonClaim {
                        start: c.span.start,
                        end: c.span.end,
                        text: &c.text,
                        score: (c.score * 1000.0).round() / 1000.0,
                        claimant: c.claimant.as_deref(),
                        reasons: &c.reasons,
                    })
                    .collect(),
                entities: analysis
                    .entities
                    .iter()
                    .map(|e| JsonEntity {
                        start: e.span.start,
                        end: e.span.end,
                        text: &e.text,
                        kind: e.kind.label(),
                    })
                    .collect(),
                removed: article
                    .removed
                    .iter()
                    .map(|r| JsonRemoved {
                        at: r.at,
                        text: &r.text,
                        reason: &r.reason,
                    })
                    .collect(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
    } else {
        for (article, analysis) in articles.iter().zip(&analyses) {
            writeln!(out, "== {} ({})", article.display_title(), article.path.display())?;
            for claim in analysis.check_worthy() {
                writeln!(
                    out,
                    "  claim {:.2} [{}] {}",
                    claim.score,
                    claim.claimant.as_deref().unwrap_or("?"),
                    claim.text
                )?;
            }
            for entity in &analysis.entities {
                writeln!(out, "  {:<8} {}", entity.kind.label(), entity.text)?;
            }
        }
    }
    Ok(0)
}

fn import(folder: &Path, json: bool) -> Result<i32> {
    if !folder.exists() {
        bail!("{} does not exist; give a folder or file of articles", folder.display());
    }
    let (_, reports) = corpus::import_paths(&[folder.to_path_buf()], &ImportLimits::default(), |_, _| true);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else {
        for r in &reports {
            match &r.reason {
                None => writeln!(out, "ok       {} — {}", r.path, r.title.as_deref().unwrap_or(""))?,
                Some(reason) => writeln!(out, "skipped  {} — {reason}", r.path)?,
            }
        }
    }
    Ok(0)
}

/// Opens a project file or a folder of articles for a headless command.
pub fn open_for_cli(path: &Path, allow_outside: Vec<PathBuf>, read_only: bool) -> Result<Workspace> {
    let mut trusted_roots = allow_outside;
    // The bundled sample reads its articles from assets/.
    if path.canonicalize().ok() == crate::sample::project_path().canonicalize().ok() {
        trusted_roots.push(crate::sample::corpus_dir());
    }
    let options = OpenOptions {
        trusted_roots,
        read_only,
    };
    Workspace::open(path, &options).with_context(|| format!("cannot open {}", path.display()))
}

fn export(project: &Path, format: ExportFormat, out: &Path, allow_outside: Vec<PathBuf>) -> Result<i32> {
    let mut ws = open_for_cli(project, allow_outside, true)?;
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    let options = report::ReportOptions::full();
    let bytes = match format {
        ExportFormat::Html => report::html::render(&report::build(&mut ws, &options)).into_bytes(),
    };
    crate::project::file::write_atomically(out, &bytes)
        .with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!("claimdesk: wrote {}", out.display());
    Ok(0)
}

fn check(project: &Path, allow_outside: Vec<PathBuf>) -> Result<i32> {
    let ws = match open_for_cli(project, allow_outside, true) {
        Ok(ws) => ws,
        Err(err) => {
            eprintln!("claimdesk: {err:#}");
            return Ok(2);
        }
    };
    let counts = ws.project().counts();
    let missing = ws
        .article_ids()
        .filter(|id| ws.article(id).is_none())
        .count();
    println!(
        "articles={} claims={} rated={} entities={} mentions={} evidence={} orphans={} missing_articles={}",
        counts.articles,
        counts.claims,
        counts.rated,
        counts.entities,
        counts.mentions,
        counts.evidence,
        ws.orphans.len(),
        missing
    );
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    Ok(0)
}

fn score_claims(file: &Path) -> Result<i32> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (text, _) = corpus::import::decode(&bytes, file).map_err(anyhow::Error::msg)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in crate::text::normalise(&text).lines() {
        let scored = analysis::claims::score(line.trim());
        let label = if scored.score >= analysis::claims::THRESHOLD { "claim" } else { "other" };
        writeln!(out, "{:.2}\t{label}", scored.score)?;
    }
    Ok(0)
}

fn new_project(project: &Path, articles: &[PathBuf], name: Option<String>) -> Result<i32> {
    if project.exists() {
        bail!("{} already exists; choose another name (Claimdesk never overwrites a project silently)", project.display());
    }
    let mut ws = Workspace::import(articles, &ImportLimits::default());
    for row in ws.import_report.iter().filter(|r| r.status == corpus::ImportStatus::Skipped) {
        eprintln!("claimdesk: skipped {}: {}", row.path, row.reason.as_deref().unwrap_or(""));
    }
    if let Some(name) = name {
        ws.apply("rename project", crate::project::Edit::SetName { name })?;
    }
    ws.save_to(project, false)?;
    eprintln!("claimdesk: created {} with {} article(s)", project.display(), ws.project().articles.len());
    Ok(0)
}
