//! ERROR records e-mailed, one message per record, as CPython's SMTPHandler sends them.
//!
//! Run it with `cargo run --example smtp [HOST:PORT]` (default: `$LOGKIT_SMTP`, else
//! `127.0.0.1:25`). `bash tests/support/services-start.sh` starts an SMTP server on
//! 127.0.0.1:8025 that saves each message under `/tmp/logkit-svc/smtp/maildir/new/`.

use std::sync::Arc;

use logkit::{Formatter, Handler, Level, Location, Message, Record, SMTPHandler, get_logger};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("LOGKIT_SMTP").ok())
        .unwrap_or_else(|| "127.0.0.1:25".to_owned());
    let (host, port) = addr.rsplit_once(':').ok_or("expected HOST:PORT")?;
    let mail = Arc::new(
        SMTPHandler::options(
            host,
            "app@example.test",
            &["ops@example.test"],
            "Application error",
        )
        .port(port.parse()?)
        .subject_format(Formatter::new("%(levelname)s in %(name)s")?)
        .build()?,
    );
    mail.set_level(Level::ERROR);
    mail.set_formatter(Formatter::new(
        "%(asctime)s %(name)s %(levelname)s\n\n%(message)s",
    )?);

    let probe = Record::new(
        "example.smtp",
        Level::ERROR,
        Message::text("smtp example starting"),
        Location::caller(),
    );
    if let Err(e) = mail.emit(&probe) {
        eprintln!("no SMTP server at {addr}: {e}");
        eprintln!("start one with `bash tests/support/services-start.sh`, or pass HOST:PORT");
        return Ok(());
    }

    let logger = get_logger("example.smtp");
    logger.add_handler(mail);
    logger.log(Level::WARNING, "not mailed: below the handler's level", &[]);
    logger.log(
        Level::ERROR,
        "order %d could not be charged",
        &[1234.into()],
    );
    println!("mailed 2 records through {addr}");
    Ok(())
}
