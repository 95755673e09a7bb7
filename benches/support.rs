//! Shared setup for the benchmarks: a writer that discards bytes but counts them, so the
//! formatting work cannot be optimised away.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A `Write` that counts bytes and drops them.
#[derive(Clone, Debug, Default)]
pub struct CountingSink {
    bytes: Arc<AtomicU64>,
}

impl CountingSink {
    /// A new sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

impl io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.fetch_add(buf.len() as u64, Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The path in the benchmark's message.
pub const PATH: &str = "/api/users";
