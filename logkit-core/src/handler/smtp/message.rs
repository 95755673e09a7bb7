//! The e-mail of one record, as CPython's `SMTPHandler` builds it with `EmailMessage` and
//! `smtplib` sends it: `From`, `To`, `Subject` (parsed and folded as the default email policy
//! does, see `fold`), `Date`, then the MIME headers, and the formatted record as a
//! `text/plain; charset="utf-8"` body (encoded as `set_content` does, see `body`); with CRLF
//! line ends and dot-stuffing for `DATA`, and the envelope and `MAIL` options of
//! `send_message`.

use std::fmt::Write as _;
use std::io;

use super::token::Token;
use super::{address_list, body, fold, parse};
use crate::clock::Converter;
use crate::record::Timestamp;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `email.utils.format_datetime(localtime())`: `Thu, 03 Dec 2026 14:10:26 +0000`.
pub(crate) fn date(t: Timestamp, converter: Converter) -> String {
    let tm = converter.convert(t.secs());
    let off = tm.utc_offset / 60;
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}",
        DAYS[usize::from(tm.weekday.min(6))],
        tm.day,
        MONTHS[usize::from(tm.month.clamp(1, 12)) - 1],
        tm.year,
        tm.hour,
        tm.minute,
        tm.second,
        if off < 0 { '-' } else { '+' },
        off.unsigned_abs() / 60,
        off.unsigned_abs() % 60
    )
}

/// The e-mail of one record, ready for `DATA`, and how to send it.
#[derive(Debug)]
pub(crate) struct Mail {
    /// The message: CRLF line ends, dot-stuffed, ending with CRLF but without the final `.`.
    pub(crate) text: String,
    /// The envelope sender: the address of `From` (smtplib's `from_addr`).
    pub(crate) from: String,
    /// The envelope recipients: the addresses of `To`.
    pub(crate) to: Vec<String>,
    /// The options of `MAIL FROM` (`BODY=8BITMIME`, `SMTPUTF8`), each with a blank before it.
    pub(crate) options: String,
}

/// What the server announced that the message depends on.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Server {
    /// `8BITMIME`: an 8-bit body may be sent as it is.
    pub(crate) eight_bit_mime: bool,
    /// `SMTPUTF8`: addresses and headers may be UTF-8.
    pub(crate) smtputf8: bool,
}

/// `str.splitlines()` boundaries: CPython refuses a header value containing one.
const LINE_BREAKS: &[char] = &[
    '\n', '\r', '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// An error of the kind `kind`.
fn error(kind: io::ErrorKind, message: String) -> io::Error {
    io::Error::new(kind, message)
}

/// The parse tree of the address header `name` with value `value`.
fn addresses(name: &str, value: &str) -> io::Result<Token> {
    address_list::address_list(value).map_err(|_| {
        error(
            io::ErrorKind::InvalidInput,
            format!("{name} {value:?} cannot be parsed as an address list (CPython fails too)"),
        )
    })
}

/// The message CPython's `SMTPHandler.emit` sends for a record (`EmailMessage` with `From`,
/// `To` (the addresses joined by `,`), `Subject`, `Date`, `set_content(body)`, then
/// `smtp.send_message`), for a server that announced `server`.
///
/// # Errors
///
/// What CPython raises there: a header with a line break, an address list it cannot parse,
/// or non-ASCII addresses when the server lacks SMTPUTF8.
pub(crate) fn build(
    from: &str,
    to: &[String],
    subject: &str,
    date: &str,
    body: &str,
    server: Server,
) -> io::Result<Mail> {
    let to_value = to.join(",");
    for (name, value) in [
        ("From", from),
        ("To", to_value.as_str()),
        ("Subject", subject),
    ] {
        if value.contains(LINE_BREAKS) {
            return Err(error(
                io::ErrorKind::InvalidInput,
                format!("{name}: header values may not contain line breaks: {value:?}"),
            ));
        }
    }
    let from_tree = addresses("From", from)?;
    let to_tree = addresses("To", &to_value)?;
    // smtplib: the first address of From, every address of To.
    let envelope_from = address_list::addr_specs(&from_tree)
        .into_iter()
        .next()
        .unwrap_or_default();
    let envelope_to = address_list::addr_specs(&to_tree);
    let international = !envelope_from.is_ascii() || envelope_to.iter().any(|a| !a.is_ascii());
    if international && !server.smtputf8 {
        return Err(error(
            io::ErrorKind::Unsupported,
            "one or more source or delivery addresses require internationalized email \
             support, but the server does not advertise the required SMTPUTF8 capability"
                .into(),
        ));
    }
    let (cte, payload) = body::encode(body, server.eight_bit_mime);
    let mut m = String::with_capacity(payload.len() + 512);
    m.push_str(&fold::fold_header("From", from_tree, international));
    m.push_str(&fold::fold_header("To", to_tree, international));
    let subject_tree = parse::unstructured(subject);
    m.push_str(&fold::fold_header("Subject", subject_tree, international));
    let _ = write!(m, "Date: {date}\r\n");
    m.push_str("Content-Type: text/plain; charset=\"utf-8\"\r\n");
    let _ = write!(
        m,
        "Content-Transfer-Encoding: {cte}\r\nMIME-Version: 1.0\r\n\r\n"
    );
    // The payload is valid UTF-8: ASCII, or the record's own text for 8bit.
    let payload = String::from_utf8_lossy(&payload);
    for line in payload.split_terminator('\n') {
        // smtplib's generator has no policy, so `mangle_from_` is true; with the policy
        // it gets for SMTPUTF8 it is the default policy's false.
        if !international && line.starts_with("From ") {
            m.push('>');
        }
        m.push_str(line);
        m.push_str("\r\n");
    }
    let options = match (international, cte == "8bit") {
        (true, _) => " SMTPUTF8 BODY=8BITMIME",
        (false, true) => " BODY=8BITMIME",
        (false, false) => "",
    };
    Ok(Mail {
        text: dot_stuff(&m),
        from: envelope_from,
        to: envelope_to,
        options: options.to_owned(),
    })
}

/// smtplib's `_quote_periods`: a `.` that starts a line is doubled.
pub(crate) fn dot_stuff(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    if text.starts_with('.') {
        out.push('.');
    }
    let mut rest = text;
    while let Some(i) = rest.find("\n.") {
        out.push_str(&rest[..=i]);
        out.push('.');
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &str = "Thu, 03 Dec 2026 14:10:26 +0000";

    /// The mail from `from` to `to` about `subject` with `body`, to a server with 8BITMIME.
    fn mail(from: &str, to: &[&str], subject: &str, body: &str) -> Mail {
        let to: Vec<String> = to.iter().map(|s| (*s).to_owned()).collect();
        let server = Server {
            eight_bit_mime: true,
            smtputf8: false,
        };
        build(from, &to, subject, DATE, body, server).unwrap()
    }

    #[test]
    fn date_header() {
        let d = date(Timestamp::new(1_796_306_226, 0), Converter::Utc);
        assert_eq!(d, "Thu, 03 Dec 2026 13:57:06 +0000");
    }

    /// (what it shows, body, Content-Transfer-Encoding, encoded body): CPython 3.11's, from
    /// `m = EmailMessage(); m["From"] = "a@x"; m["To"] = "b@x"; m["Subject"] = "s";
    /// m["Date"] = DATE; m.set_content(body)` flattened as `smtplib.SMTP.send_message` does
    /// (`BytesGenerator(f).flatten(m, linesep="\r\n")`, then `smtplib._quote_periods`).
    const BODIES: &[(&str, &str, &str, &str)] = &[
        (
            "a long ASCII line: quoted-printable is shorter",
            "Disk full on /var: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx end",
            "quoted-printable",
            "Disk full on /var: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\r\n\
            xxxxxxxxxxxx end\r\n",
        ),
        (
            "control characters: base64 is shorter",
            "\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
            "base64",
            "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAXl5eXl5eXl5eXl5eXl5eXl5\r\n\
            eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5Cg==\r\n",
        ),
        (
            "non-ASCII with a long line: base64 is shorter",
            "Grüße aus München: ääääääääää oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo",
            "base64",
            "R3LDvMOfZSBhdXMgTcO8bmNoZW46IMOkw6TDpMOkw6TDpMOkw6TDpMOkIG9vb29vb29vb29vb29v\r\n\
            b29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29vb28K\r\n",
        ),
        (
            "non-ASCII with a long line: quoted-printable is shorter",
            "Grüße oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo",
            "quoted-printable",
            "Gr=C3=BC=C3=9Fe ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo=\r\n\
            ooooooooooooooooooooooooooooooooooooooo\r\n",
        ),
        (
            "more than ten lines: the first ten decide, the whole body is encoded",
            "line 0\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\nline 10\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\né",
            "quoted-printable",
            "line 0\r\n\
            line 1\r\n\
            line 2\r\n\
            line 3\r\n\
            line 4\r\n\
            line 5\r\n\
            line 6\r\n\
            line 7\r\n\
            line 8\r\n\
            line 9\r\n\
            line 10\r\n\
            zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz=\r\n\
            zzz\r\n\
            =C3=A9\r\n",
        ),
        (
            "blanks ending lines, at and around the soft-break boundary",
            "tab\t\nwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww \nvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv \nuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\t\nqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
            "quoted-printable",
            "tab=09\r\n\
            wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww =\r\n\
            \r\n\
            vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv=\r\n\
            =20\r\n\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu=\r\n\
            u=09\r\n\
            qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq=\r\n\
            qqqqqqqqqqqqq\r\n",
        ),
        (
            "`=` quoted, dots doubled for DATA (also after a soft break), `From ` mangled",
            ".starts with a dot and a=b kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n.second\nFrom here\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.dot after a soft break",
            "quoted-printable",
            "..starts with a dot and a=3Db kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk=\r\n\
            kkkkkkkkkkkk\r\n\
            ..second\r\n\
            >From here\r\n\
            xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\r\n\
            ..dot after a soft break\r\n",
        ),
        (
            "CR, LF and CRLF line ends",
            "a\rb\r\nc\nlllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll\r",
            "quoted-printable",
            "a\r\n\
            b\r\n\
            c\r\n\
            lllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll=\r\n\
            ll\r\n",
        ),
    ];

    #[test]
    fn bodies_are_encoded_as_cpython_does() {
        for &(what, body, cte, encoded) in BODIES {
            let head = format!(
                "From: a@x\r\nTo: b@x\r\nSubject: s\r\nDate: {DATE}\r\n\
                 Content-Type: text/plain; charset=\"utf-8\"\r\n\
                 Content-Transfer-Encoding: {cte}\r\nMIME-Version: 1.0\r\n\r\n"
            );
            let m = mail("a@x", &["b@x"], "s", body);
            assert_eq!(m.text, head + encoded, "{what}");
            assert_eq!(m.options, "", "{what}");
            // Without 8BITMIME: the same (none of these is 8bit).
            let to = ["b@x".to_owned()];
            let seven = build("a@x", &to, "s", DATE, body, Server::default()).unwrap();
            assert_eq!(seven.text, m.text, "{what}");
        }
    }

    #[test]
    fn short_ascii_is_7bit_and_short_non_ascii_8bit_or_else_encoded() {
        // CPython: set_content("a\n.dot line") -> 7bit; set_content("héllo ✓") -> 8bit; with
        // EmailMessage(policy=default.clone(cte_type="7bit")), what logkit uses for a server
        // without 8BITMIME: set_content("héllo ✓") -> base64 and set_content("héllo, mostly
        // ASCII text") -> quoted-printable.
        let m = mail(
            "app@example.test",
            &["ops@example.test"],
            "s",
            "a\n.dot line",
        );
        assert!(
            m.text
                .ends_with("7bit\r\nMIME-Version: 1.0\r\n\r\na\r\n..dot line\r\n")
        );
        let m = mail("a@x", &["b@x"], "s", "héllo ✓");
        assert!(
            m.text
                .ends_with("8bit\r\nMIME-Version: 1.0\r\n\r\nhéllo ✓\r\n")
        );
        assert_eq!(m.options, " BODY=8BITMIME");
        let to = ["b@x".to_owned()];
        let m = build("a@x", &to, "s", DATE, "héllo ✓", Server::default()).unwrap();
        let tail = "base64\r\nMIME-Version: 1.0\r\n\r\naMOpbGxvIOKckwo=\r\n";
        assert!(m.text.ends_with(tail), "{}", m.text);
        assert_eq!(m.options, "");
        let body = "héllo, mostly ASCII text";
        let m = build("a@x", &to, "s", DATE, body, Server::default()).unwrap();
        let tail = "quoted-printable\r\nMIME-Version: 1.0\r\n\r\nh=C3=A9llo, mostly ASCII text\r\n";
        assert!(m.text.ends_with(tail), "{}", m.text);
    }

    #[test]
    fn a_long_subject_is_folded_at_blanks() {
        // CPython: m["Subject"] = "ERROR in app.db.pool: connection to the primary database
        // timed out after 30 seconds, retrying"; the rest as for BODIES, body "b".
        let subject = "ERROR in app.db.pool: connection to the primary database timed out after \
                       30 seconds, retrying";
        let m = mail("a@x", &["b@x"], subject, "b");
        assert_eq!(
            m.text,
            "From: a@x\r\n\
             To: b@x\r\n\
             Subject: ERROR in app.db.pool: connection to the primary database timed out\r\n \
             after 30 seconds, retrying\r\n\
             Date: Thu, 03 Dec 2026 14:10:26 +0000\r\n\
             Content-Type: text/plain; charset=\"utf-8\"\r\n\
             Content-Transfer-Encoding: 7bit\r\n\
             MIME-Version: 1.0\r\n\
             \r\n\
             b\r\n"
        );
    }

    #[test]
    fn a_non_ascii_subject_is_folded_into_encoded_words() {
        // CPython: m["Subject"] = "Überwachung: Festplatte voll auf Server München — bitte
        // sofort prüfen, Größe 100% ✓ erreicht"; the rest as for BODIES, body "b".
        let subject = "Überwachung: Festplatte voll auf Server München — bitte sofort prüfen, \
                       Größe 100% ✓ erreicht";
        let m = mail("a@x", &["b@x"], subject, "b");
        assert_eq!(
            m.text,
            "From: a@x\r\n\
             To: b@x\r\n\
             Subject: =?utf-8?q?=C3=9Cberwachung=3A_Festplatte_voll_auf_Server_M=C3=BCnch?=\r\n \
             =?utf-8?b?ZW4g4oCUIGJpdHRlIHNvZm9ydCBwcsO8ZmVuLCBHcsO2w59lIDEwMCUg4pyT?=\r\n \
             erreicht\r\n\
             Date: Thu, 03 Dec 2026 14:10:26 +0000\r\n\
             Content-Type: text/plain; charset=\"utf-8\"\r\n\
             Content-Transfer-Encoding: 7bit\r\n\
             MIME-Version: 1.0\r\n\
             \r\n\
             b\r\n"
        );
        // Short ones, and an empty one (no blank after the colon).
        let m = mail("a@x", &["b@x"], "Disk ✓ full", "b");
        assert!(
            m.text
                .contains("\r\nSubject: Disk =?utf-8?b?4pyT?= full\r\n")
        );
        let m = mail("a@x", &["b@x"], "héllo wörld x", "b");
        assert!(
            m.text
                .contains("\r\nSubject: =?utf-8?q?h=C3=A9llo_w=C3=B6rld?= x\r\n")
        );
        let m = mail("a@x", &["b@x"], "", "b");
        assert!(m.text.contains("\r\nSubject:\r\n"));
    }

    #[test]
    fn a_long_to_list_is_kept_or_folded_as_cpython_does() {
        // CPython: m["To"] = ",".join(toaddrs): plain addresses joined by "," have no blank
        // to fold at, so the line stays long.
        let to: Vec<String> = (0..6).map(|i| format!("ops{i}@example.test")).collect();
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        let m = mail("a@x", &to, "s", "b");
        assert_eq!(
            m.text,
            "From: a@x\r\n\
             To: ops0@example.test,ops1@example.test,ops2@example.test,ops3@example.test,ops4@example.test,ops5@example.test\r\n\
             Subject: s\r\n\
             Date: Thu, 03 Dec 2026 14:10:26 +0000\r\n\
             Content-Type: text/plain; charset=\"utf-8\"\r\n\
             Content-Transfer-Encoding: 7bit\r\n\
             MIME-Version: 1.0\r\n\
             \r\n\
             b\r\n"
        );
        assert_eq!(m.to.len(), 6);
        // With display names it folds at their blanks. CPython starts the line of the
        // encoded word without a blank (a malformed header); logkit starts it with one.
        let m = mail(
            "App <app@example.test>",
            &[
                "Ops Team 0 <ops0@example.test>",
                "Ops Team 1 <ops1@example.test>",
                "Ops Team 2 <ops2@example.test>",
                "Ops Team 3 <ops3@example.test>",
                "Jöhn Smith <j@example.test>",
            ],
            "s",
            "b",
        );
        assert_eq!(
            m.text,
            "From: App <app@example.test>\r\n\
             To: Ops Team 0 <ops0@example.test>,Ops Team 1 <ops1@example.test>,Ops Team 2\r\n \
             <ops2@example.test>,Ops Team 3 <ops3@example.test>,\r\n \
             =?utf-8?q?J=C3=B6hn?= Smith <j@example.test>\r\n\
             Subject: s\r\n\
             Date: Thu, 03 Dec 2026 14:10:26 +0000\r\n\
             Content-Type: text/plain; charset=\"utf-8\"\r\n\
             Content-Transfer-Encoding: 7bit\r\n\
             MIME-Version: 1.0\r\n\
             \r\n\
             b\r\n"
        );
        assert_eq!(m.from, "app@example.test");
        assert_eq!(
            m.to,
            [
                "ops0@example.test",
                "ops1@example.test",
                "ops2@example.test",
                "ops3@example.test",
                "j@example.test"
            ]
        );
    }

    #[test]
    fn non_ascii_addresses_need_smtputf8() {
        // CPython: send_message to a server with SMTPUTF8 flattens with utf8=True (no encoded
        // words, no ">From" mangling) and adds SMTPUTF8 BODY=8BITMIME; without it, it raises
        // SMTPNotSupportedError.
        let to = ["Ops <ops@example.test>".to_owned()];
        let subject = "Grüße ".repeat(12);
        let server = Server {
            eight_bit_mime: true,
            smtputf8: true,
        };
        let m = build("Jöhn <jöhn@example.test>", &to, &subject, DATE, "é", server).unwrap();
        assert_eq!(
            m.text,
            "From: Jöhn <jöhn@example.test>\r\n\
             To: Ops <ops@example.test>\r\n\
             Subject:\r\n \
             Grüße Grüße Grüße Grüße Grüße Grüße Grüße Grüße Grüße Grüße Grüße Grüße \r\n\
             Date: Thu, 03 Dec 2026 14:10:26 +0000\r\n\
             Content-Type: text/plain; charset=\"utf-8\"\r\n\
             Content-Transfer-Encoding: 8bit\r\n\
             MIME-Version: 1.0\r\n\
             \r\n\
             é\r\n"
        );
        assert_eq!(m.options, " SMTPUTF8 BODY=8BITMIME");
        assert_eq!(
            (m.from.as_str(), m.to.as_slice()),
            ("jöhn@example.test", &["ops@example.test".to_owned()][..])
        );
        let server = Server {
            eight_bit_mime: true,
            smtputf8: false,
        };
        let err = build("jöhn@example.test", &to, "s", DATE, "b", server).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Unsupported);
    }

    #[test]
    fn line_breaks_in_headers_are_refused() {
        // CPython: m["Subject"] = "a\x0bb" raises ValueError (str.splitlines splits there).
        let to = ["b@x".to_owned()];
        for subject in ["a\u{b}b", "a\u{2028}b", "a\rb"] {
            let err = build("a@x", &to, subject, DATE, "b", Server::default()).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn dots_are_stuffed_on_the_final_text() {
        assert_eq!(dot_stuff(".a\r\nb\r\n..c\r\n"), "..a\r\nb\r\n...c\r\n");
        assert_eq!(dot_stuff("a.\r\n"), "a.\r\n");
    }
}
