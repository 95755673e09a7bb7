#!/usr/bin/env python3
"""An HTTP/1.1 receiver for logkit's HTTPHandler tests (stdlib only).

    http_sink.py REQUESTS.jsonl PORT [--tls CERT KEY]

Appends one JSON line per request: method, path, query, lower-cased headers, the client's
port (`peer_port`: the same for requests over one connection), and the body as UTF-8 text
(`body`) or base64 (`body_b64`). Reads Content-Length and chunked bodies.
Knobs in the path: `/status/NNN/...` answers with that status; `/delay/MS/...` records the
request, then waits MS milliseconds before answering (for timeout tests). With `--tls`, it
serves https with that certificate chain and key.
"""
import base64
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

OUT = sys.argv[1]
PORT = int(sys.argv[2])
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _body(self):
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("content-length") or 0)
        return self.rfile.read(n) if n else b""

    def _any(self):
        body = self._body()
        parts = urlsplit(self.path)
        entry = {
            "method": self.command,
            "path": parts.path,
            "query": parts.query,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "peer_port": self.client_address[1],
        }
        try:
            entry["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            entry["body_b64"] = base64.b64encode(body).decode("ascii")
        with LOCK, open(OUT, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        status = 200
        segs = parts.path.split("/")
        if len(segs) > 2 and segs[1] == "status":
            status = int(segs[2])
        if len(segs) > 2 and segs[1] == "delay":
            time.sleep(int(segs[2]) / 1000)
        reply = b'{"ok":true}'
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = _any


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
if len(sys.argv) > 3 and sys.argv[3] == "--tls":
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(sys.argv[4], sys.argv[5])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
print(f"http sink on {PORT}", flush=True)
server.serve_forever()
