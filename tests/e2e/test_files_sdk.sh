#!/usr/bin/env bash
# The Files API's multipart upload and presigned download protocol, as the Python SDK's FilesExt
# drives it for streams of unknown length and files of 50 MiB or more: files_sdk_protocol.py
# follows the SDK request by request. Part and download URLs point back at brix serve, signed and
# short-lived, and are used without a bearer token; bytes make the round trip unchanged. The
# protocol lives between a client and brix serve: on the embedded engine there is nothing to run.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

if backend_is_local; then
    skip "presigned URLs point at brix serve: this suite runs on the serve backend"
    finish
fi
CLIENT=$BRIX_SOURCE_DIR/tests/e2e/files_sdk_protocol.py
VOL=/Volumes/main/default/vol
expect_ok brix fs mkdirs "dbfs:$VOL"
BIG=$E2E_TMP/big.bin
rand_bytes $((64 * 1024 * 1024 + 123)) >"$BIG"

# ---------------------------------------------------------------------------------------------
step "a stream of unknown length (a pipe), 64 MiB: multipart, 10 MiB parts, one URL at a time"
expect_ok bash -c 'cat "$1" | python3 "$2" upload-stream "$3"' _ "$BIG" "$CLIENT" "$VOL/stream.bin"
assert_contains "$OUT" "initiated a multipart upload of $VOL/stream.bin"
assert_contains "$OUT" "completed with 7 parts"
expect_ok brix fs cp "dbfs:$VOL/stream.bin" "$E2E_TMP/stream.back"
assert_file_eq "$BIG" "$E2E_TMP/stream.back"
# nothing of the session is left behind
assert_eq "" "$(ls -A "$ROOT/uploads")" "upload sessions left"

step "a 64 MiB file: parts in parallel (upload_from), then read back through presigned URLs"
expect_ok python3 "$CLIENT" upload-file "$VOL/file.bin" "$BIG"
assert_contains "$OUT" "completed with 7 parts"
expect_ok python3 "$CLIENT" download "$VOL/file.bin" "$E2E_TMP/file.back"
assert_eq "downloaded $((64 * 1024 * 1024 + 123)) bytes" "$OUT" "download"
assert_file_eq "$BIG" "$E2E_TMP/file.back"
expect_ok python3 "$CLIENT" download-parallel "$VOL/stream.bin" "$E2E_TMP/ranges.back"
assert_eq "downloaded $((64 * 1024 * 1024 + 123)) bytes in 7 ranges" "$OUT" "parallel download"
assert_file_eq "$BIG" "$E2E_TMP/ranges.back"

step "overwrite=false refuses an existing file at initiate-upload; an existing file is replaced by default"
run curl -sS -X POST -H "Authorization: Bearer $DATABRICKS_TOKEN" \
    "$DATABRICKS_HOST/api/2.0/fs/files$VOL/file.bin?action=initiate-upload&overwrite=false" -w '\n%{http_code}'
assert_eq "409" "$(tail -1 <<<"$OUT")" "status"
head -1 <<<"$OUT" >"$E2E_TMP/answer.json"
assert_json "$E2E_TMP/answer.json" 'd["error_code"] == "ALREADY_EXISTS"'
python3 -c 'import sys; sys.stdout.buffer.write(bytes(51 * 1024 * 1024))' >"$E2E_TMP/zeros.bin"
expect_ok bash -c 'cat "$1" | python3 "$2" upload-stream "$3"' _ "$E2E_TMP/zeros.bin" "$CLIENT" "$VOL/file.bin"
assert_contains "$OUT" "completed with 6 parts"
expect_ok brix fs cp "dbfs:$VOL/file.bin" "$E2E_TMP/zeros.back"
assert_file_eq "$E2E_TMP/zeros.bin" "$E2E_TMP/zeros.back"

step "abort: the SDK's abort URL drops the session and its parts"
expect_ok python3 "$CLIENT" abort "$VOL/aborted.bin"
assert_contains "$OUT" "after the abort, create-upload-part-urls answers 404 NOT_FOUND"
assert_contains "$OUT" "after the abort, the part URL answers 404"
assert_eq "" "$(ls -A "$ROOT/uploads")" "upload sessions left"
expect_exit 3 brix fs ls "dbfs:$VOL/aborted.bin"

step "a presigned URL authorizes the one request it was made for, nothing else"
expect_ok python3 "$CLIENT" presigned-misuse "$VOL/stream.bin"
assert_eq "GET as signed: 200
HEAD with the GET signature: 403
DELETE with the GET signature: 403
GET with a forged signature: 403 application/xml True
GET of another file with this signature: 403
GET without signature or token: 401
initiated a multipart upload of $VOL/stream.bin.parts
PUT to a part URL, number changed: 403
aborted" "$OUT" "misuse"
expect_ok brix fs cp "dbfs:$VOL/stream.bin" "$E2E_TMP/still.back"
assert_file_eq "$BIG" "$E2E_TMP/still.back"

step "an expired URL gets the answer cloud storage gives, which makes the SDK ask for a new one"
expires=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
run curl -sS -X POST -H "Authorization: Bearer $DATABRICKS_TOKEN" \
    "$DATABRICKS_HOST/api/2.0/fs/create-download-url?path=$VOL/stream.bin&expire_time=$expires"
URL=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["url"])' "$OUT")
assert_contains "$URL" "$DATABRICKS_HOST/api/2.0/fs/files$VOL/stream.bin?X-Brix-Expires="
while [[ $(date -u +%s) -le $(date -u -d "$expires" +%s) ]]; do sleep 0.2; done
run curl -sS "$URL" -w '\n%{http_code}'
assert_eq "403" "$(tail -1 <<<"$OUT")" "status"
assert_contains "$OUT" "<Code>AccessDenied</Code><Message>Request has expired</Message>"
# an expiry in the past, or not a time, is refused
run curl -sS -X POST -H "Authorization: Bearer $DATABRICKS_TOKEN" \
    "$DATABRICKS_HOST/api/2.0/fs/create-download-url?path=$VOL/stream.bin&expire_time=yesterday" -w '\n%{http_code}'
assert_eq "400" "$(tail -1 <<<"$OUT")" "status"
assert_contains "$OUT" "expire_time must be an RFC 3339 time"
# the URL a client is given lives at most an hour, whatever it asks for
run curl -sS -X POST -H "Authorization: Bearer $DATABRICKS_TOKEN" \
    "$DATABRICKS_HOST/api/2.0/fs/create-download-url?path=$VOL/stream.bin&expire_time=2999-01-01T00:00:00Z"
assert_json "$OUT_FILE" 'int(d["url"].split("X-Brix-Expires=")[1].split("&")[0]) <= '"$(($(date -u +%s) + 3600))"

finish
