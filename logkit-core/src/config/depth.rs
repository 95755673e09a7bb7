//! Finding a value nested deeper than [`MAX_CONFIG_DEPTH`] in a configuration, without
//! recursion, before anything walks the configuration recursively.
//!
//! A [`ConfigValue`] built in Rust or read by a serde format of the application's own can
//! be of any depth; dictConfig checks it with [`deeper_than_max`] first, so that resolving
//! references, printing values in error messages and building objects never recurse more
//! than [`MAX_CONFIG_DEPTH`] levels.

use super::ConfigValue;
use crate::limits::MAX_CONFIG_DEPTH;

/// The path (`handlers.file.args[0]`) of the first tuple, list or dict found at a level of
/// nesting beyond [`MAX_CONFIG_DEPTH`] (`value` itself being the first level), if any.
pub(crate) fn deeper_than_max(value: &ConfigValue) -> Option<String> {
    // Depth first, on a stack of its own: (value, containers above it, its path).
    let mut stack: Vec<(&ConfigValue, usize, String)> = vec![(value, 0, String::new())];
    while let Some((v, above, path)) = stack.pop() {
        let is_container = matches!(
            v,
            ConfigValue::List(_) | ConfigValue::Tuple(_) | ConfigValue::Dict(_)
        );
        if is_container && above >= MAX_CONFIG_DEPTH {
            return Some(path);
        }
        match v {
            ConfigValue::List(items) | ConfigValue::Tuple(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((item, above + 1, format!("{path}[{i}]")));
                }
            }
            ConfigValue::Dict(items) => {
                for (key, item) in items.iter().rev() {
                    let item_path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    stack.push((item, above + 1, item_path));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `levels` lists nested in each other around `1`, built without recursion.
    fn nested_lists(levels: usize) -> ConfigValue {
        let mut v = ConfigValue::Int(1);
        for _ in 0..levels {
            v = ConfigValue::List(vec![v]);
        }
        v
    }

    #[test]
    fn the_maximum_passes_and_one_more_level_is_found_with_its_path() {
        let config = |inner: ConfigValue| {
            ConfigValue::Dict(vec![(
                "handlers".into(),
                ConfigValue::Dict(vec![(
                    "h".into(),
                    ConfigValue::Dict(vec![("args".into(), inner)]),
                )]),
            )])
        };
        // The dicts above `args` are three levels.
        assert_eq!(
            deeper_than_max(&config(nested_lists(MAX_CONFIG_DEPTH - 3))),
            None
        );
        let path = deeper_than_max(&config(nested_lists(MAX_CONFIG_DEPTH - 2))).unwrap();
        assert!(path.starts_with("handlers.h.args[0]"), "{path}");
        assert_eq!(path.matches("[0]").count(), MAX_CONFIG_DEPTH - 3);
    }

    #[test]
    fn a_very_deep_value_is_found_without_recursion() {
        let deep = nested_lists(100_000);
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                assert!(deeper_than_max(&deep).is_some());
                // Dropping a value this deep recurses in `Drop`; unwrap it level by level.
                let mut v = deep;
                while let ConfigValue::List(mut items) = v {
                    v = items.pop().unwrap_or(ConfigValue::None);
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
