//! schema.org ClaimReview JSON-LD: one object per rated claim, as search engines and fact-check
//! aggregators read it (required: `claimReviewed`, `reviewRating.alternateName`, `url`;
//! recommended: `author`, `datePublished`, `itemReviewed` Claim with `author`, `appearance`,
//! `datePublished`). `ratingValue`, `bestRating` and `worstRating` come from the project's
//! rating scale values; `reviewRating.name` and `alternateName` are the verdict's label.
//! The claimant (`itemReviewed.author`) is a `Person` or an `Organization` as the entity
//! registry types the name (ORG, NORP, GPE → `Organization`); a name the registry does not
//! know is taken to be a `Person`.
//!
//! Search engines take only reviews whose `url` is the published page: without a base URL the
//! `url` is a `urn:claimdesk:` name ([`PublishInfo::is_unpublished`]), valid JSON-LD that Google's
//! fact-check tools reject, so exports warn ([`UNPUBLISHED_WARNING`]).
//!
//! The output is safe to paste into `<script type="application/ld+json">`: `<`, `>`, `&` and the
//! JavaScript line separators are written as `\uXXXX` escapes, so no string can close the tag.

use serde_json::{Map, Value, json};

use super::{Report, ReportClaim, visible_text};

/// Who publishes the review, and where.
#[derive(Clone, Debug)]
pub struct PublishInfo {
    /// Address of the published fact-check; each review's `url` is this plus `#claim-<id>`.
    pub base_url: String,
    /// The fact-checking organisation (`author` of each review).
    pub author: String,
    /// `datePublished` of the reviews (ISO date).
    pub date_published: String,
}

impl PublishInfo {
    /// Defaults for a report not yet published: a `urn:` address naming the project, the
    /// organisation "Claimdesk", today's date.
    pub fn for_report(report: &Report) -> Self {
        let slug: String = report
            .title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        Self {
            base_url: format!("urn:claimdesk:{slug}"),
            author: "Claimdesk".into(),
            date_published: chrono::Local::now().date_naive().to_string(),
        }
    }
}

/// Shown by the CLI and the export dialog when reviews are written without a base URL.
pub const UNPUBLISHED_WARNING: &str = "no base URL given: each ClaimReview's `url` is a urn:claimdesk: name, which Google Search and the Fact Check Explorer reject (they need the address of the page that publishes the review). Give the address where the report or pages will be published (`--base-url https://example.org/fact-checks/lavrov`).";

impl PublishInfo {
    /// True while reviews point at a `urn:` name, not a published page.
    pub fn is_unpublished(&self) -> bool {
        !(self.base_url.starts_with("https://") || self.base_url.starts_with("http://"))
    }
}

/// schema.org type of a claimant: the registry's type when it knows the name, else `Person`.
fn claimant_type(kind: Option<crate::analysis::EntityKind>) -> &'static str {
    use crate::analysis::EntityKind;
    match kind {
        Some(EntityKind::Org | EntityKind::Norp | EntityKind::Gpe) => "Organization",
        _ => "Person",
    }
}

fn text(s: &str) -> Value {
    Value::String(visible_text(s))
}

/// One ClaimReview object; `url` is the address of the review (a page, or the report plus
/// `#claim-<id>`).
pub fn review(
    report: &Report,
    claim: &ReportClaim,
    verdict: &str,
    info: &PublishInfo,
    url: &str,
) -> Value {
    let best = report
        .rating_scale
        .iter()
        .map(|(_, v)| *v)
        .max()
        .unwrap_or(1);
    let worst = report
        .rating_scale
        .iter()
        .map(|(_, v)| *v)
        .min()
        .unwrap_or(1);
    let mut rating = Map::new();
    rating.insert("@type".into(), json!("Rating"));
    if let Some(value) = claim.rating_value {
        rating.insert("ratingValue".into(), json!(value));
        rating.insert("bestRating".into(), json!(best));
        rating.insert("worstRating".into(), json!(worst));
    }
    rating.insert("name".into(), text(verdict));
    rating.insert("alternateName".into(), text(verdict));

    let mut appearance = Map::new();
    appearance.insert("@type".into(), json!("CreativeWork"));
    if let Some(url) = &claim.article.url {
        appearance.insert("url".into(), text(url));
    }
    appearance.insert(
        "headline".into(),
        text(claim.article.title.as_deref().unwrap_or(&claim.article_id)),
    );
    if let Some(source) = &claim.article.source {
        appearance.insert(
            "publisher".into(),
            json!({"@type": "Organization", "name": text(source)}),
        );
    }
    if let Some(date) = &claim.article.date {
        appearance.insert("datePublished".into(), text(date));
    }

    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    if let Some(claimant) = &claim.claimant {
        item.insert(
            "author".into(),
            json!({"@type": claimant_type(claim.claimant_kind), "name": text(claimant)}),
        );
    }
    if let Some(date) = &claim.article.date {
        item.insert("datePublished".into(), text(date));
    }
    item.insert(
        "appearance".into(),
        Value::Array(vec![Value::Object(appearance)]),
    );

    let mut object = Map::new();
    object.insert("@context".into(), json!("https://schema.org"));
    object.insert("@type".into(), json!("ClaimReview"));
    object.insert("url".into(), text(url));
    object.insert(
        "claimReviewed".into(),
        text(super::bare_quote(&claim.quote)),
    );
    object.insert("datePublished".into(), text(&info.date_published));
    object.insert(
        "author".into(),
        json!({"@type": "Organization", "name": text(&info.author)}),
    );
    if !claim.note.trim().is_empty() {
        object.insert("reviewBody".into(), text(&claim.note));
    }
    object.insert("reviewRating".into(), Value::Object(rating));
    object.insert("itemReviewed".into(), Value::Object(item));
    Value::Object(object)
}

/// The reviews as values (rated claims only, in report order).
pub fn reviews(report: &Report, info: &PublishInfo) -> Vec<Value> {
    report
        .claims
        .iter()
        .filter(|c| !c.suggested)
        .filter_map(|c| {
            c.verdict.as_deref().map(|v| {
                let url = format!("{}#claim-{}", info.base_url, super::html::css_token(&c.id));
                review(report, c, v, info, &url)
            })
        })
        .collect()
}

/// A JSON array of ClaimReview objects, pretty-printed, safe inside a `<script>` element.
pub fn render(report: &Report, info: &PublishInfo) -> String {
    super::json_for_html(&reviews(report, info))
}
