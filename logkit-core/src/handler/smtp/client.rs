//! A minimal SMTP client over `TcpStream` (RFC 5321): EHLO, AUTH PLAIN or LOGIN, MAIL, RCPT,
//! DATA, QUIT — every reply awaited within one deadline.

use std::io::{self, BufRead as _, BufReader};
use std::net::{SocketAddr, TcpStream};

use crate::handler::net::{self, Deadline, base64};

/// One SMTP session.
pub(crate) struct Session {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
    deadline: Deadline,
    /// The EHLO reply's extension lines, upper-cased (`8BITMIME`, `AUTH LOGIN PLAIN`, …).
    pub(crate) extensions: Vec<String>,
}

/// A reply: the code and the text of every line.
pub(crate) struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    fn text(&self) -> String {
        format!("{} {}", self.code, self.lines.join(" / "))
    }
}

impl Session {
    /// Connects, reads the greeting and says EHLO.
    pub(crate) fn open(addrs: &[SocketAddr], deadline: Deadline) -> io::Result<Session> {
        let stream = net::connect(addrs, &deadline)?;
        let reader = BufReader::new(stream.try_clone()?);
        let mut s = Session {
            stream,
            reader,
            deadline,
            extensions: Vec::new(),
        };
        s.expect(&[220], "greeting")?;
        let ehlo = s.command(&format!("ehlo {}", net::hostname()), &[250], "EHLO")?;
        s.extensions = ehlo
            .lines
            .iter()
            .skip(1)
            .map(|l| l.to_ascii_uppercase())
            .collect();
        Ok(s)
    }

    /// Whether the server announced the extension `name` (the first word of a line).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.extensions
            .iter()
            .any(|l| l.split_whitespace().next() == Some(name))
    }

    /// Logs in with PLAIN, or LOGIN if only that is offered.
    pub(crate) fn login(&mut self, user: &str, password: &str) -> io::Result<()> {
        let mechanisms: Vec<String> = self
            .extensions
            .iter()
            .filter_map(|l| l.strip_prefix("AUTH").map(str::to_owned))
            .flat_map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        if mechanisms.iter().any(|m| m == "PLAIN") {
            let token = base64(format!("\0{user}\0{password}").as_bytes());
            self.command(&format!("AUTH PLAIN {token}"), &[235], "AUTH PLAIN")?;
        } else if mechanisms.iter().any(|m| m == "LOGIN") {
            self.command("AUTH LOGIN", &[334], "AUTH LOGIN")?;
            self.command(&base64(user.as_bytes()), &[334], "AUTH LOGIN (user)")?;
            self.command(
                &base64(password.as_bytes()),
                &[235],
                "AUTH LOGIN (password)",
            )?;
        } else {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!(
                    "the SMTP server offers no login method logkit supports (PLAIN, LOGIN); it \
                     offers: {}",
                    if mechanisms.is_empty() {
                        "none".to_owned()
                    } else {
                        mechanisms.join(" ")
                    }
                ),
            ));
        }
        Ok(())
    }

    /// Sends one message: MAIL, RCPT for each recipient, DATA.
    pub(crate) fn send(
        &mut self,
        from: &str,
        to: &[String],
        message: &str,
        eight_bit: bool,
    ) -> io::Result<()> {
        let body = if eight_bit { " BODY=8BITMIME" } else { "" };
        self.command(&format!("mail FROM:<{from}>{body}"), &[250], "MAIL FROM")?;
        for rcpt in to {
            self.command(&format!("rcpt TO:<{rcpt}>"), &[250, 251], "RCPT TO")?;
        }
        self.command("data", &[354], "DATA")?;
        self.write(message.as_bytes())?;
        self.command(".", &[250], "the end of DATA")?;
        Ok(())
    }

    /// Says QUIT (a failure here is ignored: the message was accepted).
    pub(crate) fn quit(mut self) {
        let _ = self.command("quit", &[221], "QUIT");
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let s: &TcpStream = &self.stream;
        net::write_all_within(
            &mut { s },
            &|d| s.set_write_timeout(Some(d)),
            bytes,
            &self.deadline,
            "sending to the SMTP server",
        )
    }

    fn command(&mut self, line: &str, ok: &[u16], what: &str) -> io::Result<Reply> {
        let mut bytes = String::with_capacity(line.len() + 2);
        bytes.push_str(line);
        bytes.push_str("\r\n");
        self.write(bytes.as_bytes())?;
        self.expect(ok, what)
    }

    fn expect(&mut self, ok: &[u16], what: &str) -> io::Result<Reply> {
        let reply = self.read_reply(what)?;
        if ok.contains(&reply.code) {
            Ok(reply)
        } else {
            Err(io::Error::other(format!(
                "the SMTP server refused {what}: {}",
                reply.text()
            )))
        }
    }

    /// Reads a reply: `250-first`, `250-…`, `250 last`.
    fn read_reply(&mut self, what: &str) -> io::Result<Reply> {
        let wait = format!("waiting for the SMTP server's reply to {what}");
        let mut lines = Vec::new();
        loop {
            self.stream
                .set_read_timeout(Some(self.deadline.remaining(&wait)?))?;
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("the SMTP server closed the connection ({wait})"),
                    ));
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.deadline.map(e, &wait)),
            }
            let line = line.trim_end_matches(['\r', '\n']);
            let code = line
                .get(..3)
                .and_then(|c| c.parse::<u16>().ok())
                .ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("not an SMTP reply: {line:?}"),
                    )
                })?;
            lines.push(line.get(4..).unwrap_or("").to_owned());
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(Reply { code, lines });
            }
        }
    }
}
