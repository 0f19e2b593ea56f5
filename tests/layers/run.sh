#!/bin/sh
# run.sh - the include-rule test (check.sh) on the real tree, and on a
# small tree that breaks the rule (bad/), whose exact report must be
# expected.out: a checker that cannot fail would pass the real tree too.
#
#   sh run.sh LAYERS.TXT ROOT
here=$(cd "$(dirname "$0")" && pwd)
out=$(sh "$here/check.sh" "$here/bad/layers.txt" "$here/bad"); rc=$?
if [ $rc -ne 1 ] || [ "$out" != "$(cat "$here/expected.out")" ]; then
  echo "check.sh on tests/layers/bad: exit $rc, report:"
  echo "$out"
  echo "layers: the checker did not report the broken tree as expected"
  exit 1
fi
sh "$here/check.sh" "$1" "$2"
