//! The fields of events and spans, and the record an event makes.
//!
//! `tracing` lends an event's values only for the length of one visitor call, so the event's
//! message and text values are copied into a per-thread arena (reused, so an event allocates
//! nothing once the arena has grown to fit), then lent to the record. A span's fields are
//! copied once, when it is made, together with those of its parents, so an event in it
//! shares them without copying.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt::{self, Write as _};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tracing_core::field::{Field, Visit};
use tracing_core::span::{Attributes, Record as SpanValues};
use tracing_core::{Event, Metadata};
use tracing_subscriber::registry::Extensions;

use super::level_of;
use crate::bridge::{FieldList, field_name, node_of_target};
use crate::logger::Logger;
use crate::message::Message;
use crate::record::{Location, Record};
use crate::value::Value;

/// Context fields: what [`Record::with_context`] takes.
type Context = [(Cow<'static, str>, Value<'static>)];

/// Arenas larger than this are not kept for reuse.
const KEEP_CAPACITY: usize = 64 * 1024;

/// The fields of a span: its own, and those it passes to events (its parents' with its own
/// over them).
#[derive(Debug)]
pub(super) struct SpanFields {
    own: Vec<(Cow<'static, str>, Value<'static>)>,
    all: Arc<Context>,
}

impl SpanFields {
    /// A new span's fields, under its parent's.
    pub(super) fn new(attrs: &Attributes<'_>, parent: Option<Arc<Context>>) -> Self {
        let mut own = Vec::new();
        attrs.record(&mut OwnedFields(&mut own));
        let all = merged(parent.as_deref(), &own);
        SpanFields { own, all }
    }

    /// Values recorded on the span after it was made (`span.record(...)`): seen by the events
    /// in it from now on, and by the spans made in it from now on.
    pub(super) fn record(&mut self, values: &SpanValues<'_>, parent: Option<Arc<Context>>) {
        values.record(&mut OwnedFields(&mut self.own));
        self.all = merged(parent.as_deref(), &self.own);
    }

    /// The fields a span passes on, from its extensions.
    pub(super) fn all_of(extensions: &Extensions<'_>) -> Option<Arc<Context>> {
        extensions.get::<SpanFields>().map(|f| Arc::clone(&f.all))
    }
}

/// `parent`'s fields with `own` over them.
fn merged(parent: Option<&Context>, own: &[(Cow<'static, str>, Value<'static>)]) -> Arc<Context> {
    let mut all: Vec<(Cow<'static, str>, Value<'static>)> =
        parent.map(<[_]>::to_vec).unwrap_or_default();
    for (name, value) in own {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.clone(),
            None => all.push((name.clone(), value.clone())),
        }
    }
    all.into()
}

/// Records a span's fields as owned values (a later value of a field replaces it).
struct OwnedFields<'a>(&'a mut Vec<(Cow<'static, str>, Value<'static>)>);

impl OwnedFields<'_> {
    fn set(&mut self, field: &Field, value: Value<'static>) {
        let name = Cow::Borrowed(field_name(field.name()));
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }
}

impl Visit for OwnedFields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.set(field, Value::Str(Cow::Owned(format!("{value:?}"))));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.set(field, Value::Str(Cow::Owned(value.to_owned())));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.set(field, Value::Int(value.into()));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.set(field, Value::Int(value.into()));
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.set(field, Value::Int(value));
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        match i128::try_from(value) {
            Ok(v) => self.set(field, Value::Int(v)),
            Err(_) => self.set(field, Value::Str(Cow::Owned(value.to_string()))),
        }
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.set(field, Value::Float(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.set(field, Value::Bool(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.set(field, Value::Str(Cow::Owned(value.to_string())));
    }
}

// === events ===

/// A copied event: its text in one string, and where each part is.
#[derive(Default)]
struct Arena {
    text: String,
    fields: Vec<Slot>,
    message: Option<Range<usize>>,
    /// What `tracing-log` records of a `log` record: its real target and location.
    log_target: Option<Range<usize>>,
    log_module_path: Option<Range<usize>>,
    log_file: Option<Range<usize>>,
    log_line: Option<u32>,
}

/// One field of an event.
struct Slot {
    name: &'static str,
    value: Copied,
}

enum Copied {
    Int(i128),
    Float(f64),
    Bool(bool),
    Text(Range<usize>),
}

impl Arena {
    const fn new() -> Self {
        Arena {
            text: String::new(),
            fields: Vec::new(),
            message: None,
            log_target: None,
            log_module_path: None,
            log_file: None,
            log_line: None,
        }
    }

    fn clear(&mut self) {
        if self.text.capacity() > KEEP_CAPACITY {
            self.text = String::new();
        }
        self.text.clear();
        self.fields.clear();
        self.message = None;
        self.log_target = None;
        self.log_module_path = None;
        self.log_file = None;
        self.log_line = None;
    }

    fn str(&self, range: &Range<usize>) -> &str {
        self.text.get(range.clone()).unwrap_or_default()
    }

    /// Copies `write`'s text into the arena: where it is.
    fn copy(&mut self, write: impl FnOnce(&mut String)) -> Range<usize> {
        let start = self.text.len();
        write(&mut self.text);
        start..self.text.len()
    }

    fn push(&mut self, field: &Field, value: Copied) {
        self.fields.push(Slot {
            name: field_name(field.name()),
            value,
        });
    }

    /// Copies a text field, or takes it as the message or a `tracing-log` part.
    fn text_field(&mut self, field: &Field, write: impl FnOnce(&mut String)) {
        let range = self.copy(write);
        match field.name() {
            "message" => self.message = Some(range),
            "log.target" => self.log_target = Some(range),
            "log.module_path" => self.log_module_path = Some(range),
            "log.file" => self.log_file = Some(range),
            _ => self.push(field, Copied::Text(range)),
        }
    }

    fn value(&self, copied: &Copied) -> Value<'_> {
        match copied {
            Copied::Int(i) => Value::Int(*i),
            Copied::Float(f) => Value::Float(*f),
            Copied::Bool(b) => Value::Bool(*b),
            Copied::Text(r) => Value::Str(Cow::Borrowed(self.str(r))),
        }
    }
}

impl Visit for Arena {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.text_field(field, |t| {
            let _ = write!(t, "{value:?}");
        });
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.text_field(field, |t| t.push_str(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.push(field, Copied::Int(value.into()));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "log.line" {
            self.log_line = u32::try_from(value).ok();
            return;
        }
        self.push(field, Copied::Int(value.into()));
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.push(field, Copied::Int(value));
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        match i128::try_from(value) {
            Ok(v) => self.push(field, Copied::Int(v)),
            Err(_) => self.text_field(field, |t| {
                let _ = write!(t, "{value}");
            }),
        }
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.push(field, Copied::Float(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.push(field, Copied::Bool(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.text_field(field, |t| {
            let _ = write!(t, "{value}");
        });
    }
}

thread_local! {
    static ARENA: RefCell<Arena> = const { RefCell::new(Arena::new()) };
    /// The last event or span delivered on this thread: file, line and target.
    static LAST_DELIVERED: Cell<Option<(&'static str, u32, &'static str)>> = const { Cell::new(None) };
}

/// Runs `f` with this thread's arena, emptied, or a fresh one when it is in use (an event
/// logged while one is handled) or gone (the thread is exiting).
fn with_arena<R>(f: impl FnOnce(&mut Arena) -> R) -> R {
    let mut f = Some(f);
    let done = ARENA.try_with(|cell| match cell.try_borrow_mut() {
        Ok(mut arena) => {
            arena.clear();
            f.take().map(|f| f(&mut arena))
        }
        Err(_) => None,
    });
    match (done, f) {
        (Ok(Some(result)), _) => result,
        (_, Some(f)) => f(&mut Arena::new()),
        (_, None) => unreachable!("`f` runs exactly once"),
    }
}

/// Makes the record of `event`, with `context` (its spans' fields), and handles it on the
/// logger of its target, if that logger lets its level through.
pub(super) fn deliver(event: &Event<'_>, context: &Context) {
    let meta = event.metadata();
    with_arena(|arena| {
        event.record(arena);
        let target = match &arena.log_target {
            Some(r) => arena.str(r),
            None => meta.target(),
        };
        let node = node_of_target(target);
        let level = level_of(meta.level());
        if level.value() < node.threshold.load(Ordering::Relaxed) {
            return;
        }
        let logger = Logger::of_node(node);
        let message = Message::text(arena.message.as_ref().map_or("", |r| arena.str(r)));
        let record = Record::new(logger.name(), level, message, location(arena, meta));
        mark_delivered(meta);
        let mut record = record.with_context(context);
        if arena.fields.is_empty() {
            logger.handle(&mut record);
            return;
        }
        let mut fields = FieldList::new();
        for slot in &arena.fields {
            fields.push(slot.name, arena.value(&slot.value));
        }
        logger.handle(&mut record.with_fields(fields.as_slice()));
    });
}

/// Where the event was made: its call site, or the `log` record's that `tracing-log`
/// turned into it.
fn location<'a>(arena: &'a Arena, meta: &'static Metadata<'static>) -> Location<'a> {
    if arena.log_file.is_none() && arena.log_module_path.is_none() && arena.log_line.is_none() {
        return Location::new(
            meta.file().unwrap_or("(unknown file)"),
            meta.line().unwrap_or(0),
            meta.module_path().unwrap_or(""),
        );
    }
    Location::new(
        arena
            .log_file
            .as_ref()
            .map_or("(unknown file)", |r| arena.str(r)),
        arena.log_line.unwrap_or(0),
        arena.log_module_path.as_ref().map_or("", |r| arena.str(r)),
    )
}

/// Notes that the event or span of `meta` was delivered on this thread: the `log` record
/// `tracing` may make of it next is a copy.
pub(super) fn mark_delivered(meta: &'static Metadata<'static>) {
    if let (Some(file), Some(line)) = (meta.file(), meta.line()) {
        let _ = LAST_DELIVERED.try_with(|last| last.set(Some((file, line, meta.target()))));
    }
}

/// Whether `record` is the `log` copy of the event (or span) this thread delivered last.
#[cfg(feature = "log")]
pub(super) fn delivered_already(record: &log::Record<'_>) -> bool {
    LAST_DELIVERED
        .try_with(|last| match last.get() {
            Some((file, line, target))
                if record.line() == Some(line)
                    && record.file() == Some(file)
                    && record.target() == target =>
            {
                last.set(None);
                true
            }
            _ => false,
        })
        .unwrap_or(false)
}
