//! The configuration classes of the handlers that hold records: `handlers.BufferingHandler`,
//! `handlers.MemoryHandler` and `handlers.QueueHandler`. Their `target` / `handlers`
//! parameters name other handlers of the same configuration; the configuration builds
//! those first and passes them in (see [`ClassArgs::handlers`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{ClassArgs, HandlerFactory, level_value, type_error};
use crate::config::ConfigValue;
use crate::error::Error;
use crate::handler::{BufferingHandler, HandlerRef, MemoryHandler, Overflow, QueueHandler};
use crate::level::Level;
use crate::limits::MAX_QUEUE_CAPACITY;

/// The parameters that name other handlers, by class: what the configuration front ends
/// resolve before building.
pub(crate) fn handler_params(class: &str) -> &'static [&'static str] {
    match class.strip_prefix("logging.").unwrap_or(class) {
        "handlers.MemoryHandler" => &["target"],
        "handlers.QueueHandler" => &["handlers"],
        _ => &[],
    }
}

/// Adds the classes to the built-in registry.
pub(super) fn register(handlers: &mut BTreeMap<String, Arc<HandlerFactory>>) {
    handlers.insert(
        "handlers.BufferingHandler".into(),
        Arc::new(buffering_handler),
    );
    handlers.insert("handlers.MemoryHandler".into(), Arc::new(memory_handler));
    handlers.insert("handlers.QueueHandler".into(), Arc::new(queue_handler));
}

/// `BufferingHandler(capacity)`: as in CPython, a flush (every `capacity` records) empties
/// the buffer and writes nothing; it is a base to build on in code, where logkit's
/// [`BufferingHandler`] takes the flush as a function.
fn buffering_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&["capacity"])?;
    let capacity = positive_capacity("BufferingHandler", a.required("capacity")?)?;
    Ok(Arc::new(BufferingHandler::new(capacity, |_| Ok(()))))
}

fn positive_capacity(class: &str, value: ConfigValue) -> Result<usize, Error> {
    match value {
        ConfigValue::Int(n) if n > 0 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        other => Err(type_error(format!(
            "{class}() capacity must be a positive integer, not {other}"
        ))),
    }
}

/// `MemoryHandler(capacity, flushLevel=ERROR, target=None, flushOnClose=True)`.
fn memory_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&["capacity", "flushLevel", "target", "flushOnClose"])?;
    let capacity = positive_capacity("MemoryHandler", a.required("capacity")?)?;
    let flush_level = match a.take("flushLevel") {
        Some(v) => level_value(&v)?,
        None => Level::ERROR,
    };
    let flush_on_close = a.boolean("flushOnClose")?.unwrap_or(true);
    let handler = MemoryHandler::without_target(capacity, flush_level, flush_on_close);
    if let Some(mut target) = a.handlers("target") {
        if let Some(t) = target.pop() {
            handler.set_target(t);
        }
    }
    Ok(Arc::new(handler))
}

/// `QueueHandler(queue=None, handlers=[...], respect_handler_level=False, capacity=8192,
/// overflow='block')`: the listener's handlers and settings, as CPython 3.12's dictConfig
/// takes them, and logkit's bound and overflow policy. logkit makes the queue itself, so
/// `queue` may only be left out.
fn queue_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&[
        "queue",
        "handlers",
        "respect_handler_level",
        "capacity",
        "overflow",
    ])?;
    if let Some(q) = a.take("queue") {
        return Err(type_error(format!(
            "QueueHandler() queue={q}: logkit's QueueHandler makes its own bounded queue; \
             leave `queue` out and give `capacity` (and `overflow`) instead"
        )));
    }
    let mut builder = QueueHandler::builder();
    for h in a.handlers("handlers").unwrap_or_default() {
        builder = builder.handler(h);
    }
    if let Some(respect) = a.boolean("respect_handler_level")? {
        builder = builder.respect_handler_level(respect);
    }
    if let Some(n) = a.integer("capacity")? {
        let n = usize::try_from(n)
            .ok()
            .filter(|n| (1..=MAX_QUEUE_CAPACITY).contains(n))
            .ok_or_else(|| {
                type_error(format!(
                    "QueueHandler() capacity must be from 1 to {MAX_QUEUE_CAPACITY} records \
                     (logkit's maximum), not {n}"
                ))
            })?;
        builder = builder.capacity(n);
    }
    if let Some(policy) = a.string("overflow")? {
        builder = builder.overflow(match policy.as_str() {
            "block" => Overflow::Block,
            "drop_newest" => Overflow::DropNewest,
            other => {
                return Err(type_error(format!(
                    "QueueHandler() overflow must be 'block' or 'drop_newest', not '{other}'"
                )));
            }
        });
    }
    let queue = builder
        .start()
        .map_err(|e| type_error(format!("QueueHandler(): cannot start: {e}")))?;
    Ok(queue)
}
