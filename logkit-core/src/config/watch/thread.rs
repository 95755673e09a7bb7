//! The watcher thread: sleeps in `poll` on its wake-ups — the stop socket, SIGHUP's socket
//! where asked, the inotify descriptor — with a timeout only while a change is settling or
//! when checking at an interval; then checks the file.

use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant, SystemTime};

use rustix::event::{PollFd, PollFlags, Timespec};

use super::check::{Checker, say};
#[cfg(target_os = "linux")]
use super::inotify::DirWatch;
use super::poll::Fingerprint;
use super::{Trigger, WatchMethod};

/// How long a check waits for the writer of a file just created to close it (a writer
/// that keeps it open longer: read then).
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// How the thread learns of changes.
enum Source {
    #[cfg(target_os = "linux")]
    Inotify(DirWatch),
    Polling {
        interval: Duration,
        /// The fingerprint when the file was last read.
        last: Fingerprint,
        next: Instant,
    },
}

/// A change seen and not yet read: read at `due`, or at the latest at `cap` (once a file
/// just created is closed, see [`Pending::ready_at`]).
#[derive(Clone, Copy, Debug)]
struct Pending {
    due: Instant,
    cap: Instant,
    trigger: Trigger,
    forced: bool,
    /// Only a fingerprint too recent to trust (see
    /// [`Fingerprint::may_hide_a_rewrite`]): the same content found again is not counted as
    /// an unchanged check.
    unseen: bool,
}

impl Pending {
    /// When the change is to be read: at `due` or `cap`, or, while a file just created is
    /// being written (`created`), once it is closed or [`CLOSE_WAIT`] has passed — unless
    /// the read was asked for (SIGHUP).
    fn ready_at(&self, created: Option<Instant>) -> Instant {
        match created {
            Some(at) if !self.forced => at + CLOSE_WAIT,
            _ => self.due.min(self.cap),
        }
    }
}

/// The watcher thread's state.
pub(crate) struct Looper {
    checker: Checker,
    stop: UnixStream,
    #[cfg(feature = "sighup")]
    sighup: Option<super::signal::Sighup>,
    source: Source,
    settle: Duration,
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    interval: Duration,
    pending: Option<Pending>,
}

impl Looper {
    /// inotify unless `polling` was asked or it cannot be set up (said once on stderr).
    pub(crate) fn new(
        checker: Checker,
        stop: UnixStream,
        settle: Duration,
        interval: Duration,
        polling: bool,
    ) -> Self {
        let polled = || Source::Polling {
            interval,
            last: Fingerprint::of(checker.path()),
            next: Instant::now() + interval,
        };
        #[cfg(target_os = "linux")]
        let source = if polling {
            polled()
        } else {
            match DirWatch::new(checker.path()) {
                Ok(w) => Source::Inotify(w),
                Err(e) => {
                    say(&format!(
                        "logkit: cannot watch '{}' with inotify ({e}); checking it every \
                         {interval:?} instead\n",
                        checker.path().display()
                    ));
                    polled()
                }
            }
        };
        #[cfg(not(target_os = "linux"))]
        let source = {
            let _ = polling;
            polled()
        };
        Looper {
            checker,
            stop,
            #[cfg(feature = "sighup")]
            sighup: None,
            source,
            settle,
            interval,
            pending: None,
        }
    }

    #[cfg(feature = "sighup")]
    pub(crate) fn set_sighup(&mut self, sighup: Option<super::signal::Sighup>) {
        self.sighup = sighup;
    }

    pub(crate) fn method(&self) -> WatchMethod {
        match &self.source {
            #[cfg(target_os = "linux")]
            Source::Inotify(_) => WatchMethod::Inotify,
            Source::Polling { interval, .. } => WatchMethod::Polling(*interval),
        }
    }

    /// Runs until stopped. A panic (none is expected: checking catches its own) ends the
    /// thread with a report rather than silently.
    pub(crate) fn run(mut self) {
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| self.run_inner())) {
            say(&format!(
                "--- Logging error ---\nError: the watch of '{}' stopped: {}\n",
                self.checker.path().display(),
                crate::handler::panic_text(&*p)
            ));
        }
    }

    /// Reads the file again, once watching has been set up: a change made between the
    /// first reading and then is applied now. Called before the thread starts, so that any
    /// later change is seen through the watch (and not read half-written here).
    pub(crate) fn catch_up(&mut self) {
        self.checker.recheck();
    }

    fn run_inner(&mut self) {
        loop {
            let now = Instant::now();
            let created = self.created();
            let mut wake: Option<Instant> = self.pending.map(|p| p.ready_at(created));
            if let Source::Polling { next, .. } = &self.source {
                wake = Some(wake.map_or(*next, |w| w.min(*next)));
            }
            let timeout = wake.map(|w| w.saturating_duration_since(now));
            let ready = self.wait(timeout);
            if ready.stop {
                return;
            }
            let now = Instant::now();
            if ready.sighup {
                #[cfg(feature = "sighup")]
                if let Some(s) = &self.sighup {
                    s.drain();
                }
                // An explicit request: read now, whatever settles.
                self.pending = Some(Pending {
                    due: now,
                    cap: now,
                    trigger: Trigger::Signal,
                    forced: true,
                    unseen: false,
                });
            }
            let mut unseen = false;
            let changed = match &mut self.source {
                #[cfg(target_os = "linux")]
                Source::Inotify(w) => {
                    let changed = ready.inotify && w.changed();
                    if w.lost() {
                        self.fall_back_to_polling("its directory is no longer watched");
                    }
                    changed
                }
                Source::Polling {
                    interval,
                    last,
                    next,
                } => {
                    if now >= *next {
                        *next = now + *interval;
                        let fp = Fingerprint::of(self.checker.path());
                        let moved = fp != *last;
                        // Times too recent to tell a rewrite of the same size: read again.
                        unseen = !moved && last.may_hide_a_rewrite(SystemTime::now());
                        *last = fp;
                        moved
                    } else {
                        false
                    }
                }
            };
            if changed || unseen {
                let settle = self.settle;
                self.pending = Some(match self.pending {
                    Some(p) => Pending {
                        due: now + settle,
                        unseen: p.unseen && !changed,
                        ..p
                    },
                    None => Pending {
                        due: now + settle,
                        cap: now + settle * 10,
                        trigger: Trigger::Changed,
                        forced: false,
                        unseen: !changed,
                    },
                });
            }
            let created = self.created();
            let due = self.pending.filter(|p| now >= p.ready_at(created));
            if let Some(p) = due {
                self.pending = None;
                #[cfg(target_os = "linux")]
                if let Source::Inotify(w) = &mut self.source {
                    w.stop_waiting_for_close();
                }
                // The fingerprint of what is about to be read, taken before reading it: a
                // change made while the file is read and applied is a change next time.
                if let Source::Polling { last, .. } = &mut self.source {
                    *last = Fingerprint::of(self.checker.path());
                }
                if p.unseen {
                    self.checker.recheck();
                } else {
                    self.checker.check(p.trigger, p.forced);
                }
            }
        }
    }

    /// When the file was created, while its writer has not closed it (inotify only).
    fn created(&self) -> Option<Instant> {
        match &self.source {
            #[cfg(target_os = "linux")]
            Source::Inotify(w) => w.being_written(),
            Source::Polling { .. } => None,
        }
    }

    /// Checks at the interval from now on (said once on stderr): inotify cannot be used.
    #[cfg(target_os = "linux")]
    fn fall_back_to_polling(&mut self, why: &str) {
        let interval = self.interval;
        say(&format!(
            "logkit: cannot watch '{}' with inotify ({why}); checking it every {interval:?} \
             instead\n",
            self.checker.path().display()
        ));
        self.source = Source::Polling {
            interval,
            last: Fingerprint::of(self.checker.path()),
            next: Instant::now() + interval,
        };
        // It may have changed unseen.
        self.checker.recheck();
    }

    /// Sleeps in `poll` until a wake-up is readable or `timeout` passes.
    fn wait(&self, timeout: Option<Duration>) -> Ready {
        let mut fds: Vec<PollFd<'_>> = Vec::with_capacity(3);
        let stop: BorrowedFd<'_> = self.stop.as_fd();
        fds.push(PollFd::new(&stop, PollFlags::IN));
        #[cfg(feature = "sighup")]
        let sighup_fd = self.sighup.as_ref().map(|s| s.socket().as_fd());
        #[cfg(not(feature = "sighup"))]
        let sighup_fd: Option<BorrowedFd<'_>> = None;
        let sighup_at = sighup_fd.as_ref().map(|fd| {
            fds.push(PollFd::new(fd, PollFlags::IN));
            fds.len() - 1
        });
        #[cfg(target_os = "linux")]
        let inotify_fd = match &self.source {
            Source::Inotify(w) => Some(w.fd()),
            Source::Polling { .. } => None,
        };
        #[cfg(not(target_os = "linux"))]
        let inotify_fd: Option<BorrowedFd<'_>> = None;
        let inotify_at = inotify_fd.as_ref().map(|fd| {
            fds.push(PollFd::new(fd, PollFlags::IN));
            fds.len() - 1
        });
        // A timeout too long for a timespec is no timeout.
        let ts = timeout.and_then(|t| Timespec::try_from(t).ok());
        match rustix::event::poll(&mut fds, ts.as_ref()) {
            Ok(_) => {}
            // Interrupted (a signal), or failing: look again, after a pause if failing.
            Err(rustix::io::Errno::INTR) => return Ready::default(),
            Err(_) => {
                std::thread::sleep(Duration::from_millis(100));
                return Ready::default();
            }
        }
        let readable = |i: usize| {
            fds[i]
                .revents()
                .intersects(PollFlags::IN | PollFlags::HUP | PollFlags::ERR)
        };
        Ready {
            stop: readable(0),
            sighup: sighup_at.is_some_and(readable),
            inotify: inotify_at.is_some_and(readable),
        }
    }
}

/// Which wake-ups were readable.
#[derive(Clone, Copy, Debug, Default)]
struct Ready {
    stop: bool,
    sighup: bool,
    inotify: bool,
}
