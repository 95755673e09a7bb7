//! What the network handlers share: connecting with a deadline, backing off from a server
//! that is down, the host's name, and base64 for credentials; a connection that may be TLS
//! (`conn`), and the TLS settings (`tls`, with the `tls` feature).

mod conn;
#[cfg(feature = "tls")]
pub(crate) mod tls;

pub(crate) use conn::Conn;

/// TLS client settings: rustls's with the `tls` feature; without it, a type with no value,
/// so that code paths needing TLS exist but cannot be reached.
#[cfg(feature = "tls")]
pub(crate) type TlsConfig = std::sync::Arc<rustls::ClientConfig>;
/// TLS client settings: none without the `tls` feature.
#[cfg(not(feature = "tls"))]
pub(crate) type TlsConfig = std::convert::Infallible;

use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A point in time after which an exchange with a server gives up, so that a record never
/// holds the logging thread longer than the handler's timeout.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    end: Instant,
    total: Duration,
}

impl Deadline {
    /// `timeout` from now.
    pub(crate) fn after(timeout: Duration) -> Self {
        Deadline {
            end: Instant::now() + timeout,
            total: timeout,
        }
    }

    /// The time left, or a `TimedOut` error naming `what` once it has passed.
    pub(crate) fn remaining(&self, what: &str) -> io::Result<Duration> {
        let left = self.end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(self.timed_out(what))
        } else {
            Ok(left)
        }
    }

    /// The error of running out of time while doing `what`.
    pub(crate) fn timed_out(&self, what: &str) -> io::Error {
        io::Error::new(
            io::ErrorKind::TimedOut,
            format!("timed out after {:?} {what}", self.total),
        )
    }

    /// Turns a `WouldBlock` (what a timed-out socket read or write returns) into `TimedOut`.
    pub(crate) fn map(&self, err: io::Error, what: &str) -> io::Error {
        match err.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => self.timed_out(what),
            _ => err,
        }
    }
}

/// Writes all of `bytes` before the deadline, setting the socket's write timeout to the time
/// left before each `write` (`set_timeout`).
pub(crate) fn write_all_within(
    w: &mut dyn io::Write,
    set_timeout: &dyn Fn(Duration) -> io::Result<()>,
    mut bytes: &[u8],
    deadline: &Deadline,
    what: &str,
) -> io::Result<()> {
    while !bytes.is_empty() {
        set_timeout(deadline.remaining(what)?)?;
        match w.write(bytes) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "connection closed",
                ));
            }
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(deadline.map(e, what)),
        }
    }
    Ok(())
}

/// Whether the server closed a stream on which it never writes (syslog, a log receiver): a
/// non-blocking `read` (or peek) that finds end of file or fails; anything read is
/// discarded. `false` when the socket cannot be made non-blocking.
pub(crate) fn stream_closed(
    set_nonblocking: &dyn Fn(bool) -> io::Result<()>,
    read: &mut dyn FnMut(&mut [u8]) -> io::Result<usize>,
) -> bool {
    if set_nonblocking(true).is_err() {
        return false;
    }
    let mut byte = [0u8; 1];
    let closed = match read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    let _ = set_nonblocking(false);
    closed
}

/// Resolves `host:port` (the system resolver; not bounded by a deadline).
pub(crate) fn resolve(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = (host, port).to_socket_addrs()?.collect();
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{host}:{port} resolves to no address"),
        ));
    }
    Ok(addrs)
}

/// Connects to the first address that accepts, within the deadline.
pub(crate) fn connect(addrs: &[SocketAddr], deadline: &Deadline) -> io::Result<TcpStream> {
    let mut last = None;
    for addr in addrs {
        let left = deadline.remaining("connecting")?;
        match TcpStream::connect_timeout(addr, left) {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = Some(io::Error::new(e.kind(), format!("connect to {addr}: {e}"))),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no address")))
}

/// Whether `host` names this machine's loopback interface.
pub(crate) fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Retry pacing for a server that is down: after a failure, no new attempt for 1 s, then
/// 2 s, 4 s, … up to 30 s (CPython's `SocketHandler` schedule); reset by a success. Records
/// in between fail at once instead of each waiting for a connection timeout.
#[derive(Debug, Default)]
pub(crate) struct Backoff {
    next_try: Option<Instant>,
    delay: Duration,
}

impl Backoff {
    const START: Duration = Duration::from_secs(1);
    const MAX: Duration = Duration::from_secs(30);

    /// `Err(wait)` while a retry is not due yet.
    pub(crate) fn check(&self) -> Result<(), Duration> {
        match self.next_try {
            Some(t) => {
                let now = Instant::now();
                if now >= t { Ok(()) } else { Err(t - now) }
            }
            None => Ok(()),
        }
    }

    /// Records a failed attempt.
    pub(crate) fn failed(&mut self) {
        self.delay = if self.delay.is_zero() {
            Self::START
        } else {
            (self.delay * 2).min(Self::MAX)
        };
        self.next_try = Some(Instant::now() + self.delay);
    }

    /// Records a success.
    pub(crate) fn succeeded(&mut self) {
        self.next_try = None;
        self.delay = Duration::ZERO;
    }
}

/// The error of a record dropped while waiting to retry.
pub(crate) fn backing_off(what: &str, wait: Duration) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        format!(
            "{what} is unreachable; record dropped, next connection attempt in {:.1} s",
            wait.as_secs_f64()
        ),
    )
}

/// The machine's host name (from the kernel), or `localhost`.
pub(crate) fn hostname() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        ["/proc/sys/kernel/hostname", "/etc/hostname"]
            .iter()
            .find_map(|p| {
                let s = std::fs::read_to_string(p).ok()?;
                let s = s.trim();
                (!s.is_empty()).then(|| s.to_owned())
            })
            .unwrap_or_else(|| "localhost".to_owned())
    })
}

/// The program's name: the file name of `argv[0]`.
pub(crate) fn program_name() -> String {
    std::env::args_os()
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_default()
}

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("\0logkit\0secret", "AGxvZ2tpdABzZWNyZXQ="),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
    }

    #[test]
    fn loopback_names() {
        assert!(is_loopback("localhost"));
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("[::1]"));
        assert!(!is_loopback("example.com"));
        assert!(!is_loopback("10.0.0.1"));
    }

    #[test]
    fn backoff_doubles_and_resets() {
        let mut b = Backoff::default();
        assert!(b.check().is_ok());
        b.failed();
        assert!(b.check().is_err());
        b.failed();
        assert_eq!(b.delay, Duration::from_secs(2));
        b.succeeded();
        assert!(b.check().is_ok());
    }
}
