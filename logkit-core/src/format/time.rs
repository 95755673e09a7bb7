//! `asctime`: the record's creation time as text, rendered at most once per second per thread.
//!
//! CPython calls `strftime` for every record; with a per-second cache the common case is one
//! copy of the 23 bytes of `2023-11-14 22:13:20,125`: the cached text keeps the `,mmm` of the
//! last millisecond written, and only those digits are rewritten when the millisecond
//! changes. The cache is per thread, so reading it takes no lock; it holds a few entries so
//! that several formatters with different date formats do not evict each other, and looks at
//! the one used last first.
//!
//! What a formatter does not set itself — the converter, `default_time_format`,
//! `default_msec_format` — comes from the process-wide [`TimeDefaults`], as CPython's
//! formatters read them from the `Formatter` class (`logging.Formatter.converter =
//! time.gmtime` puts every formatter in UTC).

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use arc_swap::ArcSwapOption;

use crate::clock::{self, Converter};
use crate::record::Timestamp;

/// The process-wide time settings of every formatter that does not set its own: CPython's
/// `Formatter` class attributes `converter`, `default_time_format` and
/// `default_msec_format`. [`TimeDefaults::default`] is CPython's.
///
/// # Examples
///
/// ```
/// use logkit::clock::Converter;
/// use logkit::format::time::{TimeDefaults, TimeFormat, set_time_defaults};
/// use logkit::Timestamp;
///
/// // logging.Formatter.converter = time.gmtime
/// // logging.Formatter.default_msec_format = '%s.%03d'
/// set_time_defaults(
///     TimeDefaults::default()
///         .converter(Converter::Utc)
///         .default_msec_format(Some("%s.%03d")),
/// );
/// let t = Timestamp::new(1_700_000_000, 125_000_000);
/// let mut out = String::new();
/// TimeFormat::default().write(t, &mut out);
/// assert_eq!(out, "2023-11-14 22:13:20.125");
/// # set_time_defaults(TimeDefaults::default());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeDefaults {
    converter: Converter,
    default_time_format: Option<Box<str>>,
    msec_format: MsecFormat,
}

impl Default for TimeDefaults {
    /// CPython's: local time, `%Y-%m-%d %H:%M:%S`, `%s,%03d`.
    fn default() -> Self {
        CPYTHON_DEFAULTS.0.clone()
    }
}

impl TimeDefaults {
    /// Local time or UTC (`Formatter.converter`).
    #[must_use]
    pub fn converter(mut self, converter: Converter) -> Self {
        self.converter = converter;
        self
    }

    /// The `strftime` format used without a `datefmt` (`Formatter.default_time_format`).
    #[must_use]
    pub fn default_time_format(mut self, fmt: &str) -> Self {
        self.default_time_format = (fmt != DEFAULT_TIME_FORMAT).then(|| fmt.into());
        self
    }

    /// The `%`-template joining the time and its milliseconds (`Formatter.default_msec_format`);
    /// `None` drops the milliseconds.
    #[must_use]
    pub fn default_msec_format(mut self, fmt: Option<&str>) -> Self {
        self.msec_format = MsecFormat::of(fmt);
        self
    }
}

/// CPython's `Formatter.default_time_format`.
const DEFAULT_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// CPython's defaults, with key 0.
static CPYTHON_DEFAULTS: (TimeDefaults, u64) = (
    TimeDefaults {
        converter: Converter::Local,
        default_time_format: None,
        msec_format: MsecFormat::Comma,
    },
    0,
);

/// The process-wide defaults and the cache key of their renderings; `None`: CPython's.
static DEFAULTS: ArcSwapOption<(TimeDefaults, u64)> = ArcSwapOption::const_empty();
/// Whether [`set_time_defaults`] was ever called (until then nothing is loaded per record).
static DEFAULTS_SET: AtomicBool = AtomicBool::new(false);

/// Sets the process-wide time settings of every formatter that does not set its own, from
/// its next record on (CPython's `logging.Formatter.converter = time.gmtime`,
/// `Formatter.default_time_format = ...`, `Formatter.default_msec_format = ...`).
///
/// See [`TimeDefaults`] for an example.
pub fn set_time_defaults(defaults: TimeDefaults) {
    let key = NEXT_KEY.fetch_add(2, Ordering::Relaxed);
    DEFAULTS.store(Some(Arc::new((defaults, key))));
    DEFAULTS_SET.store(true, Ordering::Release);
}

/// How a formatter renders `asctime` (Python's `datefmt`, `converter`,
/// `default_time_format` and `default_msec_format`).
///
/// # Examples
///
/// ```
/// use logkit::format::time::TimeFormat;
/// use logkit::clock::Converter;
/// use logkit::Timestamp;
///
/// let t = Timestamp::new(1_700_000_000, 125_900_000);
/// let mut out = String::new();
/// TimeFormat::default().with_converter(Converter::Utc).write(t, &mut out);
/// assert_eq!(out, "2023-11-14 22:13:20,125");
///
/// out.clear();
/// TimeFormat::with_datefmt("%H:%M:%S").with_converter(Converter::Utc).write(t, &mut out);
/// assert_eq!(out, "22:13:20");
/// ```
#[derive(Clone, Debug, Default)]
pub struct TimeFormat {
    datefmt: Option<Box<str>>,
    /// `None`: the process-wide default's.
    converter: Option<Converter>,
    /// `None`: the process-wide default's.
    default_time_format: Option<Box<str>>,
    /// `None`: the process-wide default's.
    msec_format: Option<MsecFormat>,
    key: u64,
}

/// The settings a rendering uses: the format's own, else the process-wide defaults'.
struct Effective<'a> {
    converter: Converter,
    default_time_format: Option<&'a str>,
    msec_format: &'a MsecFormat,
    key: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum MsecFormat {
    /// `'%s,%03d'`, CPython's default, written directly.
    Comma,
    /// No milliseconds (`default_msec_format = None`).
    None,
    /// Another `%`-template taking the time text and the milliseconds.
    Custom(Box<str>),
}

static NEXT_KEY: AtomicU64 = AtomicU64::new(2);

impl MsecFormat {
    fn of(fmt: Option<&str>) -> Self {
        match fmt {
            None => MsecFormat::None,
            Some("%s,%03d") => MsecFormat::Comma,
            Some(f) => MsecFormat::Custom(f.into()),
        }
    }
}

impl TimeFormat {
    /// Renders with `strftime(datefmt)` and no milliseconds, as CPython does when a
    /// `datefmt` is given. An empty `datefmt` means none.
    pub fn with_datefmt(datefmt: &str) -> Self {
        let mut t = TimeFormat::default();
        if !datefmt.is_empty() {
            t.datefmt = Some(datefmt.into());
            t.key = NEXT_KEY.fetch_add(2, Ordering::Relaxed);
        }
        t
    }

    /// Uses local time or UTC (Python's `converter = time.gmtime` on one formatter); without
    /// it, the process-wide default ([`set_time_defaults`]).
    #[must_use]
    pub fn with_converter(mut self, converter: Converter) -> Self {
        self.converter = Some(converter);
        self
    }

    /// Replaces `default_time_format` (`%Y-%m-%d %H:%M:%S`), used when there is no `datefmt`.
    #[must_use]
    pub fn with_default_time_format(mut self, fmt: &str) -> Self {
        self.default_time_format = Some(fmt.into());
        self.key = NEXT_KEY.fetch_add(2, Ordering::Relaxed);
        self
    }

    /// Replaces `default_msec_format` (`%s,%03d`); `None` drops the milliseconds.
    #[must_use]
    pub fn with_default_msec_format(mut self, fmt: Option<&str>) -> Self {
        self.msec_format = Some(MsecFormat::of(fmt));
        self
    }

    /// The date format, if any.
    pub fn datefmt(&self) -> Option<&str> {
        self.datefmt.as_deref()
    }

    /// The converter: this format's, else the process-wide default's.
    pub fn converter(&self) -> Converter {
        match self.converter {
            Some(c) => c,
            None => self.effective_with(&current_defaults()).converter,
        }
    }

    /// Appends the rendered time (Python's `formatTime`).
    #[inline]
    pub fn write(&self, created: Timestamp, out: &mut String) {
        if DEFAULTS_SET.load(Ordering::Relaxed) {
            self.write_with_defaults(created, out);
            return;
        }
        // CPython's defaults wherever this format sets nothing: no lookup, no key mixing.
        let how = Effective {
            converter: self.converter.unwrap_or(Converter::Local),
            default_time_format: self.default_time_format.as_deref(),
            msec_format: self.msec_format.as_ref().unwrap_or(&MsecFormat::Comma),
            key: self.key,
        };
        self.write_how(&how, created, out);
    }

    /// [`write`](Self::write) once [`set_time_defaults`] was called.
    #[cold]
    #[inline(never)]
    fn write_with_defaults(&self, created: Timestamp, out: &mut String) {
        match DEFAULTS.load().as_deref() {
            Some(defaults) => self.write_with(created, defaults, out),
            None => self.write_with(created, &CPYTHON_DEFAULTS, out),
        }
    }

    /// The settings to render with, given the process-wide `defaults` (and their key).
    fn effective_with<'a>(&'a self, defaults: &'a (TimeDefaults, u64)) -> Effective<'a> {
        let (class, class_key) = defaults;
        let inherits = self.converter.is_none()
            || self.default_time_format.is_none()
            || self.msec_format.is_none();
        Effective {
            converter: self.converter.unwrap_or(class.converter),
            default_time_format: self
                .default_time_format
                .as_deref()
                .or(class.default_time_format.as_deref()),
            msec_format: self.msec_format.as_ref().unwrap_or(&class.msec_format),
            // A rendering that takes anything from the defaults is cached under both keys.
            key: if inherits {
                self.key ^ class_key.rotate_left(32)
            } else {
                self.key
            },
        }
    }

    fn write_with(&self, created: Timestamp, defaults: &(TimeDefaults, u64), out: &mut String) {
        let how = self.effective_with(defaults);
        self.write_how(&how, created, out);
    }

    #[inline]
    fn write_how(&self, how: &Effective<'_>, created: Timestamp, out: &mut String) {
        // CPython's default: the whole-second text and `,mmm`, from the cache.
        if self.datefmt.is_none() && *how.msec_format == MsecFormat::Comma {
            let ms = created.subsec_nanos() / 1_000_000;
            self.write_cached(how, created.secs(), Some(ms), out);
        } else {
            self.write_other(how, created, out);
        }
    }

    /// [`write`](Self::write) with a `datefmt`, no milliseconds or another millisecond
    /// format.
    fn write_other(&self, how: &Effective<'_>, created: Timestamp, out: &mut String) {
        if self.datefmt.is_some() {
            self.write_cached(how, created.secs(), None, out);
            return;
        }
        let ms = created.subsec_nanos() / 1_000_000;
        match how.msec_format {
            MsecFormat::Comma => self.write_cached(how, created.secs(), Some(ms), out),
            MsecFormat::None => self.write_cached(how, created.secs(), None, out),
            MsecFormat::Custom(f) => {
                let mut time_text = String::new();
                self.write_cached(how, created.secs(), None, &mut time_text);
                let args = [
                    crate::Value::from(time_text.as_str()),
                    crate::Value::from(ms),
                ];
                let start = out.len();
                if crate::Message::dynamic(f, &args).write(out).is_err() {
                    out.truncate(start);
                    out.push_str(&time_text);
                }
            }
        }
    }

    /// Appends the whole-second text, then `,` and the three digits of `ms` when given
    /// (CPython's default `'%s,%03d'`), from this thread's cache when it has them.
    fn write_cached(&self, how: &Effective<'_>, secs: i64, ms: Option<u32>, out: &mut String) {
        let key = how.key | u64::from(how.converter == Converter::Utc);
        let cached = CACHE.try_with(|cache| {
            let mut cache = cache.borrow_mut();
            let entry = cache.entry(key, secs, |text| self.render_seconds(how, secs, text));
            match ms {
                Some(ms) => super::push_text(out, entry.with_millis(ms)),
                None => super::push_text(out, entry.seconds()),
            }
        });
        if cached.is_err() {
            // The thread is exiting and its cache is gone: render directly.
            self.render_seconds(how, secs, out);
            if let Some(ms) = ms {
                push_millis(out, ms);
            }
        }
    }

    fn render_seconds(&self, how: &Effective<'_>, secs: i64, out: &mut String) {
        let tm = how.converter.convert(secs);
        match (self.datefmt.as_deref(), how.default_time_format) {
            (Some(f), _) | (None, Some(f)) => clock::strftime(out, f, &tm),
            (None, None) => clock::format_default_asctime(out, &tm),
        }
    }
}

/// The process-wide defaults and their key (CPython's, with key 0, until set).
fn current_defaults() -> Arc<(TimeDefaults, u64)> {
    DEFAULTS
        .load_full()
        .unwrap_or_else(|| Arc::new(CPYTHON_DEFAULTS.clone()))
}

/// Appends `,` and `ms` as three digits.
fn push_millis(out: &mut String, ms: u32) {
    out.push(',');
    for d in [ms / 100 % 10, ms / 10 % 10, ms % 10] {
        #[allow(clippy::cast_possible_truncation)]
        out.push(char::from(b'0' + d as u8));
    }
}

/// How many renderings a thread keeps (a power of two, so a slot index is masked).
const CACHE_SLOTS: usize = 4;

/// The room each slot's text gets at first (a longer rendering grows it once).
const SLOT_TEXT: usize = 96;

/// The text of one second under one format.
struct Entry {
    key: u64,
    secs: i64,
    /// The length of the whole-second text at the start of `text`.
    seconds_len: usize,
    /// The millisecond whose `,mmm` follows the seconds in `text`, or `u32::MAX` for none.
    ms: u32,
    text: String,
}

impl Entry {
    const EMPTY: Entry = Entry {
        key: u64::MAX,
        secs: i64::MIN,
        seconds_len: 0,
        ms: u32::MAX,
        text: String::new(),
    };

    /// The whole-second text.
    fn seconds(&self) -> &str {
        self.text.get(..self.seconds_len).unwrap_or_default()
    }

    /// The whole-second text followed by `,mmm`: within one second only the three digits
    /// are rewritten, once per millisecond.
    fn with_millis(&mut self, ms: u32) -> &str {
        if self.ms != ms {
            self.text.truncate(self.seconds_len);
            push_millis(&mut self.text, ms);
            self.ms = ms;
        }
        &self.text
    }
}

struct Cache {
    entries: [Entry; CACHE_SLOTS],
    next: usize,
    /// The slot used last, looked at first.
    last: usize,
}

impl Cache {
    /// The entry for the second `secs` under the format `key`, rendered with `render` if no
    /// slot has it.
    #[inline]
    fn entry(&mut self, key: u64, secs: i64, render: impl FnOnce(&mut String)) -> &mut Entry {
        let last = self.last % CACHE_SLOTS;
        let hit = &self.entries[last];
        if hit.key == key && hit.secs == secs {
            return &mut self.entries[last];
        }
        self.miss(key, secs, render)
    }

    /// The entry when the last one used is another: another slot's, or a new rendering.
    fn miss(&mut self, key: u64, secs: i64, render: impl FnOnce(&mut String)) -> &mut Entry {
        let slot = match self
            .entries
            .iter()
            .position(|e| e.key == key && e.secs == secs)
        {
            Some(i) => i,
            None => {
                let i = self.next;
                self.next = (i + 1) % CACHE_SLOTS;
                if self.entries[i].text.capacity() == 0 {
                    // Every slot's room at once, at the first rendering: a slot first used
                    // when a later second starts must not allocate then.
                    for e in &mut self.entries {
                        e.text.reserve(SLOT_TEXT);
                    }
                }
                let entry = &mut self.entries[i];
                entry.key = key;
                entry.secs = secs;
                entry.ms = u32::MAX;
                entry.text.clear();
                render(&mut entry.text);
                entry.seconds_len = entry.text.len();
                i
            }
        };
        self.last = slot;
        &mut self.entries[slot]
    }
}

thread_local! {
    static CACHE: RefCell<Cache> = const {
        RefCell::new(Cache {
            entries: [Entry::EMPTY; CACHE_SLOTS],
            next: 0,
            last: 0,
        })
    };
}
