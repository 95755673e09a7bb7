//! `HTTPHandler`: each record sent to a web server as a GET query or a POST body.
//!
//! The body is CPython's by default — `urlencode(record.__dict__)`, the formatter ignored —
//! or a JSON object. `https://` (`secure`) needs the `tls` feature; credentials (HTTP Basic)
//! are sent only over https, never in clear text. One connection per record, as CPython, or
//! with `keep_alive` one kept for the next record when the server allows it; every step
//! (connect, TLS handshake, send, wait for the response) shares one deadline, so a record
//! never holds the caller longer than the timeout.

mod body;
pub(crate) mod client;

/// Reads a response head (the `http_response` fuzz target).
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_head(head: &[u8]) -> std::io::Result<()> {
    client::parse_head(head).map(drop)
}

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

pub use body::http_form_body;

use super::net::{self, Backoff, Deadline, TlsConfig};
use super::{Handler, HandlerCore, HandlerError};
use crate::error::{Error, ErrorKind};
use crate::record::Record;

/// The request method (Python's `method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HttpMethod {
    /// The record in the query string (CPython's default).
    #[default]
    Get,
    /// The record as the request body.
    Post,
}

impl HttpMethod {
    /// The method for Python's string, case-insensitive as in CPython.
    ///
    /// # Errors
    ///
    /// CPython's `method must be GET or POST`.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::HttpMethod;
    /// assert_eq!(HttpMethod::from_python("post").unwrap(), HttpMethod::Post);
    /// assert!(HttpMethod::from_python("PUT").is_err());
    /// ```
    pub fn from_python(method: &str) -> Result<Self, Error> {
        match method.to_ascii_uppercase().as_str() {
            "GET" => Ok(HttpMethod::Get),
            "POST" => Ok(HttpMethod::Post),
            _ => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("HTTPHandler: {method:?} is not a method: method must be GET or POST"),
            )),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// What the request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HttpBody {
    /// CPython's `urlencode(mapLogRecord(record))` (see [`http_form_body`]); the formatter is
    /// not used.
    #[default]
    Form,
    /// A JSON object (POST only) with the same fields as JSON values, plus `"formatted"`: the
    /// record as the handler's formatter writes it.
    Json,
}

/// Options for an [`HTTPHandler`]; see [`HTTPHandler::options`].
#[derive(Clone)]
pub struct HTTPHandlerBuilder {
    host: String,
    url: String,
    method: HttpMethod,
    secure: bool,
    credentials: Option<(String, String)>,
    body: HttpBody,
    timeout: Duration,
    cafile: Option<PathBuf>,
    keep_alive: bool,
}

impl fmt::Debug for HTTPHandlerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HTTPHandlerBuilder")
            .field("host", &self.host)
            .field("url", &self.url)
            .field("method", &self.method)
            .field("secure", &self.secure)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|(u, _)| (u, "***")),
            )
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("cafile", &self.cafile)
            .field("keep_alive", &self.keep_alive)
            .finish()
    }
}

impl HTTPHandlerBuilder {
    /// GET (the default) or POST.
    #[must_use]
    pub fn method(mut self, method: HttpMethod) -> Self {
        self.method = method;
        self
    }

    /// `https://` (Python's `secure=True`), verifying the server's certificate against the
    /// system's trusted certificates (or [`cafile`](Self::cafile)'s). Needs the `tls` feature:
    /// without it, [`build`](Self::build) fails.
    #[must_use]
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// HTTP Basic credentials, sent only with `secure` (`build` refuses them over plain http).
    #[must_use]
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.credentials = Some((user.to_owned(), password.to_owned()));
        self
    }

    /// Trusts the certificates of this PEM file instead of the system's (for a private CA;
    /// what an `ssl.SSLContext` passed as `context` does in Python).
    #[must_use]
    pub fn cafile(mut self, path: impl AsRef<Path>) -> Self {
        self.cafile = Some(path.as_ref().to_path_buf());
        self
    }

    /// Keeps the connection for the next record when the server allows it (HTTP/1.1, a sized
    /// or empty response, no `Connection: close`); off by default, as CPython opens a
    /// connection per record. A connection the server closed is replaced, and a request it
    /// dropped unanswered while closing is sent again on the new one.
    ///
    /// It pays off with servers that write a response in one piece (most do): a record then
    /// costs a write and a read instead of a connection (and a TLS handshake). A server that
    /// writes the headers and the body separately (Python's `http.server`) makes every record
    /// wait for TCP's delayed acknowledgement, tens of milliseconds: keep it off there.
    #[must_use]
    pub fn keep_alive(mut self, on: bool) -> Self {
        self.keep_alive = on;
        self
    }

    /// The body format ([`HttpBody::Form`] by default).
    #[must_use]
    pub fn body(mut self, body: HttpBody) -> Self {
        self.body = body;
        self
    }

    /// The most time one record may take: connecting, sending and waiting for the status
    /// line together (5 s by default).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the handler (nothing is sent until the first record).
    ///
    /// # Errors
    ///
    /// `secure` without the `tls` feature, credentials without `secure`, a JSON body with
    /// GET, a malformed host or a zero timeout, a host name that does not resolve, or a CA
    /// file that cannot be read.
    pub fn build(self) -> Result<HTTPHandler, Error> {
        let invalid =
            |m: String| Error::new(ErrorKind::InvalidArgument, format!("HTTPHandler: {m}"));
        #[cfg(not(feature = "tls"))]
        if self.secure {
            return Err(invalid(
                "https (secure=True) needs logkit's `tls` cargo feature".into(),
            ));
        }
        if self.credentials.is_some() && !self.secure {
            return Err(invalid(format!(
                "refusing credentials over plain http to {}: HTTP Basic credentials would \
                 cross the network in clear text; they are sent only with secure=True (https)",
                self.host
            )));
        }
        if self.body == HttpBody::Json && self.method == HttpMethod::Get {
            return Err(invalid("a JSON body needs method POST".into()));
        }
        if self.timeout.is_zero() {
            return Err(invalid("the timeout must be greater than zero".into()));
        }
        if !self.url.starts_with('/') || self.url.contains([' ', '\r', '\n']) {
            return Err(invalid(format!(
                "url must be a path starting with '/' without spaces, not {:?}",
                self.url
            )));
        }
        let default_port = if self.secure { 443 } else { 80 };
        let (name, port) = split_host(&self.host, default_port).ok_or_else(|| {
            invalid(format!(
                "host must be 'name' or 'name:port', not {:?}",
                self.host
            ))
        })?;
        let addrs = net::resolve(name, port)
            .map_err(|e| invalid(format!("cannot resolve {}", self.host)).with_source(e))?;
        let bracketed = if name.contains(':') {
            format!("[{name}]")
        } else {
            name.to_owned()
        };
        let host_header = if port == default_port {
            bracketed
        } else {
            format!("{bracketed}:{port}")
        };
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
        let authorization = self.credentials.as_ref().map(|(user, password)| {
            format!(
                "Basic {}",
                net::base64(format!("{user}:{password}").as_bytes())
            )
        });
        Ok(HTTPHandler {
            core: HandlerCore::new(),
            scheme: if self.secure { "https" } else { "http" },
            server_name: name.to_owned(),
            host_header,
            url: self.url,
            method: self.method,
            body: self.body,
            addrs,
            timeout: self.timeout,
            tls,
            authorization,
            keep_alive: self.keep_alive,
            state: Mutex::new(State::default()),
        })
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port` → (name, port).
pub(crate) fn split_host(host: &str, default_port: u16) -> Option<(&str, u16)> {
    if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        return match after {
            "" => Some((name, default_port)),
            p => Some((name, p.strip_prefix(':')?.parse().ok()?)),
        };
    }
    match host.split_once(':') {
        None if !host.is_empty() => Some((host, default_port)),
        Some((name, port)) if !name.is_empty() && !port.contains(':') => {
            Some((name, port.parse().ok()?))
        }
        _ => None,
    }
}

/// Sends each record to a web server (Python's `logging.handlers.HTTPHandler`).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use logkit::{HTTPHandler, HttpMethod, get_logger};
///
/// let handler = HTTPHandler::options("127.0.0.1:18080", "/log")
///     .method(HttpMethod::Post)
///     .timeout(Duration::from_secs(2))
///     .build()?;
/// get_logger("web").add_handler(handler);
///
/// // Credentials are refused over plain http.
/// let err = HTTPHandler::options("logs.example.com", "/log")
///     .credentials("user", "secret")
///     .build()
///     .unwrap_err();
/// assert!(err.to_string().contains("refusing credentials over plain http"));
/// # Ok::<(), logkit::Error>(())
/// ```
pub struct HTTPHandler {
    core: HandlerCore,
    scheme: &'static str,
    server_name: String,
    host_header: String,
    url: String,
    method: HttpMethod,
    body: HttpBody,
    addrs: Vec<SocketAddr>,
    timeout: Duration,
    tls: Option<TlsConfig>,
    authorization: Option<String>,
    keep_alive: bool,
    state: Mutex<State>,
}

/// The kept connection (with the bytes of the last response's body still to come) and the
/// retry pacing.
#[derive(Default)]
struct State {
    conn: Option<(net::Conn, usize)>,
    backoff: Backoff,
}

impl HTTPHandler {
    /// Options for a handler sending to `host` (`name` or `name:port`) at `url` (a path,
    /// such as `/log`).
    pub fn options(host: &str, url: &str) -> HTTPHandlerBuilder {
        HTTPHandlerBuilder {
            host: host.to_owned(),
            url: url.to_owned(),
            method: HttpMethod::Get,
            secure: false,
            credentials: None,
            body: HttpBody::Form,
            timeout: Duration::from_secs(5),
            cafile: None,
            keep_alive: false,
        }
    }

    /// A handler with CPython's defaults: GET, the form body, plain http.
    ///
    /// # Errors
    ///
    /// See [`HTTPHandlerBuilder::build`].
    pub fn new(host: &str, url: &str) -> Result<Self, Error> {
        HTTPHandler::options(host, url).build()
    }

    fn send(
        &self,
        method: &str,
        target: &str,
        content_type: &str,
        body: &str,
    ) -> Result<(), HandlerError> {
        let mut head = String::with_capacity(160 + target.len());
        head.push_str(method);
        head.push(' ');
        head.push_str(target);
        head.push_str(" HTTP/1.1\r\nHost: ");
        head.push_str(&self.host_header);
        // The headers CPython's http.client sends, in its order and spelling.
        head.push_str("\r\nAccept-Encoding: identity\r\n");
        if !content_type.is_empty() {
            head.push_str("Content-type: ");
            head.push_str(content_type);
            head.push_str("\r\nContent-length: ");
            head.push_str(itoa::Buffer::new().format(body.len()));
            head.push_str("\r\n");
        }
        if let Some(auth) = &self.authorization {
            head.push_str("Authorization: ");
            head.push_str(auth);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let body = if content_type.is_empty() { "" } else { body };
        let deadline = Deadline::after(self.timeout);
        // The lock is held while sending: records queue behind a slow server instead of
        // opening one connection each.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let request = client::Request {
            head: &head,
            body: body.as_bytes(),
        };
        let location = || format!("{}://{}{}", self.scheme, self.host_header, self.url);
        // With body bytes still to come, a peek cannot tell a close; the retry below covers it.
        let mut kept = state
            .conn
            .take()
            .filter(|(c, leftover)| *leftover > 0 || !c.peer_closed());
        loop {
            let reused = kept.is_some();
            let (mut conn, leftover) = match kept.take() {
                Some(c) => c,
                None => {
                    if let Err(wait) = state.backoff.check() {
                        let what =
                            format!("the HTTP server at {}://{}", self.scheme, self.host_header);
                        return Err(net::backing_off(&what, wait).into());
                    }
                    let tls = self.tls.as_ref().map(|c| (c, self.server_name.as_str()));
                    match client::connect(&self.addrs, &deadline, tls) {
                        Ok(c) => (c, 0),
                        Err(e) => {
                            if matches!(
                                e.kind(),
                                std::io::ErrorKind::ConnectionRefused
                                    | std::io::ErrorKind::TimedOut
                            ) {
                                state.backoff.failed();
                            }
                            return Err(std::io::Error::new(
                                e.kind(),
                                format!("HTTP request to {}: {e}", location()),
                            )
                            .into());
                        }
                    }
                }
            };
            state.backoff.succeeded();
            match client::exchange(&mut conn, leftover, &request, &deadline) {
                Ok(response) => {
                    if response.reusable && self.keep_alive {
                        state.conn = Some((conn, response.leftover));
                    }
                    if response.code < 400 {
                        return Ok(());
                    }
                    return Err(HandlerError::other(format!(
                        "HTTP {} {} from {}",
                        response.code,
                        response.reason,
                        location()
                    )));
                }
                // A kept connection the server had closed: once more on a new one.
                Err(f) if reused && f.stale => {}
                Err(f) => {
                    return Err(std::io::Error::new(
                        f.error.kind(),
                        format!("HTTP request to {}: {}", location(), f.error),
                    )
                    .into());
                }
            }
        }
    }
}

impl Handler for HTTPHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(format!(
            "{}://{}{}",
            self.scheme, self.host_header, self.url
        ))
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        match self.body {
            HttpBody::Form => {
                let data = body::http_form_body(record);
                match self.method {
                    HttpMethod::Get => {
                        let sep = if self.url.contains('?') { '&' } else { '?' };
                        let target = format!("{}{sep}{data}", self.url);
                        self.send("GET", &target, "", "")
                    }
                    HttpMethod::Post => self.send(
                        HttpMethod::Post.as_str(),
                        &self.url,
                        "application/x-www-form-urlencoded",
                        &data,
                    ),
                }
            }
            HttpBody::Json => self.core.format_line(record, |line| {
                let data = body::json_body(record, line);
                self.send("POST", &self.url, "application/json", &data)
            }),
        }
    }
}

impl fmt::Debug for HTTPHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HTTPHandler")
            .field("host", &self.host_header)
            .field("url", &self.url)
            .field("method", &self.method)
            .field("body", &self.body)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(split_host("example.com", 80), Some(("example.com", 80)));
        assert_eq!(split_host("example.com", 443), Some(("example.com", 443)));
        assert_eq!(
            split_host("127.0.0.1:18080", 80),
            Some(("127.0.0.1", 18080))
        );
        assert_eq!(split_host("[::1]:8080", 80), Some(("::1", 8080)));
        assert_eq!(split_host("[::1]", 80), Some(("::1", 80)));
        assert_eq!(split_host("a:b", 80), None);
        assert_eq!(split_host("", 80), None);
    }
}
