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
//! A macro call whose logger sends its records to one queue handler and nothing else (the
//! snapshot says so, see `tree::direct_routes`) is queued without building a [`Record`]:
//! the queue takes the call's parts as they are, and the record is made on the listener.

use std::cell::{Cell, RefCell};
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::cache::Cache;
use arc_swap::{ArcSwap, ArcSwapOption};

use super::Callsite;
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

/// Per-thread dispatch state: the nesting depth, and a cached handle on the configuration
/// (checking that it is current is one relaxed load; a reconfiguration is picked up by the
/// thread's next record).
struct ThreadState {
    depth: Cell<u32>,
    config: RefCell<Option<ConfigCache>>,
}

thread_local! {
    static STATE: ThreadState = const {
        ThreadState {
            depth: Cell::new(0),
            config: RefCell::new(None),
        }
    };
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
        let message = self.callsite.message(self.args);
        Record::new_static(self.name, self.level, message, self.callsite.location())
    }
}

/// Sends a record from `node` through the pipeline.
pub(crate) fn dispatch(node: &Node, record: &mut Record<'_>) {
    with_config(|config| run(node, config, record));
}

/// Sends a macro call's record from `node`: straight into the queue when that is the
/// logger's only handler and it takes the call, otherwise as a record through the pipeline.
#[inline(never)]
pub(crate) fn dispatch_call(node: &Node, call: &Call<'_>) {
    with_config(|config| {
        if let Some(Some(queue)) = config.direct.get(node.id) {
            // A panic in the queue's packing (a user's conversion) leaves nothing queued:
            // the general path then meets it again inside the handler, which reports it.
            let done = catch_unwind(AssertUnwindSafe(|| queue_directly(queue, call)));
            if done.unwrap_or(false) {
                return;
            }
        }
        run(node, config, &mut call.record());
    });
}

/// Queues `call` into the queue handler that is its logger's only handler; `true` when the
/// call needs nothing more (queued, or below the handler's level).
#[inline]
fn queue_directly(queue: &QueueHandler, call: &Call<'_>) -> bool {
    match queue.takes_call_at(call.level) {
        // The one handler ignores it, as `dispatch_inner` would (and, a handler having been
        // found, the last resort is not used).
        Some(false) => true,
        Some(true) => queue.enqueue_call(call),
        // Filters need a record.
        None => false,
    }
}

/// Calls `f` with the current configuration, unless logging is nested too deep on this
/// thread.
#[inline(always)]
fn with_config(mut f: impl FnMut(&Config)) {
    with_config_dyn(&mut f);
}

/// [`with_config`], one instance for every caller (so that the cache's check inlines).
#[inline(never)]
fn with_config_dyn(f: &mut dyn FnMut(&Config)) {
    let done = STATE.try_with(|state| {
        let depth = state.depth.get();
        if depth >= MAX_DEPTH {
            nested_too_deep();
            return;
        }
        state.depth.set(depth + 1);
        // A nested call (a handler that logs) finds the cache borrowed and loads directly.
        match state.config.try_borrow_mut() {
            Ok(mut slot) => {
                let cache = slot.get_or_insert_with(|| Cache::new(&CURRENT));
                if let Some(config) = cache.load() {
                    f(config);
                }
            }
            Err(_) => with_config_uncached(f),
        }
        state.depth.set(depth);
    });
    if done.is_err() {
        // The thread is exiting and its state is gone.
        with_config_uncached(f);
    }
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

/// Runs the pipeline with a handler or filter panic kept away from the caller.
fn run(node: &Node, config: &Config, record: &mut Record<'_>) {
    let _ = catch_unwind(AssertUnwindSafe(|| dispatch_inner(node, config, record)));
}

fn dispatch_inner(node: &Node, config: &Config, record: &mut Record<'_>) {
    let Some(origin) = config.loggers.get(node.id) else {
        return;
    };
    if origin.disabled || !filter::run(&origin.filters, record) {
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
        last_resort(record);
    }
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
