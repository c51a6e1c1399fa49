//! Full-text and regex search across the corpus, with results in context.
//!
//! A scan with the `regex` crate (literal prefilters, SIMD) runs at gigabytes per second, which
//! keeps a 100 MB corpus well inside an interactive budget without an index to build or keep
//! in sync; `claimdesk bench search` measures it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::corpus::Article;

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
            let text = &article.text;
            let before_start = text[..m.start()]
                .char_indices()
                .rev()
                .nth(50)
                .map_or(0, |(i, _)| i);
            let after_end = text[m.end()..]
                .char_indices()
                .nth(50)
                .map_or(text.len(), |(i, _)| m.end() + i);
            result.hits.push(Hit {
                article: article.id.clone(),
                offset: article.char_of(m.start()),
                before: text[before_start..m.start()].replace('\n', " "),
                matched: m.as_str().to_string(),
                after: text[m.end()..after_end].replace('\n', " "),
            });
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
}
