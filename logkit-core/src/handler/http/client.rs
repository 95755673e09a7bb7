//! A minimal HTTP/1.1 client over `TcpStream` (or TLS): every step bounded by one deadline; the
//! connection kept for the next request when the response allows it (HTTP/1.1, a
//! `Content-Length` or no body, no `Connection: close`).
//!
//! The response's body is not waited for: what has arrived with the headers is skipped now,
//! the rest before the next response. Waiting would cost up to 40 ms per record against a
//! server that writes its headers and body in two segments (Python's `http.server`): Nagle's
//! algorithm holds the body back until the client's delayed acknowledgement, which the next
//! request carries at once.

use std::io;
use std::net::SocketAddr;

use crate::handler::net::{self, Conn, Deadline, TlsConfig};

/// A request ready to send: the bytes of the head and the body.
pub(crate) struct Request<'a> {
    pub(crate) head: &'a str,
    pub(crate) body: &'a [u8],
}

/// A response's status, and whether the connection may carry the next request.
pub(crate) struct Response {
    pub(crate) code: u16,
    pub(crate) reason: String,
    pub(crate) reusable: bool,
    /// Bytes of this response's body still to come, to skip before the next response.
    pub(crate) leftover: usize,
}

/// Opens a connection (with TLS when `tls` is given: the settings and the server's name).
pub(crate) fn connect(
    addrs: &[SocketAddr],
    deadline: &Deadline,
    tls: Option<(&TlsConfig, &str)>,
) -> io::Result<Conn> {
    let mut conn = Conn::Plain(net::connect(addrs, deadline)?);
    if let Some((config, name)) = tls {
        conn.start_tls(config, name, deadline)?;
    }
    Ok(conn)
}

/// Why an exchange failed, and whether the server can have seen the request.
pub(crate) struct Failure {
    pub(crate) error: io::Error,
    /// Nothing came back and the failure was not a timeout: on a kept connection, the server
    /// had closed it (a retry on a new connection is safe).
    pub(crate) stale: bool,
}

/// Sends the request on `conn`, skips `leftover` bytes (the rest of the previous response's
/// body), and reads the response's head.
pub(crate) fn exchange(
    conn: &mut Conn,
    leftover: usize,
    request: &Request<'_>,
    deadline: &Deadline,
) -> Result<Response, Failure> {
    let (mut reader, head) = send_and_read_head(conn, leftover, request, deadline)?;
    let ResponseHead {
        code,
        reason,
        http11,
        close,
        length,
        ..
    } = head;
    let (reusable, leftover) = match length {
        Some(len) => {
            let now = len.min(reader.buf.len());
            reader.buf.drain(..now);
            // Anything after the body would be a response to no request.
            (http11 && !close && reader.buf.is_empty(), len - now)
        }
        None => (false, 0),
    };
    Ok(Response {
        code,
        reason,
        reusable,
        leftover,
    })
}

/// Sends the request on `conn`, skips `leftover` bytes of the previous response's body, and
/// reads the response's head: the reader (holding what came after the head) and the head.
fn send_and_read_head<'c>(
    conn: &'c mut Conn,
    leftover: usize,
    request: &Request<'_>,
    deadline: &'c Deadline,
) -> Result<(Reader<'c>, ResponseHead), Failure> {
    let stale = |error: io::Error| {
        let stale = !matches!(
            error.kind(),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
        );
        Failure { error, stale }
    };
    let what = "sending the request";
    conn.write_all(request.head.as_bytes(), deadline, what)
        .map_err(stale)?;
    conn.write_all(request.body, deadline, what)
        .map_err(stale)?;
    let mut reader = Reader {
        conn,
        buf: Vec::with_capacity(1024),
        deadline,
    };
    reader.skip(leftover).map_err(stale)?;
    let head = reader.head().map_err(|e| {
        let nothing = reader.buf.is_empty();
        let mut f = stale(e);
        f.stale &= nothing;
        f
    })?;
    let head = parse_head(&head).map_err(|error| Failure {
        error,
        stale: false,
    })?;
    Ok((reader, head))
}

/// A response read whole: its head and its body (up to [`MAX_BODY`] bytes; a chunked body
/// or one without a length is not read, and the connection is not kept).
#[cfg(feature = "otlp")]
pub(crate) struct FullResponse {
    pub(crate) head: ResponseHead,
    pub(crate) body: Vec<u8>,
    /// Whether the connection may carry the next request.
    pub(crate) reusable: bool,
}

/// Sends the request on `conn` and reads the response, body included (a body longer than
/// [`MAX_BODY`] is not read, and the connection is not kept).
#[cfg(feature = "otlp")]
pub(crate) fn exchange_full(
    conn: &mut Conn,
    request: &Request<'_>,
    deadline: &Deadline,
) -> Result<FullResponse, Failure> {
    let (mut reader, head) = send_and_read_head(conn, 0, request, deadline)?;
    let Some(len) = head.length else {
        return Ok(FullResponse {
            head,
            body: Vec::new(),
            reusable: false,
        });
    };
    while reader.buf.len() < len {
        reader.fill().map_err(|error| Failure {
            error,
            stale: false,
        })?;
    }
    let body: Vec<u8> = reader.buf.drain(..len).collect();
    let reusable = head.http11 && !head.close && reader.buf.is_empty();
    Ok(FullResponse {
        head,
        body,
        reusable,
    })
}

/// The largest response body read to keep a connection; a larger one closes it.
const MAX_BODY: usize = 1 << 20;

struct Reader<'c> {
    conn: &'c mut Conn,
    buf: Vec<u8>,
    deadline: &'c Deadline,
}

impl Reader<'_> {
    fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 4096];
        match self
            .conn
            .read(&mut chunk, self.deadline, "waiting for the response")?
        {
            0 => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection without a (complete) response",
            )),
            n => {
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(())
            }
        }
    }

    /// The status line and headers (at most 64 KiB), consumed from the buffer.
    fn head(&mut self) -> io::Result<Vec<u8>> {
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                return Ok(self.buf.drain(..end + 4).collect());
            }
            if self.buf.len() > 64 * 1024 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "response headers longer than 64 KiB",
                ));
            }
            self.fill()?;
        }
    }

    /// Skips `len` bytes.
    fn skip(&mut self, mut len: usize) -> io::Result<()> {
        while len > 0 {
            if self.buf.is_empty() {
                self.fill()?;
            }
            let n = len.min(self.buf.len());
            self.buf.drain(..n);
            len -= n;
        }
        Ok(())
    }
}

/// What a response's status line and headers say.
#[derive(Debug)]
pub(crate) struct ResponseHead {
    pub(crate) code: u16,
    pub(crate) reason: String,
    pub(crate) http11: bool,
    /// `Connection: close`.
    pub(crate) close: bool,
    /// The body's length when it is known and small enough to read past (`None`: chunked,
    /// unknown or too long; the connection is then not kept).
    pub(crate) length: Option<usize>,
    /// `Retry-After`, lowercased.
    #[cfg_attr(not(feature = "otlp"), allow(dead_code))]
    pub(crate) retry_after: Option<String>,
    /// `Content-Type`, lowercased.
    #[cfg_attr(not(feature = "otlp"), allow(dead_code))]
    pub(crate) content_type: Option<String>,
}

/// Reads a response's head (status line and headers, as `Reader::head` returns them).
///
/// # Errors
///
/// A status line that is not HTTP's.
pub(crate) fn parse_head(head: &[u8]) -> io::Result<ResponseHead> {
    let (code, reason) = parse_status(head)?;
    let text = String::from_utf8_lossy(head);
    let header = |name: &str| {
        text.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_ascii_lowercase())
        })
    };
    let no_body = code == 204 || code == 304 || (100..200).contains(&code);
    let length = if no_body {
        Some(0)
    } else if header("transfer-encoding").is_some() {
        None // chunked: not worth keeping the connection for
    } else {
        header("content-length")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n <= MAX_BODY)
    };
    Ok(ResponseHead {
        code,
        reason,
        http11: text.starts_with("HTTP/1.1"),
        close: header("connection").is_some_and(|v| v.contains("close")),
        length,
        retry_after: header("retry-after"),
        content_type: header("content-type"),
    })
}

/// `HTTP/1.1 200 OK` → (200, "OK").
pub(crate) fn parse_status(response: &[u8]) -> io::Result<(u16, String)> {
    let line_end = response
        .windows(2)
        .position(|w| w == b"\r\n")
        .unwrap_or(response.len());
    let line = String::from_utf8_lossy(&response[..line_end]);
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    let code = parts.next().and_then(|c| c.parse::<u16>().ok());
    match code {
        Some(code) if version.starts_with("HTTP/") => {
            Ok((code, parts.next().unwrap_or("").to_owned()))
        }
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not an HTTP response: {line:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipping_reads_only_what_is_owed() {
        let deadline = Deadline::after(std::time::Duration::from_secs(1));
        let mut conn = Conn::Closed;
        let mut r = Reader {
            conn: &mut conn,
            buf: b"okHTTP/1.1 200 OK\r\n\r\nNEXT".to_vec(),
            deadline: &deadline,
        };
        r.skip(2).unwrap();
        assert_eq!(r.head().unwrap(), b"HTTP/1.1 200 OK\r\n\r\n");
        assert_eq!(r.buf, b"NEXT");
        assert!(
            r.skip(5).is_err(),
            "reads past the buffer from the (closed) connection"
        );
    }

    #[test]
    fn status_lines() {
        assert_eq!(
            parse_status(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\n").unwrap(),
            (200, "OK".to_owned())
        );
        assert_eq!(
            parse_status(b"HTTP/1.0 503 Service Unavailable\r\n\r\n").unwrap(),
            (503, "Service Unavailable".to_owned())
        );
        assert!(parse_status(b"SSH-2.0-OpenSSH\r\n").is_err());
    }
}
