//! Full-text and regex search across the corpus, with results in context.
//!
//! A scan with the `regex` crate (literal prefilters, SIMD) runs at gigabytes per second, which
//! keeps a 100 MB corpus well inside an interactive budget without an index to build or keep
//! in sync; `claimdesk bench search` measures it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::corpus::Article;
use crate::project::Project;

/// What the search box asks for. Plain input searches the text; a field prefix searches the
/// analyst's annotations instead: `entity:` (every spelling the registry knows for a name),
/// `verdict:` (claims rated so, or `verdict:unrated`) and `claimant:`; and the editorial
/// workflow's `status:` (`status:in-review`), `assignee:` and `reviewer:` (`assignee:dana`,
/// `assignee:none`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query<'a> {
    Text(&'a str),
    Entity(&'a str),
    Verdict(&'a str),
    Claimant(&'a str),
    Status(&'a str),
    Assignee(&'a str),
    Reviewer(&'a str),
}

/// Whether a claim's assignee or reviewer `name` matches `wanted`: a case-insensitive part of
/// the name (`dana` finds "Dana Reyes"); `none` (or nothing) finds claims without one.
fn person_matches(name: Option<&str>, wanted: &str) -> bool {
    let wanted = wanted.trim().to_lowercase();
    match name {
        None => matches!(wanted.as_str(), "none" | "nobody" | "unassigned" | ""),
        Some(name) => !wanted.is_empty() && name.to_lowercase().contains(&wanted),
    }
}

impl<'a> Query<'a> {
    pub fn parse(input: &'a str) -> Self {
        let input = input.trim();
        let Some((field, value)) = input.split_once(':') else {
            return Query::Text(input);
        };
        let value = value.trim();
        match field.trim().to_ascii_lowercase().as_str() {
            "entity" => Query::Entity(value),
            "verdict" => Query::Verdict(value),
            "claimant" => Query::Claimant(value),
            "status" => Query::Status(value),
            "assignee" => Query::Assignee(value),
            "reviewer" => Query::Reviewer(value),
            // "Note: …" or "10:30" are text, not fields.
            _ => Query::Text(input),
        }
    }
}

/// The regex that finds every spelling the registry knows for entities whose name or alias
/// contains `name` ("lavrov" → "Sergey Lavrov|Sergei Lavrov|Lavrov"), as whole words. A name
/// the registry does not know is searched as it is written.
pub fn entity_pattern(project: &Project, name: &str) -> String {
    let needle = name.trim().to_lowercase();
    // How well an entity matches: a spelling equal to the name, one with a word starting so,
    // one containing it. A short needle ("a") matches most of a big registry; the best
    // `MAX_ENTITIES` keep the pattern small enough to compile.
    let rank = |entity: &crate::project::Entity| {
        entity
            .surface_forms()
            .map(|form| {
                let form = form.to_lowercase();
                if form == needle {
                    0
                } else if form.split_whitespace().any(|w| w.starts_with(&needle)) {
                    1
                } else if form.contains(&needle) {
                    2
                } else {
                    3
                }
            })
            .min()
            .unwrap_or(3)
    };
    const MAX_ENTITIES: usize = 200;
    let mut matching: Vec<(u8, &crate::project::Entity)> = project
        .entities
        .values()
        .map(|e| (rank(e), e))
        .filter(|(rank, _)| *rank < 3)
        .collect();
    matching.sort_by_key(|(rank, _)| *rank);
    let mut forms: Vec<&str> = matching
        .into_iter()
        .take(MAX_ENTITIES)
        .flat_map(|(_, e)| e.surface_forms())
        .filter(|f| !f.trim().is_empty())
        .collect();
    if forms.is_empty() {
        forms.push(name.trim());
    }
    // Longest first, so "Sergey Lavrov" wins over "Lavrov" at the same place.
    forms.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
    forms.dedup();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let alternatives: Vec<String> = forms
        .iter()
        .map(|form| {
            // \b only where the form itself starts or ends with a word char ("U.S." ends in '.').
            let start = if word(form.chars().next()) { r"\b" } else { "" };
            let end = if word(form.chars().last()) { r"\b" } else { "" };
            format!("{start}{}{end}", regex::escape(form))
        })
        .collect();
    alternatives.join("|")
}

/// How a query from the search box is answered: text scans go to a worker (they may take
/// tens of ms on a big corpus), annotation queries are answered at once from the project.
#[derive(Debug)]
pub enum Plan {
    /// Scan the text for `pattern` (a regex when `regex`, else literal words).
    Scan {
        pattern: String,
        regex: bool,
    },
    Found(SearchResult),
}

/// Plans the search-box `input` ("entity:", "verdict:" and "claimant:" prefixes, else text;
/// `regex` applies to text).
pub fn plan(project: &Project, articles: &[Arc<Article>], input: &str, regex: bool) -> Plan {
    match Query::parse(input) {
        Query::Text(text) => Plan::Scan {
            pattern: text.to_string(),
            regex,
        },
        Query::Entity("") => Plan::Found(SearchResult::default()),
        Query::Entity(name) => Plan::Scan {
            pattern: entity_pattern(project, name),
            regex: true,
        },
        query => Plan::Found(claims_matching(project, articles, query)),
    }
}

/// Claims whose verdict (`Query::Verdict`), claimant (`Query::Claimant`), status, assignee or
/// reviewer matches, in corpus
/// order, each with its text in context. Verdicts match by label prefix, case-insensitively
/// ("mostly" finds Mostly true and Mostly false); `unrated` finds claims with no verdict yet.
/// Claims in articles that are not loaded are left out (their text is unknown).
pub fn claims_matching(project: &Project, articles: &[Arc<Article>], query: Query) -> SearchResult {
    let keep = |claim: &crate::project::Claim| match query {
        Query::Verdict(wanted) => {
            let wanted = wanted.trim().to_lowercase();
            match &claim.verdict {
                None => matches!(wanted.as_str(), "unrated" | "none" | ""),
                Some(label) => !wanted.is_empty() && label.to_lowercase().starts_with(&wanted),
            }
        }
        Query::Claimant(wanted) => {
            let wanted = wanted.trim().to_lowercase();
            claim
                .claimant
                .as_ref()
                .is_some_and(|c| c.to_lowercase().contains(&wanted))
        }
        // Steps match as the scale's labels do in `Project::status_step` ("in-review" is
        // "in review"), or by the start of one ("review" does not, "in rev" does).
        Query::Status(wanted) => {
            let wanted = crate::project::status_key(wanted);
            let status = crate::project::status_key(project.status_of(claim));
            !wanted.is_empty() && status.starts_with(&wanted)
        }
        Query::Assignee(wanted) => person_matches(claim.assignee.as_deref(), wanted),
        Query::Reviewer(wanted) => person_matches(claim.reviewer.as_deref(), wanted),
        Query::Text(_) | Query::Entity(_) => false,
    };
    let order: std::collections::HashMap<&str, (usize, &Article)> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), (i, a.as_ref())))
        .collect();
    let mut found: Vec<(usize, crate::text::Span, &Article)> = project
        .claims
        .values()
        .filter(|claim| keep(claim))
        .filter_map(|claim| {
            let (position, article) = order.get(claim.article.as_str())?;
            // A stale anchor past the text's end is clamped rather than trusted.
            let end = claim.anchor.end.min(article.char_len());
            let span = crate::text::Span::new(claim.anchor.start.min(end), end);
            Some((*position, span, *article))
        })
        .collect();
    found.sort_by_key(|(position, span, _)| (*position, span.start, span.end));
    SearchResult {
        total: found.len(),
        capped: false,
        hits: found
            .into_iter()
            .take(MAX_HITS)
            .map(|(_, span, article)| hit_at(article, article.byte_range(span)))
            .collect(),
    }
}

/// Results returned per query at most; more are counted but not materialised.
pub const MAX_HITS: usize = 1000;

/// Matches counted at most. Past this the count is "10,000+": counting every "the" in 100 MB
/// would cost more than the whole rest of the query and tell the analyst nothing.
pub const COUNT_LIMIT: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub article: String,
    /// Char offset of the match.
    pub offset: usize,
    pub before: String,
    pub matched: String,
    pub after: String,
}

#[derive(Clone, Debug, Default)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    /// All matches, including those past `MAX_HITS`, up to `COUNT_LIMIT`.
    pub total: usize,
    /// The count stopped at `COUNT_LIMIT`; there are more.
    pub capped: bool,
}

/// Searches `articles` for `query` (a regex when `regex`, else words taken literally),
/// case-insensitively.
pub fn search(articles: &[Arc<Article>], query: &str, regex: bool) -> Result<SearchResult, String> {
    let never = AtomicBool::new(false);
    search_cancellable(articles, query, regex, &never)
        .map(|found| found.expect("a search that is never cancelled finishes"))
}

/// Like [`search`], split across the machine's cores, checking `cancel` between articles.
/// Returns `Ok(None)` when cancelled (the analyst typed on; a newer query replaces this one).
pub fn search_cancellable(
    articles: &[Arc<Article>],
    query: &str,
    regex: bool,
    cancel: &AtomicBool,
) -> Result<Option<SearchResult>, String> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(Some(SearchResult::default()));
    }
    let pattern = if regex {
        query.to_string()
    } else {
        regex::escape(query)
    };
    let matcher = regex::RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .size_limit(1 << 22)
        .build()
        .map_err(|err| format!("not a valid regex: {err}"))?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = articles.len().div_ceil(threads).max(1);
    let parts: Vec<Option<SearchResult>> = std::thread::scope(|scope| {
        let workers: Vec<_> = articles
            .chunks(chunk)
            .map(|part| {
                let matcher = &matcher;
                scope.spawn(move || scan(part, matcher, cancel))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or(None))
            .collect()
    });
    // Chunks are in corpus order, so hits stay in order.
    let mut result = SearchResult::default();
    for part in parts {
        let Some(part) = part else {
            return Ok(None);
        };
        result.total += part.total;
        result.capped |= part.capped;
        let room = MAX_HITS - result.hits.len();
        result.hits.extend(part.hits.into_iter().take(room));
    }
    if result.total >= COUNT_LIMIT {
        result.total = COUNT_LIMIT;
        result.capped = true;
    }
    Ok(Some(result))
}

/// A hit for the byte range `range` of `article`, with up to 50 chars of context each side.
fn hit_at(article: &Article, range: std::ops::Range<usize>) -> Hit {
    let text = &article.text;
    let before_start = text[..range.start]
        .char_indices()
        .rev()
        .nth(50)
        .map_or(0, |(i, _)| i);
    let after_end = text[range.end..]
        .char_indices()
        .nth(50)
        .map_or(text.len(), |(i, _)| range.end + i);
    Hit {
        article: article.id.clone(),
        offset: article.char_of(range.start),
        before: text[before_start..range.start].replace('\n', " "),
        matched: text[range.clone()].to_string(),
        after: text[range.end..after_end].replace('\n', " "),
    }
}

fn scan(
    articles: &[Arc<Article>],
    matcher: &regex::Regex,
    cancel: &AtomicBool,
) -> Option<SearchResult> {
    let mut result = SearchResult::default();
    for article in articles {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        for m in matcher.find_iter(&article.text) {
            if m.as_str().is_empty() {
                continue;
            }
            if result.total == COUNT_LIMIT {
                result.capped = true;
                return Some(result);
            }
            result.total += 1;
            if result.hits.len() >= MAX_HITS {
                continue;
            }
            result.hits.push(hit_at(article, m.range()));
        }
    }
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_and_regexes_in_context() {
        let articles = vec![
            Arc::new(Article::from_text(
                "a.txt",
                "Tehran allocates approximately $100 million annually.",
            )),
            Arc::new(Article::from_text(
                "b.txt",
                "Haniyeh said Hamas received $70 million from Iran.",
            )),
        ];
        let r = search(&articles, "MILLION", false).unwrap();
        assert_eq!(r.total, 2);
        assert_eq!(r.hits[1].article, "b.txt");
        assert_eq!(r.hits[1].before, "Haniyeh said Hamas received $70 ");
        let r = search(&articles, r"\$\d+ million", true).unwrap();
        assert_eq!(
            r.hits
                .iter()
                .map(|h| h.matched.as_str())
                .collect::<Vec<_>>(),
            ["$100 million", "$70 million"]
        );
        assert!(search(&articles, "(", true).is_err());
        assert_eq!(
            search(&articles, "$100", false).unwrap().total,
            1,
            "plain words are literal"
        );
    }

    #[test]
    fn counts_stop_at_the_limit_and_hits_stay_in_corpus_order() {
        // Enough articles that every core gets a share.
        let articles: Vec<Arc<Article>> = (0..40)
            .map(|i| {
                Arc::new(Article::from_text(
                    &format!("{i:02}.txt"),
                    &"the hostages and the talks. ".repeat(200),
                ))
            })
            .collect();
        let r = search(&articles, "the", false).unwrap();
        assert!(r.capped);
        assert_eq!(r.total, COUNT_LIMIT);
        assert_eq!(r.hits.len(), MAX_HITS);
        let order: Vec<&str> = r.hits.iter().map(|h| h.article.as_str()).collect();
        assert!(
            order.windows(2).all(|w| w[0] <= w[1]),
            "hits in corpus order"
        );
        let r = search(&articles, "hostages", false).unwrap();
        assert_eq!((r.total, r.capped), (40 * 200, false));
        let cancelled = AtomicBool::new(true);
        assert!(
            search_cancellable(&articles, "the", false, &cancelled)
                .unwrap()
                .is_none()
        );
    }

    fn person(name: &str, aliases: &[&str]) -> crate::project::Entity {
        crate::project::Entity {
            provenance: Default::default(),
            name: name.into(),
            kind: crate::analysis::EntityKind::Person,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            note: String::new(),
        }
    }

    #[test]
    fn entity_search_finds_every_spelling_and_survives_a_vague_name() {
        let mut project = Project::default();
        project.entities.insert(
            "01a".into(),
            person("Hossein Amir-Abdollahian", &["Amirabdollahian"]),
        );
        project
            .entities
            .insert("01b".into(), person("U.S.", &["United States"]));
        let articles = vec![Arc::new(Article::from_text(
            "a.txt",
            "Amirabdollahian met Hossein Amir-Abdollahian's hosts. The U.S. said so. Amirabdollahianism.",
        ))];
        let hits = |pattern: &str| -> Vec<String> {
            search(&articles, pattern, true)
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.matched)
                .collect()
        };
        assert_eq!(
            hits(&entity_pattern(&project, "abdollahian")),
            ["Amirabdollahian", "Hossein Amir-Abdollahian"],
            "both spellings, whole words only"
        );
        // A form ending in '.' still matches (no \b after a non-word char).
        assert_eq!(hits(&entity_pattern(&project, "u.s.")), ["U.S."]);
        // Unknown to the registry: searched as written.
        assert_eq!(hits(&entity_pattern(&project, "hosts")), ["hosts"]);

        // One letter matches a whole big registry; the pattern still compiles.
        for i in 0..5000 {
            project.entities.insert(
                format!("02{i:05}"),
                person(&format!("Person Number {i}"), &[]),
            );
        }
        let vague = entity_pattern(&project, "e");
        assert!(search(&articles, &vague, true).is_ok());
    }
}
