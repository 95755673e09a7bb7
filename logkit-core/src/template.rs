//! The one template parser, shared by the macros (at compile time) and the runtime.
//!
//! Two kinds of template use it:
//!
//! - **message templates** (`Mode::Message`): the first argument of a logging call,
//!   `"request %s took %d ms"` or `"user %(user)s"`. Always `%`-style, as in Python, whatever
//!   the formatter's style.
//! - **record templates** (`Mode::Record(style)`): what a formatter prints for each record,
//!   `"%(asctime)s - %(name)s - %(levelname)s - %(message)s"`, in one of Python's three styles.
//!
//! # Grammar
//!
//! ```text
//! percent   := '%' ( '%' | ['(' key ')'] flags* width? ('.' precision?)? [hlL]? conv )
//! flags     := '-' | '0' | '+' | ' ' | '#'
//! width     := digits | '*'            precision := digits | '*'   ('*': messages only)
//! conv      := d i u o x X e E f F g G c s r a
//!
//! brace     := '{{' | '}}' | '{' name accessor* ['!' (r|s|a)] [':' spec] '}'
//! accessor  := '.' ident | '[' [^\]]+ ']'
//! spec      := [[fill]align][sign][z][#][0][width][,|_][.precision][type]
//!              (Python's validator: type in b c d e f g n o s x %)
//!
//! dollar    := '$$' | '$' ident | '${' ident '}'      ident := [_A-Za-z][_A-Za-z0-9]*
//! ```
//!
//! The parser is stricter than CPython's `Formatter(validate=True)`, which only checks that
//! one valid field exists: every placeholder must parse, so a mistake is found when the
//! template is built instead of at every record.
//!
//! # Examples
//!
//! ```
//! use logkit::template::{parse, Key, Mode, Piece, Spec, Style};
//!
//! let t = parse("%(levelname)-8s|%(message)s", Mode::Record(Style::Percent)).unwrap();
//! let Piece::Field(f) = &t.pieces[0] else { panic!() };
//! assert_eq!(f.key, Key::Name("levelname"));
//! let Spec::Percent(spec) = f.spec else { panic!() };
//! assert!(spec.flags.left);
//!
//! let err = parse("%(asctime)s %s", Mode::Record(Style::Percent)).unwrap_err();
//! assert!(err.to_string().contains("`%s`"));
//! ```

mod ast;
mod attr;
mod brace;
mod color;
mod dollar;
mod error;
mod layout;
mod percent;
#[cfg(test)]
mod tests;

pub use ast::{
    Align, BraceConversion, BraceSpec, Count, Field, Flags, Key, PercentConv, PercentSpec, Piece,
    Sign, Spec, Style, Template,
};
pub use attr::{Attr, AttrKind};
pub use color::{ColorAttr, Escape, RESET, UnknownColor, escape, parse_colors};
pub use error::{Error, ErrorKind};
pub use layout::{ArgKind, ArgSlot, ArgSource, LayoutPiece, MessageLayout};

/// What kind of template is being parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A message: `%`-style with positional (`%s`) or named (`%(x)s`) placeholders, not both;
    /// `*` widths allowed.
    Message,
    /// A record template in the given style: every field names an attribute.
    Record(Style),
}

/// Parses `src` as a template of the given kind.
///
/// # Errors
///
/// An [`Error`] naming the offending fragment and its byte range.
///
/// # Examples
///
/// ```
/// use logkit::template::{parse, Mode, Style};
///
/// assert_eq!(parse("{levelname}: {message}", Mode::Record(Style::Brace)).unwrap().fields().count(), 2);
/// assert!(parse("$levelname $", Mode::Record(Style::Dollar)).is_err());
/// ```
pub fn parse(src: &str, mode: Mode) -> Result<Template<'_>, Error> {
    parse_with(src, mode, true)
}

/// As [`parse`]; with `validate` false, a record template with no field is accepted (its
/// text printed as is, escapes undone), as CPython's `Formatter(validate=False)` accepts it.
///
/// With `validate` true a record template must name at least one field, as CPython's
/// `validate=True` (the default) requires: `Invalid format 'plain text' for '%' style`.
///
/// # Errors
///
/// As [`parse`].
///
/// # Examples
///
/// ```
/// use logkit::template::{parse_with, Mode, Style};
///
/// let err = parse_with("plain text", Mode::Record(Style::Percent), true).unwrap_err();
/// assert!(err.to_string().ends_with("Invalid format 'plain text' for '%' style"));
/// assert!(parse_with("plain text", Mode::Record(Style::Percent), false).is_ok());
/// ```
pub fn parse_with(src: &str, mode: Mode, validate: bool) -> Result<Template<'_>, Error> {
    let parsed = match mode {
        Mode::Message => percent::parse(src, false)?,
        Mode::Record(Style::Percent) => percent::parse(src, true)?,
        Mode::Record(Style::Brace) => brace::parse(src)?,
        Mode::Record(Style::Dollar) => dollar::parse(src)?,
    };
    if let Mode::Record(style) = mode {
        if validate && !parsed.pieces.iter().any(|p| matches!(p, Piece::Field(_))) {
            return Err(Error::new(ErrorKind::NoFields(style), src, 0..src.len()));
        }
    }
    Ok(parsed)
}
