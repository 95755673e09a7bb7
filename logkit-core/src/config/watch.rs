//! `watch`: a configuration file applied again whenever it changes (and on SIGHUP where
//! asked), on a thread of its own.
//!
//! The file is read in the format its extension names — `.ini`, `.conf`, `.cfg`: CPython's
//! `fileConfig`; `.json`, `.toml`: `dictConfig` — and installed whole by the same
//! build-then-swap as [`file_config`](fn@super::file_config) and
//! [`dict_config_file`](super::dict_config_file): a thread that logs sees the old
//! configuration or the new one, never a mix, and never waits. A file that does not apply
//! (a syntax error, an unknown class, a directory that does not exist) leaves the running
//! configuration in force and is reported once on stderr, with the file and line.
//!
//! How a change is noticed: on Linux, inotify on the file's directory (editors save by
//! writing another file and renaming it over; Kubernetes swaps a symlink), the watcher
//! thread sleeping in `poll` until something happens there. Elsewhere, or when inotify
//! cannot be used (its limits reached, or asked with [`Watch::polling`]), the file's size,
//! modification and status-change times and inode are checked every
//! [`Watch::poll_interval`] (and the file read anyway while those times are too recent to
//! tell a second save of the same size within their tick). Either way the file is read once
//! it has been quiet for [`Watch::settle`], and applied only if its content differs from
//! what was last applied. With inotify, a file deleted and written anew (or created) is
//! read only once its writer has closed it (or after 5 s), however slowly it is written.
//!
//! Parts: [`inotify`] (Linux), [`poll`] (the interval check), `signal` (SIGHUP, with the
//! `sighup` feature), [`check`] (reading, applying, reporting) and [`thread`] (the loop).

mod check;
#[cfg(target_os = "linux")]
mod inotify;
mod poll;
#[cfg(feature = "sighup")]
mod signal;
mod thread;

use std::fmt;
use std::io::Write as _;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind};

/// Watches a configuration file: applies it now, then again each time it changes, until
/// the returned [`ConfigWatch`] is stopped or dropped.
///
/// The format follows the extension: `.ini`, `.conf` and `.cfg` are read as CPython's
/// `fileConfig` INI; `.json` and `.toml` as `dictConfig` (with the `json` and `toml`
/// features). See [`Watch`] for the options (SIGHUP, a callback after each reload, the
/// interval of the check where inotify is not used).
///
/// # Errors
///
/// The extension names no format this build reads, or the file does not apply now (the
/// error of [`file_config`](fn@super::file_config) or
/// [`dict_config_file`](super::dict_config_file)); nothing is watched then.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// let dir = std::env::temp_dir().join(format!("logkit-doc-watch-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("logging.ini");
/// let ini = |level: &str| format!(
///     "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n\
///      [logger_root]\nlevel={level}\nhandlers=\n"
/// );
/// std::fs::write(&path, ini("WARNING"))?;
///
/// let mut watch = logkit::config::watch(&path)?;
/// assert_eq!(logkit::root().level(), logkit::Level::WARNING);
///
/// std::fs::write(&path, ini("DEBUG"))?;
/// assert!(watch.wait_for_reload(1, Duration::from_secs(10)));
/// assert_eq!(logkit::root().level(), logkit::Level::DEBUG);
/// watch.stop();
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn watch(path: impl AsRef<Path>) -> Result<ConfigWatch, Error> {
    Watch::new(path).start()
}

/// What started a reload.
///
/// # Examples
///
/// ```
/// use logkit::config::{Trigger, Watch};
///
/// let builder = Watch::new("logging.ini").on_reload(|r| {
///     if r.trigger() == Trigger::Changed && !r.is_applied() {
///         eprintln!("the edit of {} was refused", r.path().display());
///     }
/// });
/// # drop(builder);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Trigger {
    /// The first application, by [`Watch::start`].
    Start,
    /// The file changed.
    Changed,
    /// The process received SIGHUP ([`Watch::sighup`]).
    Signal,
}

/// The outcome of one reload, given to the [`Watch::on_reload`] callback.
///
/// # Examples
///
/// ```
/// use logkit::config::{Reload, Trigger, Watch};
///
/// // A failure is reported on stderr anyway; say more where the application wants it.
/// let builder = Watch::new("logging.ini").on_reload(|r: &Reload<'_>| match r.error() {
///     None => println!("{} applied ({:?})", r.path().display(), r.trigger()),
///     Some(err) => println!("{} kept the configuration in force: {err}", r.path().display()),
/// });
/// # drop(builder);
/// ```
#[derive(Debug)]
pub struct Reload<'a> {
    path: &'a Path,
    trigger: Trigger,
    result: Result<u64, &'a Error>,
}

impl Reload<'_> {
    /// The file watched.
    pub fn path(&self) -> &Path {
        self.path
    }

    /// What started this reload.
    pub fn trigger(&self) -> Trigger {
        self.trigger
    }

    /// Whether the file's configuration is now in force.
    pub fn is_applied(&self) -> bool {
        self.result.is_ok()
    }

    /// Why the file was not applied (the running configuration was kept), if it was not.
    pub fn error(&self) -> Option<&Error> {
        self.result.err()
    }

    /// How many times the watch has applied the file, this time included if it did.
    pub fn applied(&self) -> u64 {
        self.result.unwrap_or_default()
    }
}

/// How a [`ConfigWatch`] notices changes.
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use logkit::config::{Watch, WatchMethod};
///
/// let watch = Watch::new("/mnt/nfs/logging.ini").polling(true).start()?;
/// assert_eq!(watch.method(), WatchMethod::Polling(Duration::from_secs(1)));
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WatchMethod {
    /// inotify on the file's directory (Linux): the thread sleeps until something changes.
    Inotify,
    /// The file's size, times and inode checked at an interval.
    Polling(Duration),
}

/// Counts of what a [`ConfigWatch`] did, for a program or a test to wait on.
///
/// # Examples
///
/// ```no_run
/// let watch = logkit::config::watch("logging.ini")?;
/// let stats = watch.stats();
/// println!("applied {}, refused {}, unchanged {}", stats.applied, stats.failed, stats.unchanged);
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WatchStats {
    /// Times the file was applied (the first application included).
    pub applied: u64,
    /// Times it was read and did not apply (the running configuration was kept).
    pub failed: u64,
    /// Times it was read and found the same as what was last applied or last failed, so
    /// nothing was done.
    pub unchanged: u64,
}

type Callback = Arc<dyn Fn(&Reload<'_>) + Send + Sync>;

/// The options of [`watch`], a builder: SIGHUP, a callback after each reload, the check
/// interval where inotify is not used, and how `fileConfig` files are applied.
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use logkit::config::Watch;
///
/// let watch = Watch::new("/etc/myapp/logging.toml")
///     .poll_interval(Duration::from_secs(5))
///     .on_reload(|r| {
///         if let Some(err) = r.error() {
///             eprintln!("logging configuration kept: {err}");
///         }
///     })
///     .start()?;
/// // ... the service runs; `watch` stops watching when dropped.
/// # drop(watch);
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Clone)]
pub struct Watch {
    path: PathBuf,
    apply_now: bool,
    #[cfg(feature = "sighup")]
    sighup: bool,
    polling: bool,
    poll_interval: Duration,
    settle: Duration,
    on_reload: Option<Callback>,
    disable_existing_loggers: bool,
    bridges: bool,
    encoding: Option<String>,
}

impl fmt::Debug for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Watch");
        d.field("path", &self.path)
            .field("apply_now", &self.apply_now);
        #[cfg(feature = "sighup")]
        d.field("sighup", &self.sighup);
        d.field("polling", &self.polling)
            .field("poll_interval", &self.poll_interval)
            .field("settle", &self.settle)
            .field("on_reload", &self.on_reload.is_some())
            .field("disable_existing_loggers", &self.disable_existing_loggers)
            .field("bridges", &self.bridges)
            .field("encoding", &self.encoding)
            .finish()
    }
}

/// The format of a configuration file, from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Ini,
    Dict,
}

impl Watch {
    /// Watches `path` when started, with the defaults: applied at start, no SIGHUP, a
    /// check every second where inotify is not used, 100 ms of quiet before reading.
    pub fn new(path: impl AsRef<Path>) -> Self {
        Watch {
            path: path.as_ref().to_owned(),
            apply_now: true,
            #[cfg(feature = "sighup")]
            sighup: false,
            polling: false,
            poll_interval: Duration::from_secs(1),
            settle: Duration::from_millis(100),
            on_reload: None,
            disable_existing_loggers: true,
            bridges: true,
            encoding: None,
        }
    }

    /// Whether [`start`](Self::start) applies the file (`true`, the default) or takes what
    /// it holds now as already applied (the program configured logging from it itself),
    /// applying only later changes.
    #[must_use]
    pub fn apply_now(mut self, apply: bool) -> Self {
        self.apply_now = apply;
        self
    }

    /// Also re-applies the file when the process receives SIGHUP (off by default), even if
    /// it has not changed — which reopens the files of its file handlers, as `logrotate`'s
    /// `postrotate` expects.
    ///
    /// Asking for it installs a signal handler for SIGHUP: from then on, for the rest of
    /// the process, SIGHUP no longer ends the process (its default action), also after the
    /// watch stops (it is then ignored).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let watch = logkit::config::Watch::new("/etc/myapp/logging.ini").sighup(true).start()?;
    /// // `kill -HUP <pid>` now re-applies the file.
    /// # drop(watch);
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[cfg(feature = "sighup")]
    #[must_use]
    pub fn sighup(mut self, on: bool) -> Self {
        self.sighup = on;
        self
    }

    /// Checks the file at [`poll_interval`](Self::poll_interval) even where inotify is
    /// available (`false` by default): for a file on a network filesystem, where inotify
    /// does not see changes made on other machines.
    #[must_use]
    pub fn polling(mut self, on: bool) -> Self {
        self.polling = on;
        self
    }

    /// How often the file is checked where inotify is not used: 1 second by default
    /// (at least 10 ms).
    #[must_use]
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval.max(Duration::from_millis(10));
        self
    }

    /// How long the file must be quiet (no further change) before it is read, so that a
    /// file still being written is not: 100 ms by default. A file changing all the time is
    /// read at the latest ten times this after the first change. With inotify, a file just
    /// created is read once its writer closes it, however long it takes (up to 5 s).
    #[must_use]
    pub fn settle(mut self, quiet: Duration) -> Self {
        self.settle = quiet;
        self
    }

    /// Calls `f` after each reload, applied or not (with [`Trigger::Start`] for the first
    /// application), on the watcher's thread (on the caller's of [`start`](Self::start) for
    /// the first, and for a change made while watching was being set up), before the
    /// reload is counted in [`ConfigWatch::stats`] (so a wait on the counts sees what `f`
    /// did). A panic in `f` is reported on stderr and watching goes on.
    ///
    /// # Examples
    ///
    /// Logging the logger tree at DEBUG after each reload, as `logging_tree` prints it:
    ///
    /// ```no_run
    /// let watch = logkit::config::Watch::new("logging.ini")
    ///     .on_reload(|r| if r.is_applied() {
    ///         let log = logkit::get_logger("logkit.config");
    ///         logkit::debug!(log, "configuration applied:\n%s", logkit::tree());
    ///     })
    ///     .start()?;
    /// # drop(watch);
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[must_use]
    pub fn on_reload(mut self, f: impl Fn(&Reload<'_>) + Send + Sync + 'static) -> Self {
        self.on_reload = Some(Arc::new(f));
        self
    }

    /// For `fileConfig` files: whether loggers the file does not name are disabled
    /// (`true`, CPython's default), as [`FileConfig::disable_existing_loggers`](
    /// super::FileConfig::disable_existing_loggers). A `dictConfig` file says it itself.
    ///
    /// At startup few loggers exist; by the time of a reload every logger the program made
    /// does, and CPython's default disables all those the file does not name (nor a logger
    /// above them). Pass `false` unless that is what you want.
    #[must_use]
    pub fn disable_existing_loggers(mut self, disable: bool) -> Self {
        self.disable_existing_loggers = disable;
        self
    }

    /// For `fileConfig` files: their encoding (CPython's `fileConfig(encoding=...)`), as
    /// [`FileConfig::encoding`](super::FileConfig::encoding): UTF-8 (the default),
    /// `utf-8-sig`, ASCII or Latin-1. JSON and TOML files are read as UTF-8.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let watch = logkit::config::Watch::new("/etc/myapp/logging.ini")
    ///     .encoding("latin-1")
    ///     .start()?;
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[must_use]
    pub fn encoding(mut self, encoding: &str) -> Self {
        self.encoding = Some(encoding.to_owned());
        self
    }

    /// Whether each application installs the bridges of the `log` and `tracing` facades
    /// where they are free (`true` by default), as [`FileConfig::bridges`](
    /// super::FileConfig::bridges).
    #[must_use]
    pub fn bridges(mut self, install: bool) -> Self {
        self.bridges = install;
        self
    }

    /// Applies the file (unless told [`apply_now(false)`](Self::apply_now)) and starts
    /// watching it on a thread named `logkit-watch`.
    ///
    /// # Errors
    ///
    /// As [`watch`]; also when the file cannot be read with `apply_now(false)`, or the
    /// thread (or the SIGHUP handler) cannot be set up.
    pub fn start(self) -> Result<ConfigWatch, Error> {
        let path = std::path::absolute(&self.path).map_err(|e| Error::io("find", &self.path, e))?;
        let format = format_of(&path)?;
        if format == Format::Ini {
            // An encoding logkit does not read is an error now, not at the first reload.
            super::file_config::decode(&[], self.encoding.as_deref(), &path)?;
        }
        let shared = Arc::new(Shared::default());
        let mut checker = check::Checker::new(
            path.clone(),
            format,
            self.disable_existing_loggers,
            self.bridges,
            self.encoding.clone(),
            self.on_reload.clone(),
            shared.clone(),
        );
        if self.apply_now {
            checker.apply_first()?;
        } else {
            checker.assume_applied()?;
        }
        #[cfg(feature = "sighup")]
        let sighup =
            if self.sighup {
                Some(signal::Sighup::register().map_err(|e| {
                    Error::new(ErrorKind::Io, "cannot handle SIGHUP").with_source(e)
                })?)
            } else {
                None
            };
        let (stop_tx, stop_rx) = UnixStream::pair().map_err(|e| Error::io("watch", &path, e))?;
        let mut looper = thread::Looper::new(
            checker,
            stop_rx,
            self.settle,
            self.poll_interval,
            self.polling,
        );
        #[cfg(feature = "sighup")]
        looper.set_sighup(sighup);
        looper.catch_up();
        let method = looper.method();
        let handle = std::thread::Builder::new()
            .name("logkit-watch".to_owned())
            .spawn(move || looper.run())
            .map_err(|e| Error::io("start a thread to watch", &path, e))?;
        Ok(ConfigWatch {
            running: Some(Running {
                stop: stop_tx,
                thread: handle,
            }),
            shared,
            path,
            method,
        })
    }
}

/// The format `path`'s extension names, if this build reads it.
fn format_of(path: &Path) -> Result<Format, Error> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let needs = |feature: &str| {
        Err(Error::new(
            ErrorKind::Config,
            format!(
                "{}: reading this format needs logkit's `{feature}` feature",
                path.display()
            ),
        ))
    };
    match ext.as_deref() {
        Some("ini" | "conf" | "cfg") => Ok(Format::Ini),
        Some("json") if cfg!(feature = "json") => Ok(Format::Dict),
        Some("json") => needs("json"),
        Some("toml") if cfg!(feature = "toml") => Ok(Format::Dict),
        Some("toml") => needs("toml"),
        _ => Err(Error::new(
            ErrorKind::Config,
            format!(
                "{}: cannot tell the format from the extension (.ini, .conf or .cfg for \
                 fileConfig; .json or .toml for dictConfig)",
                path.display()
            ),
        )),
    }
}

/// What the watcher thread and the handle share: the counts, and a condition variable
/// signalled when they change.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    stats: Mutex<WatchStats>,
    changed: Condvar,
}

impl Shared {
    /// Updates the counts and wakes whoever waits on them.
    pub(crate) fn update(&self, f: impl FnOnce(&mut WatchStats)) {
        let mut stats = self.stats.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut stats);
        self.changed.notify_all();
    }

    fn get(&self) -> WatchStats {
        *self.stats.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Debug)]
struct Running {
    /// Written to (and closed) to stop the thread.
    stop: UnixStream,
    thread: JoinHandle<()>,
}

/// A running watch of a configuration file (see [`watch`]): stopped by [`stop`](Self::stop)
/// or when dropped, or left to run for the rest of the process by
/// [`detach`](Self::detach).
///
/// # Examples
///
/// ```no_run
/// let mut watch = logkit::config::watch("logging.ini")?;
/// println!("watching {} ({:?})", watch.path().display(), watch.method());
/// watch.stop();
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Debug)]
pub struct ConfigWatch {
    running: Option<Running>,
    shared: Arc<Shared>,
    path: PathBuf,
    method: WatchMethod,
}

impl ConfigWatch {
    /// The file watched (made absolute).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How changes are noticed.
    pub fn method(&self) -> WatchMethod {
        self.method
    }

    /// What the watch has done so far.
    pub fn stats(&self) -> WatchStats {
        self.shared.get()
    }

    /// How many times the file has been applied, the first time included.
    pub fn reloads(&self) -> u64 {
        self.stats().applied
    }

    /// Waits until `done` holds for the counts, or `timeout` passes; whether it holds.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let watch = logkit::config::watch("logging.ini")?;
    /// let failed = watch.stats().failed;
    /// // ... write a broken file ...
    /// assert!(watch.wait_until(Duration::from_secs(5), |s| s.failed > failed));
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn wait_until(&self, timeout: Duration, mut done: impl FnMut(&WatchStats) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut stats = self
            .shared
            .stats
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        loop {
            if done(&stats) {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            stats = self
                .shared
                .changed
                .wait_timeout(stats, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Waits until the file has been applied more than `applied` times (a count read from
    /// [`reloads`](Self::reloads) before the change), or `timeout` passes; whether it was.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let watch = logkit::config::watch("logging.ini")?;
    /// let applied = watch.reloads();
    /// std::fs::write("logging.ini", "...")?;
    /// if !watch.wait_for_reload(applied, Duration::from_secs(5)) {
    ///     eprintln!("not applied: {:?}", watch.stats());
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait_for_reload(&self, applied: u64, timeout: Duration) -> bool {
        self.wait_until(timeout, |s| s.applied > applied)
    }

    /// Stops watching and waits for the watcher thread to end (at once: it is woken). A
    /// change after this is not applied. Calling it again does nothing.
    pub fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = (&running.stop).write_all(&[1]);
            drop(running.stop);
            let _ = running.thread.join();
        }
    }

    /// Lets the watch run for the rest of the process, without a handle to stop it.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// logkit::config::watch("/etc/myapp/logging.toml")?.detach();
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn detach(mut self) {
        if let Some(running) = self.running.take() {
            // The thread stops when the other end of this socket closes: keep it open.
            std::mem::forget(running.stop);
        }
    }
}

impl Drop for ConfigWatch {
    fn drop(&mut self) {
        self.stop();
    }
}
