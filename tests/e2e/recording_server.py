#!/usr/bin/env python3
"""A tiny Databricks stand-in on loopback for test_generated_commands.sh: it answers a few routes
with canned JSON (pages included) and appends every exchange it sees to RECORDS (JSON Lines, in
the format of docs/contract-check.md, plus "authorization"), so the suite can assert the method,
path, query and body that brix sent, and tests/contract/validate.py can check them.

    recording_server.py PORT_FILE RECORDS

Writes the port it listens on to PORT_FILE; runs until killed.
"""
import http.server
import json
import os
import sys
import urllib.parse

PORT_FILE, RECORDS = sys.argv[1], sys.argv[2]


def catalogs(query, body):
    token = query.get("page_token")
    if token is None:
        return 200, {"catalogs": [{"name": "main", "full_name": "main", "catalog_type": "MANAGED_CATALOG"},
                                  {"name": "dev", "full_name": "dev", "catalog_type": "MANAGED_CATALOG"}],
                     "next_page_token": "page-2"}
    if token == "page-2":
        return 200, {"catalogs": [{"name": "ml", "full_name": "ml", "catalog_type": "MANAGED_CATALOG"}]}
    return 400, {"error_code": "INVALID_PARAMETER_VALUE", "message": "unknown page token " + token}


def users(query, body):
    everyone = [{"id": str(i), "userName": "user%d@example.com" % i, "active": True} for i in range(1, 6)]
    start = int(query.get("startIndex", "1"))
    page = everyone[start - 1:start + 1]  # two a page
    return 200, {"totalResults": len(everyone), "startIndex": start, "itemsPerPage": len(page), "Resources": page}


def warehouses(query, body):
    # A broken server: the same next page token every time.
    return 200, {"warehouses": [{"id": "w1", "name": "small", "state": "RUNNING"}], "next_page_token": "again"}


def schema_created(query, body):
    return 200, {"name": body["name"], "catalog_name": body["catalog_name"],
                 "full_name": body["catalog_name"] + "." + body["name"], "comment": body.get("comment", "")}


def permissions(query, body):
    # The answer lists each principal with all its permissions (iam.AccessControlResponse).
    granted = [{"user_name": entry.get("user_name", ""),
                "all_permissions": [{"permission_level": entry.get("permission_level", ""), "inherited": False}]}
               for entry in (body or {}).get("access_control_list", [])]
    return 200, {"object_id": "/jobs/5", "object_type": "job", "access_control_list": granted}


def empty(query, body):
    return 200, {}


ROUTES = {
    ("GET", "/api/2.1/unity-catalog/catalogs"): catalogs,
    ("DELETE", "/api/2.1/unity-catalog/catalogs/main"): empty,
    ("POST", "/api/2.1/unity-catalog/schemas"): schema_created,
    ("GET", "/api/2.0/preview/scim/v2/Users"): users,
    ("GET", "/api/2.0/sql/warehouses"): warehouses,
    ("PUT", "/api/2.0/permissions/jobs/5"): permissions,
    ("GET", "/api/2.0/permissions/jobs/5"): permissions,
    ("POST", "/api/2.0/libraries/install"): empty,
}


class Handler(http.server.BaseHTTPRequestHandler):
    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        pairs = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        query = {}
        for key, value in pairs:
            query[key] = value if key not in query else (query[key] if isinstance(query[key], list) else [query[key]]) + [value]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        route = ROUTES.get((self.command, path))
        if route is None:
            status, answer = 404, {"error_code": "ENDPOINT_NOT_FOUND", "message": "No API found for '%s %s'" % (self.command, path)}
        else:
            status, answer = route({k: (v[-1] if isinstance(v, list) else v) for k, v in query.items()}, body)
        record = {"method": self.command, "path": path, "query": query, "user_agent": self.headers.get("User-Agent", ""),
                  "authorization": self.headers.get("Authorization", ""),
                  "content_type": self.headers.get("Content-Type", ""), "body": body, "status": status,
                  "response_content_type": "application/json", "response": answer}
        with open(RECORDS, "a", encoding="utf-8") as records:
            records.write(json.dumps(record) + "\n")
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as port_file:
    port_file.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
