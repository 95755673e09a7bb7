//! The body of an `HTTPHandler` request: CPython's `urlencode(mapLogRecord(record))` — the
//! record's attributes in `record.__dict__` order, then its user fields — or the same fields
//! as a JSON object.

use std::fmt::Write as _;

use crate::format::time::TimeFormat;
use crate::format::{FieldSpec, write_attr};
use crate::record::Record;
use crate::template::{Attr, AttrKind};
use crate::value::Value;

/// Calls `f(key, str(value), kind)` for every field of CPython's `record.__dict__`.
fn for_each_field(record: &Record<'_>, mut f: impl FnMut(&str, &str, Kind)) {
    let time = TimeFormat::default();
    let mut text = String::new();
    for attr in Attr::DICT_ORDER {
        text.clear();
        let kind = if attr == Attr::Args {
            record.message().write_args_repr(&mut text);
            Kind::Str
        } else {
            if write_attr(record, attr, &FieldSpec::Plain, &time, &mut text).is_err() {
                text.clear();
            }
            match attr.kind() {
                AttrKind::Int | AttrKind::Float => Kind::Number,
                AttrKind::Str => Kind::Str,
                AttrKind::Object => {
                    let absent = match attr {
                        Attr::ExcInfo => record.exc_info().is_none(),
                        Attr::ExcText => record.exc_text().is_none(),
                        _ => record.stack_info().is_none(),
                    };
                    if absent { Kind::None } else { Kind::Str }
                }
            }
        };
        f(attr.name(), &text, kind);
    }
    for (key, value) in record.fields() {
        text.clear();
        value.write_str(&mut text);
        let kind = match value {
            Value::None => Kind::None,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_) => Kind::Number,
            Value::Float(v) if v.is_finite() => Kind::Number,
            _ => Kind::Str,
        };
        f(key, &text, kind);
    }
}

/// How a field's text goes into JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Number,
    Bool,
    None,
}

/// `urllib.parse.urlencode(record.__dict__)`: `key=value&…`, each part `quote_plus`ed.
///
/// # Examples
///
/// ```
/// use logkit::{Level, Location, Message, Record};
///
/// let args = ["bob".into()];
/// let record = Record::new("app", Level::INFO, Message::dynamic("hi %s", &args),
///     Location::new("src/app.rs", 7, "app"));
/// let body = logkit::http_form_body(&record);
/// assert!(body.starts_with("name=app&msg=hi+%25s&args=%28%27bob%27%2C%29&levelname=INFO&levelno=20&"));
/// ```
pub fn http_form_body(record: &Record<'_>) -> String {
    let mut out = String::with_capacity(512);
    for_each_field(record, |key, value, _| {
        if !out.is_empty() {
            out.push('&');
        }
        quote_plus(&mut out, key);
        out.push('=');
        quote_plus(&mut out, value);
    });
    out
}

/// The same fields as a JSON object with JSON types (numbers, `null` for `None`), plus
/// `"formatted"`: the record as the handler's formatter writes it.
pub(crate) fn json_body(record: &Record<'_>, formatted: &str) -> String {
    let mut out = String::with_capacity(768);
    out.push('{');
    for_each_field(record, |key, value, kind| {
        json_string(&mut out, key);
        out.push(':');
        match kind {
            Kind::Number => out.push_str(value),
            Kind::Bool => out.push_str(if value == "True" { "true" } else { "false" }),
            Kind::None => out.push_str("null"),
            Kind::Str => json_string(&mut out, value),
        }
        out.push(',');
    });
    json_string(&mut out, "formatted");
    out.push(':');
    json_string(&mut out, formatted);
    out.push('}');
    out
}

/// `urllib.parse.quote_plus(s, safe='')`: letters, digits and `_.-~` as they are, space as
/// `+`, every other UTF-8 byte as `%XX`.
pub(crate) fn quote_plus(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
}

/// A JSON string literal.
pub(crate) fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_plus_matches_cpython() {
        // urllib.parse.quote_plus('a b&c=d/é~_.-%+', safe='')
        let mut out = String::new();
        quote_plus(&mut out, "a b&c=d/é~_.-%+");
        assert_eq!(out, "a+b%26c%3Dd%2F%C3%A9~_.-%25%2B");
    }

    #[test]
    fn json_strings_escape_controls() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\nd\u{1}✓");
        assert_eq!(out, r#""a\"b\\c\nd\u0001✓""#);
    }
}
