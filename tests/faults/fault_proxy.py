#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for brix's retry tests.

Forwards every request to UPSTREAM, except that the first requests matching a rule get a fault
instead. Rules come from a JSON file re-read on every request, so a test changes them between
commands: [{"path": "/api/2.2/jobs/run-now", "fault": "drop_after_forward", "times": 1}, ...].

Faults: "429" (with Retry-After: 1), "503", "drop" (close without answering), "drop_after_forward"
(the upstream handles the request, the client never hears back), "stall" (sleep `seconds`, then
forward). Every request is logged as a JSON line: {"method", "path", "fault"}.
"""
import http.client
import http.server
import json
import socketserver
import sys
import threading
import time
import urllib.parse

UPSTREAM, RULES_FILE, LOG_FILE = sys.argv[1], sys.argv[2], sys.argv[3]
upstream = urllib.parse.urlsplit(UPSTREAM)
lock = threading.Lock()
used = {}


def pick_fault(path):
    with lock:
        try:
            with open(RULES_FILE) as f:
                rules = json.load(f)
        except (OSError, ValueError):
            rules = []
        for index, rule in enumerate(rules):
            if path.startswith(rule.get("path", "")):
                key = json.dumps(rule, sort_keys=True) + str(index)
                if used.get(key, 0) < rule.get("times", 1):
                    used[key] = used.get(key, 0) + 1
                    return rule
    return None


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(self.path).path
        rule = pick_fault(path)
        fault = rule["fault"] if rule else None
        with lock, open(LOG_FILE, "a") as log:
            log.write(json.dumps({"method": self.command, "path": path, "fault": fault}) + "\n")
        if fault in ("429", "503"):
            payload = json.dumps({"error_code": "REQUEST_LIMIT_EXCEEDED" if fault == "429" else "TEMPORARILY_UNAVAILABLE",
                                  "message": "injected " + fault}).encode()
            self.send_response(int(fault))
            if fault == "429":
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault == "stall":
            time.sleep(rule.get("seconds", 5))
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        connection.request(self.command, self.path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        if fault == "drop_after_forward":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_safely(self):
        try:
            self.handle_any()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up on a stalled answer: expected

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_safely


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Proxy)
print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
