#!/usr/bin/env python3
"""A small HTTP server that injects faults, for testing the object-store HTTP transport.

Two ways to get responses:
  --upstream http://127.0.0.1:PORT   reverse proxy: forwards each request to that loopback origin
  --serve-bytes N                    its own origin (see OriginResponder below)

and a fault plan applied to every request before (or while) answering it:
  --plan '{"seed": 7, "rules": [{"requests": [1, 2], "fault": "status", "status": 503}, ...]}'

A rule matches by request number (1-based, counted over the server's life, /__stats excluded)
with "requests": [...], or by chance with "probability": p (seeded, so runs repeat), optionally
restricted to paths starting with "path_prefix". The first matching rule wins. Faults:
  status          answer "status" (default 500) with a short XML error body
  slowdown        answer 503 with S3's SlowDown error body
  reset_before    read the request, then reset the connection (RST) without answering
  close_before    read the request, then close the connection (FIN) without answering
  delay           wait "ms" milliseconds, then answer normally
  reset_mid       send the head and "bytes" body bytes (default half), then reset the connection
  truncate        send the head and "bytes" body bytes (default half), then close cleanly
  stall           send the head and "bytes" body bytes (default 0), then send nothing more
                  until the client goes away (at most 120 s)

GET /__stats answers {"connections": C, "requests": R} (TCP connections accepted, requests
counted for the plan). The server prints "READY <port>" once listening and serves until killed
(or, with --exit-on-stdin-eof, until its standard input closes).
Safety: it listens on 127.0.0.1 only and only ever connects to the one loopback upstream given.
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The deterministic object served with --serve-bytes: byte i is PATTERN[i % len(PATTERN)]. The
# period is a prime so misplaced power-of-two-sized chunks never line up by accident.
PATTERN_PERIOD = 65521
PATTERN = bytes(((j * 31) + (j // 251)) & 0xFF for j in range(PATTERN_PERIOD))
DOUBLE_PATTERN = PATTERN + PATTERN

SLOWDOWN_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
    b"<Message>Please reduce your request rate.</Message></Error>"
)
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade"}
STALL_LIMIT_SECONDS = 120


def pattern_bytes(start, end):
    """Bytes [start, end) of the deterministic object, built from slices (fast for large ranges)."""
    parts = []
    position = start
    while position < end:
        offset = position % PATTERN_PERIOD
        take = min(end - position, PATTERN_PERIOD)
        parts.append(DOUBLE_PATTERN[offset:offset + take])
        position += take
    return b"".join(parts)


def parse_range(header, size):
    """(start, end_exclusive) for a single "bytes=" range, None without header, "invalid" if bad."""
    if not header:
        return None
    if not header.startswith("bytes=") or "," in header:
        return "invalid"
    first, _, last = header[len("bytes="):].partition("-")
    try:
        if first == "":
            length = int(last)
            return (max(0, size - length), size) if length > 0 else "invalid"
        start = int(first)
        end = size if last == "" else min(int(last) + 1, size)
    except ValueError:
        return "invalid"
    return (start, end) if start < size and start < end else "invalid"


class Plan:
    def __init__(self, text):
        spec = json.loads(text) if text else {}
        self.rules = spec.get("rules", [])
        self.random = random.Random(spec.get("seed", 0))
        self.lock = threading.Lock()
        self.requests = 0
        self.connections = 0

    def count_connection(self):
        with self.lock:
            self.connections += 1

    def next_fault(self, path):
        """Counts one request and returns the rule that applies to it (or None)."""
        with self.lock:
            self.requests += 1
            number = self.requests
            for rule in self.rules:
                if not path.startswith(rule.get("path_prefix", "")):
                    continue
                if number in rule.get("requests", []):
                    return rule
                if "probability" in rule and self.random.random() < rule["probability"]:
                    return rule
            return None

    def stats(self):
        with self.lock:
            return {"connections": self.connections, "requests": self.requests}


class Response:
    """A status, headers in order, and the body as an iterator of byte strings."""

    def __init__(self, status, headers, chunks, length):
        self.status = status
        self.headers = headers
        self.chunks = chunks
        self.length = length


class OriginResponder:
    """--serve-bytes N: GET/HEAD any path: N pattern bytes (Range honoured); /echo (any method):
    the request as JSON; PUT/POST: the body's SHA-256 in X-Body-SHA256; DELETE: 204."""

    def __init__(self, size):
        self.size = size

    def discard(self):
        pass

    def respond(self, method, path, headers, body):
        if path.split("?")[0] == "/echo":
            document = {
                "method": method,
                "path": path,
                "headers": [[name, value] for name, value in headers],
                "body_sha256": hashlib.sha256(body).hexdigest(),
                "body_length": len(body),
            }
            data = json.dumps(document).encode()
            return Response(200, [("Content-Type", "application/json")], iter([data]), len(data))
        if method in ("PUT", "POST"):
            digest = hashlib.sha256(body).hexdigest()
            return Response(200, [("X-Body-SHA256", digest), ("X-Body-Length", str(len(body)))], iter([]), 0)
        if method == "DELETE":
            return Response(204, [], iter([]), 0)
        if method not in ("GET", "HEAD"):
            return Response(405, [], iter([]), 0)
        requested = parse_range(dict((k.lower(), v) for k, v in headers).get("range"), self.size)
        if requested == "invalid":
            return Response(416, [("Content-Range", "bytes */%d" % self.size)], iter([]), 0)
        start, end = requested if requested else (0, self.size)
        head = [("Content-Type", "application/octet-stream"), ("ETag", '"pattern-%d"' % self.size)]
        status = 200
        if requested:
            status = 206
            head.append(("Content-Range", "bytes %d-%d/%d" % (start, end - 1, self.size)))
        chunks = iter([]) if method == "HEAD" else self.chunks(start, end)
        return Response(status, head, chunks, end - start)

    @staticmethod
    def chunks(start, end, step=256 * 1024):
        for position in range(start, end, step):
            yield pattern_bytes(position, min(end, position + step))


class UpstreamResponder:
    """--upstream URL: forwards the request over one kept-alive connection per client connection."""

    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme != "http" or parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--upstream must be http:// on the loopback interface")
        self.host = parsed.hostname
        self.port = parsed.port or 80
        self.local = threading.local()

    def discard(self):
        connection = getattr(self.local, "connection", None)
        if connection is not None:
            connection.close()
        self.local.connection = None

    def respond(self, method, path, headers, body):
        try:
            return self.forward(method, path, headers, body)
        except (OSError, http.client.HTTPException) as error:
            self.discard()
            data = ("upstream failed: %s" % error).encode()
            return Response(502, [("Content-Type", "text/plain")], iter([data]), len(data))

    def forward(self, method, path, headers, body):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.local.connection = connection
        forwarded = {}
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                forwarded[name] = value
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in forwarded.items():
            connection.putheader(name, value)
        connection.endheaders(body if body else None)
        upstream = connection.getresponse()
        response_headers = [(k, v) for k, v in upstream.getheaders() if k.lower() not in HOP_BY_HOP]
        length = upstream.length if upstream.length is not None else 0
        if method == "HEAD":
            # http.client reports no body for HEAD; the object's size is in the header and a
            # HEAD answer must carry it unchanged.
            length = int(upstream.getheader("Content-Length") or 0)
        response_headers = [(k, v) for k, v in response_headers if k.lower() != "content-length"]

        def chunks():
            while True:
                data = upstream.read(256 * 1024)
                if not data:
                    break
                yield data

        return Response(upstream.status, response_headers, chunks(), length)


class Aborted(Exception):
    """The fault already ended the exchange; nothing more is written."""


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-proxy/1"

    def setup(self):
        super().setup()
        self.server.plan.count_connection()

    def log_message(self, format, *args):  # quiet: tests read stdout for READY only
        pass

    def do_request(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__stats":
            data = json.dumps(self.server.plan.stats()).encode()
            self.send_plain(200, [("Content-Type", "application/json")], data)
            return
        fault = self.server.plan.next_fault(self.path) or {}
        kind = fault.get("fault")
        try:
            if kind == "status":
                status = int(fault.get("status", 500))
                data = b"<Error><Code>Injected</Code><Message>injected %d</Message></Error>" % status
                self.send_plain(status, [("Content-Type", "application/xml")], data)
                return
            if kind == "slowdown":
                self.send_plain(503, [("Content-Type", "application/xml")], SLOWDOWN_BODY)
                return
            if kind == "reset_before":
                self.reset()
            if kind == "close_before":
                self.close_quietly()
            if kind == "delay":
                time.sleep(float(fault.get("ms", 0)) / 1000.0)
            response = self.server.responder.respond(self.command, self.path, list(self.headers.items()), body)
            self.send_answer(response, fault if kind in ("reset_mid", "truncate", "stall") else None)
        except Aborted:
            self.close_connection = True

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_request

    def send_plain(self, status, headers, data):
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_answer(self, response, fault):
        self.send_response_only(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(response.length))
        self.end_headers()
        if fault is None:
            try:
                for chunk in response.chunks:
                    self.wfile.write(chunk)
            except (OSError, http.client.HTTPException):
                # The upstream broke off mid-body: pass the break on rather than hang the client.
                self.server.responder.discard()
                self.reset()
            return
        limit = int(fault.get("bytes", response.length // 2 if fault["fault"] != "stall" else 0))
        sent = 0
        for chunk in response.chunks:
            if sent >= limit:
                break
            piece = chunk[: limit - sent]
            self.wfile.write(piece)
            sent += len(piece)
        if fault["fault"] == "reset_mid":
            self.reset()
        if fault["fault"] == "truncate":
            self.close_quietly()
        self.stall()

    def stall(self):
        """Sends nothing until the client closes its end (or the bound passes)."""
        self.connection.settimeout(STALL_LIMIT_SECONDS)
        try:
            while self.connection.recv(65536):
                pass
        except OSError:
            pass
        raise Aborted()

    def reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        raise Aborted()

    def close_quietly(self):
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.connection.close()
        raise Aborted()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # Clients that give up (timeouts, cancelled streams) are expected; anything else is shown.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen-port", type=int, default=0, help="0 picks a free port")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--upstream", help="http://127.0.0.1:PORT to forward to")
    source.add_argument("--serve-bytes", type=int, help="act as the origin of an object of N bytes")
    parser.add_argument("--plan", default="", help="JSON fault plan (see above)")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="exit when standard input closes (the test process that started us is gone)")
    arguments = parser.parse_args()

    # A parent may start us with SIGTERM blocked (Swift's test runner does, and children inherit
    # the mask): without this, terminating the server would silently do nothing.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if arguments.exit_on_stdin_eof:
        def watch_parent():
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=watch_parent, daemon=True).start()

    server = Server(("127.0.0.1", arguments.listen_port), FaultHandler)
    server.plan = Plan(arguments.plan)
    if arguments.upstream:
        server.responder = UpstreamResponder(arguments.upstream)
    else:
        server.responder = OriginResponder(arguments.serve_bytes)
    print("READY %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
