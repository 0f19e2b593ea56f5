/* reason.c - turns a reason template and its arguments into the sentence
 * a customer reads.  Templates come from the compiler, which knows the
 * contract's words; numbers are formatted here, exactly.  The sentence is
 * appended to the caller's text (slac_text), where the VM keeps all the
 * reasons of a run: no allocation per reason. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/timestamp.h"
#include "runtime/vm/vm.h"

int slac_text_append(slac_text *t, const char *s, size_t n) {
  if (t->cap - t->len <= n) { /* room for the N bytes and the NUL */
    size_t cap = t->cap ? t->cap : 256;
    while (cap - t->len <= n) {
      if (cap > SIZE_MAX / 2) return -1;
      cap *= 2;
    }
    char *r = realloc(t->s, cap);
    if (!r) return -1;
    t->s = r;
    t->cap = cap;
  }
  if (n) memcpy(t->s + t->len, s, n);
  t->len += n;
  t->s[t->len] = 0;
  return 0;
}

/* Appends to a caller's text; after a failure, nothing more. */
typedef struct {
  slac_text *t;
  bool oom;
} buf;

static void put(buf *b, const char *s, size_t n) {
  if (!b->oom && slac_text_append(b->t, s, n) != 0) b->oom = true;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

void slac_format_duration(int64_t seconds, char *out, size_t size) {
  if (seconds <= 0) { snprintf(out, size, "0 s"); return; }
  static const struct { int64_t secs; const char *one, *many; } units[] = {
      {86400, " day", " days"}, {3600, " h", " h"}, {60, " min", " min"}, {1, " s", " s"}};
  size_t n = 0;
  out[0] = 0;
  for (size_t i = 0; i < 4; i++) {
    int64_t k = seconds / units[i].secs;
    seconds %= units[i].secs;
    if (k == 0) continue;
    int w = snprintf(out + n, size - n, "%s%lld%s", n ? " " : "", (long long)k,
                     k == 1 ? units[i].one : units[i].many);
    if (w < 0 || (size_t)w >= size - n) return;
    n += (size_t)w;
  }
}

/* Which placeholder starts at T ("{u}"...), its length in *LEN; 0 none. */
static int placeholder(const char *t, size_t *len) {
  static const char *const names[] = {"{u}", "{p}", "{m}", "{d}", "{t}", "{plan}"};
  for (int i = 0; i < 6; i++) {
    size_t n = strlen(names[i]);
    if (strncmp(t, names[i], n) == 0) { *len = n; return names[i][1]; }
  }
  return 0;
}

int slac_template_arity(const char *tmpl) {
  int n = 0;
  for (const char *t = tmpl; *t;) {
    size_t len;
    if ((t[0] == '{' && t[1] == '{') || (t[0] == '}' && t[1] == '}')) { t += 2; continue; }
    if (*t == '}') return -1;
    if (*t != '{') { t++; continue; }
    int kind = placeholder(t, &len);
    if (!kind) return -1;
    if (len != 6) n++; /* {plan} takes no argument */
    t += len;
  }
  return n;
}

int slac_format_reason(slac_text *to, const char *tmpl, const slac_num *args, size_t nargs,
                       const slac_vm_input *in, const char *currency_code) {
  buf b = {to, false};
  size_t start = to->len, arg = 0;
  char tmp[96];
  puts_(&b, ""); /* an empty sentence still has its NUL */
  for (const char *t = tmpl; *t;) {
    size_t len;
    if ((t[0] == '{' && t[1] == '{') || (t[0] == '}' && t[1] == '}')) {
      put(&b, t, 1);
      t += 2;
      continue;
    }
    int kind = *t == '{' ? placeholder(t, &len) : 0;
    if (!kind) {
      const char *next = t + 1;
      while (*next && *next != '{' && *next != '}') next++;
      put(&b, t, (size_t)(next - t));
      t = next;
      continue;
    }
    t += len;
    if (len == 6) { /* {plan} */
      puts_(&b, in && in->plan ? in->plan : "");
      continue;
    }
    if (arg >= nargs) break; /* the verifier matched arity; be safe anyway */
    slac_num v = args[arg++];
    slac_num r;
    switch (kind) {
    case 'u': /* uptime: truncated, never rounded, 4 decimals */
      if (slac_num_trunc(v, 4, &r) != SLAC_NUM_OK) r = v;
      slac_num_format(r, 4, tmp, sizeof tmp);
      break;
    case 'm': {
      int digits = in && in->has_account ? in->minor_digits : 2;
      if (slac_num_round_half_up(v, digits, &r) != SLAC_NUM_OK) r = v;
      size_t n = slac_num_format(r, digits, tmp, sizeof tmp);
      /* no currency (no account data): the bare amount, no trailing blank */
      if (currency_code && *currency_code && n < sizeof tmp)
        snprintf(tmp + n, sizeof tmp - n, " %s", currency_code);
      break;
    }
    case 'd': {
      int64_t secs = 0;
      if (slac_num_trunc(v, 0, &r) == SLAC_NUM_OK) slac_num_to_int(r, &secs);
      slac_format_duration(secs, tmp, sizeof tmp);
      break;
    }
    case 't': {
      int64_t secs = 0;
      if (slac_num_trunc(v, 0, &r) == SLAC_NUM_OK) slac_num_to_int(r, &secs);
      slac_time_format(secs, tmp);
      break;
    }
    default: /* 'p' */
      slac_num_format(v, -1, tmp, sizeof tmp);
      break;
    }
    puts_(&b, tmp);
  }
  if (b.oom) {
    to->len = start;
    if (to->s) to->s[start] = 0;
    return -1;
  }
  return 0;
}
