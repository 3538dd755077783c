#!/usr/bin/env bash
# What users install: `cmake --install` (with a prefix, and with DESTDIR) puts the binary, the
# `databricks` link, the man page and the completion scripts in their standard folders, and
# `cpack -G DEB` builds a package with those files, its dependencies and its metadata, whose
# binary runs once unpacked (and, as root, once installed by dpkg into a scratch root).
set -uo pipefail
BRIX=${BRIX:-$(cd "$(dirname "$0")/../.." && pwd)/build/brix}
BUILD_DIR=${BRIX_BUILD_DIR:-$(dirname "$BRIX")}
SOURCE_DIR=${BRIX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d "${TMPDIR:-/tmp}/brix-packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT
export BRIX_HOME=$work/engine DATABRICKS_CONFIG_FILE=$work/none.cfg
unset DATABRICKS_HOST DATABRICKS_TOKEN DATABRICKS_CONFIG_PROFILE
passed=0
failed=0
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() {  # check NAME COMMAND...: passes when COMMAND succeeds
    local name=$1
    shift
    if "$@"; then passed=$((passed + 1)); else fail "$name"; fi
}
contains() { [[ $1 == *"$2"* ]]; }
step() { echo "--- [${SECONDS}s] $*"; }

version=$("$BRIX" --version)
with_link=0
grep -q '^BRIX_INSTALL_DATABRICKS_LINK:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" && with_link=1

# The files of an installed tree, relative to its prefix (share/...), for the completion scripts
# present in the sources: they are optional until someone writes them.
expected_files() {
    echo bin/brix
    [[ $with_link = 1 ]] && echo bin/databricks
    echo share/man/man1/brix.1.gz
    if [[ -f $SOURCE_DIR/completions/brix.bash ]]; then
        echo share/bash-completion/completions/brix
        [[ $with_link = 1 ]] && echo share/bash-completion/completions/databricks
    fi
    [[ -f $SOURCE_DIR/completions/_brix ]] && echo share/zsh/vendor-completions/_brix
    [[ -f $SOURCE_DIR/completions/brix.fish ]] && echo share/fish/vendor_completions.d/brix.fish
    return 0
}

# check_tree PREFIX WHAT: the installed files are there and the binary works from there.
check_tree() {
    local prefix=$1 what=$2 file
    for file in $(expected_files); do
        check "$what: $file is installed" [ -e "$prefix/$file" ]
    done
    check "$what: bin/brix is executable" [ -x "$prefix/bin/brix" ]
    check "$what: brix --version" [ "$("$prefix/bin/brix" --version 2>&1)" = "$version" ]
    check "$what: brix runs a command" "$prefix/bin/brix" workspace ls / >/dev/null
    if [[ $with_link = 1 ]]; then
        check "$what: databricks is a relative link to brix" [ "$(readlink "$prefix/bin/databricks")" = brix ]
        check "$what: databricks --version" [ "$("$prefix/bin/databricks" --version 2>&1)" = "$version" ]
        check "$what: the link names itself databricks" \
            grep -q '^Usage: databricks workspace' <<<"$("$prefix/bin/databricks" workspace --help)"
    fi
    check "$what: the man page is the build's" cmp -s <(gzip -dc "$prefix/share/man/man1/brix.1.gz") "$BUILD_DIR/brix.1"
    if command -v man >/dev/null; then
        check "$what: man shows brix(1)" grep -q "brix workspace import" \
            <<<"$(MANWIDTH=100 man -l "$prefix/share/man/man1/brix.1.gz" 2>/dev/null </dev/null)"
    fi
    for file in $(expected_files); do
        case $file in
            share/bash-completion/*) check "$what: $file is the bash script" cmp -s "$prefix/$file" "$SOURCE_DIR/completions/brix.bash" ;;
            share/zsh/*) check "$what: $file is the zsh script" cmp -s "$prefix/$file" "$SOURCE_DIR/completions/_brix" ;;
            share/fish/*) check "$what: $file is the fish script" cmp -s "$prefix/$file" "$SOURCE_DIR/completions/brix.fish" ;;
        esac
    done
}

step "cmake --install --prefix"
if cmake --install "$BUILD_DIR" --prefix "$work/prefix" >"$work/install.log" 2>&1; then
    check_tree "$work/prefix" "install --prefix"
else
    fail "cmake --install failed: $(tail -5 "$work/install.log")"
fi

step "cmake --install with DESTDIR"
if DESTDIR=$work/dest cmake --install "$BUILD_DIR" --prefix /usr >"$work/destdir.log" 2>&1; then
    check_tree "$work/dest/usr" "DESTDIR install"
else
    fail "DESTDIR install failed: $(tail -5 "$work/destdir.log")"
fi

step "cpack -G DEB"
if ! (cd "$work" && cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$work/package") >"$work/cpack.log" 2>&1; then
    fail "cpack failed: $(tail -5 "$work/cpack.log")"
    echo "test_packaging: $passed checks passed, $failed failed"
    exit 1
fi
deb=$(ls "$work"/package/*.deb)
contents=$(dpkg-deb -c "$deb")
for file in $(expected_files); do
    check "the package has /usr/$file" grep -qE " \./usr/$file( -> brix)?$" <<<"$contents"
done
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: brix" [ "$(field Package)" = brix ]
check "Version is the project's" [ "brix $(field Version)" = "$version" ]
check "Architecture is this machine's" [ "$(field Architecture)" = "$(dpkg --print-architecture)" ]
depends=$(field Depends)
for package in python3 libcurl4 libc6; do
    check "Depends names $package: $depends" grep -qE "(^|, )$package( |,|$)" <<<"$depends"
done
recommends=$(field Recommends)
for package in libcpp-httplib0.11 git; do
    check "Recommends names $package: $recommends" grep -qE "(^|, )$package( |,|$)" <<<"$recommends"
done
check "Section: utils" [ "$(field Section)" = utils ]
check "a Maintainer with an address" grep -qE '<.+@.+>' <<<"$(field Maintainer)"
check "a description with a summary and a body" [ "$(field Description | wc -l)" -ge 3 ]

step "the unpacked package"
dpkg-deb -x "$deb" "$work/unpacked"
check_tree "$work/unpacked/usr" "unpacked .deb"

if [[ $(id -u) = 0 ]] && command -v dpkg >/dev/null; then
    step "dpkg -i into a scratch root"
    root=$work/dpkg-root
    mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info"
    : >"$root/var/lib/dpkg/status"
    # The scratch root has none of the dependencies; the package has no maintainer scripts to run.
    if dpkg --root="$root" --log=/dev/null --force-depends --force-script-chrootless -i "$deb" >"$work/dpkg.log" 2>&1; then
        check_tree "$root/usr" "dpkg -i"
        check "dpkg knows the package's files" grep -q /usr/bin/brix <<<"$(dpkg --root="$root" -L brix)"
    else
        fail "dpkg -i failed: $(tail -5 "$work/dpkg.log")"
    fi
fi

echo "test_packaging: $passed checks passed, $failed failed (${SECONDS}s)"
[ "$failed" = 0 ]
