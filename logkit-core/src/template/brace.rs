//! The `{`-style scanner: `str.format` syntax with CPython logging's validation rules.

use super::ast::{
    Align, BraceConversion, BraceSpec, Count, Field, Key, Piece, Sign, Spec, Style, Template, span,
};
use super::error::{Error, ErrorKind};
use super::percent::written;
use crate::limits::MAX_FIELD_WIDTH;

pub(crate) fn parse(src: &str) -> Result<Template<'_>, Error> {
    let bytes = src.as_bytes();
    let mut pieces = Vec::new();
    let mut lit_start = 0;
    let mut i = 0;
    // The widths and precisions written so far, added up (at most `MAX_FIELD_WIDTH`).
    let mut total: usize = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => {
                if i > lit_start {
                    pieces.push(Piece::Literal(&src[lit_start..i]));
                }
                pieces.push(Piece::Literal(&src[i..=i]));
                i += 2;
                lit_start = i;
            }
            b'}' => {
                return Err(Error::new(
                    ErrorKind::SingleClosingBrace,
                    src,
                    span(i, i + 1),
                ));
            }
            b'{' => {
                if i > lit_start {
                    pieces.push(Piece::Literal(&src[lit_start..i]));
                }
                let close = matching_close(bytes, i).ok_or_else(|| {
                    Error::new(ErrorKind::UnclosedBrace, src, span(i, bytes.len()))
                })?;
                let f = field(src, i, close)?;
                if let Spec::Brace(spec) = &f.spec {
                    total = total
                        .saturating_add(written(spec.width))
                        .saturating_add(written(spec.precision));
                }
                if total > MAX_FIELD_WIDTH {
                    return Err(Error::new(ErrorKind::WidthTooLarge, src, f.span));
                }
                pieces.push(Piece::Field(f));
                i = close + 1;
                lit_start = i;
            }
            _ => i += 1,
        }
    }
    if lit_start < src.len() {
        pieces.push(Piece::Literal(&src[lit_start..]));
    }
    Ok(Template {
        source: src,
        style: Style::Brace,
        pieces,
    })
}

/// The index of the `}` closing the field opened at `open`, counting nested braces.
fn matching_close(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_brackets = false;
    for (k, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'[' if depth == 1 => in_brackets = true,
            b']' if depth == 1 => in_brackets = false,
            b'{' if !in_brackets => depth += 1,
            b'}' if !in_brackets => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Parses the field `src[open..=close]`.
fn field(src: &str, open: usize, close: usize) -> Result<Field<'_>, Error> {
    let whole = span(open, close + 1);
    let inner_start = open + 1;
    let inner = &src[inner_start..close];
    // The name ends at the first `!` or `:` outside brackets.
    let mut name_end = inner.len();
    let mut in_brackets = false;
    for (k, c) in inner.char_indices() {
        match c {
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            '!' | ':' if !in_brackets => {
                name_end = k;
                break;
            }
            _ => {}
        }
    }
    let name = &inner[..name_end];
    let key = field_key(name).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidFieldName,
            src,
            span(inner_start, inner_start + name_end),
        )
    })?;

    let mut rest = &inner[name_end..];
    let mut conversion = None;
    if let Some(after) = rest.strip_prefix('!') {
        let Some(c) = after.chars().next() else {
            return Err(Error::new(ErrorKind::ExpectedColon, src, whole));
        };
        conversion = Some(match c {
            'r' => BraceConversion::Repr,
            's' => BraceConversion::Str,
            'a' => BraceConversion::Ascii,
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidBraceConversion(other),
                    src,
                    whole,
                ));
            }
        });
        rest = &after[c.len_utf8()..];
        if !rest.is_empty() && !rest.starts_with(':') {
            return Err(Error::new(ErrorKind::ExpectedColon, src, whole));
        }
    }
    let raw = rest.strip_prefix(':').unwrap_or("");
    let mut spec = parse_spec(raw).ok_or_else(|| {
        let spec_start = close - raw.len();
        Error::new(ErrorKind::BadSpecifier, src, span(spec_start, close))
    })?;
    spec.conversion = conversion;
    Ok(Field {
        key,
        spec: Spec::Brace(spec),
        span: whole,
    })
}

/// `^(\w+)(\.\w+|\[[^]]+\])*$` (a name, then attribute or index accessors).
fn field_key(name: &str) -> Option<Key<'_>> {
    let head_len = name
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(name.len(), |(k, _)| k);
    let head = &name[..head_len];
    if head.is_empty() || head.chars().all(|c| c.is_ascii_digit()) {
        // Python accepts `{0}` but a record has no positional values.
        return None;
    }
    let path = &name[head_len..];
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let n = after.find(|c: char| !is_word(c)).unwrap_or(after.len());
            if n == 0 {
                return None;
            }
            rest = &after[n..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let n = after.find(']')?;
            if n == 0 {
                return None;
            }
            rest = &after[n + 1..];
        } else {
            return None;
        }
    }
    Some(if path.is_empty() {
        Key::Name(head)
    } else {
        Key::Path(head, path)
    })
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `^(.?[<>=^])?[+ -]?#?0?(\d+|{\w+})?[,_]?(\.(\d+|{\w+}))?[bcdefgnosx%]?$`
fn parse_spec(raw: &str) -> Option<BraceSpec<'_>> {
    let mut spec = BraceSpec {
        raw,
        ..BraceSpec::default()
    };
    let chars: Vec<(usize, char)> = raw.char_indices().collect();
    let mut k = 0;
    let align_of = |c: char| match c {
        '<' => Some(Align::Left),
        '>' => Some(Align::Right),
        '^' => Some(Align::Center),
        '=' => Some(Align::AfterSign),
        _ => None,
    };
    if chars.len() >= 2 && chars[0].1 != '\n' {
        if let Some(a) = align_of(chars[1].1) {
            spec.fill = Some(chars[0].1);
            spec.align = Some(a);
            k = 2;
        }
    }
    if k == 0 {
        if let Some(a) = chars.first().and_then(|c| align_of(c.1)) {
            spec.align = Some(a);
            k = 1;
        }
    }
    let at = |k: usize| chars.get(k).map(|c| c.1);
    spec.sign = match at(k) {
        Some('+') => Some(Sign::Plus),
        Some('-') => Some(Sign::Minus),
        Some(' ') => Some(Sign::Space),
        _ => None,
    };
    if spec.sign.is_some() {
        k += 1;
    }
    if at(k) == Some('#') {
        spec.alternate = true;
        k += 1;
    }
    if at(k) == Some('0') {
        spec.zero = true;
        k += 1;
    }
    spec.width = spec_count(raw, &chars, &mut k)?;
    if let Some(g @ (',' | '_')) = at(k) {
        spec.grouping = Some(g);
        k += 1;
    }
    if at(k) == Some('.') {
        k += 1;
        spec.precision = spec_count(raw, &chars, &mut k)?;
        if spec.precision == Count::Implied {
            return None;
        }
    }
    if let Some(t @ ('b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'n' | 'o' | 's' | 'x' | '%')) = at(k) {
        spec.ty = Some(t);
        k += 1;
    }
    (k == chars.len()).then_some(spec)
}

/// `\d+` or `{\w+}` at `chars[*k]`. A number beyond [`MAX_FIELD_WIDTH`] is read as
/// `MAX_FIELD_WIDTH + 1`, for the caller to refuse with the whole field quoted.
fn spec_count<'a>(raw: &'a str, chars: &[(usize, char)], k: &mut usize) -> Option<Count<'a>> {
    let start = *k;
    if chars.get(start).map(|c| c.1) == Some('{') {
        let mut e = start + 1;
        while chars.get(e).is_some_and(|c| is_word(c.1)) {
            e += 1;
        }
        if e == start + 1 || chars.get(e).map(|c| c.1) != Some('}') {
            return None;
        }
        let name = &raw[chars[start + 1].0..chars[e].0];
        *k = e + 1;
        return Some(Count::Named(name));
    }
    let mut n: usize = 0;
    while let Some(d) = chars.get(*k).and_then(|c| c.1.to_digit(10)) {
        if !chars[*k].1.is_ascii_digit() {
            break;
        }
        n = (n * 10 + d as usize).min(MAX_FIELD_WIDTH + 1);
        *k += 1;
    }
    Some(if *k > start {
        Count::Is(n)
    } else {
        Count::Implied
    })
}
