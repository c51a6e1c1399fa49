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
pub const FORMAT_VERSION: u32 = 1;

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
}

/// The whole saved state of a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
    pub rating_scale: Vec<Rating>,
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
