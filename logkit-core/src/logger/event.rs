//! A logging call with more than a message, built step by step (Python's keyword arguments
//! `exc_info=`, `stack_info=`, `extra=`).

use std::backtrace::Backtrace;
use std::borrow::Cow;
use std::io::Write;

use super::Logger;
use super::adapter::check_field_name;
use crate::error::Error;
use crate::level::Level;
use crate::message::Message;
use crate::record::{ExcInfo, Location, Record};
use crate::value::Value;

/// A logging call being built; see [`Logger::event`]. Nothing happens until [`emit`].
///
/// [`emit`]: Event::emit
#[derive(Debug)]
#[must_use = "an event is logged only by `emit()`"]
pub struct Event<'a> {
    logger: Logger,
    level: Level,
    message: &'a str,
    args: &'a [Value<'a>],
    fields: &'a [(&'a str, Value<'a>)],
    context: &'a [(Cow<'static, str>, Value<'static>)],
    process: Option<ProcessRef<'a>>,
    exc: Option<ExcInfo<'a>>,
    stack_info: bool,
    location: Location<'a>,
}

/// A [`LoggerAdapter`](crate::LoggerAdapter)'s `process`, shown by `Debug` as its presence.
#[derive(Clone, Copy)]
struct ProcessRef<'a>(&'a super::adapter::AdapterProcess);

impl std::fmt::Debug for ProcessRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("process")
    }
}

impl<'a> Event<'a> {
    pub(super) fn new(
        logger: Logger,
        level: Level,
        message: &'a str,
        location: Location<'a>,
    ) -> Self {
        Event {
            logger,
            level,
            message,
            args: &[],
            fields: &[],
            context: &[],
            process: None,
            exc: None,
            stack_info: false,
            location,
        }
    }

    /// The message's arguments, merged with Python's `%` rules.
    pub fn args(mut self, args: &'a [Value<'a>]) -> Self {
        self.args = args;
        self
    }

    /// User fields (Python's `extra=`), available to templates as `%(name)s`. A field named
    /// like a record attribute (`levelname`, `message`, …) is an error: see [`Event::emit`].
    pub fn fields(mut self, fields: &'a [(&'a str, Value<'a>)]) -> Self {
        self.fields = fields;
        self
    }

    /// A [`LoggerAdapter`](crate::LoggerAdapter)'s context fields.
    pub(crate) fn context(mut self, context: &'a [(Cow<'static, str>, Value<'static>)]) -> Self {
        self.context = context;
        self
    }

    /// A [`LoggerAdapter`](crate::LoggerAdapter)'s `process`.
    pub(crate) fn process(mut self, process: Option<&'a super::adapter::AdapterProcess>) -> Self {
        self.process = process.map(ProcessRef);
        self
    }

    /// An error whose text (with its `source()` chain) follows the message (Python's
    /// `exc_info=`).
    pub fn error<E: std::error::Error + 'a>(mut self, err: &'a E) -> Self {
        self.exc = Some(ExcInfo::new(err));
        self
    }

    /// An error given as `dyn Error`.
    pub fn error_dyn(mut self, err: &'a (dyn std::error::Error + 'a)) -> Self {
        self.exc = Some(ExcInfo::from_dyn(err));
        self
    }

    /// The error as prepared [`ExcInfo`] (with a backtrace, say).
    pub fn exc_info(mut self, exc: ExcInfo<'a>) -> Self {
        self.exc = Some(exc);
        self
    }

    /// Appends the call's stack (Python's `stack_info=True`).
    pub fn stack_info(mut self, on: bool) -> Self {
        self.stack_info = on;
        self
    }

    /// The source location to report instead of the caller's.
    pub fn location(mut self, location: Location<'a>) -> Self {
        self.location = location;
        self
    }

    /// Logs the event if the logger is enabled for its level.
    ///
    /// A field named like a record attribute is not logged: CPython raises
    /// `KeyError: "Attempt to overwrite 'name' in LogRecord"` to the caller; `emit` reports
    /// it on stderr (unless [`set_raise_exceptions(false)`](crate::set_raise_exceptions))
    /// and [`Event::try_emit`] returns it.
    pub fn emit(self) {
        let logger = self.logger;
        if let Err(e) = self.try_emit() {
            if crate::handler::raise_exceptions() {
                let text = format!("--- Logging error ---\n{e}\nLogger: '{}'\n", logger.name());
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
            }
        }
    }

    /// Logs the event if the logger is enabled for its level, or says why it cannot.
    ///
    /// # Errors
    ///
    /// A field named like a record attribute (checked only for enabled records, as CPython
    /// does).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{get_logger, Level, Value};
    ///
    /// let logger = get_logger("event.try_emit");
    /// let fields = [("name", Value::from("x"))];
    /// let err = logger.event(Level::ERROR, "m").fields(&fields).try_emit().unwrap_err();
    /// // CPython's text ends the message, after what logkit adds.
    /// assert!(err.to_string().ends_with("Attempt to overwrite 'name' in LogRecord"));
    /// ```
    pub fn try_emit(self) -> Result<(), Error> {
        if !self.logger.is_enabled_for(self.level) {
            return Ok(());
        }
        for (name, _) in self.fields {
            check_field_name(name)?;
        }
        let mut record = Record::new(
            self.logger.name(),
            self.level,
            Message::dynamic(self.message, self.args),
            self.location,
        )
        .with_fields(self.fields)
        .with_context(self.context);
        if let Some(e) = self.exc {
            record = record.with_exc_info(e);
        }
        if self.stack_info {
            record = record.with_stack_info(stack_text());
        }
        if let Some(ProcessRef(process)) = self.process {
            super::adapter::apply_process(process, self.message, self.context, &mut record);
        }
        self.logger.handle(&mut record);
        Ok(())
    }
}

/// The current stack, as `stack_info` text (`Stack (most recent call first):` and a Rust
/// backtrace). What the macros' `stack_info = true` attaches.
#[doc(hidden)]
pub fn stack_text() -> String {
    let stack = crate::record::caller_stack(&Backtrace::force_capture());
    format!("Stack (most recent call first):\n{stack}")
}
