//! One thread for every buffered file handler: every half of the shortest maximum delay, it
//! writes what a handler's buffer holds once the oldest record in it has waited half its own
//! maximum delay, so that no record waits longer than its handler allows.
//!
//! It starts with the first buffered handler and looks at the handlers attached to loggers
//! (the registry `shutdown` uses); a handler only a queue writes to is written after each of
//! the queue's batches anyway.

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The shortest maximum delay of any buffered handler, in milliseconds.
static SHORTEST_MS: AtomicU64 = AtomicU64::new(u64::MAX);

/// Makes sure the thread runs, often enough for a handler that may keep a record `delay`.
pub(super) fn watch(delay: Duration) {
    let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX).max(2);
    SHORTEST_MS.fetch_min(ms, Ordering::Relaxed);
    static START: Once = Once::new();
    START.call_once(|| {
        let started = std::thread::Builder::new()
            .name("logkit-flush".into())
            .spawn(run);
        if let Err(e) = started {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("logkit: cannot start the thread that writes buffered handlers in time ({e}); they are written when full, at ERROR, at flush and at exit\n").as_bytes(),
            );
        }
    });
}

fn run() {
    let mut handlers = Vec::new();
    loop {
        let ms = SHORTEST_MS.load(Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(ms / 2));
        super::registered_into(&mut handlers);
        let now = Instant::now();
        for handler in handlers.drain(..) {
            if let Err(e) = handler.flush_if_due(now) {
                super::report_error(&*handler, None, &e);
            }
        }
    }
}
