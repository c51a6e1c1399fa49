//! What the annotation exchange formats (REFI-QDA, brat, W3C Web Annotation) share: the data
//! exported from a workspace, the data read back on import, and turning the latter into a
//! [`Workspace`].
//!
//! Offsets everywhere are Unicode scalar (char) offsets into the article's kept text, which is
//! what all three formats count in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};

use super::{Report, ReportClaim, ReportOptions};
use crate::analysis::EntityKind;
use crate::corpus::{Article, ArticleMeta};
use crate::project::{
    Anchor, Claim, Edit, Entity, Evidence, EvidenceSource, Mention, Origin, Rating, Stance, new_id,
};
use crate::text::Span;
use crate::workspace::Workspace;

/// Everything the exchange formats write, gathered once.
pub struct ExportData {
    pub name: String,
    pub articles: Vec<(Arc<Article>, ArticleMeta)>,
    /// Claims as in the report (includes suggestions for a folder export).
    pub claims: Vec<ReportClaim>,
    /// (entity id, entity, article id, span)
    pub mentions: Vec<(String, Entity, String, Span)>,
    /// (claim id, stance, article id, span, note) of evidence passages; URL evidence is in each
    /// claim's `evidence` (with no `article_id`).
    pub evidence: Vec<(String, Stance, String, Span, String)>,
    pub rating_scale: Vec<Rating>,
    /// Claims, mentions and evidence passages not written because their quote is no longer in
    /// their article's text (see `claimdesk orphan list`).
    pub orphans_left_out: usize,
}

impl ExportData {
    pub fn gather(ws: &Workspace) -> Self {
        let options = ReportOptions {
            include_articles: false,
            conflicts: None,
            ..ReportOptions::full()
        };
        let report: Report = super::build(ws, &options);
        let project = ws.project().clone();
        // The exchange formats give every record a position: a record whose quote is no longer
        // in its article's text has none, so it is left out (and counted) rather than placed
        // on other words.
        let orphans = ws.orphans();
        let articles = ws
            .loaded_articles()
            .cloned()
            .collect::<Vec<_>>()
            .into_iter()
            .map(|a| {
                let meta = ws.meta(&a.id);
                (a, meta)
            })
            .collect();
        let mut mentions: Vec<_> = project
            .mentions
            .iter()
            .filter(|(id, _)| !orphans.contains(*id))
            .map(|(_, m)| m)
            .filter_map(|m| {
                let entity = project.entities.get(&m.entity)?;
                Some((
                    m.entity.clone(),
                    entity.clone(),
                    m.article.clone(),
                    m.anchor.span(),
                ))
            })
            .filter(|(_, _, article, _)| ws.article(article).is_some())
            .collect();
        mentions.sort_by(|a, b| {
            (&a.2, a.3.start, a.3.end, &a.0).cmp(&(&b.2, b.3.start, b.3.end, &b.0))
        });
        let mut evidence: Vec<_> = project
            .evidence
            .iter()
            .filter(|(id, _)| !orphans.contains(*id))
            .map(|(_, e)| e)
            .filter_map(|e| match &e.source {
                EvidenceSource::Passage { article, anchor } if ws.article(article).is_some() => {
                    Some((
                        e.claim.clone(),
                        e.stance,
                        article.clone(),
                        anchor.span(),
                        e.note.clone(),
                    ))
                }
                _ => None,
            })
            .collect();
        evidence.sort_by(|a, b| {
            (&a.2, a.3.start, a.3.end, &a.0).cmp(&(&b.2, b.3.start, b.3.end, &b.0))
        });
        Self {
            name: project.name.clone(),
            articles,
            claims: report
                .claims
                .into_iter()
                .filter(|c| ws.article(&c.article_id).is_some() && !c.orphan)
                .collect(),
            mentions,
            evidence,
            rating_scale: project.rating_scale.clone(),
            orphans_left_out: orphans.len(),
        }
    }

    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles
            .iter()
            .find(|(a, _)| a.id == id)
            .map(|(a, _)| a.as_ref())
    }
}

/// Deterministic RFC 4122-shaped GUID for a record (same record → same GUID in every export).
pub fn guid(kind: &str, id: &str) -> String {
    let hash = blake3::hash(format!("claimdesk:{kind}:{id}").as_bytes());
    let b = hash.as_bytes();
    let hex: String = b[..16].iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-5{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ["8", "9", "a", "b"][(b[8] & 3) as usize],
        &hex[17..20],
        &hex[20..32]
    )
}

/// An article read from an exchange file.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedArticle {
    pub id: String,
    pub text: String,
    pub meta: ArticleMeta,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportedClaim {
    pub article: String,
    pub span: Span,
    pub claimant: Option<String>,
    pub verdict: Option<String>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportedMention {
    pub article: String,
    pub span: Span,
    pub entity: String,
    pub kind: EntityKind,
}

/// Evidence read from an exchange file, for the claim at `claim_span` of `claim_article`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedEvidence {
    pub claim_article: String,
    pub claim_span: Span,
    pub stance: Stance,
    pub source: ImportedSource,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ImportedSource {
    /// A passage of an imported article.
    Passage {
        article: String,
        span: Span,
    },
    Url {
        url: String,
        title: String,
    },
}

/// A stance from its label ("refutes"), as every exchange format writes it.
pub fn stance_named(label: &str) -> Option<Stance> {
    Stance::ALL
        .into_iter()
        .find(|s| s.label().eq_ignore_ascii_case(label.trim()))
}

/// URL evidence as one line of text, for formats with no place of their own for it (REFI-QDA
/// descriptions, brat notes): `Evidence (refutes): <url> “title” — note`.
pub fn url_evidence_line(stance: &str, url: &str, title: &str, note: &str) -> String {
    let mut line = format!("Evidence ({stance}): {url}");
    if !title.is_empty() {
        line.push_str(&format!(" “{title}”"));
    }
    if !note.is_empty() {
        line.push_str(&format!(" — {note}"));
    }
    line
}

/// Reads a line written by [`url_evidence_line`]: (stance, url, title, note).
pub fn parse_url_evidence_line(line: &str) -> Option<(Stance, String, String, String)> {
    let rest = line.trim().strip_prefix("Evidence (")?;
    let (stance, rest) = rest.split_once("): ")?;
    let stance = stance_named(stance)?;
    let (url, mut rest) = match rest.split_once(' ') {
        Some((url, rest)) => (url, rest.trim_start()),
        None => (rest, ""),
    };
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return None;
    }
    let mut title = String::new();
    if let Some(after) = rest.strip_prefix('“')
        && let Some((t, after)) = after.split_once('”')
    {
        title = t.to_string();
        rest = after.trim_start();
    }
    let note = rest.strip_prefix("— ").unwrap_or(rest).trim().to_string();
    Some((stance, url.to_string(), title, note))
}

/// Annotations read from an exchange file, before they become a project.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    pub name: Option<String>,
    pub articles: Vec<ImportedArticle>,
    pub claims: Vec<ImportedClaim>,
    pub mentions: Vec<ImportedMention>,
    pub evidence: Vec<ImportedEvidence>,
    /// Things skipped, for the user.
    pub warnings: Vec<String>,
}

/// Strips a BOM (positions are taken to count from after it) and turns CRLF and lone CR into LF, returning the new text and, for every char
/// offset of the raw text (and its end), the offset in the new text.
pub fn normalise_with_map(raw: &str) -> (String, Vec<usize>) {
    let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
    let mut out = String::with_capacity(raw.len());
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut n = 0;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        map.push(n);
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
                map.push(n);
            }
            out.push('\n');
        } else {
            out.push(c);
        }
        n += 1;
    }
    map.push(n);
    (out, map)
}

/// A file name safe on every system, kept recognisable.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "article".into()
    } else {
        cleaned
    }
}

impl Imported {
    /// Makes a workspace: each article's text is written under `sources_dir` (created), the
    /// project will be saved as `project_path`; claims, entities and mentions are added as one
    /// edit. Verdicts missing from the default scale are appended to it.
    pub fn into_workspace(self, sources_dir: &Path, project_path: PathBuf) -> Result<Workspace> {
        std::fs::create_dir_all(sources_dir)
            .with_context(|| format!("cannot create {}", sources_dir.display()))?;
        let mut articles = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for imported in &self.articles {
            let mut file = safe_file_name(&imported.id);
            if !file.ends_with(".txt") {
                file.push_str(".txt");
            }
            while ids.values().any(|f| f == &file) {
                file.insert(0, '_');
            }
            let path = sources_dir.join(&file);
            crate::project::file::write_atomically(&path, imported.text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            ids.insert(imported.id.clone(), file.clone());
            articles.push(Article::new(
                file,
                path,
                imported.text.clone(),
                imported.meta.clone(),
            ));
        }
        let by_id: BTreeMap<String, Article> =
            articles.iter().map(|a| (a.id.clone(), a.clone())).collect();
        let mut ws = Workspace::from_articles(articles, Some(project_path));
        let mut edits = Vec::new();
        for imported in &self.articles {
            let id = &ids[&imported.id];
            if let Some(entry) = ws.project().articles.get(id) {
                let mut entry = entry.clone();
                entry.meta = imported.meta.clone();
                edits.push(Edit::PutArticle {
                    id: id.clone(),
                    entry,
                });
            }
        }
        if let Some(name) = &self.name {
            edits.push(Edit::SetName { name: name.clone() });
        }
        let mut scale = ws.project().rating_scale.clone();
        for verdict in self.claims.iter().filter_map(|c| c.verdict.as_ref()) {
            if !scale.iter().any(|r| &r.label == verdict) {
                scale.push(Rating {
                    label: verdict.clone(),
                    value: 0,
                });
            }
        }
        if scale != ws.project().rating_scale {
            edits.push(Edit::SetRatingScale { scale });
        }
        let anchor = |article: &str, span: Span| -> Option<(String, Anchor)> {
            let id = ids.get(article)?;
            let a = by_id.get(id)?;
            (span.start < span.end && span.end <= a.char_len())
                .then(|| (id.clone(), Anchor::new(a, span)))
        };
        let mut warnings = self.warnings;
        let mut claim_ids: BTreeMap<(String, usize, usize), String> = BTreeMap::new();
        for claim in &self.claims {
            let Some((article, anchor)) = anchor(&claim.article, claim.span) else {
                warnings.push(format!(
                    "claim at {}..{} in {} is outside the text",
                    claim.span.start, claim.span.end, claim.article
                ));
                continue;
            };
            let id = new_id();
            claim_ids.insert(
                (claim.article.clone(), claim.span.start, claim.span.end),
                id.clone(),
            );
            edits.push(Edit::PutClaim {
                id,
                claim: Claim {
                    status: None,
                    assignee: None,
                    reviewer: None,
                    signed_off: None,
                    provenance: Default::default(),
                    article,
                    anchor,
                    claimant: claim.claimant.clone(),
                    verdict: claim.verdict.clone(),
                    note: claim.note.clone(),
                    origin: Origin::Analyst,
                    conflicts: Vec::new(),
                },
            });
        }
        let mut entities: BTreeMap<(EntityKind, String), String> = BTreeMap::new();
        for mention in &self.mentions {
            let Some((article, anchor)) = anchor(&mention.article, mention.span) else {
                warnings.push(format!(
                    "mention at {}..{} in {} is outside the text",
                    mention.span.start, mention.span.end, mention.article
                ));
                continue;
            };
            let key = (mention.kind, mention.entity.clone());
            let entity = match entities.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let id = new_id();
                    edits.push(Edit::PutEntity {
                        id: id.clone(),
                        entity: Entity {
                            provenance: Default::default(),
                            name: mention.entity.clone(),
                            kind: mention.kind,
                            aliases: Vec::new(),
                            note: String::new(),
                        },
                    });
                    entities.insert(key, id.clone());
                    id
                }
            };
            edits.push(Edit::PutMention {
                id: new_id(),
                mention: Mention {
                    provenance: Default::default(),
                    entity,
                    article,
                    anchor,
                },
            });
        }
        for evidence in &self.evidence {
            let key = (
                evidence.claim_article.clone(),
                evidence.claim_span.start,
                evidence.claim_span.end,
            );
            let Some(claim) = claim_ids.get(&key) else {
                warnings.push(format!(
                    "evidence for a claim at {}..{} in {} that was not imported; skipped",
                    key.1, key.2, key.0
                ));
                continue;
            };
            let source = match &evidence.source {
                ImportedSource::Passage { article, span } => match anchor(article, *span) {
                    Some((article, anchor)) => EvidenceSource::Passage { article, anchor },
                    None => {
                        warnings.push(format!(
                            "evidence at {}..{} in {article} is outside the text; skipped",
                            span.start, span.end
                        ));
                        continue;
                    }
                },
                ImportedSource::Url { url, title } => EvidenceSource::Url {
                    url: url.clone(),
                    title: title.clone(),
                },
            };
            edits.push(Edit::PutEvidence {
                id: new_id(),
                evidence: Evidence {
                    provenance: Default::default(),
                    claim: claim.clone(),
                    stance: evidence.stance,
                    source,
                    note: evidence.note.clone(),
                },
            });
        }
        ws.apply("import annotations", Edit::Batch(edits))?;
        ws.notices.extend(warnings);
        Ok(ws)
    }
}
