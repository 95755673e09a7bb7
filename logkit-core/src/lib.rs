//! The runtime of [logkit](https://docs.rs/logkit) and its template parser.
//!
//! Applications use the `logkit` crate, which re-exports what is public here and adds the
//! macros. This crate holds:
//!
//! - [`template`]: the one parser for message and record templates, dependency-free and
//!   always built (the proc macros use it at compile time);
//! - with the `runtime` feature (on by default): levels, the logger tree, records, filters,
//!   formatters, handlers and configuration.

pub mod template;
