//! Archives too big for one project: analysed one article at a time, in bounded memory.
//!
//! [`analyze_stream`] is what `claimdesk analyze --jsonl` runs, the map step of a distributed
//! job (`scripts/spark_analyze.py` runs it under Apache Spark): paths come from an iterator (a
//! folder walked lazily, or a file list read from stdin line by line), a few worker threads each
//! read and analyse one article, and the results are handed over in input order as soon as each
//! and all before it are done. Nothing is kept from one article to the next — no article list,
//! no duplicate index (a map step sees only its share of the corpus anyway; deduplicating is the
//! reduce step's job) — so memory is bounded by the few articles in flight, not by the corpus.
//!
//! [`Selection`] is the small query language of `claimdesk new PROJECT --from-analysis RESULT
//! --select QUERY`, which picks the articles that matter out of such a result (read back with
//! [`read_results`]) and opens them as a project. See `docs/archives.md`.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError, mpsc};

use serde::Deserialize;

use crate::analysis::{self, ArticleAnalysis, KnownNames, claims::Reasons};
use crate::corpus::{self, Article, ImportLimits};

// ---------------------------------------------------------------------------------------------
// Where the paths come from

/// One input of a streaming analysis: a file to read, or a path that could not be listed (a
/// folder that cannot be walked), with the reason.
pub type Source = Result<PathBuf, (PathBuf, String)>;

/// The files under `paths`, lazily: a folder is walked (sorted by name, one folder's entries in
/// memory at a time) for the files import understands; a file is taken as it is, whatever its
/// extension, so that reading it says why it is skipped.
pub fn files_under<P>(paths: P) -> impl Iterator<Item = Source> + Send + use<P>
where
    P: IntoIterator<Item = PathBuf>,
    P::IntoIter: Send,
{
    paths
        .into_iter()
        .flat_map(|path| -> Box<dyn Iterator<Item = Source> + Send> {
            if !path.is_dir() {
                return Box::new(std::iter::once(Ok(path)));
            }
            let root = path.clone();
            Box::new(
                walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(move |entry| match entry {
                        Ok(e)
                            if e.file_type().is_file()
                                && corpus::import::is_supported(e.path()) =>
                        {
                            Some(Ok(e.into_path()))
                        }
                        Ok(_) => None,
                        Err(err) => {
                            let at = err.path().unwrap_or(&root).to_path_buf();
                            let reason = if err.loop_ancestor().is_some() {
                                "symbolic link loop; not followed".to_string()
                            } else if err
                                .io_error()
                                .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
                            {
                                "permission denied; ask for read access to this folder".to_string()
                            } else {
                                err.to_string()
                            };
                            Some(Err((at, reason)))
                        }
                    }),
            )
        })
}

/// Paths read from a file list, one per line as `find` or Spark's `pipe` writes them, as they
/// arrive (a list on stdin is never read whole). Blank lines are skipped; a line's `\r` is
/// dropped, any other white space is part of the path. A folder in the list is walked.
pub fn paths_from_lines<R: BufRead + Send>(
    reader: R,
) -> impl Iterator<Item = Source> + Send + use<R> {
    reader
        .lines()
        .filter_map(|line| match line {
            Ok(line) => {
                let line = line.strip_suffix('\r').unwrap_or(&line);
                (!line.is_empty()).then(|| Ok(PathBuf::from(line)))
            }
            Err(err) => Some(Err((
                PathBuf::from("(file list)"),
                format!("cannot read the list of files: {err}"),
            ))),
        })
        .flat_map(|source| -> Box<dyn Iterator<Item = Source> + Send> {
            match source {
                Ok(path) => Box::new(files_under([path])),
                Err(err) => Box::new(std::iter::once(Err(err))),
            }
        })
}

// ---------------------------------------------------------------------------------------------
// Streaming analysis

/// One article's outcome, in input order.
#[derive(Debug)]
pub struct Analysed {
    /// Position in the input, from 0.
    pub index: usize,
    pub path: PathBuf,
    /// The article and what the analysers suggest, or why the file was skipped.
    pub outcome: Result<(Article, ArticleAnalysis), String>,
}

/// How a streaming analysis runs.
#[derive(Clone, Debug)]
pub struct StreamOptions {
    pub limits: ImportLimits,
    /// Articles read and analysed at once (at least 1).
    pub threads: usize,
    /// Which claim suggestions get their reasons (a run that reports only check-worthy ones
    /// need not explain the rest).
    pub reasons: Reasons,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            limits: ImportLimits::default(),
            threads: default_threads(),
            reasons: Reasons::Always,
        }
    }
}

/// The machine's cores, up to 8.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
}

/// Reads and analyses one file; a panic in a format crate or an analyser is this file's error.
fn analyse_one(
    path: &Path,
    options: &StreamOptions,
    known: &KnownNames,
) -> Result<(Article, ArticleAnalysis), String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let article = corpus::import_file(path, &options.limits).map_err(|e| e.to_string())?;
        let analysis = analysis::analyze_with(&article, known, options.reasons);
        Ok((article, analysis))
    }))
    .unwrap_or_else(|_| {
        Err(format!(
            "{}: internal error while analysing this file; it was skipped",
            path.display()
        ))
    })
}

/// Analyses every source and hands each outcome to `on_item` in input order; return `false`
/// from it to stop (the workers stop after the article they are on). Returns how many sources
/// were handed over.
///
/// At most `2 × threads` finished outcomes wait for an earlier slow one, so memory is bounded
/// by about `3 × threads` articles with their analyses, however long the input.
pub fn analyze_stream<I>(
    sources: I,
    options: &StreamOptions,
    mut on_item: impl FnMut(Analysed) -> bool,
) -> usize
where
    I: Iterator<Item = Source> + Send,
{
    let threads = options.threads.max(1);
    let window = threads * 2;
    let known = KnownNames::default();
    if threads == 1 {
        // One thread: analysed where it is asked for. A worker thread beside this one would
        // only add a hand-over per article (a wake-up and a switch each, ~3% of a run).
        let mut handed = 0;
        for (index, source) in sources.enumerate() {
            handed += 1;
            if !on_item(analyse_source(index, source, options, &known)) {
                break;
            }
        }
        return handed;
    }
    // The input, shared by the workers: each takes the next source with its number.
    let input = Mutex::new(sources.enumerate());
    // How many outcomes were handed over; a worker waits before starting an article more than
    // `window` ahead of it.
    let delivered = Mutex::new(0usize);
    let moved = Condvar::new();
    let stop = AtomicBool::new(false);
    let mut handed = 0;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<Analysed>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (input, delivered, moved, stop, known) =
                (&input, &delivered, &moved, &stop, &known);
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let next = input.lock().unwrap_or_else(PoisonError::into_inner).next();
                    let Some((index, source)) = next else { break };
                    {
                        let mut done = delivered.lock().unwrap_or_else(PoisonError::into_inner);
                        while index >= *done + window && !stop.load(Ordering::Relaxed) {
                            done = moved.wait(done).unwrap_or_else(PoisonError::into_inner);
                        }
                    }
                    let item = analyse_source(index, source, options, known);
                    if tx.send(item).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Analysed> = BTreeMap::new();
        'receive: for item in rx.iter() {
            pending.insert(item.index, item);
            while let Some(item) = pending.remove(&handed) {
                handed += 1;
                *delivered.lock().unwrap_or_else(PoisonError::into_inner) = handed;
                moved.notify_all();
                if !on_item(item) {
                    break 'receive;
                }
            }
        }
        // Wake and stop the workers; dropping the receiver makes their next send fail.
        stop.store(true, Ordering::Relaxed);
        moved.notify_all();
        drop(rx);
    });
    handed
}

/// One source's outcome: its analysis, or why it has none.
fn analyse_source(
    index: usize,
    source: Source,
    options: &StreamOptions,
    known: &KnownNames,
) -> Analysed {
    match source {
        Ok(path) => Analysed {
            index,
            outcome: analyse_one(&path, options, known),
            path,
        },
        Err((path, reason)) => Analysed {
            index,
            path,
            outcome: Err(reason),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Reading results back

/// One article of an analysis result (`analyze --json` or `--jsonl`, or Spark's JSON output of
/// it), with the fields a selection looks at; other fields are ignored.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResultArticle {
    pub path: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub date: Option<String>,
    pub text: String,
    pub claims: Vec<ResultClaim>,
    pub entities: Vec<ResultEntity>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResultClaim {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub score: f32,
    pub claimant: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResultEntity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: String,
}

impl ResultArticle {
    /// Entities the analysis found inside one of the article's check-worthy claims.
    pub fn entities_in_claims(&self) -> impl Iterator<Item = &ResultEntity> {
        self.entities.iter().filter(|e| {
            self.claims
                .iter()
                .any(|c| c.start <= e.start && e.end <= c.end)
        })
    }
}

/// Reads an analysis result: a JSON Lines file (`analyze --jsonl`), a JSON array (`analyze
/// --json`), or a folder of them (Spark writes `part-*` files into a folder; files whose names
/// start with `_` or `.` are Spark's bookkeeping and skipped). Each article is handed to
/// `on_article` as it is read, so a result larger than memory can be scanned. An unreadable line
/// is an error naming the file and line.
pub fn read_results(
    path: &Path,
    mut on_article: impl FnMut(ResultArticle),
) -> Result<usize, String> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read the folder {}: {e}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        !n.starts_with('_') && !n.starts_with('.') && !n.ends_with(".crc")
                    })
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!("{} holds no result files", path.display()));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut count = 0;
    for file in files {
        let open = std::fs::File::open(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let mut reader = std::io::BufReader::new(open);
        let first = peek_first_char(&mut reader)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        if first == Some(b'[') {
            // One JSON array (`analyze --json`): small enough to have been written whole.
            let articles: Vec<ResultArticle> = serde_json::from_reader(reader)
                .map_err(|e| format!("{}: not an analysis result: {e}", file.display()))?;
            count += articles.len();
            articles.into_iter().for_each(&mut on_article);
            continue;
        }
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            let article: ResultArticle = serde_json::from_str(&line).map_err(|e| {
                format!(
                    "{}:{}: not an article of an analysis result: {e}",
                    file.display(),
                    n + 1
                )
            })?;
            count += 1;
            on_article(article);
        }
    }
    Ok(count)
}

/// The first byte that is not white space, without consuming it.
fn peek_first_char(reader: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => return Ok(Some(buf[i])),
            None => {
                let len = buf.len();
                reader.consume(len);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Selecting articles

/// A `--select` query: terms separated by spaces, all of which must hold.
///
/// | term | an article matches when |
/// |---|---|
/// | `entity:NAME` | a check-worthy claim contains an entity the analysis found whose text has NAME as whole words (`entity:Lavrov` matches "Sergey Lavrov") |
/// | `mentions:NAME` | the article mentions such an entity anywhere, in a claim or not |
/// | `kind:KIND` | a claim contains an entity of that kind (`PERSON`, `ORG`, `GPE`, `MONEY` …) |
/// | `claimant:NAME` | a claim is attributed to someone whose name has NAME as whole words |
/// | `claim:WORDS` | a claim's sentence holds WORDS |
/// | `text:WORDS` or just `WORDS` | the article's text holds WORDS |
/// | `title:WORDS`, `source:WORDS` | the title or source holds WORDS |
/// | `date:PREFIX` | the date starts so (`date:2023-10`) |
/// | `claims>=N` (also `>`, `<=`, `<`, `=`) | the number of check-worthy claims compares so |
///
/// Words match whole and without regard to case; `"quoted words"` keep their spaces
/// (`entity:"Sergey Lavrov"`); `a|b` matches either (`entity:Lavrov|Blinken`); a leading `-`
/// negates a term (`-source:BBC`).
#[derive(Debug)]
pub struct Selection {
    terms: Vec<(bool, Term)>,
    query: String,
}

#[derive(Debug)]
enum Term {
    Entity(regex::Regex),
    Mentions(regex::Regex),
    Kind(Vec<String>),
    Claimant(regex::Regex),
    Claim(regex::Regex),
    Text(regex::Regex),
    Title(regex::Regex),
    Source(regex::Regex),
    Date(Vec<String>),
    Claims(std::cmp::Ordering, bool, usize),
}

const FIELDS: &str =
    "entity, mentions, kind, claimant, claim, text, title, source, date, claims>=N";

impl Selection {
    /// Parses a query; the error says which term is wrong and what is expected.
    pub fn parse(query: &str) -> Result<Self, String> {
        let mut terms = Vec::new();
        for raw in split_terms(query)? {
            let (negated, body) = match raw.strip_prefix('-') {
                Some(rest) if !rest.is_empty() => (true, rest.to_string()),
                _ => (false, raw.clone()),
            };
            terms.push((negated, parse_term(&body)?));
        }
        if terms.is_empty() {
            return Err(format!(
                "the query is empty; use terms such as entity:Lavrov or claims>=3 ({FIELDS})"
            ));
        }
        Ok(Self {
            terms,
            query: query.trim().to_string(),
        })
    }

    /// The query as given.
    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn matches(&self, article: &ResultArticle) -> bool {
        self.terms
            .iter()
            .all(|(negated, term)| term_matches(term, article) != *negated)
    }
}

/// Splits on white space outside double quotes; the quotes are dropped.
fn split_terms(query: &str) -> Result<Vec<String>, String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    terms.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err(format!("a quote is not closed in “{query}”"));
    }
    if !current.is_empty() {
        terms.push(current);
    }
    Ok(terms)
}

fn parse_term(term: &str) -> Result<Term, String> {
    if let Some(rest) = term.strip_prefix("claims") {
        let (ordering, or_equal, number) = if let Some(n) = rest.strip_prefix(">=") {
            (std::cmp::Ordering::Greater, true, n)
        } else if let Some(n) = rest.strip_prefix("<=") {
            (std::cmp::Ordering::Less, true, n)
        } else if let Some(n) = rest.strip_prefix('>') {
            (std::cmp::Ordering::Greater, false, n)
        } else if let Some(n) = rest.strip_prefix('<') {
            (std::cmp::Ordering::Less, false, n)
        } else if let Some(n) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) {
            (std::cmp::Ordering::Equal, true, n)
        } else {
            return Err(format!(
                "“{term}”: compare the number of claims as claims>=3 (or >, <=, <, =)"
            ));
        };
        let number = number
            .trim()
            .parse()
            .map_err(|_| format!("“{term}”: “{number}” is not a number of claims"))?;
        return Ok(Term::Claims(ordering, or_equal, number));
    }
    let Some((field, value)) = term.split_once(':') else {
        return Ok(Term::Text(words(term)?));
    };
    if value.trim().is_empty() {
        return Err(format!("“{term}” has no value after the colon"));
    }
    let alternatives = || value.split('|').map(str::trim).filter(|v| !v.is_empty());
    Ok(match field.to_ascii_lowercase().as_str() {
        "entity" => Term::Entity(words(value)?),
        "mentions" => Term::Mentions(words(value)?),
        "kind" => {
            let kinds: Vec<String> = alternatives().map(str::to_ascii_uppercase).collect();
            if let Some(unknown) = kinds
                .iter()
                .find(|k| analysis::EntityKind::from_label(k).is_none())
            {
                return Err(format!(
                    "“{unknown}” is not an entity kind; use one of: {}",
                    analysis::EntityKind::ALL.map(|k| k.label()).join(", ")
                ));
            }
            Term::Kind(kinds)
        }
        "claimant" => Term::Claimant(words(value)?),
        "claim" => Term::Claim(words(value)?),
        "text" => Term::Text(words(value)?),
        "title" => Term::Title(words(value)?),
        "source" => Term::Source(words(value)?),
        "date" => Term::Date(alternatives().map(str::to_string).collect()),
        other => return Err(format!("“{other}:” is not a field; use one of: {FIELDS}")),
    })
}

/// A case-insensitive regex for any of `a|b|…`, each as whole words (a `\b` only where the value
/// starts or ends with a word character, so `U.S.` still matches).
fn words(value: &str) -> Result<regex::Regex, String> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let alternatives: Vec<String> = value
        .split('|')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            let start = if word(v.chars().next()) { r"\b" } else { "" };
            let end = if word(v.chars().last()) { r"\b" } else { "" };
            // Any run of white space in the value matches any run in the text.
            let body = v
                .split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+");
            format!("{start}{body}{end}")
        })
        .collect();
    if alternatives.is_empty() {
        return Err(format!("“{value}” holds no words to look for"));
    }
    regex::RegexBuilder::new(&alternatives.join("|"))
        .case_insensitive(true)
        .build()
        .map_err(|e| format!("cannot search for “{value}”: {e}"))
}

fn term_matches(term: &Term, article: &ResultArticle) -> bool {
    match term {
        Term::Entity(re) => article.entities_in_claims().any(|e| re.is_match(&e.text)),
        Term::Mentions(re) => article.entities.iter().any(|e| re.is_match(&e.text)),
        Term::Kind(kinds) => article
            .entities_in_claims()
            .any(|e| kinds.iter().any(|k| e.kind.eq_ignore_ascii_case(k))),
        Term::Claimant(re) => article
            .claims
            .iter()
            .any(|c| c.claimant.as_deref().is_some_and(|name| re.is_match(name))),
        Term::Claim(re) => article.claims.iter().any(|c| re.is_match(&c.text)),
        Term::Text(re) => re.is_match(&article.text),
        Term::Title(re) => article.title.as_deref().is_some_and(|t| re.is_match(t)),
        Term::Source(re) => article.source.as_deref().is_some_and(|s| re.is_match(s)),
        Term::Date(prefixes) => article
            .date
            .as_deref()
            .is_some_and(|d| prefixes.iter().any(|p| d.starts_with(p.as_str()))),
        Term::Claims(ordering, or_equal, n) => {
            let count = article.claims.len();
            count.cmp(n) == *ordering || (*or_equal && count == *n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> ResultArticle {
        let text = "Sergey Lavrov said 200 hostages were held. The weather was fine.";
        ResultArticle {
            path: "a.txt".into(),
            title: Some("Talks in Moscow".into()),
            source: Some("Reuters".into()),
            date: Some("2023-10-26".into()),
            text: text.into(),
            claims: vec![ResultClaim {
                start: 0,
                end: 42,
                text: "Sergey Lavrov said 200 hostages were held.".into(),
                score: 0.9,
                claimant: Some("Sergey Lavrov".into()),
            }],
            entities: vec![
                ResultEntity {
                    start: 0,
                    end: 13,
                    text: "Sergey Lavrov".into(),
                    kind: "PERSON".into(),
                },
                ResultEntity {
                    start: 43,
                    end: 50,
                    text: "weather".into(),
                    kind: "EVENT".into(),
                },
            ],
        }
    }

    fn selects(query: &str) -> bool {
        Selection::parse(query).unwrap().matches(&article())
    }

    #[test]
    fn terms_match_what_they_name() {
        assert!(selects("entity:Lavrov"));
        assert!(selects("entity:lavrov claims>=1"));
        assert!(!selects("entity:Lav"), "whole words only");
        assert!(
            !selects("entity:weather"),
            "weather is mentioned outside every claim"
        );
        assert!(selects("mentions:weather"));
        assert!(selects("kind:PERSON") && !selects("kind:EVENT"));
        assert!(selects("claimant:\"sergey lavrov\""));
        assert!(selects("entity:Blinken|Lavrov"));
        assert!(selects("hostages") && selects("text:hostages"));
        assert!(selects("claim:\"200 hostages\"") && !selects("claim:weather"));
        assert!(selects("title:moscow source:reuters date:2023-10"));
        assert!(selects("-source:BBC") && !selects("-source:Reuters"));
        assert!(selects("claims=1") && !selects("claims>1") && selects("claims<2"));
        assert!(!selects("claims>=3 entity:Lavrov"), "all terms must hold");
    }

    #[test]
    fn bad_queries_say_what_is_wrong() {
        let err = |q: &str| Selection::parse(q).unwrap_err();
        assert!(err("").contains("empty"));
        assert!(
            err("colour:red").contains("not a field"),
            "{}",
            err("colour:red")
        );
        assert!(err("claims>=many").contains("not a number"));
        assert!(err("kind:PEOPLE").contains("PERSON"));
        assert!(err("entity:\"Sergey").contains("not closed"));
        assert!(err("entity:").contains("no value"));
    }

    #[test]
    fn a_stream_hands_results_over_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut sources = Vec::new();
        for i in 0..30 {
            let path = dir.path().join(format!("{i:02}.txt"));
            // Uneven sizes, so workers finish out of order.
            let body =
                "Iran gave Hamas $100 million, Sergey Lavrov said. ".repeat(1 + (i * 7) % 40);
            std::fs::write(&path, body).unwrap();
            sources.push(Ok(path));
        }
        sources.insert(5, Err((dir.path().join("gone"), "cannot be listed".into())));
        sources.push(Ok(dir.path().join("missing.txt")));
        // One thread runs inline, more run as workers: both hand over the same, in order.
        let mut outcomes = Vec::new();
        for threads in [1, 3] {
            let options = StreamOptions {
                threads,
                ..StreamOptions::default()
            };
            let mut seen = Vec::new();
            let total = analyze_stream(sources.clone().into_iter(), &options, |item| {
                let claims = item.outcome.as_ref().map(|(_, a)| a.claims.len()).ok();
                seen.push((item.index, item.path.clone(), claims));
                true
            });
            assert_eq!(total, 32, "{threads} thread(s)");
            assert!(
                seen.iter()
                    .enumerate()
                    .all(|(i, (index, _, _))| *index == i)
            );
            assert_eq!(seen.iter().filter(|(_, _, ok)| ok.is_none()).count(), 2);
            assert!(seen[5].2.is_none() && seen[31].2.is_none());

            // Stopping early hands over nothing more.
            let listed = (0..30).map(|i| Ok(dir.path().join(format!("{i:02}.txt"))));
            let mut count = 0;
            let handed = analyze_stream(listed, &options, |_| {
                count += 1;
                count < 4
            });
            assert_eq!((handed, count), (4, 4), "{threads} thread(s)");
            outcomes.push(seen);
        }
        assert_eq!(outcomes[0], outcomes[1]);
    }

    #[test]
    fn file_lists_keep_spaces_and_walk_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("sub/a.md"), "a").unwrap();
        std::fs::write(dir.path().join("sub/skip.bin"), "x").unwrap();
        let list = format!(
            "{}/with space.txt\r\n\n{}/sub\n",
            dir.path().display(),
            dir.path().display()
        );
        let paths: Vec<String> = paths_from_lines(std::io::Cursor::new(list))
            .map(|s| {
                s.unwrap()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(paths, ["with space.txt", "a.md", "b.txt"]);
    }
}
