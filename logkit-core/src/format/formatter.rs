//! The run-time formatter: a record template parsed once, interpreted per record.

use std::fmt;
use std::sync::Arc;

use crate::clock::Converter;
use crate::record::Record;
use crate::template::{self, Attr, ColorAttr, Key, Mode, Piece, Style};
use crate::value::Value;

use super::attrs::{
    ExceptionHook, FieldSpec, StackHook, append_exception_and_stack_with,
    write_attr_or_replacement, write_user_field,
};
use super::color::{Color, ColorScheme, LogColors};
use super::time::TimeFormat;
use super::{Escaping, Format, FormatError, escape_controls, push_text};

/// A formatter built at run time from a template (Python's `logging.Formatter`).
///
/// # Examples
///
/// ```
/// use logkit::{Format, Formatter, Level, Location, Message, Record};
///
/// let f = Formatter::new("%(levelname)-8s|%(name)s|%(message)s").unwrap();
/// let record = Record::new("app", Level::INFO, Message::text("ready"), Location::new("src/main.rs", 1, "app"));
/// let mut out = String::new();
/// f.format(&record, &mut out).unwrap();
/// assert_eq!(out, "INFO    |app|ready");
///
/// let err = Formatter::new("%(asctime)s %(levelname)Z").unwrap_err();
/// assert!(err.to_string().contains("`%(levelname)Z`"));
/// ```
#[derive(Clone)]
pub struct Formatter {
    source: Box<str>,
    style: Style,
    ops: Box<[Op]>,
    time: TimeFormat,
    defaults: Box<[(Box<str>, Value<'static>)]>,
    /// How colour attributes are written, when the template names one.
    colors: Option<Box<ColorScheme>>,
    /// Whether control characters in fields are escaped.
    escaping: Escaping,
    /// The ops again, when each is literal text or a [`Op::Direct`] attribute and nothing
    /// is coloured or escaped (what `formatter!` compiles to straight-line code): written by
    /// [`format_plain`](Formatter::format_plain).
    plain: Option<Box<[PlainOp]>>,
    /// `formatException` and `formatStack`, if replaced.
    hooks: RenderHooks,
}

/// A formatter's replacements of `formatException` and `formatStack`.
#[derive(Clone, Default)]
struct RenderHooks {
    exception: Option<Arc<ExceptionHook>>,
    stack: Option<Arc<StackHook>>,
}

impl fmt::Debug for RenderHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderHooks")
            .field("exception", &self.exception.is_some())
            .field("stack", &self.stack.is_some())
            .finish()
    }
}

/// An op of a plain template (see [`Formatter::plain`]): a small enum with a plain tag, so
/// that the loop over them branches once per op.
#[derive(Clone, Debug)]
enum PlainOp {
    Literal(Box<str>),
    Name,
    LevelName,
    Asctime,
    Message,
}

#[derive(Clone, Debug)]
enum Op {
    /// `%(log_color)s`: the escape of the record's level, when colours are on.
    LogColor,
    /// A named escape (`%(red)s`, `%(reset)s`), when colours are on.
    Escape(Box<str>),
    Literal(Box<str>),
    /// A plain `name`, `levelname`, `message` or `asctime` (no conversion, width or
    /// precision): written directly, as `formatter!` writes it.
    Direct(Attr),
    Attr(Attr, FieldSpec),
    User {
        name: Box<str>,
        path: Box<str>,
        spec: FieldSpec,
    },
}

impl Formatter {
    /// A `%`-style formatter for `template`.
    ///
    /// # Errors
    ///
    /// A template that does not parse.
    pub fn new(template: &str) -> Result<Self, template::Error> {
        Formatter::builder().template(template).build()
    }

    /// A formatter in the given style.
    ///
    /// # Errors
    ///
    /// A template that does not parse.
    pub fn with_style(template: &str, style: Style) -> Result<Self, template::Error> {
        Formatter::builder().template(template).style(style).build()
    }

    /// Configures a formatter: template, style, `datefmt`, UTC, defaults.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Formatter;
    /// use logkit::template::Style;
    ///
    /// let f = Formatter::builder()
    ///     .template("{asctime} {levelname:<8} {message}")
    ///     .style(Style::Brace)
    ///     .datefmt("%H:%M:%S")
    ///     .utc(true)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(f.datefmt(), Some("%H:%M:%S"));
    /// ```
    pub fn builder() -> FormatterBuilder {
        FormatterBuilder::default()
    }

    /// The template.
    pub fn template(&self) -> &str {
        &self.source
    }

    /// The style.
    pub fn style(&self) -> Style {
        self.style
    }

    /// The date format, if any.
    pub fn datefmt(&self) -> Option<&str> {
        self.time.datefmt()
    }

    /// How `asctime` is rendered.
    pub fn time_format(&self) -> &TimeFormat {
        &self.time
    }

    /// Which characters of the fields are escaped ([`Escaping::None`] unless the builder
    /// was given [`escape`](FormatterBuilder::escape)).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Formatter;
    /// use logkit::format::Escaping;
    ///
    /// assert_eq!(Formatter::new("%(message)s")?.escaping(), Escaping::None);
    /// # Ok::<(), logkit::template::Error>(())
    /// ```
    pub fn escaping(&self) -> Escaping {
        self.escaping
    }

    /// Whether the template uses `asctime` (Python's `usesTime()`).
    pub fn uses_time(&self) -> bool {
        self.ops
            .iter()
            .any(|op| matches!(op, Op::Attr(Attr::Asctime, _) | Op::Direct(Attr::Asctime)))
    }

    /// Appends the record's creation time as this formatter renders it (`formatTime`).
    pub fn format_time(&self, record: &Record<'_>, out: &mut String) {
        self.time.write(record.created(), out);
    }
}

impl Format for Formatter {
    fn template(&self) -> Option<&str> {
        Some(Formatter::template(self))
    }

    fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        // A filter may have replaced an attribute (`record.levelname = ...` in Python): then
        // every attribute goes through the general path, which looks for the replacement.
        let replaced = record.has_set_fields();
        if let (Some(plain), false) = (&self.plain, replaced) {
            return self.format_plain(plain, record, out);
        }
        let start = out.len();
        let colors = self.colors.as_deref().filter(|c| c.active());
        let escape = self.escaping == Escaping::Controls;
        for op in &*self.ops {
            let field_start = out.len();
            match op {
                Op::Literal(s) => push_text(out, s),
                Op::LogColor => {
                    if let Some(c) = colors {
                        c.write_log_color(record, out);
                    }
                }
                Op::Escape(code) => {
                    if colors.is_some() {
                        push_text(out, code);
                    }
                }
                Op::Direct(attr) if !replaced => self.write_direct(*attr, record, out)?,
                Op::Direct(attr) => {
                    write_attr_or_replacement(record, *attr, &FieldSpec::Plain, &self.time, out)?;
                }
                Op::Attr(attr, spec) => {
                    write_attr_or_replacement(record, *attr, spec, &self.time, out)?;
                }
                Op::User { name, path, spec } => {
                    write_user_field(record, name, path, spec, &self.defaults, out)?;
                }
            }
            if escape && op.is_field() {
                escape_controls(out, field_start);
            }
        }
        if let Some(c) = colors {
            c.finish(out, start);
        }
        self.append_exception_and_stack(record, out, start);
        Ok(())
    }
}

impl Op {
    /// Whether the op writes a record's value (not the template's text or a colour).
    fn is_field(&self) -> bool {
        matches!(self, Op::Direct(_) | Op::Attr(..) | Op::User { .. })
    }
}

impl Formatter {
    /// [`format`](Format::format) of a plain template (see [`Formatter::plain`]) for a
    /// record no filter changed: one loop over the ops, the message written inline, as
    /// `formatter!` writes it.
    fn format_plain(
        &self,
        ops: &[PlainOp],
        record: &Record<'_>,
        out: &mut String,
    ) -> Result<(), FormatError> {
        let start = out.len();
        for op in ops {
            match op {
                PlainOp::Literal(s) => push_text(out, s),
                PlainOp::Name => push_text(out, record.name()),
                PlainOp::LevelName => push_text(out, &record.level_name()),
                PlainOp::Asctime => self.time.write(record.created(), out),
                PlainOp::Message => {
                    let at = out.len();
                    if let Err(e) = record.message().write_inline(out) {
                        out.truncate(at);
                        return Err(e);
                    }
                }
            }
        }
        self.append_exception_and_stack(record, out, start);
        Ok(())
    }

    /// Appends the record's exception and stack (with this formatter's hooks), as CPython's
    /// `format` does after the line begun at `start`.
    fn append_exception_and_stack(&self, record: &Record<'_>, out: &mut String, start: usize) {
        append_exception_and_stack_with(
            record,
            out,
            start,
            self.hooks.exception.as_deref(),
            self.hooks.stack.as_deref(),
        );
    }

    /// Writes a [`Op::Direct`] attribute. (The general path's string-attribute writer does
    /// the same for these four, but calling it instead costs about 95 instructions a record:
    /// it is not inlined, and neither is what it calls.)
    #[inline]
    fn write_direct(
        &self,
        attr: Attr,
        record: &Record<'_>,
        out: &mut String,
    ) -> Result<(), FormatError> {
        match attr {
            Attr::Name => push_text(out, record.name()),
            Attr::LevelName => push_text(out, &record.level_name()),
            Attr::Asctime => self.time.write(record.created(), out),
            _ => {
                let start = out.len();
                if let Err(e) = record.write_message(out) {
                    out.truncate(start);
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Formatter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Formatter")
            .field("template", &self.source)
            .field("style", &self.style)
            .field("datefmt", &self.time.datefmt())
            .finish_non_exhaustive()
    }
}

/// Builds a [`Formatter`]; see [`Formatter::builder`].
#[derive(Clone, Debug, Default)]
pub struct FormatterBuilder {
    template: Option<String>,
    /// `validate(false)`: a template with no field is accepted.
    no_validate: bool,
    style: Style,
    datefmt: Option<String>,
    /// Set by `utc(...)`; `None`: the process-wide default.
    utc: Option<bool>,
    defaults: Vec<(Box<str>, Value<'static>)>,
    default_time_format: Option<String>,
    default_msec_format: Option<Option<String>>,
    log_colors: Option<LogColors>,
    color: Color,
    no_reset: bool,
    escaping: Escaping,
    hooks: RenderHooks,
}

impl FormatterBuilder {
    /// The colour of each level, for `%(log_color)s` (colorlog's `log_colors`; its defaults
    /// otherwise).
    #[must_use]
    pub fn log_colors(mut self, log_colors: LogColors) -> Self {
        self.log_colors = Some(log_colors);
        self
    }

    /// When colour attributes write their escapes: [`Color::Auto`] (the default) to a
    /// terminal as the environment allows, [`Color::Always`], [`Color::Never`].
    #[must_use]
    pub fn color(mut self, color: Color) -> Self {
        self.color = color;
        self
    }

    /// Whether a record's text ends with a reset when colours are written (colorlog's
    /// `reset`, on by default).
    #[must_use]
    pub fn reset(mut self, reset: bool) -> Self {
        self.no_reset = !reset;
        self
    }

    /// Escapes control characters in every field the template substitutes (the message,
    /// names, user fields…) with [`Escaping::Controls`], so that a message cannot forge a
    /// line or send a terminal escape; the template's own text, colour attributes and the
    /// exception and stack text appended after the record are written as they are.
    /// [`Escaping::None`] by default (CPython's output).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::format::Escaping;
    /// use logkit::{Format, Formatter, Level, Location, Message, Record};
    ///
    /// let f = Formatter::builder()
    ///     .template("%(levelname)s %(message)s")
    ///     .escape(Escaping::Controls)
    ///     .build()?;
    /// let forged = "login ok\nCRITICAL disk on fire";
    /// let record = Record::new("app", Level::INFO, Message::text(forged), Location::new("a.rs", 1, "a"));
    /// let mut out = String::new();
    /// f.format(&record, &mut out).unwrap();
    /// assert_eq!(out, r"INFO login ok\nCRITICAL disk on fire");
    /// # Ok::<(), logkit::template::Error>(())
    /// ```
    #[must_use]
    pub fn escape(mut self, escaping: Escaping) -> Self {
        self.escaping = escaping;
        self
    }

    /// The template; without one, the style's default (`%(message)s`).
    #[must_use]
    pub fn template(mut self, template: &str) -> Self {
        self.template = Some(template.to_owned());
        self
    }

    /// Whether a template with no field is refused (true, the default, as CPython's
    /// `validate=True`: `Invalid format 'plain text' for '%' style`); false prints such a
    /// template as it is.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Formatter;
    ///
    /// assert!(Formatter::new("plain text").is_err());
    /// let f = Formatter::builder().template("plain text").validate(false).build()?;
    /// assert_eq!(f.template(), "plain text");
    /// # Ok::<(), logkit::template::Error>(())
    /// ```
    #[must_use]
    pub fn validate(mut self, validate: bool) -> Self {
        self.no_validate = !validate;
        self
    }

    /// Renders a record's error (CPython's overridable `formatException`). The first
    /// formatter to render a record's error caches its text on the record (`exc_text`), and
    /// formatters of later handlers reuse it, as in CPython.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{ExcInfo, Format, Formatter, Level, Location, Message, Record};
    ///
    /// let f = Formatter::builder()
    ///     .template("%(levelname)s %(message)s")
    ///     .format_exception(|e| format!("error: {} ({})", e.error, e.type_name))
    ///     .build()?;
    /// let err = std::io::Error::other("disk on fire");
    /// let record = Record::new("app", Level::ERROR, Message::text("failed"), Location::new("a.rs", 1, "a"))
    ///     .with_exc_info(ExcInfo::new(&err));
    /// let mut out = String::new();
    /// f.format(&record, &mut out).unwrap();
    /// assert_eq!(out, "ERROR failed\nerror: disk on fire (std::io::error::Error)");
    /// # Ok::<(), logkit::template::Error>(())
    /// ```
    #[must_use]
    pub fn format_exception(
        mut self,
        render: impl Fn(&crate::record::ExcInfo<'_>) -> String + Send + Sync + 'static,
    ) -> Self {
        self.hooks.exception = Some(Arc::new(render));
        self
    }

    /// Renders a record's stack text (CPython's overridable `formatStack`; called for each
    /// record this formatter formats, not cached).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Formatter;
    ///
    /// let f = Formatter::builder()
    ///     .format_stack(|stack| stack.lines().take(3).collect::<Vec<_>>().join("\n"))
    ///     .build()?;
    /// # Ok::<(), logkit::template::Error>(())
    /// ```
    #[must_use]
    pub fn format_stack(mut self, render: impl Fn(&str) -> String + Send + Sync + 'static) -> Self {
        self.hooks.stack = Some(Arc::new(render));
        self
    }

    /// The template style (`%` by default).
    #[must_use]
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// The `strftime` format for `asctime` (milliseconds are then not shown).
    #[must_use]
    pub fn datefmt(mut self, datefmt: &str) -> Self {
        self.datefmt = Some(datefmt.to_owned());
        self
    }

    /// Shows times in UTC (Python's `converter = time.gmtime`).
    #[must_use]
    pub fn utc(mut self, utc: bool) -> Self {
        self.utc = Some(utc);
        self
    }

    /// A value for a field that records lack (Python's `defaults=`).
    #[must_use]
    pub fn default_value(mut self, name: &str, value: Value<'_>) -> Self {
        self.defaults.push((name.into(), value.to_owned_value()));
        self
    }

    /// Replaces `default_time_format` (`%Y-%m-%d %H:%M:%S`).
    #[must_use]
    pub fn default_time_format(mut self, fmt: &str) -> Self {
        self.default_time_format = Some(fmt.to_owned());
        self
    }

    /// Replaces `default_msec_format` (`%s,%03d`); `None` shows no milliseconds.
    #[must_use]
    pub fn default_msec_format(mut self, fmt: Option<&str>) -> Self {
        self.default_msec_format = Some(fmt.map(str::to_owned));
        self
    }

    /// Parses the template and builds the formatter.
    ///
    /// # Errors
    ///
    /// A template that does not parse, naming the fragment.
    pub fn build(self) -> Result<Formatter, template::Error> {
        let source: Box<str> = self
            .template
            .unwrap_or_else(|| self.style.default_template().to_owned())
            .into();
        let parsed = template::parse_with(&source, Mode::Record(self.style), !self.no_validate)?;
        let mut ops: Vec<Op> = Vec::with_capacity(parsed.pieces.len());
        for piece in &parsed.pieces {
            match piece {
                Piece::Literal(s) => match ops.last_mut() {
                    Some(Op::Literal(prev)) => {
                        let mut joined = String::from(std::mem::take(prev));
                        joined.push_str(s);
                        *prev = joined.into();
                    }
                    _ => ops.push(Op::Literal((*s).into())),
                },
                Piece::Field(field) => {
                    let spec = FieldSpec::new(&field.spec);
                    let color = field.key.name().and_then(ColorAttr::from_name);
                    ops.push(match (&field.key, color) {
                        (_, Some(ColorAttr::LogColor)) => Op::LogColor,
                        (_, Some(ColorAttr::Escape(e))) => Op::Escape(e.to_string().into()),
                        (Key::Name(name), None) => match Attr::from_name(name) {
                            Some(
                                attr @ (Attr::Name
                                | Attr::LevelName
                                | Attr::Message
                                | Attr::Asctime),
                            ) if matches!(spec, FieldSpec::Plain) => Op::Direct(attr),
                            Some(attr) => Op::Attr(attr, spec),
                            None => Op::User {
                                name: (*name).into(),
                                path: "".into(),
                                spec,
                            },
                        },
                        (Key::Path(name, path), None) => Op::User {
                            name: (*name).into(),
                            path: (*path).into(),
                            spec,
                        },
                        (Key::Next, None) => unreachable!("record templates name every field"),
                    });
                }
            }
        }
        let mut time = match &self.datefmt {
            Some(d) => TimeFormat::with_datefmt(d),
            None => TimeFormat::default(),
        };
        if let Some(f) = &self.default_time_format {
            time = time.with_default_time_format(f);
        }
        if let Some(m) = &self.default_msec_format {
            time = time.with_default_msec_format(m.as_deref());
        }
        if let Some(utc) = self.utc {
            time = time.with_converter(if utc {
                Converter::Utc
            } else {
                Converter::Local
            });
        }
        let colored = ops
            .iter()
            .any(|op| matches!(op, Op::LogColor | Op::Escape(_)));
        let colors = colored.then(|| {
            Box::new(ColorScheme::new(
                self.log_colors.unwrap_or_default(),
                self.color,
                !self.no_reset,
            ))
        });
        let plain = (colors.is_none() && self.escaping == Escaping::None)
            .then(|| {
                ops.iter()
                    .map(|op| match op {
                        Op::Literal(s) => Some(PlainOp::Literal(s.clone())),
                        Op::Direct(Attr::Name) => Some(PlainOp::Name),
                        Op::Direct(Attr::LevelName) => Some(PlainOp::LevelName),
                        Op::Direct(Attr::Asctime) => Some(PlainOp::Asctime),
                        Op::Direct(Attr::Message) => Some(PlainOp::Message),
                        _ => None,
                    })
                    .collect::<Option<Box<[PlainOp]>>>()
            })
            .flatten();
        Ok(Formatter {
            plain,
            style: self.style,
            ops: ops.into(),
            time,
            defaults: self.defaults.into(),
            colors,
            escaping: self.escaping,
            hooks: self.hooks,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Level, Location, Message};

    fn line(formatter: &Formatter, record: &Record<'_>) -> String {
        let mut out = String::new();
        formatter.format(record, &mut out).unwrap();
        out
    }

    #[test]
    fn plain_attributes_are_written_directly_unless_a_filter_replaced_them() {
        let f = Formatter::new("%(name)s - %(levelname)s - %(message)s").unwrap();
        let args = [Value::from("alice")];
        let mut record = Record::new(
            "app.db",
            Level::INFO,
            Message::dynamic("user %s", &args),
            Location::new("app.py", 1, "app"),
        );
        assert_eq!(line(&f, &record), "app.db - INFO - user alice");
        // CPython: a filter's `record.levelname = "NOTICE"` is what `%(levelname)s` prints.
        record.set_field("levelname", Value::from("NOTICE"));
        assert_eq!(line(&f, &record), "app.db - NOTICE - user alice");
        // With a width the attribute takes the general path, replaced or not.
        let padded = Formatter::new("%(levelname)-8s|%(name)s").unwrap();
        assert_eq!(line(&padded, &record), "NOTICE  |app.db");
    }

    #[test]
    fn the_plain_loop_writes_what_the_general_path_writes() {
        let template = "%(asctime)s - %(name)s - %(levelname)s - %(message)s";
        let plain = Formatter::new(template).unwrap();
        assert!(plain.plain.is_some());
        // Escaping (of text with nothing to escape) sends the same ops the general way.
        let general = Formatter::builder()
            .template(template)
            .escape(Escaping::Controls)
            .build()
            .unwrap();
        assert!(general.plain.is_none());
        let args = [Value::from("alice")];
        let at = Location::new("app.py", 1, "app");
        let good = Record::new(
            "app.db",
            Level::INFO,
            Message::dynamic("user %s", &args),
            at,
        );
        assert_eq!(line(&plain, &good), line(&general, &good));
        assert!(line(&plain, &good).ends_with(" - app.db - INFO - user alice"));
        // A message that does not match its arguments: the same error, and the same text
        // before it (nothing of the message).
        let bad = Record::new(
            "app.db",
            Level::INFO,
            Message::dynamic("user %d", &args),
            at,
        );
        let (mut a, mut b) = (String::new(), String::new());
        let (ea, eb) = (
            plain.format(&bad, &mut a).unwrap_err(),
            general.format(&bad, &mut b).unwrap_err(),
        );
        assert_eq!((a.as_str(), ea.to_string()), (b.as_str(), eb.to_string()));
        assert!(a.ends_with(" - app.db - INFO - "), "{a:?}");
    }
}
