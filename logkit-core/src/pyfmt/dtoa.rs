//! Floats to text, as CPython's `PyOS_double_to_string`: `repr()`, `%e`, `%f`, `%g` and the
//! `str.format` float types.
//!
//! Rust's formatter supplies the decimal digits: `{:e}` gives the shortest digits that
//! round-trip (what `_Py_dg_dtoa` mode 0 gives), `{:.Ne}` and `{:.N}` give correctly rounded
//! digits of the exact binary value, ties to even (modes 2 and 3). [`layout`] is a port of
//! `format_float_short`, which places those digits.

use std::fmt::{self, Write as _};

/// Which of `PyOS_double_to_string`'s format codes to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Code {
    /// `e`: `precision` digits after the point, always an exponent.
    Exp,
    /// `f`: `precision` digits after the point, never an exponent.
    Fixed,
    /// `g`: `precision` significant digits, exponent when it is < -4 or >= precision.
    General,
    /// `r`: shortest round-trip digits, exponent when it is < -4 or >= 16.
    Repr,
}

/// The `Py_DTSF_*` flags of `PyOS_double_to_string`, plus the upper-case choice its format
/// code carries.
#[derive(Clone, Copy, Debug, Default)]
#[allow(clippy::struct_excessive_bools)]
pub(super) struct DtoaFlags {
    /// `Py_DTSF_ALT`: keep the point and (for `g`) trailing zeros.
    pub(super) alt: bool,
    /// `Py_DTSF_ADD_DOT_0`: `1.0` rather than `1` (repr, and `format()` without a type).
    pub(super) add_dot_0: bool,
    /// `Py_DTSF_NO_NEG_0`: no minus sign when the rounded value is zero (`z`).
    pub(super) no_neg_zero: bool,
    /// `E`, `F`, `G`: `E` exponent marker, `INF`, `NAN`.
    pub(super) upper: bool,
}

/// Writes `v` as `PyOS_double_to_string(v, code, precision, flags)` does: a leading `-` for
/// negative values (never for NaN), then the digits.
pub(super) fn write_float(
    out: &mut String,
    v: f64,
    code: Code,
    precision: usize,
    flags: DtoaFlags,
) {
    if v.is_nan() {
        // CPython ignores the sign of a NaN.
        out.push_str(if flags.upper { "NAN" } else { "nan" });
        return;
    }
    let start = out.len();
    if v.is_sign_negative() {
        out.push('-');
    }
    if v.is_infinite() {
        out.push_str(if flags.upper { "INF" } else { "inf" });
        return;
    }
    let a = v.abs();
    let zero = match code {
        Code::Fixed => {
            let digits_start = out.len();
            // A double has at most 1074 digits after the point; Rust's `format!` refuses a
            // precision beyond 65,535, so more digits are zeros written here.
            let exact = precision.min(MAX_FRACTION_DIGITS);
            let _ = write!(out, "{a:.exact$}");
            super::push_fill(out, super::ZEROS, precision - exact);
            if flags.alt && precision == 0 {
                out.push('.');
            }
            // Only `z` needs to know whether the digits are all zeros.
            flags.no_neg_zero
                && out.as_bytes()[digits_start..]
                    .iter()
                    .all(|&b| b == b'0' || b == b'.')
        }
        Code::Exp => with_digits(a, Some(precision.saturating_add(1)), |digits, decpt| {
            layout(out, digits, decpt, code, precision, flags);
        }),
        Code::General => with_digits(a, Some(precision.max(1)), |digits, decpt| {
            layout(out, digits, decpt, code, precision, flags);
        }),
        Code::Repr => with_digits(a, None, |digits, decpt| {
            layout(out, digits, decpt, code, precision, flags);
        }),
    };
    if zero && flags.no_neg_zero && v.is_sign_negative() {
        out.remove(start);
    }
}

/// Python's `repr(float)` (also its `str()`): the shortest digits that round-trip, as `1.0`,
/// `0.1`, `1e-05`, `1e+16`, `123456789012345.0`, `inf`, `nan` or `-0.0`.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::float_repr;
///
/// let mut out = String::new();
/// for v in [1.0, 0.1 + 0.2, 1e-5, 1e16, f64::NEG_INFINITY] {
///     float_repr(&mut out, v);
///     out.push(' ');
/// }
/// assert_eq!(out, "1.0 0.30000000000000004 1e-05 1e+16 -inf ");
/// ```
pub fn float_repr(out: &mut String, v: f64) {
    let flags = DtoaFlags {
        add_dot_0: true,
        ..DtoaFlags::default()
    };
    write_float(out, v, Code::Repr, 0, flags);
}

/// Digits after the point beyond which a double's decimal expansion is all zeros (its
/// smallest bit is 2^-1074, which has 1074 of them).
const MAX_FRACTION_DIGITS: usize = 1074;

/// Significant digits beyond which a double's decimal expansion is all zeros (it has at most
/// 767), so asking for more changes nothing but the trailing zeros `_Py_dg_dtoa` strips.
const MAX_SIG_DIGITS: usize = 780;

/// Calls `f` with the decimal digits of a finite `a >= 0` as `_Py_dg_dtoa` returns them:
/// `0.d1d2d3… × 10^decpt`, no trailing zeros, `"0"` with `decpt = 1` for zero. `sig` is the
/// number of significant digits to round to (mode 2), `None` for the shortest round-trip
/// digits (mode 0). Returns whether the digits are `"0"`.
fn with_digits(a: f64, sig: Option<usize>, f: impl FnOnce(&[u8], i32)) -> bool {
    match sig {
        None => shortest_digits(a, f),
        Some(n) if n <= 24 => rounded_digits::<40>(a, n, f),
        Some(n) => rounded_digits::<800>(a, n.min(MAX_SIG_DIGITS), f),
    }
}

/// Mode 2: `a` correctly rounded to `n >= 1` significant digits, ties to even.
fn rounded_digits<const N: usize>(a: f64, n: usize, f: impl FnOnce(&[u8], i32)) -> bool {
    let mut buf = StackBuf::<N>::new();
    let _ = write!(buf, "{a:.*e}", n - 1);
    buf.digits(f)
}

/// Mode 0: the shortest digits that round-trip; of two equally short candidates, the closer
/// to `a`.
///
/// Rust's shortest formatting picks the same digits except when `a` lies exactly halfway
/// between two shortest candidates (`1426778866369800.25` has the 16-digit candidates `…0.2`
/// and `…0.3`): `_Py_dg_dtoa` then rounds half to even, Rust up. Such ties need the exact
/// value to have one digit more than the shortest form, so only 16- and 17-digit results
/// (a double has 15.95 significant digits) are checked against the correctly rounded
/// candidate of the same length, which is used when it round-trips too.
fn shortest_digits(a: f64, f: impl FnOnce(&[u8], i32)) -> bool {
    let mut shortest = StackBuf::<32>::new();
    let _ = write!(shortest, "{a:e}");
    let text = shortest.as_bytes();
    let n = text
        .iter()
        .take_while(|&&b| b != b'e')
        .filter(|b| b.is_ascii_digit())
        .count();
    if n >= 16 {
        let mut even = StackBuf::<32>::new();
        let _ = write!(even, "{a:.*e}", n - 1);
        if even.as_bytes() != text
            && std::str::from_utf8(even.as_bytes())
                .ok()
                .and_then(|t| t.parse().ok())
                == Some(a)
        {
            return even.digits(f);
        }
    }
    shortest.digits(f)
}

/// A fixed-size `fmt::Write` target on the stack.
struct StackBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackBuf<N> {
    fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Calls `f` with the digits and decimal point position of the `d[.ddd]e[-]X` text
    /// written by `{:e}` or `{:.Ne}`, trailing zeros stripped. Returns whether the digits are `"0"`.
    fn digits(&mut self, f: impl FnOnce(&[u8], i32)) -> bool {
        // Compact the mantissa digits to the front.
        let bytes = &mut self.buf[..self.len];
        let mut len = 0;
        let mut k = 0;
        while k < bytes.len() && bytes[k] != b'e' {
            if bytes[k] != b'.' {
                bytes[len] = bytes[k];
                len += 1;
            }
            k += 1;
        }
        let mut exp: i32 = 0;
        let mut negative_exp = false;
        for &b in &bytes[(k + 1).min(bytes.len())..] {
            if b == b'-' {
                negative_exp = true;
            } else {
                exp = exp * 10 + i32::from(b - b'0');
            }
        }
        if negative_exp {
            exp = -exp;
        }
        while len > 1 && bytes[len - 1] == b'0' {
            len -= 1;
        }
        let digits = &bytes[..len];
        let zero = digits == b"0";
        f(digits, exp + 1);
        zero
    }
}

impl<const N: usize> fmt::Write for StackBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dest = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dest.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes the decimal digits of the integral `t.abs()` (any finite integral double), exactly:
/// Python's `int(t)` for `%d` of a float too big for `i128`.
pub(super) fn integral_digits(t: f64, f: impl FnOnce(&[u8])) {
    // f64::MAX has 309 integer digits.
    let mut buf = StackBuf::<320>::new();
    let _ = write!(buf, "{:.0}", t.abs());
    f(&buf.buf[..buf.len]);
}

fn ascii(digits: &[u8]) -> &str {
    std::str::from_utf8(digits).unwrap_or_default()
}

/// Port of CPython's `format_float_short` (Python/pystrtod.c) after the `_Py_dg_dtoa` call:
/// lays out `digits` (no trailing zeros) with the point after `decpt` digits. The variable
/// names are CPython's.
fn layout(
    out: &mut String,
    digits: &[u8],
    decpt: i32,
    code: Code,
    precision: usize,
    flags: DtoaFlags,
) {
    let digits_len = digits.len() as i64;
    let precision = i64::try_from(precision).unwrap_or(i64::MAX / 2);
    let mut decpt = i64::from(decpt);
    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match code {
        Code::Exp => {
            use_exp = true;
            vdigits_end = precision + 1;
        }
        Code::General => {
            let precision = precision.max(1);
            let limit = if flags.add_dot_0 {
                precision - 1
            } else {
                precision
            };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if flags.alt {
                vdigits_end = precision;
            }
        }
        Code::Repr => {
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
        // (`write_float` formats `f` directly; this is the same layout.)
        Code::Fixed => vdigits_end = decpt + precision,
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    vdigits_end = if !use_exp && flags.add_dot_0 {
        vdigits_end.max(decpt + 1)
    } else {
        vdigits_end.max(decpt)
    };

    let zeros = |out: &mut String, n: i64| super::push_fill(out, super::ZEROS, n.max(0) as usize);
    // Zero padding on the left of the digits.
    if decpt <= 0 {
        zeros(out, decpt - vdigits_start);
        out.push('.');
        zeros(out, -decpt);
    } else {
        zeros(out, -vdigits_start);
    }
    // The digits, with the point if it falls inside them.
    if 0 < decpt && decpt <= digits_len {
        let (int, frac) = digits.split_at(decpt as usize);
        out.push_str(ascii(int));
        out.push('.');
        out.push_str(ascii(frac));
    } else {
        out.push_str(ascii(digits));
    }
    // Zeros on the right.
    if digits_len < decpt {
        zeros(out, decpt - digits_len);
        out.push('.');
        zeros(out, vdigits_end - decpt);
    } else {
        zeros(out, vdigits_end - digits_len);
    }
    if out.ends_with('.') && !flags.alt {
        out.pop();
    }
    if use_exp {
        out.push(if flags.upper && code != Code::Repr {
            'E'
        } else {
            'e'
        });
        out.push(if exp < 0 { '-' } else { '+' });
        let exp = exp.unsigned_abs();
        if exp < 10 {
            out.push('0');
        }
        out.push_str(itoa::Buffer::new().format(exp));
    }
}
