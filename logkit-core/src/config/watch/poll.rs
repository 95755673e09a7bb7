//! The check at an interval, where inotify is not used: the file's identity, size and
//! modification and status-change times, compared with the last check's. Reading the file
//! (and comparing its content with what is applied) is left to when this changes — or when
//! the times are too recent to tell: a filesystem keeps them to a tick (a jiffy, or a whole
//! second on some network filesystems), and a rewrite of the same size within the tick of
//! the last one leaves every one of them as it was.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long after its last change a file's times cannot tell a rewrite from none: longer
/// than the coarsest timestamp tick (a whole second), with room for a file server's clock
/// a little ahead.
const RACY: Duration = Duration::from_secs(2);

/// What identifies a version of the file without reading it: device, inode (a file
/// renamed over it, or a symlink swapped, changes it), size, modification time and status
/// change time (which a rewrite changes even when a tool puts the modification time back).
/// `None` when the file does not exist (or cannot be examined).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fingerprint(Option<Stamp>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Fingerprint {
    /// The file's fingerprint now, following symlinks.
    pub(super) fn of(path: &Path) -> Self {
        Fingerprint(std::fs::metadata(path).ok().map(|m| Stamp {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
        }))
    }

    /// Whether a rewrite could leave this fingerprint as it is: the file changed less than
    /// [`RACY`] before `now` (or, by the file's clock, after it), so that another write of
    /// the same size may show the same times. The file is then read again at the next
    /// check, and applied if its content is new.
    pub(super) fn may_hide_a_rewrite(&self, now: SystemTime) -> bool {
        let Some(stamp) = self.0 else {
            return false;
        };
        let (secs, nanos) = stamp.ctime.max(stamp.mtime);
        let changed = match (u64::try_from(secs), u32::try_from(nanos)) {
            (Ok(s), Ok(n)) => UNIX_EPOCH + Duration::new(s, n),
            // Before 1970: long settled.
            _ => return false,
        };
        match now.duration_since(changed) {
            Ok(age) => age < RACY,
            Err(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::{Fingerprint, RACY, Stamp};

    fn changed_at(secs: i64) -> Fingerprint {
        Fingerprint(Some(Stamp {
            dev: 1,
            ino: 2,
            size: 3,
            mtime: (secs, 0),
            ctime: (secs, 500_000_000),
        }))
    }

    #[test]
    fn a_file_changed_within_a_timestamp_tick_of_now_is_read_again() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(changed_at(1_000_000).may_hide_a_rewrite(now));
        assert!(changed_at(999_999).may_hide_a_rewrite(now));
        // Ahead of this clock (a file server's): read again until this clock passes it.
        assert!(changed_at(1_000_100).may_hide_a_rewrite(now));
        // Settled: the times tell.
        assert!(!changed_at(1_000_000 - 3).may_hide_a_rewrite(now));
        assert!(!changed_at(-5).may_hide_a_rewrite(now));
        assert!(!Fingerprint(None).may_hide_a_rewrite(now));
        assert!(RACY >= Duration::from_secs(1));
    }

    #[test]
    fn a_rewrite_with_its_modification_time_put_back_changes_the_fingerprint() {
        let dir = std::env::temp_dir().join(format!("logkit-poll-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("app.ini");
        std::fs::write(&path, "level=ERROR\n").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(old).unwrap();
        let before = Fingerprint::of(&path);
        // The same size, in place, the modification time put back (as `cp -p` or `rsync
        // -t` do): the status change time differs unless within the same tick.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            std::fs::write(&path, "level=DEBUG\n").unwrap();
            file.set_modified(old).unwrap();
            let after = Fingerprint::of(&path);
            assert_eq!(after.0.map(|s| s.mtime), before.0.map(|s| s.mtime));
            if after != before {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "ctime never moved");
            std::thread::yield_now();
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
