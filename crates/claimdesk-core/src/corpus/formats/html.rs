//! HTML: the main article text (readability-style, via `dom_smoothie`) and page metadata
//! (JSON-LD `NewsArticle`, Open Graph, `<time datetime>`, `<meta name=author>`, canonical link).

use std::time::Instant;

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use serde_json::Value;

use super::{Extracted, collapse_whitespace, dom, iso_date, set_if_empty};
use crate::corpus::ArticleMeta;

/// Elements that are never article text.
const NON_CONTENT: &str = "script, style, noscript, template, svg, iframe, object, embed, canvas, \
    nav, header, footer, aside, form, button, select, input, textarea, [role=navigation], \
    [role=banner], [role=contentinfo], [aria-hidden=true]";

/// Above this sum of element depths, readability scoring (which visits every node's ancestors
/// and descendants many times) would take seconds; such a page is read as all its visible text.
const READABILITY_WORK_LIMIT: u64 = 4_000_000;

/// Extracts the main text and metadata of a saved web page. Broken markup is repaired the way
/// browsers do (html5ever); a page with no readable content yields empty text. Fails only when the
/// page is too large or too slow to parse (see [`dom`]).
pub fn extract(html: &str, deadline: Option<Instant>) -> Result<Extracted, String> {
    let parsed = dom::parse(html, deadline).map_err(stopped_message)?;
    let mut notes = Vec::new();
    if parsed.flattened {
        notes.push(flattened_note());
    }
    let document = parsed.document;
    let mut meta = page_meta(&document);
    let headline = collapse_whitespace(&document.select("h1").first().text());

    let mut text = String::new();
    if parsed.depth_sum <= READABILITY_WORK_LIMIT {
        let config = Config {
            text_mode: TextMode::Formatted,
            // Short news items (a few paragraphs) are still articles.
            char_threshold: 200,
            ..Config::default()
        };
        let readable = Readability::with_document(document, None, Some(config))
            .ok()
            .and_then(|mut r| r.parse().ok());
        if let Some(article) = readable {
            text = article.text_content.to_string();
            set_if_empty(&mut meta.title, Some(article.title));
            set_if_empty(&mut meta.byline, article.byline);
            set_if_empty(&mut meta.source, article.site_name);
            set_if_empty(
                &mut meta.date,
                article.published_time.as_deref().and_then(iso_date),
            );
            set_if_empty(&mut meta.url, article.url);
        }
        if text.trim().is_empty() {
            text = body_text(html, deadline)?;
        }
    } else {
        notes.push(format!(
            "page too large for main-text detection ({} elements); all visible text kept",
            parsed.elements
        ));
        text = visible_text(&document);
    }
    let mut text = tidy(&text);
    // Readability drops the headline (it becomes the title); keep it as the first line, as in
    // plain-text captures, since headlines carry claims too.
    if !headline.is_empty() && !text.starts_with(&headline) {
        text = format!("{headline}\n\n{text}");
    }
    Ok(Extracted { text, meta, notes })
}

/// All visible body text minus non-content elements (scripts, navigation, forms …). Used for EPUB
/// chapters and as the fallback when no main article block is found.
pub fn body_text(html: &str, deadline: Option<Instant>) -> Result<String, String> {
    body_text_with_notes(html, deadline).map(|body| body.text)
}

/// Visible text of a page and whether its nesting had to be flattened.
pub struct BodyText {
    pub text: String,
    pub flattened: bool,
}

pub fn body_text_with_notes(html: &str, deadline: Option<Instant>) -> Result<BodyText, String> {
    let parsed = dom::parse(html, deadline).map_err(stopped_message)?;
    Ok(BodyText {
        text: visible_text(&parsed.document),
        flattened: parsed.flattened,
    })
}

fn visible_text(document: &Document) -> String {
    document.select(NON_CONTENT).remove();
    let body = document.select("body");
    let text = if body.exists() {
        body.formatted_text()
    } else {
        document.formatted_text()
    };
    tidy(&text)
}

pub(crate) fn flattened_note() -> String {
    format!(
        "elements nested deeper than {} levels flattened (their text is kept)",
        dom::MAX_DEPTH
    )
}

fn stopped_message(stopped: dom::Stopped) -> String {
    match stopped {
        dom::Stopped::Deadline => {
            "the page took too long to parse (time limit reached); it was skipped".into()
        }
        dom::Stopped::TooManyNodes => format!(
            "the page has more than {} tags, over the limit for one article; save the article \
             alone (reader view or print to PDF) and import that",
            dom::MAX_NODES
        ),
    }
}

/// Trims each line and keeps at most one blank line between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = false;
    }
    out
}

fn meta_content(document: &Document, selector: &str) -> Option<String> {
    document
        .select(selector)
        .iter()
        .filter_map(|s| {
            s.attr("content")
                .or_else(|| s.attr("datetime"))
                .or_else(|| s.attr("href"))
        })
        .map(|v| collapse_whitespace(v.as_ref()))
        .find(|v| !v.is_empty())
}

/// Metadata from the page head and markup, most specific source first.
fn page_meta(document: &Document) -> ArticleMeta {
    let mut meta = json_ld_meta(document).unwrap_or_default();
    set_if_empty(
        &mut meta.title,
        meta_content(
            document,
            r#"meta[property="og:title"], meta[name="twitter:title"]"#,
        ),
    );
    set_if_empty(
        &mut meta.source,
        meta_content(
            document,
            r#"meta[property="og:site_name"], meta[name="application-name"]"#,
        ),
    );
    set_if_empty(
        &mut meta.byline,
        meta_content(document, r#"meta[name="author"], meta[name="byl"], meta[name="dc.creator"], meta[property="article:author"]"#)
            .filter(|a| !a.starts_with("http"))
            .map(|a| a.trim_start_matches("By ").trim_start_matches("by ").to_string()),
    );
    set_if_empty(
        &mut meta.date,
        meta_content(
            document,
            r#"meta[property="article:published_time"], meta[name="date"], meta[name="pubdate"], meta[name="dc.date"], meta[itemprop="datePublished"], time[datetime]"#,
        )
        .as_deref()
        .and_then(iso_date),
    );
    set_if_empty(
        &mut meta.url,
        meta_content(
            document,
            r#"meta[property="og:url"], link[rel="canonical"]"#,
        ),
    );
    let title_tag = document.select("head title").text();
    set_if_empty(&mut meta.title, Some(title_tag.to_string()));
    set_if_empty(
        &mut meta.title,
        Some(document.select("h1").first().text().to_string()),
    );
    meta
}

/// Reads the first JSON-LD object typed as an article (also inside arrays and `@graph`).
fn json_ld_meta(document: &Document) -> Option<ArticleMeta> {
    for script in document
        .select(r#"script[type="application/ld+json"]"#)
        .iter()
    {
        let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) else {
            continue;
        };
        let mut candidates: Vec<&Value> = Vec::new();
        collect_objects(&value, &mut candidates, 0);
        let Some(article) = candidates
            .into_iter()
            .find(|v| is_article_type(v.get("@type")))
        else {
            continue;
        };
        let mut meta = ArticleMeta::default();
        set_if_empty(
            &mut meta.title,
            string_of(article.get("headline")).or_else(|| string_of(article.get("name"))),
        );
        set_if_empty(&mut meta.byline, names_of(article.get("author")));
        set_if_empty(
            &mut meta.date,
            string_of(article.get("datePublished"))
                .as_deref()
                .and_then(iso_date),
        );
        set_if_empty(
            &mut meta.source,
            article.get("publisher").and_then(|p| names_of(Some(p))),
        );
        set_if_empty(
            &mut meta.url,
            string_of(article.get("url")).or_else(|| {
                article
                    .get("mainEntityOfPage")
                    .and_then(|m| string_of(Some(m)).or_else(|| string_of(m.get("@id"))))
            }),
        );
        return Some(meta);
    }
    None
}

fn collect_objects<'a>(value: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_objects(v, out, depth + 1)),
        Value::Object(map) => {
            out.push(value);
            if let Some(graph) = map.get("@graph") {
                collect_objects(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn is_article_type(value: Option<&Value>) -> bool {
    let is_article = |t: &str| t.ends_with("Article") || t == "BlogPosting" || t == "Report";
    match value {
        Some(Value::String(t)) => is_article(t),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).any(is_article),
        _ => false,
    }
}

fn string_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(|v| string_of(Some(v))),
        _ => None,
    }
}

/// `"Jane Doe"`, `{"name": …}` or a list of either, joined with ", ".
fn names_of(value: Option<&Value>) -> Option<String> {
    let names: Vec<String> = match value? {
        Value::String(s) => vec![s.clone()],
        Value::Object(map) => map
            .get("name")
            .and_then(|n| string_of(Some(n)))
            .into_iter()
            .collect(),
        Value::Array(items) => items.iter().filter_map(|v| names_of(Some(v))).collect(),
        _ => Vec::new(),
    };
    let names: Vec<String> = names
        .into_iter()
        .map(|n| collapse_whitespace(&n))
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// The charset a page declares in its first bytes (`<meta charset=…>` or `http-equiv`), if any.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}
