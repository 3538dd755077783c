#!/usr/bin/env bash
# brix in shell scripts (issue 13): local files written the way cp writes them (devices, FIFOs,
# /proc/self/fd/N and hard links in place; symbolic links followed; mode and owner kept), stdout
# checked before every exit (a full disk or a closed stdout is an error, a closed pipe ends brix
# quietly by SIGPIPE), TERM=dumb, names with tabs and newlines in text output, unknown commands
# before --help, tree copies that refuse to copy into themselves and report what they leave out,
# import-dir/export-dir name clashes, and the environment: no HOME, a read-only HOME, a relative
# BRIX_HOME, an engine root with ':' in its path.
#
# Special files (devices, FIFOs) are made in the suite's own folder: char 1,3 behaves as a null
# device and char 1,7 as a full one; nothing outside the folder is written.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root
umask 022
T=$E2E_TMP/special
mkdir -p "$T"

# rc_err CMD...: runs CMD with stdout wherever the caller sends it; stderr in $ERR, status in $RC.
rc_err() {
    LAST_CMD=$(printf '%q ' "$@")
    OUT=""
    "$@" 2>"$E2E_TMP/rc.err"
    RC=$?
    ERR=$(<"$E2E_TMP/rc.err")
}

expect_rc() {
    local want=$1
    shift
    rc_err "$@"
    [[ $RC == "$want" ]] || fail "expected exit $want, got $RC"
    ok
}

# file_type PATH: what stat says it is, with a device's numbers ("character special file 1,3").
file_type() {
    local type
    type=$(stat -c '%F' "$1")
    [[ $type == *special* ]] && type+=" $(stat -c '%t,%T' "$1")"
    echo "$type"
}

IS_ROOT=0
[[ $(id -u) == 0 ]] && IS_ROOT=1
# Device nodes need root, and a file system mounted without nodev.
DEVICES=0
if ((IS_ROOT)) && mknod "$T/null" c 1 3 2>/dev/null && mknod "$T/full" c 1 7 2>/dev/null &&
    printf x >"$T/null" 2>/dev/null; then
    DEVICES=1
else
    skip "no device nodes here (not root, or a nodev file system): device cases are skipped"
fi

step "setup: a file on DBFS, a big one, a volume file, a notebook and a file in the workspace"
printf 'payload\n' >payload.txt
head -c 3000000 /dev/urandom >big.bin
expect_ok brix fs cp payload.txt dbfs:/s/payload.txt
expect_ok brix fs cp big.bin dbfs:/s/big.bin
expect_ok brix fs cp big.bin /Volumes/main/default/vol/big.bin
expect_ok brix workspace mkdirs /Shared/s
expect_ok brix workspace import payload.txt /Shared/s/payload.txt
printf '# Databricks notebook source\nprint(1)\n' >nb.py
expect_ok brix workspace import nb.py /Shared/s/nb -l PYTHON
printf 'print("task")\n' >t.py
expect_ok brix workspace import t.py /Shared/s/t.py

# =============================================================================================
step "a device node is written in place, never replaced (directly, through a link, with --file)"
if ((DEVICES)); then
    ln -s null "$T/stdout-link"
    expect_ok brix fs cp --overwrite dbfs:/s/payload.txt "$T/null"
    assert_eq "character special file 1,3" "$(file_type "$T/null")" "the device after fs cp --overwrite"
    # without --overwrite too: a device is written to, as by cp, not "replaced"
    expect_ok brix fs cp dbfs:/s/payload.txt "$T/stdout-link"
    assert_eq "null" "$(readlink "$T/stdout-link")" "the link"
    assert_eq "character special file 1,3" "$(file_type "$T/null")" "the device behind the link"
    expect_ok brix workspace export /Shared/s/payload.txt --file "$T/null"
    expect_ok brix workspace export /Shared/s/nb "$T/stdout-link"
    assert_eq "character special file 1,3" "$(file_type "$T/null")" "the device after workspace export"
fi

step "/proc/self/fd/N and a link to it are the open descriptor: written through, the file behind kept"
printf 'old\n' >"$T/captured"
inode=$(stat -c %i "$T/captured")
expect_rc 0 brix fs cp dbfs:/s/payload.txt /proc/self/fd/3 3>"$T/captured"
assert_eq "" "$ERR" "stderr"
assert_file_eq payload.txt "$T/captured"
assert_eq "$inode" "$(stat -c %i "$T/captured")" "inode of the file behind fd 3"
ln -s /proc/self/fd/1 "$T/my-stdout"
expect_rc 0 brix workspace export /Shared/s/payload.txt --file "$T/my-stdout" >"$T/from-stdout"
assert_file_eq payload.txt "$T/from-stdout"
assert_eq "/proc/self/fd/1" "$(readlink "$T/my-stdout")" "the link to /proc/self/fd/1"

step "a symbolic link is followed: the file it names is written, keeping its mode; the link stays"
printf 'old\n' >"$T/real.txt"
chmod 640 "$T/real.txt"
ln -s real.txt "$T/link.txt"
expect_ok brix fs cp --overwrite dbfs:/s/payload.txt "$T/link.txt"
[[ -L $T/link.txt ]] || fail "link.txt is no longer a symbolic link"
ok
assert_eq "real.txt" "$(readlink "$T/link.txt")" "link target"
assert_file_eq payload.txt "$T/real.txt"
assert_eq "640" "$(stat -c %a "$T/real.txt")" "mode of the file behind the link"
# a dangling link is not written through (as cp refuses): nothing appears where it points
ln -s nowhere.txt "$T/dangling"
expect_exit 1 brix fs cp --overwrite dbfs:/s/payload.txt "$T/dangling"
assert_eq "Error: not writing through the dangling symbolic link $T/dangling" "$ERR"
assert_no_file "$T/nowhere.txt"
[[ -L $T/dangling ]] || fail "the dangling link was replaced"
ok

step "a hard link stays one file; a replaced file keeps its mode (and owner); a new one gets 0666 & ~umask"
printf 'old\n' >"$T/hard1"
ln "$T/hard1" "$T/hard2"
expect_ok brix fs cp --overwrite dbfs:/s/payload.txt "$T/hard2"
assert_eq "$(stat -c %i "$T/hard1")" "$(stat -c %i "$T/hard2")" "both names, one inode"
assert_eq "2" "$(stat -c %h "$T/hard1")" "link count"
assert_file_eq payload.txt "$T/hard1"
printf 'secret\n' >"$T/private.txt"
chmod 600 "$T/private.txt"
expect_ok brix fs cp --overwrite dbfs:/s/payload.txt "$T/private.txt"
assert_eq "600" "$(stat -c %a "$T/private.txt")" "mode after fs cp --overwrite"
expect_ok brix workspace export /Shared/s/payload.txt --file "$T/private.txt"
assert_eq "600" "$(stat -c %a "$T/private.txt")" "mode after workspace export --file"
assert_file_eq payload.txt "$T/private.txt"
if ((IS_ROOT)); then
    printf 'theirs\n' >"$T/owned.txt"
    chown 4321:4321 "$T/owned.txt"
    expect_ok brix fs cp --overwrite dbfs:/s/payload.txt "$T/owned.txt"
    assert_eq "4321:4321" "$(stat -c %u:%g "$T/owned.txt")" "owner after fs cp --overwrite"
fi
expect_ok brix fs cp dbfs:/s/payload.txt "$T/new.txt"
assert_eq "644" "$(stat -c %a "$T/new.txt")" "mode of a new file under umask 022"
# the legacy export still refuses to replace a file without -o
expect_exit 1 brix workspace export /Shared/s/payload.txt "$T/new.txt"
assert_contains "$ERR" "already exists"

step "a FIFO is written to (its reader gets the bytes), and >(gzip) works as --file"
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fifo.out" &
reader=$!
expect_ok brix fs cp --overwrite dbfs:/s/payload.txt "$T/fifo"
wait "$reader"
assert_file_eq payload.txt "$T/fifo.out"
assert_eq "fifo" "$(file_type "$T/fifo")" "the FIFO"
rc_err brix workspace export /Shared/s/payload.txt --file >(gzip >"$T/x.gz")
gzip_pid=$!
[[ $RC == 0 && -z $ERR ]] || fail "workspace export --file >(gzip) failed"
ok
wait "$gzip_pid"
assert_eq "payload" "$(gzip -dc "$T/x.gz")" "the bytes through gzip"

step "export-dir -o writes through a link in the target tree"
mkdir -p "$T/tree" "$T/elsewhere"
printf 'old\n' >"$T/elsewhere/payload.txt"
ln -s ../elsewhere/payload.txt "$T/tree/payload.txt"
expect_ok brix workspace export-dir /Shared/s "$T/tree" -o
[[ -L $T/tree/payload.txt ]] || fail "export-dir replaced the link"
ok
assert_file_eq payload.txt "$T/elsewhere/payload.txt"
assert_file_eq nb.py "$T/tree/nb.py"

# =============================================================================================
step "stdout opened with O_APPEND (>> log, exec >> LOG): DBFS, volume and workspace sources"
printf 'before\n' >"$T/log"
expect_rc 0 brix fs cat dbfs:/s/big.bin >>"$T/log"
assert_eq "" "$ERR" "stderr"
expect_rc 0 brix fs cat /Volumes/main/default/vol/big.bin >>"$T/log"
expect_rc 0 brix workspace export /Shared/s/payload.txt >>"$T/log"
{ printf 'before\n'; cat big.bin big.bin payload.txt; } >"$T/log.want"
assert_file_eq "$T/log.want" "$T/log"

step "fs put with a closed stdin names stdin and stores nothing"
expect_rc 1 brix fs put dbfs:/s/from-stdin.txt <&-
assert_eq "Error: cannot read standard input: Bad file descriptor" "$ERR"
expect_exit 3 brix fs ls dbfs:/s/from-stdin.txt

step "write errors on stdout: Error: cannot write to standard output, exit 1"
create_job '{"name": "shell safety", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/s/t.py"}}]}'
if ((DEVICES)); then
    full_reason="Error: cannot write to standard output: No space left on device"
    for command in "jobs get $JOB" "jobs list" "fs ls dbfs:/s" "workspace ls /Shared/s" "auth describe" "--help-all" \
        "fs cat dbfs:/s/big.bin" "workspace export /Shared/s/payload.txt"; do
        # shellcheck disable=SC2086
        expect_rc 1 brix $command >"$T/full"
        assert_eq "$full_reason" "$ERR" "stderr of brix $command > full"
    done
    # with -o json too
    expect_rc 1 brix jobs get "$JOB" -o json >"$T/full"
    assert_eq "$full_reason" "$ERR"
fi
for command in "jobs list" "workspace ls /Shared/s" "--help-all" "fs cat dbfs:/s/payload.txt"; do
    # shellcheck disable=SC2086
    expect_rc 1 brix $command >&-
    assert_eq "Error: cannot write to standard output: Bad file descriptor" "$ERR" "stderr of brix $command >&-"
done
# nothing to print is no error, even with stdout closed
expect_rc 0 brix fs mkdirs dbfs:/s/made >&-

step "a closed pipe ends brix quietly, killed by SIGPIPE (141), as GNU tools end"
mkfifo "$T/pipe"
exec 7<>"$T/pipe"   # a reader for a moment, so the writer can open
exec 8>"$T/pipe"
exec 7<&-           # the reader goes: fd 8 is a pipe nobody reads
expect_rc 141 brix jobs list >&8
assert_eq "" "$ERR" "stderr of jobs list into a closed pipe"
expect_rc 141 brix fs cat dbfs:/s/payload.txt >&8
assert_eq "" "$ERR"
# where SIGPIPE is ignored (inherited from a parent), brix still ends the same way
expect_rc 141 bash -c "trap '' PIPE; exec \"\$0\" jobs list" "$BRIX" >&8
assert_eq "" "$ERR" "stderr with SIGPIPE ignored"
exec 8>&-
# the everyday form: more than a pipe holds, and head stops reading
brix fs cat dbfs:/s/big.bin 2>"$E2E_TMP/pipe.err" | head -c 1 >"$E2E_TMP/pipe.out"
statuses=("${PIPESTATUS[@]}")
assert_eq "141 0" "${statuses[*]}" "PIPESTATUS of brix fs cat | head -c 1"
assert_eq "" "$(<"$E2E_TMP/pipe.err")" "stderr of brix fs cat | head -c 1"

step "TERM=dumb on a terminal: no cursor-control escapes, plain lines"
if command -v script >/dev/null; then
    mkdir -p many
    for i in $(seq 200); do head -c 2000 /dev/urandom >"many/f$i.bin"; done
    on_tty() {  # on_tty OUTFILE TERM cmd...: cmd on a new pseudo-terminal; all it drew in OUTFILE
        local out=$1 term=$2
        shift 2
        TERM=$term BRIX_PROGRESS_DELAY_MS=0 script -qefc "$(printf '%q ' "$@")" "$E2E_TMP/typescript" </dev/null >"$out" 2>&1
    }
    on_tty "$E2E_TMP/tty.xterm" xterm "$BRIX" fs cp -r many dbfs:/s/many-xterm --concurrency 2
    grep -q $'\r\033\[K' "$E2E_TMP/tty.xterm" || fail "no progress bar drawn for TERM=xterm (the control)"
    ok
    on_tty "$E2E_TMP/tty.dumb" dumb "$BRIX" fs cp -r many dbfs:/s/many-dumb --concurrency 2
    grep -q $'\033' "$E2E_TMP/tty.dumb" && fail "an escape sequence for TERM=dumb: $(grep -c $'\033' "$E2E_TMP/tty.dumb") lines"
    ok
    # every line is a plain "source -> target" line (the pty turns \n into \r\n; no other \r)
    tr -d '\r' <"$E2E_TMP/tty.dumb" | grep -vc -- ' -> dbfs:/s/many-dumb/' >"$E2E_TMP/odd.count"
    assert_eq "0" "$(<"$E2E_TMP/odd.count")" "lines that are not item lines"
    assert_eq "200" "$(grep -c ' -> dbfs:/s/many-dumb/' "$E2E_TMP/tty.dumb")" "item lines"
    [[ $(tr -cd '\r' <"$E2E_TMP/tty.dumb" | wc -c) == "$(wc -l <"$E2E_TMP/tty.dumb")" ]] || fail "a \\r that is not a line end"
    ok
else
    skip "script(1) is not installed"
fi

step "tabs, newlines and backslashes inside names are escaped in text output; JSON stays exact"
create_job '{"name": "tab\there\nnewline\\back", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/s/t.py"}}]}'
ODD_JOB=$JOB
expect_ok brix jobs list
grep -qF "$ODD_JOB"$'\t''tab\there\nnewline\\back' "$OUT_FILE" || fail "the escaped row of job $ODD_JOB is missing"
ok
assert_eq "$(wc -l <"$OUT_FILE")" "2" "one line per job"
expect_ok brix jobs get "$ODD_JOB" -o json
assert_json "$OUT_FILE" 'd["settings"]["name"] == "tab\there\nnewline\\back"'
mkdir -p names
printf x >"names/a"$'\t'"b"
printf x >"names/c"$'\n'"d"
expect_ok brix fs ls names
assert_eq $'a\\tb\nc\\nd' "$OUT" "fs ls of names with a tab and a newline"
expect_ok brix fs ls names -o json
assert_json "$OUT_FILE" 'sorted(e["name"] for e in d) == ["a\tb", "c\nd"]'

step "an unknown command before --help is a usage error (exit 2), not the root help"
expect_exit 2 brix notacommandxyz --help
assert_eq "" "$OUT" "stdout"
assert_eq $'Error: unknown command "notacommandxyz" for "brix"\nRun \'brix --help\' for usage.' "$ERR"
expect_exit 2 brix worksapce --help
assert_eq $'Error: unknown command "worksapce" for "brix"\nDid you mean "workspace"?\nRun \'brix --help\' for usage.' "$ERR"
expect_exit 2 brix workspace lss --help-all
assert_contains "$ERR" 'Did you mean "ls"?'
expect_ok brix workspace --help
assert_contains "$OUT" "Usage:"

step "fs ls of a missing local path exits 1 (3 is for objects on the backend)"
expect_exit 1 brix fs ls ./nothere
assert_eq "Error: The local path ./nothere does not exist." "$ERR"
expect_exit 3 brix fs ls dbfs:/nothere

# =============================================================================================
step "fs cp -r into its own subtree is refused up front, nothing created (DBFS, volume, local)"
expect_ok brix fs put dbfs:/d/sub/f.txt "f"
expect_exit 1 brix fs cp -r dbfs:/d dbfs:/d/sub/copy
assert_eq "Error: cannot copy a folder into itself: dbfs:/d into dbfs:/d/sub/copy" "$ERR"
expect_ok brix fs ls dbfs:/d/sub
assert_eq "f.txt" "$OUT" "dbfs:/d/sub after the refusal"
expect_exit 1 brix fs cp -r dbfs:/d/ dbfs:/d --overwrite
assert_eq "Error: cannot copy a folder into itself: dbfs:/d/ into dbfs:/d" "$ERR"
expect_ok brix fs put /Volumes/main/default/vol/d/f.txt "f"
expect_exit 1 brix fs cp -r /Volumes/main/default/vol/d /Volumes/main/default/vol/d/x
assert_contains "$ERR" "cannot copy a folder into itself"
expect_exit 3 brix fs ls /Volumes/main/default/vol/d/x
mkdir -p ltree/sub
printf 'l\n' >ltree/sub/f.txt
ln -s ltree ltree-link
expect_exit 1 brix fs cp -r ltree ltree/sub/copy
assert_eq "Error: cannot copy a folder into itself: ltree into ltree/sub/copy" "$ERR"
expect_exit 1 brix fs cp -r ltree-link ltree/sub/copy
assert_contains "$ERR" "cannot copy a folder into itself"
assert_eq "ltree/sub/f.txt" "$(find ltree -mindepth 1 ! -type d)" "ltree after the refusals"
assert_eq "ltree/sub" "$(find ltree -mindepth 1 -type d)" "folders of ltree"

step "fs cp -r and import-dir report every item they leave out, and exit 1"
mkdir -p odd/sub
printf 'a\n' >odd/a.txt
printf 'b\n' >odd/sub/b.txt
ln -s nowhere odd/dead
ln -s .. odd/sub/up
mkfifo odd/pipe
expect_exit 1 brix fs cp -r odd dbfs:/odd
assert_eq $'Error: odd/dead: dangling symbolic link; not copied\nError: odd/pipe: not a regular file; not copied\nError: odd/sub/up: symbolic link to a folder; not copied\nError: 3 item(s) not copied' "$ERR"
assert_eq $'odd/a.txt -> dbfs:/odd/a.txt\nodd/sub/b.txt -> dbfs:/odd/sub/b.txt' "$OUT" "what was copied"
expect_exit 1 brix workspace import-dir odd /Shared/odd
assert_eq $'Error: dead: dangling symbolic link; not imported\nError: pipe: not a regular file; not imported\nError: sub/up: symbolic link to a folder; not imported\nError: 3 item(s) failed' "$ERR"
assert_eq $'a.txt -> /Shared/odd/a.txt\nsub/b.txt -> /Shared/odd/sub/b.txt' "$OUT" "what was imported"
# back down: a DBFS tree into a local one is refused into itself as well, and copies cleanly
expect_ok brix fs cp -r dbfs:/odd odd-back
assert_file_eq odd/sub/b.txt odd-back/sub/b.txt

step "import-dir: a notebook utils.py next to a folder utils/ is a clash naming both; nothing imported"
mkdir -p clash/utils
printf '# Databricks notebook source\nprint(1)\n' >clash/utils.py
printf 'helper\n' >clash/utils/helper.txt
printf 'other\n' >clash/other.txt
for flags in "" "--overwrite"; do
    # shellcheck disable=SC2086
    expect_exit 1 brix workspace import-dir clash /Shared/clash $flags
    assert_eq $'Error: utils/ and utils.py both map to /Shared/clash/utils\nError: nothing imported: rename one of each pair' "$ERR"
    assert_eq "" "$OUT" "stdout"
    expect_exit 3 brix workspace get-status /Shared/clash
done
# a plain utils.py (no notebook header) keeps its name, so it does not clash
printf 'print(2)\n' >clash/utils.py
expect_ok brix workspace import-dir clash /Shared/clash
expect_ok brix workspace ls /Shared/clash
assert_eq $'other.txt\nutils\nutils.py' "$OUT"
# with --overwrite, an object that cannot be replaced (a folder where a notebook goes) is a failure
mkdir -p clash2
printf '# Databricks notebook source\nprint(3)\n' >clash2/utils.py
expect_exit 1 brix workspace import-dir clash2 /Shared/clash --overwrite
assert_contains "$ERR" "Error: utils.py: "
assert_contains "$ERR" "Error: 1 item(s) failed"
# without it, the existing object is kept as before
expect_ok brix workspace import-dir clash2 /Shared/clash
assert_eq "utils.py -> /Shared/clash/utils.py (skipped; already exists)" "$OUT"

step "export-dir: a notebook a and a file a.py both export to a.py; nothing exported"
expect_ok brix workspace mkdirs /Shared/ex
expect_ok brix workspace import nb.py /Shared/ex/a -l PYTHON
expect_ok brix workspace import payload.txt /Shared/ex/a.py --format AUTO
expect_ok brix workspace get-status /Shared/ex/a.py
assert_json "$OUT_FILE" 'd["object_type"] == "FILE"'
expect_exit 1 brix workspace export-dir /Shared/ex exported
assert_eq $'Error: /Shared/ex/a and /Shared/ex/a.py both map to exported/a.py\nError: nothing exported: rename one of each pair in the workspace' "$ERR"
assert_no_file exported

# =============================================================================================
step "no HOME: the passwd entry's home, else a clear refusal; never the file system's root"
if ((IS_ROOT)) && command -v setpriv >/dev/null; then
    chmod 711 "$E2E_TMP"
    as_user() {  # as_user UID cmd...: cmd as UID (and group), with an empty environment
        local user=$1
        shift
        (cd / && setpriv --reuid="$user" --regid="$user" --clear-groups env -i PATH="$PATH" "$@")
    }
    if ! getent passwd 54321 >/dev/null; then
        # a user with no passwd entry and no HOME: refused, with what needed the home folder
        expect_exit 1 as_user 54321 "$BRIX" fs ls dbfs:/
        assert_eq "Error: cannot find your home folder for the local engine folder: HOME is not set and your user has no home folder in the password database; set HOME" "$ERR"
        # what does not need it still works: an engine root given, or a workspace in the environment
        mkdir -p "$E2E_TMP/u54321"
        chown 54321:54321 "$E2E_TMP/u54321"
        expect_ok as_user 54321 BRIX_HOME="$E2E_TMP/u54321/root" "$BRIX" fs ls dbfs:/
        if ! backend_is_local; then
            expect_ok as_user 54321 DATABRICKS_HOST="$DATABRICKS_HOST" DATABRICKS_TOKEN="$DATABRICKS_TOKEN" "$BRIX" fs ls dbfs:/s
            assert_contains "$OUT" "payload.txt"
        fi
    fi
    home_of_nobody=$(getent passwd 65534 | cut -d: -f6)
    if [[ -n $home_of_nobody && ! -e $home_of_nobody ]]; then
        # nobody's home from passwd is used (and cannot be created): the error names it
        expect_exit 1 as_user 65534 "$BRIX" fs ls dbfs:/
        assert_eq "Error: cannot create engine folder $home_of_nobody: Permission denied" "$ERR"
    fi

    step "a read-only HOME: the real reason and the folder"
    mkdir -p "$E2E_TMP/rohome"
    chmod 555 "$E2E_TMP/rohome"
    expect_exit 1 as_user 65534 HOME="$E2E_TMP/rohome" "$BRIX" fs ls dbfs:/
    assert_eq "Error: cannot create engine folder $E2E_TMP/rohome/.local: Permission denied" "$ERR"
    assert_eq "" "$(ls -A "$E2E_TMP/rohome")" "the read-only home"
else
    skip "not root or no setpriv: the no-HOME and read-only HOME cases are skipped"
fi

step "a relative BRIX_HOME is refused before anything is made"
if backend_is_local; then
    expect_exit 1 env BRIX_HOME=.brix "$BRIX" fs ls dbfs:/
    assert_eq "Error: BRIX_HOME=.brix: the local engine folder must be an absolute path or start with ~/" "$ERR"
    assert_no_file .brix
fi

step "an engine root with ':' in its path: tasks refuse to start, with the reason"
cat >"$E2E_TMP/marker.py" <<EOF
open("$E2E_TMP/task-ran", "w").write("ran")
EOF
saved_root=$ROOT
ROOT=$E2E_TMP/with:colon
export BRIX_HOME=$ROOT
backend_restart
expect_ok brix workspace import "$E2E_TMP/marker.py" /Shared/marker.py
create_job '{"name": "colon", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/marker.py"}}]}'
expect_exit 5 brix jobs run-now "$JOB"
assert_contains "$ERR" "The engine root $ROOT contains ':', which PYTHONPATH cannot hold: tasks cannot run from it"
expect_ok brix jobs list-runs --job-id "$JOB" -o json
assert_json "$OUT_FILE" 'd[0]["state"]["result_state"] == "FAILED"'
assert_no_file "$E2E_TMP/task-ran"
ROOT=$saved_root
export BRIX_HOME=$ROOT
backend_restart

finish
