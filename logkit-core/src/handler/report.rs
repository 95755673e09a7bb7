//! Reporting a handler's failure on stderr (CPython's `Handler.handleError`).
//!
//! The report has CPython's shape — `--- Logging error ---`, the error, the call site, the
//! message and its arguments — and is written with one `write` to stderr. Reports are
//! rate-limited per handler (a dead disk must not flood stderr): at most
//! [`BURST`] per second, then a count of those not shown.

use std::any::Any;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::PoisonError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{Handler, HandlerError};
use crate::record::Record;

static RAISE_EXCEPTIONS: AtomicBool = AtomicBool::new(true);

/// Reports per handler per second before the rest are only counted.
const BURST: u32 = 10;

/// Whether handler errors are reported on stderr (Python's `logging.raiseExceptions`, true by
/// default).
///
/// # Examples
///
/// ```
/// assert!(logkit::raise_exceptions());
/// ```
pub fn raise_exceptions() -> bool {
    RAISE_EXCEPTIONS.load(Ordering::Relaxed)
}

/// Turns error reports on or off. Off, a failing handler drops the record silently, as
/// production Python code sets `logging.raiseExceptions = False`.
///
/// # Examples
///
/// ```
/// logkit::set_raise_exceptions(false);
/// # logkit::set_raise_exceptions(true);
/// ```
pub fn set_raise_exceptions(on: bool) {
    RAISE_EXCEPTIONS.store(on, Ordering::Relaxed);
}

/// Per-handler rate limit of reports.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    window_start: Option<Instant>,
    shown: u32,
    suppressed: u64,
}

impl Throttle {
    /// Whether to show a report now, and how many were suppressed before it.
    fn admit(&mut self, now: Instant) -> Option<u64> {
        let fresh = self
            .window_start
            .is_none_or(|s| now.duration_since(s) >= Duration::from_secs(1));
        if fresh {
            self.window_start = Some(now);
            self.shown = 0;
        }
        if self.shown >= BURST {
            self.suppressed += 1;
            return None;
        }
        self.shown += 1;
        Some(std::mem::take(&mut self.suppressed))
    }
}

/// Reports a handler's failure on stderr, as CPython's `handleError` does.
///
/// # Examples
///
/// ```
/// use logkit::{report_error, HandlerError, NullHandler};
///
/// let err = HandlerError::other("disk on fire");
/// report_error(&NullHandler::new(), None, &err); // prints a `--- Logging error ---` block
/// ```
pub fn report_error(handler: &dyn Handler, record: Option<&Record<'_>>, err: &HandlerError) {
    if !raise_exceptions() {
        return;
    }
    let suppressed = {
        let mut t = handler
            .core()
            .errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match t.admit(Instant::now()) {
            Some(n) => n,
            None => return,
        }
    };
    let mut text = String::from("--- Logging error ---\n");
    if suppressed > 0 {
        let _ = writeln!(
            text,
            "({suppressed} earlier logging errors from this handler were not shown)"
        );
    }
    let _ = writeln!(text, "{err}");
    // The first source of a handler error is the wrapped error itself, already printed.
    let mut source = std::error::Error::source(err).and_then(std::error::Error::source);
    while let Some(s) = source {
        let _ = writeln!(text, "Caused by: {s}");
        source = s.source();
    }
    let _ = write!(text, "Handler: {}", handler.kind());
    if let Some(name) = handler.name() {
        let _ = write!(text, " '{name}'");
    }
    text.push('\n');
    match record {
        Some(r) => {
            let loc = r.location();
            let _ = writeln!(text, "Logger: '{}'", r.name());
            let _ = writeln!(
                text,
                "Call stack:\n  File \"{}\", line {}, in {}",
                loc.file,
                loc.line,
                loc.func_name()
            );
            // `record.msg` and `record.args`, as a filter may have replaced them.
            text.push_str("Message: ");
            match r.field("msg").filter(|_| r.has_set_fields()) {
                Some(msg) => msg.write_repr(&mut text),
                None => crate::pyfmt::str_repr(&mut text, r.message().template(), false),
            }
            text.push_str("\nArguments: ");
            match r.field("args").filter(|_| r.has_set_fields()) {
                Some(args) => args.write_str(&mut text),
                None => r.message().write_args_repr(&mut text),
            }
            text.push('\n');
        }
        None => text.push_str("(no record)\n"),
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The message of a caught panic.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    let msg = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_owned());
    format!("handler panicked: {msg}")
}
