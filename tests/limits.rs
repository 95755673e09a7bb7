//! Every size and depth taken from input has a maximum (`logkit::limits`, `docs/limits.md`),
//! and going beyond it is an error that says what and where: a formatting error reported
//! through the handler's error path for a width from an argument, an error from
//! `Formatter::new` or the configuration for the rest. Never a hang, an abort on a failed
//! allocation, a stack overflow or a panic.

use logkit::config::{self, ConfigValue, FileConfig};
use logkit::limits::{
    MAX_BACKUP_COUNT, MAX_CONFIG_DEPTH, MAX_FIELD_WIDTH, MAX_FILE_BUFFER, MAX_LOGGER_NAME,
    MAX_QUEUE_CAPACITY,
};
use logkit::template::Style;
use logkit::{Formatter, Handler, Level, NullHandler, QueueHandler, Value, get_logger};
use logkit_tests::{capture, child_stderr, is_child, temp_dir};

/// A thread stack small enough that unbounded recursion on deep input would overflow it.
const SMALL_STACK: usize = 256 * 1024;

/// Runs `f` on a thread with a [`SMALL_STACK`].
fn on_a_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// A minimal INI file whose one handler has `handler_keys` (after `class=`) and whose one
/// formatter has `formatter_keys`.
fn ini(handler_keys: &str, formatter_keys: &str) -> String {
    format!(
        "[loggers]\nkeys=root\n\n[handlers]\nkeys=h\n\n[formatters]\nkeys=f\n\n\
         [logger_root]\nlevel=INFO\nhandlers=h\n\n\
         [handler_h]\n{handler_keys}\nformatter=f\n\n\
         [formatter_f]\n{formatter_keys}\n"
    )
}

fn ini_error(handler_keys: &str, formatter_keys: &str) -> String {
    FileConfig::from_text("app.ini", &ini(handler_keys, formatter_keys))
        .apply()
        .unwrap_err()
        .to_string()
}

fn dict_error(json: &str) -> String {
    config::dict_config(&ConfigValue::from_json(json).unwrap())
        .unwrap_err()
        .to_string()
}

#[test]
fn child_star_widths_beyond_the_maximum() {
    if !is_child() {
        return;
    }
    let l = get_logger("limits.star");
    l.set_propagate(false);
    let out = capture(l, "%(message)s");
    let huge: i64 = 1 << 40;
    // Compiled messages: `*` width and precision.
    logkit::warning!(l, "[%*d]", huge, 7);
    logkit::warning!(l, "[%.*f]", huge, 0.5);
    // Run-time messages.
    l.log(
        Level::WARNING,
        "[%*d]",
        &[Value::Int(1 << 40), Value::Int(7)],
    );
    l.log(
        Level::WARNING,
        "[%*d]",
        &[Value::Int(i128::MIN), Value::Int(7)],
    );
    // Each within the maximum, not together.
    logkit::warning!(l, "%*s%*s", 40_000, "a", 40_000, "b");
    // At the maximum: written, right-aligned.
    logkit::warning!(l, "%*d", MAX_FIELD_WIDTH as i64, 7);
    l.log(
        Level::WARNING,
        "%-*d|",
        &[Value::Int(MAX_FIELD_WIDTH as i128), Value::Int(7)],
    );
    let lines = out.lines();
    assert_eq!(lines.len(), 2, "only the two records at the maximum");
    assert_eq!(lines[0].len(), MAX_FIELD_WIDTH);
    assert!(lines[0].ends_with(" 7"));
    assert_eq!(lines[1].len(), MAX_FIELD_WIDTH + 1);
    assert!(lines[1].starts_with("7 "));

    // A nested `{w}` width taken from a record field.
    let nested = get_logger("limits.nested");
    nested.set_propagate(false);
    let handler = logkit::StreamHandler::new(out.clone());
    handler.set_formatter(Formatter::with_style("{message:>{w}}", Style::Brace).unwrap());
    nested.add_handler(handler);
    nested
        .event(Level::WARNING, "x")
        .fields(&[("w", Value::Int(1 << 40))])
        .emit();
    nested
        .event(Level::WARNING, "x")
        .fields(&[("w", Value::Int(3))])
        .emit();
    assert_eq!(out.lines().last().map(String::as_str), Some("  x"));

    // Through a queue: arguments giving too wide a `*` are not sent to the listener; the
    // message is prepared, and the error reported, at the call (as CPython's `prepare`).
    let queued = get_logger("limits.queued");
    queued.set_propagate(false);
    let target = logkit::StreamHandler::new(out.clone());
    target.set_formatter(Formatter::new("%(message)s").unwrap());
    let queue = QueueHandler::builder().handler(target).start().unwrap();
    queued.add_handler(queue.clone());
    logkit::warning!(queued, "[%*d]", huge, 8);
    logkit::warning!(queued, "[%*d]", 3, 8);
    queue.flush().unwrap();
    assert_eq!(out.lines().last().map(String::as_str), Some("[  8]"));
}

#[test]
fn a_star_width_beyond_the_maximum_is_reported_not_allocated() {
    let stderr = child_stderr("child_star_widths_beyond_the_maximum");
    assert_eq!(
        stderr.matches("--- Logging error ---").count(),
        7,
        "{stderr}"
    );
    for expected in [
        "ValueError: * width too big: 1099511627776 (a width or precision is at most 65535 \
         characters, and those of one template add up to at most 65535)",
        "ValueError: * precision too big: 1099511627776",
        "ValueError: * width too big: 170141183460469231731687303715884105728",
        "ValueError: * width too big: 40000 makes 80000 with the template's other widths",
        "Message: '%*s%*s'\nArguments: (40000, 'a', 40000, 'b')",
        "ValueError: width or precision {w} too big: 1099511627776",
        "Handler: QueueHandler\nLogger: 'limits.queued'\n",
        "Message: '[%*d]'\nArguments: (1099511627776, 8)",
    ] {
        assert!(stderr.contains(expected), "{expected}\n---\n{stderr}");
    }
}

#[test]
fn a_template_width_beyond_the_maximum_is_refused_when_the_formatter_is_built() {
    let err = Formatter::new("%(asctime)s %(message)9999999999s").unwrap_err();
    assert_eq!(err.fragment, "%(message)9999999999s");
    assert!(err.to_string().contains("at most 65535"), "{err}");
    let err = Formatter::with_style("{levelname:>70000} {message}", Style::Brace).unwrap_err();
    assert_eq!(err.fragment, "{levelname:>70000}");
    assert!(Formatter::new(&format!("%(message){MAX_FIELD_WIDTH}s")).is_ok());

    let err = ini_error(
        "class=StreamHandler\nargs=(sys.stdout,)",
        "format=%(levelname)-8s %(message)99999s",
    );
    assert!(err.contains("app.ini:19: [formatter_f]"), "{err}");
    assert!(err.contains("`%(message)99999s`"), "{err}");
    let err = dict_error(
        r#"{"version": 1, "formatters": {"f": {"format": "{message:.100000}", "style": "{"}}}"#,
    );
    assert!(err.contains("formatters.f"), "{err}");
    assert!(err.contains("`{message:.100000}`"), "{err}");
}

#[test]
fn a_queue_capacity_beyond_the_maximum_is_a_config_error() {
    for capacity in ["1000000000", "4611686018427387904", "1048577"] {
        let err = dict_error(&format!(
            r#"{{"version": 1,
                "handlers": {{"null": {{"class": "logging.NullHandler"}},
                              "q": {{"class": "logging.handlers.QueueHandler",
                                    "handlers": ["null"], "capacity": {capacity}}}}}}}"#
        ));
        assert!(err.contains("handlers.q"), "{err}");
        assert!(
            err.contains(&format!(
                "capacity must be from 1 to 1048576 records (logkit's maximum), not {capacity}"
            )),
            "{err}"
        );
    }
    let err = ini_error(
        "class=handlers.QueueHandler\nhandlers=\nkwargs={'capacity': 10**9}",
        "format=%(message)s",
    );
    // `**` is not one of the operators read: refused before any size is.
    assert!(err.contains("[handler_h] kwargs"), "{err}");
    let err = ini_error(
        "class=handlers.QueueHandler\nhandlers=\nkwargs={'capacity': 1000*1000*1000}",
        "format=%(message)s",
    );
    assert!(err.contains("[handler_h]"), "{err}");
    assert!(err.contains("not 1000000000"), "{err}");

    // In code, the builder says so when started.
    let err = QueueHandler::builder()
        .handler(NullHandler::new())
        .capacity(MAX_QUEUE_CAPACITY + 1)
        .start()
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("1048577"), "{err}");
}

#[test]
fn ini_args_nested_too_deep_is_an_error_naming_the_section() {
    on_a_small_stack(|| {
        for depth in [MAX_CONFIG_DEPTH + 1, 10_000] {
            let args = format!("args={}sys.stdout,{}", "(".repeat(depth), ")".repeat(depth));
            let err = ini_error(
                &format!("class=StreamHandler\n{args}"),
                "format=%(message)s",
            );
            assert!(err.contains("app.ini:16: [handler_h] args"), "{err}");
            assert!(err.contains("nest deeper than 32 levels"), "{err}");
            // The literal is quoted by its beginning only.
            assert!(err.len() < 500, "{err}");
        }
        let kwargs = format!("kwargs={{'x': {}1{}}}", "-".repeat(10_000), "");
        let err = ini_error(
            &format!("class=StreamHandler\nargs=(sys.stdout,)\n{kwargs}"),
            "format=%(message)s",
        );
        assert!(err.contains("[handler_h] kwargs"), "{err}");
        assert!(err.contains("nest deeper than 32 levels"), "{err}");
    });
}

#[test]
fn dict_config_values_nested_too_deep_are_an_error_naming_the_key() {
    on_a_small_stack(|| {
        // From JSON: the reader stops at the maximum, with the line and column.
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let json = format!(r#"{{"version": 1, "handlers": {{"h": {{"args": {deep}}}}}}}"#);
        let err = ConfigValue::from_json(&json).unwrap_err();
        assert!(
            format!("{err:?}").contains("nest deeper than 32 levels"),
            "{err:?}"
        );

        // Built in Rust, of any depth: found without recursion, named by its path.
        let mut value = ConfigValue::Int(1);
        for _ in 0..100_000 {
            value = ConfigValue::List(vec![value]);
        }
        let config = ConfigValue::Dict(vec![
            ("version".into(), ConfigValue::Int(1)),
            (
                "handlers".into(),
                ConfigValue::Dict(vec![(
                    "h".into(),
                    ConfigValue::Dict(vec![("kwargs".into(), value)]),
                )]),
            ),
        ]);
        let err = config::dict_config(&config).unwrap_err().to_string();
        assert!(
            err.starts_with("dictConfig: handlers.h.kwargs[0][0]"),
            "{}",
            &err[..80]
        );
        assert!(err.ends_with("values nest deeper than 32 levels (logkit's maximum)"));
        // Dropping it recurses in `Drop`: take it apart level by level.
        let ConfigValue::Dict(mut top) = config else {
            unreachable!()
        };
        let Some((_, ConfigValue::Dict(mut handlers))) = top.pop() else {
            unreachable!()
        };
        let Some((_, ConfigValue::Dict(mut h))) = handlers.pop() else {
            unreachable!()
        };
        let mut v = h.pop().map(|(_, v)| v).unwrap_or(ConfigValue::None);
        while let ConfigValue::List(mut items) = v {
            v = items.pop().unwrap_or(ConfigValue::None);
        }
    });
}

#[test]
fn cfg_references_that_copy_too_much_are_a_config_error() {
    // Eight levels of ten references each: a hundred million copies if resolved.
    let mut levels = String::from(r#""l0": "xxxxxxxxxx""#);
    for level in 1..=8 {
        let refs = vec![format!("\"cfg://l{}\"", level - 1); 10].join(", ");
        levels.push_str(&format!(r#", "l{level}": [{refs}]"#));
    }
    let err = dict_error(&format!(
        r#"{{"version": 1, {levels},
            "handlers": {{"h": {{"class": "logging.StreamHandler", "stream": "cfg://l8"}}}}}}"#
    ));
    assert!(err.contains("handlers.h.stream"), "{err}");
    assert!(
        err.contains("cfg:// references copy more than 100000 values"),
        "{err}"
    );
}

#[test]
fn config_sizes_beyond_their_maximum_are_errors_naming_the_option() {
    let dir = temp_dir("limits");
    let file = dir.join("app.log").display().to_string().replace('\\', "/");

    let err = ini_error(
        &format!(
            "class=handlers.RotatingFileHandler\nargs=('{file}', 'a', 1000, {})",
            MAX_BACKUP_COUNT + 1
        ),
        "format=%(message)s",
    );
    assert!(err.contains("[handler_h]"), "{err}");
    assert!(
        err.contains("backupCount must be at most 100000 (logkit's maximum), not 100001"),
        "{err}"
    );

    let err = ini_error(
        &format!(
            "class=FileHandler\nargs=('{file}',)\nkwargs={{'buffer_size': {}}}",
            MAX_FILE_BUFFER + 1
        ),
        "format=%(message)s",
    );
    assert!(err.contains("[handler_h]"), "{err}");
    assert!(
        err.contains("buffer_size must be at most 67108864 bytes (logkit's maximum)"),
        "{err}"
    );

    let long = "a.".repeat(MAX_LOGGER_NAME / 2) + "b";
    let text = format!(
        "{}\n[logger_long]\nlevel=INFO\nhandlers=\nqualname={long}\n",
        ini("class=NullHandler", "format=%(message)s").replace("keys=root", "keys=root,long")
    );
    let err = FileConfig::from_text("app.ini", &text)
        .apply()
        .unwrap_err()
        .to_string();
    assert!(err.contains("[logger_long] qualname"), "{err}");
    assert!(err.contains("1025 bytes long, more than 1024"), "{err}");
    let err = dict_error(&format!(
        r#"{{"version": 1, "loggers": {{"{long}": {{"level": "INFO"}}}}}}"#
    ));
    assert!(err.contains("loggers.a.a.a"), "{err}");
    assert!(err.contains("more than 1024"), "{err}");
}
