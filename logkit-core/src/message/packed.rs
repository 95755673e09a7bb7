//! A compiled message's arguments copied by value into a fixed-size block, so that the
//! message can be merged later, on another thread, with the same bytes as at the call.
//!
//! A [`QueueHandler`](crate::QueueHandler) sends a call's arguments this way instead of
//! merging the message on the caller's thread. Numbers, `bool`, `char` and strings are
//! copied as they are and merged on the listener by the very code (and the very types) the
//! call would have used, so the text is the same. Any other value is written on the
//! caller's thread (its `Display` for `%s`, its `Debug` for `%r`, as it is at the call) and
//! its text travels instead; padding and escaping are applied to that text later, as they
//! would have been. A message whose arguments cannot be packed (too many of them, a number
//! type of the user's own, a conversion that would fail) is merged at the call as before.

use std::fmt;

use super::arg::{Arg, Piece, widths_fit};
use crate::format::copy_upto_32;

/// The most arguments a packed message carries.
const MAX_ARGS: usize = 8;

/// A number, `bool` or `char` argument, by value, in the type that prints it the same way.
///
/// # Examples
///
/// ```
/// use logkit::message::{PyStr, Scalar};
///
/// assert!(matches!(42_u8.pack_str(), logkit::message::Packable::Scalar(Scalar::U64(42))));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// A signed integer that fits an `i64`.
    I64(i64),
    /// An unsigned integer that fits a `u64`.
    U64(u64),
    /// An `f32` (kept apart: it prints differently from the same value as `f64`).
    F32(f32),
    /// An `f64`.
    F64(f64),
    /// A `bool`.
    Bool(bool),
    /// A `char`.
    Char(char),
}

/// How an argument can travel to another thread.
///
/// # Examples
///
/// ```
/// use logkit::message::{Packable, PyStr};
///
/// assert!(matches!("text".pack_str(), Packable::Text("text")));
/// assert!(matches!(std::path::Path::new("/tmp").display().pack_str(), Packable::Opaque));
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Packable<'a> {
    /// By value.
    Scalar(Scalar),
    /// As a string.
    Text(&'a str),
    /// Only as the text its conversion writes.
    Opaque,
}

/// The scalar a value of type `T` is, when `T` is one of the primitive types (or a
/// reference to one). The type tests are constants in each instance.
#[inline(always)]
pub(super) fn scalar_of<T: ?Sized>(value: &T) -> Option<Scalar> {
    fn as_type<T: ?Sized, U: Copy + 'static>(value: &T) -> Option<U> {
        read_if::<T, U>(value).or_else(|| read_if::<T, &U>(value).copied())
    }
    macro_rules! try_types {
        ($($t:ty => $make:expr),* $(,)?) => {$(
            if let Some(v) = as_type::<T, $t>(value) {
                #[allow(clippy::redundant_closure_call)]
                return ($make)(v);
            }
        )*};
    }
    try_types!(
        i64 => |v: i64| Some(Scalar::I64(v)),
        i32 => |v: i32| Some(Scalar::I64(i64::from(v))),
        u64 => |v: u64| Some(Scalar::U64(v)),
        u32 => |v: u32| Some(Scalar::U64(u64::from(v))),
        usize => |v: usize| u64::try_from(v).ok().map(Scalar::U64),
        isize => |v: isize| i64::try_from(v).ok().map(Scalar::I64),
        f64 => |v: f64| Some(Scalar::F64(v)),
        f32 => |v: f32| Some(Scalar::F32(v)),
        bool => |v: bool| Some(Scalar::Bool(v)),
        char => |v: char| Some(Scalar::Char(v)),
        i8 => |v: i8| Some(Scalar::I64(i64::from(v))),
        i16 => |v: i16| Some(Scalar::I64(i64::from(v))),
        u8 => |v: u8| Some(Scalar::U64(u64::from(v))),
        u16 => |v: u16| Some(Scalar::U64(u64::from(v))),
        i128 => |v: i128| i64::try_from(v).ok().map(Scalar::I64),
        u128 => |v: u128| u64::try_from(v).ok().map(Scalar::U64),
    );
    None
}

/// `value` as a `U`, when `T` is `U` up to lifetimes (a primitive, or a reference to one).
#[inline(always)]
#[allow(unsafe_code)]
fn read_if<'v, T: ?Sized, U: Copy + 'v>(value: &'v T) -> Option<U> {
    if typeid::of::<T>() != typeid::of::<U>() {
        return None;
    }
    // SAFETY: `T` is `U` with lifetimes erased (the check above): a sized primitive, or a
    // reference to one. Reading a `U` through the pointer to the `T` reads the same value; a
    // reference read this way lives for `'v`, which the reference inside `T` outlives
    // because `&'v T` is well-formed.
    Some(unsafe { *std::ptr::from_ref(value).cast::<U>() })
}

/// Which conversion trait an argument is under (the [`Arg`] variant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Str,
    Repr,
    Decimal,
    Integer,
    Float,
    Char,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Str,
        Kind::Repr,
        Kind::Decimal,
        Kind::Integer,
        Kind::Float,
        Kind::Char,
    ];
}

/// What follows an argument's tag byte (the tag's low four bits; the kind is in the high
/// four): a scalar's bytes, or a string's length (two bytes) and its bytes.
mod ty {
    pub(super) const I64: u8 = 0;
    pub(super) const U64: u8 = 1;
    pub(super) const F32: u8 = 2;
    pub(super) const F64: u8 = 3;
    pub(super) const BOOL: u8 = 4;
    pub(super) const CHAR: u8 = 5;
    /// A string.
    pub(super) const TEXT: u8 = 6;
    /// The text a `%r` conversion wrote at the call.
    pub(super) const RENDERED: u8 = 7;
}

/// The encoded arguments: inline up to [`INLINE_BYTES`], else on the heap.
///
/// Every string is copied in whole from a `&str`, after its length, so each string's bytes
/// are UTF-8 and nothing else is ever read as text.
#[derive(Clone)]
enum Bytes {
    Inline { bytes: [u8; INLINE_BYTES], len: u8 },
    Heap(Vec<u8>),
}

impl Bytes {
    #[inline(always)]
    fn push(&mut self, data: &[u8]) {
        match self {
            Bytes::Inline { bytes, len } => {
                let at = usize::from(*len);
                let end = at + data.len();
                match (bytes.get_mut(at..end), u8::try_from(end)) {
                    (Some(room), Ok(new_len)) if data.len() <= 32 => {
                        // SAFETY: `room` is `data.len()` (at most 32) bytes of the inline
                        // buffer, which `data` (the caller's value, never this buffer) does
                        // not overlap.
                        #[allow(unsafe_code)]
                        unsafe {
                            copy_upto_32(room.as_mut_ptr(), data);
                        }
                        *len = new_len;
                    }
                    (Some(room), Ok(new_len)) => {
                        room.copy_from_slice(data);
                        *len = new_len;
                    }
                    _ => {
                        let mut heap = Vec::with_capacity(end.max(2 * INLINE_BYTES));
                        heap.extend_from_slice(&bytes[..at]);
                        heap.extend_from_slice(data);
                        *self = Bytes::Heap(heap);
                    }
                }
            }
            Bytes::Heap(heap) => heap.extend_from_slice(data),
        }
    }

    #[inline]
    fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Inline { bytes, len } => &bytes[..usize::from(*len)],
            Bytes::Heap(heap) => heap,
        }
    }

    fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Overwrites two bytes at `at` (a string's length, once it is known).
    fn patch(&mut self, at: usize, data: [u8; 2]) {
        let target = match self {
            Bytes::Inline { bytes, .. } => &mut bytes[..],
            Bytes::Heap(heap) => &mut heap[..],
        };
        if let Some(room) = target.get_mut(at..at + 2) {
            room.copy_from_slice(&data);
        }
    }
}

/// Appends a value's text to the encoded bytes (for values rendered at the call).
struct Render<'b>(&'b mut Bytes);

impl fmt::Write for Render<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.push(s.as_bytes());
        Ok(())
    }
}

/// The encoded arguments of inline size.
const INLINE_BYTES: usize = 56;

/// A compiled message's arguments, packed by value (see the module docs).
///
/// # Examples
///
/// ```
/// use logkit::message::{pieces, Arg, PackedArgs};
/// use logkit::Message;
///
/// let table: &'static [_] = Box::leak(pieces("%s took %d ms"));
/// let (path, ms) = (String::from("/api"), 42_u64);
/// let packed = PackedArgs::pack(&[Arg::Str(&path), Arg::Decimal(&ms)]).unwrap();
/// drop(path);
/// let text = packed.with_args(|args| {
///     let mut out = String::new();
///     Message::compiled("%s took %d ms", table, args).write(&mut out).unwrap();
///     out
/// });
/// assert_eq!(text, "/api took 42 ms");
/// ```
#[derive(Clone)]
pub struct PackedArgs {
    bytes: Bytes,
}

impl fmt::Debug for PackedArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackedArgs")
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Writes a `%r` argument's text as it was rendered at the call.
#[derive(Clone, Copy)]
struct Rendered<'a>(&'a str);

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// One decoded argument.
#[derive(Clone, Copy)]
enum Decoded<'a> {
    Scalar(Scalar),
    Text(&'a str),
    Rendered(Rendered<'a>),
}

impl PackedArgs {
    /// Packs `args`, or `None` when one of them cannot be packed or would fail to convert
    /// (the message is then merged at the call, where a failure is reported).
    #[inline]
    pub fn pack(args: &[Arg<'_>]) -> Option<PackedArgs> {
        if args.len() > MAX_ARGS {
            return None;
        }
        // A `match` rather than `or_else`: the packed block is not moved once more.
        match Self::pack_common(args) {
            Some(packed) => Some(packed),
            None => Self::pack_any(args),
        }
    }

    /// Packs the arguments of a compiled message made of `pieces`: as [`pack`](Self::pack),
    /// and `None` also when a `*` width or precision they give is beyond
    /// [`MAX_FIELD_WIDTH`](crate::limits::MAX_FIELD_WIDTH), so that the message is merged
    /// at the call, where the error is reported (as for any conversion that would fail).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::message::{pieces, Arg, PackedArgs};
    ///
    /// let table = pieces("[%*d]");
    /// let (fits, too_wide, n) = (5_i64, 1_i64 << 40, 7_i64);
    /// assert!(PackedArgs::pack_message(&table, &[Arg::Integer(&fits), Arg::Decimal(&n)]).is_some());
    /// assert!(PackedArgs::pack_message(&table, &[Arg::Integer(&too_wide), Arg::Decimal(&n)]).is_none());
    /// ```
    #[inline]
    pub fn pack_message(pieces: &[Piece], args: &[Arg<'_>]) -> Option<PackedArgs> {
        if args.len() > MAX_ARGS {
            return None;
        }
        match Self::pack_common(args) {
            Some(packed) => Some(packed),
            // A `*` width is an integer argument, which only `pack_any` packs.
            None if widths_fit(pieces, args) => Self::pack_any(args),
            None => None,
        }
    }

    /// The common case, straight into the inline block: strings of up to 32 bytes and
    /// 64-bit integers (the same bytes [`pack_any`](Self::pack_any) writes for them).
    #[inline]
    fn pack_common(args: &[Arg<'_>]) -> Option<PackedArgs> {
        let mut bytes = [0; INLINE_BYTES];
        let mut at = 0;
        for arg in args {
            let (tag, number) = match *arg {
                Arg::Text(text) => {
                    let n = text.len();
                    let end = at + 3 + n;
                    if n > 32 || end > INLINE_BYTES {
                        return None;
                    }
                    let len = u16::try_from(n).ok()?.to_le_bytes();
                    bytes[at..at + 3].copy_from_slice(&[tag(Kind::Str, ty::TEXT), len[0], len[1]]);
                    // SAFETY: `at + 3 + n <= INLINE_BYTES` (checked above): the `n` bytes at
                    // `at + 3` are inside `bytes`, which `text` (the caller's) does not
                    // overlap; `n <= 32`.
                    #[allow(unsafe_code)]
                    unsafe {
                        copy_upto_32(bytes.as_mut_ptr().add(at + 3), text.as_bytes());
                    }
                    at = end;
                    continue;
                }
                Arg::Int(i) => (tag(Kind::Decimal, ty::I64), i.to_le_bytes()),
                Arg::UInt(u) => (tag(Kind::Decimal, ty::U64), u.to_le_bytes()),
                _ => return None,
            };
            let room = bytes.get_mut(at..at + 9)?;
            room[0] = tag;
            room[1..].copy_from_slice(&number);
            at += 9;
        }
        Some(PackedArgs {
            bytes: Bytes::Inline {
                bytes,
                len: u8::try_from(at).ok()?,
            },
        })
    }

    /// Any arguments, spilling to the heap past the inline block.
    #[inline(never)]
    fn pack_any(args: &[Arg<'_>]) -> Option<PackedArgs> {
        let mut bytes = Bytes::Inline {
            bytes: [0; INLINE_BYTES],
            len: 0,
        };
        for arg in args {
            match *arg {
                Arg::Str(v) => match v.pack_str() {
                    Packable::Scalar(s) => push_scalar(&mut bytes, Kind::Str, s),
                    Packable::Text(t) => push_text(&mut bytes, Kind::Str, ty::TEXT, t)?,
                    Packable::Opaque => {
                        push_rendered(&mut bytes, Kind::Str, ty::TEXT, |r| v.write_str_to_fmt(r))?;
                    }
                },
                Arg::Repr(v) => match v.pack_repr() {
                    Packable::Scalar(s) => push_scalar(&mut bytes, Kind::Repr, s),
                    Packable::Text(t) => push_text(&mut bytes, Kind::Repr, ty::TEXT, t)?,
                    Packable::Opaque => {
                        push_rendered(&mut bytes, Kind::Repr, ty::RENDERED, |r| {
                            v.write_repr_to_fmt(r)
                        })?;
                    }
                },
                Arg::Text(t) => push_text(&mut bytes, Kind::Str, ty::TEXT, t)?,
                Arg::Int(i) => push_scalar(&mut bytes, Kind::Decimal, Scalar::I64(i)),
                Arg::UInt(u) => push_scalar(&mut bytes, Kind::Decimal, Scalar::U64(u)),
                Arg::Decimal(v) => push_scalar(&mut bytes, Kind::Decimal, finite(v.scalar()?)?),
                Arg::Integer(v) => push_scalar(&mut bytes, Kind::Integer, v.scalar()?),
                Arg::Float(v) => push_scalar(&mut bytes, Kind::Float, v.scalar()?),
                Arg::Char(v) => push_scalar(&mut bytes, Kind::Char, code_point(v.scalar()?)?),
            }
        }
        Some(PackedArgs { bytes })
    }

    /// Calls `f` with the arguments, unpacked: each as the same type under the same
    /// conversion as at the call (a rendered value as its text).
    pub fn with_args<R>(&self, f: impl FnOnce(&[Arg<'_>]) -> R) -> R {
        let mut common = [Arg::Int(0); MAX_ARGS];
        if let Some(n) = decode_common(self.bytes.as_slice(), &mut common) {
            return f(&common[..n]);
        }
        let mut kinds = [Kind::Str; MAX_ARGS];
        let mut values = [Decoded::Text(""); MAX_ARGS];
        let n = decode(self.bytes.as_slice(), &mut kinds, &mut values);
        let mut args: [Arg<'_>; MAX_ARGS] = [Arg::Str(&""); MAX_ARGS];
        for ((arg, value), kind) in args.iter_mut().zip(&values).zip(kinds).take(n) {
            *arg = match (value, kind) {
                (Decoded::Text(t), Kind::Repr) => Arg::Repr(t),
                (Decoded::Text(t), Kind::Str) => Arg::Text(t),
                (Decoded::Text(t), _) => Arg::Str(t),
                (Decoded::Rendered(r), _) => Arg::Repr(r),
                (Decoded::Scalar(s), kind) => scalar_arg(s, kind),
            };
        }
        f(&args[..n])
    }
}

const fn tag(kind: Kind, ty: u8) -> u8 {
    (kind as u8) << 4 | ty
}

#[inline]
fn push_scalar(bytes: &mut Bytes, kind: Kind, s: Scalar) {
    // Each arm pushes a constant number of bytes, which compiles to plain stores.
    match s {
        Scalar::I64(v) => push_fixed(bytes, tag(kind, ty::I64), v.to_le_bytes()),
        Scalar::U64(v) => push_fixed(bytes, tag(kind, ty::U64), v.to_le_bytes()),
        Scalar::F64(v) => push_fixed(bytes, tag(kind, ty::F64), v.to_le_bytes()),
        Scalar::F32(v) => push_fixed(bytes, tag(kind, ty::F32), v.to_le_bytes()),
        Scalar::Char(v) => push_fixed(bytes, tag(kind, ty::CHAR), u32::from(v).to_le_bytes()),
        Scalar::Bool(v) => push_fixed(bytes, tag(kind, ty::BOOL), [u8::from(v)]),
    }
}

#[inline(always)]
fn push_fixed<const N: usize>(bytes: &mut Bytes, tag: u8, value: [u8; N]) {
    bytes.push(&[tag]);
    bytes.push(&value);
}

#[inline]
fn push_text(bytes: &mut Bytes, kind: Kind, ty: u8, text: &str) -> Option<()> {
    let len = u16::try_from(text.len()).ok()?.to_le_bytes();
    bytes.push(&[tag(kind, ty), len[0], len[1]]);
    bytes.push(text.as_bytes());
    Some(())
}

/// Appends the text `render` writes, after its length.
fn push_rendered(
    bytes: &mut Bytes,
    kind: Kind,
    ty: u8,
    render: impl FnOnce(&mut Render<'_>) -> fmt::Result,
) -> Option<()> {
    bytes.push(&[tag(kind, ty), 0, 0]);
    let start = bytes.len();
    render(&mut Render(bytes)).ok()?;
    let len = u16::try_from(bytes.len() - start).ok()?;
    bytes.patch(start - 2, len.to_le_bytes());
    Some(())
}

/// Reads back arguments that are all of the kinds [`PackedArgs::pack_common`] writes
/// (strings under `%s`, 64-bit integers under `%d`), straight into `args`; `None` when one is
/// of another kind.
#[inline]
fn decode_common<'a>(mut bytes: &'a [u8], args: &mut [Arg<'a>; MAX_ARGS]) -> Option<usize> {
    const TEXT: u8 = tag(Kind::Str, ty::TEXT);
    const I64: u8 = tag(Kind::Decimal, ty::I64);
    const U64: u8 = tag(Kind::Decimal, ty::U64);
    let mut n = 0;
    while let Some((&tag, rest)) = bytes.split_first() {
        let slot = args.get_mut(n)?;
        (*slot, bytes) = match tag {
            TEXT => {
                let (text, rest) = take_text(rest)?;
                (Arg::Text(text), rest)
            }
            I64 => {
                let (number, rest) = rest.split_first_chunk::<8>()?;
                (Arg::Int(i64::from_le_bytes(*number)), rest)
            }
            U64 => {
                let (number, rest) = rest.split_first_chunk::<8>()?;
                (Arg::UInt(u64::from_le_bytes(*number)), rest)
            }
            _ => return None,
        };
        n += 1;
    }
    Some(n)
}

/// Reads the arguments back; how many there are.
fn decode<'a>(
    mut bytes: &'a [u8],
    kinds: &mut [Kind; MAX_ARGS],
    values: &mut [Decoded<'a>; MAX_ARGS],
) -> usize {
    let mut n = 0;
    while let (Some((&tag, rest)), true) = (bytes.split_first(), n < MAX_ARGS) {
        let Some(&kind) = Kind::ALL.get(usize::from(tag >> 4)) else {
            break;
        };
        let (value, rest) = match tag & 0x0f {
            ty::I64 => take::<8>(rest, |b| Scalar::I64(i64::from_le_bytes(b))),
            ty::U64 => take::<8>(rest, |b| Scalar::U64(u64::from_le_bytes(b))),
            ty::F64 => take::<8>(rest, |b| Scalar::F64(f64::from_le_bytes(b))),
            ty::F32 => take::<4>(rest, |b| Scalar::F32(f32::from_le_bytes(b))),
            ty::CHAR => take::<4>(rest, |b| {
                Scalar::Char(char::from_u32(u32::from_le_bytes(b)).unwrap_or('\u{fffd}'))
            }),
            ty::BOOL => take::<1>(rest, |b| Scalar::Bool(b[0] != 0)),
            t @ (ty::TEXT | ty::RENDERED) => match take_text(rest) {
                Some((text, rest)) if t == ty::TEXT => (Some(Decoded::Text(text)), rest),
                Some((text, rest)) => (Some(Decoded::Rendered(Rendered(text))), rest),
                None => (None, rest),
            },
            _ => (None, rest),
        };
        let Some(value) = value else {
            break;
        };
        kinds[n] = kind;
        values[n] = value;
        n += 1;
        bytes = rest;
    }
    n
}

#[inline]
fn take<const N: usize>(
    bytes: &[u8],
    make: impl FnOnce([u8; N]) -> Scalar,
) -> (Option<Decoded<'_>>, &[u8]) {
    match bytes.split_first_chunk::<N>() {
        Some((head, rest)) => (Some(Decoded::Scalar(make(*head))), rest),
        None => (None, &[]),
    }
}

/// A string after its two-byte length.
#[inline]
#[allow(unsafe_code)]
fn take_text(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let (len, rest) = bytes.split_first_chunk::<2>()?;
    let (text, rest) = rest.split_at_checked(usize::from(u16::from_le_bytes(*len)))?;
    // SAFETY: `Bytes` only ever receives whole `&str`s after their length (`push_text`,
    // `push_rendered` through `fmt::Write::write_str`), and decoding walks the same tags and
    // lengths that encoding wrote, so `text` is exactly the bytes of strings: UTF-8.
    Some((unsafe { std::str::from_utf8_unchecked(text) }, rest))
}

/// A `%d` number that converts: a float must be finite (else the call merges and reports).
fn finite(s: Scalar) -> Option<Scalar> {
    match s {
        Scalar::F32(x) if !x.is_finite() => None,
        Scalar::F64(x) if !x.is_finite() => None,
        _ => Some(s),
    }
}

/// A `%c` code point that converts.
fn code_point(s: Scalar) -> Option<Scalar> {
    let valid = |n: u64| n <= 0x10_FFFF;
    match s {
        Scalar::I64(n) => u64::try_from(n).ok().filter(|&n| valid(n)).map(|_| s),
        Scalar::U64(n) => valid(n).then_some(s),
        Scalar::Char(_) | Scalar::Bool(_) => Some(s),
        Scalar::F32(_) | Scalar::F64(_) => None,
    }
}

/// The argument for a scalar under a conversion: the scalar's own type behind the
/// conversion's trait. The conversion is one the caller's value took, so its type implements
/// it; the other pairs cannot occur and print the value's `Display`.
fn scalar_arg(s: &Scalar, kind: Kind) -> Arg<'_> {
    macro_rules! each {
        ($s:expr, $v:ident => $e:expr) => {
            match $s {
                Scalar::I64($v) => $e,
                Scalar::U64($v) => $e,
                Scalar::F32($v) => $e,
                Scalar::F64($v) => $e,
                Scalar::Bool($v) => $e,
                Scalar::Char($v) => $e,
            }
        };
    }
    match (kind, s) {
        (Kind::Str, _) => each!(s, v => Arg::Str(v)),
        (Kind::Repr, _) => each!(s, v => Arg::Repr(v)),
        (Kind::Decimal, Scalar::I64(v)) => Arg::Int(*v),
        (Kind::Decimal, Scalar::U64(v)) => Arg::UInt(*v),
        (Kind::Decimal, Scalar::F32(v)) => Arg::Decimal(v),
        (Kind::Decimal, Scalar::F64(v)) => Arg::Decimal(v),
        (Kind::Decimal, Scalar::Bool(v)) => Arg::Decimal(v),
        (Kind::Integer, Scalar::I64(v)) => Arg::Integer(v),
        (Kind::Integer, Scalar::U64(v)) => Arg::Integer(v),
        (Kind::Integer, Scalar::Bool(v)) => Arg::Integer(v),
        (Kind::Float, Scalar::I64(v)) => Arg::Float(v),
        (Kind::Float, Scalar::U64(v)) => Arg::Float(v),
        (Kind::Float, Scalar::F32(v)) => Arg::Float(v),
        (Kind::Float, Scalar::F64(v)) => Arg::Float(v),
        (Kind::Float, Scalar::Bool(v)) => Arg::Float(v),
        (Kind::Char, Scalar::I64(v)) => Arg::Char(v),
        (Kind::Char, Scalar::U64(v)) => Arg::Char(v),
        (Kind::Char, Scalar::Char(v)) => Arg::Char(v),
        _ => each!(s, v => Arg::Str(v)),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::message::{Message, Piece, pieces};

    /// The compiled table of `template`, made once and kept for the life of the process in a
    /// static (so that a checker of leaks sees it is still reachable).
    fn table(template: &'static str) -> &'static [Piece] {
        static TABLES: Mutex<Vec<(&str, &[Piece])>> = Mutex::new(Vec::new());
        let mut tables = TABLES.lock().unwrap();
        if let Some(&(_, table)) = tables.iter().find(|(known, _)| *known == template) {
            return table;
        }
        let table: &'static [Piece] = Box::leak(pieces(template));
        tables.push((template, table));
        table
    }

    fn merged(template: &'static str, args: &[Arg<'_>]) -> (String, String) {
        let table = table(template);
        let mut direct = String::new();
        Message::compiled(template, table, args)
            .write(&mut direct)
            .unwrap();
        let packed = PackedArgs::pack(args).expect("packs");
        let later = packed.with_args(|a| {
            let mut out = String::new();
            Message::compiled(template, table, a)
                .write(&mut out)
                .unwrap();
            out
        });
        (direct, later)
    }

    #[test]
    fn every_primitive_merges_as_at_the_call() {
        let (a, b, c, d, e, f) = (-5_i8, 300_u16, 1.1_f32, 1e21_f64, true, 'é');
        let (g, h) = (u64::MAX, i128::from(i64::MIN));
        let s = String::from("owned");
        let cases: Vec<(&'static str, Vec<Arg<'_>>)> = vec![
            (
                "%s %s %s %s %s %s",
                vec![
                    Arg::Str(&a),
                    Arg::Str(&b),
                    Arg::Str(&c),
                    Arg::Str(&d),
                    Arg::Str(&e),
                    Arg::Str(&f),
                ],
            ),
            (
                "%r %r %r %r %r %r",
                vec![
                    Arg::Repr(&a),
                    Arg::Repr(&b),
                    Arg::Repr(&c),
                    Arg::Repr(&d),
                    Arg::Repr(&e),
                    Arg::Repr(&f),
                ],
            ),
            (
                "%d %i %u %d %d",
                vec![
                    Arg::Decimal(&a),
                    Arg::Decimal(&b),
                    Arg::Decimal(&c),
                    Arg::Decimal(&g),
                    Arg::Decimal(&h),
                ],
            ),
            (
                "%x %X %o %#x",
                vec![
                    Arg::Integer(&a),
                    Arg::Integer(&b),
                    Arg::Integer(&e),
                    Arg::Integer(&g),
                ],
            ),
            (
                "%f %e %g %.3G",
                vec![
                    Arg::Float(&a),
                    Arg::Float(&c),
                    Arg::Float(&d),
                    Arg::Float(&e),
                ],
            ),
            ("%c %c", vec![Arg::Char(&f), Arg::Char(&b)]),
            (
                "%-8s|%8r|%.2s|%a",
                vec![
                    Arg::Str(&s),
                    Arg::Repr(&"x'y"),
                    Arg::Str(&"abc"),
                    Arg::Repr(&"é"),
                ],
            ),
        ];
        for (template, args) in cases {
            let (direct, later) = merged(template, &args);
            assert_eq!(direct, later, "{template}");
        }
    }

    #[test]
    fn other_values_travel_as_their_text() {
        #[derive(Debug)]
        struct Point {
            x: i32,
        }
        impl fmt::Display for Point {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "<{}>", self.x)
            }
        }
        let p = Point { x: 3 };
        let (direct, later) = merged(
            "%s %r %10s %-12r %a|",
            &[
                Arg::Str(&p),
                Arg::Repr(&p),
                Arg::Str(&p),
                Arg::Repr(&p),
                Arg::Repr(&"é"),
            ],
        );
        assert_eq!(direct, later);
        assert_eq!(
            later,
            "<3> Point { x: 3 }        <3> Point { x: 3 } \"\\xe9\"|"
        );
    }

    #[test]
    fn long_text_spills_to_the_heap() {
        let long = "x".repeat(200);
        let short = "abc";
        let (direct, later) = merged(
            "%s %s %s",
            &[Arg::Str(&short), Arg::Str(&long), Arg::Str(&short)],
        );
        assert_eq!(direct, later);
    }

    /// `args` packed and unpacked, each described by its conversion and the text it writes.
    fn unpacked(args: &[Arg<'_>]) -> Option<Vec<String>> {
        let packed = PackedArgs::pack(args)?;
        Some(packed.with_args(|decoded| decoded.iter().map(describe).collect()))
    }

    fn describe(arg: &Arg<'_>) -> String {
        let mut text = String::new();
        let kind = match arg {
            Arg::Str(v) => {
                v.write_str_to(&mut text).unwrap();
                "str"
            }
            Arg::Repr(v) => {
                v.write_repr_to(&mut text).unwrap();
                "repr"
            }
            Arg::Text(t) => {
                text.push_str(t);
                "str"
            }
            Arg::Int(i) => return format!("%d {i}"),
            Arg::UInt(u) => return format!("%d {u}"),
            Arg::Decimal(_) | Arg::Integer(_) | Arg::Float(_) | Arg::Char(_) => {
                let (template, table): (&'static str, &'static [_]) = match arg {
                    Arg::Decimal(_) => ("%d", table("%d")),
                    Arg::Integer(_) => ("%x", table("%x")),
                    Arg::Float(_) => ("%f", table("%f")),
                    _ => ("%c", table("%c")),
                };
                Message::compiled(template, table, std::slice::from_ref(arg))
                    .write(&mut text)
                    .unwrap();
                return format!("{template} {text}");
            }
        };
        format!("{kind} {text}")
    }

    fn described(args: &[Arg<'_>]) -> Vec<String> {
        args.iter().map(describe).collect()
    }

    /// Every kind of argument comes back as it went in: the same kind, written the same.
    #[test]
    fn every_argument_kind_round_trips_through_the_packed_block() {
        let (i8v, u16v, i32v, u64v, i128v, usizev) = (-8_i8, 16_u16, -32_i32, u64::MAX, -5_i128, 7);
        let (f32v, f64v, boolv, charv) = (0.5_f32, -2.25_f64, true, 'é');
        let by_ref = &-64_i64;
        let owned = String::from("owned text");
        let borrowed: &str = &owned[..5];
        let cow = std::borrow::Cow::Borrowed(&owned[6..]);
        let point = std::path::Path::new("/tmp/x");
        let displayed = point.display();
        let args = [
            Arg::Str(&i8v),
            Arg::Str(&u16v),
            Arg::Str(&f32v),
            Arg::Str(&boolv),
            Arg::Str(&charv),
            Arg::Str(&by_ref),
            Arg::Str(&owned),
            Arg::Str(&borrowed),
        ];
        assert_eq!(unpacked(&args).unwrap(), described(&args));
        let args = [
            Arg::Repr(&i32v),
            Arg::Repr(&f64v),
            Arg::Repr(&charv),
            Arg::Repr(&borrowed),
            Arg::Repr(&cow),
            Arg::Str(&displayed),
            Arg::Repr(&point),
            Arg::Str(&cow),
        ];
        assert_eq!(unpacked(&args).unwrap(), described(&args));
        let args = [
            Arg::Decimal(&u64v),
            Arg::Decimal(&i128v),
            Arg::Decimal(&f64v),
            Arg::Integer(&usizev),
            Arg::Float(&f32v),
            Arg::Char(&charv),
            Arg::Int(i64::MIN),
            Arg::UInt(u64::MAX),
        ];
        assert_eq!(unpacked(&args).unwrap(), described(&args));
    }

    #[test]
    fn text_of_every_short_length_round_trips_inline_and_through_pack_any() {
        let source = "abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..=33 {
            // An allocation of exactly `n` bytes, so that reading past it is caught.
            let text: Box<str> = source[..n].into();
            let expected = describe(&Arg::Text(&text));
            // `Arg::Text` (the inline path up to 32 bytes) and `Arg::Str` of a `String`.
            assert_eq!(unpacked(&[Arg::Text(&text)]).unwrap(), [&*expected], "{n}");
            let owned = String::from(&*text);
            assert_eq!(unpacked(&[Arg::Str(&owned)]).unwrap(), [&*expected], "{n}");
            // After another argument, so the copy lands at an odd offset of the block.
            let both = [Arg::Int(1), Arg::Text(&text)];
            assert_eq!(unpacked(&both).unwrap()[1], expected, "{n}");
        }
    }

    #[test]
    fn text_up_to_the_length_limit_packs_and_longer_does_not() {
        let limit = usize::from(u16::MAX);
        let at_limit = "é".repeat(limit / 2) + "x";
        assert_eq!(at_limit.len(), limit);
        let packed = PackedArgs::pack(&[Arg::Text(&at_limit), Arg::Str(&at_limit)]).unwrap();
        packed.with_args(|args| {
            for arg in args {
                let Arg::Text(text) = arg else {
                    panic!("a string comes back as text")
                };
                assert!(*text == at_limit);
            }
        });
        let over = at_limit.clone() + "y";
        assert!(PackedArgs::pack(&[Arg::Text(&over)]).is_none());
        assert!(PackedArgs::pack(&[Arg::Str(&over)]).is_none());
        // A value's rendered text at the limit, and one byte over it.
        struct Long(usize);
        impl fmt::Display for Long {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&"z".repeat(self.0))
            }
        }
        let packed = PackedArgs::pack(&[Arg::Str(&Long(limit))]).unwrap();
        packed.with_args(|args| {
            let [Arg::Text(text)] = args else {
                panic!("rendered text comes back as text")
            };
            assert_eq!(text.len(), limit);
        });
        assert!(PackedArgs::pack(&[Arg::Str(&Long(limit + 1))]).is_none());
    }

    #[test]
    fn what_would_fail_is_not_packed() {
        let (nan, big, ok) = (f64::NAN, 0x11_0000_u32, 65_u32);
        assert!(PackedArgs::pack(&[Arg::Decimal(&nan)]).is_none());
        assert!(PackedArgs::pack(&[Arg::Char(&big)]).is_none());
        assert!(PackedArgs::pack(&[Arg::Char(&ok)]).is_some());
        let nine = [Arg::Str(&1); 9];
        assert!(PackedArgs::pack(&nine).is_none());
    }
}
