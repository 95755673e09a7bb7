//! Compiled and run-time formatters print the same bytes: 623 record templates (every
//! attribute under the conversions its type accepts, in all three styles, user fields, mixed
//! templates; `tests/data/parity_cases.rs`), each compiled with `formatter!` and built with
//! `Formatter`, over records that vary in level, name, message, arguments, exception, stack,
//! fields, thread and time. Errors (a missing field) must match too.

use std::sync::Arc;

use logkit::template::Style;
use logkit::{Format, Formatter, Level, Location, Message, Record, ThreadInfo, Timestamp, Value};

macro_rules! parity {
    ($(($style:literal, $template:literal),)*) => {
        /// Every case: its style, template, and compiled formatter.
        fn cases() -> Vec<(char, &'static str, Box<dyn Format>)> {
            vec![$(
                (
                    $style,
                    $template,
                    Box::new(logkit::formatter!(
                        $template,
                        style = $style,
                        utc = true,
                        fields = [user, count, ratio, missing]
                    )) as Box<dyn Format>,
                ),
            )*]
        }
    };
}

include!("data/parity_cases.rs");

/// Formats `record` with both formatters and compares.
fn compare(
    style: char,
    template: &str,
    compiled: &dyn Format,
    record: &Record<'_>,
    which: &str,
) -> bool {
    let runtime = Formatter::builder()
        .template(template)
        .style(Style::from_char(style).unwrap())
        .utc(true)
        .build()
        .unwrap_or_else(|e| panic!("{template:?} does not build at run time: {e}"));
    let mut a = String::new();
    let mut b = String::new();
    let ra = compiled.format(record, &mut a).map_err(|e| e.to_string());
    let rb = runtime.format(record, &mut b).map_err(|e| e.to_string());
    let same = match (&ra, &rb) {
        (Ok(()), Ok(())) => a == b,
        (Err(x), Err(y)) => x == y,
        _ => false,
    };
    if !same {
        eprintln!(
            "template {template:?} ({style}) on record {which}:\n  compiled {ra:?} {a:?}\n  runtime  {rb:?} {b:?}"
        );
    }
    same
}

#[test]
fn compiled_and_runtime_formatters_agree_on_every_template_and_record() {
    logkit::add_level_name(Level::new(25), "NOTICE");
    let err = std::io::Error::other("disk full");
    let args_a = [Value::from("/api/users"), Value::from(42)];
    let args_b = [
        Value::from("caf\u{e9} \u{20ac}"),
        Value::from(-3.5),
        Value::None,
    ];
    let fields_full = [
        ("user", Value::from("alice")),
        ("count", Value::from(7)),
        ("ratio", Value::from(0.125)),
    ];
    let fields_odd = [
        ("user", Value::from("b\u{f6}b 'q'")),
        ("count", Value::from(-12)),
        ("ratio", Value::from(1e16)),
    ];
    let main_thread = Arc::new(ThreadInfo {
        id: 1,
        name: "MainThread".into(),
    });
    let worker = Arc::new(ThreadInfo {
        id: 99,
        name: "worker-\u{e9}".into(),
    });
    let loc = Location::new("src/db/pool.rs", 42, "app::db::pool")
        .with_function("app::db::pool::connect");
    let loc2 = Location::new("main.rs", 7, "app").with_function("app::main::{{closure}}");

    let records: Vec<(&str, Record<'_>)> = vec![
        (
            "info with args and fields",
            Record::new(
                "app.db",
                Level::INFO,
                Message::dynamic("request %s took %d ms", &args_a),
                loc,
            )
            .with_created(Timestamp::new(1_700_000_000, 125_000_000))
            .with_thread(main_thread.clone())
            .with_fields(&fields_full),
        ),
        (
            "custom named level, unicode, odd fields",
            Record::new(
                "donn\u{e9}es.app",
                Level::new(25),
                Message::dynamic("%s/%r/%s", &args_b),
                loc2,
            )
            .with_created(Timestamp::new(1_000_000_000, 999_999_999))
            .with_thread(worker.clone())
            .with_fields(&fields_odd),
        ),
        (
            "unnamed level, exception and stack, no fields",
            Record::new("x", Level::new(27), Message::text("100%% done\n"), loc)
                .with_created(Timestamp::new(86_400 * 365 * 30, 7_000_000))
                .with_thread(main_thread.clone())
                .with_exc_info(logkit::ExcInfo::new(&err))
                .with_stack_info("Stack (most recent call first):\n  frame"),
        ),
        (
            "critical, empty message",
            Record::new("root", Level::CRITICAL, Message::text(""), loc2)
                .with_created(Timestamp::new(0, 0))
                .with_thread(worker.clone())
                .with_fields(&fields_full),
        ),
    ];

    let cases = cases();
    assert!(cases.len() >= 600, "{} cases", cases.len());
    let mut failures = 0;
    let mut compared = 0;
    for (style, template, compiled) in &cases {
        for (which, record) in &records {
            compared += 1;
            if !compare(*style, template, &**compiled, record, which) {
                failures += 1;
            }
        }
    }
    assert_eq!(failures, 0, "{failures} of {compared} comparisons differ");
    eprintln!("{compared} comparisons, all identical");
}
