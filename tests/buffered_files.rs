//! Writing files many records at a time: a file handler's buffered mode (written when full,
//! at the flush level, within the maximum delay, at flush, before a rotation), a queue's
//! listener handing batches to file handlers, many threads on one buffered file — with
//! every record in the file it would be in unbuffered, once, whole and in order.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use logkit::config::FileConfig;
use logkit::{
    Buffering, FileHandler, Formatter, Handler, HandlerCore, HandlerError, Level, QueueHandler,
    Record, RotatingFileHandler, TimedRotatingFileHandler, When, get_logger,
};
use logkit_tests::temp_dir;

/// A buffer that only fills or a level writes out.
fn patient(capacity: usize) -> Buffering {
    Buffering::new()
        .capacity(capacity)
        .max_delay(Duration::from_secs(3600))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Every file in `dir`, by name, with its contents.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                read(&e.path()),
            )
        })
        .collect()
}

#[test]
fn buffered_records_wait_for_a_full_buffer_the_flush_level_or_flush() {
    let dir = temp_dir("buffered");
    let path = dir.join("app.log");
    let handler = FileHandler::options(&path)
        .buffered(patient(200))
        .open()
        .unwrap();
    handler.set_formatter(Formatter::new("%(levelname)s %(message)s").unwrap());
    let logger = get_logger("buffered.levels");
    logger.set_propagate(false);
    logger.set_level(Level::DEBUG);
    let handler = Arc::new(handler);
    logger.add_handler(Arc::clone(&handler));

    for i in 0..5 {
        logkit::info!(logger, "record %d", i); // 14 bytes each
    }
    assert_eq!(read(&path), "", "kept in memory");
    logkit::error!(logger, "failed");
    let expected: String = (0..5)
        .map(|i| format!("INFO record {i}\n"))
        .chain(["ERROR failed\n".to_owned()])
        .collect();
    assert_eq!(
        read(&path),
        expected,
        "an ERROR writes what waits before it, and itself"
    );

    for i in 5..25 {
        logkit::info!(logger, "record %d", i);
    }
    // 200 bytes fill the buffer after the 14th of these records: they are written.
    let written = read(&path);
    assert!(written.ends_with("INFO record 18\n"), "{written}");
    handler.flush().unwrap();
    let all = read(&path);
    assert!(all.ends_with("INFO record 24\n"), "{all}");
    assert_eq!(all.lines().count(), 26);
}

#[test]
fn a_buffered_record_waits_at_most_the_maximum_delay() {
    let dir = temp_dir("buffered-delay");
    let path = dir.join("app.log");
    let handler = FileHandler::options(&path)
        .buffered(Buffering::new().max_delay(Duration::from_millis(100)))
        .open()
        .unwrap();
    let logger = get_logger("buffered.delay");
    logger.set_propagate(false);
    logger.add_handler(handler);
    logkit::warning!(logger, "written by the flushing thread");
    let deadline = Instant::now() + Duration::from_secs(20);
    while read(&path).is_empty() {
        assert!(Instant::now() < deadline, "not written within 20 s");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(read(&path), "written by the flushing thread\n");
}

/// Logs `n` records of varying lengths to `logger`.
fn varied(logger: logkit::Logger, n: usize) {
    for i in 0..n {
        logkit::warning!(logger, "record %d %s", i, "x".repeat(i % 17));
    }
}

#[test]
fn buffered_rotating_files_hold_what_unbuffered_ones_hold() {
    let plain_dir = temp_dir("rotating-plain");
    let buffered_dir = temp_dir("rotating-buffered");
    for (dir, buffered) in [(&plain_dir, false), (&buffered_dir, true)] {
        let mut options = RotatingFileHandler::options(dir.join("app.log"))
            .max_bytes(300)
            .backup_count(4);
        if buffered {
            options = options.buffered(patient(4096));
        }
        let handler = Arc::new(options.open().unwrap());
        let logger = get_logger(if buffered {
            "rotating.buffered"
        } else {
            "rotating.plain"
        });
        logger.set_propagate(false);
        logger.add_handler(Arc::clone(&handler));
        varied(logger, 120);
        handler.flush().unwrap();
    }
    let plain = files(&plain_dir);
    assert_eq!(plain.len(), 5, "{plain:?}");
    assert_eq!(files(&buffered_dir), plain);
}

#[test]
fn a_timed_rollover_writes_the_buffer_to_the_file_it_belongs_to() {
    let dir = temp_dir("timed-buffered");
    let now = Arc::new(AtomicI64::new(1_709_991_000)); // 2024-03-09 13:30 UTC
    let clock = Arc::clone(&now);
    let handler = Arc::new(
        TimedRotatingFileHandler::options(dir.join("daily.log"))
            .when(When::Midnight)
            .utc(true)
            .backup_count(3)
            .clock(move || clock.load(Ordering::Relaxed))
            .buffered(patient(1 << 20))
            .open()
            .unwrap(),
    );
    let logger = get_logger("timed.buffered");
    logger.set_propagate(false);
    logger.add_handler(Arc::clone(&handler));
    logkit::warning!(logger, "saturday 1");
    logkit::warning!(logger, "saturday 2");
    now.fetch_add(86_400, Ordering::Relaxed);
    logkit::warning!(logger, "sunday");
    handler.flush().unwrap();
    assert_eq!(
        files(&dir),
        BTreeMap::from([
            ("daily.log".to_owned(), "sunday\n".to_owned()),
            (
                "daily.log.2024-03-09".to_owned(),
                "saturday 1\nsaturday 2\n".to_owned()
            ),
        ])
    );
}

/// Counts the batches a queue hands it, and their records.
struct Batches {
    core: HandlerCore,
    open: AtomicUsize,
    batches: AtomicUsize,
    records: AtomicUsize,
    largest: AtomicUsize,
    current: AtomicUsize,
}

impl Handler for Batches {
    fn core(&self) -> &HandlerCore {
        &self.core
    }
    fn emit(&self, _: &Record<'_>) -> Result<(), HandlerError> {
        assert_eq!(
            self.open.load(Ordering::SeqCst),
            1,
            "a record outside a batch"
        );
        self.records.fetch_add(1, Ordering::SeqCst);
        self.current.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    fn begin_batch(&self) {
        assert_eq!(self.open.swap(1, Ordering::SeqCst), 0, "nested batches");
        self.current.store(0, Ordering::SeqCst);
    }
    fn end_batch(&self) -> Result<(), HandlerError> {
        assert_eq!(
            self.open.swap(0, Ordering::SeqCst),
            1,
            "a batch ended twice"
        );
        self.batches.fetch_add(1, Ordering::SeqCst);
        self.largest
            .fetch_max(self.current.load(Ordering::SeqCst), Ordering::SeqCst);
        Ok(())
    }
}

/// Logs `0..count` as `%d` from four threads named `{prefix}0` … `{prefix}3`, and waits
/// for them.
fn log_from_four_threads(logger: logkit::Logger, prefix: &str, count: usize) {
    let threads: Vec<_> = (0..4)
        .map(|t| {
            std::thread::Builder::new()
                .name(format!("{prefix}{t}"))
                .spawn(move || {
                    for i in 0..count {
                        logkit::warning!(logger, "%d", i);
                    }
                })
                .unwrap()
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn a_queue_hands_its_records_to_file_handlers_in_batches() {
    let dir = temp_dir("queue-batches");
    let counter = Arc::new(Batches {
        core: HandlerCore::new(),
        open: AtomicUsize::new(0),
        batches: AtomicUsize::new(0),
        records: AtomicUsize::new(0),
        largest: AtomicUsize::new(0),
        current: AtomicUsize::new(0),
    });
    let rotating = RotatingFileHandler::new(dir.join("app.log"), 4000, 1000).unwrap();
    rotating.set_formatter(Formatter::new("%(threadName)s %(message)s").unwrap());
    let queue = QueueHandler::builder()
        .handler(Arc::clone(&counter))
        .handler(rotating)
        .capacity(1 << 16)
        .start()
        .unwrap();
    let logger = get_logger("queue.batches");
    logger.set_propagate(false);
    logger.add_handler(Arc::clone(&queue));
    log_from_four_threads(logger, "w", 5000);
    queue.flush().unwrap();
    assert_eq!(counter.records.load(Ordering::SeqCst), 20_000);
    let batches = counter.batches.load(Ordering::SeqCst);
    assert!(
        counter.largest.load(Ordering::SeqCst) > 1,
        "records came one by one in {batches} batches"
    );
    // Every record once, in order per thread, in files that each stay under the size.
    let mut seen: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut names: Vec<_> = files(&dir).into_iter().collect();
    // Oldest backup first: app.log.N … app.log.1, then app.log.
    names.sort_by_key(|(name, _)| {
        std::cmp::Reverse(
            name.rsplit('.')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0),
        )
    });
    for (name, text) in &names {
        assert!(
            text.len() < 4000 || text.lines().count() == 1,
            "{name}: {}",
            text.len()
        );
        for line in text.lines() {
            let (thread, n) = line.split_once(' ').unwrap();
            seen.entry(thread.to_owned())
                .or_default()
                .push(n.parse().unwrap());
        }
    }
    assert_eq!(seen.len(), 4);
    for (thread, ns) in seen {
        assert_eq!(ns, (0..5000).collect::<Vec<_>>(), "{thread}");
    }
}

/// Records the length of each `write` it is given, and the bytes.
#[derive(Clone, Default)]
struct Writes(Arc<std::sync::Mutex<(Vec<usize>, Vec<u8>)>>);

impl std::io::Write for Writes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut w = self.0.lock().unwrap();
        w.0.push(buf.len());
        w.1.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `count` lines of 100 bytes, numbered.
fn hundred_byte_lines(count: usize) -> String {
    (0..count).map(|i| format!("{i:>99}\n")).collect()
}

/// Logs `count` numbered 100-byte lines through `handler` in a batch begun and not ended.
fn log_in_an_open_batch<H: Handler + 'static>(handler: &Arc<H>, logger: &str, count: usize) {
    let logger = get_logger(logger);
    logger.set_propagate(false);
    logger.add_handler(Arc::clone(handler));
    handler.begin_batch();
    for i in 0..count {
        logkit::warning!(logger, "%99d", i);
    }
}

#[test]
fn a_large_batch_is_written_in_pieces_of_64_kib() {
    // A stream: pieces of 64 KiB (the record that crosses the mark included), then the rest
    // when the batch ends.
    let writes = Writes::default();
    let stream = Arc::new(logkit::StreamHandler::new(writes.clone()));
    log_in_an_open_batch(&stream, "batch.pieces.stream", 1000);
    let (lengths, bytes) = writes.0.lock().unwrap().clone();
    assert_eq!(lengths, [65_600; 1], "written while the batch gathered");
    stream.end_batch().unwrap();
    let (lengths, bytes_after) = writes.0.lock().unwrap().clone();
    assert_eq!(lengths, [65_600, 34_400]);
    assert_eq!(&bytes_after[..bytes.len()], &bytes[..]);
    assert_eq!(
        String::from_utf8(bytes_after).unwrap(),
        hundred_byte_lines(1000)
    );

    // A file: the first 656 records are in it before the batch ends, all 1000 after.
    let dir = temp_dir("batch-pieces");
    let path = dir.join("app.log");
    let file = Arc::new(FileHandler::new(&path).unwrap());
    log_in_an_open_batch(&file, "batch.pieces.file", 1000);
    assert_eq!(read(&path), hundred_byte_lines(656));
    file.end_batch().unwrap();
    assert_eq!(read(&path), hundred_byte_lines(1000));

    // Rotating before a record would reach 30,001 bytes: a batch of 3,000 records written in
    // pieces lands in ten files of 300 records, as CPython writes them record by record.
    let dir = temp_dir("batch-pieces-rotating");
    let rotating = Arc::new(RotatingFileHandler::new(dir.join("app.log"), 30_001, 20).unwrap());
    log_in_an_open_batch(&rotating, "batch.pieces.rotating", 3000);
    rotating.end_batch().unwrap();
    assert_eq!(files(&dir).len(), 10);
    let all = hundred_byte_lines(3000);
    for backup in 0..10 {
        let name = match 9 - backup {
            0 => "app.log".to_owned(),
            n => format!("app.log.{n}"),
        };
        let start = backup * 30_000;
        assert_eq!(read(&dir.join(&name)), all[start..start + 30_000], "{name}");
    }
}

#[test]
fn four_threads_on_one_buffered_file_lose_and_tear_nothing() {
    let dir = temp_dir("buffered-threads");
    let path = dir.join("app.log");
    let handler = Arc::new(
        FileHandler::options(&path)
            .buffered(patient(32 * 1024))
            .open()
            .unwrap(),
    );
    handler.set_formatter(Formatter::new("%(threadName)s %(message)s").unwrap());
    let logger = get_logger("buffered.threads");
    logger.set_propagate(false);
    logger.add_handler(Arc::clone(&handler));
    log_from_four_threads(logger, "t", 20_000);
    handler.flush().unwrap();
    let text = read(&path);
    let mut next: BTreeMap<&str, usize> = BTreeMap::new();
    for line in text.lines() {
        let (thread, n) = line.split_once(' ').unwrap();
        let expected = next.entry(thread).or_insert(0);
        assert_eq!(n.parse::<usize>().unwrap(), *expected, "{thread}");
        *expected += 1;
    }
    assert_eq!(next.values().copied().collect::<Vec<_>>(), [20_000; 4]);
}

#[test]
fn configuration_files_turn_buffered_mode_on() {
    let dir = temp_dir("buffered-config");
    let path = dir.join("app.log");
    FileConfig::from_text(
        "logging.ini",
        &format!(
            "[loggers]\nkeys=root,cfg\n[handlers]\nkeys=f\n[formatters]\nkeys=\n\
             [logger_root]\nhandlers=\n\
             [logger_cfg]\nlevel=INFO\nhandlers=f\nqualname=buffered.config\npropagate=0\n\
             [handler_f]\nclass=FileHandler\nargs=({:?},)\n\
             kwargs={{'buffer_size': 65536, 'flush_level': 'CRITICAL', 'flush_interval': 3600}}\n",
            path.display().to_string()
        ),
    )
    .disable_existing_loggers(false)
    .apply()
    .unwrap();
    let logger = get_logger("buffered.config");
    logkit::error!(logger, "below the flush level: kept");
    assert_eq!(read(&path), "");
    logkit::critical!(logger, "at it: written");
    assert_eq!(read(&path), "below the flush level: kept\nat it: written\n");
}
