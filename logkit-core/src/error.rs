//! The error of setting logging up: what failed, on what, and why.

use std::fmt;
use std::io;
use std::path::Path;

/// An error from building a handler, a formatter or a configuration.
///
/// The message names the thing (a file, a template, a level) and the reason. `Debug` prints
/// it as `main` shows an error it returns: the message, then each cause on a line of its own
/// (`{:#?}` gives the struct).
///
/// # Examples
///
/// ```
/// use logkit::FileHandler;
///
/// let err = FileHandler::new("/nonexistent-dir/app.log").unwrap_err();
/// let text = err.to_string();
/// assert!(text.contains("/nonexistent-dir/app.log"), "{text}");
/// assert!(text.contains("No such file or directory"), "{text}");
/// // As `main` prints it: the message, then the cause.
/// assert_eq!(
///     format!("{err:?}"),
///     "cannot open log file (mode 'a') '/nonexistent-dir/app.log'\n\n\
///      Caused by:\n    No such file or directory (os error 2)"
/// );
/// ```
pub struct Error {
    kind: ErrorKind,
    context: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The kinds of [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be opened or written.
    Io,
    /// A template did not parse.
    Template,
    /// A level name is not registered.
    Level,
    /// Arguments that do not go together, or a value out of range.
    InvalidArgument,
    /// A configuration file or value is malformed.
    Config,
    /// Something set once per process (the `log` facade's logger, the global `tracing`
    /// subscriber) was already set by another library.
    AlreadySet,
}

impl Error {
    /// An error of `kind` described by `context`.
    pub fn new(kind: ErrorKind, context: impl Into<String>) -> Self {
        Error {
            kind,
            context: context.into(),
            source: None,
        }
    }

    /// With the underlying cause.
    #[must_use]
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// An I/O error on `path`: "cannot {action} '{path}': {reason}".
    pub fn io(action: &str, path: &Path, err: io::Error) -> Self {
        Error::new(
            ErrorKind::Io,
            format!("cannot {action} '{}'", path.display()),
        )
        .with_source(err)
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The description, without the cause.
    pub fn context(&self) -> &str {
        &self.context
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.context)?;
        if let Some(s) = &self.source {
            write!(f, ": {s}")?;
        }
        Ok(())
    }
}

/// The message first and its causes after, as `fn main() -> Result<(), logkit::Error>`
/// prints a failure:
///
/// ```text
/// Error: cannot open log file (mode 'a') '/var/log/app/app.log'
///
/// Caused by:
///     No such file or directory (os error 2)
/// ```
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            return f
                .debug_struct("Error")
                .field("kind", &self.kind)
                .field("context", &self.context)
                .field("source", &self.source)
                .finish();
        }
        f.write_str(&self.context)?;
        let mut cause = std::error::Error::source(self);
        if cause.is_none() {
            return Ok(());
        }
        f.write_str("\n\nCaused by:")?;
        let mut causes = Vec::new();
        while let Some(c) = cause {
            causes.push(c);
            cause = c.source();
        }
        let numbered = causes.len() > 1;
        for (i, c) in causes.iter().enumerate() {
            if numbered {
                write!(f, "\n    {i}: {c}")?;
            } else {
                write!(f, "\n    {c}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as _)
    }
}

impl From<crate::template::Error> for Error {
    fn from(e: crate::template::Error) -> Self {
        Error::new(ErrorKind::Template, "invalid template").with_source(e)
    }
}

impl From<crate::level::UnknownLevel> for Error {
    fn from(e: crate::level::UnknownLevel) -> Self {
        Error::new(ErrorKind::Level, e.to_string())
    }
}
