//! Loggers: named nodes of a dotted hierarchy, as CPython's `getLogger(name)`.
//!
//! A [`Logger`] is a copyable handle; the same name gives the same logger from any thread.
//! Missing ancestors are placeholders: creating `a.b` after `a.b.c` links `a.b.c` below it.
//!
//! Reconfiguring (levels, handlers, filters, propagate) takes a writer lock and swaps in a
//! new snapshot of the whole configuration, which shares all but what changed with the one
//! before; logging reads the snapshot and cached thresholds and never waits. Making a
//! logger, or changing one, costs what it affects, not the size of the tree.

mod adapter;
mod callsite;
mod dispatch;
mod event;
mod grace;
pub(crate) mod tree;
mod tree_view;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub use adapter::{AdapterProcess, LoggerAdapter, apply_process};
pub use callsite::{Callsite, Source};
pub(crate) use dispatch::{Call, nested, wait_for_readers};
pub use dispatch::{reset_last_resort, set_last_resort};
pub use event::{Event, stack_text};
pub use tree_view::{HandlerView, LoggerTree, TreeNode, tree};

use crate::filter::{FilterRef, IntoFilter};
use crate::handler::{Handler, HandlerRef, IntoHandler};
use crate::level::Level;
use crate::message::{Arg, Message};
use crate::record::{Location, Record};
use crate::value::Value;
pub use tree::TreeWork;
use tree::{LoggerConfig, Node, registry};

/// A named logger (Python's `logging.Logger`).
///
/// # Examples
///
/// ```
/// use logkit::{get_logger, Level};
///
/// let logger = get_logger("app.db");
/// assert_eq!(logger.name(), "app.db");
/// assert!(get_logger("app.db") == logger);
///
/// logger.set_level(Level::DEBUG);
/// assert!(logger.is_enabled_for(Level::DEBUG));
/// assert_eq!(logger.parent().unwrap().name(), "root");
/// ```
#[derive(Clone, Copy)]
pub struct Logger {
    node: &'static Node,
}

/// The logger named `name`, created on first use. `""` and `"root"` name the root logger.
///
/// # Examples
///
/// ```
/// let child = logkit::get_logger("parent_logger_name.child_logger_name");
/// let parent = logkit::get_logger("parent_logger_name");
/// assert_eq!(child.parent(), Some(parent));
/// ```
pub fn get_logger(name: &str) -> Logger {
    let mut reg = registry();
    let node = if name.is_empty() || name == "root" {
        reg.root()
    } else {
        reg.get_or_create(name)
    };
    Logger { node }
}

/// The root logger (level WARNING by default).
///
/// # Examples
///
/// ```
/// assert_eq!(logkit::root().name(), "root");
/// ```
pub fn root() -> Logger {
    Logger {
        node: registry().root(),
    }
}

/// Drops every record at or below `level`, whatever the logger levels (Python's
/// `logging.disable`). `disable(Level::NOTSET)` turns it off again.
///
/// # Examples
///
/// ```
/// use logkit::{disable, get_logger, Level};
///
/// let l = get_logger("disable.doc");
/// l.set_level(Level::DEBUG);
/// disable(Level::INFO);
/// assert!(!l.is_enabled_for(Level::INFO));
/// assert!(l.is_enabled_for(Level::WARNING));
/// disable(Level::NOTSET);
/// assert!(l.is_enabled_for(Level::DEBUG));
/// ```
pub fn disable(level: Level) {
    let mut reg = registry();
    let mut draft = reg.draft();
    draft.set_disable(level.value());
    reg.publish(draft);
}

/// The level set by [`disable`] (`NOTSET` when off).
pub fn disabled_level() -> Level {
    let _reg = registry();
    tree::CURRENT
        .load()
        .as_ref()
        .map_or(Level::NOTSET, |c| Level::new(c.disable))
}

/// Every logger created so far, root first, then by name.
///
/// # Examples
///
/// ```
/// let _ = logkit::get_logger("listed.one");
/// assert!(logkit::loggers().iter().any(|l| l.name() == "listed.one"));
/// ```
pub fn loggers() -> Vec<Logger> {
    let reg = registry();
    let mut named: Vec<&'static Node> = reg.named().collect();
    named.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    std::iter::once(reg.root())
        .chain(named)
        .map(|node| Logger { node })
        .collect()
}

/// The work the logger tree has done since the process started: loggers made and visited,
/// call sites refreshed, placeholder children checked, snapshot nodes copied. Not public
/// API: logkit's tests read it to check that a change costs the loggers it affects.
///
/// # Examples
///
/// ```
/// let before = logkit::__private::tree_work();
/// let _ = logkit::get_logger("work.doc");
/// assert_eq!(logkit::__private::tree_work().loggers_made, before.loggers_made + 1);
/// ```
#[doc(hidden)]
pub fn tree_work() -> TreeWork {
    registry().work()
}

impl Logger {
    /// The logger's name (`root` for the root logger).
    pub fn name(&self) -> &'static str {
        &self.node.name
    }

    /// Whether this is the root logger.
    pub fn is_root(&self) -> bool {
        self.node.id == 0
    }

    /// The logger `self.name + "." + suffix` (Python's `getChild`); on root, `suffix` itself.
    pub fn get_child(&self, suffix: &str) -> Logger {
        if self.is_root() {
            get_logger(suffix)
        } else {
            get_logger(&format!("{}.{suffix}", self.name()))
        }
    }

    /// The nearest existing ancestor (root for top-level names), `None` for root.
    pub fn parent(&self) -> Option<Logger> {
        let reg = registry();
        let parent = self.config().parent?;
        Some(Logger {
            node: reg.node(parent),
        })
    }

    /// The level set on this logger (`NOTSET` means inherit).
    pub fn level(&self) -> Level {
        self.config().level
    }

    /// Sets the level. Takes effect for every descendant at once.
    pub fn set_level(&self, level: Level) {
        self.modify(|c| c.level = level);
    }

    /// The first level set on this logger or an ancestor (Python's `getEffectiveLevel`).
    pub fn effective_level(&self) -> Level {
        registry().effective_level(self.node.id)
    }

    /// Whether a record at `level` would be created (Python's `isEnabledFor`): one atomic
    /// load.
    #[inline]
    pub fn is_enabled_for(&self, level: Level) -> bool {
        level.value() >= self.node.threshold.load(Ordering::Relaxed)
    }

    /// Whether records go on to the parent's handlers.
    pub fn propagate(&self) -> bool {
        self.config().propagate
    }

    /// Sets whether records go on to the parent's handlers.
    pub fn set_propagate(&self, propagate: bool) {
        self.modify(|c| c.propagate = propagate);
    }

    /// Whether the logger is disabled (drops everything logged on it).
    pub fn disabled(&self) -> bool {
        self.config().disabled
    }

    /// Disables or re-enables the logger. Records of its children still propagate
    /// through it.
    pub fn set_disabled(&self, disabled: bool) {
        self.modify(|c| c.disabled = disabled);
    }

    /// Adds a handler; adding the same `Arc` twice to one logger does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use logkit::{get_logger, NullHandler};
    ///
    /// let h = Arc::new(NullHandler::new());
    /// let l = get_logger("handlers.doc");
    /// l.add_handler(h.clone());
    /// l.add_handler(h.clone());
    /// assert_eq!(l.handlers().len(), 1);
    /// l.remove_handler(&*h);
    /// assert!(l.handlers().is_empty());
    /// ```
    pub fn add_handler(&self, handler: impl IntoHandler) {
        let h = handler.into_handler();
        self.modify(|c| {
            if !c.handlers.iter().any(|x| Arc::ptr_eq(x, &h)) {
                let mut v = c.handlers.to_vec();
                v.push(h.clone());
                c.handlers = v.into();
            }
        });
    }

    /// Removes a handler (compared by address).
    pub fn remove_handler(&self, handler: &dyn Handler) {
        self.modify(|c| {
            c.handlers = c
                .handlers
                .iter()
                .filter(|x| !std::ptr::addr_eq(Arc::as_ptr(x), handler))
                .cloned()
                .collect();
        });
    }

    /// Removes every handler.
    pub fn clear_handlers(&self) {
        self.modify(|c| c.handlers = Arc::from([]));
    }

    /// The handlers attached to this logger.
    pub fn handlers(&self) -> Vec<HandlerRef> {
        self.config().handlers.to_vec()
    }

    /// Whether this logger or an ancestor reached through `propagate` has a handler
    /// (Python's `hasHandlers`).
    pub fn has_handlers(&self) -> bool {
        let guard = tree::CURRENT.load();
        let Some(config) = guard.as_deref() else {
            return false;
        };
        let mut cur = Some(self.node.id);
        while let Some(i) = cur {
            let Some(c) = config.loggers.get(i) else {
                return false;
            };
            if !c.handlers.is_empty() {
                return true;
            }
            if !c.propagate {
                return false;
            }
            cur = c.parent;
        }
        false
    }

    /// Adds a filter, run for records logged on this logger (not for those propagated
    /// from children).
    pub fn add_filter(&self, filter: impl IntoFilter) {
        let f = filter.into_filter();
        self.modify(|c| {
            if !c.filters.iter().any(|x| Arc::ptr_eq(x, &f)) {
                let mut v = c.filters.to_vec();
                v.push(f.clone());
                c.filters = v.into();
            }
        });
    }

    /// Removes a filter added as this `Arc`.
    pub fn remove_filter(&self, filter: &FilterRef) {
        self.modify(|c| {
            c.filters = c
                .filters
                .iter()
                .filter(|x| !Arc::ptr_eq(x, filter))
                .cloned()
                .collect();
        });
    }

    /// The filters, in order.
    pub fn filters(&self) -> Vec<FilterRef> {
        self.config().filters.to_vec()
    }

    /// Logs `message` merged with `args` by Python's `%` rules (the macro-free call for
    /// dynamic callers; Python's `logger.log(level, msg, *args)`).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{get_logger, Capture, Level, StreamHandler, Value};
    ///
    /// let out = Capture::new();
    /// let l = get_logger("log.doc");
    /// l.add_handler(StreamHandler::new(out.clone()));
    /// l.log(Level::WARNING, "user %s failed %d times", &["bob".into(), 3.into()]);
    /// l.log(Level::WARNING, "%(user)s again", &[Value::map([("user", "bob".into())])]);
    /// assert_eq!(out.lines(), ["user bob failed 3 times", "bob again"]);
    /// ```
    #[track_caller]
    pub fn log(&self, level: Level, message: &str, args: &[Value<'_>]) {
        if self.is_enabled_for(level) {
            let mut record = Record::new(
                self.name(),
                level,
                Message::dynamic(message, args),
                Location::caller(),
            );
            self.handle(&mut record);
        }
    }

    /// Logs a message that is any value, as Python's `msg` may be: its `str` is the template
    /// (`logger.info(42)`, `logger.warning(['a', 1])`), merged with `args` as in
    /// [`log`](Self::log).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{get_logger, Capture, Level, StreamHandler, Value};
    ///
    /// let out = Capture::new();
    /// let l = get_logger("log_value.doc");
    /// l.add_handler(StreamHandler::new(out.clone()));
    /// l.log_value(Level::WARNING, &Value::from(42), &[]);
    /// l.log_value(Level::WARNING, &Value::List(vec![Value::from("a"), Value::from(1)].into()), &[]);
    /// assert_eq!(out.lines(), ["42", "['a', 1]"]);
    /// ```
    #[track_caller]
    pub fn log_value(&self, level: Level, message: &Value<'_>, args: &[Value<'_>]) {
        if self.is_enabled_for(level) {
            let template = message.to_string();
            let mut record = Record::new(
                self.name(),
                level,
                Message::dynamic(&template, args),
                Location::caller(),
            );
            self.handle(&mut record);
        }
    }

    /// A logging call with more than a message: user fields, an error, stack text.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{get_logger, Level, Value};
    ///
    /// let err = std::io::Error::other("disk full");
    /// get_logger("event.doc")
    ///     .event(Level::ERROR, "write failed for %s")
    ///     .args(&["db.sqlite".into()])
    ///     .fields(&[("user", Value::from("alice"))])
    ///     .error(&err)
    ///     .emit();
    /// ```
    #[track_caller]
    pub fn event<'a>(&self, level: Level, message: &'a str) -> Event<'a> {
        Event::new(*self, level, message, Location::caller())
    }

    /// Sends a ready-made record through this logger's pipeline (Python's `handle`):
    /// `disabled`, the logger's filters, then the handlers up the tree. The logger's level is
    /// not checked (the caller did).
    #[inline]
    pub fn handle(&self, record: &mut Record<'_>) {
        dispatch::dispatch(self.node, record);
    }

    /// Handles the record of a logging macro's call at `callsite`, made now on this thread
    /// with `args`: as [`handle`](Self::handle) would the record, except that a logger whose
    /// only handler is a [`QueueHandler`](crate::QueueHandler) queues the call without
    /// making the record. What the macros call.
    #[doc(hidden)]
    #[inline]
    pub fn handle_call(&self, callsite: &'static Callsite, level: Level, args: &[Arg<'_>]) {
        let call = Call {
            name: self.name(),
            callsite,
            level,
            args,
        };
        dispatch::dispatch_call(self.node, &call);
    }

    pub(crate) fn node(&self) -> &'static Node {
        self.node
    }

    /// The logger of a node.
    #[cfg(any(feature = "log", feature = "tracing"))]
    pub(crate) fn of_node(node: &'static Node) -> Logger {
        Logger { node }
    }

    fn config(&self) -> Arc<LoggerConfig> {
        let guard = tree::CURRENT.load();
        match guard.as_deref() {
            Some(c) => match c.loggers.get(self.node.id) {
                Some(logger) => Arc::clone(logger),
                None => unreachable!("a logger's configuration is published with it"),
            },
            None => unreachable!("a logger exists only once the configuration does"),
        }
    }

    fn modify(&self, f: impl FnOnce(&mut LoggerConfig)) {
        let mut reg = registry();
        let mut draft = reg.draft();
        draft.update(self.node.id, f);
        reg.publish(draft);
    }
}

impl PartialEq for Logger {
    fn eq(&self, other: &Self) -> bool {
        self.node.id == other.node.id
    }
}

impl Eq for Logger {}

impl fmt::Debug for Logger {
    /// CPython's repr: `<Logger app.db (DEBUG)>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_root() {
            "RootLogger"
        } else {
            "Logger"
        };
        write!(f, "<{kind} {} ({})>", self.name(), self.effective_level())
    }
}
