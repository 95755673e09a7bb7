//! Levels: Python's numbers (DEBUG 10 … CRITICAL 50), custom levels and the name table.
//!
//! The name table is two maps, as in CPython: number → name and name → number. Adding a name
//! for an existing number renames it for records created afterwards, and the old name keeps
//! mapping to the number. Reads on the logging path take no lock: the standard names are
//! constants until the first [`add_level_name`], and after that the table is an immutable
//! snapshot behind an `ArcSwap`.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwapOption;

/// A logging level: a number, where higher is more severe.
///
/// The standard levels are constants; any other number is a custom level
/// (name it with [`add_level_name`]).
///
/// # Examples
///
/// ```
/// use logkit::Level;
///
/// assert!(Level::ERROR > Level::WARNING);
/// assert_eq!(Level::INFO.value(), 20);
/// assert_eq!(Level::new(25).to_string(), "Level 25");
/// assert_eq!("WARN".parse::<Level>().unwrap(), Level::WARNING);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Level(i32);

impl Level {
    /// 0: "inherit" for loggers, "everything" for handlers.
    pub const NOTSET: Level = Level(0);
    /// 5: finer than DEBUG, named `TRACE`: the level of the `log` and `tracing` crates'
    /// `trace!` records. Not one of CPython's levels (its name is registered from the start,
    /// as if by `logging.addLevelName(5, 'TRACE')`).
    pub const TRACE: Level = Level(5);
    /// 10: detailed information for diagnosing problems.
    pub const DEBUG: Level = Level(10);
    /// 20: confirmation that things work as expected.
    pub const INFO: Level = Level(20);
    /// 30: something unexpected happened, or may happen soon.
    pub const WARNING: Level = Level(30);
    /// WARNING, under the name Rust's `log` and `tracing` (and Python's `logging.WARN`) give
    /// it.
    pub const WARN: Level = Level::WARNING;
    /// 40: a function could not be performed.
    pub const ERROR: Level = Level(40);
    /// 50: the program may not be able to continue.
    pub const CRITICAL: Level = Level(50);
    /// CRITICAL, as Python's `logging.FATAL`.
    pub const FATAL: Level = Level::CRITICAL;

    /// A level with the given number.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Level;
    /// const NOTICE: Level = Level::new(25);
    /// assert!(NOTICE > Level::INFO && NOTICE < Level::WARNING);
    /// ```
    pub const fn new(value: i32) -> Self {
        Level(value)
    }

    /// The level's number.
    pub const fn value(self) -> i32 {
        self.0
    }

    /// The level's current name: the registered one, or `Level N`.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Level;
    /// assert_eq!(&*Level::CRITICAL.name(), "CRITICAL");
    /// assert_eq!(&*Level::new(7).name(), "Level 7");
    /// ```
    #[inline]
    pub fn name(self) -> LevelName {
        if !CUSTOMIZED.load(Ordering::Acquire) {
            if let Some(n) = standard_name(self.0) {
                return LevelName(Repr::Static(n));
            }
        }
        self.name_from_table()
    }

    /// The name of a level that is not a standard one, or of any level once names were
    /// added.
    fn name_from_table(self) -> LevelName {
        if CUSTOMIZED.load(Ordering::Acquire) {
            if let Some(table) = TABLE.load().as_ref() {
                return match table.to_name.get(&self.0) {
                    Some(n) => LevelName(Repr::Shared(n.clone())),
                    None => LevelName::numbered(self.0),
                };
            }
        }
        match standard_name(self.0) {
            Some(n) => LevelName(Repr::Static(n)),
            None => LevelName::numbered(self.0),
        }
    }

    /// The level registered under `name` (case-sensitive, as Python): the standard names,
    /// `WARN`, `FATAL`, and names added with [`add_level_name`].
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::Level;
    /// assert_eq!(Level::from_name("FATAL"), Some(Level::CRITICAL));
    /// assert_eq!(Level::from_name("info"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Level> {
        if CUSTOMIZED.load(Ordering::Acquire) {
            if let Some(table) = TABLE.load().as_ref() {
                return table.to_level.get(name).map(|v| Level(*v));
            }
        }
        standard_level(name).map(Level)
    }
}

impl fmt::Debug for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Level({}, {:?})", self.0, &*self.name())
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.name())
    }
}

impl From<i32> for Level {
    fn from(value: i32) -> Self {
        Level(value)
    }
}

/// The error for a level name that is not registered.
///
/// # Examples
///
/// ```
/// use logkit::Level;
/// let err = "LOUD".parse::<Level>().unwrap_err();
/// assert_eq!(err.to_string(), "Unknown level: 'LOUD'");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLevel(pub String);

impl fmt::Display for UnknownLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unknown level: '{}'", self.0)
    }
}

impl std::error::Error for UnknownLevel {}

impl FromStr for Level {
    type Err = UnknownLevel;

    /// Parses a registered level name, case-sensitively, as Python's `_checkLevel`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::from_name(s).ok_or_else(|| UnknownLevel(s.to_owned()))
    }
}

/// A level's name, borrowed from the table or built for an unnamed level.
///
/// Derefs to `str`; building one never allocates.
#[derive(Clone)]
pub struct LevelName(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
    Numbered { buf: [u8; 17], len: u8 },
}

impl LevelName {
    fn numbered(value: i32) -> Self {
        let mut buf = [0u8; 17];
        buf[..6].copy_from_slice(b"Level ");
        let mut itoa = itoa::Buffer::new();
        let digits = itoa.format(value).as_bytes();
        buf[6..6 + digits.len()].copy_from_slice(digits);
        #[allow(clippy::cast_possible_truncation)]
        let len = (6 + digits.len()) as u8;
        LevelName(Repr::Numbered { buf, len })
    }
}

impl Deref for LevelName {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
            Repr::Numbered { buf, len } => {
                std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or("Level")
            }
        }
    }
}

impl fmt::Debug for LevelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for LevelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self)
    }
}

// === the name table ===

struct Table {
    to_name: BTreeMap<i32, Arc<str>>,
    to_level: BTreeMap<Arc<str>, i32>,
    /// The names in the order they were first given (CPython's dict order).
    order: Vec<Arc<str>>,
}

/// Set once a name was added; until then the constant standard names answer.
static CUSTOMIZED: AtomicBool = AtomicBool::new(false);
static TABLE: ArcSwapOption<Table> = ArcSwapOption::const_empty();
/// Serialises writers; readers never take it.
static WRITE: Mutex<()> = Mutex::new(());

const STANDARD: [(i32, &str); 7] = [
    (50, "CRITICAL"),
    (40, "ERROR"),
    (30, "WARNING"),
    (20, "INFO"),
    (10, "DEBUG"),
    (5, "TRACE"),
    (0, "NOTSET"),
];

/// The standard name of a level (the `STANDARD` table, as one `match`).
#[inline]
fn standard_name(value: i32) -> Option<&'static str> {
    match value {
        50 => Some("CRITICAL"),
        40 => Some("ERROR"),
        30 => Some("WARNING"),
        20 => Some("INFO"),
        10 => Some("DEBUG"),
        5 => Some("TRACE"),
        0 => Some("NOTSET"),
        _ => None,
    }
}

fn standard_level(name: &str) -> Option<i32> {
    match name {
        "WARN" => Some(30),
        "FATAL" => Some(50),
        _ => STANDARD.iter().find(|(_, n)| *n == name).map(|(v, _)| *v),
    }
}

/// CPython's `_nameToLevel`, in its order, then logkit's TRACE (as if added by
/// `addLevelName(5, 'TRACE')`).
const NAMES_IN_ORDER: [(&str, i32); 9] = [
    ("CRITICAL", 50),
    ("FATAL", 50),
    ("ERROR", 40),
    ("WARN", 30),
    ("WARNING", 30),
    ("INFO", 20),
    ("DEBUG", 10),
    ("NOTSET", 0),
    ("TRACE", 5),
];

fn standard_table() -> Table {
    let to_name = STANDARD.iter().map(|(v, n)| (*v, Arc::from(*n))).collect();
    let order: Vec<Arc<str>> = NAMES_IN_ORDER.iter().map(|(n, _)| Arc::from(*n)).collect();
    let to_level = order
        .iter()
        .zip(NAMES_IN_ORDER)
        .map(|(n, (_, v))| (Arc::clone(n), v))
        .collect();
    Table {
        to_name,
        to_level,
        order,
    }
}

/// Names a level, as Python's `logging.addLevelName`: records created afterwards show the
/// name, and the name parses back to the level.
///
/// # Examples
///
/// ```
/// use logkit::{add_level_name, Level};
///
/// add_level_name(Level::new(25), "NOTICE");
/// assert_eq!(&*Level::new(25).name(), "NOTICE");
/// assert_eq!("NOTICE".parse::<Level>().unwrap(), Level::new(25));
/// ```
pub fn add_level_name(level: Level, name: &str) {
    let _guard = WRITE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let current = TABLE.load_full();
    let mut table = match current.as_deref() {
        Some(t) => Table {
            to_name: t.to_name.clone(),
            to_level: t.to_level.clone(),
            order: t.order.clone(),
        },
        None => standard_table(),
    };
    let name: Arc<str> = Arc::from(name);
    table.to_name.insert(level.0, name.clone());
    if table.to_level.insert(Arc::clone(&name), level.0).is_none() {
        table.order.push(name);
    }
    TABLE.store(Some(Arc::new(table)));
    CUSTOMIZED.store(true, Ordering::Release);
}

/// Every registered name with its level, in the order Python's `getLevelNamesMapping()`
/// gives them: CPython's names (`CRITICAL`, `FATAL`, `ERROR`, `WARN`, `WARNING`, `INFO`,
/// `DEBUG`, `NOTSET`), then `TRACE`, then names added with [`add_level_name`] in the order
/// they were first added.
///
/// # Examples
///
/// ```
/// use logkit::{level_names, Level};
/// let names = level_names();
/// assert_eq!(names[0], ("CRITICAL".to_owned(), Level::CRITICAL));
/// assert!(names.contains(&("WARN".to_owned(), Level::WARNING)));
/// assert!(names.len() >= 9);
/// ```
pub fn level_names() -> Vec<(String, Level)> {
    let in_order = |t: &Table| {
        t.order
            .iter()
            .filter_map(|n| t.to_level.get(n).map(|v| (n.to_string(), Level(*v))))
            .collect()
    };
    match TABLE.load().as_deref() {
        Some(t) => in_order(t),
        None => in_order(&standard_table()),
    }
}
