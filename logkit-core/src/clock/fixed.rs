//! A fixed clock for tests: while a [`FixedClock`] lives, every record's `created` is its
//! time (macro calls, run-time calls, records a queue carries, the log and tracing
//! bridges), the origin of `relativeCreated` is where it started, and timed rotation reads
//! it too, so tests of log output can compare exact text.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use crate::record::Timestamp;

/// Whether a fixed clock is in force.
static FIXED: AtomicBool = AtomicBool::new(false);
/// The fixed time, in nanoseconds since the epoch.
static NOW_NANOS: AtomicI64 = AtomicI64::new(0);
/// The origin of `relativeCreated` while fixed, in nanoseconds since the epoch.
static ORIGIN_NANOS: AtomicI64 = AtomicI64::new(0);
/// Serialises clocks made on several threads (one is in force at a time).
static IN_FORCE: Mutex<()> = Mutex::new(());

/// The fixed time, if a [`FixedClock`] is in force.
#[inline(always)]
pub(crate) fn now_nanos() -> Option<i64> {
    if FIXED.load(Ordering::Relaxed) {
        Some(fixed_nanos())
    } else {
        None
    }
}

#[cold]
#[inline(never)]
fn fixed_nanos() -> i64 {
    NOW_NANOS.load(Ordering::Relaxed)
}

/// The origin of `relativeCreated`, if a [`FixedClock`] is in force.
pub(crate) fn origin() -> Option<Timestamp> {
    FIXED
        .load(Ordering::Relaxed)
        .then(|| Timestamp::from_nanos(ORIGIN_NANOS.load(Ordering::Relaxed)))
}

/// The time of every record while it lives (for tests; the real clock again once dropped).
///
/// It starts at the time given, which is also the origin of `relativeCreated`, and moves
/// only when told to. It is process-wide, as records are: a second `FixedClock` waits until
/// the first is dropped, so tests on several threads each get the clock to themselves.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use logkit::clock::FixedClock;
/// use logkit::{Capture, Formatter, Handler, StreamHandler, Timestamp, get_logger};
///
/// let out = Capture::new();
/// let handler = StreamHandler::new(out.clone());
/// handler.set_formatter(
///     Formatter::builder()
///         .template("%(asctime)s +%(relativeCreated)d %(message)s")
///         .utc(true)
///         .build()?,
/// );
/// let logger = get_logger("fixed.doc");
/// logger.add_handler(handler);
///
/// let clock = FixedClock::at(Timestamp::new(1_700_000_000, 0));
/// logkit::warning!(logger, "first");
/// clock.advance(Duration::from_millis(1500));
/// logkit::warning!(logger, "second");
/// drop(clock);
/// assert_eq!(
///     out.lines(),
///     [
///         "2023-11-14 22:13:20,000 +0 first",
///         "2023-11-14 22:13:21,500 +1500 second",
///     ]
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct FixedClock {
    _in_force: std::sync::MutexGuard<'static, ()>,
}

impl FixedClock {
    /// Fixes the time at `start` (and the origin of `relativeCreated` there).
    pub fn at(start: Timestamp) -> FixedClock {
        let in_force = IN_FORCE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let nanos = nanos_of(start);
        NOW_NANOS.store(nanos, Ordering::Relaxed);
        ORIGIN_NANOS.store(nanos, Ordering::Relaxed);
        FIXED.store(true, Ordering::SeqCst);
        FixedClock {
            _in_force: in_force,
        }
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_nanos(NOW_NANOS.load(Ordering::Relaxed))
    }

    /// Sets the time (the origin of `relativeCreated` stays).
    pub fn set(&self, now: Timestamp) {
        NOW_NANOS.store(nanos_of(now), Ordering::SeqCst);
    }

    /// Moves the time forward by `by`.
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_nanos()).unwrap_or(i64::MAX);
        let now = NOW_NANOS.load(Ordering::Relaxed);
        NOW_NANOS.store(now.saturating_add(by), Ordering::SeqCst);
    }
}

impl Drop for FixedClock {
    fn drop(&mut self) {
        FIXED.store(false, Ordering::SeqCst);
    }
}

fn nanos_of(t: Timestamp) -> i64 {
    i64::try_from(t.as_nanos()).unwrap_or(if t.secs() < 0 { i64::MIN } else { i64::MAX })
}
