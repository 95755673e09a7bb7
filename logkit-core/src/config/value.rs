//! [`ConfigValue`]: the untyped tree a configuration is read into — from a Python literal
//! (`args=` of an INI file), JSON, TOML, any serde format, or built in Rust.

use std::fmt;

/// A configuration value: what a Python literal, a JSON or TOML document can hold.
///
/// Dictionaries keep their keys in the order written. `Name` is a bare Python name such as
/// `sys.stdout` or `handlers.SysLogHandler.LOG_USER` (in dictionaries, the string
/// `"ext://sys.stdout"` means the same).
///
/// # Examples
///
/// ```
/// use logkit::config::ConfigValue;
///
/// let v = ConfigValue::from_python("('app.log', 'a', 10*1024*1024)")?;
/// assert_eq!(
///     v,
///     ConfigValue::Tuple(vec!["app.log".into(), "a".into(), ConfigValue::Int(10_485_760)])
/// );
/// assert_eq!(v.to_string(), "('app.log', 'a', 10485760)");
/// # Ok::<(), logkit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigValue {
    /// `None`, JSON `null`.
    None,
    /// `True`/`False`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A Python name: `sys.stdout`, `logging.DEBUG`.
    Name(String),
    /// A tuple.
    Tuple(Vec<ConfigValue>),
    /// A list (a JSON or TOML array).
    List(Vec<ConfigValue>),
    /// A dictionary (a JSON object, a TOML table), in the order written.
    Dict(Vec<(String, ConfigValue)>),
}

impl ConfigValue {
    /// Python's truth test: `False`, `None`, zero, and empty strings, tuples, lists and
    /// dicts are false, anything else true; `None` for a name (`sys.stdout`), which this
    /// reader cannot evaluate.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::config::ConfigValue;
    /// assert_eq!(ConfigValue::Str("false".into()).truthy(), Some(true)); // as in Python
    /// assert_eq!(ConfigValue::Int(0).truthy(), Some(false));
    /// assert_eq!(ConfigValue::Str(String::new()).truthy(), Some(false));
    /// ```
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            ConfigValue::None => false,
            ConfigValue::Bool(b) => *b,
            ConfigValue::Int(i) => *i != 0,
            ConfigValue::Float(x) => *x != 0.0,
            ConfigValue::Str(s) => !s.is_empty(),
            ConfigValue::Tuple(v) | ConfigValue::List(v) => !v.is_empty(),
            ConfigValue::Dict(v) => !v.is_empty(),
            ConfigValue::Name(_) => return None,
        })
    }

    /// The value under `key` of a dictionary.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::config::ConfigValue;
    /// let v = ConfigValue::from_python("{'version': 1}")?;
    /// assert_eq!(v.get("version"), Some(&ConfigValue::Int(1)));
    /// assert_eq!(v.get("root"), None);
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn get(&self, key: &str) -> Option<&ConfigValue> {
        match self {
            ConfigValue::Dict(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ConfigValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The Python type name, for error messages (`str`, `int`, `dict`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            ConfigValue::None => "NoneType",
            ConfigValue::Bool(_) => "bool",
            ConfigValue::Int(_) => "int",
            ConfigValue::Float(_) => "float",
            ConfigValue::Str(_) => "str",
            ConfigValue::Name(_) => "name",
            ConfigValue::Tuple(_) => "tuple",
            ConfigValue::List(_) => "list",
            ConfigValue::Dict(_) => "dict",
        }
    }

    /// The items of a tuple or a list.
    pub fn as_sequence(&self) -> Option<&[ConfigValue]> {
        match self {
            ConfigValue::Tuple(v) | ConfigValue::List(v) => Some(v),
            _ => None,
        }
    }

    /// A Python name, given bare (`sys.stdout`) or as a dictConfig `ext://` string.
    pub fn as_name(&self) -> Option<&str> {
        match self {
            ConfigValue::Name(n) => Some(n),
            ConfigValue::Str(s) => s.strip_prefix("ext://"),
            _ => None,
        }
    }
}

impl From<&str> for ConfigValue {
    fn from(s: &str) -> Self {
        ConfigValue::Str(s.to_owned())
    }
}

impl From<String> for ConfigValue {
    fn from(s: String) -> Self {
        ConfigValue::Str(s)
    }
}

impl From<i64> for ConfigValue {
    fn from(i: i64) -> Self {
        ConfigValue::Int(i)
    }
}

impl From<bool> for ConfigValue {
    fn from(b: bool) -> Self {
        ConfigValue::Bool(b)
    }
}

impl From<f64> for ConfigValue {
    fn from(f: f64) -> Self {
        ConfigValue::Float(f)
    }
}

impl<V: Into<ConfigValue>> From<Vec<V>> for ConfigValue {
    fn from(v: Vec<V>) -> Self {
        ConfigValue::List(v.into_iter().map(Into::into).collect())
    }
}

/// Python's `repr` of the value.
impl fmt::Display for ConfigValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn seq(f: &mut fmt::Formatter<'_>, items: &[ConfigValue]) -> fmt::Result {
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            Ok(())
        }
        match self {
            ConfigValue::None => f.write_str("None"),
            ConfigValue::Bool(true) => f.write_str("True"),
            ConfigValue::Bool(false) => f.write_str("False"),
            ConfigValue::Int(i) => write!(f, "{i}"),
            ConfigValue::Float(x) => {
                let mut s = String::new();
                crate::pyfmt::float_repr(&mut s, *x);
                f.write_str(&s)
            }
            ConfigValue::Str(s) => {
                let mut out = String::new();
                crate::pyfmt::str_repr(&mut out, s, false);
                f.write_str(&out)
            }
            ConfigValue::Name(n) => f.write_str(n),
            ConfigValue::Tuple(items) => {
                f.write_str("(")?;
                seq(f, items)?;
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
            ConfigValue::List(items) => {
                f.write_str("[")?;
                seq(f, items)?;
                f.write_str("]")
            }
            ConfigValue::Dict(items) => {
                f.write_str("{")?;
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {v}", ConfigValue::Str(k.clone()))?;
                }
                f.write_str("}")
            }
        }
    }
}
