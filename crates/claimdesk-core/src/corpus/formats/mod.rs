//! Per-format text extraction. Each reader turns a file's bytes into plain text plus whatever
//! metadata the format carries; [`super::import`] then normalises the text, moves furniture to the
//! removed layer and fills metadata gaps from the text itself.
//!
//! Parsing is always left to maintained crates (html5ever via `dom_smoothie`/`dom_query`,
//! `pdf-extract`, `zip`, `quick-xml`, `pulldown-cmark`); this module only walks their output.

pub mod archive;
pub mod docx;
pub mod epub;
pub mod html;
pub mod markdown;
pub mod pdf;

use super::ArticleMeta;

/// Text and metadata read from one file, before normalisation and furniture removal.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub meta: ArticleMeta,
}

/// Fills `meta` fields that are still empty from `other`, trimming and dropping blank values.
pub(crate) fn set_if_empty(field: &mut Option<String>, value: Option<String>) {
    if field.is_none() {
        *field = value
            .map(|v| collapse_whitespace(&v))
            .filter(|v| !v.is_empty());
    }
}

/// Collapses runs of whitespace (including newlines) into single spaces.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns a timestamp ("2023-10-24T09:12:00Z", "D:20231024…", "October 24, 2023") into `YYYY-MM-DD`.
pub(crate) fn iso_date(value: &str) -> Option<String> {
    let value = value.trim();
    // ISO 8601 timestamps ("2023-10-24T09:12:00Z"): the date part.
    if value.len() >= 10
        && value.is_char_boundary(10)
        && let Some(date) = super::meta::parse_date(&value[..10])
    {
        return Some(date);
    }
    let digits = value.strip_prefix("D:").unwrap_or(value);
    if digits.len() >= 8 && digits[..8].bytes().all(|b| b.is_ascii_digit()) {
        let candidate = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..8]);
        if let Some(date) = super::meta::parse_date(&candidate) {
            return Some(date);
        }
    }
    super::meta::parse_date(value)
}
