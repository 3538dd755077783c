#!/usr/bin/env bash
# How `brix serve` shares its threads among connections (server/connection_pool.hpp): idle
# keep-alive connections hold no thread, so more clients than --threads are all served; requests
# pipelined on one connection are all answered, in order; clients that stall in the middle of a
# request (a thread waits for each) do not keep the others waiting while threads are left; and the
# server stops on SIGTERM with idle connections open.
set -uo pipefail
source "$(dirname "$0")/own_server.sh" || exit 1
own_server_start connections --threads 4
contains() { grep -qF -- "$2" <<< "$1"; }

curl -s --max-time 20 -H "Authorization: Bearer $token" -X POST -d '{"path": "/Shared/pool"}' \
    "$url/api/2.0/workspace/mkdirs" >"$work/mkdirs.out"

# Each scenario prints one line per answer it got; socket timeouts only keep a broken server from
# hanging the suite.
clients() {
    python3 - "$url" "$token" "$1" <<'PY'
import socket, sys, urllib.parse

url, token, scenario = sys.argv[1:4]
address = urllib.parse.urlparse(url)
host, port = address.hostname, address.port


def request(path):
    return (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n\r\n").encode()


def connect():
    sock = socket.create_connection((host, port), timeout=30)
    sock.settimeout(30)
    return sock


def answer(sock, buffered=b""):
    """Reads one response (Content-Length framing); returns (status line, body, bytes left over)."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return "closed", b"", b""
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    length = next(int(line.split(":")[1]) for line in lines if line.lower().startswith("content-length:"))
    while len(rest) < length:
        rest += sock.recv(65536)
    return lines[0], rest[:length], rest[length:]


status = request("/api/2.0/workspace/get-status?path=/Shared/pool")
if scenario == "many":
    # 16 keep-alive connections on a server of 4 threads: each asks twice, round-robin.
    socks = [connect() for _ in range(16)]
    for round_ in range(2):
        for sock in socks:
            sock.sendall(status)
        for i, sock in enumerate(socks):
            line, body, _ = answer(sock)
            print(round_, i, line, b'"DIRECTORY"' in body)
elif scenario == "pipelined":
    sock = connect()
    sock.sendall(request("/api/2.0/workspace/get-status?path=/Shared") + status +
                 request("/api/2.0/workspace/get-status?path=/nope"))
    left = b""
    for _ in range(3):
        line, body, left = answer(sock, left)
        print(line, body.decode())
elif scenario == "stalled":
    # Three clients stop halfway through their headers: a thread waits on each of them.
    stalled = [connect() for _ in range(3)]
    for sock in stalled:
        sock.sendall(b"GET /api/2.0/workspace/list?path=/ HTTP/1.1\r\nHost: x\r\n")
    for i in range(5):
        sock = connect()
        sock.sendall(status)
        line, body, _ = answer(sock)
        print(i, line, b'"DIRECTORY"' in body)
        sock.close()
    for sock in stalled:
        sock.close()
elif scenario == "idle":
    # Keep two connections open, idle, and report when the server is told to stop.
    socks = [connect() for _ in range(2)]
    for sock in socks:
        sock.sendall(status)
        print(answer(sock)[0])
    sys.stdout.flush()
    sys.stdin.read()
PY
}

out=$(clients many)
check "16 connections, 4 threads: every request answered" [ "$(grep -c 'HTTP/1.1 200 OK True' <<< "$out")" = 32 ]

out=$(clients pipelined)
check "three pipelined requests get three answers" [ "$(grep -c '^HTTP/1.1' <<< "$out")" = 3 ]
check "pipelined answers come in order" [ "$(grep -o '^HTTP/1.1 [0-9]*' <<< "$out" | tr '\n' ' ')" = "HTTP/1.1 200 HTTP/1.1 200 HTTP/1.1 404 " ]
check "the first pipelined answer is the first request's" contains "$(sed -n 1p <<< "$out")" '"path":"/Shared"'

out=$(clients stalled)
check "clients stalled mid-request do not hold up the others" [ "$(grep -c 'HTTP/1.1 200 OK True' <<< "$out")" = 5 ]

# SIGTERM with idle keep-alive connections open: the server ends, and with status 0. The clients
# stay connected until their stdin closes; their answers come back through a fifo.
mkfifo "$work/idle.fifo"
exec {feed}> >(clients idle >"$work/idle.fifo")
exec {answers}<"$work/idle.fifo"
read -r -t 60 first <&"$answers"
read -r -t 60 second <&"$answers"
check "the idle clients were answered" [ "$first $second" = "HTTP/1.1 200 OK HTTP/1.1 200 OK" ]
kill -TERM "$server"
# tail ends when the server does; a server still there after a minute is killed (status 137).
timeout 60 tail --pid="$server" -f "$work/serve.log" >"$work/tail.out" || kill -KILL "$server"
wait "$server"
check "the server stops on SIGTERM with idle connections open, exit 0" [ $? = 0 ]
server=""
exec {feed}>&- {answers}<&-

check_summary "serve connections"
