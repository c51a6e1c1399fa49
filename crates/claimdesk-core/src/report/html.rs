//! Self-contained HTML report: inline CSS, no scripts, no network, printable. The one
//! `<script>` element is data, not code: the ClaimReview JSON-LD of the rated claims
//! (`type="application/ld+json"`, which browsers never run), for search engines and checkers.
//!
//! Each claim card says where the claim appeared (title, outlet, byline, date, URL) and links
//! to it in the article's text below; each evidence citation links to its passage there
//! (`#passage-<id>`, highlighted while targeted) and to its URL.
//!
//! Every piece of article or analyst text goes through [`escape_text`]: HTML-escaped, and
//! bidirectional control characters shown as visible codes so a hostile article cannot reorder
//! or hide the report's text.

use std::fmt::Write as _;

use super::claimreview::PublishInfo;
use super::{Report, ReportArticle, ReportClaim};
use crate::text::CharIndex;

/// Escapes text for HTML element content and attributes, neutralising bidi controls.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if super::is_bidi_control(c) || super::is_forbidden_control(c) => {
                write!(out, "[U+{:04X}]", c as u32).ok();
            }
            c => out.push(c),
        }
    }
    out
}

/// A link for http(s) URLs; anything else (`javascript:`, `data:`) stays inert text.
pub(crate) fn link(url: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        format!(
            "<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>",
            escape_text(url.trim())
        )
    } else {
        escape_text(url)
    }
}

/// A CSS class fragment from free text (verdict labels): lowercase ASCII letters and dashes only.
pub(crate) fn css_token(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

const STYLE: &str = r#"
:root { --ink:#1d1d1f; --muted:#5f6368; --line:#d9d9de; --paper:#fff;
  --true:#1e8e3e; --mostly-true:#5bb974; --half-true:#f9ab00; --misleading:#e37400;
  --mostly-false:#d93025; --false:#a50e0e; --unverifiable:#5f6368; }
* { box-sizing: border-box; }
body { font: 16px/1.55 Georgia, 'Times New Roman', serif; color: var(--ink); background: var(--paper);
  max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3 { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; line-height: 1.25; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; }
.meta, .cite, .legend, .toc { font-family: system-ui, sans-serif; font-size: .85rem; color: var(--muted); }
.claim { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px;
  padding: .8rem 1rem; margin: 1.2rem 0; }
.claim blockquote, .evidence li, .claim .cite { break-inside: avoid; }
.claim blockquote { font-size: 1.15rem; margin: .3rem 0 .6rem; }
.verdict { display: inline-block; font: 600 .8rem system-ui, sans-serif; text-transform: uppercase;
  letter-spacing: .04em; color: #fff; background: var(--muted); padding: .15rem .5rem; border-radius: 3px; }
.context { color: var(--muted); font-size: .92rem; }
.context mark { background: #fff3c4; color: var(--ink); }
.note { white-space: pre-wrap; }
.evidence li { margin: .4rem 0; }
.stance { font: 600 .75rem system-ui, sans-serif; text-transform: uppercase; }
.article { margin-top: 2rem; }
h2#articles, .article + .article { break-before: page; }
.article .body { white-space: pre-wrap; }
.hl-claim { background: #fff3c4; border-bottom: 2px solid var(--muted); }
.hl-evidence { background: #e3f2fd; }
.hl-claim:target, .hl-evidence:target { outline: 3px solid #1a73e8; outline-offset: 2px; background: #ffe082; }
.back { font: .75rem system-ui, sans-serif; text-decoration: none; vertical-align: super; }
cite { font-style: normal; font-weight: 600; }
td.kind { white-space: nowrap; overflow-wrap: normal; word-break: keep-all; }
.hl-entity { border-bottom: 2px dotted #3f51b5; }
.ent-PERSON { border-bottom-color: #8e24aa; } .ent-ORG { border-bottom-color: #1e88e5; }
.ent-GPE, .ent-LOC { border-bottom-color: #43a047; } .ent-NORP { border-bottom-color: #6d4c41; }
.ent-DATE { border-bottom-color: #00897b; } .ent-MONEY, .ent-QUANTITY, .ent-PERCENT, .ent-CARDINAL { border-bottom-color: #f4511e; }
table { border-collapse: collapse; width: 100%; font-family: system-ui, sans-serif; font-size: .85rem; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .3rem .4rem; vertical-align: top; }
.missing { color: #a50e0e; font-family: system-ui, sans-serif; }
.toc a { color: inherit; } .toc ol { padding-left: 1.2rem; } .toc li { margin: .15rem 0; }
.toc .verdict { font-size: .65rem; padding: .05rem .35rem; }
.evidence .quote { font-style: italic; }
.conflicts li { margin: .3rem 0; }
a { overflow-wrap: anywhere; }
.article .body, .note, blockquote, td { overflow-wrap: anywhere; }
@page { size: A4; margin: 18mm 16mm; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; }
  .verdict, .hl-claim, .hl-evidence, .claim { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; } h2, h3 { page-break-after: avoid; break-after: avoid; }
  .toc a::after { content: none; } .back { display: none; } }
"#;

fn verdict_color_rule(rating_scale: &[(String, i32)]) -> String {
    // Verdict colours come from the scale position (best → green, worst → red), so custom
    // scales get sensible colours too.
    let mut css = String::new();
    let palette = [
        "#1e8e3e", "#5bb974", "#f9ab00", "#e37400", "#d93025", "#a50e0e", "#5f6368",
    ];
    for (i, (label, _)) in rating_scale.iter().enumerate() {
        let color = palette[i.min(palette.len() - 1)];
        let token = css_token(label);
        writeln!(
            css,
            ".v-{token} .verdict {{ background: {color}; }} .v-{token} {{ border-left-color: {color}; }} .hl-claim.v-{token} {{ border-bottom-color: {color}; }}"
        )
        .ok();
    }
    css
}

/// Renders the whole report, with the ClaimReview JSON-LD under the defaults of
/// [`PublishInfo::for_report`] (a `urn:` address, today's date).
pub fn render(report: &Report) -> String {
    render_with(report, &PublishInfo::for_report(report))
}

/// The `<head>` of every page: charset, a policy that forbids scripts and network loads, the
/// style sheet.
pub(crate) fn head(out: &mut String, title: &str, rating_scale: &[(String, i32)]) {
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>{title}</title>\n<style>{STYLE}{}</style>\n",
        verdict_color_rule(rating_scale)
    )
    .ok();
}

/// `<script type="application/ld+json">` holding `json` (already escaped by
/// [`super::json_for_html`], so nothing in it can close the element).
pub(crate) fn json_ld(out: &mut String, json: &str) {
    out.push_str("<script type=\"application/ld+json\">\n");
    out.push_str(json);
    out.push_str("</script>\n");
}

/// Renders the whole report; its rated claims' ClaimReview JSON-LD uses `info`.
pub fn render_with(report: &Report, info: &PublishInfo) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = escape_text(&report.title);
    head(
        &mut out,
        &format!("{title} — fact-check report"),
        &report.rating_scale,
    );
    let reviews = super::claimreview::reviews(report, info);
    if !reviews.is_empty() {
        json_ld(&mut out, &super::json_for_html(&reviews));
    }
    out.push_str("</head>\n<body>\n");
    writeln!(out, "<h1>{title}</h1>").ok();
    let rated = report.claims.iter().filter(|c| c.verdict.is_some()).count();
    writeln!(
        out,
        "<p class=\"meta\">Fact-check report · {} claim(s), {} rated · {} article(s). Made with Claimdesk.</p>",
        report.claims.len(),
        rated,
        report.articles.len()
    )
    .ok();

    if !report.claims.is_empty() {
        out.push_str("<nav class=\"toc\"><strong>Claims checked</strong>\n<ol>\n");
        for claim in &report.claims {
            let verdict_class = claim
                .verdict
                .as_deref()
                .map(|v| format!(" class=\"v-{}\"", css_token(v)))
                .unwrap_or_default();
            let verdict = claim
                .verdict
                .as_deref()
                .map_or_else(|| "not rated".into(), escape_text);
            let bare = super::bare_quote(&claim.quote);
            let mut quote: String = bare.chars().take(90).collect();
            if bare.chars().count() > 90 {
                quote.push('…');
            }
            writeln!(
                out,
                "<li{verdict_class}><span class=\"verdict\">{verdict}</span> <a href=\"#claim-{}\">“{}”</a> — {}</li>",
                css_token(&claim.id),
                escape_text(&quote),
                claim.claimant.as_deref().map_or_else(|| "unknown claimant".into(), escape_text)
            )
            .ok();
        }
        out.push_str("</ol>\n</nav>\n");
    }
    out.push_str("<h2 id=\"claims\">Claims</h2>\n");
    if report.claims.is_empty() {
        out.push_str("<p class=\"meta\">No claims recorded.</p>\n");
    }
    let in_report: std::collections::HashSet<&str> =
        report.articles.iter().map(|a| a.id.as_str()).collect();
    for claim in &report.claims {
        render_claim(
            &mut out,
            claim,
            in_report.contains(claim.article_id.as_str()),
            &Links::Report,
        );
    }

    if !report.conflicts.is_empty() {
        out.push_str("<h2 id=\"conflicts\">Conflicting figures</h2>\n<ul class=\"conflicts\">\n");
        for conflict in &report.conflicts {
            let statements: Vec<String> = conflict
                .statements
                .iter()
                .map(|(title, figure)| {
                    format!(
                        "{}: <strong>{}</strong>",
                        escape_text(title),
                        escape_text(figure)
                    )
                })
                .collect();
            write!(
                out,
                "<li><strong>{}</strong> — {}",
                escape_text(&conflict.subject),
                statements.join("; ")
            )
            .ok();
            if !conflict.note.trim().is_empty() {
                write!(
                    out,
                    "<br><span class=\"note\">{}</span>",
                    escape_text(&conflict.note)
                )
                .ok();
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }

    if !report.articles.is_empty() {
        out.push_str("<h2 id=\"articles\">Articles</h2>\n");
        out.push_str("<p class=\"legend\">Legend: <span class=\"hl-claim\">claim</span> (border colour = verdict) · <span class=\"hl-evidence\">evidence</span> · <span class=\"hl-entity ent-PERSON\">person</span> · <span class=\"hl-entity ent-ORG\">organisation</span> · <span class=\"hl-entity ent-GPE\">place</span> · <span class=\"hl-entity ent-DATE\">date</span> · <span class=\"hl-entity ent-MONEY\">figure</span></p>\n");
        for article in &report.articles {
            render_article(&mut out, article);
        }
    }

    if !report.entities.is_empty() {
        out.push_str("<h2 id=\"entities\">Entity index</h2>\n<table>\n<thead><tr><th>Name</th><th>Type</th><th>Also written</th><th>Mentions</th></tr></thead>\n<tbody>\n");
        for entity in &report.entities {
            let mentions: Vec<String> = entity
                .mentions
                .iter()
                .map(|(title, n)| format!("{} ({n})", escape_text(title)))
                .collect();
            writeln!(
                out,
                "<tr><td>{}</td><td class=\"kind\">{}</td><td>{}</td><td>{}</td></tr>",
                escape_text(&entity.name),
                escape_text(&entity.kind),
                escape_text(&entity.aliases.join(", ")),
                mentions.join("; ")
            )
            .ok();
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Where a claim card's links to passages go: the report's article section, or (a published
/// claim page) the excerpts on the same page.
pub(crate) enum Links {
    Report,
    Page,
}

/// "Title — Source · byline · date · URL" with the title as `<cite>` and the URL as a link.
pub(crate) fn where_published(meta: &crate::corpus::ArticleMeta, fallback: &str) -> String {
    let mut out = format!(
        "<cite>{}</cite>",
        escape_text(meta.title.as_deref().unwrap_or(fallback))
    );
    let extra: Vec<String> = [
        meta.source.as_deref(),
        meta.byline.as_deref().map(str::trim),
        meta.date.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .map(escape_text)
    .chain(meta.url.as_deref().map(link))
    .collect();
    if !extra.is_empty() {
        out.push_str(" — ");
        out.push_str(&extra.join(" · "));
    }
    out
}

pub(crate) fn render_claim(
    out: &mut String,
    claim: &ReportClaim,
    article_in_report: bool,
    links: &Links,
) {
    let verdict_class = claim
        .verdict
        .as_deref()
        .map(|v| format!(" v-{}", css_token(v)))
        .unwrap_or_default();
    writeln!(
        out,
        "<article class=\"claim{verdict_class}\" id=\"claim-{}\">",
        css_token(&claim.id)
    )
    .ok();
    let verdict = match (&claim.verdict, claim.suggested) {
        (Some(v), _) => escape_text(v),
        (None, true) => "Suggested claim (not rated)".into(),
        (None, false) => "Not rated".into(),
    };
    writeln!(out, "<span class=\"verdict\">{verdict}</span>").ok();
    writeln!(
        out,
        "<blockquote>“{}”</blockquote>",
        escape_text(super::bare_quote(&claim.quote))
    )
    .ok();
    let claimant = claim
        .claimant
        .as_deref()
        .map_or_else(|| "Unknown claimant".into(), escape_text);
    writeln!(
        out,
        "<p class=\"cite\"><strong>Claimant:</strong> {claimant}</p>"
    )
    .ok();
    let mut appeared = where_published(&claim.article, &claim.article_id);
    if article_in_report {
        write!(
            appeared,
            " · <a href=\"#text-claim-{}\">in the article below</a>",
            css_token(&claim.id)
        )
        .ok();
    }
    writeln!(
        out,
        "<p class=\"cite\"><strong>Appeared in:</strong> {appeared}</p>"
    )
    .ok();
    writeln!(
        out,
        "<p class=\"cite\"><strong>Our verdict:</strong> {verdict}</p>"
    )
    .ok();
    writeln!(
        out,
        "<p class=\"context\">…{}<mark>{}</mark>{}…</p>",
        escape_text(&claim.context_before),
        escape_text(&claim.quote),
        escape_text(&claim.context_after)
    )
    .ok();
    if claim.orphan {
        out.push_str(
            "<p class=\"cite\"><strong>Not found in the article's current text:</strong> \
             the article changed after this claim was recorded; the quote is shown as it was.</p>\n",
        );
    }
    if !claim.note.trim().is_empty() {
        writeln!(
            out,
            "<h3>Our explanation</h3>\n<p class=\"note\">{}</p>",
            escape_text(&claim.note)
        )
        .ok();
    }
    if !claim.evidence.is_empty() {
        out.push_str("<h3>Evidence</h3>\n<ul class=\"evidence\">\n");
        for evidence in &claim.evidence {
            write!(
                out,
                "<li><span class=\"stance\">{}</span> ",
                escape_text(&evidence.stance)
            )
            .ok();
            let target = match links {
                Links::Report if evidence.in_report => {
                    Some(format!("#passage-{}", css_token(&evidence.id)))
                }
                Links::Page if evidence.article_id.is_some() => {
                    Some(format!("#passage-{}", css_token(&evidence.id)))
                }
                _ => None,
            };
            if !evidence.quote.is_empty() {
                let quote = escape_text(super::bare_quote(&evidence.quote));
                match &target {
                    Some(href) => write!(
                        out,
                        "<a class=\"quote\" href=\"{href}\" title=\"the passage in its article\">“{quote}”</a> "
                    ),
                    None => write!(out, "<span class=\"quote\">“{quote}”</span> "),
                }
                .ok();
            }
            let fallback = evidence.article_id.as_deref().unwrap_or(&evidence.citation);
            write!(
                out,
                "<span class=\"cite\">— {}</span>",
                where_published(&evidence.meta, fallback)
            )
            .ok();
            if !evidence.note.trim().is_empty() {
                write!(
                    out,
                    "<br><span class=\"note\">{}</span>",
                    escape_text(&evidence.note)
                )
                .ok();
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

fn render_article(out: &mut String, article: &ReportArticle) {
    let title = article.meta.title.as_deref().unwrap_or(&article.id);
    writeln!(
        out,
        "<section class=\"article\" id=\"article-{}\">",
        css_token(&article.id)
    )
    .ok();
    writeln!(out, "<h3>{}</h3>", escape_text(title)).ok();
    let meta: Vec<String> = [
        article.meta.source.as_deref(),
        article.meta.byline.as_deref().map(|b| b.trim()),
        article.meta.date.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(escape_text)
    .chain(article.meta.url.as_deref().map(link))
    .collect();
    if !meta.is_empty() {
        writeln!(out, "<p class=\"meta\">{}</p>", meta.join(" · ")).ok();
    }
    if let Some(reason) = &article.missing {
        writeln!(
            out,
            "<p class=\"missing\">Article text unavailable: {}</p>",
            escape_text(reason)
        )
        .ok();
        out.push_str("</section>\n");
        return;
    }
    out.push_str("<div class=\"body\">");
    out.push_str(&highlighted(&article.text, &article.highlights, 0));
    out.push_str("</div>\n</section>\n");
}

/// The opening tag of a highlight; `with_id` on its first piece only, so each id is unique.
fn open_tag(h: &super::Highlight, with_id: bool) -> String {
    let mut classes: Vec<String> = Vec::new();
    let mut id = None;
    match h.kind.as_str() {
        "claim" => {
            classes.push("hl-claim".into());
            if let Some(v) = &h.verdict {
                classes.push(format!("v-{}", css_token(v)));
            }
            id = h
                .record
                .as_deref()
                .map(|r| format!("text-claim-{}", css_token(r)));
        }
        "evidence" => {
            classes.push("hl-evidence".into());
            id = h
                .record
                .as_deref()
                .map(|r| format!("passage-{}", css_token(r)));
        }
        kind => {
            classes.push("hl-entity".into());
            classes.push(format!("ent-{}", css_token(kind).to_uppercase()));
        }
    }
    let mut title = h.label.clone();
    if let Some(v) = &h.verdict {
        write!(title, ": {v}").ok();
    }
    let id = match id {
        Some(id) if with_id => format!(" id=\"{id}\""),
        _ => String::new(),
    };
    format!(
        "<span class=\"{}\"{id} title=\"{}\">",
        classes.join(" "),
        escape_text(&title)
    )
}

/// Text with highlights as properly nested spans: a highlight inside another nests in it; one
/// that crosses another's end is closed there and reopened after it (its id stays on the first
/// piece). Evidence passages end with a small link back to their claim. `offset` is the char
/// offset of `text` in the article (highlight spans are article offsets).
pub(crate) fn highlighted(text: &str, highlights: &[super::Highlight], offset: usize) -> String {
    let index = CharIndex::new(text);
    let len = index.char_len();
    let local = |pos: usize| pos.saturating_sub(offset).min(len);
    let ranges: Vec<(usize, usize, &super::Highlight)> = highlights
        .iter()
        .map(|h| (local(h.span.start), local(h.span.end), h))
        .filter(|(s, e, _)| s < e)
        .collect();
    let mut cuts: Vec<usize> = vec![0, len];
    for (s, e, _) in &ranges {
        cuts.push(*s);
        cuts.push(*e);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    // Indexes into `ranges` of the open spans, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut opened_once = vec![false; ranges.len()];
    let mut next = 0; // ranges are sorted by (start, longest first)
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| (ranges[i].0, std::cmp::Reverse(ranges[i].1)));
    let mut pos = 0;
    for &cut in &cuts {
        if cut > pos {
            out.push_str(&escape_text(
                index.slice(text, crate::text::Span::new(pos, cut)),
            ));
            pos = cut;
        }
        // Close what ends here; spans above one that ends are closed and reopened.
        if open.iter().any(|&i| ranges[i].1 == cut) {
            let deepest_ending = open
                .iter()
                .position(|&i| ranges[i].1 == cut)
                .expect("one ends here");
            let mut reopen = Vec::new();
            while open.len() > deepest_ending {
                let i = open.pop().expect("open span");
                out.push_str("</span>");
                if ranges[i].2.kind == "evidence"
                    && ranges[i].1 == cut
                    && let Some(claim) = &ranges[i].2.claim
                {
                    write!(
                        out,
                        "<a class=\"back\" href=\"#claim-{}\" title=\"the claim this is evidence for\">↑</a>",
                        css_token(claim)
                    )
                    .ok();
                }
                if ranges[i].1 > cut {
                    reopen.push(i);
                }
            }
            for i in reopen.into_iter().rev() {
                out.push_str(&open_tag(ranges[i].2, false));
                open.push(i);
            }
        }
        while next < order.len() && ranges[order[next]].0 == cut {
            let i = order[next];
            next += 1;
            out.push_str(&open_tag(ranges[i].2, !opened_once[i]));
            opened_once[i] = true;
            open.push(i);
        }
    }
    for _ in open {
        out.push_str("</span>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_inert() {
        let escaped = escape_text("<script>alert(1)</script></style>\u{202E}evil\"'&");
        assert!(!escaped.contains('<'));
        assert!(!escaped.contains('\u{202E}'));
        assert!(escaped.contains("[U+202E]"));
        assert!(escaped.contains("&lt;/style&gt;"));
    }
}
