//! OTLP/JSON: the export request as the OTLP specification's JSON encoding of the protobuf
//! message (proto3's JSON mapping with OTLP's rules): lowerCamelCase field names, enum values
//! as integers, 64-bit integers (`timeUnixNano`, `intValue`) as decimal strings, trace and
//! span ids as lowercase hex (not base64), fields at their default value left out.

use std::fmt::Write as _;

use super::proto::{AnyValue, ExportLogsServiceRequest, KeyValue, LogRecord, ScopeLogs, any_value};
use crate::format::push_json_string;

/// The request as OTLP/JSON.
pub(crate) fn encode(req: &ExportLogsServiceRequest) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"resourceLogs\":[");
    for (i, rl) in req.resource_logs.iter().enumerate() {
        comma(&mut out, i);
        out.push('{');
        let mut first = true;
        if let Some(resource) = &rl.resource {
            key(&mut out, &mut first, "resource");
            out.push('{');
            let mut f = true;
            attributes(&mut out, &mut f, &resource.attributes);
            out.push('}');
        }
        key(&mut out, &mut first, "scopeLogs");
        out.push('[');
        for (j, sl) in rl.scope_logs.iter().enumerate() {
            comma(&mut out, j);
            scope_logs(&mut out, sl);
        }
        out.push(']');
        out.push('}');
    }
    out.push_str("]}");
    out
}

fn comma(out: &mut String, i: usize) {
    if i > 0 {
        out.push(',');
    }
}

/// Writes `"name":`, after a comma unless it is the object's first key.
fn key(out: &mut String, first: &mut bool, name: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
}

fn scope_logs(out: &mut String, sl: &ScopeLogs) {
    out.push('{');
    let mut first = true;
    if let Some(scope) = &sl.scope {
        key(out, &mut first, "scope");
        out.push('{');
        let mut f = true;
        if !scope.name.is_empty() {
            key(out, &mut f, "name");
            push_json_string(out, &scope.name);
        }
        if !scope.version.is_empty() {
            key(out, &mut f, "version");
            push_json_string(out, &scope.version);
        }
        attributes(out, &mut f, &scope.attributes);
        out.push('}');
    }
    key(out, &mut first, "logRecords");
    out.push('[');
    for (i, r) in sl.log_records.iter().enumerate() {
        comma(out, i);
        log_record(out, r);
    }
    out.push_str("]}");
}

fn log_record(out: &mut String, r: &LogRecord) {
    out.push('{');
    let mut first = true;
    if r.time_unix_nano != 0 {
        key(out, &mut first, "timeUnixNano");
        let _ = write!(out, "\"{}\"", r.time_unix_nano);
    }
    if r.observed_time_unix_nano != 0 {
        key(out, &mut first, "observedTimeUnixNano");
        let _ = write!(out, "\"{}\"", r.observed_time_unix_nano);
    }
    if r.severity_number != 0 {
        key(out, &mut first, "severityNumber");
        let _ = write!(out, "{}", r.severity_number);
    }
    if !r.severity_text.is_empty() {
        key(out, &mut first, "severityText");
        push_json_string(out, &r.severity_text);
    }
    if let Some(body) = &r.body {
        key(out, &mut first, "body");
        value(out, body);
    }
    attributes(out, &mut first, &r.attributes);
    if r.dropped_attributes_count != 0 {
        key(out, &mut first, "droppedAttributesCount");
        let _ = write!(out, "{}", r.dropped_attributes_count);
    }
    if r.flags != 0 {
        key(out, &mut first, "flags");
        let _ = write!(out, "{}", r.flags);
    }
    if !r.trace_id.is_empty() {
        key(out, &mut first, "traceId");
        hex(out, &r.trace_id);
    }
    if !r.span_id.is_empty() {
        key(out, &mut first, "spanId");
        hex(out, &r.span_id);
    }
    out.push('}');
}

fn hex(out: &mut String, bytes: &[u8]) {
    out.push('"');
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out.push('"');
}

fn attributes(out: &mut String, first: &mut bool, attrs: &[KeyValue]) {
    if attrs.is_empty() {
        return;
    }
    key(out, first, "attributes");
    key_values(out, attrs);
}

fn key_values(out: &mut String, attrs: &[KeyValue]) {
    out.push('[');
    for (i, kv) in attrs.iter().enumerate() {
        comma(out, i);
        out.push_str("{\"key\":");
        push_json_string(out, &kv.key);
        if let Some(v) = &kv.value {
            out.push_str(",\"value\":");
            value(out, v);
        }
        out.push('}');
    }
    out.push(']');
}

fn value(out: &mut String, v: &AnyValue) {
    use any_value::Value as V;
    match &v.value {
        None => out.push_str("{}"),
        Some(V::StringValue(s)) => {
            out.push_str("{\"stringValue\":");
            push_json_string(out, s);
            out.push('}');
        }
        Some(V::BoolValue(b)) => {
            let _ = write!(out, "{{\"boolValue\":{b}}}");
        }
        Some(V::IntValue(i)) => {
            let _ = write!(out, "{{\"intValue\":\"{i}\"}}");
        }
        Some(V::DoubleValue(d)) => {
            out.push_str("{\"doubleValue\":");
            // proto3 JSON: the non-finite values are strings.
            if d.is_nan() {
                out.push_str("\"NaN\"");
            } else if d.is_infinite() {
                out.push_str(if *d > 0.0 {
                    "\"Infinity\""
                } else {
                    "\"-Infinity\""
                });
            } else {
                let _ = write!(out, "{d:?}");
            }
            out.push('}');
        }
        Some(V::ArrayValue(a)) => {
            out.push_str("{\"arrayValue\":{\"values\":[");
            for (i, item) in a.values.iter().enumerate() {
                comma(out, i);
                value(out, item);
            }
            out.push_str("]}}");
        }
        Some(V::KvlistValue(kv)) => {
            out.push_str("{\"kvlistValue\":{\"values\":");
            key_values(out, &kv.values);
            out.push_str("}}");
        }
        Some(V::BytesValue(b)) => {
            // proto3 JSON: bytes as standard base64.
            out.push_str("{\"bytesValue\":\"");
            out.push_str(&crate::handler::net::base64(b));
            out.push_str("\"}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::proto::{
        ArrayValue, InstrumentationScope, KeyValueList, Resource, ResourceLogs,
    };
    use super::*;

    #[test]
    fn the_shape_follows_otlp_json() {
        use any_value::Value as V;
        let record = LogRecord {
            time_unix_nano: 1_700_000_000_000_000_005,
            observed_time_unix_nano: 1_700_000_000_000_000_005,
            severity_number: 13,
            severity_text: "WARNING".into(),
            body: Some(AnyValue::string("disk \"full\"\n")),
            attributes: vec![
                KeyValue::new(
                    "n",
                    AnyValue {
                        value: Some(V::IntValue(-3)),
                    },
                ),
                KeyValue::new(
                    "ok",
                    AnyValue {
                        value: Some(V::BoolValue(false)),
                    },
                ),
                KeyValue::new(
                    "x",
                    AnyValue {
                        value: Some(V::DoubleValue(1.0)),
                    },
                ),
                KeyValue::new(
                    "nan",
                    AnyValue {
                        value: Some(V::DoubleValue(f64::NAN)),
                    },
                ),
                KeyValue::new("none", AnyValue { value: None }),
                KeyValue::new(
                    "list",
                    AnyValue {
                        value: Some(V::ArrayValue(ArrayValue {
                            values: vec![AnyValue::string("a")],
                        })),
                    },
                ),
                KeyValue::new(
                    "map",
                    AnyValue {
                        value: Some(V::KvlistValue(KeyValueList {
                            values: vec![KeyValue::new("k", AnyValue::string("v"))],
                        })),
                    },
                ),
            ],
            trace_id: vec![0xab; 16],
            span_id: vec![0x01; 8],
            ..LogRecord::default()
        };
        let req = ExportLogsServiceRequest {
            resource_logs: vec![ResourceLogs {
                resource: Some(Resource {
                    attributes: vec![KeyValue::new("service.name", AnyValue::string("svc"))],
                    dropped_attributes_count: 0,
                }),
                scope_logs: vec![ScopeLogs {
                    scope: Some(InstrumentationScope {
                        name: "app".into(),
                        ..InstrumentationScope::default()
                    }),
                    log_records: vec![record],
                    schema_url: String::new(),
                }],
                schema_url: String::new(),
            }],
        };
        let json = encode(&req);
        assert_eq!(
            json,
            concat!(
                r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"#,
                r#""scopeLogs":[{"scope":{"name":"app"},"logRecords":[{"timeUnixNano":"1700000000000000005","#,
                r#""observedTimeUnixNano":"1700000000000000005","severityNumber":13,"severityText":"WARNING","#,
                r#""body":{"stringValue":"disk \"full\"\n"},"attributes":[{"key":"n","value":{"intValue":"-3"}},"#,
                r#"{"key":"ok","value":{"boolValue":false}},{"key":"x","value":{"doubleValue":1.0}},"#,
                r#"{"key":"nan","value":{"doubleValue":"NaN"}},{"key":"none","value":{}},"#,
                r#"{"key":"list","value":{"arrayValue":{"values":[{"stringValue":"a"}]}}},"#,
                r#"{"key":"map","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}}],"#,
                r#""traceId":"abababababababababababababababab","spanId":"0101010101010101"}]}]}]}"#
            )
        );
    }
}
