//! Both bridges at once: `basic_config()` installs them, a dependency's `log` records and
//! `tracing` events each arrive once, and a `log` record that `tracing` makes of an event it
//! delivered (its `log-always` feature) is not delivered again.

use logkit::{Capture, Level, basic_config, log_bridge};
use logkit_tests::isolated;

/// What `tracing` with its `log-always` feature does: the event, then a `log` record of it
/// with the event's file, line and target.
macro_rules! event_and_its_log_copy {
    ($target:literal, $message:literal) => {{
        tracing::warn!(target: $target, $message);
        log::logger().log(
            &log::Record::builder()
                .level(log::Level::Warn)
                .target($target)
                .file(Some(file!()))
                .line(Some(line!()))
                .module_path(Some(module_path!()))
                .args(format_args!($message))
                .build(),
        );
    }};
}

#[test]
fn each_record_arrives_once() {
    isolated("each_record_arrives_once", || {
        let out = Capture::new();
        basic_config()
            .level(Level::INFO)
            .format("%(name)s %(levelname)s %(message)s")
            .stream(out.clone())
            .init()
            .unwrap();
        assert!(log_bridge::is_installed() && logkit::tracing_bridge::is_installed());
        wire::conn::open("db", 1);
        wire::codec::send("db", 1, 1);
        event_and_its_log_copy!("dup", "said once");
        // A `log` record from another line is not a copy.
        log::warn!(target: "dup", "said once");
        assert_eq!(
            out.lines(),
            [
                "wire.conn INFO connected to db",
                "wire.conn WARNING connection to db is slow",
                "wire.conn ERROR connection to db lost",
                "wire.codec INFO frame sent",
                "wire.codec WARNING frame larger than the limit",
                "wire.codec ERROR frame lost",
                "dup WARNING said once",
                "dup WARNING said once",
            ]
        );
        // `tracing`'s own span records (`tracing::span`) are not shown while the bridge
        // shows spans as context.
        log::warn!(target: "tracing::span", "-> connection;");
        assert_eq!(out.lines().len(), 8);
    });
}
