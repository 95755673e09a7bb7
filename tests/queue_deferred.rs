//! A `QueueHandler` sends a macro call's arguments by value and its listener merges the
//! message: the text must be the same bytes the call would have written, taken at the call
//! (not when the listener gets to it), for every argument type and conversion; `%(msg)s` and
//! `%(args)s` must look as CPython's `prepare` leaves them (the merged message, `None`); and
//! an idle listener must still pick up a lone record without being flushed.

use std::cell::Cell;
use std::fmt;
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use logkit::{
    Capture, Formatter, Handler, HandlerCore, HandlerError, Level, Logger, QueueHandler, Record,
    StreamHandler, get_logger,
};

/// A logger writing `template` lines straight to a capture, and one writing them through a
/// queue to another capture.
fn direct_and_queued(name: &str, template: &str) -> ((Logger, Capture), (Logger, Capture)) {
    let make = |suffix: &str| {
        let out = Capture::new();
        let handler = StreamHandler::new(out.clone());
        handler.set_formatter(Formatter::new(template).unwrap());
        let logger = get_logger(&format!("{name}.{suffix}"));
        logger.set_level(Level::DEBUG);
        logger.set_propagate(false);
        (logger, handler, out)
    };
    let (direct, handler, direct_out) = make("direct");
    direct.add_handler(handler);
    let (queued, handler, queued_out) = make("queued");
    let queue: Arc<QueueHandler> = QueueHandler::builder().handler(handler).start().unwrap();
    queued.add_handler(queue);
    ((direct, direct_out), (queued, queued_out))
}

/// The lines after the logger's name, which differs between the two loggers.
fn without_names(text: &str) -> String {
    text.lines()
        .map(|l| l.split_once(' ').map_or(l, |(_, rest)| rest))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A value with a `Display` and `Debug` of its own that changes after the call.
struct Counter<'a>(&'a Cell<u32>);

impl fmt::Display for Counter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "count={}", self.0.get())
    }
}

impl fmt::Debug for Counter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Counter({})", self.0.get())
    }
}

#[test]
fn queued_messages_are_the_bytes_the_call_would_have_written() {
    let ((direct, direct_out), (queued, queued_out)) =
        direct_and_queued("deferred.parity", "%(name)s %(levelname)s %(message)s");
    let cell = Cell::new(1);
    let long = "é".repeat(100);
    let owned = String::from("owned");
    let cow: std::borrow::Cow<'_, str> = "cow".into();
    for logger in [&direct, &queued] {
        cell.set(1);
        logkit::info!(logger, "plain text, no arguments: 100%");
        logkit::info!(logger, "%s %s %s %s", "str", owned, cow, &&"nested ref");
        logkit::info!(
            logger,
            "%d %i %u %d %d",
            -5_i8,
            300_u16,
            u64::MAX,
            i128::MIN,
            7.9_f64
        );
        logkit::info!(
            logger,
            "%x %X %o %#x %c %c",
            255_u8,
            -255_i64,
            8_u32,
            true,
            'é',
            65_u32
        );
        logkit::info!(
            logger,
            "%f %e %g %.3G %s %r",
            1.1_f32,
            1e21,
            0.1_f64,
            2_i32,
            1.1_f32,
            1e21_f64
        );
        logkit::info!(logger, "%s %r %s %r", true, false, 'c', 'c');
        logkit::info!(
            logger,
            "%-10s|%10r|%.3s|%a|%5.1f",
            owned,
            "x'y",
            "abcdef",
            "é",
            2.25_f64
        );
        logkit::info!(
            logger,
            "%(user)s took %(ms)d ms",
            user = "alice",
            ms = 42_u64
        );
        logkit::info!(logger, "%*d|%-*.*f|", 6_i32, 42_u64, 9_i32, 2_i32, 2.71_f64);
        logkit::warning!(
            logger,
            "%s / %r / %12s",
            Counter(&cell),
            Counter(&cell),
            Counter(&cell)
        );
        logkit::error!(logger, "long %s end", long);
        logkit::debug!(logger, "%s", std::path::Path::new("/tmp/x").display());
        // Values a packed copy cannot hold are merged at the call, as before.
        logkit::info!(logger, "%d", i128::MAX);
        logkit::info!(logger, "%d", f64::NAN); // an error report, no line, either way
        logkit::info!(
            logger,
            "%s %s %s %s %s %s %s %s %s",
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9
        );
    }
    cell.set(99);
    queued.handlers()[0].flush().unwrap();
    let (direct, queued) = (direct_out.contents(), queued_out.contents());
    assert_eq!(without_names(&direct), without_names(&queued));
    assert!(
        queued.contains("count=1 / Counter(1) /      count=1"),
        "{queued}"
    );
    assert_eq!(queued.lines().count(), 14, "{queued}");
}

/// A destination that writes each record's message only while the test lets it: the
/// listener is held inside `emit` until the gate opens.
struct Gated {
    core: HandlerCore,
    gate: Arc<Mutex<()>>,
    out: Capture,
}

impl Handler for Gated {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let _open = self.gate.lock().unwrap();
        let line = record.message_string()?;
        writeln!(self.out.clone(), "{line}")?;
        Ok(())
    }
}

#[test]
fn arguments_are_taken_at_the_call_not_when_the_listener_writes() {
    let gate = Arc::new(Mutex::new(()));
    let out = Capture::new();
    let queue: Arc<QueueHandler> = QueueHandler::builder()
        .handler(Gated {
            core: HandlerCore::new(),
            gate: Arc::clone(&gate),
            out: out.clone(),
        })
        .start()
        .unwrap();
    let queued = get_logger("deferred.when");
    queued.set_level(Level::INFO);
    queued.set_propagate(false);
    queued.add_handler(Arc::clone(&queue));
    let cell = Cell::new(1);
    let mut text = String::from("before");
    {
        // The listener cannot write anything until the values have changed.
        let _closed = gate.lock().unwrap();
        logkit::info!(queued, "gate");
        logkit::info!(queued, "%s %r %s", Counter(&cell), Counter(&cell), text);
        cell.set(2);
        text.clear();
        text.push_str("after");
        drop(text);
    }
    queue.flush().unwrap();
    assert_eq!(out.contents(), "gate\ncount=1 Counter(1) before\n");
}

#[test]
fn msg_and_args_look_as_cpythons_prepare_leaves_them() {
    let ((_, _), (queued, out)) = direct_and_queued("deferred.msg", "%(msg)s|%(args)s|%(message)s");
    logkit::info!(queued, "user %s took %d ms", "bob", 7);
    logkit::info!(queued, "no arguments %s");
    queued.handlers()[0].flush().unwrap();
    assert_eq!(
        out.contents(),
        "user bob took 7 ms|None|user bob took 7 ms\nno arguments %s|None|no arguments %s\n"
    );
}

#[test]
fn records_keep_their_thread_time_and_location() {
    let ((_, _), (queued, out)) = direct_and_queued(
        "deferred.origin",
        "%(threadName)s %(filename)s %(module)s %(lineno)d %(created).0f",
    );
    let logger = queued;
    let line = std::thread::Builder::new()
        .name("worker-7".into())
        .spawn(move || {
            let line = line!() + 1;
            logkit::info!(logger, "from a named thread");
            logger.handlers()[0].flush().unwrap();
            line
        })
        .unwrap()
        .join()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let text = out.contents();
    let fields: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(
        fields[..3],
        ["worker-7", "queue_deferred.rs", "queue_deferred"]
    );
    assert_eq!(fields[3], line.to_string());
    let created: f64 = fields[4].parse().unwrap();
    assert!((now - created).abs() < 60.0, "{created} vs {now}");
}

#[test]
fn an_idle_listener_picks_up_a_lone_record_without_a_flush() {
    let ((_, _), (queued, out)) = direct_and_queued("deferred.idle", "%(message)s");
    // Long enough for the listener to stop napping and sleep until woken.
    logkit::info!(queued, "first");
    let deadline = Instant::now() + Duration::from_secs(10);
    while out.contents().is_empty() {
        assert!(Instant::now() < deadline, "the first record never arrived");
        std::thread::yield_now();
    }
    std::thread::sleep(Duration::from_millis(100));
    logkit::info!(queued, "after idling");
    while !out.contents().contains("after idling") {
        assert!(
            Instant::now() < deadline,
            "the record after idling never arrived"
        );
        std::thread::yield_now();
    }
    assert_eq!(out.contents(), "first\nafter idling\n");
}

#[test]
fn stopping_while_threads_log_loses_and_repeats_nothing() {
    let out = Capture::new();
    let target = StreamHandler::new(out.clone());
    target.set_formatter(Formatter::new("%(message)s").unwrap());
    let queue: Arc<QueueHandler> = QueueHandler::builder()
        .handler(target)
        .capacity(64)
        .start()
        .unwrap();
    let logger = get_logger("deferred.stop");
    logger.set_level(Level::INFO);
    logger.set_propagate(false);
    logger.add_handler(Arc::clone(&queue));
    let started = Arc::new(std::sync::Barrier::new(5));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let started = Arc::clone(&started);
            std::thread::spawn(move || {
                started.wait();
                for i in 0..5_000 {
                    logkit::info!(logger, "%d-%d", t, i);
                }
            })
        })
        .collect();
    started.wait();
    // Stop while the threads are logging: records queued before `Stop` are written by the
    // listener, those behind it by the thread that queued them, later ones in place.
    let deadline = Instant::now() + Duration::from_secs(30);
    while out.lines().len() < 1_000 {
        assert!(Instant::now() < deadline, "the listener wrote nothing");
        std::thread::yield_now();
    }
    queue.listener().stop();
    for t in threads {
        t.join().unwrap();
    }
    let mut lines = out.lines();
    assert_eq!(lines.len(), 20_000);
    lines.sort();
    lines.dedup();
    assert_eq!(lines.len(), 20_000, "a record was written twice");
}
