//! `TimedRotatingFileHandler`: a file renamed with a date suffix at intervals of time
//! (Python's `logging.handlers.TimedRotatingFileHandler`).
//!
//! CPython 3.11's computation is kept exactly: when the first rollover is due (from the
//! file's modification time), how the next one follows (`S`/`M`/`H`/`D` are not aligned to the
//! clock; `midnight` and `W0`–`W6` are, with an optional time of day), the one-hour
//! corrections around daylight saving time changes, the name of a backup (the start of the
//! interval that ended, not the time of the rollover), and which old backups are deleted
//! (those whose name matches the suffix's pattern, oldest by name first).
//!
//! The time comes from a clock that can be replaced ([`TimedRotatingFileHandlerBuilder::clock`]),
//! so that rollovers can be tested without waiting for them.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use super::file::{FileMode, resolve};
use super::log_file::{
    Buffering, LogFile, emit_rotating, is_special, remove, rotation_error, with_suffix,
};
use super::rotation_hooks::RotationHooks;
use super::{Handler, HandlerCore, HandlerError};
use crate::clock::{self, BrokenDownTime, Converter};
use crate::error::{Error, ErrorKind};
use crate::record::Record;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// When a [`TimedRotatingFileHandler`] rotates (Python's `when`).
///
/// # Examples
///
/// ```
/// use logkit::When;
///
/// assert_eq!(When::from_python("midnight")?, When::Midnight);
/// assert_eq!(When::from_python("w6")?, When::Weekday(6));
/// assert_eq!(When::Hour.suffix(), "%Y-%m-%d_%H");
/// assert_eq!(
///     When::from_python("W7").unwrap_err().to_string(),
///     "Invalid day specified for weekly rollover: W7"
/// );
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum When {
    /// `S`: every `interval` seconds.
    Second,
    /// `M`: every `interval` minutes.
    Minute,
    /// `H`: every `interval` hours (the default).
    Hour,
    /// `D`: every `interval` days, counted from the start (not at midnight).
    Day,
    /// `midnight`: at midnight, or at the handler's `at_time`.
    Midnight,
    /// `W0`–`W6`: weekly, at the midnight (or `at_time`) that ends this weekday (0 is
    /// Monday).
    Weekday(u8),
}

impl When {
    /// The value for Python's `when` string, in any case: `S`, `M`, `H`, `D`, `midnight`,
    /// `W0`–`W6`.
    ///
    /// # Errors
    ///
    /// Any other string, with CPython's message.
    pub fn from_python(when: &str) -> Result<Self, Error> {
        let upper = when.to_uppercase();
        let invalid = |message: String| Error::new(ErrorKind::InvalidArgument, message);
        Ok(match upper.as_str() {
            "S" => When::Second,
            "M" => When::Minute,
            "H" => When::Hour,
            "D" => When::Day,
            "MIDNIGHT" => When::Midnight,
            w if w.starts_with('W') => {
                let day = &w.as_bytes()[1..];
                if day.len() != 1 {
                    return Err(invalid(format!(
                        "You must specify a day for weekly rollover from 0 to 6 (0 is Monday): \
                         {upper}"
                    )));
                }
                if !(b'0'..=b'6').contains(&day[0]) {
                    return Err(invalid(format!(
                        "Invalid day specified for weekly rollover: {upper}"
                    )));
                }
                When::Weekday(day[0] - b'0')
            }
            _ => {
                return Err(invalid(format!(
                    "Invalid rollover interval specified: {upper}"
                )));
            }
        })
    }

    /// The `strftime` format of a backup's suffix.
    pub fn suffix(self) -> &'static str {
        match self {
            When::Second => "%Y-%m-%d_%H-%M-%S",
            When::Minute => "%Y-%m-%d_%H-%M",
            When::Hour => "%Y-%m-%d_%H",
            When::Day | When::Midnight | When::Weekday(_) => "%Y-%m-%d",
        }
    }

    /// The length of one unit, in seconds.
    fn unit(self) -> i64 {
        match self {
            When::Second => 1,
            When::Minute => 60,
            When::Hour => 3600,
            When::Day | When::Midnight => DAY,
            When::Weekday(_) => 7 * DAY,
        }
    }

    /// Whether rollovers are aligned to a time of day.
    fn is_aligned(self) -> bool {
        matches!(self, When::Midnight | When::Weekday(_))
    }

    /// Whether `part` (one dot-separated part of a file name) is a suffix this `when` writes:
    /// CPython's `extMatch`, `^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}(\.\w+)?$` and its shorter
    /// siblings (`\d` ASCII only; `$` also matches before a final newline).
    fn matches_suffix(self, part: &[u8]) -> bool {
        let shape: &[u8] = match self {
            When::Second => b"dddd-dd-dd_dd-dd-dd",
            When::Minute => b"dddd-dd-dd_dd-dd",
            When::Hour => b"dddd-dd-dd_dd",
            When::Day | When::Midnight | When::Weekday(_) => b"dddd-dd-dd",
        };
        let part = part.strip_suffix(b"\n").unwrap_or(part);
        part.len() == shape.len()
            && part.iter().zip(shape).all(|(&c, &s)| {
                if s == b'd' {
                    c.is_ascii_digit()
                } else {
                    c == s
                }
            })
    }
}

/// The source of the current time, in whole seconds since the epoch.
type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The records' clock ([`FixedClock`](crate::clock::FixedClock) included), in whole seconds.
fn system_clock() -> i64 {
    crate::record::Timestamp::now().secs()
}

/// Whole seconds since the epoch, truncated as Python's `int()` truncates.
fn epoch_secs(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// Writes records to a file and renames it with a date suffix at intervals of time (Python's
/// `logging.handlers.TimedRotatingFileHandler`).
///
/// With `when` [`When::Hour`] the file `app.log` becomes `app.log.2024-03-09_13` after an
/// hour, named for the start of the hour it covers. With `backup_count` above 0, the oldest
/// backups beyond that many are deleted at each rollover.
///
/// The time is checked before each record; a rollover that fails is reported on stderr like
/// any handler error, the record is still written if it can be, and the next rollover is
/// scheduled as if it had succeeded.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicI64, Ordering};
/// use logkit::{Handler, Level, TimedRotatingFileHandler, When, get_logger};
///
/// let dir = std::env::temp_dir().join(format!("logkit-doc-timed-{}", std::process::id()));
/// # std::fs::remove_dir_all(&dir).ok();
/// std::fs::create_dir_all(&dir)?;
/// // A clock the example moves by hand: 2024-03-09 13:30:00 UTC.
/// let now = Arc::new(AtomicI64::new(1_709_991_000));
/// let clock = now.clone();
/// let handler = TimedRotatingFileHandler::options(dir.join("app.log"))
///     .when(When::Hour)
///     .utc(true)
///     .backup_count(24)
///     .clock(move || clock.load(Ordering::Relaxed))
///     .open()?;
/// assert_eq!(handler.rollover_at(), 1_709_991_000 + 3600);
///
/// let logger = get_logger("doc.timed");
/// logger.add_handler(handler);
/// logger.log(Level::WARNING, "first hour", &[]);
/// now.fetch_add(3600, Ordering::Relaxed);
/// logger.log(Level::WARNING, "second hour", &[]);
///
/// let backup = dir.join("app.log.2024-03-09_13");
/// assert_eq!(std::fs::read_to_string(backup)?, "first hour\n");
/// assert_eq!(std::fs::read_to_string(dir.join("app.log"))?, "second hour\n");
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TimedRotatingFileHandler {
    core: HandlerCore,
    path: PathBuf,
    when: When,
    /// Seconds between rollovers: `when`'s unit times `interval`.
    interval: i64,
    backup_count: u32,
    utc: bool,
    /// Seconds after midnight.
    at_time: Option<i64>,
    clock: Clock,
    hooks: RotationHooks,
    buffering: Option<Buffering>,
    state: Mutex<State>,
}

struct State {
    file: LogFile,
    /// When the next rollover is due, in seconds since the epoch (CPython's `rolloverAt`).
    rollover_at: i64,
}

/// Options for a [`TimedRotatingFileHandler`]; see [`TimedRotatingFileHandler::options`].
#[derive(Clone)]
pub struct TimedRotatingFileHandlerBuilder {
    path: PathBuf,
    when: When,
    interval: u32,
    backup_count: u32,
    delay: bool,
    encoding: Option<String>,
    errors: Option<String>,
    utc: bool,
    at_time: Option<(u32, u32, u32)>,
    clock: Option<Clock>,
    hooks: RotationHooks,
    buffering: Option<Buffering>,
}

impl TimedRotatingFileHandlerBuilder {
    /// When to rotate ([`When::Hour`] by default).
    #[must_use]
    pub fn when(mut self, when: When) -> Self {
        self.when = when;
        self
    }

    /// How many units of `when` between rollovers (1 by default).
    #[must_use]
    pub fn interval(mut self, interval: u32) -> Self {
        self.interval = interval;
        self
    }

    /// How many backups to keep (0, the default: all).
    #[must_use]
    pub fn backup_count(mut self, backup_count: u32) -> Self {
        self.backup_count = backup_count;
        self
    }

    /// Opens the file at the first record instead of now (Python's `delay=True`).
    #[must_use]
    pub fn delay(mut self, delay: bool) -> Self {
        self.delay = delay;
        self
    }

    /// Buffered mode (see [`Buffering`]): a rollover writes what the buffer holds to the
    /// file first, so each backup holds the records it would hold unbuffered.
    #[must_use]
    pub fn buffered(mut self, buffering: Buffering) -> Self {
        self.buffering = Some(buffering);
        self
    }

    /// The text encoding (CPython's `encoding`): UTF-8 (the default), ASCII or Latin-1, in
    /// any of CPython's names (`ascii`, `latin-1`, `iso-8859-1`, …); another is an error of
    /// opening the handler.
    #[must_use]
    pub fn encoding(mut self, encoding: &str) -> Self {
        self.encoding = Some(encoding.to_owned());
        self
    }

    /// What to do with a character the encoding cannot represent (CPython's `errors`):
    /// `strict` (the default: the record is reported and not written), `replace` (`?`),
    /// `ignore`, `backslashreplace` (`\xe9`), `xmlcharrefreplace` (`&#233;`).
    #[must_use]
    pub fn errors(mut self, errors: &str) -> Self {
        self.errors = Some(errors.to_owned());
        self
    }

    /// Computes times and names in UTC instead of local time.
    #[must_use]
    pub fn utc(mut self, utc: bool) -> Self {
        self.utc = utc;
        self
    }

    /// The time of day of `midnight` and weekly rollovers (Python's `atTime`; midnight by
    /// default).
    #[must_use]
    pub fn at_time(mut self, hour: u32, minute: u32, second: u32) -> Self {
        self.at_time = Some((hour, minute, second));
        self
    }

    /// Where the handler reads the current time, in whole seconds since the epoch (the
    /// system clock by default): for tests and simulations that move time by hand.
    #[must_use]
    pub fn clock(mut self, now: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(now));
        self
    }

    /// Names the backups (Python's `namer`): called with the default name
    /// (`app.log.2024-01-31`), it returns the name to use. As in CPython, backups so named
    /// are pruned when they start with the log's name, or with its name less the extension
    /// and end with the extension (`app.2024-01-31.log`).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{TimedRotatingFileHandler, When};
    /// use std::path::{Path, PathBuf};
    ///
    /// let path = std::env::temp_dir().join("logkit-doc-timed-namer.log");
    /// let h = TimedRotatingFileHandler::options(&path)
    ///     .when(When::Midnight)
    ///     .backup_count(7)
    ///     .namer(|default: &Path| PathBuf::from(format!("{}.old", default.display())))
    ///     .open()?;
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[must_use]
    pub fn namer(mut self, namer: impl Fn(&Path) -> PathBuf + Send + Sync + 'static) -> Self {
        self.hooks.set_namer(namer);
        self
    }

    /// Makes the backup from the file (Python's `rotator`): called with the file and the
    /// backup's name (after the namer); without one the file is renamed. It must leave no
    /// file at the log's path. An error is reported as the rollover's, and logging goes on.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{TimedRotatingFileHandler, When};
    /// use std::path::Path;
    ///
    /// let path = std::env::temp_dir().join("logkit-doc-timed-rotator.log");
    /// let h = TimedRotatingFileHandler::options(&path)
    ///     .when(When::Midnight)
    ///     .rotator(|source: &Path, dest: &Path| std::fs::rename(source, dest))
    ///     .open()?;
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[must_use]
    pub fn rotator(
        mut self,
        rotator: impl Fn(&Path, &Path) -> std::io::Result<()> + Send + Sync + 'static,
    ) -> Self {
        self.hooks.set_rotator(rotator);
        self
    }

    /// Opens (or, with `delay`, prepares) the handler. The first rollover is computed from
    /// the file's modification time if it exists, else from now.
    ///
    /// # Errors
    ///
    /// The file cannot be opened (naming the path and the reason), the encoding is not one
    /// logkit writes, `interval` is 0 or `at_time` is not a time of day.
    pub fn open(self) -> Result<TimedRotatingFileHandler, Error> {
        let (path, codec) = resolve(&self.path, self.encoding.as_deref(), self.errors.as_deref())?;
        if self.interval == 0 {
            // CPython loops forever at the first rollover.
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "interval must be at least 1",
            ));
        }
        let at_time = match self.at_time {
            None => None,
            Some((h, m, s)) if h < 24 && m < 60 && s < 60 => {
                Some((i64::from(h) * 60 + i64::from(m)) * 60 + i64::from(s))
            }
            Some((h, m, s)) => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("at_time {h:02}:{m:02}:{s:02} is not a time of day"),
                ));
            }
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(system_clock));
        // CPython opens the file first and reads its modification time, which is now if the
        // file was just created: read it before opening so that "now" is the clock's.
        let mtime = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .map(epoch_secs);
        let file = LogFile::new(&path, FileMode::Append, self.delay)?
            .buffered(self.buffering)
            .encoded(codec);
        let mut handler = TimedRotatingFileHandler {
            core: HandlerCore::new(),
            path,
            when: self.when,
            interval: self.when.unit() * i64::from(self.interval),
            backup_count: self.backup_count,
            utc: self.utc,
            at_time,
            clock,
            hooks: self.hooks,
            buffering: self.buffering,
            state: Mutex::new(State {
                file,
                rollover_at: 0,
            }),
        };
        let start = mtime.unwrap_or_else(|| (handler.clock)());
        let first = handler.compute_rollover(start);
        handler
            .state
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .rollover_at = first;
        Ok(handler)
    }
}

impl fmt::Debug for TimedRotatingFileHandlerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimedRotatingFileHandlerBuilder")
            .field("path", &self.path)
            .field("when", &self.when)
            .field("interval", &self.interval)
            .field("backup_count", &self.backup_count)
            .field("utc", &self.utc)
            .field("at_time", &self.at_time)
            .finish_non_exhaustive()
    }
}

impl TimedRotatingFileHandler {
    /// Opens `path` for appending, rotated every `when` with `backup_count` backups kept.
    ///
    /// # Errors
    ///
    /// The file cannot be opened; the error names the path and the reason.
    pub fn new(path: impl AsRef<Path>, when: When, backup_count: u32) -> Result<Self, Error> {
        TimedRotatingFileHandler::options(path)
            .when(when)
            .backup_count(backup_count)
            .open()
    }

    /// Options: when, interval, backups, UTC, time of day, delay, encoding, clock.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{TimedRotatingFileHandler, When};
    ///
    /// let path = std::env::temp_dir().join("logkit-doc-timed-options.log");
    /// let h = TimedRotatingFileHandler::options(&path)
    ///     .when(When::Midnight)
    ///     .at_time(2, 30, 0)
    ///     .backup_count(7)
    ///     .delay(true)
    ///     .open()?;
    /// assert_eq!(h.when(), When::Midnight);
    /// assert!(h.rollover_at() > 0);
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn options(path: impl AsRef<Path>) -> TimedRotatingFileHandlerBuilder {
        TimedRotatingFileHandlerBuilder {
            path: path.as_ref().to_path_buf(),
            when: When::Hour,
            interval: 1,
            backup_count: 0,
            delay: false,
            encoding: None,
            errors: None,
            utc: false,
            at_time: None,
            clock: None,
            hooks: RotationHooks::default(),
            buffering: None,
        }
    }

    /// The file's absolute path (Python's `baseFilename`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// When the handler rotates.
    pub fn when(&self) -> When {
        self.when
    }

    /// Seconds between rollovers (Python's `interval` after construction).
    pub fn interval_secs(&self) -> i64 {
        self.interval
    }

    /// How many backups are kept (0: all).
    pub fn backup_count(&self) -> u32 {
        self.backup_count
    }

    /// When the next rollover is due, in seconds since the epoch (Python's `rolloverAt`).
    pub fn rollover_at(&self) -> i64 {
        self.lock().rollover_at
    }

    /// Sets what follows each record (`\n` by default).
    pub fn set_terminator(&self, terminator: &str) {
        self.lock().file.set_terminator(terminator);
    }

    /// Rotates now, naming the backup for the interval that is due to end (Python's
    /// `doRollover`).
    ///
    /// # Errors
    ///
    /// A file that cannot be renamed or deleted, naming it.
    pub fn rollover(&self) -> Result<(), HandlerError> {
        let mut state = self.lock();
        self.do_rollover(&mut state, (self.clock)())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `time.localtime` or `time.gmtime`, as `utc` says.
    fn convert(&self, secs: i64) -> BrokenDownTime {
        if self.utc {
            Converter::Utc.convert(secs)
        } else {
            Converter::Local.convert(secs)
        }
    }

    /// The first rollover after `current` (CPython's `computeRollover`).
    fn compute_rollover(&self, current: i64) -> i64 {
        if !self.when.is_aligned() {
            return current + self.interval;
        }
        let t = self.convert(current);
        let rotate_ts = self.at_time.unwrap_or(DAY);
        let mut r =
            rotate_ts - ((i64::from(t.hour) * 60 + i64::from(t.minute)) * 60 + i64::from(t.second));
        let mut day = i64::from(t.weekday);
        if r < 0 {
            // The time of day has passed: tomorrow.
            r += DAY;
            day = (day + 1) % 7;
        }
        let mut result = current + r;
        if let When::Weekday(target) = self.when {
            let target = i64::from(target);
            if day != target {
                let days_to_wait = if day < target {
                    target - day
                } else {
                    6 - day + target + 1
                };
                let mut next = result + days_to_wait * DAY;
                if !self.utc {
                    next += dst_shift(t.is_dst, Converter::Local.convert(next).is_dst);
                }
                result = next;
            }
        }
        result
    }

    /// Rotates and schedules the next rollover (CPython's `doRollover`); the file is
    /// reopened by the next write. The next rollover is scheduled even when a step fails,
    /// so that a failing rename is reported once per interval, not at every record.
    fn do_rollover(&self, state: &mut State, now: i64) -> Result<(), HandlerError> {
        // What was gathered goes to the file before it is renamed.
        let released = state.file.release(&self.path, FileMode::Append);
        let dst_now = Converter::Local.convert(now).is_dst;
        let result = self.rotate(state.rollover_at, dst_now);
        let mut next = self.compute_rollover(now);
        while next <= now {
            next += self.interval;
        }
        if self.when.is_aligned() && !self.utc {
            next += dst_shift(dst_now, Converter::Local.convert(next).is_dst);
        }
        state.rollover_at = next;
        result.and(released)
    }

    /// Renames the file for the interval that ends at `rollover_at`, then prunes backups.
    fn rotate(&self, rollover_at: i64, dst_now: bool) -> Result<(), HandlerError> {
        let start = rollover_at - self.interval;
        let mut tm = self.convert(start);
        if !self.utc && dst_now != tm.is_dst {
            tm = Converter::Local.convert(start + if dst_now { 3600 } else { -3600 });
        }
        let mut suffix = String::new();
        clock::strftime(&mut suffix, self.when.suffix(), &tm);
        let target = self.hooks.name(with_suffix(&self.path, &suffix));
        if target.exists() {
            remove(&target)?;
        }
        self.hooks.rotate(&self.path, &target)?;
        if self.backup_count > 0 {
            for old in self.files_to_delete()? {
                remove(&old)?;
            }
        }
        Ok(())
    }

    /// The backups beyond `backup_count`, oldest first (CPython's `getFilesToDelete`): files
    /// next to the log whose name starts with the log's name and has a dot-separated part
    /// matching the suffix's pattern.
    fn files_to_delete(&self) -> Result<Vec<PathBuf>, HandlerError> {
        let dir = self.path.parent().unwrap_or(Path::new("/"));
        let base = self
            .path
            .file_name()
            .map(std::ffi::OsStr::as_encoded_bytes)
            .unwrap_or_default();
        // CPython's prefix drops the extension (bpo-44753): `app.` for `app.log`.
        let stem = split_extension(base);
        let prefix_len = stem.len() + 1;
        let extension = &base[stem.len()..];
        let entries = std::fs::read_dir(dir)
            .map_err(|e| rotation_error(&format!("cannot list '{}'", dir.display()), &e))?;
        let mut found: Vec<PathBuf> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.as_encoded_bytes();
            if !name.starts_with(base) {
                // Named by a namer, a backup may end with the extension instead
                // (`app.2024-01-01.log`); CPython then skips only names whose character
                // after the prefix's first is not a digit.
                let unnamed = !self.hooks.has_namer()
                    || (name.ends_with(extension)
                        && name
                            .get(prefix_len + 1)
                            .is_some_and(|c| !c.is_ascii_digit()));
                if unnamed {
                    continue;
                }
            }
            if !name.starts_with(&base[..prefix_len - 1]) || name.get(prefix_len - 1) != Some(&b'.')
            {
                continue;
            }
            let suffix = &name[prefix_len..];
            if suffix
                .split(|&b| b == b'.')
                .any(|part| self.when.matches_suffix(part))
            {
                found.push(entry.path());
            }
        }
        let keep = self.backup_count as usize;
        if found.len() < keep {
            return Ok(Vec::new());
        }
        found.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        found.truncate(found.len() - keep);
        Ok(found)
    }

    /// Rotates if due, then writes; a failed rollover is returned beside the outcome of the
    /// write, which still happens.
    #[inline(always)]
    fn write_line(
        &self,
        line: &mut String,
        urgent: bool,
    ) -> (Option<HandlerError>, Result<(), HandlerError>) {
        let now = (self.clock)();
        let mut state = self.lock();
        let mut rolled = None;
        if now >= state.rollover_at {
            if is_special(&self.path) {
                // Never rotate anything but a regular file (CPython's #89564); check again
                // at the next interval.
                state.rollover_at = self.compute_rollover(now);
            } else {
                rolled = self.do_rollover(&mut state, now).err();
            }
        }
        let written = state.file.write(&self.path, FileMode::Append, line, urgent);
        (rolled, written)
    }
}

/// CPython's correction when a daylight saving change lies between two local times: an hour
/// less when DST starts in between, an hour more when it ends.
fn dst_shift(dst_then: bool, dst_later: bool) -> i64 {
    match (dst_then, dst_later) {
        (false, true) => -3600,
        (true, false) => 3600,
        _ => 0,
    }
}

/// The name without its extension, as Python's `os.path.splitext` splits it: at the last
/// dot, unless only dots precede it (`.bashrc` has no extension).
fn split_extension(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b'.') {
        Some(dot) if name[..dot].iter().any(|&b| b != b'.') => &name[..dot],
        _ => name,
    }
}

impl Handler for TimedRotatingFileHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(self.path().display().to_string())
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        emit_rotating(self, self.buffering, record, |line, urgent| {
            self.write_line(line, urgent)
        })
    }

    fn begin_batch(&self) {
        self.lock().file.begin_batch();
    }

    fn end_batch(&self) -> Result<(), HandlerError> {
        self.lock().file.end_batch(&self.path, FileMode::Append)
    }

    fn flush_if_due(&self, now: std::time::Instant) -> Result<(), HandlerError> {
        if self.buffering.is_none() {
            return Ok(());
        }
        self.lock()
            .file
            .write_if_due(&self.path, FileMode::Append, now)
    }

    fn flush(&self) -> Result<(), HandlerError> {
        self.lock().file.flush(&self.path, FileMode::Append)
    }

    fn close(&self) -> Result<(), HandlerError> {
        self.lock().file.close(&self.path, FileMode::Append)
    }
}

impl fmt::Debug for TimedRotatingFileHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimedRotatingFileHandler")
            .field("path", &self.path)
            .field("when", &self.when)
            .field("interval", &self.interval)
            .field("backup_count", &self.backup_count)
            .field("utc", &self.utc)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::{When, split_extension};

    #[test]
    fn extensions_split_as_python_does() {
        for (name, stem) in [
            ("app.log", "app"),
            ("app", "app"),
            ("a.b.c", "a.b"),
            (".bashrc", ".bashrc"),
            ("..x", "..x"),
            ("x.", "x"),
        ] {
            assert_eq!(split_extension(name.as_bytes()), stem.as_bytes(), "{name}");
        }
    }

    #[test]
    fn suffix_patterns_match_as_cpythons_regexes() {
        assert!(When::Second.matches_suffix(b"2024-03-09_13-05-59"));
        assert!(!When::Second.matches_suffix(b"2024-03-09_13-05"));
        assert!(When::Minute.matches_suffix(b"2024-03-09_13-05"));
        assert!(When::Hour.matches_suffix(b"2024-03-09_13"));
        assert!(When::Midnight.matches_suffix(b"2024-03-09"));
        assert!(When::Midnight.matches_suffix(b"2024-03-09\n"));
        assert!(!When::Midnight.matches_suffix(b"2024-03-0x"));
        assert!(!When::Midnight.matches_suffix(b"2024-03-09-"));
        assert!(!When::Day.matches_suffix("2024-03-0\u{0661}".as_bytes()));
    }
}
