//! Filters: decide whether a record goes on, and may add fields to it.
//!
//! As in CPython there are two attachment points with different reach: a logger's filters run
//! once, at the logger where the call is made; a handler's filters run for every record that
//! reaches the handler (propagated ones included).

use std::fmt;
use std::sync::Arc;

use crate::record::Record;

/// Decides whether a record is logged; may add fields to it (context injection).
///
/// Closures `Fn(&mut Record) -> bool` are filters.
///
/// # Examples
///
/// ```
/// use logkit::{Filter, Record, Value};
///
/// struct AddHost;
/// impl Filter for AddHost {
///     fn filter(&self, record: &mut Record<'_>) -> bool {
///         record.set_field("host", Value::from("web-1"));
///         true
///     }
/// }
///
/// let drop_debug = |r: &mut Record<'_>| r.level() > logkit::Level::DEBUG;
/// # let _ = (AddHost, drop_debug);
/// ```
pub trait Filter: Send + Sync + 'static {
    /// Returns `false` to drop the record.
    fn filter(&self, record: &mut Record<'_>) -> bool;
}

impl<F> Filter for F
where
    F: Fn(&mut Record<'_>) -> bool + Send + Sync + 'static,
{
    fn filter(&self, record: &mut Record<'_>) -> bool {
        self(record)
    }
}

impl fmt::Debug for dyn Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<Filter>")
    }
}

/// A shared filter, as attached to loggers and handlers.
pub type FilterRef = Arc<dyn Filter>;

/// Something that can be attached as a filter: any [`Filter`], or an `Arc` of one (keep a
/// clone to remove it later).
pub trait IntoFilter {
    /// The shared filter.
    fn into_filter(self) -> FilterRef;
}

impl<F: Filter> IntoFilter for F {
    fn into_filter(self) -> FilterRef {
        Arc::new(self)
    }
}

impl<F: Filter> IntoFilter for Arc<F> {
    fn into_filter(self) -> FilterRef {
        self
    }
}

impl IntoFilter for FilterRef {
    fn into_filter(self) -> FilterRef {
        self
    }
}

/// Passes records from one logger and its descendants (Python's `logging.Filter(name)`).
///
/// The match is on whole dotted parts: `NameFilter::new("a.b")` passes `a.b` and `a.b.c`, not
/// `a.bc`, `a` or `b.a.b`. An empty name passes everything.
///
/// # Examples
///
/// ```
/// use logkit::NameFilter;
///
/// let f = NameFilter::new("prog.items");
/// assert!(f.matches("prog.items"));
/// assert!(f.matches("prog.items.products"));
/// assert!(!f.matches("prog.itemsx"));
/// assert!(!f.matches("prog"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameFilter {
    name: String,
}

impl NameFilter {
    /// A filter for the logger `name` and its descendants.
    pub fn new(name: impl Into<String>) -> Self {
        NameFilter { name: name.into() }
    }

    /// The name it passes.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether a record from logger `logger_name` passes.
    pub fn matches(&self, logger_name: &str) -> bool {
        self.name.is_empty()
            || logger_name
                .strip_prefix(self.name.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    }
}

impl Filter for NameFilter {
    fn filter(&self, record: &mut Record<'_>) -> bool {
        self.matches(record.name())
    }
}

/// Runs `filters` in order, stopping at the first that rejects.
pub(crate) fn run(filters: &[FilterRef], record: &mut Record<'_>) -> bool {
    filters.iter().all(|f| f.filter(record))
}

/// Debug for a list of filters, which are opaque.
pub(crate) struct FilterCount<'a>(pub(crate) &'a [FilterRef]);

impl fmt::Debug for FilterCount<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} filter(s)]", self.0.len())
    }
}
