//! Web furniture in plain-text captures of news pages.
//!
//! Captures of news pages carry navigation, comment forms, rating widgets and captions repeated by
//! the page layout. They are moved into a *removed* layer (never silently lost) so that claims,
//! entities and reports see the story only. The rules describe kinds of furniture, not one site.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::RegexSet;

use super::RemovedBlock;

/// Whole lines that are page furniture on news sites (matched case-insensitively, trimmed).
static FURNITURE: LazyLock<RegexSet> = LazyLock::new(|| {
    crate::text::regex_set([
        r"(?i)^accessibility links$",
        r"(?i)^skip to (main )?(content|navigation)$",
        r"(?i)^breaking news$",
        r"(?i)^(advertisement|advert|sponsored( content)?)$",
        r"(?i)^no votes yet\.?$",
        r"(?i)^please wait\.*$",
        r"(?i)^loading\.*$",
        r"(?i)^leave a (reply|comment)$",
        r"(?i)^your email address will not be published\..*$",
        r"(?i)^required fields are marked \*?$",
        r"(?i)^do you like this article\??$",
        r"(?i)^captcha\s*\*?$",
        r"(?i)^(share|share this( article| story)?|share on (facebook|twitter|x|linkedin|whatsapp|email))$",
        r"(?i)^(facebook|twitter|whatsapp|linkedin|email|print|copy link)$",
        r"(?i)^(related (articles|stories|content|topics)|more on this story|read more|see also|top stories|most read)$",
        r"(?i)^sign up (for|to) .{0,60}newsletter.*$",
        r"(?i)^(we use cookies|this site uses cookies).*$",
        r"(?i)^(image|photo|video) (source|caption),?.{0,40}$",
        r"(?i)^(comments?|post comment|submit|subscribe)$",
        r"(?i)^(home|menu|search|close|back to top)$",
        // Text size switchers ("XS SM MD LG") and rating stars, one token per line or all in one.
        r"(?i)^((xs|sm|md|lg|xl|xxl|a-|a\+|a)\s*)+$",
        r"^[★☆✩✭\s]+$",
    ])
    .expect("furniture patterns are valid")
});

/// Lines that only carry metadata (credit, byline): read into `ArticleMeta` before stripping, then
/// moved to the removed layer so they do not read as part of the story.
static METADATA_LINE: LazyLock<RegexSet> = LazyLock::new(|| {
    crate::text::regex_set([
        // "Source: abcnews.go.com", and the misspelling "Sourse:" seen on reposting sites.
        r"(?i)^(source|sourse|originally published (at|by|on|in)|via|credit)\s*:\s*\S.{0,80}$",
        // "By Pishtaz |", "By Jane Doe and John Roe", "By Jane Doe | Reporter": capitalised names
        // only, so sentences that start with "By" ("By steadily supporting …") stay.
        r"^By\s+\p{Lu}[\p{L}'.\-]*(\s+(\p{Lu}[\p{L}'.\-]*|and|&|de|van|von|al-?|bin))*\s*(\|.{0,60})?$",
    ])
    .expect("metadata patterns are valid")
});

/// Longest line that can be a metadata line (a byline, not a paragraph).
const MAX_METADATA_LINE_CHARS: usize = 100;

/// Minimum length of a paragraph whose exact repetition counts as a capture artefact: short lines
/// ("Iran", "Reuters") legitimately repeat.
const MIN_REPEATED_CHARS: usize = 40;

/// Splits `text` (already normalised to LF) into kept text and removed blocks.
pub fn strip(text: &str) -> (String, Vec<RemovedBlock>) {
    let mut kept = String::with_capacity(text.len());
    let mut kept_chars = 0usize;
    let mut removed: Vec<RemovedBlock> = Vec::new();
    let mut seen_paragraphs: HashSet<&str> = HashSet::new();
    let mut previous_content_line: Option<&str> = None;
    let mut pending_blank = 0usize;

    for line in text.split('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            pending_blank += 1;
            continue;
        }
        let reason = if FURNITURE.is_match(trimmed) {
            Some("page furniture")
        } else if trimmed.chars().count() <= MAX_METADATA_LINE_CHARS
            && METADATA_LINE.is_match(trimmed)
        {
            Some("metadata line")
        } else if previous_content_line == Some(trimmed) {
            Some("repeated line (caption shown twice)")
        } else if trimmed.chars().count() >= MIN_REPEATED_CHARS && seen_paragraphs.contains(trimmed)
        {
            Some("repeated paragraph")
        } else {
            None
        };
        match reason {
            Some(reason) => {
                // Merge consecutive removals of the same reason into one block.
                match removed.last_mut() {
                    Some(last) if last.at == kept_chars && last.reason == reason => {
                        last.text.push('\n');
                        last.text.push_str(line);
                    }
                    _ => removed.push(RemovedBlock {
                        at: kept_chars,
                        text: line.to_string(),
                        reason: reason.to_string(),
                    }),
                }
            }
            None => {
                if !kept.is_empty() {
                    let newlines = if pending_blank > 0 { 2 } else { 1 };
                    for _ in 0..newlines {
                        kept.push('\n');
                    }
                    kept_chars += newlines;
                }
                kept.push_str(line.trim_end());
                kept_chars += line.trim_end().chars().count();
                seen_paragraphs.insert(trimmed);
                previous_content_line = Some(trimmed);
            }
        }
        pending_blank = 0;
    }
    (kept, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_and_repeats_move_to_removed_layer() {
        let page = "Accessibility links\n\nBreaking News\n\nHeadline here\n\nA caption of a photo, July 19, 2023.\nA caption of a photo, July 19, 2023.\nBody text.\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *\nXS\nSM\nMD\nLG";
        let (kept, removed) = strip(page);
        assert_eq!(
            kept,
            "Headline here\n\nA caption of a photo, July 19, 2023.\nBody text."
        );
        let reasons: Vec<&str> = removed.iter().map(|r| r.reason.as_str()).collect();
        assert!(reasons.contains(&"repeated line (caption shown twice)"));
        assert!(removed.iter().any(|r| r.text.contains("XS\nSM\nMD\nLG")));
        assert!(removed.iter().all(|r| r.at <= kept.chars().count()));
    }

    #[test]
    fn metadata_lines_move_but_sentences_starting_with_by_stay() {
        let page = "Headline of the story\n\nBy Pishtaz |\n\nBy steadily supporting Hamas since 2006, Russia gained.\n\nSourse: abcnews.go.com";
        let (kept, removed) = strip(page);
        assert_eq!(
            kept,
            "Headline of the story\n\nBy steadily supporting Hamas since 2006, Russia gained."
        );
        let metadata: Vec<&str> = removed
            .iter()
            .filter(|r| r.reason == "metadata line")
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(metadata, ["By Pishtaz |", "Sourse: abcnews.go.com"]);
    }

    #[test]
    fn a_block_of_repeated_paragraphs_is_removed_once() {
        let para_a = "The first paragraph of the story is long enough to count as one.";
        let para_b = "The second paragraph of the story is also long enough to count.";
        let page =
            format!("{para_a}\n{para_b}\nA short line.\n{para_a}\n{para_b}\nEnd of story here.");
        let (kept, removed) = strip(&page);
        assert_eq!(
            kept,
            format!("{para_a}\n{para_b}\nA short line.\nEnd of story here.")
        );
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].text, format!("{para_a}\n{para_b}"));
        assert_eq!(removed[0].reason, "repeated paragraph");
    }
}
