#!/usr/bin/env python3
"""Writers that keep `brix serve` busy until it is killed, and the check of what they left.

    crash_writers.py write URL TOKEN LOG ROUND
        Four threads overwrite their own paths again and again with numbered versions: a volume
        file (Files API PUT), a DBFS file streamed in blocks (create, add-block x3, close), a
        workspace file (import), and a one-time run (runs/submit). Before each write a thread
        logs "try KIND PATH VERSION", after the server's answer "ack KIND PATH VERSION". A thread
        stops at its first failed request (the server was killed).

    crash_writers.py verify URL TOKEN LOG
        Every path holds exactly the bytes of one version: the last acknowledged one, or one that
        was tried after it (the server may have finished it without answering). Never a mix, never
        a partial file. Every acknowledged run is listed and ends terminal once looked at.
        Prints problems, exits 1 if any.
"""
import base64
import hashlib
import http.client
import json
import sys
import threading
import time
import urllib.parse

BLOCK = 256 * 1024


def version_bytes(path, version):
    """The bytes of one version of one path: distinct, 1 to 3 MB, cheap to recompute."""
    seed = hashlib.sha256(f"{path}#{version}".encode()).digest()
    size = BLOCK * 3 + version % 5 * 1000
    return (f"{path} version {version}\n".encode() + seed * (size // len(seed) + 1))[:size]


class Conn:
    def __init__(self, url, token):
        parts = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.headers = {"Authorization": "Bearer " + token}

    def call(self, method, path, body=None, raw=None, query=None):
        if query:
            path += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode() if body is not None else raw
        self.conn.request(method, path, body=data, headers=self.headers)
        response = self.conn.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {response.status} {payload[:200]!r}")
        return payload


def writer(kind, url, token, round_, log, lock):
    conn = Conn(url, token)
    path = {"vol": f"/Volumes/main/default/crash/{kind}.bin", "dbfs": f"/crash/{kind}.bin",
            "ws": f"/Shared/crash/{kind}.bin", "run": f"round-{round_}"}[kind]
    version = round_ * 1000

    def note(line):
        with lock:
            log.write(line + "\n")
            log.flush()

    try:
        if kind == "ws":
            conn.call("POST", "/api/2.0/workspace/mkdirs", {"path": "/Shared/crash"})
        while True:
            version += 1
            data = version_bytes(path, version)
            note(f"try {kind} {path} {version}")
            if kind == "vol":
                conn.call("PUT", "/api/2.0/fs/files" + path, raw=data, query={"overwrite": "true"})
            elif kind == "dbfs":
                handle = json.loads(conn.call("POST", "/api/2.0/dbfs/create", {"path": path, "overwrite": True}))["handle"]
                for start in range(0, len(data), BLOCK):
                    conn.call("POST", "/api/2.0/dbfs/add-block", {
                        "handle": handle, "data": base64.b64encode(data[start:start + BLOCK]).decode()})
                conn.call("POST", "/api/2.0/dbfs/close", {"handle": handle})
            elif kind == "ws":
                conn.call("POST", "/api/2.0/workspace/import", {
                    "path": path, "format": "RAW", "overwrite": True, "content": base64.b64encode(data).decode()})
            else:
                answer = json.loads(conn.call("POST", "/api/2.2/jobs/runs/submit", {
                    "run_name": path, "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/nap.py"}}]}))
                path = str(answer["run_id"])
            note(f"ack {kind} {path} {version}")
            if kind == "run":
                path = f"round-{round_}"
                time.sleep(0.1)  # a run every 100 ms is plenty; more only piles up task processes
    except Exception:  # the server is gone: this writer is done
        return


def write(url, token, log_path, round_):
    lock = threading.Lock()
    with open(log_path, "a") as log:
        threads = [threading.Thread(target=writer, args=(kind, url, token, round_, log, lock)) for kind in ("vol", "dbfs", "ws", "run")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return 0


def verify(url, token, log_path):
    conn = Conn(url, token)
    problems = []
    tried, acked, runs = {}, {}, []
    for line in open(log_path):
        word, kind, path, version = line.split()
        if kind == "run":
            if word == "ack":
                runs.append(int(path))
            continue
        key = (kind, path)
        if word == "try":
            tried.setdefault(key, []).append(int(version))
        else:
            acked[key] = int(version)
    for (kind, path), versions in sorted(tried.items()):
        last = acked.get((kind, path))
        allowed = [v for v in versions if last is None or v >= last]
        try:
            if kind == "vol":
                data = conn.call("GET", "/api/2.0/fs/files" + path)
            elif kind == "dbfs":
                data = b""
                while True:
                    answer = json.loads(conn.call("GET", "/api/2.0/dbfs/read", query={"path": path, "offset": len(data), "length": 1048576}))
                    if not answer["bytes_read"]:
                        break
                    data += base64.b64decode(answer["data"])
            else:
                data = base64.b64decode(json.loads(conn.call("GET", "/api/2.0/workspace/export", query={"path": path, "format": "RAW"}))["content"])
        except RuntimeError as error:
            if last is None and "404" in str(error):
                continue  # never acknowledged, never written: fine
            problems.append(f"{kind} {path}: {error}")
            continue
        if not any(data == version_bytes(path, v) for v in allowed):
            head = data[:60].split(b"\n")[0].decode("utf-8", "replace")
            problems.append(f"{kind} {path}: {len(data)} bytes starting [{head}], not one of versions {allowed[:3]}..{allowed[-1:]} "
                            f"(last acknowledged {last})")
    listed, token = [], None
    while True:
        query = {"limit": 25, **({"page_token": token} if token else {})}
        page = json.loads(conn.call("GET", "/api/2.2/jobs/runs/list", query=query))
        listed += [r["run_id"] for r in page.get("runs", [])]
        token = page.get("next_page_token")
        if not token:
            break
    missing = set(runs) - set(listed)
    if missing:
        problems.append(f"acknowledged runs missing from runs/list: {sorted(missing)}")
    deadline = time.time() + 30
    for run in listed:
        while True:
            state = json.loads(conn.call("GET", "/api/2.2/jobs/runs/get", query={"run_id": run}))["state"]
            if state["life_cycle_state"] in ("TERMINATED", "INTERNAL_ERROR", "SKIPPED"):
                break
            if time.time() > deadline:
                problems.append(f"run {run} still {state['life_cycle_state']} after its server was killed and restarted")
                break
            time.sleep(0.2)
    for line in problems:
        print(line)
    print(f"checked {len(tried)} paths, {len(listed)} runs ({len(runs)} acknowledged)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    command, url, token, log_path = sys.argv[1:5]
    sys.exit(write(url, token, log_path, int(sys.argv[5])) if command == "write" else verify(url, token, log_path))
