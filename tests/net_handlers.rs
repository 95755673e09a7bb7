//! The network handlers against real servers — rsyslog, systemd-journald, an SMTP server and
//! an HTTP receiver, started on loopback by `tests/support/services-start.sh` — each test
//! reading back what the server received; plus the wire formats against a plain socket and
//! CPython, and unreachable or hung servers (bounded time, an error report, no panic).
//!
//! Tests that need a server are ignored by plain `cargo test`; `scripts/test.sh` starts the
//! servers and runs them. They find the servers through the `LOGKIT_*` variables of
//! `/tmp/logkit-svc/env`, and they share them: every test puts a unique marker in its
//! messages and waits (with a deadline) for that marker, never for the whole capture.

use std::io::Read as _;
use std::net::{TcpListener, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use logkit::{
    Facility, Formatter, Framing, Handler, HandlerError, Level, Location, Message, Record,
    SocketType, SysLogHandler, SyslogAddress, SyslogFormat, Value, get_logger,
};
use logkit_tests::{child_stderr, is_child, isolated, lines_with, marker, wait_for};

// === helpers ===

/// A `LOGKIT_*` variable written by services-start.sh.
fn svc(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: this test needs the servers of tests/support/services-start.sh; \
             run scripts/test.sh, or start them and `. /tmp/logkit-svc/env`"
        )
    })
}

/// Waits until `path` has `n` lines containing `needle`, and returns them.
fn wait_lines(path: &Path, needle: &str, n: usize) -> Vec<String> {
    wait_for(
        &format!("{n} line(s) with {needle} in {}", path.display()),
        Duration::from_secs(5),
        || {
            let l = lines_with(path, needle);
            (l.len() >= n).then_some(l)
        },
    )
}

/// A record as a logging call would make it.
fn emit(
    h: &dyn Handler,
    name: &str,
    level: Level,
    msg: &str,
    args: &[Value<'_>],
) -> Result<(), HandlerError> {
    let record = Record::new(
        name,
        level,
        Message::dynamic(msg, args),
        Location::new("src/app.rs", 7, "app"),
    );
    h.emit(&record)
}

fn json(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

// === syslog: wire bytes without a server ===

/// Receives one datagram.
fn recv(sock: &UdpSocket) -> Vec<u8> {
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = vec![0u8; 70_000];
    let n = sock.recv(&mut buf).expect("a datagram within 5 s");
    buf.truncate(n);
    buf
}

#[test]
fn syslog_udp_sends_cpythons_bytes_by_default() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    let h = SysLogHandler::udp("127.0.0.1", port).unwrap();
    for (level, pri) in [
        (Level::DEBUG, "<15>"),
        (Level::INFO, "<14>"),
        (Level::WARNING, "<12>"),
        (Level::ERROR, "<11>"),
        (Level::CRITICAL, "<10>"),
        (Level::new(25), "<12>"), // an unnamed level maps to `warning`, as in CPython
    ] {
        emit(&h, "wire", level, "hello %s ✓", &["bob".into()]).unwrap();
        assert_eq!(recv(&sock), format!("{pri}hello bob ✓\0").into_bytes());
    }
}

#[test]
fn syslog_ident_facility_and_no_nul() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port))
        .facility(Facility::LOCAL7)
        .ident("myapp: ")
        .append_nul(false)
        .build()
        .unwrap();
    h.set_formatter(Formatter::new("%(levelname)s:%(name)s:%(message)s").unwrap());
    emit(&h, "a.b", Level::DEBUG, "x", &[]).unwrap();
    assert_eq!(recv(&sock), b"<191>myapp: DEBUG:a.b:x");
}

#[test]
fn syslog_rfc5424_and_rfc3164_headers() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port))
        .format(SyslogFormat::Rfc5424)
        .hostname("web 1")
        .app_name("shop")
        .msgid("ORDERS")
        .utc(true)
        .build()
        .unwrap();
    let record = Record::new(
        "n",
        Level::ERROR,
        Message::text("boom"),
        Location::new("f.rs", 1, "m"),
    )
    .with_created(logkit::Timestamp::new(1_704_164_645, 678_901_999));
    h.emit(&record).unwrap();
    let pid = std::process::id();
    assert_eq!(
        String::from_utf8(recv(&sock)).unwrap(),
        format!("<11>1 2024-01-02T03:04:05.678901Z web_1 shop {pid} ORDERS - boom")
    );

    let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port))
        .format(SyslogFormat::Rfc3164)
        .facility(Facility::DAEMON)
        .hostname("web1")
        .app_name("shop")
        .utc(true)
        .build()
        .unwrap();
    let record = Record::new(
        "n",
        Level::INFO,
        Message::text("up"),
        Location::new("f.rs", 1, "m"),
    )
    .with_created(logkit::Timestamp::new(1_730_606_706, 0));
    h.emit(&record).unwrap();
    assert_eq!(
        String::from_utf8(recv(&sock)).unwrap(),
        format!("<30>Nov  3 04:05:06 web1 shop[{pid}]: up")
    );
}

#[test]
#[ignore = "needs python3 (CPython 3.11); run scripts/test.sh"]
fn syslog_bytes_match_cpython() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    let py = format!(
        "import logging, logging.handlers\n\
         h = logging.handlers.SysLogHandler(('127.0.0.1', {port}), facility='local3')\n\
         h.setFormatter(logging.Formatter('%(name)s [%(levelname)s] %(message)s'))\n\
         l = logging.getLogger('py.net'); l.addHandler(h); l.setLevel(1)\n\
         for lvl in (10, 20, 30, 40, 50, 25):\n    l.log(lvl, 'hello %s %d ✓', 'bob', 3)\n"
    );
    let out = Command::new("python3")
        .args(["-c", &py])
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cpython: Vec<Vec<u8>> = (0..6).map(|_| recv(&sock)).collect();

    let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port))
        .facility(Facility::from_name("local3").unwrap())
        .build()
        .unwrap();
    h.set_formatter(Formatter::new("%(name)s [%(levelname)s] %(message)s").unwrap());
    for (i, lvl) in [10, 20, 30, 40, 50, 25].into_iter().enumerate() {
        emit(
            &h,
            "py.net",
            Level::new(lvl),
            "hello %s %d ✓",
            &["bob".into(), 3.into()],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&recv(&sock)),
            String::from_utf8_lossy(&cpython[i])
        );
    }
}

#[test]
fn syslog_tcp_frames_with_octet_counting_or_line_feeds() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    for (framing, expected) in [
        (Framing::OctetCounting, "8 <14>a\nb\u{0}9 <14>cd\nb\u{0}"),
        (Framing::LineFeed, "<14>a\nb\u{0}\n<14>cd\nb\u{0}\n"),
        (Framing::None, "<14>a\nb\u{0}<14>cd\nb\u{0}"),
    ] {
        let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port))
            .socktype(SocketType::Stream)
            .framing(framing)
            .build()
            .unwrap();
        let (mut conn, _) = listener.accept().unwrap();
        emit(&h, "t", Level::INFO, "a\nb", &[]).unwrap();
        emit(&h, "t", Level::INFO, "cd\nb", &[]).unwrap();
        h.close().unwrap();
        let mut got = String::new();
        conn.read_to_string(&mut got).unwrap();
        assert_eq!(got, expected, "{framing:?}");
    }
}

// === syslog: unreachable and hung servers ===

#[test]
fn syslog_rfc5424_structured_data_carries_the_fields() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port))
        .format(SyslogFormat::Rfc5424)
        .hostname("web1")
        .app_name("shop")
        .structured_data("shop@32473")
        .utc(true)
        .build()
        .unwrap();
    let fields = [("user", Value::from("al]ice")), ("attempt", Value::from(3))];
    let record = Record::new(
        "n",
        Level::ERROR,
        Message::text("boom"),
        Location::new("f.rs", 1, "m"),
    )
    .with_fields(&fields)
    .with_created(logkit::Timestamp::new(1_704_164_645, 0));
    h.emit(&record).unwrap();
    let pid = std::process::id();
    assert_eq!(
        String::from_utf8(recv(&sock)).unwrap(),
        format!(
            r#"<11>1 2024-01-02T03:04:05.000000Z web1 shop {pid} - [shop@32473 user="al\]ice" attempt="3"] boom"#
        )
    );

    let options = || SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port));
    for bad in ["shop", "shop@", "shop@x", "a b@1", &"x".repeat(30)] {
        let err = options()
            .format(SyslogFormat::Rfc5424)
            .structured_data(bad)
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not an SD-ID"), "{bad}: {err}");
    }
    let err = options()
        .structured_data("shop@32473")
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs the RFC 5424 format"), "{err}");
}

#[test]
fn syslog_tcp_server_down_fails_fast_and_backs_off() {
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let h =
        SysLogHandler::tcp("127.0.0.1", port).expect("a server that is down is not an error yet");
    let t = Instant::now();
    let first = emit(&h, "down", Level::ERROR, "lost", &[])
        .unwrap_err()
        .to_string();
    assert!(
        first.contains("cannot connect to the syslog server at 127.0.0.1:"),
        "{first}"
    );
    let second = emit(&h, "down", Level::ERROR, "lost", &[])
        .unwrap_err()
        .to_string();
    assert!(second.contains("next connection attempt in"), "{second}");
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
}

#[test]
fn syslog_hung_server_holds_a_record_no_longer_than_the_timeout() {
    // Accepts connections (the kernel does) but never reads: writes block once the buffers
    // are full.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let timeout = Duration::from_millis(300);
    let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", port))
        .socktype(SocketType::Stream)
        .timeout(timeout)
        .build()
        .unwrap();
    let big = "x".repeat(64 * 1024);
    let mut failed = None;
    for _ in 0..2000 {
        let t = Instant::now();
        let r = emit(&h, "hung", Level::INFO, &big, &[]);
        let took = t.elapsed();
        assert!(
            took < timeout + Duration::from_millis(500),
            "one record took {took:?}"
        );
        if let Err(e) = r {
            failed = Some((e.to_string(), took));
            break;
        }
    }
    let (err, took) = failed.expect("the writes block once the socket buffers are full");
    assert!(err.contains("timed out after 300ms sending"), "{err}");
    assert!(took >= timeout - Duration::from_millis(50), "{took:?}");
    drop(listener);
}

#[test]
fn syslog_unreachable_server_is_a_logging_error_report() {
    if is_child() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let l = get_logger("net.syslog.down");
        l.add_handler(SysLogHandler::tcp("127.0.0.1", port).unwrap());
        l.log(Level::ERROR, "dropped %d", &[1.into()]);
        return;
    }
    let err = child_stderr("syslog_unreachable_server_is_a_logging_error_report");
    assert!(err.starts_with("--- Logging error ---\n"), "{err}");
    assert!(
        err.contains("cannot connect to the syslog server at 127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("Handler: SysLogHandler\n"), "{err}");
    assert!(
        err.contains("Message: 'dropped %d'\nArguments: (1,)\n"),
        "{err}"
    );
}

// === syslog: rsyslog ===

fn rsyslog_dir() -> std::path::PathBuf {
    svc("LOGKIT_SYSLOG_DIR").into()
}

fn rsyslog_addr() -> (String, u16) {
    let a = svc("LOGKIT_SYSLOG_ADDR");
    let (h, p) = a.rsplit_once(':').unwrap();
    (h.to_owned(), p.parse().unwrap())
}

#[test]
#[ignore = "needs rsyslog; run scripts/test.sh"]
fn syslog_udp_to_rsyslog() {
    let m = marker("syslog-udp");
    let (host, port) = rsyslog_addr();
    let h = SysLogHandler::options(SyslogAddress::inet(&host, port))
        .facility(Facility::LOCAL0)
        .ident("logkit: ")
        .build()
        .unwrap();
    h.set_formatter(Formatter::new("%(name)s %(levelname)s %(message)s").unwrap());
    let l = get_logger("net.syslog.udp");
    l.add_handler(h);
    l.log(Level::WARNING, "%s udp", &[m.as_str().into()]);
    let dir = rsyslog_dir();
    let raw = wait_lines(&dir.join("raw.log"), &m, 1);
    // rsyslog drops the trailing NUL.
    assert_eq!(
        raw,
        [format!("<132>logkit: net.syslog.udp WARNING {m} udp")]
    );
    let j = json(&wait_lines(&dir.join("json.log"), &m, 1)[0]);
    assert_eq!(j["input"], "imudp");
    assert_eq!(j["facility"], "16");
    assert_eq!(j["severity"], "4");
}

#[test]
#[ignore = "needs rsyslog; run scripts/test.sh"]
fn syslog_tcp_rfc5424_octet_counting_keeps_multiline_messages_whole() {
    let m = marker("syslog-tcp5424");
    let (host, port) = rsyslog_addr();
    let h = SysLogHandler::options(SyslogAddress::inet(&host, port))
        .socktype(SocketType::Stream)
        .format(SyslogFormat::Rfc5424)
        .facility(Facility::LOCAL4)
        .hostname("logkit-host")
        .app_name("logkit-test")
        .msgid("MID")
        .build()
        .unwrap();
    for i in 0..3 {
        emit(
            &h,
            "n",
            Level::ERROR,
            "%s line1\nline2 #%d ✓",
            &[m.as_str().into(), i.into()],
        )
        .unwrap();
    }
    let dir = rsyslog_dir();
    let lines = wait_lines(&dir.join("json.log"), &m, 3);
    for (i, line) in lines.iter().enumerate() {
        let j = json(line);
        assert_eq!(j["input"], "imtcp");
        assert_eq!(j["pri"], "163"); // local4.err
        assert_eq!(j["hostname"], "logkit-host");
        assert_eq!(j["app"], "logkit-test");
        assert_eq!(j["procid"], std::process::id().to_string());
        assert_eq!(j["msgid"], "MID");
        assert_eq!(j["msg"], format!("{m} line1#012line2 #{i} ✓"));
    }
}

#[test]
#[ignore = "needs rsyslog; run scripts/test.sh"]
fn syslog_tcp_rfc3164_line_feed_framing() {
    let m = marker("syslog-tcp3164");
    let (host, port) = rsyslog_addr();
    let h = SysLogHandler::options(SyslogAddress::inet(&host, port))
        .socktype(SocketType::Stream)
        .framing(Framing::LineFeed)
        .format(SyslogFormat::Rfc3164)
        .hostname("web1")
        .app_name("shop")
        .build()
        .unwrap();
    emit(&h, "n", Level::INFO, "%s first", &[m.as_str().into()]).unwrap();
    emit(&h, "n", Level::DEBUG, "%s second", &[m.as_str().into()]).unwrap();
    let dir = rsyslog_dir();
    let lines = wait_lines(&dir.join("json.log"), &m, 2);
    let pid = std::process::id();
    let got: Vec<(String, String, String)> = lines
        .iter()
        .map(|l| {
            let j = json(l);
            (
                j["pri"].as_str().unwrap().to_owned(),
                j["tag"].as_str().unwrap().to_owned(),
                j["msg"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // rsyslog keeps the space after the RFC 3164 tag in `msg`.
            ("14".into(), format!("shop[{pid}]:"), format!(" {m} first")),
            ("15".into(), format!("shop[{pid}]:"), format!(" {m} second")),
        ]
    );
}

#[test]
#[ignore = "needs rsyslog; run scripts/test.sh"]
fn syslog_unix_socket_to_rsyslog() {
    let m = marker("syslog-unix");
    let h = SysLogHandler::unix(svc("LOGKIT_SYSLOG_UNIX")).unwrap();
    h.set_formatter(Formatter::new("app: %(message)s").unwrap());
    emit(&h, "n", Level::CRITICAL, "%s unix", &[m.as_str().into()]).unwrap();
    let dir = rsyslog_dir();
    assert_eq!(
        wait_lines(&dir.join("raw.log"), &m, 1),
        [format!("<10>app: {m} unix")]
    );
    let j = json(&wait_lines(&dir.join("json.log"), &m, 1)[0]);
    assert_eq!(j["input"], "imuxsock");
}

#[test]
#[ignore = "needs rsyslog; run scripts/test.sh"]
fn syslog_config_from_ini_reaches_rsyslog() {
    isolated("syslog_config_from_ini_reaches_rsyslog", || {
        let m = marker("syslog-ini");
        let (host, port) = rsyslog_addr();
        let ini = format!(
            "[loggers]\nkeys=root\n\n[handlers]\nkeys=syslog\n\n[formatters]\nkeys=f\n\n\
             [logger_root]\nlevel=INFO\nhandlers=syslog\n\n\
             [handler_syslog]\nclass=handlers.SysLogHandler\nformatter=f\n\
             args=(('{host}', {port}), handlers.SysLogHandler.LOG_DAEMON, socket.SOCK_STREAM)\n\n\
             [formatter_f]\nformat=%(levelname)s %(message)s\n"
        );
        logkit::config::FileConfig::from_text("syslog.ini", &ini)
            .apply()
            .unwrap();
        logkit::root().log(Level::WARNING, "%s from ini", &[m.as_str().into()]);
        let dir = rsyslog_dir();
        let j = json(&wait_lines(&dir.join("json.log"), &m, 1)[0]);
        assert_eq!(j["input"], "imtcp");
        assert_eq!(j["raw"], format!("<28>WARNING {m} from ini"));
    });
}

/// A second rsyslog instance of this test's own, so that restarting it disturbs no other test.
struct OwnRsyslog {
    script: String,
    dir: std::path::PathBuf,
    port: u16,
}

impl OwnRsyslog {
    fn start(&self) {
        let out = Command::new("bash")
            .args([
                &self.script,
                "start",
                self.dir.to_str().unwrap(),
                &self.port.to_string(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "rsyslog.sh start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn stop(&self) {
        let out = Command::new("bash")
            .args([&self.script, "stop", self.dir.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "rsyslog.sh stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for OwnRsyslog {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .args([&self.script, "stop", self.dir.to_str().unwrap()])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
#[ignore = "needs rsyslog; run scripts/test.sh"]
fn syslog_tcp_reconnects_after_the_server_restarts_without_losing_a_record() {
    let m = marker("syslog-restart");
    let server = OwnRsyslog {
        script: svc("LOGKIT_RSYSLOG_SH"),
        dir: Path::new(&svc("LOGKIT_SVC")).join(format!("rsyslog-restart-{}", std::process::id())),
        port: 15516,
    };
    server.start();
    let h = SysLogHandler::tcp("127.0.0.1", server.port).unwrap();
    let raw = server.dir.join("raw.log");
    emit(&h, "n", Level::INFO, "%s before", &[m.as_str().into()]).unwrap();
    wait_lines(&raw, &format!("{m} before"), 1);

    server.stop();
    // While it is down: an error, at once.
    let t = Instant::now();
    let err = emit(&h, "n", Level::INFO, "%s during", &[m.as_str().into()]).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(1));
    assert!(
        err.to_string().contains("syslog server at 127.0.0.1:15516"),
        "{err}"
    );

    server.start();
    // The back-off from the failed attempt above must have passed.
    std::thread::sleep(Duration::from_millis(1100));
    // The first record after the restart arrives: the handler noticed the closed connection
    // before writing.
    emit(&h, "n", Level::INFO, "%s after-1", &[m.as_str().into()]).unwrap();
    emit(&h, "n", Level::INFO, "%s after-2", &[m.as_str().into()]).unwrap();
    wait_lines(&raw, &format!("{m} after-1"), 1);
    wait_lines(&raw, &format!("{m} after-2"), 1);
    assert!(lines_with(&raw, &format!("{m} during")).is_empty());
}

// === HTTP ===

/// `urllib.parse.parse_qsl`: the pairs of a form body or query, decoded.
fn parse_form(s: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                    i += 2;
                }
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (decode(k), decode(v))
        })
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no field {key} in {pairs:?}"))
}

#[test]
#[ignore = "needs python3 (CPython 3.11); run scripts/test.sh"]
fn http_form_body_has_cpythons_fields_in_cpythons_order() {
    let py = "import logging, urllib.parse\n\
        r = logging.LogRecord('app.web', 30, '/src/app.py', 12, 'user %s: %d', ('bob', 3), None, func='handler')\n\
        r.request_id = 'abc'\n\
        print(urllib.parse.urlencode(r.__dict__))";
    let out = Command::new("python3")
        .args(["-c", py])
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cpython = parse_form(String::from_utf8(out.stdout).unwrap().trim());

    let args = [Value::from("bob"), Value::from(3)];
    let fields = [("request_id", Value::from("abc"))];
    let record = Record::new(
        "app.web",
        Level::WARNING,
        Message::dynamic("user %s: %d", &args),
        Location::new("/src/app.py", 12, "app").with_function("handler"),
    )
    .with_fields(&fields);
    let ours = parse_form(&logkit::http_form_body(&record));
    let keys = |p: &[(String, String)]| p.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&ours), keys(&cpython));
    // Everything but the time, the thread and the process is the same.
    for (k, v) in &cpython {
        if [
            "created",
            "msecs",
            "relativeCreated",
            "thread",
            "threadName",
            "process",
        ]
        .contains(&k.as_str())
        {
            continue;
        }
        assert_eq!(field(&ours, k), v, "{k}");
    }
}

#[test]
fn http_refuses_credentials_over_plain_http_and_an_unreadable_ca_file() {
    let err = logkit::HTTPHandler::options("127.0.0.1:18080", "/log")
        .credentials("u", "p")
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("refusing credentials over plain http to 127.0.0.1:18080"),
        "{err}"
    );
    let err = logkit::HTTPHandler::options("127.0.0.1:18443", "/log")
        .secure(true)
        .cafile("/nonexistent/ca.pem")
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot read certificates from /nonexistent/ca.pem"),
        "{err}"
    );
    let err = logkit::HttpMethod::from_python("PUT")
        .unwrap_err()
        .to_string();
    // CPython's exact text ends the message.
    assert!(err.ends_with("method must be GET or POST"), "{err}");
}

#[test]
fn http_hung_server_holds_a_record_no_longer_than_the_timeout() {
    // Accepts (the kernel does) and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let h = logkit::HTTPHandler::options(&host, "/log")
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let t = Instant::now();
    let err = emit(&h, "hung", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    let took = t.elapsed();
    assert!(
        err.contains("timed out after 300ms waiting for the response"),
        "{err}"
    );
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_millis(800),
        "{took:?}"
    );
}

#[test]
fn http_server_down_fails_fast_and_backs_off() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let h = logkit::HTTPHandler::new(&format!("127.0.0.1:{port}"), "/log").unwrap();
    let t = Instant::now();
    let first = emit(&h, "down", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(first.contains("connect to 127.0.0.1:"), "{first}");
    let second = emit(&h, "down", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(second.contains("next connection attempt in"), "{second}");
    assert!(t.elapsed() < Duration::from_secs(1));
}

/// The requests the HTTP sink recorded whose raw line contains `needle`.
fn http_requests(needle: &str, n: usize) -> Vec<serde_json::Value> {
    let path = std::path::PathBuf::from(svc("LOGKIT_HTTP_LOG"));
    // The marker is percent-encoded in form bodies and queries; markers use only `-` and
    // alphanumerics, which are left as they are.
    wait_lines(&path, needle, n)
        .iter()
        .map(|l| json(l))
        .collect()
}

#[test]
#[ignore = "needs the HTTP sink; run scripts/test.sh"]
fn http_get_sends_the_record_in_the_query() {
    let m = marker("http-get");
    let h = logkit::HTTPHandler::new(&svc("LOGKIT_HTTP"), "/log?app=shop").unwrap();
    let l = get_logger("net.http.get");
    l.add_handler(h);
    l.log(
        Level::ERROR,
        "%s failed: %d ✓",
        &[m.as_str().into(), 42.into()],
    );
    let r = &http_requests(&m, 1)[0];
    assert_eq!(r["method"], "GET");
    assert_eq!(r["path"], "/log");
    assert_eq!(r["body"], "");
    let headers = r["headers"].as_object().unwrap();
    let names: Vec<&str> = headers.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["accept-encoding", "host"],
        "CPython's headers (sorted)"
    );
    assert_eq!(headers["host"], svc("LOGKIT_HTTP"));
    let q = parse_form(r["query"].as_str().unwrap());
    assert_eq!(q[0], ("app".into(), "shop".into()));
    assert_eq!(field(&q, "name"), "net.http.get");
    assert_eq!(field(&q, "msg"), "%s failed: %d ✓");
    assert_eq!(field(&q, "args"), format!("('{m}', 42)"));
    assert_eq!(field(&q, "levelname"), "ERROR");
    assert_eq!(field(&q, "levelno"), "40");
    assert_eq!(field(&q, "exc_info"), "None");
}

#[test]
#[ignore = "needs the HTTP sink; run scripts/test.sh"]
fn http_post_sends_a_form_body() {
    let m = marker("http-post");
    let h = logkit::HTTPHandler::options(&svc("LOGKIT_HTTP"), "/log")
        .method(logkit::HttpMethod::Post)
        .build()
        .unwrap();
    let fields = [("request_id", Value::from(m.as_str()))];
    let record = Record::new(
        "net.http.post",
        Level::WARNING,
        Message::text("a b&c=d"),
        Location::new("src/x.rs", 3, "x"),
    )
    .with_fields(&fields);
    h.emit(&record).unwrap();
    let r = &http_requests(&m, 1)[0];
    assert_eq!(r["method"], "POST");
    assert_eq!(
        r["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = r["body"].as_str().unwrap();
    assert_eq!(r["headers"]["content-length"], body.len().to_string());
    let f = parse_form(body);
    assert_eq!(field(&f, "msg"), "a b&c=d");
    assert_eq!(field(&f, "args"), "()");
    assert_eq!(field(&f, "lineno"), "3");
    assert_eq!(f.last().unwrap(), &("request_id".to_owned(), m.clone()));
}

#[test]
#[ignore = "needs the HTTP sink; run scripts/test.sh"]
fn http_post_json_body_with_the_formatted_record() {
    let m = marker("http-json");
    let h = logkit::HTTPHandler::options(&svc("LOGKIT_HTTP"), "/ingest")
        .method(logkit::HttpMethod::Post)
        .body(logkit::HttpBody::Json)
        .build()
        .unwrap();
    h.set_formatter(Formatter::new("%(levelname)s|%(message)s").unwrap());
    let fields = [("user_id", Value::from(7)), ("ok", Value::Bool(true))];
    let args = [Value::from(m.as_str())];
    let record = Record::new(
        "net.http.json",
        Level::INFO,
        Message::dynamic("%s \"quoted\"\nnext", &args),
        Location::new("src/x.rs", 3, "x"),
    )
    .with_fields(&fields);
    h.emit(&record).unwrap();
    let r = &http_requests(&m, 1)[0];
    assert_eq!(r["headers"]["content-type"], "application/json");
    let body = json(r["body"].as_str().unwrap());
    assert_eq!(body["name"], "net.http.json");
    assert_eq!(body["levelno"], 20);
    assert_eq!(body["lineno"], 3);
    assert_eq!(body["exc_text"], serde_json::Value::Null);
    assert_eq!(body["user_id"], 7);
    assert_eq!(body["ok"], true);
    assert!(body["created"].as_f64().unwrap() > 1.6e9);
    assert_eq!(body["formatted"], format!("INFO|{m} \"quoted\"\nnext"));
}

#[test]
#[ignore = "needs the HTTP sink; run scripts/test.sh"]
fn http_error_status_and_slow_server_are_reported_within_the_timeout() {
    let m = marker("http-status");
    let h = logkit::HTTPHandler::new(&svc("LOGKIT_HTTP"), "/status/503/log").unwrap();
    let err = emit(&h, "n", Level::ERROR, &m, &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTTP 503 Service Unavailable from http://"),
        "{err}"
    );
    http_requests(&m, 1);

    let m = marker("http-slow");
    let h = logkit::HTTPHandler::options(&svc("LOGKIT_HTTP"), "/delay/3000/log")
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let t = Instant::now();
    let err = emit(&h, "n", Level::ERROR, &m, &[])
        .unwrap_err()
        .to_string();
    let took = t.elapsed();
    assert!(
        err.contains("timed out after 500ms waiting for the response"),
        "{err}"
    );
    assert!(took < Duration::from_millis(1000), "{took:?}");
    http_requests(&m, 1); // the server got it, only late to answer
}

#[test]
#[ignore = "needs the HTTP sink; run scripts/test.sh"]
fn http_handler_from_dict_config() {
    isolated("http_handler_from_dict_config", || {
        let m = marker("http-dict");
        let config = logkit::config::ConfigValue::from_json(&format!(
            r#"{{"version": 1,
                "handlers": {{"web": {{"class": "logging.handlers.HTTPHandler",
                                      "host": "{}", "url": "/dict", "method": "POST",
                                      "timeout": 2.5}}}},
                "root": {{"level": "INFO", "handlers": ["web"]}}}}"#,
            svc("LOGKIT_HTTP")
        ))
        .unwrap();
        logkit::config::dict_config(&config).unwrap();
        logkit::root().log(Level::INFO, "%s via dictConfig", &[m.as_str().into()]);
        let r = &http_requests(&m, 1)[0];
        assert_eq!(r["path"], "/dict");
        let f = parse_form(r["body"].as_str().unwrap());
        assert_eq!(field(&f, "args"), format!("('{m}',)"));
    });
}

// === SMTP ===

/// The messages in a Maildir's `new/` that contain `needle`, waiting until there are `n`.
fn mails(maildir: &str, needle: &str, n: usize) -> Vec<String> {
    let dir = Path::new(maildir).join("new");
    wait_for(
        &format!("{n} mail(s) with {needle} in {}", dir.display()),
        Duration::from_secs(5),
        || {
            let mut found: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&dir)
                .ok()?
                .filter_map(|e| {
                    let e = e.ok()?;
                    let text = std::fs::read_to_string(e.path()).ok()?;
                    let modified = e.metadata().ok()?.modified().ok()?;
                    text.contains(needle).then_some((modified, text))
                })
                .collect();
            found.sort();
            (found.len() >= n).then(|| found.into_iter().map(|(_, t)| t).collect())
        },
    )
}

fn smtp_host_port(var: &str) -> (String, u16) {
    let a = svc(var);
    let (h, p) = a.rsplit_once(':').unwrap();
    (h.to_owned(), p.parse().unwrap())
}

/// The header `name` of a stored message.
fn header<'a>(mail: &'a str, name: &str) -> &'a str {
    let head = mail.split("\n\n").next().unwrap();
    head.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(": ")))
        .unwrap_or_else(|| panic!("no {name} header in:\n{mail}"))
}

#[test]
#[ignore = "needs the SMTP server; run scripts/test.sh"]
fn smtp_mail_reaches_the_server_with_cpythons_headers() {
    let m = marker("smtp-plain");
    let (host, port) = smtp_host_port("LOGKIT_SMTP");
    let h = logkit::SMTPHandler::options(
        &host,
        "app@example.test",
        &["ops@example.test", "dev@example.test"],
        &format!("Alert ✓ {m}"),
    )
    .port(port)
    .build()
    .unwrap();
    h.set_formatter(Formatter::new("%(levelname)s in %(name)s:\n%(message)s").unwrap());
    let l = get_logger("net.smtp.plain");
    l.add_handler(h);
    l.log(
        Level::ERROR,
        "%s failed\n.leading dot",
        &[m.as_str().into()],
    );
    let mail = &mails(&svc("LOGKIT_SMTP_MAILDIR"), &m, 1)[0];
    assert_eq!(header(mail, "From"), "app@example.test");
    assert_eq!(header(mail, "To"), "ops@example.test,dev@example.test");
    assert_eq!(
        header(mail, "Subject"),
        format!("Alert =?utf-8?b?4pyT?= {m}")
    );
    assert_eq!(
        header(mail, "Content-Type"),
        "text/plain; charset=\"utf-8\""
    );
    assert_eq!(header(mail, "Content-Transfer-Encoding"), "7bit");
    assert_eq!(header(mail, "MIME-Version"), "1.0");
    assert_eq!(header(mail, "X-MailFrom"), "app@example.test");
    assert_eq!(
        header(mail, "X-RcptTo"),
        "ops@example.test, dev@example.test"
    );
    assert!(header(mail, "Date").ends_with(|c: char| c.is_ascii_digit()));
    let body = mail.split_once("\n\n").unwrap().1;
    assert_eq!(
        body,
        format!("ERROR in net.smtp.plain:\n{m} failed\n.leading dot\n")
    );
}

#[test]
#[ignore = "needs python3 (CPython 3.11) and the SMTP server; run scripts/test.sh"]
fn smtp_messages_match_cpythons() {
    let (host, port) = smtp_host_port("LOGKIT_SMTP");
    let long_line = format!("a line longer than 78 bytes: {}", "x".repeat(90));
    let long_non_ascii = format!("é{}", "é".repeat(60));
    let long_subject = "Parity ✓ a subject long enough that the email policy folds it at a blank";
    let cases = [
        ("Parity ✓", "plain ascii"),
        ("Parity ✓", "non-ascii ✓ é"),
        ("Parity ✓", "dot\n.line"),
        // Quoted-printable (with a soft line break) and base64.
        ("Parity ✓", long_line.as_str()),
        ("Parity ✓", long_non_ascii.as_str()),
        (long_subject, "plain ascii"),
    ];
    for (i, (subject, body)) in cases.into_iter().enumerate() {
        let m = marker(&format!("smtp-parity{i}"));
        let py = format!(
            "import logging, logging.handlers\n\
             h = logging.handlers.SMTPHandler(('{host}', {port}), 'py@example.test', ['a@example.test', 'b@example.test'], {subject:?} + ' {m} py')\n\
             l = logging.getLogger('parity'); l.addHandler(h)\n\
             l.error({body:?})\n"
        );
        let out = Command::new("python3")
            .args(["-c", &py])
            .output()
            .expect("run python3");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let h = logkit::SMTPHandler::options(
            &host,
            "py@example.test",
            &["a@example.test", "b@example.test"],
            &format!("{subject} {m} rs"),
        )
        .port(port)
        .build()
        .unwrap();
        emit(&h, "parity", Level::ERROR, body, &[]).unwrap();
        let got = mails(&svc("LOGKIT_SMTP_MAILDIR"), &m, 2);
        // The same message but for the subject's last word, the date and the peer's port.
        let normalize = |mail: &str| -> String {
            mail.lines()
                .filter(|l| !l.starts_with("Date: ") && !l.starts_with("X-Peer: "))
                .map(|l| l.replace(" py", "").replace(" rs", ""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (py_mail, rs_mail) = if got[0].contains(" py\n") {
            (&got[0], &got[1])
        } else {
            (&got[1], &got[0])
        };
        assert_eq!(normalize(rs_mail), normalize(py_mail), "body {body:?}");
    }
}

#[test]
#[ignore = "needs the SMTP server; run scripts/test.sh"]
fn smtp_login_on_loopback_and_refusals() {
    let (host, port) = smtp_host_port("LOGKIT_SMTP_AUTH");
    let user = svc("LOGKIT_SMTP_USER");
    let password = svc("LOGKIT_SMTP_PASSWORD");
    let m = marker("smtp-auth");
    let h = logkit::SMTPHandler::options(&host, "app@example.test", &["ops@example.test"], &m)
        .port(port)
        .credentials(&user, &password)
        .build()
        .unwrap();
    emit(&h, "n", Level::CRITICAL, "logged in", &[]).unwrap();
    let mail = &mails(&svc("LOGKIT_SMTP_AUTH_MAILDIR"), &m, 1)[0];
    assert_eq!(header(mail, "Subject"), m);

    let wrong = logkit::SMTPHandler::options(&host, "a@example.test", &["b@example.test"], "x")
        .port(port)
        .credentials(&user, "wrong")
        .build()
        .unwrap();
    let err = emit(&wrong, "n", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("refused AUTH PLAIN: 535"), "{err}");

    let anonymous = logkit::SMTPHandler::options(&host, "a@example.test", &["b@example.test"], "x")
        .port(port)
        .build()
        .unwrap();
    let err = emit(&anonymous, "n", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("refused MAIL FROM: 530"), "{err}");
}

#[test]
fn smtp_refuses_clear_text_credentials_across_the_network() {
    let err = logkit::SMTPHandler::options("smtp.example.com", "a@x", &["b@x"], "s")
        .credentials("u", "p")
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("refusing to send credentials to smtp.example.com without TLS"),
        "{err}"
    );
    // With TLS, credentials may go anywhere.
    logkit::SMTPHandler::options("localhost", "a@x", &["b@x"], "s")
        .credentials("u", "p")
        .secure(true)
        .build()
        .unwrap();
    let err = logkit::SMTPHandler::options("127.0.0.1", "a@x", &["b@x"], "s\r\nBcc: evil@x")
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("subject must not contain a line break"),
        "{err}"
    );
}

#[test]
fn smtp_server_down_or_hung_is_bounded() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let h = logkit::SMTPHandler::options("127.0.0.1", "a@x", &["b@x"], "s")
        .port(port)
        .build()
        .unwrap();
    let t = Instant::now();
    let err = emit(&h, "n", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("sending mail through 127.0.0.1:"), "{err}");
    let err = emit(&h, "n", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("next connection attempt in"), "{err}");
    assert!(t.elapsed() < Duration::from_secs(1));

    // A server that accepts and never greets.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let h = logkit::SMTPHandler::options("127.0.0.1", "a@x", &["b@x"], "s")
        .port(port)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let t = Instant::now();
    let err = emit(&h, "n", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("timed out after 300ms waiting for the SMTP server's reply to greeting"),
        "{err}"
    );
    assert!(
        t.elapsed() < Duration::from_millis(800),
        "{:?}",
        t.elapsed()
    );
}

#[test]
#[ignore = "needs the SMTP server; run scripts/test.sh"]
fn smtp_handler_from_ini() {
    isolated("smtp_handler_from_ini", || {
        let m = marker("smtp-ini");
        let (host, port) = smtp_host_port("LOGKIT_SMTP");
        let ini = format!(
            "[loggers]\nkeys=root\n\n[handlers]\nkeys=mail\n\n[formatters]\nkeys=\n\n\
             [logger_root]\nlevel=INFO\nhandlers=mail\n\n\
             [handler_mail]\nclass=handlers.SMTPHandler\nlevel=ERROR\n\
             args=(('{host}', {port}), 'app@example.test', ['ops@example.test'], '{m}')\n\
             kwargs={{'timeout': 2.0}}\n"
        );
        logkit::config::FileConfig::from_text("mail.ini", &ini)
            .apply()
            .unwrap();
        logkit::root().log(Level::WARNING, "not mailed", &[]);
        logkit::root().log(Level::ERROR, "mailed %d", &[1.into()]);
        let mail = &mails(&svc("LOGKIT_SMTP_MAILDIR"), &m, 1)[0];
        assert!(mail.ends_with("\n\nmailed 1\n"), "{mail}");
    });
}

// === journald ===

/// The entries of the test journal namespace whose field `name` is `value`.
fn journal_entries(name: &str, value: &str, n: usize) -> Vec<serde_json::Value> {
    let ns = svc("LOGKIT_JOURNAL_NAMESPACE");
    wait_for(
        &format!("{n} journal entries with {name}={value}"),
        Duration::from_secs(5),
        || {
            let out = Command::new("journalctl")
                .args([
                    &format!("--namespace={ns}"),
                    "-o",
                    "json",
                    "--all",
                    "--no-pager",
                    "-q",
                    &format!("{name}={value}"),
                ])
                .output()
                .ok()?;
            let entries: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(json)
                .collect();
            (entries.len() >= n).then_some(entries)
        },
    )
}

#[test]
#[ignore = "needs systemd-journald; run scripts/test.sh"]
fn journald_entry_has_the_record_fields() {
    let m = marker("journald-fields");
    let h = logkit::JournaldHandler::options()
        .socket(svc("LOGKIT_JOURNAL_SOCKET"))
        .syslog_identifier("logkit-test")
        .field("deployment", "blue")
        .build()
        .unwrap();
    h.set_formatter(Formatter::new("%(levelname)s %(message)s").unwrap());
    let fields = [
        ("test_marker", Value::from(m.as_str())),
        ("user.id", Value::from(42)),
        ("message", Value::from("may not replace MESSAGE")),
        ("_PID", Value::from("may not fake a trusted field")),
    ];
    let args = [Value::from(m.as_str())];
    let record = Record::new(
        "net.journald",
        Level::ERROR,
        Message::dynamic("%s line1\nline2 ✓", &args),
        Location::new("src/jd.rs", 77, "app::jd").with_function("app::jd::handle"),
    )
    .with_fields(&fields);
    h.emit(&record).unwrap();
    let e = &journal_entries("TEST_MARKER", &m, 1)[0];
    assert_eq!(e["MESSAGE"], format!("ERROR {m} line1\nline2 ✓"));
    assert_eq!(e["PRIORITY"], "3");
    assert_eq!(e["LOGGER"], "net.journald");
    assert_eq!(e["CODE_FILE"], "src/jd.rs");
    assert_eq!(e["CODE_LINE"], "77");
    assert_eq!(e["CODE_FUNC"], "handle");
    assert_eq!(e["CODE_MODULE"], "app::jd");
    assert_eq!(e["SYSLOG_IDENTIFIER"], "logkit-test");
    assert_eq!(e["DEPLOYMENT"], "blue");
    assert_eq!(e["USER_ID"], "42");
    assert_eq!(e["PID"], "may not fake a trusted field");
    assert_eq!(e["_PID"], std::process::id().to_string(), "journald's own");
    assert_eq!(e["_TRANSPORT"], "journal");
}

#[test]
#[ignore = "needs systemd-journald; run scripts/test.sh"]
fn journald_entry_larger_than_a_datagram_goes_through_a_memfd() {
    let m = marker("journald-big");
    let h = logkit::JournaldHandler::options()
        .socket(svc("LOGKIT_JOURNAL_SOCKET"))
        .field("test_marker", &m)
        .build()
        .unwrap();
    let big = "y".repeat(1 << 20);
    emit(&h, "net.journald.big", Level::INFO, &big, &[]).unwrap();
    let e = &journal_entries("TEST_MARKER", &m, 1)[0];
    assert_eq!(e["MESSAGE"].as_str().unwrap().len(), 1 << 20);
    assert_eq!(e["PRIORITY"], "6");
}

#[test]
fn journald_not_running_is_an_error_naming_the_socket() {
    let dir = logkit_tests::temp_dir("journald-missing");
    let missing = dir.join("socket");
    let h = logkit::JournaldHandler::options()
        .socket(&missing)
        .build()
        .unwrap();
    let err = emit(&h, "n", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("sending to journald at {}", missing.display())),
        "{err}"
    );
    assert!(err.contains("No such file or directory"), "{err}");
    // A socket file left behind by a journald that stopped.
    drop(std::os::unix::net::UnixDatagram::bind(&missing).unwrap());
    let err = emit(&h, "n", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("Connection refused"), "{err}");
}

#[test]
fn journald_datagram_bytes() {
    let dir = logkit_tests::temp_dir("journald-bytes");
    let path = dir.join("socket");
    let server = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
    let h = logkit::JournaldHandler::options()
        .socket(&path)
        .syslog_identifier("app")
        .build()
        .unwrap();
    let record = Record::new(
        "a.b",
        Level::WARNING,
        Message::text("two\nlines"),
        Location::new("f.rs", 9, "m"),
    );
    h.emit(&record).unwrap();
    let mut buf = vec![0u8; 4096];
    server
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let n = server.recv(&mut buf).unwrap();
    let thread = std::thread::current().name().unwrap().to_owned();
    let mut expected = b"MESSAGE\n".to_vec();
    expected.extend_from_slice(&9u64.to_le_bytes());
    expected
        .extend_from_slice(b"two\nlines\nPRIORITY=4\nLOGGER=a.b\nCODE_FILE=f.rs\nCODE_LINE=9\n");
    expected.extend_from_slice(b"CODE_MODULE=m\n"); // no CODE_FUNC: the function is unknown
    expected.extend_from_slice(format!("THREAD_NAME={thread}\nSYSLOG_IDENTIFIER=app\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&buf[..n]),
        String::from_utf8_lossy(&expected)
    );
}

#[test]
#[ignore = "needs systemd-journald; run scripts/test.sh"]
fn journald_handler_from_dict_config() {
    isolated("journald_handler_from_dict_config", || {
        let m = marker("journald-dict");
        let config = logkit::config::ConfigValue::from_json(&format!(
            r#"{{"version": 1,
                "handlers": {{"journal": {{"class": "JournaldHandler",
                                          "socket": "{}",
                                          "syslog_identifier": "logkit-dict",
                                          "fields": {{"test_marker": "{m}"}}}}}},
                "root": {{"level": "DEBUG", "handlers": ["journal"]}}}}"#,
            svc("LOGKIT_JOURNAL_SOCKET")
        ))
        .unwrap();
        logkit::config::dict_config(&config).unwrap();
        logkit::root().log(Level::DEBUG, "from dictConfig", &[]);
        let e = &journal_entries("TEST_MARKER", &m, 1)[0];
        assert_eq!(e["MESSAGE"], "from dictConfig");
        assert_eq!(e["PRIORITY"], "7");
        assert_eq!(e["SYSLOG_IDENTIFIER"], "logkit-dict");
    });
}

// === configuration ===

#[test]
fn config_syslog_facility_and_socktype_in_every_spelling() {
    isolated(
        "config_syslog_facility_and_socktype_in_every_spelling",
        || {
            let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
            let port = sock.local_addr().unwrap().port();
            // INI: CPython's positional args, a facility name as a string.
            let ini = format!(
                "[loggers]\nkeys=root\n\n[handlers]\nkeys=s\n\n[formatters]\nkeys=\n\n\
             [logger_root]\nlevel=DEBUG\nhandlers=s\n\n\
             [handler_s]\nclass=logging.handlers.SysLogHandler\n\
             args=(('127.0.0.1', {port}), 'local3', socket.SOCK_DGRAM)\n\
             kwargs={{'ident': 'ini: '}}\n"
            );
            logkit::config::FileConfig::from_text("s.ini", &ini)
                .apply()
                .unwrap();
            logkit::root().log(Level::INFO, "one", &[]);
            assert_eq!(recv(&sock), b"<158>ini: one\0");
            // dictConfig: ext:// constants, logkit's keywords.
            let config = logkit::config::ConfigValue::from_json(&format!(
                r#"{{"version": 1,
                "handlers": {{"s": {{"class": "logging.handlers.SysLogHandler",
                                    "address": ["127.0.0.1", {port}],
                                    "facility": "ext://logging.handlers.SysLogHandler.LOG_LOCAL5",
                                    "socktype": "ext://socket.SOCK_DGRAM",
                                    "append_nul": false}}}},
                "root": {{"level": "DEBUG", "handlers": ["s"]}}}}"#
            ))
            .unwrap();
            logkit::config::dict_config(&config).unwrap();
            logkit::root().log(Level::ERROR, "two", &[]);
            assert_eq!(recv(&sock), b"<171>two");
        },
    );
}

/// The error of applying an INI file with one handler of `class` and `args`.
fn config_error(class: &str, args: &str) -> String {
    let ini = format!(
        "[loggers]\nkeys=root\n\n[handlers]\nkeys=h\n\n[formatters]\nkeys=\n\n\
         [logger_root]\nhandlers=h\n\n[handler_h]\nclass={class}\nargs={args}\n"
    );
    logkit::config::FileConfig::from_text("bad.ini", &ini)
        .apply()
        .unwrap_err()
        .to_string()
}

#[test]
fn config_errors_of_the_network_handlers_say_what_is_wrong() {
    let cases = [
        (
            "handlers.SysLogHandler",
            "(('127.0.0.1', 514), 'local9')",
            "unknown facility 'local9'",
        ),
        (
            "handlers.SysLogHandler",
            "('/dev/log', 1, 'tcp')",
            "socktype must be socket.SOCK_DGRAM or socket.SOCK_STREAM",
        ),
        (
            "handlers.SysLogHandler",
            "(('127.0.0.1', 99999),)",
            "port 99999 is out of range",
        ),
        (
            "handlers.HTTPHandler",
            "('127.0.0.1:18080', '/log', 'PUT')",
            "method must be GET or POST",
        ),
        (
            "handlers.HTTPHandler",
            "('127.0.0.1:18080', '/log', 'GET', False, None, 'ctx')",
            "context parameter only makes sense with secure=True",
        ),
        (
            "handlers.HTTPHandler",
            "('127.0.0.1:18080', '/log', 'POST', False, ('u', 'p'))",
            "refusing credentials over plain http",
        ),
        (
            "handlers.HTTPHandler",
            "('127.0.0.1:18080',)",
            "missing 1 required argument: 'url'",
        ),
        (
            "handlers.SMTPHandler",
            "(('127.0.0.1', 25), 'a@x', 5, 's')",
            "argument 'toaddrs' must be a string or a list of strings",
        ),
        (
            "handlers.SMTPHandler",
            "('mail.example.com', 'a@x', ['b@x'], 's', ('u', 'p'))",
            "refusing to send credentials to mail.example.com without TLS",
        ),
        (
            "handlers.SMTPHandler",
            "('127.0.0.1', 'a@x', ['b@x'], 's', ('u', 'p'), ('key.pem', 'cert.pem'))",
            "client certificates (keyfile, certfile) are not supported",
        ),
        (
            "handlers.HTTPHandler",
            "('127.0.0.1:18443', '/log', 'GET', True, None, 'ctx')",
            "give `cafile` (a PEM file of trusted certificates) instead",
        ),
        (
            "JournaldHandler",
            "('/run/x', 'id', None, 0)",
            "must be a positive number of seconds",
        ),
    ];
    for (class, args, expected) in cases {
        let err = config_error(class, args);
        assert!(err.contains(expected), "{class}{args}: {err}");
    }
}

// === TLS (the `tls` feature) ===

#[test]
#[ignore = "needs the https sink; run scripts/test.sh"]
fn https_post_with_credentials() {
    let m = marker("https-post");
    let h = logkit::HTTPHandler::options(&svc("LOGKIT_HTTPS"), "/secure")
        .method(logkit::HttpMethod::Post)
        .secure(true)
        .cafile(svc("LOGKIT_TLS_CA"))
        .credentials("logkit", "s3cret:✓")
        .build()
        .unwrap();
    emit(&h, "net.https", Level::ERROR, &m, &[]).unwrap();
    let path = std::path::PathBuf::from(svc("LOGKIT_HTTPS_LOG"));
    let r = json(&wait_lines(&path, &m, 1)[0]);
    assert_eq!(r["path"], "/secure");
    // CPython: 'Basic ' + b64encode(('%s:%s' % credentials).encode('utf-8'))
    assert_eq!(
        r["headers"]["authorization"],
        "Basic bG9na2l0OnMzY3JldDrinJM="
    );
    assert_eq!(field(&parse_form(r["body"].as_str().unwrap()), "msg"), m);
}

#[test]
#[ignore = "needs the https sink; run scripts/test.sh"]
fn https_keep_alive_sends_every_record_over_one_connection() {
    for keep_alive in [true, false] {
        let m = marker(&format!("https-keep-{keep_alive}"));
        let h = logkit::HTTPHandler::options(&svc("LOGKIT_HTTPS"), "/keep")
            .method(logkit::HttpMethod::Post)
            .secure(true)
            .cafile(svc("LOGKIT_TLS_CA"))
            .keep_alive(keep_alive)
            .build()
            .unwrap();
        for i in 0..5 {
            let msg = format!("{m} %d");
            emit(&h, "net.https", Level::INFO, &msg, &[i.into()]).unwrap();
        }
        let path = std::path::PathBuf::from(svc("LOGKIT_HTTPS_LOG"));
        let lines = wait_lines(&path, &m, 5);
        let mut ports: Vec<u64> = lines
            .iter()
            .map(|l| json(l)["peer_port"].as_u64().expect("the sink's peer_port"))
            .collect();
        ports.sort_unstable();
        ports.dedup();
        // One TLS connection (one handshake) for all five, or one each as CPython makes.
        let expected = if keep_alive { 1 } else { 5 };
        assert_eq!(ports.len(), expected, "keep_alive {keep_alive}: {lines:?}");
    }
}

#[test]
#[ignore = "needs the https sink; run scripts/test.sh"]
fn https_server_with_an_untrusted_certificate_is_refused() {
    // The system's trusted certificates do not include the test CA.
    let h = logkit::HTTPHandler::options(&svc("LOGKIT_HTTPS"), "/secure")
        .secure(true)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let t = Instant::now();
    let err = emit(&h, "n", Level::ERROR, "never sent", &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid peer certificate: UnknownIssuer"),
        "{err}"
    );
    assert!(t.elapsed() < Duration::from_secs(2));
    // Plain http to the https port: the server answers no HTTP; bounded by the timeout.
    let h = logkit::HTTPHandler::options(&svc("LOGKIT_HTTPS"), "/plain")
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let t = Instant::now();
    assert!(emit(&h, "n", Level::ERROR, "x", &[]).is_err());
    assert!(t.elapsed() < Duration::from_secs(1));
}

#[test]
#[ignore = "needs the SMTP server; run scripts/test.sh"]
fn smtp_starttls_then_login() {
    let m = marker("smtp-starttls");
    let (host, port) = smtp_host_port("LOGKIT_SMTP_AUTH");
    let h = logkit::SMTPHandler::options(&host, "app@example.test", &["ops@example.test"], &m)
        .port(port)
        .secure(true)
        .cafile(svc("LOGKIT_TLS_CA"))
        .credentials(&svc("LOGKIT_SMTP_USER"), &svc("LOGKIT_SMTP_PASSWORD"))
        .build()
        .unwrap();
    emit(&h, "n", Level::CRITICAL, "over TLS ✓", &[]).unwrap();
    let mail = &mails(&svc("LOGKIT_SMTP_AUTH_MAILDIR"), &m, 1)[0];
    assert!(mail.ends_with("\n\nover TLS ✓\n"), "{mail}");

    // A server without STARTTLS: refused, nothing sent in clear text.
    let (host, port) = smtp_host_port("LOGKIT_SMTP");
    let h = logkit::SMTPHandler::options(&host, "a@example.test", &["b@example.test"], "x")
        .port(port)
        .secure(true)
        .cafile(svc("LOGKIT_TLS_CA"))
        .build()
        .unwrap();
    let err = emit(&h, "n", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the SMTP server does not offer STARTTLS"),
        "{err}"
    );
}

#[test]
fn https_hung_server_holds_a_record_no_longer_than_the_timeout() {
    // Accepts (the kernel does) and never answers the TLS handshake.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let h = logkit::HTTPHandler::options(&host, "/log")
        .secure(true)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("the system's trusted certificates (Debian's ca-certificates)");
    let t = Instant::now();
    let err = emit(&h, "hung", Level::ERROR, "x", &[])
        .unwrap_err()
        .to_string();
    let took = t.elapsed();
    assert!(
        err.contains("timed out after 300ms during the TLS handshake"),
        "{err}"
    );
    assert!(took < Duration::from_millis(800), "{took:?}");
}

/// How [`counting_http_server`] treats a connection after its first response.
#[derive(Clone, Copy, Debug, PartialEq)]
enum AfterFirst {
    /// Keeps it for more requests.
    Keep,
    /// Closes it at once without saying so (a keep-alive timeout that ran out).
    Close,
    /// Reads the next request, then closes without an answer (the timeout running out just
    /// as the request arrives).
    DropNext,
}

/// (connections accepted, connections closed, request lines answered)
type Seen = std::sync::Arc<std::sync::Mutex<(usize, usize, Vec<String>)>>;

/// A one-thread HTTP server counting connections, closes and answered requests.
fn counting_http_server(after_first: AfterFirst) -> (String, Seen) {
    use std::io::{BufRead as _, BufReader, Write as _};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let seen: Seen = std::sync::Arc::new(std::sync::Mutex::new((0usize, 0usize, Vec::new())));
    let seen2 = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            seen2.lock().unwrap().0 += 1;
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            for n in 0.. {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let mut len = 0;
                loop {
                    let mut h = String::new();
                    reader.read_line(&mut h).unwrap();
                    if h == "\r\n" {
                        break;
                    }
                    if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0u8; len];
                std::io::Read::read_exact(&mut reader, &mut body).unwrap();
                if n == 1 && after_first == AfterFirst::DropNext {
                    break;
                }
                seen2.lock().unwrap().2.push(line.trim_end().to_owned());
                (&conn)
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                    .unwrap();
                if after_first == AfterFirst::Close {
                    break;
                }
            }
            drop(reader);
            drop(conn);
            seen2.lock().unwrap().1 += 1;
        }
    });
    (host, seen)
}

#[test]
fn http_one_connection_per_record_by_default() {
    let (host, seen) = counting_http_server(AfterFirst::Keep);
    let h = logkit::HTTPHandler::new(&host, "/c").unwrap();
    for i in 0..3 {
        emit(&h, "conn", Level::INFO, "record %d", &[i.into()]).unwrap();
    }
    wait_for("3 connections closed", Duration::from_secs(5), || {
        (seen.lock().unwrap().1 == 3).then_some(())
    });
    let (connections, _, answered) = seen.lock().unwrap().clone();
    assert_eq!((connections, answered.len()), (3, 3));
}

#[test]
fn http_keep_alive_keeps_the_connection_and_reconnects_when_the_server_closed_it() {
    for after_first in [AfterFirst::Keep, AfterFirst::Close, AfterFirst::DropNext] {
        let (host, seen) = counting_http_server(after_first);
        let h = logkit::HTTPHandler::options(&host, "/k")
            .method(logkit::HttpMethod::Post)
            .keep_alive(true)
            .build()
            .unwrap();
        for i in 0..5 {
            emit(&h, "keep", Level::INFO, "record %d", &[i.into()]).unwrap();
            if after_first == AfterFirst::Close {
                // The close is seen before the next request goes out.
                wait_for("the server's close", Duration::from_secs(5), || {
                    (seen.lock().unwrap().1 == i + 1).then_some(())
                });
            }
        }
        let (connections, _, answered) = seen.lock().unwrap().clone();
        assert_eq!(answered.len(), 5, "{after_first:?}: {answered:?}");
        assert!(
            answered.iter().all(|r| r == "POST /k HTTP/1.1"),
            "{answered:?}"
        );
        let expected = match after_first {
            AfterFirst::Keep => 1,
            AfterFirst::Close | AfterFirst::DropNext => 5,
        };
        assert_eq!(connections, expected, "{after_first:?}");
    }
}
