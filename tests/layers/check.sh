#!/bin/sh
# check.sh - the include rule: a layer includes only the layers it uses.
#
#   sh check.sh LAYERS.TXT ROOT
#
# LAYERS.TXT is written by CMakeLists.txt (slac_layer), one line per
# layer: "NAME FOLDER USED-LAYER...".  Every .c, .h, .l and .y file under a
# layer's folder (not below another layer's) may include, by a path with a
# folder ("runtime/vm/program.h"), only files of its own layer or of the
# layers it uses; a bare name ("parser.h") is a file generated in the build
# tree, allowed only in grammar/.  Each break is printed as
# FILE:LINE: ... and the exit status is 1; the last line is
# "N passed, N failed" (files checked, files with a break).
if [ $# -ne 2 ]; then
  echo "usage: sh check.sh LAYERS.TXT ROOT" >&2
  exit 2
fi
rules=$1
cd "$2" || exit 2
awk -v rules="$rules" '
  BEGIN {
    while ((getline l < rules) > 0) {
      if (l ~ /^#/ || l == "") continue
      n = split(l, w, " ")
      folder[w[1]] = w[2]; layer_of[w[2]] = w[1]; nl++; names[nl] = w[1]
      allowed[w[1], w[1]] = 1
      for (i = 3; i <= n; i++) allowed[w[1], w[i]] = 1
      uses[w[1]] = n >= 3 ? w[3] : ""
      for (i = 4; i <= n; i++) uses[w[1]] = uses[w[1]] " " w[i]
    }
    if (nl == 0) { print rules ": no layers" > "/dev/stderr"; exit 2 }
  }
  # The layer owning PATH: the longest layer folder that is a prefix.
  function owner(path,   best, k, f) {
    best = ""
    for (k = 1; k <= nl; k++) {
      f = folder[names[k]]
      if (index(path, f "/") == 1 && length(f) > length(folder[best])) best = names[k]
    }
    return best
  }
  FNR == 1 {
    if (NR > 1) { checked++; if (bad_here) bad++ }
    me = owner(FILENAME); bad_here = 0
  }
  /^[ \t]*#[ \t]*include[ \t]*"/ {
    inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
    if (index(inc, "/") == 0) {
      if (me != "grammar") {
        printf "%s:%d: includes \"%s\": a bare name is a generated file, allowed only in grammar/\n", FILENAME, FNR, inc
        bad_here = 1
      }
      next
    }
    to = owner(inc)
    if (to == "") {
      printf "%s:%d: includes \"%s\", which is in no layer\n", FILENAME, FNR, inc
      bad_here = 1
    } else if (!allowed[me, to]) {
      printf "%s:%d: includes \"%s\" of layer %s, but layer %s may use only: %s\n", \
        FILENAME, FNR, inc, to, me, uses[me] == "" ? "(none: libc only)" : uses[me]
      bad_here = 1
    }
  }
  END {
    if (NR > 0) { checked++; if (bad_here) bad++ }
    printf "%d passed, %d failed\n", checked - bad, bad
    exit bad > 0
  }
' $(for f in $(awk '!/^#/ && NF {print $2}' "$rules"); do
      [ -d "$f" ] && find "$f" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' -o -name '*.l' -o -name '*.y' \)
    done | sort)
