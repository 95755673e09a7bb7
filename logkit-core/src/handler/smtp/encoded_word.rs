//! RFC 2047 encoded words in header text (`=?charset?q?…?=`, `b`), decoded as CPython's
//! `email._encoded_words.decode` does where logkit can: UTF-8 and ISO-8859-1 text, and ASCII
//! text in any charset.

/// `_encoded_words.decode` of `=?{tok}?=`: its text, or `None` where CPython raises, and
/// where logkit does not decode as CPython would (see [`decode_charset`]).
pub(crate) fn decode(tok: &str) -> Option<String> {
    let parts: Vec<&str> = tok.split('?').collect();
    let [charset, cte, text] = parts[..] else {
        return None;
    };
    let charset = charset.split('*').next().unwrap_or("");
    if !text.is_ascii() {
        return None;
    }
    let bytes = match cte.to_ascii_lowercase().as_str() {
        "q" => decode_q(text.as_bytes()),
        "b" => decode_b(text.as_bytes())?,
        _ => return None,
    };
    decode_charset(charset, &bytes)
}

/// `decode_q`: `_` is a blank and `=XX` a byte.
fn decode_q(text: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'=' if i + 2 < text.len() => {
                if let (Some(h), Some(l)) = (hex(text[i + 1]), hex(text[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'=');
            }
            b'_' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// `decode_b` where the text is valid base64 once padded (`validate=True`); `None` for the
/// other cases, which CPython decodes leniently and logkit keeps as written.
fn decode_b(text: &[u8]) -> Option<Vec<u8>> {
    let mut padded = text.to_vec();
    match text.len() % 4 {
        0 => {}
        n => padded.extend(std::iter::repeat_n(b'=', 4 - n)),
    }
    let pads = padded.iter().rev().take_while(|&&b| b == b'=').count();
    let data = &padded[..padded.len() - pads];
    if pads > 2 || padded.len() % 4 != 0 {
        return None;
    }
    let val = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in data {
        acc = (acc << 6) | val(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The text of an encoded word's bytes: ASCII bytes as they are (what every charset CPython
/// knows, and its fallback for one it does not, make of them); UTF-8 and ISO-8859-1 decoded.
/// `None` for other bytes (other charsets, or bytes invalid in theirs).
fn decode_charset(charset: &str, bytes: &[u8]) -> Option<String> {
    let name = charset.to_ascii_lowercase().replace(['-', ' '], "_");
    if bytes.is_ascii() && !name.starts_with("utf_16") && !name.starts_with("utf_32") {
        return String::from_utf8(bytes.to_vec()).ok();
    }
    match name.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" => String::from_utf8(bytes.to_vec()).ok(),
        "iso_8859_1" | "iso8859_1" | "latin_1" | "latin1" | "l1" | "8859" | "cp819" | "latin" => {
            Some(bytes.iter().map(|&b| char::from(b)).collect())
        }
        _ => None,
    }
}

/// Whether `tok` contains an RFC 2047 encoded word (`rfc2047_matcher.search`):
/// `=\?[^?]*\?[qQbB]\?.*?\?=`.
pub(crate) fn contains(tok: &str) -> bool {
    tok.match_indices("=?").any(|(i, _)| {
        let rest = &tok[i + 2..];
        let Some(q) = rest.find('?') else {
            return false;
        };
        let after = &rest[q + 1..];
        let b = after.as_bytes();
        if b.len() < 2 || !matches!(b[0], b'q' | b'Q' | b'b' | b'B') || b[1] != b'?' {
            return false;
        }
        let body = &after[2..];
        body.find("?=")
            .is_some_and(|end| !body[..end].contains('\n'))
    })
}
