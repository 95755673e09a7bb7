//! Syslog over TLS (RFC 5425): the options of a [`SysLogHandler`](super::SysLogHandler)'s TLS
//! transport — whom to trust, which name to verify, and an optional client certificate for
//! mutual TLS. The connection itself is the network handlers' shared one (`net::Conn`).

use std::path::{Path, PathBuf};

/// TLS settings of a [`SysLogHandler`](super::SysLogHandler) (syslog over TLS, RFC 5425);
/// give them to [`SysLogHandlerBuilder::tls`](super::SysLogHandlerBuilder::tls).
///
/// The server's certificate is verified against the certificates of [`cafile`](Self::cafile)
/// (or the system's trusted ones) and against the host name of the handler's address (or
/// [`server_hostname`](Self::server_hostname)). A [`client_cert`](Self::client_cert) is
/// presented to servers that ask for one (rsyslog's `x509/certvalid` and `x509/name`
/// authentication modes). The names follow Python's `ssl` module (`cafile`, `certfile`,
/// `keyfile`, `server_hostname`), as the configuration keys do. Using it needs logkit's `tls`
/// cargo feature: without it, [`build`](super::SysLogHandlerBuilder::build) fails.
///
/// # Examples
///
/// ```
/// use logkit::SyslogTls;
///
/// let tls = SyslogTls::new()
///     .cafile("/etc/ssl/relay-ca.pem")
///     .server_hostname("relay.example.net")
///     .client_cert("/etc/ssl/app.pem", "/etc/ssl/app.key");
/// assert_eq!(tls.get_server_hostname(), Some("relay.example.net"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyslogTls {
    cafile: Option<PathBuf>,
    server_hostname: Option<String>,
    certfile: Option<PathBuf>,
    keyfile: Option<PathBuf>,
}

impl SyslogTls {
    /// TLS trusting the system's certificates, verifying the address's host name, with no
    /// client certificate.
    pub fn new() -> Self {
        SyslogTls::default()
    }

    /// Trusts the certificates of this PEM file instead of the system's (Python's
    /// `cafile`): a private CA that signed the relay's certificate.
    #[must_use]
    pub fn cafile(mut self, path: impl AsRef<Path>) -> Self {
        self.cafile = Some(path.as_ref().to_path_buf());
        self
    }

    /// The name the server's certificate must carry (Python's `server_hostname`), when it is
    /// not the host of the handler's address — for instance when connecting to an IP address
    /// whose certificate names a host.
    #[must_use]
    pub fn server_hostname(mut self, name: &str) -> Self {
        self.server_hostname = Some(name.to_owned());
        self
    }

    /// A client certificate chain (`certfile`, PEM, leaf first) and its private key
    /// (`keyfile`, PEM: PKCS#8, PKCS#1 or SEC1), presented when the server asks (mutual TLS).
    #[must_use]
    pub fn client_cert(mut self, certfile: impl AsRef<Path>, keyfile: impl AsRef<Path>) -> Self {
        self.certfile = Some(certfile.as_ref().to_path_buf());
        self.keyfile = Some(keyfile.as_ref().to_path_buf());
        self
    }

    /// The CA file, if one was given.
    pub fn get_cafile(&self) -> Option<&Path> {
        self.cafile.as_deref()
    }

    /// The server name to verify, if one was given.
    pub fn get_server_hostname(&self) -> Option<&str> {
        self.server_hostname.as_deref()
    }

    /// The client certificate and key files, if given.
    pub fn get_client_cert(&self) -> Option<(&Path, &Path)> {
        Some((self.certfile.as_deref()?, self.keyfile.as_deref()?))
    }

    /// Reads the files into rustls's client settings.
    #[cfg(feature = "tls")]
    pub(super) fn client_config(
        &self,
    ) -> Result<std::sync::Arc<rustls::ClientConfig>, crate::error::Error> {
        crate::handler::net::tls::client_config_with_auth(
            self.cafile.as_deref(),
            self.get_client_cert(),
        )
    }
}

#[cfg(all(test, feature = "tls"))]
mod tests {
    //! The TLS transport against an in-process rustls server with the certificates of
    //! `testdata/`: framing, verification, mutual TLS, a server's `close_notify`, retrying.

    use std::io::Read as _;
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::sync::mpsc;
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    use super::SyslogTls;
    use crate::handler::{Framing, SocketType, SyslogAddress, SyslogFormat};
    use crate::handler::{Handler as _, HandlerError, SysLogHandler, SysLogHandlerBuilder};
    use crate::level::Level;
    use crate::message::Message;
    use crate::record::{Location, Record};

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/handler/syslog/testdata");

    fn file(name: &str) -> String {
        format!("{DIR}/{name}")
    }

    fn server_config(client_auth: bool) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let chain = CertificateDer::pem_file_iter(file("server.pem"))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_file(file("server.key")).unwrap();
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = if client_auth {
            let mut roots = rustls::RootCertStore::empty();
            for c in CertificateDer::pem_file_iter(file("ca.pem")).unwrap() {
                roots.add(c.unwrap()).unwrap();
            }
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(roots.into(), provider)
                    .build()
                    .unwrap();
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        Arc::new(builder.with_single_cert(chain, key).unwrap())
    }

    /// What one accepted connection sent: its bytes, and whether the client showed a
    /// certificate.
    type Received = (Vec<u8>, bool);

    /// Accepts `n` connections one after the other; each is read until the client ends it,
    /// or (`close_after`) until that many bytes came, after which the server closes it with
    /// a `close_notify`. `done` hears of each connection that ended. Waits at most 10 s for
    /// each connection.
    fn serve(
        listener: TcpListener,
        config: Arc<rustls::ServerConfig>,
        n: usize,
        close_after: Option<usize>,
    ) -> JoinHandle<Vec<Received>> {
        serve_notifying(listener, config, n, close_after, mpsc::channel().0)
    }

    fn serve_notifying(
        listener: TcpListener,
        config: Arc<rustls::ServerConfig>,
        n: usize,
        close_after: Option<usize>,
        done: mpsc::Sender<()>,
    ) -> JoinHandle<Vec<Received>> {
        std::thread::spawn(move || {
            let mut got = Vec::new();
            // Gives up 10 s after the last connection: a test whose client never comes fails
            // on what arrived instead of waiting for ever.
            listener.set_nonblocking(true).unwrap();
            let mut deadline = Instant::now() + Duration::from_secs(10);
            while got.len() < n {
                let stream = match listener.accept() {
                    Ok((s, _)) => s,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        if Instant::now() > deadline {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                    Err(e) => panic!("accept: {e}"),
                };
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                let conn = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let mut bytes = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(k) => bytes.extend_from_slice(&buf[..k]),
                    }
                    if close_after.is_some_and(|c| bytes.len() >= c) {
                        tls.conn.send_close_notify();
                        let _ = tls.conn.complete_io(&mut tls.sock);
                        break;
                    }
                }
                let client_cert = tls.conn.peer_certificates().is_some();
                drop(tls);
                got.push((bytes, client_cert));
                let _ = done.send(());
                deadline = Instant::now() + Duration::from_secs(10);
            }
            got
        })
    }

    fn listener() -> (TcpListener, u16) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        (l, port)
    }

    fn options(port: u16, tls: SyslogTls) -> SysLogHandlerBuilder {
        SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port))
            .tls(tls)
            .format(SyslogFormat::Rfc5424)
            .hostname("host")
            .app_name("app")
            .msgid("M")
            .timeout(Duration::from_secs(5))
    }

    fn trusting() -> SyslogTls {
        SyslogTls::new().cafile(file("ca.pem"))
    }

    fn emit(h: &SysLogHandler, msg: &str) -> Result<(), HandlerError> {
        let record = Record::new(
            "t",
            Level::INFO,
            Message::text(msg),
            Location::new("src/t.rs", 1, "t"),
        );
        h.emit(&record)
    }

    /// Splits octet-counted frames (`LEN SP MSG`).
    fn frames(mut bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        while !bytes.is_empty() {
            let sp = bytes.iter().position(|&b| b == b' ').expect("a length");
            let len: usize = std::str::from_utf8(&bytes[..sp]).unwrap().parse().unwrap();
            let msg = &bytes[sp + 1..sp + 1 + len];
            out.push(String::from_utf8(msg.to_vec()).unwrap());
            bytes = &bytes[sp + 1 + len..];
        }
        out
    }

    #[test]
    fn rfc5425_frames_each_message_with_its_length_on_one_connection() {
        let (l, port) = listener();
        let server = serve(l, server_config(false), 1, None);
        let h = options(port, trusting()).build().unwrap();
        emit(&h, "first\nline two ✓").unwrap();
        emit(&h, "second").unwrap();
        h.close().unwrap();
        let got = server.join().unwrap();
        // One connection: what a TLS 1.3 server sends after the handshake (tickets) is not
        // taken for a close.
        assert_eq!(got.len(), 1);
        let f = frames(&got[0].0);
        assert_eq!(f.len(), 2, "{f:?}");
        let pid = crate::record::process_id();
        assert!(f[0].starts_with("<14>1 "), "{}", f[0]);
        assert!(
            f[0].ends_with(&format!(" host app {pid} M - first\nline two ✓")),
            "{}",
            f[0]
        );
        assert!(f[1].ends_with(" M - second"), "{}", f[1]);
    }

    #[test]
    fn a_wrong_server_name_is_a_reported_error_naming_the_address() {
        let (l, port) = listener();
        let _server = serve(l, server_config(false), 2, None);
        let h = options(port, trusting().server_hostname("relay.example"))
            .build()
            .unwrap();
        let err = emit(&h, "x").unwrap_err().to_string();
        assert!(
            err.contains(&format!("syslog server at 127.0.0.1:{port}")),
            "{err}"
        );
        assert!(err.contains("relay.example"), "{err}");
        assert!(err.contains("certificate"), "{err}");
    }

    #[test]
    fn an_untrusted_certificate_is_a_reported_error() {
        let (l, port) = listener();
        let _server = serve(l, server_config(false), 2, None);
        // Trusting only another certificate, not the CA that signed the server's.
        let h = options(port, SyslogTls::new().cafile(file("client.pem")))
            .build()
            .unwrap();
        let err = emit(&h, "x").unwrap_err().to_string();
        assert!(err.contains("UnknownIssuer"), "{err}");
        assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    }

    #[test]
    fn mutual_tls_presents_the_client_certificate() {
        let (l, port) = listener();
        let server = serve(l, server_config(true), 1, None);
        let tls = trusting().client_cert(file("client.pem"), file("client.key"));
        let h = options(port, tls).build().unwrap();
        emit(&h, "mutual").unwrap();
        h.close().unwrap();
        let got = server.join().unwrap();
        assert!(got[0].1, "the server saw no client certificate");
        assert!(frames(&got[0].0)[0].ends_with(" - mutual"));
    }

    #[test]
    fn a_server_that_refuses_the_client_certificate_is_a_reported_error() {
        // TLS 1.3: the client's handshake is done before the server has seen that it has no
        // certificate; the handler waits for the server's verdict before it writes.
        let (l, port) = listener();
        // Two sessions: the one the handler opens when it is made (refused, and not
        // reported: the handler is made all the same), and the first record's.
        let server = serve(l, server_config(true), 2, None);
        let h = options(port, trusting()).build().unwrap();
        let err = emit(&h, "one").unwrap_err().to_string();
        assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
        assert!(err.contains("CertificateRequired"), "{err}");
        assert!(err.contains("client certificate"), "{err}");
        // Not tried again at once: the next record waits out the back-off, reported.
        let err = emit(&h, "two").unwrap_err().to_string();
        assert!(
            err.contains("last TLS session with the syslog server"),
            "{err}"
        );
        assert!(err.contains("next connection attempt"), "{err}");
        let got = server.join().unwrap();
        assert_eq!(got.len(), 2, "two sessions only");
        for (bytes, client_cert) in got {
            assert!(bytes.is_empty(), "the server read no record");
            assert!(!client_cert, "no client certificate was shown");
        }
    }

    #[test]
    fn a_fatal_alert_on_an_open_session_is_reported_at_the_next_record() {
        // A session the server ends with an alert after the handshake's wait (here, once it
        // read the first record: a fatal `access_denied`, sent unencrypted).
        let (l, port) = listener();
        let (done, ended) = mpsc::channel();
        let server = std::thread::spawn(move || {
            let (stream, _) = l.accept().unwrap();
            let conn = rustls::ServerConnection::new(server_config(false)).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, stream);
            let mut buf = [0u8; 4096];
            let n = tls.read(&mut buf).unwrap();
            std::io::Write::write_all(&mut tls.sock, &[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 49])
                .unwrap();
            done.send(()).unwrap();
            n
        });
        let h = options(port, trusting()).build().unwrap();
        emit(&h, "one").unwrap();
        ended.recv_timeout(Duration::from_secs(10)).unwrap();
        let err = emit(&h, "two").unwrap_err().to_string();
        assert!(err.contains("ended the TLS session"), "{err}");
        assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
        assert!(server.join().unwrap() > 0);
    }

    #[test]
    fn a_close_notify_from_the_server_is_noticed_before_the_next_write() {
        let (l, port) = listener();
        let (done, closed) = mpsc::channel();
        let server = serve_notifying(l, server_config(false), 2, Some(1), done);
        let h = options(port, trusting()).build().unwrap();
        emit(&h, "one").unwrap();
        closed
            .recv_timeout(Duration::from_secs(10))
            .expect("the server closes the first connection");
        // Written to the closed connection, this record would be lost: the handler must
        // notice the close and reconnect first.
        emit(&h, "two").unwrap();
        h.close().unwrap();
        let got = server.join().unwrap();
        assert_eq!(got.len(), 2);
        assert!(frames(&got[0].0)[0].ends_with(" - one"));
        assert!(frames(&got[1].0)[0].ends_with(" - two"));
    }

    #[test]
    fn retrying_holds_a_record_until_the_server_is_up() {
        let (l, port) = listener();
        drop(l);
        let h = options(port, trusting())
            .retry_for(Duration::from_secs(20))
            .build()
            .unwrap();
        std::thread::scope(|s| {
            let sender = s.spawn(|| emit(&h, "held"));
            // The sender holds the connection's lock while it waits between attempts.
            let deadline = Instant::now() + Duration::from_secs(10);
            while h.conn.try_lock().is_ok() {
                assert!(Instant::now() < deadline, "the sender never tried");
                std::thread::yield_now();
            }
            let l = TcpListener::bind(("127.0.0.1", port)).unwrap();
            let server = serve(l, server_config(false), 1, Some(1));
            sender.join().unwrap().unwrap();
            let got = server.join().unwrap();
            assert!(!got[0].0.is_empty());
        });
        h.close().unwrap();
    }

    #[test]
    fn retrying_gives_up_after_the_bound_then_fails_at_once() {
        let (l, port) = listener();
        drop(l);
        let h = options(port, trusting())
            .retry_for(Duration::from_millis(300))
            .build()
            .unwrap();
        let t = Instant::now();
        let err = emit(&h, "lost").unwrap_err().to_string();
        assert!(t.elapsed() >= Duration::from_millis(300));
        assert!(
            err.contains("record dropped after retrying for 300ms"),
            "{err}"
        );
        let t = Instant::now();
        let err = emit(&h, "lost too").unwrap_err().to_string();
        assert!(
            t.elapsed() < Duration::from_millis(250),
            "{:?}",
            t.elapsed()
        );
        assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    }

    #[test]
    fn tls_needs_a_tcp_address_and_octet_counting() {
        let build_err = |b: SysLogHandlerBuilder| b.build().unwrap_err().to_string();
        let unix = SysLogHandler::options(SyslogAddress::unix("/dev/log")).tls(trusting());
        assert!(build_err(unix).contains("unix socket"));
        let dgram = options(514, trusting()).socktype(SocketType::Datagram);
        assert!(build_err(dgram).contains("SOCK_STREAM"));
        let lf = options(514, trusting()).framing(Framing::LineFeed);
        assert!(build_err(lf).contains("octet counting"));
        let missing = options(514, SyslogTls::new().cafile(file("none.pem")));
        assert!(build_err(missing).contains("none.pem"));
        let key = options(
            514,
            trusting().client_cert(file("client.pem"), file("server.pem")),
        );
        assert!(build_err(key).contains("server.pem"));
        assert!(
            options(514, trusting())
                .retry_for(Duration::ZERO)
                .build()
                .is_err()
        );
    }
}
