//! The parse tree of a header value, as CPython's `email._header_value_parser` builds it:
//! terminals (`ValueTerminal`, `WhiteSpaceTerminal`, `EWWhiteSpaceTerminal`) and token lists,
//! with the few class attributes that folding reads (`as_ew_allowed`,
//! `startswith_fws`) and `str()` of each.

/// What kind of terminal: which CPython class it is an instance of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// `ValueTerminal`.
    Value,
    /// `WhiteSpaceTerminal`.
    Space,
    /// `EWWhiteSpaceTerminal`: the blank between two encoded words, written as nothing.
    EwSpace,
}

/// What kind of token list: which `TokenList` subclass it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A plain `TokenList()`.
    Plain,
    Unstructured,
    EncodedWord,
    Cfws,
    Comment,
    QuotedString,
    BareQuotedString,
    Atom,
    DotAtom,
    DotAtomText,
    Phrase,
    DisplayName,
    LocalPart,
    ObsLocalPart,
    Domain,
    DomainLiteral,
    AddrSpec,
    ObsRoute,
    AngleAddr,
    NameAddr,
    Mailbox,
    InvalidMailbox,
    MailboxList,
    GroupList,
    Group,
    Address,
    AddressList,
    HeaderLabel,
    Header,
}

/// A node of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// A terminal: its text, its `token_type` and its class.
    Term(String, &'static str, Class),
    /// A token list.
    List(Kind, Vec<Token>),
}

impl Token {
    /// A `ValueTerminal`.
    pub(crate) fn value(text: &str, token_type: &'static str) -> Token {
        Token::Term(text.to_owned(), token_type, Class::Value)
    }

    /// A `WhiteSpaceTerminal`.
    pub(crate) fn space(text: &str, token_type: &'static str) -> Token {
        Token::Term(text.to_owned(), token_type, Class::Space)
    }

    /// An empty token list of `kind`.
    pub(crate) fn list(kind: Kind) -> Token {
        Token::List(kind, Vec::new())
    }

    /// The `token_type` of a terminal, or `None` for a list.
    pub(crate) fn term_type(&self) -> Option<&'static str> {
        match self {
            Token::Term(_, t, _) => Some(t),
            Token::List(..) => None,
        }
    }

    /// The kind of a list, or `None` for a terminal.
    pub(crate) fn kind(&self) -> Option<Kind> {
        match self {
            Token::List(k, _) => Some(*k),
            Token::Term(..) => None,
        }
    }

    /// The children of a list (none for a terminal).
    pub(crate) fn items(&self) -> &[Token] {
        match self {
            Token::List(_, items) => items,
            Token::Term(..) => &[],
        }
    }

    /// The children of a list, to change (`None` for a terminal).
    pub(crate) fn items_mut(&mut self) -> Option<&mut Vec<Token>> {
        match self {
            Token::List(_, items) => Some(items),
            Token::Term(..) => None,
        }
    }

    /// Appends `t` to a list (a terminal is left as it is).
    pub(crate) fn push(&mut self, t: Token) {
        if let Some(items) = self.items_mut() {
            items.push(t);
        }
    }

    /// `token[:0] = [t]`: puts `t` first in a list.
    pub(crate) fn prepend(&mut self, t: Token) {
        if let Some(items) = self.items_mut() {
            items.insert(0, t);
        }
    }

    /// Whether this is a list with no children (`not token_list`).
    pub(crate) fn is_empty_list(&self) -> bool {
        matches!(self, Token::List(_, items) if items.is_empty())
    }

    /// `as_ew_allowed`: whether the token may be written as an encoded word. (Every token here
    /// is a `syntactic_break`: CPython 3.11 defines `ListSeparator` twice, and the second
    /// one, which the parser uses, keeps the class defaults.)
    pub(crate) fn as_ew_allowed(&self) -> bool {
        match self {
            Token::Term(..) => true,
            Token::List(kind, items) => match kind {
                Kind::Domain
                | Kind::AddrSpec
                | Kind::LocalPart
                | Kind::ObsLocalPart
                | Kind::DomainLiteral
                | Kind::HeaderLabel => false,
                Kind::DotAtomText => true,
                _ => items.iter().all(Token::as_ew_allowed),
            },
        }
    }

    /// `startswith_fws()` (an empty list, where CPython fails, says false).
    pub(crate) fn startswith_fws(&self) -> bool {
        match self {
            Token::Term(_, _, class) => *class != Class::Value,
            Token::List(_, items) => items.first().is_some_and(Token::startswith_fws),
        }
    }

    /// `str(token)`.
    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        self.write_text(&mut s);
        s
    }

    fn write_text(&self, out: &mut String) {
        match self {
            Token::Term(_, _, Class::EwSpace) => {}
            Token::Term(text, ..) => out.push_str(text),
            Token::List(Kind::BareQuotedString, items) => {
                let inner: String = items.iter().map(Token::text).collect();
                out.push_str(&quote_string(&inner));
            }
            Token::List(Kind::Comment, items) => {
                out.push('(');
                for item in items {
                    let t = item.text();
                    if item.kind() == Some(Kind::Comment) {
                        out.push_str(&t);
                    } else {
                        out.push_str(
                            &t.replace('\\', "\\\\")
                                .replace('(', "\\(")
                                .replace(')', "\\)"),
                        );
                    }
                }
                out.push(')');
            }
            Token::List(_, items) => items.iter().for_each(|i| i.write_text(out)),
        }
    }
}

/// `quote_string`: `"…"` with `\` and `"` escaped.
pub(crate) fn quote_string(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}
