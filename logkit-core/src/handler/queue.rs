//! `QueueHandler` and `QueueListener`: the caller copies the record into a bounded queue and
//! returns; a listener thread formats and writes it with the real handlers (Python's
//! `logging.handlers.QueueHandler` and `QueueListener`).
//!
//! A slow destination (a disk, a socket) then never slows the code that logs. The queue is
//! bounded, and what happens when it is full is explicit ([`Overflow`]): the caller waits
//! (the default, nothing is lost), or the record is dropped and counted, and the listener
//! reports the count in a record of its own. Everything queued is written when the handler
//! is closed: by [`shutdown`](fn@crate::shutdown), at normal process exit (a panic that unwinds
//! out of `main` included), or when the handler is dropped.

use std::cell::OnceCell;
use std::fmt;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::owned::{MessageText, OwnedRecord, Thread, ThreadCapture};
use super::{Handler, HandlerCore, HandlerError, HandlerRef, IntoHandler};
use crate::level::Level;
use crate::limits::MAX_QUEUE_CAPACITY;
use crate::logger::{Call, Callsite};
use crate::message::{Message, PackedArgs, StaticMessage};
use crate::record::{Location, Record, ThreadInfo, Timestamp};

mod ring;
#[cfg(all(test, not(loom)))]
mod tests;

use ring::{Consumer, Producer};

/// How often, at most, the listener reports records dropped by [`Overflow::DropNewest`].
const DROP_REPORT_INTERVAL: Duration = Duration::from_secs(1);

/// At most this many records are written between two flushes of the listener's handlers.
const MAX_BATCH: usize = 1024;

/// How long an idle listener sleeps between looks at the queue while it naps: the longest
/// a record waits before the listener sees it (callers do not wake a napping listener, so
/// that logging costs no system call).
const NAP: Duration = Duration::from_millis(1);

/// After this long with nothing queued, the listener goes to sleep: the next record wakes it.
const NAP_FOR: Duration = Duration::from_millis(20);

/// The longest a sleeping listener sleeps before it looks at the queue anyway: a safety net.
/// No wake-up is expected to be lost (a caller claims its slot with a sequentially consistent
/// compare-and-swap before it reads `asleep`; the listener sets `asleep` before its last look
/// at the queue, which reads the claim position after a fence).
const SLEEP: Duration = Duration::from_millis(50);

/// The longest a caller waiting for room waits before it looks again.
const ROOM_WAIT: Duration = Duration::from_millis(10);

/// What a [`QueueHandler`] does with a record when its queue is full.
///
/// # Examples
///
/// ```
/// use logkit::{NullHandler, Overflow, QueueHandler};
///
/// let queue = QueueHandler::builder()
///     .handler(NullHandler::new())
///     .overflow(Overflow::DropNewest)
///     .start()?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Overflow {
    /// The caller waits for room: no record is lost (the default).
    #[default]
    Block,
    /// The new record is dropped and counted; at most once a second the listener writes a
    /// WARNING record from the `logkit.queue` logger saying how many were dropped.
    DropNewest,
}

/// Sends records to a listener thread through a bounded queue (Python's `QueueHandler`
/// with a `QueueListener`).
///
/// A record from a logging macro travels as references to its static parts (logger name,
/// location, compiled template) and its arguments copied by value (numbers, `bool`, `char`,
/// strings; other values as the text they print at the call): the listener merges the
/// message with the same bytes the call would have written, so the caller does not pay for
/// merging. Any other record is *prepared* at the call as CPython does: the message is merged
/// and formatted with the queue handler's own formatter (by default the message with any
/// exception text appended). Either way the arguments need not outlive the call, and the
/// listener hands the record to each of its handlers, which format it with their own
/// formatters; `%(msg)s` is the merged message and `%(args)s` is `None`, as after CPython's
/// `prepare`.
///
/// While records keep coming, the listener looks at the queue at least every millisecond
/// without being woken (a wake-up is a system call the caller would pay for); after a
/// while with nothing queued it sleeps until the next record wakes it.
///
/// # Examples
///
/// ```
/// use logkit::{Capture, Formatter, Handler, QueueHandler, get_logger};
///
/// let out = Capture::new();
/// let target = logkit::StreamHandler::new(out.clone());
/// target.set_formatter(Formatter::new("%(levelname)s %(name)s %(message)s").unwrap());
/// let queue = QueueHandler::builder().handler(target).start()?;
/// let logger = get_logger("queue.doc");
/// logger.add_handler(queue.clone());
/// logger.log(logkit::Level::WARNING, "written by the listener", &[]);
/// queue.flush().unwrap(); // waits until the listener has written what was queued
/// assert_eq!(out.contents(), "WARNING queue.doc written by the listener\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct QueueHandler {
    core: HandlerCore,
    listener: QueueListener,
    /// See [`QueueHandlerBuilder::exception_apart`].
    exception_apart: bool,
}

/// Configures a [`QueueHandler`] and its listener; [`start`](Self::start) spawns the
/// listener thread.
///
/// # Examples
///
/// ```
/// use logkit::{NullHandler, Overflow, QueueHandler};
///
/// let queue = QueueHandler::builder()
///     .handler(NullHandler::new())
///     .capacity(1024)
///     .overflow(Overflow::Block)
///     .respect_handler_level(true)
///     .start()?;
/// assert_eq!(queue.listener().capacity(), 1024);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Default)]
#[must_use]
pub struct QueueHandlerBuilder {
    handlers: Vec<HandlerRef>,
    capacity: Option<usize>,
    overflow: Overflow,
    respect_handler_level: bool,
    exception_apart: bool,
}

impl QueueHandlerBuilder {
    /// Adds a handler the listener writes to.
    pub fn handler(mut self, handler: impl IntoHandler) -> Self {
        self.handlers.push(handler.into_handler());
        self
    }

    /// The number of records the queue holds ([`QueueHandler::DEFAULT_CAPACITY`] by default;
    /// at least 1, at most [`MAX_QUEUE_CAPACITY`]).
    /// The queue is allocated when the listener starts, about 200 bytes a record (a record's
    /// strings beyond a few dozen bytes are kept on the heap while it waits).
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = Some(capacity.max(1));
        self
    }

    /// What to do when the queue is full ([`Overflow::Block`] by default).
    pub fn overflow(mut self, overflow: Overflow) -> Self {
        self.overflow = overflow;
        self
    }

    /// Whether the listener checks each handler's level (Python's `respect_handler_level`,
    /// false by default: every record goes to every handler, whose filters still run).
    pub fn respect_handler_level(mut self, respect: bool) -> Self {
        self.respect_handler_level = respect;
        self
    }

    /// Whether a record with an exception, prepared on the caller's thread, keeps the
    /// exception's text apart from its message (as [`MemoryHandler`](super::MemoryHandler)
    /// keeps a record) instead of appended to it as CPython's `prepare` does; only while the
    /// queue handler has no formatter of its own. For handlers that send the exception as a
    /// field of its own (OTLP's `exception.*` attributes).
    #[cfg_attr(not(feature = "otlp"), allow(dead_code))]
    pub(crate) fn exception_apart(mut self, apart: bool) -> Self {
        self.exception_apart = apart;
        self
    }

    /// Starts the listener thread and returns the handler feeding it.
    ///
    /// # Errors
    ///
    /// A capacity beyond [`MAX_QUEUE_CAPACITY`]
    /// (`InvalidInput`), a queue the system cannot allocate (`OutOfMemory`), or a thread
    /// that could not be spawned.
    pub fn start(self) -> io::Result<Arc<QueueHandler>> {
        let capacity = self.capacity.unwrap_or(QueueHandler::DEFAULT_CAPACITY);
        if capacity > MAX_QUEUE_CAPACITY {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "a queue capacity of {capacity} records is more than the maximum, \
                     {MAX_QUEUE_CAPACITY}"
                ),
            ));
        }
        let (sender, receiver) = ring::ring(capacity).map_err(|e| {
            io::Error::new(
                io::ErrorKind::OutOfMemory,
                format!("cannot allocate a queue of {capacity} records: {e}"),
            )
        })?;
        let shared = Arc::new(Shared {
            id: NEXT_QUEUE_ID.fetch_add(1, Ordering::Relaxed),
            handlers: self.handlers,
            respect_handler_level: self.respect_handler_level,
            overflow: self.overflow,
            capacity,
            dropped: AtomicU64::new(0),
            dropped_total: AtomicU64::new(0),
            stopped: AtomicBool::new(false),
            asleep: AtomicBool::new(false),
            thread: OnceLock::new(),
            waiting: AtomicUsize::new(0),
            room_lock: Mutex::new(()),
            room: Condvar::new(),
            leftover: Mutex::new(None),
        });
        let for_thread = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("logkit-queue".into())
            .spawn(move || listen(&for_thread, receiver))?;
        let _ = shared.thread.set(thread.thread().clone());
        Ok(Arc::new(QueueHandler {
            core: HandlerCore::new(),
            listener: QueueListener {
                shared,
                sender,
                thread: Mutex::new(Some(thread)),
            },
            exception_apart: self.exception_apart,
        }))
    }
}

/// The listener thread of a [`QueueHandler`] and the handlers it writes to (Python's
/// `QueueListener`).
///
/// # Examples
///
/// ```
/// use logkit::{NullHandler, Overflow, QueueHandler};
///
/// let queue = QueueHandler::builder()
///     .handler(NullHandler::new())
///     .overflow(Overflow::DropNewest)
///     .start()?;
/// let listener = queue.listener();
/// assert!(listener.is_running());
/// assert_eq!(listener.dropped(), 0);
/// listener.stop(); // writes what is queued, then ends the thread
/// assert!(!listener.is_running());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct QueueListener {
    shared: Arc<Shared>,
    sender: Producer<Command>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// What the handler and its listener thread share.
struct Shared {
    id: u64,
    handlers: Vec<HandlerRef>,
    respect_handler_level: bool,
    overflow: Overflow,
    capacity: usize,
    /// Dropped since the last report.
    dropped: AtomicU64,
    dropped_total: AtomicU64,
    /// Set once the listener is stopping: records are then handled on the caller's thread.
    stopped: AtomicBool,
    /// Set while the listener sleeps until woken (not while it naps).
    asleep: AtomicBool,
    /// The listener thread, to wake it.
    thread: OnceLock<std::thread::Thread>,
    /// Callers waiting for room in a full queue, and where they wait.
    waiting: AtomicUsize,
    room_lock: Mutex<()>,
    room: Condvar,
    /// The queue and the threads the listener was told of, left when the listener ends: a
    /// caller whose record was queued after `Stop` writes what is left.
    leftover: Mutex<Option<(Consumer<Command>, Threads)>>,
}

/// The threads a listener has been told of, by id (kept for the listener's life), and the
/// last one looked up (records mostly come in runs from one thread).
#[derive(Default)]
struct Threads {
    known: std::collections::HashMap<u64, Arc<ThreadInfo>>,
    last: Option<Arc<ThreadInfo>>,
}

impl Threads {
    /// The thread with this id: told of before, or known only by its id.
    fn get(&mut self, id: u64) -> &Arc<ThreadInfo> {
        let last = match self.last.take() {
            Some(t) if t.id == id => t,
            _ => Arc::clone(
                self.known
                    .entry(id)
                    .or_insert_with(|| Arc::new(ThreadInfo::unknown(id))),
            ),
        };
        self.last.insert(last)
    }

    /// Remembers a thread the listener is told of.
    fn tell(&mut self, info: &Arc<ThreadInfo>) {
        self.known
            .entry(info.id)
            .or_insert_with(|| Arc::clone(info));
    }
}

// Records travel inside the queue's slots, not boxed: queueing one allocates nothing.
#[allow(clippy::large_enum_variant)]
enum Command {
    /// A record from a macro call: static parts by reference, arguments packed by value.
    Compact(Compact),
    /// Any other record, prepared on the caller's thread.
    Record(OwnedRecord),
    Flush(mpsc::Sender<()>),
    Stop,
}

impl Command {
    /// Whether the command carries its thread's info (the first record a thread sends a
    /// queue), not only the thread's id.
    fn carries_thread_info(&self) -> bool {
        match self {
            Command::Compact(c) => matches!(c.thread, Thread::Shared(_)),
            Command::Record(r) => r.carries_thread_info(),
            Command::Flush(_) | Command::Stop => false,
        }
    }
}

/// A macro call's record: it travels as its call site (location and template) and logger
/// name by reference, the level, the time, the thread and the arguments packed by value,
/// and the listener merges the message, with the same bytes as at the call. Small enough
/// (with the queue's stamp, at most 128 bytes) that a slot spans two cache lines.
struct Compact {
    name: &'static str,
    callsite: &'static Callsite,
    // The arguments travel inline in the queue's slot: queueing allocates nothing.
    args: PackedArgs,
    level: Level,
    /// Nanoseconds since the epoch (the listener makes the [`Timestamp`]).
    created: i64,
    thread: Thread,
}

impl Compact {
    /// The compact form of `record`, when it has one: made at a macro call on this thread,
    /// with no fields, error or stack text, and arguments that pack.
    #[inline(always)]
    fn of(record: &Record<'_>, thread: ThreadCapture) -> Option<Compact> {
        let (name, callsite) = record.call_origin()?;
        if record.has_rare_parts() || record.has_fields() || !record.is_from_current_thread() {
            return None;
        }
        let args = match record.message().static_parts()? {
            StaticMessage::Text => PackedArgs::pack_message(&[], &[])?,
            StaticMessage::Compiled { pieces, args } => PackedArgs::pack_message(pieces, args)?,
        };
        Some(Compact {
            name,
            callsite,
            args,
            level: record.level(),
            created: i64::try_from(record.created().as_nanos()).unwrap_or(i64::MAX),
            thread: Thread::current(thread),
        })
    }

    /// Calls `f` with the record, made on `thread`.
    fn with_record_on<R>(
        &self,
        thread: &Arc<ThreadInfo>,
        f: impl FnOnce(&mut Record<'_>) -> R,
    ) -> R {
        let merged = OnceCell::new();
        let callsite = self.callsite;
        self.args.with_args(|args| {
            let message = if args.is_empty() {
                Message::prepared_text(callsite.template())
            } else {
                Message::prepared(callsite.pieces(), args, &merged)
            };
            f(&mut self.record(self.name, message, callsite.location(), thread))
        })
    }

    fn record<'m>(
        &self,
        name: &'static str,
        message: Message<'m>,
        location: Location<'static>,
        thread: &'m Arc<ThreadInfo>,
    ) -> Record<'m> {
        let created = Timestamp::from_nanos(self.created);
        Record::new_static_at(name, self.level, message, location, created).with_thread_ref(thread)
    }
}

/// Decrements a count when dropped.
struct CountedDown<'a>(&'a AtomicUsize);

impl Drop for CountedDown<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Numbers queues, for [`INTRODUCED`].
static NEXT_QUEUE_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The queues this thread has sent its info to.
    static INTRODUCED: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The last of them this thread logged to, plus one (0: none): the common case, checked
    /// without borrowing the list.
    static LAST_INTRODUCED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

thread_local! {
    /// Set on listener threads: a record logged by a listener's own handler is handled in
    /// place, never queued (a full queue would wait for itself).
    static ON_LISTENER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn on_listener() -> bool {
    ON_LISTENER.try_with(std::cell::Cell::get).unwrap_or(false)
}

/// Runs `f`, which hands a record to a queue's handlers in place (on the listener's thread,
/// or after the listener stopped), one level deeper in this thread's logging nesting: as
/// deep as logging may nest, so that a queue among its own listener's handlers (directly or
/// through another queue or a logger) ends in a report, not a stack overflow.
fn handing_back(f: impl FnOnce()) -> Result<(), HandlerError> {
    if crate::logger::nested(f) {
        return Ok(());
    }
    Err(HandlerError::other(
        "logging nested too deep on this thread as a queue handler handed the record back to \
         its handlers: dropped (is the queue handler among its own listener's handlers?)",
    ))
}

impl QueueHandler {
    /// The queue's size when none is given.
    pub const DEFAULT_CAPACITY: usize = 8192;

    /// Configures a queue handler and its listener.
    pub fn builder() -> QueueHandlerBuilder {
        QueueHandlerBuilder::default()
    }

    /// The listener: its handlers, its counters, and a way to stop it.
    pub fn listener(&self) -> &QueueListener {
        &self.listener
    }

    /// Makes the owned copy (CPython's `prepare`). `thread` says whether the listener
    /// already knows the calling thread, so that only its id need be sent.
    fn prepare(
        &self,
        record: &Record<'_>,
        thread: ThreadCapture,
    ) -> Result<OwnedRecord, HandlerError> {
        if self.exception_apart && !self.core.has_formatter() {
            return OwnedRecord::capture_with(record, &MessageText::Merged, thread);
        }
        let format = |r: &Record<'_>, out: &mut String| Ok(self.core.format(r, out)?);
        OwnedRecord::capture_with(record, &MessageText::Formatted(&format), thread)
    }

    /// Whether the listener has been sent this thread's info before (it keeps it, so the
    /// caller need not touch the info's shared reference count for every record).
    fn introduce_thread(&self) -> ThreadCapture {
        let queue = self.listener.shared.id;
        if LAST_INTRODUCED.try_with(std::cell::Cell::get) == Ok(queue + 1) {
            return ThreadCapture::IdOnly;
        }
        let capture = INTRODUCED
            .try_with(|known| {
                let mut known = known.borrow_mut();
                if known.contains(&queue) {
                    ThreadCapture::IdOnly
                } else {
                    known.push(queue);
                    ThreadCapture::Shared
                }
            })
            .unwrap_or(ThreadCapture::Shared);
        let _ = LAST_INTRODUCED.try_with(|last| last.set(queue + 1));
        capture
    }

    /// Undoes [`introduce_thread`](Self::introduce_thread) when the record carrying the
    /// thread's info did not reach the listener (dropped by a full queue, or not prepared),
    /// so that the next record carries it.
    #[cold]
    #[inline(never)]
    fn forget_thread(&self) {
        let queue = self.listener.shared.id;
        let _ = INTRODUCED.try_with(|known| known.borrow_mut().retain(|&q| q != queue));
        let _ = LAST_INTRODUCED.try_with(|last| {
            if last.get() == queue + 1 {
                last.set(0);
            }
        });
    }

    /// Whether a record at `level` is for this handler: its level, and no filters (which
    /// need a record).
    #[inline]
    pub(crate) fn takes_call_at(&self, level: Level) -> Option<bool> {
        if level < self.core.level() {
            return Some(false);
        }
        (!self.core.has_filters()).then_some(true)
    }

    /// Queues a macro call's record without a [`Record`] having been made (the logger's
    /// only handler is this queue, whose level and filters the caller checked), as
    /// [`Handler::emit`] queues its compact form; `false` when the call must be made into a
    /// record and handled (the listener is stopped or this is its thread, the queue has a
    /// formatter of its own, or the arguments do not pack).
    #[inline]
    pub(crate) fn enqueue_call(&self, call: &Call<'_>) -> bool {
        if on_listener() || self.listener.shared.stopped.load(Ordering::SeqCst) {
            return false;
        }
        if self.core.has_formatter() {
            return false;
        }
        let Some(args) = PackedArgs::pack_message(call.callsite.pieces(), call.args) else {
            return false;
        };
        let created = Timestamp::now_nanos();
        let thread = Thread::current(self.introduce_thread());
        // Built in the claimed slot, by moves that cannot panic.
        self.enqueue_with(|| {
            Command::Compact(Compact {
                name: call.name,
                callsite: call.callsite,
                args,
                level: call.level,
                created,
                thread,
            })
        });
        true
    }

    /// Queues `command` as the overflow policy says; records the queue cannot take (the
    /// listener was stopped while the queue was full) are written here rather than lost.
    #[inline]
    fn enqueue(&self, command: Command) {
        self.enqueue_with(move || command);
    }

    /// As [`enqueue`](Self::enqueue), the command built by `make` (which must not panic)
    /// once a slot is claimed.
    #[inline(always)]
    fn enqueue_with(&self, make: impl FnOnce() -> Command) {
        let shared = &self.listener.shared;
        let refused = match self.listener.sender.try_push_with(make) {
            Ok(()) => None,
            Err(make) => self.on_full(make()),
        };
        if refused.is_none()
            && shared.asleep.load(Ordering::SeqCst)
            && shared.asleep.swap(false, Ordering::SeqCst)
        {
            shared.wake();
        }
        // `stop` sets `stopped` before it queues `Stop`: a record queued after `Stop` (this
        // caller found the listener running, then was overtaken by `stop`) sees it set here,
        // and writes what the listener left, then any record it could not queue.
        if shared.stopped.load(Ordering::SeqCst) {
            shared.write_leftover();
        }
        if let Some(command) = refused {
            shared.handle_here(command, None);
        }
    }
}

impl QueueHandler {
    /// Carries out the overflow policy for a command the full queue refused; what it gives
    /// back is to be written on this thread.
    #[cold]
    #[inline(never)]
    fn on_full(&self, command: Command) -> Option<Command> {
        let shared = &self.listener.shared;
        shared.wake();
        match shared.overflow {
            Overflow::Block => self.wait_for_room(command),
            Overflow::DropNewest => {
                shared.dropped.fetch_add(1, Ordering::Relaxed);
                shared.dropped_total.fetch_add(1, Ordering::Relaxed);
                if command.carries_thread_info() {
                    // The listener never got this thread's info: the next record sends it.
                    self.forget_thread();
                }
                None
            }
        }
    }

    /// Waits until the listener has made room, then queues `command` (or gives it back if
    /// the listener was stopped). The listener wakes waiting callers after each batch it writes,
    /// so that a caller faster than the destination waits once per batch, not per record.
    fn wait_for_room(&self, mut command: Command) -> Option<Command> {
        let shared = &self.listener.shared;
        shared.waiting.fetch_add(1, Ordering::SeqCst);
        // Counted down however this ends, a panic included.
        let _waiting = CountedDown(&shared.waiting);
        shared.wake();
        let mut guard = shared
            .room_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let refused = loop {
            match self.listener.sender.try_push(command) {
                Ok(()) => break None,
                // The listener has been stopped and will not make room: the caller
                // writes the record itself (after what the listener left).
                Err(c) if shared.stopped.load(Ordering::SeqCst) => break Some(c),
                Err(c) => {
                    command = c;
                    // The timeout bounds a wake-up lost to a listener being stopped.
                    guard = shared
                        .room
                        .wait_timeout(guard, ROOM_WAIT)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
            }
        };
        drop(guard);
        refused
    }
}

impl Handler for QueueHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn as_queue_handler(&self) -> Option<&QueueHandler> {
        Some(self)
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let shared = &self.listener.shared;
        if on_listener() || shared.stopped.load(Ordering::SeqCst) {
            let prepared = self.prepare(record, ThreadCapture::Shared)?;
            return handing_back(|| shared.dispatch(&prepared, None));
        }
        let thread = self.introduce_thread();
        let compact = if self.core.has_formatter() {
            // CPython's `prepare` formats with the queue handler's own formatter.
            None
        } else {
            Compact::of(record, thread)
        };
        let command = match compact {
            Some(c) => Command::Compact(c),
            None => match self.prepare(record, thread) {
                Ok(prepared) => Command::Record(prepared),
                Err(e) => {
                    if thread == ThreadCapture::Shared {
                        self.forget_thread();
                    }
                    return Err(e);
                }
            },
        };
        self.enqueue(command);
        Ok(())
    }

    /// Waits until every record queued before the call has been written, then flushes the
    /// listener's handlers.
    fn flush(&self) -> Result<(), HandlerError> {
        let shared = &self.listener.shared;
        if on_listener() || shared.stopped.load(Ordering::SeqCst) {
            shared.flush_handlers();
            return Ok(());
        }
        let (ack, done) = mpsc::channel();
        let refused = match self.listener.sender.try_push(Command::Flush(ack)) {
            Ok(()) => None,
            Err(command) => self.wait_for_room(command),
        };
        shared.wake();
        if refused.is_some() {
            // The listener was stopped meanwhile: it writes everything queued before it
            // ends, then this thread writes what was queued behind it.
            shared.write_leftover();
            shared.flush_handlers();
        } else {
            // An error means the listener ended first, having written everything.
            let _ = done.recv();
        }
        Ok(())
    }

    /// Stops the listener after it has written everything queued, then flushes and closes
    /// its handlers. Records logged afterwards are written on the caller's thread.
    fn close(&self) -> Result<(), HandlerError> {
        self.listener.stop();
        for h in &self.listener.shared.handlers {
            super::shut_down(&**h);
        }
        Ok(())
    }
}

impl QueueListener {
    /// The name of the logger in the listener's own reports (dropped records).
    pub const LOGGER_NAME: &'static str = "logkit.queue";

    /// The handlers records are written to.
    pub fn handlers(&self) -> &[HandlerRef] {
        &self.shared.handlers
    }

    /// Whether each handler's level is checked.
    pub fn respect_handler_level(&self) -> bool {
        self.shared.respect_handler_level
    }

    /// The queue's size.
    pub fn capacity(&self) -> usize {
        self.shared.capacity
    }

    /// The overflow policy.
    pub fn overflow(&self) -> Overflow {
        self.shared.overflow
    }

    /// How many records were dropped because the queue was full, since the start.
    pub fn dropped(&self) -> u64 {
        self.shared.dropped_total.load(Ordering::Relaxed)
    }

    /// Whether the thread is running.
    pub fn is_running(&self) -> bool {
        !self.shared.stopped.load(Ordering::SeqCst)
    }

    /// Writes everything queued, reports any dropped records, and ends the thread (Python's
    /// `QueueListener.stop`). Records logged afterwards are written on the caller's thread.
    /// Calling it again does nothing.
    pub fn stop(&self) {
        let Some(thread) = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        else {
            return;
        };
        let shared = &self.shared;
        // Callers check `stopped` after queueing: one that queues a record behind `Stop`
        // writes it itself (see `QueueHandler::enqueue`).
        shared.stopped.store(true, Ordering::SeqCst);
        if std::thread::current().id() == thread.thread().id() {
            // A handler stopping its own listener cannot wait for it: the thread ends after
            // what is queued (or, if the queue is full, when the handler is dropped).
            let _ = self.sender.try_push(Command::Stop);
            return;
        }
        // A full queue need not take `Stop`: the listener ends once it finds the queue empty
        // with `stopped` set, and callers stop queueing once they see it.
        let _ = self.sender.try_push(Command::Stop);
        shared.wake();
        let _ = thread.join();
    }
}

impl Shared {
    /// Writes one record to every handler (checking levels if asked).
    fn write(&self, record: &mut Record<'_>) {
        for handler in &self.handlers {
            if self.respect_handler_level && record.level() < handler.level() {
                continue;
            }
            super::handle(&**handler, record);
        }
    }

    /// Writes a prepared record. The listener passes the threads it has been told of; a
    /// record from the caller's own thread needs none.
    fn dispatch(&self, owned: &OwnedRecord, threads: Option<&mut Threads>) {
        on_thread(owned.thread(), threads, |info| {
            owned.with_record_on(info, |r| self.write(r));
        });
    }

    /// Writes a compact record, merging its message.
    fn dispatch_compact(&self, compact: &Compact, threads: Option<&mut Threads>) {
        on_thread(&compact.thread, threads, |info| {
            compact.with_record_on(info, |r| self.write(r));
        });
    }

    /// Carries out a command off the listener (its records written on the calling thread).
    fn handle_here(&self, command: Command, threads: Option<&mut Threads>) {
        match command {
            Command::Compact(c) => self.dispatch_compact(&c, threads),
            Command::Record(p) => self.dispatch(&p, threads),
            Command::Flush(ack) => {
                self.flush_handlers();
                let _ = ack.send(());
            }
            Command::Stop => {}
        }
    }

    /// Wakes the listener.
    fn wake(&self) {
        self.asleep.store(false, Ordering::Relaxed);
        if let Some(thread) = self.thread.get() {
            thread.unpark();
        }
    }

    /// Wakes the callers waiting for room (after a batch: there is room for a batch).
    fn make_room(&self) {
        if self.waiting.load(Ordering::SeqCst) > 0 {
            let _guard = self
                .room_lock
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            self.room.notify_all();
        }
    }

    /// Writes what was queued behind `Stop`, once the listener has ended (it writes
    /// everything queued before `Stop` first).
    fn write_leftover(&self) {
        loop {
            let mut left = self.leftover.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((receiver, threads)) = left.as_mut() {
                while let Some(command) = receiver.pop() {
                    self.handle_here(command, Some(threads));
                }
                return;
            }
            drop(left);
            std::thread::yield_now();
        }
    }

    /// Tells the handlers a batch begins.
    fn begin_batch(&self) {
        for handler in &self.handlers {
            handler.begin_batch();
        }
    }

    /// Tells the handlers the batch is over; what they cannot write is reported.
    fn end_batch(&self) {
        for handler in &self.handlers {
            if let Err(err) = handler.end_batch() {
                super::report_error(&**handler, None, &err);
            }
        }
    }

    fn flush_handlers(&self) {
        for handler in &self.handlers {
            if let Err(err) = handler.flush() {
                super::report_error(&**handler, None, &err);
            }
        }
    }

    /// Writes the "N records dropped" record when one is due.
    fn report_dropped(&self, last: &mut Instant, force: bool) {
        if self.dropped.load(Ordering::Relaxed) == 0
            || !(force || last.elapsed() >= DROP_REPORT_INTERVAL)
        {
            return;
        }
        *last = Instant::now();
        let n = self.dropped.swap(0, Ordering::Relaxed);
        let message = format!(
            "{n} records dropped: the queue ({} records) was full",
            self.capacity
        );
        self.dispatch(
            &OwnedRecord::internal(QueueListener::LOGGER_NAME, Level::WARNING, &message),
            None,
        );
    }
}

/// Calls `f` with the info of the thread a record was made on: from the record, or from
/// the threads the listener was told of when the record carries only the id.
fn on_thread<R>(
    thread: &Thread,
    threads: Option<&mut Threads>,
    f: impl FnOnce(&Arc<ThreadInfo>) -> R,
) -> R {
    match (thread, threads) {
        (Thread::Shared(info), Some(threads)) => {
            threads.tell(info);
            f(info)
        }
        (Thread::Shared(info), None) => f(info),
        (Thread::Id(id), Some(threads)) => f(threads.get(*id)),
        (Thread::Id(id), None) => f(&Arc::new(ThreadInfo::unknown(*id))),
    }
}

/// What the listener owns; handed to [`Shared::leftover`] when it ends, however it ends.
struct ListenerState<'s> {
    shared: &'s Shared,
    receiver: Option<Consumer<Command>>,
    threads: Threads,
}

impl Drop for ListenerState<'_> {
    fn drop(&mut self) {
        if let Some(receiver) = self.receiver.take() {
            let threads = std::mem::take(&mut self.threads);
            *self
                .shared
                .leftover
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some((receiver, threads));
        }
    }
}

/// The listener thread: writes what is queued in batches, flushing the handlers after
/// each; naps while the queue stays empty, then sleeps until a caller wakes it.
fn listen(shared: &Shared, receiver: Consumer<Command>) {
    let _ = ON_LISTENER.try_with(|f| f.set(true));
    let mut state = ListenerState {
        shared,
        receiver: Some(receiver),
        threads: Threads::default(),
    };
    let ListenerState {
        receiver: Some(receiver),
        threads,
        ..
    } = &mut state
    else {
        return;
    };
    let mut last_report = Instant::now();
    let mut idle_since: Option<Instant> = None;
    let mut acks = Vec::new();
    loop {
        let mut stop = false;
        let mut handled = 0;
        // The handlers gather what a batch hands them and write it together (a file, one
        // `write` for the batch, or one every 64 KiB), rather than one `write` a record.
        let mut batching = false;
        while handled < MAX_BATCH {
            // Taken out of the queue first (its slot is free while it is written, as with
            // CPython's `get()`), then matched by reference: the record is not moved again.
            let popped = receiver.pop();
            if !batching && matches!(popped, Some(Command::Compact(_) | Command::Record(_))) {
                batching = true;
                shared.begin_batch();
            }
            match &popped {
                Some(Command::Compact(c)) => shared.dispatch_compact(c, Some(threads)),
                Some(Command::Record(p)) => shared.dispatch(p, Some(threads)),
                Some(Command::Flush(ack)) => acks.push(ack.clone()),
                Some(Command::Stop) => {
                    stop = true;
                    break;
                }
                None => {
                    // Stopped and empty: the listener ends even if `Stop` could not be
                    // queued (a handler stopping its own listener with the queue full);
                    // callers that queue after this write what is left themselves.
                    stop = shared.stopped.load(Ordering::SeqCst);
                    break;
                }
            }
            handled += 1;
        }
        if batching {
            shared.end_batch();
        }
        shared.report_dropped(&mut last_report, stop);
        if handled > 0 || stop {
            shared.flush_handlers();
            for ack in acks.drain(..) {
                let _ = ack.send(());
            }
            shared.make_room();
        }
        if stop {
            break;
        }
        if handled > 0 {
            idle_since = None;
            shared.asleep.store(false, Ordering::Relaxed);
            if handled < MAX_BATCH {
                // The queue ran empty: let records gather rather than follow the callers
                // record by record (reading each slot just after it was written moves its
                // cache lines between the cores once per record).
                std::thread::park_timeout(NAP);
            }
            continue;
        }
        let idle = *idle_since.get_or_insert_with(Instant::now);
        if shared.asleep.load(Ordering::Relaxed) {
            std::thread::park_timeout(SLEEP);
        } else if idle.elapsed() >= NAP_FOR {
            // Look at the queue once more after saying so: a caller that queued before
            // reading `asleep` is seen, one that reads it after wakes the thread.
            shared.asleep.store(true, Ordering::SeqCst);
        } else {
            std::thread::park_timeout(NAP);
        }
    }
}

impl Drop for QueueHandler {
    fn drop(&mut self) {
        self.listener.stop();
    }
}

impl fmt::Debug for QueueHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueHandler")
            .field("listener", &self.listener)
            .field("core", &self.core)
            .finish()
    }
}

impl fmt::Debug for QueueListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueListener")
            .field("handlers", &self.shared.handlers)
            .field("capacity", &self.shared.capacity)
            .field("overflow", &self.shared.overflow)
            .field("respect_handler_level", &self.shared.respect_handler_level)
            .field("running", &self.is_running())
            .field("dropped", &self.dropped())
            .finish()
    }
}
