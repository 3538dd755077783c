#!/usr/bin/env python3
"""Runs the bad-input corpus (bad_input_cases.tsv) against `brix serve`.

    rest_cases.py URL TOKEN ROOT CASES.tsv

Each line of the corpus is one request, tab-separated:

    name    METHOD    /path?query    body    status    error_code

and the request must get exactly that HTTP status, a Databricks error body
({"error_code": ..., "message": ...}, JSON) with that error_code, and leave the engine root as
it was: the SQLite dump of brix.db and the names, sizes and hashes of every file under the root
(run folders and the temporary folder included) are compared before and after each request.

Body forms (so that huge and binary bodies stay readable in the corpus):
    -                       no body
    {...} or any text       sent as is (UTF-8)
    esc:TEXT                Python escapes decoded first, for invalid UTF-8: esc:{"path": "/a\\xffb"}
    deep:OPEN:CLOSE:N       OPEN repeated N times, then CLOSE repeated N times (CLOSE may be empty)
    deepin:TEXT<<N>>TEXT    "[" * N + "]" * N in place of <<N>>: a deep value inside a valid object
    big:TEXT<<N>>TEXT       "x" * N in place of <<N>>
    b64:TEXT<<N>>TEXT       base64 of N zero bytes in place of <<N>>
    escbig:TEXT<<N>>TEXT    " " * N in place of <<N>>, Python escapes decoded: a large body with invalid UTF-8
{{NAME}} anywhere in a path or body is replaced by the
environment variable CASE_NAME (IDs of objects the suite created). Lines starting with # are comments.
With --print, the answers are printed instead of checked (to write new cases).
Prints one line per failed case and a summary; exits 1 if any case failed.
"""
import base64
import codecs
import hashlib
import http.client
import json
import os
import re
import sqlite3
import sys
import urllib.parse


def body_bytes(spec):
    if spec == "-":
        return None
    if spec.startswith("esc:"):
        return codecs.escape_decode(spec[4:].encode())[0]
    kind, _, rest = spec.partition(":")
    if kind == "deep":
        open_, close, count = rest.rsplit(":", 2)
        return (open_ * int(count) + close * int(count)).encode()
    if kind in ("deepin", "big", "b64", "escbig"):
        match = re.fullmatch(r"(.*)<<(\d+)>>(.*)", rest, re.S)
        prefix, count, suffix = match.group(1), int(match.group(2)), match.group(3)
        if kind == "escbig":
            return codecs.escape_decode(prefix.encode())[0] + b" " * count + codecs.escape_decode(suffix.encode())[0]
        middle = {"deepin": "[" * count + "]" * count, "big": "x" * count,
                  "b64": base64.b64encode(bytes(count)).decode()}[kind]
        return (prefix + middle + suffix).encode()
    return spec.encode()


def snapshot(root):
    """Everything a request could change, as one hash (and the listing, to tell what changed)."""
    lines = []
    db_path = os.path.join(root, "brix.db")
    if os.path.exists(db_path):
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        db.text_factory = lambda raw: raw.decode("utf-8", "backslashreplace")  # a bad request may have stored bad UTF-8
        lines += list(db.iterdump())
        db.close()
    for base, dirs, files in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(base, root)
        if rel == "runtime" or rel.startswith("runtime" + os.sep):
            continue  # unpacked once from the binary; not user data
        lines.append(f"dir {rel}")
        for name in sorted(files):
            if rel == "." and name.startswith("brix.db"):
                continue  # the database is compared by its dump, not its pages
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                lines.append(f"file {os.path.join(rel, name)} {os.path.getsize(path)} {hashlib.sha256(f.read()).hexdigest()}")
    return lines


def send(url, token, method, target, body):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/json"
    # skip_host etc. are not needed; the target goes on the request line exactly as written
    conn.putrequest(method, target, skip_accept_encoding=True)
    for key, value in headers.items():
        conn.putheader(key, value)
    conn.putheader("Content-Length", str(len(body or b"")))
    conn.endheaders()
    if body:
        conn.send(body)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type", ""), payload


def substitute(text):
    return re.sub(r"\{\{(\w+)\}\}", lambda m: os.environ["CASE_" + m.group(1).upper()], text)


def main(url, token, root, cases_path, print_only=False):
    failures = 0
    count = 0
    before = snapshot(root)
    for number, line in enumerate(open(cases_path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 6:
            print(f"line {number}: expected 6 tab-separated fields, got {len(fields)}")
            failures += 1
            continue
        name, method, target, spec, want_status, want_code = fields
        target, spec = substitute(target), substitute(spec)
        count += 1
        problems = []
        try:
            status, content_type, payload = send(url, token, method, target, body_bytes(spec))
        except (OSError, http.client.HTTPException) as error:
            problems.append(f"no answer: {error!r} (did the server die?)")
            status, content_type, payload = 0, "", b""
        if not problems:
            if str(status) != want_status:
                problems.append(f"HTTP {status}, expected {want_status}")
            try:
                answer = json.loads(payload)
            except ValueError:
                answer = None
            if print_only:
                got = answer.get("error_code") if isinstance(answer, dict) else None
                message = answer.get("message") if isinstance(answer, dict) else payload[:100]
                problems.append(f"-> {status} {got} {message!r:.200}")
            if method != "HEAD":
                if not isinstance(answer, dict) or not isinstance(answer.get("message"), str) or not answer.get("message"):
                    problems.append("not a Databricks error body")
                elif answer.get("error_code") != want_code:
                    problems.append(f"error_code {answer.get('error_code')}, expected {want_code}")
                if "application/json" not in content_type:
                    problems.append(f"Content-Type {content_type}")
        after = snapshot(root)
        if after != before:
            changed = sorted(set(after) ^ set(before))
            problems.append("the store changed: " + "; ".join(c[:160] for c in changed[:4]))
            before = after
        if problems:
            failures += 1
            print(f"FAIL {name} ({method} {target[:120]}): {'; '.join(problems)}; body: {payload[:300]!r}")
    print(f"{count} REST cases, {failures} failed", file=sys.stderr)
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5], print_only="--print" in sys.argv[5:]))
