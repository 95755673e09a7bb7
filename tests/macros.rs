//! The logging macros under `#![no_implicit_prelude]`: every path in their expansion is
//! absolute, and they print what CPython's `%` prints (expected values from CPython 3.11).

#![no_implicit_prelude]
#![allow(unused_extern_crates, clippy::approx_constant)]

extern crate logkit;
extern crate logkit_tests;
extern crate std;

use logkit::{Capture, Level, Logger, get_logger};
use std::string::ToString;
use std::{assert, assert_eq, vec};

fn setup(name: &str, template: &str) -> (Logger, Capture) {
    let l = get_logger(name);
    l.set_level(Level::new(1));
    (l, logkit_tests::capture(l, template))
}

#[test]
fn every_level_macro_and_level_form() {
    let (l, out) = setup("macros.levels", "%(levelname)s %(message)s");
    logkit::debug!(l, "d %s", "x");
    logkit::info!(l, "i %d", 1);
    logkit::warning!(l, "w");
    logkit::error!(l, "e");
    logkit::critical!(l, "c");
    logkit::trace!(l, "t %s", "x");
    logkit::warn!(l, "w %d", 2);
    logkit::log!(l, trace, "log trace");
    logkit::log!(l, warn, "log warn");
    logkit::log!(l, fatal, "log fatal");
    logkit::log!(l, Level::WARN, "log WARN");
    logkit::log!(l, Level::FATAL, "log FATAL");
    logkit::log!(l, info, "log info");
    logkit::log!(l, logkit::Level::WARNING, "log path");
    logkit::log!(l, 25, "log number");
    const NOTICE: Level = Level::new(26);
    logkit::log!(l, NOTICE, "log const");
    let dynamic = Level::ERROR;
    logkit::log!(l, dynamic, "log variable");
    assert_eq!(
        out.lines(),
        vec![
            "DEBUG d x",
            "INFO i 1",
            "WARNING w",
            "ERROR e",
            "CRITICAL c",
            "TRACE t x",
            "WARNING w 2",
            "TRACE log trace",
            "WARNING log warn",
            "CRITICAL log fatal",
            "WARNING log WARN",
            "CRITICAL log FATAL",
            "INFO log info",
            "WARNING log path",
            "Level 25 log number",
            "Level 26 log const",
            "ERROR log variable",
        ]
    );
}

#[test]
fn integer_conversions_match_cpython() {
    let (l, out) = setup("macros.ints", "%(message)s");
    logkit::info!(
        l,
        "%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%#o|%o|%d|%i|%u",
        42,
        42u8,
        42i64,
        42,
        42,
        255,
        255u16,
        255,
        8,
        8,
        -7,
        3.99,
        true
    );
    assert_eq!(
        out.lines(),
        vec!["   42|42   |00042|+42| 42|ff|FF|0xff|0o10|10|-7|3|1"]
    );
}

#[test]
fn float_conversions_match_cpython() {
    let (l, out) = setup("macros.floats", "%(message)s");
    logkit::info!(
        l,
        "%e|%E|%f|%.2f|%10.3f|%-10.1f|%g|%G|%g|%+.3e|%F",
        12345.678,
        0.00001234,
        1.5f32,
        2.675,
        3.14159,
        2.25,
        1e-5,
        1e16,
        100000,
        -1234.5,
        f64::INFINITY
    );
    assert_eq!(
        out.lines(),
        vec![
            "1.234568e+04|1.234000E-05|1.500000|2.67|     3.142|2.2       |1e-05|1E+16|100000|-1.234e+03|INF"
        ]
    );
}

#[test]
fn text_char_star_and_escape_conversions_match_cpython() {
    let (l, out) = setup("macros.text", "%(message)s");
    logkit::info!(
        l,
        "%c%c|%5c|%s|%10s|%-10s|%.3s|%10.2s|%%|%s",
        'A',
        66,
        'z',
        "text",
        "right",
        "left",
        "truncate",
        "ab",
        'x'
    );
    logkit::info!(
        l,
        "%*d|%-*d|%.*f|%*.*s",
        5,
        42,
        5,
        42,
        2,
        3.14159,
        6,
        2,
        "abc"
    );
    // `%r` and `%a` use Rust's `Debug`: strings in double quotes (a listed difference).
    logkit::info!(l, "%r|%a|%8r|", "café", "café", 'x');
    assert_eq!(
        out.lines(),
        vec![
            "AB|    z|text|     right|left      |tru|        ab|%|x",
            "   42|42   |3.14|    ab",
            "\"café\"|\"caf\\xe9\"|     'x'|",
        ]
    );
}

#[test]
fn named_placeholders_take_named_arguments_or_capture_variables() {
    let (l, out) = setup("macros.named", "%(message)s");
    let user = "bob";
    let n = 3;
    logkit::warning!(l, "%(user)s failed %(n)d times");
    logkit::warning!(
        l,
        "%(who)s failed %(count)03d times",
        who = user,
        count = n + 1
    );
    logkit::warning!(l, "%(user)s/%(user)r");
    assert_eq!(
        out.lines(),
        vec!["bob failed 3 times", "bob failed 004 times", "bob/\"bob\""]
    );
}

#[test]
fn a_message_without_arguments_is_printed_as_written() {
    let (l, out) = setup("macros.verbatim", "%(message)s");
    logkit::warning!(l, "100%% done");
    logkit::warning!(l, "50% done");
    logkit::warning!(l, "literal %s and {{braces}}");
    logkit::warning!(l, "with args: %d%% and {{braces}}", 7);
    logkit::warning!(l, r#"JSON as text: {"a": 1}"#);
    assert_eq!(
        out.lines(),
        vec![
            "100%% done",
            "50% done",
            "literal %s and {braces}",
            "with args: 7% and {braces}",
            r#"JSON as text: {"a": 1}"#,
        ]
    );
}

#[test]
fn arguments_are_evaluated_once_and_only_when_enabled() {
    let (l, out) = setup("macros.lazy", "%(message)s");
    l.set_level(Level::WARNING);
    let mut calls = 0;
    let mut next = || {
        calls += 1;
        calls
    };
    logkit::info!(l, "never %d", next());
    logkit::warning!(l, "once %d %s", next(), "x");
    assert_eq!(calls, 1);
    assert_eq!(out.lines(), vec!["once 1 x"]);
}

#[test]
fn named_arguments_are_evaluated_in_the_order_written() {
    let (l, out) = setup("macros.order", "%(message)s");
    let order = std::cell::RefCell::new(std::vec::Vec::new());
    let eval = |name: &'static str| {
        order.borrow_mut().push(name);
        name
    };
    logkit::warning!(l, "%(b)s %(a)s %(b)r", a = eval("a"), b = eval("b"));
    assert_eq!(*order.borrow(), ["a", "b"]);
    order.borrow_mut().clear();
    logkit::warning!(
        l,
        "%(second)s %(first)s",
        first = eval("first"),
        second = eval("second")
    );
    assert_eq!(*order.borrow(), ["first", "second"]);
    assert_eq!(out.lines(), vec!["b a \"b\"", "second first"]);
}

#[test]
fn arguments_are_borrowed_not_moved() {
    let (l, out) = setup("macros.borrow", "%(message)s");
    let owned = "still mine".to_string();
    let v = vec![1, 2];
    logkit::warning!(l, "%s %r", owned, v);
    assert_eq!(owned.len(), 10);
    assert_eq!(v.len(), 2);
    assert_eq!(out.lines(), vec!["still mine [1, 2]"]);
}

#[test]
fn fields_after_a_semicolon_reach_the_template() {
    let (l, out) = setup("macros.fields", "%(user)s %(attempt)d %(message)s");
    let user = "alice".to_string();
    logkit::warning!(l, "login failed for %s", user; user = user, attempt = 3);
    logkit::warning!(l, "no args"; user = "bob", attempt = 1u8);
    assert_eq!(
        out.lines(),
        vec!["alice 3 login failed for alice", "bob 1 no args"]
    );
}

#[test]
fn exception_appends_the_error_and_its_sources() {
    let (l, out) = setup("macros.exception", "%(levelname)s:%(name)s:%(message)s");
    let err = "x1".parse::<i32>().unwrap_err();
    logkit::exception!(l, err, "could not parse %r", "x1");
    let io = std::io::Error::new(std::io::ErrorKind::NotFound, "config.toml");
    let wrapped = Wrapped(io);
    let result: std::result::Result<(), Wrapped> = std::result::Result::Err(wrapped);
    if let std::result::Result::Err(e) = &result {
        logkit::exception!(l, e, "Error occurred when executing try block");
    }
    let boxed: std::boxed::Box<dyn std::error::Error> =
        std::boxed::Box::new(Wrapped(std::io::Error::other("inner")));
    logkit::exception!(l, *boxed, "boxed");
    let text = logkit_tests::strip_backtraces(&out.contents());
    assert_eq!(
        text,
        "ERROR:macros.exception:could not parse \"x1\"\n\
         core::num::error::ParseIntError: invalid digit found in string\n\
         ERROR:macros.exception:Error occurred when executing try block\n\
         macros::Wrapped: could not load settings\n\
         Caused by:\n    0: config.toml\n\
         ERROR:macros.exception:boxed\n\
         could not load settings\n\
         Caused by:\n    0: inner\n"
    );
}

#[test]
fn cpythons_keyword_arguments_after_the_semicolon() {
    let (l, out) = setup(
        "macros.keywords",
        "%(levelname)s %(message)s [%(user)s] line %(lineno)d",
    );
    let err = "x1".parse::<i32>().unwrap_err();
    // exc_info = err: the error follows the message, as `exception!` writes it.
    let error_line = line!() + 1;
    logkit::error!(l, "open %s failed", "db.toml"; exc_info = err, user = "bob");
    // stack_info = true: the stack follows.
    logkit::warning!(l, "here"; stack_info = true, user = "ann");
    let not_here_line = line!() + 1;
    logkit::warning!(l, "not here"; stack_info = false, user = "ann");
    let text = logkit_tests::strip_backtraces(&out.take());
    assert!(
        text.starts_with(&::std::format!(
            "ERROR open db.toml failed [bob] line {error_line}\ncore::num::error::ParseIntError: invalid digit found in string\n",
        )),
        "{text}"
    );
    let stack_at = text.find("WARNING here [ann]").unwrap();
    // The stack starts at the function that logged, not inside logkit.
    assert!(
        text[stack_at..].contains(
            "\nStack (most recent call first):\n   0: macros::cpythons_keyword_arguments_after_the_semicolon\n"
        ),
        "{text}"
    );
    assert!(text.ends_with(&::std::format!(
        "WARNING not here [ann] line {not_here_line}\n"
    )));

    // stacklevel = 2: the location of the caller of a `#[track_caller]` helper.
    #[track_caller]
    fn audit(l: logkit::Logger, what: &str) {
        logkit::warning!(l, "audit: %s", what; stacklevel = 2, user = "svc");
    }
    audit(l, "login");
    let caller_line = line!() - 1;
    assert_eq!(
        out.lines(),
        [::std::format!(
            "WARNING audit: login [svc] line {caller_line}"
        )]
    );
}

#[derive(Debug)]
struct Wrapped(std::io::Error);

impl std::fmt::Display for Wrapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("could not load settings")
    }
}

impl std::error::Error for Wrapped {
    fn source(&self) -> std::option::Option<&(dyn std::error::Error + 'static)> {
        std::option::Option::Some(&self.0)
    }
}

#[test]
fn records_know_their_call_site() {
    let (l, out) = setup(
        "macros.site",
        "%(filename)s|%(module)s|%(funcName)s|%(lineno)d",
    );
    let line = std::line!() + 1;
    logkit::warning!(l, "here");
    let closure = || logkit::warning!(l, "in a closure");
    closure();
    assert_eq!(
        out.lines(),
        vec![
            std::format!("macros.rs|macros|records_know_their_call_site|{line}"),
            std::format!("macros.rs|macros|records_know_their_call_site|{}", line + 1),
        ]
    );
}

#[test]
fn the_default_logger_is_named_after_the_module_path() {
    let root_capture = logkit_tests::capture(get_logger("macros.default_logger"), "%(name)s");
    mod default_logger {
        pub(super) fn go() {
            ::logkit::warning!("from a module");
        }
    }
    default_logger::go();
    assert_eq!(root_capture.lines(), vec!["macros.default_logger"]);
    assert!(root_capture.contents().to_string().starts_with("macros."));
}

#[test]
fn child_exception_appends_a_backtrace_when_capture_is_on() {
    if !logkit_tests::is_child() {
        return;
    }
    let (l, out) = setup("macros.backtrace", "%(message)s");
    logkit::exception!(l, std::io::Error::other("e"), "with a backtrace");
    let text = out.contents();
    assert!(
        text.starts_with("with a backtrace\nstd::io::error::Error: e\nStack backtrace:\n"),
        "{text}"
    );
    assert!(
        text.contains("child_exception_appends_a_backtrace_when_capture_is_on"),
        "{text}"
    );
}

#[test]
fn exception_appends_a_backtrace_when_capture_is_on() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "child_exception_appends_a_backtrace_when_capture_is_on",
            "--exact",
            "--nocapture",
        ])
        .env(logkit_tests::CHILD_ENV, "1")
        .env("RUST_LIB_BACKTRACE", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        std::string::String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn an_adapter_adds_its_context_and_call_fields_win() {
    use std::convert::From;
    let (l, out) = setup("macros.adapter", "%(request)s %(user)s %(message)s");
    let request = l
        .adapter([
            ("request", logkit::Value::from("r-1")),
            ("user", logkit::Value::from("anonymous")),
        ])
        .unwrap();
    logkit::info!(request, "hello %s", "there");
    logkit::info!(&request, "as a reference");
    logkit::warning!(request, "signed in"; user = "alice");
    request.log(Level::ERROR, "run time %d", &[logkit::Value::from(3)]);
    let fields = [("user", logkit::Value::from("bob"))];
    request.event(Level::ERROR, "event").fields(&fields).emit();
    assert_eq!(
        out.lines(),
        vec![
            "r-1 anonymous hello there",
            "r-1 anonymous as a reference",
            "r-1 alice signed in",
            "r-1 anonymous run time 3",
            "r-1 bob event",
        ]
    );
}

#[test]
fn run_time_fields_cannot_replace_record_attributes() {
    use std::convert::From;
    let (l, out) = setup("macros.reserved", "%(message)s");
    for name in ["message", "asctime", "levelname", "msg", "args", "funcName"] {
        let fields = [(name, logkit::Value::from("x"))];
        let err = l
            .event(Level::ERROR, "m")
            .fields(&fields)
            .try_emit()
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(&std::format!("Attempt to overwrite '{name}' in LogRecord")),
            "{err}"
        );
        assert!(l.adapter([(name, logkit::Value::from("x"))]).is_err());
    }
    assert!(out.lines().is_empty(), "nothing was logged");
}
