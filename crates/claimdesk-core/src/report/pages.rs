//! Pages to publish, as fact-check sites do: one HTML page per rated claim, each with its own
//! single ClaimReview JSON-LD object (Google reads one review per page) whose `url` is that
//! page's address, the verdict, the explanation and the evidence with each passage quoted in
//! its context on the page; and an `index.html` listing them.
//!
//! File names are stable: a slug of the claim's first words plus the start of its id
//! (`with-regard-to-gaza-there-is-01m8ssgy.html`), so republishing keeps every address.

use std::fmt::Write as _;

use super::claimreview::PublishInfo;
use super::html::{Links, css_token, escape_text, head, highlighted, json_ld, render_claim};
use super::{Highlight, Report, ReportClaim};
use crate::text::Span;

/// Chars of article text shown on each side of an evidence passage.
const EXCERPT_CONTEXT: usize = 300;

/// The file name of a claim's page.
pub fn page_name(claim: &ReportClaim) -> String {
    let words: Vec<String> = super::bare_quote(&claim.quote)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let id: String = css_token(&claim.id).chars().take(8).collect();
    if words.is_empty() {
        format!("claim-{id}.html")
    } else {
        format!("{}-{id}.html", words.join("-"))
    }
}

/// The address a page is published at: `base` + `/` + file name.
fn page_url(info: &PublishInfo, name: &str) -> String {
    if info.is_unpublished() {
        format!("{}:{name}", info.base_url)
    } else {
        format!("{}/{name}", info.base_url.trim_end_matches('/'))
    }
}

/// The files: (`index.html` or a page name, HTML), for the rated analyst claims of `report`.
/// `articles` gives each article's text by id, for the excerpts around evidence passages.
pub fn render(
    report: &Report,
    info: &PublishInfo,
    article_text: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    let rated: Vec<&ReportClaim> = report
        .claims
        .iter()
        .filter(|c| c.verdict.is_some() && !c.suggested)
        .collect();
    let mut files = Vec::new();
    let mut index = String::with_capacity(8 * 1024);
    let title = escape_text(&report.title);
    head(
        &mut index,
        &format!("{title} — fact-checks"),
        &report.rating_scale,
    );
    index.push_str("</head>\n<body>\n");
    writeln!(index, "<h1>{title}</h1>").ok();
    writeln!(
        index,
        "<p class=\"meta\">{} fact-check(s) · published by {} · {}</p>\n<nav class=\"toc\"><ol>",
        rated.len(),
        escape_text(&info.author),
        escape_text(&info.date_published)
    )
    .ok();
    for claim in &rated {
        let name = page_name(claim);
        let verdict = claim.verdict.as_deref().unwrap_or_default();
        writeln!(
            index,
            "<li class=\"v-{}\"><span class=\"verdict\">{}</span> <a href=\"{}\">“{}”</a> — {}</li>",
            css_token(verdict),
            escape_text(verdict),
            escape_text(&name),
            escape_text(super::bare_quote(&claim.quote)),
            claim
                .claimant
                .as_deref()
                .map_or_else(|| "unknown claimant".into(), escape_text)
        )
        .ok();
        files.push((
            name.clone(),
            claim_page(report, claim, info, &name, article_text),
        ));
    }
    index.push_str("</ol></nav>\n</body>\n</html>\n");
    files.insert(0, ("index.html".into(), index));
    files
}

fn claim_page(
    report: &Report,
    claim: &ReportClaim,
    info: &PublishInfo,
    name: &str,
    article_text: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let verdict = claim.verdict.as_deref().unwrap_or_default();
    let quote = super::bare_quote(&claim.quote);
    let short: String = quote.chars().take(70).collect();
    head(
        &mut out,
        &format!(
            "{}: “{}{}” — {}",
            escape_text(verdict),
            escape_text(&short),
            if quote.chars().count() > 70 {
                "…"
            } else {
                ""
            },
            escape_text(&info.author)
        ),
        &report.rating_scale,
    );
    let review = super::claimreview::review(report, claim, verdict, info, &page_url(info, name));
    json_ld(&mut out, &super::json_for_html(&review));
    out.push_str(
        "</head>\n<body>\n<p class=\"meta\"><a href=\"index.html\">All fact-checks</a></p>\n",
    );
    writeln!(
        out,
        "<h1>{}: “{}”</h1>",
        escape_text(verdict),
        escape_text(quote)
    )
    .ok();
    writeln!(
        out,
        "<p class=\"meta\">Fact-check by {} · {}</p>",
        escape_text(&info.author),
        escape_text(&info.date_published)
    )
    .ok();
    render_claim(&mut out, claim, false, &Links::Page);
    let passages: Vec<_> = claim
        .evidence
        .iter()
        .filter(|e| e.article_id.is_some() && !e.quote.is_empty())
        .collect();
    if !passages.is_empty() {
        out.push_str("<h2 id=\"excerpts\">The evidence in its context</h2>\n");
    }
    for evidence in passages {
        let Some(article) = evidence.article_id.as_deref() else {
            continue;
        };
        writeln!(
            out,
            "<section class=\"article excerpt\">\n<h3>{}</h3>\n<p class=\"meta\">{}</p>",
            escape_text(evidence.meta.title.as_deref().unwrap_or(article)),
            super::html::where_published(&evidence.meta, article)
        )
        .ok();
        match (article_text(article), evidence.span) {
            (Some(text), Some(span)) => {
                let index = crate::text::CharIndex::new(&text);
                let len = index.char_len();
                let from = span.start.saturating_sub(EXCERPT_CONTEXT);
                let to = (span.end + EXCERPT_CONTEXT).min(len);
                let excerpt = index.slice(&text, Span::new(from, to));
                let highlight = Highlight {
                    record: Some(evidence.id.clone()),
                    claim: None,
                    span,
                    kind: "evidence".into(),
                    label: format!("evidence ({})", evidence.stance),
                    verdict: None,
                };
                writeln!(
                    out,
                    "<div class=\"body\">{}{}{}</div>",
                    if from > 0 { "…" } else { "" },
                    highlighted(excerpt, std::slice::from_ref(&highlight), from),
                    if to < len { "…" } else { "" }
                )
                .ok();
            }
            _ => {
                writeln!(
                    out,
                    "<blockquote id=\"passage-{}\">“{}”</blockquote>",
                    css_token(&evidence.id),
                    escape_text(super::bare_quote(&evidence.quote))
                )
                .ok();
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
