//! `LOGKIT_LEVEL` and `RUST_LOG`: levels from the environment hold from the first record,
//! in a program that never calls a configuration function too; `RUST_LOG` is read when
//! `LOGKIT_LEVEL` is unset, with its Rust paths; a malformed value is reported once on
//! stderr and its other directives apply, and it no longer stops a configuration call.
//! Each test runs in a child process with its own environment.

use logkit::config::FileConfig;
use logkit::{Capture, Formatter, Handler, Level, StreamHandler, basic_config, get_logger, root};
use logkit_tests::{isolated_env, run_child_env};

fn capture(logger: logkit::Logger) -> Capture {
    let out = Capture::new();
    let handler = StreamHandler::new(out.clone());
    handler.set_formatter(Formatter::new("%(name)s %(levelname)s %(message)s").unwrap());
    logger.add_handler(handler);
    out
}

#[test]
fn logkit_level_holds_from_the_first_record() {
    isolated_env(
        "logkit_level_holds_from_the_first_record",
        &[("LOGKIT_LEVEL", "error,app::db=debug,wire.conn=debug")],
        || {
            let out = capture(get_logger("app.db"));
            logkit::debug!(get_logger("app.db"), "no configuration call");
            assert_eq!(out.lines(), ["app.db DEBUG no configuration call"]);
            assert_eq!(root().level(), Level::ERROR);
            // A dependency's `log` records, with the bridge alone installed.
            let deps = capture(get_logger("wire"));
            logkit::log_bridge::init().unwrap();
            assert_eq!(log::max_level(), log::LevelFilter::Debug);
            wire::conn::chatter(1);
            assert_eq!(deps.lines(), ["wire.conn DEBUG chatter 1"]);
        },
    );
}

#[test]
fn rust_log_is_read_when_logkit_level_is_unset() {
    isolated_env(
        "rust_log_is_read_when_logkit_level_is_unset",
        &[("RUST_LOG", "info,wire::conn=trace,wire::codec=off")],
        || {
            let out = capture(root());
            logkit::log_bridge::init().unwrap();
            assert_eq!(root().level(), Level::INFO);
            assert_eq!(get_logger("wire.conn").level(), Level::TRACE);
            assert_eq!(log::max_level(), log::LevelFilter::Trace);
            wire::conn::open("db", 1);
            assert_eq!(out.lines().len(), 5);
            logkit::tracing_bridge::init().unwrap();
            wire::codec::send("db", 1, 1);
            assert_eq!(out.lines().len(), 5, "wire.codec is off");
        },
    );
}

#[test]
fn logkit_level_wins_over_rust_log() {
    isolated_env(
        "logkit_level_wins_over_rust_log",
        &[("LOGKIT_LEVEL", "critical"), ("RUST_LOG", "debug")],
        || {
            basic_config().init().unwrap();
            assert_eq!(root().level(), Level::CRITICAL);
        },
    );
}

#[test]
fn the_environment_is_applied_again_over_a_configuration() {
    isolated_env(
        "the_environment_is_applied_again_over_a_configuration",
        &[("RUST_LOG", "wire=debug")],
        || {
            FileConfig::from_text(
                "x.ini",
                "[loggers]\nkeys=root,wire\n[handlers]\nkeys=\n[formatters]\nkeys=\n\
                 [logger_root]\nhandlers=\n[logger_wire]\nlevel=ERROR\nhandlers=\nqualname=wire\n",
            )
            .apply()
            .unwrap();
            assert_eq!(get_logger("wire").level(), Level::DEBUG);
            assert_eq!(log::max_level(), log::LevelFilter::Debug);
        },
    );
}

/// The body of the next test, in a child with a malformed environment.
#[test]
fn malformed_environment_child() {
    if !logkit_tests::is_child() {
        return;
    }
    let out = capture(get_logger("db"));
    // The tree is first used here: the report is printed, the good directive applies.
    logkit::info!(get_logger("db"), "db at INFO");
    basic_config()
        .init()
        .expect("a typo in the environment is not an error");
    basic_config().force(true).init().unwrap();
    assert!(
        logkit::config::apply_env().is_err(),
        "asked for, it is an error"
    );
    assert_eq!(out.lines(), ["db INFO db at INFO"]);
}

#[test]
fn a_malformed_environment_is_reported_once_and_the_rest_applies() {
    let run = run_child_env(
        "malformed_environment_child",
        &[("LOGKIT_LEVEL", "app=loud,db=info")],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "logkit: LOGKIT_LEVEL=\"app=loud,db=info\": unknown level 'loud' in 'app=loud'; \
             skipped, the other directives apply (write `level` for the root logger or \
             `logger.name=level`, separated by commas, as in `warning,app.db=debug`)"
        ],
        "{stderr}"
    );
}
