//! A persistent vector: the loggers' configurations, indexed by logger id, shared between
//! configuration snapshots.
//!
//! It is a trie of nodes of [`WIDTH`] slots, each node behind an `Arc`. Cloning the vector
//! clones one `Arc`. Setting or appending an entry copies the nodes on the path to it (one
//! per level: a handful for a million entries) and shares every other node with the clones
//! it came from, so a new snapshot costs the size of the change, not of the tree. Readers
//! index it without a lock: one load per level.

use std::sync::Arc;

/// Bits of an index per level of the trie.
const BITS: u32 = 4;
/// Slots per node.
const WIDTH: usize = 1 << BITS;
const MASK: usize = WIDTH - 1;

#[derive(Clone, Debug)]
enum Trie<T> {
    Leaf(Vec<T>),
    Branch(Vec<Arc<Trie<T>>>),
}

impl<T> Trie<T> {
    /// An empty node at `shift` (0 for a leaf).
    fn empty(shift: u32) -> Self {
        if shift == 0 {
            Trie::Leaf(Vec::with_capacity(WIDTH))
        } else {
            Trie::Branch(Vec::with_capacity(WIDTH))
        }
    }
}

/// A vector whose clones share structure (see the module documentation).
#[derive(Clone, Debug)]
pub(crate) struct PersistentVec<T> {
    root: Arc<Trie<T>>,
    len: usize,
    /// The shift of the root's slot in an index (0 when the root is a leaf).
    shift: u32,
}

impl<T: Clone> PersistentVec<T> {
    /// An empty vector.
    pub(crate) fn new() -> Self {
        PersistentVec {
            root: Arc::new(Trie::empty(0)),
            len: 0,
            shift: 0,
        }
    }

    /// The entry at `index`.
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        if index >= self.len {
            return None;
        }
        let mut node = &*self.root;
        let mut shift = self.shift;
        loop {
            match node {
                Trie::Branch(children) => {
                    node = children.get((index >> shift) & MASK)?;
                    shift = shift.saturating_sub(BITS);
                }
                Trie::Leaf(items) => return items.get(index & MASK),
            }
        }
    }

    /// Every entry, in index order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        (0..self.len).filter_map(|i| self.get(i))
    }

    /// Replaces the entry at `index` (which exists); the number of nodes copied, because a
    /// clone shared them.
    pub(crate) fn set(&mut self, index: usize, value: T) -> usize {
        debug_assert!(index < self.len, "set past the end");
        set_in(&mut self.root, self.shift, index, value)
    }

    /// Appends an entry; the number of nodes copied.
    pub(crate) fn push(&mut self, value: T) -> usize {
        if self.len == WIDTH << self.shift {
            // The trie is full: it becomes the first child of a new root.
            let full = std::mem::replace(&mut self.root, Arc::new(Trie::Branch(Vec::new())));
            self.root = Arc::new(Trie::Branch(vec![full]));
            self.shift += BITS;
        }
        let index = self.len;
        self.len += 1;
        set_in(&mut self.root, self.shift, index, value)
    }
}

/// Stores `value` at `index` below `node` (at `shift`), copying each node on the way that
/// a clone shares; the number copied. `index` is at most one past the last entry.
fn set_in<T: Clone>(node: &mut Arc<Trie<T>>, shift: u32, index: usize, value: T) -> usize {
    let copied = usize::from(Arc::get_mut(node).is_none());
    match Arc::make_mut(node) {
        Trie::Leaf(items) => {
            let slot = index & MASK;
            match items.get_mut(slot) {
                Some(item) => *item = value,
                None => items.push(value),
            }
            copied
        }
        Trie::Branch(children) => {
            let slot = (index >> shift) & MASK;
            let below = shift - BITS;
            if slot == children.len() {
                children.push(Arc::new(Trie::empty(below)));
            }
            copied + set_in(&mut children[slot], below, index, value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{PersistentVec, WIDTH};

    #[test]
    fn entries_are_found_at_their_index_at_every_height() {
        let mut v = PersistentVec::new();
        let n = WIDTH * WIDTH * WIDTH + 3;
        for i in 0..n {
            v.push(i);
        }
        assert!((0..n).all(|i| v.get(i) == Some(&i)));
        assert_eq!(v.get(n), None);
        assert!(v.iter().copied().eq(0..n));
    }

    #[test]
    fn a_change_leaves_the_clones_as_they_were() {
        let mut v = PersistentVec::new();
        for i in 0..1000 {
            v.push(i);
        }
        let before = v.clone();
        v.set(500, 0);
        v.push(1000);
        assert_eq!(before.get(500), Some(&500));
        assert_eq!(before.get(1000), None);
        assert_eq!(v.get(500), Some(&0));
        assert_eq!(v.get(1000), Some(&1000));
    }

    #[test]
    fn a_change_copies_one_node_per_level_once() {
        let mut v = PersistentVec::new();
        for i in 0..WIDTH * WIDTH * WIDTH {
            v.push(i);
        }
        let _shared = v.clone();
        // Three levels of WIDTH slots: the path to an entry is three nodes.
        assert_eq!(v.set(7, 0), 3);
        // The path is this vector's own now.
        assert_eq!(v.set(8, 0), 0);
        // A change elsewhere copies the nodes that still are shared: the root is not.
        assert_eq!(v.set(WIDTH * WIDTH * 2, 0), 2);
    }
}
