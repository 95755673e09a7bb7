//! A configuration being changed under the writer lock: a copy of the current snapshot (which
//! shares all but what is changed) and the loggers changed so far, which is all that
//! [`Registry::publish`](super::Registry::publish) looks at.

use std::sync::Arc;

use super::{Config, LoggerConfig};

/// The next configuration, before it is published.
#[derive(Debug)]
pub(crate) struct Draft {
    /// The snapshot this draft started from.
    pub(super) base: Arc<Config>,
    pub(super) config: Config,
    /// The ids of the loggers changed (possibly repeated).
    pub(super) changed: Vec<usize>,
    /// Snapshot nodes copied so far.
    pub(super) copied: usize,
}

impl Draft {
    /// A draft starting from `base`.
    pub(super) fn new(base: Arc<Config>) -> Self {
        Draft {
            config: Config::clone(&base),
            base,
            changed: Vec::new(),
            copied: 0,
        }
    }

    /// Changes the configuration of logger `id` (if it exists) with `f`.
    pub(crate) fn update(&mut self, id: usize, f: impl FnOnce(&mut LoggerConfig)) {
        let Some(current) = self.config.loggers.get(id) else {
            return;
        };
        let mut c = LoggerConfig::clone(current);
        f(&mut c);
        self.copied += self.config.loggers.set(id, Arc::new(c));
        self.changed.push(id);
    }

    /// Adds the configuration of a new logger, whose id is the next one.
    pub(super) fn push(&mut self, config: LoggerConfig) {
        self.copied += self.config.loggers.push(Arc::new(config));
    }

    /// Sets the level of `logging.disable`.
    pub(crate) fn set_disable(&mut self, level: i32) {
        self.config.disable = level;
    }
}
