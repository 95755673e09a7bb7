//! The classes a configuration can name — `StreamHandler`, `FileHandler`,
//! `handlers.RotatingFileHandler`, `Formatter`, `Filter`, … — and the arguments they take.
//!
//! A class is a factory registered under CPython's spelling. Its arguments arrive as
//! [`ClassArgs`] (positional, then keyword, as a configuration writes them) and are bound
//! to parameter names the way Python binds a call. Applications add their own classes with
//! [`register_handler_class`], [`register_formatter_class`] and [`register_filter_class`].

mod buffers;
mod files;

pub(crate) use buffers::handler_params;
mod net;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use super::ConfigValue;
use crate::error::{Error, ErrorKind};
use crate::filter::{FilterRef, NameFilter};
use crate::format::{Color, Escaping, FormatRef, Formatter, LogColors};
use crate::handler::{HandlerRef, NullHandler, StreamHandler};
use crate::level::Level;
use crate::template::Style;

/// The arguments a configuration gives a class: `args=`/`kwargs=` of an INI handler, or the
/// other keys of a dictConfig entry.
///
/// # Examples
///
/// ```
/// use logkit::config::{ClassArgs, ConfigValue};
///
/// let args = ClassArgs::new("FileHandler")
///     .positional(vec!["app.log".into()])
///     .keyword("delay", true);
/// let mut bound = args.bind(&["filename", "mode", "encoding", "delay", "errors"])?;
/// assert_eq!(bound.string("filename")?.as_deref(), Some("app.log"));
/// assert_eq!(bound.string("mode")?, None);
/// assert_eq!(bound.boolean("delay")?, Some(true));
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClassArgs {
    class: String,
    positional: Vec<ConfigValue>,
    keyword: Vec<(String, ConfigValue)>,
    handlers: Vec<(String, Vec<HandlerRef>)>,
}

impl ClassArgs {
    /// No arguments yet, for `class`.
    pub fn new(class: &str) -> Self {
        ClassArgs {
            class: class.to_owned(),
            positional: Vec::new(),
            keyword: Vec::new(),
            handlers: Vec::new(),
        }
    }

    /// With a parameter that names other handlers of the configuration (a `MemoryHandler`'s
    /// `target`, a `QueueHandler`'s `handlers`), already built.
    #[must_use]
    pub fn handlers(mut self, name: &str, handlers: Vec<HandlerRef>) -> Self {
        self.handlers.push((name.to_owned(), handlers));
        self
    }

    /// With these positional arguments.
    #[must_use]
    pub fn positional(mut self, args: Vec<ConfigValue>) -> Self {
        self.positional = args;
        self
    }

    /// With a keyword argument.
    #[must_use]
    pub fn keyword(mut self, name: &str, value: impl Into<ConfigValue>) -> Self {
        self.keyword.push((name.to_owned(), value.into()));
        self
    }

    /// The class name as the configuration spells it.
    pub fn class(&self) -> &str {
        &self.class
    }

    /// Binds the arguments to `params` as Python binds a call: positional arguments in
    /// order, then keywords by name. Parameters after a `"*"` are keyword-only, as in a
    /// Python signature.
    ///
    /// # Errors
    ///
    /// Too many positional arguments, an unknown keyword, or a parameter given twice —
    /// with Python's wording.
    pub fn bind(self, params: &[&'static str]) -> Result<BoundArgs, Error> {
        let class = self.class;
        let (positional, keyword_only) = match params.iter().position(|p| *p == "*") {
            Some(star) => (&params[..star], &params[star + 1..]),
            None => (params, &[][..]),
        };
        if self.positional.len() > positional.len() {
            return Err(type_error(format!(
                "{class}() takes at most {} argument{} ({}) but {} were given",
                positional.len(),
                if positional.len() == 1 { "" } else { "s" },
                positional.join(", "),
                self.positional.len()
            )));
        }
        let params: Vec<&'static str> = positional.iter().chain(keyword_only).copied().collect();
        let mut values: Vec<(&'static str, Option<ConfigValue>)> =
            params.iter().map(|p| (*p, None)).collect();
        for (slot, v) in values.iter_mut().zip(self.positional) {
            slot.1 = Some(v);
        }
        for (name, v) in self.keyword {
            let Some(slot) = values.iter_mut().find(|(p, _)| *p == name) else {
                return Err(type_error(format!(
                    "{class}() got an unexpected keyword argument '{name}' (it takes: {})",
                    params.join(", ")
                )));
            };
            if slot.1.is_some() {
                return Err(type_error(format!(
                    "{class}() got multiple values for argument '{name}'"
                )));
            }
            slot.1 = Some(v);
        }
        Ok(BoundArgs {
            class,
            values,
            handlers: self.handlers,
        })
    }
}

fn type_error(message: String) -> Error {
    Error::new(ErrorKind::Config, message)
}

/// Arguments bound to parameter names; see [`ClassArgs::bind`].
#[derive(Debug)]
pub struct BoundArgs {
    class: String,
    values: Vec<(&'static str, Option<ConfigValue>)>,
    handlers: Vec<(String, Vec<HandlerRef>)>,
}

impl BoundArgs {
    /// The handlers a parameter names (see [`ClassArgs::handlers`]), if given.
    pub fn handlers(&mut self, param: &str) -> Option<Vec<HandlerRef>> {
        let at = self.handlers.iter().position(|(p, _)| p == param)?;
        Some(self.handlers.remove(at).1)
    }

    /// The value of `param`, if given (`None` given explicitly counts as not given).
    pub fn take(&mut self, param: &str) -> Option<ConfigValue> {
        self.values
            .iter_mut()
            .find(|(p, _)| *p == param)
            .and_then(|(_, v)| v.take())
            .filter(|v| *v != ConfigValue::None)
    }

    /// The value of a required parameter.
    ///
    /// # Errors
    ///
    /// When it was not given, with Python's wording.
    pub fn required(&mut self, param: &str) -> Result<ConfigValue, Error> {
        self.take(param).ok_or_else(|| {
            type_error(format!(
                "{}() missing 1 required argument: '{param}'",
                self.class
            ))
        })
    }

    fn wrong_type(&self, param: &str, expected: &str, got: &ConfigValue) -> Error {
        type_error(format!(
            "{}(): argument '{param}' must be {expected}, not {} {got}",
            self.class,
            got.type_name()
        ))
    }

    /// A string parameter.
    ///
    /// # Errors
    ///
    /// A value of another type.
    pub fn string(&mut self, param: &str) -> Result<Option<String>, Error> {
        match self.take(param) {
            None => Ok(None),
            Some(ConfigValue::Str(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(param, "a string", &other)),
        }
    }

    /// A boolean parameter, by Python's truth test ([`ConfigValue::truthy`]).
    ///
    /// # Errors
    ///
    /// A name (`sys.stdout`), whose truth this reader cannot tell.
    pub fn boolean(&mut self, param: &str) -> Result<Option<bool>, Error> {
        // Python's truth test, as the constructors apply it (`if delay:`).
        match self.take(param) {
            None => Ok(None),
            Some(v) => match v.truthy() {
                Some(b) => Ok(Some(b)),
                None => Err(self.wrong_type(param, "True or False", &v)),
            },
        }
    }

    /// An integer parameter.
    ///
    /// # Errors
    ///
    /// A value of another type.
    pub fn integer(&mut self, param: &str) -> Result<Option<i64>, Error> {
        match self.take(param) {
            None => Ok(None),
            Some(ConfigValue::Int(i)) => Ok(Some(i)),
            Some(ConfigValue::Bool(b)) => Ok(Some(i64::from(b))),
            Some(other) => Err(self.wrong_type(param, "an integer", &other)),
        }
    }

    /// A level: a registered name or a number.
    ///
    /// # Errors
    ///
    /// An unknown name or a value of another type.
    pub fn level(&mut self, param: &str) -> Result<Option<Level>, Error> {
        match self.take(param) {
            None => Ok(None),
            Some(v) => level_value(&v).map(Some),
        }
    }

    /// Any parameter that was given and not taken: for factories that accept extra keyword
    /// arguments.
    pub fn remaining(self) -> impl Iterator<Item = (&'static str, ConfigValue)> {
        self.values
            .into_iter()
            .filter_map(|(p, v)| v.map(|v| (p, v)))
    }
}

/// A level from a configuration value: a registered name (`"INFO"`) or a number.
pub(crate) fn level_value(v: &ConfigValue) -> Result<Level, Error> {
    match v {
        ConfigValue::Int(i) => i32::try_from(*i)
            .map(Level::new)
            .map_err(|_| type_error(format!("level {i} is out of range"))),
        ConfigValue::Str(s) => Ok(s.parse::<Level>()?),
        ConfigValue::Name(n) => {
            let short = n.strip_prefix("logging.").unwrap_or(n);
            short
                .parse::<Level>()
                .map_err(|_| type_error(format!("Unknown level: {n}")))
        }
        other => Err(type_error(format!(
            "a level must be a name or a number, not {} {other}",
            other.type_name()
        ))),
    }
}

/// Builds a handler from its arguments.
pub type HandlerFactory = dyn Fn(ClassArgs) -> Result<HandlerRef, Error> + Send + Sync;
/// Builds a formatter from its arguments (`fmt`, `datefmt`, `style`, `validate`, `defaults`
/// and any keyword of a dictConfig `()` entry).
pub type FormatterFactory = dyn Fn(ClassArgs) -> Result<FormatRef, Error> + Send + Sync;
/// Builds a filter from its arguments (`name` for `logging.Filter`).
pub type FilterFactory = dyn Fn(ClassArgs) -> Result<FilterRef, Error> + Send + Sync;

struct Classes {
    handlers: BTreeMap<String, Arc<HandlerFactory>>,
    formatters: BTreeMap<String, Arc<FormatterFactory>>,
    filters: BTreeMap<String, Arc<FilterFactory>>,
}

static CLASSES: RwLock<Option<Classes>> = RwLock::new(None);

fn with_classes<R>(f: impl FnOnce(&mut Classes) -> R) -> R {
    let mut guard = CLASSES.write().unwrap_or_else(PoisonError::into_inner);
    let classes = guard.get_or_insert_with(builtin_classes);
    f(classes)
}

/// Makes `name` usable as a handler `class` in configurations (replacing any class of that
/// name).
///
/// # Examples
///
/// ```
/// use logkit::config::{self, ClassArgs};
/// use logkit::{HandlerRef, StreamHandler};
/// use std::sync::Arc;
///
/// config::register_handler_class("myapp.StdoutHandler", |args: ClassArgs| {
///     args.bind(&[])?;
///     Ok(Arc::new(StreamHandler::stdout()) as HandlerRef)
/// });
/// ```
pub fn register_handler_class(
    name: &str,
    factory: impl Fn(ClassArgs) -> Result<HandlerRef, Error> + Send + Sync + 'static,
) {
    with_classes(|c| c.handlers.insert(name.to_owned(), Arc::new(factory)));
}

/// Makes `name` usable as a formatter `class` (or dictConfig `()`) in configurations.
///
/// # Examples
///
/// ```
/// use logkit::config::{self, ClassArgs};
/// use logkit::{FormatRef, Formatter};
/// use std::sync::Arc;
///
/// config::register_formatter_class("myapp.Upper", |args: ClassArgs| {
///     let mut a = args.bind(&["fmt", "datefmt", "style", "validate", "defaults"])?;
///     let fmt = a.string("fmt")?.unwrap_or_else(|| "%(message)s".into());
///     Ok(Arc::new(Formatter::new(&fmt.to_uppercase())?) as FormatRef)
/// });
/// ```
pub fn register_formatter_class(
    name: &str,
    factory: impl Fn(ClassArgs) -> Result<FormatRef, Error> + Send + Sync + 'static,
) {
    with_classes(|c| c.formatters.insert(name.to_owned(), Arc::new(factory)));
}

/// Makes `name` usable as a filter `()` in dictConfig configurations.
///
/// # Examples
///
/// ```
/// use logkit::config::{self, ClassArgs};
/// use logkit::{FilterRef, Record};
/// use std::sync::Arc;
///
/// config::register_filter_class("myapp.NoHealthChecks", |args: ClassArgs| {
///     args.bind(&[])?;
///     let f = |r: &mut Record<'_>| !r.message().template().contains("/health");
///     Ok(Arc::new(f) as FilterRef)
/// });
/// ```
pub fn register_filter_class(
    name: &str,
    factory: impl Fn(ClassArgs) -> Result<FilterRef, Error> + Send + Sync + 'static,
) {
    with_classes(|c| c.filters.insert(name.to_owned(), Arc::new(factory)));
}

/// CPython's handler classes that logkit does not provide (yet): named in errors.
const CPYTHON_ONLY: &[&str] = &["handlers.NTEventLogHandler"];

/// The registered names a class can be found under: as written, then without `logging.`.
fn lookup<'m, T: ?Sized>(map: &'m BTreeMap<String, Arc<T>>, name: &str) -> Option<&'m Arc<T>> {
    map.get(name)
        .or_else(|| name.strip_prefix("logging.").and_then(|n| map.get(n)))
}

fn unknown(kind: &str, name: &str, available: Vec<&String>) -> Error {
    let short = name.strip_prefix("logging.").unwrap_or(name);
    let list = available
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let register = format!("config::register_{kind}_class");
    let message = if kind == "handler" && CPYTHON_ONLY.contains(&short) {
        format!(
            "handler class '{name}' is not available in logkit yet (available: {list}; or \
             register one with {register})"
        )
    } else {
        format!(
            "unknown {kind} class '{name}' (available: {list}; or register one with {register})"
        )
    };
    Error::new(ErrorKind::Config, message)
}

/// Builds a handler of class `args.class()`.
pub(crate) fn build_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let factory = with_classes(|c| {
        lookup(&c.handlers, args.class())
            .cloned()
            .ok_or_else(|| unknown("handler", args.class(), c.handlers.keys().collect()))
    })?;
    factory(args)
}

/// Builds a formatter of class `args.class()`.
pub(crate) fn build_formatter(args: ClassArgs) -> Result<FormatRef, Error> {
    let factory = with_classes(|c| {
        lookup(&c.formatters, args.class())
            .cloned()
            .ok_or_else(|| unknown("formatter", args.class(), c.formatters.keys().collect()))
    })?;
    factory(args)
}

/// Builds a filter of class `args.class()`.
pub(crate) fn build_filter(args: ClassArgs) -> Result<FilterRef, Error> {
    let factory = with_classes(|c| {
        lookup(&c.filters, args.class())
            .cloned()
            .ok_or_else(|| unknown("filter", args.class(), c.filters.keys().collect()))
    })?;
    factory(args)
}

fn builtin_classes() -> Classes {
    let mut handlers: BTreeMap<String, Arc<HandlerFactory>> = BTreeMap::new();
    handlers.insert("StreamHandler".into(), Arc::new(stream_handler));
    handlers.insert("NullHandler".into(), Arc::new(null_handler));
    net::register(&mut handlers);
    let mut formatters: BTreeMap<String, Arc<FormatterFactory>> = BTreeMap::new();
    formatters.insert("Formatter".into(), Arc::new(formatter));
    formatters.insert(
        "colorlog.ColoredFormatter".into(),
        Arc::new(colored_formatter),
    );
    let mut filters: BTreeMap<String, Arc<FilterFactory>> = BTreeMap::new();
    filters.insert("Filter".into(), Arc::new(name_filter));
    files::register(&mut handlers, &mut formatters);
    buffers::register(&mut handlers);
    Classes {
        handlers,
        formatters,
        filters,
    }
}

/// `StreamHandler(stream=None)`: `sys.stderr` (the default) or `sys.stdout`.
fn stream_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&["stream"])?;
    let handler = match a.take("stream") {
        None => StreamHandler::stderr(),
        Some(v) => match v.as_name() {
            Some("sys.stderr") => StreamHandler::stderr(),
            Some("sys.stdout") => StreamHandler::stdout(),
            _ => {
                return Err(type_error(format!(
                    "StreamHandler(): stream must be sys.stdout or sys.stderr, not {v} (give \
                     other writers to StreamHandler::new in code)"
                )));
            }
        },
    };
    Ok(Arc::new(handler))
}

/// `NullHandler()`.
fn null_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    args.bind(&[])?;
    Ok(Arc::new(NullHandler::new()))
}

/// `Formatter(fmt=None, datefmt=None, style='%', validate=True, defaults=None)`, and
/// logkit's keyword-only `escape='none'` (see [`escaping`]).
fn formatter(args: ClassArgs) -> Result<FormatRef, Error> {
    let [fmt, datefmt, style, validate, defaults] = FORMATTER_PARAMS;
    let mut a = args.bind(&[fmt, datefmt, style, validate, defaults, "*", "escape"])?;
    let f = FormatterArgs::take(&mut a)?;
    let mut builder = Formatter::builder()
        .style(f.style)
        .validate(f.validate)
        .escape(escaping(&mut a)?);
    if let Some(fmt) = &f.fmt {
        builder = builder.template(fmt);
    }
    if let Some(datefmt) = &f.datefmt {
        builder = builder.datefmt(datefmt);
    }
    for (k, v) in f.defaults {
        builder = builder.default_value(&k, v);
    }
    Ok(Arc::new(builder.build()?))
}

/// colorlog's `ColoredFormatter(fmt=None, datefmt=None, style='%', log_colors=None,
/// reset=True, secondary_log_colors=None, validate=True, stream=None, no_color=False,
/// force_color=False, defaults=None)`: a [`Formatter`] with a [`LogColors`] mapping. The
/// handler decides whether its output is a terminal, so `stream` is not needed (and is
/// ignored); `secondary_log_colors` is not supported.
fn colored_formatter(args: ClassArgs) -> Result<FormatRef, Error> {
    let mut a = args.bind(&[
        "fmt",
        "datefmt",
        "style",
        "log_colors",
        "reset",
        "secondary_log_colors",
        "validate",
        "stream",
        "no_color",
        "force_color",
        "defaults",
        "*",
        "escape",
    ])?;
    let f = FormatterArgs::take(&mut a)?;
    let escape = escaping(&mut a)?;
    let template = f.fmt.clone().unwrap_or_else(|| {
        match f.style {
            Style::Percent => "%(log_color)s%(levelname)s:%(name)s:%(message)s",
            Style::Brace => "{log_color}{levelname}:{name}:{message}",
            Style::Dollar => "${log_color}${levelname}:${name}:${message}",
        }
        .to_owned()
    });
    let mut builder = Formatter::builder()
        .style(f.style)
        .template(&template)
        .validate(f.validate)
        .escape(escape);
    if let Some(datefmt) = &f.datefmt {
        builder = builder.datefmt(datefmt);
    }
    for (k, v) in f.defaults {
        builder = builder.default_value(&k, v);
    }
    match a.take("log_colors") {
        None | Some(ConfigValue::None) => {}
        Some(ConfigValue::Dict(items)) => {
            let mut pairs = Vec::new();
            for (level, colors) in &items {
                match colors {
                    ConfigValue::Str(c) => pairs.push((level.as_str(), c.as_str())),
                    other => return Err(a.wrong_type("log_colors", "a dict of strings", other)),
                }
            }
            let colors = LogColors::new(pairs)
                .map_err(|e| Error::new(ErrorKind::Config, format!("log_colors: {e}")))?;
            builder = builder.log_colors(colors);
        }
        Some(other) => return Err(a.wrong_type("log_colors", "a dict", &other)),
    }
    if let Some(reset) = a.boolean("reset")? {
        builder = builder.reset(reset);
    }
    if let Some(ConfigValue::Dict(items)) = a.take("secondary_log_colors") {
        if !items.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                "ColoredFormatter: secondary_log_colors is not supported; name colours in the \
                 template instead (`%(blue)s`)",
            ));
        }
    }
    a.take("stream");
    let no_color = a.boolean("no_color")?.unwrap_or(false);
    let force_color = a.boolean("force_color")?.unwrap_or(false);
    builder = builder.color(match (force_color, no_color) {
        (true, _) => Color::Always,
        (false, true) => Color::Never,
        (false, false) => Color::Auto,
    });
    Ok(Arc::new(builder.build()?))
}

/// The parameters of CPython's `Formatter`, in its order.
pub(super) const FORMATTER_PARAMS: [&str; 5] = ["fmt", "datefmt", "style", "validate", "defaults"];

/// CPython's `Formatter(fmt=None, datefmt=None, style='%', validate=True, defaults=None)`
/// arguments, read for every formatter class that takes them.
pub(super) struct FormatterArgs {
    pub(super) style: Style,
    pub(super) fmt: Option<String>,
    /// `None` for an empty one too, as in Python (`if datefmt:`).
    pub(super) datefmt: Option<String>,
    pub(super) defaults: Vec<(String, crate::value::Value<'static>)>,
    /// `validate=False`: a template with no field is accepted.
    pub(super) validate: bool,
}

impl FormatterArgs {
    /// Takes the [`FORMATTER_PARAMS`] out of `a`.
    pub(super) fn take(a: &mut BoundArgs) -> Result<Self, Error> {
        let style = style(a)?;
        let fmt = a.string("fmt")?;
        let datefmt = a.string("datefmt")?.filter(|d| !d.is_empty());
        // Templates are always parsed completely (see docs/python-differences.md);
        // `validate=False` only lets a template have no field, as in CPython.
        let validate = a.boolean("validate")?.unwrap_or(true);
        let defaults = match a.take("defaults") {
            None => Vec::new(),
            Some(ConfigValue::Dict(items)) => items
                .iter()
                .map(|(k, v)| (k.clone(), config_to_value(v)))
                .collect(),
            Some(other) => return Err(a.wrong_type("defaults", "a dict", &other)),
        };
        Ok(FormatterArgs {
            style,
            fmt,
            datefmt,
            defaults,
            validate,
        })
    }
}

/// A text formatter's `escape`: `'none'` (the default) or `'controls'`
/// ([`Escaping`]).
fn escaping(a: &mut BoundArgs) -> Result<Escaping, Error> {
    match a.string("escape")? {
        None => Ok(Escaping::None),
        Some(name) => Escaping::from_name(&name).ok_or_else(|| {
            type_error(format!(
                "{}(): escape must be {}, not '{name}'",
                a.class,
                Escaping::NAMES
            ))
        }),
    }
}

/// A formatter's `style`: `%` (the default), `{` or `$`.
fn style(a: &mut BoundArgs) -> Result<Style, Error> {
    match a.string("style")?.as_deref() {
        None | Some("%") => Ok(Style::Percent),
        Some("{") => Ok(Style::Brace),
        Some("$") => Ok(Style::Dollar),
        Some(other) => Err(type_error(format!(
            "{other:?} is not a style: Style must be one of: %,{{,$"
        ))),
    }
}

/// `Filter(name='')`.
fn name_filter(args: ClassArgs) -> Result<FilterRef, Error> {
    let mut a = args.bind(&["name"])?;
    let name = a.string("name")?.unwrap_or_default();
    Ok(Arc::new(NameFilter::new(name)))
}

/// A configuration value as a record value (for formatter defaults).
pub(super) fn config_to_value(v: &ConfigValue) -> crate::value::Value<'static> {
    use crate::value::Value;
    match v {
        ConfigValue::None => Value::None,
        ConfigValue::Bool(b) => Value::Bool(*b),
        ConfigValue::Int(i) => Value::Int(i128::from(*i)),
        ConfigValue::Float(f) => Value::Float(*f),
        ConfigValue::Str(s) => Value::from(s.clone()),
        other => Value::from(other.to_string()),
    }
}

impl fmt::Debug for Classes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Classes")
            .field("handlers", &self.handlers.keys())
            .field("formatters", &self.formatters.keys())
            .field("filters", &self.filters.keys())
            .finish()
    }
}
