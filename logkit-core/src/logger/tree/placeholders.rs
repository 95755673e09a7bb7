//! Placeholders, as CPython's `PlaceHolder`: a dotted name that is not a logger yet but is
//! the ancestor of one, with the loggers made below it while it was missing.
//!
//! Making `a.b.c` while `a.b` and `a` do not exist notes `a.b.c` under both names. When
//! `a.b` is made, only the loggers noted under `a.b` are checked: those whose parent is
//! still above `a.b` move below it (CPython's `_fixupChildren`). Each logger is noted once
//! per missing ancestor and checked at most once per note, so the fix-ups cost, over a
//! program's life, at most the depth of each logger made.

use std::collections::HashMap;

/// The loggers made below each missing ancestor name.
#[derive(Debug, Default)]
pub(crate) struct Placeholders {
    below: HashMap<&'static str, Vec<usize>>,
}

impl Placeholders {
    /// Notes that logger `id` was made below the missing ancestor `name`.
    pub(crate) fn note(&mut self, name: &'static str, id: usize) {
        self.below.entry(name).or_default().push(id);
    }

    /// The loggers made below `name` while it was missing; it is a logger now.
    pub(crate) fn take(&mut self, name: &str) -> Vec<usize> {
        self.below.remove(name).unwrap_or_default()
    }
}
