#!/usr/bin/env bash
# A write that cannot complete leaves nothing half-written: with the file size limit (RLIMIT_FSIZE,
# SIGXFSZ ignored, so writes fail with EFBIG) and, where the system lets the suite mount one, on a
# full tmpfs (ENOSPC). `fs cp`, `fs put`, `workspace import`, `import-dir`, downloads and the same
# through `brix serve` end with `Error: ...` and exit 1; the target keeps its old content or does
# not exist; no temporary file stays behind; the store stays usable once space is back.
set -u
# A private mount namespace, when allowed, so that the suite can mount a small tmpfs that nobody
# else sees and that goes away with the suite. Without CAP_SYS_ADMIN (a container) it is skipped.
if [[ -z ${BRIX_DISKFULL_NS:-} ]] && unshare --mount --propagation private true 2>/dev/null; then
    BRIX_DISKFULL_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
source "$(dirname "$0")/reliability_common.sh" || exit 1
fresh_root
SMALL=$E2E_TMP/small
# the tmpfs goes before the suite's folder is removed (the usual cleanup runs after)
trap 'status=$?; umount "$SMALL" 2>/dev/null; (exit $status); _on_exit' EXIT

LIMIT_KB=4096   # the file size limit: files up to 4 MB can be written
# limited cmd...: brix with the file size limit
limited() { (
    ulimit -f "$LIMIT_KB"
    trap '' XFSZ
    exec "$BRIX" "$@"
); }

# refused WHAT cmd...: exit 1, a clear `Error:` naming why, nothing on stdout
refused() {
    local why=$1
    shift
    expect_exit 1 "$@"
    [[ $ERR == Error:* ]] || fail "stderr does not start with 'Error:': $ERR"
    assert_contains "$ERR" "$why" "stderr"
    assert_eq "" "$OUT" "stdout"
}

# clean_tmp: what a failed write was writing is gone. A DBFS block upload through the server
# keeps its handle's file (upload-*) until the handle's 10-minute idle expiry: DBFS has no call
# to abandon an upload, and the file is never visible under the target's name.
clean_tmp() {
    local left
    left=$(ls -A "$ROOT/tmp" | grep -v '^upload-')
    [[ -z $left ]] || fail "left in $ROOT/tmp: $(ls -la "$ROOT/tmp")"
    ok
}

step "prepare files around the limit"
head -c 6M /dev/urandom >big.bin
head -c 100K /dev/urandom >old.bin
printf '# Databricks notebook source\nprint("old")\n' >old_nb.py
{ printf '# Databricks notebook source\n'; head -c 6M /dev/zero | tr '\0' '#'; } >big_nb.py
mkdir -p tree && for i in 1 2 3; do printf 'small %d\n' "$i" >"tree/s$i.txt"; done && cp big.bin tree/big.bin
expect_ok brix fs cp old.bin dbfs:/full/old.bin
expect_ok brix fs cp old.bin /Volumes/main/default/vol/old.bin
expect_ok brix workspace mkdirs /Shared/full
expect_ok brix workspace import old.bin /Shared/full/old.bin
expect_ok brix workspace import old_nb.py /Shared/full/nb.py
expect_ok brix fs cp big.bin dbfs:/full/big.bin

# ---------------------------------------------------------------------------------------------
step "writes past the file size limit (EFBIG) on the embedded engine"
refused "File too large" limited fs cp big.bin dbfs:/full/new.bin
expect_exit 3 brix fs ls dbfs:/full/new.bin
refused "File too large" limited fs cp --overwrite big.bin dbfs:/full/old.bin
expect_ok brix fs cat dbfs:/full/old.bin
assert_file_eq old.bin "$OUT_FILE"
refused "File too large" limited fs put dbfs:/full/put.bin --file big.bin
expect_exit 3 brix fs ls dbfs:/full/put.bin
refused "File too large" limited fs cp big.bin /Volumes/main/default/vol/new.bin
expect_exit 3 brix fs ls /Volumes/main/default/vol/new.bin
refused "File too large" limited fs cp --overwrite big.bin /Volumes/main/default/vol/old.bin
expect_ok brix fs cat /Volumes/main/default/vol/old.bin
assert_file_eq old.bin "$OUT_FILE"
refused "File too large" limited workspace import big.bin /Shared/full/new.bin
expect_exit 3 brix workspace get-status /Shared/full/new.bin
refused "File too large" limited workspace import --overwrite big.bin /Shared/full/old.bin
expect_ok brix workspace export /Shared/full/old.bin -
assert_file_eq old.bin "$OUT_FILE"
refused "File too large" limited workspace import --overwrite big_nb.py /Shared/full/nb -l PYTHON
expect_ok brix workspace export /Shared/full/nb -
assert_file_eq old_nb.py "$OUT_FILE"
refused "File too large" limited workspace import-dir tree /Shared/full/tree
for i in 1 2 3; do
    # imported whole, or not at all
    run brix workspace export "/Shared/full/tree/s$i.txt" -
    if [[ $RC == 0 ]]; then assert_file_eq "tree/s$i.txt" "$OUT_FILE"; else assert_eq 3 "$RC" "export of s$i.txt"; fi
done
expect_exit 3 brix workspace get-status /Shared/full/tree/big.bin
clean_tmp

step "downloads past the limit leave no local file, or the old one"
refused "File too large" limited fs cp dbfs:/full/big.bin ./down.bin
assert_no_file down.bin
cp old.bin down.bin
refused "File too large" limited fs cp --overwrite dbfs:/full/big.bin ./down.bin
assert_file_eq old.bin down.bin
expect_ok brix workspace import big.bin /Shared/full/big.bin
refused "File too large" limited workspace export /Shared/full/big.bin ./exported.bin
assert_no_file exported.bin
assert_eq "big.bin big_nb.py down.bin old.bin old_nb.py tree" "$(echo $(ls))" "the local folder"

step "through brix serve with the file size limit: the client gets a clear error, the server goes on"
(
    ulimit -f "$LIMIT_KB"
    trap '' XFSZ
    server_start
    echo "$SRV_PID" >"$E2E_TMP/limited_server.pid"
    echo "$SRV_URL" >"$E2E_TMP/limited_server.url"
    wait "$SRV_PID"
) &
for ((i = 0; i < 200; i++)); do [[ -s $E2E_TMP/limited_server.url ]] && break; sleep 0.05; done
SRV_PID=$(cat "$E2E_TMP/limited_server.pid")
SRV_URL=$(cat "$E2E_TMP/limited_server.url")
SRV_TOKEN=$(cat "$E2E_TMP/srv.token")
refused "Error: " as_client brix fs cp big.bin /Volumes/main/default/vol/served.bin
expect_exit 3 as_client brix fs ls /Volumes/main/default/vol/served.bin
refused "Error: " as_client brix fs cp --overwrite big.bin dbfs:/full/old.bin
expect_ok as_client brix fs cat dbfs:/full/old.bin
assert_file_eq old.bin "$OUT_FILE"
refused "Error: " as_client brix workspace import big.bin /Shared/full/served.bin
expect_exit 3 as_client brix workspace get-status /Shared/full/served.bin
expect_ok as_client brix fs put dbfs:/full/small.txt "small"
expect_ok as_client brix fs cat dbfs:/full/small.txt
assert_eq small "$OUT" "a small write through the same server"
kill -0 "$SRV_PID" || fail "the server died"
ok
server_stop
clean_tmp
assert_integrity
assert_store_usable efbig

# ---------------------------------------------------------------------------------------------
mkdir -p "$SMALL"
if [[ ${BRIX_DISKFULL_NS:-} != 1 ]] || ! mount -t tmpfs -o size=24m tmpfs "$SMALL" 2>/dev/null; then
    skip "cannot mount a tmpfs here (no private mount namespace or no CAP_SYS_ADMIN): the full-disk part is skipped"
    finish
fi
step "a full disk (ENOSPC) on a 24 MB tmpfs root"
ROOT=$SMALL/root
export BRIX_HOME=$ROOT
head -c 3M /dev/urandom >mid.bin
expect_ok brix fs cp old.bin dbfs:/full/old.bin
expect_ok brix workspace mkdirs /Shared/full
expect_ok brix workspace import old.bin /Shared/full/old.bin
expect_ok brix jobs create --json '{"name": "before"}'
expect_ok brix secrets create-scope s
# fill the file system, then give back 1 MB: enough for metadata, not for the 3 MB files
head -c 64M /dev/zero >"$SMALL/filler" 2>/dev/null
truncate -s -1M "$SMALL/filler"
echo "free on the tmpfs: $(df -k --output=avail "$SMALL" | tail -1) KB"
refused "No space left on device" brix fs cp mid.bin dbfs:/full/new.bin
expect_exit 3 brix fs ls dbfs:/full/new.bin
refused "No space left on device" brix fs cp --overwrite mid.bin dbfs:/full/old.bin
expect_ok brix fs cat dbfs:/full/old.bin
assert_file_eq old.bin "$OUT_FILE"
refused "No space left on device" brix fs put /Volumes/main/default/vol/new.bin --file mid.bin
expect_exit 3 brix fs ls /Volumes/main/default/vol/new.bin
refused "No space left on device" brix workspace import mid.bin /Shared/full/new.bin
expect_exit 3 brix workspace get-status /Shared/full/new.bin
refused "No space left on device" brix workspace import --overwrite mid.bin /Shared/full/old.bin
expect_ok brix workspace export /Shared/full/old.bin -
assert_file_eq old.bin "$OUT_FILE"
clean_tmp

step "a disk without a free byte: metadata writes succeed whole or fail cleanly"
head -c 8M /dev/zero >"$SMALL/filler2" 2>/dev/null
for attempt in "workspace mkdirs /Shared/full/made" "jobs create --json {\"name\":\"made\"}" "secrets put-secret s made --string-value v" \
    "fs mkdirs dbfs:/full/made"; do
    # shellcheck disable=SC2086
    run brix $attempt
    if [[ $RC == 0 ]]; then
        echo "succeeded on a full disk: $attempt"
    else
        assert_eq 1 "$RC" "exit code of [$attempt] on a full disk"
        [[ $ERR == Error:* ]] || fail "[$attempt] on a full disk: $ERR"
        ok
        assert_contains "$ERR" "No space left on device" "[$attempt] on a full disk"
        echo "refused on a full disk: $attempt: $ERR"
    fi
done
step "space back: everything works, nothing was damaged"
rm -f "$SMALL/filler" "$SMALL/filler2"
expect_ok brix workspace mkdirs /Shared/full/made
expect_ok brix jobs list -o json
assert_json "$OUT_FILE" '"before" in [j["settings"]["name"] for j in d]'
expect_ok brix fs cp mid.bin dbfs:/full/new.bin
expect_ok brix fs cat dbfs:/full/new.bin
assert_file_eq mid.bin "$OUT_FILE"
expect_ok brix fs cat dbfs:/full/old.bin
assert_file_eq old.bin "$OUT_FILE"
clean_tmp
assert_integrity
assert_store_usable enospc
umount "$SMALL" 2>/dev/null

finish
