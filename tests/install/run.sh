#!/bin/sh
# run.sh - libslac as an embedder gets it: `cmake --install` into a
# temporary prefix, then examples/embed/embed.c built with pkg-config
# against the installed library, shared and static, each run from the
# repository root and compared with examples/embed/expected.txt; the
# installed command and manual page are checked too.
#   sh tests/install/run.sh BUILD-DIR SOURCE-DIR
# EMBED_CFLAGS (environment): extra flags for cc, e.g. the sanitizers of
# an ASan build, whose library needs their runtime in the program.
set -u
[ $# -eq 2 ] || { echo "usage: sh run.sh BUILD-DIR SOURCE-DIR" >&2; exit 2; }
build=$1
src=$2
prefix=$(mktemp -d) || exit 2
trap 'rm -rf "$prefix"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

cmake --install "$build" --prefix "$prefix" > "$prefix/install.log" 2>&1 ||
  { cat "$prefix/install.log"; echo "FAIL: cmake --install"; exit 1; }
pcdir=$(dirname "$(find "$prefix" -name slac.pc | head -1)")
pc() { PKG_CONFIG_PATH=$pcdir pkg-config "$@"; }
libdir=$(pc --variable=libdir slac)
cflags=${EMBED_CFLAGS:-}

# shared, found at run time through LD_LIBRARY_PATH
# shellcheck disable=SC2046,SC2086
if cc -std=c11 $cflags "$src/examples/embed/embed.c" $(pc --cflags --libs slac) \
     -o "$prefix/embed" 2> "$prefix/cc.log"; then
  if (cd "$src" && LD_LIBRARY_PATH=$libdir "$prefix/embed" policies/saleor.sla examples/saleor \
        2> /dev/null) | cmp -s - "$src/examples/embed/expected.txt"; then ok
  else fail "embed (shared) output differs from examples/embed/expected.txt"; fi
  if ldd "$prefix/embed" | grep -q "libslac.so.0 => $libdir"; then ok
  else LD_LIBRARY_PATH=$libdir ldd "$prefix/embed" | grep -q "libslac.so.0 => $libdir" && ok ||
       fail "embed (shared) does not use the installed libslac.so.0"; fi
else
  cat "$prefix/cc.log"; fail "cc embed.c (shared)"
fi

# static: libslac.a and what pkg-config --static adds (jansson, gmp, pthread)
# shellcheck disable=SC2046,SC2086
if cc -std=c11 $cflags "$src/examples/embed/embed.c" $(pc --cflags slac) \
     "$libdir/libslac.a" $(pc --static --libs slac | sed 's/-lslac//') \
     -o "$prefix/embed-static" 2> "$prefix/cc.log"; then
  if (cd "$src" && "$prefix/embed-static" policies/saleor.sla examples/saleor 2> /dev/null) |
       cmp -s - "$src/examples/embed/expected.txt"; then ok
  else fail "embed (static) output differs from examples/embed/expected.txt"; fi
  if ldd "$prefix/embed-static" 2>/dev/null | grep -q libslac; then fail "embed (static) uses libslac.so"
  else ok; fi
else
  cat "$prefix/cc.log"; fail "cc embed.c (static)"
fi

# the command and its manual page
if "$prefix/bin/slac" --version > "$prefix/version" 2>&1 && grep -q '0\.[0-9]*\.[0-9]*' "$prefix/version"; then ok
else fail "$prefix/bin/slac --version: $(cat "$prefix/version")"; fi
if [ -s "$prefix/share/man/man1/slac.1" ]; then ok; else fail "share/man/man1/slac.1 is missing"; fi
for f in include/slac/slac.h include/slac/version.h share/doc/slac/README.md share/doc/slac/architecture.md; do
  if [ -s "$prefix/$f" ]; then ok; else fail "$f is not installed"; fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
