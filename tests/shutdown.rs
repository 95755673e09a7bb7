//! `shutdown()` flushes and closes every handler, newest first, and runs by itself when the
//! process exits, so buffered output is not lost.

use std::io::Write;
use std::sync::{Arc, Mutex};

use logkit::{Handler, HandlerCore, HandlerError, Level, Record, get_logger};
use logkit_tests::{child_stderr, is_child};

/// Buffers lines and writes them to stderr only when flushed; records its closing.
struct Buffered {
    core: HandlerCore,
    name: &'static str,
    lines: Mutex<Vec<String>>,
    closed: Arc<Mutex<Vec<&'static str>>>,
}

impl Handler for Buffered {
    fn core(&self) -> &HandlerCore {
        &self.core
    }
    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        self.core.format_line(record, |line| {
            self.lines.lock().unwrap().push(line.clone());
            Ok(())
        })
    }
    fn flush(&self) -> Result<(), HandlerError> {
        let mut lines = self.lines.lock().unwrap();
        let mut err = std::io::stderr().lock();
        for l in lines.drain(..) {
            writeln!(err, "{}: {l}", self.name)?;
        }
        Ok(())
    }
    fn close(&self) -> Result<(), HandlerError> {
        self.flush()?;
        self.closed.lock().unwrap().push(self.name);
        Ok(())
    }
}

fn buffered(name: &'static str, closed: &Arc<Mutex<Vec<&'static str>>>) -> Buffered {
    Buffered {
        core: HandlerCore::new(),
        name,
        lines: Mutex::new(Vec::new()),
        closed: closed.clone(),
    }
}

#[test]
fn shutdown_flushes_and_closes_newest_first() {
    let closed = Arc::new(Mutex::new(Vec::new()));
    let older = buffered("older", &closed);
    let newer = buffered("newer", &closed);
    // Attached in the other order: creation order decides.
    get_logger("shutdown.b").add_handler(newer);
    get_logger("shutdown.a").add_handler(older);
    logkit::shutdown();
    assert_eq!(*closed.lock().unwrap(), ["newer", "older"]);
}

#[test]
fn child_buffered_records_are_written_at_exit() {
    if !is_child() {
        return;
    }
    let closed = Arc::new(Mutex::new(Vec::new()));
    let l = get_logger("shutdown.exit");
    l.add_handler(buffered("at-exit", &closed));
    l.log(Level::WARNING, "written only by the exit hook", &[]);
    // No shutdown() call: returning from the test and exiting the process must flush.
}

#[test]
fn buffered_records_are_written_at_exit() {
    let stderr = child_stderr("child_buffered_records_are_written_at_exit");
    assert!(
        stderr.contains("at-exit: written only by the exit hook\n"),
        "{stderr}"
    );
}

#[test]
fn child_a_handler_only_a_queue_writes_to_is_closed_at_exit() {
    if !is_child() {
        return;
    }
    let closed = Arc::new(Mutex::new(Vec::new()));
    // Never attached to a logger: only the queue's listener holds it.
    let behind = buffered("behind-the-queue", &closed);
    behind.set_name("behind");
    let queue = logkit::QueueHandler::builder()
        .handler(behind)
        .start()
        .unwrap();
    assert_eq!(
        logkit::handler_by_name("behind").map(|h| h.kind()),
        Some("Buffered")
    );
    let l = get_logger("shutdown.queue");
    l.add_handler(queue);
    l.log(Level::WARNING, "queued, written at exit", &[]);
}

#[test]
fn a_handler_only_a_queue_writes_to_is_found_by_name_and_closed_at_exit() {
    let stderr = child_stderr("child_a_handler_only_a_queue_writes_to_is_closed_at_exit");
    assert!(
        stderr.contains("behind-the-queue: queued, written at exit\n"),
        "{stderr}"
    );
}
