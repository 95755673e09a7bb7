//! Waiting out the records in flight before a reconfiguration closes the handlers it dropped.
//!
//! A thread that logs reads the configuration snapshot without a lock, so when a new
//! configuration is published another thread may still be handing a record to a handler of
//! the old one. Closing that handler at once would make the record meet a closed handler:
//! a `'w'` file handler, a memory handler or a queue drop it. So a configuration call,
//! after publishing, waits until every thread that was dispatching a record has finished
//! it ([`wait_for_readers`]), and only then closes the old handlers.
//!
//! Each thread that logs has a [`Slot`]: a sequence number that only that thread writes,
//! odd while it dispatches a record (outermost call only; a record logged from inside a
//! handler is part of the outer one). Entering is a plain store followed by a `SeqCst`
//! fence, leaving a plain release store; there is no shared counter, so threads that log
//! never contend. The writer, after publishing, fences too and waits, for each slot found
//! odd, until it has moved on: a dispatch that starts after that point loads the new
//! configuration (the two fences order the writer's publication against the thread's
//! entry), and one that started before is finished once its slot moved.
//!
//! Not covered: a record logged while the thread's thread-local storage is being torn down
//! (from another thread-local's destructor), which has no slot.

use std::sync::atomic::{AtomicU64, Ordering, fence};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

/// One thread's dispatch sequence number: odd while it dispatches a record.
#[derive(Debug, Default)]
pub(crate) struct Slot {
    seq: AtomicU64,
}

/// The slots of the threads that have logged, for the writer to look through.
static SLOTS: Mutex<Vec<Weak<Slot>>> = Mutex::new(Vec::new());

impl Slot {
    /// A slot for the calling thread, registered for [`wait_for_readers`] (once per thread;
    /// slots of threads that ended are forgotten here).
    pub(crate) fn register() -> Arc<Slot> {
        let slot = Arc::new(Slot::default());
        let mut slots = SLOTS.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|w| w.strong_count() > 0);
        slots.push(Arc::downgrade(&slot));
        slot
    }

    /// Marks the start of a dispatch; the configuration must be loaded after this.
    #[inline]
    pub(crate) fn enter(&self) {
        let seq = self.seq.load(Ordering::Relaxed);
        self.seq.store(seq | 1, Ordering::Relaxed);
        fence(Ordering::SeqCst);
    }

    /// Marks the end of the dispatch begun by [`enter`](Self::enter).
    #[inline]
    pub(crate) fn leave(&self) {
        let seq = self.seq.load(Ordering::Relaxed);
        self.seq.store((seq | 1) + 1, Ordering::Release);
    }
}

/// Waits until every record that another thread was dispatching with an earlier
/// configuration is done. Call after publishing a new configuration and before closing
/// the handlers it no longer uses; not under the registry's writer lock (a handler may
/// take it). The calling thread's own dispatch, if it reconfigures from inside a handler,
/// is not waited for.
pub(crate) fn wait_for_readers(own: Option<&Slot>) {
    fence(Ordering::SeqCst);
    let slots: Vec<Arc<Slot>> = SLOTS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter_map(Weak::upgrade)
        .collect();
    for slot in &slots {
        if own.is_some_and(|o| std::ptr::eq(o, &**slot)) {
            continue;
        }
        let seen = slot.seq.load(Ordering::Acquire);
        if seen & 1 == 0 {
            continue;
        }
        let mut spins = 0u32;
        while slot.seq.load(Ordering::Acquire) == seen {
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else if spins < 128 {
                std::thread::yield_now();
            } else {
                // A handler that blocks (a network write): its own timeout bounds this.
                std::thread::sleep(Duration::from_micros(100));
            }
        }
    }
}
