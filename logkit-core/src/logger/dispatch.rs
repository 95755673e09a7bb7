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

use std::cell::{Cell, RefCell};
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::cache::Cache;
use arc_swap::{ArcSwap, ArcSwapOption};

use super::tree::{CURRENT, Config, Node};
use crate::filter;
use crate::format::{Format, MessageOnly};
use crate::handler::{self, HandlerRef};
use crate::level::Level;
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

/// Sends a record from `node` through the pipeline.
pub(crate) fn dispatch(node: &Node, record: &mut Record<'_>) {
    let done = STATE.try_with(|state| {
        let depth = state.depth.get();
        if depth >= MAX_DEPTH {
            return;
        }
        state.depth.set(depth + 1);
        // A nested call (a handler that logs) finds the cache borrowed and loads directly.
        match state.config.try_borrow_mut() {
            Ok(mut slot) => {
                let cache = slot.get_or_insert_with(|| Cache::new(&CURRENT));
                if let Some(config) = cache.load() {
                    run(node, config, record);
                }
            }
            Err(_) => run_uncached(node, record),
        }
        state.depth.set(depth);
    });
    if done.is_err() {
        // The thread is exiting and its state is gone.
        run_uncached(node, record);
    }
}

/// Runs the pipeline with the configuration loaded directly, not through this thread's
/// cache (a nested record, or a thread that is exiting).
#[cold]
#[inline(never)]
fn run_uncached(node: &Node, record: &mut Record<'_>) {
    if let Some(config) = CURRENT.load().as_deref() {
        run(node, config, record);
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
/// use logkit_core::{set_last_resort, NullHandler};
/// use std::sync::Arc;
///
/// set_last_resort(Some(Arc::new(NullHandler::new())));
/// # logkit_core::reset_last_resort();
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
/// logkit_core::reset_last_resort();
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
