//! Handlers: where records go.
//!
//! A handler implements [`Handler`]: it holds a [`HandlerCore`] (level, filters, formatter,
//! name) and writes records in [`Handler::emit`]. The pipeline checks the handler's level,
//! runs its filters, then calls `emit`; an error or a panic in `emit` is reported on stderr
//! (CPython's `handleError`) and never reaches the code that logged.

mod capture;
mod codec;
mod file;
mod flusher;
mod log_file;
mod memory;
mod null;
mod owned;
mod queue;
mod report;
mod rotating;
mod rotation_hooks;
mod stream;
mod timed;
#[cfg(unix)]
mod watched;
mod whole_lines;

/// How much of a batch a file or stream handler gathers before writing it (a batch of large
/// records is written in pieces of about this size): large enough that a `write` costs little
/// per record, small enough that a batch's buffer stays in cache, at one size from batch to
/// batch.
const BATCH_WRITE_SIZE: usize = 64 * 1024;

/// Room a batch's buffer is given beyond [`BATCH_WRITE_SIZE`], so that the record that
/// crosses it fits without the buffer growing.
const BATCH_SLACK: usize = 16 * 1024;

/// Gives a batch's buffer room for [`BATCH_WRITE_SIZE`] bytes and the record that crosses
/// it, once: later batches find it at that size.
fn reserve_for_batch(pending: &mut Vec<u8>) {
    let room = BATCH_WRITE_SIZE + BATCH_SLACK;
    if pending.capacity() < room {
        pending.reserve(room - pending.len());
    }
}

/// Takes a written (empty) batch buffer back to its size if a record of a megabyte or more
/// grew it.
fn shrink_after_batch(pending: &mut Vec<u8>) {
    if pending.capacity() > 1 << 20 {
        pending.shrink_to(BATCH_WRITE_SIZE + BATCH_SLACK);
    }
}

// Network handlers.
pub(crate) mod http;
#[cfg(all(feature = "journald", target_os = "linux"))]
mod journald;
pub(crate) mod net;
#[cfg(feature = "otlp")]
mod otlp;
mod smtp;
mod socket;
mod syslog;

use std::fmt;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use arc_swap::ArcSwap;

pub use capture::Capture;
pub use file::{FileHandler, FileHandlerBuilder, FileMode};
pub use http::{HTTPHandler, HTTPHandlerBuilder, HttpBody, HttpMethod, http_form_body};
#[cfg(all(feature = "journald", target_os = "linux"))]
pub use journald::{JOURNALD_SOCKET, JournaldHandler, JournaldHandlerBuilder, journal_field_name};
pub use log_file::Buffering;
pub use memory::{BufferingHandler, MemoryHandler};
pub use null::NullHandler;
#[cfg(feature = "otlp")]
pub use otlp::{
    DEFAULT_MAX_BATCH_SIZE, OTLPHandler, OTLPHandlerBuilder, OtlpCompression, OtlpProtocol,
};
pub use owned::OwnedRecord;
pub use queue::{Overflow, QueueHandler, QueueHandlerBuilder, QueueListener};
#[cfg(all(feature = "watch", unix))]
pub(crate) use report::panic_text;
pub use report::{raise_exceptions, report_error, set_raise_exceptions};
pub use rotating::{RotatingFileHandler, RotatingFileHandlerBuilder};
pub use smtp::{SMTPHandler, SMTPHandlerBuilder};
pub use socket::{
    DEFAULT_TCP_LOGGING_PORT, DEFAULT_UDP_LOGGING_PORT, DatagramHandler, SocketHandler,
    socket_pickle,
};
pub use stream::{Output, StreamHandler};
pub use syslog::{
    Facility, Framing, SocketType, SysLogHandler, SysLogHandlerBuilder, SyslogAddress,
    SyslogFormat, SyslogTls, syslog_priority_code, syslog_severity,
};
pub use timed::{TimedRotatingFileHandler, TimedRotatingFileHandlerBuilder, When};
#[cfg(unix)]
pub use watched::{WatchedFileHandler, WatchedFileHandlerBuilder};

use crate::filter::{self, FilterCount, FilterRef, IntoFilter};
use crate::format::{Format, FormatError, FormatRef, IntoFormat, MessageOnly};
use crate::level::Level;
use crate::record::Record;

/// A destination for records (Python's `logging.Handler`).
///
/// Implement [`core`](Handler::core) and [`emit`](Handler::emit); the level, filters and
/// formatter live in the [`HandlerCore`].
///
/// # Examples
///
/// ```
/// use std::sync::Mutex;
/// use logkit::{Handler, HandlerCore, HandlerError, Record};
///
/// /// Keeps the formatted lines in memory.
/// #[derive(Default)]
/// struct Lines {
///     core: HandlerCore,
///     lines: Mutex<Vec<String>>,
/// }
///
/// impl Handler for Lines {
///     fn core(&self) -> &HandlerCore {
///         &self.core
///     }
///     fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
///         let mut line = String::new();
///         self.core.format(record, &mut line)?;
///         self.lines.lock().unwrap().push(line);
///         Ok(())
///     }
/// }
/// ```
pub trait Handler: Send + Sync + 'static {
    /// The shared state: level, filters, formatter and name.
    fn core(&self) -> &HandlerCore;

    /// Writes one record. Called only for records that passed the level and the filters.
    ///
    /// # Errors
    ///
    /// Any failure; it is reported on stderr with the record, and logging goes on.
    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError>;

    /// Flushes buffered output.
    ///
    /// # Errors
    ///
    /// An I/O error.
    fn flush(&self) -> Result<(), HandlerError> {
        Ok(())
    }

    /// Flushes and releases resources. A closed handler may reopen on its next record
    /// (as CPython's `FileHandler` in append mode does) or drop it.
    ///
    /// # Errors
    ///
    /// An I/O error.
    fn close(&self) -> Result<(), HandlerError> {
        self.flush()
    }

    /// A queue's listener is about to hand this handler several records (a batch): a handler
    /// that writes to a file or a stream may gather them and write them together in
    /// [`end_batch`](Self::end_batch). By default nothing changes.
    fn begin_batch(&self) {}

    /// The batch begun by [`begin_batch`](Self::begin_batch) is over: write what it
    /// gathered.
    ///
    /// # Errors
    ///
    /// An I/O error; the batch's records are then reported lost.
    fn end_batch(&self) -> Result<(), HandlerError> {
        Ok(())
    }

    /// Writes what a buffered handler holds if its oldest record has waited as long as the
    /// handler allows (see [`Buffering`]); called by logkit's flushing thread.
    ///
    /// # Errors
    ///
    /// An I/O error.
    fn flush_if_due(&self, now: std::time::Instant) -> Result<(), HandlerError> {
        let _ = now;
        Ok(())
    }

    /// Where the handler sends records, as CPython's handler reprs name it: `<stderr>`, a
    /// file's absolute path (`baseFilename`), a syslog address, a URL, a mail host; `None`
    /// for a writer or a handler that keeps records.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{Handler, StreamHandler};
    ///
    /// assert_eq!(StreamHandler::stderr().destination().as_deref(), Some("<stderr>"));
    /// ```
    fn destination(&self) -> Option<String> {
        None
    }

    /// The handler's kind, for error reports (its type name by default).
    fn kind(&self) -> &'static str {
        let full = std::any::type_name::<Self>();
        full.rsplit("::").next().unwrap_or(full)
    }

    /// The queue handler this handler is, if it is one. A macro call whose logger's only
    /// handler is a queue is queued without building a [`Record`] first; only
    /// [`QueueHandler`] returns `Some`.
    #[doc(hidden)]
    fn as_queue_handler(&self) -> Option<&QueueHandler> {
        None
    }

    /// The level below which records are ignored.
    fn level(&self) -> Level {
        self.core().level()
    }

    /// Sets the level (Python's `setLevel`).
    fn set_level(&self, level: Level) {
        self.core().set_level(level);
    }

    /// Sets the formatter (Python's `setFormatter`).
    fn set_formatter(&self, formatter: impl IntoFormat)
    where
        Self: Sized,
    {
        self.core().set_formatter(formatter);
    }

    /// The formatter, if one was set (Python's `handler.formatter`; its template is
    /// [`Format::template`]).
    fn formatter(&self) -> Option<FormatRef> {
        self.core().formatter()
    }

    /// Adds a filter (Python's `addFilter`).
    fn add_filter(&self, filter: impl IntoFilter)
    where
        Self: Sized,
    {
        self.core().add_filter(filter);
    }

    /// Removes a filter added as this `Arc` (Python's `removeFilter`).
    fn remove_filter(&self, filter: &FilterRef) {
        self.core().remove_filter(filter);
    }

    /// The filters, in order.
    fn filters(&self) -> Vec<FilterRef> {
        self.core().filters()
    }

    /// Names the handler (used by configuration).
    fn set_name(&self, name: &str) {
        self.core().set_name(Some(name));
    }

    /// The handler's name.
    fn name(&self) -> Option<Arc<str>> {
        self.core().name()
    }

    /// The handler as loggers hold it: in a new `Arc`, or, for an `Arc` already, itself (so
    /// that adding `Arc::clone(&handler)` and removing `&*handler` find the same handler).
    #[doc(hidden)]
    fn into_handler_ref(self) -> HandlerRef
    where
        Self: Sized,
    {
        Arc::new(self)
    }
}

/// A handler behind an `Arc` is the handler it shares: every call goes to it.
macro_rules! shared_handler {
    ($(#[$doc:meta])* impl $($impl:tt)+) => {
        $(#[$doc])*
        impl $($impl)+ {
            fn core(&self) -> &HandlerCore {
                (**self).core()
            }
            fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
                (**self).emit(record)
            }
            fn flush(&self) -> Result<(), HandlerError> {
                (**self).flush()
            }
            fn close(&self) -> Result<(), HandlerError> {
                (**self).close()
            }
            fn begin_batch(&self) {
                (**self).begin_batch();
            }
            fn end_batch(&self) -> Result<(), HandlerError> {
                (**self).end_batch()
            }
            fn flush_if_due(&self, now: std::time::Instant) -> Result<(), HandlerError> {
                (**self).flush_if_due(now)
            }
            fn destination(&self) -> Option<String> {
                (**self).destination()
            }
            fn kind(&self) -> &'static str {
                (**self).kind()
            }
            fn as_queue_handler(&self) -> Option<&QueueHandler> {
                (**self).as_queue_handler()
            }
            fn into_handler_ref(self) -> HandlerRef {
                self
            }
        }
    };
}

shared_handler!(
    /// A handler behind an `Arc` is a handler, so that what a logger's
    /// [`handlers()`](crate::Logger::handlers) returns takes every handler call Python code makes
    /// on `logger.handlers[0]`, `set_formatter` and `add_filter` included.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{root, Formatter, Handler, Level, StreamHandler};
    ///
    /// root().add_handler(StreamHandler::stderr());
    /// let handler = &root().handlers()[0];
    /// handler.set_formatter(Formatter::new("%(levelname)s %(message)s")?);
    /// handler.add_filter(|r: &mut logkit::Record<'_>| r.level() >= Level::ERROR);
    /// assert_eq!(handler.formatter().unwrap().template(), Some("%(levelname)s %(message)s"));
    /// assert_eq!(format!("{:?}", &**handler), "<StreamHandler <stderr> (NOTSET)>");
    /// # Ok::<(), logkit::template::Error>(())
    /// ```
    impl Handler for HandlerRef
);

shared_handler!(
    /// A shared handler of a known type (`Arc<FileHandler>`, kept to reconfigure it later) is a
    /// handler too.
    impl<H: Handler> Handler for Arc<H>
);

/// CPython's handler repr: `<StreamHandler <stderr> (WARNING)>`, `<FileHandler
/// /var/log/app.log (NOTSET)>`.
impl fmt::Debug for dyn Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.destination() {
            Some(d) => write!(f, "<{} {d} ({})>", self.kind(), self.level()),
            None => write!(f, "<{} ({})>", self.kind(), self.level()),
        }
    }
}

/// A shared handler, as attached to loggers.
pub type HandlerRef = Arc<dyn Handler>;

/// Something that can be attached as a handler: any [`Handler`], or an `Arc` of one (keep a
/// clone to reconfigure or remove it later).
pub trait IntoHandler {
    /// The shared handler.
    fn into_handler(self) -> HandlerRef;
}

impl<H: Handler> IntoHandler for H {
    /// The shared handler, remembered from now on for [`shutdown`](fn@crate::shutdown) and
    /// [`handler_by_name`] (CPython's weak list of handlers).
    fn into_handler(self) -> HandlerRef {
        let handler = self.into_handler_ref();
        register(&handler);
        handler
    }
}

/// What every handler has: a level, filters, a formatter and a name.
///
/// Reading them on the logging path takes no lock: the level is an atomic, the rest an
/// immutable snapshot swapped whole when changed.
///
/// # Examples
///
/// ```
/// use logkit::{HandlerCore, Level};
///
/// let core = HandlerCore::new();
/// core.set_level(Level::WARNING);
/// assert_eq!(core.level(), Level::WARNING);
/// ```
pub struct HandlerCore {
    level: AtomicI32,
    has_filters: AtomicBool,
    has_formatter: AtomicBool,
    state: ArcSwap<CoreState>,
    /// Identifies the current `state`; unique across all handlers and versions, so a
    /// per-thread cache can be keyed by it alone (see [`crate::scratch::with_scratch`]).
    generation: AtomicU64,
    seq: u64,
    pub(crate) errors: Mutex<report::Throttle>,
}

/// A handler's filters, formatter and name, swapped whole when one changes.
#[derive(Clone, Default)]
pub(crate) struct CoreState {
    filters: Vec<FilterRef>,
    formatter: Option<FormatRef>,
    name: Option<Arc<str>>,
}

impl CoreState {
    #[inline]
    fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        match &self.formatter {
            Some(f) => f.format(record, out),
            None => MessageOnly.format(record, out),
        }
    }
}

static NEXT_SEQ: AtomicU64 = AtomicU64::new(1);
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

impl Default for HandlerCore {
    fn default() -> Self {
        HandlerCore::new()
    }
}

impl HandlerCore {
    /// A core at level NOTSET with no filters and the default formatter.
    pub fn new() -> Self {
        HandlerCore {
            level: AtomicI32::new(0),
            has_formatter: AtomicBool::new(false),
            has_filters: AtomicBool::new(false),
            state: ArcSwap::from_pointee(CoreState::default()),
            generation: AtomicU64::new(NEXT_GENERATION.fetch_add(1, Ordering::Relaxed)),
            seq: NEXT_SEQ.fetch_add(1, Ordering::Relaxed),
            errors: Mutex::new(report::Throttle::default()),
        }
    }

    /// The level.
    #[inline]
    pub fn level(&self) -> Level {
        Level::new(self.level.load(Ordering::Relaxed))
    }

    /// Sets the level.
    pub fn set_level(&self, level: Level) {
        self.level.store(level.value(), Ordering::Relaxed);
    }

    /// The formatter, if one was set.
    pub fn formatter(&self) -> Option<FormatRef> {
        self.state.load().formatter.clone()
    }

    /// Sets the formatter.
    pub fn set_formatter(&self, formatter: impl IntoFormat) {
        let f = formatter.into_format();
        self.update(|s| s.formatter = Some(f.clone()));
    }

    /// Removes the formatter (records are then printed as `%(message)s`).
    pub fn clear_formatter(&self) {
        self.update(|s| s.formatter = None);
    }

    /// Adds a filter; adding the same `Arc` twice does nothing (Python's `addFilter`).
    pub fn add_filter(&self, filter: impl IntoFilter) {
        let f = filter.into_filter();
        self.update(|s| {
            if !s.filters.iter().any(|x| Arc::ptr_eq(x, &f)) {
                s.filters.push(f.clone());
            }
        });
    }

    /// Removes a filter added as this `Arc`.
    pub fn remove_filter(&self, filter: &FilterRef) {
        self.update(|s| s.filters.retain(|x| !Arc::ptr_eq(x, filter)));
    }

    /// The filters, in order.
    pub fn filters(&self) -> Vec<FilterRef> {
        self.state.load().filters.clone()
    }

    /// The name.
    pub fn name(&self) -> Option<Arc<str>> {
        self.state.load().name.clone()
    }

    /// Sets or clears the name.
    pub fn set_name(&self, name: Option<&str>) {
        let name: Option<Arc<str>> = name.map(Arc::from);
        self.update(|s| s.name = name.clone());
    }

    /// Appends the record formatted with this handler's formatter (Python's `format`).
    ///
    /// # Errors
    ///
    /// When a field cannot be formatted.
    pub fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        self.with_state(|state| match &state.formatter {
            Some(f) => f.format(record, out),
            None => MessageOnly.format(record, out),
        })
    }

    /// Whether a formatter was set (else records are formatted as their message alone).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{Formatter, HandlerCore};
    ///
    /// let core = HandlerCore::new();
    /// assert!(!core.has_formatter());
    /// core.set_formatter(Formatter::new("%(message)s").unwrap());
    /// assert!(core.has_formatter());
    /// ```
    #[inline]
    pub fn has_formatter(&self) -> bool {
        self.has_formatter.load(Ordering::Acquire)
    }

    /// Whether the handler has filters.
    #[inline]
    pub(crate) fn has_filters(&self) -> bool {
        self.has_filters.load(Ordering::Acquire)
    }

    /// Runs the filters; `true` when the record passes.
    #[inline]
    pub fn filter(&self, record: &mut Record<'_>) -> bool {
        if !self.has_filters.load(Ordering::Acquire) {
            return true;
        }
        self.with_state(|state| filter::run(&state.filters, record))
    }

    /// Formats the record into this thread's reusable buffer and passes it to `write`: the
    /// way a handler turns a record into its line without allocating.
    ///
    /// # Errors
    ///
    /// A formatting error, or what `write` returns.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Mutex;
    /// use logkit::{Handler, HandlerCore, HandlerError, Record};
    ///
    /// #[derive(Default)]
    /// struct Lines { core: HandlerCore, lines: Mutex<Vec<String>> }
    ///
    /// impl Handler for Lines {
    ///     fn core(&self) -> &HandlerCore { &self.core }
    ///     fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
    ///         self.core.format_line(record, |line| {
    ///             self.lines.lock().unwrap().push(line.clone());
    ///             Ok(())
    ///         })
    ///     }
    /// }
    /// ```
    #[inline(always)]
    pub fn format_line(
        &self,
        record: &Record<'_>,
        write: impl FnOnce(&mut String) -> Result<(), HandlerError>,
    ) -> Result<(), HandlerError> {
        // The generation is read before the state: a state swapped in meanwhile may be
        // cached under the older generation, which is harmless; never the reverse.
        let generation = self.generation.load(Ordering::Acquire);
        crate::scratch::with_scratch(
            #[inline(always)]
            |scratch| match scratch {
                Some(s) => {
                    let (buf, state) = s.parts(generation, || self.state.load_full());
                    state.format(record, buf)?;
                    write(buf)
                }
                None => self.format_line_unbuffered(record, write),
            },
        )
    }

    /// [`format_line`](Self::format_line) with a fresh buffer, when this thread's is in use
    /// (a formatter or writer that logs) or gone (the thread is exiting).
    #[cold]
    #[inline(never)]
    fn format_line_unbuffered(
        &self,
        record: &Record<'_>,
        write: impl FnOnce(&mut String) -> Result<(), HandlerError>,
    ) -> Result<(), HandlerError> {
        let mut buf = String::new();
        self.state.load().format(record, &mut buf)?;
        write(&mut buf)
    }

    /// Runs `f` with the current state.
    #[inline]
    fn with_state<R>(&self, f: impl FnOnce(&CoreState) -> R) -> R {
        f(&self.state.load())
    }

    /// Creation order, for shutdown (newest first).
    pub(crate) fn seq(&self) -> u64 {
        self.seq
    }

    fn update(&self, f: impl Fn(&mut CoreState)) {
        self.state.rcu(|cur| {
            let mut next = CoreState::clone(cur);
            f(&mut next);
            next
        });
        let state = self.state.load();
        self.has_filters
            .store(!state.filters.is_empty(), Ordering::Release);
        self.has_formatter
            .store(state.formatter.is_some(), Ordering::Release);
        self.generation.store(
            NEXT_GENERATION.fetch_add(1, Ordering::Relaxed),
            Ordering::Release,
        );
    }
}

impl fmt::Debug for HandlerCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.load();
        f.debug_struct("HandlerCore")
            .field("level", &self.level())
            .field("name", &state.name)
            .field("filters", &FilterCount(&state.filters))
            .field("has_formatter", &state.formatter.is_some())
            .finish()
    }
}

/// Why a handler could not write a record.
#[derive(Debug)]
#[non_exhaustive]
pub enum HandlerError {
    /// An I/O error from the destination.
    Io(io::Error),
    /// The record could not be formatted.
    Format(FormatError),
    /// The handler is closed and does not reopen.
    Closed,
    /// Anything else.
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl HandlerError {
    /// A handler error from any error value.
    pub fn other(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        HandlerError::Other(err.into())
    }
}

impl fmt::Display for HandlerError {
    /// Printed as the exception line of an error report: `Type: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandlerError::Io(e) => write!(f, "OSError: {e}"),
            HandlerError::Format(e) => write!(f, "{}: {}", e.kind, e.message),
            HandlerError::Closed => f.write_str("ValueError: I/O operation on closed handler"),
            HandlerError::Other(e) => write!(f, "Error: {e}"),
        }
    }
}

impl std::error::Error for HandlerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HandlerError::Io(e) => Some(e),
            HandlerError::Format(e) => Some(e),
            HandlerError::Closed => None,
            HandlerError::Other(e) => Some(&**e),
        }
    }
}

impl From<io::Error> for HandlerError {
    fn from(e: io::Error) -> Self {
        HandlerError::Io(e)
    }
}

impl From<FormatError> for HandlerError {
    fn from(e: FormatError) -> Self {
        HandlerError::Format(e)
    }
}

/// Runs a handler on a record: its filters, then `emit`, reporting any error or panic.
/// Returns whether the record passed the filters. The handler's level is not checked here
/// (CPython's `Handler.handle`): the caller does that.
pub fn handle(handler: &dyn Handler, record: &mut Record<'_>) -> bool {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if !handler.core().filter(record) {
            return Ok(false);
        }
        handler.emit(record).map(|()| true)
    }));
    match outcome {
        Ok(Ok(passed)) => passed,
        Ok(Err(err)) => {
            report_error(handler, Some(record), &err);
            true
        }
        Err(panic) => {
            report::report_panic(handler, Some(record), &*panic);
            true
        }
    }
}

/// An HTTP response's head read (the `http_response` fuzz target).
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_http_head(head: &[u8]) -> std::io::Result<()> {
    http::fuzz_head(head)
}

/// An SMTP reply line read (the `smtp_reply` fuzz target).
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_smtp_reply_line(line: &str) -> std::io::Result<()> {
    smtp::fuzz_reply_line(line)
}

// === the process-wide list of handlers, for shutdown ===

/// Flushes and closes `handler`, errors ignored, then prints the count of its error reports
/// the rate limit held back, if any.
pub(crate) fn shut_down(handler: &dyn Handler) {
    let _ = handler.flush();
    let _ = handler.close();
    report::report_suppressed(handler, None);
}

static ALL: Mutex<Vec<Weak<dyn Handler>>> = Mutex::new(Vec::new());

/// Remembers a handler for [`shutdown`](fn@crate::shutdown) and [`handler_by_name`] (once per
/// handler): every handler logkit is given is.
pub(crate) fn register(handler: &HandlerRef) {
    let mut all = ALL.lock().unwrap_or_else(PoisonError::into_inner);
    all.retain(|w| w.strong_count() > 0);
    if !all
        .iter()
        .any(|w| std::ptr::addr_eq(w.as_ptr(), Arc::as_ptr(handler)))
    {
        all.push(Arc::downgrade(handler));
    }
    drop(all);
    crate::shutdown::install_exit_hook();
}

/// The newest live handler named `name` that logkit holds (attached to a logger, given to a
/// queue or memory handler, or made by configuration), as Python 3.12's
/// `logging.getHandlerByName`.
///
/// # Examples
///
/// ```
/// use logkit::{get_logger, handler_by_name, Handler, StreamHandler};
///
/// let console = StreamHandler::stderr();
/// console.set_name("console");
/// get_logger("by.name").add_handler(console);
/// assert_eq!(handler_by_name("console").unwrap().kind(), "StreamHandler");
/// assert!(handler_by_name("nowhere").is_none());
/// ```
pub fn handler_by_name(name: &str) -> Option<HandlerRef> {
    registered_newest_first()
        .into_iter()
        .find(|h| h.name().is_some_and(|n| &*n == name))
}

/// The names of the live handlers logkit holds, sorted and each once (Python 3.12's
/// `logging.getHandlerNames`, a set).
///
/// # Examples
///
/// ```
/// use logkit::{get_logger, handler_names, Handler, NullHandler};
///
/// let quiet = NullHandler::new();
/// quiet.set_name("quiet");
/// get_logger("names").add_handler(quiet);
/// assert!(handler_names().iter().any(|n| &**n == "quiet"));
/// ```
pub fn handler_names() -> Vec<Arc<str>> {
    let mut names: Vec<Arc<str>> = registered_newest_first()
        .iter()
        .filter_map(Handler::name)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Every live registered handler, into `out` (which keeps its capacity from call to call).
pub(crate) fn registered_into(out: &mut Vec<HandlerRef>) {
    let all = ALL.lock().unwrap_or_else(PoisonError::into_inner);
    out.extend(all.iter().filter_map(Weak::upgrade));
}

/// Every live registered handler, newest first.
pub(crate) fn registered_newest_first() -> Vec<HandlerRef> {
    let all = ALL.lock().unwrap_or_else(PoisonError::into_inner);
    let mut live: Vec<HandlerRef> = all.iter().filter_map(Weak::upgrade).collect();
    drop(all);
    live.sort_by_key(|h| std::cmp::Reverse(h.core().seq()));
    live
}
