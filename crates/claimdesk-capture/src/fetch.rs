//! Fetching one page within limits: redirects followed one by one (each hop kept for the
//! archive), size, time and type checked before anything is kept, compressed bodies decoded here
//! with a limit on what they expand to.

use std::io::Read as _;
use std::time::{Duration, Instant};

use claimdesk_core::progress::Observer;

/// What a fetch may cost. The defaults suit news pages and reports; tests use small ones.
#[derive(Clone, Debug)]
pub struct FetchLimits {
    /// Largest body accepted as received (compressed or not).
    pub max_body_bytes: u64,
    /// Largest body accepted once decompressed (a gzip bomb stops here).
    pub max_decoded_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Time to connect to a host.
    pub connect_timeout: Duration,
    /// Longest wait for the next bytes (a stalled server stops here).
    pub stall_timeout: Duration,
    /// Longest whole fetch, redirects included (a server dripping bytes stops here).
    pub total_timeout: Duration,
    /// `User-Agent` sent.
    pub user_agent: String,
}

impl Default for FetchLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: 50 * 1024 * 1024,
            max_decoded_bytes: 50 * 1024 * 1024,
            max_redirects: 10,
            connect_timeout: Duration::from_secs(15),
            stall_timeout: Duration::from_secs(20),
            total_timeout: Duration::from_secs(120),
            user_agent: format!(
                "Claimdesk/{} (fact-checking workbench; archives pages the analyst adds)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// Which responses are wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    /// Articles to import: HTML, plain text, Markdown, PDF.
    Articles,
    /// Anything (archiving an evidence link: an image or a spreadsheet is worth keeping too).
    Anything,
}

/// Why a page could not be fetched, in words an analyst can act on.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("“{url}” is not a web address Claimdesk can fetch: {why}")]
    BadUrl { url: String, why: String },
    #[error("{url} redirects in a loop (back to {again}); not followed further")]
    RedirectLoop { url: String, again: String },
    #[error("{url} redirected more than {limit} times; not followed further")]
    TooManyRedirects { url: String, limit: u32 },
    #[error("{url} redirected without saying where to (status {status}, no Location)")]
    BrokenRedirect { url: String, status: u16 },
    #[error("{url} answered {status} {reason}; nothing was kept")]
    Status {
        url: String,
        status: u16,
        reason: String,
    },
    #[error(
        "{url} is {what}, not an HTML page, text or PDF; nothing was kept (archive it as a link instead)"
    )]
    WrongType { url: String, what: String },
    #[error(
        "{url} is too big: {size} bytes, over the {limit}-byte limit for one page; nothing was kept"
    )]
    TooLarge { url: String, size: u64, limit: u64 },
    #[error(
        "{url} expands to over {limit} bytes when decompressed (a compression bomb, or a huge page); nothing was kept"
    )]
    Bomb { url: String, limit: u64 },
    #[error("{url} sent a body compressed as {encoding} that does not decompress: {why}")]
    BadEncoding {
        url: String,
        encoding: String,
        why: String,
    },
    #[error("{url} took too long: {what}; nothing was kept")]
    Timeout { url: String, what: String },
    #[error(
        "could not make a secure (TLS) connection to {host}: {why}. The site's certificate or its HTTPS setup is broken; nothing was fetched"
    )]
    Tls { host: String, why: String },
    #[error("could not connect to {host}: {why}")]
    Connect { host: String, why: String },
    #[error("fetching {url} failed: {why}")]
    Other { url: String, why: String },
    #[error("cancelled; nothing was kept")]
    Cancelled,
}

/// One HTTP exchange as it happened, for the archive.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub url: String,
    /// The request head as sent: method line and headers, CRLF-separated, blank line at the end.
    pub request_head: String,
    pub status: u16,
    pub reason: String,
    /// Response headers in order (`Transfer-Encoding` left out: the body is kept de-chunked).
    pub headers: Vec<(String, String)>,
    /// The body as received (still compressed if it came compressed).
    pub body: Vec<u8>,
    /// When the response head arrived (RFC 3339, UTC).
    pub date: String,
    /// The server's IP address, when known.
    pub ip: Option<String>,
}

impl Exchange {
    /// The response head as received: status line and headers, CRLF-separated, blank line at
    /// the end.
    pub fn response_head(&self) -> String {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason);
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A page fetched: every hop, and the final body decoded.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The address asked for.
    pub url: String,
    /// Redirects first, the final response last.
    pub exchanges: Vec<Exchange>,
    /// The final body, decompressed.
    pub body: Vec<u8>,
    /// The final `Content-Type` (lower case, parameters kept), "" when absent.
    pub content_type: String,
}

impl Fetched {
    pub fn last(&self) -> &Exchange {
        self.exchanges
            .last()
            .expect("a fetch has at least one exchange")
    }

    pub fn final_url(&self) -> &str {
        &self.last().url
    }
}

/// The kind of article a content type is, as the importer's file extension.
pub fn article_extension(content_type: &str) -> Option<&'static str> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Some("html"),
        "text/plain" => Some("txt"),
        "text/markdown" | "text/x-markdown" => Some("md"),
        "application/pdf" => Some("pdf"),
        _ => None,
    }
}

fn host_of(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => url.to_string(),
    }
}

fn parse_url(text: &str) -> Result<url::Url, FetchError> {
    let bad = |why: String| FetchError::BadUrl {
        url: text.to_string(),
        why,
    };
    let url = url::Url::parse(text.trim()).map_err(|err| bad(err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!(
            "only http and https addresses are fetched, not {}:",
            url.scheme()
        )));
    }
    if url.host_str().is_none() {
        return Err(bad("it names no host".into()));
    }
    Ok(url)
}

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Fetches `url`, following redirects within `limits`. Nothing is written anywhere.
pub fn fetch(
    url: &str,
    limits: &FetchLimits,
    accept: Accept,
    observer: &dyn Observer,
) -> Result<Fetched, FetchError> {
    let start = Instant::now();
    let mut current = parse_url(url)?;
    let mut seen = vec![current.to_string()];
    let mut exchanges = Vec::new();
    loop {
        if observer.cancelled() {
            return Err(FetchError::Cancelled);
        }
        let remaining = limits
            .total_timeout
            .checked_sub(start.elapsed())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| FetchError::Timeout {
                url: url.to_string(),
                what: format!(
                    "no answer within {} s in all",
                    limits.total_timeout.as_secs_f32()
                ),
            })?;
        observer.progress(0, 0, &format!("Fetching {}", host_of(&current)));
        let exchange = exchange(&current, limits, remaining, accept, observer)?;
        let status = exchange.status;
        if (300..400).contains(&status) && status != 304 {
            let Some(location) = exchange.header("location").map(str::to_string) else {
                return Err(FetchError::BrokenRedirect {
                    url: current.to_string(),
                    status,
                });
            };
            let next = current
                .join(location.trim())
                .map_err(|err| FetchError::BadUrl {
                    url: location.clone(),
                    why: format!("the redirect from {current} points there: {err}"),
                })?;
            let next = parse_url(next.as_str())?;
            exchanges.push(exchange);
            if seen.contains(&next.to_string()) {
                return Err(FetchError::RedirectLoop {
                    url: url.to_string(),
                    again: next.to_string(),
                });
            }
            if exchanges.len() as u32 > limits.max_redirects {
                return Err(FetchError::TooManyRedirects {
                    url: url.to_string(),
                    limit: limits.max_redirects,
                });
            }
            seen.push(next.to_string());
            current = next;
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status {
                url: current.to_string(),
                status,
                reason: exchange.reason.clone(),
            });
        }
        let content_type = exchange
            .header("content-type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let body = decode(&current, &exchange, limits)?;
        exchanges.push(exchange);
        return Ok(Fetched {
            url: url.trim().to_string(),
            exchanges,
            body,
            content_type,
        });
    }
}

fn agent(limits: &FetchLimits, remaining: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(remaining))
        .timeout_connect(Some(limits.connect_timeout.min(remaining)))
        .timeout_per_read(Some(limits.stall_timeout))
        .user_agent(limits.user_agent.as_str())
        // Compression is asked for and undone here (within limits), not by the client.
        .accept_encoding("gzip, deflate")
        .build()
        .into()
}

fn classify(url: &url::Url, err: ureq::Error, limits: &FetchLimits) -> FetchError {
    let host = host_of(url);
    let text = err.to_string();
    match err {
        ureq::Error::Timeout(which) => FetchError::Timeout {
            url: url.to_string(),
            what: format!(
                "{which} timed out (limits: {} s without data, {} s in all)",
                limits.stall_timeout.as_secs_f32(),
                limits.total_timeout.as_secs_f32()
            ),
        },
        ureq::Error::Tls(why) => FetchError::Tls {
            host,
            why: why.to_string(),
        },
        ureq::Error::Rustls(why) => FetchError::Tls {
            host,
            why: why.to_string(),
        },
        ureq::Error::Pem(why) => FetchError::Tls {
            host,
            why: why.to_string(),
        },
        ureq::Error::HostNotFound => FetchError::Connect {
            host,
            why: "no such host (check the address, or the network)".into(),
        },
        ureq::Error::ConnectionFailed => FetchError::Connect {
            host,
            why: "the connection failed".into(),
        },
        ureq::Error::Io(io) => {
            // rustls reports a failed handshake as an I/O error around its own.
            let inner = io
                .get_ref()
                .map(|inner| format!("{inner:?}"))
                .unwrap_or_default();
            if url.scheme() == "https"
                && (inner.contains("InvalidContentType")
                    || inner.contains("InvalidMessage")
                    || inner.contains("Certificate")
                    || inner.contains("AlertReceived")
                    || inner.contains("HandshakeFailure"))
            {
                FetchError::Tls {
                    host,
                    why: io.to_string(),
                }
            } else if io.kind() == std::io::ErrorKind::TimedOut {
                FetchError::Timeout {
                    url: url.to_string(),
                    what: format!("no data for {} s", limits.stall_timeout.as_secs_f32()),
                }
            } else if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::ConnectionReset
            ) {
                FetchError::Connect {
                    host,
                    why: io.to_string(),
                }
            } else {
                FetchError::Other {
                    url: url.to_string(),
                    why: text,
                }
            }
        }
        _ => FetchError::Other {
            url: url.to_string(),
            why: text,
        },
    }
}

fn exchange(
    url: &url::Url,
    limits: &FetchLimits,
    remaining: Duration,
    accept: Accept,
    observer: &dyn Observer,
) -> Result<Exchange, FetchError> {
    let accept_header = match accept {
        Accept::Articles => {
            "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,application/pdf;q=0.8"
        }
        Accept::Anything => "*/*",
    };
    let agent = agent(limits, remaining);
    let response = agent
        .get(url.as_str())
        .header("Accept", accept_header)
        .call()
        .map_err(|err| classify(url, err, limits))?;
    let date = now_rfc3339();
    let status = response.status().as_u16();
    let reason = response
        .status()
        .canonical_reason()
        .unwrap_or("")
        .to_string();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !name.as_str().eq_ignore_ascii_case("transfer-encoding"))
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut request_head = format!(
        "GET {}{} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {}\r\nAccept: {accept_header}\r\nAccept-Encoding: gzip, deflate\r\n\r\n",
        url.path(),
        url.query().map(|q| format!("?{q}")).unwrap_or_default(),
        host_of(url),
        limits.user_agent
    );
    if request_head.contains('\n') && !request_head.ends_with("\r\n\r\n") {
        request_head.push_str("\r\n");
    }
    let mut exchange = Exchange {
        url: url.to_string(),
        request_head,
        status,
        reason,
        headers,
        body: Vec::new(),
        date,
        ip: None,
    };
    let redirect = (300..400).contains(&status);
    let success = (200..300).contains(&status);
    if success && accept == Accept::Articles {
        let content_type = exchange.header("content-type").unwrap_or("").to_string();
        if article_extension(&content_type).is_none() {
            return Err(FetchError::WrongType {
                url: url.to_string(),
                what: if content_type.trim().is_empty() {
                    "of no declared type (no Content-Type)".to_string()
                } else {
                    format!("“{}”", content_type.trim())
                },
            });
        }
    }
    if !success && !redirect {
        // An error page is not kept; its status says enough.
        return Ok(exchange);
    }
    let declared: Option<u64> = exchange
        .header("content-length")
        .and_then(|v| v.trim().parse().ok());
    if let Some(size) = declared
        && size > limits.max_body_bytes
    {
        return Err(FetchError::TooLarge {
            url: url.to_string(),
            size,
            limit: limits.max_body_bytes,
        });
    }
    let mut body = response.into_body();
    let mut reader = body
        .with_config()
        .limit(limits.max_body_bytes.saturating_add(1))
        .reader();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        if observer.cancelled() {
            return Err(FetchError::Cancelled);
        }
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => {
                let ureq_error = err
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<ureq::Error>())
                    .map(|e| e.to_string());
                if let Some(text) = &ureq_error
                    && text.contains("limit")
                {
                    return Err(FetchError::TooLarge {
                        url: url.to_string(),
                        size: exchange.body.len() as u64,
                        limit: limits.max_body_bytes,
                    });
                }
                let timed_out = err.kind() == std::io::ErrorKind::TimedOut
                    || ureq_error.as_deref().is_some_and(|t| t.contains("timeout"));
                return Err(if timed_out {
                    FetchError::Timeout {
                        url: url.to_string(),
                        what: format!(
                            "the body stalled after {} bytes (limits: {} s without data, {} s in all)",
                            exchange.body.len(),
                            limits.stall_timeout.as_secs_f32(),
                            limits.total_timeout.as_secs_f32()
                        ),
                    }
                } else {
                    FetchError::Other {
                        url: url.to_string(),
                        why: format!(
                            "the body broke off after {} bytes: {err}",
                            exchange.body.len()
                        ),
                    }
                });
            }
        };
        exchange.body.extend_from_slice(&buffer[..read]);
        if exchange.body.len() as u64 > limits.max_body_bytes {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                size: exchange.body.len() as u64,
                limit: limits.max_body_bytes,
            });
        }
        observer.progress(
            exchange.body.len(),
            declared.unwrap_or(0) as usize,
            &format!("Fetching {}", host_of(url)),
        );
    }
    Ok(exchange)
}

/// The final body, decompressed if it came compressed, within `max_decoded_bytes`.
fn decode(
    url: &url::Url,
    exchange: &Exchange,
    limits: &FetchLimits,
) -> Result<Vec<u8>, FetchError> {
    let encoding = exchange
        .header("content-encoding")
        .unwrap_or("identity")
        .trim()
        .to_ascii_lowercase();
    let limit = limits.max_decoded_bytes;
    let mut out = Vec::new();
    let bad = |why: std::io::Error| FetchError::BadEncoding {
        url: url.to_string(),
        encoding: encoding.clone(),
        why: why.to_string(),
    };
    match encoding.as_str() {
        "" | "identity" => {
            if exchange.body.len() as u64 > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    size: exchange.body.len() as u64,
                    limit,
                });
            }
            return Ok(exchange.body.clone());
        }
        "gzip" | "x-gzip" => {
            flate2::read::MultiGzDecoder::new(exchange.body.as_slice())
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(bad)?;
        }
        "deflate" => {
            // Servers send either zlib-wrapped or raw deflate under this name.
            let zlib = flate2::read::ZlibDecoder::new(exchange.body.as_slice())
                .take(limit + 1)
                .read_to_end(&mut out);
            if zlib.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(exchange.body.as_slice())
                    .take(limit + 1)
                    .read_to_end(&mut out)
                    .map_err(bad)?;
            }
        }
        other => {
            return Err(FetchError::BadEncoding {
                url: url.to_string(),
                encoding: other.to_string(),
                why: "Claimdesk asked for gzip or deflate only".into(),
            });
        }
    }
    if out.len() as u64 > limit {
        return Err(FetchError::Bomb {
            url: url.to_string(),
            limit,
        });
    }
    Ok(out)
}
