//! A tour of logkit in the order of a classic Python logging tutorial: the console and
//! levels, what dependencies log, variable data, a file with its own level and format, the
//! logger hierarchy, a filter, formatters, and errors.
//!
//! Run it with `cargo run --example quickstart`. Records go to stdout so that they
//! interleave with the section titles; the file it writes is printed at the end.

use logkit::{
    FileHandler, FileMode, Formatter, Handler, JsonFormatter, Level, NameFilter, StreamHandler,
    basic_config, critical, debug, error, exception, get_logger, info, root, warning,
};

// This module's logger, as Python's `logger = logging.getLogger(__name__)`: calls that name
// no logger log through it.
logkit::module_logger!("tour");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    section("1. The console and levels");
    // Root gets one handler with Python's basic format; its level stays WARNING. On a
    // terminal the level name is coloured (not through a pipe, nor with NO_COLOR set).
    basic_config().stdout().init()?;
    debug!("This is a debug message");
    info!("This is an info message");
    warning!("This is a warning message");
    logkit::warn!("warn! is warning! under Rust's name (trace! is level 5, below DEBUG)");
    error!("This is an error message");
    critical!("This is a critical message");

    section("2. What your dependencies log");
    // `basic_config` also took over the `log` facade and `tracing`: a dependency's records
    // arrive in the same tree, under loggers named after their targets (`::` read as `.`).
    db_driver::connect("db:5432");
    // Their loggers are governed like any other; key-values, fields and the fields of the
    // spans around an event are record fields (here printed as JSON).
    let driver = get_logger("quickstart.db_driver");
    driver.set_level(Level::DEBUG);
    let json = StreamHandler::stdout();
    json.set_formatter(
        JsonFormatter::builder()
            .template("%(name)s %(levelname)s %(message)s")
            .all_extra(true)
            .build()?,
    );
    driver.add_handler(json);
    db_driver::connect("db:5433");
    driver.set_propagate(false);

    section("3. Variable data");
    root().set_level(Level::INFO);
    let fn_name = "ReadUser";
    info!("Execution of %s function is complete.", fn_name);
    let (user, attempts) = ("alice", 3);
    warning!("user %(user)s failed %(attempts)d times"); // named, taken from variables
    info!("%-8s|%5.1f%%|%#x", "disk", 93.25, 255); // Python's printf flags

    section("4. A file with its own level and format");
    let dir = std::env::temp_dir().join(format!("logkit-quickstart-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("SPOT.log");
    let logger = get_logger("example_logger");
    logger.set_level(Level::DEBUG);
    let example_handler = FileHandler::options(&path).mode(FileMode::Write).open()?;
    example_handler.set_level(Level::DEBUG);
    // Compiled at build time; a typo in an attribute name would not compile.
    example_handler.set_formatter(logkit::formatter!(
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
    ));
    logger.add_handler(example_handler);
    debug!(logger, "write your message");
    // It is printed here too: records propagate to root's handler, and only handler levels
    // (not root's own INFO level) are checked on the way up, as in CPython.
    println!("wrote {}", path.display());

    section("5. The logger hierarchy");
    let child = get_logger("parent_logger_name.child_logger_name");
    info!(
        child,
        "INFO is enabled through root, so root's handler prints this"
    );
    let parent = get_logger("parent_logger_name");
    let handler = StreamHandler::stdout();
    handler.set_formatter(Formatter::new("%(name)s - %(levelname)s - %(message)s")?);
    parent.add_handler(handler);
    info!(child, "INFO Level printed."); // by the parent's handler, then by root's
    parent.set_propagate(false);
    info!(
        child,
        "printed once: the parent no longer propagates to root"
    );
    checkout(); // a function with a logger of its own

    section("6. A filter");
    let prog = get_logger("prog");
    prog.set_propagate(false);
    let filtered = StreamHandler::stdout();
    filtered.set_formatter(Formatter::new("[filter] %(name)s: %(message)s")?);
    filtered.add_filter(NameFilter::new("prog.items"));
    prog.add_handler(filtered);
    for name in [
        "prog.person",
        "prog.items",
        "prog.items.products",
        "prog.itemsx",
    ] {
        warning!(get_logger(name), "hello from %s", name);
    }

    section("7. Formatters");
    let styled = get_logger("styles");
    styled.set_propagate(false);
    for formatter in [
        Formatter::new("%(levelname)-8s| %(name)s | %(message)s")?,
        Formatter::with_style(
            "{levelname:<8}| {name} | {message!r}",
            logkit::template::Style::Brace,
        )?,
        Formatter::with_style(
            "$levelname| $name | $message",
            logkit::template::Style::Dollar,
        )?,
    ] {
        let h = StreamHandler::stdout();
        h.set_formatter(formatter);
        styled.add_handler(h);
    }
    error!(styled, "one record, three styles");
    // A run-time template is checked when it is built; the error quotes the fragment.
    if let Err(e) = Formatter::new("%(asctime)s %(levelname)Z") {
        println!("a bad run-time template is an error: {e}");
    }

    section("8. Errors");
    if let Err(err) = "printf".parse::<u32>() {
        exception!(err, "Error occurred when parsing %r", "printf");
    }
    // A setup error, as `fn main() -> Result<(), logkit::Error>` prints it: the message,
    // then its cause.
    if let Err(err) = FileHandler::new("/nonexistent-dir/app.log") {
        println!("Error: {err:?}");
    }

    logkit::shutdown();
    section("SPOT.log");
    print!("{}", std::fs::read_to_string(&path)?);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// `#[logkit::logger]` gives a function (or an impl block, or an inline module) its own
/// logger: the calls inside that name none log through it.
#[logkit::logger(name = "tour.cart")]
fn checkout() {
    info!("checked out through %s", "tour.cart");
}

/// Stands in for a dependency (a database driver, an HTTP client): it knows nothing of
/// logkit and logs through the `log` facade and `tracing`, as most crates do.
mod db_driver {
    pub(crate) fn connect(addr: &str) {
        log::debug!("resolving {addr}");
        log::warn!("connection to {addr} took 2.1 s");
        let _span = tracing::info_span!("pool", size = 8).entered();
        tracing::warn!(target: "quickstart::db_driver", addr, "pool exhausted, waiting");
    }
}

fn section(title: &str) {
    println!("\n== {title}");
}
