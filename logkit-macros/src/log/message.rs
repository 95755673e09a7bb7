//! Compiling a message template and its arguments into code that writes the message.
//!
//! Literal text becomes a `push_str`; each placeholder becomes a check from
//! `logkit::__private::conv` (its trait bound checks the value's kind at compile time: `%d`
//! needs a number) and a write that prints the value as Python's `%` operator would.

use std::collections::BTreeMap;

use logkit_core::template::{self, Count, Key, Mode, PercentConv, PercentSpec, Piece, Spec};
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
    /// Statements appending the message to `out`, with the arguments bound once by
    /// reference.
    Write {
        steps: Vec<TokenStream>,
        /// Expressions to evaluate once, each bound by reference to the paired name.
        bindings: Vec<(Ident, TokenStream)>,
    },
}

/// The buffer the generated statements append to.
pub(crate) fn out_ident() -> Ident {
    Ident::new("__lk_out", Span::mixed_site())
}

/// Checks the message against the arguments and builds the statements that write it.
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

    let mut errors = Errors::default();
    let positional_args: Vec<&Arg> = args.iter().filter(|a| a.name.is_none()).collect();
    let named_args: Vec<&Arg> = args.iter().filter(|a| a.name.is_some()).collect();
    if let (Some(first_named), false) = (named_args.first(), positional_args.is_empty()) {
        errors.push(syn::Error::new_spanned(
            first_named.name.as_ref(),
            "cannot mix positional and named arguments: use `%s` placeholders with positional \
             arguments, or `%(name)s` placeholders with `name = value`",
        ));
        return errors.finish().map(|()| Compiled::Verbatim);
    }

    let mut steps: Vec<TokenStream> = Vec::new();
    let mut bindings: Vec<(Ident, TokenStream)> = Vec::new();

    if named_fields {
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
        // Each name is bound once, to a named argument or to a variable in scope.
        let mut by_name: BTreeMap<String, Ident> = BTreeMap::new();
        let mut used: Vec<bool> = vec![false; named_args.len()];
        for piece in &parsed.pieces {
            let field = match piece {
                Piece::Literal(s) => {
                    push_literal(&mut steps, s);
                    continue;
                }
                Piece::Field(f) => f,
            };
            let Key::Name(name) = field.key else {
                errors.push(syn::Error::new(
                    span,
                    format!(
                        "`{}` has no name but the other placeholders do: write `%(name){}`",
                        &src[field.span.clone()],
                        &src[field.span.start + 1..field.span.end]
                    ),
                ));
                continue;
            };
            let binding = if let Some(b) = by_name.get(name) {
                b.clone()
            } else {
                let pos = named_args
                    .iter()
                    .position(|a| a.name.as_ref().is_some_and(|n| n == name));
                let b_span = pos.map_or(span, |i| named_args[i].expr.span());
                let b = format_ident!("__lk_arg{}", bindings.len(), span = b_span);
                let expr = if let Some(i) = pos {
                    used[i] = true;
                    let e = &named_args[i].expr;
                    quote!(#e)
                } else if let Ok(ident) = syn::parse_str::<Ident>(name) {
                    let ident = Ident::new(&ident.to_string(), span);
                    quote!(#ident)
                } else {
                    errors.push(syn::Error::new(
                        span,
                        format!(
                            "`{}` cannot name a variable: pass the value as a named argument, \
                             or use an identifier as the name",
                            &src[field.span.clone()]
                        ),
                    ));
                    continue;
                };
                bindings.push((b.clone(), expr));
                by_name.insert(name.to_owned(), b.clone());
                b
            };
            let Spec::Percent(spec) = field.spec else {
                unreachable!("messages are percent-style")
            };
            let value_span = pos_span(&named_args, name).unwrap_or(span);
            steps.push(conversion(krate, &spec, &binding, None, value_span));
        }
        for (arg, used) in named_args.iter().zip(used) {
            if !used {
                errors.push(syn::Error::new_spanned(
                    arg.name.as_ref(),
                    format!(
                        "named argument `{}` is never used: the message has no `%({0})s`",
                        arg.name
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default()
                    ),
                ));
            }
        }
    } else {
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
        let mut next = 0usize;
        let placeholders = fields.len();
        // Binds the next positional argument (once, by reference).
        let mut take = |bindings: &mut Vec<(Ident, TokenStream)>| -> Option<(Ident, Span)> {
            let arg = positional_args.get(next)?;
            next += 1;
            let b = format_ident!("__lk_arg{}", bindings.len(), span = arg.expr.span());
            let e = &arg.expr;
            bindings.push((b.clone(), quote!(#e)));
            Some((b, arg.expr.span()))
        };
        for piece in &parsed.pieces {
            let field = match piece {
                Piece::Literal(s) => {
                    push_literal(&mut steps, s);
                    continue;
                }
                Piece::Field(f) => f,
            };
            let Spec::Percent(spec) = field.spec else {
                unreachable!("messages are percent-style")
            };
            let frag = &src[field.span.clone()];
            let mut star = None;
            if spec.width == Count::Star || spec.precision == Count::Star {
                let w = if spec.width == Count::Star {
                    take(&mut bindings)
                } else {
                    None
                };
                let p = if spec.precision == Count::Star {
                    take(&mut bindings)
                } else {
                    None
                };
                if (spec.width == Count::Star && w.is_none())
                    || (spec.precision == Count::Star && p.is_none())
                {
                    errors.push(missing_arg(span, frag, placeholders, positional_args.len()));
                    continue;
                }
                let w = w.map(|(b, s)| quote_spanned!(s=> ::core::option::Option::Some(#krate::__private::conv::count(#b))));
                let p = p.map(|(b, s)| quote_spanned!(s=> ::core::option::Option::Some(#krate::__private::conv::count(#b))));
                let none = quote!(::core::option::Option::None);
                star = Some((w.unwrap_or_else(|| none.clone()), p.unwrap_or(none)));
            }
            let Some((binding, arg_span)) = take(&mut bindings) else {
                errors.push(missing_arg(span, frag, placeholders, positional_args.len()));
                continue;
            };
            steps.push(conversion(krate, &spec, &binding, star, arg_span));
        }
        if let Some(extra) = positional_args.get(next) {
            errors.push(syn::Error::new_spanned(
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
    }
    errors.finish()?;
    Ok(Compiled::Write { steps, bindings })
}

fn pos_span(named_args: &[&Arg], name: &str) -> Option<Span> {
    named_args
        .iter()
        .find(|a| a.name.as_ref().is_some_and(|n| n == name))
        .map(|a| a.expr.span())
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

/// Appends a literal to the statements.
fn push_literal(steps: &mut Vec<TokenStream>, s: &str) {
    let out = out_ident();
    steps.push(quote!(#out.push_str(#s);));
}

/// The statement writing one placeholder's value. Each writer's trait bound is the kind
/// check, so a wrong argument gives one error, located at the argument.
fn conversion(
    krate: &TokenStream,
    spec: &PercentSpec,
    binding: &Ident,
    star: Option<(TokenStream, TokenStream)>,
    span: Span,
) -> TokenStream {
    let conv = quote!(#krate::__private::conv);
    let out = out_ident();
    // The binding has the argument's own span, so a kind error points at the argument.
    // (Arguments are evaluated before they are bound, so no user code sees the binding.)
    let binding = Ident::new(&binding.to_string(), span);
    let sized = spec.width != Count::Implied || spec.precision != Count::Implied;
    let plain = !sized && spec.flags == template::Flags::default();
    let printf = printf_tokens(krate, spec, star);
    match spec.conv {
        PercentConv::Str if !sized => {
            quote_spanned!(span=> (&&#conv::Tag(#conv::s(#binding))).__logkit_write_s(#out);)
        }
        PercentConv::Str => quote_spanned!(span=> #conv::write_s_spec(#out, #binding, &#printf);),
        PercentConv::Repr if !sized => quote_spanned!(span=> #conv::write_r(#out, #binding);),
        PercentConv::Repr | PercentConv::Ascii => {
            quote_spanned!(span=> #conv::write_r_spec(#out, #binding, &#printf);)
        }
        PercentConv::Decimal if plain => quote_spanned!(span=> #conv::write_d(#out, #binding)?;),
        PercentConv::Decimal => {
            quote_spanned!(span=> #conv::write_d_spec(#out, #binding, &#printf)?;)
        }
        PercentConv::Octal | PercentConv::HexLower | PercentConv::HexUpper => {
            quote_spanned!(span=> #conv::write_radix(#out, #binding, &#printf)?;)
        }
        PercentConv::Char => quote_spanned!(span=> #conv::write_c(#out, #binding, &#printf)?;),
        PercentConv::ExpLower
        | PercentConv::ExpUpper
        | PercentConv::FixedLower
        | PercentConv::FixedUpper
        | PercentConv::GeneralLower
        | PercentConv::GeneralUpper => {
            quote_spanned!(span=> #conv::write_f(#out, #binding, &#printf)?;)
        }
    }
}

/// `spec(flags, width, precision, 'c')`, with `*` values patched in at run time.
fn printf_tokens(
    krate: &TokenStream,
    spec: &PercentSpec,
    star: Option<(TokenStream, TokenStream)>,
) -> TokenStream {
    let f = spec.flags;
    let flags = u8::from(f.left)
        | u8::from(f.zero) << 1
        | u8::from(f.plus) << 2
        | u8::from(f.space) << 3
        | u8::from(f.alternate) << 4;
    let width = match spec.width {
        Count::Is(n) => n,
        _ => 0,
    };
    let precision: i64 = match spec.precision {
        Count::Is(n) => i64::try_from(n).unwrap_or(i64::MAX),
        _ => -1,
    };
    let conv = spec.conv.as_char();
    let base = quote!(#krate::__private::spec(#flags, #width, #precision, #conv));
    match star {
        None => base,
        Some((w, p)) => quote!(#krate::__private::spec_star(#base, #w, #p)),
    }
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
