//! `LoggerAdapter`: a logger handle that adds the same context fields to every record
//! (Python's `logging.LoggerAdapter` with its `extra`).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use super::{Event, Logger};
use crate::error::{Error, ErrorKind};
use crate::level::Level;
use crate::template::Attr;
use crate::value::Value;

/// A [`Logger`] with context fields — a request id, a user — that every record logged
/// through it carries, for templates (`%(request_id)s`) and structured handlers.
///
/// The logging macros take it where they take a logger: `info!(adapter, "…")`. Fields given
/// at the call (`; user = name`) win over the adapter's of the same name (CPython 3.13's
/// `merge_extra=True`). Cloning is cheap: the fields are shared.
///
/// # Examples
///
/// ```
/// use logkit::{get_logger, Capture, Formatter, Handler, Level, StreamHandler, Value};
///
/// let out = Capture::new();
/// let handler = StreamHandler::new(out.clone());
/// handler.set_formatter(Formatter::new("%(request_id)s %(message)s")?);
/// let logger = get_logger("adapter.doc");
/// logger.add_handler(handler);
///
/// let request = logger.adapter([("request_id", Value::from("r-42"))])?;
/// request.log(Level::WARNING, "slow query", &[]);
/// assert_eq!(out.contents(), "r-42 slow query\n");
///
/// // Record attributes cannot be replaced, as in CPython.
/// assert!(logger.adapter([("levelname", Value::from("x"))]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct LoggerAdapter {
    logger: Logger,
    context: Arc<[(Cow<'static, str>, Value<'static>)]>,
    process: Option<Arc<AdapterProcess>>,
}

/// What a [`LoggerAdapter`] does to each message (CPython's overridable
/// `LoggerAdapter.process`): given the message template and the adapter's fields, the
/// template to log instead, merged with the call's arguments.
pub type AdapterProcess =
    dyn Fn(&str, &[(Cow<'static, str>, Value<'static>)]) -> String + Send + Sync;

/// The error for a field named like a record attribute, in CPython's words.
pub(crate) fn check_field_name(name: &str) -> Result<(), Error> {
    if Attr::from_name(name).is_some() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "a field cannot replace a record attribute (choose another name): Attempt to \
                 overwrite '{name}' in LogRecord"
            ),
        ));
    }
    Ok(())
}

/// Replaces `record`'s message template with what `process` makes of `template`, as a
/// filter's `record.msg = ...` does (merged with the record's arguments by CPython's rules).
#[doc(hidden)]
pub fn apply_process(
    process: &AdapterProcess,
    template: &str,
    fields: &[(Cow<'static, str>, Value<'static>)],
    record: &mut crate::record::Record<'_>,
) {
    let processed = process(template, fields);
    if processed != template {
        record.set_field("msg", Value::from(processed));
    }
}

impl Logger {
    /// An adapter that adds `fields` to every record logged through it.
    ///
    /// # Errors
    ///
    /// A field named like a record attribute (`name`, `levelname`, `message`, …).
    pub fn adapter<K, I>(&self, fields: I) -> Result<LoggerAdapter, Error>
    where
        K: Into<Cow<'static, str>>,
        I: IntoIterator<Item = (K, Value<'static>)>,
    {
        LoggerAdapter::new(*self, fields)
    }
}

impl LoggerAdapter {
    /// An adapter for `logger` with `fields`.
    ///
    /// # Errors
    ///
    /// A field named like a record attribute.
    pub fn new<K, I>(logger: Logger, fields: I) -> Result<Self, Error>
    where
        K: Into<Cow<'static, str>>,
        I: IntoIterator<Item = (K, Value<'static>)>,
    {
        let mut context: Vec<(Cow<'static, str>, Value<'static>)> = Vec::new();
        for (k, v) in fields {
            let k = k.into();
            check_field_name(&k)?;
            match context.iter_mut().find(|(n, _)| *n == k) {
                Some(slot) => slot.1 = v,
                None => context.push((k, v)),
            }
        }
        Ok(LoggerAdapter {
            logger,
            context: context.into(),
            process: None,
        })
    }

    /// This adapter with `process` applied to each message (CPython's `process(msg,
    /// kwargs)` of a `LoggerAdapter` subclass): it returns the template to log, from the
    /// template given and the adapter's fields. Macro calls and [`log`](Self::log) alike go
    /// through it.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{get_logger, Capture, StreamHandler, Value};
    ///
    /// let out = Capture::new();
    /// let logger = get_logger("adapter.process");
    /// logger.add_handler(StreamHandler::new(out.clone()));
    /// let conn = logger
    ///     .adapter([("connid", Value::from(42))])?
    ///     .with_process(|msg, fields| {
    ///         let id = fields.iter().find(|(k, _)| k == "connid").map(|(_, v)| v.to_string());
    ///         format!("[{}] {msg}", id.unwrap_or_default())
    ///     });
    /// logkit::warning!(conn, "closed after %d s", 3);
    /// assert_eq!(out.lines(), ["[42] closed after 3 s"]);
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[must_use]
    pub fn with_process(
        mut self,
        process: impl Fn(&str, &[(Cow<'static, str>, Value<'static>)]) -> String + Send + Sync + 'static,
    ) -> Self {
        self.process = Some(Arc::new(process));
        self
    }

    /// The adapter's `process`, if it has one.
    pub fn process(&self) -> Option<&AdapterProcess> {
        self.process.as_deref()
    }

    /// A new adapter with one more field (or a field replaced).
    ///
    /// # Errors
    ///
    /// A field named like a record attribute.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{get_logger, Value};
    /// let base = get_logger("adapter.with").adapter([("service", Value::from("api"))])?;
    /// let request = base.with("request_id", Value::from(7))?;
    /// assert_eq!(request.context().len(), 2);
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn with(
        &self,
        name: impl Into<Cow<'static, str>>,
        value: Value<'static>,
    ) -> Result<Self, Error> {
        let fields = self
            .context
            .iter()
            .cloned()
            .chain(std::iter::once((name.into(), value)));
        let mut adapter = LoggerAdapter::new(self.logger, fields)?;
        adapter.process.clone_from(&self.process);
        Ok(adapter)
    }

    /// The logger records go to.
    pub fn logger(&self) -> Logger {
        self.logger
    }

    /// The context fields.
    pub fn context(&self) -> &[(Cow<'static, str>, Value<'static>)] {
        &self.context
    }

    /// Whether a record at `level` would be created (the logger's check).
    pub fn is_enabled_for(&self, level: Level) -> bool {
        self.logger.is_enabled_for(level)
    }

    /// Logs `message` with `args` (as [`Logger::log`]) and the context fields.
    #[track_caller]
    pub fn log(&self, level: Level, message: &str, args: &[Value<'_>]) {
        self.event(level, message).args(args).emit();
    }

    /// A record to build with more parts (as [`Logger::event`]), carrying the context.
    #[track_caller]
    pub fn event<'a>(&'a self, level: Level, message: &'a str) -> Event<'a> {
        self.logger
            .event(level, message)
            .context(&self.context)
            .process(self.process.as_deref())
    }
}

impl fmt::Debug for LoggerAdapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<(&str, String)> = self
            .context
            .iter()
            .map(|(k, v)| (&**k, v.to_string()))
            .collect();
        f.debug_struct("LoggerAdapter")
            .field("logger", &self.logger.name())
            .field("context", &fields)
            .finish()
    }
}
