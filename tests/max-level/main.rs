//! Checks the compile-time level filters: with `max_level_info`, `debug!` calls are compiled
//! out (their arguments never evaluated, nothing logged even with the logger at DEBUG); with
//! `release_max_level_warning`, release builds also drop `info!`. Also checks that
//! without the `function-names` feature, `%(funcName)s` is "(unknown function)".
//!
//! Run with `cargo run --manifest-path tests/max-level/Cargo.toml [--release]`.

use std::cell::Cell;

use logkit::{Capture, Formatter, Handler, Level, StreamHandler, get_logger};

fn main() {
    let out = Capture::new();
    let logger = get_logger("max_level");
    logger.set_level(Level::DEBUG);
    logger.add_handler(StreamHandler::new(out.clone()));

    let evaluated = Cell::new(0);
    let arg = || {
        evaluated.set(evaluated.get() + 1);
        evaluated.get()
    };
    logkit::debug!(logger, "debug %d", arg());
    logkit::log!(logger, debug, "log debug %d", arg());
    logkit::info!(logger, "info %d", arg());
    logkit::warning!(logger, "warning %d", arg());

    let release = !cfg!(debug_assertions);
    let expected: &[&str] = if release {
        &["warning 1"]
    } else {
        &["info 1", "warning 2"]
    };
    assert_eq!(out.lines(), expected, "release = {release}");
    assert_eq!(evaluated.get(), expected.len());
    assert!(logger.is_enabled_for(Level::DEBUG), "the run-time level is untouched");

    let named = Capture::new();
    let handler = StreamHandler::new(named.clone());
    handler.set_formatter(Formatter::new("%(funcName)s|%(lineno)d|%(message)s").unwrap());
    let logger = get_logger("max_level.func_name");
    logger.add_handler(handler);
    let line = line!() + 1;
    logkit::warning!(logger, "no function names");
    assert_eq!(
        named.lines(),
        [format!("(unknown function)|{line}|no function names")]
    );

    println!(
        "max-level ok ({}): STATIC_MIN_LEVEL = {}",
        if release { "release" } else { "debug" },
        logkit::STATIC_MIN_LEVEL
    );
}
