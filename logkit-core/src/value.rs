//! Dynamic values: the arguments of a runtime logging call and the user fields of a record.
//!
//! A [`Value`] behaves as the Python value it models would under `%` formatting: `%s` of
//! `None` prints `None`, `%d` of a string is `TypeError: %d format: a real number is
//! required, not str`, `%r` of a string quotes it. Values borrow where they can.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use crate::pyfmt::{self, ConvError, ConvErrorKind, Printf};
use crate::template::PercentConv;

/// A value that can fill a placeholder at run time.
///
/// # Examples
///
/// ```
/// use logkit::Value;
///
/// let args = [Value::from("alice"), Value::from(3), Value::None];
/// assert_eq!(args[2].to_string(), "None");
/// assert_eq!(Value::from(2.5).to_string(), "2.5");
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum Value<'a> {
    /// Python's `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// Any `Display` value: `%s` prints it; numeric conversions reject it.
    Display(&'a (dyn fmt::Display + Sync)),
    /// Any `Debug` value: `%s` and `%r` print its `Debug` form.
    Debug(&'a (dyn fmt::Debug + Sync)),
    /// A tuple, printed as Python prints one: `(1, 'a')`.
    Tuple(Arc<[Value<'a>]>),
    /// A list, printed as Python prints one: `[1, 'a']`. Unlike a tuple, a lone list
    /// argument is one value for `%s`, as in Python.
    List(Arc<[Value<'a>]>),
    /// A mapping, printed as Python prints a dict: `{'a': 1, 2: None}`; keys may be any
    /// value. As the only argument of a call it fills `%(name)s` placeholders from its
    /// string keys.
    Map(Arc<[(Value<'a>, Value<'a>)]>),
}

impl<'a> Value<'a> {
    /// Python's type name, for error messages (`str`, `int`, `NoneType`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Display(_) | Value::Debug(_) => "object",
            Value::Tuple(_) => "tuple",
            Value::List(_) => "list",
            Value::Map(_) => "dict",
        }
    }

    /// A copy that owns its data, for records that outlive the call.
    pub fn to_owned_value(&self) -> Value<'static> {
        match self {
            Value::None => Value::None,
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(i) => Value::Int(*i),
            Value::Float(f) => Value::Float(*f),
            Value::Str(s) => Value::Str(Cow::Owned(s.clone().into_owned())),
            Value::Display(d) => Value::Str(Cow::Owned(d.to_string())),
            Value::Debug(d) => Value::Str(Cow::Owned(format!("{d:?}"))),
            Value::Tuple(items) => Value::Tuple(items.iter().map(Value::to_owned_value).collect()),
            Value::List(items) => Value::List(items.iter().map(Value::to_owned_value).collect()),
            Value::Map(items) => Value::Map(
                items
                    .iter()
                    .map(|(k, v)| (k.to_owned_value(), v.to_owned_value()))
                    .collect(),
            ),
        }
    }

    /// Writes `str(value)`.
    pub fn write_str(&self, out: &mut String) {
        match self {
            Value::None => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(i) => out.push_str(itoa::Buffer::new().format(*i)),
            Value::Float(f) => pyfmt::float_repr(out, *f),
            Value::Str(s) => out.push_str(s),
            Value::Display(d) => {
                let _ = write!(out, "{d}");
            }
            Value::Debug(d) => {
                let _ = write!(out, "{d:?}");
            }
            Value::Tuple(_) | Value::List(_) | Value::Map(_) => self.write_repr(out),
        }
    }

    /// The value under the string key `key`, if this is a mapping that has it.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Value;
    ///
    /// let m = Value::map([("user", Value::from("alice")), ("n", Value::from(3))]);
    /// assert_eq!(m.get("user").map(|v| v.to_string()), Some("alice".to_owned()));
    /// assert!(m.get("nobody").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Map(items) => items
                .iter()
                .find(|(k, _)| matches!(k, Value::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A mapping with string keys, in the order given.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Value;
    ///
    /// let m = Value::map([("a", Value::from(1))]);
    /// assert_eq!(format!("{m:?}"), "{'a': 1}");
    /// ```
    pub fn map<K: Into<Cow<'a, str>>>(entries: impl IntoIterator<Item = (K, Value<'a>)>) -> Self {
        Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (Value::Str(k.into()), v))
                .collect(),
        )
    }

    /// Writes `repr(value)`.
    pub fn write_repr(&self, out: &mut String) {
        match self {
            Value::Str(s) => pyfmt::str_repr(out, s, false),
            Value::Tuple(items) => {
                out.push('(');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_repr(out);
                }
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Value::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_repr(out);
                }
                out.push(']');
            }
            Value::Map(items) => {
                out.push('{');
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_repr(out);
                    out.push_str(": ");
                    v.write_repr(out);
                }
                out.push('}');
            }
            other => other.write_str(out),
        }
    }

    /// Formats the value under one printf conversion, as Python's `%` operator.
    ///
    /// # Errors
    ///
    /// CPython's `TypeError`/`ValueError` for a conversion the value's type does not take.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Value;
    /// use logkit::pyfmt::Printf;
    /// use logkit::template::{PercentConv, PercentSpec, Flags, Count};
    ///
    /// let spec = Printf { flags: Flags::default(), width: 5, precision: None, conv: PercentConv::Decimal };
    /// let mut out = String::new();
    /// Value::from(42).write_percent(&mut out, &spec).unwrap();
    /// assert_eq!(out, "   42");
    /// let err = Value::from("x").write_percent(&mut out, &spec).unwrap_err();
    /// assert_eq!(err.to_string(), "%d format: a real number is required, not str");
    /// ```
    pub fn write_percent(&self, out: &mut String, spec: &Printf) -> Result<(), ConvError> {
        match (self, spec.conv) {
            (Value::Int(i), _) => pyfmt::int(out, *i, spec),
            (Value::Bool(b), conv) if conv.is_integer() || conv.is_float() => {
                pyfmt::int(out, i128::from(*b), spec)
            }
            (Value::Float(f), _) => pyfmt::float(out, *f, spec),
            (Value::Str(s), PercentConv::Char) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        pyfmt::char_(out, c, spec);
                        Ok(())
                    }
                    _ => Err(ConvError::new(
                        ConvErrorKind::TypeError,
                        "%c requires int or char".to_owned(),
                    )),
                }
            }
            (_, PercentConv::Str) => {
                let start = out.len();
                self.write_str(out);
                pyfmt::pad_in_place(out, start, spec);
                Ok(())
            }
            (_, PercentConv::Repr | PercentConv::Ascii) => {
                let start = out.len();
                self.write_repr(out);
                if spec.conv == PercentConv::Ascii {
                    pyfmt::ascii_escape(out, start);
                }
                pyfmt::pad_in_place(out, start, spec);
                Ok(())
            }
            (_, PercentConv::Char) => Err(ConvError::new(
                ConvErrorKind::TypeError,
                "%c requires int or char".to_owned(),
            )),
            (_, conv) => Err(type_error(conv, self.type_name())),
        }
    }

    /// The value as a width or precision for `*`, its magnitude (Python: `* wants int`).
    pub(crate) fn as_count(&self) -> Result<u128, ConvError> {
        match self {
            Value::Int(i) => Ok(i.unsigned_abs()),
            Value::Bool(b) => Ok(u128::from(*b)),
            _ => Err(ConvError::new(
                ConvErrorKind::TypeError,
                "* wants int".to_owned(),
            )),
        }
    }
}

/// CPython's `TypeError` for a conversion a value's type does not take.
pub(crate) fn type_error(conv: PercentConv, type_name: &str) -> ConvError {
    let message = if conv.is_float() {
        format!("must be real number, not {type_name}")
    } else if conv == PercentConv::Decimal {
        format!("%d format: a real number is required, not {type_name}")
    } else if conv == PercentConv::Char {
        "%c requires int or char".to_owned()
    } else {
        format!(
            "%{} format: an integer is required, not {type_name}",
            conv.as_char()
        )
    };
    ConvError::new(ConvErrorKind::TypeError, message)
}

/// A string value equals the string (a mapping's keys are compared with field names so).
impl PartialEq<str> for Value<'_> {
    fn eq(&self, other: &str) -> bool {
        matches!(self, Value::Str(s) if s == other)
    }
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_repr(&mut s);
        f.write_str(&s)
    }
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_str(&mut s);
        f.write_str(&s)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Str(Cow::Owned(s))
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(s: &'a String) -> Self {
        Value::Str(Cow::Borrowed(s))
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<f64> for Value<'_> {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<f32> for Value<'_> {
    fn from(f: f32) -> Self {
        Value::Float(f64::from(f))
    }
}

macro_rules! int_values {
    ($($t:ty)*) => {$(
        impl From<$t> for Value<'_> {
            fn from(i: $t) -> Self {
                Value::Int(i128::from(i))
            }
        }
    )*};
}
int_values!(i8 i16 i32 i64 i128 u8 u16 u32 u64);

impl From<usize> for Value<'_> {
    fn from(i: usize) -> Self {
        Value::Int(i128::try_from(i).unwrap_or(i128::MAX))
    }
}

impl From<isize> for Value<'_> {
    fn from(i: isize) -> Self {
        Value::Int(i128::try_from(i).unwrap_or(i128::MAX))
    }
}

impl<'a> From<Vec<Value<'a>>> for Value<'a> {
    /// A list.
    fn from(items: Vec<Value<'a>>) -> Self {
        Value::List(items.into())
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::None, Into::into)
    }
}
