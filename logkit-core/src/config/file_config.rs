//! `file_config`: CPython's `logging.config.fileConfig` INI format, read unchanged.

use std::path::{Path, PathBuf};

use super::ClassArgs;
use super::ConfigValue;
use super::apply::{HandlerPlan, LoggerPlan, ObjectPlan, Plan, Ref, install};
use super::classes;
use super::ini::{Ini, Line};
use crate::error::{Error, ErrorKind};
use crate::level::Level;
use crate::limits::MAX_LOGGER_NAME;

/// Configures logging from an INI file in CPython's `fileConfig` format.
///
/// Loggers that existed before and are not named in the file (nor below a logger named in
/// it) are disabled, as with CPython's default `disable_existing_loggers=True`; use
/// [`FileConfig`] for the other options. To apply the file again whenever it changes, see
/// `config::watch` (the `watch` feature).
///
/// # Errors
///
/// The file cannot be read, or something in it is malformed: the error names the file, the
/// line, the section and the key. Nothing changes then.
///
/// # Examples
///
/// ```
/// let path = std::env::temp_dir().join(format!("logkit-doc-{}.ini", std::process::id()));
/// std::fs::write(&path, "\
/// [loggers]
/// keys=root,sampleLogger
///
/// [handlers]
/// keys=consoleHandler
///
/// [formatters]
/// keys=sampleFormatter
///
/// [logger_root]
/// level=DEBUG
/// handlers=consoleHandler
///
/// [logger_sampleLogger]
/// level=DEBUG
/// handlers=consoleHandler
/// qualname=sampleLogger
/// propagate=0
///
/// [handler_consoleHandler]
/// class=StreamHandler
/// level=DEBUG
/// formatter=sampleFormatter
/// args=(sys.stdout,)
///
/// [formatter_sampleFormatter]
/// format=%(asctime)s - %(name)s - %(levelname)s - %(message)s
/// ")?;
/// logkit::config::file_config(&path)?;
/// let logger = logkit::get_logger("sampleLogger");
/// assert_eq!(logger.handlers().len(), 1);
/// assert!(!logger.propagate());
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn file_config(path: impl AsRef<Path>) -> Result<(), Error> {
    FileConfig::new(path).apply()
}

/// The options of [`file_config`]: `defaults`, `disable_existing_loggers`, `encoding`, and
/// reading from text instead of a file.
///
/// # Examples
///
/// ```
/// use logkit::config::FileConfig;
///
/// FileConfig::from_text("inline.ini", "\
/// [loggers]
/// keys=root
/// [handlers]
/// keys=file
/// [formatters]
/// keys=
/// [logger_root]
/// level=INFO
/// handlers=file
/// [handler_file]
/// class=FileHandler
/// args=('%(logdir)s/app.log', 'a')
/// kwargs={'delay': True}
/// ")
/// .defaults([("logdir", std::env::temp_dir().to_str().unwrap())])
/// .disable_existing_loggers(false)
/// .apply()?;
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FileConfig {
    source: Source,
    defaults: Vec<(String, String)>,
    disable_existing_loggers: bool,
    encoding: Option<String>,
    bridges: bool,
}

#[derive(Debug, Clone)]
enum Source {
    Path(PathBuf),
    Text { name: String, text: String },
}

impl FileConfig {
    /// Reads the configuration from `path` when applied.
    pub fn new(path: impl AsRef<Path>) -> Self {
        FileConfig::with_source(Source::Path(path.as_ref().to_owned()))
    }

    /// Reads the configuration from `text`; `name` stands for the file in error messages.
    pub fn from_text(name: &str, text: &str) -> Self {
        FileConfig::with_source(Source::Text {
            name: name.to_owned(),
            text: text.to_owned(),
        })
    }

    fn with_source(source: Source) -> Self {
        FileConfig {
            source,
            defaults: Vec::new(),
            disable_existing_loggers: true,
            encoding: None,
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

    /// Values visible in every section, as if written in `[DEFAULT]` (Python's `defaults=`).
    #[must_use]
    pub fn defaults<K: Into<String>, V: Into<String>>(
        mut self,
        defaults: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.defaults = defaults
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self
    }

    /// Whether loggers that exist and are not configured by the file are disabled (`true`,
    /// CPython's default) or left enabled — and re-enabled if they were disabled.
    #[must_use]
    pub fn disable_existing_loggers(mut self, disable: bool) -> Self {
        self.disable_existing_loggers = disable;
        self
    }

    /// The file's encoding: UTF-8 (the default), `utf-8-sig`, ASCII or Latin-1.
    #[must_use]
    pub fn encoding(mut self, encoding: &str) -> Self {
        self.encoding = Some(encoding.to_owned());
        self
    }

    /// Reads, checks and builds the configuration, then installs it in one step.
    ///
    /// # Errors
    ///
    /// See [`file_config`].
    pub fn apply(self) -> Result<(), Error> {
        let (name, text) = match &self.source {
            Source::Path(path) => {
                let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
                (
                    path.display().to_string(),
                    decode(&bytes, self.encoding.as_deref(), path)?,
                )
            }
            Source::Text { name, text } => (name.clone(), text.clone()),
        };
        let plan = read(&name, &text, &self.defaults, self.disable_existing_loggers)?;
        install(plan)?;
        if self.bridges {
            crate::bridge::install_defaults();
        }
        Ok(())
    }
}

/// The text of `path`'s `bytes` in `encoding` (UTF-8 unless given).
pub(crate) fn decode(bytes: &[u8], encoding: Option<&str>, path: &Path) -> Result<String, Error> {
    let norm = encoding
        .unwrap_or("utf-8")
        .to_ascii_lowercase()
        .replace('_', "-");
    let invalid = |enc: &str| {
        Error::new(
            ErrorKind::Config,
            format!("'{}' is not valid {enc}", path.display()),
        )
    };
    match norm.as_str() {
        "utf-8" | "utf8" | "utf-8-sig" | "locale" => {
            String::from_utf8(bytes.to_vec()).map_err(|_| invalid("UTF-8"))
        }
        "ascii" | "us-ascii" => {
            if bytes.is_ascii() {
                Ok(String::from_utf8_lossy(bytes).into_owned())
            } else {
                Err(invalid("ASCII"))
            }
        }
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" => {
            Ok(bytes.iter().map(|&b| char::from(b)).collect())
        }
        _ => Err(Error::new(
            ErrorKind::Config,
            format!(
                "unsupported encoding '{}' for '{}' (logkit reads UTF-8, ASCII and Latin-1)",
                encoding.unwrap_or_default(),
                path.display()
            ),
        )),
    }
}

/// Reading one file: its name for messages, and the parsed INI.
struct Reader<'a> {
    file: &'a str,
    ini: Ini,
}

impl Reader<'_> {
    fn at(&self, line: Line, section: &str, key: Option<&str>) -> String {
        match key {
            Some(k) => format!("{}:{line}: [{section}] {k}", self.file),
            None => format!("{}:{line}: [{section}]", self.file),
        }
    }

    fn err(&self, line: Line, section: &str, key: Option<&str>, why: &str) -> Error {
        Error::new(
            ErrorKind::Config,
            format!("{}: {why}", self.at(line, section, key)),
        )
    }

    fn require_section(&self, section: &str, why: &str) -> Result<Line, Error> {
        self.ini.section_line(section).ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                format!("{}: missing section [{section}] ({why})", self.file),
            )
        })
    }

    /// An interpolated value, if present.
    fn get(&self, section: &str, key: &str) -> Result<Option<(String, Line)>, Error> {
        match self.ini.get(section, key) {
            None => Ok(None),
            Some(Ok(v)) => Ok(Some(v)),
            Some(Err(e)) => Err(self.err(e.line, section, Some(key), &e.message)),
        }
    }

    /// A value that must be present.
    fn require(&self, section: &str, key: &str, why: &str) -> Result<(String, Line), Error> {
        self.get(section, key)?.ok_or_else(|| {
            let line = self.ini.section_line(section).unwrap_or(0);
            self.err(line, section, None, &format!("missing key '{key}' ({why})"))
        })
    }

    /// A comma-separated list of ids, as `keys=` and `handlers=` hold.
    fn list(
        &self,
        section: &str,
        key: &str,
        value: &str,
        line: Line,
    ) -> Result<Vec<String>, Error> {
        if value.is_empty() {
            return Ok(Vec::new());
        }
        let items: Vec<String> = value.split(',').map(|s| s.trim().to_owned()).collect();
        if items.iter().any(String::is_empty) {
            return Err(self.err(
                line,
                section,
                Some(key),
                &format!("empty name in the list {value:?}"),
            ));
        }
        Ok(items)
    }

    fn level(&self, section: &str) -> Result<Option<Level>, Error> {
        let Some((value, line)) = self.get(section, "level")? else {
            return Ok(None);
        };
        value
            .parse::<Level>()
            .map(Some)
            .map_err(|e| self.err(line, section, Some("level"), &e.to_string()))
    }

    fn keys(&self, section: &str) -> Result<Vec<String>, Error> {
        let (value, line) = self.require(section, "keys", "a comma-separated list of ids")?;
        self.list(section, "keys", &value, line)
    }
}

/// Reads and builds an INI text without installing it (the `ini` fuzz target).
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_entry(text: &str) {
    drop(read("fuzz.ini", text, &[], true));
}

/// Translates the INI text into a plan, checking everything that can be checked without
/// building objects.
fn read(
    file: &str,
    text: &str,
    defaults: &[(String, String)],
    disable_existing: bool,
) -> Result<Plan, Error> {
    let ini = Ini::parse(text, defaults).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("{file}:{}: {}", e.line, e.message),
        )
    })?;
    let r = Reader { file, ini };
    for section in ["formatters", "handlers", "loggers"] {
        r.require_section(
            section,
            "fileConfig needs [loggers], [handlers] and [formatters]",
        )?;
    }
    let mut plan = Plan {
        disable_existing,
        formatter_list: "[formatters] keys",
        filter_list: "filters",
        handler_list: "[handlers] keys",
        ..Plan::default()
    };

    let formatter_ids = r.keys("formatters")?;
    for id in &formatter_ids {
        let section = format!("formatter_{id}");
        let line =
            r.require_section(&section, &format!("'{id}' is listed in [formatters] keys"))?;
        // format, datefmt and style are read raw: `%(asctime)s` is not an INI reference.
        let raw = |key: &str| r.ini.get_raw(&section, key).map(|(v, _)| v.to_owned());
        let class = r
            .get(&section, "class")?
            .map_or_else(|| "Formatter".to_owned(), |(c, _)| c);
        let mut args = ClassArgs::new(&class);
        if let Some(fmt) = raw("format") {
            args = args.keyword("fmt", fmt);
        }
        if let Some(datefmt) = raw("datefmt") {
            args = args.keyword("datefmt", datefmt);
        }
        args = args.keyword("style", raw("style").unwrap_or_else(|| "%".to_owned()));
        // logkit's: escaping control characters in fields (`none` or `controls`).
        if let Some(escape) = raw("escape") {
            args = args.keyword("escape", escape);
        }
        plan.formatters.push(ObjectPlan {
            id: id.clone(),
            at: r.at(line, &section, None),
            args,
        });
    }

    for id in r.keys("handlers")? {
        let section = format!("handler_{id}");
        let line = r.require_section(&section, &format!("'{id}' is listed in [handlers] keys"))?;
        let (class, _) = r.require(
            &section,
            "class",
            "the handler class, such as StreamHandler",
        )?;
        let positional = match r.get(&section, "args")? {
            None => Vec::new(),
            Some((text, line)) => {
                let value = ConfigValue::from_python(&text)
                    .map_err(|e| r.err(line, &section, Some("args"), &e.to_string()))?;
                match value {
                    ConfigValue::Tuple(items) | ConfigValue::List(items) => items,
                    other => {
                        return Err(r.err(
                            line,
                            &section,
                            Some("args"),
                            &format!(
                                "args must be a tuple, not {} {other} (a one-argument tuple \
                                 needs a comma: `args=(sys.stdout,)`)",
                                other.type_name()
                            ),
                        ));
                    }
                }
            }
        };
        let mut args = ClassArgs::new(&class).positional(positional);
        if let Some((text, line)) = r.get(&section, "kwargs")? {
            let value = ConfigValue::from_python(&text)
                .map_err(|e| r.err(line, &section, Some("kwargs"), &e.to_string()))?;
            let ConfigValue::Dict(items) = value else {
                return Err(r.err(
                    line,
                    &section,
                    Some("kwargs"),
                    &format!("kwargs must be a dict, such as {{'encoding': 'utf-8'}}, not {value}"),
                ));
            };
            for (k, v) in items {
                args = args.keyword(&k, v);
            }
        }
        let formatter = match r.get(&section, "formatter")? {
            Some((f, fline)) if !f.is_empty() => Some(Ref {
                id: f,
                at: r.at(fline, &section, Some("formatter")),
            }),
            _ => None,
        };
        // A MemoryHandler's `target=` key (as CPython reads it), a QueueHandler's
        // `handlers=` list: other handlers of this file.
        let mut targets = Vec::new();
        for param in classes::handler_params(&class) {
            if let Some((text, tline)) = r.get(&section, param)? {
                let refs: Vec<Ref> = r
                    .list(&section, param, &text, tline)?
                    .into_iter()
                    .map(|id| Ref {
                        id,
                        at: r.at(tline, &section, Some(param)),
                    })
                    .collect();
                if !refs.is_empty() {
                    targets.push((*param, refs));
                }
            }
        }
        plan.handlers.push(HandlerPlan {
            id: id.clone(),
            at: r.at(line, &section, None),
            args,
            level: r.level(&section)?,
            formatter,
            filters: Vec::new(),
            targets,
        });
    }

    let logger_ids = r.keys("loggers")?;
    if !logger_ids.iter().any(|k| k == "root") {
        let line = r.ini.section_line("loggers").unwrap_or(0);
        return Err(r.err(line, "loggers", Some("keys"), "the list must contain root"));
    }
    let logger_plan = |section: &str, propagate: Option<bool>| -> Result<LoggerPlan, Error> {
        let (handlers, hline) =
            r.require(section, "handlers", "a list of handler ids, may be empty")?;
        let handlers = r
            .list(section, "handlers", &handlers, hline)?
            .into_iter()
            .map(|id| Ref {
                id,
                at: r.at(hline, section, Some("handlers")),
            })
            .collect();
        Ok(LoggerPlan {
            level: r.level(section)?,
            handlers: Some(handlers),
            filters: None,
            propagate,
        })
    };
    for id in &logger_ids {
        let section = format!("logger_{id}");
        r.require_section(&section, &format!("'{id}' is listed in [loggers] keys"))?;
        if id == "root" {
            plan.root = Some(logger_plan(&section, None)?);
            continue;
        }
        let (qualname, qline) = r.require(&section, "qualname", "the logger's dotted name")?;
        if qualname.len() > MAX_LOGGER_NAME {
            return Err(r.err(
                qline,
                &section,
                Some("qualname"),
                &format!(
                    "the logger name is {} bytes long, more than {MAX_LOGGER_NAME} (logkit's \
                     maximum)",
                    qualname.len()
                ),
            ));
        }
        let propagate = match r.get(&section, "propagate")? {
            None => true,
            Some((text, line)) => parse_int(&text).map(|i| i != 0).ok_or_else(|| {
                r.err(
                    line,
                    &section,
                    Some("propagate"),
                    &format!("invalid literal for int(): {text:?} (write 0 or 1)"),
                )
            })?,
        };
        let p = logger_plan(&section, Some(propagate))?;
        plan.loggers.push((qualname, p));
    }
    Ok(plan)
}

/// Python's `int(str)`: optional sign, digits with single underscores, surrounding spaces.
fn parse_int(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    t.replace('_', "").parse().ok()
}
