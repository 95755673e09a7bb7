//! Files that rotate: a size-limited log with numbered backups, a daily log with dated
//! backups, JSON lines for a log shipper, and a log that an outside tool (logrotate)
//! renames, reopened by a `WatchedFileHandler`.
//!
//! Run it with `cargo run --example rotating`. It writes under a fresh temporary directory
//! and prints what ended up there.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use logkit::{
    Formatter, Handler, JsonFormatter, Level, RotatingFileHandler, TimedRotatingFileHandler, When,
    get_logger, info, warning,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("logkit-rotating-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let app = get_logger("shop");
    app.set_level(Level::INFO);

    // 1. By size: `app.log` is renamed to `app.log.1` (the newest backup) before the record
    //    that would make it reach 100 bytes; three backups are kept.
    let by_size = RotatingFileHandler::new(dir.join("app.log"), 100, 3)?;
    by_size.set_formatter(Formatter::new("%(levelname)-7s %(name)s: %(message)s")?);
    app.add_handler(by_size);

    // 2. By time: a new file every midnight, the old one named for its day
    //    (`daily.log.2024-03-09`); seven are kept. The clock is replaced here so that the
    //    example crosses two midnights at once; in a program, leave it out.
    let now = Arc::new(AtomicI64::new(1_709_991_000)); // 2024-03-09 13:30 UTC
    let clock = now.clone();
    let daily = TimedRotatingFileHandler::options(dir.join("daily.log"))
        .when(When::Midnight)
        .backup_count(7)
        .utc(true)
        .clock(move || clock.load(Ordering::Relaxed))
        .open()?;
    app.add_handler(daily);

    // 3. JSON lines: the template picks the keys; `all_extra` adds the call's fields.
    let json = RotatingFileHandler::new(dir.join("app.jsonl"), 10 * 1024 * 1024, 5)?;
    json.set_formatter(
        JsonFormatter::builder()
            .template("%(asctime)s %(name)s %(levelname)s %(message)s")
            .all_extra(true)
            .build()?,
    );
    app.add_handler(json);

    for order in 1..=6 {
        info!(app, "order %d shipped", order; order_id = order, carrier = "post");
        if order % 3 == 0 {
            now.fetch_add(86_400, Ordering::Relaxed); // a day passes
        }
    }
    warning!(app, "stock low: %s", "umbrellas"; sku = "UMB-1");

    // 4. Rotated by someone else: logrotate renames `audit.log` away (with no
    //    `copytruncate`); the handler notices the file is gone and opens a new one.
    #[cfg(unix)]
    {
        let audit = get_logger("shop.audit");
        audit.set_propagate(false);
        audit.add_handler(logkit::WatchedFileHandler::new(dir.join("audit.log"))?);
        info!(audit, "refund %d approved", 17);
        std::fs::rename(dir.join("audit.log"), dir.join("audit.log.1"))?; // what logrotate does
        info!(audit, "refund %d approved", 18); // into a new audit.log
    }

    logkit::shutdown();
    let mut names: Vec<_> = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()?;
    names.sort();
    for name in names {
        println!("== {}", name.to_string_lossy());
        print!("{}", std::fs::read_to_string(dir.join(&name))?);
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
