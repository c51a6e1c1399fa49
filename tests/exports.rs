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

fn open_copy(dir: &tempfile::TempDir, project: &Path) -> Workspace {
    let options = claimdesk_core::workspace::OpenOptions {
        trusted_roots: vec![dir.path().join("assets/corpus")],
        read_only: false,
    };
    Workspace::open(project, &options).unwrap()
}

/// The sample as shipped: the Lavrov fact-check recorded in `projects/sample.ron`.
fn lavrov_workspace() -> (tempfile::TempDir, Workspace) {
    let (dir, project) = sample_copy();
    let ws = open_copy(&dir, &project);
    assert_eq!(
        ws.project().claims.len(),
        1,
        "the sample holds the fact-check"
    );
    (dir, ws)
}

/// The id of the sample's one claim.
fn claim_id(ws: &Workspace) -> String {
    ws.project().claims.keys().next().unwrap().clone()
}

/// The records of a project with ids replaced by what they point at, for comparing two
/// recordings made with different (random) ids.
fn records_without_ids(project: &claimdesk_core::project::Project) -> Vec<String> {
    let quote = |claim: &str| project.claims.get(claim).map(|c| c.anchor.quote.clone());
    let name = |entity: &str| project.entities.get(entity).map(|e| e.name.clone());
    let mut rows: Vec<String> = Vec::new();
    rows.extend(project.claims.values().map(|c| format!("claim {c:?}")));
    rows.extend(project.evidence.values().map(|e| {
        format!(
            "evidence for {:?}: {:?} {:?} {:?}",
            quote(&e.claim),
            e.stance,
            e.source,
            e.note
        )
    }));
    rows.extend(project.entities.values().map(|e| format!("entity {e:?}")));
    rows.extend(project.mentions.values().map(|m| {
        format!(
            "mention of {:?} in {} {:?}",
            name(&m.entity),
            m.article,
            m.anchor
        )
    }));
    rows.sort();
    rows
}

/// `projects/sample.ron` is exactly what recording the fact-check through the core's edits
/// gives on the blank sample (`UPDATE_SAMPLE=1` rewrites the file from the recording).
#[test]
fn the_sample_project_is_the_fact_check_recorded_through_edits() {
    let (dir, project) = sample_copy();
    let mut blank = claimdesk_core::project::file::load(&project).unwrap();
    blank.claims.clear();
    blank.evidence.clear();
    blank.entities.clear();
    blank.mentions.clear();
    std::fs::write(
        &project,
        claimdesk_core::project::file::to_ron_string(&blank).unwrap(),
    )
    .unwrap();
    let mut ws = open_copy(&dir, &project);
    let edits = claimdesk_core::sample::fact_check_edits(&ws).unwrap();
    ws.apply("record the Lavrov fact-check", Edit::Batch(edits))
        .unwrap();
    let shipped_path = repo().join("projects/sample.ron");
    // The shipped sample is signed by no one: who recorded it and when would change with every
    // rewrite and mean nothing to a new user.
    let mut recorded = ws.project().clone();
    for c in recorded.claims.values_mut() {
        c.provenance = Default::default();
    }
    for e in recorded.evidence.values_mut() {
        e.provenance = Default::default();
    }
    for e in recorded.entities.values_mut() {
        e.provenance = Default::default();
    }
    for m in recorded.mentions.values_mut() {
        m.provenance = Default::default();
    }
    if std::env::var_os("UPDATE_SAMPLE").is_some_and(|v| v == "1") {
        let text = claimdesk_core::project::file::to_ron_string(&recorded).unwrap();
        std::fs::write(&shipped_path, text).unwrap();
        return;
    }
    let shipped = claimdesk_core::project::file::load(&shipped_path).unwrap();
    assert_eq!(
        records_without_ids(&shipped),
        records_without_ids(&recorded),
        "projects/sample.ron differs from the recording (UPDATE_SAMPLE=1 rewrites it)"
    );
    assert_eq!(shipped.articles, recorded.articles);
    assert_eq!(shipped.claims.len(), 1);
    assert_eq!(shipped.evidence.len(), 2);
    assert!(
        shipped
            .evidence
            .values()
            .all(|e| e.stance == Stance::Refutes
                && matches!(&e.source, EvidenceSource::Passage { article, .. } if article != LAVROV)),
        "refuting passages from two other articles"
    );
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

/// Publication details fixed, so golden files do not change with the date.
fn example_publisher() -> report::claimreview::PublishInfo {
    report::claimreview::PublishInfo {
        base_url: "https://factcheck.example/lavrov-gaza".into(),
        author: "Example Fact Check".into(),
        date_published: "2023-10-25".into(),
    }
}

/// The `<script>` elements of a page: each must be JSON-LD data, never code.
fn json_ld_blocks(html: &str) -> Vec<serde_json::Value> {
    let lower = html.to_lowercase();
    let mut blocks = Vec::new();
    for (at, _) in lower.match_indices("<script") {
        let open_end = at + lower[at..].find('>').unwrap() + 1;
        assert_eq!(
            &html[at..open_end],
            "<script type=\"application/ld+json\">",
            "only JSON-LD data in a <script>"
        );
        let close = open_end + lower[open_end..].find("</script").unwrap();
        blocks.push(serde_json::from_str(&html[open_end..close]).unwrap());
    }
    blocks
}

#[test]
fn html_report_matches_golden_and_reads_like_a_fact_check() {
    let (dir, mut ws) = lavrov_workspace();
    let html = report::html::render_with(&lavrov_report(&mut ws), &example_publisher());
    for needle in [
        "Sergey Lavrov",
        "With regard to Gaza",
        ">False<",
        "Our explanation",
        "any possibility in the region is likely",
        "Tehran funnels roughly $100 million a year",
        "Entity index",
        "@media print",
        "break-before: page",
    ] {
        assert!(html.contains(needle), "HTML lacks {needle:?}");
    }
    let blocks = json_ld_blocks(&html);
    assert_eq!(blocks.len(), 1, "the ClaimReview JSON-LD, no code");
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
    assert!(claims.starts_with("id,"), "no byte order mark by default");
    let mut reader = csv::Reader::from_reader(claims.as_bytes());
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
    let mut reader = csv::Reader::from_reader(entities.as_bytes());
    assert_eq!(reader.records().count(), 2);
    golden("sample-claims.csv", &claims);
    golden("sample-entities.csv", &entities);
}

#[test]
fn claimreview_has_required_and_recommended_fields() {
    let (_dir, mut ws) = lavrov_workspace();
    let built = lavrov_report(&mut ws);
    let info = example_publisher();
    let json = report::claimreview::render(&built, &info);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let reviews = value.as_array().unwrap();
    assert_eq!(reviews.len(), 1, "one object per rated claim");
    let r = &reviews[0];
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(
        r["url"],
        format!(
            "https://factcheck.example/lavrov-gaza#claim-{}",
            claim_id(&ws)
        )
    );
    assert!(
        r["claimReviewed"]
            .as_str()
            .unwrap()
            .starts_with("With regard to Gaza")
    );
    assert_eq!(r["reviewRating"]["alternateName"], "False");
    assert_eq!(r["reviewRating"]["name"], "False");
    assert_eq!(r["reviewRating"]["ratingValue"], 2);
    assert_eq!(r["reviewRating"]["bestRating"], 7);
    assert_eq!(r["reviewRating"]["worstRating"], 1);
    assert_eq!(r["author"]["name"], "Example Fact Check");
    assert_eq!(r["datePublished"], "2023-10-25");
    assert_eq!(r["itemReviewed"]["@type"], "Claim");
    assert_eq!(r["itemReviewed"]["author"]["name"], "Sergey Lavrov");
    assert_eq!(
        r["itemReviewed"]["author"]["@type"], "Person",
        "the registry knows Sergey Lavrov as a person"
    );
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
                pages >= 4,
                "claims page plus one page per article with the claim or its evidence, got {pages}"
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
    // The verdict is a brat attribute; the claim's other fields share its one note.
    assert!(ann.contains("\tVerdict T1 False\n"), "{ann}");
    assert!(ann.contains("\tAnnotatorNotes T1\tClaimant: Sergey Lavrov | Note: "));
    assert_eq!(
        ann.lines()
            .filter(|l| l.contains("AnnotatorNotes T1\t"))
            .count(),
        1,
        "one note per annotation"
    );
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
    let (_dir, ws) = lavrov_workspace();
    let json = report::w3c::render(&ws);
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

/// (claim quote, stance, passage article and span or URL and title, note) of every evidence
/// record, sorted.
fn evidence_keys(ws: &Workspace) -> Vec<(String, &'static str, String, String)> {
    let p = ws.project();
    let mut keys: Vec<_> = p
        .evidence
        .values()
        .map(|e| {
            let source = match &e.source {
                EvidenceSource::Passage { article, anchor } => {
                    format!(
                        "{article} {}..{} {}",
                        anchor.start, anchor.end, anchor.quote
                    )
                }
                EvidenceSource::Url { url, title } => format!("{url} {title}"),
            };
            (
                p.claims[&e.claim].anchor.quote.clone(),
                e.stance.label(),
                source,
                e.note.clone(),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// The sample with a web page added as evidence too (it has no passage to point at).
fn lavrov_with_url_evidence() -> (tempfile::TempDir, Workspace) {
    let (dir, mut ws) = lavrov_workspace();
    let claim = claim_id(&ws);
    ws.apply(
        "add a web page as evidence",
        Edit::PutEvidence {
            id: "01webevidence".into(),
            evidence: Evidence {
                provenance: Default::default(),
                claim,
                stance: Stance::Context,
                source: EvidenceSource::Url {
                    url: "https://www.state.gov/reports/country-reports-on-terrorism-2020/".into(),
                    title: "Country Reports on Terrorism 2020 | Iran".into(),
                },
                note: "The State Department's figure, first hand.".into(),
            },
        },
    )
    .unwrap();
    assert_eq!(ws.project().evidence.len(), 3);
    (dir, ws)
}

#[test]
fn qdpx_round_trip_keeps_claims_verdicts_notes_spans_and_evidence() {
    let (_dir, ws) = lavrov_with_url_evidence();
    let bytes = report::qdpx::export(&ws).unwrap();
    let imported = report::qdpx::import(&bytes).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let (_d2, back) = into_ws(imported);
    assert_eq!(claim_keys(&back), claim_keys(&ws));
    assert_eq!(mention_keys(&back), mention_keys(&ws));
    assert_eq!(evidence_keys(&back), evidence_keys(&ws));
    assert_eq!(back.project().name, ws.project().name);
}

#[test]
fn brat_round_trip_keeps_claims_verdicts_notes_spans_and_evidence() {
    let (_dir, ws) = lavrov_with_url_evidence();
    let out = tempfile::tempdir().unwrap();
    report::brat::write(&ws, out.path()).unwrap();
    let imported = report::brat::import_dir(out.path()).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let (_d2, back) = into_ws(imported);
    assert_eq!(claim_keys(&back), claim_keys(&ws));
    assert_eq!(mention_keys(&back), mention_keys(&ws));
    assert_eq!(evidence_keys(&back), evidence_keys(&ws));
}

#[test]
fn w3c_round_trip_keeps_claims_verdicts_notes_spans_and_evidence() {
    let (_dir, ws) = lavrov_with_url_evidence();
    let json = report::w3c::render(&ws);
    let texts: Vec<(String, String, Option<String>)> = ws
        .loaded_articles()
        .map(|a| (a.id.clone(), a.text.clone(), None))
        .collect();
    let imported = report::w3c::import(&json, &texts).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let (_d2, back) = into_ws(imported);
    assert_eq!(claim_keys(&back), claim_keys(&ws));
    assert_eq!(mention_keys(&back), mention_keys(&ws));
    assert_eq!(evidence_keys(&back), evidence_keys(&ws));
}

/// A `project.qde` as QualCoder exports what it imported: one selection per coding (each with
/// a fresh GUID and the memo copied), selections in another order.
fn as_qualcoder_writes_it(qde: &str) -> String {
    let mut out = String::new();
    let mut rest = qde;
    let mut n = 0;
    while let Some(start) = rest.find("      <PlainTextSelection ") {
        out.push_str(&rest[..start]);
        let end = start
            + rest[start..].find("</PlainTextSelection>\n").unwrap()
            + "</PlainTextSelection>\n".len();
        let selection = &rest[start..end];
        let head_end = selection.find(">\n").unwrap() + 2;
        let head = &selection[..head_end];
        let description = selection
            .find("<Description>")
            .map(|d| {
                let e = selection.find("</Description>").unwrap() + "</Description>".len();
                format!("        {}\n", &selection[d..e])
            })
            .unwrap_or_default();
        let mut codings = Vec::new();
        let mut at = 0;
        while let Some(c) = selection[at..].find("        <Coding ") {
            let c = at + c;
            let e = c + selection[c..].find("</Coding>\n").unwrap() + "</Coding>\n".len();
            codings.push(&selection[c..e]);
            at = e;
        }
        for coding in codings.iter().rev() {
            n += 1;
            let guid_start = head.find("guid=\"").unwrap() + 6;
            let guid_end = guid_start + head[guid_start..].find('"').unwrap();
            out.push_str(&head[..guid_start]);
            out.push_str(&format!("00000000-0000-4000-8000-{n:012}"));
            out.push_str(&head[guid_end..]);
            out.push_str(&description);
            out.push_str(coding);
            out.push_str("      </PlainTextSelection>\n");
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn qdpx_codes_have_unique_names_and_selections_split_per_code_merge_back() {
    let (_dir, mut ws) = lavrov_with_url_evidence();
    let (bytes, qde) = qde_of(&mut ws);
    // QualCoder keys codes by name: two "Sergey Lavrov" codes (claimant, registry person)
    // became one, and the other's codings pointed nowhere.
    let names: Vec<&str> = qde
        .match_indices("<Code guid=")
        .map(|(at, _)| {
            let name = at + qde[at..].find("name=\"").unwrap() + 6;
            &qde[name..name + qde[name..].find('"').unwrap()]
        })
        .collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "duplicate code names: {names:?}");
    assert!(names.contains(&"Sergey Lavrov"));
    assert!(names.contains(&"Sergey Lavrov (claimant)"));

    let split = as_qualcoder_writes_it(&qde);
    assert!(
        split.matches("<PlainTextSelection ").count() > qde.matches("<PlainTextSelection ").count()
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut content).unwrap();
        zip.start_file(&name, options).unwrap();
        if name == "project.qde" {
            content = split.clone().into_bytes();
        }
        std::io::Write::write_all(&mut zip, &content).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let imported = report::qdpx::import(&bytes).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(imported.claims.len(), 1, "one claim, not one per code");
    let (_d2, back) = into_ws(imported);
    assert_eq!(
        claim_keys(&back),
        claim_keys(&ws),
        "claimant and verdict kept"
    );
    assert_eq!(mention_keys(&back), mention_keys(&ws));
    assert_eq!(evidence_keys(&back), evidence_keys(&ws));
}

#[test]
fn qdc_codebook_stands_alone_with_the_same_codes() {
    let (_dir, mut ws) = lavrov_workspace();
    let data = report::interchange::ExportData::gather(&ws);
    let qdc = report::qdpx::codebook_qdc(&data);
    assert!(qdc.contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\""));
    let (_, qde) = qde_of(&mut ws);
    let codes = |xml: &str| -> Vec<String> {
        xml.lines()
            .filter(|l| l.trim_start().starts_with("<Code "))
            .map(|l| l.trim().to_string())
            .collect()
    };
    assert_eq!(codes(&qdc), codes(&qde), "the project's codebook, alone");
    assert!(!qdc.contains("<Sources"));
}

#[test]
fn w3c_import_falls_back_to_the_quote_when_positions_moved() {
    let (_dir, ws) = lavrov_workspace();
    let json = report::w3c::render(&ws);
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
    assert!(quote.starts_with("“With regard to Gaza"));
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
    let built = report::build(&ws, &ReportOptions::full());

    let html = report::html::render(&built);
    // The claimant's "<script>" stays data inside the JSON-LD: written as \u003c, so the one
    // closing tag is the element's own.
    let blocks = json_ld_blocks(&html);
    assert_eq!(blocks.len(), 1);
    assert_eq!(html.to_lowercase().matches("</script").count(), 1);
    assert!(blocks[0].to_string().contains("=HYPERLINK"));
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
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        // A handle (@name) or a signed number is data to a spreadsheet; anything else that
        // starts like a formula must be neutralised.
        let handle = |c: &str| {
            c.strip_prefix('@').is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .chars()
                        .all(|ch| ch.is_alphanumeric() || "_.".contains(ch))
            })
        };
        let number = |c: &str| {
            c.strip_prefix(['+', '-']).is_some_and(|rest| {
                let rest = rest.strip_suffix('%').unwrap_or(rest);
                rest.starts_with(|ch: char| ch.is_ascii_digit())
                    && rest
                        .chars()
                        .all(|ch| ch.is_ascii_digit() || ".,".contains(ch))
            })
        };
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                        || handle(cell)
                        || number(cell),
                    "{name}: formula cell {cell:?}"
                );
            }
        }
    }
    let claims_csv = report::csv::claims(&built);
    assert!(claims_csv.contains("'=HYPERLINK"));
    assert!(claims_csv.contains("'-2+3"));
    let entities_csv = report::csv::entities(&built);
    assert!(
        entities_csv.contains(",@x,"),
        "a handle is left as written: {entities_csv}"
    );

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

    let w3c = report::w3c::render(&ws);
    assert!(!w3c.contains('<'));
    serde_json::from_str::<serde_json::Value>(&w3c).unwrap();

    let (_, qde) = qde_of(&mut ws);
    assert_no_raw_controls("project.qde", &qde.replace(['\n'], ""));
    assert!(!qde.contains("<script"));
    if let Some(result) = xsd_valid(&qde) {
        result.unwrap();
    }
    // And it reads back: the claim's span and note survive, control characters shown as codes.
    let imported = report::qdpx::import(&report::qdpx::export(&ws).unwrap()).unwrap();
    assert_eq!(imported.claims.len(), 1);
    assert_eq!(
        imported.claims[0].span,
        ws.project().claims["01hostileclaim"].anchor.span()
    );

    for (name, content) in report::brat::export(&ws) {
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

fn fake_conflicts(_: &Workspace, _: &[String]) -> Vec<report::ReportConflict> {
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
    let (_dir, ws) = lavrov_workspace();
    let only_true = ReportOptions {
        verdicts: vec!["True".into()],
        ..ReportOptions::full()
    };
    assert!(report::build(&ws, &only_true).claims.is_empty());
    let only_false = ReportOptions {
        verdicts: vec!["false".into()],
        ..ReportOptions::full()
    };
    assert_eq!(report::build(&ws, &only_false).claims.len(), 1);
    let other_claim = ReportOptions {
        claims: vec!["nope".into()],
        ..ReportOptions::full()
    };
    assert!(report::build(&ws, &other_claim).claims.is_empty());
    let one_article = ReportOptions {
        articles: vec![IRAN.into()],
        ..ReportOptions::full()
    };
    let built = report::build(&ws, &one_article);
    assert!(built.claims.is_empty(), "the claim is in another article");
    assert_eq!(built.articles.len(), 1);

    let without_hook = ReportOptions {
        conflicts: None,
        ..ReportOptions::full()
    };
    assert!(
        report::build(&ws, &without_hook).conflicts.is_empty(),
        "no hook, no conflicts"
    );
    // The default hook is the cross-article analysis: the sample's figures of Iran's funding
    // of Hamas disagree (its hostage counts, reported on different days, are a timeline).
    let default = report::build(&ws, &ReportOptions::full());
    assert!(
        default
            .conflicts
            .iter()
            .any(|c| c.subject.starts_with("money")
                && c.statements.iter().any(|(_, s)| s.contains("$70 million"))
                && c.statements
                    .iter()
                    .any(|(_, s)| s.contains("around $150 million"))),
        "{:?}",
        default.conflicts
    );
    let with_hook = ReportOptions {
        conflicts: Some(fake_conflicts),
        ..ReportOptions::full()
    };
    let built = report::build(&ws, &with_hook);
    assert_eq!(built.conflicts.len(), 1);
    let html = report::html::render(&built);
    assert!(html.contains("Conflicting figures"));
    assert!(html.contains("&lt;down&gt;"));
    assert!(report::markdown::render(&built).contains("## Conflicting figures"));
}

// ----- the HTML report as a reader checks it -----

#[test]
fn html_claims_and_evidence_say_where_they_appeared_and_link_to_their_passages() {
    let (_dir, mut ws) = lavrov_workspace();
    let built = lavrov_report(&mut ws);
    let html = report::html::render_with(&built, &example_publisher());
    assert!(
        !html.contains("““") && !html.contains("\"”") && !html.contains("&quot;”"),
        "quotation marks not doubled"
    );
    assert!(html.contains("<blockquote>“With regard to Gaza"));
    // The claim card: title, and a link to the claim in its article below.
    let claim = claim_id(&ws);
    assert!(html.contains(&format!("href=\"#text-claim-{claim}\"")));
    assert!(html.contains(&format!("id=\"text-claim-{claim}\"")));
    // Each evidence citation: the full title (import cut this one at 117 chars), the outlet
    // and byline where known, and a link to the highlighted passage in the article section.
    assert!(html.contains("<cite>Iran&#39;s Foreign Minister Hossein Amir-Abdollahian has defended the Hamas militant group&#39;s attack as the &quot;natural reaction&quot; of the Palestinians against the Israeli government.</cite>"));
    assert!(!html.contains("natural react…"));
    assert!(
        html.contains("<cite>For Hamas, Moscow and Tehran are open for business</cite> — Pishtaz")
    );
    for (id, evidence) in &ws.project().evidence {
        let EvidenceSource::Passage { .. } = evidence.source else {
            continue;
        };
        assert!(
            html.contains(&format!("href=\"#passage-{id}\"")),
            "link to {id}"
        );
        assert_eq!(
            html.matches(&format!("id=\"passage-{id}\"")).count(),
            1,
            "anchor {id}"
        );
        assert!(
            html.contains(&format!(
                "href=\"#claim-{claim}\" title=\"the claim this is evidence for\""
            )),
            "the passage leads back to its claim"
        );
    }
    assert!(html.contains(".hl-claim:target, .hl-evidence:target"));
    // Printing: a long claim card may break across pages (else page one is left near empty),
    // articles each start a page, entity types never break mid-word.
    assert!(!html.contains("margin: 1.2rem 0; break-inside: avoid; }"));
    assert!(
        html.contains(".claim blockquote, .evidence li, .claim .cite { break-inside: avoid; }")
    );
    assert!(html.contains("h2#articles, .article + .article { break-before: page; }"));
    assert!(html.contains("<td class=\"kind\">PERSON</td>"));
    assert!(html.contains("td.kind { white-space: nowrap;"));
}

#[test]
fn the_report_holds_the_articles_of_its_claims_and_evidence_unless_asked_for_all() {
    let (_dir, mut ws) = lavrov_workspace();
    let built = lavrov_report(&mut ws);
    let ids: Vec<&str> = built.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [LAVROV, IRAN, MOSCOW],
        "the claim's article and its two evidence articles"
    );
    let all = ReportOptions {
        all_articles: true,
        ..ReportOptions::full()
    };
    assert_eq!(report::build(&ws, &all).articles.len(), 5);
    // Citations still link to a passage only when its article is in the report.
    let only_claim = ReportOptions {
        articles: vec![LAVROV.into()],
        ..ReportOptions::full()
    };
    let built = report::build(&ws, &only_claim);
    assert!(built.claims[0].evidence.iter().all(|e| !e.in_report));
    let html = report::html::render(&built);
    assert!(
        !html.contains("href=\"#passage-"),
        "no link to a passage not in the file"
    );
}

#[test]
fn html_embeds_the_claimreview_of_its_rated_claims() {
    let (_dir, mut ws) = lavrov_workspace();
    let built = lavrov_report(&mut ws);
    let html = report::html::render_with(&built, &example_publisher());
    let blocks = json_ld_blocks(&html);
    let reviews = blocks[0].as_array().expect("an array of reviews");
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["@type"], "ClaimReview");
    assert_eq!(
        reviews[0]["url"],
        format!(
            "https://factcheck.example/lavrov-gaza#claim-{}",
            claim_id(&ws)
        )
    );
    assert!(
        html.contains(&format!("id=\"claim-{}\"", claim_id(&ws))),
        "the url's anchor exists"
    );
    assert!(
        reviews[0]["claimReviewed"]
            .as_str()
            .unwrap()
            .starts_with("With regard to Gaza"),
        "no quotation marks inside claimReviewed"
    );
}

#[test]
fn claimant_type_follows_the_registry() {
    let (_dir, mut ws) = lavrov_workspace();
    let id = claim_id(&ws);
    let mut claim = ws.project().claims[&id].clone();
    claim.claimant = Some("Iranian Foreign Ministry".into());
    ws.apply(
        "an organisation as claimant",
        Edit::Batch(vec![
            Edit::PutClaim { id, claim },
            Edit::PutEntity {
                id: "01entityministry".into(),
                entity: Entity {
                    provenance: Default::default(),
                    name: "Iranian Foreign Ministry".into(),
                    kind: EntityKind::Org,
                    aliases: Vec::new(),
                    note: String::new(),
                },
            },
        ]),
    )
    .unwrap();
    let built = lavrov_report(&mut ws);
    let reviews = report::claimreview::reviews(&built, &example_publisher());
    assert_eq!(
        reviews[0]["itemReviewed"]["author"]["@type"],
        "Organization"
    );
    assert_eq!(
        reviews[0]["itemReviewed"]["author"]["name"],
        "Iranian Foreign Ministry"
    );
}

#[test]
fn pages_export_one_page_per_rated_claim_each_with_its_own_claimreview() {
    let (_dir, ws) = lavrov_workspace();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("site");
    let publish = report::export::Publish {
        base_url: Some("https://factcheck.example/checks/".into()),
        publisher: Some("Example Fact Check".into()),
        excel_csv: false,
    };
    let written = report::export::export(
        &ws,
        report::export::ExportFormat::Pages,
        &folder,
        &ReportOptions::full(),
        &publish,
        &report::export::Quiet,
    )
    .unwrap()
    .unwrap();
    assert!(written.warnings.is_empty(), "{:?}", written.warnings);
    let index = std::fs::read_to_string(folder.join("index.html")).unwrap();
    let pages: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "index.html")
        .collect();
    assert_eq!(pages.len(), 1, "one page per rated claim");
    let name = pages[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("with-regard-to-gaza-there-is-"), "{name}");
    assert!(index.contains(&format!("href=\"{name}\"")));
    let page = std::fs::read_to_string(&pages[0]).unwrap();
    let blocks = json_ld_blocks(&page);
    assert_eq!(blocks.len(), 1, "one ClaimReview per page");
    let review = blocks[0]
        .as_object()
        .expect("a single object, not an array");
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(
        review["url"],
        format!("https://factcheck.example/checks/{name}")
    );
    assert_eq!(review["author"]["name"], "Example Fact Check");
    // The evidence, with each passage quoted in its context on the page, linked from its citation.
    for (id, _) in ws.project().evidence.iter() {
        assert!(page.contains(&format!("href=\"#passage-{id}\"")));
        assert!(page.contains(&format!("id=\"passage-{id}\"")));
    }
    assert!(page.contains("Tehran funnels roughly $100 million a year"));
    assert!(page.contains("any possibility in the region is likely"));
}

#[test]
fn claimreview_without_a_base_url_warns_on_the_command_line() {
    let out = tempfile::tempdir().unwrap();
    let (dir, project) = sample_copy();
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .arg("export")
            .arg(&project)
            .args(["--allow-outside"])
            .arg(dir.path().join("assets/corpus"))
            .args(["--format", "claimreview", "-o"])
            .arg(out.path().join("r.jsonld"))
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let stderr = run(&[]);
    assert!(stderr.contains("warning: no base URL given"), "{stderr}");
    assert!(stderr.contains("Google"), "{stderr}");
    let json = std::fs::read_to_string(out.path().join("r.jsonld")).unwrap();
    assert!(json.contains("urn:claimdesk:"));
    let stderr = run(&["--base-url", "https://factcheck.example/lavrov"]);
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn csv_reads_cleanly_in_python_style_readers_and_keeps_a_bom_for_excel() {
    let (_dir, mut ws) = lavrov_workspace();
    let built = lavrov_report(&mut ws);
    let plain = report::csv::claims(&built);
    let mut reader = csv::Reader::from_reader(plain.as_bytes());
    assert_eq!(
        &reader.headers().unwrap()[0],
        "id",
        "no \\u{{feff}} in the first header"
    );
    let excel = report::csv::claims_with(&built, &report::csv::CsvOptions { excel: true });
    assert!(excel.starts_with("\u{FEFF}id,"));
    assert_eq!(excel.trim_start_matches('\u{FEFF}'), plain);
}

#[test]
fn csv_leaves_a_handle_as_written_and_neutralises_formulas() {
    let (_dir, mut ws) = lavrov_workspace();
    let id = claim_id(&ws);
    let mut claim = ws.project().claims[&id].clone();
    claim.claimant = Some("@truthwatch_ir".into());
    claim.note = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
    ws.apply("claimant handle", Edit::PutClaim { id, claim })
        .unwrap();
    let csv_text = report::csv::claims(&lavrov_report(&mut ws));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[2], "@truthwatch_ir");
    assert_eq!(&row[5], "'=HYPERLINK(\"http://evil.example\",\"click\")");
}

// ----- the W3C model -----

#[test]
fn w3c_page_has_an_id_part_of_the_collection_and_annotations_say_who_and_when() {
    let (_dir, ws) = lavrov_workspace();
    let value: serde_json::Value = serde_json::from_str(&report::w3c::render(&ws)).unwrap();
    let page = &value["first"];
    assert!(
        page["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("urn:uuid:"))
    );
    assert_eq!(page["partOf"]["id"], value["id"]);
    assert_eq!(
        page["partOf"]["total"],
        page["items"].as_array().unwrap().len()
    );
    assert_eq!(value["last"], page["id"]);
    for item in page["items"].as_array().unwrap() {
        let created = item["created"].as_str().expect("created");
        // RFC 3339 in UTC, as the model's xsd:dateTime wants: 2026-12-01T21:42:40Z.
        let b = created.as_bytes();
        assert!(
            created.len() == 20 && b[4] == b'-' && b[10] == b'T' && b[19] == b'Z',
            "{created}"
        );
        assert!(item["creator"].is_object());
    }
}

// ----- the PDF in every script -----

#[test]
fn pdf_draws_and_extracts_text_in_every_script() {
    let (_dir, mut ws) = lavrov_workspace();
    let id = claim_id(&ws);
    let mut claim = ws.project().claims[&id].clone();
    let samples = [
        "Arabic: وزير الخارجية الروسي",
        "Hebrew: שר החוץ הרוסי",
        "Chinese: 俄罗斯外交部长",
        "Japanese: ロシア外務大臣",
        "Korean: 러시아 외무장관",
        "Russian: министр иностранных дел",
        "Greek: υπουργός Εξωτερικών",
        "Emoji: 🤔 👍 ✅",
    ];
    claim.note = samples.join("\n");
    ws.apply("notes in many scripts", Edit::PutClaim { id, claim })
        .unwrap();
    let pdf = report::pdf::render(&lavrov_report(&mut ws)).unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    for font in ["NotoSansArabic", "NotoSansHebrew", "NotoSansCJK", "Symbola"] {
        assert!(
            raw.contains(font),
            "{font} embedded for the characters DejaVu lacks"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scripts.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Some(copy) = std::env::var_os("RENDER_SCRIPTS_PDF_TO") {
        std::fs::write(copy, &pdf).unwrap();
    }
    let out = match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => out,
        _ => {
            eprintln!("pdftotext (poppler-utils) not installed: PDF text not extracted");
            return;
        }
    };
    let text = String::from_utf8_lossy(&out.stdout);
    for sample in samples {
        let (_, words) = sample.split_once(": ").unwrap();
        for word in words.split(' ') {
            assert!(
                text.contains(word),
                "{word:?} missing from the PDF text:\n{text}"
            );
        }
    }
}

// ----- command line -----

#[test]
fn import_annotations_leaves_no_lock_or_journal() {
    let (_dir, ws) = lavrov_workspace();
    let out = tempfile::tempdir().unwrap();
    let qdpx = out.path().join("sample.qdpx");
    std::fs::write(&qdpx, report::qdpx::export(&ws).unwrap()).unwrap();
    let project = out.path().join("back").join("imported.ron");
    std::fs::create_dir_all(project.parent().unwrap()).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
        .arg("import-annotations")
        .arg(&qdpx)
        .args(["--format", "qdpx", "-o"])
        .arg(&project)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut left: Vec<String> = std::fs::read_dir(project.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["imported-sources", "imported.ron"],
        "nothing else beside the project"
    );
}

#[test]
fn new_from_sample_makes_a_copy_that_opens_with_its_articles_wherever_it_is_moved() {
    let out = tempfile::tempdir().unwrap();
    let project = out.path().join("mine").join("lavrov.ron");
    std::fs::create_dir_all(project.parent().unwrap()).unwrap();
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(args)
            .output()
            .unwrap()
    };
    let made = run(&[
        "new".as_ref(),
        project.as_os_str(),
        "--from-sample".as_ref(),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let moved = out.path().join("moved");
    std::fs::rename(out.path().join("mine"), &moved).unwrap();
    let check = run(&["check".as_ref(), moved.join("lavrov.ron").as_os_str()]);
    let counts = String::from_utf8_lossy(&check.stdout);
    assert!(
        counts.contains("articles=5 claims=1 rated=1")
            && counts.contains("evidence=2")
            && counts.contains("missing_articles=0"),
        "{counts} {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // The other form still works.
    let other = out.path().join("other.ron");
    let made = run(&[
        "new".as_ref(),
        other.as_os_str(),
        moved.join("articles").as_os_str(),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(
        !run(&["new".as_ref(), out.path().join("x.ron").as_os_str()])
            .status
            .success()
    );
}

/// A claim whose passage was deleted from its article (the file changed on disk) is an orphan:
/// the report still quotes it, marked as not found, and no exchange format places it on other
/// words; every export says so on the command line.
#[test]
fn exports_never_place_an_orphan_on_other_text() {
    let (dir, project) = sample_copy();
    let article = dir.path().join("assets/corpus").join(LAVROV);
    // Both paragraphs that quote it (the article gives it short, then in full) go.
    let text = std::fs::read_to_string(&article).unwrap();
    let kept: Vec<&str> = text
        .split("\n\n")
        .filter(|p| !p.contains("With regard to Gaza"))
        .collect();
    assert_eq!(kept.len() + 2, text.split("\n\n").count());
    std::fs::write(&article, kept.join("\n\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let export = |format: &str, name: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .arg("export")
            .arg(&project)
            .arg("--allow-outside")
            .arg(dir.path().join("assets/corpus"))
            .args(["--format", format, "-o"])
            .arg(out.path().join(name))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            stderr.contains("no longer found in their article's current text"),
            "{format}: {stderr}"
        );
    };
    export("html", "report.html");
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        html.contains("Not found in the article&#39;s current text")
            || html.contains("Not found in the article's current text"),
        "the card says so"
    );
    assert!(
        html.contains("With regard to Gaza"),
        "the quote is kept as recorded"
    );
    export("brat", "brat");
    for entry in std::fs::read_dir(out.path().join("brat")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ann") {
            let ann = std::fs::read_to_string(&path).unwrap();
            assert!(
                !ann.contains("With regard to Gaza"),
                "{}: {ann}",
                path.display()
            );
            // Every text-bound annotation's text is what the .txt holds at its offsets.
            let txt: Vec<char> = std::fs::read_to_string(path.with_extension("txt"))
                .unwrap()
                .chars()
                .collect();
            for line in ann.lines().filter(|l| l.starts_with('T')) {
                let fields: Vec<&str> = line.split('\t').collect();
                let offsets = fields[1].split_once(' ').unwrap().1;
                let (s, e) = offsets.split(';').next().unwrap().split_once(' ').unwrap();
                let (s, e): (usize, usize) = (s.parse().unwrap(), e.parse().unwrap());
                let covered: String = txt[s..e].iter().collect();
                assert!(fields[2].starts_with(&covered), "{line} vs {covered:?}");
            }
        }
    }
    export("w3c", "annotations.jsonld");
    let w3c = std::fs::read_to_string(out.path().join("annotations.jsonld")).unwrap();
    assert!(!w3c.contains("With regard to Gaza"), "{w3c}");
}
