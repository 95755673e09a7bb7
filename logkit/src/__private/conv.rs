//! WARNING: not public API; used by logkit's macros; may change in any release.
//!
//! One constructor per kind of printf conversion. Each takes an argument by reference and
//! returns it as the [`Arg`] its placeholder needs; the constructor's trait bound is the
//! compile-time kind check (`%d` of a `&str` does not compile, with a message naming the
//! placeholder, located at the argument).

use logkit_core::message::{Arg, PyChar, PyDecimal, PyFloat, PyInteger, PyRepr, PyStr};

/// `%s`.
#[inline(always)]
pub fn s<T: PyStr>(v: &T) -> Arg<'_> {
    Arg::str(v)
}

/// `%r`, `%a`.
#[inline(always)]
pub fn r<T: PyRepr>(v: &T) -> Arg<'_> {
    Arg::Repr(v)
}

/// `%d`, `%i`, `%u`.
#[inline(always)]
pub fn d<T: PyDecimal>(v: &T) -> Arg<'_> {
    Arg::decimal(v)
}

/// `%x`, `%X`, `%o`, and `*` widths and precisions.
#[inline(always)]
pub fn int<T: PyInteger>(v: &T) -> Arg<'_> {
    Arg::Integer(v)
}

/// `%e %E %f %F %g %G`.
#[inline(always)]
pub fn f<T: PyFloat>(v: &T) -> Arg<'_> {
    Arg::Float(v)
}

/// `%c`.
#[inline(always)]
pub fn c<T: PyChar>(v: &T) -> Arg<'_> {
    Arg::Char(v)
}
