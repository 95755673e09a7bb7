//! Reading a [`ConfigValue`] with serde (feature `serde`), and from JSON and TOML text
//! (features `json`, `toml`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ConfigValue;
#[cfg(any(feature = "json", feature = "toml"))]
use crate::error::{Error, ErrorKind};
use crate::limits::MAX_CONFIG_DEPTH;

/// Any self-describing serde format (JSON, TOML, YAML, …) reads into a `ConfigValue`, so a
/// dictConfig dictionary can be one field of an application's own configuration. Arrays
/// and maps nested deeper than [`MAX_CONFIG_DEPTH`] are an error of the format (with its
/// line and column, where it has them), not a stack overflow.
impl<'de> Deserialize<'de> for ConfigValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Nested { depth: 0 }.deserialize(deserializer)
    }
}

/// A value inside `depth` arrays and maps.
#[derive(Clone, Copy)]
struct Nested {
    depth: usize,
}

impl Nested {
    /// One level deeper, or the error of a value nested too deep.
    fn inner<E: de::Error>(self) -> Result<Nested, E> {
        if self.depth >= MAX_CONFIG_DEPTH {
            return Err(E::custom(format!(
                "values nest deeper than {MAX_CONFIG_DEPTH} levels (logkit's maximum)"
            )));
        }
        Ok(Nested {
            depth: self.depth + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for Nested {
    type Value = ConfigValue;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<ConfigValue, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Nested {
    type Value = ConfigValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a configuration value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<ConfigValue, E> {
        Ok(ConfigValue::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<ConfigValue, E> {
        Ok(ConfigValue::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ConfigValue, E> {
        i64::try_from(v)
            .map(ConfigValue::Int)
            .map_err(|_| E::custom(format!("integer {v} is out of range")))
    }

    fn visit_f64<E>(self, v: f64) -> Result<ConfigValue, E> {
        Ok(ConfigValue::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<ConfigValue, E> {
        Ok(ConfigValue::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<ConfigValue, E> {
        Ok(ConfigValue::Str(v))
    }

    fn visit_none<E>(self) -> Result<ConfigValue, E> {
        Ok(ConfigValue::None)
    }

    fn visit_unit<E>(self) -> Result<ConfigValue, E> {
        Ok(ConfigValue::None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ConfigValue, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ConfigValue, A::Error> {
        let inner = self.inner()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            items.push(v);
        }
        Ok(ConfigValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ConfigValue, A::Error> {
        let inner = self.inner()?;
        let mut items: Vec<(String, ConfigValue)> = Vec::new();
        while let Some((k, v)) = map.next_entry_seed(PhantomData::<String>, inner)? {
            match items.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => items.push((k, v)),
            }
        }
        Ok(ConfigValue::Dict(items))
    }
}

impl ConfigValue {
    /// Reads JSON text.
    ///
    /// # Errors
    ///
    /// Invalid JSON, with the line and column.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::config::ConfigValue;
    /// let v = ConfigValue::from_json(r#"{"version": 1, "root": {"level": "INFO"}}"#)?;
    /// assert_eq!(v.get("version"), Some(&ConfigValue::Int(1)));
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[cfg(feature = "json")]
    pub fn from_json(text: &str) -> Result<ConfigValue, Error> {
        serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorKind::Config, "invalid JSON").with_source(e))
    }

    /// Reads TOML text.
    ///
    /// # Errors
    ///
    /// Invalid TOML, with the line and column.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::config::ConfigValue;
    /// let v = ConfigValue::from_toml("version = 1\n[root]\nlevel = \"INFO\"\n")?;
    /// assert_eq!(v.get("root").and_then(|r| r.get("level")), Some(&"INFO".into()));
    /// # Ok::<(), logkit::Error>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<ConfigValue, Error> {
        toml::from_str(text)
            .map_err(|e| Error::new(ErrorKind::Config, "invalid TOML").with_source(e))
    }
}
