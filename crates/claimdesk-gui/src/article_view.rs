//! What the reader and the inspector show for the selected article — claim rows, suggestions,
//! entity groups and the reader's highlights — derived once per workspace generation rather
//! than every frame. On a 1 MB article with 10,000 annotations, rescanning the project and the
//! analysis each frame cost more than drawing it.
//!
//! Focus and the text selection are not part of the view: they change on every click and are
//! overlaid per frame by the reader (a handful of spans).

use egui::Color32;

use super::theme;
use claimdesk_core::analysis::EntityKind;
use claimdesk_core::corpus::ArticleId;
use claimdesk_core::project::{EvidenceSource, Id, Project, Stance};
use claimdesk_core::text::{Span, SpanSet};
use claimdesk_core::workspace::Workspace;

/// How one highlighted span is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    Claim {
        color: Option<Color32>,
    },
    Suggestion,
    /// A passage attached as evidence; also marked in the reader's margin by stance.
    Evidence {
        stance: Stance,
    },
    Entity {
        kind: EntityKind,
        confirmed: bool,
    },
    /// The focused claim or suggestion (overlaid per frame).
    Focused {
        color: Option<Color32>,
    },
    /// The reader's text selection (overlaid per frame).
    Selection,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Highlight {
    pub span: Span,
    pub mark: Mark,
}

/// A marked claim of the article.
pub struct ClaimRow {
    pub id: Id,
    pub span: Span,
    pub verdict: Option<String>,
    pub color: Option<Color32>,
    pub claimant: Option<String>,
    /// The quote, in quotes and shortened for a list row.
    pub preview: String,
}

/// A check-worthy sentence not yet marked or dismissed.
pub struct SuggestionRow {
    pub span: Span,
    pub score: f32,
    pub preview: String,
    /// Index into the analysis' claims, for the reasons shown on hover.
    pub index: usize,
}

/// An evidence passage in this article, for the reader's margin mark and its tooltip.
pub struct EvidenceMark {
    pub span: Span,
    pub stance: Stance,
    pub claim: Id,
    /// Where that claim is: its article and first char, to jump there.
    pub claim_at: Option<(ArticleId, usize)>,
    /// The claim it is evidence for, shortened.
    pub claim_preview: String,
    pub note: String,
}

/// Mentions of one entity (registry entity, or a suggested surface form) in the article.
pub struct EntityRow {
    pub kind: EntityKind,
    pub name: String,
    pub count: usize,
    /// Char offset of the first mention, to scroll to.
    pub first: usize,
    pub confirmed: bool,
    /// Other spellings among its mentions here, in the order met.
    pub also: Vec<String>,
}

/// An entity row being counted.
struct RowTally {
    count: usize,
    first: usize,
    confirmed: bool,
    also: Vec<String>,
}

impl RowTally {
    fn new(first: usize, confirmed: bool) -> Self {
        Self {
            count: 0,
            first,
            confirmed,
            also: Vec::new(),
        }
    }

    fn add(&mut self, name: &str, written: &str) {
        self.count += 1;
        if !written.eq_ignore_ascii_case(name)
            && !self.also.iter().any(|a| a.eq_ignore_ascii_case(written))
        {
            self.also.push(written.to_string());
        }
    }
}

#[derive(Default)]
pub struct ArticleView {
    /// (article, workspace generation, suggestions shown, strongest first) the rows were
    /// derived from.
    key: Option<(ArticleId, u64, bool, bool)>,
    pub claims: Vec<ClaimRow>,
    /// In text order, or strongest first when the analyst asked for it.
    pub suggestions: Vec<SuggestionRow>,
    pub entity_rows: Vec<EntityRow>,
    /// Evidence passages in this article, sorted by start.
    pub evidence: Vec<EvidenceMark>,
    /// Claims, suggestions, evidence and entities, sorted by start.
    pub highlights: Vec<Highlight>,
    /// The longest highlight, so a line finds the ones touching it by binary search.
    longest: usize,
    /// Whether the analysis had arrived when the rows were derived.
    pub analysed: bool,
    analysis: Option<std::sync::Arc<claimdesk_core::analysis::ArticleAnalysis>>,
    /// How the analysis's names group by spelling; kept while the analysis is the same one,
    /// since edits do not change it.
    spellings: std::sync::Arc<Vec<claimdesk_core::analysis::aliases::AliasGroup>>,
}

/// List rows show this many characters of a quote.
const PREVIEW_CHARS: usize = 90;

fn preview(text: &str) -> String {
    quoted(text, PREVIEW_CHARS)
}

/// A passage as the UI shows it: in curly quotes, cut to `max_chars` with an ellipsis. A
/// passage that already opens with a quote mark (most quoted claims do) is not wrapped again.
pub fn quoted(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    let mut out: String = text.chars().take(max_chars).collect();
    let cut = out.len() < text.len();
    if cut {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    let opens_with_quote = text.starts_with(['"', '“', '‘', '\'', '«', '„']);
    if opens_with_quote {
        out
    } else {
        format!("“{out}”")
    }
}

fn verdict_color(project: &Project, verdict: Option<&str>) -> Option<Color32> {
    let scale = &project.rating_scale;
    verdict
        .and_then(|v| scale.iter().position(|r| r.label == v))
        .map(|p| theme::verdict_color(p, scale.len()))
}

/// Lower-cased surface form → registry name, first entity (by id) winning, as
/// [`Project::entity_named`] decides.
fn registry_names(project: &Project) -> std::collections::HashMap<String, &str> {
    let mut names = std::collections::HashMap::new();
    for entity in project.entities.values() {
        for form in entity.surface_forms() {
            names
                .entry(form.to_lowercase())
                .or_insert(entity.name.as_str());
        }
    }
    names
}

impl ArticleView {
    /// Brings the view up to date with the workspace; does nothing when neither the article,
    /// the workspace generation nor the suggestion settings changed.
    pub fn refresh(
        &mut self,
        ws: &Workspace,
        article: &str,
        show_suggestions: bool,
        strongest_first: bool,
    ) {
        let key = (
            article.to_string(),
            ws.generation(),
            show_suggestions,
            strongest_first,
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let same_analysis = match (&self.analysis, ws.cached_analysis(article)) {
            (Some(before), Some(now)) => std::sync::Arc::ptr_eq(before, &now),
            _ => false,
        };
        let spellings = same_analysis.then(|| self.spellings.clone());
        *self = Self::derive(ws, article, show_suggestions, spellings);
        if strongest_first {
            self.suggestions.sort_by(|a, b| b.score.total_cmp(&a.score));
        }
        self.key = Some(key);
    }

    fn derive(
        ws: &Workspace,
        id: &str,
        show_suggestions: bool,
        spellings: Option<std::sync::Arc<Vec<claimdesk_core::analysis::aliases::AliasGroup>>>,
    ) -> Self {
        let project = ws.project();
        let analysis_arc = ws.cached_analysis(id);
        let analysis = analysis_arc.as_ref();
        let claims: Vec<ClaimRow> = project
            .claims_in(id)
            .into_iter()
            .map(|(claim_id, claim)| ClaimRow {
                id: claim_id.clone(),
                span: claim.anchor.span(),
                verdict: claim.verdict.clone(),
                color: verdict_color(project, claim.verdict.as_deref()),
                claimant: claim.claimant.clone(),
                preview: preview(&claim.anchor.quote),
            })
            .collect();
        let claimed = SpanSet::new(claims.iter().map(|c| c.span).collect());
        let mentions = project.mentions_in(id);
        let confirmed = SpanSet::new(mentions.iter().map(|(_, m)| m.anchor.span()).collect());

        let mut suggestions = Vec::new();
        if show_suggestions && let Some(analysis) = analysis {
            let dismissed = project.dismissed_spans(id);
            for (index, suggestion) in analysis.claims.iter().enumerate() {
                if suggestion.score < claimdesk_core::analysis::claims::THRESHOLD
                    || dismissed.contains(&suggestion.span)
                    || claimed.overlaps_any(&suggestion.span)
                {
                    continue;
                }
                suggestions.push(SuggestionRow {
                    span: suggestion.span,
                    score: suggestion.score,
                    preview: preview(&suggestion.text),
                    index,
                });
            }
        }

        let mut highlights: Vec<Highlight> = Vec::new();
        highlights.extend(claims.iter().map(|c| Highlight {
            span: c.span,
            mark: Mark::Claim { color: c.color },
        }));
        highlights.extend(suggestions.iter().map(|s| Highlight {
            span: s.span,
            mark: Mark::Suggestion,
        }));
        let mut evidence_marks = Vec::new();
        for evidence in project.evidence.values() {
            if let EvidenceSource::Passage { article, anchor } = &evidence.source
                && article == id
            {
                highlights.push(Highlight {
                    span: anchor.span(),
                    mark: Mark::Evidence {
                        stance: evidence.stance,
                    },
                });
                evidence_marks.push(EvidenceMark {
                    span: anchor.span(),
                    stance: evidence.stance,
                    claim: evidence.claim.clone(),
                    claim_at: project
                        .claims
                        .get(&evidence.claim)
                        .map(|c| (c.article.clone(), c.anchor.start)),
                    claim_preview: project
                        .claims
                        .get(&evidence.claim)
                        .map(|c| preview(&c.anchor.quote))
                        .unwrap_or_default(),
                    note: evidence.note.clone(),
                });
            }
        }
        evidence_marks.sort_by_key(|m| (m.span.start, m.span.end));

        // Entity rows: confirmed mentions grouped by registry entity, suggestions by the name
        // their spellings share in this article ("Lavrov" under "Sergey Lavrov"); counts shown
        // ordered by kind then name.
        let spellings = spellings.unwrap_or_else(|| {
            std::sync::Arc::new(
                analysis
                    .map(|analysis| {
                        let input: Vec<(&str, EntityKind)> = analysis
                            .entities
                            .iter()
                            .map(|m| (m.text.as_str(), m.kind))
                            .collect();
                        claimdesk_core::analysis::aliases::propose(&input)
                    })
                    .unwrap_or_default(),
            )
        });
        let mut rows: std::collections::BTreeMap<(EntityKind, &str), RowTally> = Default::default();
        for (_, mention) in &mentions {
            let Some(entity) = project.entities.get(&mention.entity) else {
                continue;
            };
            highlights.push(Highlight {
                span: mention.anchor.span(),
                mark: Mark::Entity {
                    kind: entity.kind,
                    confirmed: true,
                },
            });
            rows.entry((entity.kind, entity.name.as_str()))
                .or_insert_with(|| RowTally::new(mention.anchor.start, true))
                .add(entity.name.as_str(), &mention.anchor.quote);
        }
        if let Some(analysis) = analysis {
            let registry_names = registry_names(project);
            let mut group_of: Vec<Option<&claimdesk_core::analysis::aliases::AliasGroup>> =
                vec![None; analysis.entities.len()];
            for group in spellings.iter() {
                for &i in &group.mentions {
                    group_of[i] = Some(group);
                }
            }
            for (i, mention) in analysis.entities.iter().enumerate() {
                // A confirmed mention already drew and counted this text.
                if confirmed.overlaps_any(&mention.span) {
                    continue;
                }
                highlights.push(Highlight {
                    span: mention.span,
                    mark: Mark::Entity {
                        kind: mention.kind,
                        confirmed: false,
                    },
                });
                // Bare numbers would crowd the list; they stay underlined in the text.
                if matches!(mention.kind, EntityKind::Cardinal) {
                    continue;
                }
                let (kind, name) = match (
                    registry_names.get(&mention.text.to_lowercase()),
                    group_of[i],
                ) {
                    (Some(name), _) => (mention.kind, *name),
                    (None, Some(group)) => (group.kind, group.canonical.as_str()),
                    (None, None) => (mention.kind, mention.text.as_str()),
                };
                rows.entry((kind, name))
                    .or_insert_with(|| RowTally::new(mention.span.start, false))
                    .add(name, &mention.text);
            }
        }
        let entity_rows = rows
            .into_iter()
            .map(|((kind, name), tally)| EntityRow {
                kind,
                name: name.to_string(),
                count: tally.count,
                first: tally.first,
                confirmed: tally.confirmed,
                also: tally.also,
            })
            .collect();

        highlights.sort_by_key(|h| h.span.start);
        let longest = highlights.iter().map(|h| h.span.len()).max().unwrap_or(0);
        Self {
            key: None,
            analysis: analysis_arc.clone(),
            spellings: spellings.clone(),
            claims,
            suggestions,
            entity_rows,
            evidence: evidence_marks,
            highlights,
            longest,
            analysed: analysis.is_some(),
        }
    }

    /// Highlights that may touch `line` (a superset, found by binary search).
    pub fn near(&self, line: Span) -> &[Highlight] {
        let from = self
            .highlights
            .partition_point(|h| h.span.start + self.longest < line.start);
        let to = self.highlights.partition_point(|h| h.span.start < line.end);
        &self.highlights[from..to.max(from)]
    }

    /// Evidence passages touching `line` (evidence is few per article, so a scan).
    pub fn evidence_on(&self, line: Span) -> impl Iterator<Item = &EvidenceMark> {
        self.evidence
            .iter()
            .filter(move |e| e.span.start < line.end.max(line.start + 1) && e.span.end > line.start)
    }

    /// The claim whose text contains char `offset`.
    pub fn claim_at(&self, offset: usize) -> Option<&ClaimRow> {
        self.claims.iter().find(|c| c.span.contains(offset))
    }

    /// The suggestion whose text contains char `offset`.
    pub fn suggestion_at(&self, offset: usize) -> Option<&SuggestionRow> {
        self.suggestions.iter().find(|s| s.span.contains(offset))
    }

    /// "Why: … / Claimant: …" for a suggestion's hover text.
    pub fn why(&self, suggestion: &SuggestionRow) -> String {
        let Some(found) = self
            .analysis
            .as_ref()
            .and_then(|a| a.claims.get(suggestion.index))
        else {
            return String::new();
        };
        format!(
            "Why: {}\nClaimant: {}",
            found.reasons.join(", "),
            found.claimant.as_deref().unwrap_or("unknown")
        )
    }

    pub fn claim(&self, id: &str) -> Option<&ClaimRow> {
        self.claims.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quoted_wraps_once_and_marks_a_cut() {
        assert_eq!(quoted("That is false.", 90), "“That is false.”");
        // The sample's Lavrov claim opens with its own quote mark: not wrapped a second time.
        let lavrov = "“With regard to Gaza, there is a serious risk of that crisis growing";
        assert_eq!(quoted(lavrov, 30), "“With regard to Gaza, there is…");
        assert_eq!(
            quoted("\"We are looking for those people\"", 90),
            "\"We are looking for those people\""
        );
        // A cut never leaves a space before the ellipsis, and counts chars, not bytes.
        assert_eq!(
            quoted("Amir-Abdollahian’s visit", 17),
            "“Amir-Abdollahian’…”"
        );
        assert_eq!(quoted("one two three", 4), "“one…”");
        assert_eq!(quoted("  padded  ", 90), "“padded”");
    }
}
