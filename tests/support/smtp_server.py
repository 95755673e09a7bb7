#!/usr/bin/env python3
"""An SMTP server with AUTH (LOGIN, PLAIN) and optional STARTTLS, for logkit's SMTPHandler
tests. Needs Debian's python3-aiosmtpd: run it with /usr/bin/python3.

    smtp_server.py MAILDIR PORT [--auth USER:PASSWORD] [--tls CERT KEY]

Each message is saved in MAILDIR (Maildir layout, new/) with X-Peer, X-MailFrom and X-RcptTo
headers added. AUTH is allowed without TLS, so plain-text credentials can be tested on
loopback.
"""
import argparse
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult

p = argparse.ArgumentParser()
p.add_argument("maildir")
p.add_argument("port", type=int)
p.add_argument("--auth")
p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
a = p.parse_args()

kwargs = {}
if a.auth:
    user, password = a.auth.split(":", 1)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        # handled=False makes the server answer 535 on failure (True would send nothing).
        return AuthResult(success=ok, handled=False)

    kwargs.update(authenticator=authenticator, auth_require_tls=False, auth_required=True)
if a.tls:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.tls[0], a.tls[1])
    kwargs.update(tls_context=ctx, require_starttls=False)

controller = Controller(Mailbox(a.maildir), hostname="127.0.0.1", port=a.port, **kwargs)
controller.start()
print(f"smtp listening on {a.port}", flush=True)
signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
signal.pause()
