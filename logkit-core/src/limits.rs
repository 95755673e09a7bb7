//! The largest size or depth logkit accepts from input, for every size or depth it reads.
//!
//! Templates, configuration files, the environment and the arguments of a logging call can
//! all ask for an amount of memory or work: a field width, a queue capacity, a nesting depth.
//! Each such number has a maximum here, checked before anything is allocated or walked;
//! beyond it the caller gets an error that names what was asked and where (a compile error
//! quoting the template fragment, a configuration error naming the section and key, or a
//! `--- Logging error ---` report for a width taken from an argument), never a hang, an
//! abort on a failed allocation, a stack overflow or a panic. `docs/limits.md` lists them
//! all with the reasons for each value.
//!
//! # Examples
//!
//! ```
//! use logkit::limits::MAX_FIELD_WIDTH;
//! use logkit::Formatter;
//!
//! assert!(Formatter::new(&format!("%(message){MAX_FIELD_WIDTH}s")).is_ok());
//! let err = Formatter::new(&format!("%(message){}s", MAX_FIELD_WIDTH + 1)).unwrap_err();
//! assert!(err.to_string().contains("65535"));
//! ```

/// The largest width or precision of a template field (`%(message)-8s`, `{levelname:>8}`,
/// `%.3f`), written in the template or taken at run time from an argument (`%*d`) or a
/// record field (`{message:{width}}`). The widths and precisions written in one template
/// must also add up to at most this much.
///
/// 65,535 is the most Rust's own `format!` machinery takes (its `Formatter` keeps widths
/// and precisions in 16 bits), and a field of 65,535 characters is already more than any
/// log line needs. A field then costs at most 256 KiB (65,535 four-byte fill characters).
///
/// # Examples
///
/// ```
/// use logkit::limits::MAX_FIELD_WIDTH;
/// use logkit::template::{parse, Mode};
///
/// assert!(parse("%65535d", Mode::Message).is_ok());
/// assert!(parse("%65536d", Mode::Message).is_err());
/// assert!(parse("%40000d %40000d", Mode::Message).is_err()); // 80,000 in all
/// assert_eq!(MAX_FIELD_WIDTH, 65_535);
/// ```
pub const MAX_FIELD_WIDTH: usize = 65_535;
