//! The configuration classes of the file handlers and of the JSON formatter: `FileHandler`,
//! `handlers.RotatingFileHandler`, `handlers.TimedRotatingFileHandler`,
//! `handlers.WatchedFileHandler` (CPython's parameters, in CPython's order, so that INI
//! `args=` tuples bind as in Python, then logkit's keyword-only buffered mode) and
//! `logkit.JsonFormatter`.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{
    BoundArgs, ClassArgs, FORMATTER_PARAMS, FormatterArgs, FormatterFactory, HandlerFactory,
    type_error,
};
use crate::config::ConfigValue;
use crate::error::Error;
use crate::format::{FormatRef, JsonFormatter};
use crate::handler::{
    Buffering, FileHandler, FileMode, HandlerRef, RotatingFileHandler, TimedRotatingFileHandler,
    When,
};
use crate::limits::{MAX_BACKUP_COUNT, MAX_FILE_BUFFER};

/// Adds the classes to the built-in registry.
pub(super) fn register(
    handlers: &mut BTreeMap<String, Arc<HandlerFactory>>,
    formatters: &mut BTreeMap<String, Arc<FormatterFactory>>,
) {
    handlers.insert("FileHandler".into(), Arc::new(file_handler));
    handlers.insert(
        "handlers.RotatingFileHandler".into(),
        Arc::new(rotating_file_handler),
    );
    handlers.insert(
        "handlers.TimedRotatingFileHandler".into(),
        Arc::new(timed_rotating_file_handler),
    );
    #[cfg(unix)]
    handlers.insert(
        "handlers.WatchedFileHandler".into(),
        Arc::new(watched_file_handler),
    );
    formatters.insert("logkit.JsonFormatter".into(), Arc::new(json_formatter));
}

/// The required `filename`.
fn filename(a: &mut BoundArgs) -> Result<String, Error> {
    match a.required("filename")? {
        ConfigValue::Str(s) => Ok(s),
        other => Err(a.wrong_type("filename", "a string", &other)),
    }
}

/// Applies what every file handler class takes — logkit's buffered mode, `encoding`,
/// `errors` and `delay` — to `builder`, any of the four file handler builders (whose setters
/// share their names); the encoding is checked when the handler opens.
macro_rules! file_options {
    ($builder:ident, $a:ident, $buffering:ident) => {
        if let Some(b) = $buffering {
            $builder = $builder.buffered(b);
        }
        if let Some(encoding) = $a.string("encoding")? {
            $builder = $builder.encoding(&encoding);
        }
        if let Some(errors) = $a.string("errors")? {
            $builder = $builder.errors(&errors);
        }
        if let Some(delay) = $a.boolean("delay")? {
            $builder = $builder.delay(delay);
        }
    };
}

/// logkit's buffered mode, keyword arguments after CPython's: `buffer_size` (bytes; 0, the
/// default, writes each record at once), `flush_level` (ERROR by default) and
/// `flush_interval` (the longest a record waits, in seconds; 1.0 by default).
const BUFFER_PARAMS: [&str; 3] = ["buffer_size", "flush_level", "flush_interval"];

/// Binds a file handler class's arguments: CPython's `params`, then the keyword-only
/// [`BUFFER_PARAMS`]; returns the arguments still to read and the buffered mode asked for.
fn bind_file_args(
    args: ClassArgs,
    params: &[&'static str],
) -> Result<(BoundArgs, Option<Buffering>), Error> {
    let all: Vec<&'static str> = params
        .iter()
        .copied()
        .chain(["*"])
        .chain(BUFFER_PARAMS)
        .collect();
    let mut a = args.bind(&all)?;
    let buffering = buffering(&mut a)?;
    Ok((a, buffering))
}

/// The [`BUFFER_PARAMS`], if `buffer_size` asks for buffered mode.
fn buffering(a: &mut BoundArgs) -> Result<Option<Buffering>, Error> {
    let size = a.integer("buffer_size")?;
    let level = a.level("flush_level")?;
    let interval = match a.take("flush_interval") {
        None => None,
        Some(ConfigValue::Int(n)) => Some(n as f64),
        Some(ConfigValue::Float(f)) => Some(f),
        Some(other) => return Err(a.wrong_type("flush_interval", "a number of seconds", &other)),
    };
    let Some(size) = size.filter(|n| *n > 0) else {
        return Ok(None);
    };
    let size = usize::try_from(size)
        .ok()
        .filter(|n| *n <= MAX_FILE_BUFFER)
        .ok_or_else(|| {
            type_error(format!(
                "buffer_size must be at most {MAX_FILE_BUFFER} bytes (logkit's maximum), \
                 not {size}"
            ))
        })?;
    let mut b = Buffering::new().capacity(size);
    if let Some(level) = level {
        b = b.flush_level(level);
    }
    if let Some(secs) = interval {
        let delay = std::time::Duration::try_from_secs_f64(secs).map_err(|_| {
            type_error(format!(
                "flush_interval must be a positive number of seconds, not {secs}"
            ))
        })?;
        b = b.max_delay(delay);
    }
    Ok(Some(b))
}

/// `backupCount`: negative means none, as CPython's `if backupCount > 0` reads it.
fn backup_count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// `FileHandler(filename, mode='a', encoding=None, delay=False, errors=None)`.
fn file_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let (mut a, buffering) =
        bind_file_args(args, &["filename", "mode", "encoding", "delay", "errors"])?;
    let mut builder = FileHandler::options(filename(&mut a)?);
    file_options!(builder, a, buffering);
    if let Some(mode) = a.string("mode")? {
        builder = builder.mode(FileMode::from_python(&mode)?);
    }
    Ok(Arc::new(builder.open()?))
}

/// `RotatingFileHandler(filename, mode='a', maxBytes=0, backupCount=0, encoding=None,
/// delay=False, errors=None)`.
fn rotating_file_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let (mut a, buffering) = bind_file_args(
        args,
        &[
            "filename",
            "mode",
            "maxBytes",
            "backupCount",
            "encoding",
            "delay",
            "errors",
        ],
    )?;
    let mut builder = RotatingFileHandler::options(filename(&mut a)?);
    file_options!(builder, a, buffering);
    if let Some(mode) = a.string("mode")? {
        builder = builder.mode(FileMode::from_python(&mode)?);
    }
    if let Some(n) = a.integer("maxBytes")? {
        // Negative means never, as CPython's `if maxBytes > 0` reads it.
        builder = builder.max_bytes(u64::try_from(n).unwrap_or(0));
    }
    if let Some(n) = a.integer("backupCount")? {
        if n > i64::from(MAX_BACKUP_COUNT) {
            return Err(type_error(format!(
                "RotatingFileHandler() backupCount must be at most {MAX_BACKUP_COUNT} \
                 (logkit's maximum), not {n}"
            )));
        }
        builder = builder.backup_count(backup_count(n));
    }
    Ok(Arc::new(builder.open()?))
}

/// `TimedRotatingFileHandler(filename, when='h', interval=1, backupCount=0, encoding=None,
/// delay=False, utc=False, atTime=None, errors=None)`. `atTime` (a `datetime.time` in
/// Python) is written `'HH:MM'`, `'HH:MM:SS'` or `(hour, minute, second)`.
fn timed_rotating_file_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let (mut a, buffering) = bind_file_args(
        args,
        &[
            "filename",
            "when",
            "interval",
            "backupCount",
            "encoding",
            "delay",
            "utc",
            "atTime",
            "errors",
        ],
    )?;
    let mut builder = TimedRotatingFileHandler::options(filename(&mut a)?);
    file_options!(builder, a, buffering);
    if let Some(when) = a.string("when")? {
        builder = builder.when(When::from_python(&when)?);
    }
    if let Some(n) = a.integer("interval")? {
        // 0 and below are refused by `open`.
        builder = builder.interval(u32::try_from(n).unwrap_or(if n < 0 { 0 } else { u32::MAX }));
    }
    if let Some(n) = a.integer("backupCount")? {
        builder = builder.backup_count(backup_count(n));
    }
    if let Some(utc) = a.boolean("utc")? {
        builder = builder.utc(utc);
    }
    if let Some(v) = a.take("atTime") {
        let (h, m, s) = time_of_day(&v).ok_or_else(|| {
            type_error(format!(
                "TimedRotatingFileHandler(): atTime must be 'HH:MM', 'HH:MM:SS' or (hour, \
                 minute, second), not {} {v}",
                v.type_name()
            ))
        })?;
        builder = builder.at_time(h, m, s);
    }
    Ok(Arc::new(builder.open()?))
}

/// A time of day from `'HH:MM'`, `'HH:MM:SS'` or a tuple or list of two or three integers
/// (the range is checked by the handler).
fn time_of_day(v: &ConfigValue) -> Option<(u32, u32, u32)> {
    let parts: Vec<u32> = match v {
        ConfigValue::Str(s) => s
            .split(':')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?,
        ConfigValue::Tuple(items) | ConfigValue::List(items) => items
            .iter()
            .map(|i| match i {
                ConfigValue::Int(n) => u32::try_from(*n).ok(),
                _ => None,
            })
            .collect::<Option<_>>()?,
        _ => return None,
    };
    match parts[..] {
        [h, m] => Some((h, m, 0)),
        [h, m, s] => Some((h, m, s)),
        _ => None,
    }
}

/// `WatchedFileHandler(filename, mode='a', encoding=None, delay=False, errors=None)`.
#[cfg(unix)]
fn watched_file_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let (mut a, buffering) =
        bind_file_args(args, &["filename", "mode", "encoding", "delay", "errors"])?;
    let mut builder = crate::handler::WatchedFileHandler::options(filename(&mut a)?);
    file_options!(builder, a, buffering);
    if let Some(mode) = a.string("mode")? {
        builder = builder.mode(FileMode::from_python(&mode)?);
    }
    Ok(Arc::new(builder.open()?))
}

/// `logkit.JsonFormatter(fmt=None, datefmt=None, style='%', validate=True, defaults=None,
/// all_extra=False, ensure_ascii=False)`: the first five as CPython's `Formatter` takes them.
fn json_formatter(args: ClassArgs) -> Result<FormatRef, Error> {
    let [fmt, datefmt, style, validate, defaults] = FORMATTER_PARAMS;
    let mut a = args.bind(&[
        fmt,
        datefmt,
        style,
        validate,
        defaults,
        "all_extra",
        "ensure_ascii",
    ])?;
    let f = FormatterArgs::take(&mut a)?;
    let mut builder = JsonFormatter::builder().style(f.style);
    if let Some(fmt) = &f.fmt {
        builder = builder.template(fmt);
    }
    if let Some(datefmt) = &f.datefmt {
        builder = builder.datefmt(datefmt);
    }
    for (k, v) in f.defaults {
        builder = builder.default_value(&k, v);
    }
    if let Some(all) = a.boolean("all_extra")? {
        builder = builder.all_extra(all);
    }
    if let Some(ascii) = a.boolean("ensure_ascii")? {
        builder = builder.ensure_ascii(ascii);
    }
    Ok(Arc::new(builder.build()?))
}
