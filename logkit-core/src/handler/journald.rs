//! `JournaldHandler`: records to systemd-journald over its native protocol.
//!
//! Each record is one datagram to `/run/systemd/journal/socket` of fields: `MESSAGE` (the
//! formatted record), `PRIORITY` (the syslog severity, as [`SysLogHandler`](super::SysLogHandler)
//! maps levels), `LOGGER`, `CODE_FILE`, `CODE_LINE`, `CODE_FUNC` (when known), `CODE_MODULE`,
//! `THREAD_NAME`, `SYSLOG_IDENTIFIER`, the exception text as `EXCEPTION_TEXT`, and the record's
//! user fields upper-cased (see [`journal_field_name`]). Values with newlines use the binary
//! encoding. An entry too large for one datagram is written to a sealed memfd whose
//! descriptor is passed to journald (what `sd_journal_send` does). Linux only, with the
//! `journald` feature (which brings in `rustix` for `memfd_create` and `sendmsg`).

mod wire;

use std::fmt;
use std::io;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use wire::journal_field_name;

use super::{Handler, HandlerCore, HandlerError};
use crate::record::Record;

/// The socket of the system's journald.
pub const JOURNALD_SOCKET: &str = "/run/systemd/journal/socket";

/// The fields a record's user fields may not replace.
const OWN_FIELDS: [&str; 10] = [
    "MESSAGE",
    "PRIORITY",
    "LOGGER",
    "CODE_FILE",
    "CODE_LINE",
    "CODE_FUNC",
    "CODE_MODULE",
    "THREAD_NAME",
    "SYSLOG_IDENTIFIER",
    "EXCEPTION_TEXT",
];

/// Options for a [`JournaldHandler`]; see [`JournaldHandler::options`].
#[derive(Clone, Debug)]
pub struct JournaldHandlerBuilder {
    socket: PathBuf,
    identifier: Option<String>,
    fields: Vec<(String, String)>,
    timeout: Duration,
}

impl JournaldHandlerBuilder {
    /// The journal socket ([`JOURNALD_SOCKET`] by default; a journald namespace `NS` listens
    /// on `/run/systemd/journal.NS/socket`).
    #[must_use]
    pub fn socket(mut self, path: impl AsRef<Path>) -> Self {
        self.socket = path.as_ref().to_path_buf();
        self
    }

    /// `SYSLOG_IDENTIFIER` (the program's file name by default).
    #[must_use]
    pub fn syslog_identifier(mut self, identifier: &str) -> Self {
        self.identifier = Some(identifier.to_owned());
        self
    }

    /// A field sent with every record (its name made valid as [`journal_field_name`] does;
    /// a name with nothing valid in it is ignored).
    #[must_use]
    pub fn field(mut self, name: &str, value: &str) -> Self {
        if let Some(n) = journal_field_name(name) {
            self.fields.push((n, value.to_owned()));
        }
        self
    }

    /// The most time one record may wait for room in journald's queue (1 s by default).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the handler. Nothing is checked yet: a journal that is not running is reported
    /// at each record.
    ///
    /// # Errors
    ///
    /// The socket cannot be created, or the timeout is zero.
    pub fn build(self) -> Result<JournaldHandler, crate::Error> {
        if self.timeout.is_zero() {
            return Err(crate::Error::new(
                crate::ErrorKind::InvalidArgument,
                "JournaldHandler: the timeout must be greater than zero",
            ));
        }
        let socket = UnixDatagram::unbound()
            .and_then(|s| s.set_write_timeout(Some(self.timeout)).map(|()| s))
            .map_err(|e| {
                crate::Error::new(
                    crate::ErrorKind::Io,
                    "JournaldHandler: cannot create a socket",
                )
                .with_source(e)
            })?;
        Ok(JournaldHandler {
            core: HandlerCore::new(),
            identifier: self.identifier.unwrap_or_else(super::net::program_name),
            path: self.socket,
            fields: self.fields,
            socket,
        })
    }
}

/// Sends records to systemd-journald (what python-systemd's `JournalHandler` does for
/// Python; configurations name it `JournaldHandler`).
///
/// # Examples
///
/// ```
/// use logkit::{Handler, JournaldHandler, Level, get_logger};
///
/// let journal = JournaldHandler::options()
///     .syslog_identifier("shop")
///     .field("deployment", "blue")
///     .build()?;
/// get_logger("shop").add_handler(journal);
/// // Read back with `journalctl -t shop -o verbose`.
/// # Ok::<(), logkit::Error>(())
/// ```
pub struct JournaldHandler {
    core: HandlerCore,
    path: PathBuf,
    identifier: String,
    fields: Vec<(String, String)>,
    socket: UnixDatagram,
}

impl JournaldHandler {
    /// A handler for the system journal, with the defaults.
    ///
    /// # Errors
    ///
    /// The socket cannot be created.
    pub fn new() -> Result<Self, crate::Error> {
        JournaldHandler::options().build()
    }

    /// Options.
    pub fn options() -> JournaldHandlerBuilder {
        JournaldHandlerBuilder {
            socket: PathBuf::from(JOURNALD_SOCKET),
            identifier: None,
            fields: Vec::new(),
            timeout: Duration::from_secs(1),
        }
    }

    /// The journal socket's path.
    pub fn socket_path(&self) -> &Path {
        &self.path
    }

    /// The datagram of a record whose formatted text is `message`.
    fn entry(&self, record: &Record<'_>, message: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(message.len() + 256);
        wire::field(&mut out, "MESSAGE", message.as_bytes());
        let priority = super::syslog::syslog_severity(&record.level_name());
        wire::field(&mut out, "PRIORITY", &[b'0' + priority]);
        wire::field(&mut out, "LOGGER", record.name().as_bytes());
        let loc = record.location();
        wire::field(&mut out, "CODE_FILE", loc.file.as_bytes());
        wire::field(
            &mut out,
            "CODE_LINE",
            itoa::Buffer::new().format(loc.line).as_bytes(),
        );
        if !loc.function.is_empty() {
            wire::field(&mut out, "CODE_FUNC", loc.func_name().as_bytes());
        }
        if !loc.module_path.is_empty() {
            wire::field(&mut out, "CODE_MODULE", loc.module_path.as_bytes());
        }
        record.with_thread_info(|t| wire::field(&mut out, "THREAD_NAME", t.name.as_bytes()));
        wire::field(&mut out, "SYSLOG_IDENTIFIER", self.identifier.as_bytes());
        if let Some(exc) = record.exc_text() {
            wire::field(&mut out, "EXCEPTION_TEXT", exc.as_bytes());
        }
        for (name, value) in &self.fields {
            wire::field(&mut out, name, value.as_bytes());
        }
        let mut text = String::new();
        for (name, value) in record.fields() {
            let Some(name) = journal_field_name(name) else {
                continue;
            };
            if OWN_FIELDS.contains(&name.as_str()) {
                continue;
            }
            text.clear();
            value.write_str(&mut text);
            wire::field(&mut out, &name, text.as_bytes());
        }
        out
    }

    fn send(&self, entry: &[u8]) -> io::Result<()> {
        match self.socket.send_to(entry, &self.path) {
            Ok(_) => Ok(()),
            // Too large for one datagram (EMSGSIZE), or for the socket buffer (ENOBUFS).
            Err(e)
                if e.raw_os_error() == Some(rustix::io::Errno::MSGSIZE.raw_os_error())
                    || e.raw_os_error() == Some(rustix::io::Errno::NOBUFS.raw_os_error()) =>
            {
                memfd::send(&self.socket, &self.path, entry)
            }
            Err(e) => Err(e),
        }
    }
}

mod memfd {
    //! Large entries: the sd_journal way, a sealed memfd passed with SCM_RIGHTS.

    use std::io::{self, Write as _};
    use std::mem::MaybeUninit;
    use std::os::unix::net::UnixDatagram;
    use std::path::Path;

    use rustix::fs::{MemfdFlags, SealFlags, fcntl_add_seals, memfd_create};
    use rustix::net::{
        SendAncillaryBuffer, SendAncillaryMessage, SendFlags, SocketAddrUnix, sendmsg_addr,
    };

    pub(super) fn send(socket: &UnixDatagram, path: &Path, entry: &[u8]) -> io::Result<()> {
        let fd = memfd_create(
            "logkit-journal",
            MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING,
        )?;
        let mut file = std::fs::File::from(fd);
        file.write_all(entry)?;
        // journald accepts a memfd only once nothing can change it.
        fcntl_add_seals(
            &file,
            SealFlags::SHRINK | SealFlags::GROW | SealFlags::WRITE | SealFlags::SEAL,
        )?;
        let addr = SocketAddrUnix::new(path)?;
        let fds = [std::os::fd::AsFd::as_fd(&file)];
        let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(1))];
        let mut control = SendAncillaryBuffer::new(&mut space);
        control.push(SendAncillaryMessage::ScmRights(&fds));
        sendmsg_addr(socket, &addr, &[], &mut control, SendFlags::empty())?;
        Ok(())
    }
}

impl Handler for JournaldHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(self.path.display().to_string())
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        self.core.format_line(record, |line| {
            let entry = self.entry(record, line);
            self.send(&entry).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("sending to journald at {}: {e}", self.path.display()),
                )
                .into()
            })
        })
    }
}

impl fmt::Debug for JournaldHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JournaldHandler")
            .field("socket", &self.path)
            .field("syslog_identifier", &self.identifier)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}
