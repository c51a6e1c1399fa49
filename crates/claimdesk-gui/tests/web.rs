//! Kittest flows for "checked before?" and web capture, and the export and sample dialogs:
//! a fact-check library built in a temp dir from the sample's own ClaimReview export and a
//! Fact Check Tools response; pages served by a local HTTP server on 127.0.0.1 started here.

use crate::support;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use claimdesk_core::command::Command;
use claimdesk_core::ops;
use claimdesk_core::progress::Quiet;
use claimdesk_core::project::{EvidenceSource, Stance};
use claimdesk_core::report::{self, export::ExportFormat};
use claimdesk_gui::{Action, ClaimdeskApp, Focus, Settings};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use support::{SampleCopy, find_span};

const FACT_CHECK: &str = "000_164a3089b8e03eed.txt";
const LAVROV_QUOTE: &str = "the Iranian authorities have taken a responsible and balanced stand";

/// These tests run real background threads (fetches, linking, matching) against wall-clock
/// limits; run side by side on a loaded 2-core machine they starved each other (a linking run
/// once missed its 60 s), so they take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    // A failed test poisons the lock; the next one still runs.
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn harness(app: ClaimdeskApp) -> Harness<'static, ClaimdeskApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, app: &mut ClaimdeskApp| app.frame_ui(ui), app)
}

fn app_on(sample: &SampleCopy) -> ClaimdeskApp {
    let mut app = ClaimdeskApp::new(Some(sample.open()), Settings::default());
    app.inline_work = true;
    app.native_dialogs = false;
    app
}

fn act(harness: &mut Harness<'static, ClaimdeskApp>, action: Action) {
    harness.state_mut().act(action);
    harness.run();
}

fn command(harness: &mut Harness<'static, ClaimdeskApp>, command: Command) {
    act(harness, Action::Command(command));
}

fn project<'a>(
    harness: &'a Harness<'static, ClaimdeskApp>,
) -> &'a claimdesk_core::project::Project {
    harness.state().workspace().unwrap().project()
}

fn notices(harness: &Harness<'static, ClaimdeskApp>) -> Vec<String> {
    harness
        .state()
        .notices()
        .log()
        .iter()
        .map(|n| n.text.clone())
        .collect()
}

/// Replaces the text of the field labelled `label`.
fn type_into(harness: &mut Harness<'static, ClaimdeskApp>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Scrolls the widget labelled `label` into view, as the analyst would, and clicks it.
fn scroll_and_click(harness: &mut Harness<'static, ClaimdeskApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

/// The shipped sample (the Lavrov claim rated False) exported as ClaimReview, as a team that
/// published it would have it.
fn sample_claimreview(out: &Path) {
    let shipped = SampleCopy::with_fact_check();
    let ws = shipped.open();
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
}

#[test]
fn a_suggestion_checked_before_shows_a_badge_its_matches_and_attaches_one_as_evidence() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("fact-checks");
    std::fs::create_dir_all(&files).unwrap();
    sample_claimreview(&files.join("sample-claimreview.json"));
    std::fs::copy(
        support::repo().join("tests/fixtures/factchecks/fact_check_tools_response.json"),
        files.join("fact-check-tools.json"),
    )
    .unwrap();
    std::fs::write(files.join("notes.txt"), "not a fact-check").unwrap();

    // A project over the sample corpus with no claims yet: only suggestions.
    let sample = SampleCopy::new();
    let mut app = app_on(&sample);
    let library = dir.path().join("library/factchecks.sqlite");
    app.set_factcheck_library(library.clone());
    let mut harness = harness(app);
    harness.run();
    assert!(project(&harness).claims.is_empty());

    // File → Import fact-checks…, a folder typed in (no file dialog needed).
    command(&mut harness, Command::ImportFactChecks);
    type_into(
        &mut harness,
        "Files or folders, one per line:",
        &files.display().to_string(),
    );
    harness.get_by_label("Import").click();
    harness.run();
    harness.get_by_label_contains("fact-check-tools.json: 3 review(s): 3 added");
    harness.get_by_label_contains("sample-claimreview.json: 1 review(s): 1 added");
    harness.get_by_label_contains("notes.txt: skipped");
    assert!(
        notices(&harness)
            .iter()
            .any(|n| n.contains("notes.txt skipped")),
        "{:?}",
        notices(&harness)
    );
    harness.get_by_label("Close").click();
    harness.run();

    // The import started a lookup of every suggestion (in the background; inline here).
    let results = harness
        .state()
        .factcheck_results()
        .expect("the project was matched");
    assert_eq!(results.library_size, 4);
    let lavrov = results
        .claims
        .iter()
        .find(|r| r.claim.text.contains(LAVROV_QUOTE))
        .expect("the Lavrov quote is suggested");
    assert!(lavrov.checked_before);
    assert_eq!(lavrov.claim.article, FACT_CHECK);
    let start = lavrov.claim.start;
    let checked: Vec<&str> = results
        .claims
        .iter()
        .filter(|r| r.checked_before)
        .map(|r| r.claim.text.as_str())
        .collect();
    assert!(
        checked
            .iter()
            .all(|t| t.contains("responsible and balanced")),
        "{checked:#?}"
    );

    // The reader shows the badge beside the suggestion; a click selects it.
    act(
        &mut harness,
        Action::ScrollTo {
            article: FACT_CHECK.into(),
            offset: start,
        },
    );
    harness
        .query_all_by_label_contains("Checked before: False (")
        .next()
        .expect("a badge beside the suggestion in the reader")
        .click();
    harness.run();
    assert!(
        matches!(&harness.state().state().focus, Some(Focus::Suggestion { span, .. }) if span.start == start)
    );

    // The matches: rating, publisher, date, score and why, for each fact-check.
    assert!(
        harness
            .query_all_by_label_contains("Shared names: Gaza")
            .count()
            >= 1
    );
    assert!(harness.query_all_by_label("Polygraph.info").count() >= 1);
    assert!(harness.query_all_by_label("Sample Desk").count() >= 1);
    assert!(harness.query_all_by_label_contains("score 0.").count() >= 2);
    assert!(harness.query_all_by_label("False").count() >= 2);
    let nothing_about_5g = harness.query_all_by_label_contains("5G").count();
    assert_eq!(nothing_about_5g, 0, "an unrelated fact-check is not listed");

    // One click: the suggestion becomes a claim with the fact-check as evidence.
    scroll_and_click(&mut harness, "Attach as evidence: Polygraph.info");
    let (claim_id, claim) = project(&harness)
        .claims
        .iter()
        .next()
        .map(|(id, c)| (id.clone(), c.clone()))
        .unwrap_or_else(|| panic!("the suggestion was accepted: {:?}", notices(&harness)));
    assert!(claim.anchor.quote.contains(LAVROV_QUOTE));
    let evidence = project(&harness).evidence_for(&claim_id);
    assert_eq!(evidence.len(), 1);
    let (_, item) = evidence[0];
    assert_eq!(item.stance, Stance::Refutes);
    assert!(
        matches!(&item.source, EvidenceSource::Url { url, .. } if url.contains("polygraph.info")),
        "{:?}",
        item.source
    );
    assert!(
        item.note.contains("Polygraph.info rated it “False”"),
        "{}",
        item.note
    );
    // Looked up again as a claim: the same fact-check shows as attached.
    assert!(matches!(&harness.state().state().focus, Some(Focus::Claim(id)) if *id == claim_id));
    harness.get_by_label("Attached as evidence");
    assert!(
        harness
            .query_by_label("Attach as evidence: Polygraph.info")
            .is_none()
    );

    // One undo step takes both out again.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(project(&harness).evidence.is_empty());
    assert!(project(&harness).claims.is_empty());
}

type Handler = dyn Fn(&str, &mut TcpStream) + Send + Sync;

/// A small HTTP server on a free loopback port; stops when dropped.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(handler: impl Fn(&str, &mut TcpStream) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let stopping = stop.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            while !stopping.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(60) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        let handler = handler.clone();
                        std::thread::spawn(move || {
                            stream.set_nonblocking(false).ok();
                            stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
                            let mut head = Vec::new();
                            let mut byte = [0u8; 1];
                            while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
                                match stream.read(&mut byte) {
                                    Ok(1) => head.push(byte[0]),
                                    _ => return,
                                }
                            }
                            let head = String::from_utf8_lossy(&head).into_owned();
                            let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                            handler(&path, &mut stream);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self { addr, stop }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(body);
}

const PAGE: &str = "<!doctype html><html lang=\"en\"><head><title>Lavrov visits Tehran</title></head><body><nav>Home | World | Sport</nav><article><h1>Lavrov visits Tehran</h1><p>Russian Foreign Minister Sergei Lavrov visited Tehran on 23 October, holding talks with Iranian President Ebrahim Raisi after a regional meeting hosted by the Islamic Republic.</p><p>Lavrov and Raisi also discussed the war in Gaza, the Russian Foreign Ministry said in a statement early on 24 October.</p><p>Tehran funnels roughly $100 million a year to Palestinian militant groups, according to a 2020 State Department report.</p></article></body></html>";

fn site() -> Server {
    let html = [("Content-Type", "text/html; charset=utf-8")];
    Server::start(move |path, stream| match path {
        "/news/lavrov-visits-tehran" => respond(stream, "200 OK", &html, PAGE.as_bytes()),
        "/go" => respond(
            stream,
            "301 Moved Permanently",
            &[("Location", "/news/lavrov-visits-tehran")],
            b"",
        ),
        "/loop-a" => respond(stream, "302 Found", &[("Location", "/loop-b")], b""),
        "/loop-b" => respond(stream, "302 Found", &[("Location", "/loop-a")], b""),
        "/image" => respond(
            stream,
            "200 OK",
            &[("Content-Type", "image/png")],
            b"\x89PNG\r\n\x1a\n",
        ),
        "/report.pdf-link" => respond(
            stream,
            "200 OK",
            &[("Content-Type", "text/plain")],
            b"A State Department report on funding of militant groups.",
        ),
        "/drip" => {
            // Says 100 kB and sends 1 kB every 50 ms: a slow page, for watching and cancelling.
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n",
            );
            let chunk = vec![b' '; 1000];
            for _ in 0..100 {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        _ => respond(stream, "404 Not Found", &html, b"<p>no such page</p>"),
    })
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn an_article_added_from_a_url_is_archived_read_offline_and_undone_in_one_step() {
    let _turn = one_at_a_time();
    let server = site();
    let sample = SampleCopy::new();
    let captures = sample.project().parent().unwrap().join("captures");
    let mut harness = harness(app_on(&sample));
    harness.run();

    // Each failure says what went wrong, and nothing is kept.
    command(&mut harness, Command::AddArticleFromUrl);
    for (path, says) in [
        ("/missing", "404"),
        ("/loop-a", "loop"),
        ("/image", "image/png"),
    ] {
        type_into(&mut harness, "Web address", &server.url(path));
        harness.get_by_label("Add article").click();
        harness.run();
        let last = notices(&harness).last().cloned().unwrap_or_default();
        assert!(
            last.starts_with(&format!("Could not add {}", server.url(path))) && last.contains(says),
            "{path}: {last}"
        );
        // The dialog stays open with the reason (and the toast says it), for another try.
        assert!(harness.query_all_by_label(&last).count() >= 2, "{last}");
        assert_eq!(project(&harness).articles.len(), 5);
        assert!(files_in(&captures).is_empty(), "{:?}", files_in(&captures));
    }

    // A redirect to a news page: fetched, archived and opened.
    type_into(&mut harness, "Web address", &server.url("/go"));
    harness.get_by_label("Add article").click();
    harness.run();
    assert!(!harness.state().is_capturing());
    assert_eq!(project(&harness).articles.len(), 6);
    let (id, entry) = project(&harness)
        .articles
        .iter()
        .find(|(_, e)| e.capture.is_some())
        .map(|(id, e)| (id.clone(), e.clone()))
        .unwrap();
    let capture = entry.capture.unwrap();
    assert_eq!(capture.url, server.url("/go"));
    assert_eq!(capture.final_url, server.url("/news/lavrov-visits-tehran"));
    assert_eq!(capture.status, 200);
    assert!(capture.content_hash.starts_with("sha256:"));
    assert!(
        captures
            .join(Path::new(&capture.archive).file_name().unwrap())
            .is_file()
    );
    assert_eq!(
        harness.state().state().selected_article.as_deref(),
        Some(id.as_str())
    );
    assert!(
        harness.query_by_label("Add article").is_none(),
        "the dialog closed"
    );
    // The reader shows the text and where it came from.
    harness.get_by_label_contains(&format!(
        "Captured from {} (asked for {})",
        capture.final_url, capture.url
    ));
    harness.get_by_label_contains(&format!(
        "archived copy: retrieved {}",
        capture.retrieved_at
    ));
    assert!(
        harness
            .query_all_by_label_contains("Tehran funnels roughly $100 million a year")
            .count()
            >= 1
    );
    assert!(
        notices(&harness)
            .iter()
            .any(|n| n.starts_with("Added “Lavrov visits Tehran”"))
    );
    // Offline: the server is gone, the article reads from the project folder.
    drop(server);
    let reopened = sample.open();
    assert!(
        reopened
            .article(&id)
            .unwrap()
            .text
            .contains("Ebrahim Raisi")
    );
    drop(reopened);

    // One undo step takes the article out again.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(project(&harness).articles.len(), 5);
    assert!(!project(&harness).articles.contains_key(&id));
    let open = harness.state().state().selected_article.clone();
    assert!(
        open.is_some_and(|open| open != id && project(&harness).articles.contains_key(&open)),
        "another article opens"
    );
}

#[test]
fn archive_this_link_keeps_a_copy_of_an_evidence_url_and_shows_its_date_and_hash() {
    let _turn = one_at_a_time();
    let server = site();
    let sample = SampleCopy::with_fact_check();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let claim = project(&harness).claims.keys().next().unwrap().clone();
    let url = server.url("/report.pdf-link");
    let op = ops::add_evidence(
        harness.state().workspace().unwrap(),
        &claim,
        ops::EvidenceInput::Url {
            url: url.clone(),
            title: String::new(),
        },
        Stance::Refutes,
        "The State Department's figure",
    )
    .unwrap();
    act(
        &mut harness,
        Action::Op {
            op: Box::new(op),
            done: None,
        },
    );
    act(
        &mut harness,
        Action::Focus(Some(Focus::Claim(claim.clone()))),
    );
    scroll_and_click(&mut harness, "Archive this link");
    let archived = notices(&harness)
        .into_iter()
        .find(|n| n.starts_with(&format!("Archived {url}: retrieved ")))
        .unwrap_or_else(|| panic!("archived: {:?}", notices(&harness)));
    assert!(archived.contains("sha256:"), "{archived}");
    harness.get_by_label_contains("archived copy: retrieved ");
    assert!(harness.query_by_label("Archive this link").is_none());
    let captures = sample.project().parent().unwrap().join("captures");
    let warcs = files_in(&captures);
    assert_eq!(warcs.len(), 1, "{warcs:?}");
    // Reopened, the copy is found again in the project folder.
    drop(harness);
    let mut harness = self::harness(app_on(&sample));
    harness.run();
    act(&mut harness, Action::Focus(Some(Focus::Claim(claim))));
    harness.get_by_label_contains("archived copy: retrieved ");
}

#[test]
fn export_dialog_takes_base_url_and_publisher_shows_the_warning_and_the_csv_and_article_options() {
    let _turn = one_at_a_time();
    let sample = SampleCopy::with_fact_check();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let out = sample.dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();

    // ClaimReview without a base URL: written, with the warning in the dialog and the log.
    command(&mut harness, Command::ExportReport);
    harness
        .get_by_label("ClaimReview JSON-LD (schema.org)")
        .click();
    harness.run();
    harness.get_by_label_contains("which Google rejects");
    let first = out.join("first.jsonld");
    type_into(&mut harness, "Save to", &first.display().to_string());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
        .click();
    harness.run();
    assert!(
        std::fs::read_to_string(&first)
            .unwrap()
            .contains("urn:claimdesk:")
    );
    let warning = harness
        .query_all_by_label_contains("Warning: ")
        .next()
        .expect("the warning is in the dialog")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(
        notices(&harness)
            .iter()
            .any(|n| n.starts_with("Export: ") && warning.contains(&n["Export: ".len()..])),
        "{warning} / {:?}",
        notices(&harness)
    );

    // With a base URL and a publisher: the reviews carry them, no warning, the dialog closes.
    type_into(&mut harness, "Base URL", "https://desk.example/checks");
    type_into(&mut harness, "Publisher", "Example Desk");
    let second = out.join("second.jsonld");
    type_into(&mut harness, "Save to", &second.display().to_string());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
        .click();
    harness.run();
    let json = std::fs::read_to_string(&second).unwrap();
    assert!(
        json.contains("https://desk.example/checks#claim-"),
        "{json}"
    );
    assert!(json.contains("Example Desk"), "{json}");
    assert!(!json.contains("urn:claimdesk:"));
    assert!(harness.query_by_label("Base URL").is_none(), "closed");

    // Excel-friendly CSV starts with a byte order mark; plain CSV does not.
    for (excel, name) in [(false, "plain.csv"), (true, "excel.csv")] {
        command(&mut harness, Command::ExportReport);
        harness
            .get_by_label("CSV tables (claims + entities)")
            .click();
        harness.run();
        if excel {
            harness
                .get_by_label("Excel-friendly CSV (with a byte order mark)")
                .click();
            harness.run();
        }
        let path = out.join(name);
        type_into(&mut harness, "Save to", &path.display().to_string());
        harness
            .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
            .click();
        harness.run();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.starts_with("\u{feff}".as_bytes()), excel, "{name}");
    }

    // "All articles" adds the text of articles that carry no claim or evidence.
    let untouched = "A senior Iranian envoy met with Hamas representatives in Moscow";
    for (all, name) in [(false, "some.html"), (true, "all.html")] {
        command(&mut harness, Command::ExportReport);
        if all {
            harness
                .get_by_label("All articles, not only those the claims and evidence are in")
                .click();
            harness.run();
        }
        let path = out.join(name);
        type_into(&mut harness, "Save to", &path.display().to_string());
        harness
            .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
            .click();
        harness.run();
        let html = std::fs::read_to_string(&path).unwrap();
        assert_eq!(html.contains(untouched), all, "{name}");
        // The HTML report writes ClaimReview too: without a base URL it warns, and stays open.
        if harness.query_by_label("Close").is_some() || harness.query_by_label("Cancel").is_some() {
            harness.key_press(egui::Key::Escape);
            harness.run();
        }
    }
}

#[test]
fn new_project_from_sample_copies_it_where_asked_and_opens_every_article() {
    let _turn = one_at_a_time();
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    let target = tempfile::tempdir().unwrap();
    let project_file = target.path().join("desk").join("lavrov.ron");
    command(&mut harness, Command::NewProjectFromSample);
    type_into(
        &mut harness,
        "New project file (.ron):",
        &project_file.display().to_string(),
    );
    harness.get_by_label("Copy and open").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.path(), Some(project_file.as_path()));
    assert_eq!(ws.project().articles.len(), 5);
    for id in ws.project().articles.keys() {
        assert!(ws.article(id).is_some(), "{id} opens from the copy");
    }
    assert_eq!(
        ws.project().claims.len(),
        1,
        "the worked example comes along"
    );
    assert!(project_file.with_file_name("articles").is_dir());
    let span = find_span(&ws.article(FACT_CHECK).unwrap().text, "Lavrov", 0);
    assert!(span.start > 0);
    // Asked again for the same file: refused, nothing overwritten.
    command(&mut harness, Command::NewProjectFromSample);
    type_into(
        &mut harness,
        "New project file (.ron):",
        &project_file.display().to_string(),
    );
    harness.get_by_label("Copy and open").click();
    harness.run();
    assert!(
        notices(&harness)
            .last()
            .is_some_and(|n| n.contains("already exists")),
        "{:?}",
        notices(&harness)
    );
}

#[test]
fn linking_across_articles_says_how_many_and_how_long() {
    let _turn = one_at_a_time();
    let sample = SampleCopy::new();
    let mut harness = harness(app_on(&sample));
    harness.run();
    harness.get_by_label("Across articles").click();
    harness.run();
    assert!(harness.state().links().is_some(), "links made");
    // After the run: how many articles, in how long (while it runs: the counts, the time so
    // far and the time left, from link_progress).
    let done = harness
        .query_all_by_label_contains("Linked 5 articles in ")
        .count();
    assert_eq!(done, 1);
}

/// Frames until `done` holds (or `seconds` pass), for work on real threads.
fn step_until(
    harness: &mut Harness<'static, ClaimdeskApp>,
    seconds: u64,
    mut done: impl FnMut(&Harness<'static, ClaimdeskApp>) -> bool,
) -> bool {
    let until = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < until {
        harness.step();
        if done(harness) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn a_slow_fetch_runs_in_the_background_with_progress_and_cancel_keeps_nothing() {
    let _turn = one_at_a_time();
    let server = site();
    let sample = SampleCopy::new();
    let captures = sample.project().parent().unwrap().join("captures");
    let mut app = app_on(&sample);
    // Real threads: the window keeps drawing while the page drips in.
    app.inline_work = false;
    let mut harness = harness(app);
    harness.step();
    harness
        .state_mut()
        .act(Action::Command(Command::AddArticleFromUrl));
    assert!(step_until(&mut harness, 5, |h| h
        .query_by_label("Web address")
        .is_some()));
    harness
        .get_by_label("Web address")
        .type_text(&server.url("/drip"));
    harness.step();
    harness.get_by_label("Add article").click();
    harness.step();
    harness.step();
    assert!(harness.state().is_capturing(), "fetching in the background");
    // Frames go on meanwhile; the dialog offers Cancel instead of Add.
    assert!(step_until(&mut harness, 5, |h| h
        .query_by_label("Cancel")
        .is_some()));
    assert!(harness.query_by_label("Add article").is_none());
    harness.get_by_label("Cancel").click();
    assert!(
        step_until(&mut harness, 10, |h| !h.state().is_capturing()),
        "the cancel reached the fetch"
    );
    harness.step();
    let last = notices(&harness).last().cloned().unwrap_or_default();
    assert!(
        last.starts_with(&format!("Could not add {}", server.url("/drip")))
            && last.contains("cancelled; nothing was kept"),
        "{last}"
    );
    assert_eq!(project(&harness).articles.len(), 5);
    assert!(files_in(&captures).is_empty(), "{:?}", files_in(&captures));
}

#[test]
fn while_linking_runs_on_a_thread_every_frame_shows_counts_and_time() {
    let _turn = one_at_a_time();
    let sample = SampleCopy::new();
    let mut app = app_on(&sample);
    app.inline_work = false;
    let mut harness = harness(app);
    harness.step();
    harness.get_by_label("Across articles").click();
    let mut running_frames = 0;
    let finished = step_until(&mut harness, 60, |h| {
        if h.state().is_linking() {
            running_frames += 1;
            // Drawn this frame: the counts and the time, not a bare bar.
            let status = h
                .query_all_by_label_contains(" so far")
                .chain(h.query_all_by_label_contains("in this step"))
                .count();
            assert!(status >= 1, "a status line while linking runs");
            assert!(h.query_by_label("Stop linking").is_some());
        }
        h.state().links().is_some()
    });
    assert!(finished, "linking finished");
    assert!(running_frames >= 1, "seen while running");
    harness.step();
    assert_eq!(
        harness
            .query_all_by_label_contains("Linked 5 articles in ")
            .count(),
        1
    );
}
