//! Appending records so that a write cut short never joins two of them on one line.
//!
//! When a disk fills in the middle of a record (or a pipe's reader goes away), the part
//! already written stays in the file, and the error is reported. The next record written to
//! the same destination starts with a newline, so that it begins on a line of its own
//! instead of continuing the cut one (`record 01638 yyyyafter-free 0`). Nothing is added
//! after a write that failed before its first byte, or after one that ended on a newline.

use std::io::{self, IoSlice, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the last write to a destination stopped inside a record.
#[derive(Debug, Default)]
pub(crate) struct WholeLines {
    torn: AtomicBool,
}

impl WholeLines {
    /// Writes all of `bytes` to `w` (retrying short writes and interruptions), after a
    /// newline if the last write stopped inside a record.
    ///
    /// # Errors
    ///
    /// The writer's error; what was written of `bytes` stays, and the next call starts a
    /// new line.
    #[inline(always)]
    pub(crate) fn append(&self, mut w: impl Write, bytes: &[u8]) -> io::Result<()> {
        // The common case: the last write was whole, and this one goes in one `write`.
        if !self.torn.load(Ordering::Relaxed) {
            if let Ok(n) = w.write(bytes) {
                if n == bytes.len() {
                    return Ok(());
                }
                return self.append_rest(w, bytes, n);
            }
        }
        self.append_rest(w, bytes, 0)
    }

    /// [`append`](Self::append) from byte `done` of `bytes` on (after a short write, an
    /// error to retry, or a record cut short before this one).
    #[cold]
    #[inline(never)]
    fn append_rest(&self, mut w: impl Write, bytes: &[u8], done: usize) -> io::Result<()> {
        if done > 0 {
            // A short write: go on from there (the newline, if one was due, is written).
            return self.append_from(w, bytes, done);
        }
        let newline: &[u8] = if self.torn.load(Ordering::Relaxed) {
            b"\n"
        } else {
            b""
        };
        let total = newline.len() + bytes.len();
        let mut written = 0;
        while written < total {
            let result = match newline.get(written..) {
                Some(rest) if !rest.is_empty() => {
                    w.write_vectored(&[IoSlice::new(rest), IoSlice::new(bytes)])
                }
                _ => w.write(&bytes[written - newline.len()..]),
            };
            match result {
                Ok(0) => {
                    self.note_stop(written, newline, bytes);
                    return Err(io::ErrorKind::WriteZero.into());
                }
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.note_stop(written, newline, bytes);
                    return Err(e);
                }
            }
        }
        if !newline.is_empty() {
            self.torn.store(false, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Writes the rest of `bytes` after the first `done` were written.
    fn append_from(&self, mut w: impl Write, bytes: &[u8], mut done: usize) -> io::Result<()> {
        while done < bytes.len() {
            match w.write(&bytes[done..]) {
                Ok(0) => {
                    self.note_stop(done, b"", bytes);
                    return Err(io::ErrorKind::WriteZero.into());
                }
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.note_stop(done, b"", bytes);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Notes where a failed write of `newline` then `bytes` stopped after `written` bytes.
    fn note_stop(&self, written: usize, newline: &[u8], bytes: &[u8]) {
        if written == 0 {
            return; // Nothing changed on the destination.
        }
        let last = match written.checked_sub(newline.len() + 1) {
            Some(i) => bytes.get(i).copied(),
            None => Some(b'\n'),
        };
        self.torn.store(last != Some(b'\n'), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::io::{self, Write};

    use super::WholeLines;

    /// A writer that accepts `room` bytes, then fails with "no space" until given more.
    struct SmallDisk {
        written: Vec<u8>,
        room: usize,
    }

    impl Write for SmallDisk {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(self.room);
            if n == 0 {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space"));
            }
            self.room -= n;
            self.written.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_record_after_a_cut_one_starts_a_new_line() {
        let lines = WholeLines::default();
        let mut disk = SmallDisk {
            written: Vec::new(),
            room: 12,
        };
        lines.append(&mut disk, b"record 1\n").unwrap();
        assert!(lines.append(&mut disk, b"record 2\n").is_err());
        // No room at all: nothing written, still cut.
        assert!(lines.append(&mut disk, b"record 3\n").is_err());
        disk.room = 100;
        lines.append(&mut disk, b"record 4\n").unwrap();
        lines.append(&mut disk, b"record 5\n").unwrap();
        assert_eq!(disk.written, b"record 1\nrec\nrecord 4\nrecord 5\n");
    }

    #[test]
    fn a_write_that_fails_before_its_first_byte_adds_nothing() {
        let lines = WholeLines::default();
        let mut disk = SmallDisk {
            written: Vec::new(),
            room: 9,
        };
        lines.append(&mut disk, b"record 1\n").unwrap();
        assert!(lines.append(&mut disk, b"record 2\n").is_err());
        disk.room = 100;
        lines.append(&mut disk, b"record 3\n").unwrap();
        assert_eq!(disk.written, b"record 1\nrecord 3\n");
    }

    #[test]
    fn a_newline_cut_in_its_turn_is_written_again() {
        let lines = WholeLines::default();
        let mut disk = SmallDisk {
            written: Vec::new(),
            room: 3,
        };
        assert!(lines.append(&mut disk, b"abcdef\n").is_err());
        disk.room = 1; // Only the newline that ends the cut record fits.
        assert!(lines.append(&mut disk, b"next\n").is_err());
        disk.room = 100;
        lines.append(&mut disk, b"last\n").unwrap();
        assert_eq!(disk.written, b"abc\nlast\n");
    }
}
