"""A Python log receiver, as the logging cookbook's socket server: records that a
SocketHandler (TCP or a unix stream socket) or a DatagramHandler (UDP) pickled, unpickled
and remade with logging.makeLogRecord, then written one JSON line each to OUT: the
record's __dict__, the keys the sender pickled, and the record as a Formatter prints it.

    python3 log_receiver.py tcp|udp PORT OUT      (PORT 0: any; prints "ready PORT")
    python3 log_receiver.py unix PATH OUT         (prints "ready PATH")
"""
import json
import logging
import os
import pickle
import socket
import socketserver
import struct
import sys
import threading

FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s [%(filename)s:%(lineno)d %(funcName)s]"
lock = threading.Lock()


def write(out, data):
    obj = pickle.loads(data)
    record = logging.makeLogRecord(obj)
    line = dict(record.__dict__)
    line["pickled_keys"] = list(obj.keys())
    line["formatted"] = logging.Formatter(FORMAT).format(record)
    with lock, open(out, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, default=repr) + "\n")


def recv_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


class StreamHandler(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            head = recv_exactly(self.request, 4)
            if head is None:
                return
            data = recv_exactly(self.request, struct.unpack(">L", head)[0])
            if data is None:
                return
            write(self.server.out, data)


class TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


def main():
    mode, where, out = sys.argv[1:4]
    if mode == "udp":
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", int(where)))
        print("ready", sock.getsockname()[1], flush=True)
        while True:
            data, _ = sock.recvfrom(65536)
            (length,) = struct.unpack(">L", data[:4])
            assert length == len(data) - 4, (length, len(data))
            write(out, data[4:])
    if mode == "unix":
        if os.path.exists(where):
            os.unlink(where)
        server = UnixServer(where, StreamHandler)
        print("ready", where, flush=True)
    else:
        server = TCPServer(("127.0.0.1", int(where)), StreamHandler)
        print("ready", server.server_address[1], flush=True)
    server.out = out
    server.serve_forever()


main()
