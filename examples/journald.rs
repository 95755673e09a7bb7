//! Records to systemd-journald over its native protocol, with the logger's name, the source
//! location and user fields as journal fields.
//!
//! Run it with `cargo run --example journald [SOCKET]` (default: `$LOGKIT_JOURNAL_SOCKET`,
//! else `/run/systemd/journal/socket`), then `journalctl -t logkit-example -o verbose`.
//! `bash tests/support/services-start.sh` starts a private journald namespace `logkit`
//! (read it with `journalctl --namespace=logkit`). Linux only, with the `journald` feature.

#[cfg(target_os = "linux")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use std::sync::Arc;

    use logkit::{Handler, JournaldHandler, Level, Location, Message, Record, Value, get_logger};

    let socket = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("LOGKIT_JOURNAL_SOCKET").ok())
        .unwrap_or_else(|| logkit::JOURNALD_SOCKET.to_owned());
    let journal = Arc::new(
        JournaldHandler::options()
            .socket(&socket)
            .syslog_identifier("logkit-example")
            .field("deployment", "example")
            .build()?,
    );
    let probe = Record::new(
        "example.journald",
        Level::INFO,
        Message::text("journald example starting"),
        Location::caller(),
    );
    if let Err(e) = journal.emit(&probe) {
        eprintln!("journald is not listening at {socket}: {e}");
        eprintln!("start one with `bash tests/support/services-start.sh`, or pass its socket");
        return Ok(());
    }

    let logger = get_logger("example.journald");
    logger.add_handler(journal);
    // User fields become journal fields: ORDER_ID=1234, CUSTOMER=alice.
    logger
        .adapter([
            ("order_id", Value::from(1234)),
            ("customer", Value::from("alice")),
        ])?
        .log(Level::WARNING, "stock low:\n%d left", &[3.into()]);
    println!("sent 2 entries to {socket} (SYSLOG_IDENTIFIER=logkit-example)");
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("journald is Linux only");
}
