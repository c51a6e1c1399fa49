//! PDF: the text layer (via `pdf-extract`) and the document information dictionary.

use std::panic::{AssertUnwindSafe, catch_unwind};

use std::collections::HashSet;

use pdf_extract::{Dictionary, Document, Object, ObjectId};

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
    check_page_tree(&document)?;
    check_form_nesting(&document)?;
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

/// Deepest page tree accepted (page, its parents …); real documents have a few levels.
const MAX_PAGE_TREE_DEPTH: usize = 256;

/// pdf-extract looks up a page's inherited `Resources` and `MediaBox` by following `Parent`
/// links with no check, so a page tree that loops (found by fuzzing: a page that is its own
/// parent) runs forever. Such a file is refused before extraction.
fn check_page_tree(document: &Document) -> Result<(), String> {
    for page in document.get_pages().into_values() {
        let mut seen: HashSet<ObjectId> = HashSet::from([page]);
        let mut node = document.get_dictionary(page).ok();
        while let Some(dictionary) = node {
            let Ok(parent) = dictionary.get(b"Parent").and_then(Object::as_reference) else {
                break;
            };
            if !seen.insert(parent) || seen.len() > MAX_PAGE_TREE_DEPTH {
                return Err(
                    "malformed PDF: its page tree loops (a page is listed as its own \
                    ancestor), which would never end; re-save it (print to PDF) and import the copy"
                        .into(),
                );
            }
            node = document.get_dictionary(parent).ok();
        }
    }
    Ok(())
}

/// Deepest chain of forms drawing forms accepted; real documents nest a handful.
const MAX_FORM_NESTING: usize = 64;

/// Where a form finds the names it draws: its own resources, or (a form without any) those of
/// whatever drew it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ResourcesOf {
    Page(ObjectId),
    Form(ObjectId),
}

/// pdf-extract draws a form XObject (`Do`) by recursing into it without limit, so a form that
/// draws itself, directly or through others, overflows the stack and aborts the whole process
/// (a panic can be caught; that cannot). Such a file is refused before extraction. Walks every
/// chain of forms from every page without recursion, each (form, resources) pair once.
fn check_form_nesting(document: &Document) -> Result<(), String> {
    type State = (ObjectId, ResourcesOf);
    let mut done: HashSet<State> = HashSet::new();
    for page in document.get_pages().into_values() {
        let mut on_path: HashSet<State> = HashSet::new();
        let mut stack: Vec<(Option<State>, Vec<State>)> =
            vec![(None, forms_drawn(document, ResourcesOf::Page(page)))];
        while let Some((_, children)) = stack.last_mut() {
            let Some(child) = children.pop() else {
                if let Some((Some(state), _)) = stack.pop() {
                    on_path.remove(&state);
                    done.insert(state);
                }
                continue;
            };
            if on_path.contains(&child) {
                return Err("malformed PDF: a form XObject draws itself (directly or through \
                    other forms), which would never end; re-save it (print to PDF) and import the copy"
                    .into());
            }
            if done.contains(&child) {
                continue;
            }
            if stack.len() > MAX_FORM_NESTING {
                return Err(format!(
                    "malformed PDF: form XObjects nested more than {MAX_FORM_NESTING} deep; \
                     re-save it (print to PDF) and import the copy"
                ));
            }
            on_path.insert(child);
            stack.push((Some(child), forms_drawn(document, child.1)));
        }
    }
    Ok(())
}

/// The forms that content using `resources` may draw, each with where its own names resolve.
fn forms_drawn(document: &Document, resources: ResourcesOf) -> Vec<(ObjectId, ResourcesOf)> {
    let dictionaries: Vec<&Dictionary> = match resources {
        ResourcesOf::Page(page) => match document.get_page_resources(page) {
            Ok((direct, inherited)) => direct
                .into_iter()
                .chain(
                    inherited
                        .into_iter()
                        .filter_map(|id| document.get_dictionary(id).ok()),
                )
                .collect(),
            Err(_) => Vec::new(),
        },
        ResourcesOf::Form(form) => form_resources(document, form).into_iter().collect(),
    };
    let mut drawn = Vec::new();
    for dictionary in dictionaries {
        let Some(xobjects) = dictionary
            .get(b"XObject")
            .ok()
            .and_then(|o| document.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
        else {
            continue;
        };
        for (_, value) in xobjects.iter() {
            let Ok(id) = value.as_reference() else {
                continue;
            };
            let Ok(Object::Stream(stream)) = document.get_object(id) else {
                continue;
            };
            if !matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(name)) if name == b"Form") {
                continue;
            }
            if stream.dict.has(b"Resources") {
                drawn.push((id, ResourcesOf::Form(id)));
            } else {
                // A form without resources uses its caller's; it only matters if it draws.
                let content = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                if content.windows(2).any(|w| w == b"Do") {
                    drawn.push((id, resources));
                }
            }
        }
    }
    drawn
}

fn form_resources(document: &Document, form: ObjectId) -> Option<&Dictionary> {
    let Ok(Object::Stream(stream)) = document.get_object(form) else {
        return None;
    };
    let resources = stream.dict.get(b"Resources").ok()?;
    document.dereference(resources).ok()?.1.as_dict().ok()
}
