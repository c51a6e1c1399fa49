//! Web capture against a local HTTP server on 127.0.0.1 started by each test: a good page with
//! redirects, and every bad response the brief lists, each with its message and nothing left in
//! the project.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use claimdesk_capture::{CaptureError, FetchError, FetchLimits, add_url, archive_link};
use claimdesk_core::progress::{Observer, Quiet};
use claimdesk_core::workspace::{OpenOptions, Workspace};

type Handler = dyn Fn(&str, &mut TcpStream, &AtomicBool) + Send + Sync;

/// A one-file HTTP server on a free loopback port; stops when dropped.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(handler: impl Fn(&str, &mut TcpStream, &AtomicBool) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let stopping = stop.clone();
        std::thread::spawn(move || {
            // Bounded: the server serves for at most a minute whatever happens.
            let started = Instant::now();
            while !stopping.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(60) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        let handler = handler.clone();
                        let stopping = stopping.clone();
                        std::thread::spawn(move || {
                            stream.set_nonblocking(false).ok();
                            stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
                            let mut head = Vec::new();
                            let mut byte = [0u8; 1];
                            while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
                                match stream.read(&mut byte) {
                                    // A TLS ClientHello to this plain server: answer in plain
                                    // HTTP, as a misconfigured HTTPS port does.
                                    Ok(1) if head.is_empty() && byte[0] == 0x16 => {
                                        let _ = stream.write_all(
                                            b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n",
                                        );
                                        return;
                                    }
                                    Ok(1) => head.push(byte[0]),
                                    _ => return,
                                }
                            }
                            let head = String::from_utf8_lossy(&head).into_owned();
                            let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                            handler(&path, &mut stream, &stopping);
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

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(body);
}

const PAGE: &str = "<!doctype html><html lang=\"en\"><head><title>Lavrov visits Tehran</title></head><body><nav>Home | World | Sport</nav><article><h1>Lavrov visits Tehran</h1><p>Russian Foreign Minister Sergei Lavrov visited Tehran on 23 October, holding talks with Iranian President Ebrahim Raisi after a regional meeting hosted by the Islamic Republic.</p><p>Lavrov and Raisi also discussed the war in Gaza, the Russian Foreign Ministry said in a statement early on 24 October.</p><p>Tehran funnels roughly $100 million a year to Palestinian militant groups, according to a 2020 State Department report.</p></article></body></html>";

fn html() -> Vec<(&'static str, String)> {
    vec![("Content-Type", "text/html; charset=utf-8".to_string())]
}

/// The site every test talks to: a page, redirects, and the bad responses.
fn site() -> Server {
    // Made before serving, so a loaded machine does not make the server look stalled.
    let bomb = {
        // 20 MB of zeros in about 20 kB.
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..20 {
            encoder.write_all(&zeros).unwrap();
        }
        encoder.finish().unwrap()
    };
    Server::start(move |path, stream, stop| match path {
        "/page" => respond(stream, "200 OK", &html(), PAGE.as_bytes()),
        "/moved" => respond(
            stream,
            "301 Moved Permanently",
            &[("Location", "/moved-again".into())],
            b"",
        ),
        "/moved-again" => respond(
            stream,
            "302 Found",
            &[("Location", "page".into())],
            b"moved",
        ),
        "/gzipped" => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(PAGE.as_bytes()).unwrap();
            let mut headers = html();
            headers.push(("Content-Encoding", "gzip".into()));
            respond(stream, "200 OK", &headers, &encoder.finish().unwrap());
        }
        "/loop-a" => respond(stream, "302 Found", &[("Location", "/loop-b".into())], b""),
        "/loop-b" => respond(stream, "302 Found", &[("Location", "/loop-a".into())], b""),
        p if p.starts_with("/hop/") => {
            let n: u32 = p[5..].parse().unwrap_or(0);
            respond(
                stream,
                "302 Found",
                &[("Location", format!("/hop/{}", n + 1))],
                b"",
            );
        }
        "/bomb" => {
            let mut headers = html();
            headers.push(("Content-Encoding", "gzip".into()));
            respond(stream, "200 OK", &headers, &bomb);
        }
        "/huge" => {
            // Says 2 GB; sends a little and would go on.
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 2147483648\r\n\r\n<html><body>",
            );
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..64 {
                if stop.load(Ordering::Relaxed) || stream.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        "/endless" => {
            // No length at all: chunks until the client hangs up (at most 64 MB).
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
            );
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..1024 {
                let head = format!("{:x}\r\n", chunk.len());
                if stop.load(Ordering::Relaxed)
                    || stream.write_all(head.as_bytes()).is_err()
                    || stream.write_all(&chunk).is_err()
                    || stream.write_all(b"\r\n").is_err()
                {
                    break;
                }
            }
        }
        "/stall" => {
            // Half a page, then nothing for 30 seconds (or until the test is over).
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html><body><p>The first half",
            );
            let _ = stream.flush();
            let until = Instant::now() + Duration::from_secs(30);
            while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        "/image" => respond(
            stream,
            "200 OK",
            &[("Content-Type", "image/png".into())],
            b"\x89PNG\r\n\x1a\n",
        ),
        "/untyped" => respond(stream, "200 OK", &[], b"plain words"),
        "/missing" => respond(stream, "404 Not Found", &html(), b"<p>no such page</p>"),
        "/broken" => respond(stream, "500 Internal Server Error", &html(), b"<p>oops</p>"),
        "/empty" => respond(stream, "200 OK", &html(), b"<html><body></body></html>"),
        _ => respond(stream, "404 Not Found", &[], b""),
    })
}

fn limits() -> FetchLimits {
    FetchLimits {
        max_body_bytes: 1 << 20,
        max_decoded_bytes: 1 << 20,
        max_redirects: 5,
        connect_timeout: Duration::from_secs(2),
        // Short, so the stall test is quick, but not so short that a loaded machine trips it.
        stall_timeout: Duration::from_millis(1500),
        total_timeout: Duration::from_secs(5),
        ..FetchLimits::default()
    }
}

/// A saved, empty project in a fresh folder.
fn project() -> (tempfile::TempDir, PathBuf, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("project.ron");
    let mut ws = Workspace::from_articles(Vec::new(), Some(path.clone()));
    ws.save_to(&path, false).unwrap();
    (dir, path, ws)
}

/// Everything in the project folder but the project's own files (lock, journal, backups).
fn stray_files(dir: &Path) -> Vec<String> {
    walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .filter(|p| !p.starts_with("project.ron") && !p.starts_with(".claimdesk-backups"))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        out.push(path.clone());
        if path.is_dir() {
            out.extend(walk(&path));
        }
    }
    out
}

#[test]
fn a_page_behind_redirects_becomes_an_article_with_its_archived_copy_and_reads_offline() {
    let server = site();
    let (dir, path, mut ws) = project();
    let added = add_url(&mut ws, &server.url("/moved"), &limits(), &Quiet).unwrap();
    let capture = &added.capture;
    assert_eq!(capture.url, server.url("/moved"));
    assert_eq!(capture.final_url, server.url("/page"));
    assert_eq!(capture.status, 200);
    assert_eq!(capture.content_type, "text/html; charset=utf-8");
    assert!(capture.content_hash.starts_with("sha256:") && capture.content_hash.len() == 71);
    assert!(capture.archive.starts_with("captures/") && capture.archive.ends_with(".warc"));
    assert!(
        chrono_like(&capture.retrieved_at),
        "{}",
        capture.retrieved_at
    );
    assert_eq!(added.title, "Lavrov visits Tehran");

    // The article holds the main text; the menu went to the removed layer or was dropped.
    let article = ws.article(&added.article).unwrap().clone();
    assert!(
        article
            .text
            .contains("Sergei Lavrov visited Tehran on 23 October")
    );
    assert!(!article.text.contains("Home | World | Sport"));
    let entry = &ws.project().articles[&added.article];
    assert_eq!(entry.capture.as_ref(), Some(capture));
    // Reports cite the page by where it was fetched from.
    assert_eq!(
        ws.meta(&added.article).url.as_deref(),
        Some(capture.final_url.as_str())
    );

    // The WARC holds every hop's request and response; the last response is the page, with
    // the digest recorded in the project.
    let warc = dir.path().join(&capture.archive);
    let responses = claimdesk_capture::warc_file::read_responses(&warc).unwrap();
    let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![301, 302, 200]);
    let last = responses.last().unwrap();
    assert_eq!(last.body, PAGE.as_bytes());
    assert_eq!(
        last.payload_digest.as_deref(),
        Some(capture.content_hash.as_str())
    );
    assert_eq!(last.target, capture.final_url);
    let raw = std::fs::read_to_string(&warc).unwrap();
    assert!(raw.starts_with("WARC/1.1\r\n"));
    assert_eq!(raw.matches("warc-type: request").count(), 3);
    assert_eq!(raw.matches("warc-type: warcinfo").count(), 1);

    // Saved, the server gone, the project opens with the article readable.
    ws.save().unwrap();
    drop(ws);
    drop(server);
    let reopened = Workspace::open_project(&path, &OpenOptions::default()).unwrap();
    let again = reopened
        .article(&added.article)
        .expect("read from the project folder");
    assert_eq!(again.text, article.text);
    assert_eq!(
        reopened.project().articles[&added.article].capture.as_ref(),
        Some(capture)
    );
    assert_eq!(
        claimdesk_capture::archived_copies(dir.path()),
        vec![capture.clone()]
    );
}

fn chrono_like(date: &str) -> bool {
    date.len() == 20 && date.ends_with('Z') && date.as_bytes()[10] == b'T'
}

#[test]
fn a_compressed_page_is_archived_as_it_came_and_imported_decompressed() {
    let server = site();
    let (dir, _, mut ws) = project();
    let added = add_url(&mut ws, &server.url("/gzipped"), &limits(), &Quiet).unwrap();
    let text = &ws.article(&added.article).unwrap().text;
    assert!(text.contains("Ebrahim Raisi"));
    let responses =
        claimdesk_capture::warc_file::read_responses(&dir.path().join(&added.capture.archive))
            .unwrap();
    let last = responses.last().unwrap();
    assert!(last.body.starts_with(&[0x1f, 0x8b]), "kept gzipped");
    assert!(
        last.headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("content-encoding") && v == "gzip")
    );
    // The same page again is refused as already there, and leaves nothing new.
    let before = stray_files(dir.path());
    let err = add_url(&mut ws, &server.url("/page"), &limits(), &Quiet).unwrap_err();
    assert!(
        matches!(err, CaptureError::AlreadyInProject { .. }),
        "{err}"
    );
    assert_eq!(stray_files(dir.path()), before);
}

#[test]
fn every_bad_response_says_what_went_wrong_and_leaves_nothing_behind() {
    let server = site();
    let (dir, path, mut ws) = project();
    let project_before = std::fs::read(&path).unwrap();
    let https = format!("https://{}/page", server.addr);
    let cases: Vec<(String, &str)> = vec![
        (server.url("/loop-a"), "redirects in a loop"),
        (server.url("/hop/0"), "redirected more than 5 times"),
        (server.url("/bomb"), "expands to over 1048576 bytes"),
        (
            server.url("/huge"),
            "2147483648 bytes, over the 1048576-byte limit",
        ),
        (server.url("/endless"), "over the 1048576-byte limit"),
        (server.url("/stall"), "took too long"),
        (
            server.url("/image"),
            "is “image/png”, not an HTML page, text or PDF",
        ),
        (server.url("/untyped"), "of no declared type"),
        (https, "could not make a secure (TLS) connection"),
        (server.url("/missing"), "answered 404 Not Found"),
        (server.url("/broken"), "answered 500 Internal Server Error"),
        (server.url("/empty"), "could not be read as an article"),
        ("ftp://127.0.0.1/x".into(), "only http and https"),
        ("not a url".into(), "is not a web address"),
        (
            "http://127.0.0.1:1/".into(),
            "could not connect to 127.0.0.1:1",
        ),
    ];
    for (url, expected) in cases {
        let started = Instant::now();
        let err = add_url(&mut ws, &url, &limits(), &Quiet).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(expected),
            "{url}: {message:?} should say {expected:?}"
        );
        // Short limits make short failures: no 30-second waits.
        assert!(started.elapsed() < Duration::from_secs(10), "{url}");
        assert!(
            stray_files(dir.path()).is_empty(),
            "{url}: {:?}",
            stray_files(dir.path())
        );
        assert!(ws.project().articles.is_empty(), "{url}");
    }
    assert!(!ws.is_dirty());
    assert_eq!(std::fs::read(&path).unwrap(), project_before);
}

#[test]
fn a_cancelled_capture_keeps_nothing() {
    struct CancelWhileFetching(AtomicBool);
    impl Observer for CancelWhileFetching {
        fn progress(&self, _: usize, _: usize, what: &str) {
            if what.starts_with("Fetching") {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        fn cancelled(&self) -> bool {
            self.0.load(Ordering::Relaxed)
        }
    }
    let server = site();
    let (dir, _, mut ws) = project();
    let err = add_url(
        &mut ws,
        &server.url("/page"),
        &limits(),
        &CancelWhileFetching(AtomicBool::new(false)),
    )
    .unwrap_err();
    assert!(
        matches!(err, CaptureError::Fetch(FetchError::Cancelled)),
        "{err}"
    );
    assert!(stray_files(dir.path()).is_empty());
}

#[test]
fn an_evidence_link_is_archived_whatever_its_type_and_found_again_by_url() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    let capture = archive_link(dir.path(), &server.url("/image"), &limits(), &Quiet).unwrap();
    assert_eq!(capture.content_type, "image/png");
    assert_eq!(capture.status, 200);
    let copies = claimdesk_capture::archived_copies(dir.path());
    assert_eq!(copies, vec![capture]);
    let err = archive_link(dir.path(), &server.url("/missing"), &limits(), &Quiet).unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
    assert_eq!(claimdesk_capture::archived_copies(dir.path()).len(), 1);
}

#[test]
fn a_capture_made_on_a_worker_thread_is_added_on_the_owning_one_or_removed_when_dropped() {
    let server = site();
    let (dir, _, mut ws) = project();
    let folder = claimdesk_capture::project_folder(&ws).unwrap();
    let url = server.url("/page");
    let captured = std::thread::spawn({
        let folder = folder.clone();
        let url = url.clone();
        move || claimdesk_capture::capture_article(&folder, &url, &[], &limits(), &Quiet)
    })
    .join()
    .unwrap()
    .unwrap();
    assert_eq!(captured.title(), "Lavrov visits Tehran");
    assert_eq!(
        stray_files(dir.path()).len(),
        3,
        "captures/, the page and its WARC"
    );
    // The analyst closed the dialog: nothing stays.
    drop(captured);
    assert!(stray_files(dir.path()).is_empty());
    let captured =
        claimdesk_capture::capture_article(&folder, &url, &[], &limits(), &Quiet).unwrap();
    let added = captured.add_to(&mut ws).unwrap();
    assert!(ws.article(&added.article).is_some());
    assert_eq!(stray_files(dir.path()).len(), 3);
    // Undo takes the article out of the project (its files stay for redo).
    ws.undo().unwrap();
    assert!(ws.project().articles.is_empty());
}
