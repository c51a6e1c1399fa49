//! EPUB: chapters in spine order (XHTML turned to text), metadata from the package document.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::archive::SafeZip;
use super::docx::simple_fields;
use super::{Extracted, html, iso_date, set_if_empty};
use crate::corpus::ImportLimits;

pub fn extract(
    bytes: &[u8],
    limits: &ImportLimits,
    deadline: Option<std::time::Instant>,
) -> Result<Extracted, String> {
    let mut zip = SafeZip::open(bytes, limits, "EPUB")?;
    let container = zip
        .read_text("META-INF/container.xml")?
        .ok_or("not an EPUB: META-INF/container.xml is missing")?;
    let opf_path = first_attribute(&container, b"rootfile", "full-path")
        .ok_or("corrupt EPUB: container.xml names no package document")?;
    let opf = zip
        .read_text(&opf_path)?
        .ok_or_else(|| format!("corrupt EPUB: package document {opf_path} is missing"))?;
    let base = opf_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let (manifest, spine) = manifest_and_spine(&opf)?;

    let mut text = String::new();
    let mut chapters = 0;
    let mut flattened = false;
    for idref in &spine {
        let Some((href, media_type)) = manifest
            .iter()
            .find(|(id, ..)| id == idref)
            .map(|(_, h, m)| (h, m))
        else {
            continue;
        };
        if !media_type.contains("html") {
            continue;
        }
        let path = resolve(base, href);
        let Some(chapter) = zip.read_text(&path)? else {
            continue;
        };
        let parsed = html::body_text_with_notes(&chapter, deadline)
            .map_err(|e| format!("chapter {path}: {e}"))?;
        flattened |= parsed.flattened;
        let body = parsed.text;
        if !body.trim().is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(body.trim());
            chapters += 1;
        }
        if text.len() > limits.max_text_bytes {
            return Err(format!(
                "EPUB text exceeds {} bytes; split it or raise the limit",
                limits.max_text_bytes
            ));
        }
    }
    if chapters == 0 && spine.is_empty() {
        return Err("corrupt EPUB: the package document has no reading order (spine)".into());
    }
    let mut out = Extracted {
        text,
        ..Extracted::default()
    };
    if flattened {
        out.notes.push(html::flattened_note());
    }
    let fields = simple_fields(&opf, &["title", "creator", "date", "publisher", "source"]);
    set_if_empty(&mut out.meta.title, fields[0].clone());
    set_if_empty(&mut out.meta.byline, fields[1].clone());
    set_if_empty(&mut out.meta.date, fields[2].as_deref().and_then(iso_date));
    set_if_empty(&mut out.meta.source, fields[3].clone());
    set_if_empty(
        &mut out.meta.url,
        fields[4].clone().filter(|u| u.starts_with("http")),
    );
    Ok(out)
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

fn first_attribute(xml: &str, element: &[u8], name: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == element => {
                return attribute(&e, name);
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

type Manifest = Vec<(String, String, String)>;

/// Manifest items `(id, href, media-type)` and spine `idref`s in reading order.
fn manifest_and_spine(opf: &str) -> Result<(Manifest, Vec<String>), String> {
    let mut reader = Reader::from_str(opf);
    let mut manifest = Vec::new();
    let mut spine = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                b"item" => {
                    if let (Some(id), Some(href)) = (attribute(&e, "id"), attribute(&e, "href")) {
                        let media = attribute(&e, "media-type").unwrap_or_default();
                        manifest.push((id, href, media));
                    }
                }
                b"itemref" => {
                    if let Some(idref) = attribute(&e, "idref") {
                        spine.push(idref);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "corrupt EPUB: package document is not well-formed XML ({e})"
                ));
            }
        }
    }
    Ok((manifest, spine))
}

/// Resolves a manifest href against the package document's folder (handles `../` and `%20`).
fn resolve(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or(href).replace("%20", " ");
    let mut parts: Vec<&str> = if base.is_empty() {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    for part in href.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
