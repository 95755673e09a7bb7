//! A minimal HTTP/1.1 client over `TcpStream`: one request per connection, every step bounded
//! by one deadline, the response read up to its status line and headers.

use std::io;
use std::net::SocketAddr;

use crate::handler::net::{self, Conn, Deadline, TlsConfig};

/// A request ready to send: the bytes of the head and the body.
pub(crate) struct Request<'a> {
    pub(crate) head: &'a str,
    pub(crate) body: &'a [u8],
}

/// Sends the request (over TLS when `tls` is given: the settings and the server's name) and
/// returns the response's status code and reason.
pub(crate) fn send(
    addrs: &[SocketAddr],
    request: &Request<'_>,
    deadline: &Deadline,
    tls: Option<(&TlsConfig, &str)>,
) -> io::Result<(u16, String)> {
    let mut conn = Conn::Plain(net::connect(addrs, deadline)?);
    if let Some((config, name)) = tls {
        conn.start_tls(config, name, deadline)?;
    }
    let what = "sending the request";
    conn.write_all(request.head.as_bytes(), deadline, what)?;
    conn.write_all(request.body, deadline, what)?;
    read_status(&mut conn, deadline)
}

/// Reads until the end of the response's headers (at most 64 KiB) and parses the status line.
fn read_status(conn: &mut Conn, deadline: &Deadline) -> io::Result<(u16, String)> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let what = "waiting for the response";
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        if buf.len() > 64 * 1024 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "response headers longer than 64 KiB",
            ));
        }
        match conn.read(&mut chunk, deadline, what)? {
            0 if buf.is_empty() => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection without a response",
                ));
            }
            0 => break,
            n => buf.extend_from_slice(&chunk[..n]),
        }
    }
    parse_status(&buf)
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
