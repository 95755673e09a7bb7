//! `LOGKIT_LEVEL` and `RUST_LOG`: levels from the environment, applied from the first record
//! and again on top of any configuration.
//!
//! `LOGKIT_LEVEL` holds comma-separated directives, in the convention of Rust's `RUST_LOG`:
//! a bare level sets the root logger's level, `name=level` sets that logger's. Level names
//! are matched without regard to case (`debug`, `WARNING`, `warn`, `trace`, `off`) or given
//! as numbers; a name may be dotted (`app.db`) or a Rust path (`app::db`, the same logger):
//!
//! ```text
//! LOGKIT_LEVEL=warning,app.db=debug,app.http=25
//! ```
//!
//! When `LOGKIT_LEVEL` is not set, `RUST_LOG` is read with the same rules plus env_logger's
//! bare target (`RUST_LOG=hyper` sets `hyper` to TRACE). What logkit's levels cannot
//! express — span filters (`h2[conn]=debug`), field filters (`{id=1}`), a `/regex` — is an
//! error naming the directive.
//!
//! The levels apply when the logger tree is first used (so in a program that never calls a
//! configuration function too), and `file_config`, `dict_config` and `basic_config` apply
//! them again as part of the configuration they install, so the environment wins over the
//! file; [`apply_env`] applies them on demand. A directive that does not parse is reported
//! once on stderr and skipped; the others apply: a typo in the environment must not stop a
//! program from starting.

use std::io::Write as _;
use std::sync::{Mutex, PoisonError};

use crate::error::{Error, ErrorKind};
use crate::level::Level;
use crate::limits::MAX_LOGGER_NAME;
use crate::logger::tree::{Draft, Registry, registry};

/// The environment variable read by [`apply_env`] and the configuration functions.
pub const LEVEL_ENV: &str = "LOGKIT_LEVEL";

/// Read instead of [`LEVEL_ENV`] when that is not set, with env_logger's conventions.
pub const RUST_LOG_ENV: &str = "RUST_LOG";

/// Which variable's conventions a text follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Logkit,
    RustLog,
}

impl Syntax {
    fn variable(self) -> &'static str {
        match self {
            Syntax::Logkit => LEVEL_ENV,
            Syntax::RustLog => RUST_LOG_ENV,
        }
    }
}

/// Parsed directives, and what could not be parsed.
#[derive(Debug, Default)]
pub(crate) struct EnvLevels {
    root: Option<Level>,
    loggers: Vec<(String, Level)>,
    /// The whole error for the directives that were skipped, if any.
    error: Option<Error>,
}

impl EnvLevels {
    /// Reads `LOGKIT_LEVEL`, or `RUST_LOG` when it is unset (empty when neither is set).
    pub(crate) fn from_env() -> EnvLevels {
        for syntax in [Syntax::Logkit, Syntax::RustLog] {
            match std::env::var(syntax.variable()) {
                Ok(text) => return EnvLevels::parse_as(&text, syntax),
                Err(std::env::VarError::NotPresent) => {}
                Err(std::env::VarError::NotUnicode(_)) => {
                    return EnvLevels {
                        error: Some(Error::new(
                            ErrorKind::Config,
                            format!("{} is not valid UTF-8; it is ignored", syntax.variable()),
                        )),
                        ..EnvLevels::default()
                    };
                }
            }
        }
        EnvLevels::default()
    }

    /// [`from_env`](Self::from_env), with its error (if any) reported on stderr once per
    /// process and value.
    pub(crate) fn from_env_reported() -> EnvLevels {
        let env = EnvLevels::from_env();
        if let Some(e) = &env.error {
            report_once(e);
        }
        env
    }

    /// Directives in `LOGKIT_LEVEL`'s conventions.
    #[cfg(test)]
    pub(crate) fn parse(text: &str) -> EnvLevels {
        EnvLevels::parse_as(text, Syntax::Logkit)
    }

    /// Reads `text` as `LOGKIT_LEVEL` and as `RUST_LOG` (the `level_env` fuzz target).
    #[cfg(feature = "fuzzing")]
    pub(crate) fn fuzz_entry(text: &str) {
        drop(EnvLevels::parse_as(text, Syntax::Logkit));
        drop(EnvLevels::parse_as(text, Syntax::RustLog));
    }

    fn parse_as(text: &str, syntax: Syntax) -> EnvLevels {
        let mut out = EnvLevels::default();
        let mut bad: Vec<String> = Vec::new();
        for directive in text.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            match parse_directive(directive, syntax) {
                Ok((None, level)) => out.root = Some(level),
                Ok((Some(name), level)) => {
                    out.loggers.retain(|(n, _)| *n != name);
                    out.loggers.push((name, level));
                }
                Err(why) => bad.push(why),
            }
        }
        if !bad.is_empty() {
            let example = match syntax {
                Syntax::Logkit => "`warning,app.db=debug`",
                Syntax::RustLog => "`warn,hyper::proto=debug`",
            };
            out.error = Some(Error::new(
                ErrorKind::Config,
                format!(
                    "{}={text:?}: {}; skipped, the other directives apply (write `level` for \
                     the root logger or `logger.name=level`, separated by commas, as in \
                     {example})",
                    syntax.variable(),
                    bad.join("; ")
                ),
            ));
        }
        out
    }

    /// The error for the directives that could not be parsed.
    #[cfg(test)]
    pub(crate) fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// The node ids of the named loggers, created if needed.
    pub(crate) fn node_ids(&self, reg: &mut Registry) -> Vec<usize> {
        self.loggers
            .iter()
            .map(|(name, _)| reg.get_or_create(name).id)
            .collect()
    }

    /// Sets the levels in `draft`; `ids` from [`EnvLevels::node_ids`].
    pub(crate) fn apply(&self, draft: &mut Draft, ids: &[usize]) {
        let mut set = |id: usize, level: Level| draft.update(id, |c| c.level = level);
        if let Some(level) = self.root {
            set(0, level);
        }
        for (&id, (_, level)) in ids.iter().zip(&self.loggers) {
            set(id, *level);
        }
    }

    fn is_empty(&self) -> bool {
        self.root.is_none() && self.loggers.is_empty()
    }

    /// Sets the levels in the logger tree now.
    pub(crate) fn install(&self) {
        if !self.is_empty() {
            self.install_locked(&mut registry());
        }
    }

    /// Sets the levels in the logger tree now, under the writer lock already taken.
    pub(crate) fn install_locked(&self, reg: &mut Registry) {
        if self.is_empty() {
            return;
        }
        let ids = self.node_ids(reg);
        let mut draft = reg.draft();
        self.apply(&mut draft, &ids);
        reg.publish(draft);
    }
}

/// One directive: the logger's name (`None` for root) and its level, or why it does not
/// parse.
fn parse_directive(directive: &str, syntax: Syntax) -> Result<(Option<String>, Level), String> {
    if syntax == Syntax::RustLog {
        if let Some(at) = directive.find(['[', '{', '/']) {
            let what = match &directive[at..at + 1] {
                "/" => "a `/regex` message filter",
                "{" => "a field filter",
                _ => "a span filter",
            };
            return Err(format!(
                "'{directive}' has {what}, which logkit's logger levels cannot express \
                 (keep `target=level`)"
            ));
        }
    }
    let (name, level) = match directive.split_once('=') {
        Some((name, level)) => (name.trim(), level.trim()),
        None => match (parse_level(directive), syntax) {
            (Some(level), _) => return Ok((None, level)),
            // env_logger: a bare target enables all of its records.
            (None, Syntax::RustLog) => (directive, "trace"),
            (None, Syntax::Logkit) => ("", directive),
        },
    };
    let level =
        parse_level(level).ok_or_else(|| format!("unknown level '{level}' in '{directive}'"))?;
    let name = name.replace("::", ".");
    if name.len() > MAX_LOGGER_NAME {
        let start: String = name.chars().take(40).collect();
        return Err(format!(
            "the logger name '{start}…' is {} bytes long, more than {MAX_LOGGER_NAME} \
             (logkit's maximum)",
            name.len()
        ));
    }
    Ok(match name.as_str() {
        "" | "root" => (None, level),
        _ => (Some(name), level),
    })
}

/// A level name in any case (`warn` for WARNING, as Rust users write it), `off`, or a
/// number.
fn parse_level(text: &str) -> Option<Level> {
    if let Ok(n) = text.parse::<i32>() {
        return Some(Level::new(n));
    }
    let upper = text.to_ascii_uppercase();
    let upper = match upper.as_str() {
        "WARN" => "WARNING",
        "FATAL" => "CRITICAL",
        "OFF" => return Some(Level::new(i32::MAX)),
        other => other,
    };
    Level::from_name(upper)
}

/// Prints `error` on stderr, unless the same text was printed before.
fn report_once(error: &Error) {
    static REPORTED: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let text = error.to_string();
    let mut reported = REPORTED.lock().unwrap_or_else(PoisonError::into_inner);
    if reported.contains(&text) {
        return;
    }
    let _ = writeln!(std::io::stderr(), "logkit: {text}");
    reported.push(text);
}

/// Applies `LOGKIT_LEVEL` (or `RUST_LOG`) to the logger tree now.
///
/// # Errors
///
/// Directives that do not parse, naming them; the other directives are applied.
///
/// # Examples
///
/// ```
/// use logkit::config::apply_env;
/// // With LOGKIT_LEVEL=warning,app.db=debug the root logger gets WARNING and `app.db` DEBUG.
/// apply_env()?;
/// # Ok::<(), logkit::Error>(())
/// ```
pub fn apply_env() -> Result<(), Error> {
    let env = EnvLevels::from_env();
    env.install();
    match env.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        let e = EnvLevels::parse("warn, app.db=DEBUG ,app.http=25,,x=info,x=error,a::b=trace");
        assert!(e.error.is_none());
        assert_eq!(e.root, Some(Level::WARNING));
        assert_eq!(
            e.loggers,
            vec![
                ("app.db".to_owned(), Level::DEBUG),
                ("app.http".to_owned(), Level::new(25)),
                ("x".to_owned(), Level::ERROR),
                ("a.b".to_owned(), Level::TRACE),
            ]
        );
        assert!(EnvLevels::parse("").is_empty());
    }

    #[test]
    fn a_bad_directive_is_named_and_the_others_apply() {
        let e = EnvLevels::parse("app=loud,db=debug");
        let err = e.error().unwrap().to_string();
        assert!(err.contains("unknown level 'loud' in 'app=loud'"), "{err}");
        assert!(err.contains("LOGKIT_LEVEL"), "{err}");
        assert_eq!(e.loggers, vec![("db".to_owned(), Level::DEBUG)]);
        // A bare word is a level in LOGKIT_LEVEL.
        assert!(EnvLevels::parse("hyper").error().is_some());
    }

    #[test]
    fn rust_log_conventions() {
        let e = EnvLevels::parse_as("info,hyper::proto=off,tokio,h2=WARN", Syntax::RustLog);
        assert!(e.error.is_none(), "{:?}", e.error);
        assert_eq!(e.root, Some(Level::INFO));
        assert_eq!(
            e.loggers,
            vec![
                ("hyper.proto".to_owned(), Level::new(i32::MAX)),
                ("tokio".to_owned(), Level::TRACE),
                ("h2".to_owned(), Level::WARNING),
            ]
        );
        for (spec, what) in [
            ("h2[conn]=debug", "a span filter"),
            ("[{id=1}]=trace", "a span filter"),
            ("app{id=1}=trace", "a field filter"),
            ("info/foo", "a `/regex` message filter"),
        ] {
            let e = EnvLevels::parse_as(&format!("{spec},db=debug"), Syntax::RustLog);
            let err = e.error().unwrap().to_string();
            assert!(err.starts_with("RUST_LOG="), "{err}");
            assert!(err.contains(&format!("'{spec}' has {what}")), "{err}");
            assert_eq!(e.loggers.last().unwrap().0, "db", "{spec}");
        }
    }
}
