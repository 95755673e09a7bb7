//! Configuring logging from the INI file of the tutorial logkit started from, unchanged
//! (`examples/logging.ini`, written for Python's `logging.config.fileConfig`), then a
//! broken reload that is refused while the running configuration stays in force.
//!
//! ```text
//! cargo run --example fileconfig
//! ```

use logkit::config::FileConfig;
use logkit::{get_logger, info};

fn main() -> Result<(), logkit::Error> {
    let ini = concat!(env!("CARGO_MANIFEST_DIR"), "/logging.ini");
    logkit::config::file_config(ini)?;

    // As in Python: `logger = logging.getLogger('sampleLogger')`.
    let logger = get_logger("sampleLogger");
    logger.log(logkit::Level::DEBUG, "This is a debug message", &[]);
    info!(logger, "configured from %s", ini);
    logkit::warning!(
        logger,
        "%d handler(s) on sampleLogger",
        logger.handlers().len()
    );

    // A reload with a mistake is refused with the file, line, section and key; the
    // configuration above keeps working.
    let broken = std::fs::read_to_string(ini)
        .map_err(|e| logkit::Error::io("read", ini.as_ref(), e))?
        .replace(
            "level=DEBUG\nhandlers=consoleHandler\nqualname",
            "level=VERBOSE\nhandlers=consoleHandler\nqualname",
        );
    if let Err(err) = FileConfig::from_text("logging.ini", &broken).apply() {
        logkit::error!(logger, "reload refused: %s", err);
    }
    logkit::critical!(logger, "still logging through the first configuration");
    Ok(())
}
