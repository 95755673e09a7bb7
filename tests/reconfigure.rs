//! Reconfiguring while other threads log: levels reach every call site at once, handlers
//! and formatters change under load without a lock on the logging path, and no record is
//! lost, duplicated or torn.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Barrier};

use logkit::{Capture, Formatter, Handler, Level, StreamHandler, get_logger};

mod site {
    logkit::module_logger!("reconf.site");

    /// A call site in a module with a declared logger.
    pub(crate) fn debug_call(n: u32) {
        logkit::debug!("debug %d", n);
    }
}

#[test]
fn a_level_change_reaches_registered_call_sites_at_once() {
    // `disable` is process-wide: in a process of its own, it cannot drop the records of
    // the test that logs under load beside it.
    logkit_tests::isolated(
        "a_level_change_reaches_registered_call_sites_at_once",
        || {
            let l = get_logger("reconf.site");
            let out = logkit_tests::capture(l, "%(message)s");
            l.set_level(Level::WARNING);
            site::debug_call(1); // registers the call site while disabled
            l.set_level(Level::DEBUG);
            site::debug_call(2);
            get_logger("reconf").set_level(Level::ERROR); // an ancestor: no effect, the site's logger has a level
            site::debug_call(3);
            l.set_level(Level::NOTSET); // inherits ERROR now
            site::debug_call(4);
            logkit::disable(Level::CRITICAL);
            l.set_level(Level::DEBUG);
            site::debug_call(5);
            logkit::disable(Level::NOTSET);
            site::debug_call(6);
            assert_eq!(out.lines(), ["debug 2", "debug 3", "debug 6"]);
        },
    );
}

#[test]
fn handlers_formatters_and_levels_change_while_threads_log() {
    let l = get_logger("reconf.load");
    l.set_level(Level::INFO);
    l.set_propagate(false);
    let stable = Capture::new();
    let stable_handler = Arc::new(StreamHandler::new(stable.clone()));
    stable_handler.set_formatter(Formatter::new("%(threadName)s %(message)s").unwrap());
    l.add_handler(stable_handler.clone());

    // Each thread logs at least PER_THREAD records, and goes on until the reconfiguring
    // thread has done at least MIN_ROUNDS rounds, so the two always overlap.
    const THREADS: usize = 3;
    const PER_THREAD: u32 = 20_000;
    const MIN_ROUNDS: u32 = 200;
    let start = Arc::new(Barrier::new(THREADS + 1));
    let done = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicU32::new(0));
    let loggers: Vec<_> = (0..THREADS)
        .map(|t| {
            let start = start.clone();
            let rounds = rounds.clone();
            std::thread::Builder::new()
                .name(format!("t{t}"))
                .spawn(move || {
                    start.wait();
                    let mut i = 0;
                    while i < PER_THREAD || rounds.load(Ordering::Relaxed) < MIN_ROUNDS {
                        logkit::info!(l, "record %d", i);
                        i += 1;
                    }
                    i
                })
                .unwrap()
        })
        .collect();
    let churn = {
        let done = done.clone();
        let start = start.clone();
        let rounds = rounds.clone();
        std::thread::spawn(move || {
            start.wait();
            let mut round = 0u32;
            while !done.load(Ordering::Relaxed) {
                let extra = Arc::new(StreamHandler::new(std::io::sink()));
                l.add_handler(extra.clone());
                stable_handler.set_formatter(Formatter::new("%(threadName)s %(message)s").unwrap());
                l.set_level(if round.is_multiple_of(2) {
                    Level::DEBUG
                } else {
                    Level::INFO
                });
                get_logger(&format!("reconf.load.child{}", round % 50)).set_level(Level::ERROR);
                l.remove_handler(&*extra);
                round += 1;
                rounds.store(round, Ordering::Relaxed);
            }
        })
    };
    let logged: u32 = loggers.into_iter().map(|t| t.join().unwrap()).sum();
    done.store(true, Ordering::Relaxed);
    churn.join().unwrap();
    assert!(rounds.load(Ordering::Relaxed) >= MIN_ROUNDS);

    // Every record reached the stable handler exactly once, whole.
    let mut seen = std::collections::HashSet::new();
    for line in stable.lines() {
        let (thread, rest) = line.split_once(' ').expect("whole line");
        let n: u32 = rest
            .strip_prefix("record ")
            .expect("whole line")
            .parse()
            .unwrap();
        assert!(seen.insert((thread.to_owned(), n)), "duplicate {line}");
    }
    assert_eq!(seen.len(), logged as usize);
}
