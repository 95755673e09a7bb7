//! colorlog's colour attributes in record templates: `%(log_color)s` (the colour of the
//! record's level), `%(reset)s`, and the named ANSI escapes (`%(red)s`, `%(bold_red)s`,
//! `%(bg_white)s`, `%(fg_208)s`, …), with the names and codes of colorlog's `escape_codes`.
//!
//! A template written for colorlog's `ColoredFormatter` names the same attributes; whether a
//! formatter writes the escapes (only to a terminal, unless told otherwise) is the
//! formatter's business, not the parser's.
//!
//! # Examples
//!
//! ```
//! use logkit::template::{ColorAttr, parse_colors};
//!
//! assert_eq!(ColorAttr::from_name("log_color"), Some(ColorAttr::LogColor));
//! let Some(ColorAttr::Escape(red)) = ColorAttr::from_name("bold_red") else { panic!() };
//! assert_eq!(red.to_string(), "\x1b[1;31m");
//! assert_eq!(parse_colors("red,bg_white").unwrap(), "\x1b[31m\x1b[47m");
//! assert!(parse_colors("redd").is_err());
//! ```

use std::fmt;

/// The escape that ends every colour (`%(reset)s`).
pub const RESET: &str = "\x1b[0m";

/// A colour attribute of a record template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorAttr {
    /// `log_color`: the escape of the record's level (from the formatter's `log_colors`).
    LogColor,
    /// A named escape: `reset`, `bold`, `red`, `bold_red`, `bg_white`, `fg_208`, ….
    Escape(Escape),
}

impl ColorAttr {
    /// The colour attribute named `name`, if it is one.
    pub fn from_name(name: &str) -> Option<ColorAttr> {
        if name == "log_color" {
            return Some(ColorAttr::LogColor);
        }
        escape(name).map(ColorAttr::Escape)
    }
}

/// An ANSI "select graphic rendition" escape: `ESC [ codes m`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Escape {
    codes: [u8; 3],
    len: u8,
}

impl Escape {
    const fn of(codes: &[u8]) -> Escape {
        let mut all = [0; 3];
        let mut i = 0;
        while i < codes.len() {
            all[i] = codes[i];
            i += 1;
        }
        #[allow(clippy::cast_possible_truncation)]
        Escape {
            codes: all,
            len: codes.len() as u8,
        }
    }

    /// The escape's parameters (`[1, 31]` for bold red).
    pub fn codes(&self) -> &[u8] {
        &self.codes[..usize::from(self.len)]
    }
}

/// The escape itself: `\x1b[1;31m`.
impl fmt::Display for Escape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\x1b[")?;
        for (i, c) in self.codes().iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("m")
    }
}

impl fmt::Debug for Escape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Escape({:?})", self.codes())
    }
}

/// colorlog's foreground colours and their codes.
const FOREGROUND: [(&str, u8); 16] = [
    ("black", 30),
    ("red", 31),
    ("green", 32),
    ("yellow", 33),
    ("blue", 34),
    ("purple", 35),
    ("cyan", 36),
    ("white", 37),
    ("light_black", 90),
    ("light_red", 91),
    ("light_green", 92),
    ("light_yellow", 93),
    ("light_blue", 94),
    ("light_purple", 95),
    ("light_cyan", 96),
    ("light_white", 97),
];

/// The escape named `name`, with colorlog's names: `reset`, `bold`, `thin`; a foreground
/// colour, optionally prefixed by `fg_` and by `bold_` or `thin_`; a background colour
/// prefixed by `bg_` (`bg_bold_red` is colorlog's old name of `bg_light_red`); `fg_N` and
/// `bg_N` for the 256 colours.
pub fn escape(name: &str) -> Option<Escape> {
    match name {
        "reset" => return Some(Escape::of(&[0])),
        "bold" => return Some(Escape::of(&[1])),
        "thin" => return Some(Escape::of(&[2])),
        _ => {}
    }
    if let Some(bg) = name.strip_prefix("bg_") {
        if let Some(n) = number(bg) {
            return Some(Escape::of(&[48, 5, n]));
        }
        // colorlog's old `bg_bold_X` is `bg_light_X`.
        let code = match bg.strip_prefix("bold_") {
            Some(base) if !base.starts_with("light_") => foreground(base).map(|c| c + 60),
            Some(_) => None,
            None => foreground(bg),
        };
        return code.map(|c| Escape::of(&[c + 10]));
    }
    let fg = name.strip_prefix("fg_").unwrap_or(name);
    if name.starts_with("fg_") {
        if let Some(n) = number(fg) {
            return Some(Escape::of(&[38, 5, n]));
        }
    }
    if let Some(base) = fg.strip_prefix("bold_") {
        return foreground(base).map(|code| Escape::of(&[1, code]));
    }
    if let Some(base) = fg.strip_prefix("thin_") {
        return foreground(base).map(|code| Escape::of(&[2, code]));
    }
    foreground(fg).map(|code| Escape::of(&[code]))
}

fn foreground(name: &str) -> Option<u8> {
    FOREGROUND.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// `0` to `255`, written without leading zeros.
fn number(text: &str) -> Option<u8> {
    if text.is_empty() || (text.len() > 1 && text.starts_with('0')) {
        return None;
    }
    text.parse().ok()
}

/// The escapes of a colour sequence, as colorlog's `log_colors` values are written:
/// comma-separated names (`"bold_red,bg_white"`); empty for `""`.
///
/// # Errors
///
/// The first name that is not an escape's.
pub fn parse_colors(spec: &str) -> Result<String, UnknownColor> {
    let mut out = String::new();
    for name in spec.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match escape(name) {
            Some(e) => out.push_str(&e.to_string()),
            None => return Err(UnknownColor(name.to_owned())),
        }
    }
    Ok(out)
}

/// A colour name that colorlog does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownColor(pub String);

impl fmt::Display for UnknownColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown colour '{}' (the names are colorlog's: red, bold_red, thin_red, \
             light_red, bg_red, fg_208, bg_17, bold, thin, reset, …)",
            self.0
        )
    }
}

impl std::error::Error for UnknownColor {}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(name: &str) -> String {
        escape(name).unwrap().to_string()
    }

    #[test]
    fn names_and_codes_are_colorlogs() {
        // The values of colorlog 6.8's `escape_codes` for these names.
        for (name, want) in [
            ("reset", "\x1b[0m"),
            ("bold", "\x1b[1m"),
            ("thin", "\x1b[2m"),
            ("red", "\x1b[31m"),
            ("bold_red", "\x1b[1;31m"),
            ("thin_cyan", "\x1b[2;36m"),
            ("fg_red", "\x1b[31m"),
            ("fg_bold_white", "\x1b[1;37m"),
            ("fg_thin_light_blue", "\x1b[2;94m"),
            ("light_purple", "\x1b[95m"),
            ("bg_white", "\x1b[47m"),
            ("bg_light_black", "\x1b[100m"),
            ("bg_bold_red", "\x1b[101m"),
            ("fg_208", "\x1b[38;5;208m"),
            ("bg_0", "\x1b[48;5;0m"),
        ] {
            assert_eq!(code(name), want, "{name}");
        }
        for name in [
            "redd",
            "bold",
            "fg_256",
            "bg_bold_light_red",
            "fg_01",
            "log",
            "message",
            "levelname",
        ] {
            assert!(
                name == "bold" || escape(name).is_none(),
                "{name} is not an escape"
            );
        }
        assert_eq!(
            ColorAttr::from_name("reset"),
            Some(ColorAttr::Escape(Escape::of(&[0])))
        );
        assert_eq!(
            parse_colors(" bold_red , bg_white,").unwrap(),
            "\x1b[1;31m\x1b[47m"
        );
        assert_eq!(parse_colors("").unwrap(), "");
        assert!(
            parse_colors("red,blink")
                .unwrap_err()
                .to_string()
                .contains("'blink'")
        );
    }
}
