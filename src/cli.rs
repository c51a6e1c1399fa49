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
#[command(
    name = "claimdesk",
    version,
    about = "A workbench for fact-checkers: read a corpus, mark and rate claims, export reports."
)]
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
    ///
    /// OUT is a file for html, md, pdf, claimreview (JSON-LD), qdpx (REFI-QDA zip) and w3c
    /// (Web Annotation JSON-LD). For csv, OUT is the claims file and the entities go beside it
    /// with `-entities` before the extension (`-o out/claims.csv` also writes
    /// `out/claims-entities.csv`); when OUT is an existing folder or ends with `/`, the files are
    /// `claims.csv` and `entities.csv` inside it. For brat, OUT is a folder (created) that gets
    /// one `.txt` + `.ann` per article and an `annotation.conf`.
    Export {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "html")]
        format: ExportFormat,
        #[arg(short, long)]
        out: PathBuf,
        #[arg(long = "allow-outside", value_name = "DIR")]
        allow_outside: Vec<PathBuf>,
        /// claimreview: address of the published fact-check (each review's `url` is this plus
        /// `#claim-<id>`); default a `urn:claimdesk:` name.
        #[arg(long = "base-url", value_name = "URL")]
        base_url: Option<String>,
        /// claimreview: the fact-checking organisation (the reviews' `author`).
        #[arg(long, value_name = "NAME")]
        publisher: Option<String>,
        /// Only this article, by id (repeatable; all when absent). Report formats only.
        #[arg(long = "article", value_name = "ID")]
        articles: Vec<String>,
        /// Only this claim, by id (repeatable). Report formats only.
        #[arg(long = "claim", value_name = "ID")]
        claims: Vec<String>,
        /// Only claims with this verdict, or `unrated` (repeatable). Report formats only.
        #[arg(long = "verdict", value_name = "LABEL")]
        verdicts: Vec<String>,
    },
    /// Make a project from annotations another tool exported: REFI-QDA (.qdpx), a brat folder
    /// (.txt + .ann) or W3C Web Annotation JSON-LD (needs --articles, the annotated texts).
    /// Article texts are written to a `<project name>-sources` folder beside the new project.
    ImportAnnotations {
        input: PathBuf,
        #[arg(long, value_enum)]
        format: ImportFormat,
        /// The new project file (.ron); it must not exist.
        #[arg(short, long)]
        out: PathBuf,
        /// w3c: a project file or folder whose articles the annotations point at.
        #[arg(long, value_name = "PATH")]
        articles: Option<PathBuf>,
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
    /// Three-way merge of project files (a git merge driver): writes the result to OURS; exit 0
    /// when clean, 1 when conflicts remain recorded in the file for the analyst to resolve.
    ///
    /// In `.git/config`: `[merge "claimdesk"] driver = claimdesk merge %O %A %B`, and in
    /// `.gitattributes`: `*.ron merge=claimdesk`.
    Merge {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
    },
    /// Apply COUNT edits to PROJECT, saving now and then, printing `persisted N` after each edit
    /// is durable. Used by the crash test, which kills it at random points.
    #[command(hide = true)]
    StressEdits { project: PathBuf, count: usize },
    /// Score sentences (one per line) for check-worthiness: `score<TAB>claim|other`.
    ScoreClaims { file: PathBuf },
    /// Train the check-worthiness model from labelled data (developer tool).
    #[command(hide = true)]
    TrainClaims {
        /// Folder with claimbuster_train.json and clef2019_train.csv.
        #[arg(long, default_value = "../shared/eval/claims")]
        data: PathBuf,
        /// Where to write the model; omit to only print figures.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 8)]
        epochs: usize,
        #[arg(long, default_value_t = 1e-5)]
        l2: f32,
        #[arg(long, default_value_t = 0.1)]
        lr: f32,
        #[arg(long, default_value_t = 1.0)]
        positive_weight: f32,
        /// Hinge loss (linear SVM) instead of logistic loss.
        #[arg(long)]
        hinge: bool,
        /// Bits of the feature hash space.
        #[arg(long, default_value_t = 20)]
        hash_bits: u32,
        /// Character n-grams inside words, from --char-min to --char-max bytes (0 = none).
        #[arg(long, default_value_t = 2)]
        char_min: u8,
        #[arg(long, default_value_t = 5)]
        char_max: u8,
        /// L2 norm of the word n-gram block and of the character n-gram block.
        #[arg(long, default_value_t = 2.0)]
        word_scale: f32,
        #[arg(long, default_value_t = 0.75)]
        char_scale: f32,
        /// Also train on the CLEF 2019 debates that are not held out.
        #[arg(long)]
        with_clef: bool,
    },
    /// Evaluate the bundled check-worthiness model on the held-out splits (developer tool).
    #[command(hide = true)]
    EvalClaims {
        #[arg(long, default_value = "../shared/eval/claims")]
        data: PathBuf,
    },
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
        #[arg(long, default_value_t = 12)]
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

pub use crate::report::export::ExportFormat;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ImportFormat {
    Qdpx,
    Brat,
    W3c,
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
            base_url,
            publisher,
            articles,
            claims,
            verdicts,
        } => {
            let options = report::ReportOptions {
                articles,
                claims,
                verdicts,
                ..report::ReportOptions::full()
            };
            export(
                &project,
                format,
                &out,
                allow_outside,
                base_url,
                publisher,
                options,
            )
        }
        Command::ImportAnnotations {
            input,
            format,
            out,
            articles,
        } => import_annotations(&input, format, &out, articles.as_deref()),
        Command::Check {
            project,
            allow_outside,
        } => check(&project, allow_outside),
        Command::ScoreClaims { file } => score_claims(&file),
        Command::Merge { base, ours, theirs } => merge(&base, &ours, &theirs),
        Command::StressEdits { project, count } => stress_edits(&project, count),
        Command::TrainClaims {
            data,
            out,
            epochs,
            l2,
            lr,
            positive_weight,
            hinge,
            hash_bits,
            char_min,
            char_max,
            word_scale,
            char_scale,
            with_clef,
        } => train_claims(
            &data,
            out.as_deref(),
            &analysis::claim_model::TrainOptions {
                epochs,
                l2,
                learning_rate: lr,
                positive_weight,
                hinge,
                spec: analysis::claim_model::FeatureSpec {
                    hash_bits,
                    char_min,
                    char_max,
                    word_scale,
                    char_scale,
                },
                ..Default::default()
            },
            with_clef,
        ),
        Command::EvalClaims { data } => eval_claims(&data),
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
        Some(path) => {
            Some(ner_model::Model::from_bytes(&std::fs::read(path)?).map_err(anyhow::Error::msg)?)
        }
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

fn train_ner(
    train: &Path,
    dev: Option<&Path>,
    out: &Path,
    epochs: usize,
    bits: u32,
) -> Result<i32> {
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
    eprintln!(
        "wrote {} ({:.2} MB)",
        out.display(),
        bytes.len() as f64 / 1e6
    );
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
    for skipped in reports
        .iter()
        .filter(|r| r.status == corpus::ImportStatus::Skipped)
    {
        eprintln!(
            "claimdesk: skipped {}: {}",
            skipped.path,
            skipped.reason.as_deref().unwrap_or("unreadable")
        );
    }
    if articles.is_empty()
        && reports
            .iter()
            .all(|r| r.status == corpus::ImportStatus::Skipped)
        && !reports.is_empty()
    {
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
            writeln!(
                out,
                "== {} ({})",
                article.display_title(),
                article.path.display()
            )?;
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
        bail!(
            "{} does not exist; give a folder or file of articles",
            folder.display()
        );
    }
    let (_, reports) =
        corpus::import_paths(&[folder.to_path_buf()], &ImportLimits::default(), |_, _| {
            true
        });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else {
        for r in &reports {
            match (&r.reason, &r.duplicate_of) {
                (None, None) => writeln!(
                    out,
                    "ok       {} — {}",
                    r.path,
                    r.title.as_deref().unwrap_or("")
                )?,
                (None, Some(original)) => writeln!(
                    out,
                    "{:<8} {} — duplicate of {original}",
                    if r.duplicate_kind.as_deref() == Some("near") {
                        "near-dup"
                    } else {
                        "dup"
                    },
                    r.path
                )?,
                (Some(reason), _) => writeln!(out, "skipped  {} — {reason}", r.path)?,
            }
        }
    }
    Ok(0)
}

/// Opens a project file or a folder of articles for a headless command.
pub fn open_for_cli(
    path: &Path,
    allow_outside: Vec<PathBuf>,
    read_only: bool,
) -> Result<Workspace> {
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

fn export(
    project: &Path,
    format: ExportFormat,
    out: &Path,
    allow_outside: Vec<PathBuf>,
    base_url: Option<String>,
    publisher: Option<String>,
    options: report::ReportOptions,
) -> Result<i32> {
    let mut ws = open_for_cli(project, allow_outside, true)?;
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    let publish = report::export::Publish {
        base_url,
        publisher,
    };
    let written = report::export::export(
        &mut ws,
        format,
        out,
        &options,
        &publish,
        &report::export::Quiet,
    )?
    .expect("a quiet export is never cancelled");
    for message in written.messages {
        eprintln!("claimdesk: {message}");
    }
    Ok(0)
}

fn import_annotations(
    input: &Path,
    format: ImportFormat,
    out: &Path,
    articles: Option<&Path>,
) -> Result<i32> {
    if out.exists() {
        bail!(
            "{} already exists; choose another name (Claimdesk never overwrites a project silently)",
            out.display()
        );
    }
    let imported = match format {
        ImportFormat::Qdpx => {
            let bytes =
                std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
            report::qdpx::import(&bytes)?
        }
        ImportFormat::Brat => report::brat::import_dir(input)?,
        ImportFormat::W3c => {
            let Some(articles) = articles else {
                bail!(
                    "w3c import needs --articles: the project or folder of the annotated articles"
                );
            };
            let source = open_for_cli(articles, Vec::new(), true)?;
            let texts: Vec<(String, String, Option<String>)> = source
                .loaded_articles()
                .map(|a| (a.id.clone(), a.text.clone(), source.meta(&a.id).url))
                .collect();
            let json = std::fs::read_to_string(input)
                .with_context(|| format!("cannot read {}", input.display()))?;
            report::w3c::import(&json, &texts)?
        }
    };
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    let sources = out.with_file_name(format!("{stem}-sources"));
    let mut ws = imported.into_workspace(&sources, out.to_path_buf())?;
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    ws.save_to(out, false)?;
    let counts = ws.project().counts();
    eprintln!(
        "claimdesk: created {} with {} article(s), {} claim(s), {} entities",
        out.display(),
        counts.articles,
        counts.claims,
        counts.entities
    );
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
        let label = if scored.score >= analysis::claims::THRESHOLD {
            "claim"
        } else {
            "other"
        };
        // Truncated, not rounded, so the printed score never contradicts the label
        // (0.4996 is "0.49 other", not "0.50 other").
        let shown = (f64::from(scored.score) * 100.0).floor() / 100.0;
        writeln!(out, "{shown:.2}\t{label}")?;
    }
    Ok(0)
}

fn train_claims(
    data: &Path,
    out: Option<&Path>,
    options: &analysis::claim_model::TrainOptions,
    with_clef: bool,
) -> Result<i32> {
    let (model, r) = analysis::claim_eval::train_and_report(data, options, with_clef)?;
    let folds: Vec<String> = r.cv_fold_f1.iter().map(|f| format!("{f:.3}")).collect();
    println!("options: {options:?} with_clef={with_clef}");
    println!(
        "cv5 (ClaimBuster train split): P={:.3} R={:.3} F1={:.3} folds=[{}] logit_threshold={:.3} calibration={:.3}",
        r.cv_prf.0,
        r.cv_prf.1,
        r.cv_prf.2,
        folds.join(" "),
        r.logit_threshold,
        r.calibration
    );
    println!(
        "held-out ClaimBuster (n={}, positives={}): P={:.3} R={:.3} F1={:.3}",
        r.held_out_n.0, r.held_out_n.1, r.held_out_prf.0, r.held_out_prf.1, r.held_out_prf.2
    );
    for (debate, ap) in &r.clef_ap {
        println!("  CLEF {debate}: AP={ap:.3}");
    }
    println!("held-out CLEF 2019 debates: MAP={:.3}", r.clef_map);
    if let Some(out) = out {
        let bytes = model.to_bytes();
        std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
        println!("wrote {} ({} bytes)", out.display(), bytes.len());
    }
    Ok(0)
}

fn eval_claims(data: &Path) -> Result<i32> {
    let ((p, r, f), map) = analysis::claim_eval::evaluate(&analysis::claim_model::SHIPPED, data)?;
    println!("held-out ClaimBuster: P={p:.3} R={r:.3} F1={f:.3}");
    println!("held-out CLEF 2019 debates: MAP={map:.3}");
    Ok(0)
}

fn new_project(project: &Path, articles: &[PathBuf], name: Option<String>) -> Result<i32> {
    if project.exists() {
        bail!(
            "{} already exists; choose another name (Claimdesk never overwrites a project silently)",
            project.display()
        );
    }
    let mut ws = Workspace::import(articles, &ImportLimits::default());
    for row in ws
        .import_report
        .iter()
        .filter(|r| r.status == corpus::ImportStatus::Skipped)
    {
        eprintln!(
            "claimdesk: skipped {}: {}",
            row.path,
            row.reason.as_deref().unwrap_or("")
        );
    }
    if let Some(name) = name {
        ws.apply("rename project", crate::project::Edit::SetName { name })?;
    }
    ws.save_to(project, false)?;
    eprintln!(
        "claimdesk: created {} with {} article(s)",
        project.display(),
        ws.project().articles.len()
    );
    Ok(0)
}

fn merge(base: &Path, ours: &Path, theirs: &Path) -> Result<i32> {
    use crate::project::file;
    let base_project =
        file::load(base).with_context(|| format!("merge base {}", base.display()))?;
    let ours_project =
        file::load(ours).with_context(|| format!("our version {}", ours.display()))?;
    let theirs_project =
        file::load(theirs).with_context(|| format!("their version {}", theirs.display()))?;
    let (merged, summary) =
        crate::project::merge::merge(&base_project, &ours_project, &theirs_project);
    let text = file::to_ron_string(&merged)?;
    file::write_atomically(ours, text.as_bytes())
        .with_context(|| format!("cannot write the merge result to {}", ours.display()))?;
    if summary.is_clean() {
        Ok(0)
    } else {
        for conflict in &summary.conflicts {
            eprintln!("claimdesk merge: conflict: {conflict}");
        }
        eprintln!(
            "claimdesk merge: {} conflict(s) kept in {} with both values; resolve them in Claimdesk",
            summary.conflicts.len(),
            ours.display()
        );
        Ok(1)
    }
}

fn stress_edits(project: &Path, count: usize) -> Result<i32> {
    use crate::project::{Anchor, Claim, Edit, Origin, new_id};
    let mut ws = open_for_cli(project, Vec::new(), false)?;
    let article_id = ws
        .article_ids()
        .next()
        .cloned()
        .context("the project has no article")?;
    let article = ws
        .article(&article_id)
        .cloned()
        .context("the article is missing")?;
    let len = article.char_len().max(2);
    let stdout = std::io::stdout();
    for i in 0..count {
        let start = i % (len - 1);
        let claim = Claim {
            article: article_id.clone(),
            anchor: Anchor::new(&article, crate::text::Span::new(start, start + 1)),
            claimant: None,
            verdict: None,
            note: format!("stress edit {i}"),
            origin: Origin::Analyst,
            conflicts: Vec::new(),
        };
        ws.apply(
            "stress",
            Edit::PutClaim {
                id: new_id(),
                claim,
            },
        )?;
        if i % 7 == 6 {
            ws.save()?;
        }
        let mut out = stdout.lock();
        writeln!(out, "persisted {}", ws.project().claims.len())?;
        out.flush()?;
    }
    Ok(0)
}
