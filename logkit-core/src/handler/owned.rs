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
/// use logkit::{Level, Location, Message, OwnedRecord, Record, Value};
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
    /// The name, message, exception text and location, one after another.
    text: Box<str>,
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
    thread: Thread,
    fields: Vec<(Cow<'static, str>, Value<'static>)>,
    /// Whether a queue handler prepared it (its `args` are then `None`, as in CPython).
    prepared: bool,
}

/// The thread a record was made on: shared, or (for a queue's listener, which keeps the
/// threads it has been told of) only its id.
#[derive(Debug)]
pub(crate) enum Thread {
    Shared(Arc<ThreadInfo>),
    Id(u64),
}

impl Thread {
    /// The calling thread, captured as `capture` says.
    #[inline]
    pub(crate) fn current(capture: ThreadCapture) -> Thread {
        match capture {
            ThreadCapture::Shared => ThreadInfo::with_current(|t| Thread::Shared(Arc::clone(t))),
            ThreadCapture::IdOnly => Thread::Id(ThreadInfo::current_id()),
        }
    }
}

/// Whether a capture takes the thread (a reference count shared with the thread that
/// logged) or only its id.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThreadCapture {
    Shared,
    IdOnly,
}

/// The largest assembly buffer a thread keeps between records.
const KEPT_ASSEMBLY_CAPACITY: usize = 64 * 1024;

thread_local! {
    /// Where a record's text is assembled before it is copied into the record.
    static ASSEMBLY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
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
    /// Whether the record carries its thread's info, not only the thread's id.
    pub(crate) fn carries_thread_info(&self) -> bool {
        matches!(self.thread, Thread::Shared(_))
    }

    /// Copies `record`, merging its message.
    ///
    /// # Errors
    ///
    /// The message does not match its arguments (CPython's `TypeError`/`ValueError`).
    pub fn capture(record: &Record<'_>) -> Result<Self, FormatError> {
        Self::capture_with(record, &MessageText::Merged, ThreadCapture::Shared).map_err(|e| match e
        {
            super::HandlerError::Format(f) => f,
            other => FormatError::new(crate::pyfmt::ConvErrorKind::ValueError, other.to_string()),
        })
    }

    /// Copies what `record` holds, making the message as `how` says.
    pub(crate) fn capture_with(
        record: &Record<'_>,
        how: &MessageText<'_>,
        thread: ThreadCapture,
    ) -> Result<Self, super::HandlerError> {
        let assemble = |text: &mut String| -> Result<Self, super::HandlerError> {
            text.clear();
            let owned = Self::assemble(text, record, how, thread);
            // One huge record (a long exception text) must not pin its size per thread.
            if text.capacity() > KEPT_ASSEMBLY_CAPACITY {
                *text = String::new();
            }
            owned
        };
        ASSEMBLY
            .try_with(|cell| match cell.try_borrow_mut() {
                Ok(mut text) => assemble(&mut text),
                Err(_) => assemble(&mut String::new()),
            })
            .unwrap_or_else(|_| assemble(&mut String::new()))
    }

    fn assemble(
        text: &mut String,
        record: &Record<'_>,
        how: &MessageText<'_>,
        thread: ThreadCapture,
    ) -> Result<Self, super::HandlerError> {
        let name = push(text, record.name());
        let start = offset(text);
        let prepared = matches!(how, MessageText::Formatted(_));
        let (message, exc_text, stack_info) = match how {
            MessageText::Merged => {
                record.write_message(text)?;
                let message = start..offset(text);
                let exc = record.exc_text().map(|t| push(text, t));
                let stack = record.stack_info().map(|t| push(text, t));
                (message, exc, stack)
            }
            MessageText::Formatted(format) => {
                format(record, text)?;
                (start..offset(text), None, None)
            }
        };
        let loc = record.location();
        let file = push(text, loc.file);
        let module_path = push(text, loc.module_path);
        let function = push(text, loc.function);
        let fields = record
            .fields()
            .map(|(k, v)| (Cow::Owned(k.to_owned()), v.to_owned_value()))
            .collect();
        let thread = match thread {
            ThreadCapture::Shared => Thread::Shared(record.thread_info()),
            ThreadCapture::IdOnly => Thread::Id(record.with_thread_info(|t| t.id)),
        };
        Ok(OwnedRecord {
            text: text.as_str().into(),
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
            thread,
            fields,
            prepared,
        })
    }

    /// A record made on the listener's thread, logger `name`, with a fixed message (used
    /// for reports such as dropped-record counts).
    pub(crate) fn internal(name: &str, level: Level, message: &str) -> Self {
        let mut text = String::new();
        let name = push(&mut text, name);
        let message = push(&mut text, message);
        let empty = offset(&text)..offset(&text);
        OwnedRecord {
            text: text.into(),
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
            thread: Thread::Shared(ThreadInfo::current()),
            fields: Vec::new(),
            prepared: false,
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

    /// The thread, as captured.
    pub(crate) fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Calls `f` with a record equal to the one captured (its message already merged).
    pub fn with_record<R>(&self, f: impl FnOnce(&mut Record<'_>) -> R) -> R {
        match &self.thread {
            Thread::Shared(t) => self.with_record_on(t, f),
            Thread::Id(id) => self.with_record_on(&Arc::new(ThreadInfo::unknown(*id)), f),
        }
    }

    /// As [`with_record`](Self::with_record), made on `thread`.
    pub(crate) fn with_record_on<R>(
        &self,
        thread: &Arc<ThreadInfo>,
        f: impl FnOnce(&mut Record<'_>) -> R,
    ) -> R {
        let text = &*self.text;
        let get = |r: &Range<u32>| &text[r.start as usize..r.end as usize];
        let location = Location::new(get(&self.file), self.line, get(&self.module_path))
            .with_function(get(&self.function));
        let mut record = Record::new(
            get(&self.name),
            self.level,
            if self.prepared {
                Message::prepared_text(get(&self.message))
            } else {
                Message::text(get(&self.message))
            },
            location,
        )
        .with_created(self.created)
        .with_thread_ref(thread)
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
        let text = &*self.text;
        let get = |r: &Range<u32>| &text[r.start as usize..r.end as usize];
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
