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
//! A slot's value is an `Option`, `None` whenever the slot is free: the consumer takes the
//! value out, leaving `None`. A producer publishes the slot it claimed even when building its
//! value panics, with the slot still `None`, and the consumer steps past such a slot: a panic
//! between claiming and publishing can neither stall the consumer nor leave a value that was
//! never written to be read or dropped.
//!
//! A producer reads `head` (the consumer's line) only when the ring looks full, so callers
//! and the listener share no cache line in the common case but the slots themselves.

mod sync;

use std::collections::TryReserveError;
use std::sync::atomic::Ordering;

use sync::{Arc, AtomicUsize, UnsafeCell, fence, spin_loop, yield_now};

/// Keeps a value on cache lines of its own (two, for the adjacent-line prefetcher).
#[repr(align(128))]
struct Padded<T>(T);

/// Aligned to a cache line, so that a slot of 128 bytes (a compact record's) spans two lines,
/// not three.
#[repr(align(64))]
struct Slot<T> {
    stamp: AtomicUsize,
    /// `Some` from a producer's write to the consumer's read, `None` otherwise (also when
    /// published by a producer that panicked before writing).
    value: UnsafeCell<Option<T>>,
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
        value: UnsafeCell::new(None),
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

/// Publishes a claimed slot when dropped: once its value is written, or, when building the
/// value panics, with the slot still empty (the consumer then steps past it).
struct Publish<'s> {
    stamp: &'s AtomicUsize,
    position: usize,
}

impl Drop for Publish<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        self.stamp.store(self.position + 1, Ordering::Release);
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
    /// If `make` panics, the claimed slot is published empty (the consumer steps past it)
    /// and the panic goes on.
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
                        // From here the slot is published however this scope is left.
                        let publish = Publish {
                            stamp: &slot.stamp,
                            position: tail,
                        };
                        #[cfg(test)]
                        claim_hook::after_claim();
                        // SAFETY: this producer alone claimed `tail`, and the stamp
                        // (acquired) says the consumer is done with the slot, so it holds
                        // `None` (nothing to drop) and nobody else reads or writes it until
                        // `publish` stores the stamp.
                        #[allow(unsafe_code)]
                        slot.value
                            .with_mut(|value| unsafe { value.write(Some(make())) });
                        drop(publish);
                        return Ok(());
                    }
                    Err(current) => tail = current,
                }
            } else if stamp.wrapping_add(ring.one_lap) == tail + 1
                || stamp.wrapping_add(ring.one_lap) == tail
            {
                // The slot still holds last lap's value (published, or claimed and about to
                // be): full, unless the consumer has moved on since. (Waiting here for last
                // lap's producer to publish would spin on a full ring for as long as that
                // producer is descheduled.)
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
                spin_loop();
                tail = ring.tail.0.load(Ordering::Relaxed);
            } else {
                // Another producer claimed this position first.
                spin_loop();
                tail = ring.tail.0.load(Ordering::Relaxed);
            }
        }
    }
}

impl<T> Consumer<T> {
    /// The oldest value, or `None` when the ring is empty. A position a producer has claimed
    /// but not yet published is waited for (the write is a few stores away), so `None` means
    /// that nothing was claimed before the call. A slot published empty (its producer
    /// panicked before writing it) is stepped past.
    pub(super) fn pop(&mut self) -> Option<T> {
        let ring = &*self.ring;
        loop {
            let head = ring.head.0.load(Ordering::Relaxed);
            let slot = ring.slot(head);
            let mut spins = 0_u32;
            loop {
                let stamp = slot.stamp.load(Ordering::Acquire);
                if stamp == head + 1 {
                    break;
                }
                // Not published yet: empty, unless a producer has claimed it.
                fence(Ordering::SeqCst);
                if ring.tail.0.load(Ordering::Relaxed) == head {
                    return None;
                }
                // The producer is a few moves from publishing, unless it was preempted:
                // then give it the core.
                spins += 1;
                if spins < 100 {
                    spin_loop();
                } else {
                    yield_now();
                }
            }
            // SAFETY: the stamp (acquired) says the producer that claimed `head` is done
            // with the slot, and only this consumer (`&mut self`) reads it; the stamp stored
            // below hands the slot back to producers only after the value is taken out.
            #[allow(unsafe_code)]
            let value = slot.value.with_mut(|value| unsafe { (*value).take() });
            slot.stamp
                .store(head.wrapping_add(ring.one_lap), Ordering::Release);
            ring.head.0.store(ring.next(head), Ordering::Release);
            if value.is_some() {
                return value;
            }
            // Published empty: its producer panicked before writing it. On to the next.
        }
    }
}

/// Makes a push panic between claiming its slot and writing it, to test that path.
#[cfg(test)]
pub(super) mod claim_hook {
    use std::cell::Cell;

    thread_local! {
        static PANIC_AFTER_NEXT_CLAIM: Cell<bool> = const { Cell::new(false) };
    }

    /// This thread's next push that claims a slot panics right after claiming it.
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn panic_after_next_claim() {
        PANIC_AFTER_NEXT_CLAIM.set(true);
    }

    /// Panics if [`panic_after_next_claim`] was called on this thread since the last claim.
    pub(super) fn after_claim() {
        if PANIC_AFTER_NEXT_CLAIM.replace(false) {
            std::panic::resume_unwind(Box::new("a push panicked between claim and publish"));
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{Producer, claim_hook, ring};

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

    /// Counts drops, to show each value is dropped exactly once.
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

    /// `threads` producers each push `each` values into a ring of `capacity`, retrying while
    /// it is full, and the consumer (this thread) checks that every value arrives once, in
    /// its producer's order.
    fn exchange(threads: usize, capacity: usize, each: usize) {
        let (producer, mut consumer) = ring::<(usize, usize)>(capacity).unwrap();
        let producer = Arc::new(producer);
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let producer = Arc::clone(&producer);
                std::thread::spawn(move || {
                    for i in 0..each {
                        push_until_taken(&producer, (t, i));
                    }
                })
            })
            .collect();
        let mut next = vec![0; threads];
        let mut received = 0;
        while received < threads * each {
            match consumer.pop() {
                Some((t, i)) => {
                    assert_eq!(i, next[t], "producer {t}");
                    next[t] += 1;
                    received += 1;
                }
                None => std::thread::yield_now(),
            }
        }
        for handle in handles {
            handle.join().unwrap();
        }
        assert_eq!(consumer.pop(), None);
        assert_eq!(next, vec![each; threads]);
    }

    fn push_until_taken<T>(producer: &Producer<T>, mut value: T) {
        while let Err(back) = producer.try_push(value) {
            value = back;
            std::thread::yield_now();
        }
    }

    #[test]
    fn many_producers_lose_and_duplicate_nothing() {
        exchange(4, 64, if cfg!(miri) { 100 } else { 50_000 });
    }

    #[test]
    fn small_rings_wrap_around_under_two_to_four_producers() {
        let each = if cfg!(miri) { 12 } else { 5_000 };
        for threads in 2..=4 {
            for capacity in [1, 2, 3] {
                exchange(threads, capacity, each);
            }
        }
    }

    /// Pushes a value whose building panics once its slot is claimed.
    fn push_panicking(producer: &Producer<usize>) {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            producer.try_push_with(|| resume_unwind(Box::new("building the value failed")))
        }));
        assert!(outcome.is_err(), "the push was refused, not made");
    }

    #[test]
    fn a_panic_between_claim_and_publish_is_stepped_over() {
        let (producer, mut consumer) = ring::<usize>(2).unwrap();
        producer.try_push(0).unwrap();
        push_panicking(&producer);
        // The empty slot still counts until the consumer passes it.
        assert_eq!(producer.try_push(9), Err(9));
        assert_eq!(consumer.pop(), Some(0));
        assert_eq!(consumer.pop(), None);
        // Both slots again, after the wrap-around, and a panicking push at the head.
        push_panicking(&producer);
        producer.try_push(1).unwrap();
        assert_eq!(consumer.pop(), Some(1));
        for lap in 0..3 {
            producer.try_push(lap * 10).unwrap();
            push_panicking(&producer);
            assert_eq!(consumer.pop(), Some(lap * 10));
            assert_eq!(consumer.pop(), None);
        }
    }

    #[test]
    fn a_value_moved_in_is_dropped_once_when_the_push_panics() {
        let drops = Arc::new(AtomicUsize::new(0));
        let (producer, mut consumer) = ring(2).unwrap();
        claim_hook::panic_after_next_claim();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            producer.try_push(Counted(Arc::clone(&drops)))
        }));
        assert!(outcome.is_err());
        assert_eq!(drops.load(Ordering::Relaxed), 1, "dropped while unwinding");
        producer.try_push(Counted(Arc::clone(&drops))).ok().unwrap();
        // The consumer steps past the empty slot (nothing there is dropped) to the value.
        assert!(consumer.pop().is_some());
        assert_eq!(drops.load(Ordering::Relaxed), 2);
        producer.try_push(Counted(Arc::clone(&drops))).ok().unwrap();
        drop((producer, consumer));
        assert_eq!(drops.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn the_consumer_steps_over_panicked_pushes_while_others_push() {
        let each = if cfg!(miri) { 10 } else { 2_000 };
        let (producer, mut consumer) = ring::<usize>(2).unwrap();
        let producer = Arc::new(producer);
        let panicked = Arc::new(AtomicUsize::new(0));
        let pushing = {
            let producer = Arc::clone(&producer);
            std::thread::spawn(move || {
                for i in 0..each {
                    push_until_taken(&producer, i);
                }
            })
        };
        let panicking = {
            let (producer, panicked) = (Arc::clone(&producer), Arc::clone(&panicked));
            std::thread::spawn(move || {
                while panicked.load(Ordering::Relaxed) < each {
                    // Refused while the ring is full; else panics once the slot is claimed.
                    claim_hook::panic_after_next_claim();
                    let outcome = catch_unwind(AssertUnwindSafe(|| producer.try_push(usize::MAX)));
                    match outcome {
                        Err(_) => drop(panicked.fetch_add(1, Ordering::Relaxed)),
                        Ok(refused) => {
                            assert_eq!(refused, Err(usize::MAX));
                            std::thread::yield_now();
                        }
                    }
                }
            })
        };
        let mut expected = 0;
        while expected < each || panicked.load(Ordering::Relaxed) < each {
            match consumer.pop() {
                Some(v) => {
                    assert_eq!(v, expected);
                    expected += 1;
                }
                None => std::thread::yield_now(),
            }
        }
        pushing.join().unwrap();
        panicking.join().unwrap();
        assert_eq!(consumer.pop(), None);
    }
}

/// Models of the claim/publish/pop protocol, run by loom through every interleaving (up to
/// its preemption bound) with each slot access checked for data races:
/// `RUSTFLAGS="--cfg loom" cargo test -p logkit-core --lib --release loom` (scripts/loom.sh).
///
/// Each thread tries each push and pop once rather than retrying until it succeeds: a retry
/// loop that waits for another thread makes loom's executions long without adding
/// interleavings. The ring's own waits (the consumer for a claimed slot to be published, a
/// producer for a slot claimed a lap earlier) remain. The test's own thread pushes first and
/// the consumer is spawned last, so that loom's first execution has the pops reading what
/// the pushes wrote, and it works back from there to the orders where pops come first.
#[cfg(all(test, loom))]
mod loom_models {
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

    use loom::thread;

    use super::sync::Arc;
    use super::{Consumer, Producer, ring};

    /// Tries to push each of `values` once; the values taken. A refused value must come back
    /// unchanged.
    fn push_each(producer: &Producer<usize>, values: &[usize]) -> Vec<usize> {
        let mut taken = Vec::new();
        for &value in values {
            match producer.try_push(value) {
                Ok(()) => taken.push(value),
                Err(back) => assert_eq!(back, value),
            }
        }
        taken
    }

    /// Pops `times` times on a thread of its own; the consumer and what it got back.
    fn spawn_consumer(
        mut consumer: Consumer<usize>,
        times: usize,
    ) -> thread::JoinHandle<(Consumer<usize>, Vec<usize>)> {
        thread::spawn(move || {
            let received = (0..times).filter_map(|_| consumer.pop()).collect();
            (consumer, received)
        })
    }

    /// Everything left in the ring, in order.
    fn drain(consumer: &mut Consumer<usize>) -> Vec<usize> {
        std::iter::from_fn(|| consumer.pop()).collect()
    }

    /// Checks that `received` is exactly the values `taken` by each producer, each
    /// producer's in its order.
    fn assert_delivered(received: &[usize], taken: &[Vec<usize>]) {
        let mut all: Vec<usize> = taken.concat();
        let mut got = received.to_vec();
        all.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, all, "received {received:?}, taken {taken:?}");
        for own in taken {
            let in_order: Vec<usize> = received
                .iter()
                .copied()
                .filter(|v| own.contains(v))
                .collect();
            assert_eq!(&in_order, own);
        }
    }

    /// Two producers push two values each into a ring of two while the consumer pops twice:
    /// the positions wrap around when a pop frees a slot in time, and a producer may find
    /// the ring full. Every value taken arrives once, in its producer's order.
    #[test]
    fn loom_two_producers_one_consumer_wrap_around() {
        loom::model(|| {
            let (producer, consumer) = ring::<usize>(2).unwrap();
            let producer = Arc::new(producer);
            let other = {
                let producer = Arc::clone(&producer);
                thread::spawn(move || push_each(&producer, &[20, 21]))
            };
            let popping = spawn_consumer(consumer, 2);
            let own = push_each(&producer, &[10, 11]);
            let taken = vec![own, other.join().unwrap()];
            let (mut consumer, mut received) = popping.join().unwrap();
            received.extend(drain(&mut consumer));
            assert_delivered(&received, &taken);
        });
    }

    /// The ring is full when two producers each try once to push while the consumer pops
    /// one value: at most one push finds the freed slot, a refused value is given back
    /// unchanged, and nothing is lost or duplicated.
    #[test]
    fn loom_full_ring_two_producers_race_one_pop() {
        loom::model(|| {
            let (producer, consumer) = ring::<usize>(2).unwrap();
            producer.try_push(0).unwrap();
            producer.try_push(1).unwrap();
            let producer = Arc::new(producer);
            let other = {
                let producer = Arc::clone(&producer);
                thread::spawn(move || push_each(&producer, &[3]))
            };
            let popping = spawn_consumer(consumer, 1);
            let mut taken = push_each(&producer, &[2]);
            taken.extend(other.join().unwrap());
            let (mut consumer, received) = popping.join().unwrap();
            assert_eq!(received, [0]);
            assert!(taken.len() <= 1, "{taken:?}");
            let mut expected = vec![1];
            expected.extend(taken);
            assert_eq!(drain(&mut consumer), expected);
        });
    }

    /// One producer's value panics while being built, after its slot is claimed, while the
    /// other producer pushes two values into a ring of two and the consumer pops twice: the
    /// consumer steps past the empty slot, gets the other values in order, and the ring
    /// works on afterwards (both slots, a lap on).
    #[test]
    fn loom_panic_between_claim_and_publish_is_stepped_over() {
        loom::model(|| {
            let (producer, consumer) = ring::<usize>(2).unwrap();
            let producer = Arc::new(producer);
            let panicking = {
                let producer = Arc::clone(&producer);
                thread::spawn(move || {
                    let outcome = catch_unwind(AssertUnwindSafe(|| {
                        producer.try_push_with(|| -> usize {
                            resume_unwind(Box::new("building the value failed"))
                        })
                    }));
                    // A panic, or refused as full before anything was built.
                    assert!(matches!(outcome, Err(_) | Ok(Err(_))));
                })
            };
            let popping = spawn_consumer(consumer, 2);
            let taken = push_each(&producer, &[1, 2]);
            panicking.join().unwrap();
            let (mut consumer, mut received) = popping.join().unwrap();
            received.extend(drain(&mut consumer));
            assert_eq!(received, taken);
            for value in [3, 4] {
                producer.try_push(value).unwrap();
            }
            assert_eq!(drain(&mut consumer), [3, 4]);
        });
    }
}
