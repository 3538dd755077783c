#!/usr/bin/env bash
# `brix serve` lets nothing in without a valid token, and no path-taking route reads or writes
# outside the engine root, whatever encoding a traversal attempt uses.
set -uo pipefail
source "$(dirname "$0")/own_server.sh" || exit 1
own_server_start security

mkdir -p "$work/outside"
echo "canary" > "$work/outside/secret.txt"

# 200 requests with a missing, wrong, truncated or someone else's token: every one refused.
other=$("$BRIX" serve --help >/dev/null; echo "dapi$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')")
refused=0
for i in $(seq 50); do
    for header in "" "Authorization: Bearer wrong-$i" "Authorization: Bearer ${token:0:$((i % 30 + 4))}" "Authorization: Bearer $other"; do
        code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' ${header:+-H "$header"} "$url/api/2.0/workspace/list?path=/")
        [[ $code == 401 || $code == 403 ]] && refused=$((refused + 1))
    done
done
check "200 bad tokens refused ($refused)" [ "$refused" = 200 ]
check "the real token works" [ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url/api/2.0/workspace/list?path=/")" = 200 ]
check "a missing token gets 401" [ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$url/api/2.0/dbfs/list?path=/")" = 401 ]
check "a wrong token gets the Databricks body" grep -q '"error_code":"PERMISSION_DENIED","message":"Invalid access token."' \
    <<< "$(curl -s --max-time 10 -H 'Authorization: Bearer nope' "$url/api/2.0/dbfs/list?path=/")"

# Traversal in every encoding, on every path-taking route.
auth=(-H "Authorization: Bearer $token")
before=$(find "$work" -path "$work/root" -prune -o -print | sort | md5sum)
escape_paths=("../../outside/secret.txt" "/../../outside/secret.txt" "/%2e%2e/%2e%2e/outside/secret.txt"
              "/..%2f..%2foutside%2fsecret.txt" "$work/outside/secret.txt" "/a%00b" "/tmp/..%2F..%2F..%2Fetc%2Fpasswd")
leaks=0
for p in "${escape_paths[@]}"; do
    for route in "workspace/get-status?path=$p" "workspace/export?path=$p&direct_download=true" "workspace/list?path=$p" \
                 "dbfs/read?path=$p" "dbfs/get-status?path=$p" "dbfs/list?path=$p" "fs/files/Volumes/c/s/v/$p" \
                 "fs/directories/Volumes/c/s/v/$p" "fs/files$p"; do
        body=$(curl -s --max-time 10 "${auth[@]}" "$url/api/2.0/$route")
        grep -q canary <<< "$body" && leaks=$((leaks + 1)) && echo "leak: $route" >&2
        grep -q "Y2FuYXJ5" <<< "$body" && leaks=$((leaks + 1)) && echo "leak (base64): $route" >&2
    done
    curl -s --max-time 10 "${auth[@]}" -X POST "$url/api/2.0/dbfs/put" -d "{\"path\": \"$p\", \"contents\": \"cHduZWQ=\", \"overwrite\": true}" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X POST "$url/api/2.0/dbfs/mkdirs" -d "{\"path\": \"$p\"}" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X POST "$url/api/2.0/dbfs/delete" -d "{\"path\": \"$p\", \"recursive\": true}" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X POST "$url/api/2.0/dbfs/move" -d "{\"source_path\": \"/x\", \"destination_path\": \"$p\"}" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X POST "$url/api/2.0/workspace/import" -d "{\"path\": \"$p\", \"format\": \"RAW\", \"content\": \"cHduZWQ=\", \"overwrite\": true}" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X POST "$url/api/2.0/workspace/mkdirs" -d "{\"path\": \"$p\"}" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X POST "$url/api/2.0/workspace/delete" -d "{\"path\": \"$p\", \"recursive\": true}" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X PUT --data-binary pwned "$url/api/2.0/fs/files/Volumes/c/s/v/$p" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X PUT "$url/api/2.0/fs/directories/Volumes/c/s/v/$p" >/dev/null
    curl -s --max-time 10 "${auth[@]}" -X POST --data-binary pwned "$url/api/2.0/workspace-files/import-file/$p" >/dev/null
done
after=$(find "$work" -path "$work/root" -prune -o -print | sort | md5sum)
check "nothing read outside the root ($leaks leaks)" [ "$leaks" = 0 ]
check "nothing written or deleted outside the root" [ "$before" = "$after" ]
check "the canary is intact" [ "$(cat "$work/outside/secret.txt")" = canary ]
check "no 'pwned' file anywhere outside the root" [ -z "$(grep -rl pwned "$work" --exclude-dir=root 2>/dev/null)" ]

check_summary security
