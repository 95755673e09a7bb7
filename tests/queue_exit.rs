//! Everything a `QueueHandler` has queued, and everything a buffered `FileHandler` holds, is
//! written when the process ends without an explicit `shutdown()`: returning from `main`,
//! `std::process::exit`, and a panic that unwinds out of `main`. Each ending runs in a
//! child process of this binary (its own `main`, so the panic really leaves `main`); the
//! parent checks the file it wrote.

use std::process::{Command, ExitCode};

use logkit::{Formatter, Handler, Level, QueueHandler, StreamHandler, get_logger};

const MODE_ENV: &str = "LOGKIT_QUEUE_EXIT_MODE";
const FILE_ENV: &str = "LOGKIT_QUEUE_EXIT_FILE";
const RECORDS: usize = 50_000;

fn main() -> ExitCode {
    if let (Ok(mode), Ok(file)) = (std::env::var(MODE_ENV), std::env::var(FILE_ENV)) {
        child(&mode, &file);
        return ExitCode::SUCCESS;
    }
    let dir = std::env::temp_dir().join(format!("logkit-queue-exit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut failed = 0;
    for (mode, expected_status) in [
        ("return", Some(0)),
        ("exit", Some(3)),
        ("panic", Some(101)),
        ("buffered-return", Some(0)),
        ("buffered-exit", Some(3)),
        ("buffered-panic", Some(101)),
    ] {
        let file = dir.join(format!("{mode}.log"));
        let out = Command::new(std::env::current_exe().expect("test binary"))
            .env(MODE_ENV, mode)
            .env(FILE_ENV, &file)
            .env("RUST_BACKTRACE", "0")
            .output()
            .expect("run child");
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let complete =
            lines.len() == RECORDS && lines.iter().enumerate().all(|(i, l)| *l == i.to_string());
        let ok = complete && out.status.code() == expected_status;
        println!(
            "queue_exit {mode} ... {} ({} of {RECORDS} records, exit status {:?})",
            if ok { "ok" } else { "FAILED" },
            lines.len(),
            out.status.code()
        );
        if !ok {
            failed += 1;
            println!("stderr:\n{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Queues many records into a buffered file, or keeps them in a buffered file handler, and
/// ends the process at once.
fn child(mode: &str, file: &str) {
    let logger = get_logger("exit");
    logger.set_level(Level::INFO);
    if let Some(ending) = mode.strip_prefix("buffered-") {
        let handler = logkit::FileHandler::options(file)
            .buffered(
                logkit::Buffering::new()
                    .capacity(64 << 20)
                    .max_delay(std::time::Duration::from_secs(3600)),
            )
            .open()
            .expect("log file");
        handler.set_formatter(Formatter::new("%(message)s").expect("template"));
        logger.add_handler(handler);
        for i in 0..RECORDS {
            logkit::info!(logger, "%d", i);
        }
        end(ending);
        return;
    }
    let writer = std::io::BufWriter::new(std::fs::File::create(file).expect("log file"));
    let target = StreamHandler::new(writer);
    target.set_autoflush(false);
    target.set_formatter(Formatter::new("%(message)s").expect("template"));
    let queue = QueueHandler::builder()
        .handler(target)
        .capacity(RECORDS)
        .start()
        .expect("listener thread");
    logger.add_handler(queue);
    for i in 0..RECORDS {
        logkit::info!(logger, "%d", i);
    }
    end(mode);
}

/// Ends the process as `how` says (or returns, to return from `main`).
fn end(how: &str) {
    match how {
        "exit" => std::process::exit(3),
        "panic" => panic!("ending with records still queued or buffered"),
        _ => {}
    }
}
