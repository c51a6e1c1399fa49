//! brat standoff: for each article a `.txt` (the kept text) and a `.ann` with `T` lines for
//! claims, evidence passages and entity mentions. The verdict and the stance are brat
//! attributes (`A1\tVerdict T1 Mostly_true`, spaces written as `_`, as brat values cannot hold
//! them), declared in the `annotation.conf` the export writes, so brat's editor shows them as
//! choices. Everything else is in **one** `#` AnnotatorNotes line per annotation, since brat's
//! editor keeps one note per annotation and overwrites the rest on the first save: fields
//! separated by ` | ` (`Claimant: Sergey Lavrov | Note: …`; `|` in a value is `\|`). An
//! evidence passage names its claim (`For: 000_164a3089b8e03eed#T1`); URL evidence, which has no
//! passage, is a field of the claim's note (`Evidence (refutes): https://… “title” — note`).
//!
//! Offsets are char (Unicode scalar) offsets into the `.txt`, as brat counts them; a span that
//! crosses a line break is written as fragments (`start end;start end`), since brat spans
//! cannot contain newlines.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};

use super::interchange::{
    ExportData, Imported, ImportedArticle, ImportedClaim, ImportedEvidence, ImportedMention,
    ImportedSource, normalise_with_map, safe_file_name,
};
use crate::analysis::EntityKind;
use crate::text::{CharIndex, Span};
use crate::workspace::Workspace;

/// Note values are one line: backslash, newline, CR and tab are escaped.
fn escape_note(text: &str) -> String {
    let text = super::visible_text(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

fn unescape_note(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Note fields joined by ` | `, with `|` inside a value escaped.
fn join_fields(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| f.replace('\\', "\\\\").replace('|', "\\|"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The fields of a note written by [`join_fields`] (a note written by hand is one field).
fn split_fields(note: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = note.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => current.push(next),
                None => current.push('\\'),
            },
            '|' => fields.push(std::mem::take(&mut current).trim().to_string()),
            c => current.push(c),
        }
    }
    fields.push(current.trim().to_string());
    fields.retain(|f| !f.is_empty());
    fields
}

/// A brat attribute value: no spaces or other characters brat's configuration reserves.
fn attribute_value(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `start end[;start end…]` and the covered text (fragments joined by a space).
fn fragments(text: &str, index: &CharIndex, span: Span) -> (String, String) {
    let mut ranges = Vec::new();
    let mut start = span.start;
    let piece = index.slice(text, span);
    for (pos, c) in (span.start..).zip(piece.chars()) {
        if c == '\n' || c == '\r' {
            if pos > start {
                ranges.push((start, pos));
            }
            start = pos + 1;
        }
    }
    if span.end > start {
        ranges.push((start, span.end));
    }
    let offsets: Vec<String> = ranges.iter().map(|(s, e)| format!("{s} {e}")).collect();
    let covered: Vec<&str> = ranges
        .iter()
        .map(|(s, e)| index.slice(text, Span::new(*s, *e)))
        .collect();
    (offsets.join(";"), covered.join(" "))
}

/// Files of the export: (file name, content), `.txt`/`.ann` per article plus `annotation.conf`.
pub fn export(ws: &Workspace) -> Vec<(String, String)> {
    let data = ExportData::gather(ws);
    let mut files = Vec::new();
    let mut stems: BTreeMap<&str, String> = BTreeMap::new();
    for (article, _) in &data.articles {
        let mut stem = safe_file_name(article.id.strip_suffix(".txt").unwrap_or(&article.id));
        while stems.values().any(|s| s == &stem) {
            stem.push('_');
        }
        stems.insert(article.id.as_str(), stem);
    }
    // Claims are numbered T1… in their article in text order, so evidence elsewhere can name
    // them before their article's file is written.
    let mut claim_refs: BTreeMap<&str, String> = BTreeMap::new();
    for (article, _) in &data.articles {
        for (n, claim) in data
            .claims
            .iter()
            .filter(|c| c.article_id == article.id)
            .enumerate()
        {
            claim_refs.insert(
                claim.id.as_str(),
                format!("{}#T{}", stems[article.id.as_str()], n + 1),
            );
        }
    }
    for (article, _) in &data.articles {
        let stem = &stems[article.id.as_str()];
        let index = CharIndex::new(&article.text);
        let mut ann = String::new();
        let (mut t, mut a, mut n) = (0, 0, 0);
        let mut note = |ann: &mut String, target: usize, fields: &[String]| {
            if fields.is_empty() {
                return;
            }
            n += 1;
            writeln!(
                ann,
                "#{n}\tAnnotatorNotes T{target}\t{}",
                escape_note(&join_fields(fields))
            )
            .ok();
        };
        let mut attribute = |ann: &mut String, name: &str, target: usize, value: &str| {
            a += 1;
            writeln!(ann, "A{a}\t{name} T{target} {}", attribute_value(value)).ok();
        };
        for claim in data.claims.iter().filter(|c| c.article_id == article.id) {
            t += 1;
            let (offsets, covered) = fragments(&article.text, &index, claim.span);
            writeln!(
                ann,
                "T{t}\tClaim {offsets}\t{}",
                super::visible_text(&covered)
            )
            .ok();
            if let Some(v) = &claim.verdict {
                attribute(&mut ann, "Verdict", t, v);
            }
            let mut fields = Vec::new();
            if let Some(c) = &claim.claimant {
                fields.push(format!("Claimant: {c}"));
            }
            if !claim.note.is_empty() {
                fields.push(format!("Note: {}", claim.note));
            }
            for e in claim.evidence.iter().filter(|e| e.article_id.is_none()) {
                fields.push(super::interchange::url_evidence_line(
                    &e.stance,
                    e.url.as_deref().unwrap_or_default(),
                    e.meta.title.as_deref().unwrap_or_default(),
                    &e.note,
                ));
            }
            note(&mut ann, t, &fields);
        }
        for (claim, stance, _, span, text) in data.evidence.iter().filter(|e| e.2 == article.id) {
            let Some(reference) = claim_refs.get(claim.as_str()) else {
                continue;
            };
            t += 1;
            let (offsets, covered) = fragments(&article.text, &index, *span);
            writeln!(
                ann,
                "T{t}\tEvidence {offsets}\t{}",
                super::visible_text(&covered)
            )
            .ok();
            attribute(&mut ann, "Stance", t, stance.label());
            let mut fields = vec![format!("For: {reference}")];
            if !text.is_empty() {
                fields.push(format!("Note: {text}"));
            }
            note(&mut ann, t, &fields);
        }
        for (_, entity, _, span) in data.mentions.iter().filter(|m| m.2 == article.id) {
            t += 1;
            let (offsets, covered) = fragments(&article.text, &index, *span);
            writeln!(
                ann,
                "T{t}\t{} {offsets}\t{}",
                entity.kind.label(),
                super::visible_text(&covered)
            )
            .ok();
            note(&mut ann, t, &[format!("Entity: {}", entity.name)]);
        }
        files.push((format!("{stem}.txt"), article.text.clone()));
        files.push((format!("{stem}.ann"), ann));
    }
    let mut conf = String::from(
        "# brat annotation configuration written by Claimdesk\n[entities]\nClaim\nEvidence\n",
    );
    for kind in EntityKind::ALL {
        writeln!(conf, "{}", kind.label()).ok();
    }
    conf.push_str("[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n[events]\n[attributes]\n");
    let mut verdicts: Vec<String> = data
        .rating_scale
        .iter()
        .map(|r| attribute_value(&r.label))
        .collect();
    for claim in &data.claims {
        if let Some(v) = &claim.verdict
            && !verdicts.contains(&attribute_value(v))
        {
            verdicts.push(attribute_value(v));
        }
    }
    writeln!(conf, "Verdict\tArg:Claim, Value:{}", verdicts.join("|")).ok();
    let stances: Vec<&str> = crate::project::Stance::ALL
        .iter()
        .map(|s| s.label())
        .collect();
    writeln!(conf, "Stance\tArg:Evidence, Value:{}", stances.join("|")).ok();
    files.push(("annotation.conf".into(), conf));
    files
}

/// Writes the export into `dir` (created).
pub fn write(ws: &Workspace, dir: &Path) -> Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let files = export(ws);
    for (name, content) in &files {
        crate::project::file::write_atomically(&dir.join(name), content.as_bytes())
            .with_context(|| format!("cannot write {name}"))?;
    }
    Ok(files.len())
}

/// Reads (`.txt` name, text, annotations) triples.
pub fn import(documents: &[(String, String, String)]) -> Imported {
    let mut imported = Imported::default();
    // (document stem, T id) → (document name, span) of each claim, for evidence to find.
    let mut claims_by_ref: BTreeMap<String, (String, Span)> = BTreeMap::new();
    // (evidence document, span, stance, "stem#T1", note) resolved after every document is read.
    let mut pending: Vec<(String, Span, crate::project::Stance, String, String)> = Vec::new();
    for (name, raw, ann) in documents {
        let stem = name.strip_suffix(".txt").unwrap_or(name);
        let (text, map) = normalise_with_map(raw);
        let raw_len = map.len() - 1;
        // T id → (type, span); notes and attributes by T id.
        let mut spans: BTreeMap<String, (String, Span)> = BTreeMap::new();
        let mut order = Vec::new();
        let mut notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut attributes: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for line in ann.lines() {
            let line = line.trim_end_matches('\r');
            let mut parts = line.splitn(3, '\t');
            let (Some(id), Some(head)) = (parts.next(), parts.next()) else {
                continue;
            };
            if id.starts_with('T') {
                let Some((kind, offsets)) = head.split_once(' ') else {
                    continue;
                };
                let mut bounds = offsets
                    .split(';')
                    .filter_map(|f| f.split_once(' '))
                    .filter_map(|(s, e)| {
                        Some((
                            s.trim().parse::<usize>().ok()?,
                            e.trim().parse::<usize>().ok()?,
                        ))
                    });
                let Some(first) = bounds.next() else {
                    imported
                        .warnings
                        .push(format!("{name}: bad offsets in {id}"));
                    continue;
                };
                let (start, end) = bounds.fold(first, |(s, e), (s2, e2)| (s.min(s2), e.max(e2)));
                if start >= end || end > raw_len {
                    imported
                        .warnings
                        .push(format!("{name}: {id} {start}..{end} is outside the text"));
                    continue;
                }
                spans.insert(
                    id.to_string(),
                    (kind.to_string(), Span::new(map[start], map[end])),
                );
                order.push(id.to_string());
            } else if id.starts_with('A') || id.starts_with('M') {
                // `A1\tVerdict T1 Mostly_true` (a binary attribute has no value).
                let mut words = head.split_whitespace();
                if let (Some(attr), Some(target)) = (words.next(), words.next()) {
                    attributes.entry(target.to_string()).or_default().push((
                        attr.to_string(),
                        words.next().unwrap_or_default().replace('_', " "),
                    ));
                }
            } else if let (true, Some(("AnnotatorNotes", target)), Some(value)) =
                (id.starts_with('#'), head.split_once(' '), parts.next())
            {
                notes
                    .entry(target.trim().to_string())
                    .or_default()
                    .push(unescape_note(value));
            }
        }
        for id in order {
            let (kind, span) = &spans[&id];
            let fields: Vec<String> = notes
                .remove(&id)
                .unwrap_or_default()
                .iter()
                .flat_map(|n| split_fields(n))
                .collect();
            let attributes = attributes.remove(&id).unwrap_or_default();
            let field = |prefix: &str| {
                fields
                    .iter()
                    .find_map(|n| n.strip_prefix(prefix).map(str::to_string))
            };
            let attribute = |name: &str| {
                attributes
                    .iter()
                    .find(|(a, _)| a == name)
                    .map(|(_, v)| v.clone())
            };
            if kind == "Claim" {
                for (stance, url, title, note) in fields
                    .iter()
                    .filter_map(|f| super::interchange::parse_url_evidence_line(f))
                {
                    imported.evidence.push(ImportedEvidence {
                        claim_article: name.clone(),
                        claim_span: *span,
                        stance,
                        source: ImportedSource::Url { url, title },
                        note,
                    });
                }
                claims_by_ref.insert(format!("{stem}#{id}"), (name.clone(), *span));
                imported.claims.push(ImportedClaim {
                    article: name.clone(),
                    span: *span,
                    claimant: field("Claimant: "),
                    // Older exports carried the verdict as a note.
                    verdict: attribute("Verdict").or_else(|| field("Verdict: ")),
                    note: field("Note: ").unwrap_or_default(),
                });
            } else if kind == "Evidence" {
                let stance = attribute("Stance")
                    .as_deref()
                    .and_then(super::interchange::stance_named)
                    .unwrap_or(crate::project::Stance::Context);
                match field("For: ") {
                    Some(reference) => pending.push((
                        name.clone(),
                        *span,
                        stance,
                        reference,
                        field("Note: ").unwrap_or_default(),
                    )),
                    None => imported.warnings.push(format!(
                        "{name}: evidence {id} does not say which claim it is for (a `For: DOC#T1` note); skipped"
                    )),
                }
            } else if let Some(kind) = EntityKind::from_label(kind) {
                let index = CharIndex::new(&text);
                let entity =
                    field("Entity: ").unwrap_or_else(|| index.slice(&text, *span).to_string());
                imported.mentions.push(ImportedMention {
                    article: name.clone(),
                    span: *span,
                    entity,
                    kind,
                });
            }
        }
        imported.articles.push(ImportedArticle {
            id: name.clone(),
            text,
            meta: Default::default(),
        });
    }
    for (article, span, stance, reference, note) in pending {
        let reference = reference.split_whitespace().next().unwrap_or_default();
        match claims_by_ref.get(reference) {
            Some((claim_article, claim_span)) => imported.evidence.push(ImportedEvidence {
                claim_article: claim_article.clone(),
                claim_span: *claim_span,
                stance,
                source: ImportedSource::Passage { article, span },
                note,
            }),
            None => imported.warnings.push(format!(
                "{article}: evidence for {reference}, which is not a claim in these files; skipped"
            )),
        }
    }
    imported
}

/// Reads every `.txt` with its `.ann` (empty when missing) in `dir`.
pub fn import_dir(dir: &Path) -> Result<Imported> {
    let mut documents = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let ann = std::fs::read(path.with_extension("ann"))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        documents.push((name, text, ann));
    }
    Ok(import(&documents))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_escape_round_trip() {
        let note = "line one\nline\ttwo \\ end";
        assert!(!escape_note(note).contains('\n'));
        assert_eq!(unescape_note(&escape_note(note)), note);
    }

    #[test]
    fn note_fields_split_back_with_bars_in_values() {
        let fields = vec!["Claimant: A | B".to_string(), "Note: x \\ y".to_string()];
        let joined = join_fields(&fields);
        assert_eq!(joined.matches(" | ").count(), 1);
        assert_eq!(split_fields(&joined), fields);
    }

    #[test]
    fn spans_across_lines_become_fragments() {
        let text = "ab\ncd ef";
        let index = CharIndex::new(text);
        let (offsets, covered) = fragments(text, &index, Span::new(1, 5));
        assert_eq!(offsets, "1 2;3 5");
        assert_eq!(covered, "b cd");
    }
}
