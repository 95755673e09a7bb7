//! The body as CPython's `email.contentmanager.set_text_content` encodes it (Python 3.11
//! `_encode_text` with the default policy): `7bit` when ASCII with lines of at most 78 bytes,
//! `8bit` when only non-ASCII, otherwise quoted-printable or base64, whichever is shorter for
//! the first ten lines (`quoprimime.body_encode` against `binascii.b2a_base64`).

use super::fold::MAX_LINE;
use crate::handler::net::base64;

/// `bytes.splitlines()`: the lines of `body`, split at CR, LF and CRLF, without line ends.
pub(crate) fn split_lines(body: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'\n' => {
                lines.push(&body[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&body[start..i]);
                if body.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < body.len() {
        lines.push(&body[start..]);
    }
    lines
}

/// `lines` joined with LF, with a final LF (only that for no line).
fn joined(lines: &[&[u8]]) -> Vec<u8> {
    if lines.is_empty() {
        return b"\n".to_vec();
    }
    let mut out = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

/// Whether quoted-printable writes `b` as it is in a body.
fn qp_safe(b: u8) -> bool {
    matches!(b, b' '..=b'<' | b'>'..=b'~' | b'\t')
}

/// `quoprimime.body_encode(body, 78)` of bytes (Python decodes them as Latin-1 first):
/// lines of at most 78 characters, `=` soft breaks, the last blank of a line quoted, LF line
/// ends.
pub(crate) fn quoted_printable(body: &[u8]) -> String {
    let Some(&last_byte) = body.last() else {
        return String::new();
    };
    let mut translated = String::with_capacity(body.len() * 2);
    for &b in body {
        if qp_safe(b) || b == b'\r' || b == b'\n' {
            translated.push(char::from(b));
        } else {
            translated.push_str(&format!("={b:02X}"));
        }
    }
    let max = MAX_LINE as isize;
    let mut out: Vec<String> = Vec::new();
    for line in split_lines(translated.as_bytes()) {
        // All ASCII: byte indices are character indices.
        let line = std::str::from_utf8(line).unwrap_or_default();
        let b = line.as_bytes();
        let n = b.len() as isize;
        let mut start: isize = 0;
        let laststart = n - 1 - max;
        while start <= laststart {
            let stop = start + max - 1;
            let (s, e) = (start as usize, stop as usize);
            if b[e - 2] == b'=' {
                out.push(line[s..e - 1].to_owned());
                start = stop - 2;
            } else if b[e - 1] == b'=' {
                out.push(line[s..e].to_owned());
                start = stop - 1;
            } else {
                out.push(format!("{}=", &line[s..e]));
                start = stop;
            }
        }
        let s = start as usize;
        match b.last() {
            Some(&c @ (b' ' | b'\t')) => {
                let room = start - laststart;
                let q = if room >= 3 {
                    format!("={c:02X}")
                } else if room == 2 {
                    format!("{}=\n", char::from(c))
                } else {
                    format!("=\n={c:02X}")
                };
                out.push(format!("{}{q}", &line[s.min(b.len() - 1)..b.len() - 1]));
            }
            _ => out.push(line[s..].to_owned()),
        }
    }
    if last_byte == b'\r' || last_byte == b'\n' {
        out.push(String::new());
    }
    out.join("\n")
}

/// The Content-Transfer-Encoding of `body` and the encoded body (LF line ends, ending with
/// LF), as `set_content(body)` makes them. `eight_bit` is the policy's `cte_type == '8bit'`:
/// without it (a server without 8BITMIME), non-ASCII bodies are quoted-printable or base64.
pub(crate) fn encode(body: &str, eight_bit: bool) -> (&'static str, Vec<u8>) {
    let lines = split_lines(body.as_bytes());
    if lines.iter().all(|l| l.len() <= MAX_LINE) {
        if body.is_ascii() {
            return ("7bit", joined(&lines));
        }
        if eight_bit {
            return ("8bit", joined(&lines));
        }
    }
    let sniff = joined(&lines[..lines.len().min(10)]);
    let sniff_qp = quoted_printable(&sniff);
    // b2a_base64 adds a newline: the comparison counts it.
    let sniff_base64 = sniff.len().div_ceil(3) * 4 + 1;
    if sniff_qp.len() > sniff_base64 {
        let mut out = Vec::new();
        for chunk in joined(&lines).chunks(MAX_LINE / 4 * 3) {
            out.extend_from_slice(base64(chunk).as_bytes());
            out.push(b'\n');
        }
        ("base64", out)
    } else if lines.len() <= 10 {
        ("quoted-printable", sniff_qp.into_bytes())
    } else {
        (
            "quoted-printable",
            quoted_printable(&joined(&lines)).into_bytes(),
        )
    }
}
