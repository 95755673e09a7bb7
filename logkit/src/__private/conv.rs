//! WARNING: not public API; used by logkit's macros; may change in any release.
//!
//! One function per printf conversion. Each takes the argument by reference; its trait bound
//! is the compile-time kind check (`%d` of a `&str` does not compile, with a message naming
//! the placeholder), and the value it returns implements `Display` by printing the argument
//! as Python's `%` would. Plain `%s`, `%r` and `%d` of an integer return the argument itself
//! or a zero-cost wrapper; conversions with flags, width or precision render through
//! `logkit_core::pyfmt` into a per-thread scratch buffer.

use std::cell::RefCell;
use std::fmt::{self, Write as _};

use logkit_core::pyfmt::{self, Printf};
use logkit_core::template::PercentConv;

thread_local! {
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Renders into the scratch buffer, then writes it out (reentrant: a nested call gets a
/// fresh buffer).
fn with_scratch(
    f: &mut fmt::Formatter<'_>,
    render: impl FnOnce(&mut String) -> fmt::Result,
) -> fmt::Result {
    let mut buf = SCRATCH
        .try_with(|s| std::mem::take(&mut *s.borrow_mut()))
        .unwrap_or_default();
    buf.clear();
    let result = render(&mut buf).and_then(|()| f.write_str(&buf));
    let _ = SCRATCH.try_with(|s| *s.borrow_mut() = buf);
    result
}

// === %s, %r, %a ===

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

/// `%s`: the value's `Display`.
#[inline(always)]
pub fn s<T: PyStr + ?Sized>(v: &T) -> &T {
    v
}

/// `%r`: the value's `Debug`.
#[inline(always)]
pub fn r<T: PyRepr + ?Sized>(v: &T) -> &T {
    v
}

/// `%-10.3s`: `Display`, truncated to the precision and padded to the width (in
/// characters, as Python counts).
pub fn s_pad<T: PyStr + ?Sized>(v: &T, spec: Printf) -> Padded<'_, T, false> {
    Padded { v, spec }
}

/// `%10r`: `Debug`, truncated and padded.
pub fn r_pad<T: PyRepr + ?Sized>(v: &T, spec: Printf) -> Padded<'_, T, true> {
    Padded { v, spec }
}

/// `%a`: `Debug` with non-ASCII characters escaped as Python's `ascii()`.
pub fn a<T: PyRepr + ?Sized>(v: &T, spec: Printf) -> Ascii<'_, T> {
    Ascii { v, spec }
}

/// The value of [`s_pad`]/[`r_pad`].
#[derive(Debug)]
pub struct Padded<'a, T: ?Sized, const DEBUG: bool> {
    v: &'a T,
    spec: Printf,
}

impl<T: fmt::Display + ?Sized> fmt::Display for Padded<'_, T, false> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pad(f, &self.spec, |w| write!(w, "{}", self.v))
    }
}

impl<T: fmt::Debug + ?Sized> fmt::Display for Padded<'_, T, true> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pad(f, &self.spec, |w| write!(w, "{:?}", self.v))
    }
}

/// Writes `render`'s output truncated to the precision and padded to the width, without
/// buffering it: a first pass counts characters, the second writes.
fn pad(
    f: &mut fmt::Formatter<'_>,
    spec: &Printf,
    render: impl Fn(&mut dyn fmt::Write) -> fmt::Result,
) -> fmt::Result {
    let mut counter = Truncate {
        inner: None,
        left: spec.precision.unwrap_or(usize::MAX),
        count: 0,
    };
    render(&mut counter)?;
    let len = counter.count;
    let fill = spec.width.saturating_sub(len);
    if !spec.flags.left {
        for _ in 0..fill {
            f.write_char(' ')?;
        }
    }
    let mut writer = Truncate {
        inner: Some(f),
        left: spec.precision.unwrap_or(usize::MAX),
        count: 0,
    };
    render(&mut writer)?;
    let f = writer.inner.take().ok_or(fmt::Error)?;
    if spec.flags.left {
        for _ in 0..fill {
            f.write_char(' ')?;
        }
    }
    Ok(())
}

/// Passes through (or only counts) at most `left` characters.
struct Truncate<'a, 'f> {
    inner: Option<&'a mut fmt::Formatter<'f>>,
    left: usize,
    count: usize,
}

impl fmt::Write for Truncate<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.left == 0 {
            return Ok(());
        }
        let cut = s.char_indices().nth(self.left).map_or(s.len(), |(i, _)| i);
        let part = &s[..cut];
        let n = if cut == s.len() {
            s.chars().count()
        } else {
            self.left
        };
        self.left -= n;
        self.count += n;
        match &mut self.inner {
            Some(f) => f.write_str(part),
            None => Ok(()),
        }
    }
}

/// The value of [`a`].
#[derive(Debug)]
pub struct Ascii<'a, T: ?Sized> {
    v: &'a T,
    spec: Printf,
}

impl<T: fmt::Debug + ?Sized> fmt::Display for Ascii<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        with_scratch(f, |buf| {
            write!(buf, "{:?}", self.v)?;
            pyfmt::ascii_escape(buf, 0);
            pyfmt::pad_in_place(buf, 0, &self.spec);
            Ok(())
        })
    }
}

// === numbers ===

/// A number as Python's `%` sees it.
#[derive(Clone, Copy, Debug)]
pub enum Number {
    /// An integer (or a bool).
    Int(i128),
    /// A float.
    Float(f64),
}

/// A value that can fill `%d`, `%i` or `%u`: an integer, a float (truncated) or a bool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%d`, `%i` or `%u` placeholder: it needs a number",
    label = "this argument fills a `%d`-style placeholder",
    note = "use `%s` to print it with `Display`, or `%r` with `Debug`"
)]
pub trait PyDecimal {
    /// The number.
    fn number(&self) -> Number;
    /// Writes `%d` with no flags (an integer's own `Display`).
    fn fmt_decimal(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
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

macro_rules! integers {
    ($($t:ty)*) => {$(
        impl PyDecimal for $t {
            #[inline]
            fn number(&self) -> Number {
                Number::Int(i128::try_from(*self).unwrap_or(i128::MAX))
            }
            #[inline]
            fn fmt_decimal(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
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
            fn fmt_decimal(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_number(f, Number::Float(f64::from(*self)), &crate::__private::spec(0, 0, -1, 'd'))
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
    fn fmt_decimal(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if *self { "1" } else { "0" })
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
    fn fmt_decimal(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt_decimal(f)
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

fn write_number(f: &mut fmt::Formatter<'_>, n: Number, spec: &Printf) -> fmt::Result {
    with_scratch(f, |buf| {
        let r = match n {
            Number::Int(i) => pyfmt::int(buf, i, spec),
            Number::Float(x) => pyfmt::float(buf, x, spec),
        };
        r.map_err(|_| fmt::Error)
    })
}

/// `%d` with no flags.
#[inline(always)]
pub fn d<T: PyDecimal + ?Sized>(v: &T) -> Decimal<'_, T> {
    Decimal(v)
}

/// The value of [`d`].
#[derive(Debug)]
pub struct Decimal<'a, T: ?Sized>(&'a T);

impl<T: PyDecimal + ?Sized> fmt::Display for Decimal<'_, T> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_decimal(f)
    }
}

/// `%5d`, `%+d`, `%05.2d`…
pub fn d_spec<T: PyDecimal + ?Sized>(v: &T, spec: Printf) -> Rendered {
    Rendered(v.number(), spec)
}

/// `%x`, `%X`, `%o` with any flags.
pub fn radix<T: PyInteger + ?Sized>(v: &T, spec: Printf) -> Rendered {
    Rendered(Number::Int(v.integer()), spec)
}

/// `%e %E %f %F %g %G` with any flags.
pub fn f<T: PyFloat + ?Sized>(v: &T, spec: Printf) -> Rendered {
    Rendered(Number::Float(v.float()), spec)
}

/// `%c`.
pub fn c<T: PyChar + ?Sized>(v: &T, spec: Printf) -> Rendered {
    debug_assert_eq!(spec.conv, PercentConv::Char);
    Rendered(Number::Int(v.code_point()), spec)
}

/// A `*` width or precision.
#[inline]
pub fn count<T: PyInteger + ?Sized>(v: &T) -> i128 {
    v.integer()
}

/// A number rendered through Python's printf rules.
#[derive(Debug)]
pub struct Rendered(Number, Printf);

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_number(f, self.0, &self.1)
    }
}
