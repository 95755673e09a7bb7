//! Escaping control characters in text output (`escape = controls`): a message holding a
//! line break, a carriage return, a terminal escape or a NUL stays on one line with Python
//! `repr()` escapes, in the run-time `Formatter`, in `formatter!` and through both
//! configuration formats; the template's own text, logkit's colour escapes and the
//! appended exception text are untouched; with the option off (the default) the bytes are
//! CPython's; the JSON formatter is unchanged.

use logkit::config::{ConfigValue, FileConfig, dict_config};
use logkit::format::{Color, Escaping};
use logkit::{
    ExcInfo, Format, Formatter, Handler, JsonFormatter, Level, Location, Message, Record, Value,
    formatter, get_logger,
};
use logkit_tests::{isolated, temp_dir};

/// What an attacker puts in a message: a forged record, a carriage return that hides the
/// real line's start on a terminal, a colour escape and a NUL.
const FORGED: &str = "login ok\nCRITICAL root: disk on fire\rX\x1b[31mred\0end";

/// [`FORGED`] with the escapes `repr()` writes.
const ESCAPED: &str = r"login ok\nCRITICAL root: disk on fire\rX\x1b[31mred\x00end";

fn record<'a>(message: &'a str, fields: &'a [(&'a str, Value<'a>)]) -> Record<'a> {
    Record::new(
        "app\u{85}web",
        Level::WARNING,
        Message::text(message),
        Location::new("src/web.rs", 3, "app::web"),
    )
    .with_fields(fields)
}

fn line(f: &dyn Format, record: &Record<'_>) -> String {
    let mut out = String::new();
    f.format(record, &mut out).unwrap();
    out
}

#[test]
fn a_forged_line_is_escaped_to_one_line_when_escaping_is_on() {
    let fields = [("user", Value::from("eve\n\t\u{2028}"))];
    let r = record(FORGED, &fields);
    let template = "%(levelname)s\t%(name)s [%(user)s] %(message)s|";
    let runtime = Formatter::builder()
        .template(template)
        .escape(Escaping::Controls)
        .build()
        .unwrap();
    let compiled = formatter!(
        "%(levelname)s\t%(name)s [%(user)s] %(message)s|",
        fields = [user],
        escape = "controls"
    );
    // The template's own tab is kept; every field's control characters are escaped.
    let expected = format!(r"WARNING	app\x85web [eve\n\t\u2028] {ESCAPED}|");
    for out in [line(&runtime, &r), line(&compiled, &r)] {
        assert_eq!(out, expected);
        assert_eq!(out.lines().count(), 1);
        assert!(!out.contains('\x1b') && !out.contains('\0') && !out.contains('\r'));
    }
    // In every style, and after padding and conversions.
    let brace = Formatter::builder()
        .template("{message!s:>5} {levelname}")
        .style(logkit::template::Style::Brace)
        .escape(Escaping::Controls)
        .build()
        .unwrap();
    assert_eq!(line(&brace, &record("a\nb", &[])), r"  a\nb WARNING");
}

#[test]
fn with_escaping_off_control_characters_are_written_as_cpython_writes_them() {
    // CPython 3.11: logging.Formatter('%(levelname)s %(message)s').format(record) with
    // record.msg = FORGED writes the message unchanged (tests/conformance checks the same
    // through a handler against python3 itself).
    let plain = Formatter::new("%(levelname)s %(message)s").unwrap();
    assert_eq!(plain.escaping(), Escaping::None);
    assert_eq!(
        line(&plain, &record(FORGED, &[])).as_bytes(),
        format!("WARNING {FORGED}").as_bytes()
    );
    let compiled = formatter!("%(levelname)s %(message)s");
    assert_eq!(
        line(&compiled, &record(FORGED, &[])),
        format!("WARNING {FORGED}")
    );
}

#[test]
fn colours_and_the_exception_text_are_written_as_they_are() {
    let colored = Formatter::builder()
        .template("%(log_color)s%(levelname)s%(reset)s %(message)s")
        .color(Color::Always)
        .escape(Escaping::Controls)
        .build()
        .unwrap();
    let out = line(&colored, &record("a\x1b[2Jb", &[]));
    // logkit's own escapes (yellow for WARNING, the resets) are written; the message's is not.
    assert_eq!(out, "\x1b[33mWARNING\x1b[0m a\\x1b[2Jb\x1b[0m");

    #[derive(Debug)]
    struct Multiline;
    impl std::fmt::Display for Multiline {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("first\nsecond")
        }
    }
    impl std::error::Error for Multiline {}
    let err = Multiline;
    let r = record("failed\nforged", &[]).with_exc_info(ExcInfo::new(&err));
    let f = Formatter::builder()
        .template("%(message)s")
        .escape(Escaping::Controls)
        .build()
        .unwrap();
    let out = line(&f, &r);
    // The message is one line; the exception text after it keeps its own line breaks.
    assert!(out.starts_with("failed\\nforged\n"), "{out}");
    assert!(out.contains("first\nsecond"), "{out}");
}

#[test]
fn the_json_formatter_is_unchanged() {
    let json = JsonFormatter::new("%(levelname)s %(message)s").unwrap();
    let out = line(&json, &record(FORGED, &[]));
    assert_eq!(
        out,
        r#"{"levelname": "WARNING", "message": "login ok\nCRITICAL root: disk on fire\rX\u001b[31mred\u0000end"}"#
    );
    // It has no such option to set.
    let config = ConfigValue::from_python(
        "{'version': 1, 'formatters': {'j': {'()': 'logkit.JsonFormatter', 'escape': 'controls'}}}",
    )
    .unwrap();
    let err = dict_config(&config).unwrap_err().to_string();
    assert!(
        err.contains("unexpected keyword argument 'escape'"),
        "{err}"
    );
}

const INI: &str = "\
[loggers]
keys=root

[handlers]
keys=file

[formatters]
keys=safe

[logger_root]
level=INFO
handlers=file

[handler_file]
class=FileHandler
args=('%(path)s', 'w')
formatter=safe

[formatter_safe]
format=%(levelname)s %(message)s
escape=controls
";

fn flush_root() {
    for h in logkit::root().handlers() {
        h.flush().unwrap();
    }
}

#[test]
fn configuration_turns_escaping_on() {
    isolated("configuration_turns_escaping_on", || {
        let dir = temp_dir("escaping-config");
        let ini_log = dir.join("ini.log");
        FileConfig::from_text("app.ini", INI)
            .defaults([("path", ini_log.display().to_string())])
            .apply()
            .unwrap();
        get_logger("web").log(Level::WARNING, FORGED, &[]);
        flush_root();
        assert_eq!(
            std::fs::read_to_string(&ini_log).unwrap(),
            format!("WARNING {ESCAPED}\n")
        );

        let dict_log = dir.join("dict.log");
        let config = ConfigValue::from_python(&format!(
            "{{'version': 1, 'disable_existing_loggers': False,
              'formatters': {{'safe': {{'format': '%(message)s', 'escape': 'controls'}}}},
              'handlers': {{'file': {{'class': 'logging.FileHandler', 'formatter': 'safe',
                                    'filename': {:?}, 'mode': 'w'}}}},
              'root': {{'level': 'INFO', 'handlers': ['file']}}}}",
            dict_log.display().to_string()
        ))
        .unwrap();
        dict_config(&config).unwrap();
        get_logger("web").log(Level::WARNING, FORGED, &[]);
        flush_root();
        assert_eq!(
            std::fs::read_to_string(&dict_log).unwrap(),
            format!("{ESCAPED}\n")
        );
    });
}

#[test]
fn an_unknown_escape_value_is_a_config_error_naming_section_and_key() {
    let ini = INI.replace("escape=controls", "escape=all");
    let dir = temp_dir("escaping-unknown");
    let unused = dir.join("unused.log");
    let err = FileConfig::from_text("app.ini", &ini)
        .defaults([("path", unused.display().to_string())])
        .apply()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("app.ini:19: [formatter_safe]: Formatter(): escape must be 'none' or 'controls', not 'all'"),
        "{err}"
    );
    let config = ConfigValue::from_python(
        "{'version': 1, 'formatters': {'f': {'format': '%(message)s', 'escape': 'yes'}}}",
    )
    .unwrap();
    let err = dict_config(&config).unwrap_err().to_string();
    assert!(
        err.contains(
            "dictConfig: formatters.f: Formatter(): escape must be 'none' or 'controls', not 'yes'"
        ),
        "{err}"
    );
}
