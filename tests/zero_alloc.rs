//! An enabled record allocates nothing in steady state: a counting global allocator sees
//! no allocation across thousands of records through a compiled formatter, a run-time
//! formatter (with a `datefmt`, padding and numeric conversions), a file handler, and
//! disabled calls; nor, on either thread, through a queue handler and its listener.
//! The count is process-wide, so this runs without the test harness (whose own thread
//! allocates while tests run): the process has only this thread, the queues' listeners and
//! logkit's housekeeping thread (which writes buffered handlers in time).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use logkit::{FileHandler, Formatter, Handler, Level, QueueHandler, StreamHandler, get_logger};

/// Counts allocations made while `COUNTING` is on.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
/// Those of them made on another thread than `main`'s (a queue's listener, the
/// housekeeping thread).
static OFF_MAIN: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on `main`'s thread.
    static MAIN: Cell<bool> = const { Cell::new(false) };
}

/// Counts one allocation.
fn count() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        if !MAIN.try_with(Cell::get).unwrap_or(false) {
            OFF_MAIN.fetch_add(1, Ordering::Relaxed);
        }
    }
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f`.
fn allocations(f: impl FnOnce()) -> usize {
    allocations_by_thread(f).0
}

/// Allocations made by `f`: all of them, and those on other threads than `main`'s.
fn allocations_by_thread(f: impl FnOnce()) -> (usize, usize) {
    ALLOCATIONS.store(0, Ordering::Relaxed);
    OFF_MAIN.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    f();
    COUNTING.store(false, Ordering::Relaxed);
    (
        ALLOCATIONS.load(Ordering::Relaxed),
        OFF_MAIN.load(Ordering::Relaxed),
    )
}

fn main() {
    MAIN.with(|m| m.set(true));
    enabled_records_allocate_nothing_in_steady_state();
    println!("zero_alloc ... ok (no allocation in 25,000 records, nor in 20,000 queued)");
    bridged_records_allocate_nothing_in_steady_state();
    println!("zero_alloc ... ok (no allocation in 25,000 `log` and `tracing` records)");
    bridged_records_through_a_queue_allocate_only_their_text();
    println!(
        "zero_alloc ... ok (one allocation, the text, in each of 20,000 queued `log` records)"
    );
    files_written_in_batches_allocate_nothing_in_steady_state();
    println!(
        "zero_alloc ... ok (no allocation in 20,000 buffered records nor 20,000 queued to files in batches)"
    );
}

/// A buffered file handler (written when full and at ERROR) and a queue handing batches to
/// a file handler and a rotating one.
fn files_written_in_batches_allocate_nothing_in_steady_state() {
    let dir = logkit_tests::temp_dir("alloc-batches");
    let buffered = get_logger("alloc.buffered");
    buffered.set_propagate(false);
    let h = FileHandler::options(dir.join("buffered.log"))
        .buffered(
            logkit::Buffering::new()
                .capacity(16 * 1024)
                .max_delay(std::time::Duration::from_secs(3600)),
        )
        .open()
        .unwrap();
    h.set_formatter(logkit::formatter!("%(asctime)s %(levelname)s %(message)s"));
    buffered.add_handler(h);
    let run = |n: u64| {
        for i in 0..n {
            logkit::warning!(buffered, "request %s took %d ms", "/api/users", i);
            if i % 1000 == 0 {
                logkit::error!(buffered, "written at once with what waits");
            }
        }
    };
    run(2_000);
    let (n, o) = allocations_by_thread(|| run(20_000));
    assert_eq!(
        n, 0,
        "{n} allocations in 20,000 buffered records ({o} off main)"
    );

    let file = FileHandler::new(dir.join("batched.log")).unwrap();
    file.set_formatter(logkit::formatter!("%(asctime)s %(levelname)s %(message)s"));
    let rotating = logkit::RotatingFileHandler::new(dir.join("rotating.log"), 0, 0).unwrap();
    rotating.set_formatter(logkit::formatter!("%(asctime)s %(levelname)s %(message)s"));
    let queue = QueueHandler::builder()
        .handler(file)
        .handler(rotating)
        .capacity(1024)
        .start()
        .unwrap();
    let queued = get_logger("alloc.batched");
    queued.set_propagate(false);
    queued.add_handler(std::sync::Arc::clone(&queue));
    let run = |n: u64| {
        for i in 0..n {
            logkit::info!(queued, "request %s took %d ms", "/api/users", i);
        }
    };
    run(20_000);
    queue.flush().unwrap();
    let n = allocations(|| run(20_000));
    queue.flush().unwrap();
    assert_eq!(n, 0, "{n} allocations in 20,000 records queued to files");
}

/// A dependency's records through the bridges: `log` with and without key-values, and
/// `tracing` events with fields inside a span that exists already.
fn bridged_records_allocate_nothing_in_steady_state() {
    logkit::log_bridge::init().unwrap();
    logkit::tracing_bridge::init().unwrap();
    let bridged = get_logger("alloc.bridged");
    bridged.set_propagate(false);
    bridged.set_level(Level::INFO);
    let h = StreamHandler::new(std::io::sink());
    h.set_formatter(
        Formatter::new("%(asctime)s - %(name)s - %(levelname)s - %(message)s %(lineno)d").unwrap(),
    );
    bridged.add_handler(h);
    let json = StreamHandler::new(std::io::sink());
    json.set_formatter(
        logkit::JsonFormatter::builder()
            .all_extra(true)
            .build()
            .unwrap(),
    );
    bridged.add_handler(json);
    let span = tracing::info_span!(target: "alloc::bridged", "request", id = 7_u64, user = "alice");
    let run = |n: u64| {
        for i in 0..n {
            log::info!(target: "alloc::bridged::log", "request {} took {} ms", "/api/users", i);
            log::warn!(target: "alloc::bridged::log", peer = "db", attempt = i; "slow");
            log::debug!(target: "alloc::bridged::log", "disabled {}", i);
            span.in_scope(|| {
                tracing::info!(target: "alloc::bridged::tracing", bytes = i, "frame {} sent", i);
                tracing::debug!(target: "alloc::bridged::tracing", "disabled {}", i);
            });
        }
    };
    run(100);
    let n = allocations(|| run(5_000));
    assert_eq!(n, 0, "{n} allocations in 25,000 bridged calls");
}

/// A record that is not a macro call's (here a dependency's, through the `log` bridge) is
/// copied into the queue's slot with its text in one allocation, and nothing else: no box
/// around it, nothing on the listener.
fn bridged_records_through_a_queue_allocate_only_their_text() {
    let queue = QueueHandler::builder()
        .handler(StreamHandler::new(std::io::sink()))
        .capacity(1024)
        .start()
        .unwrap();
    let queued = get_logger("alloc.bridged_queued");
    queued.set_propagate(false);
    queued.set_level(Level::INFO);
    queued.add_handler(std::sync::Arc::clone(&queue));
    let run = |n: u64| {
        for i in 0..n {
            log::info!(target: "alloc::bridged_queued", "request {} took {} ms", "/api/users", i);
        }
    };
    // The same records first: the thread's assembly buffer grows to their size.
    run(20_000);
    queue.flush().unwrap();
    // What a flush alone costs the listener (its reply; the caller's own varies with the
    // timing of the wait): the listener is to allocate nothing more for the records.
    let (_, flush_on_listener) = allocations_by_thread(|| queue.flush().unwrap());
    let (n, on_listener) = allocations_by_thread(|| run(20_000));
    let (_, flushing_on_listener) = allocations_by_thread(|| queue.flush().unwrap());
    assert_eq!(n, 20_000, "{n} allocations in 20,000 queued `log` records");
    assert_eq!(on_listener, 0, "{on_listener} allocations on the listener");
    assert_eq!(
        flushing_on_listener, flush_on_listener,
        "the listener allocated while writing the last of the records"
    );
}

fn enabled_records_allocate_nothing_in_steady_state() {
    let compiled = get_logger("alloc.compiled");
    compiled.set_propagate(false);
    let h = StreamHandler::new(std::io::sink());
    h.set_formatter(logkit::formatter!(
        "%(asctime)s - %(name)s - %(levelname)-8s - %(message)s [%(filename)s:%(lineno)d %(funcName)s]"
    ));
    compiled.add_handler(h);

    let runtime = get_logger("alloc.runtime");
    runtime.set_propagate(false);
    let h = StreamHandler::new(std::io::sink());
    h.set_formatter(
        Formatter::builder()
            .template("%(asctime)s %(levelno)03d %(name)10.4s %(threadName)s %(msecs)d %(message)r")
            .datefmt("%d/%m/%Y %H:%M:%S")
            .build()
            .unwrap(),
    );
    runtime.add_handler(h);

    // The run-time formatter of a plain template (`basic_config`'s, most `logging.ini`
    // files'), written by its loop of its own.
    let plain = get_logger("alloc.plain");
    plain.set_propagate(false);
    let h = StreamHandler::new(std::io::sink());
    h.set_formatter(
        Formatter::new("%(asctime)s - %(name)s - %(levelname)s - %(message)s").unwrap(),
    );
    plain.add_handler(h);

    let dir = logkit_tests::temp_dir("alloc");
    let file = get_logger("alloc.file");
    file.set_propagate(false);
    let h = FileHandler::new(dir.join("alloc.log")).unwrap();
    h.set_formatter(logkit::formatter!("%(asctime)s %(levelname)s %(message)s"));
    file.add_handler(h);

    let quiet = get_logger("alloc.quiet");
    quiet.set_level(Level::ERROR);

    let run = |n: u64| {
        for i in 0..n {
            logkit::info!(
                compiled,
                "request %s took %d ms (%5.1f%%)",
                "/api/users",
                i,
                12.5
            );
            logkit::warning!(runtime, "user %(user)s: %(n)x", user = "alice", n = i);
            logkit::info!(plain, "request %s took %d ms", "/api/users", i);
            logkit::error!(file, "write %d", i);
            logkit::debug!(quiet, "never %s", "evaluated");
        }
    };
    // Warm up: thread-local buffers grow, caches fill, call sites register.
    run(100);
    let n = allocations(|| run(5_000));
    assert_eq!(n, 0, "{n} allocations in 25,000 calls");

    // Through a queue: the caller copies the record into the queue's slot, the listener
    // merges and writes it; a queue smaller than the run makes the caller wait for room.
    let target = StreamHandler::new(std::io::sink());
    target.set_formatter(logkit::formatter!(
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
    ));
    let queue = QueueHandler::builder()
        .handler(target)
        .capacity(1024)
        .start()
        .unwrap();
    let queued = get_logger("alloc.queued");
    queued.set_propagate(false);
    queued.add_handler(std::sync::Arc::clone(&queue));
    let run = |n: u64| {
        for i in 0..n {
            logkit::info!(queued, "request %s took %d ms", "/api/users", i);
            logkit::warning!(queued, "%r and %5.2f", 'c', 0.5);
        }
    };
    run(2_000);
    queue.flush().unwrap();
    let n = allocations(|| run(10_000));
    queue.flush().unwrap();
    assert_eq!(n, 0, "{n} allocations in 20,000 queued records");
}
