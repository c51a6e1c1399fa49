//! The command line: the same core as the GUI, headless, for scripts and tests.
//!
//! Output shapes (`analyze --json`, `import --json`, `score-claims`, `check`, `merge`) are
//! contracts used by scripts outside the crate: extend them only by adding fields.

pub mod archive;
mod capture;
pub mod edit;
mod factchecks;
pub mod sync;
pub mod workflow;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use claimdesk_core::analysis::{self, KnownNames};
use claimdesk_core::corpus::{self, ImportLimits};
use claimdesk_core::report;
use claimdesk_core::workspace::{OpenOptions, Workspace};

mod crossref;

#[derive(Parser, Debug)]
#[command(
    name = "claimdesk",
    version,
    about = "A workbench for fact-checkers: read a corpus, mark and rate claims, export reports.",
    after_help = "With no command, opens the window on the sample project.\n\nExit codes: 0 done; 1 the operation was refused and nothing changed (a quote not found or found more than once, a verdict not on the scale, an unknown id: the message says which); 2 the command could not run (bad arguments, a project that cannot be read or saved); 3 the project is open in another Claimdesk (the message says which)."
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
        #[arg(required_unless_present = "files_from")]
        paths: Vec<PathBuf>,
        /// Print one JSON array, an object per article.
        #[arg(long, conflicts_with = "jsonl")]
        json: bool,
        /// Stream one JSON object per line and article (the fields of --json), each as soon as
        /// it is analysed; memory stays bounded by the largest article, not the corpus. Files are
        /// not deduplicated (a map step sees only its share of a corpus).
        #[arg(long)]
        jsonl: bool,
        /// Also analyse the paths listed in FILE, one per line (`-`: read them from stdin as
        /// they come), e.g. the map step of a distributed job.
        #[arg(long, value_name = "FILE")]
        files_from: Option<PathBuf>,
        /// Articles analysed at once with --jsonl (default: the machine's cores, up to 8).
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
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
    /// one `.txt` + `.ann` per article and an `annotation.conf`. For pages, OUT is a folder
    /// (created) with `index.html` and one page per rated claim, each with its ClaimReview.
    Export {
        project: PathBuf,
        #[arg(long, default_value = "html", value_parser = export_format_parser())]
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
        /// html, md, pdf: include the text of every article, not only those the claims and
        /// their evidence are in.
        #[arg(long = "all-articles")]
        all_articles: bool,
        /// csv: start the files with a UTF-8 byte order mark, which Excel needs to read UTF-8
        /// (Python and pandas then need `encoding="utf-8-sig"`).
        #[arg(long)]
        excel: bool,
        /// Only published claims (at the last step of the project's status scale).
        #[arg(long)]
        published_only: bool,
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
    /// Create a project file over articles (files or folders), or (`--from-sample`) a
    /// self-contained copy of the sample fact-check: PROJECT plus its articles in `articles/`
    /// beside it, which opens wherever the folder is moved.
    New {
        project: PathBuf,
        #[arg(
            required_unless_present_any = ["from_sample", "from_analysis"],
            conflicts_with_all = ["from_sample", "from_analysis"]
        )]
        articles: Vec<PathBuf>,
        /// Copy the bundled sample project (with its fact-check) instead of importing articles.
        #[arg(long = "from-sample")]
        from_sample: bool,
        /// Project name shown in reports.
        #[arg(long)]
        name: Option<String>,
        /// Make the project from an analysis result (`analyze --jsonl` or `--json` output, or a
        /// folder of them as Spark writes): the articles --select picks, read again from their
        /// paths.
        #[arg(long, value_name = "RESULT")]
        from_analysis: Option<PathBuf>,
        /// Which articles of the result: e.g. `entity:Lavrov claims>=3` (see docs/archives.md).
        #[arg(long, value_name = "QUERY", requires = "from_analysis")]
        select: Option<String>,
    },
    /// Check that a project loads; print its counts. Changes no file.
    Check {
        project: PathBuf,
        #[arg(long = "allow-outside", value_name = "DIR")]
        allow_outside: Vec<PathBuf>,
    },
    /// Re-apply unsaved edits set aside in PROJECT.journal.<stamp>.unapplied (a crash while
    /// another program rewrote the project) on top of the project as it is now, and save. Each
    /// edit that still applies is applied; the rest are listed and kept in the file. Exit 0 when
    /// nothing is left, 1 when some edits are left.
    Recover {
        project: PathBuf,
        #[arg(long)]
        json: bool,
        /// Delete the set-aside journals instead, applying nothing (their edits are lost).
        #[arg(long)]
        discard: bool,
        #[arg(long = "allow-outside", value_name = "DIR")]
        allow_outside: Vec<PathBuf>,
    },
    /// Three-way merge of project files (a git merge driver): writes the result to OURS; exit 0
    /// when clean, 1 when conflicts remain recorded in the file for the analyst to resolve.
    ///
    /// In `.git/config`: `[merge "claimdesk"] driver = claimdesk merge %O %A %B %P`, and in
    /// `.gitattributes`: `*.ron merge=claimdesk`.
    Merge {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
        /// The project's path in the repository (git's `%P`), for messages: git hands the
        /// driver temporary files.
        path: Option<PathBuf>,
    },
    /// Apply COUNT edits to PROJECT, saving now and then, printing `persisted N` after each edit
    /// is durable. Used by the crash test, which kills it at random points.
    #[command(hide = true)]
    StressEdits { project: PathBuf, count: usize },
    /// Link articles (files or folders): the same quote or event, names written several ways,
    /// figures that disagree (with why) and figures reported over time.
    Crossref {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON object (same_claims, events, conflicts, spellings, timelines).
        #[arg(long)]
        json: bool,
    },
    /// Score sentences (one per line) for check-worthiness: `score<TAB>claim|other`.
    ScoreClaims { file: PathBuf },
    /// Claims: add (by quote or offsets), set verdict/claimant/note, remove, list, resolve a
    /// merge conflict.
    #[command(subcommand)]
    Claim(edit::ClaimCommand),
    /// Evidence for a claim: a passage of any article or a link.
    #[command(subcommand)]
    Evidence(edit::EvidenceCommand),
    /// The entity registry: mark a mention, confirm a name, merge, split, rename, retype.
    #[command(subcommand)]
    Entity(edit::EntityCommand),
    /// Suggested claims: list, accept, dismiss.
    #[command(subcommand)]
    Suggestions(edit::SuggestionsCommand),
    /// Articles: list, correct text, correct details.
    #[command(subcommand)]
    Article(edit::ArticleCommand),
    /// Annotations whose text changed on disk: list, re-attach.
    #[command(subcommand)]
    Orphan(edit::OrphanCommand),
    /// Run a file of operations, one JSON object per line (`{"op":"claim.add","article":…,
    /// "quote":…}`; the same names and fields as the commands), as one undo step: all or
    /// nothing. `"as":"c1"` names what a line creates; later lines refer to it as "$c1".
    /// OPS may be `-` for stdin.
    Apply {
        #[command(flatten)]
        project: edit::ProjectArg,
        ops: PathBuf,
        /// Print each line's operation and the id it created.
        #[arg(long)]
        json: bool,
    },
    /// The fact-check library: import published fact-checks, list them, match a project's
    /// claims against them ("checked before").
    Factchecks(factchecks::FactchecksArgs),
    /// Add articles to a project from web addresses, each with an archived copy (WARC) in the
    /// project folder.
    AddUrl(capture::AddUrlArgs),
    /// Share the project with the team through git: commit your work (as the analyst of
    /// `claimdesk config`), fetch, merge with Claimdesk's merge driver (set up if missing),
    /// push, and report what came in and any conflicts to resolve.
    Sync(sync::SyncArgs),
    /// Say who you are (name and e-mail): recorded on what you create and change, and as the
    /// author of your sync commits. With no option, prints the settings.
    Config(workflow::ConfigArgs),
    /// Who did what, when: from the project's records and the journal since the last save.
    Activity(workflow::ActivityArgs),
    /// Run a named benchmark and print its figures (analyze, project, …).
    Bench {
        name: String,
        /// Scale factor for generated data.
        #[arg(long)]
        size: Option<usize>,
    },
}

pub use claimdesk_core::report::export::ExportFormat;

/// `--format` takes the core's format names, listed in `--help`.
fn export_format_parser() -> impl clap::builder::TypedValueParser<Value = ExportFormat> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(ExportFormat::ALL.map(ExportFormat::name))
        .map(|name| ExportFormat::from_name(&name).unwrap_or(ExportFormat::Html))
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ImportFormat {
    Qdpx,
    Brat,
    W3c,
}

/// The exit code for a command that failed (see `--help`).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err.downcast_ref::<edit::Locked>().is_some() {
        3
    } else if err
        .downcast_ref::<claimdesk_core::ops::OpError>()
        .is_some_and(|e| !matches!(e, claimdesk_core::ops::OpError::Workspace(_)))
    {
        1
    } else {
        2
    }
}

/// Runs a headless command. Returns the process exit code.
pub fn run(command: Command) -> Result<i32> {
    match command {
        Command::Open { .. } => bail!("`open` needs the GUI; this build has no `gui` feature"),
        Command::Analyze {
            paths,
            json,
            jsonl,
            files_from,
            threads,
        } => archive::analyze(paths, json, jsonl, files_from, threads),
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
            all_articles,
            excel,
            published_only,
        } => {
            let options = report::ReportOptions {
                articles,
                claims,
                verdicts,
                all_articles,
                published_only,
                ..report::ReportOptions::full()
            };
            let publish = report::export::Publish {
                base_url,
                publisher,
                excel_csv: excel,
            };
            export(&project, format, &out, allow_outside, publish, options)
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
        Command::Recover {
            project,
            json,
            discard,
            allow_outside,
        } => recover(&project, json, discard, allow_outside),
        Command::Crossref { paths, json } => crossref::run(&paths, json),
        Command::ScoreClaims { file } => score_claims(&file),
        Command::Merge {
            base,
            ours,
            theirs,
            path,
        } => merge(&base, &ours, &theirs, path.as_deref()),
        Command::StressEdits { project, count } => stress_edits(&project, count),
        Command::New {
            project,
            from_sample: true,
            name,
            ..
        } => new_from_sample(&project, name),
        Command::New {
            project,
            articles: _,
            from_sample: _,
            name,
            from_analysis: Some(result),
            select,
        } => archive::new_from_analysis(&project, &result, select.as_deref(), name),
        Command::New {
            project,
            articles,
            name,
            ..
        } => new_project(&project, &articles, name),
        Command::Bench { name, size } => crate::bench::run(&name, size),
        Command::Claim(command) => edit::claim(command),
        Command::Evidence(command) => edit::evidence(command),
        Command::Entity(command) => edit::entity(command),
        Command::Suggestions(command) => edit::suggestions(command),
        Command::Article(command) => edit::article(command),
        Command::Orphan(command) => edit::orphan(command),
        Command::Apply { project, ops, json } => edit::apply(&project, &ops, json),
        Command::Factchecks(args) => factchecks::run(args),
        Command::AddUrl(args) => capture::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Config(args) => workflow::config(args),
        Command::Activity(args) => workflow::activity(args),
    }
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

/// An article as `analyze --json` (and, one per line, `--jsonl`) prints it.
fn article_json<'a>(
    article: &'a corpus::Article,
    analysis: &'a analysis::ArticleAnalysis,
) -> JsonArticle<'a> {
    JsonArticle {
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
    }
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
        // Only check-worthy suggestions are printed: the rest need no reasons.
        .map(|a| analysis::analyze_with(a, &known, analysis::claims::Reasons::CheckWorthy))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let items: Vec<JsonArticle> = articles
            .iter()
            .zip(&analyses)
            .map(|(article, analysis)| article_json(article, analysis))
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
    trusted_roots.extend(claimdesk_core::sample::trusted_roots_for(path));
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
    publish: report::export::Publish,
    options: report::ReportOptions,
) -> Result<i32> {
    let ws = open_for_cli(project, allow_outside, true)?;
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    let mut options = options;
    if let Some(folder) = ws.path().and_then(Path::parent) {
        options.archived_copies = claimdesk_capture::archived_copies(folder);
    }
    let written =
        report::export::export(&ws, format, out, &options, &publish, &report::export::Quiet)?
            .expect("a quiet export is never cancelled");
    for message in written.messages {
        eprintln!("claimdesk: {message}");
    }
    for warning in written.warnings {
        eprintln!("claimdesk: warning: {warning}");
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
    let ws = imported.into_workspace(&sources, out.to_path_buf())?;
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    // Written as a file, not saved through the workspace: nobody has it open, so no lock or
    // journal is left beside it.
    claimdesk_core::project::file::save(ws.project(), out)
        .with_context(|| format!("cannot write {}", out.display()))?;
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
    let stranded: usize = claimdesk_core::workspace::stranded_journals(project)
        .iter()
        .map(|s| s.edits)
        .sum();
    // The counts are the saved file's plus what the journal holds; the two last say how many
    // edits wait where.
    println!(
        "articles={} claims={} rated={} entities={} mentions={} evidence={} orphans={} missing_articles={} journal_edits={} stranded_edits={}",
        counts.articles,
        counts.claims,
        counts.rated,
        counts.entities,
        counts.mentions,
        counts.evidence,
        ws.orphans().len(),
        missing,
        ws.unsaved_edits(),
        stranded
    );
    for notice in &ws.notices {
        eprintln!("claimdesk: {notice}");
    }
    Ok(0)
}

fn recover(project: &Path, json: bool, discard: bool, allow_outside: Vec<PathBuf>) -> Result<i32> {
    use claimdesk_core::workspace::{ReapplyReport, stranded_journals};
    let mut ws = open_for_cli(project, allow_outside, false)?;
    if let Some(reason) = ws.read_only_reason() {
        anyhow::bail!("cannot recover edits into {}: {reason}", project.display());
    }
    let stranded = stranded_journals(project);
    let mut reports: Vec<ReapplyReport> = Vec::new();
    for journal in &stranded {
        if discard {
            ws.discard_stranded(&journal.path)?;
            eprintln!(
                "claimdesk: deleted {} ({} edit(s) not applied)",
                journal.path.display(),
                journal.edits
            );
            continue;
        }
        reports.push(ws.reapply_stranded(&journal.path)?);
    }
    if ws.is_dirty() {
        ws.save()?;
    }
    let left = reports
        .iter()
        .any(|r| !r.not_applied.is_empty() || r.unreadable_lines > 0);
    if json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &reports)?;
        println!();
    } else if stranded.is_empty() {
        println!("no set-aside edits for {}", project.display());
    } else {
        for report in &reports {
            println!(
                "{}: re-applied {} edit(s){}",
                report.journal.display(),
                report.applied,
                if report.removed {
                    "; nothing left, file deleted"
                } else {
                    ""
                }
            );
            for edit in &report.not_applied {
                println!(
                    "  not applied: edit {} ({}): {}",
                    edit.number, edit.edit, edit.reason
                );
            }
            if report.unreadable_lines > 0 {
                println!("  {} unreadable line(s)", report.unreadable_lines);
            }
            if !report.removed {
                println!(
                    "  kept {} with what is left; `claimdesk recover {} --discard` deletes it",
                    report.journal.display(),
                    project.display()
                );
            }
        }
    }
    Ok(i32::from(left))
}

fn score_claims(file: &Path) -> Result<i32> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (text, _) = corpus::import::decode(&bytes, file).map_err(anyhow::Error::msg)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in claimdesk_core::text::normalise(&text).lines() {
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
        ws.apply(
            "rename project",
            claimdesk_core::project::Edit::SetName { name },
        )?;
    }
    ws.save_to(project, false)?;
    eprintln!(
        "claimdesk: created {} with {} article(s)",
        project.display(),
        ws.project().articles.len()
    );
    Ok(0)
}

fn new_from_sample(project: &Path, name: Option<String>) -> Result<i32> {
    claimdesk_core::sample::copy_to_project(project)?;
    if let Some(name) = name {
        use claimdesk_core::project::file;
        let mut copy = file::load(project)?;
        copy.name = name;
        file::write_atomically(project, file::to_ron_string(&copy)?.as_bytes())
            .with_context(|| format!("cannot write {}", project.display()))?;
    }
    eprintln!(
        "claimdesk: created {} from the sample, with its articles in {}",
        project.display(),
        project
            .parent()
            .unwrap_or(Path::new("."))
            .join("articles")
            .display()
    );
    Ok(0)
}

fn merge(base: &Path, ours: &Path, theirs: &Path, path: Option<&Path>) -> Result<i32> {
    use claimdesk_core::project::file;
    // Git hands the driver temporary files (.merge_file_XXXX): name the project instead.
    let named = |version: &str, file: &Path| match path {
        Some(path) => format!("{version} of {}", path.display()),
        None => format!("{version} ({})", file.display()),
    };
    let base_project = file::load(base).with_context(|| named("the merge base", base))?;
    let ours_project = file::load(ours).with_context(|| named("our version", ours))?;
    let theirs_project = file::load(theirs).with_context(|| named("their version", theirs))?;
    let (merged, summary) =
        claimdesk_core::project::merge::merge(&base_project, &ours_project, &theirs_project);
    let project = match path {
        Some(path) => format!("{} (project “{}”)", path.display(), merged.name),
        None => format!("project “{}”", merged.name),
    };
    let text = file::to_ron_string(&merged)?;
    file::write_atomically(ours, text.as_bytes())
        .with_context(|| format!("cannot write the merge result of {project}"))?;
    if summary.is_clean() {
        Ok(0)
    } else {
        for conflict in &summary.conflicts {
            eprintln!("claimdesk merge: {project}: conflict: {conflict}");
        }
        eprintln!(
            "claimdesk merge: {project}: {} conflict(s) kept with both values; resolve them in \
             Claimdesk or with `claimdesk claim resolve`",
            summary.conflicts.len(),
        );
        Ok(1)
    }
}

fn stress_edits(project: &Path, count: usize) -> Result<i32> {
    use claimdesk_core::project::{Anchor, Claim, Edit, Origin, new_id};
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
            status: None,
            assignee: None,
            reviewer: None,
            signed_off: None,
            provenance: Default::default(),
            article: article_id.clone(),
            anchor: Anchor::new(&article, claimdesk_core::text::Span::new(start, start + 1)),
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
