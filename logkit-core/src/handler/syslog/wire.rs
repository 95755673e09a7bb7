//! The bytes of one syslog message: CPython's `<PRI>ident message\0`, or an RFC 3164 / RFC 5424
//! header before it, and the TCP framing around it. Pure functions, tested without a server.

use std::fmt::Write as _;

use crate::clock::{BrokenDownTime, Converter};
use crate::record::Timestamp;
use crate::value::Value;

/// The layout of a message on the wire.
///
/// # Examples
///
/// ```
/// use logkit::SyslogFormat;
///
/// assert_eq!(SyslogFormat::default(), SyslogFormat::Python);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SyslogFormat {
    /// CPython's bytes: `<PRI>` + ident + the formatted record (+ NUL). No timestamp or
    /// hostname: the server fills in its own (the time of reception, the sender's address).
    #[default]
    Python,
    /// RFC 3164 (BSD): `<PRI>Mmm dd hh:mm:ss HOSTNAME APP[PID]: ` + ident + message, in local
    /// time.
    Rfc3164,
    /// RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - ` + ident + message, with
    /// a microsecond timestamp and the local UTC offset.
    Rfc5424,
}

/// How messages are delimited on a stream (TCP or unix stream) socket. Datagrams need none.
///
/// # Examples
///
/// ```
/// use logkit::Framing;
///
/// assert_eq!(Framing::default(), Framing::OctetCounting);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Framing {
    /// RFC 6587 §3.4.1: `LEN SP MSG`. A message may contain newlines. The default for TCP.
    #[default]
    OctetCounting,
    /// RFC 6587 §3.4.2: the message followed by `\n`. A newline inside a message splits it.
    LineFeed,
    /// Nothing: the bytes back to back, as CPython sends them (only the NUL terminator, if
    /// any, separates them; rsyslog merges such messages on TCP). The default for unix
    /// stream sockets, whose servers split on the NUL.
    None,
}

/// The header fields of RFC formats: fixed when the handler is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) format: SyslogFormat,
    pub(crate) hostname: String,
    pub(crate) app_name: String,
    pub(crate) procid: String,
    pub(crate) msgid: String,
    /// The SD-ID under which RFC 5424 messages carry the record's fields as STRUCTURED-DATA
    /// (`-`, none, without it).
    pub(crate) sd_id: Option<String>,
    pub(crate) converter: Converter,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Header {
    /// Writes `<PRI>` and, for the RFC formats, the header up to the message; RFC 5424's
    /// STRUCTURED-DATA holds `fields` when the header has an SD-ID.
    pub(crate) fn write<'v>(
        &self,
        out: &mut String,
        pri: u8,
        created: Timestamp,
        fields: impl Iterator<Item = (&'v str, &'v Value<'v>)>,
    ) {
        let _ = write!(out, "<{pri}>");
        match self.format {
            SyslogFormat::Python => {}
            SyslogFormat::Rfc3164 => {
                let tm = self.converter.convert(created.secs());
                write_3164_time(out, &tm);
                let _ = write!(
                    out,
                    " {} {}[{}]: ",
                    self.hostname, self.app_name, self.procid
                );
            }
            SyslogFormat::Rfc5424 => {
                out.push_str("1 ");
                let tm = self.converter.convert(created.secs());
                write_5424_time(out, &tm, created.subsec_nanos());
                let _ = write!(
                    out,
                    " {} {} {} {} ",
                    self.hostname, self.app_name, self.procid, self.msgid
                );
                match &self.sd_id {
                    Some(id) => write_structured_data(out, id, fields),
                    None => out.push('-'),
                }
                out.push(' ');
            }
        }
    }
}

/// The SD-IDs registered with IANA (RFC 5424 §7), usable without `@`.
const REGISTERED_SD_IDS: [&str; 3] = ["timeQuality", "origin", "meta"];

/// Whether `id` is an RFC 5424 SD-ID: an SD-NAME (1 to 32 printable US-ASCII characters but
/// `=`, space, `]` and `"`) that is a registered ID or, for anyone else's,
/// `name@enterprise-number` (digits, with dotted sub-identifiers).
pub(crate) fn is_sd_id(id: &str) -> bool {
    if id.is_empty() || id.len() > 32 || !id.bytes().all(is_sd_name_byte) {
        return false;
    }
    match id.split_once('@') {
        None => REGISTERED_SD_IDS.contains(&id),
        Some((name, number)) => {
            !name.is_empty()
                && !number.is_empty()
                && number
                    .split('.')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        }
    }
}

fn is_sd_name_byte(b: u8) -> bool {
    (33..=126).contains(&b) && !matches!(b, b'=' | b']' | b'"')
}

/// Writes one SD-ELEMENT, `[id name="value" …]`, with a parameter per field, or `-` when
/// there are none. A field set twice is written once, with its last value. A name is made an
/// SD-NAME (other characters become `_`, at most 32); a value is the field's text (as
/// `%(name)s` prints it), with `"`, `\` and `]` escaped by a backslash.
fn write_structured_data<'v>(
    out: &mut String,
    id: &str,
    fields: impl Iterator<Item = (&'v str, &'v Value<'v>)>,
) {
    let fields: Vec<(String, &Value<'_>)> = fields.map(|(k, v)| (sd_name(k), v)).collect();
    let mut text = String::new();
    let mut wrote = false;
    for (i, (name, value)) in fields.iter().enumerate() {
        if name.is_empty() || fields[i + 1..].iter().any(|(later, _)| later == name) {
            continue;
        }
        if !wrote {
            out.push('[');
            out.push_str(id);
            wrote = true;
        }
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        text.clear();
        value.write_str(&mut text);
        for c in text.chars() {
            if matches!(c, '"' | '\\' | ']') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    if wrote {
        out.push(']');
    } else {
        out.push('-');
    }
}

/// A field's name as an SD-NAME: characters an SD-NAME cannot hold become `_`, and it is cut
/// to 32.
fn sd_name(name: &str) -> String {
    name.chars()
        .map(|c| match u8::try_from(c) {
            Ok(b) if is_sd_name_byte(b) => c,
            _ => '_',
        })
        .take(32)
        .collect()
}

/// `Mmm dd hh:mm:ss`, the day padded with a space (`Nov  3`).
fn write_3164_time(out: &mut String, tm: &BrokenDownTime) {
    let month = MONTHS[usize::from(tm.month.clamp(1, 12)) - 1];
    let _ = write!(
        out,
        "{month} {:>2} {:02}:{:02}:{:02}",
        tm.day, tm.hour, tm.minute, tm.second
    );
}

/// `2024-01-02T03:04:05.678901+01:00` (`Z` for UTC).
fn write_5424_time(out: &mut String, tm: &BrokenDownTime, nanos: u32) {
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}",
        tm.year,
        tm.month,
        tm.day,
        tm.hour,
        tm.minute,
        tm.second,
        nanos / 1000
    );
    if tm.utc_offset == 0 {
        out.push('Z');
    } else {
        let sign = if tm.utc_offset < 0 { '-' } else { '+' };
        let off = tm.utc_offset.unsigned_abs() / 60;
        let _ = write!(out, "{sign}{:02}:{:02}", off / 60, off % 60);
    }
}

/// An RFC 5424 header field: printable US-ASCII without spaces, at most `max` bytes, `-` when
/// empty. Other characters become `_`.
pub(crate) fn header_field(value: &str, max: usize) -> String {
    let mut s: String = value
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { '_' })
        .take(max)
        .collect();
    if s.is_empty() {
        s.push('-');
    }
    s
}

/// Frames a message for a stream socket, in place.
pub(crate) fn frame(msg: &mut String, framing: Framing) {
    match framing {
        Framing::OctetCounting => {
            let mut len = itoa::Buffer::new();
            let prefix = len.format(msg.len());
            msg.insert(0, ' ');
            msg.insert_str(0, prefix);
        }
        Framing::LineFeed => msg.push('\n'),
        Framing::None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(format: SyslogFormat) -> Header {
        Header {
            format,
            hostname: "web1".into(),
            app_name: "shop".into(),
            procid: "42".into(),
            msgid: "-".into(),
            sd_id: None,
            converter: Converter::Utc,
        }
    }

    fn write(header: &Header, pri: u8, created: Timestamp, fields: &[(&str, Value<'_>)]) -> String {
        let mut out = String::new();
        header.write(&mut out, pri, created, fields.iter().map(|(k, v)| (*k, v)));
        out
    }

    #[test]
    fn python_format_is_only_the_priority() {
        let out = write(&header(SyslogFormat::Python), 14, Timestamp::new(0, 0), &[]);
        assert_eq!(out, "<14>");
    }

    #[test]
    fn rfc3164_header_pads_the_day_with_a_space() {
        // 2024-11-03 04:05:06 UTC
        let time = Timestamp::new(1_730_606_706, 5);
        let out = write(&header(SyslogFormat::Rfc3164), 134, time, &[]);
        assert_eq!(out, "<134>Nov  3 04:05:06 web1 shop[42]: ");
    }

    #[test]
    fn rfc5424_header_has_microseconds_and_nil_values() {
        let time = Timestamp::new(1_704_164_645, 678_901_999);
        // Fields are not written without an SD-ID.
        let out = write(
            &header(SyslogFormat::Rfc5424),
            11,
            time,
            &[("k", Value::from(1))],
        );
        assert_eq!(out, "<11>1 2024-01-02T03:04:05.678901Z web1 shop 42 - - ");
    }

    #[test]
    fn rfc5424_structured_data_carries_the_fields_escaped() {
        let header = Header {
            sd_id: Some("shop@32473".into()),
            ..header(SyslogFormat::Rfc5424)
        };
        let time = Timestamp::new(1_704_164_645, 0);
        let fields = [
            ("user", Value::from("alice")),
            ("attempt", Value::from(3)),
            ("quote", Value::from(r#"a"b\c]d ✓"#)),
            ("key with=odd\"chars]é", Value::from(true)),
            ("attempt", Value::from(4)),
            (&*"n".repeat(40), Value::from(1.5)),
        ];
        let out = write(&header, 11, time, &fields);
        let sd = out
            .strip_prefix("<11>1 2024-01-02T03:04:05.000000Z web1 shop 42 - ")
            .unwrap();
        assert_eq!(
            sd,
            format!(
                r#"[shop@32473 user="alice" quote="a\"b\\c\]d ✓" key_with_odd_chars__="True" attempt="4" {}="1.5"] "#,
                "n".repeat(32)
            )
        );
        // No fields: the nil value.
        assert!(write(&header, 11, time, &[]).ends_with(" - - "));
    }

    #[test]
    fn sd_ids_are_registered_or_name_at_an_enterprise_number() {
        for ok in ["shop@32473", "a@1.2.3", "origin", "meta", "timeQuality"] {
            assert!(is_sd_id(ok), "{ok}");
        }
        for bad in [
            "",
            "shop",
            "shop@",
            "@32473",
            "shop@x1",
            "shop@1..2",
            "sh op@1",
            "sh]op@1",
            "sh\"op@1",
            "a=b@1",
            "é@1",
            "shop@32473.11.22.33.44.55.66.77.88",
        ] {
            assert!(!is_sd_id(bad), "{bad}");
        }
    }

    #[test]
    fn header_fields_are_printable_ascii_and_bounded() {
        assert_eq!(header_field("my app✓", 48), "my_app_");
        assert_eq!(header_field("", 48), "-");
        assert_eq!(header_field(&"x".repeat(60), 48).len(), 48);
    }

    #[test]
    fn framing() {
        let mut m = String::from("<14>a\nb");
        frame(&mut m, Framing::OctetCounting);
        assert_eq!(m, "7 <14>a\nb");
        let mut m = String::from("<14>ab");
        frame(&mut m, Framing::LineFeed);
        assert_eq!(m, "<14>ab\n");
        let mut m = String::from("<14>ab\0");
        frame(&mut m, Framing::None);
        assert_eq!(m, "<14>ab\0");
    }
}
