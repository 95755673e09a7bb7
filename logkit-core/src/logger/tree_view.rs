//! [`tree()`]: the logger tree as it is now — each logger with its level, propagation,
//! filters and handlers, and each handler with its class, level, destination and template —
//! printed as Python's `logging_tree` prints it, to see from a running service which logger
//! goes where.

use std::collections::HashSet;
use std::fmt;

use super::{Logger, loggers};
use crate::handler::Handler;
use crate::level::Level;

/// A view of the logger tree at one moment ([`tree()`]); `Display` prints it.
///
/// # Examples
///
/// ```
/// use logkit::{get_logger, Level, NullHandler};
///
/// let db = get_logger("shop.db.pool");
/// db.set_level(Level::DEBUG);
/// get_logger("shop").add_handler(NullHandler::new());
/// let text = logkit::tree().to_string();
/// assert!(text.starts_with("<--\"\"\n"));
/// assert!(text.contains("o<--\"shop\"\n"));
/// assert!(text.contains("o<--[shop.db]\n")); // a name with no logger of its own
/// assert!(text.contains("o<--\"shop.db.pool\"\n"));
/// ```
#[derive(Clone, Debug)]
pub struct LoggerTree {
    /// Every logger and placeholder, root first, each before its children (depth first).
    pub nodes: Vec<TreeNode>,
}

/// One logger (or a name below which loggers exist but which has none of its own) in a
/// [`LoggerTree`].
#[derive(Clone, Debug)]
pub struct TreeNode {
    /// The dotted name (`""` for root).
    pub name: String,
    /// How many dots deep it is (root 0, `a` 1, `a.b` 2).
    pub depth: usize,
    /// No logger has this name: loggers exist below it (Python's `PlaceHolder`).
    pub placeholder: bool,
    /// The level set on it (`NOTSET`: inherited).
    pub level: Level,
    /// The level it logs at.
    pub effective_level: Level,
    /// Whether its records go on to its parent's handlers.
    pub propagate: bool,
    /// Whether it is disabled.
    pub disabled: bool,
    /// How many filters it has.
    pub filters: usize,
    /// Its handlers.
    pub handlers: Vec<HandlerView>,
}

/// A handler as [`tree()`] shows it.
#[derive(Clone, Debug)]
pub struct HandlerView {
    /// Its class (`StreamHandler`, `FileHandler`, …).
    pub kind: &'static str,
    /// Its name, if it has one.
    pub name: Option<String>,
    /// Its level.
    pub level: Level,
    /// Where it writes (a path, a stream, an address), when it says.
    pub destination: Option<String>,
    /// Its formatter's template, when it has a formatter with one.
    pub template: Option<String>,
    /// How many filters it has.
    pub filters: usize,
}

/// The logger tree as it is now.
///
/// See [`LoggerTree`] for an example; print it (`println!("{}", logkit::tree())`) from a
/// signal handler's thread or log it at DEBUG after a reconfiguration.
pub fn tree() -> LoggerTree {
    let all = loggers();
    let mut names: Vec<(Vec<&str>, Option<Logger>)> = Vec::with_capacity(all.len());
    for logger in &all {
        // Root, the one logger without a parent, is the empty path.
        let parts: Vec<&str> = match logger.parent() {
            None => Vec::new(),
            Some(_) => logger.name().split('.').collect(),
        };
        names.push((parts, Some(*logger)));
    }
    // Placeholders: every proper prefix of a name that is no logger's.
    let mut known: HashSet<Vec<&str>> = names.iter().map(|(p, _)| p.clone()).collect();
    let mut placeholders: Vec<Vec<&str>> = Vec::new();
    for (parts, _) in &names {
        for end in 1..parts.len() {
            let prefix = parts[..end].to_vec();
            if known.insert(prefix.clone()) {
                placeholders.push(prefix);
            }
        }
    }
    names.extend(placeholders.into_iter().map(|p| (p, None)));
    // Components compared in order: each name comes right before the names below it.
    names.sort_by(|a, b| a.0.cmp(&b.0));
    let nodes = names
        .into_iter()
        .map(|(parts, logger)| node(&parts, logger))
        .collect();
    LoggerTree { nodes }
}

fn node(parts: &[&str], logger: Option<Logger>) -> TreeNode {
    let name = parts.join(".");
    let Some(logger) = logger else {
        return TreeNode {
            name,
            depth: parts.len(),
            placeholder: true,
            level: Level::NOTSET,
            effective_level: Level::NOTSET,
            propagate: true,
            disabled: false,
            filters: 0,
            handlers: Vec::new(),
        };
    };
    TreeNode {
        name,
        depth: parts.len(),
        placeholder: false,
        level: logger.level(),
        effective_level: logger.effective_level(),
        propagate: logger.propagate(),
        disabled: logger.disabled(),
        filters: logger.filters().len(),
        handlers: logger
            .handlers()
            .iter()
            .map(|h| HandlerView {
                kind: h.kind(),
                name: h.name().map(|n| n.to_string()),
                level: h.level(),
                destination: h.destination(),
                template: h.formatter().and_then(|f| f.template().map(str::to_owned)),
                filters: h.filters().len(),
            })
            .collect(),
    }
}

/// As Python's `logging_tree.printout()`: `<--""` for root, `o<--"name"` for a logger,
/// `o<--[name]` for a placeholder, each with its settings below it, indented by depth.
impl fmt::Display for LoggerTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for node in &self.nodes {
            let indent = "    ".repeat(node.depth);
            if node.depth == 0 {
                writeln!(f, "<--\"\"")?;
            } else if node.placeholder {
                writeln!(f, "{indent}o<--[{}]", node.name)?;
                continue;
            } else {
                writeln!(f, "{indent}o<--\"{}\"", node.name)?;
            }
            let inner = format!("{indent}    ");
            if node.level == Level::NOTSET && node.depth > 0 {
                writeln!(
                    f,
                    "{inner}Level NOTSET so inherits level {}",
                    node.effective_level
                )?;
            } else {
                writeln!(f, "{inner}Level {}", node.level)?;
            }
            if !node.propagate {
                writeln!(f, "{inner}Propagate OFF")?;
            }
            if node.disabled {
                writeln!(f, "{inner}Disabled")?;
            }
            for _ in 0..node.filters {
                writeln!(f, "{inner}Filter")?;
            }
            for h in &node.handlers {
                write!(f, "{inner}Handler {}", h.kind)?;
                if let Some(name) = &h.name {
                    write!(f, " '{name}'")?;
                }
                if let Some(d) = &h.destination {
                    write!(f, " {d}")?;
                }
                if h.level != Level::NOTSET {
                    write!(f, " Level {}", h.level)?;
                }
                writeln!(f)?;
                for _ in 0..h.filters {
                    writeln!(f, "{inner}    Filter")?;
                }
                if let Some(t) = &h.template {
                    writeln!(f, "{inner}    Formatter fmt={t:?}")?;
                }
            }
        }
        Ok(())
    }
}
