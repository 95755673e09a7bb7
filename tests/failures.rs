//! Failures are bounded and reported, never a crash: user code that fails inside
//! formatting, reports held back by the rate limit, a queue that feeds itself, a write cut
//! short by a full disk. Each test that changes process-wide state runs in a child process.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use logkit::{
    Capture, FileHandler, Formatter, Handler, HandlerCore, HandlerError, QueueHandler, Record,
    StreamHandler, get_logger,
};
use logkit_tests::{CHILD_ENV, capture, child_stderr, held_back_counts, is_child};

/// A value whose `Display` panics.
struct Explodes;

impl fmt::Display for Explodes {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("Display of Explodes");
    }
}

/// A value whose `Display` writes a little, then fails.
struct Fails;

impl fmt::Display for Fails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("partial")?;
        Err(fmt::Error)
    }
}

/// A capture whose lines are formatted with `template`.
fn captured(template: &str) -> (Arc<StreamHandler>, Capture) {
    let out = Capture::new();
    let handler = Arc::new(StreamHandler::new(out.clone()));
    handler.set_formatter(Formatter::new(template).unwrap());
    (handler, out)
}

#[test]
fn child_a_display_that_panics() {
    if !is_child() {
        return;
    }
    let logger = get_logger("panics");
    logger.set_propagate(false);
    let (first, first_out) = captured("%(levelname)s %(message)s");
    let (second, second_out) = captured("%(levelname)s from %(name)s");
    logger.add_handler(first);
    logger.add_handler(second);
    logkit::error!(logger, "value: %s", Explodes);
    logkit::error!(logger, "after: %d", 7);
    assert_eq!(first_out.lines(), ["ERROR after: 7"]);
    assert_eq!(
        second_out.lines(),
        ["ERROR from panics", "ERROR from panics"]
    );
}

#[test]
fn a_display_that_panics_is_reported_once_and_later_handlers_still_get_the_record() {
    let stderr = child_stderr("child_a_display_that_panics");
    assert_eq!(
        stderr.matches("--- Logging error ---").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("Error: handler panicked: Display of Explodes\nHandler: StreamHandler\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "Message: 'value: %s'\nArguments: (not shown: formatting the record's arguments failed)\n"
        ),
        "{stderr}"
    );
}

#[test]
fn child_a_logger_filter_and_the_last_resort_that_panic() {
    if !is_child() {
        return;
    }
    let logger = get_logger("filter.panics");
    logger.set_propagate(false);
    let out = capture(logger, "%(levelname)s %(message)s");
    logger.add_filter(|r: &mut Record<'_>| {
        assert!(r.message_string().unwrap() != "boom", "filter of boom");
        true
    });
    logkit::error!(logger, "boom");
    logkit::error!(logger, "after the filter");
    assert_eq!(out.lines(), ["ERROR after the filter"]);

    // No handler anywhere: the last resort prints the message, and a Display that panics
    // there stops at the pipeline too.
    let unhandled = get_logger("last.resort.panics");
    unhandled.set_propagate(false);
    logkit::error!(unhandled, "value: %s", Explodes);
    logkit::error!(unhandled, "after the last resort");
}

#[test]
fn a_panic_in_a_logger_filter_or_the_last_resort_drops_the_record_not_the_caller() {
    let stderr = child_stderr("child_a_logger_filter_and_the_last_resort_that_panic");
    assert!(stderr.contains("filter of boom"), "{stderr}");
    assert!(stderr.contains("Display of Explodes"), "{stderr}");
    assert!(stderr.contains("after the last resort\n"), "{stderr}");
    // The filtered record went nowhere, the last resort included.
    assert!(!stderr.lines().any(|l| l == "boom"), "{stderr}");
}

#[test]
fn child_a_display_that_returns_an_error() {
    if !is_child() {
        return;
    }
    let logger = get_logger("fails");
    logger.set_propagate(false);
    let (handler, out) = captured("%(levelname)s %(message)s");
    logger.add_handler(handler);
    logkit::error!(logger, "value: %s", Fails);
    logkit::error!(logger, "after");
    assert_eq!(out.lines(), ["ERROR after"]);
}

#[test]
fn a_display_that_returns_an_error_is_reported_not_printed_empty() {
    let stderr = child_stderr("child_a_display_that_returns_an_error");
    assert!(
        stderr.contains(
            "--- Logging error ---\nfmt::Error: an argument's Display returned an error\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Arguments: (not shown: formatting the record's arguments failed)\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("partial"), "{stderr}");
}

#[test]
fn child_many_failures_then_exit() {
    if !is_child() {
        return;
    }
    let logger = get_logger("full.exit");
    logger.set_propagate(false);
    logger.add_handler(FileHandler::new("/dev/full").unwrap());
    for i in 0..1000 {
        logkit::error!(logger, "record %d", i);
    }
}

#[test]
fn failures_held_back_by_the_rate_limit_are_counted_by_exit() {
    let stderr = child_stderr("child_many_failures_then_exit");
    let shown = stderr.matches("OSError: No space left on device").count();
    let held_back: u64 = held_back_counts(&stderr).iter().sum();
    assert!(shown >= 10, "{stderr}");
    assert_eq!(shown as u64 + held_back, 1000, "{stderr}");
}

#[test]
fn child_failures_then_waits() {
    if !is_child() {
        return;
    }
    let logger = get_logger("full.wait");
    logger.set_propagate(false);
    logger.add_handler(FileHandler::new("/dev/full").unwrap());
    for i in 0..25 {
        logkit::error!(logger, "record %d", i);
    }
    // Waits for the parent to have seen the count (stdin closed), then exits.
    let _ = std::io::stdin().lines().count();
}

#[test]
fn failures_held_back_are_counted_once_their_second_is_over() {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_failures_then_waits",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // The child exits when its stdin closes: once the count was seen, or at the deadline
    // (then the test fails, instead of waiting for ever).
    let stdin = child.stdin.take();
    let (seen_tx, seen_rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let timed_out = seen_rx.recv_timeout(Duration::from_secs(30)).is_err();
        drop(stdin);
        timed_out
    });
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut counted = 0;
    for line in stderr.lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        counted += held_back_counts(&line).iter().sum::<u64>();
        let shown = seen.matches("OSError").count() as u64;
        if shown + counted == 25 {
            break;
        }
    }
    let _ = seen_tx.send(());
    assert!(!watchdog.join().unwrap(), "no count within 30 s:\n{seen}");
    // Counted while the child still runs: by the housekeeping thread, not at exit.
    assert!(counted > 0, "{seen}");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    // Nothing counted twice at exit.
    assert!(
        held_back_counts(&String::from_utf8_lossy(&out.stderr)).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A handler that hands each record to a queue handler set after it was made (the queue
/// whose listener it belongs to).
struct Forward {
    core: HandlerCore,
    to: Arc<OnceLock<Arc<QueueHandler>>>,
}

impl Handler for Forward {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        match self.to.get() {
            Some(queue) => queue.emit(record),
            None => Ok(()),
        }
    }
}

#[test]
fn child_a_queue_that_feeds_itself() {
    if !is_child() {
        return;
    }
    let looping = get_logger("loop");
    looping.set_propagate(false);
    let to = Arc::new(OnceLock::new());
    let queue = QueueHandler::builder()
        .handler(Forward {
            core: HandlerCore::new(),
            to: Arc::clone(&to),
        })
        .start()
        .unwrap();
    to.set(Arc::clone(&queue)).unwrap();
    looping.add_handler(Arc::clone(&queue));
    logkit::warning!(looping, "start");
    queue.flush().unwrap();
    // Stopped: records are handled in place on this thread, and bounded the same way.
    queue.listener().stop();
    logkit::warning!(looping, "after stop");
}

#[test]
fn a_queue_that_feeds_itself_is_bounded_and_reported_not_a_stack_overflow() {
    let stderr = child_stderr("child_a_queue_that_feeds_itself");
    assert_eq!(
        stderr
            .matches("as a queue handler handed the record back to its handlers: dropped")
            .count(),
        2,
        "{stderr}"
    );
}

/// A handler that logs each record again to the logger `relog`, whose handler it is.
struct Relog {
    core: HandlerCore,
}

impl Handler for Relog {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        logkit::warning!(get_logger("relog"), "again: %s", record.name());
        Ok(())
    }
}

#[test]
fn child_a_handler_that_logs_to_its_own_logger() {
    if !is_child() {
        return;
    }
    let relog = get_logger("relog");
    relog.set_propagate(false);
    relog.add_handler(Relog {
        core: HandlerCore::new(),
    });
    logkit::warning!(relog, "start");
    logkit::warning!(relog, "again");
}

#[test]
fn logging_nested_too_deep_is_dropped_and_said_once() {
    let stderr = child_stderr("child_a_handler_that_logs_to_its_own_logger");
    assert_eq!(
        stderr
            .matches("logkit: logging nested 8 deep on one thread")
            .count(),
        1,
        "{stderr}"
    );
}
