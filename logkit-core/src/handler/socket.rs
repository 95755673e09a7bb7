//! `SocketHandler` and `DatagramHandler`: records pickled as CPython's handlers pickle them,
//! to a Python receiver (the logging cookbook's socket server, or any program that calls
//! `logging.makeLogRecord(pickle.loads(data))`) over TCP, UDP or a unix socket.
//!
//! As the syslog handler does, a stream connection the receiver closed is noticed before
//! the next write and reopened (a restarted receiver loses no record), a receiver that is
//! down costs one connection attempt per back-off period (1 s doubling to 30 s, CPython's
//! `retryStart`, `retryFactor` and `retryMax`), and each send is bounded by a timeout. Where
//! CPython drops the records of that period silently, logkit reports them.

mod pickle;

use std::fmt;
use std::io;
#[cfg(unix)]
use std::io::Read as _;
use std::net::{SocketAddr, TcpStream, UdpSocket};
#[cfg(unix)]
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

pub use pickle::socket_pickle;

use super::net::{self, Backoff, Deadline};
use super::{Handler, HandlerCore, HandlerError};
use crate::error::{Error, ErrorKind};
use crate::record::Record;

/// CPython's `logging.handlers.DEFAULT_TCP_LOGGING_PORT`: where [`SocketHandler`]s send by
/// convention.
///
/// # Examples
///
/// ```
/// assert_eq!(logkit::DEFAULT_TCP_LOGGING_PORT, 9020);
/// ```
pub const DEFAULT_TCP_LOGGING_PORT: u16 = 9020;

/// CPython's `logging.handlers.DEFAULT_UDP_LOGGING_PORT`: where [`DatagramHandler`]s send by
/// convention.
///
/// # Examples
///
/// ```
/// assert_eq!(logkit::DEFAULT_UDP_LOGGING_PORT, 9021);
/// ```
pub const DEFAULT_UDP_LOGGING_PORT: u16 = 9021;

/// The default bound on one send (CPython's handlers have none and may block for ever).
const TIMEOUT: Duration = Duration::from_secs(1);

/// Where a socket handler sends.
#[derive(Clone, Debug)]
enum Address {
    Inet {
        host: String,
        port: u16,
        resolved: Vec<SocketAddr>,
    },
    Unix(PathBuf),
}

impl Address {
    fn inet(host: &str, port: u16, class: &str) -> Result<Self, Error> {
        let resolved = net::resolve(host, port).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("{class}: cannot resolve {host}:{port}"),
            )
            .with_source(e)
        })?;
        Ok(Address::Inet {
            host: host.to_owned(),
            port,
            resolved,
        })
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Inet { host, port, .. } => write!(f, "{host}:{port}"),
            Address::Unix(path) => write!(f, "{}", path.display()),
        }
    }
}

/// CPython's `logging.handlers.SocketHandler`: each record pickled ([`socket_pickle`]) and
/// written to a TCP connection (or a unix stream socket), for a Python receiver to turn back
/// into a record — the logging cookbook's socket server logs it with its own handlers.
/// The handler's formatter is not used: the receiver formats.
///
/// It connects at its first record; a connection the receiver closed is reopened before the
/// next write; while the receiver is down, records are reported and dropped without a new
/// attempt for 1 s, doubling to 30 s. Each send is bounded by the timeout (1 s by default).
///
/// # Examples
///
/// ```no_run
/// use logkit::{SocketHandler, DEFAULT_TCP_LOGGING_PORT};
///
/// let handler = SocketHandler::new("localhost", DEFAULT_TCP_LOGGING_PORT)?;
/// logkit::root().add_handler(handler);
/// logkit::warning!("unpickled and handled by a Python receiver");
/// # Ok::<(), logkit::Error>(())
/// ```
pub struct SocketHandler {
    core: HandlerCore,
    address: Address,
    timeout: Duration,
    conn: Mutex<StreamConn>,
}

struct StreamConn {
    stream: Option<Stream>,
    backoff: Backoff,
}

enum Stream {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
}

impl SocketHandler {
    /// A handler sending to `host:port` over TCP (`SocketHandler(host, port)`).
    ///
    /// # Errors
    ///
    /// `host` does not resolve.
    ///
    /// # Examples
    ///
    /// ```
    /// // Nothing needs to listen: the handler connects at its first record.
    /// let handler = logkit::SocketHandler::new("127.0.0.1", 9020)?;
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn new(host: &str, port: u16) -> Result<Self, Error> {
        Ok(Self::to(Address::inet(host, port, "SocketHandler")?))
    }

    /// A handler sending to the unix stream socket at `path` (`SocketHandler(path, None)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let handler = logkit::SocketHandler::unix("/run/log-receiver.sock");
    /// ```
    pub fn unix(path: impl AsRef<Path>) -> Self {
        Self::to(Address::Unix(path.as_ref().to_owned()))
    }

    fn to(address: Address) -> Self {
        SocketHandler {
            core: HandlerCore::new(),
            address,
            timeout: TIMEOUT,
            conn: Mutex::new(StreamConn {
                stream: None,
                backoff: Backoff::default(),
            }),
        }
    }

    /// Bounds connecting and sending one record (1 s by default).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let handler = logkit::SocketHandler::unix("/run/log.sock").timeout(Duration::from_secs(5));
    /// ```
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout.max(Duration::from_millis(1));
        self
    }

    fn lock(&self) -> MutexGuard<'_, StreamConn> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn connect(&self, deadline: &Deadline) -> io::Result<Stream> {
        match &self.address {
            Address::Inet { resolved, .. } => net::connect(resolved, deadline).map(Stream::Tcp),
            #[cfg(unix)]
            Address::Unix(path) => UnixStream::connect(path).map(Stream::Unix),
            #[cfg(not(unix))]
            Address::Unix(path) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!("unix sockets ({}) need a Unix system", path.display()),
            )),
        }
    }

    /// Sends `bytes` whole: connecting first if needed, and once more on a new connection
    /// if the receiver had closed the old one or the write failed.
    fn send(&self, bytes: &[u8]) -> io::Result<()> {
        let deadline = Deadline::after(self.timeout);
        let mut conn = self.lock();
        let conn = &mut *conn;
        for attempt in 0..2 {
            if conn.stream.is_none() {
                if let Err(wait) = conn.backoff.check() {
                    return Err(net::backing_off(
                        &format!("the log receiver at {}", self.address),
                        wait,
                    ));
                }
                match self.connect(&deadline) {
                    Ok(s) => {
                        conn.backoff.succeeded();
                        conn.stream = Some(s);
                    }
                    Err(e) => {
                        conn.backoff.failed();
                        return Err(io::Error::new(
                            e.kind(),
                            format!(
                                "cannot connect to the log receiver at {}: {e}",
                                self.address
                            ),
                        ));
                    }
                }
            }
            let Some(stream) = conn.stream.as_mut() else {
                continue;
            };
            if attempt == 0 && stream.closed_by_peer() {
                conn.stream = None;
                continue;
            }
            match stream.write_all(bytes, &deadline) {
                Ok(()) => return Ok(()),
                Err(e) => {
                    // A half-written record must not be continued on this connection.
                    conn.stream = None;
                    if attempt == 1 || e.kind() == io::ErrorKind::TimedOut {
                        return Err(io::Error::new(
                            e.kind(),
                            format!("sending to the log receiver at {}: {e}", self.address),
                        ));
                    }
                }
            }
        }
        Err(io::Error::new(
            io::ErrorKind::NotConnected,
            format!("the log receiver at {} closed the connection", self.address),
        ))
    }
}

impl Stream {
    /// Whether the receiver closed the connection: a non-blocking read that finds end of
    /// file (or fails). A receiver never writes to its clients; anything read is discarded.
    fn closed_by_peer(&mut self) -> bool {
        match self {
            Stream::Tcp(s) => {
                let s: &TcpStream = s;
                net::stream_closed(&|b| s.set_nonblocking(b), &mut |buf| s.peek(buf))
            }
            #[cfg(unix)]
            Stream::Unix(s) => {
                let s: &UnixStream = s;
                let mut r = s;
                net::stream_closed(&|b| s.set_nonblocking(b), &mut |buf| r.read(buf))
            }
        }
    }

    fn write_all(&mut self, bytes: &[u8], deadline: &Deadline) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => {
                let s: &TcpStream = s;
                net::write_all_within(
                    &mut { s },
                    &|d| s.set_write_timeout(Some(d)),
                    bytes,
                    deadline,
                    "sending",
                )
            }
            #[cfg(unix)]
            Stream::Unix(s) => {
                let s: &UnixStream = s;
                net::write_all_within(
                    &mut { s },
                    &|d| s.set_write_timeout(Some(d)),
                    bytes,
                    deadline,
                    "sending",
                )
            }
        }
    }
}

impl Handler for SocketHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(self.address.to_string())
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let bytes = socket_pickle(record)?;
        self.send(&bytes)?;
        Ok(())
    }

    fn close(&self) -> Result<(), HandlerError> {
        self.lock().stream = None;
        Ok(())
    }
}

impl fmt::Debug for SocketHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketHandler")
            .field("address", &self.address.to_string())
            .field("timeout", &self.timeout)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}

/// CPython's `logging.handlers.DatagramHandler`: each record pickled ([`socket_pickle`]) in
/// one UDP datagram (or one datagram on a unix socket), length prefix included, as CPython
/// sends it. Nothing is acknowledged: a receiver that is down loses the records unseen, and
/// a record whose pickle is larger than a datagram can be (about 64 KiB) is reported.
///
/// # Examples
///
/// ```no_run
/// use logkit::{DatagramHandler, DEFAULT_UDP_LOGGING_PORT};
///
/// let handler = DatagramHandler::new("localhost", DEFAULT_UDP_LOGGING_PORT)?;
/// logkit::root().add_handler(handler);
/// # Ok::<(), logkit::Error>(())
/// ```
pub struct DatagramHandler {
    core: HandlerCore,
    address: Address,
    socket: Mutex<Option<Datagram>>,
}

enum Datagram {
    Udp(UdpSocket, SocketAddr),
    #[cfg(unix)]
    Unix(UnixDatagram),
}

impl DatagramHandler {
    /// A handler sending to `host:port` over UDP (`DatagramHandler(host, port)`).
    ///
    /// # Errors
    ///
    /// `host` does not resolve.
    ///
    /// # Examples
    ///
    /// ```
    /// let handler = logkit::DatagramHandler::new("127.0.0.1", 9021)?;
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn new(host: &str, port: u16) -> Result<Self, Error> {
        Ok(Self::to(Address::inet(host, port, "DatagramHandler")?))
    }

    /// A handler sending to the unix datagram socket at `path` (`DatagramHandler(path,
    /// None)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let handler = logkit::DatagramHandler::unix("/run/log-receiver.sock");
    /// ```
    pub fn unix(path: impl AsRef<Path>) -> Self {
        Self::to(Address::Unix(path.as_ref().to_owned()))
    }

    fn to(address: Address) -> Self {
        DatagramHandler {
            core: HandlerCore::new(),
            address,
            socket: Mutex::new(None),
        }
    }

    fn open(&self) -> io::Result<Datagram> {
        match &self.address {
            Address::Inet { resolved, .. } => {
                let target = resolved[0];
                let bind: SocketAddr = if target.is_ipv4() {
                    ([0, 0, 0, 0], 0).into()
                } else {
                    ([0u16; 8], 0).into()
                };
                let socket = UdpSocket::bind(bind)?;
                socket.set_write_timeout(Some(TIMEOUT))?;
                Ok(Datagram::Udp(socket, target))
            }
            #[cfg(unix)]
            Address::Unix(path) => {
                let socket = UnixDatagram::unbound()?;
                socket.set_write_timeout(Some(TIMEOUT))?;
                socket.connect(path)?;
                Ok(Datagram::Unix(socket))
            }
            #[cfg(not(unix))]
            Address::Unix(path) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!("unix sockets ({}) need a Unix system", path.display()),
            )),
        }
    }

    fn send(&self, bytes: &[u8]) -> io::Result<()> {
        let mut socket = self.socket.lock().unwrap_or_else(PoisonError::into_inner);
        if socket.is_none() {
            let opened = self.open().map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot open a socket to the log receiver at {}: {e}",
                        self.address
                    ),
                )
            })?;
            *socket = Some(opened);
        }
        let sent = match socket.as_ref() {
            Some(Datagram::Udp(s, target)) => s.send_to(bytes, target).map(drop),
            #[cfg(unix)]
            Some(Datagram::Unix(s)) => s.send(bytes).map(drop),
            None => Ok(()),
        };
        sent.map_err(|e| {
            // A unix socket whose receiver went away is reconnected at the next record.
            *socket = None;
            io::Error::new(
                e.kind(),
                format!("sending to the log receiver at {}: {e}", self.address),
            )
        })
    }
}

impl Handler for DatagramHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(self.address.to_string())
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let bytes = socket_pickle(record)?;
        self.send(&bytes)?;
        Ok(())
    }

    fn close(&self) -> Result<(), HandlerError> {
        *self.socket.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(())
    }
}

impl fmt::Debug for DatagramHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatagramHandler")
            .field("address", &self.address.to_string())
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}
