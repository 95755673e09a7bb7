//! Python's `logging` model for Rust: named loggers in a dotted hierarchy, levels, handlers,
//! filters, formatters with `%(asctime)s - %(name)s - %(levelname)s - %(message)s`
//! templates, `basic_config` — with templates checked while compiling and configuration
//! that changes without locks on the logging path.
//!
//! # Quick start
//!
//! ```
//! use logkit::{basic_config, info, warning, Level};
//!
//! basic_config()
//!     .level(Level::INFO)
//!     .format("%(asctime)s - %(name)s - %(levelname)s - %(message)s")
//!     .init()?;
//!
//! let user = "alice";
//! info!("user %s logged in", user);
//! warning!("disk %d%% full", 93);
//! # Ok::<(), logkit::Error>(())
//! ```
//!
//! # The model
//!
//! - [`get_logger("a.b.c")`](get_logger) returns the same [`Logger`] from anywhere; loggers
//!   form a tree by their dotted names, under the root logger.
//! - A record is created only if its level passes the logger's effective level (the first
//!   level set on it or an ancestor). It then goes to the handlers of its logger and of
//!   every ancestor while `propagate` holds; each [`Handler`] has its own level, filters and
//!   [`Formatter`]. This is CPython's pipeline, pitfalls included: ancestor *logger* levels
//!   and filters are not consulted for propagated records.
//! - With no handler anywhere, WARNING and above print their bare message on stderr.
//! - [`config::file_config`] reads a `logging.ini` written for CPython unchanged, and
//!   [`config::dict_config`] the dictConfig schema; each installs a whole configuration in
//!   one swap or, on error, changes nothing.
//!
//! # Modules and their loggers
//!
//! A call that names no logger logs through its module's logger: the one declared with
//! [`module_logger!("name")`](module_logger!) at the top of the module (as Python's
//! `logger = logging.getLogger(__name__)`), or else the logger named after the module path
//! (`my_crate::db` logs as `my_crate.db`). [`#[logkit::logger]`](macro@logger) declares it
//! on an inline module, and gives a function or an impl block a logger of its own.
//!
//! # Messages
//!
//! Messages are Python `%` templates, checked against their arguments while compiling:
//!
//! ```compile_fail
//! logkit::info!("took %d ms", "fast"); // `&str` cannot fill a `%d` placeholder
//! ```
//!
//! # Cargo features
//!
//! - `log` (on by default): the `log` facade's records — most dependencies log through it —
//!   enter the logger tree ([`log_bridge`]); `tracing`: so do `tracing`'s events, with the
//!   fields of their spans (the `tracing_bridge` module). The configuration calls install both.
//! - `function-names`: records know their enclosing function, for `%(funcName)s`. Off by
//!   default, because naming the function is the most expensive part of a call site to
//!   compile; without it `funcName` is `(unknown function)`.
//! - `json`, `toml`: [`config::dict_config_file`] reads `.json` and `.toml` files, and
//!   `ConfigValue::from_json`/`from_toml` parse text; `serde`: `ConfigValue` implements
//!   `Deserialize`, so a logging configuration can be a field of your own configuration.
//! - `journald`: `JournaldHandler` (Linux), records to systemd-journald.
//! - `watch`: `config::watch` applies a configuration file again whenever it changes
//!   (Unix: inotify on Linux, a check at an interval elsewhere); `sighup`: and on SIGHUP
//!   (`config::Watch::sighup`).
//! - `tls`: https for `HTTPHandler` and `OTLPHandler`, STARTTLS for `SMTPHandler` (rustls).
//! - `otlp`: `OTLPHandler`, OpenTelemetry logs over OTLP/HTTP to a collector (prost, flate2).
//! - `max_level_*`, `release_max_level_*` (`off`, `critical`, `error`, `warning`, `info`,
//!   `debug`): calls below the level are compiled out, as with the `log` crate's features of
//!   the same names; see [`STATIC_MIN_LEVEL`].
//!
//! # Differences from CPython
//!
//! The few deliberate ones are listed in `docs/python-differences.md`.

#![doc(test(attr(deny(warnings))))]

/// The README's examples compile (with the features they show, which the workspace's test
/// build turns on).
#[cfg(all(
    doctest,
    feature = "tracing",
    feature = "tls",
    feature = "watch",
    feature = "otlp"
))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

mod macros;

#[doc(hidden)]
pub mod __private;

use std::fmt;

pub use logkit_core::{
    AdapterProcess, BASIC_FORMAT, BasicConfig, BasicConfigOutcome, Buffering, BufferingHandler,
    Capture, Error, ErrorKind, Event, ExcInfo, FileHandler, FileHandlerBuilder, FileMode, Filter,
    FilterRef, Format, FormatError, FormatRef, Formatter, FormatterBuilder, Handler, HandlerCore,
    HandlerError, HandlerRef, HandlerView, IntoFilter, IntoFormat, IntoHandler, Level, LevelName,
    Location, Logger, LoggerAdapter, LoggerTree, MemoryHandler, Message, MessageOnly, NameFilter,
    NullHandler, Output, Overflow, OwnedRecord, QueueHandler, QueueHandlerBuilder, QueueListener,
    Record, StreamHandler, ThreadInfo, Timestamp, TreeNode, UnknownLevel, Value, add_level_name,
    basic_config, disable, disabled_level, get_logger, handle, handler_by_name, handler_names,
    level_names, loggers, process_id, raise_exceptions, report_error, reset_last_resort, root,
    set_last_resort, set_raise_exceptions, shutdown, tree, with_buffer,
};
pub use logkit_core::{JsonFormatter, JsonFormatterBuilder};
pub use logkit_core::{
    RotatingFileHandler, RotatingFileHandlerBuilder, TimedRotatingFileHandler,
    TimedRotatingFileHandlerBuilder, When,
};
#[cfg(unix)]
pub use logkit_core::{WatchedFileHandler, WatchedFileHandlerBuilder};
// Network handlers.
#[cfg(feature = "otlp")]
pub use logkit_core::{
    DEFAULT_MAX_BATCH_SIZE, OTLPHandler, OTLPHandlerBuilder, OtlpCompression, OtlpProtocol,
};
pub use logkit_core::{
    DEFAULT_TCP_LOGGING_PORT, DEFAULT_UDP_LOGGING_PORT, DatagramHandler, SocketHandler,
    socket_pickle,
};
pub use logkit_core::{
    Facility, Framing, HTTPHandler, HTTPHandlerBuilder, HttpBody, HttpMethod, SMTPHandler,
    SMTPHandlerBuilder, SocketType, SysLogHandler, SysLogHandlerBuilder, SyslogAddress,
    SyslogFormat, SyslogTls, http_form_body, syslog_priority_code, syslog_severity,
};
#[cfg(all(feature = "journald", target_os = "linux"))]
pub use logkit_core::{
    JOURNALD_SOCKET, JournaldHandler, JournaldHandlerBuilder, journal_field_name,
};

/// The `log` facade's records in the logger tree (the `log` feature, on by default).
///
/// `basic_config()`, `config::file_config` and `config::dict_config` install the bridge
/// unless another `log` logger is installed; [`log_bridge::init`] installs it explicitly.
/// A record's target names its logger, `::` read as `.`: `hyper::proto::h1` logs to
/// `hyper.proto.h1`.
///
/// # Examples
///
/// ```
/// logkit::basic_config().init()?;
/// log::warn!(target: "hyper::proto", "connection reset"); // printed as WARNING:hyper.proto:connection reset
/// assert!(logkit::log_bridge::is_installed());
/// # Ok::<(), logkit::Error>(())
/// ```
#[cfg(feature = "log")]
pub mod log_bridge {
    pub use logkit_core::log_bridge::*;
}

/// `tracing`'s events in the logger tree, their spans' fields as context (the `tracing`
/// feature).
///
/// `basic_config()`, `config::file_config` and `config::dict_config` install a subscriber
/// of the bridge unless a global one is set; [`tracing_bridge::layer`] adds the bridge to a
/// `tracing_subscriber` stack beside other layers.
///
/// # Examples
///
/// ```
/// logkit::basic_config().init()?;
/// tracing::warn!(target: "h2::codec", bytes = 512, "frame too large"); // WARNING:h2.codec:frame too large
/// assert!(logkit::tracing_bridge::is_installed());
/// # Ok::<(), logkit::Error>(())
/// ```
#[cfg(feature = "tracing")]
pub mod tracing_bridge {
    pub use logkit_core::tracing_bridge::*;
}

/// The largest size or depth logkit accepts from templates, configuration and arguments.
pub mod limits {
    pub use logkit_core::limits::*;
}

/// Record templates, the shared parser behind formatters and macros.
pub mod template {
    pub use logkit_core::template::*;
}

/// Configuration in CPython's formats: `file_config` (a `logging.ini`), `dict_config` (the
/// dictConfig schema from Rust, JSON or TOML), and `LOGKIT_LEVEL` from the environment.
///
/// # Examples
///
/// ```no_run
/// logkit::config::file_config("logging.ini")?; // written for Python, read unchanged
/// logkit::info!("configured");
/// # Ok::<(), logkit::Error>(())
/// ```
pub mod config {
    pub use logkit_core::config::*;
}
/// Formatting records: the [`Format`] trait, formatters, and colour on terminals
/// ([`Color`](format::Color), [`LogColors`](format::LogColors)).
pub mod format {
    pub use logkit_core::format::*;
}

/// A record's message: compiled pieces and typed arguments of the macros, packed arguments
/// of queued records.
pub mod message {
    pub use logkit_core::message::*;
}

/// Python's `%` and `format()` conversions, as logkit's messages and templates use them.
pub mod pyfmt {
    pub use logkit_core::pyfmt::*;
}

/// Time conversion and `strftime` for `asctime`.
pub mod clock {
    pub use logkit_core::clock::*;
}

/// Gives an inline module, a function, or the methods of an impl block their own logger:
/// `#[logkit::logger]` or `#[logkit::logger(name = "app.db")]`.
///
/// On an inline module it declares the module's logger, as
/// [`module_logger!`](crate::module_logger!) does at the top of a file. On a function or an
/// impl block it makes every logkit logging call inside (`log!`, `trace!`, `debug!`,
/// `info!`, `warning!`/`warn!`, `error!`, `critical!`, `exception!`) that names no logger use
/// this one, before the module's; calls of other crates' macros (`log::info!`,
/// `tracing::warn!`) are left alone.
///
/// `#[logger]` names it after the module path; `#[logger(name = "app.db")]` names it.
/// It cannot be put on `mod x;` (stable Rust does not let an attribute see a file module's
/// contents): write `logkit::module_logger!();` at the top of `x.rs` instead.
///
/// # Examples
///
/// ```
/// use logkit::{info, warning};
///
/// #[logkit::logger(name = "prog.items")]
/// mod items {
///     pub fn restock() {
///         logkit::info!("restocked");
///     }
/// }
///
/// struct Cart;
///
/// #[logkit::logger(name = "prog.cart")]
/// impl Cart {
///     fn checkout(&self) {
///         warning!("checkout of an empty cart");
///     }
/// }
///
/// #[logkit::logger(name = "prog.main")]
/// fn main() {
///     info!("started");
///     items::restock();
///     Cart.checkout();
/// }
/// # main();
/// ```
pub use logkit_macros::logger;

/// The logging macros, the `#[logger]` attribute, and the traits handlers, filters and
/// formatters are used through.
///
/// # Examples
///
/// ```
/// use logkit::prelude::*;
///
/// let handler = logkit::StreamHandler::stderr();
/// handler.set_level(logkit::Level::ERROR);
/// info!("ready");
/// ```
pub mod prelude {
    pub use crate::logger;
    pub use crate::{Filter, Format, Handler};
    pub use crate::{
        critical, debug, error, exception, formatter, info, log, trace, warn, warning,
    };
}

/// The most verbose level compiled into logging calls: records below it are removed at
/// compile time, their arguments never evaluated. Chosen with the cargo features
/// `max_level_*` (and `release_max_level_*` for builds without debug assertions), as in
/// the `log` crate.
///
/// # Examples
///
/// ```
/// // With no feature, every level is compiled in.
/// assert!(logkit::STATIC_MIN_LEVEL <= logkit::Level::DEBUG);
/// ```
pub const STATIC_MIN_LEVEL: Level = match cfg!(debug_assertions) {
    false if cfg!(feature = "release_max_level_off") => Level::new(i32::MAX),
    false if cfg!(feature = "release_max_level_critical") => Level::CRITICAL,
    false if cfg!(feature = "release_max_level_error") => Level::ERROR,
    false if cfg!(feature = "release_max_level_warning") => Level::WARNING,
    false if cfg!(feature = "release_max_level_info") => Level::INFO,
    false if cfg!(feature = "release_max_level_debug") => Level::new(1),
    _ if cfg!(feature = "max_level_off") => Level::new(i32::MAX),
    _ if cfg!(feature = "max_level_critical") => Level::CRITICAL,
    _ if cfg!(feature = "max_level_error") => Level::ERROR,
    _ if cfg!(feature = "max_level_warning") => Level::WARNING,
    _ if cfg!(feature = "max_level_info") => Level::INFO,
    _ => Level::new(1),
};

/// Wraps a `Display` value as a record field: `info!("x"; peer = logkit::display(&addr))`.
///
/// # Examples
///
/// ```
/// let addr = std::net::Ipv4Addr::LOCALHOST;
/// logkit::info!("connected"; peer = logkit::display(&addr));
/// ```
pub fn display<T: fmt::Display + Sync>(value: &T) -> DisplayValue<'_> {
    DisplayValue(value)
}

/// Wraps a `Debug` value as a record field: `info!("x"; state = logkit::debug(&s))`.
///
/// # Examples
///
/// ```
/// let state = vec![1, 2];
/// logkit::info!("tick"; state = logkit::debug(&state));
/// ```
pub fn debug<T: fmt::Debug + Sync>(value: &T) -> DebugValue<'_> {
    DebugValue(value)
}

/// A field value printed with `Display`; see [`display()`].
#[derive(Clone, Copy)]
pub struct DisplayValue<'a>(pub(crate) &'a (dyn fmt::Display + Sync));

/// A field value printed with `Debug`; see [`debug()`].
#[derive(Clone, Copy)]
pub struct DebugValue<'a>(pub(crate) &'a (dyn fmt::Debug + Sync));

impl fmt::Debug for DisplayValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl fmt::Debug for DebugValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}
