//! A client connection, plain TCP or TLS (with the `tls` feature), whose reads and writes each
//! finish before a deadline.

use std::io::{self, Read, Write};
use std::net::TcpStream;
#[cfg(feature = "tls")]
use std::sync::Arc;

use super::Deadline;

/// A connection to a server.
pub(crate) enum Conn {
    /// Plain TCP.
    Plain(TcpStream),
    /// TLS over TCP.
    #[cfg(feature = "tls")]
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
    /// Given up (while switching to TLS).
    #[cfg_attr(not(feature = "tls"), allow(dead_code))]
    Closed,
}

impl Conn {
    fn tcp(&self) -> io::Result<&TcpStream> {
        match self {
            Conn::Plain(s) => Ok(s),
            #[cfg(feature = "tls")]
            Conn::Tls(s) => Ok(&s.sock),
            Conn::Closed => Err(io::Error::new(
                io::ErrorKind::NotConnected,
                "connection closed",
            )),
        }
    }

    fn io(&mut self) -> io::Result<&mut dyn ReadWrite> {
        match self {
            Conn::Plain(s) => Ok(s),
            #[cfg(feature = "tls")]
            Conn::Tls(s) => Ok(&mut **s),
            Conn::Closed => Err(io::Error::new(
                io::ErrorKind::NotConnected,
                "connection closed",
            )),
        }
    }

    /// Whether the server closed the connection (or sent something unasked, which for
    /// request-response protocols means the same): a non-blocking peek at the socket.
    pub(crate) fn peer_closed(&self) -> bool {
        let Ok(tcp) = self.tcp() else {
            return true;
        };
        if tcp.set_nonblocking(true).is_err() {
            return true;
        }
        let mut byte = [0u8; 1];
        let closed =
            !matches!(tcp.peek(&mut byte), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
        let _ = tcp.set_nonblocking(false);
        closed
    }

    /// Whether the server ended a connection on which it sends nothing of its own (syslog):
    /// end of file, a TLS `close_notify`, or a broken socket. Unlike
    /// [`peer_closed`](Self::peer_closed), TLS records that arrived are read and processed
    /// without blocking, so that what a TLS 1.3 server sends after the handshake (session
    /// tickets) is not taken for a close; application data, if any, is discarded.
    ///
    /// # Errors
    ///
    /// The server ended the TLS session with a fatal alert (or sent what TLS refuses), an
    /// error of kind `InvalidData`: a TLS 1.3 server that refuses the client's certificate
    /// says so only after the client's handshake is done, when what was written on the
    /// session is lost. Reconnecting would not help; the error says what the server refused.
    pub(crate) fn ended_by_peer(&mut self) -> io::Result<bool> {
        match self {
            #[cfg(feature = "tls")]
            Conn::Tls(s) => {
                let s = &mut **s;
                if s.sock.set_nonblocking(true).is_err() {
                    return Ok(true);
                }
                let ended = loop {
                    match read_incoming(s) {
                        Incoming::Nothing => break Ok(false),
                        Incoming::Processed => {}
                        Incoming::EndOfFile | Incoming::CloseNotify | Incoming::Broken(_) => {
                            break Ok(true);
                        }
                        Incoming::Refused(e) => {
                            break Err(io::Error::new(io::ErrorKind::InvalidData, e));
                        }
                    }
                };
                let _ = s.sock.set_nonblocking(false);
                ended
            }
            _ => Ok(self.peer_closed()),
        }
    }

    /// Ends a TLS session politely (`close_notify`), spending at most `limit` on it; a plain
    /// connection has nothing to say. Best effort: the connection is dropped afterwards.
    pub(crate) fn close_notify(&mut self, limit: std::time::Duration) {
        #[cfg(feature = "tls")]
        if let Conn::Tls(s) = self {
            let s = &mut **s;
            s.conn.send_close_notify();
            let _ = s.sock.set_write_timeout(Some(limit));
            while s.conn.wants_write() {
                if !matches!(s.conn.write_tls(&mut s.sock), Ok(n) if n > 0) {
                    break;
                }
            }
        }
        #[cfg(not(feature = "tls"))]
        let _ = limit;
    }

    /// Writes all of `bytes` (and flushes TLS records) before the deadline.
    pub(crate) fn write_all(
        &mut self,
        mut bytes: &[u8],
        deadline: &Deadline,
        what: &str,
    ) -> io::Result<()> {
        while !bytes.is_empty() {
            let left = deadline.remaining(what)?;
            self.tcp()?.set_write_timeout(Some(left))?;
            self.tcp()?.set_read_timeout(Some(left))?;
            match self.io()?.write(bytes) {
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
        loop {
            let left = deadline.remaining(what)?;
            self.tcp()?.set_write_timeout(Some(left))?;
            match self.io()?.flush() {
                Ok(()) => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(deadline.map(e, what)),
            }
        }
    }

    /// Reads what is there (at least one byte, or 0 at end of file) before the deadline.
    pub(crate) fn read(
        &mut self,
        buf: &mut [u8],
        deadline: &Deadline,
        what: &str,
    ) -> io::Result<usize> {
        loop {
            let left = deadline.remaining(what)?;
            self.tcp()?.set_read_timeout(Some(left))?;
            self.tcp()?.set_write_timeout(Some(left))?;
            match self.io()?.read(buf) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(deadline.map(e, what)),
            }
        }
    }

    /// Starts TLS on this connection, verifying the server as `server_name`, and completes
    /// the handshake before the deadline.
    #[cfg(feature = "tls")]
    pub(crate) fn start_tls(
        &mut self,
        config: &Arc<rustls::ClientConfig>,
        server_name: &str,
        deadline: &Deadline,
    ) -> io::Result<()> {
        let name =
            rustls::pki_types::ServerName::try_from(server_name.to_owned()).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("TLS server name {server_name:?}: {e}"),
                )
            })?;
        let Conn::Plain(tcp) = std::mem::replace(self, Conn::Closed) else {
            return Err(io::Error::new(
                io::ErrorKind::NotConnected,
                "not a plain connection",
            ));
        };
        let conn = rustls::ClientConnection::new(Arc::clone(config), name)
            .map_err(|e| io::Error::other(format!("TLS: {e}")))?;
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        let what = "during the TLS handshake";
        while tls.conn.is_handshaking() {
            let left = deadline.remaining(what)?;
            tls.sock.set_read_timeout(Some(left))?;
            tls.sock.set_write_timeout(Some(left))?;
            match tls.conn.complete_io(&mut tls.sock) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(deadline.map(e, what)),
            }
        }
        *self = Conn::Tls(Box::new(tls));
        Ok(())
    }
}

impl Conn {
    /// Waits `window` after a TLS handshake for the server to end the session, for a server
    /// that decides about the client only once the handshake is done: a TLS 1.3 server
    /// checks the client's certificate after the client has finished its part, and rsyslog
    /// checks it after the whole handshake and resets the connection of a client it
    /// refuses. A client that writes at once (syslog, which never hears back) would lose
    /// what it wrote, unseen. Nothing but TLS's own messages (session tickets) is expected
    /// from the server; anything else is discarded.
    ///
    /// # Errors
    ///
    /// The server ended the session (an alert, a reset, end of file), as an error of kind
    /// `InvalidData` that says so: a configuration to fix, not an outage.
    #[cfg(feature = "tls")]
    pub(crate) fn await_acceptance(&mut self, window: std::time::Duration) -> io::Result<()> {
        let Conn::Tls(s) = self else {
            return Ok(());
        };
        let s = &mut **s;
        let refused = |how: &dyn std::fmt::Display| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the server ended the session right after the handshake ({how}): does it \
                     want a client certificate, or one it trusts?"
                ),
            )
        };
        let end = std::time::Instant::now() + window;
        let outcome = loop {
            let left = end.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break Ok(());
            }
            s.sock.set_read_timeout(Some(left))?;
            match read_incoming(s) {
                Incoming::Nothing => break Ok(()),
                Incoming::Processed => {}
                Incoming::EndOfFile => break Err(refused(&"end of file")),
                Incoming::CloseNotify => break Err(refused(&"close_notify")),
                Incoming::Refused(e) => break Err(refused(&e)),
                Incoming::Broken(e) => break Err(refused(&e)),
            }
        };
        s.sock.set_read_timeout(None)?;
        outcome
    }
}

impl Conn {
    /// Without the `tls` feature there is no TLS connection to wait on.
    #[cfg(not(feature = "tls"))]
    pub(crate) fn await_acceptance(&mut self, _window: std::time::Duration) -> io::Result<()> {
        Ok(())
    }

    /// Without the `tls` feature there is no TLS configuration to call this with.
    #[cfg(not(feature = "tls"))]
    pub(crate) fn start_tls(
        &mut self,
        config: &super::TlsConfig,
        _server_name: &str,
        _deadline: &Deadline,
    ) -> io::Result<()> {
        match *config {}
    }
}

/// Read and write, as one trait object.
trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// What one read of a TLS server's records found.
#[cfg(feature = "tls")]
enum Incoming {
    /// Nothing to read (yet): the socket would block, or its read timed out.
    Nothing,
    /// Records read and processed (session tickets; application data, discarded): read on.
    Processed,
    EndOfFile,
    CloseNotify,
    /// A fatal alert, or records TLS refuses.
    Refused(rustls::Error),
    /// The socket failed (a reset).
    Broken(io::Error),
}

/// Reads and processes what the server sent, once; a client of a protocol in which the
/// server says nothing (syslog) discards any application data.
#[cfg(feature = "tls")]
fn read_incoming(s: &mut rustls::StreamOwned<rustls::ClientConnection, TcpStream>) -> Incoming {
    match s.conn.read_tls(&mut s.sock) {
        Ok(0) => Incoming::EndOfFile,
        Ok(_) => match s.conn.process_new_packets() {
            Err(e) => Incoming::Refused(e),
            Ok(state) if state.peer_has_closed() => Incoming::CloseNotify,
            Ok(state) => {
                let mut left = state.plaintext_bytes_to_read();
                let mut sink = [0u8; 512];
                while left > 0 {
                    match s.conn.reader().read(&mut sink) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => left = left.saturating_sub(n),
                    }
                }
                Incoming::Processed
            }
        },
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            Incoming::Nothing
        }
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Incoming::Processed,
        Err(e) => Incoming::Broken(e),
    }
}
