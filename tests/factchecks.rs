//! "Checked before": the sample project's own ClaimReview export and a hand-written Fact Check
//! Tools response imported into a fresh library find the Lavrov claim in a new project over the
//! sample corpus; the CLI does the same through `factchecks import/list/match`.

mod support;

use std::path::Path;
use std::process::Command;

use claimdesk_core::corpus::ImportLimits;
use claimdesk_core::progress::Quiet;
use claimdesk_core::project::{Claim, Edit, EvidenceSource, Stance, new_id};
use claimdesk_core::report::{self, export::ExportFormat};
use claimdesk_core::workspace::Workspace;
use claimdesk_factchecks::Library;
use claimdesk_factchecks::project::{self as matching, ClaimKind};
use support::{SampleCopy, find_span};

const LAVROV_QUOTE: &str = "the Iranian authorities have taken a responsible and balanced stand";
const FACT_CHECK_ARTICLE: &str = "000_164a3089b8e03eed.txt";

fn api_response() -> std::path::PathBuf {
    support::repo().join("tests/fixtures/factchecks/fact_check_tools_response.json")
}

/// The sample project with the Lavrov claim rated False (made here through the core while the
/// sample file does not carry it yet), exported as ClaimReview to `out`.
fn export_sample_claimreview(sample: &SampleCopy, out: &Path) -> String {
    let mut ws = sample.open();
    let existing = ws
        .project()
        .claims
        .iter()
        .find(|(_, c)| c.anchor.quote.contains("responsible and balanced"))
        .map(|(id, _)| id.clone());
    let id = match existing {
        Some(id) => id,
        None => {
            let article = ws.article(FACT_CHECK_ARTICLE).unwrap().clone();
            // The quote as the fact-check gives it at the top of the page.
            let start = find_span(&article.text, "“With regard to Gaza…", 0);
            let end = find_span(&article.text, "to neighboring states.\"", start.start);
            let mut claim = Claim::at(
                &article,
                claimdesk_core::text::Span::new(start.start, end.end),
            );
            claim.claimant = Some("Sergey Lavrov".into());
            claim.verdict = Some("False".into());
            claim.note = "Iran's support for Hamas is the main source of instability.".into();
            let id = new_id();
            ws.apply(
                "mark claim",
                Edit::PutClaim {
                    id: id.clone(),
                    claim,
                },
            )
            .unwrap();
            id
        }
    };
    report::export::export(
        &ws,
        ExportFormat::Claimreview,
        out,
        &report::ReportOptions::full(),
        &report::export::Publish {
            base_url: Some("https://desk.example/sample".into()),
            publisher: Some("Sample Desk".into()),
            excel_csv: false,
        },
        &Quiet,
    )
    .unwrap()
    .unwrap();
    id
}

#[test]
fn the_lavrov_claim_is_checked_before_in_a_new_project_over_the_sample_corpus() {
    let sample = SampleCopy::new();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("sample-claimreview.json");
    let claim_id = export_sample_claimreview(&sample, &export);

    let mut library = Library::open(&dir.path().join("library/factchecks.sqlite")).unwrap();
    let reports = library.import_files(&[export.clone(), api_response()]);
    assert_eq!(reports[0].status, "ok", "{:?}", reports[0]);
    assert_eq!(reports[0].format, Some("json-ld"));
    assert_eq!((reports[0].reviews, reports[0].added), (1, 1));
    assert_eq!(reports[1].format, Some("fact-check-tools"));
    assert_eq!((reports[1].reviews, reports[1].added), (3, 3));
    assert_eq!(library.len().unwrap(), 4);
    // Importing the same files again updates nothing and doubles nothing.
    let again = library.import_files(&[export, api_response()]);
    assert_eq!(again[0].unchanged + again[1].unchanged, 4);
    assert_eq!(library.len().unwrap(), 4);

    // A new project over the sample corpus: no claims, only suggestions.
    let mut fresh = Workspace::import(&[sample.corpus()], &ImportLimits::default());
    assert!(fresh.project().claims.is_empty());
    let claims = matching::claims_to_match(&mut fresh);
    assert!(claims.iter().all(|c| c.kind == ClaimKind::Suggestion));
    let results = matching::match_claims(&library, &claims, &Quiet)
        .unwrap()
        .unwrap();
    let lavrov: Vec<_> = results
        .iter()
        .filter(|r| r.claim.text.contains(LAVROV_QUOTE))
        .collect();
    assert!(!lavrov.is_empty(), "the quote is suggested as a claim");
    for result in &lavrov {
        assert_eq!(result.claim.article, FACT_CHECK_ARTICLE);
        assert!(result.checked_before, "{result:#?}");
        let urls: Vec<&str> = result
            .matches
            .iter()
            .map(|m| m.factcheck.factcheck.url.as_str())
            .collect();
        assert!(
            urls.iter().any(|u| u.contains("polygraph.info")),
            "{urls:?}"
        );
        assert!(
            urls.iter()
                .any(|u| u.starts_with("https://desk.example/sample#claim-"))
        );
        let best = &result.matches[0];
        assert_eq!(best.factcheck.factcheck.rating.as_deref(), Some("False"));
        assert!(
            best.why.words.iter().any(|w| w == "responsible"),
            "{:?}",
            best.why
        );
        assert!(best.why.names.iter().any(|n| n == "Gaza"), "{:?}", best.why);
    }
    // Nothing in the corpus is about 5G; "Iran does not give Hamas any money" is never the same
    // claim as a sentence saying it does.
    for result in &results {
        for m in &result.matches {
            let url = &m.factcheck.factcheck.url;
            assert!(!url.contains("5g"), "{}: {url}", result.claim.text);
            assert!(!url.contains("no-money"), "{}: {url}", result.claim.text);
        }
    }
    let checked: Vec<&str> = results
        .iter()
        .filter(|r| r.checked_before)
        .map(|r| r.claim.text.as_str())
        .collect();
    assert!(
        checked
            .iter()
            .all(|t| t.contains("responsible and balanced")),
        "only the Lavrov quote is checked before: {checked:#?}"
    );

    // One click attaches the match as evidence with its URL.
    let mut ws = sample.open();
    if !ws.project().claims.contains_key(&claim_id) {
        // The claim was made on another copy; make it here too.
        export_sample_claimreview(&sample, &dir.path().join("again.json"));
        ws = sample.open();
    }
    let polygraph = lavrov[0]
        .matches
        .iter()
        .find(|m| m.factcheck.factcheck.url.contains("polygraph"))
        .unwrap();
    let id = ws
        .project()
        .claims
        .iter()
        .find(|(_, c)| c.anchor.quote.contains("responsible and balanced"))
        .map(|(id, _)| id.clone())
        .unwrap();
    ws.apply(
        "attach fact-check",
        matching::evidence_edit(&id, &polygraph.factcheck),
    )
    .unwrap();
    let evidence: Vec<_> = ws.project().evidence_for(&id);
    assert_eq!(evidence.len(), 1);
    let (_, evidence) = evidence[0];
    assert_eq!(evidence.stance, Stance::Refutes);
    assert!(
        matches!(&evidence.source, EvidenceSource::Url { url, .. } if url.contains("polygraph.info"))
    );
    assert!(
        evidence.note.contains("Polygraph.info rated it “False”"),
        "{}",
        evidence.note
    );
}

fn claimdesk(args: &[&str], library: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .args(args)
        .env("CLAIMDESK_FACTCHECK_LIBRARY", library)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_imports_lists_and_matches_with_per_file_reports() {
    let sample = SampleCopy::new();
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.sqlite");
    let export = dir.path().join("sample.json");
    export_sample_claimreview(&sample, &export);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"claims\": [").unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, "<html><body>no JSON-LD here</body></html>").unwrap();
    let api = api_response();
    let (code, out, err) = claimdesk(
        &[
            "factchecks",
            "import",
            export.to_str().unwrap(),
            api.to_str().unwrap(),
            bad.to_str().unwrap(),
            page.to_str().unwrap(),
            "--json",
        ],
        &library,
    );
    assert_eq!(code, 0, "{err}");
    let reports: serde_json::Value = serde_json::from_str(&out).unwrap();
    let reports = reports.as_array().unwrap();
    assert_eq!(reports.len(), 4);
    assert_eq!(reports[0]["status"], "ok");
    assert_eq!(reports[0]["added"], 1);
    assert_eq!(reports[1]["added"], 3);
    assert_eq!(reports[2]["status"], "skipped");
    assert!(
        reports[2]["reason"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    assert!(
        reports[3]["reason"]
            .as_str()
            .unwrap()
            .contains("without JSON-LD")
    );

    // --library wins over the environment.
    let other = dir.path().join("other.sqlite");
    let (_, out, _) = claimdesk(
        &[
            "factchecks",
            "--library",
            other.to_str().unwrap(),
            "list",
            "--json",
        ],
        &library,
    );
    assert_eq!(out.trim(), "[]");

    let (_, out, _) = claimdesk(
        &["factchecks", "list", "--query", "Lavrov", "--json"],
        &library,
    );
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{out}");
    assert!(listed[0]["claimant"].as_str().unwrap().contains("Lavrov"));

    let corpus = sample.corpus();
    let (code, out, err) = claimdesk(
        &["factchecks", "match", corpus.to_str().unwrap(), "--json"],
        &library,
    );
    assert_eq!(code, 0, "{err}");
    let matched: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(matched["factchecks"], 4);
    let claims = matched["claims"].as_array().unwrap();
    let lavrov = claims
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains(LAVROV_QUOTE))
        .expect("the Lavrov quote is among the claims");
    assert_eq!(lavrov["kind"], "suggestion");
    assert_eq!(lavrov["checked_before"], true);
    let best = &lavrov["matches"][0];
    assert_eq!(best["rating"], "False");
    assert!(best["score"].as_f64().unwrap() >= claimdesk_factchecks::CHECKED_BEFORE as f64);
    assert!(best["why"]["words"].as_array().is_some());
    assert!(best["url"].as_str().is_some() && best["publisher"].as_str().is_some());
}
