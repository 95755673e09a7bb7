//! `RotatingFileHandler`: a file that is renamed to `.1`, `.2`, … when it would grow past a
//! size (Python's `logging.handlers.RotatingFileHandler`).
//!
//! CPython's rule, kept exactly: before a record is written, if the file is not empty and its
//! size in bytes plus the record's length in characters plus one (for `"\n"`, whatever the
//! terminator) is at least `max_bytes`, the file is rotated first. A file therefore stays
//! below `max_bytes` unless a single record is that long. `.1` is always the newest backup.
//!
//! The size check, the rotation and the write of one record happen under one lock, so no
//! record is lost, duplicated or split across files when many threads log; records are
//! formatted before the lock is taken.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::file::{FileMode, resolve};
use super::log_file::{Buffering, LogFile, emit_rotating, is_special, remove, rename, with_suffix};
use super::rotation_hooks::RotationHooks;
use super::{Handler, HandlerCore, HandlerError};
use crate::error::{Error, ErrorKind};
use crate::limits::MAX_BACKUP_COUNT;
use crate::record::Record;

/// Writes records to a file and rotates it when it would reach a size (Python's
/// `logging.handlers.RotatingFileHandler`).
///
/// With `max_bytes` 0 the file is never rotated. With `backup_count` 0 nothing is renamed:
/// the file is closed and reopened, and keeps growing, as in CPython. Otherwise the file is
/// renamed to `name.1` (the newest backup) after `name.1` … `name.{backup_count - 1}` are
/// shifted up by one and the oldest is dropped.
///
/// A rotation that fails (a backup that cannot be removed, a directory gone) is reported on
/// stderr like any handler error, and the record is still written to the file if it can be;
/// the rotation is tried again at the next record.
///
/// # Examples
///
/// ```
/// use logkit::{Formatter, Handler, Level, RotatingFileHandler, get_logger};
///
/// let dir = std::env::temp_dir().join(format!("logkit-doc-rotating-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("app.log");
/// # std::fs::remove_file(&path).ok();
///
/// // Lines of 10 bytes, newline included.
/// let handler = RotatingFileHandler::new(&path, 30, 2)?;
/// handler.set_formatter(Formatter::new("%(message)s")?);
/// let logger = get_logger("doc.rotating");
/// logger.add_handler(handler);
/// for i in 10..16 {
///     logger.log(Level::WARNING, &format!("record {i}"), &[]);
/// }
/// // Two lines per file: the third would make the file 30 bytes.
/// assert_eq!(std::fs::read_to_string(&path)?, "record 14\nrecord 15\n");
/// assert_eq!(std::fs::read_to_string(dir.join("app.log.1"))?, "record 12\nrecord 13\n");
/// assert_eq!(std::fs::read_to_string(dir.join("app.log.2"))?, "record 10\nrecord 11\n");
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RotatingFileHandler {
    core: HandlerCore,
    path: PathBuf,
    mode: FileMode,
    max_bytes: u64,
    backup_count: u32,
    hooks: RotationHooks,
    buffering: Option<Buffering>,
    file: Mutex<LogFile>,
}

/// Options for a [`RotatingFileHandler`]; see [`RotatingFileHandler::options`].
#[derive(Clone, Debug)]
pub struct RotatingFileHandlerBuilder {
    path: PathBuf,
    mode: FileMode,
    max_bytes: u64,
    backup_count: u32,
    delay: bool,
    encoding: Option<String>,
    errors: Option<String>,
    buffering: Option<Buffering>,
    hooks: RotationHooks,
}

impl RotatingFileHandlerBuilder {
    /// The open mode (append by default). Rotation needs append mode: with `max_bytes`
    /// above 0 the mode is always [`FileMode::Append`], as in CPython.
    #[must_use]
    pub fn mode(mut self, mode: FileMode) -> Self {
        self.mode = mode;
        self
    }

    /// The size at which the file is rotated (0, the default: never).
    #[must_use]
    pub fn max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// How many backups to keep (0, the default: none, the file is never renamed); at most
    /// [`MAX_BACKUP_COUNT`].
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

    /// Buffered mode (see [`Buffering`]): a rotation writes what the buffer holds to the
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

    /// Names the backups (Python's `namer`): called with the default name (`app.log.1`,
    /// `app.log.2`, …), it returns the name to use, at every rollover.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::RotatingFileHandler;
    /// use std::path::{Path, PathBuf};
    ///
    /// let path = std::env::temp_dir().join("logkit-doc-namer.log");
    /// // app.log.1 -> app.log.1.bak
    /// let h = RotatingFileHandler::options(&path)
    ///     .max_bytes(1024)
    ///     .backup_count(3)
    ///     .namer(|default: &Path| PathBuf::from(format!("{}.bak", default.display())))
    ///     .open()?;
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[must_use]
    pub fn namer(mut self, namer: impl Fn(&Path) -> PathBuf + Send + Sync + 'static) -> Self {
        self.hooks.set_namer(namer);
        self
    }

    /// Makes the newest backup from the file (Python's `rotator`): called with the file and
    /// the backup's name (after the namer), at every rollover; without one the file is
    /// renamed. It may compress the file, for example, and must leave no file at the log's
    /// path (or the next records are appended to it). An error is reported as the
    /// rollover's, and logging goes on.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::RotatingFileHandler;
    /// use std::path::Path;
    ///
    /// let path = std::env::temp_dir().join("logkit-doc-rotator.log");
    /// let h = RotatingFileHandler::options(&path)
    ///     .max_bytes(1024)
    ///     .backup_count(3)
    ///     .rotator(|source: &Path, dest: &Path| {
    ///         std::fs::copy(source, dest)?;
    ///         std::fs::remove_file(source)
    ///     })
    ///     .open()?;
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[must_use]
    pub fn rotator(
        mut self,
        rotator: impl Fn(&Path, &Path) -> io::Result<()> + Send + Sync + 'static,
    ) -> Self {
        self.hooks.set_rotator(rotator);
        self
    }

    /// Opens (or, with `delay`, prepares) the handler.
    ///
    /// # Errors
    ///
    /// The file cannot be opened (naming the path and the reason), the encoding is not one
    /// logkit writes, or `backup_count` is beyond
    /// [`MAX_BACKUP_COUNT`].
    pub fn open(self) -> Result<RotatingFileHandler, Error> {
        if self.backup_count > MAX_BACKUP_COUNT {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "backupCount {} is more than the maximum, {MAX_BACKUP_COUNT} (each rollover \
                     looks for every backup)",
                    self.backup_count
                ),
            ));
        }
        let (path, codec) = resolve(&self.path, self.encoding.as_deref(), self.errors.as_deref())?;
        let mode = if self.max_bytes > 0 {
            FileMode::Append
        } else {
            self.mode
        };
        let file = LogFile::new(&path, mode, self.delay)?
            .buffered(self.buffering)
            .encoded(codec);
        Ok(RotatingFileHandler {
            core: HandlerCore::new(),
            path,
            mode,
            max_bytes: self.max_bytes,
            backup_count: self.backup_count,
            hooks: self.hooks,
            buffering: self.buffering,
            file: Mutex::new(file),
        })
    }
}

impl RotatingFileHandler {
    /// Opens `path` for appending, rotated before it would reach `max_bytes` with
    /// `backup_count` backups kept.
    ///
    /// # Errors
    ///
    /// The file cannot be opened; the error names the path and the reason.
    pub fn new(path: impl AsRef<Path>, max_bytes: u64, backup_count: u32) -> Result<Self, Error> {
        RotatingFileHandler::options(path)
            .max_bytes(max_bytes)
            .backup_count(backup_count)
            .open()
    }

    /// Options: size, backups, mode, delay, encoding.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::RotatingFileHandler;
    ///
    /// let path = std::env::temp_dir().join("logkit-doc-rotating-options.log");
    /// let h = RotatingFileHandler::options(&path)
    ///     .max_bytes(10 * 1024 * 1024)
    ///     .backup_count(5)
    ///     .delay(true)
    ///     .open()?;
    /// assert_eq!((h.max_bytes(), h.backup_count()), (10 * 1024 * 1024, 5));
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn options(path: impl AsRef<Path>) -> RotatingFileHandlerBuilder {
        RotatingFileHandlerBuilder {
            path: path.as_ref().to_path_buf(),
            mode: FileMode::Append,
            max_bytes: 0,
            backup_count: 0,
            delay: false,
            encoding: None,
            errors: None,
            buffering: None,
            hooks: RotationHooks::default(),
        }
    }

    /// The file's absolute path (Python's `baseFilename`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open mode (always append when `max_bytes` is above 0).
    pub fn mode(&self) -> FileMode {
        self.mode
    }

    /// The size at which the file is rotated (0: never).
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// How many backups are kept.
    pub fn backup_count(&self) -> u32 {
        self.backup_count
    }

    /// Sets what follows each record (`\n` by default). The size check counts one character
    /// for it whatever it is, as CPython does.
    pub fn set_terminator(&self, terminator: &str) {
        self.lock().set_terminator(terminator);
    }

    /// Rotates the files now, whatever the size (Python's `doRollover`).
    ///
    /// # Errors
    ///
    /// A backup that cannot be removed or renamed, naming it.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::RotatingFileHandler;
    ///
    /// let dir = std::env::temp_dir().join(format!("logkit-doc-rollover-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let h = RotatingFileHandler::new(dir.join("app.log"), 0, 3)?;
    /// h.rollover()?;
    /// assert!(dir.join("app.log.1").exists());
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rollover(&self) -> Result<(), HandlerError> {
        let mut file = self.lock();
        self.do_rollover(&mut file)
    }

    fn lock(&self) -> MutexGuard<'_, LogFile> {
        self.file.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether writing a record of `chars` characters (newline included) must rotate first.
    fn should_rollover(&self, file: &mut LogFile, chars: u64) -> Result<bool, HandlerError> {
        if self.max_bytes == 0 {
            return Ok(false);
        }
        // What is on disk and what is gathered for it (a batch, buffered mode).
        let Some(size) = file.size(&self.path, self.mode)? else {
            return Ok(false);
        };
        // An empty file is never rotated (gh-116263: CPython 3.11 would leave an empty
        // backup when the first record alone reaches `max_bytes`).
        Ok(size > 0 && size.saturating_add(chars) >= self.max_bytes && !is_special(&self.path))
    }

    /// Closes the file and shifts the backups (CPython's `doRollover`); the file is reopened
    /// by the next write. Stops at the first step that fails.
    fn do_rollover(&self, file: &mut LogFile) -> Result<(), HandlerError> {
        // What was gathered goes to the file before it is renamed; a failure there does not
        // stop the rotation.
        let released = file.release(&self.path, self.mode);
        self.shift_backups()?;
        released
    }

    /// Shifts the backups and renames the file to the first one (the file is closed).
    fn shift_backups(&self) -> Result<(), HandlerError> {
        if self.backup_count == 0 {
            return Ok(());
        }
        let backup = |i: u32| {
            self.hooks
                .name(with_suffix(&self.path, itoa::Buffer::new().format(i)))
        };
        for i in (1..self.backup_count).rev() {
            let (from, to) = (backup(i), backup(i + 1));
            if from.exists() {
                if to.exists() {
                    remove(&to)?;
                }
                rename(&from, &to)?;
            }
        }
        let first = backup(1);
        if first.exists() {
            remove(&first)?;
        }
        self.hooks.rotate(&self.path, &first)
    }

    /// Rotates if needed, then writes; a failed rotation is returned beside the outcome of
    /// the write, which still happens.
    #[inline(always)]
    fn write_line(
        &self,
        line: &mut String,
        urgent: bool,
    ) -> (Option<HandlerError>, Result<(), HandlerError>) {
        // CPython measures `"%s\n" % self.format(record)` in characters.
        let chars = line.chars().count() as u64 + 1;
        let mut file = self.lock();
        let rolled = match self.should_rollover(&mut file, chars) {
            Ok(true) => self.do_rollover(&mut file).err(),
            Ok(false) => None,
            Err(e) => return (None, Err(e)),
        };
        let written = file.write(&self.path, self.mode, line, urgent);
        (rolled, written)
    }
}

impl Handler for RotatingFileHandler {
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
        self.lock().begin_batch();
    }

    fn end_batch(&self) -> Result<(), HandlerError> {
        self.lock().end_batch(&self.path, self.mode)
    }

    fn flush_if_due(&self, now: std::time::Instant) -> Result<(), HandlerError> {
        if self.buffering.is_none() {
            return Ok(());
        }
        self.lock().write_if_due(&self.path, self.mode, now)
    }

    fn flush(&self) -> Result<(), HandlerError> {
        self.lock().flush(&self.path, self.mode)
    }

    fn close(&self) -> Result<(), HandlerError> {
        self.lock().close(&self.path, self.mode)
    }
}

impl fmt::Debug for RotatingFileHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RotatingFileHandler")
            .field("path", &self.path)
            .field("max_bytes", &self.max_bytes)
            .field("backup_count", &self.backup_count)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}
