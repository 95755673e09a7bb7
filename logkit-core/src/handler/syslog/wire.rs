//! The bytes of one syslog message: CPython's `<PRI>ident message\0`, or an RFC 3164 / RFC 5424
//! header before it, and the TCP framing around it. Pure functions, tested without a server.

use std::fmt::Write as _;

use crate::clock::{BrokenDownTime, Converter};
use crate::record::Timestamp;

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
    pub(crate) converter: Converter,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Header {
    /// Writes `<PRI>` and, for the RFC formats, the header up to the message.
    pub(crate) fn write(&self, out: &mut String, pri: u8, created: Timestamp) {
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
                    " {} {} {} {} - ",
                    self.hostname, self.app_name, self.procid, self.msgid
                );
            }
        }
    }
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
            converter: Converter::Utc,
        }
    }

    #[test]
    fn python_format_is_only_the_priority() {
        let mut out = String::new();
        header(SyslogFormat::Python).write(&mut out, 14, Timestamp::new(0, 0));
        assert_eq!(out, "<14>");
    }

    #[test]
    fn rfc3164_header_pads_the_day_with_a_space() {
        let mut out = String::new();
        // 2024-11-03 04:05:06 UTC
        header(SyslogFormat::Rfc3164).write(&mut out, 134, Timestamp::new(1_730_606_706, 5));
        assert_eq!(out, "<134>Nov  3 04:05:06 web1 shop[42]: ");
    }

    #[test]
    fn rfc5424_header_has_microseconds_and_nil_values() {
        let mut out = String::new();
        header(SyslogFormat::Rfc5424).write(
            &mut out,
            11,
            Timestamp::new(1_704_164_645, 678_901_999),
        );
        assert_eq!(out, "<11>1 2024-01-02T03:04:05.678901Z web1 shop 42 - - ");
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
