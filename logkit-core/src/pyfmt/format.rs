//! `str.format` specs, `'{:>10,.2f}'.format(value)`: a port of CPython's
//! `Python/formatter_unicode.c` (`parse_internal_render_format_spec`'s checks,
//! `format_long_internal`, `format_float_internal`, `format_string_internal`,
//! `calc_number_widths`, `fill_number` and the thousands grouping of `localeutil.h`).
//!
//! The locale is always the C locale, as in a Python program that never calls
//! `locale.setlocale(LC_NUMERIC, …)`: `n` is `d` or `g` with no grouping.

use super::dtoa::{self, Code, DtoaFlags};
use super::{ConvError, push_chars, push_escape, radix_digits};
use crate::template::{Align, BraceSpec, Count, Sign};

/// A `str.format` spec, `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, with
/// nested `{name}` widths and precisions resolved.
///
/// The fields keep what was written, not what it implies: the `0` flag is `zero`, and each
/// function works out the fill and alignment it means for its type, as CPython does (`0`
/// before the width means `=` alignment with `0` fill for numbers but only `0` fill for
/// strings, and nothing once a fill character is given).
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, FormatSpec};
/// use logkit::template::{parse, Mode, Piece, Spec, Style};
///
/// let t = parse("{x:*^9,d}", Mode::Record(Style::Brace)).unwrap();
/// let Piece::Field(f) = &t.pieces[0] else { panic!() };
/// let Spec::Brace(spec) = &f.spec else { panic!() };
/// let mut out = String::new();
/// pyfmt::format_int(&mut out, 12345, &FormatSpec::new(spec)).unwrap();
/// assert_eq!(out, "*12,345**");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)]
pub struct FormatSpec {
    /// The fill character, if one was written before the alignment.
    pub fill: Option<char>,
    /// `<`, `>`, `^` or `=`, if given.
    pub align: Option<Align>,
    /// `+`, `-` or space, if given.
    pub sign: Option<Sign>,
    /// `z`: no minus sign on a float that rounds to zero.
    pub no_neg_zero: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// `0` before the width: sign-aware zero padding.
    pub zero: bool,
    /// Minimum width in characters; 0 for none.
    pub width: usize,
    /// `,` or `_`: thousands separator.
    pub grouping: Option<char>,
    /// Precision, if given.
    pub precision: Option<usize>,
    /// The presentation type (`b c d e E f F g G n o s x X %`), if given.
    pub ty: Option<char>,
}

impl FormatSpec {
    /// The resolved form of a parsed spec. A nested `{name}` width or precision
    /// (`Count::Named`) is treated as not given: set `width` or `precision` afterwards. The
    /// `!r`/`!s`/`!a` conversion is the caller's: convert the value to a string first, then
    /// use [`format_str`].
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::pyfmt::FormatSpec;
    /// use logkit::template::{BraceSpec, Count};
    ///
    /// let spec = BraceSpec { width: Count::Named("w"), precision: Count::Is(2), ty: Some('f'), ..BraceSpec::default() };
    /// let f = FormatSpec { width: 10, ..FormatSpec::new(&spec) };
    /// assert_eq!((f.width, f.precision, f.ty), (10, Some(2), Some('f')));
    /// ```
    pub fn new(spec: &BraceSpec<'_>) -> Self {
        Self {
            fill: spec.fill,
            align: spec.align,
            sign: spec.sign,
            no_neg_zero: spec.no_neg_zero,
            alternate: spec.alternate,
            zero: spec.zero,
            width: match spec.width {
                Count::Is(n) => n,
                Count::Implied | Count::Star | Count::Named(_) => 0,
            },
            grouping: spec.grouping,
            precision: match spec.precision {
                Count::Is(n) => Some(n),
                Count::Implied | Count::Star | Count::Named(_) => None,
            },
            ty: spec.ty,
        }
    }

    /// The fill character and alignment for a type whose default alignment is `default`.
    fn fill_align(&self, default: Align) -> (char, Align) {
        match (self.fill, self.align) {
            (Some(fill), align) => (fill, align.unwrap_or(default)),
            (None, align) if self.zero => (
                '0',
                align.unwrap_or(if default == Align::Right {
                    Align::AfterSign
                } else {
                    default
                }),
            ),
            (None, align) => (' ', align.unwrap_or(default)),
        }
    }

    /// The thousands separator and group size for type `ty`, or CPython's error for a
    /// separator the type does not take.
    fn separator(&self, ty: char) -> Result<Option<(char, usize)>, ConvError> {
        let Some(sep) = self.grouping else {
            return Ok(None);
        };
        match ty {
            'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0' => Ok(Some((sep, 3))),
            // Underscores every four digits in binary, octal and hexadecimal (PEP 515).
            'b' | 'o' | 'x' | 'X' if sep == '_' => Ok(Some((sep, 4))),
            _ => Err(ConvError::value_error(format!(
                "Cannot specify '{sep}' with {}.",
                quoted_code(ty)
            ))),
        }
    }

    fn layout(&self, default: Align, sep: Option<(char, usize)>) -> Layout {
        let (fill, align) = self.fill_align(default);
        Layout {
            fill,
            align,
            sign: self.sign,
            width: self.width,
            sep,
        }
    }
}

/// `'c'` for a printable ASCII type character, `'\x…'` for any other, as CPython quotes it.
fn quoted_code(ty: char) -> String {
    if (33..128).contains(&u32::from(ty)) {
        format!("'{ty}'")
    } else {
        format!("'\\x{:x}'", u32::from(ty))
    }
}

fn unknown_code(ty: char, type_name: &str) -> ConvError {
    ConvError::value_error(format!(
        "Unknown format code {} for object of type '{type_name}'",
        quoted_code(ty)
    ))
}

/// `format(v, spec)` of a Python `int`.
///
/// Types `d` (the default) and `n` (as `d`: the C locale has no grouping), `b`, `o`, `x`,
/// `X` (`#` adds `0b`, `0o`, `0x`, `0X`), `c` (the character; a lone surrogate, which a Rust
/// string cannot hold, is written as Python's `sys.stderr` shows it, `\ud800`), and the float
/// types `e E f F g G %`, for which the integer is converted to a float. Grouping with `,` or
/// `_` (`_` every four digits for `b o x X`), sign options, alignment (right by default), and
/// `0`/`=` padding, which groups the padding zeros too (`format(1234, '010,')` is
/// `00,001,234`).
///
/// # Errors
///
/// CPython's `ValueError`s for specs an `int` does not take (`Unknown format code 's' for
/// object of type 'int'`, `Precision not allowed in integer format specifier`, `Sign not
/// allowed with integer format specifier 'c'`, `Cannot specify ',' with 'x'.`, …) and, for
/// `c`, `OverflowError: %c arg not in range(0x110000)` (`Python int too large to convert to C
/// long` beyond 64 bits).
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, FormatSpec};
///
/// let mut out = String::new();
/// let spec = FormatSpec { alternate: true, grouping: Some('_'), ty: Some('x'), ..FormatSpec::default() };
/// pyfmt::format_int(&mut out, 0xdeadbeef, &spec).unwrap();
/// assert_eq!(out, "0xdead_beef");
/// let err = pyfmt::format_int(&mut out, 1, &FormatSpec { ty: Some('s'), ..FormatSpec::default() });
/// assert_eq!(err.unwrap_err().to_string(), "Unknown format code 's' for object of type 'int'");
/// ```
pub fn format_int(out: &mut String, v: i128, spec: &FormatSpec) -> Result<(), ConvError> {
    let ty = spec.ty.unwrap_or('d');
    let sep = spec.separator(ty)?;
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            return float_internal(out, v as f64, spec, ty, sep);
        }
        _ => return Err(unknown_code(ty, "int")),
    }
    if spec.precision.is_some() {
        return Err(ConvError::value_error(
            "Precision not allowed in integer format specifier",
        ));
    }
    if spec.no_neg_zero {
        return Err(ConvError::value_error(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    let layout = spec.layout(Align::Right, sep);
    let start = out.len();
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err(ConvError::value_error(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if spec.alternate {
            return Err(ConvError::value_error(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        // `PyLong_AsLong`, then the range check.
        if i64::try_from(v).is_err() {
            return Err(ConvError::overflow_error(
                "Python int too large to convert to C long",
            ));
        }
        let cp = u32::try_from(v)
            .ok()
            .filter(|&cp| cp <= 0x10ffff)
            .ok_or_else(ConvError::char_range)?;
        match char::from_u32(cp) {
            Some(c) => out.push(c),
            // A lone surrogate, which a Rust string cannot hold: what `sys.stderr`
            // (errors="backslashreplace") prints for it.
            None => push_escape(out, cp),
        }
        fill_number(out, start, "", Body::Char, &layout);
        return Ok(());
    }

    let mut buf = [0; 128];
    let (shift, prefix) = match ty {
        'b' => (1, "0b"),
        'o' => (3, "0o"),
        'x' => (4, "0x"),
        'X' => (4, "0X"),
        _ => (0, ""),
    };
    let prefix = if spec.alternate { prefix } else { "" };
    if v < 0 {
        out.push('-');
    }
    let mut itoa_buf = itoa::Buffer::new();
    let digits = if shift == 0 {
        itoa_buf.format(v.unsigned_abs()).as_bytes()
    } else {
        radix_digits(&mut buf, v.unsigned_abs(), shift, ty == 'X')
    };
    let plain =
        !matches!(spec.sign, Some(Sign::Plus | Sign::Space)) && spec.width == 0 && sep.is_none();
    if plain {
        out.push_str(prefix);
    }
    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
    if !plain {
        fill_number(out, start, prefix, Body::Int, &layout);
    }
    Ok(())
}

/// `format(v, spec)` of a Python `float`.
///
/// With no type: `repr(v)`, or with a precision, `g` that keeps at least one digit after the
/// point (`{:.2}` of `12.0` is `1.2e+01`, of `1.0` is `1.0`). Types `e E f F g G`, `n` (as
/// `g`: the C locale), and `%` (`f` of `v * 100` then `%`). Grouping with `,` or `_` on the
/// integer digits, `z` (no `-0`), sign options, `#`, alignment (right by default), and
/// `0`/`=` padding.
///
/// # Errors
///
/// CPython's `ValueError`s: `Unknown format code 'd' for object of type 'float'`,
/// `Cannot specify ',' with 'n'.`, `precision too big`.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, FormatSpec};
///
/// let mut out = String::new();
/// let spec = FormatSpec { width: 12, grouping: Some(','), precision: Some(2), ty: Some('f'), ..FormatSpec::default() };
/// pyfmt::format_float(&mut out, -1234567.891, &spec).unwrap();
/// assert_eq!(out, "-1,234,567.89");
/// out.clear();
/// pyfmt::format_float(&mut out, 0.25, &FormatSpec { ty: Some('%'), ..FormatSpec::default() }).unwrap();
/// assert_eq!(out, "25.000000%");
/// ```
pub fn format_float(out: &mut String, v: f64, spec: &FormatSpec) -> Result<(), ConvError> {
    let ty = spec.ty.unwrap_or('\0');
    let sep = spec.separator(ty)?;
    match ty {
        '\0' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%' => {
            float_internal(out, v, spec, ty, sep)
        }
        _ => Err(unknown_code(ty, "float")),
    }
}

/// `format_float_internal`: `ty` is one of `\0 e E f F g G n %`.
fn float_internal(
    out: &mut String,
    v: f64,
    spec: &FormatSpec,
    ty: char,
    sep: Option<(char, usize)>,
) -> Result<(), ConvError> {
    if spec.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err(ConvError::value_error("precision too big"));
    }
    let mut flags = DtoaFlags {
        alt: spec.alternate,
        no_neg_zero: spec.no_neg_zero,
        upper: matches!(ty, 'E' | 'F' | 'G'),
        add_dot_0: false,
    };
    let mut default_precision = 6;
    let mut code = match ty {
        'e' | 'E' => Code::Exp,
        'f' | 'F' | '%' => Code::Fixed,
        'g' | 'G' | 'n' => Code::General,
        _ => {
            // No type: like repr(), or like 'g' with at least one digit after the point.
            flags.add_dot_0 = true;
            default_precision = 0;
            Code::Repr
        }
    };
    let v = if ty == '%' { v * 100.0 } else { v };
    let precision = match spec.precision {
        None => default_precision,
        Some(p) => {
            if code == Code::Repr {
                code = Code::General;
            }
            p
        }
    };
    let start = out.len();
    dtoa::write_float(out, v, code, precision, flags);
    if ty == '%' {
        out.push('%');
    }
    let plain =
        !matches!(spec.sign, Some(Sign::Plus | Sign::Space)) && spec.width == 0 && sep.is_none();
    if !plain {
        fill_number(out, start, "", Body::Float, &spec.layout(Align::Right, sep));
    }
    Ok(())
}

/// `format(s, spec)` of a Python `str`: type `s` or none, at most `precision` characters,
/// padded with the fill character to `width` characters, left-aligned by default (`^`
/// centres, with the odd character of padding on the right).
///
/// # Errors
///
/// CPython's `ValueError`s: `Unknown format code 'd' for object of type 'str'`,
/// `Sign not allowed in string format specifier`, `Space not allowed in string format
/// specifier`, `Alternate form (#) not allowed in string format specifier`,
/// `'=' alignment not allowed in string format specifier`, `Cannot specify ',' with 's'.`.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::{self, FormatSpec};
/// use logkit::template::Align;
///
/// let mut out = String::new();
/// let spec = FormatSpec { fill: Some('-'), align: Some(Align::Center), width: 9, ..FormatSpec::default() };
/// pyfmt::format_str(&mut out, "INFO", &spec).unwrap();
/// assert_eq!(out, "--INFO---");
/// ```
pub fn format_str(out: &mut String, s: &str, spec: &FormatSpec) -> Result<(), ConvError> {
    let ty = spec.ty.unwrap_or('s');
    spec.separator(ty)?;
    if ty != 's' {
        return Err(unknown_code(ty, "str"));
    }
    match spec.sign {
        Some(Sign::Space) => {
            return Err(ConvError::value_error(
                "Space not allowed in string format specifier",
            ));
        }
        Some(_) => {
            return Err(ConvError::value_error(
                "Sign not allowed in string format specifier",
            ));
        }
        None => {}
    }
    if spec.no_neg_zero {
        return Err(ConvError::value_error(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if spec.alternate {
        return Err(ConvError::value_error(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    let (fill, align) = spec.fill_align(Align::Left);
    if align == Align::AfterSign {
        return Err(ConvError::value_error(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let s = match spec.precision {
        Some(p) if s.len() > p => s.char_indices().nth(p).map_or(s, |(end, _)| &s[..end]),
        _ => s,
    };
    if spec.width == 0 || spec.width <= s.len() && s.is_ascii() {
        out.push_str(s);
        return Ok(());
    }
    let pad = spec.width.saturating_sub(s.chars().count());
    let left = match align {
        Align::Right => pad,
        Align::Center => pad / 2,
        Align::Left | Align::AfterSign => 0,
    };
    push_chars(out, fill, left);
    out.push_str(s);
    push_chars(out, fill, pad - left);
    Ok(())
}

/// How a number is padded: the resolved fill and alignment, sign option, width and grouping.
#[derive(Clone, Copy, Debug)]
struct Layout {
    fill: char,
    align: Align,
    sign: Option<Sign>,
    width: usize,
    sep: Option<(char, usize)>,
}

/// What [`fill_number`] is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Body {
    /// `[-]digits`, in any base: `_PyLong_Format` minus the base prefix.
    Int,
    /// `[-]digits[.remainder]`, as `PyOS_double_to_string` writes it (the remainder is the
    /// fraction, the exponent, `%`, or all of `inf`/`nan`).
    Float,
    /// One character that is all remainder (`{:c}`).
    Char,
}

/// `calc_number_widths` + `fill_number`: replaces the number at `out[start..]` with its padded,
/// signed, grouped form. `prefix` (`0x`, …) goes between the sign and the padding zeros.
fn fill_number(out: &mut String, start: usize, prefix: &str, kind: Body, layout: &Layout) {
    let end = out.len();
    let bytes = out.as_bytes();
    let negative = kind != Body::Char && bytes.get(start) == Some(&b'-');
    let body = start + usize::from(negative);
    let (n_digits, has_decimal, rem_start, n_remainder) = match kind {
        Body::Char => (0, false, body, 1),
        Body::Int => (end - body, false, end, 0),
        Body::Float => {
            let n = bytes[body..end]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let has_decimal = bytes.get(body + n) == Some(&b'.');
            let rem_start = body + n + usize::from(has_decimal);
            (n, has_decimal, rem_start, end - rem_start)
        }
    };
    let sign = match layout.sign {
        Some(Sign::Plus) => Some(if negative { '-' } else { '+' }),
        Some(Sign::Space) => Some(if negative { '-' } else { ' ' }),
        Some(Sign::Minus) | None => negative.then_some('-'),
    };
    let n_non_digit =
        usize::from(sign.is_some()) + prefix.len() + usize::from(has_decimal) + n_remainder;
    let min_width = if layout.fill == '0' && layout.align == Align::AfterSign {
        layout.width.saturating_sub(n_non_digit)
    } else {
        0
    };
    let (total_digits, n_grouped) = if n_digits == 0 {
        (0, 0)
    } else {
        grouped_widths(n_digits, min_width, layout.sep)
    };
    let padding = layout.width.saturating_sub(n_non_digit + n_grouped);
    let (lpad, spad, rpad) = match layout.align {
        Align::Left => (0, 0, padding),
        Align::Right => (padding, 0, 0),
        Align::Center => (padding / 2, 0, padding - padding / 2),
        Align::AfterSign => (0, padding, 0),
    };

    // Build the result after the number, reading the number's bytes, then drop the number.
    push_chars(out, layout.fill, lpad);
    if let Some(sign) = sign {
        out.push(sign);
    }
    out.push_str(prefix);
    push_chars(out, layout.fill, spad);
    let lead_zeros = total_digits - n_digits;
    for i in 0..total_digits {
        if let Some((sep, group)) = layout.sep {
            if i > 0 && (total_digits - i) % group == 0 {
                out.push(sep);
            }
        }
        let digit = if i < lead_zeros {
            '0'
        } else {
            char::from(out.as_bytes()[body + i - lead_zeros])
        };
        out.push(digit);
    }
    if has_decimal {
        out.push('.');
    }
    let mut k = rem_start;
    while k < end {
        let Some(c) = out[k..end].chars().next() else {
            break;
        };
        out.push(c);
        k += c.len_utf8();
    }
    push_chars(out, layout.fill, rpad);
    out.replace_range(start..end, "");
}

/// `_PyUnicode_InsertThousandsGrouping`'s sizes for `n_digits` digits padded with zeros to at
/// least `min_width` characters: the number of digit characters (padding zeros included) and
/// the total width with separators.
///
/// CPython fills groups from the right while digits remain or the minimum width is not
/// reached, counting separators against the width; so `{:04,}` of `123` is `0,123`.
fn grouped_widths(n_digits: usize, min_width: usize, sep: Option<(char, usize)>) -> (usize, usize) {
    let Some((_, group)) = sep else {
        let n = n_digits.max(min_width).max(1);
        return (n, n);
    };
    let mut remaining = n_digits;
    let mut min_width = min_width;
    let mut digits = 0;
    let mut separators = 0;
    loop {
        let len = group.min(remaining.max(min_width).max(1));
        digits += len;
        remaining -= remaining.min(len);
        let reached = min_width <= len;
        min_width = min_width.saturating_sub(len);
        if remaining == 0 && reached {
            break;
        }
        // The next group is preceded by a separator, which counts against the width.
        min_width = min_width.saturating_sub(1);
        separators += 1;
    }
    (digits, digits + separators)
}
