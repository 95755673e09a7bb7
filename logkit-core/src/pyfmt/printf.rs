//! printf conversions, `'%-08.3f' % value`: a port of `PyUnicode_Format`'s
//! `mainformatlong`, `_PyUnicode_FormatLong`, `formatfloat`, `formatchar` and
//! `unicode_format_arg_output` (Objects/unicodeobject.c).

use super::dtoa::{self, Code, DtoaFlags};
use super::{ConvError, SPACES, ZEROS, insert_fill, push_fill, radix_digits};
use crate::template::{Count, Flags, PercentConv, PercentSpec};

/// A printf spec with its `*` width and precision resolved: what one `%` conversion needs.
///
/// `width` 0 means no width; the caller turns a negative `*` width into `flags.left` and its
/// absolute value, as Python does.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::Printf;
/// use logkit::template::{parse, Mode, Piece, PercentConv, Spec};
///
/// let t = parse("%(levelname)-8s", Mode::Record(Default::default())).unwrap();
/// let Piece::Field(f) = &t.pieces[0] else { panic!() };
/// let Spec::Percent(spec) = &f.spec else { panic!() };
/// let p = Printf::new(spec);
/// assert!(p.flags.left);
/// assert_eq!((p.width, p.precision, p.conv), (8, None, PercentConv::Str));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Printf {
    /// `-0+ #`.
    pub flags: Flags,
    /// Minimum field width in characters; 0 for none.
    pub width: usize,
    /// Precision: digits after the point (`e f`), significant digits (`g`), minimum digits
    /// (`d o x`), or maximum characters (`s r a`).
    pub precision: Option<usize>,
    /// The conversion.
    pub conv: PercentConv,
}

impl Default for Printf {
    /// `%s`.
    fn default() -> Self {
        Self::conv(PercentConv::Str)
    }
}

impl Printf {
    /// The resolved form of a parsed spec. A `*` width or precision (`Count::Star`, taken from
    /// the arguments) and `Count::Named` are treated as not given: set them afterwards.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::pyfmt::Printf;
    /// use logkit::template::{Count, Flags, PercentConv, PercentSpec};
    ///
    /// let spec = PercentSpec {
    ///     flags: Flags::default(),
    ///     width: Count::Star,
    ///     precision: Count::Is(2),
    ///     conv: PercentConv::FixedLower,
    /// };
    /// let p = Printf { width: 7, ..Printf::new(&spec) };
    /// assert_eq!((p.width, p.precision), (7, Some(2)));
    /// ```
    pub fn new(spec: &PercentSpec) -> Self {
        Self {
            flags: spec.flags,
            width: match spec.width {
                Count::Is(n) => n,
                Count::Implied | Count::Star | Count::Named(_) => 0,
            },
            precision: match spec.precision {
                Count::Is(n) => Some(n),
                Count::Implied | Count::Star | Count::Named(_) => None,
            },
            conv: spec.conv,
        }
    }

    /// A bare conversion: no flags, width or precision (`%d` for `PercentConv::Decimal`).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::pyfmt::{self, Printf};
    /// use logkit::template::PercentConv;
    ///
    /// let mut out = String::new();
    /// pyfmt::int(&mut out, 255, &Printf::conv(PercentConv::HexUpper)).unwrap();
    /// assert_eq!(out, "FF");
    /// ```
    pub const fn conv(conv: PercentConv) -> Self {
        Self {
            flags: Flags {
                left: false,
                zero: false,
                plus: false,
                space: false,
                alternate: false,
            },
            width: 0,
            precision: None,
            conv,
        }
    }
}

/// Formats an integer under any printf conversion, as `'%…' % v` does in Python.
///
/// - `d o x X`: digits with `#` prefixes (`0o`, `0x`, `0X`), precision as a minimum number of
///   digits, sign flags, zero padding and left alignment;
/// - `e E f F g G`: the integer converted to a float, as Python does;
/// - `c`: the character with that code point (a lone surrogate, which a Rust string cannot
///   hold, is written as Python's `sys.stderr` shows it, `\ud800`, padded as one character);
/// - `s r a`: the decimal text, padded and truncated like a string.
///
/// # Errors
///
/// `OverflowError: %c arg not in range(0x110000)` for `%c` outside `0..=0x10FFFF`.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, Printf};
/// use logkit::template::{Flags, PercentConv};
///
/// let mut out = String::new();
/// let flags = Flags { alternate: true, zero: true, ..Flags::default() };
/// let spec = Printf { flags, width: 8, ..Printf::conv(PercentConv::HexLower) };
/// pyfmt::int(&mut out, -255, &spec).unwrap();
/// assert_eq!(out, "-0x000ff");
/// ```
pub fn int(out: &mut String, v: i128, spec: &Printf) -> Result<(), ConvError> {
    match spec.conv {
        PercentConv::Decimal
            if spec.width == 0
                && spec.precision.is_none()
                && !spec.flags.plus
                && !spec.flags.space =>
        {
            // The per-record hot path: `%d`.
            out.push_str(itoa::Buffer::new().format(v));
        }
        PercentConv::Decimal => {
            let mut buf = itoa::Buffer::new();
            let digits = buf.format(v.unsigned_abs());
            int_digits(out, v < 0, digits.as_bytes(), spec);
        }
        PercentConv::Octal | PercentConv::HexLower | PercentConv::HexUpper => {
            let mut buf = [0; 128];
            let shift = if spec.conv == PercentConv::Octal {
                3
            } else {
                4
            };
            let upper = spec.conv == PercentConv::HexUpper;
            let digits = radix_digits(&mut buf, v.unsigned_abs(), shift, upper);
            int_digits(out, v < 0, digits, spec);
        }
        PercentConv::ExpLower
        | PercentConv::ExpUpper
        | PercentConv::FixedLower
        | PercentConv::FixedUpper
        | PercentConv::GeneralLower
        | PercentConv::GeneralUpper => return float(out, v as f64, spec),
        PercentConv::Char => {
            let cp = u32::try_from(v)
                .ok()
                .filter(|&cp| cp <= 0x10ffff)
                .ok_or_else(ConvError::char_range)?;
            match char::from_u32(cp) {
                Some(c) => char_(out, c, spec),
                None => {
                    // A lone surrogate: Python makes a one-character string that a Rust
                    // string cannot hold. Write what `sys.stderr` (errors="backslashreplace")
                    // prints for it, padded as the single character it is.
                    let start = out.len();
                    super::push_escape(out, cp);
                    pad_chars(out, start, 1, spec.width, spec.flags.left);
                }
            }
        }
        PercentConv::Str | PercentConv::Repr | PercentConv::Ascii => {
            let start = out.len();
            out.push_str(itoa::Buffer::new().format(v));
            pad_in_place(out, start, spec);
        }
    }
    Ok(())
}

/// Formats a float under any printf conversion, as `'%…' % v` does in Python.
///
/// - `e E f F g G`: CPython's float formatting (default precision 6, exponent of at least
///   two digits, `#` keeps the point and `%g`'s trailing zeros, `inf`/`nan`, `INF`/`NAN`);
/// - `d`: `int(v)`, truncated toward zero, every digit exact (`'%d' % 1e300` prints 301 digits);
/// - `s r a`: `repr(v)`, padded and truncated like a string.
///
/// # Errors
///
/// As CPython: `%d` of an infinity is `OverflowError: cannot convert float infinity to
/// integer`, of a NaN `ValueError: cannot convert float NaN to integer`; `%o %x %X` are
/// `TypeError: %x format: an integer is required, not float`; `%c` is `TypeError: %c requires
/// int or char`.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, Printf};
/// use logkit::template::{Flags, PercentConv};
///
/// let mut out = String::new();
/// let spec = Printf { flags: Flags { plus: true, ..Flags::default() }, precision: Some(3), ..Printf::conv(PercentConv::ExpLower) };
/// pyfmt::float(&mut out, 12345.678, &spec).unwrap();
/// assert_eq!(out, "+1.235e+04");
/// ```
pub fn float(out: &mut String, v: f64, spec: &Printf) -> Result<(), ConvError> {
    let (code, upper) = match spec.conv {
        PercentConv::ExpLower => (Code::Exp, false),
        PercentConv::ExpUpper => (Code::Exp, true),
        PercentConv::FixedLower => (Code::Fixed, false),
        PercentConv::FixedUpper => (Code::Fixed, true),
        PercentConv::GeneralLower => (Code::General, false),
        PercentConv::GeneralUpper => (Code::General, true),
        PercentConv::Decimal => return float_as_int(out, v, spec),
        PercentConv::Octal | PercentConv::HexLower | PercentConv::HexUpper => {
            return Err(ConvError::type_error(format!(
                "%{} format: an integer is required, not float",
                spec.conv.as_char()
            )));
        }
        PercentConv::Char => return Err(ConvError::type_error("%c requires int or char")),
        PercentConv::Str | PercentConv::Repr | PercentConv::Ascii => {
            let start = out.len();
            dtoa::float_repr(out, v);
            pad_in_place(out, start, spec);
            return Ok(());
        }
    };
    let start = out.len();
    let flags = DtoaFlags {
        alt: spec.flags.alternate,
        upper,
        ..DtoaFlags::default()
    };
    dtoa::write_float(out, v, code, spec.precision.unwrap_or(6), flags);
    pad_number(out, start, 0, spec);
    Ok(())
}

/// `%d` of a float: `int(v)`.
fn float_as_int(out: &mut String, v: f64, spec: &Printf) -> Result<(), ConvError> {
    if v.is_nan() {
        return Err(ConvError::value_error(
            "cannot convert float NaN to integer",
        ));
    }
    if v.is_infinite() {
        return Err(ConvError::overflow_error(
            "cannot convert float infinity to integer",
        ));
    }
    let t = v.trunc();
    // 2^127: every integral double below it in magnitude fits an i128.
    if t.abs() < 170_141_183_460_469_231_731_687_303_715_884_105_728.0 {
        return int(out, t as i128, spec);
    }
    dtoa::integral_digits(t, |digits| int_digits(out, t < 0.0, digits, spec));
    Ok(())
}

/// `_PyUnicode_FormatLong` then `unicode_format_arg_output` for an integer given as its sign
/// and magnitude digits (in the base of `spec.conv`).
fn int_digits(out: &mut String, negative: bool, digits: &[u8], spec: &Printf) {
    let start = out.len();
    if negative {
        out.push('-');
    }
    let prefix = match spec.conv {
        _ if !spec.flags.alternate => "",
        PercentConv::Octal => "0o",
        PercentConv::HexLower => "0x",
        PercentConv::HexUpper => "0X",
        _ => "",
    };
    out.push_str(prefix);
    if let Some(p) = spec.precision {
        push_fill(out, ZEROS, p.saturating_sub(digits.len()));
    }
    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
    pad_number(out, start, prefix.len(), spec);
}

/// `unicode_format_arg_output` for a number already written at `out[start..]` (ASCII, with
/// its `-` if negative, then `prefix_len` bytes of `0x`-style prefix): the `+` or space sign,
/// then padding to the width: spaces before, zeros after the sign and prefix (`0` flag), or
/// spaces after (`-` flag, which wins over `0`).
fn pad_number(out: &mut String, start: usize, prefix_len: usize, spec: &Printf) {
    let flags = spec.flags;
    let negative = out.as_bytes().get(start) == Some(&b'-');
    // The `-` is already there; `+` wins over space.
    let sign = if negative {
        None
    } else if flags.plus {
        Some('+')
    } else if flags.space {
        Some(' ')
    } else {
        None
    };
    let len = out.len() - start + usize::from(sign.is_some());
    let pad = spec.width.saturating_sub(len);
    if let Some(sign) = sign {
        out.insert(start, sign);
    }
    if pad == 0 {
        return;
    }
    if flags.left {
        push_fill(out, SPACES, pad);
    } else if flags.zero {
        let sign_len = usize::from(negative || sign.is_some());
        insert_fill(out, start + sign_len + prefix_len, ZEROS, pad);
    } else {
        insert_fill(out, start, SPACES, pad);
    }
}

/// `%s`-style text: at most `precision` characters of `s`, padded with spaces to `width`
/// characters, on the left unless `flags.left`. The `0` flag does nothing for text.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, Printf};
///
/// let mut out = String::new();
/// pyfmt::text(&mut out, "héllo", &Printf { width: 6, precision: Some(2), ..Printf::default() });
/// assert_eq!(out, "    hé");
/// ```
pub fn text(out: &mut String, s: &str, spec: &Printf) {
    let s = match spec.precision {
        Some(p) if s.len() > p => truncate_chars(s, p),
        _ => s,
    };
    if spec.width == 0 || spec.width <= s.len() && s.is_ascii() {
        out.push_str(s);
        return;
    }
    let pad = spec.width.saturating_sub(s.chars().count());
    if spec.flags.left {
        out.push_str(s);
        push_fill(out, SPACES, pad);
    } else {
        push_fill(out, SPACES, pad);
        out.push_str(s);
    }
}

/// [`text`] for text the caller already wrote at `out[start..]`: truncates it to `precision`
/// characters, then pads it to `width` (spaces inserted before it, or appended after it with
/// `flags.left`). The way to apply `%-8s` to a value's `Display` output without a temporary
/// string.
///
/// # Panics
///
/// If `start` is past the end of `out` or not on a character boundary.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, Printf};
/// use logkit::template::Flags;
///
/// let mut out = String::from("[");
/// out.push_str("INFO");
/// let spec = Printf { flags: Flags { left: true, ..Flags::default() }, width: 8, ..Printf::default() };
/// pyfmt::pad_in_place(&mut out, 1, &spec);
/// out.push(']');
/// assert_eq!(out, "[INFO    ]");
/// ```
pub fn pad_in_place(out: &mut String, start: usize, spec: &Printf) {
    if let Some(p) = spec.precision {
        if out.len() - start > p {
            let keep = truncate_chars(&out[start..], p).len();
            out.truncate(start + keep);
        }
    }
    if spec.width == 0 {
        return;
    }
    let written = &out[start..];
    if spec.width <= written.len() && written.is_ascii() {
        return;
    }
    let n = written.chars().count();
    pad_chars(out, start, n, spec.width, spec.flags.left);
}

/// `%c` of a character: the character padded to the width like text (the precision does not
/// apply to `%c`).
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, Printf};
/// use logkit::template::PercentConv;
///
/// let mut out = String::new();
/// pyfmt::char_(&mut out, 'é', &Printf { width: 3, ..Printf::conv(PercentConv::Char) });
/// assert_eq!(out, "  é");
/// ```
pub fn char_(out: &mut String, c: char, spec: &Printf) {
    let start = out.len();
    out.push(c);
    pad_chars(out, start, 1, spec.width, spec.flags.left);
}

/// Pads the `n` characters at `out[start..]` with spaces to `width`.
fn pad_chars(out: &mut String, start: usize, n: usize, width: usize, left: bool) {
    let pad = width.saturating_sub(n);
    if left {
        push_fill(out, SPACES, pad);
    } else {
        insert_fill(out, start, SPACES, pad);
    }
}

/// The first `n` characters of `s`.
fn truncate_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}
