//! The writer's side of the tree: each logger's parent and children, its level and
//! `disabled` flag as the snapshot has them, and the call sites registered on it.
//!
//! This is what makes a change cost the loggers it affects. A logger's effective level is
//! the level of its nearest ancestor-or-self with one set, so when a logger's effective
//! level goes from `a` to `b`, every descendant that inherits it (reached through loggers
//! with no level of their own) goes from `a` to `b` too, and nothing else moves. A level
//! change therefore walks down from the changed logger through those descendants only
//! (stopping at a descendant with a level of its own), storing each one's new threshold and
//! refreshing its call sites, and walks nothing when the threshold `b` gives is the one `a`
//! gave. A `disabled` flag moves its own logger's threshold only. A new logger starts at
//! the threshold its parent's effective level gives; nothing else moves. Only a change of
//! `disable`'s level, which every threshold includes, walks the whole tree.
//!
//! Effective levels are not stored: one is found by walking up to the nearest level set
//! (the logger's depth), which only a change's first logger, a new logger's parent and the
//! level queries need.
//!
//! All of it lives under the tree's writer lock; logging threads read only the nodes'
//! atomics and the snapshot.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;

use super::super::callsite::Callsite;
use super::{Config, Node};

/// One logger, writer side: one cache line, so that a walk down a large subtree reads one
/// line per logger it reaches.
#[derive(Debug)]
#[repr(align(64))]
struct Entry {
    node: &'static Node,
    /// The parent's id (the root's is its own, 0).
    parent: usize,
    children: Vec<usize>,
    /// Where this logger is in its parent's `children`.
    slot: usize,
    /// Whether call sites are registered on this logger (in [`Levels::callsites`]).
    has_callsites: bool,
    /// The level set on it (0 for NOTSET), as in the snapshot.
    level: i32,
    /// Its `disabled` flag, as in the snapshot.
    disabled: bool,
}

/// The work the tree has done since the process started (the counts a test reads to check
/// that a change costs what it affects, not the size of the tree). Not public API.
///
/// # Examples
///
/// ```
/// use logkit::{get_logger, Level};
///
/// let leaf = get_logger("work.example.leaf");
/// let before = logkit::__private::tree_work().loggers_visited;
/// leaf.set_level(Level::DEBUG); // a logger with no children: itself only
/// assert_eq!(logkit::__private::tree_work().loggers_visited, before + 1);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TreeWork {
    /// Loggers made.
    pub loggers_made: u64,
    /// Loggers whose threshold was recomputed.
    pub loggers_visited: u64,
    /// Call sites given a new threshold.
    pub callsites_refreshed: u64,
    /// Loggers checked for re-parenting when a placeholder became a logger.
    pub placeholder_children_checked: u64,
    /// Nodes of the configuration snapshot copied (the rest is shared with the previous
    /// snapshot).
    pub snapshot_nodes_copied: u64,
}

/// Every logger's place in the tree and levels (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct Levels {
    entries: Vec<Entry>,
    /// How many loggers have each level set on them, the root's counted even when NOTSET
    /// (0). Every effective level is one of these, so the lowest is the most verbose.
    level_counts: BTreeMap<i32, usize>,
    /// The call sites registered on each logger that has any.
    callsites: HashMap<usize, Vec<&'static Callsite>>,
    pub(crate) work: TreeWork,
}

impl Levels {
    /// Adds the logger of `node`, with no level set, below `parent` (the root, made first,
    /// is its own parent and has `level`). Its id is the next one, and its threshold the one
    /// it starts at.
    pub(crate) fn add(&mut self, node: &'static Node, parent: usize, level: i32) {
        debug_assert_eq!(node.id, self.entries.len(), "ids are given in order");
        let is_root = node.id == 0;
        self.entries.push(Entry {
            node,
            parent,
            children: Vec::new(),
            slot: 0,
            has_callsites: false,
            level: if is_root { level } else { 0 },
            disabled: false,
        });
        if is_root {
            *self.level_counts.entry(level).or_default() += 1;
        } else {
            self.link(node.id, parent);
        }
        self.work.loggers_made += 1;
    }

    /// The number of loggers.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The node of logger `id`.
    pub(crate) fn node(&self, id: usize) -> &'static Node {
        self.entries[id].node
    }

    /// Every node, in id order (the root first).
    pub(crate) fn nodes(&self) -> impl Iterator<Item = &'static Node> + '_ {
        self.entries.iter().map(|e| e.node)
    }

    /// The parent of logger `id` (`None` for the root).
    pub(crate) fn parent(&self, id: usize) -> Option<usize> {
        (id != 0).then(|| self.entries[id].parent)
    }

    /// The effective level of logger `id`: the first level set on it or an ancestor (0
    /// when none is).
    pub(crate) fn effective(&self, mut id: usize) -> i32 {
        loop {
            let entry = &self.entries[id];
            if entry.level != 0 || id == 0 {
                return entry.level;
            }
            id = entry.parent;
        }
    }

    /// The lowest effective level of any logger.
    pub(crate) fn most_verbose(&self) -> i32 {
        self.level_counts.keys().next().copied().unwrap_or(0)
    }

    /// Moves logger `id` below `parent`, which must give it the effective level it had (a
    /// new logger with no level, made between it and its old parent, does): the snapshot's
    /// parent changes with it, and no threshold moves.
    pub(crate) fn reparent(&mut self, id: usize, parent: usize) {
        let old = self.entries[id].parent;
        let slot = self.entries[id].slot;
        let children = &mut self.entries[old].children;
        children.swap_remove(slot);
        if let Some(&moved) = children.get(slot) {
            self.entries[moved].slot = slot;
        }
        self.link(id, parent);
    }

    fn link(&mut self, id: usize, parent: usize) {
        let children = &mut self.entries[parent].children;
        let slot = children.len();
        children.push(id);
        let entry = &mut self.entries[id];
        entry.parent = parent;
        entry.slot = slot;
    }

    /// Registers a call site on logger `id` (the caller gives it its threshold).
    pub(crate) fn add_callsite(&mut self, id: usize, callsite: &'static Callsite) {
        self.entries[id].has_callsites = true;
        self.callsites.entry(id).or_default().push(callsite);
    }

    /// Brings the thresholds and call sites in step with `config`, in which the loggers
    /// `changed` (any of their settings) and, if `floor_moved`, the `disable` level changed.
    /// Whether a threshold moved.
    pub(crate) fn update(&mut self, config: &Config, changed: &[usize], floor_moved: bool) -> bool {
        let floor = config.floor();
        let mut moved = false;
        // One logger at a time, each step from one consistent state to the next.
        for &id in changed {
            let Some(c) = config.loggers.get(id) else {
                continue;
            };
            let disabled_changed = c.disabled != self.entries[id].disabled;
            self.entries[id].disabled = c.disabled;
            let level = c.level.value();
            if level != self.entries[id].level {
                let threshold = self.set_level(id, level, floor);
                if let Some(threshold) = threshold.filter(|_| !floor_moved) {
                    moved |= self.store_below(id, threshold);
                }
            }
            if disabled_changed && !floor_moved {
                moved |= self.set_own_threshold(id, floor);
            }
        }
        if floor_moved {
            moved |= self.set_every_threshold(floor);
        }
        moved
    }

    /// Sets the level of logger `id`; the threshold its effective level gives now, if that
    /// is not the one it gave before (with `floor`, the `disable` floor).
    fn set_level(&mut self, id: usize, level: i32, floor: i32) -> Option<i32> {
        let before = self.effective(id).max(floor);
        let old = std::mem::replace(&mut self.entries[id].level, level);
        self.count_level(id, old, level);
        let after = self.effective(id).max(floor);
        (after != before).then_some(after)
    }

    fn count_level(&mut self, id: usize, old: i32, new: i32) {
        let counted = |level: i32| level != 0 || id == 0;
        if counted(old) {
            if let Some(count) = self.level_counts.get_mut(&old) {
                *count -= 1;
                if *count == 0 {
                    self.level_counts.remove(&old);
                }
            }
        }
        if counted(new) {
            *self.level_counts.entry(new).or_default() += 1;
        }
    }

    /// Stores `threshold` as the threshold of logger `id` and of the descendants that
    /// inherit its effective level (each of which it moved), those disabled aside; whether
    /// one was stored.
    fn store_below(&mut self, id: usize, threshold: i32) -> bool {
        let mut moved = false;
        let mut pending = vec![id];
        while let Some(id) = pending.pop() {
            self.work.loggers_visited += 1;
            let entry = &self.entries[id];
            if !entry.disabled {
                entry.node.threshold.store(threshold, Ordering::Relaxed);
                self.work.callsites_refreshed += refresh(&self.callsites, id, entry);
                moved = true;
            }
            let entries = &self.entries;
            pending.extend(
                entry
                    .children
                    .iter()
                    .copied()
                    .filter(|&child| entries[child].level == 0),
            );
        }
        moved
    }

    /// Stores the threshold of logger `id` from its `disabled` flag and effective level;
    /// whether it moved.
    fn set_own_threshold(&mut self, id: usize, floor: i32) -> bool {
        self.work.loggers_visited += 1;
        let entry = &self.entries[id];
        let threshold = if entry.disabled {
            i32::MAX
        } else {
            self.effective(id).max(floor)
        };
        if entry.node.threshold.swap(threshold, Ordering::Relaxed) == threshold {
            return false;
        }
        self.work.callsites_refreshed += refresh(&self.callsites, id, entry);
        true
    }

    /// Stores every logger's threshold (after a change of `disable`'s level), walking down
    /// from the root with the effective level each inherits; whether one moved.
    fn set_every_threshold(&mut self, floor: i32) -> bool {
        let mut moved = false;
        let mut pending = vec![(0, self.entries[0].level)];
        while let Some((id, inherited)) = pending.pop() {
            self.work.loggers_visited += 1;
            let entry = &self.entries[id];
            let effective = if entry.level != 0 {
                entry.level
            } else {
                inherited
            };
            let threshold = if entry.disabled {
                i32::MAX
            } else {
                effective.max(floor)
            };
            if entry.node.threshold.swap(threshold, Ordering::Relaxed) != threshold {
                self.work.callsites_refreshed += refresh(&self.callsites, id, entry);
                moved = true;
            }
            pending.extend(entry.children.iter().map(|&child| (child, effective)));
        }
        moved
    }
}

/// Gives the call sites registered on logger `id` (whose entry is `entry`) its threshold;
/// how many there are.
fn refresh(callsites: &HashMap<usize, Vec<&'static Callsite>>, id: usize, entry: &Entry) -> u64 {
    if !entry.has_callsites {
        return 0;
    }
    let registered = callsites.get(&id).map_or(&[][..], Vec::as_slice);
    for callsite in registered {
        callsite.refresh();
    }
    registered.len() as u64
}
