//! Tests of the queue handler that need the ring's test hook: a push that panics between
//! claiming its slot and publishing it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::QueueHandler;
use super::ring::claim_hook;
use crate::{Capture, Formatter, Handler, Level, Location, Message, Record, StreamHandler};

/// Flushes `queue` from another thread and fails unless the listener has written everything
/// queued before within `limit` (a listener stuck on a slot never would).
fn flush_within(queue: &Arc<QueueHandler>, limit: Duration) {
    let (done, finished) = mpsc::channel();
    let queue = Arc::clone(queue);
    std::thread::spawn(move || {
        queue.flush().unwrap();
        let _ = done.send(());
    });
    finished
        .recv_timeout(limit)
        .expect("the listener wrote what was queued before the flush");
}

#[test]
fn a_panic_between_claim_and_publish_leaves_the_listener_running() {
    const TEXTS: [&str; 8] = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"];
    let panics = |i: usize| i % 3 == 1;
    let out = Capture::new();
    let target = StreamHandler::new(out.clone());
    target.set_formatter(Formatter::new("%(message)s").unwrap());
    // Two slots: the positions wrap around every other record.
    let queue = QueueHandler::builder()
        .handler(target)
        .capacity(2)
        .start()
        .unwrap();
    for (i, text) in TEXTS.into_iter().enumerate() {
        let location = Location::new(file!(), line!(), module_path!());
        let message = Message::static_text(text);
        // Both kinds of queued record: a macro call's compact one and a prepared one.
        let record = if i % 2 == 0 {
            Record::new_static("queue.panic", Level::INFO, message, location)
        } else {
            Record::new("queue.panic", Level::INFO, message, location)
        };
        if panics(i) {
            claim_hook::panic_after_next_claim();
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| queue.emit(&record)));
        assert_eq!(outcome.is_err(), panics(i), "record {i}");
        // The listener moves past the slot left empty and writes what follows.
        flush_within(&queue, Duration::from_secs(30));
    }
    let expected: String = TEXTS
        .iter()
        .enumerate()
        .filter(|&(i, _)| !panics(i))
        .map(|(_, text)| format!("{text}\n"))
        .collect();
    assert_eq!(out.contents(), expected);
}
