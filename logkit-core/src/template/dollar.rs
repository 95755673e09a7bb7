//! The `$`-style scanner: Python's `string.Template` syntax.

use super::ast::{Field, Key, Piece, Spec, Style, Template, span};
use super::error::{Error, ErrorKind};

pub(crate) fn parse(src: &str) -> Result<Template<'_>, Error> {
    let bytes = src.as_bytes();
    let mut pieces = Vec::new();
    let mut lit_start = 0;
    let mut i = 0;
    while let Some(off) = src[i..].find('$') {
        let start = i + off;
        if start > lit_start {
            pieces.push(Piece::Literal(&src[lit_start..start]));
        }
        let j = start + 1;
        let (key, end) = match bytes.get(j) {
            Some(b'$') => {
                pieces.push(Piece::Literal(&src[j..=j]));
                i = j + 1;
                lit_start = i;
                continue;
            }
            Some(b'{') => {
                let n = ident_len(&bytes[j + 1..]);
                if n == 0 || bytes.get(j + 1 + n) != Some(&b'}') {
                    return Err(Error::new(ErrorKind::BareDollar, src, span(start, j + 1)));
                }
                (&src[j + 1..j + 1 + n], j + n + 2)
            }
            _ => {
                let n = ident_len(&bytes[j..]);
                if n == 0 {
                    return Err(Error::new(ErrorKind::BareDollar, src, span(start, j)));
                }
                (&src[j..j + n], j + n)
            }
        };
        pieces.push(Piece::Field(Field {
            key: Key::Name(key),
            spec: Spec::Dollar,
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
        style: Style::Dollar,
        pieces,
    })
}

/// Length of `[_a-zA-Z][_a-zA-Z0-9]*` at the start of `b` (ASCII, case-insensitive, as
/// Python's `idpattern`).
fn ident_len(b: &[u8]) -> usize {
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            1 + b[1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count()
        }
        _ => 0,
    }
}
