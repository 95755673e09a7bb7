//! What making a logger and changing one cost, counted rather than timed: the work the tree
//! reports (loggers visited, call sites refreshed, placeholder children checked, snapshot
//! nodes copied) is what the change affects, however many other loggers there are. The
//! counts are process-wide, so each test runs in a process of its own.

use logkit::__private::{TreeWork, tree_work};
use logkit::{Level, NullHandler, get_logger, root};

/// The work done by `f`.
fn work_of(f: impl FnOnce()) -> TreeWork {
    let before = tree_work();
    f();
    let after = tree_work();
    TreeWork {
        loggers_made: after.loggers_made - before.loggers_made,
        loggers_visited: after.loggers_visited - before.loggers_visited,
        callsites_refreshed: after.callsites_refreshed - before.callsites_refreshed,
        placeholder_children_checked: after.placeholder_children_checked
            - before.placeholder_children_checked,
        snapshot_nodes_copied: after.snapshot_nodes_copied - before.snapshot_nodes_copied,
    }
}

/// Makes `tenants` tenant loggers under `prefix`, each with `connections` connection loggers
/// made before it (so each tenant starts as a placeholder), each connection with one child.
fn make_tree(prefix: &str, tenants: usize, connections: usize) {
    for c in 0..connections {
        for t in 0..tenants {
            get_logger(&format!("{prefix}.t{t}.c{c}.x"));
            get_logger(&format!("{prefix}.t{t}.c{c}"));
        }
    }
    for t in 0..tenants {
        get_logger(&format!("{prefix}.t{t}"));
    }
    get_logger(prefix);
}

#[test]
fn making_a_logger_visits_no_other_logger_however_many_exist() {
    logkit_tests::isolated(
        "making_a_logger_visits_no_other_logger_however_many_exist",
        || {
            let small = work_of(|| make_tree("small", 10, 10));
            assert_eq!(small.loggers_made, 10 * 10 * 2 + 10 + 1);
            let one_in_small = work_of(|| {
                get_logger("small.t3.new");
            });
            make_tree("large", 100, 200);
            let one_in_large = work_of(|| {
                get_logger("large.t3.new");
            });
            for one in [one_in_small, one_in_large] {
                assert_eq!(one.loggers_made, 1);
                assert_eq!(one.loggers_visited, 0, "no threshold is recomputed");
                assert_eq!(one.callsites_refreshed, 0);
                assert_eq!(one.placeholder_children_checked, 0);
            }
            // The snapshot copies the path to the new entry: one node per level of a trie
            // that grows with the logarithm of the loggers (here 200 times as many).
            assert!(one_in_large.snapshot_nodes_copied <= one_in_small.snapshot_nodes_copied + 2);
            assert!(one_in_large.snapshot_nodes_copied <= 6);
        },
    );
}

#[test]
fn a_placeholder_hands_over_only_the_loggers_made_below_it() {
    logkit_tests::isolated(
        "a_placeholder_hands_over_only_the_loggers_made_below_it",
        || {
            for i in 0..100 {
                get_logger(&format!("ph.p.c{i}"));
            }
            for i in 0..1000 {
                get_logger(&format!("ph.q{i}"));
            }
            let p = work_of(|| {
                get_logger("ph.p");
            });
            assert_eq!(p.placeholder_children_checked, 100);
            assert_eq!(p.loggers_visited, 0);
            // `ph` was missing when all of them were made: each is checked once, and only
            // those whose parent is still above it (all but `ph.p`'s children) move.
            let ph = work_of(|| {
                get_logger("ph");
            });
            assert_eq!(ph.placeholder_children_checked, 100 + 1000 + 1);
            assert_eq!(get_logger("ph.p.c7").parent(), Some(get_logger("ph.p")));
            assert_eq!(get_logger("ph.q7").parent(), Some(get_logger("ph")));
            assert_eq!(get_logger("ph.p").parent(), Some(get_logger("ph")));
            let again = work_of(|| {
                get_logger("ph.p.c100");
            });
            assert_eq!(again.placeholder_children_checked, 0);
        },
    );
}

#[test]
fn a_level_change_visits_only_the_loggers_that_inherit_it() {
    logkit_tests::isolated(
        "a_level_change_visits_only_the_loggers_that_inherit_it",
        || {
            make_tree("lv", 20, 50);
            // Half of one tenant's connections have levels of their own.
            for c in 0..25 {
                get_logger(&format!("lv.t3.c{c}")).set_level(Level::INFO);
            }
            let tenant = get_logger("lv.t3");
            let changed = work_of(|| tenant.set_level(Level::DEBUG));
            // The tenant, its 25 inheriting connections and their children.
            assert_eq!(changed.loggers_visited, 1 + 25 + 25);
            assert!(changed.snapshot_nodes_copied <= 4, "one entry's path");

            // A level that gives the same threshold moves nothing.
            root().set_level(Level::DEBUG);
            let same = work_of(|| tenant.set_level(Level::NOTSET));
            assert_eq!(same.loggers_visited, 0);

            // Everything inherits from the root but the 25 connections with their own level
            // and their children.
            let all = 1 + 1 + 20 + 20 * 50 * 2;
            let everywhere = work_of(|| root().set_level(Level::ERROR));
            assert_eq!(everywhere.loggers_visited, all - 25 * 2);

            let leaf = work_of(|| get_logger("lv.t7.c7.x").set_level(Level::INFO));
            assert_eq!(leaf.loggers_visited, 1);
            let disabled = work_of(|| get_logger("lv.t7").set_disabled(true));
            assert_eq!(disabled.loggers_visited, 1, "only its own threshold moves");
        },
    );
}

#[test]
fn handlers_and_propagate_recompute_no_threshold() {
    logkit_tests::isolated("handlers_and_propagate_recompute_no_threshold", || {
        make_tree("hp", 20, 50);
        let handler = std::sync::Arc::new(NullHandler::new());
        for change in [
            Box::new(|| root().add_handler(handler.clone())) as Box<dyn Fn()>,
            Box::new(|| root().remove_handler(&*handler)),
            Box::new(|| get_logger("hp.t3").set_propagate(false)),
            Box::new(|| get_logger("hp.t3").add_filter(|_: &mut logkit::Record<'_>| true)),
        ] {
            let work = work_of(change);
            assert_eq!(work.loggers_visited, 0);
            assert_eq!(work.callsites_refreshed, 0);
            assert!(work.snapshot_nodes_copied <= 4, "one entry's path");
        }
    });
}

mod sites {
    pub(crate) mod a {
        logkit::module_logger!("cs.a");

        pub(crate) fn call() {
            logkit::debug!("a");
        }
    }

    pub(crate) mod ab {
        logkit::module_logger!("cs.a.b");

        pub(crate) fn call() {
            logkit::debug!("a.b");
            logkit::info!("a.b again");
        }
    }

    pub(crate) mod c {
        logkit::module_logger!("cs.c");

        pub(crate) fn call() {
            logkit::debug!("c");
        }
    }
}

#[test]
fn only_the_call_sites_of_the_loggers_a_change_moves_are_refreshed() {
    logkit_tests::isolated(
        "only_the_call_sites_of_the_loggers_a_change_moves_are_refreshed",
        || {
            make_tree("other", 20, 50);
            sites::a::call();
            sites::ab::call();
            sites::c::call();
            let a = work_of(|| get_logger("cs.a").set_level(Level::DEBUG));
            assert_eq!(a.callsites_refreshed, 1 + 2);
            let c = work_of(|| get_logger("cs.c").set_level(Level::DEBUG));
            assert_eq!(c.callsites_refreshed, 1);
            // Both children of `cs` have levels of their own.
            let cs = work_of(|| get_logger("cs").set_level(Level::INFO));
            assert_eq!(cs.callsites_refreshed, 0);
            let ab = work_of(|| get_logger("cs.a.b").set_level(Level::ERROR));
            assert_eq!(ab.callsites_refreshed, 2);
        },
    );
}
