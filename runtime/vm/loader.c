/* loader.c - bytes of a .slbc file to a verified slac_program.
 *
 * Every read goes through a cursor that knows where the bytes end, so a
 * short file is reported as "truncated at byte N", never read past.  Every
 * index is checked against the table it points into, every enum against
 * its range, every string for UTF-8; then the code is verified.  Nothing
 * in the bytes is trusted before it has been checked.
 */
#include "runtime/vm/program.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/currency.h"
#include "runtime/base/diag.h"

typedef struct {
  const uint8_t *b;
  size_t size, pos;
  const char *name;  /* the file, for the diagnostic's site */
  slac_diags *d;
  int failed; /* -1 bad bytes, -2 out of memory */
} cursor;

static void fail(cursor *c, const char *fmt, ...) SLAC_PRINTF(2, 3);
static void fail(cursor *c, const char *fmt, ...) {
  if (c->failed) return;
  c->failed = -1;
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  slac_diag_bytecode(c->d, c->name, (long)c->pos, "bad bytecode: %s", text);
}

static void *alloc(cursor *c, size_t n, size_t size) {
  if (c->failed) return NULL;
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    c->failed = -2;
    slac_diag_oom(c->d);
  }
  return p;
}

static bool need(cursor *c, size_t n) {
  if (c->failed) return false;
  if (c->size - c->pos < n) {
    fail(c, "truncated at byte %zu", c->size);
    return false;
  }
  return true;
}

static uint8_t u8(cursor *c) {
  if (!need(c, 1)) return 0;
  return c->b[c->pos++];
}

static uint16_t u16(cursor *c) {
  if (!need(c, 2)) return 0;
  uint16_t v = (uint16_t)(c->b[c->pos] | c->b[c->pos + 1] << 8);
  c->pos += 2;
  return v;
}

static uint32_t u32(cursor *c) {
  if (!need(c, 4)) return 0;
  uint32_t v = 0;
  for (int i = 3; i >= 0; i--) v = v << 8 | c->b[c->pos + (size_t)i];
  c->pos += 4;
  return v;
}

/* A string reference: an index into the pool, or NONE where allowed. */
static uint16_t strref(cursor *c, const slac_program *p, bool optional, const char *what) {
  size_t at = c->pos;
  uint16_t v = u16(c);
  if (c->failed) return 0;
  if (v == SLAC_NONE && optional) return v;
  if (v >= p->nstrings) fail(c, "%s at byte %zu refers to string %u of %u", what, at, v, p->nstrings);
  return v;
}

static void read_strings(cursor *c, slac_program *p) {
  p->nstrings = u16(c);
  if (p->nstrings == SLAC_NONE) fail(c, "too many strings");
  p->strings = alloc(c, p->nstrings, sizeof *p->strings);
  for (uint16_t i = 0; i < p->nstrings && !c->failed; i++) {
    size_t at = c->pos;
    uint32_t len = u32(c);
    if (!need(c, len)) return;
    const uint8_t *s = c->b + c->pos;
    for (uint32_t k = 0; k < len;) {
      size_t n = s[k] ? slac_utf8_len(s + k, len - k) : 0;
      if (n == 0) { fail(c, "string %u at byte %zu is not valid UTF-8 text", i, at); return; }
      k += (uint32_t)n;
    }
    p->strings[i] = alloc(c, (size_t)len + 1, 1);
    if (c->failed) return;
    memcpy(p->strings[i], s, len);
    c->pos += len;
  }
}

static void read_nums(cursor *c, slac_program *p) {
  p->nnums = u16(c);
  p->nums = alloc(c, p->nnums, sizeof *p->nums);
  for (uint16_t i = 0; i < p->nnums && !c->failed; i++) {
    size_t at = c->pos;
    if (!need(c, 16)) return;
    unsigned __int128 u = 0;
    for (int k = 15; k >= 0; k--) u = u << 8 | c->b[c->pos + (size_t)k];
    c->pos += 16;
    /* two's complement without implementation-defined conversion */
    __int128 v = (u >> 127) ? -(__int128)(~u) - 1 : (__int128)u;
    const __int128 limit = (__int128)1000000000000000000 * 1000000000000000000;
    if (v >= limit || v <= -limit) { fail(c, "number %u at byte %zu is out of range", i, at); return; }
    p->nums[i].units = v;
    p->nums[i].above = false;
  }
}

static void read_sets(cursor *c, slac_program *p) {
  p->nsets = u16(c);
  p->set_sizes = alloc(c, p->nsets, sizeof *p->set_sizes);
  p->sets = alloc(c, p->nsets, sizeof *p->sets);
  for (uint16_t i = 0; i < p->nsets && !c->failed; i++) {
    p->set_sizes[i] = u16(c);
    p->sets[i] = alloc(c, p->set_sizes[i], sizeof **p->sets);
    for (uint16_t k = 0; k < p->set_sizes[i] && !c->failed; k++)
      p->sets[i][k] = strref(c, p, false, "a set member");
  }
}

static void read_policy(cursor *c, slac_program *p) {
  p->id = strref(c, p, false, "the policy id");
  p->title = strref(c, p, true, "the policy title");
  p->provider = strref(c, p, true, "the provider");
  p->version = u32(c);
  p->ncurrencies = u8(c);
  if (!c->failed && p->ncurrencies == 0) fail(c, "the policy has no currency");
  p->currencies = alloc(c, p->ncurrencies, sizeof *p->currencies);
  for (uint8_t i = 0; i < p->ncurrencies && !c->failed; i++) {
    size_t at = c->pos;
    if (!need(c, 3)) return;
    memcpy(p->currencies[i], c->b + c->pos, 3);
    c->pos += 3;
    if (slac_currency_digits(p->currencies[i]) < 0) fail(c, "unknown currency at byte %zu", at);
  }
  size_t at = c->pos;
  p->base = u8(c);
  if (!c->failed && p->base > SLAC_PB_SERVICE_CHARGE) fail(c, "unknown credit base at byte %zu", at);
  at = c->pos;
  p->period_cap_months = u8(c);
  p->period_cap_rolling = u8(c);
  if (!c->failed && (p->period_cap_rolling > 1 ||
                     (p->period_cap_rolling ? p->period_cap_months < 2 || p->period_cap_months > 36
                                            : p->period_cap_months != 0 && p->period_cap_months != 3 &&
                                                  p->period_cap_months != 12)))
    fail(c, "the cap over several months at byte %zu is invalid", at);
}

/* The longest a capped exclusion's period is, in seconds. */
static uint32_t period_max_seconds(uint8_t months) {
  return (months == 12 ? 366u : months == 3 ? 92u : 31u) * 86400u;
}

static void read_causes(cursor *c, slac_program *p) {
  p->ncauses = u8(c);
  if (!c->failed && p->ncauses == 0) fail(c, "the policy has no causes");
  p->causes = alloc(c, p->ncauses, sizeof *p->causes);
  for (uint8_t i = 0; i < p->ncauses && !c->failed; i++) {
    p->causes[i] = strref(c, p, false, "a cause name");
    for (uint8_t k = 0; k < i && !c->failed; k++)
      if (strcmp(p->strings[p->causes[k]], p->strings[p->causes[i]]) == 0)
        fail(c, "cause '%s' is listed twice", p->strings[p->causes[i]]);
  }
  if (!c->failed && strcmp(p->strings[p->causes[0]], "outage") != 0)
    fail(c, "the first cause must be outage");
}

/* The error kinds a service counts or ignores (string references). */
static void read_kinds(cursor *c, slac_program *p, slac_prog_service *s, uint8_t i) {
  size_t at = c->pos;
  s->kinds_mode = u8(c);
  s->nkinds = u8(c);
  if (c->failed) return;
  bool reads_windows = s->metric == SLAC_PM_ERROR_RATE || s->has_rate_rule;
  if (s->kinds_mode > SLAC_PK_IGNORE || (s->kinds_mode == SLAC_PK_ALL) != (s->nkinds == 0) ||
      (s->nkinds && !reads_windows)) {
    fail(c, "the error kinds of service %u at byte %zu are invalid", i, at);
    return;
  }
  s->kinds = alloc(c, s->nkinds, sizeof *s->kinds);
  for (uint8_t k = 0; k < s->nkinds && !c->failed; k++) s->kinds[k] = strref(c, p, false, "an error kind");
}

/* The terms by plan of a service: a plan set each, one default at most. */
static void read_terms(cursor *c, slac_program *p, slac_prog_service *s, uint8_t i) {
  s->nterms = u8(c);
  s->terms = alloc(c, s->nterms, sizeof *s->terms);
  int defaults = 0;
  for (uint8_t k = 0; k < s->nterms && !c->failed; k++) {
    size_t at = c->pos;
    s->terms[k].set = u16(c);
    s->terms[k].is_default = u8(c);
    if (c->failed) return;
    defaults += s->terms[k].is_default;
    if (s->terms[k].is_default > 1 || defaults > 1 ||
        (s->terms[k].set == SLAC_NONE ? !s->terms[k].is_default : s->terms[k].set >= p->nsets))
      fail(c, "the terms of service %u at byte %zu are invalid", i, at);
  }
}

/* A number between 0 and 100 (a percentage), exactly. */
static bool is_percent(slac_num v) {
  const __int128 hundred = (__int128)100 * 1000000000000;
  return !v.above && v.units >= 0 && v.units <= hundred;
}

static void read_services(cursor *c, slac_program *p) {
  p->nservices = u8(c);
  if (!c->failed && p->nservices == 0) fail(c, "the policy has no service");
  p->services = alloc(c, p->nservices, sizeof *p->services);
  for (uint8_t i = 0; i < p->nservices && !c->failed; i++) {
    slac_prog_service *s = &p->services[i];
    size_t at = c->pos;
    s->id = strref(c, p, false, "a service id");
    s->title = strref(c, p, false, "a service title");
    s->metric = u8(c);
    s->window_seconds = u32(c);
    s->empty_left_out = u8(c);
    s->has_rate_rule = u8(c);
    s->rate_inclusive = u8(c);
    s->rate_threshold = u16(c);
    s->min_requests = u32(c);
    s->min_run_minutes = u32(c);
    s->commit = u16(c);
    if (c->failed) return;
    if (s->metric > SLAC_PM_ERROR_RATE || s->empty_left_out > 1 || s->has_rate_rule > 1 ||
        s->rate_inclusive > 1 || s->rate_threshold >= p->nnums || s->commit >= p->nnums ||
        s->min_run_minutes > 44640)
      fail(c, "service %u at byte %zu has an invalid measure", i, at);
    if (s->metric == SLAC_PM_ERROR_RATE &&
        (s->window_seconds < 60 || s->window_seconds > 86400 || s->window_seconds % 60 ||
         86400 % s->window_seconds))
      fail(c, "service %u at byte %zu has an invalid window length", i, at);
    /* what the readers and reports take as percentages must be ones: an
     * error-rate threshold below 0% would make every minute unavailable,
     * one above 100% none */
    if (!c->failed && (!is_percent(p->nums[s->rate_threshold]) || !is_percent(p->nums[s->commit])))
      fail(c, "service %u at byte %zu has a threshold or commitment outside 0%%..100%%", i, at);
    for (uint8_t k = 0; k < i && !c->failed; k++)
      if (strcmp(p->strings[p->services[k].id], p->strings[s->id]) == 0)
        fail(c, "service '%s' is listed twice", p->strings[s->id]);
    s->rules = alloc(c, p->ncauses, sizeof *s->rules);
    for (uint8_t k = 0; k < p->ncauses && !c->failed; k++) {
      slac_prog_rule *r = &s->rules[k];
      at = c->pos;
      r->mode = u8(c);
      r->cap_seconds = u32(c);
      r->cap_months = u8(c);
      r->notice_seconds = u32(c);
      if (!c->failed && (r->mode > SLAC_PC_CAPPED || (k == 0 && r->mode) ||
                         (r->cap_months != 1 && r->cap_months != 3 && r->cap_months != 12) ||
                         (r->mode != SLAC_PC_CAPPED && (r->cap_seconds || r->cap_months != 1)) ||
                         r->cap_seconds > period_max_seconds(r->cap_months) ||
                         (r->mode == SLAC_PC_COUNTS && r->notice_seconds) ||
                         r->notice_seconds > 366u * 86400u))
        fail(c, "cause rule at byte %zu is invalid", at);
    }
    read_kinds(c, p, s, i);
    read_terms(c, p, s, i);
  }
}

/* Charges that earn no credit: distinct names (sorted once: a crafted
 * file may hold 65,534 of them), none a service's id. */
static int by_text(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void read_charges(cursor *c, slac_program *p) {
  p->ncharges = u16(c);
  p->charges = alloc(c, p->ncharges, sizeof *p->charges);
  size_t at = c->pos;
  for (uint16_t i = 0; i < p->ncharges && !c->failed; i++) {
    p->charges[i] = strref(c, p, false, "a charge");
    for (uint8_t s = 0; s < p->nservices && !c->failed; s++)
      if (strcmp(p->strings[p->services[s].id], p->strings[p->charges[i]]) == 0)
        fail(c, "charge '%s' at byte %zu is also a service", p->strings[p->charges[i]], at + 2u * i);
  }
  if (c->failed || p->ncharges < 2) return;
  const char **sorted = alloc(c, p->ncharges, sizeof *sorted);
  if (!sorted) return;
  for (uint16_t i = 0; i < p->ncharges; i++) sorted[i] = p->strings[p->charges[i]];
  qsort(sorted, p->ncharges, sizeof *sorted, by_text);
  for (uint16_t i = 1; i < p->ncharges && !c->failed; i++)
    if (strcmp(sorted[i - 1], sorted[i]) == 0) fail(c, "charge '%s' is listed twice", sorted[i]);
  free(sorted);
}

static void read_code_and_debug(cursor *c, slac_program *p) {
  p->code_size = u32(c);
  if (!need(c, p->code_size)) return;
  p->code = alloc(c, p->code_size, 1);
  if (c->failed) return;
  memcpy(p->code, c->b + c->pos, p->code_size);
  c->pos += p->code_size;
  p->nlines = u32(c);
  if (!c->failed && p->nlines > p->code_size) fail(c, "more line entries than code bytes");
  p->lines = alloc(c, p->nlines, sizeof *p->lines);
  for (uint32_t i = 0; i < p->nlines && !c->failed; i++) {
    p->lines[i].offset = u32(c);
    p->lines[i].line = u32(c);
    if (!c->failed && (p->lines[i].offset >= p->code_size ||
                       (i > 0 && p->lines[i].offset <= p->lines[i - 1].offset)))
      fail(c, "line table entry %u is out of order or outside the code", i);
  }
  p->nnotes = u16(c);
  p->notes = alloc(c, p->nnotes, sizeof *p->notes);
  for (uint16_t i = 0; i < p->nnotes && !c->failed; i++) {
    p->notes[i].text = strref(c, p, false, "a note");
    p->notes[i].cite = strref(c, p, true, "a note citation");
    size_t at = c->pos;
    p->notes[i].shown = u8(c);
    if (!c->failed && p->notes[i].shown > 1) fail(c, "note %u at byte %zu is invalid", i, at);
  }
}

int slac_program_load(const uint8_t *bytes, size_t size, const char *name, slac_program **out,
                      slac_diags *d) {
  cursor c = {bytes, size, 0, name, d, 0};
  *out = NULL;
  if (size < 4 || memcmp(bytes, SLAC_BC_MAGIC, 4) != 0) {
    fail(&c, "not a slac bytecode file (no SLBC signature)");
    return -1;
  }
  c.pos = 4;
  uint16_t version = u16(&c);
  uint16_t flags = u16(&c);
  uint32_t length = u32(&c);
  uint32_t crc = u32(&c);
  if (!need(&c, 32)) return -1;
  if (version != SLAC_BC_VERSION) {
    /* never read by the wrong layout: an older file lacks fields a newer
     * slac needs, a newer one holds fields this slac would ignore */
    fail(&c, "format version %u, this slac reads version %u: %s", version, SLAC_BC_VERSION,
         version < SLAC_BC_VERSION
             ? "the file was built by an older slac; rebuild it from its source with `slac build POLICY.sla`"
             : "the file was built by a newer slac; use that slac, or rebuild it from its source with this one");
    return -1;
  }
  if (flags != 0) { fail(&c, "unknown flags 0x%04x", flags); return -1; }
  if (length != size) {
    if (length > size) fail(&c, "truncated at byte %zu (the header says %u bytes)", size, length);
    else fail(&c, "%zu byte%s of trailing garbage after byte %u", size - length,
              size - length == 1 ? "" : "s", length);
    return -1;
  }
  /* The CRC covers everything after its own field, the source hash
   * included: a damaged hash would name the wrong source. */
  if (slac_crc32(bytes + SLAC_BC_CRC_FROM, size - SLAC_BC_CRC_FROM) != crc) {
    fail(&c, "checksum mismatch: the file is damaged");
    return -1;
  }
  slac_program *p = calloc(1, sizeof *p);
  if (!p) { slac_diag_oom(d); return -1; }
  memcpy(p->source_hash, bytes + SLAC_BC_CRC_FROM, 32);
  c.pos = SLAC_BC_HEADER_SIZE;
  read_strings(&c, p);
  read_nums(&c, p);
  read_sets(&c, p);
  read_policy(&c, p);
  read_causes(&c, p);
  read_services(&c, p);
  read_charges(&c, p);
  read_code_and_debug(&c, p);
  if (!c.failed && c.pos != size)
    fail(&c, "%zu unexpected byte%s at byte %zu", size - c.pos, size - c.pos == 1 ? "" : "s", c.pos);
  if (!c.failed && slac_program_verify(p, name, d) != 0) c.failed = -1;
  if (!c.failed && slac_program_predecode(p, name, d) != 0) c.failed = -1;
  if (c.failed) {
    slac_program_free(p);
    return -1;
  }
  *out = p;
  return 0;
}

int slac_program_predecode(slac_program *p, const char *name, slac_diags *d) {
  free(p->ops);
  free(p->op_index);
  p->ops = NULL;
  p->op_index = NULL;
  p->nops = 0;
  uint32_t n = 0;
  for (uint32_t at = 0; at < p->code_size; n++) {
    slac_operands o;
    if (slac_decode_operands(p->code, p->code_size, at, &o) != SLAC_DECODE_OK) {
      slac_diag_bytecode(d, name, -1, "bad bytecode: the instruction at %u does not decode", at);
      return -1;
    }
    at = o.next;
  }
  p->ops = malloc((n ? n : 1) * sizeof *p->ops);
  p->op_index = malloc((p->code_size ? p->code_size : 1) * sizeof *p->op_index);
  if (!p->ops || !p->op_index) {
    free(p->ops);
    free(p->op_index);
    p->ops = NULL;
    p->op_index = NULL;
    slac_diag_oom(d);
    return -1;
  }
  for (uint32_t i = 0; i < p->code_size; i++) p->op_index[i] = UINT32_MAX; /* inside an instruction */
  uint32_t k = 0;
  for (uint32_t at = 0; at < p->code_size; k++) {
    slac_decode_operands(p->code, p->code_size, at, &p->ops[k]);
    p->op_index[at] = k;
    at = p->ops[k].next;
  }
  p->nops = n;
  return 0;
}

void slac_program_free(slac_program *p) {
  if (!p) return;
  for (uint16_t i = 0; p->strings && i < p->nstrings; i++) free(p->strings[i]);
  free(p->strings);
  free(p->nums);
  for (uint16_t i = 0; p->sets && i < p->nsets; i++) free(p->sets[i]);
  free(p->sets);
  free(p->set_sizes);
  free(p->currencies);
  free(p->causes);
  for (uint8_t i = 0; p->services && i < p->nservices; i++) {
    free(p->services[i].rules);
    free(p->services[i].kinds);
    free(p->services[i].terms);
  }
  free(p->services);
  free(p->charges);
  free(p->code);
  free(p->lines);
  free(p->notes);
  free(p->ops);
  free(p->op_index);
  free(p);
}

uint32_t slac_program_line(const slac_program *p, uint32_t offset) {
  /* the entry with the greatest offset <= OFFSET */
  size_t lo = 0, hi = p->nlines;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->lines[mid].offset <= offset) lo = mid + 1; else hi = mid;
  }
  return lo ? p->lines[lo - 1].line : 0;
}

int slac_program_cause(const slac_program *p, const char *name, size_t len) {
  for (int i = 0; i < p->ncauses; i++) {
    const char *s = p->strings[p->causes[i]];
    if (strlen(s) == len && memcmp(s, name, len) == 0) return i;
  }
  return -1;
}

uint32_t slac_crc32(const uint8_t *bytes, size_t size) {
  /* Built per call (2,048 steps): no shared state between threads. */
  uint32_t table[256];
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t r = i;
    for (int k = 0; k < 8; k++) r = (r >> 1) ^ (0xEDB88320u & (0u - (r & 1)));
    table[i] = r;
  }
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; i++) crc = table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}
