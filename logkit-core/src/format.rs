//! Formatting records into text: the [`Format`] seam, the run-time [`Formatter`], and the
//! attribute writers that both it and `formatter!`-compiled formatters use.
//!
//! A formatter appends one record's text to a buffer the handler owns; nothing is allocated
//! per record once the buffer has grown. `asctime` is rendered at most once per second per
//! thread (see [`time`]).

mod attrs;
mod color;
mod formatter;
mod json;
mod push;
pub mod time;

use std::sync::Arc;

pub use crate::escaping::{Escaping, escape_controls, is_escaped_control};
pub(crate) use attrs::attr_value;
pub use attrs::{
    FieldSpec, append_exception_and_stack, write_attr, write_attr_or_replacement, write_field,
    write_user_field,
};
pub use color::{Color, ColorScheme, LogColors, with_terminal_output};
pub use formatter::{Formatter, FormatterBuilder};
#[cfg(feature = "otlp")]
pub(crate) use json::push_json_string;
pub use json::{JsonFormatter, JsonFormatterBuilder};
pub(crate) use push::copy_upto_32;
pub use push::{push_i64, push_text, push_u64};

use crate::pyfmt::ConvError;
use crate::record::Record;

/// The error of a formatting step: CPython's exception type and message, such as
/// `ValueError: Formatting field not found in record: 'user'`.
pub type FormatError = ConvError;

/// Turns a record into text.
///
/// Implemented by the run-time [`Formatter`], by formatters compiled with `formatter!`, and
/// by closures `Fn(&Record, &mut String) -> Result<(), FormatError>`.
///
/// # Examples
///
/// ```
/// use logkit::{Format, FormatError, Record};
///
/// fn upper(record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
///     let start = out.len();
///     record.write_message(out)?;
///     out[start..].make_ascii_uppercase();
///     Ok(())
/// }
/// let _formatter: &dyn Format = &upper;
/// ```
pub trait Format: Send + Sync + 'static {
    /// Appends the record's text to `out` (without a line terminator).
    ///
    /// # Errors
    ///
    /// When a field cannot be formatted; the handler reports it and drops the record.
    fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError>;

    /// The record template the formatter was made from (Python's `formatter._fmt`), if it
    /// was made from one.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{Format, Formatter};
    ///
    /// let f: &dyn Format = &Formatter::new("%(levelname)s %(message)s")?;
    /// assert_eq!(f.template(), Some("%(levelname)s %(message)s"));
    /// # Ok::<(), logkit::template::Error>(())
    /// ```
    fn template(&self) -> Option<&str> {
        None
    }
}

impl<F> Format for F
where
    F: Fn(&Record<'_>, &mut String) -> Result<(), FormatError> + Send + Sync + 'static,
{
    fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        self(record, out)
    }
}

/// A shared formatter, as handlers hold them.
pub type FormatRef = Arc<dyn Format>;

/// Something that can be set as a handler's formatter: any [`Format`], or an `Arc` of one.
pub trait IntoFormat {
    /// The shared formatter.
    fn into_format(self) -> FormatRef;
}

impl<F: Format> IntoFormat for F {
    fn into_format(self) -> FormatRef {
        Arc::new(self)
    }
}

impl<F: Format> IntoFormat for Arc<F> {
    fn into_format(self) -> FormatRef {
        self
    }
}

impl IntoFormat for FormatRef {
    fn into_format(self) -> FormatRef {
        self
    }
}

/// The formatter of a handler that has none: `%(message)s`, with exception and stack text
/// appended (CPython's `_defaultFormatter`).
#[derive(Clone, Copy, Debug, Default)]
pub struct MessageOnly;

impl Format for MessageOnly {
    fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        let start = out.len();
        record.write_message(out)?;
        append_exception_and_stack(record, out, start);
        Ok(())
    }

    fn template(&self) -> Option<&str> {
        Some("%(message)s")
    }
}
