/* writer.c - a slac_program to the bytes of a .slbc file.
 *
 * The layout is documented in docs/bytecode.md; the loader
 * (runtime/vm/loader.c) reads exactly what this writes.  Everything is
 * written in a fixed order with fixed-width little-endian integers, so the
 * same program always gives the same bytes on every machine.
 */
#include <stdlib.h>
#include <string.h>
#include "runtime/vm/program.h"

typedef struct {
  uint8_t *b;
  size_t n, cap;
  bool oom;
} out;

static void put(out *o, const void *p, size_t n) {
  if (o->oom) return;
  if (o->n + n > o->cap) {
    size_t cap = o->cap ? o->cap : 1024;
    while (cap < o->n + n) cap *= 2;
    uint8_t *r = realloc(o->b, cap);
    if (!r) { o->oom = true; return; }
    o->b = r;
    o->cap = cap;
  }
  memcpy(o->b + o->n, p, n);
  o->n += n;
}

static void le(out *o, uint64_t v, int bytes) {
  uint8_t t[8];
  for (int i = 0; i < bytes; i++) t[i] = (uint8_t)(v >> (8 * i));
  put(o, t, (size_t)bytes);
}
static void w8(out *o, uint32_t v) { le(o, v, 1); }
static void w16(out *o, uint32_t v) { le(o, v, 2); }
static void w32(out *o, uint32_t v) { le(o, v, 4); }

int slac_program_write(const slac_program *p, uint8_t **bytes, size_t *size) {
  out o = {0};
  uint8_t header[SLAC_BC_HEADER_SIZE] = {0};
  put(&o, header, sizeof header); /* filled in at the end */

  w16(&o, p->nstrings);
  for (uint16_t i = 0; i < p->nstrings; i++) {
    size_t n = strlen(p->strings[i]);
    w32(&o, (uint32_t)n);
    put(&o, p->strings[i], n);
  }
  w16(&o, p->nnums);
  for (uint16_t i = 0; i < p->nnums; i++) {
    unsigned __int128 u = (unsigned __int128)p->nums[i].units;
    uint8_t t[16];
    for (int k = 0; k < 16; k++) t[k] = (uint8_t)(u >> (8 * k));
    put(&o, t, 16);
  }
  w16(&o, p->nsets);
  for (uint16_t i = 0; i < p->nsets; i++) {
    w16(&o, p->set_sizes[i]);
    for (uint16_t k = 0; k < p->set_sizes[i]; k++) w16(&o, p->sets[i][k]);
  }
  w16(&o, p->id);
  w16(&o, p->title);
  w16(&o, p->provider);
  w32(&o, p->version);
  w8(&o, p->ncurrencies);
  for (uint8_t i = 0; i < p->ncurrencies; i++) put(&o, p->currencies[i], 3);
  w8(&o, p->base);
  w8(&o, p->period_cap_months);
  w8(&o, p->period_cap_rolling);
  w8(&o, p->ncauses);
  for (uint8_t i = 0; i < p->ncauses; i++) w16(&o, p->causes[i]);
  w8(&o, p->nservices);
  for (uint8_t i = 0; i < p->nservices; i++) {
    const slac_prog_service *s = &p->services[i];
    w16(&o, s->id);
    w16(&o, s->title);
    w8(&o, s->metric);
    w32(&o, s->window_seconds);
    w8(&o, s->empty_left_out);
    w8(&o, s->has_rate_rule);
    w8(&o, s->rate_inclusive);
    w16(&o, s->rate_threshold);
    w32(&o, s->min_requests);
    w32(&o, s->min_run_minutes);
    w16(&o, s->commit);
    for (uint8_t k = 0; k < p->ncauses; k++) {
      w8(&o, s->rules[k].mode);
      w32(&o, s->rules[k].cap_seconds);
      w8(&o, s->rules[k].cap_months);
      w32(&o, s->rules[k].notice_seconds);
    }
    w8(&o, s->kinds_mode);
    w8(&o, s->nkinds);
    for (uint8_t k = 0; k < s->nkinds; k++) w16(&o, s->kinds[k]);
    w8(&o, s->nterms);
    for (uint8_t k = 0; k < s->nterms; k++) {
      w16(&o, s->terms[k].set);
      w8(&o, s->terms[k].is_default);
    }
  }
  w16(&o, p->ncharges);
  for (uint16_t i = 0; i < p->ncharges; i++) w16(&o, p->charges[i]);
  w32(&o, p->code_size);
  put(&o, p->code, p->code_size);
  w32(&o, p->nlines);
  for (uint32_t i = 0; i < p->nlines; i++) {
    w32(&o, p->lines[i].offset);
    w32(&o, p->lines[i].line);
  }
  w16(&o, p->nnotes);
  for (uint16_t i = 0; i < p->nnotes; i++) {
    w16(&o, p->notes[i].text);
    w16(&o, p->notes[i].cite);
    w8(&o, p->notes[i].shown);
  }
  if (o.oom || o.n > UINT32_MAX) {
    free(o.b);
    return -1;
  }
  memcpy(o.b, SLAC_BC_MAGIC, 4);
  memcpy(o.b + SLAC_BC_CRC_FROM, p->source_hash, 32);
  uint32_t crc = slac_crc32(o.b + SLAC_BC_CRC_FROM, o.n - SLAC_BC_CRC_FROM);
  uint8_t *h = o.b;
  h[4] = SLAC_BC_VERSION & 0xFF;
  h[5] = SLAC_BC_VERSION >> 8;
  h[6] = h[7] = 0;
  for (int i = 0; i < 4; i++) {
    h[8 + i] = (uint8_t)(o.n >> (8 * i));
    h[12 + i] = (uint8_t)(crc >> (8 * i));
  }
  *bytes = o.b;
  *size = o.n;
  return 0;
}
