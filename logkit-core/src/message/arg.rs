//! Messages compiled by the macros: a static table of pieces and the call's arguments, each
//! behind the trait of the conversion its placeholder asked for, or by value.
//!
//! The macros check each argument's kind while compiling (the traits below, with the
//! messages a wrong argument gets: their impls are marked `do_not_recommend`, so that the
//! error names the placeholder and the argument's type, not the list of types that fit)
//! and build the table; one non-generic writer interprets it. A string under `%s` travels as [`Arg::Text`] and a 64-bit integer under `%d` as
//! [`Arg::Int`] or [`Arg::UInt`], written with no virtual call (the integer with `itoa`);
//! other values under `%s` are written with their `Display`, and everything with flags,
//! width or precision through [`crate::pyfmt`].

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use super::packed::{Packable, Scalar, scalar_of};
use crate::format::{push_i64, push_text, push_u64};
use crate::pyfmt::{self, ConvError, Printf, WidthBudget};
use crate::template::{self, ArgSource, LayoutPiece, MessageLayout, Mode, PercentConv};
use crate::value::Value;

/// One piece of a compiled message.
///
/// # Examples
///
/// ```
/// use logkit::message::{pieces, Arg};
/// use logkit::Message;
///
/// let table = pieces("took %d ms");
/// let ms = 42_u64;
/// let args = [Arg::Decimal(&ms)];
/// let table: &'static [_] = Box::leak(table);
/// let mut out = String::new();
/// Message::compiled("took %d ms", table, &args).write(&mut out).unwrap();
/// assert_eq!(out, "took 42 ms");
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Piece {
    /// Text copied as is.
    Literal(&'static str),
    /// A placeholder with no flags, width or precision (the common `%s`, `%d`, `%r`).
    Plain {
        /// Index into the arguments.
        arg: u16,
        /// The conversion.
        conv: PercentConv,
    },
    /// A placeholder: which argument, how it converts it, and the arguments giving a `*`
    /// width or precision.
    Field {
        /// Index into the arguments.
        arg: u16,
        /// The printf spec.
        spec: Printf,
        /// The argument giving the width, if `*`.
        width: Option<u16>,
        /// The argument giving the precision, if `*`.
        precision: Option<u16>,
    },
}

/// The pieces of a message template, with argument indices in the order of
/// [`MessageLayout`] (the order the macros pass the arguments in). A template that does not
/// parse gives one literal piece.
pub fn pieces(template: &'static str) -> Box<[Piece]> {
    let Ok(parsed) = template::parse(template, Mode::Message) else {
        return Box::new([Piece::Literal(template)]);
    };
    let index = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
    MessageLayout::new(&parsed)
        .pieces
        .into_iter()
        .map(|p| match p {
            LayoutPiece::Literal(s) => Piece::Literal(s),
            LayoutPiece::Field {
                arg,
                spec,
                width: None,
                precision: None,
            } if spec.is_plain() => Piece::Plain {
                arg: index(arg),
                conv: spec.conv,
            },
            LayoutPiece::Field {
                arg,
                spec,
                width,
                precision,
            } => Piece::Field {
                arg: index(arg),
                spec: Printf::new(&spec),
                width: width.map(index),
                precision: precision.map(index),
            },
        })
        .collect()
}

/// An argument of a compiled message, as its placeholder's conversion sees it.
#[derive(Clone, Copy)]
pub enum Arg<'a> {
    /// `%s`: written with `Display`.
    Str(&'a dyn PyStr),
    /// `%r`, `%a`: written with `Debug`.
    Repr(&'a dyn PyRepr),
    /// `%d`, `%i`, `%u`: a number (floats truncate).
    Decimal(&'a dyn PyDecimal),
    /// `%x`, `%X`, `%o`, and `*` widths: an integer.
    Integer(&'a dyn PyInteger),
    /// `%e %f %g` and upper-case forms: a number as a float.
    Float(&'a dyn PyFloat),
    /// `%c`: a character or code point.
    Char(&'a dyn PyChar),
    /// `%s` of a string (`str`, `String`, `Cow<str>`, or a reference to one): copied.
    Text(&'a str),
    /// `%d`, `%i`, `%u` of a signed integer that fits an `i64`: written directly.
    Int(i64),
    /// `%d`, `%i`, `%u` of an unsigned integer that fits a `u64`: written directly.
    UInt(u64),
}

impl<'a> Arg<'a> {
    /// The argument of a `%s` placeholder: a string as [`Arg::Text`], anything else behind
    /// its `Display`.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::message::Arg;
    ///
    /// assert!(matches!(Arg::str(&"alice"), Arg::Text("alice")));
    /// assert!(matches!(Arg::str(&1.5), Arg::Str(_)));
    /// ```
    // Not inlined: one instance per type, not one type test per call site to compile.
    #[inline(never)]
    pub fn str<T: PyStr>(value: &'a T) -> Self {
        match as_text(value) {
            Some(text) => Arg::Text(text),
            None => Arg::Str(value),
        }
    }

    /// The argument of a `%d` placeholder: a primitive integer of 64 bits or fewer as
    /// [`Arg::Int`] or [`Arg::UInt`], any other number behind [`PyDecimal`].
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::message::Arg;
    ///
    /// assert!(matches!(Arg::decimal(&-3_i32), Arg::Int(-3)));
    /// assert!(matches!(Arg::decimal(&7_usize), Arg::UInt(7)));
    /// assert!(matches!(Arg::decimal(&2.5_f64), Arg::Decimal(_)));
    /// ```
    #[inline(never)]
    pub fn decimal<T: PyDecimal>(value: &'a T) -> Self {
        match scalar_of(value) {
            Some(Scalar::I64(i)) => Arg::Int(i),
            Some(Scalar::U64(u)) => Arg::UInt(u),
            _ => Arg::Decimal(value),
        }
    }
}

impl fmt::Debug for Arg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Arg::Str(_) => "Str",
            Arg::Repr(_) => "Repr",
            Arg::Decimal(_) => "Decimal",
            Arg::Integer(_) => "Integer",
            Arg::Float(_) => "Float",
            Arg::Char(_) => "Char",
            Arg::Text(_) => "Text",
            Arg::Int(_) => "Int",
            Arg::UInt(_) => "UInt",
        };
        f.write_str(kind)
    }
}

/// A value that can fill `%s`: anything `Display`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%s` placeholder: it does not implement `Display`",
    label = "this argument fills a `%s` placeholder",
    note = "use `%r` to print it with `Debug`"
)]
pub trait PyStr {
    /// The argument of this placeholder (what the macros call: a method of the trait, so
    /// that a value of the wrong kind is an error about the placeholder alone).
    #[doc(hidden)]
    #[inline(always)]
    fn __logkit_s(&self) -> Arg<'_>
    where
        Self: Sized,
    {
        Arg::str(self)
    }

    /// Appends the value's `Display`.
    ///
    /// # Errors
    ///
    /// The `fmt::Error` the value's `Display` returned (what it wrote before stays).
    fn write_str_to(&self, out: &mut String) -> fmt::Result;

    /// How the value can travel to another thread ([`PackedArgs`](super::PackedArgs)).
    fn pack_str(&self) -> Packable<'_> {
        Packable::Opaque
    }

    /// Writes the value's `Display` to `out`.
    fn write_str_to_fmt(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let mut text = String::new();
        self.write_str_to(&mut text)?;
        out.write_str(&text)
    }
}

#[diagnostic::do_not_recommend]
impl<T: fmt::Display + ?Sized> PyStr for T {
    #[inline]
    fn write_str_to(&self, out: &mut String) -> fmt::Result {
        match as_text(self) {
            Some(text) => {
                push_text(out, text);
                Ok(())
            }
            None => write!(out, "{self}"),
        }
    }

    #[inline]
    fn pack_str(&self) -> Packable<'_> {
        pack(self)
    }

    fn write_str_to_fmt(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        write!(out, "{self}")
    }
}

/// How a value of a primitive or string type travels: by value, or as its string.
#[inline(always)]
fn pack<T: ?Sized>(value: &T) -> Packable<'_> {
    if let Some(text) = as_text(value) {
        Packable::Text(text)
    } else if let Some(scalar) = scalar_of(value) {
        Packable::Scalar(scalar)
    } else {
        Packable::Opaque
    }
}

/// The value as a string slice when its type is a string (`str`, `&str`, `String`,
/// `&String`, `Cow<str>`), so that `%s` copies it instead of going through `fmt`. The type
/// test is a constant in each instance, so the other types pay nothing.
#[inline(always)]
#[allow(unsafe_code)]
fn as_text<T: ?Sized>(value: &T) -> Option<&str> {
    use std::borrow::Cow;
    let id = typeid::of::<T>();
    let ptr: *const T = value;
    // SAFETY (each arm): `typeid::of` is the `TypeId` of `T` with its lifetimes erased, so
    // `T` is the named type up to lifetimes, which do not change layout. A lifetime inside
    // `T` outlives the borrow `value` (`&T` is well-formed), so the `&str` returned, which
    // lives as long as `value`, is valid.
    if id == typeid::of::<str>() {
        Some(unsafe { std::mem::transmute_copy::<&T, &str>(&value) })
    } else if id == typeid::of::<&str>() {
        Some(unsafe { *ptr.cast::<&str>() })
    } else if id == typeid::of::<String>() {
        Some(unsafe { &*ptr.cast::<String>() })
    } else if id == typeid::of::<&String>() {
        Some(unsafe { *ptr.cast::<&String>() })
    } else if id == typeid::of::<Cow<'_, str>>() {
        Some(unsafe { &*ptr.cast::<Cow<'_, str>>() })
    } else {
        None
    }
}

/// A value that can fill `%r` or `%a`: anything `Debug`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%r` placeholder: it does not implement `Debug`",
    label = "this argument fills a `%r` or `%a` placeholder",
    note = "use `%s` to print it with `Display`, or derive `Debug`"
)]
pub trait PyRepr {
    /// The argument of this placeholder (what the macros call: a method of the trait, so
    /// that a value of the wrong kind is an error about the placeholder alone).
    #[doc(hidden)]
    #[inline(always)]
    fn __logkit_r(&self) -> Arg<'_>
    where
        Self: Sized,
    {
        Arg::Repr(self)
    }

    /// Appends the value's `Debug`.
    ///
    /// # Errors
    ///
    /// The `fmt::Error` the value's `Debug` returned (what it wrote before stays).
    fn write_repr_to(&self, out: &mut String) -> fmt::Result;

    /// How the value can travel to another thread ([`PackedArgs`](super::PackedArgs)).
    fn pack_repr(&self) -> Packable<'_> {
        Packable::Opaque
    }

    /// Writes the value's `Debug` to `out`.
    fn write_repr_to_fmt(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let mut text = String::new();
        self.write_repr_to(&mut text)?;
        out.write_str(&text)
    }
}

#[diagnostic::do_not_recommend]
impl<T: fmt::Debug + ?Sized> PyRepr for T {
    #[inline]
    fn write_repr_to(&self, out: &mut String) -> fmt::Result {
        write!(out, "{self:?}")
    }

    #[inline]
    fn pack_repr(&self) -> Packable<'_> {
        pack(self)
    }

    fn write_repr_to_fmt(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        write!(out, "{self:?}")
    }
}

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
    /// The argument of this placeholder (what the macros call: a method of the trait, so
    /// that a value of the wrong kind is an error about the placeholder alone).
    #[doc(hidden)]
    #[inline(always)]
    fn __logkit_d(&self) -> Arg<'_>
    where
        Self: Sized,
    {
        Arg::decimal(self)
    }

    /// The number.
    fn number(&self) -> Number;

    /// Appends plain `%d` (integers write themselves directly).
    fn write_decimal(&self, out: &mut String) -> Result<(), ConvError> {
        match self.number() {
            Number::Int(i) => {
                out.push_str(itoa::Buffer::new().format(i));
                Ok(())
            }
            Number::Float(x) => pyfmt::float(out, x, &Printf::conv(PercentConv::Decimal)),
        }
    }

    /// The value, when it can travel to another thread by value (the primitive types).
    fn scalar(&self) -> Option<Scalar> {
        None
    }
}

/// A value that can fill `%x`, `%X`, `%o` or be a `*` width: an integer or a bool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%x`, `%X` or `%o` placeholder (or a `*` width): it needs an integer",
    label = "this argument needs an integer",
    note = "Python raises `TypeError: %x format: an integer is required`; convert the value first"
)]
pub trait PyInteger {
    /// The argument of this placeholder (what the macros call: a method of the trait, so
    /// that a value of the wrong kind is an error about the placeholder alone).
    #[doc(hidden)]
    #[inline(always)]
    fn __logkit_int(&self) -> Arg<'_>
    where
        Self: Sized,
    {
        Arg::Integer(self)
    }

    /// The integer.
    fn integer(&self) -> i128;

    /// The value, when it can travel to another thread by value (the primitive types).
    fn scalar(&self) -> Option<Scalar> {
        None
    }
}

/// A value that can fill `%e`, `%f`, `%g` (and upper-case forms): a float, an integer or a
/// bool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%f`, `%e` or `%g` placeholder: it needs a number",
    label = "this argument fills a float placeholder",
    note = "use `%s` to print it with `Display`"
)]
pub trait PyFloat {
    /// The argument of this placeholder (what the macros call: a method of the trait, so
    /// that a value of the wrong kind is an error about the placeholder alone).
    #[doc(hidden)]
    #[inline(always)]
    fn __logkit_f(&self) -> Arg<'_>
    where
        Self: Sized,
    {
        Arg::Float(self)
    }

    /// The value as a float.
    fn float(&self) -> f64;

    /// The value, when it can travel to another thread by value (the primitive types).
    fn scalar(&self) -> Option<Scalar> {
        None
    }
}

/// A value that can fill `%c`: a `char` or an integer code point.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a `%c` placeholder: it needs a `char` or an integer code point",
    label = "this argument fills a `%c` placeholder",
    note = "use `%s` to print a string"
)]
pub trait PyChar {
    /// The argument of this placeholder (what the macros call: a method of the trait, so
    /// that a value of the wrong kind is an error about the placeholder alone).
    #[doc(hidden)]
    #[inline(always)]
    fn __logkit_c(&self) -> Arg<'_>
    where
        Self: Sized,
    {
        Arg::Char(self)
    }

    /// The code point.
    fn code_point(&self) -> i128;

    /// The value, when it can travel to another thread by value (the primitive types).
    fn scalar(&self) -> Option<Scalar> {
        None
    }
}

macro_rules! integers {
    ($($t:ty)*) => {$(
        #[diagnostic::do_not_recommend]
        impl PyDecimal for $t {
            #[inline]
            fn number(&self) -> Number {
                Number::Int(i128::try_from(*self).unwrap_or(i128::MAX))
            }
            #[inline]
            fn write_decimal(&self, out: &mut String) -> Result<(), ConvError> {
                // Written straight into `out` (see `push_u64`); only 128-bit values beyond
                // 64 bits go through `itoa`'s buffer.
                match (i64::try_from(*self), u64::try_from(*self)) {
                    (Ok(i), _) => push_i64(out, i),
                    (_, Ok(u)) => push_u64(out, u),
                    _ => push_text(out, itoa::Buffer::new().format(*self)),
                }
                Ok(())
            }
            #[inline]
            fn scalar(&self) -> Option<Scalar> {
                scalar_of(self)
            }
        }
        #[diagnostic::do_not_recommend]
        impl PyInteger for $t {
            #[inline]
            fn integer(&self) -> i128 {
                i128::try_from(*self).unwrap_or(i128::MAX)
            }
            #[inline]
            fn scalar(&self) -> Option<Scalar> {
                scalar_of(self)
            }
        }
        #[diagnostic::do_not_recommend]
        impl PyFloat for $t {
            #[inline]
            #[allow(clippy::cast_precision_loss)]
            fn float(&self) -> f64 {
                *self as f64
            }
            #[inline]
            fn scalar(&self) -> Option<Scalar> {
                scalar_of(self)
            }
        }
        #[diagnostic::do_not_recommend]
        impl PyChar for $t {
            #[inline]
            fn code_point(&self) -> i128 {
                i128::try_from(*self).unwrap_or(i128::MAX)
            }
            #[inline]
            fn scalar(&self) -> Option<Scalar> {
                scalar_of(self)
            }
        }
    )*};
}
integers!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

macro_rules! floats {
    ($($t:ty)*) => {$(
        #[diagnostic::do_not_recommend]
        impl PyDecimal for $t {
            #[inline]
            fn number(&self) -> Number {
                Number::Float(f64::from(*self))
            }
            #[inline]
            fn scalar(&self) -> Option<Scalar> {
                scalar_of(self)
            }
        }
        #[diagnostic::do_not_recommend]
        impl PyFloat for $t {
            #[inline]
            fn float(&self) -> f64 {
                f64::from(*self)
            }
            #[inline]
            fn scalar(&self) -> Option<Scalar> {
                scalar_of(self)
            }
        }
    )*};
}
floats!(f32 f64);

#[diagnostic::do_not_recommend]
impl PyDecimal for bool {
    fn number(&self) -> Number {
        Number::Int(i128::from(*self))
    }
    fn scalar(&self) -> Option<Scalar> {
        Some(Scalar::Bool(*self))
    }
}

#[diagnostic::do_not_recommend]
impl PyInteger for bool {
    fn integer(&self) -> i128 {
        i128::from(*self)
    }
    fn scalar(&self) -> Option<Scalar> {
        Some(Scalar::Bool(*self))
    }
}

#[diagnostic::do_not_recommend]
impl PyFloat for bool {
    fn float(&self) -> f64 {
        f64::from(u8::from(*self))
    }
    fn scalar(&self) -> Option<Scalar> {
        Some(Scalar::Bool(*self))
    }
}

#[diagnostic::do_not_recommend]
impl PyChar for char {
    fn code_point(&self) -> i128 {
        i128::from(u32::from(*self))
    }
    fn scalar(&self) -> Option<Scalar> {
        Some(Scalar::Char(*self))
    }
}

#[diagnostic::do_not_recommend]
impl<T: PyDecimal + ?Sized> PyDecimal for &T {
    #[inline]
    fn number(&self) -> Number {
        (**self).number()
    }
    #[inline]
    fn write_decimal(&self, out: &mut String) -> Result<(), ConvError> {
        (**self).write_decimal(out)
    }
    #[inline]
    fn scalar(&self) -> Option<Scalar> {
        (**self).scalar()
    }
}

#[diagnostic::do_not_recommend]
impl<T: PyInteger + ?Sized> PyInteger for &T {
    #[inline]
    fn integer(&self) -> i128 {
        (**self).integer()
    }
    #[inline]
    fn scalar(&self) -> Option<Scalar> {
        (**self).scalar()
    }
}

#[diagnostic::do_not_recommend]
impl<T: PyFloat + ?Sized> PyFloat for &T {
    #[inline]
    fn float(&self) -> f64 {
        (**self).float()
    }
    #[inline]
    fn scalar(&self) -> Option<Scalar> {
        (**self).scalar()
    }
}

#[diagnostic::do_not_recommend]
impl<T: PyChar + ?Sized> PyChar for &T {
    #[inline]
    fn code_point(&self) -> i128 {
        (**self).code_point()
    }
    #[inline]
    fn scalar(&self) -> Option<Scalar> {
        (**self).scalar()
    }
}

/// Writes a compiled message.
///
/// Literal text, strings and integers written plainly (almost every message) are written
/// by this short loop, inlined into its caller; from the first piece that needs more on,
/// [`write_from`] writes the rest. A record with two such arguments costs 35 instructions
/// less than through the general loop alone.
#[inline(always)]
pub(super) fn write(out: &mut String, pieces: &[Piece], args: &[Arg<'_>]) -> Result<(), ConvError> {
    for (at, piece) in pieces.iter().enumerate() {
        match *piece {
            Piece::Literal(s) => push_text(out, s),
            Piece::Plain { arg, conv } => match (args.get(usize::from(arg)), conv) {
                (Some(Arg::Text(s)), PercentConv::Str) => push_text(out, s),
                (Some(Arg::UInt(u)), PercentConv::Decimal) => push_u64(out, *u),
                (Some(Arg::Int(i)), PercentConv::Decimal) => push_i64(out, *i),
                _ => return write_from(out, &pieces[at..], args),
            },
            Piece::Field { .. } => return write_from(out, &pieces[at..], args),
        }
    }
    Ok(())
}

/// Writes `pieces`, the rest of a compiled message, whatever they are ([`write`](fn@write) has
/// written those before them, none of which counts towards a `*` width's budget).
#[inline(never)]
fn write_from(out: &mut String, pieces: &[Piece], args: &[Arg<'_>]) -> Result<(), ConvError> {
    // `*` widths: what the template wrote (checked when it was parsed) and what the arguments
    // give, added up.
    let mut budget = WidthBudget::default();
    for piece in pieces {
        match *piece {
            Piece::Literal(s) => push_text(out, s),
            Piece::Plain { arg, conv } => match (arg_at(args, arg)?, conv) {
                (Arg::Text(s), PercentConv::Str) => push_text(out, s),
                (Arg::Int(i), PercentConv::Decimal) => push_i64(out, *i),
                (Arg::UInt(u), PercentConv::Decimal) => push_u64(out, *u),
                (Arg::Str(v), PercentConv::Str) => {
                    v.write_str_to(out).map_err(|_| value_failed("Display"))?;
                }
                (Arg::Decimal(v), PercentConv::Decimal) => v.write_decimal(out)?,
                (arg, conv) => write_arg(out, arg, &Printf::conv(conv))?,
            },
            Piece::Field {
                arg,
                spec,
                width,
                precision,
            } => {
                let spec = resolved_spec(spec, width, precision, args, &mut budget)?;
                write_arg(out, arg_at(args, arg)?, &spec)?;
            }
        }
    }
    Ok(())
}

/// A field's spec with its `*` width and precision taken from `args`, and all of its widths
/// counted in `budget` (a negative `*` width left-aligns; a negative `*` precision means
/// none, as in Python).
fn resolved_spec(
    mut spec: Printf,
    width: Option<u16>,
    precision: Option<u16>,
    args: &[Arg<'_>],
    budget: &mut WidthBudget,
) -> Result<Printf, ConvError> {
    budget.take(spec.width, "width")?;
    budget.take(spec.precision.unwrap_or(0), "precision")?;
    if let Some(w) = width {
        let w = integer_at(args, w)?;
        if w < 0 {
            spec.flags.left = true;
        }
        spec.width = budget.take_wide(w.unsigned_abs(), "* width")?;
    }
    if let Some(p) = precision {
        let p = integer_at(args, p)?;
        spec.precision = match u128::try_from(p) {
            Ok(p) => Some(budget.take_wide(p, "* precision")?),
            Err(_) => None,
        };
    }
    Ok(spec)
}

/// Whether the `*` widths and precisions `args` give the `pieces` are within
/// [`MAX_FIELD_WIDTH`](crate::limits::MAX_FIELD_WIDTH) (with the written ones): what
/// [`write`](fn@write) checks, without writing.
pub(super) fn widths_fit(pieces: &[Piece], args: &[Arg<'_>]) -> bool {
    let mut budget = WidthBudget::default();
    pieces.iter().all(|piece| match *piece {
        Piece::Field {
            spec,
            width,
            precision,
            ..
        } => resolved_spec(spec, width, precision, args, &mut budget).is_ok(),
        Piece::Literal(_) | Piece::Plain { .. } => true,
    })
}

/// A compiled message's arguments as CPython's `record.args` holds them: for a template of
/// `%(name)s` placeholders, one mapping of each name to its value; otherwise the values in
/// order (`*` widths included). Numbers, `bool`s, `char`s and strings keep their Python type;
/// any other value is given as the text of the conversion its placeholder asked for (the
/// only form logkit has of it).
///
/// A filter's new template (`record.msg = ...`) is merged with these, by CPython's rules, and
/// error reports and `%(args)s` print them.
pub(super) fn python_args<'a>(template: &str, args: &[Arg<'a>]) -> Vec<Value<'a>> {
    let values = args.iter().map(python_value);
    let Ok(parsed) = template::parse(template, Mode::Message) else {
        return values.collect();
    };
    let layout = MessageLayout::new(&parsed);
    if !layout
        .args
        .iter()
        .any(|slot| matches!(slot.source, ArgSource::Named(_)))
    {
        return values.collect();
    }
    let mut items: Vec<(Cow<'a, str>, Value<'a>)> = Vec::new();
    for (slot, value) in layout.args.iter().zip(values) {
        if let ArgSource::Named(name) = slot.source {
            if !items.iter().any(|(k, _)| k == name) {
                items.push((Cow::Owned(name.to_owned()), value));
            }
        }
    }
    vec![Value::Map(
        items.into_iter().map(|(k, v)| (Value::Str(k), v)).collect(),
    )]
}

/// One argument as the Python value it stands for.
fn python_value<'a>(arg: &Arg<'a>) -> Value<'a> {
    let rendered = |write: &dyn Fn(&mut String) -> fmt::Result| {
        let mut text = String::new();
        match write(&mut text) {
            Ok(()) => Value::Str(Cow::Owned(text)),
            Err(fmt::Error) => Value::Str(Cow::Borrowed(UNPRINTABLE)),
        }
    };
    match *arg {
        Arg::Text(text) => Value::Str(Cow::Borrowed(text)),
        Arg::Int(i) => Value::Int(i.into()),
        Arg::UInt(u) => Value::Int(u.into()),
        Arg::Str(v) => match v.pack_str() {
            Packable::Scalar(s) => scalar_value(s),
            Packable::Text(text) => Value::Str(Cow::Borrowed(text)),
            Packable::Opaque => rendered(&|out| v.write_str_to(out)),
        },
        Arg::Repr(v) => match v.pack_repr() {
            Packable::Scalar(s) => scalar_value(s),
            Packable::Text(text) => Value::Str(Cow::Borrowed(text)),
            Packable::Opaque => rendered(&|out| v.write_repr_to(out)),
        },
        Arg::Decimal(v) => v.scalar().map_or_else(
            || match v.number() {
                Number::Int(i) => Value::Int(i),
                Number::Float(x) => Value::Float(x),
            },
            scalar_value,
        ),
        Arg::Integer(v) => v
            .scalar()
            .map_or_else(|| Value::Int(v.integer()), scalar_value),
        Arg::Float(v) => v
            .scalar()
            .map_or_else(|| Value::Float(v.float()), scalar_value),
        Arg::Char(v) => v
            .scalar()
            .map_or_else(|| Value::Int(v.code_point()), scalar_value),
    }
}

fn scalar_value(s: Scalar) -> Value<'static> {
    match s {
        Scalar::I64(i) => Value::Int(i.into()),
        Scalar::U64(u) => Value::Int(u.into()),
        Scalar::F32(x) => Value::Float(x.into()),
        Scalar::F64(x) => Value::Float(x),
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Char(c) => Value::Str(Cow::Owned(c.to_string())),
    }
}

#[inline]
fn arg_at<'a>(args: &'a [Arg<'a>], i: u16) -> Result<&'a Arg<'a>, ConvError> {
    match args.get(usize::from(i)) {
        Some(arg) => Ok(arg),
        None => Err(not_enough_arguments()),
    }
}

/// What `record.args` shows of an argument whose `Display` or `Debug` failed.
const UNPRINTABLE: &str = "<unprintable: its formatting returned fmt::Error>";

/// The error of an argument whose `trait_name` (`Display` or `Debug`) returned `fmt::Error`.
#[cold]
fn value_failed(trait_name: &str) -> ConvError {
    ConvError::new(
        pyfmt::ConvErrorKind::FmtError,
        format!("an argument's {trait_name} returned an error"),
    )
}

#[cold]
fn not_enough_arguments() -> ConvError {
    ConvError::new(
        pyfmt::ConvErrorKind::TypeError,
        "not enough arguments for format string",
    )
}

fn integer_at(args: &[Arg<'_>], i: u16) -> Result<i128, ConvError> {
    match arg_at(args, i)? {
        Arg::Integer(v) => Ok(v.integer()),
        _ => Err(ConvError::new(
            pyfmt::ConvErrorKind::TypeError,
            "* wants int",
        )),
    }
}

/// Writes one argument under its spec.
fn write_arg(out: &mut String, arg: &Arg<'_>, spec: &Printf) -> Result<(), ConvError> {
    let sized = spec.width != 0 || spec.precision.is_some();
    match arg {
        Arg::Str(v) => {
            let start = out.len();
            v.write_str_to(out).map_err(|_| value_failed("Display"))?;
            if sized {
                pyfmt::pad_in_place(out, start, spec);
            }
            Ok(())
        }
        Arg::Repr(v) => {
            let start = out.len();
            v.write_repr_to(out).map_err(|_| value_failed("Debug"))?;
            if spec.conv == PercentConv::Ascii {
                pyfmt::ascii_escape(out, start);
            }
            if sized {
                pyfmt::pad_in_place(out, start, spec);
            }
            Ok(())
        }
        Arg::Decimal(v) => {
            if !sized && spec.flags == crate::template::Flags::default() {
                v.write_decimal(out)
            } else {
                match v.number() {
                    Number::Int(i) => pyfmt::int(out, i, spec),
                    Number::Float(x) => pyfmt::float(out, x, spec),
                }
            }
        }
        Arg::Integer(v) => pyfmt::int(out, v.integer(), spec),
        Arg::Float(v) => pyfmt::float(out, v.float(), spec),
        Arg::Char(v) => pyfmt::int(out, v.code_point(), spec),
        Arg::Text(s) => {
            let start = out.len();
            push_text(out, s);
            if sized {
                pyfmt::pad_in_place(out, start, spec);
            }
            Ok(())
        }
        Arg::Int(i) => write_arg(out, &Arg::Decimal(i), spec),
        Arg::UInt(u) => write_arg(out, &Arg::Decimal(u), spec),
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn s(value: &dyn PyStr) -> String {
        let mut out = String::from(">");
        value.write_str_to(&mut out).unwrap();
        out
    }

    #[test]
    fn strings_are_recognised_and_copied() {
        let owned = String::from("owned");
        let borrowed: &str = "borrowed";
        assert_eq!(as_text("lit"), Some("lit"));
        assert_eq!(as_text(&borrowed), Some("borrowed"));
        assert_eq!(as_text(&owned), Some("owned"));
        assert_eq!(as_text(&&owned), Some("owned"));
        assert_eq!(as_text(&Cow::Borrowed("cow")), Some("cow"));
        assert_eq!(as_text(&Cow::<str>::Owned("cow".into())), Some("cow"));
        assert_eq!(as_text(&42), None);
        assert_eq!(as_text(&'c'), None);
        assert_eq!(as_text(&&&borrowed), None);
    }

    #[test]
    fn strings_are_borrowed_in_place_whatever_their_lifetime() {
        // Strings that live on this function's stack and heap, not `'static` ones.
        let owned = String::from("owned on the heap");
        let slice: &str = &owned[6..];
        let cow_borrowed: Cow<'_, str> = Cow::Borrowed(slice);
        let cow_owned: Cow<'_, str> = Cow::Owned(owned.clone());
        let same_bytes = |text: Option<&str>, of: &str| {
            let text = text.expect("recognised as a string");
            assert_eq!(text, of);
            assert!(std::ptr::eq(text.as_ptr(), of.as_ptr()), "not copied");
        };
        same_bytes(as_text(slice), slice);
        same_bytes(as_text(&slice), slice);
        same_bytes(as_text(&owned), &owned);
        same_bytes(as_text(&&owned), &owned);
        same_bytes(as_text(&cow_borrowed), slice);
        same_bytes(as_text(&cow_owned), &cow_owned);
        assert_eq!(as_text(""), Some(""));
        assert_eq!(as_text(&String::new()), Some(""));
        // Types that are strings only after more references, or not at all.
        assert_eq!(as_text(&&slice), None);
        assert_eq!(as_text(&&&owned), None);
        assert_eq!(as_text(&Box::<str>::from("boxed")), None);
        assert_eq!(as_text(b"a"), None);
    }

    #[test]
    fn every_display_type_writes_the_same_text() {
        let owned = String::from("owned");
        let borrowed: &str = "borrowed";
        assert_eq!(s(&borrowed), ">borrowed");
        assert_eq!(s(&owned), ">owned");
        assert_eq!(s(&&&borrowed), ">borrowed");
        assert_eq!(s(&Cow::Borrowed("cow")), ">cow");
        assert_eq!(s(&42), ">42");
        assert_eq!(s(&'c'), ">c");
    }

    #[test]
    fn arguments_are_given_as_the_python_values_they_stand_for() {
        let repr = |template: &str, args: &[Arg<'_>]| {
            let mut out = String::new();
            Value::Tuple(python_args(template, args).into()).write_repr(&mut out);
            out
        };
        let path = std::path::Path::new("/tmp");
        let (f, b, c, big) = (1.5_f64, true, 'x', 7_u128);
        assert_eq!(
            repr(
                "%s %d %r %s %s %c %d",
                &[
                    Arg::Text("a"),
                    Arg::Int(-3),
                    Arg::Repr(&"q"),
                    Arg::Str(&f),
                    Arg::Str(&b),
                    Arg::Char(&c),
                    Arg::Decimal(&big),
                ]
            ),
            "('a', -3, 'q', 1.5, True, 'x', 7)"
        );
        // A value known only by its conversion is its text.
        assert_eq!(repr("%s", &[Arg::Str(&path.display())]), "('/tmp',)");
        // Named placeholders make one mapping, each name once.
        assert_eq!(
            repr(
                "%(user)s %(user)r %(ms)d",
                &[Arg::Text("bob"), Arg::Repr(&"bob"), Arg::UInt(5)]
            ),
            "({'user': 'bob', 'ms': 5},)"
        );
    }
}
