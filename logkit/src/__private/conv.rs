//! WARNING: not public API; used by logkit's macros; may change in any release.
//!
//! The traits whose methods make each argument the [`Arg`](logkit_core::message::Arg) its
//! placeholder needs (`PyDecimal::__logkit_d(&value)` for `%d`): the method's `Self` bound
//! is the compile-time kind check (`%d` of a `&str` does not compile, with a message naming
//! the placeholder, located at the argument, and nothing about logkit's internals).

pub use logkit_core::message::{PyChar, PyDecimal, PyFloat, PyInteger, PyRepr, PyStr};
