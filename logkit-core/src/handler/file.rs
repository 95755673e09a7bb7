//! `FileHandler`: records appended to a file, one `write` per record (or many, gathered in
//! buffered mode or a queue's batch).
//!
//! The file is opened with `O_APPEND`, so each record's single `write` lands whole at the end
//! of the file even when several threads write at once; writers share a read lock and only
//! opening or closing the file takes the write lock, as does gathering a queue's batch.
//! Buffered mode gathers under the write lock alone (one lock a record), and writes a full
//! buffer with the lock released.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::codec::Codec;
use super::log_file::{Buffering, LogFile};
use super::{Handler, HandlerCore, HandlerError};
use crate::error::{Error, ErrorKind};
use crate::record::Record;

/// How a [`FileHandler`] opens its file (Python's `mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FileMode {
    /// `'a'`: append to what is there (the default).
    #[default]
    Append,
    /// `'w'`: start the file empty. A closed handler in this mode does not reopen (so that it
    /// never truncates twice) and drops records, as CPython's does.
    Write,
}

impl FileMode {
    /// The mode for Python's mode string: `a` or `w` (a `b` or `+` is accepted and ignored).
    ///
    /// # Errors
    ///
    /// Any other mode.
    pub fn from_python(mode: &str) -> Result<Self, Error> {
        let core: String = mode
            .chars()
            .filter(|c| !matches!(c, 'b' | 't' | '+'))
            .collect();
        match core.as_str() {
            "a" => Ok(FileMode::Append),
            "w" => Ok(FileMode::Write),
            _ => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("invalid file mode '{mode}': use 'a' (append) or 'w' (truncate)"),
            )),
        }
    }

    /// Python's mode string.
    pub fn as_str(self) -> &'static str {
        match self {
            FileMode::Append => "a",
            FileMode::Write => "w",
        }
    }
}

/// Appends records to a file (Python's `logging.FileHandler`).
///
/// # Examples
///
/// ```
/// use logkit::{FileHandler, Formatter, Handler, Level, get_logger};
///
/// let dir = std::env::temp_dir().join(format!("logkit-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("SPOT.log");
///
/// let handler = FileHandler::new(&path)?;
/// handler.set_level(Level::DEBUG);
/// handler.set_formatter(Formatter::new("%(name)s - %(levelname)s - %(message)s")?);
/// let logger = get_logger("example_logger");
/// logger.set_level(Level::DEBUG);
/// logger.add_handler(handler);
/// logger.log(Level::DEBUG, "write your message", &[]);
///
/// let text = std::fs::read_to_string(&path)?;
/// assert!(text.ends_with("example_logger - DEBUG - write your message\n"));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct FileHandler {
    core: HandlerCore,
    path: PathBuf,
    mode: FileMode,
    buffering: Option<Buffering>,
    /// Read-locked to append (the common case), write-locked to open or close the file, or
    /// to gather records (a batch, buffered mode).
    state: RwLock<LogFile>,
    /// Held while gathered records are written, taken with `state` held: a full buffer is
    /// written with `state` released (other threads go on gathering), and whatever is
    /// written next waits for it, so the file keeps the records' order.
    write_order: Mutex<()>,
}

/// Options for a [`FileHandler`]; see [`FileHandler::options`].
#[derive(Clone, Debug)]
pub struct FileHandlerBuilder {
    path: PathBuf,
    mode: FileMode,
    delay: bool,
    encoding: Option<String>,
    errors: Option<String>,
    buffering: Option<Buffering>,
}

impl FileHandlerBuilder {
    /// Buffered mode: records are kept in memory and written many to a `write` (see
    /// [`Buffering`] for when they are written, and what a crash can lose). Off by default:
    /// each record is written with one `write`, as CPython writes it.
    #[must_use]
    pub fn buffered(mut self, buffering: Buffering) -> Self {
        self.buffering = Some(buffering);
        self
    }

    /// The open mode (append by default).
    #[must_use]
    pub fn mode(mut self, mode: FileMode) -> Self {
        self.mode = mode;
        self
    }

    /// Opens the file at the first record instead of now (Python's `delay=True`).
    #[must_use]
    pub fn delay(mut self, delay: bool) -> Self {
        self.delay = delay;
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

    /// Opens (or, with `delay`, prepares) the handler.
    ///
    /// # Errors
    ///
    /// The file cannot be opened (naming the path and the reason), or the encoding (or its
    /// error handler) is not one logkit writes.
    pub fn open(self) -> Result<FileHandler, Error> {
        let (path, codec) = resolve(&self.path, self.encoding.as_deref(), self.errors.as_deref())?;
        let file = LogFile::new(&path, self.mode, self.delay)?
            .buffered(self.buffering)
            .encoded(codec);
        Ok(FileHandler {
            core: HandlerCore::new(),
            path,
            mode: self.mode,
            buffering: self.buffering,
            state: RwLock::new(file),
            write_order: Mutex::new(()),
        })
    }
}

/// Reads the encoding and its error handler, and makes `path` absolute, as every file
/// handler does at construction.
pub(super) fn resolve(
    path: &Path,
    encoding: Option<&str>,
    errors: Option<&str>,
) -> Result<(PathBuf, Codec), Error> {
    let codec = Codec::new(encoding, errors).map_err(|e| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("file handler for '{}': {e}", path.display()),
        )
    })?;
    let path = std::path::absolute(path).map_err(|e| Error::io("resolve", path, e))?;
    Ok((path, codec))
}

/// Opens (creating) `path` for appending, truncated first in [`FileMode::Write`].
pub(super) fn open(path: &Path, mode: FileMode) -> Result<File, Error> {
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| {
            Error::io(
                &format!("open log file (mode '{}')", mode.as_str()),
                path,
                e,
            )
        })?;
    if mode == FileMode::Write {
        file.set_len(0)
            .map_err(|e| Error::io("truncate log file", path, e))?;
    }
    Ok(file)
}

impl FileHandler {
    /// Opens `path` for appending.
    ///
    /// # Errors
    ///
    /// The file cannot be opened; the error names the path and the reason.
    pub fn new(path: impl AsRef<Path>) -> Result<Self, Error> {
        FileHandler::options(path).open()
    }

    /// Options: mode, delay, encoding.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{FileHandler, FileMode};
    /// let path = std::env::temp_dir().join("logkit-doc-delay.log");
    /// let h = FileHandler::options(&path).mode(FileMode::Write).delay(true).open().unwrap();
    /// assert_eq!(h.mode(), FileMode::Write);
    /// ```
    pub fn options(path: impl AsRef<Path>) -> FileHandlerBuilder {
        FileHandlerBuilder {
            path: path.as_ref().to_path_buf(),
            mode: FileMode::Append,
            delay: false,
            encoding: None,
            errors: None,
            buffering: None,
        }
    }

    /// The file's absolute path (Python's `baseFilename`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open mode.
    pub fn mode(&self) -> FileMode {
        self.mode
    }

    /// Sets what follows each record (`\n` by default).
    pub fn set_terminator(&self, terminator: &str) {
        self.write_state().set_terminator(terminator);
    }

    fn read_state(&self) -> RwLockReadGuard<'_, LogFile> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_state(&self) -> RwLockWriteGuard<'_, LogFile> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state, locked for writing, and then the order of writes (see `write_order`).
    fn write_state_in_order(&self) -> (RwLockWriteGuard<'_, LogFile>, MutexGuard<'_, ()>) {
        let state = self.write_state();
        (state, self.lock_order())
    }

    fn lock_order(&self) -> MutexGuard<'_, ()> {
        self.write_order
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `line` (a formatted record) plus the terminator; `line` is extended in place.
    /// (Buffered mode takes [`emit_buffered`](Self::emit_buffered) instead.)
    ///
    /// The common case (an open file) is inlined into `emit`, so that the `write` it makes
    /// is one call shallower (see `dispatch::with_config`).
    #[inline(always)]
    fn write_line(&self, line: &mut String) -> Result<(), HandlerError> {
        if let Some(written) = self.read_state().write_if_open(line) {
            return written;
        }
        self.write_line_locked(line, false)
    }

    /// `emit` in buffered mode: records are gathered under the write lock alone (taking the
    /// read lock first, as [`write_line`](Self::write_line) does, would be a second lock a
    /// record, which threads logging at once contend for). `urgent`: a record at the flush
    /// level.
    #[inline(never)]
    fn emit_buffered(&self, record: &Record<'_>, buffering: Buffering) -> Result<(), HandlerError> {
        let urgent = record.level() >= buffering.level();
        self.core
            .format_line(record, |line| self.write_line_locked(line, urgent))
    }

    /// [`write_line`](Self::write_line) when the file is not open, or records are gathered
    /// (a batch, or buffered mode).
    #[inline(never)]
    fn write_line_locked(&self, line: &mut String, urgent: bool) -> Result<(), HandlerError> {
        let mut state = self.write_state();
        if !state.buffered_only() {
            // Not open (delayed, or closed), or a batch: under the write lock. A closed 'w'
            // handler drops records rather than truncate again, as CPython's does.
            let _order = self.lock_order();
            return state.write(&self.path, self.mode, line, urgent);
        }
        let Some((file, full)) = state.gather_and_take_due(&self.path, self.mode, line, urgent)?
        else {
            return Ok(());
        };
        // Written with `state` released: other threads gather into the spare buffer, and
        // what is written next waits for this.
        let order = self.lock_order();
        drop(state);
        let written = file.append(&full);
        drop(order);
        self.write_state().give_back(full);
        Ok(written?)
    }
}

impl Handler for FileHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(self.path.display().to_string())
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        if let Some(buffering) = self.buffering {
            return self.emit_buffered(record, buffering);
        }
        self.core.format_line(
            record,
            #[inline(always)]
            |line| self.write_line(line),
        )
    }

    fn begin_batch(&self) {
        self.write_state().begin_batch();
    }

    fn end_batch(&self) -> Result<(), HandlerError> {
        self.write_state_in_order()
            .0
            .end_batch(&self.path, self.mode)
    }

    fn flush_if_due(&self, now: std::time::Instant) -> Result<(), HandlerError> {
        if self.buffering.is_none() {
            return Ok(());
        }
        let (mut state, _order) = self.write_state_in_order();
        state.write_if_due(&self.path, self.mode, now)
    }

    fn flush(&self) -> Result<(), HandlerError> {
        let state = self.read_state();
        if !state.gathering() {
            return Ok(state.flush_file()?);
        }
        drop(state);
        let (mut state, _order) = self.write_state_in_order();
        state.flush(&self.path, self.mode)
    }

    fn close(&self) -> Result<(), HandlerError> {
        let (mut state, _order) = self.write_state_in_order();
        state.close(&self.path, self.mode)
    }
}

impl fmt::Debug for FileHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileHandler")
            .field("path", &self.path)
            .field("mode", &self.mode)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}
