//! The e-mail of one record, as CPython's `SMTPHandler` builds it with `EmailMessage`:
//! `From`, `To`, `Subject`, `Date`, then the MIME headers, and the formatted record as a
//! `text/plain; charset="utf-8"` body; with CRLF line ends and dot-stuffing for `DATA`.

use std::fmt::Write as _;

use crate::clock::Converter;
use crate::handler::net::base64;
use crate::record::Timestamp;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `email.utils.format_datetime(localtime())`: `Thu, 03 Dec 2026 14:10:26 +0000`.
pub(crate) fn date(t: Timestamp, converter: Converter) -> String {
    let tm = converter.convert(t.secs());
    let off = tm.utc_offset / 60;
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}",
        DAYS[usize::from(tm.weekday.min(6))],
        tm.day,
        MONTHS[usize::from(tm.month.clamp(1, 12)) - 1],
        tm.year,
        tm.hour,
        tm.minute,
        tm.second,
        if off < 0 { '-' } else { '+' },
        off.unsigned_abs() / 60,
        off.unsigned_abs() % 60
    )
}

/// A header value with its non-ASCII words as RFC 2047 encoded words, as CPython's email
/// policy writes them: consecutive such words share one encoded word, in `q` unless `b` is
/// at least 5 characters shorter.
pub(crate) fn encode_header(value: &str) -> String {
    let words: Vec<&str> = value.split(' ').collect();
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    while i < words.len() {
        if i > 0 {
            out.push(' ');
        }
        if words[i].is_ascii() {
            out.push_str(words[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < words.len() && !words[i].is_ascii() {
            i += 1;
        }
        encoded_word(&mut out, &words[start..i].join(" "));
    }
    out
}

fn encoded_word(out: &mut String, text: &str) {
    let mut q = String::new();
    for &b in text.as_bytes() {
        match b {
            b' ' => q.push('_'),
            b'-' | b'!' | b'*' | b'+' | b'/' => q.push(char::from(b)),
            b if b.is_ascii_alphanumeric() => q.push(char::from(b)),
            b => {
                let _ = write!(q, "={b:02X}");
            }
        }
    }
    let b = base64(text.as_bytes());
    if q.len() < b.len() + 5 {
        let _ = write!(out, "=?utf-8?q?{q}?=");
    } else {
        let _ = write!(out, "=?utf-8?b?{b}?=");
    }
}

/// The whole message, ready for `DATA` (CRLF line ends, dot-stuffed, ending with CRLF but
/// without the final `.`). Returns it and whether it needs `BODY=8BITMIME`.
pub(crate) fn build(
    from: &str,
    to: &[String],
    subject: &str,
    date: &str,
    body: &str,
    eight_bit_ok: bool,
) -> (String, bool) {
    let mut m = String::with_capacity(body.len() + 256);
    let _ = write!(m, "From: {}\r\n", encode_header(from));
    let _ = write!(m, "To: {}\r\n", encode_header(&to.join(",")));
    let _ = write!(m, "Subject: {}\r\n", encode_header(subject));
    let _ = write!(m, "Date: {date}\r\n");
    m.push_str("Content-Type: text/plain; charset=\"utf-8\"\r\n");
    // CPython: 7bit when ASCII with lines of at most 78 bytes, else 8bit (non-ASCII, short
    // lines); otherwise an encoding (logkit always picks base64 there).
    let lines: Vec<&str> = body.lines().collect();
    let short = lines.iter().all(|l| l.len() <= 78);
    let (cte, eight_bit) = if short && body.is_ascii() {
        ("7bit", false)
    } else if short && eight_bit_ok {
        ("8bit", true)
    } else {
        ("base64", false)
    };
    let _ = write!(
        m,
        "Content-Transfer-Encoding: {cte}\r\nMIME-Version: 1.0\r\n\r\n"
    );
    if cte == "base64" {
        let mut text = lines.join("\n");
        text.push('\n');
        let encoded = base64(text.as_bytes());
        for chunk in encoded.as_bytes().chunks(76) {
            m.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            m.push_str("\r\n");
        }
    } else {
        for line in lines {
            if line.starts_with('.') {
                m.push('.');
            }
            m.push_str(line);
            m.push_str("\r\n");
        }
    }
    (m, eight_bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_words_are_encoded_as_cpython_does() {
        // CPython: EmailMessage()['Subject'] = ... ; bytes(msg)
        assert_eq!(encode_header("Disk ✓ full"), "Disk =?utf-8?b?4pyT?= full");
        assert_eq!(encode_header("✓ ✓ a"), "=?utf-8?b?4pyTIOKckw==?= a");
        assert_eq!(
            encode_header("héllo wörld x"),
            "=?utf-8?q?h=C3=A9llo_w=C3=B6rld?= x"
        );
        assert_eq!(encode_header("plain"), "plain");
    }

    #[test]
    fn date_header() {
        let d = date(Timestamp::new(1_796_306_226, 0), Converter::Utc);
        assert_eq!(d, "Thu, 03 Dec 2026 13:57:06 +0000");
    }

    #[test]
    fn ascii_body_is_7bit_and_dot_stuffed() {
        let (m, eight) = build(
            "app@example.test",
            &["ops@example.test".into(), "b@example.test".into()],
            "Disk full",
            "Thu, 03 Dec 2026 14:10:26 +0000",
            "a\n.dot line",
            true,
        );
        assert!(!eight);
        assert_eq!(
            m,
            "From: app@example.test\r\nTo: ops@example.test,b@example.test\r\n\
             Subject: Disk full\r\nDate: Thu, 03 Dec 2026 14:10:26 +0000\r\n\
             Content-Type: text/plain; charset=\"utf-8\"\r\n\
             Content-Transfer-Encoding: 7bit\r\nMIME-Version: 1.0\r\n\r\n\
             a\r\n..dot line\r\n"
        );
    }

    #[test]
    fn non_ascii_body_is_8bit_when_the_server_takes_it_else_base64() {
        let (m, eight) = build("a@x", &["b@x".into()], "s", "d", "héllo ✓", true);
        assert!(eight);
        assert!(
            m.ends_with("Content-Transfer-Encoding: 8bit\r\nMIME-Version: 1.0\r\n\r\nhéllo ✓\r\n")
        );
        let (m, eight) = build("a@x", &["b@x".into()], "s", "d", "héllo ✓", false);
        assert!(!eight);
        assert!(
            m.ends_with("base64\r\nMIME-Version: 1.0\r\n\r\naMOpbGxvIOKckwo=\r\n"),
            "{m}"
        );
    }
}
