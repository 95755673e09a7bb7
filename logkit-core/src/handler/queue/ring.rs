//! The queue between the callers and the listener: a bounded ring of slots that many threads
//! push into and one thread pops from, with no lock.
//!
//! Each slot carries a stamp saying whose turn it is. A position is a lap number and an
//! index packed into one `usize` (`lap * one_lap + index`, `one_lap` the power of two above
//! the capacity), so the ring holds exactly the capacity asked for with no division.
//!
//! - A slot is free for the producer at position `p` when its stamp is `p`; the producer
//!   claims `p` by advancing `tail` (one compare-and-swap), writes its value into the slot,
//!   and publishes it by setting the stamp to `p + 1`.
//! - The consumer at position `h` takes a slot whose stamp is `h + 1`, then frees it for the
//!   next lap by setting the stamp to `h + one_lap`.
//!
//! A producer reads `head` (the consumer's line) only when the ring looks full, so callers
//! and the listener share no cache line in the common case but the slots themselves.

use std::cell::UnsafeCell;
use std::collections::TryReserveError;
use std::mem::MaybeUninit;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering, fence};

/// Keeps a value on cache lines of its own (two, for the adjacent-line prefetcher).
#[repr(align(128))]
struct Padded<T>(T);

struct Slot<T> {
    stamp: AtomicUsize,
    value: UnsafeCell<MaybeUninit<T>>,
}

struct Ring<T> {
    /// The consumer's next position; written by the consumer only.
    head: Padded<AtomicUsize>,
    /// The next position to claim; advanced by producers.
    tail: Padded<AtomicUsize>,
    slots: Box<[Slot<T>]>,
    one_lap: usize,
}

// SAFETY: a slot's value is written by the one producer that claimed its position and read by
// the one consumer after the stamp published it (release/acquire); values cross threads, so
// `T: Send` is required, and nothing is shared by reference.
#[allow(unsafe_code)]
unsafe impl<T: Send> Sync for Ring<T> {}
// SAFETY: as above.
#[allow(unsafe_code)]
unsafe impl<T: Send> Send for Ring<T> {}

/// The pushing side; shared by every caller.
pub(super) struct Producer<T> {
    ring: Arc<Ring<T>>,
}

/// The popping side; one owner at a time (`pop` takes `&mut self`).
pub(super) struct Consumer<T> {
    ring: Arc<Ring<T>>,
}

/// A ring holding at most `capacity` values (at least 1).
///
/// # Errors
///
/// The slots could not be allocated (the caller bounds `capacity`; this turns what the
/// system refuses into an error rather than an abort).
pub(super) fn ring<T>(capacity: usize) -> Result<(Producer<T>, Consumer<T>), TryReserveError> {
    let capacity = capacity.max(1);
    let one_lap = capacity.saturating_add(1).next_power_of_two();
    let mut slots = Vec::new();
    slots.try_reserve_exact(capacity)?;
    slots.extend((0..capacity).map(|i| Slot {
        stamp: AtomicUsize::new(i),
        value: UnsafeCell::new(MaybeUninit::uninit()),
    }));
    let ring = Arc::new(Ring {
        head: Padded(AtomicUsize::new(0)),
        tail: Padded(AtomicUsize::new(0)),
        slots: slots.into_boxed_slice(),
        one_lap,
    });
    Ok((
        Producer {
            ring: Arc::clone(&ring),
        },
        Consumer { ring },
    ))
}

impl<T> Ring<T> {
    /// The position after `position`.
    #[inline]
    fn next(&self, position: usize) -> usize {
        let index = position & (self.one_lap - 1);
        if index + 1 < self.slots.len() {
            position + 1
        } else {
            (position & !(self.one_lap - 1)).wrapping_add(self.one_lap)
        }
    }

    fn slot(&self, position: usize) -> &Slot<T> {
        &self.slots[position & (self.one_lap - 1)]
    }
}

impl<T> Producer<T> {
    /// Queues `value`, or gives it back if the ring is full.
    #[inline]
    pub(super) fn try_push(&self, value: T) -> Result<(), T> {
        self.try_push_with(move || value).map_err(|make| make())
    }

    /// Queues the value `make` builds once a slot is claimed (inlined, it is built straight
    /// into the slot rather than copied there), or gives `make` back unrun if the ring is
    /// full.
    ///
    /// `make` must not panic: a claimed slot that is never published would stall the
    /// consumer, which waits for claimed slots to be written.
    #[inline(always)]
    pub(super) fn try_push_with<F: FnOnce() -> T>(&self, make: F) -> Result<(), F> {
        let ring = &*self.ring;
        let mut tail = ring.tail.0.load(Ordering::Relaxed);
        loop {
            let slot = ring.slot(tail);
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == tail {
                // SeqCst: the listener's "asleep, and the ring is empty" check pairs with it
                // (see `QueueHandler::enqueue`).
                match ring.tail.0.compare_exchange_weak(
                    tail,
                    ring.next(tail),
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        // SAFETY: this producer alone claimed `tail`, and the stamp says the
                        // consumer is done with the slot: nobody else reads or writes it
                        // until the stamp below publishes it.
                        #[allow(unsafe_code)]
                        unsafe {
                            slot.value.get().write(MaybeUninit::new(make()));
                        }
                        slot.stamp.store(tail + 1, Ordering::Release);
                        return Ok(());
                    }
                    Err(current) => tail = current,
                }
            } else if stamp.wrapping_add(ring.one_lap) == tail + 1 {
                // The slot still holds last lap's value: full, unless the consumer has
                // moved on since.
                fence(Ordering::SeqCst);
                if ring
                    .head
                    .0
                    .load(Ordering::Relaxed)
                    .wrapping_add(ring.one_lap)
                    == tail
                {
                    return Err(make);
                }
                std::hint::spin_loop();
                tail = ring.tail.0.load(Ordering::Relaxed);
            } else {
                // Another producer claimed this position first.
                std::hint::spin_loop();
                tail = ring.tail.0.load(Ordering::Relaxed);
            }
        }
    }
}

impl<T> Consumer<T> {
    /// The oldest value, or `None` when the ring is empty. A position a producer has claimed
    /// but not yet written is waited for (the write is a few stores away), so `None` means
    /// that nothing was claimed before the call.
    pub(super) fn pop(&mut self) -> Option<T> {
        let ring = &*self.ring;
        let head = ring.head.0.load(Ordering::Relaxed);
        let slot = ring.slot(head);
        let mut spins = 0_u32;
        loop {
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == head + 1 {
                break;
            }
            // Not written yet: empty, unless a producer has claimed it.
            fence(Ordering::SeqCst);
            if ring.tail.0.load(Ordering::Relaxed) == head {
                return None;
            }
            // The producer is a few moves from publishing, unless it was preempted: then
            // give it the core.
            spins += 1;
            if spins < 100 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        // SAFETY: the stamp (acquired) says the producer that claimed `head` has written the
        // slot, and only this consumer (`&mut self`) reads it; the stamp stored below hands
        // the slot back to producers only after the read.
        #[allow(unsafe_code)]
        let value = unsafe { slot.value.get().read().assume_init() };
        slot.stamp
            .store(head.wrapping_add(ring.one_lap), Ordering::Release);
        ring.head.0.store(ring.next(head), Ordering::Release);
        Some(value)
    }
}

impl<T> Drop for Ring<T> {
    fn drop(&mut self) {
        // Drops the values still queued (from `head` to `tail`, each published: a producer
        // holds a reference to the ring until its write is done).
        let mut head = *self.head.0.get_mut();
        let tail = *self.tail.0.get_mut();
        while head != tail {
            let slot = &mut self.slots[head & (self.one_lap - 1)];
            // SAFETY: positions from `head` to `tail` were claimed and written (no producer
            // is left: the ring is being dropped) and not yet read.
            #[allow(unsafe_code)]
            unsafe {
                slot.value.get_mut().assume_init_drop();
            }
            head = self.next(head);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::ring;

    #[test]
    fn holds_exactly_its_capacity_in_order() {
        for capacity in [1, 2, 3, 5, 8, 9] {
            let (producer, mut consumer) = ring::<usize>(capacity).unwrap();
            for lap in 0..4 {
                for i in 0..capacity {
                    assert_eq!(producer.try_push(lap * 100 + i), Ok(()));
                }
                assert_eq!(producer.try_push(999), Err(999), "capacity {capacity}");
                for i in 0..capacity {
                    assert_eq!(consumer.pop(), Some(lap * 100 + i));
                }
                assert_eq!(consumer.pop(), None);
            }
        }
    }

    #[test]
    fn interleaved_pushes_and_pops_keep_order() {
        let (producer, mut consumer) = ring::<u32>(3).unwrap();
        let mut expected = 0;
        for i in 0..100 {
            producer.try_push(i).unwrap();
            if i % 3 == 2 {
                while let Some(v) = consumer.pop() {
                    assert_eq!(v, expected);
                    expected += 1;
                }
            }
        }
        while let Some(v) = consumer.pop() {
            assert_eq!(v, expected);
            expected += 1;
        }
        assert_eq!(expected, 100);
    }

    /// Counts drops, to show queued values are dropped with the ring.
    struct Counted(Arc<AtomicUsize>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn values_left_in_the_ring_are_dropped_with_it() {
        let drops = Arc::new(AtomicUsize::new(0));
        let (producer, mut consumer) = ring(4).unwrap();
        for _ in 0..7 {
            if let Err(v) = producer.try_push(Counted(Arc::clone(&drops))) {
                drop(v);
                drop(consumer.pop());
                producer.try_push(Counted(Arc::clone(&drops))).ok().unwrap();
            }
        }
        assert_eq!(drops.load(Ordering::Relaxed), 6);
        drop((producer, consumer));
        assert_eq!(drops.load(Ordering::Relaxed), 10);
    }

    #[test]
    fn many_producers_lose_and_duplicate_nothing() {
        const THREADS: usize = 4;
        const EACH: usize = 50_000;
        let (producer, mut consumer) = ring::<(usize, usize)>(64).unwrap();
        let producer = Arc::new(producer);
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let producer = Arc::clone(&producer);
                std::thread::spawn(move || {
                    for i in 0..EACH {
                        let mut v = (t, i);
                        while let Err(back) = producer.try_push(v) {
                            v = back;
                            std::thread::yield_now();
                        }
                    }
                })
            })
            .collect();
        let mut next = [0; THREADS];
        let mut received = 0;
        while received < THREADS * EACH {
            match consumer.pop() {
                Some((t, i)) => {
                    // Each producer's values arrive in its order, each once.
                    assert_eq!(i, next[t]);
                    next[t] += 1;
                    received += 1;
                }
                None => std::thread::yield_now(),
            }
        }
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(consumer.pop(), None);
        assert_eq!(next, [EACH; THREADS]);
    }
}
