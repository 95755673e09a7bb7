//! Proc macros of [logkit](https://docs.rs/logkit). Use them through the `logkit` crate:
//! `log!`, `info!`…, `formatter!` and `#[logger]` are re-exported there, and their
//! documentation lives there.
//!
//! Each entry point converts between `proc_macro` and `proc_macro2` and calls one module;
//! the modules parse, validate against logkit's template parser, and expand.

mod diag;
mod formatter;
mod log;
mod logger;

use proc_macro::TokenStream;

/// Expands a logging call: `$crate; <logger source>; @<kind> <user tokens>`.
#[doc(hidden)]
#[proc_macro]
pub fn log_impl(input: TokenStream) -> TokenStream {
    log::expand(input.into()).into()
}

/// Compiles a record template into a formatter: `$crate; "<template>" [, options]`.
#[doc(hidden)]
#[proc_macro]
pub fn formatter_impl(input: TokenStream) -> TokenStream {
    formatter::expand(input.into()).into()
}

/// Declares a logger for an inline module, a function or the methods of an impl block.
///
/// See `logkit::logger`.
#[proc_macro_attribute]
pub fn logger(args: TokenStream, item: TokenStream) -> TokenStream {
    logger::expand(args.into(), item.into()).into()
}
