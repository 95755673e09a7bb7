//! A file module for `logger-attr-file-module.rs`.
