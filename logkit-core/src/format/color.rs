//! Colour on terminals: when a formatter writes colorlog's escapes (`%(log_color)s`,
//! `%(reset)s`, `%(red)s`, …) and which colour each level gets.
//!
//! A formatter whose template names a colour attribute writes escapes when its [`Color`]
//! says so. [`Color::Auto`] (the default) writes them when the handler formatting the record
//! writes to a terminal ([`StreamHandler`](crate::StreamHandler) on a tty), unless
//! `NO_COLOR` is set, or when `FORCE_COLOR` or `CLICOLOR_FORCE` is set, whatever the
//! output; files, pipes and other handlers get none. Without escapes, a colour attribute
//! prints nothing, so the same template gives CPython's bytes where there is no colour.

use std::cell::Cell;
use std::sync::OnceLock;

use crate::record::Record;
use crate::template::{RESET, UnknownColor, parse_colors};

/// When a formatter writes colours.
///
/// # Examples
///
/// ```
/// use logkit::format::Color;
///
/// assert!(Color::Always.active());
/// assert!(!Color::Never.active());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Color {
    /// To a terminal, as the environment allows (`NO_COLOR`, `FORCE_COLOR`,
    /// `CLICOLOR_FORCE`).
    #[default]
    Auto,
    /// Always, whatever the output (colorlog's `force_color`).
    Always,
    /// Never (colorlog's `no_color`).
    Never,
}

impl Color {
    /// Whether colours are written for the output being formatted now.
    pub fn active(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                let env = environment();
                env.force || (!env.no_color && TERMINAL.with(Cell::get))
            }
        }
    }
}

thread_local! {
    /// Whether the handler formatting on this thread writes to a terminal.
    static TERMINAL: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (a handler formatting a record) with its output marked as a terminal or not:
/// what [`Color::Auto`] looks at. A handler of your own that writes to a terminal wraps its
/// formatting in it.
///
/// # Examples
///
/// ```
/// use logkit::format::{with_terminal_output, Color};
///
/// if std::env::var_os("NO_COLOR").is_none() && std::env::var_os("FORCE_COLOR").is_none() {
///     assert!(with_terminal_output(true, || Color::Auto.active()));
///     assert!(!Color::Auto.active());
/// }
/// ```
#[inline]
pub fn with_terminal_output<R>(terminal: bool, f: impl FnOnce() -> R) -> R {
    // Unchanged (the common case: not a terminal, nothing nested): one read.
    let before = TERMINAL.with(Cell::get);
    if before == terminal {
        return f();
    }
    /// Puts the flag back, also when `f` panics (a handler's panic is caught further up).
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = TERMINAL.try_with(|t| t.set(self.0));
        }
    }
    TERMINAL.with(|t| t.set(terminal));
    let _restore = Restore(before);
    f()
}

/// What the environment says of colour, read once.
struct Environment {
    /// `FORCE_COLOR` or `CLICOLOR_FORCE` set (and not `0`).
    force: bool,
    /// `NO_COLOR` set and not empty.
    no_color: bool,
}

fn environment() -> &'static Environment {
    static ENV: OnceLock<Environment> = OnceLock::new();
    ENV.get_or_init(|| {
        let set = |name: &str| {
            std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
        };
        Environment {
            force: set("FORCE_COLOR") || set("CLICOLOR_FORCE"),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    })
}

/// The colour of each level (colorlog's `log_colors`): level names to colour sequences.
///
/// The default is colorlog's: DEBUG white, INFO green, WARNING yellow, ERROR red, CRITICAL
/// bold red; and TRACE light black (grey), which colorlog does not name.
///
/// # Examples
///
/// ```
/// use logkit::format::LogColors;
///
/// let colors = LogColors::new([("INFO", "cyan"), ("ERROR", "bold_red,bg_white")])?;
/// assert_eq!(colors.escape_for("ERROR"), "\x1b[1;31m\x1b[47m");
/// assert_eq!(colors.escape_for("DEBUG"), ""); // not named: no colour
/// assert!(LogColors::new([("INFO", "cyna")]).is_err());
/// # Ok::<(), logkit::template::UnknownColor>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogColors {
    /// Level names and their escapes.
    levels: Vec<(Box<str>, Box<str>)>,
}

impl LogColors {
    /// Colours by level name, each a colour sequence as colorlog writes them
    /// (`"bold_red,bg_white"`).
    ///
    /// # Errors
    ///
    /// A colour name colorlog does not know.
    pub fn new<'a>(
        levels: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, UnknownColor> {
        let levels = levels
            .into_iter()
            .map(|(level, colors)| Ok((level.into(), parse_colors(colors)?.into())))
            .collect::<Result<_, UnknownColor>>()?;
        Ok(LogColors { levels })
    }

    /// The escape of the level named `level_name` (empty for a level not named).
    pub fn escape_for(&self, level_name: &str) -> &str {
        self.levels
            .iter()
            .find(|(name, _)| &**name == level_name)
            .map_or("", |(_, escape)| escape)
    }
}

impl Default for LogColors {
    fn default() -> Self {
        let defaults = [
            ("TRACE", "light_black"),
            ("DEBUG", "white"),
            ("INFO", "green"),
            ("WARNING", "yellow"),
            ("ERROR", "red"),
            ("CRITICAL", "bold_red"),
        ];
        match LogColors::new(defaults) {
            Ok(colors) => colors,
            Err(_) => unreachable!("the default colours are colorlog's names"),
        }
    }
}

/// How a formatter colours: the level colours, when, and whether a reset ends each record.
///
/// # Examples
///
/// ```
/// use logkit::format::{Color, ColorScheme, LogColors};
///
/// let scheme = ColorScheme::new(LogColors::default(), Color::Always, true);
/// assert!(scheme.active());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColorScheme {
    log_colors: LogColors,
    color: Color,
    reset: bool,
}

impl ColorScheme {
    /// A scheme: the level colours, when to colour, and whether to end each record with a
    /// reset (colorlog's `reset=True`).
    pub fn new(log_colors: LogColors, color: Color, reset: bool) -> Self {
        ColorScheme {
            log_colors,
            color,
            reset,
        }
    }

    /// colorlog's defaults: its colours, on a terminal, a reset at the end.
    pub fn colorlog() -> Self {
        ColorScheme::new(LogColors::default(), Color::Auto, true)
    }

    /// Whether colours are written for the output being formatted now.
    #[inline]
    pub fn active(&self) -> bool {
        self.color.active()
    }

    /// Writes `%(log_color)s`: the escape of the record's level.
    pub fn write_log_color(&self, record: &Record<'_>, out: &mut String) {
        out.push_str(self.log_colors.escape_for(&record.level_name()));
    }

    /// Ends a record's text, which starts at `start` in `out` (before its exception), as
    /// colorlog does: a reset, unless the text ends with one or the scheme has none.
    pub fn finish(&self, out: &mut String, start: usize) {
        if self.reset && !out[start..].ends_with(RESET) {
            out.push_str(RESET);
        }
    }
}
