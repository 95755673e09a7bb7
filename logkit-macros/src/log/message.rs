//! Compiling a message template and its arguments into a table of pieces and an array of
//! typed arguments (`logkit::message::{Piece, Arg}`).
//!
//! Literal text becomes a `Piece::Literal`; each placeholder becomes a `Piece::Field` with its
//! printf spec and the index of an argument. Each argument is made by a method of the trait
//! of its conversion (`PyDecimal::__logkit_d(&value)` for `%d`), whose `Self` bound is the
//! compile-time kind check (`%d` needs a number), located at the argument. The arguments are evaluated once, by reference.

use std::collections::BTreeMap;

use logkit_core::template::{self, ArgKind, ArgSource, Count, Key, MessageLayout, Mode, Spec};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use super::args::Arg;
use crate::diag::{self, Errors};

/// A message ready for code generation.
pub(crate) enum Compiled {
    /// No arguments: printed exactly as written (Python prints such a message as is).
    Verbatim,
    /// The argument array of `Message::compiled` (in the order of the template's
    /// `MessageLayout`). Each argument is evaluated once, by reference: in the array itself,
    /// or, when one is used by several placeholders, bound first to the paired names.
    Args {
        args: Vec<TokenStream>,
        /// Expressions bound by reference before the array is built (empty when every
        /// argument is used once).
        bindings: Vec<(Ident, TokenStream)>,
    },
}

/// Checks the message against the arguments and builds the argument array.
pub(crate) fn compile(
    krate: &TokenStream,
    lit: &syn::LitStr,
    args: &[Arg],
) -> syn::Result<Compiled> {
    let src = lit.value();
    let span = lit.span();
    let parsed = match template::parse(&src, Mode::Message) {
        Ok(t) => t,
        // Python prints a message without arguments as is, whatever it contains.
        Err(_) if args.is_empty() => return Ok(Compiled::Verbatim),
        Err(e) => return Err(diag::template_error(span, &e)),
    };
    let fields: Vec<&template::Field<'_>> = parsed.fields().collect();
    let named_fields = fields.iter().any(|f| f.key != Key::Next);
    if args.is_empty() && !named_fields {
        return Ok(Compiled::Verbatim);
    }

    let positional_args: Vec<&Arg> = args.iter().filter(|a| a.name.is_none()).collect();
    let named_args: Vec<&Arg> = args.iter().filter(|a| a.name.is_some()).collect();
    if let (Some(first_named), false) = (named_args.first(), positional_args.is_empty()) {
        return Err(syn::Error::new_spanned(
            first_named.name.as_ref(),
            "cannot mix positional and named arguments: use `%s` placeholders with positional \
             arguments, or `%(name)s` placeholders with `name = value`",
        ));
    }

    // Each argument: its expression and the span its errors point at.
    let mut positional: Vec<(TokenStream, Span)> = Vec::new();
    let mut named: BTreeMap<String, (TokenStream, Span)> = BTreeMap::new();
    if named_fields {
        check_named(&src, span, &fields, &positional_args, &named_args)?;
        for field in &fields {
            let Some(name) = field.key.name() else {
                continue;
            };
            if named.contains_key(name) {
                continue;
            }
            let arg = match named_args
                .iter()
                .find(|a| a.name.as_ref().is_some_and(|n| n == name))
            {
                Some(a) => {
                    let e = &a.expr;
                    (quote!(#e), a.expr.span())
                }
                None => {
                    // A variable in scope, as `format!` captures.
                    let ident = Ident::new(name, span);
                    (quote!(#ident), span)
                }
            };
            named.insert(name.to_owned(), arg);
        }
    } else {
        check_positional(&src, span, &fields, &positional_args, &named_args)?;
        for a in &positional_args {
            let e = &a.expr;
            positional.push((quote!(#e), a.expr.span()));
        }
    }

    let layout = MessageLayout::new(&parsed);
    let source_of = |source: ArgSource<'_>| match source {
        ArgSource::Positional(n) => &positional[n],
        ArgSource::Named(name) => &named[name],
    };
    // An argument used by two placeholders (`%(user)s/%(user)r`) is bound first, so that it
    // is still evaluated once.
    let reused = layout
        .args
        .iter()
        .enumerate()
        .any(|(i, a)| layout.args[..i].iter().any(|b| b.source == a.source));
    // Named arguments are evaluated in the order they are written, as Rust (and Python)
    // evaluate call arguments: when the template uses them in another order, they are bound
    // first, in the written order.
    let written: Vec<String> = named_args
        .iter()
        .filter_map(|a| a.name.as_ref().map(Ident::to_string))
        .collect();
    let mut first_use: Vec<&str> = Vec::new();
    for slot in &layout.args {
        if let ArgSource::Named(name) = slot.source {
            if written.iter().any(|w| w == name) && !first_use.contains(&name) {
                first_use.push(name);
            }
        }
    }
    let reordered = first_use != written;
    let bind = reused || reordered;
    let mut bindings: Vec<(Ident, TokenStream)> = Vec::new();
    let mut bound: BTreeMap<String, Ident> = BTreeMap::new();
    if reordered {
        for name in &written {
            let (expr, at) = &named[name.as_str()];
            let b = format_ident!("__lk_arg{}", bindings.len(), span = *at);
            bindings.push((b.clone(), expr.clone()));
            bound.insert(format!("{:?}", ArgSource::Named(name)), b);
        }
    }
    let mut args = Vec::with_capacity(layout.args.len());
    for slot in &layout.args {
        let (expr, at) = source_of(slot.source);
        let value = if bind {
            let key = format!("{:?}", slot.source);
            let b = bound.entry(key).or_insert_with(|| {
                let b = format_ident!("__lk_arg{}", bindings.len(), span = *at);
                bindings.push((b.clone(), expr.clone()));
                b
            });
            // The binding has the argument's own span, so a kind error points at the
            // argument. (Arguments are evaluated before they are bound, so no user code sees
            // the binding.)
            let b = Ident::new(&b.to_string(), *at);
            quote!(#b)
        } else {
            quote_spanned!(*at=> &(#expr))
        };
        let (kind, method) = match slot.kind {
            ArgKind::Str => ("PyStr", "__logkit_s"),
            ArgKind::Repr => ("PyRepr", "__logkit_r"),
            ArgKind::Decimal => ("PyDecimal", "__logkit_d"),
            ArgKind::Integer => ("PyInteger", "__logkit_int"),
            ArgKind::Float => ("PyFloat", "__logkit_f"),
            ArgKind::Char => ("PyChar", "__logkit_c"),
        };
        let kind = Ident::new(kind, Span::call_site());
        let method = Ident::new(method, Span::call_site());
        args.push(quote_spanned!(*at=> #krate::__private::conv::#kind::#method(#value)));
    }
    Ok(Compiled::Args { args, bindings })
}

/// A message with `%(name)s` placeholders: every placeholder named, every argument named
/// and used, every name an identifier unless it is passed.
fn check_named(
    src: &str,
    span: Span,
    fields: &[&template::Field<'_>],
    positional_args: &[&Arg],
    named_args: &[&Arg],
) -> syn::Result<()> {
    let mut errors = Errors::default();
    if let Some(arg) = positional_args.first() {
        let f = fields
            .iter()
            .find(|f| f.key != Key::Next)
            .map_or("", |f| &src[f.span.clone()]);
        return Err(syn::Error::new_spanned(
            &arg.expr,
            format!(
                "the message names its placeholders (`{f}`), so arguments must be named: \
                 write `name = value`"
            ),
        ));
    }
    for field in fields {
        let frag = &src[field.span.clone()];
        match field.key.name() {
            None => errors.push(syn::Error::new(
                span,
                format!(
                    "`{frag}` has no name but the other placeholders do: write `%(name){}`",
                    &frag[1..]
                ),
            )),
            Some(name) => {
                let passed = named_args
                    .iter()
                    .any(|a| a.name.as_ref().is_some_and(|n| n == name));
                if !passed && syn::parse_str::<Ident>(name).is_err() {
                    errors.push(syn::Error::new(
                        span,
                        format!(
                            "`{frag}` cannot name a variable: pass the value as a named \
                             argument, or use an identifier as the name"
                        ),
                    ));
                }
            }
        }
    }
    for arg in named_args {
        let name = arg
            .name
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !fields.iter().any(|f| f.key.name() == Some(name.as_str())) {
            errors.push(syn::Error::new_spanned(
                arg.name.as_ref(),
                format!("named argument `{name}` is never used: the message has no `%({name})s`"),
            ));
        }
    }
    errors.finish()
}

/// A message with `%s` placeholders: as many positional arguments as placeholders (and `*`).
fn check_positional(
    src: &str,
    span: Span,
    fields: &[&template::Field<'_>],
    positional_args: &[&Arg],
    named_args: &[&Arg],
) -> syn::Result<()> {
    if let Some(arg) = named_args.first() {
        let frag = fields.first().map_or("%s", |f| &src[f.span.clone()]);
        return Err(syn::Error::new_spanned(
            arg.name.as_ref(),
            format!(
                "the message's placeholders are positional (`{frag}`), so arguments must be \
                 too: pass the value alone, or name the placeholder, as in `%({}){}`",
                arg.name
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                frag.trim_start_matches('%')
            ),
        ));
    }
    let placeholders = fields.len();
    let mut needed = 0;
    for field in fields {
        let Spec::Percent(spec) = field.spec else {
            continue;
        };
        needed +=
            1 + usize::from(spec.width == Count::Star) + usize::from(spec.precision == Count::Star);
        if needed > positional_args.len() {
            return Err(missing_arg(
                span,
                &src[field.span.clone()],
                placeholders,
                positional_args.len(),
            ));
        }
    }
    if let Some(extra) = positional_args.get(needed) {
        return Err(syn::Error::new_spanned(
            &extra.expr,
            format!(
                "argument never used: the message has {} placeholder{} but {} arguments were \
                 given; add a placeholder such as `%s` or remove the argument",
                placeholders,
                if placeholders == 1 { "" } else { "s" },
                positional_args.len()
            ),
        ));
    }
    Ok(())
}

fn missing_arg(span: Span, frag: &str, placeholders: usize, given: usize) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "`{frag}` has no argument: the message has {placeholders} placeholder{} but {given} \
             argument{} given; pass a value for each placeholder, or write `%%` for a literal \
             percent sign",
            if placeholders == 1 { "" } else { "s" },
            if given == 1 { " was" } else { "s were" },
        ),
    )
}

/// Whether `expr` is exactly the identifier `name` (for level keywords).
pub(crate) fn ident_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p)
            if p.qself.is_none()
                && p.path.segments.len() == 1
                && p.path.leading_colon.is_none() =>
        {
            Some(p.path.segments[0].ident.to_string())
        }
        _ => None,
    }
}
