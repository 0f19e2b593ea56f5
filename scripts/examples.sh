#!/bin/sh
# examples.sh - install what is missing, build slac, and run the main job
# on the shipped examples: check the three policies, evaluate each
# example's data, and compare with the committed expectations.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target slac_cli
slac=$PWD/build/slac
echo "== slac check policies/*.sla"
"$slac" check policies/*.sla
for dir in examples/*/; do
  [ -f "$dir/command" ] || continue
  echo "== examples/$(basename "$dir"): slac eval $(cat "$dir/command")"
  (cd "$dir" && eval "\"$slac\" eval $(cat command) --format text")
done
echo "== expected outputs"
sh examples/run.sh "$slac"
