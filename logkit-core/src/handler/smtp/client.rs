//! A minimal SMTP client over `TcpStream` (RFC 5321): EHLO, STARTTLS (RFC 3207, with the `tls`
//! feature), AUTH PLAIN or LOGIN, MAIL, RCPT, DATA, QUIT — every reply awaited within one
//! deadline.

use std::io;
use std::net::SocketAddr;

use super::message::Mail;
use crate::handler::net::{self, Conn, Deadline, TlsConfig, base64};

/// One SMTP session.
pub(crate) struct Session {
    conn: Conn,
    /// Bytes read but not yet consumed as reply lines.
    pending: Vec<u8>,
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
        let mut s = Session {
            conn: Conn::Plain(stream),
            pending: Vec::new(),
            deadline,
            extensions: Vec::new(),
        };
        s.expect(&[220], "greeting")?;
        s.ehlo()?;
        Ok(s)
    }

    fn ehlo(&mut self) -> io::Result<()> {
        let ehlo = self.command(&format!("ehlo {}", net::hostname()), &[250], "EHLO")?;
        self.extensions = ehlo
            .lines
            .iter()
            .skip(1)
            .map(|l| l.to_ascii_uppercase())
            .collect();
        Ok(())
    }

    /// STARTTLS, the handshake (verifying the server as `server_name`), and EHLO again.
    pub(crate) fn start_tls(&mut self, config: &TlsConfig, server_name: &str) -> io::Result<()> {
        if !self.has("STARTTLS") {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the SMTP server does not offer STARTTLS",
            ));
        }
        self.command("STARTTLS", &[220], "STARTTLS")?;
        self.pending.clear();
        self.conn.start_tls(config, server_name, &self.deadline)?;
        self.ehlo()
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

    /// Sends one message: MAIL (with its options), RCPT for each recipient, DATA.
    pub(crate) fn send(&mut self, mail: &Mail) -> io::Result<()> {
        self.command(
            &format!("mail FROM:<{}>{}", mail.from, mail.options),
            &[250],
            "MAIL FROM",
        )?;
        for rcpt in &mail.to {
            self.command(&format!("rcpt TO:<{rcpt}>"), &[250, 251], "RCPT TO")?;
        }
        self.command("data", &[354], "DATA")?;
        self.write(mail.text.as_bytes())?;
        self.command(".", &[250], "the end of DATA")?;
        Ok(())
    }

    /// Says QUIT (a failure here is ignored: the message was accepted).
    pub(crate) fn quit(mut self) {
        let _ = self.command("quit", &[221], "QUIT");
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.conn
            .write_all(bytes, &self.deadline, "sending to the SMTP server")
    }

    /// The next line, without its line end.
    fn read_line(&mut self, what: &str) -> io::Result<String> {
        loop {
            if let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=end).collect();
                let text = String::from_utf8_lossy(&line);
                return Ok(text.trim_end_matches(['\r', '\n']).to_owned());
            }
            if self.pending.len() > 64 * 1024 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "SMTP reply line too long",
                ));
            }
            let mut chunk = [0u8; 1024];
            match self.conn.read(&mut chunk, &self.deadline, what)? {
                0 => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("the SMTP server closed the connection ({what})"),
                    ));
                }
                n => self.pending.extend_from_slice(&chunk[..n]),
            }
        }
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
            let line = self.read_line(&wait)?;
            let (code, text, more) = reply_line(&line)?;
            if lines.len() >= MAX_REPLY_LINES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("an SMTP reply of more than {MAX_REPLY_LINES} lines ({what})"),
                ));
            }
            lines.push(text.to_owned());
            if !more {
                return Ok(Reply { code, lines });
            }
        }
    }
}

/// The most lines a reply may have (EHLO's list of extensions is the longest in practice,
/// a few dozen).
const MAX_REPLY_LINES: usize = 1000;

/// One line of a reply: its code, its text, and whether more lines follow (`250-text`).
///
/// # Errors
///
/// A line that does not start with a three-digit code.
pub(crate) fn reply_line(line: &str) -> io::Result<(u16, &str, bool)> {
    let code = line
        .get(..3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not an SMTP reply: {line:?}"),
            )
        })?;
    let more = line.as_bytes().get(3) == Some(&b'-');
    Ok((code, line.get(4..).unwrap_or(""), more))
}
