#!/usr/bin/env python3
"""A scripted HTTP server on loopback that records every request brix sends, byte for byte.

    wire_server.py RULES.json RECORD.jsonl      (prints its URL, then serves until killed)

RULES.json, re-read on every request, is a list of {"method", "path", "answers": [...]}; the
n-th request matching a rule gets its n-th answer, the last one repeating (counted afresh when
the file changes). An answer is
{"status": 200, "body": <JSON>, "headers": {...}, "raw": "<text>"} ("raw" instead of "body"
for non-JSON answers). A request no rule matches gets 200 {}.

Each request is appended to RECORD.jsonl in the contract check's record format
(docs/contract-check.md: method, path, query, user_agent, content_type, body, status,
response_content_type, response), plus what the wire test asserts exactly: "raw_query" (the
query string as sent), "headers" (name -> value, names lower-cased) and "body_text" (the
request body as latin-1 text).
"""
import http.server
import json
import socketserver
import sys
import threading
import urllib.parse

RULES_FILE, RECORD_FILE = sys.argv[1], sys.argv[2]
lock = threading.Lock()
served = {}


def answer_for(method, path):
    with open(RULES_FILE) as f:
        text = f.read()
    rules = json.loads(text)
    for index, rule in enumerate(rules):
        if rule.get("method", method) == method and rule["path"] == path:
            key = (text, index)  # new rules count from their first answer again
            count = served.get(key, 0)
            served[key] = count + 1
            answers = rule["answers"]
            return answers[min(count, len(answers) - 1)]
    return {"status": 200, "body": {}}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        query = {}
        for key, value in urllib.parse.parse_qsl(url.query, keep_blank_values=True):
            if key not in query:
                query[key] = value
            else:
                query[key] = (query[key] if isinstance(query[key], list) else [query[key]]) + [value]
        content_type = self.headers.get("Content-Type", "")
        try:
            parsed = json.loads(body) if body and "json" in content_type else None
        except ValueError:
            parsed = None
        with lock:
            answer = answer_for(self.command, path)
            status = answer.get("status", 200)
            if "raw" in answer:
                payload, answer_type, response = answer["raw"].encode(), "application/octet-stream", None
            else:
                response = answer.get("body", {})
                payload, answer_type = json.dumps(response).encode(), "application/json"
            record = {"method": self.command, "path": path, "query": query,
                      "user_agent": self.headers.get("User-Agent", ""), "content_type": content_type,
                      "body": parsed, "status": status, "response_content_type": answer_type, "response": response,
                      "raw_query": url.query, "headers": {k.lower(): v for k, v in self.headers.items()},
                      "body_text": body.decode("latin-1")}
            with open(RECORD_FILE, "a") as log:
                log.write(json.dumps(record) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", answer_type)
        for key, value in answer.get("headers", {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
