//! Braces in a message: Rust's `format!` placeholders (`{}`, `{x}`, `{:?}`) are refused with
//! the `%` placeholder to write instead, and `{{` / `}}` are a literal `{` / `}`, as in
//! `format!`. Any other brace is text, as Python prints it.

use syn::LitStr;

/// The message with `{{` and `}}` made single, or an error quoting the first `format!`
/// placeholder in it.
pub(crate) fn unescape(lit: &LitStr) -> syn::Result<LitStr> {
    let src = lit.value();
    if !src.contains(['{', '}']) {
        return Ok(lit.clone());
    }
    let mut out = String::with_capacity(src.len());
    let mut rest = src.as_str();
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let Some(len) = placeholder_len(tail) {
            return Err(syn::Error::new(lit.span(), advice(&tail[..len])));
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    Ok(LitStr::new(&out, lit.span()))
}

/// The length of a `format!` placeholder at the start of `s` (`{`, an optional name or
/// index, an optional `:spec`, `}`), if there is one.
fn placeholder_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('{')?;
    let name_len = body
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let name = &body[..name_len];
    let is_name = name.is_empty()
        || name.chars().all(|c| c.is_ascii_digit())
        || name.starts_with(|c: char| c.is_alphabetic() || c == '_');
    if !is_name {
        return None;
    }
    let after = &body[name_len..];
    let spec_len = match after.strip_prefix(':') {
        // A spec is short and made of format!'s characters.
        Some(spec) => {
            let end = spec.find('}')?;
            let ok = end <= 16
                && spec[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "?<>^+-#.0$_ ".contains(c));
            if !ok {
                return None;
            }
            1 + end
        }
        None => 0,
    };
    after[spec_len..]
        .starts_with('}')
        .then_some(1 + name_len + spec_len + 1)
}

/// What to write instead of the `format!` placeholder `fragment`.
fn advice(fragment: &str) -> String {
    let inner = &fragment[1..fragment.len() - 1];
    let (name, spec) = inner.split_once(':').unwrap_or((inner, ""));
    let conv = if spec.contains('?') { 'r' } else { 's' };
    let (write, takes) = if name.is_empty() || name.chars().all(|c| c.is_ascii_digit()) {
        (
            format!("%{conv}"),
            "with the value after the message".to_owned(),
        )
    } else {
        (
            format!("%({name}){conv}"),
            format!("taking `{name}` from the scope, or from `{name} = value`"),
        )
    };
    format!(
        "`{fragment}` is Rust's `format!` syntax; logkit messages are Python `%` templates: \
         write `{write}` ({takes}; `%s` prints with `Display`, `%r` with `Debug`), or \
         `{{{{{inner}}}}}` for the braces themselves"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> Result<String, String> {
        unescape(&LitStr::new(src, proc_macro2::Span::call_site()))
            .map(|l| l.value())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn format_placeholders_are_refused_with_advice() {
        let err = run("x = {x}").unwrap_err();
        assert!(err.starts_with("`{x}` is Rust's `format!` syntax"), "{err}");
        assert!(err.contains("write `%(x)s`"), "{err}");
        assert!(err.contains("`{{x}}` for the braces themselves"), "{err}");
        assert!(
            run("took {} ms")
                .unwrap_err()
                .contains("write `%s` (with the value")
        );
        assert!(run("state {:?}").unwrap_err().contains("write `%r`"));
        assert!(run("state {s:#?}").unwrap_err().contains("write `%(s)r`"));
        assert!(run("{0} and {1}").unwrap_err().starts_with("`{0}`"));
        assert!(run("{:>8}").is_err());
    }

    #[test]
    fn doubled_braces_are_literal_and_other_braces_are_text() {
        assert_eq!(run("a {{x}} b").unwrap(), "a {x} b");
        assert_eq!(run("{{}}").unwrap(), "{}");
        assert_eq!(run(r#"payload {"a": 1}"#).unwrap(), r#"payload {"a": 1}"#);
        assert_eq!(run("lone { and }").unwrap(), "lone { and }");
        assert_eq!(run("{a b}").unwrap(), "{a b}");
        assert_eq!(run("100%% done").unwrap(), "100%% done");
    }
}
