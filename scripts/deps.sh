#!/bin/sh
# deps.sh - install the Debian packages slac needs to build and test,
# only those that are missing (idempotent; run as root on Debian).
set -eu
packages="gcc make cmake pkg-config flex bison libcmocka-dev libjansson-dev libgmp-dev"
# hardening (scripts/test.sh): valgrind, clang with its libFuzzer and
# sanitizer runtimes, gcovr
packages="$packages valgrind clang libclang-rt-14-dev gcovr"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
fi
