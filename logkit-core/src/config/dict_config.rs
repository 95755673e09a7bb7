//! `dict_config`: CPython's `logging.config.dictConfig` schema, from a [`ConfigValue`] —
//! built in Rust, read from JSON or TOML, or deserialized with serde as part of an
//! application's own configuration.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use super::apply::{HandlerPlan, LoggerPlan, ObjectPlan, Plan, Ref, install};
use super::classes::{self, level_value};
use super::depth::deeper_than_max;
use super::{ClassArgs, ConfigValue};
use crate::error::{Error, ErrorKind};
use crate::limits::{MAX_CFG_COPIES, MAX_CONFIG_DEPTH, MAX_LOGGER_NAME};

/// Configures logging from a dictConfig dictionary (version 1 of CPython's schema).
///
/// `formatters`, `filters`, `handlers`, `loggers`, `root`, `incremental` and
/// `disable_existing_loggers` mean what they mean in CPython; strings `ext://sys.stdout`
/// name streams and `cfg://handlers.h1.level` refers to another value of the dictionary.
///
/// # Errors
///
/// A malformed dictionary, an unknown class, level, formatter, filter or handler, or a
/// handler that cannot be built: the error gives the path of the key (`handlers.console.
/// level`). Nothing changes then.
///
/// # Examples
///
/// ```
/// use logkit::config::{dict_config, ConfigValue};
///
/// let config = ConfigValue::from_python("{
///     'version': 1,
///     'formatters': {'brief': {'format': '%(levelname)s:%(name)s:%(message)s'}},
///     'handlers': {'console': {'class': 'logging.StreamHandler', 'formatter': 'brief',
///                              'level': 'INFO', 'stream': 'ext://sys.stdout'}},
///     'loggers': {'app.db': {'level': 'DEBUG', 'handlers': ['console'], 'propagate': False}},
///     'root': {'level': 'WARNING'},
/// }")?;
/// dict_config(&config)?;
/// assert_eq!(logkit::get_logger("app.db").handlers().len(), 1);
/// # Ok::<(), logkit::Error>(())
/// ```
pub fn dict_config(config: &ConfigValue) -> Result<(), Error> {
    DictConfig::new(config).apply()
}

/// Configures logging from a dictConfig file: JSON (`.json`, with the `json` feature) or
/// TOML (`.toml`, with the `toml` feature), chosen by the extension.
///
/// # Errors
///
/// The file cannot be read or parsed (with its line and column), or see [`dict_config`].
///
/// # Examples
///
/// ```no_run
/// logkit::config::dict_config_file("logging.toml")?;
/// # Ok::<(), logkit::Error>(())
/// ```
pub fn dict_config_file(path: impl AsRef<Path>) -> Result<(), Error> {
    DictConfig::file(path).apply()
}

/// The options of [`dict_config`] and [`dict_config_file`]: whether to install the bridges
/// of the `log` and `tracing` facades.
///
/// # Examples
///
/// ```
/// use logkit::config::{ConfigValue, DictConfig};
///
/// let config = ConfigValue::from_python("{'version': 1, 'root': {'level': 'INFO'}}")?;
/// DictConfig::new(&config).bridges(false).apply()?;
/// assert!(!logkit::log_bridge::is_installed());
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DictConfig<'a> {
    source: DictSource<'a>,
    bridges: bool,
}

#[derive(Debug, Clone)]
enum DictSource<'a> {
    Value(&'a ConfigValue),
    File(PathBuf),
}

impl<'a> DictConfig<'a> {
    /// Configures from a dictionary when applied.
    pub fn new(config: &'a ConfigValue) -> Self {
        DictConfig {
            source: DictSource::Value(config),
            bridges: true,
        }
    }

    /// Configures from a JSON or TOML file when applied (see [`dict_config_file`]).
    pub fn file(path: impl AsRef<Path>) -> Self {
        DictConfig {
            source: DictSource::File(path.as_ref().to_owned()),
            bridges: true,
        }
    }

    /// Whether to install the bridges of the `log` and `tracing` facades (`true` by default),
    /// each where its facade has no logger or subscriber yet, as
    /// [`BasicConfig::bridges`](crate::BasicConfig::bridges) does.
    #[must_use]
    pub fn bridges(mut self, install: bool) -> Self {
        self.bridges = install;
        self
    }

    /// Reads, checks and builds the configuration, then installs it in one step.
    ///
    /// # Errors
    ///
    /// See [`dict_config`] and [`dict_config_file`].
    pub fn apply(self) -> Result<(), Error> {
        match &self.source {
            DictSource::Value(config) => install(read("dictConfig", config)?)?,
            DictSource::File(path) => install_file(path)?,
        }
        if self.bridges {
            crate::bridge::install_defaults();
        }
        Ok(())
    }
}

fn install_file(path: &Path) -> Result<(), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
    install_text(path, &text)
}

/// Installs the dictConfig `text` read from `path`, in the format its extension names (the
/// configuration watcher, which has read the file already).
pub(crate) fn install_text(path: &Path, text: &str) -> Result<(), Error> {
    let name = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let value = match ext.as_deref() {
        Some("json") => parse_json(&name, text)?,
        Some("toml") => parse_toml(&name, text)?,
        _ => {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "{name}: cannot tell the format from the extension (use .json or .toml, \
                     or read the file yourself and call dict_config)"
                ),
            ));
        }
    };
    install(read(&name, &value)?)
}

/// Reads and builds a dictConfig given as JSON, TOML and a Python literal, without
/// installing it (the `dict_config` fuzz target).
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_entry(text: &str) {
    for value in [
        parse_json("fuzz.json", text),
        parse_toml("fuzz.toml", text),
        ConfigValue::from_python(text),
    ]
    .into_iter()
    .flatten()
    {
        drop(read("dictConfig", &value));
    }
}

#[cfg(feature = "json")]
fn parse_json(name: &str, text: &str) -> Result<ConfigValue, Error> {
    ConfigValue::from_json(text).map_err(|e| prefix(name, e))
}

#[cfg(not(feature = "json"))]
fn parse_json(name: &str, _text: &str) -> Result<ConfigValue, Error> {
    Err(Error::new(
        ErrorKind::Config,
        format!("{name}: reading JSON needs logkit's `json` feature"),
    ))
}

#[cfg(feature = "toml")]
fn parse_toml(name: &str, text: &str) -> Result<ConfigValue, Error> {
    ConfigValue::from_toml(text).map_err(|e| prefix(name, e))
}

#[cfg(not(feature = "toml"))]
fn parse_toml(name: &str, _text: &str) -> Result<ConfigValue, Error> {
    Err(Error::new(
        ErrorKind::Config,
        format!("{name}: reading TOML needs logkit's `toml` feature"),
    ))
}

#[cfg(any(feature = "json", feature = "toml"))]
fn prefix(name: &str, e: Error) -> Error {
    Error::new(ErrorKind::Config, name.to_owned()).with_source(e)
}

/// Reading one dictionary: the source's name, the whole dictionary (for `cfg://`), and how
/// many more values `cfg://` references may copy.
struct Reader<'a> {
    source: &'a str,
    root: &'a ConfigValue,
    copies_left: Cell<usize>,
}

/// Where [`Reader::resolve_in`] is: how many `cfg://` references it followed to get there,
/// and how many tuples, lists and dicts it is inside.
#[derive(Clone, Copy, Debug, Default)]
struct Walk {
    hops: usize,
    nesting: usize,
}

impl<'a> Reader<'a> {
    fn at(&self, path: &str) -> String {
        format!("{}: {path}", self.source)
    }

    fn err(&self, path: &str, why: impl std::fmt::Display) -> Error {
        Error::new(ErrorKind::Config, format!("{}: {why}", self.at(path)))
    }

    fn dict<'v>(
        &self,
        path: &str,
        v: &'v ConfigValue,
    ) -> Result<&'v [(String, ConfigValue)], Error> {
        match v {
            ConfigValue::Dict(items) => Ok(items),
            other => Err(self.err(
                path,
                format!("expected a dictionary, found {} {other}", other.type_name()),
            )),
        }
    }

    /// A top-level section (`formatters`, `handlers`, …), which may be a `cfg://`
    /// reference to a dictionary elsewhere in the configuration (followed as CPython
    /// follows it, at most 10 in a chain).
    fn section(&self, key: &str) -> Result<&'a [(String, ConfigValue)], Error> {
        let mut value = match self.root.get(key) {
            None | Some(ConfigValue::None) => return Ok(&[]),
            Some(v) => v,
        };
        let mut hops = 0;
        while let ConfigValue::Str(s) = value {
            let Some(path) = s.strip_prefix("cfg://") else {
                break;
            };
            hops += 1;
            if hops > 10 {
                return Err(self.err(key, "cfg:// references nest too deep (a loop?)"));
            }
            value = cfg_lookup(self.root, path)
                .map_err(|why| self.err(key, format!("cannot resolve {s:?}: {why}")))?;
        }
        match value {
            ConfigValue::None => Ok(&[]),
            v => self.dict(key, v),
        }
    }

    /// A flag, true or false as Python's truth test decides (`propagate: 'false'` is true
    /// in CPython: a non-empty string).
    fn boolean(&self, path: &str, v: &ConfigValue) -> Result<bool, Error> {
        let v = self.resolve(path, v)?;
        v.truthy()
            .ok_or_else(|| self.err(path, format!("expected true or false, found {v}")))
    }

    fn string(&self, path: &str, v: &ConfigValue) -> Result<String, Error> {
        match self.resolve(path, v)? {
            ConfigValue::Str(s) => Ok(s),
            other => Err(self.err(path, format!("expected a string, found {other}"))),
        }
    }

    fn ids(&self, path: &str, v: &ConfigValue) -> Result<Vec<Ref>, Error> {
        let resolved = self.resolve(path, v)?;
        let Some(items) = resolved.as_sequence() else {
            return Err(self.err(path, format!("expected a list of ids, found {resolved}")));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let p = format!("{path}[{i}]");
                Ok(Ref {
                    id: self.string(&p, item)?,
                    at: self.at(&p),
                })
            })
            .collect()
    }

    /// Resolves `cfg://` references, deeply: at most 10 in a chain (CPython has no limit and
    /// recurses until `RecursionError`), values nested at most
    /// [`MAX_CONFIG_DEPTH`] levels once resolved, and at most [`MAX_CFG_COPIES`] values
    /// copied by references over the whole configuration.
    fn resolve(&self, path: &str, v: &ConfigValue) -> Result<ConfigValue, Error> {
        self.resolve_in(path, v, Walk::default())
    }

    fn resolve_in(&self, path: &str, v: &ConfigValue, walk: Walk) -> Result<ConfigValue, Error> {
        if walk.hops > 10 {
            return Err(self.err(path, "cfg:// references nest too deep (a loop?)"));
        }
        if walk.hops > 0 {
            // A value reached through a reference is copied.
            let left = self.copies_left.get().checked_sub(1).ok_or_else(|| {
                self.err(
                    path,
                    format!(
                        "cfg:// references copy more than {MAX_CFG_COPIES} values (logkit's \
                         maximum)"
                    ),
                )
            })?;
            self.copies_left.set(left);
        }
        let inner = || {
            if walk.nesting >= MAX_CONFIG_DEPTH {
                return Err(self.err(
                    path,
                    format!(
                        "values nest deeper than {MAX_CONFIG_DEPTH} levels once cfg:// \
                         references are resolved (logkit's maximum)"
                    ),
                ));
            }
            Ok(Walk {
                nesting: walk.nesting + 1,
                ..walk
            })
        };
        Ok(match v {
            ConfigValue::Str(s) if s.starts_with("cfg://") => {
                let target = cfg_lookup(self.root, &s["cfg://".len()..])
                    .map_err(|why| self.err(path, format!("cannot resolve {s:?}: {why}")))?;
                let next = Walk {
                    hops: walk.hops + 1,
                    ..walk
                };
                self.resolve_in(path, target, next)?
            }
            ConfigValue::List(items) => {
                ConfigValue::List(self.resolve_all(path, items, inner()?)?)
            }
            ConfigValue::Tuple(items) => {
                ConfigValue::Tuple(self.resolve_all(path, items, inner()?)?)
            }
            ConfigValue::Dict(items) => {
                let walk = inner()?;
                ConfigValue::Dict(
                    items
                        .iter()
                        .map(|(k, i)| Ok((k.clone(), self.resolve_in(path, i, walk)?)))
                        .collect::<Result<_, Error>>()?,
                )
            }
            other => other.clone(),
        })
    }

    fn resolve_all(
        &self,
        path: &str,
        items: &[ConfigValue],
        walk: Walk,
    ) -> Result<Vec<ConfigValue>, Error> {
        items
            .iter()
            .map(|i| self.resolve_in(path, i, walk))
            .collect()
    }

    fn level(&self, path: &str, v: &ConfigValue) -> Result<crate::level::Level, Error> {
        level_value(&self.resolve(path, v)?).map_err(|e| self.err(path, e))
    }

    /// The `()` factory form: the class and the other keys as keyword arguments.
    fn custom(
        &self,
        path: &str,
        entry: &[(String, ConfigValue)],
    ) -> Result<Option<ClassArgs>, Error> {
        let Some((_, factory)) = entry.iter().find(|(k, _)| k == "()") else {
            return Ok(None);
        };
        let class = self.string(&format!("{path}.()"), factory)?;
        let mut args = ClassArgs::new(&class);
        for (k, v) in entry {
            if k == "()" || k == "." {
                continue;
            }
            // CPython renamed Formatter's `format` parameter to `fmt` and accepts both.
            let name = if k == "format" { "fmt" } else { k.as_str() };
            args = args.keyword(name, self.resolve(&format!("{path}.{k}"), v)?);
        }
        Ok(Some(args))
    }

    fn reject_properties(&self, path: &str, entry: &[(String, ConfigValue)]) -> Result<(), Error> {
        if entry.iter().any(|(k, _)| k == ".") {
            return Err(self.err(
                &format!("{path}.."),
                "setting attributes with '.' is not supported (pass them as arguments)",
            ));
        }
        Ok(())
    }
}

/// Follows `handlers.email.toaddrs[0]` through the dictionary.
fn cfg_lookup<'v>(root: &'v ConfigValue, path: &str) -> Result<&'v ConfigValue, String> {
    let mut cur = root;
    let mut rest = path;
    let mut first = true;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').ok_or("unclosed '['")?;
            let key = &after[..end];
            rest = &after[end + 1..];
            cur = match (cur, key.parse::<usize>()) {
                (ConfigValue::List(v) | ConfigValue::Tuple(v), Ok(i)) => v
                    .get(i)
                    .ok_or_else(|| format!("index {i} is out of range"))?,
                _ => cur.get(key).ok_or_else(|| format!("no key '{key}'"))?,
            };
            continue;
        }
        if !first {
            rest = rest.strip_prefix('.').ok_or("expected '.' or '['")?;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = &rest[..end];
        if key.is_empty() {
            return Err("empty key".into());
        }
        cur = cur.get(key).ok_or_else(|| format!("no key '{key}'"))?;
        rest = &rest[end..];
        first = false;
    }
    Ok(cur)
}

fn read(source: &str, config: &ConfigValue) -> Result<Plan, Error> {
    let r = Reader {
        source,
        root: config,
        copies_left: Cell::new(MAX_CFG_COPIES),
    };
    if let Some(path) = deeper_than_max(config) {
        return Err(r.err(
            &path,
            format!("values nest deeper than {MAX_CONFIG_DEPTH} levels (logkit's maximum)"),
        ));
    }
    let ConfigValue::Dict(_) = config else {
        return Err(Error::new(
            ErrorKind::Config,
            format!("{source}: a dictConfig configuration must be a dictionary, not {config}"),
        ));
    };
    match config.get("version") {
        None => {
            return Err(Error::new(
                ErrorKind::Config,
                format!("{source}: dictionary doesn't specify a version (add \"version\": 1)"),
            ));
        }
        Some(ConfigValue::Int(1)) => {}
        Some(other) => return Err(r.err("version", format!("Unsupported version: {other}"))),
    }
    let incremental = match config.get("incremental") {
        None => false,
        Some(v) => r.boolean("incremental", v)?,
    };
    let disable_existing = match config.get("disable_existing_loggers") {
        None => true,
        Some(v) => r.boolean("disable_existing_loggers", v)?,
    };
    let mut plan = Plan {
        incremental,
        disable_existing,
        formatter_list: "formatters",
        filter_list: "filters",
        handler_list: "handlers",
        ..Plan::default()
    };

    if !incremental {
        for (id, entry) in r.section("formatters")? {
            let path = format!("formatters.{id}");
            let e = r.dict(&path, entry)?;
            r.reject_properties(&path, e)?;
            let args = match r.custom(&path, e)? {
                Some(args) => args,
                None => {
                    let mut class = "Formatter".to_owned();
                    let mut args = Vec::new();
                    for (k, v) in e {
                        let p = format!("{path}.{k}");
                        match k.as_str() {
                            "class" => class = r.string(&p, v)?,
                            "format" => args.push(("fmt", r.resolve(&p, v)?)),
                            "datefmt" | "style" | "validate" | "defaults" | "escape" => {
                                args.push((k.as_str(), r.resolve(&p, v)?));
                            }
                            _ => {}
                        }
                    }
                    args.into_iter()
                        .fold(ClassArgs::new(&class), |a, (k, v)| a.keyword(k, v))
                }
            };
            plan.formatters.push(ObjectPlan {
                id: id.clone(),
                at: r.at(&path),
                args,
            });
        }
        for (id, entry) in r.section("filters")? {
            let path = format!("filters.{id}");
            let e = r.dict(&path, entry)?;
            r.reject_properties(&path, e)?;
            let args = match r.custom(&path, e)? {
                Some(args) => args,
                None => {
                    let name = match e.iter().find(|(k, _)| k == "name") {
                        Some((_, v)) => r.string(&format!("{path}.name"), v)?,
                        None => String::new(),
                    };
                    ClassArgs::new("Filter").keyword("name", name)
                }
            };
            plan.filters.push(ObjectPlan {
                id: id.clone(),
                at: r.at(&path),
                args,
            });
        }
    }

    // Handlers are built in sorted order of their ids, as CPython does.
    let mut handler_entries: Vec<&(String, ConfigValue)> = r.section("handlers")?.iter().collect();
    handler_entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, entry) in handler_entries {
        let path = format!("handlers.{id}");
        let e = r.dict(&path, entry)?;
        r.reject_properties(&path, e)?;
        let mut level = None;
        let mut formatter = None;
        let mut filters = Vec::new();
        let mut class = None;
        let mut kwargs = Vec::new();
        let mut targets = Vec::new();
        let class_name = e
            .iter()
            .find(|(k, _)| k == "class")
            .and_then(|(_, v)| v.as_str())
            .unwrap_or("");
        let handler_params = classes::handler_params(class_name);
        for (k, v) in e {
            let p = format!("{path}.{k}");
            match k.as_str() {
                param if !incremental && handler_params.contains(&param) => {
                    let refs = match v {
                        ConfigValue::Str(id) => vec![Ref {
                            id: id.clone(),
                            at: r.at(&p),
                        }],
                        _ => r.ids(&p, v)?,
                    };
                    let name = handler_params
                        .iter()
                        .find(|n| **n == param)
                        .copied()
                        .unwrap_or("handlers");
                    targets.push((name, refs));
                }
                "level" => level = Some(r.level(&p, v)?),
                "formatter" => {
                    formatter = Some(Ref {
                        id: r.string(&p, v)?,
                        at: r.at(&p),
                    });
                }
                "filters" => filters = r.ids(&p, v)?,
                "class" => class = Some(r.string(&p, v)?),
                "()" => {}
                _ => kwargs.push((k.clone(), r.resolve(&p, v)?)),
            }
        }
        let args = if incremental {
            ClassArgs::new("")
        } else if let Some(mut args) = r.custom(&path, e)? {
            // The `()` form: level, formatter and filters are not constructor arguments.
            args = ClassArgs::new(args.class());
            for (k, v) in kwargs {
                args = args.keyword(&k, v);
            }
            args
        } else {
            let class = class.ok_or_else(|| {
                r.err(
                    &path,
                    "missing 'class' (the handler class, such as logging.StreamHandler)",
                )
            })?;
            kwargs
                .into_iter()
                .fold(ClassArgs::new(&class), |a, (k, v)| a.keyword(&k, v))
        };
        plan.handlers.push(HandlerPlan {
            id: id.clone(),
            at: r.at(&path),
            args,
            level,
            formatter,
            filters,
            targets,
        });
    }

    let logger_plan = |path: &str, v: &ConfigValue| -> Result<LoggerPlan, Error> {
        let e = r.dict(path, v)?;
        let mut p = LoggerPlan::default();
        for (k, v) in e {
            let kp = format!("{path}.{k}");
            match k.as_str() {
                "level" => p.level = Some(r.level(&kp, v)?),
                "propagate" => p.propagate = Some(r.boolean(&kp, v)?),
                "handlers" if !incremental => p.handlers = Some(r.ids(&kp, v)?),
                "filters" if !incremental => p.filters = Some(r.ids(&kp, v)?),
                _ => {}
            }
        }
        Ok(p)
    };
    for (name, entry) in r.section("loggers")? {
        if name.len() > MAX_LOGGER_NAME {
            let start: String = name.chars().take(40).collect();
            return Err(r.err(
                &format!("loggers.{start}…"),
                format!(
                    "the logger name is {} bytes long, more than {MAX_LOGGER_NAME} (logkit's \
                     maximum)",
                    name.len()
                ),
            ));
        }
        let path = format!("loggers.{name}");
        let p = logger_plan(&path, entry)?;
        plan.loggers.push((name.clone(), p));
    }
    match config.get("root") {
        None | Some(ConfigValue::None) => {}
        Some(v) => {
            let mut p = logger_plan("root", v)?;
            p.propagate = None;
            plan.root = Some(p);
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfg_references() {
        let v = ConfigValue::from_python(
            "{'handlers': {'email': {'toaddrs': ['a@x', 'b@x'], 'level': 'ERROR'}}}",
        )
        .unwrap();
        assert_eq!(
            cfg_lookup(&v, "handlers.email.toaddrs[1]"),
            Ok(&ConfigValue::from("b@x"))
        );
        assert_eq!(
            cfg_lookup(&v, "handlers[email].level"),
            Ok(&ConfigValue::from("ERROR"))
        );
        assert!(
            cfg_lookup(&v, "handlers.sms")
                .unwrap_err()
                .contains("no key 'sms'")
        );
        assert!(cfg_lookup(&v, "handlers.email.toaddrs[5]").is_err());
    }
}
