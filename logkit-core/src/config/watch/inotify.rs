//! inotify on the watched file's directory (Linux).
//!
//! The directory, not the file: an editor saves by writing another file and renaming it
//! over (the file watched would be a deleted inode), and Kubernetes updates a mounted
//! ConfigMap by swapping a `..data` symlink, the file being a symlink through it. What
//! counts as a change:
//!
//! - in the directory, an event naming the file: written and closed, renamed to or from,
//!   deleted, its attributes changed, or created (a symlink, or a hard link to a file that
//!   has another name, is complete; a regular file just created is being written, and is
//!   read once its writer closes it: see [`DirWatch::being_written`]);
//! - when the file is a symlink, any entry of the directory created, renamed or deleted
//!   (the `..data` swap), and events naming the file in its target's directory (watched
//!   too, and followed when the target moves);
//! - an overflow of the event queue (events were lost).

use std::ffi::{OsStr, OsString};
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rustix::fs::inotify::{self, CreateFlags, ReadFlags, WatchFlags};

/// An inotify instance watching the file's directory (and its symlink target's).
#[derive(Debug)]
pub(super) struct DirWatch {
    fd: OwnedFd,
    path: PathBuf,
    name: OsString,
    dir: i32,
    /// The watch of the symlink target's directory and the target's file name, when the
    /// file is a symlink into another directory.
    target: Option<(i32, PathBuf, OsString)>,
    is_symlink: bool,
    /// The directory's watch is gone (the directory was removed or its filesystem
    /// unmounted): nothing more will be seen through it.
    lost: bool,
    /// When the file was created as a regular file, while its writer has not closed it.
    created: Option<Instant>,
}

fn mask() -> WatchFlags {
    WatchFlags::CLOSE_WRITE
        | WatchFlags::MOVED_TO
        | WatchFlags::MOVED_FROM
        | WatchFlags::CREATE
        | WatchFlags::DELETE
        | WatchFlags::ATTRIB
        | WatchFlags::ONLYDIR
}

fn io_err(e: rustix::io::Errno) -> io::Error {
    io::Error::from_raw_os_error(e.raw_os_error())
}

impl DirWatch {
    /// Watches the directory of `path` (absolute).
    pub(super) fn new(path: &Path) -> io::Result<DirWatch> {
        let dir = path.parent().unwrap_or(Path::new("/"));
        let name = path.file_name().unwrap_or_default().to_owned();
        let fd = inotify::init(CreateFlags::CLOEXEC | CreateFlags::NONBLOCK).map_err(io_err)?;
        let wd = inotify::add_watch(&fd, dir, mask()).map_err(io_err)?;
        let mut watch = DirWatch {
            fd,
            path: path.to_owned(),
            name,
            dir: wd,
            target: None,
            is_symlink: false,
            lost: false,
            created: None,
        };
        watch.follow_symlink();
        Ok(watch)
    }

    /// The descriptor to poll.
    pub(super) fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Takes the events that are ready; whether one of them may have changed the file.
    pub(super) fn changed(&mut self) -> bool {
        let mut buf = [MaybeUninit::<u8>::uninit(); 4096];
        let mut reader = inotify::Reader::new(&self.fd, &mut buf);
        let mut changed = false;
        loop {
            let event = match reader.next() {
                Ok(event) => event,
                Err(rustix::io::Errno::INTR) => continue,
                // WOULDBLOCK: no more for now. Anything else: nothing more can be read.
                Err(_) => break,
            };
            let flags = event.events();
            if event.wd() == self.dir && flags.contains(ReadFlags::IGNORED) {
                self.lost = true;
                changed = true;
                continue;
            }
            if flags.contains(ReadFlags::QUEUE_OVERFLOW) {
                changed = true;
                continue;
            }
            let name = event.file_name().map(|n| OsStr::from_bytes(n.to_bytes()));
            if event.wd() == self.dir && name == Some(&*self.name) {
                if flags.contains(ReadFlags::CREATE) && may_be_being_written(&self.path) {
                    // Being written (deleted and written anew, say): read once closed.
                    self.created.get_or_insert_with(Instant::now);
                    changed = true;
                    continue;
                }
                if flags.intersects(content_events()) {
                    self.created = None;
                }
            }
            changed |= relevant(
                event.wd(),
                flags,
                name,
                self.dir,
                &self.name,
                self.is_symlink,
                self.target.as_ref().map(|(wd, _, n)| (*wd, n.as_os_str())),
                &self.path,
            );
        }
        if changed {
            self.follow_symlink();
        }
        changed
    }

    /// When the file was created as a regular file, while its writer has not closed it yet
    /// (nor has it been renamed or deleted): reading it before its writer is done would
    /// find part of what is being written, so a check waits for the close.
    pub(super) fn being_written(&self) -> Option<Instant> {
        self.created
    }

    /// Stops waiting for the close of a file seen created (its writer keeps it open).
    pub(super) fn stop_waiting_for_close(&mut self) {
        self.created = None;
    }

    /// Whether the directory can no longer be watched (it was removed): the caller falls
    /// back to checking at an interval.
    pub(super) fn lost(&self) -> bool {
        self.lost
    }

    /// Looks again at whether the file is a symlink and where it leads, watching the
    /// target's directory when it is another one.
    fn follow_symlink(&mut self) {
        self.is_symlink = is_a_symlink(&self.path);
        let target = if self.is_symlink {
            std::fs::canonicalize(&self.path).ok()
        } else {
            None
        };
        let target_dir = target.as_deref().and_then(Path::parent);
        let own_dir = self.path.parent();
        let same = match (&self.target, target_dir) {
            (Some((_, dir, _)), Some(t)) => dir == t,
            (None, None) => true,
            _ => false,
        };
        if same {
            if let (Some(t), Some((_, _, name))) = (&target, &mut self.target) {
                t.file_name().unwrap_or_default().clone_into(name);
            }
            return;
        }
        if let Some((wd, _, _)) = self.target.take() {
            if wd != self.dir {
                let _ = inotify::remove_watch(&self.fd, wd);
            }
        }
        if let (Some(t), Some(dir)) = (&target, target_dir) {
            if Some(dir) == own_dir {
                return;
            }
            if let Ok(wd) = inotify::add_watch(&self.fd, dir, mask()) {
                let name = t.file_name().unwrap_or_default().to_owned();
                self.target = Some((wd, dir.to_owned(), name));
            }
        }
    }
}

/// The events that say the file's content may be new: written and closed, renamed to or
/// from, deleted, its attributes changed.
fn content_events() -> ReadFlags {
    ReadFlags::CLOSE_WRITE
        | ReadFlags::MOVED_TO
        | ReadFlags::MOVED_FROM
        | ReadFlags::DELETE
        | ReadFlags::ATTRIB
}

fn is_a_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink())
}

/// Whether the file just created at `path` may still be being written: a regular file
/// with this one name (or gone already), written last. A symlink is complete when made, and
/// so is a new name for a file that has another (a hard link, `ln`): nothing is writing it
/// through this name. A file with content whose inode changed after its last write (its
/// ctime is later than its mtime: `ln tmp f && rm tmp`, which leaves it one name) is
/// complete too: each `write` sets both times, so a file being written has them equal.
fn may_be_being_written(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::symlink_metadata(path).map_or(true, |m| {
        let changed_after_written = (m.ctime(), m.ctime_nsec()) > (m.mtime(), m.mtime_nsec());
        !m.is_symlink() && m.nlink() == 1 && !(changed_after_written && m.len() > 0)
    })
}

/// Whether one event may have changed the file (see the module's documentation).
#[allow(clippy::too_many_arguments)]
fn relevant(
    wd: i32,
    flags: ReadFlags,
    name: Option<&OsStr>,
    dir: i32,
    file: &OsStr,
    is_symlink: bool,
    target: Option<(i32, &OsStr)>,
    path: &Path,
) -> bool {
    let content = content_events();
    let entries =
        ReadFlags::CREATE | ReadFlags::MOVED_TO | ReadFlags::MOVED_FROM | ReadFlags::DELETE;
    if wd == dir {
        if name == Some(file) {
            if flags.intersects(content) {
                return true;
            }
            // Created: a symlink or a hard link is complete; a regular file with one name
            // is still being written.
            return flags.contains(ReadFlags::CREATE) && !may_be_being_written(path);
        }
        return is_symlink && flags.intersects(entries);
    }
    matches!(target, Some((t, n)) if t == wd && name == Some(n) && flags.intersects(content))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::may_be_being_written;

    #[test]
    fn a_file_changed_after_its_last_write_is_complete_with_one_name() {
        let dir = std::env::temp_dir().join(format!("logkit-inotify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("app.ini");
        // Just written: its writer may be at it still (both times set by the write).
        std::fs::write(&path, "[loggers]\n").unwrap();
        assert!(may_be_being_written(&path));
        // A second name: complete.
        let tmp = dir.join("app.ini.tmp");
        std::fs::hard_link(&path, &tmp).unwrap();
        assert!(!may_be_being_written(&tmp));
        // Written a second before it was linked, then the first name removed (`ln tmp f &&
        // rm tmp`): one name, its inode changed after its last write, so complete.
        let written = SystemTime::now() - Duration::from_secs(1);
        let file = std::fs::File::options().write(true).open(&tmp).unwrap();
        file.set_modified(written).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(!may_be_being_written(&tmp));
        // Empty, though changed since: nothing written yet, so it may be being written.
        file.set_len(0).unwrap();
        file.set_modified(written).unwrap();
        assert!(may_be_being_written(&tmp));
        // Gone: whatever comes next is looked at then.
        std::fs::remove_file(&tmp).unwrap();
        assert!(may_be_being_written(&tmp));
        std::fs::remove_dir_all(&dir).ok();
    }
}
