//! Cost of a call below the level: logkit's call site (one cached-threshold check) against
//! the `log` facade's global max level and tracing's callsite interest, in the same run.
//! logkit is also measured through a logger handle (`debug!(logger, …)`), and with 1,000 other
//! loggers at DEBUG and a logger 10 levels deep.
//!
//! Each iteration makes 100 inlined calls (criterion's per-iteration overhead is larger than
//! the check itself), so the reported time divided by 100 is the cost of one call.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use logkit::{Level, get_logger};
use logkit_benches::PATH;

mod deep {
    logkit::module_logger!("a.b.c.d.e.f.g.h.i.j");

    #[inline(always)]
    pub(crate) fn call(n: u64) {
        logkit::debug!("request %s took %d ms", super::PATH, n);
    }
}

#[inline(always)]
fn logkit_call(n: u64) {
    logkit::debug!("request %s took %d ms", PATH, n);
}

/// Through a logger handle rather than the module's logger (its threshold is read through
/// the handle).
#[inline(always)]
fn logkit_handle_call(logger: &logkit::Logger, n: u64) {
    logkit::debug!(logger, "request %s took %d ms", PATH, n);
}

#[inline(always)]
fn log_call(n: u64) {
    log::debug!("request {} took {} ms", PATH, n);
}

#[inline(always)]
fn tracing_call(n: u64) {
    tracing::debug!("request {} took {} ms", PATH, n);
}

/// 100 calls, ten in a row in each turn of a loop (a loop of one check is so short that
/// where the linker happens to place it, across a 32-byte fetch boundary or not, would
/// double its time). The argument is opaque once per iteration; a disabled call does not
/// evaluate it, and the level checks are atomic loads, which the compiler keeps in every
/// call.
#[inline(always)]
fn hundred(call: impl Fn(u64)) {
    let n = black_box(7u64);
    for _ in 0..10 {
        call(n);
        call(n);
        call(n);
        call(n);
        call(n);
        call(n);
        call(n);
        call(n);
        call(n);
        call(n);
    }
}

fn setup() {
    // logkit: everything at WARNING (root's default), with a handler so nothing is "unconfigured".
    logkit::root().add_handler(logkit::NullHandler::new());
    // log: env_logger at warn into a sink.
    env_logger::Builder::new()
        .filter_level(log::LevelFilter::Warn)
        .target(env_logger::Target::Pipe(Box::new(std::io::sink())))
        .init();
    // tracing: a global fmt subscriber at WARN into a sink.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer(std::io::sink)
        .init();
}

fn disabled(c: &mut Criterion) {
    setup();
    let mut g = c.benchmark_group("disabled");
    g.bench_function("logkit_x100", |b| b.iter(|| hundred(logkit_call)));
    let handle = get_logger("app.db");
    g.bench_function("logkit_handle_x100", |b| {
        b.iter(|| hundred(|n| logkit_handle_call(&handle, n)));
    });
    g.bench_function("log_x100", |b| b.iter(|| hundred(log_call)));
    g.bench_function("tracing_x100", |b| b.iter(|| hundred(tracing_call)));

    // 1,000 other loggers at DEBUG, and the call site's logger 10 levels deep.
    for i in 0..1000 {
        get_logger(&format!("busy.l{i}")).set_level(Level::DEBUG);
    }
    g.bench_function("logkit_1000_others_at_debug_10_deep_x100", |b| {
        b.iter(|| hundred(deep::call));
    });
    g.bench_function("logkit_1000_others_at_debug_x100", |b| {
        b.iter(|| hundred(logkit_call));
    });
    g.finish();
}

criterion_group!(benches, disabled);
criterion_main!(benches);
