//! Loggers by name: a hash map whose keys keep their hash, so that growing the map rehashes
//! numbers instead of reading every name again (with a million loggers, the names lie all
//! over memory, and reading them would make each growth a long pause).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher, RandomState};

use super::Node;

/// A name and its hash (the map's hasher takes the hash as it is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hashed<'a> {
    hash: u64,
    name: &'a str,
}

impl Hash for Hashed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// A key of the map: a logger's name, which lives as long as its node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key(Hashed<'static>);

impl<'a> Borrow<Hashed<'a>> for Key {
    fn borrow(&self) -> &Hashed<'a> {
        &self.0
    }
}

/// The hasher of the map: the hash a [`Hashed`] already has.
#[derive(Default)]
struct KeptHash(u64);

impl Hasher for KeptHash {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is called; this keeps any other input hashed all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Every logger but the root, by name.
#[derive(Debug, Default)]
pub(crate) struct Names {
    map: HashMap<Key, &'static Node, BuildHasherDefault<KeptHash>>,
    /// The names' hasher, seeded at random (names can come from outside the program).
    hasher: RandomState,
}

impl Names {
    fn hashed<'a>(&self, name: &'a str) -> Hashed<'a> {
        Hashed {
            hash: self.hasher.hash_one(name),
            name,
        }
    }

    /// The logger named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&'static Node> {
        self.map.get(&self.hashed(name)).copied()
    }

    /// Adds the logger of `node`, under its name.
    pub(crate) fn insert(&mut self, node: &'static Node) {
        let key = Key(self.hashed(&node.name));
        self.map.insert(key, node);
    }

    /// Every logger, in no order.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = &'static Node> + '_ {
        self.map.values().copied()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicI32;

    use super::{Names, Node};

    #[test]
    fn names_are_found_after_the_map_grows() {
        let mut names = Names::default();
        let nodes: Vec<&'static Node> = (0..5000)
            .map(|id| {
                &*Box::leak(Box::new(Node {
                    id,
                    name: format!("grow.n{id}").into(),
                    threshold: AtomicI32::new(0),
                }))
            })
            .collect();
        for node in &nodes {
            names.insert(node);
        }
        assert!(
            nodes
                .iter()
                .all(|n| names.get(&n.name).map(|f| f.id) == Some(n.id))
        );
        assert!(names.get("grow.n5000").is_none());
        assert!(names.get("grow").is_none());
        assert_eq!(names.nodes().count(), 5000);
    }
}
