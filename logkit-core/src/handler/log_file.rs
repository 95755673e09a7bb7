//! `LogFile`: the file of a file handler, which may be closed and reopened as it goes (by
//! `close`, a rollover, a file replaced on disk), and the records not written to it yet.
//!
//! The owner keeps it behind its own lock, together with whatever decides when to reopen it
//! (a size, a time, an inode), so that the decision and the write of one record are one step
//! for every other thread. It never holds the path or the mode: the owner passes them, so
//! that it can read them without that lock.
//!
//! By default each record is written with one `write`. Records are gathered in memory and
//! written together instead during a batch (a queue's listener handing on what it popped,
//! [`Handler::begin_batch`]; every 64 KiB and at its end) and
//! in buffered mode
//! ([`Buffering`]); whatever is gathered is written before the file is closed, rotated or
//! reopened, so every record lands in the file it would have landed in unbuffered.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::codec::Codec;
use super::file::{FileMode, open};
use super::whole_lines::WholeLines;
use super::{Handler, HandlerError, report_error};
use crate::level::Level;
use crate::limits::MAX_FILE_BUFFER;
use crate::record::Record;

/// Buffered mode of a file handler: records are kept in memory and written together, many
/// to a `write`.
///
/// They are written when the buffer fills; when a record at or above the flush level arrives
/// (ERROR by default, as `MemoryHandler` flushes); at most `max_delay` after the oldest of
/// them (1 s by default; one thread watches every buffered handler); before a rotation; and
/// at `flush()`, `shutdown()`, process exit and after a panic that unwinds out of `main`.
/// **A crash that stops the process at once (abort, `SIGKILL`, power loss) loses what the
/// buffer held: at most `capacity` bytes, written in the last `max_delay`.**
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use logkit::{Buffering, FileHandler, Level};
///
/// let path = std::env::temp_dir().join(format!("logkit-doc-buffered-{}.log", std::process::id()));
/// let file = FileHandler::options(&path)
///     .buffered(Buffering::new().capacity(256 * 1024).flush_level(Level::WARNING).max_delay(Duration::from_millis(200)))
///     .open()?;
/// # drop(file);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buffering {
    capacity: usize,
    flush_level: Level,
    max_delay: Duration,
}

impl Buffering {
    /// 64 KiB, written at once for ERROR and above, kept at most 1 s.
    pub const fn new() -> Self {
        Buffering {
            capacity: 64 * 1024,
            flush_level: Level::ERROR,
            max_delay: Duration::from_secs(1),
        }
    }

    /// The size in bytes past which the buffer is written; at most
    /// [`MAX_FILE_BUFFER`] (64 MiB), which a larger size is
    /// taken as.
    #[must_use]
    pub const fn capacity(mut self, bytes: usize) -> Self {
        self.capacity = if bytes > MAX_FILE_BUFFER {
            MAX_FILE_BUFFER
        } else {
            bytes
        };
        self
    }

    /// The level from which a record is written at once, with what waits before it.
    #[must_use]
    pub const fn flush_level(mut self, level: Level) -> Self {
        self.flush_level = level;
        self
    }

    /// How long a record may wait in the buffer at most.
    #[must_use]
    pub const fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The size in bytes past which the buffer is written.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Buffering;
    ///
    /// assert_eq!(Buffering::new().size(), 64 * 1024);
    /// assert_eq!(Buffering::new().capacity(4096).size(), 4096);
    /// ```
    pub const fn size(&self) -> usize {
        self.capacity
    }

    /// The level from which a record is written at once.
    pub const fn level(&self) -> Level {
        self.flush_level
    }

    /// How long a record may wait at most.
    pub const fn delay(&self) -> Duration {
        self.max_delay
    }
}

impl Default for Buffering {
    fn default() -> Self {
        Buffering::new()
    }
}

/// Gathered records due to be written, and the file they go to.
pub(super) type DueWrite = (Arc<OpenFile>, Vec<u8>);

/// An open log file, and whether the last write to it stopped inside a record.
#[derive(Debug)]
pub(super) struct OpenFile {
    file: File,
    lines: WholeLines,
}

impl OpenFile {
    fn new(file: File) -> Self {
        OpenFile {
            file,
            lines: WholeLines::default(),
        }
    }

    /// Appends whole records (see [`WholeLines`]).
    #[inline(always)]
    pub(super) fn append(&self, bytes: &[u8]) -> io::Result<()> {
        self.lines.append(&self.file, bytes)
    }
}

/// `emit` of a handler that rotates its file (size or time): formats `record` and hands the
/// line to `write_line`, with whether it is urgent (at the flush level of `buffering`);
/// `write_line` rotates first when due and returns a failed rotation beside the outcome of
/// the write. A failed rotation is reported here, the record still written (or its own
/// error returned). Inlined into `emit`, so that the `write` is one call shallower (see
/// `dispatch::with_config`).
#[inline(always)]
pub(super) fn emit_rotating(
    handler: &dyn Handler,
    buffering: Option<Buffering>,
    record: &Record<'_>,
    write_line: impl FnOnce(&mut String, bool) -> (Option<HandlerError>, Result<(), HandlerError>),
) -> Result<(), HandlerError> {
    let urgent = buffering.is_some_and(|b| record.level() >= b.level());
    let mut rollover_error = None;
    let written = handler.core().format_line(
        record,
        #[inline(always)]
        |line| {
            let (rolled, written) = write_line(line, urgent);
            rollover_error = rolled;
            written
        },
    );
    if let Some(err) = rollover_error {
        report_error(handler, Some(record), &err);
    }
    written
}

/// A log file that may be open or not.
#[derive(Debug)]
pub(super) struct LogFile {
    /// Shared so that a full buffer can be written with the owner's lock released (see
    /// [`LogFile::gather_and_take_due`]).
    file: Option<Arc<OpenFile>>,
    /// Closed by `Handler::close` (not by a rollover): in [`FileMode::Write`] it stays
    /// closed.
    closed: bool,
    terminator: Box<str>,
    /// Records gathered and not written yet (in a batch, or buffered mode).
    pending: Vec<u8>,
    /// An emptied buffer kept for reuse, while `pending` is being written.
    spare: Vec<u8>,
    /// When the oldest of `pending` was gathered (buffered mode).
    pending_since: Option<Instant>,
    /// Buffered mode, if on.
    buffering: Option<Buffering>,
    /// A batch is in progress.
    batch: bool,
    /// The file's size on disk when `pending` was last empty, while it is not.
    disk_size: Option<u64>,
    /// The text encoding records are written in.
    codec: Codec,
}

impl LogFile {
    /// Opens `path` now, or at the first record if `delay`.
    pub(super) fn new(path: &Path, mode: FileMode, delay: bool) -> Result<Self, crate::Error> {
        let file = if delay {
            None
        } else {
            Some(Arc::new(OpenFile::new(open(path, mode)?)))
        };
        Ok(LogFile {
            file,
            closed: false,
            terminator: "\n".into(),
            pending: Vec::new(),
            spare: Vec::new(),
            pending_since: None,
            buffering: None,
            batch: false,
            disk_size: None,
            codec: Codec::default(),
        })
    }

    /// Writes records in `codec`'s encoding (UTF-8 unless told otherwise).
    pub(super) fn encoded(mut self, codec: Codec) -> Self {
        self.codec = codec;
        self
    }

    /// Turns buffered mode on.
    pub(super) fn buffered(mut self, buffering: Option<Buffering>) -> Self {
        self.buffering = buffering;
        if let Some(b) = buffering {
            self.pending.reserve(b.capacity.min(1 << 20));
            super::flusher::watch(b.max_delay);
        }
        self
    }

    /// Whether records are gathered and not written yet.
    pub(super) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Whether records are gathered rather than written one by one now.
    pub(super) fn gathering(&self) -> bool {
        self.batch || self.buffering.is_some()
    }

    /// Starts gathering records for a batch (written every
    /// [`BATCH_WRITE_SIZE`](super::BATCH_WRITE_SIZE) bytes and at its end).
    pub(super) fn begin_batch(&mut self) {
        self.batch = true;
        super::reserve_for_batch(&mut self.pending);
    }

    /// Ends a batch: writes what it gathered (unless buffered mode keeps it).
    pub(super) fn end_batch(&mut self, path: &Path, mode: FileMode) -> Result<(), HandlerError> {
        self.batch = false;
        if self.buffering.is_some() {
            return Ok(());
        }
        self.write_pending(path, mode)
    }

    /// The file's size with what is gathered for it (a rotating handler's test), opening it
    /// if needed; `None` when it cannot be opened (a closed `'w'` handler). The file is
    /// looked at (`fstat`) only when nothing is gathered.
    pub(super) fn size(
        &mut self,
        path: &Path,
        mode: FileMode,
    ) -> Result<Option<u64>, HandlerError> {
        if self.pending.is_empty() || self.disk_size.is_none() {
            let Some(open) = self.ensure_open(path, mode)? else {
                return Ok(None);
            };
            let on_disk = open.file.metadata()?.len();
            self.disk_size = (!self.pending.is_empty()).then_some(on_disk);
            return Ok(Some(on_disk + self.pending.len() as u64));
        }
        Ok(self.disk_size.map(|d| d + self.pending.len() as u64))
    }

    /// Writes what is gathered (one `write`), opening the file if needed.
    pub(super) fn write_pending(
        &mut self,
        path: &Path,
        mode: FileMode,
    ) -> Result<(), HandlerError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let written = match self.ensure_open(path, mode) {
            Ok(Some(_)) => match self.file.as_deref() {
                Some(file) => file.append(&self.pending).map_err(HandlerError::from),
                None => Ok(()),
            },
            Ok(None) => Ok(()),
            Err(e) => Err(e),
        };
        // Written or not, the records are gone: a failure is reported, as for one record.
        self.pending.clear();
        self.pending_since = None;
        self.disk_size = None;
        match self.buffering {
            Some(b) if self.pending.capacity() > b.capacity.max(64 * 1024) * 4 => {
                self.pending.shrink_to(b.capacity);
            }
            Some(_) => {}
            None => super::shrink_after_batch(&mut self.pending),
        }
        written
    }

    /// Appends `line` and the terminator to what is gathered (the oldest's time noted in
    /// buffered mode); whether what is gathered is due to be written (buffered mode: a full
    /// buffer, an `urgent` record; a batch: [`BATCH_WRITE_SIZE`](super::BATCH_WRITE_SIZE)
    /// bytes gathered).
    fn gather(&mut self, line: &mut String, urgent: bool) -> Result<bool, HandlerError> {
        line.push_str(&self.terminator);
        let bytes = self.codec.encode(line)?;
        if self.pending.is_empty() && self.buffering.is_some() {
            self.pending_since = Some(Instant::now());
        }
        self.pending.extend_from_slice(&bytes);
        Ok(match self.buffering {
            Some(b) => urgent || self.pending.len() >= b.capacity,
            None => self.pending.len() >= super::BATCH_WRITE_SIZE,
        })
    }

    /// Appends `line` (and the terminator) to what is gathered, and, when that is due to be
    /// written (a full buffer, an `urgent` record), hands it over with the file it goes to,
    /// so that the owner writes it with its lock released (threads that log meanwhile
    /// gather into the spare buffer). Only in buffered mode outside a batch; `None` when
    /// nothing is due (or it was written here: the file was not open).
    pub(super) fn gather_and_take_due(
        &mut self,
        path: &Path,
        mode: FileMode,
        line: &mut String,
        urgent: bool,
    ) -> Result<Option<DueWrite>, HandlerError> {
        if !self.gather(line, urgent)? {
            return Ok(None);
        }
        let open = self.ensure_open(path, mode)?.is_some();
        let (true, Some(file)) = (open, self.file.clone()) else {
            // A closed 'w' handler: dropped, as one record would be.
            self.pending.clear();
            self.pending_since = None;
            return Ok(None);
        };
        let full = std::mem::replace(&mut self.pending, std::mem::take(&mut self.spare));
        self.pending_since = None;
        self.disk_size = None;
        Ok(Some((file, full)))
    }

    /// Takes back a buffer handed over by [`gather_and_take_due`](Self::gather_and_take_due)
    /// once written, for reuse.
    pub(super) fn give_back(&mut self, mut buffer: Vec<u8>) {
        buffer.clear();
        if self.spare.capacity() < buffer.capacity() {
            self.spare = buffer;
        }
    }

    /// Whether records are gathered only because of buffered mode (not a batch).
    pub(super) fn buffered_only(&self) -> bool {
        self.buffering.is_some() && !self.batch
    }

    /// Writes what is gathered if the oldest of it has waited its maximum delay.
    pub(super) fn write_if_due(
        &mut self,
        path: &Path,
        mode: FileMode,
        now: Instant,
    ) -> Result<(), HandlerError> {
        match (self.buffering, self.pending_since) {
            (Some(b), Some(since)) if now.saturating_duration_since(since) >= b.max_delay / 2 => {
                self.write_pending(path, mode)
            }
            _ => Ok(()),
        }
    }

    /// The open file, if any.
    pub(super) fn current(&self) -> Option<&File> {
        self.file.as_deref().map(|f| &f.file)
    }

    /// The open file, opened now if it was not; `None` for a handler closed in
    /// [`FileMode::Write`], which drops records rather than truncate the file again (as
    /// CPython's `FileHandler` does).
    #[inline]
    pub(super) fn ensure_open(
        &mut self,
        path: &Path,
        mode: FileMode,
    ) -> Result<Option<&OpenFile>, HandlerError> {
        if self.file.is_none() {
            self.open(path, mode)?;
        }
        Ok(self.file.as_deref())
    }

    /// Opens the file for [`ensure_open`](Self::ensure_open) (not a closed 'w' handler's).
    #[inline(never)]
    fn open(&mut self, path: &Path, mode: FileMode) -> Result<(), HandlerError> {
        if self.closed && mode == FileMode::Write {
            return Ok(());
        }
        let file = open(path, mode).map_err(HandlerError::other)?;
        self.file = Some(Arc::new(OpenFile::new(file)));
        self.closed = false;
        Ok(())
    }

    /// Closes the file so that the next record reopens it (a rollover, a file replaced on
    /// disk), after writing what is gathered for it.
    pub(super) fn release(&mut self, path: &Path, mode: FileMode) -> Result<(), HandlerError> {
        let written = if self.file.is_some() {
            self.write_pending(path, mode)
        } else {
            Ok(())
        };
        self.file = None;
        written
    }

    /// Appends `line` and the terminator in one `write` if the file is open and records are
    /// not being gathered (`None` otherwise). It takes `&self`: appends to one file may run
    /// side by side (`O_APPEND`).
    #[inline(always)]
    pub(super) fn write_if_open(&self, line: &mut String) -> Option<Result<(), HandlerError>> {
        if self.gathering() {
            return None;
        }
        let file = self.file.as_deref()?;
        line.push_str(&self.terminator);
        Some(match self.codec.encode(line) {
            Ok(bytes) => file.append(&bytes).map_err(HandlerError::from),
            Err(e) => Err(e.into()),
        })
    }

    /// Appends `line` and the terminator — in one `write`, opening the file if needed, or
    /// to what is gathered, written when due (`urgent`: a record at the flush level of
    /// buffered mode); `line` is extended in place.
    ///
    /// Inlined into each handler's `emit` (one call less before the `write`; see
    /// `dispatch::with_config`); gathering is a call of its own.
    #[inline(always)]
    pub(super) fn write(
        &mut self,
        path: &Path,
        mode: FileMode,
        line: &mut String,
        urgent: bool,
    ) -> Result<(), HandlerError> {
        if self.gathering() {
            return self.write_gathered(path, mode, line, urgent);
        }
        line.push_str(&self.terminator);
        let bytes = self.codec.encode(line)?;
        if let Some(file) = self.ensure_open(path, mode)? {
            file.append(&bytes)?;
        }
        Ok(())
    }

    /// [`write`](Self::write) while records are gathered (a batch, or buffered mode).
    #[inline(never)]
    fn write_gathered(
        &mut self,
        path: &Path,
        mode: FileMode,
        line: &mut String,
        urgent: bool,
    ) -> Result<(), HandlerError> {
        if self.gather(line, urgent)? {
            self.write_pending(path, mode)
        } else {
            Ok(())
        }
    }

    /// Sets what follows each record.
    pub(super) fn set_terminator(&mut self, terminator: &str) {
        self.terminator = terminator.into();
    }

    /// Writes what is gathered and flushes the open file.
    pub(super) fn flush(&mut self, path: &Path, mode: FileMode) -> Result<(), HandlerError> {
        self.write_pending(path, mode)?;
        Ok(self.flush_file()?)
    }

    /// Flushes the open file (what is gathered is left as it is).
    pub(super) fn flush_file(&self) -> io::Result<()> {
        match self.file.as_deref() {
            Some(f) => (&f.file).flush(),
            None => Ok(()),
        }
    }

    /// Writes what is gathered, then closes the file as `Handler::close` does.
    pub(super) fn close(&mut self, path: &Path, mode: FileMode) -> Result<(), HandlerError> {
        let written = self.write_pending(path, mode);
        self.closed = true;
        let flushed = match self.file.take() {
            Some(f) => (&f.file).flush(),
            None => Ok(()),
        };
        written?;
        Ok(flushed?)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_buffer_grown_by_a_huge_record_goes_back_to_its_size() {
        let dir = std::env::temp_dir().join(format!("logkit-log-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("app.log");
        let mut file = LogFile::new(&path, FileMode::Write, false).unwrap();
        let room = super::super::BATCH_WRITE_SIZE + super::super::BATCH_SLACK;
        file.begin_batch();
        assert!(file.pending.capacity() >= room);
        let mut huge = "x".repeat(2 << 20);
        file.write(&path, FileMode::Write, &mut huge, false)
            .unwrap();
        file.end_batch(&path, FileMode::Write).unwrap();
        assert!(
            file.pending.capacity() < 2 * room,
            "{}",
            file.pending.capacity()
        );
        assert_eq!(std::fs::metadata(&path).unwrap().len(), (2 << 20) + 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
