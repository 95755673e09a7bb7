//! A record's message: the template and its arguments, merged only when a handler asks.
//!
//! Macro call sites carry their template's pieces (parsed once per call site; the macro
//! checked the template against the arguments while compiling) and typed arguments
//! ([`Message::compiled`]), so merging is a direct write with no parsing. Runtime callers
//! carry the template and [`Value`]s, merged with CPython's `%` rules (spec §9): no
//! arguments means no formatting, a lone non-empty mapping fills `%(name)s`, a lone tuple
//! is one value, and a mismatch is an error for the handler to report, never a panic.

mod arg;
mod packed;

use std::cell::OnceCell;
use std::fmt;
use std::sync::Arc;

pub use arg::{Arg, Number, Piece, PyChar, PyDecimal, PyFloat, PyInteger, PyRepr, PyStr, pieces};
pub use packed::{Packable, PackedArgs, Scalar};

use crate::pyfmt::{ConvError, ConvErrorKind, Printf, WidthBudget};
use crate::template::{self, Count, ErrorKind, Key, Mode, Spec};
use crate::value::Value;

/// The message of a record.
///
/// # Examples
///
/// ```
/// use logkit::{Message, Value};
///
/// let args = [Value::from("alice")];
/// let msg = Message::dynamic("user %s logged in", &args);
/// let mut out = String::new();
/// msg.write(&mut out).unwrap();
/// assert_eq!(out, "user alice logged in");
///
/// let mut out = String::new();
/// Message::text("100%% done").write(&mut out).unwrap();
/// assert_eq!(out, "100%% done"); // no arguments: printed as is, like Python
/// ```
#[derive(Clone, Copy)]
pub struct Message<'a>(Repr<'a>);

#[derive(Clone, Copy)]
enum Repr<'a> {
    Text(&'a str),
    Static(&'static str),
    Compiled {
        template: &'static str,
        pieces: &'static [Piece],
        args: &'a [Arg<'a>],
    },
    Dynamic {
        template: &'a str,
        args: &'a [Value<'a>],
    },
    Shared(&'a Arc<str>),
    /// Rust's `format_args!` output (a `log` record's), written when a handler asks; `text`
    /// keeps it once made for `%(msg)s`.
    Fmt {
        args: &'a fmt::Arguments<'a>,
        text: &'a OnceCell<String>,
    },
    /// Merged at the call for a queue (CPython's `QueueHandler.prepare`): `args` is `None`.
    PreparedText(&'a str),
    /// Merged later than at the call, as if at the call (a queue's listener): `%(msg)s`
    /// is the merged text and `args` is `None`, as CPython's `QueueHandler.prepare` leaves
    /// them.
    Prepared {
        pieces: &'static [Piece],
        args: &'a [Arg<'a>],
        merged: &'a OnceCell<String>,
    },
}

/// A message whose template is `'static`: what a queue can send without copying it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum StaticMessage<'a> {
    /// No arguments.
    Text,
    /// Compiled by the macros.
    Compiled {
        pieces: &'static [Piece],
        args: &'a [Arg<'a>],
    },
}

impl<'a> Message<'a> {
    /// A message with no arguments: printed exactly as written.
    pub const fn text(text: &'a str) -> Self {
        Message(Repr::Text(text))
    }

    /// A message with no arguments whose text is `'static` (as the macros pass it): a
    /// [`QueueHandler`](crate::QueueHandler) sends it without copying it.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Message;
    ///
    /// let mut out = String::new();
    /// Message::static_text("ready").write(&mut out).unwrap();
    /// assert_eq!(out, "ready");
    /// ```
    pub const fn static_text(text: &'static str) -> Self {
        Message(Repr::Static(text))
    }

    /// A compiled message whose arguments are merged later, on another thread, from their
    /// packed copies: written as the call would have written it; its template (`%(msg)s`)
    /// is the merged text, as for a record CPython's `QueueHandler` prepared.
    pub(crate) fn prepared(
        pieces: &'static [Piece],
        args: &'a [Arg<'a>],
        merged: &'a OnceCell<String>,
    ) -> Self {
        Message(Repr::Prepared {
            pieces,
            args,
            merged,
        })
    }

    /// A message merged at the call for a queue: its text, with `args` `None`, as CPython's
    /// `QueueHandler.prepare` leaves a record.
    pub(crate) fn prepared_text(text: &'a str) -> Self {
        Message(Repr::PreparedText(text))
    }

    /// The message's parts when they are `'static` (the arguments aside).
    #[inline]
    pub(crate) fn static_parts(&self) -> Option<StaticMessage<'a>> {
        match self.0 {
            Repr::Static(_) => Some(StaticMessage::Text),
            Repr::Compiled { pieces, args, .. } => Some(StaticMessage::Compiled { pieces, args }),
            _ => None,
        }
    }

    /// A message compiled by the macros: its template (for `%(msg)s`), its pieces and its
    /// arguments.
    pub const fn compiled(
        template: &'static str,
        pieces: &'static [Piece],
        args: &'a [Arg<'a>],
    ) -> Self {
        Message(Repr::Compiled {
            template,
            pieces,
            args,
        })
    }

    /// A template with run-time arguments, merged with Python's `%` rules.
    pub const fn dynamic(template: &'a str, args: &'a [Value<'a>]) -> Self {
        if args.is_empty() {
            Message(Repr::Text(template))
        } else {
            Message(Repr::Dynamic { template, args })
        }
    }

    /// A message formatted by Rust's `format_args!`, as the `log` facade gives it: written
    /// straight into a handler's output when the record is formatted (no copy is made);
    /// `text` keeps it once made as a string, for `%(msg)s`. `%` in it is not a placeholder.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cell::OnceCell;
    /// use logkit::Message;
    ///
    /// let text = OnceCell::new();
    /// let args = format_args!("{}% of {} done", 50, "disk");
    /// let message = Message::format_args(&args, &text);
    /// let mut out = String::new();
    /// message.write(&mut out).unwrap();
    /// assert_eq!(out, "50% of disk done");
    /// assert_eq!(message.template(), "50% of disk done");
    /// ```
    pub fn format_args(args: &'a fmt::Arguments<'a>, text: &'a OnceCell<String>) -> Self {
        match args.as_str() {
            Some(s) => Message(Repr::Static(s)),
            None => Message(Repr::Fmt { args, text }),
        }
    }

    /// An already merged message (a record prepared for a queue).
    pub fn shared(text: &'a Arc<str>) -> Self {
        Message(Repr::Shared(text))
    }

    /// Whether the message was prepared for a queue (CPython's `QueueHandler.prepare`): its
    /// text is final and the record's `args` are `None`.
    pub fn is_prepared(&self) -> bool {
        matches!(self.0, Repr::PreparedText(_) | Repr::Prepared { .. })
    }

    /// The template, unmerged (Python's `record.msg`).
    pub fn template(&self) -> &str {
        match self.0 {
            Repr::Text(t) | Repr::PreparedText(t) | Repr::Dynamic { template: t, .. } => t,
            Repr::Static(t) | Repr::Compiled { template: t, .. } => t,
            Repr::Shared(s) => s,
            Repr::Fmt { args, text } => text.get_or_init(|| args.to_string()),
            Repr::Prepared {
                pieces,
                args,
                merged,
            } => merged.get_or_init(|| {
                let mut text = String::new();
                let _ = arg::write(&mut text, pieces, args);
                text
            }),
        }
    }

    /// The run-time arguments, if the message has any.
    pub fn args(&self) -> &'a [Value<'a>] {
        match self.0 {
            Repr::Dynamic { args, .. } => args,
            _ => &[],
        }
    }

    /// `record.args` as CPython holds it: the argument tuple, or the mapping when the one
    /// argument is a non-empty mapping; `None` once a queue prepared the message. A macro
    /// call's typed arguments are given as the Python values they stand for.
    pub fn python_args(&self) -> Value<'a> {
        let tuple = |args: &[Value<'a>]| match args {
            [m @ Value::Map(items)] if !items.is_empty() => m.clone(),
            _ => Value::Tuple(args.into()),
        };
        match self.0 {
            Repr::Dynamic { args, .. } => tuple(args),
            Repr::Compiled { template, args, .. } => tuple(&arg::python_args(template, args)),
            Repr::Text(_) | Repr::Static(_) | Repr::Shared(_) | Repr::Fmt { .. } => {
                Value::Tuple(Arc::from([]))
            }
            Repr::PreparedText(_) | Repr::Prepared { .. } => Value::None,
        }
    }

    /// Writes `repr(record.args)`: the argument tuple (or mapping) as Python prints it.
    pub fn write_args_repr(&self, out: &mut String) {
        self.python_args().write_repr(out);
    }

    /// Writes the merged message.
    ///
    /// # Errors
    ///
    /// The `TypeError`/`ValueError` CPython raises for a template that does not match its
    /// arguments, or an error from a value's `Display`.
    #[inline]
    pub fn write(&self, out: &mut String) -> Result<(), ConvError> {
        self.write_inline(out)
    }

    /// [`write`](Self::write), always inlined: for the run-time formatter's plain loop,
    /// where the compiler would otherwise leave it a call.
    #[inline(always)]
    pub(crate) fn write_inline(&self, out: &mut String) -> Result<(), ConvError> {
        match self.0 {
            Repr::Text(t) | Repr::Static(t) | Repr::PreparedText(t) => {
                crate::format::push_text(out, t);
                Ok(())
            }
            Repr::Shared(s) => {
                out.push_str(s);
                Ok(())
            }
            Repr::Fmt { args, text } => match text.get() {
                Some(t) => {
                    out.push_str(t);
                    Ok(())
                }
                None => write_fmt(out, *args),
            },
            Repr::Compiled { pieces, args, .. } | Repr::Prepared { pieces, args, .. } => {
                arg::write(out, pieces, args)
            }
            Repr::Dynamic { template, args } => merge(out, template, args),
        }
    }
}

impl Message<'_> {
    /// Writes `template % args` for a template that replaced this message's (a filter's
    /// `record.msg = ...`), with this message's arguments, as CPython's `getMessage` does.
    /// Without arguments (or prepared for a queue, where `args` is `None`) the template is
    /// written as is.
    ///
    /// # Errors
    ///
    /// As [`write`](Self::write), for the new template.
    pub(crate) fn write_with_template(
        &self,
        template: &str,
        out: &mut String,
    ) -> Result<(), ConvError> {
        match self.0 {
            Repr::Dynamic { args, .. } => merge(out, template, args),
            Repr::Compiled {
                template: compiled,
                args,
                ..
            } if !args.is_empty() => merge(out, template, &arg::python_args(compiled, args)),
            _ => {
                crate::format::push_text(out, template);
                Ok(())
            }
        }
    }
}

/// Writes Rust-formatted text; a `Display` or `Debug` implementation that fails is an error
/// for the handler to report (`fmt::Error` says nothing more).
fn write_fmt(out: &mut String, args: fmt::Arguments<'_>) -> Result<(), ConvError> {
    use fmt::Write as _;
    out.write_fmt(args).map_err(|fmt::Error| {
        ConvError::new(
            ConvErrorKind::ValueError,
            "a Display or Debug implementation in the message returned an error",
        )
    })
}

/// Writes `template % args` for arguments a filter set (`record.args = ...`): a tuple is the
/// argument tuple, any other value the one argument (a mapping fills `%(name)s`), and a
/// false value (`None`, `()`, `{}`, `0`, `''`) means no formatting, as CPython's `getMessage`
/// (`if self.args:`).
///
/// # Errors
///
/// When the template does not match the arguments.
pub(crate) fn write_with_args(
    out: &mut String,
    template: &str,
    args: &Value<'_>,
) -> Result<(), ConvError> {
    let truthy = match args {
        Value::None | Value::Bool(false) | Value::Int(0) => false,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Tuple(items) => !items.is_empty(),
        Value::Map(items) => !items.is_empty(),
        _ => true,
    };
    match args {
        _ if !truthy => {
            crate::format::push_text(out, template);
            Ok(())
        }
        Value::Tuple(items) => merge(out, template, items),
        other => merge(out, template, std::slice::from_ref(other)),
    }
}

/// The merged message (`record.getMessage()`); a template that does not fit its arguments
/// prints as written (the handlers report that error instead).
///
/// # Examples
///
/// ```
/// use logkit::{Message, Value};
///
/// let args = [Value::from("alice")];
/// assert_eq!(Message::dynamic("user %s logged in", &args).to_string(), "user alice logged in");
/// assert_eq!(Message::dynamic("%d", &args).to_string(), "%d");
/// ```
impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        match self.write(&mut text) {
            Ok(()) => f.write_str(&text),
            Err(_) => f.write_str(self.template()),
        }
    }
}

impl fmt::Debug for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Message").field(&self.template()).finish()
    }
}

/// `template % args` with CPython's rules; `args` is never empty here.
#[inline(never)]
fn merge(out: &mut String, template: &str, args: &[Value<'_>]) -> Result<(), ConvError> {
    let mapping = match args {
        [Value::Map(items)] if !items.is_empty() => Some(&**items),
        _ => None,
    };
    let parsed = template::parse(template, Mode::Message)
        .map_err(|e| python_error(template, &e, mapping.is_some()))?;
    let mut next = 0;
    let mut budget = WidthBudget::default();
    let mut take = || -> Result<&Value<'_>, ConvError> {
        let v = args.get(next).ok_or_else(|| {
            ConvError::new(
                ConvErrorKind::TypeError,
                "not enough arguments for format string".to_owned(),
            )
        })?;
        next += 1;
        Ok(v)
    };
    for piece in &parsed.pieces {
        let field = match piece {
            template::Piece::Literal(s) => {
                out.push_str(s);
                continue;
            }
            template::Piece::Field(f) => f,
        };
        let Spec::Percent(spec) = field.spec else {
            unreachable!("message templates are percent-style")
        };
        let mut printf = Printf::new(&spec);
        budget.take(printf.width, "width")?;
        budget.take(printf.precision.unwrap_or(0), "precision")?;
        if spec.width == Count::Star {
            let w = take()?;
            let n = w.as_count()?;
            if matches!(w, Value::Int(i) if *i < 0) {
                printf.flags.left = true;
            }
            printf.width = budget.take_wide(n, "* width")?;
        }
        if spec.precision == Count::Star {
            let p = take()?;
            printf.precision = if matches!(p, Value::Int(i) if *i < 0) {
                None
            } else {
                Some(budget.take_wide(p.as_count()?, "* precision")?)
            };
        }
        let value = match field.key {
            Key::Next => take()?,
            Key::Name(name) | Key::Path(name, _) => {
                let Some(items) = mapping else {
                    return Err(ConvError::new(
                        ConvErrorKind::TypeError,
                        "format requires a mapping".to_owned(),
                    ));
                };
                items
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v)
                    .ok_or_else(|| ConvError::new(ConvErrorKind::KeyError, format!("'{name}'")))?
            }
        };
        value.write_percent(out, &printf)?;
    }
    if mapping.is_none() && next < args.len() {
        return Err(ConvError::new(
            ConvErrorKind::TypeError,
            "not all arguments converted during string formatting".to_owned(),
        ));
    }
    Ok(())
}

/// The exception CPython raises for a template the `%` operator cannot parse.
fn python_error(template: &str, e: &template::Error, mapping: bool) -> ConvError {
    match &e.kind {
        ErrorKind::UnsupportedConversion(c) => {
            // The index of the offending character itself.
            let at = template[..e.span.end - c.len_utf8()].chars().count();
            ConvError::new(
                ConvErrorKind::ValueError,
                format!(
                    "unsupported format character '{}' (0x{:x}) at index {at}",
                    c,
                    u32::from(*c)
                ),
            )
        }
        ErrorKind::IncompleteKey => ConvError::new(
            ConvErrorKind::ValueError,
            "incomplete format key".to_owned(),
        ),
        ErrorKind::MixedKeys if !mapping => ConvError::new(
            ConvErrorKind::TypeError,
            "format requires a mapping".to_owned(),
        ),
        ErrorKind::MixedKeys => ConvError::new(
            ConvErrorKind::TypeError,
            "not enough arguments for format string".to_owned(),
        ),
        ErrorKind::WidthTooLarge => ConvError::new(ConvErrorKind::ValueError, e.to_string()),
        _ => ConvError::new(ConvErrorKind::ValueError, "incomplete format".to_owned()),
    }
}
