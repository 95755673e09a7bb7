//! Sending one export request: the body encoded (protobuf or JSON) and perhaps gzipped, POSTed
//! with logkit's HTTP client, retried as the OTLP/HTTP specification says.
//!
//! - 2xx: done; a `partial_success` with rejected records (or a message) is an error to report.
//! - 429, 502, 503, 504, and a connection that fails: retried with exponential back-off
//!   (1 s, 2 s, 4 s, … with ±20 % jitter) or after the `Retry-After` the server asks for
//!   (delay-seconds or an HTTP-date), as long as the wait
//!   ends before the export's deadline (the timeout, 10 s by default, covers every attempt,
//!   unless `retry_for` gives the retries longer; each attempt stays within the timeout).
//! - any other status: fails at once, with the server's message (its `google.rpc.Status`).
//!
//! The connection is kept for the next request when the server allows it (a collector keeps
//! it open); one the server closed meanwhile is replaced at once.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use prost::Message as _;

use super::env::Endpoint;
use super::proto::{ExportLogsServiceRequest, ExportLogsServiceResponse, Status};
use super::{OtlpCompression, OtlpProtocol, json};
use crate::handler::HandlerError;
use crate::handler::http::client::{self, FullResponse, Request};
use crate::handler::net::{self, Conn, Deadline, TlsConfig};

/// The first wait before a retry; doubled for each next one.
const FIRST_RETRY_DELAY: Duration = Duration::from_secs(1);
/// The longest wait between two attempts.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(32);

/// What sends export requests to one endpoint.
pub(crate) struct Exporter {
    pub(crate) endpoint: Endpoint,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) protocol: OtlpProtocol,
    pub(crate) compression: OtlpCompression,
    pub(crate) timeout: Duration,
    /// How long a batch is retried in all (at least the timeout).
    pub(crate) retry_for: Duration,
    pub(crate) tls: Option<TlsConfig>,
    /// The kept connection; held while a request is under way, so exports go one at a time.
    pub(crate) conn: Mutex<Option<Conn>>,
}

/// How one attempt ended, when it did not succeed.
enum Attempt {
    /// Worth another try (after the server's `Retry-After`, if it gave one).
    Retry(String, Option<Duration>),
    /// Not worth another.
    Fail(String),
}

impl Exporter {
    /// Encodes and sends `req` (holding `count` records), retrying as the module says.
    pub(crate) fn export(
        &self,
        req: &ExportLogsServiceRequest,
        count: usize,
    ) -> Result<(), HandlerError> {
        let body = self.encode(req);
        let head = self.head(body.len());
        let request = Request {
            head: &head,
            body: &body,
        };
        let retries_end = Deadline::after(self.retry_for);
        let url = self.endpoint.url();
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            // Each attempt within the timeout, and all of them within `retry_for`.
            let left = retries_end.remaining("").unwrap_or_default();
            let deadline = Deadline::after(self.timeout.min(left));
            let why = match self.attempt(&request, &deadline, count) {
                Ok(()) => return Ok(()),
                Err(Attempt::Fail(why)) => why,
                Err(Attempt::Retry(why, retry_after)) => {
                    let delay = retry_after.unwrap_or_else(|| back_off(attempts));
                    match retries_end.remaining("") {
                        Ok(left) if delay < left => {
                            std::thread::sleep(delay);
                            continue;
                        }
                        _ => format!(
                            "{why}; gave up after {attempts} attempt{} within {:?}",
                            if attempts == 1 { "" } else { "s" },
                            self.retry_for
                        ),
                    }
                }
            };
            return Err(HandlerError::other(format!(
                "OTLP export of {count} log record{} to {url} failed: {why}",
                if count == 1 { "" } else { "s" }
            )));
        }
    }

    fn encode(&self, req: &ExportLogsServiceRequest) -> Vec<u8> {
        let raw = match self.protocol {
            OtlpProtocol::HttpProtobuf => req.encode_to_vec(),
            OtlpProtocol::HttpJson => json::encode(req).into_bytes(),
        };
        match self.compression {
            OtlpCompression::None => raw,
            OtlpCompression::Gzip => {
                let mut gz = flate2::write::GzEncoder::new(
                    Vec::with_capacity(raw.len() / 4 + 64),
                    flate2::Compression::default(),
                );
                // Writing to a Vec cannot fail.
                let _ = gz.write_all(&raw);
                gz.finish().unwrap_or_default()
            }
        }
    }

    fn head(&self, len: usize) -> String {
        let mut head = String::with_capacity(256);
        head.push_str("POST ");
        head.push_str(&self.endpoint.path);
        head.push_str(" HTTP/1.1\r\nHost: ");
        head.push_str(&self.endpoint.host_header);
        head.push_str("\r\nUser-Agent: ");
        head.push_str(USER_AGENT);
        head.push_str("\r\nContent-Type: ");
        head.push_str(match self.protocol {
            OtlpProtocol::HttpProtobuf => "application/x-protobuf",
            OtlpProtocol::HttpJson => "application/json",
        });
        if self.compression == OtlpCompression::Gzip {
            head.push_str("\r\nContent-Encoding: gzip");
        }
        head.push_str("\r\nContent-Length: ");
        head.push_str(itoa::Buffer::new().format(len));
        for (k, v) in &self.headers {
            head.push_str("\r\n");
            head.push_str(k);
            head.push_str(": ");
            head.push_str(v);
        }
        head.push_str("\r\n\r\n");
        head
    }

    /// One attempt: on the kept connection (and again on a new one if the server had closed
    /// it), else on a new one.
    fn attempt(
        &self,
        request: &Request<'_>,
        deadline: &Deadline,
        count: usize,
    ) -> Result<(), Attempt> {
        let mut kept = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let mut conn = kept.take().filter(|c| !c.peer_closed());
        loop {
            let reused = conn.is_some();
            let mut c = match conn.take() {
                Some(c) => c,
                None => self.connect(deadline).map_err(|e| {
                    let why = format!("cannot connect: {e}");
                    if e.kind() == std::io::ErrorKind::TimedOut {
                        Attempt::Fail(why)
                    } else {
                        Attempt::Retry(why, None)
                    }
                })?,
            };
            match client::exchange_full(&mut c, request, deadline) {
                Ok(response) => {
                    if response.reusable {
                        *kept = Some(c);
                    }
                    return outcome(&response, count);
                }
                Err(f) if reused && f.stale => {}
                Err(f) => {
                    let timed_out = f.error.kind() == std::io::ErrorKind::TimedOut;
                    let why = format!("{}", f.error);
                    return Err(if timed_out || !f.stale {
                        Attempt::Fail(why)
                    } else {
                        Attempt::Retry(why, None)
                    });
                }
            }
        }
    }

    fn connect(&self, deadline: &Deadline) -> std::io::Result<Conn> {
        let addrs: Vec<SocketAddr> = net::resolve(&self.endpoint.host, self.endpoint.port)?;
        let tls = self.tls.as_ref().map(|c| (c, self.endpoint.host.as_str()));
        client::connect(&addrs, deadline, tls)
    }
}

/// What the exporter says it is: `OTel-OTLP-Exporter-<language>` as the specification asks,
/// then logkit's name and version.
const USER_AGENT: &str = concat!("OTel-OTLP-Exporter-Rust logkit/", env!("CARGO_PKG_VERSION"));

/// The wait before attempt `attempts + 1`: 1 s doubled per attempt up to 32 s, ±20 %.
fn back_off(attempts: u32) -> Duration {
    let base = FIRST_RETRY_DELAY
        .saturating_mul(1 << attempts.saturating_sub(1).min(5))
        .min(MAX_RETRY_DELAY);
    base.mul_f64(0.8 + 0.4 * random_unit())
}

/// A number in `[0, 1)` from std's randomly keyed hasher (enough for jitter).
fn random_unit() -> f64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether the specification says to retry after this status.
fn retryable(code: u16) -> bool {
    matches!(code, 429 | 502 | 503 | 504)
}

/// A response's meaning for the export.
fn outcome(response: &FullResponse, count: usize) -> Result<(), Attempt> {
    let code = response.head.code;
    let json = response
        .head
        .content_type
        .as_deref()
        .is_some_and(|t| t.contains("json"));
    if (200..300).contains(&code) {
        let (rejected, message) = partial_success(&response.body, json);
        if rejected == 0 && message.is_empty() {
            return Ok(());
        }
        return Err(Attempt::Fail(format!(
            "the collector accepted it partially: {rejected} of {count} rejected{}",
            if message.is_empty() {
                String::new()
            } else {
                format!(": {message}")
            }
        )));
    }
    let message = server_message(&response.body, json);
    let why = format!(
        "HTTP {code} {}{}",
        response.head.reason,
        if message.is_empty() {
            String::new()
        } else {
            format!(": {message}")
        }
    );
    if retryable(code) {
        let retry_after = response
            .head
            .retry_after
            .as_deref()
            .and_then(|v| retry_after(v, jiff::Timestamp::now()));
        Err(Attempt::Retry(why, retry_after))
    } else {
        Err(Attempt::Fail(why))
    }
}

/// The wait a `Retry-After` value asks for at `now`: delay-seconds, or an HTTP-date (its
/// IMF-fixdate form, `Sun, 06 Nov 1994 08:49:37 GMT`, in any letter case) less `now`
/// (nothing for a date already past).
fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let (_weekday, rest) = value.split_once(", ")?;
    let mut parts = rest.split(' ');
    let day: i8 = parts.next()?.parse().ok()?;
    let month = parts.next()?.to_ascii_lowercase();
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| *m == month)?;
    let year: i16 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(str::parse::<i8>);
    let (h, m, sec) = (hms.next()?.ok()?, hms.next()?.ok()?, hms.next()?.ok()?);
    if !parts.next()?.eq_ignore_ascii_case("gmt") || parts.next().is_some() {
        return None;
    }
    let month = i8::try_from(month + 1).ok()?;
    let at = jiff::tz::TimeZone::UTC
        .to_timestamp(jiff::civil::DateTime::new(year, month, day, h, m, sec, 0).ok()?)
        .ok()?;
    let wait = at.as_second().saturating_sub(now.as_second());
    Some(Duration::from_secs(u64::try_from(wait).unwrap_or(0)))
}

/// The rejected count and message of a success response's `partial_success`.
fn partial_success(body: &[u8], json: bool) -> (i64, String) {
    if body.is_empty() {
        return (0, String::new());
    }
    if json {
        let text = String::from_utf8_lossy(body);
        let rejected = json_field(&text, "rejectedLogRecords")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        (
            rejected,
            json_field(&text, "errorMessage").unwrap_or_default(),
        )
    } else {
        match ExportLogsServiceResponse::decode(body) {
            Ok(r) => r
                .partial_success
                .map(|p| (p.rejected_log_records, p.error_message))
                .unwrap_or_default(),
            Err(_) => (0, String::new()),
        }
    }
}

/// The message of an error response: its `google.rpc.Status`'s, or its text (cut short).
fn server_message(body: &[u8], json: bool) -> String {
    if body.is_empty() {
        return String::new();
    }
    if json {
        let text = String::from_utf8_lossy(body);
        if let Some(m) = json_field(&text, "message") {
            return m;
        }
    } else if let Ok(status) = Status::decode(body) {
        if !status.message.is_empty() {
            return status.message;
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// The value of `"name": …` in a flat JSON text: a string (unescaped) or a bare number.
/// Enough for the two small responses read here, without a JSON parser.
fn json_field(text: &str, name: &str) -> Option<String> {
    let at = text.find(&format!("\"{name}\""))? + name.len() + 2;
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    if let Some(s) = rest.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        out.push(
                            u32::from_str_radix(&hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .unwrap_or('\u{fffd}'),
                        );
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        None
    } else {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '-'))
            .unwrap_or(rest.len());
        (end > 0).then(|| rest[..end].to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::super::proto::ExportLogsPartialSuccess;
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now: jiff::Timestamp = "1994-11-06T08:49:30Z".parse().unwrap();
        assert_eq!(retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(7))
        );
        // The client lower-cases header values.
        assert_eq!(
            retry_after("sun, 06 nov 1994 08:50:30 gmt", now),
            Some(Duration::from_secs(60))
        );
        // A date already past: no wait.
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        for bad in [
            "soon",
            "-1",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "",
        ] {
            assert_eq!(retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn back_off_doubles_with_jitter() {
        for (attempts, secs) in [(1, 1.0), (2, 2.0), (3, 4.0), (7, 32.0), (30, 32.0)] {
            let d = back_off(attempts).as_secs_f64();
            assert!(d >= secs * 0.8 && d <= secs * 1.2, "{attempts}: {d}");
        }
    }

    #[test]
    fn partial_success_is_read_from_protobuf_and_json() {
        let body = ExportLogsServiceResponse {
            partial_success: Some(ExportLogsPartialSuccess {
                rejected_log_records: 2,
                error_message: "too old".into(),
            }),
        }
        .encode_to_vec();
        assert_eq!(partial_success(&body, false), (2, "too old".into()));
        assert_eq!(partial_success(b"", false), (0, String::new()));
        assert_eq!(
            partial_success(
                br#"{"partialSuccess":{"rejectedLogRecords":"3","errorMessage":"bad \"x\""}}"#,
                true
            ),
            (3, "bad \"x\"".into())
        );
        assert_eq!(partial_success(b"{}", true), (0, String::new()));
    }

    #[test]
    fn error_messages_come_from_the_status() {
        let body = Status {
            code: 3,
            message: "invalid body".into(),
        }
        .encode_to_vec();
        assert_eq!(server_message(&body, false), "invalid body");
        assert_eq!(
            server_message(br#"{"code":3,"message":"no \u00e9"}"#, true),
            "no é"
        );
        assert_eq!(server_message(b"plain text\n", true), "plain text");
    }
}
