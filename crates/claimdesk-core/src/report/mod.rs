//! Reports: the analyst's findings in a form a reader can follow without the app.
//!
//! [`build`] turns a workspace into plain, sorted data ([`Report`]); renderers turn that into
//! HTML (and other formats). Building is pure and ordered so output is byte-stable.

pub mod brat;
pub mod claimreview;
pub mod csv;
pub mod export;
pub mod html;
pub mod interchange;
pub mod markdown;
pub mod pdf;
pub mod qdpx;
pub mod w3c;

use serde::Serialize;

use crate::corpus::ArticleMeta;
use crate::project::{Claim, EvidenceSource, Id, Stance};
use crate::text::Span;
use crate::workspace::Workspace;

/// Fills [`Report::conflicts`]: conflicting figures across articles.
pub type ConflictHook = fn(&mut Workspace) -> Vec<ReportConflict>;

/// The conflicting figures the cross-article analysis flags, as report rows.
pub fn crossref_conflicts(ws: &mut Workspace) -> Vec<ReportConflict> {
    let links = ws.crossrefs();
    links
        .conflicts
        .iter()
        .map(|conflict| ReportConflict {
            subject: if conflict.subject.is_empty() {
                conflict.measure.clone()
            } else {
                format!("{} ({})", conflict.measure, conflict.subject.join(", "))
            },
            statements: conflict
                .mentions
                .iter()
                .map(|m| {
                    (
                        citation(&ws.meta(&m.passage.article), &m.passage.article),
                        format!("{} — “{}”", m.figure, m.passage.text),
                    )
                })
                .collect(),
            note: "Flagged automatically: the articles state different figures for this.".into(),
        })
        .collect()
}

/// What to include.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Only these articles (all when empty).
    pub articles: Vec<String>,
    /// Only these claims, by id (all when empty).
    pub claims: Vec<String>,
    /// Only claims with these verdicts (all when empty); "unrated" selects claims without one.
    pub verdicts: Vec<String>,
    /// Only claims at the project's publishing status (the last step of its status scale).
    pub published_only: bool,
    /// Include the full text of each article with highlights.
    pub include_articles: bool,
    /// Include the automatic suggestions when the project has no claims (a folder export).
    pub suggestions_when_empty: bool,
    /// Fills the conflicting-figures list (`None`: the list stays empty).
    pub conflicts: Option<ConflictHook>,
}

impl ReportOptions {
    pub fn full() -> Self {
        Self {
            include_articles: true,
            suggestions_when_empty: true,
            conflicts: Some(crossref_conflicts),
            ..Self::default()
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub title: String,
    pub claims: Vec<ReportClaim>,
    pub articles: Vec<ReportArticle>,
    pub entities: Vec<ReportEntity>,
    pub rating_scale: Vec<(String, i32)>,
    /// Conflicting figures across articles, filled by [`ReportOptions::conflicts`] (empty when
    /// no hook is given).
    pub conflicts: Vec<ReportConflict>,
}

/// One figure stated differently by different articles (e.g. casualty counts).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReportConflict {
    /// What the figures are about, e.g. "people killed in Gaza".
    pub subject: String,
    /// Each statement: (article title, quoted figure).
    pub statements: Vec<(String, String)>,
    pub note: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportClaim {
    pub id: Id,
    pub quote: String,
    pub claimant: Option<String>,
    pub verdict: Option<String>,
    pub rating_value: Option<i32>,
    pub note: String,
    pub article_id: String,
    pub article: ArticleMeta,
    pub span: Span,
    /// A sentence or two around the quote.
    pub context_before: String,
    pub context_after: String,
    pub evidence: Vec<ReportEvidence>,
    /// True when this is an automatic suggestion, not an analyst's claim.
    pub suggested: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportEvidence {
    pub stance: String,
    pub quote: String,
    pub note: String,
    /// Article title, source, date — or the URL.
    pub citation: String,
    pub url: Option<String>,
    pub article_id: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportArticle {
    pub id: String,
    pub meta: ArticleMeta,
    pub text: String,
    pub missing: Option<String>,
    /// Highlights in char offsets: (span, kind, label).
    pub highlights: Vec<Highlight>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Highlight {
    pub span: Span,
    /// "claim", "evidence" or an entity kind label ("PERSON" …).
    pub kind: String,
    pub label: String,
    pub verdict: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportEntity {
    pub name: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub note: String,
    /// (article title, mention count)
    pub mentions: Vec<(String, usize)>,
}

const CONTEXT_CHARS: usize = 160;

/// Builds the report data from a workspace.
pub fn build(ws: &mut Workspace, options: &ReportOptions) -> Report {
    let project = ws.project().clone();
    let article_selected =
        |id: &str| options.articles.is_empty() || options.articles.iter().any(|a| a == id);
    let claim_selected =
        |id: &str| options.claims.is_empty() || options.claims.iter().any(|c| c == id);
    let verdict_selected = |claim: &Claim| {
        options.verdicts.is_empty()
            || options.verdicts.iter().any(|v| match &claim.verdict {
                Some(verdict) => verdict.eq_ignore_ascii_case(v),
                None => v == "unrated",
            })
    };
    let mut claims: Vec<(Id, Claim, bool)> = project
        .claims
        .iter()
        .filter(|(id, c)| article_selected(&c.article) && verdict_selected(c) && claim_selected(id))
        .filter(|(_, c)| !options.published_only || project.is_published(c))
        .map(|(id, c)| (id.clone(), c.clone(), false))
        .collect();
    if claims.is_empty()
        && project.claims.is_empty()
        && options.suggestions_when_empty
        && !options.published_only
    {
        let ids: Vec<String> = ws.article_ids().cloned().collect();
        for id in ids.into_iter().filter(|id| article_selected(id)) {
            let Some(analysis) = ws.analysis(&id) else {
                continue;
            };
            let Some(article) = ws.article(&id).cloned() else {
                continue;
            };
            for suggestion in analysis.check_worthy() {
                claims.push((
                    format!("suggestion-{id}-{}", suggestion.span.start),
                    Claim {
                        status: None,
                        assignee: None,
                        reviewer: None,
                        signed_off: None,
                        provenance: Default::default(),
                        article: id.clone(),
                        anchor: crate::project::Anchor::new(&article, suggestion.span),
                        claimant: suggestion.claimant.clone(),
                        verdict: None,
                        note: format!("Suggested: {}", suggestion.reasons.join(", ")),
                        origin: crate::project::Origin::Suggestion,
                        conflicts: Vec::new(),
                    },
                    true,
                ));
            }
        }
    }
    // Reader order: by article, then position.
    claims.sort_by(|a, b| {
        (a.1.article.as_str(), a.1.anchor.start, a.0.as_str()).cmp(&(
            b.1.article.as_str(),
            b.1.anchor.start,
            b.0.as_str(),
        ))
    });

    let report_claims = claims
        .iter()
        .map(|(id, claim, suggested)| {
            let (before, after) = match ws.article(&claim.article) {
                Some(article) => {
                    let len = article.char_len();
                    let before = article.slice(Span::new(
                        claim.anchor.start.saturating_sub(CONTEXT_CHARS),
                        claim.anchor.start.min(len),
                    ));
                    let after = article.slice(Span::new(
                        claim.anchor.end.min(len),
                        (claim.anchor.end + CONTEXT_CHARS).min(len),
                    ));
                    (trim_to_word(before, true), trim_to_word(after, false))
                }
                None => (claim.anchor.prefix.clone(), claim.anchor.suffix.clone()),
            };
            let mut evidence: Vec<ReportEvidence> = project
                .evidence_for(id)
                .into_iter()
                .map(|(_, e)| match &e.source {
                    EvidenceSource::Passage { article, anchor } => {
                        let meta = ws.meta(article);
                        ReportEvidence {
                            stance: e.stance.label().to_string(),
                            quote: anchor.quote.clone(),
                            note: e.note.clone(),
                            citation: citation(&meta, article),
                            url: meta.url.clone(),
                            article_id: Some(article.clone()),
                        }
                    }
                    EvidenceSource::Url { url, title } => ReportEvidence {
                        stance: e.stance.label().to_string(),
                        quote: String::new(),
                        note: e.note.clone(),
                        citation: if title.is_empty() {
                            url.clone()
                        } else {
                            title.clone()
                        },
                        url: Some(url.clone()),
                        article_id: None,
                    },
                })
                .collect();
            evidence.sort_by(|a, b| {
                stance_order(&a.stance)
                    .cmp(&stance_order(&b.stance))
                    .then(a.citation.cmp(&b.citation))
                    .then(a.quote.cmp(&b.quote))
            });
            ReportClaim {
                id: id.clone(),
                quote: claim.anchor.quote.clone(),
                claimant: claim.claimant.clone(),
                rating_value: claim
                    .verdict
                    .as_deref()
                    .and_then(|v| project.rating(v))
                    .map(|r| r.value),
                verdict: claim.verdict.clone(),
                note: claim.note.clone(),
                article_id: claim.article.clone(),
                article: ws.meta(&claim.article),
                span: claim.anchor.span(),
                context_before: before,
                context_after: after,
                evidence,
                suggested: *suggested,
            }
        })
        .collect();

    let mut articles = Vec::new();
    if options.include_articles {
        let ids: Vec<String> = project.articles.keys().cloned().collect();
        for id in ids.iter().filter(|id| article_selected(id)) {
            let meta = ws.meta(id);
            let mut highlights: Vec<Highlight> = Vec::new();
            for (_, claim, _) in claims.iter().filter(|(_, c, _)| &c.article == id) {
                highlights.push(Highlight {
                    span: claim.anchor.span(),
                    kind: "claim".into(),
                    label: claim
                        .claimant
                        .clone()
                        .map_or_else(|| "claim".into(), |c| format!("claim by {c}")),
                    verdict: claim.verdict.clone(),
                });
            }
            for evidence in project.evidence.values() {
                if let EvidenceSource::Passage { article, anchor } = &evidence.source
                    && article == id
                {
                    highlights.push(Highlight {
                        span: anchor.span(),
                        kind: "evidence".into(),
                        label: format!("evidence ({})", evidence.stance.label()),
                        verdict: None,
                    });
                }
            }
            for (_, mention) in project.mentions_in(id) {
                if let Some(entity) = project.entities.get(&mention.entity) {
                    highlights.push(Highlight {
                        span: mention.anchor.span(),
                        kind: entity.kind.label().to_string(),
                        label: entity.name.clone(),
                        verdict: None,
                    });
                }
            }
            highlights.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
            let (text, missing) = match ws.article_state(id) {
                Some(crate::workspace::ArticleState::Loaded(a)) => (a.text.clone(), None),
                Some(crate::workspace::ArticleState::Missing { reason, .. }) => {
                    (String::new(), Some(reason.clone()))
                }
                None => (String::new(), Some("not loaded".into())),
            };
            articles.push(ReportArticle {
                id: id.clone(),
                meta,
                text,
                missing,
                highlights,
            });
        }
    }

    let mut entities: Vec<ReportEntity> = project
        .entities
        .iter()
        .map(|(eid, entity)| {
            let mut per_article: std::collections::BTreeMap<String, usize> = Default::default();
            for mention in project.mentions.values().filter(|m| &m.entity == eid) {
                *per_article.entry(ws.title(&mention.article)).or_default() += 1;
            }
            ReportEntity {
                name: entity.name.clone(),
                kind: entity.kind.label().to_string(),
                aliases: entity.aliases.clone(),
                note: entity.note.clone(),
                mentions: per_article.into_iter().collect(),
            }
        })
        .collect();
    entities.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.kind.cmp(&b.kind))
    });

    let conflicts = options.conflicts.map(|hook| hook(ws)).unwrap_or_default();

    Report {
        title: project.name.clone(),
        conflicts,
        claims: report_claims,
        articles,
        entities,
        rating_scale: project
            .rating_scale
            .iter()
            .map(|r| (r.label.clone(), r.value))
            .collect(),
    }
}

fn stance_order(stance: &str) -> u8 {
    Stance::ALL
        .iter()
        .position(|s| s.label() == stance)
        .unwrap_or(9) as u8
}

/// "Title — Source, 2023-10-24" for citations.
pub fn citation(meta: &ArticleMeta, fallback: &str) -> String {
    let mut out = meta.title.clone().unwrap_or_else(|| fallback.to_string());
    let extra: Vec<&str> = [meta.source.as_deref(), meta.date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !extra.is_empty() {
        out.push_str(" — ");
        out.push_str(&extra.join(", "));
    }
    out
}

impl ReportArticle {
    /// The text cut into runs, each with the claim or evidence highlight over it (`None`: plain
    /// text). Where highlights overlap the outermost wins, so markup never nests or crosses.
    pub fn claim_and_evidence_runs(&self) -> Vec<(&str, Option<&Highlight>)> {
        let index = crate::text::CharIndex::new(&self.text);
        let len = index.char_len();
        let mut runs = Vec::new();
        let mut pos = 0;
        for h in self
            .highlights
            .iter()
            .filter(|h| h.kind == "claim" || h.kind == "evidence")
        {
            let (start, end) = (h.span.start.min(len), h.span.end.min(len));
            if start < pos || start >= end {
                continue;
            }
            runs.push((index.slice(&self.text, Span::new(pos, start)), None));
            runs.push((index.slice(&self.text, Span::new(start, end)), Some(h)));
            pos = end;
        }
        runs.push((index.slice(&self.text, Span::new(pos, len)), None));
        runs
    }
}

/// JSON pretty-printed so it can sit inside an HTML `<script>` element: `<`, `>`, `&` and the
/// JavaScript line separators become `\u` escapes, which JSON readers decode back.
pub fn json_for_html(value: &impl Serialize) -> String {
    let json = serde_json::to_string_pretty(value).expect("JSON values serialise");
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('\n');
    out
}

/// True for characters that reorder or hide text (bidi embeddings, overrides, isolates, marks).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Plain text safe for any output: bidi controls become visible `[U+202E]` codes, other control
/// characters (except tab and newline) become `[U+0001]`, so no exported file can be reordered,
/// hidden or made invalid (XML 1.0 forbids most C0 controls) by a hostile article.
pub fn visible_text(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_bidi_control(c) || is_forbidden_control(c) {
            write!(out, "[U+{:04X}]", c as u32).ok();
        } else {
            out.push(c);
        }
    }
    out
}

/// Control characters no export keeps as such (XML 1.0 cannot hold them; terminals and
/// spreadsheets misread them). Tab, LF and CR are kept.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Cuts context at a word boundary so it does not start or end mid-word.
fn trim_to_word(text: &str, keep_end: bool) -> String {
    if keep_end {
        match text.find(char::is_whitespace) {
            Some(i) if i < text.len() / 2 => text[i..].trim_start().to_string(),
            _ => text.to_string(),
        }
    } else {
        match text.rfind(char::is_whitespace) {
            Some(i) if i > text.len() / 2 => text[..i].trim_end().to_string(),
            _ => text.to_string(),
        }
    }
}
