//! The path of a record through the logger tree, as CPython's: levels checked once at the
//! logger where the call is made, logger filters only there, handler levels and filters at
//! every handler up the chain while `propagate` holds (spec §3, pitfalls §19.1–2, 8, 9).
//!
//! Every test uses its own logger names; tests that change process-wide state (`disable`,
//! the root logger, the last resort, stderr) run in a child process.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use logkit::{
    Capture, Handler, HandlerCore, HandlerError, Level, NameFilter, NullHandler, Record,
    StreamHandler, Value, get_logger,
};
use logkit_tests::{capture, child_stderr, is_child};

#[test]
fn ancestor_logger_levels_are_not_consulted_for_propagated_records() {
    let parent = get_logger("pitfall1");
    parent.set_level(Level::ERROR);
    let out = capture(parent, "%(name)s:%(levelname)s:%(message)s");
    let child = get_logger("pitfall1.child");
    child.set_level(Level::DEBUG);
    child.log(Level::DEBUG, "debug from child", &[]);
    parent.log(Level::DEBUG, "debug from parent", &[]);
    assert_eq!(out.lines(), ["pitfall1.child:DEBUG:debug from child"]);
}

#[test]
fn handler_levels_apply_at_every_level_of_the_chain() {
    let parent = get_logger("hlevels");
    let out = Capture::new();
    let h = StreamHandler::new(out.clone());
    h.set_level(Level::WARNING);
    parent.add_handler(h);
    let child = get_logger("hlevels.c");
    child.set_level(Level::DEBUG);
    child.log(Level::INFO, "info", &[]);
    child.log(Level::WARNING, "warning", &[]);
    assert_eq!(out.lines(), ["warning"]);
}

#[test]
fn ancestor_filters_and_disabled_flag_do_not_stop_propagated_records() {
    let parent = get_logger("pitfall2");
    let out = capture(parent, "%(message)s");
    parent.add_filter(|_: &mut Record<'_>| false);
    parent.set_disabled(true);
    let child = get_logger("pitfall2.child");
    child.log(Level::WARNING, "from child", &[]);
    parent.log(Level::WARNING, "from parent", &[]);
    assert_eq!(out.lines(), ["from child"]);
}

#[test]
fn logger_filters_run_only_where_the_call_is_made() {
    let parent = get_logger("lfilter");
    let out = capture(parent, "%(message)s");
    let child = get_logger("lfilter.child");
    child.add_filter(|r: &mut Record<'_>| r.message().template() != "drop me");
    child.log(Level::WARNING, "drop me", &[]);
    child.log(Level::WARNING, "keep me", &[]);
    assert_eq!(out.lines(), ["keep me"]);
}

#[test]
fn handler_filters_run_for_propagated_records_and_can_add_fields() {
    let parent = get_logger("hfilter");
    let out = Capture::new();
    let h = StreamHandler::new(out.clone());
    h.set_formatter(logkit::Formatter::new("%(host)s %(name)s %(message)s").unwrap());
    h.add_filter(NameFilter::new("hfilter.items"));
    h.add_filter(|r: &mut Record<'_>| {
        r.set_field("host", Value::from("web-1"));
        true
    });
    parent.add_handler(h);
    get_logger("hfilter.items.products").log(Level::WARNING, "in", &[]);
    get_logger("hfilter.itemsx").log(Level::WARNING, "out", &[]);
    get_logger("hfilter.person").log(Level::WARNING, "out", &[]);
    assert_eq!(out.lines(), ["web-1 hfilter.items.products in"]);
}

#[test]
fn propagate_false_stops_at_that_logger() {
    let top = get_logger("prop");
    let top_out = capture(top, "top %(message)s");
    let mid = get_logger("prop.mid");
    let mid_out = capture(mid, "mid %(message)s");
    mid.set_propagate(false);
    get_logger("prop.mid.leaf").log(Level::WARNING, "x", &[]);
    assert_eq!(mid_out.lines(), ["mid x"]);
    assert!(top_out.lines().is_empty());
    assert!(!mid.propagate());
}

#[test]
fn the_same_handler_on_two_levels_emits_twice() {
    let out = Capture::new();
    let h = Arc::new(StreamHandler::new(out.clone()));
    let a = get_logger("twice");
    let b = get_logger("twice.b");
    a.add_handler(h.clone());
    b.add_handler(h.clone());
    b.add_handler(h.clone()); // already on b: ignored
    b.log(Level::WARNING, "x", &[]);
    assert_eq!(out.lines(), ["x", "x"]);
}

#[test]
fn placeholders_are_replaced_when_the_intermediate_logger_appears() {
    let leaf = get_logger("ph.a.b.c");
    assert_eq!(leaf.parent().unwrap().name(), "root");
    let top = get_logger("ph");
    assert_eq!(leaf.parent(), Some(top));
    let mid = get_logger("ph.a.b");
    assert_eq!(leaf.parent(), Some(mid));
    assert_eq!(mid.parent(), Some(top));
    let sibling = get_logger("ph.a.bc");
    assert_eq!(sibling.parent(), Some(top));
    let a = get_logger("ph.a");
    assert_eq!(mid.parent(), Some(a));
    assert_eq!(sibling.parent(), Some(a));
    assert_eq!(leaf.parent(), Some(mid));
}

#[test]
fn same_name_same_logger_from_every_thread() {
    let here = get_logger("threads.shared");
    let there: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(|| get_logger("threads.shared")))
        .collect();
    for t in there {
        assert_eq!(t.join().unwrap(), here);
    }
}

#[test]
fn effective_level_is_inherited_and_changes_reach_existing_children_at_once() {
    let top = get_logger("eff");
    let leaf = get_logger("eff.a.b");
    assert_eq!(leaf.level(), Level::NOTSET);
    assert_eq!(leaf.effective_level(), Level::WARNING); // root's
    assert!(!leaf.is_enabled_for(Level::INFO));
    top.set_level(Level::DEBUG);
    assert_eq!(leaf.effective_level(), Level::DEBUG);
    assert!(leaf.is_enabled_for(Level::DEBUG));
    get_logger("eff.a").set_level(Level::ERROR);
    assert!(!leaf.is_enabled_for(Level::WARNING));
    assert!(leaf.is_enabled_for(Level::ERROR));
    leaf.set_disabled(true);
    assert!(!leaf.is_enabled_for(Level::CRITICAL));
}

#[test]
fn custom_level_names_show_in_records() {
    let out = capture(
        get_logger("custom.levels"),
        "%(levelname)s %(levelno)d %(message)s",
    );
    let l = get_logger("custom.levels");
    l.set_level(Level::new(5));
    logkit::add_level_name(Level::new(25), "NOTICE");
    l.log(Level::new(25), "named", &[]);
    l.log(Level::new(27), "unnamed", &[]);
    assert_eq!(out.lines(), ["NOTICE 25 named", "Level 27 27 unnamed"]);
    assert_eq!("NOTICE".parse::<Level>().unwrap(), Level::new(25));
    assert_eq!(
        "notice".parse::<Level>().unwrap_err().to_string(),
        "Unknown level: 'notice'"
    );
}

#[test]
fn runtime_messages_follow_cpythons_merge_rules() {
    let out = capture(get_logger("merge"), "%(message)s");
    let l = get_logger("merge");
    l.log(Level::WARNING, "100%% done", &[]);
    l.log(Level::WARNING, "%s", &[]);
    l.log(
        Level::WARNING,
        "%d%% of %s",
        &[Value::from(50), Value::from("disk")],
    );
    let map = Value::map([("user", Value::from("bob"))]);
    l.log(Level::WARNING, "hi %(user)s", std::slice::from_ref(&map));
    let tuple = Value::Tuple(vec![Value::from(1), Value::from(2)].into());
    l.log(Level::WARNING, "%s", std::slice::from_ref(&tuple));
    let empty = Value::Map(Vec::new().into());
    l.log(Level::WARNING, "x %s", std::slice::from_ref(&empty));
    l.log(
        Level::WARNING,
        "%r %r %s",
        &[Value::from("it's"), Value::None, Value::from(1.5)],
    );
    assert_eq!(
        out.lines(),
        [
            "100%% done",
            "%s",
            "50% of disk",
            "hi bob",
            "(1, 2)",
            "x {}",
            "\"it's\" None 1.5"
        ]
    );
}

/// A handler that fails on every record and counts the calls.
#[derive(Default)]
struct Failing {
    core: HandlerCore,
    calls: AtomicUsize,
}

impl Handler for Failing {
    fn core(&self) -> &HandlerCore {
        &self.core
    }
    fn emit(&self, _record: &Record<'_>) -> Result<(), HandlerError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        Err(HandlerError::other("the destination is gone"))
    }
}

/// A handler that panics.
#[derive(Default)]
struct Panicking {
    core: HandlerCore,
}

impl Handler for Panicking {
    fn core(&self) -> &HandlerCore {
        &self.core
    }
    fn emit(&self, _record: &Record<'_>) -> Result<(), HandlerError> {
        panic!("boom in emit");
    }
}

#[test]
fn child_failing_handlers_are_reported_and_logging_goes_on() {
    if !is_child() {
        return;
    }
    let l = get_logger("failing");
    let failing = Arc::new(Failing::default());
    l.add_handler(failing.clone());
    l.add_handler(Panicking::default());
    let out = capture(l, "%(message)s");
    l.log(Level::WARNING, "first %s", &["a".into()]);
    l.log(Level::WARNING, "%s and %s", &["only-one".into()]);
    l.log(Level::WARNING, "third", &[]);
    assert_eq!(failing.calls.load(Ordering::Relaxed), 3);
    // The capturing handler got every record it could format.
    assert_eq!(out.lines(), ["first a", "third"]);
}

#[test]
fn failing_handlers_are_reported_and_logging_goes_on() {
    let stderr = child_stderr("child_failing_handlers_are_reported_and_logging_goes_on");
    assert!(stderr.contains("--- Logging error ---\nError: the destination is gone\nHandler: Failing\nLogger: 'failing'\n"), "{stderr}");
    assert!(
        stderr.contains("Error: handler panicked: boom in emit\nHandler: Panicking\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "TypeError: not enough arguments for format string\nHandler: StreamHandler\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Message: '%s and %s'\nArguments: ('only-one',)\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Call stack:\n  File \"tests/pipeline.rs\", line "),
        "{stderr}"
    );
}

#[test]
fn child_last_resort_prints_bare_warnings_on_stderr() {
    if !is_child() {
        return;
    }
    let l = get_logger("nohandlers.anywhere");
    l.log(Level::INFO, "info is below the last resort's level", &[]);
    l.log(Level::WARNING, "This is a warning", &[]);
    l.event(Level::ERROR, "with %s")
        .args(&["args".into()])
        .emit();
    let quiet = get_logger("quiet");
    quiet.add_handler(NullHandler::new());
    get_logger("quiet.child").log(Level::CRITICAL, "swallowed by the null handler", &[]);
}

#[test]
fn last_resort_prints_bare_warnings_on_stderr() {
    let stderr = child_stderr("child_last_resort_prints_bare_warnings_on_stderr");
    assert_eq!(stderr, "This is a warning\nwith args\n");
}

#[test]
fn child_disable_drops_records_at_or_below_its_level() {
    if !is_child() {
        return;
    }
    let l = get_logger("disabled.everywhere");
    l.set_level(Level::DEBUG);
    let out = capture(l, "%(levelname)s");
    logkit::disable(Level::INFO);
    for level in [Level::DEBUG, Level::INFO, Level::WARNING] {
        l.log(level, "x", &[]);
    }
    logkit::disable(Level::NOTSET);
    l.log(Level::DEBUG, "x", &[]);
    l.log(Level::new(0), "level 0 is never emitted", &[]);
    assert_eq!(out.lines(), ["WARNING", "DEBUG"]);
    assert_eq!(logkit::disabled_level(), Level::NOTSET);
}

#[test]
fn disable_drops_records_at_or_below_its_level() {
    child_stderr("child_disable_drops_records_at_or_below_its_level");
}

#[test]
fn an_adapters_run_time_calls_report_the_callers_line() {
    let logger = logkit::get_logger("pipeline.adapter_location");
    let out = logkit_tests::capture(logger, "%(filename)s:%(lineno)d %(message)s");
    let adapter = logger
        .adapter([("request", logkit::Value::from("r-2"))])
        .unwrap();
    let line = line!() + 1;
    adapter.log(logkit::Level::ERROR, "log", &[]);
    adapter.event(logkit::Level::ERROR, "event").emit();
    assert_eq!(
        out.lines(),
        [
            format!("pipeline.rs:{line} log"),
            format!("pipeline.rs:{} event", line + 1)
        ]
    );
}
