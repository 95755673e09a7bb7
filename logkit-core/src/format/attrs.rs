//! Writing one field of a record template: a record attribute or a user field, under its
//! conversion spec, with CPython's type rules.
//!
//! String attributes are written straight into the output and then padded or truncated in
//! place; numbers go through the printf/`format()` engines of [`crate::pyfmt`].

use std::cell::RefCell;

use crate::pyfmt::{self, ConvError, ConvErrorKind, FormatSpec, Printf};
use crate::record::Record;
use crate::template::{
    Attr, AttrKind, BraceConversion, BraceSpec, Count, PercentConv, PercentSpec, Spec,
};
use crate::value::Value;

use super::FormatError;
use super::time::TimeFormat;

/// A field's conversion, resolved for writing.
///
/// # Examples
///
/// ```
/// use logkit::format::FieldSpec;
/// use logkit::template::{parse, Mode, Style};
///
/// let t = parse("%(levelname)-8s %(message)s", Mode::Record(Style::Percent)).unwrap();
/// let specs: Vec<_> = t.fields().map(|f| FieldSpec::new(&f.spec)).collect();
/// assert!(!specs[0].is_plain());
/// assert!(specs[1].is_plain());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum FieldSpec {
    /// `str(value)`: `%(x)s` with no flags, `{x}`, `$x`.
    Plain,
    /// A printf conversion.
    Percent(Printf),
    /// A `format()` spec, with an optional `!r`/`!s`/`!a` and widths taken from other fields.
    Brace {
        /// The spec.
        spec: FormatSpec,
        /// `!r`, `!s` or `!a`.
        conversion: Option<BraceConversion>,
        /// `{name:{w}}`: the field giving the width.
        width_from: Option<Box<str>>,
        /// `{name:.{p}}`: the field giving the precision.
        precision_from: Option<Box<str>>,
    },
}

impl FieldSpec {
    /// Resolves a parsed spec.
    pub fn new(spec: &Spec<'_>) -> Self {
        match spec {
            Spec::Dollar => FieldSpec::Plain,
            Spec::Percent(p) => Self::percent(p),
            Spec::Brace(b) => Self::brace(b),
        }
    }

    /// Resolves a printf spec (`Plain` for a bare `s`).
    pub fn percent(p: &PercentSpec) -> Self {
        if p.conv == PercentConv::Str && p.width == Count::Implied && p.precision == Count::Implied
        {
            FieldSpec::Plain
        } else {
            FieldSpec::Percent(Printf::new(p))
        }
    }

    /// A printf spec already resolved (`Plain` for a bare `s`).
    pub fn percent_from(p: Printf) -> Self {
        if p.conv == PercentConv::Str && p.width == 0 && p.precision.is_none() {
            FieldSpec::Plain
        } else {
            FieldSpec::Percent(p)
        }
    }

    /// Resolves a `format()` spec (`Plain` for an empty one).
    pub fn brace(b: &BraceSpec<'_>) -> Self {
        if b.raw.is_empty() && b.conversion.is_none() {
            return FieldSpec::Plain;
        }
        let name = |c: Count<'_>| match c {
            Count::Named(n) => Some(n.into()),
            _ => None,
        };
        FieldSpec::Brace {
            spec: FormatSpec::new(b),
            conversion: b.conversion,
            width_from: name(b.width),
            precision_from: name(b.precision),
        }
    }

    /// Whether the field prints the value as is.
    pub fn is_plain(&self) -> bool {
        matches!(self, FieldSpec::Plain)
    }
}

/// Writes a record attribute under `spec`.
///
/// # Errors
///
/// CPython's error for a conversion the attribute's type does not take, e.g.
/// `TypeError: %d format: a real number is required, not str` for `%(name)d`.
pub fn write_attr(
    record: &Record<'_>,
    attr: Attr,
    spec: &FieldSpec,
    time: &TimeFormat,
    out: &mut String,
) -> Result<(), FormatError> {
    let start = out.len();
    let result = match attr.kind() {
        AttrKind::Int => write_int(int_attr(record, attr), record, spec, out),
        AttrKind::Float => write_float(float_attr(record, attr), record, spec, out),
        AttrKind::Str => {
            write_str_attr(record, attr, time, out)?;
            finish_text(out, start, record, spec)
        }
        AttrKind::Object => {
            let value = object_attr(record, attr);
            write_value(&value, record, spec, out)
        }
    };
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Writes an attribute, or the value a filter put in its place (`record.levelname = ...` in
/// Python). `message` and `asctime` are always the record's own: CPython's `Formatter.format`
/// computes them afresh, over anything a filter set.
///
/// # Examples
///
/// ```
/// use logkit::format::{FieldSpec, write_attr_or_replacement};
/// use logkit::format::time::TimeFormat;
/// use logkit::template::Attr;
/// use logkit::{Level, Location, Message, Record, Value};
///
/// let mut record = Record::new("app", Level::INFO, Message::text("hi"), Location::new("a.rs", 1, "a"));
/// record.set_field("levelname", Value::from("NOTICE"));
/// record.set_field("message", Value::from("ignored"));
/// let (time, mut out) = (TimeFormat::default(), String::new());
/// for attr in [Attr::LevelName, Attr::Message] {
///     write_attr_or_replacement(&record, attr, &FieldSpec::Plain, &time, &mut out).unwrap();
/// }
/// assert_eq!(out, "NOTICEhi");
/// ```
///
/// # Errors
///
/// As [`write_attr`] and [`write_user_field`].
pub fn write_attr_or_replacement(
    record: &Record<'_>,
    attr: Attr,
    spec: &FieldSpec,
    time: &TimeFormat,
    out: &mut String,
) -> Result<(), FormatError> {
    if record.has_set_fields()
        && !matches!(attr, Attr::Message | Attr::Asctime)
        && record.field(attr.name()).is_some()
    {
        return write_user_field(record, attr.name(), "", spec, &[], out);
    }
    write_attr(record, attr, spec, time, out)
}

/// Writes a user field (from `extra`, a filter, or the formatter's `defaults`).
///
/// # Errors
///
/// `ValueError: Formatting field not found in record: 'name'` when neither the record nor
/// `defaults` has it, or a conversion error.
pub fn write_user_field(
    record: &Record<'_>,
    name: &str,
    path: &str,
    spec: &FieldSpec,
    defaults: &[(Box<str>, Value<'static>)],
    out: &mut String,
) -> Result<(), FormatError> {
    let found = record
        .field(name)
        .or_else(|| defaults.iter().find(|(k, _)| &**k == name).map(|(_, v)| v));
    let computed;
    let value = match found {
        Some(v) => v,
        None if name == "args" => {
            computed = args_value(record);
            &computed
        }
        // `{levelname[0]}`: an attribute indexed as CPython's `str.format` indexes it.
        None if !path.is_empty() && Attr::from_name(name).is_some() => {
            computed = attr_value(record, Attr::from_name(name).unwrap_or(Attr::Name))?;
            &computed
        }
        None => return Err(not_found(name, path)),
    };
    let indexed;
    let value = if path.is_empty() {
        value
    } else {
        indexed = index(value, path).map_err(|e| e.unwrap_or_else(|| not_found(name, path)))?;
        &indexed
    };
    let start = out.len();
    let result = write_value(value, record, spec, out);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Writes a field by name: an attribute if `name` is one, else a user field.
///
/// # Errors
///
/// As [`write_attr`] and [`write_user_field`].
pub fn write_field(
    record: &Record<'_>,
    name: &str,
    spec: &FieldSpec,
    time: &TimeFormat,
    defaults: &[(Box<str>, Value<'static>)],
    out: &mut String,
) -> Result<(), FormatError> {
    if record.field(name).is_none() {
        if let Some(attr) = Attr::from_name(name) {
            return write_attr(record, attr, spec, time, out);
        }
    }
    write_user_field(record, name, "", spec, defaults, out)
}

/// Appends the exception and stack text after the text written from `start`, each after a
/// newline unless the text already ends with one (CPython's `Formatter.format` steps 4-6).
#[inline]
pub fn append_exception_and_stack(record: &Record<'_>, out: &mut String, start: usize) {
    if !record.has_rare_parts() {
        return;
    }
    for text in [record.exc_text(), record.stack_info()]
        .into_iter()
        .flatten()
    {
        append_block(out, start, text);
    }
}

/// As [`append_exception_and_stack`], with a formatter's own renderings of the exception
/// (used when no formatter rendered it yet; then cached on the record) and of the stack.
pub(crate) fn append_exception_and_stack_with(
    record: &Record<'_>,
    out: &mut String,
    start: usize,
    format_exception: Option<&ExceptionHook>,
    format_stack: Option<&StackHook>,
) {
    if !record.has_rare_parts() {
        return;
    }
    let exc = match format_exception {
        Some(hook) => record.exc_text_with(|e| hook(e)),
        None => record.exc_text(),
    };
    if let Some(text) = exc {
        append_block(out, start, text);
    }
    if let Some(stack) = record.stack_info() {
        match format_stack {
            Some(hook) => append_block(out, start, &hook(stack)),
            None => append_block(out, start, stack),
        }
    }
}

/// A formatter's `formatException`: the text of an error.
pub(crate) type ExceptionHook = dyn Fn(&crate::record::ExcInfo<'_>) -> String + Send + Sync;

/// A formatter's `formatStack`: the text of a stack.
pub(crate) type StackHook = dyn Fn(&str) -> String + Send + Sync;

/// Appends `text` after a newline, unless the text written since `start` ends with one.
fn append_block(out: &mut String, start: usize, text: &str) {
    if !out[start..].ends_with('\n') {
        out.push('\n');
    }
    out.push_str(text);
}

fn not_found(name: &str, path: &str) -> ConvError {
    ConvError::new(
        ConvErrorKind::ValueError,
        format!("Formatting field not found in record: '{name}{path}'"),
    )
}

/// `value[0][key]…` for brace paths, with CPython's errors for an index out of range, a key
/// missing or a value that cannot be indexed (`None`: a path that does not parse);
/// attribute access (`.name`) is not supported.
fn index<'v>(value: &Value<'v>, mut path: &str) -> Result<Value<'v>, Option<ConvError>> {
    let mut value = value.clone();
    while let Some(rest) = path.strip_prefix('[') {
        let end = rest.find(']').ok_or(None)?;
        let key = &rest[..end];
        // As `str.format`: an index of digits is an integer, anything else a string key.
        let number = (!key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()))
            .then(|| key.parse::<usize>().unwrap_or(usize::MAX));
        value = match (&value, number) {
            (Value::Str(s), Some(i)) => match s.chars().nth(i) {
                Some(c) => Value::Str(c.to_string().into()),
                None => return Err(Some(index_error("string index out of range"))),
            },
            (Value::Str(_), None) => {
                return Err(Some(type_error(
                    "string indices must be integers, not 'str'",
                )));
            }
            (Value::Tuple(items), Some(i)) => match items.get(i) {
                Some(v) => v.clone(),
                None => return Err(Some(index_error("tuple index out of range"))),
            },
            (Value::Tuple(_), None) => {
                return Err(Some(type_error(
                    "tuple indices must be integers or slices, not str",
                )));
            }
            (Value::Map(items), _) => match items.iter().find(|(k, _)| k == key) {
                Some((_, v)) => v.clone(),
                None => {
                    let mut shown = String::new();
                    crate::pyfmt::str_repr(&mut shown, key, false);
                    return Err(Some(ConvError::new(ConvErrorKind::KeyError, shown)));
                }
            },
            (other, _) => {
                return Err(Some(type_error(&format!(
                    "'{}' object is not subscriptable",
                    other.type_name()
                ))));
            }
        };
        path = &rest[end + 1..];
    }
    if path.is_empty() {
        Ok(value)
    } else {
        Err(None)
    }
}

fn index_error(message: &str) -> ConvError {
    ConvError::new(ConvErrorKind::IndexError, message)
}

fn type_error(message: &str) -> ConvError {
    ConvError::new(ConvErrorKind::TypeError, message)
}

/// An attribute as the Python value it is (text attributes rendered with CPython's default
/// time format).
pub(crate) fn attr_value<'r>(record: &'r Record<'r>, attr: Attr) -> Result<Value<'r>, FormatError> {
    Ok(match attr.kind() {
        AttrKind::Int => Value::Int(int_attr(record, attr)),
        AttrKind::Float => Value::Float(float_attr(record, attr)),
        AttrKind::Str => {
            let mut text = String::new();
            write_str_attr(record, attr, &TimeFormat::default(), &mut text)?;
            Value::Str(text.into())
        }
        AttrKind::Object => object_attr(record, attr),
    })
}

fn int_attr(record: &Record<'_>, attr: Attr) -> i128 {
    match attr {
        Attr::LevelNo => i128::from(record.level().value()),
        Attr::LineNo => i128::from(record.location().line),
        Attr::Thread => record.with_thread_info(|t| i128::from(t.id)),
        _ => i128::from(record.process()),
    }
}

fn float_attr(record: &Record<'_>, attr: Attr) -> f64 {
    match attr {
        Attr::Created => record.created().as_secs_f64(),
        Attr::Msecs => record.created().msecs(),
        _ => record.relative_created(),
    }
}

fn object_attr<'r>(record: &'r Record<'r>, attr: Attr) -> Value<'r> {
    match attr {
        Attr::ExcText => record.exc_text().map_or(Value::None, Value::from),
        Attr::StackInfo => record.stack_info().map_or(Value::None, Value::from),
        Attr::ExcInfo => match record.exc_info() {
            Some(e) => Value::Str(format!("({}, {})", e.type_name, e.error).into()),
            None => Value::None,
        },
        _ => args_value(record),
    }
}

/// The record's `args`: `None` once a queue prepared it, as in CPython.
fn args_value<'r>(record: &'r Record<'r>) -> Value<'r> {
    record.message().python_args()
}

fn write_str_attr(
    record: &Record<'_>,
    attr: Attr,
    time: &TimeFormat,
    out: &mut String,
) -> Result<(), FormatError> {
    let loc = record.location();
    match attr {
        Attr::Name => super::push_text(out, record.name()),
        Attr::LevelName => super::push_text(out, &record.level_name()),
        Attr::Message => record.write_message(out)?,
        Attr::Asctime => time.write(record.created(), out),
        Attr::PathName => out.push_str(loc.file),
        Attr::FileName => out.push_str(loc.filename()),
        Attr::Module => out.push_str(loc.module()),
        Attr::FuncName => out.push_str(loc.func_name()),
        Attr::ThreadName => record.with_thread_info(|t| out.push_str(&t.name)),
        Attr::ProcessName => out.push_str("MainProcess"),
        _ => out.push_str(record.message().template()),
    }
    Ok(())
}

thread_local! {
    /// Scratch space for conversions that must see the whole text before writing it.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Applies `spec` to the text of a string attribute already written at `out[start..]`.
fn finish_text(
    out: &mut String,
    start: usize,
    record: &Record<'_>,
    spec: &FieldSpec,
) -> Result<(), FormatError> {
    match spec {
        FieldSpec::Plain => Ok(()),
        FieldSpec::Percent(p) => match p.conv {
            PercentConv::Str => {
                pyfmt::pad_in_place(out, start, p);
                Ok(())
            }
            PercentConv::Repr | PercentConv::Ascii => with_moved_text(out, start, |out, text| {
                let s = out.len();
                pyfmt::str_repr(out, text, p.conv == PercentConv::Ascii);
                pyfmt::pad_in_place(out, s, p);
                Ok(())
            }),
            PercentConv::Char => with_moved_text(out, start, |out, text| {
                let mut chars = text.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        pyfmt::char_(out, c, p);
                        Ok(())
                    }
                    _ => Err(ConvError::new(
                        ConvErrorKind::TypeError,
                        "%c requires int or char".to_owned(),
                    )),
                }
            }),
            conv => Err(crate::value::type_error(conv, "str")),
        },
        FieldSpec::Brace { .. } => with_moved_text(out, start, |out, text| {
            let value = Value::from(text);
            write_value(&value, record, spec, out)
        }),
    }
}

/// Moves `out[start..]` into scratch space and calls `f(out, text)` with `out` truncated.
fn with_moved_text(
    out: &mut String,
    start: usize,
    f: impl FnOnce(&mut String, &str) -> Result<(), FormatError>,
) -> Result<(), FormatError> {
    let mut scratch = SCRATCH
        .try_with(|s| std::mem::take(&mut *s.borrow_mut()))
        .unwrap_or_default();
    scratch.clear();
    scratch.push_str(&out[start..]);
    out.truncate(start);
    let result = f(out, &scratch);
    let _ = SCRATCH.try_with(|s| *s.borrow_mut() = scratch);
    result
}

fn write_int(
    v: i128,
    record: &Record<'_>,
    spec: &FieldSpec,
    out: &mut String,
) -> Result<(), FormatError> {
    match spec {
        FieldSpec::Plain => {
            match i64::try_from(v) {
                Ok(i) => super::push_i64(out, i),
                Err(_) => out.push_str(itoa::Buffer::new().format(v)),
            }
            Ok(())
        }
        FieldSpec::Percent(p) => pyfmt::int(out, v, p),
        FieldSpec::Brace { .. } => write_value(&Value::Int(v), record, spec, out),
    }
}

fn write_float(
    v: f64,
    record: &Record<'_>,
    spec: &FieldSpec,
    out: &mut String,
) -> Result<(), FormatError> {
    match spec {
        FieldSpec::Plain => {
            pyfmt::float_repr(out, v);
            Ok(())
        }
        FieldSpec::Percent(p) => pyfmt::float(out, v, p),
        FieldSpec::Brace { .. } => write_value(&Value::Float(v), record, spec, out),
    }
}

/// Writes a dynamic value under `spec`.
fn write_value(
    value: &Value<'_>,
    record: &Record<'_>,
    spec: &FieldSpec,
    out: &mut String,
) -> Result<(), FormatError> {
    match spec {
        FieldSpec::Plain => {
            value.write_str(out);
            Ok(())
        }
        FieldSpec::Percent(p) => value.write_percent(out, p),
        FieldSpec::Brace {
            spec,
            conversion,
            width_from,
            precision_from,
        } => {
            let mut spec = *spec;
            if let Some(name) = width_from {
                spec.width = nested_count(record, name)?;
            }
            if let Some(name) = precision_from {
                spec.precision = Some(nested_count(record, name)?);
            }
            let text_of = |out: &mut String, repr: bool, ascii: bool| {
                let start = out.len();
                if repr {
                    value.write_repr(out);
                } else {
                    value.write_str(out);
                }
                if ascii {
                    pyfmt::ascii_escape(out, start);
                }
                start
            };
            match (conversion, value) {
                (Some(c), _) => {
                    let start = text_of(
                        out,
                        *c != BraceConversion::Str,
                        *c == BraceConversion::Ascii,
                    );
                    with_moved_text(out, start, |out, text| pyfmt::format_str(out, text, &spec))
                }
                (None, Value::Int(i)) => pyfmt::format_int(out, *i, &spec),
                (None, Value::Bool(b)) if spec != FormatSpec::default() => {
                    if spec.ty == Some('s') {
                        return Err(ConvError::new(
                            ConvErrorKind::ValueError,
                            "Unknown format code 's' for object of type 'bool'",
                        ));
                    }
                    pyfmt::format_int(out, i128::from(*b), &spec)
                }
                (None, Value::Float(f)) => pyfmt::format_float(out, *f, &spec),
                (None, Value::Str(s)) => pyfmt::format_str(out, s, &spec),
                (None, Value::None) if spec != FormatSpec::default() => Err(ConvError::new(
                    ConvErrorKind::TypeError,
                    "unsupported format string passed to NoneType.__format__",
                )),
                (None, _) => {
                    let start = text_of(out, false, false);
                    with_moved_text(out, start, |out, text| pyfmt::format_str(out, text, &spec))
                }
            }
        }
    }
}

/// The integer value of a field named in a nested `{name}` width or precision, at most
/// [`MAX_FIELD_WIDTH`](crate::limits::MAX_FIELD_WIDTH).
fn nested_count(record: &Record<'_>, name: &str) -> Result<usize, FormatError> {
    let v = match record.field(name) {
        Some(Value::Int(i)) => *i,
        Some(_) => {
            return Err(ConvError::new(
                ConvErrorKind::ValueError,
                format!("Format specifier missing precision or width from '{name}'"),
            ));
        }
        None => match Attr::from_name(name) {
            Some(a) if a.kind() == AttrKind::Int => int_attr(record, a),
            _ => return Err(not_found(name, "")),
        },
    };
    let v = u128::try_from(v).map_err(|_| {
        ConvError::new(
            ConvErrorKind::ValueError,
            "Negative width or precision is not allowed".to_owned(),
        )
    })?;
    match usize::try_from(v) {
        Ok(n) if n <= crate::limits::MAX_FIELD_WIDTH => Ok(n),
        _ => Err(pyfmt::width_too_big(
            &format!("width or precision {{{name}}}"),
            &v,
        )),
    }
}
