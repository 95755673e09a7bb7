//! A logging call with more than a message, built step by step (Python's keyword arguments
//! `exc_info=`, `stack_info=`, `extra=`).

use std::backtrace::Backtrace;

use super::Logger;
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
    exc: Option<ExcInfo<'a>>,
    stack_info: bool,
    location: Location<'a>,
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

    /// User fields (Python's `extra=`), available to templates as `%(name)s`.
    pub fn fields(mut self, fields: &'a [(&'a str, Value<'a>)]) -> Self {
        self.fields = fields;
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
    pub fn emit(self) {
        if !self.logger.is_enabled_for(self.level) {
            return;
        }
        let mut record = Record::new(
            self.logger.name(),
            self.level,
            Message::dynamic(self.message, self.args),
            self.location,
        )
        .with_fields(self.fields);
        if let Some(e) = self.exc {
            record = record.with_exc_info(e);
        }
        if self.stack_info {
            record = record.with_stack_info(stack_text());
        }
        self.logger.handle(&mut record);
    }
}

/// The current stack, as `stack_info` text.
pub(crate) fn stack_text() -> String {
    let bt = Backtrace::force_capture();
    let mut s = format!("Stack (most recent call first):\n{bt}");
    while s.ends_with('\n') {
        s.pop();
    }
    s
}
