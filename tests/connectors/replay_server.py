#!/usr/bin/env python3
"""Loopback HTTP(S) server for the connector tests.

It stands in for back ends that cannot be installed here (Elasticsearch/OpenSearch, Jaeger query,
Zipkin, Tempo): it replays real responses (../shared/data/api-samples) and recordings derived from
them (tests/connectors/recordings), and it misbehaves on request for the failure tests.

Usage: replay_server.py [--routes FILE] [--root DIR]... [--tls CERT KEY [--client-ca CA]] [--port N]
Binds 127.0.0.1 on a free port (or N), prints "PORT <n>" on stdout, serves until stdin closes or it is killed.

Routes file: JSON list of {"method": "GET", "path": "/api/traces", "query": {"service": "x"},
  "body_contains": "search_after", "file": "jaeger/x.json" | "files": [...] (served in turn, the last
  one repeats) | "body": "...", "status": 200, "content_type": "application/json",
  "wrap": "jaeger-data" | "jaeger-data-list" | "list" (puts the file in {"data": <file>}, {"data": [<file>]}
  or [<file>])}. The first matching route wins; files are
  looked up in each --root in turn.

Built-in endpoints (failure tests):
  /_test/status/<code>[?body=text]       answer that status
  /_test/retry/<key>?fails=N&after=S     429 with Retry-After: S for the first N calls per key, then 200
  /_test/unavailable/<key>?fails=N       503 without Retry-After for the first N calls, then 200
  /_test/slow?ms=N                       wait N ms before answering
  /_test/big?bytes=N                     N bytes of JSON-ish filler
  /_test/truncated                       promises 1000 bytes, sends 40, closes
  /_test/malformed                       200 with broken JSON
  /_test/echo                            the request as JSON (method, path, query, headers, body)
  /_test/requests                        every request seen so far (without /_test/ ones)
"""
import gzip
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTES = []
ROOTS = []
LOCK = threading.Lock()
COUNTERS = {}
SEQUENCE = {}
REQUESTS = []


def find_file(name):
    for root in ROOTS:
        p = os.path.join(root, name)
        if os.path.isfile(p):
            return p
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def send(self, status, body, content_type="application/json", headers=None):
        if isinstance(body, str):
            body = body.encode()
        if "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 64:
            body = gzip.compress(body)
            headers = dict(headers or {})
            headers["Content-Encoding"] = "gzip"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(n).decode("utf-8", "replace") if n else ""

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        body = self.read_body()
        if self.command == "POST" and self.headers.get("Content-Type", "").startswith(
                "application/x-www-form-urlencoded"):
            query.update(dict(urllib.parse.parse_qsl(body, keep_blank_values=True)))
        if url.path.startswith("/_test/"):
            return self.builtin(url.path, query, body)
        with LOCK:
            REQUESTS.append({"method": self.command, "path": url.path, "query": query, "body": body,
                             "headers": {k.lower(): v for k, v in self.headers.items()}})
        for i, r in enumerate(ROUTES):
            if r.get("method", "GET") != self.command:
                continue
            if r["path"] != url.path and not (r["path"].endswith("*") and url.path.startswith(r["path"][:-1])):
                continue
            if any(query.get(k) != v for k, v in r.get("query", {}).items()):
                continue
            if "body_contains" in r and r["body_contains"] not in body:
                continue
            if "body_lacks" in r and r["body_lacks"] in body:
                continue
            return self.serve_route(i, r)
        self.send(404, json.dumps({"error": "no replay route for %s %s" % (self.command, url.path)}))

    def serve_route(self, index, r):
        status = r.get("status", 200)
        ctype = r.get("content_type", "application/json")
        if "body" in r:
            return self.send(status, r["body"], ctype)
        files = r.get("files") or [r["file"]]
        with LOCK:
            n = SEQUENCE.get(index, 0)
            SEQUENCE[index] = n + 1
        name = files[min(n, len(files) - 1)]
        path = find_file(name)
        if path is None:
            return self.send(500, json.dumps({"error": "replay file missing: " + name}))
        with open(path, "rb") as f:
            data = f.read()
        if r.get("wrap") == "jaeger-data":
            data = b'{"data":' + data + b',"total":0,"limit":0,"offset":0,"errors":null}'
        elif r.get("wrap") == "jaeger-data-list":
            data = b'{"data":[' + data + b'],"total":0,"limit":0,"offset":0,"errors":null}'
        elif r.get("wrap") == "list":
            data = b"[" + data + b"]"
        self.send(status, data, ctype)

    def builtin(self, path, query, body):
        parts = path.split("/")[2:]
        kind = parts[0]
        if kind == "status":
            code = int(parts[1])
            return self.send(code, query.get("body", '{"error":"status %d"}' % code))
        if kind in ("retry", "unavailable"):
            key = kind + "/" + (parts[1] if len(parts) > 1 else "")
            with LOCK:
                COUNTERS[key] = COUNTERS.get(key, 0) + 1
                calls = COUNTERS[key]
            if calls <= int(query.get("fails", "1")):
                if kind == "retry":
                    return self.send(429, '{"error":"slow down"}', headers={"Retry-After": query.get("after", "1")})
                return self.send(503, '{"error":"unavailable"}')
            return self.send(200, json.dumps({"ok": True, "calls": calls}))
        if kind == "slow":
            time.sleep(int(query.get("ms", "1000")) / 1000.0)
            return self.send(200, '{"ok":true}')
        if kind == "big":
            n = int(query.get("bytes", "1000000"))
            return self.send(200, b'"' + b"x" * max(0, n - 2) + b'"')
        if kind == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"status":"success","data":{"resultType":')
            self.wfile.flush()
            self.close_connection = True
            return
        if kind == "malformed":
            return self.send(200, '{"status":"success","data":{"resultType":"matrix","result":[{]}}')
        if kind == "echo":
            return self.send(200, json.dumps({"method": self.command, "path": path, "query": query,
                                              "headers": {k.lower(): v for k, v in self.headers.items()},
                                              "body": body}))
        if kind == "requests":
            with LOCK:
                return self.send(200, json.dumps(REQUESTS))
        return self.send(404, '{"error":"unknown test endpoint"}')

    do_GET = handle_any
    do_POST = handle_any
    do_HEAD = handle_any
    do_DELETE = handle_any


def main(argv):
    tls = None
    client_ca = None
    port = 0
    i = 1
    while i < len(argv):
        if argv[i] == "--routes":
            with open(argv[i + 1]) as f:
                ROUTES.extend(json.load(f))
            i += 2
        elif argv[i] == "--root":
            ROOTS.append(argv[i + 1])
            i += 2
        elif argv[i] == "--tls":
            tls = (argv[i + 1], argv[i + 2])
            i += 3
        elif argv[i] == "--client-ca":
            client_ca = argv[i + 1]
            i += 2
        elif argv[i] == "--port":  # a fixed port: the live-mode tests restart a "dead" server on it
            port = int(argv[i + 1])
            i += 2
        else:
            print("unknown argument " + argv[i], file=sys.stderr)
            return 2
    class QuietServer(ThreadingHTTPServer):
        def handle_error(self, request, client_address):  # resets and TLS refusals are part of the tests
            pass

    QuietServer.allow_reuse_address = True
    server = QuietServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])
        if client_ca:  # mutual TLS: only clients with a certificate signed by this CA get in
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(client_ca)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("PORT %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Stop when the parent closes our stdin (or dies), so no server outlives its test.
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    os._exit(0)  # no graceful shutdown: serve_forever's 0.5 s poll would slow every test down


if __name__ == "__main__":
    sys.exit(main(sys.argv))
