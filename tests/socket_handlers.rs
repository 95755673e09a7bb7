//! `SocketHandler` and `DatagramHandler` against a real Python receiver
//! (`tests/support/log_receiver.py`, the logging cookbook's socket server): every record is
//! unpickled by CPython's `pickle`, remade by `logging.makeLogRecord` and formatted by a
//! CPython `Formatter`; the keys pickled are CPython's `SocketHandler.makePickle`'s. A
//! receiver that restarts loses no record, and configurations name the classes as Python's
//! `logging.ini` files do.
//!
//! The tests run python3, so plain `cargo test` ignores them; `scripts/test.sh` runs them.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use logkit::{DatagramHandler, Handler, SocketHandler, get_logger};
use logkit_tests::{isolated, lines_with, marker, temp_dir, wait_for};

const RECEIVER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/support/log_receiver.py");

/// A running receiver, killed when dropped.
struct Receiver {
    child: Child,
    /// The port (tcp, udp) or the socket's path (unix).
    at: String,
    out: PathBuf,
}

impl Receiver {
    /// Starts a receiver (`mode` tcp, udp or unix) at `at` (a port, 0 for any, or a path),
    /// writing to `out`, and waits until it listens.
    fn start(mode: &str, at: &str, out: &Path) -> Receiver {
        let mut child = Command::new("python3")
            .args([RECEIVER, mode, at, out.to_str().unwrap()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let at = line
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("the receiver did not start: {line:?}"))
            .trim()
            .to_owned();
        Receiver {
            child,
            at,
            out: out.to_owned(),
        }
    }

    fn port(&self) -> u16 {
        self.at.parse().unwrap()
    }

    /// Stops the receiver and waits until it has exited (its sockets closed).
    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The records received with `needle` in them, once there are `n`.
    fn records(&self, needle: &str, n: usize) -> Vec<serde_json::Value> {
        wait_for(
            &format!("{n} record(s) with {needle} at the receiver"),
            Duration::from_secs(10),
            || {
                let lines = lines_with(&self.out, needle);
                (lines.len() >= n).then_some(lines)
            },
        )
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The keys CPython's `SocketHandler.makePickle` pickles for a record without extras.
fn cpython_pickled_keys() -> Vec<String> {
    let py = "import logging, logging.handlers, pickle\n\
              r = logging.LogRecord('n', 20, 'p.py', 1, 'm %s', ('a',), None)\n\
              d = pickle.loads(logging.handlers.SocketHandler('h', 1).makePickle(r)[4:])\n\
              print('\\n'.join(d))\n";
    let out = Command::new("python3").args(["-c", py]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
#[ignore = "needs python3 (CPython 3.11); run scripts/test.sh"]
fn records_reach_a_python_receiver_as_cpython_pickles_them() {
    let dir = temp_dir("socket-tcp");
    let receiver = Receiver::start("tcp", "0", &dir.join("received.jsonl"));
    let m = marker("socket-tcp");
    let logger = get_logger("sock.app");
    logger.set_propagate(false);
    logger.add_handler(SocketHandler::new("127.0.0.1", receiver.port()).unwrap());

    let line = line!() + 1;
    logkit::warning!(logger, "%s: user %s failed %d times", m, "bob", 3; user = "bob", ratio = 0.5, admin = true);
    let err = std::io::Error::new(std::io::ErrorKind::NotFound, "no db.toml");
    logkit::error!(logger, "%s: open failed", m; exc_info = err);

    let records = receiver.records(&m, 2);
    let w = &records[0];
    assert_eq!(w["name"], "sock.app");
    assert_eq!(w["msg"], format!("{m}: user bob failed 3 times"));
    assert_eq!(w["args"], serde_json::Value::Null);
    assert_eq!(w["levelname"], "WARNING");
    assert_eq!(w["levelno"], 30);
    assert_eq!(w["filename"], "socket_handlers.rs");
    assert_eq!(w["module"], "socket_handlers");
    assert!(
        w["pathname"]
            .as_str()
            .unwrap()
            .ends_with("socket_handlers.rs")
    );
    assert_eq!(w["lineno"], line);
    assert_eq!(w["process"], std::process::id());
    assert!(w["thread"].is_u64(), "{w}");
    assert!(w["created"].is_f64() && w["msecs"].is_f64(), "{w}");
    assert_eq!(w["exc_info"], serde_json::Value::Null);
    assert_eq!(w["exc_text"], serde_json::Value::Null);
    // The fields keep their Python types.
    assert_eq!(w["user"], "bob");
    assert_eq!(w["ratio"], 0.5);
    assert_eq!(w["admin"], true);
    let formatted = w["formatted"].as_str().unwrap();
    assert!(
        formatted.contains(&format!(
            " sock.app WARNING {m}: user bob failed 3 times [socket_handlers.rs:{line} "
        )),
        "{formatted}"
    );

    // The error's text travels as `exc_text`, which CPython's Formatter appends.
    let e = &records[1];
    assert_eq!(e["levelname"], "ERROR");
    assert_eq!(e["exc_info"], serde_json::Value::Null);
    let exc_text = e["exc_text"].as_str().unwrap();
    assert!(exc_text.contains("no db.toml"), "{exc_text}");
    assert!(e["formatted"].as_str().unwrap().ends_with(exc_text), "{e}");

    // The keys are CPython's (3.12 added `taskName`), then the fields.
    let mut keys: Vec<String> = w["pickled_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys.split_off(keys.len() - 3), ["user", "ratio", "admin"]);
    let cpython: Vec<String> = cpython_pickled_keys()
        .into_iter()
        .filter(|k| k != "taskName")
        .collect();
    assert_eq!(keys, cpython);
}

#[test]
#[ignore = "needs python3 (CPython 3.11); run scripts/test.sh"]
fn a_receiver_that_restarts_loses_no_record() {
    let dir = temp_dir("socket-restart");
    let out = dir.join("received.jsonl");
    let mut receiver = Receiver::start("tcp", "0", &out);
    let port = receiver.port();
    let m = marker("socket-restart");
    let h = SocketHandler::new("127.0.0.1", port).unwrap();
    let logger = get_logger("sock.restart");
    logger.set_propagate(false);
    logger.add_handler(h);
    logkit::warning!(logger, "%s before", m);
    receiver.records(&format!("{m} before"), 1);
    receiver.stop();
    // The same port: the handler's connection was closed by the receiver that stopped, which
    // it notices before its next write, and reconnects.
    let restarted = Receiver::start("tcp", &port.to_string(), &out);
    logkit::warning!(logger, "%s after", m);
    restarted.records(&format!("{m} after"), 1);
}

#[test]
#[ignore = "needs python3 (CPython 3.11); run scripts/test.sh"]
fn datagrams_and_unix_sockets_reach_the_receiver() {
    let dir = temp_dir("socket-dgram");
    let udp = Receiver::start("udp", "0", &dir.join("udp.jsonl"));
    let unix = Receiver::start(
        "unix",
        dir.join("receiver.sock").to_str().unwrap(),
        &dir.join("unix.jsonl"),
    );
    let m = marker("socket-dgram");
    let logger = get_logger("sock.dgram");
    logger.set_propagate(false);
    logger.add_handler(DatagramHandler::new("127.0.0.1", udp.port()).unwrap());
    logger.add_handler(SocketHandler::unix(&unix.at));
    for i in 0..3 {
        logkit::warning!(logger, "%s #%d ✓", m, i; n = i);
    }
    let want: Vec<(String, i64)> = (0..3).map(|i| (format!("{m} #{i} ✓"), i)).collect();
    for receiver in [&udp, &unix] {
        let got: Vec<(String, i64)> = receiver
            .records(&m, 3)
            .iter()
            .map(|r| {
                (
                    r["msg"].as_str().unwrap().to_owned(),
                    r["n"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, want);
    }
}

#[test]
#[ignore = "needs python3 (CPython 3.11); run scripts/test.sh"]
fn logging_ini_names_the_socket_handlers_as_python_does() {
    isolated(
        "logging_ini_names_the_socket_handlers_as_python_does",
        || {
            let dir = temp_dir("socket-ini");
            let receiver = Receiver::start("tcp", "0", &dir.join("received.jsonl"));
            let m = marker("socket-ini");
            let ini = format!(
                "[loggers]\nkeys=root\n\n[handlers]\nkeys=tcp,udp\n\n[formatters]\nkeys=\n\n\
             [logger_root]\nlevel=INFO\nhandlers=tcp,udp\n\n\
             [handler_tcp]\nclass=handlers.SocketHandler\n\
             args=('127.0.0.1', {})\n\n\
             [handler_udp]\nclass=handlers.DatagramHandler\n\
             args=('127.0.0.1', handlers.DEFAULT_UDP_LOGGING_PORT)\n",
                receiver.port()
            );
            logkit::config::FileConfig::from_text("socket.ini", &ini)
                .apply()
                .unwrap();
            let udp = logkit::handler_by_name("udp").unwrap();
            assert_eq!(udp.destination().as_deref(), Some("127.0.0.1:9021"));
            logkit::root().log(logkit::Level::WARNING, "%s from ini", &[m.as_str().into()]);
            let records = receiver.records(&m, 1);
            assert_eq!(records[0]["name"], "root");
            assert_eq!(records[0]["msg"], format!("{m} from ini"));
        },
    );
}

#[test]
fn a_receiver_that_is_down_is_reported_and_backed_off() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let h = SocketHandler::new("127.0.0.1", port).unwrap();
    let record = logkit::Record::new(
        "down",
        logkit::Level::ERROR,
        logkit::Message::text("lost"),
        logkit::Location::new(file!(), line!(), module_path!()),
    );
    let first = h.emit(&record).unwrap_err().to_string();
    assert!(
        first.contains(&format!(
            "cannot connect to the log receiver at 127.0.0.1:{port}"
        )),
        "{first}"
    );
    let second = h.emit(&record).unwrap_err().to_string();
    assert!(second.contains("next connection attempt in"), "{second}");
    // A unix datagram socket nobody has made: said with its path.
    let dir = temp_dir("socket-down");
    let missing = dir.join("receiver.sock");
    let d = DatagramHandler::unix(&missing);
    let err = d.emit(&record).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "cannot open a socket to the log receiver at {}",
            missing.display()
        )),
        "{err}"
    );
}
