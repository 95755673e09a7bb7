//! WARNING: not public API; used by logkit's macros; may change in any release.
//!
//! Everything a macro expansion names lives here, reached as `$crate::__private::…`, so
//! expansions work under `#![no_implicit_prelude]`, with shadowed std macros, and with a
//! renamed `logkit` dependency.

pub mod conv;

pub use core::{file, format_args, line, module_path};
pub use logkit_core::message::{Arg, Piece};
pub use logkit_core::pyfmt::{ConvError, Printf};
pub use logkit_macros::{formatter_impl, log_impl};
pub use std::backtrace::Backtrace;

use std::borrow::Cow;

use crate::{ExcInfo, Level, Location, Logger, LoggerAdapter, Record, Value};

/// Items `formatter!` expansions use.
pub mod fmt {
    pub use logkit_core::format::ColorScheme;
    pub use logkit_core::format::time::TimeFormat;
    pub use logkit_core::format::{
        FieldSpec, append_exception_and_stack, escape_controls, push_text, write_attr,
        write_attr_or_replacement, write_user_field,
    };
    pub use logkit_core::template;
    pub use logkit_core::template::Attr;

    /// The time format, in UTC if `utc`.
    pub fn utc(time: TimeFormat, utc: bool) -> TimeFormat {
        if utc {
            time.with_converter(logkit_core::clock::Converter::Utc)
        } else {
            time
        }
    }
}

pub use logkit_core::{Callsite, Source};

/// What logkit's tests read to check that a change of the tree costs what it affects.
pub use logkit_core::{TreeWork, tree_work};

/// What call sites find when their module declares no logger.
pub const FALLBACK: Source = Source::CallSite;

/// The path of `T` (a unit struct a call site declares, so the path ends with the enclosing
/// function's name). Taken as `type_name::<T>`, a `fn() -> &'static str`.
pub use core::any::type_name;

/// The function name of a call site that has none (without the `function-names` feature).
pub fn no_function() -> &'static str {
    ""
}

/// A printf spec from the macro's encoding: flag bits `- 0 + space #`, width (0 = none),
/// precision (-1 = none), conversion character.
pub const fn spec(flags: u8, width: usize, precision: i64, conv: char) -> Printf {
    use logkit_core::template::{Flags, PercentConv};
    let conv = match conv {
        'd' => PercentConv::Decimal,
        'o' => PercentConv::Octal,
        'x' => PercentConv::HexLower,
        'X' => PercentConv::HexUpper,
        'e' => PercentConv::ExpLower,
        'E' => PercentConv::ExpUpper,
        'f' => PercentConv::FixedLower,
        'F' => PercentConv::FixedUpper,
        'g' => PercentConv::GeneralLower,
        'G' => PercentConv::GeneralUpper,
        'c' => PercentConv::Char,
        'r' => PercentConv::Repr,
        'a' => PercentConv::Ascii,
        _ => PercentConv::Str,
    };
    Printf {
        flags: Flags {
            left: flags & 1 != 0,
            zero: flags & 2 != 0,
            plus: flags & 4 != 0,
            space: flags & 8 != 0,
            alternate: flags & 16 != 0,
        },
        width,
        precision: if precision < 0 {
            None
        } else {
            Some(precision as usize)
        },
        conv,
    }
}

/// Logs through the call site's logger: the common call, with no fields and no error.
/// (Split from the macro so call sites stay small; its arguments are the cheapest to
/// compile.)
#[inline(never)]
pub fn log(callsite: &'static Callsite, level: Level, args: &[Arg<'_>]) {
    callsite.logger().handle_call(callsite, level, args);
}

/// Logs through `logger`, with fields.
#[inline(never)]
pub fn log_full(
    callsite: &'static Callsite,
    logger: Logger,
    level: Level,
    args: &[Arg<'_>],
    fields: &[(&str, Value<'_>)],
    context: Context<'_>,
) {
    if fields.is_empty() && context.is_empty() {
        logger.handle_call(callsite, level, args);
        return;
    }
    logger.handle(&mut call_record(
        callsite, logger, level, args, fields, context, None,
    ));
}

/// What a call adds with CPython's keyword arguments: an error (`exc_info`), the stack
/// (`stack_info`), the caller's location (`stacklevel = 2`).
#[derive(Debug)]
pub struct Extras<'a> {
    /// The error, with the backtrace captured at the call.
    pub exc: Option<ExcInfo<'a>>,
    /// Whether to append the stack.
    pub stack_info: bool,
    /// The location to report instead of the call's.
    pub location: Option<Location<'static>>,
}

/// As [`log_full`], with [`Extras`].
#[inline(never)]
pub fn log_extras(
    callsite: &'static Callsite,
    logger: Logger,
    level: Level,
    args: &[Arg<'_>],
    fields: &[(&str, Value<'_>)],
    context: Context<'_>,
    extras: Extras<'_>,
) {
    // The caller's file and line; its function is not known.
    let location = extras.location.map(|caller| Location {
        module_path: callsite.module_path(),
        ..caller
    });
    let mut record = call_record(callsite, logger, level, args, fields, context, location);
    if let Some(exc) = extras.exc {
        record = record.with_exc_info(exc);
    }
    if extras.stack_info {
        record = record.with_stack_info(logkit_core::stack_text());
    }
    logger.handle(&mut record);
}

/// The value of `stack_info = expr`.
#[inline(always)]
pub fn to_bool(on: bool) -> bool {
    on
}

/// The record of a call at `callsite` through `logger`, made now, with its fields, at
/// the call site's location or `location` (its caller's).
fn call_record<'a>(
    callsite: &'static Callsite,
    logger: Logger,
    level: Level,
    args: &'a [Arg<'a>],
    fields: &'a [(&'a str, Value<'a>)],
    context: Context<'a>,
    location: Option<Location<'static>>,
) -> Record<'a> {
    let record = match location {
        None => Record::of_call(callsite, logger.name(), level, args),
        Some(location) => Record::new(logger.name(), level, callsite.message(args), location),
    };
    let mut record = record.with_fields(fields).with_context(context.fields);
    if let Some(process) = context.process {
        logkit_core::apply_process(process, callsite.template(), context.fields, &mut record);
    }
    record
}

/// What `info!(logger, …)` accepts as a logger.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a logger",
    label = "the first argument before the message names the logger",
    note = "pass a `logkit::Logger` (from `logkit::get_logger(\"name\")`) or a `logkit::LoggerAdapter`; the message must be a string literal"
)]
pub trait AsLogger {
    /// The logger.
    fn as_logger(&self) -> Logger;

    /// Fields added to every record, and what is done to each message (a
    /// `LoggerAdapter`'s).
    fn context(&self) -> Context<'_> {
        Context::NONE
    }
}

/// A `LoggerAdapter`'s fields, as records carry them, and its `process`.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The fields.
    pub fields: &'a [(Cow<'static, str>, Value<'static>)],
    /// What is done to each message, if anything.
    pub process: Option<&'a logkit_core::AdapterProcess>,
}

impl Context<'_> {
    /// No fields, no `process` (a plain logger's).
    pub const NONE: Context<'static> = Context {
        fields: &[],
        process: None,
    };

    /// Whether there are no fields and no `process`.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.process.is_none()
    }
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("fields", &self.fields)
            .field("process", &self.process.is_some())
            .finish()
    }
}

impl AsLogger for Logger {
    fn as_logger(&self) -> Logger {
        *self
    }
}

impl AsLogger for LoggerAdapter {
    fn as_logger(&self) -> Logger {
        self.logger()
    }

    fn context(&self) -> Context<'_> {
        Context {
            fields: LoggerAdapter::context(self),
            process: self.process(),
        }
    }
}

impl<T: AsLogger + ?Sized> AsLogger for &T {
    fn as_logger(&self) -> Logger {
        (**self).as_logger()
    }

    fn context(&self) -> Context<'_> {
        (**self).context()
    }
}

/// The logger of `info!(logger, …)` and the fields it adds.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    /// The logger.
    pub logger: Logger,
    /// Its context fields.
    pub context: Context<'a>,
}

/// The logger of `info!(logger, …)`.
#[inline(always)]
pub fn to_logger<T: AsLogger + ?Sized>(logger: &T) -> Target<'_> {
    Target {
        logger: logger.as_logger(),
        context: logger.context(),
    }
}

/// The level of `log!(expr, …)`.
#[inline(always)]
pub fn to_level<L: Into<Level>>(level: L) -> Level {
    level.into()
}

/// A user field's value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a record field",
    label = "a field's value must be a string, number, bool or Option of one",
    note = "wrap other values with `logkit::display(&value)` or `logkit::debug(&value)`"
)]
pub trait ToValue {
    /// The value.
    fn to_value(&self) -> Value<'_>;
}

/// The value of a `; name = expr` field.
#[inline]
pub fn to_value<T: ToValue + ?Sized>(value: &T) -> Value<'_> {
    value.to_value()
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::from(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::from(self.as_str())
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Bool(*self)
    }
}

impl ToValue for char {
    fn to_value(&self) -> Value<'_> {
        Value::Str(self.to_string().into())
    }
}

macro_rules! to_value_via_from {
    ($($t:ty)*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                Value::from(*self)
            }
        }
    )*};
}
to_value_via_from!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 usize f32 f64);

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::None, ToValue::to_value)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl ToValue for Value<'_> {
    fn to_value(&self) -> Value<'_> {
        self.clone()
    }
}

impl ToValue for crate::DisplayValue<'_> {
    fn to_value(&self) -> Value<'_> {
        Value::Display(self.0)
    }
}

impl ToValue for crate::DebugValue<'_> {
    fn to_value(&self) -> Value<'_> {
        Value::Debug(self.0)
    }
}

/// An error for `exception!`, found by auto-deref: an error value, a reference to one, a
/// `Box<dyn Error>`, an `anyhow::Error`.
pub trait AsExc {
    /// The error as exception info.
    fn __logkit_as_exc(&self) -> ExcInfo<'_>;
}

impl<E: std::error::Error> AsExc for E {
    fn __logkit_as_exc(&self) -> ExcInfo<'_> {
        ExcInfo::new(self)
    }
}

impl AsExc for dyn std::error::Error + '_ {
    fn __logkit_as_exc(&self) -> ExcInfo<'_> {
        ExcInfo::from_dyn(self)
    }
}

impl AsExc for dyn std::error::Error + Send + Sync + '_ {
    fn __logkit_as_exc(&self) -> ExcInfo<'_> {
        ExcInfo::from_dyn(self)
    }
}
