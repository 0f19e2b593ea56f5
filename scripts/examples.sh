#!/bin/sh
# examples.sh - install what is missing, build slac, and run the main job
# on the shipped policies and examples.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target slac_cli
echo "== slac check policies/*.sla"
./build/slac check policies/*.sla
