//! `basic_config()` follows CPython's rules (spec §5): one handler and a format for root,
//! nothing at all while root has handlers (unless `force`), argument conflicts rejected
//! before anything is created. Each scenario runs in its own process (root is global).

use logkit::{BasicConfigOutcome, Capture, Level, NullHandler, basic_config, get_logger, root};
use logkit_tests::{child_stderr, is_child, temp_dir};

#[test]
fn child_defaults_to_stderr_with_the_basic_format() {
    if !is_child() {
        return;
    }
    assert_eq!(
        basic_config().init().unwrap(),
        BasicConfigOutcome::Configured
    );
    let r = root();
    r.log(Level::DEBUG, "This is a debug message", &[]);
    r.log(Level::INFO, "This is an info message", &[]);
    r.log(Level::WARNING, "This is a warning message", &[]);
    r.log(Level::ERROR, "This is an error message", &[]);
    r.log(Level::CRITICAL, "This is a critical message", &[]);
}

#[test]
fn defaults_to_stderr_with_the_basic_format() {
    // CPython: the seed's first example.
    assert_eq!(
        child_stderr("child_defaults_to_stderr_with_the_basic_format"),
        "WARNING:root:This is a warning message\nERROR:root:This is an error message\nCRITICAL:root:This is a critical message\n"
    );
}

#[test]
fn child_second_call_does_nothing_unless_forced() {
    if !is_child() {
        return;
    }
    let first = Capture::new();
    basic_config().stream(first.clone()).init().unwrap();
    let second = Capture::new();
    let outcome = basic_config()
        .stream(second.clone())
        .level(Level::DEBUG)
        .init()
        .unwrap();
    assert_eq!(outcome, BasicConfigOutcome::AlreadyConfigured);
    assert_eq!(
        root().level(),
        Level::WARNING,
        "the level of an ignored call is not applied"
    );
    root().log(Level::WARNING, "one", &[]);
    let third = Capture::new();
    let outcome = basic_config()
        .stream(third.clone())
        .format("%(levelname)s|%(message)s")
        .level(Level::INFO)
        .force(true)
        .init()
        .unwrap();
    assert_eq!(outcome, BasicConfigOutcome::Configured);
    root().log(Level::INFO, "two", &[]);
    assert_eq!(first.contents(), "WARNING:root:one\n");
    assert_eq!(second.contents(), "");
    assert_eq!(third.contents(), "INFO|two\n");
    assert_eq!(root().handlers().len(), 1);
}

#[test]
fn second_call_does_nothing_unless_forced() {
    child_stderr("child_second_call_does_nothing_unless_forced");
}

#[test]
fn child_seed_basic_log_file() {
    if !is_child() {
        return;
    }
    let dir = temp_dir("basic");
    let path = dir.join("basic.log");
    std::fs::write(&path, "old content\n").unwrap();
    basic_config()
        .filename(&path)
        .encoding("utf-8")
        .level(Level::INFO)
        .filemode("w")
        .format("%(process)d-%(levelname)s-%(message)s")
        .init()
        .unwrap();
    let r = root();
    r.log(Level::INFO, "This will write in basic.log", &[]);
    r.log(Level::WARNING, "This will also write in basic.log", &[]);
    r.log(Level::DEBUG, "This will not write in basic.log", &[]);
    let pid = std::process::id();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!(
            "{pid}-INFO-This will write in basic.log\n{pid}-WARNING-This will also write in basic.log\n"
        )
    );
}

#[test]
fn seed_basic_log_file() {
    // CPython (spec §18): the second line is `<pid>-WARNING-…`, not the article's
    // `WARNING:This will also write…`.
    child_stderr("child_seed_basic_log_file");
}

#[test]
fn child_conflicting_options_are_rejected_before_anything_is_created() {
    if !is_child() {
        return;
    }
    let dir = temp_dir("conflict");
    let path = dir.join("never.log");
    let err = basic_config()
        .filename(&path)
        .stream(Capture::new())
        .init()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "basic_config: 'stream' and 'filename' should not be specified together"
    );
    let err = basic_config()
        .handler(NullHandler::new())
        .filename(&path)
        .init()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "basic_config: 'stream' or 'filename' should not be specified together with 'handlers'"
    );
    let err = basic_config()
        .filename(&path)
        .format("%(message")
        .init()
        .unwrap_err();
    assert!(err.to_string().contains("invalid format"), "{err}");
    let err = basic_config()
        .filename(dir.join("missing-dir/x.log"))
        .init()
        .unwrap_err();
    assert!(err.to_string().contains("missing-dir/x.log"), "{err}");
    assert!(!path.exists(), "nothing was created");
    assert!(root().handlers().is_empty());
    // Handlers passed in keep their own formatter; the others get the basic one.
    let mine = Capture::new();
    let h = logkit::StreamHandler::new(mine.clone());
    logkit::Handler::set_formatter(&h, logkit::Formatter::new("mine: %(message)s").unwrap());
    let plain = Capture::new();
    basic_config()
        .handler(h)
        .handler(logkit::StreamHandler::new(plain.clone()))
        .init()
        .unwrap();
    get_logger("app").log(Level::ERROR, "boom", &[]);
    assert_eq!(mine.contents(), "mine: boom\n");
    assert_eq!(plain.contents(), "ERROR:app:boom\n");
}

#[test]
fn conflicting_options_are_rejected_before_anything_is_created() {
    child_stderr("child_conflicting_options_are_rejected_before_anything_is_created");
}

#[test]
fn child_other_styles_have_their_own_default_format() {
    if !is_child() {
        return;
    }
    let out = Capture::new();
    basic_config()
        .stream(out.clone())
        .style(logkit::template::Style::Brace)
        .init()
        .unwrap();
    root().log(Level::ERROR, "braced", &[]);
    assert_eq!(out.contents(), "ERROR:root:braced\n");
}

#[test]
fn other_styles_have_their_own_default_format() {
    child_stderr("child_other_styles_have_their_own_default_format");
}
