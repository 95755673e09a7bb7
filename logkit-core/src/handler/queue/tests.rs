//! Tests of the queue handler that need the ring's test hook: a push that panics between
//! claiming its slot and publishing it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::QueueHandler;
use super::ring::claim_hook;
use crate::logger::Call;
use crate::message::Arg;
use crate::{
    Callsite, Capture, Formatter, Handler, Level, Location, Message, Record, Source, StreamHandler,
};

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

fn calling_function() -> &'static str {
    "a_panic_between_claim_and_publish_leaves_the_listener_running"
}

/// The call site of the records queued as a logging macro queues them.
static CALLSITE: Callsite = Callsite::new(
    Source::Named("queue.panic"),
    module_path!(),
    file!(),
    line!(),
    calling_function,
    "%s took %d ms",
);

#[test]
fn a_panic_between_claim_and_publish_leaves_the_listener_running() {
    const TEXTS: [&str; 9] = [
        "r0 took 0 ms",
        "r1 took 1 ms",
        "r2 took 2 ms",
        "r3 took 3 ms",
        "r4 took 4 ms",
        "r5 took 5 ms",
        "r6 took 6 ms",
        "r7 took 7 ms",
        "r8 took 8 ms",
    ];
    // One of each kind of record panics (1, 3, 5: the kinds are `i % 3`).
    let panics = |i: i64| matches!(i, 1 | 3 | 5);
    let out = Capture::new();
    let target = StreamHandler::new(out.clone());
    target.set_formatter(Formatter::new("%(message)s").unwrap());
    // Two slots: the positions wrap around every other record.
    let queue = QueueHandler::builder()
        .handler(target)
        .capacity(2)
        .start()
        .unwrap();
    for (i, text) in (0..).zip(TEXTS) {
        if panics(i) {
            claim_hook::panic_after_next_claim();
        }
        let name = format!("r{i}");
        let args = [Arg::Str(&name), Arg::Int(i)];
        let location = Location::new(file!(), line!(), module_path!());
        // Every kind of queued record: a macro call's, built in the claimed slot with its
        // arguments packed; a macro call's record handed to the queue as a handler (the same
        // compact form); a record prepared at the call.
        let outcome = catch_unwind(AssertUnwindSafe(|| match i % 3 {
            0 => {
                let call = Call {
                    name: "queue.panic",
                    callsite: &CALLSITE,
                    level: Level::INFO,
                    args: &args,
                };
                assert!(queue.enqueue_call(&call), "queued as a call");
            }
            1 => {
                let record = Record::of_call(&CALLSITE, "queue.panic", Level::INFO, &args);
                queue.emit(&record).unwrap();
            }
            _ => {
                let record = Record::new(
                    "queue.panic",
                    Level::INFO,
                    Message::static_text(text),
                    location,
                );
                queue.emit(&record).unwrap();
            }
        }));
        assert_eq!(outcome.is_err(), panics(i), "record {i}");
        // The listener moves past the slot left empty and writes what follows.
        flush_within(&queue, Duration::from_secs(30));
    }
    let expected: String = (0..)
        .zip(TEXTS)
        .filter(|&(i, _)| !panics(i))
        .map(|(_, text)| format!("{text}\n"))
        .collect();
    assert_eq!(out.contents(), expected);
}

/// A queued record, a macro call's or any other, fits a slot of two cache lines with the
/// ring's stamp.
#[test]
fn a_queued_record_fits_two_cache_lines_with_its_stamp() {
    let size = std::mem::size_of::<Option<super::Command>>();
    assert!(size <= 120, "a queued command takes {size} bytes");
    assert!(std::mem::size_of::<crate::handler::OwnedRecord>() <= 120);
}
