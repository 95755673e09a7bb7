//! The fields of a facade's record: their names, and a list that keeps the first few on the
//! stack.

use std::sync::LazyLock;

use crate::template::Attr;
use crate::value::Value;

/// The name a facade's field is kept under: its own, or for one naming a record attribute
/// (`name`, `module`, `thread`, …) that name with `_` after it (`name_`, Python's convention
/// for a name that would clash), where `extra` would be refused.
pub(crate) fn field_name(name: &str) -> &str {
    /// `name_` for each record attribute `name`: a few strings, made once.
    static RENAMED: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
        Attr::ALL
            .iter()
            .map(|a| {
                (
                    a.name(),
                    &*Box::leak(format!("{}_", a.name()).into_boxed_str()),
                )
            })
            .collect()
    });
    RENAMED
        .iter()
        .find(|(attr, _)| *attr == name)
        .map_or(name, |(_, renamed)| renamed)
}

/// How many fields a record from a facade carries without allocating.
const INLINE_FIELDS: usize = 8;

/// A record's fields, the first [`INLINE_FIELDS`] of them on the stack.
pub(crate) struct FieldList<'a> {
    inline: [(&'a str, Value<'a>); INLINE_FIELDS],
    len: usize,
    spilled: Vec<(&'a str, Value<'a>)>,
}

impl<'a> FieldList<'a> {
    pub(crate) fn new() -> Self {
        FieldList {
            inline: std::array::from_fn(|_| ("", Value::None)),
            len: 0,
            spilled: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, name: &'a str, value: Value<'a>) {
        if self.spilled.is_empty() && self.len < INLINE_FIELDS {
            self.inline[self.len] = (name, value);
            self.len += 1;
            return;
        }
        if self.spilled.is_empty() {
            self.spilled.extend(
                self.inline
                    .iter_mut()
                    .map(|slot| std::mem::replace(slot, ("", Value::None))),
            );
        }
        self.spilled.push((name, value));
    }

    pub(crate) fn as_slice(&self) -> &[(&'a str, Value<'a>)] {
        if self.spilled.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spilled
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashing_field_names_take_an_underscore() {
        assert_eq!(field_name("name"), "name_");
        assert_eq!(field_name("message"), "message_");
        assert_eq!(field_name("user"), "user");
    }

    #[test]
    fn field_lists_spill_past_their_inline_room() {
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        for n in 0..=names.len() {
            let mut list = FieldList::new();
            for (i, name) in names[..n].iter().enumerate() {
                list.push(name, Value::from(i));
            }
            let got: Vec<String> = list
                .as_slice()
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let want: Vec<String> = names[..n]
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k}={i}"))
                .collect();
            assert_eq!(got, want);
        }
    }
}
