//! The text encodings a file handler writes: UTF-8, ASCII and Latin-1 under any of CPython's
//! names, with CPython's error handlers for characters the encoding cannot represent
//! (`strict`, `replace`, `ignore`, `backslashreplace`, `xmlcharrefreplace`).
//!
//! A record of ASCII text is written as it is, whatever the encoding; only a record with
//! other characters is converted (into a buffer of its own).

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::error::{Error, ErrorKind};
use crate::pyfmt::{ConvError, ConvErrorKind};

/// An encoding and what to do with characters it cannot represent (CPython's
/// `encoding=` and `errors=` of a file handler).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Codec {
    charset: Charset,
    errors: Errors,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Charset {
    Utf8,
    Ascii,
    Latin1,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Errors {
    Strict,
    Replace,
    Ignore,
    BackslashReplace,
    XmlCharRefReplace,
}

impl Default for Codec {
    fn default() -> Self {
        Codec {
            charset: Charset::Utf8,
            errors: Errors::Strict,
        }
    }
}

impl Codec {
    /// The codec CPython's `encoding` and `errors` name (`None`: UTF-8, `strict`).
    ///
    /// # Errors
    ///
    /// An encoding logkit does not write (CPython's `LookupError: unknown encoding: …`
    /// ends the message), or an unknown error handler.
    pub(crate) fn new(encoding: Option<&str>, errors: Option<&str>) -> Result<Codec, Error> {
        let charset = match encoding.map(normalize).as_deref() {
            None => Charset::Utf8,
            Some("utf_8" | "utf8" | "u8" | "utf" | "cp65001" | "utf8_ucs2" | "utf8_ucs4") => {
                Charset::Utf8
            }
            Some(
                "ascii" | "us_ascii" | "646" | "ansi_x3.4_1968" | "ansi_x3_4_1968" | "cp367"
                | "csascii" | "ibm367" | "iso646_us" | "iso_646.irv_1991" | "us",
            ) => Charset::Ascii,
            Some(
                "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859"
                | "cp819" | "ibm819" | "csisolatin1" | "iso_ir_100" | "iso_8859_1_1987",
            ) => Charset::Latin1,
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!(
                        "logkit writes UTF-8, ASCII and Latin-1 (in any of CPython's names): \
                         unknown encoding: {}",
                        encoding.unwrap_or_default()
                    ),
                ));
            }
        };
        let errors = match errors {
            None | Some("strict" | "surrogateescape" | "surrogatepass") => Errors::Strict,
            Some("replace") => Errors::Replace,
            Some("ignore") => Errors::Ignore,
            Some("backslashreplace") => Errors::BackslashReplace,
            Some("xmlcharrefreplace") => Errors::XmlCharRefReplace,
            Some("namereplace") => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "the error handler 'namereplace' needs Unicode's character names, which \
                     logkit does not carry: use 'backslashreplace'",
                ));
            }
            Some(other) => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!(
                        "the error handlers are strict, replace, ignore, backslashreplace and \
                         xmlcharrefreplace: unknown error handler name '{other}'"
                    ),
                ));
            }
        };
        Ok(Codec { charset, errors })
    }

    /// `text` in this encoding: borrowed when nothing changes (UTF-8, or ASCII text).
    ///
    /// # Errors
    ///
    /// With `strict`, CPython's `UnicodeEncodeError` for the first run of characters the
    /// encoding cannot represent.
    #[inline]
    pub(crate) fn encode<'t>(&self, text: &'t str) -> Result<Cow<'t, [u8]>, ConvError> {
        let limit = match self.charset {
            Charset::Utf8 => return Ok(Cow::Borrowed(text.as_bytes())),
            _ if text.is_ascii() => return Ok(Cow::Borrowed(text.as_bytes())),
            Charset::Ascii => 0x80,
            Charset::Latin1 => 0x100,
        };
        self.encode_narrow(text, limit).map(Cow::Owned)
    }

    /// [`encode`](Self::encode) of non-ASCII text into ASCII or Latin-1, whose characters
    /// are those below `limit`.
    #[inline(never)]
    fn encode_narrow(&self, text: &str, limit: u32) -> Result<Vec<u8>, ConvError> {
        let fits = |c: char| u32::from(c) < limit;
        if self.errors == Errors::Strict {
            return Err(self.encode_error(text, limit, fits));
        }
        let mut out = Vec::with_capacity(text.len());
        let mut escape = String::new();
        for c in text.chars() {
            if fits(c) {
                out.push(u8::try_from(u32::from(c)).unwrap_or(b'?'));
                continue;
            }
            match self.errors {
                Errors::Strict | Errors::Ignore => {}
                Errors::Replace => out.push(b'?'),
                Errors::BackslashReplace => {
                    escape.clear();
                    escape_char(&mut escape, c);
                    out.extend_from_slice(escape.as_bytes());
                }
                Errors::XmlCharRefReplace => {
                    escape.clear();
                    let _ = write!(escape, "&#{};", u32::from(c));
                    out.extend_from_slice(escape.as_bytes());
                }
            }
        }
        Ok(out)
    }

    /// CPython's `UnicodeEncodeError` for the first run of characters of `text` that do
    /// not fit.
    fn encode_error(&self, text: &str, limit: u32, fits: impl Fn(char) -> bool) -> ConvError {
        let name = match self.charset {
            Charset::Ascii => "ascii",
            _ => "latin-1",
        };
        let chars: Vec<char> = text.chars().collect();
        let start = chars.iter().position(|&c| !fits(c)).unwrap_or(0);
        let end = chars[start..]
            .iter()
            .position(|&c| fits(c))
            .map_or(chars.len(), |n| start + n);
        let message = if end - start == 1 {
            let mut shown = String::new();
            escape_char(&mut shown, chars[start]);
            format!(
                "'{name}' codec can't encode character '{shown}' in position {start}: ordinal not in range({limit})"
            )
        } else {
            format!(
                "'{name}' codec can't encode characters in position {start}-{}: ordinal not in range({limit})",
                end - 1
            )
        };
        ConvError::new(ConvErrorKind::UnicodeEncodeError, message)
    }
}

/// `\xe9`, `\u2713`, `\U0001f600`: how CPython escapes a character it cannot encode.
fn escape_char(out: &mut String, c: char) {
    let code = u32::from(c);
    let _ = match code {
        0..=0xff => write!(out, "\\x{code:02x}"),
        0x100..=0xffff => write!(out, "\\u{code:04x}"),
        _ => write!(out, "\\U{code:08x}"),
    };
}

/// CPython's `encodings.normalize_encoding` then lower case: runs of other characters than
/// letters, digits and `.` become one `_`.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Codec;

    fn encode(encoding: &str, errors: &str, text: &str) -> Result<Vec<u8>, String> {
        Codec::new(Some(encoding), Some(errors))
            .unwrap()
            .encode(text)
            .map(std::borrow::Cow::into_owned)
            .map_err(|e| format!("{}: {}", e.kind, e.message))
    }

    #[test]
    fn every_error_handler_writes_what_cpython_writes() {
        // From CPython 3.11: 'aé✓😀\n'.encode(encoding, errors).
        let text = "aé✓😀\n";
        assert_eq!(encode("ascii", "replace", text).unwrap(), b"a???\n");
        assert_eq!(encode("ascii", "ignore", text).unwrap(), b"a\n");
        assert_eq!(
            encode("ascii", "backslashreplace", text).unwrap(),
            b"a\\xe9\\u2713\\U0001f600\n"
        );
        assert_eq!(
            encode("ascii", "xmlcharrefreplace", text).unwrap(),
            b"a&#233;&#10003;&#128512;\n"
        );
        assert_eq!(encode("latin-1", "replace", text).unwrap(), b"a\xe9??\n");
        assert_eq!(encode("latin-1", "ignore", text).unwrap(), b"a\xe9\n");
        assert_eq!(
            encode("latin-1", "backslashreplace", text).unwrap(),
            b"a\xe9\\u2713\\U0001f600\n"
        );
        assert_eq!(
            encode("ISO-8859-1", "xmlcharrefreplace", text).unwrap(),
            b"a\xe9&#10003;&#128512;\n"
        );
        assert_eq!(encode("utf8", "strict", text).unwrap(), text.as_bytes());
    }

    #[test]
    fn strict_fails_with_cpythons_unicode_encode_error() {
        assert_eq!(
            encode("ascii", "strict", "aé✓😀\n").unwrap_err(),
            "UnicodeEncodeError: 'ascii' codec can't encode characters in position 1-3: ordinal not in range(128)"
        );
        assert_eq!(
            encode("latin1", "strict", "aé✓b").unwrap_err(),
            "UnicodeEncodeError: 'latin-1' codec can't encode character '\\u2713' in position 2: ordinal not in range(256)"
        );
        assert_eq!(encode("ascii", "strict", "plain\n").unwrap(), b"plain\n");
    }

    #[test]
    fn names_are_cpythons_and_unknown_ones_say_so() {
        for name in [
            "US-ASCII",
            "646",
            "latin_1",
            "L1",
            "iso8859-1",
            "cp819",
            "UTF_8",
            "U8",
        ] {
            assert!(Codec::new(Some(name), None).is_ok(), "{name}");
        }
        let err = Codec::new(Some("cp1252"), None).unwrap_err().to_string();
        assert!(err.ends_with("unknown encoding: cp1252"), "{err}");
        let err = Codec::new(None, Some("nosuch")).unwrap_err().to_string();
        assert!(
            err.ends_with("unknown error handler name 'nosuch'"),
            "{err}"
        );
        assert!(Codec::new(None, Some("namereplace")).is_err());
    }
}
