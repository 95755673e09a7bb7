//! Both bridges on while `tracing` also sends every event to the `log` facade (its
//! `log-always` feature): each event is delivered once, and `tracing`'s own records of spans
//! (`tracing::span`) are not shown. Run by `scripts/test.sh`; exits non-zero on a failure.

use logkit::{Capture, Level, basic_config};

fn main() {
    let out = Capture::new();
    basic_config()
        .level(Level::INFO)
        .format("%(name)s %(levelname)s %(message)s %(peer)s")
        .stream(out.clone())
        .init()
        .expect("basic_config");
    assert!(logkit::log_bridge::is_installed() && logkit::tracing_bridge::is_installed());

    let span = tracing::info_span!(target: "wire::conn", "connection", peer = "db");
    span.in_scope(|| {
        tracing::info!(target: "wire::codec", "frame sent");
        tracing::warn!(target: "wire::codec", "frame larger than the limit");
    });
    log::warn!(target: "wire::conn", peer = "db"; "a log record of its own");

    assert_eq!(
        out.lines(),
        [
            "wire.codec INFO frame sent db",
            "wire.codec WARNING frame larger than the limit db",
            "wire.conn WARNING a log record of its own db",
        ],
        "each event once, no span records"
    );
    println!("log-always: each tracing event delivered once with both bridges on");
}
