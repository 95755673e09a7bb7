//! The path of one record through the tree, exactly as CPython's `Logger.handle` and
//! `callHandlers` (spec §3).
//!
//! 1. At the logger where the call was made: `disabled`, then the logger's filters.
//! 2. Up the tree while `propagate` holds: each logger's handlers, in order, each checked
//!    against its own level (ancestor *logger* levels, filters and `disabled` are not
//!    consulted).
//! 3. No handler anywhere (whatever their levels): the last-resort handler, which prints
//!    the bare message of WARNING and above on stderr.
//!
//! One load of the configuration snapshot per record; no lock.
//!
//! A macro call whose logger sends its records to one queue handler and nothing else (see
//! [`direct_route`]) is queued without building a [`Record`]: the queue takes the call's
//! parts as they are, and the record is made on the listener.

use std::cell::{Cell, OnceCell, RefCell};
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::cache::Cache;
use arc_swap::{ArcSwap, ArcSwapOption};

use super::Callsite;
use super::grace::{self, Slot};
use super::tree::{CURRENT, Config, Node};
use crate::filter;
use crate::format::{Format, MessageOnly};
use crate::handler::{self, HandlerRef, QueueHandler};
use crate::level::Level;
use crate::message::Arg;
use crate::record::Record;
use crate::scratch::with_buffer;

/// How deep logging may nest (a handler that logs while handling) before records are dropped.
const MAX_DEPTH: u32 = 8;

type ConfigCache = Cache<&'static ArcSwapOption<Config>, Option<Arc<Config>>>;

/// Per-thread dispatch state: the nesting depth, a cached handle on the configuration
/// (checking that it is current is one relaxed load; a reconfiguration is picked up by the
/// thread's next record), and the slot that tells a reconfiguration this thread is
/// dispatching a record ([`grace`]).
struct ThreadState {
    depth: Cell<u32>,
    config: RefCell<Option<ConfigCache>>,
    slot: OnceCell<Arc<Slot>>,
}

thread_local! {
    static STATE: ThreadState = const {
        ThreadState {
            depth: Cell::new(0),
            config: RefCell::new(None),
            slot: OnceCell::new(),
        }
    };
}

/// Waits until no other thread is still dispatching a record with a configuration older
/// than the one just published (see [`grace`]): what a reconfiguration does before it
/// closes the handlers it dropped.
pub(crate) fn wait_for_readers() {
    let own = STATE
        .try_with(|s| s.slot.get().filter(|_| s.depth.get() > 0).cloned())
        .ok()
        .flatten();
    grace::wait_for_readers(own.as_deref());
}

/// A macro call's record before it is made: enough to queue it, or to make it.
#[derive(Clone, Copy)]
pub(crate) struct Call<'a> {
    /// The logger's name.
    pub(crate) name: &'static str,
    pub(crate) callsite: &'static Callsite,
    pub(crate) level: Level,
    pub(crate) args: &'a [Arg<'a>],
}

impl<'a> Call<'a> {
    /// The record, created now on this thread.
    #[inline]
    pub(crate) fn record(&self) -> Record<'a> {
        Record::of_call(self.callsite, self.name, self.level, self.args)
    }
}

/// Sends a record from `node` through the pipeline.
pub(crate) fn dispatch(node: &Node, record: &mut Record<'_>) {
    with_config(|config| run(node, config, record));
}

/// Sends a macro call's record from `node`: straight into the queue when that is the
/// logger's only handler and it takes the call, otherwise as a record through the pipeline.
#[inline(always)]
pub(crate) fn dispatch_call(node: &Node, call: &Call<'_>) {
    with_config(
        #[inline(always)]
        |config| {
            if let Some(queue) = direct_route(config, node.id) {
                // A panic in the queue's packing (a user's conversion) leaves nothing queued:
                // the general path then meets it again inside the handler, which reports it.
                let done = catch_unwind(AssertUnwindSafe(|| queue_directly(queue, call)));
                if done.unwrap_or(false) {
                    return;
                }
            }
            run(node, config, &mut call.record());
        },
    );
}

/// The one handler the records of logger `id` can reach, when that handler is a queue and
/// nothing else runs on the way: the logger is not disabled and has no filters, and its
/// handlers and its ancestors' (while `propagate` holds) are that one queue handler. A macro
/// call on such a logger is queued without building a record (the handler's level and
/// filters are still checked at the call: they change without a new configuration).
///
/// Found at the call, up the same loggers the record would visit, and only when the
/// configuration has a queue handler at all.
#[inline]
pub(crate) fn direct_route(config: &Config, id: usize) -> Option<&QueueHandler> {
    if config.queue_handlers == 0 {
        return None;
    }
    let origin = config.loggers.get(id)?;
    if origin.disabled || !origin.filters.is_empty() {
        return None;
    }
    // A plain loop: the same walk with iterator adaptors (`successors`, `flat_map`) cost
    // the queued call about 35 instructions more.
    let mut only = None;
    let mut current = &**origin;
    loop {
        match (&*current.handlers, only) {
            ([], _) => {}
            ([h], None) => only = Some(h),
            _ => return None,
        }
        if !current.propagate {
            break;
        }
        match current.parent.and_then(|p| config.loggers.get(p)) {
            Some(parent) => current = parent,
            None => break,
        }
    }
    only?.as_queue_handler()
}

/// Queues `call` into the queue handler that is its logger's only handler; `true` when the
/// call needs nothing more (queued, or below the handler's level).
#[inline]
fn queue_directly(queue: &QueueHandler, call: &Call<'_>) -> bool {
    match queue.takes_call_at(call.level) {
        // The one handler ignores it, as `run` would (and, a handler having been
        // found, the last resort is not used).
        Some(false) => true,
        Some(true) => queue.enqueue_call(call),
        // Filters need a record.
        None => false,
    }
}

/// What [`with_config`] undoes when its call ends.
struct DispatchExit<'s> {
    state: &'s ThreadState,
    depth: u32,
    slot: Option<&'s Slot>,
}

impl Drop for DispatchExit<'_> {
    #[inline]
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            slot.leave();
        }
        self.state.depth.set(self.depth);
    }
}

/// Calls `f` with the current configuration, unless logging is nested too deep on this
/// thread.
///
/// Inlined into its two callers, so that a record reaches a handler's `write` through
/// fewer calls. Every call open when a system call is made costs a mispredicted
/// return afterwards on CPUs whose return predictions the kernel clears on the way back
/// (an AMD EPYC VM: 5–10 ns a call, measured with `write(2)` at depths 0 to 32).
///
/// The same holds all along a record's way to a file: `dispatch_call` and `run` are
/// inlined into the logging call's entry points (`__private::log` and `log_full`), and the
/// file handlers inline their formatting and writing into `emit`. The calls left between
/// the entry point and the `write` are `handler::handle` (it catches a handler's panic)
/// and the handler's `emit` (a `dyn` call); without LTO, the standard library's
/// `File::write` and the thread-local access below stay calls too. With that, a record
/// written to a file with one `write(2)` took 6% less time in the files bench.
#[inline(always)]
fn with_config(mut f: impl FnMut(&Config)) {
    let done = STATE.try_with(
        #[inline(always)]
        |state| {
            let depth = state.depth.get();
            if depth >= MAX_DEPTH {
                nested_too_deep();
                return;
            }
            state.depth.set(depth + 1);
            // The outermost call marks this thread as dispatching before it loads the
            // configuration, so that a reconfiguration waits for it before closing handlers.
            let grace = (depth == 0).then(|| state.slot.get_or_init(Slot::register));
            if let Some(slot) = grace {
                slot.enter();
            }
            // However `f` ends (a panic included), the depth is restored and the slot left, so
            // that neither this thread's later records nor a reconfiguration wait on it.
            let _exit = DispatchExit {
                state,
                depth,
                slot: grace.map(|s| &**s),
            };
            // A nested call (a handler that logs) finds the cache borrowed and loads directly.
            match state.config.try_borrow_mut() {
                Ok(mut cached) => {
                    let cache = cached.get_or_insert_with(|| Cache::new(&CURRENT));
                    if let Some(config) = cache.load() {
                        f(config);
                    }
                }
                Err(_) => with_config_uncached(&mut f),
            }
        },
    );
    if done.is_err() {
        // The thread is exiting and its state is gone.
        with_config_uncached(&mut f);
    }
}

/// Runs `f` one level deeper in this thread's logging nesting (what a record handled inside
/// a handler counts against), unless that is deeper than [`MAX_DEPTH`]; whether it ran.
pub(crate) fn nested(f: impl FnOnce()) -> bool {
    let depth = STATE.try_with(|s| s.depth.get()).unwrap_or(0);
    if depth >= MAX_DEPTH {
        return false;
    }
    let _ = STATE.try_with(|s| s.depth.set(depth + 1));
    /// Restores the depth however `f` ends.
    struct Restore(u32);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = STATE.try_with(|s| s.depth.set(self.0));
        }
    }
    let _restore = Restore(depth);
    f();
    true
}

/// Says once per process, on stderr, that a record was dropped for nesting too deep.
#[cold]
#[inline(never)]
fn nested_too_deep() {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!(
                "logkit: logging nested {MAX_DEPTH} deep on one thread (does a handler log to a \
                 logger whose handlers lead back to it?): records nested deeper are dropped; \
                 this is said once\n"
            )
            .as_bytes(),
        );
    });
}

/// Calls `f` with the configuration loaded directly, not through this thread's cache (a
/// nested record, or a thread that is exiting).
#[cold]
#[inline(never)]
fn with_config_uncached(f: &mut dyn FnMut(&Config)) {
    if let Some(config) = CURRENT.load().as_deref() {
        f(config);
    }
}

/// Runs the pipeline; no panic in it reaches the caller. [`handler::handle`] catches and
/// reports a handler's (its filters, formatter, output); a logger's filter that panics drops
/// the record, and the last resort is guarded as well. The handlers are not called inside
/// a `catch_unwind` of the pipeline's own: that would be one more call between the logging
/// call and a handler's `write` (see [`with_config`]).
#[inline(always)]
fn run(node: &Node, config: &Config, record: &mut Record<'_>) {
    let Some(origin) = config.loggers.get(node.id) else {
        return;
    };
    if origin.disabled || !logger_filters_pass(&origin.filters, record) {
        return;
    }
    let level = record.level();
    let mut found = false;
    let mut current = Some(origin);
    while let Some(cfg) = current {
        for h in cfg.handlers.iter() {
            found = true;
            if level >= h.core().level() {
                handler::handle(&**h, record);
            }
        }
        if !cfg.propagate {
            break;
        }
        current = cfg.parent.and_then(|p| config.loggers.get(p));
    }
    if !found {
        let _ = catch_unwind(AssertUnwindSafe(|| last_resort(record)));
    }
}

/// Whether `record` passes a logger's filters; one that panics rejects it.
#[inline]
fn logger_filters_pass(filters: &[filter::FilterRef], record: &mut Record<'_>) -> bool {
    filters.is_empty()
        || catch_unwind(AssertUnwindSafe(|| filter::run(filters, record))).unwrap_or(false)
}

// === the last resort ===

enum LastResort {
    Stderr,
    Disabled,
    Handler(HandlerRef),
}

static LAST_RESORT: std::sync::LazyLock<ArcSwap<LastResort>> =
    std::sync::LazyLock::new(|| ArcSwap::from_pointee(LastResort::Stderr));
static WARNED_NO_HANDLERS: AtomicBool = AtomicBool::new(false);

/// Replaces the handler used when a record finds no handler anywhere (Python's
/// `logging.lastResort`). `None` disables it: such records are then dropped, with a one-time
/// `No handlers could be found for logger "NAME"` on stderr.
///
/// # Examples
///
/// ```
/// use logkit::{set_last_resort, NullHandler};
/// use std::sync::Arc;
///
/// set_last_resort(Some(Arc::new(NullHandler::new())));
/// # logkit::reset_last_resort();
/// ```
pub fn set_last_resort(handler: Option<HandlerRef>) {
    LAST_RESORT.store(Arc::new(match handler {
        Some(h) => LastResort::Handler(h),
        None => LastResort::Disabled,
    }));
}

/// Restores the default last resort: bare messages of WARNING and above on stderr.
///
/// # Examples
///
/// ```
/// logkit::reset_last_resort();
/// ```
pub fn reset_last_resort() {
    LAST_RESORT.store(Arc::new(LastResort::Stderr));
}

fn last_resort(record: &mut Record<'_>) {
    match &**LAST_RESORT.load() {
        LastResort::Stderr => {
            if record.level() < Level::WARNING {
                return;
            }
            with_buffer(|buf| {
                if MessageOnly.format(record, buf).is_ok() {
                    buf.push('\n');
                    let _ = std::io::stderr().lock().write_all(buf.as_bytes());
                }
            });
        }
        LastResort::Handler(h) => {
            if record.level() >= h.level() {
                handler::handle(&**h, record);
            }
        }
        LastResort::Disabled => {
            if handler::raise_exceptions() && !WARNED_NO_HANDLERS.swap(true, Ordering::Relaxed) {
                let _ = writeln!(
                    std::io::stderr(),
                    "No handlers could be found for logger \"{}\"",
                    record.name()
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::direct_route;
    use crate::logger::get_logger;
    use crate::logger::tree::CURRENT;
    use crate::{Logger, NullHandler, QueueHandler};

    fn routed(logger: Logger) -> bool {
        let config = CURRENT.load_full().expect("a logger exists");
        direct_route(&config, logger.node().id).is_some()
    }

    #[test]
    fn a_logger_whose_only_handler_is_a_queue_is_routed_to_it() {
        let queue = QueueHandler::builder()
            .handler(NullHandler::new())
            .start()
            .unwrap();
        let parent = get_logger("dispatch.direct");
        let logger = get_logger("dispatch.direct.child");
        // Records reach the root's handlers too, if it has any: routed only without them.
        logger.set_propagate(false);
        assert!(!routed(logger), "no handler");
        logger.add_handler(Arc::clone(&queue));
        assert!(routed(logger));

        logger.set_disabled(true);
        assert!(!routed(logger), "disabled");
        logger.set_disabled(false);
        logger.add_filter(|_: &mut crate::Record<'_>| true);
        assert!(!routed(logger), "a filter on the logger");
        for f in logger.filters() {
            logger.remove_filter(&f);
        }
        assert!(routed(logger));

        let other = Arc::new(NullHandler::new());
        parent.add_handler(Arc::clone(&other));
        assert!(routed(logger), "the parent is not reached");
        logger.set_propagate(true);
        assert!(!routed(logger), "a second handler on the parent");
        parent.remove_handler(&*other);
        logger.set_propagate(false);
        assert!(routed(logger));

        logger.add_handler(NullHandler::new());
        assert!(!routed(logger), "two handlers");
        logger.clear_handlers();
        assert!(!routed(logger), "no handler again");
        logger.add_handler(NullHandler::new());
        assert!(!routed(logger), "one handler, not a queue");
        logger.clear_handlers();

        // The queue on an ancestor, reached through loggers without handlers.
        parent.set_propagate(false);
        parent.add_handler(Arc::clone(&queue));
        logger.set_propagate(true);
        assert!(routed(logger), "the parent's queue");
        logger.add_handler(NullHandler::new());
        assert!(!routed(logger), "a handler on the way");
    }
}
