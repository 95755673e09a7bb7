//! The record attributes a template can name, with the Python type of each.
//!
//! The names and types are CPython 3.11's `LogRecord` attributes. The type decides how a
//! conversion treats the value: `%(msecs)03d` truncates a float, `%(lineno)s` prints an int,
//! `%(name)d` is an error.

/// A `LogRecord` attribute.
///
/// # Examples
///
/// ```
/// use logkit::template::{Attr, AttrKind};
///
/// assert_eq!(Attr::from_name("levelname"), Some(Attr::LevelName));
/// assert_eq!(Attr::Msecs.kind(), AttrKind::Float);
/// assert_eq!(Attr::FuncName.name(), "funcName");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attr {
    /// `name`: the logger's name.
    Name,
    /// `msg`: the message template before merging.
    Msg,
    /// `args`: the message arguments.
    Args,
    /// `levelno`: the numeric level.
    LevelNo,
    /// `levelname`: the level's name.
    LevelName,
    /// `pathname`: the source file's path.
    PathName,
    /// `filename`: the source file's name.
    FileName,
    /// `module`: the source file's name without extension.
    Module,
    /// `lineno`: the source line.
    LineNo,
    /// `funcName`: the calling function.
    FuncName,
    /// `created`: seconds since the epoch, a float.
    Created,
    /// `msecs`: the millisecond part of `created`, a float with no fraction.
    Msecs,
    /// `relativeCreated`: milliseconds since logging started, a float.
    RelativeCreated,
    /// `thread`: the thread's id.
    Thread,
    /// `threadName`: the thread's name.
    ThreadName,
    /// `process`: the process id.
    Process,
    /// `processName`: the process name.
    ProcessName,
    /// `message`: the merged message.
    Message,
    /// `asctime`: the formatted creation time.
    Asctime,
    /// `exc_info`: the exception, if any.
    ExcInfo,
    /// `exc_text`: the formatted exception, or `None`.
    ExcText,
    /// `stack_info`: the formatted stack, or `None`.
    StackInfo,
}

/// The Python type of an attribute's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrKind {
    /// `str`
    Str,
    /// `int`
    Int,
    /// `float`
    Float,
    /// A `str` or `None` (`exc_text`, `stack_info`) or another object printed with `str()`.
    Object,
}

impl Attr {
    /// The attributes of `record.__dict__` in CPython 3.11's order (`message` and `asctime` are
    /// there only after some formatter ran, so they are left out).
    #[cfg(feature = "runtime")]
    pub(crate) const DICT_ORDER: [Attr; 20] = [
        Attr::Name,
        Attr::Msg,
        Attr::Args,
        Attr::LevelName,
        Attr::LevelNo,
        Attr::PathName,
        Attr::FileName,
        Attr::Module,
        Attr::ExcInfo,
        Attr::ExcText,
        Attr::StackInfo,
        Attr::LineNo,
        Attr::FuncName,
        Attr::Created,
        Attr::Msecs,
        Attr::RelativeCreated,
        Attr::Thread,
        Attr::ThreadName,
        Attr::ProcessName,
        Attr::Process,
    ];

    /// Every attribute, in CPython's documentation order.
    pub const ALL: [Attr; 22] = [
        Attr::Args,
        Attr::Asctime,
        Attr::Created,
        Attr::ExcInfo,
        Attr::ExcText,
        Attr::FileName,
        Attr::FuncName,
        Attr::LevelName,
        Attr::LevelNo,
        Attr::LineNo,
        Attr::Message,
        Attr::Module,
        Attr::Msecs,
        Attr::Msg,
        Attr::Name,
        Attr::PathName,
        Attr::Process,
        Attr::ProcessName,
        Attr::RelativeCreated,
        Attr::StackInfo,
        Attr::Thread,
        Attr::ThreadName,
    ];

    /// The attribute with this exact (case-sensitive) name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The attribute's name as CPython spells it.
    pub fn name(self) -> &'static str {
        match self {
            Attr::Name => "name",
            Attr::Msg => "msg",
            Attr::Args => "args",
            Attr::LevelNo => "levelno",
            Attr::LevelName => "levelname",
            Attr::PathName => "pathname",
            Attr::FileName => "filename",
            Attr::Module => "module",
            Attr::LineNo => "lineno",
            Attr::FuncName => "funcName",
            Attr::Created => "created",
            Attr::Msecs => "msecs",
            Attr::RelativeCreated => "relativeCreated",
            Attr::Thread => "thread",
            Attr::ThreadName => "threadName",
            Attr::Process => "process",
            Attr::ProcessName => "processName",
            Attr::Message => "message",
            Attr::Asctime => "asctime",
            Attr::ExcInfo => "exc_info",
            Attr::ExcText => "exc_text",
            Attr::StackInfo => "stack_info",
        }
    }

    /// The Python type of the attribute's value.
    pub fn kind(self) -> AttrKind {
        match self {
            Attr::Name
            | Attr::LevelName
            | Attr::PathName
            | Attr::FileName
            | Attr::Module
            | Attr::FuncName
            | Attr::ThreadName
            | Attr::ProcessName
            | Attr::Message
            | Attr::Asctime
            | Attr::Msg => AttrKind::Str,
            Attr::LevelNo | Attr::LineNo | Attr::Thread | Attr::Process => AttrKind::Int,
            Attr::Created | Attr::Msecs | Attr::RelativeCreated => AttrKind::Float,
            Attr::Args | Attr::ExcInfo | Attr::ExcText | Attr::StackInfo => AttrKind::Object,
        }
    }

    /// The attribute names, comma separated, for error messages.
    pub fn names_list() -> String {
        let mut s = String::new();
        for (i, a) in Self::ALL.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(a.name());
        }
        s
    }

    /// The known attribute whose name is closest to `name`, for "did you mean" hints.
    pub fn closest(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .map(|a| (edit_distance(&lower, &a.name().to_ascii_lowercase()), a))
            .filter(|(d, _)| *d <= 2 || lower.len() > 4 && *d <= 3)
            .min_by_key(|(d, _)| *d)
            .map(|(_, a)| a)
    }
}

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
