//! SIGHUP forwarded to the watcher thread: signal-hook writes a byte to a socket pair from
//! its (async-signal-safe) handler, and the thread polls the other end.

use std::io::{self, Read as _};
use std::os::unix::net::UnixStream;

use signal_hook::SigId;
use signal_hook::consts::SIGHUP;

/// SIGHUP's end of the watcher's wake-ups; unregistered when dropped (the signal is then
/// ignored, not restored to ending the process: signal-hook keeps its handler installed).
#[derive(Debug)]
pub(super) struct Sighup {
    read: UnixStream,
    id: SigId,
}

impl Sighup {
    /// Installs the handler.
    pub(super) fn register() -> io::Result<Sighup> {
        let (read, write) = UnixStream::pair()?;
        read.set_nonblocking(true)?;
        write.set_nonblocking(true)?;
        let id = signal_hook::low_level::pipe::register(SIGHUP, write)?;
        Ok(Sighup { read, id })
    }

    /// The end to poll.
    pub(super) fn socket(&self) -> &UnixStream {
        &self.read
    }

    /// Reads what the signals wrote, so that the socket is quiet again.
    pub(super) fn drain(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.read).read(&mut buf), Ok(n) if n > 0) {}
    }
}

impl Drop for Sighup {
    fn drop(&mut self) {
        signal_hook::low_level::unregister(self.id);
    }
}
