//! WARNING: not public API; used by logkit's macros; may change in any release.
//!
//! One check and one writer per printf conversion. The checks (`s`, `r`, `d`, `radix`,
//! `f`, `c`, `count`) take the argument by reference and return it; their trait bounds are
//! the compile-time kind checks (`%d` of a `&str` does not compile, with a message naming the
//! placeholder). The writers append the value to the record's buffer as Python's `%` would:
//! plain `%s` of a string or an integer is a copy or an `itoa` write, other values go
//! through `Display`/`Debug`, and conversions with flags, width or precision go through
//! `logkit_core::pyfmt`.

use std::fmt::{self, Write as _};

use logkit_core::pyfmt::{self, ConvError, Printf};

// === the checks ===

/// A value that can fill `%s`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%s` placeholder: it does not implement `Display`",
    label = "this argument fills a `%s` placeholder",
    note = "use `%r` to print it with `Debug`"
)]
pub trait PyStr: fmt::Display {}
impl<T: fmt::Display + ?Sized> PyStr for T {}

/// A value that can fill `%r` or `%a`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%r` placeholder: it does not implement `Debug`",
    label = "this argument fills a `%r` or `%a` placeholder",
    note = "use `%s` to print it with `Display`, or derive `Debug`"
)]
pub trait PyRepr: fmt::Debug {}
impl<T: fmt::Debug + ?Sized> PyRepr for T {}

/// A value that can fill `%d`, `%i` or `%u`: an integer, a float (truncated) or a bool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%d`, `%i` or `%u` placeholder: it needs a number",
    label = "this argument fills a `%d`-style placeholder",
    note = "use `%s` to print it with `Display`, or `%r` with `Debug`"
)]
pub trait PyDecimal {
    /// The number.
    fn number(&self) -> Number;

    /// Appends plain `%d` (integers write themselves directly).
    #[inline]
    fn write_decimal(&self, out: &mut String) -> Result<(), ConvError> {
        match self.number() {
            Number::Int(i) => {
                out.push_str(itoa::Buffer::new().format(i));
                Ok(())
            }
            Number::Float(x) => pyfmt::float(out, x, &crate::__private::spec(0, 0, -1, 'd')),
        }
    }
}

/// A value that can fill `%x`, `%X`, `%o` or be a `*` width: an integer or a bool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%x`, `%X` or `%o` placeholder (or a `*` width): it needs an integer",
    label = "this argument needs an integer",
    note = "Python raises `TypeError: %x format: an integer is required`; convert the value first"
)]
pub trait PyInteger {
    /// The integer.
    fn integer(&self) -> i128;
}

/// A value that can fill `%e`, `%f`, `%g` (and upper-case forms): a float, an integer or
/// a bool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%f`, `%e` or `%g` placeholder: it needs a number",
    label = "this argument fills a float placeholder",
    note = "use `%s` to print it with `Display`"
)]
pub trait PyFloat {
    /// The value as a float.
    fn float(&self) -> f64;
}

/// A value that can fill `%c`: a `char` or an integer code point.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%c` placeholder: it needs a `char` or an integer code point",
    label = "this argument fills a `%c` placeholder",
    note = "use `%s` to print a string"
)]
pub trait PyChar {
    /// The code point.
    fn code_point(&self) -> i128;
}

/// A number as Python's `%` sees it.
#[derive(Clone, Copy, Debug)]
pub enum Number {
    /// An integer (or a bool).
    Int(i128),
    /// A float.
    Float(f64),
}

/// `%s`: checks the argument.
#[inline(always)]
pub fn s<T: PyStr + ?Sized>(v: &T) -> &T {
    v
}

/// A `*` width or precision: checks the argument and takes its value.
#[inline]
pub fn count<T: PyInteger + ?Sized>(v: &T) -> i128 {
    v.integer()
}

// === the writers ===

/// Plain `%s`: a value tagged for dispatch by auto-ref on `(&&Tag(v))`, whose methods take
/// `&self`, so impls are tried on `&Tag`, then `&&Tag`, then `Tag`: [`WriteStr`] (strings,
/// integers, chars: written without `fmt`) on `&Tag`, then [`WriteDisplay`] (any
/// `Display`) on `&&Tag`, then [`WriteUnchecked`] on `Tag`, which is
/// reached only when [`s`] has already reported that the value is not `Display`, so that the
/// user sees that one error.
#[derive(Debug)]
pub struct Tag<'a, T: ?Sized>(pub &'a T);

/// Plain `%s` of a type written without `fmt`.
pub trait WriteStr {
    /// Appends the value.
    fn __logkit_write_s(&self, out: &mut String);
}

/// Plain `%s` of any `Display` type.
pub trait WriteDisplay {
    /// Appends the value.
    fn __logkit_write_s(&self, out: &mut String);
}

/// The last resort of the dispatch; see [`Tag`].
pub trait WriteUnchecked {
    /// Writes nothing: only reached in code that does not compile.
    fn __logkit_write_s(&self, out: &mut String);
}

impl<T: fmt::Display + ?Sized> WriteDisplay for &&Tag<'_, T> {
    #[inline]
    fn __logkit_write_s(&self, out: &mut String) {
        let _ = write!(out, "{}", self.0);
    }
}

impl<T: ?Sized> WriteUnchecked for Tag<'_, T> {
    fn __logkit_write_s(&self, _out: &mut String) {}
}

impl WriteStr for &Tag<'_, str> {
    #[inline]
    fn __logkit_write_s(&self, out: &mut String) {
        out.push_str(self.0);
    }
}

impl WriteStr for &Tag<'_, &str> {
    #[inline]
    fn __logkit_write_s(&self, out: &mut String) {
        out.push_str(self.0);
    }
}

impl WriteStr for &Tag<'_, String> {
    #[inline]
    fn __logkit_write_s(&self, out: &mut String) {
        out.push_str(self.0);
    }
}

impl WriteStr for &Tag<'_, &String> {
    #[inline]
    fn __logkit_write_s(&self, out: &mut String) {
        out.push_str(self.0);
    }
}

impl WriteStr for &Tag<'_, char> {
    #[inline]
    fn __logkit_write_s(&self, out: &mut String) {
        out.push(*self.0);
    }
}

/// Plain `%d`.
#[inline]
pub fn write_d<T: PyDecimal + ?Sized>(out: &mut String, v: &T) -> Result<(), ConvError> {
    v.write_decimal(out)
}

/// `%r` with no width or precision.
#[inline]
pub fn write_r<T: PyRepr + ?Sized>(out: &mut String, v: &T) {
    let _ = write!(out, "{v:?}");
}

/// `%s` with a width or precision: `Display`, truncated and padded (in characters, as
/// Python counts).
pub fn write_s_spec<T: PyStr + ?Sized>(out: &mut String, v: &T, spec: &Printf) {
    let start = out.len();
    let _ = write!(out, "{v}");
    pyfmt::pad_in_place(out, start, spec);
}

/// `%r` with a width or precision, and `%a` (non-ASCII escaped as Python's `ascii()`).
pub fn write_r_spec<T: PyRepr + ?Sized>(out: &mut String, v: &T, spec: &Printf) {
    let start = out.len();
    let _ = write!(out, "{v:?}");
    if spec.conv == logkit_core::template::PercentConv::Ascii {
        pyfmt::ascii_escape(out, start);
    }
    pyfmt::pad_in_place(out, start, spec);
}

/// `%d` with flags, width or precision.
pub fn write_d_spec<T: PyDecimal + ?Sized>(
    out: &mut String,
    v: &T,
    spec: &Printf,
) -> Result<(), ConvError> {
    match v.number() {
        Number::Int(i) => pyfmt::int(out, i, spec),
        Number::Float(x) => pyfmt::float(out, x, spec),
    }
}

/// `%x`, `%X`, `%o`.
pub fn write_radix<T: PyInteger + ?Sized>(
    out: &mut String,
    v: &T,
    spec: &Printf,
) -> Result<(), ConvError> {
    pyfmt::int(out, v.integer(), spec)
}

/// `%e %E %f %F %g %G`.
pub fn write_f<T: PyFloat + ?Sized>(
    out: &mut String,
    v: &T,
    spec: &Printf,
) -> Result<(), ConvError> {
    pyfmt::float(out, v.float(), spec)
}

/// `%c`.
pub fn write_c<T: PyChar + ?Sized>(
    out: &mut String,
    v: &T,
    spec: &Printf,
) -> Result<(), ConvError> {
    pyfmt::int(out, v.code_point(), spec)
}

// === the kinds of each type ===

macro_rules! integers {
    ($($t:ty)*) => {$(
        impl PyDecimal for $t {
            #[inline]
            fn number(&self) -> Number {
                Number::Int(i128::try_from(*self).unwrap_or(i128::MAX))
            }
            #[inline]
            fn write_decimal(&self, out: &mut String) -> Result<(), ConvError> {
                out.push_str(itoa::Buffer::new().format(*self));
                Ok(())
            }
        }
        impl PyInteger for $t {
            #[inline]
            fn integer(&self) -> i128 {
                i128::try_from(*self).unwrap_or(i128::MAX)
            }
        }
        impl PyFloat for $t {
            #[inline]
            #[allow(clippy::cast_precision_loss)]
            fn float(&self) -> f64 {
                *self as f64
            }
        }
        impl PyChar for $t {
            #[inline]
            fn code_point(&self) -> i128 {
                i128::try_from(*self).unwrap_or(i128::MAX)
            }
        }
        impl WriteStr for &Tag<'_, $t> {
            #[inline]
            fn __logkit_write_s(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self.0));
            }
        }
        impl WriteStr for &Tag<'_, &$t> {
            #[inline]
            fn __logkit_write_s(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(**self.0));
            }
        }
    )*};
}
integers!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

macro_rules! floats {
    ($($t:ty)*) => {$(
        impl PyDecimal for $t {
            #[inline]
            fn number(&self) -> Number {
                Number::Float(f64::from(*self))
            }
        }
        impl PyFloat for $t {
            #[inline]
            fn float(&self) -> f64 {
                f64::from(*self)
            }
        }
    )*};
}
floats!(f32 f64);

impl PyDecimal for bool {
    fn number(&self) -> Number {
        Number::Int(i128::from(*self))
    }
}

impl PyInteger for bool {
    fn integer(&self) -> i128 {
        i128::from(*self)
    }
}

impl PyFloat for bool {
    fn float(&self) -> f64 {
        f64::from(u8::from(*self))
    }
}

impl PyChar for char {
    fn code_point(&self) -> i128 {
        i128::from(u32::from(*self))
    }
}

impl<T: PyDecimal + ?Sized> PyDecimal for &T {
    #[inline]
    fn number(&self) -> Number {
        (**self).number()
    }
    #[inline]
    fn write_decimal(&self, out: &mut String) -> Result<(), ConvError> {
        (**self).write_decimal(out)
    }
}

impl<T: PyInteger + ?Sized> PyInteger for &T {
    #[inline]
    fn integer(&self) -> i128 {
        (**self).integer()
    }
}

impl<T: PyFloat + ?Sized> PyFloat for &T {
    #[inline]
    fn float(&self) -> f64 {
        (**self).float()
    }
}

impl<T: PyChar + ?Sized> PyChar for &T {
    #[inline]
    fn code_point(&self) -> i128 {
        (**self).code_point()
    }
}
