//! Shared setup for the benchmarks: a writer that discards bytes but counts them, so the
//! formatting work cannot be optimised away, and the CPU's time-stamp counter for timing
//! single calls.

use std::fmt;
use std::hint::black_box;
use std::io;
use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A `Write` that counts bytes and drops them.
#[derive(Clone, Debug, Default)]
pub struct CountingSink {
    bytes: Arc<AtomicU64>,
}

impl CountingSink {
    /// A new sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

impl io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.fetch_add(buf.len() as u64, Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The path in the benchmark's message.
pub const PATH: &str = "/api/users";

/// The time-stamp counter.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn ticks() -> u64 {
    // SAFETY: `rdtsc` has no preconditions on x86_64; it reads the time-stamp counter.
    #[allow(unsafe_code)]
    unsafe {
        core::arch::x86_64::_rdtsc()
    }
}

/// Elsewhere, a monotonic clock in nanoseconds.
#[cfg(not(target_arch = "x86_64"))]
pub fn ticks() -> u64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    u64::try_from(START.get_or_init(Instant::now).elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Nanoseconds per tick, measured against the system clock.
pub fn ns_per_tick() -> f64 {
    let (t0, i0) = (ticks(), Instant::now());
    while i0.elapsed() < Duration::from_millis(200) {
        std::hint::spin_loop();
    }
    let (t1, elapsed) = (ticks(), i0.elapsed());
    elapsed.as_nanos() as f64 / (t1 - t0) as f64
}

/// The ticks two back-to-back reads cost (subtracted from each sample).
pub fn timer_overhead() -> u64 {
    let mut samples: Vec<u64> = (0..10_000)
        .map(|_| {
            let t0 = ticks();
            ticks() - t0
        })
        .collect();
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// The 50th, 99th and 99.9th percentiles of `samples` (in ticks), in nanoseconds.
pub fn percentiles(samples: &mut [u64], ns_per_tick: f64) -> [f64; 3] {
    samples.sort_unstable();
    let at = |q: f64| {
        let i = ((samples.len() as f64 * q) as usize).min(samples.len().saturating_sub(1));
        samples.get(i).copied().unwrap_or(0) as f64 * ns_per_tick
    };
    [at(0.50), at(0.99), at(0.999)]
}

/// What [`caller_latency`] measured, in nanoseconds.
#[derive(Clone, Copy, Debug)]
pub struct Latency {
    /// Over whole bursts (total time / records), untimed calls back to back.
    pub mean: f64,
    /// The median call, timed alone.
    pub p50: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The 99.9th percentile.
    pub p999: f64,
}

/// Times each call of `log` alone over `bursts` bursts of `burst` calls, running `between`
/// after each burst; `ns` and `overhead` are [`ns_per_tick`] and [`timer_overhead`].
pub fn caller_latency(
    bursts: usize,
    burst: usize,
    ns: f64,
    overhead: u64,
    log: impl Fn(u64),
    between: impl Fn(),
) -> Latency {
    let mut samples = Vec::with_capacity(burst * bursts);
    for round in 0..bursts {
        for i in 0..burst {
            let t0 = ticks();
            log(black_box(i as u64));
            let t1 = ticks();
            // The first burst warms caches and allocator pools up; it is not counted.
            if round > 0 {
                samples.push((t1 - t0).saturating_sub(overhead));
            }
        }
        between();
    }
    // The same bursts again, untimed call by call: the mean cost of a call in a loop, as
    // criterion reports it.
    let mut total = 0;
    for _ in 1..bursts {
        let t0 = ticks();
        for i in 0..burst {
            log(black_box(i as u64));
        }
        total += ticks() - t0;
        between();
    }
    let mean = total as f64 * ns / ((bursts - 1) * burst) as f64;
    let [p50, p99, p999] = percentiles(&mut samples, ns);
    Latency {
        mean,
        p50,
        p99,
        p999,
    }
}

/// The file at `path` opened as a log file handler opens it (CPython's mode `'a'`, logkit,
/// log4rs, tracing-appender, spdlog's default): created if missing, every write appended
/// (`O_APPEND`). Every library in the benches opens its file this way, so that each makes
/// the same system call (`O_APPEND` adds 25–45 ns to a `write` on the bench machine's
/// ext4).
///
/// # Panics
///
/// If it cannot be opened.
pub fn append_to(path: &std::path::Path) -> std::fs::File {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
}

/// The lines in the file at `path` (0 when it cannot be read).
pub fn lines_in(path: &std::path::Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

/// An env_logger builder writing to `target` in its closest line to
/// `%(asctime)s - %(name)s - %(levelname)s - %(message)s`, with its own UTC RFC 3339
/// timestamp (in milliseconds) as the `asctime`; the caller adds the filters.
pub fn env_logger_builder(target: Box<dyn io::Write + Send>) -> env_logger::Builder {
    let mut builder = env_logger::Builder::new();
    builder
        .format(|buf, record| {
            let time = buf.timestamp_millis();
            env_logger_line(buf, &time, record)
        })
        .target(env_logger::Target::Pipe(target));
    builder
}

/// env_logger's closest line to `%(asctime)s - %(name)s - %(levelname)s - %(message)s`,
/// with `time` as the `asctime`.
pub fn env_logger_line(
    buf: &mut env_logger::fmt::Formatter,
    time: &dyn fmt::Display,
    record: &log::Record<'_>,
) -> io::Result<()> {
    writeln!(
        buf,
        "{time} - {} - {} - {}",
        record.target(),
        record.level(),
        record.args()
    )
}
