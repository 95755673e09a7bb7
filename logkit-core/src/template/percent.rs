//! The `%`-style scanner, following CPython's `PyUnicode_Format` argument parser.

use super::ast::{
    Count, Field, Flags, Key, PercentConv, PercentSpec, Piece, Spec, Style, Template, span,
};
use super::error::{Error, ErrorKind};
use crate::limits::MAX_FIELD_WIDTH;

/// Parses a `%` template. `record` requires a `(key)` on every field and forbids `*`.
/// Widths and precisions are at most [`MAX_FIELD_WIDTH`], and so is their sum.
pub(crate) fn parse(src: &str, record: bool) -> Result<Template<'_>, Error> {
    let bytes = src.as_bytes();
    let mut pieces = Vec::new();
    let mut lit_start = 0;
    let mut i = 0;
    // Message templates: whether the first field was positional, to reject mixing.
    let mut positional: Option<bool> = None;
    // The widths and precisions written so far, added up.
    let mut total: usize = 0;

    while let Some(off) = src[i..].find('%') {
        let start = i + off;
        if start > lit_start {
            pieces.push(Piece::Literal(&src[lit_start..start]));
        }
        let mut j = start + 1;
        if j >= bytes.len() {
            return Err(Error::new(ErrorKind::IncompleteFormat, src, span(start, j)));
        }
        if bytes[j] == b'%' {
            pieces.push(Piece::Literal(&src[j..=j]));
            i = j + 1;
            lit_start = i;
            continue;
        }

        let key = if bytes[j] == b'(' {
            // Python counts nested parentheses: `%(a(b)c)s` names `a(b)c`.
            let key_start = j + 1;
            let mut depth = 1;
            let mut k = key_start;
            while k < bytes.len() && depth > 0 {
                match bytes[k] {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                k += 1;
            }
            if depth > 0 {
                return Err(Error::new(
                    ErrorKind::IncompleteKey,
                    src,
                    span(start, bytes.len()),
                ));
            }
            j = k;
            Key::Name(&src[key_start..k - 1])
        } else {
            Key::Next
        };

        let mut flags = Flags::default();
        while j < bytes.len() {
            match bytes[j] {
                b'-' => flags.left = true,
                b'0' => flags.zero = true,
                b'+' => flags.plus = true,
                b' ' => flags.space = true,
                b'#' => flags.alternate = true,
                _ => break,
            }
            j += 1;
        }
        let width = count(src, &mut j);
        let precision = if bytes.get(j) == Some(&b'.') {
            j += 1;
            match count(src, &mut j) {
                Count::Implied => Count::Is(0),
                c => c,
            }
        } else {
            Count::Implied
        };
        if matches!(bytes.get(j), Some(b'h' | b'l' | b'L')) {
            j += 1;
        }
        let Some(conv_char) = src[j..].chars().next() else {
            return Err(Error::new(ErrorKind::IncompleteFormat, src, span(start, j)));
        };
        let end = j + conv_char.len_utf8();
        let Some(conv) = PercentConv::from_char(conv_char) else {
            return Err(Error::new(
                ErrorKind::UnsupportedConversion(conv_char),
                src,
                span(start, end),
            ));
        };

        total = total
            .saturating_add(written(width))
            .saturating_add(written(precision));
        if total > MAX_FIELD_WIDTH {
            return Err(Error::new(ErrorKind::WidthTooLarge, src, span(start, end)));
        }

        if record {
            if key == Key::Next {
                return Err(Error::new(
                    ErrorKind::PositionalInRecord,
                    src,
                    span(start, end),
                ));
            }
            if width == Count::Star || precision == Count::Star {
                return Err(Error::new(ErrorKind::StarInRecord, src, span(start, end)));
            }
        } else {
            let is_positional = key == Key::Next;
            match positional {
                None => positional = Some(is_positional),
                Some(p) if p != is_positional => {
                    return Err(Error::new(ErrorKind::MixedKeys, src, span(start, end)));
                }
                Some(_) => {}
            }
            if !is_positional && (width == Count::Star || precision == Count::Star) {
                // Python: a mapping has no positional argument to take the width from.
                return Err(Error::new(ErrorKind::MixedKeys, src, span(start, end)));
            }
        }

        pieces.push(Piece::Field(Field {
            key,
            spec: Spec::Percent(PercentSpec {
                flags,
                width,
                precision,
                conv,
            }),
            span: span(start, end),
        }));
        i = end;
        lit_start = end;
    }
    if lit_start < src.len() {
        pieces.push(Piece::Literal(&src[lit_start..]));
    }
    Ok(Template {
        source: src,
        style: Style::Percent,
        pieces,
    })
}

/// A width or precision at `*j`: digits, `*`, or nothing. A number beyond
/// [`MAX_FIELD_WIDTH`] is read as `MAX_FIELD_WIDTH + 1` (the caller refuses it once it knows
/// the whole field, to quote it).
fn count(src: &str, j: &mut usize) -> Count<'static> {
    let bytes = src.as_bytes();
    if bytes.get(*j) == Some(&b'*') {
        *j += 1;
        return Count::Star;
    }
    let digits_start = *j;
    let mut n: usize = 0;
    while let Some(d @ b'0'..=b'9') = bytes.get(*j) {
        n = (n * 10 + usize::from(d - b'0')).min(MAX_FIELD_WIDTH + 1);
        *j += 1;
    }
    if *j > digits_start {
        Count::Is(n)
    } else {
        Count::Implied
    }
}

/// The number a count writes in the template (0 for none, `*` or a nested name).
pub(super) fn written(count: Count<'_>) -> usize {
    match count {
        Count::Is(n) => n,
        Count::Implied | Count::Star | Count::Named(_) => 0,
    }
}
