//! Template errors: what is wrong, where, and what to write instead.
//!
//! The message quotes the offending fragment because a proc macro on stable Rust can only
//! point at the whole string literal.

use std::fmt;
use std::ops::Range;

use super::ast::Style;

/// A template that cannot be parsed.
///
/// # Examples
///
/// ```
/// use logkit::template::{parse, Mode};
///
/// let err = parse("took %q ms", Mode::Message).unwrap_err();
/// assert_eq!(err.span, 5..7);
/// assert!(err.to_string().contains("`%q`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What is wrong.
    pub kind: ErrorKind,
    /// Byte range of the offending fragment in the template.
    pub span: Range<usize>,
    /// The offending fragment.
    pub fragment: String,
}

/// The kinds of template error.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A `%` at the end of the template.
    IncompleteFormat,
    /// `%(name` without the closing parenthesis.
    IncompleteKey,
    /// A conversion character Python does not have, such as `%q` or `%lld`.
    UnsupportedConversion(char),
    /// A positional placeholder (`%s`) in a record template, which needs `%(name)s`.
    PositionalInRecord,
    /// `*` as a width or precision in a record template.
    StarInRecord,
    /// A message that mixes `%s` and `%(name)s`.
    MixedKeys,
    /// A brace-style `{` with no matching `}`.
    UnclosedBrace,
    /// A single `}` in a brace-style template.
    SingleClosingBrace,
    /// A brace-style field name that is not an identifier, index or attribute path.
    InvalidFieldName,
    /// A brace-style `!x` conversion other than `!r`, `!s`, `!a`.
    InvalidBraceConversion(char),
    /// A brace-style conversion not followed by `:` or `}`.
    ExpectedColon,
    /// A brace-style format spec Python rejects.
    BadSpecifier,
    /// A `$` not followed by `$`, a name or `{name}`.
    BareDollar,
    /// A record template with no field at all (refused unless not validated, as CPython's
    /// `validate=True` refuses it), in the given style.
    NoFields(Style),
    /// A width or precision beyond [`MAX_FIELD_WIDTH`](crate::limits::MAX_FIELD_WIDTH), or
    /// widths and precisions adding up to more than it.
    WidthTooLarge,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, src: &str, span: Range<usize>) -> Self {
        let fragment = src.get(span.clone()).unwrap_or(src).to_owned();
        Self {
            kind,
            span,
            fragment,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let frag = &self.fragment;
        match &self.kind {
            ErrorKind::IncompleteFormat => write!(
                f,
                "incomplete format: `{frag}` at the end of the template needs a conversion \
                 such as `%s`; write `%%` for a literal percent sign"
            ),
            ErrorKind::IncompleteKey => write!(
                f,
                "incomplete format key `{frag}`: close it with `)` and a conversion, \
                 as in `%(name)s`"
            ),
            ErrorKind::UnsupportedConversion(c) => write!(
                f,
                "unsupported format character `{}` in `{frag}`: use one of `{}`, \
                 or write `%%` for a literal percent sign",
                c.escape_default(),
                super::PercentConv::ALL
            ),
            ErrorKind::PositionalInRecord => write!(
                f,
                "`{frag}` has no attribute name: a record template names each attribute, \
                 as in `%(message)s`"
            ),
            ErrorKind::StarInRecord => write!(
                f,
                "`*` in `{frag}` takes the width from an argument, which a record template \
                 does not have: write the number, as in `%(levelname)-8s`"
            ),
            ErrorKind::MixedKeys => write!(
                f,
                "`{frag}` mixes positional and named placeholders: use only `%s`-style \
                 placeholders with positional arguments, or only `%(name)s` with named ones"
            ),
            ErrorKind::UnclosedBrace => write!(
                f,
                "expected '}}' before end of string in `{frag}`: close the field, \
                 or write `{{{{` for a literal brace"
            ),
            ErrorKind::SingleClosingBrace => write!(
                f,
                "single '}}' encountered in format string at `{frag}`: write `}}}}` for a \
                 literal brace"
            ),
            ErrorKind::InvalidFieldName => write!(
                f,
                "invalid field name/expression: `{frag}`: a field is an attribute name such \
                 as `{{levelname}}`"
            ),
            ErrorKind::InvalidBraceConversion(c) => write!(
                f,
                "invalid conversion: `{}` in `{frag}`: use `!r`, `!s` or `!a`",
                c.escape_default()
            ),
            ErrorKind::ExpectedColon => {
                write!(f, "expected ':' after conversion specifier in `{frag}`")
            }
            ErrorKind::BadSpecifier => write!(
                f,
                "bad specifier: `{frag}`: a spec is `[[fill]align][sign][#][0][width][,][.precision][type]`, \
                 as in `{{levelname:<8}}`"
            ),
            ErrorKind::BareDollar => write!(
                f,
                "bare '$' not allowed at `{frag}`: write `$name`, `${{name}}`, or `$$` for a \
                 literal dollar sign"
            ),
            ErrorKind::WidthTooLarge => write!(
                f,
                "width too big in `{frag}`: a width or precision is at most {max} characters, \
                 and those of one template add up to at most {max} (see logkit's \
                 docs/limits.md)",
                max = crate::limits::MAX_FIELD_WIDTH
            ),
            ErrorKind::NoFields(Style::Percent) => write!(
                f,
                "no fields in `{frag}`: a record template needs at least one field, such as \
                 the message, or turn validation off to print it as written: Invalid format '{frag}' \
                 for '%' style"
            ),
            ErrorKind::NoFields(_) => write!(
                f,
                "no fields in `{frag}`: a record template needs at least one field, such as \
                 the message, or turn validation off to print it as written: invalid format: no \
                 fields"
            ),
        }
    }
}

impl std::error::Error for Error {}
