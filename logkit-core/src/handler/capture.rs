//! `Capture`: an in-memory writer whose contents can be read back, for tests and examples.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

/// A cloneable in-memory writer: give a clone to a [`StreamHandler`](super::StreamHandler)
/// and read what was logged.
///
/// # Examples
///
/// ```
/// use logkit::{Capture, Handler, Level, StreamHandler, get_logger};
///
/// let out = Capture::new();
/// let logger = get_logger("capture.doc");
/// logger.add_handler(StreamHandler::new(out.clone()));
/// logger.log(Level::WARNING, "disk %d%% full", &[93.into()]);
/// assert_eq!(out.contents(), "disk 93% full\n");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Capture {
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl Capture {
    /// An empty capture.
    pub fn new() -> Self {
        Capture::default()
    }

    /// Everything written so far, as text (invalid UTF-8 replaced).
    pub fn contents(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    /// Everything written so far, split into lines.
    pub fn lines(&self) -> Vec<String> {
        self.contents().lines().map(str::to_owned).collect()
    }

    /// Takes everything written so far, leaving the capture empty.
    pub fn take(&self) -> String {
        let bytes = std::mem::take(&mut *self.lock());
        String::from_utf8_lossy(&bytes).into_owned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.bytes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
