//! Entry points for fuzzing logkit's parsers (the `fuzzing` feature; not a stable API).
//!
//! Each target takes arbitrary bytes and must return: no panic, no hang, no allocation
//! beyond the documented limits, whatever the input. They are run by `tests/fuzz.rs` (a
//! short deterministic run in CI, with every past crash kept as a regression input) and by
//! `scripts/fuzz.sh` (coverage-guided with cargo-fuzz, or the same mutator for longer).
//!
//! | target | what it reads |
//! |---|---|
//! | `template` | record and message templates in every style, then formats a record |
//! | `message` | a run-time `%` merge of a template with values |
//! | `ini` | a `fileConfig` INI file, built (handlers made and dropped) |
//! | `dict_config` | a dictConfig as JSON, TOML and a Python literal, built |
//! | `py_literal` | the Python literals of INI `args=`/`kwargs=` |
//! | `level_env` | `LOGKIT_LEVEL` and `RUST_LOG` directives |
//! | `http_response` | an HTTP response's status line and headers |
//! | `smtp_reply` | an SMTP reply's lines |
//! | `packed_args` | a compiled message's arguments packed for a queue and unpacked |

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use crate::message::{Arg, Message, PackedArgs, Piece, pieces};
use crate::record::{Location, Record};
use crate::template::{self, Mode, Style};
use crate::value::Value;
use crate::{Format, Formatter, Level};

/// A fuzz target: bytes in, nothing out, never a panic.
pub type Target = fn(&[u8]);

/// Every target, by name.
pub const TARGETS: &[(&str, Target)] = &[
    ("template", template),
    ("message", message),
    ("ini", ini),
    ("dict_config", dict_config),
    ("py_literal", py_literal),
    ("level_env", level_env),
    ("http_response", http_response),
    ("smtp_reply", smtp_reply),
    ("packed_args", packed_args),
];

/// The input as text (invalid UTF-8 replaced), after a first byte of options.
fn split(data: &[u8]) -> (u8, Cow<'_, str>) {
    match data.split_first() {
        Some((first, rest)) => (*first, String::from_utf8_lossy(rest)),
        None => (0, Cow::Borrowed("")),
    }
}

/// Values of every kind, chosen by the input's bytes.
fn values(bytes: &[u8]) -> Vec<Value<'static>> {
    bytes
        .iter()
        .take(8)
        .map(|b| match b % 8 {
            0 => Value::None,
            1 => Value::Bool(b & 8 != 0),
            2 => Value::Int(i128::from(*b) - 128),
            3 => Value::Float(f64::from(*b) / 7.0 - 10.0),
            4 => Value::Str(Cow::Borrowed("text")),
            5 => Value::Int(i128::MAX),
            6 => Value::Tuple(Arc::from([Value::Int(1), Value::Str(Cow::Borrowed("a"))])),
            7 if b & 8 != 0 => Value::List(Arc::from([Value::Int(1), Value::None])),
            _ => Value::Map(Arc::from([
                (Value::Str(Cow::Borrowed("a")), Value::Int(1)),
                (Value::Int(2), Value::Bool(true)),
            ])),
        })
        .collect()
}

/// A record with fields, an exception text and a stack, for formatters to read.
fn record<'a>(message: Message<'a>, fields: &'a [(&'a str, Value<'a>)]) -> Record<'a> {
    Record::new(
        "fuzz.logger",
        Level::WARNING,
        message,
        Location::new("fuzz.rs", 7, "fuzz"),
    )
    .with_fields(fields)
    .with_exc_text("Traceback: boom")
    .with_stack_info("Stack (most recent call last):")
}

/// Record templates in the three styles, message templates, and formatting a record.
pub fn template(data: &[u8]) {
    let (options, text) = split(data);
    let style = match options % 3 {
        0 => Style::Percent,
        1 => Style::Brace,
        _ => Style::Dollar,
    };
    let _ = template::parse(&text, Mode::Message);
    let _ = template::parse(&text, Mode::Record(style));
    if let Ok(formatter) = Formatter::with_style(&text, style) {
        let args = values(data);
        let fields = [
            ("user", Value::Str(Cow::Borrowed("alice"))),
            ("n", Value::Int(3)),
        ];
        let record = record(Message::dynamic("m %s", &args), &fields);
        let mut out = String::new();
        let _ = formatter.format(&record, &mut out);
    }
}

/// A run-time message: the template after the first NUL byte's left, values from the rest.
pub fn message(data: &[u8]) {
    let (template, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let template = String::from_utf8_lossy(template);
    let args = values(rest);
    let mut out = String::new();
    let _ = Message::dynamic(&template, &args).write(&mut out);
    // A single mapping fills `%(name)s`.
    let map = [Value::map([
        ("a", Value::Int(1)),
        ("name", Value::from("x")),
    ])];
    out.clear();
    let _ = Message::dynamic(&template, &map).write(&mut out);
}

/// A `fileConfig` INI file, read and built (not installed).
pub fn ini(data: &[u8]) {
    let (_, text) = split(data);
    crate::config::fuzz_file_config(&text);
}

/// A dictConfig as JSON, TOML (with those features) and as a Python literal, read and
/// built (not installed).
pub fn dict_config(data: &[u8]) {
    let (_, text) = split(data);
    crate::config::fuzz_dict_config(&text);
}

/// INI `args=` / `kwargs=` literals.
pub fn py_literal(data: &[u8]) {
    let (_, text) = split(data);
    let _ = crate::config::ConfigValue::from_python(&text);
}

/// `LOGKIT_LEVEL` and `RUST_LOG` directives.
pub fn level_env(data: &[u8]) {
    let (_, text) = split(data);
    crate::config::fuzz_level_env(&text);
}

/// An HTTP response's head.
pub fn http_response(data: &[u8]) {
    let _ = crate::handler::fuzz_http_head(data);
}

/// An SMTP reply's lines.
pub fn smtp_reply(data: &[u8]) {
    let (_, text) = split(data);
    for line in text.lines() {
        let _ = crate::handler::fuzz_smtp_reply_line(line);
    }
}

/// The template of [`packed_args`]: every kind of argument, plain and with specs.
const PACKED_TEMPLATE: &str = "%d|%s|%.3f|%x|%r|%5s|%-4d|%e|%c|%u|%s";

/// Arguments of a compiled message packed (as a queue sends them) and unpacked: the
/// unpacked message writes what the original writes.
///
/// # Panics
///
/// When the two differ: that is a bug the fuzzer reports.
pub fn packed_args(data: &[u8]) {
    static PIECES: OnceLock<Box<[Piece]>> = OnceLock::new();
    let table: &'static [Piece] = PIECES.get_or_init(|| pieces(PACKED_TEMPLATE));
    let (options, text) = split(data);
    let mut words = text.split(',');
    let mut word = || words.next().unwrap_or("").to_owned();
    let (t0, t1, t2, t3) = (word(), word(), word(), word());
    let byte = |i: usize| data.get(i).copied().unwrap_or(options);
    let int = i64::from(byte(1)) * 1_000_003 - i64::from(byte(2)) * 7_919;
    let float = f64::from(byte(3)) / 3.0 - 40.0;
    let big = u128::from(byte(4)) << 100;
    let code_point = u32::from(byte(5)) * 257;
    let small = f32::from(byte(6)) / 8.0;
    let args = [
        Arg::Int(int),
        Arg::Text(&t0),
        Arg::Float(&float),
        Arg::Integer(&int),
        Arg::Repr(&t1),
        Arg::Str(&t2),
        Arg::Decimal(&big),
        Arg::Float(&small),
        Arg::Char(&code_point),
        Arg::UInt(u64::from(byte(7))),
        Arg::Str(&t3),
    ];
    let mut direct = String::new();
    let direct_ok = Message::compiled(PACKED_TEMPLATE, table, &args)
        .write(&mut direct)
        .is_ok();
    if let Some(packed) = PackedArgs::pack(&args) {
        let mut unpacked = String::new();
        let unpacked_ok = packed.with_args(|args| {
            Message::compiled(PACKED_TEMPLATE, table, args)
                .write(&mut unpacked)
                .is_ok()
        });
        assert_eq!(
            (direct_ok, &direct),
            (unpacked_ok, &unpacked),
            "packed arguments merged differently"
        );
    }
}
