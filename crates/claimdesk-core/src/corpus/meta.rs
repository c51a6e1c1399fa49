//! Article metadata: title, outlet, byline, date, URL.
//!
//! Plain-text captures carry metadata as lines of text ("Sourse: abcnews.go.com", "By Pishtaz |",
//! "The Cradle, October 24, 2023 —"). These patterns are common to captured news pages in general.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text::GatedRegex;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Outlet or site, e.g. "abcnews.go.com", "The Cradle".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// ISO date `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl ArticleMeta {
    /// Fields of `overrides` that are set win over `self` (analyst corrections).
    pub fn with_overrides(&self, overrides: &ArticleMeta) -> ArticleMeta {
        ArticleMeta {
            title: overrides.title.clone().or_else(|| self.title.clone()),
            source: overrides.source.clone().or_else(|| self.source.clone()),
            byline: overrides.byline.clone().or_else(|| self.byline.clone()),
            date: overrides.date.clone().or_else(|| self.date.clone()),
            url: overrides.url.clone().or_else(|| self.url.clone()),
        }
    }

    /// Fills fields that are still empty from `other`.
    pub fn fill_from(&mut self, other: ArticleMeta) {
        self.title = self.title.take().or(other.title);
        self.source = self.source.take().or(other.source);
        self.byline = self.byline.take().or(other.byline);
        self.date = self.date.take().or(other.date);
        self.url = self.url.take().or(other.url);
    }
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";

/// "Source:" and the common misspelling "Sourse:" seen on reposting sites.
const SOURCE_LINE: &str =
    r"(?im)^\s*(?:source|sourse|originally published (?:at|by|on)|via)\s*:\s*(\S.{0,80}?)\s*$";
/// [`SOURCE_LINE`] matched only where the haystack starts (see [`source_line`]).
static SOURCE_LINE_HERE: LazyLock<Regex> =
    LazyLock::new(|| crate::text::regex(&format!(r"\A{SOURCE_LINE}")).expect("valid regex"));
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::regex(r"(?m)^\s*By\s+([A-Z][\p{L}'.\-]*(?:\s+(?:[A-Z][\p{L}'.\-]*|and|&|de|van|al-?))*)\s*(?:[|,\-–—].*)?$")
        .expect("valid regex")
});
// Behind a gate: the bounded name (`{1,60}` of a Unicode class) made this the costliest
// pattern to build at start-up (~35 ms), and most heads have no dateline at all.
static DATELINE: LazyLock<GatedRegex> = LazyLock::new(|| {
    GatedRegex::new(&format!(
        r"(?m)^\s*([A-Z][\p{{L}}&.' ]{{1,60}}?),\s+((?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})\s*[—–-]?\s*$"
    ))
    .expect("valid regex")
});
static URL: LazyLock<Regex> =
    LazyLock::new(|| crate::text::regex(r#"https?://[^\s<>"')]+"#).expect("valid regex"));
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::regex(&format!(r"\b({MONTHS})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b"))
        .expect("valid regex")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::regex(&format!(r"\b(\d{{1,2}})\s+({MONTHS})\.?,?\s+(\d{{4}})\b"))
        .expect("valid regex")
});
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| crate::text::regex(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("valid regex"));

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// Parses a human date ("October 24, 2023", "24 October 2023", "2023-10-24") to ISO.
pub fn parse_date(text: &str) -> Option<String> {
    let date = if let Some(c) = MONTH_DAY_YEAR.captures(text) {
        NaiveDate::from_ymd_opt(c[3].parse().ok()?, month_number(&c[1])?, c[2].parse().ok()?)
    } else if let Some(c) = DAY_MONTH_YEAR.captures(text) {
        NaiveDate::from_ymd_opt(c[3].parse().ok()?, month_number(&c[2])?, c[1].parse().ok()?)
    } else if let Some(c) = ISO_DATE.captures(text) {
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    } else {
        None
    }?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// Looks for metadata in the first and last lines of kept text.
pub fn extract_from_text(text: &str) -> ArticleMeta {
    let mut meta = ArticleMeta {
        title: guess_title(text),
        ..ArticleMeta::default()
    };
    if let Some(source) = source_line(text) {
        meta.source = Some(source);
    }
    // Bylines and datelines sit near the top; looking further would pick up quoted text.
    let head: String = text.lines().take(25).collect::<Vec<_>>().join("\n");
    if let Some(c) = BYLINE.captures(&head) {
        meta.byline = Some(c[1].trim().to_string());
    }
    if let Some(c) = DATELINE.captures(&head) {
        meta.source.get_or_insert_with(|| c[1].trim().to_string());
        meta.date = parse_date(&c[2]);
    }
    if let Some(m) = URL.find(&head) {
        meta.url = Some(m.as_str().trim_end_matches(['.', ',']).to_string());
    }
    meta
}

/// The first "Source: …" line's source: what [`SOURCE_LINE`] finds searching the whole text,
/// without scanning every article whole for a line most lack (a fortieth of all analysis
/// time). A match starts at a line start, and its keyword is the first thing other than white
/// space after it, so it starts on the line of its keyword (or on blank lines before it, which
/// gives the same group): trying an anchored match at each line whose first letter could begin
/// a keyword, in order, finds the same first match.
fn source_line(text: &str) -> Option<String> {
    text.lines()
        .filter(|line| {
            // The keywords' first letters under Unicode case folding ('ſ' folds to 's').
            line.trim_start()
                .starts_with(['s', 'S', 'ſ', 'o', 'O', 'v', 'V'])
        })
        .find_map(|line| {
            let at = line.as_ptr() as usize - text.as_ptr() as usize;
            SOURCE_LINE_HERE
                .captures(&text[at..])
                .map(|c| c[1].trim().to_string())
        })
}

/// The headline: the first line that reads like one (a few words, no final full stop); else the
/// first sentence of the first line, shortened.
fn guess_title(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(6)
        .collect();
    let headline_like = |line: &&&str| {
        let words = line.split_whitespace().count();
        (3..=30).contains(&words) && !line.ends_with('.') && !line.starts_with("By ")
    };
    if let Some(line) = lines.iter().find(headline_like) {
        return Some(line.to_string());
    }
    let first = lines.first()?;
    let sentence_end = first.find(". ").map_or(first.len(), |i| i + 1);
    let sentence = &first[..sentence_end];
    Some(if sentence.chars().count() > 120 {
        let cut: String = sentence.chars().take(117).collect();
        format!("{}…", cut.trim_end())
    } else {
        sentence.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_are_found_as_a_whole_text_search_finds_them() {
        let regex = crate::text::regex(SOURCE_LINE).expect("valid regex");
        let whole = |text: &str| regex.captures(text).map(|c| c[1].trim().to_string());
        for text in [
            "Body.\n\n  \n Source: Reuters\n",
            "Body.\r\nSOURCE :  AP News  \r\nMore.",
            "via: one\nSource: two",
            "Originally published at: example.com/story",
            "ſource: folded long s",
            "Source: this line is far too long to be a source line because it runs on past the eighty characters allowed\nVia: short",
            "Sources say: nothing\n\tvia : tabbed",
            "No source line at all.\nSourcing: none",
            "\n\n\nSource:\n\nnext",
            "Source\n  : split over lines\nSo: not a keyword",
            "Some text\nsource: after a line starting with s",
        ] {
            assert_eq!(source_line(text), whole(text), "{text:?}");
        }
        assert_eq!(
            source_line("x\n  Via: The Cradle").as_deref(),
            Some("The Cradle")
        );
    }

    #[test]
    fn reads_source_byline_and_dateline() {
        let text = "Russian FM calls for action\n\nThe Cradle, October 24, 2023 —\n\nBy Jane Doe |\n\nBody.\n\nSourse: abcnews.go.com";
        let meta = extract_from_text(text);
        assert_eq!(meta.title.as_deref(), Some("Russian FM calls for action"));
        assert_eq!(meta.source.as_deref(), Some("abcnews.go.com"));
        assert_eq!(meta.byline.as_deref(), Some("Jane Doe"));
        assert_eq!(meta.date.as_deref(), Some("2023-10-24"));
    }

    #[test]
    fn parses_common_date_shapes() {
        assert_eq!(
            parse_date("on 23 October 2023").as_deref(),
            Some("2023-10-23")
        );
        assert_eq!(parse_date("Oct. 7, 2023").as_deref(), Some("2023-10-07"));
        assert_eq!(parse_date("2021-08-05").as_deref(), Some("2021-08-05"));
        assert_eq!(parse_date("February 30, 2023"), None);
    }
}
