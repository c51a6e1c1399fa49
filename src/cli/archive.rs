//! Archives on the command line: `analyze --jsonl` (streamed, the map step of a distributed
//! job), `--files-from` (the file list on stdin or in a file), and `new PROJECT --from-analysis
//! RESULT --select QUERY` (the articles that matter, as a project). The core does the work
//! ([`claimdesk_core::archive`]); this file only wires arguments and output.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use claimdesk_core::analysis::claims::Reasons;
use claimdesk_core::archive::{self, Analysed, Selection, Source, StreamOptions};

/// `claimdesk analyze`: with `--jsonl` streamed; otherwise the one JSON array (or text) as
/// before, over the given paths and those of the file list.
pub fn analyze(
    paths: Vec<PathBuf>,
    json: bool,
    jsonl: bool,
    files_from: Option<PathBuf>,
    threads: Option<usize>,
) -> Result<i32> {
    if !jsonl {
        // `--json` and the text listing keep their contract: everything is imported first
        // (duplicates dropped, ids made unique), then printed.
        let mut all = paths;
        if let Some(list) = &files_from {
            for source in list_sources(list)? {
                match source {
                    Ok(path) => all.push(path),
                    Err((path, reason)) => {
                        eprintln!("claimdesk: skipped {}: {reason}", path.display())
                    }
                }
            }
        }
        if all.is_empty() {
            bail!("no file to analyse: give paths or a non-empty --files-from list");
        }
        return super::analyze(&all, json);
    }
    let options = StreamOptions {
        threads: threads.unwrap_or_else(archive::default_threads).max(1),
        // The output lists check-worthy suggestions alone, with their reasons.
        reasons: Reasons::CheckWorthy,
        ..StreamOptions::default()
    };
    let given = archive::files_under(paths);
    let listed: Box<dyn Iterator<Item = Source> + Send> = match &files_from {
        Some(list) => list_sources(list)?,
        None => Box::new(std::iter::empty()),
    };
    stream_jsonl(given.chain(listed), &options)
}

/// The sources named by a file list (`-` is stdin), read as they come.
fn list_sources(list: &Path) -> Result<Box<dyn Iterator<Item = Source> + Send>> {
    if list == Path::new("-") {
        return Ok(Box::new(archive::paths_from_lines(
            std::io::BufReader::new(std::io::stdin()),
        )));
    }
    let file = std::fs::File::open(list)
        .with_context(|| format!("cannot read the file list {}", list.display()))?;
    Ok(Box::new(archive::paths_from_lines(
        std::io::BufReader::new(file),
    )))
}

/// One compact JSON object per article and line, written as soon as it and every article before
/// it are analysed; a skipped file is a line on stderr. A closed stdout (the reader stopped)
/// ends the run quietly.
fn stream_jsonl(
    sources: impl Iterator<Item = Source> + Send,
    options: &StreamOptions,
) -> Result<i32> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut analysed, mut skipped) = (0usize, 0usize);
    let mut failure: Option<std::io::Error> = None;
    archive::analyze_stream(sources, options, |item: Analysed| {
        let written = match &item.outcome {
            Ok((article, analysis)) => {
                analysed += 1;
                serde_json::to_writer(&mut out, &super::article_json(article, analysis))
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
                    // Flushed per article: a map step's reader sees each line as it is done.
                    .and_then(|()| out.flush())
            }
            Err(reason) => {
                skipped += 1;
                eprintln!("claimdesk: skipped {}: {reason}", item.path.display());
                Ok(())
            }
        };
        match written {
            Ok(()) => true,
            Err(err) => {
                failure = Some(err);
                false
            }
        }
    });
    match failure {
        Some(err) if err.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
        Some(err) => return Err(err).context("cannot write the analysis to stdout"),
        None => {}
    }
    if analysed == 0 && skipped > 0 {
        eprintln!("claimdesk: no article could be read");
    }
    eprintln!("claimdesk: analysed {analysed} article(s), skipped {skipped}");
    Ok(0)
}

/// `claimdesk new PROJECT --from-analysis RESULT --select QUERY`: the articles of RESULT that
/// QUERY selects, read again from their files, as a new project. Exit 1 when nothing matches
/// (no project is made).
pub fn new_from_analysis(
    project: &Path,
    result: &Path,
    query: Option<&str>,
    name: Option<String>,
) -> Result<i32> {
    if project.exists() {
        bail!(
            "{} already exists; choose another name (Claimdesk never overwrites a project silently)",
            project.display()
        );
    }
    let selection = query
        .map(Selection::parse)
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--select")?;
    // Paths with the hash of the text that was analysed (not the text: a selection may be big).
    let mut chosen: Vec<(PathBuf, String)> = Vec::new();
    let total = archive::read_results(result, |article| {
        if selection.as_ref().is_none_or(|s| s.matches(&article)) {
            let hash = claimdesk_core::text::text_hash(&article.text);
            chosen.push((PathBuf::from(&article.path), hash));
        }
    })
    .map_err(anyhow::Error::msg)?;
    let described = selection
        .as_ref()
        .map_or_else(|| "all".to_string(), |s| format!("“{}”", s.query()));
    if chosen.is_empty() {
        eprintln!(
            "claimdesk: no article of the {total} in {} matches {described}; no project was made",
            result.display()
        );
        return Ok(1);
    }
    eprintln!(
        "claimdesk: {} of {total} article(s) match {described}",
        chosen.len()
    );
    // The project reads each file again; say when one no longer holds what was analysed.
    let mut paths = Vec::with_capacity(chosen.len());
    for (path, analysed_hash) in chosen {
        match claimdesk_core::corpus::import_file(&path, &Default::default()) {
            Ok(article) if article.hash != analysed_hash => eprintln!(
                "claimdesk: {} changed since it was analysed; the project reads it as it is now",
                path.display()
            ),
            Ok(_) => {}
            // `new` reports why it skips the file.
            Err(_) => {}
        }
        paths.push(path);
    }
    super::new_project(project, &paths, name)
}
