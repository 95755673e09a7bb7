//! The queue path against the synchronous file path, in the same run: an INFO record,
//! `"request %s took %d ms"`, formatted as `%(asctime)s - %(name)s - %(levelname)s -
//! %(message)s` into a file.
//!
//! - **caller latency**: each call timed alone with the CPU's time-stamp counter (the cost of
//!   reading it subtracted), p50 / p99 / p99.9 over bursts that fit the queue, block mode;
//! - **throughput**: a million records logged as fast as one thread can, until the last
//!   one is in the file (the queue is smaller than the run, so the caller waits for room:
//!   this is the listener's rate, lossless).
//!
//! `cargo bench -p logkit-benches --bench queue`

use std::hint::black_box;
use std::io::BufWriter;
use std::sync::Arc;
use std::time::Instant;

use logkit::{FileHandler, Handler, Level, Logger, QueueHandler, StreamHandler, get_logger};
use logkit_benches::{PATH, caller_latency, lines_in, ns_per_tick, timer_overhead};

const BURST: usize = 20_000;
const BURSTS: usize = 25;
const THROUGHPUT_RECORDS: usize = 1_000_000;
const QUEUE_CAPACITY: usize = 32_768;

fn logger_with(name: &str, handler: impl logkit::IntoHandler) -> Logger {
    let logger = get_logger(name);
    logger.set_level(Level::INFO);
    logger.set_propagate(false);
    logger.add_handler(handler);
    logger
}

/// The Python layout, compiled.
fn set_layout<H: Handler>(handler: &H) {
    handler.set_formatter(logkit::formatter!(
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
    ));
}

/// Records per second from the first call until `done` returns (the records are in the
/// file).
fn throughput(log: impl Fn(u64), done: impl Fn()) -> f64 {
    let start = Instant::now();
    for i in 0..THROUGHPUT_RECORDS {
        log(black_box(i as u64));
    }
    done();
    THROUGHPUT_RECORDS as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this with no argument and
    // only checks that it builds and runs.
    let quick = !std::env::args().any(|a| a == "--bench");
    let dir = std::env::temp_dir().join(format!("logkit-bench-queue-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    if quick {
        println!("queue bench: run with `cargo bench --bench queue` for figures");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let ns = ns_per_tick();
    let overhead = timer_overhead();

    // The synchronous path: a FileHandler, one write per record.
    let sync_path = dir.join("sync.log");
    let file = FileHandler::new(&sync_path).expect("file");
    set_layout(&file);
    let sync_logger = logger_with("bench.sync", file);
    let log_sync = |i: u64| logkit::info!(sync_logger, "request %s took %d ms", PATH, i);
    let sync_latency = caller_latency(BURSTS, BURST, ns, overhead, log_sync, || {});
    let sync_rate = throughput(log_sync, || {});

    // The queue path: a QueueHandler whose listener writes into a buffered file and flushes
    // after each batch.
    let queue_path = dir.join("queue.log");
    let writer =
        BufWriter::with_capacity(1 << 16, std::fs::File::create(&queue_path).expect("file"));
    let target = StreamHandler::new(writer);
    target.set_autoflush(false);
    set_layout(&target);
    let queue: Arc<QueueHandler> = QueueHandler::builder()
        .handler(target)
        .capacity(QUEUE_CAPACITY)
        .start()
        .expect("listener");
    let queue_logger = logger_with("bench.queue", Arc::clone(&queue));
    let log_queue = |i: u64| logkit::info!(queue_logger, "request %s took %d ms", PATH, i);
    let flush_queue = || queue.flush().expect("flush");
    let queue_latency = caller_latency(BURSTS, BURST, ns, overhead, log_queue, flush_queue);
    let before = lines_in(&queue_path);
    let queue_rate = throughput(log_queue, flush_queue);
    let written = lines_in(&queue_path) - before;
    assert_eq!(written, THROUGHPUT_RECORDS, "block mode loses nothing");
    assert_eq!(queue.listener().dropped(), 0);

    println!("caller latency per record (ns), throughput to the file (records/s):");
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>8} {:>14}",
        "", "mean", "p50", "p99", "p99.9", "records/s"
    );
    for (name, l, rate) in [
        (
            "FileHandler (sync, write per rec)",
            &sync_latency,
            sync_rate,
        ),
        ("QueueHandler -> buffered file", &queue_latency, queue_rate),
    ] {
        println!(
            "{name:<34} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>14.0}",
            l.mean, l.p50, l.p99, l.p999, rate
        );
    }
    println!(
        "ratios: caller p50 sync/queue {:.1}x, throughput queue/sync {:.1}x",
        sync_latency.p50 / queue_latency.p50,
        queue_rate / sync_rate
    );
    let _ = std::fs::remove_dir_all(&dir);
}
