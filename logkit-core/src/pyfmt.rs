//! Python's value formatting, reproduced byte for byte from CPython 3.11.
//!
//! logkit prints values the way Python's `logging` would, so every conversion here follows the
//! C code CPython runs:
//!
//! - **printf conversions**, `'%-8s' % value` ([`Printf`], [`int`], [`float`], [`text`],
//!   [`pad_in_place`], [`char_`]): `PyUnicode_Format` in `Objects/unicodeobject.c`;
//! - **`str.format` specs**, `'{:>10,.2f}'.format(value)` ([`FormatSpec`], [`format_int`],
//!   [`format_float`], [`format_str`]): `Python/formatter_unicode.c`;
//! - **`repr()` and `ascii()`** of floats and strings ([`float_repr`], [`str_repr`],
//!   [`ascii_escape`]): `PyOS_double_to_string` and `unicode_repr`.
//!
//! Floats are converted with Rust's exact decimal conversion (shortest round-trip digits for
//! `repr`, correctly rounded digits, ties to even on the exact binary value, for a given
//! precision), which gives the digits `_Py_dg_dtoa` gives, once a shortest-digits tie is
//! settled to even as Python does; the layout around them (exponent, trailing zeros, `#`,
//! `%g`'s choice of notation) is a port of CPython's `format_float_short`.
//!
//! Every function appends to an `out: &mut String` and allocates nothing but the growth of
//! `out`, an error's message, and for padding of more than 64 characters inserted before
//! text already written, one copy of that text (so that padding costs time linear in the
//! width). On error nothing is written. Errors carry CPython's exact
//! type and message, for logkit's `TypeError: …` reports.
//!
//! # Examples
//!
//! ```
//! use logkit::pyfmt::{self, FormatSpec, Printf};
//! use logkit::template::PercentConv;
//!
//! let mut out = String::new();
//! let spec = Printf { width: 8, precision: Some(2), ..Printf::conv(PercentConv::FixedLower) };
//! pyfmt::float(&mut out, 3.14159, &spec).unwrap();
//! assert_eq!(out, "    3.14");
//!
//! out.clear();
//! let spec = FormatSpec { grouping: Some(','), ..FormatSpec::default() };
//! pyfmt::format_int(&mut out, 1234567, &spec).unwrap();
//! assert_eq!(out, "1,234,567");
//! ```

use std::fmt;

mod budget;
mod dtoa;
mod format;
mod printable;
mod printf;
mod repr;
#[cfg(test)]
mod tests;

pub use budget::WidthBudget;
pub(crate) use budget::width_too_big;
pub use dtoa::float_repr;
pub use format::{FormatSpec, format_float, format_int, format_str};
pub use printf::{Printf, char_, float, int, pad_in_place, text};
pub use repr::{ascii_escape, str_repr};

/// The Python exception a failed conversion raises.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::ConvErrorKind;
///
/// assert_eq!(ConvErrorKind::TypeError.name(), "TypeError");
/// assert_eq!(format!("{}: x", ConvErrorKind::ValueError), "ValueError: x");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConvErrorKind {
    /// `TypeError`: the value's type does not take the conversion (`%d` of a string).
    TypeError,
    /// `ValueError`: a bad spec for the type (`{:,s}`), or `%d` of a NaN.
    ValueError,
    /// `OverflowError`: `%c` out of range, `%d` of an infinity.
    OverflowError,
    /// `KeyError`: a `%(name)s` placeholder with no such key in the mapping (the message is
    /// the key's repr, `'name'`). Not raised by this module's functions.
    KeyError,
    /// `IndexError`: a brace field's index beyond its string or tuple (`{levelname[10]}`).
    IndexError,
    /// A file handler's encoding cannot represent a character of the record (with the
    /// `strict` error handler).
    UnicodeEncodeError,
    /// A value's `Display` or `Debug` returned `fmt::Error` (Rust's counterpart of an
    /// exception raised by `__str__`); printed as `fmt::Error`.
    FmtError,
}

impl ConvErrorKind {
    /// The exception's Python name, as printed before the message.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::pyfmt::ConvErrorKind;
    ///
    /// assert_eq!(ConvErrorKind::OverflowError.name(), "OverflowError");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Self::TypeError => "TypeError",
            Self::ValueError => "ValueError",
            Self::OverflowError => "OverflowError",
            Self::KeyError => "KeyError",
            Self::FmtError => "fmt::Error",
            Self::UnicodeEncodeError => "UnicodeEncodeError",
            Self::IndexError => "IndexError",
        }
    }
}

/// Prints the exception's name, as [`ConvErrorKind::name`].
impl fmt::Display for ConvErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A conversion Python would refuse, with CPython's exception type and exact message.
///
/// `Display` prints the message alone; prefix the kind (which displays as its name) for
/// Python's `TypeError: message` form.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, ConvErrorKind, Printf};
/// use logkit::template::PercentConv;
///
/// let mut out = String::new();
/// let err = pyfmt::float(&mut out, 1.5, &Printf::conv(PercentConv::HexLower)).unwrap_err();
/// assert_eq!(err.kind, ConvErrorKind::TypeError);
/// assert_eq!(err.to_string(), "%x format: an integer is required, not float");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvError {
    /// The exception type.
    pub kind: ConvErrorKind,
    /// The exception's message, as CPython words it.
    pub message: String,
}

impl ConvError {
    /// An error of the given kind.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::pyfmt::{ConvError, ConvErrorKind};
    ///
    /// let err = ConvError::new(ConvErrorKind::TypeError, "* wants int");
    /// assert_eq!(err.to_string(), "* wants int");
    /// ```
    pub fn new(kind: ConvErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    fn type_error(message: impl Into<String>) -> Self {
        Self::new(ConvErrorKind::TypeError, message)
    }

    fn value_error(message: impl Into<String>) -> Self {
        Self::new(ConvErrorKind::ValueError, message)
    }

    fn overflow_error(message: impl Into<String>) -> Self {
        Self::new(ConvErrorKind::OverflowError, message)
    }

    /// `%c arg not in range(0x110000)`, shared by `%c` and `{:c}`.
    fn char_range() -> Self {
        Self::overflow_error("%c arg not in range(0x110000)")
    }
}

impl fmt::Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConvError {}

const SPACES: &str = "                                                                ";
const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends `n` copies of `fill`, a string of 64 copies of one ASCII byte.
fn push_fill(out: &mut String, fill: &'static str, n: usize) {
    let mut n = n;
    while n > 0 {
        let k = n.min(fill.len());
        out.push_str(&fill[..k]);
        n -= k;
    }
}

/// Inserts `n` copies of `fill` (as in [`push_fill`]) at byte offset `at`, moving the text
/// after `at` once whatever `n` is: the cost is linear in `n` and that text.
fn insert_fill(out: &mut String, at: usize, fill: &'static str, n: usize) {
    if n <= fill.len() {
        out.insert_str(at, &fill[..n]);
        return;
    }
    // Inserting 64 characters at a time would move the padding inserted so far each time.
    let tail = out.split_off(at);
    push_fill(out, fill, n);
    out.push_str(&tail);
}

/// Appends `n` copies of any character.
fn push_chars(out: &mut String, c: char, n: usize) {
    match c {
        ' ' => push_fill(out, SPACES, n),
        '0' => push_fill(out, ZEROS, n),
        _ => out.extend(std::iter::repeat_n(c, n)),
    }
}

/// Appends `\xNN`, `\uNNNN` or `\UNNNNNNNN` for a code point, as `repr()` and `ascii()` do.
fn push_escape(out: &mut String, cp: u32) {
    let (tag, digits) = match cp {
        0..=0xff => ('x', 2),
        0x100..=0xffff => ('u', 4),
        _ => ('U', 8),
    };
    out.push('\\');
    out.push(tag);
    for k in (0..digits).rev() {
        let nibble = (cp >> (4 * k)) & 0xf;
        out.push(char::from(b"0123456789abcdef"[nibble as usize]));
    }
}

/// The digits of `n` in base `1 << shift` (2, 8 or 16), at the end of `buf`.
fn radix_digits(buf: &mut [u8; 128], mut n: u128, shift: u32, upper: bool) -> &[u8] {
    let alphabet = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mask = (1u128 << shift) - 1;
    let mut k = buf.len();
    loop {
        k -= 1;
        buf[k] = alphabet[(n & mask) as usize];
        n >>= shift;
        if n == 0 {
            break;
        }
    }
    &buf[k..]
}
