//! The `log` bridge: a dependency's `log` records (the `wire` crate, which knows nothing of
//! logkit) land in logkit handlers with CPython's layout and dotted logger names; every
//! change of a level — `set_level`, a reloaded configuration, `disable` — reaches them and
//! `log::max_level()` follows it; key-values are record fields for templates, filters and
//! JSON; another `log` logger is reported, never replaced. Each test runs in a process of
//! its own (the `log` facade takes one logger per process).

use std::sync::Arc;

use logkit::config::{ConfigValue, DictConfig, FileConfig};
use logkit::{
    Capture, ErrorKind, Formatter, Handler, JsonFormatter, Level, QueueHandler, StreamHandler,
    basic_config, get_logger, log_bridge, root,
};
use logkit_tests::{isolated, temp_dir};

const LAYOUT: &str = "%(asctime)s - %(name)s - %(levelname)s - %(message)s";

/// A handler on root writing `template` lines to a capture.
fn capture_root(template: &str) -> Capture {
    let out = Capture::new();
    let handler = StreamHandler::new(out.clone());
    handler.set_formatter(Formatter::new(template).unwrap());
    root().add_handler(handler);
    out
}

/// The lines without their `asctime` (checked to be CPython's `2026-12-06 19:58:52,123`).
fn without_time(out: &Capture) -> Vec<String> {
    out.lines()
        .iter()
        .map(|line| {
            let (time, rest) = line.split_once(" - ").expect("asctime - rest");
            let bytes = time.as_bytes();
            assert_eq!(time.len(), 23, "{line}");
            assert!(
                bytes[4] == b'-' && bytes[10] == b' ' && bytes[13] == b':' && bytes[19] == b',',
                "{line}"
            );
            rest.to_owned()
        })
        .collect()
}

#[test]
fn basic_config_captures_a_dependencys_log_records() {
    isolated("basic_config_captures_a_dependencys_log_records", || {
        let out = Capture::new();
        basic_config()
            .level(Level::INFO)
            .format(LAYOUT)
            .stream(out.clone())
            .init()
            .unwrap();
        assert!(log_bridge::is_installed());
        assert_eq!(log::max_level(), log::LevelFilter::Info);
        wire::conn::open("db:5432", 1);
        assert_eq!(
            without_time(&out),
            [
                "wire.conn - INFO - connected to db:5432",
                "wire.conn - WARNING - connection to db:5432 is slow",
                "wire.conn - ERROR - connection to db:5432 lost",
            ]
        );
        // The logger was made on first use, under its dotted name.
        assert!(logkit::loggers().iter().any(|l| l.name() == "wire.conn"));
        // `%` is not a placeholder in a `log` message.
        log::warn!(target: "wire", "100% done, {}%", 5);
        assert_eq!(
            out.lines().last().unwrap().split(" - ").nth(3),
            Some("100% done, 5%")
        );
    });
}

#[test]
fn levels_changed_at_run_time_reach_log_records_and_the_max_level() {
    isolated(
        "levels_changed_at_run_time_reach_log_records_and_the_max_level",
        || {
            log_bridge::init().unwrap();
            let out = capture_root("%(name)s %(levelname)s %(message)s");
            assert_eq!(log::max_level(), log::LevelFilter::Warn, "root's WARNING");
            wire::conn::chatter(1);
            assert!(out.lines().is_empty());

            get_logger("wire").set_level(Level::DEBUG);
            assert_eq!(log::max_level(), log::LevelFilter::Debug);
            wire::conn::chatter(2);
            assert_eq!(out.lines(), ["wire.conn DEBUG chatter 2"]);

            get_logger("wire.conn").set_level(Level::TRACE);
            assert_eq!(log::max_level(), log::LevelFilter::Trace);
            log::trace!(target: "wire::conn", "fine");
            assert_eq!(out.lines().last().unwrap(), "wire.conn TRACE fine");

            // A level on a logger not made yet is inherited by it when it is made.
            get_logger("wire").set_level(Level::NOTSET);
            get_logger("wire.conn").set_level(Level::NOTSET);
            root().set_level(Level::ERROR);
            assert_eq!(log::max_level(), log::LevelFilter::Error);
            log::warn!(target: "other::module", "dropped");
            log::error!(target: "other::module", "kept");
            assert_eq!(out.lines().last().unwrap(), "other.module ERROR kept");

            // A custom level between DEBUG and INFO lets INFO through, not DEBUG.
            root().set_level(Level::new(15));
            assert_eq!(log::max_level(), log::LevelFilter::Info);

            // `disable` folds into the maximum; a disabled logger does not lower it.
            logkit::disable(Level::CRITICAL);
            assert_eq!(log::max_level(), log::LevelFilter::Off);
            logkit::disable(Level::NOTSET);
            assert_eq!(log::max_level(), log::LevelFilter::Info);
            get_logger("other.module").set_disabled(true);
            log::error!(target: "other::module", "not this one");
            assert_eq!(out.lines().last().unwrap(), "other.module ERROR kept");
            assert_eq!(log::max_level(), log::LevelFilter::Info);
        },
    );
}

#[test]
fn reloaded_configurations_govern_log_records() {
    isolated("reloaded_configurations_govern_log_records", || {
        let dir = temp_dir("log-bridge-reload");
        let file = dir.join("app.log");
        let ini = |level: &str| {
            format!(
                "[loggers]\nkeys=root,wire\n[handlers]\nkeys=file\n[formatters]\nkeys=plain\n\
                 [logger_root]\nlevel=WARNING\nhandlers=file\n\
                 [logger_wire]\nlevel={level}\nhandlers=\nqualname=wire\n\
                 [handler_file]\nclass=FileHandler\nformatter=plain\nargs=({:?}, 'a')\n\
                 [formatter_plain]\nformat=%(name)s:%(levelname)s:%(message)s\n",
                file.display().to_string()
            )
        };
        FileConfig::from_text("logging.ini", &ini("DEBUG"))
            .apply()
            .unwrap();
        assert!(
            log_bridge::is_installed(),
            "file_config installs the bridge"
        );
        assert_eq!(log::max_level(), log::LevelFilter::Debug);
        wire::conn::chatter(1);
        FileConfig::from_text("logging.ini", &ini("ERROR"))
            .apply()
            .unwrap();
        assert_eq!(log::max_level(), log::LevelFilter::Warn);
        wire::conn::chatter(2);
        wire::conn::open("x", 1);
        // dictConfig too.
        let dict = ConfigValue::from_python(
            "{'version': 1, 'incremental': True, 'loggers': {'wire.conn': {'level': 'INFO'}}}",
        )
        .unwrap();
        DictConfig::new(&dict).apply().unwrap();
        assert_eq!(log::max_level(), log::LevelFilter::Info);
        wire::conn::request("/a", 3);
        logkit::shutdown();
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "wire.conn:DEBUG:chatter 1",
                "wire.conn:ERROR:connection to x lost",
                "wire.conn:INFO:request /a took 3 ms",
            ]
        );
    });
}

#[test]
fn key_values_are_fields_for_templates_filters_and_json() {
    isolated(
        "key_values_are_fields_for_templates_filters_and_json",
        || {
            log_bridge::init().unwrap();
            root().set_level(Level::INFO);
            let text = Capture::new();
            let handler = StreamHandler::new(text.clone());
            handler.set_formatter(
                Formatter::new("%(peer)s %(attempt)d %(secure)s|%(message)s").unwrap(),
            );
            // A filter sees the fields, as it sees `extra`.
            handler.add_filter(|r: &mut logkit::Record<'_>| r.field("peer").is_some());
            root().add_handler(handler);
            let json = Capture::new();
            let handler = StreamHandler::new(json.clone());
            handler.set_formatter(
                JsonFormatter::builder()
                    .template("%(name)s %(message)s")
                    .all_extra(true)
                    .build()
                    .unwrap(),
            );
            root().add_handler(handler);
            wire::conn::open("db", 2);
            assert_eq!(text.lines(), ["db 2 True|connected to db"]);
            assert_eq!(
                json.lines(),
                [
                    r#"{"name": "wire.conn", "message": "connected to db", "peer": "db", "attempt": 2, "secure": true}"#,
                    r#"{"name": "wire.conn", "message": "connection to db is slow"}"#,
                    r#"{"name": "wire.conn", "message": "connection to db lost"}"#,
                ]
            );
            // A key naming a record attribute is kept under another name.
            let clash = Capture::new();
            let handler = StreamHandler::new(clash.clone());
            handler.set_formatter(Formatter::new("%(name)s %(name_)s").unwrap());
            get_logger("wire.conn").add_handler(handler);
            wire::conn::with_clashing_key();
            assert_eq!(clash.lines(), ["wire.conn clash"]);
        },
    );
}

#[test]
fn records_carry_their_location_and_thread() {
    isolated("records_carry_their_location_and_thread", || {
        log_bridge::init().unwrap();
        let out = capture_root(
            "%(pathname)s|%(filename)s|%(module)s|%(lineno)d|%(funcName)s|%(threadName)s|%(levelno)d",
        );
        wire::conn::open("x", 1);
        let line = out.lines()[0].clone();
        let parts: Vec<&str> = line.split('|').collect();
        assert!(parts[0].ends_with("wire/src/lib.rs"), "{line}");
        assert_eq!(parts[1..3], ["lib.rs", "lib"]);
        assert!(parts[3].parse::<u32>().unwrap() > 0);
        let thread = logkit::ThreadInfo::current();
        assert_eq!(parts[4..], ["(unknown function)", &*thread.name, "30"]);
        // A record built by hand, without a location, has CPython's unknown one.
        log::logger().log(
            &log::Record::builder()
                .level(log::Level::Error)
                .target("handmade")
                .args(format_args!("no location"))
                .build(),
        );
        let line = out.lines().last().unwrap().clone();
        assert_eq!(
            line,
            format!(
                "(unknown file)|(unknown file)|(unknown file)|0|(unknown function)|{}|40",
                thread.name
            )
        );
    });
}

#[test]
fn trace_records_are_named_trace() {
    isolated("trace_records_are_named_trace", || {
        log_bridge::init().unwrap();
        root().set_level(Level::TRACE);
        let out = capture_root("%(levelname)s %(levelno)d %(message)s");
        wire::conn::open("x", 1);
        assert_eq!(out.lines()[0], "TRACE 5 resolving x");
        assert_eq!(out.lines().len(), 5);
    });
}

#[test]
fn log_records_go_through_a_queue() {
    isolated("log_records_go_through_a_queue", || {
        log_bridge::init().unwrap();
        let out = Capture::new();
        let file = StreamHandler::new(out.clone());
        file.set_formatter(Formatter::new("%(name)s %(message)s %(peer)s").unwrap());
        file.add_filter(|r: &mut logkit::Record<'_>| r.field("peer").is_some());
        let queue = QueueHandler::builder().handler(file).start().unwrap();
        root().add_handler(Arc::clone(&queue));
        root().set_level(Level::INFO);
        wire::conn::open("db", 3);
        logkit::shutdown();
        assert_eq!(out.lines(), ["wire.conn connected to db db"]);
    });
}

struct Other;

impl log::Log for Other {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, _: &log::Record<'_>) {}
    fn flush(&self) {}
}

#[test]
fn another_log_logger_is_reported_and_kept() {
    isolated("another_log_logger_is_reported_and_kept", || {
        log::set_logger(&Other).unwrap();
        let err = log_bridge::init().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadySet);
        assert!(
            err.to_string()
                .contains("another logger is already installed for the `log` facade"),
            "{err}"
        );
        // The configuration calls leave it in place without an error.
        basic_config().init().unwrap();
        assert!(!log_bridge::is_installed());
    });
}

#[test]
fn configuration_calls_can_leave_the_facade_alone() {
    isolated("configuration_calls_can_leave_the_facade_alone", || {
        basic_config().bridges(false).init().unwrap();
        let dict = ConfigValue::from_python("{'version': 1}").unwrap();
        DictConfig::new(&dict).bridges(false).apply().unwrap();
        FileConfig::from_text(
            "x.ini",
            "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nhandlers=\n",
        )
        .bridges(false)
        .apply()
        .unwrap();
        assert!(!log_bridge::is_installed());
        log::set_logger(&Other).expect("the facade is still free");
    });
}
