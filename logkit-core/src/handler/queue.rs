//! `QueueHandler` and `QueueListener`: the caller copies the record into a bounded queue and
//! returns; a listener thread formats and writes it with the real handlers (Python's
//! `logging.handlers.QueueHandler` and `QueueListener`).
//!
//! A slow destination (a disk, a socket) then never slows the code that logs. The queue is
//! bounded, and what happens when it is full is explicit ([`Overflow`]): the caller waits
//! (the default, nothing is lost), or the record is dropped and counted, and the listener
//! reports the count in a record of its own. Everything queued is written when the handler
//! is closed: by [`shutdown`](crate::shutdown), at normal process exit (a panic that unwinds
//! out of `main` included), or when the handler is dropped.

use std::fmt;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::owned::{MessageText, OwnedRecord, Thread, ThreadCapture};
use super::{Handler, HandlerCore, HandlerError, HandlerRef, IntoHandler};
use crate::level::Level;
use crate::record::Record;
use crate::record::ThreadInfo;

/// How often, at most, the listener reports records dropped by [`Overflow::DropNewest`].
const DROP_REPORT_INTERVAL: Duration = Duration::from_secs(1);

/// At most this many records are written between two flushes of the listener's handlers.
const MAX_BATCH: usize = 1024;

/// What a [`QueueHandler`] does with a record when its queue is full.
///
/// # Examples
///
/// ```
/// use logkit_core::{NullHandler, Overflow, QueueHandler};
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
/// The handler *prepares* each record as CPython does: the message is merged and formatted
/// with the queue handler's own formatter (by default the message with any exception text
/// appended), so the arguments need not outlive the call. The listener hands the prepared
/// record to each of its handlers, which format it with their own formatters.
///
/// # Examples
///
/// ```
/// use logkit_core::{Capture, Formatter, Handler, QueueHandler, get_logger};
///
/// let out = Capture::new();
/// let target = logkit_core::StreamHandler::new(out.clone());
/// target.set_formatter(Formatter::new("%(levelname)s %(name)s %(message)s").unwrap());
/// let queue = QueueHandler::builder().handler(target).start()?;
/// let logger = get_logger("queue.doc");
/// logger.add_handler(queue.clone());
/// logger.log(logkit_core::Level::WARNING, "written by the listener", &[]);
/// queue.flush().unwrap(); // waits until the listener has written what was queued
/// assert_eq!(out.contents(), "WARNING queue.doc written by the listener\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct QueueHandler {
    core: HandlerCore,
    listener: QueueListener,
}

/// Configures a [`QueueHandler`] and its listener; [`start`](Self::start) spawns the
/// listener thread.
///
/// # Examples
///
/// ```
/// use logkit_core::{NullHandler, Overflow, QueueHandler};
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
}

impl QueueHandlerBuilder {
    /// Adds a handler the listener writes to.
    pub fn handler(mut self, handler: impl IntoHandler) -> Self {
        self.handlers.push(handler.into_handler());
        self
    }

    /// The number of records the queue holds ([`QueueHandler::DEFAULT_CAPACITY`] by default; at least 1).
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

    /// Starts the listener thread and returns the handler feeding it.
    ///
    /// # Errors
    ///
    /// The thread could not be spawned.
    pub fn start(self) -> io::Result<Arc<QueueHandler>> {
        let capacity = self.capacity.unwrap_or(QueueHandler::DEFAULT_CAPACITY);
        let (sender, receiver) = mpsc::sync_channel(capacity);
        let shared = Arc::new(Shared {
            id: NEXT_QUEUE_ID.fetch_add(1, Ordering::Relaxed),
            handlers: self.handlers,
            respect_handler_level: self.respect_handler_level,
            overflow: self.overflow,
            capacity,
            dropped: AtomicU64::new(0),
            dropped_total: AtomicU64::new(0),
            stopped: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
        });
        let for_thread = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("logkit-queue".into())
            .spawn(move || listen(&for_thread, &receiver))?;
        Ok(Arc::new(QueueHandler {
            core: HandlerCore::new(),
            listener: QueueListener {
                shared,
                sender,
                thread: Mutex::new(Some(thread)),
            },
        }))
    }
}

/// The listener thread of a [`QueueHandler`] and the handlers it writes to (Python's
/// `QueueListener`).
///
/// # Examples
///
/// ```
/// use logkit_core::{NullHandler, Overflow, QueueHandler};
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
    sender: SyncSender<Command>,
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
    /// Callers between their check of `stopped` and the end of their send.
    in_flight: AtomicUsize,
}

/// The threads a listener has been told of, by id (kept for the listener's life).
type Threads = std::collections::HashMap<u64, Arc<ThreadInfo>>;

// Records travel inside the queue's slots, not boxed: queueing one allocates nothing.
#[allow(clippy::large_enum_variant)]
enum Command {
    Record(OwnedRecord),
    Flush(mpsc::Sender<()>),
    Stop,
}

/// Numbers queues, for [`INTRODUCED`].
static NEXT_QUEUE_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The queues this thread has sent its info to.
    static INTRODUCED: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

thread_local! {
    /// Set on listener threads: a record logged by a listener's own handler is handled in
    /// place, never queued (a full queue would wait for itself).
    static ON_LISTENER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn on_listener() -> bool {
    ON_LISTENER.try_with(std::cell::Cell::get).unwrap_or(false)
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
        let format = |r: &Record<'_>, out: &mut String| Ok(self.core.format(r, out)?);
        OwnedRecord::capture_with(record, &MessageText::Formatted(&format), thread)
    }

    /// Whether the listener has been sent this thread's info before (it keeps it, so the
    /// caller need not touch the info's shared reference count for every record).
    fn introduce_thread(&self) -> ThreadCapture {
        let queue = self.listener.shared.id;
        INTRODUCED
            .try_with(|known| {
                let mut known = known.borrow_mut();
                if known.contains(&queue) {
                    ThreadCapture::IdOnly
                } else {
                    known.push(queue);
                    ThreadCapture::Shared
                }
            })
            .unwrap_or(ThreadCapture::Shared)
    }

    fn enqueue(&self, prepared: OwnedRecord) -> Result<(), HandlerError> {
        let shared = &self.listener.shared;
        let command = Command::Record(prepared);
        let refused = match shared.overflow {
            Overflow::Block => self.listener.sender.send(command).err().map(|e| e.0),
            Overflow::DropNewest => match self.listener.sender.try_send(command) {
                Ok(()) => None,
                Err(TrySendError::Full(_)) => {
                    shared.dropped.fetch_add(1, Ordering::Relaxed);
                    shared.dropped_total.fetch_add(1, Ordering::Relaxed);
                    None
                }
                Err(TrySendError::Disconnected(c)) => Some(c),
            },
        };
        // The listener is gone (it cannot end before `stopped` is set, so this is only a
        // thread that died): handle the record here rather than lose it.
        if let Some(Command::Record(p)) = refused {
            shared.dispatch(&p, None);
        }
        Ok(())
    }
}

impl Handler for QueueHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let shared = &self.listener.shared;
        if on_listener() {
            shared.dispatch(&self.prepare(record, ThreadCapture::Shared)?, None);
            return Ok(());
        }
        shared.in_flight.fetch_add(1, Ordering::SeqCst);
        let result = if shared.stopped.load(Ordering::SeqCst) {
            self.prepare(record, ThreadCapture::Shared)
                .map(|p| shared.dispatch(&p, None))
        } else {
            let thread = self.introduce_thread();
            self.prepare(record, thread).and_then(|p| self.enqueue(p))
        };
        shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        result
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
        if self.listener.sender.send(Command::Flush(ack)).is_ok() {
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
            let _ = h.flush();
            let _ = h.close();
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
        shared.stopped.store(true, Ordering::SeqCst);
        // Callers that saw the listener running finish their sends before `Stop` is queued,
        // so `Stop` is the last command and nothing is left behind it.
        while shared.in_flight.load(Ordering::SeqCst) != 0 {
            std::thread::yield_now();
        }
        if std::thread::current().id() == thread.thread().id() {
            // A handler stopping its own listener cannot wait for it: the thread ends after
            // what is queued (or, if the queue is full, when the handler is dropped).
            let _ = self.sender.try_send(Command::Stop);
            return;
        }
        let _ = self.sender.send(Command::Stop);
        let _ = thread.join();
    }
}

impl Shared {
    /// Writes one record to every handler (checking levels if asked). The listener passes
    /// the threads it has been told of; a record from the caller's own thread needs none.
    fn dispatch(&self, owned: &OwnedRecord, threads: Option<&mut Threads>) {
        let write = |record: &mut Record<'_>| {
            for handler in &self.handlers {
                if self.respect_handler_level && record.level() < handler.level() {
                    continue;
                }
                super::handle(&**handler, record);
            }
        };
        match (owned.thread(), threads) {
            (Thread::Shared(info), Some(threads)) => {
                threads.entry(info.id).or_insert_with(|| Arc::clone(info));
                owned.with_record(write);
            }
            (Thread::Id(id), Some(threads)) => {
                let info = threads
                    .entry(*id)
                    .or_insert_with(|| Arc::new(ThreadInfo::unknown(*id)));
                owned.with_record_on(info, write);
            }
            (_, None) => owned.with_record(write),
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

/// The listener thread: handles commands in batches, flushing the handlers after each.
fn listen(shared: &Shared, receiver: &Receiver<Command>) {
    let _ = ON_LISTENER.try_with(|f| f.set(true));
    let mut last_report = Instant::now();
    let mut threads = Threads::new();
    loop {
        let first = match receiver.recv_timeout(DROP_REPORT_INTERVAL) {
            Ok(command) => Some(command),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let mut stop = false;
        let mut acks = Vec::new();
        let mut handled = 0;
        let mut next = first;
        while let Some(command) = next.take() {
            match command {
                Command::Record(p) => shared.dispatch(&p, Some(&mut threads)),
                Command::Flush(ack) => acks.push(ack),
                Command::Stop => stop = true,
            }
            handled += 1;
            if stop || handled >= MAX_BATCH {
                break;
            }
            next = receiver.try_recv().ok();
        }
        shared.report_dropped(&mut last_report, stop);
        shared.flush_handlers();
        for ack in acks {
            let _ = ack.send(());
        }
        if stop {
            break;
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
