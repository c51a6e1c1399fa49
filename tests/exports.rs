//! Exports on the sample project with the Lavrov fact-check recorded: golden files for every
//! format, hostile input, round trips through the exchange formats, the REFI-QDA schema.
//!
//! `UPDATE_GOLDEN=1 cargo test --test exports` rewrites the files in `tests/golden/`.

use std::path::{Path, PathBuf};

use claimdesk_core::analysis::EntityKind;
use claimdesk_core::project::{
    Anchor, Claim, Edit, Entity, Evidence, EvidenceSource, Mention, Origin, Stance,
};
use claimdesk_core::report::{self, ReportOptions, interchange::Imported};
use claimdesk_core::text::Span;
use claimdesk_core::workspace::Workspace;

const LAVROV: &str = "000_164a3089b8e03eed.txt";
const IRAN: &str = "002_422bb6ef6b69d9a6.txt";
const MOSCOW: &str = "003_e0f09e3576302cfd.txt";
const CLAIM_ID: &str = "01lavrovgazaclaim";
const NOTE: &str = "Iran's foreign minister warned the same week that \"any possibility in the region is likely\"; \
Moscow hosted Hamas leaders. Nothing in the record shows Tehran calling for restraint.";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the sample project and its corpus into a temp dir, so nothing in the repo changes.
fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("projects")).unwrap();
    std::fs::create_dir_all(dir.path().join("assets/corpus")).unwrap();
    std::fs::copy(
        repo().join("projects/sample.ron"),
        dir.path().join("projects/sample.ron"),
    )
    .unwrap();
    for entry in std::fs::read_dir(repo().join("assets/corpus")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            dir.path()
                .join("assets/corpus")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let project = dir.path().join("projects/sample.ron");
    (dir, project)
}

fn span_of(ws: &Workspace, article: &str, needle: &str, after: Option<&str>) -> Span {
    let a = ws
        .article(article)
        .unwrap_or_else(|| panic!("{article} loaded"));
    let from = after.map_or(0, |m| {
        a.text
            .find(m)
            .unwrap_or_else(|| panic!("{m:?} in {article}"))
            + m.len()
    });
    let byte = from
        + a.text[from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {article}"));
    let start = a.char_of(byte);
    Span::new(start, start + needle.chars().count())
}

fn anchor(ws: &Workspace, article: &str, span: Span) -> Anchor {
    Anchor::new(ws.article(article).unwrap(), span)
}

/// The sample with the Lavrov fact-check recorded through `Workspace::apply`.
fn lavrov_workspace() -> (tempfile::TempDir, Workspace) {
    let (dir, project) = sample_copy();
    let corpus = dir.path().join("assets/corpus");
    let options = claimdesk_core::workspace::OpenOptions {
        trusted_roots: vec![corpus],
        read_only: false,
    };
    let mut ws = Workspace::open(&project, &options).unwrap();
    let quote = "With regard to Gaza, there is a serious risk of that crisis growing into a regional conflict… \
the Iranian authorities have taken a responsible and balanced stand and have called for preventing the conflict \
from spreading throughout the region, to neighboring states.";
    let claim_span = span_of(&ws, LAVROV, quote, Some("Lavrov, claimed:"));
    let iran_quote = "any possibility in the region is likely";
    let iran_span = span_of(&ws, IRAN, iran_quote, None);
    let moscow = "Moscow's door has remained open for Hamas officials";
    let moscow_span = span_of(&ws, MOSCOW, moscow, None);
    let lavrov_mention = span_of(&ws, LAVROV, "Lavrov", Some("visit to North Korea, "));
    let iran_mention = span_of(&ws, IRAN, "Iran", Some("Islamic Republic of "));
    let edits = vec![
        Edit::PutClaim {
            id: CLAIM_ID.into(),
            claim: Claim {
                status: None,
                assignee: None,
                reviewer: None,
                signed_off: None,
                provenance: Default::default(),
                article: LAVROV.into(),
                anchor: anchor(&ws, LAVROV, claim_span),
                claimant: Some("Sergey Lavrov".into()),
                verdict: Some("False".into()),
                note: NOTE.into(),
                origin: Origin::Analyst,
                conflicts: Vec::new(),
            },
        },
        Edit::PutEvidence {
            id: "01evidenceiran".into(),
            evidence: Evidence {
                provenance: Default::default(),
                claim: CLAIM_ID.into(),
                stance: Stance::Refutes,
                source: EvidenceSource::Passage {
                    article: IRAN.into(),
                    anchor: anchor(&ws, IRAN, iran_span),
                },
                note: "Iran's foreign minister threatens escalation.".into(),
            },
        },
        Edit::PutEvidence {
            id: "01evidencemoscow".into(),
            evidence: Evidence {
                provenance: Default::default(),
                claim: CLAIM_ID.into(),
                stance: Stance::Context,
                source: EvidenceSource::Passage {
                    article: MOSCOW.into(),
                    anchor: anchor(&ws, MOSCOW, moscow_span),
                },
                note: String::new(),
            },
        },
        Edit::PutEntity {
            id: "01entitylavrov".into(),
            entity: Entity {
                provenance: Default::default(),
                name: "Sergey Lavrov".into(),
                kind: EntityKind::Person,
                aliases: vec!["Lavrov".into()],
                note: "Russian foreign minister".into(),
            },
        },
        Edit::PutEntity {
            id: "01entityiran".into(),
            entity: Entity {
                provenance: Default::default(),
                name: "Iran".into(),
                kind: EntityKind::Gpe,
                aliases: Vec::new(),
                note: String::new(),
            },
        },
        Edit::PutMention {
            id: "01mentionlavrov".into(),
            mention: Mention {
                provenance: Default::default(),
                entity: "01entitylavrov".into(),
                article: LAVROV.into(),
                anchor: anchor(&ws, LAVROV, lavrov_mention),
            },
        },
        Edit::PutMention {
            id: "01mentioniran".into(),
            mention: Mention {
                provenance: Default::default(),
                entity: "01entityiran".into(),
                article: IRAN.into(),
                anchor: anchor(&ws, IRAN, iran_mention),
            },
        },
    ];
    ws.apply("record the Lavrov fact-check", Edit::Batch(edits))
        .unwrap();
    (dir, ws)
}

/// Compares with `tests/golden/<name>` (or rewrites it when UPDATE_GOLDEN=1).
fn golden(name: &str, actual: &str) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden {}; run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {:?}\n  actual:   {:?}\n(UPDATE_GOLDEN=1 rewrites it)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

/// Replaces the run-specific temp dir in paths.
fn normalise(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "$TMP")
}

fn lavrov_report(ws: &mut Workspace) -> report::Report {
    report::build(ws, &ReportOptions::full())
}

#[test]
fn html_report_matches_golden_and_reads_like_a_fact_check() {
    let (dir, mut ws) = lavrov_workspace();
    let html = report::html::render(&lavrov_report(&mut ws));
    for needle in [
        "Sergey Lavrov",
        "With regard to Gaza",
        ">False<",
        "Our explanation",
        "any possibility in the region is likely",
        "Moscow&#39;s door has remained open",
        "Entity index",
        "@media print",
        "break-before: page",
    ] {
        assert!(html.contains(needle), "HTML lacks {needle:?}");
    }
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains("http-equiv=\"refresh\""));
    assert!(
        !html.contains("<link"),
        "self-contained: no external stylesheet"
    );
    assert!(
        !html.contains("src=\"http"),
        "self-contained: nothing loaded from the network"
    );
    if let Some(path) = std::env::var_os("RENDER_REPORT_TO") {
        std::fs::write(path, &html).unwrap();
    }
    golden("sample.html", &normalise(&html, dir.path()));
}

#[test]
fn markdown_report_matches_golden() {
    let (dir, mut ws) = lavrov_workspace();
    let md = report::markdown::render(&lavrov_report(&mut ws));
    assert!(md.contains("### False: “With regard to Gaza"));
    assert!(md.contains("**Claimant:** Sergey Lavrov"));
    assert!(md.contains("| Sergey Lavrov | PERSON | Lavrov |"));
    golden("sample.md", &normalise(&md, dir.path()));
}

#[test]
fn csv_exports_match_golden_and_parse() {
    let (_dir, mut ws) = lavrov_workspace();
    let built = lavrov_report(&mut ws);
    let claims = report::csv::claims(&built);
    let entities = report::csv::entities(&built);
    let mut reader = csv::Reader::from_reader(claims.trim_start_matches('\u{FEFF}').as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        report::csv::CLAIM_COLUMNS.to_vec()
    );
    let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][2], "Sergey Lavrov");
    assert_eq!(&rows[0][3], "False");
    assert_eq!(&rows[0][4], "2");
    assert_eq!(&rows[0][16], "2", "two pieces of evidence");
    let mut reader = csv::Reader::from_reader(entities.trim_start_matches('\u{FEFF}').as_bytes());
    assert_eq!(reader.records().count(), 2);
    golden("sample-claims.csv", &claims);
    golden("sample-entities.csv", &entities);
}

#[test]
fn claimreview_has_required_and_recommended_fields() {
    let (_dir, mut ws) = lavrov_workspace();
    let built = lavrov_report(&mut ws);
    let info = report::claimreview::PublishInfo {
        base_url: "https://factcheck.example/lavrov-gaza".into(),
        author: "Example Fact Check".into(),
        date_published: "2023-10-25".into(),
    };
    let json = report::claimreview::render(&built, &info);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let reviews = value.as_array().unwrap();
    assert_eq!(reviews.len(), 1, "one object per rated claim");
    let r = &reviews[0];
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(
        r["url"],
        format!("https://factcheck.example/lavrov-gaza#claim-{CLAIM_ID}")
    );
    assert!(
        r["claimReviewed"]
            .as_str()
            .unwrap()
            .starts_with("With regard to Gaza")
    );
    assert_eq!(r["reviewRating"]["alternateName"], "False");
    assert_eq!(r["reviewRating"]["ratingValue"], 2);
    assert_eq!(r["reviewRating"]["bestRating"], 7);
    assert_eq!(r["reviewRating"]["worstRating"], 1);
    assert_eq!(r["author"]["name"], "Example Fact Check");
    assert_eq!(r["datePublished"], "2023-10-25");
    assert_eq!(r["itemReviewed"]["@type"], "Claim");
    assert_eq!(r["itemReviewed"]["author"]["name"], "Sergey Lavrov");
    assert!(
        r["itemReviewed"]["appearance"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    golden("sample-claimreview.json", &json);
}

#[test]
fn pdf_report_has_pages_fonts_and_the_text() {
    let (_dir, mut ws) = lavrov_workspace();
    let pdf = report::pdf::render(&lavrov_report(&mut ws)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.windows(5).rev().take(64).any(|w| w == b"%%EOF"));
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("DejaVuSans"), "the bundled font is embedded");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Some(copy) = std::env::var_os("RENDER_PDF_TO") {
        std::fs::write(copy, &pdf).unwrap();
    }
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for needle in [
                "Sergey Lavrov",
                "FALSE",
                "With regard to Gaza",
                "Our explanation",
                "Evidence",
                "Entity index",
                "any possibility in the region is likely",
            ] {
                assert!(flat.contains(needle), "PDF text lacks {needle:?}");
            }
            let pages = text.matches('\u{c}').count();
            assert!(
                pages >= 6,
                "claims page plus one page per article, got {pages}"
            );
        }
        _ => eprintln!("pdftotext (poppler-utils) not installed: PDF text not extracted"),
    }
}

fn qde_of(ws: &mut Workspace) -> (Vec<u8>, String) {
    let bytes = report::qdpx::export(ws).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("project.qde").unwrap(), &mut qde).unwrap();
    (bytes, qde)
}

#[test]
fn qdpx_matches_golden_and_holds_sources() {
    let (_dir, mut ws) = lavrov_workspace();
    let (bytes, qde) = qde_of(&mut ws);
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let sources = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("sources/") && n.ends_with(".txt"))
        .count();
    assert_eq!(sources, 5);
    assert!(qde.contains("xmlns=\"urn:QDA-XML:project:1.0\""));
    assert!(qde.contains("name=\"Verdict\" isCodable=\"false\""));
    assert!(qde.contains("name=\"PERSON\""));
    golden("sample-project.qde", &qde);
}

/// Validates with xmllint against the vendored REFI-QDA schema.
fn xsd_valid(qde: &str) -> Option<Result<(), String>> {
    let xsd = repo().join("tests/fixtures/exports/Project-mrt2019.xsd");
    if !xsd.exists() {
        eprintln!("REFI-QDA XSD not present: schema validation skipped");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.qde");
    std::fs::write(&file, qde).unwrap();
    let out = match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            eprintln!("xmllint (libxml2-utils) not installed: REFI-QDA schema validation skipped");
            return None;
        }
    };
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

#[test]
fn qdpx_validates_against_the_refi_qda_schema() {
    let (_dir, mut ws) = lavrov_workspace();
    let (_, qde) = qde_of(&mut ws);
    if let Some(result) = xsd_valid(&qde) {
        result.unwrap();
        // The check can fail: a document breaking the schema is rejected.
        let broken = qde.replacen("startPosition=", "beginPosition=", 1);
        assert!(
            xsd_valid(&broken).unwrap().is_err(),
            "xmllint must reject an invalid document"
        );
    }
}

fn brat_files(ws: &mut Workspace) -> Vec<(String, String)> {
    report::brat::export(ws)
}

#[test]
fn brat_matches_golden() {
    let (_dir, mut ws) = lavrov_workspace();
    let files = brat_files(&mut ws);
    let ann = &files
        .iter()
        .find(|(n, _)| n == "000_164a3089b8e03eed.ann")
        .unwrap()
        .1;
    assert!(ann.contains("\tAnnotatorNotes T1\tVerdict: False"));
    // brat's T text must equal the .txt slice at the offsets.
    let txt = &files
        .iter()
        .find(|(n, _)| n == "000_164a3089b8e03eed.txt")
        .unwrap()
        .1;
    for line in ann.lines().filter(|l| l.starts_with('T')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let offsets = cols[1].split_once(' ').unwrap().1;
        let pieces: Vec<String> = offsets
            .split(';')
            .map(|f| {
                let (s, e) = f.split_once(' ').unwrap();
                txt.chars()
                    .skip(s.parse().unwrap())
                    .take(e.parse::<usize>().unwrap() - s.parse::<usize>().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(pieces.join(" "), cols[2], "{line}");
    }
    golden("sample-000.ann", ann);
    golden(
        "sample-002.ann",
        &files
            .iter()
            .find(|(n, _)| n == "002_422bb6ef6b69d9a6.ann")
            .unwrap()
            .1,
    );
}

#[test]
fn w3c_matches_golden() {
    let (_dir, mut ws) = lavrov_workspace();
    let json = report::w3c::render(&mut ws);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["type"], "AnnotationCollection");
    let items = value["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 5, "claim, 2 evidence, 2 mentions");
    let claim = items
        .iter()
        .find(|i| i["motivation"] == "assessing")
        .unwrap();
    let selectors = claim["target"]["selector"].as_array().unwrap();
    assert!(selectors.iter().any(|s| s["type"] == "TextQuoteSelector"));
    assert!(
        selectors
            .iter()
            .any(|s| s["type"] == "TextPositionSelector")
    );
    golden("sample-w3c.jsonld", &json);
}

// ----- round trips -----

/// (article, start, end, quote, claimant, verdict, note) of every claim, sorted.
type ClaimKey = (
    String,
    usize,
    usize,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn claim_keys(ws: &Workspace) -> Vec<ClaimKey> {
    let mut keys: Vec<ClaimKey> = ws
        .project()
        .claims
        .values()
        .map(|c| {
            (
                c.article.clone(),
                c.anchor.start,
                c.anchor.end,
                c.anchor.quote.clone(),
                c.claimant.clone(),
                c.verdict.clone(),
                c.note.clone(),
            )
        })
        .collect();
    keys.sort();
    keys
}

fn mention_keys(ws: &Workspace) -> Vec<(String, usize, usize, String, EntityKind)> {
    let p = ws.project();
    let mut keys: Vec<_> = p
        .mentions
        .values()
        .map(|m| {
            let e = &p.entities[&m.entity];
            (
                m.article.clone(),
                m.anchor.start,
                m.anchor.end,
                e.name.clone(),
                e.kind,
            )
        })
        .collect();
    keys.sort();
    keys
}

fn into_ws(imported: Imported) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let ws = imported
        .into_workspace(&dir.path().join("sources"), dir.path().join("imported.ron"))
        .unwrap();
    (dir, ws)
}

#[test]
fn qdpx_round_trip_keeps_claims_verdicts_notes_and_spans() {
    let (_dir, mut ws) = lavrov_workspace();
    let bytes = report::qdpx::export(&mut ws).unwrap();
    let imported = report::qdpx::import(&bytes).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let (_d2, back) = into_ws(imported);
    assert_eq!(claim_keys(&back), claim_keys(&ws));
    assert_eq!(mention_keys(&back), mention_keys(&ws));
    assert_eq!(back.project().name, ws.project().name);
}

#[test]
fn brat_round_trip_keeps_claims_verdicts_notes_and_spans() {
    let (_dir, mut ws) = lavrov_workspace();
    let out = tempfile::tempdir().unwrap();
    report::brat::write(&mut ws, out.path()).unwrap();
    let imported = report::brat::import_dir(out.path()).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let (_d2, back) = into_ws(imported);
    assert_eq!(claim_keys(&back), claim_keys(&ws));
    assert_eq!(mention_keys(&back), mention_keys(&ws));
}

#[test]
fn w3c_round_trip_keeps_claims_verdicts_notes_and_spans() {
    let (_dir, mut ws) = lavrov_workspace();
    let json = report::w3c::render(&mut ws);
    let texts: Vec<(String, String, Option<String>)> = ws
        .loaded_articles()
        .map(|a| (a.id.clone(), a.text.clone(), None))
        .collect();
    let imported = report::w3c::import(&json, &texts).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let (_d2, back) = into_ws(imported);
    assert_eq!(claim_keys(&back), claim_keys(&ws));
    assert_eq!(mention_keys(&back), mention_keys(&ws));
}

#[test]
fn w3c_import_falls_back_to_the_quote_when_positions_moved() {
    let (_dir, mut ws) = lavrov_workspace();
    let json = report::w3c::render(&mut ws);
    // The same articles with a line added at the top: every position is off by 13 chars.
    let texts: Vec<(String, String, Option<String>)> = ws
        .loaded_articles()
        .map(|a| (a.id.clone(), format!("Added line.\n\n{}", a.text), None))
        .collect();
    let imported = report::w3c::import(&json, &texts).unwrap();
    let claim = &imported.claims[0];
    let text = &texts.iter().find(|t| t.0 == LAVROV).unwrap().1;
    let quote: String = text
        .chars()
        .skip(claim.span.start)
        .take(claim.span.len())
        .collect();
    assert!(quote.starts_with("With regard to Gaza"));
    assert_eq!(claim.span.start, claim_keys(&ws)[0].1 + 13);
}

/// A `.qdpx` as another tool might write it: another `.qde` name, a relative source path, CRLF
/// line ends, a BOM, characters outside the BMP (positions count Unicode scalars).
#[test]
fn qdpx_import_normalises_crlf_bom_and_counts_scalars() {
    let text = "\u{FEFF}Line one 😀 has an emoji.\r\nThe claim: prices rose 40% in 2023.\r\nEnd.";
    // Positions in the raw text (BOM not counted): "prices rose 40% in 2023" starts after
    // "Line one 😀 has an emoji.\r\nThe claim: " = 24 + 2 + 11 = 37 scalars (the emoji is one
    // scalar, though two UTF-16 units and four bytes).
    let raw = text.trim_start_matches('\u{FEFF}');
    let start = raw[..raw.find("prices").unwrap()].chars().count();
    assert_eq!(start, 37);
    let end = start + "prices rose 40% in 2023".chars().count();
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From another tool">
  <CodeBook><Codes>
    <Code guid="{{AAAAAAAA-0000-4000-8000-000000000001}}" name="Verdict" isCodable="false">
      <Code guid="AAAAAAAA-0000-4000-8000-000000000002" name="Mostly false" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="BBBBBBBB-0000-4000-8000-000000000001" name="prices.txt" plainTextPath="relative://texts/prices.txt">
      <PlainTextSelection guid="CCCCCCCC-0000-4000-8000-000000000001" startPosition="{start}" endPosition="{end}">
        <Description>Checked against the statistics office.&#13;&#10;Second line &amp; more.</Description>
        <Coding guid="DDDDDDDD-0000-4000-8000-000000000001"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000002"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("My Project.qde", options).unwrap();
    std::io::Write::write_all(&mut zip, format!("\u{FEFF}{qde}").as_bytes()).unwrap();
    zip.start_file("texts/prices.txt", options).unwrap();
    std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();

    let imported = report::qdpx::import(&bytes).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(imported.articles.len(), 1);
    assert!(!imported.articles[0].text.contains('\r'));
    assert!(!imported.articles[0].text.starts_with('\u{FEFF}'));
    let (_dir, ws) = into_ws(imported);
    let keys = claim_keys(&ws);
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].3, "prices rose 40% in 2023");
    assert_eq!(keys[0].1, 36, "one char less before it: CRLF became LF");
    assert_eq!(keys[0].5.as_deref(), Some("Mostly false"));
    assert_eq!(
        keys[0].6,
        "Checked against the statistics office.\r\nSecond line & more."
    );
    assert_eq!(ws.project().name, "From another tool");
}

// ----- hostile input -----

const HOSTILE: &str = "Breaking: <script>alert('x')</script></style><img src=x onerror=alert(1)>\n\
\u{202E}gnp.exe\u{202C} and a bell \u{0007} and a form feed \u{000C} here.\n\
=cmd|' /C calc'!A0 is what the minister said, citing <a href=\"javascript:alert(1)\">this</a>.\n";

fn hostile_workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.txt");
    std::fs::write(&file, HOSTILE).unwrap();
    let mut ws = Workspace::import(&[file], &Default::default());
    let id = ws.article_ids().next().unwrap().clone();
    let article = ws.article(&id).unwrap().clone();
    let len = article.char_len();
    let edits = vec![
        Edit::PutClaim {
            id: "01hostileclaim".into(),
            claim: Claim {
                status: None,
                assignee: None,
                reviewer: None,
                signed_off: None,
                provenance: Default::default(),
                article: id.clone(),
                anchor: Anchor::new(&article, Span::new(0, len)),
                claimant: Some("=HYPERLINK(\"http://evil\")<script>".into()),
                verdict: Some("False".into()),
                note: "-2+3 </style><script>alert(2)</script> \u{202E}x\u{0001}".into(),
                origin: Origin::Analyst,
                conflicts: Vec::new(),
            },
        },
        Edit::PutEvidence {
            id: "01hostileevidence".into(),
            evidence: Evidence {
                provenance: Default::default(),
                claim: "01hostileclaim".into(),
                stance: Stance::Refutes,
                source: EvidenceSource::Url {
                    url: "javascript:alert(3)".into(),
                    title: "@SUM(1+1)".into(),
                },
                note: "+evil".into(),
            },
        },
        Edit::PutEntity {
            id: "01hostileentity".into(),
            entity: Entity {
                provenance: Default::default(),
                name: "=1+1<b>".into(),
                kind: EntityKind::Person,
                aliases: vec!["@x".into()],
                note: String::new(),
            },
        },
        Edit::PutMention {
            id: "01hostilemention".into(),
            mention: Mention {
                provenance: Default::default(),
                entity: "01hostileentity".into(),
                article: id.clone(),
                anchor: Anchor::new(&article, Span::new(0, 8)),
            },
        },
    ];
    ws.apply("hostile", Edit::Batch(edits)).unwrap();
    (dir, ws)
}

fn assert_no_raw_controls(name: &str, text: &str) {
    for c in text.chars() {
        let bad = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
            || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        assert!(!bad, "{name} holds raw U+{:04X}", c as u32);
    }
}

#[test]
fn hostile_article_cannot_run_or_break_any_output() {
    let (_dir, mut ws) = hostile_workspace();
    let built = report::build(&mut ws, &ReportOptions::full());

    let html = report::html::render(&built);
    assert!(!html.to_lowercase().contains("<script"));
    assert!(!html.contains("<img"));
    assert!(
        !html.contains("</style><"),
        "article text cannot close the style element"
    );
    assert_eq!(html.matches("</style>").count(), 1);
    assert!(!html.contains("href=\"javascript:"));
    assert!(html.contains("[U+202E]"));
    assert_no_raw_controls("HTML", &html);

    let md = report::markdown::render(&built);
    assert!(!md.contains("<script") && !md.contains("<img") && !md.contains("<a href"));
    assert!(!md.contains("](javascript:"));
    assert_no_raw_controls("Markdown", &md);

    for (name, csv_text) in [
        ("claims", report::csv::claims(&built)),
        ("entities", report::csv::entities(&built)),
    ] {
        assert_no_raw_controls(name, &csv_text);
        let mut reader =
            csv::Reader::from_reader(csv_text.trim_start_matches('\u{FEFF}').as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{name}: formula cell {cell:?}"
                );
            }
        }
    }
    let claims_csv = report::csv::claims(&built);
    assert!(claims_csv.contains("'=HYPERLINK"));
    assert!(claims_csv.contains("'-2+3"));

    let info = report::claimreview::PublishInfo {
        base_url: "https://x.example/r".into(),
        author: "A".into(),
        date_published: "2024-01-01".into(),
    };
    let jsonld = report::claimreview::render(&built, &info);
    assert!(
        !jsonld.contains('<'),
        "JSON-LD is safe inside a script element"
    );
    serde_json::from_str::<serde_json::Value>(&jsonld).unwrap();

    let w3c = report::w3c::render(&mut ws);
    assert!(!w3c.contains('<'));
    serde_json::from_str::<serde_json::Value>(&w3c).unwrap();

    let (_, qde) = qde_of(&mut ws);
    assert_no_raw_controls("project.qde", &qde.replace(['\n'], ""));
    assert!(!qde.contains("<script"));
    if let Some(result) = xsd_valid(&qde) {
        result.unwrap();
    }
    // And it reads back: the claim's span and note survive, control characters shown as codes.
    let imported = report::qdpx::import(&report::qdpx::export(&mut ws).unwrap()).unwrap();
    assert_eq!(imported.claims.len(), 1);
    assert_eq!(
        imported.claims[0].span,
        ws.project().claims["01hostileclaim"].anchor.span()
    );

    for (name, content) in report::brat::export(&mut ws) {
        if name.ends_with(".ann") {
            assert_no_raw_controls(&name, &content);
            for line in content.lines() {
                assert!(
                    line.split('\t').count() <= 3,
                    "{name}: a note broke the line format: {line:?}"
                );
            }
        }
    }

    let pdf = report::pdf::render(&built).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

// ----- CLI -----

#[test]
fn cli_exports_every_format_from_a_folder_with_suggestions() {
    let (dir, _) = sample_copy();
    let corpus = dir.path().join("assets/corpus");
    let out = tempfile::tempdir().unwrap();
    for (format, name) in [
        ("html", "r.html"),
        ("md", "r.md"),
        ("csv", "r.csv"),
        ("pdf", "r.pdf"),
        ("claimreview", "r.json"),
        ("qdpx", "r.qdpx"),
        ("brat", "brat"),
        ("w3c", "r.jsonld"),
    ] {
        let target = out.path().join(name);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(["export"])
            .arg(&corpus)
            .args(["--format", format, "-o"])
            .arg(&target)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        assert!(target.exists(), "{format} wrote nothing");
    }
    let html = std::fs::read_to_string(out.path().join("r.html")).unwrap();
    assert!(
        html.contains("Suggested claim"),
        "a folder export holds the automatic suggestions"
    );
    assert!(out.path().join("r-entities.csv").exists());
    assert!(out.path().join("brat/annotation.conf").exists());
    let csv_text = std::fs::read_to_string(out.path().join("r.csv")).unwrap();
    assert!(
        csv_text.lines().count() > 2,
        "suggestions are rows of the claims CSV"
    );

    // The exchange files import back into a project.
    let project = out.path().join("back.ron");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("import-annotations")
        .arg(out.path().join("r.qdpx"))
        .args(["--format", "qdpx", "-o"])
        .arg(&project)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("check")
        .arg(&project)
        .output()
        .unwrap();
    let counts = String::from_utf8_lossy(&check.stdout);
    assert!(counts.contains("articles=5"), "{counts}");
    assert!(!counts.contains("claims=0 "), "{counts}");
}

// ----- report options -----

fn fake_conflicts(_: &mut Workspace) -> Vec<report::ReportConflict> {
    vec![report::ReportConflict {
        subject: "people killed in Israel on 7 October".into(),
        statements: vec![
            ("Article A".into(), "1,400".into()),
            ("Article B".into(), "1,200".into()),
        ],
        note: "Israel revised its figure <down>.".into(),
    }]
}

#[test]
fn report_options_select_claims_and_verdicts_and_take_a_conflicts_hook() {
    let (_dir, mut ws) = lavrov_workspace();
    let only_true = ReportOptions {
        verdicts: vec!["True".into()],
        ..ReportOptions::full()
    };
    assert!(report::build(&mut ws, &only_true).claims.is_empty());
    let only_false = ReportOptions {
        verdicts: vec!["false".into()],
        ..ReportOptions::full()
    };
    assert_eq!(report::build(&mut ws, &only_false).claims.len(), 1);
    let other_claim = ReportOptions {
        claims: vec!["nope".into()],
        ..ReportOptions::full()
    };
    assert!(report::build(&mut ws, &other_claim).claims.is_empty());
    let one_article = ReportOptions {
        articles: vec![IRAN.into()],
        ..ReportOptions::full()
    };
    let built = report::build(&mut ws, &one_article);
    assert!(built.claims.is_empty(), "the claim is in another article");
    assert_eq!(built.articles.len(), 1);

    let without_hook = ReportOptions {
        conflicts: None,
        ..ReportOptions::full()
    };
    assert!(
        report::build(&mut ws, &without_hook).conflicts.is_empty(),
        "no hook, no conflicts"
    );
    // The default hook is the cross-article analysis: the sample's hostage counts disagree.
    let default = report::build(&mut ws, &ReportOptions::full());
    assert!(
        default
            .conflicts
            .iter()
            .any(|c| c.subject.starts_with("hostages")
                && c.statements.iter().any(|(_, s)| s.contains("At least 150"))
                && c.statements
                    .iter()
                    .any(|(_, s)| s.contains("more than 200"))),
        "{:?}",
        default.conflicts
    );
    let with_hook = ReportOptions {
        conflicts: Some(fake_conflicts),
        ..ReportOptions::full()
    };
    let built = report::build(&mut ws, &with_hook);
    assert_eq!(built.conflicts.len(), 1);
    let html = report::html::render(&built);
    assert!(html.contains("Conflicting figures"));
    assert!(html.contains("&lt;down&gt;"));
    assert!(report::markdown::render(&built).contains("## Conflicting figures"));
}
