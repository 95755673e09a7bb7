//! Header folding as CPython's default email policy does it (`email._header_value_parser`'s
//! `_refold_parse_tree` and `_fold_as_ew`, Python 3.11): lines of at most 78 characters
//! where the parse tree allows, breaks before whitespace, and RFC 2047 encoded words
//! (`=?utf-8?q?…?=` or `b`) for non-ASCII text unless the policy is `utf8`. A port line for
//! line, quirks included, so that the bytes are CPython's.

use std::collections::VecDeque;

use super::parse;
use super::token::{Kind, Token};
use crate::handler::net::base64;

/// The longest line (`policy.max_line_length`).
pub(crate) const MAX_LINE: usize = 78;

/// `(`, `)`, `<`, `>`, `@`, `,`, `:`, `;`, `.`, `\`, `"`, `[`, `]`, CR and LF.
const SPECIALS_NL: &[char] = &[
    '(', ')', '<', '>', '@', ',', ':', ';', '.', '\\', '"', '[', ']', '\r', '\n',
];

/// The header `name: value` with its parse tree `value`, folded; ends with CRLF. `utf8`
/// writes non-ASCII text as it is (SMTPUTF8) instead of as encoded words.
pub(crate) fn fold_header(name: &str, value: Token, utf8: bool) -> String {
    let label = Token::List(
        Kind::HeaderLabel,
        vec![
            Token::value(name, "header-name"),
            Token::value(":", "header-sep"),
        ],
    );
    let mut items = vec![label];
    if !value.is_empty_list() {
        items.push(Token::List(Kind::Cfws, vec![Token::space(" ", "fws")]));
    }
    items.push(value);
    refold(&Token::List(Kind::Header, items), utf8)
}

/// An entry of the work list: a token, or the marker that ends a span where encoded words
/// are not allowed (CPython's `end_ew_not_allowed`).
enum Item<'a> {
    Part(&'a Token),
    EndBlocked,
}

/// The number of characters of `s` (Python's `len`).
fn clen(s: &str) -> usize {
    s.chars().count()
}

/// `_steal_trailing_WSP_if_exists`: removes a blank ending the last line and returns it.
fn steal_trailing_wsp(lines: &mut [String]) -> String {
    match lines.last_mut() {
        Some(last) if last.ends_with([' ', '\t']) => {
            last.pop().map(String::from).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The last line (there is always one).
fn last(lines: &mut Vec<String>) -> &mut String {
    if lines.is_empty() {
        lines.push(String::new());
    }
    let n = lines.len() - 1;
    &mut lines[n]
}

/// Room left on the last line (negative when it is already too long).
fn room(lines: &[String]) -> isize {
    let used = lines.last().map_or(0, |l| clen(l));
    MAX_LINE as isize - used as isize
}

/// `_refold_parse_tree`: the children of `tree` folded into CRLF-separated lines, ending
/// with CRLF.
pub(crate) fn refold(tree: &Token, utf8: bool) -> String {
    let mut lines = vec![String::new()];
    let mut last_ew: Option<usize> = None;
    let mut blocked = 0usize;
    let mut want_encoding = false;
    let mut parts: VecDeque<Item<'_>> = tree.items().iter().map(Item::Part).collect();
    while let Some(item) = parts.pop_front() {
        let part = match item {
            Item::EndBlocked => {
                blocked = blocked.saturating_sub(1);
                continue;
            }
            Item::Part(part) => part,
        };
        let tstr = part.text();
        if !want_encoding {
            want_encoding = if part.term_type() == Some("ptext") {
                tstr.contains(SPECIALS_NL)
            } else {
                tstr.contains(['\r', '\n'])
            };
        }
        if !utf8 && !tstr.is_ascii() {
            want_encoding = true;
        }
        if want_encoding && blocked == 0 {
            if !part.as_ew_allowed() {
                want_encoding = false;
                last_ew = None;
                let folded = refold(part, utf8);
                let encoded = folded.strip_suffix("\r\n").unwrap_or(&folded);
                if !encoded.contains("\r\n") {
                    // It fits on one line, if not on this one then on the next. A folded line
                    // starts with a blank (RFC 5322): where there is none to move down,
                    // logkit adds one; CPython 3.11 starts the line with the text itself,
                    // which makes the header malformed.
                    if clen(encoded) as isize > room(&lines) {
                        let newline = steal_trailing_wsp(&mut lines);
                        lines.push(if newline.is_empty() {
                            " ".to_owned()
                        } else {
                            newline
                        });
                    }
                    last(&mut lines).push_str(encoded);
                    continue;
                }
            }
            if let Token::List(_, items) = part {
                for child in items.iter().rev() {
                    parts.push_front(Item::Part(child));
                }
                want_encoding = false;
                continue;
            }
            // A terminal (all may be encoded words).
            last_ew = fold_as_ew(&tstr, &mut lines, last_ew);
            want_encoding = false;
            continue;
        }
        if clen(&tstr) as isize <= room(&lines) {
            last(&mut lines).push_str(&tstr);
            continue;
        }
        // Too long for this line: at a syntactic break, on the next line if it fits there.
        if clen(&tstr) < MAX_LINE {
            let newline = steal_trailing_wsp(&mut lines);
            if !newline.is_empty() || part.startswith_fws() {
                lines.push(newline + &tstr);
                last_ew = None;
                continue;
            }
        }
        if let Token::List(_, items) = part {
            if !part.as_ew_allowed() {
                blocked += 1;
                parts.push_front(Item::EndBlocked);
            }
            for child in items.iter().rev() {
                parts.push_front(Item::Part(child));
            }
            continue;
        }
        if blocked == 0 {
            // No encoding needed, but an encoded word can be split to fit.
            parts.push_front(Item::Part(part));
            want_encoding = true;
            continue;
        }
        let newline = steal_trailing_wsp(&mut lines);
        if !newline.is_empty() || part.startswith_fws() {
            lines.push(newline + &tstr);
        } else {
            last(&mut lines).push_str(&tstr);
        }
    }
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}

/// `_fold_as_ew` for a terminal (whose `ew_combine_allowed` is always true): writes `text`
/// as encoded words, merged with the encoded word that ends the last line (at character
/// `last_ew`) if there is one, split across lines to fit. Returns where the last encoded
/// word starts.
fn fold_as_ew(text: &str, lines: &mut Vec<String>, last_ew: Option<usize>) -> Option<usize> {
    let mut to_encode: Vec<char> = text.chars().collect();
    if let Some(start) = last_ew {
        let line = last(lines);
        let byte = line
            .char_indices()
            .nth(start)
            .map_or(line.len(), |(i, _)| i);
        let mut merged = line.split_off(byte);
        merged.push_str(text);
        to_encode = parse::unstructured(&merged).text().chars().collect();
    }
    // CPython fails on an empty text (IndexError); nothing is written here.
    let Some(&first) = to_encode.first() else {
        return last_ew;
    };
    if first == ' ' || first == '\t' {
        // Joined to plain text: the blank is not encoded.
        to_encode.remove(0);
        if room(lines) == 0 {
            let newline = steal_trailing_wsp(lines);
            lines.push(newline);
        }
        last(lines).push(first);
    }
    let mut trailing = None;
    if let Some(&c) = to_encode.last() {
        if c == ' ' || c == '\t' {
            trailing = to_encode.pop();
        }
    }
    let mut new_last_ew = last_ew.unwrap_or_else(|| clen(last(lines)));
    // "=?utf-8?" + "?" + "?=" around the text: 7 characters plus the charset's 5.
    let chrome = 12isize;
    let mut rest: &[char] = &to_encode;
    while !rest.is_empty() {
        let remaining = room(lines);
        let text_space = remaining - chrome;
        if text_space <= 0 {
            lines.push(" ".into());
            continue;
        }
        let mut take = rest.len().min(text_space as usize);
        let mut word = encoded_word(&rest[..take].iter().collect::<String>());
        while take > 0 && word.len() as isize > remaining {
            take -= 1;
            word = encoded_word(&rest[..take].iter().collect::<String>());
        }
        last(lines).push_str(&word);
        rest = &rest[take..];
        if !rest.is_empty() {
            lines.push(" ".into());
            new_last_ew = 1;
        }
    }
    if let Some(c) = trailing {
        last(lines).push(c);
    }
    Some(new_last_ew)
}

/// `_encoded_words.encode(text, 'utf-8')`: `q` unless `b` is at least 5 characters shorter.
pub(crate) fn encoded_word(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut q = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        match b {
            b' ' => q.push('_'),
            b'-' | b'!' | b'*' | b'+' | b'/' => q.push(char::from(b)),
            b if b.is_ascii_alphanumeric() => q.push(char::from(b)),
            b => q.push_str(&format!("={b:02X}")),
        }
    }
    let blen = bytes.len().div_ceil(3) * 4;
    if q.len() < blen + 5 {
        format!("=?utf-8?q?{q}?=")
    } else {
        format!("=?utf-8?b?{}?=", base64(bytes))
    }
}
