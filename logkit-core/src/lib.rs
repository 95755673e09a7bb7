//! The runtime of [logkit](https://docs.rs/logkit) and its template parser.
//!
//! Applications use the `logkit` crate, which re-exports what is public here and adds the
//! macros. This crate holds:
//!
//! - [`escaping`]: escaping control characters in text output (dependency-free, for the
//!   `formatter!` macro too);
//! - [`limits`]: the maximum of every size and depth read from input;
//! - [`template`]: the one parser for message and record templates, dependency-free and
//!   always built (the proc macros use it at compile time);
//! - with the `runtime` feature (on by default): levels, the logger tree, records, filters,
//!   formatters, handlers and configuration.
//!
//! # Examples
//!
//! ```
//! use logkit::{get_logger, Capture, Formatter, Handler, Level, StreamHandler};
//!
//! let out = Capture::new();
//! let handler = StreamHandler::new(out.clone());
//! handler.set_formatter(Formatter::new("%(name)s - %(levelname)s - %(message)s")?);
//! let logger = get_logger("prog.items");
//! logger.add_handler(handler);
//! logger.log(Level::WARNING, "%d items left", &[3.into()]);
//! assert_eq!(out.contents(), "prog.items - WARNING - 3 items left\n");
//! # Ok::<(), logkit::template::Error>(())
//! ```

pub mod escaping;
pub mod limits;
pub mod template;

#[cfg(feature = "runtime")]
mod basic_config;
#[cfg(feature = "runtime")]
mod bridge;
#[cfg(feature = "runtime")]
pub mod clock;
#[cfg(feature = "runtime")]
pub mod config;
#[cfg(feature = "runtime")]
mod error;
#[cfg(feature = "runtime")]
mod filter;
#[cfg(feature = "runtime")]
pub mod format;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzz;
#[cfg(feature = "runtime")]
mod handler;
#[cfg(feature = "runtime")]
mod level;
#[cfg(feature = "log")]
pub mod log_bridge;
#[cfg(feature = "runtime")]
mod logger;
#[cfg(feature = "runtime")]
pub mod message;
#[cfg(feature = "runtime")]
pub mod pyfmt;
#[cfg(feature = "runtime")]
mod record;
#[cfg(feature = "runtime")]
mod scratch;
#[cfg(feature = "runtime")]
mod shutdown;
#[cfg(feature = "tracing")]
pub mod tracing_bridge;
#[cfg(feature = "runtime")]
mod value;

#[cfg(feature = "runtime")]
pub use basic_config::{BASIC_FORMAT, BasicConfig, BasicConfigOutcome, basic_config};
#[cfg(feature = "runtime")]
pub use error::{Error, ErrorKind};
#[cfg(feature = "runtime")]
pub use filter::{Filter, FilterRef, IntoFilter, NameFilter};
#[cfg(feature = "runtime")]
pub use format::{
    Format, FormatError, FormatRef, Formatter, FormatterBuilder, IntoFormat, MessageOnly,
};
#[cfg(feature = "runtime")]
pub use format::{JsonFormatter, JsonFormatterBuilder};
#[cfg(feature = "runtime")]
pub use handler::{
    Buffering, BufferingHandler, Capture, FileHandler, FileHandlerBuilder, FileMode, Handler,
    HandlerCore, HandlerError, HandlerRef, IntoHandler, MemoryHandler, NullHandler, Output,
    Overflow, OwnedRecord, QueueHandler, QueueHandlerBuilder, QueueListener, StreamHandler, handle,
    handler_by_name, handler_names, raise_exceptions, report_error, set_raise_exceptions,
};
#[cfg(feature = "otlp")]
pub use handler::{
    DEFAULT_MAX_BATCH_SIZE, OTLPHandler, OTLPHandlerBuilder, OtlpCompression, OtlpProtocol,
};
#[cfg(feature = "runtime")]
pub use handler::{
    DEFAULT_TCP_LOGGING_PORT, DEFAULT_UDP_LOGGING_PORT, DatagramHandler, SocketHandler,
    socket_pickle,
};
#[cfg(feature = "runtime")]
pub use handler::{
    Facility, Framing, HTTPHandler, HTTPHandlerBuilder, HttpBody, HttpMethod, SMTPHandler,
    SMTPHandlerBuilder, SocketType, SysLogHandler, SysLogHandlerBuilder, SyslogAddress,
    SyslogFormat, SyslogTls, http_form_body, syslog_priority_code, syslog_severity,
};
#[cfg(all(feature = "journald", target_os = "linux"))]
pub use handler::{JOURNALD_SOCKET, JournaldHandler, JournaldHandlerBuilder, journal_field_name};
#[cfg(feature = "runtime")]
pub use handler::{
    RotatingFileHandler, RotatingFileHandlerBuilder, TimedRotatingFileHandler,
    TimedRotatingFileHandlerBuilder, When,
};
#[cfg(all(feature = "runtime", unix))]
pub use handler::{WatchedFileHandler, WatchedFileHandlerBuilder};
#[cfg(feature = "runtime")]
pub use level::{Level, LevelName, UnknownLevel, add_level_name, level_names};
#[cfg(feature = "runtime")]
pub use logger::{
    AdapterProcess, Event, HandlerView, Logger, LoggerAdapter, LoggerTree, TreeNode, disable,
    disabled_level, get_logger, loggers, reset_last_resort, root, set_last_resort, tree,
};
/// What the logging macros' call sites are made of (used by the `logkit` macros' expansions;
/// not public API).
#[cfg(feature = "runtime")]
#[doc(hidden)]
pub use logger::{Callsite, Source, apply_process, stack_text};
/// The work the logger tree has done (read by logkit's tests; not public API).
#[cfg(feature = "runtime")]
#[doc(hidden)]
pub use logger::{TreeWork, tree_work};
#[cfg(feature = "runtime")]
pub use message::Message;
#[cfg(feature = "runtime")]
pub use record::{ExcInfo, Location, Record, ThreadInfo, Timestamp, process_id};
#[cfg(feature = "runtime")]
pub use scratch::with_buffer;
#[cfg(feature = "runtime")]
pub use shutdown::shutdown;
#[cfg(feature = "runtime")]
pub use value::Value;
