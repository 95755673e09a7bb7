//! `log!`, `debug!` … `critical!`, `exception!`: parse, check, expand.
//!
//! The expansion checks the level against the compile-time floor, then the logger's cached
//! threshold (one atomic load); only when enabled does it evaluate the arguments, once, by
//! reference, and call one non-generic function with a `format_args!` of the message.

mod args;
mod braces;
mod message;

use logkit_core::template::Attr;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use args::{Invocation, Kind, Source};
use message::Compiled;

use crate::diag::Errors;

/// Expands one logging call.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2::<Invocation>(input) {
        Ok(inv) => match expand_invocation(&inv) {
            Ok(tokens) => tokens,
            Err(err) => fallback(&inv, &err),
        },
        Err(err) => err.to_compile_error(),
    }
}

/// On error: the error, plus a block that still uses the arguments so that the user sees
/// one error and no "unused variable" warnings.
fn fallback(inv: &Invocation, err: &syn::Error) -> TokenStream {
    let err = err.to_compile_error();
    // A leading bare identifier may be a misspelt level keyword (`warn`): not a value.
    let exprs = inv
        .leading
        .iter()
        .filter(|e| message::ident_of(e).is_none())
        .chain(inv.args.iter().map(|a| &a.expr))
        .chain(inv.fields.iter().map(|f| &f.expr));
    quote! {{
        #err
        #[allow(unreachable_code)]
        if false {
            #( let _ = &(#exprs); )*
        }
    }}
}

fn expand_invocation(inv: &Invocation) -> syn::Result<TokenStream> {
    let krate = &inv.krate;
    let mut errors = Errors::default();
    // `{{`/`}}` made single; a `format!` placeholder refused.
    let message = braces::unescape(&inv.message)?;

    let (logger_expr, level_expr, error_expr): (Option<&Expr>, Option<&Expr>, Option<&Expr>) =
        match (inv.kind, inv.leading.as_slice()) {
            (Kind::Fixed(_), []) => (None, None, None),
            (Kind::Fixed(_), [logger]) => (Some(logger), None, None),
            (Kind::Log, [level]) => (None, Some(level), None),
            (Kind::Log, [logger, level]) => (Some(logger), Some(level), None),
            (Kind::Exception, [err]) => (None, None, Some(err)),
            (Kind::Exception, [logger, err]) => (Some(logger), None, Some(err)),
            (Kind::Log, []) => {
                return Err(syn::Error::new(
                    inv.message.span(),
                    "missing the level: write `log!(info, \"...\")` (or `trace`, `debug`, \
                     `warning`/`warn`, `error`, `critical`/`fatal`, `Level::X`, a number)",
                ));
            }
            (Kind::Exception, []) => {
                return Err(syn::Error::new(
                    inv.message.span(),
                    "missing the error: write `exception!(err, \"...\")`",
                ));
            }
            (_, [.., extra]) => {
                return Err(syn::Error::new_spanned(
                    extra,
                    "too many expressions before the message: the forms are \
                     `info!([logger,] \"msg\", args…)`, `log!([logger,] level, \"msg\", args…)` and \
                     `exception!([logger,] err, \"msg\", args…)`",
                ));
            }
        };

    let error_expr = match (error_expr, &inv.keywords.exc_info) {
        (Some(_), Some(again)) => {
            return Err(syn::Error::new_spanned(
                again,
                "`exception!` takes its error before the message: drop `exc_info = ...`, or \
                 write `error!(\"...\"; exc_info = err)`",
            ));
        }
        (Some(e), None) | (None, Some(e)) => Some(e),
        (None, None) => None,
    };
    let caller = stacklevel(inv.keywords.stacklevel.as_ref())?;

    let level = match (inv.kind, level_expr) {
        (Kind::Fixed(name), _) => {
            let c = Ident::new(name, Span::call_site());
            quote!(#krate::Level::#c)
        }
        (Kind::Exception, _) => quote!(#krate::Level::ERROR),
        (Kind::Log, Some(e)) => level_tokens(krate, e)?,
        (Kind::Log, None) => unreachable!("checked above"),
    };

    for f in &inv.fields {
        let name = f.name.to_string();
        if name == "message" || name == "asctime" || Attr::from_name(&name).is_some() {
            errors.push(syn::Error::new_spanned(
                &f.name,
                format!(
                    "`{name}` is a record attribute: a field cannot replace it (Python raises \
                     `KeyError: \"Attempt to overwrite '{name}' in LogRecord\"`); choose another name"
                ),
            ));
        }
    }
    let compiled = message::compile(krate, &message, &inv.args);
    let compiled = match compiled {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    errors.finish()?;
    let Some(compiled) = compiled else {
        unreachable!("errors were reported")
    };

    let lit = &message;
    let (args, bindings) = match compiled {
        Compiled::Verbatim => (Vec::new(), Vec::new()),
        Compiled::Args { args, bindings } => (args, bindings),
    };

    // The common call: the module's (or a `#[logger]` attribute's) logger, no fields, no
    // error, no keyword, every argument used once.
    let plain_record = inv.keywords.stack_info.is_none() && !caller;
    if logger_expr.is_none()
        && error_expr.is_none()
        && inv.fields.is_empty()
        && bindings.is_empty()
        && plain_record
    {
        let site = match &inv.source {
            Source::Lookup => quote!(lookup),
            Source::Given(source) => quote!(source { #source }),
        };
        return Ok(quote! {
            #krate::__logkit_emit!(#site { #level } #lit [ #(#args),* ])
        });
    }

    // Where the logger comes from: an explicit logger, a `#[logger]` attribute's source, or
    // (empty) the lookup of the module's `module_logger!` declaration.
    let logger = match (logger_expr, &inv.source) {
        (Some(e), _) => quote_spanned!(e.span()=> logger { #krate::__private::to_logger(&(#e)) }),
        (None, Source::Lookup) => quote!(site {}),
        (None, Source::Given(source)) => quote!(site { #source }),
    };
    let (scrut, pat) = if bindings.is_empty() {
        (quote!(), quote!())
    } else {
        let names = bindings.iter().map(|(n, _)| n);
        let exprs = bindings.iter().map(|(_, e)| e);
        (quote!((#(&(#exprs),)*)), quote!((#(#names,)*)))
    };
    let fields = inv.fields.iter().map(|f| {
        let name = f.name.to_string();
        let e = &f.expr;
        quote_spanned!(e.span()=> (#name, #krate::__private::to_value(&(#e))))
    });
    let exc = match error_expr {
        Some(e) => quote_spanned!(e.span()=> (&(#e)).__logkit_as_exc()),
        None => quote!(),
    };
    // `stack_info` and `stacklevel`: the record's extras, spelled out in full.
    let extras = if plain_record {
        quote!()
    } else {
        let stack_info = match &inv.keywords.stack_info {
            Some(e) => quote_spanned!(e.span()=> #krate::__private::to_bool(#e)),
            None => quote!(false),
        };
        let location = if caller {
            quote!(::core::option::Option::Some(#krate::Location::caller()))
        } else {
            quote!(::core::option::Option::None)
        };
        quote!(stack_info: #stack_info, location: #location)
    };
    Ok(quote! {
        #krate::__logkit_emit! {
            #logger { #level } #lit
            bind { #scrut } { #pat }
            [ #(#args),* ]
            [ #(#fields),* ]
            { #exc }
            { #extras }
        }
    })
}

/// Whether `stacklevel = N` asks for the caller's location: `1` is the call itself, `2` the
/// caller of the function the call is in (marked `#[track_caller]`).
fn stacklevel(expr: Option<&Expr>) -> syn::Result<bool> {
    let Some(expr) = expr else {
        return Ok(false);
    };
    let n = match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse::<u32>().ok(),
        _ => None,
    };
    match n {
        Some(1) => Ok(false),
        Some(2) => Ok(true),
        _ => Err(syn::Error::new_spanned(
            expr,
            "`stacklevel` is 1 (this call) or 2 (the caller of this function, which must be \
             `#[track_caller]`); for a deeper helper, mark every function between with \
             `#[track_caller]` and write `stacklevel = 2`: the location is then that of the \
             first caller not marked",
        )),
    }
}

/// The level of `log!(level, …)`: a keyword (`info`), a number, or a `Level` expression.
fn level_tokens(krate: &TokenStream, expr: &Expr) -> syn::Result<TokenStream> {
    if let Some(name) = message::ident_of(expr) {
        let constant = match name.as_str() {
            "trace" => Some("TRACE"),
            "debug" => Some("DEBUG"),
            "info" => Some("INFO"),
            "warning" | "warn" => Some("WARNING"),
            "error" => Some("ERROR"),
            "critical" | "fatal" => Some("CRITICAL"),
            _ => None,
        };
        if let Some(c) = constant {
            let c = Ident::new(c, expr.span());
            return Ok(quote!(#krate::Level::#c));
        }
        if name == "notset" {
            return Err(syn::Error::new_spanned(
                expr,
                "`notset` is not a level for a record (it means \"inherit\" on a logger): write \
                 `trace`, `debug`, `info`, `warning` (`warn`), `error`, `critical` (`fatal`), or \
                 a number for a custom level",
            ));
        }
    }
    if let Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Int(i),
        ..
    }) = expr
    {
        let n: i32 = i.base10_parse()?;
        if n <= 0 {
            return Err(syn::Error::new_spanned(
                expr,
                "a level must be above 0: records at level 0 or below are never emitted",
            ));
        }
        return Ok(quote!(#krate::Level::new(#n)));
    }
    Ok(quote_spanned!(expr.span()=> #krate::__private::to_level(#expr)))
}
