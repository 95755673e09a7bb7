//! `tracing`'s events in the logger tree: what a dependency logs with `tracing::warn!` is a
//! logkit record of the logger its target names, with the fields of the spans it happens
//! in as context.
//!
//! - **Names and levels** as for `log` (see [`log_bridge`](crate::log_bridge)): target
//!   `h2::codec` is logger `h2.codec`; `TRACE` is [`Level::TRACE`] (5).
//! - **Message and fields**: the event's `message` is the record's message; its other
//!   fields are record fields (`%(peer)s`, filters, [`JsonFormatter`](crate::JsonFormatter)),
//!   numbers and booleans keeping their type. The fields of the spans the event happens in
//!   are context fields, as a [`LoggerAdapter`](crate::LoggerAdapter)'s: an inner span's
//!   field wins over an outer one's, and the event's own over both. A field named like a
//!   record attribute (`name`, `module`, …) is kept as `name_`. Events that `tracing-log`
//!   made from `log` records keep their own target and location (`log.target`, …).
//! - **Which events and spans are enabled** is decided by logkit's levels: the logger of
//!   the target must let the event's level through. Spans are context rather than records:
//!   one is enabled when its logger lets its level through or its level is INFO or above,
//!   so that `#[instrument]`ed functions give their fields to a WARNING record under the
//!   default root level, while the DEBUG and TRACE spans of busy dependencies cost nothing
//!   when their loggers are quiet. Every change of a level rebuilds `tracing`'s cache of
//!   interest and its maximum level, so a disabled `tracing::debug!` costs what it costs
//!   under tracing-subscriber's level filters, and a new level holds at once.
//!
//! Two ways in: [`init`] (and the configuration calls, when no global subscriber is set)
//! installs a subscriber of its own; [`layer`] gives a `tracing_subscriber` layer to put
//! beside others (it filters only itself). Events that `tracing` also sends to the `log`
//! facade (its `log-always` feature) are not delivered twice.
//!
//! # Examples
//!
//! ```
//! use logkit::{get_logger, tracing_bridge, Capture, Formatter, Handler, Level, StreamHandler};
//!
//! tracing_bridge::init()?;
//! let out = Capture::new();
//! let handler = StreamHandler::new(out.clone());
//! handler.set_formatter(Formatter::new("%(name)s %(levelname)s %(request)s %(message)s bytes=%(bytes)d")?);
//! get_logger("h2").add_handler(handler);
//!
//! let span = tracing::info_span!(target: "h2::server", "serve", request = 42);
//! let _entered = span.enter();
//! tracing::warn!(target: "h2::codec", bytes = 512, "frame too large");
//! assert_eq!(out.contents(), "h2.codec WARNING 42 frame too large bytes=512\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod fields;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use tracing_core::span::{Attributes, Id, Record as SpanValues};
use tracing_core::subscriber::Interest;
use tracing_core::{Dispatch, Event, LevelFilter, Metadata, Subscriber};
use tracing_subscriber::filter::Filtered;
use tracing_subscriber::layer::{Context, Filter, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

use crate::bridge::{node_of_target, threshold_of_target};
use crate::error::{Error, ErrorKind};
use crate::level::Level;
use crate::logger::tree::{MOST_VERBOSE, registry};
use fields::SpanFields;

/// The level from which spans are enabled whatever their logger's level (they carry
/// context for records, and are not records themselves).
const SPAN_FLOOR: i32 = Level::INFO.value();

/// Whether [`init`] (or a configuration call) installed this module's subscriber.
static INSTALLED: AtomicBool = AtomicBool::new(false);
/// Whether a [`LoggerLevels`] exists, so that level changes must reach `tracing`.
static FILTERS_MADE: AtomicBool = AtomicBool::new(false);

/// Turns `tracing`'s events into logkit records and keeps the fields of spans for them (a
/// [`Layer`]). Usually used through [`layer`], which adds logkit's levels as its filter.
///
/// # Examples
///
/// ```
/// use tracing_subscriber::layer::SubscriberExt;
///
/// // Unfiltered: sees what the other layers' filters let through.
/// let subscriber = tracing_subscriber::registry().with(logkit::tracing_bridge::LogkitLayer::new());
/// tracing::subscriber::with_default(subscriber, || tracing::error!("into the tree"));
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct LogkitLayer {
    _private: (),
}

impl LogkitLayer {
    /// The layer.
    pub fn new() -> Self {
        LogkitLayer { _private: () }
    }
}

/// logkit's levels as a per-layer filter: an event is enabled when the logger of its target
/// lets its level through; a span also when its level is INFO or above. Its interest and
/// maximum level are rebuilt at every change of a level.
///
/// # Examples
///
/// ```
/// use tracing_subscriber::layer::{Layer, SubscriberExt};
/// use logkit::tracing_bridge::{LogkitLayer, LoggerLevels};
///
/// let subscriber = tracing_subscriber::registry().with(LogkitLayer::new().with_filter(LoggerLevels::new()));
/// # drop(subscriber);
/// ```
#[derive(Debug)]
pub struct LoggerLevels {
    _private: (),
}

impl LoggerLevels {
    /// The filter.
    pub fn new() -> Self {
        // The tree first (it applies the environment's levels): its first use publishes a
        // configuration, whose rebuild of `tracing`'s interest must not happen inside one
        // of `tracing`'s own calls to the filter.
        drop(registry());
        FILTERS_MADE.store(true, Ordering::Release);
        LoggerLevels { _private: () }
    }
}

impl Default for LoggerLevels {
    fn default() -> Self {
        LoggerLevels::new()
    }
}

/// The bridge as a `tracing_subscriber` layer, filtered by logkit's levels (its filter
/// applies to it alone, so other layers beside it see what their own filters let through).
///
/// # Examples
///
/// ```
/// use tracing_subscriber::layer::SubscriberExt;
///
/// let subscriber = tracing_subscriber::registry().with(logkit::tracing_bridge::layer());
/// tracing::subscriber::set_global_default(subscriber)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn layer<S>() -> Filtered<LogkitLayer, LoggerLevels, S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    LogkitLayer::new().with_filter(LoggerLevels::new())
}

/// Installs a global `tracing` subscriber made of the bridge alone (a registry with
/// [`layer`]). Installing it again does nothing.
///
/// # Errors
///
/// Another global subscriber is already set: `tracing` takes one per process, so its events
/// go there (add [`layer`] to that subscriber instead).
///
/// # Examples
///
/// ```
/// logkit::tracing_bridge::init()?;
/// assert!(logkit::tracing_bridge::is_installed());
/// # Ok::<(), logkit::Error>(())
/// ```
pub fn init() -> Result<(), Error> {
    if install_if_free() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::AlreadySet,
        "a global `tracing` subscriber is already set (by tracing_subscriber::fmt().init() \
         or the like), so tracing's events go to it, not to logkit: add \
         `logkit::tracing_bridge::layer()` to that subscriber, or install logkit's before it",
    ))
}

/// Whether [`init`] (or a configuration call) installed the bridge's subscriber.
///
/// # Examples
///
/// ```
/// assert!(!logkit::tracing_bridge::is_installed());
/// ```
pub fn is_installed() -> bool {
    INSTALLED.load(Ordering::Acquire)
}

/// Installs the bridge's subscriber unless one is set; whether the bridge's is installed.
pub(crate) fn install_if_free() -> bool {
    if is_installed() {
        return true;
    }
    if tracing_core::dispatcher::has_been_set() {
        return false;
    }
    let subscriber = tracing_subscriber::registry().with(layer());
    if tracing_core::dispatcher::set_global_default(Dispatch::new(subscriber)).is_err() {
        return is_installed();
    }
    INSTALLED.store(true, Ordering::Release);
    true
}

/// Rebuilds `tracing`'s interest in every call site and its maximum level (after a change of
/// thresholds; called outside the tree's lock, which the filter takes).
pub(crate) fn rebuild_interest() {
    if !FILTERS_MADE.load(Ordering::Acquire) {
        return;
    }
    // One rebuild at a time: the last to run started after the last change, and reads it.
    static REBUILD: Mutex<()> = Mutex::new(());
    let _guard = REBUILD.lock().unwrap_or_else(PoisonError::into_inner);
    tracing_core::callsite::rebuild_interest_cache();
}

/// The logkit level of a `tracing` level.
///
/// # Examples
///
/// ```
/// use logkit::{tracing_bridge::level_of, Level};
/// assert_eq!(level_of(&tracing::Level::WARN), Level::WARNING);
/// assert_eq!(level_of(&tracing::Level::TRACE), Level::TRACE);
/// ```
pub fn level_of(level: &tracing_core::Level) -> Level {
    match *level {
        tracing_core::Level::ERROR => Level::ERROR,
        tracing_core::Level::WARN => Level::WARNING,
        tracing_core::Level::INFO => Level::INFO,
        tracing_core::Level::DEBUG => Level::DEBUG,
        _ => Level::TRACE,
    }
}

/// The most verbose `tracing` level filter that lets through events at `threshold` and above.
fn level_filter(threshold: i32) -> LevelFilter {
    [
        tracing_core::Level::TRACE,
        tracing_core::Level::DEBUG,
        tracing_core::Level::INFO,
        tracing_core::Level::WARN,
        tracing_core::Level::ERROR,
    ]
    .into_iter()
    .find(|l| level_of(l).value() >= threshold)
    .map_or(LevelFilter::OFF, LevelFilter::from_level)
}

/// Whether `meta` passes a logger whose threshold is `threshold`.
fn passes(meta: &Metadata<'_>, threshold: i32) -> bool {
    let threshold = if meta.is_span() {
        threshold.min(SPAN_FLOOR)
    } else {
        threshold
    };
    level_of(meta.level()).value() >= threshold
}

impl<S> Filter<S> for LoggerLevels {
    fn enabled(&self, meta: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        let node = node_of_target(meta.target());
        passes(meta, node.threshold.load(Ordering::Relaxed))
    }

    fn callsite_enabled(&self, meta: &'static Metadata<'static>) -> Interest {
        if passes(meta, threshold_of_target(meta.target())) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        let most_verbose = MOST_VERBOSE.load(Ordering::Relaxed);
        Some(level_filter(most_verbose.min(SPAN_FLOOR)))
    }
}

impl<S> Layer<S> for LogkitLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let parent = span
            .parent()
            .and_then(|p| SpanFields::all_of(&p.extensions()));
        let fields = SpanFields::new(attrs, parent);
        span.extensions_mut().insert(fields);
        fields::mark_delivered(attrs.metadata());
    }

    fn on_record(&self, id: &Id, values: &SpanValues<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let parent = span
            .parent()
            .and_then(|p| SpanFields::all_of(&p.extensions()));
        if let Some(fields) = span.extensions_mut().get_mut::<SpanFields>() {
            fields.record(values, parent);
        }
        fields::mark_delivered(span.metadata());
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let context: Option<Arc<_>> = ctx
            .event_span(event)
            .and_then(|span| SpanFields::all_of(&span.extensions()));
        fields::deliver(event, context.as_deref().unwrap_or(&[]));
    }
}

/// Whether a `log` record is one `tracing` sent to the `log` facade for an event or a span
/// this bridge took already (`tracing`'s `log-always` feature), or a record of `tracing`'s
/// own about spans (`tracing::span`) while the bridge shows spans as context.
#[cfg(feature = "log")]
pub(crate) fn delivered_already(record: &log::Record<'_>) -> bool {
    fields::delivered_already(record)
        || (FILTERS_MADE.load(Ordering::Relaxed) && record.target().starts_with("tracing::span"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_map_to_the_most_verbose_filter_that_passes_them() {
        assert_eq!(level_filter(0), LevelFilter::TRACE);
        assert_eq!(level_filter(6), LevelFilter::DEBUG);
        assert_eq!(level_filter(20), LevelFilter::INFO);
        assert_eq!(level_filter(31), LevelFilter::ERROR);
        assert_eq!(level_filter(41), LevelFilter::OFF);
    }
}
