#!/usr/bin/env bash
# Installs what brix needs from Debian's packages (and nothing by hand). Usage:
#   scripts/install-deps.sh build   # compilers and libraries
#   scripts/install-deps.sh test    # build + what the test suites drive (sqlite3, python3, git, node/npm,
#                                   # zsh and fish for completions, groff and man for the man page,
#                                   # clang's libFuzzer/ASan/UBSan for scripts/sanitize.sh and scripts/fuzz.sh)
#   scripts/install-deps.sh fuzz    # build + clang and its sanitizer/libFuzzer runtimes, Catch2
#   scripts/install-deps.sh bench   # build + what tests/bench/report.sh drives (wrk, curl, GNU time)
# apt-get runs only when something is missing, so a prepared machine starts at once.
set -euo pipefail
mode=${1:-build}
packages=(build-essential cmake pkg-config git libcli11-dev libcurl4-openssl-dev nlohmann-json3-dev libyaml-cpp-dev
          libfmt-dev libsqlite3-dev libcpp-httplib-dev libssl-dev zlib1g-dev python3
          # tasks with libraries, environments or %pip get their own virtual environment
          python3-venv)
if [ "$mode" = test ]; then
  packages+=(catch2 sqlite3 curl zsh fish groff-base man-db)
  # the environment suites build wheels offline with pip; unshare (util-linux) tells what namespaces allow
  packages+=(python3-pip python3-setuptools python3-wheel util-linux)
  # The JS SDK test needs node and npm; a machine that has them (from anywhere) keeps its own.
  command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi
if [ "$mode" = test ] || [ "$mode" = fuzz ]; then
  # libclang-rt-14-dev holds libFuzzer and the ASan/UBSan runtimes; clang only recommends it.
  packages+=(catch2 clang libclang-rt-14-dev)
fi
[ "$mode" = bench ] && packages+=(wrk curl time)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
