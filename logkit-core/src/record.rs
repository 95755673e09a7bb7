//! The record of one logging call, with every attribute a template can name.
//!
//! A record borrows what the call site has (the logger's name, the message template and its
//! arguments, the source location) and computes what costs something (the thread's name, the
//! formatted exception) only when a formatter or handler asks.

use std::backtrace::Backtrace;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt::{self, Write as _};
use std::sync::{Arc, OnceLock};

mod now;

use crate::Callsite;
use crate::level::{Level, LevelName};
use crate::message::Message;
use crate::value::Value;

/// Where a logging call is in the source.
///
/// # Examples
///
/// ```
/// use logkit::Location;
///
/// let loc = Location::new("src/db/pool.rs", 42, "app::db::pool");
/// assert_eq!(loc.filename(), "pool.rs");
/// assert_eq!(loc.module(), "pool");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location<'a> {
    /// The source file, as `file!()` gives it.
    pub file: &'a str,
    /// The line.
    pub line: u32,
    /// The Rust module path, as `module_path!()` gives it.
    pub module_path: &'a str,
    /// The enclosing function: a plain name, or a path ending in the function's name as
    /// `std::any::type_name` prints it (the macros pass that). Empty when unknown.
    pub function: &'a str,
}

impl<'a> Location<'a> {
    /// A location with no function name.
    pub const fn new(file: &'a str, line: u32, module_path: &'a str) -> Self {
        Location {
            file,
            line,
            module_path,
            function: "",
        }
    }

    /// The location of the caller of a `#[track_caller]` function.
    #[track_caller]
    pub fn caller() -> Location<'static> {
        let l = std::panic::Location::caller();
        Location::new(l.file(), l.line(), "")
    }

    /// With the enclosing function's name or type path.
    #[must_use]
    pub const fn with_function(mut self, function: &'a str) -> Self {
        self.function = function;
        self
    }

    /// The file's name (Python's `filename`).
    pub fn filename(&self) -> &'a str {
        self.file.rsplit(['/', '\\']).next().unwrap_or(self.file)
    }

    /// The file's name without its extension (Python's `module`).
    pub fn module(&self) -> &'a str {
        let f = self.filename();
        f.rsplit_once('.').map_or(f, |(stem, _)| stem)
    }

    /// The function's own name (Python's `funcName`): the last path segment, skipping
    /// closures; `(unknown function)` when not known.
    pub fn func_name(&self) -> &'a str {
        let mut s = self.function;
        if s.is_empty() {
            return "(unknown function)";
        }
        s = s.strip_suffix("::__logkit_here").unwrap_or(s);
        // The macros name the function from inside the call site's `static`.
        s = s.strip_suffix("::__LOGKIT_CALLSITE").unwrap_or(s);
        while let Some(rest) = s.strip_suffix("::{{closure}}") {
            s = rest;
        }
        s.rsplit("::").next().unwrap_or(s)
    }
}

/// A point in time with nanosecond precision (seconds since the Unix epoch).
///
/// # Examples
///
/// ```
/// use logkit::Timestamp;
///
/// let t = Timestamp::new(1_700_000_000, 125_999_999);
/// assert_eq!(t.msecs(), 125.0);
/// assert_eq!(t.as_secs_f64(), 1_700_000_000.126);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

impl Timestamp {
    /// A timestamp from whole seconds and nanoseconds (below one second).
    pub const fn new(secs: i64, nanos: u32) -> Self {
        Timestamp { secs, nanos }
    }

    /// The current time (see the clock notes in `record/now.rs`: on x86_64 Linux with the
    /// TSC clock source it is read from the CPU's counter, anchored to the system clock).
    #[inline]
    pub fn now() -> Self {
        now::now()
    }

    /// The current time in nanoseconds since the epoch (what a queued record carries; the
    /// listener makes the timestamp).
    #[inline]
    pub(crate) fn now_nanos() -> i64 {
        now::now_nanos()
    }

    /// The timestamp `nanos` nanoseconds after the epoch (before it, if negative).
    pub(crate) fn from_nanos(nanos: i64) -> Self {
        now::from_nanos(nanos)
    }

    /// The current time, read from the system clock.
    pub fn system_now() -> Self {
        now::system_now()
    }

    /// Whole seconds since the epoch.
    pub const fn secs(self) -> i64 {
        self.secs
    }

    /// Nanoseconds within the second.
    pub const fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as a float (Python's `created`).
    #[allow(clippy::cast_precision_loss)]
    pub fn as_secs_f64(self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// The millisecond within the second, truncated, as a float (Python 3.13's `msecs`).
    pub fn msecs(self) -> f64 {
        f64::from(self.nanos / 1_000_000)
    }

    /// Nanoseconds since the epoch.
    pub fn as_nanos(self) -> i128 {
        i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos)
    }
}

/// When logging started: the reference for `relativeCreated`.
static START: OnceLock<Timestamp> = OnceLock::new();

/// Fixes the start time if it is not fixed yet (called when the logger tree is created).
pub(crate) fn mark_start() {
    START.get_or_init(Timestamp::now);
}

/// The thread a record was made on.
#[derive(Debug)]
pub struct ThreadInfo {
    /// A number identifying the thread in this process (Python's `thread`).
    pub id: u64,
    /// The thread's name (Python's `threadName`): `MainThread` for the main thread, the
    /// name given to `std::thread::Builder`, or `Thread-N`.
    pub name: Box<str>,
}

impl ThreadInfo {
    /// The calling thread's info (computed once per thread).
    pub fn current() -> Arc<ThreadInfo> {
        Self::with_current(Arc::clone)
    }

    /// Calls `f` with the calling thread's info, borrowed (no reference count touched).
    #[inline]
    pub(crate) fn with_current<R>(f: impl Fn(&Arc<ThreadInfo>) -> R) -> R {
        thread_local! {
            static CURRENT: Arc<ThreadInfo> = Arc::new(ThreadInfo::compute());
        }
        CURRENT
            .try_with(&f)
            .unwrap_or_else(|_| f(&Arc::new(ThreadInfo::compute())))
    }

    /// The calling thread's id, from a thread-local that needs no initialisation check once
    /// set.
    #[inline]
    pub(crate) fn current_id() -> u64 {
        thread_local! {
            static ID: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
        }
        match ID.try_with(std::cell::Cell::get) {
            Ok(id) if id != 0 => id,
            _ => {
                let id = Self::with_current(|t| t.id);
                let _ = ID.try_with(|cell| cell.set(id));
                id
            }
        }
    }

    /// A thread known only by its id (named `Thread-N`).
    pub(crate) fn unknown(id: u64) -> ThreadInfo {
        ThreadInfo {
            id,
            name: format!("Thread-{id}").into_boxed_str(),
        }
    }

    fn compute() -> ThreadInfo {
        let t = std::thread::current();
        // `ThreadId`'s Debug form is `ThreadId(N)`; N is the id Rust prints in panics.
        let dbg = format!("{:?}", t.id());
        let id = dbg
            .trim_start_matches("ThreadId(")
            .trim_end_matches(')')
            .parse()
            .unwrap_or(0);
        let name = match t.name() {
            Some("main") => "MainThread".into(),
            Some(n) => n.into(),
            None => format!("Thread-{id}").into_boxed_str(),
        };
        ThreadInfo { id, name }
    }
}

/// The process id, read once (Python's `process`).
pub fn process_id() -> u32 {
    static PID: OnceLock<u32> = OnceLock::new();
    *PID.get_or_init(std::process::id)
}

/// An error attached to a record (Python's `exc_info`).
#[derive(Clone, Copy)]
pub struct ExcInfo<'a> {
    /// The error.
    pub error: &'a (dyn std::error::Error + 'a),
    /// The error's type, as `std::any::type_name` prints it.
    pub type_name: &'static str,
    /// A backtrace captured with the error, if any.
    pub backtrace: Option<&'a Backtrace>,
}

impl<'a> ExcInfo<'a> {
    /// The error `err` with its type's name.
    pub fn new<E: std::error::Error + 'a>(err: &'a E) -> Self {
        ExcInfo {
            error: err,
            type_name: std::any::type_name::<E>().trim_start_matches('&'),
            backtrace: None,
        }
    }

    /// An error behind `dyn Error` (its concrete type is not known).
    pub fn from_dyn(err: &'a (dyn std::error::Error + 'a)) -> Self {
        ExcInfo {
            error: err,
            type_name: "",
            backtrace: None,
        }
    }

    /// With a backtrace.
    #[must_use]
    pub fn with_backtrace(mut self, backtrace: &'a Backtrace) -> Self {
        self.backtrace = Some(backtrace);
        self
    }

    /// Writes the exception text: `Type: message`, the `source()` chain, and the backtrace
    /// when one was captured.
    pub fn write_text(&self, out: &mut String) {
        if !self.type_name.is_empty() {
            out.push_str(self.type_name);
            out.push_str(": ");
        }
        let _ = write!(out, "{}", self.error);
        let mut source = self.error.source();
        if source.is_some() {
            out.push_str("\nCaused by:");
        }
        let mut i = 0;
        while let Some(s) = source {
            let _ = write!(out, "\n    {i}: {s}");
            i += 1;
            source = s.source();
        }
        if let Some(bt) = self.backtrace {
            if bt.status() == std::backtrace::BacktraceStatus::Captured {
                out.push_str("\nStack backtrace:\n");
                write_short_backtrace(out, bt);
            }
        }
    }
}

/// Writes a backtrace without the runtime's frames below `main` (or a thread's entry), as
/// Rust's panic messages do: frames from `__rust_begin_short_backtrace` on are dropped.
fn write_short_backtrace(out: &mut String, bt: &Backtrace) {
    out.push_str(runtime_frames_cut(&bt.to_string()).trim_end_matches('\n'));
}

/// A backtrace's text up to the runtime's frames below `main` (or a thread's entry).
fn runtime_frames_cut(full: &str) -> &str {
    match full.find("__rust_begin_short_backtrace") {
        // Back up to the start of that frame's line.
        Some(cut) => &full[..full[..cut].rfind('\n').map_or(0, |i| i + 1)],
        None => full,
    }
}

/// The stack of the caller of a logging call, as Rust prints a backtrace: logkit's own
/// frames (capturing it) and the runtime's below `main` left out, the rest numbered from 0
/// (the innermost), as CPython's `stack_info` shows the stack up to the logging call.
pub(crate) fn caller_stack(bt: &Backtrace) -> String {
    let full = bt.to_string();
    let kept = runtime_frames_cut(&full);
    // A frame starts with a line `   N: symbol`; the lines after it until the next are its.
    let mut frames: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in kept.lines() {
        let trimmed = line.trim_start();
        let header = trimmed
            .split_once(": ")
            .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        match (header, frames.last_mut()) {
            (Some((_, symbol)), _) => frames.push((symbol, Vec::new())),
            (None, Some((_, rest))) => rest.push(line),
            (None, None) => {}
        }
    }
    let internal = |symbol: &str| {
        ["std::backtrace", "logkit_core::", "logkit::", "<logkit"]
            .iter()
            .any(|p| symbol.starts_with(p))
    };
    let first = frames
        .iter()
        .position(|(symbol, _)| !internal(symbol))
        .unwrap_or(0);
    let mut out = String::new();
    for (i, (symbol, rest)) in frames[first..].iter().enumerate() {
        let _ = writeln!(out, "{i:>4}: {symbol}");
        for line in rest {
            out.push_str(line);
            out.push('\n');
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

impl fmt::Debug for ExcInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExcInfo")
            .field("type_name", &self.type_name)
            .field("error", &format_args!("{}", self.error))
            .finish_non_exhaustive()
    }
}

/// The exception of a record: an error, or text already formatted.
#[derive(Clone, Debug)]
enum Exc<'a> {
    Error(ExcInfo<'a>),
    Text(Cow<'a, str>),
}

/// The record of one logging call (Python's `LogRecord`).
///
/// # Examples
///
/// ```
/// use logkit::{Level, Location, Message, Record, Value};
///
/// let args = [Value::from("alice")];
/// let mut record = Record::new(
///     "app.auth",
///     Level::INFO,
///     Message::dynamic("user %s logged in", &args),
///     Location::new("src/auth.rs", 7, "app::auth"),
/// );
/// record.set_field("ip", Value::from("10.0.0.1"));
/// assert_eq!(&*record.level_name(), "INFO");
/// assert_eq!(record.message_string().unwrap(), "user alice logged in");
/// assert_eq!(record.field("ip").unwrap().to_string(), "10.0.0.1");
/// ```
pub struct Record<'a> {
    name: &'a str,
    level: Level,
    message: Message<'a>,
    location: Location<'a>,
    created: Timestamp,
    fields: &'a [(&'a str, Value<'a>)],
    /// Fields every record of a [`LoggerAdapter`](crate::LoggerAdapter) carries.
    context: &'a [(Cow<'static, str>, Value<'static>)],
    /// What most records do not have, allocated only when set, so the common record is
    /// small and cheap to build and drop.
    rare: Option<Box<Rare<'a>>>,
    /// The thread the record was made on, when it is not the current one and is borrowed
    /// (a queue's listener handing on a record).
    thread: Option<&'a Arc<ThreadInfo>>,
    /// The logging macro call the record was made at ([`Record::of_call`]): its location
    /// and message are the call site's, and `name` is `'static`.
    callsite: Option<&'static Callsite>,
}

/// The parts of a record that most records do not have.
#[derive(Default)]
struct Rare<'a> {
    exc: Option<Exc<'a>>,
    exc_text: OnceCell<String>,
    stack_info: Option<Cow<'a, str>>,
    added: Vec<(Cow<'static, str>, Value<'static>)>,
    thread: Option<Arc<ThreadInfo>>,
}

impl<'a> Record<'a> {
    /// A record created now on the current thread.
    #[inline]
    pub fn new(name: &'a str, level: Level, message: Message<'a>, location: Location<'a>) -> Self {
        Record {
            name,
            level,
            message,
            location,
            created: Timestamp::now(),
            thread: None,
            fields: &[],
            context: &[],
            rare: None,
            callsite: None,
        }
    }

    /// The record of a logging macro call at `callsite` on the logger named `name`: the call
    /// site's location and its message with `args`, created now on the current thread. A
    /// [`QueueHandler`](crate::QueueHandler) sends such a record as the call site's
    /// reference and the arguments, copying nothing else.
    #[doc(hidden)]
    #[inline]
    pub fn of_call(
        callsite: &'static Callsite,
        name: &'static str,
        level: Level,
        args: &'a [crate::message::Arg<'a>],
    ) -> Self {
        Record {
            callsite: Some(callsite),
            ..Record::new(name, level, callsite.message(args), callsite.location())
        }
    }

    /// A record whose logger name and location are `'static`, created at `created` (a
    /// record remade from its parts on another thread).
    #[inline]
    pub(crate) fn new_static_at(
        name: &'static str,
        level: Level,
        message: Message<'a>,
        location: Location<'static>,
        created: Timestamp,
    ) -> Self {
        Record {
            name,
            level,
            message,
            location,
            created,
            thread: None,
            fields: &[],
            context: &[],
            rare: None,
            callsite: None,
        }
    }

    /// The logger's name and the call site, when the record was made by
    /// [`of_call`](Self::of_call).
    #[inline]
    #[allow(unsafe_code)]
    pub(crate) fn call_origin(&self) -> Option<(&'static str, &'static Callsite)> {
        let callsite = self.callsite?;
        // SAFETY: `callsite` is set only by `of_call`, which stored a `&'static str` name;
        // nothing assigns `name` afterwards (it is private and every other method leaves it
        // alone), so it still holds that `'static` borrow and giving it its `'static`
        // lifetime back is sound.
        let name = unsafe { std::mem::transmute::<&'a str, &'static str>(self.name) };
        Some((name, callsite))
    }

    /// With context fields (a [`LoggerAdapter`](crate::LoggerAdapter)'s): available to
    /// templates like the call's fields, which win over them.
    #[must_use]
    #[inline]
    pub fn with_context(mut self, context: &'a [(Cow<'static, str>, Value<'static>)]) -> Self {
        self.context = context;
        self
    }

    fn rare_mut(&mut self) -> &mut Rare<'a> {
        self.rare.get_or_insert_with(Box::default)
    }

    fn rare(&self) -> Option<&Rare<'a>> {
        self.rare.as_deref()
    }

    /// Sets the creation time.
    #[must_use]
    pub fn with_created(mut self, created: Timestamp) -> Self {
        self.created = created;
        self
    }

    /// Attaches an error (Python's `exc_info`).
    #[must_use]
    pub fn with_exc_info(mut self, exc: ExcInfo<'a>) -> Self {
        self.rare_mut().exc = Some(Exc::Error(exc));
        self
    }

    /// Attaches exception text that is already formatted.
    #[must_use]
    pub fn with_exc_text(mut self, text: impl Into<Cow<'a, str>>) -> Self {
        self.rare_mut().exc = Some(Exc::Text(text.into()));
        self
    }

    /// Attaches stack text (Python's `stack_info`).
    #[must_use]
    pub fn with_stack_info(mut self, stack: impl Into<Cow<'a, str>>) -> Self {
        self.rare_mut().stack_info = Some(stack.into());
        self
    }

    /// Attaches user fields (Python's `extra`).
    #[must_use]
    #[inline]
    pub fn with_fields(mut self, fields: &'a [(&'a str, Value<'a>)]) -> Self {
        self.fields = fields;
        self
    }

    /// Marks the record as made on another thread, borrowing that thread's info (for records
    /// handed across threads; see also [`with_thread`](Self::with_thread)).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{Level, Location, Message, Record, ThreadInfo};
    ///
    /// let here = ThreadInfo::current();
    /// let record = Record::new("app", Level::INFO, Message::text("m"), Location::caller())
    ///     .with_thread_ref(&here);
    /// assert_eq!(record.with_thread_info(|t| t.id), here.id);
    /// ```
    #[must_use]
    pub fn with_thread_ref(mut self, thread: &'a Arc<ThreadInfo>) -> Self {
        self.thread = Some(thread);
        self
    }

    /// Marks the record as made on another thread (for records handed across threads).
    #[must_use]
    pub fn with_thread(mut self, thread: Arc<ThreadInfo>) -> Self {
        self.rare_mut().thread = Some(thread);
        self
    }

    /// The logger's name (`name`).
    #[inline]
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The level (`levelno`).
    #[inline]
    pub fn level(&self) -> Level {
        self.level
    }

    /// The level's name (`levelname`).
    #[inline]
    pub fn level_name(&self) -> LevelName {
        self.level.name()
    }

    /// The message, unmerged.
    #[inline]
    pub fn message(&self) -> &Message<'a> {
        &self.message
    }

    /// Writes the merged message (`message`).
    ///
    /// # Errors
    ///
    /// When the template does not match its arguments.
    ///
    /// A filter that replaced `msg` or `args` (`set_field("msg", ...)`) changes the message,
    /// as setting `record.msg` does in Python: `msg % args`, with the replaced parts.
    #[inline]
    pub fn write_message(&self, out: &mut String) -> Result<(), crate::pyfmt::ConvError> {
        if self.has_set_fields() {
            return self.write_replaced_message(out);
        }
        self.message.write(out)
    }

    /// [`write_message`](Self::write_message) for a record a filter changed.
    #[inline(never)]
    fn write_replaced_message(&self, out: &mut String) -> Result<(), crate::pyfmt::ConvError> {
        let msg = self.field("msg").map(|v| match v {
            Value::Str(s) => Cow::Borrowed(&**s),
            other => {
                let mut text = String::new();
                other.write_str(&mut text);
                Cow::Owned(text)
            }
        });
        match (msg, self.field("args")) {
            (None, None) => self.message.write(out),
            (msg, Some(args)) => {
                let template = msg.unwrap_or(Cow::Borrowed(self.message.template()));
                crate::message::write_with_args(out, &template, args)
            }
            (Some(msg), None) => self.message.write_with_template(&msg, out),
        }
    }

    /// The merged message as a new string.
    ///
    /// # Errors
    ///
    /// When the template does not match its arguments.
    pub fn message_string(&self) -> Result<String, crate::pyfmt::ConvError> {
        let mut s = String::new();
        self.write_message(&mut s)?;
        Ok(s)
    }

    /// Where the call was made.
    #[inline]
    pub fn location(&self) -> &Location<'a> {
        &self.location
    }

    /// The creation time (`created`, `msecs`).
    #[inline]
    pub fn created(&self) -> Timestamp {
        self.created
    }

    /// Milliseconds since logging started (`relativeCreated`).
    #[allow(clippy::cast_precision_loss)]
    pub fn relative_created(&self) -> f64 {
        let start =
            crate::clock::fixed_origin().unwrap_or_else(|| *START.get_or_init(Timestamp::now));
        (self.created.as_nanos() - start.as_nanos()) as f64 / 1e6
    }

    /// Runs `f` with the thread the record was made on.
    pub fn with_thread_info<R>(&self, f: impl FnOnce(&ThreadInfo) -> R) -> R {
        if let Some(t) = self.thread {
            return f(t);
        }
        match self.rare().and_then(|r| r.thread.as_ref()) {
            Some(t) => f(t),
            None => f(&ThreadInfo::current()),
        }
    }

    /// The id of the thread the record was made on (no reference count touched).
    #[inline]
    pub(crate) fn thread_id(&self) -> u64 {
        if self.is_from_current_thread() {
            ThreadInfo::current_id()
        } else {
            self.with_thread_info(|t| t.id)
        }
    }

    /// Whether the record was made on the calling thread (no other thread was attached).
    #[inline]
    pub(crate) fn is_from_current_thread(&self) -> bool {
        self.thread.is_none() && self.rare().is_none_or(|r| r.thread.is_none())
    }

    /// The thread the record was made on, shared.
    pub fn thread_info(&self) -> Arc<ThreadInfo> {
        if let Some(t) = self.thread {
            return Arc::clone(t);
        }
        self.rare()
            .and_then(|r| r.thread.clone())
            .unwrap_or_else(ThreadInfo::current)
    }

    /// The process id (`process`).
    pub fn process(&self) -> u32 {
        process_id()
    }

    /// Whether an exception is attached.
    pub fn has_exc(&self) -> bool {
        self.rare().is_some_and(|r| r.exc.is_some())
    }

    /// The attached error, if it is an error value (not pre-formatted text).
    pub fn exc_info(&self) -> Option<&ExcInfo<'a>> {
        match self.rare()?.exc.as_ref()? {
            Exc::Error(e) => Some(e),
            Exc::Text(_) => None,
        }
    }

    /// The formatted exception (`exc_text`), computed once and cached on the record, as
    /// CPython caches it for every handler.
    pub fn exc_text(&self) -> Option<&str> {
        self.exc_text_with(|e| {
            let mut s = String::new();
            e.write_text(&mut s);
            s
        })
    }

    /// As [`exc_text`](Self::exc_text), rendered by `render` if no formatter rendered it
    /// yet (a formatter's `formatException`): the first rendering is cached on the record
    /// and every later formatter reuses it, as CPython's `record.exc_text`.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::{ExcInfo, Level, Location, Message, Record};
    ///
    /// let err = std::io::Error::other("disk on fire");
    /// let record = Record::new("app", Level::ERROR, Message::text("failed"), Location::new("a.rs", 1, "a"))
    ///     .with_exc_info(ExcInfo::new(&err));
    /// assert_eq!(record.exc_text_with(|e| format!("!! {}", e.error)), Some("!! disk on fire"));
    /// assert_eq!(record.exc_text(), Some("!! disk on fire")); // cached
    /// ```
    pub fn exc_text_with(&self, render: impl FnOnce(&ExcInfo<'_>) -> String) -> Option<&str> {
        let rare = self.rare()?;
        match rare.exc.as_ref()? {
            Exc::Text(t) => Some(t),
            Exc::Error(e) => Some(rare.exc_text.get_or_init(|| render(e))),
        }
    }

    /// The stack text (`stack_info`).
    pub fn stack_info(&self) -> Option<&str> {
        self.rare()?.stack_info.as_deref()
    }

    /// A user field (`extra`, or one a filter set); a field set later wins.
    pub fn field(&self, name: &str) -> Option<&Value<'_>> {
        self.rare()
            .map_or(&[][..], |r| &r.added[..])
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .or_else(|| self.fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v))
            .or_else(|| self.context.iter().find(|(k, _)| k == name).map(|(_, v)| v))
    }

    /// Whether the record has any of an exception, stack text, fields set by filters or a
    /// thread of origin (a cheap check before looking for them).
    #[inline]
    pub fn has_rare_parts(&self) -> bool {
        self.rare.is_some()
    }

    /// Whether the call or a logger adapter gave the record fields.
    #[inline]
    pub(crate) fn has_fields(&self) -> bool {
        !self.fields.is_empty() || !self.context.is_empty()
    }

    /// Whether a filter set any field on the record.
    pub fn has_set_fields(&self) -> bool {
        self.rare().is_some_and(|r| !r.added.is_empty())
    }

    /// Every user field: the context's (those the call does not replace), the call's, then
    /// those set by filters.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &Value<'_>)> {
        let call = self.fields;
        self.context
            .iter()
            .filter(move |(k, _)| !call.iter().any(|(c, _)| c == k))
            .map(|(k, v)| (&**k, v))
            .chain(self.fields.iter().map(|(k, v)| (*k, v)))
            .chain(
                self.rare()
                    .map_or(&[][..], |r| &r.added[..])
                    .iter()
                    .map(|(k, v)| (&**k, v)),
            )
    }

    /// Sets a user field (what a Python filter does with `record.x = ...`).
    pub fn set_field(&mut self, name: impl Into<Cow<'static, str>>, value: Value<'_>) {
        let name = name.into();
        let value = value.to_owned_value();
        let added = &mut self.rare_mut().added;
        match added.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => added.push((name, value)),
        }
    }
}

impl fmt::Debug for Record<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // CPython's LogRecord repr: <LogRecord: name, levelno, pathname, lineno, "msg">
        write!(
            f,
            "<LogRecord: {}, {}, {}, {}, {:?}>",
            self.name,
            self.level.value(),
            self.location.file,
            self.location.line,
            self.message.template()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{Level, Location, Message, Record, Timestamp};

    #[test]
    fn call_origin_gives_back_the_call_site_and_name_it_was_made_with() {
        const NAME: &str = "record.static";
        static CALLSITE: crate::Callsite = crate::Callsite::new(
            crate::Source::Named(NAME),
            "app",
            "src/lib.rs",
            7,
            || "app::f",
            "ready",
        );
        let made = Record::of_call(&CALLSITE, NAME, Level::INFO, &[]);
        let (name, callsite) = made.call_origin().expect("made at a call site");
        assert!(std::ptr::eq(name, NAME));
        assert!(std::ptr::eq(callsite, &CALLSITE));
        let at = made.location();
        assert_eq!((at.file, at.line, at.module_path), ("src/lib.rs", 7, "app"));
        assert_eq!(made.message_string().unwrap(), "ready");
        // A record made otherwise, or one remade from its parts, carries no call site.
        let location = Location::new("src/lib.rs", 7, "app");
        let made = Record::new(NAME, Level::INFO, Message::static_text("x"), location);
        assert!(made.call_origin().is_none());
        let remade = Record::new_static_at(
            NAME,
            Level::INFO,
            Message::static_text("x"),
            location,
            Timestamp::new(1, 2),
        );
        assert!(remade.call_origin().is_none());
    }
}
