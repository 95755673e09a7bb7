//! The address-list rules of CPython's `email._header_value_parser` (Python 3.11), ported
//! function by function: the parse tree of a `From` or `To` value (`get_address_list`), with
//! groups and CPython's recovery from invalid input; and the addresses smtplib sends to.

use super::address::{get_display_name, get_mailbox, list_separator};
use super::parse::{CFWS_LEADER, Fail, Got, PHRASE_ENDS, get_cfws, get_phrase, skip1, starts};
use super::token::{Kind, Token, quote_string};

/// `get_invalid_mailbox`: everything up to one of `endchars`.
fn get_invalid_mailbox<'a>(mut value: &'a str, endchars: &str) -> Got<'a> {
    let mut invalid = Token::list(Kind::InvalidMailbox);
    while !value.is_empty() && !starts(value, endchars) {
        if starts(value, PHRASE_ENDS) {
            invalid.push(Token::value(&value[..1], "misplaced-special"));
            value = skip1(value);
        } else {
            let (t, v) = get_phrase(value)?;
            if v.len() == value.len() {
                // No progress: CPython would loop for ever; logkit gives up on the header.
                return Err(Fail::Crash);
            }
            invalid.push(t);
            value = v;
        }
    }
    Ok((invalid, value))
}

/// Appends the children of `extra` to the last token of `list` (CPython's
/// `list[-1].extend(token)` on the mailbox that has text after it).
fn extend_last(list: &mut Token, extra: Token) -> Result<(), Fail> {
    let last = list
        .items_mut()
        .and_then(|items| items.last_mut())
        .ok_or(Fail::Crash)?;
    let Token::List(_, children) = extra else {
        return Err(Fail::Crash);
    };
    match last.items_mut() {
        Some(items) => items.extend(children),
        None => return Err(Fail::Crash),
    }
    Ok(())
}

/// `get_mailbox_list`: mailboxes up to a `;` (in a group).
fn get_mailbox_list(mut value: &str) -> Got<'_> {
    let mut list = Token::list(Kind::MailboxList);
    while !value.is_empty() && !value.starts_with(';') {
        match get_mailbox(value) {
            Ok((t, v)) => {
                list.push(t);
                value = v;
            }
            Err(e) if e.caught() => {
                if starts(value, CFWS_LEADER) {
                    let (leader, v) = get_cfws(value)?;
                    value = v;
                    if value.is_empty() || starts(value, ",;") {
                        list.push(leader);
                    } else {
                        let (mut t, v) = get_invalid_mailbox(value, ",;")?;
                        value = v;
                        t.prepend(leader);
                        list.push(t);
                    }
                } else if !value.starts_with(',') {
                    let (t, v) = get_invalid_mailbox(value, ",;")?;
                    value = v;
                    list.push(t);
                }
            }
            Err(e) => return Err(e),
        }
        if !value.is_empty() && !starts(value, ",;") {
            let (t, v) = get_invalid_mailbox(value, ",;")?;
            value = v;
            extend_last(&mut list, t)?;
        }
        if value.starts_with(',') {
            list.push(list_separator());
            value = skip1(value);
        }
    }
    Ok((list, value))
}

/// `get_group_list`: the mailboxes of a group, or only blanks and commas.
fn get_group_list(mut value: &str) -> Got<'_> {
    let mut group_list = Token::list(Kind::GroupList);
    if value.is_empty() {
        return Ok((group_list, value));
    }
    let mut leader = None;
    if starts(value, CFWS_LEADER) {
        let (l, v) = get_cfws(value)?;
        value = v;
        if value.is_empty() || value.starts_with(';') {
            group_list.push(l);
            return Ok((group_list, value));
        }
        leader = Some(l);
    }
    let (mut token, value) = get_mailbox_list(value)?;
    let mailboxes = token
        .items()
        .iter()
        .filter(|t| matches!(t.kind(), Some(Kind::Mailbox | Kind::InvalidMailbox)))
        .count();
    if mailboxes == 0 {
        if let Some(l) = leader {
            group_list.push(l);
        }
        if let Token::List(_, items) = token {
            items.into_iter().for_each(|t| group_list.push(t));
        }
        return Ok((group_list, value));
    }
    if let Some(l) = leader {
        token.prepend(l);
    }
    group_list.push(token);
    Ok((group_list, value))
}

/// `get_group`: `display-name ":" [group-list] ";"`.
fn get_group(value: &str) -> Got<'_> {
    let mut group = Token::list(Kind::Group);
    let (name, value) = get_display_name(value)?;
    if !value.starts_with(':') {
        return Err(Fail::Parse);
    }
    group.push(name);
    group.push(Token::value(":", "group-display-name-terminator"));
    let value = skip1(value);
    if value.starts_with(';') {
        group.push(Token::value(";", "group-terminator"));
        return Ok((group, skip1(value)));
    }
    let (list, mut value) = get_group_list(value)?;
    group.push(list);
    if !value.is_empty() && !value.starts_with(';') {
        return Err(Fail::Parse);
    }
    group.push(Token::value(";", "group-terminator"));
    value = if value.is_empty() {
        value
    } else {
        skip1(value)
    };
    if starts(value, CFWS_LEADER) {
        let (t, v) = get_cfws(value)?;
        group.push(t);
        value = v;
    }
    Ok((group, value))
}

/// `get_address`: a group or a mailbox.
fn get_address(value: &str) -> Got<'_> {
    let (token, value) = match get_group(value) {
        Err(e) if e.caught() => get_mailbox(value)?,
        got => got?,
    };
    Ok((Token::List(Kind::Address, vec![token]), value))
}

/// `get_address_list`: the parse tree of a whole `From` or `To` value. `Err` where CPython
/// raises (it then cannot make the message).
pub(crate) fn address_list(mut value: &str) -> Result<Token, Fail> {
    let mut list = Token::list(Kind::AddressList);
    while !value.is_empty() {
        match get_address(value) {
            Ok((t, v)) => {
                list.push(t);
                value = v;
            }
            Err(e) if e.caught() => {
                if starts(value, CFWS_LEADER) {
                    let (leader, v) = get_cfws(value)?;
                    value = v;
                    if value.is_empty() || value.starts_with(',') {
                        list.push(leader);
                    } else {
                        let (mut t, v) = get_invalid_mailbox(value, ",")?;
                        value = v;
                        t.prepend(leader);
                        list.push(Token::List(Kind::Address, vec![t]));
                    }
                } else if !value.starts_with(',') {
                    let (t, v) = get_invalid_mailbox(value, ",")?;
                    value = v;
                    list.push(Token::List(Kind::Address, vec![t]));
                }
            }
            Err(e) => return Err(e),
        }
        if !value.is_empty() && !value.starts_with(',') {
            // Text after an address: it joins that address (`address_list[-1][0]`).
            let (t, v) = get_invalid_mailbox(value, ",")?;
            value = v;
            let address = list
                .items_mut()
                .and_then(|items| items.last_mut())
                .ok_or(Fail::Crash)?;
            extend_last(address, t)?;
        }
        if !value.is_empty() {
            list.push(list_separator());
            value = skip1(value);
        }
    }
    Ok(list)
}

/// The addresses of the mailboxes in `tree`, in order, as `headerregistry.Address.addr_spec`
/// writes them and `getaddresses` reads them back: the local part (quoted if it needs it)
/// and the domain without comments or blanks, empty for `<>`. Invalid mailboxes have none.
pub(crate) fn addr_specs(tree: &Token) -> Vec<String> {
    let mut out = Vec::new();
    collect_specs(tree, &mut out);
    out
}

fn collect_specs(t: &Token, out: &mut Vec<String>) {
    match t.kind() {
        Some(Kind::Mailbox) => out.push(mailbox_spec(t)),
        Some(Kind::InvalidMailbox) | None => {}
        Some(_) => t.items().iter().for_each(|c| collect_specs(c, out)),
    }
}

/// The addr-spec of a mailbox (empty when it has none).
fn mailbox_spec(mailbox: &Token) -> String {
    let Some(spec) = find(mailbox, Kind::AddrSpec) else {
        return String::new();
    };
    let local: String = spec
        .items()
        .iter()
        .filter(|t| t.kind() == Some(Kind::LocalPart))
        .map(value)
        .collect();
    let domain: String = spec
        .items()
        .iter()
        .filter(|t| t.kind() == Some(Kind::Domain))
        .map(value)
        .collect::<String>()
        .split_whitespace()
        .collect();
    let local = if local.contains(|c: char| "()<>@,:;\\\"[] \t".contains(c)) {
        quote_string(&local)
    } else {
        local
    };
    match (local.is_empty(), domain.is_empty()) {
        (_, false) => format!("{local}@{domain}"),
        (_, true) => local,
    }
}

/// The first list of `kind` in `t` (depth first), not inside an obsolete route.
fn find(t: &Token, kind: Kind) -> Option<&Token> {
    if t.kind() == Some(kind) {
        return Some(t);
    }
    if t.kind() == Some(Kind::ObsRoute) {
        return None;
    }
    t.items().iter().find_map(|c| find(c, kind))
}

/// The text of `t` without comments and the blanks around words: the quoted text of a quoted
/// string as it is, the rest of the atoms and dots joined.
fn value(t: &Token) -> String {
    match t {
        Token::Term(text, ..) if !t.startswith_fws() => text.clone(),
        Token::Term(..) => String::new(),
        Token::List(Kind::Cfws | Kind::Comment, _) => String::new(),
        Token::List(Kind::BareQuotedString, items) => items.iter().map(Token::text).collect(),
        Token::List(_, items) => items.iter().map(value).collect(),
    }
}
