//! A file behind a `QueueHandler`: the calls return once the record is queued, the
//! listener thread writes the file, and everything queued is written at exit.
//!
//! `cargo run --example queue`

use logkit::{FileHandler, Handler, Level, MemoryHandler, Overflow, QueueHandler, StreamHandler};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join("logkit-example-queue");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("app.log");

    let file = FileHandler::options(&path)
        .mode(logkit::FileMode::Write)
        .open()?;
    file.set_formatter(logkit::formatter!(
        "%(asctime)s %(threadName)s %(levelname)s %(message)s"
    ));
    let queue = QueueHandler::builder()
        .handler(file)
        .capacity(10_000)
        .overflow(Overflow::Block)
        .start()?;
    let app = logkit::get_logger("app");
    app.set_level(Level::INFO);
    app.add_handler(queue.clone());

    let workers: Vec<_> = (0..4)
        .map(|w| {
            std::thread::Builder::new()
                .name(format!("worker-{w}"))
                .spawn(move || {
                    for job in 0..1_000 {
                        logkit::info!(logkit::get_logger("app"), "job %d done", job);
                    }
                })
        })
        .collect::<Result<_, _>>()?;
    for w in workers {
        w.join().map_err(|_| "worker panicked")?;
    }
    queue.flush()?; // waits for the listener
    let lines = std::fs::read_to_string(&path)?.lines().count();
    println!("{lines} records in {}", path.display());

    // A MemoryHandler keeps DEBUG context and writes it only when an ERROR arrives.
    let memory = MemoryHandler::new(100, Level::ERROR, StreamHandler::stdout());
    let db = logkit::get_logger("app.db");
    db.set_level(Level::DEBUG);
    db.set_propagate(false);
    db.add_handler(memory);
    logkit::debug!(db, "connecting to %s", "db1");
    logkit::debug!(db, "query took %d ms", 1200);
    logkit::error!(db, "connection lost"); // prints the three lines
    Ok(())
}
