//! W3C Web Annotation (JSON-LD, `http://www.w3.org/ns/anno.jsonld`): an `AnnotationCollection`
//! whose items target article passages with a `TextQuoteSelector` (exact, prefix, suffix) and a
//! `TextPositionSelector` (char offsets). Bodies: `tagging` "claim"/"evidence"/entity type,
//! `assessing` the verdict, `commenting` the note, `describing` "Claimant: …", `identifying` the
//! entity's canonical name.
//!
//! Each target's `source` is `urn:claimdesk:article:<article id>`; the article's URL, when known,
//! is given as the target's `scope`. Import matches sources to articles by id or URL, checks the
//! position against the quote and falls back to the quote (nearest to the old position).

use serde_json::{Value, json};

use super::interchange::{
    ExportData, Imported, ImportedArticle, ImportedClaim, ImportedMention, guid,
};
use crate::analysis::EntityKind;
use crate::text::{CharIndex, Span};
use crate::workspace::Workspace;

const SOURCE_PREFIX: &str = "urn:claimdesk:article:";
const CONTEXT: usize = 32;

fn target(text: &str, index: &CharIndex, article: &str, url: Option<&str>, span: Span) -> Value {
    let len = index.char_len();
    let prefix = index.slice(
        text,
        Span::new(span.start.saturating_sub(CONTEXT), span.start),
    );
    let suffix = index.slice(
        text,
        Span::new(span.end.min(len), (span.end + CONTEXT).min(len)),
    );
    let mut target = json!({
        "source": format!("{SOURCE_PREFIX}{article}"),
        "selector": [
            {"type": "TextQuoteSelector", "exact": index.slice(text, span), "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": span.start, "end": span.end}
        ]
    });
    if let Some(url) = url {
        target["scope"] = json!(url);
    }
    target
}

fn body(purpose: &str, value: &str) -> Value {
    json!({"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"})
}

/// The collection as a JSON value.
pub fn collection(ws: &mut Workspace) -> Value {
    let data = ExportData::gather(ws);
    let mut items = Vec::new();
    for (article, meta) in &data.articles {
        let index = CharIndex::new(&article.text);
        let url = meta.url.as_deref();
        for claim in data.claims.iter().filter(|c| c.article_id == article.id) {
            let mut bodies = vec![body("tagging", "claim")];
            if let Some(v) = &claim.verdict {
                bodies.push(body("assessing", v));
            }
            if let Some(c) = &claim.claimant {
                bodies.push(body("describing", &format!("Claimant: {c}")));
            }
            if !claim.note.is_empty() {
                bodies.push(body("commenting", &claim.note));
            }
            items.push(json!({
                "id": format!("urn:uuid:{}", guid("claim", &claim.id)),
                "type": "Annotation",
                "motivation": if claim.verdict.is_some() { "assessing" } else { "highlighting" },
                "body": bodies,
                "target": target(&article.text, &index, &article.id, url, claim.span),
            }));
        }
        for (claim, stance, _, span, note) in data.evidence.iter().filter(|e| e.2 == article.id) {
            let mut bodies = vec![
                body("tagging", "evidence"),
                json!({"type": "SpecificResource", "purpose": "linking", "source": format!("urn:uuid:{}", guid("claim", claim))}),
                body("describing", &format!("Stance: {}", stance.label())),
            ];
            if !note.is_empty() {
                bodies.push(body("commenting", note));
            }
            let id = format!("{claim}:{}:{}:{}", article.id, span.start, span.end);
            items.push(json!({
                "id": format!("urn:uuid:{}", guid("evidence", &id)),
                "type": "Annotation",
                "motivation": "linking",
                "body": bodies,
                "target": target(&article.text, &index, &article.id, url, *span),
            }));
        }
        for (entity_id, entity, _, span) in data.mentions.iter().filter(|m| m.2 == article.id) {
            let id = format!("{entity_id}:{}:{}:{}", article.id, span.start, span.end);
            items.push(json!({
                "id": format!("urn:uuid:{}", guid("mention", &id)),
                "type": "Annotation",
                "motivation": "identifying",
                "body": [body("tagging", entity.kind.label()), body("identifying", &entity.name)],
                "target": target(&article.text, &index, &article.id, url, *span),
            }));
        }
    }
    json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": format!("urn:uuid:{}", guid("collection", &data.name)),
        "type": "AnnotationCollection",
        "label": data.name,
        "total": items.len(),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    })
}

/// The collection as pretty JSON; `<`, `>` and `&` are `\u` escapes so it embeds in HTML.
pub fn render(ws: &mut Workspace) -> String {
    super::json_for_html(&collection(ws))
}

fn bodies(item: &Value) -> Vec<(String, String)> {
    let list = match &item["body"] {
        Value::Array(list) => list.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    };
    list.iter()
        .filter_map(|b| {
            Some((
                b["purpose"].as_str().unwrap_or("").to_string(),
                b["value"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// Finds the span of a target in `text`: the position when it still holds the quote, else the
/// occurrence of the quote nearest to it.
fn locate(target: &Value, text: &str, index: &CharIndex) -> Option<Span> {
    let selectors = match &target["selector"] {
        Value::Array(list) => list.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    };
    let position = selectors
        .iter()
        .find(|s| s["type"] == "TextPositionSelector")
        .and_then(|s| {
            Some(Span::new(
                s["start"].as_u64()? as usize,
                s["end"].as_u64()? as usize,
            ))
        });
    let exact = selectors
        .iter()
        .find(|s| s["type"] == "TextQuoteSelector")
        .and_then(|s| s["exact"].as_str());
    let len = index.char_len();
    if let Some(span) = position
        && span.start < span.end
        && span.end <= len
        && exact.is_none_or(|q| index.slice(text, span) == q)
    {
        return Some(span);
    }
    let exact = exact.filter(|q| !q.is_empty())?;
    let near = position.map_or(0, |p| p.start);
    text.match_indices(exact)
        .map(|(b, _)| {
            let start = index.char_of(text, b);
            Span::new(start, start + exact.chars().count())
        })
        .min_by_key(|s| s.start.abs_diff(near))
}

/// Reads a collection (or a bare array of annotations, or one annotation) against the articles
/// it annotates: (article id, text, URL).
pub fn import(
    json: &str,
    articles: &[(String, String, Option<String>)],
) -> anyhow::Result<Imported> {
    let value: Value = serde_json::from_str(json)?;
    let items: Vec<Value> = match &value {
        Value::Array(list) => list.clone(),
        v if v["type"] == "AnnotationCollection" => {
            v["first"]["items"].as_array().cloned().unwrap_or_default()
        }
        v if v["type"] == "AnnotationPage" => v["items"].as_array().cloned().unwrap_or_default(),
        v => vec![v.clone()],
    };
    let mut imported = Imported {
        name: value["label"].as_str().map(str::to_string),
        articles: articles
            .iter()
            .map(|(id, text, url)| ImportedArticle {
                id: id.clone(),
                text: text.clone(),
                meta: crate::corpus::ArticleMeta {
                    url: url.clone(),
                    ..Default::default()
                },
            })
            .collect(),
        ..Imported::default()
    };
    let indexes: Vec<CharIndex> = articles.iter().map(|(_, t, _)| CharIndex::new(t)).collect();
    for item in &items {
        let target = match &item["target"] {
            Value::Array(list) => list.first().cloned().unwrap_or(Value::Null),
            t => t.clone(),
        };
        let source = target["source"].as_str().unwrap_or("");
        let scope = target["scope"].as_str();
        let found = articles.iter().position(|(id, _, url)| {
            source.strip_prefix(SOURCE_PREFIX) == Some(id.as_str())
                || source == id
                || url
                    .as_deref()
                    .is_some_and(|u| u == source || Some(u) == scope)
        });
        let Some(i) = found else {
            imported
                .warnings
                .push(format!("annotation for unknown source {source}; skipped"));
            continue;
        };
        let (article, text, _) = &articles[i];
        let Some(span) = locate(&target, text, &indexes[i]) else {
            imported
                .warnings
                .push(format!("annotation in {article}: text not found; skipped"));
            continue;
        };
        let bodies = bodies(item);
        let get = |purpose: &str| {
            bodies
                .iter()
                .find(|(p, _)| p == purpose)
                .map(|(_, v)| v.clone())
        };
        let tags: Vec<&str> = bodies
            .iter()
            .filter(|(p, _)| p == "tagging")
            .map(|(_, v)| v.as_str())
            .collect();
        if tags.contains(&"claim") || (get("assessing").is_some() && !tags.contains(&"evidence")) {
            imported.claims.push(ImportedClaim {
                article: article.clone(),
                span,
                claimant: bodies.iter().find_map(|(p, v)| {
                    (p == "describing")
                        .then(|| v.strip_prefix("Claimant: ").map(str::to_string))
                        .flatten()
                }),
                verdict: get("assessing"),
                note: get("commenting").unwrap_or_default(),
            });
        } else if let Some(kind) = tags.iter().find_map(|t| EntityKind::from_label(t)) {
            imported.mentions.push(ImportedMention {
                article: article.clone(),
                span,
                entity: get("identifying")
                    .unwrap_or_else(|| indexes[i].slice(text, span).to_string()),
                kind,
            });
        }
    }
    Ok(imported)
}
