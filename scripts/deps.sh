#!/bin/sh
# deps.sh - install the Debian packages slac needs to build and test,
# only those that are missing (idempotent; run as root on Debian).
set -eu
packages="gcc make cmake pkg-config flex bison libcmocka-dev libjansson-dev libgmp-dev"
# hardening (scripts/test.sh): valgrind, clang with its libFuzzer and
# sanitizer runtimes, gcovr
packages="$packages valgrind clang libclang-rt-14-dev gcovr"
# libslac (tests/exports, tests/deb): nm, and dpkg-shlibdeps for the
# Depends of the Debian package that cpack builds
packages="$packages binutils dpkg-dev"
# the editor syntax test (tests/editors): Vim with syntax support
packages="$packages vim"
# the docs run (tests/docs): jq, which docs/tools.md shows with check --format json
packages="$packages jq"
# the completion test (tests/cli): bash runs the bash completion, zsh
# parses the zsh one
packages="$packages bash zsh"
# the PostgreSQL extension (pg/, tests/pg): the server, PGXS and its headers;
# setpriv (util-linux) runs the throwaway cluster as a user that is not root
packages="$packages postgresql-15 postgresql-server-dev-15 util-linux"
# the browser test (tests/browser): headless chromium renders the html
# statements, pdftotext (poppler-utils) reads the PDF it prints
packages="$packages chromium poppler-utils"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# Node.js and npm (the TextMate grammar's test installs vscode-textmate
# from the npm registry): Debian's packages, unless a node and an npm are
# there already (another distribution of Node.js brings its own npm, and
# Debian's npm would conflict with it)
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  echo "deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
fi
