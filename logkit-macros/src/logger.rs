//! `#[logger]`: a logger for an inline module, a function, or the methods of an impl block.
//!
//! On an inline module it puts a `logger!` declaration at the top, as one would at the top
//! of a file. On a function or an impl block it rewrites every logging macro call inside
//! (`log!`, `debug!`, `info!`, `warning!`, `error!`, `critical!`, `exception!`) to carry the
//! logger, which takes precedence over the module's declaration.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Item, LitStr, Meta, Token};

/// The logging macros a `#[logger]` rewrites.
const MACROS: [&str; 7] = [
    "log",
    "debug",
    "info",
    "warning",
    "error",
    "critical",
    "exception",
];

/// Expands `#[logger]`, `#[logger(name = "…")]`, `#[logger(crate = path)]`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match try_expand(args, item.clone()) {
        Ok(tokens) => tokens,
        Err(err) => {
            let err = err.to_compile_error();
            quote!(#err #item)
        }
    }
}

fn try_expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut name: Option<LitStr> = None;
    let mut krate: TokenStream = quote!(::logkit);
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args)?;
    for meta in metas {
        match &meta {
            Meta::NameValue(nv) if nv.path.is_ident("name") => {
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
                else {
                    return Err(syn::Error::new_spanned(
                        &nv.value,
                        "the logger's name must be a string literal: `#[logger(name = \"app.db\")]`",
                    ));
                };
                name = Some(s.clone());
            }
            Meta::NameValue(nv) if nv.path.is_ident("crate") => {
                krate = nv.value.to_token_stream();
            }
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    "unknown option: `#[logger]` takes `name = \"...\"` and `crate = path`",
                ));
            }
        }
    }
    let parsed: Item = syn::parse2(item.clone())?;
    match parsed {
        Item::Mod(mut m) => {
            let Some((_, items)) = &mut m.content else {
                return Err(syn::Error::new_spanned(
                    &m.ident,
                    format!(
                        "`#[logger]` cannot see inside the file module `mod {0};`: put \
                         `logkit::logger!();` at the top of `{0}.rs` instead",
                        m.ident
                    ),
                ));
            };
            let decl = match &name {
                Some(n) => quote!(#krate::logger!(#n);),
                None => quote!(#krate::logger!();),
            };
            items.insert(0, syn::parse2(decl)?);
            Ok(m.into_token_stream())
        }
        Item::Fn(_) | Item::Impl(_) => {
            let source = match &name {
                Some(n) => quote!(#krate::__private::Source::Named(#n)),
                None => {
                    quote!(#krate::__private::Source::Module(#krate::__private::module_path!()))
                }
            };
            let prefix = quote!(@source = #source;);
            Ok(rewrite(item, &prefix))
        }
        other => Err(syn::Error::new_spanned(
            other,
            "`#[logger]` goes on an inline module, a function or an impl block; at the top \
             of a file, write `logkit::logger!();`",
        )),
    }
}

/// Prefixes the arguments of every logging macro call in `tokens` with `prefix`.
fn rewrite(tokens: TokenStream, prefix: &TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_call = match (&tokens[i], tokens.get(i + 1), tokens.get(i + 2)) {
            (TokenTree::Ident(id), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(_))) => {
                bang.as_char() == '!' && MACROS.contains(&id.to_string().as_str())
            }
            _ => false,
        };
        if is_call {
            let TokenTree::Group(g) = &tokens[i + 2] else {
                unreachable!("checked above")
            };
            let mut inner = prefix.clone();
            inner.extend(rewrite(g.stream(), prefix));
            let mut new = Group::new(g.delimiter(), inner);
            new.set_span(g.span());
            out.extend([
                tokens[i].clone(),
                tokens[i + 1].clone(),
                TokenTree::Group(new),
            ]);
            i += 3;
            continue;
        }
        match &tokens[i] {
            TokenTree::Group(g) if g.delimiter() != Delimiter::None || !g.stream().is_empty() => {
                let mut new = Group::new(g.delimiter(), rewrite(g.stream(), prefix));
                new.set_span(g.span());
                out.extend([TokenTree::Group(new)]);
            }
            other => out.extend([other.clone()]),
        }
        i += 1;
    }
    out
}
