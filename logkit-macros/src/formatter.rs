//! `formatter!`: a record template compiled into a formatter.
//!
//! The template is parsed with the same parser as the run-time `Formatter`; every attribute
//! name and conversion is checked here, and each field becomes a direct call (a `push_str` of
//! the logger's name, a write of the message) or, for specs, the same attribute writer the
//! run-time formatter uses — so both print the same bytes.

use logkit_core::escaping::Escaping;
use logkit_core::template::{
    self, Align, Attr, AttrKind, BraceConversion, BraceSpec, ColorAttr, Count, Key, Mode,
    PercentConv, Piece, Sign, Spec, Style,
};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitBool, LitChar, LitStr, Token};

use crate::diag::{self, Errors};

struct Input {
    krate: TokenStream,
    template: LitStr,
    style: Style,
    datefmt: Option<LitStr>,
    utc: bool,
    fields: Vec<Ident>,
    escaping: Escaping,
    validate: bool,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut krate = TokenStream::new();
        while !input.peek(Token![;]) {
            let tt: TokenTree = input.parse()?;
            krate.extend([tt]);
        }
        input.parse::<Token![;]>()?;
        let template: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the record template as a string literal, as in \
                 `formatter!(\"%(asctime)s - %(name)s - %(levelname)s - %(message)s\")`",
            )
        })?;
        let mut out = Input {
            krate,
            template,
            style: Style::Percent,
            datefmt: None,
            utc: false,
            fields: Vec::new(),
            escaping: Escaping::None,
            validate: true,
        };
        while input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "style" => {
                    let c: LitChar = input.parse()?;
                    out.style = Style::from_char(c.value()).ok_or_else(|| {
                        syn::Error::new(
                            c.span(),
                            "Style must be one of: %,{,$ (write `style = '{'`)",
                        )
                    })?;
                }
                "datefmt" => out.datefmt = Some(input.parse()?),
                "utc" => out.utc = input.parse::<LitBool>()?.value,
                "validate" => out.validate = input.parse::<LitBool>()?.value,
                "escape" => {
                    let name: LitStr = input.parse()?;
                    out.escaping = Escaping::from_name(&name.value()).ok_or_else(|| {
                        syn::Error::new(
                            name.span(),
                            format!(
                                "escape must be {} (write `escape = \"controls\"`)",
                                Escaping::NAMES
                            ),
                        )
                    })?;
                }
                "fields" => {
                    let content;
                    syn::bracketed!(content in input);
                    let names = content.parse_terminated(Ident::parse, Token![,])?;
                    out.fields.extend(names);
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}`: `formatter!` takes `style = '{{'`, \
                             `datefmt = \"...\"`, `utc = true`, `fields = [name, ...]`, \
                             `escape = \"controls\"` and `validate = false`"
                        ),
                    ));
                }
            }
        }
        if !input.is_empty() {
            return Err(input.error("expected `, option = value`"));
        }
        Ok(out)
    }
}

/// Expands `formatter!`.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2::<Input>(input).and_then(|i| generate(&i)) {
        Ok(t) => t,
        Err(e) => e.to_compile_error(),
    }
}

fn generate(input: &Input) -> syn::Result<TokenStream> {
    let krate = &input.krate;
    let src = input.template.value();
    let span = input.template.span();
    let parsed = template::parse_with(&src, Mode::Record(input.style), input.validate)
        .map_err(|e| diag::template_error(span, &e))?;
    let mut errors = Errors::default();
    let private = quote!(#krate::__private::fmt);
    let mut steps = Vec::new();
    let mut specs = Vec::new();
    let mut colored = false;
    for piece in &parsed.pieces {
        let field = match piece {
            Piece::Literal(s) => {
                steps.push(quote!(out.push_str(#s);));
                continue;
            }
            Piece::Field(f) => f,
        };
        let frag = &src[field.span.clone()];
        let (name, path) = match field.key {
            Key::Name(n) => (n, ""),
            Key::Path(n, p) => (n, p),
            Key::Next => unreachable!("record templates name every field"),
        };
        // colorlog's colour attributes: written only when colours are on.
        match ColorAttr::from_name(name) {
            Some(ColorAttr::LogColor) => {
                colored = true;
                steps.push(quote! {
                    if let ::core::option::Option::Some(colors) = colors {
                        colors.write_log_color(record, out);
                    }
                });
                continue;
            }
            Some(ColorAttr::Escape(e)) => {
                colored = true;
                let code = e.to_string();
                steps.push(quote! {
                    if colors.is_some() {
                        out.push_str(#code);
                    }
                });
                continue;
            }
            None => {}
        }
        let attr = Attr::from_name(name);
        let declared = input.fields.iter().any(|f| f == name);
        if attr.is_none() && !declared && name != "args" {
            let message = match Attr::closest(name) {
                Some(a) => format!(
                    "unknown record attribute `{frag}`: did you mean `{}`? (a field added by \
                     `extra` or a filter is declared with `fields = [{name}]`)",
                    frag.replacen(name, a.name(), 1)
                ),
                None => format!(
                    "unknown record attribute `{frag}`: the attributes are {}; a field added \
                     by `extra` or a filter must be declared: `fields = [{name}]`",
                    Attr::names_list()
                ),
            };
            errors.push(syn::Error::new(span, message));
            continue;
        }
        if let Some(a) = attr {
            if let Err(msg) = check_conversion(a, &field.spec) {
                errors.push(syn::Error::new(span, format!("`{frag}`: {msg}")));
                continue;
            }
        }
        let plain = match &field.spec {
            Spec::Dollar => true,
            Spec::Percent(p) => {
                p.conv == PercentConv::Str
                    && p.width == Count::Implied
                    && p.precision == Count::Implied
            }
            Spec::Brace(b) => b.raw.is_empty() && b.conversion.is_none(),
        };
        let index = specs.len();
        specs.push(spec_tokens(krate, &field.spec));
        let step = match (attr, plain, path.is_empty()) {
            (Some(Attr::Name), true, true) => quote! {
                if replaced {
                    #private::write_attr_or_replacement(record, #private::Attr::Name, &self.specs[#index], &self.time, out)?;
                } else {
                    #private::push_text(out, record.name());
                }
            },
            (Some(Attr::LevelName), true, true) => quote! {
                if replaced {
                    #private::write_attr_or_replacement(record, #private::Attr::LevelName, &self.specs[#index], &self.time, out)?;
                } else {
                    #private::push_text(out, &record.level_name());
                }
            },
            (Some(Attr::Message), true, true) => quote!(record.write_message(out)?;),
            (Some(Attr::Asctime), true, true) => quote!(self.time.write(record.created(), out);),
            (Some(a), _, true) if !declared => {
                let variant = Ident::new(attr_variant(a), Span::call_site());
                quote!(#private::write_attr_or_replacement(record, #private::Attr::#variant, &self.specs[#index], &self.time, out)?;)
            }
            _ => {
                quote!(#private::write_user_field(record, #name, #path, &self.specs[#index], &[], out)?;)
            }
        };
        steps.push(match input.escaping {
            Escaping::None => step,
            Escaping::Controls => quote! {
                let field_start = out.len();
                #step
                #private::escape_controls(out, field_start);
            },
        });
    }
    errors.finish()?;
    let time = match &input.datefmt {
        Some(d) => quote!(#private::TimeFormat::with_datefmt(#d)),
        None => quote!(<#private::TimeFormat as ::core::default::Default>::default()),
    };
    let utc = input.utc;
    let n = specs.len();
    let style = input.style.as_char();
    let template_lit = &input.template;
    // With colour attributes: the scheme (colorlog's), whether it is on for this record, and
    // the reset that ends the record's text.
    let (colors_field, colors_init, colors_on, colors_end) = if colored {
        (
            quote!(colors: #private::ColorScheme,),
            quote!(colors: #private::ColorScheme::colorlog(),),
            quote!(let colors = ::core::option::Option::Some(&self.colors).filter(|c| c.active());),
            quote! {
                if let ::core::option::Option::Some(colors) = colors {
                    colors.finish(out, start);
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!(), quote!())
    };
    Ok(quote! {{
        #[doc(hidden)]
        struct __LogkitCompiledFormatter {
            time: #private::TimeFormat,
            specs: [#private::FieldSpec; #n],
            #colors_field
        }
        impl #krate::Format for __LogkitCompiledFormatter {
            #[allow(unused_variables)]
            fn format(
                &self,
                record: &#krate::Record<'_>,
                out: &mut ::std::string::String,
            ) -> ::core::result::Result<(), #krate::FormatError> {
                let start = out.len();
                // A filter may have replaced an attribute (`record.levelname = ...`).
                let replaced = record.has_set_fields();
                #colors_on
                #(#steps)*
                #colors_end
                #private::append_exception_and_stack(record, out, start);
                ::core::result::Result::Ok(())
            }

            fn template(&self) -> ::core::option::Option<&str> {
                ::core::option::Option::Some(#template_lit)
            }
        }
        impl ::core::fmt::Debug for __LogkitCompiledFormatter {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct("CompiledFormatter")
                    .field("template", &#src)
                    .field("style", &#style)
                    .finish_non_exhaustive()
            }
        }
        __LogkitCompiledFormatter {
            time: #private::utc(#time, #utc),
            specs: [#(#specs),*],
            #colors_init
        }
    }})
}

/// The conversions CPython's `%` and `format()` accept for the attribute's type.
fn check_conversion(attr: Attr, spec: &Spec<'_>) -> Result<(), String> {
    let kind = attr.kind();
    let type_name = match kind {
        AttrKind::Str => "a string",
        AttrKind::Int => "an integer",
        AttrKind::Float => "a float",
        AttrKind::Object => "an object",
    };
    match spec {
        Spec::Dollar => Ok(()),
        Spec::Percent(p) => {
            let ok = match p.conv {
                PercentConv::Str | PercentConv::Repr | PercentConv::Ascii => true,
                PercentConv::Char => kind == AttrKind::Int,
                c if c.is_integer() && c != PercentConv::Decimal => kind == AttrKind::Int,
                _ => matches!(kind, AttrKind::Int | AttrKind::Float),
            };
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "`{}` is {type_name}, which `%{}` cannot format (Python raises TypeError); \
                     write `%({0})s`",
                    attr.name(),
                    p.conv.as_char()
                ))
            }
        }
        Spec::Brace(b) => {
            if b.conversion.is_some() {
                return Ok(());
            }
            let ok = match (kind, b.ty) {
                (_, None) => true,
                (AttrKind::Str | AttrKind::Object, Some(t)) => t == 's',
                (AttrKind::Int, Some(t)) => t != 's',
                (AttrKind::Float, Some(t)) => !matches!(t, 's' | 'b' | 'c' | 'd' | 'o' | 'x'),
            };
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "`{}` is {type_name}, which format code `{}` cannot format (Python raises \
                     ValueError: Unknown format code); remove the code or use one for {type_name}",
                    attr.name(),
                    b.ty.unwrap_or(' ')
                ))
            }
        }
    }
}

fn attr_variant(a: Attr) -> &'static str {
    match a {
        Attr::Name => "Name",
        Attr::Msg => "Msg",
        Attr::Args => "Args",
        Attr::LevelNo => "LevelNo",
        Attr::LevelName => "LevelName",
        Attr::PathName => "PathName",
        Attr::FileName => "FileName",
        Attr::Module => "Module",
        Attr::LineNo => "LineNo",
        Attr::FuncName => "FuncName",
        Attr::Created => "Created",
        Attr::Msecs => "Msecs",
        Attr::RelativeCreated => "RelativeCreated",
        Attr::Thread => "Thread",
        Attr::ThreadName => "ThreadName",
        Attr::Process => "Process",
        Attr::ProcessName => "ProcessName",
        Attr::Message => "Message",
        Attr::Asctime => "Asctime",
        Attr::ExcInfo => "ExcInfo",
        Attr::ExcText => "ExcText",
        Attr::StackInfo => "StackInfo",
    }
}

/// A `FieldSpec` expression for the spec.
fn spec_tokens(krate: &TokenStream, spec: &Spec<'_>) -> TokenStream {
    let private = quote!(#krate::__private::fmt);
    match spec {
        Spec::Dollar => quote!(#private::FieldSpec::Plain),
        Spec::Percent(p) => {
            let f = p.flags;
            let flags = u8::from(f.left)
                | u8::from(f.zero) << 1
                | u8::from(f.plus) << 2
                | u8::from(f.space) << 3
                | u8::from(f.alternate) << 4;
            let width = match p.width {
                Count::Is(n) => n,
                _ => 0,
            };
            let precision: i64 = match p.precision {
                Count::Is(n) => i64::try_from(n).unwrap_or(i64::MAX),
                _ => -1,
            };
            let conv = p.conv.as_char();
            quote!(#private::FieldSpec::percent_from(#krate::__private::spec(#flags, #width, #precision, #conv)))
        }
        Spec::Brace(b) => brace_tokens(krate, b),
    }
}

fn brace_tokens(krate: &TokenStream, b: &BraceSpec<'_>) -> TokenStream {
    let t = quote!(#krate::__private::fmt::template);
    let opt = |v: Option<TokenStream>| match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let conversion = opt(b.conversion.map(|c| match c {
        BraceConversion::Str => quote!(#t::BraceConversion::Str),
        BraceConversion::Repr => quote!(#t::BraceConversion::Repr),
        BraceConversion::Ascii => quote!(#t::BraceConversion::Ascii),
    }));
    let fill = opt(b.fill.map(|c| quote!(#c)));
    let align = opt(b.align.map(|a| match a {
        Align::Left => quote!(#t::Align::Left),
        Align::Right => quote!(#t::Align::Right),
        Align::Center => quote!(#t::Align::Center),
        Align::AfterSign => quote!(#t::Align::AfterSign),
    }));
    let sign = opt(b.sign.map(|s| match s {
        Sign::Plus => quote!(#t::Sign::Plus),
        Sign::Minus => quote!(#t::Sign::Minus),
        Sign::Space => quote!(#t::Sign::Space),
    }));
    let count = |c: Count<'_>| match c {
        Count::Implied | Count::Star => quote!(#t::Count::Implied),
        Count::Is(n) => quote!(#t::Count::Is(#n)),
        Count::Named(n) => quote!(#t::Count::Named(#n)),
    };
    let width = count(b.width);
    let precision = count(b.precision);
    let grouping = opt(b.grouping.map(|c| quote!(#c)));
    let ty = opt(b.ty.map(|c| quote!(#c)));
    let no_neg_zero = b.no_neg_zero;
    let alternate = b.alternate;
    let zero = b.zero;
    let raw = b.raw;
    quote!(#krate::__private::fmt::FieldSpec::brace(&#t::BraceSpec {
        conversion: #conversion,
        fill: #fill,
        align: #align,
        sign: #sign,
        no_neg_zero: #no_neg_zero,
        alternate: #alternate,
        zero: #zero,
        width: #width,
        grouping: #grouping,
        precision: #precision,
        ty: #ty,
        raw: #raw,
    }))
}
