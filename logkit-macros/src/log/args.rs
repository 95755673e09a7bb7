//! Parsing a logging call: `$crate; <source>; @<kind> [exprs,] "message" [, args] [; fields]`.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Ident, LitStr, Token};

/// Where the call's logger comes from, when the call names none.
pub(crate) enum Source {
    /// The module's `module_logger!` declaration, else the call site's module path.
    Lookup,
    /// A `logkit::__private::Source` expression put there by `#[logger]`.
    Given(TokenStream),
}

/// Which macro was called.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `log!(level, ...)`
    Log,
    /// `exception!(err, ...)`
    Exception,
    /// `trace!`, `debug!`, `info!`, `warning!`/`warn!`, `error!`, `critical!`
    Fixed(&'static str),
}

/// A message argument: positional, or `name = expr`.
pub(crate) struct Arg {
    pub(crate) name: Option<Ident>,
    pub(crate) expr: Expr,
}

/// A user field after `;`: `name = expr`.
pub(crate) struct Field {
    pub(crate) name: Ident,
    pub(crate) expr: Expr,
}

/// CPython's keyword arguments after `;`: `exc_info = err`, `stack_info = bool`,
/// `stacklevel = 2`.
#[derive(Default)]
pub(crate) struct Keywords {
    pub(crate) exc_info: Option<Expr>,
    pub(crate) stack_info: Option<Expr>,
    pub(crate) stacklevel: Option<Expr>,
}

/// The whole invocation.
pub(crate) struct Invocation {
    pub(crate) krate: TokenStream,
    pub(crate) source: Source,
    pub(crate) kind: Kind,
    /// Expressions before the message: logger, level, error (which is which depends on
    /// `kind` and how many there are).
    pub(crate) leading: Vec<Expr>,
    pub(crate) message: LitStr,
    pub(crate) args: Vec<Arg>,
    pub(crate) fields: Vec<Field>,
    pub(crate) keywords: Keywords,
}

impl Parse for Invocation {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        // `$crate` arrives as one identifier-like token; take everything up to `;` as is.
        let mut krate = TokenStream::new();
        while !input.peek(Token![;]) {
            let tt: TokenTree = input.parse()?;
            krate.extend([tt]);
        }
        input.parse::<Token![;]>()?;

        let source_ident: Ident = input.parse()?;
        let source = match source_ident.to_string().as_str() {
            "lookup" => Source::Lookup,
            "source" => {
                input.parse::<Token![=]>()?;
                let group: proc_macro2::Group = input.parse()?;
                Source::Given(group.stream())
            }
            _ => {
                return Err(syn::Error::new(
                    source_ident.span(),
                    "unknown logger source",
                ));
            }
        };
        input.parse::<Token![;]>()?;

        input.parse::<Token![@]>()?;
        let kind_ident: Ident = input.parse()?;
        let kind = match kind_ident.to_string().as_str() {
            "log" => Kind::Log,
            "exception" => Kind::Exception,
            "trace" => Kind::Fixed("TRACE"),
            "debug" => Kind::Fixed("DEBUG"),
            "info" => Kind::Fixed("INFO"),
            "warning" | "warn" => Kind::Fixed("WARNING"),
            "error" => Kind::Fixed("ERROR"),
            "critical" => Kind::Fixed("CRITICAL"),
            _ => return Err(syn::Error::new(kind_ident.span(), "unknown logging macro")),
        };
        // Nested `#[logger]` attributes each prefix `@source = …;`; the first (innermost) won.
        while input.peek(Token![@]) && input.peek2(Ident) {
            input.parse::<Token![@]>()?;
            input.parse::<Ident>()?;
            input.parse::<Token![=]>()?;
            input.parse::<Expr>()?;
            input.parse::<Token![;]>()?;
        }

        let mut leading = Vec::new();
        while !input.peek(LitStr) {
            if input.is_empty() {
                return Err(input.error(missing_message(kind)));
            }
            let expr: Expr = input.parse()?;
            if let Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(_),
                ..
            }) = &expr
            {
                unreachable!("string literals stop the loop");
            }
            leading.push(expr);
            if input.is_empty() {
                let found = &leading[leading.len() - 1];
                return Err(syn::Error::new_spanned(
                    found,
                    format!(
                        "the message must be a string literal, as in `{}`; to log a value, \
                         write `\"%s\", value`",
                        example(kind)
                    ),
                ));
            }
            if !input.peek(Token![,]) {
                let found = &leading[leading.len() - 1];
                return Err(syn::Error::new_spanned(
                    found,
                    format!(
                        "the message must be a string literal, as in `{}`; to log a value, \
                         write `\"%s\", value`",
                        example(kind)
                    ),
                ));
            }
            input.parse::<Token![,]>()?;
        }
        let message: LitStr = input.parse()?;

        let mut args = Vec::new();
        while input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            if input.is_empty() || input.peek(Token![;]) {
                break;
            }
            let name = if input.peek(Ident) && input.peek2(Token![=]) && !input.peek2(Token![==]) {
                let n: Ident = input.parse()?;
                input.parse::<Token![=]>()?;
                Some(n)
            } else {
                None
            };
            args.push(Arg {
                name,
                expr: input.parse()?,
            });
        }

        let mut fields = Vec::new();
        let mut keywords = Keywords::default();
        if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            while !input.is_empty() {
                let name: Ident = input.parse().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "expected a field `name = value` after `;`, as in `; user = name`",
                    )
                })?;
                input.parse::<Token![=]>()?;
                let expr: Expr = input.parse()?;
                let keyword = match name.to_string().as_str() {
                    "exc_info" => Some(&mut keywords.exc_info),
                    "stack_info" => Some(&mut keywords.stack_info),
                    "stacklevel" => Some(&mut keywords.stacklevel),
                    _ => None,
                };
                match keyword {
                    Some(slot) if slot.is_some() => {
                        return Err(syn::Error::new_spanned(
                            &name,
                            format!("`{name}` is given twice"),
                        ));
                    }
                    Some(slot) => *slot = Some(expr),
                    None => fields.push(Field { name, expr }),
                }
                if input.is_empty() {
                    break;
                }
                input.parse::<Token![,]>()?;
            }
        }
        if !input.is_empty() {
            return Err(input.error(
                "unexpected tokens after the arguments; fields go after a `;`: \
                 `info!(\"msg %s\", value; user = name)`",
            ));
        }
        Ok(Invocation {
            krate,
            source,
            kind,
            leading,
            message,
            args,
            fields,
            keywords,
        })
    }
}

fn example(kind: Kind) -> &'static str {
    match kind {
        Kind::Log => "log!(info, \"user %s logged in\", name)",
        Kind::Exception => "exception!(err, \"could not open %s\", path)",
        Kind::Fixed(_) => "info!(\"user %s logged in\", name)",
    }
}

fn missing_message(kind: Kind) -> String {
    format!("missing the message: write `{}`", example(kind))
}
