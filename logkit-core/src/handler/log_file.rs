//! `LogFile`: the file of a file handler, which may be closed and reopened as it goes (by
//! `close`, a rollover, a file replaced on disk).
//!
//! The owner keeps it behind its own lock, together with whatever decides when to reopen it
//! (a size, a time, an inode), so that the decision and the write of one record are one step
//! for every other thread. It never holds the path or the mode: the owner passes them, so
//! that it can read them without that lock.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use super::HandlerError;
use super::file::{FileMode, open};

/// A log file that may be open or not.
#[derive(Debug)]
pub(super) struct LogFile {
    file: Option<File>,
    /// Closed by `Handler::close` (not by a rollover): in [`FileMode::Write`] it stays
    /// closed.
    closed: bool,
    terminator: Box<str>,
}

impl LogFile {
    /// Opens `path` now, or at the first record if `delay`.
    pub(super) fn new(path: &Path, mode: FileMode, delay: bool) -> Result<Self, crate::Error> {
        let file = if delay { None } else { Some(open(path, mode)?) };
        Ok(LogFile {
            file,
            closed: false,
            terminator: "\n".into(),
        })
    }

    /// The open file, if any.
    pub(super) fn current(&self) -> Option<&File> {
        self.file.as_ref()
    }

    /// The open file, opened now if it was not; `None` for a handler closed in
    /// [`FileMode::Write`], which drops records rather than truncate the file again (as
    /// CPython's `FileHandler` does).
    pub(super) fn ensure_open(
        &mut self,
        path: &Path,
        mode: FileMode,
    ) -> Result<Option<&File>, HandlerError> {
        if self.file.is_none() {
            if self.closed && mode == FileMode::Write {
                return Ok(None);
            }
            self.file = Some(open(path, mode).map_err(HandlerError::other)?);
            self.closed = false;
        }
        Ok(self.file.as_ref())
    }

    /// Closes the file so that the next record reopens it (a rollover, a file replaced on
    /// disk). Each record is written with one unbuffered `write`, so nothing is pending.
    pub(super) fn release(&mut self) {
        self.file = None;
    }

    /// Appends `line` and the terminator in one `write` if the file is open (`None` if it is
    /// not). It takes `&self`: appends to one file may run side by side (`O_APPEND`).
    pub(super) fn write_if_open(&self, line: &mut String) -> Option<io::Result<()>> {
        let mut file = self.file.as_ref()?;
        line.push_str(&self.terminator);
        Some(file.write_all(line.as_bytes()))
    }

    /// Appends `line` and the terminator in one `write`, opening the file if needed;
    /// `line` is extended in place.
    pub(super) fn write(
        &mut self,
        path: &Path,
        mode: FileMode,
        line: &mut String,
    ) -> Result<(), HandlerError> {
        line.push_str(&self.terminator);
        if let Some(mut file) = self.ensure_open(path, mode)? {
            file.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    /// Sets what follows each record.
    pub(super) fn set_terminator(&mut self, terminator: &str) {
        self.terminator = terminator.into();
    }

    /// Flushes the open file.
    pub(super) fn flush(&self) -> io::Result<()> {
        match &self.file {
            Some(f) => (&*f).flush(),
            None => Ok(()),
        }
    }

    /// Closes the file as `Handler::close` does.
    pub(super) fn close(&mut self) -> io::Result<()> {
        self.closed = true;
        match self.file.take() {
            Some(mut f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// `path` with `.suffix` appended (`app.log` → `app.log.1`), without a lossy conversion of
/// the path to text.
pub(super) fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

/// An I/O error of a rollover step, naming the files: `cannot rename 'a' to 'b': reason`.
pub(super) fn rotation_error(action: &str, err: &io::Error) -> HandlerError {
    HandlerError::Io(io::Error::new(err.kind(), format!("{action}: {err}")))
}

/// `fs::rename`, with an error naming both files.
pub(super) fn rename(from: &Path, to: &Path) -> Result<(), HandlerError> {
    std::fs::rename(from, to).map_err(|e| {
        rotation_error(
            &format!("cannot rename '{}' to '{}'", from.display(), to.display()),
            &e,
        )
    })
}

/// `fs::remove_file`, with an error naming the file.
pub(super) fn remove(path: &Path) -> Result<(), HandlerError> {
    std::fs::remove_file(path)
        .map_err(|e| rotation_error(&format!("cannot remove '{}'", path.display()), &e))
}

/// Whether `path` exists and is something other than a regular file (`/dev/null`, a pipe):
/// CPython never rotates those (bpo-45401).
pub(super) fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}
