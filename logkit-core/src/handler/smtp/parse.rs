//! The lexical rules of CPython's `email._header_value_parser` (Python 3.11), ported function
//! by function so that the parse trees are CPython's: white space, comments, quoted strings,
//! atoms, dot-atoms, words, phrases, RFC 2047 encoded words, and unstructured values (the
//! `Subject`). Each `get_*` takes the rest of the value and returns the token and what is
//! left after it.

use super::encoded_word;
use super::token::{Class, Kind, Token};

/// Why a rule did not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fail {
    /// `HeaderParseError`: the callers try another rule.
    Parse,
    /// `_InvalidEwError` (a `HeaderParseError` too): text like an encoded word that does not
    /// decode.
    InvalidEw,
    /// An exception that is not a `HeaderParseError` (an `IndexError` on an empty rest):
    /// CPython cannot make the header at all.
    Crash,
}

impl Fail {
    /// Whether `except errors.HeaderParseError` catches it.
    pub(crate) fn caught(self) -> bool {
        self != Fail::Crash
    }
}

/// A rule's result: the token and the rest of the value.
pub(crate) type Got<'a> = Result<(Token, &'a str), Fail>;

/// `(`, `)`, `<`, `>`, `@`, `,`, `:`, `;`, `.`, `\`, `"`, `[`, `]`.
pub(crate) const SPECIALS: &str = "()<>@,:;.\\\"[]";
/// `SPECIALS` less `.`, `"` and `(`.
pub(crate) const PHRASE_ENDS: &str = ")<>@,:;\\[]";
/// Blank, tab, and `(`.
pub(crate) const CFWS_LEADER: &str = " \t(";
/// Blank and tab.
pub(crate) const WSP: &str = " \t";

/// The first character of `value`; `Crash` where CPython's `value[0]` raises `IndexError`.
pub(crate) fn first(value: &str) -> Result<char, Fail> {
    value.chars().next().ok_or(Fail::Crash)
}

/// `value and value[0] in set`.
pub(crate) fn starts(value: &str, set: &str) -> bool {
    value.chars().next().is_some_and(|c| set.contains(c))
}

/// `value[1:]` for a non-empty value.
pub(crate) fn skip1(value: &str) -> &str {
    let mut c = value.chars();
    c.next();
    c.as_str()
}

/// `str.isspace()`: Rust's white space plus the separators U+001C to U+001F.
fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `_wsp_splitter(value, 1)`: the text before the first run of blanks, and the rest from it.
fn split_wsp(value: &str) -> (&str, &str) {
    value.split_at(value.find([' ', '\t']).unwrap_or(value.len()))
}

/// `get_fws`: the leading white space (all of Python's, not only blanks and tabs).
pub(crate) fn get_fws(value: &str) -> (Token, &str) {
    let rest = value.trim_start_matches(py_isspace);
    (
        Token::space(&value[..value.len() - rest.len()], "fws"),
        rest,
    )
}

/// `_get_ptext_to_endchars`: printable text up to one of `endchars` or a blank, with quoted
/// pairs unquoted.
pub(crate) fn ptext_to_endchars<'a>(value: &'a str, endchars: &str) -> (String, &'a str) {
    let (fragment, _) = split_wsp(value);
    let mut out = String::new();
    let mut escape = false;
    let mut stop = fragment.len();
    for (i, c) in fragment.char_indices() {
        if c == '\\' {
            if escape {
                escape = false;
            } else {
                escape = true;
                continue;
            }
        }
        if escape {
            escape = false;
        } else if endchars.contains(c) {
            stop = i;
            break;
        }
        out.push(c);
    }
    (out, &value[stop..])
}

/// `get_qp_ctext`: comment text (a `WhiteSpaceTerminal` of type `ptext`).
fn get_qp_ctext(value: &str) -> (Token, &str) {
    let (text, rest) = ptext_to_endchars(value, "()");
    (Token::space(&text, "ptext"), rest)
}

/// `get_qcontent`: quoted-string text.
fn get_qcontent(value: &str) -> (Token, &str) {
    let (text, rest) = ptext_to_endchars(value, "\"");
    (Token::value(&text, "ptext"), rest)
}

/// `get_atext`: a run of characters that are neither specials nor blanks.
pub(crate) fn get_atext(value: &str) -> Got<'_> {
    let end = value
        .find(|c: char| SPECIALS.contains(c) || WSP.contains(c))
        .unwrap_or(value.len());
    if end == 0 {
        return Err(Fail::Parse);
    }
    Ok((Token::value(&value[..end], "atext"), &value[end..]))
}

/// `get_bare_quoted_string`: `"…"` without the white space around it.
fn get_bare_quoted_string(value: &str) -> Got<'_> {
    if first(value)? != '"' {
        return Err(Fail::Parse);
    }
    let mut bqs = Token::list(Kind::BareQuotedString);
    let mut value = skip1(value);
    if value.starts_with('"') {
        let (t, v) = get_qcontent(value);
        bqs.push(t);
        value = v;
    }
    while !value.is_empty() && !value.starts_with('"') {
        let token;
        if starts(value, WSP) {
            (token, value) = get_fws(value);
        } else if value.starts_with("=?") {
            match get_encoded_word(value) {
                Ok((t, v)) => {
                    (token, value) = (t, v);
                    let items = bqs.items_mut().unwrap_or_else(|| unreachable!());
                    let n = items.len();
                    if n > 1
                        && items[n - 1].term_type() == Some("fws")
                        && items[n - 2].kind() == Some(Kind::EncodedWord)
                    {
                        ew_blank(&mut items[n - 1]);
                    }
                }
                Err(e) if e.caught() => (token, value) = get_qcontent(value),
                Err(e) => return Err(e),
            }
        } else {
            (token, value) = get_qcontent(value);
        }
        bqs.push(token);
    }
    if value.is_empty() {
        return Ok((bqs, value));
    }
    Ok((bqs, skip1(value)))
}

/// Makes a white-space terminal an `EWWhiteSpaceTerminal`.
fn ew_blank(t: &mut Token) {
    if let Token::Term(_, _, class) = t {
        *class = Class::EwSpace;
    }
}

/// `get_comment`: `( … )`, nested comments included.
fn get_comment(value: &str) -> Got<'_> {
    get_comment_in(value, 0)
}

/// [`get_comment`] inside `depth` comments. Comments nested deeper than
/// [`MAX_CONFIG_DEPTH`](crate::limits::MAX_CONFIG_DEPTH) are a `Crash`, as CPython's
/// `RecursionError` is (it recurses until its recursion limit).
fn get_comment_in(value: &str, depth: usize) -> Got<'_> {
    if !value.is_empty() && !value.starts_with('(') {
        return Err(Fail::Parse);
    }
    if depth >= crate::limits::MAX_CONFIG_DEPTH {
        return Err(Fail::Crash);
    }
    let mut comment = Token::list(Kind::Comment);
    let mut value = skip1(value);
    while !value.is_empty() && !value.starts_with(')') {
        let token;
        if starts(value, WSP) {
            (token, value) = get_fws(value);
        } else if value.starts_with('(') {
            (token, value) = get_comment_in(value, depth + 1)?;
        } else {
            (token, value) = get_qp_ctext(value);
        }
        comment.push(token);
    }
    if value.is_empty() {
        return Ok((comment, value));
    }
    Ok((comment, skip1(value)))
}

/// `get_cfws`: white space and comments.
pub(crate) fn get_cfws(mut value: &str) -> Got<'_> {
    let mut cfws = Token::list(Kind::Cfws);
    while starts(value, CFWS_LEADER) {
        let token;
        if starts(value, WSP) {
            (token, value) = get_fws(value);
        } else {
            (token, value) = get_comment(value)?;
        }
        cfws.push(token);
    }
    Ok((cfws, value))
}

/// `get_quoted_string`: a bare quoted string with the white space around it.
fn get_quoted_string(mut value: &str) -> Got<'_> {
    let mut qs = Token::list(Kind::QuotedString);
    let mut token;
    if starts(value, CFWS_LEADER) {
        (token, value) = get_cfws(value)?;
        qs.push(token);
    }
    (token, value) = get_bare_quoted_string(value)?;
    qs.push(token);
    if starts(value, CFWS_LEADER) {
        (token, value) = get_cfws(value)?;
        qs.push(token);
    }
    Ok((qs, value))
}

/// `get_atom`: atext (or an encoded word) with the white space around it.
pub(crate) fn get_atom(mut value: &str) -> Got<'_> {
    let mut atom = Token::list(Kind::Atom);
    let mut token;
    if starts(value, CFWS_LEADER) {
        (token, value) = get_cfws(value)?;
        atom.push(token);
    }
    if starts(value, SPECIALS) || starts(value, WSP) {
        return Err(Fail::Parse);
    }
    (token, value) = atext_or_ew(value, get_atext)?;
    atom.push(token);
    if starts(value, CFWS_LEADER) {
        (token, value) = get_cfws(value)?;
        atom.push(token);
    }
    Ok((atom, value))
}

/// An encoded word if `value` starts with one that parses, else `other(value)`.
fn atext_or_ew<'a>(value: &'a str, other: fn(&'a str) -> Got<'a>) -> Got<'a> {
    if value.starts_with("=?") {
        match get_encoded_word(value) {
            Err(e) if e.caught() => other(value),
            got => got,
        }
    } else {
        other(value)
    }
}

/// `get_dot_atom_text`: `atext *("." atext)`.
fn get_dot_atom_text(mut value: &str) -> Got<'_> {
    let mut dat = Token::list(Kind::DotAtomText);
    if value.is_empty() || starts(value, SPECIALS) || starts(value, WSP) {
        return Err(Fail::Parse);
    }
    let mut last_dot = false;
    while !value.is_empty() && !starts(value, SPECIALS) && !starts(value, WSP) {
        let token;
        (token, value) = get_atext(value)?;
        dat.push(token);
        last_dot = false;
        if value.starts_with('.') {
            dat.push(Token::value(".", "dot"));
            last_dot = true;
            value = skip1(value);
        }
    }
    if last_dot {
        return Err(Fail::Parse);
    }
    Ok((dat, value))
}

/// `get_dot_atom`: dot-atom-text (or an encoded word) with the white space around it.
pub(crate) fn get_dot_atom(mut value: &str) -> Got<'_> {
    let mut da = Token::list(Kind::DotAtom);
    let mut token;
    if CFWS_LEADER.contains(first(value)?) {
        (token, value) = get_cfws(value)?;
        da.push(token);
    }
    (token, value) = atext_or_ew(value, get_dot_atom_text)?;
    da.push(token);
    if starts(value, CFWS_LEADER) {
        (token, value) = get_cfws(value)?;
        da.push(token);
    }
    Ok((da, value))
}

/// The comments and white space a token may start with, and the text after them, which must
/// not be empty: CPython's `if value[0] in CFWS_LEADER: leader, value = get_cfws(value)`,
/// then `HeaderParseError` for nothing left.
pub(crate) fn leading_cfws(value: &str) -> Result<(Option<Token>, &str), Fail> {
    let (leader, rest) = if CFWS_LEADER.contains(first(value)?) {
        let (l, v) = get_cfws(value)?;
        (Some(l), v)
    } else {
        (None, value)
    };
    if rest.is_empty() {
        return Err(Fail::Parse);
    }
    Ok((leader, rest))
}

/// `get_word`: an atom or a quoted string, with the white space before it inside.
pub(crate) fn get_word(value: &str) -> Got<'_> {
    let (leader, value) = leading_cfws(value)?;
    let (mut token, value) = if value.starts_with('"') {
        get_quoted_string(value)?
    } else if starts(value, SPECIALS) {
        return Err(Fail::Parse);
    } else {
        get_atom(value)?
    };
    if let Some(l) = leader {
        token.prepend(l);
    }
    Ok((token, value))
}

/// `get_phrase`: words, with the obsolete dots and comments.
pub(crate) fn get_phrase(mut value: &str) -> Got<'_> {
    let mut phrase = Token::list(Kind::Phrase);
    match get_word(value) {
        Ok((t, v)) => {
            phrase.push(t);
            value = v;
        }
        Err(e) if e.caught() => {}
        Err(e) => return Err(e),
    }
    while !value.is_empty() && !starts(value, PHRASE_ENDS) {
        if value.starts_with('.') {
            phrase.push(Token::value(".", "dot"));
            value = skip1(value);
            continue;
        }
        let token;
        match get_word(value) {
            Ok((t, v)) => (token, value) = (t, v),
            Err(e) if e.caught() && starts(value, CFWS_LEADER) => {
                (token, value) = get_cfws(value)?;
            }
            Err(e) => return Err(e),
        }
        phrase.push(token);
    }
    Ok((phrase, value))
}

/// `get_encoded_word`: `=?charset?q?text?=` (or `b`), decoded into its text's words.
pub(crate) fn get_encoded_word(value: &str) -> Got<'_> {
    let Some(inner) = value.strip_prefix("=?") else {
        return Err(Fail::Parse);
    };
    let Some((tok, remstr)) = inner.split_once("?=") else {
        return Err(Fail::Parse);
    };
    let mut tok = tok.to_owned();
    let mut value = remstr;
    let hex2 = remstr.len() > 1 && remstr.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit);
    if hex2 && tok.matches('?').count() < 2 {
        // The `?=` found was `?=XX`: a q-encoded text starting with an escape.
        let (rest, after) = remstr.split_once("?=").unwrap_or((remstr, ""));
        tok = format!("{tok}?={rest}");
        value = after;
    }
    let text = encoded_word::decode(&tok).ok_or(Fail::InvalidEw)?;
    let mut ew = Token::list(Kind::EncodedWord);
    let mut text = text.as_str();
    while !text.is_empty() {
        if starts(text, WSP) {
            let (t, rest) = get_fws(text);
            ew.push(t);
            text = rest;
            continue;
        }
        let (chars, rest) = split_wsp(text);
        ew.push(Token::value(chars, "vtext"));
        text = rest;
    }
    Ok((ew, value))
}

/// `get_unstructured`: the parse tree of an unstructured value such as a `Subject`: words,
/// blanks and decoded encoded words.
pub(crate) fn unstructured(mut value: &str) -> Token {
    let mut un = Token::list(Kind::Unstructured);
    while !value.is_empty() {
        if starts(value, WSP) {
            let (t, rest) = get_fws(value);
            un.push(t);
            value = rest;
            continue;
        }
        let mut valid_ew = true;
        if value.starts_with("=?") {
            match get_encoded_word(value) {
                Err(Fail::InvalidEw) => valid_ew = false,
                Err(_) => {}
                Ok((t, rest)) => {
                    let items = un.items_mut().unwrap_or_else(|| unreachable!());
                    let n = items.len();
                    let have_ws = n == 0 || items[n - 1].term_type() == Some("fws");
                    if have_ws && n > 1 && items[n - 2].kind() == Some(Kind::EncodedWord) {
                        ew_blank(&mut items[n - 1]);
                    }
                    un.push(t);
                    value = rest;
                    continue;
                }
            }
        }
        let (mut tok, mut rest) = split_wsp(value);
        if valid_ew && encoded_word::contains(tok) {
            // Split before an encoded word that has no blank before it.
            if let Some(at) = value.find("=?").filter(|&at| at > 0) {
                (tok, rest) = value.split_at(at);
            }
        }
        un.push(Token::value(tok, "vtext"));
        value = rest;
    }
    un
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_CONFIG_DEPTH;

    #[test]
    fn comments_nested_beyond_the_maximum_stop_the_parse_not_the_stack() {
        let nested = |n: usize| format!("{}x{}", "(".repeat(n), ")".repeat(n));
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let deepest = nested(MAX_CONFIG_DEPTH);
                let (_, rest) = get_cfws(&deepest).unwrap();
                assert_eq!(rest, "");
                assert_eq!(
                    get_cfws(&nested(MAX_CONFIG_DEPTH + 1)).unwrap_err(),
                    Fail::Crash
                );
                assert_eq!(get_cfws(&nested(100_000)).unwrap_err(), Fail::Crash);
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
