//! [`OwnedRecord`]: a copy of a record that outlives the call, to be handled later or on
//! another thread (by a [`QueueHandler`](super::QueueHandler)'s listener, or when a
//! [`MemoryHandler`](super::MemoryHandler) flushes).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use crate::format::FormatError;
use crate::level::Level;
use crate::message::Message;
use crate::record::{Location, Record, ThreadInfo, Timestamp};
use crate::value::Value;

/// A record copied out of its call: what a formatter can ask for — the logger's name, the
/// level, the merged message, the source location, the creation time, the thread, the user
/// fields, and the exception and stack text — in one buffer.
///
/// A [`Record`] borrows the call site's message and arguments; an `OwnedRecord` merges the
/// message when it is made and can be kept, sent to another thread, and handled later.
///
/// # Examples
///
/// ```
/// use logkit_core::{Level, Location, Message, OwnedRecord, Record, Value};
///
/// let args = [Value::from("alice")];
/// let record = Record::new(
///     "app",
///     Level::INFO,
///     Message::dynamic("user %s logged in", &args),
///     Location::new(file!(), line!(), module_path!()),
/// );
/// let owned = OwnedRecord::capture(&record)?;
/// drop(record);
/// let message = owned.with_record(|r| r.message_string())?;
/// assert_eq!(message, "user alice logged in");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct OwnedRecord {
    text: String,
    name: Range<u32>,
    message: Range<u32>,
    file: Range<u32>,
    module_path: Range<u32>,
    function: Range<u32>,
    exc_text: Option<Range<u32>>,
    stack_info: Option<Range<u32>>,
    level: Level,
    line: u32,
    created: Timestamp,
    thread: Arc<ThreadInfo>,
    fields: Vec<(Cow<'static, str>, Value<'static>)>,
}

/// How the message of a prepared record is made.
pub(crate) enum MessageText<'f> {
    /// Merged from the record, with its exception and stack text kept apart (as
    /// `MemoryHandler` keeps a record).
    Merged,
    /// Written by `format` (the whole formatted record, exception text included, as
    /// CPython's `QueueHandler.prepare` makes it); no exception or stack text is kept.
    Formatted(&'f dyn Fn(&Record<'_>, &mut String) -> Result<(), super::HandlerError>),
}

impl OwnedRecord {
    /// Copies `record`, merging its message.
    ///
    /// # Errors
    ///
    /// The message does not match its arguments (CPython's `TypeError`/`ValueError`).
    pub fn capture(record: &Record<'_>) -> Result<Self, FormatError> {
        Self::capture_with(record, &MessageText::Merged).map_err(|e| match e {
            super::HandlerError::Format(f) => f,
            other => FormatError::new(crate::pyfmt::ConvErrorKind::ValueError, other.to_string()),
        })
    }

    /// Copies what `record` holds, making the message as `how` says.
    pub(crate) fn capture_with(
        record: &Record<'_>,
        how: &MessageText<'_>,
    ) -> Result<Self, super::HandlerError> {
        let loc = record.location();
        let mut text = String::with_capacity(
            record.name().len() + 64 + loc.file.len() + loc.module_path.len(),
        );
        let name = push(&mut text, record.name());
        let start = offset(&text);
        let (message, exc_text, stack_info) = match how {
            MessageText::Merged => {
                record.write_message(&mut text)?;
                let message = start..offset(&text);
                let exc = record.exc_text().map(|t| push(&mut text, t));
                let stack = record.stack_info().map(|t| push(&mut text, t));
                (message, exc, stack)
            }
            MessageText::Formatted(format) => {
                format(record, &mut text)?;
                (start..offset(&text), None, None)
            }
        };
        Ok(Self::finish(
            text, name, message, record, exc_text, stack_info,
        ))
    }

    fn finish(
        mut text: String,
        name: Range<u32>,
        message: Range<u32>,
        record: &Record<'_>,
        exc_text: Option<Range<u32>>,
        stack_info: Option<Range<u32>>,
    ) -> Self {
        let loc = record.location();
        let file = push(&mut text, loc.file);
        let module_path = push(&mut text, loc.module_path);
        let function = push(&mut text, loc.function);
        let fields = record
            .fields()
            .map(|(k, v)| (Cow::Owned(k.to_owned()), v.to_owned_value()))
            .collect();
        OwnedRecord {
            text,
            name,
            message,
            file,
            module_path,
            function,
            exc_text,
            stack_info,
            level: record.level(),
            line: loc.line,
            created: record.created(),
            thread: record.thread_info(),
            fields,
        }
    }

    /// A record made on the listener's thread, logger `name`, with a fixed message (used
    /// for reports such as dropped-record counts).
    pub(crate) fn internal(name: &str, level: Level, message: &str) -> Self {
        let mut text = String::new();
        let name = push(&mut text, name);
        let message = push(&mut text, message);
        let empty = offset(&text)..offset(&text);
        OwnedRecord {
            text,
            name,
            message,
            file: empty.clone(),
            module_path: empty.clone(),
            function: empty,
            exc_text: None,
            stack_info: None,
            level,
            line: 0,
            created: Timestamp::now(),
            thread: ThreadInfo::current(),
            fields: Vec::new(),
        }
    }

    /// The level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The logger's name.
    pub fn name(&self) -> &str {
        &self.text[self.name.start as usize..self.name.end as usize]
    }

    /// Calls `f` with a record equal to the one captured (its message already merged).
    pub fn with_record<R>(&self, f: impl FnOnce(&mut Record<'_>) -> R) -> R {
        let get = |r: &Range<u32>| &self.text[r.start as usize..r.end as usize];
        let location = Location::new(get(&self.file), self.line, get(&self.module_path))
            .with_function(get(&self.function));
        let mut record = Record::new(
            get(&self.name),
            self.level,
            Message::text(get(&self.message)),
            location,
        )
        .with_created(self.created)
        .with_thread(Arc::clone(&self.thread))
        .with_context(&self.fields);
        if let Some(r) = &self.exc_text {
            record = record.with_exc_text(get(r));
        }
        if let Some(r) = &self.stack_info {
            record = record.with_stack_info(get(r));
        }
        f(&mut record)
    }
}

impl std::fmt::Debug for OwnedRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let get = |r: &Range<u32>| &self.text[r.start as usize..r.end as usize];
        f.debug_struct("OwnedRecord")
            .field("name", &get(&self.name))
            .field("level", &self.level)
            .field("message", &get(&self.message))
            .field("created", &self.created)
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

fn push(text: &mut String, part: &str) -> Range<u32> {
    let start = offset(text);
    text.push_str(part);
    start..offset(text)
}
