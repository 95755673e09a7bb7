//! `repr()` and `ascii()` of strings: a port of CPython's `unicode_repr` and of the
//! `backslashreplace` error handler `ascii()` applies to it.

use super::printable::NON_PRINTABLE;
use super::push_escape;

/// Python's `repr(s)` or, with `ascii`, `ascii(s)`.
///
/// Single quotes unless `s` contains `'` and no `"`; the quote and `\` are escaped with a
/// backslash, tab, newline and carriage return as `\t`, `\n`, `\r`, other characters Python's
/// `str.isprintable()` rejects as `\xNN`, `\uNNNN` or `\UNNNNNNNN`. Other non-ASCII characters
/// are kept, or escaped the same way with `ascii`. The printable test uses CPython 3.11's own
/// table (Unicode 14.0).
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::str_repr;
///
/// let mut out = String::new();
/// str_repr(&mut out, "it's\tcafé", false);
/// assert_eq!(out, r#""it's\tcafé""#);
/// out.clear();
/// str_repr(&mut out, "café €", true);
/// assert_eq!(out, r"'caf\xe9 \u20ac'");
/// ```
pub fn str_repr(out: &mut String, s: &str, ascii: bool) {
    let quote = if s.contains('\'') && !s.contains('"') {
        b'"'
    } else {
        b'\''
    };
    out.push(char::from(quote));
    let bytes = s.as_bytes();
    // Copy runs of characters that need no escape in one go.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if (0x20..0x7f).contains(&b) && b != b'\\' && b != quote {
                i += 1;
                continue;
            }
            out.push_str(&s[run..i]);
            match b {
                b'\t' => out.push_str("\\t"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\\' => out.push_str("\\\\"),
                _ if b == quote => {
                    out.push('\\');
                    out.push(char::from(b));
                }
                _ => push_escape(out, u32::from(b)),
            }
            i += 1;
        } else {
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            if !ascii && is_printable(c) {
                i += c.len_utf8();
                continue;
            }
            out.push_str(&s[run..i]);
            push_escape(out, u32::from(c));
            i += c.len_utf8();
        }
        run = i;
    }
    out.push_str(&s[run..]);
    out.push(char::from(quote));
}

/// Escapes the non-ASCII characters of `out[start..]` in place as `ascii()` does (`\xe9`,
/// `\u20ac`, `\U0001f600`): `%a` of a value whose `repr` was written at `start`.
///
/// # Panics
///
/// If `start` is past the end of `out` or not on a character boundary.
///
/// # Examples
///
/// ```
/// use logkit::pyfmt::ascii_escape;
///
/// let mut out = String::from("é:");
/// out.push_str("Some(\"naïve 😀\")");
/// ascii_escape(&mut out, 3);
/// assert_eq!(out, r#"é:Some("na\xefve \U0001f600")"#);
/// ```
pub fn ascii_escape(out: &mut String, start: usize) {
    let Some(first) = out.as_bytes()[start..].iter().position(|b| !b.is_ascii()) else {
        return;
    };
    let first = start + first;
    let end = out.len();
    // Write the escaped text after the original, then drop the original.
    let mut k = first;
    while k < end {
        let Some(c) = out[k..end].chars().next() else {
            break;
        };
        if c.is_ascii() {
            out.push(c);
        } else {
            push_escape(out, u32::from(c));
        }
        k += c.len_utf8();
    }
    out.replace_range(first..end, "");
}

/// Python's `str.isprintable()` for one character.
fn is_printable(c: char) -> bool {
    let cp = u32::from(c);
    if cp < 0x7f {
        return cp >= 0x20;
    }
    NON_PRINTABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_err()
}
