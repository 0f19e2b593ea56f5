/* support.h - helpers shared by the unit tests. */
#ifndef SLAC_TEST_SUPPORT_H
#define SLAC_TEST_SUPPORT_H

#include "runtime/vm/program.h"

/* The shipped policy policies/FILE, compiled from its source and loaded
 * from the bytecode, as the CLI does; NULL (after a message on stderr)
 * when that fails. */
slac_program *test_load_shipped_policy(const char *file);

/* The policy TEXT (named NAME in messages), compiled and loaded the same
 * way; NULL (after a message on stderr) when that fails. */
slac_program *test_compile_policy_text(const char *name, const char *text);
/* The next number of the deterministic generator splitmix64 whose state
 * is *STATE (the random-model tests draw their cases from it). */
uint64_t test_splitmix64(uint64_t *state);

/* Diagnostics D whose sink copies the message of the last one into BUF
 * (as text, without site), counting as usual; BUF is "" until then. */
void test_message_diags(slac_diags *d, char *buf, size_t size);

/* CPU seconds of the calling thread so far.  Tests of issue 15 compare a
 * hostile input with an ordinary one of the same size by this ratio (the
 * best of a few runs, with generous bounds): a ratio, unlike a time, barely
 * moves when other builds load the machine. */
double test_cpu_seconds(void);

/* The best (least) CPU seconds of RUNS calls of FN(ARG).  Memory that a
 * run frees is kept for the next (glibc: no trimming, no mmap). */
double test_best_cpu(int runs, void (*fn)(void *), void *arg);

#endif
