//! Markdown: markup removed (headings, emphasis, links → their text), one blank line between
//! blocks; a YAML front-matter block supplies title, author, date, source and URL.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Extracted, iso_date, set_if_empty};

pub fn extract(source: &str) -> Extracted {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut text = String::with_capacity(source.len());
    let mut out = Extracted::default();
    let mut front_matter: Option<String> = None;
    let mut in_front_matter = false;
    let mut heading: Option<String> = None;
    let mut first_heading: Option<String> = None;
    let mut image_depth = 0usize;
    for event in Parser::new_ext(source, options) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_front_matter = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_front_matter = false,
            Event::Text(t) if in_front_matter => {
                front_matter.get_or_insert_with(String::new).push_str(&t)
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if image_depth == 0 => {
                text.push_str(&t);
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::End(TagEnd::Heading(_)) => {
                if first_heading.is_none() {
                    first_heading = heading.take();
                }
                heading = None;
                block_break(&mut text);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table,
            )
            | Event::Rule => block_break(&mut text),
            Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => {
                line_break(&mut text)
            }
            Event::End(TagEnd::TableCell) => text.push('\t'),
            _ => {}
        }
    }
    if let Some(yaml) = front_matter {
        for line in yaml.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim().trim_matches(['"', '\'']).to_string();
            let value = (!value.is_empty()).then_some(value);
            match key.trim().to_ascii_lowercase().as_str() {
                "title" | "headline" => set_if_empty(&mut out.meta.title, value),
                "author" | "byline" | "authors" => set_if_empty(&mut out.meta.byline, value),
                "date" | "published" | "date_published" => {
                    set_if_empty(&mut out.meta.date, value.as_deref().and_then(iso_date));
                }
                "source" | "outlet" | "publisher" | "site" => {
                    set_if_empty(&mut out.meta.source, value)
                }
                "url" | "link" | "canonical" => set_if_empty(&mut out.meta.url, value),
                _ => {}
            }
        }
    }
    set_if_empty(&mut out.meta.title, first_heading);
    out.text = text;
    out
}

fn block_break(text: &mut String) {
    let trimmed = text.trim_end_matches([' ', '\t', '\n']).len();
    text.truncate(trimmed);
    if !text.is_empty() {
        text.push_str("\n\n");
    }
}

fn line_break(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}
