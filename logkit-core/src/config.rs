//! Configuration from files and dictionaries, in CPython's formats: [`file_config`](fn@file_config) reads a
//! `logging.ini` written for `logging.config.fileConfig` unchanged, [`dict_config`](fn@dict_config) takes
//! the `dictConfig` schema (from Rust, JSON, TOML or any serde format), and
//! [`apply_env`] applies `LOGKIT_LEVEL=warning,app.db=debug` on top. With the `watch`
//! feature, `watch` applies a file again each time it changes (and on SIGHUP with the
//! `sighup` feature), a file that does not apply keeping the running configuration.
//!
//! Every configuration is read, checked and built completely — formatters, filters,
//! handlers (files opened), every reference resolved — before anything changes. It is then
//! installed as one snapshot: a thread that logs sees the old configuration or the new one,
//! never a mix, and never waits. An error names the file, the line, the section or key, and
//! leaves the running configuration as it was.
//!
//! Handler, formatter and filter classes are looked up by CPython's names (`StreamHandler`,
//! `logging.FileHandler`, `handlers.RotatingFileHandler`); applications register their own
//! with [`register_handler_class`] and its siblings.
//!
//! # Examples
//!
//! ```
//! use logkit::config::{self, ConfigValue};
//!
//! // A bad level: an error naming the key, and nothing changed.
//! let bad = ConfigValue::from_python(
//!     "{'version': 1, 'root': {'level': 'LOUD', 'handlers': []}}",
//! )?;
//! let err = config::dict_config(&bad).unwrap_err();
//! assert_eq!(err.to_string(), "dictConfig: root.level: Unknown level: 'LOUD'");
//! # Ok::<(), logkit::Error>(())
//! ```

mod apply;
mod classes;
mod depth;
mod dict_config;
pub(crate) mod env;
mod file_config;
mod ini;
mod pyliteral;
#[cfg(feature = "serde")]
mod serde;
mod value;
#[cfg(all(feature = "watch", unix))]
mod watch;

pub use classes::{
    BoundArgs, ClassArgs, FilterFactory, FormatterFactory, HandlerFactory, register_filter_class,
    register_formatter_class, register_handler_class,
};
pub use dict_config::{DictConfig, dict_config, dict_config_file};
pub use env::{LEVEL_ENV, RUST_LOG_ENV, apply_env};
pub use file_config::{FileConfig, file_config};
pub use value::ConfigValue;
#[cfg(all(feature = "watch", unix))]
pub use watch::{ConfigWatch, Reload, Trigger, Watch, WatchMethod, WatchStats, watch};

#[cfg(feature = "fuzzing")]
pub(crate) use {
    dict_config::fuzz_entry as fuzz_dict_config, file_config::fuzz_entry as fuzz_file_config,
};

/// `LOGKIT_LEVEL` and `RUST_LOG` directives read (the `level_env` fuzz target).
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_level_env(text: &str) {
    env::EnvLevels::fuzz_entry(text);
}
