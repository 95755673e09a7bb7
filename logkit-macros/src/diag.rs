//! Turning template errors into compile errors.
//!
//! On stable Rust a proc macro can only point at the whole string literal, so every message
//! quotes the offending fragment (the parser's error messages do).

use proc_macro2::Span;

/// A compile error at `span` for a template error.
pub(crate) fn template_error(span: Span, err: &logkit_core::template::Error) -> syn::Error {
    syn::Error::new(span, err.to_string())
}

/// Collects several errors into one, so a single build shows every mistake.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, err: syn::Error) {
        match &mut self.0 {
            Some(e) => e.combine(err),
            None => self.0 = Some(err),
        }
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        match self.0 {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
