//! Syslog over TLS (RFC 5425) against a real relay chain: a relay rsyslog with TLS inputs
//! (rsyslog-gnutls) forwarding to a final rsyslog that writes the records to a file, as
//! `tests/support/services-start.sh` starts them (`tests/support/relay.sh`). Records are
//! counted and their fields checked in the final file; TLS is verified with the throw-away CA
//! of the services; and a relay restart behind a blocking queue loses nothing.
//!
//! The tests that need the servers are ignored by plain `cargo test`; `scripts/test.sh`
//! starts the servers and runs them. They find them through the `LOGKIT_*` variables of
//! `/tmp/logkit-svc/env`, and share the final file: every test puts a unique marker in its
//! messages and waits (with a deadline) for that marker. The restart test runs a relay of its
//! own, so that restarting it disturbs no other test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use logkit::{
    Facility, Formatter, Handler, HandlerError, Level, Location, Message, Overflow, QueueHandler,
    Record, SysLogHandler, SysLogHandlerBuilder, SyslogAddress, SyslogFormat, SyslogTls, Value,
    get_logger,
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

/// `host:port` of a `LOGKIT_*` variable.
fn addr(name: &str) -> (String, u16) {
    let a = svc(name);
    let (h, p) = a.rsplit_once(':').unwrap();
    (h.to_owned(), p.parse().unwrap())
}

/// Waits (10 s at most) until `path` has `n` lines containing `needle`, and returns them.
fn wait_lines(path: &Path, needle: &str, n: usize) -> Vec<String> {
    wait_for(
        &format!("{n} line(s) with {needle} in {}", path.display()),
        Duration::from_secs(10),
        || {
            let l = lines_with(path, needle);
            (l.len() >= n).then_some(l)
        },
    )
}

fn json(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

fn final_log() -> PathBuf {
    svc("LOGKIT_SYSLOG_FINAL_LOG").into()
}

fn emit(h: &dyn Handler, level: Level, msg: &str, args: &[Value<'_>]) -> Result<(), HandlerError> {
    let record = Record::new(
        "tls",
        level,
        Message::dynamic(msg, args),
        Location::new("src/app.rs", 7, "app"),
    );
    h.emit(&record)
}

/// The CA that signed the relay's certificate, and the client certificate and key.
fn ca() -> String {
    svc("LOGKIT_TLS_CA")
}

fn mutual() -> SyslogTls {
    SyslogTls::new()
        .cafile(ca())
        .client_cert(svc("LOGKIT_SYSLOG_TLS_CERT"), svc("LOGKIT_SYSLOG_TLS_KEY"))
}

/// A handler for the relay's TLS input that requires a client certificate.
fn to_relay(tls: SyslogTls) -> SysLogHandlerBuilder {
    let (host, port) = addr("LOGKIT_SYSLOG_TLS");
    SysLogHandler::options(SyslogAddress::inet(&host, port))
        .tls(tls)
        .timeout(Duration::from_secs(5))
}

// === records through the relay chain ===

#[test]
#[ignore = "needs the syslog relay chain; run scripts/test.sh"]
fn rfc5424_records_cross_the_tls_relay_whole() {
    let m = marker("tls-5424");
    let h = to_relay(mutual())
        .format(SyslogFormat::Rfc5424)
        .facility(Facility::LOCAL4)
        .hostname("logkit-host")
        .app_name("logkit-tls")
        .msgid("TLSMID")
        .build()
        .unwrap();
    let n = 20;
    for i in 0..n {
        emit(
            &h,
            Level::ERROR,
            "%s line1\nline2 #%d ✓ ünïcode",
            &[m.as_str().into(), i.into()],
        )
        .unwrap();
    }
    let lines = wait_lines(&final_log(), &m, n);
    assert_eq!(lines.len(), n, "{lines:#?}");
    let pid = std::process::id().to_string();
    for (i, line) in lines.iter().enumerate() {
        let j = json(line);
        assert_eq!(j["input"], "imtcp");
        assert_eq!(j["pri"], "163", "{line}"); // local4.err
        assert_eq!(j["hostname"], "logkit-host");
        assert_eq!(j["app"], "logkit-tls");
        assert_eq!(j["procid"], pid);
        assert_eq!(j["msgid"], "TLSMID");
        assert_eq!(j["sd"], "-");
        // The relay escapes the newline (as rsyslog does with any control character it
        // receives); octet counting kept the record in one piece.
        assert_eq!(j["msg"], format!("{m} line1#012line2 #{i} ✓ ünïcode"));
    }
}

#[test]
#[ignore = "needs the syslog relay chain; run scripts/test.sh"]
fn rfc3164_records_cross_the_anonymous_tls_input() {
    let m = marker("tls-3164");
    let (host, port) = addr("LOGKIT_SYSLOG_TLS_ANON");
    // No client certificate: this input verifies none (rsyslog's `anon`); the client still
    // verifies the relay.
    let h = SysLogHandler::options(SyslogAddress::inet(&host, port))
        .tls(SyslogTls::new().cafile(ca()))
        .format(SyslogFormat::Rfc3164)
        .facility(Facility::DAEMON)
        .hostname("logkit-host")
        .app_name("shop")
        .build()
        .unwrap();
    h.set_formatter(Formatter::new("%(levelname)s %(message)s").unwrap());
    emit(&h, Level::WARNING, "%s first", &[m.as_str().into()]).unwrap();
    emit(&h, Level::INFO, "%s second", &[m.as_str().into()]).unwrap();
    let lines = wait_lines(&final_log(), &m, 2);
    let got: Vec<(String, String, String)> = lines
        .iter()
        .map(|l| {
            let j = json(l);
            (
                j["pri"].as_str().unwrap().to_owned(),
                j["app"].as_str().unwrap().to_owned(),
                j["msg"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // rsyslog keeps the space after the RFC 3164 tag in `msg`.
            ("28".into(), "shop".into(), format!(" WARNING {m} first")),
            ("30".into(), "shop".into(), format!(" INFO {m} second")),
        ]
    );
}

#[test]
#[ignore = "needs the syslog relay chain; run scripts/test.sh"]
fn tls_settings_from_ini_and_dict_config_reach_the_final_file() {
    isolated(
        "tls_settings_from_ini_and_dict_config_reach_the_final_file",
        || {
            let m = marker("tls-config");
            let (host, port) = addr("LOGKIT_SYSLOG_TLS");
            let (ca, cert, key) = (
                ca(),
                svc("LOGKIT_SYSLOG_TLS_CERT"),
                svc("LOGKIT_SYSLOG_TLS_KEY"),
            );
            let ini = format!(
                "[loggers]\nkeys=root\n\n[handlers]\nkeys=syslog\n\n[formatters]\nkeys=f\n\n\
             [logger_root]\nlevel=INFO\nhandlers=syslog\n\n\
             [handler_syslog]\nclass=handlers.SysLogHandler\nformatter=f\n\
             args=(('{host}', {port}), handlers.SysLogHandler.LOG_LOCAL1)\n\
             kwargs={{'cafile': '{ca}', 'certfile': '{cert}', 'keyfile': '{key}', \
             'server_hostname': 'localhost', 'format': 'rfc5424', 'app_name': 'ini', \
             'retry_for': 30}}\n\n\
             [formatter_f]\nformat=%(levelname)s %(message)s\n"
            );
            logkit::config::FileConfig::from_text("syslog-tls.ini", &ini)
                .apply()
                .unwrap();
            logkit::root().log(Level::WARNING, "%s from ini", &[m.as_str().into()]);
            let j = json(&wait_lines(&final_log(), &format!("{m} from ini"), 1)[0]);
            assert_eq!(j["pri"], "140"); // local1.warning
            assert_eq!(j["app"], "ini");
            assert_eq!(j["msg"], format!("WARNING {m} from ini"));

            let dict = serde_json::json!({
                "version": 1,
                "handlers": {"tls": {
                    "class": "logging.handlers.SysLogHandler",
                    "address": [host, port],
                    "cafile": ca, "certfile": cert, "keyfile": key,
                    "format": "rfc5424", "app_name": "dict", "retry_for": 30.5,
                    "msgid": "DICT", "structured_data": "shop@32473",
                }},
                "root": {"level": "INFO", "handlers": ["tls"]},
            });
            logkit::config::dict_config(
                &logkit::config::ConfigValue::from_json(&dict.to_string()).unwrap(),
            )
            .unwrap();
            let root = logkit::root();
            logkit::error!(root, "%s from dict", m; user = "ann \"the\" [admin]", attempt = 3);
            let j = json(&wait_lines(&final_log(), &format!("{m} from dict"), 1)[0]);
            assert_eq!(j["pri"], "11"); // user.err
            assert_eq!(j["app"], "dict");
            assert_eq!(j["msgid"], "DICT");
            // The fields as RFC 5424 STRUCTURED-DATA, escaped, as the relay parsed it.
            assert_eq!(
                j["sd"],
                r#"[shop@32473 user="ann \"the\" [admin\]" attempt="3"]"#
            );
            assert_eq!(j["msg"], format!("{m} from dict"));
        },
    );
}

// === TLS is verified ===

#[test]
#[ignore = "needs the syslog relay chain; run scripts/test.sh"]
fn the_relay_is_verified_against_the_ca_and_its_name() {
    let (host, port) = addr("LOGKIT_SYSLOG_TLS");
    // What sending one record says: a connection error naming the relay.
    let connect_error = |h: &SysLogHandler| {
        let err = emit(h, Level::ERROR, "never sent", &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!(
                "cannot connect to the syslog server at {host}:{port}"
            )),
            "{err}"
        );
        err
    };
    // The system's trusted certificates do not include the throw-away CA.
    match to_relay(SyslogTls::new()).build() {
        Ok(h) => {
            let err = connect_error(&h);
            assert!(err.contains("UnknownIssuer"), "{err}");
        }
        // A machine without any: also a clear error.
        Err(e) => assert!(e.to_string().contains("no trusted certificate"), "{e}"),
    }
    // The right CA, the wrong name.
    let h = to_relay(mutual().server_hostname("relay.example.org"))
        .build()
        .unwrap();
    let err = connect_error(&h);
    assert!(err.contains("relay.example.org"), "{err}");
    assert!(err.contains("certificate"), "{err}");
}

#[test]
#[ignore = "needs the syslog relay chain; run scripts/test.sh"]
fn a_relay_that_wants_a_client_certificate_refuses_one_without_and_says_so() {
    // rsyslog checks the client's certificate once the TLS handshake is done, and resets the
    // connection of a client without one: the handler waits a while for that verdict before
    // it writes, so the record is reported, not written into a session the relay drops. (A
    // relay slower than the wait, on a busy machine, drops what was written; the next
    // record's new session is then waited for the same way.)
    let m = marker("tls-nocert");
    let (host, port) = addr("LOGKIT_SYSLOG_TLS");
    let h = to_relay(SyslogTls::new().cafile(ca())).build().unwrap();
    let err = wait_for(
        "a record refused by the relay",
        Duration::from_secs(10),
        || emit(&h, Level::ERROR, "%s refused", &[m.as_str().into()]).err(),
    )
    .to_string();
    assert!(
        err.contains(&format!(
            "cannot connect to the syslog server at {host}:{port}"
        )),
        "{err}"
    );
    assert!(err.contains("right after the handshake"), "{err}");
    assert!(err.contains("client certificate"), "{err}");
    // A record with the certificate, sent after it, reaches the final file alone.
    let ok = to_relay(mutual()).build().unwrap();
    emit(&ok, Level::ERROR, "%s accepted", &[m.as_str().into()]).unwrap();
    let lines = wait_lines(&final_log(), &m, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains(&format!("{m} accepted")), "{lines:?}");
}

#[test]
#[ignore = "needs the syslog relay chain; run scripts/test.sh"]
fn a_wrong_server_name_is_a_logging_error_report() {
    if is_child() {
        let l = get_logger("tls.wrong-name");
        l.add_handler(
            to_relay(mutual().server_hostname("relay.example.org"))
                .build()
                .unwrap(),
        );
        l.log(Level::ERROR, "dropped %d", &[1.into()]);
        return;
    }
    let err = child_stderr("a_wrong_server_name_is_a_logging_error_report");
    assert!(err.starts_with("--- Logging error ---\n"), "{err}");
    assert!(
        err.contains("cannot connect to the syslog server at"),
        "{err}"
    );
    assert!(err.contains("relay.example.org"), "{err}");
    assert!(err.contains("Handler: SysLogHandler\n"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

// === a relay restart behind a blocking queue ===

/// A relay of this test's own (TLS on `port` with client certificates, `port + 1` without),
/// forwarding to the shared final instance.
struct OwnRelay {
    script: String,
    dir: PathBuf,
}

impl OwnRelay {
    fn run(&self, args: &[&str]) {
        let out = Command::new("bash")
            .arg(&self.script)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "relay.sh {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn create(port: u16) -> Self {
        let relay = OwnRelay {
            script: svc("LOGKIT_RELAY_SH"),
            dir: Path::new(&svc("LOGKIT_SVC")).join(format!("syslog-relay-{}", std::process::id())),
        };
        let tls = Path::new(&ca())
            .parent()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let (_, final_port) = addr("LOGKIT_SYSLOG_FINAL");
        relay.run(&[
            "relay",
            relay.dir.to_str().unwrap(),
            &port.to_string(),
            &(port + 1).to_string(),
            &final_port.to_string(),
            &tls,
        ]);
        relay
    }

    fn stop(&self) {
        self.run(&["stop", self.dir.to_str().unwrap()]);
    }

    fn start(&self) {
        self.run(&["start", self.dir.to_str().unwrap()]);
    }
}

impl Drop for OwnRelay {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(&self.script)
            .args(["stop", self.dir.to_str().unwrap()])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The numbers `#i` of the records of `prefix` in `lines` (`"{prefix} #{i}"` messages).
fn numbers(lines: &[String], prefix: &str) -> Vec<usize> {
    let mut n: Vec<usize> = lines
        .iter()
        .filter_map(|l| {
            let msg = json(l)["msg"].as_str()?.to_owned();
            msg.strip_prefix(&format!("{prefix} #"))?.parse().ok()
        })
        .collect();
    n.sort_unstable();
    n
}

#[test]
#[ignore = "needs the syslog relay chain; run scripts/test.sh"]
fn nothing_is_lost_across_a_relay_restart_in_block_mode() {
    const N: usize = 100;
    const M: usize = 200; // from 2 threads
    const CAPACITY: usize = 8;
    let m = marker("tls-restart");
    let relay = OwnRelay::create(16518);
    let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", 16518))
        .tls(mutual())
        .format(SyslogFormat::Rfc5424)
        .app_name("restart")
        .timeout(Duration::from_secs(2))
        .retry_for(Duration::from_secs(60))
        .build()
        .unwrap();
    let queue = QueueHandler::builder()
        .handler(h)
        .capacity(CAPACITY)
        .overflow(Overflow::Block)
        .start()
        .unwrap();
    let logger = get_logger("tls.restart");
    logger.set_propagate(false);
    logger.set_level(Level::INFO);
    logger.add_handler(queue.clone());
    let log = final_log();

    for i in 0..N {
        logger.log(Level::INFO, "%s before #%d", &[m.as_str().into(), i.into()]);
    }
    let before = format!("{m} before");
    let t = Instant::now();
    wait_lines(&log, &before, N);
    eprintln!("{N} records through the relay in {:?}", t.elapsed());

    relay.stop();
    let down = Instant::now();
    let logged = Arc::new(AtomicUsize::new(0));
    let during = format!("{m} during");
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let logged = Arc::clone(&logged);
            let m = m.clone();
            std::thread::spawn(move || {
                for i in (t..M).step_by(2) {
                    logger.log(Level::INFO, "%s during #%d", &[m.as_str().into(), i.into()]);
                    logged.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    // The queue fills while the relay is down: the callers then wait instead of dropping.
    wait_for(
        "the queue to fill while the relay is down",
        Duration::from_secs(10),
        || (logged.load(Ordering::SeqCst) > CAPACITY).then_some(()),
    );
    let while_down = logged.load(Ordering::SeqCst);
    assert!(
        while_down < M / 2,
        "{while_down} records logged with the relay down and a queue of {CAPACITY}: the \
         callers did not wait"
    );
    assert!(lines_with(&log, &during).is_empty());

    relay.start();
    let up = Instant::now();
    for t in threads {
        t.join().unwrap();
    }
    // A last record: the chain is one connection and FIFO queues, so when it has arrived,
    // everything before it has too (and any duplicate would be in the file).
    logger.log(Level::INFO, "%s end", &[m.as_str().into()]);
    wait_lines(&log, &format!("{m} end"), 1);
    let arrived = up.elapsed();
    let lines = lines_with(&log, &m);
    assert_eq!(numbers(&lines, &before), (0..N).collect::<Vec<_>>());
    assert_eq!(numbers(&lines, &during), (0..M).collect::<Vec<_>>());
    assert_eq!(lines.len(), N + M + 1, "a duplicate or a stray line");
    assert_eq!(queue.listener().dropped(), 0);
    eprintln!(
        "relay down {:?} ({while_down} records logged meanwhile, the rest waited); all {M} \
         arrived {arrived:?} after the restart",
        up - down
    );
    queue.listener().stop();
}
