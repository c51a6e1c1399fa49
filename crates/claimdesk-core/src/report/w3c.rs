//! W3C Web Annotation (JSON-LD, `http://www.w3.org/ns/anno.jsonld`): an `AnnotationCollection`
//! whose items target article passages with a `TextQuoteSelector` (exact, prefix, suffix) and a
//! `TextPositionSelector` (char offsets). Bodies: `tagging` "claim"/"evidence"/entity type,
//! `assessing` the verdict, `commenting` the note, `describing` "Claimant: …", `identifying` the
//! entity's canonical name.
//!
//! Evidence is a `linking` annotation whose `SpecificResource` body is the claim's annotation;
//! a passage is targeted like a claim, URL evidence targets the URL itself (its title in a
//! `describing` body "Title: …").
//!
//! Each target's `source` is `urn:claimdesk:article:<article id>`; the article's URL, when known,
//! is given as the target's `scope`. Import matches sources to articles by id or URL, checks the
//! position against the quote and falls back to the quote (nearest to the old position).
//!
//! The collection holds one `AnnotationPage` (with its own `id`, as the model requires, and
//! `partOf` describing the collection), which is both `first` and `last`. Each annotation has `created` (from its record's
//! ULID, when the id is one) and a `creator`.

use serde_json::{Value, json};

use super::interchange::{
    ExportData, Imported, ImportedArticle, ImportedClaim, ImportedEvidence, ImportedMention,
    ImportedSource, guid,
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

/// When a record was made: the time in its ULID id (`None` for ids that are not ULIDs).
fn created(id: &str) -> Option<String> {
    let ulid = ulid::Ulid::from_string(&id.to_uppercase()).ok()?;
    let time: chrono::DateTime<chrono::Utc> = ulid.datetime().into();
    Some(time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// `created` and `creator` of an annotation of the record `id`.
fn provenance(item: &mut Value, id: &str) {
    if let Some(time) = created(id) {
        item["created"] = json!(time);
    }
    item["creator"] = json!({"type": "Person", "nickname": "Claimdesk analyst"});
}

fn body(purpose: &str, value: &str) -> Value {
    json!({"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"})
}

/// The collection as a JSON value.
pub fn collection(ws: &Workspace) -> Value {
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
            let mut item = json!({
                "id": format!("urn:uuid:{}", guid("claim", &claim.id)),
                "type": "Annotation",
                "motivation": if claim.verdict.is_some() { "assessing" } else { "highlighting" },
                "body": bodies,
                "target": target(&article.text, &index, &article.id, url, claim.span),
            });
            provenance(&mut item, &claim.id);
            items.push(item);
            for evidence in claim.evidence.iter().filter(|e| e.article_id.is_none()) {
                let Some(url) = &evidence.url else { continue };
                let mut bodies = vec![
                    body("tagging", "evidence"),
                    json!({"type": "SpecificResource", "purpose": "linking", "source": format!("urn:uuid:{}", guid("claim", &claim.id))}),
                    body("describing", &format!("Stance: {}", evidence.stance)),
                ];
                if let Some(title) = evidence.meta.title.as_deref().filter(|t| !t.is_empty()) {
                    bodies.push(body("describing", &format!("Title: {title}")));
                }
                if !evidence.note.is_empty() {
                    bodies.push(body("commenting", &evidence.note));
                }
                let mut item = json!({
                    "id": format!("urn:uuid:{}", guid("evidence", &evidence.id)),
                    "type": "Annotation",
                    "motivation": "linking",
                    "body": bodies,
                    "target": {"source": url},
                });
                provenance(&mut item, &evidence.id);
                items.push(item);
            }
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
            let mut item = json!({
                "id": format!("urn:uuid:{}", guid("evidence", &id)),
                "type": "Annotation",
                "motivation": "linking",
                "body": bodies,
                "target": target(&article.text, &index, &article.id, url, *span),
            });
            let record = data
                .claims
                .iter()
                .find(|c| &c.id == claim)
                .and_then(|c| {
                    c.evidence.iter().find(|e| {
                        e.span == Some(*span) && e.article_id.as_deref() == Some(&article.id)
                    })
                })
                .map_or(claim.as_str(), |e| e.id.as_str());
            provenance(&mut item, record);
            items.push(item);
        }
        for (entity_id, entity, _, span) in data.mentions.iter().filter(|m| m.2 == article.id) {
            let id = format!("{entity_id}:{}:{}:{}", article.id, span.start, span.end);
            let mut item = json!({
                "id": format!("urn:uuid:{}", guid("mention", &id)),
                "type": "Annotation",
                "motivation": "identifying",
                "body": [body("tagging", entity.kind.label()), body("identifying", &entity.name)],
                "target": target(&article.text, &index, &article.id, url, *span),
            });
            provenance(&mut item, entity_id);
            items.push(item);
        }
    }
    let collection = format!("urn:uuid:{}", guid("collection", &data.name));
    let page = format!("urn:uuid:{}", guid("collection-page", &data.name));
    json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection,
        "type": "AnnotationCollection",
        "label": data.name,
        "total": items.len(),
        // `partOf` describes the collection (the test suite's page checks want an object).
        "first": {
            "id": page,
            "type": "AnnotationPage",
            "partOf": {"id": collection, "label": data.name, "total": items.len()},
            "startIndex": 0,
            "items": items,
        },
        "last": page,
    })
}

/// The collection as pretty JSON; `<`, `>` and `&` are `\u` escapes so it embeds in HTML.
pub fn render(ws: &Workspace) -> String {
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
    // Claims by annotation id, for the evidence that links to them; evidence resolved after
    // every item is read (it may come before its claim).
    let mut claim_ids: std::collections::BTreeMap<String, (String, Span)> = Default::default();
    let mut pending: Vec<(String, crate::project::Stance, ImportedSource, String)> = Vec::new();
    for item in &items {
        let item_bodies = bodies(item);
        let is_evidence = item_bodies
            .iter()
            .any(|(p, v)| p == "tagging" && v == "evidence");
        if is_evidence {
            let linked = linked_claim(item);
            let stance = item_bodies
                .iter()
                .find_map(|(p, v)| {
                    (p == "describing")
                        .then(|| v.strip_prefix("Stance: "))
                        .flatten()
                })
                .and_then(super::interchange::stance_named)
                .unwrap_or(crate::project::Stance::Context);
            let note = item_bodies
                .iter()
                .find(|(p, _)| p == "commenting")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let target = match &item["target"] {
                Value::Array(list) => list.first().cloned().unwrap_or(Value::Null),
                Value::String(url) => json!({"source": url}),
                t => t.clone(),
            };
            let source = target["source"].as_str().unwrap_or("");
            let Some(linked) = linked else {
                imported
                    .warnings
                    .push("evidence that links to no claim; skipped".to_string());
                continue;
            };
            if target["selector"].is_null() && !source.starts_with(SOURCE_PREFIX) {
                let title = item_bodies
                    .iter()
                    .find_map(|(p, v)| {
                        (p == "describing")
                            .then(|| v.strip_prefix("Title: "))
                            .flatten()
                    })
                    .unwrap_or_default()
                    .to_string();
                pending.push((
                    linked,
                    stance,
                    ImportedSource::Url {
                        url: source.to_string(),
                        title,
                    },
                    note,
                ));
                continue;
            }
            let found = articles.iter().position(|(id, _, url)| {
                source.strip_prefix(SOURCE_PREFIX) == Some(id.as_str())
                    || source == id
                    || url.as_deref() == Some(source)
            });
            let Some(i) = found else {
                imported
                    .warnings
                    .push(format!("evidence in unknown source {source}; skipped"));
                continue;
            };
            let Some(span) = locate(&target, &articles[i].1, &indexes[i]) else {
                imported.warnings.push(format!(
                    "evidence in {}: text not found; skipped",
                    articles[i].0
                ));
                continue;
            };
            pending.push((
                linked,
                stance,
                ImportedSource::Passage {
                    article: articles[i].0.clone(),
                    span,
                },
                note,
            ));
            continue;
        }
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
            if let Some(id) = item["id"].as_str() {
                claim_ids.insert(id.to_string(), (article.clone(), span));
            }
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
    for (claim, stance, source, note) in pending {
        match claim_ids.get(&claim) {
            Some((article, span)) => imported.evidence.push(ImportedEvidence {
                claim_article: article.clone(),
                claim_span: *span,
                stance,
                source,
                note,
            }),
            None => imported.warnings.push(format!(
                "evidence for {claim}, which is not a claim here; skipped"
            )),
        }
    }
    Ok(imported)
}

/// The annotation id a piece of evidence links to (its `SpecificResource` body's `source`).
fn linked_claim(item: &Value) -> Option<String> {
    let list = match &item["body"] {
        Value::Array(list) => list.clone(),
        other => vec![other.clone()],
    };
    list.iter().find_map(|b| {
        (b["purpose"] == "linking")
            .then(|| {
                b["source"]
                    .as_str()
                    .or(b["id"].as_str())
                    .map(str::to_string)
            })
            .flatten()
    })
}
