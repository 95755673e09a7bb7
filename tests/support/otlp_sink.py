#!/usr/bin/env python3
"""An OTLP/HTTP logs receiver for logkit's OTLPHandler tests, decoding with the official
OpenTelemetry classes (PyPI `opentelemetry-proto`, `protobuf`).

    otlp_sink.py REQUESTS.jsonl PORT [--tls CERT KEY]

Accepts POST .../v1/logs with `application/x-protobuf` or `application/json` bodies
(Content-Length; `Content-Encoding: gzip` allowed) and decodes them as
`ExportLogsServiceRequest`. OTLP/JSON is checked beyond `json_format.Parse`: severityNumber
must be an integer (not an enum name), 64-bit integers (timeUnixNano,
observedTimeUnixNano, intValue) strings, traceId/spanId lowercase hex; unknown fields are
refused. Appends one JSON line per request: path, status answered, lower-cased headers,
`format` ("protobuf"/"json"), and `request`, the decoded message as
`json_format.MessageToDict` writes it (enums as integers; trace and span ids as hex). An
invalid body gets 400 with a google.rpc.Status message (and the line has `error`).

Knobs in the path, before /v1/logs:
  /status/NNN/v1/logs          always answers NNN (a Status body naming it)
  /fail/N/CODE/v1/logs         answers CODE for the first N requests to that path, then 200
  /fail/N/CODE/retry-after/S/v1/logs   the same, with `Retry-After: S`
  /partial/N/v1/logs           200 with partial_success: N rejected
"""
import base64
import gzip
import json
import re
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2

OUT = sys.argv[1]
PORT = int(sys.argv[2])
LOCK = threading.Lock()
FAILS = {}  # path -> requests answered so far


class Invalid(Exception):
    pass


def check_otlp_json(node, path="$"):
    """Raises Invalid where OTLP/JSON differs from proto3's JSON; converts hex ids to base64
    (what json_format expects for bytes)."""
    if isinstance(node, dict):
        for k, v in list(node.items()):
            here = f"{path}.{k}"
            if k == "severityNumber" and not isinstance(v, int):
                raise Invalid(f"{here}: must be an integer, not {v!r}")
            if k in ("timeUnixNano", "observedTimeUnixNano", "intValue") and not isinstance(v, str):
                raise Invalid(f"{here}: a 64-bit integer must be a string, not {v!r}")
            if k in ("traceId", "spanId"):
                want = 32 if k == "traceId" else 16
                if not (isinstance(v, str) and re.fullmatch(f"[0-9a-f]{{{want}}}", v)):
                    raise Invalid(f"{here}: must be {want} lowercase hex digits, not {v!r}")
                node[k] = base64.b64encode(bytes.fromhex(v)).decode()
                continue
            check_otlp_json(v, here)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check_otlp_json(v, f"{path}[{i}]")


def ids_as_hex(request):
    """MessageToDict writes bytes as base64; trace and span ids read better (and compare with
    what OTLP/JSON sends) as hex."""
    for rl in request.get("resourceLogs", []):
        for sl in rl.get("scopeLogs", []):
            for r in sl.get("logRecords", []):
                for k in ("traceId", "spanId"):
                    if k in r:
                        r[k] = base64.b64decode(r[k]).hex()


def status_body(code, message, json_wanted):
    if json_wanted:
        return json.dumps({"code": code, "message": message}).encode()
    # google.rpc.Status: code = 1 (varint), message = 2 (string); encoded by hand so that the
    # sink needs no googleapis package.
    msg = message.encode()

    def varint(n):
        out = b""
        while True:
            b = n & 0x7F
            n >>= 7
            if n:
                out += bytes([b | 0x80])
            else:
                return out + bytes([b])

    return b"\x08" + varint(code) + b"\x12" + varint(len(msg)) + msg


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, code, body, content_type, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(n) if n else b""
        ctype = (self.headers.get("content-type") or "").split(";")[0].strip().lower()
        json_wanted = ctype == "application/json"
        entry = {
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
        }
        status, extra, partial = 200, [], 0
        m = re.match(r"^/status/(\d{3})/", self.path)
        if m:
            status = int(m.group(1))
        m = re.match(r"^/fail/(\d+)/(\d{3})/(?:retry-after/(\d+)/)?", self.path)
        if m:
            with LOCK:
                seen = FAILS.get(self.path, 0)
                FAILS[self.path] = seen + 1
            if seen < int(m.group(1)):
                status = int(m.group(2))
                if m.group(3) is not None:
                    extra.append(("Retry-After", m.group(3)))
        m = re.match(r"^/partial/(\d+)/", self.path)
        if m:
            partial = int(m.group(1))
        try:
            if not self.path.endswith("/v1/logs"):
                raise Invalid(f"path {self.path} does not end with /v1/logs")
            body = raw
            if (self.headers.get("content-encoding") or "").lower() == "gzip":
                body = gzip.decompress(raw)
            elif self.headers.get("content-encoding"):
                raise Invalid("unknown content-encoding " + self.headers["content-encoding"])
            req = logs_service_pb2.ExportLogsServiceRequest()
            if ctype == "application/x-protobuf":
                req.ParseFromString(body)
                entry["format"] = "protobuf"
            elif json_wanted:
                doc = json.loads(body)
                check_otlp_json(doc)
                json_format.ParseDict(doc, req, ignore_unknown_fields=False)
                entry["format"] = "json"
            else:
                raise Invalid(f"unsupported content-type {ctype!r}")
            entry["request"] = json_format.MessageToDict(req, use_integers_for_enums=True)
            ids_as_hex(entry["request"])
        except Exception as e:  # noqa: BLE001 - any decoding failure is the client's
            entry["error"] = f"{type(e).__name__}: {e}"
            status = 400
        entry["status"] = status
        with LOCK, open(OUT, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
        if status != 200:
            message = entry.get("error") or f"status {status} requested by the test path"
            ct = "application/json" if json_wanted else "application/x-protobuf"
            self._send(status, status_body(status, message, json_wanted), ct, extra)
            return
        resp = logs_service_pb2.ExportLogsServiceResponse()
        if partial:
            resp.partial_success.rejected_log_records = partial
            resp.partial_success.error_message = f"{partial} records rejected by the test sink"
        if json_wanted:
            body = json.dumps(json_format.MessageToDict(resp)).encode()
            self._send(200, body, "application/json")
        else:
            self._send(200, resp.SerializeToString(), "application/x-protobuf")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    server = Server(("127.0.0.1", PORT), Handler)
    if "--tls" in sys.argv:
        i = sys.argv.index("--tls")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[i + 1], sys.argv[i + 2])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(f"otlp sink on {PORT}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
