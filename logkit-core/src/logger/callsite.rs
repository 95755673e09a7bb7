//! Call sites: a static per logging macro call, caching its logger's threshold so that a
//! disabled call is one relaxed atomic load, whatever the tree looks like.
//!
//! # Invariants
//!
//! - Before its first use a call site's threshold is `i32::MIN`, so the first call takes the
//!   slow path, which resolves the logger and registers the call site.
//! - Registration and every configuration change happen under the tree's writer lock. A call
//!   site is registered on its logger; a change that moves a logger's threshold stores it
//!   and then refreshes the call sites registered on that logger (and on no other), so a
//!   level change reaches every call site it affects before the change returns.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, Ordering};

use super::Logger;
use super::tree::registry;
use crate::level::Level;
use crate::message::{Arg, Message, Piece};
use crate::record::Location;

/// Where a call site's logger comes from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// No declaration in scope: the call site's own module path.
    CallSite,
    /// A `module_logger!()` declaration: the declaring module's path (`my_crate::db` logs as
    /// `my_crate.db`).
    Module(&'static str),
    /// A `module_logger!("name")` declaration.
    Named(&'static str),
}

/// One logging call site (a `static` in each macro expansion): where the call is, its
/// message template, and a cache of its logger, its threshold and the template's pieces.
/// What is fixed at the call site lives here, so a call passes only its level and
/// arguments, and a queued call carries one reference to all of it.
#[derive(Debug)]
pub struct Callsite {
    threshold: AtomicI32,
    name: Name,
    module_path: &'static str,
    file: &'static str,
    line: u32,
    /// Names the enclosing function (a `type_name` of an item declared in it), called only
    /// when a record is made.
    function: fn() -> &'static str,
    template: &'static str,
    logger: OnceLock<Logger>,
    /// The message's pieces, built from the template at first use.
    pieces: OnceLock<Box<[Piece]>>,
}

#[derive(Debug)]
enum Name {
    Module(&'static str),
    Named(&'static str),
}

impl Callsite {
    /// A call site in `module_path` whose logger comes from `source`, at `file` and
    /// `line` in the function `function` names, logging `template` (which the macro
    /// checked).
    pub const fn new(
        source: Source,
        module_path: &'static str,
        file: &'static str,
        line: u32,
        function: fn() -> &'static str,
        template: &'static str,
    ) -> Self {
        Callsite {
            threshold: AtomicI32::new(i32::MIN),
            name: match source {
                Source::CallSite => Name::Module(module_path),
                Source::Module(path) => Name::Module(path),
                Source::Named(name) => Name::Named(name),
            },
            module_path,
            file,
            line,
            function,
            template,
            logger: OnceLock::new(),
            pieces: OnceLock::new(),
        }
    }

    /// The message of the template with these arguments, in the order of the template's
    /// [`MessageLayout`](crate::template::MessageLayout); with none, the template printed
    /// as written. The template is parsed once per call site.
    #[inline]
    pub fn message<'a>(&'static self, args: &'a [Arg<'a>]) -> Message<'a> {
        if args.is_empty() {
            return Message::static_text(self.template);
        }
        Message::compiled(self.template, self.pieces(), args)
    }

    /// The template's pieces.
    #[inline]
    pub(crate) fn pieces(&'static self) -> &'static [Piece] {
        self.pieces
            .get_or_init(|| crate::message::pieces(self.template))
    }

    /// The message template, as written at the call.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// Where the call is: file, line, module and enclosing function.
    #[inline]
    pub fn location(&self) -> Location<'static> {
        Location {
            file: self.file,
            line: self.line,
            module_path: self.module_path,
            function: (self.function)(),
        }
    }

    /// The module the call is in.
    pub fn module_path(&self) -> &'static str {
        self.module_path
    }

    /// Whether a record at `level` is enabled here: one relaxed load once registered.
    ///
    /// The enabled path is laid out away from the check, so a disabled call runs straight
    /// through (a record costs far more than the jump this adds to it).
    #[inline]
    pub fn is_enabled(&'static self, level: Level) -> bool {
        if level.value() < self.threshold.load(Ordering::Relaxed) {
            return false;
        }
        Self::enabled_path();
        self.logger.get().is_some() || self.register(level)
    }

    /// Marks the path it is on (a record being made) as the unlikely one, for the
    /// compiler's block layout, so that a disabled call runs straight through (an empty
    /// `#[cold]` function: the hint outlives its inlining). The macros call it after a
    /// logger handle's level check too.
    #[doc(hidden)]
    #[cold]
    #[inline(always)]
    pub fn enabled_path() {}

    /// The call site's logger.
    #[inline]
    pub fn logger(&'static self) -> Logger {
        match self.logger.get() {
            Some(l) => *l,
            None => {
                self.register(Level::NOTSET);
                self.logger.get().copied().unwrap_or_else(super::root)
            }
        }
    }

    /// Resolves the logger, registers the call site, and says whether `level` is enabled.
    #[cold]
    #[inline(never)]
    fn register(&'static self, level: Level) -> bool {
        let name = match self.name {
            Name::Module(path) => path.replace("::", "."),
            Name::Named(name) => name.to_owned(),
        };
        let logger = super::get_logger(&name);
        let mut reg = registry();
        if self.logger.set(logger).is_ok() {
            reg.add_callsite(logger.node(), self);
        }
        let threshold = logger.node().threshold.load(Ordering::Relaxed);
        self.threshold.store(threshold, Ordering::Relaxed);
        level.value() >= threshold
    }

    /// Copies the logger's current threshold (called under the writer lock).
    pub(crate) fn refresh(&self) {
        if let Some(l) = self.logger.get() {
            self.threshold.store(
                l.node().threshold.load(Ordering::Relaxed),
                Ordering::Relaxed,
            );
        }
    }
}
