//! Shared helpers for the integration tests.
//!
//! - [`record_lines`]: attach a capturing handler to a logger and read its lines.
//! - [`run_child`]: run one test of the current binary in a fresh process, to observe the
//!   process's real stderr/stdout or start from an unconfigured logging tree.
//! - [`temp_dir`]: a fresh directory per test.
//! - [`marker`], [`wait_for`], [`lines_with`]: find one test's records in a real server's
//!   capture file, polling with a deadline.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use logkit::{Capture, Formatter, Handler, Logger, StreamHandler};

/// Environment variable set in a child process started by [`run_child`].
pub const CHILD_ENV: &str = "LOGKIT_TEST_CHILD";

/// Whether this process is a child started by [`run_child`].
pub fn is_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

/// Runs the test named `test` of the current test binary in a new process and returns its
/// output. The child's stderr holds only what the test wrote (libtest reports on stdout).
///
/// # Panics
///
/// If the child cannot be started.
pub fn run_child(test: &str) -> Output {
    run_child_env(test, &[])
}

/// As [`run_child`], with environment variables set in the child.
///
/// # Panics
///
/// If the child cannot be started.
pub fn run_child_env(test: &str, env: &[(&str, &str)]) -> Output {
    let exe = std::env::current_exe().expect("current test binary");
    Command::new(exe)
        .envs(env.iter().copied())
        .args([
            test,
            "--exact",
            "--nocapture",
            "--include-ignored",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .expect("run child test process")
}

/// Runs a child test, asserts it passed, and returns its stderr as text.
///
/// # Panics
///
/// If the child fails.
pub fn child_stderr(test: &str) -> String {
    let out = run_child(test);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "child `{test}` failed\nstdout:\n{}\nstderr:\n{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

/// Runs `body` in a fresh process, for tests that change process-wide logging state: in
/// the test process this starts a child running the test named `test` and asserts that it
/// passed; in that child it runs `body`.
///
/// # Panics
///
/// In the parent, if the child failed (with its output); in the child, if `body` panics.
pub fn isolated(test: &str, body: impl FnOnce()) {
    isolated_env(test, &[], body);
}

/// As [`isolated`], with environment variables set in the child.
///
/// # Panics
///
/// See [`isolated`].
pub fn isolated_env(test: &str, env: &[(&str, &str)], body: impl FnOnce()) {
    if is_child() {
        body();
        return;
    }
    let out = run_child_env(test, env);
    assert!(
        out.status.success(),
        "child `{test}` failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Attaches a handler writing `template`-formatted lines to a capture, and returns the
/// capture.
///
/// # Panics
///
/// If the template does not parse.
pub fn capture(logger: Logger, template: &str) -> Capture {
    let out = Capture::new();
    let handler = StreamHandler::new(out.clone());
    handler.set_formatter(Formatter::new(template).expect("valid template"));
    logger.add_handler(handler);
    out
}

/// The lines captured so far.
pub fn record_lines(out: &Capture) -> Vec<String> {
    out.lines()
}

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty directory under the system temp dir, unique to this process and call,
/// removed with everything in it when the returned guard is dropped; kept when the test is
/// failing (the thread is panicking), to be looked at.
///
/// # Panics
///
/// If it cannot be created.
pub fn temp_dir(tag: &str) -> TempDir {
    let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("logkit-test-{}-{tag}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    TempDir(dir)
}

/// A directory made by [`temp_dir`]: a [`Path`] that is removed when dropped, unless the
/// thread is panicking.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// `text` without the `Stack backtrace:` blocks that `exception!` appends when
/// `RUST_BACKTRACE`/`RUST_LIB_BACKTRACE` turn capture on.
pub fn strip_backtraces(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("Stack backtrace:") {
            skipping = true;
            continue;
        }
        if skipping && line.starts_with(' ') {
            continue;
        }
        skipping = false;
        out.push_str(line);
    }
    out
}

/// The counts in the lines of `stderr` that say how many error reports the rate limit held
/// back: `(N earlier logging errors …)` (printed with a later report) and
/// `(N later logging errors …)` (printed once their second is over, or at exit).
///
/// # Panics
///
/// If such a line's count is not a number.
pub fn held_back_counts(stderr: &str) -> Vec<u64> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix('(')?;
            rest.strip_suffix(" later logging errors from this handler were not shown)")
                .or_else(|| {
                    rest.strip_suffix(" earlier logging errors from this handler were not shown)")
                })
        })
        .map(|n| n.parse().expect("a count"))
        .collect()
}

/// A marker unique to one test run (`test`, the process id and the time), to find that
/// test's records among others in a server's capture file.
///
/// # Panics
///
/// If the system clock is before 1970.
pub fn marker(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock after 1970")
        .as_nanos();
    format!("{test}-{}-{nanos}", std::process::id())
}

/// Polls `f` every 50 ms until it returns `Some`, for at most `limit`.
///
/// # Panics
///
/// If `limit` passes first, naming `what` was waited for.
pub fn wait_for<T>(what: &str, limit: std::time::Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {limit:?} waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The whole lines of `path` containing `needle` (none if the file does not exist yet); a
/// server may be writing the last line while the file is read, so a line without its
/// newline is left out.
pub fn lines_with(path: &std::path::Path, needle: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_inclusive('\n')
        .filter_map(|l| l.strip_suffix('\n'))
        .filter(|l| l.contains(needle))
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_owned())
        .collect()
}
