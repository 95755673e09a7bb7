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

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use arc_swap::ArcSwapOption;

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
}

/// The whole logging configuration: one entry per logger, indexed by node id.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) loggers: Vec<Arc<LoggerConfig>>,
    /// `logging.disable(level)`: records at or below it are dropped.
    pub(crate) disable: i32,
}

/// The current configuration. `None` only before the first logger exists.
pub(crate) static CURRENT: ArcSwapOption<Config> = ArcSwapOption::const_empty();

/// The writer side: names to nodes, in id order, and the registered call sites.
pub(crate) struct Registry {
    pub(crate) by_name: BTreeMap<Box<str>, &'static Node>,
    pub(crate) nodes: Vec<&'static Node>,
    pub(crate) callsites: Vec<&'static Callsite>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    by_name: BTreeMap::new(),
    nodes: Vec::new(),
    callsites: Vec::new(),
});

/// The registry, locked for writing, with the root logger created if needed.
pub(crate) fn registry() -> MutexGuard<'static, Registry> {
    let mut reg = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    if reg.nodes.is_empty() {
        crate::record::mark_start();
        let root: &'static Node = Box::leak(Box::new(Node {
            id: 0,
            name: "root".into(),
            threshold: AtomicI32::new(Level::WARNING.value()),
        }));
        reg.nodes.push(root);
        CURRENT.store(Some(Arc::new(Config {
            loggers: vec![Arc::new(LoggerConfig::new(Level::WARNING, None))],
            disable: 0,
        })));
    }
    reg
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
    pub(crate) fn publish(&self, config: Config) {
        let thresholds = thresholds(&config);
        CURRENT.store(Some(Arc::new(config)));
        for (node, t) in self.nodes.iter().zip(thresholds) {
            node.threshold.store(t, Ordering::Relaxed);
        }
        for cs in &self.callsites {
            cs.refresh();
        }
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
            threshold: AtomicI32::new(i32::MAX),
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

/// Effective level of every logger, then its threshold.
fn thresholds(config: &Config) -> Vec<i32> {
    let n = config.loggers.len();
    let mut effective: Vec<Option<i32>> = vec![None; n];
    let floor = config.disable.saturating_add(1);
    (0..n)
        .map(|i| {
            let cfg = &config.loggers[i];
            if cfg.disabled {
                return i32::MAX;
            }
            effective_level(config, i, &mut effective).max(floor)
        })
        .collect()
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
