//! The layout of a message template: its pieces, and the arguments its placeholders take,
//! in the order the macros pass them.
//!
//! The macros (at compile time) build the argument array from [`MessageLayout::args`]; the
//! call site (at run time, once) builds its pieces from the same layout, so the two always
//! agree on which index is which argument.

use super::ast::{Count, Key, PercentConv, PercentSpec, Piece, Spec, Template};

/// How a placeholder's conversion takes its argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArgKind {
    /// `%s`: `Display`.
    Str,
    /// `%r`, `%a`: `Debug`.
    Repr,
    /// `%d`, `%i`, `%u`: a number.
    Decimal,
    /// `%x`, `%X`, `%o`, `*`: an integer.
    Integer,
    /// `%e %f %g`: a float.
    Float,
    /// `%c`: a character.
    Char,
}

impl ArgKind {
    /// The kind a conversion needs.
    pub fn of(conv: PercentConv) -> Self {
        match conv {
            PercentConv::Str => ArgKind::Str,
            PercentConv::Repr | PercentConv::Ascii => ArgKind::Repr,
            PercentConv::Decimal => ArgKind::Decimal,
            PercentConv::Octal | PercentConv::HexLower | PercentConv::HexUpper => ArgKind::Integer,
            PercentConv::Char => ArgKind::Char,
            PercentConv::ExpLower
            | PercentConv::ExpUpper
            | PercentConv::FixedLower
            | PercentConv::FixedUpper
            | PercentConv::GeneralLower
            | PercentConv::GeneralUpper => ArgKind::Float,
        }
    }
}

/// Which call argument an argument slot takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgSource<'a> {
    /// The n-th positional argument.
    Positional(usize),
    /// The named argument (or captured variable) with this name.
    Named(&'a str),
}

/// One argument the message takes: which, and as what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArgSlot<'a> {
    /// Which argument.
    pub source: ArgSource<'a>,
    /// How it is taken.
    pub kind: ArgKind,
}

/// A piece of a laid-out message.
#[derive(Clone, Debug, PartialEq)]
pub enum LayoutPiece<'a> {
    /// Literal text.
    Literal(&'a str),
    /// A placeholder: its argument slot, its spec, and the slots of `*` width and precision.
    Field {
        /// The slot of the value.
        arg: usize,
        /// The spec.
        spec: PercentSpec,
        /// The slot giving the width (`*`).
        width: Option<usize>,
        /// The slot giving the precision (`*`).
        precision: Option<usize>,
    },
}

/// A message's pieces and argument slots.
///
/// # Examples
///
/// ```
/// use logkit::template::{parse, Mode, MessageLayout, ArgKind, ArgSource};
///
/// let t = parse("%(user)s/%(user)r took %(ms)d ms", Mode::Message).unwrap();
/// let layout = MessageLayout::new(&t);
/// let slots: Vec<_> = layout.args.iter().map(|a| (a.source, a.kind)).collect();
/// assert_eq!(slots, [
///     (ArgSource::Named("user"), ArgKind::Str),
///     (ArgSource::Named("user"), ArgKind::Repr),
///     (ArgSource::Named("ms"), ArgKind::Decimal),
/// ]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MessageLayout<'a> {
    /// The pieces, in order.
    pub pieces: Vec<LayoutPiece<'a>>,
    /// The argument slots, in the order of the argument array.
    pub args: Vec<ArgSlot<'a>>,
}

impl<'a> MessageLayout<'a> {
    /// Lays out a parsed message template. Positional placeholders take the next positional
    /// arguments in order (`*` first); a named argument used twice with the same kind has one
    /// slot.
    pub fn new(template: &Template<'a>) -> Self {
        let mut layout = MessageLayout {
            pieces: Vec::new(),
            args: Vec::new(),
        };
        let mut next = 0;
        for piece in &template.pieces {
            let field = match piece {
                Piece::Literal(s) => {
                    layout.pieces.push(LayoutPiece::Literal(s));
                    continue;
                }
                Piece::Field(f) => f,
            };
            let Spec::Percent(spec) = field.spec else {
                continue;
            };
            let mut positional = |layout: &mut Self, kind| {
                let slot = layout.slot(ArgSource::Positional(next), kind);
                next += 1;
                slot
            };
            let (width, precision, arg) = match field.key {
                Key::Next => {
                    let w = (spec.width == Count::Star)
                        .then(|| positional(&mut layout, ArgKind::Integer));
                    let p = (spec.precision == Count::Star)
                        .then(|| positional(&mut layout, ArgKind::Integer));
                    (w, p, positional(&mut layout, ArgKind::of(spec.conv)))
                }
                Key::Name(name) | Key::Path(name, _) => (
                    None,
                    None,
                    layout.slot(ArgSource::Named(name), ArgKind::of(spec.conv)),
                ),
            };
            layout.pieces.push(LayoutPiece::Field {
                arg,
                spec,
                width,
                precision,
            });
        }
        layout
    }

    fn slot(&mut self, source: ArgSource<'a>, kind: ArgKind) -> usize {
        let slot = ArgSlot { source, kind };
        if let ArgSource::Named(_) = source {
            if let Some(i) = self.args.iter().position(|a| *a == slot) {
                return i;
            }
        }
        self.args.push(slot);
        self.args.len() - 1
    }
}
