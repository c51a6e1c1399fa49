//! Reading published fact-checks: schema.org ClaimReview JSON-LD in the shapes it is published
//! in, and the Google Fact Check Tools `claims:search` response.
//!
//! Accepted: one ClaimReview object, an array of them, an `@graph`, a `DataFeed` whose
//! `dataFeedElement`s are ClaimReviews or `DataFeedItem`s holding them, ClaimReviews nested in
//! other objects (a `WebPage`'s `mainEntity`, an `ItemList`), HTML pages carrying any of these in
//! `<script type="application/ld+json">` elements, and `{"claims": [{"claimReview": [...]}]}`
//! from the Fact Check Tools API. Claimdesk's own `claimreview` export (an array) and per-claim
//! pages (HTML with the JSON-LD inside) are among these.

use serde_json::Value;

/// One published fact-check, as the library holds it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct FactCheck {
    /// Address of the published review; the library holds one fact-check per URL.
    pub url: String,
    /// The claim reviewed (`claimReviewed`, or the API's `text`).
    pub claim: String,
    /// Who made the claim.
    pub claimant: Option<String>,
    /// The rating as the publisher words it ("False", "Pants on Fire").
    pub rating: Option<String>,
    /// `ratingValue`, with `worstRating`..`bestRating` when given.
    pub rating_value: Option<f64>,
    pub best_rating: Option<f64>,
    pub worst_rating: Option<f64>,
    /// The fact-checking organisation.
    pub publisher: Option<String>,
    /// When the review was published (as written, usually ISO 8601).
    pub date: Option<String>,
    /// Language code or name (`inLanguage`, the API's `languageCode`, the page's `lang`).
    pub language: Option<String>,
    /// The review's headline, when it has one.
    pub title: Option<String>,
}

/// What one file held.
#[derive(Debug, Default)]
pub struct Parsed {
    /// "json-ld", "html" or "fact-check-tools".
    pub format: &'static str,
    pub reviews: Vec<FactCheck>,
    /// Reviews found but not usable, each with why ("a ClaimReview without a url …").
    pub problems: Vec<String>,
}

/// Files larger than this are refused (a fact-check feed of 100,000 reviews is about 100 MB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads one file's bytes. An `Err` says why nothing could be read from it.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(
        |err| {
            format!(
                "not UTF-8 text (byte {} is invalid); JSON-LD and fact-check pages are UTF-8",
                err.valid_up_to()
            )
        },
    )?;
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err("empty file".into());
    }
    if trimmed.starts_with('<') {
        return parse_html(text);
    }
    let value: Value = serde_json::from_str(text).map_err(|err| {
        format!(
            "not valid JSON at line {} column {}: {err}",
            err.line(),
            err.column()
        )
    })?;
    let mut parsed = Parsed {
        format: "json-ld",
        ..Parsed::default()
    };
    if value.get("claims").is_some_and(Value::is_array) {
        parsed.format = "fact-check-tools";
        fact_check_tools(&value, &mut parsed);
    } else {
        collect(&value, None, &mut parsed);
    }
    if parsed.reviews.is_empty() && parsed.problems.is_empty() {
        return Err(
            "no ClaimReview found (expected schema.org ClaimReview JSON-LD or a Fact Check Tools claims:search response)"
                .into(),
        );
    }
    Ok(parsed)
}

fn parse_html(html: &str) -> Result<Parsed, String> {
    let document = dom_query::Document::from(html);
    let page_language = document
        .select("html")
        .attr("lang")
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    let mut parsed = Parsed {
        format: "html",
        ..Parsed::default()
    };
    let mut blocks = 0;
    for script in document.select("script").iter() {
        let kind = script.attr("type").map(|t| t.to_lowercase());
        if !kind.is_some_and(|t| t.trim().starts_with("application/ld+json")) {
            continue;
        }
        blocks += 1;
        let body = script.text();
        match serde_json::from_str::<Value>(body.trim()) {
            Ok(value) => collect(&value, page_language.as_deref(), &mut parsed),
            Err(err) => parsed.problems.push(format!(
                "JSON-LD block {blocks} is not valid JSON (line {} column {}): {err}",
                err.line(),
                err.column()
            )),
        }
    }
    if blocks == 0 {
        return Err(
            "an HTML page without JSON-LD (no <script type=\"application/ld+json\">), so no ClaimReview to read"
                .into(),
        );
    }
    if parsed.reviews.is_empty() && parsed.problems.is_empty() {
        return Err(format!(
            "the page's {blocks} JSON-LD block(s) hold no ClaimReview"
        ));
    }
    Ok(parsed)
}

/// Whether `value`'s `@type` is (or includes) `name`, written plainly, as `schema:Name` or as a
/// full IRI.
fn has_type(value: &Value, name: &str) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|t| {
            let local = t.rsplit(['/', ':', '#']).next().unwrap_or(t);
            local.eq_ignore_ascii_case(name)
        })
    };
    match value.get("@type") {
        Some(Value::Array(types)) => types.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

/// Finds ClaimReviews anywhere in `value` (arrays, `@graph`, feeds, nested objects).
fn collect(value: &Value, language: Option<&str>, parsed: &mut Parsed) {
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, language, parsed);
            }
        }
        Value::Object(object) => {
            let language = object
                .get("@context")
                .and_then(context_language)
                .or(language.map(str::to_string));
            if has_type(value, "ClaimReview") {
                match claim_review(value, language.as_deref()) {
                    Ok(review) => parsed.reviews.push(review),
                    Err(problem) => parsed.problems.push(problem),
                }
                return;
            }
            for (key, child) in object {
                // Keys that hold no reviews, and could be large.
                if matches!(key.as_str(), "@context" | "@id" | "@type") {
                    continue;
                }
                collect(child, language.as_deref(), parsed);
            }
        }
        _ => {}
    }
}

fn context_language(context: &Value) -> Option<String> {
    match context {
        Value::Array(items) => items.iter().find_map(context_language),
        Value::Object(object) => object
            .get("@language")
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

/// The text of a JSON-LD value: a string, a `{"@value": …}`, a thing's `name`, the first of a list.
fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => return items.iter().find_map(text_of),
        Value::Object(object) => {
            return object
                .get("@value")
                .or_else(|| object.get("name"))
                .or_else(|| object.get("alternateName"))
                .and_then(text_of);
        }
        _ => return None,
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Object(object) => object.get("@value").and_then(number_of),
        _ => None,
    }
}

fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.get(key).filter(|v| !v.is_null())
}

fn claim_review(review: &Value, language: Option<&str>) -> Result<FactCheck, String> {
    let claim = field(review, "claimReviewed")
        .and_then(text_of)
        .or_else(|| {
            field(review, "itemReviewed").and_then(|item| {
                field(item, "text")
                    .or_else(|| field(item, "name"))
                    .and_then(text_of)
            })
        });
    let url = field(review, "url")
        .and_then(text_of)
        .or_else(|| field(review, "@id").and_then(text_of));
    let (Some(url), Some(claim)) = (url, claim) else {
        let headline = field(review, "headline")
            .or_else(|| field(review, "name"))
            .and_then(text_of)
            .map(|h| format!(" (“{h}”)"))
            .unwrap_or_default();
        return Err(format!(
            "a ClaimReview{headline} without a url or claimReviewed was skipped; both are required"
        ));
    };
    let item = field(review, "itemReviewed");
    let claimant = item
        .and_then(|item| field(item, "author"))
        .and_then(text_of);
    let rating = field(review, "reviewRating");
    let rating_text = rating.and_then(|r| {
        field(r, "alternateName")
            .or_else(|| field(r, "name"))
            .and_then(text_of)
    });
    let publisher = field(review, "author")
        .or_else(|| field(review, "publisher"))
        .and_then(text_of);
    let date = field(review, "datePublished")
        .or_else(|| field(review, "dateCreated"))
        .and_then(text_of);
    let language = field(review, "inLanguage")
        .and_then(|l| match l {
            Value::Object(object) => object
                .get("alternateName")
                .or_else(|| object.get("name"))
                .and_then(text_of),
            other => text_of(other),
        })
        .or(language.map(str::to_string));
    Ok(FactCheck {
        url,
        claim,
        claimant,
        rating: rating_text,
        rating_value: rating
            .and_then(|r| field(r, "ratingValue"))
            .and_then(number_of),
        best_rating: rating
            .and_then(|r| field(r, "bestRating"))
            .and_then(number_of),
        worst_rating: rating
            .and_then(|r| field(r, "worstRating"))
            .and_then(number_of),
        publisher,
        date,
        language,
        title: field(review, "headline")
            .or_else(|| field(review, "name"))
            .and_then(text_of),
    })
}

/// `{"claims": [{"text", "claimant", "claimDate", "claimReview": [{"publisher": {"name",
/// "site"}, "url", "title", "reviewDate", "textualRating", "languageCode"}]}]}`.
fn fact_check_tools(value: &Value, parsed: &mut Parsed) {
    let claims = value.get("claims").and_then(Value::as_array);
    for (i, claim) in claims.into_iter().flatten().enumerate() {
        let text = field(claim, "text").and_then(text_of);
        let claimant = field(claim, "claimant").and_then(text_of);
        let reviews = field(claim, "claimReview").and_then(Value::as_array);
        let Some(text) = text else {
            parsed
                .problems
                .push(format!("claims[{i}] has no text; skipped"));
            continue;
        };
        let Some(reviews) = reviews.filter(|r| !r.is_empty()) else {
            parsed.problems.push(format!(
                "claims[{i}] (“{text}”) has no claimReview; skipped"
            ));
            continue;
        };
        for review in reviews {
            let Some(url) = field(review, "url").and_then(text_of) else {
                parsed.problems.push(format!(
                    "a claimReview of claims[{i}] (“{text}”) has no url; skipped"
                ));
                continue;
            };
            let publisher = field(review, "publisher").and_then(|p| {
                field(p, "name")
                    .or_else(|| field(p, "site"))
                    .and_then(text_of)
            });
            parsed.reviews.push(FactCheck {
                url,
                claim: text.clone(),
                claimant: claimant.clone(),
                rating: field(review, "textualRating").and_then(text_of),
                rating_value: None,
                best_rating: None,
                worst_rating: None,
                publisher,
                date: field(review, "reviewDate")
                    .or_else(|| field(claim, "claimDate"))
                    .and_then(text_of),
                language: field(review, "languageCode").and_then(text_of),
                title: field(review, "title").and_then(text_of),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REVIEW: &str = r#"{
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://factcheck.example/lavrov-iran",
        "claimReviewed": "Iran has taken a responsible and balanced stand on Gaza",
        "datePublished": "2023-10-26",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "Polygraph.info"},
        "reviewRating": {"@type": "Rating", "ratingValue": "2", "bestRating": 7, "worstRating": 1, "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Sergey Lavrov"}}
    }"#;

    fn expected() -> FactCheck {
        FactCheck {
            url: "https://factcheck.example/lavrov-iran".into(),
            claim: "Iran has taken a responsible and balanced stand on Gaza".into(),
            claimant: Some("Sergey Lavrov".into()),
            rating: Some("False".into()),
            rating_value: Some(2.0),
            best_rating: Some(7.0),
            worst_rating: Some(1.0),
            publisher: Some("Polygraph.info".into()),
            date: Some("2023-10-26".into()),
            language: Some("en".into()),
            title: None,
        }
    }

    fn reviews(text: &str) -> Vec<FactCheck> {
        let parsed = parse(text.as_bytes()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        parsed.reviews
    }

    #[test]
    fn every_published_shape_gives_the_same_review() {
        let one = REVIEW.to_string();
        let array = format!("[{REVIEW}]");
        let graph = format!(
            r#"{{"@context": "https://schema.org", "@graph": [{{"@type": "WebSite", "name": "x"}}, {REVIEW}]}}"#
        );
        let feed = format!(
            r#"{{"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [{{"@type": "DataFeedItem", "item": [{REVIEW}]}}]}}"#
        );
        let bare_feed = format!(r#"{{"@type": "DataFeed", "dataFeedElement": [{REVIEW}]}}"#);
        let nested = format!(r#"{{"@type": "WebPage", "mainEntity": {REVIEW}}}"#);
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><script type=\"application/ld+json\">{{\"@type\":\"Organization\",\"name\":\"P\"}}</script>\n<script type=\"application/ld+json; charset=utf-8\">{REVIEW}</script></head><body><p>text</p></body></html>"
        );
        for shape in [one, array, graph, feed, bare_feed, nested, html] {
            assert_eq!(reviews(&shape), vec![expected()], "{shape}");
        }
        let iri = REVIEW.replace("\"ClaimReview\"", "[\"http://schema.org/ClaimReview\"]");
        assert_eq!(reviews(&iri), vec![expected()]);
    }

    #[test]
    fn the_fact_check_tools_response_is_read_per_review() {
        let api = r#"{"claims": [{"text": "Iran is a responsible peacekeeper", "claimant": "Sergey Lavrov", "claimDate": "2023-10-19T00:00:00Z",
            "claimReview": [
              {"publisher": {"name": "Polygraph.info", "site": "polygraph.info"}, "url": "https://www.polygraph.info/a", "title": "Lavrov on Iran", "reviewDate": "2023-10-26T00:00:00Z", "textualRating": "False", "languageCode": "en"},
              {"publisher": {"site": "other.example"}, "url": "https://other.example/b", "textualRating": "Misleading", "languageCode": "de"}
            ]},
            {"text": "no reviews here"}],
            "nextPageToken": "x"}"#;
        let parsed = parse(api.as_bytes()).unwrap();
        assert_eq!(parsed.format, "fact-check-tools");
        assert_eq!(parsed.reviews.len(), 2);
        let first = &parsed.reviews[0];
        assert_eq!(first.claim, "Iran is a responsible peacekeeper");
        assert_eq!(first.claimant.as_deref(), Some("Sergey Lavrov"));
        assert_eq!(first.publisher.as_deref(), Some("Polygraph.info"));
        assert_eq!(first.rating.as_deref(), Some("False"));
        assert_eq!(first.date.as_deref(), Some("2023-10-26T00:00:00Z"));
        assert_eq!(
            parsed.reviews[1].publisher.as_deref(),
            Some("other.example")
        );
        assert_eq!(parsed.reviews[1].language.as_deref(), Some("de"));
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    }

    #[test]
    fn bad_files_say_why() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty"),
            (b"{\"claims\": [", "not valid JSON at line 1"),
            (b"\xff\xfe{}", "not UTF-8"),
            (b"{\"@type\": \"NewsArticle\"}", "no ClaimReview found"),
            (b"<html><body>hello</body></html>", "without JSON-LD"),
            (
                b"<html><script type=\"application/ld+json\">{oops</script></html>",
                "not valid JSON",
            ),
        ];
        for (bytes, why) in cases {
            let message = match parse(bytes) {
                Err(message) => message,
                Ok(parsed) => parsed.problems.join("; "),
            };
            assert!(message.contains(why), "{message:?} should say {why:?}");
        }
        let no_url = REVIEW.replace("\"url\"", "\"sameAs\"");
        let parsed = parse(no_url.as_bytes()).unwrap();
        assert!(parsed.reviews.is_empty());
        assert!(parsed.problems[0].contains("without a url"));
    }
}
