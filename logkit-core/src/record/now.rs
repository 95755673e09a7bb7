//! The wall-clock time of a record, read cheaply.
//!
//! `SystemTime::now()` costs 25–45 ns on a virtual machine, a quarter of a record's budget.
//! Where the CPU's time-stamp counter is the kernel's clock source (x86_64 Linux with
//! `current_clocksource` = `tsc`, so the counter is invariant and synchronised across
//! cores), a record's time is the system time of a recent anchor plus the counter's ticks
//! since, scaled:
//!
//! - the scale (nanoseconds per tick) is measured against `SystemTime` over a baseline that
//!   grows as the process runs (at least 20 ms before it is used; records before that read
//!   the system clock);
//! - each thread re-anchors to `SystemTime` every ~10 ms, so a clock step (NTP) reaches the
//!   records within 10 ms, and the error between anchors is the scale's error over 10 ms
//!   (tens of nanoseconds);
//! - a baseline that disagrees with the current scale by more than 0.1% (the system clock
//!   was stepped) is reset instead of used.
//!
//! Elsewhere, or with `LOGKIT_CLOCK=system`, records read `SystemTime::now()`; while a
//! [`FixedClock`](crate::clock::FixedClock) lives, its time.

use std::time::{SystemTime, UNIX_EPOCH};

use super::Timestamp;

/// The current time.
#[inline]
pub(super) fn now() -> Timestamp {
    if let Some(t) = crate::clock::fixed_now_nanos() {
        return from_nanos(t);
    }
    #[cfg(all(target_arch = "x86_64", target_os = "linux", not(miri)))]
    if let Some(t) = tsc::now() {
        return t;
    }
    system_now()
}

/// The current time, in nanoseconds since the epoch.
#[inline]
pub(super) fn now_nanos() -> i64 {
    if let Some(t) = crate::clock::fixed_now_nanos() {
        return t;
    }
    // Miri cannot run `rdtsc` nor read the clock source's name from /sys: under it, records
    // read the system clock.
    #[cfg(all(target_arch = "x86_64", target_os = "linux", not(miri)))]
    if let Some(t) = tsc::now_nanos() {
        return t;
    }
    to_nanos(system_now())
}

/// The current time from the system clock.
pub(super) fn system_now() -> Timestamp {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => Timestamp::new(
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(e) => {
            let d = e.duration();
            let mut secs = -i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            let mut nanos = d.subsec_nanos();
            if nanos > 0 {
                secs -= 1;
                nanos = 1_000_000_000 - nanos;
            }
            Timestamp::new(secs, nanos)
        }
    }
}

fn to_nanos(t: Timestamp) -> i64 {
    i64::try_from(t.as_nanos()).unwrap_or(i64::MAX)
}

pub(super) fn from_nanos(ns: i64) -> Timestamp {
    Timestamp::new(
        ns.div_euclid(1_000_000_000),
        u32::try_from(ns.rem_euclid(1_000_000_000)).unwrap_or(0),
    )
}

/// Whether the counter may be used, decided once per process.
#[cfg(all(target_arch = "x86_64", target_os = "linux", not(miri)))]
fn tsc_allowed() -> bool {
    use std::sync::OnceLock;

    static ALLOWED: OnceLock<bool> = OnceLock::new();
    *ALLOWED.get_or_init(|| {
        if std::env::var_os("LOGKIT_CLOCK").is_some_and(|v| v == "system") {
            return false;
        }
        std::fs::read_to_string("/sys/devices/system/clocksource/clocksource0/current_clocksource")
            .is_ok_and(|s| s.trim() == "tsc")
    })
}

#[cfg(all(target_arch = "x86_64", target_os = "linux", not(miri)))]
mod tsc {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

    use super::{Timestamp, from_nanos, system_now, to_nanos, tsc_allowed};

    /// Baseline for the scale: a counter value and the system time read with it.
    static BASE_TICKS: AtomicU64 = AtomicU64::new(0);
    static BASE_NANOS: AtomicI64 = AtomicI64::new(0);
    /// Nanoseconds per tick as a 32.32 fixed-point number; 0 until calibrated.
    static SCALE: AtomicU64 = AtomicU64::new(0);

    /// Minimum baseline before the scale is trusted.
    const MIN_BASELINE_NS: i64 = 20_000_000;
    /// How long a thread's anchor is used before re-reading the system clock.
    const ANCHOR_NS: u64 = 10_000_000;

    /// A thread's anchor: a counter value, the system time read with it (as seconds and
    /// nanoseconds, so that a record's time needs no division), and the counter span it is
    /// good for.
    #[derive(Clone, Copy)]
    struct Anchor {
        ticks: u64,
        secs: i64,
        subsec: u32,
        span: u64,
    }

    thread_local! {
        /// This thread's anchor (a span of 0 until it has one).
        static ANCHOR: Cell<Anchor> = const {
            Cell::new(Anchor { ticks: 0, secs: 0, subsec: 0, span: 0 })
        };
    }

    /// One reading of the clock.
    enum Reading {
        /// The thread's anchor and the nanoseconds since it (less than ~10 ms).
        Anchored(Anchor, u64),
        /// The system clock, read because there was no current anchor.
        Fresh(i64),
    }

    /// Reads the counter against this thread's anchor, re-anchoring when it is stale;
    /// `None` where the counter is not used (or the thread's storage is gone).
    #[inline(always)]
    fn read() -> Option<Reading> {
        let scale = SCALE.load(Ordering::Relaxed);
        if scale == 0 {
            return calibrate().map(Reading::Fresh);
        }
        let t = ticks();
        ANCHOR
            .try_with(|anchor| {
                let a = anchor.get();
                let elapsed = t.wrapping_sub(a.ticks);
                if elapsed < a.span {
                    let ns = (u128::from(elapsed) * u128::from(scale)) >> 32;
                    Reading::Anchored(a, u64::try_from(ns).unwrap_or(0))
                } else {
                    Reading::Fresh(re_anchor(anchor, t, scale))
                }
            })
            .ok()
    }

    #[inline]
    fn ticks() -> u64 {
        // SAFETY: `rdtsc` has no preconditions on x86_64; it reads the time-stamp counter.
        #[allow(unsafe_code)]
        unsafe {
            core::arch::x86_64::_rdtsc()
        }
    }

    #[inline]
    pub(super) fn now_nanos() -> Option<i64> {
        Some(match read()? {
            Reading::Anchored(a, ns) => {
                a.secs * 1_000_000_000 + i64::from(a.subsec) + i64::try_from(ns).unwrap_or(0)
            }
            Reading::Fresh(ns) => ns,
        })
    }

    /// [`now_nanos`] as seconds and nanoseconds: the anchor's, plus the nanoseconds since
    /// (at most one carry into the seconds).
    #[inline]
    pub(super) fn now() -> Option<Timestamp> {
        Some(match read()? {
            Reading::Anchored(a, ns) => {
                let subsec = u64::from(a.subsec) + ns;
                if subsec >= 1_000_000_000 {
                    Timestamp::new(a.secs + 1, (subsec - 1_000_000_000) as u32)
                } else {
                    Timestamp::new(a.secs, subsec as u32)
                }
            }
            Reading::Fresh(ns) => from_nanos(ns),
        })
    }

    /// Reads the system clock, makes it this thread's anchor, and refines the scale.
    #[cold]
    fn re_anchor(anchor: &Cell<Anchor>, t: u64, scale: u64) -> i64 {
        let real = system_now();
        let real_ns = to_nanos(real);
        let t = t.max(ticks());
        let span = ((u128::from(ANCHOR_NS) << 32) / u128::from(scale.max(1))) as u64;
        anchor.set(Anchor {
            ticks: t,
            secs: real.secs(),
            subsec: real.subsec_nanos(),
            span,
        });
        refine(t, real_ns);
        real_ns
    }

    /// Before the scale is known: read the system clock, and measure the scale once the
    /// baseline is long enough.
    #[cold]
    fn calibrate() -> Option<i64> {
        if !tsc_allowed() {
            return None;
        }
        let real_ns = to_nanos(system_now());
        let t = ticks();
        refine(t, real_ns);
        Some(real_ns)
    }

    /// Updates the scale from the baseline to `(t, real_ns)`, or resets the baseline.
    fn refine(t: u64, real_ns: i64) {
        let base_ticks = BASE_TICKS.load(Ordering::Relaxed);
        let base_nanos = BASE_NANOS.load(Ordering::Relaxed);
        let reset = || {
            BASE_NANOS.store(real_ns, Ordering::Relaxed);
            BASE_TICKS.store(t, Ordering::Relaxed);
        };
        if base_ticks == 0 || t <= base_ticks || real_ns <= base_nanos {
            reset();
            return;
        }
        let dns = real_ns - base_nanos;
        if dns < MIN_BASELINE_NS {
            return;
        }
        let dticks = u128::from(t - base_ticks);
        let Ok(dns) = u128::try_from(dns) else {
            return;
        };
        let new = u64::try_from((dns << 32) / dticks).unwrap_or(0);
        let old = SCALE.load(Ordering::Relaxed);
        // More than 0.1% away from the current scale: the system clock was stepped.
        if old != 0 && new.abs_diff(old) > old / 1000 {
            reset();
            return;
        }
        if new != 0 {
            SCALE.store(new, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_time_tracks_the_system_clock() {
        // Long enough for the counter to be calibrated where it is used.
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(60);
        while std::time::Instant::now() < deadline {
            let _ = now();
        }
        for _ in 0..1000 {
            let before = to_nanos(system_now());
            let t = to_nanos(now());
            let n = now_nanos();
            let after = to_nanos(system_now());
            // Within the anchor error bound (generously: 1 ms) of the system clock, both
            // as a timestamp and in nanoseconds (what a queued record carries).
            for t in [t, n] {
                assert!(
                    t >= before - 1_000_000 && t <= after + 1_000_000,
                    "{before} {t} {after}"
                );
            }
        }
    }

    #[test]
    fn nanos_round_trip() {
        for ns in [
            0,
            1,
            999_999_999,
            1_000_000_000,
            -1,
            -1_000_000_001,
            1_700_000_000_125_000_000,
        ] {
            assert_eq!(to_nanos(from_nanos(ns)), ns);
        }
    }
}
