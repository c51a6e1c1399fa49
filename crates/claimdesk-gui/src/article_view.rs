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
    /// The reader's text selection, snapped to words: what gets marked (overlaid per frame).
    Selection,
    /// The raw extent of a drag under way, under its snapped selection.
    Dragged,
    /// What an undo or redo changed, fading (strength 4 down to 1).
    Flash {
        strength: u8,
    },
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
    /// Among the strongest of the article, so shaded in the text (the rest are only listed).
    pub shaded: bool,
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
    /// Mentions recorded in the registry.
    pub confirmed: usize,
    /// Other spellings among its mentions here, in the order met.
    pub also: Vec<String>,
    /// Suggested (unrecorded) mentions, to confirm with one click.
    pub suggested: Vec<Span>,
}

impl EntityRow {
    /// Whether some of its mentions are only suggested.
    pub fn has_suggested(&self) -> bool {
        !self.suggested.is_empty()
    }
}

/// An entity row being counted.
struct RowTally {
    count: usize,
    first: usize,
    confirmed: usize,
    also: Vec<String>,
    suggested: Vec<Span>,
}

impl RowTally {
    fn new(first: usize) -> Self {
        Self {
            count: 0,
            first,
            confirmed: 0,
            also: Vec::new(),
            suggested: Vec::new(),
        }
    }

    fn add(&mut self, name: &str, written: &str, at: Span, confirmed: bool) {
        self.count += 1;
        self.first = self.first.min(at.start);
        if confirmed {
            self.confirmed += 1;
        } else {
            self.suggested.push(at);
        }
        if !written.eq_ignore_ascii_case(name)
            && !self.also.iter().any(|a| a.eq_ignore_ascii_case(written))
        {
            self.also.push(written.to_string());
        }
    }
}

/// How the open article's suggestions are listed and shaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SuggestionView {
    pub show: bool,
    pub strongest_first: bool,
    /// Shade only this many of the strongest in the text; the rest are listed.
    pub shade: usize,
}

#[derive(Default)]
pub struct ArticleView {
    /// (article, workspace generation, suggestion settings) the rows were derived from.
    key: Option<(ArticleId, u64, SuggestionView)>,
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

/// Lower-cased surface form → registry name and kind, first entity (by id) winning, as
/// [`Project::entity_named`] decides.
fn registry_names(project: &Project) -> std::collections::HashMap<String, (&str, EntityKind)> {
    let mut names = std::collections::HashMap::new();
    for entity in project.entities.values() {
        for form in entity.surface_forms() {
            names
                .entry(form.to_lowercase())
                .or_insert((entity.name.as_str(), entity.kind));
        }
    }
    names
}

impl ArticleView {
    /// Brings the view up to date with the workspace; does nothing when neither the article,
    /// the workspace generation nor the suggestion settings changed.
    pub fn refresh(&mut self, ws: &Workspace, article: &str, suggestions: SuggestionView) {
        let key = (article.to_string(), ws.generation(), suggestions);
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let same_analysis = match (&self.analysis, ws.cached_analysis(article)) {
            (Some(before), Some(now)) => std::sync::Arc::ptr_eq(before, &now),
            _ => false,
        };
        let spellings = same_analysis.then(|| self.spellings.clone());
        *self = Self::derive(ws, article, suggestions, spellings);
        self.key = Some(key);
    }

    /// Makes the next refresh derive everything.
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    /// Takes in a change to one claim (a rating, a claimant, a note) without deriving the
    /// whole view again: on a long article that would cost a frame. Returns false when the
    /// change is not one it can take in (the caller's next refresh derives everything).
    pub fn patch_claim(&mut self, ws: &Workspace, id: &str, derived_at: u64) -> bool {
        // Only a view that was current just before the change (or took in its other claims
        // already) can take it in.
        let now = ws.generation();
        let Some((article, _, _)) = self
            .key
            .as_ref()
            .filter(|(_, g, _)| *g == derived_at || *g == now)
        else {
            return false;
        };
        let project = ws.project();
        let Some(claim) = project.claims.get(id) else {
            return false;
        };
        let in_view = self.claims.iter().position(|c| c.id == id);
        if claim.article != *article {
            // Only the margin marks of evidence in this article name other articles' claims,
            // and they show the quote, which a field change leaves as it is.
            if in_view.is_some() {
                return false;
            }
            self.key = self.key.take().map(|(a, _, s)| (a, ws.generation(), s));
            return true;
        }
        let Some(row) = in_view else {
            return false;
        };
        if self.claims[row].span != claim.anchor.span() {
            return false;
        }
        let color = verdict_color(project, claim.verdict.as_deref());
        let old_color = self.claims[row].color;
        let span = self.claims[row].span;
        {
            let row = &mut self.claims[row];
            row.verdict = claim.verdict.clone();
            row.color = color;
            row.claimant = claim.claimant.clone();
        }
        let from = self
            .highlights
            .partition_point(|h| h.span.start < span.start);
        for highlight in self.highlights[from..]
            .iter_mut()
            .take_while(|h| h.span.start == span.start)
        {
            if highlight.span == span && highlight.mark == (Mark::Claim { color: old_color }) {
                highlight.mark = Mark::Claim { color };
                break;
            }
        }
        self.key = self.key.take().map(|(a, _, s)| (a, ws.generation(), s));
        true
    }

    fn derive(
        ws: &Workspace,
        id: &str,
        settings: SuggestionView,
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
        if settings.show
            && let Some(analysis) = analysis
        {
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
                    shaded: false,
                });
            }
            // Shade the strongest few: thirty shaded sentences cover a long article and say
            // little; the rest stay listed.
            let mut by_score: Vec<usize> = (0..suggestions.len()).collect();
            by_score.sort_by(|&a, &b| suggestions[b].score.total_cmp(&suggestions[a].score));
            for &i in by_score.iter().take(settings.shade) {
                suggestions[i].shaded = true;
            }
            if settings.strongest_first {
                suggestions.sort_by(|a, b| b.score.total_cmp(&a.score));
            }
        }

        let mut highlights: Vec<Highlight> = Vec::new();
        highlights.extend(claims.iter().map(|c| Highlight {
            span: c.span,
            mark: Mark::Claim { color: c.color },
        }));
        highlights.extend(suggestions.iter().filter(|s| s.shaded).map(|s| Highlight {
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
                .or_insert_with(|| RowTally::new(mention.anchor.start))
                .add(
                    entity.name.as_str(),
                    &mention.anchor.quote,
                    mention.anchor.span(),
                    true,
                );
        }
        if let Some(analysis) = analysis {
            let registry = registry_names(project);
            let mut group_of: Vec<Option<&claimdesk_core::analysis::aliases::AliasGroup>> =
                vec![None; analysis.entities.len()];
            for group in spellings.iter() {
                for &i in &group.mentions {
                    group_of[i] = Some(group);
                }
            }
            // A group of spellings one of which is in the registry belongs to that entity:
            // after a merge, "Lavrov" beside "Sergei Lavrov" is listed under "Sergey Lavrov".
            let group_entity = |group: &claimdesk_core::analysis::aliases::AliasGroup| {
                std::iter::once(group.canonical.as_str())
                    .chain(
                        group
                            .mentions
                            .iter()
                            .map(|&i| analysis.entities[i].text.as_str()),
                    )
                    .find_map(|form| registry.get(&form.to_lowercase()).copied())
            };
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
                let known = registry
                    .get(&mention.text.to_lowercase())
                    .copied()
                    .or_else(|| group_of[i].and_then(group_entity));
                let (kind, name) = match (known, group_of[i]) {
                    (Some((name, kind)), _) => (kind, name),
                    (None, Some(group)) => (group.kind, group.canonical.as_str()),
                    (None, None) => (mention.kind, mention.text.as_str()),
                };
                rows.entry((kind, name))
                    .or_insert_with(|| RowTally::new(mention.span.start))
                    .add(name, &mention.text, mention.span, false);
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
                suggested: tally.suggested,
            })
            .collect();

        highlights.sort_unstable_by_key(|h| h.span.start);
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

    /// The shaded suggestion whose text contains char `offset` (one not shaded is not to be
    /// seen in the text, so not to be clicked there).
    pub fn suggestion_at(&self, offset: usize) -> Option<&SuggestionRow> {
        self.suggestions
            .iter()
            .find(|s| s.shaded && s.span.contains(offset))
    }

    /// The entity row with a suggested mention overlapping `span` (a selected name).
    pub fn entity_row_at(&self, span: Span) -> Option<&EntityRow> {
        self.entity_rows
            .iter()
            .find(|row| row.suggested.iter().any(|m| m.overlaps(&span)))
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
