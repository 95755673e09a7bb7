//! Formatters print what CPython prints for the same record: a table of templates in all
//! three styles, each run through the run-time `Formatter` and through a `formatter!`
//! compiled one (which must agree byte for byte). Expected outputs come from CPython 3.11
//! (`tests/data/gen_formatter_cases.py`).

use std::sync::Arc;

use logkit::template::Style;
use logkit::{
    Format, Formatter, Handler, Level, Location, Message, Record, ThreadInfo, Timestamp, Value,
};

/// The record CPython's generator formats: `app.db`, INFO, `src/db/pool.rs:42` in
/// `connect`, created at 1700000000.125 (UTC), thread 12345 `MainThread`.
fn with_record<R>(f: impl FnOnce(&Record<'_>) -> R) -> R {
    let args = [Value::from("/api/users"), Value::from(42)];
    let record = Record::new(
        "app.db",
        Level::INFO,
        Message::dynamic("request %s took %d ms", &args),
        Location::new("src/db/pool.rs", 42, "app::db::pool")
            .with_function("app::db::pool::connect"),
    )
    .with_created(Timestamp::new(1_700_000_000, 125_000_000))
    .with_thread(Arc::new(ThreadInfo {
        id: 12345,
        name: "MainThread".into(),
    }));
    f(&record)
}

fn expected(s: &str) -> String {
    // CPython's generator fixes the process id at 4242.
    s.replace("4242", &std::process::id().to_string())
}

fn run(f: &dyn Format) -> String {
    with_record(|r| {
        let mut out = String::new();
        f.format(r, &mut out).expect("formats");
        out
    })
}

macro_rules! cases {
    ($(($style:literal, $template:literal, $expected:literal),)*) => {
        #[test]
        fn runtime_formatter_matches_cpython() {
            $(
                let style = Style::from_char($style).unwrap();
                let f = Formatter::builder().template($template).style(style).utc(true).build().unwrap();
                assert_eq!(run(&f), expected($expected), "template {:?}", $template);
            )*
        }

        #[test]
        fn compiled_formatter_matches_runtime_and_cpython() {
            $(
                let f = logkit::formatter!($template, style = $style, utc = true);
                assert_eq!(run(&f), expected($expected), "template {:?}", $template);
            )*
        }
    };
}

cases! {
    ('%', "%(asctime)s", "2023-11-14 22:13:20,125"),
    ('%', "%(name)s|%(levelname)-8s|%(levelname)8s|%(levelno)d|%(levelno)#o|%(levelno)5.3d|%(levelno)x|%(levelno)+d", "app.db|INFO    |    INFO|20|0o24|  020|14|+20"),
    ('%', "%(levelno)f|%(levelno)e|%(levelno)r|%(levelno)s|%(levelno)-5d|%(levelno)05d|%(levelno)X", "20.000000|2.000000e+01|20|20|20   |00020|14"),
    ('%', "%(message)s|%(message)r|%(message)a|%(message).7s|%(message)30s|%(message)-30s|", "request /api/users took 42 ms|'request /api/users took 42 ms'|'request /api/users took 42 ms'|request| request /api/users took 42 ms|request /api/users took 42 ms |"),
    ('%', "%(msecs)d|%(msecs)03d|%(msecs)s|%(msecs)f|%(created)f|%(created)s|%(created).3f|%(created)e|%(created)g", "125|125|125.0|125.000000|1700000000.125000|1700000000.125|1700000000.125|1.700000e+09|1.7e+09"),
    ('%', "%(pathname)s %(filename)s %(module)s %(lineno)d %(funcName)s", "src/db/pool.rs pool.rs pool 42 connect"),
    ('%', "%(thread)d %(threadName)s %(processName)s", "12345 MainThread MainProcess"),
    ('%', "%(msg)s|%(args)s|%(exc_text)s|%(stack_info)s", "request %s took %d ms|('/api/users', 42)|None|None"),
    ('%', "%%(name)s %% %(name)s%%", "%(name)s % app.db%"),
    ('%', "[%(levelname)10.2s] %(name)-10.4s|", "[        IN] app.      |"),
    ('%', "%(asctime)s - %(name)s - %(levelname)s - %(message)s", "2023-11-14 22:13:20,125 - app.db - INFO - request /api/users took 42 ms"),
    ('%', "%(process)d-%(levelname)s-%(message)s", "4242-INFO-request /api/users took 42 ms"),
    ('%', "%(levelname)s:%(name)s:%(message)s", "INFO:app.db:request /api/users took 42 ms"),
    ('{', "{name} {levelname:<8}|{levelname:>8}|{levelname:^9}|{levelno:03d}|{levelno:#x}|{message!r}", "app.db INFO    |    INFO|  INFO   |020|0x14|'request /api/users took 42 ms'"),
    ('{', "{created:.3f} {msecs:.0f} {levelno:+} {levelno:,} {lineno:_b} {levelno:*^7} {levelno:=+6}", "1700000000.125 125 +20 20 10_1010 **20*** +   20"),
    ('{', "{asctime} {{literal}} {name!s:>10} {levelno:e} {created:,.2f} {levelno:%}", "2023-11-14 22:13:20,125 {literal}     app.db 2.000000e+01 1,700,000,000.12 2000.000000%"),
    ('$', "$name ${levelname}:$message $$ ${asctime}", "app.db INFO:request /api/users took 42 ms $ 2023-11-14 22:13:20,125"),
}

#[test]
fn exception_text_follows_the_message_after_one_newline() {
    let err = std::io::Error::other("disk full");
    let f = Formatter::new("%(levelname)s:%(message)s").unwrap();
    let record = Record::new(
        "x",
        Level::ERROR,
        Message::text("write failed"),
        Location::new("a.rs", 1, "a"),
    )
    .with_exc_info(logkit::ExcInfo::new(&err));
    let mut out = String::new();
    f.format(&record, &mut out).unwrap();
    assert_eq!(out, "ERROR:write failed\nstd::io::error::Error: disk full");

    // Even a template without %(message)s gets the exception text (CPython does this).
    let f = Formatter::new("%(levelname)s").unwrap();
    out.clear();
    f.format(&record, &mut out).unwrap();
    assert_eq!(out, "ERROR\nstd::io::error::Error: disk full");

    // A message already ending in a newline gets no second one.
    let record = Record::new(
        "x",
        Level::ERROR,
        Message::text("line\n"),
        Location::new("a.rs", 1, "a"),
    )
    .with_exc_text("Traceback");
    out.clear();
    Formatter::new("%(message)s")
        .unwrap()
        .format(&record, &mut out)
        .unwrap();
    assert_eq!(out, "line\nTraceback");
}

#[test]
fn missing_user_field_is_cpythons_error() {
    let f = Formatter::new("%(user)s %(message)s").unwrap();
    let err = with_record(|r| f.format(r, &mut String::new()).unwrap_err());
    assert_eq!(
        err.to_string(),
        "Formatting field not found in record: 'user'"
    );
}

#[test]
fn datefmt_drops_milliseconds_and_defaults_fill_missing_fields() {
    let f = Formatter::builder()
        .template("%(asctime)s %(user)s")
        .datefmt("%d/%m/%Y %H:%M:%S")
        .default_value("user", Value::from("-"))
        .utc(true)
        .build()
        .unwrap();
    assert_eq!(run(&f), "14/11/2023 22:13:20 -");
}

#[test]
fn wrong_conversion_for_an_attribute_is_a_type_error_at_format_time() {
    let f = Formatter::new("%(name)d").unwrap();
    let err = with_record(|r| f.format(r, &mut String::new()).unwrap_err());
    assert_eq!(
        err.to_string(),
        "%d format: a real number is required, not str"
    );
}

#[test]
fn bad_templates_are_errors_naming_the_fragment() {
    let cases: &[(&str, Style, &str)] = &[
        ("%(asctime)s %(levelname)Z", Style::Percent, "%(levelname)Z"),
        ("%(message", Style::Percent, "%(message"),
        ("{message!x}", Style::Brace, "{message!x}"),
        ("{message:.2ff}", Style::Brace, ".2ff"),
        ("$ $message", Style::Dollar, "`$`"),
        ("no fields", Style::Brace, "no fields"),
    ];
    for (template, style, fragment) in cases {
        let err = Formatter::with_style(template, *style).unwrap_err();
        assert!(err.to_string().contains(fragment), "{template}: {err}");
    }
}

#[test]
fn attributes_a_filter_replaced_print_as_replaced_but_message_and_asctime_are_computed() {
    // CPython: a filter that sets r.message, r.asctime, r.levelname, r.name and r.lineno;
    // Formatter.format recomputes message and asctime and prints the others as set.
    let args = [Value::from("/api/users"), Value::from(42)];
    let mut record = Record::new(
        "app.db",
        Level::INFO,
        Message::dynamic("request %s took %d ms", &args),
        Location::new("src/db/pool.rs", 42, "app::db::pool"),
    )
    .with_created(Timestamp::new(1_700_000_000, 125_000_000));
    for (name, value) in [
        ("message", "X"),
        ("asctime", "Y"),
        ("levelname", "L"),
        ("name", "N"),
        ("lineno", "LN"),
    ] {
        record.set_field(name, Value::from(value));
    }
    let percent = "2023-11-14 22:13:20,125|L|N|LN|request /api/users took 42 ms";
    let brace = "L|request /api/users took 42 ms|2023-11-14 22:13:20,125";
    let formatters: [(Box<dyn Format>, &str); 4] = [
        (
            Box::new(
                Formatter::builder()
                    .template("%(asctime)s|%(levelname)s|%(name)s|%(lineno)s|%(message)s")
                    .utc(true)
                    .build()
                    .unwrap(),
            ),
            percent,
        ),
        (
            Box::new(logkit::formatter!(
                "%(asctime)s|%(levelname)s|%(name)s|%(lineno)s|%(message)s",
                utc = true
            )),
            percent,
        ),
        (
            Box::new(
                Formatter::builder()
                    .template("{levelname}|{message}|{asctime}")
                    .style(Style::Brace)
                    .utc(true)
                    .build()
                    .unwrap(),
            ),
            brace,
        ),
        (
            Box::new(logkit::formatter!(
                "{levelname}|{message}|{asctime}",
                style = '{',
                utc = true
            )),
            brace,
        ),
    ];
    for (formatter, expected) in formatters {
        let mut out = String::new();
        formatter.format(&record, &mut out).unwrap();
        assert_eq!(out, expected);
    }
}

#[test]
fn a_filter_replacing_msg_or_args_changes_the_message() {
    // CPython's getMessage is `str(record.msg) % record.args` (no `%` when args is empty),
    // with whatever a filter set.
    let formatter = Formatter::new("%(msg)s|%(args)s|%(message)s").unwrap();
    let format = |record: &Record<'_>| {
        let mut out = String::new();
        formatter.format(record, &mut out).unwrap();
        out
    };
    let here = Location::new("src/a.rs", 1, "a");
    let args = [Value::from("bob"), Value::from(7)];

    // msg only: the call's run-time arguments fill the new template.
    let mut record = Record::new(
        "a",
        Level::INFO,
        Message::dynamic("user %s took %d ms", &args),
        here,
    );
    record.set_field("msg", Value::from("[ctx] user %s took %d ms"));
    assert_eq!(
        format(&record),
        "[ctx] user %s took %d ms|('bob', 7)|[ctx] user bob took 7 ms"
    );

    // args only: the original template with the new arguments.
    let mut record = Record::new(
        "a",
        Level::INFO,
        Message::dynamic("user %s took %d ms", &args),
        here,
    );
    record.set_field(
        "args",
        Value::Tuple(vec![Value::from("ann"), Value::from(1)].into()),
    );
    assert_eq!(
        format(&record),
        "user %s took %d ms|('ann', 1)|user ann took 1 ms"
    );

    // Both, on a message that had no arguments; then args set to () (no formatting).
    let mut record = Record::new("a", Level::INFO, Message::text("ready"), here);
    record.set_field("msg", Value::from("%d%%"));
    record.set_field("args", Value::Tuple(vec![Value::from(50)].into()));
    assert_eq!(format(&record), "%d%%|(50,)|50%");
    record.set_field("args", Value::Tuple(Vec::new().into()));
    assert_eq!(format(&record), "%d%%|()|%d%%");

    // A lone mapping fills named placeholders; None means no formatting.
    record.set_field("msg", Value::from("%(who)s"));
    record.set_field("args", Value::map([("who", Value::from("eve"))]));
    assert_eq!(format(&record), "%(who)s|{'who': 'eve'}|eve");
    record.set_field("args", Value::None);
    assert_eq!(format(&record), "%(who)s|None|%(who)s");

    // The compiled formatter and `message_string` agree.
    let compiled = logkit::formatter!("%(message)s");
    let mut out = String::new();
    compiled.format(&record, &mut out).unwrap();
    assert_eq!(out, "%(who)s");
    assert_eq!(record.message_string().unwrap(), "%(who)s");
}

#[test]
fn a_filter_prefixing_msg_of_a_macro_call_keeps_its_typed_arguments() {
    let out = logkit::Capture::new();
    let handler = logkit::StreamHandler::new(out.clone());
    handler.set_formatter(logkit::formatter!("%(message)s"));
    handler.add_filter(|r: &mut Record<'_>| {
        let msg = format!("[ctx] {}", r.message().template());
        r.set_field("msg", Value::from(msg));
        true
    });
    let logger = logkit::get_logger("formatter.prefixed");
    logger.add_handler(handler);
    logkit::warning!(logger, "took %5.1f ms|%-4s|%x|%*d", 7.25, "ab", 255, 3, 7);
    let user = "alice";
    logkit::warning!(logger, "%(user)s logged in");
    logkit::warning!(logger, "no args 100%%");
    assert_eq!(
        out.contents(),
        "[ctx] took   7.2 ms|ab  |ff|  7\n[ctx] alice logged in\n[ctx] no args 100%%\n"
    );
}
