//! DOCX: the body text of `word/document.xml` plus `docProps/core.xml` metadata.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::archive::SafeZip;
use super::{Extracted, iso_date, set_if_empty};
use crate::corpus::ImportLimits;

pub fn extract(bytes: &[u8], limits: &ImportLimits) -> Result<Extracted, String> {
    let mut zip = SafeZip::open(bytes, limits, "DOCX")?;
    let Some(document) = zip.read_text("word/document.xml")? else {
        return Err("not a Word document: the archive has no word/document.xml".into());
    };
    let text = document_text(&document)?;
    let mut out = Extracted {
        text,
        ..Extracted::default()
    };
    if let Ok(Some(core)) = zip.read_text("docProps/core.xml") {
        let fields = simple_fields(&core, &["title", "creator", "created", "identifier"]);
        set_if_empty(&mut out.meta.title, fields[0].clone());
        set_if_empty(&mut out.meta.byline, fields[1].clone());
        set_if_empty(&mut out.meta.date, fields[2].as_deref().and_then(iso_date));
        set_if_empty(
            &mut out.meta.url,
            fields[3].clone().filter(|u| u.starts_with("http")),
        );
    }
    Ok(out)
}

/// Paragraph text of WordprocessingML: `w:t` runs, tabs and breaks; paragraphs separated by a
/// blank line. Deleted revisions (`w:delText`) and field codes (`w:instrText`) are not text.
fn document_text(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut text = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"t" => in_text = true,
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => text.push_str("\n\n"),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"tab" => text.push('\t'),
                b"br" | b"cr" => text.push('\n'),
                b"p" => text.push_str("\n\n"),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                text.push_str(
                    &t.xml10_content()
                        .map_err(|e| format!("bad text in document.xml: {e}"))?,
                );
            }
            Ok(Event::GeneralRef(r)) if in_text => push_reference(&mut text, &r),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "corrupt DOCX: word/document.xml is not well-formed XML ({e})"
                ));
            }
        }
    }
    Ok(text)
}

/// Appends the character an XML reference (`&amp;`, `&#8217;`) stands for.
pub(crate) fn push_reference(text: &mut String, reference: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        text.push(c);
    } else if let Ok(name) = reference.decode() {
        let entity = format!("&{name};");
        match quick_xml::escape::unescape(&entity) {
            Ok(resolved) => text.push_str(&resolved),
            Err(_) => text.push_str(&entity),
        }
    }
}

/// Text content of the first element with each local name (namespace prefixes ignored).
pub(crate) fn simple_fields(xml: &str, names: &[&str]) -> Vec<Option<String>> {
    let mut values: Vec<Option<String>> = vec![None; names.len()];
    let mut reader = Reader::from_str(xml);
    let mut current: Option<usize> = None;
    let mut buffer = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let local = e.local_name();
                current = names
                    .iter()
                    .position(|n| n.as_bytes() == local.as_ref())
                    .filter(|&i| values[i].is_none());
                buffer.clear();
            }
            Ok(Event::Text(t)) if current.is_some() => {
                if let Ok(s) = t.xml10_content() {
                    buffer.push_str(&s);
                }
            }
            Ok(Event::GeneralRef(r)) if current.is_some() => push_reference(&mut buffer, &r),
            Ok(Event::CData(c)) if current.is_some() => {
                buffer.push_str(&String::from_utf8_lossy(&c));
            }
            Ok(Event::End(_)) => {
                if let Some(i) = current.take() {
                    let value = buffer.trim();
                    if !value.is_empty() {
                        values[i] = Some(value.to_string());
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    values
}
