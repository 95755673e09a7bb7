//! The mailbox rules of CPython's `email._header_value_parser` (Python 3.11), ported function
//! by function: mailboxes, display names, angle addresses, local parts, domains and the
//! obsolete forms. The lists of them are in `address_list`.

use super::parse::{
    CFWS_LEADER, Fail, Got, PHRASE_ENDS, WSP, first, get_atom, get_cfws, get_dot_atom, get_fws,
    get_phrase, get_word, leading_cfws, ptext_to_endchars, skip1, starts,
};
use super::token::{Kind, Token};

/// `get_local_part`: a dot-atom, a quoted string, or the obsolete form.
fn get_local_part(mut value: &str) -> Got<'_> {
    let mut local_part = Token::list(Kind::LocalPart);
    let (leader, rest) = leading_cfws(value)?;
    value = rest;
    let mut token;
    match get_dot_atom(value) {
        Ok((t, v)) => (token, value) = (t, v),
        Err(e) if e.caught() => match get_word(value) {
            Ok((t, v)) => (token, value) = (t, v),
            Err(e) if e.caught() => {
                let c = first(value)?;
                if c != '\\' && PHRASE_ENDS.contains(c) {
                    return Err(e);
                }
                token = Token::list(Kind::Plain);
            }
            Err(e) => return Err(e),
        },
        Err(e) => return Err(e),
    }
    if let Some(l) = leader {
        token.prepend(l);
    }
    local_part.push(token);
    if value.starts_with('\\') || (!value.is_empty() && !starts(value, PHRASE_ENDS)) {
        // CPython parses the text again, from the start of the local part.
        let lp_len = local_part.text().len();
        let joined = local_part.text() + value;
        let (obs, rest) = get_obs_local_part(&joined)?;
        value = &value[(joined.len() - rest.len()).saturating_sub(lp_len)..];
        if let Some(items) = local_part.items_mut() {
            items[0] = obs;
        }
    }
    Ok((local_part, value))
}

/// `get_obs_local_part`: words and dots, with blanks and stray backslashes.
fn get_obs_local_part(mut value: &str) -> Got<'_> {
    let mut obs = Token::list(Kind::ObsLocalPart);
    while value.starts_with('\\') || (!value.is_empty() && !starts(value, PHRASE_ENDS)) {
        if value.starts_with('.') {
            obs.push(Token::value(".", "dot"));
            value = skip1(value);
            continue;
        } else if value.starts_with('\\') {
            obs.push(Token::value("\\", "misplaced-special"));
            value = skip1(value);
            continue;
        }
        let token;
        match get_word(value) {
            Ok((t, v)) => (token, value) = (t, v),
            Err(e) if e.caught() => {
                if !CFWS_LEADER.contains(first(value)?) {
                    return Err(e);
                }
                (token, value) = get_cfws(value)?;
            }
            Err(e) => return Err(e),
        }
        obs.push(token);
    }
    // CPython looks at the first two and last two tokens (an IndexError where missing).
    let items = obs.items();
    let is_cfws = |t: &Token| t.kind() == Some(Kind::Cfws);
    let n = items.len();
    if n == 0 || (is_cfws(&items[0]) && n < 2) {
        return Err(Fail::Crash);
    }
    if items[n - 1].term_type() != Some("dot") && is_cfws(&items[n - 1]) && n < 2 {
        return Err(Fail::Crash);
    }
    Ok((obs, value))
}

/// `get_dtext`: domain-literal text (`Crash` on an empty rest, where CPython fails).
fn get_dtext(value: &str) -> Result<(Token, &str), Fail> {
    if value.is_empty() {
        return Err(Fail::Crash);
    }
    let (text, rest) = ptext_to_endchars(value, "[]");
    Ok((Token::value(&text, "ptext"), rest))
}

/// `_check_for_early_dl_end`: at the end of the value, CPython puts its defect (whose text
/// `str()` then writes) and a `]` in the domain literal.
fn early_dl_end(value: &str, dl: &mut Token) -> bool {
    if !value.is_empty() {
        return false;
    }
    dl.push(Token::value("end of input inside domain-literal", "defect"));
    dl.push(Token::value("]", "domain-literal-end"));
    true
}

/// `get_domain_literal`: `[…]`.
fn get_domain_literal(mut value: &str) -> Got<'_> {
    let mut dl = Token::list(Kind::DomainLiteral);
    let mut token;
    if CFWS_LEADER.contains(first(value)?) {
        (token, value) = get_cfws(value)?;
        dl.push(token);
    }
    if !value.starts_with('[') {
        return Err(Fail::Parse);
    }
    value = skip1(value);
    if early_dl_end(value, &mut dl) {
        return Ok((dl, value));
    }
    dl.push(Token::value("[", "domain-literal-start"));
    if starts(value, WSP) {
        (token, value) = get_fws(value);
        dl.push(token);
    }
    (token, value) = get_dtext(value)?;
    dl.push(token);
    if early_dl_end(value, &mut dl) {
        return Ok((dl, value));
    }
    if starts(value, WSP) {
        (token, value) = get_fws(value);
        dl.push(token);
    }
    if early_dl_end(value, &mut dl) {
        return Ok((dl, value));
    }
    if !value.starts_with(']') {
        return Err(Fail::Parse);
    }
    dl.push(Token::value("]", "domain-literal-end"));
    value = skip1(value);
    if starts(value, CFWS_LEADER) {
        (token, value) = get_cfws(value)?;
        dl.push(token);
    }
    Ok((dl, value))
}

/// `get_domain`: a dot-atom, a domain literal, or the obsolete dotted atoms.
fn get_domain(mut value: &str) -> Got<'_> {
    let mut domain = Token::list(Kind::Domain);
    let (leader, rest) = leading_cfws(value)?;
    value = rest;
    let mut token;
    if value.starts_with('[') {
        (token, value) = get_domain_literal(value)?;
        if let Some(l) = leader {
            token.prepend(l);
        }
        domain.push(token);
        return Ok((domain, value));
    }
    match get_dot_atom(value) {
        Ok((t, v)) => (token, value) = (t, v),
        Err(e) if e.caught() => (token, value) = get_atom(value)?,
        Err(e) => return Err(e),
    }
    if value.starts_with('@') {
        return Err(Fail::Parse);
    }
    if let Some(l) = leader {
        token.prepend(l);
    }
    domain.push(token);
    if value.starts_with('.') {
        if let Token::List(_, items) = &mut domain {
            if items[0].kind() == Some(Kind::DotAtom) {
                *items = items[0].items().to_vec();
            }
        }
        while value.starts_with('.') {
            domain.push(Token::value(".", "dot"));
            (token, value) = get_atom(skip1(value))?;
            domain.push(token);
        }
    }
    Ok((domain, value))
}

/// `get_addr_spec`: `local-part "@" domain`.
fn get_addr_spec(value: &str) -> Got<'_> {
    let mut spec = Token::list(Kind::AddrSpec);
    let (token, value) = get_local_part(value)?;
    spec.push(token);
    if !value.starts_with('@') {
        return Ok((spec, value));
    }
    spec.push(Token::value("@", "address-at-symbol"));
    let (token, value) = get_domain(skip1(value))?;
    spec.push(token);
    Ok((spec, value))
}

/// `get_obs_route`: `@domain,@domain:` before an addr-spec.
fn get_obs_route(mut value: &str) -> Got<'_> {
    let mut route = Token::list(Kind::ObsRoute);
    let mut token;
    while value.starts_with(',') || starts(value, CFWS_LEADER) {
        if starts(value, CFWS_LEADER) {
            (token, value) = get_cfws(value)?;
            route.push(token);
        } else {
            route.push(list_separator());
            value = skip1(value);
        }
    }
    if !value.starts_with('@') {
        return Err(Fail::Parse);
    }
    route.push(Token::value("@", "route-component-marker"));
    (token, value) = get_domain(skip1(value))?;
    route.push(token);
    while value.starts_with(',') {
        route.push(list_separator());
        value = skip1(value);
        if value.is_empty() {
            break;
        }
        if starts(value, CFWS_LEADER) {
            (token, value) = get_cfws(value)?;
            route.push(token);
        }
        if first(value)? == '@' {
            route.push(Token::value("@", "route-component-marker"));
            (token, value) = get_domain(skip1(value))?;
            route.push(token);
        }
    }
    if !value.starts_with(':') {
        return Err(Fail::Parse);
    }
    route.push(Token::value(":", "end-of-obs-route-marker"));
    Ok((route, skip1(value)))
}

/// The `,` between addresses (`ListSeparator`).
pub(crate) fn list_separator() -> Token {
    Token::value(",", "list-separator")
}

/// `get_angle_addr`: `<addr-spec>`, also with an obsolete route or empty.
fn get_angle_addr(mut value: &str) -> Got<'_> {
    let mut angle = Token::list(Kind::AngleAddr);
    let mut token;
    if CFWS_LEADER.contains(first(value)?) {
        (token, value) = get_cfws(value)?;
        angle.push(token);
    }
    if !value.starts_with('<') {
        return Err(Fail::Parse);
    }
    angle.push(Token::value("<", "angle-addr-start"));
    value = skip1(value);
    if first(value)? == '>' {
        angle.push(Token::value(">", "angle-addr-end"));
        return Ok((angle, skip1(value)));
    }
    match get_addr_spec(value) {
        Ok((t, v)) => (token, value) = (t, v),
        Err(e) if e.caught() => {
            let (route, v) = get_obs_route(value)?;
            angle.push(route);
            (token, value) = get_addr_spec(v)?;
        }
        Err(e) => return Err(e),
    }
    angle.push(token);
    if value.starts_with('>') {
        value = skip1(value);
    }
    angle.push(Token::value(">", "angle-addr-end"));
    if starts(value, CFWS_LEADER) {
        (token, value) = get_cfws(value)?;
        angle.push(token);
    }
    Ok((angle, value))
}

/// `get_display_name`: a phrase, as a display-name list.
pub(crate) fn get_display_name(value: &str) -> Got<'_> {
    let (phrase, value) = get_phrase(value)?;
    let Token::List(_, items) = phrase else {
        return Err(Fail::Crash);
    };
    Ok((Token::List(Kind::DisplayName, items), value))
}

/// `get_name_addr`: `[display-name] angle-addr`.
fn get_name_addr(mut value: &str) -> Got<'_> {
    let mut name_addr = Token::list(Kind::NameAddr);
    let mut leader = None;
    if CFWS_LEADER.contains(first(value)?) {
        let (l, v) = get_cfws(value)?;
        if v.is_empty() {
            return Err(Fail::Parse);
        }
        leader = Some(l);
        value = v;
    }
    if !value.starts_with('<') {
        if starts(value, PHRASE_ENDS) {
            return Err(Fail::Parse);
        }
        let (mut name, v) = get_display_name(value)?;
        value = v;
        if value.is_empty() {
            return Err(Fail::Parse);
        }
        if let Some(l) = leader.take() {
            // `token[0][:0] = [leader]`: fails unless the first word is a list.
            match name.items_mut().and_then(|items| items.first_mut()) {
                Some(w @ Token::List(..)) => w.prepend(l),
                _ => return Err(Fail::Crash),
            }
        }
        name_addr.push(name);
    }
    let (mut angle, value) = get_angle_addr(value)?;
    if let Some(l) = leader {
        angle.prepend(l);
    }
    name_addr.push(angle);
    Ok((name_addr, value))
}

/// `get_mailbox`: a name-addr or an addr-spec.
pub(crate) fn get_mailbox(value: &str) -> Got<'_> {
    let (token, value) = match get_name_addr(value) {
        Err(e) if e.caught() => get_addr_spec(value)?,
        got => got?,
    };
    Ok((Token::List(Kind::Mailbox, vec![token]), value))
}
