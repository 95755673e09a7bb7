//! Where nodes live: side by side in chunks that are never freed, in order of creation.
//!
//! A level change that reaches many loggers stores a threshold into each of their nodes.
//! Nodes allocated one by one would lie scattered among everything else allocated while
//! they were made (names, configurations, snapshot nodes), one per page or so; side by side
//! they fill a few pages, and those stores cost a fraction as much.

use std::sync::OnceLock;

use super::Node;

/// The first chunk's slots; each next chunk has twice as many, up to [`MAX_CHUNK`].
const FIRST_CHUNK: usize = 64;
const MAX_CHUNK: usize = 4096;

/// Hands out `&'static` slots for nodes (writer side, under the tree's lock).
#[derive(Debug, Default)]
pub(crate) struct Arena {
    chunk: &'static [OnceLock<Node>],
    used: usize,
}

impl Arena {
    /// Places `node` in the next free slot.
    pub(crate) fn place(&mut self, node: Node) -> &'static Node {
        if self.used == self.chunk.len() {
            let size = (self.chunk.len() * 2).clamp(FIRST_CHUNK, MAX_CHUNK);
            self.chunk = Box::leak((0..size).map(|_| OnceLock::new()).collect());
            self.used = 0;
        }
        let slot: &'static OnceLock<Node> = &self.chunk[self.used];
        self.used += 1;
        slot.get_or_init(|| node)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicI32;

    use super::{Arena, FIRST_CHUNK, Node};

    fn node(id: usize) -> Node {
        Node {
            id,
            name: id.to_string().into(),
            threshold: AtomicI32::new(0),
        }
    }

    #[test]
    fn nodes_are_placed_side_by_side_across_chunks() {
        let mut arena = Arena::default();
        let placed: Vec<&Node> = (0..FIRST_CHUNK * 3).map(|i| arena.place(node(i))).collect();
        assert!(placed.iter().enumerate().all(|(i, n)| n.id == i));
        let gap = |a: &Node, b: &Node| (b as *const Node as usize) - (a as *const Node as usize);
        let slot = gap(placed[0], placed[1]);
        assert!(slot >= size_of::<Node>());
        assert_eq!(
            gap(placed[0], placed[FIRST_CHUNK - 1]),
            slot * (FIRST_CHUNK - 1)
        );
        // The second chunk is twice the first.
        let second = &placed[FIRST_CHUNK..FIRST_CHUNK * 3];
        assert_eq!(
            gap(second[0], second[second.len() - 1]),
            slot * (second.len() - 1)
        );
    }
}
