//! `QueueHandler` with its listener, `MemoryHandler` and `BufferingHandler`: CPython's
//! semantics (prepare, respect_handler_level, flush rules), no record lost or reordered
//! under many threads, the overflow policies, and everything queued written at close,
//! shutdown and process exit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use logkit::{
    BufferingHandler, Capture, Formatter, Handler, HandlerCore, HandlerError, IntoFilter, Level,
    MemoryHandler, Overflow, QueueHandler, QueueListener, Record, StreamHandler, get_logger,
};
use logkit_tests::{isolated, temp_dir};

fn captured(template: &str) -> (StreamHandler, Capture) {
    let out = Capture::new();
    let h = StreamHandler::new(out.clone());
    h.set_formatter(Formatter::new(template).unwrap());
    (h, out)
}

/// Waits for `condition` for up to ten seconds.
fn wait_for(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::yield_now();
    }
}

/// A handler whose `emit` waits while the gate is closed: a destination that stalls.
#[derive(Default)]
struct Gated {
    core: HandlerCore,
    open: Mutex<bool>,
    changed: Condvar,
    waiting: AtomicUsize,
    lines: Mutex<Vec<String>>,
}

impl Gated {
    fn set_open(&self, open: bool) {
        *self.open.lock().unwrap() = open;
        self.changed.notify_all();
    }
}

impl Handler for Gated {
    fn core(&self) -> &HandlerCore {
        &self.core
    }
    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.changed.wait(open).unwrap();
        }
        drop(open);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let mut line = String::new();
        self.core.format(record, &mut line)?;
        self.lines.lock().unwrap().push(line);
        Ok(())
    }
}

#[test]
fn many_threads_block_on_a_small_queue_and_nothing_is_lost_or_reordered() {
    let (target, out) = captured("%(threadName)s %(message)s");
    let queue = QueueHandler::builder()
        .handler(target)
        .capacity(16)
        .start()
        .unwrap();
    let logger = get_logger("queue.threads");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            std::thread::Builder::new()
                .name(format!("producer-{t}"))
                .spawn(move || {
                    for i in 0..10_000 {
                        logkit::warning!(get_logger("queue.threads"), "%d", i);
                    }
                })
                .unwrap()
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    queue.flush().unwrap();
    let mut next: HashMap<String, u32> = HashMap::new();
    let lines = out.lines();
    assert_eq!(lines.len(), 40_000);
    for line in lines {
        let (thread, n) = line.split_once(' ').unwrap();
        let expected = next.entry(thread.to_owned()).or_insert(0);
        assert_eq!(n.parse::<u32>().unwrap(), *expected, "order of {thread}");
        *expected += 1;
    }
    assert_eq!(next.len(), 4);
    assert_eq!(queue.listener().dropped(), 0);
}

#[test]
fn a_record_is_prepared_as_cpython_does_then_formatted_by_each_target() {
    let (target, out) = captured("%(name)s|%(levelname)s|%(message)s|%(user)s");
    let queue = QueueHandler::builder().handler(target).start().unwrap();
    // The queue handler's own formatter makes the message the targets see.
    queue.set_formatter(Formatter::new("[%(levelname)s] %(message)s").unwrap());
    let logger = get_logger("queue.prepare");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    let err = "x".parse::<i32>().unwrap_err();
    logkit::exception!(logger, err, "parsing %s", "x"; user = "ann");
    queue.flush().unwrap();
    // The exception text (and a backtrace, when captured) is part of the prepared message,
    // before the target's `|ann`.
    let text = out.contents();
    assert!(
        text.starts_with(
            "queue.prepare|ERROR|[ERROR] parsing x\n\
             core::num::error::ParseIntError: invalid digit found in string"
        ),
        "{text}"
    );
    assert!(text.ends_with("|ann\n"), "{text}");
}

#[test]
fn respect_handler_level_decides_whether_target_levels_count() {
    for respect in [false, true] {
        let (target, out) = captured("%(message)s");
        target.set_level(Level::ERROR);
        let queue = QueueHandler::builder()
            .handler(target)
            .respect_handler_level(respect)
            .start()
            .unwrap();
        let logger = get_logger(&format!("queue.respect.{respect}"));
        logger.add_handler(queue.clone());
        logger.set_propagate(false);
        logkit::warning!(logger, "warning");
        logkit::error!(logger, "error");
        queue.flush().unwrap();
        // CPython's listener calls `handler.handle`, which does not check the level.
        let expected: &[&str] = if respect {
            &["error"]
        } else {
            &["warning", "error"]
        };
        assert_eq!(out.lines(), expected, "respect_handler_level={respect}");
    }
}

/// A logger whose only handler is a queue has its macro calls queued without a record being
/// made first; everything that can change that (the queue's level, filters and formatter,
/// the logger's filters, `disabled`, `propagate`, another handler) changes what is written
/// exactly as it does for any other handler.
#[test]
fn a_queue_as_the_only_handler_behaves_as_any_handler() {
    let (target, out) = captured("%(name)s|%(levelname)s|%(threadName)s|%(message)s");
    let queue = QueueHandler::builder().handler(target).start().unwrap();
    let parent = get_logger("queue.only");
    let logger = get_logger("queue.only.child");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    logger.set_level(Level::DEBUG);
    let thread = std::thread::current().name().unwrap().to_owned();
    let written = |expected: &[&str]| {
        queue.flush().unwrap();
        let expected: Vec<_> = expected
            .iter()
            .map(|e| e.replace("{thread}", &thread))
            .collect();
        assert_eq!(out.take().lines().collect::<Vec<_>>(), expected);
    };

    logkit::warning!(logger, "%s took %d ms", "/api", 42_u64);
    logkit::info!(logger, "plain text");
    written(&[
        "queue.only.child|WARNING|{thread}|/api took 42 ms",
        "queue.only.child|INFO|{thread}|plain text",
    ]);

    // The queue's own level.
    queue.set_level(Level::ERROR);
    logkit::warning!(logger, "below the queue's level");
    logkit::error!(logger, "at the queue's level");
    written(&["queue.only.child|ERROR|{thread}|at the queue's level"]);
    queue.set_level(Level::NOTSET);

    // A disabled logger writes nothing.
    logger.set_disabled(true);
    logkit::error!(logger, "from a disabled logger");
    written(&[]);
    logger.set_disabled(false);

    // Propagating to a parent with a handler of its own: both handlers get the record.
    let (other, other_out) = captured("parent %(message)s");
    parent.add_handler(other);
    logger.set_propagate(true);
    logkit::error!(logger, "to both");
    assert_eq!(other_out.lines(), ["parent to both"]);
    written(&["queue.only.child|ERROR|{thread}|to both"]);
    logger.set_propagate(false);

    // A filter on the logger, then on the queue handler: both run at the call.
    let filter = (|r: &mut Record<'_>| r.level() >= Level::ERROR).into_filter();
    logger.add_filter(Arc::clone(&filter));
    logkit::warning!(logger, "rejected by the logger");
    logkit::error!(logger, "passed by the logger");
    logger.remove_filter(&filter);
    queue.add_filter(|r: &mut Record<'_>| {
        r.set_field("message", logkit::Value::from("ignored"));
        r.set_field(
            "msg",
            logkit::Value::from("changed by the queue's filter %s"),
        );
        true
    });
    logkit::info!(logger, "original %s", "text");
    written(&[
        "queue.only.child|ERROR|{thread}|passed by the logger",
        "queue.only.child|INFO|{thread}|changed by the queue's filter text",
    ]);
    assert_eq!(other_out.lines(), ["parent to both"]);

    // A formatter on the queue handler prepares the message at the call (its filter still
    // runs first).
    queue.set_formatter(Formatter::new("[%(levelname)s] %(message)s").unwrap());
    logkit::error!(logger, "prepared %d", 1);
    written(&["queue.only.child|ERROR|{thread}|[ERROR] changed by the queue's filter 1"]);
}

#[test]
fn target_filters_run_on_the_listener() {
    let (target, out) = captured("%(message)s %(tag)s");
    target.add_filter(|r: &mut Record<'_>| {
        r.set_field("tag", logkit::Value::from("tagged"));
        r.level() >= Level::ERROR
    });
    let queue = QueueHandler::builder().handler(target).start().unwrap();
    let logger = get_logger("queue.filters");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    logkit::warning!(logger, "filtered out");
    logkit::error!(logger, "kept");
    queue.flush().unwrap();
    assert_eq!(out.lines(), ["kept tagged"]);
}

#[test]
fn drop_newest_counts_what_it_drops_and_reports_it() {
    let gated = Arc::new(Gated::default());
    gated.set_formatter(Formatter::new("%(name)s %(levelname)s %(message)s").unwrap());
    let queue = QueueHandler::builder()
        .handler(Arc::clone(&gated))
        .capacity(4)
        .overflow(Overflow::DropNewest)
        .start()
        .unwrap();
    let logger = get_logger("queue.drop");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    logkit::warning!(logger, "first");
    // The listener holds "first" at the closed gate; four more fill the queue.
    wait_for("the listener to reach the gate", || {
        gated.waiting.load(Ordering::SeqCst) == 1
    });
    let started = Instant::now();
    for i in 0..104 {
        logkit::warning!(logger, "n%d", i);
    }
    // Dropping never waits for the stalled destination.
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(queue.listener().dropped(), 100);
    gated.set_open(true);
    queue.close().unwrap();
    let lines = gated.lines.lock().unwrap().clone();
    assert_eq!(
        lines,
        [
            "queue.drop WARNING first",
            "queue.drop WARNING n0",
            "queue.drop WARNING n1",
            "queue.drop WARNING n2",
            "queue.drop WARNING n3",
            "logkit.queue WARNING 100 records dropped: the queue (4 records) was full",
        ]
    );
    assert_eq!(QueueListener::LOGGER_NAME, "logkit.queue");
}

#[test]
fn a_thread_whose_first_record_a_full_queue_dropped_is_named_in_its_later_records() {
    let gated = Arc::new(Gated::default());
    gated.set_formatter(Formatter::new("%(threadName)s %(message)s").unwrap());
    let queue = QueueHandler::builder()
        .handler(Arc::clone(&gated))
        .capacity(1)
        .overflow(Overflow::DropNewest)
        .start()
        .unwrap();
    let logger = get_logger("queue.introduced");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    logkit::warning!(logger, "first");
    wait_for("the listener to reach the gate", || {
        gated.waiting.load(Ordering::SeqCst) == 1
    });
    logkit::warning!(logger, "fills the queue");
    let (dropped_tx, dropped_rx) = std::sync::mpsc::channel();
    let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
    let worker = std::thread::Builder::new()
        .name("worker".into())
        .spawn(move || {
            // Its first record carries the thread's name, and the full queue drops it.
            logkit::warning!(logger, "dropped");
            dropped_tx.send(()).unwrap();
            go_rx.recv().unwrap();
            logkit::warning!(logger, "named");
        })
        .unwrap();
    dropped_rx.recv().unwrap();
    assert_eq!(queue.listener().dropped(), 1);
    gated.set_open(true);
    queue.flush().unwrap();
    go_tx.send(()).unwrap();
    worker.join().unwrap();
    queue.flush().unwrap();
    let lines = gated.lines.lock().unwrap().clone();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("worker named"),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.ends_with(" dropped")), "{lines:?}");
}

#[test]
fn block_mode_waits_for_room_and_loses_nothing() {
    let gated = Arc::new(Gated::default());
    gated.set_formatter(Formatter::new("%(message)s").unwrap());
    let queue = QueueHandler::builder()
        .handler(Arc::clone(&gated))
        .capacity(2)
        .start()
        .unwrap();
    let logger = get_logger("queue.block");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    let producer = std::thread::spawn(move || {
        for i in 0..50 {
            logkit::warning!(get_logger("queue.block"), "%d", i);
        }
    });
    wait_for("the listener to reach the gate", || {
        gated.waiting.load(Ordering::SeqCst) == 1
    });
    assert!(!producer.is_finished(), "the producer waits for room");
    gated.set_open(true);
    producer.join().unwrap();
    queue.flush().unwrap();
    let expected: Vec<String> = (0..50).map(|i| i.to_string()).collect();
    assert_eq!(*gated.lines.lock().unwrap(), expected);
}

#[test]
fn a_target_that_logs_through_the_same_queue_does_not_deadlock() {
    struct Echo {
        core: HandlerCore,
        seen: Mutex<Vec<String>>,
    }
    impl Handler for Echo {
        fn core(&self) -> &HandlerCore {
            &self.core
        }
        fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
            let message = record.message_string()?;
            self.seen.lock().unwrap().push(message.clone());
            if !message.starts_with("echo") {
                logkit::warning!(get_logger("queue.echo"), "echo of %s", message);
            }
            Ok(())
        }
    }
    let echo = Arc::new(Echo {
        core: HandlerCore::new(),
        seen: Mutex::new(Vec::new()),
    });
    let queue = QueueHandler::builder()
        .handler(Arc::clone(&echo))
        .capacity(1)
        .start()
        .unwrap();
    let logger = get_logger("queue.echo");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    for i in 0..20 {
        logkit::warning!(logger, "m%d", i);
    }
    queue.flush().unwrap();
    assert_eq!(echo.seen.lock().unwrap().len(), 40);
}

#[test]
fn after_close_records_are_written_on_the_callers_thread() {
    let (target, out) = captured("%(threadName)s %(message)s");
    let queue = QueueHandler::builder().handler(target).start().unwrap();
    let logger = get_logger("queue.closed");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    logkit::warning!(logger, "queued");
    queue.close().unwrap();
    assert!(!queue.listener().is_running());
    std::thread::Builder::new()
        .name("late".into())
        .spawn(move || logkit::warning!(get_logger("queue.closed"), "after close"))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(
        out.lines(),
        [
            format!(
                "{} queued",
                std::thread::current()
                    .name()
                    .unwrap_or("?")
                    .replace("main", "MainThread")
            ),
            "late after close".to_owned(),
        ]
    );
}

#[test]
fn shutdown_writes_everything_queued() {
    isolated("shutdown_writes_everything_queued", || {
        let gated = Arc::new(Gated::default());
        gated.set_formatter(Formatter::new("%(message)s").unwrap());
        let queue = QueueHandler::builder()
            .handler(Arc::clone(&gated))
            .capacity(1000)
            .start()
            .unwrap();
        let logger = get_logger("queue.shutdown");
        logger.add_handler(queue);
        for i in 0..500 {
            logkit::warning!(logger, "%d", i);
        }
        gated.set_open(true);
        logkit::shutdown();
        assert_eq!(gated.lines.lock().unwrap().len(), 500);
    });
}

#[test]
fn memory_handler_flushes_on_capacity_level_and_close() {
    let (target, out) = captured("%(levelname)s %(message)s");
    // The target's level is not checked when the buffer is handed on (CPython's
    // `handle`), so DEBUG context before an ERROR reaches it.
    target.set_level(Level::CRITICAL);
    let memory = Arc::new(MemoryHandler::new(3, Level::ERROR, target));
    let logger = get_logger("memory.flush");
    logger.set_level(Level::DEBUG);
    logger.add_handler(Arc::clone(&memory));
    logger.set_propagate(false);
    logkit::debug!(logger, "a");
    logkit::info!(logger, "b");
    assert_eq!(memory.buffered(), 2);
    assert!(out.lines().is_empty());
    logkit::error!(logger, "c");
    assert_eq!(out.lines(), ["DEBUG a", "INFO b", "ERROR c"]);
    logkit::debug!(logger, "d");
    logkit::debug!(logger, "e");
    logkit::debug!(logger, "f"); // capacity reached
    assert_eq!(out.lines().len(), 6);
    logkit::debug!(logger, "g");
    memory.close().unwrap();
    assert_eq!(out.lines().last().unwrap(), "DEBUG g");
    assert!(memory.target().is_none());
}

#[test]
fn memory_handler_without_target_keeps_records_until_one_is_set() {
    let memory = Arc::new(MemoryHandler::without_target(10, Level::ERROR, true));
    let logger = get_logger("memory.late_target");
    logger.add_handler(Arc::clone(&memory));
    logger.set_propagate(false);
    logkit::error!(logger, "kept %d", 1);
    assert_eq!(memory.buffered(), 1);
    let (target, out) = captured("%(message)s");
    memory.set_target(target);
    memory.flush().unwrap();
    assert_eq!(out.lines(), ["kept 1"]);

    let dropping = Arc::new(MemoryHandler::without_target(10, Level::ERROR, false));
    let (target, out) = captured("%(message)s");
    let logger = get_logger("memory.no_flush_on_close");
    logger.add_handler(Arc::clone(&dropping));
    logger.set_propagate(false);
    logkit::warning!(logger, "dropped at close");
    dropping.set_target(target);
    dropping.close().unwrap();
    assert!(out.lines().is_empty());
}

#[test]
fn buffering_handler_passes_batches_in_order() {
    let batches = Arc::new(Mutex::new(Vec::<Vec<String>>::new()));
    let sink = Arc::clone(&batches);
    let buffering = Arc::new(BufferingHandler::new(3, move |records| {
        sink.lock().unwrap().push(
            records
                .iter()
                .map(|r| {
                    r.with_record(|r| format!("{} {}", r.level(), r.message_string().unwrap()))
                })
                .collect(),
        );
        Ok(())
    }));
    let logger = get_logger("buffering.batches");
    logger.add_handler(Arc::clone(&buffering));
    logger.set_propagate(false);
    for i in 0..7 {
        logkit::warning!(logger, "r%d", i);
    }
    assert_eq!(buffering.buffered(), 1);
    buffering.flush().unwrap();
    assert_eq!(
        *batches.lock().unwrap(),
        [
            vec!["WARNING r0", "WARNING r1", "WARNING r2"],
            vec!["WARNING r3", "WARNING r4", "WARNING r5"],
            vec!["WARNING r6"],
        ]
    );
}

#[test]
fn a_message_that_does_not_merge_is_reported_by_the_queue_handler() {
    let (target, out) = captured("%(message)s");
    let queue = QueueHandler::builder().handler(target).start().unwrap();
    let logger = get_logger("queue.bad_args");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    logger.log(Level::WARNING, "%s and %s", &[logkit::Value::from("one")]);
    logkit::warning!(logger, "fine");
    queue.flush().unwrap();
    assert_eq!(out.lines(), ["fine"]);
}

#[test]
fn queue_into_a_buffered_file_writes_every_record() {
    let dir = temp_dir("queue-file");
    let path = dir.join("q.log");
    let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let target = StreamHandler::new(file);
    target.set_autoflush(false);
    target.set_formatter(Formatter::new("%(message)s").unwrap());
    let queue = QueueHandler::builder().handler(target).start().unwrap();
    let logger = get_logger("queue.file");
    logger.add_handler(queue.clone());
    logger.set_propagate(false);
    for i in 0..20_000 {
        logkit::info!(logger, "%d", i);
    }
    logkit::warning!(logger, "last");
    queue.flush().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 1, "INFO is below the logger's level");
    logger.set_level(Level::INFO);
    for i in 0..20_000 {
        logkit::info!(logger, "%d", i);
    }
    queue.flush().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 20_001);
    assert!(
        lines[1..]
            .iter()
            .enumerate()
            .all(|(i, l)| *l == i.to_string())
    );
}

#[test]
fn queue_and_memory_handlers_from_configuration() {
    isolated("queue_and_memory_handlers_from_configuration", || {
        use logkit::config::{self, ConfigValue, FileConfig};
        let dir = temp_dir("queue-config");
        let path = dir.join("q.log");
        let cfg = ConfigValue::from_json(&format!(
            r#"{{
            "version": 1,
            "formatters": {{"f": {{"format": "%(levelname)s %(name)s %(message)s"}}}},
            "handlers": {{
                "file": {{"class": "logging.FileHandler", "filename": {path:?},
                         "formatter": "f", "level": "ERROR"}},
                "queue": {{"class": "logging.handlers.QueueHandler", "handlers": ["file"],
                          "respect_handler_level": true, "capacity": 100,
                          "overflow": "block"}}
            }},
            "root": {{"level": "INFO", "handlers": ["queue"]}}
        }}"#,
            path = path.display().to_string()
        ))
        .unwrap();
        config::dict_config(&cfg).unwrap();
        let queue = logkit::root().handlers()[0].clone();
        assert_eq!(queue.name().as_deref(), Some("queue"));
        logkit::info!(get_logger("cfg"), "below the file's level");
        logkit::error!(get_logger("cfg"), "through the queue");
        queue.flush().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "ERROR cfg through the queue\n"
        );

        // The references are checked, and a failed configuration changes nothing.
        let errors = [
            (
                r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler",
                    "handlers": ["nowhere"]}}}"#,
                "handler 'nowhere' is not defined",
            ),
            (
                r#"{"version": 1, "handlers": {
                    "a": {"class": "logging.handlers.MemoryHandler", "capacity": 2, "target": "b"},
                    "b": {"class": "logging.handlers.MemoryHandler", "capacity": 2, "target": "a"}}}"#,
                "handlers that name each other in a circle: a, b",
            ),
            (
                r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler",
                    "queue": "ext://queue.Queue"}}}"#,
                "makes its own bounded queue",
            ),
            (
                r#"{"version": 1, "handlers": {"q": {"class": "logging.handlers.QueueHandler",
                    "overflow": "drop_oldest"}}}"#,
                "overflow must be 'block' or 'drop_newest'",
            ),
            (
                r#"{"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler"}}}"#,
                "capacity",
            ),
        ];
        for (text, expected) in errors {
            let err = config::dict_config(&ConfigValue::from_json(text).unwrap()).unwrap_err();
            let message = format!(
                "{err}: {}",
                std::error::Error::source(&err)
                    .map(ToString::to_string)
                    .unwrap_or_default()
            );
            assert!(message.contains(expected), "{message}");
            assert!(Arc::ptr_eq(&logkit::root().handlers()[0], &queue));
        }

        // CPython's BufferingHandler from a configuration: its flush empties the buffer.
        let buffering = ConfigValue::from_json(
            r#"{"version": 1, "handlers": {"b": {"class": "logging.handlers.BufferingHandler",
                "capacity": 2}}, "root": {"level": "DEBUG", "handlers": ["b"]}}"#,
        )
        .unwrap();
        config::dict_config(&buffering).unwrap();
        assert_eq!(logkit::root().handlers()[0].name().as_deref(), Some("b"));
        for i in 0..3 {
            logkit::info!(get_logger("buffered"), "%d", i);
        }

        // INI: CPython's `target=` key for a MemoryHandler; a `handlers=` list for a
        // QueueHandler.
        let ini = format!(
            "[loggers]\nkeys=root\n\n[handlers]\nkeys=file,mem,queue\n\n[formatters]\nkeys=\n\n\
             [logger_root]\nlevel=DEBUG\nhandlers=queue\n\n\
             [handler_file]\nclass=FileHandler\nargs=({path:?}, 'w')\n\n\
             [handler_mem]\nclass=handlers.MemoryHandler\nargs=(100, ERROR)\ntarget=file\n\n\
             [handler_queue]\nclass=handlers.QueueHandler\nhandlers=mem\nkwargs={{'capacity': 10}}\n",
            path = path.display().to_string()
        );
        FileConfig::from_text("queue.ini", &ini).apply().unwrap();
        logkit::debug!(get_logger("ini"), "buffered");
        logkit::error!(get_logger("ini"), "flushes the buffer");
        logkit::root().handlers()[0].flush().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "buffered\nflushes the buffer\n"
        );
    });
}
