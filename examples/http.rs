//! Records POSTed to a web server, in CPython's form encoding and as JSON.
//!
//! Run it with `cargo run --example http [HOST:PORT]` (default: `$LOGKIT_HTTP`, else
//! `127.0.0.1:18080`). `bash tests/support/services-start.sh` starts a receiver there that
//! writes each request to `/tmp/logkit-svc/http/requests.jsonl`.

use std::sync::Arc;
use std::time::Duration;

use logkit::{
    HTTPHandler, Handler, HttpBody, HttpMethod, Level, Location, Message, Record, get_logger,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("LOGKIT_HTTP").ok())
        .unwrap_or_else(|| "127.0.0.1:18080".to_owned());
    let form = Arc::new(
        HTTPHandler::options(&host, "/log")
            .method(HttpMethod::Post)
            .timeout(Duration::from_secs(2))
            .build()?,
    );
    let probe = Record::new(
        "example.http",
        Level::INFO,
        Message::text("http example starting"),
        Location::caller(),
    );
    if let Err(e) = form.emit(&probe) {
        eprintln!("no HTTP server at {host}: {e}");
        eprintln!("start one with `bash tests/support/services-start.sh`, or pass HOST:PORT");
        return Ok(());
    }
    let json = HTTPHandler::options(&host, "/json")
        .method(HttpMethod::Post)
        .body(HttpBody::Json)
        .build()?;

    let logger = get_logger("example.http");
    logger.add_handler(form);
    logger.add_handler(json);
    logger.log(Level::ERROR, "payment %s failed", &["#1234".into()]);
    println!("sent records to http://{host}/log (form) and http://{host}/json (JSON)");
    Ok(())
}
