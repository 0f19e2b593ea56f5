/* test_bytecode.c - the .slbc file end to end, and the defences of its
 * loader and verifier.
 *
 *  - round trips: each shipped policy is compiled, loaded and
 *    disassembled; the listing is its golden (tests/golden/NAME.disasm),
 *    writing the loaded program gives the same bytes back, and two builds
 *    of one source are byte-identical;
 *  - generated corruption on the .slbc of a small policy and of saleor:
 *    every truncation, every single-byte change at every offset, bad
 *    magic, version, flags, length and checksum, trailing garbage.  Each
 *    one must be rejected with "bad bytecode: ..." (under ASan in CI, so a
 *    read past the end or a leak fails the test);
 *  - the same mutations with the checksum and length recomputed, so that
 *    the structural checks and the verifier are what stand in the way:
 *    a mutated file is either rejected with "bad bytecode: ..." or, if it
 *    is accepted, disassembles, runs in the VM on several inputs without
 *    crashing, and writes back to the very same bytes;
 *  - every code byte of the small policy set to every value, and of the
 *    shipped ones with each bit flipped, straight into slac_program_verify
 *    (and into the VM when it says yes);
 *  - hand-assembled programs that must be rejected with exact messages;
 *  - docs/bytecode.md's opcode and field tables checked against
 *    runtime/vm/opcodes.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/codegen.h"
#include "support.h"
#include "compiler/disasm.h"
#include "runtime/base/currency.h"
#include "runtime/base/fileio.h"
#include "runtime/base/sha256.h"
#include "runtime/vm/opcodes.h"
#include "runtime/vm/program.h"
#include "runtime/vm/vm.h"

static const char *const shipped[] = {"piwik-pro", "saleor", "tagoio"};
#define NSHIPPED (sizeof shipped / sizeof shipped[0])

static const char tiny_src[] =
    "policy tiny version 1 {\n"
    "  currency USD\n"
    "  period calendar month in UTC\n"
    "  service api \"API\" {\n"
    "    measure unavailable minutes\n"
    "    commit 99.9%\n"
    "  }\n"
    "  credit of monthly fee {\n"
    "    below 99.9% -> 10%\n"
    "  }\n"
    "}\n";

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static uint8_t *read_whole(const char *path, size_t *size) {
  uint8_t *bytes = NULL;
  slac_diags d;
  slac_diags_init(&d, stderr);
  if (slac_read_file(path, &bytes, size, &d) != 0) fail();
  return bytes;
}

/* Source text -> .slbc bytes; any diagnostic other than a warning fails. */
static void compile_text(const char *name, const char *text, size_t size, uint8_t **bytes,
                         size_t *n) {
  char *log = NULL;
  size_t logsize = 0;
  FILE *sink = open_memstream(&log, &logsize);
  assert_non_null(sink);
  slac_diags d;
  slac_diags_init(&d, sink);
  slac_source src;
  int rc = slac_source_from_text(&src, name, text, size, &d);
  if (rc == 0) rc = slac_compile_source(&src, &d, bytes, n);
  slac_source_free(&src);
  fclose(sink);
  if (rc != 0) print_error("%s does not compile:\n%s", name, log);
  free(log);
  assert_int_equal(rc, 0);
}

static void compile_policy(const char *name, uint8_t **bytes, size_t *n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/policies/%s.sla", SLAC_SOURCE_DIR, name);
  size_t size;
  uint8_t *text = read_whole(path, &size);
  compile_text(path, (const char *)text, size, bytes, n);
  free(text);
}

static void compile_tiny(uint8_t **bytes, size_t *n) {
  compile_text("tiny.sla", tiny_src, sizeof tiny_src - 1, bytes, n);
}

/* Loads a private copy of exactly N bytes, so that ASan sees any read
 * past the end. */
static int load_copy(const uint8_t *bytes, size_t n, slac_program **p, char *err, size_t errsize) {
  uint8_t *copy = malloc(n ? n : 1);
  assert_non_null(copy);
  if (n) memcpy(copy, bytes, n);
  slac_diags d;
  test_message_diags(&d, err, errsize);
  int rc = slac_program_load(copy, n, "p.slbc", p, &d);
  free(copy);
  /* every failure is reported, and only failures */
  assert_int_equal(d.errors > 0, rc != 0);
  return rc;
}

static slac_program *load_ok(const uint8_t *bytes, size_t n) {
  slac_program *p = NULL;
  char err[512];
  int rc = load_copy(bytes, n, &p, err, sizeof err);
  if (rc != 0) print_error("load failed: %s\n", err);
  assert_int_equal(rc, 0);
  assert_non_null(p);
  return p;
}

static char *disasm_text(const slac_program *p) {
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  assert_non_null(f);
  slac_disasm(p, f);
  fclose(f);
  return text;
}

static void put_le(uint8_t *at, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; i++) at[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le(const uint8_t *at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = v << 8 | at[i];
  return v;
}

/* Make a file's header true again after its payload was changed: the
 * total length and the CRC-32 of everything after the CRC field. */
static void reseal(uint8_t *b, size_t n) {
  put_le(b + 8, (uint32_t)n, 4);
  put_le(b + 12, slac_crc32(b + SLAC_BC_CRC_FROM, n - SLAC_BC_CRC_FROM), 4);
}

/* The load of B must fail with exactly WANT (or, when PREFIX is true,
 * with a message that starts with WANT).  CTX names the case. */
static void expect_reject_as(const uint8_t *b, size_t n, const char *want, bool prefix,
                             const char *ctx) {
  static slac_program dummy;
  slac_program *p = &dummy; /* the loader must reset it to NULL */
  char err[512];
  int rc = load_copy(b, n, &p, err, sizeof err);
  bool ok = rc == -1 && p == NULL &&
            (prefix ? strncmp(err, want, strlen(want)) == 0 : strcmp(err, want) == 0);
  if (!ok) {
    print_error("%s: rc %d, message '%s', want %s'%s'\n", ctx, rc, err, prefix ? "a prefix " : "",
                want);
    slac_program_free(rc == 0 ? p : NULL);
    fail();
  }
}

/* ------------------------------------------------------------------ */
/* Running whatever the loader accepted                                 */
/* ------------------------------------------------------------------ */

typedef struct {
  slac_vm_service_input *svc;
  int64_t *secs; /* [nservices * ncauses * 2] */
  slac_vm_service_output *out;
} vm_bufs;

/* Three inputs: no account and no downtime; an account with some of
 * everything; an overdue account that was down all month. */
static void fill_input(const slac_program *p, vm_bufs *bufs, int variant, slac_vm_input *in) {
  static const int64_t minutes[3] = {0, 50, 44640};
  memset(in, 0, sizeof *in);
  in->month_minutes = 44640;
  in->has_account = variant > 0;
  in->fee = slac_num_int(variant == 1 ? 100 : 7);
  in->currency = 0;
  int digits = slac_currency_digits(p->currencies[0]);
  in->minor_digits = digits < 0 ? 2 : digits;
  in->plan = variant == 1 ? "Free" : variant == 2 ? "Enterprise" : "";
  in->standing_good = variant != 2;
  in->services = bufs->svc;
  for (int s = 0; s < p->nservices; s++) {
    slac_vm_service_input *si = &bufs->svc[s];
    int64_t *excl = bufs->secs + (size_t)s * p->ncauses * 2, *excess = excl + p->ncauses;
    for (int c = 0; c < p->ncauses; c++) {
      excl[c] = variant * 600;
      excess[c] = variant * 60;
    }
    si->unavailable_minutes = minutes[variant];
    si->excluded_minutes = variant * 10;
    si->error_rate = slac_num_int(variant == 2 ? 100 : variant);
    si->affected = variant > 0;
    si->charge = slac_num_int(variant * 20);
    si->excluded_seconds = excl;
    si->excess_seconds = excess;
  }
}

/* Disassembles P and runs it on every input: no crash, and either
 * success or a clean arithmetic error.  Returns the runs that succeeded. */
static int exercise(const slac_program *orig, const char *ctx) {
  free(disasm_text(orig));
  /* the VM runs the decoded code: decode this (maybe changed) code anew */
  slac_program copy = *orig, *p = &copy;
  copy.ops = NULL;
  copy.op_index = NULL;
  slac_diags dd;
  slac_diags_init(&dd, stderr);
  assert_int_equal(slac_program_predecode(&copy, ctx, &dd), 0);
  vm_bufs bufs;
  bufs.svc = calloc(p->nservices, sizeof *bufs.svc);
  bufs.secs = calloc((size_t)p->nservices * p->ncauses * 2, sizeof *bufs.secs);
  bufs.out = calloc(p->nservices, sizeof *bufs.out);
  assert_true(bufs.svc && bufs.secs && bufs.out);
  int ok = 0;
  for (int v = 0; v < 3; v++) {
    slac_vm_input in;
    fill_input(p, &bufs, v, &in);
    slac_vm_output out;
    memset(&out, 0, sizeof out);
    out.services = bufs.out;
    char err[512] = "";
    int rc = slac_vm_run(p, &in, &out, err, sizeof err);
    if (rc == 0) ok++;
    else if (rc != -1 || strncmp(err, "policy arithmetic failed at offset ", 35) != 0) {
      print_error("%s: input %d: rc %d, '%s'\n", ctx, v, rc, err);
      fail();
    }
    slac_vm_output_clear(&out);
  }
  free(bufs.svc);
  free(bufs.secs);
  free(bufs.out);
  free(copy.ops);
  free(copy.op_index);
  return ok;
}

/* A mutated file that was resealed: rejected with "bad bytecode: ", or
 * accepted, exercised, and written back to the same bytes.  Returns 1
 * when accepted. */
static int rejected_or_sound(const uint8_t *b, size_t n, const char *ctx) {
  slac_program *p = NULL;
  char err[512];
  int rc = load_copy(b, n, &p, err, sizeof err);
  if (rc != 0) {
    if (rc != -1 || p != NULL || strncmp(err, "bad bytecode: ", 14) != 0) {
      print_error("%s: rc %d, '%s'\n", ctx, rc, err);
      fail();
    }
    return 0;
  }
  exercise(p, ctx);
  uint8_t *again = NULL;
  size_t m = 0;
  assert_int_equal(slac_program_write(p, &again, &m), 0);
  if (m != n || memcmp(again, b, n) != 0) {
    print_error("%s: accepted, but writes back different bytes\n", ctx);
    fail();
  }
  free(again);
  slac_program_free(p);
  return 1;
}

/* ------------------------------------------------------------------ */
/* Where things are in a file (recomputed from the loaded program)      */
/* ------------------------------------------------------------------ */

typedef struct {
  size_t nstrings, nnums, nsets, id, ncurrencies, base, ncauses, nservices, code_size, code,
      nlines, nnotes;
} layout;

static layout layout_of(const slac_program *p) {
  layout l;
  size_t at = SLAC_BC_HEADER_SIZE;
  l.nstrings = at;
  at += 2;
  for (int i = 0; i < p->nstrings; i++) at += 4 + strlen(p->strings[i]);
  l.nnums = at;
  at += 2 + 16u * p->nnums;
  l.nsets = at;
  at += 2;
  for (int i = 0; i < p->nsets; i++) at += 2 + 2u * p->set_sizes[i];
  l.id = at;
  at += 2 + 2 + 2 + 4;
  l.ncurrencies = at;
  at += 1 + 3u * p->ncurrencies;
  l.base = at;
  at += 1 + 1 + 1; /* base, then the cap over several months and its rolling flag */
  l.ncauses = at;
  at += 1 + 2u * p->ncauses;
  l.nservices = at;
  at += 1;
  for (int i = 0; i < p->nservices; i++) /* fixed fields, rules, error kinds, terms */
    at += 2 + 2 + 1 + 4 + 1 + 1 + 1 + 2 + 4 + 4 + 2 + 10u * p->ncauses +
          2 + 2u * p->services[i].nkinds + 1 + 3u * p->services[i].nterms;
  at += 2 + 2u * p->ncharges; /* charges that earn no credit */
  l.code_size = at;
  l.code = at + 4;
  l.nlines = l.code + p->code_size;
  l.nnotes = l.nlines + 4 + 8u * p->nlines;
  return l;
}

/* ------------------------------------------------------------------ */
/* Round trips                                                          */
/* ------------------------------------------------------------------ */

static void test_round_trip_shipped(void **state) {
  (void)state;
  for (size_t i = 0; i < NSHIPPED; i++) {
    uint8_t *a, *b;
    size_t na, nb;
    compile_policy(shipped[i], &a, &na);
    compile_policy(shipped[i], &b, &nb);
    /* two builds of one source are byte-identical */
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);

    /* the header tells the truth */
    assert_memory_equal(a, SLAC_BC_MAGIC, 4);
    assert_int_equal(get_le(a + 4, 2), SLAC_BC_VERSION);
    assert_int_equal(get_le(a + 6, 2), 0);
    assert_int_equal(get_le(a + 8, 4), na);
    assert_int_equal(get_le(a + 12, 4), slac_crc32(a + SLAC_BC_CRC_FROM, na - SLAC_BC_CRC_FROM));
    char path[1024];
    snprintf(path, sizeof path, "%s/policies/%s.sla", SLAC_SOURCE_DIR, shipped[i]);
    size_t srcsize;
    uint8_t *src = read_whole(path, &srcsize);
    uint8_t digest[32];
    slac_sha256(src, srcsize, digest);
    assert_memory_equal(a + 16, digest, 32);
    free(src);

    /* load -> disassemble is the golden listing */
    slac_program *p = load_ok(a, na);
    char *listing = disasm_text(p);
    snprintf(path, sizeof path, "%s/tests/golden/%s.disasm", SLAC_SOURCE_DIR, shipped[i]);
    size_t gsize;
    uint8_t *golden = read_whole(path, &gsize);
    if (strlen(listing) != gsize || memcmp(listing, golden, gsize) != 0) {
      print_error("%s: the listing differs from %s (UPDATE=1 sh tests/golden/run.sh regenerates it)\n",
                  shipped[i], path);
      fail();
    }
    free(golden);
    free(listing);

    /* load -> write gives the same bytes: the loader keeps everything */
    uint8_t *c;
    size_t nc;
    assert_int_equal(slac_program_write(p, &c, &nc), 0);
    assert_int_equal(nc, na);
    assert_memory_equal(c, a, na);
    /* and the layout computed here matches the file (used below) */
    layout l = layout_of(p);
    assert_int_equal(get_le(a + l.code_size, 4), p->code_size);
    assert_int_equal(get_le(a + l.nlines, 4), p->nlines);
    assert_int_equal(l.nnotes + 2 + 5u * p->nnotes, na);
    assert_true(exercise(p, shipped[i]) == 3);
    free(c);
    slac_program_free(p);
    free(a);
    free(b);
  }
}

/* The bytes depend on the source text only: a comment added at the end
 * changes the source hash (and so the CRC), nothing else. */
static void test_build_depends_on_source_only(void **state) {
  (void)state;
  uint8_t *a, *b;
  size_t na, nb;
  compile_tiny(&a, &na);
  char text[sizeof tiny_src + 64];
  snprintf(text, sizeof text, "%s// a comment\n", tiny_src);
  compile_text("tiny2.sla", text, strlen(text), &b, &nb);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, 12);
  assert_memory_not_equal(a + 16, b + 16, 32);
  assert_memory_equal(a + SLAC_BC_HEADER_SIZE, b + SLAC_BC_HEADER_SIZE, na - SLAC_BC_HEADER_SIZE);
  free(a);
  free(b);
}

/* ------------------------------------------------------------------ */
/* Corruption of the file as it is (header not fixed)                   */
/* ------------------------------------------------------------------ */

static void every_truncation(const uint8_t *b, size_t n, const char *name) {
  char want[256], ctx[128];
  for (size_t len = 0; len < n; len++) {
    if (len < 4)
      snprintf(want, sizeof want, "bad bytecode: not a slac bytecode file (no SLBC signature)");
    else if (len < SLAC_BC_HEADER_SIZE)
      snprintf(want, sizeof want, "bad bytecode: truncated at byte %zu", len);
    else
      snprintf(want, sizeof want, "bad bytecode: truncated at byte %zu (the header says %zu bytes)",
               len, n);
    snprintf(ctx, sizeof ctx, "%s cut to %zu bytes", name, len);
    expect_reject_as(b, len, want, false, ctx);
  }
}

/* The message for a file of format VERSION, which this slac does not read. */
static void version_message(char *want, size_t size, unsigned version) {
  snprintf(want, size, "bad bytecode: format version %u, this slac reads version %d: %s", version,
           SLAC_BC_VERSION,
           version < SLAC_BC_VERSION
               ? "the file was built by an older slac; rebuild it from its source with `slac build POLICY.sla`"
               : "the file was built by a newer slac; use that slac, or rebuild it from its source with this one");
}

/* The message for byte OFF changed, by region of the header. */
static void expect_flip_rejected(const uint8_t *b, size_t n, size_t off, const char *ctx) {
  if (off < 4) {
    expect_reject_as(b, n, "bad bytecode: not a slac bytecode file (no SLBC signature)", false, ctx);
  } else if (off < 6) {
    char want[256];
    version_message(want, sizeof want, get_le(b + 4, 2));
    expect_reject_as(b, n, want, false, ctx);
  } else if (off < 8) {
    char want[64];
    snprintf(want, sizeof want, "bad bytecode: unknown flags 0x%04x", get_le(b + 6, 2));
    expect_reject_as(b, n, want, false, ctx);
  } else if (off < 12) {
    uint32_t len = get_le(b + 8, 4);
    char want[128];
    if (len > n)
      snprintf(want, sizeof want, "bad bytecode: truncated at byte %zu (the header says %u bytes)", n, len);
    else
      snprintf(want, sizeof want, "bad bytecode: %zu byte%s of trailing garbage after byte %u", n - len,
               n - len == 1 ? "" : "s", len);
    expect_reject_as(b, n, want, false, ctx);
  } else {
    expect_reject_as(b, n, "bad bytecode: checksum mismatch: the file is damaged", false, ctx);
  }
}

/* Every offset changed to every other value (ALL), or xor 0x01, 0x80
 * and 0xFF. */
static void every_byte_change(const uint8_t *b, size_t n, const char *name, bool all) {
  uint8_t *m = malloc(n);
  assert_non_null(m);
  memcpy(m, b, n);
  char ctx[128];
  static const uint8_t xors[] = {0x01, 0x80, 0xFF};
  for (size_t off = 0; off < n; off++) {
    int count = all ? 255 : 3;
    for (int k = 0; k < count; k++) {
      uint8_t x = all ? (uint8_t)(k + 1) : xors[k];
      m[off] = b[off] ^ x;
      snprintf(ctx, sizeof ctx, "%s byte %zu xor 0x%02x", name, off, x);
      expect_flip_rejected(m, n, off, ctx);
    }
    m[off] = b[off];
  }
  free(m);
}

static void header_cases(const uint8_t *b, size_t n, const char *name) {
  uint8_t *m = malloc(n + 100);
  assert_non_null(m);
  char want[256];
  (void)name;
#define RESET() memcpy(m, b, n)
  /* magic */
  static const char *const magics[] = {"SLBD", "slbc", "\177ELF", "CBLS", "\0\0\0\0"};
  for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
    RESET();
    memcpy(m, magics[i], 4);
    expect_reject_as(m, n, "bad bytecode: not a slac bytecode file (no SLBC signature)", false, "magic");
  }
  /* a source file is not bytecode */
  expect_reject_as((const uint8_t *)tiny_src, sizeof tiny_src - 1,
                   "bad bytecode: not a slac bytecode file (no SLBC signature)", false, "source");
  /* version: older, newer, absurd; even with a true checksum */
  static const uint16_t versions[] = {0, SLAC_BC_VERSION + 1, 0xFFFF};
  for (size_t i = 0; i < 3; i++) {
    RESET();
    put_le(m + 4, versions[i], 2);
    reseal(m, n);
    version_message(want, sizeof want, versions[i]);
    expect_reject_as(m, n, want, false, "version");
  }
  /* flags */
  RESET();
  put_le(m + 6, 1, 2);
  expect_reject_as(m, n, "bad bytecode: unknown flags 0x0001", false, "flags");
  /* checksum */
  RESET();
  put_le(m + 12, get_le(b + 12, 4) + 1, 4);
  expect_reject_as(m, n, "bad bytecode: checksum mismatch: the file is damaged", false, "crc+1");
  RESET();
  put_le(m + 12, 0, 4);
  expect_reject_as(m, n, "bad bytecode: checksum mismatch: the file is damaged", false, "crc=0");
  /* length */
  RESET();
  put_le(m + 8, (uint32_t)n + 1, 4);
  snprintf(want, sizeof want, "bad bytecode: truncated at byte %zu (the header says %zu bytes)", n, n + 1);
  expect_reject_as(m, n, want, false, "length+1");
  RESET();
  put_le(m + 8, 0xFFFFFFFFu, 4);
  snprintf(want, sizeof want, "bad bytecode: truncated at byte %zu (the header says 4294967295 bytes)", n);
  expect_reject_as(m, n, want, false, "length max");
  RESET();
  put_le(m + 8, (uint32_t)n - 1, 4);
  snprintf(want, sizeof want, "bad bytecode: 1 byte of trailing garbage after byte %zu", n - 1);
  expect_reject_as(m, n, want, false, "length-1");
  RESET();
  put_le(m + 8, 0, 4);
  snprintf(want, sizeof want, "bad bytecode: %zu bytes of trailing garbage after byte 0", n);
  expect_reject_as(m, n, want, false, "length 0");
  /* trailing garbage, header as written */
  RESET();
  m[n] = 0;
  snprintf(want, sizeof want, "bad bytecode: 1 byte of trailing garbage after byte %zu", n);
  expect_reject_as(m, n + 1, want, false, "1 trailing byte");
  memset(m + n, 'x', 100);
  snprintf(want, sizeof want, "bad bytecode: 100 bytes of trailing garbage after byte %zu", n);
  expect_reject_as(m, n + 100, want, false, "100 trailing bytes");
  /* trailing garbage with a header that claims it */
  reseal(m, n + 1);
  snprintf(want, sizeof want, "bad bytecode: 1 unexpected byte at byte %zu", n);
  expect_reject_as(m, n + 1, want, false, "1 resealed trailing byte");
  reseal(m, n + 100);
  snprintf(want, sizeof want, "bad bytecode: 100 unexpected bytes at byte %zu", n);
  expect_reject_as(m, n + 100, want, false, "100 resealed trailing bytes");
  /* two files back to back */
  RESET();
  memcpy(m + n, b, 100 < n ? 100 : n);
  snprintf(want, sizeof want, "bad bytecode: 100 bytes of trailing garbage after byte %zu", n);
  expect_reject_as(m, n + 100, want, false, "concatenated");
#undef RESET
  free(m);
}

static void test_corrupt_tiny(void **state) {
  (void)state;
  uint8_t *b;
  size_t n;
  compile_tiny(&b, &n);
  every_truncation(b, n, "tiny");
  every_byte_change(b, n, "tiny", true);
  header_cases(b, n, "tiny");
  free(b);
}

static void test_corrupt_saleor(void **state) {
  (void)state;
  uint8_t *b;
  size_t n;
  compile_policy("saleor", &b, &n);
  every_truncation(b, n, "saleor");
  every_byte_change(b, n, "saleor", false);
  header_cases(b, n, "saleor");
  free(b);
}

/* ------------------------------------------------------------------ */
/* Corruption with a true header: the structure and the verifier        */
/* ------------------------------------------------------------------ */

/* Every payload truncation, resealed: the first short read reports it. */
static void every_resealed_truncation(const uint8_t *b, size_t n, const char *name) {
  uint8_t *m = malloc(n);
  assert_non_null(m);
  char want[128], ctx[128];
  for (size_t len = SLAC_BC_HEADER_SIZE; len < n; len++) {
    memcpy(m, b, len);
    reseal(m, len);
    snprintf(want, sizeof want, "bad bytecode: truncated at byte %zu", len);
    snprintf(ctx, sizeof ctx, "%s cut to %zu bytes, resealed", name, len);
    expect_reject_as(m, len, want, false, ctx);
  }
  free(m);
}

/* Every payload byte changed, resealed.  With ALL: the counts and the
 * declarations (policy, currencies, causes, services) to every other
 * value, every other byte (string text, numbers, code, line table) with
 * each bit and all bits flipped; test_verifier_every_code_byte tries
 * every value of every code byte, faster.  Else xor 0x01 and 0xFF. */
static void every_resealed_change(const uint8_t *b, size_t n, const char *name, bool all,
                                  int *accepted, int *rejected) {
  slac_program *p = load_ok(b, n);
  layout l = layout_of(p);
  slac_program_free(p);
  uint8_t *m = malloc(n);
  assert_non_null(m);
  memcpy(m, b, n);
  char ctx[128];
  static const uint8_t xors[] = {0x01, 0xFF, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80};
  for (size_t off = SLAC_BC_HEADER_SIZE; off < n; off++) {
    bool exhaustive = (off >= l.id && off < l.code) || off - l.nstrings < 2 || off - l.nnums < 2 ||
                      off - l.nsets < 2 || off - l.nlines < 4 || off - l.nnotes < 2;
    int count = !all ? 2 : exhaustive ? 255 : 9;
    for (int k = 0; k < count; k++) {
      uint8_t x = count == 255 ? (uint8_t)(k + 1) : xors[k];
      m[off] = b[off] ^ x;
      reseal(m, n);
      snprintf(ctx, sizeof ctx, "%s byte %zu xor 0x%02x, resealed", name, off, x);
      if (rejected_or_sound(m, n, ctx)) (*accepted)++;
      else (*rejected)++;
    }
    m[off] = b[off];
  }
  free(m);
}

static void test_resealed_tiny(void **state) {
  (void)state;
  uint8_t *b;
  size_t n;
  compile_tiny(&b, &n);
  every_resealed_truncation(b, n, "tiny");
  int accepted = 0, rejected = 0;
  every_resealed_change(b, n, "tiny", true, &accepted, &rejected);
  /* both outcomes happen: text in strings may change freely, counts
   * mostly may not */
  assert_true(accepted > 0);
  assert_true(rejected > 0);
  free(b);
}

static void test_resealed_saleor(void **state) {
  (void)state;
  uint8_t *b;
  size_t n;
  compile_policy("saleor", &b, &n);
  every_resealed_truncation(b, n, "saleor");
  int accepted = 0, rejected = 0;
  every_resealed_change(b, n, "saleor", false, &accepted, &rejected);
  assert_true(accepted > 0);
  assert_true(rejected > 0);
  free(b);
}

/* Targeted changes to counts, operands, jump targets and constant
 * indices of the tiny policy's file, resealed: exact messages. */
static void test_resealed_targeted(void **state) {
  (void)state;
  uint8_t *b;
  size_t n;
  compile_tiny(&b, &n);
  slac_program *p = load_ok(b, n);
  layout l = layout_of(p);
  uint8_t *m = malloc(n);
  assert_non_null(m);
  char want[256];
#define RESET() memcpy(m, b, n)
#define CHECK(want, ctx)         \
  do {                           \
    reseal(m, n);                \
    expect_reject_as(m, n, want, false, ctx); \
  } while (0)
#define CHECK_PREFIX(want, ctx)  \
  do {                           \
    reseal(m, n);                \
    expect_reject_as(m, n, want, true, ctx); \
  } while (0)

  /* counts */
  RESET();
  put_le(m + l.nstrings, 0xFFFF, 2);
  CHECK("bad bytecode: too many strings", "nstrings 0xFFFF");
  RESET();
  put_le(m + l.nstrings, 0, 2);
  CHECK_PREFIX("bad bytecode: ", "nstrings 0");
  RESET();
  m[l.ncurrencies] = 0;
  CHECK("bad bytecode: the policy has no currency", "ncurrencies 0");
  RESET();
  m[l.ncauses] = 0;
  CHECK("bad bytecode: the policy has no causes", "ncauses 0");
  RESET();
  m[l.nservices] = 0;
  CHECK("bad bytecode: the policy has no service", "nservices 0");
  for (int v = 2; v < 256; v += 50) {
    RESET();
    m[l.nservices] = (uint8_t)v;
    CHECK_PREFIX("bad bytecode: ", "nservices too many");
  }
  RESET();
  m[l.ncauses] = 2;
  CHECK_PREFIX("bad bytecode: ", "ncauses 2");
  RESET();
  m[l.base] = 3;
  snprintf(want, sizeof want, "bad bytecode: unknown credit base at byte %zu", l.base);
  CHECK(want, "base 3");
  RESET();
  memcpy(m + l.ncurrencies + 1, "XXX", 3);
  snprintf(want, sizeof want, "bad bytecode: unknown currency at byte %zu", l.ncurrencies + 1);
  CHECK(want, "currency XXX");
  RESET();
  memcpy(m + l.ncurrencies + 1, "usd", 3);
  CHECK(want, "currency usd");
  RESET();
  put_le(m + l.code_size, p->code_size + 1, 4);
  CHECK_PREFIX("bad bytecode: ", "code_size+1");
  RESET();
  put_le(m + l.code_size, 0xFFFFFFFFu, 4);
  snprintf(want, sizeof want, "bad bytecode: truncated at byte %zu", n);
  CHECK(want, "code_size max");
  RESET();
  put_le(m + l.nlines, p->code_size + 1, 4);
  CHECK("bad bytecode: more line entries than code bytes", "nlines > code");
  RESET();
  put_le(m + l.nlines + 4 + 8, 0, 4); /* second line entry at offset 0 */
  CHECK("bad bytecode: line table entry 1 is out of order or outside the code", "line order");
  RESET();
  put_le(m + l.nnotes, 1, 2);
  snprintf(want, sizeof want, "bad bytecode: truncated at byte %zu", n);
  CHECK(want, "nnotes 1");
  /* the policy id refers to a missing string */
  RESET();
  put_le(m + l.id, p->nstrings, 2);
  snprintf(want, sizeof want, "bad bytecode: the policy id at byte %zu refers to string %u of %u", l.id,
           p->nstrings, p->nstrings);
  CHECK(want, "id");
  /* a NUL inside a string, invalid UTF-8 */
  RESET();
  m[l.nstrings + 2 + 4] = 0;
  snprintf(want, sizeof want, "bad bytecode: string 0 at byte %zu is not valid UTF-8 text", l.nstrings + 2);
  CHECK(want, "NUL in a string");
  RESET();
  m[l.nstrings + 2 + 4] = 0xC3;
  CHECK(want, "cut UTF-8 sequence");
  /* a number out of range: 10^36 */
  RESET();
  {
    unsigned __int128 big = (unsigned __int128)1000000000000000000ULL * 1000000000000000000ULL;
    for (int k = 0; k < 16; k++) m[l.nnums + 2 + (size_t)k] = (uint8_t)(big >> (8 * k));
    snprintf(want, sizeof want, "bad bytecode: number 0 at byte %zu is out of range", l.nnums + 2);
    CHECK(want, "number 10^36");
    big = -big; /* -10^36, two's complement */
    for (int k = 0; k < 16; k++) m[l.nnums + 2 + (size_t)k] = (uint8_t)(big >> (8 * k));
    CHECK(want, "number -10^36");
  }

  /* code: find the first PUSHK, JZ and REASON of the compiled program */
  uint32_t pushk = UINT32_MAX, jz = UINT32_MAX, rsn = UINT32_MAX, load_in = UINT32_MAX;
  for (uint32_t pc = 0; pc < p->code_size; pc += 1u + slac_opinfo_table[p->code[pc]].operand_bytes) {
    if (p->code[pc] == SLAC_OP_PUSHK && pushk == UINT32_MAX) pushk = pc;
    if (p->code[pc] == SLAC_OP_JZ && jz == UINT32_MAX) jz = pc;
    if (p->code[pc] == SLAC_OP_REASON && rsn == UINT32_MAX) rsn = pc;
    if (p->code[pc] == SLAC_OP_LOAD_IN && load_in == UINT32_MAX) load_in = pc;
  }
  assert_true(pushk != UINT32_MAX && jz != UINT32_MAX && rsn != UINT32_MAX && load_in != UINT32_MAX);
  RESET();
  put_le(m + l.code + pushk + 1, p->nnums, 2);
  snprintf(want, sizeof want, "bad bytecode: constant %u at %u does not exist", p->nnums, pushk);
  CHECK(want, "constant index");
  RESET();
  put_le(m + l.code + jz + 1, p->code_size, 4);
  snprintf(want, sizeof want, "bad bytecode: jump at %u lands outside the code", jz);
  CHECK(want, "jump outside");
  RESET();
  put_le(m + l.code + jz + 1, jz, 4);
  snprintf(want, sizeof want, "bad bytecode: jump at %u goes back to %u (jumps only go forward)", jz, jz);
  CHECK(want, "jump to itself");
  RESET();
  put_le(m + l.code + jz + 1, 0, 4);
  snprintf(want, sizeof want, "bad bytecode: jump at %u goes back to 0 (jumps only go forward)", jz);
  CHECK(want, "jump back");
  RESET();
  put_le(m + l.code + jz + 1, jz + 6, 4); /* inside the next instruction */
  snprintf(want, sizeof want, "bad bytecode: jump at %u lands inside the instruction at %u", jz, jz + 5);
  CHECK(want, "jump inside");
  RESET();
  m[l.code + rsn + 5]++; /* one argument more than the template takes */
  CHECK_PREFIX("bad bytecode: reason template at ", "reason arity");
  RESET();
  put_le(m + l.code + rsn + 1, p->nstrings, 2);
  snprintf(want, sizeof want, "bad bytecode: reason at %u refers to a missing string", rsn);
  CHECK(want, "reason string");
  RESET();
  m[l.code + load_in + 1] = SLAC_IN_COUNT;
  snprintf(want, sizeof want, "bad bytecode: input operand at %u is out of range", load_in);
  CHECK(want, "input field");
  RESET();
  m[l.code + load_in + 2] = 1; /* service 1 of 1 */
  CHECK(want, "input service");
  RESET();
  m[l.code + p->code_size - 1] = SLAC_OP_POP; /* the final HALT -> POP */
  snprintf(want, sizeof want, "bad bytecode: stack underflow at %u", p->code_size - 1);
  CHECK(want, "no HALT");
  RESET();
  m[l.code] = SLAC_OP_COUNT;
  snprintf(want, sizeof want, "bad bytecode: unknown opcode %d at 0", SLAC_OP_COUNT);
  CHECK(want, "unknown opcode");
#undef CHECK
#undef CHECK_PREFIX
#undef RESET
  free(m);
  slac_program_free(p);
  free(b);
}

/* ------------------------------------------------------------------ */
/* The verifier alone, on every code byte changed                      */
/* ------------------------------------------------------------------ */

/* Every code byte of P set to every other value (ALL), or with each bit
 * and all bits flipped. */
static void every_code_change(slac_program *p, const char *name, bool all, int *accepted,
                              int *rejected) {
  char err[512], ctx[128];
  static const uint8_t xors[] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF};
  for (uint32_t at = 0; at < p->code_size; at++) {
    uint8_t keep = p->code[at];
    for (int k = 0; k < (all ? 255 : 9); k++) {
      int v = all ? (keep + 1 + k) & 0xFF : keep ^ xors[k];
      p->code[at] = (uint8_t)v;
      slac_diags d;
      test_message_diags(&d, err, sizeof err);
      int rc = slac_program_verify(p, name, &d);
      snprintf(ctx, sizeof ctx, "%s code byte %u = 0x%02x", name, at, v);
      if (rc == 0) {
        exercise(p, ctx);
        (*accepted)++;
      } else {
        if (rc != -1 || strncmp(err, "bad bytecode: ", 14) != 0) {
          print_error("%s: rc %d, '%s'\n", ctx, rc, err);
          fail();
        }
        (*rejected)++;
      }
    }
    p->code[at] = keep;
  }
  slac_diags d;
  test_message_diags(&d, err, sizeof err);
  assert_int_equal(slac_program_verify(p, name, &d), 0);
}

static void test_verifier_every_code_byte(void **state) {
  (void)state;
  uint8_t *b;
  size_t n;
  int accepted = 0, rejected = 0;
  compile_tiny(&b, &n);
  slac_program *p = load_ok(b, n);
  every_code_change(p, "tiny", true, &accepted, &rejected);
  slac_program_free(p);
  free(b);
  for (size_t i = 0; i < NSHIPPED; i++) {
    compile_policy(shipped[i], &b, &n);
    p = load_ok(b, n);
    every_code_change(p, shipped[i], false, &accepted, &rejected);
    slac_program_free(p);
    free(b);
  }
  /* some changes keep a valid program (another constant, another
   * comparison), most do not */
  assert_true(accepted > 50);
  assert_true(rejected > accepted);
}

/* ------------------------------------------------------------------ */
/* Hand-assembled programs                                              */
/* ------------------------------------------------------------------ */

/* A minimal valid program around CODE: two services, causes outage and
 * maintenance, one plan set, a few constants and templates. */
typedef struct {
  char *strings[10];
  slac_num nums[3];
  uint16_t set0[1];
  uint16_t *sets[1];
  uint16_t set_sizes[1];
  char currencies[1][4];
  uint16_t causes[2];
  slac_prog_rule rules[2][2];
  slac_prog_service services[2];
  slac_prog_line lines[2];
  slac_program p;
} handmade;

enum { S_ID, S_OUTAGE, S_MAINT, S_API, S_API_TITLE, S_WEB, S_FREE, S_TWO, S_BAD, S_PLAIN };

static void handmade_init(handmade *h, const uint8_t *code, uint32_t size) {
  static char s_id[] = "hand", s_outage[] = "outage", s_maint[] = "maintenance", s_api[] = "api",
              s_title[] = "API", s_web[] = "web", s_free[] = "Free", s_two[] = "{u} and {p}",
              s_bad[] = "{x}", s_plain[] = "plain words";
  memset(h, 0, sizeof *h);
  char *strings[10] = {s_id, s_outage, s_maint, s_api, s_title, s_web, s_free, s_two, s_bad, s_plain};
  memcpy(h->strings, strings, sizeof strings);
  h->nums[0] = slac_num_int(0);
  h->nums[1] = slac_num_int(1);
  h->nums[2] = slac_num_int(100);
  h->set0[0] = S_FREE;
  h->sets[0] = h->set0;
  h->set_sizes[0] = 1;
  memcpy(h->currencies[0], "USD", 4);
  h->causes[0] = S_OUTAGE;
  h->causes[1] = S_MAINT;
  for (int s = 0; s < 2; s++) {
    h->services[s].id = s ? S_WEB : S_API;
    h->services[s].title = S_API_TITLE;
    h->services[s].metric = SLAC_PM_MINUTES;
    h->services[s].commit = 2;
    h->services[s].rules = h->rules[s];
    for (int c = 0; c < 2; c++) h->rules[s][c].cap_months = 1; /* a calendar month */
  }
  h->rules[1][1].mode = SLAC_PC_EXCLUDED;
  slac_program *p = &h->p;
  p->nstrings = 10;
  p->strings = h->strings;
  p->nnums = 3;
  p->nums = h->nums;
  p->nsets = 1;
  p->sets = h->sets;
  p->set_sizes = h->set_sizes;
  p->id = S_ID;
  p->title = p->provider = SLAC_NONE;
  p->version = 1;
  p->ncurrencies = 1;
  p->currencies = h->currencies;
  p->ncauses = 2;
  p->causes = h->causes;
  p->nservices = 2;
  p->services = h->services;
  p->code = (uint8_t *)code;
  p->code_size = size;
  h->lines[0].offset = 0;
  h->lines[0].line = 7;
  p->nlines = size ? 1 : 0;
  p->lines = h->lines;
}

/* A little assembler. */
typedef struct {
  uint8_t b[2048];
  uint32_t n;
} code_buf;

static uint32_t op(code_buf *c, slac_opcode o) {
  uint32_t at = c->n;
  c->b[c->n++] = (uint8_t)o;
  return at;
}
static uint32_t op_k(code_buf *c, slac_opcode o, unsigned k) {
  uint32_t at = op(c, o);
  put_le(c->b + c->n, k, 2);
  c->n += 2;
  return at;
}
static uint32_t op_fs(code_buf *c, slac_opcode o, unsigned f, unsigned s) {
  uint32_t at = op(c, o);
  c->b[c->n++] = (uint8_t)f;
  c->b[c->n++] = (uint8_t)s;
  return at;
}
static uint32_t op_fsc(code_buf *c, unsigned f, unsigned s, unsigned cause) {
  uint32_t at = op_fs(c, SLAC_OP_LOAD_CAUSE, f, s);
  c->b[c->n++] = (uint8_t)cause;
  return at;
}
static uint32_t op_jump(code_buf *c, slac_opcode o, uint32_t target) {
  uint32_t at = op(c, o);
  put_le(c->b + c->n, target, 4);
  c->n += 4;
  return at;
}
static uint32_t op_reason(code_buf *c, unsigned tmpl, unsigned cite, unsigned nargs) {
  uint32_t at = op(c, SLAC_OP_REASON);
  put_le(c->b + c->n, tmpl, 2);
  put_le(c->b + c->n + 2, cite, 2);
  c->b[c->n + 4] = (uint8_t)nargs;
  c->n += 5;
  return at;
}

/* Writes the handmade program around C and loads it. */
static int load_handmade(const code_buf *c, slac_program **out, char *err, size_t errsize) {
  handmade h;
  handmade_init(&h, c->b, c->n);
  uint8_t *bytes;
  size_t n;
  assert_int_equal(slac_program_write(&h.p, &bytes, &n), 0);
  int rc = load_copy(bytes, n, out, err, errsize);
  free(bytes);
  return rc;
}

static void expect_handmade(const code_buf *c, const char *want) {
  slac_program *p = NULL;
  char err[512];
  int rc = load_handmade(c, &p, err, sizeof err);
  if (want == NULL) {
    if (rc != 0) print_error("rejected: %s\n", err);
    assert_int_equal(rc, 0);
    assert_true(exercise(p, "handmade") >= 0);
    slac_program_free(p);
    return;
  }
  if (rc == 0) slac_program_free(p);
  if (rc != -1 || strcmp(err, want) != 0) print_error("got '%s', want '%s'\n", rc ? err : "(accepted)", want);
  assert_int_equal(rc, -1);
  assert_string_equal(err, want);
}

/* SLAC_CLAIM_CONTENTS makes the CLAIM_<NAME> inputs: content k is input
 * CLAIM_<its column in capitals>, an account input. */
static void test_claim_contents_one_list(void **state) {
  (void)state;
  bool seen[SLAC_IN_COUNT] = {false};
  for (int k = 0; k < SLAC_CLAIM_NCONTENTS; k++) {
    slac_input_field f = slac_claim_inputs[k];
    assert_true((unsigned)f < SLAC_IN_COUNT);
    assert_false(seen[f]);
    seen[f] = true;
    char want[64] = "CLAIM_";
    for (const char *c = slac_claim_columns[k]; *c; c++) {
      size_t len = strlen(want);
      want[len] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
      want[len + 1] = 0;
    }
    assert_string_equal(slac_input_names[f], want);
    assert_false(slac_input_is_service(f));
    assert_true(slac_claim_words[k][0] != 0);
  }
  /* and no other input is named CLAIM_ but CLAIM_FOUND */
  for (int f = 0; f < SLAC_IN_COUNT; f++)
    if (!seen[f] && strncmp(slac_input_names[f], "CLAIM_", 6) == 0)
      assert_string_equal(slac_input_names[f], "CLAIM_FOUND");
  assert_false(slac_input_is_service(SLAC_IN_COUNT));
  assert_false(slac_output_is_service(SLAC_OUT_COUNT));
}

/* The one operand decoder: every format, little-endian, and the two ways
 * an instruction can be unreadable. */
static void test_decode_operands(void **state) {
  (void)state;
  static const uint8_t code[] = {SLAC_OP_PUSHK, 0x34, 0x12,
                                 SLAC_OP_PLAN_IN, 0x01, 0x00,
                                 SLAC_OP_SUBJECT_HAS, 0xFE, 0xFF,
                                 SLAC_OP_JZ, 0x78, 0x56, 0x34, 0x12,
                                 SLAC_OP_LOAD_IN, 5, 1,
                                 SLAC_OP_LOAD_CAUSE, 1, 2, 3,
                                 SLAC_OP_STORE_OUT, 4, 0,
                                 SLAC_OP_REASON, 0x02, 0x01, 0xFF, 0xFF, 7,
                                 SLAC_OP_HALT};
  static const struct {
    uint32_t at, next;
    uint8_t format;
    uint32_t k, cite, target;
    uint8_t field, service, cause, nargs;
  } want[] = {
      {0, 3, SLAC_FMT_KNUM, 0x1234, 0, 0, 0, 0, 0, 0},
      {3, 6, SLAC_FMT_KSET, 1, 0, 0, 0, 0, 0, 0},
      {6, 9, SLAC_FMT_KSTR, 0xFFFE, 0, 0, 0, 0, 0, 0},
      {9, 14, SLAC_FMT_T, 0, 0, 0x12345678, 0, 0, 0, 0},
      {14, 17, SLAC_FMT_FS_IN, 0, 0, 0, 5, 1, 0, 0},
      {17, 21, SLAC_FMT_FSC, 0, 0, 0, 1, 2, 3, 0},
      {21, 24, SLAC_FMT_FS_OUT, 0, 0, 0, 4, 0, 0, 0},
      {24, 30, SLAC_FMT_KCN, 0x0102, SLAC_NONE, 0, 0, 0, 0, 7},
      {30, 31, SLAC_FMT_NONE, 0, 0, 0, 0, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    slac_operands o;
    assert_int_equal(slac_decode_operands(code, sizeof code, want[i].at, &o), SLAC_DECODE_OK);
    assert_int_equal(o.op, code[want[i].at]);
    assert_int_equal(o.format, want[i].format);
    assert_int_equal(o.format, slac_opinfo_table[o.op].format);
    assert_int_equal(o.next, want[i].next);
    assert_int_equal(o.k, want[i].k);
    assert_int_equal(o.cite, want[i].cite);
    assert_int_equal(o.target, want[i].target);
    assert_int_equal(o.field, want[i].field);
    assert_int_equal(o.service, want[i].service);
    assert_int_equal(o.cause, want[i].cause);
    assert_int_equal(o.nargs, want[i].nargs);
    /* cut anywhere inside its operands, it cannot be read */
    for (uint32_t end = want[i].at; end < want[i].next; end++)
      assert_int_equal(slac_decode_operands(code, end, want[i].at, &o), SLAC_DECODE_CUT_OFF);
  }
  static const uint8_t unknown[] = {SLAC_OP_COUNT, 0xFF};
  slac_operands o;
  assert_int_equal(slac_decode_operands(unknown, 2, 0, &o), SLAC_DECODE_UNKNOWN_OPCODE);
  assert_int_equal(o.op, SLAC_OP_COUNT);
  assert_int_equal(slac_decode_operands(unknown, 2, 1, &o), SLAC_DECODE_UNKNOWN_OPCODE);
  assert_int_equal(o.op, 0xFF);
}

/* Every value of every field, service and cause operand of LOAD_IN,
 * LOAD_CAUSE, LOAD_OUT and STORE_OUT (two services, two causes): those in
 * range load and run, every other one is "bad bytecode", also where no
 * path reaches the instruction. */
static void test_handmade_every_field_number(void **state) {
  (void)state;
  static const slac_opcode ops[] = {SLAC_OP_LOAD_IN, SLAC_OP_LOAD_CAUSE, SLAC_OP_LOAD_OUT, SLAC_OP_STORE_OUT};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    for (int which = 0; which < (ops[i] == SLAC_OP_LOAD_CAUSE ? 3 : 2); which++)
      for (unsigned v = 0; v < 256; v++)
        for (int reached = 0; reached < 2; reached++) {
          unsigned o[3] = {0, 0, 0};
          o[which] = v;
          bool ok;
          const char *what;
          if (ops[i] == SLAC_OP_LOAD_IN) {
            ok = o[0] < SLAC_IN_COUNT && o[1] < 2 && (slac_input_is_service(o[0]) || o[1] == 0);
            what = "input";
          } else if (ops[i] == SLAC_OP_LOAD_CAUSE) {
            ok = o[0] < SLAC_CIN_COUNT && o[1] < 2 && o[2] < 2;
            what = "cause";
          } else {
            ok = o[0] < SLAC_OUT_COUNT && o[1] < 2 && (slac_output_is_service(o[0]) || o[1] == 0);
            what = "output";
          }
          code_buf c = {.n = 0};
          if (!reached) op(&c, SLAC_OP_HALT);
          if (ops[i] == SLAC_OP_STORE_OUT) op_k(&c, SLAC_OP_PUSHK, 0);
          uint32_t at = ops[i] == SLAC_OP_LOAD_CAUSE ? op_fsc(&c, o[0], o[1], o[2]) : op_fs(&c, ops[i], o[0], o[1]);
          if (ops[i] != SLAC_OP_STORE_OUT) op(&c, SLAC_OP_POP);
          op(&c, SLAC_OP_HALT);
          char want[128];
          snprintf(want, sizeof want, "bad bytecode: %s operand at %u is out of range", what, at);
          expect_handmade(&c, ok ? NULL : want);
        }
}

static void test_handmade_valid(void **state) {
  (void)state;
  code_buf c = {.n = 0};
  /* the smallest program */
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, NULL);
  /* a bit of everything */
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 1);
  uint32_t j = op_jump(&c, SLAC_OP_JZ, 0);
  op_fsc(&c, SLAC_CIN_EXCLUDED_SECONDS, 1, 1);
  op_fs(&c, SLAC_OP_LOAD_IN, SLAC_IN_UNAVAILABLE, 1);
  op_reason(&c, S_TWO, S_PLAIN, 2);
  put_le(c.b + j + 1, c.n, 4);
  op_k(&c, SLAC_OP_PLAN_IN, 0);
  op_fs(&c, SLAC_OP_STORE_OUT, SLAC_OUT_ELIGIBLE, 0);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, NULL);
  /* unreachable bytes after HALT are decoded and checked, but a stack
   * effect there is not: nothing can reach them */
  c.n = 0;
  op(&c, SLAC_OP_HALT);
  op(&c, SLAC_OP_POP);
  op(&c, SLAC_OP_ADD);
  expect_handmade(&c, NULL);
  /* the stack may be exactly SLAC_MAX_STACK deep */
  c.n = 0;
  for (int i = 0; i < SLAC_MAX_STACK; i++) op_k(&c, SLAC_OP_PUSHK, 1);
  for (int i = 1; i < SLAC_MAX_STACK; i++) op(&c, SLAC_OP_ADD);
  op_fs(&c, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
  op(&c, SLAC_OP_HALT);
  {
    slac_program *p;
    char err[256];
    assert_int_equal(load_handmade(&c, &p, err, sizeof err), 0);
    slac_vm_service_input si[2];
    memset(si, 0, sizeof si);
    int64_t secs[2] = {0, 0};
    si[0].excluded_seconds = si[0].excess_seconds = si[1].excluded_seconds = si[1].excess_seconds = secs;
    slac_vm_input in;
    memset(&in, 0, sizeof in);
    in.services = si;
    slac_vm_service_output so[2];
    slac_vm_output out;
    memset(&out, 0, sizeof out);
    out.services = so;
    assert_int_equal(slac_vm_run(p, &in, &out, err, sizeof err), 0);
    assert_true(out.amount.units == (__int128)SLAC_MAX_STACK * 1000000000000 && !out.amount.above);
    slac_vm_output_clear(&out);
    slac_program_free(p);
  }
}

static void test_handmade_rejected(void **state) {
  (void)state;
  code_buf c = {.n = 0};
  char want[256];

  /* empty code */
  expect_handmade(&c, "bad bytecode: the code is empty");

  /* a jump landing outside the code */
  op_jump(&c, SLAC_OP_JMP, 100);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: jump at 0 lands outside the code");
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 0);
  op_jump(&c, SLAC_OP_JZ, 9); /* one past the HALT at 8 */
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: jump at 3 lands outside the code");
  c.n = 0;
  op_jump(&c, SLAC_OP_JMP, 0xFFFFFFFFu);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: jump at 0 lands outside the code");

  /* backward jumps, and a jump to itself: the only ways to loop */
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 0);
  op(&c, SLAC_OP_POP);
  op_jump(&c, SLAC_OP_JMP, 0);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: jump at 4 goes back to 0 (jumps only go forward)");
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 0);
  op_jump(&c, SLAC_OP_JZ, 3);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: jump at 3 goes back to 3 (jumps only go forward)");

  /* into the middle of an instruction */
  c.n = 0;
  op_jump(&c, SLAC_OP_JMP, 6); /* PUSHK at 5..7 */
  op_k(&c, SLAC_OP_PUSHK, 0);
  op(&c, SLAC_OP_POP);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: jump at 0 lands inside the instruction at 5");
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 1);
  op_jump(&c, SLAC_OP_JZ, 12); /* the target operand of the JMP at 8..12 */
  op_jump(&c, SLAC_OP_JMP, 13);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: jump at 3 lands inside the instruction at 8");

  /* stack underflow */
  c.n = 0;
  op(&c, SLAC_OP_POP);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: stack underflow at 0");
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 1);
  op(&c, SLAC_OP_ADD);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: stack underflow at 3");
  c.n = 0;
  op(&c, SLAC_OP_DUP);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: stack underflow at 0");
  c.n = 0;
  op_jump(&c, SLAC_OP_JZ, 5);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: stack underflow at 0");
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 1);
  op_reason(&c, S_TWO, SLAC_NONE, 2);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: stack underflow at 3");
  c.n = 0;
  op_fs(&c, SLAC_OP_STORE_OUT, SLAC_OUT_AMOUNT, 0);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: stack underflow at 0");

  /* stack overflow: one value more than SLAC_MAX_STACK */
  c.n = 0;
  for (int i = 0; i <= SLAC_MAX_STACK; i++) op_k(&c, SLAC_OP_PUSHK, 1);
  op(&c, SLAC_OP_HALT);
  snprintf(want, sizeof want, "bad bytecode: stack deeper than %d at %d", SLAC_MAX_STACK, SLAC_MAX_STACK * 3);
  expect_handmade(&c, want);
  c.n = 0;
  for (int i = 0; i < SLAC_MAX_STACK; i++) op_k(&c, SLAC_OP_PUSHK, 1);
  op(&c, SLAC_OP_DUP);
  op(&c, SLAC_OP_HALT);
  snprintf(want, sizeof want, "bad bytecode: stack deeper than %d at %d", SLAC_MAX_STACK, SLAC_MAX_STACK * 3);
  expect_handmade(&c, want);

  /* falling off the end */
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 0);
  op(&c, SLAC_OP_POP);
  expect_handmade(&c, "bad bytecode: the code can run past its end (no HALT)");
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 0);
  op_jump(&c, SLAC_OP_JZ, 9);
  op(&c, SLAC_OP_HALT);
  op_k(&c, SLAC_OP_PUSHK, 0); /* reached by the jump, then falls off */
  expect_handmade(&c, "bad bytecode: the code can run past its end (no HALT)");
  /* an instruction cut off by the end */
  c.n = 0;
  op(&c, SLAC_OP_HALT);
  op(&c, SLAC_OP_PUSHK);
  c.b[c.n++] = 0;
  expect_handmade(&c, "bad bytecode: instruction at 1 is cut off by the end of the code");
  c.n = 0;
  op(&c, SLAC_OP_JMP);
  expect_handmade(&c, "bad bytecode: instruction at 0 is cut off by the end of the code");

  /* unknown opcodes, even where nothing reaches them */
  c.n = 0;
  op(&c, (slac_opcode)SLAC_OP_COUNT); /* not an opcode */
  op(&c, SLAC_OP_HALT);
  snprintf(want, sizeof want, "bad bytecode: unknown opcode %d at 0", SLAC_OP_COUNT);
  expect_handmade(&c, want);
  c.n = 0;
  op(&c, SLAC_OP_HALT);
  c.b[c.n++] = 0xFF;
  expect_handmade(&c, "bad bytecode: unknown opcode 255 at 1");

  /* constant, set and string indices out of range */
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 3);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: constant 3 at 0 does not exist");
  c.n = 0;
  op(&c, SLAC_OP_HALT);
  op_k(&c, SLAC_OP_PUSHK, 0xFFFF);
  expect_handmade(&c, "bad bytecode: constant 65535 at 1 does not exist");
  c.n = 0;
  op_k(&c, SLAC_OP_PLAN_IN, 1);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: set 1 at 0 does not exist");
  c.n = 0;
  op_reason(&c, 10, SLAC_NONE, 0);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: reason at 0 refers to a missing string");
  c.n = 0;
  op_reason(&c, S_PLAIN, 10, 0);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: reason at 0 refers to a missing string");

  /* field, service and cause operands */
  static const struct {
    slac_opcode op;
    unsigned f, s;
    const char *what;
  } fields[] = {
      {SLAC_OP_LOAD_IN, SLAC_IN_COUNT, 0, "input"},
      {SLAC_OP_LOAD_IN, SLAC_IN_UNAVAILABLE, 2, "input"},
      {SLAC_OP_LOAD_IN, SLAC_IN_FEE, 1, "input"},           /* account input of service 1 */
      {SLAC_OP_LOAD_IN, SLAC_IN_MONTH_MINUTES, 1, "input"},
      {SLAC_OP_LOAD_OUT, SLAC_OUT_COUNT, 0, "output"},
      {SLAC_OP_LOAD_OUT, SLAC_OUT_CREDIT, 2, "output"},
      {SLAC_OP_LOAD_OUT, SLAC_OUT_AMOUNT, 1, "output"},     /* account output of service 1 */
      {SLAC_OP_STORE_OUT, SLAC_OUT_ELIGIBLE, 1, "output"},
      {SLAC_OP_STORE_OUT, 255, 0, "output"},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    c.n = 0;
    if (fields[i].op == SLAC_OP_STORE_OUT) op_k(&c, SLAC_OP_PUSHK, 0);
    uint32_t at = op_fs(&c, fields[i].op, fields[i].f, fields[i].s);
    op(&c, SLAC_OP_HALT);
    snprintf(want, sizeof want, "bad bytecode: %s operand at %u is out of range", fields[i].what, at);
    expect_handmade(&c, want);
  }
  static const unsigned causes[][3] = {{SLAC_CIN_COUNT, 0, 0}, {0, 2, 0}, {0, 0, 2}, {1, 0, 255}};
  for (size_t i = 0; i < 4; i++) {
    c.n = 0;
    op_fsc(&c, causes[i][0], causes[i][1], causes[i][2]);
    op(&c, SLAC_OP_HALT);
    expect_handmade(&c, "bad bytecode: cause operand at 0 is out of range");
  }

  /* reason templates: arity, and malformed ones */
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 1);
  op_reason(&c, S_TWO, SLAC_NONE, 1);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: reason template at 3 takes 2 arguments, not 1");
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 1);
  op_reason(&c, S_PLAIN, SLAC_NONE, 1);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: reason template at 3 takes 0 arguments, not 1");
  c.n = 0;
  op_reason(&c, S_BAD, SLAC_NONE, 0);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: reason template at 0 is malformed");

  /* paths that meet with different stack depths */
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 0);
  op_jump(&c, SLAC_OP_JZ, 11);
  op_k(&c, SLAC_OP_PUSHK, 0);
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: stack depth 1 at 11 disagrees with a jump there (0)");
  c.n = 0;
  op_k(&c, SLAC_OP_PUSHK, 0);
  op_k(&c, SLAC_OP_PUSHK, 0);
  op_jump(&c, SLAC_OP_JZ, 16); /* depth 1 there */
  op_jump(&c, SLAC_OP_JZ, 16); /* depth 0 there */
  op(&c, SLAC_OP_HALT);
  expect_handmade(&c, "bad bytecode: jump at 11 reaches 16 with stack depth 0, not 1");
}

/* Structural checks on hand-made declarations. */
static void test_handmade_declarations(void **state) {
  (void)state;
  static const uint8_t halt[] = {SLAC_OP_HALT};
  handmade h;
  uint8_t *bytes;
  size_t n;
#define EXPECT(want, prefix)                                                  \
  do {                                                                        \
    assert_int_equal(slac_program_write(&h.p, &bytes, &n), 0);                \
    expect_reject_as(bytes, n, want, prefix, #want);                          \
    free(bytes);                                                              \
    handmade_init(&h, halt, 1);                                               \
  } while (0)
  handmade_init(&h, halt, 1);
  assert_int_equal(slac_program_write(&h.p, &bytes, &n), 0);
  slac_program *p = load_ok(bytes, n);
  assert_int_equal(slac_program_cause(p, "maintenance", 11), 1);
  assert_int_equal(slac_program_cause(p, "outage", 6), 0);
  assert_int_equal(slac_program_cause(p, "maint", 5), -1);
  assert_int_equal(slac_program_line(p, 0), 7);
  slac_program_free(p);
  free(bytes);

  h.p.ncurrencies = 0;
  EXPECT("bad bytecode: the policy has no currency", false);
  h.p.ncauses = 0;
  EXPECT("bad bytecode: the policy has no causes", false);
  h.p.nservices = 0;
  EXPECT("bad bytecode: the policy has no service", false);
  h.causes[0] = S_MAINT;
  h.causes[1] = S_OUTAGE;
  EXPECT("bad bytecode: the first cause must be outage", false);
  h.causes[1] = S_OUTAGE;
  EXPECT("bad bytecode: cause 'outage' is listed twice", false);
  h.services[1].id = S_API;
  EXPECT("bad bytecode: service 'api' is listed twice", false);
  h.services[0].metric = 2;
  EXPECT("bad bytecode: service 0 at byte ", true);
  h.services[0].commit = 3;
  EXPECT("bad bytecode: service 0 at byte ", true);
  h.services[0].rate_threshold = 3;
  EXPECT("bad bytecode: service 0 at byte ", true);
  h.services[0].min_run_minutes = 44641;
  EXPECT("bad bytecode: service 0 at byte ", true);
  h.services[1].metric = SLAC_PM_ERROR_RATE;
  h.services[1].window_seconds = 7 * 60; /* does not divide a day */
  EXPECT("bad bytecode: service 1 at byte ", true);
  h.services[1].metric = SLAC_PM_ERROR_RATE;
  h.services[1].window_seconds = 0;
  EXPECT("bad bytecode: service 1 at byte ", true);
  h.rules[0][0].mode = SLAC_PC_EXCLUDED; /* outage always counts */
  EXPECT("bad bytecode: cause rule at byte ", true);
  h.rules[1][1].mode = 3;
  EXPECT("bad bytecode: cause rule at byte ", true);
  h.rules[1][1].cap_seconds = 31 * 86400 + 1;
  EXPECT("bad bytecode: cause rule at byte ", true);
  h.p.base = 3;
  EXPECT("bad bytecode: unknown credit base at byte ", true);
  /* percentages that are not: an error-rate threshold below 0% or a
   * commitment above 100% (constant 1 made -1, then 150) */
  h.nums[1] = slac_num_int(-1);
  h.services[0].rate_threshold = 1;
  EXPECT("bad bytecode: service 0 at byte ", true);
  h.nums[1] = slac_num_int(150);
  h.services[1].commit = 1;
  EXPECT("bad bytecode: service 1 at byte ", true);
  /* the fields of format 2 */
  h.rules[1][1].cap_months = 2;
  EXPECT("bad bytecode: cause rule at byte ", true);
  h.rules[1][1].mode = SLAC_PC_CAPPED;
  h.rules[1][1].cap_months = 3;
  h.rules[1][1].cap_seconds = 92 * 86400 + 1;
  EXPECT("bad bytecode: cause rule at byte ", true);
  h.rules[1][1].notice_seconds = 86400; /* cause 1 of service 1 is excluded: fine, */
  h.rules[0][1].notice_seconds = 86400; /* but of service 0 it counts */
  EXPECT("bad bytecode: cause rule at byte ", true);
  h.services[0].kinds_mode = SLAC_PK_ONLY; /* with no kinds named */
  EXPECT("bad bytecode: the error kinds of service 0 at byte ", true);
  {
    uint16_t kinds[1] = {S_FREE};
    h.services[0].kinds_mode = SLAC_PK_IGNORE; /* a minute metric reads no windows */
    h.services[0].nkinds = 1;
    h.services[0].kinds = kinds;
    EXPECT("bad bytecode: the error kinds of service 0 at byte ", true);
  }
  {
    slac_prog_terms terms[2] = {{0, 1}, {SLAC_NONE, 1}}; /* two defaults */
    h.services[0].nterms = 2;
    h.services[0].terms = terms;
    EXPECT("bad bytecode: the terms of service 0 at byte ", true);
    slac_prog_terms bad_set[1] = {{7, 0}};
    h.services[0].nterms = 1;
    h.services[0].terms = bad_set;
    EXPECT("bad bytecode: the terms of service 0 at byte ", true);
  }
  h.p.period_cap_months = 5;
  EXPECT("bad bytecode: the cap over several months at byte ", true);
  h.p.period_cap_months = 40;
  h.p.period_cap_rolling = 1;
  EXPECT("bad bytecode: the cap over several months at byte ", true);
  {
    uint16_t charges[2] = {S_FREE, S_FREE};
    h.p.ncharges = 2;
    h.p.charges = charges;
    EXPECT("bad bytecode: charge 'Free' is listed twice", false);
    charges[0] = S_WEB;
    h.p.ncharges = 1;
    h.p.charges = charges;
    EXPECT("bad bytecode: charge 'web' at byte ", true);
  }
  memcpy(h.currencies[0], "ABC", 4);
  EXPECT("bad bytecode: unknown currency at byte ", true);
  h.p.title = 10;
  EXPECT("bad bytecode: the policy title at byte ", true);
  h.set0[0] = 10;
  EXPECT("bad bytecode: a set member at byte ", true);
  h.services[0].title = SLAC_NONE; /* required */
  EXPECT("bad bytecode: a service title at byte ", true);
  {
    static char bad_utf8[] = "caf\xc3";
    h.strings[S_PLAIN] = bad_utf8;
    EXPECT("bad bytecode: string 9 at byte ", true);
  }
  h.nums[1].units = -(__int128)1000000000000000000 * 1000000000000000000;
  EXPECT("bad bytecode: number 1 at byte ", true);
  h.p.nlines = 2;
  h.lines[1].offset = 0;
  EXPECT("bad bytecode: more line entries than code bytes", false);
  h.lines[0].offset = 1;
  EXPECT("bad bytecode: line table entry 0 is out of order or outside the code", false);
#undef EXPECT
}

/* ------------------------------------------------------------------ */
/* docs/bytecode.md tells the truth about the tables                    */
/* ------------------------------------------------------------------ */

/* The cells of the markdown table that follows the line MARK (header
 * and separator rows skipped), trimmed and without backquotes; returns
 * the number of rows read into ROWS. */
static int table_rows(const char *doc, const char *mark, char rows[][8][64], int maxrows) {
  const char *t = strstr(doc, mark);
  if (!t) {
    print_error("docs/bytecode.md has no '%s'\n", mark);
    fail();
  }
  t = strchr(t, '\n') + 1;
  int n = 0, line = 0;
  while (*t == '|') {
    const char *end = strchr(t, '\n');
    if (!end) end = t + strlen(t);
    if (line++ >= 2 && n < maxrows) {
      int cell = 0;
      const char *c = t + 1;
      while (c < end && cell < 8) {
        const char *bar = memchr(c, '|', (size_t)(end - c));
        if (!bar) break;
        const char *a = c, *b = bar;
        while (a < b && (*a == ' ' || *a == '`')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '`')) b--;
        size_t len = (size_t)(b - a) < 63 ? (size_t)(b - a) : 63;
        memcpy(rows[n][cell], a, len);
        rows[n][cell][len] = 0;
        cell++;
        c = bar + 1;
      }
      n++;
    }
    t = *end ? end + 1 : end;
  }
  return n;
}

static void test_doc_tables(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/docs/bytecode.md", SLAC_SOURCE_DIR);
  size_t size;
  char *doc = (char *)read_whole(path, &size);
  char *text = malloc(size + 1);
  assert_non_null(text);
  memcpy(text, doc, size);
  text[size] = 0;
  free(doc);
  static char rows[64][8][64];

  /* | format | bytes | operands | */
  int n = table_rows(text, "<!-- format table: checked by tests/unit/test_bytecode.c -->", rows, 64);
  assert_int_equal(n, SLAC_FMT_COUNT);
  for (int i = 0; i < n; i++) {
    assert_string_equal(rows[i][0], slac_format_names[i]);
    unsigned bytes = 0;
    for (int op = 0; op < SLAC_OP_COUNT; op++)
      if (slac_opinfo_table[op].format == i) bytes = slac_opinfo_table[op].operand_bytes;
    char want[16];
    snprintf(want, sizeof want, "%u", bytes);
    assert_string_equal(rows[i][1], want);
  }
  /* | code | opcode | operand bytes | format | pops | pushes | ... | */
  n = table_rows(text, "<!-- opcode table: checked by tests/unit/test_bytecode.c -->", rows, 64);
  assert_int_equal(n, SLAC_OP_COUNT);
  for (int i = 0; i < n; i++) {
    const slac_opinfo *info = &slac_opinfo_table[i];
    char want[16];
    snprintf(want, sizeof want, "%d", i);
    if (strcmp(rows[i][0], want) != 0 || strcmp(rows[i][1], info->name) != 0)
      print_error("docs/bytecode.md row %d is %s %s, opcodes.h says %d %s\n", i, rows[i][0], rows[i][1],
                  i, info->name);
    assert_string_equal(rows[i][0], want);
    assert_string_equal(rows[i][1], info->name);
    snprintf(want, sizeof want, "%u", info->operand_bytes);
    assert_string_equal(rows[i][2], want);
    assert_string_equal(rows[i][3], info->format == SLAC_FMT_NONE ? "" : slac_format_names[info->format]);
    if (info->pops == SLAC_POPS_OPERAND) snprintf(want, sizeof want, "N");
    else snprintf(want, sizeof want, "%u", info->pops);
    assert_string_equal(rows[i][4], want);
    snprintf(want, sizeof want, "%u", info->pushes);
    assert_string_equal(rows[i][5], want);
  }
  /* | F | name | ... | for inputs, cause inputs and outputs */
  static const struct {
    const char *mark;
    const char *const *names;
    int count;
  } fields[] = {
      {"<!-- input table: checked by tests/unit/test_bytecode.c -->", slac_input_names, SLAC_IN_COUNT},
      {"<!-- cause input table: checked by tests/unit/test_bytecode.c -->", slac_cause_input_names,
       SLAC_CIN_COUNT},
      {"<!-- output table: checked by tests/unit/test_bytecode.c -->", slac_output_names, SLAC_OUT_COUNT},
  };
  for (size_t k = 0; k < 3; k++) {
    n = table_rows(text, fields[k].mark, rows, 64);
    assert_int_equal(n, fields[k].count);
    for (int i = 0; i < n; i++) {
      char want[16];
      snprintf(want, sizeof want, "%d", i);
      assert_string_equal(rows[i][0], want);
      assert_string_equal(rows[i][1], fields[k].names[i]);
      /* the "of" column: the owner column of SLAC_INPUTS / SLAC_OUTPUTS */
      if (k == 0) assert_string_equal(rows[i][2], slac_input_is_service((unsigned)i) ? "service" : "account");
      if (k == 2) assert_string_equal(rows[i][2], slac_output_is_service((unsigned)i) ? "service" : "account");
    }
  }
  /* the constants the text quotes */
  char want[128];
  snprintf(want, sizeof want, "SLAC_MAX_STACK` (%d)", SLAC_MAX_STACK);
  assert_non_null(strstr(text, want));
  snprintf(want, sizeof want, "format version is %d", SLAC_BC_VERSION);
  assert_non_null(strstr(text, want));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip_shipped),
      cmocka_unit_test(test_build_depends_on_source_only),
      cmocka_unit_test(test_corrupt_tiny),
      cmocka_unit_test(test_corrupt_saleor),
      cmocka_unit_test(test_resealed_tiny),
      cmocka_unit_test(test_resealed_saleor),
      cmocka_unit_test(test_resealed_targeted),
      cmocka_unit_test(test_verifier_every_code_byte),
      cmocka_unit_test(test_handmade_valid),
      cmocka_unit_test(test_handmade_rejected),
      cmocka_unit_test(test_decode_operands),
      cmocka_unit_test(test_claim_contents_one_list),
      cmocka_unit_test(test_handmade_every_field_number),
      cmocka_unit_test(test_handmade_declarations),
      cmocka_unit_test(test_doc_tables),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
