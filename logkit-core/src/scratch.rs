//! Per-thread scratch space: the buffer a record is formatted into and a cache of handler
//! states, so that formatting a record allocates nothing and reads a handler's formatter
//! without an atomic read-modify-write.
//!
//! Both live in one thread-local, borrowed once per handler per record. A nested use (a
//! formatter or writer that logs) finds it borrowed and falls back to a fresh buffer and a
//! direct load.

use std::cell::RefCell;
use std::sync::Arc;

/// Buffers larger than this are not kept for reuse (a huge record must not pin memory).
const KEEP_CAPACITY: usize = 64 * 1024;

/// How many handler states a thread keeps.
const STATE_SLOTS: usize = 4;

/// A thread's scratch space.
pub(crate) struct Scratch<S: 'static> {
    buffer: String,
    states: [(u64, Option<Arc<S>>); STATE_SLOTS],
    next: usize,
}

impl<S> Scratch<S> {
    const fn new() -> Self {
        Scratch {
            buffer: String::new(),
            states: [(0, None), (0, None), (0, None), (0, None)],
            next: 0,
        }
    }

    /// The emptied buffer and the state of `generation` (loaded with `load` on a miss).
    #[inline]
    pub(crate) fn parts(
        &mut self,
        generation: u64,
        load: impl FnOnce() -> Arc<S>,
    ) -> (&mut String, &S) {
        let index = match self.states.iter().position(|(g, _)| *g == generation) {
            Some(i) => i,
            None => {
                let i = self.next;
                self.next = (i + 1) % STATE_SLOTS;
                self.states[i] = (generation, Some(load()));
                i
            }
        };
        self.buffer.clear();
        let state = self.states[index].1.as_deref();
        match state {
            Some(s) => (&mut self.buffer, s),
            None => unreachable!("a filled slot"),
        }
    }

    fn trim(&mut self) {
        if self.buffer.capacity() > KEEP_CAPACITY {
            self.buffer = String::new();
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch<crate::handler::CoreState>> = const { RefCell::new(Scratch::new()) };
}

/// Runs `f` with this thread's scratch space, or `None` when it is in use (nested) or gone
/// (the thread is exiting).
#[inline(always)]
pub(crate) fn with_scratch<R>(
    f: impl FnOnce(Option<&mut Scratch<crate::handler::CoreState>>) -> R,
) -> R {
    let mut f = Some(f);
    let done = SCRATCH.try_with(
        #[inline(always)]
        |s| match s.try_borrow_mut() {
            Ok(mut scratch) => {
                let f = f.take()?;
                let result = f(Some(&mut scratch));
                scratch.trim();
                Some(result)
            }
            Err(_) => None,
        },
    );
    match (done, f) {
        (Ok(Some(result)), _) => result,
        (_, Some(f)) => f(None),
        (_, None) => unreachable!("`f` runs exactly once"),
    }
}

/// Runs `f` with an empty buffer reused across calls on this thread.
///
/// Safe to nest (a handler that logs while formatting gets a fresh buffer).
///
/// # Examples
///
/// ```
/// let len = logkit::with_buffer(|buf| {
///     buf.push_str("formatted record");
///     buf.len()
/// });
/// assert_eq!(len, 16);
/// ```
#[inline]
pub fn with_buffer<R>(f: impl FnOnce(&mut String) -> R) -> R {
    with_scratch(|scratch| match scratch {
        Some(s) => {
            s.buffer.clear();
            f(&mut s.buffer)
        }
        None => f(&mut String::new()),
    })
}
