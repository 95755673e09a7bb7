//! Records to a syslog server: RFC 5424 over TCP (octet counting), with a facility and an
//! application name, as rsyslog or syslog-ng receive them.
//!
//! Run it with `cargo run --example syslog [HOST:PORT]` (default: `$LOGKIT_SYSLOG_ADDR`, else
//! `127.0.0.1:514`). `bash tests/support/services-start.sh` starts an rsyslog on
//! 127.0.0.1:15514 that writes what it receives to `/tmp/logkit-svc/rsyslog/raw.log`.
//!
//! `cargo run --example syslog -- --tls [HOST:PORT]` sends over TLS (RFC 5425) instead
//! (default: `$LOGKIT_SYSLOG_TLS`, else `127.0.0.1:6514`), trusting `$LOGKIT_TLS_CA` (else the
//! system's certificates) and presenting `$LOGKIT_SYSLOG_TLS_CERT` and `$LOGKIT_SYSLOG_TLS_KEY`
//! when they are set; the services' TLS relay forwards to
//! `/tmp/logkit-svc/syslog-final/raw.log`.

use std::sync::Arc;

use logkit::{
    Facility, Formatter, Handler, Level, Location, Message, Record, SocketType, SysLogHandler,
    SyslogAddress, SyslogFormat, SyslogTls, get_logger,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let tls = args.first().is_some_and(|a| a == "--tls");
    if tls {
        args.remove(0);
    }
    let env = |name: &str| std::env::var(name).ok();
    let addr = args
        .first()
        .cloned()
        .or_else(|| {
            env(if tls {
                "LOGKIT_SYSLOG_TLS"
            } else {
                "LOGKIT_SYSLOG_ADDR"
            })
        })
        .unwrap_or_else(|| {
            if tls {
                "127.0.0.1:6514"
            } else {
                "127.0.0.1:514"
            }
            .to_owned()
        });
    let (host, port) = addr.rsplit_once(':').ok_or("expected HOST:PORT")?;
    let mut options = SysLogHandler::options(SyslogAddress::inet(host, port.parse()?))
        .socktype(SocketType::Stream)
        .format(SyslogFormat::Rfc5424)
        .facility(Facility::LOCAL0)
        .app_name("logkit-example");
    if tls {
        let mut settings = SyslogTls::new();
        if let Some(ca) = env("LOGKIT_TLS_CA") {
            settings = settings.cafile(ca);
        }
        if let (Some(cert), Some(key)) =
            (env("LOGKIT_SYSLOG_TLS_CERT"), env("LOGKIT_SYSLOG_TLS_KEY"))
        {
            settings = settings.client_cert(cert, key);
        }
        options = options.tls(settings);
    }
    let handler = Arc::new(options.build()?);
    handler.set_formatter(Formatter::new("%(name)s: %(message)s")?);

    // One record sent directly, to say plainly whether a server is there.
    let probe = Record::new(
        "example.syslog",
        Level::INFO,
        Message::text("syslog example starting"),
        Location::caller(),
    );
    if let Err(e) = handler.emit(&probe) {
        eprintln!("no syslog server at {addr}: {e}");
        eprintln!("start one with `bash tests/support/services-start.sh`, or pass HOST:PORT");
        return Ok(());
    }

    let logger = get_logger("example.syslog");
    logger.set_level(Level::DEBUG);
    logger.add_handler(handler);
    logger.log(Level::WARNING, "disk %d%% full", &[93.into()]);
    logger.log(Level::ERROR, "a message\nover two lines", &[]);
    println!(
        "sent 3 records to {addr}{} (RFC 5424, facility local0, app logkit-example)",
        if tls { " over TLS" } else { "" }
    );
    Ok(())
}
