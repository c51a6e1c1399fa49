//! Markdown report: the same content as the HTML report, for wikis, CMSs and diffs.
//!
//! All text is escaped so that it stays text: Markdown punctuation is backslash-escaped, `<` and
//! `>` become entities (no raw HTML), bidi and control characters become visible codes, and
//! links are written only for `http(s)` URLs.

use std::fmt::Write as _;

use super::{Report, ReportClaim, visible_text};

/// Escapes text for Markdown paragraphs and table cells; newlines become `<br>`-free spaces in
/// `inline` mode (headings, table cells) and are kept otherwise.
pub fn escape(text: &str, inline: bool) -> String {
    let text = visible_text(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut at_line_start = true;
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '+' | '-' | '=' if at_line_start => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' | '\t' if inline => out.push(' '),
            '\n' => {
                // Two spaces before a newline: a line break inside the paragraph.
                out.push_str("  \n");
                at_line_start = true;
                continue;
            }
            c => out.push(c),
        }
        at_line_start = at_line_start && c.is_whitespace();
    }
    out
}

fn link(url: &str) -> String {
    if (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')'))
    {
        format!("<{}>", visible_text(url))
    } else {
        escape(url, true)
    }
}

/// Renders the report as CommonMark (with GitHub-style tables for the entity index).
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let rated = report.claims.iter().filter(|c| c.verdict.is_some()).count();
    writeln!(out, "# {}\n", escape(&report.title, true)).ok();
    writeln!(
        out,
        "Fact-check report · {} claim(s), {} rated · {} article(s). Made with Claimdesk.\n",
        report.claims.len(),
        rated,
        report.articles.len()
    )
    .ok();
    out.push_str("## Claims\n\n");
    if report.claims.is_empty() {
        out.push_str("No claims recorded.\n\n");
    }
    for claim in &report.claims {
        render_claim(&mut out, claim);
    }
    if !report.conflicts.is_empty() {
        out.push_str("## Conflicting figures\n\n");
        for conflict in &report.conflicts {
            writeln!(out, "### {}\n", escape(&conflict.subject, true)).ok();
            for (title, figure) in &conflict.statements {
                writeln!(out, "- {}: {}", escape(title, true), escape(figure, true)).ok();
            }
            if !conflict.note.trim().is_empty() {
                writeln!(out, "\n{}", escape(&conflict.note, false)).ok();
            }
            out.push('\n');
        }
    }
    if !report.articles.is_empty() {
        out.push_str("## Articles\n\n");
        out.push_str("Legend: claims are **bold**, evidence is _emphasised_ (entity mentions are listed in the entity index).\n\n");
        for article in &report.articles {
            let title = article.meta.title.as_deref().unwrap_or(&article.id);
            writeln!(out, "### {}\n", escape(title, true)).ok();
            let meta: Vec<String> = [
                article.meta.source.as_deref(),
                article.meta.byline.as_deref().map(str::trim),
                article.meta.date.as_deref(),
            ]
            .into_iter()
            .flatten()
            .map(|m| escape(m, true))
            .chain(article.meta.url.as_deref().map(link))
            .collect();
            if !meta.is_empty() {
                writeln!(out, "{}\n", meta.join(" · ")).ok();
            }
            if let Some(reason) = &article.missing {
                writeln!(out, "Article text unavailable: {}\n", escape(reason, true)).ok();
                continue;
            }
            out.push_str(&highlighted(article));
            out.push_str("\n\n");
        }
    }
    if !report.entities.is_empty() {
        out.push_str("## Entity index\n\n| Name | Type | Also written | Mentions |\n| --- | --- | --- | --- |\n");
        for entity in &report.entities {
            let mentions: Vec<String> = entity
                .mentions
                .iter()
                .map(|(title, n)| format!("{} ({n})", escape(title, true)))
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape(&entity.name, true),
                escape(&entity.kind, true),
                escape(&entity.aliases.join(", "), true),
                mentions.join("; ")
            )
            .ok();
        }
        out.push('\n');
    }
    out
}

fn render_claim(out: &mut String, claim: &ReportClaim) {
    let verdict = match (&claim.verdict, claim.suggested) {
        (Some(v), _) => escape(v, true),
        (None, true) => "Suggested claim (not rated)".into(),
        (None, false) => "Not rated".into(),
    };
    writeln!(
        out,
        "### {verdict}: “{}”\n",
        escape(super::bare_quote(&claim.quote), true)
    )
    .ok();
    let claimant = claim
        .claimant
        .as_deref()
        .map_or_else(|| "Unknown claimant".into(), |c| escape(c, true));
    let mut where_when = escape(
        &super::where_published(&claim.article, &claim.article_id),
        true,
    );
    if let Some(url) = &claim.article.url {
        write!(where_when, " · {}", link(url)).ok();
    }
    writeln!(out, "- **Claimant:** {claimant}").ok();
    writeln!(out, "- **Appeared in:** {where_when}").ok();
    writeln!(out, "- **Verdict:** {verdict}").ok();
    out.push('\n');
    writeln!(
        out,
        "> …{}**{}**{}…\n",
        escape(&claim.context_before, true),
        escape(&claim.quote, true),
        escape(&claim.context_after, true)
    )
    .ok();
    if claim.orphan {
        out.push_str(
            "*Not found in the article's current text: the article changed after this claim was \
             recorded; the quote is shown as it was.*\n\n",
        );
    }
    if !claim.note.trim().is_empty() {
        writeln!(
            out,
            "#### Our explanation\n\n{}\n",
            escape(&claim.note, false)
        )
        .ok();
    }
    if !claim.evidence.is_empty() {
        out.push_str("#### Evidence\n\n");
        for evidence in &claim.evidence {
            write!(out, "- **{}**", escape(&evidence.stance, true)).ok();
            if !evidence.quote.is_empty() {
                write!(
                    out,
                    " “{}”",
                    escape(super::bare_quote(&evidence.quote), true)
                )
                .ok();
            }
            let fallback = evidence.article_id.as_deref().unwrap_or(&evidence.citation);
            write!(
                out,
                " — {}",
                escape(&super::where_published(&evidence.meta, fallback), true)
            )
            .ok();
            if let Some(url) = &evidence.url {
                write!(out, " {}", link(url)).ok();
            }
            if !evidence.note.trim().is_empty() {
                write!(out, " — _{}_", escape(&evidence.note, true)).ok();
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// Article text with claims in bold and evidence in italics.
fn highlighted(article: &super::ReportArticle) -> String {
    let mut out = String::new();
    for (text, highlight) in article.claim_and_evidence_runs() {
        let Some(h) = highlight else {
            out.push_str(&escape(text, false));
            continue;
        };
        let mark = if h.kind == "claim" { "**" } else { "_" };
        // Markup cannot span paragraphs: mark each line separately.
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| {
                if line.trim().is_empty() {
                    String::new()
                } else {
                    format!("{mark}{}{mark}", escape(line, true))
                }
            })
            .collect();
        out.push_str(&lines.join("  \n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_specials_and_html_are_escaped() {
        let out = escape(
            "<script>x</script> [a](javascript:alert(1)) *b* | c\u{202E}",
            true,
        );
        assert!(!out.contains('<'));
        assert!(out.contains("\\[a\\]\\(javascript:alert\\(1\\)\\)"));
        assert!(out.contains("\\*b\\*"));
        assert!(out.contains("\\|"));
        assert!(out.contains("[U+202E]") || out.contains("\\[U+202E\\]"));
        assert_eq!(escape("# not a heading", true), "\\# not a heading");
    }
}
