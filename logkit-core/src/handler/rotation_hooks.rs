//! How the rotating handlers name and make their backups: CPython's `namer` and `rotator`
//! (`BaseRotatingHandler.rotation_filename` and `rotate`), shared by
//! [`RotatingFileHandler`](super::RotatingFileHandler) and
//! [`TimedRotatingFileHandler`](super::TimedRotatingFileHandler).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::HandlerError;
use super::log_file::{rename, rotation_error};

/// Turns CPython's default name for a backup into the name to use.
type Namer = Arc<dyn Fn(&Path) -> PathBuf + Send + Sync>;

/// Makes the backup `dest` from the file `source`.
type Rotator = Arc<dyn Fn(&Path, &Path) -> io::Result<()> + Send + Sync>;

/// A rotating handler's `namer` and `rotator`, if set.
#[derive(Clone, Default)]
pub(super) struct RotationHooks {
    namer: Option<Namer>,
    rotator: Option<Rotator>,
}

impl RotationHooks {
    pub(super) fn set_namer(&mut self, namer: impl Fn(&Path) -> PathBuf + Send + Sync + 'static) {
        self.namer = Some(Arc::new(namer));
    }

    pub(super) fn set_rotator(
        &mut self,
        rotator: impl Fn(&Path, &Path) -> io::Result<()> + Send + Sync + 'static,
    ) {
        self.rotator = Some(Arc::new(rotator));
    }

    /// Whether a namer is set (the timed handler's pruning then looks wider, as CPython's).
    pub(super) fn has_namer(&self) -> bool {
        self.namer.is_some()
    }

    /// The backup's name: `default`, or what the namer makes of it (`rotation_filename`).
    pub(super) fn name(&self, default: PathBuf) -> PathBuf {
        match &self.namer {
            Some(namer) => namer(&default),
            None => default,
        }
    }

    /// Makes the backup `dest` from `source` (`rotate`): the rotator, or a rename when
    /// `source` exists.
    pub(super) fn rotate(&self, source: &Path, dest: &Path) -> Result<(), HandlerError> {
        match &self.rotator {
            Some(rotator) => rotator(source, dest).map_err(|e| {
                rotation_error(
                    &format!(
                        "the rotator failed for '{}' to '{}'",
                        source.display(),
                        dest.display()
                    ),
                    &e,
                )
            }),
            None if source.exists() => rename(source, dest),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for RotationHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RotationHooks")
            .field("namer", &self.namer.is_some())
            .field("rotator", &self.rotator.is_some())
            .finish()
    }
}
