//! The logger tree: a registry of named nodes, one immutable configuration snapshot, and a
//! cached threshold per node.
//!
//! # Invariants
//!
//! - Nodes are created once per name and never freed (`&'static`), as CPython's loggers
//!   live as long as the process. A node's index in the registry is its id.
//! - The configuration of every logger (level, parent, propagate, disabled, handlers,
//!   filters) is one [`Config`] snapshot behind an `ArcSwap`. A change builds a new snapshot
//!   and swaps it in whole, so a record sees either all of a reconfiguration or none of it.
//! - Each node's `threshold` caches `max(effective level, disable + 1)` (or `i32::MAX` when
//!   the logger is disabled). It is recomputed for every node after any change, under the
//!   writer lock. A record is enabled when `level >= threshold`: one relaxed load.
//! - Writers serialise on one mutex; readers (logging threads) never take it.
//! - [`MOST_VERBOSE`] holds the lowest threshold any logger has or would have if made now
//!   (a logger's `disabled` flag aside, which its future children do not inherit): the
//!   bound the `log` and `tracing` bridges hand to their facades' own level checks. When a
//!   published change moved a threshold, the bridges are told after the writer lock is
//!   released ([`RegistryGuard`]), so that a facade calling back into the tree cannot
//!   deadlock with a writer.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use arc_swap::ArcSwapOption;

use super::callsite::Callsite;
use crate::filter::FilterRef;
use crate::handler::{HandlerRef, QueueHandler};
use crate::level::Level;

/// One logger: its name and its cached threshold. Everything else is in the snapshot.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) id: usize,
    pub(crate) name: Box<str>,
    pub(crate) threshold: AtomicI32,
    /// Whether the snapshot has a direct route for this logger (see [`direct_routes`]): a
    /// hint, set after each snapshot is published, that saves other loggers' calls the
    /// detour (both paths handle a call the same way, so a stale hint is harmless).
    pub(crate) direct: AtomicBool,
}

/// The configuration of one logger.
#[derive(Clone, Debug)]
pub(crate) struct LoggerConfig {
    pub(crate) level: Level,
    pub(crate) parent: Option<usize>,
    pub(crate) propagate: bool,
    pub(crate) disabled: bool,
    pub(crate) handlers: Arc<[HandlerRef]>,
    pub(crate) filters: Arc<[FilterRef]>,
}

impl LoggerConfig {
    fn new(level: Level, parent: Option<usize>) -> Self {
        LoggerConfig {
            level,
            parent,
            propagate: true,
            disabled: false,
            handlers: Arc::from([]),
            filters: Arc::from([]),
        }
    }
}

/// The whole logging configuration: one entry per logger, indexed by node id.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) loggers: Vec<Arc<LoggerConfig>>,
    /// `logging.disable(level)`: records at or below it are dropped.
    pub(crate) disable: i32,
    /// Per logger, the queue handler its records go to when that is all that happens to
    /// them (see [`direct_routes`]); computed by [`Registry::publish`].
    pub(crate) direct: Vec<Option<Arc<QueueHandler>>>,
}

/// The current configuration. `None` only before the first logger exists.
pub(crate) static CURRENT: ArcSwapOption<Config> = ArcSwapOption::const_empty();

/// The lowest threshold of any logger, made or not yet made (see the module's invariants):
/// no record below it can be enabled anywhere in the tree.
pub(crate) static MOST_VERBOSE: AtomicI32 = AtomicI32::new(Level::WARNING.value());

/// The writer side: names to nodes, in id order, and the registered call sites.
pub(crate) struct Registry {
    pub(crate) by_name: BTreeMap<Box<str>, &'static Node>,
    pub(crate) nodes: Vec<&'static Node>,
    pub(crate) callsites: Vec<&'static Callsite>,
    /// Set by a publish that moved a threshold; the guard tells the bridges on release.
    thresholds_moved: Cell<bool>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    by_name: BTreeMap::new(),
    nodes: Vec::new(),
    callsites: Vec::new(),
    thresholds_moved: Cell::new(false),
});

/// The registry, locked for writing. Releasing it tells the `log` and `tracing` bridges of
/// a change of thresholds, outside the lock.
pub(crate) struct RegistryGuard {
    guard: Option<MutexGuard<'static, Registry>>,
}

impl Deref for RegistryGuard {
    type Target = Registry;

    fn deref(&self) -> &Registry {
        match &self.guard {
            Some(g) => g,
            None => unreachable!("the guard is released only when dropped"),
        }
    }
}

impl DerefMut for RegistryGuard {
    fn deref_mut(&mut self) -> &mut Registry {
        match &mut self.guard {
            Some(g) => g,
            None => unreachable!("the guard is released only when dropped"),
        }
    }
}

impl Drop for RegistryGuard {
    fn drop(&mut self) {
        let moved = self
            .guard
            .as_ref()
            .is_some_and(|g| g.thresholds_moved.replace(false));
        drop(self.guard.take());
        if moved {
            crate::bridge::thresholds_moved();
        }
    }
}

/// The registry, locked for writing, with the root logger created (and the levels of
/// `LOGKIT_LEVEL` or `RUST_LOG` applied) if needed.
pub(crate) fn registry() -> RegistryGuard {
    let mut guard = RegistryGuard {
        guard: Some(REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)),
    };
    if guard.nodes.is_empty() {
        crate::record::mark_start();
        let root: &'static Node = Box::leak(Box::new(Node {
            id: 0,
            name: "root".into(),
            threshold: AtomicI32::new(Level::WARNING.value()),
            direct: AtomicBool::new(false),
        }));
        guard.nodes.push(root);
        CURRENT.store(Some(Arc::new(Config {
            loggers: vec![Arc::new(LoggerConfig::new(Level::WARNING, None))],
            disable: 0,
            direct: vec![None],
        })));
        // The environment's levels hold from the first record, configured or not.
        crate::config::env::EnvLevels::from_env_reported().install_locked(&mut guard);
    }
    guard
}

impl Registry {
    /// The configuration to modify: a copy of the current snapshot.
    pub(crate) fn config(&self) -> Config {
        match CURRENT.load_full() {
            Some(c) => Config::clone(&c),
            None => unreachable!("the registry creates the root configuration"),
        }
    }

    /// Publishes `config` and recomputes every node's threshold, then every call site's.
    pub(crate) fn publish(&self, mut config: Config) {
        config.direct = direct_routes(&config);
        let (thresholds, most_verbose) = thresholds(&config);
        let direct: Vec<bool> = config.direct.iter().map(Option::is_some).collect();
        CURRENT.store(Some(Arc::new(config)));
        let mut moved = MOST_VERBOSE.swap(most_verbose, Ordering::Relaxed) != most_verbose;
        for ((node, t), direct) in self.nodes.iter().zip(thresholds).zip(direct) {
            moved |= node.threshold.swap(t, Ordering::Relaxed) != t;
            node.direct.store(direct, Ordering::Relaxed);
        }
        for cs in &self.callsites {
            cs.refresh();
        }
        if moved {
            self.thresholds_moved.set(true);
        }
    }

    /// The threshold of the logger `name` (its [`Node::threshold`]), or, if no such logger
    /// exists yet, the one it would have if made now, without making it: the level it would
    /// inherit from its nearest existing ancestor (whose `disabled` flag it would not
    /// inherit), with the `disable` floor.
    pub(crate) fn threshold_of(&self, name: &str) -> i32 {
        if name.is_empty() || name == "root" {
            return self.nodes[0].threshold.load(Ordering::Relaxed);
        }
        if let Some(node) = self.by_name.get(name) {
            return node.threshold.load(Ordering::Relaxed);
        }
        let Some(config) = CURRENT.load_full() else {
            return i32::MAX;
        };
        let parent = ancestors(name)
            .find_map(|a| self.by_name.get(a).map(|n| n.id))
            .unwrap_or(0);
        inherited_level(&config, parent)
            .value()
            .max(config.disable.saturating_add(1))
    }

    /// The node for `name`, created (and linked into the tree) if needed. `name` is not the
    /// root's.
    pub(crate) fn get_or_create(&mut self, name: &str) -> &'static Node {
        if let Some(n) = self.by_name.get(name) {
            return n;
        }
        let id = self.nodes.len();
        let node: &'static Node = Box::leak(Box::new(Node {
            id,
            name: name.into(),
            // The threshold it inherits: making a logger moves no threshold.
            threshold: AtomicI32::new(self.threshold_of(name)),
            direct: AtomicBool::new(false),
        }));
        let mut config = self.config();
        // The parent is the nearest existing ancestor by dotted name, else root.
        let parent = ancestors(name)
            .find_map(|a| self.by_name.get(a).map(|n| n.id))
            .unwrap_or(0);
        config
            .loggers
            .push(Arc::new(LoggerConfig::new(Level::NOTSET, Some(parent))));
        // Descendants that skipped this name (their parent is above it) now hang below it.
        let prefix_len = name.len();
        for other in &self.nodes {
            let Some(rest) = other.name.strip_prefix(name) else {
                continue;
            };
            if !rest.starts_with('.') || other.id == 0 {
                continue;
            }
            let cfg = &config.loggers[other.id];
            let parent_is_above = match cfg.parent {
                None => false,
                Some(0) => true,
                Some(p) => self.nodes[p].name.len() < prefix_len,
            };
            if parent_is_above {
                let mut c = LoggerConfig::clone(cfg);
                c.parent = Some(id);
                config.loggers[other.id] = Arc::new(c);
            }
        }
        self.nodes.push(node);
        self.by_name.insert(name.into(), node);
        self.publish(config);
        node
    }
}

/// The first level set on logger `id` or an ancestor (Python's `getEffectiveLevel`);
/// `NOTSET` when none is.
pub(crate) fn inherited_level(config: &Config, id: usize) -> Level {
    let mut cur = Some(id);
    while let Some(i) = cur {
        let c = &config.loggers[i];
        if c.level != Level::NOTSET {
            return c.level;
        }
        cur = c.parent;
    }
    Level::NOTSET
}

/// The dotted ancestors of a name, nearest first: `a.b.c` → `a.b`, `a`.
fn ancestors(name: &str) -> impl Iterator<Item = &str> {
    let mut end = name.len();
    std::iter::from_fn(move || {
        let i = name[..end].rfind('.')?;
        end = i;
        Some(&name[..i])
    })
    .filter(|a| !a.is_empty())
}

/// Per logger, the one handler its records can reach, when that handler is a queue and
/// nothing else runs on the way: the logger is not disabled and has no filters, and its
/// handlers and its ancestors' (while `propagate` holds) are that one queue handler. A macro
/// call on such a logger is queued without building a record (the handler's level and
/// filters are still checked at the call: they change without a new configuration).
fn direct_routes(config: &Config) -> Vec<Option<Arc<QueueHandler>>> {
    config
        .loggers
        .iter()
        .map(|origin| {
            if origin.disabled || !origin.filters.is_empty() {
                return None;
            }
            let mut reached = std::iter::successors(Some(&**origin), |c| {
                c.propagate
                    .then_some(c.parent)
                    .flatten()
                    .map(|p| &*config.loggers[p])
            })
            .flat_map(|c| c.handlers.iter());
            match (reached.next(), reached.next()) {
                (Some(only), None) => only.as_queue_handler().and_then(QueueHandler::shared),
                _ => None,
            }
        })
        .collect()
}

/// The threshold of every logger, and the lowest threshold a logger has or would have if
/// made now (its effective level with the `disable` floor; `disabled` is not inherited).
fn thresholds(config: &Config) -> (Vec<i32>, i32) {
    let n = config.loggers.len();
    let mut effective: Vec<Option<i32>> = vec![None; n];
    let floor = config.disable.saturating_add(1);
    let mut most_verbose = i32::MAX;
    let thresholds = (0..n)
        .map(|i| {
            let level = effective_level(config, i, &mut effective).max(floor);
            most_verbose = most_verbose.min(level);
            if config.loggers[i].disabled {
                i32::MAX
            } else {
                level
            }
        })
        .collect();
    (thresholds, most_verbose)
}

fn effective_level(config: &Config, i: usize, memo: &mut [Option<i32>]) -> i32 {
    // Walk up to the first logger with a level (or the top), then fill the memo back down.
    let mut chain = Vec::new();
    let mut cur = Some(i);
    let mut found = 0;
    while let Some(c) = cur {
        if let Some(v) = memo[c] {
            found = v;
            break;
        }
        let level = config.loggers[c].level.value();
        chain.push(c);
        if level != 0 {
            found = level;
            break;
        }
        cur = config.loggers[c].parent;
    }
    for c in chain {
        memo[c] = Some(found);
    }
    found
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::CURRENT;
    use crate::logger::get_logger;
    use crate::{Logger, NullHandler, QueueHandler};

    fn routed(logger: Logger) -> bool {
        let config = CURRENT.load_full().expect("a logger exists");
        config.direct[logger.node().id].is_some()
    }

    #[test]
    fn making_a_logger_moves_no_threshold() {
        let parent = get_logger("tree.moves");
        parent.set_level(crate::Level::ERROR);
        parent.set_disabled(true);
        let mut reg = super::registry();
        reg.thresholds_moved.set(false);
        let before = super::MOST_VERBOSE.load(std::sync::atomic::Ordering::Relaxed);
        // Below a disabled parent: it inherits the level, not the flag.
        let node = reg.get_or_create("tree.moves.child");
        assert!(
            !reg.thresholds_moved.get(),
            "the bridges would be told of nothing"
        );
        assert_eq!(
            node.threshold.load(std::sync::atomic::Ordering::Relaxed),
            40
        );
        assert_eq!(
            super::MOST_VERBOSE.load(std::sync::atomic::Ordering::Relaxed),
            before
        );
    }

    #[test]
    fn a_logger_whose_only_handler_is_a_queue_is_routed_to_it() {
        let queue = QueueHandler::builder()
            .handler(NullHandler::new())
            .start()
            .unwrap();
        let parent = get_logger("tree.direct");
        let logger = get_logger("tree.direct.child");
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
        for f in CURRENT.load_full().unwrap().loggers[logger.node().id]
            .filters
            .iter()
        {
            logger.remove_filter(f);
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
    }
}
