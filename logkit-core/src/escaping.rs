//! Escaping control characters in the fields of a text formatter, so that a message cannot
//! forge a log line or send a terminal escape.
//!
//! A message holding `\n` starts what looks like a new record in every text format (CPython
//! behaves the same); one holding `\x1b[2J` clears the terminal of whoever reads the log.
//! With [`Escaping::Controls`], a formatter writes each field's control characters as
//! Python's `repr()` does (`\n`, `\r`, `\t`, `\x1b`, `\x00`, `\x85`, `\u2028`): the record
//! stays on one line and nothing in it reaches a terminal as a command. It is off by default,
//! so that output stays byte for byte CPython's.
//!
//! What is escaped: every C0 control (U+0000 to U+001F, tab included: a tab can forge a
//! column of a tab-separated layout), DEL (U+007F), every C1 control (U+0080 to U+009F, which
//! terminals read as commands, such as U+009B for an escape sequence and U+0085 as a line
//! break), and the line and paragraph separators U+2028 and U+2029 (line breaks to many
//! readers). Backslashes are not doubled: the escaped text is for reading, and a literal
//! `\n` typed in a message looks the same as an escaped line break (use the JSON formatter
//! when the text must be decoded back).
//!
//! This module has no dependencies, so the `formatter!` macro reads its option at compile
//! time with [`Escaping::from_name`].
//!
//! # Examples
//!
//! ```
//! use logkit::format::escape_controls;
//!
//! let mut out = String::from("user=");
//! out.push_str("bob\nERROR forged line\x1b[31m");
//! escape_controls(&mut out, 5);
//! assert_eq!(out, r"user=bob\nERROR forged line\x1b[31m");
//! ```

use std::fmt;

/// Which characters a text formatter escapes in the fields it writes.
///
/// # Examples
///
/// ```
/// use logkit::format::Escaping;
///
/// assert_eq!(Escaping::default(), Escaping::None);
/// assert_eq!(Escaping::from_name("controls"), Some(Escaping::Controls));
/// assert_eq!(Escaping::Controls.name(), "controls");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Escaping {
    /// Fields are written as they are, as CPython writes them (the default).
    #[default]
    None,
    /// Control characters in fields are written as Python's `repr()` escapes them
    /// (see [`escape_controls`]).
    Controls,
}

impl Escaping {
    /// Every value's name, as configurations write it.
    pub const NAMES: &'static str = "'none' or 'controls'";

    /// The escaping a configuration names: `none` or `controls`.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::format::Escaping;
    ///
    /// assert_eq!(Escaping::from_name("none"), Some(Escaping::None));
    /// assert_eq!(Escaping::from_name("all"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "none" => Some(Escaping::None),
            "controls" => Some(Escaping::Controls),
            _ => None,
        }
    }

    /// The name a configuration writes.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::format::Escaping;
    ///
    /// assert_eq!(Escaping::None.name(), "none");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Escaping::None => "none",
            Escaping::Controls => "controls",
        }
    }
}

/// Prints the name, as [`Escaping::name`].
impl fmt::Display for Escaping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether [`escape_controls`] escapes `c`.
///
/// # Examples
///
/// ```
/// use logkit::format::is_escaped_control;
///
/// assert!(is_escaped_control('\n'));
/// assert!(is_escaped_control('\u{9b}'));
/// assert!(!is_escaped_control('é'));
/// ```
pub fn is_escaped_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}' | '\u{2028}' | '\u{2029}')
}

/// Escapes the control characters of `out[start..]` in place, as Python's `repr()` writes
/// them: `\t`, `\n`, `\r`, and `\xNN` or `\uNNNN` for the others (see the [module
/// documentation](self) for which). Text without them is left as it is, and costs one scan.
///
/// # Panics
///
/// If `start` is past the end of `out` or not on a character boundary.
///
/// # Examples
///
/// ```
/// use logkit::format::escape_controls;
///
/// let mut out = String::from("a\nb");
/// escape_controls(&mut out, 0);
/// assert_eq!(out, r"a\nb");
///
/// let mut out = String::from("\u{85}\u{2028}\0\x7f\t");
/// escape_controls(&mut out, 0);
/// assert_eq!(out, r"\x85\u2028\x00\x7f\t");
/// ```
pub fn escape_controls(out: &mut String, start: usize) {
    // Every escaped character starts with one of these bytes: itself (C0, DEL), 0xC2 (the
    // lead byte of U+0080 to U+00BF) or 0xE2 (that of U+2028 and U+2029).
    let Some(first) = out.as_bytes()[start..]
        .iter()
        .position(|&b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2)
    else {
        return;
    };
    let at = start + first;
    if !out[at..].chars().any(is_escaped_control) {
        return;
    }
    let tail = out.split_off(at);
    for c in tail.chars() {
        if is_escaped_control(c) {
            push_escape(out, c);
        } else {
            out.push(c);
        }
    }
}

/// Appends `repr()`'s escape of a control character.
fn push_escape(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let (tag, digits) = match c {
        '\t' => return out.push_str(r"\t"),
        '\n' => return out.push_str(r"\n"),
        '\r' => return out.push_str(r"\r"),
        '\0'..='\u{ff}' => ('x', 2),
        _ => ('u', 4),
    };
    out.push('\\');
    out.push(tag);
    let cp = u32::from(c);
    for k in (0..digits).rev() {
        out.push(char::from(HEX[((cp >> (4 * k)) & 0xf) as usize]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::from("«");
        out.push_str(text);
        escape_controls(&mut out, "«".len());
        out.split_off("«".len())
    }

    #[test]
    fn control_characters_are_written_as_python_repr_escapes_them() {
        // Python: repr(chr(i))[1:-1] for each escaped code point.
        let cases = [
            ('\0', r"\x00"),
            ('\x07', r"\x07"),
            ('\t', r"\t"),
            ('\n', r"\n"),
            ('\x0b', r"\x0b"),
            ('\x0c', r"\x0c"),
            ('\r', r"\r"),
            ('\x1b', r"\x1b"),
            ('\x1f', r"\x1f"),
            ('\x7f', r"\x7f"),
            ('\u{80}', r"\x80"),
            ('\u{85}', r"\x85"),
            ('\u{9b}', r"\x9b"),
            ('\u{9f}', r"\x9f"),
            ('\u{2028}', r"\u2028"),
            ('\u{2029}', r"\u2029"),
        ];
        for (c, want) in cases {
            assert_eq!(escaped(&format!("a{c}b")), format!("a{want}b"), "{c:?}");
        }
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        for text in [
            "plain ascii",
            r"C:\logs\app.log",
            "é ü \u{a0} \u{a9} \u{2027} \u{202a} 日本 😀",
            "",
        ] {
            assert_eq!(escaped(text), text);
        }
        // Only the text after `start` is looked at.
        let mut out = String::from("\n|\n");
        escape_controls(&mut out, 2);
        assert_eq!(out, "\n|\\n");
    }

    #[test]
    fn names_round_trip() {
        for e in [Escaping::None, Escaping::Controls] {
            assert_eq!(Escaping::from_name(e.name()), Some(e));
            assert_eq!(e.to_string(), e.name());
        }
    }
}
