//! A `FixedClock` fixes the time of every record — macro calls, records a queue carries —
//! and the origin of `relativeCreated`, and timed rotation follows it. Its own binary: the
//! clock is process-wide.

use std::sync::Arc;
use std::time::Duration;

use logkit::clock::FixedClock;
use logkit::{
    Capture, Formatter, Handler, Level, QueueHandler, StreamHandler, TimedRotatingFileHandler,
    Timestamp, When, get_logger,
};

fn utc(template: &str) -> Formatter {
    Formatter::builder()
        .template(template)
        .utc(true)
        .build()
        .unwrap()
}

#[test]
fn records_direct_and_queued_carry_the_fixed_time() {
    let clock = FixedClock::at(Timestamp::new(1_700_000_000, 250_000_000));
    let direct = Capture::new();
    let queued = Capture::new();
    let logger = get_logger("fixed.records");
    logger.set_propagate(false);
    logger.set_level(Level::INFO);
    let handler = StreamHandler::new(direct.clone());
    handler.set_formatter(utc("%(asctime)s %(relativeCreated).0f %(message)s"));
    logger.add_handler(handler);
    let target = StreamHandler::new(queued.clone());
    target.set_formatter(utc("%(asctime)s %(created).3f %(message)s"));
    let queue = QueueHandler::builder().handler(target).start().unwrap();
    logger.add_handler(Arc::clone(&queue));

    logkit::info!(logger, "first %d", 1);
    clock.advance(Duration::from_millis(2_500));
    logger.log(Level::INFO, "second", &[]);
    queue.flush().unwrap();
    assert_eq!(
        direct.lines(),
        [
            "2023-11-14 22:13:20,250 0 first 1",
            "2023-11-14 22:13:22,750 2500 second"
        ]
    );
    assert_eq!(
        queued.lines(),
        [
            "2023-11-14 22:13:20,250 1700000000.250 first 1",
            "2023-11-14 22:13:22,750 1700000002.750 second"
        ]
    );
    drop(clock);
    // Another clock (the other test's, in 2033) or the real one again: not this one.
    logkit::info!(logger, "now");
    let last = direct.lines().pop().unwrap();
    assert!(!last.starts_with("2023-11-14 22:13:2"), "{last}");
}

#[test]
fn timed_rotation_follows_the_fixed_clock() {
    let dir = logkit_tests::temp_dir("fixed-timed");
    let path = dir.join("app.log");
    // 2033-05-18 23:59:59 UTC: one second before midnight.
    let clock = FixedClock::at(Timestamp::new(2_000_073_599, 0));
    let handler = TimedRotatingFileHandler::options(&path)
        .when(When::Midnight)
        .utc(true)
        .backup_count(3)
        .open()
        .unwrap();
    handler.set_formatter(Formatter::new("%(message)s").unwrap());
    let logger = get_logger("fixed.timed");
    logger.set_propagate(false);
    logger.add_handler(handler);
    logkit::warning!(logger, "before midnight");
    clock.advance(Duration::from_secs(2));
    logkit::warning!(logger, "after midnight");
    drop(clock);
    assert_eq!(
        std::fs::read_to_string(dir.join("app.log.2033-05-18")).unwrap(),
        "before midnight\n"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "after midnight\n");
}
