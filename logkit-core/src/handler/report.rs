//! Reporting a handler's failure on stderr (CPython's `Handler.handleError`).
//!
//! The report has CPython's shape — `--- Logging error ---`, the error, the call site, the
//! message and its arguments — and is written with one `write` to stderr. Reports are
//! rate-limited per handler (a dead disk must not flood stderr): at most
//! [`BURST`] per second, then a count of those not shown, printed with the next report, by
//! the housekeeping thread once the second is over, and at shutdown and exit — whichever
//! comes first, so no failure goes uncounted.
//!
//! A report never runs again the user code that failed: after a panic or a `Display` that
//! returned `fmt::Error`, the record's arguments are not printed (that would call the same
//! `Display`); otherwise they are printed with a panic caught.

use std::any::Any;
use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
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

    /// The count of reports not shown, taken (to be printed now) when their second is over
    /// at `now`, or at once with `now` `None` (shutdown).
    fn take_suppressed(&mut self, now: Option<Instant>) -> u64 {
        let over = match (now, self.window_start) {
            (None, _) => true,
            (Some(now), Some(start)) => now.duration_since(start) >= Duration::from_secs(1),
            (Some(_), None) => false,
        };
        if over {
            std::mem::take(&mut self.suppressed)
        } else {
            0
        }
    }
}

/// Prints the count of `handler`'s reports that were not shown, if any: at once with `now`
/// `None` (shutdown, exit), else only once the second they were held back in is over.
pub(crate) fn report_suppressed(handler: &dyn Handler, now: Option<Instant>) {
    let suppressed = handler
        .core()
        .errors
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take_suppressed(now);
    if suppressed == 0 || !raise_exceptions() {
        return;
    }
    let mut text = String::from("--- Logging error ---\n");
    let _ = writeln!(
        text,
        "({suppressed} later logging errors from this handler were not shown)"
    );
    write_handler_line(&mut text, handler);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Whether a handler held back reports still to be counted (which keeps the housekeeping
/// thread looking at it).
pub(crate) fn has_suppressed(handler: &dyn Handler) -> bool {
    handler
        .core()
        .errors
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .suppressed
        > 0
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
    let user_code_failed =
        matches!(err, HandlerError::Format(e) if e.kind == crate::pyfmt::ConvErrorKind::FmtError);
    report(handler, record, err, !user_code_failed);
}

/// Reports a panic caught while `handler` handled `record`: the record's arguments are not
/// printed, as formatting them may be what panicked.
pub(crate) fn report_panic(
    handler: &dyn Handler,
    record: Option<&Record<'_>>,
    panic: &(dyn Any + Send),
) {
    report(
        handler,
        record,
        &HandlerError::other(panic_message(panic)),
        false,
    );
}

fn report(
    handler: &dyn Handler,
    record: Option<&Record<'_>>,
    err: &HandlerError,
    show_arguments: bool,
) {
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
            None => {
                drop(t);
                super::flusher::watch_reports();
                return;
            }
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
    write_handler_line(&mut text, handler);
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
            write_arguments(&mut text, r, show_arguments);
            text.push('\n');
        }
        None => text.push_str("(no record)\n"),
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `Handler: Kind 'name'` and a newline.
fn write_handler_line(text: &mut String, handler: &dyn Handler) {
    let _ = write!(text, "Handler: {}", handler.kind());
    if let Some(name) = handler.name() {
        let _ = write!(text, " '{name}'");
    }
    text.push('\n');
}

/// `record.args` as CPython's report prints them, unless `show` is false (formatting them
/// failed) or printing them panics.
fn write_arguments(text: &mut String, record: &Record<'_>, show: bool) {
    const NOT_SHOWN: &str = "(not shown: formatting the record's arguments failed)";
    if !show {
        text.push_str(NOT_SHOWN);
        return;
    }
    let mut args = String::new();
    let printed = catch_unwind(AssertUnwindSafe(|| {
        match record.field("args").filter(|_| record.has_set_fields()) {
            Some(args_field) => args_field.write_str(&mut args),
            None => record.message().write_args_repr(&mut args),
        }
    }));
    match printed {
        Ok(()) => text.push_str(&args),
        Err(_) => text.push_str(NOT_SHOWN),
    }
}

/// The message of a caught panic.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    format!("handler panicked: {}", panic_text(panic))
}

/// The text a panic was raised with.
pub(crate) fn panic_text(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_owned())
}
