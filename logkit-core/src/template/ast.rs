//! The parsed form of a template: literal text and fields with their conversion specs.
//!
//! Every string in the tree borrows from the source template, so parsing allocates only the
//! vector of pieces. Escapes (`%%`, `{{`, `}}`, `$$`) become one-character literal pieces.

use std::ops::Range;

/// Which of Python's three template styles a record template uses.
///
/// # Examples
///
/// ```
/// use logkit::template::Style;
///
/// assert_eq!(Style::from_char('{'), Some(Style::Brace));
/// assert_eq!(Style::Percent.as_char(), '%');
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Style {
    /// `%(name)s`, Python's printf style (the default).
    #[default]
    Percent,
    /// `{name}`, Python's `str.format` style.
    Brace,
    /// `$name` / `${name}`, Python's `string.Template` style.
    Dollar,
}

impl Style {
    /// The style for one of Python's style characters `%`, `{` or `$`.
    pub fn from_char(c: char) -> Option<Self> {
        match c {
            '%' => Some(Self::Percent),
            '{' => Some(Self::Brace),
            '$' => Some(Self::Dollar),
            _ => None,
        }
    }

    /// The style character, as written in Python's `style=` argument.
    pub fn as_char(self) -> char {
        match self {
            Self::Percent => '%',
            Self::Brace => '{',
            Self::Dollar => '$',
        }
    }

    /// The template Python uses when none is given: `%(message)s`, `{message}` or `${message}`.
    pub fn default_template(self) -> &'static str {
        match self {
            Self::Percent => "%(message)s",
            Self::Brace => "{message}",
            Self::Dollar => "${message}",
        }
    }
}

/// A parsed template.
///
/// # Examples
///
/// ```
/// use logkit::template::{parse, Mode, Piece};
///
/// let t = parse("%(levelname)s:%(message)s", Mode::Record(Default::default())).unwrap();
/// assert_eq!(t.pieces.len(), 3);
/// assert!(matches!(t.pieces[1], Piece::Literal(":")));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Template<'a> {
    /// The source text.
    pub source: &'a str,
    /// The style it was parsed in.
    pub style: Style,
    /// Literal text and fields, in order.
    pub pieces: Vec<Piece<'a>>,
}

impl<'a> Template<'a> {
    /// The fields of the template, in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field<'a>> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Field(f) => Some(f),
            Piece::Literal(_) => None,
        })
    }

    /// Whether any field names `name` (as Python's `usesTime()` asks for `asctime`).
    pub fn uses(&self, name: &str) -> bool {
        self.fields().any(|f| f.key.name() == Some(name))
    }
}

/// One piece of a template.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece<'a> {
    /// Text copied as is (an escape such as `%%` is a one-character literal).
    Literal(&'a str),
    /// A placeholder.
    Field(Field<'a>),
}

/// A placeholder: what it names and how it converts the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Field<'a> {
    /// What the field refers to.
    pub key: Key<'a>,
    /// How the value is converted.
    pub spec: Spec<'a>,
    /// Byte range of the whole placeholder in the source, e.g. `%(name)-8s`.
    pub span: Range<usize>,
}

/// What a field refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key<'a> {
    /// The next positional argument (`%s` in a message).
    Next,
    /// A named value (`%(name)s`, `{name}`, `$name`).
    Name(&'a str),
    /// A brace-style field with an index or attribute access after the name, e.g.
    /// `{args[0]}`: the name and the raw accessor text (`[0]`).
    Path(&'a str, &'a str),
}

impl<'a> Key<'a> {
    /// The name, if the key has one.
    pub fn name(&self) -> Option<&'a str> {
        match self {
            Key::Next => None,
            Key::Name(n) | Key::Path(n, _) => Some(n),
        }
    }
}

/// The conversion spec of a field, in the syntax of its style.
#[derive(Clone, Debug, PartialEq)]
pub enum Spec<'a> {
    /// `%[flags][width][.precision]conv`.
    Percent(PercentSpec),
    /// `[!conv][:format_spec]` of `str.format`.
    Brace(BraceSpec<'a>),
    /// `$name` has no spec: the value's `str()`.
    Dollar,
}

/// A width or precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Count<'a> {
    /// Not given.
    #[default]
    Implied,
    /// A number written in the template.
    Is(usize),
    /// `*`: taken from the next positional argument (message templates only).
    Star,
    /// `{name}` nested in a brace spec: taken from the named value.
    Named(&'a str),
}

/// The flags of a printf conversion: `-`, `0`, `+`, space and `#`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)]
pub struct Flags {
    /// `-`: left-align in the field width (overrides `0`).
    pub left: bool,
    /// `0`: pad numbers with zeros.
    pub zero: bool,
    /// `+`: always print a sign (overrides space).
    pub plus: bool,
    /// space: a space before positive numbers.
    pub space: bool,
    /// `#`: alternate form (`0o`/`0x` prefixes, keep the decimal point).
    pub alternate: bool,
}

/// A printf-style spec: `%(key)-8s`, `%05.1f`, `%#x`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PercentSpec {
    /// `-0+ #`.
    pub flags: Flags,
    /// Minimum field width.
    pub width: Count<'static>,
    /// Precision: digits after the point, significant digits, minimum integer digits, or the
    /// maximum number of characters of a string.
    pub precision: Count<'static>,
    /// The conversion character.
    pub conv: PercentConv,
}

impl PercentSpec {
    /// Whether the spec has no flags, width or precision (`%s`, not `%-8s`).
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::template::{parse, Mode, Spec};
    ///
    /// let spec = |t: &str| match parse(t, Mode::Message).unwrap().fields().next().unwrap().spec {
    ///     Spec::Percent(p) => p,
    ///     _ => unreachable!(),
    /// };
    /// assert!(spec("%s").is_plain());
    /// assert!(!spec("%5d").is_plain());
    /// ```
    pub fn is_plain(&self) -> bool {
        self.flags == Flags::default()
            && self.width == Count::Implied
            && self.precision == Count::Implied
    }
}

/// A printf conversion character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PercentConv {
    /// `d`, `i`, `u`: signed decimal integer.
    Decimal,
    /// `o`: octal.
    Octal,
    /// `x`: lowercase hexadecimal.
    HexLower,
    /// `X`: uppercase hexadecimal.
    HexUpper,
    /// `e`: exponent notation.
    ExpLower,
    /// `E`: exponent notation, uppercase.
    ExpUpper,
    /// `f`: fixed point.
    FixedLower,
    /// `F`: fixed point, uppercase `INF`/`NAN`.
    FixedUpper,
    /// `g`: shortest of `e` and `f`.
    GeneralLower,
    /// `G`: shortest of `E` and `F`.
    GeneralUpper,
    /// `c`: a character.
    Char,
    /// `s`: the value as text (Rust `Display`, Python `str()`).
    Str,
    /// `r`: the value's representation (Rust `Debug`, Python `repr()`).
    Repr,
    /// `a`: like `r` with non-ASCII characters escaped (Python `ascii()`).
    Ascii,
}

impl PercentConv {
    /// Every conversion character Python accepts, for messages that list them.
    pub const ALL: &'static str = "s r a d i u o x X e E f F g G c";

    /// The conversion for a character, or `None` if Python rejects it.
    pub fn from_char(c: char) -> Option<Self> {
        Some(match c {
            'd' | 'i' | 'u' => Self::Decimal,
            'o' => Self::Octal,
            'x' => Self::HexLower,
            'X' => Self::HexUpper,
            'e' => Self::ExpLower,
            'E' => Self::ExpUpper,
            'f' => Self::FixedLower,
            'F' => Self::FixedUpper,
            'g' => Self::GeneralLower,
            'G' => Self::GeneralUpper,
            'c' => Self::Char,
            's' => Self::Str,
            'r' => Self::Repr,
            'a' => Self::Ascii,
            _ => return None,
        })
    }

    /// The canonical character (`d` for `d`, `i` and `u`).
    pub fn as_char(self) -> char {
        match self {
            Self::Decimal => 'd',
            Self::Octal => 'o',
            Self::HexLower => 'x',
            Self::HexUpper => 'X',
            Self::ExpLower => 'e',
            Self::ExpUpper => 'E',
            Self::FixedLower => 'f',
            Self::FixedUpper => 'F',
            Self::GeneralLower => 'g',
            Self::GeneralUpper => 'G',
            Self::Char => 'c',
            Self::Str => 's',
            Self::Repr => 'r',
            Self::Ascii => 'a',
        }
    }

    /// Whether the conversion needs an integer (`d o x X`; `d` also takes floats in Python).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Self::Decimal | Self::Octal | Self::HexLower | Self::HexUpper
        )
    }

    /// Whether the conversion is a floating-point one (`e E f F g G`).
    pub fn is_float(self) -> bool {
        matches!(
            self,
            Self::ExpLower
                | Self::ExpUpper
                | Self::FixedLower
                | Self::FixedUpper
                | Self::GeneralLower
                | Self::GeneralUpper
        )
    }
}

/// Alignment in a brace-style spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// `<`
    Left,
    /// `>`
    Right,
    /// `^`
    Center,
    /// `=`: padding between the sign and the digits.
    AfterSign,
}

/// Sign handling in a brace-style spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// `+`
    Plus,
    /// `-` (the default)
    Minus,
    /// space
    Space,
}

/// The `!r`, `!s` or `!a` conversion of a brace field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BraceConversion {
    /// `!s`
    Str,
    /// `!r`
    Repr,
    /// `!a`
    Ascii,
}

/// A `str.format` spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
#[allow(clippy::struct_excessive_bools)]
pub struct BraceSpec<'a> {
    /// `!r`, `!s`, `!a`.
    pub conversion: Option<BraceConversion>,
    /// The fill character (space when not given).
    pub fill: Option<char>,
    /// The alignment.
    pub align: Option<Align>,
    /// The sign option.
    pub sign: Option<Sign>,
    /// `z`: turn negative zero into zero.
    pub no_neg_zero: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// `0`: zero padding (sign-aware).
    pub zero: bool,
    /// Minimum width.
    pub width: Count<'a>,
    /// `,` or `_` thousands separator.
    pub grouping: Option<char>,
    /// Precision.
    pub precision: Count<'a>,
    /// The presentation type (`s b c d o x X n e E f F g G %`), if given.
    pub ty: Option<char>,
    /// The spec text after `:`, for error messages.
    pub raw: &'a str,
}

/// Byte range helper shared by the parsers.
pub(crate) fn span(start: usize, end: usize) -> Range<usize> {
    start..end
}
