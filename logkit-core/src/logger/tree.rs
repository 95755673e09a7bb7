//! The logger tree: a registry of named nodes, a configuration snapshot, and a cached
//! threshold per node.
//!
//! # Invariants
//!
//! - Nodes are created once per name and never freed (`&'static`), as CPython's loggers
//!   live as long as the process, side by side in the order they are made ([`arena`]). Ids
//!   are given in that order, the root's is 0.
//! - The configuration of every logger (level, parent, propagate, disabled, handlers,
//!   filters) is one [`Config`] snapshot behind an `ArcSwap`. A change builds a new snapshot
//!   and swaps it in whole, so a record sees either all of a reconfiguration or none of it.
//!   The loggers' configurations are a [`PersistentVec`]: a new snapshot shares all but the
//!   changed loggers' with the one before, so building it costs the size of the change (a
//!   few nodes copied per logger changed or made), not of the tree.
//! - Each node's `threshold` caches `max(effective level, disable + 1)` (or `i32::MAX` when
//!   the logger is disabled). A change recomputes it, under the writer lock, for the changed
//!   loggers and the descendants that inherit their level (not below a descendant with a
//!   level of its own), and refreshes the call sites of the loggers whose threshold moved
//!   (see [`levels`]); only `disable` reaches every logger. A new logger starts at the
//!   threshold it inherits, and making one recomputes nothing else. A record is enabled
//!   when `level >= threshold`: one relaxed load.
//! - Writers serialise on one mutex; readers (logging threads) never take it. The name
//!   map, the parent and children links, the placeholders ([`placeholders`]) and the
//!   registered call sites are the writer's alone, under that mutex.
//! - [`MOST_VERBOSE`] holds the lowest threshold any logger has or would have if made now
//!   (a logger's `disabled` flag aside, which its future children do not inherit): the
//!   bound the `log` and `tracing` bridges hand to their facades' own level checks, kept
//!   from a count of the levels set on loggers. When a published change moved a
//!   threshold, the bridges are told after the writer lock is released
//!   ([`RegistryGuard`]), so that a facade calling back into the tree cannot deadlock with
//!   a writer.

mod arena;
mod draft;
mod levels;
mod names;
mod persistent;
mod placeholders;

use std::cell::Cell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use arc_swap::ArcSwapOption;

use arena::Arena;
pub(crate) use draft::Draft;
use levels::Levels;
pub use levels::TreeWork;
use names::Names;
use persistent::PersistentVec;
use placeholders::Placeholders;

use super::callsite::Callsite;
use crate::filter::FilterRef;
use crate::handler::HandlerRef;
use crate::level::Level;

/// One logger: its name and its cached threshold. Everything else is in the snapshot.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) id: usize,
    pub(crate) name: Box<str>,
    pub(crate) threshold: AtomicI32,
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

    /// How many of its handlers are queue handlers.
    fn queue_handlers(&self) -> usize {
        self.handlers
            .iter()
            .filter(|h| h.as_queue_handler().is_some())
            .count()
    }
}

/// The whole logging configuration: one entry per logger, indexed by node id.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) loggers: PersistentVec<Arc<LoggerConfig>>,
    /// `logging.disable(level)`: records at or below it are dropped.
    pub(crate) disable: i32,
    /// How many queue handlers the loggers have (one handler on two loggers counts twice):
    /// with none, no call can go straight to a queue (see `dispatch::direct_route`).
    pub(crate) queue_handlers: usize,
}

impl Config {
    /// The lowest threshold `disable`'s level leaves.
    pub(crate) fn floor(&self) -> i32 {
        self.disable.saturating_add(1)
    }
}

/// The current configuration. `None` only before the first logger exists.
pub(crate) static CURRENT: ArcSwapOption<Config> = ArcSwapOption::const_empty();

/// The lowest threshold of any logger, made or not yet made (see the module's invariants):
/// no record below it can be enabled anywhere in the tree.
pub(crate) static MOST_VERBOSE: AtomicI32 = AtomicI32::new(Level::WARNING.value());

/// The writer side: names to nodes, the tree's links and levels, and the placeholders.
#[derive(Default)]
pub(crate) struct Registry {
    /// Every logger but the root, by name.
    by_name: Names,
    levels: Levels,
    placeholders: Placeholders,
    nodes: Arena,
    /// Set by a publish that moved a threshold; the guard tells the bridges on release.
    thresholds_moved: Cell<bool>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(Mutex::default);

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
    if guard.levels.len() == 0 {
        crate::record::mark_start();
        let root = guard.nodes.place(Node {
            id: 0,
            name: "root".into(),
            threshold: AtomicI32::new(Level::WARNING.value()),
        });
        guard.levels.add(root, 0, Level::WARNING.value());
        let mut loggers = PersistentVec::new();
        loggers.push(Arc::new(LoggerConfig::new(Level::WARNING, None)));
        CURRENT.store(Some(Arc::new(Config {
            loggers,
            disable: 0,
            queue_handlers: 0,
        })));
        // The environment's levels hold from the first record, configured or not.
        crate::config::env::EnvLevels::from_env_reported().install_locked(&mut guard);
    }
    guard
}

impl Registry {
    /// The root logger's node.
    pub(crate) fn root(&self) -> &'static Node {
        self.levels.node(0)
    }

    /// The node of logger `id`.
    pub(crate) fn node(&self, id: usize) -> &'static Node {
        self.levels.node(id)
    }

    /// Every node, in id order (the root first).
    pub(crate) fn nodes(&self) -> impl Iterator<Item = &'static Node> + '_ {
        self.levels.nodes()
    }

    /// The effective level of logger `id` (Python's `getEffectiveLevel`).
    pub(crate) fn effective_level(&self, id: usize) -> Level {
        Level::new(self.levels.effective(id))
    }

    /// The work done so far.
    pub(crate) fn work(&self) -> TreeWork {
        self.levels.work
    }

    /// A draft of the next configuration: the current one, to change.
    pub(crate) fn draft(&self) -> Draft {
        match CURRENT.load_full() {
            Some(c) => Draft::new(c),
            None => unreachable!("the registry creates the root configuration"),
        }
    }

    /// Publishes `draft`, then brings the thresholds of the loggers it changed, of those
    /// that inherit from them, and of their call sites, in step with it.
    pub(crate) fn publish(&mut self, draft: Draft) {
        let Draft {
            base,
            mut config,
            mut changed,
            copied,
        } = draft;
        changed.sort_unstable();
        changed.dedup();
        for &id in &changed {
            let old = base.loggers.get(id).map_or(0, |c| c.queue_handlers());
            let new = config.loggers.get(id).map_or(0, |c| c.queue_handlers());
            config.queue_handlers = (config.queue_handlers + new).saturating_sub(old);
        }
        let floor_moved = config.disable != base.disable;
        let floor = config.floor();
        let config = Arc::new(config);
        CURRENT.store(Some(Arc::clone(&config)));
        let mut moved = self.levels.update(&config, &changed, floor_moved);
        let most_verbose = self.levels.most_verbose().max(floor);
        moved |= MOST_VERBOSE.swap(most_verbose, Ordering::Relaxed) != most_verbose;
        self.levels.work.snapshot_nodes_copied += copied as u64;
        if moved {
            self.thresholds_moved.set(true);
        }
    }

    /// Registers a call site on the logger of `node`.
    pub(crate) fn add_callsite(&mut self, node: &Node, callsite: &'static Callsite) {
        self.levels.add_callsite(node.id, callsite);
    }

    /// Every logger but the root, in no order.
    pub(crate) fn named(&self) -> impl Iterator<Item = &'static Node> + '_ {
        self.by_name.nodes()
    }

    /// The threshold of the logger `name` (its [`Node::threshold`]), or, if no such logger
    /// exists yet, the one it would have if made now, without making it: the level it would
    /// inherit from its nearest existing ancestor (whose `disabled` flag it would not
    /// inherit), with the `disable` floor.
    #[cfg(feature = "tracing")]
    pub(crate) fn threshold_of(&self, name: &str) -> i32 {
        if name.is_empty() || name == "root" {
            return self.root().threshold.load(Ordering::Relaxed);
        }
        if let Some(node) = self.by_name.get(name) {
            return node.threshold.load(Ordering::Relaxed);
        }
        let floor = CURRENT.load().as_deref().map_or(1, Config::floor);
        let parent = ancestors(name)
            .find_map(|a| self.by_name.get(a).map(|n| n.id))
            .unwrap_or(0);
        self.levels.effective(parent).max(floor)
    }

    /// The node for `name`, created (and linked into the tree) if needed. `name` is not the
    /// root's.
    ///
    /// Making a logger costs its depth, amortised: its ancestors are looked up until one
    /// exists, each missing one noting it as a placeholder's child; the placeholder of its
    /// own name, if it was one, hands over the loggers noted under it (each note is handed
    /// over once); and the snapshot gets one entry more. It starts at the threshold it
    /// inherits, so no threshold moves.
    pub(crate) fn get_or_create(&mut self, name: &str) -> &'static Node {
        if let Some(n) = self.by_name.get(name) {
            return n;
        }
        let id = self.levels.len();
        let node = self.nodes.place(Node {
            id,
            name: name.into(),
            threshold: AtomicI32::new(0),
        });
        let name: &'static str = &node.name;
        // The parent is the nearest existing ancestor; the missing ones on the way are
        // placeholders, which note the new logger.
        let mut parent = 0;
        for ancestor in ancestors(name) {
            match self.by_name.get(ancestor) {
                Some(found) => {
                    parent = found.id;
                    break;
                }
                None => self.placeholders.note(ancestor, id),
            }
        }
        let mut draft = self.draft();
        // It starts at the threshold it inherits (it is not disabled: that is not inherited).
        let threshold = self.levels.effective(parent).max(draft.config.floor());
        node.threshold.store(threshold, Ordering::Relaxed);
        self.levels.add(node, parent, Level::NOTSET.value());
        draft.push(LoggerConfig::new(Level::NOTSET, Some(parent)));
        // Loggers made below this name while it was a placeholder, whose parent is still
        // above it, now hang below it (CPython's `_fixupChildren`).
        for child in self.placeholders.take(name) {
            self.levels.work.placeholder_children_checked += 1;
            let parent_is_above = self
                .levels
                .parent(child)
                .is_none_or(|p| p == 0 || self.levels.node(p).name.len() < name.len());
            if parent_is_above {
                self.levels.reparent(child, id);
                draft.update(child, |c| c.parent = Some(id));
            }
        }
        self.by_name.insert(node);
        self.publish(draft);
        node
    }
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use crate::Level;
    use crate::logger::get_logger;

    #[test]
    fn making_a_logger_moves_no_threshold() {
        let parent = get_logger("tree.moves");
        parent.set_level(Level::ERROR);
        parent.set_disabled(true);
        let mut reg = super::registry();
        reg.thresholds_moved.set(false);
        let before = super::MOST_VERBOSE.load(Ordering::Relaxed);
        // Below a disabled parent: it inherits the level, not the flag.
        let node = reg.get_or_create("tree.moves.child");
        assert!(
            !reg.thresholds_moved.get(),
            "the bridges would be told of nothing"
        );
        assert_eq!(node.threshold.load(Ordering::Relaxed), 40);
        assert_eq!(super::MOST_VERBOSE.load(Ordering::Relaxed), before);
    }

    #[test]
    fn a_logger_made_between_a_logger_and_its_parent_takes_it_over() {
        let low = get_logger("tree.fixup.a.b.c");
        let high = get_logger("tree.fixup.a");
        assert_eq!(low.parent(), Some(high));
        high.set_level(Level::DEBUG);
        let middle = get_logger("tree.fixup.a.b");
        assert_eq!(low.parent(), Some(middle));
        assert_eq!(middle.parent(), Some(high));
        assert_eq!(low.effective_level(), Level::DEBUG);
        // The writer's links agree with the snapshot's.
        let reg = super::registry();
        assert_eq!(reg.levels.parent(low.node().id), Some(middle.node().id));
    }
}
