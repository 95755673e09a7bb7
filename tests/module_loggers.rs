//! Module loggers: `module_logger!()` / `module_logger!("name")` declare the logger of the
//! module they are in (not of its child modules, which are modules of their own);
//! `#[logkit::logger]` does the same for an inline module and overrides it for a function
//! or an impl block, leaving other crates' macros alone; undeclared modules log as their
//! module path (`getLogger(__name__)`).

use logkit::{Capture, Level, root};

mod plain {
    pub(crate) fn go() {
        logkit::info!("from plain");
    }
}

mod declared {
    use logkit::{error, info, log, warning};

    logkit::module_logger!("prog.items");

    pub(crate) fn go() {
        info!("from declared");
        let closure = || log!(info, "from a closure");
        closure();
    }

    pub(crate) struct Shelf;

    impl Shelf {
        pub(crate) fn count(&self) {
            warning!("from a method");
        }
    }

    pub(crate) mod child {
        pub(crate) fn go() {
            logkit::warning!("from an undeclared child");
        }
    }

    pub(crate) mod own {
        logkit::module_logger!("prog.items.own");

        pub(crate) fn go() {
            logkit::error!("from a nested declaration");
        }
    }

    #[logkit::logger(name = "prog.items.fn")]
    pub(crate) fn overridden() {
        error!("from a function with its own logger");
        let nested = || info!("from a closure in it");
        nested();
    }
}

mod unnamed {
    logkit::module_logger!();

    pub(crate) fn go() {
        logkit::log!(info, "from unnamed");
    }
}

#[logkit::logger(name = "attr.module")]
mod attributed {
    pub(crate) fn go() {
        logkit::info!("from an attributed module");
    }
}

#[logkit::logger(name = "fn.scoped")]
fn in_function() {
    logkit::info!("from a function");
    logkit::warn!("warn! under Rust's name");
    logkit::trace!("trace! at level 5");
    // Other crates' macros are left as they are (these would not compile if rewritten).
    log::info!(target: "not.logkit", "through the log facade");
    tracing::info!(target: "not.logkit", "through tracing");
}

struct Cart;

#[logkit::logger(name = "prog.cart")]
impl Cart {
    fn checkout(&self) {
        logkit::critical!("from a method");
    }
}

#[test]
fn calls_use_the_nearest_declared_logger_else_the_module_path() {
    let out = Capture::new();
    let h = logkit::StreamHandler::new(out.clone());
    logkit::Handler::set_formatter(&h, logkit::Formatter::new("%(name)s: %(message)s").unwrap());
    root().add_handler(h);
    root().set_level(Level::TRACE);

    plain::go();
    declared::go();
    declared::Shelf.count();
    declared::child::go();
    declared::own::go();
    declared::overridden();
    unnamed::go();
    attributed::go();
    in_function();
    Cart.checkout();
    assert_eq!(
        out.lines(),
        [
            "module_loggers.plain: from plain",
            "prog.items: from declared",
            "prog.items: from a closure",
            "prog.items: from a method",
            "module_loggers.declared.child: from an undeclared child",
            "prog.items.own: from a nested declaration",
            "prog.items.fn: from a function with its own logger",
            "prog.items.fn: from a closure in it",
            "module_loggers.unnamed: from unnamed",
            "attr.module: from an attributed module",
            "fn.scoped: from a function",
            "fn.scoped: warn! under Rust's name",
            "fn.scoped: trace! at level 5",
            "prog.cart: from a method",
        ]
    );
}
