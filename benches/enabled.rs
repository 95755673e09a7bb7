//! An enabled INFO record, `"request %s took %d ms"`, formatted as
//! `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (local time, milliseconds) into a
//! discarding writer: logkit with a compiled and a run-time formatter, against env_logger
//! (`log`) and tracing-subscriber's fmt layer, each with a comparable layout, in the same run.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use logkit::{Formatter, Handler, Level, StreamHandler, get_logger};
use logkit_benches::{CountingSink, PATH, env_logger_builder};

fn logkit_setup(name: &str, compiled: bool) -> (logkit::Logger, CountingSink) {
    let sink = CountingSink::new();
    let handler = StreamHandler::new(sink.clone());
    if compiled {
        handler.set_formatter(logkit::formatter!(
            "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
        ));
    } else {
        handler.set_formatter(
            Formatter::new("%(asctime)s - %(name)s - %(levelname)s - %(message)s").unwrap(),
        );
    }
    let logger = get_logger(name);
    logger.set_level(Level::INFO);
    logger.set_propagate(false);
    logger.add_handler(handler);
    (logger, sink)
}

fn enabled(c: &mut Criterion) {
    let log_sink = CountingSink::new();
    env_logger_builder(Box::new(log_sink.clone()))
        .filter_level(log::LevelFilter::Info)
        .init();
    let tracing_sink = CountingSink::new();
    let tracing_target = tracing_sink.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || tracing_target.clone())
        .init();

    let (compiled, compiled_sink) = logkit_setup("app.db", true);
    let (runtime, runtime_sink) = logkit_setup("app.db2", false);

    // Every subject really writes its line.
    logkit::info!(compiled, "request %s took %d ms", PATH, 1);
    logkit::info!(runtime, "request %s took %d ms", PATH, 1);
    log::info!(target: "app.db", "request {} took {} ms", PATH, 1);
    tracing::info!(target: "app.db", "request {} took {} ms", PATH, 1);
    assert!(compiled_sink.bytes() > 0 && runtime_sink.bytes() > 0);
    assert!(log_sink.bytes() > 0 && tracing_sink.bytes() > 0);

    let mut g = c.benchmark_group("enabled");
    let mut n = 0u64;
    g.bench_function("logkit_compiled_formatter", |b| {
        b.iter(|| {
            n += 1;
            logkit::info!(compiled, "request %s took %d ms", PATH, black_box(n));
        });
    });
    g.bench_function("logkit_runtime_formatter", |b| {
        b.iter(|| {
            n += 1;
            logkit::info!(runtime, "request %s took %d ms", PATH, black_box(n));
        });
    });
    g.bench_function("log_env_logger", |b| {
        b.iter(|| {
            n += 1;
            log::info!(target: "app.db", "request {} took {} ms", PATH, black_box(n));
        });
    });
    g.bench_function("tracing_fmt", |b| {
        b.iter(|| {
            n += 1;
            tracing::info!(target: "app.db", "request {} took {} ms", PATH, black_box(n));
        });
    });
    g.finish();
}

criterion_group!(benches, enabled);
criterion_main!(benches);
