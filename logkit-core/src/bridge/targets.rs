//! The logger of a record's target.
//!
//! A record's target (`hyper::proto::h1`) names its logger with `::` read as `.`
//! (`hyper.proto.h1`), made on first use as `get_logger` makes it. Finding it costs no lock
//! after a thread's first record from that target: each thread keeps the last targets it saw
//! in a small table (a target's address and length pick the slot; the text is compared), and
//! behind that a snapshot maps every target seen so far to its logger.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwapOption;

use crate::logger::tree::{Node, registry};

/// Slots of each thread's table of recent targets (a power of two: a hash's top bits pick
/// one).
const RECENT_SLOTS: usize = 8;
const _: () = assert!(RECENT_SLOTS.is_power_of_two());

thread_local! {
    static RECENT: [Cell<Option<(&'static str, &'static Node)>>; RECENT_SLOTS] =
        const { [const { Cell::new(None) }; RECENT_SLOTS] };
}

/// Every target seen so far, with its logger (copied on write; a new target is rare).
static TARGETS: ArcSwapOption<HashMap<&'static str, &'static Node>> = ArcSwapOption::const_empty();
/// Serialises additions to [`TARGETS`].
static ADD_TARGET: Mutex<()> = Mutex::new(());

/// The logger node of a record's `target`, made if needed.
#[inline]
pub(crate) fn node_of_target(target: &str) -> &'static Node {
    let slot = slot_of(target);
    let cached = RECENT.try_with(|recent| recent[slot].get()).ok().flatten();
    match cached {
        Some((seen, node)) if seen == target => node,
        _ => remember(target, slot),
    }
}

/// The slot of `target` in a thread's table of recent targets.
#[inline]
fn slot_of(target: &str) -> usize {
    let key = (target.as_ptr() as usize) ^ target.len().rotate_left(17);
    // The multiplier spreads the address's bits into the top ones (Fibonacci hashing).
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as usize) >> (usize::BITS - RECENT_SLOTS.ilog2())
}

/// Looks `target` up in the snapshot (adding it if it is new) and keeps it in this thread's
/// table.
#[cold]
#[inline(never)]
fn remember(target: &str, slot: usize) -> &'static Node {
    let known = TARGETS
        .load()
        .as_ref()
        .and_then(|map| map.get_key_value(target).map(|(k, n)| (*k, *n)));
    let (key, node) = match known {
        Some(found) => found,
        None => add_target(target),
    };
    let _ = RECENT.try_with(|recent| recent[slot].set(Some((key, node))));
    node
}

/// Adds `target` to the snapshot, making its logger.
fn add_target(target: &str) -> (&'static str, &'static Node) {
    let _guard = ADD_TARGET.lock().unwrap_or_else(PoisonError::into_inner);
    let current = TARGETS.load_full();
    if let Some((k, n)) = current.as_ref().and_then(|m| m.get_key_value(target)) {
        return (*k, *n);
    }
    let node = {
        let mut reg = registry();
        let name = logger_name(target);
        if name.is_empty() || name == "root" {
            reg.root()
        } else {
            reg.get_or_create(&name)
        }
    };
    // Targets are few and live as long as their loggers, which are never freed either.
    let key: &'static str = Box::leak(target.into());
    let mut map = current.as_deref().cloned().unwrap_or_default();
    map.insert(key, node);
    TARGETS.store(Some(Arc::new(map)));
    (key, node)
}

/// The logger name of a target: `::` read as `.` (`hyper::proto::h1` → `hyper.proto.h1`).
pub(crate) fn logger_name(target: &str) -> Cow<'_, str> {
    if target.contains("::") {
        Cow::Owned(target.replace("::", "."))
    } else {
        Cow::Borrowed(target)
    }
}

/// The threshold the logger of `target` has, or would have if made now (not making it).
#[cfg(feature = "tracing")]
pub(crate) fn threshold_of_target(target: &str) -> i32 {
    registry().threshold_of(&logger_name(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_name_loggers_with_dots() {
        assert_eq!(logger_name("hyper::proto::h1"), "hyper.proto.h1");
        assert_eq!(logger_name("app.db"), "app.db");
        let node = node_of_target("bridge_test::a::b");
        assert_eq!(&*node.name, "bridge_test.a.b");
        // The same logger from the cache, and from another string with the same text.
        let owned = String::from("bridge_test::a::b");
        assert!(std::ptr::eq(node_of_target("bridge_test::a::b"), node));
        assert!(std::ptr::eq(node_of_target(&owned), node));
        assert_eq!(&*node_of_target("").name, "root");
    }
}
