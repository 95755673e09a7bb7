//! The check at an interval, where inotify is not used: the file's identity, size and
//! modification time, compared with the last check's. Reading the file (and comparing its
//! content with what is applied) is left to when this changes.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// What identifies a version of the file without reading it: device, inode (a file
/// renamed over it, or a symlink swapped, changes it), size and modification time. `None`
/// when the file does not exist (or cannot be examined).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fingerprint(Option<(u64, u64, u64, i64, i64)>);

impl Fingerprint {
    /// The file's fingerprint now, following symlinks.
    pub(super) fn of(path: &Path) -> Self {
        Fingerprint(
            std::fs::metadata(path)
                .ok()
                .map(|m| (m.dev(), m.ino(), m.size(), m.mtime(), m.mtime_nsec())),
        )
    }
}
