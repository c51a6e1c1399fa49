//! CSV of claims (one row per claim, every field) and of entities (one row per entity).
//!
//! Cells are safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, tab or
//! carriage return is prefixed with `'` so it is never read as a formula (OWASP's advice against
//! CSV injection), and bidi/control characters become visible codes. Quoting is RFC 4180 (the
//! `csv` crate). Files are UTF-8 with a BOM so spreadsheet programs detect the encoding.

use super::{Report, citation, visible_text};

/// Header of the claims file.
pub const CLAIM_COLUMNS: [&str; 18] = [
    "id",
    "quote",
    "claimant",
    "verdict",
    "rating_value",
    "note",
    "article_id",
    "article_title",
    "article_source",
    "article_date",
    "article_url",
    "start",
    "end",
    "context_before",
    "context_after",
    "evidence",
    "evidence_count",
    "suggested",
];

/// Header of the entities file.
pub const ENTITY_COLUMNS: [&str; 6] = [
    "name",
    "type",
    "aliases",
    "note",
    "mentions",
    "mention_count",
];

/// A cell that a spreadsheet shows as text, never evaluates.
pub fn cell(text: &str) -> String {
    let text = visible_text(text);
    match text.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}',
        ) => {
            format!("'{text}")
        }
        _ => text,
    }
}

fn write_rows(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(header).expect("writing to memory");
    for row in rows {
        writer
            .write_record(row.iter().map(|c| cell(c)))
            .expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    let mut out = String::from("\u{FEFF}");
    out.push_str(&String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"));
    out
}

/// One row per claim.
pub fn claims(report: &Report) -> String {
    let rows = report
        .claims
        .iter()
        .map(|c| {
            let evidence: Vec<String> = c
                .evidence
                .iter()
                .map(|e| {
                    let mut item = format!("[{}]", e.stance);
                    if !e.quote.is_empty() {
                        item.push_str(&format!(" “{}”", e.quote));
                    }
                    item.push_str(&format!(" — {}", e.citation));
                    if let Some(url) = &e.url {
                        item.push_str(&format!(" <{url}>"));
                    }
                    if !e.note.is_empty() {
                        item.push_str(&format!(" ({})", e.note));
                    }
                    item
                })
                .collect();
            vec![
                c.id.clone(),
                c.quote.clone(),
                c.claimant.clone().unwrap_or_default(),
                c.verdict.clone().unwrap_or_default(),
                c.rating_value.map(|v| v.to_string()).unwrap_or_default(),
                c.note.clone(),
                c.article_id.clone(),
                c.article
                    .title
                    .clone()
                    .unwrap_or_else(|| citation(&c.article, &c.article_id)),
                c.article.source.clone().unwrap_or_default(),
                c.article.date.clone().unwrap_or_default(),
                c.article.url.clone().unwrap_or_default(),
                c.span.start.to_string(),
                c.span.end.to_string(),
                c.context_before.clone(),
                c.context_after.clone(),
                evidence.join("\n"),
                c.evidence.len().to_string(),
                c.suggested.to_string(),
            ]
        })
        .collect();
    write_rows(&CLAIM_COLUMNS, rows)
}

/// One row per registry entity.
pub fn entities(report: &Report) -> String {
    let rows = report
        .entities
        .iter()
        .map(|e| {
            let mentions: Vec<String> = e
                .mentions
                .iter()
                .map(|(t, n)| format!("{t} ({n})"))
                .collect();
            vec![
                e.name.clone(),
                e.kind.clone(),
                e.aliases.join("; "),
                e.note.clone(),
                mentions.join("; "),
                e.mentions.iter().map(|(_, n)| n).sum::<usize>().to_string(),
            ]
        })
        .collect();
    write_rows(&ENTITY_COLUMNS, rows)
}

/// Where the entities file goes for claims written to `out`: `claims.csv` → `claims-entities.csv`.
pub fn entities_path(out: &std::path::Path) -> std::path::PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "csv".into());
    out.with_file_name(format!("{stem}-entities.{ext}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain = text"), "plain = text");
        assert_eq!(cell("a\u{202E}b\u{0007}"), "a[U+202E]b[U+0007]");
    }

    #[test]
    fn entities_file_sits_beside_claims_file() {
        assert_eq!(
            entities_path(std::path::Path::new("/tmp/out/claims.csv")),
            std::path::Path::new("/tmp/out/claims-entities.csv")
        );
        assert_eq!(
            entities_path(std::path::Path::new("report")),
            std::path::Path::new("report-entities.csv")
        );
    }
}
