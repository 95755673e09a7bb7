//! `shutdown()`: flush and close every handler, newest first, also at process exit.

use std::sync::Once;

/// Flushes and closes every handler ever attached to a logger, newest first (Python's
/// `logging.shutdown`). Errors are ignored, as CPython ignores `OSError` here. A handler
/// whose error reports were held back by the rate limit prints their count.
///
/// It also runs by itself when the process exits normally (return from `main`,
/// `std::process::exit`, or a panic that unwinds out of `main`). A handler that reopens
/// (a file in append mode) still accepts records afterwards.
///
/// # Examples
///
/// ```
/// logkit::shutdown();
/// ```
pub fn shutdown() {
    for handler in crate::handler::registered_newest_first() {
        crate::handler::shut_down(&*handler);
    }
}

static HOOK: Once = Once::new();

/// Registers [`shutdown`] to run at process exit (once).
pub(crate) fn install_exit_hook() {
    HOOK.call_once(exit_hook::install);
}

#[allow(unsafe_code)]
#[cfg_attr(miri, allow(dead_code))]
mod exit_hook {
    use std::ffi::c_int;

    unsafe extern "C" {
        fn atexit(callback: extern "C" fn()) -> c_int;
    }

    extern "C" fn run_shutdown() {
        // Never unwind into the C runtime.
        let _ = std::panic::catch_unwind(super::shutdown);
    }

    /// Miri cannot call the C library's `atexit`: under it, no hook is registered (the
    /// tests that attach handlers to loggers still run; none relies on the exit hook).
    #[cfg(miri)]
    pub(super) fn install() {}

    #[cfg(not(miri))]
    pub(super) fn install() {
        // SAFETY: `atexit` is the C library's, called with a valid `extern "C"` function
        // that takes no arguments and never unwinds. A non-zero return only means the hook
        // could not be registered; `shutdown()` can still be called explicitly.
        let _ = unsafe { atexit(run_shutdown) };
    }
}
