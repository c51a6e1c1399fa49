//! PDF: the text layer (via `pdf-extract`) and the document information dictionary.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, Object};

use super::{Extracted, iso_date, set_if_empty};

/// Reads the text layer and the document information. Runs on the import's parser thread,
/// which bounds its time (see `import::read_bounded`).
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    extract_now(bytes)
}

fn extract_now(bytes: &[u8]) -> Result<Extracted, String> {
    // pdf-extract panics on some malformed files; a bad PDF must only cost its own row.
    let document = catch_unwind(AssertUnwindSafe(|| Document::load_mem(bytes)))
        .map_err(|_| "corrupt PDF: the parser gave up on it".to_string())?
        .map_err(|e| format!("corrupt or unreadable PDF ({e})"))?;
    let mut out = Extracted::default();
    info_meta(&document, &mut out);
    let encrypted = document.is_encrypted();
    drop(document);
    let text = catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::extract_text_from_mem(bytes)
    }))
    .map_err(|_| "corrupt PDF: text extraction failed on malformed content".to_string())?
    .map_err(|e| {
        let message = e.to_string();
        let lower = message.to_ascii_lowercase();
        if encrypted || lower.contains("decrypt") || lower.contains("password") {
            format!("password-protected PDF; save an unprotected copy and import that ({message})")
        } else {
            format!("cannot extract text from PDF ({message})")
        }
    })?;
    if text.trim().is_empty() {
        return Err(
            "PDF has no text layer (probably a scan or images only); run OCR on it, then import the result"
                .into(),
        );
    }
    out.text = text;
    Ok(out)
}

fn info_meta(document: &Document, out: &mut Extracted) {
    let Some(info) = document
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| match o {
            Object::Reference(id) => document.get_object(*id).ok(),
            other => Some(other),
        })
        .and_then(|o| o.as_dict().ok())
    else {
        return;
    };
    let field = |key: &[u8]| -> Option<String> {
        match info.get(key).ok()? {
            Object::String(bytes, _) => Some(text_string(bytes)),
            _ => None,
        }
    };
    set_if_empty(&mut out.meta.title, field(b"Title"));
    set_if_empty(&mut out.meta.byline, field(b"Author"));
    set_if_empty(
        &mut out.meta.date,
        field(b"CreationDate").as_deref().and_then(iso_date),
    );
}

/// PDF text strings are UTF-16BE with a BOM, or PDFDocEncoding (Latin-1 for printable text).
fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}
