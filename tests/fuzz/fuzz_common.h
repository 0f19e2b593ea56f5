/* fuzz_common.h - shared by the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang and
 * -fsanitize=fuzzer (SLAC_FUZZ) it is a libFuzzer binary; built with
 * replay.c instead it is a plain program that runs the target once per
 * file, which is how the corpus and the crash regressions are replayed
 * in the normal and sanitizer builds.
 */
#ifndef SLAC_FUZZ_COMMON_H
#define SLAC_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/base/diag.h"
#include "runtime/vm/program.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A stream that discards everything (diagnostics, reports, listings). */
FILE *fuzz_devnull(void);

/* The shipped policy policies/NAME.sla, compiled, loaded and verified
 * once; aborts when that fails (the fuzz target could test nothing). */
const slac_program *fuzz_policy(const char *name);

/* Path of a file in this process's scratch directory (created once). */
const char *fuzz_path(const char *name);

/* Write SIZE bytes to PATH; aborts on failure. */
void fuzz_write(const char *path, const uint8_t *data, size_t size);

/* A file shipped with the sources: REPO/REL. */
const char *fuzz_source_file(const char *rel);

#endif
