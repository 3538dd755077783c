#!/usr/bin/env python3
"""Every route refuses a request that has no valid token.

    auth_check.py URL ROUTES_FILE BAD_HEADER...

ROUTES_FILE has one route per line: METHOD PATH BODY (BODY "-" for none). Each route is called
once without an Authorization header (must be 401 UNAUTHENTICATED) and once with each
BAD_HEADER as its Authorization header (must be 403 PERMISSION_DENIED), with a Databricks error
body (or, for HEAD, the X-Databricks-Reason-Phrase header). Prints each failure and a count;
exits 1 on any failure.
"""
import http.client
import json
import sys
import urllib.parse


def call(url, method, target, body, authorization):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    conn.request(method, target, body=None if body == "-" else body.encode(), headers=headers)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, response.getheader("X-Databricks-Reason-Phrase"), payload


def main(url, routes_file, bad_headers):
    failures, checked = 0, 0
    for line in open(routes_file):
        if not line.strip():
            continue
        method, target, body = line.rstrip("\n").split(" ", 2)
        for authorization in [None] + bad_headers:
            want, want_code = (401, "UNAUTHENTICATED") if authorization is None else (403, "PERMISSION_DENIED")
            status, phrase, payload = call(url, method, target, body, authorization)
            checked += 1
            problem = None
            if status != want:
                problem = f"HTTP {status}, expected {want}"
            elif method == "HEAD":
                if not phrase:
                    problem = "no X-Databricks-Reason-Phrase"
            else:
                try:
                    code = json.loads(payload).get("error_code")
                except ValueError:
                    code = None
                if code != want_code:
                    problem = f"error_code {code}, expected {want_code}"
            if problem:
                failures += 1
                shown = "none" if authorization is None else authorization[:30]
                print(f"FAIL {method} {target} with Authorization [{shown}]: {problem}: {payload[:200]!r}")
    print(f"{checked} requests without a valid token, {failures} let through or answered wrong", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
