//! `JsonFormatter`: keys chosen by a template in any style, typed values, user fields, missing
//! fields, exceptions and stacks, escaping as CPython's `json.dumps` escapes (the expected
//! lines below were printed by CPython 3.11), and output that parses back as JSON.

use std::sync::Arc;

use logkit::config::ConfigValue;
use logkit::template::Style;
use logkit::{
    ExcInfo, Format, Handler, JsonFormatter, Level, Location, Message, Record, Timestamp, Value,
    get_logger,
};

fn record<'a>(message: Message<'a>) -> Record<'a> {
    Record::new(
        "app.db",
        Level::WARNING,
        message,
        Location::new("src/db.rs", 7, "app::db"),
    )
    .with_created(Timestamp::new(1_700_000_000, 125_000_000))
}

fn format(f: &JsonFormatter, record: &Record<'_>) -> String {
    let mut out = String::new();
    f.format(record, &mut out).unwrap();
    out
}

#[test]
fn keys_follow_the_template_once_each_with_typed_values() {
    let f = JsonFormatter::builder()
        .template(
            "%(asctime)s %(created)f %(msecs)03d %(levelno)s [%(lineno)d] %(name)-10s %(asctime)s",
        )
        .utc(true)
        .build()
        .unwrap();
    assert_eq!(
        format(&f, &record(Message::text("hi"))),
        r#"{"asctime": "2023-11-14 22:13:20,125", "created": 1700000000.125, "msecs": 125.0, "levelno": 30, "lineno": 7, "name": "app.db"}"#
    );
}

#[test]
fn every_style_selects_keys_and_datefmt_applies() {
    for (template, style) in [
        ("%(levelname)s:%(message)s:%(asctime)s", Style::Percent),
        ("{levelname}:{message!r:>20}:{asctime}", Style::Brace),
        ("$levelname:${message}:$asctime", Style::Dollar),
    ] {
        let f = JsonFormatter::builder()
            .template(template)
            .style(style)
            .datefmt("%Y-%m-%dT%H:%M:%SZ")
            .utc(true)
            .build()
            .unwrap();
        assert_eq!(
            format(&f, &record(Message::dynamic("%d rows", &[Value::Int(3)]))),
            r#"{"levelname": "WARNING", "message": "3 rows", "asctime": "2023-11-14T22:13:20Z"}"#,
            "{template}"
        );
    }
    let err = JsonFormatter::new("%(message)s %(levelname)Z").unwrap_err();
    assert!(err.to_string().contains("`%(levelname)Z`"), "{err}");
}

#[test]
fn user_fields_are_json_values_and_escaped_as_json_dumps_does() {
    let tuple = Value::Tuple(Arc::from(vec![
        Value::Int(1),
        Value::from("a"),
        Value::None,
    ]));
    let map = Value::map([("k", Value::from("v")), ("n", Value::Float(1.0))]);
    let list = Value::List(Arc::from(vec![
        Value::Int(1),
        Value::List(Arc::from(vec![Value::Int(2)])),
    ]));
    let keys = Value::Map(Arc::from(vec![
        (Value::Int(1), Value::from("a")),
        (Value::Float(2.5), Value::from("b")),
        (Value::Bool(true), Value::from("c")),
        (Value::None, Value::from("d")),
    ]));
    let fields = [
        ("user", Value::from("ann \"the\" admin\\")),
        ("n", Value::Int(3)),
        ("ratio", Value::Float(0.5)),
        ("big", Value::Int(10_i128.pow(20))),
        ("ok", Value::Bool(true)),
        ("none", Value::None),
        ("tuple", tuple),
        ("map", map),
        ("list", list),
        ("keys", keys),
        ("text", Value::from("tab\there\nnew \u{1} é")),
    ];
    let r = record(Message::text("m")).with_fields(&fields);
    let f = JsonFormatter::builder()
        .template("%(levelno)s %(user)s")
        .all_extra(true)
        .build()
        .unwrap();
    // json.dumps({...}, ensure_ascii=False), keys in this order.
    assert_eq!(
        format(&f, &r),
        r#"{"levelno": 30, "user": "ann \"the\" admin\\", "n": 3, "ratio": 0.5, "big": 100000000000000000000, "ok": true, "none": null, "tuple": [1, "a", null], "map": {"k": "v", "n": 1.0}, "list": [1, [2]], "keys": {"1": "a", "2.5": "b", "true": "c", "null": "d"}, "text": "tab\there\nnew \u0001 é"}"#
    );
    // Without all_extra only the template's fields.
    let f = JsonFormatter::new("%(user)s %(missing)s").unwrap();
    assert_eq!(
        format(&f, &r),
        r#"{"user": "ann \"the\" admin\\", "missing": null}"#
    );
}

#[test]
fn ensure_ascii_escapes_as_python_s_default_does() {
    let f = JsonFormatter::builder()
        .template("%(message)s")
        .ensure_ascii(true)
        .build()
        .unwrap();
    assert_eq!(
        format(&f, &record(Message::text("é€😀"))),
        r#"{"message": "\u00e9\u20ac\ud83d\ude00"}"#
    );
}

#[test]
fn defaults_fill_missing_fields_and_filters_override_attributes() {
    let f = JsonFormatter::builder()
        .template("%(levelname)s %(region)s %(message)s")
        .default_value("region", Value::from("eu"))
        .build()
        .unwrap();
    let mut r = record(Message::text("m"));
    assert_eq!(
        format(&f, &r),
        r#"{"levelname": "WARNING", "region": "eu", "message": "m"}"#
    );
    r.set_field("levelname", Value::from("NOTICE"));
    r.set_field("region", Value::from("us"));
    r.set_field(
        "message",
        Value::from("not printed: the message is computed"),
    );
    assert_eq!(
        format(&f, &r),
        r#"{"levelname": "NOTICE", "region": "us", "message": "m"}"#
    );
    // A filter's `msg` makes the message, as `getMessage` does.
    r.set_field("msg", Value::from("m2"));
    assert_eq!(
        format(&f, &r),
        r#"{"levelname": "NOTICE", "region": "us", "message": "m2"}"#
    );
}

#[test]
fn exceptions_and_stacks_are_text_fields_and_the_line_parses_back() {
    let err = std::io::Error::other("disk \"full\"\nreally");
    let r = record(Message::text("write failed"))
        .with_exc_info(ExcInfo::new(&err))
        .with_stack_info("Stack (most recent call first):\n  frame");
    let f = JsonFormatter::new("%(message)s").unwrap();
    let line = format(&f, &r);
    assert!(!line.contains('\n'), "one line: {line}");
    let parsed = ConfigValue::from_json(&line).unwrap();
    assert_eq!(
        parsed.get("message"),
        Some(&ConfigValue::Str("write failed".into()))
    );
    assert_eq!(
        parsed.get("exc_info"),
        Some(&ConfigValue::Str(r.exc_text().unwrap().to_owned()))
    );
    assert_eq!(
        parsed.get("stack_info"),
        Some(&ConfigValue::Str(
            "Stack (most recent call first):\n  frame".into()
        ))
    );
    // Placed by the template, they stay where it puts them; null when absent.
    let f = JsonFormatter::new("%(exc_info)s %(message)s %(stack_info)s").unwrap();
    assert_eq!(
        format(&f, &record(Message::text("ok"))),
        r#"{"exc_info": null, "message": "ok", "stack_info": null}"#
    );
}

#[test]
fn non_finite_floats_are_strings_and_message_errors_are_reported() {
    let fields = [
        ("nan", Value::Float(f64::NAN)),
        ("inf", Value::Float(f64::INFINITY)),
        ("ninf", Value::Float(f64::NEG_INFINITY)),
    ];
    let f = JsonFormatter::builder().all_extra(true).build().unwrap();
    let r = record(Message::text("m")).with_fields(&fields);
    assert_eq!(
        format(&f, &r),
        r#"{"message": "m", "nan": "NaN", "inf": "Infinity", "ninf": "-Infinity"}"#
    );
    let args = [Value::from("x")];
    let mut out = String::from("kept");
    let err = f
        .format(&record(Message::dynamic("%d", &args)), &mut out)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "%d format: a real number is required, not str"
    );
    assert_eq!(out, "kept", "nothing half-written");
}

#[test]
fn records_from_the_macros_with_fields_and_an_adapter() {
    let out = logkit::Capture::new();
    let h = logkit::StreamHandler::new(out.clone());
    h.set_formatter(
        JsonFormatter::builder()
            .template("%(levelname)s %(message)s")
            .all_extra(true)
            .build()
            .unwrap(),
    );
    let l = get_logger("json.macros");
    l.add_handler(h);
    let user = "ann";
    logkit::warning!(l, "login by %s", user; attempts = 3);
    let a = l.adapter([("request", Value::from("r-1"))]).unwrap();
    a.log(Level::ERROR, "failed", &[]);
    assert_eq!(
        out.lines(),
        [
            r#"{"levelname": "WARNING", "message": "login by ann", "attempts": 3}"#,
            r#"{"levelname": "ERROR", "message": "failed", "request": "r-1"}"#,
        ]
    );
}
