//! Reading the watched file, applying it when its content is new, and saying what happened:
//! the callback every time, stderr once per failing content and once on recovery.

use std::io::{self, Write as _};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Callback, Format, Reload, Shared, Trigger};
use crate::error::{Error, ErrorKind};

/// Reads and applies one file; remembers what was applied and what failed.
pub(crate) struct Checker {
    path: PathBuf,
    format: Format,
    disable_existing_loggers: bool,
    bridges: bool,
    /// A `fileConfig` file's encoding (UTF-8 unless given).
    encoding: Option<String>,
    on_reload: Option<Callback>,
    shared: Arc<Shared>,
    /// The content last applied (or taken as applied).
    applied: Option<Vec<u8>>,
    /// The content (or read error) that last failed, reported already.
    failed: Option<Vec<u8>>,
    applied_count: u64,
}

impl Checker {
    pub(crate) fn new(
        path: PathBuf,
        format: Format,
        disable_existing_loggers: bool,
        bridges: bool,
        encoding: Option<String>,
        on_reload: Option<Callback>,
        shared: Arc<Shared>,
    ) -> Self {
        Checker {
            path,
            format,
            disable_existing_loggers,
            bridges,
            encoding,
            on_reload,
            shared,
            applied: None,
            failed: None,
            applied_count: 0,
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The first application, at start: an error goes to the caller, not to stderr.
    pub(crate) fn apply_first(&mut self) -> Result<(), Error> {
        let bytes = std::fs::read(&self.path).map_err(|e| Error::io("read", &self.path, e))?;
        self.apply(&bytes)?;
        self.applied = Some(bytes);
        self.applied_count = 1;
        self.callback(Trigger::Start, Ok(1));
        self.shared.update(|s| s.applied = 1);
        Ok(())
    }

    /// Takes the file's content now as applied already (`apply_now(false)`).
    pub(crate) fn assume_applied(&mut self) -> Result<(), Error> {
        let bytes = std::fs::read(&self.path).map_err(|e| Error::io("read", &self.path, e))?;
        self.applied = Some(bytes);
        Ok(())
    }

    /// Reads the file and applies it if it changed since it was read last, unseen (while
    /// watching was being set up, or by an interval check within a timestamp tick of the
    /// last change); an unchanged file is not counted.
    pub(crate) fn recheck(&mut self) {
        self.check_counted(Trigger::Changed, false, false);
    }

    /// Reads the file and applies it if its content is new (or always, when `forced`).
    /// Never panics.
    pub(crate) fn check(&mut self, trigger: Trigger, forced: bool) {
        self.check_counted(trigger, forced, true);
    }

    fn check_counted(&mut self, trigger: Trigger, forced: bool, count_unchanged: bool) {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            // Gone (being replaced, or removed): the configuration in force stays, and the
            // file is applied again when it is back. Only a signal asked for it explicitly.
            Err(e) if e.kind() == io::ErrorKind::NotFound && !forced => return,
            Err(e) => {
                let err = Error::io("read", &self.path, e);
                // The error's text stands for the content, so that it is said once.
                self.failure(trigger, err.to_string().into_bytes(), &err, forced);
                return;
            }
        };
        if !forced && self.applied.as_ref() == Some(&bytes) {
            // Put back as it was after a failure: in force again, which is said once.
            if self.failed.take().is_some() {
                say(&format!(
                    "logkit: '{}' is the configuration in force again\n",
                    self.path.display()
                ));
            }
            if count_unchanged {
                self.shared.update(|s| s.unchanged += 1);
            }
            return;
        }
        if !forced && self.failed.as_ref() == Some(&bytes) {
            if count_unchanged {
                self.shared.update(|s| s.unchanged += 1);
            }
            return;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| self.apply(&bytes))).unwrap_or_else(|p| {
            Err(Error::new(
                ErrorKind::Config,
                format!(
                    "{}: applying the configuration panicked: {}",
                    self.path.display(),
                    crate::handler::panic_text(&*p)
                ),
            ))
        });
        match outcome {
            Ok(()) => {
                if self.failed.take().is_some() {
                    say(&format!("logkit: reloaded '{}'\n", self.path.display()));
                }
                self.applied = Some(bytes);
                self.applied_count += 1;
                let n = self.applied_count;
                // Counted after the callback: a wait on the count sees what it did.
                self.callback(trigger, Ok(n));
                self.shared.update(|s| s.applied = n);
            }
            Err(err) => self.failure(trigger, bytes, &err, forced),
        }
    }

    /// A read or application that failed: reported unless this content failed just before
    /// (or always, when `forced`), counted, and given to the callback.
    fn failure(&mut self, trigger: Trigger, content: Vec<u8>, err: &Error, forced: bool) {
        if forced || self.failed.as_ref() != Some(&content) {
            say(&format!(
                "--- Logging error ---\nConfiguration not reloaded: {err}\n\
                 The configuration in force is kept; this is said again only when '{}' \
                 changes.\n",
                self.path.display()
            ));
        }
        self.failed = Some(content);
        self.callback(trigger, Err(err));
        self.shared.update(|s| s.failed += 1);
    }

    /// Installs `bytes` as the file's configuration.
    fn apply(&self, bytes: &[u8]) -> Result<(), Error> {
        let name = self.path.display().to_string();
        match self.format {
            Format::Ini => {
                let text =
                    super::super::file_config::decode(bytes, self.encoding.as_deref(), &self.path)?;
                super::super::FileConfig::from_text(&name, &text)
                    .disable_existing_loggers(self.disable_existing_loggers)
                    .bridges(false)
                    .apply()?;
            }
            Format::Dict => {
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    Error::new(
                        ErrorKind::Config,
                        format!("'{}' is not valid UTF-8", self.path.display()),
                    )
                })?;
                super::super::dict_config::install_text(&self.path, text)?;
            }
        }
        if self.bridges {
            crate::bridge::install_defaults();
        }
        Ok(())
    }

    /// Runs the callback, a panic in it reported and contained.
    fn callback(&self, trigger: Trigger, result: Result<u64, &Error>) {
        let Some(f) = &self.on_reload else {
            return;
        };
        let reload = Reload {
            path: &self.path,
            trigger,
            result,
        };
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| f(&reload))) {
            say(&format!(
                "--- Logging error ---\nError: the on_reload callback of the watch of '{}' \
                 panicked: {}\n",
                self.path.display(),
                crate::handler::panic_text(&*p)
            ));
        }
    }
}

/// One `write` to stderr.
pub(super) fn say(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
