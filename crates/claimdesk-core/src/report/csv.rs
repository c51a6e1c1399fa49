//! CSV of claims (one row per claim, every field) and of entities (one row per entity).
//!
//! Quoting is RFC 4180 (the `csv` crate), line ends CRLF, and bidi/control characters become
//! visible codes.
//!
//! **Encoding.** Files are plain UTF-8 with no byte order mark, so Python's `csv.DictReader`,
//! pandas and R read the first header as `id` (a BOM makes it `\u{feff}id` unless the reader
//! is told `utf-8-sig`). Excel guesses the encoding of a CSV opened by double-click and needs
//! the BOM to read UTF-8: [`CsvOptions::excel`] (`export --format csv --excel`) writes it.
//!
//! **Formulas.** A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` (and
//! their full-width forms); a cell starting with tab or CR can hide such a start. Only cells a
//! spreadsheet would evaluate *as a formula* are neutralised, by a leading `'` (OWASP's advice
//! against CSV injection): anything starting with `=`, tab or CR; `+`, `-` or `@` followed by
//! something other than a plain number or a handle. Left as they are: a signed number (`-2`,
//! `+3.5%`, read as a number, never a formula) and a social-media handle (`@truthwatch_ir`:
//! letters, digits, `_` and `.` only, which can call no function and reach no other cell or
//! program). So `=HYPERLINK(…)`, `-2+3`, `@SUM(A1)` and `+cmd|' /C calc'!A0` are quoted,
//! `@truthwatch_ir` and `-40` are not.

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

/// How CSV files are written.
#[derive(Clone, Debug, Default)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte order mark, for Excel (see the module docs).
    pub excel: bool,
}

/// True for text a spreadsheet would evaluate as a formula (see the module docs).
pub fn is_formula(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    match first {
        '=' | '\u{FF1D}' | '\t' | '\r' => true,
        '+' | '-' | '\u{FF0B}' | '\u{FF0D}' => !is_plain_number(rest),
        '@' | '\u{FF20}' => !is_handle(rest),
        _ => false,
    }
}

/// `40`, `3.5`, `1,400`, `12%`: a number a spreadsheet reads as one.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_suffix('%').unwrap_or(text);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// `truthwatch_ir`, `user.name`: the rest of a handle.
fn is_handle(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}

/// A cell that a spreadsheet shows as text, never evaluates.
pub fn cell(text: &str) -> String {
    let text = visible_text(text);
    if is_formula(&text) {
        format!("'{text}")
    } else {
        text
    }
}

fn write_rows(header: &[&str], rows: Vec<Vec<String>>, options: &CsvOptions) -> String {
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
    let mut out = String::new();
    if options.excel {
        out.push('\u{FEFF}');
    }
    out.push_str(&String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"));
    out
}

/// One row per claim (plain UTF-8).
pub fn claims(report: &Report) -> String {
    claims_with(report, &CsvOptions::default())
}

/// One row per registry entity (plain UTF-8).
pub fn entities(report: &Report) -> String {
    entities_with(report, &CsvOptions::default())
}

/// One row per claim.
pub fn claims_with(report: &Report, options: &CsvOptions) -> String {
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
                // A quote no longer in the article has no position in today's text.
                if c.orphan {
                    String::new()
                } else {
                    c.span.start.to_string()
                },
                if c.orphan {
                    String::new()
                } else {
                    c.span.end.to_string()
                },
                c.context_before.clone(),
                c.context_after.clone(),
                evidence.join("\n"),
                c.evidence.len().to_string(),
                c.suggested.to_string(),
            ]
        })
        .collect();
    write_rows(&CLAIM_COLUMNS, rows, options)
}

/// One row per registry entity.
pub fn entities_with(report: &Report, options: &CsvOptions) -> String {
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
    write_rows(&ENTITY_COLUMNS, rows, options)
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
        assert_eq!(cell("+1"), "+1", "a signed number is data, not a formula");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain = text"), "plain = text");
        assert_eq!(cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(cell("@SUM(1+1)"), "'@SUM(1+1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\u{FF1D}1+1"), "'\u{FF1D}1+1");
        // Data a spreadsheet reads as data, not formulas, stays as written.
        assert_eq!(cell("@truthwatch_ir"), "@truthwatch_ir");
        assert_eq!(cell("-40"), "-40");
        assert_eq!(cell("+3.5%"), "+3.5%");
        assert_eq!(cell("-1,400"), "-1,400");
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
