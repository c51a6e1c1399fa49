//! brat standoff: for each article a `.txt` (the kept text) and a `.ann` with `T` lines for
//! claims, evidence passages and entity mentions, and `#` AnnotatorNotes lines carrying the
//! verdict, claimant, note and entity names. Offsets are char (Unicode scalar) offsets into the
//! `.txt`, as brat counts them; a span that crosses a line break is written as fragments
//! (`start end;start end`), since brat spans cannot contain newlines. An `annotation.conf` lists
//! the types so the folder opens in brat as is.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};

use super::interchange::{
    ExportData, Imported, ImportedArticle, ImportedClaim, ImportedMention, normalise_with_map,
    safe_file_name,
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
pub fn export(ws: &mut Workspace) -> Vec<(String, String)> {
    let data = ExportData::gather(ws);
    let mut files = Vec::new();
    let mut used = Vec::new();
    for (article, _) in &data.articles {
        let mut stem = safe_file_name(article.id.strip_suffix(".txt").unwrap_or(&article.id));
        while used.contains(&stem) {
            stem.push('_');
        }
        used.push(stem.clone());
        let index = CharIndex::new(&article.text);
        let mut ann = String::new();
        let (mut t, mut n) = (0, 0);
        let mut note = |ann: &mut String, target: usize, value: &str| {
            n += 1;
            writeln!(
                ann,
                "#{n}\tAnnotatorNotes T{target}\t{}",
                escape_note(value)
            )
            .ok();
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
                note(&mut ann, t, &format!("Verdict: {v}"));
            }
            if let Some(c) = &claim.claimant {
                note(&mut ann, t, &format!("Claimant: {c}"));
            }
            if !claim.note.is_empty() {
                note(&mut ann, t, &format!("Note: {}", claim.note));
            }
        }
        for (claim, stance, _, span, text) in data.evidence.iter().filter(|e| e.2 == article.id) {
            t += 1;
            let (offsets, covered) = fragments(&article.text, &index, *span);
            writeln!(
                ann,
                "T{t}\tEvidence {offsets}\t{}",
                super::visible_text(&covered)
            )
            .ok();
            let quote = data
                .claims
                .iter()
                .find(|c| &c.id == claim)
                .map(|c| c.quote.as_str())
                .unwrap_or("");
            note(
                &mut ann,
                t,
                &format!("Evidence ({}) for: {quote}", stance.label()),
            );
            if !text.is_empty() {
                note(&mut ann, t, &format!("Note: {text}"));
            }
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
            note(&mut ann, t, &format!("Entity: {}", entity.name));
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
    files.push(("annotation.conf".into(), conf));
    files
}

/// Writes the export into `dir` (created).
pub fn write(ws: &mut Workspace, dir: &Path) -> Result<usize> {
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
    for (name, raw, ann) in documents {
        let (text, map) = normalise_with_map(raw);
        let raw_len = map.len() - 1;
        // T id → (type, span); notes by T id.
        let mut spans: BTreeMap<String, (String, Span)> = BTreeMap::new();
        let mut order = Vec::new();
        let mut notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
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
            let notes = notes.remove(&id).unwrap_or_default();
            let field = |prefix: &str| {
                notes
                    .iter()
                    .find_map(|n| n.strip_prefix(prefix).map(str::to_string))
            };
            if kind == "Claim" {
                imported.claims.push(ImportedClaim {
                    article: name.clone(),
                    span: *span,
                    claimant: field("Claimant: "),
                    verdict: field("Verdict: "),
                    note: field("Note: ").unwrap_or_default(),
                });
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
    fn spans_across_lines_become_fragments() {
        let text = "ab\ncd ef";
        let index = CharIndex::new(text);
        let (offsets, covered) = fragments(text, &index, Span::new(1, 5));
        assert_eq!(offsets, "1 2;3 5");
        assert_eq!(covered, "b cd");
    }
}
