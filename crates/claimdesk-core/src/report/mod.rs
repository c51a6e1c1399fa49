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
pub mod pages;
pub mod pdf;
pub mod qdpx;
pub mod w3c;

use serde::Serialize;

use crate::corpus::ArticleMeta;
use crate::project::{Claim, EvidenceSource, Id, Stance};
use crate::text::Span;
use crate::workspace::Workspace;

/// Fills [`Report::conflicts`]: conflicting figures across the report's articles (given by id).
pub type ConflictHook = fn(&Workspace, &[String]) -> Vec<ReportConflict>;

/// The conflicting figures the cross-article analysis flags among `articles`, as report rows.
pub fn crossref_conflicts(ws: &Workspace, articles: &[String]) -> Vec<ReportConflict> {
    let mut analysed = Vec::new();
    for id in articles {
        if let (Some(analysis), Some(article)) = (ws.analysis(id), ws.article(id).cloned()) {
            analysed.push((id.clone(), article, analysis));
        }
    }
    let input: Vec<_> = analysed
        .iter()
        .map(|(id, a, an)| (id, a.as_ref(), an.as_ref()))
        .collect();
    let links = crate::analysis::crossref::link(&input);
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
                        citation(&meta_of(ws, &m.passage.article), &m.passage.article),
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
    /// Include the full text of articles with highlights: those that carry the report's claims
    /// or their evidence (or the `articles` selected), or every article with `all_articles`.
    pub include_articles: bool,
    /// With `include_articles`: every article of the project, not only those the claims and
    /// evidence are in (on a big project that makes a file no browser can open).
    pub all_articles: bool,
    /// Include the automatic suggestions when the project has no claims (a folder export).
    pub suggestions_when_empty: bool,
    /// Fills the conflicting-figures list (`None`: the list stays empty).
    pub conflicts: Option<ConflictHook>,
    /// Archived copies of evidence links (the WARC captures in the project's `captures/`
    /// folder, which the front end reads): a URL evidence item cites its latest copy beside the
    /// live URL, so a reader can check what the page said when it was used.
    pub archived_copies: Vec<crate::project::Capture>,
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
    /// The claimant's type in the entity registry, when the registry knows the name.
    pub claimant_kind: Option<crate::analysis::EntityKind>,
    pub verdict: Option<String>,
    pub rating_value: Option<i32>,
    pub note: String,
    pub article_id: String,
    pub article: ArticleMeta,
    pub span: Span,
    /// True when the quote is no longer found in the article's current text (the article
    /// changed): `span` is where it was recorded, not a place in today's text, and no export
    /// highlights or positions it there.
    pub orphan: bool,
    /// A sentence or two around the quote.
    pub context_before: String,
    pub context_after: String,
    pub evidence: Vec<ReportEvidence>,
    /// True when this is an automatic suggestion, not an analyst's claim.
    pub suggested: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportEvidence {
    /// The evidence record's id.
    pub id: Id,
    pub stance: String,
    pub quote: String,
    pub note: String,
    /// Article title, source, date — or the URL.
    pub citation: String,
    pub url: Option<String>,
    pub article_id: Option<String>,
    /// Where the passage appeared (title, outlet, byline, date, URL); for URL evidence, the
    /// title given with it.
    pub meta: ArticleMeta,
    /// True when the passage's article is in the report, so `#passage-<id>` leads to it.
    pub in_report: bool,
    /// The passage's char span in its article (`None` for URL evidence, and for a passage no
    /// longer found in its article's current text).
    pub span: Option<Span>,
    /// True when the passage is no longer found in its article's current text.
    pub orphan: bool,
    /// The archived copy cited beside the live URL: for a link, its latest capture; for a
    /// passage, the capture its article was added from.
    pub archived: Option<crate::project::Capture>,
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
    /// The record shown: a claim's or an evidence record's id (`None` for entity mentions).
    pub record: Option<Id>,
    /// For evidence: the claim it is evidence for.
    pub claim: Option<Id>,
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

/// An article's metadata for reports: what import found with the analyst's corrections, and a
/// title that import shortened ("…") given in full from the text.
pub fn meta_of(ws: &Workspace, id: &str) -> ArticleMeta {
    let mut meta = ws.meta(id);
    if let (Some(title), Some(article)) = (&meta.title, ws.article(id))
        && let Some(full) = full_title(title, &article.text)
    {
        meta.title = Some(full);
    }
    meta
}

/// The whole first sentence of the line a shortened title ("The minister said…") was cut from.
fn full_title(title: &str, text: &str) -> Option<String> {
    let stem = title.strip_suffix('…')?.trim_end();
    if stem.is_empty() {
        return None;
    }
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with(stem))?;
    let end = line[stem.len()..]
        .find(". ")
        .map_or(line.len(), |i| stem.len() + i + 1);
    Some(line[..end].to_string())
}

/// The ids of the claims a report with `options` holds (analyst claims; suggestions are made in
/// [`build`]), and whether the project has claims at all.
fn selected_claims(ws: &Workspace, options: &ReportOptions) -> Vec<(Id, Claim)> {
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
    ws.project()
        .claims
        .iter()
        .filter(|(id, c)| article_selected(&c.article) && verdict_selected(c) && claim_selected(id))
        .filter(|(_, c)| !options.published_only || ws.project().is_published(c))
        .map(|(id, c)| (id.clone(), c.clone()))
        .collect()
}

/// The latest archived copy of `url` (asked for or landed on after redirects).
fn latest_copy(copies: &[crate::project::Capture], url: &str) -> Option<crate::project::Capture> {
    copies
        .iter()
        .filter(|c| c.url == url || c.final_url == url)
        .max_by(|a, b| a.retrieved_at.cmp(&b.retrieved_at))
        .cloned()
}

/// How a report cites an archived copy: "archived copy retrieved 2026-12-02 10:15 UTC, HTTP
/// 200, sha256:1a2b3c4d5e6f… (captures/x.warc)".
pub fn archived_citation(copy: &crate::project::Capture) -> String {
    let when = copy
        .retrieved_at
        .strip_suffix('Z')
        .map(|t| format!("{} UTC", t.replacen('T', " ", 1)))
        .unwrap_or_else(|| copy.retrieved_at.clone());
    format!(
        "archived copy retrieved {when}, HTTP {}, {} ({})",
        copy.status, copy.content_hash, copy.archive
    )
}

/// True when a report with `options` is made of the automatic suggestions (a project, or a
/// folder, with no claims of the analyst's).
pub fn uses_suggestions(ws: &Workspace, options: &ReportOptions) -> bool {
    options.suggestions_when_empty && !options.published_only && ws.project().claims.is_empty()
}

/// The articles whose text a report with `options` holds, in project order: every article with
/// `all_articles` or a suggestions report, the `articles` selected, else the articles of the
/// selected claims and of their evidence passages.
pub fn report_article_ids(ws: &Workspace, options: &ReportOptions) -> Vec<String> {
    let project = ws.project();
    let all = || project.articles.keys().cloned().collect::<Vec<_>>();
    if options.all_articles || uses_suggestions(ws, options) {
        return all()
            .into_iter()
            .filter(|id| options.articles.is_empty() || options.articles.contains(id))
            .collect();
    }
    if !options.articles.is_empty() {
        return all()
            .into_iter()
            .filter(|id| options.articles.contains(id))
            .collect();
    }
    let mut wanted: std::collections::BTreeSet<&str> = Default::default();
    let claims = selected_claims(ws, options);
    let claim_ids: std::collections::HashSet<&str> =
        claims.iter().map(|(id, _)| id.as_str()).collect();
    for (_, claim) in &claims {
        wanted.insert(claim.article.as_str());
    }
    for evidence in project.evidence.values() {
        if let EvidenceSource::Passage { article, .. } = &evidence.source
            && claim_ids.contains(evidence.claim.as_str())
        {
            wanted.insert(article.as_str());
        }
    }
    project
        .articles
        .keys()
        .filter(|id| wanted.contains(id.as_str()))
        .cloned()
        .collect()
}

/// Builds the report data from a workspace.
pub fn build(ws: &Workspace, options: &ReportOptions) -> Report {
    let article_selected =
        |id: &str| options.articles.is_empty() || options.articles.iter().any(|a| a == id);
    let mut claims: Vec<(Id, Claim, bool)> = selected_claims(ws, options)
        .into_iter()
        .map(|(id, c)| (id, c, false))
        .collect();
    if uses_suggestions(ws, options) {
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
    let article_ids: Vec<String> = if options.include_articles {
        report_article_ids(ws, options)
    } else {
        Vec::new()
    };
    let in_report: std::collections::HashSet<&str> =
        article_ids.iter().map(String::as_str).collect();
    let ws_ref: &Workspace = ws;
    let project = ws_ref.project();
    // Records whose quote no longer matches their article's text: never placed on it.
    let orphans = ws_ref.orphans();
    // Records grouped once, so a project with many articles and records is not scanned per
    // article or per entity.
    let mut evidence_by_claim: std::collections::HashMap<
        &str,
        Vec<(&Id, &crate::project::Evidence)>,
    > = Default::default();
    let mut evidence_by_article: std::collections::HashMap<
        &str,
        Vec<(&Id, &crate::project::Evidence)>,
    > = Default::default();
    for (id, evidence) in &project.evidence {
        evidence_by_claim
            .entry(evidence.claim.as_str())
            .or_default()
            .push((id, evidence));
        if let EvidenceSource::Passage { article, .. } = &evidence.source {
            evidence_by_article
                .entry(article.as_str())
                .or_default()
                .push((id, evidence));
        }
    }
    let mut metas: std::collections::HashMap<String, ArticleMeta> = Default::default();
    let mut meta = |id: &str| -> ArticleMeta {
        metas
            .entry(id.to_string())
            .or_insert_with(|| meta_of(ws_ref, id))
            .clone()
    };

    let report_claims = claims
        .iter()
        .map(|(id, claim, suggested)| {
            let orphan = orphans.contains(id);
            let (before, after) = match ws_ref.article(&claim.article).filter(|_| !orphan) {
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
            let mut evidence: Vec<ReportEvidence> = evidence_by_claim
                .get(id.as_str())
                .into_iter()
                .flatten()
                .map(|(evidence_id, e)| match &e.source {
                    EvidenceSource::Passage { article, anchor } => {
                        let meta = meta(article);
                        let orphan = orphans.contains(*evidence_id);
                        ReportEvidence {
                            id: (*evidence_id).clone(),
                            stance: e.stance.label().to_string(),
                            quote: anchor.quote.clone(),
                            note: e.note.clone(),
                            citation: citation(&meta, article),
                            url: meta.url.clone(),
                            article_id: Some(article.clone()),
                            in_report: in_report.contains(article.as_str()) && !orphan,
                            span: (!orphan).then(|| anchor.span()),
                            orphan,
                            archived: project
                                .articles
                                .get(article)
                                .and_then(|entry| entry.capture.clone()),
                            meta,
                        }
                    }
                    EvidenceSource::Url { url, title } => ReportEvidence {
                        id: (*evidence_id).clone(),
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
                        in_report: false,
                        span: None,
                        orphan: false,
                        archived: latest_copy(&options.archived_copies, url),
                        meta: ArticleMeta {
                            title: (!title.is_empty()).then(|| title.clone()),
                            url: Some(url.clone()),
                            ..ArticleMeta::default()
                        },
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
                claimant_kind: claim
                    .claimant
                    .as_deref()
                    .and_then(|c| project.entity_named(c))
                    .map(|(_, e)| e.kind),
                rating_value: claim
                    .verdict
                    .as_deref()
                    .and_then(|v| project.rating(v))
                    .map(|r| r.value),
                verdict: claim.verdict.clone(),
                note: claim.note.clone(),
                article_id: claim.article.clone(),
                article: meta(&claim.article),
                span: claim.anchor.span(),
                orphan,
                context_before: before,
                context_after: after,
                evidence,
                suggested: *suggested,
            }
        })
        .collect();

    let mut mentions_by_article: std::collections::HashMap<&str, Vec<&crate::project::Mention>> =
        Default::default();
    for (_, mention) in project
        .mentions
        .iter()
        .filter(|(id, _)| !orphans.contains(*id))
    {
        mentions_by_article
            .entry(mention.article.as_str())
            .or_default()
            .push(mention);
    }
    let mut articles = Vec::new();
    for id in &article_ids {
        let mut highlights: Vec<Highlight> = Vec::new();
        for (claim_id, claim, _) in claims
            .iter()
            .filter(|(cid, c, _)| &c.article == id && !orphans.contains(cid))
        {
            highlights.push(Highlight {
                record: Some(claim_id.clone()),
                claim: None,
                span: claim.anchor.span(),
                kind: "claim".into(),
                label: claim
                    .claimant
                    .clone()
                    .map_or_else(|| "claim".into(), |c| format!("claim by {c}")),
                verdict: claim.verdict.clone(),
            });
        }
        for (evidence_id, evidence) in evidence_by_article.get(id.as_str()).into_iter().flatten() {
            if orphans.contains(*evidence_id) {
                continue;
            }
            if let EvidenceSource::Passage { anchor, .. } = &evidence.source {
                highlights.push(Highlight {
                    record: Some((*evidence_id).clone()),
                    claim: Some(evidence.claim.clone()),
                    span: anchor.span(),
                    kind: "evidence".into(),
                    label: format!("evidence ({})", evidence.stance.label()),
                    verdict: None,
                });
            }
        }
        for mention in mentions_by_article.get(id.as_str()).into_iter().flatten() {
            if let Some(entity) = project.entities.get(&mention.entity) {
                highlights.push(Highlight {
                    record: None,
                    claim: None,
                    span: mention.anchor.span(),
                    kind: entity.kind.label().to_string(),
                    label: entity.name.clone(),
                    verdict: None,
                });
            }
        }
        highlights.sort_by(|a, b| {
            (a.span.start, std::cmp::Reverse(a.span.end), &a.record).cmp(&(
                b.span.start,
                std::cmp::Reverse(b.span.end),
                &b.record,
            ))
        });
        let (text, missing) = match ws_ref.article_state(id) {
            Some(crate::workspace::ArticleState::Loaded(a)) => (a.text.clone(), None),
            Some(crate::workspace::ArticleState::Missing { reason, .. }) => {
                (String::new(), Some(reason.clone()))
            }
            None => (String::new(), Some("not loaded".into())),
        };
        articles.push(ReportArticle {
            id: id.clone(),
            meta: meta(id),
            text,
            missing,
            highlights,
        });
    }

    let mut per_entity: std::collections::HashMap<&str, std::collections::BTreeMap<String, usize>> =
        Default::default();
    for mention in project.mentions.values() {
        *per_entity
            .entry(mention.entity.as_str())
            .or_default()
            .entry(
                meta(&mention.article)
                    .title
                    .unwrap_or_else(|| mention.article.clone()),
            )
            .or_default() += 1;
    }
    let mut entities: Vec<ReportEntity> = project
        .entities
        .iter()
        .map(|(eid, entity)| ReportEntity {
            name: entity.name.clone(),
            kind: entity.kind.label().to_string(),
            aliases: entity.aliases.clone(),
            note: entity.note.clone(),
            mentions: per_entity
                .remove(eid.as_str())
                .unwrap_or_default()
                .into_iter()
                .collect(),
        })
        .collect();
    entities.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.kind.cmp(&b.kind))
    });
    let title = project.name.clone();
    let rating_scale = project
        .rating_scale
        .iter()
        .map(|r| (r.label.clone(), r.value))
        .collect();

    let conflicts = options
        .conflicts
        .map(|hook| hook(ws, &article_ids))
        .unwrap_or_default();

    Report {
        title,
        conflicts,
        claims: report_claims,
        articles,
        entities,
        rating_scale,
    }
}

/// A quotation without the quotation marks it was selected with (`“…"` → `…`), so renderers
/// that add their own marks do not double them.
pub fn bare_quote(quote: &str) -> &str {
    const OPENING: &[char] = &['“', '"', '«', '„', '‘', '\'', '‚', '‹', '”'];
    const CLOSING: &[char] = &['”', '"', '»', '“', '’', '\'', '›'];
    let trimmed = quote.trim();
    let mut chars = trimmed.chars();
    // Only a pair is taken off: one mark alone may be an apostrophe ("the ministers'").
    match (chars.next(), chars.next_back()) {
        (Some(open), Some(close)) if OPENING.contains(&open) && CLOSING.contains(&close) => {
            trimmed[open.len_utf8()..trimmed.len() - close.len_utf8()].trim()
        }
        _ => trimmed,
    }
}

/// "Title — Source · byline · date" for a passage's article, with the parts that are known.
pub fn where_published(meta: &ArticleMeta, fallback: &str) -> String {
    let mut out = meta.title.clone().unwrap_or_else(|| fallback.to_string());
    let extra: Vec<&str> = [
        meta.source.as_deref(),
        meta.byline.as_deref().map(str::trim),
        meta.date.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect();
    if !extra.is_empty() {
        out.push_str(" — ");
        out.push_str(&extra.join(" · "));
    }
    out
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
