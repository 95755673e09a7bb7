//! The logging macros. Each is a thin wrapper that hands `$crate` to a hidden proc macro,
//! which checks the message against its arguments at compile time.

/// Logs at a given level: `log!([logger,] level, "message", args… [; field = value, …])`.
///
/// The level is `trace`, `debug`, `info`, `warning` (or `warn`), `error`, `critical` (or
/// `fatal`), a [`Level`](crate::Level) expression (`Level::INFO`, a `const`), or a number
/// for a custom level.
///
/// The message is Python's `%` template: `%s` (Display), `%r` (Debug), `%d %i %u %x %X %o
/// %f %F %e %E %g %G %c %a`, `%%`, flags `#0- +`, width and precision, `*`; or the mapping
/// form `%(name)s` with `name = value` arguments or variables in scope. Placeholders are
/// checked against the arguments while compiling. A message without arguments is printed
/// as written, as Python does.
///
/// Arguments are evaluated once, in the order written, by reference, and only if the record
/// is enabled.
///
/// # Examples
///
/// ```
/// use logkit::{log, Level};
///
/// let name = "alice";
/// let count = 3;
/// log!(info, "user %s logged in", name);
/// log!(warning, "user %(user)s failed %(n)d times", user = name, n = count);
/// log!(Level::new(25), "a custom level");
/// log!(logkit::get_logger("app.auth"), error, "explicit logger");
/// ```
#[macro_export]
macro_rules! log {
    () => {
        ::core::compile_error!("`log!` needs a message: write `log!(info, \"user %s logged in\", name)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @log $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @log $($arg)+)
    };
}

/// Logs at TRACE (level 5, finer than DEBUG; the `log` and `tracing` crates' `trace!`):
/// `trace!([logger,] "message", args…)`. See [`log!`].
///
/// # Examples
///
/// ```
/// logkit::trace!("polling %d sockets", 3);
/// ```
#[macro_export]
macro_rules! trace {
    () => {
        ::core::compile_error!("`trace!` needs a message: write `trace!(\"polling %d sockets\", n)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @trace $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @trace $($arg)+)
    };
}

/// Logs at DEBUG: `debug!([logger,] "message", args…)`. See [`log!`].
///
/// # Examples
///
/// ```
/// logkit::debug!("cache hit for %r", "key");
/// ```
#[macro_export]
macro_rules! debug {
    () => {
        ::core::compile_error!("`debug!` needs a message: write `debug!(\"cache miss for %r\", key)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @debug $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @debug $($arg)+)
    };
}

/// Logs at INFO: `info!([logger,] "message", args…)`. See [`log!`].
///
/// # Examples
///
/// ```
/// let fn_name = "ReadUser";
/// logkit::info!("Execution of %s function is complete.", fn_name);
/// ```
#[macro_export]
macro_rules! info {
    () => {
        ::core::compile_error!("`info!` needs a message: write `info!(\"user %s logged in\", name)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @info $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @info $($arg)+)
    };
}

/// Logs at WARNING: `warning!([logger,] "message", args…)`. See [`log!`].
///
/// # Examples
///
/// ```
/// logkit::warning!("disk %d%% full", 93);
/// ```
#[macro_export]
macro_rules! warning {
    () => {
        ::core::compile_error!("`warning!` needs a message: write `warning!(\"disk %d%% full\", pct)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @warning $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @warning $($arg)+)
    };
}

/// Logs at WARNING, under the name Rust's `log` and `tracing` give it: `warn!([logger,]
/// "message", args…)`, the same as [`warning!`]. See [`log!`].
///
/// # Examples
///
/// ```
/// logkit::warn!("disk %d%% full", 93);
/// ```
#[macro_export]
macro_rules! warn {
    () => {
        ::core::compile_error!("`warn!` needs a message: write `warn!(\"disk %d%% full\", pct)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @warn $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @warn $($arg)+)
    };
}

/// Logs at ERROR: `error!([logger,] "message", args…)`. See [`log!`].
///
/// # Examples
///
/// ```
/// logkit::error!("request %s failed with %d", "/api", 500);
/// ```
#[macro_export]
macro_rules! error {
    () => {
        ::core::compile_error!("`error!` needs a message: write `error!(\"request %s failed\", path)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @error $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @error $($arg)+)
    };
}

/// Logs at CRITICAL: `critical!([logger,] "message", args…)`. See [`log!`].
///
/// # Examples
///
/// ```
/// logkit::critical!("shutting down: %s", "out of memory");
/// ```
#[macro_export]
macro_rules! critical {
    () => {
        ::core::compile_error!("`critical!` needs a message: write `critical!(\"shutting down: %s\", reason)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @critical $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @critical $($arg)+)
    };
}

/// Logs an error at ERROR with its `source()` chain (and its backtrace, when
/// `RUST_BACKTRACE`/`RUST_LIB_BACKTRACE` enable capture) as the record's exception text:
/// `exception!([logger,] err, "message", args…)` (Python's `logger.exception`).
///
/// # Examples
///
/// ```
/// match "x".parse::<i32>() {
///     Ok(_) => {}
///     Err(err) => logkit::exception!(err, "Error occurred when parsing %r", "x"),
/// }
/// ```
#[macro_export]
macro_rules! exception {
    () => {
        ::core::compile_error!("`exception!` needs a message: write `exception!(err, \"could not open %s\", path)`")
    };
    (@source = $source:expr; $($arg:tt)+) => {
        $crate::__private::log_impl!($crate; source = ($source); @exception $($arg)+)
    };
    ($($arg:tt)+) => {
        $crate::__private::log_impl!($crate; lookup; @exception $($arg)+)
    };
}

/// Declares this module's logger, as Python's `logger = logging.getLogger(__name__)`.
///
/// `module_logger!()` names it after the module path (`my_crate::db` logs as `my_crate.db`,
/// which is also what an undeclared module uses); `module_logger!("prog.items")` names it.
/// (On an inline module, [`#[logkit::logger]`](macro@crate::logger) does the same.) Every logging
/// call in the module that names no logger then logs through it — in its functions, impl
/// blocks and closures, not in its child modules, which are modules of their own (as in
/// Python, where each module asks for its own logger).
///
/// # Examples
///
/// ```
/// mod items {
///     logkit::module_logger!("prog.items");
///
///     pub fn restock(n: u32) {
///         logkit::info!("restocked %d items", n); // logged by `prog.items`
///     }
/// }
/// # items::restock(3);
/// ```
#[macro_export]
macro_rules! module_logger {
    () => {
        #[doc(hidden)]
        #[allow(dead_code, non_upper_case_globals)]
        const __LOGKIT_LOGGER: $crate::__private::Source =
            $crate::__private::Source::Module($crate::__private::module_path!());
    };
    ($name:literal) => {
        #[doc(hidden)]
        #[allow(dead_code, non_upper_case_globals)]
        const __LOGKIT_LOGGER: $crate::__private::Source = $crate::__private::Source::Named($name);
    };
}

/// Compiles a record template into a formatter:
/// `formatter!("template" [, style = '{'] [, datefmt = "…"] [, utc = true] [, fields = [name, …]] [, escape = "controls"])`.
///
/// Every attribute name and conversion is checked while compiling; fields that come from
/// `extra` or filters are declared with `fields = [...]`. `escape = "controls"` escapes
/// control characters in every field, as
/// [`FormatterBuilder::escape`](crate::FormatterBuilder::escape) does (`"none"`, the default,
/// writes them as they are). The result can be given to any handler's `set_formatter`, and
/// prints the same bytes as the run-time [`Formatter`](crate::Formatter) for the same
/// template and options.
///
/// # Examples
///
/// ```
/// use logkit::{formatter, Handler, StreamHandler};
///
/// let handler = StreamHandler::stderr();
/// handler.set_formatter(formatter!("%(asctime)s - %(name)s - %(levelname)s - %(message)s"));
/// handler.set_formatter(formatter!("{levelname:<8} {message}", style = '{'));
/// handler.set_formatter(formatter!("%(user)s: %(message)s", fields = [user]));
/// handler.set_formatter(formatter!("%(levelname)s %(message)s", escape = "controls"));
/// ```
#[macro_export]
macro_rules! formatter {
    ($($arg:tt)+) => {
        $crate::__private::formatter_impl!($crate; $($arg)+)
    };
}

/// Writes the code of one logging call from what the `log_impl` proc macro computed (the
/// proc macro checks and lays out; this expands the boilerplate, which is cheaper to compile
/// than building it token by token).
///
/// The common call (the module's logger, no fields, no error) has arms of its own, with no
/// further expansion: `lookup {level} "template" [args]` finds the module's `logger!`
/// declaration, else the module path; `source {source} {level} "template" [args]` takes a
/// `#[logkit::logger]` attribute's. Any other call is `site {source?} …` or `logger {expr} …`,
/// followed by `{level} "template" bind {scrutinee} {pattern} [args] [fields] {error}`.
/// An empty `[args]` is a message printed as written.
#[doc(hidden)]
#[macro_export]
macro_rules! __logkit_emit {
    (lookup $($rest:tt)+) => {
        $crate::__logkit_emit!(source {{
            #[allow(unused_imports)]
            use self::*;
            __LOGKIT_LOGGER
        }} $($rest)+)
    };
    (source {$($source:tt)+} {$($level:tt)+} $lit:literal [$($args:tt)*]) => {{
        #[allow(unused_imports)]
        use $crate::__private::FALLBACK as __LOGKIT_LOGGER;
        static __LOGKIT_CALLSITE: $crate::__private::Callsite =
            $crate::__logkit_emit!(@callsite {$($source)+} $lit);
        let __lk_level: $crate::Level = $($level)+;
        if __lk_level >= $crate::STATIC_MIN_LEVEL && __LOGKIT_CALLSITE.is_enabled(__lk_level) {
            $crate::__private::log(&__LOGKIT_CALLSITE, __lk_level, &[$($args)*]);
        }
    }};
    (site {} $($rest:tt)+) => {
        $crate::__logkit_emit!(site {{
            #[allow(unused_imports)]
            use self::*;
            __LOGKIT_LOGGER
        }} $($rest)+)
    };
    (site {$($source:tt)+} {$($level:tt)+} $lit:literal $($call:tt)+) => {{
        #[allow(unused_imports)]
        use $crate::__private::FALLBACK as __LOGKIT_LOGGER;
        static __LOGKIT_CALLSITE: $crate::__private::Callsite =
            $crate::__logkit_emit!(@callsite {$($source)+} $lit);
        let __lk_level: $crate::Level = $($level)+;
        if __lk_level >= $crate::STATIC_MIN_LEVEL && __LOGKIT_CALLSITE.is_enabled(__lk_level) {
            $crate::__logkit_emit!(@call __LOGKIT_CALLSITE, __LOGKIT_CALLSITE.logger(), $crate::__private::Context::NONE, __lk_level, $lit $($call)+);
        }
    }};
    (logger {$($logger:tt)+} {$($level:tt)+} $lit:literal $($call:tt)+) => {{
        static __LOGKIT_CALLSITE: $crate::__private::Callsite =
            $crate::__logkit_emit!(@callsite {$crate::__private::FALLBACK} $lit);
        // A `match` keeps a temporary logger expression (`get_logger("x")`) alive for the call.
        match $($logger)+ {
            __lk_target => {
                let __lk_target: $crate::__private::Target<'_> = __lk_target;
                let __lk_level: $crate::Level = $($level)+;
                if __lk_level >= $crate::STATIC_MIN_LEVEL && __lk_target.logger.is_enabled_for(__lk_level) {
                    $crate::__private::Callsite::enabled_path();
                    $crate::__logkit_emit!(@call __LOGKIT_CALLSITE, __lk_target.logger, __lk_target.context, __lk_level, $lit $($call)+);
                }
            }
        }
    }};
    // Arguments bound first (one of them is used by several placeholders).
    (@call $cs:ident, $logger:expr, $context:expr, $level:ident, $lit:literal bind {$($scrut:tt)+} {$($pat:tt)+} $($rest:tt)*) => {
        match $($scrut)+ {
            $($pat)+ => $crate::__logkit_emit!(@call $cs, $logger, $context, $level, $lit bind {} {} $($rest)*),
        }
    };
    (@call $cs:ident, $logger:expr, $context:expr, $level:ident, $lit:literal bind {} {} [$($args:tt)*] [$($fields:tt)*] {} {}) => {
        $crate::__private::log_full(&$cs, $logger, $level, &[$($args)*], &[$($fields)*], $context)
    };
    // `stack_info` or `stacklevel` (and perhaps an error).
    (@call $cs:ident, $logger:expr, $context:expr, $level:ident, $lit:literal bind {} {} [$($args:tt)*] [$($fields:tt)*] {$($exc:tt)*} {$($extras:tt)+}) => {{
        #[allow(unused_imports)]
        use $crate::__private::AsExc as _;
        $crate::__private::log_extras(
            &$cs,
            $logger,
            $level,
            &[$($args)*],
            &[$($fields)*],
            $context,
            $crate::__private::Extras {
                exc: $crate::__logkit_emit!(@exc $($exc)*),
                $($extras)+
            },
        );
    }};
    (@exc) => { ::core::option::Option::None };
    (@exc $($exc:tt)+) => {
        ::core::option::Option::Some(($($exc)+).with_backtrace(&$crate::__private::Backtrace::capture()))
    };
    // An error alone (`exception!`, `exc_info`).
    (@call $cs:ident, $logger:expr, $context:expr, $level:ident, $lit:literal bind {} {} [$($args:tt)*] [$($fields:tt)*] {$($exc:tt)+} {}) => {
        $crate::__logkit_emit!(@call $cs, $logger, $context, $level, $lit bind {} {} [$($args)*] [$($fields)*] {$($exc)+} {
            stack_info: false,
            location: ::core::option::Option::None
        })
    };
    // The call site's static: where the call is and its template.
    (@callsite {$($source:tt)+} $lit:literal) => {
        $crate::__private::Callsite::new(
            $($source)+,
            $crate::__private::module_path!(),
            $crate::__private::file!(),
            $crate::__private::line!(),
            $crate::__logkit_function!(),
            $lit,
        )
    };
}

/// The enclosing function's name, as a function returning it: the path of a unit struct
/// declared here (with the `function-names` feature).
#[cfg(feature = "function-names")]
#[doc(hidden)]
#[macro_export]
macro_rules! __logkit_function {
    () => {{
        #[allow(dead_code, non_camel_case_types)]
        struct __logkit_here;
        $crate::__private::type_name::<__logkit_here>
    }};
}

/// The enclosing function's name: unknown without the `function-names` feature.
#[cfg(not(feature = "function-names"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __logkit_function {
    () => {
        $crate::__private::no_function
    };
}
