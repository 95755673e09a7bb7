//! `WatchedFileHandler`: a file that is reopened when something else (logrotate, newsyslog,
//! an operator) renames or deletes it (Python's `logging.handlers.WatchedFileHandler`).
//!
//! Before each record the path is looked up; if nothing is there, or the device and inode
//! differ from those of the open file, the file is closed and the path opened again. The
//! look-up, the reopening and the write happen under one lock, so every thread's records
//! go to the new file from the moment one thread has noticed the change.

use std::fmt;
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::file::{FileMode, resolve};
use super::log_file::{Buffering, LogFile};
use super::{Handler, HandlerCore, HandlerError};
use crate::error::Error;
use crate::record::Record;

/// Appends records to a file and reopens it when it is renamed or deleted (Python's
/// `logging.handlers.WatchedFileHandler`; Unix only).
///
/// # Examples
///
/// ```
/// use logkit::{Handler, Level, WatchedFileHandler, get_logger};
///
/// let dir = std::env::temp_dir().join(format!("logkit-doc-watched-{}", std::process::id()));
/// # std::fs::remove_dir_all(&dir).ok();
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("app.log");
/// let logger = get_logger("doc.watched");
/// logger.add_handler(WatchedFileHandler::new(&path)?);
///
/// logger.log(Level::WARNING, "before", &[]);
/// std::fs::rename(&path, dir.join("app.log.old"))?; // what logrotate does
/// logger.log(Level::WARNING, "after", &[]);
///
/// assert_eq!(std::fs::read_to_string(dir.join("app.log.old"))?, "before\n");
/// assert_eq!(std::fs::read_to_string(&path)?, "after\n");
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct WatchedFileHandler {
    core: HandlerCore,
    path: PathBuf,
    mode: FileMode,
    buffering: Option<Buffering>,
    state: Mutex<State>,
}

struct State {
    file: LogFile,
    /// Device and inode of the open file.
    id: Option<(u64, u64)>,
}

fn file_id(m: &Metadata) -> (u64, u64) {
    (m.dev(), m.ino())
}

/// Options for a [`WatchedFileHandler`]; see [`WatchedFileHandler::options`].
#[derive(Clone, Debug)]
pub struct WatchedFileHandlerBuilder {
    path: PathBuf,
    mode: FileMode,
    delay: bool,
    encoding: Option<String>,
    errors: Option<String>,
    buffering: Option<Buffering>,
}

impl WatchedFileHandlerBuilder {
    /// Buffered mode (see [`Buffering`]): the file is looked at when a buffer starts, and
    /// what it gathered is written to the file it was gathered for.
    #[must_use]
    pub fn buffered(mut self, buffering: Buffering) -> Self {
        self.buffering = Some(buffering);
        self
    }

    /// The open mode (append by default). In [`FileMode::Write`] the file is also truncated
    /// when it is reopened, as in CPython.
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
    pub fn open(self) -> Result<WatchedFileHandler, Error> {
        let (path, codec) = resolve(&self.path, self.encoding.as_deref(), self.errors.as_deref())?;
        let file = LogFile::new(&path, self.mode, self.delay)?
            .buffered(self.buffering)
            .encoded(codec);
        let id = file
            .current()
            .and_then(|f| f.metadata().ok())
            .map(|m| file_id(&m));
        Ok(WatchedFileHandler {
            core: HandlerCore::new(),
            path,
            mode: self.mode,
            buffering: self.buffering,
            state: Mutex::new(State { file, id }),
        })
    }
}

impl WatchedFileHandler {
    /// Opens `path` for appending.
    ///
    /// # Errors
    ///
    /// The file cannot be opened; the error names the path and the reason.
    pub fn new(path: impl AsRef<Path>) -> Result<Self, Error> {
        WatchedFileHandler::options(path).open()
    }

    /// Options: mode, delay, encoding.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{FileMode, WatchedFileHandler};
    ///
    /// let path = std::env::temp_dir().join("logkit-doc-watched-options.log");
    /// let h = WatchedFileHandler::options(&path).delay(true).open()?;
    /// assert_eq!(h.mode(), FileMode::Append);
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn options(path: impl AsRef<Path>) -> WatchedFileHandlerBuilder {
        WatchedFileHandlerBuilder {
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
        self.lock().file.set_terminator(terminator);
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reopens the file if the path no longer leads to it, then writes (CPython's
    /// `reopenIfNeeded` and `emit`). Records gathered (a batch, buffered mode) were gathered
    /// for the file open when they started: the path is looked at again when they are out.
    #[inline(always)]
    fn write_line(&self, line: &mut String, urgent: bool) -> Result<(), HandlerError> {
        let mut state = self.lock();
        let mut released = Ok(());
        if state.file.current().is_some() && !state.file.has_pending() {
            let on_disk = std::fs::metadata(&self.path).ok().map(|m| file_id(&m));
            if on_disk.is_none() || on_disk != state.id {
                released = state.file.release(&self.path, self.mode);
                state.id = None;
            }
        }
        let reopened = state.file.current().is_none();
        state.file.write(&self.path, self.mode, line, urgent)?;
        released?;
        if reopened {
            state.id = state
                .file
                .current()
                .and_then(|f| f.metadata().ok())
                .map(|m| file_id(&m));
        }
        Ok(())
    }
}

impl Handler for WatchedFileHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(self.path().display().to_string())
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let urgent = self.buffering.is_some_and(|b| record.level() >= b.level());
        self.core.format_line(
            record,
            #[inline(always)]
            |line| self.write_line(line, urgent),
        )
    }

    fn begin_batch(&self) {
        self.lock().file.begin_batch();
    }

    fn end_batch(&self) -> Result<(), HandlerError> {
        self.lock().file.end_batch(&self.path, self.mode)
    }

    fn flush_if_due(&self, now: std::time::Instant) -> Result<(), HandlerError> {
        if self.buffering.is_none() {
            return Ok(());
        }
        self.lock().file.write_if_due(&self.path, self.mode, now)
    }

    fn flush(&self) -> Result<(), HandlerError> {
        self.lock().file.flush(&self.path, self.mode)
    }

    fn close(&self) -> Result<(), HandlerError> {
        let mut state = self.lock();
        state.id = None;
        state.file.close(&self.path, self.mode)
    }
}

impl fmt::Debug for WatchedFileHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatchedFileHandler")
            .field("path", &self.path)
            .field("mode", &self.mode)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}
