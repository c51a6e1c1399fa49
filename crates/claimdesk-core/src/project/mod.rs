//! The analyst's work: what is saved in a project file.
//!
//! Records live in maps keyed by stable ids (not positions in a list) so that two analysts'
//! copies merge cleanly; nothing derived (scores, suggestions) is stored.

pub mod anchor;
mod canonical;
pub mod edit;
pub mod file;
pub mod history;
pub mod journal;
pub mod merge;
pub mod registry;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::analysis::EntityKind;
use crate::corpus::{ArticleId, ArticleMeta};
pub use anchor::Anchor;
pub use edit::{Edit, EditError};

/// Current project file format. Bump it with a migration in [`file`].
///
/// 2: records carry who created and last changed them, and when ([`Signed`]); claims carry an
/// editorial status, an assignee, a reviewer and a sign-off; the project its status scale.
/// Format 1 files load (their records have no who/when, their claims the first status).
pub const FORMAT_VERSION: u32 = 2;

/// Stable, globally unique record id (a ULID, so ids sort by creation time and never collide
/// between analysts).
pub type Id = String;

/// A new unique id.
pub fn new_id() -> Id {
    ulid::Ulid::new().to_string().to_lowercase()
}

/// One step of the rating scale; `value` orders the scale for ClaimReview (`ratingValue`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub label: String,
    pub value: i32,
}

pub fn default_rating_scale() -> Vec<Rating> {
    [
        ("True", 7),
        ("Mostly true", 6),
        ("Half true", 5),
        ("Misleading", 4),
        ("Mostly false", 3),
        ("False", 2),
        ("Unverifiable", 1),
    ]
    .into_iter()
    .map(|(label, value)| Rating {
        label: label.to_string(),
        value,
    })
    .collect()
}

/// The editorial steps a claim goes through, in order; the last one is publishing, which needs
/// a verdict and evidence. Editable per project, like the rating scale.
pub fn default_status_scale() -> Vec<String> {
    ["to check", "in progress", "in review", "published"]
        .into_iter()
        .map(String::from)
        .collect()
}

/// Who did something and when: `by` is the analyst as "Name <e-mail>" (as git writes an
/// author; empty when Claimdesk did not know who), `at` a UTC time as RFC 3339 to the second.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Signed {
    pub by: String,
    pub at: String,
}

impl Signed {
    /// Now, by `analyst` (nobody named when `None`).
    pub fn now(analyst: Option<&crate::settings::Analyst>) -> Self {
        Self {
            by: analyst.map(ToString::to_string).unwrap_or_default(),
            at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }

    /// The name part of `by` ("Dana Reyes" of "Dana Reyes <dana@example.org>").
    pub fn name(&self) -> &str {
        self.by.split(" <").next().unwrap_or("").trim()
    }
}

/// Who created a record and who last changed it, and when; set by [`Workspace::apply`]
/// (crate::workspace::Workspace::apply) for every record an edit puts, never by a front end.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Signed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Signed>,
}

impl Provenance {
    pub fn is_empty(&self) -> bool {
        self.created.is_none() && self.changed.is_none()
    }
}

/// An article of the project: where its file is and what the analyst corrected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEntry {
    /// Path relative to the project file, with `/` separators.
    pub path: String,
    /// Hash of the kept text the anchors were made against.
    #[serde(default)]
    pub hash: String,
    /// Analyst corrections of metadata (fields left `None` use what import found).
    #[serde(default)]
    pub meta: ArticleMeta,
    /// The article's kept text as corrected by the analyst (a typo fixed), used instead of the
    /// file's; the file itself is never rewritten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_text: Option<String>,
    /// Set when the article was fetched from the web: where from, when, and its archived copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<Capture>,
}

/// A web page as it was retrieved, with its archived copy (a WARC file holding the request and
/// the response) kept in the project folder, so that what the analyst read can be shown and
/// cited after the live page changes or disappears.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// The address asked for.
    pub url: String,
    /// Where the page was after redirects.
    pub final_url: String,
    /// When the response was received, RFC 3339 in UTC (`2023-10-24T08:15:00Z`).
    pub retrieved_at: String,
    /// HTTP status of the final response.
    pub status: u16,
    /// Its `Content-Type`.
    pub content_type: String,
    /// Digest of the body as received, `sha256:` and hex (the WARC record's payload digest).
    pub content_hash: String,
    /// The WARC file, relative to the project file with `/` separators.
    pub archive: String,
}

/// Where a claim came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Origin {
    /// Marked by the analyst.
    #[default]
    Analyst,
    /// A suggestion the analyst accepted.
    Suggestion,
}

/// Two values for one field after a merge where both analysts changed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    pub ours: String,
    pub theirs: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub article: ArticleId,
    pub anchor: Anchor,
    #[serde(default)]
    pub claimant: Option<String>,
    /// A label of the project's rating scale.
    #[serde(default)]
    pub verdict: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub origin: Origin,
    /// Unresolved merge conflicts on this claim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<FieldConflict>,
    /// A step of the project's status scale; `None` is the first ("to check").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Who works on it (a name as the team writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Who reviews it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// The reviewer's sign-off: who and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_off: Option<Signed>,
    #[serde(default, skip_serializing_if = "Provenance::is_empty")]
    pub provenance: Provenance,
}

impl Claim {
    /// A new, unrated analyst claim on `span` of `article`.
    pub fn at(article: &crate::corpus::Article, span: crate::text::Span) -> Self {
        Self {
            article: article.id.clone(),
            anchor: Anchor::new(article, span),
            claimant: None,
            verdict: None,
            note: String::new(),
            origin: Origin::Analyst,
            conflicts: Vec::new(),
            status: None,
            assignee: None,
            reviewer: None,
            signed_off: None,
            provenance: Provenance::default(),
        }
    }
}

/// An entity of the registry: one real-world thing, however it is spelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "Provenance::is_empty")]
    pub provenance: Provenance,
}

impl Entity {
    /// The canonical name and every alias.
    pub fn surface_forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A place in an article where an entity is mentioned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub entity: Id,
    pub article: ArticleId,
    pub anchor: Anchor,
    #[serde(default, skip_serializing_if = "Provenance::is_empty")]
    pub provenance: Provenance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stance {
    Supports,
    Refutes,
    Context,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Supports, Stance::Refutes, Stance::Context];

    pub fn label(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Refutes => "refutes",
            Stance::Context => "context",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvidenceSource {
    /// A passage of an article in the project.
    Passage { article: ArticleId, anchor: Anchor },
    /// An outside source.
    Url { url: String, title: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub claim: Id,
    pub stance: Stance,
    pub source: EvidenceSource,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "Provenance::is_empty")]
    pub provenance: Provenance,
}

/// The whole saved state of a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
    pub rating_scale: Vec<Rating>,
    /// The editorial steps of a claim, in order; the last is publishing.
    pub status_scale: Vec<String>,
    pub articles: BTreeMap<ArticleId, ArticleEntry>,
    pub claims: BTreeMap<Id, Claim>,
    pub entities: BTreeMap<Id, Entity>,
    pub mentions: BTreeMap<Id, Mention>,
    pub evidence: BTreeMap<Id, Evidence>,
    /// Suggestions the analyst dismissed, as `article#start-end`, so they stay hidden.
    pub dismissed: BTreeSet<String>,
    /// Unresolved merge conflicts on the project itself: its name, its rating scale, an article
    /// one side removed that the other side's records still use. Each names its
    /// [`FieldConflict::field`] ("name", "rating scale", "article ID").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<FieldConflict>,
}

impl Default for Project {
    fn default() -> Self {
        Self {
            name: "Untitled".into(),
            rating_scale: default_rating_scale(),
            status_scale: default_status_scale(),
            articles: BTreeMap::new(),
            claims: BTreeMap::new(),
            entities: BTreeMap::new(),
            mentions: BTreeMap::new(),
            evidence: BTreeMap::new(),
            dismissed: BTreeSet::new(),
            conflicts: Vec::new(),
        }
    }
}

impl Project {
    pub fn rating(&self, label: &str) -> Option<&Rating> {
        self.rating_scale.iter().find(|r| r.label == label)
    }

    /// A claim's status: its own, else the scale's first step.
    pub fn status_of<'a>(&'a self, claim: &'a Claim) -> &'a str {
        claim
            .status
            .as_deref()
            .or(self.status_scale.first().map(String::as_str))
            .unwrap_or("to check")
    }

    /// The step of the status scale that publishes (its last).
    pub fn published_status(&self) -> Option<&str> {
        self.status_scale.last().map(String::as_str)
    }

    /// Whether a claim is published (at the last step of the scale).
    pub fn is_published(&self, claim: &Claim) -> bool {
        self.published_status() == Some(self.status_of(claim)) && self.status_scale.len() > 1
    }

    /// The scale's step for `label`, matched without regard to case, and with `-` or `_` for
    /// spaces ("in-review" → "in review").
    pub fn status_step(&self, label: &str) -> Option<&str> {
        let wanted = status_key(label);
        self.status_scale
            .iter()
            .find(|s| status_key(s) == wanted)
            .map(String::as_str)
    }

    /// Claims of one article, in text order.
    pub fn claims_in<'a>(&'a self, article: &'a str) -> Vec<(&'a Id, &'a Claim)> {
        let mut claims: Vec<_> = self
            .claims
            .iter()
            .filter(|(_, c)| c.article == article)
            .collect();
        claims.sort_by_key(|(id, c)| (c.anchor.start, c.anchor.end, *id));
        claims
    }

    /// Entity mentions of one article, in text order.
    pub fn mentions_in<'a>(&'a self, article: &'a str) -> Vec<(&'a Id, &'a Mention)> {
        let mut mentions: Vec<_> = self
            .mentions
            .iter()
            .filter(|(_, m)| m.article == article)
            .collect();
        mentions.sort_by_key(|(id, m)| (m.anchor.start, m.anchor.end, *id));
        mentions
    }

    pub fn evidence_for<'a>(&'a self, claim: &'a str) -> Vec<(&'a Id, &'a Evidence)> {
        self.evidence
            .iter()
            .filter(|(_, e)| e.claim == claim)
            .collect()
    }

    /// The registry entity whose name or alias is `surface` (case-insensitive).
    pub fn entity_named(&self, surface: &str) -> Option<(&Id, &Entity)> {
        self.entities.iter().find(|(_, e)| {
            e.surface_forms()
                .any(|form| form.eq_ignore_ascii_case(surface))
        })
    }

    /// Key under which a dismissed suggestion is remembered.
    pub fn suggestion_key(article: &str, start: usize, end: usize) -> String {
        format!("{article}#{start}-{end}")
    }

    /// Spans of one article's dismissed suggestions, read back from their
    /// [`Project::suggestion_key`]s.
    pub fn dismissed_spans(&self, article: &str) -> std::collections::HashSet<crate::text::Span> {
        let prefix = format!("{article}#");
        self.dismissed
            .range(prefix.clone()..)
            .take_while(|key| key.starts_with(&prefix))
            .filter_map(|key| {
                let (start, end) = key[prefix.len()..].split_once('-')?;
                Some(crate::text::Span::new(
                    start.parse().ok()?,
                    end.parse().ok()?,
                ))
            })
            .collect()
    }

    /// Counts shown by `claimdesk check`.
    pub fn counts(&self) -> ProjectCounts {
        ProjectCounts {
            articles: self.articles.len(),
            claims: self.claims.len(),
            rated: self.claims.values().filter(|c| c.verdict.is_some()).count(),
            entities: self.entities.len(),
            mentions: self.mentions.len(),
            evidence: self.evidence.len(),
        }
    }
}

/// A status label folded for matching: lower case, `-`/`_` as spaces, runs of spaces as one.
pub fn status_key(label: &str) -> String {
    label
        .to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectCounts {
    pub articles: usize,
    pub claims: usize,
    pub rated: usize,
    pub entities: usize,
    pub mentions: usize,
    pub evidence: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    #[test]
    fn dismissed_spans_read_back_only_this_articles_keys() {
        let mut project = Project::default();
        for key in [
            Project::suggestion_key("a.txt", 3, 40),
            Project::suggestion_key("a.txt", 100, 180),
            // A longer id sharing the prefix, and one sorting right after it.
            Project::suggestion_key("a.txt2", 5, 9),
            Project::suggestion_key("b.txt", 3, 40),
        ] {
            project.dismissed.insert(key);
        }
        let spans = project.dismissed_spans("a.txt");
        assert_eq!(spans.len(), 2);
        assert!(spans.contains(&Span::new(3, 40)) && spans.contains(&Span::new(100, 180)));
        assert!(project.dismissed_spans("c.txt").is_empty());
    }
}
