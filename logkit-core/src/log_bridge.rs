//! The `log` facade's records in the logger tree: what a dependency logs with `log::warn!`
//! is a logkit record of the logger its target names.
//!
//! - **Names**: the target with `::` read as `.`: `hyper::proto::h1` logs to
//!   `hyper.proto.h1`, so `get_logger("hyper").set_level(...)`, an INI `[logger_hyper]` and
//!   `LOGKIT_LEVEL=hyper=warning` govern it, as they govern a logkit call.
//! - **Levels**: `Error`, `Warn`, `Info`, `Debug` are ERROR, WARNING, INFO, DEBUG; `Trace`
//!   is [`Level::TRACE`] (5, named `TRACE`).
//! - **Location**: the record's `file` and `line` are `pathname`/`filename` and `lineno`, its
//!   `module_path` the location's module path; a record without them has CPython's
//!   `(unknown file)` and line 0. `funcName` is `(unknown function)`.
//! - **Message**: the record's `format_args!` text, written straight into each handler's
//!   output; `%` in it is not a placeholder. Key-values (`log::info!(user = "bob"; "...")`)
//!   are record fields, as `extra` is: `%(user)s` in a template, filters and
//!   [`JsonFormatter`](crate::JsonFormatter) see them. A key naming a record attribute
//!   (`name`, `module`, …) is kept as `name_`.
//! - **Cost**: after every change of a level (a logger's, `disable`, a configuration, the
//!   environment) `log::set_max_level` is set to the most verbose level any `log` record
//!   could pass, so a disabled `log::debug!` is `log`'s own check of one atomic, as with
//!   env_logger. An enabled record's logger is found without a lock (see the bridge's
//!   target table).
//!
//! [`basic_config`](fn@crate::basic_config), [`file_config`](crate::config::file_config) and
//! [`dict_config`](crate::config::dict_config) install the bridge when no other `log`
//! logger is installed (each has an opt-out); [`init`] installs it explicitly.
//!
//! # Examples
//!
//! ```
//! use logkit::{get_logger, log_bridge, Capture, Formatter, Handler, Level, StreamHandler};
//!
//! log_bridge::init()?;
//! let out = Capture::new();
//! let handler = StreamHandler::new(out.clone());
//! handler.set_formatter(Formatter::new("%(name)s %(levelname)s %(message)s")?);
//! get_logger("hyper").add_handler(handler);
//! get_logger("hyper").set_level(Level::DEBUG);
//!
//! log::debug!(target: "hyper::proto::h1", "parsed {} headers", 7);
//! assert_eq!(out.contents(), "hyper.proto.h1 DEBUG parsed 7 headers\n");
//! assert_eq!(log::max_level(), log::LevelFilter::Debug);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::bridge::{FieldList, field_name, node_of_target};
use crate::error::{Error, ErrorKind};
use crate::handler::{self, report_error};
use crate::level::Level;
use crate::logger::Logger;
use crate::logger::tree::{MOST_VERBOSE, registry};
use crate::message::Message;
use crate::record::{Location, Record};
use crate::value::Value;

/// The file of a record that does not say where it was made (CPython's name for it).
const UNKNOWN_FILE: &str = "(unknown file)";

/// The [`log::Log`] that sends the `log` facade's records into logkit's logger tree.
///
/// [`init`] installs it; it can also be handed to a logger that forwards to several
/// (`log::set_logger(&LogBridge)` is what `init` does).
///
/// # Examples
///
/// ```
/// use log::Log;
/// use logkit::log_bridge::LogBridge;
///
/// let enabled = LogBridge.enabled(&log::Metadata::builder().target("app").level(log::Level::Error).build());
/// assert!(enabled); // root's WARNING lets ERROR through
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct LogBridge;

static BRIDGE: LogBridge = LogBridge;

/// Whether this process's `log` logger is the bridge.
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Installs the bridge as the `log` facade's logger, and sets `log`'s maximum level from the
/// tree (kept in step from then on). Installing it again does nothing.
///
/// # Errors
///
/// Another `log` logger (env_logger, simple_logger, …) is already installed: the `log`
/// facade takes one per process, so its records go there.
///
/// # Examples
///
/// ```
/// logkit::log_bridge::init()?;
/// assert!(logkit::log_bridge::is_installed());
/// # Ok::<(), logkit::Error>(())
/// ```
pub fn init() -> Result<(), Error> {
    if install_if_free() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::AlreadySet,
        "another logger is already installed for the `log` facade (by env_logger, \
         simple_logger or the like), so `log` records go to it, not to logkit: remove that \
         logger's initialisation, or install logkit's bridge before it",
    ))
}

/// Whether the bridge is this process's `log` logger.
///
/// # Examples
///
/// ```
/// assert!(!logkit::log_bridge::is_installed());
/// ```
pub fn is_installed() -> bool {
    INSTALLED.load(Ordering::Acquire)
}

/// Installs the bridge unless `log` has another logger; whether the bridge is installed.
pub(crate) fn install_if_free() -> bool {
    if is_installed() {
        return true;
    }
    // The tree first: it applies the environment's levels that the maximum level follows.
    drop(registry());
    if log::set_logger(&BRIDGE).is_err() {
        return is_installed();
    }
    INSTALLED.store(true, Ordering::Release);
    sync_max_level();
    true
}

/// Sets `log`'s maximum level from the tree, if the bridge is installed.
pub(crate) fn sync_max_level() {
    if is_installed() {
        log::set_max_level(level_filter(MOST_VERBOSE.load(Ordering::Relaxed)));
    }
}

/// The logkit level of a `log` level.
///
/// # Examples
///
/// ```
/// use logkit::{log_bridge::level_of, Level};
/// assert_eq!(level_of(log::Level::Warn), Level::WARNING);
/// assert_eq!(level_of(log::Level::Trace), Level::TRACE);
/// ```
pub fn level_of(level: log::Level) -> Level {
    match level {
        log::Level::Error => Level::ERROR,
        log::Level::Warn => Level::WARNING,
        log::Level::Info => Level::INFO,
        log::Level::Debug => Level::DEBUG,
        log::Level::Trace => Level::TRACE,
    }
}

/// The most verbose `log` level filter that lets through records at `threshold` and above
/// (a logger's threshold, as a level number).
///
/// # Examples
///
/// ```
/// use logkit::log_bridge::level_filter;
/// assert_eq!(level_filter(30), log::LevelFilter::Warn);
/// assert_eq!(level_filter(15), log::LevelFilter::Info); // a custom level between DEBUG and INFO
/// assert_eq!(level_filter(51), log::LevelFilter::Off);
/// ```
pub fn level_filter(threshold: i32) -> log::LevelFilter {
    [
        log::LevelFilter::Trace,
        log::LevelFilter::Debug,
        log::LevelFilter::Info,
        log::LevelFilter::Warn,
        log::LevelFilter::Error,
    ]
    .into_iter()
    .find(|f| {
        f.to_level()
            .is_some_and(|l| level_of(l).value() >= threshold)
    })
    .unwrap_or(log::LevelFilter::Off)
}

impl log::Log for LogBridge {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        let node = node_of_target(metadata.target());
        level_of(metadata.level()).value() >= node.threshold.load(Ordering::Relaxed)
    }

    fn log(&self, record: &log::Record<'_>) {
        let node = node_of_target(record.target());
        let level = level_of(record.level());
        if level.value() < node.threshold.load(Ordering::Relaxed) {
            return;
        }
        #[cfg(feature = "tracing")]
        if crate::tracing_bridge::delivered_already(record) {
            return;
        }
        deliver(Logger::of_node(node), level, record);
    }

    fn flush(&self) {
        for h in handler::registered_newest_first() {
            if let Err(e) = h.flush() {
                report_error(&*h, None, &e);
            }
        }
    }
}

/// Makes the logkit record of an enabled `log` record and handles it on `logger`.
fn deliver(logger: Logger, level: Level, record: &log::Record<'_>) {
    let text = OnceCell::new();
    let message = Message::format_args(record.args(), &text);
    let line = record.line().unwrap_or(0);
    let mut made = Record::new(
        logger.name(),
        level,
        message,
        Location::new(
            record.file().unwrap_or(UNKNOWN_FILE),
            line,
            record.module_path().unwrap_or(""),
        ),
    );
    let key_values = record.key_values();
    if key_values.count() == 0 {
        logger.handle(&mut made);
        return;
    }
    let mut collect = Collect {
        fields: FieldList::new(),
        owned: Vec::new(),
    };
    let _ = key_values.visit(&mut collect);
    if collect.owned.is_empty() {
        logger.handle(&mut made.with_fields(collect.fields.as_slice()));
        return;
    }
    // Keys the source could not lend (a `Source` of owned strings): copied.
    let mut fields = collect.fields.as_slice().to_vec();
    fields.extend(
        collect
            .owned
            .iter()
            .map(|(k, v)| (field_name(k), v.clone())),
    );
    logger.handle(&mut made.with_fields(&fields));
}

/// A record's key-values as fields.
struct Collect<'kvs> {
    fields: FieldList<'kvs>,
    /// Those whose key is not borrowed for the record's life.
    owned: Vec<(String, Value<'kvs>)>,
}

impl<'kvs> log::kv::VisitSource<'kvs> for Collect<'kvs> {
    fn visit_pair(
        &mut self,
        key: log::kv::Key<'kvs>,
        value: log::kv::Value<'kvs>,
    ) -> Result<(), log::kv::Error> {
        match key.to_borrowed_str() {
            Some(k) => self.fields.push(field_name(k), value_of(&value)),
            None => self.owned.push((key.as_str().to_owned(), value_of(&value))),
        }
        Ok(())
    }
}

/// The logkit value of a key-value's value: strings, numbers and booleans keep their type
/// (`%d` takes an integer), anything else is the text its `Display` writes.
fn value_of<'v>(value: &log::kv::Value<'v>) -> Value<'v> {
    if let Some(s) = value.to_borrowed_str() {
        return Value::Str(Cow::Borrowed(s));
    }
    if let Some(b) = value.to_bool() {
        return Value::Bool(b);
    }
    if let Some(i) = value.to_i128() {
        return Value::Int(i);
    }
    if let Some(f) = value.to_f64() {
        return Value::Float(f);
    }
    Value::Str(Cow::Owned(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_map_to_the_most_verbose_filter_that_passes_them() {
        assert_eq!(level_filter(0), log::LevelFilter::Trace);
        assert_eq!(level_filter(5), log::LevelFilter::Trace);
        assert_eq!(level_filter(6), log::LevelFilter::Debug);
        assert_eq!(level_filter(10), log::LevelFilter::Debug);
        assert_eq!(level_filter(20), log::LevelFilter::Info);
        assert_eq!(level_filter(40), log::LevelFilter::Error);
        assert_eq!(level_filter(41), log::LevelFilter::Off);
        assert_eq!(level_filter(i32::MAX), log::LevelFilter::Off);
    }

    #[test]
    fn key_values_keep_their_types() {
        let n = 7_u8;
        let ratio = 0.5_f64;
        assert!(matches!(value_of(&log::kv::Value::from(n)), Value::Int(7)));
        assert!(matches!(
            value_of(&log::kv::Value::from(-3_i64)),
            Value::Int(-3)
        ));
        assert!(matches!(
            value_of(&log::kv::Value::from(true)),
            Value::Bool(true)
        ));
        assert!(matches!(value_of(&log::kv::Value::from(ratio)), Value::Float(f) if f == 0.5));
        assert!(matches!(
            value_of(&log::kv::Value::from("x")),
            Value::Str(Cow::Borrowed("x"))
        ));
        let addr = std::net::Ipv4Addr::LOCALHOST;
        let v = log::kv::Value::from_display(&addr);
        assert_eq!(value_of(&v).to_string(), "127.0.0.1");
    }
}
