#!/bin/sh
# test.sh - install what is missing, build, and run every test (see
# docs/reliability.md):
#   1. a normal build: unit tests, the data-driven suites, fuzz corpus and
#      crash replays, limits, and the end-to-end suites under valgrind;
#   2. an AddressSanitizer + UndefinedBehaviorSanitizer build: the same
#      (valgrind aside);
#   3. a fault-injection build (ASan + SLAC_ALLOC_FAIL): every allocation
#      of representative runs fails in turn, and reads and writes fail;
#   4. a libFuzzer build (clang): every fuzz target for SLAC_FUZZ_SECONDS
#      (default 30) each, two at a time;
#   5. a coverage build (gcc --coverage): the whole suite, fault injection
#      included, then a gcovr report of grammar/, compiler/ and runtime/
#      (build-cov/coverage.txt, build-cov/coverage.html).
# SLAC_TEST_STAGES="normal asan faults fuzz coverage" selects stages.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
stages=${SLAC_TEST_STAGES:-normal asan faults fuzz coverage}
want() { case " $stages " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
start=$(date +%s)
stamp() { echo "-- $1 done at $(($(date +%s) - start)) s"; }

if want normal; then
  echo "== normal build"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLAC_WERROR=ON >/dev/null
  cmake --build build -j"$jobs"
  (cd build && ctest --output-on-failure -j"$jobs")
  stamp "normal build"
fi

if want asan; then
  echo "== ASan+UBSan build"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSLAC_SANITIZE=ON -DSLAC_WERROR=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  (cd build-asan && ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j"$jobs")
  stamp "ASan+UBSan build"
fi

if want faults; then
  echo "== fault-injection build (ASan+UBSan, the Nth allocation fails)"
  cmake -S . -B build-faults -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLAC_SANITIZE=ON \
    -DSLAC_ALLOC_FAIL=ON -DSLAC_WERROR=ON >/dev/null
  cmake --build build-faults -j"$jobs" --target slac_cli winsums_faults
  (cd build-faults && ctest --output-on-failure -R '^faults_')
  stamp "fault injection"
fi

if want fuzz; then
  echo "== libFuzzer build (clang), ${SLAC_FUZZ_SECONDS:-30} s per target"
  CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLAC_FUZZ=ON >/dev/null
  cmake --build build-fuzz -j"$jobs" --target fuzz slac_cli
  # the same source gives the same bytecode with clang as with gcc (the
  # constant pool once depended on C's open order of argument evaluation)
  sh tests/golden/run.sh build-fuzz/slac .
  SLAC_FUZZ_BUILD=build-fuzz SLAC_FUZZ_JOBS="$jobs" sh tests/fuzz/run.sh all "${SLAC_FUZZ_SECONDS:-30}"
  stamp "fuzzing"
fi

if want coverage; then
  echo "== coverage build"
  cmake -S . -B build-cov -DCMAKE_BUILD_TYPE=Debug -DSLAC_COVERAGE=ON -DSLAC_ALLOC_FAIL=ON >/dev/null
  find build-cov -name '*.gcda' -delete
  cmake --build build-cov -j"$jobs"
  (cd build-cov && ctest --output-on-failure -j"$jobs")
  # Generated sources (lexer.c, parser.c) are left out; the actions in
  # lexer.l and parser.y are counted through their #line directives.
  gcovr -r . build-cov -j "$jobs" --filter 'grammar/' --filter 'compiler/' --filter 'runtime/' --filter 'lsp/' \
    --exclude '.*/lexer\.c' --exclude '.*/parser\.c' --exclude-unreachable-branches \
    --txt build-cov/coverage.txt --html-details build-cov/coverage.html --print-summary
  stamp "coverage"
fi
echo "== all tests passed in $(($(date +%s) - start)) s"
