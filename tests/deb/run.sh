#!/bin/sh
# run.sh - the Debian package: cpack -G DEB into a temporary folder, its
# file list compared with expected-files.txt (paths only: no sizes, dates
# or modes), its Depends (libc6, libgmp10, libjansson4 from
# dpkg-shlibdeps), then unpacked with dpkg-deb -x: the unpacked
# usr/bin/slac runs, and examples/embed/embed.c builds against the
# unpacked usr/ through its slac.pc (whose prefix follows the file).
#   sh tests/deb/run.sh BUILD-DIR SOURCE-DIR     (UPDATE=1 rewrites the list)
set -u
[ $# -eq 2 ] || { echo "usage: sh run.sh BUILD-DIR SOURCE-DIR" >&2; exit 2; }
build=$1
src=$2
here=$src/tests/deb
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/out" > "$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1
fi
deb=$(ls "$tmp"/out/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { cat "$tmp/cpack.log"; echo "FAIL: cpack wrote no .deb"; exit 1; }
ok

# the files, as paths (and link targets), sorted
dpkg-deb -c "$deb" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' | LC_ALL=C sort > "$tmp/files"
if [ "${UPDATE:-}" = 1 ]; then cp "$tmp/files" "$here/expected-files.txt"; fi
if cmp -s "$tmp/files" "$here/expected-files.txt"; then ok
else fail "the package's files differ from tests/deb/expected-files.txt:"; diff -u "$here/expected-files.txt" "$tmp/files"; fi

name=$(dpkg-deb -f "$deb" Package)
[ "$name" = slac ] && ok || fail "Package is '$name', expected slac"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libgmp10 libjansson4; do
  case ", $depends" in
    *", $lib "* | *", $lib,"* | *", $lib") ok ;;
    *) fail "Depends does not name $lib: $depends" ;;
  esac
done

# unpacked: the command runs, and embed.c builds and runs against usr/
dpkg-deb -x "$deb" "$tmp/root"
if "$tmp/root/usr/bin/slac" --version > "$tmp/version" 2>&1; then ok
else fail "usr/bin/slac --version: $(cat "$tmp/version")"; fi
pc=$(find "$tmp/root/usr" -name slac.pc | head -1)
pcdir=$(dirname "$pc")
# shellcheck disable=SC2046,SC2086
if cc -std=c11 ${EMBED_CFLAGS:-} "$src/examples/embed/embed.c" \
     $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs slac) -o "$tmp/embed" 2> "$tmp/cc.log"; then
  libdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir slac)
  if (cd "$src" && LD_LIBRARY_PATH=$libdir "$tmp/embed" policies/saleor.sla examples/saleor 2>/dev/null) |
       cmp -s - "$src/examples/embed/expected.txt"; then ok
  else fail "embed built against the unpacked package: output differs from examples/embed/expected.txt"; fi
else
  cat "$tmp/cc.log"; fail "cc embed.c against the unpacked usr/"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
