//! A record as an OTLP `LogRecord` (the OpenTelemetry log data model), and the export
//! request for a batch of them.
//!
//! - `time_unix_nano` and `observed_time_unix_nano`: the record's `created` (the OpenTelemetry
//!   SDKs observe a record when it reaches them, which is the logging call here too; a record
//!   that waited in a queue keeps the time of its call).
//! - `severity_number`: from the level as the OpenTelemetry Python SDK's `LoggingHandler`
//!   maps Python levels (`std_to_otel`): DEBUG 5, INFO 9, WARNING 13, ERROR 17, CRITICAL 21,
//!   levels just above one of those counting up (11 → DEBUG2 … 13 → DEBUG4), the rest of the
//!   range its fourth step, above 53 FATAL4. One deliberate difference: levels 1 to 9 (logkit's
//!   TRACE is 5) are TRACE (1), where the Python SDK says UNSPECIFIED (0) for them.
//! - `severity_text`: the level's name (`levelname`).
//! - `body`: a string, the handler's formatted output (see `OTLPHandler`).
//! - `attributes`: the record's fields (typed), then the semantic conventions `code.file.path`,
//!   `code.function.name` (when known), `code.line.number`, `thread.id`, `thread.name`,
//!   and for an attached error `exception.type`, `exception.message`, `exception.stacktrace`
//!   (from the error; for a record that carries only the exception's text, as one from a
//!   queue does, type and message are read from the text's first line, `Type: message`).
//! - scope: one `ScopeLogs` per logger name, named after the logger (as the Python SDK does).
//! - `trace_id` and `span_id`: from fields named `trace_id` and `span_id` (or `otelTraceID` and
//!   `otelSpanID`, the names OpenTelemetry's Python logging instrumentation gives them) holding
//!   the ids in hex, 32 and 16 digits, as a filter or a logger adapter can set them from the
//!   current trace context; those fields are then not attributes. logkit keeps no trace
//!   context of its own.

use super::proto::{
    AnyValue, ArrayValue, ExportLogsServiceRequest, InstrumentationScope, KeyValue, KeyValueList,
    LogRecord, Resource, ResourceLogs, ScopeLogs, any_value,
};
use crate::level::Level;
use crate::record::Record;
use crate::value::Value;

/// The OTLP severity number of a level (see the module's docs).
pub(crate) fn severity_number(level: Level) -> i32 {
    let l = level.value();
    match l {
        ..=0 => 0,
        1..=9 => 1,
        10..=13 => 5 + (l - 10),
        14..=19 => 8,
        20..=23 => 9 + (l - 20),
        24..=29 => 12,
        30..=33 => 13 + (l - 30),
        34..=39 => 16,
        40..=43 => 17 + (l - 40),
        44..=49 => 20,
        50..=53 => 21 + (l - 50),
        _ => 24,
    }
}

/// A logkit value as an OTLP value: integers beyond `i64` and values with no OTLP type
/// (`Display`, `Debug`) as their text, tuples and lists as arrays, maps as key-value lists
/// (keys that are not strings as their text), `None` as the empty value.
pub(crate) fn any_value(v: &Value<'_>) -> AnyValue {
    use any_value::Value as V;
    let value = match v {
        Value::None => None,
        Value::Bool(b) => Some(V::BoolValue(*b)),
        Value::Int(i) => Some(match i64::try_from(*i) {
            Ok(i) => V::IntValue(i),
            Err(_) => V::StringValue(i.to_string()),
        }),
        Value::Float(f) => Some(V::DoubleValue(*f)),
        Value::Str(s) => Some(V::StringValue(s.to_string())),
        Value::Display(_) | Value::Debug(_) => {
            let mut s = String::new();
            v.write_str(&mut s);
            Some(V::StringValue(s))
        }
        Value::Tuple(items) | Value::List(items) => Some(V::ArrayValue(ArrayValue {
            values: items.iter().map(any_value).collect(),
        })),
        Value::Map(items) => Some(V::KvlistValue(KeyValueList {
            values: items
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Str(s) => s.to_string(),
                        other => {
                            let mut s = String::new();
                            other.write_str(&mut s);
                            s
                        }
                    };
                    KeyValue::new(key, any_value(v))
                })
                .collect(),
        })),
    };
    AnyValue { value }
}

fn int(i: i64) -> AnyValue {
    AnyValue {
        value: Some(any_value::Value::IntValue(i)),
    }
}

/// The enclosing function's path as the macros record it, without logkit's own suffixes
/// and closures (`app::db::query`); empty when not known.
fn function_path(function: &str) -> &str {
    let mut s = function;
    s = s.strip_suffix("::__logkit_here").unwrap_or(s);
    s = s.strip_suffix("::__LOGKIT_CALLSITE").unwrap_or(s);
    while let Some(rest) = s.strip_suffix("::{{closure}}") {
        s = rest;
    }
    s
}

/// The `LogRecord` of `record`, its body `body`.
pub(crate) fn log_record(record: &Record<'_>, body: String) -> LogRecord {
    let nanos = u64::try_from(record.created().as_nanos()).unwrap_or(0);
    let mut trace_id = Vec::new();
    let mut span_id = Vec::new();
    let mut attributes: Vec<KeyValue> = Vec::new();
    for (k, v) in record.fields() {
        match (k, v) {
            ("trace_id" | "otelTraceID", Value::Str(hex)) if trace_id.is_empty() => {
                if let Some(id) = hex_id::<16>(hex) {
                    trace_id = id;
                    continue;
                }
            }
            ("span_id" | "otelSpanID", Value::Str(hex)) if span_id.is_empty() => {
                if let Some(id) = hex_id::<8>(hex) {
                    span_id = id;
                    continue;
                }
            }
            _ => {}
        }
        attributes.push(KeyValue::new(k, any_value(v)));
    }
    let location = record.location();
    if !location.file.is_empty() {
        attributes.push(KeyValue::new(
            "code.file.path",
            AnyValue::string(location.file),
        ));
    }
    let function = function_path(location.function);
    if !function.is_empty() {
        attributes.push(KeyValue::new(
            "code.function.name",
            AnyValue::string(function),
        ));
    }
    if location.line > 0 {
        attributes.push(KeyValue::new(
            "code.line.number",
            int(i64::from(location.line)),
        ));
    }
    record.with_thread_info(|t| {
        attributes.push(KeyValue::new(
            "thread.id",
            int(i64::try_from(t.id).unwrap_or(i64::MAX)),
        ));
        attributes.push(KeyValue::new("thread.name", AnyValue::string(&*t.name)));
    });
    if let Some(exc) = record.exc_info() {
        if !exc.type_name.is_empty() {
            attributes.push(KeyValue::new(
                "exception.type",
                AnyValue::string(exc.type_name),
            ));
        }
        attributes.push(KeyValue::new(
            "exception.message",
            AnyValue::string(exc.error.to_string()),
        ));
    } else if let Some(text) = record.exc_text() {
        // Only the text is left (a record that went through a queue): its first line is
        // `Type: message`, as `ExcInfo::write_text` writes it, or the message alone.
        let first = text.lines().next().unwrap_or("");
        let message = match first.split_once(": ") {
            Some((ty, message)) if !ty.is_empty() && !ty.contains(char::is_whitespace) => {
                attributes.push(KeyValue::new("exception.type", AnyValue::string(ty)));
                message
            }
            _ => first,
        };
        attributes.push(KeyValue::new(
            "exception.message",
            AnyValue::string(message),
        ));
    }
    if let Some(text) = record.exc_text() {
        attributes.push(KeyValue::new(
            "exception.stacktrace",
            AnyValue::string(text),
        ));
    }
    LogRecord {
        time_unix_nano: nanos,
        observed_time_unix_nano: nanos,
        severity_number: severity_number(record.level()),
        severity_text: record.level_name().to_string(),
        body: Some(AnyValue::string(body)),
        attributes,
        trace_id,
        span_id,
        ..LogRecord::default()
    }
}

/// A trace id (`N` = 16) or span id (8) from its lowercase or uppercase hex form; `None` if it
/// is not that many bytes of hex, or all zeros (the invalid id).
fn hex_id<const N: usize>(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 2 * N || !hex.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..N)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect();
    bytes.filter(|b| b.iter().any(|&x| x != 0))
}

/// The export request for `records` (each with its logger's name), grouped into one
/// `ScopeLogs` per logger in the order the loggers first appear.
pub(crate) fn request(
    resource: &Resource,
    records: impl IntoIterator<Item = (String, LogRecord)>,
) -> ExportLogsServiceRequest {
    let mut scopes: Vec<ScopeLogs> = Vec::new();
    for (scope, record) in records {
        let existing = scopes
            .iter_mut()
            .find(|s| s.scope.as_ref().is_some_and(|s| s.name == scope));
        match existing {
            Some(s) => s.log_records.push(record),
            None => scopes.push(ScopeLogs {
                scope: Some(InstrumentationScope {
                    name: scope,
                    ..InstrumentationScope::default()
                }),
                log_records: vec![record],
                schema_url: String::new(),
            }),
        }
    }
    ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: Some(resource.clone()),
            scope_logs: scopes,
            schema_url: String::new(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use prost::Message as _;

    use super::*;
    use crate::record::{ExcInfo, Location, Timestamp};

    #[test]
    fn severities_follow_the_python_sdks_mapping() {
        let cases = [
            (0, 0),
            (5, 1),
            (10, 5),
            (11, 6),
            (13, 8),
            (15, 8),
            (20, 9),
            (25, 12),
            (30, 13),
            (31, 14),
            (40, 17),
            (43, 20),
            (50, 21),
            (53, 24),
            (60, 24),
        ];
        for (level, number) in cases {
            assert_eq!(severity_number(Level::new(level)), number, "level {level}");
        }
    }

    #[test]
    fn an_exception_known_only_as_text_still_has_type_and_message() {
        let text = "std::io::error::Error: disk on fire\nCaused by:\n    0: inner";
        let record = Record::new(
            "app",
            Level::ERROR,
            crate::message::Message::text("failed"),
            Location::new("a.rs", 1, "a"),
        )
        .with_exc_text(text);
        let lr = log_record(&record, "failed".into());
        let get = |k: &str| {
            lr.attributes
                .iter()
                .find(|kv| kv.key == k)
                .and_then(|kv| kv.value.clone())
        };
        assert_eq!(
            get("exception.type"),
            Some(AnyValue::string("std::io::error::Error"))
        );
        assert_eq!(
            get("exception.message"),
            Some(AnyValue::string("disk on fire"))
        );
        assert_eq!(get("exception.stacktrace"), Some(AnyValue::string(text)));
    }

    #[test]
    fn trace_and_span_ids_come_from_hex_fields() {
        let fields = [
            ("trace_id", Value::from("4bf92f3577b34da6a3ce929d0e0e4736")),
            ("span_id", Value::from("00F067AA0BA902B7")),
            (
                "otelTraceID",
                Value::from("not hex at all, stays an attribute"),
            ),
        ];
        let record = Record::new(
            "app",
            Level::INFO,
            crate::message::Message::text("x"),
            Location::new("a.rs", 1, "a"),
        )
        .with_fields(&fields);
        let lr = log_record(&record, "x".into());
        assert_eq!(
            lr.trace_id,
            [
                0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e,
                0x47, 0x36
            ]
        );
        assert_eq!(lr.span_id, [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]);
        assert_eq!(lr.attributes[0].key, "otelTraceID");
        assert!(
            !lr.attributes
                .iter()
                .any(|kv| kv.key == "trace_id" || kv.key == "span_id")
        );
        assert_eq!(hex_id::<8>("0000000000000000"), None);
        assert_eq!(hex_id::<8>("00f067aa0ba902b"), None);
    }

    #[test]
    fn values_keep_their_types() {
        use any_value::Value as V;
        let v = Value::List(
            vec![
                Value::Int(3),
                Value::Int(i128::from(i64::MAX) + 1),
                Value::Float(0.5),
                Value::Bool(true),
                Value::None,
                Value::map([("k", Value::from("v"))]),
            ]
            .into(),
        );
        let Some(V::ArrayValue(a)) = any_value(&v).value else {
            panic!("not an array");
        };
        assert_eq!(a.values[0].value, Some(V::IntValue(3)));
        assert_eq!(
            a.values[1].value,
            Some(V::StringValue("9223372036854775808".into()))
        );
        assert_eq!(a.values[2].value, Some(V::DoubleValue(0.5)));
        assert_eq!(a.values[3].value, Some(V::BoolValue(true)));
        assert_eq!(a.values[4].value, None);
        let Some(V::KvlistValue(kv)) = &a.values[5].value else {
            panic!("not a map");
        };
        assert_eq!(kv.values[0].key, "k");
    }

    #[test]
    fn a_record_becomes_a_log_record_that_decodes_back() {
        let err = std::io::Error::other("disk on fire");
        let fields = [("user", Value::from("ann")), ("n", Value::Int(7))];
        let record = Record::new(
            "app.db",
            Level::ERROR,
            crate::message::Message::text("failed"),
            Location::new("src/db.rs", 42, "app::db")
                .with_function("app::db::query::__logkit_here"),
        )
        .with_fields(&fields)
        .with_created(Timestamp::new(1_700_000_000, 5))
        .with_exc_info(ExcInfo::new(&err));
        let lr = log_record(&record, "failed".into());
        assert_eq!(lr.time_unix_nano, 1_700_000_000_000_000_005);
        assert_eq!(lr.observed_time_unix_nano, lr.time_unix_nano);
        assert_eq!(
            (lr.severity_number, lr.severity_text.as_str()),
            (17, "ERROR")
        );
        let keys: Vec<&str> = lr.attributes.iter().map(|kv| kv.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "user",
                "n",
                "code.file.path",
                "code.function.name",
                "code.line.number",
                "thread.id",
                "thread.name",
                "exception.type",
                "exception.message",
                "exception.stacktrace"
            ]
        );
        assert_eq!(
            lr.attributes[3].value,
            Some(AnyValue::string("app::db::query"))
        );
        let resource = Resource {
            attributes: vec![KeyValue::new("service.name", AnyValue::string("svc"))],
            dropped_attributes_count: 0,
        };
        let req = request(
            &resource,
            [
                ("app.db".to_owned(), lr.clone()),
                ("app.web".to_owned(), lr.clone()),
                ("app.db".to_owned(), lr.clone()),
            ],
        );
        let bytes = req.encode_to_vec();
        let back = ExportLogsServiceRequest::decode(&bytes[..]).unwrap();
        assert_eq!(back, req);
        let scopes = &back.resource_logs[0].scope_logs;
        assert_eq!(scopes.len(), 2);
        assert_eq!(scopes[0].scope.as_ref().unwrap().name, "app.db");
        assert_eq!(scopes[0].log_records.len(), 2);
        assert_eq!(scopes[1].log_records.len(), 1);
    }
}
