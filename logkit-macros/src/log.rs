//! `log!`, `debug!` … `critical!`, `exception!`: parse, check, expand.
//!
//! The expansion checks the level against the compile-time floor, then the logger's cached
//! threshold (one atomic load); only when enabled does it evaluate the arguments, once, by
//! reference, and call one non-generic function with a `format_args!` of the message.

mod args;
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
                    "missing the level: write `log!(info, \"...\")` (or `debug`, `warning`, \
                     `error`, `critical`, `Level::X`, a number)",
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
    let compiled = message::compile(krate, &inv.message, &inv.args);
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

    let lk_level = Ident::new("__lk_level", Span::mixed_site());
    let lk_logger = Ident::new("__lk_logger", Span::mixed_site());
    let source = match &inv.source {
        Source::Lookup => quote! {
            {
                // The module's `logger!` declaration shadows the fallback when there is one:
                // the glob is in the inner block.
                #[allow(unused_imports)]
                use #krate::__private::FALLBACK as __LOGKIT_LOGGER;
                {
                    #[allow(unused_imports)]
                    use self::*;
                    __LOGKIT_LOGGER
                }
            }
        },
        Source::Given(source) => quote!(#source),
    };
    // With an explicit logger the check is its node's threshold; otherwise the call site's
    // own cached threshold.
    let (setup, enabled, logger_get) = match logger_expr {
        Some(e) => (
            quote_spanned!(e.span()=> let #lk_logger: #krate::Logger = #krate::__private::to_logger(&(#e));),
            quote!(#lk_logger.is_enabled_for(#lk_level)),
            quote!(),
        ),
        None => (
            quote! {
                static __LOGKIT_CALLSITE: #krate::__private::Callsite =
                    #krate::__private::Callsite::new(#source, #krate::__private::module_path!());
            },
            quote!(__LOGKIT_CALLSITE.is_enabled(#lk_level)),
            quote!(let #lk_logger: #krate::Logger = __LOGKIT_CALLSITE.logger();),
        ),
    };

    let lit = &inv.message;
    let mut bind_names: Vec<Ident> = Vec::new();
    let mut bind_exprs: Vec<TokenStream> = Vec::new();
    let message = match compiled {
        Compiled::Verbatim => quote!(#krate::Message::text(#lit)),
        Compiled::Write { steps, bindings } => {
            for (name, expr) in bindings {
                bind_names.push(name);
                bind_exprs.push(expr);
            }
            let out = message::out_ident();
            quote! {
                #krate::Message::compiled(
                    #lit,
                    &|#out: &mut ::std::string::String| -> ::core::result::Result<(), #krate::__private::ConvError> {
                        #[allow(unused_imports)]
                        use #krate::__private::conv::{WriteDisplay as _, WriteStr as _, WriteUnchecked as _};
                        #(#steps)*
                        ::core::result::Result::Ok(())
                    },
                )
            }
        }
    };
    let field_names = inv.fields.iter().map(|f| f.name.to_string());
    let field_binds: Vec<Ident> = (0..inv.fields.len())
        .map(|i| Ident::new(&format!("__lk_field{i}"), Span::mixed_site()))
        .collect();
    for (b, f) in field_binds.iter().zip(&inv.fields) {
        bind_names.push(b.clone());
        let e = &f.expr;
        bind_exprs.push(quote!(#e));
    }
    let field_values = inv
        .fields
        .iter()
        .zip(&field_binds)
        .map(|(f, b)| quote_spanned!(f.expr.span()=> #krate::__private::to_value(#b)));
    let fields = quote!(#((#field_names, #field_values),)*);
    let location = quote! {
        #krate::__private::location(
            #krate::__private::file!(),
            #krate::__private::line!(),
            #krate::__private::module_path!(),
            #krate::__private::type_name_of(__logkit_here),
        )
    };

    let exc = match error_expr {
        Some(e) => {
            let b = Ident::new("__lk_err", Span::mixed_site());
            bind_names.push(b.clone());
            bind_exprs.push(quote!(#e));
            let bt = Ident::new("__lk_backtrace", Span::mixed_site());
            quote_spanned! {e.span()=>
                {
                    let #bt = #krate::__private::Backtrace::capture();
                    #krate::__private::log_exception(#lk_logger, #lk_level, &#location, #message, &[#fields], { use #krate::__private::AsExc as _; #b.__logkit_as_exc() }, &#bt);
                }
            }
        }
        None => quote! {
            #krate::__private::log(#lk_logger, #lk_level, &#location, #message, &[#fields]);
        },
    };
    Ok(quote! {{
        let #lk_level: #krate::Level = #level;
        if #lk_level >= #krate::STATIC_MIN_LEVEL {
            #setup
            if #enabled {
                #logger_get
                match (#(&(#bind_exprs),)*) {
                    (#(#bind_names,)*) => {
                        fn __logkit_here() {}
                        #exc
                    }
                }
            }
        }
    }})
}

/// The level of `log!(level, …)`: a keyword (`info`), a number, or a `Level` expression.
fn level_tokens(krate: &TokenStream, expr: &Expr) -> syn::Result<TokenStream> {
    if let Some(name) = message::ident_of(expr) {
        let constant = match name.as_str() {
            "debug" => Some("DEBUG"),
            "info" => Some("INFO"),
            "warning" => Some("WARNING"),
            "error" => Some("ERROR"),
            "critical" => Some("CRITICAL"),
            _ => None,
        };
        if let Some(c) = constant {
            let c = Ident::new(c, expr.span());
            return Ok(quote!(#krate::Level::#c));
        }
        let suggestion = match name.as_str() {
            "warn" => Some("warning"),
            "fatal" => Some("critical"),
            "trace" => Some("debug"),
            "notset" => Some("debug"),
            _ => None,
        };
        if let Some(s) = suggestion {
            return Err(syn::Error::new_spanned(
                expr,
                format!(
                    "`{name}` is not a logkit level: write `{s}` (the levels are `debug`, \
                     `info`, `warning`, `error`, `critical`, or a number for a custom level)"
                ),
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
