//! `LOGKIT_LEVEL`: levels from the environment, applied on top of any configuration.
//!
//! The variable holds comma-separated directives, in the convention of Rust's `RUST_LOG`:
//! a bare level sets the root logger's level, `name=level` sets that logger's. Level names
//! are matched without regard to case (`debug`, `WARNING`, `warn`) or given as numbers:
//!
//! ```text
//! LOGKIT_LEVEL=warning,app.db=debug,app.http=25
//! ```
//!
//! `file_config`, `dict_config` and `basic_config` apply it as part of the configuration
//! they install, so the environment wins over the file; [`apply_env`] applies it on demand.

use crate::error::{Error, ErrorKind};
use crate::level::Level;
use crate::logger::tree::{Config, LoggerConfig, Registry, registry};

/// The environment variable read by [`apply_env`] and the configuration functions.
pub const LEVEL_ENV: &str = "LOGKIT_LEVEL";

/// Parsed `LOGKIT_LEVEL` directives.
#[derive(Debug, Default)]
pub(crate) struct EnvLevels {
    root: Option<Level>,
    loggers: Vec<(String, Level)>,
}

impl EnvLevels {
    /// Reads and checks `LOGKIT_LEVEL` (empty when unset).
    pub(crate) fn from_env() -> Result<EnvLevels, Error> {
        match std::env::var(LEVEL_ENV) {
            Ok(text) => EnvLevels::parse(&text),
            Err(std::env::VarError::NotPresent) => Ok(EnvLevels::default()),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::new(
                ErrorKind::Config,
                format!("{LEVEL_ENV} is not valid UTF-8"),
            )),
        }
    }

    pub(crate) fn parse(text: &str) -> Result<EnvLevels, Error> {
        let mut out = EnvLevels::default();
        for directive in text.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            let bad = |why: String| {
                Error::new(
                    ErrorKind::Config,
                    format!(
                        "{LEVEL_ENV}={text:?}: {why} (write `level` for the root logger or \
                         `logger.name=level`, separated by commas, as in \
                         `warning,app.db=debug`)"
                    ),
                )
            };
            let (name, level) = match directive.split_once('=') {
                Some((name, level)) => (name.trim(), level.trim()),
                None => ("", directive),
            };
            let level = parse_level(level)
                .ok_or_else(|| bad(format!("unknown level '{level}' in '{directive}'")))?;
            if name.is_empty() || name == "root" {
                out.root = Some(level);
            } else {
                out.loggers.retain(|(n, _)| n != name);
                out.loggers.push((name.to_owned(), level));
            }
        }
        Ok(out)
    }

    /// The node ids of the named loggers, created if needed.
    pub(crate) fn node_ids(&self, reg: &mut Registry) -> Vec<usize> {
        self.loggers
            .iter()
            .map(|(name, _)| reg.get_or_create(name).id)
            .collect()
    }

    /// Sets the levels in `config`; `ids` from [`EnvLevels::node_ids`].
    pub(crate) fn apply(&self, config: &mut Config, ids: &[usize]) {
        let mut set = |id: usize, level: Level| {
            let mut c = LoggerConfig::clone(&config.loggers[id]);
            c.level = level;
            config.loggers[id] = std::sync::Arc::new(c);
        };
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
}

/// A level name in any case (`warn` for WARNING, as Rust users write it) or a number.
fn parse_level(text: &str) -> Option<Level> {
    if let Ok(n) = text.parse::<i32>() {
        return Some(Level::new(n));
    }
    let upper = text.to_ascii_uppercase();
    let upper = match upper.as_str() {
        "WARN" => "WARNING",
        "FATAL" => "CRITICAL",
        other => other,
    };
    Level::from_name(upper)
}

/// Applies `LOGKIT_LEVEL` to the logger tree now.
///
/// # Errors
///
/// A directive that does not parse, naming it; nothing is changed then.
///
/// # Examples
///
/// ```
/// use logkit_core::config::apply_env;
/// // With LOGKIT_LEVEL=warning,app.db=debug the root logger gets WARNING and `app.db` DEBUG.
/// apply_env()?;
/// # Ok::<(), logkit_core::Error>(())
/// ```
pub fn apply_env() -> Result<(), Error> {
    EnvLevels::from_env()?.install();
    Ok(())
}

impl EnvLevels {
    /// Sets the levels in the logger tree now.
    pub(crate) fn install(&self) {
        if self.is_empty() {
            return;
        }
        let mut reg = registry();
        let ids = self.node_ids(&mut reg);
        let mut config = reg.config();
        self.apply(&mut config, &ids);
        reg.publish(config);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        let e = EnvLevels::parse("warn, app.db=DEBUG ,app.http=25,,x=info,x=error").unwrap();
        assert_eq!(e.root, Some(Level::WARNING));
        assert_eq!(
            e.loggers,
            vec![
                ("app.db".to_owned(), Level::DEBUG),
                ("app.http".to_owned(), Level::new(25)),
                ("x".to_owned(), Level::ERROR)
            ]
        );
        assert!(EnvLevels::parse("").unwrap().is_empty());
        let err = EnvLevels::parse("app=loud").unwrap_err().to_string();
        assert!(err.contains("unknown level 'loud' in 'app=loud'"), "{err}");
        assert!(err.contains("LOGKIT_LEVEL"), "{err}");
    }
}
