//! One housekeeping thread for every handler: it writes what a buffered handler holds once
//! the oldest record in it has waited half the handler's maximum delay (so no record waits
//! longer than its handler allows), and prints the count of error reports a handler held
//! back once their second is over (so a burst of failures is counted even if no failure
//! follows it).
//!
//! It starts with the first buffered handler or the first report held back, and looks at
//! the handlers attached to loggers (the registry `shutdown` uses); a handler only a queue
//! writes to is written after each of the queue's batches anyway, and its held-back count
//! is printed with its next report or when the queue closes it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, OnceLock};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// The shortest maximum delay of any buffered handler, in milliseconds.
static SHORTEST_MS: AtomicU64 = AtomicU64::new(u64::MAX);

/// Whether some handler may hold back reports still to be counted.
static REPORTS_PENDING: AtomicBool = AtomicBool::new(false);

/// How often held-back reports are looked at while some are pending.
const REPORTS_TICK: Duration = Duration::from_millis(500);

/// Makes sure the thread runs, often enough for a handler that may keep a record `delay`.
pub(super) fn watch(delay: Duration) {
    let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX).max(2);
    SHORTEST_MS.fetch_min(ms, Ordering::Relaxed);
    wake();
}

/// Makes sure the thread runs and prints the count of reports a handler just held back.
pub(super) fn watch_reports() {
    if !REPORTS_PENDING.swap(true, Ordering::SeqCst) {
        wake();
    }
}

/// Starts the thread, or wakes it to take a shorter period into account.
fn wake() {
    static THREAD: OnceLock<Option<Thread>> = OnceLock::new();
    let thread = THREAD.get_or_init(|| {
        // The thread's start-up (the runtime's, and its list sized here) is over before the
        // handler that starts it is used: from then on the thread allocates nothing (unless
        // more handlers are registered than this), while the program logs.
        let handlers = Vec::with_capacity(64);
        let up = Arc::new(Barrier::new(2));
        let up_there = Arc::clone(&up);
        let started = std::thread::Builder::new()
            .name("logkit-flush".into())
            .spawn(move || {
                up_there.wait();
                run(handlers);
            });
        match started {
            Ok(handle) => {
                up.wait();
                Some(handle.thread().clone())
            }
            Err(e) => {
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr(),
                    format!("logkit: cannot start the thread that writes buffered handlers in time ({e}); they are written when full, at ERROR, at flush and at exit, and held-back error reports are counted with the next report and at exit\n").as_bytes(),
                );
                None
            }
        }
    });
    if let Some(thread) = thread {
        thread.unpark();
    }
}

fn run(mut handlers: Vec<super::HandlerRef>) {
    loop {
        let mut period = Duration::from_millis(SHORTEST_MS.load(Ordering::Relaxed) / 2);
        if REPORTS_PENDING.load(Ordering::SeqCst) {
            period = period.min(REPORTS_TICK);
        }
        std::thread::park_timeout(period);
        super::registered_into(&mut handlers);
        let now = Instant::now();
        // Cleared first: a report held back while the handlers are looked at sets it again.
        let reports = REPORTS_PENDING.swap(false, Ordering::SeqCst);
        let mut pending = false;
        for handler in handlers.drain(..) {
            if let Err(e) = handler.flush_if_due(now) {
                super::report_error(&*handler, None, &e);
            }
            if reports {
                super::report::report_suppressed(&*handler, Some(now));
                pending |= super::report::has_suppressed(&*handler);
            }
        }
        if pending {
            REPORTS_PENDING.store(true, Ordering::SeqCst);
        }
    }
}
