//! Document structure: which lines of an article are its headline, captions, bylines,
//! datelines and photo credits, so that they are not offered as claims to check.
//!
//! A news page's furniture around the story is written in recognisable forms: "By Jane Doe |",
//! "Filed by desk 16.", "Reporting by …; Editing by …", "MOSCOW, Oct 26 (Reuters) -", "Photo:
//! AFP", a caption ending in its credit ("… in Tehran on August 5, 2021. [Atta Kenare/AFP]") or
//! shown twice by the page (the importer keeps one copy and records the repeat). The rules name
//! these forms, not one site.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::corpus::Article;
use crate::text::{GatedRegex, GatedRegexSet, Span};

/// What a line of an article is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Body,
    Headline,
    Caption,
    Byline,
    Dateline,
    PhotoCredit,
}

impl LineKind {
    /// The reason shown for a sentence of this kind, which is never suggested as a claim.
    pub fn reason(self) -> &'static str {
        match self {
            LineKind::Body => "",
            LineKind::Headline => "the headline (its claims are stated again in the story)",
            LineKind::Caption => "a photo caption, not a claim of the story",
            LineKind::Byline => "a byline or credit line, not a statement",
            LineKind::Dateline => "a dateline, not a statement",
            LineKind::PhotoCredit => "a photo credit, not a statement",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LineKind::Body => "body",
            LineKind::Headline => "headline",
            LineKind::Caption => "caption",
            LineKind::Byline => "byline",
            LineKind::Dateline => "dateline",
            LineKind::PhotoCredit => "photo credit",
        }
    }
}

const MONTHS: &str = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)";

/// Lines that are bylines or credits whatever surrounds them.
static BYLINE: LazyLock<GatedRegexSet> = LazyLock::new(|| {
    GatedRegexSet::new([
        // "Filed by desk 16.", "Written by Jane Doe", "Compiled by the BBC's Europe desk".
        r"(?i)^(?:filed|written|reported|compiled|edited|produced|posted|published|updated|translated)\s+by\s+[^.!?]{1,60}\.?$",
        // "Reporting by Jane Doe; Editing by John Roe", "Additional reporting by …".
        r"(?i)^(?:additional\s+)?(?:reporting|writing|editing|research|graphics|production)\s+by\s+.{1,160}$",
        // "By Pishtaz |", "By Jane Doe and John Roe", "By JANE DOE, Associated Press".
        r"^By\s+\p{Lu}[\p{L}'.\-]*(?:\s+(?:\p{Lu}[\p{L}'.\-]*|and|&|de|van|von|al-?|bin))*\s*(?:[|,\-–—].{0,60})?$",
        // "— Reuters", "(AP)", "Staff and agencies", "BBC News, Moscow".
        r"(?i)^[—–-]?\s*\(?(?:reuters|ap|afp|associated press|agence france-presse|staff and agencies|agencies|pa media|dpa|efe|xinhua|tass)\)?\.?$",
        r"(?i)^(?:\p{Lu}[\p{L}'.\-]*\s+){0,3}(?:correspondent|reporter|editor|staff writer|contributor)(?:,\s*[\p{L} ]{1,40})?$",
        r"(?i)^(?:source|sourse|credit|via)\s*:\s*\S.{0,80}$",
    ])
    .expect("valid byline patterns")
});

static PHOTO_CREDIT: LazyLock<GatedRegexSet> = LazyLock::new(|| {
    GatedRegexSet::new([
        r"(?i)^(?:photo|photograph|picture|image|video|credit|illustration)s?\s*(?:credit|source)?\s*:\s*.{1,80}$",
        r"(?i)^(?:©|\(c\)|copyright)\s*.{1,80}$",
        r"(?i)^[\p{L} .'\-]{0,40}(?:/\s*)?(?:getty images|afp via getty images|reuters|afp|ap photo|epa|shutterstock|alamy|pa images|anadolu)(?:\s*/\s*[\p{L} .'\-]{1,40})?\.?$",
        r"(?i)^\[?(?:file|file photo)\]?\.?$",
    ])
    .expect("valid credit patterns")
});

/// A credit at the end of a caption: "[Atta Kenare/AFP]", "[File]", "(AP Photo/Jane Doe)",
/// "Photo: Reuters", "REUTERS/Mohammed Salem", "(Getty Images)".
static CAPTION_CREDIT: LazyLock<GatedRegex> = LazyLock::new(|| {
    GatedRegex::new(
        r"(?i)(?:\[(?:file|[^\]]{0,60}/[^\]]{0,60}|[^\]]*(?:afp|reuters|getty|ap photo|epa|anadolu|photo)[^\]]*)\]|\((?:ap photo[^)]*|[^)]*getty images[^)]*|photo[^)]*|file photo|file)\)|(?:photo|picture|image)\s*:\s*[^.]{1,60}|\b[A-Z]{3,}/[\p{L} .'\-]{2,40})\s*\.?\s*$",
    )
    .expect("valid caption-credit regex")
});

/// Caption wording: people placed in the picture ("(L)", "(center)", "(2nd R)"), "pictured",
/// "seen here", or a present-tense scene ending on its date ("…, July 19, 2023.").
static CAPTION_WORDING: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::regex(&format!(
        r"(?i)\((?:L|R|C|centre|center|left|right|front|back|top|bottom|\d(?:st|nd|rd|th)\s*[LR])\)|\bpictured\b|\bseen here\b|^(?:image|photo) caption\b|,\s+(?:on\s+)?{MONTHS}\s+\d{{1,2}},\s+\d{{4}}\.?$"
    ))
    .expect("valid caption regex")
});

/// A dateline opening a paragraph: "MOSCOW, Oct 26 (Reuters) -", "GAZA CITY (AP) —",
/// "WASHINGTON —", "London, 5 March:".
static DATELINE_PREFIX: LazyLock<GatedRegex> = LazyLock::new(|| {
    GatedRegex::new(&format!(
        r"^(?:\p{{Lu}}[\p{{Lu}}\p{{Ll}}.'\-]*(?:\s+\p{{Lu}}[\p{{Lu}}\p{{Ll}}.'\-]*){{0,3}}|\p{{Lu}}{{2,}}(?:\s+\p{{Lu}}{{2,}}){{0,3}})(?:,\s*(?:{MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTHS})(?:,?\s+\d{{4}})?)?\s*(?:\((?:Reuters|AP|AFP|IANS|PTI|ANI|dpa|Xinhua|Bloomberg|UPI)\))?\s*[—–-]{{1,2}}\s+|^\p{{Lu}}{{2,}}(?:\s+\p{{Lu}}{{2,}}){{0,3}},\s*(?:{MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTHS})(?:,?\s+\d{{4}})?\s*(?:\([^)]{{1,20}}\))?\s*[:—–-]\s*"
    ))
    .expect("valid dateline regex")
});

/// A dateline standing alone: "Moscow, October 26, 2023", "October 26, 2023", "26 Oct 2023 10:42 GMT".
static DATELINE_LINE: LazyLock<GatedRegex> = LazyLock::new(|| {
    GatedRegex::new(&format!(
        r"(?i)^(?:[\p{{L}}.' ]{{1,40}},\s*)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:{MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTHS}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})(?:[,\s]+\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm|[A-Z]{{2,4}})?(?:\s+[A-Z]{{2,4}})?)?\s*[—–-]?\s*$"
    ))
    .expect("valid dateline regex")
});

/// How many characters of `line` are a dateline opening a paragraph ("MOSCOW, Oct 26 (Reuters) - "),
/// if any. The rest of the paragraph is the story.
pub fn dateline_prefix(line: &str) -> Option<usize> {
    let m = DATELINE_PREFIX.find(line)?;
    // Demand a real story after it and the form of a place: all capitals or a date/agency.
    let head = &line[..m.end()];
    let has_marker = head.contains('(')
        || head
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        || head.chars().any(|c| c.is_ascii_digit());
    (has_marker && line[m.end()..].split_whitespace().count() >= 3).then(|| head.chars().count())
}

/// The kind of a line judged alone (no article context): bylines, credits, datelines.
pub fn standalone_kind(line: &str) -> LineKind {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 200 {
        return LineKind::Body;
    }
    if BYLINE.is_match(line) {
        LineKind::Byline
    } else if PHOTO_CREDIT.is_match(line) {
        LineKind::PhotoCredit
    } else if DATELINE_LINE.is_match(line) {
        LineKind::Dateline
    } else {
        LineKind::Body
    }
}

/// Whether a line reads as a caption (its credit, the people placed in the picture, a scene
/// ending on its date).
pub fn is_caption(line: &str) -> bool {
    let line = line.trim();
    line.chars().count() <= 400 && (CAPTION_CREDIT.is_match(line) || CAPTION_WORDING.is_match(line))
}

/// Every line of the article (char spans, without the line break) with its kind.
pub fn lines(article: &Article) -> Vec<(Span, LineKind)> {
    let text = &article.text;
    // Kept lines the page showed twice are captions: the importer removed the copy right after.
    let repeated_at: Vec<usize> = article
        .removed
        .iter()
        .filter(|r| r.reason.contains("repeated") || r.reason.contains("caption"))
        .map(|r| r.at)
        .collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut seen_content = false;
    let title = article.meta.title.as_deref().map(str::trim);
    for line in text.split('\n') {
        let len = line.chars().count();
        let span = Span::new(start, start + len);
        let trimmed = line.trim();
        let kind = if trimmed.is_empty() {
            LineKind::Body
        } else {
            let mut kind = standalone_kind(trimmed);
            if kind == LineKind::Body {
                let words = trimmed.split_whitespace().count();
                let first = !seen_content;
                let headline =
                    words <= 30 && (title == Some(trimmed) || (first && !trimmed.ends_with('.')));
                if headline {
                    kind = LineKind::Headline;
                } else if is_caption(trimmed)
                    || repeated_at
                        .iter()
                        .any(|&at| at == span.end || at == span.end + 1)
                {
                    kind = LineKind::Caption;
                }
            }
            seen_content = true;
            kind
        };
        out.push((span, kind));
        start += len + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gated_pattern_builds_within_the_size_limit() {
        // Built lazily in use; building them here means no text can be the first to fail one.
        assert!(BYLINE.exact().len() >= 6);
        assert!(PHOTO_CREDIT.exact().len() >= 4);
        assert_eq!(BYLINE.exact_ascii().len(), BYLINE.exact().len());
        assert_eq!(PHOTO_CREDIT.exact_ascii().len(), PHOTO_CREDIT.exact().len());
        for gated in [&*CAPTION_CREDIT, &*DATELINE_PREFIX, &*DATELINE_LINE] {
            assert!(!gated.exact().as_str().is_empty());
            assert!(!gated.exact_ascii().as_str().is_empty());
        }
    }

    #[test]
    fn bylines_credits_and_datelines_are_recognised_alone() {
        for line in [
            "Filed by desk 16.",
            "By Pishtaz |",
            "Reporting by Jane Doe; Editing by John Roe",
            "Additional reporting by Maria Tsvetkova in Moscow",
            "— Reuters",
        ] {
            assert_eq!(standalone_kind(line), LineKind::Byline, "{line}");
        }
        for line in [
            "Photo: AFP",
            "Getty Images",
            "AFP via Getty Images",
            "[File]",
        ] {
            assert_eq!(standalone_kind(line), LineKind::PhotoCredit, "{line}");
        }
        for line in [
            "Moscow, October 26, 2023",
            "October 19, 2023",
            "26 October 2023 10:42 GMT",
        ] {
            assert_eq!(standalone_kind(line), LineKind::Dateline, "{line}");
        }
        // Statements that only start like one stay body text.
        for line in [
            "By steadily supporting Hamas, Iran has gained influence.",
            "Filed by desk 16, the report says 5,000 people were killed in Gaza and more than 9,700 injured across the territory.",
            "Reuters reported that 19 Russian citizens died.",
        ] {
            assert_eq!(standalone_kind(line), LineKind::Body, "{line}");
        }
    }

    #[test]
    fn dateline_openings_are_cut_off_the_story() {
        let line =
            "MOSCOW, Oct 26 (Reuters) - Hamas representatives met Iran's deputy foreign minister.";
        let n = dateline_prefix(line).expect("a dateline");
        assert_eq!(
            line.chars().skip(n).collect::<String>(),
            "Hamas representatives met Iran's deputy foreign minister."
        );
        assert!(
            dateline_prefix("GAZA CITY (AP) — Israeli jets struck the city overnight.").is_some()
        );
        assert_eq!(
            dateline_prefix(
                "Russian Foreign Minister Sergey Lavrov - the veteran diplomat - spoke."
            ),
            None
        );
    }

    #[test]
    fn the_samples_captions_and_headline_are_found() {
        // The sample's first article: headline, a caption shown twice, a byline elsewhere.
        let corpus = crate::sample::corpus_dir();
        let (articles, _) = crate::corpus::import_paths(
            &[
                corpus.join("000_164a3089b8e03eed.txt"),
                corpus.join("003_e0f09e3576302cfd.txt"),
            ],
            &crate::corpus::ImportLimits::default(),
            |_, _| true,
        );
        let mut found = Vec::new();
        for article in &articles {
            for (span, kind) in lines(article) {
                if kind != LineKind::Body {
                    found.push((kind, article.slice(span).to_string()));
                }
            }
        }
        let has = |kind: LineKind, start: &str| {
            found
                .iter()
                .any(|(k, l)| *k == kind && l.starts_with(start))
        };
        assert!(
            has(LineKind::Headline, "Russia's Foreign Minister Paints Iran"),
            "{found:#?}"
        );
        assert!(
            has(
                LineKind::Caption,
                "A Hamas fighter takes part in a military parade"
            ),
            "{found:#?}"
        );
        assert!(
            has(
                LineKind::Caption,
                "Hamas leader Ismail Haniyeh (2nd R) shakes hands"
            ),
            "{found:#?}"
        );
        assert!(
            has(
                LineKind::Caption,
                "Russian Deputy Foreign Minister and Special Representative"
            ),
            "{found:#?}"
        );
        // Story paragraphs are not captions.
        assert!(
            !found
                .iter()
                .any(|(_, l)| l.starts_with("Iran’s deeply rooted support")),
            "{found:#?}"
        );
        assert!(
            !found.iter().any(
                |(_, l)| l.starts_with("Hamas representative Moussa Abu Marzouk was in Moscow")
            ),
            "{found:#?}"
        );
    }
}
