//! Records to an OpenTelemetry collector as OTLP logs over HTTP (the `otlp` feature).
//!
//! Run it with `cargo run --example otlp`. It sends to `$OTEL_EXPORTER_OTLP_ENDPOINT` (plus
//! `/v1/logs`), else to a collector on this machine, `http://localhost:4318/v1/logs`; the other
//! `OTEL_*` variables (headers, protocol, compression, service name, …) apply as well.
//! `bash tests/support/services-start.sh` starts a receiver on 127.0.0.1:14318 that writes each
//! decoded request to `/tmp/logkit-svc/otlp/requests.jsonl`:
//! `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:14318 cargo run --example otlp`.

use std::time::Duration;

use logkit::{
    Handler, Level, Location, Message, OTLPHandler, Record, Value, exception, get_logger, info,
    warning,
};

logkit::module_logger!("example.otlp");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One record straight through a bare handler first, to say clearly when nothing listens
    // (the queued handler below reports failures on stderr, as every handler does).
    let probe = OTLPHandler::options()
        .service_name("logkit-example")
        .timeout(Duration::from_secs(2))
        .build()?;
    let endpoint = probe.endpoint();
    let hello = Record::new(
        "example.otlp",
        Level::INFO,
        Message::text("otlp example starting"),
        Location::caller(),
    );
    if let Err(e) = probe.emit(&hello) {
        eprintln!("no OTLP/HTTP collector at {endpoint}:\n  {e}");
        eprintln!(
            "start one (an OpenTelemetry Collector, or `bash tests/support/services-start.sh` \
             with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:14318), then run this again"
        );
        return Ok(());
    }

    // The usual set-up: the handler behind a queue, so logging never waits for the network.
    let queue = OTLPHandler::options()
        .service_name("logkit-example")
        .resource_attribute("deployment.environment.name", "example")
        .build_queued(None)?;
    let root = logkit::root();
    root.set_level(Level::INFO);
    root.add_handler(queue);

    let user = "ann";
    info!("user %(user)s logged in", user = user);
    // Fields become typed attributes of the OTLP record.
    let orders = get_logger("example.otlp.orders")
        .adapter([("order", Value::Int(1234)), ("total", Value::Float(99.5))])?;
    orders.log(Level::WARNING, "order is late", &[]);
    let err = std::io::Error::other("card declined");
    exception!(err, "payment failed");
    warning!("retrying in %d s", 5);

    // Everything queued is exported before the program ends.
    logkit::shutdown();
    println!("sent 5 records to {endpoint}");
    Ok(())
}
