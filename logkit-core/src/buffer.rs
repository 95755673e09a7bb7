//! A reusable per-thread text buffer, so that formatting a record allocates nothing once the
//! buffer has grown.

use std::cell::RefCell;

/// Buffers larger than this are not kept for reuse (a huge record must not pin memory).
const KEEP_CAPACITY: usize = 64 * 1024;

thread_local! {
    static BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `f` with an empty buffer reused across calls on this thread.
///
/// Safe to nest (a handler that logs while formatting gets a fresh buffer).
///
/// # Examples
///
/// ```
/// let len = logkit_core::with_buffer(|buf| {
///     buf.push_str("formatted record");
///     buf.len()
/// });
/// assert_eq!(len, 16);
/// ```
pub fn with_buffer<R>(f: impl FnOnce(&mut String) -> R) -> R {
    let mut buf = BUFFER
        .try_with(|b| std::mem::take(&mut *b.borrow_mut()))
        .unwrap_or_default();
    buf.clear();
    let result = f(&mut buf);
    if buf.capacity() <= KEEP_CAPACITY {
        let _ = BUFFER.try_with(|b| {
            let mut slot = b.borrow_mut();
            if slot.capacity() < buf.capacity() {
                *slot = buf;
            }
        });
    }
    result
}
