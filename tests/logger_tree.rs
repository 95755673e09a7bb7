//! The logger tree under change: a level reaches every logger and call site that inherits
//! it and no other, a logger with its own level keeps it, loggers made before their parents
//! are re-parented as CPython re-parents its placeholders' children, and a new logger
//! starts at the level it inherits. Each test uses names of its own.

use logkit::{Level, Logger, get_logger};

mod app {
    logkit::module_logger!("tree_sites.app");

    pub(crate) fn debug(n: u32) {
        logkit::debug!("debug %d", n);
    }
}

mod db {
    logkit::module_logger!("tree_sites.app.db");

    pub(crate) fn debug(n: u32) {
        logkit::debug!("debug %d", n);
    }
}

mod pool {
    logkit::module_logger!("tree_sites.app.db.pool");

    pub(crate) fn debug(n: u32) {
        logkit::debug!("debug %d", n);
    }
}

mod own {
    logkit::module_logger!("tree_sites.app.own");

    pub(crate) fn debug(n: u32) {
        logkit::debug!("debug %d", n);
    }
}

mod other {
    logkit::module_logger!("tree_sites.other");

    pub(crate) fn debug(n: u32) {
        logkit::debug!("debug %d", n);
    }
}

/// A DEBUG call at every call site of the `tree_sites` loggers.
fn debug_everywhere(n: u32) {
    app::debug(n);
    db::debug(n);
    pool::debug(n);
    own::debug(n);
    other::debug(n);
}

fn parent_name(logger: Logger) -> &'static str {
    logger.parent().map_or("", |p| p.name())
}

#[test]
fn a_level_change_reaches_every_descendant_call_site() {
    let out = logkit_tests::capture(get_logger("tree_sites"), "%(name)s %(message)s");
    get_logger("tree_sites.app.own").set_level(Level::WARNING);
    // Registers every call site while DEBUG is off everywhere.
    debug_everywhere(1);
    let app = get_logger("tree_sites.app");
    app.set_level(Level::DEBUG);
    debug_everywhere(2);
    app.set_level(Level::INFO);
    debug_everywhere(3);
    // `app` has a level of its own: its subtree stays at INFO, `other` moves.
    get_logger("tree_sites").set_level(Level::DEBUG);
    debug_everywhere(4);
    app.set_level(Level::NOTSET);
    debug_everywhere(5);
    assert_eq!(
        out.lines(),
        [
            "tree_sites.app debug 2",
            "tree_sites.app.db debug 2",
            "tree_sites.app.db.pool debug 2",
            "tree_sites.other debug 4",
            "tree_sites.app debug 5",
            "tree_sites.app.db debug 5",
            "tree_sites.app.db.pool debug 5",
            "tree_sites.other debug 5",
        ]
    );
}

#[test]
fn a_child_with_its_own_level_keeps_it_when_the_parent_changes() {
    let parent = get_logger("tree_own");
    let child = get_logger("tree_own.child");
    let leaf = get_logger("tree_own.child.leaf");
    child.set_level(Level::INFO);
    for level in [Level::DEBUG, Level::ERROR, Level::NOTSET, Level::CRITICAL] {
        parent.set_level(level);
        assert_eq!(child.level(), Level::INFO);
        assert_eq!(child.effective_level(), Level::INFO);
        assert_eq!(leaf.effective_level(), Level::INFO);
        assert!(leaf.is_enabled_for(Level::INFO));
        assert!(!leaf.is_enabled_for(Level::DEBUG));
    }
    child.set_level(Level::NOTSET);
    assert_eq!(leaf.effective_level(), Level::CRITICAL);
    assert!(!leaf.is_enabled_for(Level::ERROR));
}

#[test]
fn a_logger_made_before_its_parent_is_re_parented_when_the_parent_is_made() {
    let low = get_logger("tree_ph.a.b.c");
    assert_eq!(parent_name(low), "root");
    let out = logkit_tests::capture(get_logger("tree_ph.a.b"), "%(name)s %(message)s");
    assert_eq!(parent_name(low), "tree_ph.a.b");
    assert_eq!(parent_name(get_logger("tree_ph.a.b")), "root");
    get_logger("tree_ph.a.b").set_level(Level::DEBUG);
    assert_eq!(low.effective_level(), Level::DEBUG);
    logkit::debug!(low, "reaches the new parent's handler");
    let top = get_logger("tree_ph");
    assert_eq!(parent_name(get_logger("tree_ph.a.b")), "tree_ph");
    assert_eq!(parent_name(low), "tree_ph.a.b");
    top.set_level(Level::CRITICAL);
    logkit::debug!(low, "a.b keeps its own level");
    assert_eq!(
        out.lines(),
        [
            "tree_ph.a.b.c reaches the new parent's handler",
            "tree_ph.a.b.c a.b keeps its own level",
        ]
    );
}

#[test]
fn a_placeholder_takes_over_only_the_loggers_below_its_own_name() {
    let under = get_logger("tree_pf.x.y");
    let deeper = get_logger("tree_pf.x.w.v");
    let beside = get_logger("tree_pf.xy.z");
    let x = get_logger("tree_pf.x");
    assert_eq!(parent_name(under), "tree_pf.x");
    assert_eq!(parent_name(deeper), "tree_pf.x");
    assert_eq!(
        parent_name(beside),
        "root",
        "`tree_pf.xy` is not below `tree_pf.x`"
    );
    let w = get_logger("tree_pf.x.w");
    assert_eq!(parent_name(deeper), "tree_pf.x.w");
    assert_eq!(parent_name(w), "tree_pf.x");
    let top = get_logger("tree_pf");
    assert_eq!(parent_name(x), "tree_pf");
    assert_eq!(parent_name(beside), "tree_pf");
    assert_eq!(
        parent_name(under),
        "tree_pf.x",
        "already below a nearer parent"
    );
    top.set_level(Level::DEBUG);
    assert!(
        [under, deeper, beside, x, w]
            .iter()
            .all(|l| l.effective_level() == Level::DEBUG)
    );
}

#[test]
fn a_level_set_above_a_placeholder_governs_the_loggers_below_it_before_and_after_it_is_made() {
    let top = get_logger("tree_pl.a");
    top.set_level(Level::ERROR);
    let low = get_logger("tree_pl.a.b.c");
    assert!(!low.is_enabled_for(Level::WARNING));
    assert!(low.is_enabled_for(Level::ERROR));
    let middle = get_logger("tree_pl.a.b");
    assert_eq!(low.effective_level(), Level::ERROR);
    assert!(!low.is_enabled_for(Level::WARNING));
    middle.set_level(Level::DEBUG);
    assert!(low.is_enabled_for(Level::DEBUG));
    top.set_level(Level::CRITICAL);
    assert!(
        low.is_enabled_for(Level::DEBUG),
        "the middle has its own level"
    );
    middle.set_level(Level::NOTSET);
    assert!(!low.is_enabled_for(Level::ERROR));
    assert!(low.is_enabled_for(Level::CRITICAL));
}

#[test]
fn a_new_logger_starts_at_the_level_it_inherits_but_not_disabled() {
    let parent = get_logger("tree_new");
    parent.set_level(Level::DEBUG);
    parent.set_disabled(true);
    let child = get_logger("tree_new.later.child");
    assert!(child.is_enabled_for(Level::DEBUG));
    assert!(!child.disabled());
    assert!(
        !parent.is_enabled_for(Level::CRITICAL),
        "the parent is disabled"
    );
    parent.set_disabled(false);
    assert!(parent.is_enabled_for(Level::DEBUG));
    parent.set_level(Level::WARNING);
    assert!(!child.is_enabled_for(Level::INFO));
}

#[test]
fn disable_reaches_every_logger_including_those_made_under_it() {
    // `disable` is process-wide: in a process of its own.
    logkit_tests::isolated(
        "disable_reaches_every_logger_including_those_made_under_it",
        || {
            let verbose = get_logger("tree_floor.verbose");
            verbose.set_level(Level::DEBUG);
            logkit::disable(Level::INFO);
            let later = get_logger("tree_floor.verbose.later");
            for l in [verbose, later] {
                assert!(!l.is_enabled_for(Level::INFO));
                assert!(l.is_enabled_for(Level::WARNING));
            }
            logkit::disable(Level::NOTSET);
            assert!(later.is_enabled_for(Level::DEBUG));
            assert!(!get_logger("tree_floor").is_enabled_for(Level::INFO));
        },
    );
}
