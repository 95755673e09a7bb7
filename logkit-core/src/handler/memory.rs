//! `BufferingHandler` and `MemoryHandler`: keep records in memory and hand them on in
//! batches (Python's `logging.handlers.BufferingHandler` and `MemoryHandler`).
//!
//! Each record is copied ([`OwnedRecord`]) when it is buffered, its message merged then; a
//! flush hands the copies on in order.

use std::fmt;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{Handler, HandlerCore, HandlerError, HandlerRef, IntoHandler, OwnedRecord};
use crate::level::Level;
use crate::record::Record;

/// Buffers records and passes them, in order, to a function when the buffer holds
/// `capacity` records, at [`flush`](Handler::flush), and at [`close`](Handler::close)
/// (Python's `BufferingHandler`, with `flush` given as a function: build a batching
/// destination on it, such as one mail per hundred records).
///
/// # Examples
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use logkit::{BufferingHandler, Handler, Level, get_logger};
///
/// let batches = Arc::new(Mutex::new(Vec::new()));
/// let sink = Arc::clone(&batches);
/// let handler = BufferingHandler::new(2, move |records| {
///     let messages: Vec<String> = records
///         .iter()
///         .map(|r| r.with_record(|r| r.message_string().unwrap()))
///         .collect();
///     sink.lock().unwrap().push(messages);
///     Ok(())
/// });
/// let logger = get_logger("buffering.doc");
/// logger.add_handler(handler);
/// for n in 1..=3 {
///     logger.log(Level::WARNING, &format!("record {n}"), &[]);
/// }
/// assert_eq!(*batches.lock().unwrap(), [["record 1", "record 2"]]);
/// ```
pub struct BufferingHandler {
    core: HandlerCore,
    capacity: usize,
    buffer: Mutex<Vec<OwnedRecord>>,
    #[allow(clippy::type_complexity)]
    on_flush: Box<dyn Fn(&[OwnedRecord]) -> Result<(), HandlerError> + Send + Sync>,
}

impl BufferingHandler {
    /// A handler that passes its records to `on_flush` in batches of `capacity` (at least
    /// 1), and whatever is buffered at flush and close.
    pub fn new(
        capacity: usize,
        on_flush: impl Fn(&[OwnedRecord]) -> Result<(), HandlerError> + Send + Sync + 'static,
    ) -> Self {
        BufferingHandler {
            core: HandlerCore::new(),
            capacity: capacity.max(1),
            buffer: Mutex::new(Vec::new()),
            on_flush: Box::new(on_flush),
        }
    }

    /// How many records a batch holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many records are buffered now.
    pub fn buffered(&self) -> usize {
        lock(&self.buffer).len()
    }

    /// Passes a batch to `on_flush` (called without the buffer's lock held).
    fn pass_on(&self, batch: &[OwnedRecord]) -> Result<(), HandlerError> {
        if batch.is_empty() {
            return Ok(());
        }
        (self.on_flush)(batch)
    }
}

impl Handler for BufferingHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let owned = OwnedRecord::capture(record)?;
        let batch = {
            let mut buffer = lock(&self.buffer);
            buffer.push(owned);
            if buffer.len() >= self.capacity {
                std::mem::take(&mut *buffer)
            } else {
                Vec::new()
            }
        };
        self.pass_on(&batch)
    }

    fn flush(&self) -> Result<(), HandlerError> {
        let batch = std::mem::take(&mut *lock(&self.buffer));
        self.pass_on(&batch)
    }
}

impl fmt::Debug for BufferingHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferingHandler")
            .field("capacity", &self.capacity)
            .field("buffered", &self.buffered())
            .field("core", &self.core)
            .finish()
    }
}

/// Buffers records and hands them to a target handler when the buffer is full, when a
/// record at `flush_level` or above arrives, at [`flush`](Handler::flush) and at
/// [`close`](Handler::close) (Python's `MemoryHandler`).
///
/// As in CPython, the target receives every buffered record — its filters run, but its
/// level is not checked — so keeping the DEBUG records that led up to an ERROR works by
/// setting levels on the loggers, not on the target.
///
/// # Examples
///
/// ```
/// use logkit::{Capture, Handler, Level, MemoryHandler, StreamHandler, get_logger};
///
/// let out = Capture::new();
/// let memory = MemoryHandler::new(100, Level::ERROR, StreamHandler::new(out.clone()));
/// let logger = get_logger("memory.doc");
/// logger.set_level(Level::DEBUG);
/// logger.add_handler(memory);
/// logger.log(Level::DEBUG, "opening", &[]);
/// logger.log(Level::INFO, "reading", &[]);
/// assert_eq!(out.contents(), ""); // buffered
/// logger.log(Level::ERROR, "failed", &[]);
/// assert_eq!(out.contents(), "opening\nreading\nfailed\n");
/// ```
pub struct MemoryHandler {
    core: HandlerCore,
    capacity: usize,
    flush_level: AtomicI32,
    flush_on_close: bool,
    state: Mutex<MemoryState>,
}

struct MemoryState {
    buffer: Vec<OwnedRecord>,
    target: Option<HandlerRef>,
}

impl MemoryHandler {
    /// A handler buffering up to `capacity` records (at least 1) for `target`, flushing
    /// early on a record at `flush_level` or above (CPython's default is ERROR).
    pub fn new(capacity: usize, flush_level: Level, target: impl IntoHandler) -> Self {
        MemoryHandler::build(capacity, flush_level, Some(target.into_handler()), true)
    }

    /// A handler with no target yet (records are kept until [`set_target`](Self::set_target)
    /// and a flush); `flush_on_close` false drops the buffered records at close, as
    /// CPython's `flushOnClose=False` does.
    pub fn without_target(capacity: usize, flush_level: Level, flush_on_close: bool) -> Self {
        MemoryHandler::build(capacity, flush_level, None, flush_on_close)
    }

    fn build(
        capacity: usize,
        flush_level: Level,
        target: Option<HandlerRef>,
        flush_on_close: bool,
    ) -> Self {
        MemoryHandler {
            core: HandlerCore::new(),
            capacity: capacity.max(1),
            flush_level: AtomicI32::new(flush_level.value()),
            flush_on_close,
            state: Mutex::new(MemoryState {
                buffer: Vec::new(),
                target,
            }),
        }
    }

    /// Sets the handler that receives the buffered records (Python's `setTarget`).
    pub fn set_target(&self, target: impl IntoHandler) {
        lock(&self.state).target = Some(target.into_handler());
    }

    /// The target, if any.
    pub fn target(&self) -> Option<HandlerRef> {
        lock(&self.state).target.clone()
    }

    /// The level that makes a record flush the buffer at once.
    pub fn flush_level(&self) -> Level {
        Level::new(self.flush_level.load(Ordering::Relaxed))
    }

    /// Changes the flush level.
    pub fn set_flush_level(&self, level: Level) {
        self.flush_level.store(level.value(), Ordering::Relaxed);
    }

    /// How many records a full buffer holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many records are buffered now.
    pub fn buffered(&self) -> usize {
        lock(&self.state).buffer.len()
    }

    /// Takes the buffer for the target, to be handed on outside the lock (a target may
    /// itself log); without a target the records stay buffered, as in CPython.
    fn take_batch(state: &mut MemoryState) -> Option<(HandlerRef, Vec<OwnedRecord>)> {
        let target = state.target.clone()?;
        Some((target, std::mem::take(&mut state.buffer)))
    }

    fn hand_on(batch: Option<(HandlerRef, Vec<OwnedRecord>)>) {
        if let Some((target, records)) = batch {
            for owned in &records {
                owned.with_record(|record| super::handle(&*target, record));
            }
        }
    }
}

impl Handler for MemoryHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let owned = OwnedRecord::capture(record)?;
        let batch = {
            let mut state = lock(&self.state);
            state.buffer.push(owned);
            let full = state.buffer.len() >= self.capacity;
            if full || record.level() >= self.flush_level() {
                MemoryHandler::take_batch(&mut state)
            } else {
                None
            }
        };
        MemoryHandler::hand_on(batch);
        Ok(())
    }

    fn flush(&self) -> Result<(), HandlerError> {
        let batch = MemoryHandler::take_batch(&mut lock(&self.state));
        MemoryHandler::hand_on(batch);
        Ok(())
    }

    /// Flushes (unless made with `flush_on_close` false), then lets go of the target and
    /// the buffer.
    fn close(&self) -> Result<(), HandlerError> {
        let batch = {
            let mut state = lock(&self.state);
            let batch = if self.flush_on_close {
                MemoryHandler::take_batch(&mut state)
            } else {
                None
            };
            state.target = None;
            state.buffer.clear();
            batch
        };
        MemoryHandler::hand_on(batch);
        Ok(())
    }
}

impl fmt::Debug for MemoryHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("MemoryHandler")
            .field("capacity", &self.capacity)
            .field("flush_level", &self.flush_level())
            .field("buffered", &state.buffer.len())
            .field("target", &state.target)
            .field("core", &self.core)
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
