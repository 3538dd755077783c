#!/usr/bin/env bash
# fs: put/cat, cp in every direction (files, trees, binary and empty files), ls, mkdirs, rm, mv,
# on DBFS and on volumes (/Volumes/... and dbfs:/Volumes/... are one tree), and the refusals.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

# ---------------------------------------------------------------------------------------------
step "put and cat"
expect_ok brix fs put dbfs:/tmp/a.txt "hello"
assert_eq "" "$OUT" "put output"
expect_ok brix fs cat dbfs:/tmp/a.txt
assert_out_bytes "hello"
# an existing file is kept without --overwrite, replaced with it
expect_exit 1 brix fs put dbfs:/tmp/a.txt "other"
assert_eq "Error: A file or directory already exists at the input path dbfs:/tmp/a.txt." "$ERR"
expect_ok brix fs cat dbfs:/tmp/a.txt
assert_out_bytes "hello"
expect_ok brix fs put dbfs:/tmp/a.txt $'bye\n' --overwrite
expect_ok brix fs cat dbfs:/tmp/a.txt
assert_out_bytes $'bye\n'
# from a local file (binary) and from stdin
rand_bytes 70000 >blob.bin
expect_ok brix fs put dbfs:/tmp/blob.bin --file blob.bin
expect_ok brix fs cat dbfs:/tmp/blob.bin
assert_file_eq blob.bin "$OUT_FILE"
expect_exit 1 brix fs put dbfs:/tmp/blob.bin --file a_missing_file
assert_eq "Error: The local file a_missing_file does not exist." "$ERR"
printf 'from stdin\0with a NUL\n' >stdin.txt
expect_exit_stdin 0 stdin.txt brix fs put dbfs:/tmp/stdin.txt
expect_ok brix fs cat dbfs:/tmp/stdin.txt
assert_file_eq stdin.txt "$OUT_FILE"
expect_exit_stdin 1 stdin.txt brix fs put dbfs:/tmp/stdin.txt
expect_exit_stdin 0 blob.bin brix fs put dbfs:/tmp/stdin.txt --overwrite
expect_ok brix fs cat dbfs:/tmp/stdin.txt
assert_file_eq blob.bin "$OUT_FILE"
# an empty file, and parents created on the way
expect_ok brix fs put dbfs:/tmp/new/deep/empty ""
expect_ok brix fs cat dbfs:/tmp/new/deep/empty
assert_out_bytes ""
expect_ok brix fs ls -l dbfs:/tmp/new/deep
[[ $OUT =~ ^file$'\t'0$'\t'empty$'\t'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]] || fail "ls -l line: [$OUT]"
ok
expect_exit 2 brix fs put dbfs:/tmp/x "text" --file blob.bin
assert_contains "$ERR" "Error: give CONTENTS or --file, not both"
expect_exit 2 brix fs put ./local.txt "text"
assert_contains "$ERR" "is a local path"
assert_no_file local.txt

# ---------------------------------------------------------------------------------------------
step "cp -r of a 3-level tree to DBFS and back"
mkdir -p tree/one/two/three tree/empty_dir
printf 'top\n' >tree/top.txt
: >tree/one/empty_file
rand_bytes 3000000 >tree/one/big.bin
rand_bytes 1 >tree/one/two/one_byte
printf 'name with spaces\n' >"tree/one/two/with space.txt"
rand_bytes 12345 >tree/one/two/three/deep.bin
printf 'é\n' >tree/one/two/three/café.txt
printf 'odd\n' >"tree/one/a b#c%20d?e&f+g;=.txt"
expect_ok brix fs cp -r tree dbfs:/data/tree
assert_eq 8 "$(wc -l <"$OUT_FILE")" "cp -r lines"
assert_contains "$OUT" "tree/one/big.bin -> dbfs:/data/tree/one/big.bin"
expect_ok brix fs cp -r dbfs:/data/tree back
assert_contains "$OUT" "dbfs:/data/tree/one/big.bin -> back/one/big.bin"
assert_trees_eq tree back
# the engine holds the same bytes where it says it does
assert_trees_eq tree "$ROOT/dbfs/data/tree"
# a file of many 1 MB dbfs/read blocks (more than are read at once) and one of whole blocks
# come back byte for byte, through `cp` and `cat`
rand_bytes 10500000 >many_blocks.bin
rand_bytes 2097152 >whole_blocks.bin
expect_ok brix fs cp many_blocks.bin dbfs:/data/many_blocks.bin
expect_ok brix fs cp whole_blocks.bin dbfs:/data/whole_blocks.bin
expect_ok brix fs cp dbfs:/data/many_blocks.bin many_blocks.back
assert_file_eq many_blocks.bin many_blocks.back
expect_ok brix fs cp dbfs:/data/whole_blocks.bin whole_blocks.back
assert_file_eq whole_blocks.bin whole_blocks.back
expect_ok brix fs cat dbfs:/data/many_blocks.bin
assert_file_eq many_blocks.bin "$OUT_FILE"
# again without --overwrite: everything skipped, nothing changed
printf 'changed\n' >tree/top.txt
expect_exit 0 brix fs cp -r tree dbfs:/data/tree
assert_contains "$ERR" "dbfs:/data/tree/top.txt already exists. Skip."
assert_eq 8 "$(grep -c "already exists. Skip." "$ERR_FILE")" "skip lines"
expect_ok brix fs cat dbfs:/data/tree/top.txt
assert_out_bytes $'top\n'
expect_ok brix fs cp -r --overwrite tree dbfs:/data/tree
expect_ok brix fs cat dbfs:/data/tree/top.txt
assert_out_bytes $'changed\n'
expect_exit 0 brix fs cp -r dbfs:/data/tree back
assert_contains "$ERR" "back/top.txt already exists. Skip."
expect_ok brix fs cp -r dbfs:/data/tree back --overwrite
assert_trees_eq tree back
# a link back up the tree is not followed (reported, exit 1); a link to a file is copied as the file
mkdir -p linked/sub
printf 'a\n' >linked/a.txt
ln -s .. linked/sub/up
ln -s ../a.txt linked/sub/a_link.txt
expect_exit 1 brix fs cp -r linked dbfs:/linked
assert_eq $'Error: linked/sub/up: symbolic link to a folder; not copied\nError: 1 item(s) not copied' "$ERR"
assert_eq $'linked/a.txt -> dbfs:/linked/a.txt\nlinked/sub/a_link.txt -> dbfs:/linked/sub/a_link.txt' "$OUT"
expect_ok brix fs cat dbfs:/linked/sub/a_link.txt
assert_out_bytes $'a\n'
expect_ok brix fs rm -r dbfs:/linked
# quiet mode prints nothing
expect_ok brix -q fs cp -r tree dbfs:/data/quiet
assert_eq "" "$OUT" "cp -q output"
# a folder needs -r; a folder onto a file is refused
expect_exit 1 brix fs cp tree dbfs:/data/x
assert_eq "Error: tree is a directory. You must provide --recursive (-r)" "$ERR"
expect_exit 1 brix fs cp dbfs:/data/tree ./x
assert_eq "Error: dbfs:/data/tree is a directory. You must provide --recursive (-r)" "$ERR"
assert_no_file x
expect_exit 1 brix fs cp -r tree dbfs:/tmp/a.txt
assert_eq "Error: Cannot copy a directory onto the file dbfs:/tmp/a.txt" "$ERR"
expect_exit 1 brix fs cp missing_local dbfs:/data/x
assert_eq "Error: The local file missing_local does not exist." "$ERR"
expect_exit 3 brix fs cp dbfs:/data/missing ./x
assert_eq "Error: No file or directory exists on path dbfs:/data/missing." "$ERR"

step "cp of single files: into folders, dbfs to dbfs, parents created, overwrite"
expect_ok brix fs mkdirs dbfs:/inbox
expect_ok brix fs cp blob.bin dbfs:/inbox
expect_ok brix fs cat dbfs:/inbox/blob.bin
assert_file_eq blob.bin "$OUT_FILE"
mkdir localdir
expect_ok brix fs cp dbfs:/inbox/blob.bin localdir
assert_file_eq blob.bin localdir/blob.bin
expect_ok brix fs cp dbfs:/inbox/blob.bin dbfs:/a/b/c/copy.bin
expect_ok brix fs cat dbfs:/a/b/c/copy.bin
assert_file_eq blob.bin "$OUT_FILE"
expect_ok brix fs cp dbfs:/a/b/c/copy.bin dbfs:/inbox
expect_ok brix fs ls dbfs:/inbox
assert_eq $'blob.bin\ncopy.bin' "$OUT" "ls after cp into folder"
expect_exit 1 brix fs cp blob.bin dbfs:/inbox/copy.bin
assert_eq "Error: A file or directory already exists at the input path dbfs:/inbox/copy.bin." "$ERR"
expect_exit 1 brix fs cp dbfs:/tmp/a.txt dbfs:/inbox/copy.bin
expect_ok brix fs cp dbfs:/tmp/a.txt dbfs:/inbox/copy.bin --overwrite
expect_ok brix fs cat dbfs:/inbox/copy.bin
assert_out_bytes $'bye\n'
expect_exit 1 brix fs cp dbfs:/tmp/a.txt localdir/blob.bin
assert_eq "Error: localdir/blob.bin already exists; use --overwrite to replace it" "$ERR"
assert_file_eq blob.bin localdir/blob.bin
expect_ok brix fs cp dbfs:/tmp/a.txt localdir/blob.bin --overwrite
[[ $(cat localdir/blob.bin) == bye ]] || fail "cp --overwrite to local"
ok
expect_ok brix fs cp dbfs:/tmp/a.txt new/local/parents/a.txt
[[ $(cat new/local/parents/a.txt) == bye ]] || fail "cp to a new local folder"
ok
# a target ending in "/" is a folder, created when missing
expect_ok brix fs cp blob.bin dbfs:/landing/
expect_ok brix fs ls -o json dbfs:/landing
assert_json "$OUT_FILE" '[(e["name"], e["is_directory"], e["size"]) for e in d] == [("blob.bin", False, 70000)]'
expect_ok brix fs cp dbfs:/landing/blob.bin downloads/
assert_file_eq blob.bin downloads/blob.bin
expect_ok brix fs cp dbfs:/landing/blob.bin dbfs:/landing2/
expect_ok brix fs ls dbfs:/landing2
assert_eq "blob.bin" "$OUT"
expect_ok brix fs rm -r dbfs:/landing
expect_ok brix fs rm -r dbfs:/landing2
expect_ok brix fs cp file:"$WORK/blob.bin" dbfs:/inbox/from_file_scheme.bin
expect_ok brix fs cat dbfs:/inbox/from_file_scheme.bin
assert_file_eq blob.bin "$OUT_FILE"

step "ls: names, -l, --absolute, -o json, files, local folders"
expect_ok brix fs ls dbfs:/
assert_eq $'a\ndata\ninbox\ntmp' "$OUT" "ls dbfs:/"
expect_ok brix fs ls
assert_eq $'a\ndata\ninbox\ntmp' "$OUT" "ls with no path"
expect_ok brix fs ls dbfs:/tmp --absolute
assert_eq $'dbfs:/tmp/a.txt\ndbfs:/tmp/blob.bin\ndbfs:/tmp/new\ndbfs:/tmp/stdin.txt' "$OUT" "ls --absolute"
expect_ok brix fs ls -l dbfs:/tmp
assert_eq $'file\t4\ta.txt\nfile\t70000\tblob.bin\ndir\t0\tnew\nfile\t70000\tstdin.txt' "$(cut -f1-3 "$OUT_FILE")" "ls -l"
expect_ok brix fs ls -l --absolute dbfs:/tmp/a.txt
assert_eq $'file\t4\tdbfs:/tmp/a.txt' "$(cut -f1-3 "$OUT_FILE")" "ls -l of a file"
expect_ok brix fs ls dbfs:/tmp -o json
assert_json "$OUT_FILE" '[(e["name"], e["path"], e["is_directory"], e["size"]) for e in d] == [("a.txt", "dbfs:/tmp/a.txt", False, 4), ("blob.bin", "dbfs:/tmp/blob.bin", False, 70000), ("new", "dbfs:/tmp/new", True, 0), ("stdin.txt", "dbfs:/tmp/stdin.txt", False, 70000)] and all(e["last_modified"] > 1600000000000 for e in d)'
expect_exit 3 brix fs ls dbfs:/nope
assert_eq "Error: No file or directory exists on path dbfs:/nope." "$ERR"
expect_ok brix fs ls localdir
assert_eq "blob.bin" "$OUT" "ls of a local folder"
expect_ok brix fs cat localdir/blob.bin
assert_out_bytes "bye"$'\n'

step "mkdirs / mkdir, rm / rm -r"
expect_ok brix fs mkdirs dbfs:/made/a/b
expect_ok brix fs mkdirs dbfs:/made/a/b
expect_ok brix fs mkdir dbfs:/made/c
expect_ok brix fs ls dbfs:/made -o json
assert_json "$OUT_FILE" '[(e["name"], e["is_directory"]) for e in d] == [("a", True), ("c", True)]'
expect_ok brix fs rm dbfs:/made/c
expect_exit 3 brix fs ls dbfs:/made/c
expect_exit 1 brix fs rm dbfs:/made
assert_eq "Error: Directory is not empty. Use recursive delete or remove contents first: dbfs:/made" "$ERR"
expect_ok brix fs rm -r dbfs:/made
expect_exit 3 brix fs ls dbfs:/made
expect_ok brix fs rm dbfs:/made
expect_ok brix fs rm dbfs:/inbox/blob.bin
expect_exit 3 brix fs cat dbfs:/inbox/blob.bin
assert_eq "Error: No file or directory exists on path dbfs:/inbox/blob.bin." "$ERR"
expect_ok brix fs rm --recursive dbfs:/data/quiet
expect_exit 3 brix fs ls dbfs:/data/quiet

step "mv"
expect_ok brix fs mv dbfs:/inbox/copy.bin dbfs:/archive/2024/copy.bin
expect_exit 3 brix fs cat dbfs:/inbox/copy.bin
expect_ok brix fs cat dbfs:/archive/2024/copy.bin
assert_out_bytes $'bye\n'
expect_ok brix fs mv dbfs:/archive dbfs:/moved_archive
expect_ok brix fs ls --absolute dbfs:/moved_archive/2024
assert_eq "dbfs:/moved_archive/2024/copy.bin" "$OUT"
expect_exit 1 brix fs mv dbfs:/tmp/a.txt dbfs:/tmp/blob.bin
assert_eq "Error: A file or directory already exists at the input path dbfs:/tmp/blob.bin." "$ERR"
expect_exit 3 brix fs mv dbfs:/nope dbfs:/x
assert_eq "Error: No file or directory exists on path dbfs:/nope." "$ERR"

# ---------------------------------------------------------------------------------------------
step "volumes: /Volumes/... and dbfs:/Volumes/... are one tree"
vol=/Volumes/main/default/vol
expect_ok brix fs put $vol/landing/x.txt "in a volume"
expect_ok brix fs cat dbfs:$vol/landing/x.txt
assert_out_bytes "in a volume"
expect_ok brix fs cp blob.bin dbfs:$vol/landing/
expect_ok brix fs ls $vol/landing
assert_eq $'blob.bin\nx.txt' "$OUT" "ls of a volume folder"
expect_ok brix fs ls --absolute dbfs:$vol/landing
assert_eq "$vol/landing/blob.bin"$'\n'"$vol/landing/x.txt" "$OUT" "ls --absolute of a volume folder"
expect_ok brix fs ls -l $vol/landing
assert_eq $'file\t70000\tblob.bin\nfile\t11\tx.txt' "$(cut -f1-3 "$OUT_FILE")" "ls -l of a volume folder"
expect_ok brix fs ls -o json $vol
assert_json "$OUT_FILE" '[(e["name"], e["is_directory"]) for e in d] == [("landing", True)]'
expect_exit 1 brix fs put $vol/landing/x.txt "again"
assert_eq "Error: The file $vol/landing/x.txt already exists." "$ERR"
expect_ok brix fs put $vol/landing/x.txt "again" --overwrite
expect_ok brix fs cat $vol/landing/x.txt
assert_out_bytes "again"
expect_ok brix fs cp -r tree $vol/tree
expect_ok brix fs cp -r dbfs:$vol/tree vol_back
assert_trees_eq tree vol_back
expect_ok brix fs cp dbfs:/tmp/blob.bin $vol/from_dbfs.bin
expect_ok brix fs cp $vol/from_dbfs.bin dbfs:/tmp/from_vol.bin
expect_ok brix fs cat dbfs:/tmp/from_vol.bin
assert_file_eq blob.bin "$OUT_FILE"
expect_ok brix fs cp blob.bin $vol/drop/
expect_ok brix fs ls $vol/drop
assert_eq "blob.bin" "$OUT" "cp into a new volume folder"
expect_ok brix fs rm -r $vol/drop
expect_ok brix fs mkdirs $vol/made/deep
expect_ok brix fs ls dbfs:$vol/made
assert_eq "deep" "$OUT"
expect_ok brix fs mv $vol/landing $vol/moved
expect_exit 3 brix fs ls $vol/landing
expect_ok brix fs cat $vol/moved/x.txt
assert_out_bytes "again"
expect_exit 1 brix fs rm $vol/tree
expect_ok brix fs rm -r $vol/tree
expect_exit 3 brix fs ls $vol/tree
assert_eq "Error: No file or directory exists on path $vol/tree." "$ERR"
expect_ok brix fs rm dbfs:$vol/moved/x.txt
expect_exit 3 brix fs cat $vol/moved/x.txt
expect_exit 1 brix fs ls /Volumes/main
assert_contains "$ERR" "Files API paths must name a file or folder in a volume"

# ---------------------------------------------------------------------------------------------
step "refusals: folders as files, local paths for changes, bad schemes"
expect_exit 1 brix fs cat dbfs:/tmp
assert_eq "Error: dbfs:/tmp is a directory" "$ERR"
assert_eq "" "$OUT" "cat of a folder prints nothing"
expect_exit 1 brix fs cat $vol/moved
assert_eq "Error: $vol/moved is a directory" "$ERR"
expect_exit 1 brix fs put dbfs:/tmp "x"
expect_exit 1 brix fs put dbfs:/tmp/new "x" --overwrite
assert_eq "Error: A file or directory already exists at the input path dbfs:/tmp/new." "$ERR"
mkdir -p keep/me
expect_exit 2 brix fs rm -r keep
assert_eq $'Error: keep is a local path; use dbfs:/... or /Volumes/... (local paths work only with cp, ls and cat)\nRun \'brix fs rm --help\' for usage.' "$ERR"
[[ -d keep/me ]] || fail "fs rm removed a local folder"
ok
expect_exit 2 brix fs rm "$WORK/keep/me"
expect_exit 2 brix fs mkdirs newlocal
assert_no_file newlocal
expect_exit 2 brix fs mv localdir/blob.bin dbfs:/x
expect_exit 2 brix fs ls s3://bucket/key
assert_contains "$ERR" "Error: invalid scheme: s3"
expect_exit 2 brix fs cat dbfs://tmp/a.txt
assert_contains "$ERR" "Error: The path dbfs://tmp/a.txt cannot start with dbfs://. It must start with dbfs:/"
expect_exit 2 brix fs cat dbfs:tmp/a.txt
assert_contains "$ERR" 'Error: The path dbfs:tmp/a.txt must start with dbfs:/'
expect_exit 2 brix -o json fs cat dbfs:/tmp/a.txt
assert_contains "$ERR" "Error: json output is not supported by fs cat"
expect_exit 2 brix fs cp onlyone
expect_exit 2 brix fs cp a b --bogus
assert_contains "$ERR" "Error: unknown flag: --bogus"

finish
