//! `SMTPHandler`: one e-mail per record.
//!
//! The message is CPython's: `From`, `To` (the addresses joined by `,`), `Subject` (folded and
//! encoded as CPython's email policy does), `Date` (local time), and the formatted record as a
//! `text/plain; charset="utf-8"` body (7bit, 8bit, quoted-printable or base64 as CPython picks);
//! the envelope has the addresses of `From` and `To`. One
//! connection per record, as CPython; connecting, logging in and sending share one deadline
//! (5 s by default), so a record never holds the caller longer. `secure` starts TLS
//! (STARTTLS, with the `tls` feature) before anything else is sent. Credentials are sent only
//! over TLS, or to a mail server on this machine (loopback): never in clear text across a
//! network.

mod address;
mod address_list;
mod body;
mod client;

/// Reads a reply line (the `smtp_reply` fuzz target).
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_reply_line(line: &str) -> std::io::Result<()> {
    client::reply_line(line).map(drop)
}
mod encoded_word;
mod fold;
mod message;
mod parse;
mod token;

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use super::net::{self, Backoff, Deadline, TlsConfig};
use super::{Handler, HandlerCore, HandlerError};
use crate::clock::Converter;
use crate::error::{Error, ErrorKind};
use crate::format::{FormatRef, IntoFormat};
use crate::record::Record;

/// Options for an [`SMTPHandler`]; see [`SMTPHandler::options`].
#[derive(Clone)]
pub struct SMTPHandlerBuilder {
    host: String,
    port: u16,
    from: String,
    to: Vec<String>,
    subject: String,
    subject_format: Option<FormatRef>,
    credentials: Option<(String, String)>,
    secure: bool,
    cafile: Option<PathBuf>,
    timeout: Duration,
}

impl fmt::Debug for SMTPHandlerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SMTPHandlerBuilder")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|(u, _)| (u, "***")),
            )
            .field("secure", &self.secure)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl SMTPHandlerBuilder {
    /// The port (25 by default; Python's `mailhost=(host, port)`).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Logs in with these credentials (AUTH PLAIN, or LOGIN). Without `secure`, only a mail
    /// server on loopback is accepted (clear text).
    #[must_use]
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.credentials = Some((user.to_owned(), password.to_owned()));
        self
    }

    /// STARTTLS right after EHLO (Python's `secure=()`), verifying the server's certificate
    /// against the system's trusted certificates (or [`cafile`](Self::cafile)'s). Unlike
    /// CPython, which ignores `secure` without credentials, the mail is then always sent over
    /// TLS. Needs the `tls` feature: without it, `build` fails.
    #[must_use]
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// Trusts the certificates of this PEM file instead of the system's (for a private CA).
    #[must_use]
    pub fn cafile(mut self, path: impl AsRef<Path>) -> Self {
        self.cafile = Some(path.as_ref().to_path_buf());
        self
    }

    /// A subject made from each record (what overriding `getSubject` does in Python), such
    /// as `Formatter::new("%(levelname)s in %(name)s")`.
    #[must_use]
    pub fn subject_format(mut self, format: impl IntoFormat) -> Self {
        self.subject_format = Some(format.into_format());
        self
    }

    /// The most time one record may take, from connecting to the end of DATA (5 s by
    /// default, CPython's `timeout=5.0`).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the handler (nothing is sent until the first record).
    ///
    /// # Errors
    ///
    /// No recipient, a header with a line break, credentials without `secure` for a server
    /// not on loopback (clear text), `secure` without the `tls` feature, a zero timeout, a
    /// host that does not resolve, or a CA file that cannot be read.
    pub fn build(self) -> Result<SMTPHandler, Error> {
        let invalid =
            |m: String| Error::new(ErrorKind::InvalidArgument, format!("SMTPHandler: {m}"));
        if self.to.is_empty() {
            return Err(invalid("no recipient (toaddrs is empty)".into()));
        }
        for (what, v) in [("fromaddr", &self.from), ("subject", &self.subject)]
            .into_iter()
            .chain(self.to.iter().map(|t| ("toaddrs", t)))
        {
            if v.contains(['\r', '\n']) {
                return Err(invalid(format!(
                    "{what} must not contain a line break: {v:?}"
                )));
            }
        }
        #[cfg(not(feature = "tls"))]
        if self.secure {
            return Err(invalid(
                "STARTTLS (secure) needs logkit's `tls` cargo feature".into(),
            ));
        }
        if self.credentials.is_some() && !self.secure && !net::is_loopback(&self.host) {
            return Err(invalid(format!(
                "refusing to send credentials to {} without TLS: they would cross the \
                 network in clear text (use secure, or a mail server on loopback)",
                self.host
            )));
        }
        if self.timeout.is_zero() {
            return Err(invalid("the timeout must be greater than zero".into()));
        }
        let addrs = net::resolve(&self.host, self.port).map_err(|e| {
            invalid(format!("cannot resolve {}:{}", self.host, self.port)).with_source(e)
        })?;
        #[cfg(feature = "tls")]
        let tls = if self.secure {
            Some(
                net::tls::client_config(self.cafile.as_deref())
                    .map_err(|e| invalid(e.context().to_owned()))?,
            )
        } else {
            None
        };
        #[cfg(not(feature = "tls"))]
        let tls: Option<TlsConfig> = None;
        Ok(SMTPHandler {
            core: HandlerCore::new(),
            tls,
            mailhost: format!("{}:{}", self.host, self.port),
            host: self.host,
            addrs,
            from: self.from,
            to: self.to,
            subject: self.subject,
            subject_format: self.subject_format,
            credentials: self.credentials,
            timeout: self.timeout,
            backoff: Mutex::new(Backoff::default()),
        })
    }
}

/// Sends each record as an e-mail (Python's `logging.handlers.SMTPHandler`).
///
/// # Examples
///
/// ```
/// use logkit::{Handler, Level, SMTPHandler, get_logger};
///
/// let mail = SMTPHandler::options("127.0.0.1", "app@example.test", &["ops@example.test"], "App error")
///     .port(8025)
///     .build()?;
/// mail.set_level(Level::ERROR);
/// get_logger("app").add_handler(mail);
/// # Ok::<(), logkit::Error>(())
/// ```
pub struct SMTPHandler {
    core: HandlerCore,
    tls: Option<TlsConfig>,
    host: String,
    mailhost: String,
    addrs: Vec<SocketAddr>,
    from: String,
    to: Vec<String>,
    subject: String,
    subject_format: Option<FormatRef>,
    credentials: Option<(String, String)>,
    timeout: Duration,
    backoff: Mutex<Backoff>,
}

impl SMTPHandler {
    /// Options for a handler sending through the server at `host` (port 25 unless set) from
    /// `from` to `to` with `subject`.
    pub fn options(host: &str, from: &str, to: &[&str], subject: &str) -> SMTPHandlerBuilder {
        SMTPHandlerBuilder {
            host: host.to_owned(),
            port: 25,
            from: from.to_owned(),
            to: to.iter().map(|s| (*s).to_owned()).collect(),
            subject: subject.to_owned(),
            subject_format: None,
            credentials: None,
            secure: false,
            cafile: None,
            timeout: Duration::from_secs(5),
        }
    }

    /// The subject of `record`'s e-mail (CPython's `getSubject`).
    ///
    /// # Errors
    ///
    /// The subject formatter failed.
    pub fn subject(&self, record: &Record<'_>) -> Result<String, HandlerError> {
        match &self.subject_format {
            None => Ok(self.subject.clone()),
            Some(f) => {
                let mut s = String::new();
                f.format(record, &mut s)?;
                Ok(s.replace(['\r', '\n'], " "))
            }
        }
    }

    fn send(&self, subject: &str, body: &str, record: &Record<'_>) -> std::io::Result<()> {
        let deadline = Deadline::after(self.timeout);
        let mut backoff = self.backoff.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(wait) = backoff.check() {
            return Err(net::backing_off(
                &format!("the SMTP server at {}", self.mailhost),
                wait,
            ));
        }
        let mut session = match client::Session::open(&self.addrs, deadline) {
            Ok(s) => {
                backoff.succeeded();
                s
            }
            Err(e) => {
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::TimedOut
                ) {
                    backoff.failed();
                }
                return Err(e);
            }
        };
        drop(backoff);
        if let Some(config) = &self.tls {
            session.start_tls(config, &self.host)?;
        }
        if let Some((user, password)) = &self.credentials {
            session.login(user, password)?;
        }
        let date = message::date(record.created(), Converter::Local);
        let server = message::Server {
            eight_bit_mime: session.has("8BITMIME"),
            smtputf8: session.has("SMTPUTF8"),
        };
        let mail = message::build(&self.from, &self.to, subject, &date, body, server)?;
        session.send(&mail)?;
        session.quit();
        Ok(())
    }
}

impl Handler for SMTPHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(self.mailhost.clone())
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let subject = self.subject(record)?;
        self.core.format_line(record, |body| {
            self.send(&subject, body, record).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("sending mail through {}: {e}", self.mailhost),
                )
                .into()
            })
        })
    }
}

impl fmt::Debug for SMTPHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SMTPHandler")
            .field("mailhost", &self.mailhost)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}
