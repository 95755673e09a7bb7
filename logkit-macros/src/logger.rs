//! `#[logger]`: a logger for an inline module, a function, or the methods of an impl block.
//!
//! On an inline module it puts a `module_logger!` declaration at the top, as one would at
//! the top of a file. On a function or an impl block it rewrites every logkit logging macro
//! call inside (`log!`, `trace!`, `debug!`, `info!`, `warning!`, `warn!`, `error!`,
//! `critical!`, `exception!`, bare or under the logkit crate's path) to carry the logger,
//! which takes precedence over the module's declaration. A call under another crate's path
//! (`log::info!`, `tracing::warn!`) is not logkit's and is left alone.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Item, LitStr, Meta, Token};

/// The logging macros a `#[logger]` rewrites.
const MACROS: [&str; 9] = [
    "log",
    "trace",
    "debug",
    "info",
    "warning",
    "warn",
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
                         `logkit::module_logger!();` at the top of `{0}.rs` instead",
                        m.ident
                    ),
                ));
            };
            let decl = match &name {
                Some(n) => quote!(#krate::module_logger!(#n);),
                None => quote!(#krate::module_logger!();),
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
            let own_crate = krate
                .clone()
                .into_iter()
                .filter_map(|t| match t {
                    TokenTree::Ident(id) => Some(id.to_string()),
                    _ => None,
                })
                .last()
                .unwrap_or_else(|| "logkit".to_owned());
            Ok(rewrite(item, &prefix, &own_crate))
        }
        other => Err(syn::Error::new_spanned(
            other,
            "`#[logger]` goes on an inline module, a function or an impl block; at the top \
             of a file, write `logkit::module_logger!();`",
        )),
    }
}

/// Whether the macro name at `i` is under another crate's path (`log::info!`): the tokens
/// before it are `<ident> ::` with an identifier other than `own_crate` (`logkit`, or the
/// `crate = path` given) and `$crate`.
fn under_other_crate(tokens: &[TokenTree], i: usize, own_crate: &str) -> bool {
    let before = |k: usize| i.checked_sub(k).and_then(|j| tokens.get(j));
    match (before(3), before(2), before(1)) {
        (Some(TokenTree::Ident(path)), Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) => {
            a.as_char() == ':' && b.as_char() == ':' && {
                let path = path.to_string();
                path != own_crate && path != "crate" && path != "$crate"
            }
        }
        _ => false,
    }
}

/// Prefixes the arguments of every logkit logging macro call in `tokens` with `prefix`.
fn rewrite(tokens: TokenStream, prefix: &TokenStream, own_crate: &str) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_call = match (&tokens[i], tokens.get(i + 1), tokens.get(i + 2)) {
            (TokenTree::Ident(id), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(_))) => {
                bang.as_char() == '!'
                    && MACROS.contains(&id.to_string().as_str())
                    && !under_other_crate(&tokens, i, own_crate)
            }
            _ => false,
        };
        if is_call {
            let TokenTree::Group(g) = &tokens[i + 2] else {
                unreachable!("checked above")
            };
            let mut inner = prefix.clone();
            inner.extend(rewrite(g.stream(), prefix, own_crate));
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
                let mut new = Group::new(g.delimiter(), rewrite(g.stream(), prefix, own_crate));
                new.set_span(g.span());
                out.extend([TokenTree::Group(new)]);
            }
            other => out.extend([other.clone()]),
        }
        i += 1;
    }
    out
}
