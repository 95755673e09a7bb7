//! Reloading a running service's logging configuration when its file changes: a
//! `logging.ini` is watched, rewritten to turn DEBUG on for `app.db`, and the change is in
//! force once the watch says it applied it; after each reload the logger tree is logged at
//! DEBUG, and a broken edit is refused while logging goes on.
//!
//! ```text
//! cargo run --example reload
//! ```

use std::time::Duration;

use logkit::config::Watch;
use logkit::{debug, get_logger, info};

fn ini(db_level: &str) -> String {
    format!(
        "[loggers]
keys=root,db

[handlers]
keys=console

[formatters]
keys=plain

[logger_root]
level=INFO
handlers=console

[logger_db]
level={db_level}
handlers=
qualname=app.db

[handler_console]
class=StreamHandler
formatter=plain
args=(sys.stdout,)

[formatter_plain]
format=%(levelname)-8s %(name)s: %(message)s
"
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("logkit-reload-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("logging.ini");
    std::fs::write(&path, ini("WARNING"))?;

    // Applied now, then again whenever the file changes; after each reload that applied,
    // the logger tree at DEBUG (shown by loggers that have DEBUG on).
    let mut watch = Watch::new(&path)
        // By the time of a reload the program has made its loggers; CPython's default
        // would disable every one the file does not name (here `app`).
        .disable_existing_loggers(false)
        .on_reload(|r| {
            if r.is_applied() {
                let log = get_logger("app.db");
                debug!(
                    log,
                    "configuration applied, the logger tree:\n%s",
                    logkit::tree()
                );
            }
        })
        .start()?;

    let db = get_logger("app.db");
    debug!(db, "not shown: app.db is at WARNING");
    info!(
        get_logger("app"),
        "watching %s (%s)",
        path.display(),
        format!("{:?}", watch.method())
    );

    // Someone edits the file (an editor, a deployment): app.db to DEBUG.
    let applied = watch.reloads();
    std::fs::write(&path, ini("DEBUG"))?;
    if !watch.wait_for_reload(applied, Duration::from_secs(10)) {
        return Err("the change was not applied in 10 s".into());
    }
    debug!(db, "shown: app.db is at DEBUG now");

    // A broken edit: reported once on stderr, and the configuration in force stays.
    let failed = watch.stats().failed;
    std::fs::write(&path, ini("VERBOSE"))?;
    watch.wait_until(Duration::from_secs(10), |s| s.failed > failed);
    debug!(db, "still shown: the broken file was not applied");

    watch.stop();
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
