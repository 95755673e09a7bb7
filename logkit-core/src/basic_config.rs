//! `basic_config()`: one call that gives the root logger a handler and a format, with
//! CPython's rules (spec §5).
//!
//! - If root already has handlers, nothing happens (unless `force`), and the call says so.
//! - `handlers` cannot go with `stream` or `filename`; `stream` cannot go with `filename`.
//!   These are checked before anything is created.
//! - Handlers without a formatter get the one built from `format`, `datefmt` and `style`.

use std::fmt;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use crate::config::env::EnvLevels;
use crate::error::{Error, ErrorKind};
use crate::format::{Color, Formatter};
use crate::handler::{FileHandler, FileMode, HandlerRef, IntoHandler, StreamHandler};
use crate::level::Level;
use crate::logger::root;
use crate::template::Style;

/// CPython's `BASIC_FORMAT`: the layout of `basic_config` when no format is given.
pub const BASIC_FORMAT: &str = "%(levelname)s:%(name)s:%(message)s";

/// What `basic_config` uses when no format is given: [`BASIC_FORMAT`] with the level name
/// coloured (colorlog's attributes). Where colours are off (a file, a pipe, `NO_COLOR`) it
/// prints CPython's bytes.
const BASIC_COLOR_FORMAT: [&str; 3] = [
    "%(log_color)s%(levelname)s%(reset)s:%(name)s:%(message)s",
    "{log_color}{levelname}{reset}:{name}:{message}",
    "${log_color}${levelname}${reset}:${name}:${message}",
];

/// What [`BasicConfig::init`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BasicConfigOutcome {
    /// Root was configured.
    Configured,
    /// Root already had handlers, so nothing was changed (pass `force(true)` to replace
    /// them).
    AlreadyConfigured,
}

/// Configures the root logger in one call (Python's `logging.basicConfig`).
///
/// # Examples
///
/// ```
/// use logkit::{basic_config, BasicConfigOutcome, Level};
///
/// let path = std::env::temp_dir().join(format!("logkit-basic-{}.log", std::process::id()));
/// let outcome = basic_config()
///     .filename(&path)
///     .filemode("w")
///     .level(Level::INFO)
///     .format("%(process)d-%(levelname)s-%(message)s")
///     .init()?;
/// assert_eq!(outcome, BasicConfigOutcome::Configured);
///
/// // A second call changes nothing while root has handlers.
/// assert_eq!(basic_config().level(Level::DEBUG).init()?, BasicConfigOutcome::AlreadyConfigured);
/// # logkit::shutdown();
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), logkit::Error>(())
/// ```
pub fn basic_config() -> BasicConfig {
    BasicConfig::default()
}

/// The options of [`basic_config`].
#[derive(Default)]
pub struct BasicConfig {
    level: Option<Level>,
    filename: Option<PathBuf>,
    filemode: Option<String>,
    format: Option<String>,
    datefmt: Option<String>,
    style: Style,
    stream: Option<Target>,
    handlers: Option<Vec<HandlerRef>>,
    force: bool,
    encoding: Option<String>,
    errors: Option<String>,
    skip_bridges: bool,
    color: Color,
}

enum Target {
    Stderr,
    Stdout,
    Writer(Box<dyn Write + Send>),
}

static LOCK: Mutex<()> = Mutex::new(());

impl BasicConfig {
    /// Sets the root logger's level.
    #[must_use]
    pub fn level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }

    /// Logs to this file (a [`FileHandler`]).
    #[must_use]
    pub fn filename(mut self, path: impl Into<PathBuf>) -> Self {
        self.filename = Some(path.into());
        self
    }

    /// The file's mode: `"a"` (default) or `"w"`.
    #[must_use]
    pub fn filemode(mut self, mode: &str) -> Self {
        self.filemode = Some(mode.to_owned());
        self
    }

    /// The record template (default [`BASIC_FORMAT`]).
    #[must_use]
    pub fn format(mut self, format: &str) -> Self {
        self.format = Some(format.to_owned());
        self
    }

    /// The `strftime` format of `asctime`.
    #[must_use]
    pub fn datefmt(mut self, datefmt: &str) -> Self {
        self.datefmt = Some(datefmt.to_owned());
        self
    }

    /// The template style (`%` by default).
    #[must_use]
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// Logs to stderr (the default).
    #[must_use]
    pub fn stderr(mut self) -> Self {
        self.stream = Some(Target::Stderr);
        self
    }

    /// Logs to stdout.
    #[must_use]
    pub fn stdout(mut self) -> Self {
        self.stream = Some(Target::Stdout);
        self
    }

    /// Logs to a writer (Python's `stream=`).
    #[must_use]
    pub fn stream(mut self, writer: impl Write + Send + 'static) -> Self {
        self.stream = Some(Target::Writer(Box::new(writer)));
        self
    }

    /// Attaches these handlers instead of creating one; those without a formatter get the
    /// basic one.
    #[must_use]
    pub fn handler(mut self, handler: impl IntoHandler) -> Self {
        self.handlers
            .get_or_insert_with(Vec::new)
            .push(handler.into_handler());
        self
    }

    /// Removes and closes root's handlers first, so the call always applies.
    #[must_use]
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// When the level name is coloured (with no [`format`](Self::format) given; a format
    /// naming colorlog's attributes follows it too): [`Color::Auto`], the default, on a
    /// terminal as the environment allows (`NO_COLOR`, `FORCE_COLOR`, `CLICOLOR_FORCE`);
    /// [`Color::Always`]; [`Color::Never`].
    #[must_use]
    pub fn color(mut self, color: Color) -> Self {
        self.color = color;
        self
    }

    /// Whether to install the bridges of the `log` and `tracing` facades (`true` by default),
    /// each where its facade has no logger or subscriber yet, so that what dependencies log
    /// reaches the tree. `false` leaves both facades alone.
    #[must_use]
    pub fn bridges(mut self, install: bool) -> Self {
        self.skip_bridges = !install;
        self
    }

    /// The file's encoding: UTF-8 (the default), ASCII or Latin-1, in any of CPython's
    /// names.
    #[must_use]
    pub fn encoding(mut self, encoding: &str) -> Self {
        self.encoding = Some(encoding.to_owned());
        self
    }

    /// What the file does with a character its encoding cannot represent:
    /// `backslashreplace` by default, as CPython's `basicConfig` (see
    /// [`FileHandlerBuilder::errors`](crate::FileHandlerBuilder::errors)).
    #[must_use]
    pub fn errors(mut self, errors: &str) -> Self {
        self.errors = Some(errors.to_owned());
        self
    }

    /// Applies the configuration.
    ///
    /// # Errors
    ///
    /// Options that do not go together, a template that does not parse, or a file that
    /// cannot be opened. Nothing is changed then.
    ///
    /// The levels in `LOGKIT_LEVEL` or `RUST_LOG` (see
    /// [`config::apply_env`](crate::config::apply_env)) are applied last, so the
    /// environment wins; a directive there that does not parse is reported on stderr and
    /// skipped. Unless [`bridges(false)`](Self::bridges) says not to, the bridges of the
    /// `log` and `tracing` facades are installed where the facade has no other logger.
    pub fn init(self) -> Result<BasicConfigOutcome, Error> {
        let skip_bridges = self.skip_bridges;
        let outcome = self.configure()?;
        if !skip_bridges {
            crate::bridge::install_defaults();
        }
        Ok(outcome)
    }

    fn configure(self) -> Result<BasicConfigOutcome, Error> {
        let _guard = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        let root = root();
        if !self.force && !root.handlers().is_empty() {
            return Ok(BasicConfigOutcome::AlreadyConfigured);
        }
        let env = EnvLevels::from_env_reported();
        if self.handlers.is_some() && (self.stream.is_some() || self.filename.is_some()) {
            return Err(invalid(
                "'stream' or 'filename' should not be specified together with 'handlers'",
            ));
        }
        if self.stream.is_some() && self.filename.is_some() {
            return Err(invalid(
                "'stream' and 'filename' should not be specified together",
            ));
        }
        let default_format = match self.style {
            Style::Percent => BASIC_COLOR_FORMAT[0],
            Style::Brace => BASIC_COLOR_FORMAT[1],
            Style::Dollar => BASIC_COLOR_FORMAT[2],
        };
        let mut formatter = Formatter::builder()
            .template(self.format.as_deref().unwrap_or(default_format))
            .style(self.style)
            .color(self.color)
            // The default layout resets after the level name; nothing else to end.
            .reset(self.format.is_some());
        if let Some(d) = &self.datefmt {
            formatter = formatter.datefmt(d);
        }
        let formatter = std::sync::Arc::new(formatter.build().map_err(|e| {
            Error::new(ErrorKind::Template, "basic_config: invalid format").with_source(e)
        })?);
        let handlers: Vec<HandlerRef> = match (self.handlers, self.filename, self.stream) {
            (Some(hs), _, _) => hs,
            (None, Some(path), _) => {
                let mode = FileMode::from_python(self.filemode.as_deref().unwrap_or("a"))?;
                let mut opts = FileHandler::options(path).mode(mode);
                if let Some(enc) = &self.encoding {
                    opts = opts.encoding(enc);
                }
                opts = opts.errors(self.errors.as_deref().unwrap_or("backslashreplace"));
                vec![opts.open()?.into_handler()]
            }
            (None, None, stream) => vec![
                match stream {
                    None | Some(Target::Stderr) => StreamHandler::stderr(),
                    Some(Target::Stdout) => StreamHandler::stdout(),
                    Some(Target::Writer(w)) => StreamHandler::new(w),
                }
                .into_handler(),
            ],
        };
        // Everything is built: only now are the old handlers replaced.
        if self.force {
            let old = root.handlers();
            for h in &old {
                root.remove_handler(&**h);
            }
            // A record another thread is still handing to one of them is written first.
            if !old.is_empty() {
                crate::logger::wait_for_readers();
            }
            for h in old {
                let _ = h.flush();
                let _ = h.close();
            }
        }
        for h in handlers {
            if h.core().formatter().is_none() {
                h.core().set_formatter(formatter.clone());
            }
            root.add_handler(h);
        }
        if let Some(level) = self.level {
            root.set_level(level);
        }
        env.install();
        Ok(BasicConfigOutcome::Configured)
    }
}

fn invalid(msg: &str) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("basic_config: {msg}"))
}

impl fmt::Debug for BasicConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicConfig")
            .field("level", &self.level)
            .field("filename", &self.filename)
            .field("filemode", &self.filemode)
            .field("format", &self.format)
            .field("datefmt", &self.datefmt)
            .field("style", &self.style)
            .field("force", &self.force)
            .field("bridges", &!self.skip_bridges)
            .field("color", &self.color)
            .finish_non_exhaustive()
    }
}
