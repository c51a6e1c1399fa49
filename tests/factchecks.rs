//! "Checked before": the sample project's own ClaimReview export and a hand-written Fact Check
//! Tools response imported into a fresh library find the Lavrov claim in a new project over the
//! sample corpus; the CLI does the same through `factchecks import/list/match`.

use crate::support;

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

/// Serves `body` as text/html to every request on 127.0.0.1 (never an outside address) for the
/// length of a test; returns the base URL.
fn serve_page(body: &'static str) -> String {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .ok();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .ok();
        }
    });
    format!("http://{addr}")
}

/// "Archive this link" on the command line: the link's page is kept as a WARC record in the
/// project's `captures/`, and the HTML and Markdown reports cite that copy (retrieval time,
/// status, hash, file) beside the live URL.
#[test]
fn an_archived_evidence_link_is_cited_in_the_reports() {
    let sample = SampleCopy::with_fact_check();
    let project = sample.project();
    let base = serve_page(
        "<html><head><title>State Department: Iran's support for Hamas</title></head>\
         <body><p>Tehran provides up to $100 million a year to Palestinian groups.</p></body></html>",
    );
    let url = format!("{base}/country-reports/iran");
    let run = |args: &[&std::ffi::OsStr]| {
        let output = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(args)
            .arg("--allow-outside")
            .arg(sample.corpus())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    };
    let claims = claimdesk_core::project::file::load(&project)
        .unwrap()
        .claims;
    let claim = claims.keys().next().unwrap().clone();
    let evidence = run(&[
        "evidence".as_ref(),
        "add".as_ref(),
        project.as_os_str(),
        claim.as_ref(),
        "--url".as_ref(),
        url.as_ref(),
        "--stance".as_ref(),
        "refutes".as_ref(),
    ]);
    let archive = run(&[
        "evidence".as_ref(),
        "archive".as_ref(),
        project.as_os_str(),
        evidence.as_ref(),
    ]);
    assert!(
        archive.starts_with("captures/") && archive.ends_with(".warc"),
        "{archive}"
    );
    let folder = project.parent().unwrap();
    let warc = std::fs::read(folder.join(&archive)).unwrap();
    assert!(
        String::from_utf8_lossy(&warc).contains("up to $100 million a year"),
        "the WARC holds the response"
    );
    let out = tempfile::tempdir().unwrap();
    for (format, name) in [("html", "r.html"), ("md", "r.md")] {
        run(&[
            "export".as_ref(),
            project.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
            "-o".as_ref(),
            out.path().join(name).as_os_str(),
        ]);
        let report = std::fs::read_to_string(out.path().join(name)).unwrap();
        let line = report
            .lines()
            .find(|l| l.contains("archived copy retrieved"))
            .unwrap_or_else(|| panic!("{format}: no archived copy cited"));
        assert!(line.contains("HTTP 200"), "{line}");
        assert!(line.contains("sha256:"), "{line}");
        assert!(line.contains(&archive), "{line}");
        assert!(report.contains(&url), "{format}: the live URL stays");
    }
}
