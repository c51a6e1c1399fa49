//! Per-format text extraction. Each reader turns a file's bytes into plain text plus whatever
//! metadata the format carries; [`super::import`] then normalises the text, moves furniture to the
//! removed layer and fills metadata gaps from the text itself.
//!
//! Parsing is always left to maintained crates (html5ever via `dom_smoothie`/`dom_query`,
//! `pdf-extract`, `zip`, `quick-xml`, `pulldown-cmark`); this module only walks their output, without
//! recursion, and bounds what they are given (nesting depth, size, time).

pub mod archive;
pub mod docx;
pub mod dom;
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
    /// What reading had to do to the file's structure, shown with the encoding in the report
    /// (e.g. "elements nested deeper than 256 levels flattened").
    pub notes: Vec<String>,
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
    // PDF dates ("D:20231024…"). Checked on bytes: the value is untrusted text, and slicing a
    // `str` inside a multi-byte character ("2023-10–20", "24 октября 2023") would panic.
    let digits = value.strip_prefix("D:").unwrap_or(value).as_bytes();
    if let Some(head) = digits.get(..8)
        && head.iter().all(u8::is_ascii_digit)
    {
        let text = |range: std::ops::Range<usize>| String::from_utf8_lossy(&head[range]);
        let candidate = format!("{}-{}-{}", text(0..4), text(4..6), text(6..8));
        if let Some(date) = super::meta::parse_date(&candidate) {
            return Some(date);
        }
    }
    super::meta::parse_date(value)
}

#[cfg(test)]
mod tests {
    use super::iso_date;

    #[test]
    fn dates_with_multi_byte_characters_never_panic() {
        // An en dash typed for a hyphen, and a month name in Cyrillic: both cut a byte index
        // inside a character. Neither is a date this parser knows; neither may panic.
        assert_eq!(iso_date("2023-10–20"), None);
        assert_eq!(iso_date("24 октября 2023"), None);
        assert_eq!(iso_date("D:2023年10月24日"), None);
        assert_eq!(iso_date("é"), None);
        // The shapes it does know still parse, also next to non-ASCII text.
        assert_eq!(iso_date("D:20231024091200Z").as_deref(), Some("2023-10-24"));
        assert_eq!(iso_date("20231024").as_deref(), Some("2023-10-24"));
        assert_eq!(
            iso_date("2023-10-24T09:12:00+03:00").as_deref(),
            Some("2023-10-24")
        );
        assert_eq!(
            iso_date("Publié le 24 October 2023").as_deref(),
            Some("2023-10-24")
        );
    }
}
