//! `NullHandler`: counts as a handler and writes nothing.

use super::{Handler, HandlerCore, HandlerError};
use crate::record::Record;

/// Discards records (Python's `logging.NullHandler`).
///
/// A library attaches one to its top logger so that, when the application configures
/// nothing, its records are not printed by the last-resort handler.
///
/// # Examples
///
/// ```
/// use logkit::{get_logger, NullHandler};
///
/// get_logger("mylib").add_handler(NullHandler::new());
/// ```
#[derive(Debug, Default)]
pub struct NullHandler {
    core: HandlerCore,
}

impl NullHandler {
    /// A new null handler.
    pub fn new() -> Self {
        NullHandler::default()
    }
}

impl Handler for NullHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, _record: &Record<'_>) -> Result<(), HandlerError> {
        Ok(())
    }
}
