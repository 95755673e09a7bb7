//! What the ring is built on: std's atomics, cell, `Arc` and spin hints, or, in the unit-test
//! build under `cfg(loom)`, loom's, so that the model tests (`loom_*` in the ring's tests)
//! run the ring's claim/publish/pop protocol through every interleaving loom explores and
//! check each slot access for data races. (loom is a dev-dependency: the library build that
//! the tests link against through `logkit` keeps std's.)

#[cfg(all(test, loom))]
pub(super) use loom::{
    cell::UnsafeCell,
    hint::spin_loop,
    sync::Arc,
    sync::atomic::{AtomicUsize, fence},
    thread::yield_now,
};
#[cfg(not(all(test, loom)))]
pub(super) use std::{
    hint::spin_loop,
    sync::Arc,
    sync::atomic::{AtomicUsize, fence},
    thread::yield_now,
};

/// `std::cell::UnsafeCell` with loom's access API (`with_mut`), which compiles to the plain
/// pointer.
#[cfg(not(all(test, loom)))]
#[derive(Debug)]
pub(super) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(all(test, loom)))]
impl<T> UnsafeCell<T> {
    /// A cell holding `value`.
    pub(super) const fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    /// Calls `f` with a pointer to the value; what the pointer may be used for is the
    /// caller's to prove, as with `std::cell::UnsafeCell::get`.
    #[inline(always)]
    pub(super) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}
