//! journald's native protocol: one datagram of fields, `NAME=value\n`, or for a value with a
//! newline (or any byte a text line cannot hold) `NAME\n` + its length as a little-endian
//! u64 + the bytes + `\n`.

/// Appends one field.
pub(crate) fn field(out: &mut Vec<u8>, name: &str, value: &[u8]) {
    out.extend_from_slice(name.as_bytes());
    if value.contains(&b'\n') {
        out.push(b'\n');
        out.extend_from_slice(&(value.len() as u64).to_le_bytes());
    } else {
        out.push(b'=');
    }
    out.extend_from_slice(value);
    out.push(b'\n');
}

/// A journal field name from a record field's name: upper-cased, `A-Z 0-9 _` only (others
/// become `_`), not starting with `_` (those are the journal's trusted fields) or a digit,
/// at most 64 characters. `None` if nothing is left.
///
/// # Examples
///
/// ```
/// use logkit::journal_field_name;
///
/// assert_eq!(journal_field_name("request_id").as_deref(), Some("REQUEST_ID"));
/// assert_eq!(journal_field_name("user.name").as_deref(), Some("USER_NAME"));
/// assert_eq!(journal_field_name("_pid").as_deref(), Some("PID"));
/// assert_eq!(journal_field_name("2fa").as_deref(), Some("FA"));
/// assert_eq!(journal_field_name("__"), None);
/// ```
pub fn journal_field_name(name: &str) -> Option<String> {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = mapped.trim_start_matches(|c: char| c == '_' || c.is_ascii_digit());
    let cut: String = trimmed.chars().take(64).collect();
    (!cut.is_empty()).then_some(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_binary_fields() {
        let mut out = Vec::new();
        field(&mut out, "MESSAGE", b"one line");
        field(&mut out, "MESSAGE", b"two\nlines");
        let mut expected = b"MESSAGE=one line\nMESSAGE\n".to_vec();
        expected.extend_from_slice(&9u64.to_le_bytes());
        expected.extend_from_slice(b"two\nlines\n");
        assert_eq!(out, expected);
    }

    #[test]
    fn names_are_cut_to_64() {
        assert_eq!(journal_field_name(&"a".repeat(70)).unwrap().len(), 64);
    }
}
