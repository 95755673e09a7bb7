//! `JsonFormatter`: one JSON object per record, its keys chosen by a record template.
//!
//! The template is read by the shared parser ([`crate::template::parse`]) only for the names of
//! its fields: `"%(asctime)s %(levelname)s %(message)s"` selects `asctime`, `levelname` and
//! `message`, in that order; the text around the fields and their conversion specs are
//! ignored. Values keep their type: `levelno`, `lineno`, `created` are numbers, user fields
//! are written as the JSON of their [`Value`]. The output is what Python's
//! `json.dumps(obj, ensure_ascii=False)` prints: `{"key": value, "key": value}` on one line,
//! with control characters, quotes and backslashes escaped.

use std::fmt;

use crate::clock::Converter;
use crate::record::Record;
use crate::template::{self, Attr, ColorAttr, Key, Mode, Piece, Style};
use crate::value::Value;

use super::time::TimeFormat;
use super::{Format, FormatError};

/// Formats each record as one line of JSON.
///
/// - The keys are the fields of a template, in order, each once; colour attributes
///   (`%(log_color)s`, `%(reset)s`, …) are not keys.
/// - A user field that the record lacks (and the formatter has no default for) is `null`
///   rather than an error: a JSON line is still written.
/// - With [`all_extra`](JsonFormatterBuilder::all_extra), every user field of the record
///   (`extra`, adapter and filter fields) follows, in the record's order.
/// - An exception is written as its text (CPython's `exc_text`) under `exc_info`, and a
///   stack under `stack_info`, after the other keys, unless the template placed them
///   (`exc_info` and `exc_text` both hold that text).
/// - Non-finite floats, which JSON cannot represent, are written as the strings `"NaN"`,
///   `"Infinity"` and `"-Infinity"`.
///
/// In a configuration it is the formatter class `logkit.JsonFormatter` (INI
/// `class=logkit.JsonFormatter` with `format=` naming the keys; dictConfig `class` or `()`,
/// the `()` form also taking `all_extra` and `ensure_ascii`).
///
/// # Examples
///
/// ```
/// use logkit::{Format, JsonFormatter, Level, Location, Message, Record, Value};
///
/// let f = JsonFormatter::builder()
///     .template("%(levelname)s %(name)s %(lineno)d %(message)s")
///     .all_extra(true)
///     .build()?;
/// let fields = [("user", Value::from("ann \"the admin\"")), ("attempts", Value::Int(3))];
/// let record = Record::new("app", Level::WARNING, Message::text("login failed"),
///                          Location::new("src/main.rs", 7, "app"))
///     .with_fields(&fields);
/// let mut out = String::new();
/// f.format(&record, &mut out)?;
/// assert_eq!(
///     out,
///     r#"{"levelname": "WARNING", "name": "app", "lineno": 7, "message": "login failed", "user": "ann \"the admin\"", "attempts": 3}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct JsonFormatter {
    source: Box<str>,
    keys: Box<[Field]>,
    time: TimeFormat,
    all_extra: bool,
    ensure_ascii: bool,
    defaults: Box<[(Box<str>, Value<'static>)]>,
}

/// A key of the object: a record attribute or a user field.
#[derive(Clone, Debug)]
enum Field {
    Attr(Attr),
    User(Box<str>),
}

impl Field {
    fn name(&self) -> &str {
        match self {
            Field::Attr(a) => a.name(),
            Field::User(n) => n,
        }
    }
}

impl JsonFormatter {
    /// A formatter whose keys are the fields of a `%`-style `template`.
    ///
    /// # Errors
    ///
    /// A template that does not parse.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::JsonFormatter;
    ///
    /// let f = JsonFormatter::new("%(asctime)s %(name)s %(levelname)s %(message)s")?;
    /// assert_eq!(f.keys().collect::<Vec<_>>(), ["asctime", "name", "levelname", "message"]);
    /// # Ok::<(), logkit::template::Error>(())
    /// ```
    pub fn new(template: &str) -> Result<Self, template::Error> {
        JsonFormatter::builder().template(template).build()
    }

    /// Configures a formatter: template, style, `datefmt`, UTC, extra fields, escaping.
    pub fn builder() -> JsonFormatterBuilder {
        JsonFormatterBuilder::default()
    }

    /// The template the keys come from.
    pub fn template(&self) -> &str {
        &self.source
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(Field::name)
    }

    fn has_key(&self, name: &str) -> bool {
        self.keys.iter().any(|k| k.name() == name)
    }
}

impl Format for JsonFormatter {
    fn template(&self) -> Option<&str> {
        Some(&self.source)
    }

    fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        let start = out.len();
        let result = self.write_object(record, out);
        if result.is_err() {
            out.truncate(start);
        }
        result
    }
}

impl JsonFormatter {
    fn write_object(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        let mut obj = Object::open(out, self.ensure_ascii);
        for key in &*self.keys {
            obj.key(key.name());
            match key {
                Field::Attr(attr) => {
                    // A filter replaced the attribute (`record.levelname = ...`): its value;
                    // `message` and `asctime` are computed afresh, as the text formatters
                    // (and CPython's `Formatter.format`) do.
                    let replaced = if record.has_set_fields()
                        && !matches!(attr, Attr::Message | Attr::Asctime)
                    {
                        record.field(attr.name())
                    } else {
                        None
                    };
                    match replaced {
                        Some(v) => obj.value(v),
                        None => self.write_attr(record, *attr, &mut obj)?,
                    }
                }
                Field::User(name) => {
                    let found = record.field(name).or_else(|| {
                        self.defaults
                            .iter()
                            .find(|(k, _)| **k == **name)
                            .map(|(_, v)| v)
                    });
                    obj.value(found.unwrap_or(&Value::None));
                }
            }
        }
        if self.all_extra {
            let fields = || record.fields().map(|(k, _)| k);
            for (i, name) in fields().enumerate() {
                // Once each (a field set again later wins), and not over the template's keys
                // or under an attribute's name.
                if self.has_key(name)
                    || Attr::from_name(name).is_some()
                    || fields().take(i).any(|k| k == name)
                {
                    continue;
                }
                if let Some(v) = record.field(name) {
                    obj.key(name);
                    obj.value(v);
                }
            }
        }
        if !self.has_key("exc_info") && !self.has_key("exc_text") {
            if let Some(text) = record.exc_text() {
                obj.key("exc_info");
                obj.str(text);
            }
        }
        if !self.has_key("stack_info") {
            if let Some(text) = record.stack_info() {
                obj.key("stack_info");
                obj.str(text);
            }
        }
        obj.close();
        Ok(())
    }

    fn write_attr(
        &self,
        record: &Record<'_>,
        attr: Attr,
        obj: &mut Object<'_>,
    ) -> Result<(), FormatError> {
        let loc = record.location();
        match attr {
            Attr::Name => obj.str(record.name()),
            Attr::Msg => obj.str(record.message().template()),
            Attr::Args => obj.value(&record.message().python_args()),
            Attr::LevelNo => obj.int(i128::from(record.level().value())),
            Attr::LevelName => obj.str(&record.level_name()),
            Attr::PathName => obj.str(loc.file),
            Attr::FileName => obj.str(loc.filename()),
            Attr::Module => obj.str(loc.module()),
            Attr::LineNo => obj.int(i128::from(loc.line)),
            Attr::FuncName => obj.str(loc.func_name()),
            Attr::Created => obj.float(record.created().as_secs_f64()),
            Attr::Msecs => obj.float(record.created().msecs()),
            Attr::RelativeCreated => obj.float(record.relative_created()),
            Attr::Thread => obj.int(record.with_thread_info(|t| i128::from(t.id))),
            Attr::ThreadName => record.with_thread_info(|t| obj.str(&t.name)),
            Attr::Process => obj.int(i128::from(record.process())),
            Attr::ProcessName => obj.str("MainProcess"),
            Attr::Message => {
                let text = obj.begin_str();
                record.write_message(obj.out)?;
                obj.end_str(text);
            }
            Attr::Asctime => {
                let text = obj.begin_str();
                self.time.write(record.created(), obj.out);
                obj.end_str(text);
            }
            Attr::ExcInfo | Attr::ExcText => match record.exc_text() {
                Some(text) => obj.str(text),
                None => obj.null(),
            },
            Attr::StackInfo => match record.stack_info() {
                Some(text) => obj.str(text),
                None => obj.null(),
            },
        }
        Ok(())
    }
}

impl fmt::Debug for JsonFormatter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonFormatter")
            .field("template", &self.source)
            .field("all_extra", &self.all_extra)
            .field("ensure_ascii", &self.ensure_ascii)
            .finish_non_exhaustive()
    }
}

/// Builds a [`JsonFormatter`]; see [`JsonFormatter::builder`].
///
/// # Examples
///
/// ```
/// use logkit::JsonFormatter;
/// use logkit::template::Style;
///
/// let f = JsonFormatter::builder()
///     .template("{asctime} {levelname} {message}")
///     .style(Style::Brace)
///     .datefmt("%Y-%m-%dT%H:%M:%S")
///     .utc(true)
///     .all_extra(true)
///     .build()?;
/// assert_eq!(f.keys().count(), 3);
/// # Ok::<(), logkit::template::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct JsonFormatterBuilder {
    template: Option<String>,
    style: Style,
    datefmt: Option<String>,
    /// Set by `utc(...)`; `None`: the process-wide default.
    utc: Option<bool>,
    all_extra: bool,
    ensure_ascii: bool,
    defaults: Vec<(Box<str>, Value<'static>)>,
}

impl JsonFormatterBuilder {
    /// The template naming the keys; without one, the style's default (`%(message)s`).
    #[must_use]
    pub fn template(mut self, template: &str) -> Self {
        self.template = Some(template.to_owned());
        self
    }

    /// The template style (`%` by default).
    #[must_use]
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// The `strftime` format of `asctime` (milliseconds are then not shown).
    #[must_use]
    pub fn datefmt(mut self, datefmt: &str) -> Self {
        self.datefmt = Some(datefmt.to_owned());
        self
    }

    /// Shows `asctime` in UTC.
    #[must_use]
    pub fn utc(mut self, utc: bool) -> Self {
        self.utc = Some(utc);
        self
    }

    /// Adds every user field of the record after the template's keys (off by default).
    #[must_use]
    pub fn all_extra(mut self, all_extra: bool) -> Self {
        self.all_extra = all_extra;
        self
    }

    /// Escapes every non-ASCII character as `\uXXXX`, as Python's `json.dumps` does by
    /// default (off by default: UTF-8 is written as is).
    #[must_use]
    pub fn ensure_ascii(mut self, ensure_ascii: bool) -> Self {
        self.ensure_ascii = ensure_ascii;
        self
    }

    /// A value for a user field that records lack (Python's `defaults=`).
    #[must_use]
    pub fn default_value(mut self, name: &str, value: Value<'_>) -> Self {
        self.defaults.push((name.into(), value.to_owned_value()));
        self
    }

    /// Parses the template and builds the formatter.
    ///
    /// # Errors
    ///
    /// A template that does not parse, naming the fragment.
    pub fn build(self) -> Result<JsonFormatter, template::Error> {
        let source: Box<str> = self
            .template
            .unwrap_or_else(|| self.style.default_template().to_owned())
            .into();
        let parsed = template::parse(&source, Mode::Record(self.style))?;
        let mut keys: Vec<Field> = Vec::new();
        for piece in &parsed.pieces {
            let Piece::Field(field) = piece else { continue };
            let name = match field.key {
                Key::Name(name) | Key::Path(name, _) => name,
                Key::Next => continue,
            };
            // Colour attributes (a template shared with a coloured console) are not keys:
            // JSON never carries escapes.
            if keys.iter().any(|k| k.name() == name) || ColorAttr::from_name(name).is_some() {
                continue;
            }
            keys.push(match Attr::from_name(name) {
                Some(attr) => Field::Attr(attr),
                None => Field::User(name.into()),
            });
        }
        let mut time = match &self.datefmt {
            Some(d) => TimeFormat::with_datefmt(d),
            None => TimeFormat::default(),
        };
        if let Some(utc) = self.utc {
            time = time.with_converter(if utc {
                Converter::Utc
            } else {
                Converter::Local
            });
        }
        Ok(JsonFormatter {
            source,
            keys: keys.into(),
            time,
            all_extra: self.all_extra,
            ensure_ascii: self.ensure_ascii,
            defaults: self.defaults.into(),
        })
    }
}

// === JSON writing ===

/// Writes one JSON object into `out`.
struct Object<'o> {
    out: &'o mut String,
    first: bool,
    ensure_ascii: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut String, ensure_ascii: bool) -> Self {
        out.push('{');
        Object {
            out,
            first: true,
            ensure_ascii,
        }
    }

    fn key(&mut self, name: &str) {
        if !self.first {
            self.out.push_str(", ");
        }
        self.first = false;
        self.str(name);
        self.out.push_str(": ");
    }

    fn close(self) {
        self.out.push('}');
    }

    fn null(&mut self) {
        self.out.push_str("null");
    }

    fn int(&mut self, v: i128) {
        self.out.push_str(itoa::Buffer::new().format(v));
    }

    fn float(&mut self, v: f64) {
        write_float(self.out, v);
    }

    fn str(&mut self, s: &str) {
        let start = self.begin_str();
        self.out.push_str(s);
        self.end_str(start);
    }

    /// Opens a string; the caller writes its raw text into `out`, then calls `end_str`.
    fn begin_str(&mut self) -> usize {
        self.out.push('"');
        self.out.len()
    }

    fn end_str(&mut self, start: usize) {
        escape_tail(self.out, start, self.ensure_ascii);
        self.out.push('"');
    }

    fn value(&mut self, v: &Value<'_>) {
        write_value(self.out, v, self.ensure_ascii);
    }
}

/// Writes `v` as JSON: `None` is `null`, tuples are arrays, maps are objects, and values
/// with no JSON type (`Display`, `Debug`) are strings of their text.
fn write_value(out: &mut String, v: &Value<'_>, ensure_ascii: bool) {
    match v {
        Value::None => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(itoa::Buffer::new().format(*i)),
        Value::Float(f) => write_float(out, *f),
        Value::Tuple(items) | Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item, ensure_ascii);
            }
            out.push(']');
        }
        Value::Map(items) => {
            let mut obj = Object::open(out, ensure_ascii);
            for (k, item) in items.iter() {
                // As Python's `json.dumps`: keys that are not strings become strings.
                match k {
                    Value::Str(s) => obj.key(s),
                    Value::None => obj.key("null"),
                    Value::Bool(b) => obj.key(if *b { "true" } else { "false" }),
                    other => obj.key(&other.to_string()),
                }
                obj.value(item);
            }
            obj.close();
        }
        Value::Str(_) | Value::Display(_) | Value::Debug(_) => {
            out.push('"');
            let start = out.len();
            v.write_str(out);
            escape_tail(out, start, ensure_ascii);
            out.push('"');
        }
    }
}

/// Appends `s` as a JSON string (quoted and escaped; non-ASCII kept): for other writers of
/// JSON in logkit (OTLP/JSON).
#[cfg(feature = "otlp")]
pub(crate) fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    let start = out.len();
    out.push_str(s);
    escape_tail(out, start, false);
    out.push('"');
}

/// A float as Python's `repr` writes it; JSON has no NaN or infinities, so those are strings.
fn write_float(out: &mut String, v: f64) {
    if v.is_finite() {
        crate::pyfmt::float_repr(out, v);
    } else if v.is_nan() {
        out.push_str("\"NaN\"");
    } else if v > 0.0 {
        out.push_str("\"Infinity\"");
    } else {
        out.push_str("\"-Infinity\"");
    }
}

/// Escapes `out[start..]` as the inside of a JSON string, as Python's `json.dumps` does:
/// `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control characters as `\u00XX`, and with
/// `ensure_ascii` every non-ASCII character as `\uXXXX` (a surrogate pair above U+FFFF).
fn escape_tail(out: &mut String, start: usize, ensure_ascii: bool) {
    let needs = |b: u8| b < 0x20 || b == b'"' || b == b'\\' || (ensure_ascii && b >= 0x80);
    if !out.as_bytes()[start..].iter().any(|&b| needs(b)) {
        return;
    }
    let raw = out.split_off(start);
    for c in raw.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' || (ensure_ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_unicode_escape(out, *unit);
                }
            }
            c => out.push(c),
        }
    }
}

fn push_unicode_escape(out: &mut String, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((unit >> shift) & 0xf)]));
    }
}

#[cfg(test)]
mod tests {
    use super::escape_tail;

    fn escaped(s: &str, ascii: bool) -> String {
        let mut out = String::from("x");
        out.push_str(s);
        escape_tail(&mut out, 1, ascii);
        out.split_off(1)
    }

    #[test]
    fn strings_are_escaped_as_json_dumps_escapes_them() {
        // Expected values printed by CPython 3.11's json.dumps (without the quotes).
        assert_eq!(escaped("plain", false), "plain");
        assert_eq!(
            escaped("a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{1}i\u{1f}j\u{7f}", false),
            "a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj\u{7f}"
        );
        assert_eq!(escaped("é€😀", false), "é€😀");
        assert_eq!(escaped("é€😀", true), "\\u00e9\\u20ac\\ud83d\\ude00");
    }
}
