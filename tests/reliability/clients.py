#!/usr/bin/env python3
"""Concurrent REST clients against `brix serve`, for the reliability suite.

    clients.py load URL TOKEN OUT_DIR --clients N --ops M
        N threads, each with its own keep-alive connection, run M mixed writes each (workspace
        import, DBFS put, volume upload, jobs create, run-now, runs cancel, listings, and imports
        that race other clients for the same path). Each client records what the server
        acknowledged in OUT_DIR/client_<n>.json. Any answer other than success or a documented
        conflict (400 RESOURCE_ALREADY_EXISTS on a shared import) is recorded as an error.

    clients.py verify URL TOKEN OUT_DIR
        Waits for every recorded run to end, then checks through the API that every acknowledged
        object, file, job and run is there with the right bytes and state. Prints one line per
        problem and exits 1 if there is any.
"""
import base64
import hashlib
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

SHARED_PATHS = 4


class Client:
    def __init__(self, url, token):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.token = token
        self.conn = None

    def call(self, method, path, body=None, raw=None, query=None):
        if query:
            path += "?" + urllib.parse.urlencode(query)
        headers = {"Authorization": "Bearer " + self.token}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, OSError):
                # a keep-alive connection the server closed; a second failure is real
                self.conn = None
                if attempt == 1:
                    raise
        try:
            answer = json.loads(payload) if payload else {}
        except ValueError:
            answer = {"raw": payload[:200].decode("utf-8", "replace")}
        return response.status, answer


def content_for(client, op):
    return f"client {client} op {op}\n".encode() + hashlib.sha256(f"{client}/{op}".encode()).digest() * (op % 7 + 1)


def run_client(url, token, number, ops, out_dir, script):
    api = Client(url, token)
    record = {"client": number, "ws": {}, "dbfs": {}, "vol": {}, "shared": {}, "jobs": [], "runs": [], "canceled": [], "errors": []}

    def expect(what, status, answer, ok=(200,)):
        if status not in ok:
            record["errors"].append(f"{what}: HTTP {status} {json.dumps(answer)[:300]}")
            return False
        return True

    base = f"/Shared/load/c{number}"
    status, answer = api.call("POST", "/api/2.0/workspace/mkdirs", {"path": base})
    expect("mkdirs", status, answer)
    job = None
    for op in range(ops):
        kind = op % 9
        data = content_for(number, op)
        if kind == 0:
            path = f"{base}/f{op}.txt"
            status, answer = api.call("POST", "/api/2.0/workspace/import", {
                "path": path, "format": "RAW", "content": base64.b64encode(data).decode()})
            if expect("import " + path, status, answer):
                record["ws"][path] = hashlib.sha256(data).hexdigest()
        elif kind == 1:
            path = f"/load/c{number}/p{op}.bin"
            status, answer = api.call("POST", "/api/2.0/dbfs/put", {
                "path": "dbfs:" + path, "contents": base64.b64encode(data).decode()})
            if expect("dbfs put " + path, status, answer):
                record["dbfs"][path] = hashlib.sha256(data).hexdigest()
        elif kind == 2:
            path = f"/Volumes/main/default/load/c{number}/v{op}.bin"
            status, answer = api.call("PUT", "/api/2.0/fs/files" + path, raw=data, query={"overwrite": "false"})
            if expect("volume put " + path, status, answer, ok=(200, 204)):
                record["vol"][path] = hashlib.sha256(data).hexdigest()
        elif kind == 3:
            # every client races for the same few paths: one wins each, the others are told it exists
            path = f"/Shared/load/shared{op % SHARED_PATHS}"
            status, answer = api.call("POST", "/api/2.0/workspace/import", {
                "path": path, "format": "RAW", "content": base64.b64encode(data).decode()})
            if status == 200:
                record["shared"][path] = hashlib.sha256(data).hexdigest()
            elif not (status == 400 and answer.get("error_code") == "RESOURCE_ALREADY_EXISTS"):
                expect("shared import " + path, status, answer)
        elif kind == 4:
            status, answer = api.call("POST", "/api/2.2/jobs/create", {
                "name": f"load-{number}-{op}", "max_concurrent_runs": 1,
                "tasks": [{"task_key": "t", "spark_python_task": {"python_file": script, "parameters": [str(number), str(op)]}}]})
            if expect("jobs create", status, answer):
                job = answer["job_id"]
                record["jobs"].append(job)
        elif kind == 5 and job is not None:
            status, answer = api.call("POST", "/api/2.2/jobs/run-now", {"job_id": job})
            if expect("run-now", status, answer):
                record["runs"].append(answer["run_id"])
        elif kind == 6 and record["runs"]:
            run = record["runs"][op % len(record["runs"])]
            status, answer = api.call("POST", "/api/2.2/jobs/runs/cancel", {"run_id": run})
            if expect("cancel", status, answer):
                record["canceled"].append(run)
        else:
            status, answer = api.call("GET", "/api/2.0/workspace/list", query={"path": base})
            expect("list", status, answer)
    with open(os.path.join(out_dir, f"client_{number}.json"), "w") as f:
        json.dump(record, f)


def load(url, token, out_dir, clients, ops, script):
    threads = [threading.Thread(target=run_client, args=(url, token, n, ops, out_dir, script)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    missing = [n for n in range(clients) if not os.path.exists(os.path.join(out_dir, f"client_{n}.json"))]
    if missing:
        print(f"clients {missing} died", file=sys.stderr)
        return 1
    return 0


def all_pages(api, path, key, query):
    items, token = [], None
    while True:
        q = dict(query)
        if token:
            q["page_token"] = token
        status, answer = api.call("GET", path, query=q)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status} {answer}")
        items += answer.get(key, [])
        token = answer.get("next_page_token")
        if not token:
            return items


def verify(url, token, out_dir, timeout):
    api = Client(url, token)
    problems = []
    records = [json.load(open(os.path.join(out_dir, name))) for name in sorted(os.listdir(out_dir)) if name.startswith("client_")]
    for r in records:
        problems += r["errors"]

    def check_bytes(kind, path, want, status, data):
        if status != 200:
            problems.append(f"{kind} {path}: HTTP {status}")
        elif hashlib.sha256(data).hexdigest() != want:
            problems.append(f"{kind} {path}: bytes differ")

    for r in records:
        for path, want in list(r["ws"].items()) + list(r["shared"].items()):
            status, answer = api.call("GET", "/api/2.0/workspace/export", query={"path": path, "format": "RAW"})
            check_bytes("workspace", path, want, status, base64.b64decode(answer.get("content", "")))
        for path, want in r["dbfs"].items():
            status, answer = api.call("GET", "/api/2.0/dbfs/read", query={"path": path, "length": 1048576})
            check_bytes("dbfs", path, want, status, base64.b64decode(answer.get("data", "")))
        for path, want in r["vol"].items():
            conn = http.client.HTTPConnection(api.host, api.port, timeout=60)
            conn.request("GET", "/api/2.0/fs/files" + path, headers={"Authorization": "Bearer " + token})
            response = conn.getresponse()
            check_bytes("volume", path, want, response.status, response.read())
            conn.close()
    # nothing more, nothing less: the listings hold exactly what was acknowledged
    for r in records:
        n = r["client"]
        status, answer = api.call("GET", "/api/2.0/workspace/list", query={"path": f"/Shared/load/c{n}"})
        listed = sorted(o["path"] for o in answer.get("objects", []))
        if listed != sorted(r["ws"]):
            problems.append(f"client {n}: workspace lists {len(listed)} objects, {len(r['ws'])} acknowledged")
        status, answer = api.call("GET", "/api/2.0/dbfs/list", query={"path": f"/load/c{n}"})
        listed = sorted(f["path"] for f in answer.get("files", []))
        if listed != sorted(r["dbfs"]):
            problems.append(f"client {n}: DBFS lists {len(listed)} files, {len(r['dbfs'])} acknowledged")
    winners = {}
    for r in records:
        for path in r["shared"]:
            winners[path] = winners.get(path, 0) + 1
    for path, count in winners.items():
        if count != 1:
            problems.append(f"{path}: {count} clients were told their import won")

    jobs = {j["job_id"] for j in all_pages(api, "/api/2.2/jobs/list", "jobs", {"limit": 100})}
    want_jobs = {j for r in records for j in r["jobs"]}
    if not want_jobs <= jobs:
        problems.append(f"jobs missing from jobs/list: {sorted(want_jobs - jobs)[:10]}")

    want_runs = {run for r in records for run in r["runs"]}
    canceled = {run for r in records for run in r["canceled"]}
    deadline = time.time() + timeout
    states = {}
    while True:
        listed = {run["run_id"]: run for run in all_pages(api, "/api/2.2/jobs/runs/list", "runs", {"limit": 25})}
        missing = want_runs - set(listed)
        if missing:
            problems.append(f"runs missing from runs/list: {sorted(missing)[:10]}")
            break
        states = {run: listed[run]["state"] for run in want_runs}
        active = [run for run, s in states.items() if s["life_cycle_state"] not in ("TERMINATED", "SKIPPED", "INTERNAL_ERROR")]
        if not active or time.time() > deadline:
            break
        time.sleep(0.5)
    for run, state in sorted(states.items()):
        result = state.get("result_state")
        allowed = ("SUCCESS", "CANCELED") if run in canceled else ("SUCCESS",)
        if state["life_cycle_state"] not in ("TERMINATED",) or result not in allowed:
            problems.append(f"run {run}: {state}")
    for line in problems:
        print(line)
    print(f"verified {sum(len(r['ws']) + len(r['shared']) for r in records)} workspace objects, "
          f"{sum(len(r['dbfs']) for r in records)} DBFS files, {sum(len(r['vol']) for r in records)} volume files, "
          f"{len(want_jobs)} jobs, {len(want_runs)} runs ({len(canceled)} cancel requests)", file=sys.stderr)
    return 1 if problems else 0


def main(argv):
    command, url, token, out_dir = argv[1:5]
    options = dict(zip(argv[5::2], argv[6::2]))
    if command == "load":
        return load(url, token, out_dir, int(options["--clients"]), int(options["--ops"]), options["--script"])
    return verify(url, token, out_dir, float(options.get("--timeout", "180")))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
