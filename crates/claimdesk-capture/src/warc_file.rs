//! The archived copy as a WARC 1.1 file, written and read with the `warc` crate.

use std::path::Path;

use warc::{BufferedBody, Record, RecordBuilder, RecordType, WarcHeader, WarcReader, WarcWriter};

use crate::fetch::Fetched;
use claimdesk_core::project::Capture;

fn digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    format!(
        "sha256:{}",
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

fn date_of(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now())
}

fn record(
    kind: RecordType,
    date: &str,
    headers: &[(WarcHeader, String)],
    body: Vec<u8>,
) -> std::io::Result<Record<BufferedBody>> {
    let mut builder = RecordBuilder::default()
        .version("1.1".to_string())
        .warc_type(kind)
        .date(date_of(date))
        .body(body.clone())
        .header(WarcHeader::BlockDigest, digest(&body));
    for (name, value) in headers {
        builder = builder.header(name.clone(), value.as_str());
    }
    builder
        .build()
        .map_err(|err| std::io::Error::other(format!("a WARC record could not be made: {err}")))
}

/// The WARC file's bytes for `fetched`: `warcinfo`, then `request` + `response` per exchange.
pub fn to_bytes(fetched: &Fetched) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut writer = WarcWriter::new(&mut out);
    let first_date = fetched
        .exchanges
        .first()
        .map(|e| e.date.clone())
        .unwrap_or_default();
    let info_body = format!(
        "software: Claimdesk {}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\ndescription: the page an analyst added, kept so it can be read and cited after it changes\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let info = record(
        RecordType::WarcInfo,
        &first_date,
        &[(WarcHeader::ContentType, "application/warc-fields".into())],
        info_body.into_bytes(),
    )?;
    let info_id = info.warc_id().to_string();
    writer.write(&info)?;
    for exchange in &fetched.exchanges {
        let request = record(
            RecordType::Request,
            &exchange.date,
            &[
                (WarcHeader::TargetURI, exchange.url.clone()),
                (
                    WarcHeader::ContentType,
                    "application/http; msgtype=request".into(),
                ),
                (WarcHeader::WarcInfoID, info_id.clone()),
            ],
            exchange.request_head.clone().into_bytes(),
        )?;
        let mut response_bytes = exchange.response_head().into_bytes();
        response_bytes.extend_from_slice(&exchange.body);
        let mut headers = vec![
            (WarcHeader::TargetURI, exchange.url.clone()),
            (
                WarcHeader::ContentType,
                "application/http; msgtype=response".into(),
            ),
            (WarcHeader::PayloadDigest, digest(&exchange.body)),
            (WarcHeader::WarcInfoID, info_id.clone()),
            (WarcHeader::ConcurrentTo, request.warc_id().to_string()),
        ];
        if let Some(ip) = &exchange.ip {
            headers.push((WarcHeader::IPAddress, ip.clone()));
        }
        let response = record(
            RecordType::Response,
            &exchange.date,
            &headers,
            response_bytes,
        )?;
        writer.write(&request)?;
        writer.write(&response)?;
    }
    Ok(out)
}

/// Writes the WARC file for `fetched` at `path` (a new file; never a partial one under that
/// name).
pub fn write(path: &Path, fetched: &Fetched) -> std::io::Result<()> {
    let bytes = to_bytes(fetched)?;
    crate::write_new(path, &bytes).map_err(std::io::Error::other)
}

/// One `response` record of a WARC file, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchivedResponse {
    pub target: String,
    pub date: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as received (compressed if it came compressed).
    pub body: Vec<u8>,
    pub payload_digest: Option<String>,
}

/// Every `response` record of the WARC file at `path`, in order.
pub fn read_responses(path: &Path) -> std::io::Result<Vec<ArchivedResponse>> {
    // `WarcReader::from_path` asks for create access without write access, which the OS refuses.
    let reader = WarcReader::new(std::io::BufReader::new(std::fs::File::open(path)?));
    let mut out = Vec::new();
    for record in reader.iter_records() {
        let record = record.map_err(|err| std::io::Error::other(err.to_string()))?;
        if record.warc_type() != &RecordType::Response {
            continue;
        }
        let target = record
            .header(WarcHeader::TargetURI)
            .map(|t| t.into_owned())
            .unwrap_or_default();
        let payload_digest = record
            .header(WarcHeader::PayloadDigest)
            .map(|t| t.into_owned());
        let date = record
            .date()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let block = record.body();
        let split = block
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| std::io::Error::other("a response record without an HTTP head"))?;
        let head = String::from_utf8_lossy(&block[..split]).into_owned();
        let body = block[split + 4..].to_vec();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        out.push(ArchivedResponse {
            target,
            date,
            status,
            headers,
            body,
            payload_digest,
        });
    }
    Ok(out)
}

/// The capture a WARC file written by [`write`] holds: the first request's target, the final
/// response's target, date, status, content type and digest.
pub fn read_capture(path: &Path, archive: String) -> std::io::Result<Capture> {
    let responses = read_responses(path)?;
    let (Some(first), Some(last)) = (responses.first(), responses.last()) else {
        return Err(std::io::Error::other("no response record"));
    };
    let content_type = last
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_default();
    Ok(Capture {
        url: first.target.clone(),
        final_url: last.target.clone(),
        retrieved_at: last.date.clone(),
        status: last.status,
        content_type,
        content_hash: last
            .payload_digest
            .clone()
            .unwrap_or_else(|| digest(&last.body)),
        archive,
    })
}
