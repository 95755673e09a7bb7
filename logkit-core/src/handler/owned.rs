//! [`OwnedRecord`]: a copy of a record that outlives the call, to be handled later or on
//! another thread (by a [`QueueHandler`](super::QueueHandler)'s listener, or when a
//! [`MemoryHandler`](super::MemoryHandler) flushes).

use std::borrow::Cow;
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
    /// The parts of the record's text ([`Part`]), one after another.
    text: Box<str>,
    /// Where each part ends in `text`; it starts where the one before it ends.
    ends: [u32; PARTS],
    level: Level,
    line: u32,
    created: Timestamp,
    thread: Thread,
    fields: Box<[(Cow<'static, str>, Value<'static>)]>,
    /// Whether the record has exception text, and stack text (an empty part may be either).
    has_exc_text: bool,
    has_stack_info: bool,
    /// Whether a queue handler prepared it (its `args` are then `None`, as in CPython).
    prepared: bool,
}

/// The parts of an [`OwnedRecord`]'s text, in the order they are written.
#[derive(Clone, Copy)]
enum Part {
    Name,
    Message,
    ExcText,
    StackInfo,
    File,
    ModulePath,
    Function,
}

const PARTS: usize = Part::Function as usize + 1;

/// An [`OwnedRecord`]'s text as it is assembled: each part pushed in [`Part`]'s order.
struct Parts<'t> {
    text: &'t mut String,
    ends: [u32; PARTS],
    next: usize,
}

impl<'t> Parts<'t> {
    fn new(text: &'t mut String) -> Self {
        text.clear();
        Parts {
            text,
            ends: [0; PARTS],
            next: 0,
        }
    }

    /// Ends `part` where the text is now (what was written since the previous part).
    fn end(&mut self, part: Part) {
        debug_assert_eq!(part as usize, self.next, "parts are written in order");
        self.ends[part as usize] = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.next += 1;
    }

    /// Appends `part`'s text.
    fn push(&mut self, part: Part, value: &str) {
        self.text.push_str(value);
        self.end(part);
    }
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
        let mut parts = Parts::new(text);
        parts.push(Part::Name, record.name());
        let prepared = matches!(how, MessageText::Formatted(_));
        let (exc_text, stack_info) = match how {
            MessageText::Merged => {
                record.write_message(parts.text)?;
                parts.end(Part::Message);
                let exc = record.exc_text();
                parts.push(Part::ExcText, exc.unwrap_or(""));
                let stack = record.stack_info();
                parts.push(Part::StackInfo, stack.unwrap_or(""));
                (exc.is_some(), stack.is_some())
            }
            MessageText::Formatted(format) => {
                format(record, parts.text)?;
                parts.end(Part::Message);
                parts.end(Part::ExcText);
                parts.end(Part::StackInfo);
                (false, false)
            }
        };
        let loc = record.location();
        parts.push(Part::File, loc.file);
        parts.push(Part::ModulePath, loc.module_path);
        parts.push(Part::Function, loc.function);
        // Counted first, so that the slice is allocated once, at its size.
        let mut fields = Vec::with_capacity(record.fields().count());
        fields.extend(
            record
                .fields()
                .map(|(k, v)| (Cow::Owned(k.to_owned()), v.to_owned_value())),
        );
        let thread = match thread {
            ThreadCapture::Shared => Thread::Shared(record.thread_info()),
            ThreadCapture::IdOnly => Thread::Id(record.thread_id()),
        };
        Ok(OwnedRecord {
            text: parts.text.as_str().into(),
            ends: parts.ends,
            level: record.level(),
            line: loc.line,
            created: record.created(),
            thread,
            fields: fields.into_boxed_slice(),
            has_exc_text: exc_text,
            has_stack_info: stack_info,
            prepared,
        })
    }

    /// A record made on the listener's thread, logger `name`, with a fixed message (used
    /// for reports such as dropped-record counts).
    pub(crate) fn internal(name: &str, level: Level, message: &str) -> Self {
        let mut text = String::new();
        let mut parts = Parts::new(&mut text);
        parts.push(Part::Name, name);
        parts.push(Part::Message, message);
        for part in [
            Part::ExcText,
            Part::StackInfo,
            Part::File,
            Part::ModulePath,
            Part::Function,
        ] {
            parts.end(part);
        }
        let ends = parts.ends;
        OwnedRecord {
            text: text.into(),
            ends,
            level,
            line: 0,
            created: Timestamp::now(),
            thread: Thread::Shared(ThreadInfo::current()),
            fields: Box::default(),
            has_exc_text: false,
            has_stack_info: false,
            prepared: false,
        }
    }

    /// The text of `part`.
    fn part(&self, part: Part) -> &str {
        let i = part as usize;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1],
        };
        self.text
            .get(start as usize..self.ends[i] as usize)
            .unwrap_or_default()
    }

    /// The level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The logger's name.
    pub fn name(&self) -> &str {
        self.part(Part::Name)
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
        let location = Location::new(
            self.part(Part::File),
            self.line,
            self.part(Part::ModulePath),
        )
        .with_function(self.part(Part::Function));
        let message = self.part(Part::Message);
        let mut record = Record::new(
            self.part(Part::Name),
            self.level,
            if self.prepared {
                Message::prepared_text(message)
            } else {
                Message::text(message)
            },
            location,
        )
        .with_created(self.created)
        .with_thread_ref(thread)
        .with_context(&self.fields);
        if self.has_exc_text {
            record = record.with_exc_text(self.part(Part::ExcText));
        }
        if self.has_stack_info {
            record = record.with_stack_info(self.part(Part::StackInfo));
        }
        f(&mut record)
    }
}

impl std::fmt::Debug for OwnedRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnedRecord")
            .field("name", &self.name())
            .field("level", &self.level)
            .field("message", &self.part(Part::Message))
            .field("created", &self.created)
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}
