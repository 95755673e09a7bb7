//! The examples of the tutorial logkit started from, each with the output CPython 3.11
//! really prints (the article's printed outputs contain errors; see the spec's errata).
//! Scenarios that configure the root logger run in their own process.

use logkit::{
    FileHandler, FileMode, Formatter, Handler, Level, NameFilter, StreamHandler, basic_config,
    get_logger, root,
};
use logkit_tests::{capture, child_stderr, is_child, temp_dir};

#[test]
fn custom_logger_with_a_stream_handler_and_its_own_level_and_format() {
    let out = logkit::Capture::new();
    let logger = get_logger("seed.custom");
    let stream_handle = StreamHandler::new(out.clone());
    stream_handle.set_level(Level::INFO);
    stream_handle.set_formatter(Formatter::new("%(process)s - %(message)s").unwrap());
    logger.add_handler(stream_handle);
    logger.log(Level::WARNING, "This is a warning", &[]);
    logger.log(Level::ERROR, "This is an error", &[]);
    // CPython: both lines carry the same pid (the article shows two different numbers).
    let pid = std::process::id();
    assert_eq!(
        out.contents(),
        format!("{pid} - This is a warning\n{pid} - This is an error\n")
    );
}

#[test]
fn a_name_filter_passes_one_branch_of_the_tree() {
    let prog = get_logger("prog");
    let out = logkit::Capture::new();
    let h = StreamHandler::new(out.clone());
    h.set_formatter(Formatter::new("%(name)s").unwrap());
    h.add_filter(NameFilter::new("prog.items"));
    prog.add_handler(h);
    for name in [
        "prog.person",
        "prog.person.users",
        "prog.items",
        "prog.items.products",
        "prog.items.images",
    ] {
        get_logger(name).log(Level::WARNING, "m", &[]);
    }
    assert_eq!(
        out.lines(),
        ["prog.items", "prog.items.products", "prog.items.images"]
    );
}

#[test]
fn file_handler_with_the_tutorial_formatter() {
    let dir = temp_dir("spot");
    let path = dir.join("SPOT.log");
    let logger = get_logger("example_logger");
    logger.set_level(Level::DEBUG);
    let example_handler = FileHandler::options(&path)
        .mode(FileMode::Write)
        .open()
        .unwrap();
    example_handler.set_level(Level::DEBUG);
    example_handler.set_formatter(logkit::formatter!(
        "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
    ));
    logger.add_handler(example_handler);
    logkit::debug!(logger, "write your message");
    let text = std::fs::read_to_string(&path).unwrap();
    let (stamp, rest) = text.split_at(23);
    assert_eq!(rest, " - example_logger - DEBUG - write your message\n");
    // `2023-11-14 22:13:20,125`: comma, three digits of milliseconds.
    let shape: String = stamp
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    assert_eq!(shape, "9999-99-99 99:99:99,999");
}

#[test]
fn a_child_logger_takes_its_parents_configuration_once_it_exists() {
    let logger = get_logger("parent_logger_name.child_logger_name");
    // Not printed: nothing is configured yet and INFO is below the last resort.
    logger.log(Level::INFO, "this is info level", &[]);
    let parent_logger = get_logger("parent_logger_name");
    let out = capture(parent_logger, "%(name)s - %(levelname)s - %(message)s");
    parent_logger.set_level(Level::INFO);
    logger.log(Level::INFO, "INFO Level printed.", &[]);
    // CPython prints the name as created: lower case, unlike the article.
    assert_eq!(
        out.lines(),
        ["parent_logger_name.child_logger_name - INFO - INFO Level printed."]
    );
}

#[test]
fn child_variable_data_needs_info_enabled() {
    if !is_child() {
        return;
    }
    basic_config().init().unwrap();
    let fn_name = "ReadUser";
    logkit::info!(root(), "Execution of %s function is complete.", fn_name);
    root().set_level(Level::INFO);
    logkit::info!(root(), "Execution of %s function is complete.", fn_name);
}

#[test]
fn variable_data_needs_info_enabled() {
    // CPython prints no space after `root:`, and only once INFO is enabled.
    assert_eq!(
        child_stderr("child_variable_data_needs_info_enabled"),
        "INFO:root:Execution of ReadUser function is complete.\n"
    );
}

mod mylib {
    pub(crate) fn do_something() {
        logkit::info!(logkit::root(), "Doing something");
    }
}

#[test]
fn child_several_modules_share_the_root_configuration() {
    if !is_child() {
        return;
    }
    let dir = temp_dir("myapp");
    let path = dir.join("myapp.log");
    basic_config()
        .filename(&path)
        .level(Level::INFO)
        .init()
        .unwrap();
    logkit::info!(root(), "Started");
    mylib::do_something();
    logkit::info!(root(), "Finished");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "INFO:root:Started\nINFO:root:Doing something\nINFO:root:Finished\n"
    );
}

#[test]
fn several_modules_share_the_root_configuration() {
    child_stderr("child_several_modules_share_the_root_configuration");
}

#[test]
fn child_exceptions_are_logged_with_their_error_text() {
    if !is_child() {
        return;
    }
    basic_config().init().unwrap();
    let result: Result<u8, _> = "printf".parse::<u8>();
    if let Err(argument) = result {
        logkit::exception!(root(), argument, "Error occurred when executing try block");
    }
}

#[test]
fn exceptions_are_logged_with_their_error_text() {
    // CPython prints `ERROR:root:<message>` then the traceback; logkit prints the error's
    // type and text (and its backtrace when captured) in the traceback's place.
    assert_eq!(
        child_stderr("child_exceptions_are_logged_with_their_error_text"),
        "ERROR:root:Error occurred when executing try block\n\
         core::num::error::ParseIntError: invalid digit found in string\n"
    );
}
